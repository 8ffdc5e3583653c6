/**
 * The bridge: the only code that writes engine-derived data into the store (style.md §7).
 *
 * It drains the store's request queue (commands, clock jumps, new clients, cancel, restore)
 * into the EngineClient, dispatches what comes back (traceReceived, tickReceived,
 * clientOpened, logAppended ...), runs the virtual clock while it is running, and keeps the
 * inspector's view in step with the playhead: whenever the playhead moves to another
 * timeline item, it asks the worker for the views at that item's log position, which the
 * worker rebuilds by deterministic replay from its nearest checkpoint (engineHost.ts).
 *
 * A tab whose connection the server closed (its last command came back `closed`) connects
 * again before its next command, as redis-cli does: a logged `reconnect` op gives it a new
 * client, and the store moves the tab to it (clientReconnected).
 *
 * Components never talk to the worker; they dispatch events to the store.
 */
import type { ClientId, InspectView } from '../engine/api.ts'
import type { StepEvent } from '../engine/events.ts'
import { isCancelled, type EngineClient, type ClientNotice } from '../worker/client.ts'
import {
  isWireConnect,
  logLength,
  type LogEntry,
  type SessionSeed,
  type WireConnect,
  type WireTick,
  type WireTrace,
} from '../worker/protocol.ts'
import { bytesToUtf8, utf8ToBytes } from './bytes.ts'
import { tabLabel } from './tabLabel.ts'
import type { AppStore } from './store.ts'
import { connectZiplistLesson } from './ziplistLesson.ts'
import {
  CLOSED_LINES,
  MAX_CONSOLE_LINES,
  QUIT_LINES,
  cliPromptAfter,
  itemFromConnect,
  itemFromTick,
  itemFromTrace,
  outputLines,
  quitClosed,
  replyLines,
  tickIsInteresting,
  tookLines,
  waitedLines,
} from './store.ts'
import type {
  BlockId,
  ClientTab,
  ConsoleLine,
  EngineRequest,
  HeldLine,
  SceneRun,
  SavedSession,
  TimelineItem,
  Waiting,
} from './types.ts'

// --- Types ---

export interface Bridge {
  /** Boots the engine: replays `saved` when given, else opens one client on a fresh seed. */
  start(saved?: SavedSession | null): Promise<void>
  /** Resolves once every queued request has been answered (tests, e2e). */
  idle(): Promise<void>
  /** Digest of the dataset at a log position (default: now). */
  digest(position?: number): Promise<string>
  /**
   * Tells the store the lines not run yet at once (it is told once per burst otherwise): the
   * page is being hidden or unloaded, and its save must hold every one of them.
   */
  flushHeldLines(): void
  stop(): void
}

export interface BridgeOptions {
  /** Virtual clock step while running, in real ms between ticks. Default 250. */
  readonly clockIntervalMs?: number
  /** Timer functions, injectable for tests. */
  readonly setInterval?: (fn: () => void, ms: number) => unknown
  readonly clearInterval?: (h: unknown) => void
}

/** Creates the client-bound notice handler the EngineClient needs at construction. */
export function noticeToStore(store: AppStore): (n: ClientNotice) => void {
  return (n) => {
    const key = n.kind === 'failed' ? 'notice.engineFailed' : `notice.restarted.${n.reason}`
    store.getState().noticeShown(key, { ops: n.ops }, n.kind === 'failed' ? 'error' : 'warn')
  }
}

/** Creates the logged-op handler that mirrors the client's log into the store. */
export function logToStore(store: AppStore): (e: LogEntry) => void {
  return (e) => {
    store.getState().logAppended(e)
  }
}

/** Views kept by (position, db, key). */
const VIEW_CACHE_SIZE = 64

// --- API ---

