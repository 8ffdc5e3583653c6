/**
 * Narration: one sentence per step event, in English and 简体中文. It feeds the timeline
 * caption, the aria-live region and what Testing Library queries.
 *
 * The map is a StepEventHandlers over the whole StepEvent union, so it is total: a new
 * event type does not compile until it has a narration here (style.md §4). Sentences say
 * what happened, in Redis's own terms, with the numbers a learner needs.
 */
import type { StepEvent, StepEventHandlers } from '../../engine/events.ts'
import { counted } from '../../i18n/index.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { DIR_LABEL } from '../geo/geoModel.ts'

export interface Narration {
  readonly en: string
  readonly zh: string
}

/** Shows a key or member for a sentence: UTF-8 decoded, quoted. */
function q(s: string | null): string {
  return s === null ? 'header' : `“${bytesToUtf8(s)}”`
}

/** A key quoted for a sentence, as the narrations quote it. */
export const quoteKey = q

function tbl(t: 0 | 1): string {
  return `ht[${String(t)}]`
}

const n = String
const c = counted

/** "client 3", "clients 3, 5": the clients a step names, by id. */
function clients(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'client' : 'clients'} ${ids.map(n).join(', ')}`
}

/**
 * The dict an event is about, for a sentence (events.ts DictRef): a learner sees the same
 * table steps for the keyspace, the expires dict and a hash/set/zset value's own table.
 */
export function dictName(ref: string): Narration {
  const name = dictNameRaw(ref)
  // A space between Chinese and Latin text, as the other captions write it ("把 db 0 的…").
  return { en: name.en, zh: /^[\x20-\x7e“]/.test(name.zh) ? ` ${name.zh}` : name.zh }
}

function dictNameRaw(ref: string): Narration {
  const m = /^(db|key|client):(\d+):(.*)$/s.exec(ref)
  if (m !== null) {
    const [, kind, id = '', rest = ''] = m
    if (kind === 'db' && rest === 'keys')
      return { en: `the keyspace of db ${id}`, zh: `db ${id} 的键空间` }
    if (kind === 'db' && rest === 'expires')
      return { en: `the expires dict of db ${id}`, zh: `db ${id} 的过期字典` }
    if (kind === 'key') return { en: `the hash table of ${q(rest)}`, zh: `${q(rest)} 的哈希表` }
    if (kind === 'client') {
      const shard = rest === 'shardchannels'
      return {
        en: `client ${id}’s ${shard ? 'shard channel' : 'channel'} dict`,
        zh: `客户端 ${id} 的${shard ? '分片频道' : '频道'}字典`,
      }
    }
  }
  if (ref === 'pubsub:channels') return { en: 'the server’s channel dict', zh: '服务器的频道字典' }
  if (ref === 'pubsub:patterns') return { en: 'the server’s pattern dict', zh: '服务器的模式字典' }
  if (ref === 'pubsub:shardchannels')
    return { en: 'the server’s shard channel dict', zh: '服务器的分片频道字典' }
  return { en: ref, zh: ref }
}

/** Degrees for a sentence: six decimals, as GEO errors print them. */
function deg(d: number): string {
  return d.toFixed(6)
}

/** A distance for a sentence: metres below 10 km, else km. */
function meters(m: number): string {
  return m < 10000 ? `${m.toFixed(2)} m` : `${(m / 1000).toFixed(2)} km`
}

/**
 * Why an object changed encoding, from the engine's explanation id and its params (the
 * engine builds no prose). An unknown id is shown as is.
 */
export function conversionReason(
  reason: string,
  params: Readonly<Record<string, number | string>>,
): Narration {
  const p = (k: string) => n(params[k] ?? '?')
  switch (reason) {
    case 'tooManyEntries':
      return {
        en: `${p('entries')} entries are more than the limit of ${p('limit')}`,
        zh: `元素个数 ${p('entries')} 超过了上限 ${p('limit')}`,
      }
    case 'valueTooLong':
      return {
        en: `an element of ${p('length')} bytes is longer than the limit of ${p('limit')}`,
        zh: `有元素长 ${p('length')} 字节，超过了上限 ${p('limit')}`,
      }
    case 'notInteger':
      return {
        en: `${q(p('member'))} is not an integer`,
        zh: `${q(p('member'))} 不是整数`,
      }
    case 'listpackSafetyLimit':
      return {
        en: 'the listpack would pass its 1 GB safety limit',
        zh: 'listpack 将超过 1 GB 的安全上限',
      }
    case 'storeFits':
      return {
        en: 'the stored result is small enough for a listpack',
        zh: '存储的结果足够小，可以用 listpack',
      }
    case 'append':
    case 'setrange':
    case 'pfadd':
    case 'pfcount':
    case 'pfmerge':
    case 'pfdebug':
      return {
        en: `${reason.toUpperCase()} needs a private, writable string`,
        zh: `${reason.toUpperCase()} 需要一个独占、可写的字符串`,
      }
    case 'incr':
    case 'incrbyfloat':
      return {
        en: `${reason.toUpperCase()} stored a new value`,
        zh: `${reason.toUpperCase()} 存入了新值`,
      }
    case 'rdbLoad':
      return {
        en: 'DEBUG RELOAD loaded it back with the encoding the current limits call for',
        zh: 'DEBUG RELOAD 重新载入时按当前的上限选择了编码',
      }
    default:
      return { en: reason, zh: reason }
  }
}

const SUB_KIND = {
  channel: { en: 'channel', zh: '频道' },
  pattern: { en: 'pattern', zh: '模式' },
  shard: { en: 'shard channel', zh: '分片频道' },
} as const

/** One sentence per event type, in both languages. */
export const narration: StepEventHandlers<Narration> = {
  'dict/keyAdded': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Added ${q(e.key)} to ${tbl(e.table)} bucket ${n(e.bucket)} of ${d.en} (chain length ${n(e.chainLen)}).`,
      zh: `把 ${q(e.key)} 加入${d.zh}的 ${tbl(e.table)} 第 ${n(e.bucket)} 号桶（链长 ${n(e.chainLen)}）。`,
    }
  },
  'dict/keyDeleted': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Deleted ${q(e.key)} from ${tbl(e.table)} bucket ${n(e.bucket)} of ${d.en}.`,
      zh: `从${d.zh}的 ${tbl(e.table)} 第 ${n(e.bucket)} 号桶删除 ${q(e.key)}。`,
    }
  },
  'dict/keyFound': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Looked up ${q(e.key)} in ${d.en}, ${c(e.probes.length, 'bucket', 'buckets')}: ${e.found ? 'found' : 'not found'}.`,
      zh: `在${d.zh}的 ${n(e.probes.length)} 个桶里查找 ${q(e.key)}：${e.found ? '找到了' : '没有找到'}。`,
    }
  },
  'dict/tableCreated': (e) => {
    const d = dictName(e.dict)
    return {
      // ht[0], not "a hash table": a value's dict is already named "the hash table of …".
      en: `Created ht[0] with ${n(2 ** e.exp)} buckets for ${d.en}.`,
      zh: `为${d.zh}创建了 ht[0]，共 ${n(2 ** e.exp)} 个桶。`,
    }
  },
  'dict/expandStarted': (e) => {
    const d = dictName(e.dict)
    const from = n(2 ** e.fromExp)
    const to = n(2 ** e.toExp)
    // Why it grows (dict.c): the table is full (_dictExpandIfNeeded), more than
    // dict_force_resize_ratio keys a bucket while resizing is discouraged, or a command sized
    // it ahead of what it is about to add (dictExpand: DEBUG POPULATE, an RDB load).
    switch (e.reason) {
      case 'forced':
        return {
          en: `${c(e.used, 'key', 'keys')} in ${from} buckets of ${d.en}, more than 5 a bucket: growing to ${to} buckets even though a child process discourages resizing (incremental rehash).`,
          zh: `${d.zh.trimStart()}的 ${from} 个桶里已有 ${n(e.used)} 个键，平均每桶超过 5 个：即使有子进程不宜扩容，也强制扩容到 ${to} 个桶（渐进式 rehash）。`,
        }
      case 'explicit':
        return {
          en: `The command sizes ${d.en} ahead for the keys it is about to add: growing from ${from} to ${to} buckets with ${c(e.used, 'key', 'keys')} in it (dictExpand, incremental rehash).`,
          zh: `命令预先为即将加入的键调整${d.zh.trimStart()}的大小：当前有 ${n(e.used)} 个键，从 ${from} 个桶扩容到 ${to} 个桶（dictExpand，渐进式 rehash）。`,
        }
      case 'fill':
        return {
          en: `${c(e.used, 'key', 'keys')} in ${from} buckets of ${d.en}, as many keys as buckets: started growing to ${to} buckets (incremental rehash).`,
          zh: `${d.zh.trimStart()}的 ${from} 个桶里已有 ${n(e.used)} 个键，键数已达桶数：开始扩容到 ${to} 个桶（渐进式 rehash）。`,
        }
    }
  },
  'dict/shrinkStarted': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Only ${n(e.used)} keys in ${n(2 ** e.fromExp)} buckets of ${d.en}: started shrinking to ${n(2 ** e.toExp)}.`,
      zh: `${d.zh.trimStart()}的 ${n(2 ** e.fromExp)} 个桶里只剩 ${n(e.used)} 个键：开始缩容到 ${n(2 ** e.toExp)} 个桶。`,
    }
  },
  'dict/bucketRehashed': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Moved bucket ${n(e.from)} (${c(e.moves.length, 'key', 'keys')}) of ${d.en} from ht[0] to ht[1].`,
      zh: `把${d.zh}的第 ${n(e.from)} 号桶（${n(e.moves.length)} 个键）从 ht[0] 搬到 ht[1]。`,
    }
  },
  'dict/emptyBucketsSkipped': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Skipped empty buckets ${n(e.from)}–${n(e.to)} of ${d.en}.`,
      zh: `跳过${d.zh}的空桶 ${n(e.from)}–${n(e.to)}。`,
    }
  },
  'dict/rehashCompleted': (e) => {
    const d = dictName(e.dict)
    return {
      en: `Rehash of ${d.en} finished: ht[1] (${n(2 ** e.exp)} buckets) became ht[0].`,
      zh: `${d.zh.trimStart()}的 rehash 完成：ht[1]（${n(2 ** e.exp)} 个桶）成为新的 ht[0]。`,
    }
  },
  'dict/scanned': (e) => ({
    en: `SCAN visited ${c(e.buckets.length, 'bucket', 'buckets')} from cursor ${n(e.cursor)}, next cursor ${n(e.next)}.`,
    zh: `SCAN 从游标 ${n(e.cursor)} 访问了 ${n(e.buckets.length)} 个桶，下一个游标 ${n(e.next)}。`,
  }),
  'sds/grown': (e) => {
    const retyped = e.fromType !== e.toType && e.rule !== 'fits'
    // The sds header's field "alloc" (the panel's block titles give the allocator's usable
    // size, 4 more for sdshdr8's header and NUL): "allocation 156" beside "allocation 160
    // bytes" read as a contradiction.
    const same = e.fromAlloc === e.toAlloc
    return {
      en: `The string of ${q(e.key)} grew from ${n(e.fromLen)} to ${n(e.toLen)} bytes; ${same ? `it fit in the free space, alloc stays ${n(e.toAlloc)}` : `alloc ${n(e.fromAlloc)} → ${n(e.toAlloc)}`} (sdshdr${n(e.toType)}${retyped ? `, was sdshdr${n(e.fromType)}: a new block, the bytes copied` : ''}).`,
      zh: `${q(e.key)} 的字符串从 ${n(e.fromLen)} 字节增长到 ${n(e.toLen)} 字节；${same ? `空闲空间容纳得下，alloc 仍为 ${n(e.toAlloc)}` : `alloc ${n(e.fromAlloc)} → ${n(e.toAlloc)}`}（sdshdr${n(e.toType)}${retyped ? `，原为 sdshdr${n(e.fromType)}：新分配一块并复制字节` : ''}）。`,
    }
  },
  'object/encodingConverted': (e) => {
    const why = conversionReason(e.reason, e.params)
    return {
      en: `${q(e.key)} converted from ${e.from} to ${e.to}: ${why.en}.`,
      zh: `${q(e.key)} 的编码从 ${e.from} 转换为 ${e.to}：${why.zh}。`,
    }
  },
  'object/created': (e) => ({
    en: `Created a ${e.objType} object for ${q(e.key)}, encoding ${e.encoding}${e.shared ? ' (shared integer)' : ''}.`,
    zh: `为 ${q(e.key)} 创建了 ${e.objType} 对象，编码 ${e.encoding}${e.shared ? '（共享整数）' : ''}。`,
  }),
  'expire/keyExpiredLazily': (e) => ({
    en: `${q(e.key)} had expired ${n(e.now - e.when)} ms ago: deleted when accessed (lazy expiry).`,
    zh: `${q(e.key)} 已过期 ${n(e.now - e.when)} 毫秒：访问时被删除（惰性过期）。`,
  }),
  'expire/keyExpiredActively': (e) => ({
    en: `The active expire cycle deleted ${q(e.key)}.`,
    zh: `主动过期周期删除了 ${q(e.key)}。`,
  }),
  'expire/cycleRan': (e) =>
    e.stopReason === 'timeLimit'
      ? {
          en: `Active expire (${e.kind}) sampled ${c(e.sampled, 'key', 'keys')} and expired ${n(e.expired)}, then stopped: ${n(e.elapsedUs)} µs had passed its ${n(e.timeLimitUs)} µs time limit (checked every 16 loops).`,
          zh: `主动过期（${e.kind === 'fast' ? '快速' : '慢速'}）抽查了 ${n(e.sampled)} 个键，删除 ${n(e.expired)} 个，然后停止：已用 ${n(e.elapsedUs)} 微秒，超过了 ${n(e.timeLimitUs)} 微秒的时间限额（每 16 轮检查一次）。`,
        }
      : {
          en: `Active expire (${e.kind}) sampled ${c(e.sampled, 'key', 'keys')} and expired ${n(e.expired)}.`,
          zh: `主动过期（${e.kind === 'fast' ? '快速' : '慢速'}）抽查了 ${n(e.sampled)} 个键，删除 ${n(e.expired)} 个。`,
        },
  'expire/bucketsSampled': (e) => ({
    en: `Sampled ${c(e.sampled.length, 'key', 'keys')} from ${c(e.buckets.length, 'bucket', 'buckets')} of db ${n(e.db)}; ${n(e.expired.length)} had expired.`,
    zh: `从 db ${n(e.db)} 的 ${n(e.buckets.length)} 个桶抽查了 ${n(e.sampled.length)} 个键，其中 ${n(e.expired.length)} 个已过期。`,
  }),
  'intset/searched': (e) => ({
    en: `Binary search for ${e.value} probed ${c(e.probes.length, 'position', 'positions')}: ${e.found ? `found at ${n(e.pos)}` : `belongs at ${n(e.pos)}`}.`,
    zh: `二分查找 ${e.value} 探查了 ${n(e.probes.length)} 个位置：${e.found ? `在 ${n(e.pos)} 找到` : `应插入在 ${n(e.pos)}`}。`,
  }),
  'intset/inserted': (e) => ({
    en: `Inserted ${e.value} at position ${n(e.pos)}, moving ${c(e.moved, 'element', 'elements')} right.`,
    zh: `在位置 ${n(e.pos)} 插入 ${e.value}，右移了 ${n(e.moved)} 个元素。`,
  }),
  'intset/upgraded': (e) => ({
    en: `${e.value} does not fit in ${n(e.from * 8)} bits: upgraded the intset to int${n(e.to * 8)}, moving elements from the end.`,
    zh: `${e.value} 放不进 ${n(e.from * 8)} 位：整数集合升级为 int${n(e.to * 8)}，从末尾开始搬移元素。`,
  }),
  'intset/removed': (e) => ({
    en: `Removed ${e.value} from position ${n(e.pos)}.`,
    zh: `从位置 ${n(e.pos)} 移除 ${e.value}。`,
  }),
  'listpack/entryInserted': (e) => ({
    en: `Inserted entry ${n(e.index)} (${n(e.size)} bytes) at byte ${n(e.offset)}; listpack is now ${n(e.totalBytes)} bytes.`,
    zh: `在第 ${n(e.offset)} 字节插入第 ${n(e.index)} 个条目（${n(e.size)} 字节）；listpack 现为 ${n(e.totalBytes)} 字节。`,
  }),
  'listpack/entryDeleted': (e) => ({
    en: `Deleted entry ${n(e.index)} (${n(e.size)} bytes); listpack is now ${n(e.totalBytes)} bytes.`,
    zh: `删除第 ${n(e.index)} 个条目（${n(e.size)} 字节）；listpack 现为 ${n(e.totalBytes)} 字节。`,
  }),
  'listpack/entryReplaced': (e) => ({
    en: `Replaced entry ${n(e.index)}: ${n(e.oldSize)} → ${n(e.size)} bytes.`,
    zh: `替换第 ${n(e.index)} 个条目：${n(e.oldSize)} → ${n(e.size)} 字节。`,
  }),
  'ziplist/cascadeUpdated': (e) => ({
    en: `Cascade update: ${n(e.entries.length)} entries had their prevlen grow from 1 to 5 bytes.`,
    zh: `连锁更新：${n(e.entries.length)} 个条目的 prevlen 从 1 字节变为 5 字节。`,
  }),
  'quicklist/nodeCreated': (e) => ({
    en: `Created quicklist node ${n(e.node)} with ${c(e.count, 'entry', 'entries')} (${n(e.sz)} bytes), ${e.prev === null ? 'as the new head' : `after node ${n(e.prev)}`}.`,
    zh: `创建 quicklist 节点 ${n(e.node)}，含 ${n(e.count)} 个条目（${n(e.sz)} 字节），${e.prev === null ? '作为新的头节点' : `接在节点 ${n(e.prev)} 之后`}。`,
  }),
  'quicklist/nodeSplit': (e) => ({
    en: `Split node ${n(e.node)} at offset ${n(e.offset)} into new node ${n(e.newNode)}.`,
    zh: `在偏移 ${n(e.offset)} 处把节点 ${n(e.node)} 拆出新节点 ${n(e.newNode)}。`,
  }),
  'quicklist/nodesMerged': (e) => ({
    en: `Merged node ${n(e.from)} into node ${n(e.into)} (now ${n(e.sz)} bytes).`,
    zh: `把节点 ${n(e.from)} 合并进节点 ${n(e.into)}（合并后 ${n(e.sz)} 字节）。`,
  }),
  'quicklist/nodeDeleted': (e) => ({
    en: `Deleted empty quicklist node ${n(e.node)}.`,
    zh: `删除空的 quicklist 节点 ${n(e.node)}。`,
  }),
  'quicklist/nodeCompressed': (e) => ({
    en: `Compressed inner node ${n(e.node)} with LZF: ${n(e.sz)} → ${n(e.lzfSz)} bytes.`,
    zh: `用 LZF 压缩内部节点 ${n(e.node)}：${n(e.sz)} → ${n(e.lzfSz)} 字节。`,
  }),
  'quicklist/nodeKeptRaw': (e) => ({
    en:
      e.reason === 'tooSmall'
        ? `Node ${n(e.node)} stays uncompressed: ${n(e.sz)} bytes is under the 48-byte minimum.`
        : e.reason === 'incompressible'
          ? `Node ${n(e.node)} stays uncompressed: LZF could not make its ${n(e.sz)} bytes smaller.`
          : `Node ${n(e.node)} stays uncompressed: LZF gave ${n(e.lzfSz)} of ${n(e.sz)} bytes, not 9 bytes smaller.`,
    zh:
      e.reason === 'tooSmall'
        ? `节点 ${n(e.node)} 不压缩：${n(e.sz)} 字节小于 48 字节的下限。`
        : e.reason === 'incompressible'
          ? `节点 ${n(e.node)} 不压缩：LZF 无法让它的 ${n(e.sz)} 字节变小。`
          : `节点 ${n(e.node)} 不压缩：LZF 结果 ${n(e.lzfSz)} 字节（原 ${n(e.sz)} 字节），省下不足 9 字节。`,
  }),
  'quicklist/nodeDecompressed': (e) => ({
    en: e.forUse
      ? `Decompressed node ${n(e.node)} (${n(e.lzfSz)} → ${n(e.sz)} bytes) to use it; it is compressed again afterwards.`
      : `Decompressed node ${n(e.node)} (${n(e.lzfSz)} → ${n(e.sz)} bytes): it is now within the compress depth of an end.`,
    zh: e.forUse
      ? `解压节点 ${n(e.node)}（${n(e.lzfSz)} → ${n(e.sz)} 字节）以便读写，用完后会重新压缩。`
      : `解压节点 ${n(e.node)}（${n(e.lzfSz)} → ${n(e.sz)} 字节）：它现在处于两端的压缩深度之内。`,
  }),
  'zsl/levelDrawn': (e) => ({
    en: `Coin flips for ${q(e.member)}: ${e.flips.map((f) => (f ? 'up' : 'stop')).join(', ')} → level ${n(e.level)}.`,
    zh: `为 ${q(e.member)} 抛硬币：${e.flips.map((f) => (f ? '升' : '停')).join('、')} → 第 ${n(e.level)} 层。`,
  }),
  'zsl/searched': (e) => ({
    en: `Searched down ${c(e.path.length, 'level', 'levels')} of the skiplist.`,
    zh: `沿跳表向下搜索了 ${n(e.path.length)} 层。`,
  }),
  'zsl/nodeInserted': (e) => ({
    en: `Inserted ${q(e.member)} (score ${n(e.score)}) with ${c(e.level, 'level', 'levels')}.`,
    zh: `插入 ${q(e.member)}（分值 ${n(e.score)}），共 ${n(e.level)} 层。`,
  }),
  'zsl/nodeDeleted': (e) => ({
    en: `Deleted ${q(e.member)} at rank ${n(e.rank)}.`,
    zh: `删除排名 ${n(e.rank)} 的 ${q(e.member)}。`,
  }),
  'zsl/scoreUpdated': (e) => ({
    en: `Score of ${q(e.member)}: ${n(e.from)} → ${n(e.to)}${e.inPlace ? ', updated in place' : ', node moved'}.`,
    zh: `${q(e.member)} 的分值：${n(e.from)} → ${n(e.to)}${e.inPlace ? '，原地更新' : '，节点重新插入'}。`,
  }),
  'evict/keysSampled': (e) => ({
    en: `${e.policy}: sampled ${c(e.sampled.length, 'key', 'keys')} from db ${n(e.db)}.`,
    zh: `${e.policy}：从 db ${n(e.db)} 抽样了 ${n(e.sampled.length)} 个键。`,
  }),
  'evict/poolUpdated': (e) => ({
    en: `The eviction pool now holds ${c(e.pool.length, 'candidate', 'candidates')}.`,
    zh: `淘汰池现有 ${n(e.pool.length)} 个候选键。`,
  }),
  'evict/keyPicked': (e) => ({
    en: `Evicted ${q(e.key)} (score ${n(e.score)}), freeing ${n(e.freed)} bytes.`,
    zh: `淘汰了 ${q(e.key)}（分数 ${n(e.score)}），释放 ${n(e.freed)} 字节。`,
  }),
  'evict/timeLimitReached': (e) => ({
    en: `Out of time: ${c(e.keysFreed, 'key', 'keys')} evicted in ${n(e.elapsedUs)} µs, past the ${n(e.limitUs)} µs limit. The eviction time proc goes on in the next pass of the event loop.`,
    zh: `时间用完：淘汰 ${n(e.keysFreed)} 个键用了 ${n(e.elapsedUs)} 微秒，超过 ${n(e.limitUs)} 微秒的限额。淘汰时间事件会在事件循环的下一轮继续。`,
  }),
  'memory/oomRejected': (e) => ({
    en: `Rejected: used memory ${n(e.used)} > maxmemory ${n(e.maxmemory)} and nothing could be evicted.`,
    zh: `已拒绝：已用内存 ${n(e.used)} 超过 maxmemory ${n(e.maxmemory)}，且无法淘汰。`,
  }),
  'lru/hit': (e) => ({ en: `Cache hit: ${q(e.key)}.`, zh: `缓存命中：${q(e.key)}。` }),
  'lru/missed': (e) => ({ en: `Cache miss: ${q(e.key)}.`, zh: `缓存未命中：${q(e.key)}。` }),
  'lru/movedToHead': (e) => ({
    en: `Moved ${q(e.key)} to the head of the LRU list.`,
    zh: `把 ${q(e.key)} 移到 LRU 链表头部。`,
  }),
  'lru/tailEvicted': (e) => ({
    en: `Evicted ${q(e.key)} from the tail of the LRU list.`,
    zh: `从 LRU 链表尾部淘汰 ${q(e.key)}。`,
  }),
  'pubsub/published': (e) => {
    const viaPatterns = e.patterns.reduce((sum, p) => sum + p.clients, 0)
    const kind = e.shard ? 'shard channel' : 'channel'
    return {
      en: `Published to ${kind} ${q(e.channel)}: ${c(e.subscribers, 'subscriber', 'subscribers')} of the ${kind}, ${n(viaPatterns)} through ${c(e.patterns.length, 'matching pattern', 'matching patterns')}; ${c(e.receivers, 'receiver', 'receivers')}.`,
      zh: `向${e.shard ? '分片频道' : '频道'} ${q(e.channel)} 发布：频道订阅者 ${n(e.subscribers)} 个，经 ${n(e.patterns.length)} 个匹配模式送达 ${n(viaPatterns)} 个，共 ${n(e.receivers)} 个接收者。`,
    }
  },
  'pubsub/subscribed': (e) => ({
    en: `Client ${n(e.client)} subscribed to ${SUB_KIND[e.kind].en} ${q(e.name)} (${c(e.count, 'subscription', 'subscriptions')} now).`,
    zh: `客户端 ${n(e.client)} 订阅了${SUB_KIND[e.kind].zh} ${q(e.name)}（现有 ${n(e.count)} 个订阅）。`,
  }),
  'pubsub/unsubscribed': (e) => ({
    en: `Client ${n(e.client)} unsubscribed from ${SUB_KIND[e.kind].en} ${q(e.name)} (${c(e.count, 'subscription', 'subscriptions')} left).`,
    zh: `客户端 ${n(e.client)} 退订了${SUB_KIND[e.kind].zh} ${q(e.name)}（剩 ${n(e.count)} 个订阅）。`,
  }),
  'tracking/keysRemembered': (e) => ({
    en: `Remembered ${e.keys.map(q).join(', ')} for client ${n(e.client)} in the tracking table: a change will send it an invalidation.`,
    zh: `在跟踪表中为客户端 ${n(e.client)} 记下 ${e.keys.map(q).join('、')}：键被修改时会向它发送失效消息。`,
  }),
  'tracking/keyInvalidated': (e) => {
    const who = e.clients.length === 0 ? 'no client' : clients(e.clients)
    const whoZh = e.clients.length === 0 ? '没有客户端' : `客户端 ${e.clients.map(n).join('、')}`
    const bcast =
      e.prefixes.length === 0
        ? ''
        : `; queued for BCAST ${e.prefixes.length === 1 ? 'prefix' : 'prefixes'} ${e.prefixes.map(q).join(', ')}`
    const bcastZh =
      e.prefixes.length === 0 ? '' : `；已排入 BCAST 前缀 ${e.prefixes.map(q).join('、')} 的广播`
    return e.evicted
      ? {
          en: `The tracking table was over tracking-table-max-keys: dropped ${q(e.key)} and told ${who} to invalidate it.`,
          zh: `跟踪表超过 tracking-table-max-keys：移除 ${q(e.key)}，并通知${whoZh}使其失效。`,
        }
      : {
          en: `${q(e.key)} changed: invalidation for ${who}${bcast}.`,
          zh: `${q(e.key)} 被修改：向${whoZh}发送失效消息${bcastZh}。`,
        }
  },
  'tracking/flushed': (e) => ({
    en: `Flush: ${c(e.clients.length, 'tracking client', 'tracking clients')} told that every key is invalid (a null invalidation); ${c(e.keys, 'key', 'keys')} left the tracking table.`,
    zh: `清空数据库：通知 ${n(e.clients.length)} 个跟踪客户端所有键均已失效（空失效消息）；${n(e.keys)} 个键离开跟踪表。`,
  }),
  'multi/started': (e) => ({
    en: `Client ${n(e.client)} opened a transaction (CLIENT_MULTI): commands are queued from now on.`,
    zh: `客户端 ${n(e.client)} 开启事务（CLIENT_MULTI）：之后的命令进入队列。`,
  }),
  'multi/commandQueued': (e) => ({
    en: e.stored
      ? `Queued ${e.argv[0]?.toUpperCase() ?? ''} for client ${n(e.client)}: answered QUEUED, runs at EXEC.`
      : `Client ${n(e.client)}'s transaction is already dirty: ${e.argv[0]?.toUpperCase() ?? ''} answered QUEUED but was not stored.`,
    zh: e.stored
      ? `为客户端 ${n(e.client)} 把 ${e.argv[0]?.toUpperCase() ?? ''} 放入队列：回复 QUEUED，到 EXEC 时执行。`
      : `客户端 ${n(e.client)} 的事务已失效：${e.argv[0]?.toUpperCase() ?? ''} 回复 QUEUED 但没有存入队列。`,
  }),
  'multi/keyWatched': (e) => ({
    en: `Client ${n(e.client)} watches ${q(e.key)}: added to db ${n(e.db)}'s watched_keys.`,
    zh: `客户端 ${n(e.client)} 监视 ${q(e.key)}：加入 ${n(e.db)} 号库的 watched_keys。`,
  }),
  'multi/watchTouched': (e) => ({
    en: e.unwatched
      ? `A write touched watched key ${q(e.key)}: ${clients(e.clients)} flagged CLIENT_DIRTY_CAS, their WATCHes dropped.`
      : `Flushing or swapping db ${n(e.db)} touched watched key ${q(e.key)}: ${clients(e.clients)} flagged CLIENT_DIRTY_CAS.`,
    zh: e.unwatched
      ? `一次写入触及被监视的键 ${q(e.key)}：客户端 ${e.clients.join('、')} 被标记 CLIENT_DIRTY_CAS，其监视被清除。`
      : `清空或交换 ${n(e.db)} 号库触及被监视的键 ${q(e.key)}：客户端 ${e.clients.join('、')} 被标记 CLIENT_DIRTY_CAS。`,
  }),
  'multi/flagged': (e) => ({
    en: `A command failed while queueing: client ${n(e.client)}'s transaction flagged CLIENT_DIRTY_EXEC, EXEC will abort.`,
    zh: `排队时有命令出错：客户端 ${n(e.client)} 的事务被标记 CLIENT_DIRTY_EXEC，EXEC 将中止。`,
  }),
  'multi/execRan': (e) => ({
    en: `EXEC ran client ${n(e.client)}'s ${c(e.commands, 'queued command', 'queued commands')} one after another.`,
    zh: `EXEC 依次执行了客户端 ${n(e.client)} 队列中的 ${n(e.commands)} 条命令。`,
  }),
  'multi/execAborted': (e) => ({
    en:
      e.why === 'dirtyCas'
        ? `EXEC aborted: a watched key changed (CLIENT_DIRTY_CAS), so the reply is nil.`
        : `EXEC aborted with EXECABORT: a command failed while queueing.`,
    zh:
      e.why === 'dirtyCas'
        ? `EXEC 中止：被监视的键已改变（CLIENT_DIRTY_CAS），回复 nil。`
        : `EXEC 以 EXECABORT 中止：排队时有命令出错。`,
  }),
  'multi/discarded': (e) => ({
    en: `Client ${n(e.client)}'s transaction discarded: the queue is dropped.`,
    zh: `客户端 ${n(e.client)} 的事务被丢弃：队列清空。`,
  }),
  'multi/unwatched': (e) => ({
    en: `Client ${n(e.client)} no longer watches its ${c(e.keys, 'key', 'keys')}.`,
    zh: `客户端 ${n(e.client)} 不再监视它的 ${n(e.keys)} 个键。`,
  }),
  'blocking/clientBlocked': (e) => {
    const keys = e.keys.map(q)
    const wait =
      e.timeout === 0
        ? { en: 'it waits with no timeout', zh: '不设超时，一直等待' }
        : { en: `it times out in ${n(e.timeout)} ms`, zh: `${n(e.timeout)} 毫秒后超时` }
    return {
      en: `${e.command.toUpperCase()} found no data: client ${n(e.client)} is blocked, added to db ${n(e.db)}'s blocking_keys under ${keys.join(', ')}; ${wait.en}.`,
      zh: `${e.command.toUpperCase()} 没有取到数据：客户端 ${n(e.client)} 被阻塞，加入 ${n(e.db)} 号库的 blocking_keys 中 ${keys.join('、')} 的等待列表；${wait.zh}。`,
    }
  },
  'blocking/clientServed': (e) => ({
    en: `${q(e.key)} got data: client ${n(e.client)}, first in its blocking_keys list, is served its ${e.command.toUpperCase()} (serveClientsBlockedOnListKey) and leaves the list.`,
    zh: `${q(e.key)} 有了数据：排在 blocking_keys 等待列表首位的客户端 ${n(e.client)} 的 ${e.command.toUpperCase()} 得到服务（serveClientsBlockedOnListKey），并离开等待列表。`,
  }),
  'blocking/clientUnblocked': (e) => {
    const why = {
      timedOut: { en: 'its timeout passed: it gets a nil reply', zh: '超时已到：回复 nil' },
      unblocked: { en: 'CLIENT UNBLOCK: it gets a nil reply', zh: 'CLIENT UNBLOCK：回复 nil' },
      unblockedWithError: {
        en: 'CLIENT UNBLOCK ERROR: it gets the UNBLOCKED error',
        zh: 'CLIENT UNBLOCK ERROR：回复 UNBLOCKED 错误',
      },
    }[e.reason]
    return {
      en: `Client ${n(e.client)} stops waiting in ${e.command.toUpperCase()}, ${why.en}; it leaves db ${n(e.db)}'s blocking_keys.`,
      zh: `客户端 ${n(e.client)} 不再在 ${e.command.toUpperCase()} 中等待，${why.zh}；它离开 ${n(e.db)} 号库的 blocking_keys。`,
    }
  },
  'client/connected': (e) => ({
    en:
      e.replaces === undefined
        ? `Client ${n(e.client)} connected: default user, db 0, RESP2, no name.`
        : `Client ${n(e.replaces)}'s console reconnected as a new client ${n(e.client)}: default user, db 0, RESP2, no name.`,
    zh:
      e.replaces === undefined
        ? `客户端 ${n(e.client)} 已连接：default 用户、0 号库、RESP2、无名称。`
        : `客户端 ${n(e.replaces)} 的控制台重新连接为新客户端 ${n(e.client)}：default 用户、0 号库、RESP2、无名称。`,
  }),
  'client/closed': (e) => {
    const why = {
      killed: { en: 'CLIENT KILL', zh: 'CLIENT KILL' },
      quit: { en: 'QUIT', zh: 'QUIT' },
      userDeleted: { en: 'ACL DELUSER of its user', zh: '它的用户被 ACL DELUSER 删除' },
      channelsRevoked: {
        en: 'ACL SETUSER took away channels it subscribes to',
        zh: 'ACL SETUSER 收回了它订阅的频道',
      },
      evicted: {
        en: 'client eviction: the clients use more than maxmemory-clients',
        zh: '客户端驱逐：客户端占用的内存超过了 maxmemory-clients',
      },
      roleChanged: {
        en: 'REPLICAOF changed the role of the server',
        zh: 'REPLICAOF 改变了服务器的角色',
      },
      masterLost: {
        en: 'the link to the master was lost',
        zh: '与主节点的连接已断开',
      },
      idle: {
        en: 'idle for longer than the timeout config',
        zh: '空闲时间超过了 timeout 配置',
      },
      replicaTimeout: {
        en: 'a replica that acknowledged nothing for longer than repl-timeout',
        zh: '副本在超过 repl-timeout 的时间内没有任何确认',
      },
    }[e.reason]
    return {
      en: `Client ${n(e.client)} closed (${why.en})${e.afterReply ? ' once its reply is sent' : ''}: its watches and subscriptions go with it.`,
      zh: `客户端 ${n(e.client)} 被关闭（${why.zh}）${e.afterReply ? '，在回复发出之后' : ''}：它的监视和订阅随之清除。`,
    }
  },
  'client/dbSelected': (e) => ({
    en: `Client ${n(e.client)} selected db ${n(e.to)} (was db ${n(e.from)}).`,
    zh: `客户端 ${n(e.client)} 切换到 ${n(e.to)} 号库（原为 ${n(e.from)} 号库）。`,
  }),
  'client/named': (e) => ({
    en:
      e.name === ''
        ? `Client ${n(e.client)}'s name cleared.`
        : `Client ${n(e.client)} is now named ${q(e.name)}.`,
    zh:
      e.name === ''
        ? `客户端 ${n(e.client)} 的名称已清除。`
        : `客户端 ${n(e.client)} 现在名为 ${q(e.name)}。`,
  }),
  'stream/nodeCreated': (e) => {
    const why = {
      empty: { en: 'the stream had no node', zh: '流中还没有节点' },
      maxEntries: {
        en: `the tail node reached stream-node-max-entries ${n(e.limit)}`,
        zh: `尾节点达到 stream-node-max-entries ${n(e.limit)}`,
      },
      maxBytes: {
        en: `the tail node would reach stream-node-max-bytes ${n(e.limit)}`,
        zh: `尾节点将达到 stream-node-max-bytes ${n(e.limit)}`,
      },
    }[e.reason]
    return {
      en: `Stream ${q(e.key)}: ${why.en}, so a new listpack node starts with master entry ${e.master} (${c(e.masterFields, 'field', 'fields')}); radix tree nodes ${n(e.raxNodesBefore)} → ${n(e.raxNodesAfter)}.`,
      zh: `流 ${q(e.key)}：${why.zh}，于是新建 listpack 节点，主条目 ${e.master}（${n(e.masterFields)} 个字段）；基数树节点 ${n(e.raxNodesBefore)} → ${n(e.raxNodesAfter)}。`,
    }
  },
  'stream/entryAppended': (e) => ({
    en: `Stream ${q(e.key)}: appended ${e.id} to node ${e.master} (${n(e.entryBytes)} bytes${e.sameFields ? ', same fields as the master entry' : ''}).`,
    zh: `流 ${q(e.key)}：把 ${e.id} 追加到节点 ${e.master}（${n(e.entryBytes)} 字节${e.sameFields ? '，字段与主条目相同' : ''}）。`,
  }),
  'stream/entryDeleted': (e) => ({
    en: `Stream ${q(e.key)}: entry ${e.id} marked deleted (a tombstone${e.trimmed ? ', by trimming' : ''}); its bytes stay in the listpack.`,
    zh: `流 ${q(e.key)}：条目 ${e.id} 被标记为已删除（墓碑${e.trimmed ? '，由裁剪造成' : ''}），字节仍留在 listpack 中。`,
  }),
  'stream/nodeDeleted': (e) => ({
    en: `Stream ${q(e.key)}: removed node ${e.master} with ${c(e.entries, 'entry', 'entries')}.`,
    zh: `流 ${q(e.key)}：移除节点 ${e.master}（${n(e.entries)} 个条目）。`,
  }),
  'stream/idsSet': (e) => ({
    en: `Stream ${q(e.key)}: XSETID set last-id ${e.lastId}, entries-added ${e.entriesAdded}, max-deleted-entry-id ${e.maxDeletedEntryId}.`,
    zh: `流 ${q(e.key)}：XSETID 设置 last-id ${e.lastId}、entries-added ${e.entriesAdded}、max-deleted-entry-id ${e.maxDeletedEntryId}。`,
  }),
  'stream/groupChanged': (e) => {
    const g = q(e.name)
    const pel = e.group ? e.group.pending : 0
    switch (e.cause) {
      case 'created':
        return {
          en: `Stream ${q(e.key)}: consumer group ${g} created, last-delivered ID ${e.group?.lastDeliveredId ?? '?'}.`,
          zh: `流 ${q(e.key)}：创建消费者组 ${g}，last-delivered ID 为 ${e.group?.lastDeliveredId ?? '?'}。`,
        }
      case 'setId':
        return {
          en: `Stream ${q(e.key)}: group ${g} last-delivered ID set to ${e.group?.lastDeliveredId ?? '?'}.`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 的 last-delivered ID 设为 ${e.group?.lastDeliveredId ?? '?'}。`,
        }
      case 'destroyed':
        return {
          en: `Stream ${q(e.key)}: consumer group ${g} destroyed with its pending entries list.`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 连同其待处理列表被删除。`,
        }
      case 'consumerCreated':
        return {
          en: `Stream ${q(e.key)}: group ${g} has a new consumer (${n(e.group?.consumers ?? 0)} now).`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 新增一个消费者（现有 ${n(e.group?.consumers ?? 0)} 个）。`,
        }
      case 'consumerDeleted':
        return {
          en: `Stream ${q(e.key)}: group ${g} removed a consumer and its ${c(e.count, 'pending entry', 'pending entries')}.`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 删除一个消费者及其 ${n(e.count)} 个待处理条目。`,
        }
      case 'delivered':
        return {
          en: `Stream ${q(e.key)}: group ${g} delivered ${c(e.count, 'entry', 'entries')}; last-delivered ID ${e.group?.lastDeliveredId ?? '?'}, ${n(pel)} pending.`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 投递 ${n(e.count)} 个条目；last-delivered ID ${e.group?.lastDeliveredId ?? '?'}，待处理 ${n(pel)} 个。`,
        }
      case 'acked':
        return {
          en: `Stream ${q(e.key)}: XACK removed ${c(e.count, 'entry', 'entries')} from group ${g}'s pending entries list (${n(pel)} left).`,
          zh: `流 ${q(e.key)}：XACK 从消费者组 ${g} 的待处理列表移除 ${n(e.count)} 个条目（剩 ${n(pel)} 个）。`,
        }
      case 'claimed':
        return {
          en: `Stream ${q(e.key)}: ${c(e.count, 'pending entry', 'pending entries')} of group ${g} claimed by another consumer.`,
          zh: `流 ${q(e.key)}：消费者组 ${g} 的 ${n(e.count)} 个待处理条目被另一个消费者认领。`,
        }
    }
  },
  'hll/elementHashed': (e) => ({
    en: `Hashed ${q(e.element)}: the low 14 bits pick register ${n(e.index)}; ${c(e.count - 1, 'zero bit', 'zero bits')} above them, so the candidate value is ${n(e.count)}.`,
    zh: `对 ${q(e.element)} 求哈希：低 14 位选中寄存器 ${n(e.index)}；其上有 ${n(e.count - 1)} 个连续 0 位，候选值为 ${n(e.count)}。`,
  }),
  'hll/registerUpdated': (e) => ({
    en: `Register ${n(e.index)} raised from ${n(e.old)} to ${n(e.new)}${e.sparse ? `: opcode ${n(e.sparse.at)} became ${n(e.sparse.inserted.length)}` : ''}; the estimate is now ${n(e.estimate)}.`,
    zh: `寄存器 ${n(e.index)} 从 ${n(e.old)} 提升到 ${n(e.new)}${e.sparse ? `：第 ${n(e.sparse.at)} 个操作码拆成 ${n(e.sparse.inserted.length)} 个` : ''}；估计值变为 ${n(e.estimate)}。`,
  }),
  'hll/opcodesMerged': (e) => ({
    en: `Merged two neighbouring VAL opcodes of value ${n(e.value)} at ${n(e.at)} into one covering ${n(e.len)} registers.`,
    zh: `把位置 ${n(e.at)} 处两个相邻且值为 ${n(e.value)} 的 VAL 操作码合并成一个，覆盖 ${n(e.len)} 个寄存器。`,
  }),
  'hll/sparseToDense': (e) => {
    const why: Record<typeof e.reason, Narration> = {
      valueTooBig: {
        en: `value ${n(e.value)} does not fit a VAL opcode (max 32)`,
        zh: `值 ${n(e.value)} 放不进 VAL 操作码（最大 32）`,
      },
      sparseTooBig: {
        en: `${n(e.bytes)} bytes would pass hll-sparse-max-bytes (${n(e.limit)})`,
        zh: `${n(e.bytes)} 字节将超过 hll-sparse-max-bytes（${n(e.limit)}）`,
      },
      merge: { en: 'a source of PFMERGE is dense', zh: 'PFMERGE 的某个源是稠密编码' },
      debug: { en: 'PFDEBUG asked for it', zh: 'PFDEBUG 要求转换' },
    }
    return {
      en: `Converted ${q(e.key)} from sparse to dense (12304 bytes), for good: ${why[e.reason].en}.`,
      zh: `把 ${q(e.key)} 从稀疏编码转成稠密编码（12304 字节），不再转回：${why[e.reason].zh}。`,
    }
  },
  'hll/cacheInvalidated': (e) => ({
    en: `Registers of ${q(e.key)} changed: the cached cardinality in the header is marked stale.`,
    zh: `${q(e.key)} 的寄存器变了：头部缓存的基数被标记为失效。`,
  }),
  'hll/cardinalityCached': (e) => ({
    en: `Computed the estimate ${n(e.card)} from the register histogram and cached it in the header.`,
    zh: `根据寄存器直方图算出估计值 ${n(e.card)}，并缓存到头部。`,
  }),
  'hll/cachedCardinalityUsed': (e) => ({
    en: `The header's cached cardinality ${n(e.card)} is valid: PFCOUNT answers without counting.`,
    zh: `头部缓存的基数 ${n(e.card)} 有效：PFCOUNT 无需重新计算。`,
  }),
  'hll/merged': (e) => ({
    en: `PFMERGE took the maximum of each register over ${c(e.sources.length, 'HLL', 'HLLs')}: ${c(e.nonZero, 'non-zero register', 'non-zero registers')} to write into ${q(e.key)}.`,
    zh: `PFMERGE 对 ${n(e.sources.length)} 个 HLL 逐个寄存器取最大值：${n(e.nonZero)} 个非零寄存器写入 ${q(e.key)}。`,
  }),
  'hll/unionCounted': (e) => ({
    en: `PFCOUNT of ${c(e.keys.length, 'key', 'keys')} took the maximum of each register into a temporary HLL (${c(e.nonZero, 'non-zero register', 'non-zero registers')}) and counted ${n(e.card)}; nothing is stored or cached.`,
    zh: `PFCOUNT 对 ${n(e.keys.length)} 个键逐个寄存器取最大值，放进一个临时 HLL（${n(e.nonZero)} 个非零寄存器），计得 ${n(e.card)}；不保存也不缓存。`,
  }),
  'geo/memberEncoded': (e) => {
    const what: Record<typeof e.outcome, Narration> = {
      added: { en: 'added as a new member', zh: '作为新成员加入' },
      updated: {
        en: `its score changed from ${n(e.old ?? 0)}`,
        zh: `分数从 ${n(e.old ?? 0)} 改了过来`,
      },
      unchanged: { en: 'same score as before: nothing to do', zh: '分数与原来相同：无需改动' },
      skipped: { en: 'skipped by NX/XX', zh: '因 NX/XX 被跳过' },
    }
    return {
      en: `Encoded ${q(e.member)} (${deg(e.longitude)}, ${deg(e.latitude)}): 26 halvings of each range give longitude cell ${n(e.lonCell)} and latitude cell ${n(e.latCell)}; interleaved, the 52-bit score is ${n(e.score)}, ${what[e.outcome].en}.`,
      zh: `编码 ${q(e.member)}（${deg(e.longitude)}, ${deg(e.latitude)}）：经度与纬度范围各二分 26 次，得到经度格 ${n(e.lonCell)}、纬度格 ${n(e.latCell)}；交错后 52 位分数为 ${n(e.score)}，${what[e.outcome].zh}。`,
    }
  },
  'geo/positionDecoded': (e) => ({
    en: `Decoded ${q(e.member)}'s score ${n(e.score)}: its step-26 cell spans ${deg(e.cell.lonMax - e.cell.lonMin)}° × ${deg(e.cell.latMax - e.cell.latMin)}°; Redis answers its centre (${deg(e.longitude)}, ${deg(e.latitude)}), within half a cell of what was added.`,
    zh: `解码 ${q(e.member)} 的分数 ${n(e.score)}：它所在的第 26 级格子宽 ${deg(e.cell.lonMax - e.cell.lonMin)}°、高 ${deg(e.cell.latMax - e.cell.latMin)}°；Redis 返回格子中心（${deg(e.longitude)}, ${deg(e.latitude)}），与写入的位置相差不超过半个格子。`,
  }),
  'geo/hashEncoded': (e) => ({
    en: `GEOHASH re-encoded ${q(e.member)} on the standard latitude range −90..90 and wrote the 52 bits as 11 base32 characters: ${e.geohash}.`,
    zh: `GEOHASH 按标准纬度范围 −90..90 重新编码 ${q(e.member)}，把 52 位写成 11 个 base32 字符：${e.geohash}。`,
  }),
  'geo/distanceMeasured': (e) => ({
    en: `Haversine distance between ${q(e.from)} and ${q(e.to)} on a sphere of radius 6372797.560856 m: ${meters(e.meters)}.`,
    zh: `在半径 6372797.560856 米的球面上用 haversine 公式算出 ${q(e.from)} 与 ${q(e.to)} 的距离：${meters(e.meters)}。`,
  }),
  'geo/searchPlanned': (e) => {
    const pruned = e.cells.filter((c) => c.pruned).length
    return {
      en: `A radius of ${meters(e.radiusMeters)} gives step ${n(e.estimatedStep)}${e.stepDecreased ? `, one less (${n(e.step)}) because a neighbour cell does not reach the edge of the search box` : ''}: the centre cell and its 8 neighbours cover the box; ${c(pruned, 'neighbour', 'neighbours')} are not needed.`,
      zh: `半径 ${meters(e.radiusMeters)} 对应第 ${n(e.estimatedStep)} 级${e.stepDecreased ? `，因为某个邻格够不到搜索框的边，再降一级（第 ${n(e.step)} 级）` : ''}：中心格和 8 个邻格覆盖搜索框；其中 ${n(pruned)} 个邻格用不到。`,
    }
  },
  'geo/cellScanned': (e) =>
    e.skipped === 'duplicate'
      ? {
          en: `Cell ${DIR_LABEL[e.dir].en} is the same as the one walked before it: skipped.`,
          zh: `${DIR_LABEL[e.dir].zh}格与前一个扫描过的格子相同：跳过。`,
        }
      : {
          en: `Walked cell ${DIR_LABEL[e.dir].en}: the zset's scores in [${n(e.min)}, ${n(e.max)}) are exactly the points inside it.`,
          zh: `扫描${DIR_LABEL[e.dir].zh}格：有序集合中分数落在 [${n(e.min)}, ${n(e.max)}) 的成员正好是这个格子里的点。`,
        },
  'geo/candidateChecked': (e) => ({
    en: `${q(e.member)} is ${meters(e.distance)} from the centre: ${e.kept ? 'inside the shape, kept' : 'outside the shape, dropped'}.`,
    zh: `${q(e.member)} 离中心 ${meters(e.distance)}：${e.kept ? '在范围内，保留' : '在范围外，丢弃'}。`,
  }),
  'geo/resultsSorted': (e) => ({
    en: `${c(e.found, 'point', 'points')} found${e.sort === 'none' ? ', left unsorted' : `, sorted ${e.sort.toUpperCase()} by distance${e.algorithm === 'pqsort' ? ' (a partial sort: only the first COUNT are ordered)' : ''}`}${e.count === null ? '' : `; COUNT ${n(e.count)}${e.any ? ' ANY stopped the walk early' : ''}`}: ${n(e.returned.length)} returned.`,
    zh: `找到 ${n(e.found)} 个点${e.sort === 'none' ? '，不排序' : `，按距离${e.sort === 'asc' ? '升序' : '降序'}排序${e.algorithm === 'pqsort' ? '（部分排序：只排好前 COUNT 个）' : ''}`}${e.count === null ? '' : `；COUNT ${n(e.count)}${e.any ? '，ANY 让扫描提前结束' : ''}`}：返回 ${n(e.returned.length)} 个。`,
  }),
  'geo/resultsStored': (e) => ({
    en: `Stored ${c(e.members.length, 'result', 'results')} from ${q(e.source)} into ${q(e.key)} with ${e.storedist ? 'their distances' : 'their geohashes'} as scores.`,
    zh: `把 ${q(e.source)} 的 ${n(e.members.length)} 个结果存入 ${q(e.key)}，分数为${e.storedist ? '距离' : '各自的 geohash'}。`,
  }),
  'bitmap/bitSet': (e) => ({
    en: `SETBIT ${n(e.offset)}: byte ${n(e.byte)} (${n(e.offset)} >> 3), bit ${n(e.bit)} from the left; ${n(e.old)} → ${n(e.value)}${e.toLen > e.fromLen ? `; the string grew from ${n(e.fromLen)} to ${n(e.toLen)} bytes, padded with zero bytes` : ''}.`,
    zh: `SETBIT ${n(e.offset)}：第 ${n(e.byte)} 个字节（${n(e.offset)} >> 3），从左数第 ${n(e.bit)} 位；${n(e.old)} → ${n(e.value)}${e.toLen > e.fromLen ? `；字符串从 ${n(e.fromLen)} 字节增长到 ${n(e.toLen)} 字节，用 0 字节补齐` : ''}。`,
  }),
  'bitmap/bitRead': (e) => ({
    en: `GETBIT ${n(e.offset)}: byte ${n(e.byte)}, bit ${n(e.bit)} from the left is ${n(e.value)}${e.byte >= e.length ? ' (past the end: 0)' : ''}.`,
    zh: `GETBIT ${n(e.offset)}：第 ${n(e.byte)} 个字节从左数第 ${n(e.bit)} 位为 ${n(e.value)}${e.byte >= e.length ? '（超出末尾：0）' : ''}。`,
  }),
  'bitmap/bitsCounted': (e) => ({
    en: `BITCOUNT counted the set bits of bytes ${n(e.start)}–${n(e.end)}${e.firstMask || e.lastMask ? ', leaving out the edge bits outside the BIT range' : ''}: ${n(e.count)}.`,
    zh: `BITCOUNT 统计第 ${n(e.start)}–${n(e.end)} 个字节中为 1 的位${e.firstMask || e.lastMask ? '（去掉 BIT 范围之外的边缘位）' : ''}：${n(e.count)}。`,
  }),
  'bitmap/bitFound': (e) => ({
    en:
      e.pos >= 0
        ? `BITPOS found the first ${n(e.bit)} of bytes ${n(e.start)}–${n(e.end)} at bit ${n(e.pos)}.`
        : `BITPOS found no ${n(e.bit)} in bytes ${n(e.start)}–${n(e.end)}: -1.`,
    zh:
      e.pos >= 0
        ? `BITPOS 在第 ${n(e.start)}–${n(e.end)} 个字节中找到第一个 ${n(e.bit)}，位于第 ${n(e.pos)} 位。`
        : `BITPOS 在第 ${n(e.start)}–${n(e.end)} 个字节中没有找到 ${n(e.bit)}：-1。`,
  }),
  'bitmap/fieldAccessed': (e) => {
    const type = `${e.signed ? 'i' : 'u'}${n(e.bits)}`
    const op = e.op.toUpperCase()
    if (e.op === 'get')
      return {
        en: `BITFIELD GET ${type} at bit ${n(e.offset)}: ${e.old}.`,
        zh: `BITFIELD GET ${type}，从第 ${n(e.offset)} 位起：${e.old}。`,
      }
    if (e.value === null)
      return {
        en: `BITFIELD ${op} ${type} at bit ${n(e.offset)} would overflow: OVERFLOW FAIL leaves ${e.old} and answers nil.`,
        zh: `BITFIELD ${op} ${type}（第 ${n(e.offset)} 位起）会溢出：OVERFLOW FAIL 保留 ${e.old}，返回 nil。`,
      }
    return {
      en: `BITFIELD ${op} ${type} at bit ${n(e.offset)}: ${e.old} → ${e.value} (overflow ${e.overflow.toUpperCase()})${e.toLen > e.fromLen ? `; the string grew from ${n(e.fromLen)} to ${n(e.toLen)} bytes` : ''}.`,
      zh: `BITFIELD ${op} ${type}，从第 ${n(e.offset)} 位起：${e.old} → ${e.value}（溢出策略 ${e.overflow.toUpperCase()}）${e.toLen > e.fromLen ? `；字符串从 ${n(e.fromLen)} 字节增长到 ${n(e.toLen)} 字节` : ''}。`,
    }
  },
}

/** Narrates one event in a language. */
export function narrate(e: StepEvent, lang: 'en' | 'zh'): string {
  const handler = narration[e.type] as (ev: StepEvent) => Narration
  return handler(e)[lang]
}
