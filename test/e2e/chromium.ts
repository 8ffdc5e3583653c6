/**
 * The browser the e2e suites drive: Debian's Chromium through playwright-core, headless.
 * `E2E_CPU_THROTTLE=N` slows every page's main thread N times (Chrome DevTools' CPU
 * throttling), to look for races a slow, loaded CI machine would expose.
 */
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core'
import type {} from '../../src/app/debugHooks.ts'
import { afterAll, beforeAll } from 'vitest'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const THROTTLE = Number(process.env['E2E_CPU_THROTTLE'] ?? '1')

/** Launches the e2e browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** Opens a page in `ctx`, throttled when E2E_CPU_THROTTLE asks for it. */
export async function openPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage()
  if (THROTTLE > 1) {
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
  }
  return page
}

/**
 * One browser for a test file: launched before its tests, closed after them. Returns a
 * getter (the browser exists only once beforeAll has run).
 */
export function chromiumPerFile(): () => Browser {
  let browser: Browser | null = null
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (browser === null) throw new Error('chromiumPerFile: the browser is not launched yet')
    return browser
  }
}

/**
 * Opens the app at `url` (seeded, paused clock, reduced motion unless `ctx` says otherwise)
 * in a new context and waits until its engine is ready and idle.
 */
export async function openApp(
  browser: Browser,
  url: string,
  ctx: BrowserContextOptions = {},
  permissions: readonly string[] = [],
): Promise<Page> {
  const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'en-US', ...ctx })
  if (permissions.length > 0)
    await context.grantPermissions([...permissions], { origin: new URL(url).origin })
  const page = await openPage(context)
  await page.goto(url)
  await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
  await page.evaluate(() => window.__xray?.idle())
  return page
}

/** Types a line into the active console tab, presses Enter and waits until the app is idle. */
export async function runLine(page: Page, line: string): Promise<void> {
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  await input.fill(line)
  await input.press('Enter')
  await page.evaluate(() => window.__xray?.idle())
}

/** The event types of the item under the playhead. */
export function itemEventTypes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const s = window.__xray?.store.getState()
    return s?.items[s.playhead.item]?.events.map((e) => e.type) ?? []
  })
}

/** Moves the playhead to step `step` of its item (0: before its first event). */
export async function selectStep(page: Page, step: number): Promise<void> {
  await page.evaluate((n) => window.__xray?.store.getState().stepSelected(n), step)
}

/** The smallest on-screen height (its line box) of the texts `selector` finds in `root`. */
export function textHeights(root: Locator, selector: string): Promise<number> {
  return root
    .locator(selector)
    .evaluateAll((els) => Math.min(...els.map((e) => e.getBoundingClientRect().height)))
}

/** Pastes `text` into the command line through the clipboard, as a learner does. */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text)
  const input = page.getByRole('textbox', { name: /^Command for|的命令$/ })
  await input.focus()
  await page.keyboard.press('Control+V')
}

/** The text of the active console tab's last line. */
export function lastConsoleLine(page: Page): Promise<string> {
  return page.locator('.console-output .console-line').last().innerText()
}

/** An element's box on screen, named by its aria-label or its text. */
export interface Box {
  readonly name: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** The boxes of the elements `selector` finds that are drawn and not visually hidden. */
export function visibleBoxes(page: Page, selector: string): Promise<Box[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll(sel)]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && r.height > 0 && !el.closest('.visually-hidden')
        })
        .map((el) => {
          const r = el.getBoundingClientRect()
          const name = el.getAttribute('aria-label') ?? el.textContent ?? el.tagName
          return { name: name.trim(), x: r.x, y: r.y, w: r.width, h: r.height }
        }),
    selector,
  )
}