/** Connects a store to an engine client. The client must be created with this store's handlers. */
export function connectBridge(
  store: AppStore,
  client: EngineClient,
  opts: BridgeOptions = {},
): Bridge {
  const setIntervalFn = opts.setInterval ?? ((fn, ms) => setInterval(fn, ms))
  const clearIntervalFn =
    opts.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>))
  const clockIntervalMs = opts.clockIntervalMs ?? 250
  let chain: Promise<void> = Promise.resolve()
  let clockTimer: unknown = null
  let tickInFlight = false
  let stopped = false
  let viewToken = 0
  let viewPending: Promise<void> = Promise.resolve()
  const unsubscribers: (() => void)[] = []

  const st = () => store.getState()

  /**
   * Pipelining (a pasted block): a command that can neither block nor close a connection is
   * sent to the worker at once, without waiting for the answers of those sent before it, as
   * redis-cli sends piped input. Its answer, and the echo of the lines after it, are applied
   * to the store through `pipe`, in the order the lines came: each line still gets its own
   * console lines and timeline item, and the answers of one worker batch land in one task
   * (one render, one layout) instead of one round trip and one layout per line. Every other
   * request (a blocking command, one that may close connections, a tick ...) first waits
   * until the pipe has drained, and the work after it waits for its answer, as before.
   */
  let pipe: Promise<void> = Promise.resolve()
  /**
   * Set once a CLIENT PAUSE (any write may then block) or a client memory limit (any command
   * may then evict a client) is in the session: from then on nothing is pipelined.
   */
  let unsafe = false
  /** Pipelined execs whose answers have not been applied yet. */
  let pipedExecs = 0
  /**
   * Whether the last exec was not pipelined (it may have closed its connection: QUIT, CLIENT
   * KILL ...). The next one is not sent ahead either: it must see the answer first, so that a
   * line the closed connection refused makes the one after it reconnect (connected), as when
   * the lines are typed one by one.
   */
  let lastExecWaited = false
  /**
   * Clients a reconnect replaced, with the client that took each one's place: the lines of a
   * pasted block are entered for the tab's client at the time of the paste, and those after a
   * QUIT must follow the tab to its new connection.
   */
  const replacedBy = new Map<ClientId, ClientId>()

  /** The client now in the place of `id` (itself unless a reconnect replaced it). */
  function currentClient(id: ClientId): ClientId {
    let c = id
    for (let next = replacedBy.get(c); next !== undefined; next = replacedBy.get(c)) c = next
    return c
  }

  /** `r` addressed to the client now in the place of the one it was entered for. */
  function onCurrentClient(r: EngineRequest): EngineRequest {
    if (!('client' in r) || !replacedBy.has(r.client)) return r
    return { ...r, client: currentClient(r.client) }
  }

  function piped(apply: () => Promise<void> | void): void {
    pipe = pipe.then(apply).catch((err: unknown) => {
      console.error(err)
    })
  }

  /** Whether a request may go ahead of the answers of the lines before it. */
  function pipelinable(r: EngineRequest): boolean {
    if (r.kind === 'echo' || r.kind === 'output' || r.kind === 'pasteEnd') return true
    if (r.kind !== 'exec' || unsafe || lastExecWaited) return false
    return mayGoAhead(r)
  }

  /**
   * Whether an exec, by itself, may go ahead of the answers before it: its tab is connected
   * and not waiting, and it can neither block nor close a connection.
   */
  function mayGoAhead(r: EngineRequest & { kind: 'exec' }): boolean {
    const tab = st().tabs.find((t) => t.id === r.client)
    if (tab === undefined || tab.offline === true || tab.waiting !== undefined) return false
    return !BARRIER_COMMANDS.has((r.argv[0] ?? '').toLowerCase())
  }

  function enqueue(work: () => Promise<void>): Promise<void> {
    const run = chain.then(work).catch((err: unknown) => {
      console.error(err)
    })
    chain = run
    return run
  }

  let execsInFlight = 0

  /**
   * A tab's console lines held while it waits in a blocking command (a pasted block or a
   * scene: BLPOP q 0, then more lines): redis-cli sends the next line only once the blocking
   * one returned, so they run, in order, when the wait ends (served, timed out, Ctrl+C).
   */
  const held = new Map<ClientId, EngineRequest[]>()

  function holdIfWaiting(r: EngineRequest): boolean {
    // A scene's clock tick waits for the scene's lines held before it (blocking-list: A's
    // BLPOP jobs 5 held behind its first BLPOP until B's push, then the seconds that time
    // it out): ran at once, the tick passed before the BLPOP it was to time out began.
    if (r.kind === 'tick') {
      const queue = [...held.values()].find((q) =>
        q.some((x) => 'block' in x && x.block === r.block),
      )
      if (r.block === undefined || queue === undefined) return false
      queue.push(r)
      return true
    }
    if (r.kind !== 'exec' && r.kind !== 'echo' && r.kind !== 'output' && r.kind !== 'pasteEnd')
      return false
    const queue = held.get(r.client)
    if (queue) {
      queue.push(r)
      return true
    }
    if (st().tabs.find((t) => t.id === r.client)?.waiting === undefined) return false
    held.set(r.client, [r])
    return true
  }

  /** Runs the held lines of every tab that stopped waiting (or closed: then they go). */
  function releaseHeld(): void {
    for (const [id, queue] of held) {
      const tab = st().tabs.find((t) => t.id === id)
      if (tab?.waiting !== undefined) continue
      held.delete(id)
      if (tab) for (const r of queue) void enqueue(() => handle(r))
      else
        for (const r of queue) {
          // A scene's tick held behind the tab's lines still moves the clock.
          if (r.kind === 'tick') {
            void enqueue(() => handle(r))
            continue
          }
          lineDropped(r)
          // The tab closed: its block ends with it.
          if (r.kind === 'pasteEnd') endPaste(r.block, r.client, false)
        }
    }
    heldChanged()
  }

  /**
   * Lines entered and not yet echoed, by request seq. While a tab waits in a blocking command
   * or a long command runs, they are the lines waiting their turn: the store's heldLines, so
   * the page's save keeps them across a reload (which drops the bridge's queues).
   */
  const unechoed = new Map<number, HeldLine>()
  /**
   * The commands of a pasted block's lines not answered yet, by the line's request seq (its
   * echo's), and the line each such exec request comes from. A line of a block is done once
   * shown and answered: until then a reload would lose it, with the lines after it.
   */
  const execsOfLine = new Map<number, number>()
  const lineOfExec = new Map<number, number>()
  /** The latest line entered in each tab (its echo's seq), for the execs entered after it. */
  const lastLineOf = new Map<ClientId, number>()
  /** Lines whose echo has not been shown yet, by seq. */
  const unshown = new Set<number>()
  /** The line whose command runs alone now (a long one: the reload says it was interrupted). */
  let performing: number | null = null
  let heldTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * Tells the store the held lines, once the current burst of requests is handled: a block
   * of a thousand pasted lines is held one request at a time, and one update covers them.
   */
  function heldChanged(): void {
    if (heldTimer !== null || stopped) return
    heldTimer = setTimeout(tellHeld, 0)
  }

  function tellHeld(): void {
    if (heldTimer !== null) clearTimeout(heldTimer)
    heldTimer = null
    const s = st()
    // A pasted block still running holds its lines too: a reload in the middle of it would
    // drop those not yet run (they are offered to resume after it).
    const holding = s.running !== null || held.size !== 0 || s.pastes.length !== 0
    const lines = holding ? pendingLines() : []
    if (lines.length !== 0 || s.heldLines.length !== 0) s.heldLinesChanged(lines)
  }

  /** The lines not run yet: not shown, or shown with a command of theirs not answered. */
  function pendingLines(): HeldLine[] {
    const lines: HeldLine[] = []
    const interrupted = st().running !== null ? performing : null
    for (const [seq, line] of unechoed) if (seq !== interrupted) lines.push(line)
    return lines
  }

  /** A new session: no line of the old one is pending. */
  function forgetLines(): void {
    unechoed.clear()
    unshown.clear()
    execsOfLine.clear()
    lineOfExec.clear()
    lastLineOf.clear()
  }

  /** A request not to be run (a Stop, a closed tab): its line is pending no more. */
  function lineDropped(r: EngineRequest): void {
    if (r.kind === 'tick') tickDone(r.seq)
    else if (r.kind === 'echo') {
      unechoed.delete(r.seq)
      unshown.delete(r.seq)
      heldChanged()
    } else if (r.kind === 'exec') execDone(r.seq)
  }

  /**
   * Notes a clock tick of a block (a scene's `tick` line): pending in its place among the
   * block's lines until done, so a reload offers it with them and a resume replays it.
   */
  function tickEntered(r: EngineRequest & { kind: 'tick' }): void {
    const tab = st().pastes.find((p) => p.block === r.block)?.client
    if (r.block === undefined || tab === undefined) return
    unechoed.set(r.seq, { client: tab, text: '', tick: r.ms })
  }

  /** A block's clock tick was done (or dropped by a Stop). */
  function tickDone(seq: number): void {
    if (unechoed.delete(seq)) heldChanged()
  }

  /** Notes an exec request of a block's line, entered right after the line. */
  function execEntered(r: EngineRequest & { kind: 'exec' }): void {
    const line = lastLineOf.get(r.client)
    if (r.block === undefined || line === undefined || !unechoed.has(line)) return
    lineOfExec.set(r.seq, line)
    execsOfLine.set(line, (execsOfLine.get(line) ?? 0) + 1)
  }

  /** An exec of a block's line was answered (or failed, or was dropped by a Stop). */
  function execDone(seq: number): void {
    const line = lineOfExec.get(seq)
    if (line === undefined) return
    lineOfExec.delete(seq)
    const left = (execsOfLine.get(line) ?? 1) - 1
    if (left > 0) {
      execsOfLine.set(line, left)
      return
    }
    execsOfLine.delete(line)
    // Shown already (its echo goes before it): done.
    if (!unshown.has(line)) unechoed.delete(line)
    heldChanged()
  }

  async function handle(entered: EngineRequest): Promise<void> {
    const r = onCurrentClient(entered)
    if (stoppedLine(r)) return
    if (holdIfWaiting(r)) {
      heldChanged()
      return
    }
    if (r.kind === 'echo' && pipedExecs >= MAX_PIPELINED) {
      // A long block goes to the worker a window at a time, so that a Stop still finds
      // most of it unsent; the line waits here, its echo not yet shown.
      await pipeRoom()
      if (stoppedLine(r)) return
    }
    if (pipelinable(r)) {
      if (r.kind === 'exec') {
        st().busyChanged(++execsInFlight)
        pipedExecs++
        lastExecWaited = false
        const answer = client.exec(r.argv, r.client, progressOf(r.argv, r.client)).then(
          (trace) => {
            execDone(r.seq)
            return { trace }
          },
          (err: unknown) => {
            execDone(r.seq)
            return { err }
          },
        )
        piped(async () => {
          const settled = await answer
          pipedExecs--
          settleExec(r.client, settled)
          roomMade?.()
        })
      } else piped(() => perform(r))
      return
    }
    await pipe
    if (r.kind === 'exec') {
      if (endsPipelining(r.argv)) unsafe = true
      lastExecWaited = true
    }
    // A reconnect may have happened while the pipe drained.
    const now = onCurrentClient(r)
    await perform(now)
    // Only an exec that had to wait by itself (a barrier, a closed or waiting tab) makes the
    // next one wait for its answer: one that waited only for the exec before it did not, and
    // once it is answered the lines after it go ahead again. Otherwise a single DEBUG or
    // CONFIG line turned pipelining off for the rest of a pasted block (a scene's 420 SETs
    // after CONFIG SET hz 500 took 18 s instead of about 2).
    if (now.kind === 'exec') lastExecWaited = !mayGoAhead(now)
  }

  /** Resolves the line waiting for room in the pipeline (pipeRoom), if one waits. */
  let roomMade: (() => void) | null = null

  /** Waits until fewer than MAX_PIPELINED execs are on their way. */
  async function pipeRoom(): Promise<void> {
    while (pipedExecs >= MAX_PIPELINED)
      await new Promise<void>((resolve) => {
        roomMade = () => {
          roomMade = null
          resolve()
        }
      })
  }

  /**
   * The pasted blocks the bridge has seen requests of: whether a Stop came (`stopped`),
   * whether their lines are now being dropped (`skipping`: from the first line whose echo
   * had not been shown when it came, so that a line shown always gets its answer), how many
   * were dropped, and how many were shown.
   */
  const blocks = new Map<BlockId, BlockState>()
  let pasteTimer: ReturnType<typeof setTimeout> | null = null

  function blockOf(id: BlockId): BlockState {
    let b = blocks.get(id)
    if (!b) blocks.set(id, (b = { stopped: false, skipping: false, skipped: 0, done: 0 }))
    return b
  }

  /** Whether `r` belongs to a stopped block and is not to be run (it is then dropped). */
  function stoppedLine(r: EngineRequest): boolean {
    if (!('block' in r) || r.block === undefined || r.kind === 'pasteEnd') return false
    const b = blockOf(r.block)
    if ((r.kind === 'echo' || r.kind === 'tick') && b.stopped) b.skipping = true
    if (!b.skipping) return false
    if (r.kind === 'echo') b.skipped++
    lineDropped(r)
    return true
  }

  /**
   * Stop in a tab: every block of it running stops sending lines; a long command running on
   * the tab is cancelled and a wait in a blocking command ends (CLIENT UNBLOCK), as Ctrl+C
   * ends them on their own, so that the block's end comes now.
   */
  function stopPastes(tab: ClientId): void {
    const mine = st().pastes.filter((p) => currentClient(p.client) === currentClient(tab))
    if (mine.length === 0) return
    for (const p of mine) blockOf(p.block).stopped = true
    const id = currentClient(tab)
    if (st().running?.client === id) client.cancel()
    if (st().tabs.find((t) => t.id === id)?.waiting !== undefined) void enqueue(() => unblock(id))
  }

  /** A block's end: says how many of its lines a Stop left unrun, and forgets it. */
  function endPaste(block: BlockId, tab: ClientId, say: boolean): void {
    const b = blocks.get(block)
    blocks.delete(block)
    if (say && b !== undefined && b.skipped > 0)
      st().consoleOutputAppended(tab, [
        { kind: 'notice', key: 'console.pasteSkipped', params: { count: b.skipped } },
      ])
    st().pasteFinished(block)
  }

  /** Tells the store how far the running blocks got, once per burst of shown lines. */
  function pasteProgressed(): void {
    if (pasteTimer !== null || stopped) return
    pasteTimer = setTimeout(() => {
      pasteTimer = null
      st().pastesProgressed(new Map([...blocks].map(([id, b]) => [id, b.done])))
    }, 0)
  }

  /**
   * Ctrl+C: cancels the long command or replay that is running, never a quick line of a
   * pasted block. Those are sent ahead several at a time: the oldest one pending may not have
   * started (cancelling it would drop one line from the middle of the block, the rest of which
   * runs) or may be done with its answer on the way. A long command is never among them: it
   * is not pipelined (BARRIER_COMMANDS), and goes alone.
   */
  function cancelRunning(): void {
    if (pipedExecs === 0) client.cancel()
    else st().noticeShown('notice.pasteNotCancelled')
  }

  /** Reports a long command's progress (the console's progress line). */
  function progressOf(argv: readonly string[], id: ClientId) {
    return (done: number, total: number) => {
      if (!st().running) heldChanged()
      st().commandProgressed({ client: id, argv, done, total })
    }
  }

  /** Applies an exec's answer (its trace, or why it did not run) to the store. */
  function settleExec(
    tab: ClientId,
    answer: { readonly trace: WireTrace } | { readonly err: unknown },
  ): void {
    if ('trace' in answer) {
      if (st().running) st().commandProgressed(null)
      st().traceReceived(answer.trace)
    } else if (isCancelled(answer.err)) st().commandCancelled(tab)
    else st().commandFailed(tab, errorText(answer.err))
    if (st().running) st().commandProgressed(null)
    // Finished, failed or cancelled: the lines behind it no longer wait on it.
    if (st().heldLines.length !== 0) heldChanged()
    st().busyChanged(--execsInFlight)
  }

  /** Does a request now, in its turn. */
  async function perform(r: EngineRequest): Promise<void> {
    switch (r.kind) {
      case 'echo':
        unshown.delete(r.seq)
        // A block's line with a command not answered yet stays pending until it is.
        if (r.block === undefined || !execsOfLine.has(r.seq)) unechoed.delete(r.seq)
        heldChanged()
        st().inputEchoed(r.client, r.text)
        if (r.block !== undefined) {
          blockOf(r.block).done++
          pasteProgressed()
        }
        return
      case 'pasteEnd':
        endPaste(r.block, r.client, true)
        return
      case 'pasteStop':
        return
      case 'output':
        st().consoleOutputAppended(r.client, r.lines)
        return
      case 'clear':
        st().consoleCleared(r.client)
        return
      case 'exec': {
        st().busyChanged(++execsInFlight)
        let answer: { readonly trace: WireTrace } | { readonly err: unknown }
        performing = lineOfExec.get(r.seq) ?? null
        try {
          const id = await connected(r.client)
          answer = { trace: await client.exec(r.argv, id, progressOf(r.argv, id)) }
        } catch (err) {
          answer = { err }
        } finally {
          performing = null
        }
        execDone(r.seq)
        settleExec(r.client, answer)
        return
      }
      case 'tick':
        await tick(r.ms)
        tickDone(r.seq)
        return
      case 'openClient': {
        const id = await client.createClient()
        st().clientOpened(id)
        return
      }
      case 'closeClient':
        await client.closeClient(r.client)
        return
      case 'cancel':
        client.cancel()
        return
      case 'unblock':
        await unblock(r.client)
        return
      case 'crash':
        await client.crash().catch(() => undefined)
        return
      case 'restore':
        held.clear()
        forgetLines()
        heldChanged()
        await restore(r.saved)
        return
      case 'reset':
        held.clear()
        forgetLines()
        heldChanged()
        await restore({ v: 1, session: r.session, log: [], tabs: [], active: null })
        return
    }
  }

  /**
   * The client a tab's command runs on: its own, or, when the server closed that connection,
   * a new one made for it first (redis-cli's cliConnect before the next command).
   */
  async function connected(id: ClientId): Promise<ClientId> {
    if (st().tabs.find((t) => t.id === id)?.offline !== true) return id
    const connect = await client.reconnect(id)
    replacedBy.set(connect.replaces, connect.connected)
    st().clientReconnected(connect)
    return connect.connected
  }

  /**
   * Ctrl+C on a tab waiting in BLPOP: what a learner would do in Redis, from another
   * connection: CLIENT UNBLOCK <id> (TIMEOUT semantics, so the waiting tab prints the
   * timeout reply and keeps its connection, db and name). The other connection is opened for
   * it and closed after; all three are ordinary logged ops, so a replay does the same. The
   * CLIENT UNBLOCK appears in the timeline (and to MONITOR) as the command that did it.
   */
  async function unblock(blocked: ClientId): Promise<void> {
    if (st().tabs.find((t) => t.id === blocked)?.waiting === undefined) return
    try {
      const helper = await client.createClient()
      try {
        const trace = await client.exec(['CLIENT', 'UNBLOCK', String(blocked)], helper)
        st().traceReceived(trace)
        // 0: the tab waits on CLIENT PAUSE, which CLIENT UNBLOCK cannot end (in Redis 7.0.15
        // its TIMEOUT form even crashes the server): say what does end it.
        const r = trace.reply
        if (r.type === 'integer' && Number(r.value) === 0)
          st().noticeShown('notice.heldByPause', { client: blocked })
      } finally {
        await client.closeClient(helper)
      }
    } catch (err) {
      st().commandFailed(blocked, errorText(err))
    }
  }

  async function tick(ms: number): Promise<void> {
    try {
      st().tickReceived(await client.advanceClock(ms))
    } catch (err) {
      st().noticeShown('notice.error', { message: errorText(err) }, 'error')
    }
  }

  /** Replays a saved session with traces, then rebuilds the console tabs from them. */
  async function restore(saved: SavedSession): Promise<void> {
    viewCache.clear()
    // A new session numbers its clients anew.
    replacedBy.clear()
    unsafe =
      Object.keys(saved.session.config).some((k) => k.toLowerCase() === 'maxmemory-clients') ||
      saved.log.some((e) => e.t === 'exec' && endsPipelining(e.argv))
    // The worker reports progress only every few hundred ops: a log of one long command
    // (DEBUG POPULATE 1000000) read "Replaying the session… 0/0" until it was done.
    st().engineStatusChanged('replaying', { done: 0, total: logLength(saved.log) })
    // A permalink's step is counted at its author's trace level: replay at that level, so
    // the timeline has the author's steps, then go back to the reader's for new commands.
    const level = saved.at?.level ?? st().traceLevel
    if (level !== st().traceLevel) await client.setTraceLevel(level)
    let result: Awaited<ReturnType<typeof client.replay>>
    try {
      result = await client.replay(saved.session, saved.log, true, (done, total) => {
        st().engineStatusChanged('replaying', { done, total })
      })
    } finally {
      if (level !== st().traceLevel) await client.setTraceLevel(st().traceLevel)
    }
    const items: TimelineItem[] = []
    for (const t of result.traces) {
      if (isWireConnect(t)) items.push(itemFromConnect(t))
      else if ('seq' in t) {
        if (t.closed !== true) items.push(itemFromTrace(t))
      } else if (tickIsInteresting(t)) items.push(itemFromTick(t))
    }
    const tabs = withNotRun(rebuildTabs(saved, result.traces), saved)
    let active = saved.active
    if (tabs.length === 0) {
      const id = await client.createClient()
      tabs.push({ id, label: tabLabel(id), db: 0, lines: [] })
      active = id
    }
    st().sessionRestored({
      session: saved.session,
      log: client.log(),
      tabs,
      active,
      items,
      now: result.now,
      ...(saved.at ? { at: saved.at } : {}),
      ...(saved.pinned ? { pinned: saved.pinned } : {}),
      ...resumableOf(saved),
    })
  }

  function syncClock(): void {
    const { running } = st().clock
    const want = running && st().status === 'ready' && !stopped
    if (want && clockTimer === null) {
      clockTimer = setIntervalFn(() => {
        // Skip a beat rather than pile ticks up behind a long command.
        if (tickInFlight || client.busy()) return
        tickInFlight = true
        void enqueue(() => tick(clockIntervalMs * st().clock.speed)).finally(() => {
          tickInFlight = false
        })
      }, clockIntervalMs)
    } else if (!want && clockTimer !== null) {
      clearIntervalFn(clockTimer)
      clockTimer = null
    }
  }

  /**
   * Views at a log position never change (the log only grows, and a restore clears the
   * cache), so the "before" of a new command is usually the "after" already fetched for the
   * previous one. `at` undefined asks the live engine, which stands at `position`.
   */
  const viewCache = new Map<string, Promise<InspectView | null>>()
  function inspectAt(
    key: string | null,
    db: number,
    at: number | undefined,
    position: number,
    server?: 'clients',
  ): Promise<InspectView | null> {
    const id = `${String(position)}|${String(db)}|${key ?? ''}${server === undefined ? '' : `|${server}`}`
    let v = viewCache.get(id)
    if (!v) {
      v = server === undefined ? client.inspect(key, db, at) : client.inspect(null, db, at, server)
      v.catch(() => viewCache.delete(id))
      viewCache.set(id, v)
      if (viewCache.size > VIEW_CACHE_SIZE) {
        const oldest = viewCache.keys().next().value
        if (oldest !== undefined) viewCache.delete(oldest)
      }
    }
    return v
  }

  /**
   * Asks the worker for the views before and after the playhead's item (time travel): the
   * worker rebuilds past positions by replaying from its nearest checkpoint.
   */
  function refreshView(): void {
    const s = st()
    if (s.status !== 'ready') return
    const item = s.items[s.playhead.item]
    const position = item?.position ?? 0
    // A scene's key stands in for a command that touches none (CONFIG SET, DBSIZE), so the
    // structure the scene is about stays on screen.
    const focusKey = s.focus?.kind === 'key' ? s.focus.key : null
    // EXEC names no key, but its queued commands do: the first key their steps touch. A
    // typo or a wrong number of arguments names none either: the key on screen stays, as for
    // a clock tick (the diagram a newcomer was looking at vanished on a mistyped command).
    const onScreen = s.view?.key ?? null
    const key =
      item?.kind === 'command'
        ? (item.key ??
          (isExec(item.argv) ? keyOfEvents(item.events) : null) ??
          (item.reply?.type === 'error' ? onScreen : null) ??
          focusKey)
        : (keyOfEvents(item?.events ?? []) ?? onScreen ?? focusKey)
    const db = item?.db ?? 0
    const token = ++viewToken
    // Always at the item's own log position: the live engine may stand past it (clock ticks
    // that changed nothing visible, or the next commands of a scene or a pasted block, queued
    // at once and run before this request reaches the worker), and its view would be cached
    // as this item's for good.
    const after = s.items.length === 0 ? undefined : position
    const before = Math.max(0, position - 1)
    const withClients = item !== undefined && concernsClients(item)
    const pair = async (at: number | undefined) => {
      const [keyView, keyspace, clients] = await Promise.all([
        key === null ? Promise.resolve(null) : inspectAt(key, db, at, at ?? position),
        inspectAt(null, db, at, at ?? position),
        withClients ? inspectAt(null, 0, at, at ?? position, 'clients') : Promise.resolve(null),
      ])
      return withClients ? { keyView, keyspace, clients } : { keyView, keyspace }
    }
    viewPending = (async () => {
      const b = item ? await pair(before) : { keyView: null, keyspace: null }
      const a = await pair(after)
      const pinned = await Promise.all(
        s.pinned.map(async (k) => ({ key: k, view: await client.inspect(k, db, after) })),
      )
      if (token !== viewToken) return
      st().viewReceived({ position, db, key, before: b, after: a, pinned })
    })().catch(() => undefined)
  }

  let refreshTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * Refreshes the views at once, or, while pipelined commands are landing, once per burst:
   * a view per landed line would send the worker a few time-travel rebuilds per pasted line,
   * each one for an item the playhead has already left.
   */
  function scheduleRefresh(): void {
    if (execsInFlight === 0 && refreshTimer === null) {
      refreshView()
      return
    }
    if (refreshTimer !== null || stopped) return
    refreshTimer = setTimeout(() => {
      refreshTimer = null
      refreshView()
    }, 0)
  }

  unsubscribers.push(
    store.subscribe(
      (s) => s.requests,
      (requests) => {
        if (requests.length === 0) return
        st().requestsTaken(requests.map((r) => r.seq))
        for (const r of requests) {
          if (r.kind === 'echo') {
            unechoed.set(r.seq, { client: r.client, text: r.text })
            unshown.add(r.seq)
            lastLineOf.set(r.client, r.seq)
          } else if (r.kind === 'exec') execEntered(r)
          else if (r.kind === 'tick') tickEntered(r)
          if (r.kind === 'cancel') cancelRunning()
          else if (r.kind === 'pasteStop') stopPastes(r.client)
          else void enqueue(() => handle(r))
        }
        if (unechoed.size !== 0) heldChanged()
      },
    ),
    store.subscribe(
      (s) => s.tabs,
      () => {
        if (held.size !== 0) releaseHeld()
      },
    ),
    store.subscribe(
      (s) => [s.clock.running, s.clock.speed, s.status] as const,
      () => {
        syncClock()
      },
      { equalityFn: (a, b) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] },
    ),
    store.subscribe(
      (s) =>
        [
          s.playhead.item,
          s.items.at(s.playhead.item)?.position ?? 0,
          s.status,
          s.pinned,
          s.focus,
        ] as const,
      () => {
        scheduleRefresh()
      },
      { equalityFn: (a, b) => a.every((x, i) => x === b[i]) },
    ),
    store.subscribe(
      (s) => s.traceLevel,
      (level) => {
        void enqueue(() => client.setTraceLevel(level))
      },
    ),
    connectZiplistLesson(store, client, enqueue),
  )

  return {
    async start(saved) {
      await client.start()
      await client.setTraceLevel(st().traceLevel)
      const commands = await client.commands().catch(() => [])
      st().engineReady(commands)
      await enqueue(() =>
        restore(saved ?? { v: 1, session: st().session, log: [], tabs: [], active: null }),
      )
      refreshView()
    },
    async idle() {
      // Requests may enqueue more work (a restore opens a client): wait until quiet.
      for (;;) {
        const before = chain
        const view = viewPending
        const piping = pipe
        await before
        await view
        await piping
        await new Promise((r) => setTimeout(r, 0))
        if (
          chain === before &&
          viewPending === view &&
          pipe === piping &&
          refreshTimer === null &&
          st().requests.length === 0
        )
          return
      }
    },
    digest: (position) => client.digest(position),
    flushHeldLines() {
      if (!stopped) tellHeld()
    },
    stop() {
      stopped = true
      for (const u of unsubscribers) u()
      if (clockTimer !== null) clearIntervalFn(clockTimer)
      clockTimer = null
      if (heldTimer !== null) clearTimeout(heldTimer)
      heldTimer = null
      if (refreshTimer !== null) clearTimeout(refreshTimer)
      refreshTimer = null
      if (pasteTimer !== null) clearTimeout(pasteTimer)
      pasteTimer = null
    },
  }
}

