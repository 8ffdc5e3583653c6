/**
 * The client/* events (events.ts ClientEvent): a connection closed by CLIENT KILL, QUIT,
 * ACL DELUSER or ACL SETUSER taking channels away, SELECT and CLIENT SETNAME / HELLO
 * SETNAME; and that folding them onto the clients view before a command gives the view after
 * it (panels/clients/clientsModel.ts), the panel's "animation cannot lie" rule; and the flags a
 * transport holds for a client (hostClient), which those closes set.
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import type { ClientsView } from '../../../src/engine/inspectClients.ts'
import { foldClients } from '../../../src/panels/clients/clientsModel.ts'

function setup(trace: 'off' | 'summary' | 'full' = 'summary') {
  const server = createServer({ seed: 7, clock: manualClock(1_800_000_000_000), trace })
  const a = server.createClient()
  const b = server.createClient()
  const run = (id: number, ...argv: string[]) => server.execute(argv, id)
  const own = (events: readonly StepEvent[]) => events.filter((e) => e.type.startsWith('client/'))
  const view = () => server.inspect(null, { server: 'clients' }) as unknown as ClientsView
  return { server, a, b, run, own, view }
}

describe('client/closed', () => {
  it('reports CLIENT KILL ID of another client, gone at once with its watches', () => {
    const { server, a, b, run, own, view } = setup()
    run(b, 'WATCH', 'k')
    run(b, 'SUBSCRIBE', 'news')
    const before = view()
    const t = run(a, 'CLIENT', 'KILL', 'ID', String(b))
    expect(t.reply).toEqual({ type: 'integer', value: 1 })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: b, reason: 'killed', afterReply: false },
    ])
    expect(server.shouldClose(b)).toBe(true)
    const after = view()
    expect(after.clients.map((c) => c.id)).toEqual([a])
    const fold = t.events.filter((e) => /^(client|multi|pubsub)\//.test(e.type))
    expect(foldClients(before, fold, fold.length)).toEqual(after)
  })

  it('reports CLIENT KILL TYPE normal for every other client, not the caller (skipme)', () => {
    const { server, a, b, run, own } = setup()
    const c = server.createClient()
    const t = run(a, 'CLIENT', 'KILL', 'TYPE', 'normal')
    expect(t.reply).toEqual({ type: 'integer', value: 2 })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: b, reason: 'killed', afterReply: false },
      { type: 'client/closed', client: c, reason: 'killed', afterReply: false },
    ])
    expect(server.shouldClose(a)).toBe(false)
  })

  it('reports the caller killing itself as closed after its reply', () => {
    const { server, a, run, own } = setup()
    const t = run(a, 'CLIENT', 'KILL', 'SKIPME', 'no', 'ID', String(a))
    expect(t.reply).toEqual({ type: 'integer', value: 1 })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: a, reason: 'killed', afterReply: true },
    ])
    expect(server.shouldClose(a)).toBe(true)
  })

  it('reports QUIT as closed after the reply', () => {
    const { server, a, run, own } = setup()
    const t = run(a, 'QUIT')
    expect(t.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: a, reason: 'quit', afterReply: true },
    ])
    expect(server.shouldClose(a)).toBe(true)
  })

  it('reports ACL DELUSER closing the clients authenticated as that user', () => {
    const { server, a, b, run, own, view } = setup()
    run(a, 'ACL', 'SETUSER', 'bob', 'on', 'nopass', '+@all', '~*')
    expect(run(b, 'AUTH', 'bob', 'x').reply).toEqual({ type: 'simple', value: 'OK' })
    const before = view()
    const t = run(a, 'ACL', 'DELUSER', 'bob')
    expect(t.reply).toEqual({ type: 'integer', value: 1 })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: b, reason: 'userDeleted', afterReply: false },
    ])
    expect(server.shouldClose(b)).toBe(true)
    expect(foldClients(before, own(t.events), 1)).toEqual(view())
  })

  it('reports ACL SETUSER taking away the channels a subscriber listens to', () => {
    const { a, b, run, own, view } = setup()
    run(a, 'ACL', 'SETUSER', 'sub', 'on', 'nopass', '+@all', '~*', '&news')
    run(b, 'AUTH', 'sub', 'x')
    run(b, 'SUBSCRIBE', 'news')
    const before = view()
    const t = run(a, 'ACL', 'SETUSER', 'sub', 'resetchannels', '&other')
    expect(t.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(own(t.events)).toEqual([
      { type: 'client/closed', client: b, reason: 'channelsRevoked', afterReply: false },
    ])
    const fold = t.events.filter((e) => /^(client|multi|pubsub)\//.test(e.type))
    expect(foldClients(before, fold, fold.length)).toEqual(view())
  })
})

describe('client/dbSelected and client/named', () => {
  it('reports SELECT with the db before and after, and folds to the view after', () => {
    const { a, run, own, view } = setup()
    const before = view()
    const t = run(a, 'SELECT', '3')
    expect(own(t.events)).toEqual([{ type: 'client/dbSelected', client: a, from: 0, to: 3 }])
    expect(foldClients(before, own(t.events), 1)).toEqual(view())
    // A failed SELECT changes nothing and says nothing.
    expect(own(run(a, 'SELECT', '99').events)).toEqual([])
  })

  it('reports CLIENT SETNAME and HELLO SETNAME, not a refused name', () => {
    const { a, run, own, view } = setup()
    const before = view()
    const t = run(a, 'CLIENT', 'SETNAME', 'tab1')
    expect(own(t.events)).toEqual([{ type: 'client/named', client: a, name: 'tab1' }])
    expect(foldClients(before, own(t.events), 1)).toEqual(view())
    expect(own(run(a, 'HELLO', '2', 'SETNAME', 'tab2').events)).toEqual([
      { type: 'client/named', client: a, name: 'tab2' },
    ])
    expect(own(run(a, 'CLIENT', 'SETNAME', 'has space').events)).toEqual([])
  })

  it('builds nothing with tracing off, and replies the same', () => {
    const on = setup('full')
    const off = setup('off')
    for (const s of [on, off]) {
      s.run(s.a, 'SELECT', '2')
      s.run(s.a, 'CLIENT', 'SETNAME', 'x')
    }
    const tOn = on.run(on.a, 'CLIENT', 'KILL', 'ID', String(on.b))
    const tOff = off.run(off.a, 'CLIENT', 'KILL', 'ID', String(off.b))
    expect(tOff.reply).toEqual(tOn.reply)
    expect(tOff.events).toEqual([])
    expect(on.server.digest()).toBe(off.server.digest())
  })
})

describe('hostClient', () => {
  it('keeps the flags shouldClose and replySilenced tell current, freed clients included', () => {
    const { server, a, b } = setup('off')
    const ha = server.hostClient(a)
    const hb = server.hostClient(b)
    if (ha === null || hb === null) throw new Error('no hosted client')
    expect(server.hostClient(999)).toBeNull()
    expect(server.callHosted(['CLIENT', 'REPLY', 'OFF'], ha)).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect([ha.replySilenced, server.replySilenced?.(a)]).toEqual([true, true])
    expect(server.callHosted(['CLIENT', 'REPLY', 'ON'], ha)).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect([ha.replySilenced, server.replySilenced?.(a)]).toEqual([false, false])
    expect(server.callHosted(['CLIENT', 'KILL', 'ID', String(b)], ha)).toEqual({
      type: 'integer',
      value: 1,
    })
    expect([hb.closeAfterReply, server.shouldClose(b)]).toEqual([true, true])
    expect(() => server.callHosted(['PING'], hb)).toThrow(`no such client: ${String(b)}`)
    expect([ha.closeAfterReply, server.shouldClose(a)]).toEqual([false, false])
    server.callHosted(['QUIT'], ha)
    expect([ha.closeAfterReply, server.shouldClose(a)]).toEqual([true, true])
    // Closed by the transport: freed as well.
    const c = server.createClient()
    const hc = server.hostClient(c)
    server.closeClient(c)
    expect([hc?.closeAfterReply, server.shouldClose(c)]).toEqual([true, true])
  })
})
