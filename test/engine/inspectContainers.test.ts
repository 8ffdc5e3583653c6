import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type {
  HashtableView,
  IntsetView,
  ListpackView,
  QuicklistView,
  SkiplistView,
} from '../../src/engine/inspectContainers.ts'

function setup() {
  return createServer({ seed: 11, clock: manualClock(), trace: 'off' })
}

describe('inspect() of containers', () => {
  it('shows an intset with its element width after an upgrade', () => {
    const s = setup()
    s.call(['SADD', 's', '3', '1', '2'])
    expect((s.inspect('s') as unknown as IntsetView).width).toBe(2)
    s.call(['SADD', 's', '70000'])
    const v = s.inspect('s') as unknown as IntsetView
    expect([v.kind, v.width, v.values]).toEqual(['intset', 4, ['1', '2', '3', '70000']])
  })

  it('shows a listpack hash entry by entry with byte offsets that add up to the total', () => {
    const s = setup()
    s.call(['HSET', 'h', 'a', '1', 'b', 'hello'])
    const v = s.inspect('h') as unknown as ListpackView
    expect(v.entries.map((e) => e.value)).toEqual(['a', '1', 'b', 'hello'])
    expect(v.entries[0]?.offset).toBe(6)
    const last = v.entries[v.entries.length - 1]
    expect((last?.offset ?? 0) + (last?.encodedSize ?? 0) + (last?.backlenSize ?? 0) + 1).toBe(
      v.totalBytes,
    )
  })

  it('shows a quicklist node by node', () => {
    const s = setup()
    s.call(['CONFIG', 'SET', 'list-max-listpack-size', '2'])
    s.call(['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'])
    const v = s.inspect('l') as unknown as QuicklistView
    expect(v.nodes.map((n) => n.entries)).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(v.count).toBe(5)
  })

  it('shows a skiplist with spans that sum to the length at every level in use', () => {
    const s = setup()
    s.call(['CONFIG', 'SET', 'zset-max-listpack-entries', '0'])
    s.call(['ZADD', 'z', ...Array.from({ length: 40 }, (_, i) => [String(i), `m${i}`]).flat()])
    const v = s.inspect('z') as unknown as SkiplistView
    expect(v.nodes[0]?.member).toBeNull()
    expect(v.nodes[0]?.levels).toHaveLength(v.level)
    expect(v.nodes.slice(1).map((n) => n.member)).toEqual(
      Array.from({ length: 40 }, (_, i) => `m${i}`),
    )
    for (let lvl = 0; lvl < v.level; lvl++) {
      let total = 0
      for (const n of v.nodes) total += n.levels[lvl]?.span ?? 0
      expect(total).toBe(40)
    }
    expect(v.dict.size).toBe(40)
  })

  it('shows a hashtable hash as its dict with values', () => {
    const s = setup()
    s.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '1'])
    s.call(['HSET', 'h', 'a', '1', 'b', '2'])
    const v = s.inspect('h') as unknown as HashtableView
    expect(v.kind).toBe('hashtable')
    expect(v.dict.size).toBe(2)
    expect(v.values).toEqual({ a: '1', b: '2' })
  })
})
