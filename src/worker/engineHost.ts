/**
 * The engine host: everything the worker does, as plain functions over a message, so it can
 * be tested without a Worker (the tldraw TestEditor idea). engine.worker.ts only wires
 * onmessage to hostHandle and batches what it posts.
 *
 * The host owns two engines:
 * - `live`, at the head of the log, which runs new commands and clock ticks;
 * - `past`, a scratch engine for time travel. To look at log position p, the host reuses
 *   `past` when it stands at or before p (it only has to run forward), and otherwise starts
 *   it from a copy of the nearest checkpoint at or before p (checkpoints.ts), or from the
 *   session seed when there is none. Checkpoints are engine clones taken while the host
 *   replays, after ops whose replay cost pays for a clone (a DEBUG POPULATE, or many
 *   ordinary ops), within a size budget; they live until the log is replaced (init, replay).
 *
 * Replays are deterministic: the same (seed, config, startMs, log) give the same dataset.
 * Output for clients outside request and reply (MONITOR's lines) is taken after every op and
 * rides on that op's trace (WireOutput), so the engine's outbox is empty between ops; an
 * engine run forward for time travel drops it with the trace, so nothing is shown twice.
 * Bulk loads (DEBUG POPULATE) run with tracing off, as design.md's `off` level intends,
 * and any trace is capped at MAX_EVENTS_PER_TRACE events.
 *
 * Blocking commands really block (BLPOP on an empty list): the exec's trace says `blocked`
 * and carries no reply; the client's late reply leaves in the output of the op that serves it
 * (another client's push), times it out (a clock tick) or unblocks it (CLIENT UNBLOCK), and
 * that op lists the client in `unblocked`. Each engine keeps the set of clients it saw block,
 * so telling which were released costs O(waiting) per op. The blocked exec is logged like any
 * other, so a replay blocks it again and the same later op serves it. An exec for a client
 * that still waits is refused (`failed`, not logged): a transport reads nothing from a
 * blocked connection.
 *
 * Connections the server closes: a client that asked to close (QUIT) or killed itself is
 * closed right after its reply, as a transport closes the socket, within the same op. An exec
 * for a client the server already closed (CLIENT KILL from another tab, ACL DELUSER of its
 * user) does not run: its trace says `closed` (the console prints redis-cli's "Error: Server
 * closed the connection"), and it is logged, so a replay says the same. A `reconnect` op
 * then gives the tab a new client in its place, as redis-cli connects again at the next
 * command; the accepted connection is reported as a client/connected event.
 *
 * Long commands run in slices (the engine's executeSliced, engine/sliced.ts): the host runs
 * a few milliseconds of work, posts `progress`, and yields to the event loop so that a
 * `cancel` can arrive; messages that arrive meanwhile wait in the worker's queue, in order.
 * Cancelling a running command means it never happened: the half-changed live engine is
 * dropped and rebuilt at the log's head (from the scratch engine when it stands at or
 * before the head, else from the nearest checkpoint or the seed), the log never records
 * the command, and the request gets a `cancelled` answer. A cancelled request that has not
 * started yet never starts. A replay runs in chunks and can be cancelled between them the
 * same way.
 */
import { manualClock, type ManualClock } from '../engine/clock.ts'
import { runZiplistLesson } from '../engine/index.ts'
import type {
  ClientId,
  ClientOptions,
  RedisServer,
  ServerOptions,
  TickTrace,
  Trace,
} from '../engine/api.ts'
import type { StepEvent, TraceLevel } from '../engine/events.ts'
import type { Reply } from '../engine/reply.ts'
import {
  checkpointsClear,
  createEngineCheckpoints,
  engineFromCheckpoint,
  replayOp,
  type CheckpointOptions,
  type EngineCheckpoints,
} from './checkpoints.ts'
import {
  MAX_EVENTS_PER_TRACE,
  MAX_WIRE_REPLY_LINES,
  PROTOCOL_VERSION,
  isWireConnect,
  logLength,
  logPush,
  type CommandDoc,
  type FromWorker,
  type LogEntry,
  type RequestId,
  type SessionSeed,
  type ToWorker,
  type WireConnect,
  type WireOutput,
  type WireTick,
  type WireTrace,
  type WireWaits,
} from './protocol.ts'

