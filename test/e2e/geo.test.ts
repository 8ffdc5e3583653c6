/**
 * End-to-end for the geo panel: in Chromium against the built site, type GEOADD into the
 * console and step to a member's encoding (its bits and score), then GEOSEARCH and step
 * through the cells it walks and the candidates it keeps, to the results; then open the
 * sorted set's own tab.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, itemEventTypes, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

function open(): Promise<Page> {
  return openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {
    viewport: { width: 1280, height: 900 },
  })
}

describe('geo panel in the browser', () => {
  it('draws GEOADD’s encoding and GEOSEARCH’s cells, candidates and results', async () => {
    const page = await open()
    await runLine(
      page,
      'GEOADD cities 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.496366 41.902782 Rome 14.268124 40.851775 Naples',
    )
    const panel = page.locator('section.panel[data-panel="geo"]')
    const geo = panel.getByTestId('geo-panel')
    await expect.poll(() => geo.getByTestId('geo-size').innerText()).toBe('4')

    // The first member's encoding: its cells' bits and the score ZADD stores.
    const added = await itemEventTypes(page)
    await selectStep(page, added.indexOf('geo/memberEncoded') + 1)
    await expect.poll(() => geo.getByTestId('geo-bits').getAttribute('data-member')).toBe('Palermo')
    await expect.poll(() => geo.getByTestId('geo-bits').innerText()).toContain('3479099956230698')
    await expect.poll(() => geo.locator('.step-caption').innerText()).toMatch(/26 halvings/)
    await selectStep(page, added.length)

    await runLine(page, 'GEOSEARCH cities FROMLONLAT 15 37 BYRADIUS 200 km ASC COUNT 2')
    const events = await itemEventTypes(page)
    const cells = geo.getByTestId('geo-cells')
    // Step to the first walked cell: the centre lights up, the pruned ones are struck out.
    await selectStep(page, events.indexOf('geo/cellScanned') + 1)
    await expect
      .poll(() => cells.locator('[data-cell="center"]').getAttribute('data-state'))
      .toBe('scanning')
    expect(await cells.locator('li').count()).toBe(9)
    expect(await geo.locator('rect[data-cell="center"][data-state="scanning"]').count()).toBe(1)
    expect(await geo.getByTestId('geo-shape').count()).toBe(1)
    // The first candidate turns kept or dropped on the plane.
    const firstCandidate = events.indexOf('geo/candidateChecked')
    await selectStep(page, firstCandidate + 1)
    await expect
      .poll(() => geo.getByTestId('geo-candidates').locator('li').count())
      .toBeGreaterThan(0)
    mkdirSync('test-results', { recursive: true })
    await panel.screenshot({ path: 'test-results/geo-search.png' })

    // The end: every cell walked or pruned, the kept members sorted and cut at COUNT 2.
    await selectStep(page, events.length)
    await expect
      .poll(() => geo.getByTestId('geo-results').locator('li').allInnerTexts())
      .toEqual([expect.stringMatching(/^Catania/), expect.stringMatching(/^Palermo/)])
    expect(await cells.locator('[data-state="pending"], [data-state="scanning"]').count()).toBe(0)
    expect(await geo.locator('g[data-member="Catania"]').getAttribute('data-state')).toBe('kept')
    expect(await geo.locator('g[data-member="Rome"]').getAttribute('data-state')).not.toBe('kept')

    // The sorted set itself is one tab away.
    await panel.getByRole('tab', { name: 'Sorted set (listpack)' }).click()
    await expect.poll(() => panel.getByTestId('geo-panel').count()).toBe(0)
    await page.close()
  })
})
