/**
 * EngineClient: the main thread's handle on the engine worker. Each request gets a fresh
 * RequestId and a Promise that settles with the worker's answer.
 *
 * The client keeps the log of operations the worker acknowledged (commands, clock ticks,
 * client connections). That log is the recovery checkpoint: if the worker throws (onerror)
 * or stays silent past the watchdog window while a request is pending (a runaway command),
 * the client terminates it, starts a new one, replays the log with tracing off, re-sends the
 * requests that were still waiting, and reports one `restarted` notice. The request that was
 * running when the worker died is rejected and never enters the log, so nothing that was
 * acknowledged is lost and the culprit cannot crash the replay.
 *
 * Cancelling: the client sends `cancel` for the oldest running exec or replay; the worker
 * stops it between two slices and rebuilds its engine without it, and the request rejects
 * with a CancelledError (isCancelled). A long command posts `progress` between slices, which
 * also keeps the watchdog quiet. Should the worker not answer at all within the cancel grace
 * window (a command that does not run in slices and never ends), the client falls back to
 * terminating it and replaying the log without the command.
 */
import type { ClientId, InspectView } from '../engine/api.ts'
import type { TraceLevel } from '../engine/events.ts'
import type { ZiplistLessonRequest, ZiplistLessonResult } from '../engine/ziplistLesson.ts'
import {
  PROTOCOL_VERSION,
  isWorkerBatch,
  logLength,
  logPush,
  type CommandDoc,
  type FromWorker,
  type LogEntry,
  type RequestId,
  type SessionSeed,
  type ToWorker,
  type WireConnect,
  type WireTick,
  type WireTrace,
} from './protocol.ts'

// --- Types ---

/** The part of a Worker the client uses; tests pass an in-process fake. */
export interface WorkerLike {
  postMessage(m: ToWorker): void
  terminate(): void
  onmessage: ((ev: MessageEvent) => void) | null
  onerror: ((ev: ErrorEvent | Event) => void) | null
}

export type RestartReason = 'crash' | 'timeout' | 'cancel'

export interface ClientNotice {
  readonly kind: 'restarted' | 'failed'
  readonly reason: RestartReason
  /** Ops replayed into the new worker. */
  readonly ops: number
}

export interface EngineClientOptions {
  readonly spawn: () => WorkerLike
  readonly session: SessionSeed
  readonly trace: TraceLevel
  /** Silence (no answer, no progress) that counts as a runaway command. Default 60 s. */
  readonly watchdogMs?: number
  /** Silence after a cancel before the worker is restarted without the command. Default 10 s. */
  readonly cancelGraceMs?: number
  readonly onNotice?: (n: ClientNotice) => void
  /** Called for every acknowledged op, in order (the store mirrors the log). */
  readonly onLogged?: (e: LogEntry) => void
}