// --- Types ---

export type ServerFactory = (opts: ServerOptions) => RedisServer

interface Engine {
  readonly server: RedisServer
  readonly clock: ManualClock
  /** Ops applied so far. */
  position: number
  /** Clients seen to block and not yet seen released (see the file comment). */
  readonly waiting: Set<ClientId>
}

export interface EngineHost {
  readonly createServer: ServerFactory
  session: SessionSeed | null
  level: TraceLevel
  live: Engine | null
  past: Engine | null
  readonly log: LogEntry[]
  readonly cancelled: Set<RequestId>
  /** Lets other messages through between replay chunks and command slices. */
  readonly yieldNow: () => Promise<void>
  readonly slicing: SliceOptions
  /** Engine clones at log positions, to start time-travel replays from (checkpoints.ts). */
  readonly checkpoints: EngineCheckpoints
}

/** How the host slices a long command. */
export interface SliceOptions {
  /** Wall clock in ms (performance.now in the worker), to size slices; never seen by the engine. */
  readonly now: () => number
  /** Work per slice to aim at, in ms. */
  readonly sliceMs: number
  /** Units of the first slice; adapted to `sliceMs` afterwards unless `fixed`. */
  readonly units: number
  /** Keep every slice at `units` (tests). */
  readonly fixed: boolean
}

/** Ops applied between two yields of a replay. */
const REPLAY_CHUNK = 500

const DEFAULT_SLICING: SliceOptions = {
  now: () => performance.now(),
  sliceMs: 12,
  units: 2000,
  fixed: false,
}

// --- API ---

/**
 * The console's connections: local (DEBUG allowed under 'local'), and blocking as in Redis:
 * BLPOP on an empty list waits (see the file comment).
 */
const CONSOLE_CLIENT: ClientOptions = { local: true }

/** Creates a host around an engine factory; `yieldNow` defaults to a resolved promise. */
export function createEngineHost(
  createServer: ServerFactory,
  yieldNow: () => Promise<void> = () => Promise.resolve(),
  slicing: Partial<SliceOptions> = {},
  checkpoints: Partial<CheckpointOptions> = {},
): EngineHost {
  return {
    createServer,
    session: null,
    level: 'full',
    live: null,
    past: null,
    log: [],
    cancelled: new Set(),
    yieldNow,
    slicing: { ...DEFAULT_SLICING, ...slicing },
    checkpoints: createEngineCheckpoints(checkpoints),
  }
}

/** Handles one request and posts its answer(s). Never throws except for the `crash` hook. */
export async function hostHandle(
  host: EngineHost,
  msg: ToWorker,
  post: (m: FromWorker) => void,
): Promise<void> {
  try {
    await dispatch(host, msg, post)
  } catch (err) {
    if (msg.type === 'crash') throw err
    post({ type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) })
  }
}

