/**
 * Keeping the session across reloads, and moving it between people.
 *
 * - The session (seed, config, log, tabs) is saved to IndexedDB, or to localStorage where
 *   IndexedDB is missing; it is small, because traces are rebuilt by replaying the log.
 * - Settings and console history go to localStorage.
 * - Export writes the same SavedSession as a JSON file; import reads one back, validated.
 *
 * Nothing here touches the worker: restoring is a `sessionRestoreRequested` event that the
 * bridge turns into a replay.
 */
import type { TraceLevel } from '../engine/events.ts'
import type { LogEntry, SessionSeed } from '../worker/protocol.ts'
import type { AppState, AppStore, Language, Motion, Theme } from './store.ts'
import { packText, unpackText } from './packed.ts'
import { labelFor } from './tabLabel.ts'
import type {
  HeldLine,
  InterruptedCommand,
  PanelFocus,
  PlayheadMark,
  SavedSession,
  SceneRun,
} from './types.ts'

// --- Types ---

/** A tiny async key-value store. */
export interface Kv {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  remove(key: string): Promise<void>
}

export interface SavedSettings {
  readonly language?: Language
  readonly theme?: Theme
  readonly motion?: Motion
  readonly traceLevel?: TraceLevel
  /** Projector mode (large text for a classroom). */
  readonly projector?: boolean
  /** The virtual clock: a learner who paused it finds it paused after a reload. */
  readonly clockRunning?: boolean
  readonly clockSpeed?: number
}

/** An untrusted object whose fields are still to be checked. */
type Loose<K extends string> = { readonly [P in K]?: unknown }

const PREFIX = 'redis-xray:'
const SESSION_KEY = 'session'
const SETTINGS_KEY = `${PREFIX}settings`
const HISTORY_KEY = `${PREFIX}history`
/** Longest console line kept in the saved history. */
export const MAX_SAVED_HISTORY_CHARS = 10_000
/**
 * Characters of history saved in all: the newest lines that fit. localStorage holds about
 * 5 million characters for the whole site, and the session's stash at unload needs room.
 */
export const MAX_SAVED_HISTORY_TOTAL = 200_000
/**
 * A synchronous copy of the session written when the page is hidden or unloaded with a save
 * still pending: IndexedDB writes started in `pagehide` may never finish, localStorage ones do.
 * It is newer than the IndexedDB copy while it exists; the next completed save removes it.
 */
const STASH_KEY = `${PREFIX}session-stash`
/** A stash longer than this is packed (deflated): localStorage holds ~5 M characters. */
const MAX_PLAIN_STASH_CHARS = 1_000_000

// --- Storage backends ---

/** A Kv over localStorage (or any Storage). */
export function storageKv(storage: Storage): Kv {
  return {
    get: (key) => Promise.resolve(storage.getItem(PREFIX + key)),
    set: (key, value) => {
      storage.setItem(PREFIX + key, value)
      return Promise.resolve()
    },
    remove: (key) => {
      storage.removeItem(PREFIX + key)
      return Promise.resolve()
    },
  }
}

/** A Kv over one IndexedDB object store; rejects if IndexedDB cannot be opened. */
export function indexedDbKv(factory: IDBFactory, dbName = 'redis-xray'): Kv {
  let opened: Promise<IDBDatabase> | null = null
  const open = (): Promise<IDBDatabase> => {
    opened ??= new Promise((resolve, reject) => {
      const req = factory.open(dbName, 1)
      req.onupgradeneeded = () => {
        req.result.createObjectStore('kv')
      }
      req.onsuccess = () => {
        resolve(req.result)
      }
      req.onerror = () => {
        reject(req.error ?? new Error('indexedDB open failed'))
      }
    })
    return opened
  }
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) =>
    open().then(
      (db) =>
        new Promise<T>((resolve, reject) => {
          const req = fn(db.transaction('kv', mode).objectStore('kv'))
          req.onsuccess = () => {
            resolve(req.result)
          }
          req.onerror = () => {
            reject(req.error ?? new Error('indexedDB request failed'))
          }
        }),
    )
  return {
    get: async (key) => {
      const v = await run<unknown>('readonly', (s) => s.get(key))
      return typeof v === 'string' ? v : null
    },
    set: async (key, value) => {
      await run('readwrite', (s) => s.put(value, key))
    },
    remove: async (key) => {
      await run('readwrite', (s) => s.delete(key))
    },
  }
}

