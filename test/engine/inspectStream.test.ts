import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { StreamView } from '../../src/engine/inspectStream.ts'

function server() {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
  s.call(['CONFIG', 'SET', 'stream-node-max-entries', '2'])
  return s
}
const view = (s: ReturnType<typeof server>, limit?: number) =>
  s.inspect('s', limit === undefined ? {} : { limit }) as unknown as StreamView

describe('inspect(stream)', () => {
  it('draws the rax as rax.c shapes it: a 15-byte run, a split node, two leaves', () => {
    const s = server()
    for (const id of ['1-1', '1-2', '1-3']) s.call(['XADD', 's', id, 'f', 'v'])
    const v = view(s)
    expect(v.raxNodes).toBe(4)
    expect(v.rax.map((n) => [n.id, n.data, n.iscompr, n.iskey, n.master])).toEqual([
      ['', '000000000000000100000000000000', true, false, null],
      ['000000000000000100000000000000', '0103', false, false, null],
      ['00000000000000010000000000000001', '', false, true, '1-1'],
      ['00000000000000010000000000000003', '', false, true, '1-3'],
    ])
  })

  it('says why a listpack was started: first entry, max entries or max bytes', () => {
    const s = server()
    const reasons = (argv: string[]) =>
      s
        .execute(argv)
        .events.filter((e) => e.type === 'stream/nodeCreated')
        .map((e) => [e.reason, e.limit])
    expect(reasons(['XADD', 's', '1-1', 'f', 'v'])).toEqual([['empty', 0]])
    expect(reasons(['XADD', 's', '1-2', 'f', 'v'])).toEqual([])
    expect(reasons(['XADD', 's', '1-3', 'f', 'v'])).toEqual([['maxEntries', 2]])
    s.call(['CONFIG', 'SET', 'stream-node-max-bytes', '40'])
    expect(reasons(['XADD', 's', '1-4', 'f', 'x'.repeat(30)])).toEqual([['maxBytes', 40]])
  })

  it('lists each listpack with its master entry, entries and tombstones', () => {
    const s = server()
    s.call(['XADD', 's', '1-1', 'temp', '20', 'hum', '5'])
    s.call(['XADD', 's', '1-2', 'temp', '21'])
    s.call(['XADD', 's', '2-1', 'temp', '22', 'hum', '6'])
    s.call(['XDEL', 's', '1-2'])
    const v = view(s)
    expect(v.nodes.map((n) => [n.master, n.entries, n.deleted, n.masterFields])).toEqual([
      ['1-1', 1, 1, ['temp', 'hum']],
      ['2-1', 1, 0, ['temp', 'hum']],
    ])
    expect(v.nodes[0]?.items).toEqual([
      { id: '1-1', deleted: false, sameFields: true, fields: ['temp', '20', 'hum', '5'] },
      { id: '1-2', deleted: true, sameFields: false, fields: ['temp', '21'] },
    ])
    expect(v).toMatchObject({
      length: 2,
      lastId: '2-1',
      maxDeletedEntryId: '1-2',
      entriesAdded: '3',
    })
  })

  it('shows groups with their consumers and pending entries', () => {
    const s = server()
    for (const id of ['1-1', '1-2', '1-3']) s.call(['XADD', 's', id, 'f', 'v'])
    s.call(['XGROUP', 'CREATE', 's', 'g', '0'])
    s.call(['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'])
    s.call(['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'])
    s.call(['XACK', 's', 'g', '1-2'])
    expect(view(s).groups).toEqual([
      {
        name: 'g',
        lastDeliveredId: '1-3',
        entriesRead: '3',
        pending: 2,
        consumers: 2,
        consumerList: [
          { name: 'alice', pending: 1 },
          { name: 'bob', pending: 1 },
        ],
        pel: [
          { id: '1-1', consumer: 'alice', deliveries: '1' },
          { id: '1-3', consumer: 'bob', deliveries: '1' },
        ],
      },
    ])
  })

  it('stays bounded: `limit` listpacks, `limit` entries each and 2 × limit in all, the rax only down to them', () => {
    const s = server()
    for (let i = 1; i <= 40; i++) s.call(['XADD', 's', `${String(i)}-1`, 'f', 'v'])
    const v = view(s, 5)
    expect(v.truncated).toBe(true)
    expect(v.nodes.length).toBeLessThanOrEqual(5)
    expect(v.nodes.reduce((n, x) => n + x.items.length, 0)).toBeLessThanOrEqual(10)
    expect(Math.max(...v.nodes.map((n) => n.items.length))).toBeLessThanOrEqual(5)
    expect(v.rax.filter((n) => n.iskey).length).toBe(v.nodes.length)
    expect(v.raxKeys).toBe(20)
  })

  it('reports group changes as stream/groupChanged with the group view afterwards', () => {
    const s = server()
    s.call(['XADD', 's', '1-1', 'f', 'v'])
    s.call(['XGROUP', 'CREATE', 's', 'g', '0'])
    const t = s.execute(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'])
    const e = t.events.find((x) => x.type === 'stream/groupChanged')
    expect(e).toMatchObject({ cause: 'delivered', count: 1, group: view(s).groups[0] })
    const d = s.execute(['XGROUP', 'DESTROY', 's', 'g'])
    expect(d.events.find((x) => x.type === 'stream/groupChanged')).toMatchObject({
      cause: 'destroyed',
      group: null,
    })
  })

  it('tracing the stream and group events changes nothing: same replies and digest as trace off', () => {
    const script = [
      ['CONFIG', 'SET', 'stream-node-max-entries', '2'],
      ...['1-1', '1-2', '1-3', '2-1', '2-2'].map((id) => ['XADD', 's', id, 'f', id]),
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'b', '0', '1-2'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '0-0'],
      ['XACK', 's', 'g', '1-1'],
      ['XDEL', 's', '1-3'],
      ['XTRIM', 's', 'MAXLEN', '2'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
      ['XSETID', 's', '9-9'],
      ['XINFO', 'STREAM', 's', 'FULL'],
    ]
    const runs = (['off', 'summary', 'full'] as const).map((trace) => {
      const s = createServer({ seed: 9, clock: manualClock(), trace })
      const replies = script.map((argv) => s.call(argv))
      return { replies, digest: s.digest() }
    })
    expect(runs[1]).toEqual(runs[0])
    expect(runs[2]).toEqual(runs[0])
  })
})
