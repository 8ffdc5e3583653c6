import { act, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import {
  bucketStates,
  nextCursor,
  revBits,
  scanCalls,
  scanOrder,
  scanSessions,
} from '../../../src/panels/scan/scanModel.ts'
import { scanGrid, ScanPanel } from '../../../src/panels/scan/ScanPanel.tsx'
import { ScanForDict } from '../../../src/panels/scan/ScanForDict.tsx'
import { AppStoreProvider } from '../../../src/state/react.ts'
import { createHarness } from '../../state/harness.ts'

describe('scanOrder / nextCursor / bucketStates', () => {
  it('visits an 8-bucket table as 0 4 2 6 1 5 3 7', () => {
    expect(scanOrder(8)).toEqual([0, 4, 2, 6, 1, 5, 3, 7])
    const seq = [0]
    for (let i = 0; i < 8; i++) seq.push(nextCursor(seq[seq.length - 1] ?? 0, 8))
    expect(seq).toEqual([0, 4, 2, 6, 1, 5, 3, 7, 0])
  })

  it('reverses bits within the width', () => {
    expect(revBits(1, 3)).toBe(4)
    expect(revBits(6, 3)).toBe(3)
  })

  it('after 0 and 4 of 8 buckets, cursor 2 in 16 buckets has covered exactly 0, 8, 4, 12', () => {
    const st = bucketStates(2, 16, false)
    const visited = st.flatMap((s, b) => (s === 'visited' ? [b] : []))
    expect(visited.sort((a, b) => a - b)).toEqual([0, 4, 8, 12])
    expect(st[2]).toBe('next')
  })
})

function scanAll(s: ReturnType<typeof createServer>, between?: (i: number) => void) {
  const events: StepEvent[] = []
  const returned: string[] = []
  let cursor = '0'
  let i = 0
  do {
    const t = s.execute(['SCAN', cursor, 'COUNT', '3'])
    events.push(...t.events)
    const reply = t.reply
    if (reply.type !== 'array' || reply.value === null) throw new Error('bad reply')
    const [c, keys] = reply.value
    cursor = c?.type === 'bulk' ? (c.value ?? '0') : '0'
    if (keys?.type === 'array' && keys.value)
      for (const k of keys.value) if (k.type === 'bulk' && k.value) returned.push(k.value)
    between?.(i++)
  } while (cursor !== '0')
  return { events, returned }
}

describe('scan sessions from the engine', () => {
  it('groups a full SCAN into one complete session that returned every key', () => {
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'summary' })
    for (let i = 0; i < 40; i++) s.call(['SET', `k${i}`, 'v'])
    const { events, returned } = scanAll(s)
    const [session] = scanSessions(scanCalls(events))
    expect(session?.complete).toBe(true)
    expect(new Set(session?.calls.flatMap((c) => c.keys))).toEqual(new Set(returned))
    expect(new Set(returned).size).toBe(40)
  })

  it('returns every key present for the whole scan even when the table grows mid-scan', () => {
    const s = createServer({ seed: 9, clock: manualClock(), trace: 'summary' })
    for (let i = 0; i < 30; i++) s.call(['SET', `k${i}`, 'v'])
    const { events, returned } = scanAll(s, (i) => {
      if (i === 1) for (let j = 0; j < 200; j++) s.call(['SET', `new${j}`, 'v'])
    })
    for (let i = 0; i < 30; i++) expect(returned).toContain(`k${i}`)
    const [session] = scanSessions(scanCalls(events))
    expect(session?.sizesSeen.length).toBeGreaterThan(1)
    const { container } = render(
      <ScanPanel
        title="SCAN"
        session={session ?? { dict: '', calls: [], complete: false, duplicates: [], sizesSeen: [] }}
        lang="en"
      />,
    )
    expect(screen.getByTestId('scan-resized')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Scan complete')
    expect(container.querySelectorAll('[data-state="visited"]').length).toBeGreaterThan(0)
    // The grown table (256 buckets) wraps onto rows at its own size, instead of one strip
    // squeezed into the panel's width, with cells wide enough for three digits.
    const grid = scanGrid(256)
    expect(grid.cell).toBeGreaterThanOrEqual(3 * 6.6 + 6)
    const svg = container.querySelector('svg[role="img"]')
    expect(Number(svg?.getAttribute('width'))).toBe(grid.cols * grid.cell)
    expect(Number(svg?.getAttribute('width'))).toBeLessThanOrEqual(560)
    const rows = new Set(
      [...container.querySelectorAll('[data-id^="bucket:"]')].map(
        (g) => /,(\d+)\)/.exec(g.getAttribute('transform') ?? '')?.[1],
      ),
    )
    expect(rows.size).toBe(container.querySelectorAll('[data-id^="bucket:"]').length / grid.cols)
  }, 30_000)

  it('shows the partial state of a scan at the playhead', () => {
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'summary' })
    for (let i = 0; i < 20; i++) s.call(['SET', `k${i}`, 'v'])
    const { events } = scanAll(s)
    const [session] = scanSessions(scanCalls(events))
    if (!session) throw new Error('no session')
    const { container } = render(<ScanPanel title="SCAN" session={session} upTo={1} lang="zh" />)
    expect(screen.getAllByTestId('scan-batch')).toHaveLength(1)
    expect(screen.getByTestId('scan-cursor').textContent).toBe(String(session.calls[0]?.next))
    expect(container.querySelectorAll('[data-state="pending"]').length).toBeGreaterThan(0)
    expect(screen.queryByRole('status')).toBeNull()
  })
})

describe('the SCAN panel follows the playhead', () => {
  const disposers: (() => void)[] = []
  afterEach(() => {
    for (const d of disposers.splice(0)) d()
  })

  it('draws a SCAN command step by step, not its end at every step', async () => {
    const h = await createHarness({
      factory: createServer,
      store: { language: 'en', motion: 'reduce' },
    })
    disposers.push(h.dispose)
    render(
      <AppStoreProvider store={h.store}>
        <ScanForDict dict="db:0:keys" lang="en" />
      </AppStoreProvider>,
    )
    const keys = Array.from({ length: 30 }, (_, i) => [`k:${String(i)}`, 'v']).flat()
    await act(() => h.run(['MSET', ...keys], ['SCAN', '0', 'COUNT', '4']))
    const item = h.store.getState().items.length - 1
    const events = h.store.getState().items[item]?.events ?? []
    const calls = events.flatMap((e, i) => (e.type === 'dict/scanned' ? [{ e, i }] : []))
    expect(calls.length).toBeGreaterThan(2)
    // Before its first dictScan call: the cursor still at 0, no batch yet.
    act(() => {
      h.store.getState().itemSelected(item)
      h.store.getState().stepSelected(0)
    })
    expect(screen.getByTestId('scan-cursor').textContent).toBe('0')
    expect(screen.queryAllByTestId('scan-batch')).toHaveLength(0)
    // Each call the playhead has passed, and no more: the second call's cursor.
    const second = calls[1]
    if (second?.e.type !== 'dict/scanned') throw new Error('no second call')
    act(() => {
      h.store.getState().stepSelected(second.i + 1)
    })
    expect(screen.getAllByTestId('scan-batch')).toHaveLength(2)
    expect(screen.getByTestId('scan-cursor').textContent).toBe(String(second.e.next))
    // At the end of the command: every call.
    act(() => {
      h.store.getState().stepSelected(events.length)
    })
    expect(screen.getAllByTestId('scan-batch')).toHaveLength(calls.length)
  })
})
