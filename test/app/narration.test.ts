import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { counted, translate } from '../../src/i18n/index.ts'
import { messages } from '../../src/i18n/messages.ts'
import { fill } from '../../src/panels/shared/fill.ts'
import { dictName, narrate, narration } from '../../src/panels/shared/narration.ts'
import { SUMMARY_EVENTS } from '../../src/engine/events.ts'

describe('narration', () => {
  it('has an entry for every event type the engine can emit', () => {
    expect(Object.keys(narration).sort()).toEqual(Object.keys(SUMMARY_EVENTS).sort())
  })

  it('counts in English plurals (1 key, 2 keys), never "key(s)"', () => {
    const moved = (n: number) =>
      narrate(
        {
          type: 'dict/bucketRehashed',
          dict: 'db:0:keys',
          from: 5,
          moves: Array.from({ length: n }, (_, i) => ({ key: String(i), to: 5 })),
          rehashIdx: 6,
        },
        'en',
      )
    expect(moved(1)).toBe('Moved bucket 5 (1 key) of the keyspace of db 0 from ht[0] to ht[1].')
    expect(moved(0)).toContain('(0 keys)')
    const node = (count: number) =>
      narrate({ type: 'quicklist/nodeCreated', key: 'l', node: 0, count, sz: 12, prev: null }, 'en')
    expect(node(1)).toContain('with 1 entry (12 bytes)')
    expect(node(3)).toContain('with 3 entries (12 bytes)')
    expect(counted('1,000', 'line', 'lines')).toBe('1,000 lines')
    expect(translate('en', 'console.resumeOffer', { count: 1 })).toBe(
      '1 line had not run when the page reloaded.',
    )
    expect(translate('zh', 'console.resumeOffer', { count: 1 })).toBe(
      '页面重新加载时有 1 行还没有执行。',
    )
    expect(fill('{n|node|nodes}, {c|element|elements}', { n: 1, c: 2 })).toBe('1 node, 2 elements')
  })

  it('has no "(s)" plural in any caption, narration or panel text, in either language', () => {
    const hedged = /\b[a-z]+\((?:s|es|ies)\)/
    for (const lang of ['en', 'zh'] as const)
      for (const [key, text] of Object.entries(messages[lang]))
        expect(hedged.test(text), `${lang} ${key}: ${text}`).toBe(false)
    // Panels and narration write their own templates: every non-comment source line.
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const path = join(dir, f)
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(f) ? [path] : []
      })
    const offenders = ['src/panels', 'src/app', 'src/i18n'].flatMap(files).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l) && hedged.test(l))
        .map((l) => `${path}: ${l.trim()}`),
    )
    expect(offenders).toEqual([])
  })

  it('names the dict a table step is about: keyspace, expires, a value’s own table', () => {
    const deleted = (dict: string) =>
      ({ type: 'dict/keyDeleted', dict, key: 'k', table: 0, bucket: 3, chainPos: 0 }) as const
    expect(narrate(deleted('db:0:expires'), 'en')).toBe(
      'Deleted “k” from ht[0] bucket 3 of the expires dict of db 0.',
    )
    expect(narrate(deleted('db:0:keys'), 'en')).toBe(
      'Deleted “k” from ht[0] bucket 3 of the keyspace of db 0.',
    )
    expect(narrate(deleted('db:0:expires'), 'zh')).toBe(
      '从 db 0 的过期字典的 ht[0] 第 3 号桶删除 “k”。',
    )
    expect(dictName('key:2:\xe7\x94\xa8:x')).toEqual({
      en: 'the hash table of “用:x”',
      zh: ' “用:x” 的哈希表',
    })
    expect(dictName('client:7:shardchannels').en).toBe('client 7’s shard channel dict')
    expect(dictName('pubsub:patterns').zh).toBe('服务器的模式字典')
  })

  it('says which table a new dict allocates without naming the hash table twice', () => {
    // "Created a hash table of 4 buckets for the hash table of “nums”" read as two tables.
    const created = (dict: string) => ({ type: 'dict/tableCreated', dict, exp: 2 }) as const
    expect(narrate(created('key:0:nums'), 'en')).toBe(
      'Created ht[0] with 4 buckets for the hash table of “nums”.',
    )
    expect(narrate(created('key:0:nums'), 'zh')).toBe('为 “nums” 的哈希表创建了 ht[0]，共 4 个桶。')
    expect(narrate(created('db:0:keys'), 'en')).toBe(
      'Created ht[0] with 4 buckets for the keyspace of db 0.',
    )
    expect(narrate(created('db:0:expires'), 'zh')).toBe(
      '为 db 0 的过期字典创建了 ht[0]，共 4 个桶。',
    )
  })

  it('says why a dict grows: full, forced past 5 a bucket, or sized ahead by the command', () => {
    const grow = (reason: 'fill' | 'forced' | 'explicit', used: number) =>
      ({
        type: 'dict/expandStarted',
        dict: 'db:0:keys',
        fromExp: 2,
        toExp: 5,
        used,
        reason,
      }) as const
    expect(narrate(grow('fill', 4), 'en')).toBe(
      '4 keys in 4 buckets of the keyspace of db 0, as many keys as buckets: started growing to 32 buckets (incremental rehash).',
    )
    expect(narrate(grow('forced', 21), 'en')).toContain('more than 5 a bucket')
    expect(narrate(grow('forced', 21), 'zh')).toContain('平均每桶超过 5 个')
    // DEBUG POPULATE 30 sizes the keyspace before adding a key: no fill to speak of.
    expect(narrate(grow('explicit', 1), 'en')).toBe(
      'The command sizes the keyspace of db 0 ahead for the keys it is about to add: growing from 4 to 32 buckets with 1 key in it (dictExpand, incremental rehash).',
    )
    expect(narrate(grow('explicit', 1), 'zh')).toContain('dictExpand')
  })

  it('tells a step in English and 简体中文, keys decoded from UTF-8 bytes', () => {
    const e = {
      type: 'dict/bucketRehashed' as const,
      dict: 'db:0:keys',
      from: 5,
      moves: [
        { key: 'a', to: 5 },
        { key: 'b', to: 13 },
      ],
      rehashIdx: 6,
    }
    expect(narrate(e, 'en')).toBe(
      'Moved bucket 5 (2 keys) of the keyspace of db 0 from ht[0] to ht[1].',
    )
    expect(narrate(e, 'zh')).toBe('把 db 0 的键空间的第 5 号桶（2 个键）从 ht[0] 搬到 ht[1]。')
    const lazy = {
      type: 'expire/keyExpiredLazily' as const,
      db: 0,
      key: '\xe4\xb8\xad',
      when: 1000,
      now: 1500,
    }
    expect(narrate(lazy, 'en')).toBe(
      '“中” had expired 500 ms ago: deleted when accessed (lazy expiry).',
    )
  })

  it('says why an object changed encoding in words, not with the engine explanation id', async () => {
    const { createServer, manualClock } = await import('../../src/engine/index.ts')
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['CONFIG', 'SET', 'zset-max-listpack-entries', '2'])
    s.call(['ZADD', 'z', '1', 'a', '2', 'b'])
    const z = s
      .execute(['ZADD', 'z', '3', 'c'])
      .events.find((e) => e.type === 'object/encodingConverted')
    s.call(['SADD', 'nums', '1'])
    const set = s
      .execute(['SADD', 'nums', 'x'])
      .events.find((e) => e.type === 'object/encodingConverted')
    if (!z || !set) throw new Error('no conversion event')
    expect(narrate(z, 'en')).toBe(
      '“z” converted from listpack to skiplist: 3 entries are more than the limit of 2.',
    )
    expect(narrate(z, 'zh')).toBe(
      '“z” 的编码从 listpack 转换为 skiplist：元素个数 3 超过了上限 2。',
    )
    expect(narrate(set, 'en')).toBe(
      '“nums” converted from intset to hashtable: “x” is not an integer.',
    )
    for (const lang of ['en', 'zh'] as const) expect(narrate(z, lang)).not.toMatch(/tooManyEntries/)
  })

  it('says why PFCOUNT made an embstr HyperLogLog raw, in both languages', async () => {
    const { createServer, manualClock } = await import('../../src/engine/index.ts')
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['PFADD', 'h', 'a'])
    const bytes = s.call(['GET', 'h'])
    if (bytes.type !== 'bulk' || bytes.value === null) throw new Error('no HLL bytes')
    // A copy under 45 bytes is an embstr, which PFCOUNT must unshare before caching a count.
    s.call(['SET', 'copy', bytes.value])
    const e = s
      .execute(['PFCOUNT', 'copy'])
      .events.find((x) => x.type === 'object/encodingConverted')
    if (!e) throw new Error('no conversion event')
    expect(narrate(e, 'en')).toBe(
      '“copy” converted from embstr to raw: PFCOUNT needs a private, writable string.',
    )
    expect(narrate(e, 'zh')).toMatch(/PFCOUNT 需要一个独占、可写的字符串/)
  })

  it('says when DEBUG RELOAD gave a value another encoding', async () => {
    const { createServer, manualClock } = await import('../../src/engine/index.ts')
    const s = createServer({
      seed: 1,
      clock: manualClock(),
      trace: 'full',
      enableDebugCommand: 'yes',
    })
    s.call(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'])
    s.call(['CONFIG', 'SET', 'zset-max-listpack-entries', '2'])
    const e = s
      .execute(['DEBUG', 'RELOAD'])
      .events.find((x) => x.type === 'object/encodingConverted')
    if (!e) throw new Error('no conversion event')
    expect(narrate(e, 'en')).toBe(
      '“z” converted from listpack to skiplist: DEBUG RELOAD loaded it back with the encoding the current limits call for.',
    )
    expect(narrate(e, 'zh')).toMatch(/DEBUG RELOAD 重新载入时按当前的上限选择了编码/)
  })
})
