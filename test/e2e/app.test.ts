/**
 * End-to-end: the built site in a real Chromium (Debian's /usr/bin/chromium through
 * playwright-core), served from a sub-path on 127.0.0.1. Type commands and read replies,
 * step back and forward, reload and find the session, open a permalink in a fresh browser
 * context, crash the worker on purpose and find the session rebuilt.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')
// A paused virtual clock keeps the log free of ticks, so digests compare exactly.
const appUrl = `${baseUrl}?seed=42&clock=paused`

/** A page object over the app (tldraw-fixture style). */
function app(page: Page) {
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  return {
    page,
    async ready() {
      await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await page.evaluate(() => window.__xray?.idle())
    },
    async run(line: string) {
      await input.fill(line)
      await input.press('Enter')
      await page.evaluate(() => window.__xray?.idle())
    },
    async lastOutput(): Promise<string> {
      return page.locator('.console-output .console-line').last().innerText()
    },
    async outputLines(): Promise<string[]> {
      return page.locator('.console-output .console-line').allInnerTexts()
    },
    digest: () => page.evaluate(() => window.__xray?.digest() ?? Promise.resolve('')),
    input,
  }
}

async function newPage(ctx: BrowserContext, url = appUrl) {
  const page = await openPage(ctx)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  const a = app(page)
  await a.ready()
  return { a, errors }
}

describe('the app in Chromium', () => {
  it('runs commands with redis-cli replies, time travel, reload, permalink and crash recovery', async () => {
    const ctx = await browser().newContext({ reducedMotion: 'reduce', locale: 'en-US' })
    const { a, errors } = await newPage(ctx)

    // Console: replies exactly as redis-cli prints them.
    await a.run('SET greeting hello')
    expect(await a.lastOutput()).toBe('OK')
    await a.run('GET greeting')
    expect(await a.lastOutput()).toBe('"hello"')
    await a.run('INCR counter')
    expect(await a.lastOutput()).toBe('(integer) 1')
    await a.run('GET nothing')
    expect(await a.lastOutput()).toBe('(nil)')
    await a.run('SET "unbalanced')
    expect(await a.lastOutput()).toBe('Invalid argument(s)')
    await a.run('SET other "x\\x01"')
    await a.run('MGET greeting nothing other')
    expect(await a.lastOutput()).toBe('1) "hello"\n2) (nil)\n3) "x\\x01"')
    await a.run('SET greeting world')
    await a.run('HELP GET')
    expect(await a.lastOutput()).toContain('GET key')

    // Time travel: step back to the first SET; the inspector shows the replayed past.
    const digestNow = await a.digest()
    const back = a.page.getByRole('button', { name: 'Previous command' })
    for (let i = 0; i < 6; i++) await back.click()
    await a.page.evaluate(() => window.__xray?.idle())
    await expect
      .poll(() => a.page.getByTestId('panels-when').innerText())
      .toContain('State after command 1')
    await expect.poll(() => a.page.getByTestId('caption').innerText()).not.toBe('')
    await expect.poll(() => a.page.getByRole('region', { name: 'Key greeting' }).count()).toBe(1)
    const pastValue = await a.page.evaluate(() => {
      const view = window.__xray?.store.getState().view?.after.keyView
      return view && 'value' in view ? view['value'] : null
    })
    expect(pastValue).toBe('hello')
    await a.page.getByRole('button', { name: 'Next command' }).click()
    await a.page.locator('body').press('Shift+ArrowRight')
    await a.page.getByRole('button', { name: 'Step forward' }).click()
    await a.page.evaluate(() => window.__xray?.idle())
    expect(await a.digest()).toBe(digestNow)

    // Reload: the session comes back from IndexedDB.
    const linesBefore = await a.outputLines()
    await a.page.reload()
    await a.ready()
    // The restored console is drawn after the engine is ready: wait for its lines to show.
    await a.page.waitForFunction(
      (n) => document.querySelectorAll('.console-output .console-line').length >= n,
      Math.min(3, linesBefore.length),
    )
    expect((await a.outputLines()).slice(0, 3)).toEqual(linesBefore.slice(0, 3))
    await a.run('GET greeting')
    expect(await a.lastOutput()).toBe('"world"')
    const digestAfterReload = await a.digest()
    expect(digestAfterReload).toBe(digestNow)

    // Permalink: a fresh context (no storage) rebuilds the same dataset.
    const link = await a.page.evaluate(() => window.__xray?.permalink() ?? '')
    expect(link).toContain('#s=')
    const ctx2 = await browser().newContext({ reducedMotion: 'reduce', locale: 'zh-CN' })
    const other = await newPage(ctx2, link)
    expect(await other.a.digest()).toBe(digestNow)
    await other.a.run('GET greeting')
    expect(await other.a.lastOutput()).toBe('"world"')
    // The browser language picked Chinese in the fresh context.
    await expect.poll(() => other.a.page.getByRole('button', { name: '播放' }).count()).toBe(1)
    await ctx2.close()

    // Crash the worker on purpose: one notice, and the session is rebuilt.
    await a.page.evaluate(() => {
      window.__xray?.crashWorker()
    })
    await expect.poll(() => a.page.getByTestId('notice').innerText()).toContain('crashed')
    await a.page.evaluate(() => window.__xray?.idle())
    expect(await a.digest()).toBe(digestNow)
    await a.run('INCR counter')
    expect(await a.lastOutput()).toBe('(integer) 2')

    expect(errors).toEqual([])
    await ctx.close()
  })

  it('paints a static shell before any script loads, which the app then replaces', async () => {
    const ctx = await browser().newContext({ locale: 'zh-CN', colorScheme: 'dark' })
    const page = await openPage(ctx)
    // Only the module scripts are held back: the inline one in index.html still runs.
    await page.route('**/*.js', (r) => r.abort())
    await page.goto(appUrl)
    await expect.poll(() => page.getByText('正在启动引擎…').isVisible()).toBe(true)
    expect(await page.getByText('Starting the engine…').isVisible()).toBe(false)
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    await page.unroute('**/*.js')
    await page.reload()
    await app(page).ready()
    expect(await page.locator('.boot-shell').count()).toBe(0)
    await expect.poll(() => page.getByRole('button', { name: '播放' }).count()).toBe(1)
    await ctx.close()
  })

  it('fits a phone screen and switches language', async () => {
    const ctx = await browser().newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-US',
    })
    const { a } = await newPage(ctx)
    // Measure once the lazily loaded keyspace panel has drawn a key, not before it arrives.
    await a.run('SET greeting hello')
    await expect
      .poll(() => a.page.locator('section.dict-panel[data-dict="db:0:keys"]').count())
      .toBe(1)
    const width = await a.page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    // The settings fold behind one button, so the header leaves the screen to the console.
    const header = await a.page.locator('header.app-header').boundingBox()
    expect(header?.height ?? 999).toBeLessThan(844 * 0.2)
    const language = a.page.getByRole('combobox', { name: 'Language' })
    expect(await language.isVisible()).toBe(false)
    await a.page.getByRole('button', { name: 'Settings' }).click()
    await language.selectOption('zh')
    await expect.poll(() => a.page.getByRole('button', { name: '播放' }).count()).toBe(1)
    await ctx.close()

    // On a laptop the settings are in the header as they are, with no Settings button.
    const wide = await browser().newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    })
    const w = (await newPage(wide)).a
    expect(await w.page.getByRole('combobox', { name: 'Language' }).isVisible()).toBe(true)
    expect(await w.page.getByRole('button', { name: 'Settings' }).isVisible()).toBe(false)
    await wide.close()
  })
})
