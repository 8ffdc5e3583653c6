/**
 * The header: title, projector mode, language, theme, motion and trace level, the permalink
 * and the embed code, export and import of the session file, a new session, and the
 * shortcuts help.
 */
import { useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react'
import type { TraceLevel } from '../engine/events.ts'
import { useT } from '../i18n/useT.ts'
import { encodePermalink } from '../state/permalink.ts'
import {
  exportSessionJson,
  importSessionJson,
  playheadMarkOf,
  savedSessionOf,
  SessionFileError,
} from '../state/persistence.ts'
import { useApp, useAppStore } from '../state/react.ts'
import type { AppState, Language, Motion } from '../state/store.ts'
import type { PlayheadMark } from '../state/types.ts'
import { keyspaceLeads } from './PanelArea.tsx'
import { ScenesMenu } from './ScenesMenu.tsx'

/**
 * The full permalink URL for the current session, open on the step the playhead is at (or on
 * the author's last command when the playhead is past it on trailing clock ticks, as an embed).
 */
export function permalinkUrl(
  s: AppState,
  location: Pick<Location, 'origin' | 'pathname' | 'search'>,
  at: PlayheadMark | undefined = shareMarkOf(s),
): string {
  const saved = { ...savedSessionOf(s), ...(at ? { at } : {}) }
  return `${location.origin}${location.pathname}${location.search}#${encodePermalink(saved)}`
}

/**
 * The step a shared link (permalink or embed) opens on: the author's playhead, except at the
 * end of a timeline whose last items are clock ticks (the virtual clock ran after the last
 * command), where it is the end of the author's last command. Links opened on "Active expire
 * (slow) sampled 0 keys" instead of what the author had typed.
 */
export function shareMarkOf(s: AppState): PlayheadMark | undefined {
  const mark = playheadMarkOf(s)
  if (mark) return mark
  const last = s.items.findLastIndex((x) => x.kind !== 'tick')
  const item = s.items[last]
  if (!item || last === s.items.length - 1) return undefined
  return { position: item.position, step: item.events.length, level: s.traceLevel }
}

/**
 * Which panels an embed of the author's screen shows: the keyspace where it leads the
 * author's panels (a scene about the keyspace dict, MSET or DEL of several keys) or there is
 * no key; the key otherwise. An embed copied in the middle of dict-expand showed the key
 * "the command has not stored yet" instead of the dict the author was watching.
 */
export function embedViewFor(s: AppState): 'key' | 'keyspace' {
  if ((s.view?.key ?? null) === null) return 'keyspace'
  const leads = s.focus?.kind === 'keyspace' || keyspaceLeads(s.items[s.playhead.item], s.commands)
  return leads ? 'keyspace' : 'key'
}

/**
 * The HTML a blog author pastes to embed the current scene: an iframe on the permalink in
 * embed mode, showing the panel the author's screen leads with (embedViewFor), in the
 * author's language (a post in Chinese had its captions in English for a reader whose
 * browser is in English), 600 px tall as the README advises.
 */
export function embedSnippet(
  s: AppState,
  location: Pick<Location, 'origin' | 'pathname' | 'search'>,
): string {
  const params = new URLSearchParams(location.search)
  params.set('embed', embedViewFor(s))
  params.set('lang', s.language)
  const url = permalinkUrl(
    s,
    { origin: location.origin, pathname: location.pathname, search: `?${params.toString()}` },
    shareMarkOf(s),
  )
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
  return `<iframe src="${attr(url)}" width="100%" height="600" style="border:0" title="Redis X-Ray" loading="lazy"></iframe>`
}

export function Header(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const language = useApp((s) => s.language)
  const theme = useApp((s) => s.theme)
  const motion = useApp((s) => s.motion)
  const traceLevel = useApp((s) => s.traceLevel)
  const projector = useApp((s) => s.projector)
  const fileRef = useRef<HTMLInputElement>(null)
  const linkRef = useRef<HTMLInputElement>(null)
  const [link, setLink] = useState<{ readonly text: string; readonly embed: boolean } | null>(null)
  // On a phone the settings fold behind one button (styles.css), so the console shows first.
  const [settingsOpen, setSettingsOpen] = useState(false)
  const settingsToggle = useRef<HTMLButtonElement>(null)
  /** Escape folds the open settings away and gives the focus back to their button. */
  const closeSettingsOnEscape = (e: ReactKeyboardEvent): void => {
    if (e.key !== 'Escape' || !settingsOpen) return
    e.preventDefault()
    setSettingsOpen(false)
    settingsToggle.current?.focus()
  }
  const a = store.getState()

  /** Copies a link or snippet; when the clipboard is denied, selects it in the box instead. */
  const share = (embed: boolean): void => {
    const s = store.getState()
    const text = embed ? embedSnippet(s, window.location) : permalinkUrl(s, window.location)
    setLink({ text, embed })
    const copied = (): void => {
      a.noticeShown(embed ? 'notice.embedCopied' : 'notice.linkCopied')
    }
    const denied = (): void => {
      a.noticeShown(embed ? 'notice.embedReady' : 'notice.linkReady')
      linkRef.current?.focus()
    }
    // navigator.clipboard is missing outside secure contexts (a plain-http classroom server).
    if (typeof navigator.clipboard === 'undefined') setTimeout(denied, 0)
    else navigator.clipboard.writeText(text).then(copied, denied)
  }

  const exportFile = (): void => {
    const blob = new Blob([exportSessionJson(savedSessionOf(store.getState()))], {
      type: 'application/json',
    })
    const url = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = url
    link.download = 'redis-xray-session.json'
    link.click()
    setTimeout(() => {
      URL.revokeObjectURL(url)
    }, 1000)
  }

  const importFile = (file: File): void => {
    file
      .text()
      .then(
        (text) => {
          a.sessionRestoreRequested(importSessionJson(text))
          a.noticeShown('notice.imported')
        },
        (err: unknown) => {
          a.noticeShown('notice.importFailed', { message: String(err) }, 'error')
        },
      )
      .catch((err: unknown) => {
        // The reason in the learner's language (a Chinese notice ended in English).
        const message =
          err instanceof SessionFileError
            ? t(`notice.importFailed.${err.reason}`)
            : err instanceof Error
              ? err.message
              : String(err)
        a.noticeShown('notice.importFailed', { message }, 'error')
      })
  }

  return (
    <header className="app-header">
      <h1>
        {t('app.title')} <span className="tagline">{t('app.tagline')}</span>
      </h1>
      {/* On the title's row: at the end of the tools it was left alone on a row of its own
          whenever the tools wrapped just before it (a phone; Chinese labels at 1280 px). */}
      {/* On the title's row too, so a teacher finds it with the settings folded away. */}
      <button
        type="button"
        className="header-projector"
        aria-pressed={projector}
        title={t('header.projectorHint')}
        onClick={() => {
          a.projectorToggled()
        }}
      >
        {t('header.projector')}
      </button>
      <button
        type="button"
        className="header-help"
        aria-label={t('header.help')}
        title={`${t('header.help')} (?)`}
        onClick={() => {
          a.helpToggled()
        }}
      >
        ?
      </button>
      <div className="header-tools">
        <ScenesMenu />
        <button
          type="button"
          ref={settingsToggle}
          className="header-settings-toggle"
          aria-expanded={settingsOpen}
          onKeyDown={closeSettingsOnEscape}
          aria-controls="header-settings"
          onClick={() => {
            setSettingsOpen(!settingsOpen)
          }}
        >
          {t('header.settings')}
        </button>
        <div
          id="header-settings"
          className="header-settings"
          data-open={settingsOpen}
          onKeyDown={closeSettingsOnEscape}
        >
          <label>
            <span className="visually-hidden">{t('header.language')}</span>
            <select
              aria-label={t('header.language')}
              value={language}
              onChange={(e) => {
                a.languageChanged(e.target.value as Language)
              }}
            >
              <option value="en">English</option>
              <option value="zh">简体中文</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => {
              a.themeChanged(theme === 'dark' ? 'light' : 'dark')
            }}
          >
            {theme === 'dark' ? t('header.theme.toLight') : t('header.theme.toDark')}
          </button>
          <select
            aria-label={t('header.motion')}
            value={motion}
            onChange={(e) => {
              a.motionChanged(e.target.value as Motion)
            }}
          >
            {(['system', 'reduce', 'full'] as const).map((m) => (
              <option key={m} value={m}>
                {t('header.motion')}: {t(`header.motion.${m}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('header.trace')}
            value={traceLevel}
            onChange={(e) => {
              a.traceLevelChanged(e.target.value as TraceLevel)
            }}
          >
            {(['full', 'summary', 'off'] as const).map((l) => (
              <option key={l} value={l}>
                {t('header.trace')}: {t(`header.trace.${l}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => {
              share(false)
            }}
          >
            {t('header.share')}
          </button>
          <button
            type="button"
            onClick={() => {
              share(true)
            }}
          >
            {t('header.embed')}
          </button>
          <button type="button" onClick={exportFile}>
            {t('header.export')}
          </button>
          <button
            type="button"
            onClick={() => {
              fileRef.current?.click()
            }}
          >
            {t('header.import')}
          </button>
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0]
              if (f) importFile(f)
              e.target.value = ''
            }}
          />
          <button
            type="button"
            onClick={() => {
              // One click used to throw away every command typed so far, with no way back:
              // the saved session was replaced at once. Ask first when there is something to lose.
              const typed = store.getState().items.filter((x) => x.kind === 'command').length
              if (typed > 0 && !window.confirm(t('header.resetConfirm', { count: typed }))) return
              a.sessionResetRequested()
            }}
          >
            {t('header.reset')}
          </button>
        </div>
      </div>
      {link && (
        <input
          ref={linkRef}
          className="share-link"
          readOnly
          value={link.text}
          aria-label={link.embed ? t('header.embed') : t('header.share')}
          onFocus={(e) => {
            e.target.select()
          }}
        />
      )}
    </header>
  )
}
