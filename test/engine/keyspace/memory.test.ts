import { fc, test as fcTest } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import { createExecContext } from '../../../src/engine/context.ts'
import { dbAdd, dbDelete, lookupKeyWrite, setExpire } from '../../../src/engine/keyspace/db.ts'
import {
  CLIENT_MEMORY,
  LATENCY_HISTOGRAM_BYTES,
  USED_MEMORY_STARTUP,
  bytesToHuman,
  genInfoMemorySection,
  getMemoryOverheadData,
  memoryDoctorReport,
  memoryStatsReply,
  memoryUsageOfKey,
  memoryValidate,
  objectAllocSize,
  zmallocUsedMemory,
} from '../../../src/engine/keyspace/memory.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import { hdrCreate } from '../../../src/engine/util/hdrHistogram.ts'
import { addReplyDoubleText, formatFixed } from '../../../src/engine/util/numbers.ts'
import { queryBufReadLen } from '../../../src/engine/querybuf.ts'
import { createClientState, createServerState, processCommand } from '../../../src/engine/server.ts'
import type { RedisDb } from '../../../src/engine/keyspace/db.ts'
import { lpAppend, lpNew, LP_SILENT } from '../../../src/engine/structures/listpack.ts'
import { intsetAdd, intsetNew } from '../../../src/engine/structures/intset.ts'
import { sdsCat } from '../../../src/engine/structures/sds.ts'
import { dictRehash } from '../../../src/engine/structures/dict.ts'
import { quicklistCreate, quicklistPushTail } from '../../../src/engine/structures/quicklist.ts'
import {
  createObject,
  createStringObject,
  tryObjectEncoding,
  type RedisObject,
} from '../../../src/engine/types/object.ts'

function setup() {
  const clock = manualClock()
  const srv = createServerState({ seed: 1, clock })
  const ctx = createExecContext(rngCreate(2), clock, 'off')
  const db = srv.dbs[0] as RedisDb
  /** SET as t_string does: the argv object, tryObjectEncoding, dbAdd. */
  const set = (key: string, value: string): RedisObject => {
    const o = tryObjectEncoding(srv, createStringObject(srv, value))
    dbAdd(ctx, db, key, o)
    return o
  }
  return { srv, ctx, db, set }
}

describe('MEMORY USAGE (objectComputeSize + key sds + sizeof(dictEntry)), redis-internals 14.3', () => {
  it('matches the worked examples byte for byte', () => {
    const { ctx, db, set } = setup()
    set('e1', 'x')
    set('e44', 'y'.repeat(44))
    set('e45', 'z'.repeat(45))
    set('ii', '123456')
    set('k'.repeat(40), 'v')
    expect(memoryUsageOfKey(ctx, db, 'e1')).toBe(64)
    expect(memoryUsageOfKey(ctx, db, 'e44')).toBe(96)
    expect(memoryUsageOfKey(ctx, db, 'e45')).toBe(112)
    expect(memoryUsageOfKey(ctx, db, 'ii')).toBe(48)
    expect(memoryUsageOfKey(ctx, db, 'k'.repeat(40))).toBe(104)
    expect(memoryUsageOfKey(ctx, db, 'missing')).toBeNull()
  })

  it('HSET hx a 1 (a 12-byte listpack) is 64', () => {
    const { srv, ctx, db } = setup()
    const lp = lpNew()
    lpAppend(LP_SILENT, lp, 'a', 'hx')
    lpAppend(LP_SILENT, lp, '1', 'hx')
    dbAdd(ctx, db, 'hx', createObject(srv, 'hash', 'listpack', lp))
    expect(memoryUsageOfKey(ctx, db, 'hx')).toBe(64)
  })

  it.each([
    [1, 144],
    [10, 208],
    [100, 1024],
    [1000, 9128],
  ])('RPUSH l item0..item%i-1 (a quicklist) is %i, as redis-server 7.0.15 says', (n, real) => {
    const { srv, ctx, db } = setup()
    const ql = quicklistCreate()
    for (let i = 0; i < n; i++) quicklistPushTail(ctx, ql, `item${String(i)}`, 'l')
    dbAdd(ctx, db, 'l', createObject(srv, 'list', 'quicklist', ql))
    expect(memoryUsageOfKey(ctx, db, 'l')).toBe(real)
    expect(memoryUsageOfKey(ctx, db, 'l', 0)).toBe(real)
    expect(memoryValidate(srv)).toEqual([])
  })

  it('an intset of three int16 is robj + class(8 + 6)', () => {
    const { srv, ctx, db } = setup()
    const is = intsetNew()
    for (const v of [1n, 2n, 3n]) intsetAdd(ctx, is, v, 's')
    dbAdd(ctx, db, 's', createObject(srv, 'set', 'intset', is))
    expect(memoryUsageOfKey(ctx, db, 's')).toBe(16 + 16 + 8 + 24)
  })
})

