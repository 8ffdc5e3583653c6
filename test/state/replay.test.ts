import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import type { ServerFactory } from '../../src/worker/engineHost.ts'
import { logLength } from '../../src/worker/protocol.ts'
import { createFakeServer } from '../worker/fakeServer.ts'
import { createHarness } from './harness.ts'

const script: string[][] = [
  ['SET', 'a', '1'],
  ['INCR', 'a'],
  ['SADD', 's', '1', '2', '3'],
  ['SADD', 's', '70000'],
  ['HSET', 'h', 'f', 'v'],
  ['ZADD', 'z', '1', 'one', '2', 'two', '3', 'three'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['SET', 'tmp', 'x'],
  ['EXPIRE', 'tmp', '5'],
  ['DEBUG', 'POPULATE', '200'],
  ['DEL', 'a'],
]

// The real engine (commands land over time) and the app-test fake both must replay exactly.
describe.each<[string, ServerFactory]>([
  ['engine', createServer],
  ['fake', createFakeServer],
])('time travel replay (%s)', (_name, factory) => {
  it('rebuilds the same dataset at every past position, and from a saved log', async () => {
    const h = await createHarness({ factory })
    const digests = new Map<number, string>()
    for (const [i, argv] of script.entries()) {
      await h.run(argv)
      if (i === 8) {
        h.store.getState().clockJumpRequested(10_000)
        await h.bridge.idle()
      }
      const items = h.store.getState().items
      const pos = items.at(-1)?.position ?? 0
      digests.set(pos, await h.bridge.digest())
    }
    const finalDigest = await h.bridge.digest()

    // Step back command by command: each past position replays to the digest it had.
    const positions = h.store.getState().items.map((i) => i.position)
    for (let i = positions.length - 1; i >= 0; i--) {
      h.store.getState().itemSelected(i)
      const pos = positions[i] ?? 0
      const want = digests.get(pos)
      if (want !== undefined) expect(await h.bridge.digest(pos)).toBe(want)
    }
    // Going forward again from the scratch engine.
    for (const [pos, want] of digests) expect(await h.bridge.digest(pos)).toBe(want)
    expect(await h.bridge.digest()).toBe(finalDigest)

    // A fresh app from seed + config + log reaches the same digest.
    const saved = savedSessionOf(h.store.getState())
    h.dispose()
    const fresh = await createHarness({ factory, saved })
    expect(await fresh.bridge.digest()).toBe(finalDigest)
    fresh.dispose()
  })
})

describe('restoring a session', () => {
  it('counts the log to replay from the start, never "0/0" (a reload after one long command)', async () => {
    const h = await createHarness({ factory: createServer })
    await h.run(['DEBUG', 'POPULATE', '2000'], ['SADD', 's', '1'])
    const saved = savedSessionOf(h.store.getState())
    const seen: string[] = []
    const stop = h.store.subscribe((s) => {
      if (s.status === 'replaying')
        seen.push(`${String(s.progress?.done)}/${String(s.progress?.total)}`)
    })
    h.store.getState().sessionRestoreRequested(saved)
    await h.bridge.idle()
    stop()
    expect(seen[0]).toBe(`0/${String(logLength(saved.log))}`)
    expect(seen).not.toContain('0/0')
    h.dispose()
  })
})
