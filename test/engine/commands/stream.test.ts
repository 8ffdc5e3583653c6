import { describe, expect, it } from 'vitest'
import { lpEntries } from '../../../src/engine/structures/listpack.ts'
import {
  streamNodes,
  streamValidate,
  type StreamObject,
} from '../../../src/engine/types/t_stream.ts'
import { createTypeHarness, flat } from '../types/typeHarness.ts'

function stream(t: ReturnType<typeof createTypeHarness>, key = 's'): StreamObject {
  return t.obj(key) as StreamObject
}

describe('streamAppendItem', () => {
  it('writes the master entry, then entries as deltas with SAMEFIELDS when the fields match', () => {
    const t = createTypeHarness()
    t.exec('XADD', 's', '5-1', 'a', '1', 'b', 'x')
    t.exec('XADD', 's', '7-0', 'a', '2', 'b', 'y')
    t.exec('XADD', 's', '7-3', 'c', 'z')
    const [first] = streamNodes(stream(t).ptr)
    expect(first?.master).toEqual({ ms: 5n, seq: 1n })
    // count deleted num-fields f1 f2 0 | flags ms-diff seq-diff values lp-count | ...
    expect(lpEntries(first?.node.lp ?? { buf: new Uint8Array() })).toEqual([
      '3',
      '0',
      '2',
      'a',
      'b',
      '0',
      '2',
      '0',
      '0',
      '1',
      'x',
      '5',
      '2',
      '2',
      '-1',
      '2',
      'y',
      '5',
      '0',
      '2',
      '2',
      '1',
      'c',
      'z',
      '6',
    ])
    expect(streamValidate(stream(t).ptr)).toEqual([])
  })

  it('starts a new listpack at stream-node-max-entries and reports the rax nodes it took', () => {
    const t = createTypeHarness(1, 'summary')
    t.exec('CONFIG', 'SET', 'stream-node-max-entries', '2')
    t.exec('XADD', 's', '1-1', 'f', 'v')
    expect(t.events.filter((e) => e.type === 'stream/nodeCreated')).toEqual([
      expect.objectContaining({ master: '1-1', raxNodesBefore: 1, raxNodesAfter: 2, nodes: 1 }),
    ])
    t.exec('XADD', 's', '1-2', 'f', 'v')
    expect(t.events.map((e) => e.type)).toContain('stream/entryAppended')
    t.exec('XADD', 's', '1-3', 'f', 'v')
    // 1-1 and 1-3 differ in the last byte: a 15-byte run, a 2-edge split node, 2 leaves.
    expect(t.events.find((e) => e.type === 'stream/nodeCreated')).toMatchObject({
      master: '1-3',
      raxNodesBefore: 2,
      raxNodesAfter: 4,
      nodes: 2,
    })
    expect(flat(t.exec('XINFO', 'STREAM', 's'))).toContain(4)
  })

  it('pre-allocates 4096 bytes, shrinks a full listpack to fit, and MEMORY USAGE reads that', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'stream-node-max-entries', '1')
    t.exec('XADD', 's', '1-1', 'f', 'v')
    expect(streamNodes(stream(t).ptr)[0]?.node.alloc).toBe(4096)
    t.exec('XADD', 's', '2-1', 'f', 'v')
    const [a, b] = streamNodes(stream(t).ptr)
    expect(a?.node.alloc).toBe(32) // 27 bytes in the 32-byte size class
    expect(b?.node.alloc).toBe(4096)
  })
})

describe('XDEL and XTRIM', () => {
  it('tombstones entries, drops an emptied node, and tracks first and max-deleted IDs', () => {
    const t = createTypeHarness(1, 'summary')
    t.exec('CONFIG', 'SET', 'stream-node-max-entries', '2')
    for (const id of ['1-1', '1-2', '2-1', '2-2']) t.exec('XADD', 's', id, 'f', 'v')
    expect(flat(t.exec('XDEL', 's', '1-1'))).toBe(1)
    expect(t.events.map((e) => e.type)).toEqual(['stream/entryDeleted'])
    expect(flat(t.exec('XDEL', 's', '1-2'))).toBe(1)
    expect(t.events.map((e) => e.type)).toEqual(['stream/entryDeleted', 'stream/nodeDeleted'])
    const info = flat(t.exec('XINFO', 'STREAM', 's')) as unknown[]
    expect(info.slice(0, 14)).toEqual([
      'length',
      2,
      'radix-tree-keys',
      1,
      'radix-tree-nodes',
      2,
      'last-generated-id',
      '2-2',
      'max-deleted-entry-id',
      '1-2',
      'entries-added',
      4,
      'recorded-first-entry-id',
      '2-1',
    ])
    expect(flat(t.exec('XTRIM', 's', 'MAXLEN', '0'))).toBe(2)
    expect(flat(t.exec('EXISTS', 's'))).toBe(1)
    expect(streamValidate(stream(t).ptr)).toEqual([])
  })
})

