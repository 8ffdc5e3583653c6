/**
 * A console tab whose connection another tab killed, with the real engine behind the
 * in-process worker: its next command prints redis-cli's "Error: Server closed the
 * connection" and the prompt becomes "not connected> "; the command after that connects
 * again as a new client (new id, db 0, default user, no name) and runs; the timeline shows
 * the connection; a reload replays the log into the same tabs, ids and dataset.
 */
import { describe, expect, it } from 'vitest'
import { formatReply } from '../../src/console/formatReply.ts'
import { createServer } from '../../src/engine/index.ts'
import { decodePermalink, encodePermalink } from '../../src/state/permalink.ts'
import { createAppStore } from '../../src/state/store.ts'
import {
  exportSessionJson,
  importSessionJson,
  savedSessionOf,
} from '../../src/state/persistence.ts'
import type { ClientTab, ConsoleLine } from '../../src/state/types.ts'
import { createHarness } from './harness.ts'

/** A tab's lines as the console prints them, with the prompt state of input lines. */
const printed = (tab: ClientTab | undefined): string[] =>
  (tab?.lines ?? []).map((l: ConsoleLine) =>
    l.kind === 'reply'
      ? formatReply(l.reply)
      : l.kind === 'input'
        ? `${l.offline ? 'not connected' : `[${String(l.db)}]${l.multi ? '(TX)' : ''}`}> ${l.text}`
        : l.kind === 'notice'
          ? l.key
          : l.text,
  )

async function twoTabs() {
  const h = await createHarness({ factory: createServer })
  const first = h.tab()
  h.store.getState().clientTabRequested()
  await h.bridge.idle()
  const second = h.tab()
  const on = async (id: number, ...argv: string[]) => {
    h.store.getState().clientTabSelected(id)
    await h.run(argv)
  }
  const tabs = () => h.store.getState().tabs
  return { h, first, second, on, tabs }
}

