/**
 * The app store: one zustand store built from four slices (style.md §7):
 *
 * - session: the engine session as the UI knows it (seed, log, client tabs with their
 *   console lines, history, virtual clock, the inspector's view) and the queue of requests
 *   for the engine, which bridge.ts drains;
 * - player: the timeline (one item per command, plus clock ticks that did something), the
 *   playhead {item, step}, play/pause and speed;
 * - settings: language, theme, motion, trace level, projector mode (persisted);
 * - ui: help overlay, pinned panels, the panel a scene is about.
 *
 * Actions are named as events ("commandSubmitted", "traceReceived", "stepBackRequested"),
 * never as setters. Only bridge.ts dispatches the engine-derived events (…Received,
 * …Restored). createAppStore() builds a fresh store; the app's singleton is one instance, and
 * each test builds its own.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla'
import { devtools, subscribeWithSelector } from 'zustand/middleware'
import type { ClientId } from '../engine/api.ts'
import type { TraceLevel } from '../engine/events.ts'
import type { Reply } from '../engine/reply.ts'
import { pushedLines } from './pushedOutput.ts'
import { nextStop, prevStop } from './quietRuns.ts'
import { labelFor, tabLabel } from './tabLabel.ts'
import { createZiplistLessonSlice, type ZiplistLessonSlice } from './ziplistLesson.ts'
import type {
  CommandDoc,
  LogEntry,
  SessionSeed,
  WireConnect,
  WireOutput,
  WireTick,
  WireTrace,
  WireWaits,
} from '../worker/protocol.ts'
import type {
  ClientTab,
  ConsoleLine,
  EngineRequest,
  EngineStatus,
  InspectorView,
  Notice,
  PanelFocus,
  Playhead,
  PlayheadMark,
  RunningCommand,
  HeldLine,
  BlockId,
  PastedBlock,
  SceneRun,
  SavedSession,
  TimelineItem,
  Waiting,
} from './types.ts'

// --- Types ---

export type Language = 'en' | 'zh'
export type Theme = 'light' | 'dark'
export type Motion = 'system' | 'reduce' | 'full'

/** Lines kept per console tab; older ones scroll away. */
export const MAX_CONSOLE_LINES = 2000
/** History entries kept (redis-cli keeps 100 by default in ~/.rediscli_history; we keep more). */
export const MAX_HISTORY = 500
/** Timeline items kept. */
export const MAX_ITEMS = 5000
/** Player steps per second at speed 1. */
export const STEPS_PER_SECOND = 4
/**
 * Past this many steps a new command is not played on its own: it shows its end, and its
 * steps wait in the step list and the timeline. At 4 steps a second the 911 steps of a
 * 130-member ZADD played for four minutes, and an eviction of 1,250 keys for twenty, the
 * panels drifting through listpack inserts long after the reply said the key was a skiplist.
 */
export const MAX_AUTOPLAY_STEPS = 200

export const DEFAULT_SESSION: SessionSeed = {
  seed: 42,
  config: {},
  startMs: 1_704_067_200_000,
}

export interface SessionSlice {
  session: SessionSeed
  log: LogEntry[]
  tabs: ClientTab[]
  activeTab: ClientId | null
  history: string[]
  requests: EngineRequest[]
  nextSeq: number
  status: EngineStatus
  progress: { readonly done: number; readonly total: number } | null
  busy: number
  /** The long command the engine is running in slices, with its progress (or null). */
  running: RunningCommand | null
  /**
   * Lines entered that wait their turn behind a blocking or long command (the bridge holds
   * them), in order; empty when nothing holds them up. The page's save keeps them.
   */
  heldLines: readonly HeldLine[]
  /**
   * Lines a reload left unrun (the rest of a pasted block, the lines held behind a blocking
   * or long command), in order: the console offers to run them or to let them go. The page's
   * save keeps them, with heldLines, until one or the other.
   */
  resumable: readonly HeldLine[]
  /** The scene the resumable lines are the rest of, or null (a paste's, or none). */
  resumableScene: SceneRun | null
  /** Pasted blocks (and scenes) whose lines are still being sent or answered, oldest first. */
  pastes: readonly PastedBlock[]
  nextBlock: BlockId
  notice: Notice | null
  commands: readonly CommandDoc[]
  clock: { readonly now: number; readonly running: boolean; readonly speed: number }
  view: InspectorView | null

  /**
   * A line was entered in a tab: history, and its echo queued in order. The learner's own
   * line ends a scene's focus (a scene sets it again after entering its lines).
   */
  lineEntered(client: ClientId, text: string, block?: BlockId): void
  /**
   * Runs `enter`, which enters lines (a pasted block, a scene), and hands what they asked for
   * (their history, their requests, in order) to the store in one update at its end: a block
   * of 3,000 lines made 18,000 updates in one task, each copying the state and calling every
   * subscriber, and held the page about a second.
   */
  linesBatched(enter: () => void): void
  /** A command was submitted in a tab: queued for the engine; the playhead returns to the live end. */
  commandSubmitted(argv: readonly string[], client: ClientId, block?: BlockId): void
  /** Console output produced locally (HELP, parse errors), queued in order. */
  localOutputRequested(client: ClientId, lines: readonly ConsoleLine[], block?: BlockId): void
  consoleClearRequested(client: ClientId, block?: BlockId): void
  /**
   * A block of `lines` lines was pasted in a tab (or a scene started): the id its lines'
   * requests carry (lineEntered ... with `block`), so that a Stop can drop those not yet sent.
   * pasteEntered(block) follows once all of its lines are entered.
   */
  pasteStarted(
    client: ClientId,
    lines: number,
    source?: PastedBlock['source'],
    scene?: SceneRun,
  ): BlockId
  /** Every line of a pasted block has been entered: the block ends after the last one. */
  pasteEntered(block: BlockId): void
  /**
   * Stop (or Ctrl+C) while a pasted block runs in a tab: its lines not yet sent to the engine
   * are not run (the console says how many); a long command or a wait of the block ends.
   */
  pasteStopRequested(client: ClientId): void
  clientTabRequested(): void
  clientTabSelected(client: ClientId): void
  clientTabClosed(client: ClientId): void
  clockPaused(): void
  clockResumed(): void
  clockSpeedChanged(speed: number): void
  clockJumpRequested(ms: number, block?: BlockId): void
  cancelRequested(): void
  /** Ctrl+C (or Cancel) on a tab waiting in a blocking command: stop waiting, keep the connection. */
  unblockRequested(client: ClientId): void
  crashRequested(): void
  sessionRestoreRequested(saved: SavedSession): void
  sessionResetRequested(session?: SessionSeed): void

