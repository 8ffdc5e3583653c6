/**
 * End-to-end checks from a learner's second pass through the app in Chromium: following a
 * command step by step (the step list keeps the current step in sight), the scenes' notes,
 * and links that reopen the step the author was looking at.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

async function open(
  url = '?seed=7&clock=paused',
  viewport = { width: 1280, height: 800 },
  locale = 'en-US',
): Promise<Page> {
  const ctx = await browser().newContext({ viewport, reducedMotion: 'reduce', locale })
  const page = await openPage(ctx)
  await page.goto(`${baseUrl}${url}`)
  await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
  await page.evaluate(() => window.__xray?.idle())
  return page
}

async function run(page: Page, line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: /^Command for/ })
  await input.fill(line)
  await input.press('Enter')
  await page.evaluate(() => window.__xray?.idle())
}

/** Takes the focus out of the command line, where the arrows browse the history. */
async function leaveCommandLine(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur()
  })
}

/** How far the current step's row sticks out of the step list's visible box (0: in sight, to the pixel). */
function currentStepOutside(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('.step-list')
    const row = list?.querySelector('li[aria-current="step"]')
    if (!list || !row) return -1
    const box = list.getBoundingClientRect()
    const r = row.getBoundingClientRect()
    return Math.round(Math.max(0, box.top - r.top, r.bottom - box.bottom))
  })
}

