/**
 * Sliced execution (src/engine/sliced.ts) changes nothing observable: for any slice sizes,
 * executeSliced gives the same reply, events, final dataset (DEBUG DIGEST), INFO and RNG
 * state as execute() of the same command on a twin server.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import {
  createServer,
  manualClock,
  type EngineServer,
  type Reply,
  type Trace,
  type TraceLevel,
} from '../../src/engine/index.ts'

const START = 1_704_067_200_000

interface Twin {
  readonly server: EngineServer
  readonly client: number
  readonly watcher: number
}

/** A server with some keys in the way of DEBUG POPULATE: live, expired (lazily deleted), watched. */
function twin(seed: number, level: TraceLevel, existing: readonly number[]): Twin {
  const clock = manualClock(START)
  const server = createServer({ seed, clock, trace: level, enableDebugCommand: 'yes' })
  const client = server.createClient()
  const watcher = server.createClient()
  server.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], client)
  for (const i of existing) {
    if (i % 3 === 0) server.call(['SET', `key:${String(i)}`, 'old', 'PX', '5'], client)
    else server.call(['SET', `key:${String(i)}`, 'old'], client)
  }
  server.call(['WATCH', 'key:1', 'key:2'], watcher)
  server.tick(20)
  return { server, client, watcher }
}

function runSliced(t: Twin, argv: readonly string[], slices: readonly number[]): Trace {
  const job = t.server.executeSliced?.(argv, t.client)
  if (!job) throw new Error('executeSliced missing')
  for (let i = 0; ; i++) {
    const s = job.step(slices[i % slices.length] ?? 1)
    if (s.finished) return s.trace
    expect(s.done).toBeLessThanOrEqual(s.total)
  }
}

function after(t: Twin): { digest: string; info: Reply; next: Reply[] } {
  return {
    digest: t.server.digest(),
    info: t.server.call(['INFO', 'everything'], t.client),
    next: [
      t.server.call(['RANDOMKEY'], t.client),
      t.server.call(['SPOP', 'nope'], t.client),
      t.server.call(['MULTI'], t.watcher),
      t.server.call(['EXEC'], t.watcher),
      t.server.call(['DBSIZE'], t.client),
    ],
  }
}

describe('executeSliced', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 1000 }),
      fc.constantFrom<TraceLevel>('off', 'summary', 'full'),
      fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 30 }),
      fc.integer({ min: 0, max: 1500 }),
      fc.constantFrom<readonly string[]>([], ['key'], ['key', '12'], ['other', '3'], ['key', '0']),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
    ],
    { numRuns: 40 },
  )('matches execute() for any slice sizes', (seed, level, existing, count, extra, slices) => {
    const argv = ['DEBUG', 'POPULATE', String(count), ...extra]
    const a = twin(seed, level, existing)
    const b = twin(seed, level, existing)
    const sliced = runSliced(a, argv, slices)
    const whole = b.server.execute(argv, b.client)
    expect(sliced).toEqual(whole)
    expect(after(a)).toEqual(after(b))
  })

  it('reports progress in key units and keeps the clock frozen', () => {
    const t = twin(7, 'off', [])
    const job = t.server.executeSliced?.(['DEBUG', 'POPULATE', '1000'], t.client)
    expect(job?.total).toBe(1000)
    const steps = [job?.step(300), job?.step(300), job?.step(300)]
    expect(steps).toEqual([
      { finished: false, done: 300, total: 1000 },
      { finished: false, done: 600, total: 1000 },
      { finished: false, done: 900, total: 1000 },
    ])
    const last = job?.step(300)
    expect(last?.finished && last.trace.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(last?.finished && last.trace.at).toBe(START + 20)
    expect(t.server.call(['DBSIZE'], t.client)).toEqual({ type: 'integer', value: 1000 })
  })

  it('runs other commands, errors and MULTI-queued populates whole in one step', () => {
    for (const argv of [
      ['SET', 'a', '1'],
      ['DEBUG', 'POPULATE', 'x'],
      ['DEBUG', 'POPULATE', '10', 'p', '-1'],
    ]) {
      const t = twin(3, 'full', [])
      const u = twin(3, 'full', [])
      const job = t.server.executeSliced?.(argv, t.client)
      expect(job?.step(1)).toEqual({ finished: true, trace: u.server.execute(argv, u.client) })
    }
    const t = twin(3, 'full', [])
    t.server.call(['MULTI'], t.client)
    const job = t.server.executeSliced?.(['DEBUG', 'POPULATE', '10'], t.client)
    expect(job?.total).toBe(1)
    expect(job?.step(1)).toMatchObject({ finished: true, trace: { reply: { value: 'QUEUED' } } })
  })
})
