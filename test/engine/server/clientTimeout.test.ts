/**
 * The `timeout` config (server.maxidletime): clientsCron closes a client idle for longer than
 * that many seconds, logging "Closing idle client" at VERBOSE (timeout.c
 * clientsCronHandleTimeout); replicas and monitors, blocked clients and Pub/Sub subscribers
 * are never closed for it. Checked against redis-server 7.0.15 by hand (`timeout 2`, a client
 * left idle is gone within 3 s, a BLPOP, a SUBSCRIBE and a MONITOR stay connected).
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('clientsCron closes idle clients (timeout)', () => {
  it('closes a client idle for longer than timeout seconds, and only then', () => {
    const t = createTestEngine()
    const lines: string[] = []
    t.server.setServerLog((level, line) => lines.push(`${level} ${line}`))
    const admin = t.client
    expect(t.execOn(admin, 'config', 'set', 'loglevel', 'verbose')).toEqual(r.ok)
    expect(t.execOn(admin, 'config', 'set', 'timeout', '2')).toEqual(r.ok)
    const idle = t.newClient()
    t.execOn(idle, 'ping')
    const busy = t.newClient()
    const blocked = t.newClient()
    t.execOn(blocked, 'blpop', 'nolist', '0')
    const subscriber = t.newClient()
    t.execOn(subscriber, 'subscribe', 'ch')
    const monitor = t.newClient()
    t.execOn(monitor, 'monitor')
    const replica = t.newClient()
    t.execOn(replica, 'sync')
    // Idle for 2 s is not longer than 2 s.
    t.tick(2000)
    expect(t.server.takeClientsToClose()).toEqual([])
    t.execOn(busy, 'ping')
    t.execOn(admin, 'ping')
    t.tick(1000)
    expect(t.server.takeClientsToClose()).toEqual([[idle, '']])
    expect(t.server.shouldClose(idle)).toBe(true)
    expect(lines.filter((l) => l.includes('idle'))).toEqual(['verbose Closing idle client'])
    // The one that sent a command 1 s ago goes 2 s later; the exempt ones stay.
    t.tick(1000)
    expect(t.server.takeClientsToClose()).toEqual([])
    t.execOn(admin, 'ping')
    t.tick(1000)
    expect(t.server.takeClientsToClose()).toEqual([[busy, '']])
    t.tick(60_000)
    expect(t.server.takeClientsToClose()).toEqual([[admin, '']])
    for (const id of [blocked, subscriber, monitor, replica])
      expect(t.server.shouldClose(id)).toBe(false)
  })

  it('closes no one with timeout 0 (the default)', () => {
    const t = createTestEngine()
    const idle = t.newClient()
    t.execOn(idle, 'ping')
    t.tick(100_000)
    expect(t.server.takeClientsToClose()).toEqual([])
    expect(t.server.shouldClose(idle)).toBe(false)
  })

  it('a client no longer subscribed times out again', () => {
    const t = createTestEngine()
    const admin = t.client
    t.execOn(admin, 'config', 'set', 'timeout', '1')
    const c = t.newClient()
    t.execOn(c, 'subscribe', 'ch')
    t.tick(5000)
    expect(t.server.takeClientsToClose()).toEqual([[admin, '']])
    t.execOn(c, 'unsubscribe')
    t.tick(3000)
    expect(t.server.takeClientsToClose()).toEqual([[c, '']])
  })
})

describe('clientsCron round robin', () => {
  it('takes numclients/hz clients a call, at least 5, from the tail: CLIENT LIST turns', () => {
    const t = createTestEngine()
    const ids = [t.client]
    for (let i = 0; i < 6; i++) ids.push(t.newClient())
    const order = (): number[] =>
      String((t.exec('client', 'list') as { value: string }).value)
        .trim()
        .split('\n')
        .map((line) => Number(/^id=(\d+)/.exec(line)?.[1]))
    const at = (...positions: number[]): number[] => positions.map((i) => Number(ids[i]))
    expect(order()).toEqual(at(0, 1, 2, 3, 4, 5, 6))
    // One call (hz 10): the last five, each rotated from the tail to the head in turn.
    t.tick(100)
    expect(order()).toEqual(at(2, 3, 4, 5, 6, 0, 1))
    t.tick(100)
    expect(order()).toEqual(at(4, 5, 6, 0, 1, 2, 3))
    // Five clients or fewer: each call takes them all, a full turn.
    for (const id of ids.slice(2)) t.server.closeClient(id)
    const two = [...ids.slice(0, 2)].map(Number)
    t.tick(300)
    expect(order()).toEqual(two)
  })
})
