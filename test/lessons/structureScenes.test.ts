/**
 * The structure scenes (HyperLogLog, hash, quicklist, eviction, the keyspace dict shrinking,
 * sds preallocation, shared integers, intset limits, tracking, lazy free, lazy expiry, the
 * embstr limit, LFU decay, a set shrinking on SREM, a zset range search, a stream PEL
 * claimed, BITFIELD counters, HyperLogLog unions, volatile-ttl eviction, SDS header types,
 * the LRU clock, no resize under BGSAVE, eviction out of time) do what their notes say: each scene's lines run against the engine, and
 * the test checks the encodings, the events and the replies behind every claim.
 */
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import type { StepEvent } from '../../src/engine/events.ts'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { KeyspaceView } from '../../src/engine/inspect.ts'
import type { IntsetView, QuicklistView } from '../../src/engine/inspectContainers.ts'
import type { HyperLogLogView } from '../../src/engine/inspectHll.ts'
import type { StreamView } from '../../src/engine/inspectStream.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { sceneById } from '../../src/lessons/scenes.ts'
import { narrate } from '../../src/panels/shared/narration.ts'

interface Step {
  readonly line: string
  readonly reply: Reply
  readonly events: readonly StepEvent[]
}

/**
 * Runs a scene with full tracing: one step per `run` line, `inspect` views after each. On the
 * app's clock: modelled work moves it, so time budgets run out as in the browser.
 */
function play(id: string, focus: string | null = null, after: readonly string[] = []) {
  const scene = sceneById(id)
  if (!scene) throw new Error(`no scene ${id}`)
  const s = createServer({
    seed: 42,
    clock: manualClock(undefined, { modelWork: true }),
    trace: 'full',
    enableDebugCommand: 'yes',
  })
  // The scenes a learner ran before this one, in the same session.
  for (const line of after.flatMap((p) => sceneById(p)?.lines ?? [])) {
    if ('tick' in line) s.tick(line.tick)
    else {
      const parsed = parseCommandLine(line.run)
      if (parsed.ok) s.execute(parsed.argv)
    }
  }
  const steps: (Step & { view: ReturnType<typeof s.inspect> })[] = []
  const ticks: StepEvent[][] = []
  for (const line of scene.lines) {
    if ('tick' in line) {
      ticks.push([...s.tick(line.tick).events])
      continue
    }
    const parsed = parseCommandLine(line.run)
    if (!parsed.ok) throw new Error(`cannot parse ${line.run}`)
    const t = s.execute(parsed.argv)
    steps.push({
      line: line.run,
      reply: t.reply,
      events: t.events,
      view: focus ? s.inspect(focus) : null,
    })
  }
  const at = (prefix: string, nth = 0) => {
    const found = steps.filter((x) => x.line.startsWith(prefix))[nth]
    if (!found) throw new Error(`no line ${prefix}`)
    return found
  }
  // Only the lines the scene marks `fails` answer an error.
  const failing = new Set(scene.lines.flatMap((l) => ('fails' in l && l.fails ? [l.run] : [])))
  expect(steps.filter((x) => x.reply.type === 'error' && !failing.has(x.line))).toEqual([])
  return { s, steps, ticks, at }
}

const int = (value: number): Reply => ({ type: 'integer', value })
const bulk = (value: string): Reply => ({ type: 'bulk', value })

describe('hll-sparse-dense', () => {
  it('stays sparse for three names, caches the count, then turns dense past 40 bytes', () => {
    const { at } = play('hll-sparse-dense', 'visitors')
    const first = at('PFADD visitors alice')
    expect((first.view as unknown as HyperLogLogView).encoding).toBe('sparse')
    // Three registers raised, each splitting an opcode.
    const updates = first.events.filter((e) => e.type === 'hll/registerUpdated')
    expect(updates).toHaveLength(3)
    expect(updates.every((e) => e.type === 'hll/registerUpdated' && e.sparse !== null)).toBe(true)
    const len = at('STRLEN visitors').reply
    expect(len.type === 'integer' && len.value <= 40).toBe(true)
    const hll = (st: Step) => st.events.map((e) => e.type).filter((t) => t.startsWith('hll/'))
    expect(hll(at('PFCOUNT visitors'))).toEqual(['hll/cardinalityCached'])
    expect(hll(at('PFCOUNT visitors', 1))).toEqual(['hll/cachedCardinalityUsed'])
    const promo = at('PFADD visitors dave').events.filter((e) => e.type === 'hll/sparseToDense')
    expect(promo).toEqual([expect.objectContaining({ reason: 'sparseTooBig', limit: 40 })])
    expect((at('PFADD visitors dave').view as unknown as HyperLogLogView).encoding).toBe('dense')
    expect(at('STRLEN visitors', 1).reply).toEqual(int(12304))
    expect(at('PFCOUNT visitors', 2).reply).toEqual(int(8))
  })
})

