import { describe, expect, it } from 'vitest'
import { formatReply, quoteBytes } from '../../src/console/formatReply.ts'
import type { Reply } from '../../src/engine/reply.ts'

const bulk = (v: string | null): Reply => ({ type: 'bulk', value: v })
const int = (v: number): Reply => ({ type: 'integer', value: v })
const arr = (v: Reply[] | null): Reply => ({ type: 'array', value: v })

// Expected strings were printed by redis-cli 7.0.15 --no-raw against redis-server 7.0.15.
const cases: [string, Reply, string][] = [
  ['simple', { type: 'simple', value: 'OK' }, 'OK'],
  ['bulk', bulk('bar'), '"bar"'],
  ['nil bulk', bulk(null), '(nil)'],
  ['integer', int(1), '(integer) 1'],
  ['bigint', { type: 'integer', value: 9223372036854775807n }, '(integer) 9223372036854775807'],
  [
    'error',
    { type: 'error', value: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
    '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
  ],
  ['empty array', arr([]), '(empty array)'],
  ['nil array', arr(null), '(nil)'],
  ['array with nil', arr([bulk(null)]), '1) (nil)'],
  [
    'eleven elements align the index',
    arr('abcdefghijk'.split('').map(bulk)),
    [
      ' 1) "a"',
      ' 2) "b"',
      ' 3) "c"',
      ' 4) "d"',
      ' 5) "e"',
      ' 6) "f"',
      ' 7) "g"',
      ' 8) "h"',
      ' 9) "i"',
      '10) "j"',
      '11) "k"',
    ].join('\n'),
  ],
  [
    'nested arrays',
    arr([int(1), arr([int(2), arr([int(3), bulk('x')])]), arr([]), bulk('a')]),
    [
      '1) (integer) 1',
      '2) 1) (integer) 2',
      '   2) 1) (integer) 3',
      '      2) "x"',
      '3) (empty array)',
      '4) "a"',
    ].join('\n'),
  ],
  [
    'nested after a wide index',
    arr([...Array.from({ length: 10 }, (_, i) => int(i + 1)), arr([bulk('a'), bulk('b')])]),
    [
      ...Array.from(
        { length: 10 },
        (_, i) => `${String(i + 1).padStart(2)}) (integer) ${String(i + 1)}`,
      ),
      '11) 1) "a"',
      '    2) "b"',
    ].join('\n'),
  ],
  [
    'error inside array',
    arr([int(1), { type: 'error', value: 'ERR inner' }, bulk(null)]),
    '1) (integer) 1\n2) (error) ERR inner\n3) (nil)',
  ],
]

describe('formatReply (redis-cli TTY output)', () => {
  it.each(cases)('%s', (_name, reply, expected) => {
    expect(formatReply(reply)).toBe(expected)
  })

  it('escapes bytes exactly as sdscatrepr with utf8 off', () => {
    expect(formatReply(bulk('a\x01b"c\\d\n\t\r\xe4\xb8\xad'), { utf8: false })).toBe(
      '"a\\x01b\\"c\\\\d\\n\\t\\r\\xe4\\xb8\\xad"',
    )
    expect(quoteBytes('\x07\x08\x7f\xff', false)).toBe('"\\a\\b\\x7f\\xff"')
  })

  it('shows valid UTF-8 as text and invalid bytes escaped with utf8 on', () => {
    expect(formatReply(bulk('\xe4\xb8\xad\xe6\x96\x87'))).toBe('"中文"')
    expect(formatReply(bulk('\xe4\xb8'))).toBe('"\\xe4\\xb8"')
    expect(formatReply(bulk('\xc2\x85'))).toBe('"\\xc2\\x85"')
    expect(formatReply(bulk('ok\xff'))).toBe('"ok\\xff"')
  })
})
