import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { clearEvents, createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import type { StepEventOf, TraceLevel } from '../../../src/engine/events.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  ZSKIPLIST_THRESHOLD,
  ZSL_LEX_MAX,
  ZSL_LEX_MIN,
  sdscmplex,
  zslCreate,
  zslDelete,
  zslDeleteRangeByLex,
  zslDeleteRangeByRank,
  zslDeleteRangeByScore,
  zslFirstInLexRange,
  zslFirstInRange,
  zslGetElementByRank,
  zslGetRank,
  zslInsert,
  zslIsInRange,
  zslLastInLexRange,
  zslLastInRange,
  zslNodes,
  zslParseLexRange,
  zslRandomLevel,
  zslUpdateScore,
  zslValidate,
  type Zskiplist,
} from '../../../src/engine/structures/skiplist.ts'

function ctxOf(level: TraceLevel = 'full', seed = 1): ExecContext {
  return createExecContext(rngCreate(seed), manualClock(), level)
}

function build(ctx: ExecContext, pairs: readonly (readonly [number, string])[]): Zskiplist {
  const zsl = zslCreate()
  for (const [score, ele] of pairs) zslInsert(ctx, zsl, score, ele, 'z')
  return zsl
}

const members = (zsl: Zskiplist): (string | null)[] => zslNodes(zsl).map((n) => n.ele)

describe('zslCreate', () => {
  it('has a 32-level header, level 1 and length 0', () => {
    const zsl = zslCreate()
    expect(zsl.header.level).toHaveLength(32)
    expect(zsl.level).toBe(1)
    expect(zsl.length).toBe(0)
    expect(zsl.tail).toBeNull()
    expect(zslValidate(zsl)).toEqual([])
  })
})

describe('zslRandomLevel', () => {
  it('uses the 7.0.15 threshold ZSKIPLIST_P * RAND_MAX truncated', () => {
    expect(ZSKIPLIST_THRESHOLD).toBe(536870911)
  })

  it('reports flips ending in false, one more level per true', () => {
    const ctx = ctxOf('off', 9)
    for (let i = 0; i < 200; i++) {
      const flips: boolean[] = []
      const level = zslRandomLevel(ctx, flips)
      expect(flips.at(-1)).toBe(false)
      expect(flips.filter(Boolean)).toHaveLength(level - 1)
    }
  })

  it('gives P(level >= 2) close to 1/4 over 20000 draws (seeded, deterministic)', () => {
    const ctx = ctxOf('off', 3)
    let up = 0
    for (let i = 0; i < 20000; i++) if (zslRandomLevel(ctx) >= 2) up++
    expect(up / 20000).toBeGreaterThan(0.23)
    expect(up / 20000).toBeLessThan(0.27)
  })
})

describe('zslInsert', () => {
  it('orders by score then by member bytes and keeps spans valid', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [2, 'b'],
      [1, 'z'],
      [2, 'a'],
      [2, 'ab'],
      [-1, 'm'],
      [2, '\xff'],
    ])
    expect(members(zsl)).toEqual(['m', 'z', 'a', 'ab', 'b', '\xff'])
    expect(zslValidate(zsl)).toEqual([])
    expect(zsl.tail?.ele).toBe('\xff')
    expect(zslNodes(zsl)[1]?.backward?.ele).toBe('m')
  })

  it('emits levelDrawn, searched and nodeInserted with update[] and rank[]', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [1, 'a'],
      [3, 'c'],
    ])
    clearEvents(ctx)
    zslInsert(ctx, zsl, 2, 'b', 'z')
    const drawn = ctx.events.find(
      (e) => e.type === 'zsl/levelDrawn',
    ) as StepEventOf<'zsl/levelDrawn'>
    const ins = ctx.events.find(
      (e) => e.type === 'zsl/nodeInserted',
    ) as StepEventOf<'zsl/nodeInserted'>
    expect(ctx.events[0]?.type).toBe('zsl/searched')
    expect(drawn.level).toBe(ins.level)
    expect(ins.update[0]).toBe('a')
    expect(ins.rank[0]).toBe(1)
    expect(ins.update).toHaveLength(ins.level)
    expect(zslValidate(zsl)).toEqual([])
  })

  it('sets new header levels to span the whole list', () => {
    const ctx = ctxOf('off', 5)
    const zsl = zslCreate()
    for (let i = 0; i < 200; i++) zslInsert(ctx, zsl, i, `m${String(i)}`, 'z')
    expect(zsl.level).toBeGreaterThan(2)
    expect(zslValidate(zsl)).toEqual([])
  })

  it('rejects NaN', () => {
    expect(() => zslInsert(ctxOf(), zslCreate(), NaN, 'x', 'z')).toThrow()
  })

  it('draws the same levels for the same seed whatever the trace level', () => {
    const a = zslCreate()
    const b = zslCreate()
    const ca = ctxOf('off', 11)
    const cb = ctxOf('full', 11)
    for (let i = 0; i < 50; i++) {
      zslInsert(ca, a, i, String(i), 'z')
      zslInsert(cb, b, i, String(i), 'z')
    }
    expect(zslNodes(a).map((n) => n.level.length)).toEqual(zslNodes(b).map((n) => n.level.length))
  })
})

