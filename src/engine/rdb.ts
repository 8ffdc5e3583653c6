/**
 * Persistence, modelled (rdb.c, server.c child handling). What the emulation keeps is the
 * bookkeeping Redis shows (dirty, lastsave, rdb_saves, lastbgsave_status) and the one effect a
 * save has on the data structures: while the BGSAVE fork child runs, dicts may not resize
 * except past the forced ratio (dict_can_resize = avoid), serverCron does not resize or
 * rehash, and lookups do not touch the LRU (copy-on-write pages).
 *
 * The engine writes no file itself. A host with a disk (`npm run serve`) sets an RdbDisk
 * (setRdbDisk): then SAVE, BGSAVE, the save points, FLUSHALL and SHUTDOWN hand it the RDB
 * file's bytes (rdbSaveFile) to write in `dir` as `dbfilename`, and every line Redis logs
 * about it goes to the disk's log. A BGSAVE's bytes are the dataset as of the fork: a host
 * that runs processes (RdbDisk.children) writes them while a child process lives and reports
 * its exit; otherwise the child is modelled and they are written when cron reaps it. Without
 * a disk (the browser) nothing is written or logged. While the child runs, each key written
 * costs it a page of copy-on-write (INFO current_cow_size, the "Fork CoW" line).
 */
import {
  createReplicationBacklog,
  freeReplicationBacklog,
  replicationChildDone,
} from './replication.ts'
import { replBufferRebase } from './replBuffer.ts'
import { backgroundRewriteDoneHandler, flushAppendOnlyFile, killAppendOnlyChild } from './aof.ts'
import { applyOomScoreAdj, type OomScoreAdjMode } from './config.ts'
import type { ExecContext } from './context.ts'
import { zmallocUsedMemory } from './keyspace/memory.ts'
import { rdbLoadAuxField, rdbLoadFile, type RdbAuxField, type ServerLogLine } from './rdbDecode.ts'
import { bytesToByteString, rdbSaveFileBytes } from './rdbEncode.ts'
import {
  rdbLoadImage,
  rdbLoadImageKeys,
  rdbSave,
  rdbSaveDone,
  rdbSaveFileDbs,
  type RdbImage,
} from './rdbReload.ts'
import type { ServerState } from './state.ts'
import { dictSetResizePolicy, dictSize } from './structures/dict.ts'

/** server.h CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is retried by cron. */
const CONFIG_BGSAVE_RETRY_DELAY = 5

/** The `save` config: its pairs of seconds and changes ('' when none, server.saveparams). */
function saveParams(srv: ServerState): string {
  return srv.config.other['save'] ?? '3600 1 300 100 60 10000'
}

/** server.saveparamslen > 0: some save point is configured. */
export function saveParamsConfigured(srv: ServerState): boolean {
  return saveParams(srv) !== ''
}

/** Where RDB files go: the host's file system (src/server/rdbDisk.ts). */
export interface RdbDisk {
  /**
   * rdbSave's file work: writes `rdb` as `dbfilename` in `dir` (a temp file named after
   * `pid`, then renamed), logging "DB saved on disk" or the failure as Redis does, as the
   * process `pid` (the BGSAVE child's, else null: the server's own). True when written.
   */
  write(rdb: Uint8Array, dir: string, dbfilename: string, pid: number | null): boolean
  /** serverLog, as the server (pid null) or a child. */
  log(line: ServerLogLine, pid?: number | null): void
  /**
   * rdbLoad's fopen and read of `dbfilename` in `dir` (DEBUG RELOAD): the file's bytes, or
   * null when it cannot be opened. Without it the image of the last save stands for the file.
   */
  read?(dir: string, dbfilename: string): string | null
  /** exit(status): what ends redis-server when the file it loads is corrupt. */
  exit?(status: number): void
  /**
   * fork() without processes: the pid of a modelled BGSAVE child, whose file is written
   * with `write` when cron reaps it. Unused when the host has `children`.
   */
  fork(): number
  /** A host that runs a real process for each BGSAVE child (`npm run serve`). */
  readonly children?: RdbChildren
  /**
   * A replica's disk-based sync (replication.c readSyncBulkPayload): the master's payload
   * written as `tmpName` in `dir`, then renamed over `dbfilename`. Null when done, else the
   * failed step ('write' or 'rename') and its strerror. Optional.
   */
  saveSyncFile?(
    rdb: Uint8Array,
    dir: string,
    tmpName: string,
    dbfilename: string,
  ): { step: 'write' | 'rename'; error: string } | null
  /** bg_unlink of `dbfilename` in `dir` (rdb-del-sync-files). Optional. */
  unlinkFile?(dir: string, dbfilename: string): void
}

/** What an rdbSave writes: the dataset's file, and where rdbSaveKeyValuePair sleeps. */
export interface RdbSaveJob {
  readonly rdb: Uint8Array
  /** The offset after each key in `rdb`: the save sleeps rdb-key-save-delay there. */
  readonly keyEnds: readonly number[]
  readonly dir: string
  readonly dbfilename: string
  /** rdb-key-save-delay as of the save (debug.c debugDelay's µs; < 0: 1 µs once in -n). */
  readonly keySaveDelay: number
}

