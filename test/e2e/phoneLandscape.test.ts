/**
 * End-to-end: a phone on its side (844 × 390). The console's prompt, the step controls and
 * the diagram are all on the screen at once, none covering another, none cut off, and every
 * control of the header, the console and the footer is at least 40 px for a finger.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine, visibleBoxes, type Box } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`
const phone = { viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true }

/** The boxes of the visible controls in the header, the console and the footer. */
function controls(page: Page): Promise<Box[]> {
  return visibleBoxes(
    page,
    '.app-header button, .app-header select, .console button, .console input, .layout-timeline button, .layout-timeline select, .layout-timeline input',
  )
}

/** The box of the element `selector` finds. */
async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox()
  if (b === null) throw new Error(`${selector} is not on screen`)
  return { name: selector, x: b.x, y: b.y, w: b.width, h: b.height }
}

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5

describe('a phone in landscape (844 × 390)', () => {
  for (const locale of ['en-US', 'zh-CN'])
    it(`shows the prompt, the step controls and the diagram at once, with 40 px controls (${locale})`, async () => {
      const page = await openApp(browser(), appUrl, { ...phone, locale })
      await runLine(page, 'SADD s 1 2 3')
      await runLine(page, 'SADD s 70000')
      // Nothing below the fold: the page itself does not scroll.
      expect(
        await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight),
      ).toBeLessThanOrEqual(1)
      for (const c of await controls(page)) {
        expect(c.h, c.name).toBeGreaterThanOrEqual(40)
        expect(c.w, c.name).toBeGreaterThanOrEqual(40)
        // Cut off by the screen's edge: no.
        expect(c.x, c.name).toBeGreaterThanOrEqual(0)
        expect(c.y, c.name).toBeGreaterThanOrEqual(0)
        expect(c.x + c.w, c.name).toBeLessThanOrEqual(844.5)
        expect(c.y + c.h, c.name).toBeLessThanOrEqual(390.5)
      }
      const prompt = await box(page, '.console-input-row')
      const footer = await box(page, '.layout-timeline')
      const panels = await box(page, '.layout-panels')
      const header = await box(page, '.app-header')
      for (const [a, b] of [
        [prompt, footer],
        [prompt, panels],
        [panels, footer],
        [header, prompt],
        [header, panels],
      ] as const)
        expect(overlap(a, b), `${a.name} / ${b.name}`).toBe(false)
      // The diagram has room: its first row is on screen, beside the console.
      expect(panels.h).toBeGreaterThan(200)
      const diagram = await box(page, '.layout-panels svg[role="img"]')
      expect(diagram.y + diagram.h).toBeLessThanOrEqual(panels.y + panels.h)
      // The footer takes two rows at most: less than a third of the screen.
      expect(footer.h).toBeLessThan(390 / 3)
      await page.context().close()
    })
})
