/**
 * The panel area: for the playhead's item it shows the keyspace, the key the command
 * touched, and any pinned keys, each in the panel the registry maps its view kind to (or in
 * the generic inspector), plus the list of the item's steps with the current one marked.
 * Every panel sits behind an error boundary, so a broken panel never blanks the page.
 */
import {
  Fragment,
  Suspense,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import type { InspectView } from '../engine/api.ts'
import type { StepEvent } from '../engine/events.ts'
import { useT } from '../i18n/useT.ts'
import { findPanel, type PanelProps } from '../panels/registry.ts'
import { stepViews } from '../panels/shared/conversion.ts'
import { narrate } from '../panels/shared/narration.ts'
import { StepAnnouncements } from '../panels/shared/StepCaption.tsx'
import { bytesToUtf8 } from '../state/bytes.ts'
import { stepRows, type StepRow } from '../state/quietRuns.ts'
import { useApp, useAppStore } from '../state/react.ts'
import { selectReducedMotion } from '../state/store.ts'
import type { TimelineItem } from '../state/types.ts'
import type { CommandDoc } from '../worker/protocol.ts'
import { PanelErrorBoundary } from './PanelErrorBoundary.tsx'
import { scrollerOf, visibleExtent } from './revealDiagram.ts'
import { itemName, itemPosition, otherItemName } from './TimelineBar.tsx'

/** Past this many characters the generic inspector cuts its JSON. */
const MAX_JSON = 20_000

function toJson(view: unknown): string {
  const text = JSON.stringify(
    view,
    (_k, v: unknown) =>
      typeof v === 'bigint' ? `${v.toString()}n` : typeof v === 'string' ? bytesToUtf8(v) : v,
    1,
  )
  return text.length > MAX_JSON ? `${text.slice(0, MAX_JSON)}\n…` : text
}

/** Shows any view model as readable JSON: the fallback for kinds without a panel. */
export function GenericInspector(props: PanelProps): ReactNode {
  const t = useT()
  const view = props.after
  if (!view) return <p className="panel-empty">{t('inspector.missing')}</p>
  return (
    <pre
      className="inspector-json"
      tabIndex={0}
      role="region"
      aria-label={t('inspector.frame')}
      data-testid="inspector-json"
    >
      {toJson(view)}
    </pre>
  )
}

/**
 * View kinds the panel's title already names ('Keyspace (db 0)', 'Clients: …'): their raw
 * kind is not repeated after it, where it read as untranslated English in 简体中文. Other
 * kinds are Redis's encoding names (listpack, intset …), shown as Redis spells them.
 */
const TITLED_KINDS: ReadonlySet<string> = new Set(['keyspace', 'clients'])

interface FrameProps {
  readonly id: string
  readonly title: string
  readonly keyName: string | null
  readonly before: InspectView | null
  readonly after: InspectView | null
  readonly pinned: boolean
  readonly canPin: boolean
  /** Whether the playhead item's events concern this panel (false for pinned extras). */
  readonly followsItem: boolean
  /**
   * The views are another item's (the playhead moved and the worker is still rebuilding the
   * state at the new one): the panel shows them as they are, without folding the new item's
   * steps onto them, which would draw a state that never existed.
   */
  readonly stale: boolean
}

function PanelFrame(props: FrameProps): ReactNode {
  const t = useT()
  const store = useAppStore()
  const item = useApp((s) => s.items[s.playhead.item])
  const step = useApp((s) => s.playhead.step)
  const lang = useApp((s) => s.language)
  const db = useApp((s) => s.view?.db ?? 0)
  const reducedMotion = useApp(selectReducedMotion)
  const events = props.followsItem && !props.stale ? (item?.events ?? []) : []
  const shown = stepViews(props.before, props.after, events, step, props.keyName, db)
  // The kind the panel draws; while a conversion is being built, the key still has the old
  // one until the switch (its title read 'hashtable' from the new table's first step).
  const kind = shown.after?.kind ?? shown.before?.kind
  const entry = findPanel(kind)
  const Panel = entry?.component ?? GenericInspector
  // The item removed the key (DEL, expiry, eviction): once its last step is shown the panel
  // says so instead of drawing the key as it was before.
  const gone =
    props.followsItem &&
    !props.stale &&
    props.after === null &&
    props.before !== null &&
    step >= events.length
  const panelProps: PanelProps = {
    keyName: props.keyName,
    db,
    before: shown.before,
    after: shown.after,
    events: shown.events,
    step: Math.min(step, shown.events.length),
    dropped: events.length > 0 ? (item?.dropped ?? 0) : 0,
    lang,
    reducedMotion,
  }
  return (
    <section className="panel" aria-label={props.title} data-panel={entry?.id ?? 'generic'}>
      <header className="panel-header">
        <h2>
          {props.title}
          {kind && !TITLED_KINDS.has(kind) ? (
            <span className="panel-kind">
              {' '}
              · {shown.converting === undefined ? kind : `${shown.converting} → ${kind}`}
            </span>
          ) : null}
        </h2>
        {props.canPin && props.keyName !== null && (
          <button
            type="button"
            aria-pressed={props.pinned}
            onClick={() => {
              const k = props.keyName
              if (k === null) return
              if (props.pinned) store.getState().panelUnpinned(k)
              else store.getState().panelPinned(k)
            }}
          >
            {props.pinned ? t('inspector.unpin') : t('inspector.pin')}
          </button>
        )}
      </header>
      <PanelErrorBoundary
        resetKey={`${props.id}:${String(item?.position ?? 0)}:${String(step)}`}
        message={(e) => t('panel.failed', { message: e.message })}
      >
        {gone ? (
          <p className="panel-empty" data-testid="panel-gone">
            {t('inspector.gone')}
          </p>
        ) : (
          <Suspense fallback={<p className="panel-empty">…</p>}>
            <Panel {...panelProps} />
          </Suspense>
        )}
      </PanelErrorBoundary>
    </section>
  )
}

/**
 * Steps listed at once: a 130-member ZADD has 911, and thousands of rows slow every step. 500
 * rows (~2,000 elements) took ~50 ms of layout after a 100,000-member SADD; 200 hold a folded
 * run unfolded (a +10 s tick's 100 idle cycles) with room around it.
 */
export const MAX_LISTED_STEPS = 200

/**
 * The steps a list of `MAX_LISTED_STEPS` shows for the playhead at `step` of `total`: a window
 * that always holds the current step (the list used to show the first 500 only, so at step
 * 911 of a big ZADD nothing was marked).
 */
export function listedSteps(step: number, total: number): { start: number; end: number } {
  if (total <= MAX_LISTED_STEPS) return { start: 0, end: total }
  const start = Math.max(0, Math.min(step - MAX_LISTED_STEPS / 2, total - MAX_LISTED_STEPS))
  return { start, end: start + MAX_LISTED_STEPS }
}

/** The folded runs a step list shows unfolded (by start), for one item. */
interface UnfoldedRuns {
  readonly item: TimelineItem | undefined
  readonly starts: ReadonlySet<number>
}

const NO_UNFOLDED_RUNS: UnfoldedRuns = { item: undefined, starts: new Set() }

/**
 * Scrolls the step list so its current row shows where the learner can see it: inside the
 * part of the list its scroller (the panels' column, or the page) shows, by scrolling the
 * list's own box only. A list partly below the fold is first cut to the part in sight, so
 * every row, its last ones too, can scroll fully into view: the list used to keep its row
 * in its own box, whose lower part was out of sight, and then scrolled the panels' column
 * instead, which pushed the key panel's header out of view (a 517-step SADD at 1920×1080 in
 * projector mode). A list wholly below the fold stays there, whole: the panels above it are
 * what the learner is watching (a scene's keyspace dict stays unscrolled). Neither the page
 * nor the column ever scrolls.
 */
function followStep(list: HTMLElement, current: Element): void {
  // The stylesheet's height first: the list's place may have changed since it was cut.
  list.style.maxHeight = ''
  const seen = visibleExtent(scrollerOf(list))
  let box = list.getBoundingClientRect()
  const rowHeight = current.getBoundingClientRect().height
  // The panel's own padding and border below the list stay in sight with it.
  const below = (list.parentElement?.getBoundingClientRect().bottom ?? box.bottom) - box.bottom
  const fits = seen.bottom - below - box.top
  if (box.bottom + below > seen.bottom && fits - Math.max(0, seen.top - box.top) >= 2 * rowHeight) {
    list.style.maxHeight = `${String(Math.floor(fits))}px`
    box = list.getBoundingClientRect()
  }
  const shown = { top: Math.max(box.top, seen.top), bottom: Math.min(box.bottom, seen.bottom) }
  // Out of sight (or nearly): the list's own box follows, as it always did.
  const inside = shown.bottom - shown.top < 2 * rowHeight ? box : shown
  const row = current.getBoundingClientRect()
  if (row.top < inside.top) list.scrollTop -= inside.top - row.top
  else if (row.bottom > inside.bottom) list.scrollTop += row.bottom - inside.bottom
}

/** The numbered steps of the playhead's item; the current one is marked and clickable. */
function StepList(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const item = useApp((s) => s.items[s.playhead.item])
  const step = useApp((s) => s.playhead.step)
  const lang = useApp((s) => s.language)
  const events = item?.events ?? []
  // Runs of expire cycles that found nothing fold into one row (quietRuns.ts); the learner
  // may unfold one to see its cycles. Which runs are unfolded is this list's own view state,
  // kept for the item it was set on.
  const [unfolded, setUnfolded] = useState<UnfoldedRuns>(NO_UNFOLDED_RUNS)
  const open = unfolded.item === item ? unfolded.starts : NO_UNFOLDED_RUNS.starts
  // The run just folded or unfolded stays listed (the window follows it, not the current
  // step, until the playhead moves): unfolding a long run used to push its own row out.
  const [toggled, setToggled] = useState<{ item: unknown; step: number; start: number } | null>(
    null,
  )
  const toggleRun = (start: number): void => {
    setUnfolded((u) => {
      const starts = new Set(u.item === item ? u.starts : [])
      if (!starts.delete(start)) starts.add(start)
      return { item, starts }
    })
    setToggled({ item, step, start })
  }
  const rows = stepRows(events, open)
  // An unfolded run's own rows mark the current step, not the run's row.
  const currentRow = rows.findIndex((r) =>
    r.kind === 'event' ? r.index === step - 1 : !r.open && step > r.start && step <= r.end,
  )
  const toggledRow =
    toggled !== null && toggled.item === item && toggled.step === step
      ? rows.findIndex((r) => r.kind === 'quiet' && r.start === toggled.start)
      : -1
  const { start, end } = listedSteps(
    toggledRow >= 0 ? toggledRow + MAX_LISTED_STEPS / 2 : currentRow + 1,
    rows.length,
  )
  const firstEvent = (r: StepRow | undefined): number =>
    r === undefined ? events.length : r.kind === 'event' ? r.index : r.start
  // A clock tick's steps are serverCron's (active expiry, a rehash step), not a command's.
  const heading = t(item?.kind === 'tick' ? 'inspector.tickEvents' : 'inspector.events')
  const listRef = useRef<HTMLOListElement>(null)
  // The current step stays in sight as the playhead moves: the list scrolls, never the page
  // (the panel the learner is watching may be further down). Once a frame, before it is
  // painted: measuring forces a layout, and while a pasted block runs, several batches of
  // answers (each a new item) land in one frame.
  const followFrame = useRef<number | null>(null)
  // Whether the playhead moved since the list last followed it (not only the layout).
  const moved = useRef(false)
  const scheduleFollow = useRef((): void => {
    const follow = (): void => {
      followFrame.current = null
      const list = listRef.current
      if (!list) return
      const current = list.querySelector('li[aria-current="step"]')
      if (current) followStep(list, current)
      else if (moved.current) {
        // Step 0 (a command about to play): its first step in sight. The list kept the last
        // command's scroll, and a newcomer watching SADD play from step 0 saw it from step 2.
        list.style.maxHeight = ''
        list.scrollTop = 0
      }
      moved.current = false
    }
    if (typeof requestAnimationFrame !== 'function') follow()
    else followFrame.current ??= requestAnimationFrame(follow)
  }).current
  useLayoutEffect(() => {
    moved.current = true
    scheduleFollow()
  }, [item, step, scheduleFollow])
  // The panels above the list change size after the step is followed (a panel's code or
  // the worker's state for the step arrives later), moving the list and its row: the last
  // row of a 517-step SADD ended below the fold. The list follows its row again (at step 0
  // it stays where the learner may have scrolled it).
  const listed = events.length > 0
  useEffect(() => {
    const panels = listRef.current?.closest('.panels')
    if (!listed || !panels || typeof ResizeObserver !== 'function') return
    const observer = new ResizeObserver(scheduleFollow)
    observer.observe(panels)
    const column = panels.closest('.layout-panels')
    if (column) observer.observe(column)
    return () => {
      observer.disconnect()
    }
  }, [listed, scheduleFollow])
  useEffect(
    () => () => {
      if (followFrame.current !== null) cancelAnimationFrame(followFrame.current)
    },
    [],
  )
  return (
    <section className="panel steps" aria-label={heading}>
      <header className="panel-header">
        <h2>{heading}</h2>
      </header>
      {events.length === 0 ? (
        <p className="panel-empty">{t('inspector.noEvents')}</p>
      ) : (
        <ol className="step-list" ref={listRef}>
          {start > 0 && (
            <li className="step-list-more">
              {t('inspector.stepsBefore', { count: firstEvent(rows[start]) })}
            </li>
          )}
          {rows.slice(start, end).map((r, k) => {
            const current = start + k === currentRow ? 'step' : undefined
            if (r.kind === 'quiet')
              return (
                <li
                  key={`q${r.start}`}
                  className="step-list-quiet"
                  aria-current={current}
                  data-done={r.end <= step}
                >
                  <span className="step-number" aria-hidden="true">
                    {r.start + 1}–{r.end}.
                  </span>
                  <button
                    type="button"
                    onClick={() => {
                      store.getState().stepSelected(r.end)
                    }}
                  >
                    {t('inspector.quietCycles', { count: r.cycles })}
                  </button>
                  <button
                    type="button"
                    className="step-list-unfold"
                    aria-expanded={r.open}
                    onClick={() => {
                      toggleRun(r.start)
                    }}
                  >
                    <span aria-hidden="true">{r.open ? '▾' : '▸'}</span>{' '}
                    {t('inspector.quietUnfold')}
                  </button>
                </li>
              )
            const e = events[r.index] as StepEvent
            return (
              <li
                key={r.index}
                className={r.inRun ? 'step-list-in-run' : undefined}
                aria-current={current}
                data-done={r.index < step}
              >
                <span className="step-number" aria-hidden="true">
                  {r.index + 1}.
                </span>
                <button
                  type="button"
                  onClick={() => {
                    store.getState().stepSelected(r.index + 1)
                  }}
                >
                  <code>{e.type}</code> {narrate(e, lang)}
                </button>
              </li>
            )
          })}
          {end < rows.length && (
            <li className="step-list-more">
              {t('inspector.stepsAfter', { count: events.length - firstEvent(rows[end]) })}
            </li>
          )}
          {/* Once every step has played, the list ends by saying the command is done. */}
          {item && end >= rows.length && step >= events.length && (
            <li className="step-list-done" data-testid="steps-settled">
              {t('timeline.settled', { command: itemName(item, t), count: events.length })}
            </li>
          )}
        </ol>
      )}
    </section>
  )
}

/**
 * What the panels show while the playhead is inside an item's steps: the state part way
 * through it, not the current state nor the state after it (the intset is still int16 at
 * step 1 of the SADD that upgrades it).
 */
function stepPosition(
  item: TimelineItem,
  index: number,
  step: number,
  t: (k: string, p?: Record<string, string | number>) => string,
): string {
  const params = { item: index + 1, step, steps: item.events.length }
  const key = step === 0 ? 'inspector.beforeSteps' : 'inspector.atStep'
  if (item.kind === 'command') return t(key, params)
  return t(`${key}Other`, { ...params, what: otherItemName(item, t) })
}

/**
 * ACL categories of the commands whose keys are whole entries of the keyspace: @keyspace
 * (DEL, UNLINK, EXISTS, TOUCH, RENAME, COPY ...) and @string (MSET, MSETNX, MGET ...), whose
 * values are strings held whole in the keyspace's entries.
 */
const KEYSPACE_CATEGORIES: ReadonlySet<string> = new Set(['keyspace', 'string'])

/**
 * Whether an item is about the keyspace dict rather than one key's object: a command that
 * names several keys and treats each as a whole entry of the keyspace (MSET k1 v1 k2 v2,
 * DEL k1 k2, UNLINK, EXISTS, RENAME a b ...). What it changed is the dict the keys went in
 * or left (with its rehash), so that panel leads and is the one revealed; the first key's
 * panel follows. A command that builds one object from several keys (SUNIONSTORE's
 * destination, BITOP, LMOVE, SMOVE) stays about that object, its first key.
 */
export function keyspaceLeads(
  item: TimelineItem | undefined,
  commands: readonly CommandDoc[],
): boolean {
  if (item?.kind !== 'command' || (item.keys ?? 0) < 2) return false
  const name = (item.argv[0] ?? '').toUpperCase()
  const doc = commands.find((c) => c.name === name)
  return doc?.acl?.some((c) => KEYSPACE_CATEGORIES.has(c)) === true
}

export interface PanelAreaProps {
  /**
   * Whether key panels offer Pin (default true). An embed leaves it out: a pinned key's
   * panel would join the list below the current one, out of sight in the author's fixed
   * frame, and pins go neither into the permalink nor to the full app its link opens.
   */
  readonly canPin?: boolean
}

/** The panel area behind an error boundary: a panel that throws shows one line, not a blank page. */
export function GuardedPanelArea(props: PanelAreaProps): ReactNode {
  const t = useT()
  return (
    <PanelErrorBoundary
      resetKey="panels"
      message={(e) => t('panel.failed', { message: e.message })}
    >
      <PanelArea {...props} />
    </PanelErrorBoundary>
  )
}

export function PanelArea({ canPin = true }: PanelAreaProps): ReactNode {
  const t = useT()
  const view = useApp((s) => s.view)
  const pinned = useApp((s) => s.pinned)
  const items = useApp((s) => s.items)
  const itemIndex = useApp((s) => s.playhead.item)
  const step = useApp((s) => s.playhead.step)
  // A scene about the keyspace dict (dict-expand, SCAN, expiry) shows it first, where a
  // 1366×768 screen has room for it; a clients panel (MULTI, Pub/Sub) still leads, as the
  // item's own subject.
  // So does a command that wrote or removed several whole keys (MSET, DEL k1 k2): the
  // keyspace dict is what changed.
  const keyspaceFirst = useApp(
    (s) => s.focus?.kind === 'keyspace' || keyspaceLeads(s.items[s.playhead.item], s.commands),
  )
  const past = itemIndex >= 0 && itemIndex < items.length - 1
  const item = items[itemIndex]
  const keyName = view?.key ?? null
  // The views arrive after the playhead moves (a past item is rebuilt by replay): until
  // then they belong to another log position.
  const stale = view !== null && view.position !== (item?.position ?? 0)
  const keyPanel = keyName !== null && (
    <PanelFrame
      key="key"
      id="key"
      title={t('inspector.key', { key: bytesToUtf8(keyName) })}
      keyName={keyName}
      before={view?.before.keyView ?? null}
      after={view?.after.keyView ?? null}
      pinned={pinned.includes(keyName)}
      canPin={canPin}
      followsItem
      stale={stale}
    />
  )
  const pinnedPanels = (
    <Fragment key="pinned">
      {view?.pinned
        .filter((p) => p.key !== keyName)
        .map((p) => (
          <PanelFrame
            key={`pin:${p.key}`}
            id={`pin:${p.key}`}
            title={t('inspector.key', { key: bytesToUtf8(p.key) })}
            keyName={p.key}
            before={p.view}
            after={p.view}
            pinned
            canPin={canPin}
            followsItem={false}
            stale={stale}
          />
        ))}
    </Fragment>
  )
  const clientsPanel = view?.after.clients != null && (
    <PanelFrame
      key="clients"
      id="clients"
      title={t('inspector.clients')}
      keyName={null}
      before={view.before.clients ?? null}
      after={view.after.clients}
      pinned={false}
      canPin={false}
      followsItem
      stale={stale}
    />
  )
  const keyspacePanel = (
    <PanelFrame
      key="keyspace"
      id="keyspace"
      title={t('inspector.keyspace', { db: view?.db ?? 0 })}
      keyName={null}
      before={view?.before.keyspace ?? null}
      after={view?.after.keyspace ?? null}
      pinned={false}
      canPin={false}
      followsItem
      stale={stale}
    />
  )
  const steps = <StepList key="steps" />
  return (
    <div className="panels" aria-label={t('inspector.title')} role="region" aria-busy={stale}>
      <p className="panels-when" data-testid="panels-when">
        {stale
          ? t('inspector.loading')
          : item !== undefined && step < item.events.length
            ? stepPosition(item, itemIndex, step, t)
            : past && item !== undefined
              ? itemPosition(item, itemIndex, items.length, t, true)
              : itemIndex < 0 && items.length > 0
                ? // At the timeline's start (a scene about to play, Home): "Current state." over
                  // empty panels contradicted the caption's "Before the first command."
                  t('inspector.before')
                : t('inspector.live')}
      </p>
      {/* The timeline's caption announces each step: the panels' sentences are only shown. */}
      <StepAnnouncements value={false}>
        {keyspaceFirst
          ? [clientsPanel, keyspacePanel, keyPanel, steps, pinnedPanels]
          : [keyPanel, steps, pinnedPanels, clientsPanel, keyspacePanel]}
      </StepAnnouncements>
    </div>
  )
}
