import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { clearEvents, createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import { lpBytes } from '../../../src/engine/structures/listpack.ts'
import {
  quicklistCreate,
  quicklistDelEntry,
  quicklistDelEntryAtIdx,
  quicklistInsertAtIdx,
  quicklistDelRange,
  quicklistDup,
  quicklistGetIterator,
  quicklistGetIteratorAtIdx,
  quicklistIndex,
  quicklistInsertAfter,
  quicklistInsertBefore,
  quicklistGetIteratorEntryAtIdx,
  quicklistNext,
  quicklistNodeAllowInsert,
  quicklistNodes,
  quicklistPop,
  quicklistPushHead,
  quicklistPushTail,
  quicklistReplaceAtIndex,
  quicklistSetFill,
  quicklistToArray,
  quicklistValidate,
  type Quicklist,
} from '../../../src/engine/structures/quicklist.ts'

function ctxOf(level: 'off' | 'summary' | 'full' = 'full'): ExecContext {
  return createExecContext(rngCreate(1), manualClock(), level)
}

function build(ctx: ExecContext, fill: number, values: readonly string[]): Quicklist {
  const ql = quicklistCreate(fill)
  for (const v of values) quicklistPushTail(ctx, ql, v, 'l')
  return ql
}

const range = (a: number, b: number): string[] =>
  Array.from({ length: b - a + 1 }, (_, i) => String(a + i))
const shape = (ql: Quicklist): string[][] =>
  quicklistNodes(ql).map((n) =>
    quicklistToArray({ ...ql, head: n, tail: n, len: 1 }).slice(0, n.count),
  )

describe('quicklistCreate', () => {
  it('defaults to fill -2 and compress 0, and clamps options', () => {
    const ql = quicklistCreate()
    expect([ql.fill, ql.compress, ql.len, ql.count]).toEqual([-2, 0, 0, 0])
    quicklistSetFill(ql, -9)
    expect(ql.fill).toBe(-5)
    quicklistSetFill(ql, 100000)
    expect(ql.fill).toBe(32767)
    expect(quicklistCreate(-2, 70000).compress).toBe(65535)
  })
})

describe('push and node fill', () => {
  it('puts 681 ten-byte elements per node at fill -2: 5000 make 8 nodes', () => {
    const ql = build(
      ctxOf('off'),
      -2,
      Array.from({ length: 5000 }, () => 'aaaaaaaaaa'),
    )
    const nodes = quicklistNodes(ql)
    expect(nodes).toHaveLength(8)
    expect(nodes[0]?.count).toBe(681)
    expect(nodes[0]?.sz).toBe(7 + 681 * 12)
    expect(quicklistValidate(ql, { fillCount: true, fillBytes: true })).toEqual([])
  })

  it('counts elements when fill is positive: 300 at fill 128 make 128/128/44', () => {
    const ql = build(ctxOf('off'), 128, range(1, 300))
    expect(quicklistNodes(ql).map((n) => n.count)).toEqual([128, 128, 44])
  })

  it('caps a count fill at 8 KiB', () => {
    const ql = build(
      ctxOf('off'),
      1000,
      Array.from({ length: 20 }, () => 'x'.repeat(1000)),
    )
    expect(quicklistNodes(ql).map((n) => n.count)).toEqual([8, 8, 4])
  })

  it('pushes at the head into the head node and creates nodes with events', () => {
    const ctx = ctxOf()
    const ql = quicklistCreate(2)
    expect(quicklistPushHead(ctx, ql, 'a', 'l')).toBe(true)
    expect(quicklistPushHead(ctx, ql, 'b', 'l')).toBe(false)
    expect(quicklistPushHead(ctx, ql, 'c', 'l')).toBe(true)
    expect(quicklistToArray(ql)).toEqual(['c', 'b', 'a'])
    expect(ctx.events.map((e) => e.type)).toEqual([
      'quicklist/nodeCreated',
      'listpack/entryInserted',
      'quicklist/nodeCreated',
    ])
    expect(ctx.events[1]).toMatchObject({ node: 1, index: 0, value: 'b' })
  })

  it('refuses inserts the estimate says would overflow (sz + len + 8)', () => {
    const ql = build(ctxOf('off'), -1, ['x'.repeat(4000)])
    const head = ql.head
    expect(head?.sz).toBe(7 + 4000 + 2 + 2)
    expect(quicklistNodeAllowInsert(ql, head, 4096 - 4011 - 8)).toBe(true)
    expect(quicklistNodeAllowInsert(ql, head, 4096 - 4011 - 7)).toBe(false)
  })
})

describe('PLAIN nodes', () => {
  it('gives an element at or over the packed threshold its own node', () => {
    const ctx = ctxOf('off')
    const ql = quicklistCreate(-2)
    ql.packedThreshold = 16
    quicklistPushTail(ctx, ql, 'a', 'l')
    quicklistPushTail(ctx, ql, 'B'.repeat(16), 'l')
    quicklistPushTail(ctx, ql, 'c', 'l')
    expect(quicklistNodes(ql).map((n) => n.container)).toEqual(['packed', 'plain', 'packed'])
    expect(quicklistToArray(ql)).toEqual(['a', 'B'.repeat(16), 'c'])
    expect(quicklistPop(ctx, ql, 'head', 'l')).toBe('a')
    expect(quicklistPop(ctx, ql, 'head', 'l')).toBe('B'.repeat(16))
    expect(quicklistValidate(ql)).toEqual([])
  })
})

describe('quicklistInsertBefore / After', () => {
  it('splits a full node and leaves unmergeable halves', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 4, range(1, 8))
    clearEvents(ctx)
    const found = quicklistGetIteratorEntryAtIdx(ql, 1)
    if (found === null) throw new Error('index')
    quicklistInsertAfter(ctx, ql, found.entry, 'x', 'l')
    expect(shape(ql)).toEqual([['1', '2'], ['x', '3', '4'], range(5, 8)])
    expect(ctx.events).toMatchObject([
      { type: 'quicklist/nodeSplit', key: 'l', node: 1, offset: 1, newNode: 3, after: true },
      { type: 'quicklist/nodeCreated', key: 'l', node: 3, count: 3, prev: 1 },
    ])
    expect(quicklistValidate(ql, { fillCount: true, fillBytes: true })).toEqual([])
  })

  it('merges next with next.next after a split', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 4, range(1, 9))
    quicklistDelRange(ctx, ql, 5, 3, 'l')
    expect(shape(ql)).toEqual([range(1, 4), ['5'], ['9']])
    clearEvents(ctx)
    const found = quicklistGetIteratorEntryAtIdx(ql, 1)
    if (found === null) throw new Error('index')
    quicklistInsertBefore(ctx, ql, found.entry, 'x', 'l')
    expect(shape(ql)).toEqual([
      ['1', 'x'],
      ['2', '3', '4'],
      ['5', '9'],
    ])
    expect(ctx.events.filter((e) => e.type === 'quicklist/nodesMerged')).toMatchObject([
      { type: 'quicklist/nodesMerged', key: 'l', into: 2, from: 3 },
    ])
    expect(quicklistValidate(ql, { fillCount: true, fillBytes: true })).toEqual([])
  })

  it('puts the value in the neighbour at a full node edge when it has room', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, 4, range(1, 6))
    const found = quicklistGetIteratorEntryAtIdx(ql, 3)
    if (found === null) throw new Error('index')
    quicklistInsertAfter(ctx, ql, found.entry, 'x', 'l')
    expect(shape(ql)).toEqual([range(1, 4), ['x', '5', '6']])
  })

  it('creates a new node at a full edge with a full neighbour', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, 2, range(1, 4))
    const found = quicklistGetIteratorEntryAtIdx(ql, 2)
    if (found === null) throw new Error('index')
    quicklistInsertBefore(ctx, ql, found.entry, 'x', 'l')
    expect(shape(ql)).toEqual([['1', '2'], ['x'], ['3', '4']])
  })

  it('inserts inside a node with room', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, -2, ['a', 'c'])
    const found = quicklistGetIteratorEntryAtIdx(ql, -1)
    if (found === null) throw new Error('index')
    quicklistInsertBefore(ctx, ql, found.entry, 'b', 'l')
    expect(quicklistToArray(ql)).toEqual(['a', 'b', 'c'])
  })
})

