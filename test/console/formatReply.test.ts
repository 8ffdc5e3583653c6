import { describe, expect, it } from 'vitest'
import { formatReply, quoteBytes, quoteBytesCut, showReply } from '../../src/console/formatReply.ts'
import { cliOutputRaw } from '../../src/state/store.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { createServer } from '../../src/engine/index.ts'
import { manualClock } from '../../src/engine/clock.ts'
import { error } from '../../src/engine/reply.ts'
import { utf8ToBytes } from '../../src/engine/bytes.ts'

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

  it('quotes only the head of a huge value and counts the bytes left out (quoteBytesCut)', () => {
    const s = 'ab"c\\\n\xe4\xb8\xad\xff plain text \x01'.repeat(50)
    for (const utf8 of [true, false]) {
      const whole = quoteBytes(s, utf8)
      for (const max of [0, 1, 7, 100, whole.length - 1, whole.length, whole.length + 5]) {
        const cut = quoteBytesCut(s, utf8, max)
        expect(cut.text).toBe(whole.slice(0, max))
        // The bytes left out are a tail of s; every byte before it is shown whole.
        const shownWhole = quoteBytes(s.slice(0, s.length - cut.moreBytes), utf8).slice(0, -1)
        expect(cut.text.startsWith(shownWhole)).toBe(max > 0) // max 0: not even the quote
        expect(cut.moreBytes === 0).toBe(max >= whole.length - 1)
      }
    }
    const shown = showReply(bulk(`\n${'x'.repeat(300_000)}`), { maxChars: 1000 })
    expect(shown.text).toBe(`"\\n${'x'.repeat(997)}`)
    expect(shown.moreBytes).toBe(300_001 - 998)
    // A byte whose escape is cut short counts as left out.
    expect(quoteBytesCut('ab\x00c', false, 5)).toEqual({ text: '"ab\\x', moreBytes: 2 })
    expect(shown.moreChars).toBe(0)
  })

  it('leaves the bytes past the cut alone: a 64 MB string of zero bytes (SETRANGE far out)', () => {
    // GET of such a value quoted, then counted, every byte of the tail: the page froze for a
    // minute on the 512 MB string SETRANGE key 536870000 x makes.
    const zeros = '\x00'.repeat(64 << 20)
    expect(quoteBytesCut(zeros, true, 9)).toEqual({
      text: '"\\x00\\x00',
      moreBytes: (64 << 20) - 2,
    })
    expect(showReply(bulk(zeros), { maxChars: 5 })).toEqual({
      text: '"\\x00',
      moreLines: 0,
      moreChars: 0,
      moreBytes: (64 << 20) - 1,
    })
  })

  it('shows error and status text as a terminal shows the raw bytes redis-cli prints', () => {
    const engine = createServer({ seed: 1, clock: manualClock(0) })
    // As the console sends a typed line: each argument's UTF-8 bytes.
    const reply = engine.call(['用户:张三', 'café'].map(utf8ToBytes))
    expect(formatReply(reply)).toBe(
      "(error) ERR unknown command '用户:张三', with args beginning with: 'café' ",
    )
    expect(formatReply(reply, { utf8: false })).toBe(formatReply(reply))
    expect(showReply(reply, { raw: true }).text).toBe(
      "ERR unknown command '用户:张三', with args beginning with: 'café' ",
    )
    expect(formatReply(error('ERR bad \xff'))).toBe('(error) ERR bad \ufffd')
  })

  it('shows valid UTF-8 as text and invalid bytes escaped with utf8 on', () => {
    expect(formatReply(bulk('\xe4\xb8\xad\xe6\x96\x87'))).toBe('"中文"')
    expect(formatReply(bulk('\xe4\xb8'))).toBe('"\\xe4\\xb8"')
    expect(formatReply(bulk('\xc2\x85'))).toBe('"\\xc2\\x85"')
    expect(formatReply(bulk('ok\xff'))).toBe('"ok\\xff"')
  })
})

describe('showReply (what the console lays out)', () => {
  it('prints exactly formatReply while the reply is small', () => {
    for (const [, reply, expected] of cases)
      expect(showReply(reply)).toEqual({ text: expected, moreLines: 0, moreChars: 0, moreBytes: 0 })
  })

  it('keeps the first lines of a huge array and counts the rest without formatting them', () => {
    const keys = arr(Array.from({ length: 1_000_000 }, (_, i) => bulk(`key:${String(i)}`)))
    const shown = showReply(keys, { maxLines: 3 })
    expect(shown).toEqual({
      text: '      1) "key:0"\n      2) "key:1"\n      3) "key:2"',
      moreLines: 999_997,
      moreChars: 0,
      moreBytes: 0,
    })
    const nested = arr([arr([bulk('a'), bulk('b')]), arr([bulk('c'), arr([])])])
    expect(showReply(nested, { maxLines: 1 })).toEqual({
      text: '1) 1) "a"',
      moreLines: 3,
      moreChars: 0,
      moreBytes: 0,
    })
  })

  it('cuts a 1 MB value at the character limit', () => {
    const shown = showReply(bulk('x'.repeat(1 << 20)), { maxChars: 10 })
    expect(shown.text).toBe('"xxxxxxxxx')
    expect(shown.moreBytes).toBe((1 << 20) - 9)
  })

  it('prints INFO-like replies raw, as redis-cli does (cliFormatReplyRaw)', () => {
    const info = bulk('# Memory\r\nused_memory:975344\r\nmaxmemory:0\r\n')
    expect(showReply(info, { raw: true }).text).toBe('# Memory\nused_memory:975344\nmaxmemory:0')
    expect(showReply({ type: 'error', value: 'ERR syntax error' }, { raw: true }).text).toBe(
      'ERR syntax error',
    )
    expect(showReply(arr([bulk('a'), int(2)]), { raw: true }).text).toBe('a\n2')
    expect(showReply(bulk('\xe4\xb8\xad'), { raw: true }).text).toBe('中')
  })
})

describe('cliOutputRaw (redis-cli.c cliSendCommand output_raw)', () => {
  it.each([
    [['INFO'], true],
    [['info', 'memory'], true],
    [['DEBUG', 'HTSTATS', '0'], true],
    [['debug', 'htstats-key', 'k'], true],
    [['MEMORY', 'DOCTOR'], true],
    [['CLIENT', 'LIST'], true],
    [['CLIENT', 'INFO'], true],
    [['LATENCY', 'DOCTOR'], true],
    [['LATENCY', 'GRAPH', 'command'], true],
    [['CLUSTER', 'INFO'], true],
    [['DEBUG', 'OBJECT', 'k'], false],
    [['MEMORY', 'USAGE', 'k'], false],
    [['CLIENT', 'ID'], false],
    [['GET', 'info'], false],
  ])('%j → %s', (argv, raw) => {
    expect(cliOutputRaw(argv)).toBe(raw)
  })
})
