/**
 * The append-only files on disk for `npm run serve` (aof.c's file handling): the engine
 * decides what is written where (src/engine/aof.ts), this does the system calls, relative to
 * the working directory (`dir`), and reports each failure as strerror text.
 */
import {
  appendFileSync,
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs'
import type { AofDisk, AofFsError } from '../engine/aof.ts'
import { strerror } from './strerror.ts'

function fsError(e: unknown): AofFsError {
  return { error: strerror(e), enoent: (e as NodeJS.ErrnoException).code === 'ENOENT' }
}

/** Runs `f`, returning its failure or null. */
function attempt(f: () => void): AofFsError | null {
  try {
    f()
    return null
  } catch (e) {
    return fsError(e)
  }
}

/** An AofDisk over the file system; `pid` is the server's (getpid()). */
export function createAofDisk(pid: number): AofDisk {
  return {
    pid,
    stat: (path) => {
      try {
        return statSync(path).size
      } catch (e) {
        return fsError(e)
      }
    },
    isDir: (path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false,
    read: (path) => {
      try {
        return readFileSync(path).toString('latin1')
      } catch (e) {
        return fsError(e)
      }
    },
    open: (path, truncate) =>
      attempt(() => {
        const fd = openSync(path, truncate ? 'w' : 'a', 0o644)
        if (truncate) ftruncateSync(fd, 0)
        closeSync(fd)
      }),
    append: (path, data) =>
      attempt(() => {
        appendFileSync(path, Buffer.from(data, 'latin1'))
      }),
    rename: (from, to) =>
      attempt(() => {
        renameSync(from, to)
      }),
    unlink: (path) => {
      rmSync(path, { force: true })
    },
    // dirCreateIfMissing: mkdir(0755), EEXIST is fine.
    mkdir: (path) =>
      attempt(() => {
        try {
          mkdirSync(path, 0o755)
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
        }
      }),
    truncate: (path, len) =>
      attempt(() => {
        truncateSync(path, len)
      }),
    exit: (code) => process.exit(code),
  }
}
