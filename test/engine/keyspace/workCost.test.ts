/**
 * Time budgets on the app's virtual clock (manualClock with modelWork, workCost.ts): the
 * active expire cycle, eviction and cron's rehash charge modelled work to the clock, so
 * their time limits run out as they do in Redis; a plain manual clock never moves inside a
 * command or a cron, so they never do.
 */
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { Reply, StepEvent, StepEventOf } from '../../../src/engine/index.ts'
import { WORK_EVICT_KEY_US, WORK_REHASH_STEP_US } from '../../../src/engine/workCost.ts'

const START = 1_767_225_600_000

function text(reply: Reply): string {
  if (reply.type !== 'bulk' || reply.value === null) throw new Error('not a bulk string')
  return reply.value
}

function infoField(s: ReturnType<typeof createServer>, section: string, field: string): number {
  const m = new RegExp(`^${field}:(\\S+)`, 'm').exec(text(s.call(['INFO', section])))
  if (m === null) throw new Error(`no ${field}`)
  return Number(m[1])
}

function cycles(events: readonly StepEvent[]): StepEventOf<'expire/cycleRan'>[] {
  return events.filter((e): e is StepEventOf<'expire/cycleRan'> => e.type === 'expire/cycleRan')
}

/** A server with `n` keys that all expire 1 ms from now (active expiry only: no access). */
function expiring(modelWork: boolean, n: number) {
  const clock = manualClock(START, { modelWork })
  const s = createServer({ seed: 3, clock, trace: 'summary', enableDebugCommand: 'yes' })
  s.call(['DEBUG', 'POPULATE', String(n)])
  for (let i = 0; i < n; i++) s.call(['PEXPIRE', `key:${String(i)}`, '1'])
  return { s, clock }
}

describe('manualClock with modelWork', () => {
  it('moves by the work charged, to the nanosecond, and a fork stands exactly where it stands', () => {
    const clock = manualClock(START, { modelWork: true })
    for (let i = 0; i < 1000; i++) clock.work?.(0.14)
    expect(clock.now()).toBeCloseTo(START + 0.14, 9)
    const fork = clock.fork()
    for (let i = 0; i < 10_000; i++) {
      clock.work?.(0.3)
      fork.work?.(0.3)
    }
    expect(fork.now()).toBe(clock.now())
    expect(Math.floor(clock.now() * 1000)).toBe((START + 3.14) * 1000)
  })

  it('a plain manual clock ignores work', () => {
    const clock = manualClock(START)
    expect(clock.work).toBeUndefined()
    expect(clock.fork().now()).toBe(START)
  })
})

describe('the active expire cycle on a clock that models work', () => {
  it('a slow cycle stops at its time limit, and the fast cycles that follow go on', () => {
    const n = 40_000
    const { s } = expiring(true, n)
    const tick = s.tick(100)
    const ran = cycles(tick.events)
    const slow = ran.find((c) => c.kind === 'slow')
    expect(slow?.stopReason).toBe('timeLimit')
    // 25 % of a 100 ms cron period, as expire.c computes it.
    expect(slow?.timeLimitUs).toBe(25_000)
    expect(slow?.elapsedUs).toBeGreaterThan(25_000)
    expect(slow?.expired).toBeLessThan(n)
    // beforeSleep after the cron: a fast cycle, because the slow one ran out of time.
    expect(ran.some((c) => c.kind === 'fast' && c.expired > 0)).toBe(true)
    expect(infoField(s, 'stats', 'expired_time_cap_reached_count')).toBeGreaterThan(0)
    expect(infoField(s, 'stats', 'expire_cycle_cpu_milliseconds')).toBeGreaterThan(25)
    // Not all at once: some keys are still there (DBSIZE counts them until expired).
    const left = Number(s.call(['DBSIZE']).value)
    expect(left).toBeGreaterThan(0)
    // Later cycles finish the job.
    for (let i = 0; i < 40 && Number(s.call(['DBSIZE']).value) > 0; i++) s.tick(100)
    expect(s.call(['DBSIZE'])).toEqual({ type: 'integer', value: 0 })
  })

  it('on a plain manual clock the same slow cycle expires nearly every key at once', () => {
    const { s } = expiring(false, 40_000)
    const slow = cycles(s.tick(100).events).find((c) => c.kind === 'slow')
    expect(slow?.stopReason).toBe('done')
    // It stops when the expires dict is under 1 % full (sampling would cost too much).
    expect(slow?.expired).toBeGreaterThan(39_000)
    expect(infoField(s, 'stats', 'expired_time_cap_reached_count')).toBe(0)
  })
})

