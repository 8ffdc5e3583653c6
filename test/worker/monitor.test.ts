import { describe, expect, it } from 'vitest'
import type { ClientId } from '../../src/engine/api.ts'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type RequestId,
  type WireTrace,
} from '../../src/worker/protocol.ts'

const session = { seed: 1, config: {}, startMs: 1_704_067_200_000 }

/** A host with two clients (a monitor and a worker) and helpers to talk to it. */
async function twoClients() {
  const host = createEngineHost(createServer)
  const out: FromWorker[] = []
  const post = (m: FromWorker) => out.push(m)
  let next = 1
  const send = async (msg: Record<string, unknown> & { type: string }) => {
    const rid = next++ as RequestId
    await hostHandle(host, { ...msg, id: rid } as Parameters<typeof hostHandle>[1], post)
    return out.filter((m) => m.id === rid).at(-1)
  }
  await send({ type: 'init', v: PROTOCOL_VERSION, session, trace: 'full' })
  const open = async () => {
    const m = await send({ type: 'createClient' })
    return m?.type === 'clientCreated' ? m.client : (-1 as ClientId)
  }
  const monitor = await open()
  const other = await open()
  const exec = async (client: ClientId, ...argv: string[]): Promise<WireTrace> => {
    const m = await send({ type: 'exec', argv, client })
    if (m?.type !== 'executed') throw new Error(`no trace: ${JSON.stringify(m)}`)
    return m.trace
  }
  return { host, send, monitor, other, exec }
}

const LINE = /^\+\d+\.\d{6} \[0 [\d.]+:\d+\] "SET" "k" "v"\r\n$/

describe('MONITOR output through the worker host', () => {
  it("carries a second client's command to the monitor on that command's trace", async () => {
    const { monitor, other, exec } = await twoClients()
    const ok = await exec(monitor, 'MONITOR')
    expect(ok.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(ok.output).toBeUndefined()
    const set = await exec(other, 'SET', 'k', 'v')
    expect(set.output).toHaveLength(1)
    const [to, text] = set.output?.[0] ?? []
    expect(to).toBe(monitor)
    expect(text).toMatch(LINE)
    // Taken once: the next command carries only its own line.
    const get = await exec(other, 'GET', 'k')
    expect(get.output?.map(([c, t]) => [c, t.split('] ')[1]])).toEqual([[monitor, '"GET" "k"\r\n']])
  })

  it('drops the lines of commands replayed for time travel and of its own look-ups', async () => {
    const { send, monitor, other, exec } = await twoClients()
    await exec(monitor, 'MONITOR')
    await exec(other, 'SET', 'a', '1')
    await exec(other, 'SET', 'b', '2')
    // The scratch engine replays up to a past position (MONITOR and SET a included).
    await send({ type: 'inspect', key: 'a', db: 0, position: 4 })
    await send({ type: 'digest', position: 4 })
    await send({ type: 'commands' })
    const next = await exec(other, 'SET', 'k', 'v')
    expect(next.output).toHaveLength(1)
    expect(next.output?.[0]?.[1]).toMatch(LINE)
  })

  it('rebuilds the lines on a replay with traces, and none without', async () => {
    const { host, send, monitor, other, exec } = await twoClients()
    await exec(monitor, 'MONITOR')
    await exec(other, 'SET', 'k', 'v')
    const log = [...host.log]
    const replayed = await send({ type: 'replay', log, traces: true })
    if (replayed?.type !== 'replayed') throw new Error('no replay')
    const outputs = replayed.traces.flatMap((t) => t.output ?? [])
    expect(outputs).toHaveLength(1)
    expect(outputs[0]?.[0]).toBe(monitor)
    expect(outputs[0]?.[1]).toMatch(LINE)
    await send({ type: 'replay', log, traces: false })
    const get = await exec(other, 'GET', 'k')
    expect(get.output).toHaveLength(1)
  })
})