/**
 * Picks IndexedDB when the browser has it, else localStorage, else memory; if IndexedDB
 * fails at run time (some private modes), each call falls back to the next store.
 */
export function defaultKv(): Kv {
  const storage = browserStorage(() => localStorage)
  const local = storage ? storageKv(storage) : memoryKv()
  const idb = browserStorage(() => indexedDB)
  if (idb === null) return local
  return fallbackKv(indexedDbKv(idb), local)
}

/**
 * Reads a storage global, or null where the browser has none or denies it: in an iframe on
 * another site with third-party storage blocked (Safari, Firefox strict, Chrome incognito, a
 * sandboxed frame), merely reading `localStorage` throws a SecurityError.
 */
function browserStorage<T>(read: () => T | undefined): T | null {
  try {
    return read() ?? null
  } catch {
    return null
  }
}

/** A Kv that uses `primary` and, for any call that fails there, `secondary`. */
export function fallbackKv(primary: Kv, secondary: Kv): Kv {
  return {
    get: (k) => primary.get(k).catch(() => secondary.get(k)),
    set: (k, v) => primary.set(k, v).catch(() => secondary.set(k, v)),
    remove: (k) => primary.remove(k).catch(() => secondary.remove(k)),
  }
}

/** A Kv in memory (tests, private modes with no storage). */
export function memoryKv(): Kv {
  const m = new Map<string, string>()
  return {
    get: (k) => Promise.resolve(m.get(k) ?? null),
    set: (k, v) => {
      m.set(k, v)
      return Promise.resolve()
    },
    remove: (k) => {
      m.delete(k)
      return Promise.resolve()
    },
  }
}

// --- Session ---

/** Builds the SavedSession for the store's current state. */
export function savedSessionOf(s: AppState): SavedSession {
  return {
    v: 1,
    session: s.session,
    log: s.log,
    tabs: s.tabs.map((t) => ({ id: t.id, label: t.label })),
    active: s.activeTab,
  }
}

/**
 * The SavedSession the page keeps for a reload: savedSessionOf, the long command still
 * running and the lines not run yet: waiting their turn behind it or a blocking command, the
 * rest of a pasted block (they would otherwise vanish from the console after the reload; it
 * offers to run them).
 */
export function reloadSessionOf(s: AppState): SavedSession {
  const r = s.running
  // Lines a previous reload left unrun and not yet run or let go come first: they were
  // entered before any held now.
  const held = [...s.resumable, ...s.heldLines]
  // A scene cut short keeps what it is about and where it began, for its lines run later.
  const scene = s.resumableScene ?? s.pastes.find((p) => p.scene !== undefined)?.scene
  return {
    ...savedSessionOf(s),
    ...(r ? { interrupted: { client: r.client, argv: r.argv } } : {}),
    ...(held.length > 0 ? { held } : {}),
    ...(held.length > 0 && scene ? { scene } : {}),
    ...(s.pinned.length > 0 ? { pinned: s.pinned } : {}),
  }
}

/**
 * The playhead as a permalink keeps it, or undefined at the end (where a restored session
 * stands anyway).
 */
export function playheadMarkOf(s: AppState): PlayheadMark | undefined {
  const last = s.items.at(-1)
  const atEnd =
    s.playhead.item === s.items.length - 1 && s.playhead.step >= (last?.events.length ?? 0)
  if (atEnd) return undefined
  return {
    position: s.items[s.playhead.item]?.position ?? 0,
    step: s.playhead.step,
    level: s.traceLevel,
  }
}

/**
 * Stashes a session's JSON in localStorage, packed (deflated) when it is long: a session
 * with a pasted 5 MB argument did not fit localStorage's quota, the stash failed without a
 * word, and a reload before the IndexedDB save finished lost the commands since the last
 * one (the argument's command among them).
 */
function stash(json: string): void {
  const stashed =
    json.length <= MAX_PLAIN_STASH_CHARS ? json : JSON.stringify({ packed: packText(json, 1) })
  writeLocal(STASH_KEY, stashed)
}

/** The stashed session (plain or packed), or null. */
function readStash(): SavedSession | null {
  const raw = readLocal(STASH_KEY)
  if (typeof raw === 'object' && raw !== null && 'packed' in raw) {
    const { packed } = raw as { packed: unknown }
    try {
      return typeof packed === 'string' ? parseSavedSession(JSON.parse(unpackText(packed))) : null
    } catch {
      return null
    }
  }
  return parseSavedSession(raw)
}

