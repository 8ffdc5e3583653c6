/**
 * Ready-made scenes: short command scripts that set up a structure in an interesting state,
 * each with a bilingual title and notes. A scene is data; the console runs its lines one by
 * one (as a pasted block), and `tick` lines advance the virtual clock.
 */

export interface Bilingual {
  readonly en: string
  readonly zh: string
}

export type SceneLine =
  | {
      readonly run: string
      readonly note?: Bilingual
      /** The line is meant to fail (the scene shows the error Redis gives). */
      readonly fails?: true
      /**
       * The connection (console tab) it runs in: 1, the active tab (the default), or 2, a
       * second tab the scene opens if there is none (a push that serves a BLPOP).
       */
      readonly client?: 1 | 2
    }
  | { readonly tick: number; readonly note?: Bilingual }

export interface Scene {
  readonly id: string
  readonly title: Bilingual
  readonly summary: Bilingual
  /** The key the panel should open on, if any. */
  readonly focus: string | null
  readonly lines: readonly SceneLine[]
}

/**
 * Keys of the expire-time-limit scene, all expiring at once: a few more than the 400 a slow
 * cycle deletes at hz 500 and active-expire-effort 2 before its every-16-loops clock check
 * finds its 540 µs spent (16 loops × 25 keys at about 1.4 µs a key, workCost.ts). At effort 1
 * (20 keys a loop, 500 µs) it took more than 640 keys, each one a line of the scene.
 */
const TIME_LIMIT_KEYS = 420

/** HSET lines that fill `key` with fields f:0..f:n-1 (values v:i), `per` fields a command. */
function hsetLines(key: string, n: number, per: number): SceneLine[] {
  const out: SceneLine[] = []
  for (let start = 0; start < n; start += per) {
    const parts: string[] = []
    for (let i = start; i < Math.min(n, start + per); i++) parts.push(`f:${i} v:${i}`)
    out.push({ run: `HSET ${key} ${parts.join(' ')}` })
  }
  return out
}

/** An SADD line that fills set `key` with members m:0..m:n-1. */
function saddLine(key: string, n: number): string {
  return `SADD ${key} ${Array.from({ length: n }, (_, i) => `m:${i}`).join(' ')}`
}

/**
 * The start of a scene whose maxmemory is a fixed number of bytes: an empty db 0, and the
 * memory taken by what ran before it given back. Every command's first call allocates its
 * latency histogram, which counts in used_memory and stays after FLUSHDB: run after a stream
 * or a GEO scene, the eviction scenes' limit evicted every key, the ones just used too.
 * CONFIG RESETSTAT frees them (resetCommandTableStats), so the limit means the same in any
 * session.
 */
const FRESH_MEMORY: readonly SceneLine[] = [
  { run: 'FLUSHDB' },
  {
    run: 'CONFIG RESETSTAT',
    note: {
      en: 'each command run so far holds a latency histogram that counts in used_memory: RESETSTAT frees them, so the limit below means the same whatever ran before',
      zh: '之前运行过的每个命令都占着一个延迟直方图，计入 used_memory：RESETSTAT 释放它们，这样下面的上限不受之前运行内容的影响',
    },
  },
]

/**
 * The end of an eviction scene: maxmemory set below the memory in use (the pool picks
 * victims; `why` says how), the key count, the three keys used last still there, and the
 * defaults restored. DBSIZE and EXISTS ran before, so they allocate nothing new afterwards
 * (a command's first call allocates its latency histogram, which would evict more).
 */
function evictionLines(why: Bilingual, kept: Bilingual): SceneLine[] {
  return [
    { run: 'EXISTS key:1 key:2 key:3' },
    { run: 'DBSIZE' },
    { run: 'CONFIG SET maxmemory 1300000', note: why },
    { run: 'DBSIZE', note: { en: 'fewer keys', zh: '键变少了' } },
    { run: 'EXISTS key:1 key:2 key:3', note: kept },
    { run: 'CONFIG SET maxmemory 0' },
    { run: 'CONFIG SET maxmemory-policy noeviction' },
  ]
}

