import { act, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Console, SHOWN_LINES } from '../../src/console/Console.tsx'
import { createServer } from '../../src/engine/index.ts'
import type { ServerFactory } from '../../src/worker/engineHost.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { translate } from '../../src/i18n/index.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import { MAX_CONSOLE_LINES } from '../../src/state/store.ts'
import { createHarness } from '../state/harness.ts'

let cleanup: (() => void) | null = null
afterEach(() => {
  cleanup?.()
  cleanup = null
})

async function setup(
  factory?: ServerFactory,
  more: Parameters<typeof createHarness>[0] = {},
  followPlayhead = false,
) {
  const h = await createHarness(factory ? { ...more, factory } : more)
  cleanup = h.dispose
  render(
    <AppStoreProvider store={h.store}>
      <Console followPlayhead={followPlayhead} />
    </AppStoreProvider>,
  )
  const user = userEvent.setup()
  const input = screen.getByRole('textbox', { name: /^Command for client \d+$/ })
  const log = screen.getByRole('log', { name: /^Output of client \d+$/ })
  const settle = async () => {
    await act(() => h.bridge.idle())
  }
  const type = async (text: string) => {
    await user.type(input, text)
    await settle()
  }
  const lines = () => [...log.querySelectorAll('.console-line')].map((el) => el.textContent)
  return { h, user, input, log, type, settle, lines }
}

/** Prints `count` lines "line N" in the active tab, from N = `from`, as output does. */
function appendLines(c: Awaited<ReturnType<typeof setup>>, from: number, count: number): void {
  act(() => {
    c.h.store.getState().consoleOutputAppended(
      c.h.tab(),
      Array.from({ length: count }, (_, i) => ({ kind: 'text', text: `line ${String(from + i)}` })),
    )
  })
}

/**
 * Runs `body` with the output's scroll box laid out by hand (jsdom lays nothing out): no
 * ResizeObserver, a 4,000 px output in a 400 px box; `scrollTo` scrolls it as a learner does.
 */
async function withScrollBox(
  body: (c: Awaited<ReturnType<typeof setup>>, scrollTo: (top: number) => void) => Promise<void>,
  lines: number,
): Promise<void> {
  const saved = globalThis.ResizeObserver
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  try {
    const c = await setup()
    appendLines(c, 0, lines)
    await act(() => new Promise((r) => requestAnimationFrame(r)))
    for (const [name, value] of [
      ['scrollHeight', 4000],
      ['clientHeight', 400],
    ] as const)
      Object.defineProperty(c.log, name, { configurable: true, value })
    await body(c, (top) => {
      c.log.scrollTop = top
      act(() => {
        c.log.dispatchEvent(new Event('scroll'))
      })
    })
  } finally {
    globalThis.ResizeObserver = saved
  }
}

