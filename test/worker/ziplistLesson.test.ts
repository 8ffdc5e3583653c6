import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineClient } from '../../src/worker/client.ts'
import { createInProcessWorker } from './inProcessWorker.ts'

function setup() {
  const client = createEngineClient({
    spawn: () => createInProcessWorker(createServer),
    session: { seed: 42, config: {}, startMs: 1_704_067_200_000 },
    trace: 'full',
  })
  return client
}

describe('the ziplistLesson request', () => {
  it('runs the lesson in the worker with the bytes it is sent, outside the session log', async () => {
    const client = setup()
    await client.start()
    const chain = await client.ziplistLesson({
      op: { kind: 'chain' },
      ziplist: null,
      listpack: null,
    })
    expect(chain.after.ziplist.zllen).toBe(7)
    const r = await client.ziplistLesson({
      op: { kind: 'insert', index: 0, length: 254 },
      ziplist: chain.after.ziplist.bytes,
      listpack: chain.after.listpack.bytes,
    })
    expect(r.before.ziplist.zlbytes).toBe(chain.after.ziplist.zlbytes)
    expect(r.cascade.map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 6])
    expect(r.after.ziplist.bytes).toBeInstanceOf(Uint8Array)
    expect(client.log()).toEqual([])
    client.dispose()
  })

  it('fails a malformed request with the engine’s message', async () => {
    const client = setup()
    await client.start()
    await expect(
      client.ziplistLesson({ op: { kind: 'delete', index: 0 }, ziplist: null, listpack: null }),
    ).rejects.toThrow(/no lesson state/)
    client.dispose()
  })
})
