/**
 * Connections the server closes, through the engine host: an exec for a killed client does
 * not run and says `closed` (logged, so a replay says it again); a client that QUIT or killed
 * itself is closed right after its reply; a `reconnect` op gives a new client in its place
 * (client/connected), logged, so a replay rebuilds the same ids and dataset; a tab killed
 * while waiting in BLPOP is released and listed as `lost`.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import {
  PROTOCOL_VERSION,
  isWireConnect,
  type FromWorker,
  type RequestId,
  type WireConnect,
  type WireTrace,
} from '../../src/worker/protocol.ts'

const session = { seed: 11, config: {}, startMs: 1_704_067_200_000 }

async function twoTabs() {
  const host = createEngineHost(createServer)
  const out: FromWorker[] = []
  let next = 1
  const send = async (body: Record<string, unknown>): Promise<FromWorker | undefined> => {
    const rid = next++ as RequestId
    await hostHandle(host, { ...body, id: rid } as never, (m) => out.push(m))
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
  const reconnect = async (c: number): Promise<WireConnect> => {
    const m = await send({ type: 'reconnect', client: c })
    if (m?.type !== 'reconnected') throw new Error(JSON.stringify(m))
    return m.connect
  }
  const clientList = async (c: number) => {
    const r = (await exec(c, 'CLIENT', 'LIST')).reply
    return r.type === 'bulk' ? (r.value ?? '') : ''
  }
  return { host, send, a, b, exec, reconnect, clientList }
}

describe('a killed console client', () => {
  it('answers its next command with `closed`, logged, without running it', async () => {
    const { host, a, b, exec, clientList } = await twoTabs()
    await exec(b, 'SET', 'k', 'v')
    const kill = await exec(a, 'CLIENT', 'KILL', 'ID', String(b))
    expect(kill.reply).toEqual({ type: 'integer', value: 1 })
    expect(kill.events).toContainEqual({
      type: 'client/closed',
      client: b,
      reason: 'killed',
      afterReply: false,
    })
    const lost = await exec(b, 'DEL', 'k')
    expect(lost.closed).toBe(true)
    expect(lost.events).toEqual([])
    expect(host.log.at(-1)).toEqual({ t: 'exec', client: b, argv: ['DEL', 'k'], at: lost.at })
    // It never ran: the key is still there, and the killed client is gone from CLIENT LIST.
    expect((await exec(a, 'GET', 'k')).reply).toEqual({ type: 'bulk', value: 'v' })
    expect(await clientList(a)).not.toMatch(new RegExp(`id=${String(b)} `))
  })

  it('reconnects as a new client: next id, db 0, default user, no name', async () => {
    const { host, a, b, exec, reconnect, clientList } = await twoTabs()
    await exec(b, 'SELECT', '3')
    await exec(b, 'CLIENT', 'SETNAME', 'tab2')
    await exec(a, 'CLIENT', 'KILL', 'TYPE', 'normal')
    expect((await exec(b, 'PING')).closed).toBe(true)
    const c = await reconnect(b)
    expect(c.replaces).toBe(b)
    expect(c.connected).toBeGreaterThan(b)
    expect(c.events).toEqual([{ type: 'client/connected', client: c.connected, replaces: b }])
    expect(host.log.at(-1)).toEqual({ t: 'reconnect', client: b })
    const info = await exec(c.connected, 'CLIENT', 'INFO')
    expect(info.reply.type === 'bulk' ? info.reply.value : '').toMatch(
      new RegExp(`^id=${String(c.connected)} .* name= .* db=0 .* user=default .* resp=2`),
    )
    expect(await clientList(c.connected)).not.toMatch(new RegExp(`id=${String(b)} `))
  })

  it('closes a client that killed itself right after its reply', async () => {
    const { a, b, exec, clientList } = await twoTabs()
    const self = await exec(b, 'CLIENT', 'KILL', 'SKIPME', 'no', 'ID', String(b))
    expect(self.reply).toEqual({ type: 'integer', value: 1 })
    expect(await clientList(a)).not.toMatch(new RegExp(`id=${String(b)} `))
    expect((await exec(b, 'PING')).closed).toBe(true)
  })

  it('releases a tab killed in BLPOP and lists it as lost', async () => {
    const { a, b, exec } = await twoTabs()
    expect((await exec(b, 'BLPOP', 'q', '0')).blocked).toBe(true)
    const kill = await exec(a, 'CLIENT', 'KILL', 'ID', String(b))
    expect(kill.unblocked).toEqual([b])
    expect(kill.lost).toEqual([b])
  })

  it('replays kill, closed command and reconnect to the same ids and dataset', async () => {
    const first = await twoTabs()
    const { a, b, exec, reconnect } = first
    await exec(b, 'SET', 'x', '1')
    await exec(a, 'ACL', 'SETUSER', 'bob', 'on', 'nopass', '+@all', '~*')
    await exec(b, 'AUTH', 'bob', 'pw')
    await exec(a, 'ACL', 'DELUSER', 'bob')
    await exec(b, 'INCR', 'x')
    const c = await reconnect(b)
    await exec(c.connected, 'INCR', 'x')
    const digest = await first.send({ type: 'digest' })
    const log = [...first.host.log]

    const again = await twoTabs()
    const replayed = await again.send({ type: 'replay', log, traces: true })
    if (replayed?.type !== 'replayed') throw new Error('no replay')
    const connects = replayed.traces.filter(isWireConnect)
    expect(connects).toEqual([c])
    const closed = replayed.traces.filter((t) => 'seq' in t && t.closed === true)
    expect(closed).toHaveLength(1)
    expect(await again.send({ type: 'digest' })).toEqual({ ...digest, id: expect.any(Number) })
    expect((await again.exec(c.connected, 'GET', 'x')).reply).toEqual({ type: 'bulk', value: '2' })
  })

  it('rebuilds a past position across a reconnect (time travel)', async () => {
    const { a, b, exec, reconnect, send } = await twoTabs()
    await exec(a, 'CLIENT', 'KILL', 'ID', String(b))
    await exec(b, 'SET', 'lost', '1')
    const c = await reconnect(b)
    await exec(c.connected, 'SET', 'k', 'v')
    const view = await send({
      type: 'inspect',
      key: null,
      db: 0,
      position: c.position,
      server: 'clients',
    })
    if (view?.type !== 'inspected' || view.view === null) throw new Error('no view')
    const ids = (view.view as unknown as { clients: { id: number }[] }).clients.map((x) => x.id)
    expect(ids).toEqual([a, c.connected])
  })
})
