import { fc, test } from '@fast-check/vitest'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { KeyspaceView } from '../../../src/engine/inspect.ts'
import type { Reply } from '../../../src/engine/reply.ts'
import { EvictionPanel } from '../../../src/panels/eviction/EvictionPanel.tsx'
import {
  applyEvictionEvent,
  EMPTY_EVICTION,
  layoutMemoryBar,
  layoutPool,
  poolLabels,
  slotTextLength,
} from '../../../src/panels/eviction/evictionModel.ts'

type Server = ReturnType<typeof createServer>

function keysOf(s: Server): Set<string> {
  const v = s.inspect(null, { limit: 100_000 }) as unknown as KeyspaceView
  const out = new Set<string>()
  for (const t of v.dict.tables) for (const b of t.buckets) for (const k of b.keys) out.add(k)
  return out
}

function usedMemory(s: Server): number {
  const r: Reply = s.call(['INFO', 'memory'])
  return Number(/used_memory:(\d+)/.exec(JSON.stringify(r))?.[1])
}

/** A server holding `n` keys, with maxmemory just above what it uses now. */
function fullServer(policy: string, n = 30, headroom = 300): Server {
  const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
  for (let i = 0; i < n; i++) {
    s.call(['SET', `k${String(i)}`, 'x'.repeat(50), 'EX', String(100 + i)])
  }
  s.call(['CONFIG', 'SET', 'maxmemory', String(usedMemory(s) + headroom)])
  s.call(['CONFIG', 'SET', 'maxmemory-policy', policy])
  return s
}

const policy = fc.constantFrom(
  'allkeys-lru',
  'volatile-lru',
  'allkeys-lfu',
  'volatile-ttl',
  'allkeys-random',
)
const op = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 600 }))
    .map(([i, len]) => ['SET', `n${String(i)}`, 'y'.repeat(len)]),
  fc.integer({ min: 0, max: 29 }).map((i) => ['GET', `k${String(i)}`]),
)

test.prop([policy, fc.array(op, { minLength: 1, maxLength: 25 })], { numRuns: 30 })(
  'the victims the panel shows are exactly the keys that vanished, each the pool’s best candidate',
  (pol, ops) => {
    const s = fullServer(pol)
    for (const argv of ops) {
      const before = keysOf(s)
      const t = s.execute(argv)
      const after = keysOf(s)
      let m = EMPTY_EVICTION
      for (const e of t.events) {
        if (e.type === 'evict/keyPicked' && pol !== 'allkeys-random') {
          // The victim is drawn at the right end of the pool.
          const best = m.pool[m.pool.length - 1]
          expect(m.pool.some((c) => c.key === e.key)).toBe(true)
          // Unless it is a ghost: a key gone since it was sampled (evicted already).
          const live = (k: string) => before.has(k) && !m.victims.some((v) => v.key === k)
          expect(best?.key === e.key || !live(best?.key ?? '')).toBe(true)
        }
        m = applyEvictionEvent(m, e)
        const scores = m.pool.map((c) => c.score)
        expect(scores).toEqual([...scores].sort((a, b) => a - b))
        expect(m.pool.length).toBeLessThanOrEqual(16)
      }
      // A SET may bring back the key it evicted; every other victim must be gone.
      const recreated = m.victims.some((v) => v.key === argv[1]) && after.has(argv[1] ?? '')
      const vanished = [...before].filter((k) => !after.has(k))
      if (recreated) vanished.push(argv[1] ?? '')
      expect(m.victims.map((v) => v.key).sort()).toEqual(vanished.sort())
    }
  },
)

describe('layoutPool', () => {
  it('lays 16 slots 36 px apart and marks the rightmost occupied one as best', () => {
    const slots = layoutPool({
      ...EMPTY_EVICTION,
      pool: [
        { db: 0, key: 'a', score: 1 },
        { db: 0, key: 'b', score: 9 },
      ],
    })
    expect(slots).toHaveLength(16)
    expect(slots.slice(0, 3).map((s) => [s.x, s.candidate?.key ?? null, s.best])).toEqual([
      [0, 'a', false],
      [36, 'b', true],
      [72, null, false],
    ])
  })
})

describe('poolLabels', () => {
  it('leaves out the prefix, up to a separator, that every occupied slot shares', () => {
    const slots = (...keys: string[]) =>
      layoutPool({ ...EMPTY_EVICTION, pool: keys.map((key) => ({ db: 0, key, score: 0 })) })
    expect(poolLabels(slots('key:2340', 'key:27535')).prefix).toBe('key:')
    expect(poolLabels(slots('key:2340', 'key:27535')).labels.slice(0, 3)).toEqual([
      '2340',
      '27535',
      '',
    ])
    expect(poolLabels(slots('apple', 'banana')).labels.slice(0, 2)).toEqual(['apple', 'bana…'])
    expect(poolLabels(slots('ab', 'abc')).prefix).toBe('')
    expect(poolLabels(slots('user:1', 'user:1x')).labels.slice(0, 2)).toEqual(['1', '1x'])
    expect(poolLabels(slots('pageviews', 'pagerank')).prefix).toBe('')
  })

  it('cuts a key of wide characters to the cells a slot holds (a CJK character takes two)', () => {
    const slots = (...keys: string[]) =>
      layoutPool({ ...EMPTY_EVICTION, pool: keys.map((key) => ({ db: 0, key, score: 0 })) })
    // As bytes, the way keys reach the panels. Five CJK characters were ~60 px in a 34 px slot.
    const utf8 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s))
    expect(poolLabels(slots(utf8('购物车商品'), utf8('用户'))).labels.slice(0, 2)).toEqual([
      '购物…',
      '用户',
    ])
  })
})