  // Dispatched by bridge.ts only.
  requestsTaken(seqs: readonly number[]): void
  inputEchoed(client: ClientId, text: string): void
  consoleOutputAppended(client: ClientId, lines: readonly ConsoleLine[]): void
  consoleCleared(client: ClientId): void
  engineReady(commands: readonly CommandDoc[]): void
  engineStatusChanged(status: EngineStatus, progress?: { done: number; total: number } | null): void
  clientOpened(client: ClientId, label?: string): void
  /**
   * A tab whose connection the server closed connected again: its tab (and its queued
   * lines) now belong to the new client, and the timeline shows the new connection.
   */
  clientReconnected(connect: WireConnect): void
  commandFailed(client: ClientId, message: string): void
  logAppended(entry: LogEntry): void
  sessionRestored(restored: RestoredSession): void
  viewReceived(view: InspectorView): void
  noticeShown(key: string, params?: Record<string, string | number>, tone?: Notice['tone']): void
  noticeDismissed(): void
  busyChanged(busy: number): void
  commandProgressed(running: RunningCommand | null): void
  heldLinesChanged(lines: readonly HeldLine[]): void
  /** The learner ran or let go a tab's lines a reload left unrun: they are offered no more. */
  resumableTaken(client: ClientId): void
  /** How many lines of each running pasted block the console has shown (by block). */
  pastesProgressed(done: ReadonlyMap<BlockId, number>): void
  /** A pasted block's last line was answered, or it was stopped and ended. */
  pasteFinished(block: BlockId): void
  /** A command was cancelled before it finished: it never happened; the console says so. */
  commandCancelled(client: ClientId): void
}

export interface RestoredSession {
  readonly session: SessionSeed
  readonly log: readonly LogEntry[]
  readonly tabs: readonly ClientTab[]
  readonly active: ClientId | null
  readonly items: readonly TimelineItem[]
  readonly now: number
  /** Where to put the playhead (a permalink's); absent: at the end. */
  readonly at?: PlayheadMark
  /** Keys pinned before a reload; absent: the pins stay as they are. */
  readonly pinned?: readonly string[]
  /** Lines a reload left unrun (a pasted block's rest), offered to run; absent: none. */
  readonly resumable?: readonly HeldLine[]
  /** The scene those lines are the rest of; absent: none. */
  readonly resumableScene?: SceneRun
}

export interface PlayerSlice {
  items: TimelineItem[]
  playhead: Playhead
  playing: boolean
  speed: number

  traceReceived(trace: WireTrace): void
  tickReceived(tick: WireTick): void
  stepForwardRequested(): void
  stepBackRequested(): void
  commandForwardRequested(): void
  commandBackRequested(): void
  itemSelected(item: number): void
  stepSelected(step: number): void
  playToggled(): void
  playTicked(): void
  playerSpeedChanged(speed: number): void
}

export interface SettingsSlice {
  language: Language
  theme: Theme
  motion: Motion
  traceLevel: TraceLevel
  /** Show valid UTF-8 in replies as text (redis-cli shows \x escapes). */
  utf8: boolean
  /** Projector mode: large console text, panel labels and controls for a classroom. */
  projector: boolean
  /** The browser's prefers-reduced-motion, used when motion is 'system'. */
  systemReducedMotion: boolean
  languageChanged(language: Language): void
  themeChanged(theme: Theme): void
  motionChanged(motion: Motion): void
  traceLevelChanged(level: TraceLevel): void
  utf8Toggled(): void
  projectorToggled(): void
  systemMotionDetected(reduce: boolean): void
}

export interface UiSlice {
  helpOpen: boolean
  pinned: string[]
  /** What the scene that ran last is about, until the learner enters a line (null: none). */
  focus: PanelFocus | null
  helpToggled(): void
  helpClosed(): void
  panelPinned(key: string): void
  panelUnpinned(key: string): void
  sceneFocused(focus: PanelFocus): void
}

export type AppState = SessionSlice & PlayerSlice & SettingsSlice & UiSlice & ZiplistLessonSlice
export type AppStore = StoreApi<AppState> & {
  subscribe: StoreApi<AppState>['subscribe'] &
    (<U>(
      selector: (s: AppState) => U,
      listener: (u: U, prev: U) => void,
      opts?: { equalityFn?: (a: U, b: U) => boolean; fireImmediately?: boolean },
    ) => () => void)
}

type Mutators = [['zustand/devtools', never], ['zustand/subscribeWithSelector', never]]
type Slice<T> = StateCreator<AppState, Mutators, [], T>

export interface StoreOptions {
  readonly language?: Language
  readonly theme?: Theme
  readonly motion?: Motion
  readonly traceLevel?: TraceLevel
  readonly projector?: boolean
  readonly clockRunning?: boolean
  readonly history?: readonly string[]
}

// --- Selectors ---

/** Tells whether animations should be skipped (the user's choice, or the system's). */
export function selectReducedMotion(s: Pick<AppState, 'motion' | 'systemReducedMotion'>): boolean {
  return s.motion === 'reduce' || (s.motion === 'system' && s.systemReducedMotion)
}

// --- Helpers ---

function appendLines(
  tabs: ClientTab[],
  client: ClientId,
  lines: readonly ConsoleLine[],
): ClientTab[] {
  return tabs.map((t) =>
    t.id === client ? { ...t, lines: [...t.lines, ...lines].slice(-MAX_CONSOLE_LINES) } : t,
  )
}

