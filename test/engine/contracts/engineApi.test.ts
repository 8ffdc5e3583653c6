/**
 * The engine contract as an outside reader of design.md ("Contracts / Engine") would test it:
 * only the public barrel (src/engine/index.ts), only what the document and README promise.
 *
 *   const server = createServer({ seed, clock, config, trace })
 *   server.call(argv, client?)   // Reply
 *   server.tick(ms)              // virtual clock, cron at hz
 *   server.inspect(key, opts)    // plain view model, summarised past a size limit
 */
import { describe, expect, it } from 'vitest'
import {
  createServer,
  manualClock,
  utf8ToBytes,
  type IntsetView,
  type KeyspaceView,
  type Reply,
  type SkiplistView,
} from '../../../src/engine/index.ts'

const bulk = (value: string | null): Reply => ({ type: 'bulk', value })

describe('createServer({ seed, clock, config, trace })', () => {
  it('takes config as Redis parameter names with plain values, numbers included', () => {
    const server = createServer({
      seed: 1,
      clock: manualClock(),
      config: { 'maxmemory-policy': 'allkeys-lru', hz: 100, 'set-max-intset-entries': 4 },
      trace: 'full',
    })
    expect(server.call(['CONFIG', 'GET', 'hz'])).toEqual({
      type: 'array',
      value: [bulk('hz'), bulk('100')],
    })
    expect(server.call(['CONFIG', 'GET', 'maxmemory-policy'])).toEqual({
      type: 'array',
      value: [bulk('maxmemory-policy'), bulk('allkeys-lru')],
    })
    server.call(['SADD', 's', '1', '2', '3', '4'])
    expect(server.call(['OBJECT', 'ENCODING', 's'])).toEqual(bulk('intset'))
    server.call(['SADD', 's', '5'])
    expect(server.call(['OBJECT', 'ENCODING', 's'])).toEqual(bulk('hashtable'))
  })

  it('takes yes/no parameters as booleans too', () => {
    const server = createServer({
      seed: 1,
      clock: manualClock(),
      config: { activerehashing: false, 'lazyfree-lazy-user-del': true },
    })
    expect(server.call(['CONFIG', 'GET', 'activerehashing'])).toEqual({
      type: 'array',
      value: [bulk('activerehashing'), bulk('no')],
    })
    expect(server.call(['CONFIG', 'GET', 'lazyfree-lazy-user-del'])).toEqual({
      type: 'array',
      value: [bulk('lazyfree-lazy-user-del'), bulk('yes')],
    })
  })

  it('refuses an unknown parameter or a bad value at creation, naming it', () => {
    expect(() => createServer({ seed: 1, clock: manualClock(), config: { 'no-such': 1 } })).toThrow(
      /no-such/,
    )
    expect(() => createServer({ seed: 1, clock: manualClock(), config: { hz: 'fast' } })).toThrow(
      /hz/,
    )
  })

  it('runs on a plain { now() } clock, or a function, and on a virtual clock when none is given', () => {
    let t = 1_700_000_000_000
    const server = createServer({ seed: 1, clock: { now: () => t } })
    server.call(['SET', 'k', 'v', 'PX', '100'])
    t += 101
    expect(server.call(['GET', 'k'])).toEqual(bulk(null))

    let u = 1_700_000_000_000
    const fnClock = createServer({ seed: 1, clock: () => u })
    fnClock.call(['SET', 'k', 'v', 'PX', '100'])
    u += 101
    expect(fnClock.call(['GET', 'k'])).toEqual(bulk(null))

    const virtual = createServer({ seed: 1 })
    virtual.call(['SET', 'k', 'v', 'PX', '100'])
    virtual.tick(50)
    expect(virtual.call(['PTTL', 'k'])).toEqual({ type: 'integer', value: 50 })
    virtual.tick(1000)
    expect(virtual.call(['EXISTS', 'k'])).toEqual({ type: 'integer', value: 0 })
  })
})

