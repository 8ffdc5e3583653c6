/**
 * End-to-end for the clients panel in Chromium: WATCH, MULTI and a queued SET in one tab,
 * a SET of the watched key in another tab lights up CLIENT_DIRTY_CAS on the first client,
 * and its EXEC answers (nil) with the panel saying why.
 */
import { mkdirSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('clients panel in Chromium', () => {
  it('shows WATCH, the queue, dirty CAS from another tab and the aborted EXEC', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const panel = page.locator('section.panel[data-panel="clients"]')
    const lastLine = () => page.locator('.console-output .console-line').last().innerText()

    await runLine(page, 'WATCH k')
    await expect.poll(() => panel.getByTestId('watched-keys-0').innerText()).toMatch(/k\s+#\d+/)
    await runLine(page, 'MULTI')
    await runLine(page, 'SET k v')
    expect(await lastLine()).toBe('QUEUED')
    await expect.poll(() => panel.locator('[data-queued="true"]').innerText()).toMatch(/SET k v/)
    const watcher = await panel
      .locator('.clients-client', { has: page.locator('[data-queued="true"]') })
      .getAttribute('data-client')

    await page.getByRole('button', { name: 'New connection' }).click()
    await page.evaluate(() => window.__xray?.idle())
    await runLine(page, 'SET k x')
    const column = panel.locator(`.clients-client[data-client="${String(watcher)}"]`)
    await expect.poll(() => column.locator('[data-flag="dirty-cas"]').count()).toBe(1)
    await expect.poll(() => panel.getByTestId('watched-keys-empty').count()).toBe(1)
    mkdirSync('test-results', { recursive: true })
    await panel.screenshot({ path: 'test-results/clients-dirty-cas.png' })

    await page.getByRole('tab').first().click()
    await runLine(page, 'EXEC')
    expect(await lastLine()).toBe('(nil)')
    await expect.poll(() => panel.getByTestId('clients-outcome').innerText()).toMatch(/nil/)
    await expect.poll(() => column.locator('[data-flag="dirty-cas"]').count()).toBe(0)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