/**
 * Marks a tab's last line, when it is the command line of a command that just answered,
 * with the command's log position (ConsoleLine input `position`), as a restored session's
 * lines are marked: a line already marked ("3 INCR n" answers three times) keeps its first.
 */
function markCommandLine(lines: readonly ConsoleLine[], position: number): readonly ConsoleLine[] {
  const last = lines.at(-1)
  if (last?.kind !== 'input' || last.position !== undefined) return lines
  return [...lines.slice(0, -1), { ...last, position }]
}

/**
 * The console lines of output the server pushed to a client (WireOutput): MONITOR's status
 * lines, printed as redis-cli prints a status reply (the text after '+'); Pub/Sub messages
 * and other whole replies as reply lines; anything else as it came (pushedOutput.ts).
 */
export function outputLines(text: string): ConsoleLine[] {
  return pushedLines(text)
}

/** Appends the pushed output of a trace or tick to its clients' tabs (none: same tabs). */
export function appendOutput(tabs: ClientTab[], o: WireOutput): ClientTab[] {
  let out = tabs
  for (const [client, text] of o.output ?? []) out = appendLines(out, client, outputLines(text))
  return out
}

/**
 * Tells whether a tick did something worth a timeline entry: anything beyond an active
 * expire cycle that sampled keys and expired none (with a running clock that happens ten
 * times a second and would bury the commands), or, at trace level "off", removed keys.
 */
export function tickIsInteresting(tick: WireTick): boolean {
  if ((tick.keysRemoved ?? 0) > 0) return true
  return tick.events.some((e) => {
    if (e.type === 'expire/cycleRan') return e.expired > 0
    if (e.type === 'expire/bucketsSampled') return e.expired.length > 0
    return true
  })
}

/** Builds the timeline item for a command trace. */
export function itemFromTrace(t: WireTrace): TimelineItem {
  return {
    kind: 'command',
    position: t.position,
    client: t.client,
    db: t.db,
    argv: t.argv,
    at: t.at,
    reply: t.reply,
    events: t.events,
    dropped: t.dropped,
    ...(t.key === undefined ? {} : { key: t.key }),
    ...(t.keys === undefined ? {} : { keys: t.keys }),
  }
}

/** Builds the timeline item for a tab connecting again (WireConnect). */
export function itemFromConnect(c: WireConnect): TimelineItem {
  return {
    kind: 'connect',
    position: c.position,
    client: c.connected,
    db: 0,
    argv: [],
    at: c.at,
    reply: null,
    events: c.events,
    dropped: 0,
  }
}

/**
 * What redis-cli prints when the server had closed the connection before the command
 * (cliReadReply reads EOF, issueCommandRepeat prints the context's error: redis-cli.c), and
 * the console's note on what happens next.
 */
export const CLOSED_LINES: readonly ConsoleLine[] = [
  { kind: 'error', text: 'Error: Server closed the connection' },
  { kind: 'notice', key: 'console.connectionClosed' },
]

/**
 * Whether a command closed its own connection after its reply: QUIT answers OK, then the
 * server closes (in MULTI and in subscribed mode too). redis-cli would exit; the console
 * stays, says so, and its next command opens a new connection (the tab goes offline).
 */
export function quitClosed(argv: readonly string[], reply: Reply): boolean {
  return argv[0]?.toLowerCase() === 'quit' && reply.type === 'simple' && reply.value === 'OK'
}

/** What the console adds after a QUIT's OK (quitClosed). */
export const QUIT_LINES: readonly ConsoleLine[] = [{ kind: 'notice', key: 'console.quit' }]

/** Builds the timeline item for a clock tick. */
export function itemFromTick(t: WireTick): TimelineItem {
  return {
    kind: 'tick',
    position: t.position,
    client: null,
    db: 0,
    argv: [],
    at: t.at,
    reply: null,
    events: t.events,
    dropped: t.dropped,
  }
}

/** Events the playhead can show for an item (0 events still counts as one stop). */
function stepsOf(items: readonly TimelineItem[], i: number): number {
  return items[i]?.events.length ?? 0
}

/** The playhead a mark names in `items` (its item by log position), else the end. */
function playheadAt(items: readonly TimelineItem[], at: PlayheadMark | undefined): Playhead {
  const end = { item: items.length - 1, step: stepsOf(items, items.length - 1) }
  if (at === undefined) return end
  if (at.position === 0) return { item: -1, step: 0 }
  const item = items.findIndex((x) => x.position === at.position)
  if (item < 0) return end
  return { item, step: Math.max(0, Math.min(at.step, stepsOf(items, item))) }
}

/** Tells whether new items should carry the playhead along (it is at or playing the end). */
function following(s: {
  items: readonly TimelineItem[]
  playhead: Playhead
  playing: boolean
}): boolean {
  return playheadAtEnd(s.items, s.playhead) || (s.playing && s.playhead.item === s.items.length - 1)
}

/**
 * Appends a timeline item that may animate (a command, a reconnect): the playhead follows
 * it when it was at or playing the end, starting at its first step unless motion is reduced
 * or it has more than MAX_AUTOPLAY_STEPS steps.
 */
function appendItem(
  s: Pick<AppState, 'items' | 'playhead' | 'playing' | 'motion' | 'systemReducedMotion'>,
  item: TimelineItem,
): Pick<AppState, 'items' | 'playhead' | 'playing'> {
  const follow = following(s)
  const items = [...s.items, item].slice(-MAX_ITEMS)
  const shift = s.items.length + 1 - items.length
  const animate =
    !selectReducedMotion(s) && item.events.length > 0 && item.events.length <= MAX_AUTOPLAY_STEPS
  const playhead = follow
    ? { item: items.length - 1, step: animate ? 0 : item.events.length }
    : { item: Math.max(-1, s.playhead.item - shift), step: s.playhead.step }
  return {
    items,
    playhead,
    playing: follow ? animate || (s.playing && !playheadAtEnd(items, playhead)) : s.playing,
  }
}

/** Tells whether the playhead stands at the very end of the timeline. */
export function playheadAtEnd(items: readonly TimelineItem[], p: Playhead): boolean {
  return p.item >= items.length - 1 && p.step >= stepsOf(items, items.length - 1)
}

