/**
 * The worker protocol: the only messages that cross between the main thread and the engine
 * worker (style.md §5). Both sides import this file; everything here is plain,
 * structured-cloneable data.
 *
 * Requests carry a RequestId; every request gets exactly one terminal answer with the same id
 * (for a long `exec` or a `replay`, `progress` messages first). A `cancel` makes its target
 * answer `cancelled` instead, if it has not finished: a cancelled exec never happened (it is
 * not in the log, and the engine is as before it). Messages the worker receives while a long
 * command runs wait their turn, in order (only `cancel` is handled at once). The worker posts its answers in `batch`
 * envelopes, at most one per animation frame, because one message per trace costs about eight
 * times more than a batch.
 *
 * Determinism: the engine's state is a function of (seed, config, startMs, log). The log is
 * the list of state-changing operations the worker applied, in order, each with the virtual
 * time it ran at. Time moves only through `advanceClock`; the worker never reads the wall
 * clock. Replaying a log into a fresh engine rebuilds the same dataset (same DEBUG DIGEST).
 */
import type { ClientId, EngineConfig, InspectView, TickTrace, Trace } from '../engine/api.ts'
import type { StepEvent, TraceLevel } from '../engine/events.ts'
import type { ZiplistLessonRequest, ZiplistLessonResult } from '../engine/ziplistLesson.ts'

export const PROTOCOL_VERSION = 3

/**
 * Byte-string conversions, shared by both sides: the main thread encodes typed text to UTF-8
 * bytes before sending, and decodes replies for display (engine/bytes.ts is the reference).
 */
export { bytesToUtf8, isByteString, utf8ToBytes } from '../engine/bytes.ts'

/** Identifies one request and its answer. */
export type RequestId = number & { readonly __brand: 'RequestId' }

/** Everything that determines an engine's initial state. */
export interface SessionSeed {
  readonly seed: number
  readonly config: EngineConfig
  /** Virtual Unix ms the clock starts at. */
  readonly startMs: number
}

/**
 * One state-changing operation. A run of equal ticks is stored once with a count `n`
 * (a running virtual clock sends many), and replays as n separate ticks.
 */
export type LogEntry =
  | {
      readonly t: 'exec'
      readonly client: ClientId
      readonly argv: readonly string[]
      /** Virtual ms the command ran at (a check on replay; the ticks determine it). */
      readonly at: number
    }
  | { readonly t: 'tick'; readonly ms: number; readonly n: number }
  | { readonly t: 'client' }
  | { readonly t: 'close'; readonly client: ClientId }
  /**
   * A console tab whose connection the server closed opens a new one, as redis-cli does at
   * the next command after "Error: Server closed the connection": a new client (the next
   * id, default user, db 0, RESP2, no name) takes the place of `client` (closed first, if
   * the server had not finished it).
   */
  | { readonly t: 'reconnect'; readonly client: ClientId }

/** A command as the console knows it, from COMMAND DOCS / COMMAND INFO. */
export interface CommandDoc {
  /** Upper case; a subcommand is "CLIENT KILL". */
  readonly name: string
  /** The syntax after the name, as redis-cli's hints show it: "key value [NX|XX] ...". */
  readonly params: string
  readonly summary: string
  readonly since: string
  readonly group: string
  readonly arity: number
  /** ACL categories without the '@' ("write", "string" ...), from COMMAND; absent if unknown. */
  readonly acl?: readonly string[]
}

/**
 * Output the engine queued for clients outside request and reply, taken right after the op
 * that produced it (RedisServer.drainOutbox): MONITOR's lines, as [monitor client, RESP
 * text] (status lines, each ending in \r\n). It rides on the op's trace, so the lines
 * arrive in the same batch, in order, and are part of the console's log like replies.
 * Absent when there is none. Time-travel rebuilds (an engine run forward to a past
 * position, a cancelled command's rebuild) take and drop their output: it was shown once.
 */
export interface WireOutput {
  readonly output?: readonly (readonly [ClientId, string])[]
}

/**
 * Blocked clients the op released (served by a push, timed out, CLIENT UNBLOCK, closed): their
 * late reply, if any, is in the op's output. Absent when none. A console tab waiting in
 * BLPOP stops waiting when its client is listed here.
 */
export interface WireWaits {
  readonly unblocked?: readonly ClientId[]
  /**
   * Those of `unblocked` the op closed (CLIENT KILL of a tab waiting in BLPOP): redis-cli,
   * reading the reply, meets the closed connection and says so at once. Absent when none.
   */
  readonly lost?: readonly ClientId[]
}

