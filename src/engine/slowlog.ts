/**
 * The slow log — follows redis/src/slowlog.c and server.c slowlogPushCurrentCommand (7.0.15).
 *
 * call() times every command it runs (c->duration, microseconds) and pushes it onto the head
 * of server.slowlog when the duration is at least slowlog-log-slower-than (a negative value
 * disables the log; 0 logs every command). After a push the list is cut back to
 * slowlog-max-len from the tail, so lowering the limit takes effect at the next push. Each
 * entry gets the next id (never reset, not even by SLOWLOG RESET, and used even when
 * slowlog-max-len is 0 and the entry is dropped at once).
 *
 * What is not logged: commands flagged skip_slowlog (EXEC, AUTH, HELLO ...); commands that
 * were rejected before call() (unknown, arity, NOAUTH, OOM) or only queued in MULTI; a
 * command that blocked, until it is served (blocked.c updateStatsOnUnblock: logged then with
 * its first run's duration plus the serving time) — a blocked client that times out, or
 * that CLIENT UNBLOCK releases without ERROR, is never logged.
 *
 * An entry keeps at most 32 arguments (SLOWLOG_ENTRY_MAX_ARGC; the 32nd becomes
 * "... (N more arguments)") and at most 128 bytes of each string argument (the rest becomes
 * "... (N more bytes)"), the client's address (getClientPeerId) and name, and time(NULL).
 *
 * Memory: the entries are zmalloc'd, so they count in used_memory; `bytes` is the sum of
 * their jemalloc size classes (list node, entry struct, argv array, each copied argument,
 * the peer id and name sdses), kept as entries come and go (keyspace/memory.ts adds it).
 * Redis copies each argument object (dupStringObject) unless it is a shared integer; which
 * arguments the command turned into integers (SET's value: t_string.c tryObjectEncoding on
 * c->argv) is what ServerState.argvInts records for the command being run; passwords
 * (AUTH, HELLO AUTH, CONFIG SET requirepass) show as the shared "(redacted)" object
 * (ServerState.argvRedacted).
 *
 * With the worker's virtual clock every command takes 0 µs; over TCP the clock is real.
 */
import type { ServerState, Client } from './state.ts'
import type { CommandSpec } from './commands/spec.ts'
import { OBJ_ENCODING_EMBSTR_SIZE_LIMIT } from './types/object.ts'
import { REDACTED } from './call.ts'
import { jemallocSizeClass } from './structures/jemalloc.ts'
import { sdsCatLen, sdsEmpty, sdsNewLen, sdsZmallocSize } from './structures/sds.ts'

// --- Types ---

/** One slowlogEntry. */
export interface SlowlogEntry {
  readonly id: number
  /** Unix seconds when it was logged. */
  readonly time: number
  /** Microseconds. */
  readonly duration: number
  readonly argv: readonly string[]
  readonly peerid: string
  readonly cname: string
  /** The zmalloc'd bytes it holds. */
  readonly bytes: number
}

/** server.slowlog, server.slowlog_entry_id, and their memory. */
export interface SlowlogState {
  /** Newest first. */
  entries: SlowlogEntry[]
  nextId: number
  bytes: number
}

// --- Constants ---

export const SLOWLOG_ENTRY_MAX_ARGC = 32
export const SLOWLOG_ENTRY_MAX_STRING = 128
/** sizeof(listNode): prev, next, value. */
const LIST_NODE_SIZE = 24
/** sizeof(slowlogEntry): argv, argc (padded), id, duration, time, cname, peerid. */
const SLOWLOG_ENTRY_SIZE = 56
/** sizeof(robj). */
const ROBJ_SIZE = 16
/** An embstr's header inside its allocation: robj + sdshdr8 + the final NUL. */
const EMBSTR_OVERHEAD = ROBJ_SIZE + 3 + 1

// --- API ---

/** An empty slow log (slowlogInit). */
export function createSlowlog(): SlowlogState {
  return { entries: [], nextId: 0, bytes: 0 }
}

/**
 * slowlogPushCurrentCommand: logs the command `argv` that client `c` ran in `duration` µs,
 * if its flags and slowlog-log-slower-than allow, then trims to slowlog-max-len.
 */