describe('hash-listpack-hashtable', () => {
  it('converts on the fifth field and on a 65-byte value, and never converts back', () => {
    const { at } = play('hash-listpack-hashtable')
    expect(at('OBJECT ENCODING user', 0).reply).toEqual(bulk('listpack'))
    const conv = at('HSET user job').events.filter((e) => e.type === 'object/encodingConverted')
    expect(conv).toEqual([
      expect.objectContaining({
        key: 'user',
        from: 'listpack',
        to: 'hashtable',
        reason: 'tooManyEntries',
        params: { entries: 5, limit: 4 },
      }),
    ])
    expect(at('OBJECT ENCODING user', 1).reply).toEqual(bulk('hashtable'))
    expect(at('HDEL user job').reply).toEqual(int(1))
    expect(at('OBJECT ENCODING user', 2).reply).toEqual(bulk('hashtable'))
    const bio = at('HSET bio').events.find((e) => e.type === 'object/encodingConverted')
    expect(bio).toEqual(expect.objectContaining({ key: 'bio', reason: 'valueTooLong' }))
    expect(at('OBJECT ENCODING bio').reply).toEqual(bulk('hashtable'))
  })
})

describe('quicklist-split', () => {
  it('fills one node of 4, starts a second, and splits the full node on LINSERT', () => {
    const { at } = play('quicklist-split', 'q')
    const entries = (v: unknown) => (v as QuicklistView).nodes.map((n) => n.entries)
    expect(entries(at('RPUSH q a').view)).toEqual([['a', 'b', 'c', 'd']])
    expect(entries(at('RPUSH q e').view)).toEqual([['a', 'b', 'c', 'd'], ['e']])
    const ins = at('LINSERT q')
    const types = ins.events.map((e) => e.type).filter((t) => t.startsWith('quicklist/'))
    expect(types).toContain('quicklist/nodeSplit')
    expect(types).toContain('quicklist/nodesMerged')
    expect(entries(ins.view)).toEqual([
      ['a', 'x'],
      ['b', 'c', 'd', 'e'],
    ])
    expect(at('LRANGE q').reply).toEqual({
      type: 'array',
      value: ['a', 'x', 'b', 'c', 'd', 'e'].map(bulk),
    })
  })
})

describe('quicklist-compress', () => {
  it('keeps the end nodes raw, LZF-compresses the ones between, and leaves a node under 48 bytes raw', () => {
    const { at } = play('quicklist-compress', 'ql')
    // Each node's LZF size (null: raw), head to tail.
    const lzf = (v: unknown) => (v as QuicklistView).nodes.map((n) => n.lzfSz)
    const types = (step: { events: readonly StepEvent[] }) =>
      step.events.map((e) => e.type).filter((t) => t.startsWith('quicklist/'))
    expect(lzf(at('RPUSH ql', 0).view)).toEqual([null])
    expect(lzf(at('RPUSH ql', 1).view)).toEqual([null, null])
    const third = at('RPUSH ql', 2)
    expect(lzf(third.view)).toEqual([null, 55, null])
    expect(third.events).toContainEqual(
      expect.objectContaining({ type: 'quicklist/nodeCompressed', sz: 127, lzfSz: 55 }),
    )
    const read = at('LINDEX ql 5')
    expect(read.reply).toEqual(bulk('log:2026-11-24:/index.html:6'))
    expect(types(read)).toEqual(['quicklist/nodeDecompressed', 'quicklist/nodeCompressed'])
    expect(lzf(read.view)).toEqual([null, 55, null])
    expect(lzf(at('LPUSH ql a').view)).toEqual([null, 55, 55, null])
    const small = at('LPUSH ql e')
    expect(lzf(small.view)).toEqual([null, null, 55, 55, null])
    expect(small.events).toContainEqual(
      expect.objectContaining({ type: 'quicklist/nodeKeptRaw', sz: 19, reason: 'tooSmall' }),
    )
    const all = at('LRANGE ql').reply
    expect(all.type === 'array' ? all.value?.length : all).toBe(14)
  })
})

