/**
 * CLIENT PAUSE on the engine API with a virtual clock: postponed commands return the BLOCKED
 * placeholder, count as blocked clients, and run in order with their replies in the outbox
 * on CLIENT UNPAUSE or once tick() passes the pause's end; WRITE holds only commands that
 * may replicate, ALL holds everything; expiry and eviction delete nothing meanwhile.
 * (The Tcl unit tests/unit/pause.tcl runs the same against the RESP server.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import { BLOCKED, type Reply } from '../../../src/engine/reply.ts'

function setup(): { server: EngineServer; admin: number; a: number; b: number } {
  const server = createServer({
    seed: 3,
    clock: manualClock(1_800_000_000_000),
    enableDebugCommand: 'yes',
  }) as EngineServer
  return {
    server,
    admin: server.createClient(),
    a: server.createClient(),
    b: server.createClient(),
  }
}

const OK: Reply = { type: 'simple', value: 'OK' }
const int = (value: number): Reply => ({ type: 'integer', value })
const bulk = (value: string | null): Reply => ({ type: 'bulk', value })

function infoField(server: EngineServer, id: number, field: string): string {
  const r = server.call(['INFO', 'everything'], id)
  const text = r.type === 'bulk' ? (r.value ?? '') : ''
  return new RegExp(`^${field}:(.*)\r$`, 'm').exec(text)?.[1] ?? ''
}

describe('CLIENT PAUSE', () => {
  it('WRITE postpones writes and may-replicate commands, not reads', () => {
    const { server, admin, a, b } = setup()
    server.call(['PFADD', 'hll', 'x'], admin)
    expect(server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)).toEqual(OK)
    expect(server.call(['GET', 'k'], a)).toEqual(bulk(null))
    expect(server.call(['PING'], a)).toEqual({ type: 'simple', value: 'PONG' })
    expect(server.call(['SET', 'k', 'v'], a)).toBe(BLOCKED)
    expect(server.call(['PFCOUNT', 'hll'], b)).toBe(BLOCKED)
    expect(server.isBlocked?.(a)).toBe(true)
    expect(infoField(server, admin, 'blocked_clients')).toBe('2')
    const list = server.call(['CLIENT', 'LIST', 'ID', String(a)], admin)
    expect(list.type === 'bulk' ? list.value : '').toMatch(/ flags=b .* cmd=set /)
    expect(server.call(['GET', 'k'], admin)).toEqual(bulk(null))
    expect(server.drainOutbox?.().size).toBe(0)
    expect(server.validate()).toEqual([])

    expect(server.call(['CLIENT', 'UNPAUSE'], admin)).toEqual(OK)
    const out = server.drainOutbox?.()
    expect(out?.get(a)).toBe('+OK\r\n')
    expect(out?.get(b)).toBe(':1\r\n')
    expect(server.isBlocked?.(a)).toBe(false)
    expect(infoField(server, admin, 'blocked_clients')).toBe('0')
    expect(server.call(['GET', 'k'], admin)).toEqual(bulk('v'))
    expect(server.validate()).toEqual([])
  })

  it('runs the postponed commands in the order they arrived', () => {
    const { server, admin, a, b } = setup()
    const c = server.createClient()
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    expect(server.call(['RPUSH', 'l', 'b'], b)).toBe(BLOCKED)
    expect(server.call(['RPUSH', 'l', 'a'], a)).toBe(BLOCKED)
    expect(server.call(['RPUSH', 'l', 'c'], c)).toBe(BLOCKED)
    server.call(['CLIENT', 'UNPAUSE'], admin)
    const out = server.drainOutbox?.()
    expect([out?.get(b), out?.get(a), out?.get(c)]).toEqual([':1\r\n', ':2\r\n', ':3\r\n'])
    expect(server.call(['LRANGE', 'l', '0', '-1'], admin)).toEqual({
      type: 'array',
      value: [bulk('b'), bulk('a'), bulk('c')],
    })
  })

  it('ALL postpones every command, CLIENT UNPAUSE included; the timeout releases them', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '500'], admin)
    expect(server.call(['GET', 'k'], a)).toBe(BLOCKED)
    expect(server.call(['CLIENT', 'UNPAUSE'], admin)).toBe(BLOCKED)
    server.tick(400)
    expect(server.isBlocked?.(a)).toBe(true)
    server.tick(200)
    expect(server.isBlocked?.(a)).toBe(false)
    expect(server.isBlocked?.(admin)).toBe(false)
    const out = server.drainOutbox?.()
    expect(out?.get(a)).toBe('$-1\r\n')
    expect(out?.get(admin)).toBe('+OK\r\n')
    expect(server.validate()).toEqual([])
  })

  it('a pause whose end passed unseen postpones a command and releases it at once', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '1', 'WRITE'], admin)
    // Less than a cron period: nothing has looked at the pause since it ended.
    server.tick(5)
    expect(server.call(['SET', 'k', 'v'], a)).toEqual(OK)
    expect(server.isBlocked?.(a)).toBe(false)
    expect(server.drainOutbox?.().size).toBe(0)
    expect(server.call(['GET', 'k'], a)).toEqual(bulk('v'))
  })

  it('keeps the stronger type and the later end; a weaker pause releases the reads', () => {
    const { server, admin, a, b } = setup()
    server.call(['CLIENT', 'PAUSE', '1000', 'WRITE'], admin)
    server.call(['CLIENT', 'PAUSE', '200', 'ALL'], admin)
    // One pause: ALL until the later end (1000 ms).
    expect(server.call(['GET', 'k'], a)).toBe(BLOCKED)
    server.tick(600)
    expect(server.isBlocked?.(a)).toBe(true)
    server.tick(500)
    expect(server.drainOutbox?.().get(a)).toBe('$-1\r\n')
    // ALL then WRITE: the write is postponed again, the read runs.
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    expect(server.call(['SET', 'k', 'v'], b)).toBe(BLOCKED)
    server.call(['CLIENT', 'UNPAUSE'], admin)
    expect(server.drainOutbox?.().get(b)).toBe('+OK\r\n')
  })

  it('answers errors found before the pause check at once', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '100000', 'ALL'], admin)
    expect(server.call(['SET', 'k'], a)).toEqual({
      type: 'error',
      value: "ERR wrong number of arguments for 'set' command",
    })
    expect(server.call(['NOSUCH'], a).type).toBe('error')
  })

  it('holds an EXEC whose queue writes; the pause given inside EXEC starts after it', () => {
    const { server, admin, a, b } = setup()
    server.call(['MULTI'], a)
    expect(server.call(['SET', 'x', '1'], a)).toEqual({ type: 'simple', value: 'QUEUED' })
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    expect(server.call(['EXEC'], a)).toBe(BLOCKED)
    server.call(['MULTI'], b)
    server.call(['GET', 'x'], b)
    expect(server.call(['EXEC'], b)).toEqual({ type: 'array', value: [bulk(null)] })
    server.call(['CLIENT', 'UNPAUSE'], admin)
    expect(server.drainOutbox?.().get(a)).toBe('*1\r\n+OK\r\n')

    server.call(['MULTI'], admin)
    server.call(['SET', 'y', '1'], admin)
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.call(['SET', 'z', '1'], admin)
    expect(server.call(['EXEC'], admin)).toEqual({ type: 'array', value: [OK, OK, OK] })
    expect(server.call(['SET', 'w', '1'], b)).toBe(BLOCKED)
    server.call(['CLIENT', 'UNPAUSE'], admin)
  })

  it('expires and evicts nothing while paused', () => {
    const { server, admin, a } = setup()
    server.call(['SET', 'k', 'v', 'PX', '10'], admin)
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.tick(1000)
    // Logically expired, physically kept: no lazy and no active expiry.
    expect(server.call(['GET', 'k'], a)).toEqual(bulk(null))
    expect(server.call(['DBSIZE'], a)).toEqual(int(1))
    expect(infoField(server, a, 'expired_keys')).toBe('0')
    server.call(['CLIENT', 'UNPAUSE'], admin)
    server.call(['GET', 'k'], a)
    expect(infoField(server, a, 'expired_keys')).toBe('1')

    // Over maxmemory with allkeys-lru: a read evicts nothing while paused.
    server.call(['DEBUG', 'POPULATE', '2000'], admin)
    server.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], admin)
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.call(['CONFIG', 'SET', 'maxmemory', '1'], admin)
    server.call(['GET', 'key:1'], a)
    expect(infoField(server, a, 'evicted_keys')).toBe('0')
    expect(server.call(['DBSIZE'], a)).toEqual(int(2000))
    server.call(['CLIENT', 'UNPAUSE'], admin)
    server.call(['GET', 'key:1'], a)
    expect(Number(infoField(server, a, 'evicted_keys'))).toBeGreaterThan(0)
  })

  it('CLIENT UNBLOCK: ERROR answers and postpones again, TIMEOUT leaves it waiting', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.call(['SET', 'k', 'v'], a)
    expect(server.call(['CLIENT', 'UNBLOCK', String(a)], admin)).toEqual(int(0))
    expect(server.call(['CLIENT', 'UNBLOCK', String(a), 'ERROR'], admin)).toEqual(int(1))
    expect(server.drainOutbox?.().get(a)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n')
    expect(server.isBlocked?.(a)).toBe(true)
    expect(infoField(server, admin, 'cmdstat_set')).toBe(
      'calls=0,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1',
    )
    server.call(['CLIENT', 'UNPAUSE'], admin)
    expect(server.drainOutbox?.().get(a)).toBe('+OK\r\n')
    expect(server.validate()).toEqual([])
  })

  it('a closed postponed client is forgotten', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.call(['SET', 'k', 'v'], a)
    server.closeClient(a)
    expect(infoField(server, admin, 'blocked_clients')).toBe('0')
    server.call(['CLIENT', 'UNPAUSE'], admin)
    expect(server.call(['EXISTS', 'k'], admin)).toEqual(int(0))
    expect(server.validate()).toEqual([])
  })

  it('a clone taken during a pause runs the postponed command on unpause', () => {
    const { server, admin, a } = setup()
    server.call(['CLIENT', 'PAUSE', '100000', 'WRITE'], admin)
    server.call(['SET', 'k', 'v'], a)
    const copy = server.clone(manualClock(1_800_000_000_000))
    copy.call(['CLIENT', 'UNPAUSE'], admin)
    expect(copy.drainOutbox?.().get(a)).toBe('+OK\r\n')
    expect(server.isBlocked?.(a)).toBe(true)
    expect(copy.validate()).toEqual([])
  })
})
