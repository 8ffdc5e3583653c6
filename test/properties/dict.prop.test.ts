import { fc, test } from '@fast-check/vitest'
import { afterEach, expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createExecContext, type ExecContext } from '../../src/engine/context.ts'
import type { TraceLevel } from '../../src/engine/events.ts'
import { rngClone, rngCreate, type Rng } from '../../src/engine/rng.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictEntries,
  dictExpand,
  dictFetchValue,
  dictGetFairRandomKey,
  dictGetKey,
  dictGetRandomKey,
  dictGetSomeKeys,
  dictGetVal,
  dictNextEntry,
  dictRehash,
  dictReplace,
  dictResize,
  dictScan,
  dictSetResizePolicy,
  dictSize,
  dictValidate,
  htNeedsResize,
  NO_ENTRY,
  type Dict,
  type DictResizePolicy,
} from '../../src/engine/structures/dict.ts'
import { hashSeedFromRng } from '../../src/engine/structures/siphash.ts'

afterEach(() => dictSetResizePolicy('enable'))

// --- Operations ---

type Op =
  | { kind: 'add'; key: string; val: number }
  | { kind: 'replace'; key: string; val: number }
  | { kind: 'delete'; key: string }
  | { kind: 'find'; key: string }
  | { kind: 'rehash'; n: number }
  | { kind: 'resize' }
  | { kind: 'expand'; size: number }
  | { kind: 'random' }
  | { kind: 'some'; count: number }
  | { kind: 'policy'; policy: DictResizePolicy }

// Shared op builders (both the model and the SCAN suites use rehash/resize/expand).
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary })
const rehashOp = (max: number) =>
  fc.integer({ min: 1, max }).map((n) => ({ kind: 'rehash' as const, n }))
const expandOp = (min: number, max: number) =>
  fc.integer({ min, max }).map((size) => ({ kind: 'expand' as const, size }))
const resizeOp = fc.constant({ kind: 'resize' as const })

// A small key space so chains, deletes of present keys and re-adds are common.
const keyArb = fc.integer({ min: 0, max: 80 }).map((i) => `key:${i}`)
const withVal = <K extends 'add' | 'replace'>(kind: K) =>
  fc.tuple(keyArb, fc.nat()).map(([key, val]) => ({ kind, key, val }))
const onKey = <K extends 'delete' | 'find'>(kind: K) => keyArb.map((key) => ({ kind, key }))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  w(6, withVal('add')),
  w(2, withVal('replace')),
  w(4, onKey('delete')),
  w(3, onKey('find')),
  w(2, rehashOp(5)),
  w(1, resizeOp),
  w(1, expandOp(0, 300)),
  w(1, fc.constant({ kind: 'random' as const })),
  w(
    1,
    fc.integer({ min: 1, max: 20 }).map((count) => ({ kind: 'some' as const, count })),
  ),
  w(
    1,
    fc
      .constantFrom<DictResizePolicy>('enable', 'enable', 'avoid', 'forbid')
      .map((policy) => ({ kind: 'policy' as const, policy })),
  ),
)

function ctxFor(rng: Rng, level: TraceLevel): ExecContext {
  return createExecContext(rng, manualClock(), level)
}