/** Moves the playhead one event forward, crossing into the next command after the last. */
export function stepForward(items: readonly TimelineItem[], p: Playhead): Playhead {
  // A run of expire cycles that found nothing is one step (quietRuns.ts).
  const item = items[p.item]
  if (item && p.step < item.events.length)
    return { item: p.item, step: nextStop(item.events, p.step) }
  const next = items[p.item + 1]
  if (!next) return p
  // "After command i" and "before command i+1" are the same state: skip straight to the
  // first event of the next command.
  return { item: p.item + 1, step: Math.min(nextStop(next.events, 0), next.events.length) }
}

/**
 * Moves the playhead one beat of playback forward: as stepForward, except that a command with
 * more than MAX_AUTOPLAY_STEPS steps, entered from the one before, is one beat showing its
 * end (as it shows when it arrives), where playback pauses (playTicked). Playing a scene
 * through its 364-step eviction would otherwise take a minute and a half, and a beat alone
 * is gone before the panels have drawn it. Inside such a command, play goes step by step.
 */
export function playForward(items: readonly TimelineItem[], p: Playhead): Playhead {
  const next = stepForward(items, p)
  if (next.item === p.item) return next
  const steps = stepsOf(items, next.item)
  return steps > MAX_AUTOPLAY_STEPS ? { item: next.item, step: steps } : next
}

/** Moves the playhead one event back, crossing into the previous command's end. */
export function stepBack(items: readonly TimelineItem[], p: Playhead): Playhead {
  const back = p.step > 1 ? prevStop(items[p.item]?.events ?? [], p.step) : 0
  if (back >= 1) return { item: p.item, step: back }
  if (p.item > 0) return { item: p.item - 1, step: stepsOf(items, p.item - 1) }
  if (p.item === 0 && p.step > 0) return { item: 0, step: 0 }
  return { item: -1, step: 0 }
}

// --- Slices ---

/** The `block` field of a request made for a line of a pasted block (none otherwise). */
function inBlock(block: BlockId | undefined): { readonly block?: BlockId } {
  return block === undefined ? {} : { block }
}