/** What a BGSAVE child saves: the dataset's file as of the fork (rdb.c rdbSaveBackground). */
export interface RdbChildJob extends RdbSaveJob {
  /** setOOMScoreAdj(CONFIG_OOM_BGCHILD) in the child: oom-score-adj and its bgchild value. */
  readonly oomScoreAdj: { readonly mode: OomScoreAdjMode; readonly value: number }
  /**
   * An AOF rewrite's child (aof.c rewriteAppendOnlyFileBackground): `rdb` is the new BASE's
   * content, written as temp-rewriteaof-<pid>.aof and renamed temp-rewriteaof-bg-<pid>.aof.
   */
  readonly aof?: boolean
}

/** waitpid()'s status of a child that ended (server.c checkChildrenDone). */
export interface RdbChildStatus {
  readonly pid: number
  /** WEXITSTATUS, -1 when killed. */
  readonly exitcode: number
  /** WTERMSIG, 0 when it exited. */
  readonly bysignal: number
}

/** Child processes (server.c redisFork, checkChildrenDone; childinfo.c). */
export interface RdbChildren {
  /**
   * redisFork(CHILD_TYPE_RDB) and the child's rdbSave: a process that writes `job` as
   * temp-<its pid>.rdb, then renames it, logging as the child. Its pid, or the strerror of
   * the failed fork.
   */
  fork(job: RdbChildJob): number | string
  /** waitpid(-1, WNOHANG): a child that ended, or null while none has. */
  wait(): RdbChildStatus | null
  /** kill(pid, SIGUSR1): the child exits, not counted as a failure (rdb.c killRDBChild). */
  kill(pid: number): void
  /** rdb.c rdbRemoveTempFile: temp-<pid>.rdb in `dir` is removed. */
  removeTempFile(pid: number, dir: string): void
  /** childinfo.c receiveChildInfo: the keys the child last reported saved, or null. */
  receiveChildInfo(): number | null
}

const disks = new WeakMap<ServerState, RdbDisk>()

/** The host's disk (RESP server), or none (browser: saves stay in memory). */
export function setRdbDisk(srv: ServerState, disk: RdbDisk | null): void {
  if (disk === null) disks.delete(srv)
  else disks.set(srv, disk)
}

/** The host's disk, if any. */
export function rdbDisk(srv: ServerState): RdbDisk | undefined {
  return disks.get(srv)
}

/** A NOTICE line to the disk's log. */
export function rdbLogNotice(srv: ServerState, text: string, pid: number | null = null): void {
  disks.get(srv)?.log({ level: '*', text }, pid)
}

/** A WARNING line to the disk's log. */
export function rdbLogWarning(srv: ServerState, text: string): void {
  disks.get(srv)?.log({ level: '#', text })
}

/** server.c updateDictResizePolicy: no resizing (only the forced ratio) while a child runs. */
export function updateDictResizePolicy(srv: ServerState): void {
  dictSetResizePolicy(srv.child === null ? 'enable' : 'avoid')
}

/**
 * rdb.c rdbSaveInfoAuxFields: the AUX fields of a file saved now. (No replication info
 * fields: rdbPopulateSaveInfo gives none without a backlog, and the emulation keeps no
 * replication offset to save.)
 */
