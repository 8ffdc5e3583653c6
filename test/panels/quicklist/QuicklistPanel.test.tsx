import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { StepEvent } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { QuicklistView } from '../../../src/engine/inspectContainers.ts'
import { QuicklistPanel } from '../../../src/panels/quicklist/QuicklistPanel.tsx'
import { isQuicklistStep } from '../../../src/panels/quicklist/QuicklistEntry.tsx'

function setup(fill: string) {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
  s.call(['CONFIG', 'SET', 'list-max-listpack-size', fill])
  return s
}
const view = (s: ReturnType<typeof setup>) => s.inspect('l') as unknown as QuicklistView

function panel(
  before: QuicklistView | null,
  after: QuicklistView,
  events: readonly StepEvent[],
  step: number,
  t: number,
  lang: 'en' | 'zh',
) {
  return (
    <QuicklistPanel
      title="List l"
      before={before}
      after={after}
      events={events}
      step={step}
      t={t}
      lang={lang}
    />
  )
}

describe('QuicklistPanel', () => {
  it('links a new tail node when the tail node is at the fill limit, and says so', () => {
    const s = setup('2')
    s.call(['RPUSH', 'l', 'a', 'b'])
    const before = view(s)
    const t = s.execute(['RPUSH', 'l', 'c'])
    const after = view(s)
    const n = t.events.filter((e) => isQuicklistStep(e, 'l')).length
    const { container } = render(panel(before, after, t.events, n, 1, 'en'))
    expect(screen.getByRole('status').textContent).toMatch(
      /Created quicklist node 2 with 1 entry \(\d+ bytes\), after node 1/,
    )
    const nodes = [...container.querySelectorAll('[data-id^="qlnode:"]')]
    expect(nodes.map((g) => [g.getAttribute('data-id'), g.getAttribute('data-count')])).toEqual([
      ['qlnode:1', '2'],
      ['qlnode:2', '1'],
    ])
    expect(screen.getByTestId('ql-fill').textContent).toBe('Fill limit: at most 2 entries per node')
    expect(screen.getByTestId('ql-stats').getAttribute('data-count')).toBe('3')
  })

  it('steps through a split: at step 1 the full node is cut, at the end the new half is linked', () => {
    const s = setup('4')
    s.call(['RPUSH', 'l', '1', '2', '3', '4', '5', '6', '7', '8'])
    const before = view(s)
    const t = s.execute(['LINSERT', 'l', 'AFTER', '2', 'x'])
    const after = view(s)
    const steps = t.events.filter((e) => isQuicklistStep(e, 'l'))
    expect(steps[0]?.type).toBe('quicklist/nodeSplit')
    const r = render(panel(before, after, t.events, 1, 1, 'zh'))
    expect(screen.getByRole('status').textContent).toMatch(/拆出新节点/)
    expect(r.container.querySelector('[data-id="qlnode:1"]')?.getAttribute('data-count')).toBe('2')
    expect(r.container.querySelector('[data-active="true"]')?.getAttribute('data-id')).toBe(
      'qlnode:1',
    )
    expect(screen.getByRole('list', { name: '颜色' }).textContent).toMatch(/quicklistNode.*拆分/)
    r.rerender(panel(before, after, t.events, steps.length, 1, 'zh'))
    const ids = [...r.container.querySelectorAll('[data-id^="qlnode:"]:not([data-leaving])')].map(
      (g) => g.getAttribute('data-id'),
    )
    expect(ids).toEqual(after.nodes.map((n) => `qlnode:${String(n.id)}`))
  })

  it('builds a list the command creates step by step, from no node to the pushed elements', () => {
    const s = setup('-2')
    const t = s.execute(['RPUSH', 'l', 'a', 'b', 'c', 'd'])
    const after = view(s)
    const steps = t.events.filter((e) => isQuicklistStep(e, 'l'))
    expect(steps.map((e) => e.type)).toEqual([
      'quicklist/nodeCreated',
      'listpack/entryInserted',
      'listpack/entryInserted',
      'listpack/entryInserted',
    ])
    const r = render(panel(null, after, t.events, 0, 1, 'en'))
    expect(r.container.querySelectorAll('[data-id^="qlnode:"]')).toHaveLength(0)
    expect(screen.getByTestId('ql-stats').getAttribute('data-count')).toBe('0')
    r.rerender(panel(null, after, t.events, 2, 1, 'en'))
    expect(screen.getByTestId('ql-stats').getAttribute('data-count')).toBe('2')
    expect(r.container.querySelector('[data-id="qlnode:1"]')?.getAttribute('data-count')).toBe('2')
    r.rerender(panel(null, after, t.events, steps.length, 1, 'en'))
    expect(screen.getByTestId('ql-stats').getAttribute('data-count')).toBe('4')
  })

  it('fades out a node deleted by a pop', () => {
    const s = setup('1')
    s.call(['RPUSH', 'l', 'a', 'b'])
    const before = view(s)
    const t = s.execute(['LPOP', 'l'])
    const after = view(s)
    const n = t.events.filter((e) => isQuicklistStep(e, 'l')).length
    const { container } = render(panel(before, after, t.events, n, 0.5, 'en'))
    expect(container.querySelector('[data-leaving="true"]')?.getAttribute('data-id')).toBe(
      'qlnode:1',
    )
    expect(screen.getByRole('status').textContent).toMatch(/Deleted empty quicklist node 1/)
  })

  it('shows inner nodes LZF-compressed past the compress depth, with their LZF bytes', () => {
    const s = setup('4')
    s.call(['CONFIG', 'SET', 'list-compress-depth', '1'])
    const text = (i: number) => `hello-hello-hello-hello-${String(i)}`
    s.call(['RPUSH', 'l', ...Array.from({ length: 12 }, (_, i) => text(i))])
    const before = view(s)
    expect(before.nodes.map((n) => n.lzfSz !== null)).toEqual([false, true, false])
    const t = s.execute(['RPUSH', 'l', text(12)])
    const after = view(s)
    const steps = t.events.filter((e) => isQuicklistStep(e, 'l'))
    const k = steps.findIndex((e) => e.type === 'quicklist/nodeCompressed') + 1
    expect(k).toBeGreaterThan(0)
    const r = render(panel(before, after, t.events, k, 1, 'en'))
    expect(screen.getByRole('status').textContent).toMatch(
      /Compressed inner node 3 with LZF: \d+ → \d+ bytes\./,
    )
    const lzf = [...r.container.querySelectorAll('[data-id^="qlnode:"]')].map((g) =>
      g.getAttribute('data-lzf'),
    )
    const sizes = after.nodes.map((n) => (n.lzfSz === null ? null : String(n.lzfSz)))
    expect(lzf).toEqual(sizes)
    expect(lzf.filter((x) => x !== null)).toHaveLength(2)
    expect(r.container.querySelectorAll('.ql-node--lzf')).toHaveLength(2)
    expect(screen.getByTestId('ql-depth').textContent).toBe(
      'compress depth 1: 1 node at each end left raw, inner nodes LZF-compressed',
    )
    r.rerender(panel(before, after, t.events, k, 1, 'zh'))
    expect(screen.getByRole('status').textContent).toMatch(/用 LZF 压缩内部节点 3/)
  })
})
