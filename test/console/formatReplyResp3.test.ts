/**
 * RESP3 replies in the console: the expected texts were printed by `redis-cli -3` (7.0.15) on
 * a terminal against redis-server 7.0.15 holding the same data (ZADD z 1 a 2.5 b, XADD x 1-1
 * a 1, HSET h f1 v1); both the whole-reply formatter and the line-limited one must give them.
 */
import { describe, expect, it } from 'vitest'
import { formatReply, showReply } from '../../src/console/formatReply.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { createTestEngine } from '../harness/TestEngine.ts'

const REDIS_CLI_3: [string[], string][] = [
  [
    ['command', 'docs', 'get'],
    `1# "get" => 
   1# "summary" => "Get the value of a key"
   2# "since" => "1.0.0"
   3# "group" => "string"
   4# "complexity" => "O(1)"
   5# "arguments" => 
      1) 1# "name" => "key"
         2# "type" => "key"
         3# "key_spec_index" => (integer) 0`,
  ],
  [
    ['xinfo', 'stream', 'x'],
    ` 1# "length" => (integer) 1
 2# "radix-tree-keys" => (integer) 1
 3# "radix-tree-nodes" => (integer) 2
 4# "last-generated-id" => "1-1"
 5# "max-deleted-entry-id" => "0-0"
 6# "entries-added" => (integer) 1
 7# "recorded-first-entry-id" => "1-1"
 8# "groups" => (integer) 0
 9# "first-entry" => 
    1) "1-1"
    2) 1) "a"
       2) "1"
10# "last-entry" => 
    1) "1-1"
    2) 1) "a"
       2) "1"`,
  ],
  [
    ['zrange', 'z', '0', '-1', 'withscores'],
    `1) 1) "a"
   2) (double) 1
2) 1) "b"
   2) (double) 2.5`,
  ],
  [['hgetall', 'h'], '1# "f1" => "v1"'],
  [
    ['debug', 'protocol', 'map'],
    `1# (integer) 0 => (false)
2# (integer) 1 => (true)
3# (integer) 2 => (false)`,
  ],
  [
    ['debug', 'protocol', 'set'],
    `1~ (integer) 0
2~ (integer) 1
3~ (integer) 2`,
  ],
  [['debug', 'protocol', 'verbatim'], 'This is a verbatim\nstring'],
  [['debug', 'protocol', 'double'], '(double) 3.141'],
  [['debug', 'protocol', 'true'], '(true)'],
  [['debug', 'protocol', 'false'], '(false)'],
  [['debug', 'protocol', 'null'], '(nil)'],
  [['zscore', 'z', 'nosuch'], '(nil)'],
  [['hgetall', 'nosuch'], '(empty hash)'],
  [['smembers', 'nosuch'], '(empty set)'],
  [['config', 'get', 'maxmemory'], '1# "maxmemory" => "0"'],
  [['config', 'get', 'nomatch'], '(empty hash)'],
  [
    ['xread', 'streams', 'x', '0'],
    `1# "x" => 
   1) 1) "1-1"
      2) 1) "a"
         2) "1"`,
  ],
  [
    ['debug', 'protocol', 'push'],
    `1) "server-cpu-usage"
2) (integer) 42
"Some real reply following the push reply"`,
  ],
  [
    ['lcs', 'nosuch1', 'nosuch2', 'idx'],
    `1# "matches" => (empty array)
2# "len" => (integer) 0`,
  ],
]

function resp3Engine(): (...argv: string[]) => Reply {
  const t = createTestEngine()
  t.exec('hello', '3')
  t.exec('zadd', 'z', '1', 'a', '2.5', 'b')
  t.exec('xadd', 'x', '1-1', 'a', '1')
  t.exec('hset', 'h', 'f1', 'v1')
  return (...argv) => t.exec(...argv)
}

describe('console formatting of RESP3 replies (redis-cli -3 TTY)', () => {
  const exec = resp3Engine()
  for (const [argv, expected] of REDIS_CLI_3) {
    it(`${argv.join(' ')} prints as redis-cli -3 does`, () => {
      const reply = exec(...argv)
      expect(formatReply(reply)).toBe(expected)
      expect(showReply(reply).text).toBe(expected)
    })
  }

  it('shows the reply an attribute comes with, not the attribute', () => {
    expect(formatReply(exec('debug', 'protocol', 'attrib'))).toBe(
      '"Some real reply following the attribute"',
    )
  })

  it('prints a big number as later redis-cli versions do', () => {
    expect(formatReply(exec('debug', 'protocol', 'bignum'))).toBe(
      '(big number) 1234567999999999999999999999999999999',
    )
  })

  it('counts the map lines it leaves out past the line limit', () => {
    const reply = exec('xinfo', 'stream', 'x')
    const full = formatReply(reply).split('\n')
    const shown = showReply(reply, { maxLines: 9 })
    expect(shown.text).toBe(full.slice(0, 9).join('\n'))
    expect(shown.moreLines).toBe(full.length - 9)
  })

  it('prints raw (INFO-like commands) maps as key value lines and verbatim text as is', () => {
    expect(showReply(exec('config', 'get', 'maxmemory'), { raw: true }).text).toBe('maxmemory 0')
    expect(showReply(exec('debug', 'protocol', 'verbatim'), { raw: true }).text).toBe(
      'This is a verbatim\nstring',
    )
  })
})
