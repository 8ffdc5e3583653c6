/**
 * The legacy ziplist lesson panel: a ziplist (Redis 3.2–6.2) and a listpack (Redis 7.0)
 * holding the same elements, an insert or delete the learner picks, and that operation's
 * steps, each entry whose prevlen grows from 1 to 5 bytes lit in turn with a caption, while
 * the listpack shows the same operation touching no other entry.
 *
 * It renders ziplistLessonFrame (the pure view model) for the store's step; it has its own
 * step controls (the timeline's are for commands, and these operations are not commands).
 * Keys inside the lesson: ←/→ step, Space plays; they do not reach the timeline's shortcuts.
 * A growing prevlen's four new bytes fade in on the frame clock; with reduced motion they
 * appear at once.
 */
import '../shared/panels.css'
import './ziplist.css'
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useT } from '../../i18n/useT.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { useApp, useAppStore } from '../../state/react.ts'
import { selectReducedMotion } from '../../state/store.ts'
import { useStepTween } from '../shared/useStepTween.ts'
import {
  BYTE_W,
  prevlenHex,
  ziplistLessonFrame,
  type ZlCellView,
  type ZlStructureFrame,
} from './ziplistLessonView.ts'

/** Real ms per step at speed 1 while playing: time to read a caption. */
const PLAY_STEP_MS = 1600

const DEFAULT_LENGTH = 260

type T = ReturnType<typeof useT>

function isField(el: EventTarget): boolean {
  return (
    el instanceof HTMLInputElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement
  )
}

