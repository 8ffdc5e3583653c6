import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { DictView } from '../../../src/engine/inspect.ts'
import {
  applyDictEvent,
  dictLoadInfo,
  dictModelFromView,
  dictModelsEqual,
  foldDictEvents,
} from '../../../src/panels/dict/dictModel.ts'

function keyspaceDict(s: ReturnType<typeof createServer>): DictView {
  const v = s.inspect(null, { limit: 100_000 }) as unknown as { dict: DictView }
  return v.dict
}

describe('applyDictEvent', () => {
  it('puts a new key at the head of its chain', () => {
    const m = dictModelFromView({
      ref: 'db:0:keys',
      size: 1,
      buckets: 4,
      rehashIdx: -1,
      tables: [
        {
          table: 0,
          exp: 2,
          size: 4,
          used: 1,
          buckets: [{ index: 1, keys: ['a'] }],
          truncated: false,
        },
      ],
    })
    const next = applyDictEvent(m, {
      type: 'dict/keyAdded',
      dict: 'db:0:keys',
      key: 'b',
      table: 0,
      bucket: 1,
      chainPos: 0,
      chainLen: 2,
    })
    expect(next.tables[0]?.chains.get(1)).toEqual(['b', 'a'])
    expect(next.tables[0]?.used).toBe(2)
    expect(m.tables[0]?.chains.get(1)).toEqual(['a'])
  })

  it('moves a rehashed bucket entry by entry to the heads of its targets, reversing order', () => {
    const m = dictModelFromView({
      ref: 'd',
      size: 2,
      buckets: 12,
      rehashIdx: 0,
      tables: [
        {
          table: 0,
          exp: 2,
          size: 4,
          used: 2,
          buckets: [{ index: 0, keys: ['x', 'y'] }],
          truncated: false,
        },
        { table: 1, exp: 3, size: 8, used: 0, buckets: [], truncated: false },
      ],
    })
    const next = applyDictEvent(m, {
      type: 'dict/bucketRehashed',
      dict: 'd',
      from: 0,
      moves: [
        { key: 'x', to: 4 },
        { key: 'y', to: 4 },
      ],
      rehashIdx: 1,
    })
    expect(next.tables[0]?.chains.size).toBe(0)
    expect(next.tables[1]?.chains.get(4)).toEqual(['y', 'x'])
    expect(next.rehashIdx).toBe(1)
  })

  it('ignores events of other dicts', () => {
    const m = dictModelFromView({ ref: 'a', size: 0, buckets: 0, rehashIdx: -1, tables: [] })
    expect(applyDictEvent(m, { type: 'dict/tableCreated', dict: 'b', exp: 2 })).toBe(m)
  })
})

describe('dictLoadInfo', () => {
  it('says the next add expands when used equals size', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'off' })
    for (let i = 0; i < 4; i++) s.call(['SET', `k${i}`, 'v'])
    expect(dictLoadInfo(dictModelFromView(keyspaceDict(s))).next).toBe('expandAtNextAdd')
  })
})

// "The animation cannot lie" (style.md §6.5): folding a command's events into the view
// before it gives exactly the engine's view after it.
const op = fc.oneof(
  fc.tuple(fc.constant('SET'), fc.integer({ min: 0, max: 60 })),
  fc.tuple(fc.constant('DEL'), fc.integer({ min: 0, max: 60 })),
  fc.tuple(fc.constant('GET'), fc.integer({ min: 0, max: 60 })),
)

test.prop([fc.integer({ min: 1, max: 1000 }), fc.array(op, { minLength: 1, maxLength: 150 })], {
  numRuns: 40,
})('folding each trace into the previous view equals the next view', (seed, ops) => {
  const s = createServer({ seed, clock: manualClock(), trace: 'full' })
  let model = dictModelFromView(keyspaceDict(s))
  for (const [cmd, n] of ops) {
    const t = s.execute(cmd === 'SET' ? ['SET', `key:${n}`, 'v'] : [cmd, `key:${n}`])
    model = foldDictEvents(model, t.events)
    const after = dictModelFromView(keyspaceDict(s))
    expect(dictModelsEqual(model, after)).toBe(true)
  }
})

describe('foldDictEvents', () => {
  it('builds the same model as applying the events one by one, rehash included', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    const before = dictModelFromView(keyspaceDict(s))
    const events = []
    for (let i = 0; i < 300; i++) events.push(...s.execute(['SET', `k:${String(i)}`, 'v']).events)
    for (let i = 0; i < 300; i += 3) events.push(...s.execute(['DEL', `k:${String(i)}`]).events)
    expect(events.some((e) => e.type === 'dict/bucketRehashed')).toBe(true)
    expect(events.some((e) => e.type === 'dict/rehashCompleted')).toBe(true)
    const inPlace = foldDictEvents(before, events)
    expect(dictModelsEqual(inPlace, events.reduce(applyDictEvent, before))).toBe(true)
    expect(dictModelsEqual(inPlace, dictModelFromView(keyspaceDict(s)))).toBe(true)
    // The model it started from is left as it was.
    expect(
      dictModelsEqual(
        before,
        dictModelFromView(keyspaceDict(createServer({ seed: 3, clock: manualClock() }))),
      ),
    ).toBe(true)
  })

  it('folds the 100,000 keys an SADD adds after converting to a hashtable', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    const members = Array.from({ length: 100_000 }, (_, i) => `m${String(i)}`)
    const t = s.execute(['SADD', 's', ...members])
    const added = t.events.filter((e) => e.type === 'dict/keyAdded' && e.dict !== 'db:0:keys')
    expect(added).toHaveLength(100_000)
    const ref = (added[0] as { dict: string }).dict
    const model = foldDictEvents(
      { ref: ref as never, rehashIdx: -1, tables: [null, null] },
      t.events,
    )
    expect((model.tables[0]?.used ?? 0) + (model.tables[1]?.used ?? 0)).toBe(100_000)
  })
})
