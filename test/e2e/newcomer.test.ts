/**
 * End-to-end checks of what a newcomer trips over in a real browser: an embed on another
 * site where third-party storage is blocked, a huge reply, the string panel's text at its
 * own scale, and a wrapped step keeping its number on its first line.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, lastConsoleLine, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

async function open(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const ctx = await browser().newContext({ viewport, reducedMotion: 'reduce', locale: 'en-US' })
  const page = await openPage(ctx)
  await page.goto(`${baseUrl}?seed=7&clock=paused`)
  await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
  await page.evaluate(() => window.__xray?.idle())
  return page
}

/** Opens the app (seed 7, paused clock, `query` added) in a new context, ready. */
async function openAt(
  viewport: { width: number; height: number },
  query: string,
  reducedMotion: 'reduce' | 'no-preference',
): Promise<Page> {
  const ctx = await browser().newContext({ viewport, reducedMotion, locale: 'en-US' })
  const page = await openPage(ctx)
  await page.goto(`${baseUrl}?seed=7&clock=paused${query}`)
  await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
  return page
}

/** Whether `el` is on screen whole, above the step controls stuck to the window's foot. */
async function onScreenAboveFooter(page: Page, el: Locator): Promise<boolean> {
  const d = await el.boundingBox()
  const f = await page.locator('footer.layout-timeline').boundingBox()
  return d !== null && f !== null && d.y >= 0 && d.y + d.height <= f.y
}

async function run(page: Page, line: string) {
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  await input.fill(line)
  await input.press('Enter')
  await page.evaluate(() => window.__xray?.idle())
}