describe('lookup and iteration', () => {
  const ql = build(ctxOf('off'), 3, range(0, 9))

  it('finds indexes from the head and from the tail', () => {
    expect(range(0, 9).map((_, i) => quicklistIndex(ql, i))).toEqual(range(0, 9))
    expect(quicklistIndex(ql, -1)).toBe('9')
    expect(quicklistIndex(ql, -10)).toBe('0')
    expect(quicklistIndex(ql, 10)).toBeNull()
    expect(quicklistIndex(ql, -11)).toBeNull()
  })

  it('iterates both ways from any index', () => {
    const collect = (idx: number, dir: 'head' | 'tail'): string[] => {
      const it = quicklistGetIteratorAtIdx(ql, dir, idx)
      const out: string[] = []
      for (let e = it && quicklistNext(it); e; e = it && quicklistNext(it)) out.push(e.value)
      return out
    }
    expect(collect(4, 'head')).toEqual(range(4, 9))
    expect(collect(-3, 'tail')).toEqual(['7', '6', '5', '4', '3', '2', '1', '0'])
    const whole = quicklistGetIterator(ql, 'tail')
    const all: string[] = []
    for (let e = quicklistNext(whole); e; e = quicklistNext(whole)) all.push(e.value)
    expect(all).toEqual(range(0, 9).reverse())
  })
})

