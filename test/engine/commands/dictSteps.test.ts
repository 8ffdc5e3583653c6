/**
 * Dict operation sequences that Redis 7.0.15 makes and that decide how far a rehash moves
 * (every dictFind / dictAddRaw / dictDelete on a rehashing dict takes one step). These pin
 * the number of operations per element where a helper could easily make two.
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createExecContext } from '../../../src/engine/context.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  dictAdd,
  dictAddOrFindEntry,
  dictCreate,
  dictExpand,
  dictFind,
  dictForEach,
} from '../../../src/engine/structures/dict.ts'
import { createTypeHarness } from '../types/typeHarness.ts'

describe('ZUNIONSTORE accumulator (t_zset.c zunionInterDiffGenericCommand)', () => {
  const a = Array.from({ length: 8 }, (_, i) => `a${String(i)}`)
  const b = Array.from({ length: 8 }, (_, i) => `b${String(i)}`)

  /** The accumulator's iteration order when each element costs `ops` dict operations. */
  function accumulatorOrder(seed: Parameters<typeof dictCreate>[1], ops: 1 | 2): string[] {
    const ctx = createExecContext(rngCreate(1), manualClock(), 'off')
    const acc = dictCreate<number>('acc', seed)
    dictExpand(ctx, acc, 8)
    // zuiNext walks a sorted set from its tail (highest score first).
    for (const ele of [...[...a].reverse(), ...[...b].reverse()]) {
      if (ops === 1) dictAddOrFindEntry(ctx, acc, ele, 0)
      else if (dictFind(ctx, acc, ele) === -1) dictAdd(ctx, acc, ele, 0)
    }
    const out: string[] = []
    dictForEach(acc, (k) => out.push(k))
    return out
  }

  it('adds each element with one dictAddRaw, so the result is filled in that order', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', '0')
    t.exec('ZADD', 'za', ...a.flatMap((m, i) => [String(i), m]))
    t.exec('ZADD', 'zb', ...b.flatMap((m, i) => [String(i + 8), m]))
    t.exec('ZUNIONSTORE', 'd', '2', 'za', 'zb')
    const added = t.events.flatMap((e) =>
      e.type === 'dict/keyAdded' && !e.dict.startsWith('db:') ? [e.key] : [],
    )
    const expected = accumulatorOrder(t.srv.hashSeed, 1)
    // The input is chosen so that one extra lookup per element would change the order.
    expect(accumulatorOrder(t.srv.hashSeed, 2)).not.toEqual(expected)
    expect(added).toEqual(expected)
  })
})
