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

describe('embed code copied in the middle of a scene', () => {
  it('opens on the author’s step: the dict they watched, and the console up to that command', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, {
      viewport: { width: 1280, height: 800 },
    })
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(baseUrl).origin,
    })
    await page.getByRole('combobox', { name: 'Scenes' }).selectOption('dict-expand')
    // Paused as it plays, on the fifth command (SET k4 d) or one after it, before the end.
    await page.waitForFunction(() => {
      const s = window.__xray?.store.getState()
      return s?.playing === true && s.playhead.item >= 4
    })
    await page.getByRole('button', { name: 'Pause', exact: true }).click()
    await page.evaluate(() => window.__xray?.idle())
    const author = {
      position: await page.getByTestId('timeline-position').innerText(),
      caption: await page.getByTestId('caption').innerText(),
      command: await page.evaluate(() => {
        const s = window.__xray?.store.getState()
        return s?.items[s.playhead.item]?.argv.join(' ') ?? ''
      }),
    }
    expect(author.position).not.toMatch(/^Command 9 of 9 · step (\d+)\/\1$/)
    await page.getByRole('button', { name: 'Copy embed code' }).click()
    await expect.poll(() => page.getByTestId('notice').innerText()).toMatch(/copied/i)
    const snippet = await page.evaluate(() => navigator.clipboard.readText())
    const src = (/src="([^"]+)"/.exec(snippet)?.[1] ?? '').replaceAll('&amp;', '&')
    // The scene is about the keyspace dict: the embed shows it, as the author's screen did.
    expect(new URL(src).searchParams.get('embed')).toBe('keyspace')

    const embed = await openApp(browser(), src, { viewport: { width: 360, height: 300 } })
    try {
      expect(await embed.getByTestId('caption').innerText()).toBe(author.caption)
      await embed.setViewportSize({ width: 1280, height: 800 })
      expect(await embed.getByTestId('timeline-position').innerText()).toBe(author.position)
      await expect
        .poll(() => embed.getByRole('region', { name: 'Keyspace (db 0)' }).isVisible())
        .toBe(true)
      // The console ends with the command the diagram is at (it showed the scene's last
      // line, GET k3), and follows the playhead back and forth.
      const inputs = (): Promise<string[]> =>
        embed
          .locator('.console-output .console-line')
          .allInnerTexts()
          .then((ls) => ls.filter((l) => l.startsWith('127.0.0.1:6379> ')))
      expect((await inputs()).at(-1)).toBe(`127.0.0.1:6379> ${author.command}`)
      await embed.keyboard.press('End')
      await expect.poll(async () => (await inputs()).at(-1)).toBe('127.0.0.1:6379> GET k3')
      await embed.keyboard.press('Home')
      await expect.poll(inputs).toEqual([])
    } finally {
      await embed.context().close()
      await page.context().close()
    }
  })
})
