import { afterEach, describe, expect, it } from 'vitest'
import type { Clock } from '../../../src/engine/clock.ts'
import { manualClock } from '../../../src/engine/clock.ts'
import { createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import type { StepEvent, TraceLevel } from '../../../src/engine/events.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  dictAdd,
  dictAddOrFind,
  dictAddOrFindEntry,
  dictBucketOf,
  dictBuckets,
  dictCreate,
  dictDelete,
  dictEmpty,
  dictEntries,
  dictExpand,
  dictFetchValue,
  dictFind,
  dictFindAsserted,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  dictGetRandomKey,
  dictGetSomeKeys,
  dictGetVal,
  dictHashKey,
  dictIsRehashing,
  dictNextEntry,
  dictNextExp,
  dictPoolCopy,
  dictRehash,
  dictRehashMilliseconds,
  dictReplace,
  dictResize,
  dictScan,
  dictScanNextCursor,
  dictSetResizePolicy,
  dictSize,
  dictValidate,
  htNeedsResize,
  NO_ENTRY,
  type Dict,
} from '../../../src/engine/structures/dict.ts'
import { hashSeedFromRng, siphash12Low } from '../../../src/engine/structures/siphash.ts'

const SEED = hashSeedFromRng(rngCreate(42))

function ctxOf(level: TraceLevel = 'full', clock: Clock = manualClock()): ExecContext {
  return createExecContext(rngCreate(7), clock, level)
}

function newDict(): Dict<number> {
  return dictCreate<number>('test', SEED)
}

/** Keys k0, k1, … whose bucket in a table of `size` satisfies `pred`. */
function keysWhere(size: number, pred: (bucket: number) => boolean, n: number): string[] {
  const out: string[] = []
  for (let i = 0; out.length < n; i++) {
    const k = `k${i}`
    if (pred(siphash12Low(SEED, k) & (size - 1))) out.push(k)
  }
  return out
}

function types(events: readonly StepEvent[]): string[] {
  return events.map((e) => e.type)
}

afterEach(() => dictSetResizePolicy('enable'))

describe('dictNextExp', () => {
  it('rounds up to a power of two with a minimum of 4 buckets', () => {
    expect([0, 1, 4, 5, 8, 9, 100, 1024, 1025].map(dictNextExp)).toEqual([
      2, 2, 2, 3, 3, 4, 7, 10, 11,
    ])
  })
})

describe('dictAdd', () => {
  it('allocates a 4-bucket table 0 on the first insert (not a rehash)', () => {
    const ctx = ctxOf()
    const d = newDict()
    expect(dictAdd(ctx, d, 'a', 1)).toBe(true)
    expect(d.sizeExp).toEqual([2, -1])
    expect(d.rehashIdx).toBe(-1)
    expect(types(ctx.events)).toEqual(['dict/tableCreated', 'dict/keyAdded'])
    expect(ctx.events[1]).toEqual({
      type: 'dict/keyAdded',
      dict: 'test',
      key: 'a',
      table: 0,
      bucket: dictBucketOf(d, 'a', 0),
      chainPos: 0,
      chainLen: 1,
    })
    expect(dictAdd(ctx, d, 'a', 2)).toBe(false)
    expect(dictFetchValue(ctx, d, 'a')).toBe(1)
  })

  it('starts a rehash to 8 buckets on the 5th insert and puts the new key in table 1', () => {
    const d = newDict()
    const ctx = ctxOf()
    for (const k of ['a', 'b', 'c', 'd']) dictAdd(ctx, d, k, 0)
    expect(d.used).toEqual([4, 0])
    const ctx5 = ctxOf()
    dictAdd(ctx5, d, 'e', 0)
    expect(d.sizeExp).toEqual([2, 3])
    expect(d.rehashIdx).toBe(0)
    expect(d.used).toEqual([4, 1])
    expect(ctx5.events[0]).toEqual({
      type: 'dict/expandStarted',
      dict: 'test',
      fromExp: 2,
      toExp: 3,
      used: 4,
      reason: 'fill',
    })
    expect(ctx5.events[1]).toMatchObject({ type: 'dict/keyAdded', key: 'e', table: 1 })
    expect(dictValidate(d)).toEqual([])
  })

  it('pushes new entries at the head of the chain', () => {
    const ctx = ctxOf()
    const d = newDict()
    const [x, y, z] = keysWhere(4, (b) => b === 1, 3)
    dictAdd(ctx, d, x!, 1)
    dictAdd(ctx, d, y!, 2)
    dictAdd(ctx, d, z!, 3)
    expect(dictEntries(d).map((e) => dictGetKey(d, e))).toEqual([z, y, x])
    expect(ctx.events.at(-1)).toMatchObject({ type: 'dict/keyAdded', chainPos: 0, chainLen: 3 })
  })

  it('replaces values with dictReplace and keeps them with dictAddOrFind', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    expect(dictReplace(ctx, d, 'k', 1)).toBe(true)
    expect(dictReplace(ctx, d, 'k', 2)).toBe(false)
    expect(dictFetchValue(ctx, d, 'k')).toBe(2)
    expect(dictAddOrFind(ctx, d, 'k', 3)).toBe(false)
    expect(dictFetchValue(ctx, d, 'k')).toBe(2)
    expect(dictGetVal(d, dictAddOrFindEntry(ctx, d, 'k', 4))).toBe(2)
    expect(dictGetVal(d, dictAddOrFindEntry(ctx, d, 'j', 5))).toBe(5)
    expect(dictSize(d)).toBe(2)
  })
})

