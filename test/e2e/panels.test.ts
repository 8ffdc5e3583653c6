/**
 * End-to-end for the structure panels (issue 6): in Chromium against the built site, fill
 * the keyspace dict until it expands, step through the rehash and check what is drawn, keep
 * a screenshot as an artifact (test-results/), and open the overview of a big dict.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const ARTIFACTS = 'test-results'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true })
})

async function open(extra = '', viewport = { width: 1280, height: 720 }): Promise<Page> {
  const ctx = await browser().newContext({ viewport, reducedMotion: 'reduce', locale: 'en-US' })
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

/** The keyspace panel's main dict. */
function keyspaceDict(page: Page) {
  return page.locator('section.dict-panel[data-dict="db:0:keys"]')
}

describe('dict panel in the browser', () => {
  it('fills the dict until it expands, then steps through the rehash bucket by bucket', async () => {
    const page = await open()
    for (const k of ['k1', 'k2', 'k3', 'k4']) await run(page, `SET ${k} v`)
    const dict = keyspaceDict(page)
    await expect.poll(() => dict.getByTestId('dict-size').innerText()).toMatch(/\b4\b/)
    await expect.poll(() => dict.locator('.dict-panel__rule').innerText()).toMatch(/next new key/)

    // The fifth key starts the expand: ht[1] appears and the new key goes there.
    await run(page, 'SET k5 v')
    await expect.poll(() => dict.getByTestId('dict-rehashidx').count()).toBe(1)
    await expect
      .poll(() => dict.locator('[data-id="entry:k5"]').getAttribute('data-table'))
      .toBe('1')

    // Each later command moves at least one bucket; step through one command's events.
    await run(page, 'GET k1')
    const events = await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      return s?.items[s.playhead.item]?.events.map((e) => e.type) ?? []
    })
    const moved = events.indexOf('dict/bucketRehashed')
    expect(moved).toBeGreaterThanOrEqual(0)
    await page.evaluate((step) => window.__xray?.store.getState().stepSelected(step), moved)
    const before = await dict.locator('[data-table="1"]').count()
    await page.evaluate((step) => window.__xray?.store.getState().stepSelected(step), moved + 1)
    await expect.poll(() => dict.locator('[data-table="1"]').count()).toBeGreaterThan(before)
    await expect
      .poll(() => dict.locator('.step-caption').innerText())
      .toMatch(/Moved bucket|Rehash of .* finished/)

    await dict.screenshot({ path: `${ARTIFACTS}/dict-rehash.png` })
    await page.context().close()
  })

  it('switches to the canvas overview for a big dict and zooms back into buckets', async () => {
    const page = await open()
    await run(page, 'DEBUG POPULATE 20000')
    const dict = keyspaceDict(page)
    await expect.poll(() => dict.getByTestId('overview-0').count(), { timeout: 30_000 }).toBe(1)
    const box = await dict.getByTestId('overview-0').boundingBox()
    if (box === null) throw new Error('overview not drawn')
    await page.mouse.click(box.x + 5, box.y + box.height / 2)
    await expect.poll(() => dict.locator('[data-id^="bucket:0:"]').count()).toBeGreaterThan(0)
    expect(await dict.locator('[data-id^="bucket:0:"]').count()).toBeLessThanOrEqual(64)
    expect(await dict.locator('[data-id^="entry:"]').count()).toBeGreaterThan(0)
    // Far from the buckets whose chains were sent, a zoomed bucket still says how many keys
    // it holds.
    await dict.getByRole('button', { name: 'Back to overview' }).click()
    const box2 = await dict.getByTestId('overview-0').boundingBox()
    if (box2 === null) throw new Error('overview not drawn again')
    await page.mouse.click(box2.x + box2.width - 5, box2.y + box2.height / 2)
    await expect.poll(() => dict.locator('[data-count]').count()).toBeGreaterThan(0)
    await page.context().close()
  })

  it('embeds one panel with a mini console and a link to the full app', async () => {
    const page = await open('&embed=keyspace')
    await run(page, 'SET greeting hello')
    await expect
      .poll(() => keyspaceDict(page).getByTestId('dict-used').innerText())
      .toMatch(/\b1\b/)
    expect(await page.locator('header.app-header').count()).toBe(0)
    const link = page.getByRole('link', { name: /Open in Redis X-Ray/ })
    expect(await link.getAttribute('href')).not.toContain('embed=')
    // Nothing is saved: a fresh load of the full app does not see the embed's key.
    await page.goto(`${baseUrl}?seed=7&clock=paused`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    await run(page, 'EXISTS greeting')
    await expect
      .poll(() => page.locator('.console-output .console-line').last().innerText())
      .toBe('(integer) 0')
    await page.context().close()
  })

  it('in a key embed with no key on screen, shows the keyspace rather than an empty frame', async () => {
    const page = await open('&embed=key')
    const keyspace = page.locator('section.panel[data-panel="keyspace"]')
    expect(await keyspace.isVisible()).toBe(true)
    await run(page, 'SADD nums 1 2 3')
    await expect
      .poll(() => page.locator('section.panel[data-panel="intset"]').isVisible())
      .toBe(true)
    expect(await keyspace.isVisible()).toBe(false)
    // A command that names no key leaves no key panel: the keyspace comes back.
    await run(page, 'DBSIZE')
    await expect.poll(() => keyspace.isVisible()).toBe(true)
    await page.context().close()
  })

  it('draws a one-node quicklist, a long listpack and a big skiplist at their own scale', async () => {
    const page = await open()
    await run(page, 'RPUSH mylist a b c d')
    await expect.poll(() => page.locator('section.quicklist-panel svg[role="img"]').count()).toBe(1)
    expect(await svgScale(page, 'quicklist-panel')).toBeLessThanOrEqual(1.01)

    const fields = Array.from({ length: 40 }, (_, i) => `field${String(i)} value${String(i)}`)
    await run(page, `HSET h ${fields.join(' ')}`)
    await expect.poll(() => page.locator('section.listpack-panel svg[role="img"]').count()).toBe(1)
    expect(await svgScale(page, 'listpack-panel')).toBeGreaterThan(0.99)
    // A 130-node skiplist and its zset dict (hundreds of buckets) stay readable too.
    const members = Array.from({ length: 130 }, (_, i) => `${String(i)} m${String(i)}`)
    await run(page, `ZADD z ${members.join(' ')}`)
    await expect.poll(() => page.locator('section.skiplist-panel svg[role="img"]').count()).toBe(1)
    expect(await svgScale(page, 'skiplist-panel')).toBeGreaterThan(0.99)
    expect(await svgScale(page, 'dict-panel')).toBeGreaterThan(0.99)
    // The ribbon and the towers scroll inside their panels rather than widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    )
    await page.context().close()
  })

  it('keeps the embed console and step controls inside a short, narrow iframe', async () => {
    const page = await open('&embed=key', { width: 800, height: 500 })
    await run(page, 'RPUSH l a b')
    await expect.poll(() => page.locator('section.quicklist-panel').count()).toBe(1)
    const inFrame = async (name: string, role: 'textbox' | 'button') => {
      const box = await page.getByRole(role, { name }).boundingBox()
      return box !== null && box.y >= 0 && box.y + box.height <= 500
    }
    expect(await inFrame('Command for client 3', 'textbox')).toBe(true)
    expect(await inFrame('Play', 'button')).toBe(true)
    await page.context().close()
  })
})

