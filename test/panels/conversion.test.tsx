/**
 * The panel of a key follows its encoding at the playhead. A command that converts the key
 * part way (the 129th member of a ZADD, the 5th field of an HSET past
 * hash-max-listpack-entries 4, a non-integer SADD into an intset) shows the old structure
 * with its steps so far until the new one starts being built, then the new structure; a
 * command that creates a key does not show the finished structure at step 0.
 */
import { act, render, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { PanelArea } from '../../src/app/PanelArea.tsx'
import { createServer } from '../../src/engine/index.ts'
import type { StepEvent, TraceLevel } from '../../src/engine/events.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { createHarness } from '../state/harness.ts'

const disposers: (() => void)[] = []
afterEach(() => {
  for (const d of disposers.splice(0)) d()
})

async function setup(lang: 'en' | 'zh' = 'en', traceLevel: TraceLevel = 'full') {
  const h = await createHarness({
    factory: createServer,
    store: { language: lang, motion: 'reduce', traceLevel },
  })
  disposers.push(h.dispose)
  const { unmount } = render(
    <AppStoreProvider store={h.store}>
      <PanelArea />
    </AppStoreProvider>,
  )
  disposers.push(unmount)
  const events = (): readonly StepEvent[] => h.store.getState().items.at(-1)?.events ?? []
  /** Moves the playhead to a step of the last item and waits for the panels. */
  const at = async (step: number) => {
    act(() => {
      h.store.getState().stepSelected(step)
    })
    await act(() => h.bridge.idle())
  }
  return { h, events, at }
}

/** The key panel of `key`, once its lazy panel has loaded. */
async function keyPanel(key: string, panel: string, label = 'Key'): Promise<HTMLElement> {
  return waitFor(() => {
    const section = document.querySelector<HTMLElement>(
      `section[aria-label="${label} ${key}"][data-panel="${panel}"]`,
    )
    expect(section).not.toBeNull()
    expect(
      [...(section?.querySelectorAll('.panel-empty') ?? [])].map((p) => p.textContent),
    ).not.toContain('…')
    return section as HTMLElement
  })
}

const heading = (section: HTMLElement) => section.querySelector('h2')?.textContent

/** The index of the first event of the new structure: the conversion's build. */
function buildStart(events: readonly StepEvent[], isBuild: (e: StepEvent) => boolean): number {
  const converted = events.findIndex((e) => e.type === 'object/encodingConverted')
  let s = converted
  while (s > 0 && isBuild(events[s - 1] as StepEvent)) s--
  return s
}

describe('a command that converts its key part way', { timeout: 60_000 }, () => {
  it('ZADD of 130 members: the listpack fills, then the skiplist is built', async () => {
    const { h, events, at } = await setup()
    const args = Array.from({ length: 130 }, (_, i) => [String(i), `m${String(i)}`]).flat()
    await act(() => h.run(['ZADD', 'z', ...args]))
    const ev = events()
    const inserts = ev.flatMap((e, i) => (e.type === 'listpack/entryInserted' ? [i + 1] : []))
    expect(inserts).toHaveLength(256)
    const s = buildStart(
      ev,
      (e) =>
        e.type.startsWith('zsl/') ||
        (e.type.startsWith('dict/') && 'dict' in e && e.dict === 'key:0:z'),
    )
    const converted = ev.findIndex((e) => e.type === 'object/encodingConverted') + 1
    expect(s).toBe(inserts.at(-1))

    // Step 0 of a ZADD that creates z: an empty listpack, not the finished skiplist.
    await at(0)
    let panel = await keyPanel('z', 'listpack')
    expect(heading(panel)).toBe('Key z · listpack')
    expect(within(panel).getByTestId('lp-count')).toHaveTextContent('0')

    // Part way through the listpack inserts: the entries so far.
    await at(inserts[9] ?? 0)
    panel = await keyPanel('z', 'listpack')
    expect(within(panel).getByTestId('lp-count')).toHaveTextContent('10')

    // The last listpack step: 128 members, 256 entries, still a listpack.
    await at(s)
    panel = await keyPanel('z', 'listpack')
    expect(within(panel).getByTestId('lp-count')).toHaveTextContent('256')
    expect(document.querySelector('section[data-panel="skiplist"]')).toBeNull()

    // The first step of the build: the skiplist panel, growing from the header.
    await at(s + 1)
    // The key is still a listpack until the switch (object/encodingConverted).
    panel = await keyPanel('z', 'skiplist')
    expect(heading(panel)).toBe('Key z · listpack → skiplist')
    const towers = () => panel.querySelectorAll('.skiplist-panel g[data-rank]').length
    expect(towers()).toBe(1)

    // At the conversion the skiplist holds the 128 members the listpack had.
    await at(converted)
    panel = await keyPanel('z', 'skiplist')
    expect(towers()).toBe(129)

    // The last step: the engine's skiplist of 130 members.
    await at(ev.length)
    panel = await keyPanel('z', 'skiplist')
    expect(towers()).toBe(131)
    expect(heading(panel)).toBe('Key z · skiplist')
  })

  it.each(['full', 'summary'] as const)(
    'HSET past hash-max-listpack-entries (%s trace): listpack steps, then the hash table',
    async (level) => {
      const { h, events, at } = await setup('en', level)
      await act(() =>
        h.run(
          ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'],
          ['HSET', 'h', 'a', '1', 'b', '2'],
          ['HSET', 'h', 'c', '3', 'd', '4', 'e', '5', 'f', '6'],
        ),
      )
      const ev = events()
      const s = buildStart(
        ev,
        (e) => e.type.startsWith('dict/') && 'dict' in e && e.dict === 'key:0:h',
      )
      expect(s).toBeGreaterThan(0)
      expect(ev[s - 1]?.type).toBe('listpack/entryInserted')

      await at(0)
      let panel = await keyPanel('h', 'listpack')
      expect(within(panel).getByTestId('lp-count')).toHaveTextContent('4')
      // c, d and e went into the listpack before it turned into a hash table.
      await at(s)
      panel = await keyPanel('h', 'listpack')
      expect(heading(panel)).toBe('Key h · listpack')
      expect(within(panel).getByTestId('lp-count')).toHaveTextContent('10')

      await at(s + 1)
      panel = await keyPanel('h', 'hashtable')
      expect(heading(panel)).toBe('Key h · listpack → hashtable')
      expect(within(panel).queryByTestId('lp-count')).toBeNull()

      await at(ev.length)
      panel = await keyPanel('h', 'hashtable')
      expect(await within(panel).findByTestId('dict-used')).toHaveTextContent('used 6')
      expect(heading(panel)).toBe('Key h · hashtable')
    },
  )

  it('SADD of a non-integer into an intset: the intset insert shows, then the hash table', async () => {
    const { h, events, at } = await setup('zh')
    await act(() => h.run(['SADD', 's', '1', '2', '3'], ['SADD', 's', '4', 'x', '5']))
    const ev = events()
    const inserted = ev.findIndex((e) => e.type === 'intset/inserted') + 1
    const s = buildStart(
      ev,
      (e) => e.type.startsWith('dict/') && 'dict' in e && e.dict === 'key:0:s',
    )
    expect(s).toBe(inserted)

    // 4 joins the intset first: the intset panel shows it (it used to show an empty hash
    // table from step 1).
    await at(inserted)
    let panel = await keyPanel('s', 'intset', '键')
    expect(within(panel).getByTestId('intset-length')).toHaveTextContent('4')
    expect(heading(panel)).toBe('键 s · intset')

    await at(s + 1)
    panel = await keyPanel('s', 'hashtable', '键')
    expect(heading(panel)).toBe('键 s · intset → hashtable')

    await at(ev.length)
    panel = await keyPanel('s', 'hashtable', '键')
    expect(await within(panel).findByTestId('dict-used')).toHaveTextContent('6')
    expect(heading(panel)).toBe('键 s · hashtable')
  })
})

describe('a command that creates its key', { timeout: 60_000 }, () => {
  it('builds a hash table from empty instead of drawing the finished one at step 0', async () => {
    const { h, events, at } = await setup()
    await act(() => h.run(['SADD', 'n', 'a', 'b', 'c']))
    await at(0)
    let panel = await keyPanel('n', 'hashtable')
    expect(within(panel).queryByText(/used 3/)).toBeNull()
    await at(events().length)
    panel = await keyPanel('n', 'hashtable')
    expect(await within(panel).findByTestId('dict-used')).toHaveTextContent('used 3')
  })

  it('says a string is not stored yet before SET’s last step', async () => {
    const { h, events, at } = await setup('zh')
    await act(() => h.run(['SET', 'k', 'hello']))
    await at(0)
    let panel = await keyPanel('k', 'string', '键')
    expect(within(panel).getByTestId('panel-not-yet')).toHaveTextContent(
      '到这一步时，命令还没有存入这个键。',
    )
    await at(events().length)
    panel = await keyPanel('k', 'string', '键')
    expect(within(panel).queryByTestId('panel-not-yet')).toBeNull()
  })
})
