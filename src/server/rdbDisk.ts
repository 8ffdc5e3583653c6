/**
 * The RDB file on disk for `npm run serve` (rdb.c rdbSave's file handling, server.c
 * loadDataFromDisk's reading): the engine serializes, this writes. A save goes to
 * `temp-<pid>.rdb` in `dir` (the server's pid, or the BGSAVE child's), is flushed and
 * fsynced, then renamed over `dbfilename`, so a crash never leaves a half-written dump.
 * (BGSAVE's child process writes its file with the same pieces: rdbChild.ts.)
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
  writeFileSync,
  writeSync,
} from 'node:fs'
import { resolve } from 'node:path'
import type { RdbChildren, RdbDisk, RdbSaveJob } from '../engine/rdb.ts'
import type { ServerLogLine } from '../engine/rdbDecode.ts'
import { strerror } from './strerror.ts'

/** serverLog as the host prints it: the server's line, or a child's (role C, its pid). */
export type HostLog = (line: ServerLogLine, pid: number | null) => void

/**
 * rdb.c rdbSave's temp file, as the process `pid` writes it (the server's, or a BGSAVE
 * child's: then `who` is that pid, else null). Each failure is logged with Redis's line and
 * leaves no temp file behind.
 */
export interface RdbTempFile {
  /** rioWrite: false after a write error. */
  write(bytes: Uint8Array): boolean
  /** fflush, fsync, fclose, then the rename over `dbfilename` and "DB saved on disk". */
  finish(): boolean
  /** The file closed as it is (a killed child's: rdbRemoveTempFile removes it). */
  abandon(): void
}

/** The temp file's name for process `pid` (rdbSave, rdbRemoveTempFile). */
export function rdbTempName(pid: number): string {
  return `temp-${String(pid)}.rdb`
}

/**
 * rdbSave's fopen of temp-<pid>.rdb in `dir`; null when it fails (logged). With `aof`, aof.c
 * rewriteAppendOnlyFile's in the rewriting child: temp-rewriteaof-<pid>.aof, renamed
 * temp-rewriteaof-bg-<pid>.aof (the parent makes it the next BASE), with its own lines.
 */
export function openRdbTempFile(
  log: HostLog,
  dir: string,
  dbfilename: string,
  pid: number,
  who: number | null,
  aof = false,
): RdbTempFile | null {
  const tmpName = aof ? `temp-rewriteaof-${String(pid)}.aof` : rdbTempName(pid)
  const finalName = aof ? `temp-rewriteaof-bg-${String(pid)}.aof` : dbfilename
  const tmpfile = resolve(dir, tmpName)
  // getcwd() fails once the directory is removed: Redis then says "unknown".
  const root = () => (existsSync(dir) ? dir : 'unknown')
  const warn = (text: string) => {
    log({ level: '#', text }, who)
  }
  let fd: number
  try {
    fd = openSync(tmpfile, 'w')
  } catch (e) {
    warn(
      aof
        ? `Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${strerror(e)}`
        : `Failed opening the temp RDB file ${tmpName} (in server root dir ${root()}) for saving: ${strerror(e)}`,
    )
    return null
  }
  let open = true
  const werr = (op: string, e: unknown) => {
    warn(
      aof
        ? `Write error writing append only file on disk: ${strerror(e)}`
        : `Write error saving DB on disk(${op}): ${strerror(e)}`,
    )
    if (open) closeSync(fd)
    open = false
    rmSync(tmpfile, { force: true })
  }
  return {
    write: (bytes) => {
      try {
        for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off)
      } catch (e) {
        werr('rdbSaveRio', e)
        return false
      }
      return true
    },
    finish: () => {
      try {
        fsyncSync(fd)
      } catch (e) {
        werr('fsync', e)
        return false
      }
      open = false
      closeSync(fd)
      // "Use RENAME to make sure the DB file is changed atomically only if the generate DB
      // file is ok."
      try {
        renameSync(tmpfile, resolve(dir, finalName))
      } catch (e) {
        warn(
          aof
            ? `Error moving temp append only file on the final destination: ${strerror(e)}`
            : `Error moving temp DB file ${tmpName} on the final destination ${dbfilename} (in server root dir ${root()}): ${strerror(e)}`,
        )
        rmSync(tmpfile, { force: true })
        return false
      }
      log(
        {
          level: '*',
          text: aof
            ? `Successfully created the temporary AOF base file ${finalName}`
            : 'DB saved on disk',
        },
        who,
      )
      return true
    },
    abandon: () => {
      if (open) closeSync(fd)
      open = false
    },
  }
}

