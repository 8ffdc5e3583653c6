/**
 * The stream type against a sorted-array model: random XADD (explicit and `ms-*` IDs, field
 * sets that match the master entry or not), XDEL, XTRIM (exact and approximate, MAXLEN and
 * MINID) with tiny node limits so listpacks split and empty often. After every step the
 * reply matches the model, streamValidate is empty (rax invariants, master entry counters,
 * entry order, length) and a full XRANGE / XREVRANGE equals the model.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { streamValidate, type StreamObject } from '../../src/engine/types/t_stream.ts'
import { createTypeHarness, flat } from '../engine/types/typeHarness.ts'

interface Entry {
  id: [bigint, bigint]
  fields: string[]
}

const fieldSet = fc.constantFrom(
  ['a', '1'],
  ['a', '2', 'b', 'x'],
  ['b', '7'],
  ['a', 'long value here'],
)
const op = fc.oneof(
  fc.record({
    cmd: fc.constant('XADD' as const),
    msStep: fc.constantFrom(0n, 1n, 2n, 255n, 256n, 65536n),
    seqStar: fc.boolean(),
    seq: fc.bigInt({ min: 0n, max: 300n }),
    fields: fieldSet,
  }),
  fc.record({
    cmd: fc.constant('XDEL' as const),
    picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    cmd: fc.constant('XTRIM' as const),
    strategy: fc.constantFrom('MAXLEN', 'MINID'),
    approx: fc.boolean(),
    n: fc.nat(30),
  }),
)

const cmp = (a: [bigint, bigint], b: [bigint, bigint]): number =>
  a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : 0
const idStr = (id: [bigint, bigint]): string => `${id[0].toString()}-${id[1].toString()}`

test.prop([
  fc.array(op, { maxLength: 70 }),
  fc.integer({ min: 1, max: 6 }),
  fc.constantFrom(0, 60, 120),
])(
  'stream commands match a sorted model and the rax of listpacks validates',
  (ops, maxEntries, maxBytes) => {
    const t = createTypeHarness(5, 'summary')
    t.exec('CONFIG', 'SET', 'stream-node-max-entries', String(maxEntries))
    t.exec('CONFIG', 'SET', 'stream-node-max-bytes', String(maxBytes))
    let model: Entry[] = []
    let last: [bigint, bigint] = [0n, 0n]
    for (const o of ops) {
      if (o.cmd === 'XADD') {
        const ms = last[0] + o.msStep
        const id: [bigint, bigint] = o.seqStar
          ? [ms, ms === last[0] ? last[1] + 1n : 0n]
          : [ms, o.seq]
        const arg = o.seqStar ? `${ms.toString()}-*` : idStr(id)
        const r = flat(t.exec('XADD', 's', arg, ...o.fields))
        if (cmp(id, last) <= 0) {
          expect(typeof r === 'string' && r.startsWith('ERR')).toBe(true)
          if (model.length === 0 && t.obj('s') === undefined) continue
        } else {
          expect(r).toBe(idStr(id))
          model.push({ id, fields: [...o.fields] })
          last = id
        }
      } else if (o.cmd === 'XDEL') {
        if (t.obj('s') === undefined) continue
        const targets = o.picks.map(
          (p): [bigint, bigint] => model[p % Math.max(1, model.length)]?.id ?? [1n, 99999n],
        )
        const ids = [...new Set(targets.map(idStr))]
        const r = flat(t.exec('XDEL', 's', ...ids))
        const before = model.length
        model = model.filter((e) => !ids.includes(idStr(e.id)))
        expect(r).toBe(before - model.length)
      } else {
        if (t.obj('s') === undefined) continue
        const minid = model[o.n % Math.max(1, model.length)]?.id ?? ([0n, 0n] as [bigint, bigint])
        const threshold = o.strategy === 'MAXLEN' ? String(o.n) : idStr(minid)
        const r = flat(t.exec('XTRIM', 's', o.strategy, o.approx ? '~' : '=', threshold)) as number
        // Trimming removes from the head only: the survivors are a suffix of the model.
        model = model.slice(r)
        if (!o.approx) {
          if (o.strategy === 'MAXLEN') expect(model.length).toBeLessThanOrEqual(o.n)
          else expect(model.every((e) => cmp(e.id, minid) >= 0)).toBe(true)
        }
      }
      const obj = t.obj('s') as StreamObject | undefined
      if (obj === undefined) continue
      expect(streamValidate(obj.ptr)).toEqual([])
      expect(flat(t.exec('XLEN', 's'))).toBe(model.length)
      const all = flat(t.exec('XRANGE', 's', '-', '+'))
      expect(all).toEqual(model.map((e) => [idStr(e.id), e.fields]))
      expect(flat(t.exec('XREVRANGE', 's', '+', '-'))).toEqual(
        model.map((e) => [idStr(e.id), e.fields]).reverse(),
      )
    }
  },
)