async function dispatch(
  host: EngineHost,
  msg: ToWorker,
  post: (m: FromWorker) => void,
): Promise<void> {
  switch (msg.type) {
    case 'init': {
      if (msg.v !== PROTOCOL_VERSION)
        throw new Error(`protocol version ${String(msg.v)} != ${String(PROTOCOL_VERSION)}`)
      host.session = msg.session
      host.level = msg.trace
      host.live = newEngine(host)
      host.past = null
      host.log.length = 0
      checkpointsClear(host.checkpoints.store)
      host.cancelled.clear()
      post({ type: 'ready', id: msg.id, v: PROTOCOL_VERSION })
      return
    }
    case 'exec': {
      if (host.cancelled.delete(msg.id)) {
        post({ type: 'cancelled', id: msg.id })
        return
      }
      const live = liveEngine(host)
      if (live.server.isBlocked?.(msg.client) === true)
        throw new Error(`client ${String(msg.client)} is waiting for a blocking command's reply`)
      const entry = {
        t: 'exec',
        client: msg.client,
        argv: msg.argv,
        at: live.clock.now(),
      } as const
      const trace = live.server.shouldClose(msg.client)
        ? closedExec(live, entry)
        : await execSliced(host, live, entry, msg.id, post)
      if (trace === null) {
        rebuildLive(host)
        post({ type: 'cancelled', id: msg.id })
        return
      }
      logPush(host.log, entry)
      post(executedMessage(msg.id, msg.argv, trace))
      return
    }
    case 'advanceClock': {
      const live = liveEngine(host)
      const entry: LogEntry = { t: 'tick', ms: msg.ms, n: 1 }
      const tick = applyOp(live, entry, host.level)
      logPush(host.log, entry)
      if (tick && !('seq' in tick) && !isWireConnect(tick))
        post({ type: 'ticked', id: msg.id, tick })
      return
    }
    case 'createClient': {
      const live = liveEngine(host)
      const client = live.server.createClient(CONSOLE_CLIENT)
      live.position++
      logPush(host.log, { t: 'client' })
      post({ type: 'clientCreated', id: msg.id, client })
      return
    }
    case 'reconnect': {
      const entry: LogEntry = { t: 'reconnect', client: msg.client }
      const connect = applyOp(liveEngine(host), entry, host.level)
      logPush(host.log, entry)
      if (connect && isWireConnect(connect)) post({ type: 'reconnected', id: msg.id, connect })
      return
    }
    case 'closeClient': {
      const entry: LogEntry = { t: 'close', client: msg.client }
      applyOp(liveEngine(host), entry, 'off')
      logPush(host.log, entry)
      post({ type: 'done', id: msg.id })
      return
    }
    case 'setTraceLevel':
      host.level = msg.level
      post({ type: 'done', id: msg.id })
      return
    case 'inspect': {
      const engine = engineAt(host, msg.position)
      const opts = msg.server === undefined ? { db: msg.db } : { db: msg.db, server: msg.server }
      post({ type: 'inspected', id: msg.id, view: engine.server.inspect(msg.key, opts) })
      return
    }
    case 'digest':
      post({ type: 'digested', id: msg.id, digest: engineAt(host, msg.position).server.digest() })
      return
    case 'replay': {
      const live = newEngine(host)
      host.live = live
      host.past = null
      host.log.length = 0
      checkpointsClear(host.checkpoints.store)
      const traces: (WireTrace | WireTick | WireConnect)[] = []
      const total = logLength(msg.log)
      let sinceYield = 0
      for (const entry of msg.log) {
        for (const op of expandOp(entry)) {
          const t = applyOp(live, op, msg.traces ? host.level : 'off')
          if (t && msg.traces) traces.push(t)
          if (++sinceYield >= REPLAY_CHUNK) {
            sinceYield = 0
            post({ type: 'progress', id: msg.id, done: live.position, total })
            await host.yieldNow()
            if (host.cancelled.delete(msg.id)) {
              post({ type: 'cancelled', id: msg.id })
              return
            }
          }
        }
        logPush(host.log, entry)
      }
      post({
        type: 'replayed',
        id: msg.id,
        traces,
        position: live.position,
        now: live.clock.now(),
      })
      return
    }
    case 'commands': {
      const { server } = liveEngine(host)
      const commands = commandDocs(server)
      // COMMAND and COMMAND DOCS are the app's own look-ups, not the user's: no MONITOR line.
      takeOutput(server)
      post({ type: 'commandList', id: msg.id, commands })
      return
    }
    case 'cancel':
      host.cancelled.add(msg.target)
      post({ type: 'done', id: msg.id })
      return
    case 'crash':
      throw new Error('DEBUG: worker crash requested')
    case 'ziplistLesson':
      post({ type: 'ziplistLessonRan', id: msg.id, result: runZiplistLesson(msg.request) })
      return
  }
}

