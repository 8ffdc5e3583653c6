import { describe, expect, it } from 'vitest'
import { createTypeHarness } from './typeHarness.ts'
import { lpWalk } from '../../../src/engine/structures/listpack.ts'
import {
  hashTypeEntries,
  hashTypeValidate,
  type HashObject,
} from '../../../src/engine/types/t_hash.ts'

describe('t_hash', () => {
  it('keeps pairs in insertion order and replaces values in place', () => {
    const t = createTypeHarness()
    t.exec('HSET', 'h', 'b', '1', 'a', 'x')
    t.exec('HSET', 'h', 'b', 'two')
    const o = t.obj('h') as HashObject
    expect(hashTypeEntries(o)).toEqual([
      ['b', 'two'],
      ['a', 'x'],
    ])
    expect(t.events.map((e) => e.type)).toContain('listpack/entryReplaced')
    // 6-byte header, b/"two"/a/x entries, terminator: integers and strings as listpack stores them.
    if (o.encoding !== 'listpack') throw new Error('expected listpack')
    expect(lpWalk(o.ptr).map((e) => e.encoding)).toEqual([
      '6bit-str',
      '6bit-str',
      '6bit-str',
      '6bit-str',
    ])
  })

  it('builds the hashtable pre-sized, under the key:<db>:<key> DictRef, in listpack order', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'hash-max-listpack-entries', '2')
    t.exec('HSET', 'h', 'f1', 'a', 'f2', 'b')
    t.exec('HSET', 'h', 'f3', 'c')
    const added = t.events.filter((e) => e.type === 'dict/keyAdded')
    expect(added.map((e) => (e as { key: string }).key)).toEqual(['f1', 'f2', 'f3'])
    expect(added.every((e) => (e as { dict: string }).dict === 'key:0:h')).toBe(true)
    const created = t.events.find((e) => e.type === 'dict/tableCreated')
    expect(created).toMatchObject({ dict: 'key:0:h' })
    const conv = t.events.findIndex((e) => e.type === 'object/encodingConverted')
    // The conversion happens after the 3rd pair went into the listpack (hashTypeSet order).
    expect(t.events.findIndex((e) => e.type === 'listpack/entryInserted')).toBeLessThan(conv)
    expect(hashTypeValidate(t.obj('h') as HashObject)).toEqual([])
  })

  it('records nothing when tracing is off but does the same work', () => {
    const on = createTypeHarness(4, 'full')
    const off = createTypeHarness(4, 'off')
    for (const t of [on, off]) {
      t.exec('CONFIG', 'SET', 'hash-max-listpack-entries', '3')
      for (let i = 0; i < 20; i++) t.exec('HSET', 'h', `f${String(i)}`, String(i))
      t.exec('HRANDFIELD', 'h', '-5')
    }
    expect(off.events).toEqual([])
    expect(on.exec('HRANDFIELD', 'h', '-7', 'WITHVALUES')).toEqual(
      off.exec('HRANDFIELD', 'h', '-7', 'WITHVALUES'),
    )
  })

  it('reports the new value with object/created (full traces)', () => {
    const t = createTypeHarness()
    t.exec('HSET', 'h', 'f', 'v')
    expect(t.events.find((e) => e.type === 'object/created')).toEqual({
      type: 'object/created',
      key: 'h',
      objType: 'hash',
      encoding: 'listpack',
      shared: false,
    })
    t.exec('HSET', 'h', 'g', 'w')
    expect(t.events.some((e) => e.type === 'object/created')).toBe(false)
  })
})