const createSessionSlice =
  (opts: StoreOptions): Slice<SessionSlice> =>
  (set, get) => {
    // linesBatched: its depth, and the history and requests its lines made meanwhile.
    let batching = 0
    let batchedHistory: string[] = []
    let batchedFocus = false
    let batchedRequests: ((seq: number) => EngineRequest)[] = []
    const request = (make: (seq: number) => EngineRequest, name: string): void => {
      if (batching > 0) {
        batchedRequests.push(make)
        return
      }
      set(
        (s) => ({ requests: [...s.requests, make(s.nextSeq)], nextSeq: s.nextSeq + 1 }),
        false,
        name,
      )
    }
    return {
      session: DEFAULT_SESSION,
      log: [],
      tabs: [],
      activeTab: null,
      history: [...(opts.history ?? [])],
      requests: [],
      nextSeq: 1,
      status: 'booting',
      progress: null,
      busy: 0,
      running: null,
      heldLines: [],
      resumable: [],
      resumableScene: null,
      pastes: [],
      nextBlock: 1,
      notice: null,
      commands: [],
      clock: { now: DEFAULT_SESSION.startMs, running: opts.clockRunning ?? true, speed: 1 },
      view: null,

      lineEntered: (client, text, block) => {
        if (batching > 0) {
          const s = get()
          const last = batchedHistory.at(-1) ?? s.history.at(-1)
          const scene =
            block !== undefined && s.pastes.some((p) => p.block === block && p.source === 'scene')
          if (text.trim() !== '' && last !== text && !scene) batchedHistory.push(text)
          batchedFocus = true
          request(
            (seq) => ({ kind: 'echo', seq, client, text, ...inBlock(block) }),
            'session/lineEntered',
          )
          return
        }
        set(
          (s) => ({
            focus: null,
            history:
              text.trim() === '' ||
              s.history.at(-1) === text ||
              (block !== undefined &&
                s.pastes.some((p) => p.block === block && p.source === 'scene'))
                ? s.history
                : [...s.history, text].slice(-MAX_HISTORY),
          }),
          false,
          'session/lineEntered',
        )
        request(
          (seq) => ({ kind: 'echo', seq, client, text, ...inBlock(block) }),
          'session/lineEntered',
        )
      },
      linesBatched: (enter) => {
        batching++
        try {
          enter()
        } finally {
          batching--
          if (batching === 0) {
            const history = batchedHistory
            const focus = batchedFocus
            const makes = batchedRequests
            batchedHistory = []
            batchedFocus = false
            batchedRequests = []
            if (focus)
              set(
                (s) => ({
                  focus: null,
                  history:
                    history.length === 0
                      ? s.history
                      : [...s.history, ...history].slice(-MAX_HISTORY),
                }),
                false,
                'session/linesBatched',
              )
            if (makes.length > 0)
              set(
                (s) => {
                  let seq = s.nextSeq
                  const made = makes.map((make) => make(seq++))
                  return { requests: [...s.requests, ...made], nextSeq: seq }
                },
                false,
                'session/linesBatched',
              )
          }
        }
      },
      inputEchoed: (client, text) => {
        set(
          (s) => {
            const tab = s.tabs.find((t) => t.id === client)
            const line: ConsoleLine = {
              kind: 'input',
              text,
              db: tab?.db ?? 0,
              multi: tab?.multi ?? false,
              ...(tab?.offline ? { offline: true as const } : {}),
            }
            return { tabs: appendLines(s.tabs, client, [line]) }
          },
          false,
          'bridge/inputEchoed',
        )
      },
      localOutputRequested: (client, lines, block) => {
        request(
          (seq) => ({ kind: 'output', seq, client, lines, ...inBlock(block) }),
          'session/localOutputRequested',
        )
      },
      consoleClearRequested: (client, block) => {
        request(
          (seq) => ({ kind: 'clear', seq, client, ...inBlock(block) }),
          'session/consoleClearRequested',
        )
      },
      pasteStarted: (client, lines, source = 'paste', scene) => {
        const block = get().nextBlock
        set(
          (s) => ({
            pastes: [
              ...s.pastes,
              { block, client, lines, done: 0, source, ...(scene ? { scene } : {}) },
            ],
            nextBlock: s.nextBlock + 1,
          }),
          false,
          'session/pasteStarted',
        )
        return block
      },
      pasteEntered: (block) => {
        const paste = get().pastes.find((p) => p.block === block)
        if (paste === undefined) return
        request(
          (seq) => ({ kind: 'pasteEnd', seq, client: paste.client, block }),
          'session/pasteEntered',
        )
      },
      pasteStopRequested: (client) => {
        if (!get().pastes.some((p) => p.client === client)) return
        request((seq) => ({ kind: 'pasteStop', seq, client }), 'session/pasteStopRequested')
      },
      commandSubmitted: (argv, client, block) => {
        // A learner who stepped back and then types a command wants to see it run: the
        // playhead returns to the live end first, so the new command's item carries it along
        // (appendItem follows from the end) instead of arriving unseen past a stale step.
        // Only when it is not there: every set notifies each subscriber of the store, and a
        // pasted block of thousands of lines submits them in one task.
        const at = get()
        if (!playheadAtEnd(at.items, at.playhead))
          set(
            (s) => ({ playhead: playheadAt(s.items, undefined), playing: false }),
            false,
            'session/commandSubmitted',
          )
        request(
          (seq) => ({ kind: 'exec', seq, argv, client, ...inBlock(block) }),
          'session/commandSubmitted',
        )
      },
      consoleOutputAppended: (client, lines) => {
        set(
          (s) => ({ tabs: appendLines(s.tabs, client, lines) }),
          false,
          'session/consoleOutputAppended',
        )
      },
      consoleCleared: (client) => {
        set(
          (s) => ({ tabs: s.tabs.map((t) => (t.id === client ? { ...t, lines: [] } : t)) }),
          false,
          'session/consoleCleared',
        )
      },
      clientTabRequested: () => {
        request((seq) => ({ kind: 'openClient', seq }), 'session/clientTabRequested')
      },
      clientTabSelected: (client) => {
        set({ activeTab: client }, false, 'session/clientTabSelected')
      },
      clientTabClosed: (client) => {
        const tabs = get().tabs
        if (tabs.length <= 1) return
        const index = tabs.findIndex((t) => t.id === client)
        const rest = tabs.filter((t) => t.id !== client)
        set(
          (s) => ({
            tabs: rest,
            activeTab:
              s.activeTab === client ? (rest[Math.max(0, index - 1)]?.id ?? null) : s.activeTab,
          }),
          false,
          'session/clientTabClosed',
        )
        request((seq) => ({ kind: 'closeClient', seq, client }), 'session/clientTabClosed')
      },
      clockPaused: () => {
        set((s) => ({ clock: { ...s.clock, running: false } }), false, 'session/clockPaused')
      },
      clockResumed: () => {
        set((s) => ({ clock: { ...s.clock, running: true } }), false, 'session/clockResumed')
      },
      clockSpeedChanged: (speed) => {
        set((s) => ({ clock: { ...s.clock, speed } }), false, 'session/clockSpeedChanged')
      },
      clockJumpRequested: (ms, block) => {
        request(
          (seq) => ({ kind: 'tick', seq, ms, ...inBlock(block) }),
          'session/clockJumpRequested',
        )
      },
      cancelRequested: () => {
        request((seq) => ({ kind: 'cancel', seq }), 'session/cancelRequested')
      },
      unblockRequested: (client) => {
        if (get().tabs.find((t) => t.id === client)?.waiting === undefined) return
        request((seq) => ({ kind: 'unblock', seq, client }), 'session/unblockRequested')
      },
      crashRequested: () => {
        request((seq) => ({ kind: 'crash', seq }), 'session/crashRequested')
      },
      sessionRestoreRequested: (saved) => {
        request((seq) => ({ kind: 'restore', seq, saved }), 'session/sessionRestoreRequested')
      },
      sessionResetRequested: (session = DEFAULT_SESSION) => {
        request((seq) => ({ kind: 'reset', seq, session }), 'session/sessionResetRequested')
      },

      requestsTaken: (seqs) => {
        const taken = new Set(seqs)
        set(
          (s) => ({ requests: s.requests.filter((r) => !taken.has(r.seq)) }),
          false,
          'bridge/requestsTaken',
        )
      },
      engineReady: (commands) => {
        set({ commands, status: 'ready', progress: null }, false, 'bridge/engineReady')
      },
      engineStatusChanged: (status, progress = null) => {
        set({ status, progress }, false, 'bridge/engineStatusChanged')
      },
      clientOpened: (client, label) => {
        set(
          (s) => {
            if (s.tabs.some((t) => t.id === client)) return { activeTab: client }
            const tab: ClientTab = {
              id: client,
              label: label ?? tabLabel(client),
              db: 0,
              lines: [],
            }
            return { tabs: [...s.tabs, tab], activeTab: client }
          },
          false,
          'bridge/clientOpened',
        )
      },
      clientReconnected: (c) => {
        const { replaces: old, connected: id } = c
        const move = <T extends { client: ClientId }>(x: T): T =>
          x.client === old ? { ...x, client: id } : x
        set(
          (s) => {
            return {
              ...appendItem(s, itemFromConnect(c)),
              tabs: s.tabs.map((t) => {
                if (t.id !== old) return t
                const { offline: _, ...rest } = t
                return { ...rest, id, label: labelFor(id, t.label) }
              }),
              activeTab: s.activeTab === old ? id : s.activeTab,
              requests: s.requests.map((r) => ('client' in r ? move(r) : r)),
            }
          },
          false,
          'bridge/clientReconnected',
        )
      },
      commandFailed: (client, message) => {
        set(
          (s) => ({ tabs: appendLines(s.tabs, client, [{ kind: 'error', text: message }]) }),
          false,
          'bridge/commandFailed',
        )
      },
      logAppended: (entry) => {
        set(
          (s) => {
            const last = s.log.at(-1)
            if (entry.t === 'tick' && last?.t === 'tick' && last.ms === entry.ms)
              return { log: [...s.log.slice(0, -1), { ...last, n: last.n + entry.n }] }
            return { log: [...s.log, entry] }
          },
          false,
          'bridge/logAppended',
        )
      },
      sessionRestored: (r) => {
        const items = r.items.slice(-MAX_ITEMS)
        set(
          {
            session: r.session,
            log: [...r.log],
            tabs: [...r.tabs],
            activeTab: r.active ?? r.tabs[0]?.id ?? null,
            items,
            playhead: playheadAt(items, r.at),
            playing: false,
            clock: { ...get().clock, now: r.now },
            status: 'ready',
            progress: null,
            view: null,
            focus: null,
            pastes: [],
            resumable: r.resumable ?? [],
            resumableScene: r.resumableScene ?? null,
            ...(r.pinned ? { pinned: [...r.pinned] } : {}),
          },
          false,
          'bridge/sessionRestored',
        )
      },
      viewReceived: (view) => {
        set({ view }, false, 'bridge/viewReceived')
      },
      noticeShown: (key, params = {}, tone = 'info') => {
        set(
          (s) => ({ notice: { id: (s.notice?.id ?? 0) + 1, key, params, tone } }),
          false,
          'bridge/noticeShown',
        )
      },
      noticeDismissed: () => {
        set({ notice: null }, false, 'ui/noticeDismissed')
      },
      busyChanged: (busy) => {
        set({ busy }, false, 'bridge/busyChanged')
      },
      commandProgressed: (running) => {
        set({ running }, false, 'bridge/commandProgressed')
      },
      heldLinesChanged: (heldLines) => {
        set({ heldLines }, false, 'bridge/heldLinesChanged')
      },
      resumableTaken: (client) => {
        set(
          (s) => {
            const resumable = s.resumable.filter((l) => l.client !== client)
            return { resumable, resumableScene: resumable.length > 0 ? s.resumableScene : null }
          },
          false,
          'session/resumableTaken',
        )
      },
      pastesProgressed: (done) => {
        set(
          (s) => ({
            pastes: s.pastes.map((p) => {
              const n = done.get(p.block)
              return n === undefined || n === p.done ? p : { ...p, done: n }
            }),
          }),
          false,
          'bridge/pastesProgressed',
        )
      },
      pasteFinished: (block) => {
        set(
          (s) => ({ pastes: s.pastes.filter((p) => p.block !== block) }),
          false,
          'bridge/pasteFinished',
        )
      },
      commandCancelled: (client) => {
        set(
          (s) => ({
            running: null,
            tabs: appendLines(s.tabs, client, [{ kind: 'notice', key: 'console.cancelled' }]),
          }),
          false,
          'bridge/commandCancelled',
        )
      },
    }
  }

