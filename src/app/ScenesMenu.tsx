/**
 * The scenes menu: ready-made scripts (src/lessons/scenes.ts) that put a structure in an
 * interesting state, run in the active console tab line by line as if pasted, with `tick`
 * lines advancing the virtual clock. The scene's summary appears as a notice-like line.
 */
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react'
import { translate } from '../i18n/index.ts'
import {
  SCENE_GROUPS,
  SCENES,
  sceneById,
  sceneNoteAt,
  sceneQuietTickNoteAt,
} from '../lessons/scenes.ts'
import { useApp, useAppStore } from '../state/react.ts'
import type { AppState } from '../state/store.ts'
import { runScene } from './runScene.ts'

const text = {
  label: { en: 'Scenes', zh: '场景' },
  choose: { en: 'Run a scene…', zh: '运行一个场景…' },
  legacy: { en: 'Before Redis 7.0', zh: 'Redis 7.0 之前' },
  note: { en: 'This command:', zh: '这条命令：' },
  /** A `tick` line's note: the item under the playhead is the clock moving, not a command. */
  tickNote: { en: 'This clock tick:', zh: '这次时钟滴答：' },
  /**
   * A `tick` line in which nothing happened makes no timeline item: its note goes with the
   * next command, after this label.
   */
  quietTickNote: {
    en: 'Before this command, the clock moved on (nothing happened, so no clock tick in the timeline):',
    zh: '这条命令之前，时钟向前走了（期间什么也没发生，所以时间线上没有时钟滴答）：',
  },
} as const

/** Keys that move a closed select's choice without opening its list. */
const BROWSE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'])

/**
 * A scene runs as soon as the select's value changes, and a closed select changes its value
 * on ↑/↓/←/→, Home/End and typed letters: a keyboard user who pressed ↓ to look through the
 * scenes ran the first one (and the value going back to "Run a scene…", every ↓ ran it
 * again), and → pressed to step the scene just run ran the first scene once more. Browsing
 * keys open the list instead, where ↑/↓ move without running anything and Enter runs the
 * scene picked; ←/→ step the timeline as they do everywhere else outside a text field.
 */
function onMenuKeyDown(e: KeyboardEvent<HTMLSelectElement>, s: AppState): void {
  if (e.ctrlKey || e.metaKey || e.altKey) return
  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    e.preventDefault()
    const back = e.key === 'ArrowLeft'
    if (e.shiftKey) {
      if (back) s.commandBackRequested()
      else s.commandForwardRequested()
    } else if (back) s.stepBackRequested()
    else s.stepForwardRequested()
    return
  }
  if (!BROWSE_KEYS.has(e.key) && (e.key.length !== 1 || e.key === ' ')) return
  e.preventDefault()
  try {
    e.currentTarget.showPicker()
  } catch {
    // No picker to show (an old browser, a select not rendered): the key does nothing.
  }
}

/** The scenes some section of the menu lists. */
const GROUPED = new Set(SCENE_GROUPS.flatMap((g) => g.ids))

/** The menu's entry for the legacy ziplist lesson (panels/ziplist), after the scenes. */
const ZIPLIST_LESSON = 'lesson:ziplist'

