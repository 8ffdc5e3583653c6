import { describe, expect, it } from 'vitest'
import { createTypeHarness } from './typeHarness.ts'
import { lpWalk } from '../../../src/engine/structures/listpack.ts'
import { zsetEntries, zsetValidate, type ZsetObject } from '../../../src/engine/types/t_zset.ts'

describe('t_zset', () => {
  it('stores integral scores within ±2^62 as integers, others as d2string text', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'z', '5', 'a', '1.5', 'b', '4611686018427387904', 'c', '1e20', 'd', 'inf', 'e')
    const o = t.obj('z') as ZsetObject
    if (o.encoding !== 'listpack') throw new Error('expected listpack')
    const scores = lpWalk(o.ptr).filter((_, i) => i % 2 === 1)
    expect(scores.map((e) => [e.value, e.encoding])).toEqual([
      ['1.5', '6bit-str'],
      ['5', '7bit-uint'],
      ['4611686018427387904', '64bit-int'],
      ['1e+20', '6bit-str'],
      ['inf', '6bit-str'],
    ])
  })

  it('converts to a skiplist with one zsl/levelDrawn per member, in listpack order', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', '3')
    t.exec('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b')
    t.exec('ZADD', 'z', '0', 'first')
    const drawn = t.events
      .filter((e) => e.type === 'zsl/levelDrawn')
      .map((e) => (e as { member: string }).member)
    expect(drawn).toEqual(['a', 'b', 'c', 'first'])
    const o = t.obj('z') as ZsetObject
    expect(zsetValidate(o)).toEqual([])
    expect(zsetEntries(o)).toEqual([
      ['first', 0],
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ])
  })

  it('updates a score in place in the skiplist when the order is kept', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', '0')
    t.exec('ZADD', 'z', '1', 'a', '5', 'b', '9', 'c')
    t.exec('ZADD', 'z', '6', 'b')
    expect(t.events.some((e) => e.type === 'zsl/scoreUpdated')).toBe(true)
    expect(t.exec('ZSCORE', 'z', 'b')).toEqual({ type: 'bulk', value: '6' })
    expect(zsetValidate(t.obj('z') as ZsetObject)).toEqual([])
  })
})
