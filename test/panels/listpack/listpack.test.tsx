import { fc, test } from '@fast-check/vitest'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { ListpackView } from '../../../src/engine/inspectContainers.ts'
import {
  applyListpackEvent,
  layoutListpack,
  listpackModelFromView,
  type ListpackModel,
} from '../../../src/panels/listpack/listpackModel.ts'
import { ListpackPanel } from '../../../src/panels/listpack/ListpackPanel.tsx'

function view(s: ReturnType<typeof createServer>, key: string) {
  return s.inspect(key) as unknown as ListpackView
}

/** What the fold can know: values, sizes and offsets (not the encoding names). */
function shape(m: ListpackModel) {
  return {
    values: m.cells.map((c) => c.value),
    sizes: m.cells.map((c) => c.size),
    total: m.totalBytes,
  }
}

const hop = fc.oneof(
  fc.tuple(
    fc.constant('HSET'),
    fc.integer({ min: 0, max: 12 }),
    fc.oneof(fc.integer({ min: -200, max: 70000 }).map(String), fc.string({ maxLength: 70 })),
  ),
  fc.tuple(fc.constant('HDEL'), fc.integer({ min: 0, max: 12 }), fc.constant('')),
)

test.prop([fc.array(hop, { minLength: 1, maxLength: 40 })], { numRuns: 40 })(
  'folding HSET/HDEL traces of a listpack hash equals the engine’s next view',
  (ops) => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['HSET', 'h', 'seed', '1'])
    let m = listpackModelFromView(view(s, 'h'))
    for (const [cmd, f, v] of ops) {
      const t = s.execute(cmd === 'HSET' ? ['HSET', 'h', `f${f}`, v] : ['HDEL', 'h', `f${f}`])
      const v2 = s.inspect('h') as unknown as ListpackView | null
      if (v2 === null || v2.kind !== 'listpack') return
      m = t.events.reduce(applyListpackEvent, m)
      expect(shape(m)).toEqual(shape(listpackModelFromView(v2)))
    }
  },
)

describe('layoutListpack', () => {
  it('puts the first entry at byte 6 and the terminator at total − 1', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'off' })
    s.call(['HSET', 'h', 'a', '1', 'b', 'hello'])
    const boxes = layoutListpack(listpackModelFromView(view(s, 'h')))
    expect(boxes[1]?.offset).toBe(6)
    expect(boxes[boxes.length - 1]?.offset).toBe(view(s, 'h').totalBytes - 1)
  })
})

describe('ListpackPanel', () => {
  it('shows the new entry and the total bytes after HSET', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['HSET', 'h', 'a', '1'])
    const before = view(s, 'h')
    const t = s.execute(['HSET', 'h', 'b', 'hello'])
    const after = view(s, 'h')
    const n = t.events.filter((e) => e.type.startsWith('listpack/')).length
    const { container } = render(
      <ListpackPanel
        title="Hash h"
        before={before}
        after={after}
        events={t.events}
        step={n}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByTestId('lp-total').textContent).toBe(String(after.totalBytes))
    expect(container.querySelectorAll('[data-id^="lp:"]').length).toBe(after.count + 2)
    // The ribbon scrolls and takes focus: a screen reader names what it is.
    expect(
      screen.getByRole('region', { name: 'Listpack bytes of Hash h, scrolls sideways' }),
    ).toHaveAttribute('tabindex', '0')
  })
})

describe('ListpackPanel on a key the command creates', () => {
  it('starts from an empty listpack and shows one more entry at each insert step', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    const t = s.execute(['HSET', 'user', 'name', 'Ann', 'age', '33'])
    const after = view(s, 'user')
    const panel = (step: number) => (
      <ListpackPanel
        title="Hash user"
        before={null}
        after={after}
        events={t.events}
        step={step}
        t={1}
        lang="en"
        settled={step === 4}
      />
    )
    const r = render(panel(0))
    expect(screen.getByTestId('lp-count').textContent).toBe('0')
    expect(screen.getByTestId('lp-total').textContent).toBe('7')
    expect(screen.getByTestId('lp-count').parentElement?.textContent).toBe('7 bytes · 0 entries')
    r.rerender(panel(1))
    expect(screen.getByTestId('lp-count').textContent).toBe('1')
    expect(screen.getByTestId('lp-count').parentElement?.textContent).toBe('13 bytes · 1 entry')
    expect(r.container.querySelectorAll('[data-id^="lp:"]')).toHaveLength(3)
    r.rerender(panel(2))
    expect(screen.getByTestId('lp-count').textContent).toBe('2')
    r.rerender(panel(4))
    expect(screen.getByTestId('lp-count').textContent).toBe('4')
    expect(screen.getByTestId('lp-total').textContent).toBe(String(after.totalBytes))
  })
})

describe('layoutListpack widths', () => {
  it('makes every box wide enough for its label and its offset+size line, values decoded from UTF-8', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['HSET', 'h', 'name', 'Ann', 'age', '33', 'city', '\xe9\xa6\x99\xe6\xb8\xaf'])
    const boxes = layoutListpack(listpackModelFromView(view(s, 'h')))
    expect(boxes.map((b) => b.label)).toEqual([
      '39B · 6',
      'name',
      'Ann',
      'age',
      '33',
      'city',
      '香港',
      'FF',
    ])
    for (const b of boxes) {
      const chars = Math.max(b.label.length, `${String(b.offset)}+${String(b.size)}`.length)
      expect(b.w, b.label).toBeGreaterThanOrEqual(chars * 6.6 + 3)
    }
    for (let i = 1; i < boxes.length; i++)
      expect(boxes[i]?.x).toBe((boxes[i - 1]?.x ?? 0) + (boxes[i - 1]?.w ?? 0))
  })
})