describe('consumer groups on a manual clock', () => {
  function setup(): { t: ReturnType<typeof createTypeHarness>; advance: (ms: number) => void } {
    const t = createTypeHarness()
    const clock = t.srv.clock as unknown as { advance(ms: number): void }
    for (const id of ['1-1', '1-2', '1-3']) t.exec('XADD', 's', id, 'f', 'v')
    t.exec('XGROUP', 'CREATE', 's', 'g', '0')
    return { t, advance: (ms) => clock.advance(ms) }
  }

  it('XPENDING reports the time since delivery and filters by IDLE', () => {
    const { t, advance } = setup()
    t.exec('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>')
    advance(500)
    t.exec('XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>')
    advance(250)
    expect(flat(t.exec('XPENDING', 's', 'g', '-', '+', '10'))).toEqual([
      ['1-1', 'alice', 750, 1],
      ['1-2', 'alice', 750, 1],
      ['1-3', 'bob', 250, 1],
    ])
    expect(flat(t.exec('XPENDING', 's', 'g', 'IDLE', '300', '-', '+', '10'))).toEqual([
      ['1-1', 'alice', 750, 1],
      ['1-2', 'alice', 750, 1],
    ])
    const consumers = flat(t.exec('XINFO', 'CONSUMERS', 's', 'g'))
    expect(consumers).toEqual([
      ['name', 'alice', 'pending', 2, 'idle', 750],
      ['name', 'bob', 'pending', 1, 'idle', 250],
    ])
  })

  it('XCLAIM honours min-idle-time, IDLE and RETRYCOUNT; XAUTOCLAIM moves what is idle enough', () => {
    const { t, advance } = setup()
    t.exec('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>')
    advance(1000)
    expect(flat(t.exec('XCLAIM', 's', 'g', 'bob', '2000', '1-1', 'JUSTID'))).toEqual([])
    expect(
      flat(t.exec('XCLAIM', 's', 'g', 'bob', '500', '1-1', 'IDLE', '100', 'RETRYCOUNT', '5')),
    ).toEqual([['1-1', ['f', 'v']]])
    expect(flat(t.exec('XPENDING', 's', 'g', '-', '+', '1'))).toEqual([['1-1', 'bob', 100, 5]])
    expect(flat(t.exec('XAUTOCLAIM', 's', 'g', 'carol', '500', '0', 'JUSTID'))).toEqual([
      '0-0',
      ['1-2', '1-3'],
      [],
    ])
    expect(flat(t.exec('XPENDING', 's', 'g'))).toEqual([
      3,
      '1-1',
      '1-3',
      [
        ['bob', '1'],
        ['carol', '2'],
      ],
    ])
    const o = t.obj('s') as StreamObject
    expect(streamValidate(o.ptr)).toEqual([])
  })
})

describe('inspect', () => {
  it('shows the listpack nodes of the rax with their master entries and sizes', async () => {
    const { createServer } = await import('../../../src/engine/index.ts')
    const srv = createServer({ seed: 1 })
    srv.call(['CONFIG', 'SET', 'stream-node-max-entries', '2'])
    for (const id of ['1-1', '1-2', '2-1']) srv.call(['XADD', 's', id, 'temp', '20', 'hum', '5'])
    srv.call(['XGROUP', 'CREATE', 's', 'g', '0'])
    expect(srv.inspect('s')).toMatchObject({
      kind: 'stream',
      length: 3,
      lastId: '2-1',
      raxKeys: 2,
      nodes: [
        { master: '1-1', entries: 2, deleted: 0, masterFields: ['temp', 'hum'] },
        { master: '2-1', entries: 1, deleted: 0, alloc: 4096 },
      ],
      truncated: false,
      groups: [{ name: 'g', lastDeliveredId: '0-0', pending: 0, consumers: 0 }],
    })
  })
})

describe('clone', () => {
  it('copies streams with their groups; NACKs stay shared between group and consumer PELs', async () => {
    const { createServer } = await import('../../../src/engine/index.ts')
    const { manualClock } = await import('../../../src/engine/clock.ts')
    const srv = createServer({ seed: 1, clock: manualClock() })
    for (const id of ['1-1', '1-2', '2-1']) srv.call(['XADD', 's', id, 'f', 'v'])
    srv.call(['XGROUP', 'CREATE', 's', 'g', '0'])
    srv.call(['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'])
    const copy = srv.clone?.(manualClock())
    expect(copy).toBeDefined()
    if (copy === undefined) return
    for (const argv of [
      ['XACK', 's', 'g', '1-1'],
      ['XPENDING', 's', 'g'],
      ['XCLAIM', 's', 'g', 'bob', '0', '1-2', 'JUSTID'],
      ['XPENDING', 's', 'g'],
      ['XADD', 's', '3-1', 'f', 'w'],
      ['XINFO', 'STREAM', 's'],
      ['MEMORY', 'USAGE', 's'],
    ])
      expect(copy.call(argv)).toEqual(srv.call(argv))
    expect(copy.digest()).toBe(srv.digest())
    expect(flat(copy.call(['XPENDING', 's', 'g']))).toEqual([
      2,
      '1-2',
      '2-1',
      [
        ['alice', '1'],
        ['bob', '1'],
      ],
    ])
  })
})