describe('a learner following the steps', () => {
  it('keeps the current step in sight in a long step list, without scrolling the page', async () => {
    const page = await open()
    await run(page, `RPUSH l ${Array.from({ length: 30 }, (_, i) => `v${String(i)}`).join(' ')}`)
    const steps = await page.evaluate(
      () => window.__xray?.store.getState().items.at(-1)?.events.length ?? 0,
    )
    expect(steps).toBeGreaterThan(30)
    // The last step is current when the command has answered (reduced motion).
    await expect.poll(() => currentStepOutside(page)).toBe(0)
    const pageScroll = await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)
    await leaveCommandLine(page)
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('Shift+ArrowRight')
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft')
    expect(await currentStepOutside(page)).toBe(0)
    await page.evaluate(() => window.__xray?.store.getState().stepSelected(25))
    await expect.poll(() => currentStepOutside(page)).toBe(0)
    expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(pageScroll)
  })

  it('gives a permalink that opens on the same step in a new tab and in an embed', async () => {
    const page = await open()
    for (const line of ['SADD nums 1 2 3', 'SADD nums 70000', 'SADD nums 4', 'SET x y'])
      await run(page, line)
    await leaveCommandLine(page)
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await page.evaluate(() => window.__xray?.idle())
    const caption = await page.getByTestId('caption').innerText()
    const position = await page.getByTestId('timeline-position').innerText()
    expect(position).toMatch(/^Command 2 of 4 · step \d+\/\d+$/)
    const link = await page.evaluate(() => window.__xray?.permalink() ?? '')
    for (const url of [link, link.replace('?seed=7', '?seed=7&embed=key')]) {
      const other = await openPage(
        await browser().newContext({
          viewport: { width: 1280, height: 800 },
          reducedMotion: 'reduce',
        }),
      )
      await other.goto(url)
      await other.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await other.evaluate(() => window.__xray?.idle())
      expect(await other.getByTestId('timeline-position').innerText()).toBe(position)
      expect(await other.getByTestId('caption').innerText()).toBe(caption)
    }
  })

  it('opens a permalink pasted into the address bar of a tab already showing the app', async () => {
    const author = await open()
    for (const line of ['SADD nums 1 2 3', 'SADD nums 70000', 'SET shared yes'])
      await run(author, line)
    await author.evaluate(() => window.__xray?.store.getState().itemSelected(1))
    await author.evaluate(() => window.__xray?.idle())
    const position = await author.getByTestId('timeline-position').innerText()
    const link = await author.evaluate(() => window.__xray?.permalink() ?? '')
    // The learner's own tab, with a session of its own: pasting the link changes only the
    // fragment, which the browser does not load again by itself.
    const page = await open()
    await run(page, 'SET mine 1')
    await page.goto(link)
    await expect
      .poll(() =>
        page.evaluate(() => {
          const s = window.__xray?.store.getState()
          return s?.status === 'ready' && s.items.some((i) => i.argv.includes('shared'))
        }),
      )
      .toBe(true)
    await page.evaluate(() => window.__xray?.idle())
    expect(await page.getByTestId('timeline-position').innerText()).toBe(position)
    expect(await page.getByTestId('caption').innerText()).toBe(
      await author.getByTestId('caption').innerText(),
    )
  })

  it('gives a blog author embed code that works pasted into another page', async () => {
    const page = await open()
    for (const line of ['CONFIG SET zset-max-listpack-entries 2', 'ZADD z 1 a 2 b 3 c'])
      await run(page, line)
    await page.getByRole('button', { name: 'Copy embed code' }).click()
    const snippet = await page.getByRole('textbox', { name: 'Copy embed code' }).inputValue()
    expect(snippet).toMatch(/^<iframe src="[^"]+embed=key&amp;lang=en#s=[\w-]+"/)
    const blog = await openPage(
      await browser().newContext({ viewport: { width: 900, height: 800 } }),
    )
    await blog.setContent(`<h1>How a zset becomes a skiplist</h1>${snippet}`)
    const frame = blog.frameLocator('iframe')
    await expect.poll(() => frame.getByRole('region', { name: 'Key z' }).count()).toBe(1)
    const position = await page.getByTestId('timeline-position').innerText()
    expect(position).toMatch(/^Command 2 of 2 · step (\d+)\/\1$/)
    await expect.poll(() => frame.getByTestId('timeline-position').innerText()).toBe(position)
  })

  it('gives embed code that opens on the author’s last command, not on a clock tick after it', async () => {
    const page = await open()
    for (const line of ['SET gone x PX 100', 'SADD nums 1 2 3']) await run(page, line)
    // The clock runs on: an active expire cycle removes `gone` and becomes the newest item.
    await page.getByRole('button', { name: /\+1min/ }).click()
    await page.evaluate(() => window.__xray?.idle())
    await expect
      .poll(() => page.evaluate(() => window.__xray?.store.getState().items.at(-1)?.kind))
      .toBe('tick')
    await page.getByRole('button', { name: 'Copy embed code' }).click()
    const snippet = await page.getByRole('textbox', { name: 'Copy embed code' }).inputValue()
    const blog = await openPage(
      await browser().newContext({ viewport: { width: 900, height: 800 } }),
    )
    await blog.setContent(snippet)
    const frame = blog.frameLocator('iframe')
    await expect.poll(() => frame.getByRole('region', { name: 'Key nums' }).count()).toBe(1)
    // The tick stays in the timeline (item 3), but the frame opens at the end of the SADD.
    expect(await frame.getByTestId('timeline-position').innerText()).toMatch(
      /^Command 2 of 3 · step (\d+)\/\1$/,
    )
  })

  it('gives an author writing in Chinese an embed in Chinese, for a reader whose browser is in English', async () => {
    const page = await open('?seed=7&clock=paused', { width: 1280, height: 800 }, 'zh-CN')
    const input = page.getByRole('textbox', { name: /的命令$/ })
    await input.fill('SADD nums 1 2 3')
    await input.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    await page.getByRole('button', { name: '复制嵌入代码' }).click()
    const snippet = await page.getByRole('textbox', { name: '复制嵌入代码' }).inputValue()
    const blog = await openPage(
      await browser().newContext({ viewport: { width: 900, height: 800 }, locale: 'en-US' }),
    )
    await blog.setContent(`<h1>整数集合</h1>${snippet}`)
    const frame = blog.frameLocator('iframe')
    await expect.poll(() => frame.getByRole('region', { name: '键 nums' }).count()).toBe(1)
    expect(await frame.getByTestId('timeline-position').innerText()).toMatch(/^第 1 \/ 1 条命令/)
    expect(await frame.getByRole('link').innerText()).toBe('在 Redis X-Ray 中打开 ↗')
  })
})
