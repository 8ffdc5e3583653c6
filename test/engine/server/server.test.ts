import { describe, expect, it } from 'vitest'
import { createServer, manualClock, type KeyspaceView } from '../../../src/engine/index.ts'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('determinism', () => {
  const script: string[][] = [
    ['debug', 'populate', '300'],
    ['set', 'counter', '10'],
    ['incrby', 'counter', '32'],
    ['set', 'tmp', 'x', 'px', '50'],
    ['del', 'key:1', 'key:2', 'key:3'],
    ['append', 'key:4', 'more'],
    ['randomkey'],
    ['scan', '0', 'count', '20'],
  ]

  function run(seed: number): { digest: string; replies: unknown[] } {
    const clock = manualClock()
    const srv = createServer({ seed, clock, trace: 'full', enableDebugCommand: 'yes' })
    const replies: unknown[] = []
    for (const argv of script) {
      const t = srv.execute(argv)
      replies.push(t.reply, t.events)
      replies.push(srv.tick(37).events)
    }
    return { digest: srv.digest(), replies }
  }

  it('gives the same digest, replies and events for the same seed and log', () => {
    const a = run(42)
    const b = run(42)
    expect(a.digest).toBe(b.digest)
    expect(a.replies).toEqual(b.replies)
    expect(a.digest).toMatch(/^[0-9a-f]{16}$/)
  })

  it('lays the keyspace out differently under another seed (SipHash seed from the rng)', () => {
    expect(run(1).digest).not.toBe(run(2).digest)
  })

  it('does not change behaviour with the trace level', () => {
    const digests = (['off', 'summary', 'full'] as const).map((trace) => {
      const srv = createServer({ seed: 7, clock: manualClock(), trace, enableDebugCommand: 'yes' })
      for (const argv of script) {
        srv.execute(argv)
        srv.tick(37)
      }
      return srv.digest()
    })
    expect(new Set(digests).size).toBe(1)
  })
})

describe('serverCron via tick()', () => {
  it('refreshes the LRU clock once per second of virtual time', () => {
    const t = createTestEngine({ startMs: 1_000_000_000_000 })
    const before = t.exec('debug', 'object', 'none')
    expect(before).toEqual(r.err('ERR no such key'))
    t.exec('set', 'k', 'v')
    t.tick(5000)
    const obj = t.exec('debug', 'object', 'k')
    expect(obj.type === 'simple' && obj.value.endsWith('lru_seconds_idle:5')).toBe(true)
  })

  it('shrinks the keyspace dict after mass deletion (tryResizeHashTables)', () => {
    const t = createTestEngine()
    t.exec('debug', 'populate', '1000')
    for (let i = 0; i < 995; i++) t.exec('del', `key:${String(i)}`)
    const before = t.server.inspect(null) as unknown as KeyspaceView
    expect(before.dict.buckets).toBeGreaterThanOrEqual(1024)
    t.tick(1000)
    expect(t.eventsOfType('dict/shrinkStarted').length).toBeGreaterThan(0)
    const after = t.server.inspect(null) as unknown as KeyspaceView
    expect(after.dict.rehashIdx).toBe(-1)
    expect(after.dict.buckets).toBe(8)
  })

  it('runs hz ticks per second and follows CONFIG SET hz', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v', 'px', '1')
    t.tick(1000)
    expect(t.eventsOfType('expire/cycleRan')).toHaveLength(10)
    t.exec('config', 'set', 'hz', '50')
    t.tick(1000)
    // The tick already scheduled 100 ms ahead runs first, then every 20 ms: 1 + 45.
    expect(t.eventsOfType('expire/cycleRan')).toHaveLength(46)
  })

  it('active expire removes keys nobody reads; DEBUG SET-ACTIVE-EXPIRE 0 stops it', () => {
    const t = createTestEngine()
    t.exec('set', 'a', '1', 'px', '100')
    t.tick(1000)
    expect(t.server.inspect('a')).toBeNull()
    t.exec('debug', 'set-active-expire', '0')
    t.exec('set', 'b', '1', 'px', '100')
    t.tick(1000)
    expect(t.server.inspect('b')).not.toBeNull()
    expect(t.exec('get', 'b')).toEqual(r.bulk(null))
  })
})