export default function ZiplistLesson(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const ui = useApp((s) => s.zlLesson)
  const lang = useApp((s) => s.language)
  const speed = useApp((s) => s.speed)
  const reducedMotion = useApp(selectReducedMotion)
  const headingId = useId()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [length, setLength] = useState(DEFAULT_LENGTH)
  const [position, setPosition] = useState(0)
  const [victim, setVictim] = useState(0)
  const playing = ui?.playing ?? false

  // Opening the lesson takes the focus to it, so a keyboard user lands in it.
  useEffect(() => {
    headingRef.current?.focus()
  }, [])

  useEffect(() => {
    if (!playing) return undefined
    const id = setInterval(() => {
      store.getState().ziplistLessonPlayTicked()
    }, PLAY_STEP_MS / speed)
    return () => {
      clearInterval(id)
    }
  }, [store, playing, speed])

  const result = ui?.result ?? null
  const frame = result === null ? null : ziplistLessonFrame(result, ui?.step ?? 0)
  const tweenKey = `${String(result?.after.ziplist.zlbytes)}:${JSON.stringify(result?.op)}:${String(frame?.step)}`
  const tween = useStepTween(tweenKey, reducedMotion)
  const count = result?.after.ziplist.zllen ?? 0
  const s = store.getState

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || isField(e.target)) return
    if (e.key === 'ArrowLeft') s().ziplistLessonStepBackRequested()
    else if (e.key === 'ArrowRight') s().ziplistLessonStepForwardRequested()
    else if (e.key === ' ' && !(e.target instanceof HTMLButtonElement))
      s().ziplistLessonPlayToggled()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <section
      className="panel zl-lesson"
      aria-labelledby={headingId}
      data-testid="ziplist-lesson"
      // Focusable by a click anywhere inside, so ←/→ then step the lesson, not the timeline.
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="panel-header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          {t('zl.title')}
        </h2>
        <button type="button" onClick={() => s().ziplistLessonClosed()}>
          {t('zl.close')}
        </button>
      </header>
      <p className="zl-lesson__intro">{t('zl.intro')}</p>

      <fieldset className="zl-lesson__controls" disabled={ui?.pending != null}>
        <legend>{t('zl.controls')}</legend>
        <label>
          {t('zl.length')}{' '}
          <input
            type="number"
            min={1}
            max={1000}
            value={length}
            onChange={(e) => {
              setLength(Number(e.currentTarget.value))
            }}
          />
        </label>{' '}
        <IndexSelect
          label={t('zl.position')}
          count={count + 1}
          value={position}
          onChange={setPosition}
        />
        <button
          type="button"
          onClick={() => {
            s().ziplistLessonOpRequested({
              kind: 'insert',
              index: Math.min(position, count),
              length,
            })
          }}
        >
          {t('zl.insert')}
        </button>
        <span className="zl-lesson__sep" aria-hidden="true">
          {' '}
          ·{' '}
        </span>
        <IndexSelect
          label={t('zl.deleteWhich')}
          count={count}
          value={victim}
          onChange={setVictim}
        />
        <button
          type="button"
          disabled={count === 0}
          onClick={() => {
            s().ziplistLessonOpRequested({
              kind: 'delete',
              index: Math.min(victim, count - 1),
            })
          }}
        >
          {t('zl.delete')}
        </button>
        <span className="zl-lesson__sep" aria-hidden="true">
          {' '}
          ·{' '}
        </span>
        <button
          type="button"
          onClick={() => {
            s().ziplistLessonOpRequested({ kind: 'chain' })
          }}
        >
          {t('zl.reset')}
        </button>
      </fieldset>
      {ui?.pending != null && <p className="panel-empty">{t('zl.running')}</p>}
      {ui?.error != null && (
        <p className="panel-error" role="alert">
          {t('zl.error', { message: ui.error })}
        </p>
      )}

      {frame !== null && (
        <>
          <div className="zl-lesson__steps" role="group" aria-label={t('zl.steps')}>
            <button
              type="button"
              aria-label={t('zl.stepBack')}
              title={`${t('zl.stepBack')} (←)`}
              disabled={frame.step === 0}
              onClick={() => s().ziplistLessonStepBackRequested()}
            >
              ‹
            </button>
            <button
              type="button"
              aria-label={t(playing ? 'zl.pause' : 'zl.play')}
              title={`${t(playing ? 'zl.pause' : 'zl.play')} (Space)`}
              aria-pressed={playing}
              disabled={frame.steps === 0}
              onClick={() => s().ziplistLessonPlayToggled()}
            >
              {playing ? '❚❚' : '▶'}
            </button>
            <button
              type="button"
              aria-label={t('zl.stepForward')}
              title={`${t('zl.stepForward')} (→)`}
              disabled={frame.step >= frame.steps}
              onClick={() => s().ziplistLessonStepForwardRequested()}
            >
              ›
            </button>{' '}
            <span data-testid="zl-step">
              {t('zl.stepOf', { step: frame.step, steps: frame.steps })}
            </span>{' '}
            <span className="zl-lesson__keys">{t('zl.keys')}</span>
          </div>
          <p
            className="zl-lesson__caption"
            role="status"
            aria-live="polite"
            data-testid="zl-caption"
          >
            {t(frame.caption.key, frame.caption.params)}
          </p>
          <div className="zl-lesson__pair">
            <Structure
              title={t('zl.ziplist')}
              header={t('zl.zlHeader', {
                bytes: frame.ziplist.totalBytes,
                tail: frame.ziplist.tail ?? 0,
                count: frame.ziplist.count,
              })}
              frame={frame.ziplist}
              tween={tween}
              t={t}
              kind="ziplist"
            />
            <div>
              <Structure
                title={t('zl.listpack')}
                header={t('zl.lpHeader', {
                  bytes: frame.listpack.totalBytes,
                  count: frame.listpack.count,
                })}
                frame={frame.listpack}
                tween={tween}
                t={t}
                kind="listpack"
              />
              <p className="zl-lesson__lp-caption" data-testid="zl-lp-caption">
                {t(frame.listpackCaption.key, frame.listpackCaption.params)}
              </p>
            </div>
          </div>
          <p className="zl-lesson__legend">{t('zl.legend')}</p>
          <Legend items={ziplistLegend(frame, t)} lang={lang} />
          {frame.steps > 0 && (
            <ul className="zl-lesson__totals" data-testid="zl-totals">
              <li>
                {t('zl.totalsZiplist', {
                  before: frame.totals.ziplist[0],
                  after: frame.totals.ziplist[1],
                  rewritten: frame.totals.rewritten,
                })}
              </li>
              <li>
                {t('zl.totalsListpack', {
                  before: frame.totals.listpack[0],
                  after: frame.totals.listpack[1],
                })}
              </li>
            </ul>
          )}
        </>
      )}
    </section>
  )
}

/** A labelled choice of an index in 0..count-1 (the value clamped to it). */
function IndexSelect(p: {
  readonly label: string
  readonly count: number
  readonly value: number
  readonly onChange: (v: number) => void
}): ReactNode {
  return (
    <>
      <label>
        {p.label}{' '}
        <select
          value={Math.min(p.value, Math.max(0, p.count - 1))}
          onChange={(e) => {
            p.onChange(Number(e.currentTarget.value))
          }}
        >
          {Array.from({ length: p.count }, (_, i) => (
            <option key={i} value={i}>
              {i}
            </option>
          ))}
        </select>
      </label>{' '}
    </>
  )
}

interface StructureProps {
  readonly title: string
  readonly header: string
  readonly frame: ZlStructureFrame
  readonly tween: number
  readonly t: T
  readonly kind: 'ziplist' | 'listpack'
}

