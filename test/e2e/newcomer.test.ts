/**
 * End-to-end checks for what a newcomer sees first in a real browser: diagrams drawn at a
 * readable scale (a one-node quicklist is not blown up to the panel's width, a long listpack
 * is not shrunk to a hairline) and an embed whose console stays on screen in a short iframe.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { launchChromium, openPage } from './chromium.ts'

let browser: Browser
const baseUrl = inject('baseUrl')

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser.close()
})

async function open(viewport: { width: number; height: number }, extra = ''): Promise<Page> {
  const ctx = await browser.newContext({ viewport, reducedMotion: 'reduce', locale: 'en-US' })
  const page = await openPage(ctx)
  await page.goto(`${baseUrl}?seed=7&clock=paused${extra}`)
  await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
  await page.evaluate(() => window.__xray?.idle())
  return page
}

async function run(page: Page, line: string) {
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  await input.fill(line)
  await input.press('Enter')
  await page.evaluate(() => window.__xray?.idle())
}

/** Drawn width of a panel's svg over the width it asks for (1 = drawn at its own scale). */
function svgScale(page: Page, panel: string): Promise<number> {
  return page
    .locator(`section.${panel} svg[role="img"]`)
    .first()
    .evaluate((svg) => svg.getBoundingClientRect().width / Number(svg.getAttribute('width')))
}

describe('diagrams at a readable scale', () => {
  it('draws a one-node quicklist and a long listpack at their own scale', async () => {
    const page = await open({ width: 1280, height: 800 })
    await run(page, 'RPUSH mylist a b c d')
    await expect.poll(() => page.locator('section.quicklist-panel svg').count()).toBe(1)
    expect(await svgScale(page, 'quicklist-panel')).toBeLessThanOrEqual(1.01)

    const fields = Array.from({ length: 40 }, (_, i) => `field${String(i)} value${String(i)}`)
    await run(page, `HSET h ${fields.join(' ')}`)
    await expect.poll(() => page.locator('section.listpack-panel svg').count()).toBe(1)
    expect(await svgScale(page, 'listpack-panel')).toBeGreaterThan(0.99)
    // The ribbon scrolls inside its panel rather than widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    )
    await page.context().close()
  })
})
