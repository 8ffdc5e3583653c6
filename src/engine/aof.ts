/**
 * Redis 7.0's multi-part append-only file (aof.c; server.c loadDataFromDisk, serverCron,
 * beforeSleep; config.c updateAppendonly). The files live in `appenddirname`: a BASE file (an
 * RDB preamble, or commands with aof-use-rdb-preamble no), INCR files that take every
 * propagated write, and the manifest `<appendfilename>.manifest` that lists them (HISTORY
 * files are the ones a rewrite replaced, deleted unless aof-disable-auto-gc).
 *
 * The engine writes no file itself: a host with a disk (`npm run serve`) sets an AofDisk
 * (setAofDisk), and every file operation Redis makes goes through it, with Redis's log lines
 * and errors. Without one (the browser) the state machine runs alone (INFO's aof_* fields,
 * BGREWRITEAOF's replies) and nothing is written.
 *
 * What is written is what feedAppendOnlyFile writes: the replication stream's commands
 * (replication.ts builds them: SET EX rewritten to PXAT, expired keys as DEL, MULTI/EXEC around
 * a unit of several), with a SELECT whenever the db changes (server.aof_selected_db, its own)
 * and, with aof-timestamp-enabled, a "#TS:<unixtime>" annotation when the second moved. The
 * buffer is written out after each command (beforeSleep's flushAppendOnlyFile); fsync is the
 * host's business (appendfsync only changes what INFO would show, which shows nothing of it).
 *
 * BGREWRITEAOF forks a child as BGSAVE does (rdb.ts: a real process with a host that runs
 * them, else a modelled one), which writes temp-rewriteaof-bg-<pid>.aof; the parent opened a
 * new INCR file at the fork, and when the child ends well, renames the temp file into the
 * next BASE, marks the old BASE and INCR files history and persists the manifest.
 */
import type { ExecContext } from './context.ts'
import type { Client, ServerState } from './state.ts'
import { rdbDisk, rdbFileOfDataset, redisFork, updateDictResizePolicy } from './rdb.ts'
import { rdbLoadFile, type RdbAuxField, type ServerLogLine } from './rdbDecode.ts'
import { rdbLoadImageKeys, type RdbImage } from './rdbReload.ts'
import { bytesToByteString } from './rdbEncode.ts'
import { serverLog, type LogLevel } from './serverLog.ts'
import { sdssplitargs } from './resp.ts'
import { sdsRepr } from './commands/monitor.ts'
import { callDispatch, lookupDispatch } from './call.ts'
import { unlinkClient } from './commands/connection.ts'
import { emptyData, getExpireExact } from './keyspace/db.ts'
import { dictForEach, dictSize } from './structures/dict.ts'
import { zmallocUsedMemory } from './keyspace/memory.ts'
import { formatG } from './util/numbers.ts'
import { hashTypeEntries, type HashObject } from './types/t_hash.ts'
import { setTypeMembers, type SetObject } from './types/t_set.ts'
import { zsetEntries, type ZsetObject } from './types/t_zset.ts'
import { listTypeRange, type ListObject } from './types/t_list.ts'
import {
  streamDecodeID,
  streamIDString,
  streamIteratorGetFields,
  streamIteratorGetID,
  streamIteratorStart,
  type Stream,
  type StreamID,
  type StreamNACK,
  type StreamObject,
} from './types/t_stream.ts'
import { raxFind, raxForEach, raxSize } from './structures/rax.ts'
import { getDecodedString, type RedisObject } from './types/object.ts'

// --- State ---

/** One line of the manifest (aofInfo). */
export interface AofInfo {
  readonly name: string
  readonly seq: number
  /** 'b' base, 'h' history, 'i' incr (AOF_FILE_TYPE_*). */
  readonly type: 'b' | 'h' | 'i'
}

/** aofManifest. */
export interface AofManifest {
  base: AofInfo | null
  incr: AofInfo[]
  history: AofInfo[]
  currBaseSeq: number
  currIncrSeq: number
  dirty: boolean
}

/** The AOF fields of `server` (server.h). */
export interface AofState {
  /** server.aof_state: AOF_OFF, AOF_ON, AOF_WAIT_REWRITE. */
  state: 'off' | 'on' | 'wait_rewrite'
  /** server.aof_selected_db: -1 forces a SELECT. */
  selectedDb: number
  /** server.aof_buf (a byte string). */
  buf: string
  manifest: AofManifest
  /** server.aof_fd: the file appended to (a name in appenddirname), null for -1. */
  fd: string | null
  lastIncrSize: number
  currentSize: number
  rewriteBaseSize: number
  rewriteScheduled: boolean
  /** aof_rewrite_time_start (unix s, -1 when none runs) and aof_rewrite_time_last. */
  rewriteTimeStart: number
  rewriteTimeLast: number
  lastBgrewriteOk: boolean
  lastWriteOk: boolean
  /** stat_aof_rewrites, stat_aofrw_consecutive_failures, stat_aof_cow_bytes. */
  rewrites: number
  consecutiveFailures: number
  lastCowSize: number
  /** server.aof_cur_timestamp. */
  curTimestamp: number
  /** aofRewriteLimited's statics. */
  nextDelayMinutes: number
  nextRewriteTime: number
  /** DEBUG AOF-FLUSH-SLEEP (µs). */
  flushSleep: number
  /** The fake client replaying the AOF (CLIENT_ID_AOF), while one does. */
  loadingClient: number | null
}

export function createAofManifest(): AofManifest {
  return { base: null, incr: [], history: [], currBaseSeq: 0, currIncrSeq: 0, dirty: false }
}

/** initServerConfig + initServer: server.aof_state from `appendonly`. */
export function createAofState(enabled: boolean): AofState {
  return {
    state: enabled ? 'on' : 'off',
    selectedDb: -1,
    buf: '',
    manifest: createAofManifest(),
    fd: null,
    lastIncrSize: 0,
    currentSize: 0,
    rewriteBaseSize: 0,
    rewriteScheduled: false,
    rewriteTimeStart: -1,
    rewriteTimeLast: -1,
    lastBgrewriteOk: true,
    lastWriteOk: true,
    rewrites: 0,
    consecutiveFailures: 0,
    lastCowSize: 0,
    curTimestamp: 0,
    nextDelayMinutes: 0,
    nextRewriteTime: 0,
    flushSleep: 0,
    loadingClient: null,
  }
}

/** server.c mustObeyClient: the AOF's fake client (there is never a master client here). */
export function mustObeyClient(srv: ServerState, c: Client): boolean {
  return srv.aof.loadingClient === c.id
}

// --- The host's files ---

/** A failed system call: its strerror text, and whether errno was ENOENT. */
export interface AofFsError {
  readonly error: string
  readonly enoent: boolean
}

/**
 * The file system as aof.c uses it, paths relative to the server's working directory (`dir`).
 * Each operation returns its failure (strerror), or null / the value on success.
 */
export interface AofDisk {
  /** The server's pid (getpid() names the startup rewrite's temp file). */
  readonly pid: number
  /** stat(): the size, or the failure. */
  stat(path: string): number | AofFsError
  /** dirExists. */
  isDir(path: string): boolean
  /** The whole file as a byte string (fopen + fread), or the failure. */
  read(path: string): string | AofFsError
  /** open(O_WRONLY|O_CREAT, O_TRUNC when `truncate`, else O_APPEND): the failure or null. */
  open(path: string, truncate: boolean): AofFsError | null
  /** write(2) of `data` at the end of `path` (opened before): the failure or null. */
  append(path: string, data: string): AofFsError | null
  rename(from: string, to: string): AofFsError | null
  /** bg_unlink (errors ignored). */
  unlink(path: string): void
  /** dirCreateIfMissing. */
  mkdir(path: string): AofFsError | null
  truncate(path: string, len: number): AofFsError | null
  /** exit(code): the process ends (a fatal AOF error). */
  exit(code: number): never
}

