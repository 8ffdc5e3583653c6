import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createHarness } from './harness.ts'

describe('bridge', () => {
  it('runs submitted commands and writes replies, traces and the log', async () => {
    const h = await createHarness()
    const tab = h.tab()
    await h.run(['SET', 'k', 'v'], ['GET', 'k'])
    const s = h.store.getState()
    expect(s.items.map((i) => i.argv[0])).toEqual(['SET', 'GET'])
    expect(s.tabs[0]?.lines).toEqual([
      // Each command line says which command it ran (its log position), once answered.
      { kind: 'input', text: 'SET k v', db: 0, multi: false, position: 2 },
      { kind: 'reply', reply: { type: 'simple', value: 'OK' } },
      { kind: 'input', text: 'GET k', db: 0, multi: false, position: 3 },
      { kind: 'reply', reply: { type: 'bulk', value: 'v' } },
    ])
    expect(s.log.map((e) => e.t)).toEqual(['client', 'exec', 'exec'])
    expect(tab).toBe(1)
    h.dispose()
  })

  it('moves time with clock jumps so keys expire', async () => {
    const h = await createHarness()
    await h.run(['SET', 'k', 'v'], ['EXPIRE', 'k', '10'])
    h.store.getState().clockJumpRequested(10_000)
    await h.bridge.idle()
    const last = h.store.getState().items.at(-1)
    expect(last?.kind).toBe('tick')
    expect(last?.events[0]?.type).toBe('expire/keyExpiredActively')
    await h.run(['GET', 'k'])
    expect(h.store.getState().items.at(-1)?.reply).toEqual({ type: 'bulk', value: null })
    h.dispose()
  })

  it('opens more client tabs, each its own connection', async () => {
    const h = await createHarness()
    h.store.getState().clientTabRequested()
    await h.bridge.idle()
    const s = h.store.getState()
    expect(s.tabs.map((t) => t.id)).toEqual([1, 2])
    expect(s.activeTab).toBe(2)
    await h.run(['PING'])
    expect(h.store.getState().items.at(-1)?.client).toBe(2)
    h.dispose()
  })

  it('shows the views before and after the command at the playhead, also in the past', async () => {
    const h = await createHarness()
    await h.run(['SET', 'k', 'one'], ['SET', 'k', 'two'])
    const view = () => h.store.getState().view
    await h.bridge.idle()
    const str = (value: string) => ({ kind: 'string', encoding: 'raw', value })
    // Views arrive a round trip after the command: wait for them, then check both sides.
    await expect.poll(() => view()?.after.keyView).toEqual(str('two'))
    expect(view()?.before.keyView).toEqual(str('one'))
    h.store.getState().commandBackRequested()
    await h.bridge.idle()
    await expect.poll(() => view()?.after.keyView).toEqual(str('one'))
    expect(view()?.before.keyView).toBeNull()
    h.store.getState().panelPinned('k')
    await h.bridge.idle()
    await expect.poll(() => view()?.pinned).toEqual([{ key: 'k', view: str('one') }])
    h.dispose()
  })

  it('shows for EXEC the key its queued commands wrote', async () => {
    const h = await createHarness({ factory: createServer, store: { motion: 'reduce' } })
    await h.run(['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'])
    await h.bridge.idle()
    await expect.poll(() => h.store.getState().view?.key).toBe('a')
    expect(h.store.getState().view?.after.keyView).toMatchObject({ kind: 'string' })
    h.dispose()
  })

  it('shows each command’s own views when a block of commands is submitted at once', async () => {
    // A scene or a pasted block queues every command at once: the live engine runs ahead of
    // the command whose trace just arrived, so "the live engine" is not "after this command".
    const h = await createHarness({ factory: createServer, store: { motion: 'reduce' } })
    const tab = h.tab()
    for (const line of ['SET k1 a', 'SET k2 b', 'SET k5 e', 'APPEND k5 f', 'APPEND k5 g']) {
      h.store.getState().lineEntered(tab, line)
      h.store.getState().commandSubmitted(line.split(' '), tab)
    }
    await h.bridge.idle()
    const items = h.store.getState().items
    expect(items.map((x) => x.argv.join(' '))).toContain('APPEND k5 g')
    // Every view of a command is asked at the command's own log position, never as "the live
    // engine", which may already have run the next commands of the block.
    const asked = h.workers[0]?.received.flatMap((m) => (m.type === 'inspect' ? [m] : [])) ?? []
    // Pipelined, the answers land together and the views are asked once for the burst.
    expect(asked.length).toBeGreaterThan(2)
    expect(asked.slice(2).filter((m) => m.position === undefined)).toEqual([])
    for (let i = 0; i < items.length; i++) {
      h.store.getState().itemSelected(i)
      await h.bridge.idle()
      const position = items[i]?.position ?? 0
      const view = h.store.getState().view
      expect(view?.position).toBe(position)
      const key = items[i]?.argv[1] ?? ''
      expect(view?.after.keyView).toEqual(await h.client.inspect(key, 0, position))
      expect(view?.after.keyspace).toEqual(await h.client.inspect(null, 0, position))
      expect(view?.before.keyspace).toEqual(await h.client.inspect(null, 0, position - 1))
    }
    h.dispose()
  })

  it('reports a crash in one notice and keeps the session', async () => {
    const h = await createHarness()
    await h.run(['SET', 'a', '1'])
    h.store.getState().crashRequested()
    await h.bridge.idle()
    expect(h.store.getState().notice).toMatchObject({ key: 'notice.restarted.crash', tone: 'warn' })
    expect(h.workers).toHaveLength(2)
    await h.run(['GET', 'a'])
    expect(h.store.getState().items.at(-1)?.reply).toEqual({ type: 'bulk', value: '1' })
    h.dispose()
  })
})
