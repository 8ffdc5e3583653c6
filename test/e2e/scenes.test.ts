/**
 * End-to-end for the scenes that run in one console tab with RESP3 pushes (Pub/Sub, keyspace
 * notifications, client tracking), transaction errors, ACL users and the slow log: picked
 * from the Scenes menu in Chromium, every line answers as redis-cli would print it, the tab
 * stays usable afterwards (back on RESP2, no subscriptions, default user), and the clients
 * panel shows the subscriptions while they exist. And evict-time-limit: the eviction panel
 * says the big maxmemory drop ran out of time twice, and the drop with tenacity 100 never.
 */
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

async function runScene(page: Page, id: string): Promise<string> {
  const before = await page.locator('.console-output .console-line').count()
  await page.getByRole('combobox', { name: 'Scenes' }).selectOption(id)
  await page.evaluate(() => window.__xray?.idle())
  const lines = await page.locator('.console-output .console-line').allInnerTexts()
  return lines.slice(before).join('\n')
}

async function commandCount(page: Page): Promise<number> {
  return page.evaluate(
    () => window.__xray?.store.getState().items.filter((x) => x.kind === 'command').length ?? 0,
  )
}

describe('one-tab scenes in Chromium', () => {
  it('pubsub-resp3 and keyspace-notifications print the pushes and leave the tab on RESP2', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    const pubsub = await runScene(page, 'pubsub-resp3')
    await expect.poll(() => commandCount(page)).toBe(10)
    // redis-cli -3 prints a push's elements as an array; PUBLISH's own reply after them.
    expect(pubsub).toMatch(/1\) "message"\s+2\) "news"\s+3\) "hello"/)
    expect(pubsub).toMatch(/1\) "pmessage"\s+2\) "n\*"\s+3\) "news"\s+4\) "hello"/)
    expect(pubsub).toMatch(/\(integer\) 2/)
    expect(pubsub).not.toMatch(/ERR|internal/i)

    const notify = await runScene(page, 'keyspace-notifications')
    await expect.poll(() => commandCount(page)).toBe(20)
    for (const event of ['set', 'expire', 'del'])
      expect(notify).toContain(`"__keyevent@0__:${event}"`)
    // The clock ran past the TTL: the active expire cycle published "expired".
    await expect
      .poll(async () =>
        (await page.locator('.console-output .console-line').allInnerTexts()).join('\n'),
      )
      .toContain('"__keyevent@0__:expired"')

    // The tab is an ordinary RESP2 client again: a nil prints as (nil), not (null).
    await runLine(page, 'GET nothing')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('(nil)')
    await runLine(page, 'PUBSUB NUMPAT')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe(
      '(integer) 0',
    )
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('client-tracking prints the invalidate push after the SET and leaves the tab untracked on RESP2', async () => {
    const page = await openApp(browser(), appUrl)
    const text = await runScene(page, 'client-tracking')
    await expect.poll(() => commandCount(page)).toBe(8)
    // The SET's OK, then the push redis-cli -3 prints as an array.
    expect(text).toMatch(/OK\s+1\) "invalidate"\s+2\) 1\) "color"/)
    expect(text.match(/"invalidate"/g)).toHaveLength(1)
    await runLine(page, 'CLIENT TRACKINGINFO')
    expect(await page.locator('.console-output .console-line').last().innerText()).toContain(
      '2) 1) "off"',
    )
    await runLine(page, 'GET nothing')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('(nil)')
    await page.context().close()
  })

  it('multi-errors prints EXECABORT, then an EXEC array with the error in the middle', async () => {
    const page = await openApp(browser(), appUrl)
    const text = await runScene(page, 'multi-errors')
    await expect.poll(() => commandCount(page)).toBe(12)
    expect(text).toContain("(error) ERR wrong number of arguments for 'incr' command")
    expect(text).toContain('(error) EXECABORT Transaction discarded because of previous errors.')
    expect(text).toMatch(
      /1\) OK\s+2\) \(error\) ERR value is not an integer or out of range\s+3\) OK/,
    )
    await runLine(page, 'GET a')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('"hello"')
    await page.context().close()
  })

  it('acl-users shows NOPERM for the denied key and command, then the ACL log', async () => {
    const page = await openApp(browser(), appUrl)
    const text = await runScene(page, 'acl-users')
    await expect.poll(() => commandCount(page)).toBe(10)
    expect(text).toContain(
      '(error) NOPERM this user has no permissions to access one of the keys used as arguments',
    )
    expect(text).toContain("(error) NOPERM this user has no permissions to run the 'del' command")
    expect(text).toMatch(/"reason"\s+\d+\) "command"/)
    await runLine(page, 'ACL WHOAMI')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe('"default"')
    await page.context().close()
  })

  it('slowlog-threshold logs only the command slower than the threshold', async () => {
    const page = await openApp(browser(), appUrl)
    const text = await runScene(page, 'slowlog-threshold')
    await expect.poll(() => commandCount(page)).toBe(8)
    expect(text).toMatch(/3\) \(integer\) 50000\s+4\) 1\) "DEBUG"\s+2\) "SLEEP"\s+3\) "0\.05"/)
    await runLine(page, 'CONFIG GET slowlog-log-slower-than')
    expect(await page.locator('.console-output .console-line').last().innerText()).toBe(
      '1) "slowlog-log-slower-than"\n2) "10000"',
    )
    await page.context().close()
  })

  it('evict-time-limit shows the eviction running out of time on the big drop, not with tenacity 100', async () => {
    const page = await openApp(browser(), appUrl)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const text = await runScene(page, 'evict-time-limit')
    await expect.poll(() => commandCount(page)).toBe(13)
    expect(text).toMatch(/\(integer\) 1000\s[\s\S]*\(integer\) 531\s[\s\S]*\(integer\) 163/)
    const itemOf = (line: string) =>
      page.evaluate(
        (l) =>
          window.__xray?.store.getState().items.findIndex((x) => x.argv?.join(' ') === l) ?? -1,
        line,
      )
    for (const [line, passes] of [
      ['CONFIG SET maxmemory 1600000', '2'],
      ['CONFIG SET maxmemory 1200000', null],
    ] as const) {
      const item = await itemOf(line)
      expect(item).toBeGreaterThan(0)
      await page.evaluate((i) => {
        const s = window.__xray?.store.getState()
        if (s?.playing === true) s.playToggled()
        window.__xray?.store.getState().itemSelected(i)
      }, item)
      // The eviction panel drew the pool and the victims, and says how often time ran out.
      await expect.poll(() => page.getByTestId('ev-total').count()).toBe(1)
      const note = page.getByTestId('ev-out-of-time')
      if (passes === null) expect(await note.count()).toBe(0)
      else expect(await note.getAttribute('data-passes')).toBe(passes)
    }
    expect(errors).toEqual([])
    await page.context().close()
  })
})
