import { describe, expect, it } from 'vitest'
import { runZiplistLesson, type ZiplistLessonResult } from '../../src/engine/ziplistLesson.ts'

function next(prev: ZiplistLessonResult, op: Parameters<typeof runZiplistLesson>[0]['op']) {
  return runZiplistLesson({
    op,
    ziplist: prev.after.ziplist.bytes,
    listpack: prev.after.listpack.bytes,
  })
}

describe('runZiplistLesson', () => {
  const start = runZiplistLesson({ op: { kind: 'chain' }, ziplist: null, listpack: null })

  it('starts from five entries of 250–253 bytes and two short ones, every prevlen 1 byte', () => {
    const zl = start.after.ziplist
    expect(zl.entries.map((e) => e.size)).toEqual([250, 251, 252, 253, 250, 7, 6])
    expect(zl.entries.map((e) => e.prevlenSize)).toEqual([1, 1, 1, 1, 1, 1, 1])
    expect(zl.entries.map((e) => e.prevlen)).toEqual([0, 250, 251, 252, 253, 250, 7])
    expect(zl.zlbytes).toBe(10 + 250 + 251 + 252 + 253 + 250 + 7 + 6 + 1)
    expect(zl.zllen).toBe(7)
    expect(zl.zltail).toBe(zl.entries[6]?.offset)
    expect(start.after.listpack.entries.map((e) => e.size)).toEqual([251, 252, 253, 254, 251, 7, 6])
    expect(start.cascade).toEqual([])
  })

  it('a 300-byte entry at the head grows the prevlen of the five long entries and the first short one', () => {
    const r = next(start, { kind: 'insert', index: 0, length: 300 })
    const zl = r.after.ziplist
    expect(zl.entries[0]?.value).toBe('A'.repeat(300))
    expect(zl.entries.map((e) => e.prevlenSize)).toEqual([1, 5, 5, 5, 5, 5, 5, 1])
    expect(r.cascade.map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 6])
    expect(zl.zlbytes).toBe(start.after.ziplist.zlbytes + 303 + 6 * 4)
    // The listpack grew by the new entry alone: 2 + 300 + 2 (backlen) bytes.
    expect(r.after.listpack.totalBytes).toBe(start.after.listpack.totalBytes + 304)
    expect(r.after.listpack.entries.slice(1).map((e) => e.size)).toEqual(
      start.after.listpack.entries.map((e) => e.size),
    )
    expect(r.events.map((e) => e.type)).toEqual([
      'ziplist/cascadeUpdated',
      'listpack/entryInserted',
    ])
  })

  it('deleting a short entry between a big one and the chain cascades too', () => {
    const big = next(start, { kind: 'insert', index: 0, length: 300 })
    const small = next(big, { kind: 'insert', index: 1, length: 3 })
    // The first long entry now follows a small one; its prevlen shrinks back to 1 byte.
    expect(small.after.ziplist.entries.map((e) => e.prevlenSize)).toEqual([
      1, 5, 1, 5, 5, 5, 5, 5, 1,
    ])
    const del = next(small, { kind: 'delete', index: 1 })
    expect(del.cascade.map((c) => c.index)).toEqual([1])
    expect(del.after.ziplist.entries.map((e) => e.prevlenSize)).toEqual([1, 5, 5, 5, 5, 5, 5, 1])
  })

  it('rejects an index out of range and bytes that are not a ziplist', () => {
    expect(() => next(start, { kind: 'delete', index: 7 })).toThrow(/outside 0..6/)
    expect(() => next(start, { kind: 'insert', index: 0, length: 0 })).toThrow(/length/)
    expect(() =>
      runZiplistLesson({
        op: { kind: 'delete', index: 0 },
        ziplist: new Uint8Array([1, 2, 3]),
        listpack: start.after.listpack.bytes,
      }),
    ).toThrow(/invalid/)
  })
})
