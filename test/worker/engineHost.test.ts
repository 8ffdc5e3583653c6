import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle, type EngineHost } from '../../src/worker/engineHost.ts'
import { buildBatch, createOutbox } from '../../src/worker/outbox.ts'
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
    const { ask } = await hostWithClient()
    const populate = (await ask({ argv: ['DEBUG', 'POPULATE', '50'] })).at(-1)
    const set = (await ask({ argv: ['SET', 'k', 'v'] })).at(-1)
    expect(populate?.type === 'executed' && populate.trace.reply).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect(populate?.type === 'executed' && populate.trace.events).toEqual([])
    expect(set?.type === 'executed' && set.trace.events.length).toBeGreaterThan(0)
    expect(set?.type === 'executed' && set.trace.position).toBe(3)
  })

  it("names each command's first key as COMMAND GETKEYS finds it, for the panels", async () => {
    const { ask } = await hostWithClient()
    const keyOf = async (...argv: string[]) => {
      const done = (await ask({ argv })).at(-1)
      return done?.type === 'executed' ? done.trace.key : 'no trace'
    }
    expect(await keyOf('SET', 'k', 'v')).toBe('k')
    expect(await keyOf('XREAD', 'COUNT', '1', 'STREAMS', 's1', 's2', '0', '0')).toBe('s1')
    expect(await keyOf('ZUNIONSTORE', 'dst', '2', 'a', 'b')).toBe('dst')
    expect(await keyOf('LMPOP', '2', 'l1', 'l2', 'LEFT')).toBe('l1')
    expect(await keyOf('OBJECT', 'ENCODING', 'k')).toBe('k')
    expect(await keyOf('MEMORY', 'USAGE', 'k')).toBe('k')
    expect(await keyOf('SET', '中', 'v')).toBe('\xe4\xb8\xad')
    // No key: a channel, a command without keys, an unknown command, a wrong argument count.
    expect(await keyOf('PUBLISH', 'news', 'hi')).toBeUndefined()
    expect(await keyOf('PING', 'x')).toBeUndefined()
    expect(await keyOf('GETT', 'x')).toBeUndefined()
    expect(await keyOf('GET', 'a', 'b')).toBeUndefined()
  })

  it('tells when a command let virtual time pass (DEBUG SLEEP), and the next one starts then', async () => {
    const { ask } = await hostWithClient()
    const done = (await ask({ argv: ['DEBUG', 'SLEEP', '2.5'] })).at(-1)
    const trace = done?.type === 'executed' ? done.trace : null
    expect(trace?.end).toBe((trace?.at ?? 0) + 2500)
    const next = (await ask({ argv: ['PING'] })).at(-1)
    const ping = next?.type === 'executed' ? next.trace : null
    expect(ping?.at).toBe(trace?.end)
    expect(ping && 'end' in ping).toBe(false)
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
    expect(out.at(-1)).toEqual({ type: 'cancelled', id: 2 })
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

/** A host on the real engine with fixed slices, initialised, with one client. */
async function hostWithClient(units = 1000, yieldNow?: () => Promise<void>) {
  const host = createEngineHost(createServer, yieldNow, { units, fixed: true })
  const { out, post } = collect()
  await hostHandle(
    host,
    { type: 'init', id: id(1), v: PROTOCOL_VERSION, session, trace: 'full' },
    post,
  )
  await hostHandle(host, { type: 'createClient', id: id(2) }, post)
  const created = out.at(-1)
  const c = created?.type === 'clientCreated' ? created.client : -1
  let next = 100
  const ask = async (body: Omit<Extract<ToWorker, { type: 'exec' }>, 'id' | 'type' | 'client'>) => {
    const rid = id(next++)
    await hostHandle(host, { type: 'exec', id: rid, client: c, ...body }, post)
    return out.filter((m) => m.id === rid)
  }
  let nextDigest = 500
  const digest = async () => {
    await hostHandle(host, { type: 'digest', id: id(nextDigest++) }, post)
    const d = out.at(-1)
    return d?.type === 'digested' ? d.digest : ''
  }
  return { host, out, post, c, ask, digest }
}

function replyOf(answers: readonly FromWorker[]) {
  const last = answers.at(-1)
  return last?.type === 'executed' ? last.trace.reply : last
}

describe('long commands in slices', () => {
  it('posts progress between slices, then the trace', async () => {
    const { ask } = await hostWithClient(1000)
    const answers = await ask({ argv: ['DEBUG', 'POPULATE', '3500'] })
    expect(answers.slice(0, -1)).toEqual([
      { type: 'progress', id: 100, done: 1000, total: 3500 },
      { type: 'progress', id: 100, done: 2000, total: 3500 },
      { type: 'progress', id: 100, done: 3000, total: 3500 },
    ])
    expect(replyOf(answers)).toEqual({ type: 'simple', value: 'OK' })
    expect(answers.at(-1)).toMatchObject({ trace: { position: 2, events: [] } })
    expect(replyOf(await ask({ argv: ['DBSIZE'] }))).toEqual({ type: 'integer', value: 3500 })
  })

  it('leaves no trace of a command cancelled halfway: same digest, same log, engine usable', async () => {
    for (const timeTravelFirst of [false, true]) {
      let yields = 0
      let cancel: () => Promise<void> = () => Promise.resolve()
      const h = await hostWithClient(500, async () => {
        if (++yields === 3) await cancel()
      })
      const { host, ask, digest, post } = h
      await ask({ argv: ['SET', 'a', '1'] })
      await ask({ argv: ['DEBUG', 'POPULATE', '700', 'old'] })
      await ask({ argv: ['SET', 'b', '2'] })
      // Time travel first leaves a scratch engine behind the head, which the rebuild reuses.
      if (timeTravelFirst) await hostHandle(host, { type: 'digest', id: id(50), position: 2 }, post)
      yields = 0
      const before = await digest()
      const log = structuredClone(host.log)
      cancel = () => hostHandle(host, { type: 'cancel', id: id(60), target: id(103) }, post)
      const answers = await ask({ argv: ['DEBUG', 'POPULATE', '5000'] })
      expect(answers.at(-2)).toEqual({ type: 'progress', id: 103, done: 1500, total: 5000 })
      expect(answers.at(-1)).toEqual({ type: 'cancelled', id: 103 })
      expect(await digest()).toBe(before)
      expect(host.log).toEqual(log)
      expect(replyOf(await ask({ argv: ['DBSIZE'] }))).toEqual({ type: 'integer', value: 702 })
      const set = await ask({ argv: ['SET', 'c', '3'] })
      expect(set.at(-1)).toMatchObject({ trace: { position: 6, seq: 5 } })
    }
  })

  it('never starts a command cancelled while it waits in the queue', async () => {
    const { host, post, ask } = await hostWithClient()
    await hostHandle(host, { type: 'cancel', id: id(7), target: id(100) }, post)
    expect(await ask({ argv: ['DEBUG', 'POPULATE', '10'] })).toEqual([
      { type: 'cancelled', id: 100 },
    ])
    expect(replyOf(await ask({ argv: ['DBSIZE'] }))).toEqual({ type: 'integer', value: 0 })
  })
})

describe('outbox', () => {
  async function bigKeyspace(
    host: EngineHost,
    post: (m: FromWorker) => void,
    out: FromWorker[],
    client: number,
  ) {
    await hostHandle(
      host,
      { type: 'exec', id: id(10), argv: ['DEBUG', 'POPULATE', '3000'], client },
      post,
    )
    await hostHandle(host, { type: 'inspect', id: id(11), key: null, db: 0 }, post)
    const m = out.at(-1)
    if (m?.type !== 'inspected') throw new Error('no view')
    return m
  }

  it('transfers the occupancy buffers of a big dict view instead of copying them', async () => {
    const { host, post, out, c } = await hostWithClient()
    const m = await bigKeyspace(host, post, out, c)
    const tables = (m.view?.['dict'] as { tables: { occupancy?: Uint16Array }[] }).tables
    const buffers = tables.map((t) => t.occupancy?.buffer)
    expect(buffers.length).toBeGreaterThan(0)
    expect(buffers.every((b) => b instanceof ArrayBuffer && b.byteLength >= 2 * 3000)).toBe(true)
    const { batch, transfer } = buildBatch([{ type: 'progress', id: id(1), done: 1, total: 2 }, m])
    expect(batch.messages).toHaveLength(2)
    expect(new Set(transfer)).toEqual(new Set(buffers))
  })

  it('sends one batch per flush, keeping only the newest progress of a request', () => {
    const sent: { batch: unknown; transfer: ArrayBuffer[] }[] = []
    let flush: () => void = () => undefined
    const outbox = createOutbox(
      (batch, transfer) => sent.push({ batch, transfer }),
      (f) => (flush = f),
    )
    outbox.post({ type: 'progress', id: id(1), done: 1, total: 9 })
    outbox.post({ type: 'progress', id: id(1), done: 5, total: 9 })
    outbox.post({ type: 'done', id: id(2) })
    outbox.post({ type: 'progress', id: id(1), done: 7, total: 9 })
    flush()
    expect(sent).toEqual([
      {
        batch: {
          type: 'batch',
          messages: [
            { type: 'progress', id: 1, done: 5, total: 9 },
            { type: 'done', id: 2 },
            { type: 'progress', id: 1, done: 7, total: 9 },
          ],
        },
        transfer: [],
      },
    ])
  })
})
