/**
 * A reload right after work keeps it: the console history (written once per burst of lines,
 * flushed when the page goes) and a session too big for localStorage's stash as it is (a
 * pasted 5 MB argument), which the page stashes packed.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, lastConsoleLine, openApp, pasteText, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

describe('a reload at once after work', () => {
  it('keeps a 5 MB SET, the command after it and the history', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {}, [
      'clipboard-read',
      'clipboard-write',
    ])
    await pasteText(page, `SET big ${'x'.repeat(5 * 1024 * 1024)}`)
    const input = page.getByRole('textbox', { name: /^Command for/ })
    await input.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    await runLine(page, 'SET after 2')
    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    await runLine(page, 'STRLEN big')
    expect(await lastConsoleLine(page)).toBe('(integer) 5242880')
    await runLine(page, 'GET after')
    expect(await lastConsoleLine(page)).toBe('"2"')
    // ↑ walks back through the lines typed before the reload (the 5 MB one stays out of the
    // saved history: it would overflow localStorage).
    await input.focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp')
    expect(await input.inputValue()).toBe('SET after 2')
    await page.context().close()
  })
})
