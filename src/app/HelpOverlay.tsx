/** The keyboard shortcuts overlay (opened with ?), a modal dialog closed by Escape. */
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

export function HelpOverlay(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement
    closeRef.current?.focus()
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