/** Loads the saved session, or null when there is none or it is unreadable. */
export async function loadSession(kv: Kv): Promise<SavedSession | null> {
  const stashed = readStash()
  if (stashed) return stashed
  try {
    const text = await kv.get(SESSION_KEY)
    return text === null ? null : parseSavedSession(JSON.parse(text))
  } catch {
    return null
  }
}

/** Saves a session now. */
export async function saveSession(kv: Kv, saved: SavedSession): Promise<void> {
  await kv.set(SESSION_KEY, JSON.stringify(saved))
  removeLocal(STASH_KEY)
}

const warnNotSaved = (err: unknown): void => {
  console.warn('session not saved', err)
}

/**
 * Saves the session whenever its log or tabs change and the history when a line is entered
 * (both debounced), settings at once. When the page is hidden or unloaded (`win`) the
 * pending history is written, and with a session save pending or still being written, the
 * session is stashed synchronously so a quick reload loses nothing;
 * `beforeStash` runs first (the bridge's flushHeldLines). Returns the unsubscribe function.
 */
export function attachPersistence(
  store: AppStore,
  kv: Kv,
  debounceMs = 1000,
  win: Pick<Window, 'addEventListener' | 'removeEventListener'> | null = typeof window ===
  'undefined'
    ? null
    : window,
  beforeStash: () => void = () => undefined,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  // Saves started and not finished: an IndexedDB write still running at unload may never
  // finish, so one in flight counts as pending too. Only the newest save, when it completes,
  // makes the stash obsolete (an older one finishing after a stash would lose it).
  let inFlight = 0
  let newest = 0
  const save = (saved: SavedSession): void => {
    const mine = ++newest
    inFlight++
    kv.set(SESSION_KEY, JSON.stringify(saved))
      .then(() => {
        if (mine === newest) removeLocal(STASH_KEY)
      })
      .catch(warnNotSaved)
      .finally(() => {
        inFlight--
      })
  }
  let historyTimer: ReturnType<typeof setTimeout> | null = null
  const flushHistory = (): void => {
    if (historyTimer === null) return
    clearTimeout(historyTimer)
    historyTimer = null
    writeLocal(HISTORY_KEY, JSON.stringify(savedHistory(store.getState().history)))
  }
  const flushPending = (): void => {
    flushHistory()
    // The lines not run yet are told to the store once per burst: bring them up to date.
    beforeStash()
    if (timer === null && inFlight === 0) return
    if (timer !== null) clearTimeout(timer)
    timer = null
    const saved = reloadSessionOf(store.getState())
    stash(JSON.stringify(saved))
    save(saved)
  }
  const onHidden = (): void => {
    if (typeof document === 'undefined' || document.visibilityState === 'hidden') flushPending()
  }
  win?.addEventListener('pagehide', flushPending)
  win?.addEventListener('visibilitychange', onHidden)
  const unsubs = [
    store.subscribe(
      (s) =>
        [
          s.log,
          s.tabs.length,
          s.activeTab,
          s.status,
          s.running === null,
          s.heldLines,
          s.resumable,
          s.pinned,
        ] as const,
      () => {
        if (store.getState().status !== 'ready') return
        if (timer !== null) clearTimeout(timer)
        timer = setTimeout(() => {
          timer = null
          save(reloadSessionOf(store.getState()))
        }, debounceMs)
      },
      { equalityFn: (a, b) => a.every((x, i) => x === b[i]) },
    ),
    store.subscribe(
      (s) =>
        [
          s.language,
          s.theme,
          s.motion,
          s.traceLevel,
          s.projector,
          s.clock.running,
          s.clock.speed,
        ] as const,
      () => {
        saveSettings(store.getState())
      },
      { equalityFn: (a, b) => a.every((x, i) => x === b[i]) },
    ),
    // Debounced as the session is: a pasted block enters its lines one by one, and writing
    // the whole history for each line was quadratic (300 pasted 7 KB lines froze the page
    // for seconds in JSON.stringify and setItem).
    store.subscribe(
      (s) => s.history,
      () => {
        if (historyTimer !== null) clearTimeout(historyTimer)
        historyTimer = setTimeout(flushHistory, debounceMs)
      },
    ),
  ]
  return () => {
    if (timer !== null) clearTimeout(timer)
    flushHistory()
    win?.removeEventListener('pagehide', flushPending)
    win?.removeEventListener('visibilitychange', onHidden)
    for (const u of unsubs) u()
  }
}

/**
 * The history as saved: a pasted 10 MB line would overflow localStorage's quota, and every
 * later save would fail with it, so such lines stay in this page's history only; and only
 * the newest lines that fit MAX_SAVED_HISTORY_TOTAL.
 */
