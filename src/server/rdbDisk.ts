/**
 * The RDB file on disk for `npm run serve` (rdb.c rdbSave's file handling, server.c
 * loadDataFromDisk's reading): the engine serializes, this writes. A save goes to
 * `temp-<pid>.rdb` in `dir` (the server's pid, or the BGSAVE child's), is flushed and
 * fsynced, then renamed over `dbfilename`, so a crash never leaves a half-written dump.
 * Failures are logged with Redis's lines and strerror texts.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { resolve } from 'node:path'
import type { RdbDisk } from '../engine/rdb.ts'
import type { ServerLogLine } from '../engine/rdbDecode.ts'
import { strerror } from './strerror.ts'

/** serverLog as the host prints it: the server's line, or a child's (role C, its pid). */
export type HostLog = (line: ServerLogLine, pid: number | null) => void

/**
 * An RdbDisk over the file system. `pid` is the server's; BGSAVE children get the pids
 * after it (no process is forked: the engine's child is modelled).
 */
export function createRdbDisk(log: HostLog, pid: number): RdbDisk {
  let lastChild = pid
  const warn = (text: string, who: number | null) => {
    log({ level: '#', text }, who)
  }
  return {
    fork: () => ++lastChild,
    log: (line, who) => {
      log(line, who ?? null)
    },
    write: (rdb, dir, dbfilename, child) => {
      const tmpName = `temp-${String(child ?? pid)}.rdb`
      // getcwd() fails once the directory is removed: Redis then says "unknown".
      const root = existsSync(dir) ? dir : 'unknown'
      const tmpfile = resolve(dir, tmpName)
      let fd: number
      try {
        fd = openSync(tmpfile, 'w')
      } catch (e) {
        warn(
          `Failed opening the temp RDB file ${tmpName} (in server root dir ${root}) for saving: ${strerror(e)}`,
          child,
        )
        return false
      }
      try {
        for (let off = 0; off < rdb.length;) off += writeSync(fd, rdb, off, rdb.length - off)
        fsyncSync(fd)
      } catch (e) {
        closeSync(fd)
        rmSync(tmpfile, { force: true })
        warn(`Write error saving DB on disk: ${strerror(e)}`, child)
        return false
      }
      closeSync(fd)
      // "Use RENAME to make sure the DB file is changed atomically only if the generate DB
      // file is ok."
      try {
        renameSync(tmpfile, resolve(dir, dbfilename))
      } catch (e) {
        warn(
          `Error moving temp DB file ${tmpName} on the final destination ${dbfilename} (in server root dir ${root}): ${strerror(e)}`,
          child,
        )
        rmSync(tmpfile, { force: true })
        return false
      }
      log({ level: '*', text: 'DB saved on disk' }, child)
      return true
    },
  }
}

/** The RDB file in `dir` as a byte string, or null when there is none (loadDataFromDisk). */
export function readRdbFile(dir: string, dbfilename: string): string | null {
  try {
    return readFileSync(resolve(dir, dbfilename)).toString('latin1')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    // fopen() opens a directory; its first read fails: an empty file to rdbLoad.
    if (code === 'EISDIR') return ''
    throw e
  }
}
