import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { runZiplistLesson, type ZiplistLessonResult } from '../../../src/engine/index.ts'
import type { ZiplistLessonOp } from '../../../src/engine/ziplistLesson.ts'
import {
  dataWidth,
  elementLabel,
  prevlenHex,
  ziplistLessonFrame,
} from '../../../src/panels/ziplist/ziplistLessonView.ts'

const chain = runZiplistLesson({ op: { kind: 'chain' }, ziplist: null, listpack: null })

function run(prev: ZiplistLessonResult, op: ZiplistLessonOp): ZiplistLessonResult {
  return runZiplistLesson({
    op,
    ziplist: prev.after.ziplist.bytes,
    listpack: prev.after.listpack.bytes,
  })
}

const sizes = (cells: readonly { size: number }[]) => cells.map((c) => c.size)
const states = (cells: readonly { state: string }[]) => cells.map((c) => c.state)

describe('prevlenHex(size, prevlen)', () => {
  it('writes one byte below 254, else 0xFE and the length in 4 little-endian bytes', () => {
    expect(prevlenHex(1, 250)).toBe('FA')
    expect(prevlenHex(1, 0)).toBe('00')
    expect(prevlenHex(5, 303)).toBe('FE 2F 01 00 00')
  })
})

describe('dataWidth(len) and elementLabel(value)', () => {
  it('scales data by a quarter pixel a byte between 24 and 90 px', () => {
    expect([dataWidth(5), dataWidth(247), dataWidth(300), dataWidth(1000)]).toEqual([
      24, 62, 75, 90,
    ])
  })
  it('shortens a run of one character and long text', () => {
    expect(elementLabel('a'.repeat(247))).toBe('a×247')
    expect(elementLabel('short')).toBe('short')
    expect(elementLabel('abcdefghij')).toBe('abcdefg…')
  })
})