export function savedHistory(history: readonly string[]): string[] {
  const kept: string[] = []
  let chars = 0
  for (let i = history.length - 1; i >= 0; i--) {
    const line = history[i] ?? ''
    if (line.length > MAX_SAVED_HISTORY_CHARS) continue
    if (chars + line.length > MAX_SAVED_HISTORY_TOTAL) break
    chars += line.length
    kept.push(line)
  }
  return kept.reverse()
}

/** Writes the store's settings to localStorage (on every change, and when a URL sets one). */
export function saveSettings(s: AppState): void {
  const settings: Required<SavedSettings> = {
    language: s.language,
    theme: s.theme,
    motion: s.motion,
    traceLevel: s.traceLevel,
    projector: s.projector,
    clockRunning: s.clock.running,
    clockSpeed: s.clock.speed,
  }
  writeLocal(SETTINGS_KEY, JSON.stringify(settings))
}

/** Flushes a pending save (before unload, or in tests). */
export async function flushSession(store: AppStore, kv: Kv): Promise<void> {
  await saveSession(kv, savedSessionOf(store.getState()))
}

function writeLocal(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Storage full or disabled: settings simply do not persist.
  }
}

function removeLocal(key: string): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // Storage disabled: there is nothing to remove.
  }
}

function readLocal(key: string): unknown {
  try {
    const v = localStorage.getItem(key)
    return v === null ? null : JSON.parse(v)
  } catch {
    return null
  }
}

/** Reads saved settings (missing or invalid fields are left out). */
export function loadSettings(): SavedSettings {
  const raw = readLocal(SETTINGS_KEY)
  if (typeof raw !== 'object' || raw === null) return {}
  const r = raw as Loose<
    'language' | 'theme' | 'motion' | 'traceLevel' | 'projector' | 'clockRunning' | 'clockSpeed'
  >
  const out: { -readonly [K in keyof SavedSettings]: SavedSettings[K] } = {}
  if (r.language === 'en' || r.language === 'zh') out.language = r.language
  if (r.theme === 'light' || r.theme === 'dark') out.theme = r.theme
  if (r.motion === 'system' || r.motion === 'reduce' || r.motion === 'full') out.motion = r.motion
  if (r.traceLevel === 'off' || r.traceLevel === 'summary' || r.traceLevel === 'full')
    out.traceLevel = r.traceLevel
  if (typeof r.projector === 'boolean') out.projector = r.projector
  if (typeof r.clockRunning === 'boolean') out.clockRunning = r.clockRunning
  if (typeof r.clockSpeed === 'number' && r.clockSpeed > 0 && r.clockSpeed <= 1000)
    out.clockSpeed = r.clockSpeed
  return out
}

/** Reads the saved console history. */
export function loadHistory(): string[] {
  const raw = readLocal(HISTORY_KEY)
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []
}

// --- Validation ---

/** Checks an untrusted value (a file, a URL, storage) and returns it as a SavedSession. */
export function parseSavedSession(x: unknown): SavedSession | null {
  if (typeof x !== 'object' || x === null) return null
  const o = x as Loose<'v' | 'session' | 'log' | 'tabs' | 'active'>
  if (o.v !== 1) return null
  const session = parseSeed(o.session)
  if (!session || !Array.isArray(o.log) || !Array.isArray(o.tabs)) return null
  const log: LogEntry[] = []
  for (const e of o.log as unknown[]) {
    const entry = parseEntry(e)
    if (!entry) return null
    log.push(entry)
  }
  const tabs: { id: number; label: string }[] = []
  for (const t of o.tabs as unknown[]) {
    if (typeof t !== 'object' || t === null) return null
    const { id, label } = t as Loose<'id' | 'label'>
    if (typeof id !== 'number' || typeof label !== 'string') return null
    // Sessions saved before the first tab was named by its client id say "client 1".
    tabs.push({ id, label: labelFor(id, label) })
  }
  const active = typeof o.active === 'number' ? o.active : null
  const at = parseMark((o as Loose<'at'>).at)
  const interrupted = parseInterrupted((o as Loose<'interrupted'>).interrupted)
  const held = parseHeld((o as Loose<'held'>).held)
  const pinned = parsePinned((o as Loose<'pinned'>).pinned)
  const scene = held.length > 0 ? parseSceneRun((o as Loose<'scene'>).scene) : null
  return {
    v: 1,
    session,
    log,
    tabs,
    active,
    ...(at ? { at } : {}),
    ...(interrupted ? { interrupted } : {}),
    ...(held.length > 0 ? { held } : {}),
    ...(scene ? { scene } : {}),
    ...(pinned.length > 0 ? { pinned } : {}),
  }
}