export const SCENES: readonly Scene[] = [
  {
    id: 'dict-expand',
    title: { en: 'The keyspace dict grows and rehashes', zh: '键空间字典扩容与渐进式 rehash' },
    summary: {
      en: 'Four keys fill four buckets; the fifth starts a rehash into eight, and each later command moves one bucket.',
      zh: '四个键填满四个桶；第五个键触发扩容到八个桶，之后每条命令搬迁一个桶。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      { run: 'SET k1 a' },
      { run: 'SET k2 b' },
      { run: 'SET k3 c' },
      { run: 'SET k4 d', note: { en: 'used = size = 4', zh: 'used = size = 4' } },
      {
        run: 'SET k5 e',
        note: { en: 'used ≥ size: expand to 8 buckets', zh: 'used ≥ size：扩容到 8 个桶' },
      },
      { run: 'GET k1', note: { en: 'a lookup also moves a bucket', zh: '一次查找也会搬迁一个桶' } },
      { run: 'GET k2' },
      { run: 'GET k3' },
    ],
  },
  {
    id: 'scan-resize',
    title: { en: 'SCAN across a resize', zh: '扩容过程中的 SCAN' },
    summary: {
      en: 'Start a SCAN, add many keys so the table grows, then continue with the same cursor: nothing is missed.',
      zh: '开始 SCAN，再添加很多键让哈希表扩容，然后用同一个游标继续：一个都不会漏。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      { run: 'DEBUG POPULATE 30 k' },
      { run: 'SCAN 0 COUNT 4' },
      { run: 'DEBUG POPULATE 200 new' },
      {
        run: 'SCAN 12 COUNT 4',
        note: {
          en: 'continue with the cursor the first call returned (12 with the default seed, 42)',
          zh: '用第一次返回的游标继续（默认种子 42 下是 12）',
        },
      },
    ],
  },
  {
    id: 'hscan-20000',
    title: {
      en: 'Split a 20,000-field hash into groups with HSCAN',
      zh: '用 HSCAN 把两万个字段的哈希分组',
    },
    summary: {
      en: 'HSCAN big 0 COUNT 5000 returns about 5,000 fields a call (COUNT is a hint: whole buckets come back), so four or five calls cover the hash.',
      zh: 'HSCAN big 0 COUNT 5000 每次返回约 5000 个字段（COUNT 只是提示：整个桶会一起返回），四五次调用就能覆盖整个哈希。',
    },
    focus: 'big',
    lines: [
      { run: 'DEL big' },
      ...hsetLines('big', 20_000, 500),
      { run: 'HLEN big' },
      { run: 'OBJECT ENCODING big' },
      {
        run: 'HSCAN big 0 COUNT 5000',
        note: { en: 'then continue with the cursor it returns', zh: '然后用它返回的游标继续' },
      },
    ],
  },
  {
    id: 'string-encodings',
    title: { en: 'int, embstr and raw', zh: 'int、embstr 与 raw' },
    summary: {
      en: 'Small integers are shared, strings up to 44 bytes are embstr, longer ones raw; APPEND always leaves raw with spare room.',
      zh: '小整数是共享对象，44 字节以内是 embstr，更长的是 raw；APPEND 之后总是 raw 并预留空间。',
    },
    focus: 's',
    lines: [
      { run: 'SET n 42' },
      { run: 'OBJECT REFCOUNT n', note: { en: 'a shared integer', zh: '共享整数' } },
      { run: 'SET s hello' },
      { run: 'OBJECT ENCODING s' },
      {
        run: 'APPEND s " world"',
        note: {
          en: 'embstr is read-only: APPEND converts it to raw',
          zh: 'embstr 只读：APPEND 会把它转成 raw',
        },
      },
      { run: 'OBJECT ENCODING s' },
      {
        run: 'APPEND s "!!!"',
        note: { en: 'fits in the preallocated space', zh: '放得进预分配的空间' },
      },
    ],
  },
  {
    id: 'hll-sparse-dense',
    title: {
      en: 'A HyperLogLog goes from sparse to dense',
      zh: 'HyperLogLog 从稀疏编码变成稠密编码',
    },
    summary: {
      en: 'Each element’s hash picks one of 16384 registers and a value; a small HLL stores them as run-length opcodes, and past hll-sparse-max-bytes it becomes 12304 bytes of 6-bit registers for good.',
      zh: '每个元素的哈希值选出 16384 个寄存器中的一个以及一个值；小的 HLL 用游程编码的操作码保存寄存器，超过 hll-sparse-max-bytes 后永久变成 12304 字节的 6 位寄存器数组。',
    },
    focus: 'visitors',
    lines: [
      { run: 'DEL visitors' },
      {
        run: 'CONFIG SET hll-sparse-max-bytes 40',
        note: {
          en: 'a tiny limit (default 3000) so the promotion comes soon',
          zh: '把上限调得很小（默认 3000），好让转换早点发生',
        },
      },
      {
        run: 'PFADD visitors alice bob carol',
        note: {
          en: 'each name’s hash picks a register; the XZERO opcode around it splits in three',
          zh: '每个名字的哈希选中一个寄存器；覆盖它的 XZERO 操作码一分为三',
        },
      },
      {
        run: 'STRLEN visitors',
        note: { en: 'still a few bytes: sparse', zh: '仍然只有几十个字节：稀疏编码' },
      },
      {
        run: 'PFCOUNT visitors',
        note: {
          en: 'counts from the register histogram and caches the result in the header',
          zh: '根据寄存器直方图计数，并把结果缓存在头部',
        },
      },
      {
        run: 'PFCOUNT visitors',
        note: { en: 'the cache is valid: no counting', zh: '缓存有效：无需重新计数' },
      },
      {
        run: 'PFADD visitors dave erin frank grace heidi',
        note: {
          en: 'one more split would pass 40 bytes: the HLL turns dense',
          zh: '再拆分一次就会超过 40 字节：HLL 转成稠密编码',
        },
      },
      {
        run: 'STRLEN visitors',
        note: { en: '16 + 16384 × 6 / 8 = 12304 bytes', zh: '16 + 16384 × 6 / 8 = 12304 字节' },
      },
      { run: 'PFCOUNT visitors' },
      { run: 'CONFIG SET hll-sparse-max-bytes 3000' },
    ],
  },
  {
    id: 'geo-search',
    title: {
      en: 'GEO: a sorted set of geohashes, searched cell by cell',
      zh: 'GEO：由 geohash 组成的有序集合，按格子搜索',
    },
    summary: {
      en: 'GEOADD turns each position into a 52-bit score (longitude and latitude bits interleaved) and stores it with ZADD; GEOSEARCH picks a cell size from the radius, walks the centre cell and its neighbours as score ranges, keeps the points inside the circle, sorts them and cuts at COUNT.',
      zh: 'GEOADD 把每个位置变成 52 位分数（经度位与纬度位交错），用 ZADD 存入；GEOSEARCH 根据半径选定格子大小，把中心格及其邻格当作分数区间逐个扫描，保留圆内的点，排序后按 COUNT 截断。',
    },
    focus: 'cities',
    lines: [
      { run: 'DEL cities' },
      {
        run: 'GEOADD cities 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.496366 41.902782 Rome 14.268124 40.851775 Naples 9.189982 45.464204 Milan',
        note: {
          en: '26 halvings of each range give two cell numbers; interleaved, they are the score',
          zh: '经纬度范围各二分 26 次得到两个格子编号，交错后就是分数',
        },
      },
      {
        run: 'ZSCORE cities Palermo',
        note: {
          en: 'a plain zset score: 3479099956230698',
          zh: '就是普通的有序集合分数：3479099956230698',
        },
      },
      {
        run: 'OBJECT ENCODING cities',
        note: { en: 'a small zset: listpack', zh: '小的有序集合：listpack' },
      },
      {
        run: 'GEOHASH cities Palermo Rome',
        note: {
          en: 're-encoded on latitude −90..90 and written in base32: sqc8b49rny0, sr2ykk5t6k0',
          zh: '按纬度 −90..90 重新编码并写成 base32：sqc8b49rny0、sr2ykk5t6k0',
        },
      },
      {
        run: 'GEOPOS cities Palermo',
        note: {
          en: 'the centre of the step-26 cell, not the exact input',
          zh: '返回第 26 级格子的中心，而不是原样的输入',
        },
      },
      {
        run: 'GEODIST cities Palermo Catania km',
        note: {
          en: 'haversine on a sphere: 166.2742 km',
          zh: '球面上的 haversine 距离：166.2742 公里',
        },
      },
      {
        run: 'GEOSEARCH cities FROMLONLAT 15 37 BYRADIUS 500 km ASC COUNT 2 WITHDIST',
        note: {
          en: 'a 500 km radius gives step 5 cells; three points are inside, COUNT 2 keeps Catania and Palermo',
          zh: '500 公里半径对应第 5 级格子；圆内有三个点，COUNT 2 留下 Catania 和 Palermo',
        },
      },
    ],
  },
  {
    id: 'intset-upgrade',
    title: {
      en: 'An intset upgrades, then becomes a hashtable',
      zh: 'intset 升级编码，然后变成哈希表',
    },
    summary: {
      en: '1, 2, 3 fit in int16; 70000 needs int32, so every element moves; a non-integer member converts the set to a hashtable.',
      zh: '1、2、3 用 int16 就够；70000 需要 int32，所有元素都要搬动；一个非整数成员让集合转成哈希表。',
    },
    focus: 'nums',
    lines: [
      { run: 'DEL nums' },
      { run: 'SADD nums 1 2 3' },
      { run: 'SADD nums 70000' },
      { run: 'OBJECT ENCODING nums' },
      { run: 'SADD nums hello' },
      { run: 'OBJECT ENCODING nums' },
    ],
  },
  {
    id: 'hash-listpack-hashtable',
    title: {
      en: 'A small hash leaves listpack for a hashtable',
      zh: '小哈希从 listpack 转成哈希表',
    },
    summary: {
      en: 'With hash-max-listpack-entries 4, the fifth field converts the hash to a hashtable, and it never converts back; a value longer than hash-max-listpack-value (64 bytes) converts too.',
      zh: '把 hash-max-listpack-entries 设为 4，第五个字段让哈希转成哈希表，而且不会再转回去；长于 hash-max-listpack-value（64 字节）的值也会触发转换。',
    },
    focus: 'user',
    lines: [
      { run: 'DEL user bio' },
      { run: 'CONFIG SET hash-max-listpack-entries 4' },
      {
        run: 'HSET user name Ada lang en city London year 1815',
        note: {
          en: 'four fields: a listpack, each field followed by its value',
          zh: '四个字段：一个 listpack，每个字段后面紧跟它的值',
        },
      },
      { run: 'OBJECT ENCODING user' },
      {
        run: 'HSET user job mathematician',
        note: {
          en: 'a fifth field: more than 4 entries, converted to a hashtable',
          zh: '第五个字段：超过 4 个，转成哈希表',
        },
      },
      { run: 'OBJECT ENCODING user' },
      {
        run: 'HDEL user job',
        note: { en: 'back to four fields, still a hashtable', zh: '回到四个字段，仍是哈希表' },
      },
      { run: 'OBJECT ENCODING user' },
      {
        run: `HSET bio text ${'a'.repeat(65)}`,
        note: {
          en: 'one field, but its value is 65 bytes: longer than 64, a hashtable at once',
          zh: '只有一个字段，但值长 65 字节：超过 64，直接成为哈希表',
        },
      },
      { run: 'OBJECT ENCODING bio' },
      { run: 'CONFIG SET hash-max-listpack-entries 128' },
    ],
  },
  {
    id: 'zset-skiplist',
    title: {
      en: 'A sorted set leaves listpack for a skiplist',
      zh: '有序集合从 listpack 转成跳表',
    },
    summary: {
      en: 'With zset-max-listpack-entries 4, the fifth member converts the zset; each new node draws its level with coin flips.',
      zh: '把 zset-max-listpack-entries 设为 4，第五个成员让有序集合转换；每个新节点用抛硬币决定层数。',
    },
    focus: 'z',
    lines: [
      { run: 'DEL z' },
      { run: 'CONFIG SET zset-max-listpack-entries 4' },
      { run: 'ZADD z 1 a 2 b 3 c 4 d' },
      { run: 'OBJECT ENCODING z' },
      { run: 'ZADD z 5 e' },
      { run: 'OBJECT ENCODING z' },
      { run: 'ZADD z 2.5 x 0 y' },
      { run: 'ZRANK z x' },
      { run: 'CONFIG SET zset-max-listpack-entries 128' },
    ],
  },
  {
    id: 'stream-nodes',
    title: {
      en: 'A stream: listpacks in a radix tree, tombstones and a consumer group',
      zh: '流：基数树中的 listpack、墓碑与消费者组',
    },
    summary: {
      en: 'With stream-node-max-entries 4 the fifth XADD starts a second listpack (its ID becomes a new rax key); XDEL only flags an entry deleted; XTRIM MAXLEN ~ drops a whole listpack; XREADGROUP fills the group’s pending entries list and XACK empties it.',
      zh: '把 stream-node-max-entries 设为 4，第五次 XADD 新建第二个 listpack（它的 ID 成为新的基数树键）；XDEL 只把条目标记为删除；XTRIM MAXLEN ~ 丢弃整个 listpack；XREADGROUP 填充消费者组的待处理列表，XACK 把它清空。',
    },
    focus: 'events',
    lines: [
      { run: 'DEL events' },
      {
        run: 'CONFIG SET stream-node-max-entries 4',
        note: { en: 'at most 4 entries per listpack', zh: '每个 listpack 最多 4 个条目' },
      },
      {
        run: 'XADD events 1-1 temp 20 hum 50',
        note: {
          en: 'the first entry creates a listpack; its fields become the master entry’s',
          zh: '第一个条目新建 listpack，它的字段成为主条目的字段',
        },
      },
      { run: 'XADD events 1-2 temp 21 hum 51' },
      {
        run: 'XADD events 1-3 temp 22',
        note: {
          en: 'other fields than the master’s: this entry stores its field names too',
          zh: '字段与主条目不同：这个条目要连字段名一起存',
        },
      },
      { run: 'XADD events 1-4 temp 23 hum 53' },
      {
        run: 'XADD events 1-5 temp 24 hum 54',
        note: {
          en: 'the listpack holds 4 entries: a new one starts, and the rax splits on the last byte',
          zh: 'listpack 已有 4 个条目：新建一个，基数树在最后一个字节处分裂',
        },
      },
      { run: 'XADD events 1-6 temp 25 hum 55' },
      { run: 'XADD events 2-1 temp 26 hum 56' },
      {
        run: 'XDEL events 1-2',
        note: {
          en: 'a tombstone: the entry is flagged deleted, its bytes stay',
          zh: '墓碑：条目被标记为删除，字节仍然保留',
        },
      },
      {
        run: 'XTRIM events MAXLEN ~ 3',
        note: {
          en: '~ only drops whole listpacks: the first one goes',
          zh: '~ 只丢弃整个 listpack：第一个被移除',
        },
      },
      { run: 'XINFO STREAM events' },
      { run: 'XGROUP CREATE events workers 0' },
      {
        run: 'XREADGROUP GROUP workers alice COUNT 2 STREAMS events >',
        note: {
          en: 'delivered entries wait in the pending entries list until acknowledged',
          zh: '已投递的条目留在待处理列表中，直到被确认',
        },
      },
      { run: 'XREADGROUP GROUP workers bob STREAMS events >' },
      {
        run: 'XACK events workers 1-5',
        note: { en: 'acknowledged: out of the PEL', zh: '已确认：移出待处理列表' },
      },
      { run: 'XPENDING events workers' },
      { run: 'CONFIG SET stream-node-max-entries 100' },
    ],
  },
  {
    id: 'quicklist-split',
    title: { en: 'Quicklist nodes fill up and split', zh: '快速列表节点写满与分裂' },
    summary: {
      en: 'With list-max-listpack-size 4 each node holds at most 4 entries: a push past that starts a new node, and an insert into the middle of a full node splits it.',
      zh: '把 list-max-listpack-size 设为 4，每个节点最多 4 个元素：再推入就新建节点，向满节点中间插入会把它拆成两半。',
    },
    focus: 'q',
    lines: [
      { run: 'DEL q' },
      {
        run: 'CONFIG SET list-max-listpack-size 4',
        note: {
          en: 'a positive size counts entries (the default -2 means 8 KB a node)',
          zh: '正数按元素个数限制（默认 -2 表示每个节点 8 KB）',
        },
      },
      { run: 'RPUSH q a b c d', note: { en: 'one full node', zh: '一个写满的节点' } },
      {
        run: 'RPUSH q e',
        note: { en: 'the tail node is full: a new node', zh: '尾节点已满：新建一个节点' },
      },
      {
        run: 'LINSERT q BEFORE b x',
        note: {
          en: 'into the middle of a full node: it splits, and the half that fits merges with its neighbour',
          zh: '插入满节点的中间：节点分裂，放得下的一半再与相邻节点合并',
        },
      },
      { run: 'LRANGE q 0 -1' },
      { run: 'CONFIG SET list-max-listpack-size -2' },
    ],
  },
  {
    id: 'quicklist-compress',
    title: { en: 'Quicklist nodes compressed with LZF', zh: '快速列表节点的 LZF 压缩' },
    summary: {
      en: 'With list-compress-depth 1 the node at each end of a list stays raw and every node between them is LZF-compressed (the ends are where pushes and pops happen). Reading an entry of a compressed node decompresses it for the read and compresses it again; a node under 48 bytes is never compressed.',
      zh: '把 list-compress-depth 设为 1，列表两端各一个节点保持原样，两端之间的节点都用 LZF 压缩（推入和弹出都发生在两端）。读取压缩节点里的元素时先解压、读完再压缩；小于 48 字节的节点从不压缩。',
    },
    focus: 'ql',
    lines: [
      { run: 'DEL ql' },
      {
        run: 'CONFIG SET list-max-listpack-size 4',
        note: {
          en: 'at most 4 entries a node, so a few pushes make several nodes',
          zh: '每个节点最多 4 个元素，几次推入就有多个节点',
        },
      },
      {
        run: 'CONFIG SET list-compress-depth 1',
        note: {
          en: 'depth 1: one node at each end stays raw, the nodes between are compressed (0, the default, compresses nothing)',
          zh: '深度 1：两端各保留一个原样节点，中间的节点被压缩（默认值 0 表示不压缩）',
        },
      },
      {
        run: 'RPUSH ql log:2026-11-24:/index.html:1 log:2026-11-24:/index.html:2 log:2026-11-24:/index.html:3 log:2026-11-24:/index.html:4',
        note: {
          en: 'one node: it is both ends, so it stays raw',
          zh: '只有一个节点：它同时是两端，保持原样',
        },
      },
      {
        run: 'RPUSH ql log:2026-11-24:/index.html:5 log:2026-11-24:/index.html:6 log:2026-11-24:/index.html:7 log:2026-11-24:/index.html:8',
        note: { en: 'two nodes, each at an end: both raw', zh: '两个节点，各在一端：都不压缩' },
      },
      {
        run: 'RPUSH ql log:2026-11-24:/index.html:9',
        note: {
          en: 'a third node: the middle one is no longer at an end, and LZF shrinks its 127-byte listpack to 55 bytes (repeated text compresses well)',
          zh: '第三个节点：中间的节点不再位于两端，LZF 把它 127 字节的 listpack 压缩到 55 字节（重复的文本压缩效果好）',
        },
      },
      {
        run: 'LINDEX ql 5',
        note: {
          en: 'entry 5 is in the compressed node: it is decompressed for the read, then compressed again',
          zh: '第 5 个元素在压缩节点里：先解压读取，读完再压缩回去',
        },
      },
      {
        run: 'LPUSH ql a b c d',
        note: {
          en: 'a new head node: the old head is now between the ends, so it is compressed',
          zh: '新的头节点：原来的头节点现在位于中间，于是被压缩',
        },
      },
      {
        run: 'LPUSH ql e',
        note: {
          en: 'the node of d c b a is now between the ends too, but its 19 bytes are under 48 (MIN_COMPRESS_BYTES): it stays raw',
          zh: 'd c b a 所在的节点现在也位于中间，但它只有 19 字节，小于 48（MIN_COMPRESS_BYTES）：保持原样',
        },
      },
      { run: 'LRANGE ql 0 -1' },
      { run: 'CONFIG SET list-compress-depth 0' },
      { run: 'CONFIG SET list-max-listpack-size -2' },
    ],
  },
  {
    id: 'evict-lru',
    title: { en: 'Eviction with allkeys-lru', zh: '使用 allkeys-lru 淘汰键' },
    summary: {
      en: 'Set maxmemory below the memory in use: Redis samples 5 keys at a time into a pool of 16 candidates sorted by idle time and evicts the idlest until it fits. Keys just read survive.',
      zh: '把 maxmemory 设得低于已用内存：Redis 每次抽样 5 个键放进按空闲时间排序的 16 个候选池，淘汰最空闲的，直到内存够用。刚读过的键会留下来。',
    },
    focus: null,
    lines: [
      ...FRESH_MEMORY,
      { run: 'CONFIG SET maxmemory-policy allkeys-lru' },
      {
        run: 'DEBUG POPULATE 300 key 1000',
        note: { en: '300 keys of 1 KB each', zh: '300 个键，每个 1 KB' },
      },
      {
        tick: 10000,
        note: { en: 'ten seconds pass: every key is idle', zh: '过去十秒：所有键都空闲' },
      },
      {
        // TOUCH looks the keys up as a read does, without printing three 1 KB values of
        // \x00 padding (what GET of a DEBUG POPULATE key shows) over the scene.
        run: 'TOUCH key:1 key:2 key:3',
        note: {
          en: 'these three were just used: a lookup (TOUCH, GET …) sets their LRU clock to now',
          zh: '这三个键刚被访问过：一次查找（TOUCH、GET……）把它们的 LRU 时钟设为现在',
        },
      },
      {
        tick: 1000,
        note: { en: 'one more second: they are the least idle', zh: '再过一秒：它们最不空闲' },
      },
      ...evictionLines(
        {
          en: 'maxmemory is now below the memory in use: keys are sampled into the eviction pool and the idlest evicted',
          zh: 'maxmemory 现在低于已用内存：键被抽样放进淘汰池，最空闲的被淘汰',
        },
        { en: 'the recently used keys are all still here', zh: '最近用过的键都还在' },
      ),
    ],
  },
  {
    id: 'evict-lfu',
    title: { en: 'Eviction with allkeys-lfu', zh: '使用 allkeys-lfu 淘汰键' },
    summary: {
      en: 'Under LFU each key keeps a small access counter (starting at 5); the pool prefers the keys used least often, so the keys read a few times survive.',
      zh: '在 LFU 策略下每个键有一个小的访问计数器（初始为 5）；淘汰池优先选择最少使用的键，所以被读过几次的键会留下来。',
    },
    focus: null,
    lines: [
      ...FRESH_MEMORY,
      {
        run: 'CONFIG SET maxmemory-policy allkeys-lfu',
        note: {
          en: 'set before the keys exist: new keys start with the LFU counter at 5',
          zh: '在创建键之前设置：新键的 LFU 计数器从 5 开始',
        },
      },
      {
        run: 'CONFIG SET lfu-log-factor 0',
        note: {
          en: 'every access counts (the default 10 makes the counter logarithmic)',
          zh: '每次访问都计数（默认 10 时计数器按对数增长）',
        },
      },
      { run: 'DEBUG POPULATE 300 key 1000' },
      {
        run: 'TOUCH key:1 key:2 key:3',
        note: {
          en: 'a lookup (TOUCH, GET …) adds one to each key’s access counter',
          zh: '一次查找（TOUCH、GET……）让每个键的访问计数器加一',
        },
      },
      { run: 'TOUCH key:1 key:2 key:3' },
      { run: 'OBJECT FREQ key:1', note: { en: '5 + 2 accesses = 7', zh: '5 + 2 次访问 = 7' } },
      { run: 'OBJECT FREQ key:9', note: { en: 'never read: 5', zh: '从未读过：5' } },
      ...evictionLines(
        {
          en: 'the pool fills with the least frequently used keys, which go first',
          zh: '淘汰池装入最不常用的键，它们先被淘汰',
        },
        { en: 'the keys touched twice are all still here', zh: '被访问过两次的键都还在' },
      ),
      { run: 'CONFIG SET lfu-log-factor 10' },
    ],
  },
  {
    id: 'expire-cycle',
    title: { en: 'Lazy and active expiry', zh: '惰性过期与主动过期' },
    summary: {
      en: 'Keys with a TTL are removed when touched after they expire (lazy), or by the cron cycle sampling 20 keys a loop (active).',
      zh: '设置了 TTL 的键在过期后被访问时删除（惰性），或由定时任务每轮抽样 20 个键删除（主动）。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      { run: 'DEBUG POPULATE 50 tmp' },
      { run: 'SET keep 1' },
      ...Array.from({ length: 10 }, (_, i): SceneLine => ({ run: `PEXPIRE tmp:${i} 500` })),
      { tick: 1000, note: { en: 'the cron runs 10 times a second', zh: '定时任务每秒运行 10 次' } },
      { run: 'DBSIZE' },
      { run: 'TTL keep' },
    ],
  },
  {
    id: 'expire-time-limit',
    title: {
      en: 'The active expire cycle runs out of time',
      zh: '主动过期周期用完了时间',
    },
    summary: {
      en: `A slow expire cycle may use 25 % of a cron period, plus 2 % per step of active-expire-effort above 1: 1,000,000 / hz µs × 27 % at effort 2 (540 µs at hz 500). It looks at the clock only once every 16 sampling loops (25 keys a loop at effort 2: 400 keys), and deleting a key costs about 1.4 µs, so ${String(TIME_LIMIT_KEYS)} keys expiring together outrun the budget: the cycle stops part way (timelimit_exit), INFO stats counts expired_time_cap_reached_count, and the next cycles delete the rest.`,
      zh: `慢速过期周期最多用一个定时任务周期的 25%，active-expire-effort 每比 1 高一级再加 2%：effort 2 时为 1,000,000 / hz 微秒 × 27%（hz 500 时 540 微秒）。它每 16 轮抽查才看一次时钟（effort 2 时每轮 25 个键：400 个键），删除一个键约需 1.4 微秒，所以 ${String(TIME_LIMIT_KEYS)} 个同时过期的键会超出预算：周期中途停止（timelimit_exit），INFO stats 的 expired_time_cap_reached_count 计数，剩下的由之后的周期删除。`,
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      {
        run: 'CONFIG SET hz 500',
        note: {
          en: 'serverCron 500 times a second: a slow cycle may now run 25 % × 2,000 µs = 500 µs',
          zh: 'serverCron 每秒运行 500 次：慢速周期现在最多运行 25% × 2,000 微秒 = 500 微秒',
        },
      },
      {
        run: 'CONFIG SET active-expire-effort 2',
        note: {
          en: 'each loop samples 25 keys instead of 20, and the budget grows to 27 % × 2,000 µs = 540 µs: 16 loops (400 keys, ≈ 560 µs) now outrun it',
          zh: '每轮抽查 25 个键而不是 20 个，预算增加到 27% × 2,000 微秒 = 540 微秒：16 轮（400 个键，约 560 微秒）就会超出',
        },
      },
      {
        run: 'DEBUG SET-ACTIVE-EXPIRE 0',
        note: {
          en: 'active expiry off while the keys are made, so that they all expire before any cycle looks',
          zh: '创建键的时候先关闭主动过期，这样所有键都在周期查看之前过期',
        },
      },
      ...Array.from({ length: TIME_LIMIT_KEYS }, (_, i): SceneLine => ({
        run: `SET tmp:${String(i)} x PX 100`,
      })),
      {
        tick: 200,
        note: {
          en: 'past their TTL: nothing deleted them yet',
          zh: '已超过 TTL：还没有任何东西删除它们',
        },
      },
      { run: 'DEBUG SET-ACTIVE-EXPIRE 1' },
      {
        tick: 10,
        note: {
          en: 'the first slow cycle deletes about 400 keys in its first 16 loops; when it looks at the clock it shows about 560 µs, past 540 µs, and it stops; the next cycles delete the rest',
          zh: '第一个慢速周期在前 16 轮删除约 400 个键；它看时钟时已用约 560 微秒，超过 540 微秒，于是停止；之后的周期删除剩下的键',
        },
      },
      {
        run: 'INFO stats',
        note: {
          en: 'expired_time_cap_reached_count counts the cycle that stopped at its time limit',
          zh: 'expired_time_cap_reached_count 记下了那个因时间限额而停止的周期',
        },
      },
      { run: 'DBSIZE', note: { en: 'all gone', zh: '全部删除了' } },
      { run: 'CONFIG SET hz 10', note: { en: 'back to the default', zh: '恢复默认值' } },
      { run: 'CONFIG SET active-expire-effort 1' },
    ],
  },
  {
    id: 'watch-multi',
    title: {
      en: 'Optimistic locking with WATCH, MULTI and EXEC',
      zh: '用 WATCH、MULTI 和 EXEC 实现乐观锁',
    },
    summary: {
      en: 'WATCH puts the key in the db’s watched_keys; any write to it, even by the same client, flags CLIENT_DIRTY_CAS and EXEC answers nil. Watched again and left alone, the transaction runs.',
      zh: 'WATCH 把键放进数据库的 watched_keys；对它的任何写入（即使来自同一个客户端）都会标记 CLIENT_DIRTY_CAS，EXEC 回复 nil。重新监视且无人改动时，事务就会执行。',
    },
    focus: null,
    lines: [
      { run: 'SET counter 10' },
      {
        run: 'WATCH counter',
        note: {
          en: 'counter → this client in watched_keys',
          zh: 'watched_keys 中 counter → 本客户端',
        },
      },
      {
        run: 'SET counter 11',
        note: {
          en: 'a write touches the watched key: CLIENT_DIRTY_CAS',
          zh: '写入触及被监视的键：CLIENT_DIRTY_CAS',
        },
      },
      { run: 'MULTI' },
      {
        run: 'INCR counter',
        note: {
          en: 'QUEUED, but a dirty transaction stores nothing',
          zh: '回复 QUEUED，但已失效的事务不再存储命令',
        },
      },
      { run: 'EXEC', note: { en: 'aborted: the reply is nil', zh: '中止：回复 nil' } },
      { run: 'WATCH counter' },
      { run: 'MULTI' },
      { run: 'INCR counter', note: { en: 'queued for EXEC', zh: '放入队列，等待 EXEC' } },
      {
        run: 'EXEC',
        note: {
          en: 'nobody touched counter: the queue runs',
          zh: '没有人改动 counter：队列被执行',
        },
      },
      { run: 'GET counter' },
    ],
  },
  {
    id: 'pubsub-resp3',
    title: { en: 'Pub/Sub: channels, patterns and pushes', zh: '发布订阅：频道、模式与推送' },
    summary: {
      en: 'SUBSCRIBE puts the client in the server’s pubsub_channels dict, PSUBSCRIBE in the pattern list; PUBLISH walks both. After HELLO 3 one connection can subscribe and publish, and messages arrive as RESP3 pushes.',
      zh: 'SUBSCRIBE 把客户端放进服务器的 pubsub_channels 字典，PSUBSCRIBE 放进模式列表；PUBLISH 两者都要遍历。HELLO 3 之后同一个连接既能订阅也能发布，消息以 RESP3 推送的形式到达。',
    },
    focus: null,
    lines: [
      {
        run: 'HELLO 3',
        note: {
          en: 'RESP3: a subscribed client may still run any command',
          zh: 'RESP3：订阅后的客户端仍可执行任何命令',
        },
      },
      {
        run: 'SUBSCRIBE news',
        note: {
          en: 'news → this client in pubsub_channels',
          zh: 'pubsub_channels 中 news → 本客户端',
        },
      },
      {
        run: 'PSUBSCRIBE n*',
        note: { en: 'a pattern: matched against every channel', zh: '模式：与每个频道逐一匹配' },
      },
      {
        run: 'PUBLISH news hello',
        note: {
          en: 'one message for the channel, one for the pattern: PUBLISH answers 2',
          zh: '频道一条、模式一条：PUBLISH 回复 2',
        },
      },
      { run: 'PUBLISH sports goal', note: { en: 'nobody listens: 0', zh: '无人收听：0' } },
      { run: 'PUBSUB NUMSUB news' },
      { run: 'PUBSUB NUMPAT' },
      { run: 'UNSUBSCRIBE' },
      { run: 'PUNSUBSCRIBE' },
      { run: 'HELLO 2', note: { en: 'back to RESP2', zh: '回到 RESP2' } },
    ],
  },
  {
    id: 'blocking-list',
    title: {
      en: 'Blocking pops: BLPOP waits for another client’s push',
      zh: '阻塞弹出：BLPOP 等待另一个客户端的推入',
    },
    summary: {
      en: 'Client A (the first tab) runs BLPOP on an empty list and blocks: the server files it under the key in blocking_keys. Client B (a second tab) pushes; after its LPUSH the server serves A, first in line. Then A waits again with a 5-second timeout, and the clock runs past it.',
      zh: '客户端 A（第一个标签页）对空列表执行 BLPOP 并被阻塞：服务器把它登记在 blocking_keys 中该键之下。客户端 B（第二个标签页）推入元素；LPUSH 执行完后，服务器为排在首位的 A 服务。然后 A 以 5 秒超时再次等待，时钟走过了这 5 秒。',
    },
    // The clients panel (blocking_keys) leads, as it does for a keyspace scene.
    focus: null,
    lines: [
      {
        run: 'DEL jobs',
        note: { en: 'an empty list is no key at all', zh: '空列表就是不存在的键' },
      },
      {
        run: 'CLIENT SETNAME A',
        note: {
          en: 'this connection is client A: CLIENT LIST and the clients panel show the name beside its id',
          zh: '这个连接是客户端 A：CLIENT LIST 和客户端面板在它的编号旁显示这个名字',
        },
      },
      {
        client: 2,
        run: 'CLIENT SETNAME B',
        note: {
          en: 'a second connection (a second tab) is client B',
          zh: '第二个连接（第二个标签页）是客户端 B',
        },
      },
      {
        run: 'BLPOP jobs 0',
        note: {
          en: 'client A: nothing to pop, so it blocks with no timeout: jobs → A in blocking_keys, and its console waits',
          zh: '客户端 A：没有可弹出的元素，于是不设超时地阻塞：blocking_keys 中 jobs → A，它的控制台进入等待',
        },
      },
      {
        client: 2,
        run: 'LPUSH jobs job:1',
        note: {
          en: 'client B pushes: jobs is ready, and after LPUSH the server serves A (serveClientsBlockedOnListKey), which pops job:1',
          zh: '客户端 B 推入元素：jobs 就绪，LPUSH 之后服务器为 A 服务（serveClientsBlockedOnListKey），A 弹出 job:1',
        },
      },
      {
        client: 2,
        run: 'LLEN jobs',
        note: {
          en: 'A took the element before B could see it: 0',
          zh: 'A 在 B 看到之前就取走了元素：0',
        },
      },
      {
        run: 'BLPOP jobs 5',
        note: {
          en: 'client A blocks again, this time for at most 5 seconds',
          zh: '客户端 A 再次阻塞，这次最多等 5 秒',
        },
      },
      {
        tick: 6000,
        note: {
          en: 'six seconds later nobody has pushed: the timeout passes, A gets a nil reply and leaves blocking_keys',
          zh: '六秒后仍没有人推入：超时已到，A 得到 nil 回复并离开 blocking_keys',
        },
      },
    ],
  },
  {
    id: 'keyspace-notifications',
    title: { en: 'Keyspace notifications', zh: '键空间通知' },
    summary: {
      en: 'With notify-keyspace-events set, every write publishes an event on __keyevent@<db>__:<event> (with K in the flags, also on __keyspace@<db>__:<key>): a subscriber sees set, expire, del and, when the clock runs past a TTL, expired.',
      zh: '设置 notify-keyspace-events 后，每次写入都会在 __keyevent@<db>__:<事件> 上发布事件（标志中有 K 时，还会在 __keyspace@<db>__:<键> 上发布）：订阅者能看到 set、expire、del，时钟越过 TTL 时还有 expired。',
    },
    focus: null,
    lines: [
      { run: 'HELLO 3' },
      {
        run: 'CONFIG SET notify-keyspace-events Ex$g',
        note: {
          en: 'E: keyevent channels; $: string commands; g: generic ones; x: expiry',
          zh: 'E：keyevent 频道；$：字符串命令；g：通用命令；x：过期',
        },
      },
      { run: 'PSUBSCRIBE __keyevent@0__:*' },
      { run: 'SET session:1 ann', note: { en: 'event "set"', zh: '事件 "set"' } },
      { run: 'PEXPIRE session:1 200', note: { en: 'event "expire"', zh: '事件 "expire"' } },
      {
        tick: 1000,
        note: {
          en: 'the expire cycle deletes it: event "expired"',
          zh: '过期循环删除了它：事件 "expired"',
        },
      },
      { run: 'SET session:2 bob' },
      { run: 'DEL session:2', note: { en: 'event "del"', zh: '事件 "del"' } },
      { run: 'PUNSUBSCRIBE' },
      { run: 'CONFIG SET notify-keyspace-events ""', note: { en: 'off again', zh: '重新关闭' } },
      { run: 'HELLO 2' },
    ],
  },
  {
    id: 'bitmap-bits',
    title: { en: 'Bitmaps are strings', zh: '位图就是字符串' },
    summary: {
      en: 'SETBIT addresses bit 7 − (offset mod 8) of byte offset / 8, growing the string with zero bytes; BITCOUNT and BITPOS read the same bytes.',
      zh: 'SETBIT 定位到第 offset / 8 个字节中的第 7 − (offset mod 8) 位，必要时用零字节扩展字符串；BITCOUNT 和 BITPOS 读取的是同样的字节。',
    },
    focus: 'visits',
    lines: [
      { run: 'DEL visits' },
      {
        run: 'SETBIT visits 0 1',
        note: { en: 'offset 0 is the high bit of byte 0', zh: '偏移 0 是第 0 个字节的最高位' },
      },
      { run: 'SETBIT visits 3 1' },
      {
        run: 'SETBIT visits 20 1',
        note: {
          en: 'byte 2 does not exist yet: zero bytes are added',
          zh: '第 2 个字节还不存在：补上零字节',
        },
      },
      { run: 'BITCOUNT visits', note: { en: 'three bits set', zh: '三个位为 1' } },
      { run: 'BITPOS visits 0', note: { en: 'the first 0 bit', zh: '第一个为 0 的位' } },
      {
        run: 'BITFIELD visits GET u8 0',
        note: { en: 'byte 0 read as a number', zh: '把第 0 个字节读成数字' },
      },
      { run: 'STRLEN visits', note: { en: '3 bytes', zh: '3 个字节' } },
      { run: 'OBJECT ENCODING visits' },
    ],
  },
  {
    id: 'acl-users',
    title: { en: 'ACL users and permissions', zh: 'ACL 用户与权限' },
    summary: {
      en: 'ACL SETUSER creates a user with a password, key patterns and allowed commands; after AUTH every command is checked against them, and a denial is answered NOPERM and logged.',
      zh: 'ACL SETUSER 创建一个带密码、键模式和可用命令的用户；AUTH 之后每条命令都要经过检查，被拒绝时回复 NOPERM 并记入日志。',
    },
    focus: null,
    lines: [
      {
        run: 'ACL SETUSER alice on >s3cret ~cache:* +get +set',
        note: {
          en: 'keys matching cache:*, only GET and SET',
          zh: '只能访问匹配 cache:* 的键，只能用 GET 和 SET',
        },
      },
      { run: 'AUTH alice s3cret' },
      { run: 'SET cache:a 1' },
      { run: 'GET cache:a' },
      {
        run: 'GET secret',
        fails: true,
        note: { en: 'the key is outside ~cache:*', zh: '键不在 ~cache:* 之内' },
      },
      {
        run: 'DEL cache:a',
        fails: true,
        note: { en: 'DEL is not among +get +set', zh: 'DEL 不在 +get +set 之中' },
      },
      {
        run: 'AUTH default anything',
        note: { en: 'the default user has nopass', zh: 'default 用户是 nopass' },
      },
      {
        run: 'ACL LOG 2',
        note: { en: 'the two denials, newest first', zh: '两次拒绝，最新的在前' },
      },
      { run: 'ACL DELUSER alice' },
      { run: 'ACL LOG RESET' },
    ],
  },
  {
    id: 'slowlog-threshold',
    title: { en: 'The slow log', zh: '慢查询日志' },
    summary: {
      en: 'Each command’s execution time is compared with slowlog-log-slower-than (µs); slower ones are kept, newest first, up to slowlog-max-len.',
      zh: '每条命令的执行时间都会与 slowlog-log-slower-than（微秒）比较；更慢的会被记录，最新的在前，最多 slowlog-max-len 条。',
    },
    focus: null,
    lines: [
      { run: 'SLOWLOG RESET' },
      {
        run: 'CONFIG SET slowlog-log-slower-than 20000',
        note: { en: 'log commands slower than 20 ms', zh: '记录超过 20 毫秒的命令' },
      },
      { run: 'SET fast 1', note: { en: 'too fast to be logged', zh: '太快，不会被记录' } },
      {
        run: 'DEBUG SLEEP 0.05',
        note: { en: '50 ms: logged', zh: '50 毫秒：被记录' },
      },
      { run: 'SLOWLOG LEN' },
      {
        run: 'SLOWLOG GET 1',
        note: {
          en: 'id, time, duration in µs, arguments, client address and name',
          zh: 'ID、时间、耗时（微秒）、参数、客户端地址和名字',
        },
      },
      {
        run: 'CONFIG SET slowlog-log-slower-than 10000',
        note: { en: 'the default again', zh: '恢复默认值' },
      },
      { run: 'SLOWLOG RESET' },
    ],
  },
  {
    id: 'dict-shrink',
    title: { en: 'The keyspace dict shrinks in serverCron', zh: '键空间字典在 serverCron 中缩容' },
    summary: {
      en: 'Deleting keys never shrinks the keyspace dict: with 2 keys left in 32 buckets it stays as it is until serverCron’s tryResizeHashTables sees the fill under 10 %, starts a rehash into 4 buckets, and incrementallyRehash finishes it within the same cron run.',
      zh: '删除键从不让键空间字典缩容：32 个桶里只剩 2 个键时它保持原样，直到 serverCron 的 tryResizeHashTables 发现填充率低于 10%，开始 rehash 到 4 个桶，并由同一轮定时任务中的 incrementallyRehash 完成。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      {
        run: 'DEBUG POPULATE 32 key',
        note: {
          en: 'the dict is expanded for 32 keys at once: 32 buckets',
          zh: '字典一次扩容到能放下 32 个键：32 个桶',
        },
      },
      { run: 'DEL key:0 key:1 key:2 key:3 key:4 key:5 key:6 key:7 key:8 key:9' },
      { run: 'DEL key:10 key:11 key:12 key:13 key:14 key:15 key:16 key:17 key:18 key:19' },
      {
        run: 'DEL key:20 key:21 key:22 key:23 key:24 key:25 key:26 key:27 key:28 key:29',
        note: {
          en: '2 keys in 32 buckets: 6 % full, but a delete never resizes the keyspace',
          zh: '32 个桶里只有 2 个键：填充率 6%，但删除操作从不调整键空间的大小',
        },
      },
      {
        run: 'DEBUG HTSTATS 0',
        note: { en: 'table size: 32, number of elements: 2', zh: 'table size: 32，元素个数 2' },
      },
      {
        tick: 100,
        note: {
          en: 'serverCron: under 10 % full, so a rehash into 4 buckets starts and finishes',
          zh: 'serverCron：填充率低于 10%，开始 rehash 到 4 个桶并随即完成',
        },
      },
      {
        run: 'DEBUG HTSTATS 0',
        note: { en: 'table size: 4', zh: 'table size: 4' },
      },
      { run: 'DBSIZE', note: { en: 'the same two keys', zh: '还是那两个键' } },
    ],
  },
  {
    id: 'sds-prealloc',
    title: { en: 'SDS preallocation: APPEND leaves room', zh: 'SDS 预分配：APPEND 预留空间' },
    summary: {
      en: 'When an APPEND does not fit, sdsMakeRoomFor asks for twice the new length (under 1 MB) or the new length plus 1 MB (above), and jemalloc rounds that up to a size class; DEBUG SDSLEN shows the spare room (avail), MEMORY USAGE counts the whole block, and STRLEN only the bytes in use.',
      zh: 'APPEND 放不下时，sdsMakeRoomFor 申请新长度的两倍（1 MB 以下）或新长度加 1 MB（1 MB 以上），jemalloc 再把它向上取整到某个尺寸等级；DEBUG SDSLEN 显示剩余空间（avail），MEMORY USAGE 计入整块分配，而 STRLEN 只计算已用的字节。',
    },
    focus: 's',
    lines: [
      { run: 'DEL s big' },
      {
        run: 'SET s hello',
        note: {
          en: 'embstr: the sds has no room to spare (avail 0)',
          zh: 'embstr：sds 没有剩余空间（avail 为 0）',
        },
      },
      {
        run: 'APPEND s " world"',
        note: {
          en: '11 bytes needed: room for 22 asked, a 32-byte block, 17 bytes to spare',
          zh: '需要 11 字节：按 22 字节申请，得到 32 字节的块，剩余 17 字节',
        },
      },
      { run: 'DEBUG SDSLEN s' },
      {
        run: 'APPEND s "!!!"',
        note: { en: 'fits in the spare room: no allocation', zh: '放得进剩余空间：无需分配' },
      },
      { run: 'DEBUG SDSLEN s' },
      {
        run: 'APPEND s 01234567890123456789',
        note: {
          en: '34 bytes do not fit: room for 68 asked, an 80-byte block',
          zh: '34 字节放不下：按 68 字节申请，得到 80 字节的块',
        },
      },
      { run: 'DEBUG SDSLEN s' },
      { run: 'STRLEN s', note: { en: 'only the bytes in use', zh: '只计算已用的字节' } },
      {
        run: 'MEMORY USAGE s',
        note: {
          en: 'the 80-byte block, plus the key, the object and the dict entry',
          zh: '那 80 字节的块，再加上键、对象和字典条目',
        },
      },
      {
        run: 'SETRANGE big 2000000 x',
        note: {
          en: 'a new 2 MB string is made to measure (jemalloc still rounds it up)',
          zh: '新建的 2 MB 字符串按实际长度分配（jemalloc 仍会向上取整）',
        },
      },
      { run: 'DEBUG SDSLEN big' },
      {
        run: 'SETRANGE big 2200000 x',
        note: {
          en: 'past 1 MB the room grows by 1 MB, not by doubling',
          zh: '超过 1 MB 后只多留 1 MB，而不是翻倍',
        },
      },
      { run: 'DEBUG SDSLEN big' },
      { run: 'DEL big' },
    ],
  },
  {
    id: 'shared-integers',
    title: { en: 'Shared integers and OBJECT REFCOUNT', zh: '共享整数与 OBJECT REFCOUNT' },
    summary: {
      en: 'Values 0 to 9999 point at one of 10,000 preallocated shared objects (refcount INT_MAX) instead of allocating their own; larger integers get a private int object, which INCR updates in place. With maxmemory set and an LRU or LFU policy, sharing stops: each key needs its own access clock.',
      zh: '0 到 9999 的值指向预先分配好的 10000 个共享对象之一（refcount 为 INT_MAX），不再单独分配；更大的整数得到私有的 int 对象，INCR 会原地修改它。设置了 maxmemory 且使用 LRU 或 LFU 策略时不再共享：每个键都需要自己的访问时钟。',
    },
    focus: 'n',
    lines: [
      { run: 'DEL n m big' },
      { run: 'SET n 100' },
      {
        run: 'OBJECT REFCOUNT n',
        note: {
          en: 'the shared object for 100: refcount INT_MAX',
          zh: '100 对应的共享对象：refcount 为 INT_MAX',
        },
      },
      { run: 'OBJECT ENCODING n' },
      {
        run: 'SET big 10000',
        note: { en: 'past 9999: not shared', zh: '超过 9999：不共享' },
      },
      { run: 'OBJECT REFCOUNT big', note: { en: 'its own object', zh: '自己的对象' } },
      {
        run: 'INCR big',
        note: {
          en: 'refcount 1 and int encoding: updated in place',
          zh: 'refcount 为 1 且是 int 编码：原地修改',
        },
      },
      { run: 'OBJECT ENCODING big' },
      {
        run: 'INCR n',
        note: {
          en: 'a shared object cannot change: n now points at the shared 101',
          zh: '共享对象不能修改：n 改为指向共享的 101',
        },
      },
      { run: 'OBJECT REFCOUNT n' },
      {
        run: 'CONFIG SET maxmemory-policy allkeys-lru',
        note: {
          en: 'an LRU policy alone does not stop sharing: maxmemory is still 0',
          zh: '只设置 LRU 策略不会停止共享：maxmemory 仍为 0',
        },
      },
      { run: 'CONFIG SET maxmemory 1gb' },
      {
        run: 'SET m 100',
        note: {
          en: 'each key needs its own LRU clock: a private object',
          zh: '每个键都需要自己的 LRU 时钟：私有对象',
        },
      },
      { run: 'OBJECT REFCOUNT m' },
      { run: 'CONFIG SET maxmemory 0' },
      { run: 'CONFIG SET maxmemory-policy noeviction' },
    ],
  },
  {
    id: 'set-intset-entries',
    title: {
      en: 'A set leaves intset past set-max-intset-entries',
      zh: '集合超过 set-max-intset-entries 后离开 intset',
    },
    summary: {
      en: 'An intset stays one sorted array only while it is small: with set-max-intset-entries 4 the fifth integer converts the set to a hashtable, and removing it does not convert it back. An integer outside int64 is a string to Redis and converts too.',
      zh: 'intset 只在较小时保持为一个有序数组：把 set-max-intset-entries 设为 4，第五个整数让集合转成哈希表，删掉它也不会转回去。超出 int64 的整数在 Redis 看来是字符串，同样会触发转换。',
    },
    focus: 'ids',
    lines: [
      { run: 'DEL ids big' },
      { run: 'CONFIG SET set-max-intset-entries 4' },
      {
        run: 'SADD ids 40 10 30 20',
        note: { en: 'kept sorted: 10 20 30 40', zh: '保持有序：10 20 30 40' },
      },
      { run: 'OBJECT ENCODING ids' },
      {
        run: 'SADD ids 50',
        note: {
          en: 'a fifth member: more than 4, converted to a hashtable',
          zh: '第五个成员：超过 4 个，转成哈希表',
        },
      },
      { run: 'OBJECT ENCODING ids' },
      {
        run: 'SREM ids 50',
        note: { en: 'four again, still a hashtable', zh: '又是四个，仍是哈希表' },
      },
      { run: 'OBJECT ENCODING ids' },
      { run: 'CONFIG SET set-max-intset-entries 512' },
      {
        run: 'SADD big 9223372036854775807',
        note: { en: 'the largest int64: an intset', zh: '最大的 int64：intset' },
      },
      { run: 'OBJECT ENCODING big' },
      {
        run: 'SADD big 9223372036854775808',
        note: {
          en: 'one more does not fit in int64: a string member, so a hashtable',
          zh: '再大一点就放不进 int64：是字符串成员，于是变成哈希表',
        },
      },
      { run: 'OBJECT ENCODING big' },
    ],
  },
  {
    id: 'multi-errors',
    title: { en: 'Errors in a transaction', zh: '事务中的错误' },
    summary: {
      en: 'An error found while queueing (an unknown command, a wrong number of arguments) flags the transaction and EXEC refuses it with EXECABORT: nothing runs. An error found while running (INCR on a non-number) is just that command’s reply inside EXEC’s array: the others still run, and nothing is rolled back.',
      zh: '排队时发现的错误（未知命令、参数个数不对）会标记事务，EXEC 以 EXECABORT 拒绝执行：什么都不会运行。执行时才发现的错误（对非数字执行 INCR）只是 EXEC 数组中那条命令的回复：其余命令照常执行，也不会回滚。',
    },
    focus: null,
    lines: [
      { run: 'DEL a b' },
      { run: 'MULTI' },
      { run: 'SET a 1', note: { en: 'QUEUED', zh: 'QUEUED' } },
      {
        run: 'INCR a b',
        fails: true,
        note: {
          en: 'wrong number of arguments: rejected at once, the transaction is flagged',
          zh: '参数个数不对：立即被拒绝，事务被标记为出错',
        },
      },
      {
        run: 'EXEC',
        fails: true,
        note: { en: 'EXECABORT: the queue is discarded', zh: 'EXECABORT：队列被丢弃' },
      },
      { run: 'GET a', note: { en: 'SET a 1 never ran', zh: 'SET a 1 从未执行' } },
      { run: 'MULTI' },
      { run: 'SET a hello' },
      {
        run: 'INCR a',
        note: {
          en: 'queued: the type is only checked when it runs',
          zh: '进入队列：类型要到执行时才检查',
        },
      },
      { run: 'SET b 2' },
      {
        run: 'EXEC',
        note: {
          en: 'OK, an error, OK: the failing command does not stop the others',
          zh: 'OK、一个错误、OK：失败的命令不会阻止其他命令',
        },
      },
      { run: 'GET b', note: { en: 'no rollback', zh: '没有回滚' } },
    ],
  },
  {
    id: 'client-tracking',
    title: { en: 'Client-side caching: CLIENT TRACKING', zh: '客户端缓存：CLIENT TRACKING' },
    summary: {
      en: 'With tracking on, every key a client reads is remembered in the server’s tracking table (key → client IDs); when the key changes, each of those clients gets one invalidate push and is forgotten until it reads the key again. After HELLO 3 the push arrives on the same connection.',
      zh: '开启跟踪后，客户端读过的每个键都会记进服务器的跟踪表（键 → 客户端 ID）；键被修改时，这些客户端各收到一条 invalidate 推送，并被移出表，直到再次读取该键。HELLO 3 之后推送就在同一个连接上到达。',
    },
    focus: 'color',
    lines: [
      {
        run: 'HELLO 3',
        note: { en: 'RESP3: pushes on this connection', zh: 'RESP3：推送在本连接上到达' },
      },
      { run: 'CLIENT TRACKING on' },
      { run: 'SET color red', note: { en: 'a write is not tracked', zh: '写入不会被跟踪' } },
      {
        run: 'GET color',
        note: { en: 'a read: color → this client', zh: '读取：color → 本客户端' },
      },
      {
        run: 'SET color blue',
        note: {
          en: 'color changed: an invalidate push, and the entry is gone',
          zh: 'color 被修改：一条 invalidate 推送，表项随之删除',
        },
      },
      {
        run: 'SET color green',
        note: {
          en: 'not read since: no push',
          zh: '此后没有读过：没有推送',
        },
      },
      { run: 'CLIENT TRACKING off' },
      { run: 'HELLO 2', note: { en: 'back to RESP2', zh: '回到 RESP2' } },
    ],
  },
  {
    id: 'lazyfree-unlink',
    title: { en: 'Lazy free: UNLINK and DEL', zh: '惰性释放：UNLINK 与 DEL' },
    summary: {
      en: 'UNLINK removes the key at once but hands a value costing more than 64 allocations (a hashtable set or hash counts its entries) to the lazyfree thread; a small value is freed on the spot. DEL frees in the command unless lazyfree-lazy-user-del is yes. INFO memory’s lazyfreed_objects counts what the thread freed.',
      zh: 'UNLINK 立即删除键，但把释放代价超过 64 次分配的值（哈希表编码的集合或哈希按条目数计算）交给 lazyfree 线程；小的值当场释放。DEL 在命令中直接释放，除非 lazyfree-lazy-user-del 为 yes。INFO memory 中的 lazyfreed_objects 统计线程释放了多少对象。',
    },
    focus: 'big',
    lines: [
      { run: 'DEL big small' },
      {
        run: 'CONFIG RESETSTAT',
        note: { en: 'lazyfreed_objects back to 0', zh: 'lazyfreed_objects 归零' },
      },
      {
        run: saddLine('big', 100),
        note: {
          en: '100 string members: a hashtable of 100 entries',
          zh: '100 个字符串成员：一个有 100 个条目的哈希表',
        },
      },
      { run: 'SET small x' },
      {
        run: 'UNLINK small',
        note: { en: 'one allocation: freed right here', zh: '只有一次分配：当场释放' },
      },
      {
        run: 'UNLINK big',
        note: {
          en: '100 entries > 64: the value goes to the lazyfree thread',
          zh: '100 个条目 > 64：值交给 lazyfree 线程',
        },
      },
      { run: 'INFO memory', note: { en: 'lazyfreed_objects:1', zh: 'lazyfreed_objects:1' } },
      { run: saddLine('big', 100) },
      {
        run: 'CONFIG SET lazyfree-lazy-user-del yes',
        note: { en: 'DEL now behaves like UNLINK', zh: 'DEL 现在和 UNLINK 一样' },
      },
      { run: 'DEL big' },
      { run: 'INFO memory', note: { en: 'lazyfreed_objects:2', zh: 'lazyfreed_objects:2' } },
      { run: 'CONFIG SET lazyfree-lazy-user-del no' },
    ],
  },
  {
    id: 'expire-lazy',
    title: { en: 'Lazy expiry: a key outlives its TTL', zh: '惰性过期：键活过了它的 TTL' },
    summary: {
      en: 'With the active expire cycle off (DEBUG SET-ACTIVE-EXPIRE 0), a key past its TTL stays in the keyspace and DBSIZE still counts it; the first command that looks it up (expireIfNeeded) deletes it and answers as if it never existed.',
      zh: '关闭主动过期循环（DEBUG SET-ACTIVE-EXPIRE 0）后，超过 TTL 的键仍留在键空间中，DBSIZE 也还算上它；第一条查找它的命令（expireIfNeeded）把它删除，并当作它从未存在过来回答。',
    },
    focus: 'session',
    lines: [
      { run: 'FLUSHDB' },
      {
        run: 'DEBUG SET-ACTIVE-EXPIRE 0',
        note: { en: 'the cron no longer samples expiring keys', zh: '定时任务不再抽样检查过期键' },
      },
      { run: 'SET session abc PX 500' },
      { run: 'SET keep 1' },
      { tick: 1000, note: { en: 'a second later: past the TTL', zh: '一秒之后：已经超过 TTL' } },
      {
        run: 'DBSIZE',
        note: { en: 'still 2: nobody has looked at session', zh: '仍是 2：还没人访问过 session' },
      },
      {
        run: 'GET session',
        note: {
          en: 'the lookup finds it expired, deletes it and answers nil',
          zh: '查找时发现已过期，删除它并回复 nil',
        },
      },
      { run: 'DBSIZE', note: { en: 'now 1', zh: '现在是 1' } },
      { run: 'DEBUG SET-ACTIVE-EXPIRE 1' },
    ],
  },
  {
    id: 'embstr-44',
    title: { en: 'Why embstr stops at 44 bytes', zh: '为什么 embstr 以 44 字节为界' },
    summary: {
      en: 'An embstr puts the object header (16 bytes), the sdshdr8 header (3), the bytes and a NUL in one allocation; 16 + 3 + 44 + 1 = 64 bytes, exactly one jemalloc size class: that is why OBJ_ENCODING_EMBSTR_SIZE_LIMIT is 44. One more byte and the string is raw: an object and a separate sds, two allocations.',
      zh: 'embstr 把对象头（16 字节）、sdshdr8 头（3 字节）、字符串本身和一个 NUL 放进同一次分配；16 + 3 + 44 + 1 = 64 字节，正好是一个 jemalloc 尺寸等级：这就是 OBJ_ENCODING_EMBSTR_SIZE_LIMIT 为 44 的原因。再多一个字节，字符串就是 raw：对象和 sds 分开，两次分配。',
    },
    focus: 'a',
    lines: [
      { run: 'DEL a b' },
      { run: `SET a ${'x'.repeat(44)}`, note: { en: '44 bytes', zh: '44 字节' } },
      { run: 'OBJECT ENCODING a', note: { en: 'one 64-byte block', zh: '一个 64 字节的块' } },
      { run: `SET b ${'x'.repeat(45)}`, note: { en: '45 bytes', zh: '45 字节' } },
      {
        run: 'OBJECT ENCODING b',
        note: { en: 'the object and the sds apart', zh: '对象和 sds 分开存放' },
      },
      {
        run: 'MEMORY USAGE a',
        note: {
          en: 'the 64-byte block, plus the key and the dict entry',
          zh: '那个 64 字节的块，再加上键和字典条目',
        },
      },
      {
        run: 'MEMORY USAGE b',
        note: {
          en: 'a 16-byte object and a 64-byte sds block (3 + 45 + 1 = 49 bytes, rounded up)',
          zh: '16 字节的对象加一个 64 字节的 sds 块（3 + 45 + 1 = 49 字节，向上取整）',
        },
      },
    ],
  },
  {
    id: 'lfu-decay',
    title: { en: 'The LFU counter decays', zh: 'LFU 计数器的衰减' },
    summary: {
      en: 'Under an LFU policy each key keeps an 8-bit access counter and the minute it was last decremented; every lookup first takes one off the counter per lfu-decay-time minutes idle, then adds one (always, with lfu-log-factor 0). A key read often but then left alone loses its rank.',
      zh: '在 LFU 策略下，每个键保存一个 8 位访问计数器和上次递减的分钟数；每次查找先按空闲的 lfu-decay-time 分钟数逐一递减，再加一（lfu-log-factor 为 0 时每次都加）。一个曾经常被读、后来无人问津的键会逐渐失去排名。',
    },
    focus: 'page',
    lines: [
      { run: 'DEL page' },
      { run: 'CONFIG SET maxmemory-policy allkeys-lfu' },
      {
        run: 'CONFIG SET lfu-log-factor 0',
        note: { en: 'every access counts', zh: '每次访问都计数' },
      },
      { run: 'SET page hello', note: { en: 'a new key starts at 5', zh: '新键从 5 开始' } },
      { run: 'GET page' },
      { run: 'GET page' },
      { run: 'GET page' },
      {
        run: 'OBJECT FREQ page',
        note: {
          en: '5 + 3 reads = 8 (OBJECT FREQ itself is not an access)',
          zh: '5 + 3 次读取 = 8（OBJECT FREQ 本身不算访问）',
        },
      },
      {
        tick: 120000,
        note: { en: 'two idle minutes', zh: '空闲两分钟' },
      },
      {
        run: 'OBJECT FREQ page',
        note: {
          en: 'lfu-decay-time 1: one off per idle minute, 8 − 2 = 6',
          zh: 'lfu-decay-time 为 1：每空闲一分钟减一，8 − 2 = 6',
        },
      },
      {
        run: 'GET page',
        note: {
          en: 'the decay is stored, then one access added: 7',
          zh: '先把衰减写回，再加一次访问：7',
        },
      },
      { run: 'OBJECT FREQ page' },
      { run: 'CONFIG SET lfu-log-factor 10' },
      { run: 'CONFIG SET maxmemory-policy noeviction' },
    ],
  },
  {
    id: 'set-shrink',
    title: { en: 'A set’s hash table shrinks on SREM', zh: '集合的哈希表在 SREM 时缩容' },
    summary: {
      en: 'Unlike the keyspace, which waits for serverCron, a hashtable set checks its fill after every removal: the SREM that leaves 1 member in 16 buckets (under 10 %) starts a rehash into 4. Nothing in the cron rehashes a set’s dict, so each later lookup of the set moves it along.',
      zh: '与要等 serverCron 的键空间不同，哈希表编码的集合每删除一个成员就检查一次填充率：让 16 个桶里只剩 1 个成员（低于 10%）的那次 SREM 就开始 rehash 到 4 个桶。定时任务不会为集合的字典做 rehash，所以要靠之后对这个集合的每次查找一步步推进。',
    },
    focus: 'tags',
    lines: [
      { run: 'DEL tags' },
      {
        run: saddLine('tags', 16),
        note: { en: 'string members: a hashtable, 16 buckets', zh: '字符串成员：哈希表，16 个桶' },
      },
      {
        run: 'SREM tags m:0 m:1 m:2 m:3 m:4 m:5 m:6 m:7 m:8 m:9 m:10 m:11 m:12 m:13 m:14',
        note: {
          en: 'the last removal leaves 1 in 16: a rehash into 4 buckets starts',
          zh: '最后一次删除后 16 个桶里只剩 1 个：开始 rehash 到 4 个桶',
        },
      },
      {
        run: 'DEBUG HTSTATS-KEY tags',
        note: {
          en: 'mid-rehash: table 1 (4 buckets) exists but is still empty',
          zh: 'rehash 进行中：表 1（4 个桶）已经建好，但还是空的',
        },
      },
      {
        run: 'SISMEMBER tags m:15',
        note: {
          en: 'a lookup moves one bucket (skipping at most 10 empty ones)',
          zh: '一次查找搬迁一个桶（最多跳过 10 个空桶）',
        },
      },
      { run: 'SISMEMBER tags m:15' },
      { run: 'DEBUG HTSTATS-KEY tags', note: { en: 'table size: 4', zh: 'table size: 4' } },
    ],
  },
  {
    id: 'zset-range-levels',
    title: {
      en: 'A long member makes a skiplist; a range search takes the express lanes',
      zh: '一个长成员让有序集合变成跳表；范围查找走“快车道”',
    },
    summary: {
      en: 'A listpack zset is searched by walking its entries one by one, so it only stays a listpack while its members are short: past zset-max-listpack-value bytes it becomes a skiplist (plus a dict), and stays one. ZRANGEBYSCORE then starts at the top level, drops a level whenever the next node would pass the minimum, and walks level 0 from there to the maximum.',
      zh: 'listpack 编码的有序集合只能逐个条目查找，所以只有成员都很短时才保持 listpack：成员超过 zset-max-listpack-value 字节就变成跳表（外加一个字典），而且不再变回去。此后 ZRANGEBYSCORE 从最高层出发，下一个节点会越过最小值时就下降一层，再从那里沿第 0 层走到最大值。',
    },
    focus: 'board',
    lines: [
      { run: 'DEL board' },
      {
        run: 'CONFIG SET zset-max-listpack-value 8',
        note: {
          en: 'members up to 8 bytes stay in a listpack (the default is 64)',
          zh: '不超过 8 字节的成员留在 listpack 中（默认 64）',
        },
      },
      {
        run: 'ZADD board 10 ann 20 bob 30 cy 40 dee',
        note: {
          en: 'member, score, member, score… in score order in one listpack',
          zh: '成员、分值、成员、分值……按分值顺序排在一个 listpack 里',
        },
      },
      { run: 'OBJECT ENCODING board' },
      {
        run: 'ZRANGEBYSCORE board 15 35',
        note: {
          en: 'a listpack has no index: the search reads entries from the first one',
          zh: 'listpack 没有索引：查找从第一个条目开始逐个读取',
        },
      },
      {
        run: 'ZADD board 50 bartholomew',
        note: {
          en: '11 bytes, longer than 8: converted to a skiplist, each node drawing its level',
          zh: '11 字节，超过 8：转成跳表，每个节点抛硬币决定层数',
        },
      },
      { run: 'OBJECT ENCODING board' },
      {
        run: 'ZADD board 60 eve 70 fay 80 gus 90 hal 100 ivy 110 jo 120 kim 130 lu',
        note: {
          en: 'short members, but a skiplist never goes back to a listpack',
          zh: '成员都很短，但跳表不会再变回 listpack',
        },
      },
      {
        run: 'ZRANGEBYSCORE board 75 105',
        note: {
          en: 'down from the top level to the last node below 75, then along level 0 while ≤ 105',
          zh: '从最高层向下，找到小于 75 的最后一个节点，再沿第 0 层前进，直到超过 105',
        },
      },
      {
        run: 'ZCOUNT board 75 105',
        note: {
          en: 'no walk: each end is found and ranked (four searches), and the count is last rank − first rank + 1',
          zh: '不用逐个走：两端各自查找并求排名（共四次查找），个数 = 末排名 − 首排名 + 1',
        },
      },
      {
        run: 'ZREM board bartholomew',
        note: { en: 'the long member is gone…', zh: '长成员删掉了……' },
      },
      {
        run: 'OBJECT ENCODING board',
        note: { en: '…and it is still a skiplist', zh: '……仍然是跳表' },
      },
      { run: 'CONFIG SET zset-max-listpack-value 64' },
    ],
  },
  {
    id: 'stream-pel-claim',
    title: {
      en: 'A consumer group’s pending entries, claimed by another consumer',
      zh: '消费者组的待处理条目被另一个消费者认领',
    },
    summary: {
      en: 'XREADGROUP hands each new entry to one consumer and records it in the group’s pending entries list (PEL) with its owner, delivery time and delivery count; XACK removes it. An entry whose consumer went silent stays pending: XCLAIM moves it to another consumer once it has been idle long enough, and XAUTOCLAIM scans the PEL for every such entry. Each claim counts as one more delivery.',
      zh: 'XREADGROUP 把每个新条目交给一个消费者，并记入消费者组的待处理列表（PEL），带上属主、投递时间和投递次数；XACK 把它移除。消费者失联后，它的条目一直待处理：空闲足够久后，XCLAIM 把它转给另一个消费者，XAUTOCLAIM 则扫描 PEL 找出所有这样的条目。每次认领都算一次新的投递。',
    },
    focus: 'jobs',
    lines: [
      { run: 'DEL jobs' },
      { run: 'XADD jobs 1-1 task resize' },
      { run: 'XADD jobs 1-2 task email' },
      { run: 'XADD jobs 1-3 task report' },
      {
        run: 'XGROUP CREATE jobs workers 0',
        note: {
          en: 'last delivered ID 0: the group starts before the first entry',
          zh: '最后投递 ID 为 0：消费者组从第一个条目之前开始',
        },
      },
      {
        run: 'XREADGROUP GROUP workers alice COUNT 2 STREAMS jobs >',
        note: {
          en: '> asks for entries never delivered: 1-1 and 1-2 go to alice and into the PEL',
          zh: '> 表示只要从未投递过的条目：1-1 和 1-2 交给 alice 并进入 PEL',
        },
      },
      {
        run: 'XREADGROUP GROUP workers bob STREAMS jobs >',
        note: { en: 'the next new entry, 1-3, goes to bob', zh: '下一个新条目 1-3 交给 bob' },
      },
      {
        run: 'XACK jobs workers 1-1',
        note: { en: 'alice finished 1-1: out of the PEL', zh: 'alice 处理完 1-1：移出 PEL' },
      },
      {
        run: 'XPENDING jobs workers',
        note: {
          en: 'two pending, from 1-2 to 1-3: one each for alice and bob',
          zh: '两个待处理，从 1-2 到 1-3：alice 和 bob 各一个',
        },
      },
      {
        tick: 5000,
        note: {
          en: 'five seconds pass, and alice never acknowledges 1-2',
          zh: '过去五秒，alice 始终没有确认 1-2',
        },
      },
      {
        run: 'XCLAIM jobs workers bob 3000 1-2',
        note: {
          en: 'idle over 3000 ms: 1-2 now belongs to bob, its idle time reset and delivered twice',
          zh: '空闲超过 3000 毫秒：1-2 归 bob 所有，空闲时间清零，已投递两次',
        },
      },
      {
        run: 'XPENDING jobs workers - + 10',
        note: {
          en: 'each pending entry: ID, owner, ms idle, deliveries',
          zh: '每个待处理条目：ID、属主、空闲毫秒数、投递次数',
        },
      },
      { tick: 5000, note: { en: 'bob goes quiet too', zh: 'bob 也没了动静' } },
      {
        run: 'XAUTOCLAIM jobs workers carol 3000 0-0',
        note: {
          en: 'scans the PEL from 0-0: both entries idle over 3000 ms go to carol; cursor 0-0 means the scan is done, and the last array lists pending IDs whose entries were deleted (none)',
          zh: '从 0-0 开始扫描 PEL：空闲超过 3000 毫秒的两个条目都归 carol；游标 0-0 表示扫描完毕，最后一个数组列出条目已被删除的待处理 ID（没有）',
        },
      },
      { run: 'XPENDING jobs workers' },
      {
        run: 'XACK jobs workers 1-2 1-3',
        note: { en: 'carol finishes both: the PEL is empty', zh: 'carol 处理完两个：PEL 清空' },
      },
      { run: 'XPENDING jobs workers' },
    ],
  },
  {
    id: 'bitfield-counters',
    title: {
      en: 'BITFIELD: counters of any width inside one string',
      zh: 'BITFIELD：在一个字符串里放任意宽度的计数器',
    },
    summary: {
      en: 'BITFIELD reads and writes integers of 1 to 64 bits (u8, i8, u4 …) at any bit offset of a string, growing it with zero bytes as SETBIT does; #n means the n-th field of that width. INCRBY wraps around by default; OVERFLOW SAT stops at the type’s limit, and OVERFLOW FAIL refuses the write and answers nil.',
      zh: 'BITFIELD 在字符串的任意位偏移处读写 1 到 64 位的整数（u8、i8、u4……），像 SETBIT 一样用零字节扩展字符串；#n 表示该宽度的第 n 个字段。INCRBY 默认溢出回绕；OVERFLOW SAT 停在类型的上下限，OVERFLOW FAIL 拒绝写入并回复 nil。',
    },
    focus: 'counters',
    lines: [
      { run: 'DEL counters' },
      {
        run: 'BITFIELD counters INCRBY u8 0 200',
        note: {
          en: 'an unsigned 8-bit field at bit 0: the string grows to one byte, 200',
          zh: '位 0 处的无符号 8 位字段：字符串扩展到一个字节，值为 200',
        },
      },
      {
        run: 'BITFIELD counters INCRBY u8 0 100',
        note: {
          en: '300 does not fit in u8: it wraps to 300 − 256 = 44',
          zh: '300 放不进 u8：回绕成 300 − 256 = 44',
        },
      },
      {
        run: 'BITFIELD counters OVERFLOW SAT INCRBY u8 0 250',
        note: { en: 'SAT: stops at the largest u8, 255', zh: 'SAT：停在 u8 的最大值 255' },
      },
      {
        run: 'BITFIELD counters OVERFLOW FAIL INCRBY u8 0 1',
        note: {
          en: 'FAIL: 256 would overflow, so nothing is written and the reply is nil',
          zh: 'FAIL：256 会溢出，所以不写入，回复 nil',
        },
      },
      {
        run: 'BITFIELD counters SET i8 #1 -100',
        note: {
          en: '#1 is the second i8, bits 8–15: the string grows to two bytes; the reply is the old value',
          zh: '#1 是第二个 i8，即第 8–15 位：字符串扩展到两个字节；回复的是旧值',
        },
      },
      {
        run: 'BITFIELD counters INCRBY i8 #1 -100',
        note: {
          en: '−200 is below −128: a signed field wraps too, to 56',
          zh: '−200 小于 −128：有符号字段同样回绕，变成 56',
        },
      },
      {
        run: 'BITFIELD counters SET u4 20 9 GET u4 16 GET u8 16',
        note: {
          en: 'a 4-bit field need not start on a byte: bits 20–23 hold 9, and byte 2 reads as 9',
          zh: '4 位字段不必从字节边界开始：第 20–23 位存 9，第 2 个字节读出来就是 9',
        },
      },
      { run: 'STRLEN counters', note: { en: '3 bytes', zh: '3 个字节' } },
      {
        run: 'GET counters',
        note: { en: 'the same bytes as a plain string', zh: '当作普通字符串读出的同样字节' },
      },
    ],
  },
  {
    id: 'hll-merge',
    title: {
      en: 'HyperLogLog union: PFMERGE and PFCOUNT of several keys',
      zh: 'HyperLogLog 并集：PFMERGE 与多键 PFCOUNT',
    },
    summary: {
      en: 'The union of two HyperLogLogs is the register-by-register maximum of their 16384 registers. PFCOUNT with several keys builds that union in a temporary HLL and caches nothing; PFMERGE stores it in a key (sparse while every input is sparse), whose count is then cached like any other.',
      zh: '两个 HyperLogLog 的并集就是它们 16384 个寄存器逐个取最大值。多键 PFCOUNT 在一个临时 HLL 里求并集，不缓存任何结果；PFMERGE 把并集存进一个键（所有输入都是稀疏编码时它也保持稀疏），之后它的计数像其他 HLL 一样被缓存。',
    },
    focus: 'week',
    lines: [
      { run: 'DEL mon tue week' },
      { run: 'PFADD mon alice bob carol' },
      {
        run: 'PFADD tue carol dave erin',
        note: { en: 'carol came both days', zh: 'carol 两天都来了' },
      },
      {
        run: 'PFCOUNT mon tue',
        note: {
          en: 'two keys: the maxima go into a temporary HLL, counted and thrown away (5, not 6)',
          zh: '两个键：取最大值放进临时 HLL，计数后丢弃（5 而不是 6）',
        },
      },
      {
        run: 'PFMERGE week mon tue',
        note: {
          en: 'the same maxima, stored in week; both inputs are sparse, so week stays sparse',
          zh: '同样的最大值存进 week；两个输入都是稀疏编码，所以 week 也保持稀疏',
        },
      },
      {
        run: 'PFCOUNT week',
        note: { en: 'one key: counted and cached in its header', zh: '单个键：计数并缓存在头部' },
      },
      {
        run: 'PFADD week carol',
        note: {
          en: 'carol’s register already holds her value: nothing changes, 0',
          zh: 'carol 的寄存器已经是她的值：没有变化，回复 0',
        },
      },
      {
        run: 'PFCOUNT week',
        note: { en: 'the cache is still valid', zh: '缓存仍然有效' },
      },
      {
        run: 'PFADD week frank',
        note: {
          en: 'a register rises: 1, and the cached count is invalidated',
          zh: '有寄存器变大：回复 1，缓存的计数失效',
        },
      },
      { run: 'PFCOUNT week' },
    ],
  },
  {
    id: 'evict-volatile-ttl',
    title: { en: 'Eviction with volatile-ttl', zh: '使用 volatile-ttl 淘汰键' },
    summary: {
      en: 'A volatile-* policy samples only the expires dict: keys without a TTL are never candidates. volatile-ttl ranks the sampled keys by expire time, so the pool evicts the keys due to expire soonest. Once no key with a TTL is left, nothing can be evicted and writes fail with OOM.',
      zh: 'volatile-* 策略只从过期字典中抽样：没有 TTL 的键永远不会成为候选。volatile-ttl 按过期时间给抽到的键排序，所以淘汰池先淘汰最快要过期的键。一旦没有带 TTL 的键可淘汰，写入就以 OOM 失败。',
    },
    focus: null,
    lines: [
      ...FRESH_MEMORY,
      { run: 'CONFIG SET maxmemory-policy volatile-ttl' },
      {
        run: 'DEBUG POPULATE 50 key 100',
        note: { en: '50 small keys, no TTL', zh: '50 个小键，没有 TTL' },
      },
      {
        run: 'DEBUG POPULATE 12 tmp 60000',
        note: { en: '12 keys of 60 KB each', zh: '12 个键，每个 60 KB' },
      },
      ...Array.from({ length: 12 }, (_, i): SceneLine => ({
        run: `EXPIRE tmp:${String(i)} ${String((i + 1) * 100)}`,
        ...(i === 0
          ? {
              note: {
                en: 'tmp:0 expires in 100 s, tmp:1 in 200 s … tmp:11 in 1200 s',
                zh: 'tmp:0 100 秒后过期，tmp:1 200 秒后……tmp:11 1200 秒后',
              },
            }
          : {}),
      })),
      { run: 'EXISTS tmp:0 tmp:11' },
      { run: 'DBSIZE' },
      {
        run: 'CONFIG SET maxmemory 1440000',
        note: {
          en: 'over the limit: keys are sampled from the expires dict, and of those in the pool the soonest to expire goes first (the order follows the samples, not a full sort)',
          zh: '超过上限：从过期字典中抽样，淘汰池里最快过期的键先走（顺序取决于抽样，并非全量排序）',
        },
      },
      { run: 'DBSIZE', note: { en: 'a few 60 KB keys fewer', zh: '少了几个 60 KB 的键' } },
      {
        run: 'EXISTS tmp:0 tmp:11',
        note: {
          en: 'tmp:0 (100 s left) is gone, tmp:11 (1200 s left) is still here',
          zh: 'tmp:0（剩 100 秒）没了，tmp:11（剩 1200 秒）还在',
        },
      },
      {
        run: 'CONFIG SET maxmemory 1',
        note: {
          en: 'a limit no dataset fits: every key with a TTL is evicted',
          zh: '任何数据都放不下的上限：所有带 TTL 的键都被淘汰',
        },
      },
      {
        run: 'SET fresh 1',
        fails: true,
        note: {
          en: 'no key with a TTL is left to evict: a write is refused with OOM',
          zh: '没有带 TTL 的键可淘汰了：写入以 OOM 被拒绝',
        },
      },
      {
        run: 'DBSIZE',
        note: {
          en: 'the 50 keys without a TTL: never candidates',
          zh: '50 个没有 TTL 的键：从来不是候选',
        },
      },
      { run: 'CONFIG SET maxmemory 0' },
      { run: 'CONFIG SET maxmemory-policy noeviction' },
    ],
  },
  {
    id: 'evict-time-limit',
    title: { en: 'Eviction runs out of time', zh: '淘汰的时间用完了' },
    summary: {
      en: 'Eviction must not stall the server: each pass of performEvictions stops after a time budget set by maxmemory-eviction-tenacity (50 µs × tenacity, 500 µs at the default 10), checked every 16 keys, and the eviction time proc goes on in the next pass of the event loop until memory fits. Evicting about 470 of 1,000 keys takes three passes; with tenacity 100 there is no limit and one pass does it all.',
      zh: '淘汰不能让服务器卡住：performEvictions 每一轮在 maxmemory-eviction-tenacity 决定的时间预算用完后就停下（50 微秒 × tenacity，默认 10 即 500 微秒，每淘汰 16 个键检查一次），淘汰时间事件在事件循环的下一轮继续，直到内存够用。从 1000 个键中淘汰约 470 个需要三轮；tenacity 为 100 时没有时间限制，一轮就全部完成。',
    },
    focus: null,
    lines: [
      ...FRESH_MEMORY,
      { run: 'CONFIG SET maxmemory-policy allkeys-lru' },
      {
        run: 'DEBUG POPULATE 1000 key 1000',
        note: { en: '1,000 keys of 1 KB each: about 2 MB', zh: '1000 个键，每个 1 KB：约 2 MB' },
      },
      { run: 'DBSIZE' },
      {
        run: 'CONFIG SET maxmemory 1600000',
        note: {
          en: 'about 470 keys must go: CONFIG SET starts the eviction time proc, whose passes stop after 500 µs (176 keys each)',
          zh: '约 470 个键要淘汰：CONFIG SET 启动淘汰时间事件，它每一轮 500 微秒后停下（每轮 176 个键）',
        },
      },
      {
        run: 'DBSIZE',
        note: { en: 'the memory fits after the third pass', zh: '第三轮之后内存够用了' },
      },
      {
        run: 'CONFIG SET maxmemory-eviction-tenacity 100',
        note: { en: '100: no time limit at all', zh: '100：完全没有时间限制' },
      },
      {
        run: 'CONFIG SET maxmemory 1200000',
        note: {
          en: 'about 370 more keys, evicted in one pass that never stops',
          zh: '又要淘汰约 370 个键，一轮完成，中途不停',
        },
      },
      { run: 'DBSIZE' },
      { run: 'CONFIG SET maxmemory 0' },
      { run: 'CONFIG SET maxmemory-policy noeviction' },
      {
        run: 'CONFIG SET maxmemory-eviction-tenacity 10',
        note: { en: 'the default again', zh: '恢复默认值' },
      },
    ],
  },
  {
    id: 'sds-header-types',
    title: {
      en: 'SDS header types: sdshdr8 → sdshdr16 → sdshdr32',
      zh: 'SDS 头部类型：sdshdr8 → sdshdr16 → sdshdr32',
    },
    summary: {
      en: 'An sds header stores len and alloc in fields just wide enough: 1 byte each in sdshdr8 (under 256), 2 in sdshdr16 (under 64 KB), 4 in sdshdr32. When an APPEND or SETRANGE must grow the string, sdsMakeRoomFor picks the type for the doubled length, so a 200-byte string can already need sdshdr16; a new type means a new block (malloc, copy, free), not a realloc in place.',
      zh: 'sds 头部用刚好够宽的字段保存 len 和 alloc：sdshdr8 各 1 字节（256 以下），sdshdr16 各 2 字节（64 KB 以下），sdshdr32 各 4 字节。APPEND 或 SETRANGE 需要扩容时，sdsMakeRoomFor 按翻倍后的长度选类型，所以 200 字节的字符串可能就要用 sdshdr16；换类型意味着新分配一块（malloc、复制、释放），而不是原地 realloc。',
    },
    focus: 's',
    lines: [
      { run: 'DEL s' },
      {
        run: 'SET s xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        note: {
          en: '50 bytes: raw, sdshdr8 (3-byte header), trimmed to fit',
          zh: '50 字节：raw，sdshdr8（3 字节头部），按长度收紧',
        },
      },
      { run: 'DEBUG SDSLEN s' },
      {
        run: 'APPEND s yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',
        note: {
          en: '80 bytes needed: room for 160 asked, still under 256, so sdshdr8 is realloc’d in place',
          zh: '需要 80 字节：按 160 字节申请，仍小于 256，sdshdr8 原地 realloc',
        },
      },
      { run: 'DEBUG SDSLEN s' },
      {
        run: 'APPEND s zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
        note: {
          en: '200 bytes needed, 400 asked: 400 does not fit in one byte, so a new sdshdr16 block (5-byte header)',
          zh: '需要 200 字节，按 400 申请：400 放不进一个字节，于是新分配一个 sdshdr16 块（5 字节头部）',
        },
      },
      {
        run: 'DEBUG SDSLEN s',
        note: {
          en: 'the 448-byte class: 5 header + 442 room + NUL',
          zh: '448 字节的尺寸等级：5 字节头部 + 442 字节空间 + NUL',
        },
      },
      {
        run: 'SETRANGE s 70000 !',
        note: {
          en: 'past 65535 bytes: sdshdr32, 4-byte len and alloc, zero bytes filling the gap',
          zh: '超过 65535 字节：sdshdr32，len 和 alloc 各 4 字节，中间补零字节',
        },
      },
      { run: 'DEBUG SDSLEN s' },
      { run: 'STRLEN s' },
      { run: 'DEL s' },
    ],
  },
  {
    id: 'lru-idle',
    title: { en: 'The LRU clock and OBJECT IDLETIME', zh: 'LRU 时钟与 OBJECT IDLETIME' },
    summary: {
      en: 'Every object keeps a 24-bit LRU field: the server’s clock in seconds when a command last looked the key up. OBJECT IDLETIME is the clock now minus that field. A read or TOUCH resets it; OBJECT itself looks the key up without touching it. Under an LFU policy the same 24 bits hold the access counter instead, so OBJECT IDLETIME refuses to answer.',
      zh: '每个对象都有一个 24 位的 LRU 字段：最近一次有命令查找这个键时服务器的时钟（秒）。OBJECT IDLETIME 就是当前时钟减去这个字段。读取或 TOUCH 会把它重置；OBJECT 本身查找键时不会触碰它。在 LFU 策略下，这 24 位改存访问计数器，于是 OBJECT IDLETIME 拒绝回答。',
    },
    focus: 'a',
    lines: [
      { run: 'DEL a b' },
      {
        run: 'SET a hello',
        note: { en: 'lru = the LRU clock now', zh: 'lru = 当前的 LRU 时钟' },
      },
      { run: 'SET b world' },
      { tick: 5000, note: { en: 'five seconds pass', zh: '过去五秒' } },
      { run: 'OBJECT IDLETIME a', note: { en: 'idle 5 s', zh: '空闲 5 秒' } },
      {
        run: 'GET a',
        note: {
          en: 'a read sets a’s lru to the clock: idle 0',
          zh: '一次读取把 a 的 lru 设成当前时钟：空闲 0',
        },
      },
      { run: 'OBJECT IDLETIME a' },
      {
        run: 'OBJECT IDLETIME b',
        note: {
          en: 'still 5: OBJECT looked b up twice without touching it',
          zh: '仍是 5：OBJECT 查了 b 两次都没有触碰它',
        },
      },
      { run: 'TOUCH b', note: { en: 'TOUCH only touches', zh: 'TOUCH 只做“触碰”' } },
      { run: 'OBJECT IDLETIME b' },
      {
        run: 'CONFIG SET maxmemory-policy allkeys-lfu',
        note: {
          en: 'LFU: the 24 bits now mean minutes and a counter',
          zh: 'LFU：这 24 位现在表示分钟数和计数器',
        },
      },
      {
        run: 'OBJECT IDLETIME a',
        fails: true,
        note: {
          en: 'idle time is not tracked under LFU',
          zh: 'LFU 策略下不记录空闲时间',
        },
      },
      { run: 'CONFIG SET maxmemory-policy noeviction' },
    ],
  },
  {
    id: 'dict-bgsave-avoid',
    title: {
      en: 'No resize while BGSAVE’s child runs',
      zh: 'BGSAVE 子进程运行时不扩容',
    },
    summary: {
      en: 'BGSAVE forks a child that writes the snapshot from the parent’s memory pages, shared copy-on-write: every page the parent writes gets copied. So while a child exists the keyspace dict avoids resizing: it lets used reach 5 × size before it grows (the forced ratio), and serverCron neither rehashes nor shrinks. Once the child is reaped, the next insert grows the table as usual.',
      zh: 'BGSAVE fork 出一个子进程，它从父进程的内存页写出快照，这些页以写时复制的方式共享：父进程写到的每一页都要复制一份。所以子进程存在时，键空间字典尽量不调整大小：要等 used 达到 size 的 5 倍（强制比例）才扩容，serverCron 也不做 rehash 和缩容。子进程回收后，下一次插入就照常扩容。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      {
        run: 'MSET k1 v k2 v k3 v k4 v',
        note: { en: '4 keys in 4 buckets', zh: '4 个桶里 4 个键' },
      },
      {
        run: 'CONFIG SET rdb-key-save-delay 1000000',
        note: {
          en: 'a debugging knob: the child sleeps 1 s per key, so the save lasts 4 s',
          zh: '调试用参数：子进程每写一个键睡 1 秒，于是保存持续 4 秒',
        },
      },
      { run: 'BGSAVE', note: { en: 'the child is forked', zh: 'fork 出子进程' } },
      {
        run: 'SET k5 v',
        note: {
          en: 'used ≥ size, but a child exists: no expansion (dict_can_resize = AVOID)',
          zh: 'used ≥ size，但有子进程：不扩容（dict_can_resize = AVOID）',
        },
      },
      {
        run: 'DEBUG HTSTATS 0',
        note: {
          en: 'table size 4, 5 elements: chains grow instead',
          zh: 'table size 4，5 个元素：改为链变长',
        },
      },
      {
        run: 'MSET k6 v k7 v k8 v k9 v k10 v k11 v k12 v k13 v k14 v k15 v k16 v k17 v k18 v k19 v k20 v k21 v k22 v k23 v k24 v k25 v',
        note: {
          en: 'adding the 25th key: used / size = 24 / 4 = 6 > 5, so the forced ratio expands to 32 buckets even now',
          zh: '加入第 25 个键时：used / size = 24 / 4 = 6 > 5，于是即使现在也强制扩容到 32 个桶',
        },
      },
      {
        run: 'DEBUG HTSTATS 0',
        note: {
          en: 'rehashing target: table size 32 (8 × bigger, so rehash steps may run under AVOID)',
          zh: 'rehash 目标：table size 32（大 8 倍，所以 AVOID 下也允许 rehash 步骤）',
        },
      },
      {
        tick: 5000,
        note: {
          en: 'the child finishes and serverCron reaps it: resizing is enabled again, and the cron finishes the rehash',
          zh: '子进程结束，serverCron 回收它：重新允许调整大小，定时任务也把 rehash 做完',
        },
      },
      {
        run: 'DEBUG HTSTATS 0',
        note: { en: 'one table of 32 buckets', zh: '只剩一个 32 个桶的表' },
      },
      { run: 'CONFIG SET rdb-key-save-delay 0' },
    ],
  },
  {
    id: 'rdb-reload',
    title: {
      en: 'RDB: SAVE, and a reload that makes values compact again',
      zh: 'RDB：SAVE，以及让值重新变紧凑的加载',
    },
    summary: {
      en: 'While Redis runs an encoding only grows: a hash past hash-max-listpack-entries stays a hashtable after HDEL, a set that took a string stays a hashtable after SREM. SAVE writes a hashtable value to the RDB file as a plain list of its elements (a listpack or an intset goes as one blob). Loading the file, at a restart or with DEBUG RELOAD (save, empty the dbs, load it back), rebuilds each value under the current limits, so both come back compact.',
      zh: 'Redis 运行期间编码只会变大：超过 hash-max-listpack-entries 的哈希在 HDEL 之后仍是哈希表，放进过字符串的集合在 SREM 之后仍是哈希表。SAVE 把哈希表编码的值按元素逐个写进 RDB 文件（listpack 或 intset 则整块写入）。重启时或用 DEBUG RELOAD（保存、清空数据库、再加载回来）加载这个文件，会按当前的上限重建每个值，于是两者都变回紧凑编码。',
    },
    focus: null,
    lines: [
      { run: 'FLUSHDB' },
      {
        run: 'CONFIG SET hash-max-listpack-entries 4',
        note: {
          en: 'a small limit: a fifth field converts',
          zh: '上限调小：第五个字段就会触发转换',
        },
      },
      {
        run: 'HSET user name Ada lang en city London year 1815 job mathematician',
        note: { en: 'five fields, more than 4: a hashtable', zh: '五个字段，超过 4 个：哈希表' },
      },
      {
        run: 'HDEL user job',
        note: {
          en: 'four fields again, but a running Redis never converts back',
          zh: '又是四个字段，但运行中的 Redis 从不转换回去',
        },
      },
      { run: 'OBJECT ENCODING user' },
      {
        run: 'SADD nums 1 2 3 hello',
        note: { en: '“hello” is not an integer: a hashtable', zh: '“hello” 不是整数：哈希表' },
      },
      {
        run: 'SREM nums hello',
        note: { en: 'only integers left, still a hashtable', zh: '只剩整数，仍是哈希表' },
      },
      { run: 'OBJECT ENCODING nums' },
      {
        run: 'SAVE',
        note: {
          en: 'the whole dataset written to dump.rdb, the server blocked meanwhile (BGSAVE forks a child instead)',
          zh: '把整个数据集写进 dump.rdb，期间服务器被阻塞（BGSAVE 则 fork 一个子进程来写）',
        },
      },
      {
        run: 'DEBUG RELOAD',
        note: {
          en: 'save, empty the dbs, load the file back: each value is rebuilt under the current limits',
          zh: '保存、清空数据库、再把文件加载回来：每个值都按当前的上限重建',
        },
      },
      {
        run: 'OBJECT ENCODING user',
        note: {
          en: '4 fields, at most 4: a listpack again',
          zh: '4 个字段，不超过 4：又是 listpack',
        },
      },
      {
        run: 'OBJECT ENCODING nums',
        note: { en: 'all integers: an intset again', zh: '全是整数：又是 intset' },
      },
      { run: 'CONFIG SET hash-max-listpack-entries 128' },
    ],
  },
]

