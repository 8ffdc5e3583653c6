/**
 * HyperLogLog step events (structures/hyperloglog.ts, commands/hyperloglog.ts) and the
 * inspect() view of an HLL string (inspectHll.ts): what each event says matches the bytes,
 * promotions give their reason, the cache's fate is reported, and tracing changes nothing.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createExecContext } from '../../../src/engine/context.ts'
import type { StepEvent, StepEventOf } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { HyperLogLogView } from '../../../src/engine/inspectHll.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  hllCreateSds,
  hllEncoding,
  hllFromSds,
  hllPatLen,
  hllSparseDecode,
  hllSparseSet,
  hllTracer,
  HLL_DENSE,
  murmurHash64A,
} from '../../../src/engine/structures/hyperloglog.ts'

function server(trace: 'off' | 'summary' | 'full' = 'full') {
  return createServer({ seed: 3, clock: manualClock(), trace })
}

function hllEvents(events: readonly StepEvent[]): StepEvent[] {
  return events.filter((e) => e.type.startsWith('hll/'))
}

function ofType<T extends StepEvent['type']>(events: readonly StepEvent[], type: T) {
  return events.filter((e): e is StepEventOf<T> => e.type === type)
}

function view(s: ReturnType<typeof server>, key: string): HyperLogLogView {
  return s.inspect(key) as unknown as HyperLogLogView
}

describe('hll events', () => {
  it('report each element’s hash, register and run length as hllPatLen computes them', () => {
    const s = server()
    const t = s.execute(['PFADD', 'h', 'a', 'b', 'c', 'a'])
    const hashed = ofType(t.events, 'hll/elementHashed')
    expect(hashed.map((e) => e.element)).toEqual(['a', 'b', 'c', 'a'])
    for (const e of hashed) {
      expect({ index: e.index, count: e.count }).toEqual(hllPatLen(e.element))
      expect(BigInt(`0x${e.hash}`)).toBe(murmurHash64A(e.element, 0xadc83b19))
      expect(BigInt(`0x${e.hash}`) & 16383n).toBe(BigInt(e.index))
    }
    // 'a' again changes nothing: three updates, then the stale cache.
    const updates = ofType(t.events, 'hll/registerUpdated')
    expect(updates.map((e) => [e.index, e.old, e.new, e.estimate])).toEqual(
      hashed.slice(0, 3).map((e, i) => [e.index, 0, e.count, i + 1]),
    )
    expect(updates[0]?.sparse).toEqual({
      at: 0,
      inserted: [
        { op: 'XZERO', len: updates[0]?.index, value: 0 },
        { op: 'VAL', len: 1, value: updates[0]?.new },
        { op: 'XZERO', len: 16383 - (updates[0]?.index ?? 0), value: 0 },
      ],
    })
    expect(hllEvents(t.events).at(-1)).toEqual({ type: 'hll/cacheInvalidated', key: 'h' })
  })

  it('keeps summary traces to structural events (no hashing)', () => {
    const s = server('summary')
    const t = s.execute(['PFADD', 'h', 'a', 'b'])
    expect(hllEvents(t.events).map((e) => e.type)).toEqual([
      'hll/registerUpdated',
      'hll/registerUpdated',
      'hll/cacheInvalidated',
    ])
  })

  it('reports the promotion past hll-sparse-max-bytes with the size it would have had', () => {
    const s = server()
    s.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', '40'])
    const t = s.execute(['PFADD', 'h', ...'abcdefghij'.split('')])
    const promo = ofType(t.events, 'hll/sparseToDense')
    expect(promo).toHaveLength(1)
    expect(promo[0]).toMatchObject({ reason: 'sparseTooBig', limit: 40 })
    expect(promo[0]?.bytes).toBeGreaterThan(40)
    // After it, register updates are dense.
    const i = t.events.indexOf(promo[0] as StepEvent)
    const later = ofType(t.events.slice(i), 'hll/registerUpdated')
    expect(later.length).toBeGreaterThan(0)
    expect(later.every((e) => e.encoding === 'dense' && e.sparse === null)).toBe(true)
    expect(view(s, 'h')).toMatchObject({ encoding: 'dense', bytes: 12304, ops: null })
  })

  it('reports a value over 32 as valueTooBig', () => {
    const ctx = createExecContext(rngCreate(1), manualClock(), 'full')
    const h = hllFromSds(hllCreateSds())
    expect(hllSparseSet(h, 5, 40, 3000, hllTracer(ctx, 'k', true))).toBe(1)
    expect(hllEncoding(h)).toBe(HLL_DENSE)
    expect(ctx.events.map((e) => e.type)).toEqual(['hll/sparseToDense', 'hll/registerUpdated'])
    expect(ctx.events[0]).toMatchObject({ reason: 'valueTooBig', value: 40 })
    expect(ctx.events[1]).toMatchObject({ index: 5, old: 0, new: 40, encoding: 'dense' })
  })

  it('reports VAL opcodes merging, at their position in the list', () => {
    const ctx = createExecContext(rngCreate(1), manualClock(), 'full')
    const h = hllFromSds(hllCreateSds())
    const tr = hllTracer(ctx, 'k', true)
    hllSparseSet(h, 10, 3, 3000, tr)
    hllSparseSet(h, 11, 3, 3000, tr)
    expect(hllSparseDecode(h)).toBe('z:10 v:3,2 Z:16372')
    const merged = ofType(ctx.events, 'hll/opcodesMerged')
    expect(merged).toEqual([{ type: 'hll/opcodesMerged', key: 'k', at: 1, value: 3, len: 2 }])
  })

  it('tells PFCOUNT computing and caching from PFCOUNT reading the cache', () => {
    const s = server()
    s.call(['PFADD', 'h', 'x', 'y'])
    expect(hllEvents(s.execute(['PFCOUNT', 'h']).events)).toEqual([
      { type: 'hll/cardinalityCached', key: 'h', card: 2 },
    ])
    expect(hllEvents(s.execute(['PFCOUNT', 'h']).events)).toEqual([
      { type: 'hll/cachedCardinalityUsed', key: 'h', card: 2 },
    ])
    expect(view(s, 'h')).toMatchObject({ cachedCard: 2, cacheValid: true, estimate: 2 })
    s.call(['PFADD', 'h', 'z'])
    expect(view(s, 'h')).toMatchObject({ cachedCard: 2, cacheValid: false, estimate: 3 })
  })

  it('reports PFMERGE once, and a dense source’s promotion of the target', () => {
    const s = server()
    s.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', '30'])
    s.call(['PFADD', 'big', ...Array.from({ length: 20 }, (_, i) => `e${String(i)}`)])
    s.call(['PFADD', 'small', 'a'])
    s.call(['PFCOUNT', 'small'])
    const t = s.execute(['PFMERGE', 'small', 'big'])
    expect(hllEvents(t.events).map((e) => e.type)).toEqual([
      'hll/merged',
      'hll/sparseToDense',
      'hll/cacheInvalidated',
    ])
    expect(ofType(t.events, 'hll/merged')[0]?.nonZero).toBe(
      view(s, 'small').registers.filter((v) => v > 0).length,
    )
    expect(ofType(t.events, 'hll/sparseToDense')[0]?.reason).toBe('merge')
  })

  it('reports a several-key PFCOUNT as one union counted, caching nothing in either key', () => {
    const s = server()
    s.call(['PFADD', 'a', 'x', 'y'])
    s.call(['PFADD', 'b', 'y', 'z'])
    const t = s.execute(['PFCOUNT', 'a', 'missing', 'b'])
    expect(t.reply).toEqual({ type: 'integer', value: 3 })
    expect(hllEvents(t.events)).toEqual([
      { type: 'hll/unionCounted', keys: ['a', 'missing', 'b'], nonZero: 3, card: 3 },
    ])
    expect(view(s, 'a')).toMatchObject({ cacheValid: false })
    expect(view(s, 'b')).toMatchObject({ cacheValid: false })
  })

  test.prop([fc.array(fc.array(fc.string({ maxLength: 6 }), { maxLength: 30 }), { maxLength: 8 })])(
    'never change what the engine does: replies and bytes are the same with tracing off',
    (batches) => {
      const on = server('full')
      const off = server('off')
      for (const s of [on, off]) s.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', '60'])
      for (const b of batches) {
        expect(on.call(['PFADD', 'h', ...b])).toEqual(off.call(['PFADD', 'h', ...b]))
        expect(on.call(['GET', 'h'])).toEqual(off.call(['GET', 'h']))
      }
      expect(on.call(['PFCOUNT', 'h'])).toEqual(off.call(['PFCOUNT', 'h']))
      expect(on.digest()).toBe(off.digest())
    },
  )
})

describe('inspect() of an HLL', () => {
  it('gives the hyperloglog view with the opcodes, registers and cache, and the plain string view', () => {
    const s = server()
    s.call(['PFADD', 'h', 'a'])
    const v = view(s, 'h')
    const { index, count } = hllPatLen('a')
    expect(v).toMatchObject({ kind: 'hyperloglog', encoding: 'sparse', bytes: 21, estimate: 1 })
    expect(v.ops).toEqual([
      { op: 'XZERO', len: index, value: 0 },
      { op: 'VAL', len: 1, value: count },
      { op: 'XZERO', len: 16383 - index, value: 0 },
    ])
    expect(v.registers[index]).toBe(count)
    expect(v.registers.reduce((n, r) => n + r, 0)).toBe(count)
    expect(v.cacheValid).toBe(false)
    expect((v as unknown as { string: { kind: string } }).string.kind).toBe('string')
  })

  it('keeps the string view for strings that are not HLLs', () => {
    const s = server()
    s.call(['SET', 'a', 'HYLL but not one'])
    s.call(['SET', 'b', 'hello'])
    expect(s.inspect('a')?.kind).toBe('string')
    expect(s.inspect('b')?.kind).toBe('string')
  })
})
