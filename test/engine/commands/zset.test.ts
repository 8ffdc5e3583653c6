/**
 * Sorted-set commands: exact replies and score formatting (the same lines run against
 * redis-server 7.0.15 in test/conformance/scripts/zset.redis), encodings across the
 * thresholds, conversions back for *STORE destinations, and the events.
 */
import { describe, expect, it } from 'vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness } from '../types/typeHarness.ts'
import { zsetValidate, type ZsetObject } from '../../../src/engine/types/t_zset.ts'

describe('sorted-set commands: replies', () => {
  it('formats scores as Redis 7.0 does (%.17g, inf, integers)', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'z', '1.1', 'a', '-inf', 'b', '1e20', 'c', '-0', 'd', '3', 'e')
    expect(t.exec('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(
      r.bulks('b', '-inf', 'd', '0', 'a', '1.1000000000000001', 'e', '3', 'c', '1e+20'),
    )
    expect(t.exec('ZSCORE', 'z', 'a')).toEqual(r.bulk('1.1000000000000001'))
    expect(t.exec('ZINCRBY', 'z', '2.5', 'e')).toEqual(r.bulk('5.5'))
    expect(t.exec('ZINCRBY', 'z', 'inf', 'b')).toEqual(
      r.err('ERR resulting score is not a number (NaN)'),
    )
  })

  it('answers ZADD option errors and NX/XX/GT/LT/CH/INCR outcomes', () => {
    const t = createTypeHarness()
    expect(t.exec('ZADD', 'z', 'NX', 'XX', '1', 'a')).toEqual(
      r.err('ERR XX and NX options at the same time are not compatible'),
    )
    expect(t.exec('ZADD', 'z', 'GT', 'LT', '1', 'a')).toEqual(
      r.err('ERR GT, LT, and/or NX options at the same time are not compatible'),
    )
    expect(t.exec('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toEqual(
      r.err('ERR INCR option supports a single increment-element pair'),
    )
    expect(t.exec('ZADD', 'z', 'nan', 'a')).toEqual(r.err('ERR value is not a valid float'))
    expect(t.exec('ZADD', 'z', '1', 'a', '2')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('ZADD', 'z', '1', 'a', '2', 'b')).toEqual(r.int(2))
    expect(t.exec('ZADD', 'z', 'XX', 'CH', '5', 'a', '6', 'c')).toEqual(r.int(1))
    expect(t.exec('ZADD', 'z', 'GT', 'CH', '1', 'a')).toEqual(r.int(0))
    expect(t.exec('ZADD', 'z', 'INCR', 'NX', '1', 'a')).toEqual(r.bulk(null))
    expect(t.exec('ZADD', 'nokey', 'XX', '1', 'a')).toEqual(r.int(0))
    expect(t.exec('EXISTS', 'nokey')).toEqual(r.int(0))
  })

  it('answers the ZRANGE family with its option errors', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd')
    expect(t.exec('ZRANGE', 'z', '(1', '3', 'BYSCORE')).toEqual(r.bulks('b', 'c'))
    expect(t.exec('ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '2')).toEqual(
      r.bulks('c', 'b'),
    )
    expect(t.exec('ZRANGE', 'z', '[b', '+', 'BYLEX')).toEqual(r.bulks('b', 'c', 'd'))
    expect(t.exec('ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1')).toEqual(
      r.err(
        'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
      ),
    )
    expect(t.exec('ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES')).toEqual(
      r.err('ERR syntax error, WITHSCORES not supported in combination with BYLEX'),
    )
    expect(t.exec('ZRANGEBYSCORE', 'z', 'x', '1')).toEqual(r.err('ERR min or max is not a float'))
    expect(t.exec('ZRANGEBYLEX', 'z', 'a', 'b')).toEqual(
      r.err('ERR min or max not valid string range item'),
    )
    expect(t.exec('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '2')).toEqual(r.arr([]))
    expect(t.exec('ZCOUNT', 'z', '(1', '4')).toEqual(r.int(3))
    expect(t.exec('ZLEXCOUNT', 'z', '-', '(c')).toEqual(r.int(2))
    expect(t.exec('ZREVRANK', 'z', 'a')).toEqual(r.int(3))
  })

  it('answers pops and ZMPOP in RESP2 shapes', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'p', '1', 'a', '2', 'b', '3', 'c')
    expect(t.exec('ZPOPMIN', 'p')).toEqual(r.bulks('a', '1'))
    expect(t.exec('ZMPOP', '2', 'nokey', 'p', 'MAX', 'COUNT', '5')).toEqual(
      r.arr([r.bulk('p'), r.arr([r.bulks('c', '3'), r.bulks('b', '2')])]),
    )
    expect(t.exec('EXISTS', 'p')).toEqual(r.int(0))
    expect(t.exec('ZMPOP', '1', 'p', 'MIN')).toEqual(r.arr(null))
    expect(t.exec('ZMPOP', '0', 'p', 'MIN')).toEqual(r.err('ERR numkeys should be greater than 0'))
    expect(t.exec('ZMPOP', '1', 'p', 'MIN', 'COUNT', '0')).toEqual(
      r.err('ERR count should be greater than 0'),
    )
  })

  it('answers ZUNION/ZINTER/ZDIFF with weights, aggregates and set inputs', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'za', '1', 'a', '2', 'b', '3', 'c')
    t.exec('ZADD', 'zb', '10', 'b', '20', 'c', '30', 'd')
    t.exec('SADD', 'sa', 'b', 'c', 'x')
    expect(t.exec('ZUNION', '2', 'za', 'zb', 'WEIGHTS', '2', '3', 'WITHSCORES')).toEqual(
      r.bulks('a', '2', 'b', '34', 'c', '66', 'd', '90'),
    )
    expect(t.exec('ZINTER', '3', 'za', 'zb', 'sa', 'AGGREGATE', 'MIN', 'WITHSCORES')).toEqual(
      r.bulks('b', '1', 'c', '1'),
    )
    expect(t.exec('ZDIFF', '2', 'za', 'zb', 'WITHSCORES')).toEqual(r.bulks('a', '1'))
    expect(t.exec('ZINTERCARD', '2', 'za', 'zb', 'LIMIT', '1')).toEqual(r.int(1))
    expect(t.exec('ZUNION', '0', 'za')).toEqual(
      r.err("ERR at least 1 input key is needed for 'zunion' command"),
    )
    expect(t.exec('ZUNION', '2', 'za', 'zb', 'WEIGHTS', '1', 'x')).toEqual(
      r.err('ERR weight value is not a float'),
    )
  })
})

