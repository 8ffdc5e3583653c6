/**
 * End-to-end: the expire-time-limit scene, picked from the Scenes menu in Chromium. Its 420
 * keys expire together at hz 500 and active-expire-effort 2; in the clock tick after active
 * expiry is turned back on, the expiry panel says the first slow cycle stopped at its 540 µs
 * time limit, and INFO stats counts it.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('the expire-time-limit scene in Chromium', () => {
  it('shows the active expire cycle stopping at its time limit', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.getByRole('combobox', { name: 'Scenes' }).selectOption('expire-time-limit')
    await expect
      .poll(() => page.evaluate(() => window.__xray?.store.getState().pastes.length), {
        timeout: 120_000,
      })
      .toBe(0)
    await page.evaluate(() => window.__xray?.idle())
    const output = await page.locator('.console-output .console-line').allInnerTexts()
    expect(output.join('\n')).toContain('expired_time_cap_reached_count:1')
    // The clock tick whose cycle ran out of time, at its last step.
    const item = await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      const i =
        s?.items.findIndex((x) =>
          x.events.some((e) => e.type === 'expire/cycleRan' && e.stopReason === 'timeLimit'),
        ) ?? -1
      if (i >= 0) {
        s?.itemSelected(i)
        s?.stepSelected(s.items[i]?.events.length ?? 0)
      }
      return { i, kind: i >= 0 ? s?.items[i]?.kind : undefined }
    })
    expect(item).toMatchObject({ kind: 'tick' })
    await page.evaluate(() => window.__xray?.idle())
    const limit = page.getByTestId('ex-time-limit')
    await expect.poll(() => limit.count()).toBe(1)
    expect(await limit.getAttribute('data-limit')).toBe('540')
    expect(await limit.innerText()).toMatch(/^Out of time: a slow cycle may run 540 µs/)
    // The scene's note for that tick.
    await expect
      .poll(() => page.getByTestId('scene-note').innerText())
      .toContain('it stops; the next cycles delete the rest')
    expect(errors).toEqual([])
    await page.context().close()
  }, 180_000)
})
