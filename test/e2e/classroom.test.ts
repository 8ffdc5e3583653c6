/**
 * End-to-end checks of the app as a newcomer and a teacher use it on a laptop and on a
 * projector: typing after stepping back in the timeline, a scene's subject in view, and the
 * projector mode.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')
const LAPTOP = { width: 1366, height: 768 }
const WIDE = { width: 1920, height: 1080 }

/** Runs a scene from the Scenes menu and waits until its commands have answered. */
async function runScene(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: /^Scenes$|^场景$/ }).selectOption(id)
  await page.evaluate(() => window.__xray?.idle())
}

/** Puts the playhead at the end of timeline item `item` and waits for its views. */
async function showItem(page: Page, item: number): Promise<void> {
  await page.evaluate((i) => {
    window.__xray?.store.getState().itemSelected(i)
  }, item)
  await page.evaluate(() => window.__xray?.idle())
}

/** How far below the window's bottom edge the drawing of a panel reaches (≤ 0: all in view). */
function drawingBelowFold(page: Page, panel: string): Promise<number> {
  return page
    .locator(`section.panel[aria-label="${panel}"] svg`)
    .first()
    .evaluate((svg) => svg.getBoundingClientRect().bottom - window.innerHeight)
}

describe('a learner at a laptop', () => {
  it('sees the command typed after stepping back, not the old step', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    await runLine(page, 'SET a 1')
    await runLine(page, 'SADD s 1 2 3')
    await page.evaluate(() => {
      window.__xray?.store.getState().commandBackRequested()
    })
    await expect.poll(() => page.getByTestId('panels-when').innerText()).toMatch(/command 1/)
    await runLine(page, 'RPUSH list a b c')
    await expect.poll(() => page.getByTestId('panels-when').innerText()).toBe('Current state.')
    await expect
      .poll(() => page.locator('.layout-panels section.panel h2').first().innerText())
      .toMatch(/^Key list/)
    await page.context().close()
  })
})

describe('a panel used for the first time', () => {
  it('draws at once, without a loading line, once the page has settled', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    // The app fetches the panels' chunks once the session is on screen.
    await page.waitForLoadState('networkidle')
    await page.evaluate(() => {
      const seen: string[] = []
      Object.assign(window, { fallbacks: seen })
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.layout-panels .panel-empty'))
          if (el.textContent === '…')
            seen.push(el.closest('section')?.getAttribute('aria-label') ?? '')
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    for (const line of [
      'SADD s 1 2 3',
      'HSET h a 1',
      'RPUSH l a',
      'ZADD z 1 a',
      'PFADD p a',
      'XADD x * a 1',
      'GEOADD g 13.3 38.1 P',
    ])
      await runLine(page, line)
    await expect.poll(() => page.locator('section.panel[data-panel="geo"]').count()).toBe(1)
    expect(
      await page.evaluate(() => (window as unknown as { fallbacks: string[] }).fallbacks),
    ).toEqual([])
    await page.context().close()
  })
})

describe('a scene keeps what it is about on screen', () => {
  for (const viewport of [LAPTOP, WIDE]) {
    it(`shows the keyspace dict of dict-expand without scrolling at ${String(viewport.width)}×${String(viewport.height)}`, async () => {
      const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport })
      await runScene(page, 'dict-expand')
      const items = await page.evaluate(() => window.__xray?.store.getState().items.length ?? 0)
      expect(items).toBe(9)
      // Every command of the scene, the rehash (SET k5, GET k1) included.
      for (let i = 0; i < items; i++) {
        await showItem(page, i)
        expect(await drawingBelowFold(page, 'Keyspace (db 0)')).toBeLessThanOrEqual(0)
      }
      const scrolled = await page.evaluate(
        () =>
          (document.scrollingElement?.scrollTop ?? 0) +
          (document.querySelector('.layout-panels')?.scrollTop ?? 0),
      )
      expect(scrolled).toBe(0)
      await page.context().close()
    })
  }

  it('keeps the scene’s key in the panel for a command that touches no key (CONFIG SET)', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    await runScene(page, 'quicklist-split')
    const last = await page.evaluate(() => (window.__xray?.store.getState().items.length ?? 0) - 1)
    await showItem(page, last)
    const first = page.locator('.layout-panels section.panel').first()
    await expect.poll(() => first.getAttribute('aria-label')).toBe('Key q')
    expect(await drawingBelowFold(page, 'Key q')).toBeLessThanOrEqual(0)
    // The learner's own command ends the scene's focus: the keyspace goes back to its place.
    await runLine(page, 'DBSIZE')
    await expect
      .poll(() => page.locator('.layout-panels section.panel').first().getAttribute('aria-label'))
      .not.toBe('Key q')
    await page.context().close()
  })
})

