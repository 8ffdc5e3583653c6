/**
 * End-to-end: after one visit the built site opens and runs with the network off (the
 * offline service worker, src/offline), from its sub-path, for any query string.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openPage } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')

describe('the site offline', () => {
  it('reloads and runs commands with no network after one visit', async () => {
    const ctx = await browser().newContext({ reducedMotion: 'reduce', locale: 'en-US' })
    const page = await openPage(ctx)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const input = page.getByRole('textbox', { name: /^Command for/ })
    const ready = async (): Promise<void> => {
      await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
      await page.evaluate(() => window.__xray?.idle())
    }
    const run = async (line: string): Promise<string> => {
      await input.fill(line)
      await input.press('Enter')
      await page.evaluate(() => window.__xray?.idle())
      return page.locator('.console-output .console-line').last().innerText()
    }

    await page.goto(`${baseUrl}?seed=5&clock=paused`)
    await ready()
    expect(await run('SET visit first')).toBe('OK')
    // The worker has cached the whole site and controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
      if (navigator.serviceWorker.controller === null) {
        await new Promise((resolve) => {
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
        })
      }
    })

    await ctx.setOffline(true)
    await page.reload()
    await ready()
    // The saved session came back, and the engine still answers.
    expect(await run('GET visit')).toBe('"first"')
    expect(await run('INCR offline')).toBe('(integer) 1')

    // Another query string (an embed link, another seed) opens offline too.
    const other = await openPage(ctx)
    await other.goto(`${baseUrl}?embed=dict&seed=9`)
    await expect
      .poll(() => other.evaluate(() => window.__xray?.store.getState().status))
      .toBe('ready')
    await other.close()

    expect(errors).toEqual([])
    await ctx.close()
  })
})
