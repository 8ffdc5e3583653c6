import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import type { StepEvent } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { KeyspaceView } from '../../../src/engine/inspect.ts'
import {
  applyExpireEvent,
  expireModelFromView,
  layoutExpireStrip,
  type ExpireModel,
} from '../../../src/panels/expire/expireModel.ts'

type Server = ReturnType<typeof createServer>
const ks = (s: Server) => s.inspect(null, { limit: 100_000 }) as unknown as KeyspaceView

/** What the fold must get right: the key set, the cursor and the table size. */
function shape(m: ExpireModel) {
  return { keys: m.keys, cursor: m.cursor, size: m.size }
}

const key = fc.integer({ min: 0, max: 40 }).map((i) => `k${String(i)}`)
const op = fc.oneof(
  fc
    .tuple(key, fc.integer({ min: 1, max: 3000 }))
    .map(([k, ms]) => ['SET', k, 'v', 'PX', String(ms)]),
  fc.tuple(key).map(([k]) => ['SET', k, 'v']),
  fc.tuple(key).map(([k]) => ['GET', k]),
  fc.tuple(key).map(([k]) => ['PERSIST', k]),
  fc.tuple(key).map(([k]) => ['DEL', k]),
  fc.integer({ min: 50, max: 2000 }).map((ms) => ['tick', String(ms)]),
)

test.prop([fc.array(op, { minLength: 1, maxLength: 60 })], { numRuns: 50 })(
  'folding command and tick traces equals the model of the engine’s next keyspace view',
  (ops) => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    let m = expireModelFromView(ks(s))
    for (const argv of ops) {
      const events: readonly StepEvent[] =
        argv[0] === 'tick' ? s.tick(Number(argv[1])).events : s.execute(argv).events
      m = events.reduce(applyExpireEvent, m)
      expect(shape(m)).toEqual(shape(expireModelFromView(ks(s))))
    }
  },
)

describe('applyExpireEvent', () => {
  it('records the sampled buckets, the expired keys and why the cycle stopped', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    for (let i = 0; i < 6; i++) s.call(['SET', `k${String(i)}`, 'v', 'PX', '100'])
    const m0 = expireModelFromView(ks(s))
    const m = s.tick(1000).events.reduce(applyExpireEvent, m0)
    expect(m.keys).toEqual([])
    expect([...m.expiredActively].sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5'])
    expect(m.cycle?.stopReason).toBe('done')
    expect(m.lastLoop?.expired.length).toBeGreaterThan(0)
    // A second of cron runs ten cycles; the later ones find the expires dict empty and
    // sample nothing. The loops shown with the last cycle are its own, not the tick's.
    expect(m.cycle?.sampled).toBe(0)
    expect(m.cycleLoops).toBe(0)
  })
  it('records a lazy expiry with how late it was', () => {
    const clock = manualClock()
    const s = createServer({ seed: 3, clock, trace: 'full' })
    s.call(['SET', 'a', 'v', 'PX', '100'])
    const m0 = expireModelFromView(ks(s))
    clock.advance(250) // no cron ran: only a command can notice
    const m = s.execute(['GET', 'a']).events.reduce(applyExpireEvent, m0)
    expect(m.expiredLazily.map((x) => x.key)).toEqual(['a'])
    expect(m.expiredLazily[0]?.lateMs).toBeGreaterThan(100)
    expect(m.keys).toEqual([])
  })
})

describe('layoutExpireStrip', () => {
  const base: ExpireModel = {
    db: 0,
    keys: [],
    cursor: 5,
    size: 4,
    lastLoop: { buckets: [1, 2], sampled: [], expired: [] },
    loops: 1,
    cycleLoops: 0,
    expiredActively: [],
    expiredLazily: [],
    cycle: null,
    timeLimited: null,
  }
  it('draws every bucket of a small table, 26 units apart (a three-digit index at 11 units), cursor masked to the table', () => {
    expect(layoutExpireStrip(base).map((c) => [c.index, c.x, c.sampled, c.cursor])).toEqual([
      [0, 0, false, false],
      [1, 26, true, true],
      [2, 52, true, false],
      [3, 78, false, false],
    ])
  })
  it('windows a big table to 32 buckets starting 8 before the cursor', () => {
    const cells = layoutExpireStrip({ ...base, size: 1024, cursor: 3 })
    expect(cells).toHaveLength(32)
    expect(cells[0]?.index).toBe(1019)
    expect(cells[8]).toMatchObject({ index: 3, cursor: true, x: 208 })
  })
})