describe('used_memory', () => {
  it('starts at used_memory_startup plus one client with its 16 KiB reply buffer', () => {
    const { srv } = setup()
    expect(zmallocUsedMemory(srv)).toBe(USED_MEMORY_STARTUP)
    const c = createClientState(srv)
    // An empty query buffer (sdsempty) until the client's first read.
    expect(zmallocUsedMemory(srv)).toBe(USED_MEMORY_STARTUP + CLIENT_MEMORY + 16384 + 8)
    queryBufReadLen(c.querybuf, -1)
    // 38864 once it has sent a command, as redis-server 7.0.15 shows.
    expect(zmallocUsedMemory(srv)).toBe(USED_MEMORY_STARTUP + 38864)
  })

  it('counts one latency histogram per command that has one', () => {
    const { srv } = setup()
    const hist = hdrCreate()
    srv.stats.numCommands.set('set', { calls: 3, failed: 0, rejected: 0, usec: 0, hist })
    srv.stats.numCommands.set('get', { calls: 0, failed: 0, rejected: 1, usec: 0, hist: null })
    // Called only while latency-tracking was off: call() made it no histogram.
    srv.stats.numCommands.set('ping', { calls: 2, failed: 0, rejected: 0, usec: 0, hist: null })
    expect(zmallocUsedMemory(srv)).toBe(USED_MEMORY_STARTUP + LATENCY_HISTOGRAM_BYTES)
  })

  it('counts the histogram of a command that changes no key, from its first call', () => {
    // PING allocates nothing in any dict: only its first call's histogram moves used_memory,
    // and the figure read after it (the peak after each command, INFO) must include it.
    const server = createServer({ seed: 1, clock: manualClock(0) })
    const usedMemory = (): number => {
      const info = server.call(['INFO', 'memory'])
      const m = /used_memory:(\d+)/.exec(info.type === 'bulk' ? (info.value ?? '') : '')
      return Number(m?.[1])
    }
    // INFO's own histogram comes with its first call, after it has read the figure.
    usedMemory()
    const before = usedMemory()
    server.call(['PING'])
    expect(usedMemory() - before).toBe(LATENCY_HISTOGRAM_BYTES)
    server.call(['PING'])
    expect(usedMemory() - before).toBe(LATENCY_HISTOGRAM_BYTES)
  })

  it('grows by 200 for the first SET key:0 <100 bytes>, as redis-server 7.0.15 does', () => {
    // Measured: 24888 after the first SET = 24688 (SET's histogram) + 200: bucket array of 4
    // (32) + dictEntry (32) + "key:0" type-5 sds (8) + robj (16) + sdshdr8 of 100 (112).
    const { srv, set } = setup()
    const before = zmallocUsedMemory(srv)
    set('key:0', 'x'.repeat(100))
    expect(zmallocUsedMemory(srv) - before).toBe(200)
    set('key:1', 'x'.repeat(100))
    expect(zmallocUsedMemory(srv) - before).toBe(368)
  })

  it('counts expires entries and frees everything on delete', () => {
    const { srv, ctx, db, set } = setup()
    const base = zmallocUsedMemory(srv)
    set('a', 'hello')
    const withKey = zmallocUsedMemory(srv)
    setExpire(ctx, db, 'a', 1e15)
    expect(zmallocUsedMemory(srv) - withKey).toBe(32 + 32) // expires bucket array + entry
    dbDelete(ctx, db, 'a')
    // Bucket arrays stay allocated (Redis shrinks them from cron only).
    expect(zmallocUsedMemory(srv)).toBe(base + 32 + 32)
    expect(memoryValidate(srv)).toEqual([])
  })

  it('re-measures values changed in place after a write lookup', () => {
    const { srv, ctx, db, set } = setup()
    set('s', 'x'.repeat(50))
    const before = zmallocUsedMemory(srv)
    const o = lookupKeyWrite(srv, ctx, db, 's')
    if (o === null || o.type !== 'string' || o.encoding !== 'raw') throw new Error('no string')
    o.ptr = sdsCat(o.ptr, 'y'.repeat(500))
    expect(zmallocUsedMemory(srv) - before).toBe(objectAllocSize(o) - (16 + 64))
    expect(memoryValidate(srv)).toEqual([])
  })

  it('shared integers cost nothing but the key', () => {
    const { srv, set } = setup()
    const before = zmallocUsedMemory(srv)
    const o = set('n', '42')
    expect(o.refcount).toBe(2147483647)
    expect(zmallocUsedMemory(srv) - before).toBe(32 + 32 + 8) // buckets, entry, key sds
  })
})

