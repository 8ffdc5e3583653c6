/**
 * End-to-end: every panel that colours its shapes has a key to the colours (the shared
 * Legend), and each swatch of the key has the very colour of shapes drawn in the panel:
 * the SCAN strip, the bitmap's bits, a GEOSEARCH's cells and points, the stream's radix
 * tree, the listpack ribbon, the string's fields and the HyperLogLog's sparse opcodes.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=7&clock=paused`

interface Swatch {
  readonly id: string
  readonly colour: string
  readonly drawn: boolean
}

/** Each legend item of the panels matching `selector`: its swatch colour, and whether a drawn shape has it. */
function swatches(page: Page, selector: string): Promise<Swatch[]> {
  return page.evaluate((sel) => {
    const roots = [...document.querySelectorAll(sel)]
    const colour = (el: Element): string => {
      const cs = getComputedStyle(el)
      return el instanceof SVGElement ? cs.fill : cs.backgroundColor
    }
    const drawn = new Set<string>()
    for (const root of roots)
      for (const el of root.querySelectorAll('rect, circle, path, th, td, span, li'))
        if (el.closest('.panel-legend') === null) drawn.add(colour(el))
    return roots.flatMap((root) =>
      [...root.querySelectorAll('.panel-legend li')].map((li) => {
        const sw =
          li.querySelector('rect') ??
          li.querySelector('.panel-legend__box .panel-legend__box') ??
          li.querySelector('.panel-legend__box, .panel-legend__swatch')
        const c = sw ? colour(sw) : 'none'
        return { id: (li as HTMLElement).dataset['legend'] ?? '', colour: c, drawn: drawn.has(c) }
      }),
    )
  }, selector)
}

/** Selects the first step of the item under the playhead whose event type is `type`. */
async function stepTo(page: Page, type: string): Promise<void> {
  const k = await page.evaluate((t) => {
    const s = window.__xray?.store.getState()
    return (s?.items[s.playhead.item]?.events.findIndex((e) => e.type === t) ?? -1) + 1
  }, type)
  expect(k).toBeGreaterThan(0)
  await selectStep(page, k)
  await page.evaluate(() => window.__xray?.idle())
}

const ids = (list: readonly Swatch[]) => list.map((s) => s.id)

describe('colour keys match the drawn fills', () => {
  it('SCAN, bitmap, listpack, string, stream and HyperLogLog', async () => {
    const page = await openApp(browser(), appUrl, { viewport: { width: 1280, height: 900 } })
    await runLine(page, 'DEBUG POPULATE 40')
    await runLine(page, 'SCAN 0')
    await expect
      .poll(async () => ids(await swatches(page, '.scan-panel')))
      .toEqual(['visited', 'next', 'pending'])
    for (const s of await swatches(page, '.scan-panel'))
      expect(s, s.id).toMatchObject({ drawn: true })
    expect(
      await page.locator('.scan-panel').getByRole('list', { name: 'Colours' }).innerText(),
    ).toMatch(
      /covered: already returned[\s\S]*next: the bucket the cursor names[\s\S]*not visited yet/,
    )

    await runLine(page, 'SET flags a')
    await runLine(page, 'SETBIT flags 30 1')
    await stepTo(page, 'bitmap/bitSet')
    await expect
      .poll(async () => ids(await swatches(page, '.bitmap-panel')))
      .toEqual(['zero', 'one', 'lit', 'padded'])
    for (const s of await swatches(page, '.bitmap-panel'))
      expect(s, s.id).toMatchObject({ drawn: true })

    await runLine(page, 'HSET h a 1 b 22')
    await expect
      .poll(async () => ids(await swatches(page, '.listpack-panel')))
      .toEqual(['header', 'entry'])
    for (const s of await swatches(page, '.listpack-panel'))
      expect(s, s.id).toMatchObject({ drawn: true })

    await runLine(page, 'SET s hello')
    await runLine(page, 'APPEND s " world"')
    await expect.poll(async () => (await swatches(page, '.string-panel')).length).toBeGreaterThan(2)
    for (const s of await swatches(page, '.string-panel'))
      expect(s, s.id).toMatchObject({ drawn: true })

    await runLine(page, 'XADD st 1-1 a 1')
    await runLine(page, 'XADD st 2-1 b 2')
    await stepTo(page, 'stream/entryAppended')
    await expect.poll(async () => ids(await swatches(page, '.stream-panel'))).toContain('active')
    for (const s of await swatches(page, '.stream-panel'))
      expect(s, s.id).toMatchObject({ drawn: true })

    await runLine(page, 'PFADD hll a b c')
    await stepTo(page, 'hll/registerUpdated')
    await expect.poll(async () => ids(await swatches(page, '.hll-ops'))).toContain('fresh')
    for (const s of await swatches(page, '.hll-ops')) expect(s, s.id).toMatchObject({ drawn: true })
    await page.context().close()
  })

  it('GEOSEARCH, in 简体中文', async () => {
    const page = await openApp(browser(), appUrl, {
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    })
    await runLine(
      page,
      'GEOADD cities 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.496366 41.902782 Rome',
    )
    await runLine(page, 'GEOSEARCH cities FROMLONLAT 15 37 BYRADIUS 200 km ASC')
    await stepTo(page, 'geo/resultsSorted')
    const geo = await swatches(page, '.geo-panel')
    expect(ids(geo)).toEqual(expect.arrayContaining(['scanned', 'kept']))
    for (const s of geo) expect(s, s.id).toMatchObject({ drawn: true })
    expect(await page.locator('.geo-panel .panel-legend').first().getAttribute('aria-label')).toBe(
      '颜色',
    )
    expect(await page.locator('.geo-panel .panel-legend').first().innerText()).toMatch(
      /已扫描的格子[\s\S]*在范围内：返回/,
    )
    await page.context().close()
  })
})
