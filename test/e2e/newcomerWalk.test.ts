/**
 * End-to-end: what a newcomer meets on a cold open in Chromium. The "?" button's help says
 * where to type and where to look, opened at its top (it opened scrolled to its Close button,
 * the title and the first steps out of sight); the string panel's pointer reaches the sds
 * block without crossing the block's title, with the title's real text box.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('a newcomer', () => {
  for (const [locale, viewport, name, first] of [
    ['en-US', { width: 1280, height: 800 }, 'Help', /^Type a Redis command in the console/],
    ['zh-CN', { width: 390, height: 844 }, '帮助', /^在控制台输入一条 Redis 命令/],
  ] as const)
    it(`asks "?" for help and reads how to start (${locale}, ${String(viewport.width)}×${String(viewport.height)})`, async () => {
      const page = await openApp(browser(), appUrl, { locale, viewport })
      try {
        await page.locator('.header-help').click()
        const dialog = page.getByRole('dialog', { name })
        const title = dialog.getByRole('heading', { name, exact: true })
        const step = dialog.getByRole('listitem').first()
        expect(await step.innerText()).toMatch(first)
        // The title and the first step are on screen, inside the dialog's scroll box.
        for (const el of [title, step]) {
          const box = await el.boundingBox()
          const frame = await dialog.boundingBox()
          expect(
            box && frame && box.y >= frame.y && box.y + box.height <= frame.y + frame.height,
          ).toBe(true)
          expect(box && box.y >= 0 && box.y + box.height <= viewport.height).toBe(true)
        }
        await page.keyboard.press('Escape')
        await expect.poll(() => dialog.count()).toBe(0)
      } finally {
        await page.context().close()
      }
    })

  for (const locale of ['en-US', 'zh-CN'])
    it(`reads the whole welcome in a 360×300 embed's two-line console (${locale})`, async () => {
      const page = await openApp(browser(), `${appUrl}&embed=keyspace`, {
        locale,
        viewport: { width: 360, height: 300 },
      })
      try {
        const output = await page.locator('.console-output').boundingBox()
        const shown = page.locator('.console-welcome > span').filter({ visible: true })
        expect(await shown.count()).toBe(1)
        expect(await shown.innerText()).toBe(
          locale === 'en-US'
            ? 'Type a command, e.g. SET greeting hello, then Enter.'
            : '输入命令，例如 SET greeting hello，再按 Enter。',
        )
        // All of it inside the output's box: the full sentence was cut after two lines.
        const box = await page.locator('.console-welcome').boundingBox()
        expect(output && box).toBeTruthy()
        if (!output || !box) return
        expect(box.y).toBeGreaterThanOrEqual(output.y - 1)
        expect(box.y + box.height).toBeLessThanOrEqual(output.y + output.height + 1)
      } finally {
        await page.context().close()
      }
    })

  for (const locale of ['en-US', 'zh-CN'])
    it(`sees the string's pointer reach the sds block clear of its title (${locale})`, async () => {
      const page = await openApp(browser(), appUrl, {
        locale,
        viewport: { width: 1280, height: 800 },
      })
      try {
        await runLine(page, `SET s ${'x'.repeat(60)}`)
        await runLine(page, 'APPEND s yyyyyyyyyy')
        await runLine(page, 'SETRANGE s 100 zz')
        const geometry = await page.evaluate(() => {
          const svg = document.querySelector('.string-panel svg[role="img"]')
          const line = svg?.querySelector<SVGPolylineElement>('[data-id="pointer"]')
          const title = svg?.querySelector<SVGTextElement>('[data-id="alloc:1"] > text')
          const ptr = svg?.querySelector<SVGGElement>('[data-id="alloc:0"] [data-id="robj:ptr"]')
          const row = svg?.querySelector<SVGGElement>('[data-id="alloc:1"] [data-id="sds:len"]')
          if (!line || !title || !ptr || !row) return null
          const points = [...line.points].map((p) => {
            const m = line.getScreenCTM()
            const q = new DOMPoint(p.x, p.y).matrixTransform(m ?? undefined)
            return [q.x, q.y] as const
          })
          const box = (el: Element) => {
            const r = el.getBoundingClientRect()
            return { x: r.x, y: r.y, w: r.width, h: r.height }
          }
          return { points, title: box(title), ptr: box(ptr), row: box(row) }
        })
        expect(geometry).not.toBeNull()
        if (!geometry) return
        const { points, title, ptr, row } = geometry
        const [x1, y1] = points[0] ?? [NaN, NaN]
        const [, y2] = points.at(-1) ?? [NaN, NaN]
        // From the bottom of ptr down to the top of the sds block's first row...
        expect(x1).toBeGreaterThan(ptr.x)
        expect(x1).toBeLessThan(ptr.x + ptr.w)
        expect(Math.abs(y1 - (ptr.y + ptr.h))).toBeLessThan(2)
        expect(Math.abs(y2 - row.y)).toBeLessThan(2)
        // ...never through the drawn title ("allocation 160 bytes" / "分配 160 字节").
        for (let i = 1; i < points.length; i++) {
          const [ax, ay] = points[i - 1] ?? [0, 0]
          const [bx, by] = points[i] ?? [0, 0]
          const left = Math.min(ax, bx)
          const right = Math.max(ax, bx)
          const top = Math.min(ay, by)
          const bottom = Math.max(ay, by)
          const overlaps =
            right > title.x &&
            left < title.x + title.w &&
            bottom > title.y &&
            top < title.y + title.h
          expect(overlaps, JSON.stringify({ points, title })).toBe(false)
        }
      } finally {
        await page.context().close()
      }
    })
})
