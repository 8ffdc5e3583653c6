import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { clearEvents, createExecContext } from '../../src/engine/context.ts'
import {
  lruCacheCreate,
  lruCacheGet,
  lruCacheKeys,
  lruCachePut,
  lruCacheValidate,
} from '../../src/engine/keyspace/lruCache.ts'
import { rngCreate } from '../../src/engine/rng.ts'

/**
 * The naive model: an array of [key, val] from most to least recently used. O(n) per
 * operation, obviously right.
 */
interface Model {
  cap: number
  items: [string, number][]
}
function modelGet(m: Model, key: string): number | undefined {
  const i = m.items.findIndex(([k]) => k === key)
  if (i < 0) return undefined
  const [item] = m.items.splice(i, 1)
  if (item === undefined) return undefined
  m.items.unshift(item)
  return item[1]
}
function modelPut(m: Model, key: string, val: number): string | null {
  const i = m.items.findIndex(([k]) => k === key)
  if (i >= 0) m.items.splice(i, 1)
  m.items.unshift([key, val])
  if (m.items.length > m.cap) return m.items.pop()?.[0] ?? null
  return null
}

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j')
const op = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({ kind: fc.constant('put' as const), key, val: fc.integer() }),
)

test.prop([fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 })])(
  'the O(1) LRU cache agrees with a naive recency list on every reply, eviction and order',
  (cap, ops) => {
    const ctx = createExecContext(rngCreate(1), manualClock(), 'full')
    const c = lruCacheCreate<number>(cap)
    const m: Model = { cap, items: [] }
    let hits = 0
    let misses = 0
    for (const o of ops) {
      clearEvents(ctx)
      if (o.kind === 'get') {
        const want = modelGet(m, o.key)
        if (want === undefined) misses++
        else hits++
        expect(lruCacheGet(ctx, c, o.key)).toBe(want)
        expect(ctx.events.map((e) => e.type)).toEqual(
          want === undefined ? ['lru/missed'] : ['lru/hit', 'lru/movedToHead'],
        )
      } else {
        const evicted = modelPut(m, o.key, o.val)
        expect(lruCachePut(ctx, c, o.key, o.val)).toBe(evicted)
        const last = ctx.events[ctx.events.length - 1]
        if (evicted !== null) expect(last).toEqual({ type: 'lru/tailEvicted', key: evicted })
        else expect(last).toEqual({ type: 'lru/movedToHead', key: o.key })
      }
      expect(lruCacheKeys(c)).toEqual(m.items.map(([k]) => k))
      expect(lruCacheValidate(c)).toEqual([])
    }
    expect([c.hits, c.misses]).toEqual([hits, misses])
  },
)

test.prop([fc.array(op, { maxLength: 100 })])(
  'tracing off records nothing and behaves the same',
  (ops) => {
    const on = createExecContext(rngCreate(1), manualClock(), 'full')
    const off = createExecContext(rngCreate(1), manualClock(), 'off')
    const a = lruCacheCreate<number>(3)
    const b = lruCacheCreate<number>(3)
    for (const o of ops) {
      if (o.kind === 'get') expect(lruCacheGet(off, b, o.key)).toBe(lruCacheGet(on, a, o.key))
      else expect(lruCachePut(off, b, o.key, o.val)).toBe(lruCachePut(on, a, o.key, o.val))
    }
    expect(lruCacheKeys(b)).toEqual(lruCacheKeys(a))
    expect(off.events).toEqual([])
  },
)
