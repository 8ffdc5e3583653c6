/**
 * LZF compression of quicklist nodes (list-compress-depth): which nodes are compressed after
 * each kind of change, the LZF sizes, the failure rules and the events. The byte-for-byte
 * checks against redis-server are in test/conformance/scripts/quicklist-compress.redis.
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { clearEvents, createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import { lzf_compress } from '../../../src/engine/structures/lzf.ts'
import {
  quicklistCreate,
  quicklistDelEntry,
  quicklistDelRange,
  quicklistDup,
  quicklistGetIteratorAtIdx,
  quicklistGetRange,
  quicklistIndex,
  quicklistInsertAtIdx,
  quicklistNext,
  quicklistNodeEntryBytes,
  quicklistNodeRawBytes,
  quicklistNodes,
  quicklistPop,
  quicklistPushHead,
  quicklistPushTail,
  quicklistReleaseIterator,
  quicklistReplaceAtIndex,
  quicklistReprFull,
  quicklistToArray,
  quicklistValidate,
  type Quicklist,
} from '../../../src/engine/structures/quicklist.ts'

function ctxOf(): ExecContext {
  return createExecContext(rngCreate(1), manualClock(), 'full')
}

/** A compressible element: repeated text with a distinct suffix. */
const text = (i: number): string => `hello-hello-hello-hello-${String(i)}`

/** fill 4 (four elements a node), `depth`, `n` compressible elements pushed at the tail. */
function build(ctx: ExecContext, depth: number, n: number): Quicklist {
  const ql = quicklistCreate(4, depth)
  for (let i = 0; i < n; i++) quicklistPushTail(ctx, ql, text(i), 'l')
  return ql
}

/** One letter a node, head to tail: 'R' raw, 'Z' LZF. */
const enc = (ql: Quicklist): string =>
  quicklistNodes(ql)
    .map((n) => (n.encoding === 'lzf' ? 'Z' : 'R'))
    .join('')

function valid(ql: Quicklist): void {
  expect(quicklistValidate(ql, { fillCount: true, compress: true })).toEqual([])
}

describe('which nodes are compressed', () => {
  it('depth 1: every node but the head and the tail, once there are at least 3', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 8)
    expect(enc(ql)).toBe('RR')
    quicklistPushTail(ctx, ql, text(8), 'l')
    expect(enc(ql)).toBe('RZR')
    for (let i = 9; i < 20; i++) quicklistPushTail(ctx, ql, text(i), 'l')
    expect(enc(ql)).toBe('RZZZR')
    valid(ql)
  })

  it('depth 2: the two nodes at each end stay raw', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 2, 20)
    expect(enc(ql)).toBe('RRZRR')
    for (let i = 0; i < 8; i++) quicklistPushHead(ctx, ql, text(100 + i), 'l')
    expect(enc(ql)).toBe('RRZZZRR')
    valid(ql)
  })

  it('stores the real LZF output and counts quicklistLZF + data as the allocation', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 12)
    const inner = quicklistNodes(ql)[1]
    if (inner?.lzf == null) throw new Error('inner node not compressed')
    const want = lzf_compress(quicklistNodeRawBytes(inner), inner.sz)
    expect(want).not.toBeNull()
    expect(Array.from(inner.lzf)).toEqual(Array.from(want ?? []))
    expect(quicklistNodeEntryBytes(inner)).toBe(8 + inner.lzf.length)
    expect(inner.lzf.length).toBeLessThan(inner.sz - 8)
  })
})

