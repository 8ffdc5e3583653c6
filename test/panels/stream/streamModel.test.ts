import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { StreamView } from '../../../src/engine/inspectStream.ts'
import {
  applyStreamEvent,
  emptyStreamModel,
  firstLiveId,
  layoutStream,
  LP_W,
  raxShape,
  streamIdHex,
  streamModelFromView,
  type StreamModel,
} from '../../../src/panels/stream/streamModel.ts'

function view(s: ReturnType<typeof createServer>): StreamView | null {
  const v = s.inspect('s', { limit: 100_000 })
  return v?.kind === 'stream' ? (v as unknown as StreamView) : null
}

/** What the fold knows (listpack bytes change when a tombstone re-encodes the counters: not folded). */
function shape(m: StreamModel) {
  return {
    length: m.length,
    lastId: m.lastId,
    entriesAdded: m.entriesAdded,
    maxDeletedEntryId: m.maxDeletedEntryId,
    raxNodes: m.raxNodes,
    rax: m.rax,
    nodes: m.nodes.map((n) => [n.master, n.entries, n.deleted, n.items]),
    groups: m.groups,
  }
}

/** Event types the property runs folded (checked below: the runs reach every case). */
const seen = new Set<string>()

// XADD * makes IDs <ms>-0 with ms the clock (1 to 61 here): most IDs land near them, so that
// XDEL, XACK and MINID hit live entries; a few go past the end.
const id = fc.tuple(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
    fc.integer({ min: 0, max: 300 }),
  ),
  fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 3 })),
)
const ids = fc
  .array(id, { minLength: 1, maxLength: 4 })
  .map((xs) => xs.map(([a, b]) => `${String(a)}-${String(b)}`))
const field = fc.constantFrom('f', 'g', 'temp')
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(field, fc.string({ maxLength: 6 }))
      .map(([f, v]) => ['XADD', 's', '*', f, v]),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(field, field).map(([f, g]) => ['XADD', 's', '*', f, '1', g, '2']),
  },
  { weight: 2, arbitrary: ids.map((xs) => ['XDEL', 's', ...xs]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('=', '~'), fc.integer({ min: 0, max: 30 }))
      .map(([a, n]) => ['XTRIM', 's', 'MAXLEN', a, String(n)]),
  },
  { weight: 1, arbitrary: id.map(([a]) => ['XTRIM', 's', 'MINID', String(a)]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('g1', 'g2').map((g) => ['XGROUP', 'CREATE', 's', g, '0']),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('g1', 'g2'),
        fc.constantFrom('alice', 'bob'),
        fc.integer({ min: 1, max: 4 }),
      )
      .map(([g, c, n]) => ['XREADGROUP', 'GROUP', g, c, 'COUNT', String(n), 'STREAMS', 's', '>']),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('g1', 'g2'), ids).map(([g, xs]) => ['XACK', 's', g, ...xs]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('g1', 'g2'), fc.constantFrom('alice', 'bob'))
      .map(([g, c]) => ['XAUTOCLAIM', 's', g, c, '0', '0-0', 'COUNT', '3']),
  },
  { weight: 1, arbitrary: fc.constantFrom('g1', 'g2').map((g) => ['XGROUP', 'DESTROY', 's', g]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('g1', 'g2').map((g) => ['XGROUP', 'DELCONSUMER', 's', g, 'alice']),
  },
  { weight: 1, arbitrary: fc.constant(['XSETID', 's', '999-0']) },
)