const disks = new WeakMap<ServerState, AofDisk>()

/** The host's files for the AOF (`npm run serve`), or none. */
export function setAofDisk(srv: ServerState, disk: AofDisk | null): void {
  if (disk === null) disks.delete(srv)
  else disks.set(srv, disk)
}

function isError(v: unknown): v is AofFsError {
  return typeof v === 'object' && v !== null && 'error' in v
}

function log(srv: ServerState, level: LogLevel, text: string): void {
  serverLog(srv, level, text)
}

function cfg(srv: ServerState, name: string, def: string): string {
  return srv.config.other[name] ?? def
}

function aofFilename(srv: ServerState): string {
  return cfg(srv, 'appendfilename', 'appendonly.aof')
}

function aofDirname(srv: ServerState): string {
  return cfg(srv, 'appenddirname', 'appendonlydir')
}

/** makePath(server.aof_dirname, name). */
function aofPath(srv: ServerState, name: string): string {
  return `${aofDirname(srv)}/${name}`
}

function rdbPreambleOn(srv: ServerState): boolean {
  return cfg(srv, 'aof-use-rdb-preamble', 'yes') === 'yes'
}

/** server.aof_enabled: the `appendonly` config. */
export function aofEnabled(srv: ServerState): boolean {
  return cfg(srv, 'appendonly', 'no') === 'yes'
}

// --- Manifest ---

/** sds.c sdsneedsrepr. */
function sdsNeedsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07)
      return true
    if (c === 0x08 || c < 0x20 || c > 0x7e || c === 0x20 || c === 0x0b || c === 0x0c) return true
  }
  return false
}

/** aofInfoFormat. */
function aofInfoFormat(ai: AofInfo): string {
  const name = sdsNeedsRepr(ai.name) ? sdsRepr(ai.name) : ai.name
  return `file ${name} seq ${String(ai.seq)} type ${ai.type}\n`
}

/** getAofManifestAsString: BASE, then HISTORY, then INCR. */
export function getAofManifestAsString(am: AofManifest): string {
  let buf = am.base === null ? '' : aofInfoFormat(am.base)
  for (const ai of am.history) buf += aofInfoFormat(ai)
  for (const ai of am.incr) buf += aofInfoFormat(ai)
  return buf
}

function manifestName(srv: ServerState): string {
  return `${aofFilename(srv)}.manifest`
}

/** The fatal manifest error: its lines (loaderr), then the process exits with status 1. */
export class AofFatal extends Error {}

const MANIFEST_MAX_LINE = 1024

/**
 * aofLoadManifestFromFile: each line "file <name> seq <n> type <b|h|i>" (more pairs allowed),
 * read with fgets(1025); '#' lines skipped. Errors are logged as loaderr does, then AofFatal.
 */
export function aofLoadManifestFromFile(srv: ServerState, path: string): AofManifest {
  const disk = disks.get(srv)
  const text = disk === undefined ? '' : disk.read(path)
  if (isError(text)) {
    log(
      srv,
      'warning',
      `Fatal error: can't open the AOF manifest file ${path} for reading: ${text.error}`,
    )
    throw new AofFatal()
  }
  const am = createAofManifest()
  let maxseq = 0
  let linenum = 0
  let pos = 0
  let line: string | null = null
  const fail = (err: string): never => {
    log(srv, 'warning', '\n*** FATAL AOF MANIFEST FILE ERROR ***\n')
    if (line !== null) {
      log(srv, 'warning', `Reading the manifest file, at line ${String(linenum)}\n`)
      log(srv, 'warning', `>>> '${line}'\n`)
    }
    log(srv, 'warning', `${err}\n`)
    throw new AofFatal()
  }
  for (;;) {
    if (pos >= text.length) {
      if (linenum === 0) fail('Found an empty AOF manifest')
      break
    }
    // fgets: up to a newline or MANIFEST_MAX_LINE bytes.
    const nl = text.indexOf('\n', pos)
    const stop = Math.min(nl === -1 ? text.length : nl + 1, pos + MANIFEST_MAX_LINE)
    const buf = text.slice(pos, stop)
    pos = stop
    linenum++
    if (buf.startsWith('#')) continue
    // sdsnew(buf): a C string, cut at a NUL.
    const cbuf = buf.includes('\0') ? buf.slice(0, buf.indexOf('\0')) : buf
    if (!buf.includes('\n')) fail('The AOF manifest file contains too long line')
    line = cbuf.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
    if (line.length === 0) fail('Invalid AOF manifest file format')
    const argv = sdssplitargs(line)
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0)
      fail('Invalid AOF manifest file format')
    let name: string | null = null
    let seq = 0
    let type = ''
    const args = argv ?? []
    for (let i = 0; i < args.length; i += 2) {
      const k = (args[i] ?? '').toLowerCase()
      const v = args[i + 1] ?? ''
      if (k === 'file') {
        name = v
        if (name.includes('/')) fail("File can't be a path, just a filename")
      } else if (k === 'seq') seq = atoll(v)
      else if (k === 'type') type = v.charAt(0)
    }
    if (name === null || name === '' || seq === 0 || type === '')
      fail('Invalid AOF manifest file format')
    const ai = { name: name ?? '', seq, type } as AofInfo
    if (type === 'b') {
      if (am.base !== null) fail('Found duplicate base file information')
      am.base = ai
      am.currBaseSeq = seq
    } else if (type === 'h') am.history.push(ai)
    else if (type === 'i') {
      if (seq <= maxseq) fail('Found a non-monotonic sequence number')
      am.incr.push(ai)
      am.currIncrSeq = seq
      maxseq = seq
    } else fail('Unknown AOF file type')
    line = null
  }
  return am
}

/** atoll: leading blanks, a sign, then digits. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s)
  return m === null ? 0 : Number(m[1])
}

/**
 * aofLoadManifestFromDisk: the manifest in appenddirname, when there is one (AofFatal when it
 * cannot be read or parsed: the host exits with status 1).
 */
export function aofLoadManifestFromDisk(srv: ServerState): void {
  const aof = srv.aof
  aof.manifest = createAofManifest()
  const disk = disks.get(srv)
  if (disk === undefined) return
  if (!disk.isDir(aofDirname(srv))) {
    log(srv, 'debug', `The AOF directory ${aofDirname(srv)} doesn't exist`)
    return
  }
  const name = manifestName(srv)
  const path = aofPath(srv, name)
  if (isError(disk.stat(path))) {
    log(srv, 'debug', `The AOF manifest file ${name} doesn't exist`)
    return
  }
  aof.manifest = aofLoadManifestFromFile(srv, path)
}

function dupManifest(am: AofManifest): AofManifest {
  return { ...am, incr: am.incr.slice(), history: am.history.slice() }
}

/** getNewBaseFileNameAndMarkPreAsHistory. */
function getNewBaseFileNameAndMarkPreAsHistory(srv: ServerState, am: AofManifest): string {
  if (am.base !== null) am.history.unshift({ ...am.base, type: 'h' })
  const suffix = rdbPreambleOn(srv) ? '.rdb' : '.aof'
  const seq = ++am.currBaseSeq
  am.base = { name: `${aofFilename(srv)}.${String(seq)}.base${suffix}`, seq, type: 'b' }
  am.dirty = true
  return am.base.name
}

/** getNewIncrAofName. */
function getNewIncrAofName(srv: ServerState, am: AofManifest): string {
  const seq = ++am.currIncrSeq
  const ai: AofInfo = { name: `${aofFilename(srv)}.${String(seq)}.incr.aof`, seq, type: 'i' }
  am.incr.push(ai)
  am.dirty = true
  return ai.name
}

