/**
 * Step events as an outside reader of design.md ("Step events") would test them, through the
 * public barrel only: each event the document names comes from the command that should cause
 * it, at the trace level it belongs to; events are plain structured-cloneable facts (no prose,
 * no pixels); one command yields one trace { seq, argv, at, reply, events }; the trace level
 * never changes what the engine does.
 */
import { describe, expect, it } from 'vitest'
import {
  createServer,
  manualClock,
  type ConfigOverrides,
  type StepEvent,
  type TraceLevel,
} from '../../../src/engine/index.ts'

type Step = readonly string[] | { readonly tick: number }

interface Scenario {
  /** The event design.md names. */
  readonly event: StepEvent['type']
  readonly config?: ConfigOverrides
  /** Commands before the one that should cause the event (their events are not looked at). */
  readonly setup: readonly Step[]
  /** The command (or tick) that should cause it. */
  readonly cause: Step
  /** Recorded at summary level too, or only at full. */
  readonly level: 'summary' | 'full'
  /** On the app's clock, which work moves (clock.ts modelWork): for time budgets. */
  readonly modelWork?: boolean
}

const keys = (n: number, prefix = 'k'): string[][] =>
  Array.from({ length: n }, (_, i) => ['SET', `${prefix}${String(i)}`, 'v'])

const SCENARIOS: readonly Scenario[] = [
  { event: 'dict/keyAdded', setup: [], cause: ['SET', 'a', '1'], level: 'full' },
  // The keyspace dict starts at 4 buckets: the 5th key expands it to 8.
  { event: 'dict/expandStarted', setup: keys(4), cause: ['SET', 'k4', 'v'], level: 'summary' },
  {
    event: 'dict/bucketRehashed',
    setup: keys(5),
    cause: ['SET', 'k5', 'v'],
    level: 'summary',
  },
  {
    // Keys deleted, the cron shrinks the dict (128 buckets to 2) but, with activerehashing
    // off, leaves the rehash to commands: each moves one bucket, skipping up to 10 empty ones.
    event: 'dict/emptyBucketsSkipped',
    config: { activerehashing: false },
    setup: [
      ...keys(100),
      ...Array.from({ length: 99 }, (_, i) => ['DEL', `k${String(i)}`]),
      { tick: 100 },
    ],
    cause: ['GET', 'k99'],
    level: 'full',
  },
  {
    event: 'dict/rehashCompleted',
    setup: keys(5),
    cause: { tick: 1000 },
    level: 'summary',
  },
  {
    event: 'dict/shrinkStarted',
    setup: [...keys(100), ...Array.from({ length: 99 }, (_, i) => ['DEL', `k${String(i)}`])],
    cause: { tick: 1000 },
    level: 'summary',
  },
  {
    // A hash's own dict shrinks on the delete that empties it below 10% (t_hash.c).
    event: 'dict/shrinkStarted',
    setup: [
      ['HSET', 'h', ...Array.from({ length: 1000 }, (_, i) => [`f${String(i)}`, 'v']).flat()],
    ],
    cause: ['HDEL', 'h', ...Array.from({ length: 950 }, (_, i) => `f${String(i)}`)],
    level: 'summary',
  },
  {
    event: 'intset/searched',
    setup: [['SADD', 's', '1', '5', '9']],
    cause: ['SISMEMBER', 's', '5'],
    level: 'full',
  },
  { event: 'intset/inserted', setup: [], cause: ['SADD', 's', '7'], level: 'summary' },
  {
    event: 'intset/upgraded',
    setup: [['SADD', 's', '1', '2']],
    cause: ['SADD', 's', '100000'],
    level: 'summary',
  },
  {
    event: 'zsl/levelDrawn',
    config: { 'zset-max-listpack-entries': 0 },
    setup: [],
    cause: ['ZADD', 'z', '1', 'a'],
    level: 'summary',
  },
  {
    event: 'zsl/nodeInserted',
    config: { 'zset-max-listpack-entries': 0 },
    setup: [['ZADD', 'z', '1', 'a']],
    cause: ['ZADD', 'z', '2', 'b'],
    level: 'summary',
  },
  { event: 'listpack/entryInserted', setup: [], cause: ['HSET', 'h', 'f', 'v'], level: 'summary' },
  {
    event: 'listpack/entryInserted',
    setup: [['RPUSH', 'l', 'a']],
    cause: ['RPUSH', 'l', 'b'],
    level: 'summary',
  },
  {
    event: 'object/encodingConverted',
    setup: [['SADD', 's', '1']],
    cause: ['SADD', 's', 'x'],
    level: 'summary',
  },
  {
    event: 'object/encodingConverted',
    setup: [['SET', 's', 'abc']],
    cause: ['APPEND', 's', 'def'],
    level: 'summary',
  },
  {
    event: 'expire/keyExpiredLazily',
    setup: [['SET', 'k', 'v', 'PX', '10'], { tick: 20 }],
    cause: ['GET', 'k'],
    level: 'summary',
  },
  {
    event: 'expire/cycleRan',
    setup: [['SET', 'k', 'v', 'EX', '100']],
    cause: { tick: 1000 },
    level: 'summary',
  },
  ...(['evict/keysSampled', 'evict/poolUpdated', 'evict/keyPicked'] as const).map(
    (event): Scenario => ({
      event,
      config: { maxmemory: '1mb', 'maxmemory-policy': 'allkeys-lru' },
      setup: Array.from({ length: 100 }, (_, i) => ['SET', `big${String(i)}`, 'x'.repeat(9000)]),
      cause: ['SET', 'one-more', 'x'.repeat(9000)],
      level: 'summary',
    }),
  ),
  {
    // 2 MB of values, maxmemory then set to 1 MB: about 1000 evictions at 3 µs each take
    // longer than tenacity 10's 500 µs, and the time proc goes on after the command.
    event: 'evict/timeLimitReached',
    config: { 'maxmemory-policy': 'allkeys-random' },
    setup: Array.from({ length: 2000 }, (_, i) => ['SET', `v${String(i)}`, 'x'.repeat(1000)]),
    cause: ['CONFIG', 'SET', 'maxmemory', '1mb'],
    level: 'summary',
    modelWork: true,
  },
  {
    event: 'sds/grown',
    setup: [['SET', 's', 'x'.repeat(50)]],
    cause: ['APPEND', 's', 'y'.repeat(50)],
    level: 'summary',
  },
  {
    event: 'memory/oomRejected',
    config: { maxmemory: '1mb', 'maxmemory-policy': 'noeviction' },
    setup: Array.from({ length: 150 }, (_, i) => ['SET', `big${String(i)}`, 'x'.repeat(9000)]),
    cause: ['SET', 'one-more', 'v'],
    level: 'summary',
  },
]

