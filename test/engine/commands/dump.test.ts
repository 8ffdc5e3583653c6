import { describe, expect, it } from 'vitest'
import { crc64, crc64ToBytesLE } from '../../../src/engine/util/crc64.ts'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

const text = (t: TestEngine, ...argv: string[]): string => {
  const reply = t.exec(...argv)
  if (reply.type !== 'bulk' && reply.type !== 'simple') throw new Error(JSON.stringify(reply))
  return reply.value ?? ''
}
const dump = (t: TestEngine, key: string): string => text(t, 'dump', key)
const serializedLength = (t: TestEngine, key: string): string =>
  /serializedlength:(\d+)/.exec(text(t, 'debug', 'object', key))?.[1] ?? ''

// Figures read from redis-server 7.0.15 (cluster.c DUMP/RESTORE, rdb.c, debug.c).
describe('DEBUG OBJECT serializedlength (rdbSavedObjectLen)', () => {
  it('matches Redis for every type, LZF and compressed quicklist nodes included', () => {
    const t = createTestEngine()
    t.exec('set', 's7', 'a'.repeat(87))
    t.exec('set', 's8', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    t.exec('set', 's4', '3000000000')
    t.exec('rpush', 'l1', 'a', 'b', 'c', '1', '2', '3', '-100', '100000', 'hello')
    t.exec('config', 'set', 'list-compress-depth', '1')
    t.exec('config', 'set', 'list-max-listpack-size', '3')
    const elements = Array.from({ length: 9 }, (_, i) => `${'a'.repeat(28)}${String(i + 1)}`)
    t.exec('rpush', 'l4', ...elements, 'b', 'c')
    t.exec('sadd', 'set1', '1', '2', '3')
    t.exec('config', 'set', 'zset-max-listpack-entries', '1')
    t.exec('zadd', 'z3', '1', 'a', '2', 'b', '3.25', 'c', '1e300', 'dd')
    t.exec('hset', 'h2', 'f', 'x'.repeat(80))
    t.exec('xadd', 'x1', '1-1', 'a', '1', 'b', '2')
    t.exec('xadd', 'x1', '1-2', 'a', '3', 'b', '4')
    t.exec('xadd', 'x1', '2-1', 'c', '5')
    const expected: Record<string, string> = {
      s7: '13',
      s8: '63',
      s4: '11',
      l1: '40',
      l4: '112',
      set1: '15',
      z3: '42',
      h2: '16',
      x1: '84',
    }
    for (const [key, len] of Object.entries(expected))
      expect([key, serializedLength(t, key)]).toEqual([key, len])
    expect(text(t, 'debug', 'object', 'l4')).toMatch(
      / ql_nodes:4 ql_avg_node:2\.75 ql_listpack_max:3 ql_compressed:1 ql_uncompressed_size:313$/,
    )
  })
})

describe('DUMP', () => {
  it('answers nil for a missing key and the RDB payload otherwise', () => {
    const t = createTestEngine()
    expect(t.exec('dump', 'nope')).toEqual(r.bulk(null))
    t.exec('set', 'k', 'hello')
    expect(dump(t, 'k')).toBe('\x00\x05hello\n\x00cr\xdfve4 \n')
    t.exec('set', 'n', '123')
    expect(dump(t, 'n').slice(0, 3)).toBe('\x00\xc0\x7b')
  })
})

describe('RESTORE', () => {
  const HELLO = '\x00\x05hello\n\x00cr\xdfve4 \n'

  it('checks options, existence, TTL, payload and format in restoreCommand order', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v')
    expect(t.exec('restore', 'k', '-1', 'junk', 'bogus')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('restore', 'k', '-1', 'junk')).toEqual(
      r.err('BUSYKEY Target key name already exists.'),
    )
    expect(t.exec('restore', 'n', '-1', 'junk')).toEqual(
      r.err('ERR Invalid TTL value, must be >= 0'),
    )
    expect(t.exec('restore', 'n', '0', 'junk')).toEqual(
      r.err('ERR DUMP payload version or checksum are wrong'),
    )
    expect(t.exec('restore', 'n', '0', HELLO, 'idletime', '1', 'freq', '1')).toEqual(
      r.err('ERR syntax error'),
    )
    expect(t.exec('restore', 'n', '0', HELLO, 'freq', '256')).toEqual(
      r.err('ERR Invalid FREQ value, must be >= 0 and <= 255'),
    )
    expect(t.exec('restore', 'n', '0', HELLO, 'idletime', '-1')).toEqual(
      r.err('ERR Invalid IDLETIME value, must be >= 0'),
    )
    // One changed byte breaks the checksum.
    const bad = '\x08' + dump(t, 'k').slice(1)
    expect(t.exec('restore', 'n', '0', bad)).toEqual(
      r.err('ERR DUMP payload version or checksum are wrong'),
    )
    // A valid checksum over an unknown type byte (8), or an empty set: bad data.
    const sign = (body: string): string =>
      body + '\n\x00' + crc64ToBytesLE(crc64(0n, body + '\n\x00'))
    expect(t.exec('restore', 'n', '0', sign('\x08\x05hello'))).toEqual(r.err('ERR Bad data format'))
    expect(t.exec('restore', 'n', '0', sign('\x02\x00'))).toEqual(r.err('ERR Bad data format'))
    expect(t.exec('restore', 'n', '0', HELLO)).toEqual(r.ok)
    expect(t.exec('get', 'n')).toEqual(r.bulk('hello'))
  })

  it('replaces, sets TTLs and creates nothing for a TTL already in the past', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'old')
    expect(t.exec('restore', 'k', '5000', HELLO, 'replace')).toEqual(r.ok)
    expect(t.exec('get', 'k')).toEqual(r.bulk('hello'))
    expect(t.exec('pttl', 'k')).toEqual(r.int(5000))
    expect(t.exec('restore', 'k', '1', HELLO, 'replace', 'absttl')).toEqual(r.ok)
    expect(t.exec('exists', 'k')).toEqual(r.int(0))
  })

  it('rebuilds encodings as rdbLoadObject does under the current config', () => {
    const t = createTestEngine()
    t.exec('sadd', 's', ...Array.from({ length: 20 }, (_, i) => String(i)))
    const intset = dump(t, 's')
    t.exec('config', 'set', 'set-max-intset-entries', '10')
    t.exec('restore', 's2', '0', intset)
    expect(t.exec('object', 'encoding', 's2')).toEqual(r.bulk('hashtable'))
    t.exec('config', 'set', 'zset-max-listpack-entries', '2')
    t.exec('zadd', 'z', '1', 'a', '2', 'b', '3', 'c')
    const skiplist = dump(t, 'z')
    t.exec('config', 'set', 'zset-max-listpack-entries', '128')
    t.exec('restore', 'z2', '0', skiplist)
    expect(t.exec('object', 'encoding', 'z2')).toEqual(r.bulk('listpack'))
    expect(t.exec('zrange', 'z2', '0', '-1')).toEqual(r.bulks('a', 'b', 'c'))
  })

  it('sets the LRU idle time or the LFU counter (objectSetLRUOrLFU)', () => {
    const t = createTestEngine()
    t.exec('restore', 'a', '0', HELLO, 'idletime', '1000')
    expect(t.exec('object', 'idletime', 'a')).toEqual(r.int(1000))
    t.exec('config', 'set', 'maxmemory-policy', 'allkeys-lfu')
    t.exec('restore', 'b', '0', HELLO, 'freq', '42')
    expect(t.exec('object', 'freq', 'b')).toEqual(r.int(42))
  })

  it('counts deep payload checks (dump_payload_sanitizations) with sanitize-dump-payload yes', () => {
    const t = createTestEngine()
    const count = (): string =>
      /dump_payload_sanitizations:(\d+)/.exec(text(t, 'info', 'stats'))?.[1] ?? ''
    t.exec('rpush', 'l', 'a', 'b')
    t.exec('sadd', 's', '1', '2')
    t.exec('hset', 'h', 'f', 'v')
    const payloads = ['l', 's', 'h'].map((k) => dump(t, k))
    for (const p of payloads) t.exec('restore', 'x', '0', p, 'replace')
    expect(count()).toBe('0')
    t.exec('config', 'set', 'sanitize-dump-payload', 'yes')
    for (const p of payloads) t.exec('restore', 'x', '0', p, 'replace')
    expect(count()).toBe('3')
    t.exec('config', 'resetstat')
    expect(count()).toBe('0')
  })

  it('touches WATCHed keys and counts a change', () => {
    const t = createTestEngine()
    t.exec('watch', 'k')
    const dirty = (): string =>
      /rdb_changes_since_last_save:(\d+)/.exec(text(t, 'info', 'persistence'))?.[1] ?? ''
    const before = Number(dirty())
    t.exec('restore', 'k', '0', HELLO)
    expect(Number(dirty())).toBe(before + 1)
    t.exec('multi')
    t.exec('get', 'k')
    expect(t.exec('exec')).toEqual(r.arr(null))
  })

  it('round-trips a stream with groups, PEL and consumers byte for byte', () => {
    const t = createTestEngine()
    t.exec('xadd', 'x', '1-1', 'a', '1')
    t.exec('xadd', 'x', '2-1', 'a', '2', 'b', '3')
    t.exec('xdel', 'x', '1-1')
    t.exec('xadd', 'x', '3-1', 'a', '4')
    t.exec('xgroup', 'create', 'x', 'g', '0')
    t.exec('xreadgroup', 'group', 'g', 'alice', 'count', '1', 'streams', 'x', '>')
    t.exec('xgroup', 'createconsumer', 'x', 'g', 'bob')
    const payload = dump(t, 'x')
    expect(t.exec('restore', 'y', '0', payload)).toEqual(r.ok)
    expect(dump(t, 'y')).toBe(payload)
    expect(t.exec('xpending', 'y', 'g')).toEqual(t.exec('xpending', 'x', 'g'))
  })
})