function rdbSaveAuxFields(srv: ServerState, ctx: ExecContext): RdbAuxField[] {
  return [
    ['redis-ver', '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(ctx.clock.now() / 1000))],
    ['used-mem', String(zmallocUsedMemory(srv))],
    ...rdbReplInfoAuxFields(srv),
    ['aof-base', '0'],
  ]
}

/**
 * rdbPopulateSaveInfo's fields: a master with a backlog, or a replica with a master (or a
 * cached one), saves where its replication stream is (db, ID, offset), for a restart to go
 * on from with a partial resync.
 */
function rdbReplInfoAuxFields(srv: ServerState): RdbAuxField[] {
  const r = srv.repl
  let db: number
  if (r.masterhost === null && r.backlog) db = r.seldb === -1 ? 0 : r.seldb
  else if (r.master !== null) db = srv.clients.get(r.master.client)?.db ?? 0
  else if (r.cachedMaster !== null) db = r.cachedMaster.db
  else return []
  return [
    ['repl-stream-db', String(db)],
    ['repl-id', r.replid],
    ['repl-offset', String(r.masterReplOffset)],
  ]
}

/**
 * loadDataFromDisk's replication part after the RDB file loaded: its replication ID and
 * offset go on, a replica's as a cached master of itself (to PSYNC from), a master's as its
 * previous history (replid2) with a backlog from there; without them a master has no backlog.
 */
function rdbRestoreReplInfo(srv: ServerState, aux: readonly RdbAuxField[]): void {
  const field = (name: string) => aux.find(([k]) => k === name)?.[1]
  const id = field('repl-id')
  const offset = Number(field('repl-offset') ?? '-1')
  const db = Number(field('repl-stream-db') ?? '-1')
  const r = srv.repl
  if (id === undefined || id.length !== 40 || offset === -1 || db === -1) {
    // No history to go on from: no backlog either (it held the DELs of expired keys).
    if (r.masterhost === null) freeReplicationBacklog(srv)
    return
  }
  if (r.masterhost !== null) {
    r.replid = id
    r.masterReplOffset = offset
    // replicationCacheMasterUsingMyself.
    rdbLogNotice(
      srv,
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    )
    r.cachedMaster = { replid: id, reploff: offset, db }
    return
  }
  r.replid2 = id
  r.secondReplidOffset = offset + 1
  r.masterReplOffset += offset
  // The DELs of the keys that expired meanwhile are in the backlog already: after offset.
  replBufferRebase(srv, r.buf, offset)
  r.noSlavesSince = srv.unixtime
}

/** rdb.c rdbSaveRio: the bytes of the RDB file of the dataset now, with its `aux` fields. */
export function rdbFileOfDataset(
  srv: ServerState,
  ctx: ExecContext,
  keyEnds?: number[],
  aux: readonly RdbAuxField[] = rdbSaveAuxFields(srv, ctx),
): Uint8Array {
  return rdbSaveFileBytes(srv, aux, rdbSaveFileDbs(srv, ctx), keyEnds)
}

/**
 * rdb.c rdbSave's file part: with a disk, the file is written (as the server's own save);
 * its AUX fields, or null when it could not be written. Without a disk there is nothing to
 * fail (and no file: no fields).
 */
export function rdbSaveToDisk(srv: ServerState, ctx: ExecContext): readonly RdbAuxField[] | null {
  const disk = disks.get(srv)
  if (disk === undefined) return []
  const aux = rdbSaveAuxFields(srv, ctx)
  const rdb = rdbFileOfDataset(srv, ctx, undefined, aux)
  return disk.write(rdb, rdbDir(srv), rdbFilename(srv), null) ? aux : null
}

/** rdbLoadRio's lines for the AUX fields of the file it loads (`nowSec`: the RDB age). */
export function rdbLogAuxFields(
  srv: ServerState,
  aux: readonly RdbAuxField[],
  nowSec: number,
): void {
  const disk = disks.get(srv)
  if (disk === undefined) return
  const log: ServerLogLine[] = []
  for (const [key, val] of aux) rdbLoadAuxField(key, val, nowSec, log)
  for (const line of log) disk.log(line)
}

/** rdbLoadRio's last line: the keys loaded and expired (a warning when some were empty). */
export function rdbLogLoadDone(srv: ServerState, emptyKeysSkipped: number): void {
  const done = `Done loading RDB, keys loaded: ${String(srv.rdbLastLoadKeysLoaded)}, keys expired: ${String(srv.rdbLastLoadKeysExpired)}`
  if (emptyKeysSkipped > 0)
    rdbLogWarning(srv, `${done}, empty keys skipped: ${String(emptyKeysSkipped)}.`)
  else rdbLogNotice(srv, `${done}.`)
}

function rdbDir(srv: ServerState): string {
  return srv.config.other['dir'] ?? '.'
}

function rdbFilename(srv: ServerState): string {
  return srv.config.other['dbfilename'] ?? 'dump.rdb'
}

/**
 * rdb.c rdbSaveBackground: fork a child. With a host that runs processes (`npm run serve`)
 * the child is one: it writes the file serialized now, as the fork freezes the dataset it
 * saves, sleeping rdb-key-save-delay µs per key, and its exit is reaped by serverCron
 * (checkChildrenDone). Otherwise the child is modelled: it lives 1 µs per key (1 s for a
 * million keys, the order of a real save) plus the delay per key, and its file, when there
 * is a disk, is written when cron reaps it. False when the fork failed (logged; the BGSAVE
 * answers -ERR).
 */
export function rdbSaveBackground(srv: ServerState, ctx: ExecContext): boolean {
  // stat_rdb_saves counts the attempt, before the fork (rdbSaveBackground).
  srv.rdbSaves++
  srv.rdbLastBgsaveTry = srv.unixtime
  const pid = redisFork(srv, ctx, 'rdb', (keyEnds) => rdbFileOfDataset(srv, ctx, keyEnds))
  if (typeof pid === 'string') {
    srv.rdbLastBgsaveStatus = 'err'
    rdbLogWarning(srv, `Can't save in background: fork: ${pid}`)
    return false
  }
  rdbLogNotice(srv, `Background saving started by pid ${String(pid)}`)
  return true
}

/**
 * server.c redisFork for a child of `type` writing `content` (the dataset's file as of now):
 * a process when the host runs them, else a modelled child whose file (with a disk) is
 * written when cron reaps it. Its pid, or the fork's strerror.
 */
export function redisFork(
  srv: ServerState,
  ctx: ExecContext,
  type: 'rdb' | 'aof',
  content: (keyEnds?: number[]) => Uint8Array,
): number | string {
  const delay = Number(srv.config.other['rdb-key-save-delay'] ?? '0')
  const disk = disks.get(srv)
  let pid: number
  let file: Uint8Array | null = null
  if (disk?.children !== undefined) {
    const keyEnds: number[] = []
    const bytes = content(keyEnds)
    let oomScoreAdj = { mode: 'no' as OomScoreAdjMode, value: 0 }
    applyOomScoreAdj(srv.config, (mode, value) => ((oomScoreAdj = { mode, value }), true), 2)
    const forked = disk.children.fork({
      rdb: bytes,
      keyEnds,
      dir: rdbDir(srv),
      dbfilename: rdbFilename(srv),
      keySaveDelay: delay,
      oomScoreAdj,
      ...(type === 'aof' ? { aof: true } : {}),
    })
    if (typeof forked === 'string') return forked
    pid = forked
  } else {
    pid = disk?.fork() ?? 0
    if (disk !== undefined) file = content()
  }
  if (type === 'rdb') forkedChild(srv, ctx.now, type, pid, { rdb: file, aofFile: null })
  else
    forkedChild(srv, ctx.now, type, pid, {
      rdb: null,
      aofFile: file === null ? null : bytesToByteString(file),
    })
  updateDictResizePolicy(srv)
  return pid
}

/**
 * redisFork's bookkeeping in the parent (total_forks, server.child_type, child_pid): the child
 * of `type` as of `now`, a modelled one living 1 µs per key plus rdb-key-save-delay.
 */
function forkedChild(
  srv: ServerState,
  now: number,
  type: 'rdb' | 'aof',
  pid: number,
  files: { readonly rdb: Uint8Array | null; readonly aofFile: string | null },
): void {
  let keys = 0
  for (const db of srv.dbs) keys += dictSize(db.dict)
  const delay = Number(srv.config.other['rdb-key-save-delay'] ?? '0')
  srv.stats.totalForks++
  srv.child = {
    type,
    replication: null,
    startedAt: now,
    endsAt: now + (keys * (1 + rdbKeySaveDelayUs(delay))) / 1000,
    dirtyBefore: srv.dirty,
    ...files,
    pid,
    keysTotal: keys,
    keysProcessed: 0,
    infoUpdatedAt: 0,
    cowKeys: new Set(),
    cowBytes: 0,
    cowPeak: 0,
    cowSum: 0,
    cowSamples: 0,
  }
}

/**
 * The modelled child's sleep per key saved (debug.c debugDelay): n > 0 sleeps n µs; n < 0
 * sleeps 1 µs once in -n keys, counted here as its mean 1/-n µs (no RNG draw).
 */
function rdbKeySaveDelayUs(delay: number): number {
  return delay > 0 ? delay : delay < 0 ? 1 / -delay : 0
}

/** server.h SERVER_CHILD_NOERROR_RETVAL: a child's exit status after SIGUSR1. */
const SERVER_CHILD_NOERROR_RETVAL = 255
const SIGUSR1 = 10

/**
 * server.c serverCron's part for a running child: receiveChildInfo once a second, then
 * checkChildrenDone (a real child reaped when the host saw it end, a modelled one when its
 * time is up).
 */
export function rdbCheckChild(srv: ServerState, ctx: ExecContext, everySecond: boolean): void {
  const child = srv.child
  if (child === null) return
  const children = disks.get(srv)?.children
  if (children === undefined || child.replication !== null) {
    if (ctx.now >= child.endsAt) rdbBackgroundSaveDone(srv, 0, 0, ctx)
    return
  }
  if (everySecond) rdbReceiveChildInfo(srv, children)
  const status = children.wait()
  if (status === null || status.pid !== child.pid) return
  let { exitcode, bysignal } = status
  // "sigKillChildHandler catches the signal and calls exit(), but we must make sure not to
  // flag lastbgsave_status, etc incorrectly."
  if (exitcode === SERVER_CHILD_NOERROR_RETVAL) {
    bysignal = SIGUSR1
    exitcode = 1
  }
  rdbBackgroundSaveDone(srv, exitcode, bysignal)
}

/** The page a copy-on-write copies (getconf PAGESIZE on Linux x86-64). */
const PAGE_SIZE = 4096

/**
 * childinfo.c sendChildInfoGeneric's measure in the child (zmalloc_get_private_dirty), as
 * modelled: a page for each key modified since the fork. Returns it.
 */
function childMeasureCow(child: NonNullable<ServerState['child']>): number {
  const cow = child.cowKeys.size * PAGE_SIZE
  child.cowPeak = Math.max(child.cowPeak, cow)
  child.cowSum += cow
  child.cowSamples++
  return cow
}

/**
 * childinfo.c receiveChildInfo: the child's last report of the keys it saved and of its
 * copy-on-write (updateChildInfo, CHILD_INFO_TYPE_CURRENT_INFO).
 */
function rdbReceiveChildInfo(srv: ServerState, children: RdbChildren): void {
  const keys = children.receiveChildInfo()
  const child = srv.child
  if (keys === null || child === null) return
  child.keysProcessed = keys
  child.cowBytes = childMeasureCow(child)
  child.infoUpdatedAt = srv.mstime
}

/**
 * rdb.c backgroundSaveDoneHandlerDisk, then resetChildState. A modelled child writes its file
 * now (with a disk). On success dirty drops by what the child saved and lastsave moves; on an
 * error or a signal other than SIGUSR1 (killRDBChild's) lastbgsave_status becomes err, and a
 * killed child's temp file is removed.
 */
export function rdbBackgroundSaveDone(
  srv: ServerState,
  exitcode: number,
  bysignal: number,
  ctx: ExecContext | null = null,
): void {
  const child = srv.child
  if (child === null) return
  if (child.type === 'aof') {
    aofChildDone(srv, exitcode, bysignal)
    return
  }
  if (child.replication === 'socket') {
    // backgroundSaveDoneHandlerSocket.
    const ok = bysignal === 0 && exitcode === 0
    if (ok) rdbLogNotice(srv, 'Background RDB transfer terminated with success')
    else if (bysignal === 0) rdbLogWarning(srv, 'Background transfer error')
    else rdbLogWarning(srv, `Background transfer terminated by signal ${String(bysignal)}`)
    srv.child = null
    updateDictResizePolicy(srv)
    replicationChildDone(srv, ctx, ok)
    return
  }
  const disk = disks.get(srv)
  if (
    disk !== undefined &&
    child.rdb !== null &&
    !disk.write(child.rdb, rdbDir(srv), rdbFilename(srv), child.pid)
  )
    exitcode = 1
  if (bysignal === 0 && exitcode === 0) {
    // sendChildCowInfo(CHILD_INFO_TYPE_RDB_COW_SIZE): the child's last measure, logged by the
    // child before it exits, then received (stat_rdb_cow_bytes: the peak).
    const cow = childMeasureCow(child)
    const mb = (n: number) => String(Math.floor(n / 2 ** 20))
    rdbLogNotice(
      srv,
      `Fork CoW for RDB: current ${mb(cow)} MB, peak ${mb(child.cowPeak)} MB, average ${mb(child.cowSum / child.cowSamples)} MB`,
      child.pid,
    )
    srv.rdbLastCowSize = child.cowPeak
    rdbLogNotice(srv, 'Background saving terminated with success')
    srv.dirty -= child.dirtyBefore
    srv.lastSave = srv.unixtime
    srv.rdbLastBgsaveStatus = 'ok'
  } else if (bysignal === 0) {
    rdbLogWarning(srv, 'Background saving error')
    srv.rdbLastBgsaveStatus = 'err'
  } else {
    rdbLogWarning(srv, `Background saving terminated by signal ${String(bysignal)}`)
    rdbRemoveTempFile(srv, child.pid)
    // "SIGUSR1 is whitelisted, so we have a way to kill a child without triggering an error
    // condition."
    if (bysignal !== SIGUSR1) srv.rdbLastBgsaveStatus = 'err'
  }
  srv.rdbLastBgsaveTimeSec = Math.floor((srv.mstime - child.startedAt) / 1000)
  srv.child = null
  updateDictResizePolicy(srv)
  if (child.replication === 'disk') replicationChildDone(srv, ctx, bysignal === 0 && exitcode === 0)
}

/**
 * rdb.c rdbSaveBackground / rdbSaveToSlavesSockets for a full sync paced by
 * rdb-key-save-delay: a modelled child (even where BGSAVE runs real ones) that lives 1 µs
 * per key plus the delay, its payload sent to the replicas when cron reaps it.
 */
export function forkReplicationChild(srv: ServerState, ctx: ExecContext, diskless: boolean): void {
  srv.rdbSaves += diskless ? 0 : 1
  srv.rdbLastBgsaveTry = srv.unixtime
  const disk = disks.get(srv)
  const pid = disk?.fork() ?? 0
  forkedChild(srv, ctx.now, 'rdb', pid, { rdb: null, aofFile: null })
  const child = srv.child as NonNullable<ServerState['child']>
  child.replication = diskless ? 'socket' : 'disk'
  updateDictResizePolicy(srv)
  rdbLogNotice(
    srv,
    diskless
      ? `Background RDB transfer started by pid ${String(pid)}`
      : `Background saving started by pid ${String(pid)}`,
  )
}

/**
 * serverCron's condition for a background save of its own (a save point, a BGSAVE SCHEDULE):
 * the last one succeeded, or was tried more than CONFIG_BGSAVE_RETRY_DELAY seconds ago.
 */
export function rdbBgsaveMayRun(srv: ServerState): boolean {
  return (
    srv.rdbLastBgsaveStatus === 'ok' ||
    srv.unixtime - srv.rdbLastBgsaveTry > CONFIG_BGSAVE_RETRY_DELAY
  )
}

/**
 * serverCron's save points: the first `save` pair with `changes` writes and more than
 * `seconds` since lastsave, while the last BGSAVE succeeded or was tried long enough ago.
 * Null when none is reached.
 */
export function rdbSavePointReached(srv: ServerState): string | null {
  const words = saveParams(srv).split(' ')
  const retry = rdbBgsaveMayRun(srv)
  for (let j = 0; j + 1 < words.length; j += 2) {
    const seconds = Number(words[j])
    const changes = Number(words[j + 1])
    if (srv.dirty >= changes && srv.unixtime - srv.lastSave > seconds && retry)
      return `${String(changes)} changes in ${String(seconds)} seconds. Saving...`
  }
  return null
}

/** server.c shared.loadingerr, without its CRLF. */
export const LOADING_ERROR = 'LOADING Redis is loading the dataset in memory'

/** server.c shared.bgsaveerr, without its CRLF (what rejectCommand sends). */
export const MISCONF_ERROR =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."

/**
 * server.c writeCommandsDeniedByDiskError (its RDB part): stop-writes-on-bgsave-error, save
 * points configured and the last background save failed.
 */
export function writeCommandsDeniedByDiskError(srv: ServerState): boolean {
  return (
    srv.rdbLastBgsaveStatus === 'err' &&
    (srv.config.other['stop-writes-on-bgsave-error'] ?? 'yes') === 'yes' &&
    saveParamsConfigured(srv)
  )
}

/**
 * checkChildrenDone for an AOF rewrite's child: its "Fork CoW" line on success, then
 * aof.c backgroundRewriteDoneHandler.
 */
function aofChildDone(srv: ServerState, exitcode: number, bysignal: number): void {
  const child = srv.child
  if (child === null) return
  let peak = 0
  if (bysignal === 0 && exitcode === 0) {
    const cow = childMeasureCow(child)
    const mb = (n: number) => String(Math.floor(n / 2 ** 20))
    rdbLogNotice(
      srv,
      `Fork CoW for AOF rewrite: current ${mb(cow)} MB, peak ${mb(child.cowPeak)} MB, average ${mb(child.cowSum / child.cowSamples)} MB`,
      child.pid,
    )
    peak = child.cowPeak
  }
  backgroundRewriteDoneHandler(srv, exitcode, bysignal, peak)
}

/** rdb.c rdbRemoveTempFile: temp-<pid>.rdb goes (a host with processes only). */
export function rdbRemoveTempFile(srv: ServerState, pid: number): void {
  disks.get(srv)?.children?.removeTempFile(pid, rdbDir(srv))
}

/**
 * rdb.c killRDBChild (FLUSHALL, shutdown): a real child gets SIGUSR1 and is reaped by cron
 * like any other ("all the cleanup operations is done by checkChildrenDone"); a modelled one
 * is gone at once, its file never written.
 */
export function killRDBChild(srv: ServerState): void {
  const child = srv.child
  if (child === null || child.type !== 'rdb') return
  if (child.replication !== null) {
    rdbBackgroundSaveDone(srv, -1, SIGUSR1)
    return
  }
  const children = disks.get(srv)?.children
  if (children !== undefined) {
    children.kill(child.pid)
    return
  }
  srv.child = null
  updateDictResizePolicy(srv)
}

/** A startup load under way (rdbStartLoading). */
export interface RdbLoading {
  /**
   * Loads keys until `bytes` more of the file are read (loading-process-events-interval-
   * bytes) or the file ends: 'more' while keys remain, then 'done' or 'failed' (the lines
   * saying why are logged; the host exits with status 1). `keys`: how many it read.
   */
  step(bytes: number): { readonly keys: number; readonly state: 'more' | 'done' | 'failed' }
}

/**
 * server.c loadDataFromDisk → rdb.c rdbLoad for the file a host read at startup: the file
 * is parsed (a file that cannot be is logged and null returned: the host exits with status
 * 1, as redis-server does), then server.loading is on (INFO loading:1, -LOADING to commands
 * without the `loading` flag) while the host loads the keys step by step, serving clients
 * between steps. The dataset's image is kept as the one DEBUG RELOAD NOSAVE reads.
 */
export function rdbStartLoading(
  srv: ServerState,
  ctx: ExecContext,
  rdb: string,
): RdbLoading | null {
  const log: ServerLogLine[] = []
  const nowSec = Math.floor(ctx.clock.now() / 1000)
  const read = rdbLoadFile(srv, rdb, nowSec, log)
  const disk = disks.get(srv)
  for (const line of log) disk?.log(line)
  if (!read.ok) {
    if (read.fatal === 'einval')
      rdbLogWarning(srv, 'Fatal error loading the DB: Invalid argument. Exiting.')
    return null
  }
  const image: RdbImage = { dbs: read.dbs, aux: read.aux }
  const loading = {
    startTime: nowSec,
    totalBytes: rdb.length,
    rdbUsedMem: read.usedMem,
    loadedBytes: 0,
  }
  srv.loading = loading
  // A master always creates its backlog first: the DELs of expired keys go there.
  const master = srv.repl.masterhost === null
  if (master && !srv.repl.backlog) createReplicationBacklog(srv)
  const keys = rdbLoadImageKeys(srv, ctx, image, false, master)
  let index = 0
  const finish = (ok: boolean): 'done' | 'failed' => {
    // stopLoading.
    srv.loading = null
    if (!ok) {
      rdbLogWarning(srv, 'Duplicated key found in RDB file')
      return 'failed'
    }
    srv.rdbImage = image
    rdbLogLoadDone(srv, read.emptyKeysSkipped)
    rdbRestoreReplInfo(srv, read.aux)
    return 'done'
  }
  return {
    step: (bytes) => {
      const until = loading.loadedBytes + bytes
      let n = 0
      for (;;) {
        const r = keys.next()
        if (r.done === true) {
          loading.loadedBytes = rdb.length
          return { keys: n, state: finish(r.value) }
        }
        loading.loadedBytes = read.keyEnds[index++] ?? loading.loadedBytes
        n++
        if (loading.loadedBytes >= until) return { keys: n, state: 'more' }
      }
    },
  }
}

/**
 * rdb.c rdbLoad of `dbfilename` for DEBUG RELOAD, when the host can read it (RdbDisk.read):
 * whether it loaded; `merge` keeps the keys already there, replacing those the file has.
 * Its lines are logged as redis-server logs them. A file that cannot be opened, or is not a
 * valid RDB file, is an error (a client's load does not exit); one with a db this server has
 * not, or with duplicate keys, ends the process.
 * Null without a file to read (no disk, or one that cannot read back).
 */
export function rdbLoadFromDisk(
  srv: ServerState,
  ctx: ExecContext,
  merge: boolean,
): boolean | null {
  const disk = disks.get(srv)
  if (disk?.read === undefined) return null
  const rdb = disk.read(rdbDir(srv), rdbFilename(srv))
  if (rdb === null) return false
  const log: ServerLogLine[] = []
  const read = rdbLoadFile(srv, rdb, Math.floor(ctx.clock.now() / 1000), log, true)
  for (const line of log) disk.log(line)
  if (!read.ok) {
    if (read.fatal === 'exit') disk.exit?.(1)
    return false
  }
  const image: RdbImage = { dbs: read.dbs, aux: read.aux }
  if (!rdbLoadImage(srv, ctx, image, merge)) {
    rdbLogWarning(srv, 'Duplicated key found in RDB file')
    disk.exit?.(1)
    return false
  }
  srv.rdbImage = image
  rdbLogLoadDone(srv, read.emptyKeysSkipped)
  return true
}

/**
 * rdbStartLoading run to its end at once: true when loaded, false when the host must exit
 * with status 1.
 */
export function rdbLoadFromFile(srv: ServerState, ctx: ExecContext, rdb: string): boolean {
  const loading = rdbStartLoading(srv, ctx, rdb)
  if (loading === null) return false
  for (;;) {
    const { state } = loading.step(Infinity)
    if (state !== 'more') return state === 'done'
  }
}

/** The SHUTDOWN options that decide whether the final save is made (server.h SHUTDOWN_*). */
export interface ShutdownFlags {
  readonly save: boolean
  readonly nosave: boolean
  readonly force: boolean
}

/** config.c shutdown-on-sigint / shutdown-on-sigterm: the flags a signal shuts down with. */
export function shutdownFlagsOnSignal(
  srv: ServerState,
  signal: 'SIGINT' | 'SIGTERM',
): ShutdownFlags {
  const name = signal === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm'
  const words = new Set((srv.config.other[name] ?? 'default').split(' '))
  return { save: words.has('save'), nosave: words.has('nosave'), force: words.has('force') }
}

/**
 * The final save of a shutdown, for a host that writes it in steps (rdbSave's rioWrite and
 * rdbSaveKeyValuePair's rdb-key-save-delay, its event loop turning meanwhile, so a second
 * SIGINT can insist): `job` is the file, temp-<server pid>.rdb renamed over `dbfilename`.
 */
export interface ShutdownSave {
  readonly job: RdbSaveJob
  /**
   * The file was written (`ok`), or not: true when the shutdown goes on, false when it is
   * cancelled (the lines logged, as finishShutdown's).
   */
  done(ok: boolean): boolean
}

/**
 * server.c finishShutdown, its persistence part: a saving child is killed, then with save
 * points configured (and no NOSAVE) or with SAVE the final RDB file is written. False when
 * it could not be and FORCE was not given: the shutdown is cancelled (the lines are logged).
 */
export function finishShutdown(srv: ServerState, ctx: ExecContext, how: ShutdownFlags): boolean {
  return finishShutdownWith(srv, ctx, how, (saved) => saved(rdbSave(srv, ctx) !== null))
}

/**
 * finishShutdown with the final save left to the host (when it has a disk): the save to
 * write and what follows it (ShutdownSave), or true or false at once as finishShutdown's
 * when no save is due or the shutdown stopped before it.
 */
export function finishShutdownInSteps(
  srv: ServerState,
  ctx: ExecContext,
  how: ShutdownFlags,
): boolean | ShutdownSave {
  return finishShutdownWith(srv, ctx, how, (saved): boolean | ShutdownSave => {
    if (disks.get(srv) === undefined) return saved(rdbSave(srv, ctx) !== null)
    const { job, aux } = rdbSaveJob(srv, ctx)
    return {
      job,
      done: (ok) => {
        if (ok) rdbSaveDone(srv, ctx, aux)
        return saved(ok)
      },
    }
  })
}

/**
 * finishShutdown up to the final save, which `save` makes, given what follows a save that
 * succeeded or failed (`saved`: whether the shutdown goes on).
 */
function finishShutdownWith<T>(
  srv: ServerState,
  ctx: ExecContext,
  how: ShutdownFlags,
  save: (saved: (ok: boolean) => boolean) => T,
): boolean | T {
  // prepareForShutdown: never save a half-loaded dataset over the file.
  const flags = srv.loading === null ? how : { save: false, nosave: true, force: how.force }
  const child = srv.child
  if (child?.type === 'rdb') {
    rdbLogWarning(srv, 'There is a child saving an .rdb. Killing it!')
    killRDBChild(srv)
    // The exit never reaches backgroundSaveDoneHandler: its temp file goes now.
    rdbRemoveTempFile(srv, child.pid)
  }
  // The AOF we have may be longer, but holds the whole dataset: the rewrite is killed, unless
  // it is the first one (appendonly just turned on), whose loss would lose the dataset.
  if (child?.type === 'aof') {
    if (srv.aof.state === 'wait_rewrite') {
      if (flags.force) rdbLogWarning(srv, 'Writing initial AOF. Exit anyway.')
      else {
        rdbLogWarning(srv, "Writing initial AOF, can't exit.")
        rdbLogWarning(
          srv,
          'Errors trying to shut down the server. Check the logs for more information.',
        )
        return false
      }
    }
    rdbLogWarning(srv, 'There is a child rewriting the AOF. Killing it!')
    killAppendOnlyChild(srv)
  }
  if (srv.aof.state !== 'off') {
    rdbLogNotice(srv, 'Calling fsync() on the AOF file.')
    flushAppendOnlyFile(srv)
  }
  if (!((saveParamsConfigured(srv) && !flags.nosave) || flags.save)) return true
  rdbLogNotice(srv, 'Saving the final RDB snapshot before exiting.')
  // What follows the save: on, or (its failure logged) cancelled unless FORCE.
  const saved = (ok: boolean): boolean => {
    if (ok) return true
    if (flags.force) {
      rdbLogWarning(srv, 'Error trying to save the DB. Exit anyway.')
      return true
    }
    rdbLogWarning(srv, "Error trying to save the DB, can't exit.")
    rdbLogWarning(
      srv,
      'Errors trying to shut down the server. Check the logs for more information.',
    )
    return false
  }
  return save(saved)
}

/**
 * rdbSave's file as of now (its AUX fields, the offset after each key in `keyEnds`) and
 * where it goes: the job a host writes in steps.
 */
function rdbSaveJob(
  srv: ServerState,
  ctx: ExecContext,
): { readonly job: RdbSaveJob; readonly aux: readonly RdbAuxField[] } {
  const aux = rdbSaveAuxFields(srv, ctx)
  const keyEnds: number[] = []
  return {
    job: {
      rdb: rdbFileOfDataset(srv, ctx, keyEnds, aux),
      keyEnds,
      dir: rdbDir(srv),
      dbfilename: rdbFilename(srv),
      keySaveDelay: Number(srv.config.other['rdb-key-save-delay'] ?? '0'),
    },
    aux,
  }
}

/**
 * readSyncBulkPayload's disk part for a replica that does not load diskless: the payload
 * becomes `dbfilename` (through temp-<unixtime>.<pid>.rdb), so a restart loads it. False
 * when that failed (logged, as Redis logs it).
 */
export function rdbSaveSyncPayload(srv: ServerState, payload: string): boolean {
  const disk = disks.get(srv)
  if (disk?.saveSyncFile === undefined) return true
  const bytes = new Uint8Array(payload.length)
  for (let i = 0; i < payload.length; i++) bytes[i] = payload.charCodeAt(i)
  const tmp = `temp-${String(srv.unixtime)}.${String(srv.processId)}.rdb`
  const failed = disk.saveSyncFile(bytes, rdbDir(srv), tmp, rdbFilename(srv))
  if (failed === null) return true
  rdbLogWarning(
    srv,
    failed.step === 'write'
      ? `Write error saving DB on disk: ${failed.error}`
      : `Failed trying to rename the temp DB into ${rdbFilename(srv)} in MASTER <-> REPLICA synchronization: ${failed.error}`,
  )
  return false
}

/**
 * rdb-del-sync-files with persistence disabled (no save points, no AOF): the file a sync
 * left is removed once loaded.
 */
export function rdbRemoveSyncFile(srv: ServerState): void {
  if (srv.config.other['rdb-del-sync-files'] !== 'yes' || saveParamsConfigured(srv)) return
  if (srv.aof.state !== 'off') return
  rdbLogNotice(
    srv,
    'Removing the RDB file obtained from the master. This replica has persistence disabled',
  )
  disks.get(srv)?.unlinkFile?.(rdbDir(srv), rdbFilename(srv))
}