const createPlayerSlice: Slice<PlayerSlice> = (set, get) => ({
  items: [],
  playhead: { item: -1, step: 0 },
  playing: false,
  speed: 1,

  traceReceived: (trace) => {
    if (trace.closed) {
      // The command never reached a server: no timeline item, only what redis-cli prints.
      set(
        (s) => ({
          tabs: s.tabs.map((t) =>
            t.id !== trace.client
              ? t
              : {
                  ...t,
                  offline: true as const,
                  lines: [...t.lines, ...CLOSED_LINES].slice(-MAX_CONSOLE_LINES),
                },
          ),
        }),
        false,
        'player/traceReceived',
      )
      return
    }
    set(
      (s) => {
        const replied = s.tabs.map((t) =>
          t.id !== trace.client
            ? t
            : trace.blocked
              ? // No reply yet: the late one comes as output (settleWaits).
                {
                  ...t,
                  lines: markCommandLine(t.lines, trace.position),
                  waiting: { argv: trace.argv, since: trace.at },
                }
              : {
                  ...t,
                  ...cliPromptAfter(t, trace.argv, trace.reply),
                  ...(quitClosed(trace.argv, trace.reply) ? { offline: true as const } : {}),
                  lines: [
                    ...markCommandLine(t.lines, trace.position),
                    ...replyLines(trace.argv, trace.reply, trace.replyCut),
                    ...tookLines(trace),
                    ...(quitClosed(trace.argv, trace.reply) ? QUIT_LINES : []),
                  ].slice(-MAX_CONSOLE_LINES),
                },
        )
        // A monitor's own command: its reply first, then its line, as Redis writes them.
        const tabs = settleWaits(appendOutput(replied, trace), trace, trace.at)
        return {
          ...appendItem(s, itemFromTrace(trace)),
          tabs,
          clock: { ...s.clock, now: Math.max(s.clock.now, trace.end ?? trace.at) },
        }
      },
      false,
      'player/traceReceived',
    )
  },
  tickReceived: (tick) => {
    set(
      (s) => {
        const clock = { ...s.clock, now: tick.at }
        const tabs = settleWaits(appendOutput(s.tabs, tick), tick, tick.at, true)
        if (!tickIsInteresting(tick)) return tabs === s.tabs ? { clock } : { clock, tabs }
        // A command still playing its steps keeps the playhead: the tick (a cron rehash step,
        // an expiry) plays after it. Jumping to the tick's end cut the command the learner
        // had just typed short, and the panels showed the tick's steps instead.
        const follow = following(s) && !(s.playing && !playheadAtEnd(s.items, s.playhead))
        const items = [...s.items, itemFromTick(tick)].slice(-MAX_ITEMS)
        const shift = s.items.length + 1 - items.length
        const playhead = follow
          ? { item: items.length - 1, step: tick.events.length }
          : { item: Math.max(-1, s.playhead.item - shift), step: s.playhead.step }
        return { clock, items, playhead, tabs }
      },
      false,
      'player/tickReceived',
    )
  },
  stepForwardRequested: () => {
    set(
      (s) => ({ playhead: stepForward(s.items, s.playhead), playing: false }),
      false,
      'player/stepForwardRequested',
    )
  },
  stepBackRequested: () => {
    set(
      (s) => ({ playhead: stepBack(s.items, s.playhead), playing: false }),
      false,
      'player/stepBackRequested',
    )
  },
  commandForwardRequested: () => {
    set(
      (s) => {
        const item = Math.min(s.items.length - 1, s.playhead.item + 1)
        return { playhead: { item, step: stepsOf(s.items, item) }, playing: false }
      },
      false,
      'player/commandForwardRequested',
    )
  },
  commandBackRequested: () => {
    set(
      (s) => {
        const item = Math.max(-1, s.playhead.item - 1)
        return { playhead: { item, step: stepsOf(s.items, item) }, playing: false }
      },
      false,
      'player/commandBackRequested',
    )
  },
  itemSelected: (item) => {
    set(
      (s) => {
        const i = Math.max(-1, Math.min(s.items.length - 1, item))
        return { playhead: { item: i, step: stepsOf(s.items, i) }, playing: false }
      },
      false,
      'player/itemSelected',
    )
  },
  stepSelected: (step) => {
    set(
      (s) => {
        if (s.playhead.item < 0) return {}
        const max = stepsOf(s.items, s.playhead.item)
        return {
          playhead: { item: s.playhead.item, step: Math.max(0, Math.min(max, step)) },
          playing: false,
        }
      },
      false,
      'player/stepSelected',
    )
  },
  playToggled: () => {
    const s = get()
    if (s.playing) {
      set({ playing: false }, false, 'player/playToggled')
      return
    }
    // Playing from the very end restarts the current command's animation.
    const atEnd = playheadAtEnd(s.items, s.playhead)
    const playhead = atEnd && s.playhead.item >= 0 ? { item: s.playhead.item, step: 0 } : s.playhead
    set({ playing: s.items.length > 0, playhead }, false, 'player/playToggled')
  },
  playTicked: () => {
    set(
      (s) => {
        if (!s.playing) return {}
        const next = playForward(s.items, s.playhead)
        const long = next.item !== s.playhead.item && next.step > MAX_AUTOPLAY_STEPS
        return { playhead: next, playing: !long && !playheadAtEnd(s.items, next) }
      },
      false,
      'player/playTicked',
    )
  },
  playerSpeedChanged: (speed) => {
    set({ speed }, false, 'player/playerSpeedChanged')
  },
})

