/**
 * Memory accounting and eviction against the oracle: the same workload on a real
 * redis-server 7.0.15 and on the engine (in-process, virtual clock), figures compared
 * within the tolerances of issue 4.
 *
 * - MEMORY USAGE within 10 % for every string encoding and each container encoding at 1,
 *   10, 100 and 1000 elements. A case runs only when our command table has its command
 *   (lists and sorted sets join as soon as RPUSH / ZADD are registered): add a case with one
 *   line in CASES.
 * - used_memory growth after DEBUG POPULATE 100000 within 10 %.
 * - maxmemory 1mb noeviction: SETs accepted before OOM within 10 %.
 * - volatile-lru with TTLs on the first 100 keys: those go first, the others never, then OOM.
 * - Hit ratio on a Zipf-like GET/SET-on-miss stream within 1 point, for allkeys-lru with
 *   5 and 10 samples, allkeys-lfu and allkeys-random. The real server's LRU clock ticks
 *   once a second, so the stream is paced over real seconds (smaller than the issue's
 *   40,000 requests to stay under a minute: 16,000 requests over 16 s on 10,000 keys);
 *   the engine gets the same schedule on its virtual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lookupCommandByName } from '../../src/engine/commands/table.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { zipfStream } from '../bench/eviction.ts'
import { createTestEngine, type TestEngine } from '../harness/TestEngine.ts'
import { connectRaw, type RawClient } from '../server/rawClient.ts'
import { requireBinary, startRealRedis, type RealRedis } from './redisProcess.ts'

// --- Two servers, one interface ---

interface Side {
  readonly real: boolean
  call(...argv: string[]): Promise<Reply>
  /** Lets time pass: real seconds for redis-server, virtual ms (and cron) for the engine. */
  sleep(ms: number): Promise<void>
  close(): Promise<void>
}

async function realSide(args: readonly string[] = []): Promise<Side> {
  // Unix socket only: no other process can reach (and write into) the oracle.
  const proc: RealRedis = await startRealRedis(['--enable-debug-command', 'yes', ...args], {
    tcp: false,
  })
  const c: RawClient = await connectRaw(proc.socket)
  return {
    real: true,
    call: async (...argv) => (await c.command(...argv)).reply,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => {
      c.close()
      await proc.stop()
    },
  }
}

function engineSide(config: Record<string, string> = {}): Side {
  const t: TestEngine = createTestEngine({ trace: 'off', seed: 7, config })
  return {
    real: false,
    call: (...argv) => Promise.resolve(t.exec(...argv)),
    sleep: (ms) => {
      t.tick(ms)
      return Promise.resolve()
    },
    close: () => Promise.resolve(),
  }
}

function int(r: Reply): number {
  if (r.type !== 'integer') throw new Error(`expected an integer, got ${JSON.stringify(r)}`)
  return Number(r.value)
}

async function usedMemory(s: Side): Promise<number> {
  const r = await s.call('INFO', 'memory')
  const m = r.type === 'bulk' && r.value !== null ? /used_memory:(\d+)/.exec(r.value) : null
  if (m === null) throw new Error('no used_memory in INFO')
  return Number(m[1])
}

function within(ours: number, real: number, tolerance: number): boolean {
  return Math.abs(ours - real) <= Math.abs(real) * tolerance
}

// --- MEMORY USAGE cases ---

type Build = (key: string, n: number) => string[][]
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const SIZES = [1, 10, 100, 1000]

/**
 * [name, command the case needs, builder, sizes, MEMORY USAGE options]. One line per
 * encoding. Skiplist node sizes depend on random levels, so zsets are measured over all
 * nodes (SAMPLES 0) rather than the first five.
 */