export interface ReplayResult {
  readonly traces: readonly (WireTrace | WireTick | WireConnect)[]
  readonly position: number
  readonly now: number
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
type RequestBody = DistributiveOmit<ToWorker, 'id'>

interface Pending {
  readonly msg: ToWorker
  readonly resolve: (m: FromWorker) => void
  readonly reject: (e: Error) => void
  readonly onProgress: ((done: number, total: number) => void) | undefined
}

export interface EngineClient {
  /** Starts the worker and waits for the version handshake. */
  start(): Promise<void>
  /** Runs a command; a long one reports progress (work units done of total) until it ends. */
  exec(
    argv: readonly string[],
    client: ClientId,
    onProgress?: (done: number, total: number) => void,
  ): Promise<WireTrace>
  advanceClock(ms: number): Promise<WireTick>
  createClient(): Promise<ClientId>
  closeClient(client: ClientId): Promise<void>
  /** A new client in place of one the server closed (a console tab reconnecting). */
  reconnect(client: ClientId): Promise<WireConnect>
  setTraceLevel(level: TraceLevel): Promise<void>
  /** `server`: a server-level view instead of a key's (api.ts InspectOptions.server). */
  inspect(
    key: string | null,
    db: number,
    position?: number,
    server?: 'clients',
  ): Promise<InspectView | null>
  digest(position?: number): Promise<string>
  /** Resets the engine to `session` and applies `log`, with progress. */
  replay(
    session: SessionSeed,
    log: readonly LogEntry[],
    traces: boolean,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ReplayResult>
  commands(): Promise<readonly CommandDoc[]>
  /** Cancels the oldest pending exec or replay. Returns whether something was cancelled. */
  cancel(): boolean
  /** Debug hook: makes the worker throw, to exercise recovery. */
  crash(): Promise<void>
  /** One step of the legacy ziplist lesson (not logged: outside the session). */
  ziplistLesson(request: ZiplistLessonRequest): Promise<ZiplistLessonResult>
  /** The acknowledged log (a copy). */
  log(): readonly LogEntry[]
  session(): SessionSeed
  /** Tells whether a request is waiting for the worker. */
  busy(): boolean
  dispose(): void
}

/** Recoveries in a row after which the client gives up instead of looping. */
const MAX_RESTARTS_IN_A_ROW = 3

const CANCELLED = 'CancelledError'

/** Tells whether a request failed because it was cancelled (its command never happened). */
export function isCancelled(err: unknown): boolean {
  return err instanceof Error && err.name === CANCELLED
}

function cancelledError(): Error {
  const e = new Error('cancelled')
  e.name = CANCELLED
  return e
}

// --- API ---

/** Creates a client; call start() before anything else. */
export function createEngineClient(opts: EngineClientOptions): EngineClient {
  const watchdogMs = opts.watchdogMs ?? 60_000
  const cancelGraceMs = opts.cancelGraceMs ?? 10_000
  /** Answers to pending requests so far: a cancel's fallback checks whether any came. */
  let heard = 0
  let session = opts.session
  let trace = opts.trace
  let worker: WorkerLike | null = null
  let nextId = 1
  const pending = new Map<RequestId, Pending>()
  const log: LogEntry[] = []
  let watchdog: ReturnType<typeof setTimeout> | null = null
  let restartsInARow = 0
  let disposed = false

  function newId(): RequestId {
    return nextId++ as RequestId
  }

  function armWatchdog(): void {
    if (watchdog !== null) clearTimeout(watchdog)
    watchdog = null
    if (pending.size > 0 && !disposed)
      watchdog = setTimeout(() => {
        recover('timeout')
      }, watchdogMs)
  }

  function spawn(): void {
    const w = opts.spawn()
    worker = w
    w.onmessage = (ev) => {
      if (w !== worker) return
      const data: unknown = ev.data
      if (!isWorkerBatch(data)) return
      for (const m of data.messages) receive(m)
      armWatchdog()
    }
    w.onerror = (ev) => {
      if (w !== worker) return
      ev.preventDefault()
      recover('crash')
    }
  }

  function receive(m: FromWorker): void {
    const p = pending.get(m.id)
    if (!p) return
    heard++
    if (m.type === 'progress') {
      p.onProgress?.(m.done, m.total)
      return
    }
    pending.delete(m.id)
    if (m.type !== 'ready') restartsInARow = 0
    const answer =
      m.type === 'executed' && m.sameArgv === true && p.msg.type === 'exec'
        ? { type: m.type, id: m.id, trace: { ...m.trace, argv: p.msg.argv } }
        : m
    acknowledge(p.msg, answer)
    if (answer.type === 'failed') p.reject(new Error(answer.message))
    else if (answer.type === 'cancelled') p.reject(cancelledError())
    else p.resolve(answer)
  }

  /** Mirrors a successful state-changing answer into the log. */
  function acknowledge(req: ToWorker, m: FromWorker): void {
    let e: LogEntry | null = null
    if (m.type === 'executed')
      e = { t: 'exec', client: m.trace.client, argv: m.trace.argv, at: m.trace.at }
    else if (m.type === 'ticked' && req.type === 'advanceClock') e = { t: 'tick', ms: req.ms, n: 1 }
    else if (m.type === 'clientCreated') e = { t: 'client' }
    else if (m.type === 'done' && req.type === 'closeClient') e = { t: 'close', client: req.client }
    else if (m.type === 'reconnected') e = { t: 'reconnect', client: m.connect.replaces }
    if (e) {
      logPush(log, e)
      opts.onLogged?.(e)
    }
  }

  function send(
    body: RequestBody,
    onProgress?: (done: number, total: number) => void,
  ): Promise<FromWorker> {
    if (disposed) return Promise.reject(new Error('engine client disposed'))
    const id = newId()
    const msg = { ...body, id } as ToWorker
    return new Promise((resolve, reject) => {
      pending.set(id, { msg, resolve, reject, onProgress })
      worker?.postMessage(msg)
      armWatchdog()
    })
  }

  /** Sends init (and a replay of the acknowledged log) to a fresh worker, ahead of `after`. */
  function boot(after: readonly Pending[]): void {
    spawn()
    const w = worker
    if (!w) return
    const initId = newId()
    const replayId = newId()
    const init: ToWorker = { type: 'init', id: initId, v: PROTOCOL_VERSION, session, trace }
    const replay: ToWorker = { type: 'replay', id: replayId, log: [...log], traces: false }
    const ignore = (): void => undefined
    pending.set(initId, { msg: init, resolve: ignore, reject: ignore, onProgress: undefined })
    w.postMessage(init)
    if (log.length > 0) {
      pending.set(replayId, { msg: replay, resolve: ignore, reject: ignore, onProgress: undefined })
      w.postMessage(replay)
    }
    for (const p of after) {
      pending.set(p.msg.id, p)
      w.postMessage(p.msg)
    }
    armWatchdog()
  }

  function recover(reason: RestartReason): void {
    if (disposed) return
    worker?.terminate()
    worker = null
    const waiting = [...pending.values()].filter(
      (p) => p.msg.type !== 'init' && p.msg.type !== 'replay',
    )
    const internal = [...pending.values()].filter(
      (p) => p.msg.type === 'init' || p.msg.type === 'replay',
    )
    pending.clear()
    // The oldest user request is the one the worker was running: it is the culprit.
    const [culprit, ...rest] = waiting
    const error =
      reason === 'cancel'
        ? cancelledError()
        : new Error(
            reason === 'timeout'
              ? `no answer within ${String(watchdogMs / 1000)} s; the engine was restarted`
              : 'the engine worker crashed and was restarted',
          )
    if (culprit && internal.length === 0) culprit.reject(error)
    else if (culprit) rest.unshift(culprit)
    restartsInARow++
    if (restartsInARow > MAX_RESTARTS_IN_A_ROW) {
      for (const p of rest) p.reject(new Error('the engine worker keeps failing'))
      opts.onNotice?.({ kind: 'failed', reason, ops: logLength(log) })
      return
    }
    boot(rest)
    opts.onNotice?.({ kind: 'restarted', reason, ops: logLength(log) })
  }

  function expect<T extends FromWorker['type']>(
    m: FromWorker,
    type: T,
  ): Extract<FromWorker, { type: T }> {
    if (m.type !== type) throw new Error(`unexpected answer ${m.type} (wanted ${type})`)
    return m as Extract<FromWorker, { type: T }>
  }

  return {
    async start() {
      spawn()
      const m = await send({ type: 'init', v: PROTOCOL_VERSION, session, trace })
      const ready = expect(m, 'ready')
      if (ready.v !== PROTOCOL_VERSION) throw new Error('engine worker protocol mismatch')
    },
    async exec(argv, client, onProgress) {
      return expect(await send({ type: 'exec', argv, client }, onProgress), 'executed').trace
    },
    async advanceClock(ms) {
      return expect(await send({ type: 'advanceClock', ms }), 'ticked').tick
    },
    async createClient() {
      return expect(await send({ type: 'createClient' }), 'clientCreated').client
    },
    async closeClient(client) {
      expect(await send({ type: 'closeClient', client }), 'done')
    },
    async reconnect(client) {
      return expect(await send({ type: 'reconnect', client }), 'reconnected').connect
    },
    async setTraceLevel(level) {
      trace = level
      expect(await send({ type: 'setTraceLevel', level }), 'done')
    },
    async inspect(key, db, position, server) {
      const base: RequestBody =
        position === undefined
          ? { type: 'inspect', key, db }
          : { type: 'inspect', key, db, position }
      const body: RequestBody = server === undefined ? base : { ...base, server }
      return expect(await send(body), 'inspected').view
    },
    async digest(position) {
      const body: RequestBody =
        position === undefined ? { type: 'digest' } : { type: 'digest', position }
      return expect(await send(body), 'digested').digest
    },
    async replay(newSession, newLog, traces, onProgress) {
      session = newSession
      expect(await send({ type: 'init', v: PROTOCOL_VERSION, session, trace }), 'ready')
      log.length = 0
      let m: FromWorker
      try {
        m = await send({ type: 'replay', log: newLog, traces }, onProgress)
      } catch (err) {
        // A cancelled replay leaves a partial engine: start again from the bare seed.
        await send({ type: 'init', v: PROTOCOL_VERSION, session, trace })
        throw err
      }
      for (const e of newLog) logPush(log, e)
      const r = expect(m, 'replayed')
      return { traces: r.traces, position: r.position, now: r.now }
    },
    async commands() {
      return expect(await send({ type: 'commands' }), 'commandList').commands
    },
    cancel() {
      const target = [...pending.values()].find(
        (p) => p.msg.type === 'exec' || p.msg.type === 'replay',
      )
      if (!target) return false
      const targetId = target.msg.id
      // Fire and forget: the target's own answer (`cancelled`, or its result) settles it.
      worker?.postMessage({ type: 'cancel', id: newId(), target: targetId })
      // Fallback for a worker that says nothing at all (a command that does not run in
      // slices and never ends): restart it without the command.
      const heardAtCancel = heard
      setTimeout(() => {
        if (pending.has(targetId) && heard === heardAtCancel && !disposed) recover('cancel')
      }, cancelGraceMs)
      return true
    },
    async crash() {
      await send({ type: 'crash' })
    },
    async ziplistLesson(request) {
      return expect(await send({ type: 'ziplistLesson', request }), 'ziplistLessonRan').result
    },
    log: () => [...log],
    session: () => session,
    busy: () => pending.size > 0,
    dispose() {
      disposed = true
      if (watchdog !== null) clearTimeout(watchdog)
      worker?.terminate()
      worker = null
      for (const p of pending.values()) p.reject(new Error('engine client disposed'))
      pending.clear()
    },
  }
}

/** Spawns the real engine worker (Vite bundles it from this URL pattern). */
export function spawnEngineWorker(): WorkerLike {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'redis-xray-engine',
  }) as unknown as WorkerLike
}
