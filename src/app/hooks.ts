/**
 * App-level effects: the playback timer, global keyboard shortcuts, and mirroring theme,
 * language and reduced motion onto the document.
 */
import { useEffect } from 'react'
import { useApp, useAppStore } from '../state/react.ts'
import { selectReducedMotion, STEPS_PER_SECOND } from '../state/store.ts'

/** Advances the playhead while playing, at STEPS_PER_SECOND × speed. */
export function usePlayback(): void {
  const store = useAppStore()
  const playing = useApp((s) => s.playing)
  const speed = useApp((s) => s.speed)
  useEffect(() => {
    if (!playing) return
    const id = setInterval(
      () => {
        store.getState().playTicked()
      },
      1000 / (STEPS_PER_SECOND * speed),
    )
    return () => {
      clearInterval(id)
    }
  }, [store, playing, speed])
}

/** Input types that take no typed text: their keys are free for the shortcuts. */
const KEYLESS_INPUTS: ReadonlySet<string> = new Set([
  'range',
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'color',
  'file',
  'image',
])

/** Whether an element takes typed text (the command line, a textarea, an editable box). */
function isTextEntry(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  if (el instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(el.type)
  return el instanceof HTMLTextAreaElement || el.isContentEditable
}

/**
 * Whether an element keeps its own keys (text entry, and a select, whose arrows and Space
 * choose an option). The timeline's slider does not: from it every shortcut works as from the
 * page (its ←/→ moved whole commands, and '?' did nothing).
 */
function keepsKeys(el: EventTarget | null): boolean {
  return isTextEntry(el) || el instanceof HTMLSelectElement
}

/**
 * Space play/pause, ←/→ step (Shift: whole commands), Home/End the timeline's start and end,
 * ? help (also on an empty command line),
 * Esc closes help.
 */
export function useShortcuts(): void {
  const store = useAppStore()
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = store.getState()
      if (e.key === 'Escape' && s.helpOpen) {
        s.helpClosed()
        return
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return
      // ←/→ on an empty command line step the timeline (there is no cursor to move); with
      // text, and for every other key, a text field keeps its keys.
      const arrow = e.key === 'ArrowLeft' || e.key === 'ArrowRight'
      const emptyLine = e.target instanceof HTMLInputElement && e.target.value === ''
      // '?' on the empty command line opens the help, where the focus sits on load (redis-cli
      // reads a '?' line as HELP; the console does too when one is pasted or recalled). With
      // text, or in a history search, it is typed.
      // A select has no use for '?': it opens the help there too.
      const help =
        e.key === '?' &&
        (!isTextEntry(e.target) ||
          (emptyLine &&
            e.target instanceof HTMLElement &&
            e.target.dataset['commandLine'] === 'true'))
      if (keepsKeys(e.target) && !(arrow && emptyLine) && !help) return
      const onButton =
        e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement
      if (e.key === ' ' && !onButton) {
        e.preventDefault()
        s.playToggled()
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault()
        if (e.shiftKey) s.commandBackRequested()
        else s.stepBackRequested()
      } else if (e.key === 'ArrowRight') {
        e.preventDefault()
        if (e.shiftKey) s.commandForwardRequested()
        else s.stepForwardRequested()
      } else if (e.key === 'Home') {
        // A teacher replays a demo from the start, and comes back to the live end.
        e.preventDefault()
        s.itemSelected(-1)
      } else if (e.key === 'End') {
        e.preventDefault()
        s.itemSelected(s.items.length - 1)
      } else if (e.key === '?') {
        e.preventDefault()
        s.helpToggled()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
    }
  }, [store])
}

/**
 * Mirrors theme, language, motion and projector mode onto <html>, and follows
 * prefers-reduced-motion.
 */
export function useDocumentSettings(): void {
  const store = useAppStore()
  const theme = useApp((s) => s.theme)
  const language = useApp((s) => s.language)
  const reduced = useApp(selectReducedMotion)
  const projector = useApp((s) => s.projector)
  useEffect(() => {
    const root = document.documentElement
    root.setAttribute('data-theme', theme)
    root.setAttribute('data-motion', reduced ? 'reduce' : 'full')
    root.setAttribute('data-projector', String(projector))
    root.lang = language === 'zh' ? 'zh-CN' : 'en'
  }, [theme, language, reduced, projector])
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const mq = window.matchMedia('(prefers-reduced-motion: reduce)')
    const update = (): void => {
      store.getState().systemMotionDetected(mq.matches)
    }
    update()
    mq.addEventListener('change', update)
    return () => {
      mq.removeEventListener('change', update)
    }
  }, [store])
}