describe('a command that converts its key part way, in the browser', () => {
  it('draws the listpack during ZADD’s listpack steps and the skiplist after the conversion', async () => {
    const page = await open()
    const members = Array.from({ length: 130 }, (_, i) => `${String(i)} m${String(i)}`)
    await run(page, `ZADD z ${members.join(' ')}`)
    const events = await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      return s?.items[s.playhead.item]?.events.map((e) => e.type) ?? []
    })
    const converted = events.indexOf('object/encodingConverted')
    expect(converted).toBeGreaterThan(256)
    const keyPanel = page.locator('section.panel[aria-label="Key z"]')
    const step = async (n: number) => {
      await page.evaluate((s) => window.__xray?.store.getState().stepSelected(s), n)
      await page.evaluate(() => window.__xray?.idle())
    }

    // The 20th listpack insert: its caption and a listpack of 20 entries, not the skiplist.
    const twentieth = events.reduce<number[]>(
      (at, t, i) => (t === 'listpack/entryInserted' ? [...at, i + 1] : at),
      [],
    )[19]
    if (twentieth === undefined) throw new Error('fewer than 20 listpack inserts')
    await step(twentieth)
    await expect
      .poll(() => page.locator('.step-list li[aria-current="step"] code').innerText())
      .toBe('listpack/entryInserted')
    await expect.poll(() => keyPanel.getAttribute('data-panel')).toBe('listpack')
    await expect.poll(() => keyPanel.locator('h2').innerText()).toBe('Key z · listpack')
    await expect.poll(() => keyPanel.getByTestId('lp-count').innerText()).toBe('20')
    expect(await keyPanel.locator('.skiplist-panel').count()).toBe(0)

    // Past the conversion: the skiplist with the 128 members the listpack held.
    await step(converted + 1)
    await expect.poll(() => keyPanel.getAttribute('data-panel')).toBe('skiplist')
    await expect.poll(() => keyPanel.locator('h2').innerText()).toBe('Key z · skiplist')
    await expect.poll(() => keyPanel.locator('.skiplist-panel g[data-rank]').count()).toBe(129)
    expect(await keyPanel.getByTestId('lp-count').count()).toBe(0)

    // The last step: the engine's skiplist of 130 members.
    await step(events.length)
    await expect.poll(() => keyPanel.locator('.skiplist-panel g[data-rank]').count()).toBe(131)
    await page.context().close()
  })
})
