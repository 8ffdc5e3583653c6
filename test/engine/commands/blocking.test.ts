/**
 * Blocking pops through the engine's API on the virtual clock: a blocked client's call
 * returns the BLOCKED placeholder, its reply arrives in the outbox when another client
 * pushes, when tick() passes its deadline, or on CLIENT UNBLOCK; clients that may not block
 * (denyBlocking, the default client, MULTI) answer at once; a clone taken while a client
 * waits serves it the same way. (Byte-for-byte comparison with redis-server, with real
 * sockets, is in test/conformance/blocking.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import { BLOCKED, type Reply } from '../../../src/engine/reply.ts'
import { respEncode } from '../../../src/engine/resp.ts'

function setup(): { server: EngineServer; a: number; b: number } {
  const server = createServer({
    seed: 7,
    clock: manualClock(1_800_000_000_000),
    enableDebugCommand: 'yes',
  }) as EngineServer
  return { server, a: server.createClient(), b: server.createClient() }
}

const bulks = (...items: string[]): Reply => ({
  type: 'array',
  value: items.map((value) => ({ type: 'bulk', value })),
})

describe('blocking pops on the engine API', () => {
  it('blocks, then serves the first waiter when another client pushes', () => {
    const { server, a, b } = setup()
    const c = server.createClient()
    expect(server.call(['BLPOP', 'q', '0'], a)).toBe(BLOCKED)
    expect(server.call(['BRPOP', 'q', '0'], c)).toBe(BLOCKED)
    expect(server.isBlocked?.(a)).toBe(true)
    expect(server.drainOutbox?.().size).toBe(0)
    expect(server.call(['RPUSH', 'q', 'x', 'y', 'z'], b)).toEqual({ type: 'integer', value: 3 })
    const out = server.drainOutbox?.()
    expect(out?.get(a)).toBe(respEncode(bulks('q', 'x')))
    expect(out?.get(c)).toBe(respEncode(bulks('q', 'z')))
    expect(server.isBlocked?.(a)).toBe(false)
    expect(server.call(['LRANGE', 'q', '0', '-1'], b)).toEqual(bulks('y'))
    expect(server.validate()).toEqual([])
  })

  it('times out on the virtual clock when tick() passes the deadline', () => {
    const { server, a, b } = setup()
    expect(server.call(['BZPOPMIN', 'z', '1.5'], a)).toBe(BLOCKED)
    server.tick(1000)
    expect(server.isBlocked?.(a)).toBe(true)
    server.tick(600)
    expect(server.isBlocked?.(a)).toBe(false)
    expect(server.drainOutbox?.().get(a)).toBe('*-1\r\n')
    // A zset that arrives later is not taken by anyone.
    server.call(['ZADD', 'z', '1', 'm'], b)
    expect(server.call(['ZCARD', 'z'], b)).toEqual({ type: 'integer', value: 1 })
  })

  it('refuses to run a command for a client that is still blocked', () => {
    const { server, a } = setup()
    server.call(['BLPOP', 'q', '0'], a)
    expect(() => server.call(['PING'], a)).toThrow(/blocked/)
  })

  it('answers at once for a client that may not block, the default client and MULTI', () => {
    const { server, b } = setup()
    const deny = server.createClient({ denyBlocking: true })
    expect(server.call(['BLPOP', 'q', '0'], deny)).toEqual({ type: 'array', value: null })
    expect(server.call(['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'])).toEqual({
      type: 'bulk',
      value: null,
    })
    server.call(['MULTI'], b)
    server.call(['BZPOPMAX', 'z', '0'], b)
    expect(server.call(['EXEC'], b)).toEqual({
      type: 'array',
      value: [{ type: 'array', value: null }],
    })
  })

  it('BLMOVE served creates its destination, which serves the next waiter', () => {
    const { server, a, b } = setup()
    const c = server.createClient()
    server.call(['BLMOVE', 'src', 'mid', 'RIGHT', 'LEFT', '0'], a)
    server.call(['BLPOP', 'mid', '0'], c)
    server.call(['LPUSH', 'src', 'v'], b)
    const out = server.drainOutbox?.()
    expect(out?.get(a)).toBe('$1\r\nv\r\n')
    expect(out?.get(c)).toBe(respEncode(bulks('mid', 'v')))
    expect(server.call(['EXISTS', 'src', 'mid'], b)).toEqual({ type: 'integer', value: 0 })
  })

  it('CLIENT UNBLOCK, closing and CLIENT KILL end a wait', () => {
    const { server, a, b } = setup()
    server.call(['BLPOP', 'q', '0'], a)
    expect(server.call(['CLIENT', 'UNBLOCK', String(a), 'ERROR'], b)).toEqual({
      type: 'integer',
      value: 1,
    })
    expect(server.drainOutbox?.().get(a)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n')
    server.call(['BLPOP', 'q', '0'], a)
    server.closeClient(a)
    server.call(['RPUSH', 'q', 'kept'], b)
    expect(server.call(['LLEN', 'q'], b)).toEqual({ type: 'integer', value: 1 })
    expect(server.validate()).toEqual([])
    // CLIENT KILL frees a blocked client at once: the next push is not taken by it.
    const c = server.createClient()
    server.call(['BLPOP', 'w', '0'], c)
    server.call(['CLIENT', 'KILL', 'ID', String(c)], b)
    server.call(['RPUSH', 'w', 'kept'], b)
    expect(server.call(['LLEN', 'w'], b)).toEqual({ type: 'integer', value: 1 })
    expect(server.validate()).toEqual([])
  })

  it('a clone taken while a client waits serves it like the original', () => {
    const { server, a, b } = setup()
    server.call(['BLMPOP', '0', '2', 'l1', 'l2', 'LEFT', 'COUNT', '2'], a)
    const copy = server.clone(manualClock(1_800_000_000_000))
    for (const s of [server, copy]) {
      s.call(['RPUSH', 'l2', '1', '2', '3'], b)
      expect(s.drainOutbox?.().get(a)).toBe(
        respEncode({ type: 'array', value: [{ type: 'bulk', value: 'l2' }, bulks('1', '2')] }),
      )
    }
    expect(copy.digest()).toBe(server.digest())
    expect(copy.validate()).toEqual([])
  })

  it('serves at the time of serving: a key whose TTL ran out during EXEC is expired, not served', () => {
    // A real clock moves while a command runs; this one moves 200 ms at every reading.
    let t = 1_800_000_000_000
    const clock = { now: () => (t += 200) }
    const server = createServer({ seed: 3, clock, enableDebugCommand: 'yes' }) as EngineServer
    const [a, b] = [server.createClient(), server.createClient()]
    server.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], b)
    expect(server.call(['BRPOP', 'k', '0'], a)).toBe(BLOCKED)
    server.call(['MULTI'], b)
    server.call(['RPUSH', 'k', 'hello'], b)
    server.call(['PEXPIRE', 'k', '100'], b)
    server.call(['EXEC'], b)
    expect(server.isBlocked?.(a)).toBe(true)
    expect(server.drainOutbox?.().size).toBe(0)
    expect(server.call(['EXISTS', 'k'], b)).toEqual({ type: 'integer', value: 0 })
  })

  it('keys a DEBUG RELOAD brings back do not serve waiters (dbAddRDBLoad signals nothing)', () => {
    const { server, a, b } = setup()
    server.call(['RPUSH', 'q', 'v'], b)
    server.call(['SAVE'], b)
    server.call(['DEL', 'q'], b)
    expect(server.call(['BLPOP', 'q', '0'], a)).toBe(BLOCKED)
    server.call(['DEBUG', 'RELOAD', 'NOSAVE'], b)
    // A push onto the existing list does not signal either (only a new key does).
    server.call(['LPUSH', 'q', 'w'], b)
    expect(server.isBlocked?.(a)).toBe(true)
    server.call(['DEL', 'q'], b)
    server.call(['LPUSH', 'q', 'z'], b)
    expect(server.drainOutbox?.().get(a)).toBe(respEncode(bulks('q', 'z')))
  })
})
