import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

const failed = (name: string, why: string) =>
  r.err(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`)

describe('CONFIG SET', () => {
  it('words parse and range errors as config.c does', () => {
    const t = createTestEngine()
    expect(t.exec('config', 'set', 'hz', 'abc')).toEqual(
      failed('hz', "argument couldn't be parsed into an integer"),
    )
    expect(t.exec('config', 'set', 'hz', '5.0')).toEqual(
      failed('hz', "argument couldn't be parsed into an integer"),
    )
    expect(t.exec('config', 'set', 'hz', '99999999999')).toEqual(
      failed('hz', 'argument must be between 0 and 2147483647 inclusive'),
    )
    expect(t.exec('config', 'set', 'maxmemory', '1xb')).toEqual(
      failed('maxmemory', 'argument must be a memory value'),
    )
    expect(t.exec('config', 'set', 'maxmemory', '-1')).toEqual(
      failed('maxmemory', 'argument must be a memory value'),
    )
    expect(t.exec('config', 'set', 'maxmemory-policy', 'foo')).toEqual(
      failed(
        'maxmemory-policy',
        'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction',
      ),
    )
    expect(t.exec('config', 'set', 'activerehashing', 'maybe')).toEqual(
      failed('activerehashing', "argument must be 'yes' or 'no'"),
    )
    expect(t.exec('config', 'set', 'active-expire-effort', '11')).toEqual(
      failed('active-expire-effort', 'argument must be between 1 and 10 inclusive'),
    )
    expect(t.exec('config', 'set', 'daemonize', 'yes')).toEqual(
      failed('daemonize', "can't set immutable config"),
    )
    expect(t.exec('config', 'set', 'hz', '10', 'hz', '11')).toEqual(
      failed('hz', 'duplicate parameter'),
    )
    expect(t.exec('config', 'set', 'nosuch', '1')).toEqual(
      r.err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
    )
    expect(t.exec('config', 'set', 'hz', '1', 'x')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('config', 'set', 'save', '1 2 3')).toEqual(
      failed('save', 'Invalid save parameters'),
    )
  })

  it('reads memory units, clamps hz to 1..500 and rolls back a failed multi-set', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'maxmemory', '1mb')
    expect(t.exec('config', 'get', 'maxmemory')).toEqual(r.bulks('maxmemory', '1048576'))
    t.exec('config', 'set', 'maxmemory', '1GB')
    expect(t.exec('config', 'get', 'maxmemory')).toEqual(r.bulks('maxmemory', '1073741824'))
    t.exec('config', 'set', 'maxmemory', '2k')
    expect(t.exec('config', 'get', 'maxmemory')).toEqual(r.bulks('maxmemory', '2000'))
    expect(t.exec('config', 'set', 'hz', '1000')).toEqual(r.ok)
    expect(t.exec('config', 'get', 'hz')).toEqual(r.bulks('hz', '500'))
    expect(t.exec('config', 'set', 'hz', '0')).toEqual(r.ok)
    expect(t.exec('config', 'get', 'hz')).toEqual(r.bulks('hz', '1'))
    expect(t.exec('config', 'set', 'hz', '5', 'maxmemory', 'abc')).toEqual(
      failed('maxmemory', 'argument must be a memory value'),
    )
    expect(t.exec('config', 'get', 'hz')).toEqual(r.bulks('hz', '1'))
    t.exec('config', 'set', 'maxmemory-policy', 'ALLKEYS-LRU')
    expect(t.exec('config', 'get', 'maxmemory-policy')).toEqual(
      r.bulks('maxmemory-policy', 'allkeys-lru'),
    )
  })
})

describe('CONFIG GET', () => {
  it('answers exact names as typed, aliases, and glob patterns', () => {
    const t = createTestEngine()
    expect(t.exec('config', 'get', 'HZ')).toEqual(r.bulks('HZ', '10'))
    expect(t.exec('config', 'get', 'hash-max-ziplist-entries')).toEqual(
      r.bulks('hash-max-ziplist-entries', '512'),
    )
    expect(t.exec('config', 'get', 'nosuch')).toEqual(r.arr([]))
    const hash = t.exec('config', 'get', 'hash-max-*')
    expect(hash.type === 'array' ? hash.value?.length : 0).toBe(8)
    expect(t.exec('config', 'get', 'a', 'b', 'hz')).toEqual(r.bulks('hz', '10'))
    expect(t.exec('config', 'get', 'save')).toEqual(r.bulks('save', '3600 1 300 100 60 10000'))
    expect(t.exec('config', 'get', 'set-max-intset-entries')).toEqual(
      r.bulks('set-max-intset-entries', '512'),
    )
    expect(t.exec('config', 'get', 'list-max-listpack-size')).toEqual(
      r.bulks('list-max-listpack-size', '-2'),
    )
  })

  it('takes start-up overrides, including immutable ones', () => {
    const t = createTestEngine({ config: { databases: '4', hz: '20' } })
    expect(t.exec('config', 'get', 'databases')).toEqual(r.bulks('databases', '4'))
    expect(t.exec('select', '4')).toEqual(r.err('ERR DB index is out of range'))
    expect(t.exec('config', 'get', 'hz')).toEqual(r.bulks('hz', '20'))
  })

  it('CONFIG RESETSTAT zeroes INFO stats', () => {
    const t = createTestEngine()
    t.exec('get', 'missing')
    expect(t.exec('config', 'resetstat')).toEqual(r.ok)
    const stats = (t.exec('info', 'stats') as { value: string }).value
    expect(stats).toContain('\r\nkeyspace_misses:0\r\n')
    expect(stats).toContain('\r\ntotal_commands_processed:1\r\n')
  })
})

describe('CONFIG SET maxmemory', () => {
  it('evicts at once down to a lower limit (updateMaxmemory)', () => {
    const t = createTestEngine()
    t.exec('config', 'set', 'maxmemory-policy', 'allkeys-random')
    t.exec('debug', 'populate', '2000')
    expect(t.exec('config', 'set', 'maxmemory', '1mb')).toEqual(r.ok)
    const evicted = t.eventsOfType('evict/keyPicked').length
    expect(evicted).toBeGreaterThan(0)
    expect(t.exec('dbsize')).toEqual(r.int(2000 - evicted))
  })
})

describe('enable-debug-command', () => {
  it('CONFIG GET shows the gate in force; a config override works like the option', () => {
    const t = createTestEngine({ enableDebugCommand: 'local' })
    expect(t.exec('config', 'get', 'enable-debug-command')).toEqual(
      r.bulks('enable-debug-command', 'local'),
    )
    expect(t.exec('config', 'set', 'enable-debug-command', 'yes')).toEqual(
      r.err(
        "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config",
      ),
    )
    const viaConfig = createServer({
      seed: 1,
      clock: manualClock(),
      config: { 'enable-debug-command': 'yes' },
    })
    expect(viaConfig.call(['debug', 'sleep', '0'])).toEqual(r.ok)
  })
})

describe('maxclients and the open files limit (server.c adjustOpenFilesLimit)', () => {
  const maxclients = (s: ReturnType<typeof createServer>): unknown => {
    const r = s.call(['CONFIG', 'GET', 'maxclients'])
    return r.type === 'array' ? r.value?.[1]?.value : null
  }
  const limited = (cur: number, max: number, privilegedMax: number | null) =>
    createServer({ seed: 1, openFilesLimit: { cur, max, privilegedMax } })
  const tryWith = (n: number) =>
    failed(
      'maxclients',
      `The operating system is not able to handle the specified number of clients, try with ${String(n)}`,
    )

  it('starts with fewer clients when the hard limit cannot hold 10000 + 32 files', () => {
    const s = limited(1024, 1024, null)
    expect(maxclients(s)).toBe('992')
    expect(s.call(['CONFIG', 'SET', 'maxclients', '2000'])).toEqual(tryWith(992))
    expect(maxclients(s)).toBe('992')
    expect(s.call(['CONFIG', 'SET', 'maxclients', '900'])).toEqual(r.ok)
  })

  it('raises the soft limit (setting the hard one too), and past it with CAP_SYS_RESOURCE', () => {
    const soft = limited(1024, 65536, null)
    expect(maxclients(soft)).toBe('10000')
    // setrlimit set both limits to 10032 at start: no more room without the capability.
    expect(soft.call(['CONFIG', 'SET', 'maxclients', '10001'])).toEqual(tryWith(10000))
    const root = limited(1024, 1024, 1048576)
    expect(root.call(['CONFIG', 'SET', 'maxclients', '100000']).type).toBe('simple')
    expect(maxclients(root)).toBe('100000')
  })
})

describe('CONFIG SET port and the host listening socket (config.c updatePort)', () => {
  const withHook = (listenable: (port: number) => boolean) => {
    const s = createServer({
      seed: 1,
      openFilesLimit: { cur: 1024, max: 1024, privilegedMax: null },
    })
    const asked: number[] = []
    s.setChangeListenPort((port) => {
      asked.push(port)
      return listenable(port)
    })
    return { s, asked }
  }
  const get = (s: ReturnType<typeof createServer>, name: string): unknown => {
    const reply = s.call(['CONFIG', 'GET', name])
    return reply.type === 'array' ? reply.value?.[1]?.value : null
  }

  it('asks the host only for a changed port, and a refusal rolls every value back', () => {
    const { s, asked } = withHook((port) => port !== 7001)
    expect(s.call(['CONFIG', 'SET', 'port', '6379'])).toEqual(r.ok)
    expect(asked).toEqual([])
    expect(s.call(['CONFIG', 'SET', 'maxmemory', '10000001', 'port', '7001'])).toEqual(
      failed('port', 'Unable to listen on this port. Check server logs.'),
    )
    // The refused port left the socket where it was: nothing to ask again.
    expect(asked).toEqual([7001])
    expect(get(s, 'maxmemory')).toBe('0')
    expect(get(s, 'port')).toBe('6379')
    expect(s.call(['CONFIG', 'SET', 'port', '7002'])).toEqual(r.ok)
    expect(get(s, 'port')).toBe('7002')
  })

  it('moves the socket back when a later apply function fails', () => {
    const { s, asked } = withHook(() => true)
    // The port applies first (its parameter comes first), then maxclients cannot fit.
    expect(s.call(['CONFIG', 'SET', 'port', '7003', 'maxclients', '2000'])).toEqual(
      failed(
        'maxclients',
        'The operating system is not able to handle the specified number of clients, try with 992',
      ),
    )
    expect(asked).toEqual([7003, 6379])
    expect(get(s, 'port')).toBe('6379')
    expect(get(s, 'maxclients')).toBe('992')
  })
})
