/**
 * Every panel ends on the engine's real state at every trace level. At "summary" the engine
 * records only the structural steps (events.ts SUMMARY_EVENTS: no dict/keyAdded, no
 * intset/searched, no expire/bucketsSampled ...), so a panel that only folded the steps
 * drifted from the state the engine reached. Each scenario runs the same commands through the
 * real engine, worker host and bridge at "full", at "summary" and at "off" (no steps at all:
 * the panels draw the engine's after-view as it is), and compares what the panel area draws at
 * the end of the last command.
 */
import { act, render, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { PanelArea } from '../../src/app/PanelArea.tsx'
import { createServer } from '../../src/engine/index.ts'
import type { TraceLevel } from '../../src/engine/events.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { createHarness } from '../state/harness.ts'

const disposers: (() => void)[] = []
afterEach(() => {
  for (const d of disposers.splice(0)) d()
})

/** Data attributes that describe the structure (not the highlight of the current step). */
const STRUCTURE = [
  'data-table',
  'data-bucket',
  'data-offset',
  'data-size',
  'data-index',
  'data-rank',
  'data-level',
  'data-span',
  'data-count',
  'data-sz',
  'data-width',
  'data-encoding',
  'data-nodes',
  'data-keys',
  'data-cursor',
  'data-ttl-key',
  'data-kind',
  'data-state',
  'data-fill',
]

/** Test ids whose text is a state (counts, encodings), not a step's narration. */
const STATE_TEXT = new Set([
  'dict-used',
  'dict-size',
  'dict-rehashidx',
  'intset-encoding',
  'intset-length',
  'lp-total',
  'lp-count',
  'ql-stats',
  'ex-stats',
  'scan-cursor',
])

/**
 * What the panels draw, as lines: every element with a data-id, a test id or a TTL key, with
 * its structural attributes, in any order. A listpack entry's id is a client-side counter (stable across the
 * steps of one item, not across sessions), so it is written without its number.
 */
function drawnState(
  root: HTMLElement,
  skip: readonly string[] = [],
  panels = 'section[data-panel]',
): string[] {
  const out: string[] = []
  for (const panel of root.querySelectorAll<HTMLElement>(panels)) {
    out.push(`panel ${panel.dataset['panel'] ?? ''} ${panel.getAttribute('aria-label') ?? ''}`)
    const lines: string[] = []
    for (const el of panel.querySelectorAll<HTMLElement>(
      '[data-id], [data-testid], [data-ttl-key], section[data-level], section[data-width]',
    )) {
      if (el.closest('[role="status"], .step-caption')) continue
      if (skip.some((s) => el.closest(s))) continue
      // What the last step faded out (a deleted entry, an unlinked node) is no longer drawn.
      if (el.closest('[opacity="0"], [data-leaving]')) continue
      const id = (el.getAttribute('data-id') ?? '').replace(/^lp:\d+$/, 'lp:entry')
      const testId = el.getAttribute('data-testid') ?? ''
      const attrs = STRUCTURE.flatMap((a) => {
        const v = el.getAttribute(a)
        return v === null ? [] : [`${a}=${v}`]
      })
      const text = STATE_TEXT.has(testId) ? (el.textContent ?? '') : ''
      lines.push(`${el.tagName} ${id} ${testId} ${attrs.join(' ')} ${text}`.trim())
    }
    // Document order follows the last tween's keyframes; the state is the set of elements.
    out.push(...lines.sort())
  }
  return out
}

interface Scenario {
  readonly name: string
  readonly setup?: readonly (readonly string[])[]
  readonly commands: readonly (readonly string[])[]
  /** Virtual ms to advance after the commands (active expire runs in the ticks). */
  readonly tick?: number
  /** The panel (data-panel) the scenario is about: it must be drawn. */
  readonly panel: string
  /** A selector the scenario's panel must show when steps are recorded (nested panels). */
  readonly shows?: string
}

/** Runs a scenario at a trace level and returns the drawn state at the end. */
async function drawnAt(
  level: TraceLevel,
  sc: Scenario,
): Promise<{ all: string[]; structures: string[] }> {
  const h = await createHarness({
    factory: createServer,
    store: { language: 'en', motion: 'reduce', traceLevel: level },
  })
  disposers.push(h.dispose)
  const { container, unmount } = render(
    <AppStoreProvider store={h.store}>
      <PanelArea />
    </AppStoreProvider>,
  )
  disposers.push(unmount)
  await act(() => h.run(...(sc.setup ?? []), ...sc.commands))
  if (sc.tick !== undefined) {
    h.store.getState().clockJumpRequested(sc.tick)
    await act(() => h.bridge.idle())
  }
  await act(() => h.bridge.idle())
  const s = h.store.getState()
  // The playhead shows the last step of the last item (reduced motion: no animation).
  expect(s.playhead.item).toBe(s.items.length - 1)
  expect(s.playhead.step).toBe(s.items.at(-1)?.events.length ?? 0)
  await waitFor(() => {
    expect(container.querySelector(`section[data-panel="${sc.panel}"]`)).not.toBeNull()
    if (sc.shows !== undefined && level !== 'off')
      expect(container.querySelector(sc.shows)).not.toBeNull()
    expect(container.querySelector('.panels')?.getAttribute('aria-busy')).toBe('false')
    // Lazy panels have loaded (no Suspense fallback left).
    const loading = [...container.querySelectorAll('.panel-empty')].filter(
      (p) => p.textContent === '…',
    )
    expect(loading).toEqual([])
  })
  // The expiry, eviction and SCAN panels draw an item's steps: at "off" there are none.
  const steps = ['.expire-panel', '.eviction-panel', '.scan-panel']
  // A tick's key panel shows the first key its steps name (none at "off"): compare the
  // keyspace only.
  const panels = sc.tick === undefined ? undefined : 'section[data-panel="keyspace"]'
  return { all: drawnState(container), structures: drawnState(container, steps, panels) }
}

const many = (prefix: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(from + i)}`)

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'keyspace dict: a bulk MSET that expands and rehashes, DEL, a SET while rehashing',
    setup: [['SET', 'k0', 'v']],
    commands: [
      ['MSET', ...many('k', 40).flatMap((k) => [k, 'v'])],
      ['DEL', 'k3', 'k4', 'k5'],
      ['MSET', ...many('m', 30).flatMap((k) => [k, 'v'])],
      ['SET', 'n1', 'x'],
    ],
    panel: 'keyspace',
  },
  {
    name: 'hashtable-encoded hash: fields past the listpack limit, then more',
    setup: [['CONFIG', 'SET', 'hash-max-listpack-entries', '4']],
    commands: [
      ['HSET', 'h', ...many('f', 6).flatMap((f) => [f, '1'])],
      ['HSET', 'h', ...many('g', 20).flatMap((f) => [f, '1'])],
      ['HDEL', 'h', 'f1', 'g3'],
    ],
    panel: 'hashtable',
  },
  {
    name: 'string: SET, APPEND (sds grows), INCR',
    commands: [
      ['SET', 's', 'hello'],
      ['APPEND', 's', ' world, a longer value past embstr'],
    ],
    panel: 'string',
  },
  {
    name: 'intset: adds, an upgrade, a search, a remove',
    commands: [
      ['SADD', 'i', '5', '1', '3'],
      ['SADD', 'i', '70000'],
      ['SISMEMBER', 'i', '3'],
      ['SREM', 'i', '1'],
      ['SADD', 'i', '2'],
    ],
    panel: 'intset',
  },
  {
    name: 'listpack hash: inserts, a replace, a delete',
    commands: [
      ['HSET', 'lh', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'lh', 'a', 'longer value'],
      ['HDEL', 'lh', 'b'],
      ['HINCRBY', 'lh', 'c', '5'],
    ],
    panel: 'listpack',
  },
  {
    name: 'quicklist: a long RPUSH, pops, an insert, a trim',
    setup: [['CONFIG', 'SET', 'list-max-listpack-size', '4']],
    commands: [
      ['RPUSH', 'l', ...many('v', 20)],
      ['LPUSH', 'l', 'x'],
      ['LPOP', 'l'],
      ['LINSERT', 'l', 'BEFORE', 'v5', 'q'],
      ['LTRIM', 'l', '2', '15'],
    ],
    panel: 'quicklist',
  },
  {
    name: 'skiplist zset and its dict: adds, a score update, a remove',
    setup: [['CONFIG', 'SET', 'zset-max-listpack-entries', '0']],
    commands: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
      ['ZADD', 'z', '10', 'a'],
      ['ZINCRBY', 'z', '1', 'c'],
      ['ZREM', 'z', 'b'],
      ['ZADD', 'z', '7', 'f', '8', 'g'],
    ],
    panel: 'skiplist',
  },
  {
    name: 'scan cursor over the keyspace',
    setup: [['MSET', ...many('s', 20).flatMap((k) => [k, 'v'])]],
    commands: [
      ['SCAN', '0', 'COUNT', '4'],
      ['SCAN', '12', 'COUNT', '4'],
    ],
    panel: 'keyspace',
  },
  {
    name: 'expire: keys with a TTL, then the active cycle expires them',
    commands: [
      ['MSET', ...many('t', 12).flatMap((k) => [k, 'v'])],
      ...many('t', 12).map((k, i) => ['PEXPIRE', k, String(i < 9 ? 50 : 100_000)]),
      ['SET', 'p', 'v', 'EX', '1000'],
      ['PERSIST', 't10'],
    ],
    tick: 1000,
    panel: 'keyspace',
    shows: '[data-testid="ex-stats"]',
  },
  {
    name: 'eviction: SETs past maxmemory evict keys',
    setup: [
      ['MSET', ...many('e', 30).flatMap((k) => [k, 'x'.repeat(50)])],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
    ],
    commands: [['SET', 'big', 'y'.repeat(200)]],
    panel: 'keyspace',
  },
]

describe('panels end on the engine’s state at every trace level', { timeout: 60_000 }, () => {
  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      const full = await drawnAt('full', sc)
      const summary = await drawnAt('summary', sc)
      expect(summary.all).toEqual(full.all)
      // With no steps at all the panels draw the engine's after-view itself: the truth.
      const off = await drawnAt('off', sc)
      expect(full.structures).toEqual(off.structures)
      expect(summary.structures).toEqual(off.structures)
    })
  }
})
