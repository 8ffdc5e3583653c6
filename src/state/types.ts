/**
 * The discrete facts the store holds (style.md §7): timeline items, console lines, client
 * tabs, the inspector's view. Animation progress never lives here.
 */
import type { ClientId, InspectView } from '../engine/api.ts'
import type { StepEvent, TraceLevel } from '../engine/events.ts'
import type { Reply } from '../engine/reply.ts'
import type { LogEntry, SessionSeed } from '../worker/protocol.ts'

/**
 * One entry of the timeline: a command's trace, a clock tick that did something, or a
 * console tab connecting again after the server closed its connection (`client` is the new
 * client; its events say which one it replaces).
 */
export interface TimelineItem {
  readonly kind: 'command' | 'tick' | 'connect'
  /** Log position after this item (ops applied): where time travel goes to show it. */
  readonly position: number
  readonly client: ClientId | null
  readonly db: number
  /** Byte strings; empty for a tick. */
  readonly argv: readonly string[]
  /** Virtual ms. */
  readonly at: number
  readonly reply: Reply | null
  readonly events: readonly StepEvent[]
  /** Events the worker dropped past its cap. */
  readonly dropped: number
  /** A command's first key (WireTrace.key), shown by the panels; absent when it has none. */
  readonly key?: string
  /** How many distinct keys a command names, when more than one (WireTrace.keys). */
  readonly keys?: number
}

/**
 * Where the player stands: `item` indexes the timeline (-1: before everything), `step` is
 * how many of that item's events have been shown (0..events.length).
 */
export interface Playhead {
  readonly item: number
  readonly step: number
}

/** A line in a console tab. Replies are kept as data and formatted when rendered. */
export type ConsoleLine =
  | {
      readonly kind: 'input'
      readonly text: string
      /** The prompt's state when the line was entered: [db] and (TX). */
      readonly db: number
      readonly multi?: boolean
      /** Entered at redis-cli's "not connected> " prompt (ClientTab.offline). */
      readonly offline?: true
      /**
       * The log position (TimelineItem.position) of the command the line ran, once it has
       * answered: an embed's console shows the lines up to its playhead (linesAtPosition).
       * Absent on a line that ran no command (HELP, a typo's parse error) or not yet.
       */
      readonly position?: number
    }
  | {
      readonly kind: 'reply'
      readonly reply: Reply
      /** Printed raw, as redis-cli prints INFO, CLIENT LIST, DEBUG HTSTATS (cliOutputRaw). */
      readonly raw?: boolean
      /** Lines of the reply the worker did not send (past MAX_WIRE_REPLY_LINES). */
      readonly more?: number
    }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string }
  /** A message of the app itself (an i18n key and its params), e.g. "(cancelled)". */
  | {
      readonly kind: 'notice'
      readonly key: string
      readonly params?: Readonly<Record<string, string | number>>
    }
  /**
   * A line the server pushed to this connection outside request and reply: MONITOR's report
   * of a command some client ran, as redis-cli prints it (the status text, without '+').
   */
  | { readonly kind: 'monitor'; readonly text: string }

export interface ClientTab {
  readonly id: ClientId
  readonly label: string
  /** What redis-cli's prompt shows for this connection: the SELECTed db and (TX). */
  readonly db: number
  readonly multi?: boolean
  /**
   * The server closed this connection (CLIENT KILL from another tab, ACL DELUSER ...) and the
   * console found out at its last command, as redis-cli does ("Error: Server closed the
   * connection"), or the tab's own QUIT closed it (quitClosed): the prompt reads "not connected> " and the next command connects again
   * first (a new client id). [db] and (TX) stay as they were, as redis-cli 7.0 keeps them.
   * Absent while connected.
   */
  readonly offline?: true
  readonly lines: readonly ConsoleLine[]
  /**
   * The connection waits in a blocking command (BLPOP queue 0): its input is closed until the
   * late reply arrives (WireWaits.unblocked) or Ctrl+C unblocks it. Absent when not waiting.
   */
  readonly waiting?: Waiting
}