describe('a learner in half a laptop screen', () => {
  it('sees the step controls and the top of the panel as a command plays, at 760×820', async () => {
    const viewport = { width: 760, height: 820 }
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport })
    await runLine(page, 'SADD nums 1 2 3')
    const panel = page.locator('section.panel[data-panel="intset"]')
    await expect.poll(() => panel.count()).toBe(1)
    // One column: the console took 60 % of the height and pushed the diagram and the step
    // controls below the fold. Now the controls stay at the window's foot, and the panel
    // starts above them.
    const stepBack = await page.getByRole('button', { name: 'Step back' }).boundingBox()
    expect((stepBack?.y ?? 1e9) + (stepBack?.height ?? 0)).toBeLessThanOrEqual(viewport.height)
    const footer = await page.locator('footer.layout-timeline').boundingBox()
    const top = await panel.boundingBox()
    expect(top?.y ?? 1e9).toBeLessThan(footer?.y ?? 0)
    // The settings fold behind one button, as on a phone.
    expect(await page.getByRole('combobox', { name: 'Language' }).isVisible()).toBe(false)
    await page.getByRole('button', { name: 'Settings' }).click()
    expect(await page.getByRole('combobox', { name: 'Language' }).isVisible()).toBe(true)
    await page.context().close()
  })
})

/** Sizes a reader at the back of the room depends on, in CSS px as drawn. */
function sizes(page: Page) {
  return page.evaluate(() => {
    const px = (sel: string) => {
      const el = document.querySelector(sel)
      return el === null ? 0 : parseFloat(getComputedStyle(el).fontSize)
    }
    const svg = document.querySelector('section.panel[data-panel="intset"] svg')
    const drawn = svg?.getBoundingClientRect().height ?? 0
    return {
      console: px('.console-output'),
      input: px('.console-input-row'),
      heading: px('.panel-header h2'),
      button: px('.timeline-controls button'),
      // The intset's cells as drawn against their size in the SVG's own units.
      diagram: drawn / Number(svg?.getAttribute('height') ?? 1),
    }
  })
}

