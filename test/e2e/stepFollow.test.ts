/**
 * The step list's current row stays where the learner can see it as the playhead moves. At
 * 1280×800 the list of a 10-field HSET starts half way down the panels' column: it kept its
 * row inside its own box, whose lower part was below the column's fold (steps 3-20 of 21
 * marked out of sight). The column may scroll to show the list's last rows, but never the
 * page, and never past the top of the diagram the steps are about.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/** Where the current row, the column's visible part and the first diagram are on screen. */
function layout(page: Page) {
  return page.evaluate(() => {
    const row = document.querySelector('.step-list li[aria-current="step"]')
    const column = document.querySelector('.layout-panels')
    const diagram = document.querySelector('.panels > .panel:not(.steps) [role="img"]')
    const r = row?.getBoundingClientRect()
    const c = column?.getBoundingClientRect()
    return {
      row: r === undefined ? null : { top: r.top, bottom: r.bottom },
      column: c === undefined ? null : { top: c.top, bottom: c.bottom },
      diagramTop: diagram?.getBoundingClientRect().top ?? null,
      pageScroll: window.scrollY,
    }
  })
}

/** Steps through the last command, one step at a time, and returns the steps marked out of sight. */
async function hiddenSteps(page: Page): Promise<number[]> {
  const steps = await page.evaluate(
    () => window.__xray?.store.getState().items.at(-1)?.events.length ?? 0,
  )
  expect(steps).toBeGreaterThan(10)
  const hidden: number[] = []
  for (let step = 1; step <= steps; step++) {
    await selectStep(page, step)
    // The list follows once a frame, before it is painted.
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    )
    const at = await layout(page)
    if (at.row === null || at.column === null) throw new Error('no current row')
    if (at.row.top < at.column.top - 0.5 || at.row.bottom > at.column.bottom + 0.5)
      hidden.push(step)
    expect(at.pageScroll).toBe(0)
    if (at.diagramTop !== null) expect(at.diagramTop).toBeGreaterThanOrEqual(at.column.top)
  }
  return hidden
}

describe('the step list follows the playhead into sight', () => {
  it('keeps the current row of a long HSET above the fold, scrolling the column, not the page', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } })
    const fields = Array.from({ length: 10 }, (_, i) => `f${String(i)} v`).join(' ')
    await runLine(page, `HSET h ${fields}`)
    expect(await hiddenSteps(page)).toEqual([])
    await page.context().close()
  })

  it('keeps the last rows of a list partly below the fold in sight, scrolling the column as little as shows them', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } })
    await runLine(page, 'RPUSH list a b c d e f g h i j k l m n')
    expect(await hiddenSteps(page)).toEqual([])
    await page.context().close()
  })
})