describe('dictFindAsserted', () => {
  /** A dict of 40 keys caught early in its rehash from 32 to 64 buckets. */
  function rehashing(): Dict<number> {
    const d = newDict()
    const ctx = ctxOf('off')
    for (let i = 0; i < 33; i++) dictAdd(ctx, d, `k${String(i)}`, i)
    expect(d.rehashIdx).toBeGreaterThanOrEqual(0)
    return d
  }

  it('takes the rehash step dictFind takes, at every trace level', () => {
    for (const level of ['off', 'summary', 'full'] as const) {
      const a = rehashing()
      const b = rehashing()
      for (let i = 0; i < 5; i++) {
        expect(dictFind(ctxOf(level), a, `k${String(i)}`)).not.toBe(NO_ENTRY)
        expect(dictFindAsserted(ctxOf(level), b, `k${String(i)}`)).toBe(true)
        expect(b.rehashIdx).toBe(a.rehashIdx)
        expect(b.used).toEqual(a.used)
      }
      expect(dictValidate(b)).toEqual([])
    }
  })

  it('looks the key up in full traces, with the same event as dictFind', () => {
    const a = rehashing()
    const b = rehashing()
    const ca = ctxOf('full')
    const cb = ctxOf('full')
    dictFind(ca, a, 'k3')
    expect(dictFindAsserted(cb, b, 'k3')).toBe(true)
    expect(cb.events).toEqual(ca.events)
    expect(types(cb.events)).toContain('dict/keyFound')
    expect(dictFindAsserted(ctxOf('full'), b, 'missing')).toBe(false)
  })

  it('finds nothing in an empty dict, taking no step', () => {
    expect(dictFindAsserted(ctxOf('off'), newDict(), 'k')).toBe(false)
  })
})

