/**
 * End-to-end for the bitmap view of strings: in Chromium, SETBIT past the end opens the
 * string's Bits tab with the bit lit and the zero bytes padded in, BITCOUNT marks the bits
 * it counts, and the String and SDS tab is one click away.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

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
    await expect.poll(() => bits.getByRole('status').innerText()).toMatch(/padded with zero bytes/)

    await runLine(page, 'BITCOUNT flags 0 0')
    await expect.poll(() => bits.locator('[data-counted="true"]').count()).toBe(8)
    await expect.poll(() => bits.getByRole('status').innerText()).toMatch(/: 3\.$/)

    await panel.getByRole('tab', { name: 'String and SDS' }).click()
    await expect.poll(() => panel.locator('.string-panel').count()).toBe(1)
    expect(await panel.getByTestId('bitmap-panel').count()).toBe(0)
    await page.close()
  })
})