/** A trace as it crosses the boundary: events may be capped for huge commands. */
export interface WireTrace extends Trace, WireOutput, WireWaits {
  /**
   * The command blocked its client (BLPOP on an empty list): `reply` is the BLOCKED
   * placeholder, not a reply to print; the real one comes later as output on the op that
   * serves it or times it out (listed in that op's `unblocked`). Absent normally.
   */
  readonly blocked?: true
  /**
   * The server had closed the client's connection (CLIENT KILL from another tab, ACL
   * DELUSER, QUIT ...) before this command: it never ran, `reply` is a placeholder error,
   * and the console prints what redis-cli prints, "Error: Server closed the connection".
   * The op is logged like any exec, so a replay tells the same. Absent normally.
   */
  readonly closed?: true
  /** Number of ops in the log after this command (its time-travel position). */
  readonly position: number
  /** Events dropped past the cap (0 normally). */
  readonly dropped: number
  /**
   * The first key the command names (COMMAND GETKEYS: XREAD's after STREAMS, ZUNIONSTORE's
   * destination, none for PUBLISH's channel or an unknown command): the key the panels show.
   * Absent when it names none (or the server cannot tell).
   */
  readonly key?: string
  /**
   * How many distinct keys the command names (MSET a 1 b 2: 2), when more than one; absent
   * for one key or none.
   */
  readonly keys?: number
  /**
   * The virtual time when the command finished, when it is later than `at` (DEBUG SLEEP lets
   * time pass); absent otherwise.
   */
  readonly end?: number
  /**
   * Elements of the reply left out past MAX_WIRE_REPLY_LINES (absent normally): KEYS * over a
   * million keys crosses as its first lines and this count, not a million objects to clone.
   */
  readonly replyCut?: number
}

/** Lines of a reply (its scalar elements) that cross to the page; the console shows as many. */
export const MAX_WIRE_REPLY_LINES = 2000

export interface WireTick extends TickTrace, WireOutput, WireWaits {
  readonly position: number
  readonly dropped: number
  /**
   * Keys the tick removed (active expiry), counted only at trace level "off", where no event
   * says so: the timeline still gets an item for it, so the panels show the keys gone.
   */
  readonly keysRemoved?: number
}

/**
 * What a `reconnect` op did: the new client in place of the closed one. It has no output
 * and releases no one; it extends those shapes so a replay's list reads alike.
 */
export interface WireConnect extends WireOutput, WireWaits {
  /** The new client. */
  readonly connected: ClientId
  /** The closed client it replaces. */
  readonly replaces: ClientId
  /** Virtual ms. */
  readonly at: number
  readonly position: number
  /** client/connected (none at trace level "off"). */
  readonly events: readonly StepEvent[]
}

/** Tells a reconnect's answer apart from a trace or a tick in a replay's list. */
export function isWireConnect(t: WireTrace | WireTick | WireConnect): t is WireConnect {
  return 'connected' in t
}

export type ToWorker =
  | {
      readonly type: 'init'
      readonly id: RequestId
      readonly v: typeof PROTOCOL_VERSION
      readonly session: SessionSeed
      readonly trace: TraceLevel
    }
  | {
      readonly type: 'exec'
      readonly id: RequestId
      readonly argv: readonly string[]
      readonly client: ClientId
    }
  | { readonly type: 'advanceClock'; readonly id: RequestId; readonly ms: number }
  | { readonly type: 'createClient'; readonly id: RequestId }
  | { readonly type: 'closeClient'; readonly id: RequestId; readonly client: ClientId }
  /** A new client in place of one the server closed (LogEntry 'reconnect'). */
  | { readonly type: 'reconnect'; readonly id: RequestId; readonly client: ClientId }
  | { readonly type: 'setTraceLevel'; readonly id: RequestId; readonly level: TraceLevel }
  | {
      /** A key's view (key null: the keyspace) at a log position; omitted position = now. */
      readonly type: 'inspect'
      readonly id: RequestId
      readonly key: string | null
      readonly db: number
      readonly position?: number
      /** A server-level view instead (key null): api.ts InspectOptions.server. */
      readonly server?: 'clients'
    }
  | { readonly type: 'digest'; readonly id: RequestId; readonly position?: number }
  | {
      /** Resets the engine to the session seed and applies `log`; traces come back if asked. */
      readonly type: 'replay'
      readonly id: RequestId
      readonly log: readonly LogEntry[]
      readonly traces: boolean
    }
  | { readonly type: 'commands'; readonly id: RequestId }
  /** Stops a replay or a long exec between two slices; a queued one never starts. */
  | { readonly type: 'cancel'; readonly id: RequestId; readonly target: RequestId }
  /** Debug hook: makes the worker throw, to exercise crash recovery. */
  | { readonly type: 'crash'; readonly id: RequestId }
  /**
   * The legacy ziplist lesson (engine/ziplistLesson.ts): one insert or delete on the lesson's
   * ziplist and listpack, whose bytes travel with the request. Outside the session: not
   * logged, no effect on the engine.
   */
  | {
      readonly type: 'ziplistLesson'
      readonly id: RequestId
      readonly request: ZiplistLessonRequest
    }

