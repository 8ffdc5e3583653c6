/**
 * End-to-end for the stream panel in Chromium against the built site: XADD commands typed into
 * the console draw the radix tree and its listpacks (a new listpack when
 * stream-node-max-entries is reached, step by step), XDEL greys a tombstone, and the
 * stream-nodes scene runs from the scenes menu to a trimmed stream with a consumer group.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const ARTIFACTS = 'test-results'
const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true })
})

const panel = (page: Page) => page.locator('section.stream-panel')

/** The data-ids drawn under the panel that start with `prefix` (leaving ones left out). */
function drawn(page: Page, prefix: string): Promise<string[]> {
  return panel(page)
    .locator(`[data-id^="${prefix}"]:not([data-leaving])`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))
}

/** Selects the timeline item of the command `line` (its last step). */
async function selectCommand(page: Page, line: string): Promise<void> {
  await page.evaluate((l) => {
    const s = window.__xray?.store.getState()
    const i = s?.items.findIndex((x) => x.kind === 'command' && x.argv.join(' ') === l) ?? -1
    if (i < 0) throw new Error(`no item for ${l}`)
    s?.itemSelected(i)
  }, line)
  await page.evaluate(() => window.__xray?.idle())
}

describe('stream panel in the browser', () => {
  it('draws XADDs into listpacks under the rax, a new node step by step, and an XDEL tombstone', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`)
    await runLine(page, 'CONFIG SET stream-node-max-entries 2')
    await runLine(page, 'XADD s 1-1 temp 20 hum 50')
    await runLine(page, 'XADD s 1-2 temp 21 hum 51')
    await expect.poll(() => drawn(page, 'entry:')).toEqual(['entry:1-1', 'entry:1-2'])
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-1'])

    await runLine(page, 'XADD s 1-3 temp 22 hum 52')
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-1', 'lp:1-3'])
    // A 15-byte compressed run, a node branching on the last byte, two keys.
    await expect
      .poll(() =>
        panel(page)
          .locator('[data-id^="rax:"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))),
      )
      .toEqual(['compr', 'branch', 'key', 'key'])
    expect(await panel(page).locator('[data-id="entry:1-3"]').innerHTML()).toContain('temp=22')

    // Step 0 of that XADD: one listpack; step 1 (nodeCreated): the new, empty one.
    await page.evaluate(() => window.__xray?.store.getState().stepSelected(0))
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-1'])
    const created = await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      return s?.items[s.playhead.item]?.events.findIndex((e) => e.type === 'stream/nodeCreated')
    })
    await page.evaluate((k) => window.__xray?.store.getState().stepSelected(k + 1), created ?? 0)
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-1', 'lp:1-3'])
    await expect
      .poll(() => panel(page).locator('[data-id="lp:1-3"]').getAttribute('data-entries'))
      .toBe('0')
    await expect
      .poll(() => panel(page).locator('.step-caption').innerText())
      .toMatch(/stream-node-max-entries 2, so a new listpack node starts/)

    // The playhead stays where it was stepped to: go to the new command.
    await runLine(page, 'XDEL s 1-2')
    await selectCommand(page, 'XDEL s 1-2')
    await expect
      .poll(() => panel(page).locator('[data-id="entry:1-2"]').getAttribute('data-deleted'))
      .toBe('true')
    await panel(page).screenshot({ path: `${ARTIFACTS}/stream-panel.png` })
    await page.context().close()
  })

  it('keeps a wide stream (one entry per listpack) scrolling inside its panel', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`)
    await runLine(page, 'CONFIG SET stream-node-max-entries 1')
    for (let i = 1; i <= 14; i++) await runLine(page, `XADD w ${String(i)}-1 f v`)
    await expect.poll(() => drawn(page, 'lp:')).toHaveLength(12)
    await expect.poll(() => panel(page).getByText('+2 more listpacks not drawn').count()).toBe(1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    )
    await page.context().close()
  })

  it('runs the stream-nodes scene from the scenes menu', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`)
    await page.getByRole('combobox', { name: 'Scenes' }).selectOption('stream-nodes')
    await page.evaluate(() => window.__xray?.idle())
    await expect
      .poll(() =>
        page.evaluate(
          () => window.__xray?.store.getState().items.filter((x) => x.kind === 'command').length,
        ),
      )
      .toBe(18)
    await selectCommand(page, 'XADD events 1-5 temp 24 hum 54')
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-1', 'lp:1-5'])
    await expect
      .poll(() => page.getByTestId('scene-note').innerText())
      .toMatch(/the listpack holds 4 entries/)
    await selectCommand(page, 'XTRIM events MAXLEN ~ 3')
    await expect.poll(() => drawn(page, 'lp:')).toEqual(['lp:1-5'])
    await selectCommand(page, 'XACK events workers 1-5')
    await expect
      .poll(() => panel(page).locator('[data-id="group:workers"]').getAttribute('data-pending'))
      .toBe('2')
    expect(await drawn(page, 'pel:')).toEqual(['pel:workers:1-6', 'pel:workers:2-1'])
    await panel(page).screenshot({ path: `${ARTIFACTS}/stream-scene.png` })
    await page.context().close()
  })
})
