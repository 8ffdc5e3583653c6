/**
 * The engine's side of the RDB file (rdb.ts RdbDisk, rdbDecode.ts rdbLoadFile): the bytes it
 * hands a host with a disk, and a file loaded back, as redis-server 7.0.15 saves and loads
 * them (rdb.c rdbSaveRio, rdbLoadRioWithLoadingCtx).
 */
import { describe, expect, it } from 'vitest'
import type { RdbDisk } from '../../../src/engine/rdb.ts'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

/** A disk in memory: the files written by name, and every line logged. */
function memoryDisk(): RdbDisk & { files: Map<string, string>; lines: string[] } {
  const files = new Map<string, string>()
  const lines: string[] = []
  let pid = 100
  return {
    files,
    lines,
    fork: () => ++pid,
    log: (line, child) => {
      // redis-check-rdb's report is printf'd: to stdout, as it is.
      if (line.stdout === true) lines.push(line.text)
      else
        lines.push(
          `${child === null || child === undefined ? 'M' : 'C'} ${line.level} ${line.text}`,
        )
    },
    write: (rdb, _dir, dbfilename, child) => {
      files.set(dbfilename, Buffer.from(rdb).toString('latin1'))
      lines.push(`${child === null ? 'M' : 'C'} * DB saved on disk`)
      return true
    },
  }
}

const text = (t: TestEngine, ...argv: string[]): string => {
  const reply = t.exec(...argv)
  if (reply.type !== 'bulk' && reply.type !== 'simple') throw new Error(JSON.stringify(reply))
  return reply.value ?? ''
}

/** A fresh engine that loaded `rdb` at startup, and what it logged. */
function loaded(
  rdb: string,
  config: Record<string, string> = {},
): { t: TestEngine; ok: boolean; lines: string[] } {
  const t = createTestEngine({ config, startMs: 1_800_000_000_000 })
  const disk = memoryDisk()
  t.server.setRdbDisk(disk)
  const ok = t.server.loadRdbFile(rdb)
  return { t, ok, lines: disk.lines }
}

function fill(t: TestEngine): void {
  t.exec('set', 'int', '42')
  t.exec('set', 'str', 'hello')
  t.exec('set', 'ttl', 'v', 'px', '600000')
  t.exec('rpush', 'list', 'a', 'b', 'c')
  t.exec('hset', 'hash', 'f', 'v')
  t.exec('sadd', 'intset', '1', '2', '3')
  t.exec('sadd', 'set', 'x', 'y')
  t.exec('zadd', 'zset', '1', 'a', '2', 'b')
  t.exec('xadd', 'stream', '1-1', 'f', 'v')
  t.exec('xgroup', 'create', 'stream', 'g', '0')
  t.exec('select', '3')
  t.exec('set', 'in-db-3', 'x')
  t.exec('select', '0')
}

