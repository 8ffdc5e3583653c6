/**
 * snapshot.ts through EngineServer.clone: a clone has the original's state (digest, INFO,
 * encodings, clients, side tables), behaves the same from then on (replies, events, RNG
 * draws, cron), and is independent of it in both directions.
 */
import { describe, expect, test } from 'vitest'
import { createServer, manualClock, type EngineServer, type Reply } from '../../src/engine/index.ts'
import { createCopier } from '../../src/engine/snapshot.ts'

function newServer(config: Record<string, string> = {}): {
  server: EngineServer
  clock: ReturnType<typeof manualClock>
} {
  const clock = manualClock()
  const server = createServer({ seed: 7, clock, trace: 'full', enableDebugCommand: 'yes', config })
  return { server, clock }
}

function cloneOf(s: { server: EngineServer; clock: ReturnType<typeof manualClock> }): {
  server: EngineServer
  clock: ReturnType<typeof manualClock>
} {
  const clock = manualClock(s.clock.now())
  return { server: s.server.clone(clock), clock }
}

function text(r: Reply): string {
  return r.type === 'bulk' || r.type === 'simple' || r.type === 'error' ? (r.value ?? '') : ''
}

/** INFO memory/stats/keyspace lines that both servers must agree on. */
function infoLines(s: EngineServer): string[] {
  return text(s.call(['INFO', 'everything']))
    .split('\r\n')
    .filter((l) => !l.startsWith('process_id') && !l.startsWith('executable'))
}

