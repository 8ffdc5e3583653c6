import { fc, test } from '@fast-check/vitest'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { StepEvent } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { StreamView } from '../../../src/engine/inspectStream.ts'
import { isStreamStep } from '../../../src/panels/stream/StreamEntry.tsx'
import { StreamPanel } from '../../../src/panels/stream/StreamPanel.tsx'
import { findPanel } from '../../../src/panels/registry.ts'

afterEach(cleanup)

function setup(maxEntries = '2') {
  const s = createServer({ seed: 1, clock: manualClock(0), trace: 'full' })
  s.call(['CONFIG', 'SET', 'stream-node-max-entries', maxEntries])
  return s
}
const view = (s: ReturnType<typeof setup>) => s.inspect('s') as unknown as StreamView

function panel(
  before: StreamView | null,
  after: StreamView,
  events: readonly StepEvent[],
  step: number,
  t = 1,
  lang: 'en' | 'zh' = 'en',
  settled = false,
) {
  return (
    <StreamPanel
      title="Stream s"
      before={before}
      after={after}
      events={events}
      step={step}
      t={t}
      lang={lang}
      settled={settled}
    />
  )
}

/** Runs one command: the views around it and its stream steps. */
function run(s: ReturnType<typeof setup>, ...argv: string[]) {
  const before = view(s)
  const t = s.execute(argv)
  return {
    before,
    after: view(s),
    events: t.events,
    steps: t.events.filter((e) => isStreamStep(e, 's')),
  }
}

const ids = (c: HTMLElement, prefix: string) =>
  [...c.querySelectorAll(`[data-id^="${prefix}"]:not([data-leaving])`)].map((g) =>
    g.getAttribute('data-id'),
  )

/** What the drawing says, to compare with the engine's view. */
function drawn(c: HTMLElement) {
  return {
    lps: [...c.querySelectorAll('[data-id^="lp:"]:not([data-leaving])')].map((g) => [
      g.getAttribute('data-id'),
      g.getAttribute('data-entries'),
      g.getAttribute('data-deleted'),
    ]),
    entries: [
      ...c.querySelectorAll('[data-id^="lp:"]:not([data-leaving]) [data-id^="entry:"]'),
    ].map((g) => [g.getAttribute('data-id'), g.getAttribute('data-deleted') === 'true']),
    rax: ids(c, 'rax:'),
    groups: [...c.querySelectorAll('[data-id^="group:"]')].map((g) => [
      g.getAttribute('data-id'),
      g.getAttribute('data-pending'),
    ]),
    pel: ids(c, 'pel:'),
  }
}

function expected(v: StreamView) {
  return {
    lps: v.nodes.map((n) => [`lp:${n.master}`, String(n.entries), String(n.deleted)]),
    entries: v.nodes.flatMap((n) => n.items.map((i) => [`entry:${i.id}`, i.deleted])),
    rax: v.rax.map((n) => `rax:${n.id}`),
    groups: v.groups.map((g) => [`group:${g.name}`, String(g.pending)]),
    pel: v.groups.flatMap((g) => g.pel.map((p) => `pel:${g.name}:${p.id}`)),
  }
}

