/**
 * Set commands: exact replies (the same lines run against redis-server 7.0.15 in
 * test/conformance/scripts/set.redis), encodings across every threshold, conversion events,
 * and the deterministic parts of SPOP/SRANDMEMBER.
 */
import { describe, expect, it } from 'vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness, flat } from '../types/typeHarness.ts'
import { setTypeValidate, type SetObject } from '../../../src/engine/types/t_set.ts'

describe('set commands: replies', () => {
  it('answers SADD/SREM/SISMEMBER/SMISMEMBER/SCARD/SMEMBERS', () => {
    const t = createTypeHarness()
    expect(t.exec('SADD', 's', '3', '1', '2')).toEqual(r.int(3))
    expect(t.exec('SMEMBERS', 's')).toEqual(r.bulks('1', '2', '3'))
    expect(t.exec('SADD', 's', '2', '5')).toEqual(r.int(1))
    expect(t.exec('SREM', 's', '1', 'nope', 'abc')).toEqual(r.int(1))
    expect(t.exec('SISMEMBER', 's', '3')).toEqual(r.int(1))
    expect(t.exec('SISMEMBER', 's', 'abc')).toEqual(r.int(0))
    expect(t.exec('SMISMEMBER', 's', '3', '4', '5')).toEqual(r.arr([r.int(1), r.int(0), r.int(1)]))
    expect(t.exec('SMISMEMBER', 'nokey', 'a')).toEqual(r.arr([r.int(0)]))
    expect(t.exec('SCARD', 's')).toEqual(r.int(3))
    expect(t.exec('SMEMBERS', 'nokey')).toEqual(r.arr([]))
    expect(t.exec('SREM', 's', '2', '3', '5')).toEqual(r.int(3))
    expect(t.exec('EXISTS', 's')).toEqual(r.int(0))
  })

  it('answers the set algebra and its STORE forms', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's1', '1', '2', '3', '4', '5')
    t.exec('SADD', 's2', '3', '4', '5', '6')
    t.exec('SADD', 's4', '4', '5')
    expect(t.exec('SINTER', 's1', 's2', 's4')).toEqual(r.bulks('4', '5'))
    expect(t.exec('SINTER', 's1', 'nokey')).toEqual(r.arr([]))
    expect(t.exec('SINTERCARD', '2', 's1', 's2', 'LIMIT', '1')).toEqual(r.int(1))
    expect(t.exec('SINTERCARD', '0', 's1')).toEqual(r.err('ERR numkeys should be greater than 0'))
    expect(t.exec('SINTERCARD', '3', 's1', 's2')).toEqual(
      r.err("ERR Number of keys can't be greater than number of args"),
    )
    expect(t.exec('SINTERCARD', '2', 's1', 's2', 'LIMIT', '-1')).toEqual(
      r.err("ERR LIMIT can't be negative"),
    )
    expect(t.exec('SUNION', 's1', 's2')).toEqual(r.bulks('1', '2', '3', '4', '5', '6'))
    expect(t.exec('SDIFF', 's1', 's2', 's4')).toEqual(r.bulks('1', '2'))
    expect(t.exec('SDIFF', 's1', 's1')).toEqual(r.arr([]))
    expect(t.exec('SINTERSTORE', 'd', 's1', 's2')).toEqual(r.int(3))
    expect(t.enc('d')).toBe('intset')
    expect(t.exec('SDIFFSTORE', 'd', 's4', 's1')).toEqual(r.int(0))
    expect(t.exec('EXISTS', 'd')).toEqual(r.int(0))
  })

  it('answers SMOVE in all its cases', () => {
    const t = createTypeHarness()
    t.exec('SADD', 'a', '1', '2')
    t.exec('SADD', 'b', 'x')
    expect(t.exec('SMOVE', 'a', 'b', '1')).toEqual(r.int(1))
    expect(t.exec('SMOVE', 'a', 'b', 'nope')).toEqual(r.int(0))
    expect(t.exec('SMOVE', 'a', 'a', '2')).toEqual(r.int(1))
    expect(t.exec('SMOVE', 'nokey', 'b', '1')).toEqual(r.int(0))
    expect(t.exec('SMOVE', 'a', 'fresh', '2')).toEqual(r.int(1))
    expect(t.exec('EXISTS', 'a')).toEqual(r.int(0))
    expect(t.enc('fresh')).toBe('intset')
  })

  it('answers SPOP/SRANDMEMBER argument errors and whole-set cases', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '1', '2', '3')
    expect(t.exec('SPOP', 's', '-1')).toEqual(r.err('ERR value is out of range, must be positive'))
    expect(t.exec('SPOP', 's', '1', '2')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('SRANDMEMBER', 's', '10')).toEqual(r.bulks('1', '2', '3'))
    expect(t.exec('SRANDMEMBER', 's', '0')).toEqual(r.arr([]))
    expect(flat(t.exec('SRANDMEMBER', 's', '-7'))).toHaveLength(7)
    const two = flat(t.exec('SRANDMEMBER', 's', '2')) as string[]
    expect(new Set(two).size).toBe(2)
    expect(t.exec('SPOP', 's', '5')).toEqual(r.bulks('1', '2', '3'))
    expect(t.exec('EXISTS', 's')).toEqual(r.int(0))
  })

  it('pops distinct members and keeps the set valid (both SPOP strategies)', () => {
    for (const [n, pop] of [
      [20, 3],
      [20, 18],
    ] as const) {
      const t = createTypeHarness(n + pop)
      const members = Array.from({ length: n }, (_, i) => `m${String(i)}`)
      t.exec('SADD', 's', ...members)
      const popped = flat(t.exec('SPOP', 's', String(pop))) as string[]
      expect(new Set(popped).size).toBe(pop)
      const left = flat(t.exec('SMEMBERS', 's')) as string[]
      expect([...popped, ...left].sort()).toEqual([...members].sort())
      expect(setTypeValidate(t.obj('s') as SetObject)).toEqual([])
    }
  })
})