export function slowlogPushCurrentCommand(
  srv: ServerState,
  c: Client,
  cmd: CommandSpec,
  argv: readonly string[],
  duration: number,
): void {
  const log = srv.slowlog
  const slower = srv.config.slowlogLogSlowerThan
  // Nothing to log and nothing to trim (the common case, decided without the flags).
  if (slower < 0 || (duration < slower && log.entries.length <= srv.config.slowlogMaxLen)) return
  if (cmd.flags.includes('skip_slowlog')) return
  if (duration >= slower) {
    const entry = slowlogCreateEntry(srv, c, argv, duration)
    log.entries.unshift(entry)
    log.bytes += entry.bytes
  }
  while (log.entries.length > srv.config.slowlogMaxLen) {
    const dropped = log.entries.pop()
    if (dropped !== undefined) log.bytes -= dropped.bytes
  }
}

/** slowlogReset: drops every entry (the next id goes on). */
export function slowlogReset(srv: ServerState): void {
  srv.slowlog.entries = []
  srv.slowlog.bytes = 0
}

/** Self-check: the byte count is the sum over the entries, ids decrease from the head. */
export function slowlogValidate(log: SlowlogState): string[] {
  const errors: string[] = []
  let sum = 0
  let prev = log.nextId
  for (const e of log.entries) {
    sum += e.bytes
    if (e.id >= prev) errors.push(`slowlog: entry ${String(e.id)} is not older than the one before`)
    prev = e.id
  }
  if (sum !== log.bytes)
    errors.push(`slowlog: bytes ${String(log.bytes)}, entries hold ${String(sum)}`)
  return errors
}

// --- Internals ---

function slowlogCreateEntry(
  srv: ServerState,
  c: Client,
  argv: readonly string[],
  duration: number,
): SlowlogEntry {
  const argc = argv.length
  const slargc = Math.min(argc, SLOWLOG_ENTRY_MAX_ARGC)
  const kept: string[] = []
  let bytes =
    jemallocSizeClass(LIST_NODE_SIZE) +
    jemallocSizeClass(SLOWLOG_ENTRY_SIZE) +
    jemallocSizeClass(8 * slargc)
  for (let j = 0; j < slargc; j++) {
    const arg = argv[j] ?? ''
    if (slargc !== argc && j === slargc - 1) {
      // createObject(OBJ_STRING, sdscatprintf(sdsempty(), ...)): a raw object.
      const s = sdsCatLen(sdsEmpty(), `... (${String(argc - slargc + 1)} more arguments)`)
      kept.push(s.buf)
      bytes += jemallocSizeClass(ROBJ_SIZE) + sdsZmallocSize(s)
      continue
    }
    const int = argvIntAt(srv.argvInts, j)
    if (srv.argvRedacted.includes(j)) {
      // shared.redacted: referenced, not copied.
      kept.push(REDACTED)
    } else if (int !== null) {
      // A shared integer is referenced, any other integer object copied (a bare robj).
      kept.push(arg)
      if (!int.shared) bytes += jemallocSizeClass(ROBJ_SIZE)
    } else if (arg.length > SLOWLOG_ENTRY_MAX_STRING) {
      const s = sdsCatLen(
        sdsNewLen(arg.slice(0, SLOWLOG_ENTRY_MAX_STRING)),
        `... (${String(arg.length - SLOWLOG_ENTRY_MAX_STRING)} more bytes)`,
      )
      kept.push(s.buf)
      bytes += jemallocSizeClass(ROBJ_SIZE) + sdsZmallocSize(s)
    } else {
      // dupStringObject: embstr up to 44 bytes, else robj + a tight sds.
      kept.push(arg)
      bytes +=
        arg.length <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT
          ? jemallocSizeClass(EMBSTR_OVERHEAD + arg.length)
          : jemallocSizeClass(ROBJ_SIZE) + sdsZmallocSize(sdsNewLen(arg))
    }
  }
  const peerid = c.addr
  const cname = c.name
  bytes += sdsZmallocSize(sdsNewLen(peerid)) + sdsZmallocSize(sdsNewLen(cname))
  const log = srv.slowlog
  return {
    id: log.nextId++,
    time: Math.floor(srv.clock.now() / 1000),
    duration,
    argv: kept,
    peerid,
    cname,
    bytes,
  }
}

/** Whether argv[j] was made an integer object, and a shared one (pairs index, shared). */
function argvIntAt(ints: readonly number[], j: number): { shared: boolean } | null {
  for (let i = 0; i < ints.length; i += 2) if (ints[i] === j) return { shared: ints[i + 1] === 1 }
  return null
}