describe('ziplistLessonFrame(result, step)', () => {
  it('draws the starting chain with no steps: header 10 bytes, 1280 bytes in all, every prevlen 1 byte', () => {
    const f = ziplistLessonFrame(chain, 0)
    expect(f.steps).toBe(0)
    expect(sizes(f.ziplist.cells)).toEqual([250, 251, 252, 253, 250, 7, 6])
    expect(f.ziplist.cells.map((c) => c.offset)).toEqual([10, 260, 511, 763, 1016, 1266, 1273])
    expect(f.ziplist.cells.map((c) => c.fields[0]?.bytes)).toEqual([1, 1, 1, 1, 1, 1, 1])
    expect(f.ziplist.totalBytes).toBe(1280)
    expect(f.ziplist.tail).toBe(1273)
    expect(f.listpack.totalBytes).toBe(1281)
    expect(f.listpack.tail).toBeNull()
    expect(f.caption).toEqual({ key: 'zl.caption.chain', params: { count: 7, bytes: 1280 } })
    // prevlen 1 byte = 9 px, encoding 2 bytes = 18 px, 247 data bytes = 62 px.
    expect(f.ziplist.cells[0]?.fields.map((x) => x.w)).toEqual([9, 18, 62])
    expect(f.ziplist.cells[0]?.w).toBe(89)
  })

  const insert = run(chain, { kind: 'insert', index: 0, length: 300 })

  it('has one step for the insert, one per grown prevlen and one for the summary', () => {
    expect(ziplistLessonFrame(insert, 0).steps).toBe(8)
    expect(ziplistLessonFrame(insert, 99).step).toBe(8)
    expect(ziplistLessonFrame(insert, -1).step).toBe(0)
  })

  it('step 0: the ziplist before the insert, and what comes next', () => {
    const f = ziplistLessonFrame(insert, 0)
    expect(sizes(f.ziplist.cells)).toEqual([250, 251, 252, 253, 250, 7, 6])
    expect(f.caption).toEqual({
      key: 'zl.caption.beforeInsert',
      params: { count: 7, bytes: 1280, size: 303, index: 0 },
    })
  })

  it('step 1: the new 303-byte entry in place, the entry after it stale, the rest as before', () => {
    const f = ziplistLessonFrame(insert, 1)
    expect(f.ziplist.cells.map((c) => c.id)).toEqual([
      'new',
      'b0',
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
    ])
    expect(sizes(f.ziplist.cells)).toEqual([303, 250, 251, 252, 253, 250, 7, 6])
    expect(states(f.ziplist.cells)).toEqual([
      'new',
      'stale',
      'plain',
      'plain',
      'plain',
      'plain',
      'plain',
      'plain',
    ])
    expect(f.ziplist.cells.map((c) => c.offset)).toEqual([
      10, 313, 563, 814, 1066, 1319, 1569, 1576,
    ])
    expect(f.ziplist.totalBytes).toBe(1583)
    expect(f.caption).toEqual({
      key: 'zl.caption.inserted',
      params: { index: 0, size: 303, next: 1 },
    })
    expect(f.rewritten).toBe(0)
    // The listpack is done at once: the new entry, nothing else changed.
    expect(states(f.listpack.cells)).toEqual([
      'new',
      'plain',
      'plain',
      'plain',
      'plain',
      'plain',
      'plain',
      'plain',
    ])
    expect(f.listpack.totalBytes).toBe(1281 + 304)
    expect(f.listpackCaption).toEqual({
      key: 'zl.caption.lpInserted',
      params: { index: 0, size: 304, bytes: 1585 },
    })
  })

  it('step 2: entry 1 grows to 254 bytes with a 5-byte prevlen; entry 2 is stale', () => {
    const f = ziplistLessonFrame(insert, 2)
    expect(sizes(f.ziplist.cells)).toEqual([303, 254, 251, 252, 253, 250, 7, 6])
    expect(states(f.ziplist.cells).slice(0, 4)).toEqual(['new', 'growing', 'stale', 'plain'])
    expect(f.ziplist.cells[1]?.fields[0]).toEqual({
      kind: 'prevlen',
      bytes: 5,
      w: 45,
      text: 'FE 2F 01 00 00',
    })
    expect(f.ziplist.totalBytes).toBe(1587)
    expect(f.caption).toEqual({
      key: 'zl.caption.grew',
      params: { index: 1, size: 254, old: 250, prevlen: 303, next: 2 },
    })
    expect(f.rewritten).toBe(1)
  })

  it('step 7: the first short entry grows to 11 bytes, below 254: the cascade stops before the last', () => {
    const f = ziplistLessonFrame(insert, 7)
    expect(sizes(f.ziplist.cells)).toEqual([303, 254, 255, 256, 257, 254, 11, 6])
    expect(states(f.ziplist.cells)).toEqual([
      'new',
      'grown',
      'grown',
      'grown',
      'grown',
      'grown',
      'growing',
      'plain',
    ])
    expect(f.caption).toEqual({
      key: 'zl.caption.grewSmall',
      params: { index: 6, size: 11, old: 7, prevlen: 254, next: 7 },
    })
  })

  it('last step: the summary with both structures’ byte counts and the rewritten entries', () => {
    const f = ziplistLessonFrame(insert, 8)
    expect(f.ziplist.totalBytes).toBe(1607)
    expect(f.ziplist.totalBytes).toBe(insert.after.ziplist.zlbytes)
    expect(f.ziplist.tail).toBe(insert.after.ziplist.zltail)
    expect(f.caption).toEqual({
      key: 'zl.caption.done',
      params: { rewritten: 6, zlBefore: 1280, zlAfter: 1607, lpBefore: 1281, lpAfter: 1585 },
    })
    expect(f.totals).toEqual({ ziplist: [1280, 1607], listpack: [1281, 1585], rewritten: 6 })
  })

  it('a delete marks the entry at step 0, then shows the entry after it stale', () => {
    const big = run(chain, { kind: 'insert', index: 0, length: 300 })
    const small = run(big, { kind: 'insert', index: 1, length: 3 })
    const del = run(small, { kind: 'delete', index: 1 })
    expect(states(ziplistLessonFrame(del, 0).ziplist.cells).slice(0, 3)).toEqual([
      'plain',
      'removing',
      'plain',
    ])
    const f = ziplistLessonFrame(del, 1)
    expect(f.ziplist.cells.map((c) => c.id).slice(0, 3)).toEqual(['b0', 'b2', 'b3'])
    expect(states(f.ziplist.cells).slice(0, 3)).toEqual(['plain', 'stale', 'plain'])
    expect(f.caption).toEqual({
      key: 'zl.caption.deleted',
      params: { index: 1, next: 1, prev: 303 },
    })
    expect(ziplistLessonFrame(del, 2).caption.key).toBe('zl.caption.grewFits')
  })

  it('an insert that changes no prevlen size has two steps and says so', () => {
    const r = run(chain, { kind: 'insert', index: 7, length: 10 })
    const f = ziplistLessonFrame(r, 1)
    expect(f.steps).toBe(2)
    expect(f.caption.key).toBe('zl.caption.insertedLast')
    expect(
      ziplistLessonFrame(run(chain, { kind: 'insert', index: 2, length: 10 }), 1).caption.key,
    ).toBe('zl.caption.insertedFits')
  })
})

const op = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    index: fc.nat({ max: 12 }),
    length: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 240, max: 320 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat({ max: 12 }) }),
)

test.prop([fc.array(op, { minLength: 1, maxLength: 12 })], { numRuns: 60 })(
  'the last step draws the engine’s ziplist, and each cascade step grows one more prevlen',
  (ops) => {
    let r = chain
    for (const o of ops) {
      const n = r.after.ziplist.zllen
      if (o.kind === 'insert' && n >= 12) continue
      if (o.kind === 'delete' && n === 0) continue
      r = run(r, { ...o, index: o.index % (o.kind === 'insert' ? n + 1 : n) })
      const steps = ziplistLessonFrame(r, 0).steps
      const last = ziplistLessonFrame(r, steps)
      expect(
        last.ziplist.cells.map((c) => [c.offset, c.size, c.prevlen, c.fields[0]?.bytes]),
      ).toEqual(r.after.ziplist.entries.map((e) => [e.offset, e.size, e.prevlen, e.prevlenSize]))
      expect([last.ziplist.totalBytes, last.ziplist.tail]).toEqual([
        r.after.ziplist.zlbytes,
        r.after.ziplist.zltail,
      ])
      expect(last.listpack.cells.map((c) => [c.offset, c.size])).toEqual(
        r.after.listpack.entries.map((e) => [e.offset, e.size]),
      )
      expect(last.listpack.totalBytes).toBe(r.after.listpack.totalBytes)
      const fives = (k: number) =>
        ziplistLessonFrame(r, k).ziplist.cells.filter((c) => c.fields[0]?.bytes === 5).length
      for (let k = 2; k < steps; k++) expect(fives(k)).toBe(fives(k - 1) + 1)
    }
  },
)
