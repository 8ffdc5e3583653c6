/**
 * CLIENT PAUSE on the engine API and the virtual clock (networking.c pauseClients, blocked.c
 * BLOCKED_POSTPONE): a covered command returns the BLOCKED placeholder and runs again, from
 * the start, when the pause ends (by time, found by cron, or at CLIENT UNPAUSE), its reply
 * in the outbox; meanwhile keys expire for readers without being deleted and nothing is
 * evicted. Checked against redis-server 7.0.15 by hand with two connections (a conformance
 * script cannot wait for a held reply; fuzz-fixes-2.redis has what does not wait).
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import { BLOCKED } from '../../../src/engine/reply.ts'

function setup(): { server: EngineServer; a: number; b: number } {
  const server = createServer({ seed: 7, clock: manualClock(1_800_000_000_000) }) as EngineServer
  return { server, a: server.createClient(), b: server.createClient() }
}

const OK = { type: 'simple', value: 'OK' }
const int = (value: number) => ({ type: 'integer', value })

describe('CLIENT PAUSE', () => {
  it('WRITE holds writes (and PUBLISH) until the pause ends; reads go on', () => {
    const { server, a, b } = setup()
    server.call(['SET', 'k', 'old'], a)
    expect(server.call(['CLIENT', 'PAUSE', '500', 'WRITE'], a)).toEqual(OK)
    expect(server.call(['SET', 'k', 'new'], b)).toBe(BLOCKED)
    expect(server.isBlocked?.(b)).toBe(true)
    expect(server.call(['GET', 'k'], a)).toEqual({ type: 'bulk', value: 'old' })
    expect(server.call(['CLIENT', 'LIST', 'ID', String(b)], a)).toMatchObject({
      value: expect.stringContaining('flags=b ') as unknown,
    })
    expect(server.call(['INFO', 'clients'], a)).toMatchObject({
      value: expect.stringContaining('blocked_clients:1\r\n') as unknown,
    })
    server.tick(400)
    expect(server.isBlocked?.(b)).toBe(true)
    server.tick(200)
    expect(server.isBlocked?.(b)).toBe(false)
    expect(server.drainOutbox?.().get(b)).toBe('+OK\r\n')
    expect(server.call(['GET', 'k'], a)).toEqual({ type: 'bulk', value: 'new' })
    const c = server.createClient()
    server.call(['CLIENT', 'PAUSE', '500', 'WRITE'], a)
    expect(server.call(['PUBLISH', 'ch', 'm'], c)).toBe(BLOCKED)
    expect(server.call(['PFCOUNT', 'h'], b)).toBe(BLOCKED)
    expect(server.validate()).toEqual([])
  })

  it('ALL holds every command, CLIENT UNPAUSE too; UNPAUSE ends a WRITE pause at once', () => {
    const { server, a, b } = setup()
    server.call(['CLIENT', 'PAUSE', '300'], a)
    expect(server.call(['PING'], b)).toBe(BLOCKED)
    expect(server.call(['CLIENT', 'UNPAUSE'], a)).toBe(BLOCKED)
    server.tick(400)
    const out = server.drainOutbox?.()
    expect(out?.get(a)).toBe('+OK\r\n')
    expect(out?.get(b)).toBe('+PONG\r\n')
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], a)
    expect(server.call(['DEL', 'k'], b)).toBe(BLOCKED)
    expect(server.call(['CLIENT', 'UNPAUSE'], a)).toEqual(OK)
    expect(server.drainOutbox?.().get(b)).toBe(':0\r\n')
  })

  it('a WRITE pause made ALL keeps the longer end; a held EXEC of writes runs after', () => {
    const { server, a, b } = setup()
    server.call(['MULTI'], b)
    server.call(['INCR', 'n'], b)
    server.call(['CLIENT', 'PAUSE', '300', 'WRITE'], a)
    expect(server.call(['CLIENT', 'PAUSE', '10', 'ALL'], a)).toEqual(OK)
    expect(server.call(['EXEC'], b)).toBe(BLOCKED)
    server.tick(200)
    expect(server.call(['GET', 'n'], a)).toBe(BLOCKED)
    server.tick(200)
    const out = server.drainOutbox?.()
    expect(out?.get(b)).toBe('*1\r\n:1\r\n')
    expect(out?.get(a)).toBe('$1\r\n1\r\n')
  })

  it('a zero or overflowing timeout pauses nothing', () => {
    const { server, a, b } = setup()
    server.call(['CLIENT', 'PAUSE', '0'], a)
    expect(server.call(['SET', 'k', '1'], b)).toEqual(OK)
    server.call(['CLIENT', 'PAUSE', '9223372036854775807', 'WRITE'], a)
    expect(server.call(['SET', 'k', '2'], b)).toEqual(OK)
  })

  it('keeps expired keys (expired to readers) and a closed held client runs nothing', () => {
    const { server, a, b } = setup()
    server.call(['SET', 'e', 'v', 'PX', '100'], a)
    server.call(['CLIENT', 'PAUSE', '1000', 'WRITE'], a)
    expect(server.call(['SET', 'q', '1'], b)).toBe(BLOCKED)
    server.closeClient(b)
    server.tick(200)
    expect(server.call(['GET', 'e'], a)).toEqual({ type: 'bulk', value: null })
    expect(server.call(['DBSIZE'], a)).toEqual(int(1))
    expect(server.call(['CLIENT', 'UNPAUSE'], a)).toEqual(OK)
    expect(server.call(['GET', 'e'], a)).toEqual({ type: 'bulk', value: null })
    expect(server.call(['DBSIZE'], a)).toEqual(int(0))
    expect(server.call(['INFO', 'clients'], a)).toMatchObject({
      value: expect.stringContaining('blocked_clients:0\r\n') as unknown,
    })
  })

  it('CLIENT UNBLOCK ERROR answers a held client, which then runs its command again', () => {
    const { server, a, b } = setup()
    server.call(['CLIENT', 'PAUSE', '1000', 'WRITE'], a)
    expect(server.call(['SET', 'k', '1'], b)).toBe(BLOCKED)
    expect(server.call(['CLIENT', 'UNBLOCK', String(b), 'ERROR'], a)).toEqual(int(1))
    expect(server.drainOutbox?.().get(b)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n')
    expect(server.isBlocked?.(b)).toBe(true)
    server.tick(1100)
    expect(server.drainOutbox?.().get(b)).toBe('+OK\r\n')
  })

  it('the default client (no connection, cannot wait) is never held', () => {
    const { server, a } = setup()
    server.call(['CLIENT', 'PAUSE', '1000'], a)
    expect(server.call(['SET', 'k', '1'])).toEqual(OK)
  })
})
