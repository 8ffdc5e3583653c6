/**
 * SORT / SORT_RO (sort.c): replies checked against redis-server 7.0.15 (the same cases run
 * against it in test/conformance/scripts/sort.redis), the destructive listpack → skiplist
 * conversion of a sorted set, and properties of the numeric and ALPHA orders.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness } from '../types/typeHarness.ts'
import { sortStrtod } from '../../../src/engine/commands/sort.ts'
import { libc } from '../../../src/engine/util/errno.ts'

describe('SORT', () => {
  it('sorts numbers, ALPHA, DESC and LIMIT as Redis does', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'l', '3', '1', '2', '10', '-1', '1.5', ' 4', '0x10', 'inf', '-inf')
    expect(t.exec('SORT', 'l')).toEqual(
      r.bulks('-inf', '-1', '1', '1.5', '2', '3', ' 4', '10', '0x10', 'inf'),
    )
    expect(t.exec('SORT', 'l', 'ALPHA', 'DESC', 'LIMIT', '1', '3')).toEqual(r.bulks('3', '2', '10'))
    expect(t.exec('SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '2', '3')).toEqual(
      r.bulks('0x10', ' 4', '1.5'),
    )
    // A BY without '*' turns sorting off for good, even before a BY with one.
    expect(t.exec('SORT', 'l', 'BY', 'nosort', 'BY', 'w_*', 'LIMIT', '0', '2')).toEqual(
      r.bulks('3', '1'),
    )
    expect(t.exec('SORT', 'l', 'LIMIT', 'x', '1')).toEqual(
      r.err('ERR value is not an integer or out of range'),
    )
    expect(t.exec('SORT_RO', 'l', 'STORE', 'x')).toEqual(r.err('ERR syntax error'))
    t.exec('SET', 'str', 'x')
    expect(t.exec('SORT', 'str')).toEqual(
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    )
    t.exec('RPUSH', 'bad', '1', '1 ', '2')
    expect(t.exec('SORT', 'bad')).toEqual(
      r.err("ERR One or more scores can't be converted into double"),
    )
  })

  it('reads weights and GET values through patterns, and STOREs a list', () => {
    const t = createTypeHarness()
    t.exec('RPUSH', 'l', '1', '2', '3')
    t.exec('MSET', 'w_1', '10', 'w_2', '-5', 'w_3', '30')
    t.exec('HSET', 'h_1', 'f', '9')
    t.exec('HSET', 'h_3', 'f', '5')
    expect(t.exec('SORT', 'l', 'BY', 'w_*')).toEqual(r.bulks('2', '1', '3'))
    expect(t.exec('SORT', 'l', 'BY', 'h_*->f', 'GET', '#', 'GET', 'h_*->f')).toEqual(
      r.arr([r.bulk('2'), r.bulk(null), r.bulk('3'), r.bulk('5'), r.bulk('1'), r.bulk('9')]),
    )
    t.exec('EXPIRE', 'out', '100')
    expect(t.exec('SORT', 'l', 'BY', 'w_*', 'GET', 'nokey_*', 'STORE', 'out')).toEqual(r.int(3))
    expect(t.exec('LRANGE', 'out', '0', '-1')).toEqual(r.bulks('', '', ''))
    expect(t.exec('TTL', 'out')).toEqual(r.int(-1))
    expect(t.exec('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'out')).toEqual(r.int(0))
    expect(t.exec('EXISTS', 'out')).toEqual(r.int(0))
  })

  it('converts a listpack sorted set to a skiplist, for good', () => {
    const t = createTypeHarness()
    t.exec('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b')
    expect(t.enc('z')).toBe('listpack')
    expect(t.exec('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2')).toEqual(
      r.bulks('b', 'a'),
    )
    expect(t.enc('z')).toBe('skiplist')
  })

  it('reads weights with strtod rules', () => {
    expect(sortStrtod('')).toBe(0)
    expect(sortStrtod('  ')).toBeNull()
    expect(sortStrtod(' 4')).toBe(4)
    expect(sortStrtod('4 ')).toBeNull()
    expect(sortStrtod('7\x00junk')).toBe(7)
    expect(sortStrtod('0x10')).toBe(16)
    expect(sortStrtod('nan')).toBeNull()
    expect(sortStrtod('1e400')).toBeNull()
    // ERANGE stays in errno (sort.c never clears it): every later weight fails too.
    expect(sortStrtod('1')).toBeNull()
    libc.errno = 0
    expect(sortStrtod('1e-310')).toBeNull()
    libc.errno = 0
    expect(sortStrtod('0x1p-1074')).toBe(5e-324)
    expect(sortStrtod('0x1.8p-1074')).toBeNull()
    libc.errno = 0
  })

  it('fails a numeric SORT after an ERANGE an earlier command left in errno', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '3', '1', '2')
    t.exec('RPUSH', 'l', '3', '1', '2')
    t.exec('SCAN', '18446744073709551616')
    const err = r.err("ERR One or more scores can't be converted into double")
    expect(t.exec('SORT', 's')).toEqual(err)
    // List integers are int-encoded objects: cast, not converted.
    expect(t.exec('SORT', 'l')).toEqual(r.bulks('1', '2', '3'))
    expect(t.exec('SORT', 's', 'ALPHA')).toEqual(r.bulks('1', '2', '3'))
    t.exec('ZADD', 'z', '1', 'a')
    expect(t.exec('SORT', 's')).toEqual(r.bulks('1', '2', '3'))
    t.exec('ZADD', 'z', '1e-400', 'a')
    expect(t.exec('SORT', 's')).toEqual(err)
    libc.errno = 0
  })

  it('fails a numeric SORT after a subnormal listpack score is read back (zzlStrtod)', () => {
    const t = createTypeHarness()
    t.exec('SADD', 's', '3', '1', '2')
    t.exec('ZADD', 'z', '1e-320', 'a')
    const err = r.err("ERR One or more scores can't be converted into double")
    // ZADD's string2d clears errno; inserting after "9.9998886718268301e-321" reads it back.
    t.exec('ZADD', 'z', '1', 'b')
    expect(t.exec('SORT', 's')).toEqual(err)
    t.exec('ZADD', 'ok', '1', 'x')
    expect(t.exec('SORT', 's')).toEqual(r.bulks('1', '2', '3'))
    t.exec('ZSCORE', 'z', 'a')
    expect(t.exec('SORT', 's')).toEqual(err)
    // SORT converts the listpack zset first, reading every score.
    expect(t.exec('SORT', 'z')).toEqual(err)
    libc.errno = 0
  })

  test.prop([fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 })])(
    'SORT of integers is the numeric order; ALPHA is the byte order; DESC reverses both',
    (xs) => {
      const t = createTypeHarness()
      if (xs.length > 0) t.exec('RPUSH', 'l', ...xs.map(String))
      const numeric = [...xs].sort((a, b) => a - b).map(String)
      expect(t.exec('SORT', 'l')).toEqual(r.bulks(...numeric))
      expect(t.exec('SORT', 'l', 'DESC')).toEqual(r.bulks(...[...numeric].reverse()))
      const alpha = xs.map(String).sort()
      expect(t.exec('SORT', 'l', 'ALPHA')).toEqual(r.bulks(...alpha))
      expect(t.exec('SORT', 'l', 'ALPHA', 'DESC')).toEqual(r.bulks(...[...alpha].reverse()))
    },
  )
})