/**
 * The prompt state after a command, by redis-cli's own rules (cliSendCommand): a SELECT n
 * that did not fail sets [n] (even when only QUEUED inside MULTI, as redis-cli does), MULTI
 * turns (TX) on, EXEC and DISCARD turn it off, RESET clears both.
 */
export function cliPromptAfter(
  prev: { readonly db: number; readonly multi?: boolean },
  argv: readonly string[],
  reply: Reply,
): { db: number; multi: boolean } {
  const name = argv[0]?.toLowerCase()
  const ok = reply.type !== 'error'
  let db = prev.db
  let multi = prev.multi ?? false
  if (name === 'select' && argv.length === 2 && ok) db = Math.trunc(Number(argv[1])) || 0
  else if (name === 'multi' && argv.length === 1 && ok) multi = true
  else if (name === 'exec' && argv.length === 1 && multi) multi = false
  else if (name === 'discard' && argv.length === 1 && ok) multi = false
  else if (name === 'reset' && argv.length === 1 && ok) {
    multi = false
    db = 0
  }
  return { db, multi }
}

/**
 * Ends the wait of the tabs whose clients an op released (WireWaits.unblocked; their late
 * reply is already appended from the op's output), at virtual ms `at`. A tab whose client
 * the op closed prints redis-cli's error first and goes offline.
 */
export function settleWaits(
  tabs: ClientTab[],
  w: WireWaits,
  at: number,
  byTick = false,
): ClientTab[] {
  const { unblocked, lost } = w
  if (unblocked === undefined || unblocked.length === 0) return tabs
  return tabs.map((t) => {
    if (t.waiting === undefined || !unblocked.includes(t.id)) return t
    const { waiting, ...rest } = t
    const gone = lost?.includes(t.id) === true
    const lines = [...t.lines, ...(gone ? CLOSED_LINES : []), ...waitedLines(waiting, at, byTick)]
    return {
      ...rest,
      ...(gone ? { offline: true as const } : {}),
      lines: lines.slice(-MAX_CONSOLE_LINES),
    }
  })
}

/**
 * What redis-cli prints after a reply that took half a second or more (redis-cli.c repl:
 * "(%.2fs)"), here on the virtual clock: a BLPOP served 5 s later ends with "(5.00s)". A
 * clock tick that timed the wait out may have jumped past its deadline (+10 s): the wait
 * then lasted its timeout, not the whole jump.
 */
export function waitedLines(waiting: Waiting, at: number, byTick: boolean): ConsoleLine[] {
  let elapsed = at - waiting.since
  const timeout = blockTimeoutMs(waiting.argv)
  if (byTick && timeout > 0) elapsed = Math.min(elapsed, timeout)
  return elapsedLines(elapsed)
}

/** redis-cli's "(%.2fs)" line for `ms` of elapsed time, printed from half a second on. */
function elapsedLines(ms: number): ConsoleLine[] {
  return ms >= 500 ? [{ kind: 'text', text: `(${(ms / 1000).toFixed(2)}s)` }] : []
}

/**
 * The "(N.NNs)" redis-cli prints after a command that itself took half a second or more of
 * (virtual) time: DEBUG SLEEP 3 ends with "(3.00s)", as in redis-cli.
 */
export function tookLines(trace: Pick<WireTrace, 'at' | 'end'>): ConsoleLine[] {
  return elapsedLines((trace.end ?? trace.at) - trace.at)
}

/**
 * The timeout a blocking command asked for, in ms (0: none, or not readable): the last
 * argument in seconds for BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BZPOPMIN, BZPOPMAX; the first for
 * BLMPOP and BZMPOP; BLOCK's milliseconds for XREAD and XREADGROUP.
 */
