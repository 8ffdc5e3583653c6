/**
 * The help overlay (opened with ? or the header's "?"), a modal dialog closed by Escape: how
 * to start (where to type, where to look, the timeline; in the full app the scenes, projector
 * and embed too), then the keyboard shortcuts. It held the shortcuts only, and a newcomer who
 * asked "?" for help learnt nothing of what to type or where to look.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { useT } from '../i18n/useT.ts'
import { useAppStore } from '../state/react.ts'

const SHORTCUTS = [
  ['Space', 'help.space'],
  ['← / →', 'help.arrows'],
  ['Shift + ← / →', 'help.shiftArrows'],
  ['Home / End', 'help.homeEnd'],
  ['?', 'help.question'],
  ['↑ / ↓', 'help.history'],
  ['Ctrl + R', 'help.search'],
  ['Ctrl + C', 'help.ctrlC'],
  ['Ctrl + L', 'help.ctrlL'],
  ['Tab', 'help.tab'],
  ['Esc', 'help.escape'],
] as const

/**
 * Tab and Shift+Tab go round the dialog's controls: a modal dialog keeps the focus (Tab from
 * Close went on to the page behind the overlay, where a keyboard user could not see it).
 */
function keepFocusIn(dialog: HTMLElement, e: KeyboardEvent<HTMLElement>): void {
  const controls = [...dialog.querySelectorAll<HTMLElement>('button, [href], input, select')]
  const first = controls[0]
  const last = controls.at(-1)
  const edge = e.shiftKey ? first : last
  const inside = dialog.contains(document.activeElement)
  if (edge === undefined || (inside && document.activeElement !== edge)) return
  e.preventDefault()
  ;(e.shiftKey ? last : first)?.focus()
}

/** The getting-started steps: an embed has no scenes, projector or embed code to point at. */
const START = ['help.start1', 'help.start2', 'help.start3'] as const
const START_APP = [...START, 'help.start4'] as const

export function HelpOverlay(props: { readonly embed?: boolean }): ReactNode {
  const t = useT()
  const store = useAppStore()
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement
    // Without scrolling the dialog to its Close button: a dialog taller than the window
    // opened at its end, the title and the getting-started steps scrolled out of sight.
    closeRef.current?.focus({ preventScroll: true })
    return () => {
      if (previous instanceof HTMLElement) previous.focus()
    }
  }, [])
  return (
    <div
      className="overlay"
      onClick={() => {
        store.getState().helpClosed()
      }}
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => {
          e.stopPropagation()
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') store.getState().helpClosed()
          else if (e.key === 'Tab') keepFocusIn(e.currentTarget, e)
        }}
      >
        <h2 id="help-title">{t('help.title')}</h2>
        <h3>{t('help.startTitle')}</h3>
        <ol className="help-start">
          {(props.embed === true ? START : START_APP).map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ol>
        <h3>{t('help.keysTitle')}</h3>
        <dl className="shortcuts">
          {SHORTCUTS.map(([keys, label]) => (
            <div key={label}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{t(label)}</dd>
            </div>
          ))}
        </dl>
        <button
          type="button"
          ref={closeRef}
          onClick={() => {
            store.getState().helpClosed()
          }}
        >
          {t('help.close')}
        </button>
      </div>
    </div>
  )
}