describe('a newcomer in the browser', () => {
  it('gets a working embed inside a page of another site that blocks third-party storage', async () => {
    // A fresh Playwright context blocks third-party cookies, as Safari, Firefox strict mode
    // and incognito windows do: the iframe's localStorage getter throws a SecurityError.
    const ctx = await browser().newContext({ viewport: { width: 900, height: 700 } })
    const page = await openPage(ctx)
    const errors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    const src = `${baseUrl}?seed=7&embed=key`
    await page.setContent(`<h1>My blog</h1><iframe src="${src}" width="860" height="560"></iframe>`)
    const frame = page.frameLocator('iframe')
    const input = frame.getByRole('textbox', { name: /^Command for/ })
    await input.fill('SADD nums 1 2 3')
    await input.press('Enter')
    await expect.poll(() => frame.locator('.console-output').innerText()).toMatch(/\(integer\) 3/)
    expect(errors.filter((e) => /failed to start|SecurityError/.test(e))).toEqual([])
  })

  it('prints the head of KEYS * over 200,000 keys and stays responsive', async () => {
    const page = await open()
    await run(page, 'DEBUG POPULATE 200000')
    await run(page, 'KEYS *')
    await expect
      .poll(() => page.getByTestId('console-cut').innerText())
      .toMatch(/198,?000 more lines not shown/)
    const lines = await page.locator('.console-line-reply').last().innerText()
    expect(lines.split('\n')).toHaveLength(2000)
  })

  it('draws a string’s bytes at their own scale, wrapped, with every label inside its field', async () => {
    const page = await open()
    await run(page, 'SET greeting "hello world, this value is forty-four bytes!!"')
    const svg = page.locator('section.string-panel svg[role="img"]')
    await expect.poll(() => svg.count()).toBe(1)
    const scale = await svg.evaluate(
      (el) => el.getBoundingClientRect().width / Number(el.getAttribute('width')),
    )
    expect(scale).toBe(1)
    const overflowing = await svg.evaluate((el) =>
      [...el.querySelectorAll('g[data-kind]')].flatMap((g) => {
        const box = g.querySelector('rect')?.getBoundingClientRect()
        return [...g.querySelectorAll('text')]
          .filter((t) => box !== undefined && t.getBoundingClientRect().right > box.right + 0.5)
          .map((t) => t.textContent)
      }),
    )
    expect(overflowing).toEqual([])
  })

  for (const [lang, bytes] of [
    ['en', '1024 bytes'],
    ['zh', '1024 字节'],
  ] as const)
    it(`in a 360×300 embed (${lang}), sums a 1 KB string up in readable lines, not a wall of bytes`, async () => {
      // The byte diagram, scaled to the frame, drew each byte 5 px wide in 4 px type.
      const page = await openAt({ width: 360, height: 300 }, `&embed=key&lang=${lang}`, 'reduce')
      await run(page, `SET big ${'x'.repeat(1024)}`)
      const panel = page.locator('section.panel[data-panel="string"]')
      const summary = panel.getByTestId('string-summary')
      await expect.poll(() => summary.isVisible()).toBe(true)
      expect(await panel.locator('svg[role="img"]').isVisible()).toBe(false)
      const value = summary.locator('dd').first()
      expect(await value.innerText()).toBe(`"${'x'.repeat(24)}…" · ${bytes}`)
      expect(await summary.innerText()).toMatch(/sdshdr16 · len 1024 · alloc 1024/)
      // Every line at the page's size, inside the frame's width.
      const boxes = await summary.locator('dt, dd').evaluateAll((els) =>
        els.map((e) => ({
          size: parseFloat(getComputedStyle(e).fontSize),
          right: e.getBoundingClientRect().right,
          wide: e.scrollWidth > e.clientWidth + 1,
        })),
      )
      for (const b of boxes) {
        expect(b.size).toBeGreaterThanOrEqual(13)
        expect(b.right).toBeLessThanOrEqual(360)
        expect(b.wide).toBe(false)
      }
      // The console shows the command's start, not the last row of its 1 KB argument.
      const input = page.locator('.console-output .console-line-input').last()
      expect(await input.innerText()).toMatch(/^127\.0\.0\.1:6379> SET big x+$/)
      expect(
        await input.evaluate(
          (e) => e.getBoundingClientRect().height <= 20 && e.scrollWidth > e.clientWidth,
        ),
      ).toBe(true)
      // A wide frame keeps the byte diagram.
      await page.setViewportSize({ width: 1280, height: 800 })
      await expect.poll(() => panel.locator('svg[role="img"]').isVisible()).toBe(true)
      expect(await summary.isVisible()).toBe(false)
      await page.context().close()
    })

  it('is told when a permalink was cut short, in the app and in an embed, in its language', async () => {
    const ctx = await browser().newContext({ reducedMotion: 'reduce', locale: 'zh-CN' })
    const page = await openPage(ctx)
    // A real link with its end cut off, as a chat app or an email's line break leaves it.
    await page.goto(`${baseUrl}?seed=7&clock=paused`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    const input = page.getByRole('textbox', { name: /的命令$/ })
    await input.fill('SADD nums 1 2 3')
    await input.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    const link = (await page.evaluate(() => window.__xray?.permalink())) ?? ''
    const cut = link.slice(0, link.indexOf('#s=') + 12)
    for (const url of [cut, cut.replace('?seed=7', '?seed=7&embed=key')]) {
      const other = await openPage(ctx)
      await other.goto(url)
      await other.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await expect
        .poll(() => other.getByTestId('notice').innerText())
        .toMatch(/^无法读取这个链接里的场景（复制时链接被截断了？），所以没有显示它。/)
      await other.close()
    }
    await ctx.close()
  })

  it('keeps a wrapped step’s number on its first line', async () => {
    const page = await open({ width: 1280, height: 800 })
    await run(page, 'SADD s 1 2 3')
    await run(page, 'SADD s 100000')
    const step = page.locator('.step-list li').filter({ hasText: 'intset/upgraded' })
    const box = (el: Element) => {
      const r = el.getBoundingClientRect()
      return { top: r.top, height: r.height }
    }
    const number = await step.locator('.step-number').evaluate(box)
    const button = await step.locator('button').evaluate(box)
    expect(button.height).toBeGreaterThan(1.8 * number.height)
    expect(number.top - button.top).toBeLessThan(number.height / 2)
  })

  it('wraps a caption or a step that quotes a long member inside its panel', async () => {
    const page = await open({ width: 1366, height: 900 })
    await run(page, 'ZADD z 1 a 2 b 3 c')
    const overflowing: string[] = []
    for (const line of [
      `ZADD z 1.5 ${'m'.repeat(70)}`,
      `HSET h ${'f'.repeat(80)} v`,
      `SADD s ${'e'.repeat(90)}`,
      `RPUSH l ${'x'.repeat(90)}`,
    ]) {
      await run(page, line)
      overflowing.push(...(await page.locator('section.panel').evaluateAll(textPastRightEdge)))
    }
    expect(overflowing).toEqual([])
    // Short labels are not broken for it: the clients panel's dict names stay on one line.
    await run(page, 'MULTI')
    const caption = page.getByTestId('pubsub-channels').locator('caption')
    const lineHeight = await caption.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight))
    expect((await caption.boundingBox())?.height).toBeLessThan(1.5 * lineHeight)
    await page.context().close()
  })

  it('keeps every label in the panels readable in the dark theme (contrast 4.5:1 on its box)', async () => {
    const ctx = await browser().newContext({
      viewport: { width: 1280, height: 2000 },
      reducedMotion: 'reduce',
      colorScheme: 'dark',
      locale: 'en-US',
    })
    const page = await openPage(ctx)
    await page.goto(`${baseUrl}?seed=7&clock=paused`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    const poor = new Set<string>()
    const scenes = [
      ['SADD n 1 2 3', 'SADD n 100000'],
      ['HSET h a 1 b 2'],
      ['CONFIG SET list-max-listpack-size 2', 'RPUSH l a b c d e'],
      ['DEBUG POPULATE 40', 'SCAN 0'],
      ['EXPIRE key:1 100', 'GET key:2'],
      ['SET flags a', 'SETBIT flags 30 1', 'BITCOUNT flags 0 0'],
      ['SET s hello', 'APPEND s " world"'],
      ['PFADD hll a b c'],
      ['XADD st 1-1 a 1', 'XADD st 2-1 b 2'],
      ['GEOADD g 13.36 38.11 Palermo 15.08 37.50 Catania'],
      ['CONFIG SET maxmemory-policy allkeys-lru', 'CONFIG SET maxmemory 1'],
    ]
    for (const lines of scenes) {
      for (const line of lines) await run(page, line)
      // Every step of the last command: highlights (probes, active nodes) come and go.
      const steps = await page.evaluate(() => {
        const s = window.__xray?.store.getState()
        return s?.items[s.playhead.item]?.events.length ?? 0
      })
      for (let step = 1; step <= Math.min(steps, 12); step++) {
        await page.evaluate((k) => window.__xray?.store.getState().stepSelected(k), step)
        for (const p of await page.evaluate(lowContrastLabels)) poor.add(p)
      }
    }
    expect([...poor]).toEqual([])
  })
  it('on a phone, keeps the step controls on screen beside the diagram it steps', async () => {
    const page = await open({ width: 390, height: 844 })
    await run(page, 'SADD s 1 2 3')
    await run(page, 'SADD s 100000')
    const panel = page.locator('section.panel[data-panel="intset"]')
    await expect.poll(() => panel.count()).toBe(1)
    const back = page.getByRole('button', { name: 'Step back' })
    const footer = page.locator('footer.layout-timeline')
    const inView = async (): Promise<boolean> => {
      const b = await back.boundingBox()
      return b !== null && b.y >= 0 && b.y + b.height <= 844
    }
    // Right after typing: the step controls are on screen, and the key's panel starts
    // above them (the console leaves room for it).
    expect(await inView()).toBe(true)
    const footerTop = (await footer.boundingBox())?.y ?? 0
    expect((await panel.locator('h2').boundingBox())?.y ?? 999).toBeLessThan(footerTop)
    // Scrolled down to the intset's cells, the controls are still there, and step it back.
    await panel.locator('svg').first().scrollIntoViewIfNeeded()
    expect(await inView()).toBe(true)
    const cells = await panel.locator('svg').first().boundingBox()
    expect((cells?.y ?? 999) + (cells?.height ?? 0)).toBeLessThanOrEqual(
      (await footer.boundingBox())?.y ?? 0,
    )
    await back.click()
    await expect.poll(() => page.getByTestId('timeline-position').innerText()).toMatch(/step 1\/2/)
    // The virtual clock keeps to one row: its first and last controls on the same line.
    const clock = page.getByRole('region', { name: 'Virtual clock' })
    const first = await clock.getByRole('button').first().boundingBox()
    const last = await clock.getByRole('button').last().boundingBox()
    expect(last?.y).toBe(first?.y)
    await page.context().close()
  })

  it('on a phone, brings the diagram of a command into view, the prompt still on screen', async () => {
    const page = await open({ width: 390, height: 844 })
    const diagram = page.locator('section.panel[data-panel="intset"] svg[role="img"]')
    const input = page.getByRole('textbox', { name: /^Command for/ })
    // The first screen is the console's: the diagram of a command lands under the fold.
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await run(page, 'SADD nums 1 2 3')
    await expect.poll(() => diagram.count()).toBe(1)
    await expect.poll(() => onScreenAboveFooter(page, diagram)).toBe(true)
    const prompt = await input.boundingBox()
    expect(prompt?.y ?? -1).toBeGreaterThanOrEqual(0)
    await page.context().close()
  })

  it('on a phone, keeps the diagram in view as the steps play and their captions grow', async () => {
    const page = await openAt({ width: 390, height: 844 }, '', 'no-preference')
    await run(page, 'RPUSH q a b c d e')
    // The steps play on their own; wait for the last one.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const s = window.__xray?.store.getState()
          return s !== undefined && s.playhead.step === s.items.at(-1)?.events.length
        }),
      )
      .toBe(true)
    const diagram = page.locator('section.panel[data-panel="quicklist"] svg[role="img"]')
    await expect.poll(() => onScreenAboveFooter(page, diagram)).toBe(true)
    await page.context().close()
  })

  it('in a 360 px embed, shows the hash table’s buckets, not only its figures', async () => {
    const page = await openAt({ width: 360, height: 600 }, '&embed=key', 'reduce')
    await run(page, 'CONFIG SET hash-max-listpack-entries 2')
    await run(page, 'HSET h a 1 b 2 c 3 d 4 e 5')
    const buckets = page.locator('section.panel[data-panel="hashtable"] svg[role="img"]')
    await expect.poll(() => buckets.count()).toBe(1)
    const scroller = page.locator('.layout-panels')
    await expect
      .poll(async () => {
        const b = await buckets.boundingBox()
        const box = await scroller.boundingBox()
        if (b === null || box === null) return false
        // Its top rows at least: the buckets start inside the panels' visible part.
        return b.y >= box.y && b.y + 80 <= box.y + box.height
      })
      .toBe(true)
    // The last step added "e" to bucket 7 of ht[1], below the first rows: it is in view too.
    const entry = buckets.locator('[data-active="true"]')
    expect(await entry.textContent()).toBe('ee') // its label and its <title>
    const e = await entry.boundingBox()
    const box = await scroller.boundingBox()
    expect(e !== null && box !== null && e.y + e.height <= box.y + box.height).toBe(true)
    // ht[1] is wider than the frame: the entry is not cut at its right edge either.
    const frame = await page.locator('section.panel[data-panel="hashtable"]').boundingBox()
    expect(
      e !== null && frame !== null && e.x >= frame.x && e.x + e.width <= frame.x + frame.width,
    ).toBe(true)
    await page.context().close()
  })

  it('in a 360×300 embed, reads whole: diagram first, no console line cut, the link on the controls’ row', async () => {
    // The oldest console line showed cut in half across the top, the "Open in Redis X-Ray ↗"
    // link took a row of its own under the caption, and the panel's prose came before the
    // intset it describes.
    const page = await openAt({ width: 360, height: 300 }, '&embed=key', 'reduce')
    for (const line of ['SADD s 1 2 3', 'SADD s 70000', 'SET k1 a', 'SADD s 4'])
      await run(page, line)
    const out = page.locator('.console-output')
    const box = await out.boundingBox()
    const lines = await out.locator('.console-line').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect()
        return { top: r.top, bottom: r.bottom }
      }),
    )
    if (box === null) throw new Error('no console output')
    const seen = lines.filter((l) => l.bottom > box.y + 0.5 && l.top < box.y + box.height - 0.5)
    expect(seen.length).toBeGreaterThanOrEqual(1)
    for (const l of seen) {
      expect(l.top).toBeGreaterThanOrEqual(box.y - 0.5)
      expect(l.bottom).toBeLessThanOrEqual(box.y + box.height + 0.5)
    }
    // The newest reply is among the lines in view.
    expect(await lastConsoleLine(page)).toBe('(integer) 1')
    const link = page.getByRole('link', { name: /Open in Redis X-Ray/ })
    const l = await link.boundingBox()
    const controls = await page.locator('.timeline-controls').boundingBox()
    expect(l !== null && controls !== null).toBe(true)
    if (l === null || controls === null) return
    expect(l.y).toBeGreaterThanOrEqual(controls.y - 1)
    expect(l.y + l.height).toBeLessThanOrEqual(controls.y + controls.height + 1)
    expect(l.x + l.width).toBeLessThanOrEqual(360)
    expect(controls.x + controls.width).toBeLessThanOrEqual(360)
    // The intset is drawn above the panel's prose, and in view.
    const panel = page.locator('section.panel[data-panel="intset"]')
    const diagram = await panel.locator('svg[role="img"]').boundingBox()
    const prose = await panel.locator('p').first().boundingBox()
    const panels = await page.locator('.layout-panels').boundingBox()
    expect(diagram !== null && prose !== null && panels !== null).toBe(true)
    if (diagram === null || prose === null || panels === null) return
    expect(diagram.y).toBeLessThan(prose.y)
    expect(diagram.y).toBeGreaterThanOrEqual(panels.y)
    expect(diagram.y + diagram.height).toBeLessThanOrEqual(panels.y + panels.height)
    await page.context().close()
  })

  for (const frame of [
    { width: 600, height: 400 },
    { width: 360, height: 300 },
  ])
    it(`in a ${String(frame.width)}×${String(frame.height)} embed, gives the diagram most of the frame and shows the bucket a rehash step moved`, async () => {
      // The mini console and the step controls took the whole frame: the panels had 80 px
      // at 600×400 and 1 px at 360×300, and the step's bucket sat in the hash table's own
      // scrolling frame below the panels' visible part.
      const page = await openAt(frame, '&embed=keyspace', 'reduce')
      for (const line of ['SET k1 a', 'SET k2 b', 'SET k3 c', 'SET k4 d', 'SET k5 e', 'GET k1'])
        await run(page, line)
      await page.evaluate(() => {
        window.__xray?.store.getState().stepSelected(1) // GET's rehash step: a bucket moved
      })
      await page.evaluate(() => window.__xray?.idle())
      const panels = await page.locator('.layout-panels').boundingBox()
      expect(panels?.height ?? 0).toBeGreaterThanOrEqual(0.3 * frame.height)
      const entry = page
        .locator('section.panel[data-panel="keyspace"] [data-active="true"]')
        .first()
      await expect
        .poll(async () => {
          const e = await entry.boundingBox()
          const box = await page.locator('.layout-panels').boundingBox()
          return e !== null && box !== null && e.y >= box.y && e.y + e.height <= box.y + box.height
        })
        .toBe(true)
      // The prompt and the step controls are still inside the frame.
      const prompt = await page.locator('.console-input-row').boundingBox()
      const footer = await page.locator('footer.layout-timeline').boundingBox()
      expect((prompt?.y ?? 1e9) + (prompt?.height ?? 0)).toBeLessThanOrEqual(footer?.y ?? 0)
      expect((footer?.y ?? 1e9) + (footer?.height ?? 0)).toBeLessThanOrEqual(frame.height + 1)
      await page.context().close()
    })
})