/** One run that reaches every stream event type whatever the random runs draw. */
const everyEvent: ['2', string[][]] = [
  '2',
  [
    ['XADD', 's', '*', 'f', 'a'],
    ['XADD', 's', '*', 'f', 'b'],
    ['XADD', 's', '*', 'g', 'c'],
    ['XDEL', 's', '1-1'],
    ['XGROUP', 'CREATE', 's', 'g1', '0'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XTRIM', 's', 'MAXLEN', '=', '0'],
    ['XSETID', 's', '999-0'],
  ],
]

test.prop([fc.constantFrom('2', '3', '5'), fc.array(op, { minLength: 1, maxLength: 60 })], {
  numRuns: 80,
  examples: [everyEvent],
})('folding stream command traces equals the model of the engine’s next view', (max, ops) => {
  // The clock starts at 0 so that XADD * makes IDs the XDEL and MINID arguments hit.
  const clock = manualClock(0)
  const s = createServer({ seed: 3, clock, trace: 'full' })
  s.call(['CONFIG', 'SET', 'stream-node-max-entries', max])
  // The first XADD folds from the empty model: the stream's first listpack and rax key.
  let m = s
    .execute(['XADD', 's', '1-1', 'f', 'seed'])
    .events.reduce(applyStreamEvent, emptyStreamModel('s'))
  expect(shape(m)).toEqual(shape(streamModelFromView(view(s) as StreamView)))
  for (const argv of ops) {
    clock.advance(1)
    const t = s.execute(argv)
    m = t.events.reduce(applyStreamEvent, m)
    for (const e of t.events) seen.add(e.type)
    const v = view(s)
    if (v === null) throw new Error('the stream never goes away here')
    expect(shape(m)).toEqual(shape(streamModelFromView(v)))
    expect(firstLiveId(m)).toBe(v.length === 0 ? '0-0' : v.firstId)
  }
})

it('the property runs fold every stream event type (this runs after them)', () => {
  expect([...seen].filter((t) => t.startsWith('stream/')).sort()).toEqual([
    'stream/entryAppended',
    'stream/entryDeleted',
    'stream/groupChanged',
    'stream/idsSet',
    'stream/nodeCreated',
    'stream/nodeDeleted',
  ])
})

describe('raxShape', () => {
  it('is a 16-byte compressed run to one key, then splits at the first differing byte', () => {
    expect(
      raxShape([streamIdHex('1-1')]).map((n) => [n.id.length, n.data.length, n.iscompr]),
    ).toEqual([
      [0, 32, true],
      [32, 0, false],
    ])
    const two = raxShape([streamIdHex('1-1'), streamIdHex('1-3')])
    expect(two.map((n) => [n.data, n.iscompr, n.iskey, n.master])).toEqual([
      ['000000000000000100000000000000', true, false, null],
      ['0103', false, false, null],
      ['', false, true, '1-1'],
      ['', false, true, '1-3'],
    ])
  })

  it('keeps a one-byte run as a non-compressed node with a single edge', () => {
    // 0-65536 and 0-65537 share the byte 00 after their branch from 0-0, then split.
    const keys = ['0-0', '0-65536', '0-65537'].map(streamIdHex)
    const nodes = raxShape(keys)
    expect(nodes.find((n) => n.id === keys[0]?.slice(0, 26))).toMatchObject({ data: '0001' })
    expect(nodes.find((n) => n.id === keys[1]?.slice(0, 28))).toMatchObject({
      data: '00',
      iscompr: false,
      children: [keys[1]?.slice(0, 30)],
    })
  })
})

describe('layoutStream', () => {
  it('puts each leaf above its listpack column, inner nodes over their children', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['CONFIG', 'SET', 'stream-node-max-entries', '2'])
    for (const x of ['1-1', '1-2', '1-3', '1-4']) s.call(['XADD', 's', x, 'f', 'v'])
    const l = layoutStream(streamModelFromView(view(s) as StreamView))
    expect(l.lps.map((b) => [b.master, b.x])).toEqual([
      ['1-1', 10],
      ['1-3', 10 + LP_W + 14],
    ])
    const leaf = (m: string) => l.rax.find((b) => b.node.master === m)
    expect(leaf('1-1')?.x).toBe(10 + LP_W / 2)
    expect(leaf('1-3')?.x).toBe(10 + LP_W + 14 + LP_W / 2)
    const split = l.rax.find((b) => b.node.data === '0103')
    expect(split?.x).toBe((10 + LP_W / 2 + 10 + LP_W + 14 + LP_W / 2) / 2)
    expect(l.links.map((k) => k.label).filter(Boolean)).toEqual(['01', '03'])
    expect(l.lpTop).toBe(10 + 3 * 54)
  })

  it('makes a listpack box wide enough for its counters line (the bytes ran out of the box)', () => {
    // 11px monospace: about 6.6 px a character, drawn 6 px in from the box's left edge.
    const line = 'count 100 · deleted 12 · 4093 B'
    expect(LP_W).toBeGreaterThanOrEqual(6 + line.length * 6.6)
  })
})