describe('INFO memory formatting', () => {
  it('bytesToHuman follows server.c', () => {
    expect(bytesToHuman(0)).toBe('0B')
    expect(bytesToHuman(1023)).toBe('1023B')
    expect(bytesToHuman(914552)).toBe('893.12K')
    expect(bytesToHuman(1048576)).toBe('1.00M')
    expect(bytesToHuman(25276510208)).toBe('23.54G')
  })
  it('rounds exact ties to even like printf', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
    // The double nearest 0.005 lies just above it: no tie, though 0.005 · 100 rounds to 0.5.
    expect(formatFixed(0.005, 2)).toBe('0.01')
    expect(bytesToHuman(1024 + 128)).toBe('1.12K')
  })
  it('prints 7.0.15 fields in order with consistent overhead/dataset', () => {
    const { srv, set } = setup()
    set('a', 'b')
    const text = genInfoMemorySection(srv)
    const fields = text
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(':')[0])
    expect(fields.slice(0, 11)).toEqual([
      'used_memory',
      'used_memory_human',
      'used_memory_rss',
      'used_memory_rss_human',
      'used_memory_peak',
      'used_memory_peak_human',
      'used_memory_peak_perc',
      'used_memory_overhead',
      'used_memory_startup',
      'used_memory_dataset',
      'used_memory_dataset_perc',
    ])
    expect(fields).toContain('maxmemory_policy')
    expect(fields).toContain('mem_fragmentation_ratio')
    const mh = getMemoryOverheadData(srv)
    // One key: 24 (entry) + 8 × 4 buckets + 16 (robj) over startup + functions (200).
    expect(mh.overheadTotal).toBe(USED_MEMORY_STARTUP + 200 + 24 + 32 + 16)
    expect(mh.dataset).toBe(mh.totalAllocated - mh.overheadTotal)
    expect(text).toMatch(/\r\nmaxmemory_human:0B\r\n/)
  })
})

