import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { QuicklistView } from '../../../src/engine/inspectContainers.ts'
import {
  applyQuicklistEvent,
  fillLimit,
  layoutQuicklist,
  nodeFullness,
  quicklistModelFromView,
  type QuicklistModel,
} from '../../../src/panels/quicklist/quicklistModel.ts'

function view(s: ReturnType<typeof createServer>, key: string): QuicklistView | null {
  const v = s.inspect(key, { limit: 100_000 })
  return v?.kind === 'quicklist' ? (v as unknown as QuicklistView) : null
}

/** What the fold knows: the chain's node ids, counts, bytes and LZF bytes, and the total. */
function shape(m: QuicklistModel) {
  return { count: m.count, nodes: m.nodes.map((n) => [n.id, n.count, n.sz, n.lzf]) }
}

const value = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 60, maxLength: 90 }),
  fc.integer({ min: 0, max: 99 }).map((i) => `${'hello-'.repeat(8)}${String(i)}`),
)
const op = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), value).map(([c, v]) => [c, 'l', v]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP')).map(([c]) => [c, 'l']),
  fc
    .tuple(fc.constantFrom('BEFORE', 'AFTER'), fc.integer({ min: 0, max: 20 }), value)
    .map(([w, p, v]) => ['LINSERT', 'l', w, `p${String(p)}`, v]),
  fc.tuple(fc.integer({ min: 0, max: 20 })).map(([p]) => ['RPUSH', 'l', `p${String(p)}`]),
  fc.tuple(fc.integer({ min: -8, max: 8 }), value).map(([i, v]) => ['LSET', 'l', String(i), v]),
  fc
    .tuple(fc.integer({ min: -6, max: 3 }), fc.integer({ min: -6, max: 30 }))
    .map(([a, b]) => ['LTRIM', 'l', String(a), String(b)]),
  fc.tuple(fc.integer({ min: -2, max: 2 }), value).map(([n, v]) => ['LREM', 'l', String(n), v]),
)

test.prop(
  [
    fc.constantFrom('3', '4', '-1'),
    fc.constantFrom('0', '1', '2'),
    fc.array(op, { minLength: 1, maxLength: 50 }),
  ],
  { numRuns: 60 },
)('folding list command traces equals the model of the engine’s next view', (fill, depth, ops) => {
  const s = createServer({ seed: 7, clock: manualClock(), trace: 'full' })
  s.call(['CONFIG', 'SET', 'list-max-listpack-size', fill])
  s.call(['CONFIG', 'SET', 'list-compress-depth', depth])
  s.call(['RPUSH', 'l', 'seed', 'p1', 'p2'])
  const v0 = view(s, 'l')
  if (v0 === null) throw new Error('no list')
  let m = quicklistModelFromView(v0)
  for (const argv of ops) {
    const t = s.execute(argv)
    m = t.events.reduce(applyQuicklistEvent, m)
    const v = view(s, 'l')
    if (v === null) {
      expect(m.nodes).toEqual([])
      s.call(['RPUSH', 'l', 'seed'])
      m = quicklistModelFromView(view(s, 'l') as QuicklistView)
      continue
    }
    expect(shape(m)).toEqual(shape(quicklistModelFromView(v)))
  }
})

describe('fillLimit', () => {
  it('maps −1..−5 to 4, 8, 16, 32, 64 KiB and positive fills to counts', () => {
    expect([-1, -2, -3, -4, -5].map((f) => fillLimit(f).n)).toEqual([
      4096, 8192, 16384, 32768, 65536,
    ])
    expect(fillLimit(128)).toEqual({ kind: 'count', n: 128 })
  })
})

describe('layoutQuicklist', () => {
  const m: QuicklistModel = {
    key: 'l',
    fill: 4,
    compress: 0,
    count: 11,
    nodes: Array.from({ length: 9 }, (_, i) => ({
      id: i + 1,
      container: 'packed' as const,
      count: i === 0 ? 2 : 1,
      sz: 10,
      lzf: null,
    })),
  }
  it('places nodes head first, 128 px apart, wrapping after 8 with a 92 px row pitch', () => {
    const boxes = layoutQuicklist(m)
    expect(boxes.slice(0, 2).map((b) => [b.id, b.x, b.y])).toEqual([
      ['qlnode:1', 8, 8],
      ['qlnode:2', 136, 8],
    ])
    expect(boxes[8]).toMatchObject({ id: 'qlnode:9', x: 8, y: 100, w: 100, h: 64 })
  })
  it('fills the gauge by count against a positive fill: 2 of 4 → 30 px', () => {
    expect(layoutQuicklist(m)[0]?.gauge).toBe(30)
    expect(nodeFullness({ id: 1, container: 'packed', count: 1, sz: 2048, lzf: null }, -1)).toBe(
      0.5,
    )
  })
})