export type FromWorker =
  | { readonly type: 'ready'; readonly id: RequestId; readonly v: typeof PROTOCOL_VERSION }
  | {
      readonly type: 'executed'
      readonly id: RequestId
      readonly trace: WireTrace
      /**
       * The trace's argv is the request's, left out of the message (its argv is []): the page
       * has it already, and the structured clone of a 100,000-member SADD's argv back to the
       * page took 20-60 ms of its main thread.
       */
      readonly sameArgv?: true
    }
  | { readonly type: 'ticked'; readonly id: RequestId; readonly tick: WireTick }
  | { readonly type: 'clientCreated'; readonly id: RequestId; readonly client: ClientId }
  | { readonly type: 'reconnected'; readonly id: RequestId; readonly connect: WireConnect }
  | { readonly type: 'inspected'; readonly id: RequestId; readonly view: InspectView | null }
  | { readonly type: 'digested'; readonly id: RequestId; readonly digest: string }
  | {
      readonly type: 'replayed'
      readonly id: RequestId
      readonly traces: readonly (WireTrace | WireTick | WireConnect)[]
      readonly position: number
      readonly now: number
    }
  | {
      readonly type: 'commandList'
      readonly id: RequestId
      readonly commands: readonly CommandDoc[]
    }
  | {
      readonly type: 'progress'
      readonly id: RequestId
      readonly done: number
      readonly total: number
    }
  | { readonly type: 'done'; readonly id: RequestId }
  /** The terminal answer of a cancelled exec or replay. */
  | { readonly type: 'cancelled'; readonly id: RequestId }
  | { readonly type: 'failed'; readonly id: RequestId; readonly message: string }
  | {
      readonly type: 'ziplistLessonRan'
      readonly id: RequestId
      readonly result: ZiplistLessonResult
    }

/**
 * The only message the worker posts: a frame's worth of answers. Large typed arrays in
 * views (a big dict's bucket occupancy) travel in the transfer list, not copied.
 */
export interface WorkerBatch {
  readonly type: 'batch'
  readonly messages: readonly FromWorker[]
}

/** Events kept per trace before the rest are dropped (a DEBUG POPULATE at full trace). */
export const MAX_EVENTS_PER_TRACE = 5000

/** Counts the operations in a log (a tick run of n counts n). */
export function logLength(log: readonly LogEntry[]): number {
  let n = 0
  for (const e of log) n += e.t === 'tick' ? e.n : 1
  return n
}

/**
 * Appends an op to a log in place, merging a tick into a preceding run of equal ticks.
 * Callers that need immutability copy the array first.
 */
export function logPush(log: LogEntry[], e: LogEntry): void {
  const last = log.at(-1)
  if (e.t === 'tick' && last?.t === 'tick' && last.ms === e.ms)
    log[log.length - 1] = { t: 'tick', ms: e.ms, n: last.n + e.n }
  else log.push(e)
}

/** Returns the first `position` ops of a log (splitting a tick run if needed). */
export function logPrefix(log: readonly LogEntry[], position: number): LogEntry[] {
  const out: LogEntry[] = []
  let left = position
  for (const e of log) {
    if (left <= 0) break
    if (e.t === 'tick') {
      const n = Math.min(e.n, left)
      out.push({ t: 'tick', ms: e.ms, n })
      left -= n
    } else {
      out.push(e)
      left--
    }
  }
  return out
}

/** Tells whether a value is a well-formed batch from the worker. */
export function isWorkerBatch(x: unknown): x is WorkerBatch {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { type?: unknown }).type === 'batch' &&
    Array.isArray((x as { messages?: unknown }).messages)
  )
}