describe('RDB files', () => {
  it('SAVE hands the disk the file; a fresh engine loads it to the same digest', () => {
    const t = createTestEngine({ startMs: 1_800_000_000_000 })
    const disk = memoryDisk()
    t.server.setRdbDisk(disk)
    fill(t)
    const digest = text(t, 'debug', 'digest')
    expect(t.exec('save')).toEqual(r.ok)
    expect(disk.lines).toEqual(['M * DB saved on disk'])
    const rdb = disk.files.get('dump.rdb') ?? ''
    expect(rdb.startsWith('REDIS0010\xfa\x09redis-ver\x067.0.15')).toBe(true)
    const back = loaded(rdb)
    expect(back.ok).toBe(true)
    expect(text(back.t, 'debug', 'digest')).toBe(digest)
    expect(back.t.exec('pttl', 'ttl')).toEqual(r.int(600000))
    expect(back.lines).toEqual([
      'M * Loading RDB produced by version 7.0.15',
      'M * RDB age 0 seconds',
      expect.stringMatching(/^M \* RDB memory usage when created \d+\.\d\d Mb$/),
      'M * Done loading RDB, keys loaded: 10, keys expired: 0.',
    ])
    // DEBUG RELOAD NOSAVE reads the file loaded at startup.
    expect(back.t.exec('debug', 'reload', 'nosave')).toEqual(r.ok)
    expect(text(back.t, 'debug', 'digest')).toBe(digest)
  })

  it('saves the LFU counter (FREQ) and the LRU idle time (IDLE) the policy keeps', () => {
    const lfu = createTestEngine({ config: { 'maxmemory-policy': 'allkeys-lfu' } })
    const disk = memoryDisk()
    lfu.server.setRdbDisk(disk)
    lfu.exec('set', 'k', 'v')
    for (let i = 0; i < 50; i++) lfu.exec('get', 'k')
    const freq = lfu.exec('object', 'freq', 'k')
    expect(lfu.exec('save')).toEqual(r.ok)
    const fromLfu = loaded(disk.files.get('dump.rdb') ?? '', { 'maxmemory-policy': 'allkeys-lfu' })
    expect(fromLfu.t.exec('object', 'freq', 'k')).toEqual(freq)

    const lru = createTestEngine({ config: { 'maxmemory-policy': 'allkeys-lru' } })
    lru.server.setRdbDisk(disk)
    lru.exec('set', 'k', 'v')
    lru.tick(30_000)
    expect(lru.exec('save')).toEqual(r.ok)
    const fromLru = loaded(disk.files.get('dump.rdb') ?? '')
    expect(fromLru.t.exec('object', 'idletime', 'k')).toEqual(r.int(30))
  })

  it('BGSAVE writes the dataset as of the fork, when cron reaps the child', () => {
    const t = createTestEngine()
    const disk = memoryDisk()
    t.server.setRdbDisk(disk)
    t.exec('set', 'before', '1')
    expect(t.exec('bgsave')).toEqual(r.simple('Background saving started'))
    t.exec('set', 'after', '1')
    expect(disk.files.size).toBe(0)
    t.tick(200)
    expect(disk.lines).toEqual([
      'M * Background saving started by pid 101',
      'C * DB saved on disk',
      'C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      'M * Background saving terminated with success',
    ])
    const back = loaded(disk.files.get('dump.rdb') ?? '')
    expect(back.t.exec('exists', 'before', 'after')).toEqual(r.int(1))
    // The write after the fork is still unsaved.
    expect(text(t, 'info', 'persistence')).toMatch(/rdb_changes_since_last_save:1\r/)
  })

  it('skips empty keys and expired ones, and takes a file without RESIZEDB or checksum', () => {
    const past = '\x00'.repeat(8) // EXPIRETIME_MS 0: long expired
    const rdb =
      'REDIS0009' +
      '\xfe\x00' + // SELECTDB 0, no RESIZEDB
      '\x02\x01e\x00' + // an empty set "e"
      '\xfc' +
      past +
      '\x00\x04gone\x01x' + // "gone", expired
      '\x00\x01a\x011' + // "a" = "1"
      '\xff' +
      '\x00'.repeat(8)
    const { t, ok, lines } = loaded(rdb)
    expect(ok).toBe(true)
    expect(lines).toEqual([
      'M # rdbLoadObject skipping empty key: e',
      'M # RDB file was saved with checksum disabled: no check performed.',
      'M # Done loading RDB, keys loaded: 1, keys expired: 1, empty keys skipped: 1.',
    ])
    expect(t.exec('keys', '*')).toEqual(r.arr([r.bulk('a')]))
    expect(text(t, 'info', 'persistence')).toMatch(/rdb_last_load_keys_expired:1\r/)
  })

  it('refuses a file from a newer Redis, a db it does not have, a short one, a bad checksum', () => {
    const version = loaded('REDIS0011\xff' + '\x00'.repeat(8))
    expect(version.ok).toBe(false)
    expect(version.lines).toEqual([
      "M # Can't handle RDB format version 11",
      'M # Fatal error loading the DB: Invalid argument. Exiting.',
    ])
    const db = loaded('REDIS0010\xfe\x20\xff' + '\x00'.repeat(8))
    expect(db.ok).toBe(false)
    expect(db.lines).toEqual([
      'M # FATAL: Data file was created with a Redis server configured to handle more than 16 databases. Exiting\n',
    ])
    const short = loaded('REDIS0010\x00\x01a')
    expect(short.ok).toBe(false)
    expect(short.lines).toEqual([
      'M # Short read or OOM loading DB. Unrecoverable error, aborting now.',
      'M # Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
      // redis-server 7.0.15 prints the same report for this file.
      '[offset 0] Checking RDB file dump.rdb',
      '--- RDB ERROR DETECTED ---',
      '[offset 12] Unexpected EOF reading RDB file',
      '[additional info] While doing: read-object-value',
      "[additional info] Reading key 'a'",
      '[additional info] Reading type 0 (string)',
      '[info] 1 keys read',
      '[info] 0 expires',
      '[info] 0 already expired',
    ])
    const crc = loaded('REDIS0010\xff' + '\x01'.repeat(8))
    expect(crc.ok).toBe(false)
    expect(crc.lines[0]).toMatch(
      /^M # Wrong RDB checksum expected: \([0-9a-f]+\) but got \(101010101010101\)\. Aborting now\.$/,
    )
  })
})

