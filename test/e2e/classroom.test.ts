/**
 * End-to-end checks of the app as a newcomer and a teacher use it on a laptop and on a
 * projector: typing after stepping back in the timeline, a scene's subject in view, and the
 * projector mode.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')
const LAPTOP = { width: 1366, height: 768 }
const WIDE = { width: 1920, height: 1080 }

/** Runs a scene from the Scenes menu and waits until its commands have answered. */
async function runScene(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: /^Scenes$|^场景$/ }).selectOption(id)
  await page.evaluate(() => window.__xray?.idle())
}

/** Puts the playhead at the end of timeline item `item` and waits for its views. */
async function showItem(page: Page, item: number): Promise<void> {
  await page.evaluate((i) => {
    window.__xray?.store.getState().itemSelected(i)
  }, item)
  await page.evaluate(() => window.__xray?.idle())
}

/** How far below the window's bottom edge the drawing of a panel reaches (≤ 0: all in view). */
function drawingBelowFold(page: Page, panel: string): Promise<number> {
  return page
    .locator(`section.panel[aria-label="${panel}"] svg`)
    .first()
    .evaluate((svg) => svg.getBoundingClientRect().bottom - window.innerHeight)
}

describe('a learner at a laptop', () => {
  it('sees the command typed after stepping back, not the old step', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    await runLine(page, 'SET a 1')
    await runLine(page, 'SADD s 1 2 3')
    await page.evaluate(() => {
      window.__xray?.store.getState().commandBackRequested()
    })
    await expect.poll(() => page.getByTestId('panels-when').innerText()).toMatch(/command 1/)
    await runLine(page, 'RPUSH list a b c')
    await expect.poll(() => page.getByTestId('panels-when').innerText()).toBe('Current state.')
    await expect
      .poll(() => page.locator('.layout-panels section.panel h2').first().innerText())
      .toMatch(/^Key list/)
    await page.context().close()
  })
})

describe('a scene keeps what it is about on screen', () => {
  for (const viewport of [LAPTOP, WIDE]) {
    it(`shows the keyspace dict of dict-expand without scrolling at ${String(viewport.width)}×${String(viewport.height)}`, async () => {
      const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport })
      await runScene(page, 'dict-expand')
      const items = await page.evaluate(() => window.__xray?.store.getState().items.length ?? 0)
      expect(items).toBe(9)
      // Every command of the scene, the rehash (SET k5, GET k1) included.
      for (let i = 0; i < items; i++) {
        await showItem(page, i)
        expect(await drawingBelowFold(page, 'Keyspace (db 0)')).toBeLessThanOrEqual(0)
      }
      const scrolled = await page.evaluate(
        () =>
          (document.scrollingElement?.scrollTop ?? 0) +
          (document.querySelector('.layout-panels')?.scrollTop ?? 0),
      )
      expect(scrolled).toBe(0)
      await page.context().close()
    })
  }

  it('keeps the scene’s key in the panel for a command that touches no key (CONFIG SET)', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    await runScene(page, 'quicklist-split')
    const last = await page.evaluate(() => (window.__xray?.store.getState().items.length ?? 0) - 1)
    await showItem(page, last)
    const first = page.locator('.layout-panels section.panel').first()
    await expect.poll(() => first.getAttribute('aria-label')).toBe('Key q')
    expect(await drawingBelowFold(page, 'Key q')).toBeLessThanOrEqual(0)
    // The learner's own command ends the scene's focus: the keyspace goes back to its place.
    await runLine(page, 'DBSIZE')
    await expect
      .poll(() => page.locator('.layout-panels section.panel').first().getAttribute('aria-label'))
      .not.toBe('Key q')
    await page.context().close()
  })
})
