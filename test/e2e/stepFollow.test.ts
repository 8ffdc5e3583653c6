/**
 * The step list's current row stays where the learner can see it as the playhead moves. At
 * 1280×800 the list of a 10-field HSET starts half way down the panels' column: it kept its
 * row inside its own box, whose lower part was below the column's fold (steps 3-20 of 21
 * marked out of sight). The list scrolls its own box only, cut to the part of it in sight:
 * neither the page nor the panels' column scrolls for it. A 517-step SADD at 1280×800 ended
 * with its last row below the fold, and scrolling the column pushed the key panel's header
 * out of view.
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
  it('keeps the current row of a long HSET above the fold, scrolling neither the column nor the page', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } })
    const fields = Array.from({ length: 10 }, (_, i) => `f${String(i)} v`).join(' ')
    await runLine(page, `HSET h ${fields}`)
    expect(await hiddenSteps(page)).toEqual([])
    await page.context().close()
  })

  it('keeps the last rows of a list partly below the fold in sight', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } })
    await runLine(page, 'RPUSH list a b c d e f g h i j k l m n')
    expect(await hiddenSteps(page)).toEqual([])
    await page.context().close()
  })

  it('shows the last step of a 517-step SADD whole once it has played, the column unscrolled', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 800 } })
    const members = Array.from({ length: 512 }, (_, i) => String(i + 1)).join(' ')
    await runLine(page, `SADD s ${members}`)
    // The 513th member, not an integer, converts the intset: 517 steps, played to the end.
    await runLine(page, 'SADD s hello')
    // Once the key's panel has drawn its hash table (it pushes the list down after the
    // list followed its row), the row must still be in sight.
    await page.waitForFunction(() => document.querySelector('.panels [role="img"]') !== null)
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    )
    const at = await page.evaluate(() => {
      const rect = (s: string) => document.querySelector(s)?.getBoundingClientRect()
      const row = rect('.step-list li[aria-current="step"]')
      const list = rect('.step-list')
      const column = rect('.layout-panels')
      return {
        step: document.querySelector('.step-list li[aria-current="step"] .step-number')
          ?.textContent,
        row: row && { top: row.top, bottom: row.bottom },
        list: list && { top: list.top, bottom: list.bottom },
        column: column && { top: column.top, bottom: column.bottom },
        columnScroll: document.querySelector('.layout-panels')?.scrollTop,
        pageScroll: window.scrollY,
      }
    })
    expect(at.step).toBe('517.')
    if (!at.row || !at.list || !at.column) throw new Error('no current row')
    expect(at.row.bottom).toBeLessThanOrEqual(at.column.bottom + 0.5)
    expect(at.row.bottom).toBeLessThanOrEqual(at.list.bottom + 0.5)
    expect(at.row.top).toBeGreaterThanOrEqual(Math.max(at.list.top, at.column.top) - 0.5)
    expect(at.columnScroll).toBe(0)
    expect(at.pageScroll).toBe(0)
    await page.context().close()
  })
})