describe('loading an RDB file in steps (server.loading)', () => {
  it('answers -LOADING to commands without the loading flag until the last key is in', () => {
    const src = createTestEngine({ config: { rdbcompression: 'no' } })
    const disk = memoryDisk()
    src.server.setRdbDisk(disk)
    for (let i = 0; i < 20; i++) src.exec('set', `key:${String(i)}`, 'x'.repeat(100))
    expect(src.exec('save')).toEqual(r.ok)
    const rdb = disk.files.get('dump.rdb') ?? ''

    const t = createTestEngine({ config: { 'enable-protected-configs': 'yes' } })
    const target = memoryDisk()
    t.server.setRdbDisk(target)
    const loading = t.server.startLoadingRdbFile(rdb)
    if (loading === null) throw new Error('not loaded')
    // A step reads until 1024 more bytes of the file are in: the header and 9 keys of ~110.
    expect(loading.step(1024)).toEqual({ keys: 9, state: 'more' })
    const info = text(t, 'info', 'persistence')
    expect(info).toMatch(/\r\nloading:1\r\n/)
    expect(info).toMatch(/\r\nrdb_last_load_keys_loaded:9\r\n/)
    expect(info).toMatch(/\r\nloading_total_bytes:\d+\r\nloading_rdb_used_mem:\d+\r\n/)
    expect(info).toMatch(/\r\nloading_loaded_perc:\d+\.\d\d\r\nloading_eta_seconds:1\r\n$/)
    // Answers of redis-server 7.0.15 while it loads.
    const loadingErr = r.err('LOADING Redis is loading the dataset in memory')
    expect(t.exec('get', 'key:1')).toEqual(loadingErr)
    expect(t.exec('ping')).toEqual(loadingErr)
    expect(t.exec('config', 'set', 'dir', '/tmp')).toEqual(loadingErr)
    expect(t.exec('config', 'set', 'foo', 'bar', 'dir', 'x')).toEqual(
      r.err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
    )
    expect(t.exec('config', 'set', 'loglevel', 'debug')).toEqual(r.ok)
    expect(t.exec('multi')).toEqual(r.ok)
    // SHUTDOWN SAVE now saves nothing: never the half-loaded dataset (prepareForShutdown).
    const before = target.lines.length
    expect(t.server.prepareForShutdown(['shutdown', 'save'])).toBe(true)
    expect(target.lines.length).toBe(before)
    let rest = loading.step(1 << 20)
    while (rest.state === 'more') rest = loading.step(1 << 20)
    expect(rest).toEqual({ keys: 11, state: 'done' })
    expect(t.exec('discard')).toEqual(r.ok)
    expect(t.exec('dbsize')).toEqual(r.int(20))
    expect(text(t, 'info', 'persistence')).toMatch(/\r\nloading:0\r\n/)
  })
})
