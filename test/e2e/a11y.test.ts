/**
 * Keyboard and screen-reader basics of the built app in Chromium, at 1280×800, in English
 * and 简体中文, in both themes.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumPerFile, openApp, runLine, selectStep } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/**
 * The contrast ratio (WCAG 2) between the focus indicator of the focused element (its
 * outline, or the box-shadow ring of `ringOf`) and the background behind it (`bgOf`'s).
 */
function focusContrast(page: Page, ringOf: string | null, bgOf: string): Promise<number> {
  return page.evaluate(
    ([ring, bg]) => {
      const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
      const lum = (c: number[]): number => {
        const [r = 0, g = 0, b = 0] = c.map((v) => {
          const s = v / 255
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
        })
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
      }
      const el = ring === null ? document.activeElement : document.querySelector(ring)
      if (!(el instanceof HTMLElement)) return 0
      const cs = getComputedStyle(el)
      // A ring drawn all round: an outline, or an inset box-shadow spread of 2px or more.
      let colour: string | null = null
      if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) colour = cs.outlineColor
      const shadow = /^(rgba?\([^)]*\)) 0px 0px 0px (\d+(?:\.\d+)?)px inset$/.exec(cs.boxShadow)
      if (colour === null && shadow !== null && Number(shadow[2]) >= 2) colour = shadow[1] ?? null
      const back = document.querySelector(bg)
      if (colour === null || back === null) return 0
      const a = lum(rgb(colour))
      const b = lum(rgb(getComputedStyle(back).backgroundColor))
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
    },
    [ringOf, bgOf] as const,
  )
}

describe('focus in the console is visible', () => {
  // The console is dark in both themes, and its focus ring was the page's: #1a5fd0 on the
  // console's #1e1e1e (2.8:1) in the light theme, and only a 2px line under the command line.
  for (const [locale, theme] of [
    ['en-US', 'light'],
    ['zh-CN', 'light'],
    ['en-US', 'dark'],
  ] as const) {
    it(`${locale}, ${theme} theme: the command line and the tabs have a 3:1 ring`, async () => {
      const page = await openApp(browser(), appUrl, {
        locale,
        colorScheme: theme,
        viewport: { width: 1280, height: 800 },
      })
      try {
        await page.evaluate((t) => {
          window.__xray?.store.getState().themeChanged(t)
        }, theme)
        await page.getByRole('textbox', { name: /^Command for|的命令$/ }).focus()
        expect(await focusContrast(page, '.console-input-row', '.console')).toBeGreaterThanOrEqual(
          3,
        )
        // Shift+Tab back from the command line (past the example commands) to the tab bar's
        // "New connection" button.
        let onTabBar = false
        for (let i = 0; i < 10 && !onTabBar; i++) {
          await page.keyboard.press('Shift+Tab')
          onTabBar = await page.evaluate(
            () => document.activeElement?.classList.contains('console-tab-new') === true,
          )
        }
        expect(onTabBar).toBe(true)
        expect(await focusContrast(page, null, '.console-tabs')).toBeGreaterThanOrEqual(3)
      } finally {
        await page.context().close()
      }
    })
  }
})

/** The live regions (status, alert, log, aria-live) of the accessibility tree whose text has `text`. */
async function liveRegionsSaying(page: Page, text: string): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot()
  return tree
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^- (status|alert|log)\b/.test(l) && l.includes(text))
}

describe('each step is announced once', () => {
  // The keyspace dict, the key's panel and the timeline's caption were each a polite live
  // region with the same sentence: a screen reader read every step two or three times.
  for (const [locale, url] of [
    ['en-US', appUrl],
    ['zh-CN', `${appUrl}&embed=all`],
  ] as const) {
    it(`${locale}${url.includes('embed') ? ', in an embed' : ''}: one live region has the step's sentence`, async () => {
      const page = await openApp(browser(), url, { locale, viewport: { width: 1280, height: 800 } })
      try {
        await runLine(page, 'SADD nums 1 2 3')
        await runLine(page, 'SADD nums 70000')
        // A step the intset panel and the keyspace both narrate, then the keyspace's own.
        for (const step of [3, 1]) {
          await selectStep(page, step)
          await page.evaluate(() => window.__xray?.idle())
          const caption = (await page.getByTestId('caption').innerText()).trim()
          expect(caption.length).toBeGreaterThan(0)
          await expect.poll(() => liveRegionsSaying(page, caption)).toHaveLength(1)
          expect((await liveRegionsSaying(page, caption))[0]).toMatch(/^- status/)
        }
      } finally {
        await page.context().close()
      }
    })
  }
})
