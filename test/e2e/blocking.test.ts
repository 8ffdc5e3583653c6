/**
 * End-to-end: BLPOP really blocks in a console tab, as in redis-cli: the tab shows it waits
 * and takes no input; another tab's RPUSH serves it and the popped element prints in the
 * waiting tab; a reload replays the session into the same lines.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('BLPOP in Chromium', () => {
  it("waits in one tab until another tab's RPUSH, then prints the popped reply", async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const idle = () => page.evaluate(() => window.__xray?.idle())
    const run = (line: string) => runLine(page, line)
    const input = page.getByRole('textbox', { name: /^Command for/ })
    const lines = () => page.locator('.console-output .console-line').allInnerTexts()
    const tabs = page.getByRole('tab')
    const waiting = page.locator('.console-waiting')

    await run('BLPOP queue 0')
    expect(await lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0'])
    await expect.poll(() => waiting.innerText()).toMatch(/^Waiting for BLPOP queue 0…/)
    expect(await input.getAttribute('aria-disabled')).toBe('true')

    await page.getByRole('button', { name: 'New connection' }).click()
    await idle()
    await expect.poll(() => tabs.count()).toBe(2)
    expect(await waiting.count()).toBe(0)
    await run('RPUSH queue job')
    expect(await lines()).toEqual(['127.0.0.1:6379> RPUSH queue job', '(integer) 1'])

    await tabs.first().click()
    const served = ['127.0.0.1:6379> BLPOP queue 0', '1) "queue"\n2) "job"']
    await expect.poll(lines).toEqual(served)
    expect(await waiting.count()).toBe(0)
    expect(await input.getAttribute('aria-disabled')).toBeNull()

    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await idle()
    await tabs.first().click()
    await expect.poll(lines).toEqual(served)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