/** A tab's blocking command: what it runs and the virtual ms it started at. */
export interface Waiting {
  readonly argv: readonly string[]
  readonly since: number
}

/**
 * Something the UI asked for; the bridge drains the queue in order, so console echoes,
 * local output (HELP) and clears interleave with replies exactly as typed, even when a
 * pasted block is still running.
 */
export type EngineRequest =
  | {
      readonly kind: 'exec'
      readonly seq: number
      readonly argv: readonly string[]
      readonly client: ClientId
      readonly block?: BlockId
    }
  | {
      readonly kind: 'echo'
      readonly seq: number
      readonly client: ClientId
      readonly text: string
      readonly block?: BlockId
    }
  | {
      readonly kind: 'output'
      readonly seq: number
      readonly client: ClientId
      readonly lines: readonly ConsoleLine[]
      readonly block?: BlockId
    }
  | {
      readonly kind: 'clear'
      readonly seq: number
      readonly client: ClientId
      readonly block?: BlockId
    }
  | { readonly kind: 'tick'; readonly seq: number; readonly ms: number; readonly block?: BlockId }
  /**
   * The last request of a pasted block, after all of its lines: the bridge ends the block
   * there (and says how many of its lines a Stop left unrun).
   */
  | {
      readonly kind: 'pasteEnd'
      readonly seq: number
      readonly client: ClientId
      readonly block: BlockId
    }
  /** Stop (or Ctrl+C) while a pasted block runs in a tab: its lines not yet sent are dropped. */
  | { readonly kind: 'pasteStop'; readonly seq: number; readonly client: ClientId }
  | { readonly kind: 'openClient'; readonly seq: number }
  | { readonly kind: 'closeClient'; readonly seq: number; readonly client: ClientId }
  | { readonly kind: 'cancel'; readonly seq: number }
  /** Ctrl+C on a tab waiting in BLPOP: CLIENT UNBLOCK it from a short-lived connection. */
  | { readonly kind: 'unblock'; readonly seq: number; readonly client: ClientId }
  | { readonly kind: 'crash'; readonly seq: number }
  | { readonly kind: 'restore'; readonly seq: number; readonly saved: SavedSession }
  | { readonly kind: 'reset'; readonly seq: number; readonly session: SessionSeed }

/** Numbers a pasted block; its lines' requests carry it (EngineRequest.block). */
export type BlockId = number

/**
 * A block of lines pasted in a tab (or a scene's lines), running: the console shows how far
 * it got and a Stop button. `done`: lines the console has shown so far (their echo).
 */
export interface PastedBlock {
  readonly block: BlockId
  readonly client: ClientId
  readonly lines: number
  readonly done: number
  /**
   * Pasted by the learner, or a scene's script: a scene's lines stay out of the console
   * history (↑ recalls what the learner typed or pasted, not 700 lines of a scene).
   */
  readonly source: 'paste' | 'scene'
  /** The scene whose lines these are (absent for a learner's paste). */
  readonly scene?: SceneRun
}

/**
 * A scene's run: what it is about and where its commands start, so that its lines a reload
 * left unrun, once run, end as the scene does (its key's panel first, played from its first
 * command), not as a plain paste.
 */
export interface SceneRun {
  /**
   * The scene's id (scenes.ts), for the header's summary and notes: a scene a link started
   * (`?scene=`) ran with neither. Absent on a scene resumed after a reload.
   */
  readonly id?: string
  readonly focus: PanelFocus
  /** The timeline index of its first command. */
  readonly first: number
  /** How many commands it runs in all. */
  readonly commands: number
  /** Its unrun lines run after a reload (runScene plays the scene it starts itself). */
  readonly resumed?: true
}

/** A command the engine runs in slices: what the console's progress line shows. */
export interface RunningCommand {
  readonly client: ClientId
  readonly argv: readonly string[]
  /** Work units done of total (keys for DEBUG POPULATE). */
  readonly done: number
  readonly total: number
}