/** Returns the log position the live engine stands at. */
export function hostPosition(host: EngineHost): number {
  return host.live?.position ?? 0
}

// --- Engines and ops ---

function newEngine(host: EngineHost): Engine {
  const session = host.session
  if (!session) throw new Error('engine not initialised')
  // Work the engine charges moves the virtual clock (workCost.ts): the time budgets of the
  // expire cycle, eviction and cron's rehash run out as they do in Redis.
  const clock = manualClock(session.startMs, { modelWork: true })
  const server = host.createServer({
    seed: session.seed,
    clock,
    config: session.config,
    trace: host.level,
    enableDebugCommand: 'yes',
  })
  return { server, clock, position: 0, waiting: new Set() }
}

/** An engine at the nearest checkpoint at or before `position`, else a fresh one. */
function restoreEngine(host: EngineHost, position: number): Engine {
  return engineFromCheckpoint(
    host.checkpoints,
    position,
    () => newEngine(host),
    (server, clock, at) => ({ server, clock, position: at, waiting: new Set<ClientId>() }),
  )
}

function liveEngine(host: EngineHost): Engine {
  if (!host.live) throw new Error('engine not initialised')
  return host.live
}

/**
 * Returns an engine standing at `position` (undefined: the live head). Reuses the scratch
 * engine when it is at or before the target, else rebuilds it from the seed.
 */
function engineAt(host: EngineHost, position: number | undefined): Engine {
  const live = liveEngine(host)
  if (position === undefined || position >= live.position) return live
  const past =
    host.past && host.past.position <= position ? host.past : restoreEngine(host, position)
  host.past = past
  return runForward(host, past, position)
}

/** Applies the log's ops from the engine's position up to `position`, tracing off. */
function runForward(host: EngineHost, engine: Engine, position: number): Engine {
  let index = 0
  for (const entry of host.log) {
    for (const op of expandOp(entry)) {
      if (index >= position) return engine
      if (index >= engine.position) {
        const argc = op.t === 'exec' ? op.argv.length : 0
        replayOp(host.checkpoints, engine, argc, () => applyOp(engine, op, 'off'))
      }
      index++
    }
  }
  return engine
}

/**
 * Replaces a live engine a cancelled command left half-changed with one at the log's head:
 * the scratch engine run forward when it stands at or before the head, else a fresh one.
 */
function rebuildLive(host: EngineHost): void {
  const head = logLength(host.log)
  const past = host.past && host.past.position <= head ? host.past : restoreEngine(host, head)
  host.past = null
  const live = runForward(host, past, head)
  // An engine from a checkpoint did not see its clients block: ask about every client the
  // log names (O(log), only after a cancel).
  live.waiting.clear()
  for (const e of host.log)
    if (e.t === 'exec' && live.server.isBlocked?.(e.client) === true) live.waiting.add(e.client)
  host.live = live
}

function* expandOp(e: LogEntry): Generator<LogEntry> {
  if (e.t !== 'tick') {
    yield e
    return
  }
  for (let i = 0; i < e.n; i++) yield { t: 'tick', ms: e.ms, n: 1 }
}

