/**
 * Projector mode (1920×1080): stepping through a long command keeps the key panel's header in
 * view. The step list followed its row by scrolling the panels' column, and the diagram's
 * reveal scrolled the column down to the step's bucket of a 1536-bucket table: either way
 * the header ("Key s · intset → hashtable") went above the column's top. The list scrolls
 * its own box, and the table's own frame scrolls to the bucket instead.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused&projector=1`

function layout(page: Page) {
  return page.evaluate(() => {
    const rect = (e: Element | null | undefined) => {
      const r = e?.getBoundingClientRect()
      return r === undefined ? null : { top: r.top, bottom: r.bottom }
    }
    const panel = document.querySelector('.panels > .panel:not(.steps)')
    return {
      header: rect(panel?.querySelector('.panel-header')),
      active: rect(panel?.querySelector('[data-active="true"]')),
      row: rect(document.querySelector('.step-list li[aria-current="step"]')),
      list: rect(document.querySelector('.step-list')),
      column: rect(document.querySelector('.layout-panels')),
      pageScroll: window.scrollY,
    }
  })
}

describe('projector mode follows a long command', () => {
  it('keeps the key panel’s header, the step’s bucket and the step’s row in sight', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1920, height: 1080 } })
    expect(await page.evaluate(() => document.documentElement.dataset['projector'])).toBe('true')
    const members = Array.from({ length: 512 }, (_, i) => String(i + 1)).join(' ')
    await runLine(page, `SADD s ${members}`)
    await runLine(page, 'SADD s hello')
    const steps = [1, 2, 3, 4, 5, 6, 50, 200, 400, 512, 515, 517]
    const problems: string[] = []
    let buckets = 0
    for (const step of steps) {
      await selectStep(page, step)
      await page.evaluate(() => window.__xray?.idle())
      // The reveal waits for the panel's diagram; the list follows once a frame.
      await page.evaluate(
        () =>
          new Promise((r) =>
            requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))),
          ),
      )
      const at = await layout(page)
      if (at.header === null || at.column === null)
        throw new Error(`step ${String(step)}: no panel`)
      expect(at.pageScroll).toBe(0)
      const { top, bottom } = at.column
      if (at.header.top < top - 0.5) problems.push(`${String(step)}: header above the column`)
      if (at.active !== null) buckets++
      if (at.active !== null && (at.active.top < top - 0.5 || at.active.bottom > bottom + 0.5))
        problems.push(`${String(step)}: bucket out of sight`)
      // A list with room for two rows in sight shows its current row whole.
      if (
        at.row !== null &&
        at.list !== null &&
        bottom - at.list.top >= 2 * (at.row.bottom - at.row.top)
      )
        if (at.row.top < Math.max(top, at.list.top) - 0.5 || at.row.bottom > bottom + 0.5)
          problems.push(`${String(step)}: row out of sight`)
    }
    expect(problems).toEqual([])
    // The table's steps mark a bucket (the list's own steps have none to mark).
    expect(buckets).toBeGreaterThan(5)
    await page.context().close()
  })
})
