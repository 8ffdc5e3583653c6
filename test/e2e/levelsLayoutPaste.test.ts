/**
 * End-to-end checks of three defects a newcomer pass found: panels drifting from the
 * engine's state at trace level "summary", the header's "?" wrapping onto a row of its own
 * on a phone, and a pasted 10 MB value freezing the page in the console's input box.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

function open(
  opts: { viewport?: { width: number; height: number }; locale?: string; clipboard?: boolean } = {},
): Promise<Page> {
  return openApp(
    browser(),
    `${baseUrl}?seed=7&clock=paused`,
    { viewport: opts.viewport ?? { width: 1280, height: 800 }, locale: opts.locale ?? 'en-US' },
    opts.clipboard === true ? ['clipboard-read', 'clipboard-write'] : [],
  )
}

const run = runLine

/**
 * What the keyspace panel draws: its counts and every entry still shown (a faded-out one is
 * gone), with the table and bucket it sits in, in any order.
 */
function drawnKeyspace(page: Page): Promise<string[]> {
  return page.locator('section[data-panel="keyspace"]').evaluate((panel) => {
    const stats = ['dict-used', 'dict-size', 'dict-rehashidx'].flatMap((id) =>
      [...panel.querySelectorAll(`[data-testid="${id}"]`)].map((el) => el.textContent),
    )
    const entries = [...panel.querySelectorAll('[data-id^="entry:"]')]
      .filter((el) => el.closest('[opacity="0"]') === null)
      .map(
        (el) =>
          `${el.getAttribute('data-id') ?? ''} ${el.getAttribute('data-table') ?? ''}:${el.getAttribute('data-bucket') ?? ''}`,
      )
      .sort()
    return [...stats, ...entries]
  })
}

const mset = (prefix: string, n: number) =>
  `MSET ${Array.from({ length: n }, (_, i) => `${prefix}${String(i)} v`).join(' ')}`
/** Ends on a SET while the keyspace rehashes: its steps at Summary move buckets, add nothing. */
const SCRIPT = ['SET k0 v', mset('k', 40), 'DEL k3 k4 k5', mset('m', 30), 'SET n1 x']

describe('fixes from the newcomer pass', () => {
  it('draws the same keyspace at trace level Summary as at Full: the engine’s state', async () => {
    const page = await open()
    const level = page.getByRole('combobox', { name: 'Trace level' })
    await expect.poll(() => level.inputValue()).toBe('full')
    for (const line of SCRIPT) await run(page, line)
    await expect.poll(() => page.getByTestId('dict-used').first().innerText()).toBe('used 68')
    const full = await drawnKeyspace(page)
    expect(full.filter((l) => l.startsWith('entry:'))).toHaveLength(68)

    await run(page, 'FLUSHALL')
    await level.selectOption('summary')
    await page.evaluate(() => window.__xray?.idle())
    for (const line of SCRIPT) await run(page, line)
    // Summary records fewer steps (no keyAdded): the last command's steps are the coarse ones.
    const items = await page.evaluate(() => window.__xray?.store.getState().items ?? [])
    const last = items.at(-1)?.events ?? []
    expect(last.some((e) => e.type === 'dict/bucketRehashed')).toBe(true)
    expect(last.some((e) => e.type === 'dict/keyAdded')).toBe(false)
    await expect.poll(() => drawnKeyspace(page)).toEqual(full)
  })

  const screens = [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]
  for (const locale of ['en-US', 'zh-CN'])
    for (const viewport of screens) {
      const size = `${String(viewport.width)}×${String(viewport.height)}`
      it(`keeps "?" on the title's row at ${size}, nothing wider than the screen (${locale})`, async () => {
        const page = await open({ viewport, locale })
        const title = page.locator('header h1')
        const help = page.getByRole('button', {
          name: locale === 'en-US' ? 'Help' : '帮助',
        })
        const settings = page.locator('.header-settings-toggle')
        const phone = await settings.isVisible()
        expect(phone).toBe(viewport.width < 600)
        // On a phone the settings fold behind a button: check the header folded and opened.
        for (const opened of phone ? [false, true] : [false]) {
          if (opened) await settings.click()
          const h = await title.boundingBox()
          const b = await help.boundingBox()
          if (h === null || b === null) throw new Error('the title or "?" is not drawn')
          // Same row: the boxes overlap vertically, "?" after the title, inside the screen.
          expect(b.y).toBeLessThan(h.y + h.height)
          expect(h.y).toBeLessThan(b.y + b.height)
          expect(b.x).toBeGreaterThanOrEqual(h.x + h.width)
          expect(b.x + b.width).toBeLessThanOrEqual(viewport.width)
          const overflow = await page.evaluate(() => {
            const wide = [...document.querySelectorAll('header *')]
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
              .map((el) => el.outerHTML.slice(0, 80))
            return {
              page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              wide,
            }
          })
          expect(overflow).toEqual({ page: 0, wide: [] })
        }
        // On a phone the scene picker and Settings share the row under the title.
        if (phone) {
          const picker = await page.locator('.scenes-menu select').boundingBox()
          const toggle = await settings.boundingBox()
          if (picker === null || toggle === null) throw new Error('the tools are not drawn')
          expect(picker.y).toBeLessThan(toggle.y + toggle.height)
          expect(toggle.y).toBeLessThan(picker.y + picker.height)
        }
      })
    }

  it('takes a pasted 10 MB value without freezing and answers the next command', async () => {
    const page = await open({ clipboard: true })
    const input = page.getByRole('textbox', { name: /^Command for/ })
    await input.fill('SET big ')
    await page.evaluate(() => navigator.clipboard.writeText('x'.repeat(10_000_000)))
    await input.focus()
    await page.keyboard.press('End')
    await page.keyboard.press('Control+V')
    // The box shows the line's start; the bar gives its size and a way to copy all of it.
    await expect
      .poll(() => page.getByTestId('console-long').innerText())
      .toMatch(/^Long line: 10,000,008 bytes/)
    expect((await input.inputValue()).length).toBeLessThan(300)
    await page.getByRole('button', { name: 'Copy the whole line' }).click()
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText().then((t) => t.length)))
      .toBe(10_000_008)
    await input.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    await run(page, 'INCR n')
    await expect
      .poll(() => page.locator('.console-line-reply').last().innerText())
      .toBe('(integer) 1')
    await run(page, 'STRLEN big')
    await expect
      .poll(() => page.locator('.console-line-reply').last().innerText())
      .toBe('(integer) 10000000')
    await run(page, 'GET big')
    await expect
      .poll(() => page.getByTestId('console-cut').last().innerText())
      .toMatch(/9,?900,?001 more bytes of the value not shown/)
    await run(page, 'PING')
    await expect.poll(() => page.locator('.console-line-reply').last().innerText()).toBe('PONG')
  })
})
