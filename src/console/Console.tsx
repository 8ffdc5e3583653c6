/**
 * The console: a redis-cli in the page. One tab per client connection (each its own
 * SELECTed db and MULTI state in the engine), output formatted exactly as redis-cli prints
 * it on a terminal, and redis-cli's line editing: ↑/↓ history (persisted), Ctrl+R reverse
 * search, Tab completion of command names and subcommands, the grey syntax hint after the
 * command name, HELP <command>, CLEAR (and Ctrl+L), "N command" to repeat, and a pasted
 * block of lines runs line by line, with its progress and a Stop button (or Ctrl+C) that
 * leaves the lines not yet sent unrun.
 *
 * Typed text is UTF-8 encoded into byte strings before it is sent (parseCommandLine); the
 * console only dispatches store events, the bridge talks to the engine.
 */
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import type { ClientId } from '../engine/api.ts'
import { useT } from '../i18n/useT.ts'
import { bytesToUtf8 } from '../state/bytes.ts'
import { useApp, useAppStore } from '../state/react.ts'
import { MAX_CONSOLE_LINES, playheadAtEnd } from '../state/store.ts'
import { useShallow } from 'zustand/shallow'
import { displayCommand } from '../state/bridge.ts'
import type {
  BlockId,
  ConsoleLine,
  HeldLine,
  PastedBlock,
  RunningCommand,
  SceneRun,
} from '../state/types.ts'
import { completeLine, helpLines, hintFor } from './completions.ts'
import { MAX_REPLY_LINES, shortArray, showReply } from './formatReply.ts'
import { parseCommandLine } from './parseCommandLine.ts'

/** One-click first commands on an empty console, one per data type (Redis syntax, untranslated). */
export const EXAMPLE_COMMANDS = [
  'SET greeting hello',
  'RPUSH list a b c',
  'HSET user name Ann age 33',
  'SADD nums 1 2 3',
  'ZADD board 10 ann 20 bob',
  'EXPIRE greeting 30',
] as const

type Translate = ReturnType<typeof useT>

/** Most times a "N command" line may repeat. */
const MAX_REPEAT = 10_000

/**
 * Past this many characters the command line shows no syntax hint (it would sit far out of
 * sight) and its mirror stays empty: laying out a pasted 10 MB argument twice froze the page.
 */
export const MAX_HINTED_CHARS = 1000

/**
 * Past this many characters the command line keeps the line but shows only its start,
 * read-only, with its size and buttons to copy or clear it: Chromium took about 8 s to lay a
 * pasted 10 MB value out in an <input>, and the page froze meanwhile. The line stays whole:
 * Enter runs all of it and ↑ recalls it from the history.
 */
export const MAX_INPUT_CHARS = 65_536
/** Characters of a long line the box shows. */
const LONG_PREVIEW_CHARS = 200

/** The UTF-8 size of a line as typed (what the engine receives), without encoding it. */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}

/** A tab's label in the UI language: the store names tabs "client N" (kept in saved sessions). */
function tabName(label: string, t: Translate): string {
  const m = /^client (\d+)$/.exec(label)
  return m ? t('console.client', { n: m[1] ?? '' }) : label
}

/**
 * The prompt redis-cli shows: host:port, then [db] when not 0, then (TX) inside MULTI; or
 * "not connected> " once the server closed the connection (redis-cli.c repl).
 */
export function promptFor(db: number, multi = false, offline = false): string {
  if (offline) return 'not connected> '
  return `127.0.0.1:6379${db === 0 ? '' : `[${String(db)}]`}${multi ? '(TX)' : ''}> `
}

interface Completion {
  readonly original: string
  readonly candidates: readonly string[]
  /** Index into candidates; candidates.length means "back to the original". */
  readonly index: number
}

interface Search {
  readonly query: string
  /** Index into history of the current match, or -1. */
  readonly match: number
}

/** Follows `value` but turns true only after it has stayed true for `ms`. */
function useDelayed(value: boolean, ms: number): boolean {
  const [delayed, setDelayed] = useState(false)
  useEffect(() => {
    if (!value) {
      setDelayed(false)
      return
    }
    const id = setTimeout(() => {
      setDelayed(true)
    }, ms)
    return () => {
      clearTimeout(id)
    }
  }, [value, ms])
  return delayed
}

/** Finds the newest history entry at or before `from` that contains `query`. */
function searchHistory(history: readonly string[], query: string, from: number): number {
  if (query === '') return -1
  for (let i = Math.min(from, history.length - 1); i >= 0; i--)
    if (history[i]?.includes(query)) return i
  return -1
}

/**
 * The lines a console shows with the playhead at log position `position` (an embed; null:
 * all of them): a command that ran after it is left out with its reply and output, and with
 * the lines that ran no command after it (HELP). An embed copied in the middle of a scene
 * showed the scene's last line under a diagram of an earlier step.
 */
export function linesAtPosition(
  lines: readonly ConsoleLine[],
  position: number | null,
): readonly ConsoleLine[] {
  if (position === null) return lines
  let hidden = false
  const shown = lines.filter((l) => {
    if (l.kind === 'input' && l.position !== undefined) hidden = l.position > position
    return !hidden
  })
  return shown.length === lines.length ? lines : shown
}