/** SVG labels whose fill has under 4.5:1 contrast with the box under them (runs in the page). */
function lowContrastLabels(): string[] {
  const rgb = (c: string) => {
    const m = /rgba?\(([^)]+)\)/.exec(c)
    if (!m?.[1]) return null
    const [r = 0, g = 0, b = 0, a = 1] = m[1]
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number)
    return a < 0.5 ? null : [r, g, b]
  }
  const lum = (c: number[]) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((s, v, i) => s + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0)
  const out: string[] = []
  for (const t of document.querySelectorAll('svg text')) {
    const box = t.getBoundingClientRect()
    const svg = t.closest('svg')
    if (box.width === 0 || !svg || Number(getComputedStyle(t).opacity) < 0.9) continue
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2]
    let under: number[] | null = null
    for (const r of svg.querySelectorAll('rect')) {
      const b = r.getBoundingClientRect()
      const fill = rgb(getComputedStyle(r).fill)
      if (fill && x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) under = fill
    }
    for (let el: Element | null = svg; !under && el; el = el.parentElement)
      under = rgb(getComputedStyle(el).backgroundColor)
    const fg = rgb(getComputedStyle(t).fill)
    if (!fg || !under) continue
    const [hi, lo] = [lum(fg), lum(under)].sort((a, b) => b - a)
    const ratio = ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05)
    if (ratio < 4.5)
      out.push(`${t.getAttribute('class') ?? ''} "${t.textContent}" ${ratio.toFixed(2)}`)
  }
  return out
}

/** Text (not the diagrams' SVG) whose line runs past the right edge of its panel (in the page). */
function textPastRightEdge(panels: Element[]): string[] {
  return panels.flatMap((panel) => {
    const right = panel.getBoundingClientRect().right
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT)
    const out: string[] = []
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('svg')) continue
      const range = document.createRange()
      range.selectNodeContents(n)
      if ([...range.getClientRects()].some((r) => r.right > right + 0.5))
        out.push(`${panel.getAttribute('aria-label') ?? ''}: ${(n.textContent ?? '').slice(0, 40)}`)
    }
    return out
  })
}
