/**
 * End-to-end: after a command that writes or removes several whole keys (MSET, DEL k1 k2),
 * the panel that leads, and that a phone scrolls into view, is the keyspace dict the keys
 * went into (with its rehash), not the first key's string; a command about one key, or one
 * object built from several, still leads with that key's panel.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/** The titles of the panels shown, in order (not the step list). */
function panels(page: Page): Promise<(string | null)[]> {
  return page
    .locator('.panels > section.panel:not(.steps)')
    .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))
}

/** The title of the first panel shown. */
async function firstPanel(page: Page): Promise<string | null> {
  return (await panels(page))[0] ?? null
}

/** Whether `el` is on screen whole, above the step controls stuck to the window's foot. */
async function onScreenAboveFooter(page: Page, el: Locator): Promise<boolean> {
  const d = await el.boundingBox()
  const f = await page.locator('footer.layout-timeline').boundingBox()
  return d !== null && f !== null && d.y >= 0 && d.y + d.height <= f.y
}

const mset = (prefix: string, n: number) =>
  `MSET ${Array.from({ length: n }, (_, i) => `${prefix}${String(i)} v`).join(' ')}`

describe('the panel a multi-key command reveals', () => {
  it('is the keyspace dict after MSET, MSETNX, DEL k1 k2 and UNLINK; the key’s object after SET or SUNIONSTORE', async () => {
    const page = await openApp(browser(), appUrl)
    await runLine(page, 'MSET a 1 b 2 c 3')
    await expect.poll(() => firstPanel(page)).toBe('Keyspace (db 0)')
    // The first key's panel is still there, after it.
    await expect.poll(() => panels(page)).toEqual(['Keyspace (db 0)', 'Key a'])
    await runLine(page, 'SET x 1')
    await expect.poll(() => firstPanel(page)).toBe('Key x')
    await runLine(page, 'MSETNX d 1 e 2')
    await expect.poll(() => firstPanel(page)).toBe('Keyspace (db 0)')
    await runLine(page, 'SADD s1 m')
    await runLine(page, 'SUNIONSTORE dst s1 s2')
    await expect.poll(() => firstPanel(page)).toBe('Key dst')
    await runLine(page, 'DEL a b')
    await expect.poll(() => firstPanel(page)).toBe('Keyspace (db 0)')
    await runLine(page, 'UNLINK c d')
    await expect.poll(() => firstPanel(page)).toBe('Keyspace (db 0)')
    // Stepping back to the SET leads with its key again.
    await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      s?.itemSelected(1)
    })
    await expect.poll(() => firstPanel(page)).toBe('Key x')
    await page.context().close()
  })

  it('on a phone, scrolls the keyspace dict into view after an MSET that makes it rehash', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 390, height: 844 } })
    await runLine(page, mset('k', 4))
    await runLine(page, mset('m', 3))
    const dict = page.locator('section.panel[data-panel="keyspace"] svg[role="img"]').first()
    await expect.poll(() => onScreenAboveFooter(page, dict)).toBe(true)
    await expect.poll(() => firstPanel(page)).toBe('Keyspace (db 0)')
    await page.context().close()
  })
})