/** Applies one op (a tick run must be expanded first) and returns its capped trace. */
function applyOp(
  engine: Engine,
  op: LogEntry,
  level: TraceLevel,
): WireTrace | WireTick | WireConnect | null {
  const { server, clock } = engine
  switch (op.t) {
    case 'exec': {
      if (server.shouldClose(op.client)) return closedExec(engine, op)
      prepareExec(engine, op, level)
      let trace: Trace
      try {
        trace = server.execute(op.argv, op.client)
      } catch (err) {
        trace = internalError(op, err)
      }
      engine.position++
      const wire = capTrace(trace, engine, takeOutput(server), waits(engine, op.client))
      closeIfAsked(engine, op.client)
      return wire
    }
    case 'tick': {
      server.setTraceLevel(level)
      const before = clock.now()
      // At "off" no event tells that the tick expired keys: count them (O(dbs)).
      const keys = level === 'off' ? server.keyCount?.() : undefined
      const tick = server.tick(op.ms)
      if (clock.now() === before) clock.advance(op.ms)
      engine.position++
      const removed = keys === undefined ? 0 : keys - (server.keyCount?.() ?? keys)
      const wire = capTick(tick, engine.position, takeOutput(server), waits(engine, null))
      return removed > 0 ? { ...wire, keysRemoved: removed } : wire
    }
    case 'client':
      server.createClient(CONSOLE_CLIENT)
      engine.position++
      return null
    case 'close':
      server.closeClient(op.client)
      engine.waiting.delete(op.client)
      engine.position++
      return null
    case 'reconnect': {
      // redisFree of the old context: a connection the server had not finished goes now.
      server.closeClient(op.client)
      engine.waiting.delete(op.client)
      const client = server.createClient(CONSOLE_CLIENT)
      engine.position++
      const events: StepEvent[] =
        level === 'off' ? [] : [{ type: 'client/connected', client, replaces: op.client }]
      return {
        connected: client,
        replaces: op.client,
        at: clock.now(),
        position: engine.position,
        events,
      }
    }
  }
}

/**
 * An exec for a client the server has closed: nothing runs (a transport has no connection
 * to read it from), and the trace says `closed`. A client still known but marked to close
 * (an engine that predates closeIfAsked) is closed now.
 */
/** Past this many arguments the answer to an exec leaves out the argv the page sent. */
const ARGV_ECHO_MAX = 1000

/**
 * The answer to an exec: its trace, without the argv when it is long and the request's own
 * (the page keeps the argv it sent; the client puts it back, see FromWorker 'executed').
 */
function executedMessage(id: RequestId, sent: readonly string[], trace: WireTrace): FromWorker {
  const same =
    trace.argv.length > ARGV_ECHO_MAX &&
    trace.argv.length === sent.length &&
    trace.argv.every((a, i) => a === sent[i])
  return same
    ? { type: 'executed', id, trace: { ...trace, argv: [] }, sameArgv: true }
    : { type: 'executed', id, trace }
}

function closedExec(engine: Engine, op: ExecOp): WireTrace {
  engine.server.closeClient(op.client)
  engine.waiting.delete(op.client)
  engine.position++
  const reply: Reply = { type: 'error', value: 'Server closed the connection' }
  return {
    seq: -1,
    client: op.client,
    db: 0,
    argv: op.argv,
    at: op.at,
    reply,
    events: [],
    closed: true,
    position: engine.position,
    dropped: 0,
  }
}

/**
 * Closes the client after its reply when it asked to (QUIT) or was killed while running
 * (CLIENT KILL SKIPME no, ACL DELUSER of its own user), as the transport closes the socket.
 */
function closeIfAsked(engine: Engine, client: ClientId): void {
  if (!engine.server.shouldClose(client)) return
  engine.server.closeClient(client)
  engine.waiting.delete(client)
}

/** Sets the clock to the command's instant and the trace level for it. */
function prepareExec(engine: Engine, op: ExecOp, level: TraceLevel): void {
  if (engine.clock.now() !== op.at) engine.clock.set(op.at)
  engine.server.setTraceLevel(isBulkLoad(op.argv) ? 'off' : level)
}

/**
 * Runs a command on the live engine in slices of about `sliceMs` of work, posting progress
 * and yielding between them. Returns its trace, or null when it was cancelled (the engine
 * is then half-changed and must be rebuilt). A server without executeSliced runs it whole.
 */
