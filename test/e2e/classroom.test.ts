/**
 * End-to-end checks of the app as a newcomer and a teacher use it on a laptop and on a
 * projector: typing after stepping back in the timeline, a scene's subject in view, and the
 * projector mode.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const baseUrl = inject('baseUrl')
const LAPTOP = { width: 1366, height: 768 }

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
