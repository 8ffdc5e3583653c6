import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { Reply } from '../../../src/engine/reply.ts'
import { respEncode } from '../../../src/engine/resp.ts'
import { raxInsert, raxNew, raxRandomWalk } from '../../../src/engine/structures/rax.ts'
import { rngCreate, rngRandom } from '../../../src/engine/rng.ts'
import type { StepEvent } from '../../../src/engine/events.ts'

type Server = ReturnType<typeof createServer>

function setup(trace: 'off' | 'summary' = 'summary', seed = 7) {
  const srv = createServer({ seed, clock: manualClock(1_700_000_000_000), trace })
  const events: StepEvent[] = []
  const run = (id: number, ...argv: string[]): string => {
    const t = srv.execute(argv, id)
    events.push(...t.events)
    return respEncode(t.reply)
  }
  /** What the transport would write to each client outside its replies (beforeSleep). */
  const drain = (): Record<number, string> => Object.fromEntries(srv.drainOutbox?.() ?? [])
  return { srv, run, drain, events }
}

const inv = (...keys: string[]): string =>
  `>2\r\n$10\r\ninvalidate\r\n*${String(keys.length)}\r\n` +
  keys.map((k) => `$${String(k.length)}\r\n${k}\r\n`).join('')

function info(srv: Server, field: string): string {
  const r = srv.call(['INFO']) as Extract<Reply, { type: 'bulk' }>
  return new RegExp(`${field}:(\\d+)`).exec(r.value ?? '')?.[1] ?? '?'
}

describe('raxRandomWalk', () => {
  it('lands on a key of the tree, the same one for the same rand()', () => {
    const keys = ['a', 'ab', 'abc', 'b', 'bcd', 'foo', 'foobar', 'zz']
    const rax = raxNew<null>()
    for (const k of keys) raxInsert(rax, k, null)
    const picks = (seed: number): string[] => {
      const rng = rngCreate(seed)
      return Array.from({ length: 50 }, () => raxRandomWalk(rax, 0, () => rngRandom(rng)) ?? '')
    }
    const a = picks(3)
    expect(a).toEqual(picks(3))
    for (const k of a) expect(keys).toContain(k)
    // A walk of 50 reaches more than one key.
    expect(new Set(a).size).toBeGreaterThan(1)
    expect(raxRandomWalk(raxNew<null>(), 0, () => 0)).toBeNull()
  })
})

