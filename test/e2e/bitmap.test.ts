/**
 * End-to-end for the bitmap view of strings: in Chromium, SETBIT past the end opens the
 * string's Bits tab with the bit lit and the zero bytes padded in, BITCOUNT marks the bits
 * it counts, and the String and SDS tab is one click away.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine, textHeights } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

function open(): Promise<Page> {
  return openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {
    viewport: { width: 1280, height: 900 },
  })
}

describe('bitmap view in the browser', () => {
  it('shows SETBIT’s bit and padding, BITCOUNT’s bits, then the SDS tab', async () => {
    const page = await open()
    await runLine(page, 'SET flags a')
    await runLine(page, 'SETBIT flags 30 1')
    const panel = page.locator('section.panel[data-panel="string"]')
    const bits = panel.getByTestId('bitmap-panel')
    await expect.poll(() => bits.getByTestId('bitmap-length').innerText()).toBe('4 bytes')
    expect(await panel.getByRole('tab', { name: 'Bits' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    expect(await bits.locator('[data-padded="true"]').count()).toBe(3)
    expect(await bits.locator('[data-bit="30"]').getAttribute('data-lit')).toBe('true')
    await expect
      .poll(() => bits.locator('.step-caption').innerText())
      .toMatch(/padded with zero bytes/)

    await runLine(page, 'BITCOUNT flags 0 0')
    await expect.poll(() => bits.locator('[data-counted="true"]').count()).toBe(8)
    await expect.poll(() => bits.locator('.step-caption').innerText()).toMatch(/: 3\.$/)

    // Every bit and byte label is drawn at its own font size (12 and 11 px), not shrunk.
    expect(await textHeights(bits, '.bitmap-bit__value')).toBeGreaterThanOrEqual(12)
    expect(await textHeights(bits, '.bitmap-byte__label')).toBeGreaterThanOrEqual(11)

    await panel.getByRole('tab', { name: 'String and SDS' }).click()
    await expect.poll(() => panel.locator('.string-panel').count()).toBe(1)
    expect(await panel.getByTestId('bitmap-panel').count()).toBe(0)
    await page.close()
  })
})

describe('bitmap bits a learner can read', () => {
  it('wraps the bytes of a 13-byte bitmap in a phone and a projector, at full size', async () => {
    for (const [url, viewport, minBit] of [
      ['', { width: 390, height: 844 }, 12],
      ['&projector=1', { width: 1920, height: 1080 }, 16],
    ] as const) {
      const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused${url}`, { viewport })
      await runLine(page, 'SETBIT bits 100 1')
      const bits = page.locator('section.panel[data-panel="string"]').getByTestId('bitmap-panel')
      await expect.poll(() => bits.getByTestId('bitmap-length').innerText()).toBe('13 bytes')
      // Eight bytes a row scaled to fit drew these at 6 px; the projector makes them larger.
      expect(await textHeights(bits, '.bitmap-bit__value')).toBeGreaterThanOrEqual(minBit)
      const box = await bits.boundingBox()
      const right = await bits
        .locator('svg.bitmap-byte')
        .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)))
      expect(right).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0))
      expect(await bits.locator('[data-bit="100"]').getAttribute('data-lit')).toBe('true')
      await page.close()
    }
  })
})