describe('eviction on a clock that models work', () => {
  function filled(modelWork: boolean) {
    const clock = manualClock(START, { modelWork })
    const s = createServer({ seed: 4, clock, trace: 'summary', enableDebugCommand: 'yes' })
    s.call(['DEBUG', 'POPULATE', '20000', 'key', '100'])
    s.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'])
    return { s, clock }
  }

  it('CONFIG SET maxmemory to 2 MB of about 4: the time proc evicts in passes of the time limit', () => {
    const { s, clock } = filled(true)
    const before = clock.now()
    const t = s.execute(['CONFIG', 'SET', 'maxmemory', '2000000'])
    expect(t.reply).toEqual({ type: 'simple', value: 'OK' })
    const evicted = t.events.filter((e) => e.type === 'evict/keyPicked').length
    expect(evicted).toBeGreaterThan(5000)
    expect(infoField(s, 'stats', 'evicted_keys')).toBe(evicted)
    // Each evicted key cost its modelled work, so the clock moved by at least that much.
    expect((clock.now() - before) * 1000).toBeGreaterThanOrEqual(evicted * WORK_EVICT_KEY_US - 1)
    // Over maxmemory for that long, counted from the end of the first pass (whose time
    // limit is 500 µs at tenacity 10): INFO's total_eviction_exceeded_time (ms).
    const exceeded = infoField(s, 'stats', 'total_eviction_exceeded_time')
    expect(exceeded).toBeLessThanOrEqual((evicted * WORK_EVICT_KEY_US) / 1000)
    expect(exceeded).toBeGreaterThanOrEqual((evicted * WORK_EVICT_KEY_US - 600) / 1000 - 1)
    expect(infoField(s, 'stats', 'current_eviction_exceeded_time')).toBe(0)
    expect(infoField(s, 'memory', 'used_memory')).toBeLessThanOrEqual(2_000_000)
  })

  it('on a plain manual clock the same eviction takes no time', () => {
    const { s } = filled(false)
    s.call(['CONFIG', 'SET', 'maxmemory', '2000000'])
    expect(infoField(s, 'stats', 'evicted_keys')).toBeGreaterThan(5000)
    expect(infoField(s, 'stats', 'total_eviction_exceeded_time')).toBe(0)
  })
})

describe("cron's incremental rehash on a clock that models work", () => {
  /** A db dict left mid-rehash by plain SETs (DEBUG POPULATE would presize it). */
  function midRehash(modelWork: boolean) {
    const clock = manualClock(START, { modelWork })
    const s = createServer({ seed: 5, clock, trace: 'summary', enableDebugCommand: 'yes' })
    for (let i = 0; i < 70_000; i++) s.call(['SET', `k${String(i)}`, 'v'])
    return s
  }

  function rehashedBuckets(events: readonly StepEvent[]): number {
    return events.filter((e) => e.type === 'dict/bucketRehashed').length
  }

  it('rehashes for about 1 ms a cron, not the whole table', () => {
    const s = midRehash(true)
    const steps = rehashedBuckets(s.tick(100).events)
    // dictRehashMilliseconds(1): batches of 100 steps until more than 1 whole ms passed.
    expect(steps).toBeGreaterThan(1000 / WORK_REHASH_STEP_US / 2)
    expect(steps).toBeLessThan((2000 / WORK_REHASH_STEP_US) * 1.5)
    expect(text(s.call(['DEBUG', 'HTSTATS', '0']))).toMatch(/rehashing target/)
  })

  it('on a plain manual clock one cron finishes it', () => {
    const s = midRehash(false)
    s.tick(100)
    expect(text(s.call(['DEBUG', 'HTSTATS', '0']))).not.toMatch(/rehashing target/)
  })
})