function getTempIncrAofName(srv: ServerState): string {
  return `temp-${aofFilename(srv)}.incr`
}

/** getLastIncrAofName. */
function getLastIncrAofName(srv: ServerState, am: AofManifest): string {
  const last = am.incr[am.incr.length - 1]
  return last === undefined ? getNewIncrAofName(srv, am) : last.name
}

/** markRewrittenIncrAofAsHistory: every INCR but the one being written becomes history. */
function markRewrittenIncrAofAsHistory(srv: ServerState, am: AofManifest): void {
  if (am.incr.length === 0) return
  const keep = srv.aof.fd !== null ? am.incr.slice(-1) : []
  const moved = srv.aof.fd !== null ? am.incr.slice(0, -1) : am.incr
  // Walked from the tail, each added at the head: the history keeps their order.
  for (let i = moved.length - 1; i >= 0; i--) {
    const ai = moved[i] as AofInfo
    am.history.unshift({ ...ai, type: 'h' })
  }
  am.incr = keep
  am.dirty = true
}

/** writeAofManifestFile: a temp manifest written, then renamed over the manifest. */
function writeAofManifestFile(srv: ServerState, buf: string): boolean {
  const disk = disks.get(srv)
  if (disk === undefined) return true
  const amName = manifestName(srv)
  const tmpName = `temp-${amName}`
  const tmpPath = aofPath(srv, tmpName)
  const opened = disk.open(tmpPath, true)
  if (opened !== null) {
    log(srv, 'warning', `Can't open the AOF manifest file ${tmpName}: ${opened.error}`)
    return false
  }
  const w = disk.append(tmpPath, buf)
  if (w !== null) {
    log(
      srv,
      'warning',
      `Error trying to write the temporary AOF manifest file ${tmpName}: ${w.error}`,
    )
    return false
  }
  const r = disk.rename(tmpPath, aofPath(srv, amName))
  if (r !== null) {
    log(
      srv,
      'warning',
      `Error trying to rename the temporary AOF manifest file ${tmpName} into ${amName}: ${r.error}`,
    )
    return false
  }
  return true
}

/** persistAofManifest: written when it changed. */
function persistAofManifest(srv: ServerState, am: AofManifest): boolean {
  if (!am.dirty) return true
  const ok = writeAofManifestFile(srv, getAofManifestAsString(am))
  if (ok) am.dirty = false
  return ok
}

/**
 * aofUpgradePrepare: an old-style appendonly.aof in `dir` becomes the BASE of a new manifest
 * in appenddirname, and is moved there.
 */
function aofUpgradePrepare(srv: ServerState, disk: AofDisk, am: AofManifest): void {
  const dirname = aofDirname(srv)
  const mk = disk.mkdir(dirname)
  if (mk !== null) {
    log(srv, 'warning', `Can't open or create append-only dir ${dirname}: ${mk.error}`)
    throw new AofFatal()
  }
  const filename = aofFilename(srv)
  am.base = { name: filename, seq: 1, type: 'b' }
  am.currBaseSeq = 1
  am.dirty = true
  if (!persistAofManifest(srv, am)) throw new AofFatal()
  const r = disk.rename(filename, aofPath(srv, filename))
  if (r !== null) {
    log(
      srv,
      'warning',
      `Error trying to move the old AOF file ${filename} into dir ${dirname}: ${r.error}`,
    )
    throw new AofFatal()
  }
  log(
    srv,
    'notice',
    `Successfully migrated an old-style AOF file (${filename}) into the AOF directory (${dirname}).`,
  )
}

/** aofDelHistoryFiles: history files go (unless aof-disable-auto-gc), the manifest is saved. */
export function aofDelHistoryFiles(srv: ServerState): boolean {
  const am = srv.aof.manifest
  if (cfg(srv, 'aof-disable-auto-gc', 'no') === 'yes' || am.history.length === 0) return true
  const disk = disks.get(srv)
  for (const ai of am.history) {
    log(srv, 'notice', `Removing the history file ${ai.name} in the background`)
    disk?.unlink(aofPath(srv, ai.name))
  }
  am.history = []
  am.dirty = true
  return persistAofManifest(srv, am)
}

/** aofDelTempIncrAofFile. */
function aofDelTempIncrAofFile(srv: ServerState): void {
  const name = getTempIncrAofName(srv)
  log(srv, 'notice', `Removing the temp incr aof file ${name} in the background`)
  disks.get(srv)?.unlink(aofPath(srv, name))
}

// --- Writing ---

/** catAppendOnlyGenericCommand. */
function catCommand(argv: readonly string[]): string {
  let s = `*${String(argv.length)}\r\n`
  for (const a of argv) s += `$${String(a.length)}\r\n${a}\r\n`
  return s
}

/** genAofTimestampAnnotationIfNeeded. */
function timestampAnnotation(srv: ServerState, force: boolean, nowSec: number): string {
  const aof = srv.aof
  if (force || aof.curTimestamp < srv.unixtime) {
    aof.curTimestamp = force ? nowSec : srv.unixtime
    return `#TS:${String(aof.curTimestamp)}\r\n`
  }
  return ''
}

/** feedAppendOnlyFile: one propagated command into server.aof_buf. */
export function feedAppendOnlyFile(srv: ServerState, dbid: number, argv: readonly string[]): void {
  const aof = srv.aof
  let buf = ''
  if (cfg(srv, 'aof-timestamp-enabled', 'no') === 'yes')
    buf += timestampAnnotation(srv, false, srv.unixtime)
  if (dbid !== aof.selectedDb) {
    const id = String(dbid)
    buf += `*2\r\n$6\r\nSELECT\r\n$${String(id.length)}\r\n${id}\r\n`
    aof.selectedDb = dbid
  }
  buf += catCommand(argv)
  if (aof.state === 'on' || (aof.state === 'wait_rewrite' && srv.child?.type === 'aof'))
    aof.buf += buf
}

/** The state the writes of this command go to the AOF in (shouldPropagate's AOF part). */
export function aofPropagates(srv: ServerState): boolean {
  return srv.aof.state !== 'off'
}

/**
 * flushAppendOnlyFile (beforeSleep): the buffer written at the end of the open file. A failed
 * write keeps the buffer and sets aof_last_write_status err (writes are then refused with
 * MISCONF), until a write succeeds again.
 */
export function flushAppendOnlyFile(srv: ServerState): void {
  const aof = srv.aof
  if (aof.buf.length === 0) return
  const disk = disks.get(srv)
  if (disk !== undefined && aof.fd !== null) {
    const err = disk.append(aofPath(srv, aof.fd), aof.buf)
    if (err !== null) {
      log(srv, 'warning', `Error writing to the AOF file: ${err.error}`)
      if (cfg(srv, 'appendfsync', 'everysec') === 'always') {
        log(
          srv,
          'warning',
          "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
        )
        throw new AofFatal()
      }
      aof.lastWriteOk = false
      return
    }
    if (!aof.lastWriteOk) {
      log(srv, 'warning', 'AOF write error looks solved, Redis can write again.')
      aof.lastWriteOk = true
    }
  }
  aof.currentSize += aof.buf.length
  aof.lastIncrSize += aof.buf.length
  aof.buf = ''
}

/** beforeSleep's AOF part. */
export function aofBeforeSleep(srv: ServerState): void {
  if (srv.aof.state !== 'off') flushAppendOnlyFile(srv)
}

// --- Rewrite: the dataset as a file ---

/** AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64

function bulk(s: string): string {
  return `$${String(s.length)}\r\n${s}\r\n`
}

/** rioWriteBulkDouble: "%.17g". */
function bulkDouble(d: number): string {
  return bulk(d === Infinity ? 'inf' : d === -Infinity ? '-inf' : formatG(d, 17))
}

