import { describe, expect, it } from 'vitest'
import {
  array,
  bignumReply,
  BLOCKED,
  boolReply,
  bulk,
  doubleReply,
  integer,
  mapReply,
  nestPairs,
  NIL,
  NIL_ARRAY,
  NULL,
  pushReply,
  resp3Nulls,
  sequence,
  setReply,
  verbatimReply,
  type Reply,
} from '../../src/engine/reply.ts'
import { respDecodeReplies, respEncode } from '../../src/engine/resp.ts'
import { createTestEngine } from '../harness/TestEngine.ts'

// The bytes below are what redis-server 7.0.15 writes for DEBUG PROTOCOL <type> and the
// replies named, captured from a real server with HELLO 3.

describe('respEncode (RESP3 types)', () => {
  const cases: [string, Reply, string][] = [
    [
      'map',
      mapReply(3, [integer(0), boolReply(3, false), integer(1), boolReply(3, true)]),
      '%2\r\n:0\r\n#f\r\n:1\r\n#t\r\n',
    ],
    ['empty map', mapReply(3, []), '%0\r\n'],
    ['set', setReply(3, [integer(0), integer(1), integer(2)]), '~3\r\n:0\r\n:1\r\n:2\r\n'],
    ['empty set', setReply(3, []), '~0\r\n'],
    ['double', doubleReply(3, '3.141'), ',3.141\r\n'],
    ['double inf', doubleReply(3, 'inf'), ',inf\r\n'],
    ['double -inf', doubleReply(3, '-inf'), ',-inf\r\n'],
    ['double 1e+308', doubleReply(3, '1.00000001e+308'), ',1.00000001e+308\r\n'],
    ['true', boolReply(3, true), '#t\r\n'],
    ['false', boolReply(3, false), '#f\r\n'],
    ['null', NULL, '_\r\n'],
    [
      'verbatim',
      verbatimReply(3, 'This is a verbatim\nstring'),
      '=29\r\ntxt:This is a verbatim\nstring\r\n',
    ],
    [
      'push',
      pushReply(3, [bulk('server-cpu-usage'), integer(42)]),
      '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n',
    ],
    [
      'bignum',
      bignumReply(3, '1234567999999999999999999999999999999'),
      '(1234567999999999999999999999999999999\r\n',
    ],
    [
      'attribute then its reply',
      sequence([
        {
          type: 'attribute',
          value: [bulk('key-popularity'), array([bulk('key:123'), integer(90)])],
        },
        bulk('Some real reply following the attribute'),
      ]),
      '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n',
    ],
  ]
  for (const [name, reply, bytes] of cases) {
    it(`writes ${name} as Redis does`, () => {
      expect(respEncode(reply)).toBe(bytes)
    })
    it(`reads ${name} back`, () => {
      expect(respDecodeReplies(bytes)).toEqual([reply])
    })
  }

  it('pads a short verbatim format with spaces to three bytes', () => {
    expect(respEncode({ type: 'verbatim', format: 'md', value: 'x' })).toBe('=5\r\nmd :x\r\n')
  })
})

describe('reply constructors in RESP2 (networking.c fallbacks)', () => {
  it('give exactly the RESP2 replies of before', () => {
    expect(mapReply(2, [bulk('a'), integer(1)])).toEqual(array([bulk('a'), integer(1)]))
    expect(setReply(2, [bulk('a')])).toEqual(array([bulk('a')]))
    expect(doubleReply(2, '1.5')).toEqual(bulk('1.5'))
    expect(boolReply(2, true)).toEqual(integer(1))
    expect(boolReply(2, false)).toEqual(integer(0))
    expect(verbatimReply(2, 'text')).toEqual(bulk('text'))
    expect(bignumReply(2, '12')).toEqual(bulk('12'))
    expect(pushReply(2, [bulk('message')])).toEqual(array([bulk('message')]))
    expect(nestPairs(2, array([bulk('a'), bulk('1')]))).toEqual(array([bulk('a'), bulk('1')]))
  })

  it('nestPairs makes [[k, v] ...] in RESP3', () => {
    expect(nestPairs(3, array([bulk('a'), bulk('1'), bulk('b'), bulk('2')]))).toEqual(
      array([array([bulk('a'), bulk('1')]), array([bulk('b'), bulk('2')])]),
    )
  })
})

describe('resp3Nulls', () => {
  it('turns the nil bulk and the nil array into _ at any depth', () => {
    const r = array([bulk('a'), NIL, array([NIL_ARRAY]), mapReply(3, [bulk('k'), NIL])])
    expect(respEncode(resp3Nulls(r))).toBe(
      '*4\r\n$1\r\na\r\n_\r\n*1\r\n_\r\n%1\r\n$1\r\nk\r\n_\r\n',
    )
  })

  it('returns the same object when there is no nil, and keeps BLOCKED', () => {
    const r = array([bulk('a'), integer(1)])
    expect(resp3Nulls(r)).toBe(r)
    expect(resp3Nulls(BLOCKED)).toBe(BLOCKED)
  })
})

describe('HELLO and the client protocol', () => {
  it('HELLO 3 answers a map and switches replies to RESP3; RESET goes back to 2', () => {
    const t = createTestEngine()
    const hello = t.exec('hello', '3')
    expect(hello.type).toBe('map')
    expect(respEncode(hello)).toContain('$5\r\nproto\r\n:3\r\n')
    t.exec('hset', 'h', 'f', 'v')
    expect(respEncode(t.exec('hgetall', 'h'))).toBe('%1\r\n$1\r\nf\r\n$1\r\nv\r\n')
    expect(t.exec('get', 'nosuch')).toEqual(NULL)
    t.exec('zadd', 'z', '1.5', 'a')
    expect(t.exec('zscore', 'z', 'a')).toEqual({ type: 'double', value: '1.5' })
    expect(t.exec('reset')).toEqual({ type: 'simple', value: 'RESET' })
    expect(t.exec('hgetall', 'h')).toEqual(array([bulk('f'), bulk('v')]))
    expect(t.exec('get', 'nosuch')).toEqual(NIL)
  })

  it('a RESP2 client sees exactly the RESP2 replies', () => {
    const t = createTestEngine()
    t.exec('zadd', 'z', '1.5', 'a')
    expect(t.exec('zscore', 'z', 'a')).toEqual(bulk('1.5'))
    expect(t.exec('zrange', 'z', '0', '-1', 'withscores')).toEqual(array([bulk('a'), bulk('1.5')]))
    expect(t.exec('debug', 'protocol', 'map').type).toBe('array')
  })
})
