import { fc, test } from '@fast-check/vitest'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { SkiplistView } from '../../../src/engine/inspectContainers.ts'
import {
  applySkiplistEvent,
  COL_W,
  focusColumns,
  layoutSkiplist,
  skiplistModelFromView,
  towerLabel,
} from '../../../src/panels/skiplist/skiplistModel.ts'
import { SkiplistPanel } from '../../../src/panels/skiplist/SkiplistPanel.tsx'

function view(s: ReturnType<typeof createServer>, key: string) {
  return s.inspect(key, { limit: 10_000 }) as unknown as SkiplistView
}

function skiplistServer(seed: number) {
  const s = createServer({ seed, clock: manualClock(), trace: 'full' })
  s.call(['CONFIG', 'SET', 'zset-max-listpack-entries', '0'])
  s.call(['ZADD', 'z', '0', 'seed'])
  return s
}

describe('layoutSkiplist', () => {
  it('derives the same spans the engine keeps', () => {
    const s = skiplistServer(3)
    s.call(['ZADD', 'z', ...Array.from({ length: 30 }, (_, i) => [String(i), `m${i}`]).flat()])
    const v = view(s, 'z')
    const towers = layoutSkiplist(skiplistModelFromView(v))
    expect(towers.map((t) => t.links.map((l) => l.span))).toEqual(
      v.nodes.map((n) => n.levels.map((l) => l.span)),
    )
  })
})

const zop = fc.oneof(
  fc.tuple(fc.constant('ZADD'), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 25 })),
  fc.tuple(fc.constant('ZREM'), fc.constant(0), fc.integer({ min: 0, max: 25 })),
  fc.tuple(
    fc.constant('ZINCRBY'),
    fc.integer({ min: -5, max: 5 }),
    fc.integer({ min: 0, max: 25 }),
  ),
)

test.prop([fc.integer({ min: 1, max: 500 }), fc.array(zop, { minLength: 1, maxLength: 60 })], {
  numRuns: 30,
})('folding ZADD/ZREM/ZINCRBY traces equals the engine’s next view', (seed, ops) => {
  const s = skiplistServer(seed)
  let m = skiplistModelFromView(view(s, 'z'))
  for (const [cmd, score, member] of ops) {
    const argv =
      cmd === 'ZREM' ? ['ZREM', 'z', `m${member}`] : [cmd, 'z', String(score), `m${member}`]
    const t = s.execute(argv)
    // The last ZREM deletes the key; nothing is left to compare.
    if (s.inspect('z') === null) return
    m = t.events.reduce(applySkiplistEvent, m)
    expect(m).toEqual(skiplistModelFromView(view(s, 'z')))
  }
})

describe('focusColumns', () => {
  it('names a search’s last stop and the node after it, or the node a step changes', () => {
    const s = skiplistServer(3)
    s.call(['ZADD', 'z', ...Array.from({ length: 12 }, (_, i) => [String(i * 10), `m${i}`]).flat()])
    const towers = layoutSkiplist(skiplistModelFromView(view(s, 'z')))
    const searched = s
      .execute(['ZRANGEBYSCORE', 'z', '75', '105'])
      .events.find((e) => e.type === 'zsl/searched')
    // "seed" (score 0) sorts after m0, so m7 (70), the last node below 75, has rank 9.
    const m7 = towers.find((tw) => tw.member === 'm7')
    expect(m7?.rank).toBe(9)
    expect(focusColumns(searched, towers)).toEqual({ from: 9 * COL_W, to: 11 * COL_W })
    const added = s
      .execute(['ZADD', 'z', '200', 'last'])
      .events.find((e) => e.type === 'zsl/nodeInserted')
    const after = layoutSkiplist(skiplistModelFromView(view(s, 'z')))
    // The last node: its one column, not past the end.
    expect(focusColumns(added, after)).toEqual({ from: 14 * COL_W, to: 15 * COL_W })
    expect(focusColumns(undefined, after)).toBeNull()
  })
})

