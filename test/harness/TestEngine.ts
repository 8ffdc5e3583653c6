/**
 * A small test harness over the engine (tldraw's TestEditor idea): one server with a
 * manual clock and a default client, plus helpers to run commands and read their traces.
 *
 *   const t = createTestEngine({ seed: 1 })
 *   t.exec('SET', 'k', 'v')            // → { type: 'simple', value: 'OK' }
 *   t.eventsOfType('dict/keyAdded')    // events of the last command
 *   t.tick(1000)                       // advance the virtual clock, run cron
 *
 * Arguments are JS strings taken as byte strings (ASCII in practice); use utf8ToBytes for
 * text outside Latin-1.
 */
import { createServer, manualClock } from '../../src/engine/index.ts'
import type {
  ClientId,
  EngineConfig,
  EngineServer,
  ManualClock,
  Reply,
  StepEvent,
  StepEventOf,
  StepEventType,
  TickTrace,
  Trace,
  TraceLevel,
} from '../../src/engine/index.ts'

export interface TestEngineOptions {
  seed?: number
  config?: EngineConfig
  trace?: TraceLevel
  enableDebugCommand?: 'yes' | 'local' | 'no'
  startMs?: number
}

export interface TestEngine {
  readonly server: EngineServer
  readonly clock: ManualClock
  /** The default client (created first). */
  readonly client: ClientId
  /** Runs a command on the default client (or `on`) and returns its reply. */
  exec(...argv: string[]): Reply
  /** Runs a command on a given client. */
  execOn(client: ClientId, ...argv: string[]): Reply
  /** Runs a command and returns its full trace. */
  trace(...argv: string[]): Trace
  /** The last command's trace. */
  readonly last: Trace | null
  /** Events of the last command (or tick) of one type. */
  eventsOfType<T extends StepEventType>(type: T): StepEventOf<T>[]
  /** Advances the virtual clock and runs cron. */
  tick(ms: number): TickTrace
  newClient(opts?: { local?: boolean }): ClientId
}

/** Creates a test engine: seed 1, trace 'full', DEBUG allowed, unless told otherwise. */
export function createTestEngine(opts: TestEngineOptions = {}): TestEngine {
  const clock = manualClock(opts.startMs)
  const server = createServer({
    seed: opts.seed ?? 1,
    clock,
    trace: opts.trace ?? 'full',
    enableDebugCommand: opts.enableDebugCommand ?? 'yes',
    ...(opts.config !== undefined ? { config: opts.config } : {}),
  })
  const client = server.createClient()
  let last: Trace | null = null
  let lastEvents: readonly StepEvent[] = []
  const run = (c: ClientId, argv: string[]): Trace => {
    last = server.execute(argv, c)
    lastEvents = last.events
    return last
  }
  return {
    server,
    clock,
    client,
    exec: (...argv) => run(client, argv).reply,
    execOn: (c, ...argv) => run(c, argv).reply,
    trace: (...argv) => run(client, argv),
    get last() {
      return last
    },
    eventsOfType: <T extends StepEventType>(type: T) =>
      lastEvents.filter((e): e is StepEventOf<T> => e.type === type),
    tick: (ms) => {
      const t = server.tick(ms)
      lastEvents = t.events
      return t
    },
    newClient: (o) => server.createClient(o),
  }
}

/** Shorthands for expected replies. */
export const r = {
  ok: { type: 'simple', value: 'OK' } as Reply,
  simple: (value: string): Reply => ({ type: 'simple', value }),
  err: (value: string): Reply => ({ type: 'error', value }),
  int: (value: number | bigint): Reply => ({ type: 'integer', value }),
  bulk: (value: string | null): Reply => ({ type: 'bulk', value }),
  arr: (value: readonly Reply[] | null): Reply => ({ type: 'array', value }),
  bulks: (...values: (string | null)[]): Reply => ({
    type: 'array',
    value: values.map((v) => ({ type: 'bulk', value: v }) as Reply),
  }),
}