describe('zslGetRank / zslGetElementByRank', () => {
  it('sums spans to 1-based ranks', () => {
    const ctx = ctxOf('off', 2)
    const zsl = zslCreate()
    for (let i = 0; i < 100; i++) zslInsert(ctx, zsl, i * 10, `m${String(i)}`, 'z')
    expect(zslGetRank(ctx, zsl, 0, 'm0', 'z')).toBe(1)
    expect(zslGetRank(ctx, zsl, 420, 'm42', 'z')).toBe(43)
    expect(zslGetRank(ctx, zsl, 420, 'mX', 'z')).toBe(0)
    expect(zslGetElementByRank(ctx, zsl, 43, 'z')?.ele).toBe('m42')
    expect(zslGetElementByRank(ctx, zsl, 100, 'z')?.ele).toBe('m99')
    expect(zslGetElementByRank(ctx, zsl, 101, 'z')).toBeNull()
  })

  it('reports the search path level by level on full traces', () => {
    const ctx = ctxOf('full', 2)
    const zsl = build(ctx, [
      [1, 'a'],
      [2, 'b'],
    ])
    clearEvents(ctx)
    zslGetRank(ctx, zsl, 2, 'b', 'z')
    const e = ctx.events[0] as StepEventOf<'zsl/searched'>
    expect(e.type).toBe('zsl/searched')
    expect(e.path.at(-1)).toEqual({ level: e.path.at(-1)?.level, member: 'b', rank: 2 })
  })
})

describe('zslDelete', () => {
  it('unlinks, fixes spans, backward, tail and lowers the level', () => {
    const ctx = ctxOf('full', 4)
    const zsl = zslCreate()
    for (let i = 0; i < 60; i++) zslInsert(ctx, zsl, i, `m${String(i)}`, 'z')
    clearEvents(ctx)
    expect(zslDelete(ctx, zsl, 30, 'm30', 'z')?.ele).toBe('m30')
    expect(ctx.events.at(-1)).toEqual({
      type: 'zsl/nodeDeleted',
      key: 'z',
      member: 'm30',
      rank: 31,
    })
    expect(zslDelete(ctx, zsl, 30, 'm30', 'z')).toBeNull()
    expect(zslDelete(ctx, zsl, 59, 'm59', 'z')?.ele).toBe('m59')
    expect(zsl.tail?.ele).toBe('m58')
    expect(zslValidate(zsl)).toEqual([])
    for (const n of zslNodes(zsl)) zslDelete(ctx, zsl, n.score, n.ele ?? '', 'z')
    expect(zsl.length).toBe(0)
    expect(zsl.level).toBe(1)
    expect(zslValidate(zsl)).toEqual([])
  })
})

describe('zslUpdateScore', () => {
  it('updates in place when the order is kept', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [1, 'a'],
      [5, 'b'],
      [9, 'c'],
    ])
    const node = zslNodes(zsl)[1]
    clearEvents(ctx)
    expect(zslUpdateScore(ctx, zsl, 5, 'b', 8, 'z')).toBe(node)
    expect(ctx.events.filter((e) => e.type === 'zsl/scoreUpdated')).toEqual([
      { type: 'zsl/scoreUpdated', key: 'z', member: 'b', from: 5, to: 8, inPlace: true },
    ])
  })

  it('deletes and reinserts when the node must move (drawing a new level)', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [1, 'a'],
      [5, 'b'],
      [9, 'c'],
    ])
    clearEvents(ctx)
    zslUpdateScore(ctx, zsl, 1, 'a', 10, 'z')
    expect(members(zsl)).toEqual(['b', 'c', 'a'])
    expect(ctx.events.map((e) => e.type)).toContain('zsl/levelDrawn')
    expect(ctx.events.find((e) => e.type === 'zsl/scoreUpdated')).toMatchObject({ inPlace: false })
    expect(zslValidate(zsl)).toEqual([])
  })

  it('moves on an equal score with a neighbour (strict comparison)', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [1, 'a'],
      [5, 'b'],
    ])
    clearEvents(ctx)
    zslUpdateScore(ctx, zsl, 1, 'a', 5, 'z')
    expect(ctx.events.find((e) => e.type === 'zsl/scoreUpdated')).toMatchObject({ inPlace: false })
    expect(members(zsl)).toEqual(['a', 'b'])
  })
})

