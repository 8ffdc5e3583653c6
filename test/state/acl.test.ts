/**
 * ACL state lives in the engine, so the app's replay (a reload from the saved log, time
 * travel back and forth) must rebuild users, the client's authenticated user and the ACL log
 * exactly: the same replies before and after.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import { createHarness } from './harness.ts'

const script: string[][] = [
  ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~a:*', '+@all', '-flushall'],
  ['AUTH', 'alice', 'wrong'],
  ['AUTH', 'alice', 'pw'],
  ['SET', 'a:1', 'x'],
  ['SET', 'b', 'x'],
  ['FLUSHALL'],
  ['ACL', 'WHOAMI'],
  ['ACL', 'LIST'],
]

describe('ACL in the app', () => {
  it('replays users, AUTH and NOPERM the same after a reload and after time travel', async () => {
    const h = await createHarness({ factory: createServer })
    await h.run(...script)
    const replies = h.store.getState().items.map((i) => i.reply)
    expect(replies.at(-2)).toEqual({ type: 'bulk', value: 'alice' })
    expect(replies[4]).toEqual({
      type: 'error',
      value: 'NOPERM this user has no permissions to access one of the keys used as arguments',
    })
    const finalDigest = await h.bridge.digest()
    // Back to before AUTH, then forward again.
    h.store.getState().itemSelected(1)
    await h.bridge.idle()
    h.store.getState().itemSelected(replies.length - 1)
    await h.bridge.idle()
    expect(await h.bridge.digest()).toBe(finalDigest)

    const saved = savedSessionOf(h.store.getState())
    h.dispose()
    const fresh = await createHarness({ factory: createServer, saved })
    expect(fresh.store.getState().items.map((i) => i.reply)).toEqual(replies)
    // The tab's client is still alice after the reload.
    await fresh.run(['ACL', 'WHOAMI'], ['ACL', 'LOG', '1'])
    const items = fresh.store.getState().items
    expect(items.at(-2)?.reply).toEqual({ type: 'bulk', value: 'alice' })
    const log = items.at(-1)?.reply
    expect(log?.type === 'array' && log.value?.length).toBe(1)
    fresh.dispose()
  })
})