describe('set encodings', () => {
  it('upgrades the intset for the first int32 and int64 members', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '1', '2')
    expect((t.obj('s') as SetObject & { encoding: 'intset' }).ptr.encoding).toBe(2)
    t.exec('SADD', 's', '70000')
    expect((t.obj('s') as SetObject & { encoding: 'intset' }).ptr.encoding).toBe(4)
    t.exec('SADD', 's', '-5000000000')
    expect((t.obj('s') as SetObject & { encoding: 'intset' }).ptr.encoding).toBe(8)
    expect(t.exec('SMEMBERS', 's')).toEqual(r.bulks('-5000000000', '1', '2', '70000'))
    expect(t.enc('s')).toBe('intset')
  })

  it('converts on the first non-integer member and never back', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '1')
    t.exec('SADD', 's', '007')
    expect(t.enc('s')).toBe('hashtable')
    expect(t.events.find((e) => e.type === 'object/encodingConverted')).toMatchObject({
      from: 'intset',
      to: 'hashtable',
      reason: 'notInteger',
      params: { member: '007' },
    })
    t.exec('SREM', 's', '007')
    expect(t.enc('s')).toBe('hashtable')
    t.exec('SADD', 'h', 'abc')
    expect(t.enc('h')).toBe('hashtable')
  })

  it('stays intset at 512 members, converts at the 513th, honours CONFIG SET', () => {
    const t = createTypeHarness()
    t.exec('SADD', 'n', ...Array.from({ length: 512 }, (_, i) => String(i)))
    expect(t.enc('n')).toBe('intset')
    t.exec('SADD', 'n', '512')
    expect(t.enc('n')).toBe('hashtable')
    expect(setTypeValidate(t.obj('n') as SetObject)).toEqual([])
    t.exec('CONFIG', 'SET', 'set-max-intset-entries', '3')
    t.exec('SADD', 'c', '1', '2', '3')
    expect(t.enc('c')).toBe('intset')
    t.exec('SADD', 'c', '4')
    expect(t.enc('c')).toBe('hashtable')
  })

  it('builds *STORE destinations from scratch, so they can be intsets again', () => {
    const t = createTypeHarness()
    t.exec('SADD', 'hs', '1', '2', 'x')
    t.exec('SREM', 'hs', 'x')
    expect(t.enc('hs')).toBe('hashtable')
    t.exec('SUNIONSTORE', 'd', 'hs')
    expect(t.enc('d')).toBe('intset')
  })

  it('reports MEMORY USAGE of an intset as Redis does', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '1', '2', '3')
    // 16 (robj) + 16 (8 + 3×2 bytes → 16 class) + 8 (key sds) + 24 (dictEntry)
    expect(t.exec('MEMORY', 'USAGE', 's')).toEqual(r.int(64))
  })
})
