/**
 * End-to-end for the HyperLogLog panel: in Chromium against the built site, type PFADD into
 * the console, step through its events (the hash split, the register raised, the opcode
 * split), watch PFCOUNT cache the estimate and a small hll-sparse-max-bytes promote the HLL
 * to dense, and open the string-bytes tab.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import {
  chromiumPerFile,
  itemEventTypes,
  openApp,
  runLine,
  textHeights,
  selectStep,
} from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

function open(): Promise<Page> {
  return openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {
    viewport: { width: 1280, height: 900 },
  })
}

describe('HyperLogLog panel in the browser', () => {
  it('draws PFADD step by step, then the cache, the promotion to dense and the bytes', async () => {
    const page = await open()
    await runLine(page, 'CONFIG SET hll-sparse-max-bytes 30')
    await runLine(page, 'PFADD visitors alice bob')
    const panel = page.locator('section.panel[data-panel="hyperloglog"]')
    const hll = panel.getByTestId('hll-panel')
    await expect.poll(() => hll.getByTestId('hll-encoding').innerText()).toBe('HLL_SPARSE')
    await expect.poll(() => hll.getByTestId('hll-estimate').innerText()).toBe('2')

    // Step through: the first register update shows the hash split and the opcode split.
    const events = await itemEventTypes(page)
    const update = events.indexOf('hll/registerUpdated')
    expect(update).toBeGreaterThan(0)
    await selectStep(page, update + 1)
    await expect.poll(() => hll.getByTestId('hll-hash').count()).toBe(1)
    expect(await hll.locator('[data-role="index"]').count()).toBe(14)
    // The hash's digits are drawn at their own 12 px, not shrunk to fit one 64-bit row.
    expect(await textHeights(hll, '.hll-bit__value')).toBeGreaterThanOrEqual(12)
    await expect.poll(() => hll.getByTestId('hll-register').innerText()).toMatch(/0 → \d+/)
    expect(await hll.locator('[data-fresh="true"]').count()).toBe(3)
    await expect.poll(() => hll.locator('.step-caption').innerText()).toMatch(/raised from 0/)
    // The heat map is drawn on a canvas, with the register framed.
    expect(await hll.locator('canvas').count()).toBe(1)
    expect(await hll.getByTestId('hll-heat-focus').count()).toBe(1)
    mkdirSync('test-results', { recursive: true })
    await panel.screenshot({ path: 'test-results/hyperloglog-sparse.png' })

    // PFCOUNT caches the estimate in the header.
    // Back to the end of the PFADD: new commands then move the playhead on (a learner
    // stepping through an earlier item is not pulled away from it).
    await selectStep(page, events.length)
    await runLine(page, 'PFCOUNT visitors')
    await expect.poll(() => hll.getByTestId('hll-cache').getAttribute('data-valid')).toBe('true')
    await expect.poll(() => hll.getByTestId('hll-cache').innerText()).toMatch(/^2 /)

    // More names pass 30 bytes: the HLL turns dense for good.
    await runLine(page, 'PFADD visitors carol dave erin frank')
    const more = await itemEventTypes(page)
    const promo = more.indexOf('hll/sparseToDense')
    expect(promo).toBeGreaterThan(0)
    await selectStep(page, promo + 1)
    await expect.poll(() => hll.getByTestId('hll-promotion').count()).toBe(1)
    await expect.poll(() => hll.getByTestId('hll-encoding').innerText()).toBe('HLL_DENSE')
    await selectStep(page, more.length)
    await expect.poll(() => hll.getByTestId('hll-bytes').innerText()).toBe('12304')
    await expect.poll(() => hll.getByTestId('hll-estimate').innerText()).toBe('6')
    await panel.screenshot({ path: 'test-results/hyperloglog-dense.png' })

    // The same value as a string: the bytes GET returns.
    await panel.getByRole('tab', { name: 'String bytes' }).click()
    await expect.poll(() => panel.locator('.string-panel').count()).toBe(1)
    expect(await panel.getByTestId('hll-panel').count()).toBe(0)
    await page.close()
  })
})

describe('HyperLogLog hash bits a learner can read', () => {
  it('wraps the 64 bits in a phone and a projector, at full size, with each part named', async () => {
    for (const [url, viewport, minBit] of [
      ['', { width: 390, height: 844 }, 12],
      ['&projector=1', { width: 1920, height: 1080 }, 16],
    ] as const) {
      const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused${url}`, { viewport })
      await runLine(page, 'PFADD visitors alice')
      const events = await itemEventTypes(page)
      await selectStep(page, events.indexOf('hll/elementHashed') + 1)
      const hll = page.locator('section.panel[data-panel="hyperloglog"]').getByTestId('hll-panel')
      const hash = hll.getByTestId('hll-hash')
      await expect.poll(() => hash.count()).toBe(1)
      // One 64-bit row scaled to the panel drew these at 6 px on a phone.
      expect(await textHeights(hash, '.hll-bit__value')).toBeGreaterThanOrEqual(minBit)
      expect(await textHeights(hash, '.hll-hash__number')).toBeGreaterThanOrEqual(minBit - 1)
      const box = await hash.boundingBox()
      const right = await hash
        .locator('svg.hll-hash__group')
        .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)))
      expect(right).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0))
      // What each group of bits means, in words beside their colours.
      const index = await hash.getAttribute('data-index')
      expect(await hash.locator('[data-legend="index"]').innerText()).toBe(
        `bits 13–0 · register index (14 bits) = ${String(index)}`,
      )
      expect(await hash.locator('[data-legend="run"]').innerText()).toMatch(
        /^bits \d+–14 · zeros counted: \d+$/,
      )
      expect(await textHeights(hash, '[data-legend]')).toBeGreaterThanOrEqual(minBit)
      await page.close()
    }
  })
})

describe('HyperLogLog registers on a phone', () => {
  it('fits the 128 columns in a 390 px panel, the raised register framed over its cell', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {
      viewport: { width: 390, height: 844 },
    })
    await runLine(page, 'PFADD visitors alice')
    const events = await itemEventTypes(page)
    await selectStep(page, events.indexOf('hll/registerUpdated') + 1)
    const panel = page.locator('section.panel[data-panel="hyperloglog"]')
    await expect.poll(() => panel.getByTestId('hll-heat-focus').count()).toBe(1)
    const index = Number(await panel.getByTestId('hll-hash').getAttribute('data-index'))
    const box = await panel.boundingBox()
    const canvas = await panel.locator('.hll-heatmap canvas').boundingBox()
    const frame = await panel.locator('.hll-heatmap__focus').boundingBox()
    if (box === null || canvas === null || frame === null) throw new Error('not drawn')
    // The whole grid inside the panel: at 384 px it ran past a phone's edge.
    expect(canvas.x).toBeGreaterThanOrEqual(box.x)
    expect(canvas.x + canvas.width).toBeLessThanOrEqual(box.x + box.width)
    expect(canvas.width / canvas.height).toBeCloseTo(1, 2)
    // The frame scaled with the grid: its centre is on the register's cell.
    const cell = canvas.width / 128
    const [col, row] = [index % 128, Math.floor(index / 128)]
    expect(Math.abs(frame.x + frame.width / 2 - (canvas.x + (col + 0.5) * cell))).toBeLessThan(cell)
    expect(Math.abs(frame.y + frame.height / 2 - (canvas.y + (row + 0.5) * cell))).toBeLessThan(
      cell,
    )
    await page.close()
  })
})
