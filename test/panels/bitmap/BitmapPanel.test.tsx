/**
 * The bitmap panel in jsdom: SETBIT past the end (the bit lit, the zero bytes padded in),
 * BITCOUNT's range with the BIT edges left out, BITPOS's answer, a BITFIELD field; the
 * string entry opening its Bits tab for bit commands; Chinese text.
 */
import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import { BitmapPanel } from '../../../src/panels/bitmap/BitmapPanel.tsx'
import StringBitsEntry from '../../../src/panels/bitmap/StringBitsEntry.tsx'
import { findPanel } from '../../../src/panels/registry.ts'
import type { StringView } from '../../../src/panels/string/stringLayout.ts'

function setup() {
  return createServer({ seed: 4, clock: manualClock(), trace: 'full' })
}

function view(s: ReturnType<typeof setup>, key: string): StringView {
  return s.inspect(key) as unknown as StringView
}

describe('BitmapPanel', () => {
  it('shows SETBIT lighting its bit and padding the string with zero bytes', () => {
    const s = setup()
    s.call(['SET', 'b', 'a'])
    const before = view(s, 'b')
    const t = s.execute(['SETBIT', 'b', '30', '1'])
    const props = {
      title: 'b',
      before,
      after: view(s, 'b'),
      events: t.events,
      t: 1,
      lang: 'en' as const,
    }
    const { container, rerender } = render(<BitmapPanel {...props} step={0} />)
    expect(screen.getByTestId('bitmap-length').textContent).toBe('1 bytes')
    expect(container.querySelector('[data-byte="0"]')?.getAttribute('data-value')).toBe('97')
    rerender(<BitmapPanel {...props} step={1} settled />)
    expect(screen.getByTestId('bitmap-length').textContent).toBe('4 bytes')
    const padded = container.querySelectorAll('[data-padded="true"]')
    expect(Array.from(padded, (g) => g.getAttribute('data-byte'))).toEqual(['1', '2', '3'])
    const lit = container.querySelector('[data-bit="30"]')
    expect(lit?.getAttribute('data-lit')).toBe('true')
    expect(lit?.getAttribute('data-on')).toBe('1')
    expect(container.querySelector('[data-byte="3"]')?.getAttribute('data-value')).toBe('2')
    expect(screen.getByRole('status').textContent).toMatch(
      /byte 3 \(30 >> 3\), bit 6 from the left; 0 → 1; the string grew from 1 to 4 bytes/,
    )
    expect(screen.getByRole('listitem', { name: 'byte 3: 0x02, 1 bit set' })).toBeInTheDocument()
  })

  it('marks the bits BITCOUNT counts and the bit BITPOS finds', () => {
    const s = setup()
    s.call(['SET', 'k', '\xff\xf0\x00'])
    const v = view(s, 'k')
    let t = s.execute(['BITCOUNT', 'k', '5', '13', 'BIT'])
    const { container, rerender } = render(
      <BitmapPanel title="k" before={v} after={v} events={t.events} step={1} t={1} lang="en" />,
    )
    const counted = Array.from(container.querySelectorAll('[data-counted="true"]'), (g) =>
      Number(g.getAttribute('data-bit')),
    )
    expect(counted).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(screen.getByRole('status').textContent).toMatch(
      /bytes 0–1, leaving out the edge bits.*: 7\./,
    )
    t = s.execute(['BITPOS', 'k', '0'])
    rerender(
      <BitmapPanel title="k" before={v} after={v} events={t.events} step={1} t={1} lang="en" />,
    )
    expect(container.querySelector('[data-lit="true"][data-bit]')?.getAttribute('data-bit')).toBe(
      '12',
    )
    expect(screen.getByRole('status').textContent).toMatch(/first 0 of bytes 0–2 at bit 12/)
  })

  it('lights a BITFIELD field and speaks Chinese', () => {
    const s = setup()
    const t = s.execute(['BITFIELD', 'f', 'SET', 'u8', '4', '255'])
    render(
      <BitmapPanel
        title="f"
        before={null}
        after={view(s, 'f')}
        events={t.events}
        step={1}
        t={1}
        lang="zh"
        settled
      />,
    )
    expect(document.querySelectorAll('[data-lit="true"][data-bit]')).toHaveLength(8)
    expect(screen.getByRole('status').textContent).toMatch(/BITFIELD SET u8，从第 4 位起：0 → 255/)
    expect(screen.getByText(/位图就是字符串/)).toBeInTheDocument()
  })
})

describe('StringBitsEntry', () => {
  it('is the string panel, opening the Bits tab for bit commands', () => {
    expect(findPanel('string')?.id).toBe('string')
    const s = setup()
    s.call(['SET', 'k', 'hi'])
    const before = s.inspect('k')
    const t = s.execute(['SETBIT', 'k', '3', '1'])
    const props = {
      keyName: 'k',
      db: 0,
      before,
      after: s.inspect('k'),
      step: t.events.length,
      lang: 'en' as const,
      reducedMotion: true,
    }
    const { rerender } = render(<StringBitsEntry {...props} events={t.events} />)
    expect(screen.getByRole('tab', { name: 'Bits' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByTestId('bitmap-panel')).toBeInTheDocument()
    // A plain string command shows the string and SDS.
    rerender(<StringBitsEntry {...props} events={[]} step={0} />)
    expect(screen.getByRole('tab', { name: 'String and SDS' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    expect(screen.queryByTestId('bitmap-panel')).toBeNull()
    // A tab the learner picks stays.
    fireEvent.click(screen.getByRole('tab', { name: 'Bits' }))
    expect(screen.getByTestId('bitmap-panel')).toBeInTheDocument()
  })
})