export function blockTimeoutMs(argv: readonly string[]): number {
  const name = argv[0]?.toLowerCase() ?? ''
  let ms: number
  if (name === 'blmpop' || name === 'bzmpop') ms = Number(argv[1]) * 1000
  else if (name === 'xread' || name === 'xreadgroup') {
    const i = argv.findIndex((a) => a.toLowerCase() === 'block')
    ms = i < 0 ? 0 : Number(argv[i + 1])
  } else ms = Number(argv.at(-1)) * 1000
  return Number.isFinite(ms) && ms > 0 ? ms : 0
}

/**
 * The console lines of a command's reply: the reply (replyLine), and after a SUBSCRIBE,
 * PSUBSCRIBE or SSUBSCRIBE that subscribed, a note that the tab now reads messages and how
 * to leave (redis-cli prints "Reading messages..." and takes no commands; here the line stays
 * open, and only the Pub/Sub commands, PING, QUIT and RESET are allowed).
 */
export function replyLines(argv: readonly string[], reply: Reply, cut = 0): ConsoleLine[] {
  const line = replyLine(argv, reply, cut)
  const subscribed = subscribeConfirmed(reply)
  if (subscribed === null) return [line]
  // A RESP3 client (HELLO 3) confirms with pushes and keeps running any command.
  const key = subscribed === 'push' ? 'console.subscribedResp3' : 'console.subscribed'
  return [line, { kind: 'notice', key }]
}

/**
 * Whether a reply is a (p|s)subscribe confirmation (one per channel, in a sequence): an array
 * in RESP2, a push in RESP3 (which type it is), or null.
 */
function subscribeConfirmed(reply: Reply): 'array' | 'push' | null {
  const first = reply.type === 'sequence' ? reply.value[0] : reply
  if ((first?.type !== 'array' && first?.type !== 'push') || first.value === null) return null
  const kind = first.value[0]
  const confirmed =
    kind?.type === 'bulk' &&
    (kind.value === 'subscribe' || kind.value === 'psubscribe' || kind.value === 'ssubscribe')
  return confirmed ? first.type : null
}

/**
 * The console line of a command's reply, raw where redis-cli prints it raw, with the count
 * of elements the worker left out of a huge reply.
 */
export function replyLine(argv: readonly string[], reply: Reply, cut = 0): ConsoleLine {
  return {
    kind: 'reply',
    reply,
    ...(cliOutputRaw(argv) ? { raw: true } : {}),
    ...(cut > 0 ? { more: cut } : {}),
  }
}

/**
 * Whether redis-cli prints this command's reply raw (redis-cli.c cliSendCommand sets
 * `output_raw` for INFO, LOLWUT, DEBUG HTSTATS / HTSTATS-KEY / CLIENT-EVICTION, MEMORY
 * MALLOC-STATS / DOCTOR, CLUSTER NODES / INFO, CLIENT LIST / INFO, LATENCY GRAPH / DOCTOR).
 */
export function cliOutputRaw(argv: readonly string[]): boolean {
  const name = argv[0]?.toLowerCase()
  const sub = argv[1]?.toLowerCase()
  const n = argv.length
  if (name === 'info' || name === 'lolwut') return true
  if (sub === undefined) return false
  if (name === 'debug')
    return sub === 'htstats' || sub === 'htstats-key' || sub === 'client-eviction'
  if (name === 'memory') return sub === 'malloc-stats' || sub === 'doctor'
  if (name === 'cluster') return n === 2 && (sub === 'nodes' || sub === 'info')
  if (name === 'client') return sub === 'list' || sub === 'info'
  if (name === 'latency') return (n === 3 && sub === 'graph') || (n === 2 && sub === 'doctor')
  return name === 'proxy' && sub === 'info'
}

const createSettingsSlice =
  (opts: StoreOptions): Slice<SettingsSlice> =>
  (set) => ({
    language: opts.language ?? 'en',
    theme: opts.theme ?? 'light',
    motion: opts.motion ?? 'system',
    traceLevel: opts.traceLevel ?? 'full',
    utf8: true,
    projector: opts.projector ?? false,
    systemReducedMotion: false,
    languageChanged: (language) => {
      set({ language }, false, 'settings/languageChanged')
    },
    themeChanged: (theme) => {
      set({ theme }, false, 'settings/themeChanged')
    },
    motionChanged: (motion) => {
      set({ motion }, false, 'settings/motionChanged')
    },
    traceLevelChanged: (traceLevel) => {
      set({ traceLevel }, false, 'settings/traceLevelChanged')
    },
    utf8Toggled: () => {
      set((s) => ({ utf8: !s.utf8 }), false, 'settings/utf8Toggled')
    },
    projectorToggled: () => {
      set((s) => ({ projector: !s.projector }), false, 'settings/projectorToggled')
    },
    systemMotionDetected: (reduce) => {
      set({ systemReducedMotion: reduce }, false, 'settings/systemMotionDetected')
    },
  })

const createUiSlice: Slice<UiSlice> = (set) => ({
  helpOpen: false,
  pinned: [],
  focus: null,
  helpToggled: () => {
    set((s) => ({ helpOpen: !s.helpOpen }), false, 'ui/helpToggled')
  },
  helpClosed: () => {
    set({ helpOpen: false }, false, 'ui/helpClosed')
  },
  panelPinned: (key) => {
    set(
      (s) => ({ pinned: s.pinned.includes(key) ? s.pinned : [...s.pinned, key] }),
      false,
      'ui/panelPinned',
    )
  },
  panelUnpinned: (key) => {
    set((s) => ({ pinned: s.pinned.filter((k) => k !== key) }), false, 'ui/panelUnpinned')
  },
  sceneFocused: (focus) => {
    set({ focus }, false, 'ui/sceneFocused')
  },
})

// --- API ---

/** Creates a fresh app store (the app makes one; every test makes its own). */
export function createAppStore(opts: StoreOptions = {}): AppStore {
  return createStore<AppState>()(
    devtools(
      subscribeWithSelector((...a) => ({
        ...createSessionSlice(opts)(...a),
        ...createPlayerSlice(...a),
        ...createSettingsSlice(opts)(...a),
        ...createUiSlice(...a),
        ...createZiplistLessonSlice(...a),
      })),
      { name: 'redis-xray', enabled: import.meta.env.DEV },
    ),
  ) as AppStore
}
