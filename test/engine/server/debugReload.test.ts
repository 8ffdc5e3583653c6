import { describe, expect, it } from 'vitest'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

const text = (t: TestEngine, ...argv: string[]): string => {
  const reply = t.exec(...argv)
  if (reply.type !== 'bulk' && reply.type !== 'simple') throw new Error(JSON.stringify(reply))
  return reply.value ?? ''
}
const field = (s: string, name: string): string | undefined =>
  new RegExp(`${name}:([^\\s]+)`).exec(s)?.[1]

// Behaviour read from redis-server 7.0.15 (debug.c DEBUG RELOAD, rdb.c rdbSave/rdbLoad).
describe('DEBUG RELOAD', () => {
  it('keeps the data and TTLs, and counts as a save', () => {
    const t = createTestEngine()
    t.exec('set', 'a', '1')
    t.exec('set', 'b', 'v', 'ex', '100')
    t.exec('rpush', 'l', 'x', 'y')
    const digest = text(t, 'debug', 'digest')
    expect(t.exec('debug', 'reload')).toEqual(r.ok)
    expect(text(t, 'debug', 'digest')).toBe(digest)
    expect(t.exec('ttl', 'b')).toEqual(r.int(100))
    const info = text(t, 'info', 'persistence')
    expect(field(info, 'rdb_changes_since_last_save')).toBe('0')
    // saveCommand and rdbSaveBackground count stat_rdb_saves; DEBUG RELOAD's rdbSave does not.
    expect(field(info, 'rdb_saves')).toBe('0')
  })

  it('reports the keys the load added and the expired ones it skipped (INFO persistence)', () => {
    const t = createTestEngine()
    let info = text(t, 'info', 'persistence')
    expect(field(info, 'rdb_last_load_keys_loaded')).toBe('0')
    t.exec('debug', 'set-active-expire', '0')
    t.exec('set', 'a', '1')
    t.exec('set', 'b', '2', 'px', '100')
    t.exec('set', 'c', '3')
    t.tick(300)
    // b is past its TTL but still in the dataset: saved, then skipped by the load.
    expect(t.exec('debug', 'reload')).toEqual(r.ok)
    info = text(t, 'info', 'persistence')
    expect(field(info, 'rdb_last_load_keys_loaded')).toBe('2')
    expect(field(info, 'rdb_last_load_keys_expired')).toBe('1')
    expect(t.exec('dbsize')).toEqual(r.int(2))
    // CONFIG RESETSTAT and FLUSHALL leave them as they are.
    t.exec('config', 'resetstat')
    t.exec('flushall')
    expect(field(text(t, 'info', 'persistence'), 'rdb_last_load_keys_loaded')).toBe('2')
  })

  it('pre-sizes the keyspace dict to the saved key count (RESIZEDB): no rehash after loading', () => {
    const t = createTestEngine()
    for (let i = 0; i < 9; i++) t.exec('set', `k${String(i)}`, 'v')
    t.exec('debug', 'reload')
    const stats = text(t, 'debug', 'htstats', '0')
    expect(stats).toContain('table size: 16')
    expect(stats).toContain('number of elements: 9')
    expect(stats).not.toContain('rehashing target')
  })

  it('keeps the quicklist nodes as saved, whatever the current fill', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'list-max-listpack-size', '2')
    t.exec('rpush', 'l', 'a', 'b', 'c', 'd', 'e')
    t.exec('config', 'set', 'list-max-listpack-size', '-2')
    t.exec('rpush', 'one', 'a', 'b', 'c', 'd', 'e')
    const threeNodes = t.exec('memory', 'usage', 'l')
    expect(threeNodes).not.toEqual(t.exec('memory', 'usage', 'one'))
    t.exec('debug', 'reload')
    expect(t.exec('memory', 'usage', 'l')).toEqual(threeNodes)
    expect(t.exec('lrange', 'l', '0', '-1')).toEqual(r.bulks('a', 'b', 'c', 'd', 'e'))
  })

  it('keeps an intset blob byte for byte (a wide encoding stays wide)', () => {
    const t = createTestEngine()
    t.exec('sadd', 's', '1', '20000000000')
    t.exec('srem', 's', '20000000000')
    const before = field(text(t, 'debug', 'object', 's'), 'serializedlength')
    t.exec('debug', 'reload')
    expect(t.exec('object', 'encoding', 's')).toEqual(r.bulk('intset'))
    expect(field(text(t, 'debug', 'object', 's'), 'serializedlength')).toBe(before)
  })

  it('rebuilds dict-encoded values with the encodings the current limits allow', () => {
    const t = createTestEngine()
    t.exec('sadd', 's', '1', '2', 'x')
    t.exec('srem', 's', 'x')
    t.exec('hset', 'h', 'f', 'x'.repeat(100))
    t.exec('hset', 'h', 'f', 'v')
    t.exec('zadd', 'z', '1', 'x'.repeat(100), '2', 'm')
    t.exec('zrem', 'z', 'x'.repeat(100))
    t.exec('debug', 'reload')
    expect(t.exec('object', 'encoding', 's')).toEqual(r.bulk('intset'))
    expect(t.exec('object', 'encoding', 'h')).toEqual(r.bulk('listpack'))
    expect(t.exec('object', 'encoding', 'z')).toEqual(r.bulk('listpack'))
    expect(t.exec('smembers', 's')).toEqual(r.bulks('1', '2'))
    expect(t.exec('hgetall', 'h')).toEqual(r.bulks('f', 'v'))
    expect(t.exec('zrange', 'z', '0', '-1', 'withscores')).toEqual(r.bulks('m', '2'))
  })

  it('drops keys whose expire time has passed', () => {
    const t = createTestEngine()
    t.exec('debug', 'set-active-expire', '0')
    t.exec('set', 'k', 'v', 'px', '10')
    t.exec('set', 'keep', 'v')
    t.clock.advance(20)
    expect(t.exec('dbsize')).toEqual(r.int(2))
    t.exec('debug', 'reload')
    expect(t.exec('dbsize')).toEqual(r.int(1))
  })

  it('restores the LRU idle time (seconds) under an LRU policy', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'maxmemory-policy', 'allkeys-lru')
    t.exec('set', 'k', 'v')
    t.tick(5000)
    t.exec('debug', 'reload')
    expect(t.exec('object', 'idletime', 'k')).toEqual(r.int(5))
  })

  it('restores the LFU counter under an LFU policy', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'maxmemory-policy', 'allkeys-lfu')
    t.exec('set', 'k', 'v')
    for (let i = 0; i < 20; i++) t.exec('get', 'k')
    const freq = t.exec('object', 'freq', 'k')
    t.exec('debug', 'reload')
    expect(t.exec('object', 'freq', 'k')).toEqual(freq)
  })

  it('marks WATCHed keys dirty (the flush)', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v')
    t.exec('watch', 'k')
    t.exec('debug', 'reload')
    t.exec('multi')
    t.exec('set', 'k', 'w')
    expect(t.exec('exec')).toEqual(r.arr(null))
  })

  it('NOSAVE loads the last saved image; NOFLUSH MERGE replaces conflicting keys', () => {
    const t = createTestEngine()
    expect(t.exec('debug', 'reload', 'nosave')).toEqual(
      r.err('ERR Error trying to load the RDB dump'),
    )
    t.exec('set', 'a', 'saved')
    t.exec('debug', 'reload')
    t.exec('set', 'a', 'changed')
    t.exec('set', 'b', 'new')
    t.exec('debug', 'reload', 'nosave', 'noflush', 'merge')
    expect(t.exec('mget', 'a', 'b')).toEqual(r.bulks('saved', 'new'))
    t.exec('debug', 'reload', 'nosave')
    expect(t.exec('mget', 'a', 'b')).toEqual(r.bulks('saved', null))
    expect(t.exec('debug', 'reload', 'x')).toEqual(
      r.err('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.'),
    )
  })
})

describe('DEBUG HTSTATS-KEY', () => {
  it("prints the stats of the value's dict, or refuses other encodings", () => {
    const t = createTestEngine()
    t.exec('sadd', 's', 'a', 'b', 'c', 'd', 'e')
    t.exec('debug', 'reload')
    const stats = text(t, 'debug', 'htstats-key', 's')
    expect(stats).toMatch(/^Hash table 0 stats \(main hash table\):\n table size: 8\n/)
    expect(stats).toContain('number of elements: 5')
    t.exec('zadd', 'z', '1', 'x'.repeat(100))
    expect(text(t, 'debug', 'htstats-key', 'z')).toContain('number of elements: 1')
    t.exec('sadd', 'i', '1')
    expect(t.exec('debug', 'htstats-key', 'i')).toEqual(
      r.err('ERR The value stored at the specified key is not represented using an hash table'),
    )
    expect(t.exec('debug', 'htstats-key', 'none')).toEqual(r.err('ERR no such key'))
  })
})
