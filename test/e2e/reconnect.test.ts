/**
 * End-to-end in Chromium: a console tab killed from another tab behaves like redis-cli. Its
 * next command prints "Error: Server closed the connection" and the prompt reads
 * "not connected> "; the command after that reconnects as a new client (a new id) and runs;
 * the clients panel shows the kill and the new connection; a reload restores the same tabs.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('reconnecting a killed tab in Chromium', () => {
  it('prints the error, reconnects with a new id, and the panel shows both', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const panel = page.locator('section.panel[data-panel="clients"]')
    const lines = () => page.locator('.console-output .console-line').allInnerTexts()
    const lastReply = async () => (await lines()).at(-1) ?? ''
    const idOf = (reply: string) => Number(/\(integer\) (\d+)/.exec(reply)?.[1] ?? NaN)

    await runLine(page, 'CLIENT ID')
    const killer = idOf(await lastReply())
    await page.getByRole('button', { name: 'New connection' }).click()
    await page.evaluate(() => window.__xray?.idle())
    await runLine(page, 'SET k v')
    await runLine(page, 'CLIENT ID')
    const victim = idOf(await lastReply())
    expect(victim).toBeGreaterThan(killer)

    await page.getByRole('tab').first().click()
    await runLine(page, `CLIENT KILL ID ${String(victim)}`)
    expect(await lastReply()).toBe('(integer) 1')
    const gone = panel.locator(`.clients-client[data-client="${String(victim)}"]`)
    await expect.poll(() => gone.getAttribute('data-state')).toBe('closed')

    await page.getByRole('tab').nth(1).click()
    await runLine(page, 'GET k')
    expect((await lines()).slice(-2)[0]).toBe('Error: Server closed the connection')
    await expect
      .poll(() => page.locator('label.console-prompt').innerText())
      .toMatch(/^not connected>/)

    await runLine(page, 'CLIENT ID')
    const fresh = idOf(await lastReply())
    expect(fresh).toBeGreaterThan(victim)
    expect((await lines()).slice(-2)[0]).toMatch(/^not connected> ?CLIENT ID$/)
    await runLine(page, 'GET k')
    expect(await lastReply()).toBe('"v"')

    // The timeline has the new connection: on it, the panel shows the new client fading in.
    const index = await page.evaluate(
      () => window.__xray?.store.getState().items.findIndex((i) => i.kind === 'connect') ?? -1,
    )
    expect(index).toBeGreaterThan(0)
    await page.evaluate((i) => window.__xray?.store.getState().itemSelected(i), index)
    const born = panel.locator(`.clients-client[data-client="${String(fresh)}"]`)
    await expect.poll(() => born.getAttribute('data-state')).toBe('connected')
    await expect
      .poll(() => panel.getByTestId('clients-narration').innerText())
      .toContain(`new client ${String(fresh)}`)

    // A reload replays the log: same tabs, same ids, same lines.
    const before = await lines()
    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    const ids = await page.evaluate(() => window.__xray?.store.getState().tabs.map((t) => t.id))
    expect(ids).toEqual([killer, fresh])
    await page.getByRole('tab').nth(1).click()
    await expect.poll(lines).toEqual(before)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