describe('delete', () => {
  it('deletes ranges across nodes and frees emptied nodes', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 3, range(0, 9))
    clearEvents(ctx)
    expect(quicklistDelRange(ctx, ql, 2, 5, 'l')).toBe(true)
    expect(quicklistToArray(ql)).toEqual(['0', '1', '7', '8', '9'])
    expect(ctx.events.filter((e) => e.type === 'quicklist/nodeDeleted')).toEqual([
      { type: 'quicklist/nodeDeleted', key: 'l', node: 2 },
    ])
    expect(quicklistDelRange(ctx, ql, -2, 10, 'l')).toBe(true)
    expect(quicklistToArray(ql)).toEqual(['0', '1', '7'])
    expect(quicklistDelRange(ctx, ql, 5, 1, 'l')).toBe(false)
    expect(quicklistValidate(ql)).toEqual([])
  })

  it('deletes while iterating (LREM style) in both directions', () => {
    for (const dir of ['head', 'tail'] as const) {
      const ctx = ctxOf('off')
      const ql = build(ctx, 2, ['a', 'x', 'x', 'b', 'x', 'c', 'x'])
      const it = quicklistGetIterator(ql, dir)
      for (let e = quicklistNext(it); e; e = quicklistNext(it)) {
        if (e.value === 'x') quicklistDelEntry(ctx, it, e, 'l')
      }
      expect(quicklistToArray(ql)).toEqual(['a', 'b', 'c'])
      expect(quicklistValidate(ql)).toEqual([])
    }
  })

  it('pops from both ends', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, 2, ['a', 'b', 'c'])
    expect(quicklistPop(ctx, ql, 'tail', 'l')).toBe('c')
    expect(quicklistPop(ctx, ql, 'head', 'l')).toBe('a')
    expect(quicklistPop(ctx, ql, 'head', 'l')).toBe('b')
    expect(quicklistPop(ctx, ql, 'head', 'l')).toBeNull()
    expect(ql.len).toBe(0)
  })
})

describe('quicklistReplaceAtIndex', () => {
  it('replaces in place with lpReplace', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 2, ['a', 'b', 'c'])
    clearEvents(ctx)
    expect(quicklistReplaceAtIndex(ctx, ql, -1, 'zz', 'l')).toBe(true)
    expect(quicklistReplaceAtIndex(ctx, ql, 3, 'zz', 'l')).toBe(false)
    expect(quicklistToArray(ql)).toEqual(['a', 'b', 'zz'])
    expect(ctx.events[0]).toMatchObject({ type: 'listpack/entryReplaced', node: 2, index: 0 })
    expect(ql.tail?.sz).toBe(lpBytes(ql.tail?.lp ?? { buf: new Uint8Array(0) }))
  })

  it('moves a large replacement into a PLAIN node, splitting around it', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, -2, ['a', 'b', 'c'])
    ql.packedThreshold = 8
    quicklistReplaceAtIndex(ctx, ql, 1, 'L'.repeat(8), 'l')
    expect(quicklistToArray(ql)).toEqual(['a', 'L'.repeat(8), 'c'])
    expect(quicklistNodes(ql).map((n) => n.container)).toEqual(['packed', 'plain', 'packed'])
    quicklistReplaceAtIndex(ctx, ql, 1, 'small', 'l')
    expect(quicklistToArray(ql)).toEqual(['a', 'small', 'c'])
    expect(quicklistValidate(ql)).toEqual([])
  })
})

describe('quicklistDup', () => {
  it('copies nodes and listpacks so the copy changes independently', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, 2, ['a', 'b', 'c'])
    const copy = quicklistDup(ql)
    quicklistPushTail(ctx, copy, 'd', 'l')
    quicklistReplaceAtIndex(ctx, copy, 0, 'z', 'l')
    expect(quicklistToArray(ql)).toEqual(['a', 'b', 'c'])
    expect(quicklistToArray(copy)).toEqual(['z', 'b', 'c', 'd'])
    expect(quicklistValidate(ql)).toEqual([])
    expect(quicklistValidate(copy)).toEqual([])
  })
})

describe('quicklistInsertAtIdx / quicklistDelEntryAtIdx', () => {
  it('inserts and deletes by index from either end', () => {
    const ctx = ctxOf('off')
    const ql = build(ctx, 2, ['a', 'b', 'c'])
    expect(quicklistInsertAtIdx(ctx, ql, -1, 'x', true, 'l')).toBe(true)
    expect(quicklistInsertAtIdx(ctx, ql, 0, 'y', false, 'l')).toBe(true)
    expect(quicklistInsertAtIdx(ctx, ql, 9, 'z', false, 'l')).toBe(false)
    expect(quicklistToArray(ql)).toEqual(['y', 'a', 'b', 'c', 'x'])
    expect(quicklistDelEntryAtIdx(ctx, ql, -2, 'l')).toBe(true)
    expect(quicklistDelEntryAtIdx(ctx, ql, 5, 'l')).toBe(false)
    expect(quicklistToArray(ql)).toEqual(['y', 'a', 'b', 'x'])
    expect(quicklistValidate(ql, { fillCount: true })).toEqual([])
  })
})
