/**
 * The engine host with real blocking (console clients no longer deny blocking): a blocked exec
 * says `blocked`, the op that releases it lists the client in `unblocked` and carries its late
 * reply as output; an exec for a waiting client is refused and not logged; a replay and a
 * rebuild after a cancelled command keep telling the same story.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type RequestId,
  type WireTick,
  type WireTrace,
} from '../../src/worker/protocol.ts'

const session = { seed: 7, config: {}, startMs: 1_704_067_200_000 }

async function twoClients(yieldNow?: () => Promise<void>) {
  const host = createEngineHost(createServer, yieldNow, { units: 10, fixed: true })
  const out: FromWorker[] = []
  const post = (m: FromWorker) => out.push(m)
  let next = 1
  const send = async (body: Record<string, unknown>): Promise<FromWorker | undefined> => {
    const rid = next++ as RequestId
    await hostHandle(host, { ...body, id: rid } as never, post)
    return out.filter((m) => m.id === rid).at(-1)
  }
  await send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'full' })
  const client = async () => {
    const m = await send({ type: 'createClient' })
    return m?.type === 'clientCreated' ? m.client : -1
  }
  const a = await client()
  const b = await client()
  const exec = async (c: number, ...argv: string[]): Promise<WireTrace> => {
    const m = await send({ type: 'exec', client: c, argv })
    if (m?.type !== 'executed') throw new Error(JSON.stringify(m))
    return m.trace
  }
  const tick = async (ms: number): Promise<WireTick | undefined> => {
    const m = await send({ type: 'advanceClock', ms })
    return m?.type === 'ticked' ? m.tick : undefined
  }
  return { host, out, send, a, b, exec, tick }
}

describe('blocking commands through the engine host', () => {
  it('blocks BLPOP, refuses the waiting client, and serves it on a push', async () => {
    const { host, send, a, b, exec } = await twoClients()
    const blpop = await exec(a, 'BLPOP', 'queue', '0')
    expect(blpop.blocked).toBe(true)
    expect(blpop.output).toBeUndefined()
    const logged = host.log.length
    const refused = await send({ type: 'exec', client: a, argv: ['GET', 'k'] })
    expect(refused).toMatchObject({ type: 'failed', message: expect.stringMatching(/waiting/) })
    expect(host.log.length).toBe(logged)
    const push = await exec(b, 'RPUSH', 'queue', 'job')
    expect(push.blocked).toBeUndefined()
    expect(push.unblocked).toEqual([a])
    expect(push.output).toEqual([[a, '*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n']])
    expect((await exec(a, 'LLEN', 'queue')).reply).toEqual({ type: 'integer', value: 0 })
  })

  it('times out on a clock tick with a nil reply, and CLIENT UNBLOCK releases a waiter', async () => {
    const { a, b, exec, tick } = await twoClients()
    await exec(a, 'BLPOP', 'queue', '1')
    expect((await tick(500))?.unblocked).toBeUndefined()
    const late = await tick(1000)
    expect(late?.unblocked).toEqual([a])
    expect(late?.output).toEqual([[a, '*-1\r\n']])
    await exec(a, 'BZPOPMIN', 'z', '0')
    const unblock = await exec(b, 'CLIENT', 'UNBLOCK', String(a))
    expect(unblock.reply).toEqual({ type: 'integer', value: 1 })
    expect(unblock.unblocked).toEqual([a])
    expect(unblock.output).toEqual([[a, '*-1\r\n']])
  })

  it('replays the log with the same blocked and unblocked marks', async () => {
    const { host, send, a, b, exec } = await twoClients()
    await exec(a, 'BLPOP', 'q', '0')
    await exec(b, 'LPUSH', 'q', 'x')
    await exec(a, 'BLPOP', 'q', '0')
    const replayed = await send({ type: 'replay', log: [...host.log], traces: true })
    if (replayed?.type !== 'replayed') throw new Error('no replay')
    const marks = replayed.traces.flatMap((t) =>
      'seq' in t ? [[t.argv[0], t.blocked ?? false, t.unblocked ?? []]] : [],
    )
    expect(marks).toEqual([
      ['BLPOP', true, []],
      ['LPUSH', false, [a]],
      ['BLPOP', true, []],
    ])
    expect((await exec(b, 'RPUSH', 'q', 'y')).unblocked).toEqual([a])
  })

  it('still knows who waits after a cancelled command rebuilds the live engine', async () => {
    let cancel: (() => Promise<unknown>) | null = null
    const t = await twoClients(async () => {
      const c = cancel
      cancel = null
      if (c) await c()
    })
    await t.exec(t.a, 'BLPOP', 'q', '0')
    const populateId = 1000 as RequestId
    cancel = () => t.send({ type: 'cancel', target: populateId })
    await hostHandle(
      t.host,
      { type: 'exec', id: populateId, client: t.b, argv: ['DEBUG', 'POPULATE', '100'] },
      (m) => t.out.push(m),
    )
    expect(t.out.filter((m) => m.id === populateId).at(-1)?.type).toBe('cancelled')
    expect((await t.exec(t.b, 'RPUSH', 'q', 'y')).unblocked).toEqual([t.a])
  })
})

describe('CLIENT PAUSE through the engine host', () => {
  it('a postponed command waits like a blocked one; the pause timeout releases it', async () => {
    const { a, b, exec, tick } = await twoClients()
    await exec(a, 'CLIENT', 'PAUSE', '1000', 'WRITE')
    const set = await exec(b, 'SET', 'k', 'v')
    expect(set.blocked).toBe(true)
    expect((await exec(a, 'GET', 'k')).reply).toEqual({ type: 'bulk', value: null })
    expect((await tick(500))?.unblocked).toBeUndefined()
    const late = await tick(600)
    expect(late?.unblocked).toEqual([b])
    expect(late?.output).toEqual([[b, '+OK\r\n']])
    expect((await exec(a, 'GET', 'k')).reply).toEqual({ type: 'bulk', value: 'v' })
  })

  it('CLIENT UNBLOCK cannot release a postponed client; CLIENT UNPAUSE does', async () => {
    const { a, b, exec } = await twoClients()
    await exec(a, 'CLIENT', 'PAUSE', '100000', 'WRITE')
    await exec(b, 'INCR', 'n')
    const unblock = await exec(a, 'CLIENT', 'UNBLOCK', String(b))
    expect(unblock.reply).toEqual({ type: 'integer', value: 0 })
    expect(unblock.unblocked).toBeUndefined()
    const unpause = await exec(a, 'CLIENT', 'UNPAUSE')
    expect(unpause.unblocked).toEqual([b])
    expect(unpause.output).toEqual([[b, ':1\r\n']])
  })
})