describe('dictRehash', () => {
  it('moves at most n buckets and visits at most 10n empty ones', () => {
    const ctx = ctxOf()
    const d = newDict()
    dictExpand(ctx, d, 64)
    expect(d.sizeExp).toEqual([6, -1])
    const keys = keysWhere(64, (b) => b >= 25 && b < 40, 6)
    const first = Math.min(...keys.map((k) => siphash12Low(SEED, k) & 63))
    for (const k of keys) dictAdd(ctx, d, k, 0)
    expect(dictExpand(ctx, d, 128)).toBe(true)
    const c1 = ctxOf()
    expect(dictRehash(c1, d, 1)).toBe(true)
    expect(d.rehashIdx).toBe(10)
    expect(d.used).toEqual([6, 0])
    expect(c1.events).toEqual([{ type: 'dict/emptyBucketsSkipped', dict: 'test', from: 0, to: 10 }])
    const c2 = ctxOf()
    expect(dictRehash(c2, d, 2)).toBe(true)
    // 20 more empty visits: the first used bucket (25..39) is reached, so at least one moves.
    const moved = c2.events.filter((e) => e.type === 'dict/bucketRehashed')
    expect(moved.length).toBeGreaterThanOrEqual(1)
    expect(moved.length).toBeLessThanOrEqual(2)
    expect(c2.events[0]).toEqual({
      type: 'dict/emptyBucketsSkipped',
      dict: 'test',
      from: 10,
      to: first,
    })
    expect(dictValidate(d)).toEqual([])
    while (dictRehash(ctxOf('off'), d, 1));
    expect(d.sizeExp).toEqual([7, -1])
    expect(d.used).toEqual([6, 0])
    expect(dictValidate(d)).toEqual([])
  })

  it('moves a whole bucket, reversing the chain, and reports each key with its target', () => {
    const ctx = ctxOf()
    const d = newDict()
    // Same bucket in a 4-table and in an 8-table: they stay together after the move.
    const [a, b] = keysWhere(8, (bk) => bk === 3, 2)
    dictAdd(ctx, d, a!, 1)
    dictAdd(ctx, d, b!, 2)
    expect(dictGetKey(d, d.table[0]![3]!)).toBe(b)
    dictExpand(ctx, d, 8)
    const c = ctxOf()
    // Buckets 0..2 of table 0 are empty (only bucket 3 is used).
    expect(dictRehash(c, d, 1)).toBe(false)
    expect(c.events).toEqual([
      { type: 'dict/emptyBucketsSkipped', dict: 'test', from: 0, to: 3 },
      {
        type: 'dict/bucketRehashed',
        dict: 'test',
        from: 3,
        moves: [
          { key: b, to: 3 },
          { key: a, to: 3 },
        ],
        rehashIdx: 4,
      },
      { type: 'dict/rehashCompleted', dict: 'test', exp: 3 },
    ])
    expect(dictGetKey(d, d.table[0]![3]!)).toBe(a)
    expect(dictGetKey(d, dictNextEntry(d, d.table[0]![3]!))).toBe(b)
  })

  it('does one step per find, add, delete and random pick, but not while paused', () => {
    const d = newDict()
    const ctx = ctxOf('off')
    for (let i = 0; i < 40; i++) dictAdd(ctx, d, `key:${i}`, i)
    while (dictRehash(ctx, d, 1));
    dictExpand(ctx, d, 128)
    const idx = (): number => d.rehashIdx
    const before = idx()
    dictFind(ctx, d, 'key:1')
    const afterFind = idx()
    expect(afterFind).toBeGreaterThan(before)
    d.pauseRehash++
    dictFind(ctx, d, 'key:2')
    dictAdd(ctx, d, 'new', 0)
    dictDelete(ctx, d, 'key:3')
    expect(idx()).toBe(afterFind)
    d.pauseRehash--
    dictGetRandomKey(ctx, d)
    expect(idx()).toBeGreaterThan(afterFind)
    expect(dictValidate(d)).toEqual([])
  })

  it('finds keys in both tables while rehashing and adds new keys to table 1', () => {
    const d = newDict()
    const ctx = ctxOf('off')
    for (let i = 0; i < 16; i++) dictAdd(ctx, d, `key:${i}`, i)
    while (dictRehash(ctx, d, 1));
    dictExpand(ctx, d, 64)
    dictRehash(ctx, d, 1)
    expect(d.used[0]).toBeGreaterThan(0)
    expect(d.used[1]).toBeGreaterThan(0)
    d.pauseRehash++
    for (let i = 0; i < 16; i++) expect(dictFetchValue(ctx, d, `key:${i}`)).toBe(i)
    const used1 = d.used[1]
    dictAdd(ctx, d, 'fresh', 99)
    d.pauseRehash--
    expect(d.used[1]).toBe(used1 + 1)
    expect(dictValidate(d)).toEqual([])
  })

  it('dictRehashMilliseconds rehashes in batches of 100 until the budget is exceeded', () => {
    let t = 1000
    const ticking: Clock = { now: () => t++ }
    const d = newDict()
    const off = ctxOf('off')
    for (let i = 0; i < 1000; i++) dictAdd(off, d, `key:${i}`, i)
    while (dictRehash(off, d, 1));
    expect(d.sizeExp[0]).toBe(10)
    dictExpand(off, d, 4096)
    // start=1000; after batch 1 now=1001 (1 ms, not > 1); after batch 2 now=1002 → stop.
    expect(dictRehashMilliseconds(ctxOf('off', ticking), d, 1)).toBe(200)
    expect(d.rehashIdx).toBeGreaterThanOrEqual(200)
    // A frozen clock lets it run to completion.
    const n = dictRehashMilliseconds(ctxOf('off'), d, 1)
    expect(n % 100).toBe(0)
    expect(dictIsRehashing(d)).toBe(false)
    d.pauseRehash = 1
    expect(dictRehashMilliseconds(ctxOf('off'), d, 1)).toBe(0)
  })
})

