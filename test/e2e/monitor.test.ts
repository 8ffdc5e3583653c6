/**
 * End-to-end: MONITOR in one connection tab shows, as redis-cli does, the commands another
 * tab runs; a reload brings the lines back once.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`
const LINE = /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "v"$/

describe('MONITOR in Chromium', () => {
  it("shows another tab's SET in the monitor tab, and again after a reload", async () => {
    const ctx = await browser().newContext({ reducedMotion: 'reduce', locale: 'en-US' })
    const page = await openPage(ctx)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const idle = () => page.evaluate(() => window.__xray?.idle())
    const ready = async () => {
      await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await idle()
    }
    const input = page.getByRole('textbox', { name: /^Command for/ })
    const run = async (line: string) => {
      await input.fill(line)
      await input.press('Enter')
      await idle()
    }
    const monitorLines = () => page.locator('.console-output .console-line-monitor').allInnerTexts()
    const tabs = page.getByRole('tab')

    await page.goto(appUrl)
    await ready()
    await run('MONITOR')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('OK')

    await page.getByRole('button', { name: 'New connection' }).click()
    await idle()
    await expect.poll(() => tabs.count()).toBe(2)
    await run('SET k v')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('OK')
    expect(await monitorLines()).toEqual([])

    await tabs.first().click()
    await expect.poll(monitorLines).toHaveLength(1)
    const [line] = await monitorLines()
    expect(line).toMatch(LINE)

    // Stepping back replays the past in the worker: no line is shown twice.
    await page.getByRole('button', { name: 'Previous command' }).click()
    await idle()
    await tabs.first().click()
    expect(await monitorLines()).toEqual([line])

    await page.reload()
    await ready()
    await tabs.first().click()
    await expect.poll(monitorLines).toEqual([line])
    expect(errors).toEqual([])
    await ctx.close()
  })
})