/** The variadic commands of rewriteListObject and friends, AOF_REWRITE_ITEMS_PER_CMD a time. */
function variadic(name: string, key: string, items: readonly string[][]): string {
  let out = ''
  for (let i = 0; i < items.length; i += ITEMS_PER_CMD) {
    const chunk = items.slice(i, i + ITEMS_PER_CMD)
    const width = chunk[0]?.length ?? 1
    out += `*${String(2 + chunk.length * width)}\r\n${bulk(name)}${bulk(key)}`
    for (const it of chunk) for (const s of it) out += s
  }
  return out
}

/** rewriteAppendOnlyFileRio's value part for one key, or null for a type it cannot write. */
function rewriteObject(key: string, o: RedisObject): string | null {
  switch (o.type) {
    case 'string': {
      const v = getDecodedString(o)
      return `*3\r\n$3\r\nSET\r\n${bulk(key)}${bulk(v)}`
    }
    case 'list':
      return variadic(
        'RPUSH',
        key,
        listTypeRange(o as ListObject, 0, -1, false).map((e) => [bulk(e)]),
      )
    case 'set':
      return variadic(
        'SADD',
        key,
        setTypeMembers(o as SetObject).map((m) => [bulk(m)]),
      )
    case 'zset':
      return variadic(
        'ZADD',
        key,
        zsetEntries(o as ZsetObject).map(([m, s]) => [bulkDouble(s), bulk(m)]),
      )
    case 'hash':
      return variadic(
        'HMSET',
        key,
        hashTypeEntries(o as HashObject).map(([f, v]) => [bulk(f), bulk(v)]),
      )
    case 'stream':
      return rewriteStreamObject(key, (o as StreamObject).ptr)
    default:
      return null
  }
}

/** rioWriteBulkStreamID. */
function bulkId(id: StreamID): string {
  return bulk(streamIDString(id))
}

/** A command of `args` bulks (rioWriteBulkCount then each). */
function cmd(...args: string[]): string {
  return `*${String(args.length)}\r\n${args.map(bulk).join('')}`
}

/**
 * rewriteStreamObject: XADD per entry (or XADD MAXLEN 0 for an empty stream), XSETID with
 * ENTRIESADDED and MAXDELETEDID, then per group XGROUP CREATE ... ENTRIESREAD, an XCLAIM per
 * pending entry (FORCE JUSTID, its delivery time and count) and XGROUP CREATECONSUMER for a
 * consumer with nothing pending.
 */
function rewriteStreamObject(key: string, s: Stream): string {
  let out = ''
  if (s.length !== 0) {
    const si = streamIteratorStart(s, null, null, false)
    for (let got = streamIteratorGetID(si); got !== null; got = streamIteratorGetID(si)) {
      const fields = streamIteratorGetFields(si, got.numfields)
      out += `*${String(3 + got.numfields * 2)}\r\n${bulk('XADD')}${bulk(key)}${bulkId(got.id)}`
      for (const f of fields) out += bulk(f)
    }
  } else out += cmd('XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y')
  out += cmd(
    'XSETID',
    key,
    streamIDString(s.lastId),
    'ENTRIESADDED',
    String(s.entriesAdded),
    'MAXDELETEDID',
    streamIDString(s.maxDeletedEntryId),
  )
  const groups = s.cgroups
  if (groups === null) return out
  raxForEach(groups, (name, group) => {
    out += cmd(
      'XGROUP',
      'CREATE',
      key,
      name,
      streamIDString(group.lastId),
      'ENTRIESREAD',
      String(group.entriesRead),
    )
    raxForEach(group.consumers, (cname, consumer) => {
      if (raxSize(consumer.pel) === 0) {
        out += cmd('XGROUP', 'CREATECONSUMER', key, name, cname)
        return
      }
      raxForEach(consumer.pel, (rawid) => {
        const nack = raxFind(group.pel, rawid) as StreamNACK
        out += cmd(
          'XCLAIM',
          key,
          name,
          consumer.name,
          '0',
          streamIDString(streamDecodeID(rawid)),
          'TIME',
          String(nack.deliveryTime),
          'RETRYCOUNT',
          String(nack.deliveryCount),
          'JUSTID',
          'FORCE',
        )
      })
    })
  })
  return out
}

/**
 * rewriteAppendOnlyFileRio (aof-use-rdb-preamble no): the dataset as commands, a SELECT per
 * non-empty db, then for each key its commands and a PEXPIREAT. Null when a key has a type it
 * cannot write (none today: the caller would save an RDB preamble instead).
 */
function rewriteAppendOnlyFileRio(
  srv: ServerState,
  ctx: ExecContext,
  nowSec: number,
  keyEnds: number[] | undefined,
): string | null {
  let out = ''
  if (cfg(srv, 'aof-timestamp-enabled', 'no') === 'yes')
    out += timestampAnnotation(srv, true, nowSec)
  for (const db of srv.dbs) {
    if (dictSize(db.dict) === 0) continue
    out += `*2\r\n$6\r\nSELECT\r\n${bulk(String(db.id))}`
    let failed = false
    dictForEach(db.dict, (key, o) => {
      if (failed) return
      const cmds = rewriteObject(key, o)
      if (cmds === null) {
        failed = true
        return
      }
      out += cmds
      const expire = getExpireExact(ctx, db, key)
      if (expire !== -1n) out += `*3\r\n$9\r\nPEXPIREAT\r\n${bulk(key)}${bulk(String(expire))}`
      keyEnds?.push(out.length)
    })
    if (failed) return null
  }
  return out
}

