/**
 * Hash commands: exact replies (errors included, as redis-server 7.0.15 answers them; the
 * same lines run against the oracle in test/conformance/scripts/hash.redis), encodings across
 * every threshold, and the conversion events.
 */
import { describe, expect, it } from 'vitest'
import { r } from '../../harness/TestEngine.ts'
import { createTypeHarness, flat } from '../types/typeHarness.ts'
import { hashTypeValidate, type HashObject } from '../../../src/engine/types/t_hash.ts'

const WRONGTYPE = r.err('WRONGTYPE Operation against a key holding the wrong kind of value')

describe('hash commands: replies', () => {
  it('answers HSET/HGET/HMGET/HDEL/HLEN/HSTRLEN/HEXISTS as Redis does', () => {
    const t = createTypeHarness()
    expect(t.exec('HSET', 'h', 'f1', 'v1')).toEqual(r.int(1))
    expect(t.exec('HSET', 'h', 'f2', 'v2', 'f3', '3', 'f1', 'new')).toEqual(r.int(2))
    expect(t.exec('HGETALL', 'h')).toEqual(r.bulks('f1', 'new', 'f2', 'v2', 'f3', '3'))
    expect(t.exec('HKEYS', 'h')).toEqual(r.bulks('f1', 'f2', 'f3'))
    expect(t.exec('HVALS', 'h')).toEqual(r.bulks('new', 'v2', '3'))
    expect(t.exec('HGET', 'h', 'nope')).toEqual(r.bulk(null))
    expect(t.exec('HMGET', 'h', 'f1', 'nope', 'f3')).toEqual(r.bulks('new', null, '3'))
    expect(t.exec('HMGET', 'nokey', 'a')).toEqual(r.bulks(null))
    expect(t.exec('HSTRLEN', 'h', 'f3')).toEqual(r.int(1))
    expect(t.exec('HEXISTS', 'h', 'f2')).toEqual(r.int(1))
    expect(t.exec('HSET', 'h', 'f4')).toEqual(
      r.err("ERR wrong number of arguments for 'hset' command"),
    )
    expect(t.exec('HMSET', 'h', 'a')).toEqual(
      r.err("ERR wrong number of arguments for 'hmset' command"),
    )
    expect(t.exec('HMSET', 'h', 'a', '1')).toEqual(r.ok)
    expect(t.exec('HSETNX', 'h', 'a', '5')).toEqual(r.int(0))
    expect(t.exec('HDEL', 'h', 'a', 'f1', 'nope')).toEqual(r.int(2))
    expect(t.exec('HLEN', 'h')).toEqual(r.int(2))
    expect(t.exec('HDEL', 'h', 'f2', 'f3')).toEqual(r.int(2))
    expect(t.exec('EXISTS', 'h')).toEqual(r.int(0))
  })

  it('answers HINCRBY and HINCRBYFLOAT with Redis errors and long double text', () => {
    const t = createTypeHarness()
    expect(t.exec('HINCRBY', 'h', 'n', '5')).toEqual(r.int(5))
    expect(t.exec('HINCRBY', 'h', 'n', 'x')).toEqual(
      r.err('ERR value is not an integer or out of range'),
    )
    expect(t.exec('HSET', 'h', 's', 'abc', 'big', '9223372036854775807')).toEqual(r.int(2))
    expect(t.exec('HINCRBY', 'h', 's', '1')).toEqual(r.err('ERR hash value is not an integer'))
    expect(t.exec('HINCRBY', 'h', 'big', '1')).toEqual(
      r.err('ERR increment or decrement would overflow'),
    )
    expect(t.exec('HINCRBYFLOAT', 'h', 'f', '1.5')).toEqual(r.bulk('1.5'))
    expect(t.exec('HINCRBYFLOAT', 'h', 'f', '0.1')).toEqual(r.bulk('1.6'))
    expect(t.exec('HINCRBYFLOAT', 'h', 'n', '2.5')).toEqual(r.bulk('7.5'))
    expect(t.exec('HINCRBYFLOAT', 'h', 's', '1')).toEqual(r.err('ERR hash value is not a float'))
    expect(t.exec('HINCRBYFLOAT', 'h', 'f', 'inf')).toEqual(r.err('ERR value is NaN or Infinity'))
    expect(t.exec('HSET', 'h', 'huge', '1e308')).toEqual(r.int(1))
    // 2e308 overflows a double but not a long double: Redis prints all 309 digits.
    const huge = flat(t.exec('HINCRBYFLOAT', 'h', 'huge', '1e308')) as string
    expect(huge).toHaveLength(309)
    expect(huge.startsWith('19999999999999999999337')).toBe(true)
  })

  it('answers WRONGTYPE on every command against a string', () => {
    const t = createTypeHarness()
    t.exec('SET', 'str', 'x')
    for (const argv of [
      ['HSET', 'str', 'a', 'b'],
      ['HGET', 'str', 'a'],
      ['HMGET', 'str', 'a'],
      ['HDEL', 'str', 'a'],
      ['HLEN', 'str'],
      ['HINCRBY', 'str', 'a', '1'],
      ['HGETALL', 'str'],
      ['HSCAN', 'str', '0'],
      ['HRANDFIELD', 'str'],
      ['HRANDFIELD', 'str', '2'],
    ])
      expect(t.exec(...argv)).toEqual(WRONGTYPE)
  })

  it('answers HRANDFIELD argument errors and the deterministic cases', () => {
    const t = createTypeHarness()
    t.exec('HSET', 's', 'a', '1', 'b', '2')
    expect(t.exec('HRANDFIELD', 'nokey')).toEqual(r.bulk(null))
    expect(t.exec('HRANDFIELD', 'nokey', '3')).toEqual(r.arr([]))
    expect(t.exec('HRANDFIELD', 's', '0')).toEqual(r.arr([]))
    expect(t.exec('HRANDFIELD', 's', '5', 'WITHVALUES')).toEqual(r.bulks('a', '1', 'b', '2'))
    expect(t.exec('HRANDFIELD', 's', '1', 'foo')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('HRANDFIELD', 's', '-9223372036854775808')).toEqual(
      r.err(
        'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
      ),
    )
    expect(t.exec('HRANDFIELD', 's', '-4611686018427387904', 'WITHVALUES')).toEqual(
      r.err('ERR value is out of range'),
    )
    const v = flat(t.exec('HRANDFIELD', 's', '-5', 'WITHVALUES')) as string[]
    expect(v).toHaveLength(10)
    for (let i = 0; i < 10; i += 2) expect(v[i + 1]).toBe(v[i] === 'a' ? '1' : '2')
  })
})