/** Applies one op to the dict and the model; returns what the dict reported, for comparison. */
function apply(ctx: ExecContext, d: Dict<number>, model: Map<string, number>, op: Op): unknown {
  switch (op.kind) {
    case 'add': {
      const added = dictAdd(ctx, d, op.key, op.val)
      expect(added).toBe(!model.has(op.key))
      if (added) model.set(op.key, op.val)
      return added
    }
    case 'replace': {
      const added = dictReplace(ctx, d, op.key, op.val)
      expect(added).toBe(!model.has(op.key))
      model.set(op.key, op.val)
      return added
    }
    case 'delete': {
      const e = dictDelete(ctx, d, op.key)
      expect(e === NO_ENTRY ? undefined : dictGetVal(d, e)).toBe(model.get(op.key))
      model.delete(op.key)
      return e === NO_ENTRY ? undefined : dictGetKey(d, e)
    }
    case 'find':
      expect(dictFetchValue(ctx, d, op.key)).toBe(model.get(op.key))
      return dictFetchValue(ctx, d, op.key)
    case 'rehash':
      return dictRehash(ctx, d, op.n)
    case 'resize':
      return htNeedsResize(d) ? dictResize(ctx, d) : null
    case 'expand':
      return dictExpand(ctx, d, op.size)
    case 'random': {
      const e = dictGetRandomKey(ctx, d)
      const f = dictGetFairRandomKey(ctx, d)
      if (model.size === 0) {
        expect(e).toBe(NO_ENTRY)
        expect(f).toBe(NO_ENTRY)
        return [undefined, undefined]
      }
      expect(model.get(dictGetKey(d, e))).toBe(dictGetVal(d, e))
      expect(model.get(dictGetKey(d, f))).toBe(dictGetVal(d, f))
      return [dictGetKey(d, e), dictGetKey(d, f)]
    }
    case 'some': {
      const got = dictGetSomeKeys(ctx, d, op.count)
      expect(got.length).toBeLessThanOrEqual(Math.min(op.count, model.size))
      // Duplicates are allowed (dict.c: "nor it does guarantee to return non-duplicated
      // elements"): the walk can wrap around or jump back onto visited buckets.
      for (const e of got) expect(model.get(dictGetKey(d, e))).toBe(dictGetVal(d, e))
      return got.map((e) => dictGetKey(d, e))
    }
    case 'policy':
      dictSetResizePolicy(op.policy)
      return op.policy
  }
}

/** The full bucket layout: every table as arrays of chains of keys. */
function layout(d: Dict<number>): unknown {
  return {
    sizeExp: [...d.sizeExp],
    used: [...d.used],
    rehashIdx: d.rehashIdx,
    tables: d.table.map((t) =>
      t === null
        ? null
        : Array.from(t, (head) => {
            const chain: string[] = []
            for (let e = head; e !== NO_ENTRY; e = dictNextEntry(d, e)) chain.push(dictGetKey(d, e))
            return chain
          }),
    ),
  }
}

function run(seed: number, ops: readonly Op[], level: TraceLevel) {
  dictSetResizePolicy('enable')
  const rng = rngCreate(seed)
  const d = dictCreate<number>('prop', hashSeedFromRng(rng))
  const model = new Map<string, number>()
  const results: unknown[] = []
  const events: unknown[] = []
  for (const op of ops) {
    const ctx = ctxFor(rng, level)
    results.push(apply(ctx, d, model, op))
    events.push(ctx.events)
  }
  dictSetResizePolicy('enable')
  return { d, model, results, events, rng: rngClone(rng) }
}

// --- Properties ---

test.prop([fc.nat(), fc.array(opArb, { maxLength: 400 })], { numRuns: 150 })(
  'behaves like a Map and keeps its invariants after every step (mid-rehash, expand, shrink)',
  (seed, ops) => {
    dictSetResizePolicy('enable')
    const rng = rngCreate(seed)
    const d = dictCreate<number>('prop', hashSeedFromRng(rng))
    const model = new Map<string, number>()
    for (const op of ops) {
      apply(ctxFor(rng, 'full'), d, model, op)
      expect(dictValidate(d)).toEqual([])
      expect(dictSize(d)).toBe(model.size)
    }
    dictSetResizePolicy('enable')
    const entries = new Map(dictEntries(d).map((e) => [dictGetKey(d, e), dictGetVal(d, e)]))
    expect(entries).toEqual(model)
    // Draining the rehash keeps everything.
    while (dictRehash(ctxFor(rng, 'off'), d, 1));
    expect(dictValidate(d)).toEqual([])
    expect(new Map(dictEntries(d).map((e) => [dictGetKey(d, e), dictGetVal(d, e)]))).toEqual(model)
  },
)

