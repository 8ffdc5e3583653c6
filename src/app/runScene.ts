/**
 * Running a scene (src/lessons/scenes.ts): its lines go to a console tab as a pasted block
 * (those for a second connection to a second tab), `tick` lines advance the virtual clock, and once every command has answered the playhead
 * goes back to the first and plays them in order. Used by the scenes menu and by a link's
 * `?scene=<id>` (an embed showing a scene with no permalink).
 */
import { parseCommandLine } from '../console/parseCommandLine.ts'
import type { Scene } from '../lessons/scenes.ts'
import { useEffect } from 'react'
import type { AppStore } from '../state/store.ts'
import type { ClientId } from '../engine/api.ts'
import type { BlockId, PanelFocus } from '../state/types.ts'
import { MAX_AUTOPLAY_STEPS } from '../state/store.ts'

/** Most long commands (one pause of playback each) a scene plays through from its start. */
const MAX_SCENE_PAUSES = 3

/**
 * A scene is a story: once all its commands have answered, the playhead goes back to the
 * first of them and plays them in order (arriving traces each jump to the newest, so
 * otherwise only the last command would be seen), pausing at the end of each long one.
 */
function playFromStartWhenAnswered(
  store: AppStore,
  first: number,
  commands: number,
  block: number,
  tabs: readonly ClientId[] | null = null,
): void {
  const stop = store.subscribe((st) => {
    if (st.items.length < first) {
      stop() // a new session started meanwhile
      return
    }
    const played = st.items.slice(first)
    if (played.filter((x) => x.kind === 'command').length < commands) {
      // Stopped part way (the console's Stop): the lines after it never run.
      if (!st.pastes.some((p) => p.block === block)) stop()
      return
    }
    stop()
    // Playback shows a command of more than MAX_AUTOPLAY_STEPS steps in one beat and
    // pauses there (the eviction); a scene of many such commands (each bulk HSET of the
    // 20,000-field hash) or that would still take minutes to play is left at its end.
    const long = played.filter((x) => x.events.length > MAX_AUTOPLAY_STEPS).length
    const beats = played.reduce(
      (n, x) => n + (x.events.length > MAX_AUTOPLAY_STEPS ? 1 : x.events.length),
      0,
    )
    if (long > MAX_SCENE_PAUSES || beats > MAX_AUTOPLAY_STEPS) return
    st.itemSelected(first - 1)
    st.playToggled()
    if (tabs !== null) followTabs(store, tabs)
  })
}

/**
 * Runs a scene in the active tab, and its lines for a second connection (`client: 2`: the
 * push that serves a BLPOP) in another tab, opened first when there is none free. Returns
 * false when there is no tab to run it in.
 */
export function runScene(store: AppStore, scene: Scene): boolean {
  const s = store.getState()
  const client = s.activeTab
  if (client === null) return false
  if (!scene.lines.some((l) => 'run' in l && l.client === 2)) {
    enterScene(store, scene, [client, client])
    return true
  }
  // A tab waiting in a blocking command would hold the lines (another scene's BLPOP).
  const other = s.tabs.find((t) => t.id !== client && t.offline !== true && t.waiting === undefined)
  if (other !== undefined) {
    enterScene(store, scene, [client, other.id])
    return true
  }
  const known = new Set(s.tabs.map((t) => t.id))
  const stop = store.subscribe((st) => {
    if (!st.tabs.some((t) => t.id === client)) {
      stop() // the first tab closed, or a new session started, meanwhile
      return
    }
    const opened = st.tabs.find((t) => !known.has(t.id))
    if (opened === undefined) return
    stop()
    enterScene(store, scene, [client, opened.id])
  })
  s.clientTabRequested()
  return true
}

/** Enters a scene's lines, each in its connection's tab (`tabs`: the first's, the second's). */
function enterScene(store: AppStore, scene: Scene, tabs: readonly [ClientId, ClientId]): void {
  const s = store.getState()
  const [client] = tabs
  const tabOf = (line: { readonly client?: 1 | 2 }) => tabs[(line.client ?? 1) - 1] ?? client
  const first = s.items.length
  const runs = scene.lines.filter((l) => 'run' in l).length
  // Its lines go as a pasted block: the console's Stop (or Ctrl+C) ends a long scene too.
  const focus: PanelFocus =
    scene.focus === null ? { kind: 'keyspace' } : { kind: 'key', key: scene.focus }
  const block = s.pasteStarted(client, runs, 'scene', {
    id: scene.id,
    focus,
    first,
    commands: runs,
  })
  playFromStartWhenAnswered(store, first, runs, block, tabs[0] === tabs[1] ? null : tabs)
  for (const line of scene.lines) {
    if ('tick' in line) {
      s.clockJumpRequested(line.tick, block)
      continue
    }
    // Scene lines are well-formed commands: echo, then submit, as the console does.
    const tab = tabOf(line)
    s.lineEntered(tab, line.run, block)
    const parsed = parseCommandLine(line.run)
    if (parsed.ok && parsed.argv.length > 0) s.commandSubmitted(parsed.argv, tab, block)
  }
  s.pasteEntered(block)
  // The scene starts in its first tab (a tab it opened became the active one).
  if (store.getState().activeTab !== client) s.clientTabSelected(client)
  // What the scene is about comes first in the panel area (its lines cleared any focus).
  s.sceneFocused(focus)
}

/**
 * While a scene of two connections plays, the console shows the tab of the command under
 * the playhead: client A's BLPOP waiting, then client B's LPUSH, then A served. Ends when
 * the playback stops (the learner then picks the tab).
 */
function followTabs(store: AppStore, tabs: readonly ClientId[]): void {
  const stop = store.subscribe((st, prev) => {
    if (!st.playing) {
      stop()
      return
    }
    if (st.playhead.item === prev.playhead.item && prev.playing) return
    const c = st.items[st.playhead.item]?.client
    if (c !== undefined && c !== null && tabs.includes(c) && st.activeTab !== c)
      st.clientTabSelected(c)
  })
}

/**
 * Ends the rest of a scene a reload cut short, run from the console's offer, as the scene
 * itself ends: once its last command has answered, the playhead goes back to its first
 * command and plays them (a resumed scene stopped at its end, and its key's panel no longer
 * led). The console focuses the scene's panel as it enters the lines.
 */
export function useResumedScenes(store: AppStore): void {
  useEffect(() => {
    const seen = new Set<BlockId>()
    return store.subscribe((st) => {
      for (const p of st.pastes) {
        if (p.scene?.resumed !== true || seen.has(p.block)) continue
        seen.add(p.block)
        playFromStartWhenAnswered(store, p.scene.first, p.scene.commands, p.block)
      }
    })
  }, [store])
}