describe('client-side caching (tracking.ts)', () => {
  it('invalidates a RESP3 client once per remembered read, after its own reply', () => {
    const { srv, run, drain, events } = setup()
    const a = srv.createClient()
    const b = srv.createClient()
    run(a, 'HELLO', '3')
    expect(run(a, 'CLIENT', 'TRACKING', 'on')).toBe('+OK\r\n')
    run(a, 'MGET', 'k1', 'k2')
    expect(events).toContainEqual({
      type: 'tracking/keysRemembered',
      client: a,
      keys: ['k1', 'k2'],
    })
    expect(info(srv, 'tracking_total_keys')).toBe('2')
    run(b, 'SET', 'k1', 'x')
    expect(drain()).toEqual({ [a]: inv('k1') })
    expect(events).toContainEqual({
      type: 'tracking/keyInvalidated',
      key: 'k1',
      clients: [a],
      prefixes: [],
      evicted: false,
    })
    run(b, 'SET', 'k1', 'y')
    expect(drain()).toEqual({})
    expect(run(a, 'SET', 'k2', 'z')).toBe('+OK\r\n' + inv('k2'))
    expect(info(srv, 'tracking_total_keys')).toBe('0')
    expect(srv.validate()).toEqual([])
  })

  it('sends flush nulls in the tracking client’s protocol, to itself after its reply', () => {
    const { srv, run, drain, events } = setup()
    const a = srv.createClient()
    const sub = srv.createClient()
    run(sub, 'SUBSCRIBE', '__redis__:invalidate')
    run(a, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', String(sub))
    run(a, 'GET', 'x')
    run(a, 'FLUSHALL')
    expect(drain()).toEqual({
      [sub]: '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n',
    })
    expect(events.at(-1)).toEqual({ type: 'tracking/flushed', clients: [a], keys: 1 })
    const c = srv.createClient()
    run(c, 'HELLO', '3')
    run(c, 'CLIENT', 'TRACKING', 'on')
    expect(run(c, 'FLUSHDB')).toBe('+OK\r\n>2\r\n$10\r\ninvalidate\r\n_\r\n')
  })

  it('collects BCAST keys per prefix until drainOutbox (beforeSleep), honouring NOLOOP', () => {
    const { srv, run, drain } = setup()
    const a = srv.createClient()
    const b = srv.createClient()
    run(a, 'HELLO', '3')
    run(a, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u:', 'PREFIX', 'v:', 'NOLOOP')
    expect(info(srv, 'tracking_total_prefixes')).toBe('2')
    // Two commands before the transport sleeps: one message per prefix, keys in byte order.
    run(b, 'SET', 'u:2', '1')
    run(b, 'MSET', 'u:1', '1', 'w:1', '1', 'v:9', '1')
    run(a, 'SET', 'u:3', '1')
    expect(drain()).toEqual({ [a]: inv('u:1', 'u:2') + inv('v:9') })
    run(a, 'SET', 'u:3', '2')
    expect(drain()).toEqual({})
    run(a, 'CLIENT', 'TRACKING', 'off')
    expect(info(srv, 'tracking_total_prefixes')).toBe('0')
    expect(srv.validate()).toEqual([])
  })

  it('remembers keys under OPTIN only after CLIENT CACHING yes, for one command', () => {
    const { srv, run, drain } = setup()
    const a = srv.createClient()
    const b = srv.createClient()
    run(a, 'HELLO', '3')
    run(a, 'CLIENT', 'TRACKING', 'on', 'OPTIN')
    run(a, 'GET', 'o1')
    run(a, 'CLIENT', 'CACHING', 'yes')
    run(a, 'GET', 'o2')
    run(a, 'GET', 'o3')
    run(b, 'MSET', 'o1', '1', 'o2', '1', 'o3', '1')
    expect(drain()).toEqual({ [a]: inv('o2') })
  })

  it('tells a RESP3 client its redirect client is gone, and flags it R', () => {
    const { srv, run } = setup()
    const a = srv.createClient()
    const gone = srv.createClient()
    run(a, 'HELLO', '3')
    run(a, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', String(gone))
    run(a, 'GET', 'k')
    srv.closeClient(gone)
    expect(run(a, 'SET', 'k', '1')).toBe(
      `+OK\r\n>2\r\n$21\r\ntracking-redir-broken\r\n:${String(gone)}\r\n`,
    )
    expect(run(a, 'CLIENT', 'INFO')).toMatch(new RegExp(`flags=tR .* redir=${String(gone)} `))
  })

  it('evicts random keys past tracking-table-max-keys, the same ones for the same seed, whatever the trace level', () => {
    const evicted = (trace: 'off' | 'summary', seed: number): string => {
      const { srv, run, drain } = setup(trace, seed)
      const a = srv.createClient()
      run(a, 'HELLO', '3')
      run(a, 'CLIENT', 'TRACKING', 'on')
      run(a, 'MGET', ...Array.from({ length: 40 }, (_, i) => `key:${String(i)}`))
      run(a, 'CONFIG', 'SET', 'tracking-table-max-keys', '10')
      // The limit applies before the next command: its messages precede the reply.
      const out = run(a, 'PING')
      expect(out.endsWith('+PONG\r\n')).toBe(true)
      expect(out.split('invalidate').length - 1).toBe(30)
      expect(info(srv, 'tracking_total_keys')).toBe('10')
      expect(drain()).toEqual({})
      expect(srv.validate()).toEqual([])
      return out
    }
    expect(evicted('off', 5)).toBe(evicted('summary', 5))
    expect(evicted('off', 5)).not.toBe(evicted('off', 6))
  })

  it('forgets a closed client’s prefixes and counts, and survives a clone', () => {
    const { srv, run, drain } = setup()
    const a = srv.createClient()
    const b = srv.createClient()
    run(a, 'HELLO', '3')
    run(a, 'CLIENT', 'TRACKING', 'on')
    run(a, 'GET', 'c1')
    run(b, 'CLIENT', 'TRACKING', 'on', 'BCAST')
    expect(info(srv, 'tracking_clients')).toBe('2')
    const copy = srv.clone(manualClock(1_700_000_000_000))
    srv.closeClient(b)
    expect(info(srv, 'tracking_clients')).toBe('1')
    expect(info(srv, 'tracking_total_prefixes')).toBe('0')
    expect(srv.validate()).toEqual([])
    // The copy still has both clients and the remembered key.
    copy.call(['SET', 'c1', 'v'], b)
    expect(Object.fromEntries(copy.drainOutbox?.() ?? [])).toEqual({ [a]: inv('c1') })
    expect(copy.validate()).toEqual([])
    expect(drain()).toEqual({})
  })
})
