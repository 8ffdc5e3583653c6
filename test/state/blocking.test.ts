/**
 * Blocking commands in the console, with the real engine behind the in-process worker: a tab
 * that runs BLPOP on an empty list waits (no reply, `waiting` set), another tab's RPUSH serves
 * it and the popped element lands in the waiting tab; a timeout passes on the virtual clock;
 * Ctrl+C un-waits it through CLIENT UNBLOCK from a short-lived connection; a reload replays
 * the log into the same state, a blocked command blocked again and served by the later push.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import { createHarness, printed } from './harness.ts'

async function twoTabs() {
  const h = await createHarness({ factory: createServer })
  const first = h.tab()
  h.store.getState().clientTabRequested()
  await h.bridge.idle()
  const second = h.tab()
  const tab = (id: number) => h.store.getState().tabs.find((t) => t.id === id)
  const on = async (id: number, ...argv: string[]) => {
    h.store.getState().clientTabSelected(id)
    await h.run(argv)
  }
  return { h, first, second, tab, on }
}

describe('BLPOP in the console', { timeout: 30_000 }, () => {
  it('waits in one tab until another tab pushes, then prints the popped element there', async () => {
    const { h, first, second, tab, on } = await twoTabs()
    await on(first, 'BLPOP', 'queue', '0')
    expect(tab(first)?.waiting).toEqual({
      argv: ['BLPOP', 'queue', '0'],
      since: expect.any(Number),
    })
    expect(printed(tab(first))).toEqual(['> BLPOP queue 0'])
    // The other tab is not held up.
    await on(second, 'LLEN', 'queue')
    h.store.getState().clockJumpRequested(2000)
    await h.bridge.idle()
    await on(second, 'RPUSH', 'queue', 'job')
    expect(printed(tab(second))).toEqual([
      '> LLEN queue',
      '(integer) 0',
      '> RPUSH queue job',
      '(integer) 1',
    ])
    // redis-cli prints the reply, then the time it took (half a second or more).
    expect(printed(tab(first))).toEqual(['> BLPOP queue 0', '1) "queue"\n2) "job"', '(2.00s)'])
    expect(tab(first)?.waiting).toBeUndefined()
    // The element went to the waiting client: the list is empty, and the tab works again.
    await on(first, 'LLEN', 'queue')
    expect(printed(tab(first)).slice(-1)).toEqual(['(integer) 0'])
    h.dispose()
  })

  it('times out on the virtual clock and prints (nil)', async () => {
    const { h, first, tab, on } = await twoTabs()
    await on(first, 'BZPOPMIN', 'z', '1.5')
    expect(tab(first)?.waiting).toBeDefined()
    h.store.getState().clockJumpRequested(1000)
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeDefined()
    // A +10 s jump times it out: it waited its 1.5 s, not the whole jump.
    h.store.getState().clockJumpRequested(10_000)
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeUndefined()
    expect(printed(tab(first))).toEqual(['> BZPOPMIN z 1.5', '(nil)', '(1.50s)'])
    h.dispose()
  })

  it('waits in XREAD BLOCK too: served by XADD, or timed out after its milliseconds', async () => {
    const { h, first, second, tab, on } = await twoTabs()
    await on(first, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')
    expect(tab(first)?.waiting).toBeDefined()
    await on(second, 'XADD', 's', '5-1', 'f', 'v')
    expect(tab(first)?.waiting).toBeUndefined()
    expect(printed(tab(first)).at(-1)).toBe(
      '1) 1) "s"\n   2) 1) 1) "5-1"\n         2) 1) "f"\n            2) "v"',
    )
    await on(first, 'XREAD', 'BLOCK', '300', 'STREAMS', 's', '$')
    h.store.getState().clockJumpRequested(1000)
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeUndefined()
    // It waited 300 ms of the 1 s jump: under redis-cli's half second, so no "(N.NNs)" line.
    expect(printed(tab(first)).slice(-2)).toEqual(['> XREAD BLOCK 300 STREAMS s $', '(nil)'])
    h.dispose()
  })

  it('answers at once inside MULTI, as Redis does', async () => {
    const { h, first, tab, on } = await twoTabs()
    await on(first, 'MULTI')
    await on(first, 'BLPOP', 'queue', '0')
    await on(first, 'EXEC')
    expect(tab(first)?.waiting).toBeUndefined()
    expect(printed(tab(first)).slice(-2)).toEqual(['> EXEC', '1) (nil)'])
    h.dispose()
  })

  it('stops waiting on Ctrl+C through CLIENT UNBLOCK, keeping the connection and its db', async () => {
    const { h, first, second, tab, on } = await twoTabs()
    await on(first, 'SELECT', '3')
    await on(first, 'BLPOP', 'queue', '0')
    h.store.getState().unblockRequested(first)
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeUndefined()
    expect(printed(tab(first)).slice(-2)).toEqual(['> BLPOP queue 0', '(nil)'])
    expect(tab(first)?.db).toBe(3)
    const last = h.store.getState().items.at(-1)
    expect(last?.argv).toEqual(['CLIENT', 'UNBLOCK', String(first)])
    expect(h.store.getState().tabs.map((t) => t.id)).toEqual([first, second])
    // Same connection (same id), still in db 3; a later push is not taken by it.
    await on(first, 'CLIENT', 'ID')
    await on(second, 'RPUSH', 'queue', 'job')
    expect(printed(tab(first)).slice(-1)).toEqual([`(integer) ${String(first)}`])
    await on(first, 'LLEN', 'queue')
    expect(printed(tab(first)).slice(-1)).toEqual(['(integer) 0'])
    // Nothing to un-wait: no request.
    h.store.getState().unblockRequested(first)
    expect(h.store.getState().requests).toEqual([])
    h.dispose()
  })

  it('says how to end a wait under CLIENT PAUSE, which Ctrl+C (CLIENT UNBLOCK) cannot end', async () => {
    const { h, first, second, tab, on } = await twoTabs()
    await on(second, 'CLIENT', 'PAUSE', '100000', 'WRITE')
    await on(first, 'SET', 'k', 'v')
    expect(tab(first)?.waiting).toBeDefined()
    h.store.getState().unblockRequested(first)
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeDefined()
    expect(h.store.getState().notice).toMatchObject({
      key: 'notice.heldByPause',
      params: { client: first },
    })
    // What the notice says does end it.
    await on(second, 'CLIENT', 'UNPAUSE')
    await h.bridge.idle()
    expect(tab(first)?.waiting).toBeUndefined()
    expect(printed(tab(first)).slice(-2)).toEqual(['> SET k v', 'OK'])
    h.dispose()
  })

  it('holds the lines pasted after a blocking one until it returns, then runs them in order', async () => {
    const { h, first, second, tab, on } = await twoTabs()
    h.store.getState().clientTabSelected(first)
    await h.run(['BLPOP', 'queue', '0'], ['GET', 'k'], ['LPUSH', 'queue', 'mine'])
    // Nothing after BLPOP ran or was echoed: the log ends with it, the tab shows only it.
    expect(h.store.getState().log.at(-1)).toMatchObject({
      t: 'exec',
      argv: ['BLPOP', 'queue', '0'],
    })
    expect(printed(tab(first))).toEqual(['> BLPOP queue 0'])
    await on(second, 'RPUSH', 'queue', 'job')
    await h.bridge.idle()
    expect(printed(tab(first))).toEqual([
      '> BLPOP queue 0',
      '1) "queue"\n2) "job"',
      '> GET k',
      '(nil)',
      '> LPUSH queue mine',
      '(integer) 1',
    ])
    expect(tab(first)?.waiting).toBeUndefined()
    // A second blocking line in the held block waits in turn, holding what follows it.
    h.store.getState().clientTabSelected(first)
    await h.run(['BLPOP', 'empty', '1'], ['BLPOP', 'empty', '1'], ['PING'])
    h.store.getState().clockJumpRequested(1100)
    await h.bridge.idle()
    expect(printed(tab(first)).slice(-3)).toEqual(['(nil)', '(1.00s)', '> BLPOP empty 1'])
    h.store.getState().clockJumpRequested(1100)
    await h.bridge.idle()
    expect(printed(tab(first)).slice(-4)).toEqual(['(nil)', '(1.00s)', '> PING', 'PONG'])
    h.dispose()
  })

  it('replays a reload into the same state: blocked again, then served by the later push', async () => {
    const { h, first, second, on } = await twoTabs()
    await on(first, 'BLPOP', 'queue', '0')
    await on(second, 'RPUSH', 'queue', 'a', 'b')
    await on(first, 'BRPOP', 'queue', 'other', '0')
    await on(first, 'BLPOP', 'empty', '0')
    const digest = await h.bridge.digest()
    const before = h.store.getState().tabs
    const saved = savedSessionOf(h.store.getState())
    h.dispose()

    const again = await createHarness({ factory: createServer, saved })
    expect(await again.bridge.digest()).toBe(digest)
    const tabs = again.store.getState().tabs
    expect(tabs.map(printed)).toEqual(before.map(printed))
    expect(tabs.find((t) => t.id === first)?.waiting?.argv).toEqual(['BLPOP', 'empty', '0'])
    expect(printed(tabs.find((t) => t.id === first))).toEqual([
      '> BLPOP queue 0',
      '1) "queue"\n2) "a"',
      '> BRPOP queue other 0',
      '1) "queue"\n2) "b"',
      '> BLPOP empty 0',
    ])
    // The replayed engine really has the client waiting: a push serves it.
    again.store.getState().clientTabSelected(second)
    await again.run(['LPUSH', 'empty', 'x'])
    const served = again.store.getState().tabs.find((t) => t.id === first)
    expect(served?.waiting).toBeUndefined()
    expect(printed(served).at(-1)).toBe('1) "empty"\n2) "x"')
    // Time travel to a position where the client waited does not hang either.
    const at = again.store.getState().log.length - 1
    expect(await again.bridge.digest(at)).toBe(digest)
    again.dispose()
  })
})