/**
 * The scenes menu's sections, by topic, in the order a course meets them: a flat list of
 * forty scenes in the order they were written hid the topic a learner came for. Every
 * scene is in exactly one section (test/lessons/scenes.test.ts checks it).
 */
export const SCENE_GROUPS: readonly {
  readonly title: Bilingual
  readonly ids: readonly string[]
}[] = [
  {
    title: { en: 'Hash tables (dict) and SCAN', zh: '哈希表（dict）与 SCAN' },
    ids: [
      'dict-expand',
      'scan-resize',
      'dict-shrink',
      'hscan-20000',
      'set-shrink',
      'dict-bgsave-avoid',
    ],
  },
  {
    title: { en: 'Strings and SDS', zh: '字符串与 SDS' },
    ids: ['string-encodings', 'embstr-44', 'sds-prealloc', 'sds-header-types', 'shared-integers'],
  },
  {
    title: { en: 'Compact encodings and conversions', zh: '紧凑编码与编码转换' },
    ids: [
      'intset-upgrade',
      'set-intset-entries',
      'hash-listpack-hashtable',
      'quicklist-split',
      'quicklist-compress',
      'zset-skiplist',
      'zset-range-levels',
    ],
  },
  {
    title: { en: 'Streams', zh: '流（Stream）' },
    ids: ['stream-nodes', 'stream-pel-claim'],
  },
  {
    title: { en: 'Bitmaps, HyperLogLog and GEO', zh: '位图、HyperLogLog 与 GEO' },
    ids: ['bitmap-bits', 'bitfield-counters', 'hll-sparse-dense', 'hll-merge', 'geo-search'],
  },
  {
    title: { en: 'Expiry', zh: '过期' },
    ids: ['expire-lazy', 'expire-cycle', 'expire-time-limit'],
  },
  {
    title: { en: 'Eviction and freeing memory', zh: '淘汰与释放内存' },
    ids: [
      'evict-lru',
      'evict-lfu',
      'lfu-decay',
      'lru-idle',
      'evict-volatile-ttl',
      'evict-time-limit',
      'lazyfree-unlink',
    ],
  },
  {
    title: { en: 'Transactions, Pub/Sub and clients', zh: '事务、发布订阅与客户端' },
    ids: [
      'watch-multi',
      'multi-errors',
      'pubsub-resp3',
      'blocking-list',
      'keyspace-notifications',
      'client-tracking',
    ],
  },
  {
    title: { en: 'Persistence, ACL and the slow log', zh: '持久化、ACL 与慢日志' },
    ids: ['rdb-reload', 'acl-users', 'slowlog-threshold'],
  },
]