describe('dictExpand and dictResize', () => {
  it('refuses while rehashing, below the entry count, and to the same size', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 10; i++) dictAdd(ctx, d, `x${i}`, i)
    expect(dictIsRehashing(d)).toBe(true)
    expect(dictExpand(ctx, d, 1024)).toBe(false)
    while (dictRehash(ctx, d, 1));
    expect(d.sizeExp[0]).toBe(4)
    expect(dictExpand(ctx, d, 9)).toBe(false) // same exponent
    expect(dictExpand(ctx, d, 5)).toBe(false) // below used (10)
    expect(dictExpand(ctx, d, 17)).toBe(true)
    expect(d.sizeExp).toEqual([4, 5])
  })

  it('shrinks 128 buckets to 8 after 95 of 100 keys are deleted', () => {
    const ctx = ctxOf('summary')
    const d = newDict()
    for (let i = 0; i < 100; i++) dictAdd(ctx, d, `key:${i}`, i)
    while (dictRehash(ctx, d, 100));
    expect(dictBuckets(d)).toBe(128)
    expect(htNeedsResize(d)).toBe(false)
    for (let i = 0; i < 95; i++) dictDelete(ctx, d, `key:${i}`)
    expect(htNeedsResize(d)).toBe(true)
    const c = ctxOf('summary')
    expect(dictResize(c, d)).toBe(true)
    expect(c.events).toEqual([
      { type: 'dict/shrinkStarted', dict: 'test', fromExp: 7, toExp: 3, used: 5 },
    ])
    while (dictRehash(c, d, 1));
    expect(d.sizeExp).toEqual([3, -1])
    expect(htNeedsResize(d)).toBe(false)
    expect(dictValidate(d)).toEqual([])
  })

  it('htNeedsResize uses integer percent: 12 of 128 (9 %) yes, 13 (10 %) no', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    dictExpand(ctx, d, 128)
    for (let i = 0; i < 12; i++) dictAdd(ctx, d, `k${i}`, i)
    expect(htNeedsResize(d)).toBe(true)
    dictAdd(ctx, d, 'k12', 12)
    expect(htNeedsResize(d)).toBe(false)
  })

  it("follows the resize policy: 'forbid' never grows, 'avoid' grows only past ratio 5", () => {
    const ctx = ctxOf('off')
    const d = newDict()
    dictSetResizePolicy('forbid')
    for (let i = 0; i < 30; i++) dictAdd(ctx, d, `k${i}`, i)
    expect(d.sizeExp).toEqual([2, -1])
    dictSetResizePolicy('avoid')
    dictAdd(ctx, d, 'k30', 30) // 30/4 = 7 > 5 → grows
    expect(d.sizeExp).toEqual([2, 5])
    expect(dictResize(ctx, d)).toBe(false)
    // 4 → 32 is a ratio of 8 ≥ 5, so rehash steps still run under 'avoid'.
    expect(dictRehash(ctx, d, 1)).toBe(true)
    while (dictRehash(ctx, d, 1));
    expect(d.sizeExp).toEqual([5, -1])
    // 32 → 64 (ratio 2) is refused under 'avoid'.
    dictSetResizePolicy('enable')
    dictExpand(ctx, d, 64)
    dictSetResizePolicy('avoid')
    const idx = d.rehashIdx
    expect(dictRehash(ctx, d, 1)).toBe(false)
    expect(d.rehashIdx).toBe(idx)
    dictSetResizePolicy('forbid')
    expect(dictRehash(ctx, d, 1)).toBe(false)
    expect(dictValidate(d)).toEqual([])
  })

  it('asks dictType.expandAllowed with the new bucket bytes and the load factor', () => {
    const ctx = ctxOf('off')
    const calls: [number, number][] = []
    const d = dictCreate<number>('t', SEED, {
      expandAllowed: (more, ratio) => {
        calls.push([more, ratio])
        return false
      },
    })
    for (let i = 0; i < 5; i++) dictAdd(ctx, d, `k${i}`, i)
    expect(d.sizeExp).toEqual([2, -1])
    expect(calls).toEqual([[64, 1]])
  })
})