describe('running accounting equals a fresh walk (property)', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd')
  const val = fc.oneof(
    fc.constantFrom('1', '42', '12345', '-7', ''),
    fc.string({ maxLength: 60 }),
    fc.constant('x'.repeat(300)),
  )
  const command = fc.oneof(
    fc.tuple(fc.constant('SET'), key, val),
    fc.tuple(fc.constant('APPEND'), key, val),
    fc.tuple(fc.constant('SETRANGE'), key, fc.constantFrom('0', '5', '70'), val),
    fc.tuple(fc.constant('INCR'), key),
    fc.tuple(fc.constant('DEL'), key),
    fc.tuple(fc.constant('GETDEL'), key),
    fc.tuple(fc.constant('EXPIRE'), key, fc.constantFrom('100', '0')),
    fc.tuple(fc.constant('RENAME'), key, key),
    fc.tuple(fc.constant('HSET'), key, val, val),
    fc.tuple(fc.constant('HDEL'), key, val),
    fc.tuple(fc.constant('SADD'), key, val, val),
    fc.tuple(fc.constant('SREM'), key, val),
    fc.tuple(fc.constant('FLUSHDB')),
  )
  fcTest.prop([fc.array(command, { maxLength: 60 })])(
    'after any command sequence, used memory matches a recount of every key',
    (cmds) => {
      const clock = manualClock()
      const srv = createServerState({ seed: 1, clock })
      const c = createClientState(srv)
      for (const argv of cmds) {
        processCommand(srv, c, createExecContext(srv.rng, clock, 'off'), argv)
        expect(memoryValidate(srv)).toEqual([])
      }
    },
  )
})

describe('MEMORY STATS and DOCTOR', () => {
  it('prints doubles as %.17g', () => {
    expect(addReplyDoubleText(Math.fround(1.0830460786819458))).toBe('1.0830460786819458')
    expect(addReplyDoubleText(0.5)).toBe('0.5')
    expect(addReplyDoubleText(100)).toBe('100')
    expect(addReplyDoubleText(1e20)).toBe('1e+20')
    expect(addReplyDoubleText(1e-5)).toBe('1.0000000000000001e-05')
    // The exponent is the one of the rounded digits, not log10 of the value (glibc's %.17g).
    expect(addReplyDoubleText(99999999999999984)).toBe('99999999999999984')
    expect(addReplyDoubleText(9.9999999999999991e-5)).toBe('9.9999999999999991e-05')
  })
  it('reports per-db overhead with sizeof(dictEntry) 24, robj 16 and 8 per bucket', () => {
    const { srv, ctx, db, set } = setup()
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) set(k, 'v')
    setExpire(ctx, db, 'a', 1e15)
    dictRehash(ctx, db.dict, 100) // finish the 4 → 8 rehash (dictSlots counts both tables)
    const r = memoryStatsReply(srv)
    if (r.type !== 'array' || r.value === null) throw new Error('not an array')
    const names = r.value
      .filter((_, i) => i % 2 === 0)
      .map((x) => (x.type === 'bulk' ? x.value : ''))
    expect(names.slice(0, 11)).toEqual([
      'peak.allocated',
      'total.allocated',
      'startup.allocated',
      'replication.backlog',
      'clients.slaves',
      'clients.normal',
      'cluster.links',
      'aof.buffer',
      'lua.caches',
      'functions.caches',
      'db.0',
    ])
    // As 7.0.15 reports six keys in 8 buckets and one TTL in 4: 6 × (24 + 16) + 8 × 8, 24 + 4 × 8.
    expect(r.value[21]).toEqual({
      type: 'array',
      value: [
        { type: 'bulk', value: 'overhead.hashtable.main' },
        { type: 'integer', value: 304 },
        { type: 'bulk', value: 'overhead.hashtable.expires' },
        { type: 'integer', value: 56 },
        { type: 'bulk', value: 'overhead.hashtable.slot-to-keys' },
        { type: 'integer', value: 0 },
      ],
    })
    expect(memoryDoctorReport(srv)).toMatch(/^Hi Sam, this instance is empty/)
  })
})