// Lines and replies read from redis-server 7.0.15 (Debian 7.0.15-1~deb12u10) with loglevel
// verbose; the payloads are from Redis's tests/integration/corrupt-dump.tcl.
describe('RESTORE of corrupt payloads (rdbReportError in RESTORE context)', () => {
  const logged = (t: TestEngine): string[] => {
    const lines: string[] = []
    t.server.setServerLog((level, line) => lines.push(`${level} ${line}`))
    return lines
  }

  it('answers Bad data format for a ziplist entry header reaching outside, and logs why', () => {
    const t = createTestEngine()
    const lines = logged(t)
    t.exec('config', 'set', 'loglevel', 'verbose')
    t.exec('debug', 'set-skip-checksum-validation', '1')
    const payload =
      '\x0D\x19\x19\x00\x00\x00\x16\x00\x00\x00\x06\x00\x00\xF1\x02\xF1\x02\xF2\x02\x02\x5F' +
      '\x31\x04\x99\x02\xF3\xFF\x09\x00\xC5\xB8\x10\xC0\x8A\xF9\x16\xDF'
    expect(t.exec('restore', 'key', '0', payload)).toEqual(r.err('ERR Bad data format'))
    expect(lines).toEqual([
      'verbose Internal error in RDB reading offset 0, function at rdb.c:2275 -> Hash ziplist integrity check failed.',
    ])
    // At the default loglevel (notice) the VERBOSE line is dropped.
    t.exec('config', 'set', 'loglevel', 'notice')
    expect(t.exec('restore', 'key', '0', payload)).toEqual(r.err('ERR Bad data format'))
    expect(lines).toHaveLength(1)
  })

  it('reports the first failure of a stream where rdb.c does, with its details', () => {
    const t = createTestEngine()
    const lines = logged(t)
    t.exec('config', 'set', 'loglevel', 'verbose')
    // A group with two consumers named "name" (checksum right: no skip needed).
    const payload =
      '\x0F\x00\x00\x00\x00\x01\x07\x6D\x79\x67\x72\x6F\x75\x70\x00\x00\x00\x02\x04' +
      '\x6E\x61\x6D\x65\x2A\x4C\xAA\x9A\x7D\x01\x00\x00\x00\x04\x6E\x61\x6D\x65\x2B' +
      '\x4C\xAA\x9A\x7D\x01\x00\x00\x00\x0A\x00\xCC\xED\x8C\xA7\x62\xEE\xC7\xC8'
    expect(t.exec('restore', 'key', '0', payload)).toEqual(r.err('ERR Bad data format'))
    expect(lines).toEqual([
      'verbose Internal error in RDB reading offset 0, function at rdb.c:2543 -> Duplicate stream consumer detected.',
    ])
  })

  it('refuses a hash listpack with repeated fields that must become a dict, logging its bytes', () => {
    const t = createTestEngine()
    const lines = logged(t)
    t.exec('config', 'set', 'hash-max-listpack-entries', '1')
    t.exec('debug', 'set-skip-checksum-validation', '1')
    const lp =
      '\x17\x00\x00\x00\x04\x00\x82\x61\x00\x03\x82\x62\x00\x03\x82\x61\x00\x03\x82\x64\x00\x03\xff'
    const payload = `\x10\x17${lp}\x0a\x00\xc0\xcf\xa6\x87\xe5\xa7\xc5\xbe`
    expect(t.exec('restore', '_hash', '0', payload)).toEqual(r.err('ERR Bad data format'))
    const hex = [...lp].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
    expect(lines).toEqual([
      'warning listpack with dup elements dump (hexdump of 23 bytes):',
      `warning ${hex}\n`,
    ])
  })
})