async function execSliced(
  host: EngineHost,
  engine: Engine,
  op: ExecOp,
  id: RequestId,
  post: (m: FromWorker) => void,
): Promise<WireTrace | null> {
  const { server } = engine
  if (!server.executeSliced) {
    const t = applyOp(engine, op, host.level)
    return t && 'seq' in t ? t : null
  }
  prepareExec(engine, op, host.level)
  const { now, sliceMs, fixed } = host.slicing
  let units = host.slicing.units
  let trace: Trace
  try {
    const job = server.executeSliced(op.argv, op.client)
    for (;;) {
      const t0 = now()
      const s = job.step(units)
      if (s.finished) {
        trace = s.trace
        break
      }
      if (!fixed) units = nextSliceUnits(units, now() - t0, sliceMs)
      post({ type: 'progress', id, done: s.done, total: s.total })
      await host.yieldNow()
      if (host.cancelled.delete(id)) return null
    }
  } catch (err) {
    // As in applyOp: the error is the reply, and a replay (unsliced) throws at the same point.
    trace = internalError(op, err)
  }
  engine.position++
  const wire = capTrace(trace, engine, takeOutput(server), waits(engine, op.client))
  closeIfAsked(engine, op.client)
  return wire
}

/** Grows or shrinks a slice so the next one takes about `targetMs`. */
function nextSliceUnits(units: number, elapsedMs: number, targetMs: number): number {
  if (elapsedMs < targetMs / 2) return Math.min(units * 2, 1 << 20)
  if (elapsedMs > targetMs * 2) return Math.max(64, Math.floor(units / 2))
  return units
}

/** Tells whether a command is a bulk load, run with tracing off. */
function isBulkLoad(argv: readonly string[]): boolean {
  return argv[0]?.toUpperCase() === 'DEBUG' && argv[1]?.toUpperCase() === 'POPULATE'
}

type ExecOp = Extract<LogEntry, { t: 'exec' }>

function internalError(op: ExecOp, err: unknown): Trace {
  const message = err instanceof Error ? err.message : String(err)
  const reply: Reply = { type: 'error', value: `ERR internal engine error: ${message}` }
  return { seq: -1, client: op.client, db: 0, argv: op.argv, at: op.at, reply, events: [] }
}

function capEvents(events: readonly StepEvent[]): {
  events: readonly StepEvent[]
  dropped: number
} {
  if (events.length <= MAX_EVENTS_PER_TRACE) return { events, dropped: 0 }
  return {
    events: events.slice(0, MAX_EVENTS_PER_TRACE),
    dropped: events.length - MAX_EVENTS_PER_TRACE,
  }
}

/**
 * Takes what the op queued for clients outside request and reply (MONITOR's lines), so that
 * the outbox is empty between ops: output rides on the trace of the op that produced it,
 * and an engine run forward for time travel drops it with the trace (protocol.ts WireOutput).
 */
function takeOutput(server: RedisServer): WireOutput {
  const out = server.drainOutbox?.()
  if (out === undefined || out.size === 0) return {}
  return { output: [...out] }
}

/** What an op did to blocked clients; `client` is the exec's (null for a tick). */
interface Waits extends WireWaits {
  readonly blocked?: true
}

/**
 * Updates the engine's set of waiting clients after an op: the exec's client if it blocked,
 * minus every client no longer blocked (served, timed out, unblocked).
 */
function waits(engine: Engine, client: ClientId | null): Waits {
  const { server, waiting } = engine
  const blocked = client !== null && server.isBlocked?.(client) === true
  if (blocked) waiting.add(client)
  if (waiting.size === 0) return {}
  let unblocked: ClientId[] | null = null
  let lost: ClientId[] | null = null
  for (const id of waiting)
    if (server.isBlocked?.(id) !== true) {
      waiting.delete(id)
      ;(unblocked ??= []).push(id)
      if (server.shouldClose(id)) (lost ??= []).push(id)
    }
  return {
    ...(blocked ? { blocked: true as const } : {}),
    ...(unblocked ? { unblocked } : {}),
    ...(lost ? { lost } : {}),
  }
}

