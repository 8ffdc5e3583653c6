/**
 * The real engine worker (engine.worker.ts over the real engine) through @vitest/web-worker:
 * the version handshake, a round trip, batching and error answers.
 */
import '@vitest/web-worker'
import { describe, expect, it } from 'vitest'
import { createEngineClient, isCancelled, spawnEngineWorker } from '../../src/worker/client.ts'
import { PROTOCOL_VERSION, type RequestId, type WorkerBatch } from '../../src/worker/protocol.ts'

const session = { seed: 7, config: {}, startMs: 1_704_067_200_000 }

describe('engine worker protocol', { timeout: 30_000 }, () => {
  it('answers init with ready and the protocol version, in a batch', async () => {
    const w = spawnEngineWorker()
    const batch = await new Promise<WorkerBatch>((resolve) => {
      w.onmessage = (ev) => {
        resolve(ev.data as WorkerBatch)
      }
      w.postMessage({
        type: 'init',
        id: 1 as RequestId,
        v: PROTOCOL_VERSION,
        session,
        trace: 'full',
      })
    })
    expect(batch).toEqual({
      type: 'batch',
      messages: [{ type: 'ready', id: 1, v: PROTOCOL_VERSION }],
    })
    w.terminate()
  })

  it('rejects a wrong protocol version with a failed answer', async () => {
    const w = spawnEngineWorker()
    const batch = await new Promise<WorkerBatch>((resolve) => {
      w.onmessage = (ev) => {
        resolve(ev.data as WorkerBatch)
      }
      w.postMessage({
        type: 'init',
        id: 1 as RequestId,
        v: 99 as typeof PROTOCOL_VERSION,
        session,
        trace: 'full',
      })
    })
    expect(batch.messages[0]).toMatchObject({ type: 'failed', id: 1 })
    w.terminate()
  })

  it('round-trips commands through EngineClient, with traces and error replies', async () => {
    const client = createEngineClient({ spawn: spawnEngineWorker, session, trace: 'full' })
    await client.start()
    const c = await client.createClient()
    const [set, get, wrong] = await Promise.all([
      client.exec(['SET', 'k', 'v'], c),
      client.exec(['GET', 'k'], c),
      client.exec(['GET'], c),
    ])
    expect(set.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(set.events.some((e) => e.type === 'dict/keyAdded')).toBe(true)
    expect(get.reply).toEqual({ type: 'bulk', value: 'v' })
    expect(wrong.reply).toEqual({
      type: 'error',
      value: "ERR wrong number of arguments for 'get' command",
    })
    // Crash recovery needs a real Worker's onerror (the shim rethrows in-process): the e2e
    // suite covers it in Chromium, test/worker/client.test.ts with an in-process worker.
    expect(client.log().map((e) => e.t)).toEqual(['client', 'exec', 'exec', 'exec'])
    client.dispose()
  })

  it('runs a long command in slices with progress, cancels it, and sends big views', async () => {
    const client = createEngineClient({ spawn: spawnEngineWorker, session, trace: 'full' })
    await client.start()
    const c = await client.createClient()
    let progress = 0
    const cancelled = client.exec(['DEBUG', 'POPULATE', '200000'], c, () => {
      if (progress++ === 0) client.cancel()
    })
    await expect(cancelled).rejects.toSatisfy(isCancelled)
    expect(progress).toBeGreaterThan(0)
    expect((await client.exec(['DBSIZE'], c)).reply).toEqual({ type: 'integer', value: 0 })
    await client.exec(['DEBUG', 'POPULATE', '5000'], c)
    const view = await client.inspect(null, 0)
    const tables = (view?.['dict'] as { tables: { occupancy?: unknown }[] }).tables
    expect(ArrayBuffer.isView(tables[0]?.occupancy)).toBe(true)
    expect(client.log().map((e) => e.t)).toEqual(['client', 'exec', 'exec'])
    client.dispose()
  })
})
