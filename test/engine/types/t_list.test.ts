import { describe, expect, it } from 'vitest'
import { createTypeHarness } from './typeHarness.ts'
import {
  listTypeRange,
  listTypeValidate,
  type ListObject,
} from '../../../src/engine/types/t_list.ts'

describe('t_list', () => {
  it('normalises ranges as addListRangeReply does, forward and reversed', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e')
    const o = t.obj('l') as ListObject
    expect(listTypeRange(o, 1, 3, false)).toEqual(['b', 'c', 'd'])
    expect(listTypeRange(o, 1, 3, true)).toEqual(['d', 'c', 'b'])
    expect(listTypeRange(o, -2, 100, false)).toEqual(['d', 'e'])
    expect(listTypeRange(o, 3, 1, false)).toEqual([])
  })

  it('creates nodes per list-max-listpack-size (fill counted in elements)', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'list-max-listpack-size', '2')
    t.exec('RPUSH', 'l', '1', '2', '3', '4', '5')
    const o = t.obj('l') as ListObject
    expect(o.ptr.len).toBe(3)
    expect(t.events.filter((e) => e.type === 'quicklist/nodeCreated')).toHaveLength(3)
    expect(listTypeValidate(o)).toEqual([])
  })
})
