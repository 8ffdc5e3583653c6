/**
 * Transactions and Pub/Sub as the clients panel sees them: the multi/* and pubsub/subscribed
 * events (multi.ts, keyspace/db.ts touchWatchedKey, commands/pubsub.ts) and the server-level
 * view inspect(null, { server: 'clients' }) (inspectClients.ts).
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import type { ClientsView } from '../../../src/engine/inspectClients.ts'

function setup() {
  const server = createServer({ seed: 3, clock: manualClock(1_800_000_000_000) })
  server.setTraceLevel('summary')
  const a = server.createClient()
  const b = server.createClient()
  const run = (id: number, ...argv: string[]) => server.execute(argv, id)
  const ofFamily = (events: readonly StepEvent[]) =>
    events.filter((e) => e.type.startsWith('multi/') || e.type.startsWith('pubsub/'))
  const view = () => server.inspect(null, { server: 'clients' }) as unknown as ClientsView
  return { server, a, b, run, ofFamily, view }
}

describe('multi/* events', () => {
  it('reports WATCH, a touch by another client, queueing and the aborted EXEC', () => {
    const { a, b, run, ofFamily } = setup()
    expect(ofFamily(run(a, 'WATCH', 'k').events)).toEqual([
      { type: 'multi/keyWatched', client: a, db: 0, key: 'k' },
    ])
    expect(ofFamily(run(b, 'SET', 'k', '1').events)).toEqual([
      { type: 'multi/watchTouched', db: 0, key: 'k', clients: [a], unwatched: true },
    ])
    expect(ofFamily(run(a, 'MULTI').events)).toEqual([{ type: 'multi/started', client: a }])
    const q = run(a, 'INCR', 'k')
    expect(q.reply).toEqual({ type: 'simple', value: 'QUEUED' })
    // Dirty CAS: Redis still answers QUEUED but stores nothing.
    expect(ofFamily(q.events)).toEqual([
      { type: 'multi/commandQueued', client: a, argv: ['INCR', 'k'], stored: false },
    ])
    const exec = run(a, 'EXEC')
    expect(exec.reply).toEqual({ type: 'array', value: null })
    expect(ofFamily(exec.events)).toEqual([
      { type: 'multi/execAborted', client: a, why: 'dirtyCas' },
    ])
  })

  it('reports a queueing error (EXECABORT) and a successful EXEC', () => {
    const { a, run, ofFamily } = setup()
    run(a, 'MULTI')
    expect(ofFamily(run(a, 'NOSUCH').events)).toEqual([{ type: 'multi/flagged', client: a }])
    expect(ofFamily(run(a, 'EXEC').events)).toEqual([
      { type: 'multi/execAborted', client: a, why: 'execAbort' },
    ])
    run(a, 'WATCH', 'k')
    run(a, 'MULTI')
    expect(ofFamily(run(a, 'SET', 'k', 'v').events)).toEqual([
      { type: 'multi/commandQueued', client: a, argv: ['SET', 'k', 'v'], stored: true },
    ])
    const exec = run(a, 'EXEC')
    expect(exec.reply).toEqual({ type: 'array', value: [{ type: 'simple', value: 'OK' }] })
    expect(ofFamily(exec.events)).toEqual([
      { type: 'multi/unwatched', client: a, keys: 1 },
      { type: 'multi/execRan', client: a, commands: 1 },
    ])
  })

  it('reports FLUSHDB flagging the watchers of existing keys without dropping their WATCHes', () => {
    const { a, b, run, ofFamily, view } = setup()
    run(b, 'SET', 'k', '1')
    run(a, 'WATCH', 'k', 'missing')
    expect(ofFamily(run(b, 'FLUSHDB').events)).toEqual([
      { type: 'multi/watchTouched', db: 0, key: 'k', clients: [a], unwatched: false },
    ])
    const ca = view().clients.find((c) => c.id === a)
    expect(ca?.flags).toEqual(['dirty-cas'])
    expect(ca?.watched).toHaveLength(2)
  })

  it('emits nothing with tracing off and replies the same', () => {
    const { server, a, b, run } = setup()
    server.setTraceLevel('off')
    run(a, 'WATCH', 'k')
    expect(run(b, 'SET', 'k', '1').events).toEqual([])
    expect(run(a, 'MULTI').events).toEqual([])
    expect(run(a, 'EXEC').reply).toEqual({ type: 'array', value: null })
  })
})

describe('pubsub/subscribed events', () => {
  it('reports each subscription and unsubscription with the count', () => {
    const { a, run, ofFamily } = setup()
    expect(ofFamily(run(a, 'SUBSCRIBE', 'news', 'x').events)).toEqual([
      { type: 'pubsub/subscribed', kind: 'channel', name: 'news', client: a, count: 1 },
      { type: 'pubsub/subscribed', kind: 'channel', name: 'x', client: a, count: 2 },
    ])
    expect(ofFamily(run(a, 'PSUBSCRIBE', 'n*').events)).toEqual([
      { type: 'pubsub/subscribed', kind: 'pattern', name: 'n*', client: a, count: 3 },
    ])
    expect(ofFamily(run(a, 'UNSUBSCRIBE', 'x').events)).toEqual([
      { type: 'pubsub/unsubscribed', kind: 'channel', name: 'x', client: a, count: 2 },
    ])
  })
})

describe('inspect(null, { server: "clients" })', () => {
  it('shows queues, flags, watched_keys and the Pub/Sub dicts', () => {
    const { a, b, run, view } = setup()
    run(a, 'WATCH', 'k', 'j')
    run(b, 'WATCH', 'k')
    run(a, 'MULTI')
    run(a, 'INCR', 'k')
    run(b, 'SUBSCRIBE', 'news')
    run(b, 'PSUBSCRIBE', 'n*')
    const v = view()
    expect(v.kind).toBe('clients')
    const ca = v.clients.find((c) => c.id === a)
    const cb = v.clients.find((c) => c.id === b)
    expect(ca).toMatchObject({
      flags: ['multi'],
      queued: [['INCR', 'k']],
      watched: [
        { db: 0, key: 'k' },
        { db: 0, key: 'j' },
      ],
    })
    expect(cb).toMatchObject({
      flags: ['subscribed'],
      channels: ['news'],
      patterns: ['n*'],
      watched: [{ db: 0, key: 'k' }],
    })
    expect(v.watchedKeys).toEqual([
      {
        db: 0,
        keys: [
          { key: 'j', clients: [a] },
          { key: 'k', clients: [a, b] },
        ],
      },
    ])
    expect(v.pubsubChannels).toEqual([{ channel: 'news', clients: [b] }])
    expect(v.pubsubPatterns).toEqual([{ pattern: 'n*', clients: [b] }])
    expect(v.truncated).toBe(false)
  })

  it('marks dirty CAS and cuts lists at the limit', () => {
    const { server, a, b, run } = setup()
    run(a, 'WATCH', 'k1', 'k2', 'k3')
    let v = server.inspect(null, { server: 'clients', limit: 2 }) as unknown as ClientsView
    expect(v.truncated).toBe(true)
    expect(v.clients.find((c) => c.id === a)?.watched).toHaveLength(2)
    run(b, 'SET', 'k2', 'x')
    v = server.inspect(null, { server: 'clients' }) as unknown as ClientsView
    expect(v.clients.find((c) => c.id === a)?.flags).toEqual(['dirty-cas'])
    expect(v.watchedKeys).toEqual([])
  })

  it('changes nothing: the digest and replies are the same after inspecting', () => {
    const { server, a, run } = setup()
    run(a, 'SUBSCRIBE', 'c')
    const d = server.digest()
    server.inspect(null, { server: 'clients' })
    expect(server.digest()).toBe(d)
  })
})
