/**
 * The geo panel, step by step in jsdom: GEOADD's bit view (lon and lat cells, the halvings,
 * the interleaved score) and points appearing; GEOSEARCH's nine cells lighting up as they
 * are walked, candidates kept or dropped, the results; GEOHASH's characters; the entry's
 * zset tab; the density map of a big set; Chinese text.
 */
import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { StepEvent } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { GeoView } from '../../../src/engine/inspectGeo.ts'
import GeoEntry from '../../../src/panels/geo/GeoEntry.tsx'
import { GeoPanel } from '../../../src/panels/geo/GeoPanel.tsx'
import { findPanel } from '../../../src/panels/registry.ts'

const CITIES = [
  '13.361389',
  '38.115556',
  'Palermo',
  '15.087269',
  '37.502669',
  'Catania',
  '12.496366',
  '41.902782',
  'Rome',
]

function setup() {
  return createServer({ seed: 4, clock: manualClock(), trace: 'full' })
}

function view(s: ReturnType<typeof setup>, key: string): GeoView {
  return s.inspect(key) as unknown as GeoView
}

function geoOnly(events: readonly StepEvent[]) {
  return events.filter((e) => e.type.startsWith('geo/'))
}

describe('GeoPanel', () => {
  it('steps through GEOADD: each member’s bits and score, the points appearing', () => {
    const s = setup()
    const t = s.execute(['GEOADD', 'g', ...CITIES])
    const after = view(s, 'g')
    const own = geoOnly(t.events)
    expect(own).toHaveLength(3)
    const props = {
      title: 'g',
      before: null,
      after,
      events: t.events,
      t: 1,
      lang: 'en' as const,
      encoding: 'listpack',
    }
    const { container, rerender } = render(<GeoPanel {...props} step={0} />)
    expect(screen.getByTestId('geo-size').textContent).toBe('0')
    expect(container.querySelectorAll('[data-member][data-state]')).toHaveLength(0)
    expect(screen.queryByTestId('geo-bits')).toBeNull()

    rerender(<GeoPanel {...props} step={1} />)
    const bits = screen.getByTestId('geo-bits')
    const first = own[0]
    if (first?.type !== 'geo/memberEncoded') throw new Error('no encoding')
    expect(bits.getAttribute('data-member')).toBe('Palermo')
    expect(bits.getAttribute('data-lon-cell')).toBe(String(first.lonCell))
    expect(bits.getAttribute('data-lat-cell')).toBe(String(first.latCell))
    expect(bits.textContent).toContain('3479099956230698')
    expect(screen.getByTestId('geo-halving').textContent).toMatch(/Halving 26/)
    expect(screen.getByRole('status').textContent).toContain('52-bit score is 3479099956230698')
    expect(screen.getByRole('status').textContent).toContain('added as a new member')
    expect(screen.getByTestId('geo-size').textContent).toBe('1')
    expect(screen.getByTestId('geo-size').parentElement?.textContent).toMatch(/^1 point ·/)
    expect(container.querySelector('[data-member="Palermo"]')).not.toBeNull()

    // Half-way through the step only the first halvings are revealed.
    rerender(<GeoPanel {...props} step={1} t={0.2} />)
    expect(screen.getByTestId('geo-halving').textContent).not.toMatch(/Halving 26/)

    rerender(<GeoPanel {...props} step={3} settled />)
    expect(screen.getByTestId('geo-size').textContent).toBe('3')
    expect(screen.getByTestId('geo-size').parentElement?.textContent).toMatch(/^3 points ·/)
    for (const m of ['Palermo', 'Catania', 'Rome'])
      expect(container.querySelector(`[data-member="${m}"]`)).not.toBeNull()
  })

  it('steps through GEOSEARCH: the nine cells walked, candidates judged, the results', () => {
    const s = setup()
    s.call(['GEOADD', 'g', ...CITIES])
    const before = view(s, 'g')
    const t = s.execute([
      'GEOSEARCH',
      'g',
      'FROMLONLAT',
      '15',
      '37',
      'BYRADIUS',
      '200',
      'km',
      'ASC',
      'COUNT',
      '2',
    ])
    const own = geoOnly(t.events)
    const props = {
      title: 'g',
      before,
      after: view(s, 'g'),
      events: t.events,
      t: 1,
      lang: 'en' as const,
      encoding: 'listpack',
    }
    const { container, rerender } = render(<GeoPanel {...props} step={1} />)
    const plan = own[0]
    if (plan?.type !== 'geo/searchPlanned') throw new Error('no plan')
    const cells = screen.getByRole('list', { name: `The nine cells (step ${String(plan.step)})` })
    expect(within(cells).getAllByRole('listitem')).toHaveLength(9)
    const pruned = plan.cells.filter((c) => c.pruned).length
    expect(cells.querySelectorAll('[data-state="pruned"]')).toHaveLength(pruned)
    expect(cells.querySelectorAll('[data-state="pending"]')).toHaveLength(9 - pruned)
    expect(screen.getByTestId('geo-shape').getAttribute('data-shape')).toBe('radius')
    expect(screen.getByTestId('geo-grid').getAttribute('data-step')).toBe(String(plan.step))
    expect(screen.getByRole('status').textContent).toContain(
      `gives step ${String(plan.estimatedStep)}`,
    )

    // The first walked cell is the centre.
    rerender(<GeoPanel {...props} step={2} />)
    expect(cells.querySelector('[data-cell="center"]')?.getAttribute('data-state')).toBe('scanning')
    expect(container.querySelector('rect[data-cell="center"]')?.getAttribute('data-state')).toBe(
      'scanning',
    )
    expect(screen.getByRole('status').textContent).toMatch(/Walked cell centre/)

    // Candidate by candidate: each point turns kept or dropped.
    const firstCand = own.findIndex((e) => e.type === 'geo/candidateChecked')
    rerender(<GeoPanel {...props} step={firstCand + 1} />)
    const cand = own[firstCand]
    if (cand?.type !== 'geo/candidateChecked') throw new Error('no candidate')
    const point = container.querySelector(`g[data-member="${cand.member}"]`)
    expect(point?.getAttribute('data-state')).toBe(cand.kept ? 'kept' : 'dropped')
    expect(
      within(screen.getByTestId('geo-candidates')).getByText(new RegExp(cand.member)),
    ).toBeInTheDocument()

    // Last step: sorted, cut to COUNT 2.
    rerender(<GeoPanel {...props} step={own.length} settled />)
    const results = screen.getByRole('list', { name: 'Results' })
    expect(
      within(results)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-member')),
    ).toEqual(['Catania', 'Palermo'])
    expect(cells.querySelectorAll('[data-state="scanning"]')).toHaveLength(0)
    expect(container.querySelector('g[data-member="Rome"]')?.getAttribute('data-state')).not.toBe(
      'kept',
    )
    expect(screen.getByRole('status').textContent).toMatch(/sorted ASC by distance/)
  })

  it('shows GEOHASH’s 11 characters and their bits, and GEOPOS’s cell', () => {
    const s = setup()
    s.call(['GEOADD', 'g', ...CITIES])
    const t = s.execute(['GEOHASH', 'g', 'Palermo'])
    const props = {
      title: 'g',
      before: view(s, 'g'),
      after: view(s, 'g'),
      events: t.events,
      t: 1,
      lang: 'en' as const,
      encoding: 'listpack',
    }
    const { rerender } = render(<GeoPanel {...props} step={1} />)
    expect(screen.getByTestId('geo-cell-size').textContent).toMatch(/GEOPOS answers its centre/)
    rerender(<GeoPanel {...props} step={2} />)
    const hash = screen.getByTestId('geo-geohash')
    expect(hash.textContent).toContain('s11000')
    expect(hash.querySelectorAll('.geo-geohash__char')).toHaveLength(11)
  })

  it('says when a cell number spills past 26 bits (a coordinate at the top of its range)', () => {
    const s = setup()
    const t = s.execute(['GEOADD', 'g', '179.99999999999997', '0', 'edge'])
    render(
      <GeoPanel
        title="g"
        before={null}
        after={view(s, 'g')}
        events={t.events}
        step={1}
        t={1}
        lang="en"
        encoding="listpack"
      />,
    )
    expect(screen.getByTestId('geo-spill').textContent).toMatch(/score past 2\^52/)
    expect(screen.getByTestId('geo-bits').textContent).toContain('10133099161583616')
  })

  it('switches to a density map past the point limit', () => {
    const s = setup()
    const args: string[] = []
    for (let i = 0; i < 450; i++)
      args.push(String(-170 + (i % 340)), String(-60 + (i % 120)), `m${String(i)}`)
    s.call(['GEOADD', 'many', ...args])
    const v = s.inspect('many', { limit: 100 }) as unknown as GeoView
    const { container, rerender } = render(
      <GeoPanel
        title="many"
        before={v}
        after={v}
        events={[]}
        step={0}
        t={1}
        lang="en"
        encoding="skiplist"
      />,
    )
    expect(screen.getByTestId('geo-density').getAttribute('aria-label')).toMatch(/450 points/)
    expect(container.querySelectorAll('g[data-member]')).toHaveLength(0)
    // Listed in full (under the inspect limit) but past POINTS_MAX: the panel counts them.
    const all = s.inspect('many') as unknown as GeoView
    expect(all.truncated).toBe(false)
    rerender(
      <GeoPanel
        title="many"
        before={all}
        after={all}
        events={[]}
        step={0}
        t={1}
        lang="en"
        encoding="skiplist"
      />,
    )
    expect(screen.getByTestId('geo-density').getAttribute('aria-label')).toMatch(/450 points/)
  })

  it('speaks Chinese', () => {
    const s = setup()
    const t = s.execute(['GEOADD', 'g', ...CITIES])
    render(
      <GeoPanel
        title="g"
        before={null}
        after={view(s, 'g')}
        events={t.events}
        step={1}
        t={1}
        lang="zh"
        encoding="listpack"
      />,
    )
    expect(screen.getByRole('status').textContent).toMatch(/交错后 52 位分数为 3479099956230698/)
    expect(screen.getByText(/地理位置集合就是有序集合/)).toBeInTheDocument()
  })
})

describe('GeoEntry', () => {
  it('is the registry’s panel for geo views, with the zset’s own panel as a tab', () => {
    expect(findPanel('geo')?.id).toBe('geo')
    const s = setup()
    const t = s.execute(['GEOADD', 'g', ...CITIES])
    const after = s.inspect('g')
    render(
      <GeoEntry
        keyName="g"
        db={0}
        before={null}
        after={after}
        events={t.events}
        step={t.events.length}
        lang="en"
        reducedMotion
      />,
    )
    expect(screen.getByRole('region', { name: 'g' })).toHaveAttribute('data-testid', 'geo-panel')
    fireEvent.click(screen.getByRole('tab', { name: 'Sorted set (listpack)' }))
    expect(screen.queryByTestId('geo-panel')).toBeNull()
    expect(screen.getByRole('tab', { name: 'Sorted set (listpack)' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
  })
})