describe('Console', { timeout: 30_000 }, () => {
  it('runs a command and prints the reply as redis-cli does', async () => {
    const c = await setup()
    await c.type('SET k "a b"{Enter}')
    await c.type('GET k{Enter}')
    await c.type('GET missing{Enter}')
    expect(c.lines()).toEqual([
      '127.0.0.1:6379> SET k "a b"',
      'OK',
      '127.0.0.1:6379> GET k',
      '"a b"',
      '127.0.0.1:6379> GET missing',
      '(nil)',
    ])
  })

  it('offers one-click example commands on an empty console, then gets out of the way', async () => {
    const c = await setup()
    const examples = screen.getByRole('group', { name: /^Try one/ })
    await c.user.click(within(examples).getByRole('button', { name: 'SET greeting hello' }))
    await c.settle()
    expect(c.lines()).toEqual(['127.0.0.1:6379> SET greeting hello', 'OK'])
    expect(c.input).toHaveFocus()
    expect(screen.queryByRole('group', { name: /^Try one/ })).toBeNull()
  })

  it('prints Invalid argument(s) for unbalanced quotes, without sending anything', async () => {
    const c = await setup()
    await c.type('SET k "oops{Enter}')
    expect(c.lines()).toEqual(['127.0.0.1:6379> SET k "oops', 'Invalid argument(s)'])
    expect(c.h.store.getState().items).toHaveLength(0)
  })

  it('walks the history with ↑ and ↓, back to the draft', async () => {
    const c = await setup()
    await c.type('SET a 1{Enter}')
    await c.type('GET a{Enter}')
    await c.type('dra')
    await c.user.keyboard('{ArrowUp}')
    expect(c.input).toHaveValue('GET a')
    await c.user.keyboard('{ArrowUp}')
    expect(c.input).toHaveValue('SET a 1')
    await c.user.keyboard('{ArrowDown}{ArrowDown}')
    expect(c.input).toHaveValue('dra')
  })

  it('finds an older line with Ctrl+R and runs it with Enter', async () => {
    const c = await setup()
    await c.type('SET a 1{Enter}')
    await c.type('GET a{Enter}')
    await c.user.keyboard('{Control>}r{/Control}')
    await c.user.keyboard('SET')
    expect(screen.getByText('SET a 1', { selector: '.console-search-match' })).toBeInTheDocument()
    await c.user.keyboard('{Enter}')
    await c.settle()
    expect(c.lines().slice(-2)).toEqual(['127.0.0.1:6379> SET a 1', 'OK'])
  })

  it('completes command names with Tab, cycling back to what was typed', async () => {
    const c = await setup()
    await c.type('d')
    await c.user.keyboard('{Tab}')
    expect(c.input).toHaveValue('DBSIZE')
    await c.user.keyboard('{Tab}')
    expect(c.input).toHaveValue('DEL')
    await c.user.keyboard('{Tab}')
    expect(c.input).toHaveValue('d')
  })

  it('lets Tab on an empty line and Shift+Tab move the focus out of the command line', async () => {
    const c = await setup()
    c.input.focus()
    await c.user.keyboard('{Shift>}{Tab}{/Shift}')
    expect(c.input).not.toHaveFocus()
    expect(document.activeElement?.tagName).toBe('BUTTON')
    c.input.focus()
    await c.type('d')
    await c.user.keyboard('{Shift>}{Tab}{/Shift}')
    expect(c.input).not.toHaveFocus()
    expect(c.input).toHaveValue('d')
    c.input.focus()
    await c.user.clear(c.input)
    await c.user.keyboard('{Tab}')
    expect(c.input).not.toHaveFocus()
    expect(c.input).toHaveValue('')
  })

  it('lets Tab move the focus out of a line with nothing to complete', async () => {
    // Tab on "SET greeting hel" (no command name to complete) did nothing and kept the
    // focus: a keyboard user who had typed arguments could not Tab out of the console.
    const c = await setup()
    await c.type('SET greeting hel')
    await c.user.keyboard('{Tab}')
    expect(c.input).not.toHaveFocus()
    expect(c.input).toHaveValue('SET greeting hel')
  })

  it('shows the syntax hint after the command name, shrinking as arguments are typed', async () => {
    const c = await setup()
    await c.type('set')
    expect(screen.getByTestId('console-hint')).toHaveTextContent(/^key value \[NX\|XX\]$/)
    await c.type(' k')
    expect(screen.getByTestId('console-hint').textContent).toBe(' value [NX|XX]')
  })

  it('takes a pasted 1 MB argument without laying it out again for a hint, and runs it', async () => {
    const c = await setup()
    const value = 'x'.repeat(1_000_000)
    fireEvent.change(c.input, { target: { value: `SET big ${value}` } })
    expect(screen.queryByTestId('console-hint')).toBeNull()
    expect(c.log.parentElement?.querySelector('.console-mirror-text')?.textContent).toBe('')
    await c.user.type(c.input, '{Enter}')
    await c.settle()
    expect(c.h.store.getState().items.at(-1)?.argv).toEqual(['SET', 'big', value])
    expect(c.lines().at(-1)).toBe('OK')
    // The echoed line is cut, with the rest counted as a cut reply counts it.
    expect(c.lines().at(-2)).toMatch(/x … 990,008 more characters not shown\.$/)
    // A short line has its mirror and hint again.
    await c.type('SET k')
    expect(screen.getByTestId('console-hint').textContent).toBe(' value [NX|XX]')
  })

  it('keeps a pasted 10 MB value whole but shows the box only its start, with its size', async () => {
    const c = await setup(createServer)
    const value = `é${'x'.repeat(10_000_000)}`
    await c.user.click(c.input)
    await c.user.keyboard('SET big ')
    await c.user.paste(value)
    // The box holds a preview, read-only; the bar says how long the line is.
    const shown = (c.input as HTMLInputElement).value
    expect(shown.length).toBeLessThan(300)
    expect(shown.startsWith('SET big éxxx')).toBe(true)
    expect(c.input).toHaveAttribute('readonly')
    expect(screen.getByTestId('console-long')).toHaveTextContent(
      'Long line: 10,000,010 bytes, too long to edit here',
    )
    expect(c.input).toHaveAccessibleDescription(/^Long line: 10,000,010 bytes/)
    // Enter runs all of it.
    await c.user.keyboard('{Enter}')
    await c.settle()
    expect(c.h.store.getState().items.at(-1)?.argv).toEqual([
      'SET',
      'big',
      '\xc3\xa9' + value.slice(1),
    ])
    expect(screen.queryByTestId('console-long')).toBeNull()
    expect(c.input).not.toHaveAttribute('readonly')
    await c.type('STRLEN big{Enter}')
    expect(c.lines().at(-1)).toBe('(integer) 10000002')
    // ↑ recalls it whole; Clear empties the line.
    await c.user.keyboard('{ArrowUp}{ArrowUp}')
    expect(screen.getByTestId('console-long')).toBeInTheDocument()
    await c.user.click(screen.getByRole('button', { name: 'Clear the line' }))
    expect(c.input).toHaveValue('')
    expect(c.input).toHaveFocus()
  })

  it('shows a tab waiting in BLPOP, closes its input, and prints the reply another tab serves', async () => {
    const c = await setup(createServer)
    await c.type('BLPOP queue 0{Enter}')
    expect(c.lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0'])
    expect(screen.getByRole('status')).toHaveTextContent(/^Waiting for BLPOP queue 0…/)
    expect(c.input).toHaveAttribute('readonly')
    expect(c.input).toHaveAttribute('aria-disabled', 'true')
    // Typing goes nowhere while it waits.
    await c.type('GET k{Enter}')
    expect(c.lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0'])

    // Another tab stays usable and serves it: the waiting line opens one.
    await c.user.click(screen.getByRole('button', { name: 'Open another client' }))
    await c.settle()
    expect(screen.getAllByRole('tab')).toHaveLength(2)
    const input2 = screen.getByRole('textbox')
    expect(input2).not.toHaveAttribute('aria-disabled', 'true')
    expect(screen.queryByRole('status')).toBeNull()
    await c.user.type(input2, 'RPUSH queue job{Enter}')
    await c.settle()
    await c.user.click(screen.getAllByRole('tab')[0] as HTMLElement)
    const log1 = screen.getByRole('log', { name: /^Output of client \d+$/ })
    const lines1 = [...log1.querySelectorAll('.console-line')].map((el) => el.textContent)
    expect(lines1).toEqual(['127.0.0.1:6379> BLPOP queue 0', '1) "queue"\n2) "job"'])
    expect(screen.queryByRole('status')).toBeNull()
    expect(screen.getByRole('textbox', { name: /^Command for client \d+$/ })).not.toHaveAttribute(
      'readonly',
    )
  })

  it('runs lines pasted while the tab waits in BLPOP once the wait ends, in order', async () => {
    const c = await setup(createServer)
    await c.type('BLPOP queue 0{Enter}')
    await c.user.click(c.input)
    await c.user.paste('SET a 1\nGET a\n')
    await c.settle()
    // They wait their turn (they used to vanish without a word), with the block's Stop.
    expect(c.lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0'])
    expect(screen.getByTestId('console-paste').textContent).toContain('Pasted lines: 0 of 2 run')
    act(() => {
      c.h.store.getState().clientTabRequested()
    })
    await c.settle()
    await c.type('RPUSH queue job{Enter}')
    await c.user.click(screen.getAllByRole('tab')[0] as HTMLElement)
    await c.settle()
    const log1 = screen.getByRole('log', { name: /^Output of client \d+$/ })
    expect([...log1.querySelectorAll('.console-line')].map((el) => el.textContent)).toEqual([
      '127.0.0.1:6379> BLPOP queue 0',
      '1) "queue"\n2) "job"',
      '127.0.0.1:6379> SET a 1',
      'OK',
      '127.0.0.1:6379> GET a',
      '"1"',
    ])
    expect(screen.queryByTestId('console-paste')).toBeNull()
  })

  it('stops waiting on Ctrl+C or Cancel: the tab prints (nil) and takes commands again', async () => {
    const c = await setup(createServer)
    await c.type('BLPOP queue 0{Enter}')
    await c.user.keyboard('{Control>}c{/Control}')
    await c.settle()
    expect(c.lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0', '(nil)'])
    expect(screen.queryByRole('status')).toBeNull()
    await c.type('BZPOPMAX z 0{Enter}')
    await c.user.click(within(screen.getByRole('status')).getByRole('button', { name: 'Cancel' }))
    await c.settle()
    await c.type('PING{Enter}')
    expect(c.lines().slice(2)).toEqual([
      '127.0.0.1:6379> BZPOPMAX z 0',
      '(nil)',
      '127.0.0.1:6379> PING',
      'PONG',
    ])
    // Inside MULTI Redis answers at once: no wait.
    await c.type('MULTI{Enter}')
    await c.type('BLPOP queue 0{Enter}')
    await c.type('EXEC{Enter}')
    expect(c.lines().slice(-2)).toEqual(['127.0.0.1:6379(TX)> EXEC', '1) (nil)'])
  })

  it('shows the waiting state in 简体中文 too', async () => {
    const c = await setup(createServer)
    await c.type('BLPOP queue 0{Enter}')
    act(() => {
      c.h.store.getState().languageChanged('zh')
    })
    expect(screen.getByRole('status')).toHaveTextContent(/^正在等待 BLPOP queue 0 的回复/)
    expect(screen.getByRole('button', { name: '取消' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: '打开另一个客户端' })).toBeInTheDocument()
  })

  it('answers HELP <command> and CLEAR locally', async () => {
    const c = await setup()
    await c.type('HELP SET{Enter}')
    expect(c.lines().at(-1)).toContain(
      '  SET key value [NX|XX]\n  summary: Sets the string value of a key.\n  since: 1.0.0',
    )
    await c.type('CLEAR{Enter}')
    expect(c.lines()).toEqual([])
    expect(c.h.store.getState().items).toHaveLength(0)
  })

  it('answers "?" as HELP and prints help topics as redis-cli 7.0.15 does', async () => {
    const c = await setup(createServer)
    // What `redis-cli` prints for `? object` and `help @hyperloglog` (colours taken out),
    // less the last line break, which the prompt's line gives.
    await c.type('? object{Enter}')
    expect(c.lines().at(-1)).toBe(
      '\n  OBJECT \n  summary: A container for object introspection commands\n  since: 2.2.3\n  group: generic\n\n  OBJECT ENCODING key\n  summary: Inspect the internal encoding of a Redis object\n  since: 2.2.3\n  group: generic\n\n  OBJECT FREQ key\n  summary: Get the logarithmic access frequency counter of a Redis object\n  since: 4.0.0\n  group: generic\n\n  OBJECT HELP \n  summary: Show helpful text about the different subcommands\n  since: 6.2.0\n  group: generic\n\n  OBJECT IDLETIME key\n  summary: Get the time since a Redis object was last accessed\n  since: 2.2.3\n  group: generic\n\n  OBJECT REFCOUNT key\n  summary: Get the number of references to the value of the key\n  since: 2.2.3\n  group: generic\n',
    )
    await c.type('help @hyperloglog{Enter}')
    expect(c.lines().at(-1)).toBe(
      '\n  PFADD key [element [element ...]]\n  summary: Adds the specified elements to the specified HyperLogLog.\n  since: 2.8.9\n\n  PFCOUNT key [key ...]\n  summary: Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).\n  since: 2.8.9\n\n  PFDEBUG subcommand key\n  summary: Internal commands for debugging HyperLogLog values\n  since: 2.8.9\n\n  PFMERGE destkey sourcekey [sourcekey ...]\n  summary: Merge N different HyperLogLogs into a single one.\n  since: 2.8.9\n\n  PFSELFTEST \n  summary: An internal command for testing HyperLogLog values\n  since: 2.8.9\n',
    )
    await c.type('?{Enter}')
    expect(c.lines().at(-1)).toMatch(/^redis-cli 7\.0\.15\nTo get help about Redis commands/)
    // Answered by the console, as redis-cli does: nothing went to the server.
    expect(c.h.store.getState().items).toHaveLength(0)
  })

  it('runs a pasted block line by line', async () => {
    const c = await setup()
    await c.user.click(c.input)
    await c.user.paste('SET a 1\nINCR a\nGET a\n')
    await c.settle()
    expect(c.lines().filter((_, i) => i % 2 === 1)).toEqual(['OK', '(integer) 2', '"2"'])
  })

  it('shows a running pasted block with Stop; Stop leaves the lines not sent unrun and says how many', async () => {
    const c = await setup(createServer)
    await c.user.click(c.input)
    // BLPOP holds the block (the lines after it wait their turn), so it is still running.
    await c.user.paste('SET a 1\nBLPOP q 0\nGET a\nINCR n\n')
    await c.settle()
    const line = screen.getByTestId('console-paste')
    expect(line.textContent).toContain('Pasted lines: 2 of 4 run')
    await c.user.click(within(line).getByRole('button', { name: 'Stop' }))
    await c.settle()
    expect(screen.queryByTestId('console-paste')).toBeNull()
    expect(c.lines().slice(-2)).toEqual([
      '(nil)',
      '(stopped before sending the last 2 lines of the pasted block: not run)',
    ])
    expect(c.h.store.getState().log.flatMap((e) => (e.t === 'exec' ? [e.argv[0]] : []))).toEqual([
      'SET',
      'BLPOP',
      'CLIENT',
    ])
    // The console goes on as before.
    await c.type('GET a{Enter}')
    expect(c.lines().slice(-2)).toEqual(['127.0.0.1:6379> GET a', '"1"'])
  })

  it('stops a running pasted block with Ctrl+C, in 简体中文 too', async () => {
    const c = await setup(createServer)
    c.h.store.getState().languageChanged('zh')
    await c.user.click(c.input)
    await c.user.paste('BLPOP q 0\nSET a 1\nGET a\n')
    await c.settle()
    expect(screen.getByTestId('console-paste').textContent).toContain('已执行 1 / 3 行')
    await c.user.keyboard('{Control>}c{/Control}')
    await c.settle()
    expect(screen.queryByTestId('console-paste')).toBeNull()
    expect(c.lines().at(-1)).toBe('(已停止：粘贴的命令块中最后 2 行没有发送，因此没有执行)')
    expect(c.h.store.getState().log.some((e) => e.t === 'exec' && e.argv[0] === 'SET')).toBe(false)
  })

  it('draws only the newest lines of a full console, and keeps their elements as lines come', async () => {
    const c = await setup()
    appendLines(c, 0, MAX_CONSOLE_LINES)
    // The newest SHOWN_LINES rows are in the page, not the whole capped scrollback: a pasted
    // block of thousands of lines re-rendered and laid out all of it for each batch.
    const first = MAX_CONSOLE_LINES - SHOWN_LINES
    expect(c.lines()).toEqual(
      Array.from({ length: SHOWN_LINES }, (_, i) => `line ${String(first + i)}`),
    )
    const middle = [...c.log.querySelectorAll('.console-line')][100]
    expect(middle?.textContent).toBe(`line ${String(first + 100)}`)
    appendLines(c, MAX_CONSOLE_LINES, 1)
    const lines = c.lines()
    expect(lines).toHaveLength(SHOWN_LINES)
    expect(lines[0]).toBe(`line ${String(first + 1)}`)
    expect(lines.at(-1)).toBe(`line ${String(MAX_CONSOLE_LINES)}`)
    // The same element, not a new one: a full console re-rendered every line per new line.
    expect(middle?.isConnected).toBe(true)
    // The lines before the window come back on request, SHOWN_LINES at a time, in 简体中文 too.
    await c.user.click(
      screen.getByRole('button', {
        name: `Show ${String(SHOWN_LINES)} earlier lines (${first.toLocaleString('en-US')} not shown)`,
      }),
    )
    expect(c.lines()).toHaveLength(2 * SHOWN_LINES)
    expect(c.lines()[0]).toBe(`line ${String(first + 1 - SHOWN_LINES)}`)
    expect(middle?.isConnected).toBe(true)
    act(() => {
      c.h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('console-earlier').textContent).toBe(
      `显示前面的 ${String(SHOWN_LINES)} 行（还有 ${(first - SHOWN_LINES).toLocaleString('en-US')} 行未显示）`,
    )
  })

  it('keeps the lines a learner scrolled back to while new lines come, until a line is entered', async () => {
    await withScrollBox(async (c, scrollTo) => {
      scrollTo(1000)
      appendLines(c, SHOWN_LINES, 50)
      await act(() => new Promise((r) => requestAnimationFrame(r)))
      // Nothing the learner is reading left the page, and the box did not jump to the end.
      expect(c.lines()[0]).toBe('line 0')
      expect(c.lines()).toHaveLength(SHOWN_LINES + 50)
      expect(c.log.scrollTop).toBe(1000)
      // A line entered goes back to the end, and to the newest lines only.
      await c.type('PING{Enter}')
      expect(c.lines().at(-1)).toBe('PONG')
      expect(c.lines()).toHaveLength(SHOWN_LINES)
    }, SHOWN_LINES)
  })

  it('keeps earlier lines shown on request out of the live region, which gets new lines only', async () => {
    // role="log" is a polite live region: the 200 lines "Show earlier lines" put in it were
    // read out as new output.
    const c = await setup()
    appendLines(c, 0, 3 * SHOWN_LINES)
    /** The live setting a screen reader applies to a change at `el`: its nearest region's. */
    const liveOf = (el: Element | null | undefined): string | null => {
      for (let e = el ?? null; e !== null; e = e.parentElement) {
        const live = e.getAttribute('aria-live')
        if (live !== null) return live
        if (e.getAttribute('role') === 'log') return 'polite'
      }
      return null
    }
    const lineEl = (text: string) =>
      [...c.log.querySelectorAll('.console-line')].find((el) => el.textContent === text)
    const wasNewest = lineEl(`line ${String(2 * SHOWN_LINES)}`)
    expect(liveOf(wasNewest)).toBe('polite')
    await c.user.click(screen.getByTestId('console-earlier'))
    expect(c.lines()).toHaveLength(2 * SHOWN_LINES)
    // The revealed lines and the button are outside it; the lines shown before stay in it.
    expect(liveOf(lineEl('line 200'))).toBe('off')
    expect(liveOf(lineEl('line 399'))).toBe('off')
    expect(liveOf(screen.getByTestId('console-earlier'))).toBe('off')
    expect(liveOf(lineEl('line 400'))).toBe('polite')
    expect(wasNewest?.isConnected).toBe(true)
    // A new line goes to the live region.
    appendLines(c, 3 * SHOWN_LINES, 1)
    expect(liveOf(lineEl(`line ${String(3 * SHOWN_LINES)}`))).toBe('polite')
    // The accessible log still holds every line, in order.
    expect(c.lines().slice(0, 2)).toEqual(['line 200', 'line 201'])
    expect(c.lines().at(-1)).toBe(`line ${String(3 * SHOWN_LINES)}`)
  })

  it('keeps the reader’s place when the line they scrolled back to drops off the cap', async () => {
    await withScrollBox(async (c, scrollTo) => {
      // Every earlier line asked for, back to line 0, and the learner reads line 100.
      for (let i = 0; i < MAX_CONSOLE_LINES / SHOWN_LINES - 1; i++)
        await c.user.click(screen.getByTestId('console-earlier'))
      expect(c.lines()).toHaveLength(MAX_CONSOLE_LINES)
      scrollTo(100)
      const reading = [...c.log.querySelectorAll('.console-line')][100]
      expect(reading?.textContent).toBe('line 100')
      // 20 more lines: lines 0 to 19 leave the full tab's front, the first shown with them.
      // The output went back to the newest 200 (line 1820 on): the line being read was gone.
      appendLines(c, MAX_CONSOLE_LINES, 20)
      await act(() => new Promise((r) => requestAnimationFrame(r)))
      expect(reading?.isConnected).toBe(true)
      expect(c.lines()[0]).toBe('line 20')
      expect(c.lines()).toHaveLength(MAX_CONSOLE_LINES)
      expect(c.log.scrollTop).toBe(100)
      // Back at the end, the newest lines only.
      scrollTo(3600)
      expect(c.lines()).toHaveLength(SHOWN_LINES)
    }, MAX_CONSOLE_LINES)
  })

  it('repeats a command with a leading count, as redis-cli does', async () => {
    const c = await setup()
    await c.type('3 INCR n{Enter}')
    expect(c.lines()).toEqual([
      '127.0.0.1:6379> 3 INCR n',
      '(integer) 1',
      '(integer) 2',
      '(integer) 3',
    ])
  })

  it('sends UTF-8 bytes and shows valid UTF-8 replies as text', async () => {
    const c = await setup()
    await c.type('SET k 中文{Enter}')
    await c.type('GET k{Enter}')
    expect(c.lines().at(-1)).toBe('"中文"')
    const set = c.h.store.getState().items[0]
    expect(set?.argv[2]).toBe('\xe4\xb8\xad\xe6\x96\x87')
  })

  it('opens another client tab with its own connection', async () => {
    const c = await setup()
    await c.user.click(screen.getByRole('button', { name: 'New connection' }))
    await c.settle()
    const tabs = screen.getByRole('tablist', { name: 'Client connections' })
    expect(within(tabs).getByRole('tab', { name: 'client 2' })).toHaveAttribute(
      'aria-selected',
      'true',
    )
    const input2 = screen.getByRole('textbox', { name: 'Command for client 2' })
    await c.user.type(input2, 'PING{Enter}')
    await c.settle()
    expect(c.h.store.getState().items.at(-1)?.client).toBe(2)
  })

  it('shows [db] and (TX) in the prompt as redis-cli does (real engine)', async () => {
    const c = await setup(createServer)
    await c.type('SELECT 2{Enter}')
    await c.type('MULTI{Enter}')
    await c.type('SET k v{Enter}')
    await c.type('EXEC{Enter}')
    await c.type('PING{Enter}')
    expect(c.lines()).toEqual([
      '127.0.0.1:6379> SELECT 2',
      'OK',
      '127.0.0.1:6379[2]> MULTI',
      'OK',
      '127.0.0.1:6379[2](TX)> SET k v',
      'QUEUED',
      '127.0.0.1:6379[2](TX)> EXEC',
      '1) OK',
      '127.0.0.1:6379[2]> PING',
      'PONG',
    ])
  })

  it('flags an EXEC reply shorter than its header (CLIENT REPLY SKIP queued inside MULTI)', async () => {
    // Real redis-server 7.0.15 answers EXEC with "*3\r\n+OK\r\n$1\r\n1\r\n": three announced,
    // two sent; redis-cli prints nothing and blocks, reading for the third element.
    const c = await setup(createServer)
    for (const line of ['MULTI', 'CLIENT REPLY SKIP', 'SET a 1', 'GET a', 'EXEC'])
      await c.type(`${line}{Enter}`)
    expect(c.lines().slice(-3)).toEqual([
      '127.0.0.1:6379(TX)> EXEC',
      '(the reply’s header announced 3 elements but Redis sent 2: CLIENT REPLY OFF or SKIP inside MULTI withheld the rest. redis-cli 7.0.15 prints nothing here and waits for the 1 missing element until Ctrl+C; below is what Redis did send)',
      '1) OK\n2) "1"',
    ])
    // A whole EXEC is not flagged.
    for (const line of ['MULTI', 'PING', 'EXEC']) await c.type(`${line}{Enter}`)
    expect(screen.getAllByTestId('console-short-reply')).toHaveLength(1)
    act(() => {
      c.h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('console-short-reply').textContent).toBe(
      '（回复头声明了 3 个元素，Redis 却只发来 2 个：MULTI 中的 CLIENT REPLY OFF 或 SKIP 扣下了其余回复。redis-cli 7.0.15 在这里什么也不打印，一直等待缺少的 1 个元素，直到按 Ctrl+C；下面是 Redis 实际发来的内容）',
    )
  })

  it("runs a scene's lines a reload left unrun with its clock ticks in their places", async () => {
    const a = await createHarness({ factory: createServer })
    const tab = a.tab()
    const saved = {
      ...savedSessionOf(a.store.getState()),
      held: [
        { client: tab, text: 'SET k v PX 500' },
        { client: tab, text: '', tick: 1000 },
        { client: tab, text: 'EXISTS k' },
      ],
    }
    a.dispose()
    const c = await setup(createServer, { saved })
    const offer = screen.getByTestId('console-resume')
    expect(offer).toHaveTextContent(
      /^2 lines and 1 clock tick of a scene had not run when the page reloaded \(they run in their order\)\./,
    )
    await c.user.click(within(offer).getByRole('button', { name: 'Run them now' }))
    await c.settle()
    // The tick ran between the lines, as in the scene: the key had expired by EXISTS.
    expect(c.lines().slice(-4)).toEqual([
      '127.0.0.1:6379> SET k v PX 500',
      'OK',
      '127.0.0.1:6379> EXISTS k',
      '(integer) 0',
    ])
    const log = c.h.store.getState().log.filter((e) => e.t !== 'client')
    expect(log.map((e) => e.t)).toEqual(['exec', 'tick', 'exec'])
    expect(c.h.store.getState().resumable).toEqual([])
    expect(translate('zh', 'console.resumeOfferTicks', { count: 2, ticks: 1 })).toBe(
      '页面重新加载时，场景中还有 2 行命令和 1 次时钟跳转没有执行（会按原来的顺序执行）。',
    )
  })

  it('shows a live progress line for a long command, with Cancel and Ctrl+C', async () => {
    // The worker stops at every yield between slices until the test lets it go on.
    let gate: (() => void) | null = null
    const yieldNow = () => new Promise<void>((r) => (gate = r))
    const { h, user, input, lines } = await setup(createServer, {
      slicing: { units: 1000, fixed: true },
      yieldNow,
    })
    const release = () => {
      const g = gate
      gate = null
      g?.()
    }

    // Cancel button.
    await user.type(input, 'DEBUG POPULATE 5000{Enter}')
    const progress = await screen.findByTestId('console-progress')
    expect(progress.textContent).toContain('DEBUG POPULATE 5000 … 20%')
    expect(
      within(progress).getByRole('progressbar', { name: 'Progress of DEBUG POPULATE 5000' }),
    ).toHaveProperty('value', 1000)
    await user.click(within(progress).getByRole('button', { name: 'Cancel' }))
    await act(async () => {
      release()
      await h.bridge.idle()
    })
    expect(screen.queryByTestId('console-progress')).toBeNull()
    expect(lines()).toEqual([
      '127.0.0.1:6379> DEBUG POPULATE 5000',
      '(cancelled: the command was not run)',
    ])

    // Ctrl+C in the input cancels too; then the same command runs to the end.
    await user.type(input, 'DEBUG POPULATE 5000{Enter}')
    await screen.findByTestId('console-progress')
    await user.keyboard('{Control>}c{/Control}')
    await act(async () => {
      release()
      await h.bridge.idle()
    })
    expect(lines().at(-1)).toBe('(cancelled: the command was not run)')
    await user.type(input, 'DEBUG POPULATE 5000{Enter}')
    for (let i = 0; i < 10 && screen.queryByText('OK') === null; i++) {
      await screen.findByTestId('console-progress')
      await act(async () => {
        release()
        await new Promise((r) => setTimeout(r, 5))
      })
    }
    await act(() => h.bridge.idle())
    await user.type(input, 'DBSIZE{Enter}')
    await act(() => h.bridge.idle())
    expect(lines().slice(-3)).toEqual(['OK', '127.0.0.1:6379> DBSIZE', '(integer) 5000'])
    expect(screen.queryByTestId('console-progress')).toBeNull()
  })

  it('prints INFO raw, line by line, as redis-cli does, not as one quoted string', async () => {
    const c = await setup(createServer)
    await c.type('INFO keyspace{Enter}')
    await c.type('SET k v{Enter}')
    await c.type('info keyspace{Enter}')
    expect(c.lines().slice(-1)[0]).toBe('# Keyspace\ndb0:keys=1,expires=0,avg_ttl=0')
    expect(c.lines()).not.toContainEqual(expect.stringContaining('\\r\\n'))
  })

  it('prints the head of a huge reply and says how much it left out', async () => {
    const c = await setup(createServer)
    await c.type('DEBUG POPULATE 2500{Enter}')
    await c.type('KEYS *{Enter}')
    const reply = c.lines().at(-2) ?? ''
    expect(reply.split('\n')).toHaveLength(2000)
    expect(screen.getByTestId('console-cut')).toHaveTextContent(
      '… 500 more lines not shown (the console prints the first 2000).',
    )
  })

  it('prints the head of a value SETRANGE padded with a megabyte of zero bytes, and its size', async () => {
    const c = await setup(createServer)
    await c.type('SETRANGE k 1000000 x{Enter}')
    await c.type('GET k{Enter}')
    // 100,000 characters: the quote, 24,999 \x00 and the start of the next one.
    expect(c.lines().at(-2)).toBe(`"${'\\x00'.repeat(24_999)}\\x0`)
    expect(screen.getByTestId('console-cut')).toHaveTextContent(
      '… 975,002 more bytes of the value not shown.',
    )
  })
})

describe('a console that follows the playhead (an embed)', { timeout: 30_000 }, () => {
  it('shows the lines up to the playhead’s command, and goes back to the end for a typed line', async () => {
    const c = await setup(undefined, {}, true)
    for (const line of ['SET a 1', 'HELP GET', 'INCR a', 'GET a']) await c.type(`${line}{Enter}`)
    expect(c.lines()).toHaveLength(8)
    act(() => {
      c.h.store.getState().itemSelected(1) // INCR a
    })
    // HELP ran no command: it goes with the command before it.
    expect(c.lines()).toEqual([
      '127.0.0.1:6379> SET a 1',
      'OK',
      '127.0.0.1:6379> HELP GET',
      expect.stringContaining('GET key'),
      '127.0.0.1:6379> INCR a',
      '(integer) 2',
    ])
    act(() => {
      c.h.store.getState().itemSelected(-1)
    })
    expect(c.lines()).toEqual([])
    await c.type('DBSIZE{Enter}')
    expect(c.lines().slice(-3)).toEqual(['"2"', '127.0.0.1:6379> DBSIZE', '(integer) 1'])
  })

  it('a full-app console shows every line wherever the playhead is', async () => {
    const c = await setup()
    await c.type('SET a 1{Enter}')
    await c.type('GET a{Enter}')
    act(() => {
      c.h.store.getState().itemSelected(0)
    })
    expect(c.lines()).toHaveLength(4)
  })
})