describe('slotTextLength', () => {
  it('squeezes a label of five cells into its slot and leaves shorter ones as they are', () => {
    expect(slotTextLength('11000')).toBe(28)
    expect(slotTextLength('bana…')).toBe(28)
    expect(slotTextLength('购物…')).toBe(28)
    expect(slotTextLength('9999')).toBeUndefined()
    expect(slotTextLength('用户')).toBeUndefined()
  })
})

describe('layoutMemoryBar', () => {
  it('scales to the larger of used and maxmemory: 1200 over 1000 → 300 px used, limit at 250', () => {
    expect(layoutMemoryBar(1200, 1000)).toEqual({ used: 300, limit: 250, over: true })
    expect(layoutMemoryBar(500, 1000, 200)).toEqual({ used: 100, limit: 200, over: false })
  })
})

/**
 * Sets `policy` and maxmemory `below` bytes under the memory in use, and returns the occupied
 * pool slots the panel draws once the pool is filled.
 */
function poolSlotsAfterDrop(s: Server, policy: string, below: number): Element[] {
  s.call(['CONFIG', 'SET', 'maxmemory-policy', policy])
  const t = s.execute(['CONFIG', 'SET', 'maxmemory', String(usedMemory(s) - below)])
  const pool = t.events.findIndex((e) => e.type === 'evict/poolUpdated')
  const r = render(
    <EvictionPanel title="Eviction" events={t.events} step={pool + 1} t={1} lang="en" />,
  )
  const slots = [...r.container.querySelectorAll('g[data-key]')]
  expect(slots.length).toBeGreaterThan(0)
  return slots
}