describe.each(['evict-lru', 'evict-lfu'])('%s', (id) => {
  it('evicts through the pool, keeps the keys just used, and stops once under maxmemory', () => {
    const { at } = play(id)
    expect(at('DBSIZE', 0).reply).toEqual(int(300))
    const set = at('CONFIG SET maxmemory 1300000')
    const picked = set.events.filter((e) => e.type === 'evict/keyPicked')
    expect(picked.length).toBeGreaterThanOrEqual(10)
    // About 1 KB a key; the console's new client still holds its 16 KiB reply buffer.
    expect(picked.length).toBeLessThanOrEqual(130)
    expect(set.events.some((e) => e.type === 'evict/poolUpdated')).toBe(true)
    expect(set.events.some((e) => e.type === 'evict/keysSampled')).toBe(true)
    const keys = picked.map((e) => (e.type === 'evict/keyPicked' ? e.key : ''))
    expect(keys).not.toContain('key:1')
    expect(at('DBSIZE', 1).reply).toEqual(int(300 - picked.length))
    // DBSIZE ran before maxmemory was set, so it allocates nothing new: no more evictions.
    expect(at('DBSIZE', 1).events.filter((e) => e.type === 'evict/keyPicked')).toEqual([])
    expect(at('EXISTS key:1 key:2 key:3', 1).reply).toEqual(int(3))
  })

  it('prints no 1 KB values: the keys are used with TOUCH, not GET (a wall of \\x00 padding)', () => {
    const { steps } = play(id)
    const bulky = steps.filter((x) => x.reply.type === 'bulk' && (x.reply.value?.length ?? 0) > 100)
    expect(bulky.map((x) => x.line)).toEqual([])
    expect(steps.filter((x) => x.line.startsWith('TOUCH')).map((x) => x.reply)).toContainEqual(
      int(3),
    )
  })
})

describe.each(['evict-lru', 'evict-lfu', 'evict-volatile-ttl', 'evict-time-limit'])(
  '%s after other scenes',
  (id) => {
    it('evicts the same keys as in a fresh session (the commands run before hold no memory)', () => {
      const evicted = (steps: readonly Step[]) =>
        steps.flatMap((x) => x.events.flatMap((e) => (e.type === 'evict/keyPicked' ? [e.key] : [])))
      const fresh = play(id)
      const later = play(id, null, ['stream-nodes', 'geo-search', 'hll-merge', 'bitfield-counters'])
      expect(evicted(later.steps)).toEqual(evicted(fresh.steps))
      expect(later.steps.map((x) => x.reply)).toEqual(fresh.steps.map((x) => x.reply))
    })
  },
)

it('evict-lfu counts the reads: 7 for a key read twice, 5 for one never read', () => {
  const { at } = play('evict-lfu')
  expect(at('OBJECT FREQ key:1').reply).toEqual(int(7))
  expect(at('OBJECT FREQ key:9').reply).toEqual(int(5))
})

describe('dict-shrink', () => {
  it('leaves 2 keys in 32 buckets after the DELs, and the cron shrinks the table to 4', () => {
    const { s, steps, ticks, at } = play('dict-shrink')
    const dels = steps.filter((x) => x.line.startsWith('DEL '))
    expect(dels.map((x) => x.reply)).toEqual([int(10), int(10), int(10)])
    // A delete never resizes the keyspace dict.
    const resized = (events: readonly StepEvent[]) =>
      events.filter((e) => e.type === 'dict/shrinkStarted' || e.type === 'dict/expandStarted')
    expect(dels.flatMap((x) => resized(x.events))).toEqual([])
    const before = at('DEBUG HTSTATS 0', 0).reply
    expect(before.type === 'bulk' && before.value).toContain(
      ' table size: 32\n number of elements: 2\n',
    )
    // The tick: tryResizeHashTables starts a shrink to 2^2, incrementallyRehash finishes it.
    const tick = ticks[0] ?? []
    expect(resized(tick)).toEqual([
      expect.objectContaining({
        type: 'dict/shrinkStarted',
        fromExp: 5,
        toExp: 2,
        used: 2,
      }),
    ])
    expect(tick.filter((e) => e.type === 'dict/rehashCompleted')).toEqual([
      expect.objectContaining({ exp: 2 }),
    ])
    const after = at('DEBUG HTSTATS 0', 1).reply
    expect(after.type === 'bulk' && after.value).toContain(
      ' table size: 4\n number of elements: 2\n',
    )
    const ks = s.inspect(null) as unknown as KeyspaceView
    expect(ks.dict.rehashIdx).toBe(-1)
    expect(ks.dict.tables.map((t) => [t.size, t.used])).toEqual([[4, 2]])
    expect(at('DBSIZE').reply).toEqual(int(2))
  })
})

describe('sds-prealloc', () => {
  it('doubles under 1 MB, fits an APPEND in the spare room, and adds 1 MB above it', () => {
    const { at } = play('sds-prealloc', 's')
    const sdslen = (nth: number) => at(`DEBUG SDSLEN ${nth < 3 ? 's' : 'big'}`, nth % 3).reply
    const val = (len: number, avail: number, zmalloc: number) =>
      `val_sds_len:${String(len)}, val_sds_avail:${String(avail)}, val_zmalloc: ${String(zmalloc)}`
    expect(sdslen(0)).toEqual({
      type: 'simple',
      value: expect.stringContaining(val(11, 17, 32)),
    })
    expect(sdslen(1)).toEqual({
      type: 'simple',
      value: expect.stringContaining(val(14, 14, 32)),
    })
    expect(sdslen(2)).toEqual({
      type: 'simple',
      value: expect.stringContaining(val(34, 42, 80)),
    })
    const grown = (line: string) =>
      at(line)
        .events.filter((e) => e.type === 'sds/grown')
        .map((e) => e.type === 'sds/grown' && e.rule)
    expect(grown('APPEND s " world"')).toEqual(['doubled'])
    expect(grown('APPEND s "!!!"')).toEqual(['fits'])
    expect(grown('APPEND s 0123')).toEqual(['doubled'])
    expect(at('STRLEN s').reply).toEqual(int(34))
    expect(at('MEMORY USAGE s').reply).toEqual(int(128))
    expect(at('DEBUG SDSLEN big', 0).reply).toEqual({
      type: 'simple',
      value: expect.stringContaining(val(2000001, 97141, 2097152)),
    })
    expect(grown('SETRANGE big 2200000')).toEqual(['plus1mb'])
    expect(at('DEBUG SDSLEN big', 1).reply).toEqual({
      type: 'simple',
      value: expect.stringContaining(val(2200001, 1470005, 3670016)),
    })
  })
})

