/**
 * Model-based property test: string commands against a deliberately simple model (a Map
 * of key → { value, expireAt, encoding }) over random command sequences with a manual
 * clock and cron ticks (so both lazy and active expiry happen).
 */
import { expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { createTestEngine, r } from '../harness/TestEngine.ts'
import type { Reply } from '../../src/engine/index.ts'

interface Entry {
  value: string
  expireAt: number | null
  encoding: 'int' | 'embstr' | 'raw'
}

const KEYS = ['a', 'b', 'c']
const LLONG_MAX = 2n ** 63n - 1n
const LLONG_MIN = -(2n ** 63n)

/** The strict integer rule, written independently of the engine (util.c string2ll). */
function asInt(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null
  const v = BigInt(s)
  return v > LLONG_MAX || v < LLONG_MIN ? null : v
}

/** tryObjectEncoding's choice for a stored value. */
function encodingFor(s: string): Entry['encoding'] {
  if (s.length <= 20 && asInt(s) !== null) return 'int'
  return s.length <= 44 ? 'embstr' : 'raw'
}

type Op =
  | { op: 'set'; key: string; value: string }
  | { op: 'append'; key: string; value: string }
  | { op: 'incrby'; key: string; by: bigint }
  | { op: 'setrange'; key: string; offset: number; value: string }
  | { op: 'getrange'; key: string; start: number; end: number }
  | { op: 'del'; key: string }
  | { op: 'expire'; key: string; ms: number }
  | { op: 'advance'; ms: number }

const keyArb = fc.constantFrom(...KEYS)
const valueArb = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 8 }),
  fc.integer({ min: -20000, max: 20000 }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '007', '1.5', 'x'.repeat(40)),
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant('append' as const), key: keyArb, value: valueArb }),
  fc.record({
    op: fc.constant('incrby' as const),
    key: keyArb,
    by: fc.oneof(fc.bigInt({ min: -12000n, max: 12000n }), fc.constantFrom(LLONG_MAX, LLONG_MIN)),
  }),
  fc.record({
    op: fc.constant('setrange' as const),
    key: keyArb,
    offset: fc.integer({ min: 0, max: 60 }),
    value: fc.string({ unit: 'binary-ascii', maxLength: 6 }),
  }),
  fc.record({
    op: fc.constant('getrange' as const),
    key: keyArb,
    start: fc.integer({ min: -12, max: 12 }),
    end: fc.integer({ min: -12, max: 12 }),
  }),
  fc.record({ op: fc.constant('del' as const), key: keyArb }),
  fc.record({
    op: fc.constant('expire' as const),
    key: keyArb,
    ms: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 300 }) }),
)

/** GETRANGE's index rules, restated on plain numbers. */
function modelRange(s: string, start: number, end: number): string {
  const len = s.length
  if (start < 0 && end < 0 && start > end) return ''
  let a = start < 0 ? len + start : start
  let b = end < 0 ? len + end : end
  a = Math.max(a, 0)
  b = Math.max(b, 0)
  if (b >= len) b = len - 1
  return a > b || len === 0 ? '' : s.slice(a, b + 1)
}

test.prop([fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 1000 })], {
  numRuns: 150,
})('string commands agree with a Map model, expiry included', (ops, seed) => {
  const t = createTestEngine({ seed, trace: 'off' })
  const model = new Map<string, Entry>()
  const live = (key: string): Entry | undefined => {
    const e = model.get(key)
    if (e?.expireAt != null && t.clock.now() > e.expireAt) {
      model.delete(key)
      return undefined
    }
    return e
  }
  for (const o of ops) {
    let expected: Reply
    let got: Reply
    switch (o.op) {
      case 'set':
        model.set(o.key, { value: o.value, expireAt: null, encoding: encodingFor(o.value) })
        expected = r.ok
        got = t.exec('SET', o.key, o.value)
        break
      case 'append': {
        const e = live(o.key)
        if (e === undefined)
          model.set(o.key, { value: o.value, expireAt: null, encoding: encodingFor(o.value) })
        else {
          e.value += o.value
          e.encoding = 'raw'
        }
        expected = r.int(live(o.key)?.value.length ?? 0)
        got = t.exec('APPEND', o.key, o.value)
        break
      }
      case 'incrby': {
        const e = live(o.key)
        const cur = e === undefined ? 0n : asInt(e.value)
        if (cur === null) expected = r.err('ERR value is not an integer or out of range')
        else if (cur + o.by > LLONG_MAX || cur + o.by < LLONG_MIN)
          expected = r.err('ERR increment or decrement would overflow')
        else {
          const v = cur + o.by
          model.set(o.key, { value: v.toString(), expireAt: e?.expireAt ?? null, encoding: 'int' })
          expected = r.int(v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)
        }
        got = t.exec('INCRBY', o.key, o.by.toString())
        break
      }
      case 'setrange': {
        const e = live(o.key)
        if (o.value === '') expected = r.int(e?.value.length ?? 0)
        else {
          const base = (e?.value ?? '').padEnd(o.offset, '\0')
          const value = base.slice(0, o.offset) + o.value + base.slice(o.offset + o.value.length)
          model.set(o.key, { value, expireAt: e?.expireAt ?? null, encoding: 'raw' })
          expected = r.int(value.length)
        }
        got = t.exec('SETRANGE', o.key, String(o.offset), o.value)
        break
      }
      case 'getrange':
        expected = r.bulk(modelRange(live(o.key)?.value ?? '', o.start, o.end))
        got = t.exec('GETRANGE', o.key, String(o.start), String(o.end))
        break
      case 'del': {
        const existed = live(o.key) !== undefined
        model.delete(o.key)
        expected = r.int(existed ? 1 : 0)
        got = t.exec('DEL', o.key)
        break
      }
      case 'expire': {
        const e = live(o.key)
        if (e !== undefined) e.expireAt = t.clock.now() + o.ms
        expected = r.int(e === undefined ? 0 : 1)
        got = t.exec('PEXPIRE', o.key, String(o.ms))
        break
      }
      case 'advance':
        t.tick(o.ms)
        continue
    }
    expect(
      got,
      JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ).toEqual(expected)
    // After every command the whole keyspace agrees: values, encodings and TTLs.
    for (const key of KEYS) {
      const e = live(key)
      expect(t.exec('GET', key)).toEqual(r.bulk(e?.value ?? null))
      expect(t.exec('OBJECT', 'ENCODING', key)).toEqual(r.bulk(e?.encoding ?? null))
      const pttl = e === undefined ? -2 : e.expireAt === null ? -1 : e.expireAt - t.clock.now()
      expect(t.exec('PTTL', key)).toEqual(r.int(pttl))
    }
  }
})