/** Bytes written per turn of the event loop when no delay paces the save. */
const CHUNK = 1 << 20

/**
 * rdb.c rdbSaveRio's writes of `job` into `file`, paced as rdbSaveKeyValuePair is: after
 * each key it sleeps rdb-key-save-delay (debug.c debugDelay), here while the event loop
 * turns (setTimeout), so signals are taken meanwhile. `done` gets whether the file was
 * written and renamed; nothing more happens once `alive` says no (the file is left as it is,
 * for rdbRemoveTempFile). A forked child reports its keys saved (`reported`): rdbSaveDb
 * counts them, once a second at most, every 1024.
 */
export function rdbSaveInSteps(
  job: RdbSaveJob,
  file: RdbTempFile,
  alive: () => boolean,
  done: (ok: boolean) => void,
  reported?: (keys: number) => void,
): void {
  let offset = 0
  let key = 0
  let debtUs = 0
  // rdbSaveDb's statics: a report every 1024 keys, at most once a second.
  let counter = 0
  let infoUpdated = 0
  const step = () => {
    if (!alive()) {
      file.abandon()
      return
    }
    const start = offset
    while (key < job.keyEnds.length && debtUs < 1000 && offset - start < CHUNK) {
      offset = job.keyEnds[key++] ?? offset
      if (reported !== undefined && (counter++ & 1023) === 0) {
        const now = Date.now()
        if (now - infoUpdated >= 1000) {
          reported(counter)
          infoUpdated = now
        }
      }
      // debug.c debugDelay: n µs, or for n < 0 1 µs once in -n keys.
      const d = job.keySaveDelay
      debtUs += d > 0 ? d : d < 0 && Math.floor(Math.random() * -d) === 0 ? 1 : 0
    }
    if (key === job.keyEnds.length) offset = job.rdb.length
    if (!file.write(job.rdb.subarray(start, offset))) {
      done(false)
      return
    }
    // rdbSaveKeyValuePair sleeps after each key, the last one too.
    if (offset < job.rdb.length || debtUs >= 1000) {
      const ms = Math.floor(debtUs / 1000)
      debtUs -= ms * 1000
      if (ms > 0) setTimeout(step, ms)
      else setImmediate(step)
      return
    }
    // (A child's "Fork CoW" line, sendChildCowInfo, is the engine's: it models the copy.)
    done(file.finish())
  }
  step()
}

/**
 * An RdbDisk over the file system. `pid` is the server's. With `children`, each BGSAVE runs
 * a child process (rdbChild.ts); without, the children are modelled and get the pids after
 * the server's.
 */
export function createRdbDisk(log: HostLog, pid: number, children?: RdbChildren): RdbDisk {
  let lastChild = pid
  return {
    fork: () => ++lastChild,
    log: (line, who) => {
      log(line, who ?? null)
    },
    read: (dir, dbfilename) => {
      try {
        return readRdbFile(dir, dbfilename)
      } catch {
        return null
      }
    },
    exit: (status) => process.exit(status),
    write: (rdb, dir, dbfilename, child) => {
      const file = openRdbTempFile(log, dir, dbfilename, child ?? pid, child)
      return file !== null && file.write(rdb) && file.finish()
    },
    saveSyncFile: (rdb, dir, tmpName, dbfilename) => {
      const tmpfile = resolve(dir, tmpName)
      try {
        writeFileSync(tmpfile, rdb)
      } catch (e) {
        rmSync(tmpfile, { force: true })
        return { step: 'write', error: strerror(e) }
      }
      try {
        renameSync(tmpfile, resolve(dir, dbfilename))
      } catch (e) {
        rmSync(tmpfile, { force: true })
        return { step: 'rename', error: strerror(e) }
      }
      return null
    },
    unlinkFile: (dir, dbfilename) => {
      rmSync(resolve(dir, dbfilename), { force: true })
    },
    ...(children === undefined ? {} : { children }),
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