describe('a killed console tab', { timeout: 30_000 }, () => {
  it('prints the error, goes offline, then reconnects as a new client', async () => {
    const { h, first, second, on, tabs } = await twoTabs()
    await on(second, 'SELECT', '2')
    await on(second, 'CLIENT', 'SETNAME', 'two')
    await on(first, 'CLIENT', 'KILL', 'ID', String(second))
    const items = h.store.getState().items.length
    await on(second, 'SET', 'k', 'v')
    const killed = tabs().find((t) => t.id === second)
    expect(killed?.offline).toBe(true)
    expect(printed(killed).slice(-3)).toEqual([
      '[2]> SET k v',
      'Error: Server closed the connection',
      'console.connectionClosed',
    ])
    // The command never reached a server: no timeline item.
    expect(h.store.getState().items).toHaveLength(items)

    await on(second, 'CLIENT', 'INFO')
    const now = tabs()[1]
    const id = now?.id ?? -1
    expect(id).toBeGreaterThan(second)
    expect(h.store.getState().activeTab).toBe(id)
    expect(tabs().map((t) => t.id)).toEqual([first, id])
    expect(now?.offline).toBeUndefined()
    const info = printed(now).at(-1) ?? ''
    expect(info).toMatch(new RegExp(`^"id=${String(id)} .* name= .* db=0 .*user=default`))
    // redis-cli 7.0 keeps its [2] although the new connection is in db 0.
    expect(printed(now).at(-2)).toBe('not connected> CLIENT INFO')
    expect(now?.db).toBe(2)
    const last = h.store.getState().items.at(-2)
    expect(last?.kind).toBe('connect')
    expect(last?.events).toEqual([{ type: 'client/connected', client: id, replaces: second }])
    expect(h.store.getState().log.filter((e) => e.t === 'reconnect')).toEqual([
      { t: 'reconnect', client: second },
    ])
    await on(id, 'GET', 'k')
    expect(printed(tabs()[1]).at(-1)).toBe('(nil)')
    h.dispose()
  })

  it('renames a tab after its new connection when it reconnects, and so after a reload', async () => {
    const { h, first, second, on, tabs } = await twoTabs()
    expect(tabs().map((t) => t.label)).toEqual([
      `client ${String(first)}`,
      `client ${String(second)}`,
    ])
    // A tab kills its own connection (SKIPME no: by default CLIENT KILL spares the caller),
    // the next command finds it closed, and the one after that connects again.
    await on(second, 'CLIENT', 'KILL', 'ID', String(second), 'SKIPME', 'no')
    await on(second, 'PING')
    expect(tabs()[1]?.offline).toBe(true)
    await on(second, 'PING')
    const id = h.store.getState().activeTab ?? -1
    expect(id).not.toBe(second)
    expect(tabs().map((t) => t.label)).toEqual([`client ${String(first)}`, `client ${String(id)}`])
    const saved = savedSessionOf(h.store.getState())
    h.dispose()
    const again = await createHarness({ factory: createServer, saved })
    expect(again.store.getState().tabs.map((t) => [t.id, t.label])).toEqual([
      [first, `client ${String(first)}`],
      [id, `client ${String(id)}`],
    ])
    again.dispose()
  })

  it('after QUIT: OK, offline at once, a reload keeps it so, and the next command reconnects', async () => {
    const h = await createHarness({ factory: createServer })
    const first = h.tab()
    await h.run(['QUIT'])
    const tab = () => h.store.getState().tabs[0]
    expect(tab()?.offline).toBe(true)
    expect(printed(tab()).slice(-2)).toEqual(['OK', 'console.quit'])
    const saved = savedSessionOf(h.store.getState())
    h.dispose()
    const again = await createHarness({ factory: createServer, saved })
    const reloaded = () => again.store.getState().tabs[0]
    expect(reloaded()?.offline).toBe(true)
    expect(printed(reloaded()).slice(-2)).toEqual(['OK', 'console.quit'])
    await again.run(['PING'])
    expect(again.tab()).toBeGreaterThan(first)
    expect(printed(reloaded()).slice(-2)).toEqual(['not connected> PING', 'PONG'])
    again.dispose()
  })

  it('renames the tabs of a session saved while they were named "client 1" whatever their id', () => {
    const saved = savedSessionOf(createAppStore({ clockRunning: false }).getState())
    const old = JSON.stringify({
      ...saved,
      tabs: [
        { id: 3, label: 'client 1' },
        { id: 4, label: 'client 2' },
      ],
      active: 3,
    })
    expect(importSessionJson(old).tabs).toEqual([
      { id: 3, label: 'client 3' },
      { id: 4, label: 'client 4' },
    ])
  })

  it('shows the error at once when killed while waiting in BLPOP', async () => {
    const { first, second, on, tabs, h } = await twoTabs()
    await on(second, 'BLPOP', 'q', '0')
    await on(first, 'CLIENT', 'KILL', 'ID', String(second))
    const killed = tabs().find((t) => t.id === second)
    expect(killed?.waiting).toBeUndefined()
    expect(killed?.offline).toBe(true)
    expect(printed(killed)).toEqual([
      '[0]> BLPOP q 0',
      'Error: Server closed the connection',
      'console.connectionClosed',
    ])
    h.dispose()
  })

  it('reloads into the same tabs, ids and dataset, offline or reconnected', async () => {
    const { h, first, second, on, tabs } = await twoTabs()
    await on(second, 'SET', 'n', '1')
    await on(first, 'CLIENT', 'KILL', 'TYPE', 'normal')
    await on(second, 'INCR', 'n')
    // Saved while offline: the tab comes back offline, on its old (closed) client.
    const offline = savedSessionOf(h.store.getState())
    const offlineTabs = tabs()
    await on(second, 'INCR', 'n')
    const id = h.store.getState().activeTab
    const digest = await h.bridge.digest()
    const before = tabs()
    const saved = savedSessionOf(h.store.getState())
    const items = h.store.getState().items.map((i) => [i.kind, i.client, i.argv])
    h.dispose()
    // The reconnect op survives a permalink and an exported file.
    expect(saved.log).toContainEqual({ t: 'reconnect', client: second })
    expect(decodePermalink(encodePermalink(saved))?.log).toEqual(saved.log)
    expect(importSessionJson(exportSessionJson(saved)).log).toEqual(saved.log)

    const again = await createHarness({ factory: createServer, saved })
    expect(await again.bridge.digest()).toBe(digest)
    expect(again.store.getState().tabs.map(printed)).toEqual(before.map(printed))
    expect(again.store.getState().tabs.map((t) => t.id)).toEqual([first, id])
    expect(again.store.getState().items.map((i) => [i.kind, i.client, i.argv])).toEqual(items)
    again.store.getState().clientTabSelected(id ?? -1)
    await again.run(['GET', 'n'])
    expect(printed(again.store.getState().tabs[1]).at(-1)).toBe('"2"')
    again.dispose()

    const back = await createHarness({ factory: createServer, saved: offline })
    const restored = back.store.getState().tabs
    expect(restored.map(printed)).toEqual(offlineTabs.map(printed))
    expect(restored[1]?.offline).toBe(true)
    expect(restored[1]?.id).toBe(second)
    back.store.getState().clientTabSelected(second)
    await back.run(['GET', 'n'])
    // The INCR typed while offline never ran.
    expect(printed(back.store.getState().tabs[1]).slice(-2)).toEqual([
      'not connected> GET n',
      '"1"',
    ])
    back.dispose()
  })
})
