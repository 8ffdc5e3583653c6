/**
 * End-to-end checks of `?scene=<id>`: an author embeds a ready-made scene without running it
 * first, the embed's "Open in Redis X-Ray" runs it in the full app once, and an unknown id
 * says so in the reader's language.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

/** The commands in the timeline, as typed. */
function commands(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      window.__xray?.store
        .getState()
        .items.filter((x) => x.kind === 'command')
        .map((x) => x.argv.join(' ')) ?? [],
  )
}

const DICT_EXPAND = [
  'FLUSHDB',
  'SET k1 a',
  'SET k2 b',
  'SET k3 c',
  'SET k4 d',
  'SET k5 e',
  'GET k1',
  'GET k2',
  'GET k3',
]

describe('a scene named in the link', () => {
  it('runs in an embed with no permalink, and once in the full app the embed links to', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&embed=1&scene=dict-expand`)
    await expect.poll(() => commands(page)).toEqual(DICT_EXPAND)
    await expect
      .poll(() => page.getByTestId('timeline-position').innerText())
      .toMatch(/^Command \d+ of 9/)
    expect(await page.locator('header.app-header').count()).toBe(0)
    // The full app's link keeps the scene, and opening it runs the scene there, once.
    const href = await page.getByRole('link', { name: /Open in Redis X-Ray/ }).getAttribute('href')
    expect(href).toContain('scene=dict-expand')
    expect(href).not.toContain('embed=')
    await page.goto(`${href ?? ''}&clock=paused`)
    await expect.poll(() => commands(page)).toEqual(DICT_EXPAND)
    expect(new URL(page.url()).searchParams.get('scene')).toBeNull()
    await page.evaluate(() => window.__xray?.idle())
    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    expect(await commands(page)).toEqual(DICT_EXPAND)
    await page.context().close()
  })

  for (const [locale, message] of [
    [
      'en-US',
      'This link asks for a scene called “dict-expnad”, but there is no such scene (the scene ids are listed in the README), so it is not shown.',
    ],
    [
      'zh-CN',
      '这个链接要打开名为“dict-expnad”的场景，但没有这个场景（场景 id 列在 README 里），所以没有显示它。',
    ],
  ] as const)
    it(`says so when no scene has the id (${locale})`, async () => {
      const page = await openApp(browser(), `${baseUrl}?seed=7&embed=1&scene=dict-expnad`, {
        locale,
      })
      await expect.poll(() => page.getByTestId('notice').innerText()).toContain(message)
      expect(await commands(page)).toEqual([])
      await page.context().close()
    })
})
