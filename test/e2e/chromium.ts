/**
 * The browser the e2e suites drive: Debian's Chromium through playwright-core, headless.
 * `E2E_CPU_THROTTLE=N` slows every page's main thread N times (Chrome DevTools' CPU
 * throttling), to look for races a slow, loaded CI machine would expose.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
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
