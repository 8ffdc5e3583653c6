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