describe('inspect', () => {
  it('shows a string object header with its sds', () => {
    const t = createTestEngine()
    t.exec('set', 'e', 'hello')
    t.exec('set', 'n', '123')
    expect(t.server.inspect('e')).toMatchObject({
      kind: 'string',
      type: 'string',
      encoding: 'embstr',
      refcount: 1,
      sds: { type: 8, len: 5, alloc: 5 },
      value: 'hello',
      expireAt: null,
    })
    expect(t.server.inspect('n')).toMatchObject({
      encoding: 'int',
      refcount: 2147483647,
      value: '123',
    })
    expect(t.server.inspect('missing')).toBeNull()
  })

  it('summarises the keyspace dict past the limit', () => {
    const t = createTestEngine()
    t.exec('debug', 'populate', '100')
    const view = t.server.inspect(null, { limit: 10 }) as {
      kind: string
      keys: number
      dict: { tables: { buckets: unknown[]; truncated: boolean }[] }
    }
    expect(view.kind).toBe('keyspace')
    expect(view.keys).toBe(100)
    expect(view.dict.tables[0]?.buckets).toHaveLength(10)
    expect(view.dict.tables[0]?.truncated).toBe(true)
  })
})

describe('server commands', () => {
  it('DEBUG POPULATE names keys key:N with values value:N, skips existing, pads/cuts to size', () => {
    const t = createTestEngine()
    t.exec('set', 'key:1', 'mine')
    expect(t.exec('debug', 'populate', '3')).toEqual(r.ok)
    expect(t.exec('mget', 'key:0', 'key:1', 'key:2')).toEqual(r.bulks('value:0', 'mine', 'value:2'))
    t.exec('debug', 'populate', '2', 'k', '5')
    expect(t.exec('get', 'k:0')).toEqual(r.bulk('value'))
    t.exec('debug', 'populate', '1', 'z', '10')
    expect(t.exec('get', 'z:0')).toEqual(r.bulk('value:0\0\0\0'))
    expect(t.exec('debug', 'populate', '-1')).toEqual(
      r.err('ERR value is out of range, must be positive'),
    )
    expect(t.exec('debug', 'foo')).toEqual(
      r.err("ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP."),
    )
  })

  it('DEBUG OBJECT and MEMORY USAGE describe a string', () => {
    const t = createTestEngine()
    t.exec('set', 'e1', 'x')
    const obj = t.exec('debug', 'object', 'e1')
    expect(obj.type === 'simple' ? obj.value : '').toMatch(
      /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:2 lru:\d+ lru_seconds_idle:0$/,
    )
    expect(t.exec('memory', 'usage', 'e1')).toEqual(r.int(64))
    expect(t.exec('memory', 'usage', 'nope')).toEqual(r.bulk(null))
    expect(t.exec('memory', 'usage', 'e1', 'samples', '-1')).toEqual(r.err('ERR syntax error'))
  })

  it('FLUSHDB/FLUSHALL take SYNC|ASYNC, DBSIZE counts, COMMAND describes the table', () => {
    const t = createTestEngine()
    t.exec('debug', 'populate', '5')
    expect(t.exec('dbsize')).toEqual(r.int(5))
    expect(t.exec('flushdb', 'foo')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('flushdb', 'async')).toEqual(r.ok)
    expect(t.exec('dbsize')).toEqual(r.int(0))
    expect(t.exec('flushall', 'sync')).toEqual(r.ok)
    expect(t.exec('command', 'getkeys', 'set', 'a', 'b')).toEqual(r.bulks('a'))
    expect(t.exec('command', 'getkeys', 'mset', 'a')).toEqual(
      r.err('ERR Invalid number of arguments specified for command'),
    )
    expect(t.exec('command', 'getkeys', 'ping', 'x')).toEqual(
      r.err('ERR The command has no key arguments'),
    )
    expect(t.exec('command', 'info', 'nosuch')).toEqual(r.arr([r.bulk(null)]))
    expect(t.exec('command', 'docs', 'nosuch')).toEqual(r.arr([]))
    const count = t.exec('command', 'count')
    expect(count.type === 'integer' && Number(count.value) > 50).toBe(true)
    expect(t.exec('command', 'list', 'filterby', 'pattern', 'client|get*')).toEqual(
      r.bulks('client|getname', 'client|getredir'),
    )
    // Without a filter the subcommands are listed too (commandListWithoutFilter recurses).
    const all = t.exec('command', 'list')
    const names = all.type === 'array' ? (all.value ?? []).map((x) => x.value) : []
    expect(names).toContain('client|list')
    expect(names).toContain('set')
  })
})