/** The RDB preamble's AUX fields (rdbSaveInfoAuxFields with RDBFLAGS_AOF_PREAMBLE). */
function preambleAux(srv: ServerState, ctx: ExecContext): RdbAuxField[] {
  return [
    ['redis-ver', '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(ctx.clock.now() / 1000))],
    ['used-mem', String(zmallocUsedMemory(srv))],
    ['aof-base', '1'],
  ]
}

/** rewriteAppendOnlyFile's content: an RDB preamble, or the commands. */
export function aofRewriteBytes(srv: ServerState, ctx: ExecContext, keyEnds?: number[]): string {
  if (!rdbPreambleOn(srv)) {
    const text = rewriteAppendOnlyFileRio(srv, ctx, Math.floor(ctx.clock.now() / 1000), keyEnds)
    if (text !== null) return text
    if (keyEnds !== undefined) keyEnds.length = 0
  }
  return bytesToByteString(rdbFileOfDataset(srv, ctx, keyEnds, preambleAux(srv, ctx)))
}

/** rewriteAppendOnlyFile in the server itself (the BASE created at startup). */
function rewriteAppendOnlyFile(srv: ServerState, ctx: ExecContext, path: string): boolean {
  const disk = disks.get(srv)
  if (disk === undefined) return true
  const tmp = `temp-rewriteaof-${String(disk.pid)}.aof`
  const opened = disk.open(tmp, true)
  if (opened !== null) {
    log(
      srv,
      'warning',
      `Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${opened.error}`,
    )
    return false
  }
  const w = disk.append(tmp, aofRewriteBytes(srv, ctx))
  if (w !== null) {
    log(srv, 'warning', `Write error writing append only file on disk: ${w.error}`)
    disk.unlink(tmp)
    return false
  }
  const r = disk.rename(tmp, path)
  if (r !== null) {
    log(srv, 'warning', `Error moving temp append only file on the final destination: ${r.error}`)
    disk.unlink(tmp)
    return false
  }
  return true
}

// --- Startup ---

/**
 * aofOpenIfNeededOnServerStart, after the load: with appendonly on, a BASE is created for an
 * empty start, the last INCR file opened (or a new one) and the manifest persisted. False
 * when Redis exits.
 */
export function aofOpenIfNeededOnServerStart(srv: ServerState, ctx: ExecContext): boolean {
  const aof = srv.aof
  const disk = disks.get(srv)
  if (aof.state !== 'on' || disk === undefined) return true
  const am = aof.manifest
  const dirname = aofDirname(srv)
  const mk = disk.mkdir(dirname)
  if (mk !== null) {
    log(srv, 'warning', `Can't open or create append-only dir ${dirname}: ${mk.error}`)
    return false
  }
  const incrLen = am.incr.length
  if (am.base === null && incrLen === 0) {
    const base = getNewBaseFileNameAndMarkPreAsHistory(srv, am)
    if (!rewriteAppendOnlyFile(srv, ctx, aofPath(srv, base))) return false
    log(srv, 'notice', `Creating AOF base file ${base} on server start`)
  }
  const name = getLastIncrAofName(srv, am)
  const opened = disk.open(aofPath(srv, name), false)
  if (opened !== null) {
    log(srv, 'warning', `Can't open the append-only file ${name}: ${opened.error}`)
    return false
  }
  aof.fd = name
  if (!persistAofManifest(srv, am)) return false
  const size = disk.stat(aofPath(srv, name))
  aof.lastIncrSize = isError(size) ? 0 : size
  log(
    srv,
    'notice',
    `${incrLen !== 0 ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`,
  )
  return true
}

/** loadSingleAppendOnlyFile's results (AOF_OK ... AOF_TRUNCATED). */
export type AofLoadStatus = 'ok' | 'not_exist' | 'empty' | 'open_err' | 'failed' | 'truncated'

/** Runs one command of the file as the AOF client (cmd->proc in its context). */
export type AofExec = (c: Client, argv: readonly string[]) => 'ok' | 'unknown'

/** What loading needs from the server: the fake client and a command runner. */
export interface AofLoader {
  createClient(): Client
  freeClient(c: Client): void
  exec: AofExec
}

const AOF_ANNOTATION_LINE_MAX_LEN = 1024

/**
 * loadSingleAppendOnlyFile: an RDB part first when the file starts with "REDIS" (a BASE, or
 * the preamble of an old-style file, then its tail), then the commands, each run by the fake
 * client. A file cut short is truncated to its last whole command with aof-load-truncated yes
 * (an unfinished MULTI counts as cut short).
 */
function loadSingleAppendOnlyFile(
  srv: ServerState,
  ctx: ExecContext,
  loader: AofLoader,
  filename: string,
): AofLoadStatus {
  const disk = disks.get(srv)
  if (disk === undefined) return 'not_exist'
  const path = aofPath(srv, filename)
  const p = disk.read(path)
  if (isError(p)) {
    if (!p.enoent) {
      log(
        srv,
        'warning',
        `Fatal error: can't open the append log file ${filename} for reading: ${p.error}`,
      )
      return 'open_err'
    }
    log(srv, 'warning', `The append log file ${filename} doesn't exist: ${p.error}`)
    return 'not_exist'
  }
  if (p.length === 0) return 'empty'
  const truncatedOk = cfg(srv, 'aof-load-truncated', 'yes') === 'yes'
  const oldState = srv.aof.state
  srv.aof.state = 'off'
  const fake = loader.createClient()
  let pos = 0
  let validUpTo = 0
  let validBeforeMulti = 0
  let ret: AofLoadStatus = 'ok'
  const done = (status: AofLoadStatus): AofLoadStatus => {
    loader.freeClient(fake)
    return status
  }
  if (p.startsWith('REDIS')) {
    const oldStyle = filename === aofFilename(srv)
    log(
      srv,
      'notice',
      oldStyle
        ? 'Reading RDB preamble from AOF file...'
        : 'Reading RDB base file on AOF loading...',
    )
    const lines: ServerLogLine[] = []
    const read = rdbLoadFile(srv, p, Math.floor(ctx.clock.now() / 1000), lines)
    for (const line of lines) rdbDisk(srv)?.log(line)
    let ok = read.ok
    if (read.ok) {
      const image: RdbImage = { dbs: read.dbs, aux: read.aux }
      const keys = rdbLoadImageKeys(srv, ctx, image, false)
      for (;;) {
        const r = keys.next()
        if (r.done === true) {
          ok = r.value
          break
        }
      }
      if (ok)
        log(
          srv,
          'notice',
          `Done loading RDB, keys loaded: ${String(srv.rdbLastLoadKeysLoaded)}, keys expired: ${String(srv.rdbLastLoadKeysExpired)}.`,
        )
      pos = read.end
    }
    if (!ok) {
      log(
        srv,
        'warning',
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${filename}, AOF loading aborted`
          : `Error reading the RDB base file ${filename}, AOF loading aborted`,
      )
      srv.aof.state = oldState
      return done('failed')
    }
    if (oldStyle) log(srv, 'notice', 'Reading the remaining AOF tail...')
  }
  // fgets(buf, AOF_ANNOTATION_LINE_MAX_LEN): a line, or as much of it as fits.
  const fgets = (): string | null => {
    if (pos >= p.length) return null
    const nl = p.indexOf('\n', pos)
    const stop = Math.min(nl === -1 ? p.length : nl + 1, pos + AOF_ANNOTATION_LINE_MAX_LEN - 1)
    const s = p.slice(pos, stop)
    pos = stop
    return s
  }
  const delay = Number(cfg(srv, 'key-load-delay', '0'))
  void delay
  let outcome: 'eof' | 'uxeof' | 'fmterr' | 'unknown' = 'eof'
  outer: for (;;) {
    const buf = fgets()
    if (buf === null) break
    if (buf.startsWith('#')) continue
    if (!buf.startsWith('*')) {
      outcome = 'fmterr'
      break
    }
    if (buf.length === 1) {
      outcome = 'uxeof'
      break
    }
    const argc = atoll(buf.slice(1))
    if (argc < 1) {
      outcome = 'fmterr'
      break
    }
    const argv: string[] = []
    for (let j = 0; j < argc; j++) {
      const lenLine = fgets()
      if (lenLine === null) {
        outcome = 'uxeof'
        break outer
      }
      if (!lenLine.startsWith('$')) {
        outcome = 'fmterr'
        break outer
      }
      const len = atoll(lenLine.slice(1))
      if (len > 0 && pos + len > p.length) {
        outcome = 'uxeof'
        break outer
      }
      argv.push(p.slice(pos, pos + len))
      pos += len
      // Discard CRLF (fread of 2: short at the end of the file).
      if (pos + 2 > p.length) {
        outcome = 'uxeof'
        break outer
      }
      pos += 2
    }
    if (argv[0]?.toLowerCase() === 'multi') validBeforeMulti = validUpTo
    if (loader.exec(fake, argv) === 'unknown') {
      log(
        srv,
        'warning',
        `Unknown command '${cstrOf(argv[0] ?? '')}' reading the append only file ${filename}`,
      )
      srv.aof.state = oldState
      return done('failed')
    }
    if (truncatedOk) validUpTo = pos
  }
  if (outcome === 'eof' && fake.multi !== null) {
    log(srv, 'warning', `Revert incomplete MULTI/EXEC transaction in AOF file ${filename}`)
    validUpTo = validBeforeMulti
    outcome = 'uxeof'
  }
  if (outcome === 'eof') {
    srv.aof.state = oldState
    return done(ret)
  }
  if (outcome === 'uxeof') {
    if (truncatedOk) {
      log(srv, 'warning', `!!! Warning: short read while loading the AOF file ${filename}!!!`)
      log(srv, 'warning', `!!! Truncating the AOF ${filename} at offset ${String(validUpTo)} !!!`)
      const t = disk.truncate(path, validUpTo)
      if (t !== null) log(srv, 'warning', `Error truncating the AOF file ${filename}: ${t.error}`)
      else {
        log(srv, 'warning', `AOF ${filename} loaded anyway because aof-load-truncated is enabled`)
        ret = 'truncated'
        srv.aof.state = oldState
        return done(ret)
      }
    }
    log(
      srv,
      'warning',
      `Unexpected end of file reading the append only file ${filename}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
    )
    srv.aof.state = oldState
    return done('failed')
  }
  log(
    srv,
    'warning',
    `Bad file format reading the append only file ${filename}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
  )
  srv.aof.state = oldState
  return done('failed')
}

function cstrOf(s: string): string {
  const i = s.indexOf('\0')
  return i === -1 ? s : s.slice(0, i)
}

/**
 * loadAppendOnlyFiles: the BASE, then each INCR file of the manifest (after the upgrade of an
 * old-style appendonly.aof), with server.loading on. AofFatal when an upgrade step fails.
 */
export function loadAppendOnlyFiles(
  srv: ServerState,
  ctx: ExecContext,
  loader: AofLoader,
): AofLoadStatus {
  const disk = disks.get(srv)
  if (disk === undefined) return 'not_exist'
  const am = srv.aof.manifest
  const filename = aofFilename(srv)
  const dirname = aofDirname(srv)
  if (!isError(disk.stat(filename)) && !disk.isDir(filename)) {
    if (
      !disk.isDir(dirname) ||
      (am.base === null && am.incr.length === 0) ||
      (am.base !== null &&
        am.incr.length === 0 &&
        am.base.name === filename &&
        isError(disk.stat(aofPath(srv, filename))))
    )
      aofUpgradePrepare(srv, disk, am)
  }
  if (am.base === null && am.incr.length === 0) return 'not_exist'
  const files = [...(am.base === null ? [] : [am.base]), ...am.incr]
  let total = 0
  for (const ai of files) {
    const size = disk.stat(aofPath(srv, ai.name))
    if (isError(size)) {
      log(srv, 'warning', `Unable to obtain the AOF file ${ai.name} length. stat: ${size.error}`)
      return size.enoent ? 'failed' : 'open_err'
    }
    total += size
  }
  if (total === 0) return 'empty'
  srv.loading = {
    startTime: Math.floor(ctx.clock.now() / 1000),
    totalBytes: total,
    rdbUsedMem: 0,
    loadedBytes: 0,
  }
  let ret: AofLoadStatus = 'ok'
  let baseSize = 0
  try {
    for (let i = 0; i < files.length; i++) {
      const ai = files[i] as AofInfo
      const isBase = ai.type === 'b'
      const last = i === files.length - 1
      if (isBase) {
        const s = disk.stat(aofPath(srv, ai.name))
        baseSize = isError(s) ? 0 : s
      }
      const start = ctx.clock.now()
      ret = loadSingleAppendOnlyFile(srv, ctx, loader, ai.name)
      if (ret === 'ok' || (ret === 'truncated' && last))
        log(
          srv,
          'notice',
          `DB loaded from ${isBase ? 'base' : 'incr'} file ${ai.name}: ${((ctx.clock.now() - start) / 1000).toFixed(3)} seconds`,
        )
      if (!isBase && ret === 'empty') ret = 'ok'
      if (ret === 'truncated' && !last) {
        ret = 'failed'
        log(srv, 'warning', 'Fatal error: the truncated file is not the last file')
      }
      if (ret === 'open_err' || ret === 'failed') return ret
      const s = disk.stat(aofPath(srv, ai.name))
      if (srv.loading !== null) srv.loading.loadedBytes += isError(s) ? 0 : s
    }
    srv.aof.currentSize = total
    srv.aof.rewriteBaseSize = baseSize
  } finally {
    srv.loading = null
  }
  return ret
}

// --- Background rewrite ---

/** AOF_REWRITE_LIMITE_THRESHOLD, AOF_REWRITE_LIMITE_MAX_MINUTES. */
const LIMIT_THRESHOLD = 3
const LIMIT_MAX_MINUTES = 60

/** aofRewriteLimited: after 3 failures in a row, the next one waits 1, 2, 4 ... 60 minutes. */
export function aofRewriteLimited(srv: ServerState): boolean {
  const aof = srv.aof
  if (aof.consecutiveFailures < LIMIT_THRESHOLD) {
    aof.nextDelayMinutes = 0
    aof.nextRewriteTime = 0
    return false
  }
  if (aof.nextRewriteTime !== 0) {
    if (srv.unixtime < aof.nextRewriteTime) return true
    aof.nextRewriteTime = 0
    return false
  }
  aof.nextDelayMinutes = aof.nextDelayMinutes === 0 ? 1 : aof.nextDelayMinutes * 2
  if (aof.nextDelayMinutes > LIMIT_MAX_MINUTES) aof.nextDelayMinutes = LIMIT_MAX_MINUTES
  aof.nextRewriteTime = srv.unixtime + aof.nextDelayMinutes * 60
  log(
    srv,
    'warning',
    `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${String(aof.nextDelayMinutes)} minutes`,
  )
  return true
}

/** openNewIncrAofForAppend: the file new writes go to while the child rewrites. */
function openNewIncrAofForAppend(srv: ServerState): boolean {
  const aof = srv.aof
  if (aof.state === 'off') return true
  const disk = disks.get(srv)
  let temp: AofManifest | null = null
  let name: string
  if (aof.state === 'wait_rewrite') name = getTempIncrAofName(srv)
  else {
    temp = dupManifest(aof.manifest)
    name = getNewIncrAofName(srv, temp)
  }
  const opened = disk?.open(aofPath(srv, name), true) ?? null
  if (opened !== null) {
    log(srv, 'warning', `Can't open the append-only file ${name}: ${opened.error}`)
    return false
  }
  if (temp !== null && !persistAofManifest(srv, temp)) return false
  log(srv, 'notice', `Creating AOF incr file ${name} on background rewrite`)
  aof.fd = name
  aof.lastIncrSize = 0
  if (temp !== null) aof.manifest = temp
  return true
}

/**
 * rewriteAppendOnlyFileBackground: a new INCR file, then the fork. The child is BGSAVE's
 * (rdb.ts): a process writing temp-rewriteaof-bg-<pid>.aof, or a modelled one.
 */
export function rewriteAppendOnlyFileBackground(srv: ServerState, ctx: ExecContext): boolean {
  const aof = srv.aof
  if (srv.child !== null) return false
  const disk = disks.get(srv)
  const dirname = aofDirname(srv)
  const mk = disk?.mkdir(dirname) ?? null
  if (mk !== null) {
    log(srv, 'warning', `Can't open or create append-only dir ${dirname}: ${mk.error}`)
    aof.lastBgrewriteOk = false
    return false
  }
  aof.selectedDb = -1
  flushAppendOnlyFile(srv)
  if (!openNewIncrAofForAppend(srv)) {
    aof.lastBgrewriteOk = false
    return false
  }
  aof.rewrites++
  const pid = forkAofChild(srv, ctx)
  if (typeof pid === 'string') {
    aof.lastBgrewriteOk = false
    log(srv, 'warning', `Can't rewrite append only file in background: fork: ${pid}`)
    return false
  }
  log(srv, 'notice', `Background append only file rewriting started by pid ${String(pid)}`)
  aof.rewriteScheduled = false
  aof.rewriteTimeStart = Math.floor(ctx.clock.now() / 1000)
  return true
}

/** redisFork(CHILD_TYPE_AOF): the child writes the rewritten file (rdb.ts redisFork). */
function forkAofChild(srv: ServerState, ctx: ExecContext): number | string {
  return redisFork(srv, ctx, 'aof', (keyEnds) =>
    byteStringToBytes(aofRewriteBytes(srv, ctx, keyEnds)),
  )
}

function byteStringToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}

function childTempName(pid: number): string {
  return `temp-rewriteaof-bg-${String(pid)}.aof`
}

/** aofRemoveTempFile. */
function aofRemoveTempFile(srv: ServerState, pid: number): void {
  const disk = disks.get(srv)
  disk?.unlink(childTempName(pid))
  disk?.unlink(`temp-rewriteaof-${String(pid)}.aof`)
}

/**
 * backgroundRewriteDoneHandler, then resetChildState. `cow` is the child's last measure (the
 * "Fork CoW" line is logged by rdb.ts's reaping, as for a save).
 */
export function backgroundRewriteDoneHandler(
  srv: ServerState,
  exitcode: number,
  bysignal: number,
  cowPeak: number,
): void {
  const aof = srv.aof
  const child = srv.child
  if (child === null) return
  const disk = disks.get(srv)
  // A modelled child writes its temp file as it ends.
  if (child.aofFile !== null && disk !== undefined && bysignal === 0 && exitcode === 0) {
    const tmp = childTempName(child.pid)
    const err = disk.open(tmp, true) ?? disk.append(tmp, child.aofFile)
    if (err === null)
      rdbDisk(srv)?.log(
        { level: '*', text: `Successfully created the temporary AOF base file ${tmp}` },
        child.pid,
      )
    else exitcode = 1
  }
  const fail = () => {
    aof.lastBgrewriteOk = false
    aof.consecutiveFailures++
  }
  if (bysignal === 0 && exitcode === 0) {
    log(srv, 'notice', 'Background AOF rewrite terminated with success')
    aof.lastCowSize = cowPeak
    const tmpfile = childTempName(child.pid)
    const temp = dupManifest(aof.manifest)
    const base = getNewBaseFileNameAndMarkPreAsHistory(srv, temp)
    const basePath = aofPath(srv, base)
    done: {
      const r = disk?.rename(tmpfile, basePath) ?? null
      if (r !== null) {
        log(
          srv,
          'warning',
          `Error trying to rename the temporary AOF base file ${tmpfile} into ${basePath}: ${r.error}`,
        )
        fail()
        break done
      }
      log(srv, 'notice', `Successfully renamed the temporary AOF base file ${tmpfile} into ${base}`)
      let incrPath: string | null = null
      if (aof.state === 'wait_rewrite') {
        const tempIncr = getTempIncrAofName(srv)
        const tempIncrPath = aofPath(srv, tempIncr)
        const incr = getNewIncrAofName(srv, temp)
        incrPath = aofPath(srv, incr)
        const r2 = disk?.rename(tempIncrPath, incrPath) ?? null
        if (r2 !== null) {
          log(
            srv,
            'warning',
            `Error trying to rename the temporary AOF incr file ${tempIncrPath} into ${incrPath}: ${r2.error}`,
          )
          disk?.unlink(basePath)
          fail()
          break done
        }
        log(
          srv,
          'notice',
          `Successfully renamed the temporary AOF incr file ${tempIncr} into ${incr}`,
        )
        // The open file is now the renamed one.
        aof.fd = incr
      }
      markRewrittenIncrAofAsHistory(srv, temp)
      if (!persistAofManifest(srv, temp)) {
        disk?.unlink(basePath)
        if (incrPath !== null) disk?.unlink(incrPath)
        fail()
        break done
      }
      aof.manifest = temp
      if (aof.state !== 'off') {
        const s = disk?.stat(basePath) ?? 0
        aof.currentSize = (isError(s) ? 0 : s) + aof.lastIncrSize
        aof.rewriteBaseSize = aof.currentSize
      }
      aofDelHistoryFiles(srv)
      aof.lastBgrewriteOk = true
      aof.consecutiveFailures = 0
      log(srv, 'notice', 'Background AOF rewrite finished successfully')
      if (aof.state === 'wait_rewrite') aof.state = 'on'
    }
  } else if (bysignal === 0) {
    fail()
    log(srv, 'warning', 'Background AOF rewrite terminated with error')
  } else {
    // SIGUSR1 (killAppendOnlyChild) is no failure.
    if (bysignal !== 10) fail()
    log(srv, 'warning', `Background AOF rewrite terminated by signal ${String(bysignal)}`)
  }
  aofRemoveTempFile(srv, child.pid)
  if (aof.state === 'wait_rewrite') {
    aof.buf = ''
    aofDelTempIncrAofFile(srv)
  }
  aof.rewriteTimeLast = srv.unixtime - aof.rewriteTimeStart
  aof.rewriteTimeStart = -1
  if (aof.state === 'wait_rewrite') aof.rewriteScheduled = true
  srv.child = null
  updateDictResizePolicy(srv)
}

/** killAppendOnlyChild: the rewriting child gets SIGUSR1 and is waited for. */
export function killAppendOnlyChild(srv: ServerState): void {
  const child = srv.child
  if (child === null || child.type !== 'aof') return
  log(srv, 'notice', `Killing running AOF rewrite child: ${String(child.pid)}`)
  rdbDisk(srv)?.children?.kill(child.pid)
  aofRemoveTempFile(srv, child.pid)
  srv.child = null
  srv.aof.rewriteTimeStart = -1
  updateDictResizePolicy(srv)
}

/** stopAppendOnly (CONFIG SET appendonly no). */
export function stopAppendOnly(srv: ServerState): void {
  const aof = srv.aof
  flushAppendOnlyFile(srv)
  aof.fd = null
  aof.selectedDb = -1
  aof.state = 'off'
  aof.rewriteScheduled = false
  aof.lastIncrSize = 0
  killAppendOnlyChild(srv)
  aof.buf = ''
}

/** startAppendOnly (CONFIG SET appendonly yes): false when the rewrite could not start. */
export function startAppendOnly(srv: ServerState, ctx: ExecContext, inExec: boolean): boolean {
  const aof = srv.aof
  aof.state = 'wait_rewrite'
  if (srv.child !== null && srv.child.type !== 'aof') {
    aof.rewriteScheduled = true
    log(
      srv,
      'warning',
      'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
    )
  } else if (inExec) {
    aof.rewriteScheduled = true
    log(
      srv,
      'warning',
      'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.',
    )
  } else {
    if (srv.child?.type === 'aof') {
      log(
        srv,
        'warning',
        'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.',
      )
      killAppendOnlyChild(srv)
    }
    if (!rewriteAppendOnlyFileBackground(srv, ctx)) {
      aof.state = 'off'
      log(
        srv,
        'warning',
        "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
      )
      return false
    }
  }
  if (!aof.lastWriteOk) {
    log(srv, 'warning', 'AOF reopen, just ignore the last error.')
    aof.lastWriteOk = true
  }
  return true
}

/** config.c updateAppendonly. */
export function updateAppendonly(
  srv: ServerState,
  ctx: ExecContext,
  inExec: boolean,
): string | null {
  const enabled = aofEnabled(srv)
  if (!enabled && srv.aof.state !== 'off') stopAppendOnly(srv)
  else if (enabled && srv.aof.state === 'off' && !startAppendOnly(srv, ctx, inExec))
    return 'Unable to turn on AOF. Check server logs.'
  return null
}

/**
 * serverCron's AOF part: a scheduled rewrite once no child runs, and (with no child) the
 * automatic rewrite on auto-aof-rewrite-percentage growth past auto-aof-rewrite-min-size.
 * Runs before checkChildrenDone (`childDone` is false then) and again after, for the growth.
 */
export function aofCronScheduled(srv: ServerState, ctx: ExecContext): void {
  if (srv.child === null && srv.aof.rewriteScheduled && !aofRewriteLimited(srv))
    rewriteAppendOnlyFileBackground(srv, ctx)
}

/** serverCron's automatic rewrite (no child running). */
export function aofCronAutoRewrite(srv: ServerState, ctx: ExecContext): void {
  const aof = srv.aof
  const perc = Number(cfg(srv, 'auto-aof-rewrite-percentage', '100'))
  const minSize = Number(cfg(srv, 'auto-aof-rewrite-min-size', '67108864'))
  if (aof.state !== 'on' || srv.child !== null || perc === 0 || aof.currentSize <= minSize) return
  const base = aof.rewriteBaseSize !== 0 ? aof.rewriteBaseSize : 1
  const growth = Math.trunc((aof.currentSize * 100) / base) - 100
  if (growth >= perc && !aofRewriteLimited(srv)) {
    log(srv, 'notice', `Starting automatic rewriting of AOF on ${String(growth)}% growth`)
    rewriteAppendOnlyFileBackground(srv, ctx)
  }
}

/** config.c updateAofAutoGCEnabled. */
export function updateAofAutoGCEnabled(srv: ServerState): void {
  if (cfg(srv, 'aof-disable-auto-gc', 'no') !== 'yes') aofDelHistoryFiles(srv)
}

/** INFO persistence's aof_* fields. */
export function infoAofFields(srv: ServerState): [string, string | number][] {
  const aof = srv.aof
  const fields: [string, string | number][] = [
    ['aof_enabled', aof.state !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', srv.child?.type === 'aof' ? 1 : 0],
    ['aof_rewrite_scheduled', aof.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', aof.rewriteTimeLast],
    [
      'aof_current_rewrite_time_sec',
      aof.rewriteTimeStart === -1 ? -1 : srv.unixtime - aof.rewriteTimeStart,
    ],
    ['aof_last_bgrewrite_status', aof.lastBgrewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', aof.consecutiveFailures],
    ['aof_last_write_status', aof.lastWriteOk ? 'ok' : 'err'],
    ['aof_last_cow_size', aof.lastCowSize],
  ]
  return fields
}

/** INFO persistence's fields after module_fork_*, when `appendonly` is yes. */
export function infoAofEnabledFields(srv: ServerState): [string, string | number][] {
  const aof = srv.aof
  if (!aofEnabled(srv)) return []
  return [
    ['aof_current_size', aof.currentSize],
    ['aof_base_size', aof.rewriteBaseSize],
    ['aof_pending_rewrite', aof.rewriteScheduled ? 1 : 0],
    ['aof_buffer_length', aof.buf.length],
    ['aof_pending_bio_fsync', 0],
    ['aof_delayed_fsync', 0],
  ]
}

/**
 * aof.c bgrewriteaofCommand: a rewrite already running is an error; with another child, or
 * inside EXEC, it is scheduled.
 */
export function bgrewriteaof(
  srv: ServerState,
  ctx: ExecContext,
  inExec: boolean,
): { ok: boolean; text: string } {
  if (srv.child?.type === 'aof')
    return { ok: false, text: 'ERR Background append only file rewriting already in progress' }
  if (srv.child !== null || inExec) {
    srv.aof.rewriteScheduled = true
    srv.aof.consecutiveFailures = 0
    return { ok: true, text: 'Background append only file rewriting scheduled' }
  }
  if (rewriteAppendOnlyFileBackground(srv, ctx))
    return { ok: true, text: 'Background append only file rewriting started' }
  return {
    ok: false,
    text: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  }
}

/** Whether the host keeps AOF files (DEBUG LOADAOF then reads them). */
export function aofHasDisk(srv: ServerState): boolean {
  return disks.has(srv)
}

/**
 * server.ts's createClientState for a client that may not block, registered by server.ts
 * (which imports this module, not the other way round).
 */
export const clientFactory: { create: ((srv: ServerState) => Client) | null } = { create: null }

/**
 * createAOFClient and the command loop's call: a client that never blocks and is not in the
 * client list; in MULTI it queues (queueMultiCommand) every command but EXEC, else the
 * command runs as cmd->proc would (no ACL, OOM or loading checks), its reply dropped.
 */
export function aofLoader(srv: ServerState, ctx: ExecContext): AofLoader {
  return {
    createClient: () => {
      const create = clientFactory.create
      if (create === null) throw new Error('no client factory (server.ts registers it)')
      const c = create(srv)
      // createClient(NULL): no connection, so neither linked nor counted as one.
      srv.stats.totalConnectionsReceived--
      srv.clients.delete(c.id)
      srv.aof.loadingClient = c.id
      return c
    },
    freeClient: (c) => {
      srv.aof.loadingClient = null
      srv.clients.set(c.id, c)
      unlinkClient(srv, c)
    },
    exec: (c, argv) => {
      const d = lookupDispatch(srv, argv)
      if (d === undefined) return 'unknown'
      if (c.multi !== null && !d.isExec) {
        c.multi.queue.push({ argv: [...argv], name: d.fullname })
        return 'ok'
      }
      srv.clients.set(c.id, c)
      try {
        callDispatch(srv, c, ctx, argv, d)
      } finally {
        srv.clients.delete(c.id)
      }
      return 'ok'
    },
  }
}

/** A fatal error: the host's process exits with status 1 (no disk: nothing can be fatal). */
function fatal(srv: ServerState): never {
  const disk = disks.get(srv)
  if (disk !== undefined) disk.exit(1)
  throw new AofFatal()
}

/**
 * main's aofLoadManifestFromDisk then loadDataFromDisk's AOF part (appendonly yes): the files
 * loaded, with "DB loaded from append only file". False when Redis exits.
 */
export function aofLoadAtStartup(srv: ServerState, ctx: ExecContext): boolean {
  try {
    aofLoadManifestFromDisk(srv)
    if (srv.aof.state !== 'on') return true
    const start = ctx.clock.now()
    const ret = loadAppendOnlyFiles(srv, ctx, aofLoader(srv, ctx))
    if (ret === 'failed' || ret === 'open_err') return false
    if (ret !== 'not_exist')
      log(
        srv,
        'notice',
        `DB loaded from append only file: ${((ctx.clock.now() - start) / 1000).toFixed(3)} seconds`,
      )
    return true
  } catch (e) {
    if (e instanceof AofFatal) return false
    throw e
  }
}

/** main's aofOpenIfNeededOnServerStart and aofDelHistoryFiles. False when Redis exits. */
export function aofOpenAtStartup(srv: ServerState, ctx: ExecContext): boolean {
  if (!aofOpenIfNeededOnServerStart(srv, ctx)) return false
  aofDelHistoryFiles(srv)
  return true
}

/**
 * debug.c DEBUG LOADAOF with a disk: the buffer flushed, every db emptied, the manifest read
 * again and its files loaded; the process exits when they cannot be. server.dirty is cleared.
 */
export function debugLoadAofFromDisk(srv: ServerState, ctx: ExecContext): void {
  if (srv.aof.state !== 'off') flushAppendOnlyFile(srv)
  emptyData(srv, ctx, -1)
  try {
    aofLoadManifestFromDisk(srv)
    aofDelHistoryFiles(srv)
    const ret = loadAppendOnlyFiles(srv, ctx, aofLoader(srv, ctx))
    if (ret !== 'ok' && ret !== 'empty') fatal(srv)
  } catch (e) {
    if (e instanceof AofFatal) fatal(srv)
    throw e
  }
  srv.dirty = 0
  srv.dirtyCounted = true
  log(srv, 'warning', 'Append Only File loaded by DEBUG LOADAOF')
}
