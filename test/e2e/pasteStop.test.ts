/**
 * End-to-end: a long block pasted into the console can be stopped. While it runs the console
 * shows how far it got with a Stop button; Stop (or Ctrl+C) leaves the lines not yet sent
 * unrun, says how many, and the session goes on.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import {
  chromiumPerFile,
  lastConsoleLine as lastLine,
  openApp,
  pasteText as paste,
  runLine,
} from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

describe('a pasted block in Chromium', () => {
  it('stops with the Stop button: the lines not sent are not run, the console says how many', async () => {
    const page = await openApp(browser(), appUrl, {}, ['clipboard-read', 'clipboard-write'])
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    // 300 SETs, a BLPOP that waits (nobody pushes to q), then 1,000 more SETs.
    const sets = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `SET k:${String(from + i)} v`)
    await paste(page, [...sets(0, 300), 'BLPOP q 0', ...sets(300, 1000), ''].join('\n'))
    const line = page.getByTestId('console-paste')
    await expect
      .poll(() => line.innerText(), { timeout: 30_000 })
      .toMatch(/^Pasted lines: 301 of 1,301 run/)
    await line.getByRole('button', { name: 'Stop' }).click()
    await page.evaluate(() => window.__xray?.idle())
    await expect.poll(() => line.count()).toBe(0)
    expect(await lastLine(page)).toBe(
      '(stopped before sending the last 1000 lines of the pasted block: not run)',
    )
    // The session is all there and takes commands: the first thousand ran, nothing after.
    await runLine(page, 'DBSIZE')
    expect(await lastLine(page)).toBe('(integer) 300')
    await runLine(page, 'EXISTS k:299 k:300')
    expect(await lastLine(page)).toBe('(integer) 1')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('stops with Ctrl+C in the command line, in 简体中文', async () => {
    const page = await openApp(browser(), appUrl, { locale: 'zh-CN' }, [
      'clipboard-read',
      'clipboard-write',
    ])
    await paste(page, ['SET a 1', 'BLPOP q 0', 'SET b 2', 'SET c 3', ''].join('\n'))
    const line = page.getByTestId('console-paste')
    await expect.poll(() => line.innerText()).toMatch(/已执行 2 \/ 4 行/)
    await page.keyboard.press('Control+C')
    await page.evaluate(() => window.__xray?.idle())
    await expect.poll(() => line.count()).toBe(0)
    expect(await lastLine(page)).toBe('(已停止：粘贴的命令块中最后 2 行没有发送，因此没有执行)')
    await page.getByRole('textbox', { name: /的命令$/ }).fill('EXISTS a b c')
    await page.keyboard.press('Enter')
    await page.evaluate(() => window.__xray?.idle())
    expect(await lastLine(page)).toBe('(integer) 1')
    await page.context().close()
  })
})