describe('SkiplistPanel', () => {
  it('shows the coin flips that drew a new node’s level, then the node in place', () => {
    const s = skiplistServer(8)
    s.call(['ZADD', 'z', '1', 'a', '3', 'c'])
    const before = view(s, 'z')
    const t = s.execute(['ZADD', 'z', '2', 'b'])
    const after = view(s, 'z')
    const own = t.events.filter((e) => e.type.startsWith('zsl/'))
    const drawn = own.findIndex((e) => e.type === 'zsl/levelDrawn')
    const inserted = own.findIndex((e) => e.type === 'zsl/nodeInserted')
    const { container, rerender } = render(
      <SkiplistPanel
        title="zset z"
        before={before}
        after={after}
        events={t.events}
        step={drawn + 1}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByTestId('zsl-flips').textContent).toMatch(/stop/)
    expect(container.querySelector('[data-id="zsl:b"]')).toBeNull()
    rerender(
      <SkiplistPanel
        title="zset z"
        before={before}
        after={after}
        events={t.events}
        step={inserted + 1}
        t={1}
        lang="en"
      />,
    )
    expect(container.querySelector('[data-id="zsl:b"]')?.getAttribute('data-rank')).toBe('3')
    expect(container.querySelector('[data-id="zsl:c"]')?.getAttribute('data-rank')).toBe('4')
    // The inserted node is marked as the new one, apart from its lit predecessor (a lone lit
    // "a" read as the node the caption's "Inserted b" meant).
    expect(container.querySelector('[data-id="zsl:b"]')?.getAttribute('data-new')).toBe('true')
    expect(container.querySelector('[data-id="zsl:a"]')?.getAttribute('data-path')).toBe('true')
    expect(container.querySelectorAll('[data-new="true"]')).toHaveLength(1)
  })

  it('names the lit colours in zslInsert’s terms while they are on screen', () => {
    const s = skiplistServer(8)
    s.call(['ZADD', 'z', '1', 'a', '3', 'c'])
    const before = view(s, 'z')
    const t = s.execute(['ZADD', 'z', '2', 'b'])
    const own = t.events.filter((e) => e.type.startsWith('zsl/'))
    const at = (step: number, lang: 'en' | 'zh') => (
      <SkiplistPanel
        title="zset z"
        before={before}
        after={view(s, 'z')}
        events={t.events}
        step={step}
        t={1}
        lang={lang}
      />
    )
    const { rerender } = render(at(0, 'en'))
    expect(screen.queryByRole('list', { name: 'Colours' })).toBeNull()
    expect(
      screen.getByRole('region', { name: 'Skiplist diagram of zset z, scrolls sideways' }),
    ).toHaveAttribute('tabindex', '0')
    rerender(at(own.findIndex((e) => e.type === 'zsl/nodeInserted') + 1, 'en'))
    const legend = screen.getByRole('list', { name: 'Colours' })
    expect(legend.querySelector('[data-legend="lit"]')?.textContent).toMatch(/^update\[i\]/)
    expect(legend.querySelector('[data-legend="new"]')?.textContent).toMatch(/node inserted/)
    rerender(at(own.findIndex((e) => e.type === 'zsl/nodeInserted') + 1, 'zh'))
    expect(screen.getByRole('list', { name: '颜色' }).textContent).toMatch(/新插入的节点/)
    expect(screen.getByRole('region', { name: 'zset z 的跳表图，可左右滚动' })).toBeInTheDocument()
    const search = s.execute(['ZRANGEBYSCORE', 'z', '2', '3'])
    const found = search.events.filter((e) => e.type.startsWith('zsl/'))
    rerender(
      <SkiplistPanel
        title="zset z"
        before={view(s, 'z')}
        after={view(s, 'z')}
        events={search.events}
        step={found.findIndex((e) => e.type === 'zsl/searched') + 1}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(/^search path/)
  })
})

/** The skiplist panel of `z` after `zadd`, its steps all played, in `lang`. */
function settledPanel(zadd: string[], lang: 'en' | 'zh'): HTMLElement {
  const s = skiplistServer(8)
  s.call(zadd)
  return render(
    <SkiplistPanel
      title="z"
      before={null}
      after={view(s, 'z')}
      events={[]}
      step={0}
      t={1}
      lang={lang}
    />,
  ).container
}

describe('tower labels', () => {
  it('cut a long member or score to its column, decode UTF-8 and keep the full name as a tooltip', () => {
    expect(towerLabel('verylongmembername')).toBe('verylong…')
    expect(towerLabel('3.3333333333333335')).toBe('3.333333…')
    expect(towerLabel('bob')).toBe('bob')
    const container = settledPanel(
      ['ZADD', 'z', '1', 'verylongmembername', '2', '\xe5\xbc\xa0\xe4\xb8\x89'],
      'en',
    )
    const members = [...container.querySelectorAll('.zsl-member')].map((el) => el.textContent)
    expect(members).toEqual(['header', 'seedseed', 'verylong…verylongmembername', '张三张三'])
    expect(
      [...container.querySelectorAll('.zsl-member title')].map((t) => t.textContent),
    ).toContain('verylongmembername')
  })

  it('name the header node in 简体中文', () => {
    const container = settledPanel(['ZADD', 'z', '1', 'a'], 'zh')
    expect(container.querySelector('.zsl-member')?.textContent).toBe('头节点')
  })
})