test.prop([fc.nat(), fc.array(opArb, { maxLength: 300 })], { numRuns: 60 })(
  'is deterministic: the same seed and ops give the same bucket layout, results and events',
  (seed, ops) => {
    const a = run(seed, ops, 'full')
    const b = run(seed, ops, 'full')
    expect(layout(a.d)).toEqual(layout(b.d))
    expect(a.results).toEqual(b.results)
    expect(a.events).toEqual(b.events)
  },
)

test.prop([fc.nat(), fc.array(opArb, { maxLength: 300 })], { numRuns: 60 })(
  'tracing never changes behaviour: off, summary and full give the same layout and RNG state',
  (seed, ops) => {
    const off = run(seed, ops, 'off')
    const summary = run(seed, ops, 'summary')
    const full = run(seed, ops, 'full')
    expect(layout(summary.d)).toEqual(layout(off.d))
    expect(layout(full.d)).toEqual(layout(off.d))
    expect(full.results).toEqual(off.results)
    expect(full.rng).toEqual(off.rng)
    for (const evs of off.events) expect(evs).toEqual([])
  },
)

// --- SCAN guarantee ---

type ScanOp =
  | { kind: 'insert'; key: string }
  | { kind: 'delete'; key: string }
  | { kind: 'rehash'; n: number }
  | { kind: 'resize' }
  | { kind: 'expand'; size: number }

const scanKeyArb = fc.integer({ min: 0, max: 400 }).map((i) => `s${i}`)
const scanOpArb: fc.Arbitrary<ScanOp> = fc.oneof(
  w(
    4,
    scanKeyArb.map((key) => ({ kind: 'insert' as const, key })),
  ),
  w(
    4,
    scanKeyArb.map((key) => ({ kind: 'delete' as const, key })),
  ),
  w(2, rehashOp(8)),
  w(1, resizeOp),
  w(1, expandOp(1, 1024)),
)

test.prop(
  [
    fc.nat(),
    fc.uniqueArray(scanKeyArb, { maxLength: 200 }),
    fc.array(fc.array(scanOpArb, { maxLength: 6 }), { maxLength: 300 }),
    fc.boolean(),
  ],
  { numRuns: 200 },
)(
  'SCAN returns every element present for the whole scan, despite inserts, deletes and resizes',
  (seed, initial, between, startMidRehash) => {
    const rng = rngCreate(seed)
    const ctx = ctxFor(rng, 'off')
    const d = dictCreate<number>('scan', hashSeedFromRng(rng))
    for (const k of initial) dictAdd(ctx, d, k, 0)
    if (!startMidRehash) while (dictRehash(ctx, d, 1));
    const deleted = new Set<string>()
    const returned = new Set<string>()
    let cursor = 0
    let calls = 0
    do {
      cursor = dictScan(ctx, d, cursor, (key) => returned.add(key))
      const ops = between[calls % Math.max(1, between.length)] ?? []
      for (const op of ops) {
        switch (op.kind) {
          case 'insert':
            dictAdd(ctx, d, op.key, 1)
            break
          case 'delete':
            if (dictDelete(ctx, d, op.key) !== NO_ENTRY) deleted.add(op.key)
            break
          case 'rehash':
            dictRehash(ctx, d, op.n)
            break
          case 'resize':
            if (htNeedsResize(d)) dictResize(ctx, d)
            break
          case 'expand':
            dictExpand(ctx, d, op.size)
            break
        }
      }
      expect(dictValidate(d)).toEqual([])
      calls++
      expect(calls).toBeLessThan(100_000)
    } while (cursor !== 0)
    for (const k of initial) {
      if (!deleted.has(k)) expect(returned.has(k), k).toBe(true)
    }
    expect(d.pauseRehash).toBe(0)
  },
)