describe('shared-integers', () => {
  it('shares 100 and 101, keeps 10000 private and in place, and stops sharing under LRU with maxmemory', () => {
    const { at } = play('shared-integers')
    expect(at('OBJECT REFCOUNT n', 0).reply).toEqual(int(2147483647))
    expect(at('OBJECT ENCODING n').reply).toEqual(bulk('int'))
    expect(at('OBJECT REFCOUNT big').reply).toEqual(int(1))
    expect(at('INCR big').reply).toEqual(int(10001))
    expect(at('OBJECT ENCODING big').reply).toEqual(bulk('int'))
    expect(at('INCR n').reply).toEqual(int(101))
    expect(at('OBJECT REFCOUNT n', 1).reply).toEqual(int(2147483647))
    expect(at('OBJECT REFCOUNT m').reply).toEqual(int(1))
  })
})

describe('set-intset-entries', () => {
  it('keeps four sorted integers in an intset, converts on the fifth and past int64, never back', () => {
    const { at } = play('set-intset-entries', 'ids')
    expect((at('SADD ids 40').view as unknown as IntsetView).values).toEqual([
      '10',
      '20',
      '30',
      '40',
    ])
    expect(at('OBJECT ENCODING ids', 0).reply).toEqual(bulk('intset'))
    expect(at('SADD ids 50').events.filter((e) => e.type === 'object/encodingConverted')).toEqual([
      expect.objectContaining({
        key: 'ids',
        from: 'intset',
        to: 'hashtable',
        reason: 'tooManyEntries',
      }),
    ])
    expect(at('OBJECT ENCODING ids', 1).reply).toEqual(bulk('hashtable'))
    expect(at('SREM ids 50').reply).toEqual(int(1))
    expect(at('OBJECT ENCODING ids', 2).reply).toEqual(bulk('hashtable'))
    expect(at('OBJECT ENCODING big', 0).reply).toEqual(bulk('intset'))
    expect(
      at('SADD big 9223372036854775808').events.filter(
        (e) => e.type === 'object/encodingConverted',
      ),
    ).toEqual([expect.objectContaining({ key: 'big', from: 'intset', to: 'hashtable' })])
    expect(at('OBJECT ENCODING big', 1).reply).toEqual(bulk('hashtable'))
  })
})

describe('client-tracking', () => {
  it('remembers the read, pushes one invalidate after the SET, and forgets the key', () => {
    const { at } = play('client-tracking')
    expect(at('SET color red').events.filter((e) => e.type.startsWith('tracking/'))).toEqual([])
    expect(at('GET color').events.filter((e) => e.type === 'tracking/keysRemembered')).toEqual([
      expect.objectContaining({ keys: ['color'] }),
    ])
    const invalidate: Reply = {
      type: 'push',
      value: [bulk('invalidate'), { type: 'array', value: [bulk('color')] }],
    }
    expect(at('SET color blue').reply).toEqual({
      type: 'sequence',
      value: [{ type: 'simple', value: 'OK' }, invalidate],
    })
    expect(at('SET color green').reply).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect(at('HELLO 2').reply.type).toBe('array')
  })
})

describe('lazyfree-unlink', () => {
  it('frees the small value at once and counts the 100-entry set twice in lazyfreed_objects', () => {
    const { at } = play('lazyfree-unlink')
    const lazyfreed = (nth: number) => {
      const r = at('INFO memory', nth).reply
      return r.type === 'bulk' ? /lazyfreed_objects:(\d+)/.exec(r.value ?? '')?.[1] : undefined
    }
    expect(at('UNLINK small').reply).toEqual(int(1))
    expect(at('UNLINK big').reply).toEqual(int(1))
    expect(lazyfreed(0)).toBe('1')
    expect(at('DEL big', 1).reply).toEqual(int(1))
    expect(lazyfreed(1)).toBe('2')
  })
})

