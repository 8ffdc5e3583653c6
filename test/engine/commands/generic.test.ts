/**
 * Keyspace commands against replies recorded from redis-server 7.0.15 (the script table
 * was produced by running it on the oracle; hash-order-dependent replies are checked
 * separately, sorted), plus SCAN, RANDOMKEY and OBJECT details.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'
import type { Reply } from '../../../src/engine/index.ts'

/** The elements of a SCAN reply: [cursor, keys]. */
function scanParts(reply: Reply): { cursor: string; keys: string[] } {
  if (reply.type !== 'array' || reply.value === null) throw new Error('not a SCAN reply')
  const [c, k] = reply.value
  if (c?.type !== 'bulk' || k?.type !== 'array' || k.value === null) throw new Error('bad reply')
  return {
    cursor: c.value ?? '',
    keys: k.value.map((e) => (e.type === 'bulk' ? (e.value ?? '') : '')),
  }
}

/** The bulk strings of an array reply, sorted. */
function sortedBulks(reply: Reply): string[] {
  if (reply.type !== 'array' || reply.value === null) throw new Error('not an array')
  return reply.value.map((e) => (e.type === 'bulk' ? (e.value ?? '') : '')).sort()
}

describe('keyspace commands: recorded redis 7.0.15 script', () => {
  const script: [string[], Reply][] = [
    [['MSET', 'a', '1', 'b', '2', 'c', '3'], r.ok],
    [['DEL', 'a', 'b', 'nokey'], r.int(2)],
    [['DEL', 'a'], r.int(0)],
    [['UNLINK', 'c'], r.int(1)],
    [['EXISTS', 'a', 'b', 'c'], r.int(0)],
    [['SET', 'x', '1'], r.ok],
    [['EXISTS', 'x', 'x', 'x', 'nokey'], r.int(3)],
    [['TYPE', 'x'], r.simple('string')],
    [['TYPE', 'nokey'], r.simple('none')],
    [['RENAME', 'x', 'y'], r.ok],
    [['GET', 'y'], r.bulk('1')],
    [['RENAME', 'nokey', 'z'], r.err('ERR no such key')],
    [['RENAME', 'y', 'y'], r.ok],
    [['RENAMENX', 'y', 'y'], r.int(0)],
    [['RENAMENX', 'nokey', 'y'], r.err('ERR no such key')],
    [['SET', 'z', '2'], r.ok],
    [['RENAMENX', 'y', 'z'], r.int(0)],
    [['RENAME', 'y', 'z'], r.ok],
    [['GET', 'z'], r.bulk('1')],
    [['SET', 't', '1'], r.ok],
    [['EXPIRE', 't', '100'], r.int(1)],
    [['RENAME', 't', 't2'], r.ok],
    [['TTL', 't2'], r.int(100)],
    [['MOVE', 't2', '1'], r.int(1)],
    [['MOVE', 't2', '1'], r.int(0)],
    [['MOVE', 'nokey', '1'], r.int(0)],
    [['MOVE', 't2', '0'], r.err('ERR source and destination objects are the same')],
    [['MOVE', 't2', '16'], r.err('ERR DB index is out of range')],
    [['MOVE', 't2', '-1'], r.err('ERR DB index is out of range')],
    [['MOVE', 't2', 'abc'], r.err('ERR value is not an integer or out of range')],
    [
      ['MOVE', 't2', '99999999999'],
      r.err('ERR value is out of range, value must between -2147483648 and 2147483647'),
    ],
    [['SELECT', '1'], r.ok],
    [['TTL', 't2'], r.int(100)],
    [['MOVE', 't2', '0'], r.int(1)],
    [['SELECT', '0'], r.ok],
    [['SET', 'c1', '10'], r.ok],
    [['COPY', 'c1', 'c2'], r.int(1)],
    [['OBJECT', 'REFCOUNT', 'c2'], r.int(1)],
    [['OBJECT', 'ENCODING', 'c2'], r.bulk('int')],
    [['COPY', 'c1', 'c2'], r.int(0)],
    [['COPY', 'c1', 'c2', 'REPLACE'], r.int(1)],
    [['COPY', 'c1', 'c1'], r.err('ERR source and destination objects are the same')],
    [['COPY', 'c1', 'c1', 'DB', '0'], r.err('ERR source and destination objects are the same')],
    [['COPY', 'c1', 'c1', 'DB', '1'], r.int(1)],
    [['COPY', 'c1', 'c3', 'DB', '16'], r.err('ERR DB index is out of range')],
    [['COPY', 'c1', 'c3', 'DB', 'abc'], r.err('ERR value is not an integer or out of range')],
    [['COPY', 'c1', 'c3', 'FOO'], r.err('ERR syntax error')],
    [['COPY', 'c1', 'c3', 'DB'], r.err('ERR syntax error')],
    [['COPY', 'nokey', 'c3'], r.int(0)],
    [['SET', 'big', '123456789'], r.ok],
    [['COPY', 'big', 'big2'], r.int(1)],
    [['OBJECT', 'REFCOUNT', 'big2'], r.int(1)],
    [['SET', 'emb', 'hello'], r.ok],
    [['COPY', 'emb', 'emb2'], r.int(1)],
    [['OBJECT', 'ENCODING', 'emb2'], r.bulk('embstr')],
    [['SET', 'raw', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'], r.ok],
    [['COPY', 'raw', 'raw2'], r.int(1)],
    [['OBJECT', 'ENCODING', 'raw2'], r.bulk('raw')],
    [['EXPIRE', 'e1', '10'], r.int(0)],
    [['SET', 'e1', 'v'], r.ok],
    [['EXPIRE', 'e1', 'abc'], r.err('ERR value is not an integer or out of range')],
    [['EXPIRE', 'e1', '10', 'FOO'], r.err('ERR Unsupported option FOO')],
    [
      ['EXPIRE', 'e1', '10', 'NX', 'XX'],
      r.err('ERR NX and XX, GT or LT options at the same time are not compatible'),
    ],
    [
      ['EXPIRE', 'e1', '10', 'GT', 'LT'],
      r.err('ERR GT and LT options at the same time are not compatible'),
    ],
    [
      ['EXPIRE', 'e1', '10', 'NX', 'GT'],
      r.err('ERR NX and XX, GT or LT options at the same time are not compatible'),
    ],
    [['EXPIRE', 'e1', '10', 'XX'], r.int(0)],
    [['EXPIRE', 'e1', '10', 'NX'], r.int(1)],
    [['EXPIRE', 'e1', '10', 'NX'], r.int(0)],
    [['TTL', 'e1'], r.int(10)],
    [['EXPIRE', 'e1', '20', 'XX'], r.int(1)],
    [['TTL', 'e1'], r.int(20)],
    [['EXPIRE', 'e1', '10', 'GT'], r.int(0)],
    [['EXPIRE', 'e1', '30', 'GT'], r.int(1)],
    [['EXPIRE', 'e1', '40', 'LT'], r.int(0)],
    [['EXPIRE', 'e1', '5', 'LT'], r.int(1)],
    [['TTL', 'e1'], r.int(5)],
    [['PERSIST', 'e1'], r.int(1)],
    [['EXPIRE', 'e1', '10', 'GT'], r.int(0)],
    [['EXPIRE', 'e1', '10', 'LT'], r.int(1)],
    [['TTL', 'e1'], r.int(10)],
    [['EXPIRE', 'e1', '9223372036854775807'], r.err("ERR invalid expire time in 'expire' command")],
    [['EXPIRE', 'e1', '9223372036854775'], r.err("ERR invalid expire time in 'expire' command")],
    [['EXPIRE', 'e1', '-9223372036854775'], r.int(1)],
    [['EXPIRE', 'e1', '-9223372036854776'], r.err("ERR invalid expire time in 'expire' command")],
    [
      ['PEXPIRE', 'e1', '9223372036854775807'],
      r.err("ERR invalid expire time in 'pexpire' command"),
    ],
    [['PEXPIREAT', 'e1', '9223372036854775807'], r.int(0)],
    [['PEXPIRETIME', 'e1'], r.int(-2)],
    [['EXPIREAT', 'e1', '99999999999'], r.int(0)],
    [['EXPIRETIME', 'e1'], r.int(-2)],
    [['PEXPIRETIME', 'e1'], r.int(-2)],
    [['EXPIRE', 'e1', '0'], r.int(0)],
    [['EXISTS', 'e1'], r.int(0)],
    [['SET', 'e2', 'v'], r.ok],
    [['EXPIRE', 'e2', '-1'], r.int(1)],
    [['EXISTS', 'e2'], r.int(0)],
    [['SET', 'e3', 'v'], r.ok],
    [['PEXPIREAT', 'e3', '1'], r.int(1)],
    [['EXISTS', 'e3'], r.int(0)],
    [['TTL', 'nokey'], r.int(-2)],
    [['PTTL', 'nokey'], r.int(-2)],
    [['EXPIRETIME', 'nokey'], r.int(-2)],
    [['SET', 'p', 'v'], r.ok],
    [['TTL', 'p'], r.int(-1)],
    [['PTTL', 'p'], r.int(-1)],
    [['EXPIRETIME', 'p'], r.int(-1)],
    [['PERSIST', 'p'], r.int(0)],
    [['PERSIST', 'nokey'], r.int(0)],
    [['PSETEX', 'p', '1499', 'v'], r.ok],
    [['TTL', 'p'], r.int(1)],
    [['PSETEX', 'p', '1500', 'v'], r.ok],
    [['TTL', 'p'], r.int(2)],
    [['PSETEX', 'p', '501', 'v'], r.ok],
    [['TTL', 'p'], r.int(1)],
    [['PSETEX', 'p', '499', 'v'], r.ok],
    [['TTL', 'p'], r.int(0)],
    [['TOUCH', 'p', 'nokey', 'p'], r.int(2)],
    [['OBJECT', 'ENCODING', 'nokey'], r.bulk(null)],
    [['OBJECT', 'REFCOUNT', 'nokey'], r.bulk(null)],
    [
      ['OBJECT', 'FREQ', 'p'],
      r.err(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    ],
    [['OBJECT', 'IDLETIME', 'p'], r.int(0)],
    [['OBJECT', 'FOO'], r.err("ERR unknown subcommand 'FOO'. Try OBJECT HELP.")],
    [['OBJECT', 'ENCODING'], r.err("ERR wrong number of arguments for 'object|encoding' command")],
    [
      ['OBJECT', 'ENCODING', 'a', 'b'],
      r.err("ERR wrong number of arguments for 'object|encoding' command"),
    ],
    [['OBJECT'], r.err("ERR wrong number of arguments for 'object' command")],
    [['FLUSHALL'], r.ok],
    [['FLUSHALL'], r.ok],
    [['SET', 'only1', 'v'], r.ok],
    [['SCAN', '0'], r.arr([r.bulk('0'), r.bulks('only1')])],
    [['SCAN', 'abc'], r.err('ERR invalid cursor')],
    [['SCAN', ' 0'], r.err('ERR invalid cursor')],
    [['SCAN', '0x'], r.err('ERR invalid cursor')],
    [['SCAN', '18446744073709551616'], r.err('ERR invalid cursor')],
    [['SCAN', '0', 'COUNT', '0'], r.err('ERR syntax error')],
    [['SCAN', '0', 'COUNT', '-1'], r.err('ERR syntax error')],
    [['SCAN', '0', 'COUNT', 'abc'], r.err('ERR value is not an integer or out of range')],
    [['SCAN', '0', 'FOO'], r.err('ERR syntax error')],
    [['SCAN', '0', 'MATCH'], r.err('ERR syntax error')],
    [['SCAN', '0', 'COUNT'], r.err('ERR syntax error')],
    [['SCAN', '0', 'TYPE'], r.err('ERR syntax error')],
    [['SCAN', '', 'COUNT', '100'], r.arr([r.bulk('0'), r.bulks('only1')])],
    [['SCAN', '+0', 'COUNT', '100'], r.arr([r.bulk('0'), r.bulks('only1')])],
    [['SCAN', '0', 'MATCH', 'x*'], r.arr([r.bulk('0'), r.bulks()])],
    [['SCAN', '0', 'TYPE', 'hash'], r.arr([r.bulk('0'), r.bulks()])],
    [['SCAN', '0', 'TYPE', 'STRING'], r.arr([r.bulk('0'), r.bulks('only1')])],
    [['KEYS', '*'], r.bulks('only1')],
    [['KEYS', 'only?'], r.bulks('only1')],
    [['KEYS', 'nomatch*'], r.bulks()],
    [['RANDOMKEY'], r.bulk('only1')],
    [['HSET', 'hh', 'f', 'v'], r.int(1)],
    [['TYPE', 'hh'], r.simple('hash')],
    [['OBJECT', 'ENCODING', 'hh'], r.bulk('listpack')],
    [['INCR', 'hh'], r.err('WRONGTYPE Operation against a key holding the wrong kind of value')],
  ]
  it(`replies exactly as redis does to ${String(script.length)} commands`, () => {
    const t = createTestEngine()
    for (const [argv, expected] of script) expect(t.exec(...argv), argv.join(' ')).toEqual(expected)
  })
})

describe('KEYS', () => {
  it('matches glob patterns over the whole keyspace (order is the hash order; compared sorted)', () => {
    const t = createTestEngine()
    t.exec('MSET', 'k1', '1', 'k2', '2', 'k3', '3', 'ak1', 'x', 'bk2', 'y', 'k10', 'z', 'k*', 's')
    // Expected sets recorded from redis 7.0.15.
    expect(sortedBulks(t.exec('KEYS', '*'))).toEqual(['ak1', 'bk2', 'k*', 'k1', 'k10', 'k2', 'k3'])
    expect(sortedBulks(t.exec('KEYS', 'k?'))).toEqual(['k*', 'k1', 'k2', 'k3'])
    expect(sortedBulks(t.exec('KEYS', '*k[12]*'))).toEqual(['ak1', 'bk2', 'k1', 'k10', 'k2'])
    expect(sortedBulks(t.exec('KEYS', '[^k]*'))).toEqual(['ak1', 'bk2'])
    expect(sortedBulks(t.exec('KEYS', 'k\\*'))).toEqual(['k*'])
    expect(t.exec('KEYS', '')).toEqual(r.bulks())
  })
  it('skips logically expired keys without deleting them', () => {
    const t = createTestEngine()
    t.exec('SET', 'live', '1')
    t.exec('SET', 'dead', '1', 'PX', '10')
    t.clock.advance(11)
    expect(t.exec('KEYS', '*')).toEqual(r.bulks('live'))
    expect(t.exec('DBSIZE')).toEqual(r.int(2))
  })
})

describe('SCAN', () => {
  it('visits the buckets of an 8-bucket table in reverse-binary order 0 4 2 6 1 5 3 7', () => {
    const t = createTestEngine()
    // 8 keys → table of 8 buckets after the expand from 4.
    for (let i = 0; i < 8; i++) t.exec('SET', `key:${String(i)}`, 'v')
    t.tick(1000) // let cron finish any rehash
    const seen: string[] = []
    const cursors: string[] = []
    let cursor = '0'
    do {
      const { cursor: next, keys } = scanParts(t.exec('SCAN', cursor, 'COUNT', '1'))
      cursors.push(next)
      seen.push(...keys)
      cursor = next
    } while (cursor !== '0')
    expect(seen.slice().sort()).toEqual([...Array(8).keys()].map((i) => `key:${String(i)}`))
    const order = ['4', '2', '6', '1', '5', '3', '7', '0']
    // Each call stops after the first non-empty bucket, so the cursors are a subsequence.
    let k = 0
    for (const c of cursors) {
      while (k < order.length && order[k] !== c) k++
      expect(k, `cursor ${c} out of reverse-binary order in ${cursors.join(',')}`).toBeLessThan(
        order.length,
      )
    }
  })
  it('returns every key present for the whole scan, even while the table grows', () => {
    const t = createTestEngine({ seed: 7 })
    for (let i = 0; i < 100; i++) t.exec('SET', `orig:${String(i)}`, 'v')
    const seen = new Set<string>()
    let cursor = '0'
    let round = 0
    do {
      const { cursor: next, keys } = scanParts(t.exec('SCAN', cursor, 'COUNT', '5'))
      for (const k of keys) seen.add(k)
      // Grow the keyspace mid-scan (forces expands and incremental rehashing).
      for (let i = 0; i < 20; i++) t.exec('SET', `new:${String(round)}:${String(i)}`, 'v')
      round++
      cursor = next
    } while (cursor !== '0')
    for (let i = 0; i < 100; i++) expect(seen.has(`orig:${String(i)}`)).toBe(true)
  })
  it('filters after collecting: MATCH, TYPE, and expired keys (which it deletes)', () => {
    const t = createTestEngine()
    t.exec('SET', 'a1', 'v')
    t.exec('SET', 'a2', 'v', 'PX', '5')
    t.exec('HSET', 'a3', 'f', 'v')
    t.exec('SET', 'b1', 'v')
    t.clock.advance(10)
    expect(sortedBulks(scanAll(t, 'MATCH', 'a*'))).toEqual(['a1', 'a3'])
    expect(sortedBulks(scanAll(t, 'TYPE', 'hash'))).toEqual(['a3'])
    expect(sortedBulks(scanAll(t, 'TYPE', 'STRING'))).toEqual(['a1', 'b1'])
    expect(t.exec('DBSIZE')).toEqual(r.int(3))
  })
  it('answers an empty keyspace with cursor 0 whatever the cursor', () => {
    const t = createTestEngine()
    expect(t.exec('SCAN', '5')).toEqual(r.arr([r.bulk('0'), r.bulks()]))
  })
})

/** One SCAN call with a COUNT large enough for the whole keyspace. */
function scanAll(t: ReturnType<typeof createTestEngine>, ...opts: string[]): Reply {
  const reply = t.exec('SCAN', '0', 'COUNT', '1000', ...opts)
  return r.bulks(...scanParts(reply).keys)
}

describe('RANDOMKEY', () => {
  it('returns nil on an empty db and a live key otherwise, deleting expired picks', () => {
    const t = createTestEngine({ seed: 3 })
    expect(t.exec('RANDOMKEY')).toEqual(r.bulk(null))
    for (let i = 0; i < 20; i++) t.exec('SET', `dead:${String(i)}`, 'v', 'PX', '1')
    t.exec('SET', 'live', 'v')
    t.clock.advance(5)
    for (let i = 0; i < 5; i++) expect(t.exec('RANDOMKEY')).toEqual(r.bulk('live'))
    expect(Number((t.exec('DBSIZE') as { value: number }).value)).toBeLessThan(21)
  })
  it('is deterministic for a seed', () => {
    const picks = (seed: number): Reply[] => {
      const t = createTestEngine({ seed })
      for (let i = 0; i < 50; i++) t.exec('SET', `k${String(i)}`, 'v')
      return [1, 2, 3, 4, 5].map(() => t.exec('RANDOMKEY'))
    }
    expect(picks(11)).toEqual(picks(11))
  })
})

describe('TTL rounding and expiry with a manual clock', () => {
  it('rounds TTL as (ms + 500) / 1000', () => {
    const t = createTestEngine()
    const ttlAfter = (ms: number): Reply => {
      t.exec('PSETEX', 'p', String(ms), 'v')
      return t.exec('TTL', 'p')
    }
    expect(ttlAfter(1499)).toEqual(r.int(1))
    expect(ttlAfter(1500)).toEqual(r.int(2))
    expect(ttlAfter(501)).toEqual(r.int(1))
    expect(ttlAfter(499)).toEqual(r.int(0))
    t.exec('PSETEX', 'p', '1000', 'v')
    t.clock.advance(400)
    expect(t.exec('PTTL', 'p')).toEqual(r.int(600))
    expect(t.exec('TTL', 'p')).toEqual(r.int(1))
  })
  it('EXPIRE with a time not in the future deletes the key and replies 1', () => {
    const t = createTestEngine()
    t.exec('SET', 'k', 'v')
    expect(t.exec('PEXPIREAT', 'k', String(t.clock.now()))).toEqual(r.int(1))
    expect(t.exec('EXISTS', 'k')).toEqual(r.int(0))
  })
})

describe('OBJECT', () => {
  it('prints the exact HELP text', () => {
    const t = createTestEngine()
    const lines = [
      'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'ENCODING <key>',
      '    Return the kind of internal representation used in order to store the value',
      '    associated with a <key>.',
      'FREQ <key>',
      '    Return the access frequency index of the <key>. The returned integer is',
      '    proportional to the logarithm of the recent access frequency of the key.',
      'IDLETIME <key>',
      '    Return the idle time of the <key>, that is the approximated number of',
      '    seconds elapsed since the last access to the key.',
      'REFCOUNT <key>',
      '    Return the number of references of the value associated with the specified',
      '    <key>.',
      'HELP',
      '    Prints this help.',
    ]
    expect(t.exec('object', 'help')).toEqual(r.arr(lines.map((l) => r.simple(l))))
  })
  it('FREQ needs an LFU policy and IDLETIME refuses one', () => {
    const lru = createTestEngine()
    lru.exec('SET', 'k', 'hello')
    expect(lru.exec('OBJECT', 'FREQ', 'k')).toEqual(
      r.err(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    )
    lru.tick(5000)
    expect(lru.exec('OBJECT', 'IDLETIME', 'k')).toEqual(r.int(5))
    lru.exec('GET', 'k')
    expect(lru.exec('OBJECT', 'IDLETIME', 'k')).toEqual(r.int(0))
    const lfu = createTestEngine({ config: { 'maxmemory-policy': 'allkeys-lfu' } })
    lfu.exec('SET', 'k', 'hello')
    expect(lfu.exec('OBJECT', 'FREQ', 'k')).toEqual(r.int(5))
    expect(lfu.exec('OBJECT', 'IDLETIME', 'k')).toEqual(
      r.err(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    )
    // With maxmemory 0 integers stay shared; made at startup under LFU, they read 5 (as in
    // redis-server 7.0.15 started with allkeys-lfu).
    lfu.exec('SET', 'n', '1')
    expect(lfu.exec('OBJECT', 'FREQ', 'n')).toEqual(r.int(5))
    // Under LRU a shared integer's idle time counts from server start (redis-server too).
    const lru2 = createTestEngine()
    lru2.tick(7000)
    lru2.exec('SET', 'n', '100')
    lru2.exec('SET', 's', 'str')
    expect(lru2.exec('OBJECT', 'IDLETIME', 'n')).toEqual(r.int(7))
    expect(lru2.exec('OBJECT', 'IDLETIME', 's')).toEqual(r.int(0))
  })
  it('COPY gives a shared integer a private int object', () => {
    const t = createTestEngine()
    t.exec('SET', 'a', '10')
    t.exec('COPY', 'a', 'b')
    expect(t.exec('OBJECT', 'REFCOUNT', 'a')).toEqual(r.int(2147483647))
    expect(t.exec('OBJECT', 'REFCOUNT', 'b')).toEqual(r.int(1))
    expect(t.exec('OBJECT', 'ENCODING', 'b')).toEqual(r.bulk('int'))
  })
})