describe('server.call(argv, client?) replies in RESP2 shapes', () => {
  const server = createServer({ seed: 1, clock: manualClock(), trace: 'off' })

  it('gives simple, error, integer, bulk, nil bulk, array and nil array', () => {
    expect(server.call(['SET', 'k', 'v'])).toEqual({ type: 'simple', value: 'OK' })
    expect(server.call(['PING'])).toEqual({ type: 'simple', value: 'PONG' })
    expect(server.call(['GET', 'k'])).toEqual(bulk('v'))
    expect(server.call(['GET', 'missing'])).toEqual(bulk(null))
    expect(server.call(['INCR', 'n'])).toEqual({ type: 'integer', value: 1 })
    expect(server.call(['INCR', 'k'])).toEqual({
      type: 'error',
      value: 'ERR value is not an integer or out of range',
    })
    expect(server.call(['LPUSH', 'k', 'x'])).toEqual({
      type: 'error',
      value: 'WRONGTYPE Operation against a key holding the wrong kind of value',
    })
    expect(server.call(['GET'])).toEqual({
      type: 'error',
      value: "ERR wrong number of arguments for 'get' command",
    })
    expect(server.call(['NOSUCHCMD'])).toMatchObject({ type: 'error' })
    expect(server.call(['MGET', 'k', 'missing'])).toEqual({
      type: 'array',
      value: [bulk('v'), bulk(null)],
    })
    // A blocking pop on the default connection, which never blocks, and EXEC after a
    // WATCHed key changed: the nil array.
    expect(server.call(['BLPOP', 'nolist', '0.01'])).toEqual({ type: 'array', value: null })
    const other = server.createClient()
    server.call(['WATCH', 'k'])
    server.call(['SET', 'k', 'changed'], other)
    server.call(['MULTI'])
    server.call(['GET', 'k'])
    expect(server.call(['EXEC'])).toEqual({ type: 'array', value: null })
  })

  it('keeps each client its own db and transaction', () => {
    const a = server.createClient()
    const b = server.createClient()
    server.call(['SELECT', '3'], a)
    server.call(['SET', 'only-in-3', '1'], a)
    expect(server.call(['EXISTS', 'only-in-3'], b)).toEqual({ type: 'integer', value: 0 })
    expect(server.call(['MULTI'], a)).toEqual({ type: 'simple', value: 'OK' })
    expect(server.call(['INCR', 'only-in-3'], a)).toEqual({ type: 'simple', value: 'QUEUED' })
    expect(server.call(['GET', 'only-in-3'], a)).toEqual({ type: 'simple', value: 'QUEUED' })
    expect(server.call(['EXEC'], a)).toEqual({
      type: 'array',
      value: [{ type: 'integer', value: 2 }, bulk('2')],
    })
  })

  it('is binary safe: STRLEN of "中文" sent as UTF-8 is 6, and a value keeps NUL bytes', () => {
    server.call(['SET', utf8ToBytes('键'), utf8ToBytes('中文')])
    expect(server.call(['STRLEN', utf8ToBytes('键')])).toEqual({ type: 'integer', value: 6 })
    expect(server.call(['GET', utf8ToBytes('键')])).toEqual(bulk(utf8ToBytes('中文')))
    server.call(['SET', 'nul', 'a\0b'])
    expect(server.call(['STRLEN', 'nul'])).toEqual({ type: 'integer', value: 3 })
  })

  it('takes text beyond Latin-1 as UTF-8, and byte arrays as bytes', () => {
    server.call(['SET', 'zh', '中文'])
    expect(server.call(['STRLEN', 'zh'])).toEqual({ type: 'integer', value: 6 })
    expect(server.call(['GET', 'zh'])).toEqual(bulk(utf8ToBytes('中文')))
    expect(server.inspect('zh')).toMatchObject({ value: utf8ToBytes('中文') })
    expect(server.inspect('中文')).toBeNull()
    server.call(['RPUSH', '列表', 'a'])
    expect(server.inspect('列表')).toMatchObject({ kind: 'quicklist', count: 1 })
    const bytes = new TextEncoder().encode('中文')
    server.call(['SET', bytes, bytes])
    expect(server.call(['STRLEN', utf8ToBytes('中文')])).toEqual({ type: 'integer', value: 6 })
  })
})

describe('server.tick(ms)', () => {
  it('advances the virtual clock: TTLs count down', () => {
    const server = createServer({ seed: 1, clock: manualClock() })
    server.call(['SET', 'k', 'v', 'EX', '100'])
    server.tick(30_000)
    expect(server.call(['TTL', 'k'])).toEqual({ type: 'integer', value: 70 })
  })

  it('refuses a negative, NaN or infinite span and leaves the clock alone', () => {
    const clock = manualClock(1_000)
    const server = createServer({ seed: 1, clock })
    for (const ms of [-1000, Number.NaN, Infinity])
      expect(() => server.tick(ms)).toThrow(RangeError)
    expect(clock.now()).toBe(1_000)
    expect(server.tick(250).at).toBe(1_250)
  })

  it('runs the active expire cycle at hz: keys with a TTL go without being touched', () => {
    const server = createServer({ seed: 1, clock: manualClock(), config: { hz: 100 } })
    for (let i = 0; i < 50; i++) server.call(['SET', `k${String(i)}`, 'v', 'PX', '500'])
    server.call(['SET', 'forever', 'v'])
    server.tick(2000)
    const keyspace = server.inspect(null) as unknown as KeyspaceView
    expect(keyspace.keys).toBe(1)
    expect(server.call(['INFO', 'stats'])).toMatchObject({
      type: 'bulk',
      value: expect.stringContaining('expired_keys:50\r\n') as unknown,
    })
  })

  it('moves an incremental rehash forward with no command at all', () => {
    const server = createServer({ seed: 1, clock: manualClock(), trace: 'summary' })
    // The keyspace dict starts with 4 buckets; the 5th key starts an expansion to 8, the next
    // ones carry it on. Stop while it is still rehashing.
    let i = 0
    let view = server.inspect(null) as unknown as KeyspaceView
    while (view.dict.rehashIdx === -1 || i < 5) {
      server.call(['SET', `key:${String(i++)}`, 'v'])
      view = server.inspect(null) as unknown as KeyspaceView
      if (i > 1000) throw new Error('never saw a rehash in progress')
    }
    expect(view.dict.rehashIdx).toBeGreaterThanOrEqual(0)
    const tick = server.tick(1000)
    expect(tick.events.map((e) => e.type)).toContain('dict/rehashCompleted')
    expect((server.inspect(null) as unknown as KeyspaceView).dict.rehashIdx).toBe(-1)
  })
})