/** One structure as a strip: header, entries (each field's bytes), end byte. */
function Structure(p: StructureProps): ReactNode {
  return (
    <figure className={`zl-struct zl-struct--${p.kind}`} data-testid={`zl-${p.kind}`}>
      <figcaption>
        <strong>{p.title}</strong>
        <br />
        <span className="zl-struct__header">{p.header}</span>
      </figcaption>
      <ol className="zl-strip" aria-label={p.title}>
        <li className="zl-cell zl-cell--header" aria-label={p.header}>
          <span className="zl-bytes" aria-hidden="true">
            {Array.from({ length: p.frame.headerSize }, (_, i) => (
              <span key={i} className="zl-byte" />
            ))}
          </span>
        </li>
        {p.frame.cells.map((c) => (
          <Cell key={c.id} cell={c} tween={p.tween} t={p.t} kind={p.kind} />
        ))}
        <li className="zl-cell zl-cell--end" aria-label={p.t('zl.end')}>
          <span className="zl-bytes" aria-hidden="true">
            <span className="zl-byte zl-byte--end">FF</span>
          </span>
        </li>
      </ol>
    </figure>
  )
}

function cellLabel(c: ZlCellView, kind: 'ziplist' | 'listpack', t: T): string {
  const [a, b, d] = c.fields
  const base =
    kind === 'ziplist'
      ? t('zl.entry', {
          index: c.index,
          label: c.label,
          size: c.size,
          offset: c.offset,
          prevlenSize: a?.bytes ?? 0,
          prevlen: c.prevlen ?? 0,
          encodingSize: b?.bytes ?? 0,
          dataLen: d?.bytes ?? 0,
        })
      : t('zl.lpEntry', {
          index: c.index,
          label: c.label,
          size: c.size,
          offset: c.offset,
          encodingSize: a?.bytes ?? 0,
          dataLen: b?.bytes ?? 0,
          backlenSize: d?.bytes ?? 0,
        })
  return c.state === 'plain' ? base : `${base} ${t(`zl.state.${c.state}`)}`
}

/**
 * The key to the lesson's colours: the byte fields of an entry, and the states of the
 * entries the frame shows (inserted, growing, grown …).
 */
function ziplistLegend(
  frame: { readonly ziplist: { readonly cells: readonly ZlCellView[] } },
  t: T,
): LegendItem[] {
  const fields: LegendItem[] = (['prevlen', 'encoding', 'backlen'] as const).map((kind) => ({
    box: `zl-field zl-field--${kind}`,
    inner: 'zl-byte',
    label: t(`zl.field.${kind}`),
    id: kind,
  }))
  fields.push({ box: 'zl-field zl-field--data', label: t('zl.field.data'), id: 'data' })
  const states = new Set(frame.ziplist.cells.map((c) => c.state))
  for (const st of ['new', 'growing', 'grown', 'stale', 'removing'] as const)
    if (states.has(st))
      fields.push({ box: `zl-cell zl-cell--${st}`, label: t(`zl.state.${st}`), id: st })
  return fields
}

function Cell(props: {
  readonly cell: ZlCellView
  readonly tween: number
  readonly t: T
  readonly kind: 'ziplist' | 'listpack'
}): ReactNode {
  const { cell: c, tween, t, kind } = props
  return (
    <li
      className={`zl-cell zl-cell--${c.state}`}
      data-id={c.id}
      data-state={c.state}
      data-size={c.size}
      data-offset={c.offset}
      aria-label={cellLabel(c, kind, t)}
    >
      <span className="zl-cell__label" aria-hidden="true">
        #{c.index} {c.label}
      </span>
      <span className="zl-bytes" aria-hidden="true">
        {c.fields.map((f) =>
          f.kind === 'data' ? (
            <span key={f.kind} className="zl-field zl-field--data" style={{ width: f.w }}>
              {f.text}
            </span>
          ) : (
            <span
              key={f.kind}
              className={`zl-field zl-field--${f.kind}`}
              data-bytes={f.bytes}
              title={t(`zl.field.${f.kind}`)}
            >
              {Array.from({ length: f.bytes }, (_, i) => (
                <span
                  key={i}
                  className="zl-byte"
                  style={{
                    width: BYTE_W,
                    // The four bytes a prevlen gains fade in as it grows.
                    opacity: c.state === 'growing' && f.kind === 'prevlen' && i > 0 ? tween : 1,
                  }}
                />
              ))}
            </span>
          ),
        )}
      </span>
      <span className="zl-cell__size" aria-hidden="true">
        {c.size} B @{c.offset}
        {c.prevlen !== null && (
          <>
            <br />
            <span className="zl-cell__prevlen">
              prevlen {prevlenHex(c.fields[0]?.bytes ?? 1, c.prevlen)}
            </span>
          </>
        )}
      </span>
    </li>
  )
}
