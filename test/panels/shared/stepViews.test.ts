/**
 * stepViews and conversionStart (panels/shared/conversion.ts): which views and events the
 * panel of a key folds at a step, for items that convert or create the key.
 */
import { describe, expect, it } from 'vitest'
import type { InspectView } from '../../../src/engine/api.ts'
import { conversionStart, stepViews } from '../../../src/panels/shared/conversion.ts'
import { createTestEngine } from '../../harness/TestEngine.ts'

function zadd130(trace: 'full' | 'summary' | 'off' = 'full') {
  const t = createTestEngine({ trace })
  const args = Array.from({ length: 130 }, (_, i) => [String(i), `m${String(i)}`]).flat()
  const events = t.trace('ZADD', 'z', ...args).events
  const after = t.server.inspect('z') as InspectView
  return { events, after }
}

describe('conversionStart(events, key, db, from, to)', () => {
  it('is the first event of the skiplist and dict a ZADD builds after its 128th member', () => {
    const { events } = zadd130()
    const c = conversionStart(events, 'z', 0, null, 'skiplist')
    const lastInsert = events.findLastIndex((e) => e.type === 'listpack/entryInserted')
    const converted = events.findIndex((e) => e.type === 'object/encodingConverted')
    expect(c).toEqual({ index: lastInsert + 1, at: converted, from: 'listpack' })
    expect(events.slice(lastInsert + 1, converted).every((e) => /^(zsl|dict)\//.test(e.type))).toBe(
      true,
    )
  })

  it('is null when the key did not change to that encoding, or for another key', () => {
    const { events } = zadd130()
    expect(conversionStart(events, 'z', 0, null, 'hashtable')).toBeNull()
    expect(conversionStart(events, 'y', 0, null, 'skiplist')).toBeNull()
    expect(conversionStart(events, 'z', 0, 'intset', 'skiplist')).toBeNull()
  })
})

describe('stepViews(before, after, events, step, key, db)', () => {
  it('gives an empty listpack up to the build, then the skiplist folded from empty', () => {
    const { events, after } = zadd130()
    const start = conversionStart(events, 'z', 0, null, 'skiplist')?.index ?? -1
    for (const step of [0, 1, start]) {
      const v = stepViews(null, after, events, step, 'z', 0)
      expect(v.before).toBeNull()
      expect(v.after).toMatchObject({ kind: 'listpack', key: 'z', count: 0, entries: [] })
      expect(v.events).toBe(events)
    }
    for (const step of [start + 1, events.length]) {
      const v = stepViews(null, after, events, step, 'z', 0)
      expect(v.before).toMatchObject({ kind: 'skiplist', length: 0, level: 1 })
      expect(v.after).toBe(after)
      expect(v.events).toBe(events)
    }
  })

  it('shows the after view when nothing was recorded (trace off)', () => {
    const { events, after } = zadd130('off')
    expect(events).toEqual([])
    expect(stepViews(null, after, events, 0, 'z', 0)).toEqual({ before: after, after, events })
  })

  it('at trace level summary (no build steps) shows the finished table from the conversion on', () => {
    const t = createTestEngine({ trace: 'summary' })
    t.exec('HSET', 'h', 'a', '1')
    const before = t.server.inspect('h') as InspectView
    const fields = Array.from({ length: 520 }, (_, i) => [`f${String(i)}`, 'v']).flat()
    const events = t.trace('HSET', 'h', ...fields).events
    const after = t.server.inspect('h') as InspectView
    expect(after.kind).toBe('hashtable')
    expect(events.some((e) => e.type === 'dict/keyAdded')).toBe(false)
    const start = conversionStart(events, 'h', 0, 'listpack', 'hashtable')?.index ?? -1
    expect(start).toBeGreaterThan(0)
    // Up to the conversion: the listpack; after it: the table with its 521 fields, not empty.
    expect(stepViews(before, after, events, start, 'h', 0).after).toBe(before)
    // The key is a listpack until the switch, a step after the table was created.
    expect(stepViews(before, after, events, start + 1, 'h', 0)).toEqual({
      before: after,
      after,
      events: [],
      converting: 'listpack',
    })
    expect(stepViews(before, after, events, events.length, 'h', 0)).toEqual({
      before: after,
      after,
      events: [],
    })
  })

  it('keeps the old view of an existing key until its build starts', () => {
    const t = createTestEngine()
    t.exec('SADD', 's', '1', '2', '3')
    const before = t.server.inspect('s') as InspectView
    const events = t.trace('SADD', 's', '4', 'x').events
    const after = t.server.inspect('s') as InspectView
    const inserted = events.findIndex((e) => e.type === 'intset/inserted') + 1
    expect(conversionStart(events, 's', 0, 'intset', 'hashtable')?.index).toBe(inserted)
    expect(stepViews(before, after, events, inserted, 's', 0)).toEqual({
      before,
      after: before,
      events,
    })
    expect(stepViews(before, after, events, inserted + 1, 's', 0).before).toMatchObject({
      kind: 'hashtable',
      length: 0,
    })
  })
})

describe('stepViews for a value DEBUG RELOAD loads back in another encoding', () => {
  it('folds the loaded listpack from empty instead of showing it whole before the load reaches it', () => {
    // The hash was a hashtable (a fifth field, then HDEL); the reload builds it as a listpack
    // with no conversion event. Every step showed the finished listpack, also those loading
    // the other key first.
    const t = createTestEngine({ seed: 42 })
    t.exec('CONFIG', 'SET', 'hash-max-listpack-entries', '4')
    t.exec(
      'HSET',
      'user',
      'name',
      'Ada',
      'lang',
      'en',
      'city',
      'London',
      'year',
      '1815',
      'job',
      'x',
    )
    t.exec('HDEL', 'user', 'job')
    t.exec('SADD', 'nums', '1', '2', '3', 'hello')
    t.exec('SREM', 'nums', 'hello')
    const before = t.server.inspect('user') as InspectView
    const events = t.trace('DEBUG', 'RELOAD').events
    const after = t.server.inspect('user') as InspectView
    expect(before.kind).toBe('hashtable')
    expect(after.kind).toBe('listpack')
    const first = events.findIndex((e) => e.type === 'listpack/entryInserted')
    expect(first).toBeGreaterThan(0)
    const mid = stepViews(before, after, events, first, 'user', 0)
    expect(mid.before).toMatchObject({ kind: 'listpack', key: 'user', count: 0, entries: [] })
    expect(mid.after).toBe(after)
    expect(mid.events).toBe(events)
    // Step 0 still shows the hashtable the command found.
    expect(stepViews(before, after, events, 0, 'user', 0).after).toBe(before)
  })
})

describe('stepViews for a value DEBUG RELOAD loads back in the same encoding', () => {
  function reload() {
    const t = createTestEngine({ seed: 42 })
    t.exec('CONFIG', 'SET', 'zset-max-listpack-entries', '1')
    t.exec('RPUSH', 'l', 'a', 'b')
    t.exec('ZADD', 'z', '1', 'a', '2', 'b')
    t.exec('SADD', 's', 'x', 'y', 'z')
    const before = { z: t.server.inspect('z'), s: t.server.inspect('s') }
    const events = t.trace('DEBUG', 'RELOAD').events
    const after = { z: t.server.inspect('z'), s: t.server.inspect('s') }
    return { before, after, events }
  }

  it('folds the reloaded skiplist from empty: the old one took the load steps a second time', () => {
    const { before, after, events } = reload()
    const z0 = before.z as InspectView
    const z1 = after.z as InspectView
    expect([z0.kind, z1.kind]).toEqual(['skiplist', 'skiplist'])
    // Step 1 emptied the dbs (a new keyspace table); the list loads before the zset.
    expect(events[0]).toMatchObject({ type: 'dict/tableCreated', dict: 'db:0:keys' })
    const firstOfZ = events.findIndex((e) => 'key' in e && e.key === 'z')
    expect(firstOfZ).toBeGreaterThan(1)
    expect(stepViews(z0, z1, events, 0, 'z', 0)).toEqual({ before: z0, after: z0, events: [] })
    for (const step of [1, firstOfZ, events.length]) {
      const v = stepViews(z0, z1, events, step, 'z', 0)
      expect(v.before).toMatchObject({ kind: 'skiplist', length: 0, level: 1 })
      expect(v.after).toBe(z1)
      expect(v.events).toBe(events)
    }
  })

  it('folds the reloaded hash table of a set from empty', () => {
    const { before, after, events } = reload()
    const s0 = before.s as InspectView
    const s1 = after.s as InspectView
    expect([s0.kind, s1.kind]).toEqual(['hashtable', 'hashtable'])
    const v = stepViews(s0, s1, events, 1, 's', 0)
    expect(v.before).toMatchObject({ kind: 'hashtable', length: 0 })
    expect(v.events).toBe(events)
  })
})
