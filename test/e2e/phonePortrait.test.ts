/**
 * End-to-end: a phone upright (390 × 844). The sticky footer stays compact: its controls on
 * three rows (the step controls, the scrubber across the footer, the clock), each at least
 * 40 px for a finger, none cut off by the screen's edge, in
 * English and in Chinese. (A phone on its side: phoneLandscape.test.ts.)
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine, visibleBoxes, type Box } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

/** The boxes of the visible controls in the footer. */
function footerControls(page: Page): Promise<Box[]> {
  return visibleBoxes(page, '.layout-timeline :is(button, select, input)')
}

describe('a phone upright (390 × 844)', () => {
  for (const locale of ['en-US', 'zh-CN'])
    it(`keeps the footer to three rows of 40 px controls, the scrubber across it, none cut off (${locale})`, async () => {
      const page = await openApp(browser(), appUrl, { ...phone, locale })
      await runLine(page, 'SADD s 1 2 3')
      // The clock running shows its pause button (❚❚) instead of ▶.
      await page.getByRole('button', { name: /^(Resume clock|继续时钟)$/ }).click()
      const controls = await footerControls(page)
      expect(controls.map((c) => c.name)).toContain(
        locale === 'en-US' ? 'Advance the clock by +1min' : '把时钟拨快 +1min',
      )
      for (const c of controls) {
        expect(c.h, c.name).toBeGreaterThanOrEqual(40)
        expect(c.w, c.name).toBeGreaterThanOrEqual(40)
        expect(c.x, c.name).toBeGreaterThanOrEqual(0)
        expect(c.x + c.w, c.name).toBeLessThanOrEqual(390.5)
        expect(c.y + c.h, c.name).toBeLessThanOrEqual(844.5)
      }
      // Rows: controls whose boxes share a vertical band.
      const rows: Box[] = []
      for (const c of [...controls].sort((a, b) => a.y - b.y)) {
        const row = rows.at(-1)
        if (row === undefined || c.y >= row.y + row.h - 0.5) rows.push(c)
      }
      // The step controls, the scrubber on a row of its own, the clock.
      expect(rows.map((r) => r.name)).toHaveLength(3)
      // The scrubber spans the footer (it had the ~60 px the step controls left of their
      // row), and no button overlaps it.
      const scrub = controls.find(
        (c) => c.name === (locale === 'en-US' ? 'Command in the timeline' : '时间轴中的命令'),
      )
      expect(scrub?.w ?? 0).toBeGreaterThanOrEqual(0.9 * 374)
      for (const c of controls)
        if (c !== scrub && scrub !== undefined)
          expect(
            c.y >= scrub.y + scrub.h || c.y + c.h <= scrub.y || c.x >= scrub.x + scrub.w,
            c.name,
          ).toBe(true)
      // The position reads under the scrubber's track, clear of the caption below it.
      const position = await page.getByTestId('timeline-position').boundingBox()
      const caption = await page.getByTestId('caption').boundingBox()
      expect(position?.y ?? 0).toBeGreaterThanOrEqual((scrub?.y ?? 0) + 24)
      expect((position?.y ?? 0) + (position?.height ?? 0)).toBeLessThanOrEqual(
        (caption?.y ?? 0) + 0.5,
      )
      // The footer leaves the screen to the diagram: a fifth of it at the most.
      const footer = await page.locator('.layout-timeline').boundingBox()
      expect(footer?.height ?? 1e9).toBeLessThanOrEqual(844 / 5)
      await page.context().close()
    })

  for (const locale of ['en-US', 'zh-CN'])
    it(`sizes the header's, console's and panel's controls for a finger, the settings in two even columns (${locale})`, async () => {
      // "?" was 29×32, the console's tab 30 px high and its "+" 32×30, Pin 44×32; the opened
      // settings wrapped ragged (a select alone on a row, a button beside half a row).
      const page = await openApp(browser(), appUrl, { ...phone, locale })
      await runLine(page, 'SADD s 1 2 3')
      await page.getByRole('button', { name: /^(Settings|设置)$/ }).click()
      const controls = await visibleBoxes(
        page,
        '.app-header :is(button, select), .console :is(button, select), .layout-panels button',
      )
      expect(controls.length).toBeGreaterThan(12)
      for (const c of controls) {
        expect(c.h, c.name).toBeGreaterThanOrEqual(40)
        expect(c.w, c.name).toBeGreaterThanOrEqual(40)
        expect(c.x, c.name).toBeGreaterThanOrEqual(0)
        expect(c.x + c.w, c.name).toBeLessThanOrEqual(390.5)
      }
      const settings = await visibleBoxes(page, '.header-settings :is(button, select)')
      expect(settings.length).toBeGreaterThanOrEqual(9)
      // Two columns: two left edges and two widths (the last, New session, spans both).
      expect(new Set(settings.map((c) => Math.round(c.x))).size).toBe(2)
      expect(new Set(settings.slice(0, -1).map((c) => Math.round(c.w))).size).toBe(1)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBe(0)
      await page.context().close()
    })
})
