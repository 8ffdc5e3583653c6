/**
 * The HyperLogLog panel, step by step in jsdom: the hash split of each element, the register
 * raised (old → new), the sparse opcode that split, the promotion to dense, the histogram
 * and the estimate; the entry's string tab; Chinese text.
 */
import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { StepEvent } from '../../../src/engine/events.ts'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { HyperLogLogView } from '../../../src/engine/inspectHll.ts'
import { HyperLogLogPanel } from '../../../src/panels/hyperloglog/HyperLogLogPanel.tsx'
import HyperLogLogEntry from '../../../src/panels/hyperloglog/HyperLogLogEntry.tsx'
import { findPanel } from '../../../src/panels/registry.ts'

function setup() {
  return createServer({ seed: 9, clock: manualClock(), trace: 'full' })
}

function hll(s: ReturnType<typeof setup>, key: string): HyperLogLogView {
  return s.inspect(key) as unknown as HyperLogLogView
}

function hllOnly(events: readonly StepEvent[]) {
  return events.filter((e) => e.type.startsWith('hll/'))
}

describe('HyperLogLogPanel', () => {
  it('steps through PFADD of a new key: hash, register, opcode split, estimate', () => {
    const s = setup()
    const t = s.execute(['PFADD', 'h', 'apple', 'pear'])
    const after = hll(s, 'h')
    const own = hllOnly(t.events)
    expect(own.map((e) => e.type)).toEqual([
      'hll/elementHashed',
      'hll/registerUpdated',
      'hll/elementHashed',
      'hll/registerUpdated',
      'hll/cacheInvalidated',
    ])
    const hashed = own[0]
    if (hashed?.type !== 'hll/elementHashed') throw new Error('no hash')
    const props = { title: 'h', before: null, after, events: t.events, t: 1, lang: 'en' as const }
    // Step 0: createHLLObject's empty HLL, one XZERO opcode.
    const { container, rerender } = render(<HyperLogLogPanel {...props} step={0} />)
    expect(screen.getByTestId('hll-encoding').textContent).toBe('HLL_SPARSE')
    expect(screen.getByTestId('hll-bytes').textContent).toBe('18')
    expect(screen.getByRole('listitem', { name: 'Z:16384' })).toBeInTheDocument()
    expect(screen.queryByTestId('hll-hash')).toBeNull()

    // Step 1: the hash of "apple", split into the register and the zero run.
    rerender(<HyperLogLogPanel {...props} step={1} />)
    const hash = screen.getByTestId('hll-hash')
    expect(hash.getAttribute('data-index')).toBe(String(hashed.index))
    expect(hash.querySelectorAll('[data-role="index"]')).toHaveLength(14)
    expect(hash.querySelectorAll('[data-role="run"]')).toHaveLength(hashed.count - 1)
    expect(hash.querySelectorAll('[data-role="stop"]')).toHaveLength(1)
    // Bit 63 first, eight bits a group; the legend names each part with its bit numbers.
    const groups = hash.querySelectorAll('svg.hll-hash__group')
    expect(Array.from(groups, (g) => g.getAttribute('data-bits'))).toEqual([
      '63-56',
      '55-48',
      '47-40',
      '39-32',
      '31-24',
      '23-16',
      '15-8',
      '7-0',
    ])
    expect(groups[0]?.querySelector('[data-bit]')?.getAttribute('data-bit')).toBe('63')
    const stopBit = 14 + hashed.count - 1
    const legend = (name: string) => hash.querySelector(`[data-legend="${name}"]`)?.textContent
    expect(legend('index')).toBe(`bits 13–0 · register index (14 bits) = ${String(hashed.index)}`)
    if (hashed.count > 1)
      expect(legend('run')).toBe(
        `bits ${String(stopBit - 1)}–14 · zeros counted: ${String(hashed.count - 1)}`,
      )
    expect(legend('stop')).toBe(`bit ${String(stopBit)} · the first 1, which ends the run`)
    expect(legend('value')).toBe(
      `candidate register value: ${String(hashed.count - 1)} + 1 = ${String(hashed.count)}`,
    )
    expect(screen.getByRole('status').textContent).toContain(`register ${String(hashed.index)}`)
    expect(screen.getByTestId('hll-estimate').textContent).toBe('0')
    rerender(<HyperLogLogPanel {...props} step={1} lang="zh" />)
    const zh = (name: string) =>
      screen.getByTestId('hll-hash').querySelector(`[data-legend="${name}"]`)?.textContent
    expect(zh('index')).toBe(`第 13–0 位 · 寄存器下标（14 位） = ${String(hashed.index)}`)
    expect(zh('stop')).toBe(`第 ${String(stopBit)} 位 · 第一个 1，结束这段 0`)
    expect(zh('value')).toBe(
      `寄存器的候选值: ${String(hashed.count - 1)} + 1 = ${String(hashed.count)}`,
    )

    // Step 2: the register goes 0 → count; the XZERO split in three, the middle one new.
    rerender(<HyperLogLogPanel {...props} step={2} />)
    const reg = screen.getByTestId('hll-register')
    expect(reg.getAttribute('data-index')).toBe(String(hashed.index))
    expect(reg.textContent).toContain(`0 → ${String(hashed.count)}`)
    const fresh = container.querySelectorAll('[data-fresh="true"]')
    expect(fresh).toHaveLength(3)
    expect(fresh[1]?.getAttribute('data-op')).toBe(`v:${String(hashed.count)},1`)
    expect(fresh[1]?.getAttribute('data-first')).toBe(String(hashed.index))
    expect(screen.getByTestId('hll-bytes').textContent).toBe('21')
    expect(screen.getByTestId('hll-estimate').textContent).toBe('1')
    expect(screen.getByTestId('hll-nonzero').textContent).toMatch(/: 1$/)

    // Last step: the engine's after view; the cache is stale.
    rerender(<HyperLogLogPanel {...props} step={own.length} settled />)
    expect(screen.getByTestId('hll-estimate').textContent).toBe(String(after.estimate))
    expect(screen.getByTestId('hll-cache').getAttribute('data-valid')).toBe('false')
    expect(screen.getByTestId('hll-bytes').textContent).toBe(String(after.bytes))
    expect(screen.getByRole('status').textContent).toMatch(/stale/)
    const bars = container.querySelectorAll('.hll-histogram [data-value]')
    const nonZero = Array.from(bars).slice(1)
    expect(nonZero.reduce((n, b) => n + Number(b.getAttribute('data-count')), 0)).toBe(2)
  })

  it('shows the promotion to dense past hll-sparse-max-bytes, then the dense registers', () => {
    const s = setup()
    s.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', '30'])
    s.call(['PFADD', 'h', 'a', 'b'])
    const before = hll(s, 'h')
    const t = s.execute(['PFADD', 'h', 'c', 'd', 'e', 'f'])
    const after = hll(s, 'h')
    const own = hllOnly(t.events)
    const promo = own.findIndex((e) => e.type === 'hll/sparseToDense')
    expect(promo).toBeGreaterThan(0)
    const props = { title: 'h', before, after, events: t.events, t: 1, lang: 'en' as const }
    const { container, rerender } = render(<HyperLogLogPanel {...props} step={promo} />)
    expect(screen.getByTestId('hll-encoding').textContent).toBe('HLL_SPARSE')
    rerender(<HyperLogLogPanel {...props} step={promo + 1} />)
    expect(screen.getByTestId('hll-encoding').textContent).toBe('HLL_DENSE')
    expect(screen.getByTestId('hll-promotion').getAttribute('data-reason')).toBe('sparseTooBig')
    expect(screen.getByTestId('hll-bytes').textContent).toBe('12304')
    expect(container.querySelector('.hll-ops')).toBeNull()
    expect(screen.getByRole('status').textContent).toMatch(/hll-sparse-max-bytes \(30\)/)
    rerender(<HyperLogLogPanel {...props} step={own.length} settled />)
    expect(screen.getByTestId('hll-estimate').textContent).toBe('6')
    expect(screen.getByRole('img', { name: /non-zero registers: 6/ })).toBeInTheDocument()
  })

  it('shows PFCOUNT caching the estimate, and PFMERGE settling on the merged registers', () => {
    const s = setup()
    s.call(['PFADD', 'a', 'x', 'y', 'z'])
    const before = hll(s, 'a')
    const t = s.execute(['PFCOUNT', 'a'])
    const { rerender } = render(
      <HyperLogLogPanel
        title="a"
        before={before}
        after={hll(s, 'a')}
        events={t.events}
        step={1}
        t={1}
        lang="zh"
      />,
    )
    expect(screen.getByTestId('hll-cache').textContent).toBe('3 (有效)')
    expect(screen.getByRole('status').textContent).toMatch(/缓存到头部/)
    s.call(['PFADD', 'b', 'p', 'q'])
    const m0 = hll(s, 'a')
    const m = s.execute(['PFMERGE', 'a', 'b'])
    const merged = hll(s, 'a')
    rerender(
      <HyperLogLogPanel
        title="a"
        before={m0}
        after={merged}
        events={m.events}
        step={hllOnly(m.events).length}
        t={1}
        lang="zh"
        settled
      />,
    )
    expect(screen.getByTestId('hll-estimate').textContent).toBe('5')
    expect(screen.getByTestId('hll-nonzero').textContent).toBe('非零寄存器: 5')
    expect(screen.getByText(/16384 个寄存器/)).toBeInTheDocument()
  })
})

