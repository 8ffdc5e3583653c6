/**
 * A skiplist wider than its panel scrolls inside it at its own scale; the step's nodes stay
 * in sight. In zset-range-levels, ZRANGEBYSCORE board 75 105 stops at fay (70) and walks on
 * from gus (80): both were past the panel's right edge at 1280 px, and on a 1366 px
 * projector, so the search looked cut off.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

/** Runs zset-range-levels and puts the playhead on ZRANGEBYSCORE's search step. */
async function onRangeSearch(page: Page): Promise<void> {
  await page.getByRole('combobox', { name: 'Scenes' }).selectOption('zset-range-levels')
  await page.evaluate(() => window.__xray?.idle())
  await page.evaluate(() => {
    const s = window.__xray?.store.getState()
    if (s === undefined) return
    if (s.playing) s.playToggled()
    const item = s.items.findIndex((x) => x.argv.join(' ') === 'ZRANGEBYSCORE board 75 105')
    s.itemSelected(item)
    const step = s.items[item]?.events.findIndex((e) => e.type === 'zsl/searched') ?? -1
    window.__xray?.store.getState().stepSelected(step + 1)
  })
}

/** Where fay's and gus's towers are drawn against the box the skiplist scrolls in. */
function towersInSight(page: Page) {
  return page.locator('.skiplist-panel .panel-scroll').evaluate((box) => {
    const b = box.getBoundingClientRect()
    const inside = (id: string) => {
      const r = box.querySelector(`g[data-id="${id}"] rect`)?.getBoundingClientRect()
      return r !== undefined && r.left >= b.left - 0.5 && r.right <= b.right + 0.5
    }
    return {
      scrolls: box.scrollWidth > box.clientWidth,
      fay: inside('zsl:fay'),
      gus: inside('zsl:gus'),
      fayOnPath: box.querySelector('g[data-id="zsl:fay"]')?.getAttribute('data-path') === 'true',
    }
  })
}

describe('a skiplist wider than its panel', () => {
  for (const { name, query, viewport } of [
    { name: 'at 1280 px', query: '', viewport: { width: 1280, height: 800 } },
    {
      name: 'on a 1366 px projector',
      query: '&projector=1',
      viewport: { width: 1366, height: 768 },
    },
  ])
    it(`keeps a range search's last stop and next node in sight ${name}`, async () => {
      const page = await openApp(browser(), `${baseUrl}?seed=42&clock=paused${query}`, {
        viewport,
      })
      await onRangeSearch(page)
      await expect
        .poll(() => towersInSight(page))
        .toEqual({ scrolls: true, fay: true, gus: true, fayOnPath: true })
      // The page itself never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      )
      await page.context().close()
    })
})