describe('changes to a compressed list', () => {
  it('pops: a node that becomes an end node is decompressed', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 20)
    for (let i = 0; i < 4; i++) quicklistPop(ctx, ql, 'tail', 'l')
    expect(enc(ql)).toBe('RZZR')
    for (let i = 0; i < 8; i++) quicklistPop(ctx, ql, 'head', 'l')
    expect(enc(ql)).toBe('RR')
    expect(quicklistToArray(ql)).toEqual([8, 9, 10, 11, 12, 13, 14, 15].map(text))
    valid(ql)
  })

  it('an insert into an inner node decompresses it for use and compresses it again', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 20)
    const inner = quicklistNodes(ql)[2]
    clearEvents(ctx)
    quicklistInsertAtIdx(ctx, ql, 9, 'world-world-world-world', true, 'l')
    const types = ctx.events.map((e) => e.type)
    expect(types).toContain('quicklist/nodeDecompressed')
    expect(ctx.events.find((e) => e.type === 'quicklist/nodeDecompressed')).toMatchObject({
      node: inner?.id,
      forUse: true,
    })
    expect(quicklistToArray(ql)[10]).toBe('world-world-world-world')
    valid(ql)
    expect(quicklistNodes(ql).every((n) => !n.recompress)).toBe(true)
  })

  it('LSET on an inner node leaves it compressed with the new contents', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 2, 20)
    expect(quicklistReplaceAtIndex(ctx, ql, 9, 'replaced-replaced-replaced', 'l')).toBe(true)
    expect(enc(ql)).toBe('RRZRR')
    expect(quicklistIndex(ql, 9)).toBe('replaced-replaced-replaced')
    expect(quicklistReplaceAtIndex(ctx, ql, 10, 'x', 'l')).toBe(true)
    expect(quicklistIndex(ql, 10)).toBe('x')
    valid(ql)
  })

  it('LTRIM (quicklistDelRange) from both ends: new end nodes are raw', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 24)
    expect(enc(ql)).toBe('RZZZZR')
    quicklistDelRange(ctx, ql, 0, 5, 'l')
    quicklistDelRange(ctx, ql, -5, 5, 'l')
    expect(quicklistToArray(ql)).toEqual(Array.from({ length: 14 }, (_, i) => text(i + 5)))
    expect(enc(ql)[0]).toBe('R')
    expect(enc(ql).at(-1)).toBe('R')
    valid(ql)
  })

  it('LREM (iterator deletes, then release) keeps the rules', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 20)
    const it = quicklistGetIteratorAtIdx(ql, 'head', 0, ctx, 'l')
    if (it === null) throw new Error('no iterator')
    for (let e = quicklistNext(it); e !== null; e = quicklistNext(it)) {
      if (e.value === text(5) || e.value === text(6) || e.value === text(14)) {
        quicklistDelEntry(ctx, it, e, 'l')
      }
    }
    quicklistReleaseIterator(it)
    expect(quicklistToArray(ql)).toHaveLength(17)
    expect(enc(ql)).toBe('RZZZR')
    valid(ql)
  })

  it('a copy keeps the compression (quicklistDup)', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 20)
    const copy = quicklistDup(ql)
    expect(enc(copy)).toBe(enc(ql))
    expect(quicklistToArray(copy)).toEqual(quicklistToArray(ql))
    valid(copy)
  })
})

describe('nodes that stay raw', () => {
  it('under 48 bytes: tooSmall, and the attempt is remembered', () => {
    const ctx = ctxOf()
    const ql = quicklistCreate(4, 1)
    for (let i = 0; i < 20; i++) quicklistPushTail(ctx, ql, String(i), 'l')
    expect(enc(ql)).toBe('RRRRR')
    expect(quicklistNodes(ql)[2]?.attemptedCompress).toBe(true)
    const kept = ctx.events.filter((e) => e.type === 'quicklist/nodeKeptRaw')
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.every((e) => e.type === 'quicklist/nodeKeptRaw' && e.reason === 'tooSmall')).toBe(
      true,
    )
    valid(ql)
  })

  it('incompressible bytes: LZF cannot save 9 bytes', () => {
    const ctx = ctxOf()
    const ql = quicklistCreate(4, 1)
    const words = ['q7Zk2Lp9x1', 'X3vB8nMwy2', 'r5Tj1Hc6z3', 'Yd4Gs0Faw4']
    for (let i = 0; i < 12; i++)
      quicklistPushTail(ctx, ql, `${words[i % 4] ?? ''}${String(i)}`, 'l')
    expect(enc(ql)).toBe('RRR')
    const kept = ctx.events.find((e) => e.type === 'quicklist/nodeKeptRaw')
    expect(kept).toMatchObject({ node: quicklistNodes(ql)[1]?.id })
    expect(kept?.type === 'quicklist/nodeKeptRaw' && kept.reason).not.toBe('tooSmall')
  })

  it('DEBUG QUICKLIST full leaves nodes raw; walking them compresses them again', () => {
    const ctx = ctxOf()
    const ql = build(ctx, 1, 20)
    quicklistReprFull(ctx, ql, 'l')
    expect(enc(ql)).toBe('RRRRR')
    // Releasing an iterator on the (raw) head runs a pass: the nodes just past the depth.
    expect(quicklistIndex(ql, 1, ctx, 'l')).toBe(text(1))
    expect(enc(ql)).toBe('RZRZR')
    // Leaving the middle node compresses it as well.
    expect(quicklistGetRange(ql, 'head', 8, 4, ctx, 'l')).toEqual([8, 9, 10, 11].map(text))
    expect(enc(ql)).toBe('RZZZR')
  })
})