// --- Helpers ---

/**
 * Most execs of pasted lines on their way to the worker at once: enough to keep it busy
 * (its answers come back in batches), few enough that a Stop leaves the rest of a long
 * block unsent, so not run.
 */
export const MAX_PIPELINED = 64

/** What the bridge knows of a pasted block (stoppedLine). */
interface BlockState {
  stopped: boolean
  skipping: boolean
  skipped: number
  done: number
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Commands that are never pipelined (bridge: pipelinable): those that can block their client
 * (the lines after them are held until they return), that can close connections or end a
 * wait (CLIENT KILL, ACL DELUSER, QUIT, RESET ...), that run long with a progress line and
 * Ctrl+C (DEBUG POPULATE), and EXEC, which runs any of them at once.
 */
const BARRIER_COMMANDS: ReadonlySet<string> = new Set([
  'blpop',
  'brpop',
  'brpoplpush',
  'blmove',
  'blmpop',
  'bzpopmin',
  'bzpopmax',
  'bzmpop',
  'xread',
  'xreadgroup',
  'wait',
  'quit',
  'client',
  'acl',
  'auth',
  'hello',
  'reset',
  'exec',
  'debug',
  'shutdown',
  'failover',
  'replicaof',
  'slaveof',
  'monitor',
  'config',
])

/**
 * CLIENT PAUSE (while it lasts, a write, or any command with ALL, blocks its client) and
 * CONFIG SET maxmemory-clients (any command may then evict a client): the lines after them
 * are never pipelined, for the rest of the session.
 */
function endsPipelining(argv: readonly string[]): boolean {
  const lower = argv.map((a) => a.toLowerCase())
  if (lower[0] === 'client') return lower[1] === 'pause'
  return lower[0] === 'config' && lower.includes('maxmemory-clients')
}

/** Commands whose item shows the clients panel (transactions and Pub/Sub). */
const CLIENTS_COMMANDS: ReadonlySet<string> = new Set([
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'publish',
  'spublish',
  'reset',
])

/**
 * Whether a timeline item concerns the server's transaction, Pub/Sub and client-side caching
 * state: a command named in CLIENTS_COMMANDS, CLIENT TRACKING or CACHING, a reply of QUEUED,
 * or any multi/*, pubsub/*, tracking/*, blocking/* or client/* step (a SET that touched a
 * watched or tracked key, an LPUSH that served a client blocked in BLPOP).
 */
export function concernsClients(item: {
  readonly argv: readonly string[]
  readonly reply: { readonly type: string; readonly value?: unknown } | null
  readonly events: readonly StepEvent[]
}): boolean {
  if (CLIENTS_COMMANDS.has((item.argv[0] ?? '').toLowerCase())) return true
  if (item.reply?.type === 'simple' && item.reply.value === 'QUEUED') return true
  // CLIENT TRACKING and CLIENT CACHING change what the panel shows of client-side caching.
  const sub = (item.argv[1] ?? '').toLowerCase()
  if ((item.argv[0] ?? '').toLowerCase() === 'client' && (sub === 'tracking' || sub === 'caching'))
    return true
  return item.events.some(
    (e) =>
      e.type.startsWith('multi/') ||
      e.type.startsWith('pubsub/') ||
      e.type.startsWith('tracking/') ||
      e.type.startsWith('blocking/') ||
      e.type.startsWith('client/'),
  )
}

/** The first key an event names (a tick's expired or rehashed key), for the inspector. */
function isExec(argv: readonly string[]): boolean {
  return argv.length === 1 && argv[0]?.toLowerCase() === 'exec'
}

function keyOfEvents(events: readonly StepEvent[]): string | null {
  for (const e of events) if ('key' in e && typeof e.key === 'string') return e.key
  return null
}

/**
 * The lines a reload left unrun, to offer to run: the long command it interrupted, then the
 * lines that waited behind it, a blocking command or in a pasted block.
 */
function resumableOf(saved: SavedSession): {
  resumable?: readonly HeldLine[]
  resumableScene?: SceneRun
} {
  const cmd = saved.interrupted
  const lines = [
    ...(cmd ? [{ client: cmd.client, text: displayArgv(cmd.argv) }] : []),
    ...(saved.held ?? []),
  ]
  if (lines.length === 0) return {}
  return saved.scene ? { resumable: lines, resumableScene: saved.scene } : { resumable: lines }
}

/**
 * Shows again, in their tabs, the long command a reload interrupted and the lines that
 * waited their turn behind it or a blocking command: none reached the log, so the replay
 * knows nothing of them, and they used to vanish without a word. Each is noted as not run.
 */
function withNotRun(tabs: ClientTab[], saved: SavedSession): ClientTab[] {
  const cmd = saved.interrupted
  const held = saved.held ?? []
  if (!cmd && held.length === 0) return tabs
  return tabs.map((t) => {
    const input = (text: string): ConsoleLine => ({
      kind: 'input',
      text,
      db: t.db,
      ...(t.multi === true ? { multi: true } : {}),
    })
    const lines: ConsoleLine[] = []
    if (cmd?.client === t.id)
      lines.push(input(displayArgv(cmd.argv)), {
        kind: 'notice',
        key: 'console.interruptedByReload',
      })
    // A held clock tick has no line of its own: it is run again with the lines around it.
    const mine = held.filter((l) => l.client === t.id && l.tick === undefined)
    if (mine.length > 0)
      lines.push(...mine.map((l) => input(l.text)), { kind: 'notice', key: 'console.heldByReload' })
    return lines.length === 0 ? t : { ...t, lines: [...t.lines, ...lines] }
  })
}

/**
 * Rebuilds each tab's console from the replayed traces of its client, and the lines the
 * server pushed to it (MONITOR), in the order they came, keeping the last MAX_CONSOLE_LINES.
 * A command that found its connection closed leaves the tab offline; a reconnect moves the
 * lines and the prompt (redis-cli keeps its [db] and (TX)) on to the new client.
 */
function rebuildTabs(
  saved: SavedSession,
  traces: readonly (WireTrace | WireTick | WireConnect)[],
): ClientTab[] {
  const lines = new Map<ClientId, ConsoleLine[]>()
  const prompts = new Map<ClientId, { db: number; multi: boolean }>()
  const offline = new Set<ClientId>()
  // A client that just replaced a closed one: its first line was typed at "not connected> ".
  const reconnected = new Set<ClientId>()
  const linesOf = (client: ClientId): ConsoleLine[] => {
    let list = lines.get(client)
    if (!list) lines.set(client, (list = []))
    return list
  }
  const waits = new Map<ClientId, Waiting>()
  for (const t of traces) {
    if (isWireConnect(t)) {
      lines.set(t.connected, [...(lines.get(t.replaces) ?? []), ...(lines.get(t.connected) ?? [])])
      lines.delete(t.replaces)
      const prompt = prompts.get(t.replaces)
      if (prompt) prompts.set(t.connected, prompt)
      offline.delete(t.replaces)
      reconnected.add(t.connected)
      continue
    }
    if ('seq' in t) {
      const list = linesOf(t.client)
      const prompt = prompts.get(t.client) ?? { db: 0, multi: false }
      const off =
        offline.has(t.client) || reconnected.delete(t.client) ? { offline: true as const } : {}
      list.push({
        kind: 'input',
        text: displayArgv(t.argv),
        ...prompt,
        ...off,
        position: t.position,
      })
      if (t.closed) {
        list.push(...CLOSED_LINES)
        offline.add(t.client)
      } else if (t.blocked) waits.set(t.client, { argv: t.argv, since: t.at })
      else {
        list.push(...replyLines(t.argv, t.reply, t.replyCut), ...tookLines(t))
        prompts.set(t.client, cliPromptAfter(prompt, t.argv, t.reply))
        if (quitClosed(t.argv, t.reply)) {
          list.push(...QUIT_LINES)
          offline.add(t.client)
        }
      }
    }
    for (const [client, text] of t.output ?? []) linesOf(client).push(...outputLines(text))
    for (const client of t.unblocked ?? []) {
      const waiting = waits.get(client)
      if (waiting === undefined) continue
      waits.delete(client)
      if (t.lost?.includes(client) === true) {
        linesOf(client).push(...CLOSED_LINES)
        offline.add(client)
      }
      linesOf(client).push(...waitedLines(waiting, t.at, !('seq' in t)))
    }
  }
  return saved.tabs.map((tab) => {
    const waiting = waits.get(tab.id)
    return {
      id: tab.id,
      label: tab.label,
      ...(prompts.get(tab.id) ?? { db: 0, multi: false }),
      ...(offline.has(tab.id) ? { offline: true as const } : {}),
      lines: (lines.get(tab.id) ?? []).slice(-MAX_CONSOLE_LINES),
      ...(waiting ? { waiting } : {}),
    }
  })
}

/**
 * Shows argv as a line the user could type again: valid UTF-8 as text, arguments with
 * spaces, quotes or non-printable bytes in double quotes with redis-cli escapes.
 */
export function displayArgv(argv: readonly string[]): string {
  return argv.map(displayArg).join(' ')
}

/** Most characters of a command line a caption or a progress line shows. */
export const MAX_COMMAND_CHARS = 80

/**
 * A command line as a one-line label: displayArgv, cut after MAX_COMMAND_CHARS with "…"
 * (an HSET of 5,000 fields must not fill the screen).
 */
export function displayCommand(argv: readonly string[]): string {
  // Only the start of each argument can show (a UTF-8 character is at most 4 bytes): a 10 MB
  // argument is not decoded and quoted whole for an 80-character caption.
  const head = argv.length > MAX_COMMAND_CHARS ? argv.slice(0, MAX_COMMAND_CHARS) : argv
  const text = displayArgv(
    head.map((a) => (a.length > 4 * MAX_COMMAND_CHARS ? a.slice(0, 4 * MAX_COMMAND_CHARS) : a)),
  )
  return text.length > MAX_COMMAND_CHARS ? `${text.slice(0, MAX_COMMAND_CHARS - 1)}…` : text
}

/** Tells whether text needs no quoting: no spaces, quotes, backslashes or control codes. */
function isPlainWord(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if (c <= 0x20 || c === 0x7f || ch === '"' || ch === "'" || ch === '\\') return false
  }
  return true
}

function displayArg(a: string): string {
  const text = bytesToUtf8(a)
  const readable = utf8ToBytes(text) === a
  if (readable && a !== '' && isPlainWord(text)) return text
  let out = '"'
  for (let i = 0; i < (readable ? text.length : a.length); i++) {
    const src = readable ? text : a
    const c = src.charCodeAt(i)
    const ch = src[i] ?? ''
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (c === 10) out += '\\n'
    else if (c === 13) out += '\\r'
    else if (c === 9) out += '\\t'
    else if (c >= 0x20 && c !== 0x7f && (c < 0x80 || (readable && c >= 0xa0))) out += ch
    else out += `\\x${c.toString(16).padStart(2, '0')}`
  }
  return `${out}"`
}

export type { SessionSeed }