describe('hash encodings', () => {
  it('stays listpack up to 512 fields and converts at the 513th', () => {
    const t = createTypeHarness()
    const args: string[] = []
    for (let i = 0; i < 512; i++) args.push(`f${String(i)}`, String(i))
    t.exec('HSET', 'e', ...args)
    expect(t.enc('e')).toBe('listpack')
    t.exec('HSET', 'e', 'f512', 'x')
    expect(t.enc('e')).toBe('hashtable')
    expect(t.events.find((e) => e.type === 'object/encodingConverted')).toEqual({
      type: 'object/encodingConverted',
      key: 'e',
      from: 'listpack',
      to: 'hashtable',
      reason: 'tooManyEntries',
      params: { entries: 513, limit: 512 },
    })
    expect(hashTypeValidate(t.obj('e') as HashObject)).toEqual([])
    // Never back, even far below the threshold.
    const del: string[] = []
    for (let i = 0; i < 510; i++) del.push(`f${String(i)}`)
    t.exec('HDEL', 'e', ...del)
    expect(t.enc('e')).toBe('hashtable')
    expect(t.exec('HLEN', 'e')).toEqual(r.int(3))
  })

  it('keeps a 64-byte value in the listpack and converts on 65 bytes, before inserting', () => {
    const t = createTypeHarness()
    t.exec('HSET', 'v', 'f', 'x'.repeat(64))
    expect(t.enc('v')).toBe('listpack')
    t.exec('HSET', 'v', 'g', 'y'.repeat(65))
    expect(t.enc('v')).toBe('hashtable')
    const conv = t.events.filter((e) => e.type === 'object/encodingConverted')
    expect(conv).toHaveLength(1)
    expect(conv[0]).toMatchObject({ reason: 'valueTooLong', params: { length: 65, limit: 64 } })
    // The conversion happened before the insert: no listpack insert of the long value.
    expect(t.events.some((e) => e.type === 'listpack/entryInserted')).toBe(false)
  })

  it('converts for long fields on HSETNX, HINCRBY and HINCRBYFLOAT too', () => {
    const t = createTypeHarness()
    const long = 'k'.repeat(65)
    t.exec('HSETNX', 'a', long, '1')
    t.exec('HINCRBY', 'b', long, '1')
    t.exec('HINCRBYFLOAT', 'c', long, '1.5')
    expect([t.enc('a'), t.enc('b'), t.enc('c')]).toEqual(['hashtable', 'hashtable', 'hashtable'])
  })

  it('reads the thresholds from CONFIG at call time (and their ziplist aliases)', () => {
    const t = createTypeHarness()
    t.exec('CONFIG', 'SET', 'hash-max-listpack-entries', '4')
    t.exec('HSET', 'c', 'a', '1', 'b', '2', 'c', '3', 'd', '4')
    expect(t.enc('c')).toBe('listpack')
    t.exec('HSET', 'c', 'e', '5')
    expect(t.enc('c')).toBe('hashtable')
    t.exec('CONFIG', 'SET', 'hash-max-ziplist-value', '3')
    t.exec('HSET', 'd', 'a', '123')
    expect(t.enc('d')).toBe('listpack')
    t.exec('HSET', 'd', 'b', '1234')
    expect(t.enc('d')).toBe('hashtable')
  })

  it('shrinks the dict after deletes leave it under 10 % full', () => {
    const t = createTypeHarness()
    const args: string[] = []
    for (let i = 0; i < 600; i++) args.push(`f${String(i)}`, 'v')
    t.exec('HSET', 'h', ...args)
    const del: string[] = []
    for (let i = 0; i < 560; i++) del.push(`f${String(i)}`)
    t.exec('HDEL', 'h', ...del)
    expect(t.events.some((e) => e.type === 'dict/shrinkStarted')).toBe(true)
    expect(hashTypeValidate(t.obj('h') as HashObject)).toEqual([])
  })

  it('reports MEMORY USAGE of a listpack hash as Redis does', () => {
    const t = createTypeHarness()
    t.exec('HSET', 'hx', 'a', '1')
    expect(t.exec('MEMORY', 'USAGE', 'hx')).toEqual(r.int(64))
  })

  it('copies with COPY keeping the encoding', () => {
    const t = createTypeHarness()
    t.exec('HSET', 'm', 'a', '1', 'b', 'x'.repeat(70))
    expect(t.exec('COPY', 'm', 'm2')).toEqual(r.int(1))
    expect(t.enc('m2')).toBe('hashtable')
    expect(t.obj('m2')).not.toBe(t.obj('m'))
    expect(t.exec('HGET', 'm2', 'a')).toEqual(r.bulk('1'))
  })
})