/** Views of the keyspace and of one key at one log position. */
export interface ViewPair {
  readonly keyView: InspectView | null
  readonly keyspace: InspectView | null
  /**
   * The clients view (inspect(null, { server: 'clients' })), fetched only when the item
   * concerns transactions or Pub/Sub (bridge.ts concernsClients); absent otherwise.
   */
  readonly clients?: InspectView | null
}

/**
 * What the panels show for the playhead's item: the views before and after it (panels fold
 * the item's events from `before`, and settle on `after`), and the pinned keys after it.
 */
export interface InspectorView {
  /** Log position after the item. */
  readonly position: number
  readonly db: number
  readonly key: string | null
  readonly before: ViewPair
  readonly after: ViewPair
  readonly pinned: readonly { readonly key: string; readonly view: InspectView | null }[]
}

export type EngineStatus = 'booting' | 'ready' | 'replaying' | 'failed'

/** A one-line message for the user: an i18n key and its params. */
export interface Notice {
  readonly id: number
  readonly key: string
  readonly params: Readonly<Record<string, string | number>>
  readonly tone: 'info' | 'warn' | 'error'
}

/** The persisted session: enough to rebuild everything by replay. */
export interface SavedSession {
  readonly v: 1
  readonly session: SessionSeed
  readonly log: readonly LogEntry[]
  readonly tabs: readonly { readonly id: ClientId; readonly label: string }[]
  readonly active: ClientId | null
  readonly traceLevel?: TraceLevel
  /**
   * Where the playhead stood (a permalink opens on the step its author was looking at): the
   * log position of its item (0: before the first command) and the step within it. Absent:
   * at the end.
   */
  readonly at?: PlayheadMark
  /**
   * A long command (DEBUG POPULATE 1000000) still running when the page was saved for a
   * reload: it never reached the log, so the console shows it again after the reload, noted
   * as interrupted and not run. Only the page's own save carries it (not permalinks, files).
   */
  readonly interrupted?: InterruptedCommand
  /**
   * Lines entered after a blocking or long command, still waiting their turn when the page
   * was saved for a reload: the console shows them again after the reload, noted as not run
   * (they are not run). Only the page's own save carries them (not permalinks, files).
   */
  readonly held?: readonly HeldLine[]
  /** The scene the held lines are the rest of. Only the page's own save carries it. */
  readonly scene?: SceneRun
  /**
   * Keys pinned beside the command's key: the page's own save keeps them, so a reload shows
   * the same panels (not permalinks and files, which open a scene, not a reader's layout).
   */
  readonly pinned?: readonly string[]
}

/**
 * A console line waiting its turn behind a blocking or long command (or in a pasted block or
 * scene): its tab and text. A scene's clock tick is held in its place among them (`tick`: the
 * ms the virtual clock jumps; text ''), so that running them after a reload is the scene again.
 */
export interface HeldLine {
  readonly client: ClientId
  readonly text: string
  readonly tick?: number
}

/** The command a reload interrupted: its tab and argv. */
export interface InterruptedCommand {
  readonly client: ClientId
  readonly argv: readonly string[]
}

/** A playhead that survives a replay: its item by log position, and the step. */
export interface PlayheadMark {
  readonly position: number
  readonly step: number
  /**
   * The trace level the step is counted at (the author's): step 9 of a summary trace is the
   * intset upgrade, step 9 of the full trace a binary search before it. A restore replays
   * the log at this level so that the step names the same event. Absent: the reader's level.
   */
  readonly level?: TraceLevel
}

/**
 * What a running scene is about (scenes.ts `focus`): one key, whose panel stands in for a
 * command that touches no key of its own (CONFIG SET, DBSIZE), or the keyspace dict, shown
 * first in the panel area so that it is on screen without scrolling.
 */
export type PanelFocus =
  { readonly kind: 'keyspace' } | { readonly kind: 'key'; readonly key: string }