describe('dictScan', () => {
  it('visits an 8-bucket table in reverse-binary order 0,4,2,6,1,5,3,7', () => {
    const seq: number[] = []
    let v = 0
    do {
      seq.push(v)
      v = dictScanNextCursor(v, 7)
    } while (v !== 0)
    expect(seq).toEqual([0, 4, 2, 6, 1, 5, 3, 7])
    const ctx = ctxOf('summary')
    const d = newDict()
    dictExpand(ctx, d, 8)
    for (let i = 0; i < 6; i++) dictAdd(ctx, d, `m${i}`, i)
    const got: string[] = []
    let c = 0
    const cursors: number[] = []
    do {
      cursors.push(c)
      c = dictScan(ctx, d, c, (key) => got.push(key))
    } while (c !== 0)
    expect(cursors).toEqual([0, 4, 2, 6, 1, 5, 3, 7])
    expect(got.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5'])
    const scanned = ctx.events.filter((e) => e.type === 'dict/scanned')
    expect(scanned[1]).toMatchObject({ cursor: 4, next: 2, buckets: [{ table: 0, bucket: 4 }] })
  })

  it('while growing 8→16, visits the small bucket then its two expansions', () => {
    const ctx = ctxOf('summary')
    const d = newDict()
    dictExpand(ctx, d, 8)
    for (let i = 0; i < 6; i++) dictAdd(ctx, d, `m${i}`, i)
    dictExpand(ctx, d, 16)
    const next = dictScan(ctx, d, 2, () => undefined)
    expect(next).toBe(6)
    expect(ctx.events.at(-1)).toMatchObject({
      cursor: 2,
      next: 6,
      buckets: [
        { table: 0, bucket: 2 },
        { table: 1, bucket: 2 },
        { table: 1, bucket: 10 },
      ],
    })
    expect(d.pauseRehash).toBe(0)
  })

  it('returns 0 on an empty dict', () => {
    expect(dictScan(ctxOf(), newDict(), 5, () => undefined)).toBe(0)
  })
})

describe('random sampling', () => {
  it('dictGetRandomKey returns the only key, NO_ENTRY on empty', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    expect(dictGetRandomKey(ctx, d)).toBe(NO_ENTRY)
    dictAdd(ctx, d, 'only', 1)
    expect(dictGetKey(d, dictGetRandomKey(ctx, d))).toBe('only')
    expect(dictGetKey(d, dictGetFairRandomKey(ctx, d))).toBe('only')
  })

  it('dictGetSomeKeys returns at most min(count, size) live entries', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 200; i++) dictAdd(ctx, d, `key:${i}`, i)
    while (dictRehash(ctx, d, 100));
    for (let round = 0; round < 20; round++) {
      const got = dictGetSomeKeys(ctx, d, 15)
      expect(got.length).toBe(15)
      for (const e of got) expect(dictFind(ctx, d, dictGetKey(d, e))).toBe(e)
    }
    expect(dictGetSomeKeys(ctx, d, 1000).length).toBeLessThanOrEqual(200)
    const small = newDict()
    dictAdd(ctx, small, 'a', 1)
    dictAdd(ctx, small, 'b', 2)
    expect(
      dictGetSomeKeys(ctx, small, 5)
        .map((e) => dictGetKey(small, e))
        .sort(),
    ).toEqual(['a', 'b'])
  })

  it('samples from both tables while rehashing', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 64; i++) dictAdd(ctx, d, `key:${i}`, i)
    while (dictRehash(ctx, d, 100));
    dictExpand(ctx, d, 1024)
    dictRehash(ctx, d, 2)
    expect(d.used[1]).toBeGreaterThan(0)
    const seen = new Set<string>()
    for (let i = 0; i < 400; i++) {
      const e = dictGetRandomKey(ctx, d)
      if (e !== NO_ENTRY) seen.add(dictGetKey(d, e))
    }
    expect(seen.size).toBeGreaterThan(32)
    expect(dictValidate(d)).toEqual([])
  })
})