describe('projector mode for a teacher', () => {
  it('enlarges the console, panel labels and controls, from the URL or the header, and is remembered', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused`, { viewport: LAPTOP })
    await runLine(page, 'SADD nums 1 2 3')
    const normal = await sizes(page)
    expect(normal.console).toBeLessThan(16)

    await page.goto(`${baseUrl}?seed=7&clock=paused&projector=1`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await page.evaluate(() => window.__xray?.idle())
    const toggle = page.getByRole('button', { name: 'Projector' })
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => page.locator('section.panel[data-panel="intset"] svg').count()).toBe(1)
    const big = await sizes(page)
    expect(big.console).toBeGreaterThanOrEqual(20)
    expect(big.input).toBeGreaterThanOrEqual(20)
    expect(big.heading).toBeGreaterThanOrEqual(1.25 * normal.heading)
    expect(big.button).toBeGreaterThanOrEqual(1.25 * normal.button)
    expect(big.diagram).toBeGreaterThanOrEqual(1.3 * normal.diagram)
    // The page still fits the screen: no sideways scrolling, the console line in view.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      LAPTOP.width,
    )
    const input = await page.getByRole('textbox', { name: /^Command for/ }).boundingBox()
    expect((input?.y ?? 1e9) + (input?.height ?? 0)).toBeLessThanOrEqual(LAPTOP.height)
    // The clock sits beside the timeline, not on a footer row of its own under the caption.
    const clock = await page.locator('.clock').boundingBox()
    const caption = await page.getByTestId('caption').boundingBox()
    expect(clock?.y ?? 1e9).toBeLessThan(caption?.y ?? 0)

    // Remembered without the parameter; the toggle turns it off, and that is remembered too.
    await page.goto(`${baseUrl}?seed=7&clock=paused`)
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    expect(await page.evaluate(() => document.documentElement.dataset['projector'])).toBe('true')
    await page.getByRole('button', { name: 'Projector' }).click()
    expect(await page.evaluate(() => document.documentElement.dataset['projector'])).toBe('false')
    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    expect(await page.evaluate(() => document.documentElement.dataset['projector'])).toBe('false')
    await page.context().close()
  })

  it('keeps the console’s newest line in view when a scene’s note makes the header taller', async () => {
    // At 1280×720 in projector mode the scene's note under the header took height from the
    // console after it had scrolled to its end: the last command and its OK were cut off.
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport: { width: 1280, height: 720 },
      locale: 'zh-CN',
    })
    await runScene(page, 'evict-lru')
    await page.waitForFunction(() => window.__xray?.store.getState().playing === false)
    const output = page.getByRole('log')
    await expect
      .poll(() => output.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop))
      .toBeLessThanOrEqual(1)
    await page.context().close()
  })

  it('shows the prompt above the step controls on load, on a 1280×720 projector at 150 % (853×480)', async () => {
    // One column there, with the step controls stuck to the window's foot: they covered the
    // command line on load, and a teacher saw no line to type on.
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport: { width: 853, height: 480 },
      deviceScaleFactor: 1.5,
    })
    const covered = async () => {
      const input = await page.locator('.console-input-row').boundingBox()
      const footer = await page.locator('footer.layout-timeline').boundingBox()
      return (input?.y ?? 1e9) + (input?.height ?? 0) - (footer?.y ?? 0)
    }
    await expect.poll(covered).toBeLessThanOrEqual(0)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Command for client 3',
    )
    // The sentence that says what to type starts inside the console, not cut at its top.
    const output = await page.getByRole('log').boundingBox()
    const welcome = await page.locator('.console-welcome').boundingBox()
    expect(welcome?.y ?? -1).toBeGreaterThanOrEqual(output?.y ?? 0)
    await page.context().close()
  })

  it('keeps the scene picker usable once a scene runs, on a 1280×720 projector at 150 % (853×480)', async () => {
    // The scene's summary and note sat in the header's one row beside the picker, which they
    // squeezed to a 10 px sliver behind Settings: the teacher could not pick the next scene,
    // and the summary was cut mid-line. They now take rows of their own under it.
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport: { width: 853, height: 480 },
      deviceScaleFactor: 1.5,
      locale: 'zh-CN',
    })
    await runScene(page, 'hash-listpack-hashtable')
    await showItem(page, 8)
    const picker = await page.getByRole('combobox', { name: '场景' }).boundingBox()
    const settings = await page.getByRole('button', { name: '设置' }).boundingBox()
    expect(picker?.width ?? 0).toBeGreaterThanOrEqual(120)
    expect((picker?.x ?? 0) + (picker?.width ?? 0)).toBeLessThanOrEqual(settings?.x ?? 0)
    // The summary and the note each on one line across the window, under the picker.
    for (const p of [page.locator('.scenes-menu__summary'), page.getByTestId('scene-note')]) {
      const box = await p.boundingBox()
      expect(box?.y ?? 0).toBeGreaterThanOrEqual((picker?.y ?? 0) + (picker?.height ?? 0))
      expect(box?.width ?? 0).toBeGreaterThan(700)
      // Its height in font sizes: one line is under two.
      const heightInFontSizes = await p.evaluate(
        (el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).fontSize),
      )
      expect(heightInFontSizes).toBeLessThan(2)
      expect(await p.getAttribute('title')).toBe(await p.innerText())
    }
    // And the line the teacher types on is still above the step controls.
    const input = await page.locator('.console-input-row').boundingBox()
    const footer = await page.locator('footer.layout-timeline').boundingBox()
    expect((input?.y ?? 1e9) + (input?.height ?? 0)).toBeLessThanOrEqual(footer?.y ?? 0)
    await page.context().close()
  })

  it('keeps the prompt above the step controls on a 1080p projector zoomed to 200 % (960×540)', async () => {
    // The footer wraps to three rows there; the console kept its 16rem (320 px) least height
    // and ran under the footer, which covered the line the teacher types on.
    const viewport = { width: 960, height: 540 }
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport,
    })
    await runLine(page, 'HSET user name Ann age 33')
    const input = await page.locator('.console-input-row').boundingBox()
    const footer = await page.locator('footer.layout-timeline').boundingBox()
    expect((input?.y ?? 1e9) + (input?.height ?? 0)).toBeLessThanOrEqual(footer?.y ?? 0)
    // Everything still fits the screen: the step controls are not pushed below it.
    expect((footer?.y ?? 1e9) + (footer?.height ?? 0)).toBeLessThanOrEqual(viewport.height + 1)
    await page.context().close()
  })
})

describe('a teacher at the keyboard', () => {
  it('looks through the scenes with ↓ without running one, runs the one picked, then steps it with →', async () => {
    // A closed select changes its value on ↓: each ↓ ran the first scene (dict-expand) again,
    // and → pressed to step the scene just run ran it once more.
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport: { width: 1280, height: 720 },
      deviceScaleFactor: 1.5,
    })
    const commands = () =>
      page.evaluate(() =>
        (window.__xray?.store.getState().items ?? [])
          .filter((x) => x.kind === 'command')
          .map((x) => x.argv.join(' ')),
      )
    await page.getByRole('combobox', { name: 'Scenes' }).focus()
    await page.keyboard.press('ArrowDown') // opens the list
    await page.keyboard.press('ArrowDown') // dict-expand
    await page.keyboard.press('ArrowDown') // scan-resize
    await page.keyboard.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    await expect.poll(commands).toContain('SCAN 12 COUNT 4')
    expect((await commands()).filter((c) => c === 'FLUSHDB')).toHaveLength(1)
    expect(await commands()).not.toContain('SET k5 e')

    await page.evaluate(() => {
      const s = window.__xray?.store.getState()
      if (s?.playing === true) s.playToggled()
      s?.itemSelected(1)
    })
    const at = () => page.evaluate(() => window.__xray?.store.getState().playhead)
    const before = await at()
    await page.keyboard.press('ArrowRight')
    expect(await at()).not.toEqual(before)
    await page.keyboard.press('ArrowLeft')
    expect(await at()).toEqual(before)
    expect((await commands()).filter((c) => c === 'FLUSHDB')).toHaveLength(1)
    await page.context().close()
  })
})

/**
 * The smallest text in the panels as drawn on screen, in CSS px, with what it says: an SVG
 * label's font size times its drawing's scale (a zoom, a viewBox fitted to the panel), an
 * HTML text's font size.
 */
function smallestPanelText(page: Page): Promise<{ px: number; text: string }> {
  return page.evaluate(() => {
    let min = { px: Infinity, text: '' }
    const see = (px: number, text: string): void => {
      if (px < min.px) min = { px: Math.round(px * 10) / 10, text }
    }
    for (const panel of document.querySelectorAll('.layout-panels section.panel')) {
      for (const svg of panel.querySelectorAll('svg')) {
        const drawn = svg.getBoundingClientRect().width
        if (drawn === 0) continue
        const units = svg.viewBox.baseVal.width || Number(svg.getAttribute('width')) || drawn
        for (const t of svg.querySelectorAll('text')) {
          if (t.textContent.trim() === '' || t.getBoundingClientRect().height === 0) continue
          see((parseFloat(getComputedStyle(t).fontSize) * drawn) / units, t.textContent)
        }
      }
      for (const el of panel.querySelectorAll('*')) {
        if (el.closest('svg') !== null || el.getBoundingClientRect().height === 0) continue
        const own = [...el.childNodes].some(
          (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
        )
        if (own) see(parseFloat(getComputedStyle(el).fontSize), el.textContent)
      }
    }
    return min
  })
}

describe('projector mode at the back of the room', () => {
  it('draws every panel label at 16 px or more, on a 1366 px projector', async () => {
    const page = await openApp(browser(), `${baseUrl}?seed=7&clock=paused&projector=1`, {
      viewport: LAPTOP,
    })
    for (const lines of [
      ['XADD st 1-1 f v', 'XADD st 2-1 f v g w', 'XGROUP CREATE st g 0'],
      ['XREADGROUP GROUP g c1 COUNT 1 STREAMS st >'],
      ['PFADD visitors a b c d'],
      ['GEOADD g 13.36 38.11 Palermo 15.08 37.50 Catania'],
      ['SET s hello EX 100'],
      ['CONFIG SET zset-max-listpack-entries 2', 'ZADD z 1 a 2 b 3 c'],
      ['WATCH s', 'MULTI', 'SET s 1'],
    ]) {
      for (const line of lines) await runLine(page, line)
      const smallest = await smallestPanelText(page)
      expect({ after: lines.at(-1), ...smallest, ok: smallest.px >= 16 }).toMatchObject({
        ok: true,
      })
    }
    // A clock tick whose active expire cycle deletes keys: the expiry panel's bucket strip.
    for (const line of ['SET a 1 PX 100', 'SET b 1 PX 100', 'SET c 1 EX 100'])
      await runLine(page, line)
    await page.evaluate(() => window.__xray?.store.getState().clockJumpRequested(1000))
    await page.evaluate(() => window.__xray?.idle())
    await expect.poll(() => page.locator('.expire-panel .ex-key').count()).toBeGreaterThan(0)
    const smallest = await smallestPanelText(page)
    expect({ after: 'a clock tick', ...smallest, ok: smallest.px >= 16 }).toMatchObject({
      ok: true,
    })
    // Larger drawings scroll inside their panel; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      LAPTOP.width,
    )
    await page.context().close()
  })
})