/** Runs a scenario at a trace level; the events of its cause. */
function eventsOf(s: Scenario, trace: TraceLevel): readonly StepEvent[] {
  const server = createServer({
    seed: 3,
    clock: manualClock(undefined, { modelWork: s.modelWork === true }),
    trace,
    ...(s.config === undefined ? {} : { config: s.config }),
  })
  const run = (step: Step): readonly StepEvent[] =>
    'tick' in step ? server.tick(step.tick).events : server.execute(step).events
  for (const step of s.setup) run(step)
  return run(s.cause)
}

const describeStep = (step: Step): string =>
  'tick' in step ? `tick(${String(step.tick)})` : step.join(' ').slice(0, 40)

/** Field names and string contents that would be drawing instructions or prose. */
const PIXELS = /^(x|y|px|left|top|color|colour|stroke|duration|delay|text|caption|message)$/i

function assertPlainFacts(e: unknown, path: string): void {
  if (typeof e === 'function' || typeof e === 'symbol') throw new Error(`${path} is a ${typeof e}`)
  if (typeof e !== 'object' || e === null) return
  if (Array.isArray(e)) {
    e.forEach((v, i) => {
      assertPlainFacts(v, `${path}[${String(i)}]`)
    })
    return
  }
  const proto = Object.getPrototypeOf(e) as unknown
  expect(proto === Object.prototype || proto === null, `${path} is a plain object`).toBe(true)
  for (const [k, v] of Object.entries(e as Record<string, unknown>)) {
    expect(k, `${path}.${k} looks like a drawing instruction or prose`).not.toMatch(PIXELS)
    assertPlainFacts(v, `${path}.${k}`)
  }
}

describe('each event design.md names comes from the command that causes it', () => {
  it.each(SCENARIOS.map((s) => [s.event, describeStep(s.cause), s] as const))(
    '%s from %s',
    (type, _cause, s) => {
      const full = eventsOf(s, 'full').filter((e) => e.type === type)
      expect(full.length).toBeGreaterThan(0)
      const summary = eventsOf(s, 'summary').filter((e) => e.type === type)
      if (s.level === 'summary') expect(summary).toEqual(full)
      else expect(summary).toEqual([])
      expect(eventsOf(s, 'off')).toEqual([])
      for (const e of full) {
        expect(structuredClone(e)).toEqual(e)
        assertPlainFacts(e, type)
      }
    },
  )

  it('carries the explanation as an id with params, never a sentence', () => {
    const events = SCENARIOS.flatMap((s) => eventsOf(s, 'full'))
    const converted = events.filter((e) => e.type === 'object/encodingConverted')
    expect(converted.length).toBeGreaterThan(0)
    for (const e of converted) {
      expect(e.reason).toMatch(/^[a-zA-Z]+$/)
      expect(structuredClone(e.params)).toEqual(e.params)
    }
    for (const e of events) expect(e.type).toMatch(/^[a-z]+\/[a-z][a-zA-Z]*$/)
  })
})