describe('EvictionPanel', () => {
  it('steps from the sample to the pool to the victim', () => {
    const s = fullServer('allkeys-lru', 30, 100)
    const t = s.execute(['SET', 'big', 'z'.repeat(400)])
    const picked = t.events.findIndex((e) => e.type === 'evict/keyPicked')
    expect(picked).toBeGreaterThan(1)
    const pe = t.events[picked]
    if (pe?.type !== 'evict/keyPicked') throw new Error('no victim')
    const r = render(
      <EvictionPanel title="Eviction" events={t.events} step={picked} t={1} lang="en" />,
    )
    expect(screen.getByRole('status').textContent).toMatch(/eviction pool now holds/)
    expect(r.container.querySelector('[data-best="true"]')?.getAttribute('data-key')).toBe(pe.key)
    expect(r.container.querySelectorAll('[data-sampled]').length).toBe(5)
    expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(
      /best candidate \(rightmost\): performEvictions evicts it next/,
    )
    r.rerender(
      <EvictionPanel title="Eviction" events={t.events} step={picked + 1} t={1} lang="zh" />,
    )
    expect(screen.getByTestId('ev-victim').getAttribute('data-key')).toBe(pe.key)
    expect(screen.getByTestId('ev-victim').getAttribute('data-freed')).toBe(String(pe.freed))
    expect(screen.getByRole('status').textContent).toMatch(/淘汰了/)
  })

  it('labels pool slots of keys that share a prefix by what tells them apart', () => {
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
    for (let i = 0; i < 300; i++) s.call(['SET', `key:${String(i)}`, 'x'.repeat(50)])
    s.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'])
    s.call(['CONFIG', 'SET', 'maxmemory', String(usedMemory(s) + 100)])
    s.call(['SET', 'big', 'z'.repeat(400)])
    // Over maxmemory now: the next command evicts first.
    const t = s.execute(['SET', 'small', 'z'])
    const pool = t.events.findIndex((e) => e.type === 'evict/poolUpdated')
    const r = render(
      <EvictionPanel title="Eviction" events={t.events} step={pool + 1} t={1} lang="en" />,
    )
    const slots = [...r.container.querySelectorAll('g[data-key]')]
    expect(slots.length).toBeGreaterThan(1)
    // Not "key:…" in every slot: the number of each key, the shared prefix said once.
    expect(slots.map((g) => g.querySelector('text')?.textContent)).toEqual(
      slots.map((g) => g.getAttribute('data-key')?.replace(/^key:/, '')),
    )
    expect(screen.getByTestId('ev-prefix').textContent).toMatch(/“key:”/)
  })

  it('draws a 5-digit LRU idle time inside its slot, not across its border', () => {
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
    for (let i = 0; i < 50; i++) s.call(['SET', `k${String(i)}`, 'x'.repeat(50)])
    s.tick(11_000) // every key idle 11 s: a score of 11000 ms
    for (const g of poolSlotsAfterDrop(s, 'allkeys-lru', 500)) {
      const [key, score] = [...g.querySelectorAll('text')]
      expect(score?.textContent).toMatch(/^\d{5}$/)
      // Drawn 28 px long from x = 3: 11 px monospace took ~33 px, past the 34 px slot.
      expect(score?.getAttribute('textLength')).toBe('28')
      expect(score?.getAttribute('lengthAdjust')).toBe('spacingAndGlyphs')
      expect(key?.getAttribute('textLength')).toBeNull()
    }
  })

  it('writes a volatile-ttl score (ULLONG_MAX minus the expire time) so that it fits its slot', () => {
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
    for (let i = 0; i < 20; i++) s.call(['SET', `t${String(i)}`, 'x'.repeat(500), 'EX', '100'])
    for (const g of poolSlotsAfterDrop(s, 'volatile-ttl', 1000)) {
      const [, score] = [...g.querySelectorAll('text')].map((x) => x.textContent ?? '')
      // At most 5 characters, as the key above it; the tooltip keeps the full score.
      expect(score).toMatch(/^\de\d\d$/)
      expect(g.querySelector('title')?.textContent).toMatch(/ · \d{16,}$/)
    }
  })

  it('says how many times eviction ran out of time, in both languages', () => {
    const s = createServer({
      seed: 5,
      clock: manualClock(undefined, { modelWork: true }),
      trace: 'summary',
    })
    for (let i = 0; i < 2000; i++) s.call(['SET', `v${String(i)}`, 'x'.repeat(1000)])
    s.call(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'])
    const t = s.execute(['CONFIG', 'SET', 'maxmemory', '1mb'])
    const passes = t.events.filter((e) => e.type === 'evict/timeLimitReached').length
    expect(passes).toBeGreaterThan(1)
    const r = render(
      <EvictionPanel title="Eviction" events={t.events} step={t.events.length} t={1} lang="en" />,
    )
    const note = screen.getByTestId('ev-out-of-time')
    expect(note.getAttribute('data-passes')).toBe(String(passes))
    expect(note.textContent).toMatch(new RegExp(`ran out of its time .*${String(passes)} time`))
    r.rerender(
      <EvictionPanel title="Eviction" events={t.events} step={t.events.length} t={1} lang="zh" />,
    )
    expect(screen.getByTestId('ev-out-of-time').textContent).toMatch(/用完了时间限额/)
    // Before the first time it ran out, no note.
    const first = t.events.findIndex((e) => e.type === 'evict/timeLimitReached')
    r.rerender(<EvictionPanel title="Eviction" events={t.events} step={first} t={1} lang="en" />)
    expect(screen.queryByTestId('ev-out-of-time')).toBeNull()
  })

  it('says its count of victims covers the recorded steps when the trace stopped recording', () => {
    const s = fullServer('allkeys-lru', 30, 100)
    const t = s.execute(['SET', 'big', 'z'.repeat(400)])
    const n = t.events.filter((e) => e.type === 'evict/keyPicked').length
    const r = render(
      <EvictionPanel
        title="Eviction"
        events={t.events}
        step={t.events.length}
        dropped={90599}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByTestId('ev-total').textContent).toMatch(
      new RegExp(
        `^The recorded steps evict ${String(n)} keys.*90599 later steps were not recorded`,
      ),
    )
    r.rerender(
      <EvictionPanel title="Eviction" events={t.events} step={t.events.length} t={1} lang="zh" />,
    )
    expect(screen.getByTestId('ev-total').textContent).toMatch(/^淘汰了/)
  })

  it('shows the OOM rejection with used memory against maxmemory', () => {
    const s = fullServer('noeviction', 5, 0)
    const t = s.execute(['SET', 'big', 'z'.repeat(4000)])
    s.execute(['SET', 'more', 'z'])
    const t2 = s.execute(['SET', 'more2', 'z'])
    const events = t.events.some((e) => e.type === 'memory/oomRejected') ? t.events : t2.events
    const oom = events.find((e) => e.type === 'memory/oomRejected')
    if (oom?.type !== 'memory/oomRejected') throw new Error('no OOM')
    render(<EvictionPanel title="Eviction" events={events} step={events.length} t={1} lang="en" />)
    const box = screen.getByTestId('ev-oom')
    expect(box.getAttribute('data-used')).toBe(String(oom.used))
    expect(box.getAttribute('data-maxmemory')).toBe(String(oom.maxmemory))
    expect(screen.getByRole('img', { name: /used_memory .* vs maxmemory/ })).toBeTruthy()
  })
})
