/**
 * Eviction benchmarks (issue 4), called by main.ts as one section:
 *
 * - `engine.set.maxmemory_free`: SET ops/s with trace off, maxmemory 1gb allkeys-lru (the
 *   pre-command memory check runs, nothing is evicted); `engine.set.maxmemory_evicting`:
 *   the same once the limit is reached, so every write evicts about one key through the
 *   pool. `ratio.evicting_vs_free.set` = evicting / free.
 * - `lru.hitratio.samples_N` (N = 1, 3, 5, 10): hit ratio of allkeys-lru with
 *   maxmemory-samples N on a Zipf-like GET/SET-on-miss stream (10,000 keys, 40,000
 *   requests at 1,000 per virtual second, memory for ~30 % of the keys), and
 *   `lru.hitratio.exact`: the exact LRU cache (lruCache.ts) with as many slots as keys
 *   the engine held at the end of the samples-10 run, on the same stream.
 */
import { manualClock } from '../../src/engine/clock.ts'
import { createExecContext } from '../../src/engine/context.ts'
import { createServer } from '../../src/engine/index.ts'
import type { RedisServer } from '../../src/engine/api.ts'
import { lruCacheCreate, lruCacheGet, lruCachePut } from '../../src/engine/keyspace/lruCache.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { rngCreate, rngNextFloat, rngNextInt } from '../../src/engine/rng.ts'

export type Figure = (name: string, value: number, unit: string) => void
export type Ratio = (name: string, value: number) => void

// --- The Zipf-like stream (shared with test/conformance/memory.test.ts) ---

/** `requests` keys `key:<i>` drawn with P(rank r) ∝ 1/r over `keys` keys, ranks shuffled. */
export function zipfStream(keys: number, requests: number, seed = 2024): string[] {
  const rng = rngCreate(seed)
  const cdf: number[] = []
  let acc = 0
  for (let i = 0; i < keys; i++) cdf.push((acc += 1 / (i + 1)))
  const perm = Array.from({ length: keys }, (_, i) => i)
  for (let i = keys - 1; i > 0; i--) {
    const j = rngNextInt(rng, i + 1)
    const t = perm[i] as number
    perm[i] = perm[j] as number
    perm[j] = t
  }
  const out: string[] = []
  for (let n = 0; n < requests; n++) {
    const x = rngNextFloat(rng) * acc
    let lo = 0
    let hi = keys - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cdf[mid] as number) < x) lo = mid + 1
      else hi = mid
    }
    out.push(`key:${String(perm[lo])}`)
  }
  return out
}

// --- Helpers ---

function usedMemory(srv: RedisServer): number {
  const r = srv.call(['INFO', 'memory'])
  const m = r.type === 'bulk' && r.value !== null ? /used_memory:(\d+)/.exec(r.value) : null
  return m === null ? 0 : Number(m[1])
}

function isHit(r: Reply): boolean {
  return r.type === 'bulk' && r.value !== null
}

// --- SET under maxmemory ---

function setOpsPerSecond(srv: RedisServer, prefix: string, n: number, value: string): number {
  const argvs = Array.from({ length: n }, (_, i) => ['SET', `${prefix}:${String(i)}`, value])
  const start = performance.now()
  for (const argv of argvs) srv.call(argv)
  return (n / (performance.now() - start)) * 1000
}

function benchSetUnderMaxmemory(figure: Figure, ratio: Ratio): void {
  const value = 'x'.repeat(100)
  const n = 50_000
  let free = 0
  let evicting = 0
  for (let round = 0; round < 3; round++) {
    const a = createServer({
      seed: 1,
      clock: manualClock(),
      trace: 'off',
      config: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lru' },
    })
    free = Math.max(free, setOpsPerSecond(a, `free${String(round)}`, n, value))
    const b = createServer({
      seed: 1,
      clock: manualClock(),
      trace: 'off',
      config: { 'maxmemory-policy': 'allkeys-lru' },
    })
    setOpsPerSecond(b, 'fill', 20_000, value)
    b.call(['CONFIG', 'SET', 'maxmemory', String(usedMemory(b))])
    evicting = Math.max(evicting, setOpsPerSecond(b, `ev${String(round)}`, n, value))
  }
  figure('engine.set.maxmemory_free', free, 'ops/s')
  figure('engine.set.maxmemory_evicting', evicting, 'ops/s')
  ratio('evicting_vs_free.set', evicting / free)
}

// --- Hit ratios on the Zipf stream ---

const KEYS = 10_000
const REQUESTS = 40_000
const PER_BATCH = 50 // requests per 50 virtual ms: 1000 per second
const PER_KEY = 176 // dictEntry 32 + key sds 16 + robj 16 + sds of 100 bytes 112

/** Hit ratio (%) of allkeys-lru with `samples` on the stream; also the final DBSIZE. */
function approxHitRatio(stream: readonly string[], samples: number): [number, number] {
  const clock = manualClock()
  const srv = createServer({ seed: 1, clock, trace: 'off' })
  srv.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'])
  srv.call(['CONFIG', 'SET', 'maxmemory-samples', String(samples)])
  srv.call(['SET', 'warm', 'x'])
  srv.call(['GET', 'warm'])
  srv.call(['DEL', 'warm'])
  const base = usedMemory(srv)
  srv.call(['CONFIG', 'SET', 'maxmemory', String(base + Math.round(0.3 * KEYS * PER_KEY))])
  const value = 'v'.repeat(100)
  let hits = 0
  for (let i = 0; i < stream.length; i++) {
    const key = stream[i] as string
    if (isHit(srv.call(['GET', key]))) hits++
    else srv.call(['SET', key, value])
    if ((i + 1) % PER_BATCH === 0) srv.tick(50)
  }
  const size = srv.call(['DBSIZE'])
  return [(hits * 100) / stream.length, size.type === 'integer' ? Number(size.value) : 0]
}

/** Hit ratio (%) of the exact LRU cache with `capacity` slots on the stream. */
function exactHitRatio(stream: readonly string[], capacity: number): number {
  const ctx = createExecContext(rngCreate(1), manualClock(), 'off')
  const cache = lruCacheCreate<true>(capacity)
  for (const key of stream)
    if (lruCacheGet(ctx, cache, key) === undefined) lruCachePut(ctx, cache, key, true)
  return (cache.hits * 100) / stream.length
}

function benchHitRatios(figure: Figure): void {
  const stream = zipfStream(KEYS, REQUESTS)
  let capacity = 0
  for (const samples of [1, 3, 5, 10]) {
    const [ratioPct, size] = approxHitRatio(stream, samples)
    figure(`lru.hitratio.samples_${String(samples)}`, ratioPct, '%')
    capacity = size
  }
  figure('lru.hitratio.exact', exactHitRatio(stream, Math.max(1, capacity)), '%')
}

/** The eviction section of `npm run bench`. */
export function benchEviction(figure: Figure, ratio: Ratio): void {
  benchSetUnderMaxmemory(figure, ratio)
  benchHitRatios(figure)
}