describe('dictDelete, dictEmpty, iteration', () => {
  it('unlinks and returns the entry, reporting its chain position', () => {
    const ctx = ctxOf()
    const d = newDict()
    const [x, y] = keysWhere(4, (b) => b === 2, 2)
    dictAdd(ctx, d, x!, 1)
    dictAdd(ctx, d, y!, 2)
    const c = ctxOf()
    const e = dictDelete(c, d, x!)
    expect(dictGetVal(d, e)).toBe(1)
    expect(c.events).toEqual([
      { type: 'dict/keyDeleted', dict: 'test', key: x, table: 0, bucket: 2, chainPos: 1 },
    ])
    expect(dictDelete(c, d, x!)).toBe(NO_ENTRY)
    expect(dictSize(d)).toBe(1)
  })

  it('dictFind reports its probes at full level only', () => {
    const d = newDict()
    dictAdd(ctxOf('off'), d, 'a', 1)
    const full = ctxOf('full')
    dictFind(full, d, 'a')
    expect(full.events).toEqual([
      {
        type: 'dict/keyFound',
        dict: 'test',
        key: 'a',
        probes: [{ table: 0, bucket: dictHashKey(d, 'a') & 3 }],
        found: true,
      },
    ])
    const summary = ctxOf('summary')
    dictFind(summary, d, 'a')
    dictAdd(summary, d, 'b', 2)
    expect(summary.events).toEqual([])
  })

  it('dictForEach pauses rehashing like a safe iterator and allows deleting the current entry', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 40; i++) dictAdd(ctx, d, `e${i}`, i)
    expect(dictIsRehashing(d)).toBe(true)
    const idx = d.rehashIdx
    const seen: string[] = []
    dictForEach(d, (key, val, e) => {
      seen.push(key)
      expect(dictFind(ctx, d, key)).toBe(e)
      if (val % 2 === 0) expect(dictDelete(ctx, d, key)).toBe(e)
    })
    expect(d.rehashIdx).toBe(idx)
    expect(d.pauseRehash).toBe(0)
    expect(seen.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `e${i}`).sort())
    expect(dictSize(d)).toBe(20)
    expect(dictValidate(d)).toEqual([])
  })

  it('dictEntries and dictForEach agree; dictEmpty resets everything', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 20; i++) dictAdd(ctx, d, `e${i}`, i)
    const viaEach: string[] = []
    dictForEach(d, (key) => viaEach.push(key))
    expect(viaEach).toEqual(dictEntries(d).map((e) => dictGetKey(d, e)))
    expect(viaEach.length).toBe(20)
    dictEmpty(ctx, d)
    expect(d).toEqual(newDict())
  })
})

describe('the entry pool', () => {
  it('keeps 20k entries over several chunks: found, deleted, their slots reused, copied', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    const n = 20_000
    for (let i = 0; i < n; i++) dictAdd(ctx, d, `p${i}`, i)
    expect(d.ents.length).toBeGreaterThan(2)
    // Every third key goes; its slot is handed to a new key before the pool grows.
    for (let i = 0; i < n; i += 3) expect(dictDelete(ctx, d, `p${i}`)).not.toBe(NO_ENTRY)
    const slots = d.slots
    for (let i = 0; i < n; i += 3) dictAdd(ctx, d, `q${i}`, -i)
    expect(d.slots).toBe(slots)
    dictAdd(ctx, d, 'last', 1)
    expect(d.slots).toBe(slots + 1)
    for (let i = 0; i < n; i++) {
      const [key, val] = i % 3 === 0 ? [`q${i}`, -i] : [`p${i}`, i]
      expect(dictFetchValue(ctx, d, key)).toBe(val)
      if (i % 3 === 0) expect(dictFind(ctx, d, `p${i}`)).toBe(NO_ENTRY)
    }
    expect(dictValidate(d)).toEqual([])
    // A copy of the pool: the same entries in the same slots, values through `copy`.
    const copy = { ...d, ents: dictPoolCopy(d, (v) => v * 10) }
    for (const e of dictEntries(d)) {
      expect(dictGetKey(copy, e)).toBe(dictGetKey(d, e))
      expect(dictGetVal(copy, e)).toBe(dictGetVal(d, e) * 10)
    }
  })

  it('reports a chunk left short in the middle of the pool', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    for (let i = 0; i < 10_000; i++) dictAdd(ctx, d, `p${i}`, i)
    d.ents[0]!.length -= 2
    expect(dictValidate(d).some((e) => e.includes('chunk 0'))).toBe(true)
  })
})

describe('dictValidate', () => {
  it('reports a key in the wrong bucket, bad counts and a non-empty bucket below rehashIdx', () => {
    const ctx = ctxOf('off')
    const d = newDict()
    const [k] = keysWhere(4, (b) => b === 0, 1)
    dictAdd(ctx, d, k!, 1)
    const t0 = d.table[0]!
    t0[1] = t0[0]!
    t0[0] = NO_ENTRY
    d.used[0] = 2
    const errs = dictValidate(d)
    expect(errs.some((e) => e.includes('hashes to 0'))).toBe(true)
    expect(errs.some((e) => e.includes('used 2 but holds 1'))).toBe(true)
  })
})
