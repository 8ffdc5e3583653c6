import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { IntsetView } from '../../../src/engine/inspectContainers.ts'
import {
  applyIntsetEvent,
  BYTE_PX,
  intsetModelFromView,
  layoutIntset,
  squeezeTo,
} from '../../../src/panels/intset/intsetModel.ts'
import { IntsetPanel } from '../../../src/panels/intset/IntsetPanel.tsx'

function view(s: ReturnType<typeof createServer>, key: string) {
  return s.inspect(key) as unknown as IntsetView
}

describe('intset model', () => {
  it('folds any SADD/SREM trace into the engine’s next view', () => {
    const s = createServer({ seed: 2, clock: manualClock(), trace: 'full' })
    s.call(['SADD', 's', '5'])
    let m = intsetModelFromView(view(s, 's'))
    const ops = [
      ['SADD', 's', '1', '9', '3'],
      ['SADD', 's', '-70000'],
      ['SREM', 's', '9'],
      ['SADD', 's', '4294967296', '7'],
      ['SREM', 's', '1', '5'],
    ]
    for (const argv of ops) {
      const t = s.execute(argv)
      m = t.events.reduce(applyIntsetEvent, m)
      const after = intsetModelFromView(view(s, 's'))
      expect(m).toEqual(after)
    }
  })

  it('lays cells out after the 8-byte header at width bytes each', () => {
    const cells = layoutIntset({ key: 'k', width: 4, values: ['1', '70000'] })
    expect(cells.map((c) => c.offset)).toEqual([8, 12])
  })
})

describe('IntsetPanel', () => {
  it('shows the upgrade from int16 to int32 and where 70000 went', () => {
    const s = createServer({ seed: 2, clock: manualClock(), trace: 'full' })
    s.call(['SADD', 'nums', '1', '2', '3'])
    const before = view(s, 'nums')
    const t = s.execute(['SADD', 'nums', '70000'])
    const after = view(s, 'nums')
    const { container } = render(
      <IntsetPanel
        title="Set nums"
        before={before}
        after={after}
        events={t.events}
        step={1}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByTestId('intset-encoding').textContent).toBe('INTSET_ENC_INT32')
    expect(container.querySelector('[data-id="int:70000"]')?.getAttribute('data-offset')).toBe('20')
    expect(screen.getByRole('status').textContent).not.toBe('')
  })

  it('lights the binary search probes', () => {
    const s = createServer({ seed: 2, clock: manualClock(), trace: 'full' })
    s.call(['SADD', 'nums', ...Array.from({ length: 15 }, (_, i) => String(i * 2))])
    const before = view(s, 'nums')
    const t = s.execute(['SISMEMBER', 'nums', '13'])
    const searched = t.events.filter((e) => e.type.startsWith('intset/'))
    expect(searched.length).toBeGreaterThan(0)
    const { container } = render(
      <IntsetPanel
        title="Set nums"
        before={before}
        after={view(s, 'nums')}
        events={t.events}
        step={1}
        t={1}
        lang="zh"
      />,
    )
    expect(container.querySelectorAll('[data-probe="true"]').length).toBeGreaterThan(0)
    // A key names the lit cells while they are lit.
    expect(screen.getByRole('list', { name: '颜色' }).textContent).toMatch(/intsetSearch 二分查找/)
    // Every word of the panel is in Chinese when the app is.
    expect(screen.getByTestId('intset-length').parentElement?.textContent).toMatch(
      /长度 15 · 38 字节/,
    )
  })
})

describe('IntsetEntry', () => {
  it('shows the elements of a set the command created, once its steps have played', async () => {
    const s = createServer({ seed: 2, clock: manualClock(), trace: 'full' })
    const t = s.execute(['SADD', 'nums', '1', '2', '70000'])
    const after = s.inspect('nums')
    const { default: IntsetEntry } = await import('../../../src/panels/intset/IntsetEntry.tsx')
    const props = {
      keyName: 'nums',
      db: 0,
      before: null,
      after,
      events: t.events,
      lang: 'en' as const,
    }
    // Mid-command: after the first insert, the new intset holds one element.
    const first = t.events.findIndex((e) => e.type === 'intset/inserted')
    const { container, rerender } = render(
      <IntsetEntry {...props} step={first + 1} reducedMotion />,
    )
    expect(screen.getByTestId('intset-length').textContent).toBe('1')
    rerender(<IntsetEntry {...props} step={t.events.length} reducedMotion />)
    expect(screen.getByTestId('intset-length').textContent).toBe('3')
    expect(screen.getByTestId('intset-encoding').textContent).toBe('INTSET_ENC_INT32')
    expect(container.querySelector('[data-id="int:70000"]')).not.toBeNull()
  })
})

describe('intset cell values', () => {
  it('squeezes a value wider than its cell into it and leaves the others alone', () => {
    expect(squeezeTo('100000', 4 * BYTE_PX)).toBeUndefined()
    expect(squeezeTo('7', 2 * BYTE_PX)).toBeUndefined()
    const squeezed = squeezeTo('-32768', 2 * BYTE_PX)
    expect(squeezed).toBeDefined()
    expect(squeezed).toBeLessThanOrEqual(2 * BYTE_PX - 6)
  })
})
