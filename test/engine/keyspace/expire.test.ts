/**
 * Expiry: lazy expiry on access with a manual clock, and the active expire cycle
 * (expire.c activeExpireCycle) driven by cron ticks.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'
import { createServer } from '../../../src/engine/index.ts'
import { activeExpireParams } from '../../../src/engine/keyspace/expire.ts'
import type { Reply, StepEventOf } from '../../../src/engine/index.ts'

function intOf(reply: Reply): number {
  if (reply.type !== 'integer') throw new Error(`not an integer: ${JSON.stringify(reply)}`)
  return Number(reply.value)
}

describe('lazy expiry', () => {
  it('keeps a key until now > when (strictly), then deletes it on access', () => {
    const t = createTestEngine()
    const start = t.clock.now()
    t.exec('SET', 'k', 'v', 'PX', '100')
    t.clock.advance(100)
    expect(t.exec('GET', 'k')).toEqual(r.bulk('v'))
    t.clock.advance(1)
    expect(t.exec('GET', 'k')).toEqual(r.bulk(null))
    expect(t.eventsOfType('expire/keyExpiredLazily')).toEqual([
      { type: 'expire/keyExpiredLazily', db: 0, key: 'k', when: start + 100, now: start + 101 },
    ])
    expect(t.exec('DBSIZE')).toEqual(r.int(0))
  })
  it('applies to every access path: EXISTS, TTL, TYPE, write commands', () => {
    const t = createTestEngine()
    for (const k of ['a', 'b', 'c', 'd']) t.exec('SET', k, '5', 'PX', '10')
    t.clock.advance(20)
    expect(t.exec('EXISTS', 'a')).toEqual(r.int(0))
    expect(t.exec('TTL', 'b')).toEqual(r.int(-2))
    expect(t.exec('TYPE', 'c')).toEqual(r.simple('none'))
    expect(t.exec('INCR', 'd')).toEqual(r.int(1)) // the expired 5 is gone, so 0 + 1
    expect(t.exec('DBSIZE')).toEqual(r.int(1))
  })
  it('counts expired keys in INFO stats', () => {
    const t = createTestEngine()
    t.exec('SET', 'k', 'v', 'PX', '1')
    t.clock.advance(2)
    t.exec('GET', 'k')
    const info = t.exec('INFO', 'stats')
    expect(info.type === 'bulk' && info.value?.includes('expired_keys:1\r\n')).toBe(true)
  })
})

/**
 * A server whose clock advances `step` ms every time it is read (0: a still clock), holding
 * `n` keys that expired 50 ms ago.
 */
function expiredKeysOnMovingClock(n: number, trace: 'off' | 'summary') {
  const clock = {
    t: 1_700_000_000_000,
    step: 0,
    now(): number {
      return (this.t += this.step)
    },
    set(ms: number): void {
      this.t = ms
    },
  }
  const server = createServer({ seed: 1, clock, trace })
  for (let i = 0; i < n; i++) server.call(['SET', `k${String(i)}`, 'x', 'PX', '1'])
  clock.t += 50
  return { server, clock }
}

describe('activeExpireParams', () => {
  it('derives the constants from active-expire-effort as expire.c does', () => {
    expect(activeExpireParams(1)).toEqual({
      keysPerLoop: 20,
      fastDurationUs: 1000,
      slowTimePerc: 25,
      acceptableStale: 10,
    })
    expect(activeExpireParams(10)).toEqual({
      keysPerLoop: 65,
      fastDurationUs: 3250,
      slowTimePerc: 43,
      acceptableStale: 1,
    })
  })
})