describe('expire-lazy', () => {
  it('keeps the expired key until GET finds it, with the active cycle off', () => {
    const { at, ticks } = play('expire-lazy')
    expect(ticks.flat().filter((e) => e.type === 'expire/keyExpiredActively')).toEqual([])
    expect(at('DBSIZE', 0).reply).toEqual(int(2))
    const get = at('GET session')
    expect(get.reply).toEqual({ type: 'bulk', value: null })
    expect(get.events.filter((e) => e.type === 'expire/keyExpiredLazily')).toEqual([
      expect.objectContaining({ key: 'session' }),
    ])
    expect(at('DBSIZE', 1).reply).toEqual(int(1))
  })
})

describe('embstr-44', () => {
  it('keeps 44 bytes in one 64-byte embstr block and makes 45 raw', () => {
    const { at } = play('embstr-44')
    expect(at('OBJECT ENCODING a').reply).toEqual(bulk('embstr'))
    expect(at('OBJECT ENCODING b').reply).toEqual(bulk('raw'))
    const a = at('SET a').events.find((e) => e.type === 'object/created')
    expect(a).toEqual(expect.objectContaining({ encoding: 'embstr' }))
    // 64 (robj + sdshdr8 + 44 + NUL) + the key's sds (8) + the dict entry (24).
    expect(at('MEMORY USAGE a').reply).toEqual(int(96))
    // 16 (robj) + 64 (sdshdr8 + 45 + NUL = 49, rounded up) + 8 + 24.
    expect(at('MEMORY USAGE b').reply).toEqual(int(112))
  })
})

describe('lfu-decay', () => {
  it('counts three reads to 8, decays 2 over two idle minutes, and adds the next read', () => {
    const { at } = play('lfu-decay')
    expect(at('OBJECT FREQ page', 0).reply).toEqual(int(8))
    expect(at('OBJECT FREQ page', 1).reply).toEqual(int(6))
    expect(at('GET page', 3).reply).toEqual(bulk('hello'))
    expect(at('OBJECT FREQ page', 2).reply).toEqual(int(7))
  })
})

describe('set-shrink', () => {
  it('starts the shrink inside SREM and finishes it with lookups, not in the cron', () => {
    const { s, at } = play('set-shrink', 'tags')
    const srem = at('SREM tags')
    expect(srem.reply).toEqual(int(15))
    expect(srem.events.filter((e) => e.type === 'dict/shrinkStarted')).toEqual([
      expect.objectContaining({ fromExp: 4, toExp: 2, used: 1 }),
    ])
    const mid = at('DEBUG HTSTATS-KEY tags', 0).reply
    expect(mid.type === 'bulk' && mid.value).toContain(' table size: 16\n number of elements: 1\n')
    expect(mid.type === 'bulk' && mid.value).toContain('Hash table 1 stats (rehashing target):')
    const lookups = at('SISMEMBER tags', 0).events.concat(at('SISMEMBER tags', 1).events)
    expect(lookups.filter((e) => e.type === 'dict/rehashCompleted')).toHaveLength(1)
    const done = at('DEBUG HTSTATS-KEY tags', 1).reply
    expect(done.type === 'bulk' && done.value).toContain(' table size: 4\n number of elements: 1\n')
    expect(done.type === 'bulk' && done.value).not.toContain('rehashing target')
    expect(s.call(['SCARD', 'tags'])).toEqual(int(1))
  })
})

describe('zset-range-levels', () => {
  it('converts on an 11-byte member, walks the levels for ZRANGEBYSCORE and ranks both ends for ZCOUNT', () => {
    const { at } = play('zset-range-levels', 'board')
    expect(at('OBJECT ENCODING board', 0).reply).toEqual(bulk('listpack'))
    expect(at('ZRANGEBYSCORE board 15 35').events.filter((e) => e.type === 'zsl/searched')).toEqual(
      [],
    )
    const conv = at('ZADD board 50 bartholomew').events.filter(
      (e) => e.type === 'object/encodingConverted',
    )
    expect(conv).toEqual([
      expect.objectContaining({
        key: 'board',
        from: 'listpack',
        to: 'skiplist',
        reason: 'valueTooLong',
      }),
    ])
    expect(at('OBJECT ENCODING board', 1).reply).toEqual(bulk('skiplist'))
    const range = at('ZRANGEBYSCORE board 75 105')
    expect(range.reply).toEqual({ type: 'array', value: ['gus', 'hal', 'ivy'].map(bulk) })
    const searches = range.events.filter((e) => e.type === 'zsl/searched')
    expect(searches).toHaveLength(1)
    const path = searches[0]?.type === 'zsl/searched' ? searches[0].path : []
    // Top level down to level 0, stopping at fay (70), the last node below 75.
    expect(path.map((p) => p.level)).toEqual(
      Array.from({ length: path.length }, (_, i) => path.length - 1 - i),
    )
    expect(path.length).toBeGreaterThan(1)
    expect(path.at(-1)).toEqual({ level: 0, member: 'fay', rank: 7 })
    const count = at('ZCOUNT board 75 105')
    expect(count.reply).toEqual(int(3))
    expect(count.events.filter((e) => e.type === 'zsl/searched')).toHaveLength(4)
    expect(at('OBJECT ENCODING board', 2).reply).toEqual(bulk('skiplist'))
  })
})

