import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import {
  PROTOCOL_VERSION,
  logLength,
  logPrefix,
  logPush,
  type FromWorker,
  type LogEntry,
  type RequestId,
  type ToWorker,
} from '../../src/worker/protocol.ts'

const session = { seed: 1, config: {}, startMs: 1_704_067_200_000 }
const id = (n: number) => n as RequestId

function collect() {
  const out: FromWorker[] = []
  return { out, post: (m: FromWorker) => out.push(m) }
}

describe('log helpers', () => {
  it('merges runs of equal ticks and splits them again by position', () => {
    const log: LogEntry[] = []
    logPush(log, { t: 'client' })
    logPush(log, { t: 'tick', ms: 100, n: 1 })
    logPush(log, { t: 'tick', ms: 100, n: 1 })
    logPush(log, { t: 'tick', ms: 250, n: 1 })
    expect(log).toEqual([
      { t: 'client' },
      { t: 'tick', ms: 100, n: 2 },
      { t: 'tick', ms: 250, n: 1 },
    ])
    expect(logLength(log)).toBe(4)
    expect(logPrefix(log, 2)).toEqual([{ t: 'client' }, { t: 'tick', ms: 100, n: 1 }])
  })
})

describe('engine host (real engine)', () => {
  it('runs DEBUG POPULATE with tracing off and other commands fully traced', async () => {
    const host = createEngineHost(createServer)
    const { out, post } = collect()
    await hostHandle(
      host,
      { type: 'init', id: id(1), v: PROTOCOL_VERSION, session, trace: 'full' },
      post,
    )
    await hostHandle(host, { type: 'createClient', id: id(2) }, post)
    const created = out.at(-1)
    const c = created?.type === 'clientCreated' ? created.client : -1
    await hostHandle(
      host,
      { type: 'exec', id: id(3), argv: ['DEBUG', 'POPULATE', '50'], client: c },
      post,
    )
    await hostHandle(host, { type: 'exec', id: id(4), argv: ['SET', 'k', 'v'], client: c }, post)
    const [, , populate, set] = out
    expect(populate?.type === 'executed' && populate.trace.reply).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect(populate?.type === 'executed' && populate.trace.events).toEqual([])
    expect(set?.type === 'executed' && set.trace.events.length).toBeGreaterThan(0)
    expect(set?.type === 'executed' && set.trace.position).toBe(3)
  })

  it('reports progress between replay chunks and stops at a cancel', async () => {
    let release: () => void = () => undefined
    const host = createEngineHost(createServer, () => new Promise<void>((r) => (release = r)))
    const { out, post } = collect()
    await hostHandle(
      host,
      { type: 'init', id: id(1), v: PROTOCOL_VERSION, session, trace: 'full' },
      post,
    )
    const log: LogEntry[] = Array.from({ length: 1200 }, (_, i) => ({
      t: 'exec' as const,
      client: 1,
      argv: ['SET', `k${String(i)}`, 'v'],
      at: session.startMs,
    }))
    const replay: ToWorker = { type: 'replay', id: id(2), log, traces: false }
    const running = hostHandle(host, replay, post)
    await Promise.resolve()
    expect(out.at(-1)).toEqual({ type: 'progress', id: 2, done: 500, total: 1200 })
    await hostHandle(host, { type: 'cancel', id: id(3), target: id(2) }, post)
    release()
    await running
    expect(out.at(-1)).toEqual({ type: 'failed', id: 2, message: 'cancelled' })
  })

  it('answers inspect and digest at past positions by replaying into a scratch engine', async () => {
    const host = createEngineHost(createServer)
    const { out, post } = collect()
    await hostHandle(
      host,
      { type: 'init', id: id(1), v: PROTOCOL_VERSION, session, trace: 'off' },
      post,
    )
    await hostHandle(host, { type: 'createClient', id: id(2) }, post)
    const created = out.at(-1)
    const c = created?.type === 'clientCreated' ? created.client : -1
    const digests: string[] = []
    for (const [i, v] of ['a', 'bb', 'ccc'].entries()) {
      await hostHandle(
        host,
        { type: 'exec', id: id(10 + i), argv: ['SET', 'k', v], client: c },
        post,
      )
      await hostHandle(host, { type: 'digest', id: id(20 + i) }, post)
      const d = out.at(-1)
      digests.push(d?.type === 'digested' ? d.digest : '')
    }
    // Positions 2..4 are after each SET (position 1 is the client connection).
    for (const p of [2, 3, 4, 2]) {
      await hostHandle(host, { type: 'digest', id: id(30 + p), position: p }, post)
      const d = out.at(-1)
      expect(d?.type === 'digested' && d.digest).toBe(digests[p - 2])
    }
    await hostHandle(host, { type: 'inspect', id: id(40), key: 'k', db: 0, position: 2 }, post)
    const v = out.at(-1)
    expect(v?.type === 'inspected' && v.view).toMatchObject({ value: 'a' })
  })
})