describe('server.inspect(key, opts)', () => {
  const server = createServer({ seed: 1, clock: manualClock() })
  const many = (n: number, pairs = false): string[] =>
    Array.from({ length: pairs ? n * 2 : n }, (_, i) => String(i))
  server.call(['SET', 'int', '12'])
  server.call(['SET', 'embstr', 'hello'])
  server.call(['SET', 'raw', 'x'.repeat(100)])
  server.call(['RPUSH', 'list', 'a', 'b'])
  server.call(['RPUSH', 'biglist', ...many(5000)])
  server.call(['HSET', 'hash', 'f', 'v'])
  server.call(['HSET', 'bighash', ...many(2000, true)])
  server.call(['SADD', 'intset', '1', '2'])
  server.call(['SADD', 'set', ...many(1000), 'x'])
  server.call(['ZADD', 'zset', '1', 'a'])
  server.call(['ZADD', 'bigzset', ...many(2000, true)])

  const encodings: [string, string][] = [
    ['int', 'int'],
    ['embstr', 'embstr'],
    ['raw', 'raw'],
    ['list', 'quicklist'],
    ['biglist', 'quicklist'],
    ['hash', 'listpack'],
    ['bighash', 'hashtable'],
    ['intset', 'intset'],
    ['set', 'hashtable'],
    ['zset', 'listpack'],
    ['bigzset', 'skiplist'],
  ]

  it.each(encodings)('gives a plain, cloneable view of %s (%s)', (key, encoding) => {
    expect(server.call(['OBJECT', 'ENCODING', key])).toEqual(bulk(encoding))
    const view = server.inspect(key)
    expect(view).not.toBeNull()
    expect(typeof view?.kind).toBe('string')
    expect(JSON.stringify(view)).toContain(encoding)
    expect(structuredClone(view)).toEqual(view)
  })

  // Size in JSON, a typed array (a transferable buffer, e.g. per-bucket occupancy) counted as
  // its bytes.
  const size = (key: string, limit: number): string =>
    JSON.stringify(server.inspect(key, { limit }), (_, v: unknown) =>
      ArrayBuffer.isView(v) ? v.byteLength : v,
    )

  it('summarises a big structure past the limit', () => {
    for (const key of ['biglist', 'bighash', 'set', 'bigzset']) {
      const full = size(key, 100_000)
      const small = size(key, 10)
      expect(small.length, key).toBeLessThan(full.length / 4)
      expect(small, key).toMatch(/"truncated":true/)
    }
  })

  it('follows a structure as it changes: intset width, skiplist levels', () => {
    const s = createServer({ seed: 1, clock: manualClock() })
    s.call(['SADD', 'nums', '1', '2'])
    expect(s.inspect('nums') as unknown as IntsetView).toMatchObject({ width: 2, length: 2 })
    s.call(['SADD', 'nums', '100000'])
    expect(s.inspect('nums') as unknown as IntsetView).toMatchObject({
      width: 4,
      values: ['1', '2', '100000'],
    })
    const view = server.inspect('bigzset') as unknown as SkiplistView
    expect(view.length).toBe(2000)
    expect(view.level).toBeGreaterThan(1)
  })

  it('gives null for a missing key and the keyspace for key null', () => {
    expect(server.inspect('missing')).toBeNull()
    const keyspace = server.inspect(null) as unknown as KeyspaceView
    expect(keyspace.kind).toBe('keyspace')
    expect(keyspace.keys).toBe(encodings.length)
  })
})

describe('determinism', () => {
  const layout = (seed: number): unknown => {
    const server = createServer({ seed, clock: manualClock() })
    for (let i = 0; i < 20; i++) server.call(['SET', `k${String(i)}`, 'v'])
    return (server.inspect(null) as unknown as KeyspaceView).dict.tables
  }

  it('lays the dict buckets out the same for a seed and differently for another', () => {
    expect(layout(5)).toEqual(layout(5))
    expect(layout(5)).not.toEqual(layout(6))
  })

  it('tells apart seeds that are fractions or past 32 bits', () => {
    expect(layout(0.25)).toEqual(layout(0.25))
    expect(layout(0.25)).not.toEqual(layout(0.5))
    expect(layout(0.25)).not.toEqual(layout(0))
    expect(layout(2 ** 32 + 5)).not.toEqual(layout(5))
    expect(layout(1_700_000_000_123)).not.toEqual(layout(1_700_000_000_124))
  })
})
