/**
 * End-to-end for the legacy ziplist lesson in Chromium: opened from the Scenes menu, a
 * 300-byte insert at the head, stepped with the buttons and the keyboard; each entry whose
 * prevlen grows is drawn with 5 prevlen bytes in turn, the listpack beside it changes one
 * entry only, and the lesson leaves the command timeline alone. Then the same in 简体中文.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/** The prevlen bytes drawn for each ziplist entry, head to tail. */
function prevlenBytes(lesson: Locator): Promise<string[]> {
  return lesson
    .getByTestId('zl-ziplist')
    .locator('li[data-id] .zl-field--prevlen')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-bytes') ?? ''))
}

function states(lesson: Locator, kind: 'ziplist' | 'listpack'): Promise<string[]> {
  return lesson
    .getByTestId(`zl-${kind}`)
    .locator('li[data-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''))
}

/** The entries not drawn plain, as [index, state]. */
async function marked(lesson: Locator, kind: 'ziplist' | 'listpack'): Promise<[number, string][]> {
  return (await states(lesson, kind)).flatMap((s, i): [number, string][] =>
    s === 'plain' ? [] : [[i, s]],
  )
}

/** Pauses the steps if they play, then goes back to step 0. */
async function rewind(lesson: Locator): Promise<void> {
  const pause = lesson.getByRole('button', { name: /^(Pause the steps|暂停步骤)$/ })
  if ((await pause.count()) > 0) await pause.click()
  const back = lesson.getByRole('button', { name: /^(Previous step|上一步)$/ })
  while (await back.isEnabled()) await back.click()
}

/** Opens the lesson from the Scenes menu by its title and waits for its first answer. */
async function open(page: Page, title: string): Promise<Locator> {
  await page.getByRole('combobox', { name: /^(Scenes|场景)$/ }).selectOption({ label: title })
  const lesson = page.getByRole('region', { name: title })
  await lesson.waitFor()
  await page.evaluate(() => window.__xray?.idle())
  return lesson
}

describe('the legacy ziplist lesson in Chromium', () => {
  it('inserts 300 bytes at the head and lights each entry whose prevlen grows, in turn', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const lesson = await open(page, 'Legacy (Redis 3.2–6.2): ziplist cascade update')
    // Keyboard users land in the lesson.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2')
    const caption = lesson.getByTestId('zl-caption')
    await expect.poll(() => caption.innerText()).toMatch(/A ziplist of 7 entries, 1280 bytes/)
    expect(await prevlenBytes(lesson)).toEqual(['1', '1', '1', '1', '1', '1', '1'])

    await lesson.getByRole('spinbutton', { name: 'Length of the new element (bytes)' }).fill('300')
    await lesson.getByRole('combobox', { name: 'Position' }).selectOption('0')
    await lesson.getByRole('button', { name: 'Insert', exact: true }).click()
    await page.evaluate(() => window.__xray?.idle())
    await rewind(lesson)
    expect(await lesson.getByTestId('zl-step').innerText()).toBe('Step 0 of 8')
    expect(await caption.innerText()).toBe(
      'Before: 7 entries, 1280 bytes. Next: insert a 303-byte entry at position 0.',
    )

    const next = lesson.getByRole('button', { name: 'Next step' })
    await next.click()
    expect(await caption.innerText()).toMatch(/^Inserted entry 0 \(303 bytes\)\. Entry 1 must now/)
    expect(await prevlenBytes(lesson)).toEqual(['1', '1', '1', '1', '1', '1', '1', '1'])
    // The entries drawn in another state than plain, as [index, state].
    expect(await marked(lesson, 'ziplist')).toEqual([
      [0, 'new'],
      [1, 'stale'],
    ])
    expect(await marked(lesson, 'listpack')).toEqual([[0, 'new']])

    // Each step grows one more prevlen to 5 bytes: entries 1..6; entry 7 keeps 1 byte.
    for (let k = 1; k <= 6; k++) {
      await next.click()
      expect(await prevlenBytes(lesson)).toEqual([
        '1',
        ...Array.from({ length: 7 }, (_, i) => (i < k ? '5' : '1')),
      ])
      expect((await states(lesson, 'ziplist'))[k]).toBe('growing')
    }
    expect(await caption.innerText()).toMatch(/Entry 6’s prevlen grew .* The cascade stops\.$/)

    // The keyboard steps the lesson, not the command timeline.
    await lesson.getByTestId('zl-caption').click()
    await page.keyboard.press('ArrowRight')
    expect(await lesson.getByTestId('zl-step').innerText()).toBe('Step 8 of 8')
    expect(await caption.innerText()).toMatch(
      /^Done\. Entries the cascade rewrote: 6\. Ziplist 1280 → 1607 bytes; listpack 1281 → 1585 bytes/,
    )
    expect(await lesson.getByTestId('zl-totals').innerText()).toContain(
      'Ziplist: 1280 → 1607 bytes; entries rewritten by the cascade: 6',
    )
    await page.keyboard.press('ArrowLeft')
    expect(await lesson.getByTestId('zl-step').innerText()).toBe('Step 7 of 8')
    expect(
      await page.evaluate(() => {
        const s = window.__xray?.store.getState()
        return [s?.items.length, s?.playhead.item]
      }),
    ).toEqual([0, -1])
    // Every entry is a labelled item for screen readers.
    await expect
      .poll(() =>
        lesson
          .getByRole('list', { name: 'Ziplist (Redis 3.2–6.2)' })
          .getByRole('listitem', { name: /^Entry 1 \(a×247\): 254 bytes/ })
          .count(),
      )
      .toBe(1)
    expect(errors).toEqual([])
  })

  it('runs in 简体中文 and closes', async () => {
    const page = await openApp(browser(), appUrl, { locale: 'zh-CN' })
    const lesson = await open(page, '旧版（Redis 3.2–6.2）：压缩列表连锁更新')
    await expect
      .poll(() => lesson.getByTestId('zl-caption').innerText())
      .toMatch(/一个含 7 个条目、共 1280 字节的压缩列表/)
    await lesson.getByRole('button', { name: '删除条目' }).click()
    await page.evaluate(() => window.__xray?.idle())
    await rewind(lesson)
    expect(await lesson.getByTestId('zl-caption').innerText()).toBe(
      '操作前：7 个条目，1280 字节。接下来：删除第 0 个条目（250 字节）。',
    )
    await lesson.getByRole('button', { name: '关闭本课' }).click()
    expect(await page.getByRole('region', { name: /压缩列表连锁更新/ }).count()).toBe(0)
  })
})