function parseSceneRun(x: unknown): SceneRun | null {
  if (typeof x !== 'object' || x === null) return null
  const { focus, first, commands } = x as Loose<'focus' | 'first' | 'commands'>
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(commands)) return null
  if (typeof focus !== 'object' || focus === null) return null
  const { kind, key } = focus as Loose<'kind' | 'key'>
  const f: PanelFocus | null =
    kind === 'keyspace'
      ? { kind }
      : kind === 'key' && typeof key === 'string'
        ? { kind, key }
        : null
  return f === null ? null : { focus: f, first: first as number, commands: commands as number }
}

function parsePinned(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((k: unknown): k is string => typeof k === 'string') : []
}

function parseHeld(x: unknown): HeldLine[] {
  if (!Array.isArray(x)) return []
  return x.flatMap((l: unknown) => {
    if (typeof l !== 'object' || l === null) return []
    const { client, text, tick } = l as Loose<'client' | 'text' | 'tick'>
    if (typeof client !== 'number' || typeof text !== 'string') return []
    return [typeof tick === 'number' && tick > 0 ? { client, text: '', tick } : { client, text }]
  })
}

function parseInterrupted(x: unknown): InterruptedCommand | null {
  if (typeof x !== 'object' || x === null) return null
  const { client, argv } = x as Loose<'client' | 'argv'>
  if (typeof client !== 'number' || !Array.isArray(argv)) return null
  if (!argv.every((a): a is string => typeof a === 'string')) return null
  return { client, argv }
}

function parseMark(x: unknown): PlayheadMark | null {
  if (typeof x !== 'object' || x === null) return null
  const { position, step, level } = x as Loose<'position' | 'step' | 'level'>
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(step)) return null
  const mark = { position: position as number, step: step as number }
  return level === 'off' || level === 'summary' || level === 'full' ? { ...mark, level } : mark
}

function parseSeed(x: unknown): SessionSeed | null {
  if (typeof x !== 'object' || x === null) return null
  const { seed, config, startMs } = x as Loose<'seed' | 'config' | 'startMs'>
  if (typeof seed !== 'number' || typeof startMs !== 'number') return null
  if (typeof config !== 'object' || config === null) return null
  const cfg: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) {
    if (typeof v !== 'string') return null
    cfg[k] = v
  }
  return { seed, config: cfg, startMs }
}

function parseEntry(x: unknown): LogEntry | null {
  if (typeof x !== 'object' || x === null) return null
  const e = x as Loose<'t' | 'client' | 'at' | 'argv' | 'ms' | 'n'>
  switch (e.t) {
    case 'exec':
      if (
        typeof e.client !== 'number' ||
        typeof e.at !== 'number' ||
        !Array.isArray(e.argv) ||
        !(e.argv as unknown[]).every((a) => typeof a === 'string' && isBytes(a))
      )
        return null
      return { t: 'exec', client: e.client, at: e.at, argv: e.argv as string[] }
    case 'tick':
      if (typeof e.ms !== 'number' || typeof e.n !== 'number' || e.n < 1) return null
      return { t: 'tick', ms: e.ms, n: e.n }
    case 'client':
      return { t: 'client' }
    case 'close':
      return typeof e.client === 'number' ? { t: 'close', client: e.client } : null
    case 'reconnect':
      return typeof e.client === 'number' ? { t: 'reconnect', client: e.client } : null
    default:
      return null
  }
}

function isBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false
  return true
}

// --- Files ---

/** Serialises a session for export as a .json file. */
export function exportSessionJson(saved: SavedSession): string {
  return JSON.stringify(saved, null, 1)
}

/** Why a file could not be imported; `reason` names it for the UI to say in its language. */
export class SessionFileError extends Error {
  constructor(readonly reason: 'notJson' | 'notSession') {
    super(reason === 'notJson' ? 'not a JSON file' : 'not a Redis X-Ray session')
    this.name = 'SessionFileError'
  }
}

/** Parses an exported file; throws a SessionFileError when it is not one. */
export function importSessionJson(text: string): SavedSession {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new SessionFileError('notJson')
  }
  const saved = parseSavedSession(raw)
  if (!saved) throw new SessionFileError('notSession')
  return saved
}
