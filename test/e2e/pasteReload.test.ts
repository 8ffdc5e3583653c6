/**
 * End-to-end: a reload in the middle of a pasted block keeps the lines not yet run. After
 * the reload the console shows them, says they had not run, and runs them on request.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import {
  chromiumPerFile,
  lastConsoleLine as lastLine,
  openApp,
  pasteText as paste,
  runLine,
} from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('a reload in the middle of a pasted block in Chromium', () => {
  for (const [locale, offer, run] of [
    ['en-US', /^\d[\d,]* lines? had not run when the page reloaded\./, 'Run them now'],
    ['zh-CN', /^页面重新加载时有 \d[\d,]* 行还没有执行。/, '现在执行'],
  ] as const)
    it(
      `keeps the lines not run and runs them on request (${locale})`,
      { timeout: 120_000 },
      async () => {
        const page = await openApp(browser(), appUrl, { locale }, [
          'clipboard-read',
          'clipboard-write',
        ])
        const errors: string[] = []
        page.on('pageerror', (e) => errors.push(e.message))
        const lines = Array.from({ length: 1000 }, (_, i) => `SET k:${String(i)} v`)
        await paste(page, [...lines, ''].join('\n'))
        await expect
          .poll(() => page.evaluate(() => window.__xray?.store.getState().log.length ?? 0))
          .toBeGreaterThan(100)
        await page.reload()
        await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
        await page.evaluate(() => window.__xray?.idle())
        const ran = await page.evaluate(
          () => window.__xray?.store.getState().log.filter((e) => e.t === 'exec').length ?? 0,
        )
        expect(ran).toBeLessThan(1000)
        const bar = page.getByTestId('console-resume')
        expect(await bar.innerText()).toMatch(offer)
        expect(await bar.innerText()).toContain((1000 - ran).toLocaleString('en-US'))
        await bar.getByRole('button', { name: run }).click()
        await expect
          .poll(() => page.evaluate(() => window.__xray?.store.getState().pastes.length), {
            timeout: 50_000,
          })
          .toBe(0)
        await page.evaluate(() => window.__xray?.idle())
        expect(await bar.count()).toBe(0)
        await runLine(page, 'DBSIZE')
        expect(await lastLine(page)).toBe('(integer) 1000')
        expect(errors).toEqual([])
        await page.context().close()
      },
    )
})