describe('StreamPanel', () => {
  it('is the registered panel for stream views, titled in both languages', () => {
    expect(findPanel('stream')?.title).toEqual({ en: 'Stream', zh: '流' })
  })

  it('highlights the listpack an XADD appends to and fades the new entry in', () => {
    const s = setup('3')
    s.call(['XADD', 's', '1-1', 'temp', '20'])
    const r = run(s, 'XADD', 's', '1-2', 'temp', '21')
    expect(r.steps.map((e) => e.type)).toEqual(['stream/entryAppended'])
    const { container } = render(panel(r.before, r.after, r.events, 1, 0.5))
    const lp = container.querySelector('[data-id="lp:1-1"]')
    expect(lp?.getAttribute('data-active')).toBe('true')
    expect(lp?.getAttribute('data-entries')).toBe('2')
    const entry = container.querySelector('[data-id="entry:1-2"]')
    expect(entry?.getAttribute('data-active')).toBe('true')
    expect(Number(entry?.getAttribute('opacity'))).toBeGreaterThan(0)
    expect(Number(entry?.getAttribute('opacity'))).toBeLessThan(1)
    expect(entry?.textContent).toContain('temp=21')
    expect(screen.getByRole('status').textContent).toMatch(/appended 1-2 to node 1-1/)
    expect(screen.getByTestId('stream-stats').getAttribute('data-length')).toBe('2')
  })

  it('steps through a new node when stream-node-max-entries is reached: the rax splits', () => {
    const s = setup('2')
    s.call(['XADD', 's', '1-1', 'f', 'a'])
    s.call(['XADD', 's', '1-2', 'f', 'b'])
    const r = run(s, 'XADD', 's', '1-3', 'f', 'c')
    expect(r.steps.map((e) => e.type)).toEqual(['stream/nodeCreated', 'stream/entryAppended'])
    const x = render(panel(r.before, r.after, r.events, 0))
    expect(ids(x.container, 'lp:')).toEqual(['lp:1-1'])
    expect(ids(x.container, 'rax:')).toHaveLength(2) // one 16-byte run and its key
    x.rerender(panel(r.before, r.after, r.events, 1, 0.5))
    expect(screen.getByRole('status').textContent).toMatch(
      /tail node reached stream-node-max-entries 2, so a new listpack node starts with master entry 1-3/,
    )
    expect(ids(x.container, 'lp:')).toEqual(['lp:1-1', 'lp:1-3'])
    expect(x.container.querySelector('[data-id="lp:1-3"]')?.getAttribute('data-entries')).toBe('0')
    // A 15-byte compressed run, a branch on the last byte (01 | 03), two keys.
    expect(
      [...x.container.querySelectorAll('[data-id^="rax:"]')].map((g) =>
        g.getAttribute('data-kind'),
      ),
    ).toEqual(['compr', 'branch', 'key', 'key'])
    expect(x.container.querySelector('[data-kind="branch"]')?.getAttribute('data-data')).toBe(
      '0103',
    )
    x.rerender(panel(r.before, r.after, r.events, 2, 1, 'zh'))
    expect(screen.getByRole('status').textContent).toMatch(/把 1-3 追加到节点 1-3/)
    expect(drawn(x.container)).toEqual(expected(r.after))
  })

  it('greys an XDEL tombstone, then fades out the node whose last live entry went', () => {
    const s = setup('2')
    for (const id of ['1-1', '1-2', '2-1']) s.call(['XADD', 's', id, 'f', 'v'])
    const a = run(s, 'XDEL', 's', '1-2')
    const x = render(panel(a.before, a.after, a.events, 1))
    expect(x.container.querySelector('[data-id="entry:1-2"]')?.getAttribute('data-deleted')).toBe(
      'true',
    )
    expect(x.container.querySelector('[data-id="lp:1-1"]')?.getAttribute('data-deleted')).toBe('1')
    expect(screen.getByRole('status').textContent).toMatch(/1-2 marked deleted \(a tombstone\)/)
    cleanup()
    const b = run(s, 'XDEL', 's', '1-1')
    expect(b.steps.map((e) => e.type)).toEqual(['stream/entryDeleted', 'stream/nodeDeleted'])
    const y = render(panel(b.before, b.after, b.events, 2, 0.5))
    const leaving = y.container.querySelector('[data-leaving="true"][data-id="lp:1-1"]')
    expect(Number(leaving?.getAttribute('opacity'))).toBeCloseTo(0.5, 1)
    expect(drawn(y.container)).toEqual(expected(b.after))
  })

  it('drops whole listpacks on XTRIM MAXLEN ~ and keeps the partly trimmed one', () => {
    const s = setup('2')
    for (let i = 1; i <= 5; i++) s.call(['XADD', 's', `${String(i)}-1`, 'f', 'v'])
    const r = run(s, 'XTRIM', 's', 'MAXLEN', '~', '2')
    expect(r.steps.map((e) => e.type)).toEqual(['stream/nodeDeleted'])
    const x = render(panel(r.before, r.after, r.events, 1))
    expect(screen.getByRole('status').textContent).toMatch(/removed node 1-1 with 2 entr/)
    expect(drawn(x.container)).toEqual(expected(r.after))
    expect(ids(x.container, 'lp:')).toEqual(['lp:3-1', 'lp:5-1'])
  })

  it('fills a group’s PEL on XREADGROUP and empties it on XACK', () => {
    const s = setup('4')
    for (const id of ['1-1', '1-2', '1-3']) s.call(['XADD', 's', id, 'f', 'v'])
    s.call(['XGROUP', 'CREATE', 's', 'g', '0'])
    const r = run(s, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>')
    const x = render(panel(r.before, r.after, r.events, r.steps.length))
    expect(x.container.querySelector('[data-id="group:g"]')?.getAttribute('data-active')).toBe(
      'true',
    )
    expect(ids(x.container, 'pel:')).toEqual(['pel:g:1-1', 'pel:g:1-2'])
    expect(x.container.querySelectorAll('[data-id^="pel:"][data-new="true"]')).toHaveLength(2)
    expect(
      x.container.querySelector('[data-id="consumer:g:alice"]')?.getAttribute('data-pending'),
    ).toBe('2')
    expect(screen.getByRole('status').textContent).toMatch(/group “g” delivered 2 entr/)
    cleanup()
    const a = run(s, 'XACK', 's', 'g', '1-1')
    const y = render(panel(a.before, a.after, a.events, 1, 1, 'zh'))
    expect(ids(y.container, 'pel:')).toEqual(['pel:g:1-2'])
    expect(screen.getByRole('status').textContent).toMatch(
      /XACK 从消费者组 “g” 的待处理列表移除 1 个条目/,
    )
    expect(drawn(y.container)).toEqual(expected(a.after))
  })

  it('keeps a big stream small: 12 listpacks and 8 entries each drawn, the rest counted', () => {
    const s = setup('100')
    for (let i = 1; i <= 2000; i++) s.call(['XADD', 's', `${String(i)}-1`, 'f', 'v'])
    const r = run(s, 'XADD', 's', '9999-1', 'f', 'v')
    const { container } = render(panel(r.before, r.after, r.events, r.steps.length))
    expect(ids(container, 'lp:')).toHaveLength(12)
    expect(container.querySelectorAll('[data-id^="entry:"]')).toHaveLength(12 * 8)
    expect(screen.getByText('+9 more listpacks not drawn')).toBeTruthy()
    expect(screen.getAllByText('+92 more')).toHaveLength(12)
    // Every drawn rax node leads to a drawn listpack.
    const leaves = [...container.querySelectorAll('[data-kind="key"]')]
    expect(leaves).toHaveLength(12)
  })

  it('grows a stream its first XADD created from empty (no before view), step by step', () => {
    const s = setup()
    const t = s.execute(['XADD', 's', '5-1', 'f', 'v'])
    const after = view(s)
    const x = render(panel(null, after, t.events, 0))
    expect(ids(x.container, 'lp:')).toEqual([])
    expect(ids(x.container, 'rax:')).toEqual(['rax:'])
    x.rerender(panel(null, after, t.events, 1))
    expect(x.container.querySelector('[data-id="lp:5-1"]')?.getAttribute('data-entries')).toBe('0')
    expect(screen.getByRole('status').textContent).toMatch(/the stream had no node/)
    x.rerender(panel(null, after, t.events, 2))
    expect(drawn(x.container)).toEqual(expected(after))
    cleanup()
    const { container } = render(panel(null, after, t.events, 2, 1, 'en', true))
    expect(ids(container, 'lp:')).toEqual(['lp:5-1'])
    expect(screen.getByText(/No consumer groups yet/)).toBeTruthy()
  })
})

const op = fc.oneof(
  fc.constant(['XADD', 's', '*', 'f', 'v']),
  fc.integer({ min: 1, max: 40 }).map((n) => ['XDEL', 's', `${String(n)}-0`]),
  fc.integer({ min: 0, max: 12 }).map((n) => ['XTRIM', 's', 'MAXLEN', '~', String(n)]),
  fc.integer({ min: 0, max: 12 }).map((n) => ['XTRIM', 's', 'MAXLEN', String(n)]),
  fc.constant(['XGROUP', 'CREATE', 's', 'g', '0']),
  fc.constant(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 's', '>']),
  fc.integer({ min: 1, max: 40 }).map((n) => ['XACK', 's', 'g', `${String(n)}-0`]),
)

test.prop([fc.array(op, { minLength: 1, maxLength: 25 })], { numRuns: 15 })(
  'the last step, folded without settling, draws what the engine’s after view says',
  (ops) => {
    const clock = manualClock(0)
    const s = createServer({ seed: 5, clock, trace: 'full' })
    s.call(['CONFIG', 'SET', 'stream-node-max-entries', '3'])
    s.call(['XADD', 's', '0-1', 'f', 'v'])
    for (const argv of ops) {
      clock.advance(1)
      const before = view(s)
      const t = s.execute(argv)
      const after = view(s)
      const n = t.events.filter((e) => isStreamStep(e, 's')).length
      const { container, unmount } = render(panel(before, after, t.events, n))
      expect(drawn(container)).toEqual(expected(after))
      unmount()
    }
  },
)