/** The log position of the playhead's item (-1 before the first), or null with no items. */
function playheadPosition(s: {
  readonly items: readonly { readonly position: number }[]
  readonly playhead: { readonly item: number }
}): number | null {
  if (s.items.length === 0) return null
  return s.playhead.item < 0 ? -1 : (s.items[s.playhead.item]?.position ?? null)
}

/** The console with its client tabs. */
export function Console(props: {
  /**
   * Show the lines up to the playhead's command (an embed, whose short console showed the
   * last lines of the author's session whatever step the diagram was at).
   */
  readonly followPlayhead?: boolean
  /**
   * Focus the command line once it is there, so a newcomer's first keystrokes land in it
   * (the full app; an embed leaves focus alone, or the host page would scroll to it).
   */
  readonly autoFocus?: boolean
}): ReactNode {
  const t = useT()
  const store = useAppStore()
  const tabs = useApp((s) => s.tabs)
  const activeTab = useApp((s) => s.activeTab)
  const history = useApp((s) => s.history)
  const commands = useApp((s) => s.commands)
  const utf8 = useApp((s) => s.utf8)
  const busy = useApp((s) => s.busy > 0)
  const showBusy = useDelayed(busy, 400)
  const running = useApp((s) => s.running)
  const tab = tabs.find((x) => x.id === activeTab) ?? tabs[0]
  const follow = props.followPlayhead === true
  const at = useApp((s) => (follow ? playheadPosition(s) : null))
  const allLines = tab?.lines
  const lines = useMemo(() => linesAtPosition(allLines ?? [], at), [allLines, at])
  const shownTab = tab?.id
  const paste = useApp((s) => s.pastes.find((p) => p.client === shownTab))
  const resumable = useApp(useShallow((s) => s.resumable.filter((l) => l.client === shownTab)))
  const [value, setValue] = useState('')
  const [historyIndex, setHistoryIndex] = useState<number | null>(null)
  const [draft, setDraft] = useState('')
  const [completion, setCompletion] = useState<Completion | null>(null)
  const [search, setSearch] = useState<Search | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const outputRef = useRef<HTMLDivElement>(null)
  const baseId = useId()
  const lineCount = lines.length
  // The output draws the newest SHOWN_LINES lines, from an earlier line once the learner
  // asked for more or scrolled back to read (its first line then stays, as new lines come).
  // Kept with its tab: a line of another tab is not in this one's lines at all.
  const [earliest, setEarliest] = useState<{ tab: ClientId; line: ConsoleLine } | null>(null)
  const start = windowStart(
    lines,
    earliest !== null && earliest.tab === shownTab ? earliest.line : null,
  )
  const shown = useMemo(() => (start === 0 ? lines : lines.slice(start)), [lines, start])
  const firstShown = useRef<{ tab: ClientId; line: ConsoleLine } | null>(null)
  firstShown.current =
    shownTab === undefined || shown[0] === undefined ? null : { tab: shownTab, line: shown[0] }
  // The first line of those the learner asked to see again ("Show 200 earlier lines"): the
  // lines before it are drawn outside the output's live region, which announces only the
  // lines that come after (they were read out as new). Null until some are asked for.
  const [liveFrom, setLiveFrom] = useState<ConsoleLine | null>(null)
  const liveStart =
    earliest === null || liveFrom === null ? 0 : Math.max(0, shown.indexOf(liveFrom))
  // The output's scroll height and position when earlier lines were asked for: the lines it
  // showed stay where they were as the earlier ones come in above them (at the top of the
  // box the browser keeps nothing in place, and the view jumped to the earliest line).
  const revealedFrom = useRef<{ height: number; top: number } | null>(null)
  useLayoutEffect(() => {
    const el = outputRef.current
    const from = revealedFrom.current
    revealedFrom.current = null
    if (el && from) el.scrollTop = from.top + el.scrollHeight - from.height
  }, [start])

  // Follows the newest line, once per frame: reading scrollHeight forces a layout, and a
  // pasted block lands many lines (and renders) in one task. A learner who scrolled back to
  // read stays there (atEnd) until they scroll to the end or enter a line.
  const scrollFrame = useRef<number | null>(null)
  // An empty tab shows the welcome and the example commands from their top: followed to its
  // end like any output, a console shorter than them (853×480 in projector mode) cut the
  // sentence that says what to type in half and showed only the examples' last rows.
  const welcome = useRef(true)
  // The box shrinks under a console that showed its newest line (a scene's note makes the
  // header taller, the caption wraps to two lines, the window is resized): it keeps showing
  // it, or the last command and its reply were cut off. One scrolled up to read stays put.
  const atEnd = useRef(true)
  // The newest line, not the count: a full console (MAX_CONSOLE_LINES) keeps its count.
  const newest = lines.at(-1)
  useLayoutEffect(() => {
    welcome.current = lineCount === 0
    if (!welcome.current && !atEnd.current) return
    const scroll = (): void => {
      scrollFrame.current = null
      const el = outputRef.current
      if (el) el.scrollTop = welcome.current ? 0 : el.scrollHeight
    }
    if (typeof requestAnimationFrame !== 'function') scroll()
    else scrollFrame.current ??= requestAnimationFrame(scroll)
  }, [lineCount, newest, activeTab])
  useEffect(
    () => () => {
      if (scrollFrame.current !== null) cancelAnimationFrame(scrollFrame.current)
    },
    [],
  )

  const hasTab = tab !== undefined
  useEffect(() => {
    const el = outputRef.current
    if (!el || typeof ResizeObserver !== 'function') return
    const onScroll = (): void => {
      // A scroll before the frame that follows the newest line (the browser keeping the lines
      // in view as the oldest shown leave) is not the learner's.
      if (scrollFrame.current !== null) return
      atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 2
      // Scrolled back to read: the lines shown stay, new ones are added after them; back at
      // the end, the output draws its newest lines only again.
      const end = atEnd.current
      setEarliest((e) => (end ? null : (e ?? firstShown.current)))
      if (end) setLiveFrom(null)
    }
    const observer = new ResizeObserver(() => {
      if (welcome.current) el.scrollTop = 0
      else if (atEnd.current) el.scrollTop = el.scrollHeight
    })
    el.addEventListener('scroll', onScroll, { passive: true })
    observer.observe(el)
    return () => {
      observer.disconnect()
      el.removeEventListener('scroll', onScroll)
    }
  }, [hasTab])
  const autoFocus = props.autoFocus === true
  useEffect(() => {
    if (autoFocus && hasTab) inputRef.current?.focus({ preventScroll: true })
  }, [autoFocus, hasTab])

  useEffect(() => {
    setEarliest(null)
    setLiveFrom(null)
    setValue('')
    setHistoryIndex(null)
    setCompletion(null)
    setSearch(null)
  }, [activeTab])

  /**
   * Runs one typed line on a client, the way redis-cli's REPL does; `block`: the pasted
   * block it is a line of.
   */
  const runLine = useCallback(
    (text: string, client: ClientId, block?: BlockId) => {
      const s = store.getState()
      const parsed = parseCommandLine(text)
      // A console that follows the playhead goes back to the end for a line typed there:
      // left at a past step, it hid the line and its reply as lines after that step.
      if (follow && !playheadAtEnd(s.items, s.playhead)) s.itemSelected(s.items.length - 1)
      // A line entered brings the output back to its end, to show the line and its reply.
      atEnd.current = true
      setEarliest(null)
      setLiveFrom(null)
      s.lineEntered(client, text, block)
      if (!parsed.ok) {
        s.localOutputRequested(client, [{ kind: 'error', text: parsed.error }], block)
        return
      }
      let argv = parsed.argv
      if (argv.length === 0) return
      let repeat = 1
      if (argv.length > 1 && /^\d+$/.test(argv[0] ?? '')) {
        repeat = Math.min(MAX_REPEAT, Number(argv[0]))
        argv = argv.slice(1)
      }
      const name = (argv[0] ?? '').toLowerCase()
      if (name === 'clear') {
        s.consoleClearRequested(client, block)
        return
      }
      // redis-cli answers "?" as it answers HELP, without asking the server.
      if (name === 'help' || name === '?') {
        const topic = argv.slice(1).map(bytesToUtf8)
        const lines = helpLines(topic, s.commands)
        s.localOutputRequested(client, [{ kind: 'text', text: lines.join('\n') }], block)
        return
      }
      // redis-cli exits on both; here the console stays. QUIT goes to the server, which
      // answers OK and closes the connection (the next command opens a new one); EXIT is
      // redis-cli's own word, not a Redis command, so it only says what redis-cli would do.
      if (name === 'exit') {
        s.localOutputRequested(client, [{ kind: 'notice', key: 'console.exit' }], block)
        return
      }
      for (let i = 0; i < repeat; i++) s.commandSubmitted(argv, client, block)
    },
    [store, follow],
  )

  const submit = (text: string): void => {
    if (!tab) return
    runLine(text, tab.id)
    setValue('')
    setHistoryIndex(null)
    setCompletion(null)
    setSearch(null)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (!tab) return
    const s = store.getState()
    if (e.ctrlKey && e.key.toLowerCase() === 'c' && paste !== undefined) {
      // A pasted block runs: Ctrl+C stops it (its wait or long command included), as it
      // stops redis-cli reading a pipe.
      e.preventDefault()
      s.pasteStopRequested(tab.id)
      return
    }
    if (tab.waiting) {
      // Waiting in BLPOP: the line is closed, as redis-cli's is; Ctrl+C stops waiting.
      if (e.ctrlKey && e.key.toLowerCase() === 'c') {
        e.preventDefault()
        s.unblockRequested(tab.id)
      } else if (e.key === 'Enter' || e.key === 'Tab') e.preventDefault()
      return
    }
    if ((e.key !== 'Tab' || e.shiftKey) && completion && e.key !== 'Shift') setCompletion(null)

    if (search) {
      if (e.key === 'Enter') {
        e.preventDefault()
        submit(history[search.match] ?? '')
      } else if (e.ctrlKey && e.key.toLowerCase() === 'r') {
        e.preventDefault()
        const next = searchHistory(history, search.query, search.match - 1)
        if (next >= 0) setSearch({ ...search, match: next })
      } else if (e.key === 'Escape' || e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault()
        setValue(history[search.match] ?? '')
        setSearch(null)
      } else if (e.key === 'Backspace') {
        e.preventDefault()
        const query = search.query.slice(0, -1)
        setSearch({ query, match: searchHistory(history, query, history.length - 1) })
      } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) {
        e.preventDefault()
        const query = search.query + e.key
        setSearch({ query, match: searchHistory(history, query, history.length - 1) })
      }
      return
    }

    if (e.key === 'Enter') {
      e.preventDefault()
      submit(value)
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      if (history.length === 0) return
      const i = historyIndex === null ? history.length - 1 : Math.max(0, historyIndex - 1)
      if (historyIndex === null) setDraft(value)
      setHistoryIndex(i)
      setValue(history[i] ?? '')
    } else if (e.key === 'ArrowDown') {
      e.preventDefault()
      if (historyIndex === null) return
      const i = historyIndex + 1
      if (i >= history.length) {
        setHistoryIndex(null)
        setValue(draft)
      } else {
        setHistoryIndex(i)
        setValue(history[i] ?? '')
      }
    } else if (e.key === 'Escape' && value.length > MAX_INPUT_CHARS) {
      e.preventDefault()
      setValue('')
    } else if (
      e.key === 'Tab' &&
      !e.shiftKey &&
      value.length <= MAX_INPUT_CHARS &&
      (completion !== null || value.trim() !== '')
    ) {
      // linenoise: Tab cycles through the completions, then back to what was typed. On an
      // empty line, with Shift, and on a line with nothing to complete (arguments typed
      // after the command's name), Tab moves the focus as everywhere else in the page, so
      // keyboard users are not trapped in the command line: Tab did nothing there.
      const c = completion ?? {
        original: value,
        candidates: completeLine(value, s.commands),
        index: -1,
      }
      if (c.candidates.length === 0) return
      e.preventDefault()
      const index = (c.index + 1) % (c.candidates.length + 1)
      setCompletion({ ...c, index })
      setValue(index === c.candidates.length ? c.original : (c.candidates[index] ?? c.original))
    } else if (e.key === 'Escape' && completion) {
      e.preventDefault()
      setValue(completion.original)
      setCompletion(null)
    } else if (e.ctrlKey && e.key.toLowerCase() === 'r') {
      e.preventDefault()
      setSearch({ query: '', match: -1 })
    } else if (e.ctrlKey && e.key.toLowerCase() === 'l') {
      e.preventDefault()
      s.consoleClearRequested(tab.id)
    } else if (e.ctrlKey && e.key.toLowerCase() === 'c') {
      if (busy) {
        e.preventDefault()
        s.cancelRequested()
      } else if (window.getSelection()?.toString() === '') {
        e.preventDefault()
        setValue('')
      }
    }
  }

  /**
   * Runs lines as one block: Stop (or Ctrl+C) can drop those not yet sent. A held scene's
   * clock ticks jump the virtual clock in their places among its lines, as the scene did.
   */
  const runBlock = (
    lines: readonly (string | HeldLine)[],
    client: ClientId,
    scene?: SceneRun,
  ): void => {
    const s = store.getState()
    const texts = lines.filter((l) => typeof l === 'string' || l.tick === undefined)
    const block = scene
      ? s.pasteStarted(client, texts.length, 'scene', { ...scene, resumed: true })
      : s.pasteStarted(client, texts.length)
    // One store update for the whole block, not several per line (linesBatched).
    s.linesBatched(() => {
      for (const line of lines)
        if (typeof line === 'string') runLine(line, client, block)
        else if (line.tick === undefined) runLine(line.text, client, block)
        else s.clockJumpRequested(line.tick, block)
      s.pasteEntered(block)
    })
    // The rest of a scene: what it is about leads the panels again (its lines cleared it).
    if (scene) s.sceneFocused(scene.focus)
  }

  const onPaste = (e: ClipboardEvent<HTMLInputElement>): void => {
    const text = e.clipboardData.getData('text')
    if (!tab) return
    if (!/[\r\n]/.test(text)) {
      if (value.length + text.length <= MAX_INPUT_CHARS) return
      // Too long for the box: insert it ourselves, and the box shows the line's start.
      e.preventDefault()
      const el = e.currentTarget
      const from = Math.min(el.selectionStart ?? value.length, value.length)
      const to = Math.max(from, Math.min(el.selectionEnd ?? from, value.length))
      setValue(value.slice(0, from) + text + value.slice(to))
      setCompletion(null)
      return
    }
    e.preventDefault()
    const lines = (value + text).split(/\r?\n|\r/)
    // A trailing newline means the last line is complete too; otherwise keep it for editing.
    const rest = lines.pop() ?? ''
    const entered = lines.filter((line) => line.trim() !== '')
    if (entered.length > 1) runBlock(entered, tab.id)
    else for (const line of entered) runLine(line, tab.id)
    setValue(rest)
  }

  if (!tab) return <section className="console" aria-label={t('console.region')} />

  const prompt = promptFor(tab.db, tab.multi, tab.offline)
  const long = value.length > MAX_HINTED_CHARS
  const tooLong = value.length > MAX_INPUT_CHARS
  const hint = search || long ? null : hintFor(value, commands)
  const tabId = (id: ClientId) => `${baseId}-tab-${String(id)}`
  const panelId = `${baseId}-panel`

  return (
    <section className="console" aria-label={t('console.region')}>
      <div className="console-tabs" role="tablist" aria-label={t('console.tabs')}>
        {tabs.map((x) => (
          <div key={x.id} className="console-tab" data-active={x.id === tab.id}>
            <button
              type="button"
              role="tab"
              id={tabId(x.id)}
              aria-selected={x.id === tab.id}
              aria-controls={panelId}
              onClick={() => {
                store.getState().clientTabSelected(x.id)
                inputRef.current?.focus()
              }}
            >
              {tabName(x.label, t)}
            </button>
            {tabs.length > 1 && (
              <button
                type="button"
                className="console-tab-close"
                aria-label={t('console.closeTab', { label: tabName(x.label, t) })}
                onClick={() => {
                  store.getState().clientTabClosed(x.id)
                }}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="console-tab-new"
          aria-label={t('console.newTab')}
          title={t('console.newTab')}
          onClick={() => {
            store.getState().clientTabRequested()
          }}
        >
          +
        </button>
      </div>
      <div className="console-body" role="tabpanel" id={panelId} aria-labelledby={tabId(tab.id)}>
        <div
          className="console-output"
          role="log"
          aria-label={t('console.output', { label: tabName(tab.label, t) })}
          ref={outputRef}
          onClick={() => {
            if (window.getSelection()?.toString() === '') inputRef.current?.focus()
          }}
        >
          {tab.lines.length === 0 && (
            <>
              <p className="console-welcome">
                <span className="console-welcome-full">{t('console.welcome')}</span>
                {/* A short embed's two-line console shows this one instead (embed.css): the
                    full sentence was cut after its second line, mid-word. */}
                <span className="console-welcome-short">{t('console.welcomeShort')}</span>
              </p>
              <div className="console-examples" role="group" aria-label={t('console.examples')}>
                <span className="console-examples-label">{t('console.examples')}</span>
                {EXAMPLE_COMMANDS.map((line) => (
                  <button
                    key={line}
                    type="button"
                    onClick={() => {
                      runLine(line, tab.id)
                      inputRef.current?.focus()
                    }}
                  >
                    {line}
                  </button>
                ))}
              </div>
            </>
          )}
          {/* Outside the live region (always there, so that its coming is no news either): the
              button to show earlier lines, and the lines it showed. */}
          <div className="console-earlier-lines" aria-live="off">
            {start > 0 && (
              <button
                type="button"
                className="console-earlier"
                data-testid="console-earlier"
                onClick={() => {
                  const el = outputRef.current
                  if (el) revealedFrom.current = { height: el.scrollHeight, top: el.scrollTop }
                  const line = lines[Math.max(0, start - SHOWN_LINES)]
                  setEarliest(line === undefined ? null : { tab: tab.id, line })
                  setLiveFrom((f) => f ?? shown[0] ?? null)
                }}
              >
                {t('console.earlier', {
                  count: grouped(Math.min(start, SHOWN_LINES)),
                  hidden: grouped(start),
                })}
              </button>
            )}
            <OutputLines lines={shown} from={0} to={liveStart} utf8={utf8} t={t} />
          </div>
          <OutputLines lines={shown} from={liveStart} to={shown.length} utf8={utf8} t={t} />
        </div>
        {search && (
          <div className="console-search" aria-live="polite">
            {t('console.searchPrompt', { query: search.query })}{' '}
            <span className="console-search-match">{cutLine(history[search.match] ?? '', t)}</span>
          </div>
        )}
        <div className="console-input-row">
          <label className="console-prompt" htmlFor={`${baseId}-input`}>
            {prompt}
          </label>
          <span className="console-input-wrap">
            {/* A mirror of the typed text places the hint right after it, as redis-cli does;
                the real input lies on top, transparent. */}
            <span className="console-mirror" aria-hidden="true">
              <span className="console-mirror-text">
                {search ? search.query : long ? '' : value}
              </span>
              {hint && (
                <span className="console-hint" data-testid="console-hint">
                  {hint}
                </span>
              )}
            </span>
            <input
              id={`${baseId}-input`}
              ref={inputRef}
              className="console-input"
              aria-label={t('console.input', { label: tabName(tab.label, t) })}
              data-command-line={search ? undefined : 'true'}
              autoComplete="off"
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              value={
                search ? search.query : tooLong ? `${value.slice(0, LONG_PREVIEW_CHARS)}…` : value
              }
              readOnly={(tooLong && !search) || tab.waiting !== undefined}
              aria-disabled={tab.waiting !== undefined || undefined}
              aria-describedby={tooLong ? `${baseId}-long` : hint ? `${baseId}-hint` : undefined}
              onChange={(e) => {
                if (search || tooLong) return
                setValue(e.target.value)
                setCompletion(null)
              }}
              onKeyDown={onKeyDown}
              onPaste={(e) => {
                // While the tab waits in BLPOP, pasted lines wait their turn behind it (as
                // redis-cli reads them once the reply came) with their Stop; a bare fragment
                // of a line has nowhere to go, the line being closed.
                if (tab.waiting && !/[\r\n]/.test(e.clipboardData.getData('text')))
                  e.preventDefault()
                else onPaste(e)
              }}
            />
            {hint && (
              <span className="visually-hidden" id={`${baseId}-hint`}>
                {hint}
              </span>
            )}
          </span>
        </div>
        {tooLong && !search && (
          <LongLine
            id={`${baseId}-long`}
            text={value}
            onClear={() => {
              setValue('')
              inputRef.current?.focus()
            }}
          />
        )}
        {paste && <PasteLine paste={paste} />}
        {!paste && resumable.length > 0 && (
          <ResumeLine
            count={resumable.filter((l) => l.tick === undefined).length}
            ticks={resumable.length - resumable.filter((l) => l.tick === undefined).length}
            onRun={() => {
              const scene = store.getState().resumableScene ?? undefined
              store.getState().resumableTaken(tab.id)
              runBlock(resumable, tab.id, scene)
              inputRef.current?.focus()
            }}
            onDiscard={() => {
              store.getState().resumableTaken(tab.id)
              inputRef.current?.focus()
            }}
          />
        )}
        {tab.waiting ? (
          <div className="console-busy console-waiting" role="status">
            {t('console.waiting', { command: displayCommand(tab.waiting.argv) })}{' '}
            <button
              type="button"
              onClick={() => {
                store.getState().unblockRequested(tab.id)
                inputRef.current?.focus()
              }}
            >
              {t('console.cancel')}
            </button>{' '}
            {/* "Another client" is a second tab: a newcomer did not know where to find one. */}
            <button
              type="button"
              className="console-waiting-other"
              onClick={() => {
                store.getState().clientTabRequested()
              }}
            >
              {t('console.waitingOther')}
            </button>
          </div>
        ) : running ? (
          <ProgressLine running={running} />
        ) : (
          showBusy &&
          !paste && (
            <div className="console-busy" role="status">
              {t('console.busy')}
              <CancelButton />
            </div>
          )
        )}
      </div>
    </section>
  )
}

/**
 * Under a line too long for the box: its size, and buttons to copy all of it or clear it.
 * The size is counted once per line, not per render.
 */
function LongLine(props: {
  readonly id: string
  readonly text: string
  readonly onClear: () => void
}): ReactNode {
  const t = useT()
  const store = useAppStore()
  const { text } = props
  const bytes = useMemo(() => utf8Length(text).toLocaleString('en-US'), [text])
  const copy = (): void => {
    const failed = (): void => {
      store.getState().noticeShown('console.longCopyFailed', {}, 'warn')
    }
    // navigator.clipboard is missing outside secure contexts (a plain-http classroom server).
    if (typeof navigator.clipboard === 'undefined') {
      failed()
      return
    }
    navigator.clipboard.writeText(text).then(() => {
      store.getState().noticeShown('console.longCopied', { bytes })
    }, failed)
  }
  return (
    <div className="console-long" data-testid="console-long">
      <span id={props.id}>{t('console.long', { bytes })}</span>{' '}
      <button type="button" onClick={copy}>
        {t('console.longCopy')}
      </button>{' '}
      <button type="button" onClick={props.onClear}>
        {t('console.longClear')}
      </button>
    </div>
  )
}

function CancelButton(): ReactNode {
  const t = useT()
  const store = useAppStore()
  return (
    <button
      type="button"
      onClick={() => {
        store.getState().cancelRequested()
      }}
    >
      {t('console.cancel')}
    </button>
  )
}

/**
 * After a reload that left lines unrun (the rest of a pasted block): how many, and buttons to
 * run them now, as one block, or to let them go.
 */
function ResumeLine(props: {
  readonly count: number
  /** A scene's clock ticks among the lines (run in their places). */
  readonly ticks: number
  readonly onRun: () => void
  readonly onDiscard: () => void
}): ReactNode {
  const t = useT()
  return (
    <div className="console-busy console-resume" role="status" data-testid="console-resume">
      <span>
        {props.ticks === 0
          ? t('console.resumeOffer', { count: grouped(props.count) })
          : t('console.resumeOfferTicks', {
              count: grouped(props.count),
              ticks: grouped(props.ticks),
            })}
      </span>{' '}
      <button type="button" onClick={props.onRun}>
        {t('console.resumeRun')}
      </button>{' '}
      <button type="button" onClick={props.onDiscard}>
        {t('console.resumeDiscard')}
      </button>
    </div>
  )
}

/** The live line of a pasted block: "Pasted block: 120 of 1,000 lines …", Stop (or Ctrl+C). */
function PasteLine({ paste }: { paste: PastedBlock }): ReactNode {
  const t = useT()
  const store = useAppStore()
  const params = { done: grouped(paste.done), total: grouped(paste.lines) }
  return (
    <div className="console-busy console-progress" role="status" data-testid="console-paste">
      <span className="console-progress-text">{t('console.pasteRunning', params)}</span>{' '}
      <progress
        max={Math.max(1, paste.lines)}
        value={paste.done}
        aria-label={t('console.pasteProgressLabel')}
      />{' '}
      <button
        type="button"
        onClick={() => {
          store.getState().pasteStopRequested(paste.client)
        }}
      >
        {t('console.pasteStop')}
      </button>
    </div>
  )
}

/** The live line of a long command: "DEBUG POPULATE 200000 … 43%", a bar, Cancel (or Ctrl+C). */
function ProgressLine({ running }: { running: RunningCommand }): ReactNode {
  const t = useT()
  const command = displayCommand(running.argv)
  const percent = running.total > 0 ? Math.floor((100 * running.done) / running.total) : 0
  return (
    <div className="console-busy console-progress" role="status" data-testid="console-progress">
      <span className="console-progress-text">{t('console.progress', { command, percent })}</span>{' '}
      <progress
        max={Math.max(1, running.total)}
        value={running.done}
        aria-label={t('console.progressLabel', { command })}
      />{' '}
      <CancelButton />
    </div>
  )
}

/** A reply as redis-cli prints it, cut to what the page can lay out, with what was left out. */
function ReplyView(props: {
  line: Extract<ConsoleLine, { kind: 'reply' }>
  utf8: boolean
  t: Translate
}): ReactNode {
  const { line, t } = props
  const shown = useMemo(() => {
    const s = showReply(line.reply, { utf8: props.utf8, raw: line.raw === true })
    return { ...s, moreLines: s.moreLines + (line.more ?? 0) }
  }, [line, props.utf8])
  const short = useMemo(() => shortArray(line.reply), [line])
  return (
    <>
      {short && (
        <p className="console-line console-line-notice" data-testid="console-short-reply">
          {t('console.shortReply', {
            count: short.count,
            sent: short.sent,
            missing: short.count - short.sent,
          })}
        </p>
      )}
      <pre
        className={`console-line console-line-reply${line.reply.type === 'error' ? ' console-line-error' : ''}`}
      >
        {shown.text}
      </pre>
      {(shown.moreLines > 0 || shown.moreChars > 0 || shown.moreBytes > 0) && (
        <p className="console-line console-line-notice" data-testid="console-cut">
          {[
            shown.moreBytes > 0 && t('console.moreBytes', { count: grouped(shown.moreBytes) }),
            shown.moreChars > 0 && t('console.moreChars', { count: grouped(shown.moreChars) }),
            shown.moreLines > 0 &&
              t('console.moreLines', { count: grouped(shown.moreLines), shown: MAX_REPLY_LINES }),
          ]
            .filter((x) => x !== false)
            .join(' ')}
        </p>
      )}
    </>
  )
}

/** A count with its thousands grouped (536,845,002), read at a glance in both languages. */
function grouped(n: number): string {
  return GROUPING.format(n)
}

/** One formatter for every count: toLocaleString builds one per call, slow on each render. */
const GROUPING = new Intl.NumberFormat('en-US')

/**
 * Characters of a typed or monitored line the console shows: a screenful and more. A
 * 100,000-member SADD echoed its first 100,000 characters, one block of wrapped text whose
 * layout alone held the page ~80 ms (a reply's lines are cut at MAX_REPLY_CHARS).
 */
export const MAX_ECHO_CHARS = 10_000

/** A typed or monitored line cut after MAX_ECHO_CHARS, with the count of the rest. */
function cutLine(text: string, t: Translate): string {
  if (text.length <= MAX_ECHO_CHARS) return text
  // Grouped as a cut reply's count is, after the message's own "…" (it read "xx… (… 900008").
  const more = t('console.moreChars', { count: grouped(text.length - MAX_ECHO_CHARS) })
  return `${text.slice(0, MAX_ECHO_CHARS)} ${more}`
}

/**
 * Lines of a tab's output the console draws (and keeps in the page), its newest: a pasted
 * block of thousands of lines re-rendered and laid out the whole capped scrollback
 * (MAX_CONSOLE_LINES) for each batch of replies, 200–300 ms at a time. Earlier lines come
 * back on request, SHOWN_LINES at a time.
 */
export const SHOWN_LINES = 200

/**
 * The index of the first line the output draws: the newest SHOWN_LINES, or from `earliest`
 * (a line the learner scrolled back to, or asked to see) while it is still in the tab. Once
 * it dropped off a full tab's front (MAX_CONSOLE_LINES) as new lines came, from the oldest
 * line left: the newest SHOWN_LINES took away the lines being read, and the view jumped.
 */
export function windowStart(lines: readonly ConsoleLine[], earliest: ConsoleLine | null): number {
  const tail = Math.max(0, lines.length - SHOWN_LINES)
  if (earliest === null || tail === 0) return tail
  const i = lines.indexOf(earliest)
  if (i < 0) return lines.length >= MAX_CONSOLE_LINES ? 0 : tail
  return i < tail ? i : tail
}

const lineIds = new WeakMap<ConsoleLine, number>()
let nextLineId = 0
let nextEarlierId = -1

/**
 * React keys for a tab's lines that stay with each line (its object) when older lines leave
 * the front of the capped list: keyed by index, every line shifted and re-rendered once the
 * console was full, for each new line. A line object shown twice (a shared constant) gets
 * its index too.
 */
function lineKeys(lines: readonly ConsoleLine[]): string[] {
  // Earlier lines shown on request come before lines with ids: theirs count down, so that
  // ids still grow down the output and the groups of the lines already shown stay whole.
  const known = lines.findIndex((line) => lineIds.has(line))
  for (let i = known - 1; i >= 0; i--) lineIds.set(lines[i] as ConsoleLine, nextEarlierId--)
  const seen = new Set<number>()
  return lines.map((line, i) => {
    let id = lineIds.get(line)
    if (id === undefined) lineIds.set(line, (id = nextLineId++))
    if (seen.has(id)) return `${String(id)}@${String(i)}`
    seen.add(id)
    return String(id)
  })
}

/**
 * Lines per LineGroup. The output is drawn in groups of lines, and a group re-renders only
 * when one of its lines changed: a new line re-renders the last group, not an element per
 * line of the whole console, which every batch of answers of a pasted block of a thousand
 * lines did (a third of the page's time while it ran).
 */
const LINE_GROUP = 64

/**
 * The groups of a tab's lines: by their ids (lineKeys), LINE_GROUP ids a group, so that a
 * group keeps its lines when older lines leave the front of the capped list (groups by
 * position would all shift, and remount every line, once the console is full). A line shown
 * twice (a shared constant), or an id out of order, stays in the group before it.
 */
function lineGroups(
  lines: readonly ConsoleLine[],
  keys: readonly string[],
): { key: string; start: number; end: number }[] {
  const groups: { key: string; start: number; end: number }[] = []
  let current = -1
  for (let i = 0; i < lines.length; i++) {
    const id = lineIds.get(lines[i] as ConsoleLine) ?? 0
    const g = keys[i]?.includes('@') === true ? current : Math.floor(id / LINE_GROUP)
    const last = groups.at(-1)
    if (last === undefined || g > current) {
      groups.push({ key: `g${String(g)}`, start: i, end: i + 1 })
      current = g
    } else last.end = i + 1
  }
  return groups
}

/**
 * The lines of a tab's output from index `from` to `to`, in groups (lineGroups); their keys
 * are those of all `lines` (lineKeys numbers the earlier lines down from the first known).
 */
function OutputLines(props: {
  lines: readonly ConsoleLine[]
  from: number
  to: number
  utf8: boolean
  t: Translate
}): ReactNode {
  if (props.from >= props.to) return null
  const all = lineKeys(props.lines)
  const lines = props.lines.slice(props.from, props.to)
  const keys = all.slice(props.from, props.to)
  return lineGroups(lines, keys).map((g) => (
    <LineGroup
      key={g.key}
      lines={lines.slice(g.start, g.end)}
      keys={keys.slice(g.start, g.end)}
      utf8={props.utf8}
      t={props.t}
    />
  ))
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

const LineGroup = memo(
  function LineGroup(props: {
    lines: readonly ConsoleLine[]
    keys: readonly string[]
    utf8: boolean
    t: Translate
  }): ReactNode {
    return props.lines.map((line, i) => (
      <ConsoleLineView key={props.keys[i]} line={line} utf8={props.utf8} t={props.t} />
    ))
  },
  (a, b) =>
    a.utf8 === b.utf8 && a.t === b.t && sameItems(a.lines, b.lines) && sameItems(a.keys, b.keys),
)

/** One line of the output; memoised, so typing does not format every reply again. */
const ConsoleLineView = memo(function ConsoleLineView(props: {
  line: ConsoleLine
  utf8: boolean
  t: Translate
}): ReactNode {
  const { line, t } = props
  switch (line.kind) {
    case 'input':
      return (
        <pre className="console-line console-line-input">
          <span className="console-prompt">{promptFor(line.db, line.multi, line.offline)}</span>
          {cutLine(line.text, t)}
        </pre>
      )
    case 'reply':
      return <ReplyView line={line} utf8={props.utf8} t={t} />
    case 'text':
      return <pre className="console-line console-line-text">{line.text}</pre>
    case 'error':
      return <pre className="console-line console-line-error">{line.text}</pre>
    case 'notice':
      return <pre className="console-line console-line-notice">{t(line.key, line.params)}</pre>
    case 'monitor':
      // As redis-cli prints MONITOR's lines, set apart from replies; the title says what it is.
      return (
        <pre className="console-line console-line-monitor" title={t('console.monitorLine')}>
          {cutLine(line.text, t)}
        </pre>
      )
  }
})
