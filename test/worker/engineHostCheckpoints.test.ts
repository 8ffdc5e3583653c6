/**
 * Time travel through checkpoints (engineHost.ts + checkpoints.ts): stepping back across a
 * DEBUG POPULATE replays only the ops after the checkpoint taken behind it, and the state
 * seen at every position (digest, inspected views) is the one a replay from the seed gives.
 */
import { describe, expect, test } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle, type EngineHost } from '../../src/worker/engineHost.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type RequestId,
  type ToWorker,
} from '../../src/worker/protocol.ts'

/** A request without its id (Omit distributed over the union). */
type Request = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never

const session = { seed: 5, config: {}, startMs: 1_704_067_200_000 }

/** Sends one request and returns its last answer. */
function requester(host: EngineHost): (msg: Request) => Promise<FromWorker> {
  let next = 1
  return async (msg) => {
    const out: FromWorker[] = []
    await hostHandle(host, { ...msg, id: next++ as RequestId } as ToWorker, (m) => out.push(m))
    const last = out.at(-1)
    if (last === undefined) throw new Error('no answer')
    return last
  }
}

async function digestAt(
  send: (msg: Request) => Promise<FromWorker>,
  position: number,
): Promise<string> {
  const a = await send({ type: 'digest', position })
  if (a.type !== 'digested') throw new Error(a.type)
  return a.digest
}

async function viewAt(
  send: (msg: Request) => Promise<FromWorker>,
  position: number,
  key: string | null,
): Promise<unknown> {
  const a = await send({ type: 'inspect', key, db: 0, position })
  if (a.type !== 'inspected') throw new Error(a.type)
  return a.view
}

/** A session: a client, a key, DEBUG POPULATE `keys`, then 9 small ops and ticks. */
async function buildSession(
  host: EngineHost,
  keys = 100000,
): Promise<{
  send: (msg: Request) => Promise<FromWorker>
  head: number
  populatedAt: number
}> {
  const send = requester(host)
  await send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'summary' })
  const created = await send({ type: 'createClient' })
  const client = created.type === 'clientCreated' ? created.client : -1
  const exec = (...argv: string[]) => send({ type: 'exec', argv, client })
  await exec('SET', 'before', '1')
  await exec('DEBUG', 'POPULATE', String(keys))
  const populatedAt = 3
  for (let i = 0; i < 3; i++) {
    await exec('SET', `key:${String(i * 7)}`, `changed ${String(i)}`)
    await exec('PEXPIRE', `key:${String(1000 + i)}`, String(50 + i * 40))
    await send({ type: 'advanceClock', ms: 100 })
  }
  return { send, head: populatedAt + 9, populatedAt }
}

// Each test loads 100000 keys and clones them a few times: seconds, not milliseconds.
describe('engine host checkpoints', { timeout: 300_000 }, () => {
  test('stepping back across DEBUG POPULATE replays only the ops after its checkpoint', async () => {
    const host = createEngineHost(createServer)
    const { send, head, populatedAt } = await buildSession(host)
    const cps = host.checkpoints
    expect(cps.replayed).toBe(0)

    // The first step back has no checkpoint yet: it replays from the seed and takes one
    // right after the bulk load.
    await viewAt(send, head - 1, 'key:0')
    expect(cps.replayed).toBe(head - 1)
    expect(cps.store.items.map((c) => c.position)).toEqual([populatedAt])

    // Every further step back starts from a copy of that checkpoint.
    for (let p = head - 2; p >= populatedAt; p--) {
      const before = cps.replayed
      await viewAt(send, p, 'key:0')
      expect(cps.replayed - before).toBe(p - populatedAt)
    }
    // Before the checkpoint: from the seed again, without the bulk load.
    const before = cps.replayed
    await viewAt(send, populatedAt - 1, 'key:0')
    expect(cps.replayed - before).toBe(populatedAt - 1)
    expect(cps.store.items.map((c) => c.position)).toEqual([populatedAt])
  })

  test('the state at each position equals a replay from the seed', async () => {
    const host = createEngineHost(createServer)
    // Fewer keys: this test reads whole-dataset digests at many positions on two hosts.
    const { send, head, populatedAt } = await buildSession(host, 20000)
    // The reference never keeps a checkpoint (budget 0) and is read at increasing
    // positions, so it replays the log from the seed once.
    const reference = createEngineHost(createServer, undefined, {}, { budget: 0 })
    const ref = await buildSession(reference, 20000)
    const positions = [head - 1, head - 4, populatedAt + 1, populatedAt]
    const got = new Map<number, [string, unknown, unknown]>()
    for (const p of positions)
      got.set(p, [
        await digestAt(send, p),
        await viewAt(send, p, 'key:0'),
        await viewAt(send, p, null),
      ])
    expect(host.checkpoints.store.items.length).toBe(1)
    for (const p of [...positions].reverse()) {
      expect(got.get(p)).toEqual([
        await digestAt(ref.send, p),
        await viewAt(ref.send, p, 'key:0'),
        await viewAt(ref.send, p, null),
      ])
    }
    expect(reference.checkpoints.store.items).toEqual([])
    // The live head is untouched by all this.
    expect(await digestAt(send, head)).toBe(await digestAt(ref.send, head))
  })

  test('a new session or a replaced log drops the checkpoints', async () => {
    const host = createEngineHost(createServer)
    const { send, head } = await buildSession(host)
    await viewAt(send, head - 1, null)
    expect(host.checkpoints.store.items.length).toBe(1)
    await send({ type: 'replay', log: [{ t: 'client' }], traces: false })
    expect(host.checkpoints.store.items).toEqual([])
  })
})