export function ScenesMenu(): ReactNode {
  const store = useAppStore()
  const lang = useApp((s) => s.language)
  const timelineEmpty = useApp((s) => s.items.length === 0)
  // The scene whose summary shows (read in the current language), and whether the timeline has
  // had commands since it ran: a New session empties the timeline, and the summary goes too.
  // `first`: the timeline item the scene's first command became.
  const [shown, setShown] = useState<{
    readonly id: string
    readonly started: boolean
    readonly first: number
  } | null>(null)
  useEffect(() => {
    if (shown === null) return
    if (!timelineEmpty && !shown.started) setShown({ ...shown, started: true })
    else if (timelineEmpty && shown.started) setShown(null)
  }, [timelineEmpty, shown])
  // A scene started from the menu or by a link (`?scene=` in a teacher's bookmark, an
  // embed's "Open in Redis X-Ray"): its summary and notes show either way. Run from a link,
  // the scene's commands played with nothing saying what they were about.
  useEffect(() => {
    let last = store.getState().pastes.at(-1)?.block
    return store.subscribe((st) => {
      const p = st.pastes.at(-1)
      if (p === undefined || p.block === last) return
      last = p.block
      const scene = p.scene
      if (scene?.id === undefined) return
      setShown({ id: scene.id, started: st.items.length > 0, first: scene.first })
    })
  }, [store])
  const scene = shown === null ? undefined : sceneById(shown.id)
  const summary = scene?.summary[lang]
  // The note the scene gives the command under the playhead (the fifth SET: "used ≥ size:
  // expand to 8 buckets").
  const kindsSoFar = (s: AppState): ('command' | 'tick')[] | undefined => {
    if (shown === null || s.playhead.item < shown.first) return undefined
    return s.items
      .slice(shown.first, s.playhead.item + 1)
      .map((x) => x.kind)
      .filter((k) => k !== 'connect')
  }
  const note = useApp((s) => {
    const kinds = kindsSoFar(s)
    return kinds === undefined || scene === undefined
      ? undefined
      : sceneNoteAt(scene, kinds)?.[lang]
  })
  // expire-lazy's "a second later: past the TTL": a tick line whose tick made no item.
  const quietTickNote = useApp((s) => {
    const kinds = kindsSoFar(s)
    return kinds === undefined || scene === undefined
      ? undefined
      : sceneQuietTickNoteAt(scene, kinds)?.[lang]
  })
  // A `tick` line's note is about the clock tick under the playhead, not a command.
  const onTick = useApp((s) => s.items[s.playhead.item]?.kind === 'tick')
  const run = (id: string): void => {
    // Not a scene: the legacy ziplist lesson, which runs no commands. The summary of a scene
    // run before it goes: it sat over the lesson, describing something else.
    if (id === ZIPLIST_LESSON) {
      store.getState().ziplistLessonOpened()
      setShown(null)
      return
    }
    const scene = sceneById(id)
    if (scene !== undefined) runScene(store, scene)
  }
  return (
    <div className="scenes-menu">
      <label>
        <span className="visually-hidden">{text.label[lang]}</span>
        <select
          aria-label={text.label[lang]}
          value=""
          onChange={(e) => {
            run(e.currentTarget.value)
          }}
          onKeyDown={(e) => {
            onMenuKeyDown(e, store.getState())
          }}
        >
          <option value="">{text.choose[lang]}</option>
          {SCENE_GROUPS.map((g) => (
            <optgroup key={g.title.en} label={g.title[lang]}>
              {g.ids.map((id) => (
                <option key={id} value={id}>
                  {sceneById(id)?.title[lang]}
                </option>
              ))}
            </optgroup>
          ))}
          {/* A scene no section names yet still shows, after the sections. */}
          {SCENES.filter((sc) => !GROUPED.has(sc.id)).map((sc) => (
            <option key={sc.id} value={sc.id}>
              {sc.title[lang]}
            </option>
          ))}
          <optgroup label={text.legacy[lang]}>
            <option value={ZIPLIST_LESSON}>{translate(lang, 'zl.title')}</option>
          </optgroup>
        </select>
      </label>
      {summary !== undefined && (
        <p className="scenes-menu__summary" role="status" title={summary}>
          {summary}
        </p>
      )}
      {quietTickNote !== undefined && (
        <p className="scenes-menu__note" aria-live="polite" data-testid="scene-tick-note">
          <strong>{text.quietTickNote[lang]}</strong>
          {lang === 'en' ? ' ' : ''}
          {quietTickNote}
        </p>
      )}
      {note !== undefined && (
        <p
          className="scenes-menu__note"
          aria-live="polite"
          data-testid="scene-note"
          title={`${(onTick ? text.tickNote : text.note)[lang]}${lang === 'en' ? ' ' : ''}${note}`}
        >
          <strong>{(onTick ? text.tickNote : text.note)[lang]}</strong>
          {lang === 'en' ? ' ' : ''}
          {note}
        </p>
      )}
    </div>
  )
}