describe('sorted-set encodings', () => {
  it('stays listpack at 128 members, converts at the 129th, never back on ZREM', () => {
    const t = createTypeHarness()
    const args: string[] = []
    for (let i = 0; i < 128; i++) args.push(String(i), `m${String(i)}`)
    t.exec('ZADD', 'big', ...args)
    expect(t.enc('big')).toBe('listpack')
    t.exec('ZADD', 'big', '128', 'm128')
    expect(t.enc('big')).toBe('skiplist')
    expect(t.events.find((e) => e.type === 'object/encodingConverted')).toMatchObject({
      from: 'listpack',
      to: 'skiplist',
      reason: 'tooManyEntries',
      params: { entries: 129, limit: 128 },
    })
    expect(zsetValidate(t.obj('big') as ZsetObject)).toEqual([])
    t.exec('ZREMRANGEBYRANK', 'big', '0', '100')
    expect(t.enc('big')).toBe('skiplist')
    // A *STORE destination is converted back when it fits.
    t.exec('ZUNIONSTORE', 'copy', '1', 'big')
    expect(t.enc('copy')).toBe('listpack')
    expect(
      t.events.some((e) => e.type === 'object/encodingConverted' && e.reason === 'storeFits'),
    ).toBe(true)
    expect(zsetValidate(t.obj('copy') as ZsetObject)).toEqual([])
  })

  it('converts on a 65-byte member, and creates a skiplist for a long first member', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'lm', '1', 'x'.repeat(64))
    expect(t.enc('lm')).toBe('listpack')
    t.exec('ZADD', 'lm', '2', 'y'.repeat(65))
    expect(t.enc('lm')).toBe('skiplist')
    t.exec('ZADD', 'lm2', '1', 'y'.repeat(65))
    expect(t.enc('lm2')).toBe('skiplist')
  })

  it('reads thresholds from CONFIG (entries 0 → skiplist from the start)', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', '2')
    t.exec('ZADD', 'c', '1', 'a', '2', 'b')
    expect(t.enc('c')).toBe('listpack')
    t.exec('ZADD', 'c', '3', 'c')
    expect(t.enc('c')).toBe('skiplist')
    t.exec('ZRANGESTORE', 'c2', 'c', '0', '1')
    expect(t.enc('c2')).toBe('listpack')
    t.exec('ZRANGESTORE', 'c3', 'c', '0', '-1')
    expect(t.enc('c3')).toBe('skiplist')
    t.exec('CONFIG', 'SET', 'zset-max-ziplist-entries', '0')
    t.exec('ZADD', 'c5', '1', 'a')
    expect(t.enc('c5')).toBe('skiplist')
  })

  it('stores integral scores as listpack integers and others as text', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'z', '5', 'a', '1.5', 'b')
    expect(t.exec('ZSCAN', 'z', '0')).toEqual(r.arr([r.bulk('0'), r.bulks('b', '1.5', 'a', '5')]))
  })
})
