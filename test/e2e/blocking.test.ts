/**
 * End-to-end: BLPOP really blocks in a console tab, as in redis-cli: the tab shows it waits
 * and takes no input; another tab's RPUSH serves it and the popped element prints in the
 * waiting tab; a reload replays the session into the same lines.
 */
import { describe, expect, inject, it } from 'vitest'
import type {} from '../../src/app/debugHooks.ts'
import { chromiumPerFile, openApp, runLine } from './chromium.ts'

const browser = chromiumPerFile()
const appUrl = `${inject('baseUrl')}?seed=42&clock=paused`

/** The app, with its page errors collected and a wait until its engine is idle. */
async function open() {
  const page = await openApp(browser(), appUrl)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const idle = () => page.evaluate(() => window.__xray?.idle())
  return { page, errors, idle }
}

describe('BLPOP in Chromium', () => {
  it("waits in one tab until another tab's RPUSH, then prints the popped reply", async () => {
    const { page, errors, idle } = await open()
    const run = (line: string) => runLine(page, line)
    const input = page.getByRole('textbox', { name: /^Command for/ })
    const lines = () => page.locator('.console-output .console-line').allInnerTexts()
    const tabs = page.getByRole('tab')
    const waiting = page.locator('.console-waiting')

    await run('BLPOP queue 0')
    expect(await lines()).toEqual(['127.0.0.1:6379> BLPOP queue 0'])
    await expect.poll(() => waiting.innerText()).toMatch(/^Waiting for BLPOP queue 0…/)
    expect(await input.getAttribute('aria-disabled')).toBe('true')

    await page.getByRole('button', { name: 'New connection' }).click()
    await idle()
    await expect.poll(() => tabs.count()).toBe(2)
    expect(await waiting.count()).toBe(0)
    await run('RPUSH queue job')
    expect(await lines()).toEqual(['127.0.0.1:6379> RPUSH queue job', '(integer) 1'])

    await tabs.first().click()
    const served = ['127.0.0.1:6379> BLPOP queue 0', '1) "queue"\n2) "job"']
    await expect.poll(lines).toEqual(served)
    expect(await waiting.count()).toBe(0)
    expect(await input.getAttribute('aria-disabled')).toBeNull()

    await page.reload()
    await page.waitForFunction(() => window.__xray?.store.getState().status === 'ready')
    await idle()
    await tabs.first().click()
    await expect.poll(lines).toEqual(served)
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('the blocking-list scene in Chromium', () => {
  it('runs in two tabs and the clients panel draws blocking_keys step by step', async () => {
    const { page, errors, idle } = await open()
    await page.getByRole('combobox', { name: 'Scenes' }).selectOption('blocking-list')
    await idle()
    const tabs = page.getByRole('tab')
    await expect.poll(() => tabs.count()).toBe(2)
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            window.__xray?.store.getState().items.filter((x) => x.kind === 'command').length ?? 0,
        ),
      )
      .toBe(7)
    const ids = await page.evaluate(() => window.__xray?.store.getState().tabs.map((t) => t.id))
    const [a, b] = ids ?? []
    // Stop the playback and stand on an item's step (-1: its end).
    const at = async (line: string, step = -1) => {
      await page.evaluate(
        ([l, s]) => {
          const st = window.__xray?.store.getState()
          if (st === undefined) return
          if (st.playing) st.playToggled()
          const i = st.items.findIndex((x) => (x.argv.join(' ') || x.kind) === l)
          st.itemSelected(i)
          if (s >= 0) window.__xray?.store.getState().stepSelected(s)
        },
        [line, step] as const,
      )
      await idle()
    }
    const panel = page.getByTestId('clients-panel')
    const row = panel.locator('[data-testid="blocking-keys-0"] tr[data-name="jobs"]')
    const blockedFlag = panel.locator(
      `.clients-client[data-client="${String(a)}"] [data-flag="blocked"]`,
    )

    // A's BLPOP: A is filed under jobs, flagged BLOCKED; each client shows the name it set.
    await at('BLPOP jobs 0')
    await expect.poll(() => row.innerText()).toMatch(new RegExp(`^jobs\\s+#${String(a)}$`))
    expect(await blockedFlag.count()).toBe(1)
    const nameOf = (id: number | undefined) =>
      panel.locator(`.clients-client[data-client="${String(id)}"] .clients-name`).innerText()
    expect((await nameOf(a)).trim()).toBe('A')
    expect((await nameOf(b)).trim()).toBe('B')
    // B's LPUSH, before the serving step: A still waits; at it: served, out of the line.
    const served = await page.evaluate(() => {
      const st = window.__xray?.store.getState()
      const item = st?.items.find((x) => x.argv.join(' ') === 'LPUSH jobs job:1')
      return item?.events.findIndex((e) => e.type === 'blocking/clientServed') ?? -1
    })
    expect(served).toBeGreaterThan(0)
    await at('LPUSH jobs job:1', served)
    await expect.poll(() => row.count()).toBe(1)
    await at('LPUSH jobs job:1', served + 1)
    await expect.poll(() => row.count()).toBe(0)
    expect(await panel.getByTestId('blocking-keys-empty').innerText()).toBe(
      'blocking_keys: no client is blocked on a key.',
    )
    expect(await blockedFlag.count()).toBe(0)
    // A waits again; the clock tick times it out.
    await at('BLPOP jobs 5')
    await expect.poll(() => row.count()).toBe(1)
    await at('tick')
    await expect.poll(() => row.count()).toBe(0)
    expect(await panel.getByTestId('clients-narration').innerText()).toMatch(/timeout passed/)

    // A's tab shows both late replies; B's its push.
    const lines = () => page.locator('.console-output .console-line').allInnerTexts()
    await tabs.first().click()
    await expect
      .poll(async () => (await lines()).join('\n'))
      .toMatch(/BLPOP jobs 0\n1\) "jobs"\n2\) "job:1"[\s\S]*BLPOP jobs 5\n\(nil\)/)
    await tabs.last().click()
    expect((await lines()).join('\n')).toBe(
      '127.0.0.1:6379> CLIENT SETNAME B\nOK\n127.0.0.1:6379> LPUSH jobs job:1\n(integer) 1\n127.0.0.1:6379> LLEN jobs\n(integer) 0',
    )
    expect(b).not.toBe(a)
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('BLPOP in a short embed (360 × 300)', () => {
  it('offers no second client, whose tab would open out of sight', async () => {
    const page = await openApp(browser(), `${appUrl}&embed=1`, {
      viewport: { width: 360, height: 300 },
    })
    await runLine(page, 'BLPOP q 0')
    await expect.poll(() => page.locator('.console-waiting').count()).toBe(1)
    // The waiting line and its Cancel show; the second client's button does not.
    expect(await page.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Open another client' }).isVisible()).toBe(false)
    expect(await page.getByRole('tab').first().isVisible()).toBe(false)
    await page.context().close()
  })

  it('offers one in the full app, and the second tab it opens serves the wait', async () => {
    const { page, errors, idle } = await open()
    await runLine(page, 'BLPOP q 0')
    await page.getByRole('button', { name: 'Open another client' }).click()
    await idle()
    await expect.poll(() => page.getByRole('tab').count()).toBe(2)
    await runLine(page, 'RPUSH q job')
    await page.getByRole('tab').first().click()
    await expect
      .poll(() => page.locator('.console-output .console-line').allInnerTexts())
      .toEqual(['127.0.0.1:6379> BLPOP q 0', '1) "q"\n2) "job"'])
    expect(errors).toEqual([])
    await page.context().close()
  })
})