describe('stream-pel-claim', () => {
  it('moves 1-2 to bob with XCLAIM, both pending entries to carol with XAUTOCLAIM, counting deliveries', () => {
    const { s, at } = play('stream-pel-claim', 'jobs')
    const pel = (v: unknown) =>
      (v as StreamView).groups[0]?.pel.map((p) => [p.id, p.consumer, p.deliveries])
    expect(pel(at('XACK jobs workers 1-1').view)).toEqual([
      ['1-2', 'alice', '1'],
      ['1-3', 'bob', '1'],
    ])
    // What each claim reported: [cause, how many entries].
    const changes = (st: Step) =>
      st.events.flatMap((e) => (e.type === 'stream/groupChanged' ? [[e.cause, e.count]] : []))
    const claim = at('XCLAIM')
    expect(changes(claim)).toEqual([['claimed', 1]])
    expect(pel(claim.view)).toEqual([
      ['1-2', 'bob', '2'],
      ['1-3', 'bob', '1'],
    ])
    // Manual clock: the claim reset 1-2's idle time; 1-3 has waited the whole tick.
    expect(at('XPENDING jobs workers - + 10').reply).toEqual({
      type: 'array',
      value: [
        { type: 'array', value: [bulk('1-2'), bulk('bob'), int(0), int(2)] },
        { type: 'array', value: [bulk('1-3'), bulk('bob'), int(5000), int(1)] },
      ],
    })
    const auto = at('XAUTOCLAIM')
    expect(changes(auto)).toEqual([['claimed', 2]])
    expect(pel(auto.view)).toEqual([
      ['1-2', 'carol', '3'],
      ['1-3', 'carol', '2'],
    ])
    expect(at('XACK jobs workers 1-2 1-3').reply).toEqual(int(2))
    expect((s.inspect('jobs') as unknown as StreamView).groups[0]?.pending).toBe(0)
  })
})

describe('bitfield-counters', () => {
  it('wraps, saturates and refuses an u8, wraps an i8 at #1, and writes an unaligned u4', () => {
    const { at } = play('bitfield-counters', 'counters')
    const field = (prefix: string) =>
      at(prefix).events.flatMap((e) =>
        e.type === 'bitmap/fieldAccessed' ? [[e.op, e.offset, e.old, e.value, e.overflow]] : [],
      )
    const one = (v: number | null): Reply => ({
      type: 'array',
      value: [v === null ? { type: 'bulk', value: null } : int(v)],
    })
    expect(at('BITFIELD counters INCRBY u8 0 100').reply).toEqual(one(44))
    expect(field('BITFIELD counters INCRBY u8 0 100')).toEqual([['incrby', 0, '200', '44', 'wrap']])
    expect(field('BITFIELD counters OVERFLOW SAT')).toEqual([['incrby', 0, '44', '255', 'sat']])
    expect(at('BITFIELD counters OVERFLOW FAIL').reply).toEqual(one(null))
    expect(field('BITFIELD counters OVERFLOW FAIL')).toEqual([['incrby', 0, '255', null, 'fail']])
    expect(field('BITFIELD counters SET i8 #1')).toEqual([['set', 8, '0', '-100', 'wrap']])
    expect(at('BITFIELD counters INCRBY i8 #1').reply).toEqual(one(56))
    expect(at('BITFIELD counters SET u4 20').reply).toEqual({
      type: 'array',
      value: [int(0), int(0), int(9)],
    })
    expect(at('STRLEN counters').reply).toEqual(int(3))
    expect(at('GET counters').reply).toEqual(bulk('\xff\x38\x09'))
  })
})

describe('hll-merge', () => {
  it('counts the union without caching, stores it sparse with PFMERGE, then caches week', () => {
    const { at } = play('hll-merge', 'week')
    const hll = (prefix: string, nth = 0) =>
      at(prefix, nth).events.filter(
        (e) => e.type.startsWith('hll/') && e.type !== 'hll/elementHashed',
      )
    expect(at('PFCOUNT mon tue').reply).toEqual(int(5))
    expect(hll('PFCOUNT mon tue')).toEqual([
      { type: 'hll/unionCounted', keys: ['mon', 'tue'], nonZero: 5, card: 5 },
    ])
    expect(hll('PFMERGE week')).toEqual([
      expect.objectContaining({ type: 'hll/merged', key: 'week', nonZero: 5 }),
      expect.objectContaining({ type: 'hll/cacheInvalidated', key: 'week' }),
    ])
    const week = at('PFMERGE week').view as unknown as HyperLogLogView
    expect(week.encoding).toBe('sparse')
    expect(hll('PFCOUNT week', 0)).toEqual([
      { type: 'hll/cardinalityCached', key: 'week', card: 5 },
    ])
    expect(at('PFADD week carol').reply).toEqual(int(0))
    expect(hll('PFCOUNT week', 1)).toEqual([
      { type: 'hll/cachedCardinalityUsed', key: 'week', card: 5 },
    ])
    expect(at('PFADD week frank').reply).toEqual(int(1))
    expect(at('PFCOUNT week', 2).reply).toEqual(int(6))
  })
})

