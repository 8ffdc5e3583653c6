import { describe, expect, it } from 'vitest'
import { createTypeHarness } from './typeHarness.ts'
import { digestServer } from '../../../src/engine/digest.ts'
import { setTypeMembers, setTypeValidate, type SetObject } from '../../../src/engine/types/t_set.ts'

describe('t_set', () => {
  it('passes intset events through with the key, including the upgrade', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '1', '2')
    t.exec('SADD', 's', '-70000')
    const up = t.events.find((e) => e.type === 'intset/upgraded')
    expect(up).toMatchObject({ key: 's' })
    expect(setTypeMembers(t.obj('s') as SetObject)).toEqual(['-70000', '1', '2'])
  })

  it('converts with the integers first, then adds the string member', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '3', '1')
    t.exec('SADD', 's', 'x')
    const keys = t.events
      .filter((e) => e.type === 'dict/keyAdded')
      .map((e) => (e as { key: string }).key)
    expect(keys).toEqual(['1', '3', 'x'])
    expect(setTypeValidate(t.obj('s') as SetObject)).toEqual([])
  })

  it('rebuilds what SPOP leaves behind when it pops most members (may return to intset)', () => {
    const t = createTypeHarness(3)
    t.exec('SADD', 's', 'x', ...Array.from({ length: 30 }, (_, i) => String(i)))
    expect(t.enc('s')).toBe('hashtable')
    // Pop all but a few: remaining × 5 <= count → the survivors move to a new set.
    t.exec('SPOP', 's', '29')
    const left = setTypeMembers(t.obj('s') as SetObject)
    expect(left).toHaveLength(2)
    expect(t.enc('s')).toBe(left.every((m) => /^-?\d+$/.test(m)) ? 'intset' : 'hashtable')
  })

  it('gives the same layout digest for the same seed and commands, another for a change', () => {
    const run = (extra: boolean): string => {
      const t = createTypeHarness(21, 'off')
      t.exec('SADD', 's', 'a', 'b', '1')
      t.exec('SPOP', 's')
      t.exec('ZADD', 'z', '1', 'a', '2', 'b')
      t.exec('HSET', 'h', 'f', 'v')
      t.exec('RPUSH', 'l', 'x')
      if (extra) t.exec('RPUSH', 'l', 'y')
      return digestServer(t.srv)
    }
    expect(run(false)).toBe(run(false))
    expect(run(true)).not.toBe(run(false))
  })
})