describe('HyperLogLogPanel at the summary trace level', () => {
  it('shows each register raised without the hashing steps', () => {
    const s = createServer({ seed: 9, clock: manualClock(), trace: 'summary' })
    const t = s.execute(['PFADD', 'h', 'apple'])
    const own = hllOnly(t.events)
    expect(own[0]?.type).toBe('hll/registerUpdated')
    render(
      <HyperLogLogPanel
        title="h"
        before={null}
        after={hll(s, 'h')}
        events={t.events}
        step={1}
        t={1}
        lang="en"
      />,
    )
    expect(screen.queryByTestId('hll-hash')).toBeNull()
    expect(screen.getByTestId('hll-register').textContent).toMatch(/0 → \d+/)
  })
})

describe('HyperLogLogEntry', () => {
  it('is the registry’s panel for hyperloglog views, with a tab for the string bytes', () => {
    expect(findPanel('hyperloglog')?.id).toBe('hyperloglog')
    const s = setup()
    const t = s.execute(['PFADD', 'h', 'a'])
    const after = s.inspect('h')
    render(
      <HyperLogLogEntry
        keyName="h"
        db={0}
        before={null}
        after={after}
        events={t.events}
        step={t.events.length}
        lang="en"
        reducedMotion
      />,
    )
    expect(screen.getByTestId('hll-panel')).toBeInTheDocument()
    const tabs = within(screen.getByRole('tablist'))
    fireEvent.click(tabs.getByRole('tab', { name: 'String bytes' }))
    expect(screen.queryByTestId('hll-panel')).toBeNull()
    expect(tabs.getByRole('tab', { name: 'String bytes' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    expect(document.querySelector('.string-panel')).not.toBeNull()
  })
})
