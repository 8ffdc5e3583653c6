import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import { appendOutput, outputLines } from '../../src/state/store.ts'
import type { ClientTab, ConsoleLine } from '../../src/state/types.ts'
import { createHarness } from './harness.ts'

const monitorLines = (lines: readonly ConsoleLine[] | undefined): string[] =>
  (lines ?? []).flatMap((l) => (l.kind === 'monitor' ? [l.text] : []))

/** Tab 1 monitors, tab 2 (active) runs commands. */
async function monitoring() {
  const h = await createHarness({ factory: createServer })
  await h.run(['MONITOR'])
  h.store.getState().clientTabRequested()
  await h.bridge.idle()
  return h
}

describe('MONITOR lines in the console', () => {
  it('prints them as redis-cli does: the status text without "+", one line each', () => {
    expect(
      outputLines('+1.000000 [0 127.0.0.1:1] "a"\r\n+2.000000 [0 127.0.0.1:1] "b"\r\n'),
    ).toEqual([
      { kind: 'monitor', text: '1.000000 [0 127.0.0.1:1] "a"' },
      { kind: 'monitor', text: '2.000000 [0 127.0.0.1:1] "b"' },
    ])
    const tabs: ClientTab[] = [{ id: 1, label: 'client 1', db: 0, lines: [] }]
    expect(appendOutput(tabs, {})).toBe(tabs)
    // Output for a client without a tab (closed) is dropped.
    expect(appendOutput(tabs, { output: [[7, '+x\r\n']] })[0]?.lines).toEqual([])
  })

  it("lands another tab's command in the monitor's tab, after its MONITOR and OK", async () => {
    const h = await monitoring()
    expect(h.tab()).toBe(h.store.getState().tabs[1]?.id)
    await h.run(['SET', 'k', 'v'])
    const [mon, other] = h.store.getState().tabs
    expect(mon?.lines.slice(0, 2)).toEqual([
      { kind: 'input', text: 'MONITOR', db: 0, multi: false, position: 2 },
      { kind: 'reply', reply: { type: 'simple', value: 'OK' } },
    ])
    expect(monitorLines(mon?.lines)).toHaveLength(1)
    expect(monitorLines(mon?.lines)[0]).toMatch(/^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "v"$/)
    expect(monitorLines(other?.lines)).toEqual([])
    expect(other?.lines.at(-1)).toEqual({ kind: 'reply', reply: { type: 'simple', value: 'OK' } })
    h.dispose()
  })

  it('a monitor tab still runs commands: its reply, then its own line', async () => {
    const h = await monitoring()
    h.store.getState().clientTabSelected(h.store.getState().tabs[0]?.id ?? -1)
    await h.run(['PING'])
    const lines = h.store.getState().tabs[0]?.lines ?? []
    expect(lines.at(-2)).toEqual({ kind: 'reply', reply: { type: 'simple', value: 'PONG' } })
    expect(lines.at(-1)).toMatchObject({ kind: 'monitor' })
    expect(monitorLines(lines)[0]).toMatch(/"PING"$/)
    h.dispose()
  })

  it('time travel neither repeats nor loses lines, and a reload restores them', async () => {
    const h = await monitoring()
    await h.run(['SET', 'a', '1'], ['SET', 'b', '2'])
    // Step back to the first SET: the worker replays the past in a scratch engine.
    h.store.getState().itemSelected(1)
    await h.bridge.idle()
    await new Promise((r) => setTimeout(r, 20))
    await h.bridge.idle()
    expect(monitorLines(h.store.getState().tabs[0]?.lines)).toHaveLength(2)
    await h.run(['GET', 'a'])
    const before = h.store.getState().tabs[0]?.lines
    expect(monitorLines(before).map((l) => l.split('] ')[1])).toEqual([
      '"SET" "a" "1"',
      '"SET" "b" "2"',
      '"GET" "a"',
    ])
    const saved = savedSessionOf(h.store.getState())
    h.dispose()

    const b = await createHarness({ factory: createServer, saved })
    expect(b.store.getState().tabs[0]?.lines).toEqual(before)
    // The restored engine still has its monitor.
    b.store.getState().clientTabSelected(b.store.getState().tabs[1]?.id ?? -1)
    await b.run(['DEL', 'a'])
    expect(monitorLines(b.store.getState().tabs[0]?.lines).at(-1)).toMatch(/"DEL" "a"$/)
    b.dispose()
  })
})
