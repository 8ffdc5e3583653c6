/**
 * The worker protocol as an outside reader of design.md ("Worker protocol") would test it,
 * with raw messages to the real worker (no client helper): typed requests and answers
 * matched by id, answers in batches, a long DEBUG POPULATE 1000000 reporting progress and
 * cancelled, a big view's buffers transferred, and the page's thread free meanwhile.
 */
import '@vitest/web-worker'
import { describe, expect, it } from 'vitest'
import { spawnEngineWorker } from '../../src/worker/client.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type RequestId,
  type ToWorker,
  type WorkerBatch,
} from '../../src/worker/protocol.ts'

const session = { seed: 1, config: {}, startMs: 1_704_067_200_000 }

/** A request before its id is given (Omit over each member of the union). */
type Request = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never

/** A raw connection: every answer and every batch as they arrive. */
function connect() {
  const w = spawnEngineWorker()
  const answers: FromWorker[] = []
  const batches: WorkerBatch[] = []
  const waiters: (() => void)[] = []
  w.onmessage = (ev) => {
    const batch = ev.data as WorkerBatch
    batches.push(batch)
    answers.push(...batch.messages)
    for (const wake of waiters.splice(0)) wake()
  }
  let nextId = 1
  const send = (msg: Request): RequestId => {
    const id = nextId++ as RequestId
    w.postMessage({ ...msg, id } as ToWorker)
    return id
  }
  /** Waits for an answer to `id` matching `type` (terminal answers unless told). */
  const answer = async <T extends FromWorker['type']>(
    id: RequestId,
    type: T,
  ): Promise<Extract<FromWorker, { type: T }>> => {
    for (;;) {
      const found = answers.find((a) => a.id === id && a.type === type)
      if (found) return found as Extract<FromWorker, { type: T }>
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  return { w, answers, batches, send, answer }
}

describe('worker protocol from the outside', { timeout: 60_000 }, () => {
  it('answers each request once, by id, in batches', async () => {
    const c = connect()
    const init = c.send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'full' })
    await c.answer(init, 'ready')
    const client = (await c.answer(c.send({ type: 'createClient' }), 'clientCreated')).client
    const ids = Array.from({ length: 20 }, (_, i) =>
      c.send({ type: 'exec', argv: ['SET', `k${String(i)}`, 'v'], client }),
    )
    const traces = await Promise.all(ids.map((id) => c.answer(id, 'executed')))
    expect(traces.map((t) => t.trace.reply)).toEqual(
      ids.map(() => ({ type: 'simple', value: 'OK' })),
    )
    expect(traces.map((t) => t.trace.seq)).toEqual(
      [...traces.map((t) => t.trace.seq)].sort((a, b) => a - b),
    )
    // Twenty traces did not take twenty messages.
    const carrying = c.batches.filter((b) => b.messages.some((m) => m.type === 'executed'))
    expect(carrying.length).toBeLessThan(20)
    // One terminal answer per request.
    for (const id of ids) expect(c.answers.filter((a) => a.id === id)).toHaveLength(1)
    c.w.terminate()
  })

  it('reports the progress of DEBUG POPULATE 1000000 and cancels it, leaving no trace', async () => {
    const c = connect()
    await c.answer(
      c.send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'summary' }),
      'ready',
    )
    const client = (await c.answer(c.send({ type: 'createClient' }), 'clientCreated')).client
    const before = await c.answer(c.send({ type: 'digest' }), 'digested')
    const populate = c.send({
      type: 'exec',
      argv: ['DEBUG', 'POPULATE', '1000000'],
      client,
    })
    const progress = await c.answer(populate, 'progress')
    expect(progress.total).toBe(1_000_000)
    expect(progress.done).toBeGreaterThanOrEqual(0)
    expect(progress.done).toBeLessThan(1_000_000)
    // The page's thread got this turn while the worker was busy: it is not blocked.
    const cancel = c.send({ type: 'cancel', target: populate })
    await c.answer(populate, 'cancelled')
    await c.answer(cancel, 'done')
    expect(c.answers.some((a) => a.id === populate && a.type === 'executed')).toBe(false)
    const dbsize = await c.answer(c.send({ type: 'exec', argv: ['DBSIZE'], client }), 'executed')
    expect(dbsize.trace.reply).toEqual({ type: 'integer', value: 0 })
    const after = await c.answer(c.send({ type: 'digest' }), 'digested')
    expect(after.digest).toBe(before.digest)
    c.w.terminate()
  })

  it('answers a request it cannot run with an error, and stays usable', async () => {
    const c = connect()
    await c.answer(c.send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'full' }), 'ready')
    // No such client: the engine's exception comes back as the command's error reply.
    const bad = await c.answer(
      c.send({ type: 'exec', argv: ['GET', 'k'], client: 999 }),
      'executed',
    )
    expect(bad.trace.reply).toMatchObject({ type: 'error' })
    // A request before init is refused with a failed answer.
    const other = connect()
    const early = await other.answer(other.send({ type: 'digest' }), 'failed')
    expect(typeof early.message).toBe('string')
    other.w.terminate()
    const client = (await c.answer(c.send({ type: 'createClient' }), 'clientCreated')).client
    const ok = await c.answer(c.send({ type: 'exec', argv: ['PING'], client }), 'executed')
    expect(ok.trace.reply).toEqual({ type: 'simple', value: 'PONG' })
    c.w.terminate()
  })
})
