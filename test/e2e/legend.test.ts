/**
 * End-to-end for the newcomer's walk (polish 2): in Chromium on a projector, the skiplist's
 * lit nodes come with a legend in the same colours, readable at the panel's text size; the
 * scrolling frame is a named region; '?' on the empty command line opens the help.
 */
import { mkdirSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=7&clock=paused`
const viewport = { width: 1920, height: 1080 }

describe('highlight legend in the browser', () => {
  it('names the lit skiplist nodes in their own colours, at a projector’s text size', async () => {
    const page = await openApp(browser(), `${appUrl}&projector=1`, { viewport })
    await runLine(page, 'CONFIG SET zset-max-listpack-entries 0')
    await runLine(page, 'ZADD z 1 a 3 c')
    await runLine(page, 'ZADD z 2 b')
    const inserted = await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      const events = s?.items.at(-1)?.events ?? []
      return events.findIndex((e) => e.type === 'zsl/nodeInserted') + 1
    })
    expect(inserted).toBeGreaterThan(0)
    await selectStep(page, inserted)
    await page.evaluate(() => window.__xray?.idle())
    const legend = page.locator('section.skiplist-panel').getByRole('list', { name: 'Colours' })
    await expect.poll(() => legend.isVisible()).toBe(true)
    const colours = await page.evaluate(() => {
      const fill = (sel: string) => {
        const el = document.querySelector(sel)
        return el ? getComputedStyle(el).fill : null
      }
      const bg = (sel: string) => {
        const el = document.querySelector(sel)
        return el ? getComputedStyle(el).backgroundColor : null
      }
      return {
        update: fill('.skiplist-panel [data-path="true"] .zsl-level'),
        lit: bg('.skiplist-panel .panel-legend__swatch--lit'),
        inserted: fill('.skiplist-panel [data-new="true"] .zsl-level'),
        new: bg('.skiplist-panel .panel-legend__swatch--new'),
      }
    })
    expect(colours.lit).toBe(colours.update)
    expect(colours.new).toBe(colours.inserted)
    const px = await legend.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(px).toBeGreaterThanOrEqual(16)
    expect(await legend.innerText()).toMatch(/update\[i\][\s\S]*node inserted/)
    mkdirSync('test-results', { recursive: true })
    await page
      .locator('section.skiplist-panel')
      .screenshot({ path: 'test-results/legend-skiplist-projector.png' })
    const frame = page.getByRole('region', { name: 'Skiplist diagram of z, scrolls sideways' })
    expect(await frame.getAttribute('tabindex')).toBe('0')
  })

  it('opens the help with ? on the empty command line, and types it after text', async () => {
    const page = await openApp(browser(), appUrl, { viewport })
    const input = page.getByRole('textbox', { name: /^Command for/ })
    await input.focus()
    await input.pressSequentially('GET ?')
    expect(await input.inputValue()).toBe('GET ?')
    expect(await page.getByRole('dialog').count()).toBe(0)
    await input.fill('')
    await page.keyboard.press('?')
    await expect.poll(() => page.getByRole('dialog', { name: 'Help' }).count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => input.inputValue()).toBe('')
  })
})
