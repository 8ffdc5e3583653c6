/**
 * The panel registry: which React component draws which structure.
 *
 * The inspector asks the engine for views (server.inspect) of the keyspace and of the key a
 * command touched. Each view has a `kind` (the engine's inspect.ts: 'keyspace', or the
 * container's encoding: 'intset', 'listpack', 'quicklist', 'skiplist', 'hashtable',
 * 'string' ...). The panel area looks the kind up here and renders the first matching
 * entry; with no match it falls back to the generic inspector (a tree of the view model and
 * the event list), so every structure is visible before its panel exists.
 *
 * To plug a panel in, add one entry to PANELS:
 *
 *   { id: 'intset', kinds: ['intset'], title: { en: 'Intset', zh: '整数集合' },
 *     component: lazyPanel(() => import('./intset/IntsetPanel.tsx')) }
 *
 * The component receives PanelProps: the views before and after the playhead's item, the
 * item's events and how many of them are shown (`step`). It folds events[0..step) onto
 * `before` (its pure applyXEvent) and renders the result; at step === events.length that
 * must equal `after` ("the animation cannot lie"). It reads nothing else from the engine.
 * Use lazyPanel (React.lazy) so panels load on demand and the initial bundle stays small.
 */
import { createElement, lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { InspectView } from '../engine/api.ts'
import type { StepEvent } from '../engine/events.ts'

export interface PanelProps {
  /** The key this panel shows; null for the keyspace. */
  readonly keyName: string | null
  readonly db: number
  /** View before the playhead's item ran (null: nothing there yet). */
  readonly before: InspectView | null
  /**
   * View after the item ran. While the playhead is in the steps of an item that converts the
   * key before the conversion (PanelArea's stepViews), the old encoding's view: that panel
   * folds the steps so far and is never shown the item's last step.
   */
  readonly after: InspectView | null
  /** The item's events, in order. */
  readonly events: readonly StepEvent[]
  /** How many events are shown: 0 = the before view, events.length = the after view. */
  readonly step: number
  /** Steps of the item past the trace's limit, not recorded (none when absent). */
  readonly dropped?: number
  readonly lang: 'en' | 'zh'
  /** True when motion should be minimal: jump to end states, no tweening. */
  readonly reducedMotion: boolean
}

export interface PanelEntry {
  readonly id: string
  /** View kinds (InspectView.kind) this panel draws. */
  readonly kinds: readonly string[]
  readonly title: { readonly en: string; readonly zh: string }
  readonly component: ComponentType<PanelProps> | LazyExoticComponent<ComponentType<PanelProps>>
}

/** The loaders of the lazy panels, for preloadPanels. */
const loaders: (() => Promise<unknown>)[] = []

/**
 * A panel loaded on demand (React.lazy) whose chunk preloadPanels can fetch ahead. Once
 * loaded it renders directly: a lazy component suspends on its first render even when its
 * chunk is already there, and React holds the fallback for up to 300 ms.
 */
function lazyPanel(
  load: () => Promise<{ default: ComponentType<PanelProps> }>,
): ComponentType<PanelProps> {
  let loaded: ComponentType<PanelProps> | null = null
  const fetch = () =>
    load().then((m) => {
      loaded = m.default
      return m
    })
  loaders.push(fetch)
  const Lazy = lazy(fetch)
  return function Panel(props: PanelProps) {
    return createElement(loaded ?? Lazy, props)
  }
}

/**
 * Fetches every panel's chunk (the app calls it once the session is on screen), so a panel
 * used for the first time draws at once instead of showing its loading line for 100–300 ms.
 */
export function preloadPanels(): Promise<void> {
  return Promise.all(loaders.map((load) => load())).then(() => undefined)
}

/** Registered panels, most specific first. Panel helpers add their entry here. */
export const PANELS: readonly PanelEntry[] = [
  {
    id: 'keyspace',
    kinds: ['keyspace'],
    title: { en: 'Keyspace dict', zh: '键空间字典' },
    component: lazyPanel(() => import('./dict/KeyspaceEntry.tsx')),
  },
  {
    id: 'hashtable',
    kinds: ['hashtable'],
    title: { en: 'Hash table', zh: '哈希表' },
    component: lazyPanel(() =>
      import('./dict/KeyspaceEntry.tsx').then((m) => ({ default: m.HashtableEntry })),
    ),
  },
  {
    id: 'hyperloglog',
    kinds: ['hyperloglog'],
    title: { en: 'HyperLogLog', zh: 'HyperLogLog 基数估计' },
    component: lazyPanel(() => import('./hyperloglog/HyperLogLogEntry.tsx')),
  },
  {
    id: 'string',
    kinds: ['string'],
    title: { en: 'String and SDS', zh: '字符串与 SDS' },
    component: lazyPanel(() => import('./bitmap/StringBitsEntry.tsx')),
  },
  {
    id: 'intset',
    kinds: ['intset'],
    title: { en: 'Intset', zh: '整数集合' },
    component: lazyPanel(() => import('./intset/IntsetEntry.tsx')),
  },
  {
    id: 'geo',
    kinds: ['geo'],
    title: { en: 'Geo set', zh: '地理位置集合' },
    component: lazyPanel(() => import('./geo/GeoEntry.tsx')),
  },
  {
    id: 'listpack',
    kinds: ['listpack'],
    title: { en: 'Listpack', zh: '紧凑列表' },
    component: lazyPanel(() => import('./listpack/ListpackEntry.tsx')),
  },
  {
    id: 'quicklist',
    kinds: ['quicklist'],
    title: { en: 'Quicklist', zh: '快速列表' },
    component: lazyPanel(() => import('./quicklist/QuicklistEntry.tsx')),
  },
  {
    id: 'skiplist',
    kinds: ['skiplist'],
    title: { en: 'Skiplist', zh: '跳表' },
    component: lazyPanel(() => import('./skiplist/SkiplistEntry.tsx')),
  },
  {
    id: 'stream',
    kinds: ['stream'],
    title: { en: 'Stream', zh: '流' },
    component: lazyPanel(() => import('./stream/StreamEntry.tsx')),
  },
  {
    id: 'clients',
    kinds: ['clients'],
    title: {
      en: 'Clients: transactions, Pub/Sub and blocking',
      zh: '客户端：事务、发布订阅与阻塞',
    },
    component: lazyPanel(() => import('./clients/ClientsPanel.tsx')),
  },
]

/** Finds the panel for a view kind, or null (the generic inspector then shows it). */
export function findPanel(
  kind: string | undefined,
  panels: readonly PanelEntry[] = PANELS,
): PanelEntry | null {
  if (kind === undefined) return null
  return panels.find((p) => p.kinds.includes(kind)) ?? null
}