describe('evict-volatile-ttl', () => {
  it('evicts only keys with a TTL, the soonest first, and refuses writes once none is left', () => {
    const { at } = play('evict-volatile-ttl')
    const picked = (prefix: string, nth = 0) =>
      at(prefix, nth).events.flatMap((e) => (e.type === 'evict/keyPicked' ? [e.key] : []))
    const first = at('CONFIG SET maxmemory 1440000')
    expect(first.events.some((e) => e.type === 'evict/poolUpdated')).toBe(true)
    const sampled = first.events.flatMap((e) => (e.type === 'evict/keysSampled' ? e.sampled : []))
    expect(sampled.length).toBeGreaterThan(0)
    expect(sampled.every((c) => c.key.startsWith('tmp:'))).toBe(true)
    // The seven soonest to expire, in the order the samples brought them to the pool.
    expect([...picked('CONFIG SET maxmemory 1440000')].sort()).toEqual([
      'tmp:0',
      'tmp:1',
      'tmp:2',
      'tmp:3',
      'tmp:4',
      'tmp:5',
      'tmp:6',
    ])
    expect(at('DBSIZE', 1).reply).toEqual(int(55))
    expect(at('EXISTS tmp:0 tmp:11', 1).reply).toEqual(int(1))
    expect(picked('CONFIG SET maxmemory 1', 1).sort()).toEqual([
      'tmp:10',
      'tmp:11',
      'tmp:7',
      'tmp:8',
      'tmp:9',
    ])
    const set = at('SET fresh 1')
    expect(set.reply).toEqual({
      type: 'error',
      value: "OOM command not allowed when used memory > 'maxmemory'.",
    })
    expect(set.events.filter((e) => e.type === 'memory/oomRejected')).toHaveLength(1)
    expect(at('DBSIZE', 2).reply).toEqual(int(50))
  })
})

describe('sds-header-types', () => {
  it('stays sdshdr8 at 80 bytes, needs sdshdr16 for 200 (400 asked) and sdshdr32 past 64 KB', () => {
    const { at } = play('sds-header-types', 's')
    const grown = (prefix: string) =>
      at(prefix).events.flatMap((e) =>
        e.type === 'sds/grown' ? [[e.fromType, e.toType, e.toLen, e.toAlloc, e.rule]] : [],
      )
    expect(grown('APPEND s y')).toEqual([[8, 8, 80, 188, 'doubled']])
    expect(grown('APPEND s z')).toEqual([[8, 16, 200, 442, 'doubled']])
    expect(grown('SETRANGE')).toEqual([[16, 32, 70001, 163830, 'doubled']])
    const retyped = at('APPEND s z').events.find((e) => e.type === 'sds/grown')
    if (retyped === undefined) throw new Error('no sds/grown')
    expect(narrate(retyped, 'en')).toContain('was sdshdr8: a new block, the bytes copied')
    expect(narrate(retyped, 'zh')).toContain('原为 sdshdr8')
    const same = at('APPEND s y').events.find((e) => e.type === 'sds/grown')
    if (same === undefined) throw new Error('no sds/grown')
    expect(narrate(same, 'en')).not.toContain('new block')
    const sdslen = (nth: number) => at('DEBUG SDSLEN s', nth).reply
    expect(sdslen(2)).toEqual({
      type: 'simple',
      value: expect.stringContaining('val_sds_len:200, val_sds_avail:242, val_zmalloc: 448'),
    })
    expect(sdslen(3)).toEqual({
      type: 'simple',
      value: expect.stringContaining('val_sds_len:70001, val_sds_avail:93829, val_zmalloc: 163840'),
    })
  })
})

describe('lru-idle', () => {
  it('counts idle seconds from the lru field, resets it on GET and TOUCH, not on OBJECT', () => {
    const { at } = play('lru-idle', 'b')
    // b's robj lru field (the panel's robj header): OBJECT leaves it, TOUCH moves it 5 s on.
    const lru = (prefix: string, nth = 0) => (at(prefix, nth).view as { lru?: number }).lru
    const set = lru('SET b')
    expect(typeof set).toBe('number')
    expect(lru('OBJECT IDLETIME b', 0)).toBe(set)
    expect(lru('TOUCH b')).toBe((set ?? 0) + 5)
    expect(at('OBJECT IDLETIME a', 0).reply).toEqual(int(5))
    expect(at('OBJECT IDLETIME a', 1).reply).toEqual(int(0))
    expect(at('OBJECT IDLETIME b', 0).reply).toEqual(int(5))
    expect(at('TOUCH b').reply).toEqual(int(1))
    expect(at('OBJECT IDLETIME b', 1).reply).toEqual(int(0))
    expect(at('OBJECT IDLETIME a', 2).reply).toEqual({
      type: 'error',
      value:
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    })
  })
})

