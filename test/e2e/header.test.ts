/**
 * The header's tools on a laptop or desktop screen: one row where there is room. A select is
 * as wide as its longest option, so the scene picker (the longest scene title) and the
 * motion and trace selects (their widest choice) pushed the tools onto two rows up to
 * 1,890 px in English.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/** The rows the header's visible tools take (distinct tops), and anything wider than the screen. */
function toolRows(page: Page): Promise<{ rows: number; overflow: number; pickerCut: boolean }> {
  return page.evaluate(() => {
    const tools = [...document.querySelectorAll('.header-tools select, .header-tools button')]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0)
    const picker = document.querySelector('.scenes-menu select')
    return {
      rows: new Set(tools.map((r) => Math.round(r.top))).size,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      // The picker's own label ("Run a scene…") is never cut: the select is at least as wide
      // as it would be sized to its shown option.
      pickerCut:
        picker instanceof HTMLSelectElement &&
        picker.getBoundingClientRect().width + 0.5 <
          (() => {
            const probe = picker.cloneNode(true) as HTMLSelectElement
            probe.style.cssText = 'position:absolute;width:auto;field-sizing:content'
            document.body.append(probe)
            const w = probe.getBoundingClientRect().width
            probe.remove()
            return w
          })(),
    }
  })
}

describe('the header on a laptop or desktop screen', () => {
  const cases = [
    { locale: 'en-US', width: 1366, rows: 1 },
    { locale: 'en-US', width: 1440, rows: 1 },
    { locale: 'en-US', width: 1920, rows: 1 },
    { locale: 'zh-CN', width: 1280, rows: 1 },
    { locale: 'zh-CN', width: 1366, rows: 1 },
    { locale: 'zh-CN', width: 1920, rows: 1 },
    { locale: 'en-US', width: 1280, rows: 1 },
    // No room for every tool on one row: two rows, nothing past the screen's edge.
    { locale: 'en-US', width: 1024, rows: 2 },
  ]
  for (const { locale, width, rows } of cases)
    it(`puts the tools on ${String(rows)} row(s) at ${String(width)} px (${locale})`, async () => {
      const page = await openApp(browser(), appUrl, { viewport: { width, height: 800 }, locale })
      expect(await toolRows(page)).toEqual({ rows, overflow: 0, pickerCut: false })
      await page.context().close()
    })
})