/**
 * Where a scene's timeline items stand: `line`, the run line of the last command among
 * `kinds`, and `prev` the one before it; `note`, the note of the line behind the last item
 * (a tick belongs to the scene's next `tick` line after the commands so far); `ticked`,
 * whether a clock tick item came between those two commands. Undefined past the scene's
 * commands.
 */
function sceneWalk(
  scene: Scene,
  kinds: readonly ('command' | 'tick')[],
): { line: number; prev: number; note: Bilingual | undefined; ticked: boolean } | undefined {
  let line = -1 // the run line of the last command seen
  let prev = -1 // the run line of the command before it
  let note: Bilingual | undefined
  let ticked = false // a tick item between the last command and the one before
  let since = false // a tick item since the last command
  for (const kind of kinds) {
    if (kind === 'command') {
      prev = line
      ticked = since
      since = false
      do line++
      while (line < scene.lines.length && !('run' in (scene.lines[line] ?? {})))
      if (line >= scene.lines.length) return undefined
      note = scene.lines[line]?.note
    } else {
      since = true
      const tick = scene.lines.findIndex((l, i) => i > line && 'tick' in l)
      note = tick < 0 ? undefined : scene.lines[tick]?.note
    }
  }
  return { line, prev, note, ticked }
}

/**
 * The note of the scene line behind one of the timeline items the scene produced. `kinds`
 * are those items' kinds in order, from the scene's first item to the one asked about (the
 * last): the n-th command is the scene's n-th `run` line, and a clock tick belongs to the
 * scene's next `tick` line after the commands so far. Undefined past the scene's commands.
 */
export function sceneNoteAt(
  scene: Scene,
  kinds: readonly ('command' | 'tick')[],
): Bilingual | undefined {
  return sceneWalk(scene, kinds)?.note
}

/**
 * The note of a `tick` line that ran just before the command asked about (as in
 * `sceneNoteAt`) but made no timeline item: a tick in which nothing happened (expire-lazy's
 * second with the active expire cycle off) is not an item, so its note ("a second later:
 * past the TTL") goes with the next command. Undefined when the last item is not a command,
 * when a tick item came between it and the command before, or when no tick line has a note.
 */
export function sceneQuietTickNoteAt(
  scene: Scene,
  kinds: readonly ('command' | 'tick')[],
): Bilingual | undefined {
  const walk = sceneWalk(scene, kinds)
  if (walk === undefined || kinds.at(-1) !== 'command' || walk.ticked) return undefined
  let note: Bilingual | undefined
  for (let i = walk.prev + 1; i < walk.line; i++) {
    const l = scene.lines[i]
    if (l !== undefined && 'tick' in l && l.note !== undefined) note = l.note
  }
  return note
}

/** Finds a scene by id. */
export function sceneById(id: string): Scene | undefined {
  return SCENES.find((s) => s.id === id)
}