function capTrace(t: Trace, engine: Engine, output: WireOutput, w: Waits): WireTrace {
  const cut = cutReply(t.reply, MAX_WIRE_REPLY_LINES)
  const keys = commandKeys(engine.server, t.argv)
  const key = keys[0]
  const distinct = keys.length > 1 ? new Set(keys).size : keys.length
  const end = engine.clock.now()
  return {
    ...t,
    ...capEvents(t.events),
    position: engine.position,
    ...output,
    ...w,
    ...(cut.left > 0 ? { reply: cut.reply, replyCut: cut.left } : {}),
    ...(key === undefined ? {} : { key }),
    ...(distinct > 1 ? { keys: distinct } : {}),
    ...(end > t.at ? { end } : {}),
  }
}

/** The keys the command names, for the panels; none if finding them fails (the reply stands). */
function commandKeys(server: RedisServer, argv: readonly string[]): readonly string[] {
  try {
    return server.commandKeys?.(argv) ?? []
  } catch {
    return []
  }
}

/**
 * Keeps the first `budget` scalar elements of a reply (one console line each) and counts
 * the rest, so a huge array is not structured-cloned to the page only to be left unprinted.
 */
export function cutReply(reply: Reply, budget: number): { reply: Reply; left: number } {
  let room = budget
  let left = 0
  const walk = (r: Reply): Reply | null => {
    if (r.type === 'sequence') {
      // Several replies (SUBSCRIBE a b): cut like an array's elements, kept a sequence.
      const kept = r.value.map(walk).filter((k): k is Reply => k !== null)
      if (kept.length === 0) return null
      return kept.length === r.value.length && kept.every((k, i) => k === r.value[i])
        ? r
        : { type: 'sequence', value: kept }
    }
    const aggregate =
      r.type === 'array' ||
      r.type === 'map' ||
      r.type === 'set' ||
      r.type === 'push' ||
      r.type === 'attribute'
    if (!aggregate || r.value === null || r.value.length === 0) {
      if (room > 0) {
        room--
        return r
      }
      left++
      return null
    }
    const kept: Reply[] = []
    let same = true
    for (const el of r.value) {
      const k = walk(el)
      if (k !== el) same = false
      if (k !== null) kept.push(k)
    }
    if (same) return r
    // A map (or attribute) keeps whole pairs: a key cut from its value is left out too.
    if ((r.type === 'map' || r.type === 'attribute') && kept.length % 2 === 1) {
      kept.pop()
      left++
    }
    return { type: r.type, value: kept }
  }
  const kept = walk(reply)
  return { reply: kept ?? { type: 'array', value: [] }, left }
}

function capTick(t: TickTrace, position: number, output: WireOutput, w: WireWaits): WireTick {
  return { ...t, ...capEvents(t.events), position, ...output, ...w }
}

// --- Command docs ---

/**
 * Reads the command table through COMMAND DOCS (names, summaries, argument trees) and
 * COMMAND INFO (arity), the way redis-cli 7 builds its hints. Missing pieces are tolerated:
 * an engine without COMMAND DOCS still yields names and arities from COMMAND.
 */
