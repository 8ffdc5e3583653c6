/**
 * End-to-end: a block of 3,000 lines pasted into the console. The output keeps a bounded
 * number of rows in the page (it re-rendered and laid out the whole scrollback for each batch
 * of replies, stalling the page 200–300 ms at a time), the last reply arrives and is in view,
 * and the command line takes typing while the block still runs.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { SHOWN_LINES } from '../../src/console/Console.tsx'
import { chromiumPerFile, lastConsoleLine, openApp, pasteText } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('a pasted block of 3,000 lines', () => {
  it('runs to its last reply with a bounded output, and the command line stays usable', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } }, [
      'clipboard-read',
      'clipboard-write',
    ])
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    try {
      const sets = Array.from({ length: 2999 }, (_, i) => `SET k:${String(i)} v${String(i)}`)
      await pasteText(page, [...sets, 'DBSIZE', ''].join('\n'))
      const running = () => page.evaluate(() => window.__xray?.store.getState().pastes.length)
      // Typing while the block runs: the keys land and the syntax hint follows them.
      const input = page.getByRole('textbox', { name: /^Command for/ })
      await page.keyboard.type('GET ')
      await expect.poll(() => page.getByTestId('console-hint').innerText()).toBe('key')
      await page.keyboard.type('k:2998')
      expect(await input.inputValue()).toBe('GET k:2998')
      expect(await running()).toBe(1)
      const rows = () => page.locator('.console-output .console-line').count()
      expect(await rows()).toBeLessThanOrEqual(SHOWN_LINES)
      await expect.poll(() => running(), { timeout: 100_000 }).toBe(0)
      await page.evaluate(() => window.__xray?.idle())
      expect(await lastConsoleLine(page)).toBe('(integer) 2999')
      expect(await rows()).toBe(SHOWN_LINES)
      // Followed to its end: the last reply is in view.
      const atEnd = () =>
        page
          .locator('.console-output')
          .evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2)
      await expect.poll(atEnd).toBe(true)
      // What was typed meanwhile runs.
      await input.press('Enter')
      await page.evaluate(() => window.__xray?.idle())
      expect(await lastConsoleLine(page)).toBe('"v2998"')
      await expect.poll(atEnd).toBe(true)
      // The earlier lines are a click away, the view staying on what it showed: the line at
      // the top of the box stays there as the earlier lines come in above it.
      const output = page.locator('.console-output')
      await output.evaluate((el) => {
        el.scrollTop = 0
      })
      const top = output.locator('.console-line').first()
      const text = await top.innerText()
      const y = (await top.boundingBox())?.y
      await page.getByTestId('console-earlier').click()
      expect(await rows()).toBe(2 * SHOWN_LINES)
      const same = output.locator('.console-line').nth(SHOWN_LINES)
      expect(await same.innerText()).toBe(text)
      expect(Math.abs(((await same.boundingBox())?.y ?? NaN) - (y ?? NaN))).toBeLessThan(2)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  }, 150_000)
})
