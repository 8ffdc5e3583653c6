/**
 * End-to-end for long commands (issue 5): in Chromium against the built site, DEBUG POPULATE
 * 200000 runs in slices inside the worker, the console shows its progress line, Cancel
 * stops it and leaves the dataset as it was, and the same command then runs to the end.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

/** A page object over the console. */
function consoleOf(page: Page) {
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  return {
    input,
    async run(line: string) {
      await input.fill(line)
      await input.press('Enter')
      await page.evaluate(() => window.__xray?.idle())
    },
    lastOutput: () => page.locator('.console-output .console-line').last().innerText(),
    /**
     * Types a line and, the moment its progress line appears, reads it and clicks its
     * Cancel button from inside the page (no round trip that could outlast the command).
     */
    async runAndCancel(line: string): Promise<string> {
      const seen = page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const observer = new MutationObserver(() => {
              const el = document.querySelector('[data-testid="console-progress"]')
              const button = el?.querySelector('button')
              if (!el || !button) return
              observer.disconnect()
              const text = el.textContent
              button.click()
              resolve(text)
            })
            observer.observe(document.body, { childList: true, subtree: true })
          }),
      )
      await input.fill(line)
      await input.press('Enter')
      const text = await seen
      await page.evaluate(() => window.__xray?.idle())
      return text
    },
  }
}

describe('long commands in Chromium', () => {
  it('shows DEBUG POPULATE progress, cancels it without a trace, then runs it to the end', async () => {
    const ctx = await browser().newContext({ reducedMotion: 'reduce', locale: 'en-US' })
    const page = await openPage(ctx)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${baseUrl}?seed=42&clock=paused`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    const c = consoleOf(page)

    await c.run('SET a 1')
    const digest = await page.evaluate(() => window.__xray?.digest())
    const progress = await c.runAndCancel('DEBUG POPULATE 200000')
    expect(progress).toMatch(/^DEBUG POPULATE 200000 … \d+%/)
    expect(await c.lastOutput()).toBe('(cancelled: the command was not run)')
    expect(await page.getByTestId('console-progress').count()).toBe(0)
    await c.run('DBSIZE')
    expect(await c.lastOutput()).toBe('(integer) 1')
    expect(await page.evaluate(() => window.__xray?.digest())).toBe(digest)
    expect(await page.evaluate(() => window.__xray?.store.getState().log.length)).toBe(3)

    await c.run('DEBUG POPULATE 200000')
    expect(await c.lastOutput()).toBe('OK')
    await c.run('DBSIZE')
    expect(await c.lastOutput()).toBe('(integer) 200001')
    expect(errors).toEqual([])
    await ctx.close()
  })
})