function commandDocs(server: RedisServer): CommandDoc[] {
  const arity = new Map<string, number>()
  const acl = new Map<string, string[]>()
  const info = safeCall(server, ['COMMAND'])
  if (info?.type === 'array' && info.value)
    for (const c of info.value) {
      if (c.type !== 'array' || !c.value) continue
      const [name, ar] = c.value
      if (name?.type === 'bulk' && name.value !== null && ar?.type === 'integer')
        arity.set(name.value.toUpperCase(), Number(ar.value))
      // The 7th field: the ACL categories, "@write" "@string" ...
      const cats = c.value[6]
      if (name?.type === 'bulk' && name.value !== null && cats?.type === 'array' && cats.value)
        acl.set(
          name.value.toUpperCase(),
          cats.value.map((x) => (x.type === 'simple' || x.type === 'bulk' ? text(x) : '').slice(1)),
        )
      const subs = c.value[9]
      if (subs?.type === 'array' && subs.value)
        for (const s of subs.value) {
          if (s.type !== 'array' || !s.value) continue
          const [sn, sa] = s.value
          if (sn?.type === 'bulk' && sn.value !== null && sa?.type === 'integer')
            arity.set(sn.value.toUpperCase().replace('|', ' '), Number(sa.value))
        }
    }
  const out = new Map<string, CommandDoc>()
  const docs = safeCall(server, ['COMMAND', 'DOCS'])
  if (docs?.type === 'array' && docs.value) collectDocs(docs.value, '', arity, out)
  for (const [name, a] of arity)
    if (!out.has(name))
      out.set(name, { name, params: '', summary: '', since: '', group: '', arity: a })
  for (const [name, cats] of acl) {
    const doc = out.get(name)
    if (doc) out.set(name, { ...doc, acl: cats })
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function collectDocs(
  flat: readonly Reply[],
  parent: string,
  arity: ReadonlyMap<string, number>,
  out: Map<string, CommandDoc>,
): void {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const nameR = flat[i]
    const docR = flat[i + 1]
    if (nameR?.type !== 'bulk' || nameR.value === null || docR?.type !== 'array' || !docR.value)
      continue
    const raw = nameR.value.toUpperCase()
    const name = parent
      ? `${parent} ${raw.includes('|') ? raw.slice(raw.indexOf('|') + 1) : raw}`
      : raw
    const doc = toMap(docR.value)
    const args = doc.get('arguments')
    out.set(name, {
      name,
      params: args?.type === 'array' && args.value ? formatArgs(args.value) : '',
      summary: text(doc.get('summary')),
      since: text(doc.get('since')),
      group: text(doc.get('group')),
      arity: arity.get(name) ?? 0,
    })
    const subs = doc.get('subcommands')
    if (subs?.type === 'array' && subs.value) collectDocs(subs.value, name, arity, out)
  }
}

function toMap(flat: readonly Reply[]): Map<string, Reply> {
  const m = new Map<string, Reply>()
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const k = flat[i]
    const v = flat[i + 1]
    if (k && v && (k.type === 'bulk' || k.type === 'simple') && k.value !== null) m.set(k.value, v)
  }
  return m
}

function text(r: Reply | undefined): string {
  return r && (r.type === 'bulk' || r.type === 'simple') && r.value !== null ? r.value : ''
}

/** Formats an argument list as redis-cli's help shows it: `key value [NX|XX] [GET]`. */
function formatArgs(args: readonly Reply[]): string {
  return args
    .map((a) => (a.type === 'array' && a.value ? formatArg(toMap(a.value)) : ''))
    .filter((s) => s !== '')
    .join(' ')
}

function formatArg(arg: Map<string, Reply>): string {
  const type = text(arg.get('type'))
  const token = text(arg.get('token'))
  const name = text(arg.get('display_text')) || text(arg.get('name'))
  const children = arg.get('arguments')
  const kids =
    children?.type === 'array' && children.value
      ? children.value.map((c) => (c.type === 'array' && c.value ? formatArg(toMap(c.value)) : ''))
      : []
  const flagsR = arg.get('flags')
  const flags = new Set(
    flagsR?.type === 'array' && flagsR.value ? flagsR.value.map((f) => text(f)) : [],
  )
  let base =
    type === 'pure-token'
      ? token
      : type === 'block'
        ? kids.join(' ')
        : type === 'oneof'
          ? kids.join('|')
          : name
  if (token && type !== 'pure-token') base = `${token} ${base}`
  if (flags.has('multiple')) {
    const again = flags.has('multiple_token') || !token ? base : base.slice(token.length + 1)
    base = `${base} [${again} ...]`
  }
  return flags.has('optional') ? `[${base}]` : base
}

function safeCall(server: RedisServer, argv: readonly string[]): Reply | null {
  try {
    const r = server.call(argv)
    return r.type === 'error' ? null : r
  } catch {
    return null
  }
}