describe('dict-bgsave-avoid', () => {
  it('holds 5 keys in 4 buckets while the child runs, forces 32 at the 25th, and finishes after the reap', () => {
    const { s, ticks, at } = play('dict-bgsave-avoid')
    const resized = (events: readonly StepEvent[]) =>
      events.flatMap((e) => (e.type === 'dict/expandStarted' ? [[e.fromExp, e.toExp]] : []))
    expect(at('BGSAVE').reply).toEqual({ type: 'simple', value: 'Background saving started' })
    expect(resized(at('SET k5').events)).toEqual([])
    const five = at('DEBUG HTSTATS 0', 0).reply
    expect(five.type === 'bulk' && five.value).toContain(' table size: 4\n number of elements: 5\n')
    expect(resized(at('MSET k6').events)).toEqual([[2, 5]])
    const mid = at('DEBUG HTSTATS 0', 1).reply
    expect(mid.type === 'bulk' && mid.value).toContain(
      'Hash table 1 stats (rehashing target):\n table size: 32\n',
    )
    // The reap enables resizing; the same cron run finishes the rehash.
    expect((ticks[0] ?? []).filter((e) => e.type === 'dict/rehashCompleted')).toEqual([
      expect.objectContaining({ exp: 5 }),
    ])
    const ks = s.inspect(null) as unknown as KeyspaceView
    expect(ks.dict.tables.map((t) => [t.size, t.used])).toEqual([[32, 25]])
    const info = s.call(['INFO', 'persistence'])
    expect(info.type === 'bulk' && info.value).toContain('\r\nrdb_bgsave_in_progress:0\r\n')
  })
})

describe('evict-time-limit', () => {
  it('runs out of time twice on the first drop, and not at all with tenacity 100', () => {
    const { at } = play('evict-time-limit')
    const limits = (st: Step) =>
      st.events.flatMap((e) => (e.type === 'evict/timeLimitReached' ? [e.keysFreed] : []))
    const evicted = (st: Step) => st.events.filter((e) => e.type === 'evict/keyPicked').length
    // What the notes say: about 470 keys, in passes of 176 (11 checks of 16 keys), three passes.
    const first = at('CONFIG SET maxmemory 1600000')
    expect(limits(first)).toEqual([176, 176])
    expect(evicted(first)).toBeGreaterThan(2 * 176)
    expect(evicted(first)).toBeLessThan(3 * 176)
    expect(at('DBSIZE', 0).reply).toEqual(int(1000))
    expect(at('DBSIZE', 1).reply).toEqual(int(1000 - evicted(first)))
    // Nothing evicted between the drops (each command's first call ran before the first one).
    expect(evicted(at('CONFIG SET maxmemory-eviction-tenacity 100'))).toBe(0)
    const second = at('CONFIG SET maxmemory 1200000')
    expect(limits(second)).toEqual([])
    expect(evicted(second)).toBeGreaterThan(300)
  })
})

describe('rdb-reload', () => {
  it('keeps both values hashtables while running, and the reload brings back a listpack and an intset', () => {
    const { s, at } = play('rdb-reload')
    expect(at('OBJECT ENCODING user', 0).reply).toEqual(bulk('hashtable'))
    expect(at('OBJECT ENCODING nums', 0).reply).toEqual(bulk('hashtable'))
    expect(at('SAVE').reply).toEqual({ type: 'simple', value: 'OK' })
    const reload = at('DEBUG RELOAD')
    expect(reload.reply).toEqual({ type: 'simple', value: 'OK' })
    // The load rebuilt them: the set's integers went into an intset, the hash into a listpack.
    expect(reload.events.filter((e) => e.type === 'intset/inserted')).toHaveLength(3)
    expect(reload.events.filter((e) => e.type === 'listpack/entryInserted')).toHaveLength(8)
    expect(at('OBJECT ENCODING user', 1).reply).toEqual(bulk('listpack'))
    expect(at('OBJECT ENCODING nums', 1).reply).toEqual(bulk('intset'))
    // Same contents, and the limit back to its default.
    expect(s.call(['HLEN', 'user'])).toEqual(int(4))
    expect(s.call(['HGET', 'user', 'year'])).toEqual(bulk('1815'))
    expect(s.call(['SMEMBERS', 'nums'])).toEqual({
      type: 'array',
      value: [bulk('1'), bulk('2'), bulk('3')],
    })
    expect(s.call(['CONFIG', 'GET', 'hash-max-listpack-entries'])).toEqual({
      type: 'array',
      value: [bulk('hash-max-listpack-entries'), bulk('128')],
    })
  })
})
