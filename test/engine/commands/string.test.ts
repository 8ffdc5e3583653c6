/**
 * String commands against replies recorded from redis-server 7.0.15 (same script, same
 * order; the script table below was produced by running it on the oracle), plus encoding,
 * refcount, growth and event checks that the RESP replies cannot show.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'
import type { Reply } from '../../../src/engine/index.ts'

const enc = (t: ReturnType<typeof createTestEngine>, key: string): Reply =>
  t.exec('OBJECT', 'ENCODING', key)
const refcount = (t: ReturnType<typeof createTestEngine>, key: string): Reply =>
  t.exec('OBJECT', 'REFCOUNT', key)
const SHARED = 2147483647

describe('string commands: recorded redis 7.0.15 script', () => {
  // 'l' is a hash here (HSET), standing in for any non-string type in WRONGTYPE paths.
  const script: [string[], Reply][] = [
    [['SET', 'a', '1'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('int')],
    [['OBJECT', 'REFCOUNT', 'a'], r.int(2147483647)],
    [['SET', 'a', '9999'], r.ok],
    [['OBJECT', 'REFCOUNT', 'a'], r.int(2147483647)],
    [['SET', 'a', '10000'], r.ok],
    [['OBJECT', 'REFCOUNT', 'a'], r.int(1)],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('int')],
    [['SET', 'a', '-1'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('int')],
    [['SET', 'a', '9223372036854775807'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('int')],
    [['SET', 'a', '9223372036854775808'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('embstr')],
    [['SET', 'a', '007'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('embstr')],
    [['SET', 'a', '1.5'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('embstr')],
    [['SET', 'a', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('embstr')],
    [['SET', 'a', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'], r.ok],
    [['OBJECT', 'ENCODING', 'a'], r.bulk('raw')],
    [['SET', 'm', '1'], r.ok],
    [['APPEND', 'm', '2'], r.int(2)],
    [['OBJECT', 'ENCODING', 'm'], r.bulk('raw')],
    [['GET', 'm'], r.bulk('12')],
    [['APPEND', 'new', '123'], r.int(3)],
    [['OBJECT', 'ENCODING', 'new'], r.bulk('int')],
    [['OBJECT', 'REFCOUNT', 'new'], r.int(2147483647)],
    [['APPEND', 'new2', 'abc'], r.int(3)],
    [['OBJECT', 'ENCODING', 'new2'], r.bulk('embstr')],
    [['SETRANGE', 'sr', '0', 'abc'], r.int(3)],
    [['OBJECT', 'ENCODING', 'sr'], r.bulk('raw')],
    [['SETRANGE', 'sr', '10', 'x'], r.int(11)],
    [['GET', 'sr'], r.bulk('abc\0\0\0\0\0\0\0x')],
    [['SETRANGE', 'sr', '-1', 'x'], r.err('ERR offset is out of range')],
    [
      ['SETRANGE', 'sr', '536870913', 'x'],
      r.err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'),
    ],
    [
      ['SETRANGE', 'sr', '536870912', 'x'],
      r.err('ERR string exceeds maximum allowed size (proto-max-bulk-len)'),
    ],
    [['SETRANGE', 'sr', 'abc', 'x'], r.err('ERR value is not an integer or out of range')],
    [['SETRANGE', 'sr', '1', ''], r.int(11)],
    [['SETRANGE', 'nokey', '5', ''], r.int(0)],
    [['EXISTS', 'nokey'], r.int(0)],
    [['INCR', 'i'], r.int(1)],
    [['OBJECT', 'ENCODING', 'i'], r.bulk('int')],
    [['OBJECT', 'REFCOUNT', 'i'], r.int(2147483647)],
    [['INCRBY', 'i', '20000'], r.int(20001)],
    [['OBJECT', 'REFCOUNT', 'i'], r.int(1)],
    [['INCRBY', 'i', '-20000'], r.int(1)],
    [['OBJECT', 'REFCOUNT', 'i'], r.int(2147483647)],
    [['DECR', 'i'], r.int(0)],
    [['DECRBY', 'i', '5'], r.int(-5)],
    [['DECRBY', 'i', '-9223372036854775808'], r.err('ERR decrement would overflow')],
    [['INCRBY', 'i', '9223372036854775807'], r.int(9223372036854775802n)],
    [['INCRBY', 'i', '9223372036854775807'], r.err('ERR increment or decrement would overflow')],
    [['INCRBY', 'i', 'abc'], r.err('ERR value is not an integer or out of range')],
    [['SET', 'e', '1 '], r.ok],
    [['INCR', 'e'], r.err('ERR value is not an integer or out of range')],
    [['SET', 'e', '12345678901'], r.ok],
    [['INCR', 'e'], r.int(12345678902)],
    [['OBJECT', 'ENCODING', 'e'], r.bulk('int')],
    [['SET', 'f', '1.5'], r.ok],
    [['INCRBYFLOAT', 'f', '1.5'], r.bulk('3')],
    [['OBJECT', 'ENCODING', 'f'], r.bulk('embstr')],
    [['INCRBYFLOAT', 'f', 'abc'], r.err('ERR value is not a valid float')],
    [['INCRBYFLOAT', 'f', 'inf'], r.err('ERR increment would produce NaN or Infinity')],
    [
      ['INCRBYFLOAT', 'f', '1e400'],
      r.bulk(
        '10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880',
      ),
    ],
    [['INCRBYFLOAT', 'f', '-1e400'], r.bulk('0')],
    [['SET', 'fs', 'abc'], r.ok],
    [['INCRBYFLOAT', 'fs', '1'], r.err('ERR value is not a valid float')],
    [['HSET', 'l', 'f', 'v'], r.int(1)],
    [['GET', 'l'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    [['INCR', 'l'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    [
      ['APPEND', 'l', 'x'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [['STRLEN', 'l'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    [
      ['GETRANGE', 'l', '0', '1'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [
      ['SETRANGE', 'l', '0', 'x'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [
      ['INCRBYFLOAT', 'l', '1'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [['SET', 's', 'hello'], r.ok],
    [['GETRANGE', 's', '0', '-1'], r.bulk('hello')],
    [['GETRANGE', 's', '-3', '-1'], r.bulk('llo')],
    [['GETRANGE', 's', '-1', '-3'], r.bulk('')],
    [['GETRANGE', 's', '10', '20'], r.bulk('')],
    [['GETRANGE', 's', '3', '1'], r.bulk('')],
    [['GETRANGE', 's', '-100', '100'], r.bulk('hello')],
    [['GETRANGE', 's', '0', '-100'], r.bulk('h')],
    [['SUBSTR', 's', '1', '2'], r.bulk('el')],
    [['GETRANGE', 's', 'x', '1'], r.err('ERR value is not an integer or out of range')],
    [['GETRANGE', 'nokey', '0', '1'], r.bulk('')],
    [['STRLEN', 's'], r.int(5)],
    [['STRLEN', 'nokey'], r.int(0)],
    [['SET', 'i2', '123'], r.ok],
    [['STRLEN', 'i2'], r.int(3)],
    [['GETRANGE', 'i2', '1', '1'], r.bulk('2')],
    [['SET', 'k', 'v', 'NX'], r.ok],
    [['SET', 'k', 'v', 'NX'], r.bulk(null)],
    [['SET', 'k', 'v', 'XX'], r.ok],
    [['SET', 'k2', 'v', 'XX'], r.bulk(null)],
    [['SET', 'k', 'v', 'NX', 'XX'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'XX', 'NX'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'EX', '10', 'PX', '100'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'EX'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'EX', '0'], r.err("ERR invalid expire time in 'set' command")],
    [['SET', 'k', 'v', 'EX', '-1'], r.err("ERR invalid expire time in 'set' command")],
    [['SET', 'k', 'v', 'EX', 'abc'], r.err('ERR value is not an integer or out of range')],
    [['SET', 'k', 'v', 'PX', '0'], r.err("ERR invalid expire time in 'set' command")],
    [
      ['SET', 'k', 'v', 'EX', '9223372036854775807'],
      r.err("ERR invalid expire time in 'set' command"),
    ],
    [
      ['SET', 'k', 'v', 'EX', '9223372036854775'],
      r.err("ERR invalid expire time in 'set' command"),
    ],
    [
      ['SET', 'k', 'v', 'PX', '9223372036854775807'],
      r.err("ERR invalid expire time in 'set' command"),
    ],
    [['SET', 'k', 'v', 'EXAT', '1'], r.ok],
    [['TTL', 'k'], r.int(-2)],
    [['EXISTS', 'k'], r.int(0)],
    [['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'GET'], r.bulk(null)],
    [['SET', 'k', 'v2', 'GET', 'NX'], r.bulk('v')],
    [['SET', 'k', 'v3', 'GET', 'XX'], r.bulk('v')],
    [['GET', 'k'], r.bulk('v3')],
    [['SET', 'nk', 'v', 'GET'], r.bulk(null)],
    [
      ['SET', 'l', 'v', 'GET'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [['SET', 'k', 'v', 'FOO'], r.err('ERR syntax error')],
    [['SET', 'k', 'v', 'KEEPTTL'], r.ok],
    [['SETNX', 'k', 'x'], r.int(0)],
    [['SETNX', 'k2x', 'x'], r.int(1)],
    [['SETEX', 'k', '10', 'v'], r.ok],
    [['TTL', 'k'], r.int(10)],
    [['SETEX', 'k', '0', 'v'], r.err("ERR invalid expire time in 'setex' command")],
    [['SETEX', 'k', 'abc', 'v'], r.err('ERR value is not an integer or out of range')],
    [['PSETEX', 'k', '0', 'v'], r.err("ERR invalid expire time in 'psetex' command")],
    [['PSETEX', 'k', '1500', 'v'], r.ok],
    [['TTL', 'k'], r.int(2)],
    [['PTTL', 'k'], r.int(1500)],
    [['GETSET', 'k', 'new'], r.bulk('v')],
    [['GETSET', 'nokey2', 'x'], r.bulk(null)],
    [
      ['GETSET', 'l', 'x'],
      r.err('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    [['GETDEL', 'k'], r.bulk('new')],
    [['GETDEL', 'k'], r.bulk(null)],
    [['GETDEL', 'l'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    [['GETEX', 'nokey'], r.bulk(null)],
    [['SET', 'ge', 'v'], r.ok],
    [['GETEX', 'ge', 'EX', '100'], r.bulk('v')],
    [['TTL', 'ge'], r.int(100)],
    [['GETEX', 'ge', 'PERSIST'], r.bulk('v')],
    [['TTL', 'ge'], r.int(-1)],
    [['GETEX', 'ge', 'PX', '100', 'EX', '10'], r.err('ERR syntax error')],
    [['GETEX', 'ge', 'PERSIST', 'EX', '10'], r.err('ERR syntax error')],
    [['GETEX', 'ge', 'EX', '0'], r.err("ERR invalid expire time in 'getex' command")],
    [['GETEX', 'ge', 'NX'], r.err('ERR syntax error')],
    [['GETEX', 'ge', 'EXAT', '1'], r.bulk('v')],
    [['EXISTS', 'ge'], r.int(0)],
    [['GETEX', 'l'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
    [['MSET', 'a', '1', 'b', '2', 'c', '3'], r.ok],
    [['MSET', 'a'], r.err("ERR wrong number of arguments for 'mset' command")],
    [['MSET', 'a', '1', 'b'], r.err("ERR wrong number of arguments for 'mset' command")],
    [
      ['MGET', 'a', 'b', 'c', 'nokey', 'l'],
      r.arr([r.bulk('1'), r.bulk('2'), r.bulk('3'), r.bulk(null), r.bulk(null)]),
    ],
    [['MSETNX', 'a', '1', 'z', '2'], r.int(0)],
    [['MSETNX', 'y', '1', 'z', '2'], r.int(1)],
    [['MSETNX', 'y', '1'], r.int(0)],
    [['SET', 'lcs1', 'ohmytext'], r.ok],
    [['SET', 'lcs2', 'mynewtext'], r.ok],
    [['LCS', 'lcs1', 'lcs2'], r.bulk('mytext')],
    [['LCS', 'lcs1', 'lcs2', 'LEN'], r.int(6)],
    [
      ['LCS', 'lcs1', 'lcs2', 'IDX'],
      r.arr([
        r.bulk('matches'),
        r.arr([
          r.arr([r.arr([r.int(4), r.int(7)]), r.arr([r.int(5), r.int(8)])]),
          r.arr([r.arr([r.int(2), r.int(3)]), r.arr([r.int(0), r.int(1)])]),
        ]),
        r.bulk('len'),
        r.int(6),
      ]),
    ],
    [
      ['LCS', 'lcs1', 'lcs2', 'IDX', 'MINMATCHLEN', '4'],
      r.arr([
        r.bulk('matches'),
        r.arr([r.arr([r.arr([r.int(4), r.int(7)]), r.arr([r.int(5), r.int(8)])])]),
        r.bulk('len'),
        r.int(6),
      ]),
    ],
    [
      ['LCS', 'lcs1', 'lcs2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      r.arr([
        r.bulk('matches'),
        r.arr([r.arr([r.arr([r.int(4), r.int(7)]), r.arr([r.int(5), r.int(8)]), r.int(4)])]),
        r.bulk('len'),
        r.int(6),
      ]),
    ],
    [
      ['LCS', 'lcs1', 'lcs2', 'IDX', 'WITHMATCHLEN'],
      r.arr([
        r.bulk('matches'),
        r.arr([
          r.arr([r.arr([r.int(4), r.int(7)]), r.arr([r.int(5), r.int(8)]), r.int(4)]),
          r.arr([r.arr([r.int(2), r.int(3)]), r.arr([r.int(0), r.int(1)]), r.int(2)]),
        ]),
        r.bulk('len'),
        r.int(6),
      ]),
    ],
    [
      ['LCS', 'lcs1', 'lcs2', 'LEN', 'IDX'],
      r.err('ERR If you want both the length and indexes, please just use IDX.'),
    ],
    [['LCS', 'lcs1', 'lcs2', 'FOO'], r.err('ERR syntax error')],
    [['LCS', 'lcs1', 'lcs2', 'MINMATCHLEN'], r.err('ERR syntax error')],
    [
      ['LCS', 'lcs1', 'lcs2', 'MINMATCHLEN', 'x'],
      r.err('ERR value is not an integer or out of range'),
    ],
    [['LCS', 'lcs1', 'l'], r.err('ERR The specified keys must contain string values')],
    [['LCS', 'nokey', 'lcs1'], r.bulk('')],
    [
      ['LCS', 'nokey', 'nokey2', 'IDX'],
      r.arr([r.bulk('matches'), r.bulks(), r.bulk('len'), r.int(0)]),
    ],
    [['SET', 'v1', 'ACBCBDAB'], r.ok],
    [['SET', 'v2', 'BDCABA'], r.ok],
    [
      ['LCS', 'v1', 'v2', 'IDX', 'WITHMATCHLEN'],
      r.arr([
        r.bulk('matches'),
        r.arr([
          r.arr([r.arr([r.int(6), r.int(7)]), r.arr([r.int(3), r.int(4)]), r.int(2)]),
          r.arr([r.arr([r.int(4), r.int(5)]), r.arr([r.int(0), r.int(1)]), r.int(2)]),
        ]),
        r.bulk('len'),
        r.int(4),
      ]),
    ],
    [['GET'], r.err("ERR wrong number of arguments for 'get' command")],
    [['SET', 'a'], r.err("ERR wrong number of arguments for 'set' command")],
    [['GETEX'], r.err("ERR wrong number of arguments for 'getex' command")],
  ]
  it(`replies exactly as redis does to ${String(script.length)} commands`, () => {
    const t = createTestEngine()
    for (const [argv, expected] of script) expect(t.exec(...argv), argv.join(' ')).toEqual(expected)
  })
})

describe('string encodings (redis-internals §3, verified on 7.0.15)', () => {
  it('picks int / embstr / raw as tryObjectEncoding does', () => {
    const t = createTestEngine()
    const cases: [string, string][] = [
      ['12345', 'int'],
      ['-1', 'int'],
      ['9223372036854775807', 'int'],
      ['9223372036854775808', 'embstr'],
      ['007', 'embstr'],
      ['1.5', 'embstr'],
      ['-0', 'embstr'],
      ['+1', 'embstr'],
      [' 1', 'embstr'],
      ['x'.repeat(44), 'embstr'],
      ['x'.repeat(45), 'raw'],
      ['1'.repeat(21), 'embstr'],
      ['', 'embstr'],
    ]
    for (const [value, encoding] of cases) {
      t.exec('SET', 'k', value)
      expect(enc(t, 'k'), JSON.stringify(value)).toEqual(r.bulk(encoding))
    }
  })
  it('shares integers 0..9999 (refcount INT_MAX) and not 10000 or negatives', () => {
    const t = createTestEngine()
    t.exec('SET', 'a', '0')
    t.exec('SET', 'b', '9999')
    t.exec('SET', 'c', '10000')
    t.exec('SET', 'd', '-5')
    expect(refcount(t, 'a')).toEqual(r.int(SHARED))
    expect(refcount(t, 'b')).toEqual(r.int(SHARED))
    expect(refcount(t, 'c')).toEqual(r.int(1))
    expect(refcount(t, 'd')).toEqual(r.int(1))
  })
  it('does not share integers under maxmemory with an LRU/LFU policy', () => {
    const t = createTestEngine({
      config: { maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru' },
    })
    t.exec('SET', 'k', '1')
    expect(refcount(t, 'k')).toEqual(r.int(1))
    t.exec('INCR', 'k2')
    expect(refcount(t, 'k2')).toEqual(r.int(1))
    expect(enc(t, 'k2')).toEqual(r.bulk('int'))
  })
  it('APPEND and SETRANGE always leave a raw string (dbUnshareStringValue)', () => {
    const t = createTestEngine()
    t.exec('SET', 'm', '1')
    expect(t.exec('APPEND', 'm', '2')).toEqual(r.int(2))
    expect(enc(t, 'm')).toEqual(r.bulk('raw'))
    expect(t.exec('GET', 'm')).toEqual(r.bulk('12'))
    t.exec('SET', 'e', 'hello')
    t.exec('SETRANGE', 'e', '0', 'J')
    expect(enc(t, 'e')).toEqual(r.bulk('raw'))
    expect(t.exec('GET', 'e')).toEqual(r.bulk('Jello'))
    // A new key through APPEND is stored as given, so it can be int-encoded and shared.
    t.exec('APPEND', 'n', '123')
    expect(enc(t, 'n')).toEqual(r.bulk('int'))
    expect(refcount(t, 'n')).toEqual(r.int(SHARED))
    // SETRANGE on a missing key creates a raw string of NULs.
    expect(t.exec('SETRANGE', 'z', '3', 'ab')).toEqual(r.int(5))
    expect(t.exec('GET', 'z')).toEqual(r.bulk('\0\0\0ab'))
    expect(enc(t, 'z')).toEqual(r.bulk('raw'))
  })
  it('INCR updates a private int in place and switches to shared integers in range', () => {
    const t = createTestEngine()
    t.exec('SET', 'c', '10000')
    expect(t.exec('INCR', 'c')).toEqual(r.int(10001))
    expect(refcount(t, 'c')).toEqual(r.int(1))
    t.exec('SET', 'd', '9998')
    t.exec('INCR', 'd')
    expect(refcount(t, 'd')).toEqual(r.int(SHARED))
    expect(t.exec('INCR', 'd')).toEqual(r.int(10000))
    expect(refcount(t, 'd')).toEqual(r.int(1))
    expect(t.exec('DECR', 'd')).toEqual(r.int(9999))
    expect(refcount(t, 'd')).toEqual(r.int(SHARED))
    t.exec('SET', 'f', '15')
    t.exec('APPEND', 'f', '0') // raw "150"
    expect(t.exec('INCR', 'f')).toEqual(r.int(151))
    expect(enc(t, 'f')).toEqual(r.bulk('int'))
    expect(refcount(t, 'f')).toEqual(r.int(SHARED))
  })
  it('INCRBYFLOAT stores human-format text (embstr), never int', () => {
    const t = createTestEngine()
    t.exec('SET', 'f', '10')
    expect(t.exec('INCRBYFLOAT', 'f', '0.5')).toEqual(r.bulk('10.5'))
    expect(enc(t, 'f')).toEqual(r.bulk('embstr'))
    expect(t.exec('INCRBYFLOAT', 'f', '-0.5')).toEqual(r.bulk('10'))
    expect(enc(t, 'f')).toEqual(r.bulk('embstr'))
    expect(t.exec('INCRBYFLOAT', 'g', '5.0e3')).toEqual(r.bulk('5000'))
    // 80-bit long double arithmetic shows through, exactly as on x86-64 redis 7.0.15.
    expect(t.exec('INCRBYFLOAT', 'g', '0.1')).toEqual(r.bulk('5000.10000000000000009'))
    expect(t.exec('INCRBYFLOAT', 'h', '1e30')).toEqual(r.bulk('1000000000000000000024696061952'))
    expect(enc(t, 'h')).toEqual(r.bulk('embstr'))
    expect(t.exec('INCRBYFLOAT', 'h', '1e30')).toEqual(r.bulk('2000000000000000000049392123904'))
  })
})

describe('APPEND growth (sds greedy preallocation, checked with DEBUG SDSLEN on 7.0.15)', () => {
  it('reports each growth with the lengths, allocations and header types', () => {
    const t = createTestEngine()
    t.exec('SET', 'm', 'hello')
    t.exec('APPEND', 'm', ' world')
    expect(t.eventsOfType('object/encodingConverted')).toEqual([
      {
        type: 'object/encodingConverted',
        key: 'm',
        from: 'embstr',
        to: 'raw',
        reason: 'append',
        params: { len: 5, shared: 0 },
      },
    ])
    // redis: val_sds_len:11, val_sds_avail:17, val_zmalloc: 32
    expect(t.eventsOfType('sds/grown')).toEqual([
      {
        type: 'sds/grown',
        key: 'm',
        fromLen: 5,
        toLen: 11,
        fromAlloc: 5,
        toAlloc: 28,
        fromType: 5,
        toType: 8,
        rule: 'doubled',
      },
    ])
    // Then 20 bytes at a time: avail 45, 25, 5, 97, 77 as redis reports.
    const avail: number[] = []
    for (let i = 0; i < 5; i++) {
      t.exec('APPEND', 'm', 'x'.repeat(20))
      const g = t.eventsOfType('sds/grown')[0]
      if (g === undefined) throw new Error('no sds/grown event')
      avail.push(g.toAlloc - g.toLen)
    }
    expect(avail).toEqual([45, 25, 5, 97, 77])
  })
  it('grows a shared integer into a private raw sds (avail 2 after "1" + "2")', () => {
    const t = createTestEngine()
    t.exec('SET', 'n', '1')
    t.exec('APPEND', 'n', '2')
    const conv = t.eventsOfType('object/encodingConverted')[0]
    expect(conv?.from).toBe('int')
    expect(conv?.params).toEqual({ len: 1, shared: 1 })
    const g = t.eventsOfType('sds/grown')[0]
    expect(g && g.toAlloc - g.toLen).toBe(2)
  })
  it('adds 1 MiB instead of doubling past SDS_MAX_PREALLOC', () => {
    const t = createTestEngine()
    // redis: after SETRANGE the 1 MiB sds has 262134 bytes of jemalloc slack, so the first
    // APPEND fits; the next one needs more and gets newlen + 1 MiB (avail 1310718).
    t.exec('SETRANGE', 'big', String(1024 * 1024 - 1), 'x')
    t.exec('APPEND', 'big', 'y')
    expect(t.eventsOfType('sds/grown')[0]?.rule).toBe('fits')
    expect(t.exec('APPEND', 'big', 'y'.repeat(262135))).toEqual(r.int(1310712))
    const g = t.eventsOfType('sds/grown')[0]
    expect(g?.rule).toBe('plus1mb')
    expect(g && g.toAlloc - g.toLen).toBe(1310718)
    expect(g?.toType).toBe(32)
  })
})

describe('SET expiry options with a manual clock', () => {
  it('sets absolute and relative expiries from the frozen command time', () => {
    const t = createTestEngine({ startMs: 1_700_000_000_000 })
    t.exec('SET', 'a', 'v', 'EX', '10')
    expect(t.exec('PEXPIRETIME', 'a')).toEqual(r.int(1_700_000_010_000))
    t.exec('SET', 'b', 'v', 'PX', '1234')
    expect(t.exec('PTTL', 'b')).toEqual(r.int(1234))
    t.exec('SET', 'c', 'v', 'EXAT', '1800000000')
    expect(t.exec('EXPIRETIME', 'c')).toEqual(r.int(1800000000))
    t.exec('SET', 'd', 'v', 'PXAT', '1800000000123')
    expect(t.exec('PEXPIRETIME', 'd')).toEqual(r.int(1800000000123))
    t.exec('SET', 'd', 'w', 'KEEPTTL')
    expect(t.exec('PEXPIRETIME', 'd')).toEqual(r.int(1800000000123))
    t.exec('SET', 'd', 'x')
    expect(t.exec('TTL', 'd')).toEqual(r.int(-1))
    t.exec('SET', 'e', 'v', 'EX', '9223372036854775')
    expect(t.last?.reply).toEqual(r.err("ERR invalid expire time in 'set' command"))
    expect(t.exec('SETEX', 'e', '0', 'v')).toEqual(
      r.err("ERR invalid expire time in 'setex' command"),
    )
    expect(t.exec('PSETEX', 'e', '-1', 'v')).toEqual(
      r.err("ERR invalid expire time in 'psetex' command"),
    )
    t.exec('SET', 'g', 'v')
    expect(t.exec('GETEX', 'g', 'PX', '0')).toEqual(
      r.err("ERR invalid expire time in 'getex' command"),
    )
  })
  it('SET ... EXAT in the past stores a key that is already logically expired', () => {
    const t = createTestEngine({ startMs: 1_700_000_000_000 })
    expect(t.exec('SET', 'k', 'v', 'EXAT', '1')).toEqual(r.ok)
    expect(t.exec('GET', 'k')).toEqual(r.bulk(null))
    expect(t.eventsOfType('expire/keyExpiredLazily')).toHaveLength(1)
  })
  it('GETEX EXAT in the past deletes the key after replying its value', () => {
    const t = createTestEngine({ startMs: 1_700_000_000_000 })
    t.exec('SET', 'k', 'v')
    expect(t.exec('GETEX', 'k', 'EXAT', '1')).toEqual(r.bulk('v'))
    expect(t.exec('EXISTS', 'k')).toEqual(r.int(0))
  })
})

describe('LCS reply shapes', () => {
  it('replies the string, LEN, and IDX with ranges from the end', () => {
    const t = createTestEngine()
    t.exec('MSET', 'a', 'ohmytext', 'b', 'mynewtext')
    expect(t.exec('LCS', 'a', 'b')).toEqual(r.bulk('mytext'))
    expect(t.exec('LCS', 'a', 'b', 'LEN')).toEqual(r.int(6))
    expect(t.exec('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toEqual(
      r.arr([
        r.bulk('matches'),
        r.arr([r.arr([r.arr([r.int(4), r.int(7)]), r.arr([r.int(5), r.int(8)]), r.int(4)])]),
        r.bulk('len'),
        r.int(6),
      ]),
    )
  })
})