describe('score ranges', () => {
  const ctx = ctxOf('off', 8)
  const zsl = build(ctx, [
    [1, 'a'],
    [2, 'b'],
    [3, 'c'],
    [4, 'd'],
  ])
  const spec = (min: number, max: number, minex = false, maxex = false) => ({
    min,
    max,
    minex,
    maxex,
  })

  it('finds the first and last nodes in range with exclusive bounds', () => {
    expect(zslFirstInRange(ctx, zsl, spec(2, 3), 'z')?.ele).toBe('b')
    expect(zslFirstInRange(ctx, zsl, spec(2, 3, true), 'z')?.ele).toBe('c')
    expect(zslLastInRange(ctx, zsl, spec(2, 3, false, true), 'z')?.ele).toBe('b')
    expect(zslLastInRange(ctx, zsl, spec(-Infinity, Infinity), 'z')?.ele).toBe('d')
    expect(zslFirstInRange(ctx, zsl, spec(2.5, 2.7), 'z')).toBeNull()
    expect(zslIsInRange(zsl, spec(3, 3, true))).toBe(false)
    expect(zslIsInRange(zsl, spec(5, 9))).toBe(false)
  })

  it('deletes by score range and calls back for each node', () => {
    const c = ctxOf('full', 8)
    const z = build(c, [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ])
    const gone: string[] = []
    expect(
      zslDeleteRangeByScore(c, z, spec(2, 4, false, true), 'z', (n) => gone.push(n.ele ?? '')),
    ).toBe(2)
    expect(gone).toEqual(['b', 'c'])
    expect(members(z)).toEqual(['a', 'd'])
    expect(zslValidate(z)).toEqual([])
  })
})

describe('lex ranges', () => {
  it('parses -, +, ( and [ and rejects anything else', () => {
    expect(zslParseLexRange('-', '+')).toEqual({
      min: ZSL_LEX_MIN,
      max: ZSL_LEX_MAX,
      minex: true,
      maxex: true,
    })
    expect(zslParseLexRange('[a', '(c')).toEqual({ min: 'a', max: 'c', minex: false, maxex: true })
    expect(zslParseLexRange('a', '+')).toBeNull()
    expect(zslParseLexRange('-x', '+')).toBeNull()
    expect(sdscmplex(ZSL_LEX_MIN, '')).toBe(-1)
    expect(sdscmplex('\xff', ZSL_LEX_MAX)).toBe(-1)
  })

  it('finds and deletes lex ranges over equal scores', () => {
    const ctx = ctxOf('off', 6)
    const zsl = build(
      ctx,
      ['a', 'b', 'c', 'd', 'e'].map((m) => [0, m] as const),
    )
    const range = zslParseLexRange('(a', '[d')
    if (range === null) throw new Error('parse')
    expect(zslFirstInLexRange(ctx, zsl, range, 'z')?.ele).toBe('b')
    expect(zslLastInLexRange(ctx, zsl, range, 'z')?.ele).toBe('d')
    expect(zslDeleteRangeByLex(ctx, zsl, range, 'z')).toBe(3)
    expect(members(zsl)).toEqual(['a', 'e'])
    expect(zslValidate(zsl)).toEqual([])
  })
})

describe('zslDeleteRangeByRank', () => {
  it('deletes 1-based inclusive ranks', () => {
    const ctx = ctxOf('full', 6)
    const zsl = zslCreate()
    for (let i = 0; i < 10; i++) zslInsert(ctx, zsl, i, String(i), 'z')
    clearEvents(ctx)
    expect(zslDeleteRangeByRank(ctx, zsl, 3, 5, 'z')).toBe(3)
    expect(members(zsl)).toEqual(['0', '1', '5', '6', '7', '8', '9'])
    expect(
      ctx.events
        .filter((e) => e.type === 'zsl/nodeDeleted')
        .map((e) => e.type === 'zsl/nodeDeleted' && e.rank),
    ).toEqual([3, 3, 3])
    expect(zslValidate(zsl)).toEqual([])
  })
})

describe('zslValidate', () => {
  it('reports a wrong span', () => {
    const ctx = ctxOf()
    const zsl = build(ctx, [
      [1, 'a'],
      [2, 'b'],
    ])
    const first = zsl.header.level[0]
    if (first) first.span = 2
    expect(zslValidate(zsl)).toContain('level 0: span 2 from rank 0, expected 1')
  })
})