describe('one command yields one trace', () => {
  it('is { seq, argv, at, reply, events } with seq counting commands and at frozen time', () => {
    const clock = manualClock(1_700_000_000_000)
    const server = createServer({ seed: 1, clock, trace: 'full' })
    const first = server.execute(['SET', 'k', 'v'])
    clock.advance(5)
    const second = server.execute(['GET', 'k'])
    expect(first).toMatchObject({
      argv: ['SET', 'k', 'v'],
      at: 1_700_000_000_000,
      reply: { type: 'simple', value: 'OK' },
    })
    expect(second).toMatchObject({ at: 1_700_000_000_005, reply: { type: 'bulk', value: 'v' } })
    expect(second.seq).toBe(first.seq + 1)
    expect(first.events.map((e) => e.type)).toContain('dict/keyAdded')
    expect(structuredClone(first)).toEqual(first)
  })

  it('gives an error reply its trace too', () => {
    const server = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    const t = server.execute(['GET'])
    expect(t.reply).toEqual({
      type: 'error',
      value: "ERR wrong number of arguments for 'get' command",
    })
    expect(t.events).toEqual([])
  })
})

describe('the trace level never changes behaviour', () => {
  // Commands that draw random numbers (skiplist levels, SPOP, eviction samples, RANDOMKEY,
  // SRANDMEMBER), resize dicts, expire keys and evict.
  const script: Step[] = [
    ...Array.from({ length: 300 }, (_, i) => ['SET', `key:${String(i)}`, `v${String(i)}`]),
    ['ZADD', 'z', ...Array.from({ length: 300 }, (_, i) => [String(i), `m${String(i)}`]).flat()],
    ['SADD', 's', ...Array.from({ length: 100 }, (_, i) => `e${String(i)}`)],
    ['SPOP', 's', '3'],
    ['SRANDMEMBER', 's', '-5'],
    ['RANDOMKEY'],
    ['HSET', 'h', ...Array.from({ length: 200 }, (_, i) => [`f${String(i)}`, 'v']).flat()],
    ...Array.from({ length: 50 }, (_, i) => ['SET', `ttl:${String(i)}`, 'v', 'PX', '300']),
    { tick: 150 },
    ['SCAN', '0', 'COUNT', '50'],
    ['HSCAN', 'h', '0', 'COUNT', '20'],
    ...Array.from({ length: 200 }, (_, i) => ['DEL', `key:${String(i)}`]),
    { tick: 1000 },
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
    ['CONFIG', 'SET', 'maxmemory', '1500000'],
    ...Array.from({ length: 60 }, (_, i) => ['SET', `big:${String(i)}`, 'x'.repeat(10_000)]),
    ['SCAN', '0', 'COUNT', '1000'],
    ['DBSIZE'],
  ]

  function run(trace: TraceLevel, seed = 11): unknown[] {
    const server = createServer({ seed, clock: manualClock(), trace })
    const seen: unknown[] = []
    for (const step of script)
      seen.push('tick' in step ? server.tick(step.tick).at : server.execute(step).reply)
    return seen
  }

  function finalState(trace: TraceLevel, seed = 11): unknown {
    const server = createServer({
      seed,
      clock: manualClock(),
      trace,
      config: { 'enable-debug-command': 'yes' },
    })
    for (const step of script)
      if ('tick' in step) server.tick(step.tick)
      else server.execute(step)
    return {
      digest: server.call(['DEBUG', 'DIGEST']),
      scan: server.call(['SCAN', '0', 'COUNT', '100000']),
      keyspace: server.inspect(null, { limit: 100_000 }),
      zset: server.inspect('z', { limit: 100_000 }),
    }
  }

  it('gives the same replies and final state at off, summary and full', () => {
    const full = finalState('full')
    expect(finalState('summary')).toEqual(full)
    expect(finalState('off')).toEqual(full)
    expect(run('summary')).toEqual(run('full'))
    expect(run('off')).toEqual(run('full'))
  })

  it('gives the same state for the same seed and another bucket layout for another', () => {
    expect(finalState('off', 11)).toEqual(finalState('off', 11))
    const a = finalState('off', 11) as { keyspace: unknown; digest: unknown }
    const b = finalState('off', 12) as { keyspace: unknown; digest: unknown }
    expect(a.keyspace).not.toEqual(b.keyspace)
  })
})
