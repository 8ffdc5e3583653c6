import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import {
  raxEntries,
  raxFind,
  raxInsert,
  raxNew,
  raxNext,
  raxPrev,
  raxRemove,
  raxSeek,
  raxStart,
  raxTryInsert,
  raxValidate,
  type RaxSeekOp,
} from '../../src/engine/structures/rax.ts'

// Short keys over a tiny alphabet share prefixes and end inside each other's runs, which is
// what exercises node splitting (both algorithms) and re-compression.
const key = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('\x00', '\x01', '\xff'), minLength: 3, maxLength: 5 }),
)
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('try' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('remove' as const), key }),
)
const seekOp = fc.constantFrom<RaxSeekOp>('>=', '>', '<=', '<', '^', '$', '==')

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The key raxSeek should land on, from the sorted model. */
function modelSeek(keys: string[], op: RaxSeekOp, k: string): number {
  switch (op) {
    case '^':
      return keys.length ? 0 : -1
    case '$':
      return keys.length - 1
    case '>=':
      return keys.findIndex((x) => x >= k)
    case '>':
      return keys.findIndex((x) => x > k)
    case '==':
      return keys.indexOf(k)
    case '<=':
      return keys.findLastIndex((x) => x <= k)
    case '<':
      return keys.findLastIndex((x) => x < k)
  }
}

test.prop([fc.array(op, { maxLength: 80 }), fc.array(fc.tuple(seekOp, key), { maxLength: 8 })])(
  'rax matches a sorted map, keeps its node invariants, and seeks/iterates in byte order',
  (ops, seeks) => {
    const rax = raxNew<number>()
    const model = new Map<string, number>()
    for (const o of ops) {
      if (o.kind === 'remove') {
        const had = model.get(o.key)
        const r = raxRemove(rax, o.key)
        expect(r.removed).toBe(had !== undefined)
        if (had !== undefined) expect(r.old).toBe(had)
        model.delete(o.key)
      } else {
        const had = model.has(o.key)
        const added =
          o.kind === 'insert' ? raxInsert(rax, o.key, o.value) : raxTryInsert(rax, o.key, o.value)
        expect(added).toBe(!had)
        if (o.kind === 'insert' || !had) model.set(o.key, o.value)
      }
      expect(raxValidate(rax)).toEqual([])
    }
    const keys = [...model.keys()].sort(byteCompare)
    expect(raxEntries(rax)).toEqual(keys.map((k) => [k, model.get(k)]))
    for (const k of keys) expect(raxFind(rax, k)).toBe(model.get(k))
    for (const [, k] of ops.map((o) => [o, o.key] as const))
      if (!model.has(k)) expect(raxFind(rax, k)).toBeUndefined()
    for (const [sop, k] of seeks) {
      const it = raxStart(rax)
      const at = modelSeek(keys, sop, k)
      expect(raxSeek(it, sop, k)).toBe(at >= 0)
      if (at < 0) {
        expect(raxNext(it)).toBe(false)
        continue
      }
      expect(it.key).toBe(keys[at])
      // Forward from the seek point, then back again.
      const forward: string[] = []
      while (raxNext(it)) forward.push(it.key)
      expect(forward).toEqual(keys.slice(at))
      const back = raxStart(rax)
      raxSeek(back, sop, k)
      const backward: string[] = []
      while (raxPrev(back)) backward.push(back.key)
      expect(backward).toEqual(keys.slice(0, at + 1).reverse())
    }
  },
)

test.prop([fc.uniqueArray(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 60 })])(
  'removing every key of a 16-byte-key tree (stream master IDs) leaves the bare head',
  (ids) => {
    const enc = (v: bigint): string => {
      let s = ''
      for (let b = 120n; b >= 0n; b -= 8n) s += String.fromCharCode(Number((v >> b) & 0xffn))
      return s
    }
    const rax = raxNew<number>()
    ids.forEach((id, n) => raxInsert(rax, enc(id << 64n), n))
    expect(raxValidate(rax)).toEqual([])
    for (const id of ids) expect(raxRemove(rax, enc(id << 64n)).removed).toBe(true)
    expect(raxValidate(rax)).toEqual([])
    expect(rax.numnodes).toBe(1)
    expect(rax.numele).toBe(0)
  },
)