describe('BGSAVE child (modelled fork)', () => {
  it('runs until a cron reaps it; while it runs dicts only grow past the forced ratio', () => {
    const t = createTestEngine()
    t.exec('set', 'x', '1')
    expect(t.exec('bgsave')).toEqual(r.simple('Background saving started'))
    expect(t.exec('bgsave')).toEqual(r.err('ERR Background save already in progress'))
    expect(t.exec('save')).toEqual(r.err('ERR Background save already in progress'))
    const inProgress = (t.exec('info', 'persistence') as { value: string }).value
    expect(inProgress).toContain('\r\nrdb_bgsave_in_progress:1\r\n')
    // rdbSaveBackground counts stat_rdb_saves when it forks, not when the child is done.
    expect(inProgress).toContain('\r\nrdb_saves:1\r\n')
    // 4 buckets, resize avoided: the table fills to 5x its size before expanding.
    for (let i = 0; i < 20; i++) t.exec('set', `k${String(i)}`, 'v')
    const full = t.server.inspect(null) as unknown as KeyspaceView
    expect(full.dict.buckets).toBe(4)
    t.tick(100)
    const done = (t.exec('info', 'persistence') as { value: string }).value
    expect(done).toContain('\r\nrdb_bgsave_in_progress:0\r\n')
    expect(done).toContain('\r\nrdb_saves:1\r\n')
    t.exec('set', 'one-more', 'v')
    const grown = t.server.inspect(null) as unknown as KeyspaceView
    expect(grown.dict.buckets).toBeGreaterThan(4)
  })

  it('lives rdb-key-save-delay µs longer per key, as the child sleeps after each key', () => {
    const t = createTestEngine()
    for (let i = 0; i < 4; i++) t.exec('set', `k${String(i)}`, 'v')
    expect(t.exec('config', 'set', 'rdb-key-save-delay', '1000000')).toEqual(r.ok)
    t.exec('bgsave')
    const inProgress = () =>
      /rdb_bgsave_in_progress:(\d)/.exec(
        (t.exec('info', 'persistence') as { value: string }).value,
      )?.[1]
    t.tick(3900)
    expect(inProgress()).toBe('1') // 4 keys × 1 s
    t.tick(200)
    expect(inProgress()).toBe('0')
  })

  it('is only scheduled inside EXEC, and started by the next cron', () => {
    const t = createTestEngine()
    t.exec('multi')
    t.exec('bgsave')
    expect(t.exec('exec')).toEqual(r.arr([r.simple('Background saving scheduled')]))
    t.tick(100)
    const info = (t.exec('info', 'persistence') as { value: string }).value
    expect(info).toContain('\r\nrdb_bgsave_in_progress:1\r\n')
    expect(t.exec('flushall')).toEqual(r.ok)
    const after = (t.exec('info', 'persistence') as { value: string }).value
    expect(after).toContain('\r\nrdb_bgsave_in_progress:0\r\n')
  })
})

describe('dirty and save points', () => {
  const changes = (t: ReturnType<typeof createTestEngine>): string | undefined =>
    /rdb_changes_since_last_save:(\d+)/.exec(
      (t.exec('info', 'persistence') as { value: string }).value,
    )?.[1]

  it('counts writes per modified key as rdb_changes_since_last_save (reads and DEBUG POPULATE do not)', () => {
    const t = createTestEngine()
    t.exec('debug', 'populate', '10')
    expect(changes(t)).toBe('0')
    t.exec('set', 'a', '1')
    t.exec('mset', 'b', '1', 'c', '2')
    t.exec('get', 'a')
    expect(changes(t)).toBe('3')
    t.exec('del', 'b', 'c', 'zz')
    t.exec('incr', 'n')
    t.exec('expire', 'a', '100')
    expect(changes(t)).toBe('7')
    t.exec('save')
    expect(changes(t)).toBe('0')
  })

  it('counts LTRIM by the elements it removed, 0 when none, also inside EXEC (t_list.c)', () => {
    const t = createTestEngine()
    t.exec('rpush', 'l', 'a', 'b', 'c', 'd')
    expect(changes(t)).toBe('4')
    t.exec('ltrim', 'l', '0', '-1')
    expect(changes(t)).toBe('4')
    t.exec('ltrim', 'l', '1', '100')
    expect(changes(t)).toBe('5')
    t.exec('multi')
    t.exec('ltrim', 'l', '0', '-1')
    t.exec('exec')
    expect(changes(t)).toBe('5')
  })

  it('counts no dirty for the keys CONFIG SET maxmemory evicts (evict.c)', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'maxmemory-policy', 'allkeys-random')
    t.exec('mset', 'a', '1', 'b', '2', 'c', '3')
    expect(changes(t)).toBe('3')
    t.exec('config', 'set', 'maxmemory', '1')
    expect(t.exec('dbsize')).toEqual(r.int(0))
    expect(changes(t)).toBe('3')
  })

  it('starts a BGSAVE from serverCron once a save point is reached', () => {
    const t = createTestEngine({ config: { save: '60 2' } })
    t.exec('set', 'a', '1')
    t.tick(61_000)
    expect(changes(t)).toBe('1')
    t.exec('set', 'b', '1')
    // One cron forks the child, the next one reaps it.
    t.tick(100)
    expect((t.exec('info', 'persistence') as { value: string }).value).toContain(
      '\r\nrdb_bgsave_in_progress:1\r\n',
    )
    t.tick(100)
    const info = (t.exec('info', 'persistence') as { value: string }).value
    expect(info).toContain('\r\nrdb_saves:1\r\n')
    expect(changes(t)).toBe('0')
  })
})