const CASES: [string, string, Build, number[], string[]?][] = [
  ['string int', 'set', (k) => [['SET', k, '123456']], [1]],
  ['string shared int', 'set', (k) => [['SET', k, '42']], [1]],
  ['string embstr', 'set', (k, n) => [['SET', k, 'x'.repeat(n)]], [1, 10, 44]],
  ['string raw', 'set', (k, n) => [['SET', k, 'x'.repeat(n)]], [45, 100, 1000, 100_000]],
  ['string raw by APPEND', 'append', (k, n) => range(n).map(() => ['APPEND', k, 'abcdefg']), SIZES],
  [
    'hash listpack/hashtable',
    'hset',
    (k, n) => [['HSET', k, ...range(n).flatMap((i) => [`f${String(i)}`, `v${String(i)}`])]],
    SIZES,
  ],
  [
    'hash hashtable (long values)',
    'hset',
    (k, n) => [['HSET', k, ...range(n).flatMap((i) => [`f${String(i)}`, 'v'.repeat(70)])]],
    SIZES,
  ],
  ['set intset/hashtable', 'sadd', (k, n) => [['SADD', k, ...range(n).map(String)]], SIZES],
  [
    'set hashtable (strings)',
    'sadd',
    (k, n) => [['SADD', k, ...range(n).map((i) => `member:${String(i)}`)]],
    SIZES,
  ],
  [
    'list quicklist',
    'rpush',
    (k, n) => [['RPUSH', k, ...range(n).map((i) => `item${String(i)}`)]],
    SIZES,
  ],
  [
    'zset listpack/skiplist',
    'zadd',
    (k, n) => [['ZADD', k, ...range(n).flatMap((i) => [String(i), `m${String(i)}`])]],
    SIZES,
    // Every node, not 5 sampled ones: a skiplist node's size follows its random level,
    // drawn by each server's own generator, and an average over 5 nodes strays past 10 %
    // about one run in three (over all 1000 nodes the two sums stay within a few %).
    ['SAMPLES', '0'],
  ],
]

const runnable = CASES.filter(([, cmd]) => lookupCommandByName(cmd)?.handler !== undefined)

describe('memory accounting vs redis-server 7.0.15', () => {
  let real: Side
  let ours: Side
  beforeAll(async () => {
    requireBinary('redis-server')
    real = await realSide()
    ours = engineSide()
  })
  afterAll(async () => {
    await real.close()
  })

  it('has string and container cases to run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(6)
  })

  for (const [name, , build, sizes, options = []] of runnable) {
    for (const n of sizes) {
      it(`MEMORY USAGE of ${name} (${String(n)}) within 10 %`, async () => {
        const key = `mu:${name}:${String(n)}`
        const usage: number[] = []
        for (const side of [real, ours]) {
          for (const argv of build(key, n))
            expect((await side.call(...argv)).type).not.toBe('error')
          usage.push(int(await side.call('MEMORY', 'USAGE', key, ...options)))
        }
        const [r, o] = usage as [number, number]
        expect(within(o, r, 0.1), `ours ${String(o)} vs real ${String(r)}`).toBe(true)
      })
    }
  }

  it('MEMORY STATS has the same fields in the same order; MEMORY DOCTOR says the same', async () => {
    const fields: string[][] = []
    const doctor: Reply[] = []
    for (const side of [real, ours]) {
      const r = await side.call('MEMORY', 'STATS')
      if (r.type !== 'array' || r.value === null) throw new Error('MEMORY STATS: not an array')
      fields.push(
        r.value.flatMap((x, i) => (i % 2 === 0 && x.type === 'bulk' ? [x.value ?? ''] : [])),
      )
      doctor.push(await side.call('MEMORY', 'DOCTOR'))
    }
    expect(fields[1]).toEqual(fields[0])
    expect(doctor[1]).toEqual(doctor[0])
  })

  it('used_memory grows like Redis after DEBUG POPULATE 100000', async () => {
    const growth: number[] = []
    for (const side of [real, ours]) {
      await side.call('SELECT', '9')
      await usedMemory(side)
      const before = await usedMemory(side)
      expect(await side.call('DEBUG', 'POPULATE', '100000')).toEqual({
        type: 'simple',
        value: 'OK',
      })
      growth.push((await usedMemory(side)) - before)
      await side.call('FLUSHDB')
      await side.call('SELECT', '0')
    }
    const [r, o] = growth as [number, number]
    expect(within(o, r, 0.1), `ours ${String(o)} vs real ${String(r)}`).toBe(true)
  })

  it('a command first called with latency-tracking off allocates no histogram', async () => {
    const growth: number[] = []
    for (const side of [real, ours]) {
      await side.call('CONFIG', 'SET', 'latency-tracking', 'no')
      await usedMemory(side)
      const before = await usedMemory(side)
      await side.call('ECHO', 'x')
      await side.call('LASTSAVE')
      growth.push((await usedMemory(side)) - before)
      await side.call('CONFIG', 'SET', 'latency-tracking', 'yes')
    }
    expect(growth[1]).toBe(growth[0])
  })
})