function fill(s: EngineServer): void {
  s.call(['DEBUG', 'POPULATE', '3000'])
  s.call(['RPUSH', 'list', ...Array.from({ length: 500 }, (_, i) => `item-${String(i)}`)])
  s.call([
    'ZADD',
    'zbig',
    ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${String(i)}`]).flat(),
  ])
  s.call(['ZADD', 'zsmall', '1', 'a', '2', 'b'])
  s.call(['HSET', 'hbig', ...Array.from({ length: 300 }, (_, i) => [`f${String(i)}`, 'v']).flat()])
  s.call(['HSET', 'hsmall', 'f', 'v'])
  s.call(['SADD', 'ints', '1', '2', '3', '40000'])
  s.call(['SADD', 'sbig', ...Array.from({ length: 600 }, (_, i) => `s${String(i)}`)])
  s.call(['SET', 'n', '42'])
  s.call(['SET', 'raw', 'x'.repeat(100)])
  for (let i = 0; i < 50; i++) s.call(['PEXPIRE', `key:${String(i)}`, String(100 + i * 50)])
}

describe('EngineServer.clone', () => {
  test('copies the whole state: digest, INFO, encodings, self-check', () => {
    const a = newServer()
    fill(a.server)
    a.server.call(['SELECT', '3'])
    a.server.call(['SET', 'in3', 'x'])
    const b = cloneOf(a)
    expect(b.server.digest()).toBe(a.server.digest())
    expect(b.server.validate()).toEqual([])
    expect(infoLines(b.server)).toEqual(infoLines(a.server))
    for (const k of ['list', 'zbig', 'zsmall', 'hbig', 'hsmall', 'ints', 'sbig', 'n', 'raw'])
      expect(b.server.call(['OBJECT', 'ENCODING', k])).toEqual(
        a.server.call(['OBJECT', 'ENCODING', k]),
      )
    // The default client's selected db came along.
    expect(b.server.call(['GET', 'in3'])).toEqual({ type: 'bulk', value: 'x' })
    expect(b.server.keyCount()).toBe(a.server.keyCount())
    expect(b.server.stateSize()).toBe(a.server.stateSize())
  })

  test('the same commands and ticks give the same replies, events and random draws', () => {
    const a = newServer({ hz: '10' })
    fill(a.server)
    const b = cloneOf(a)
    const script: (string[] | number)[] = [
      ['RANDOMKEY'],
      ['SRANDMEMBER', 'sbig', '-5'],
      ['SPOP', 'sbig', '3'],
      ['ZADD', 'zbig', '5', 'new'],
      ['ZRANDMEMBER', 'zbig', '4', 'WITHSCORES'],
      ['HRANDFIELD', 'hbig', '3'],
      ['SCAN', '0', 'COUNT', '50'],
      1000,
      ['LPOP', 'list', '10'],
      ['DEBUG', 'POPULATE', '500', 'more'],
      2500,
      ['DBSIZE'],
      ['INFO', 'memory'],
      ['DEBUG', 'DIGEST'],
    ]
    for (const step of script) {
      if (typeof step === 'number') {
        expect(b.server.tick(step)).toEqual(a.server.tick(step))
      } else {
        const ta = a.server.execute(step)
        const tb = b.server.execute(step)
        expect(tb).toEqual(ta)
      }
    }
    expect(b.server.digest()).toBe(a.server.digest())
  })

  test('neither server affects the other', () => {
    const a = newServer()
    fill(a.server)
    const before = a.server.digest()
    const b = cloneOf(a)
    b.server.call(['FLUSHALL'])
    b.server.call(['SET', 'only-in-b', '1'])
    b.server.tick(5000)
    expect(a.server.digest()).toBe(before)
    expect(a.server.call(['EXISTS', 'only-in-b'])).toEqual({ type: 'integer', value: 0 })
    const bDigest = b.server.digest()
    a.server.call(['ZADD', 'zbig', '1', 'zz'])
    a.server.call(['RPUSH', 'list', 'tail'])
    a.server.call(['HSET', 'hbig', 'f0', 'changed'])
    a.server.call(['SADD', 'ints', '7'])
    expect(b.server.digest()).toBe(bDigest)
    expect(a.server.validate()).toEqual([])
    expect(b.server.validate()).toEqual([])
    // Strings share their (immutable) sds: changing one in the copy leaves the original's.
    const c = cloneOf(a)
    const raw = a.server.call(['GET', 'raw'])
    for (const argv of [
      ['APPEND', 'raw', 'tail'],
      ['SETRANGE', 'raw', '3', 'yy'],
      ['APPEND', 'key:1', 'more'],
      ['INCRBY', 'n', '5'],
      ['SETBIT', 'key:2', '3', '1'],
    ])
      c.server.call(argv)
    expect(a.server.call(['GET', 'raw'])).toEqual(raw)
    expect(a.server.call(['GET', 'key:1'])).toEqual({ type: 'bulk', value: 'value:1' })
    expect(a.server.call(['GET', 'n'])).toEqual({ type: 'bulk', value: '42' })
    expect(a.server.call(['GET', 'key:2'])).toEqual({ type: 'bulk', value: 'value:2' })
  })

  test('clients, MULTI queues and WATCHes are copied', () => {
    const a = newServer()
    const c1 = a.server.createClient()
    const c2 = a.server.createClient()
    a.server.call(['SET', 'w', '1'], c1)
    a.server.call(['WATCH', 'w'], c1)
    a.server.call(['MULTI'], c1)
    a.server.call(['INCR', 'w'], c1)
    const b = cloneOf(a)
    // Another client touches the watched key in the clone only.
    b.server.call(['SET', 'w', '5'], c2)
    expect(b.server.call(['EXEC'], c1)).toEqual({ type: 'array', value: null })
    expect(a.server.call(['EXEC'], c1)).toEqual({
      type: 'array',
      value: [{ type: 'integer', value: 2 }],
    })
    expect(b.server.validate()).toEqual([])
  })

  test('eviction continues the same way (pool and memory accounting are copied)', () => {
    const a = newServer({ 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': '5' })
    a.server.call(['DEBUG', 'POPULATE', '2000'])
    const used = Number(/used_memory:(\d+)/.exec(text(a.server.call(['INFO', 'memory'])))?.[1])
    a.server.call(['CONFIG', 'SET', 'maxmemory', String(used - 20000)])
    a.server.call(['SET', 'trigger', 'x'])
    const b = cloneOf(a)
    for (let i = 0; i < 30; i++) {
      const argv = ['SET', `new:${String(i)}`, 'y'.repeat(200)]
      expect(b.server.execute(argv)).toEqual(a.server.execute(argv))
    }
    expect(infoLines(b.server)).toEqual(infoLines(a.server))
    expect(b.server.digest()).toBe(a.server.digest())
  })
})

describe('createCopier', () => {
  test('keeps sharing and cycles, copies Maps, Sets and byte arrays', () => {
    const shared = { n: 1 }
    const node: { next: unknown; bytes: Uint8Array } = { next: null, bytes: new Uint8Array([1, 2]) }
    node.next = node
    const src = {
      a: shared,
      b: [shared, node],
      m: new Map([[shared, new Set([node])]]),
    }
    const copy = createCopier().copy(src)
    expect(copy.a).not.toBe(shared)
    expect(copy.b[0]).toBe(copy.a)
    const n = copy.b[1] as typeof node
    expect(n.next).toBe(n)
    expect(n.bytes).toEqual(node.bytes)
    expect(n.bytes).not.toBe(node.bytes)
    expect([...copy.m.keys()][0]).toBe(copy.a)
    expect([...([...copy.m.values()][0] ?? [])][0]).toBe(n)
  })

  test('refuses functions and class instances it was not told about', () => {
    expect(() => createCopier().copy({ f: () => 1 })).toThrow(/function/)
    class Thing {
      x = 1
    }
    expect(() => createCopier().copy({ t: new Thing() })).toThrow(/Thing/)
    const f = (): number => 1
    expect(createCopier(new Map([[f, f]])).copy({ f }).f).toBe(f)
  })
})

describe('EngineServer.clone carries the server-wide DEBUG state', () => {
  test('DEBUG QUICKLIST-PACKED-THRESHOLD and the image DEBUG RELOAD NOSAVE loads', () => {
    const a = newServer()
    a.server.call(['RPUSH', 'l', 'short'])
    expect(a.server.call(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5b'])).toEqual({
      type: 'simple',
      value: 'OK',
    })
    a.server.call(['SET', 'saved', '1'])
    expect(a.server.call(['DEBUG', 'RELOAD'])).toEqual({ type: 'simple', value: 'OK' })
    a.server.call(['SET', 'after', '2'])
    const b = cloneOf(a)
    for (const s of [a.server, b.server]) {
      // A new list and the old one both take the 5-byte threshold: a PLAIN node each.
      s.call(['RPUSH', 'fresh', 'longer-than-five'])
      s.call(['RPUSH', 'l', 'longer-than-five'])
      // NOSAVE loads the image of the last DEBUG RELOAD: 'after' is gone, 'saved' is back.
      expect(s.call(['DEBUG', 'RELOAD', 'NOSAVE'])).toEqual({ type: 'simple', value: 'OK' })
      expect(s.call(['EXISTS', 'saved', 'after'])).toEqual({ type: 'integer', value: 1 })
    }
    // The lists were rebuilt from the image too: push once more under the threshold.
    for (const s of [a.server, b.server]) s.call(['RPUSH', 'l', 'another-long-one'])
    expect(b.server.call(['MEMORY', 'USAGE', 'l'])).toEqual(a.server.call(['MEMORY', 'USAGE', 'l']))
    expect(b.server.digest()).toBe(a.server.digest())
    expect(text(b.server.call(['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0']))).toBe('OK')
  })
})
