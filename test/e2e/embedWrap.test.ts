/**
 * A short embed (an author's 360 × 300 iframe) puts each panel's parts in a column, diagram
 * first. A panel inside a wrapper (geo, HyperLogLog, bitmap) took its widest drawing's width
 * there, 520 px in a 347 px frame, and its prose ran off the frame's right edge, unwrapped.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

/** The panels' texts whose right edge is past the panels' own, outside any scrolling box. */
function textsPastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panels = document.querySelector('.layout-panels')
    if (panels === null) return ['no panels']
    const edge = panels.getBoundingClientRect().right
    const scrolls = (el: Element): boolean => {
      for (let a = el.parentElement; a !== null && a !== panels; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX
        if (o === 'auto' || o === 'scroll') return true
      }
      return false
    }
    return [...panels.querySelectorAll('p, li, dd, dt, h3, figcaption')]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && r.right > edge + 1 && !scrolls(el)
      })
      .map((el) => `${el.className} «${(el.textContent ?? '').slice(0, 40)}»`)
  })
}

describe('a 360×300 embed', () => {
  for (const lang of ['en', 'zh'] as const)
    it(`wraps the geo and HyperLogLog panels' prose inside the frame (${lang})`, async () => {
      const ctx = await browser().newContext({
        viewport: { width: 360, height: 300 },
        reducedMotion: 'reduce',
        locale: lang === 'zh' ? 'zh-CN' : 'en-US',
      })
      const page = await openPage(ctx)
      await page.goto(`${baseUrl}?seed=7&clock=paused&embed=key&lang=${lang}`)
      await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await runLine(page, 'GEOADD cities 13.361389 38.115556 Palermo 15.087269 37.502669 Catania')
      await page.locator('.geo-panel').waitFor()
      expect(await page.locator('.geo-panel p').count()).toBeGreaterThan(1)
      expect(await textsPastTheEdge(page)).toEqual([])
      await runLine(page, 'PFADD visitors alice bob carol')
      await page.locator('.hll-panel').waitFor()
      expect(await textsPastTheEdge(page)).toEqual([])
      await ctx.close()
    })
})