// --- maxmemory scenarios ---

/**
 * Warm-up both sides alike: the latency histograms of the commands used (INFO included:
 * startRealRedis's readiness probe has already run one on the real side), then 6 s idle so
 * clientsCron shrinks the real client's reply buffer.
 */
async function settle(side: Side, commands: string[][]): Promise<void> {
  for (const argv of [['INFO', 'server'], ...commands]) await side.call(...argv)
  await side.sleep(6000)
}

async function fillUntilOom(side: Side, vlen: number, ttlFirst: number): Promise<number> {
  const val = 'x'.repeat(vlen)
  for (let i = 0; ; i++) {
    const argv = ['SET', `key:${String(i)}`, val]
    if (i < ttlFirst) argv.push('EX', '100000')
    const r = await side.call(...argv)
    if (r.type === 'error') {
      expect(r.value).toBe("OOM command not allowed when used memory > 'maxmemory'.")
      return i
    }
  }
}

describe('maxmemory against redis-server 7.0.15', () => {
  it('noeviction 1mb: OOM after as many SETs within 10 %, then reads still work', async () => {
    const warm = [
      ['SET', 'warm', 'x'],
      ['DEL', 'warm'],
    ]
    const sides = [await realSide(['--maxmemory', '1mb']), engineSide({ maxmemory: '1mb' })]
    try {
      const counts = await Promise.all(
        sides.map(async (s) => {
          await settle(s, warm)
          const n = await fillUntilOom(s, 100, 0)
          expect(await s.call('GET', 'key:0')).toEqual({ type: 'bulk', value: 'x'.repeat(100) })
          return n
        }),
      )
      const [r, o] = counts as [number, number]
      expect(within(o, r, 0.1), `ours ${String(o)} vs real ${String(r)}`).toBe(true)
    } finally {
      await Promise.all(sides.map((s) => s.close()))
    }
  })

  it('volatile-lru: the 100 keys with a TTL go first, the others never, then OOM', async () => {
    const args = { maxmemory: '1mb', 'maxmemory-policy': 'volatile-lru' }
    const sides = [
      await realSide(['--maxmemory', '1mb', '--maxmemory-policy', 'volatile-lru']),
      engineSide(args),
    ]
    try {
      const counts = await Promise.all(
        sides.map(async (s) => {
          await settle(s, [
            ['SET', 'warm', 'x', 'EX', '100'],
            ['DEL', 'warm'],
            ['EXISTS', 'x'],
          ])
          const n = await fillUntilOom(s, 100, 100)
          const alive = async (i: number) => int(await s.call('EXISTS', `key:${String(i)}`))
          for (let i = 0; i < 100; i++) expect(await alive(i)).toBe(0)
          for (let i = 100; i < n; i++) expect(await alive(i)).toBe(1)
          return n
        }),
      )
      const [r, o] = counts as [number, number]
      expect(within(o, r, 0.1), `ours ${String(o)} vs real ${String(r)}`).toBe(true)
    } finally {
      await Promise.all(sides.map((s) => s.close()))
    }
  })
})