describe('active expire cycle', () => {
  it('reclaims expired keys nobody touches, over cron ticks', () => {
    const t = createTestEngine({ trace: 'summary' })
    for (let i = 0; i < 500; i++) t.exec('SET', `v:${String(i)}`, 'x', 'PX', '50')
    for (let i = 0; i < 100; i++) t.exec('SET', `p:${String(i)}`, 'x')
    const tick = t.tick(1000)
    expect(t.exec('DBSIZE')).toEqual(r.int(100))
    const active = tick.events.filter((e) => e.type === 'expire/keyExpiredActively')
    expect(active).toHaveLength(500)
    const cycles = tick.events.filter(
      (e): e is StepEventOf<'expire/cycleRan'> => e.type === 'expire/cycleRan',
    )
    // hz 10: one slow cycle per 100 ms tick; the manual clock never runs out of budget.
    expect(cycles.length).toBe(10)
    for (const c of cycles) {
      expect(c.kind).toBe('slow')
      expect(c.stopReason).toBe('done')
      expect(c.timeLimitUs).toBe(25000)
      expect(c.dbsVisited).toEqual([...Array(16).keys()])
    }
    expect(cycles.reduce((n, c) => n + c.expired, 0)).toBe(500)
  })
  it('keeps sampling a db while more than 10 % of a sample was expired', () => {
    const t = createTestEngine({ trace: 'summary' })
    for (let i = 0; i < 200; i++) t.exec('SET', `k${String(i)}`, 'x', 'PX', '10')
    t.clock.advance(50) // all logically expired, no cron yet
    const tick = t.tick(100)
    const cycle = tick.events.find(
      (e): e is StepEventOf<'expire/cycleRan'> => e.type === 'expire/cycleRan',
    )
    expect(cycle?.expired).toBe(200)
    expect(t.exec('DBSIZE')).toEqual(r.int(0))
  })
  it('walks expires buckets from db.expiresCursor, sampling about 20 keys per loop', () => {
    const t = createTestEngine({ trace: 'full' })
    for (let i = 0; i < 64; i++) t.exec('SET', `k${String(i)}`, 'x', 'EX', '1000')
    const tick = t.tick(100)
    const loops = tick.events.filter(
      (e): e is StepEventOf<'expire/bucketsSampled'> => e.type === 'expire/bucketsSampled',
    )
    // Nothing is expired, so one loop per db with keys: ≥ 20 keys (whole buckets).
    expect(loops).toHaveLength(1)
    const loop = loops[0]
    if (loop === undefined) throw new Error('no loop')
    expect(loop.sampled.length).toBeGreaterThanOrEqual(20)
    expect(loop.expired).toEqual([])
    expect(loop.buckets[0]).toBe(0)
    // Consecutive bucket indexes (one table: no rehash in progress after the tick's cron).
    loop.buckets.forEach((b, i) => {
      expect(b).toBe(i)
    })
    expect(loop.cursor).toBe(loop.buckets.length)
    // The next tick continues where this one stopped.
    const next = t
      .tick(100)
      .events.find(
        (e): e is StepEventOf<'expire/bucketsSampled'> => e.type === 'expire/bucketsSampled',
      )
    expect(next?.buckets[0]).toBe(loop.cursor)
  })
  it('stops at the time limit with a clock that moves, then runs the fast cycle', () => {
    // A clock that advances 1 ms every time it is read: the slow cycle's 25 ms budget then
    // runs out while it is still finding expired keys.
    const { server, clock } = expiredKeysOnMovingClock(3000, 'summary')
    clock.step = 1
    const tick = server.tick(60)
    const cycle = tick.events.find(
      (e): e is StepEventOf<'expire/cycleRan'> => e.type === 'expire/cycleRan',
    )
    expect(cycle?.stopReason).toBe('timeLimit')
    expect(cycle?.expired).toBeGreaterThan(0)
    expect(cycle?.expired).toBeLessThan(3000)
    // After a time-limited slow cycle, the next command's fast cycle runs (1000 µs budget).
    const trace = server.execute(['PING'])
    const fast = trace.events.find(
      (e): e is StepEventOf<'expire/cycleRan'> => e.type === 'expire/cycleRan',
    )
    expect(fast?.kind).toBe('fast')
    expect(fast?.timeLimitUs).toBe(1000)
    const info = server.call(['INFO', 'stats'])
    expect(
      info.type === 'bulk' && /expired_time_cap_reached_count:[1-9]/.test(info.value ?? ''),
    ).toBe(true)
  })
  it('adds its time in µs and shows whole milliseconds in INFO stats', () => {
    // server.c: expire_cycle_cpu_milliseconds is stat_expire_cycle_time_used (µs) / 1000.
    const { server, clock } = expiredKeysOnMovingClock(50, 'off')
    clock.step = 0.7
    server.tick(100)
    clock.step = 0
    const info = server.call(['INFO', 'stats'])
    const line = /expire_cycle_cpu_milliseconds:(\S*)\r\n/.exec(
      info.type === 'bulk' ? (info.value ?? '') : '',
    )
    expect(line?.[1]).toMatch(/^[1-9][0-9]*$/)
  })
  it('does not run when DEBUG SET-ACTIVE-EXPIRE 0 turned it off', () => {
    const t = createTestEngine()
    t.exec('SET', 'k', 'v', 'PX', '1')
    t.exec('DEBUG', 'SET-ACTIVE-EXPIRE', '0')
    t.tick(1000)
    expect(intOf(t.exec('DBSIZE'))).toBe(1)
    t.exec('DEBUG', 'SET-ACTIVE-EXPIRE', '1')
    t.tick(200)
    expect(intOf(t.exec('DBSIZE'))).toBe(0)
  })
})
