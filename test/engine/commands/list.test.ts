/**
 * List commands: exact replies (the same lines run against redis-server 7.0.15 in
 * test/conformance/scripts/list.redis), the quicklist encoding, CONFIG-driven node sizes,
 * and the events of node splits.
 */
import { describe, expect, it } from 'vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness } from '../types/typeHarness.ts'
import { listTypeValidate, type ListObject } from '../../../src/engine/types/t_list.ts'

describe('list commands: replies', () => {
  it('answers push, range, index and set as Redis does', () => {
    const t = createTypeHarness()
    expect(t.exec('RPUSH', 'l', 'a', 'b', 'c')).toEqual(r.int(3))
    expect(t.exec('LPUSH', 'l', 'x', 'y')).toEqual(r.int(5))
    expect(t.exec('LRANGE', 'l', '0', '-1')).toEqual(r.bulks('y', 'x', 'a', 'b', 'c'))
    expect(t.exec('LRANGE', 'l', '-100', '1')).toEqual(r.bulks('y', 'x'))
    expect(t.exec('LINDEX', 'l', '-1')).toEqual(r.bulk('c'))
    expect(t.exec('LINDEX', 'l', '9')).toEqual(r.bulk(null))
    expect(t.exec('LSET', 'l', '9', 'v')).toEqual(r.err('ERR index out of range'))
    expect(t.exec('LSET', 'nokey', '0', 'v')).toEqual(r.err('ERR no such key'))
    expect(t.exec('LINSERT', 'l', 'BEFORE', 'a', 'n')).toEqual(r.int(6))
    expect(t.exec('LINSERT', 'l', 'AFTER', 'zz', 'n')).toEqual(r.int(-1))
    expect(t.exec('LINSERT', 'l', 'MIDDLE', 'a', 'n')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('LPUSHX', 'nokey', 'a')).toEqual(r.int(0))
    expect(t.enc('l')).toBe('quicklist')
  })

  it('pops with and without a count', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'l', '1', '2', '3', '4')
    expect(t.exec('LPOP', 'l')).toEqual(r.bulk('1'))
    expect(t.exec('RPOP', 'l', '2')).toEqual(r.bulks('4', '3'))
    expect(t.exec('LPOP', 'l', '0')).toEqual(r.arr([]))
    expect(t.exec('LPOP', 'l', '-1')).toEqual(r.err('ERR value is out of range, must be positive'))
    expect(t.exec('LPOP', 'l', '1', '2')).toEqual(
      r.err("ERR wrong number of arguments for 'lpop' command"),
    )
    expect(t.exec('LPOP', 'nokey', '2')).toEqual(r.arr(null))
    expect(t.exec('LPOP', 'l', '5')).toEqual(r.bulks('2'))
    expect(t.exec('EXISTS', 'l')).toEqual(r.int(0))
  })

  it('answers LREM, LTRIM, LPOS, LMOVE and LMPOP', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'r', 'a', 'b', 'c', 'a', 'b', 'c', 'a')
    expect(t.exec('LREM', 'r', '-2', 'a')).toEqual(r.int(2))
    expect(t.exec('LRANGE', 'r', '0', '-1')).toEqual(r.bulks('a', 'b', 'c', 'b', 'c'))
    expect(t.exec('LPOS', 'r', 'c', 'RANK', '-1')).toEqual(r.int(4))
    expect(t.exec('LPOS', 'r', 'c', 'COUNT', '0')).toEqual(r.arr([r.int(2), r.int(4)]))
    expect(t.exec('LPOS', 'r', 'c', 'RANK', '0')).toEqual(
      r.err(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
      ),
    )
    expect(t.exec('LTRIM', 'r', '1', '-2')).toEqual(r.ok)
    expect(t.exec('LRANGE', 'r', '0', '-1')).toEqual(r.bulks('b', 'c', 'b'))
    expect(t.exec('LMOVE', 'r', 'd', 'LEFT', 'RIGHT')).toEqual(r.bulk('b'))
    expect(t.exec('RPOPLPUSH', 'r', 'd')).toEqual(r.bulk('b'))
    expect(t.exec('LRANGE', 'd', '0', '-1')).toEqual(r.bulks('b', 'b'))
    expect(t.exec('LMPOP', '2', 'nokey', 'd', 'RIGHT', 'COUNT', '5')).toEqual(
      r.arr([r.bulk('d'), r.bulks('b', 'b')]),
    )
    expect(t.exec('LMPOP', '1', 'd', 'LEFT')).toEqual(r.arr(null))
  })
})

describe('list encoding', () => {
  it('is a quicklist whose nodes follow list-max-listpack-size read at creation', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'list-max-listpack-size', '4')
    t.exec('RPUSH', 'small', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i')
    const o = t.obj('small') as ListObject
    expect(o.ptr.len).toBe(3)
    expect(o.ptr.fill).toBe(4)
    t.exec('LINSERT', 'small', 'AFTER', 'b', 'mid')
    expect(t.events.some((e) => e.type === 'quicklist/nodeSplit')).toBe(true)
    expect(listTypeValidate(o)).toEqual([])
    expect(t.exec('LRANGE', 'small', '0', '-1')).toEqual(
      r.bulks('a', 'b', 'mid', 'c', 'd', 'e', 'f', 'g', 'h', 'i'),
    )
  })

  it('copies with COPY into an independent quicklist', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'a', '1', '2')
    t.exec('COPY', 'a', 'b')
    t.exec('RPUSH', 'b', '3')
    expect(t.exec('LLEN', 'a')).toEqual(r.int(2))
    expect(t.enc('b')).toBe('quicklist')
  })
})