// --- Hit ratio on a Zipf-like stream ---

const KEYS = 10_000
const REQUESTS = 16_000
const PER_SECOND = 1000
const BATCH_MS = 50
const VALUE = 'v'.repeat(100)
/** Bytes of data a key costs (dictEntry 32 + key sds 16 + robj 16 + sds 112). */
const PER_KEY = 176

/**
 * GET, SET on a miss; paced at PER_SECOND. Returns the hit ratio in percent. A real side
 * appends to `schedule` how long each batch really took (on a loaded machine a batch can
 * overrun BATCH_MS, and the LRU clock then sees fewer requests per second); the engine
 * replays that schedule on its virtual clock, so both sides see the same LRU clock ticks.
 */
async function runStream(
  side: Side,
  stream: readonly string[],
  policy: string[],
  schedule: number[],
): Promise<number> {
  await settle(side, [
    ['SET', 'warm', 'x'],
    ['GET', 'warm'],
    ['DEL', 'warm'],
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ...policy.map((p) => ['CONFIG', 'SET', ...p.split(' ')]),
  ])
  const base = await usedMemory(side)
  await side.call('CONFIG', 'SET', 'maxmemory', String(base + Math.round(0.3 * KEYS * PER_KEY)))
  let hits = 0
  const perBatch = (PER_SECOND * BATCH_MS) / 1000
  for (let i = 0, batch = 0; i < stream.length; i += perBatch, batch++) {
    const started = Date.now()
    for (const key of stream.slice(i, i + perBatch)) {
      const r = await side.call('GET', key)
      if (r.type === 'bulk' && r.value !== null) hits++
      else await side.call('SET', key, VALUE)
    }
    // Real seconds for redis-server (minus the time the batch took), virtual ms for ours.
    if (side.real) {
      await side.sleep(Math.max(0, BATCH_MS - (Date.now() - started)))
      schedule.push(Date.now() - started)
    } else await side.sleep(schedule[batch] ?? BATCH_MS)
  }
  return (hits * 100) / stream.length
}

describe('hit ratio vs redis-server 7.0.15 on a Zipf-like stream', () => {
  const policies: [string, string[]][] = [
    ['allkeys-lru, 5 samples', ['maxmemory-policy allkeys-lru', 'maxmemory-samples 5']],
    ['allkeys-lru, 10 samples', ['maxmemory-policy allkeys-lru', 'maxmemory-samples 10']],
    ['allkeys-lfu', ['maxmemory-policy allkeys-lfu']],
    ['allkeys-random', ['maxmemory-policy allkeys-random']],
  ]
  it('is within 1 percentage point for allkeys-lru (5, 10), allkeys-lfu, allkeys-random', async () => {
    const stream = zipfStream(KEYS, REQUESTS)
    // The real servers run in parallel, each on its own wall clock; the engine runs after
    // them (its calls never yield to I/O, which would disturb the real pacing).
    const schedules = policies.map((): number[] => [])
    const realRatios = await Promise.all(
      policies.map(async ([, policy], i) => {
        const real = await realSide()
        try {
          return await runStream(real, stream, policy, schedules[i] ?? [])
        } finally {
          await real.close()
        }
      }),
    )
    const results: { name: string; real: number; ours: number }[] = []
    for (const [i, [name, policy]] of policies.entries())
      results.push({
        name,
        real: realRatios[i] ?? NaN,
        ours: await runStream(engineSide(), stream, policy, schedules[i] ?? []),
      })
    const report = results
      .map((x) => `${x.name}: real ${x.real.toFixed(2)} % ours ${x.ours.toFixed(2)} %`)
      .join('\n')
    for (const x of results) expect(Math.abs(x.ours - x.real), report).toBeLessThanOrEqual(1)
  }, 120_000)
})
