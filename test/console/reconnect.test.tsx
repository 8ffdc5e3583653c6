/**
 * The console after the server closed its connection, rendered: the command that found it
 * closed prints redis-cli's error and the app's note, the prompt reads "not connected> ", and
 * the next command reconnects and runs on a new client.
 */
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Console } from '../../src/console/Console.tsx'
import { createServer } from '../../src/engine/index.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { createHarness } from '../state/harness.ts'

let cleanup: (() => void) | null = null
afterEach(() => {
  cleanup?.()
  cleanup = null
})

/** The console rendered over the real engine: type a line, read the lines and the prompt. */
async function consoleOnEngine() {
  const h = await createHarness({ factory: createServer })
  cleanup = h.dispose
  render(
    <AppStoreProvider store={h.store}>
      <Console />
    </AppStoreProvider>,
  )
  const user = userEvent.setup()
  const input = () => screen.getByRole('textbox', { name: /^Command for client \d+$/ })
  const type = async (text: string) => {
    await user.type(input(), text)
    await act(() => h.bridge.idle())
  }
  const lines = () =>
    [...document.querySelectorAll('.console-output .console-line')].map((el) => el.textContent)
  const prompt = () => document.querySelector('label.console-prompt')?.textContent
  return { h, type, lines, prompt }
}

describe('Console after its connection was closed', { timeout: 30_000 }, () => {
  it('prints the error, shows "not connected> ", then reconnects', async () => {
    const { h, type, lines, prompt } = await consoleOnEngine()
    const first = h.tab()

    await type('SELECT 1{Enter}')
    await type('CLIENT KILL SKIPME no TYPE normal{Enter}')
    expect(lines().at(-1)).toBe('(integer) 1')
    expect(prompt()).toBe('127.0.0.1:6379[1]> ')
    await type('PING{Enter}')
    expect(lines().slice(-3)).toEqual([
      '127.0.0.1:6379[1]> PING',
      'Error: Server closed the connection',
      expect.stringMatching(/^\(the server closed this connection/),
    ])
    expect(prompt()).toBe('not connected> ')

    await type('CLIENT ID{Enter}')
    const id = h.tab()
    expect(id).toBeGreaterThan(first)
    expect(lines().slice(-2)).toEqual(['not connected> CLIENT ID', `(integer) ${String(id)}`])
    // As redis-cli 7.0: the old [1] stays in the prompt; the new connection is in db 0.
    expect(prompt()).toBe('127.0.0.1:6379[1]> ')
    await type('CLIENT INFO{Enter}')
    expect(lines().at(-1)).toMatch(/ db=0 /)
  })

  it('says it in 简体中文 too', async () => {
    const h = await createHarness({ factory: createServer, store: { language: 'zh' } })
    cleanup = h.dispose
    render(
      <AppStoreProvider store={h.store}>
        <Console />
      </AppStoreProvider>,
    )
    h.store.getState().commandSubmitted(['CLIENT', 'KILL', 'SKIPME', 'no'], h.tab())
    await act(() => h.bridge.idle())
    h.store.getState().commandSubmitted(['PING'], h.tab())
    await act(() => h.bridge.idle())
    const text = [...document.querySelectorAll('.console-line')].map((el) => el.textContent)
    expect(text.slice(-3)).toEqual([
      '(integer) 1',
      'Error: Server closed the connection',
      expect.stringMatching(/^（服务器已关闭此连接/),
    ])
  })
})

describe(
  'Console on QUIT and EXIT (redis-cli would exit; the console stays)',
  { timeout: 30_000 },
  () => {
    it('sends QUIT: OK, the server closes, and the next line runs on a new connection', async () => {
      const { h, type, lines } = await consoleOnEngine()
      const first = h.tab()
      await type('QUIT{Enter}')
      expect(lines().slice(-3)).toEqual([
        '127.0.0.1:6379> QUIT',
        'OK',
        expect.stringMatching(/^\(QUIT: the server answered OK and closed this connection/),
      ])
      expect(h.store.getState().items.at(-1)?.argv).toEqual(['QUIT'])
      // Not "Error: Server closed the connection" first: the console knows QUIT closed it.
      await type('CLIENT ID{Enter}')
      expect(h.tab()).toBeGreaterThan(first)
      expect(lines().slice(-2)).toEqual([
        'not connected> CLIENT ID',
        `(integer) ${String(h.tab())}`,
      ])
      await type('EXIT{Enter}')
      expect(lines().at(-1)).toMatch(/^\(EXIT is redis-cli’s own word/)
      expect(
        h.store
          .getState()
          .log.filter((e) => e.t === 'exec')
          .map((e) => e.argv[0]),
      ).toEqual(['QUIT', 'CLIENT'])
    })
  },
)
