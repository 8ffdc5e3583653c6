/**
 * Step events: the facts the engine reports while it executes a command.
 *
 * A discriminated union on `type`, named '<structure>/<pastTenseVerb>'. Events say what
 * happened (indices, keys, ranks, coin flips, byte offsets), never how to draw it. Every
 * payload is plain structured-cloneable data. Explanations are ids plus params, translated
 * by the UI; the engine never builds prose.
 *
 * Each structure family owns one section below. Adding an event means adding its union
 * member here, a narration in panels/shared/narration.ts (a total Record, so the compiler
 * insists), and a golden scenario.
 */

// --- Identifiers ---

/** A key name as a byte string (see bytes.ts). */
export type KeyName = string

/**
 * Names one dict inside the server so panels can follow it:
 * `db:<n>:keys`, `db:<n>:expires`, or `key:<n>:<keyname>` for the dict of a hashtable-
 * encoded hash, set or zset value in db n.
 */
export type DictRef = string

/** How much a trace records. `off`: nothing; `summary`: structural events; `full`: every step. */
export type TraceLevel = 'off' | 'summary' | 'full'

// --- dict (structures/dict.ts) ---

export interface EntryMove {
  readonly key: KeyName
  /** Bucket in the target table (table 1, or table 0 when a new table 0 was installed). */
  readonly to: number
}

export type DictEvent =
  | {
      readonly type: 'dict/keyAdded'
      readonly dict: DictRef
      readonly key: KeyName
      readonly table: 0 | 1
      readonly bucket: number
      /** Position in the chain after insertion: always 0, new entries go to the head. */
      readonly chainPos: number
      readonly chainLen: number
    }
  | {
      readonly type: 'dict/keyDeleted'
      readonly dict: DictRef
      readonly key: KeyName
      readonly table: 0 | 1
      readonly bucket: number
      readonly chainPos: number
    }
  | {
      readonly type: 'dict/keyFound'
      readonly dict: DictRef
      readonly key: KeyName
      /** Buckets probed, one per table looked into, in order. */
      readonly probes: readonly { readonly table: 0 | 1; readonly bucket: number }[]
      readonly found: boolean
    }
  | {
      readonly type: 'dict/tableCreated'
      readonly dict: DictRef
      readonly exp: number
    }
  | {
      readonly type: 'dict/expandStarted'
      readonly dict: DictRef
      readonly fromExp: number
      readonly toExp: number
      readonly used: number
      /** 'fill' when used >= size; 'forced' when used/size > dict_force_resize_ratio. */
      readonly reason: 'fill' | 'forced' | 'explicit'
    }
  | {
      readonly type: 'dict/shrinkStarted'
      readonly dict: DictRef
      readonly fromExp: number
      readonly toExp: number
      readonly used: number
    }
  | {
      readonly type: 'dict/bucketRehashed'
      readonly dict: DictRef
      readonly from: number
      readonly moves: readonly EntryMove[]
      /** rehashidx after the move. */
      readonly rehashIdx: number
    }
  | {
      readonly type: 'dict/emptyBucketsSkipped'
      readonly dict: DictRef
      /** First empty bucket of table 0 skipped (inclusive). */
      readonly from: number
      /** rehashidx after the skip (exclusive): the next bucket to look at. */
      readonly to: number
    }
  | {
      readonly type: 'dict/rehashCompleted'
      readonly dict: DictRef
      readonly exp: number
    }
  | {
      readonly type: 'dict/scanned'
      readonly dict: DictRef
      readonly cursor: number
      readonly next: number
      /** Buckets visited: table and index, in order. */
      readonly buckets: readonly { readonly table: 0 | 1; readonly bucket: number }[]
      readonly keys: readonly KeyName[]
      /** Bucket counts of ht[0] and ht[1] during the call (0 = no table). */
      readonly sizes: readonly [number, number]
    }

// --- sds and strings (structures/sds.ts, types/t_string.ts) ---

export type SdsType = 5 | 8 | 16 | 32 | 64

/** How sdsMakeRoomFor sized a growth (structures/sds.ts). */
export type SdsGrowthRule = 'fits' | 'doubled' | 'plus1mb' | 'exact'

export type SdsEvent = {
  readonly type: 'sds/grown'
  readonly key: KeyName
  readonly fromLen: number
  readonly toLen: number
  readonly fromAlloc: number
  readonly toAlloc: number
  readonly fromType: SdsType
  readonly toType: SdsType
  /**
   * Whether the greedy rule doubled (len < 1 MiB) or added 1 MiB; 'exact' for non-greedy
   * growth (sdsMakeRoomForNonGreedy); 'fits' when the free space already sufficed.
   */
  readonly rule: SdsGrowthRule
}

export type ObjectEncoding =
  | 'raw'
  | 'int'
  | 'embstr'
  | 'quicklist'
  | 'intset'
  | 'hashtable'
  | 'skiplist'
  | 'listpack'
  | 'stream'

export type ObjectEvent =
  | {
      readonly type: 'object/encodingConverted'
      readonly key: KeyName
      readonly from: ObjectEncoding
      readonly to: ObjectEncoding
      /** Explanation id, e.g. 'tooManyEntries', 'valueTooLong', 'notInteger', 'append', 'incr'. */
      readonly reason: string
      readonly params: Readonly<Record<string, number | string>>
    }
  | {
      readonly type: 'object/created'
      readonly key: KeyName
      readonly objType: 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream'
      readonly encoding: ObjectEncoding
      readonly shared: boolean
    }

// --- keyspace and expiry (keyspace/db.ts, keyspace/expire.ts) ---

export type ExpireEvent =
  | {
      readonly type: 'expire/keyExpiredLazily'
      readonly db: number
      readonly key: KeyName
      readonly when: number
      readonly now: number
    }
  | {
      readonly type: 'expire/keyExpiredActively'
      readonly db: number
      readonly key: KeyName
      readonly when: number
    }
  | {
      readonly type: 'expire/cycleRan'
      readonly kind: 'slow' | 'fast'
      readonly dbsVisited: readonly number[]
      readonly sampled: number
      readonly expired: number
      /** Why it stopped: 'allDbsDone', 'timeLimit', 'lowStale' ... */
      readonly stopReason: 'done' | 'timeLimit' | 'skipped'
      readonly timeLimitUs: number
      readonly elapsedUs: number
    }
  | {
      readonly type: 'expire/bucketsSampled'
      readonly db: number
      readonly buckets: readonly number[]
      readonly sampled: readonly KeyName[]
      readonly expired: readonly KeyName[]
      readonly cursor: number
    }

// --- containers (structures/intset.ts, listpack.ts, ziplist.ts, quicklist.ts, skiplist.ts) ---

export type IntsetEncoding = 2 | 4 | 8

export type IntsetEvent =
  | {
      readonly type: 'intset/searched'
      readonly key: KeyName
      readonly value: string
      /** Positions probed by the binary search, in order. */
      readonly probes: readonly number[]
      readonly pos: number
      readonly found: boolean
    }
  | {
      readonly type: 'intset/inserted'
      readonly key: KeyName
      readonly value: string
      readonly pos: number
      /** Elements moved one slot right (intsetMoveTail). */
      readonly moved: number
      readonly length: number
    }
  | {
      readonly type: 'intset/upgraded'
      readonly key: KeyName
      readonly from: IntsetEncoding
      readonly to: IntsetEncoding
      readonly value: string
      /** Whether the new value goes to the front (negative) or the back (positive). */
      readonly prepend: boolean
      /** Each element's move, from the end: old index → new index. */
      readonly moves: readonly { readonly from: number; readonly to: number }[]
    }
  | {
      readonly type: 'intset/removed'
      readonly key: KeyName
      readonly value: string
      readonly pos: number
      readonly length: number
    }

export type ListpackEvent =
  | {
      readonly type: 'listpack/entryInserted'
      readonly key: KeyName
      /** The quicklist node id when the listpack belongs to a quicklist node. */
      readonly node?: number
      readonly index: number
      readonly offset: number
      readonly size: number
      readonly totalBytes: number
      readonly value: string
    }
  | {
      readonly type: 'listpack/entryDeleted'
      readonly key: KeyName
      readonly node?: number
      readonly index: number
      readonly offset: number
      readonly size: number
      readonly totalBytes: number
    }
  | {
      readonly type: 'listpack/entryReplaced'
      readonly key: KeyName
      readonly node?: number
      readonly index: number
      readonly offset: number
      readonly oldSize: number
      readonly size: number
      readonly totalBytes: number
      readonly value: string
    }

export type ZiplistEvent = {
  readonly type: 'ziplist/cascadeUpdated'
  readonly key: KeyName
  /** Each entry whose prevlen field grew from 1 to 5 bytes, in order. */
  readonly entries: readonly { readonly index: number; readonly offset: number }[]
}

export type QuicklistEvent =
  | {
      readonly type: 'quicklist/nodeCreated'
      readonly key: KeyName
      readonly node: number
      readonly count: number
      /** The node it was linked after (null: it is the new head). */
      readonly prev: number | null
      /** Its listpack's bytes (the element's length for a PLAIN node). */
      readonly sz: number
    }
  | {
      readonly type: 'quicklist/nodeSplit'
      readonly key: KeyName
      readonly node: number
      readonly offset: number
      /** The node created by the split (not yet linked when the event is emitted). */
      readonly newNode: number
      /** true: `node` keeps [0, offset] and newNode gets the rest; false: newNode gets [0, offset). */
      readonly after: boolean
      /** Bytes of `node`'s listpack after the split. */
      readonly sz: number
    }
  | {
      readonly type: 'quicklist/nodesMerged'
      readonly key: KeyName
      readonly into: number
      readonly from: number
      /** Bytes of the merged listpack. */
      readonly sz: number
    }
  | {
      readonly type: 'quicklist/nodeDeleted'
      readonly key: KeyName
      readonly node: number
    }
  | {
      /** An inner node (beyond list-compress-depth from both ends) now holds LZF bytes. */
      readonly type: 'quicklist/nodeCompressed'
      readonly key: KeyName
      readonly node: number
      /** Its listpack's bytes (uncompressed). */
      readonly sz: number
      /** Bytes of the LZF data (quicklistLZF adds an 8-byte length in front). */
      readonly lzfSz: number
    }
  | {
      /** A compression attempt left the node raw (__quicklistCompressNode returned 0). */
      readonly type: 'quicklist/nodeKeptRaw'
      readonly key: KeyName
      readonly node: number
      readonly sz: number
      /**
       * tooSmall: under 48 bytes (MIN_COMPRESS_BYTES); incompressible: LZF output would not
       * fit in sz bytes; tooLittleGain: LZF saved fewer than 9 bytes (MIN_COMPRESS_IMPROVE).
       */
      readonly reason: 'tooSmall' | 'incompressible' | 'tooLittleGain'
      /** The LZF size that was refused (tooLittleGain), else 0. */
      readonly lzfSz: number
    }
  | {
      readonly type: 'quicklist/nodeDecompressed'
      readonly key: KeyName
      readonly node: number
      readonly sz: number
      /** Bytes of the LZF data it held. */
      readonly lzfSz: number
      /**
       * true: decompressed to be read or changed (quicklistDecompressNodeForUse) and marked
       * to be compressed again after; false: it came within the compress depth of an end.
       */
      readonly forUse: boolean
    }

export type SkiplistEvent =
  | {
      readonly type: 'zsl/levelDrawn'
      readonly key: KeyName
      readonly member: string
      /** Coin flips in order; true means "go up a level". The last flip is false unless max was hit. */
      readonly flips: readonly boolean[]
      readonly level: number
    }
  | {
      readonly type: 'zsl/searched'
      readonly key: KeyName
      /** One step per level, top to bottom: the member the search stopped at (null = header) and its rank. */
      readonly path: readonly {
        readonly level: number
        readonly member: string | null
        readonly rank: number
      }[]
    }
  | {
      readonly type: 'zsl/nodeInserted'
      readonly key: KeyName
      readonly member: string
      readonly score: number
      readonly level: number
      /** update[i] for each level: the predecessor member (null = header). */
      readonly update: readonly (string | null)[]
      readonly rank: readonly number[]
    }
  | {
      readonly type: 'zsl/nodeDeleted'
      readonly key: KeyName
      readonly member: string
      readonly rank: number
    }
  | {
      readonly type: 'zsl/scoreUpdated'
      readonly key: KeyName
      readonly member: string
      readonly from: number
      readonly to: number
      readonly inPlace: boolean
    }

// --- memory and eviction (keyspace/evict.ts, keyspace/memory.ts, keyspace/lru.ts) ---

export type MaxmemoryPolicy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'volatile-lru'
  | 'allkeys-lfu'
  | 'volatile-lfu'
  | 'allkeys-random'
  | 'volatile-random'
  | 'volatile-ttl'

export interface EvictionCandidate {
  readonly db: number
  readonly key: KeyName
  readonly score: number
}

export type EvictionEvent =
  | {
      readonly type: 'evict/keysSampled'
      readonly policy: MaxmemoryPolicy
      readonly db: number
      readonly sampled: readonly EvictionCandidate[]
    }
  | {
      readonly type: 'evict/poolUpdated'
      readonly pool: readonly EvictionCandidate[]
    }
  | {
      readonly type: 'evict/keyPicked'
      readonly db: number
      readonly key: KeyName
      readonly score: number
      readonly freed: number
    }
  | {
      /**
       * performEvictions ran out of time (maxmemory-eviction-tenacity) before memory fit: the
       * eviction time proc goes on in the next pass of the event loop.
       */
      readonly type: 'evict/timeLimitReached'
      readonly keysFreed: number
      readonly elapsedUs: number
      readonly limitUs: number
    }
  | {
      readonly type: 'memory/oomRejected'
      readonly used: number
      readonly maxmemory: number
    }

export type LruCacheEvent =
  | { readonly type: 'lru/hit'; readonly key: KeyName }
  | { readonly type: 'lru/missed'; readonly key: KeyName }
  | { readonly type: 'lru/movedToHead'; readonly key: KeyName }
  | { readonly type: 'lru/tailEvicted'; readonly key: KeyName }

// --- pub/sub (commands/pubsub.ts) ---

export type PubsubEvent = {
  /** PUBLISH / SPUBLISH delivered a message (pubsubPublishMessage). */
  readonly type: 'pubsub/published'
  /** The channel (bytes). */
  readonly channel: KeyName
  /** SPUBLISH: a shard channel, patterns not consulted. */
  readonly shard: boolean
  /** Clients subscribed to the channel itself, each sent `message` (`smessage`). */
  readonly subscribers: number
  /** The patterns that matched, in the patterns dict's order, with their subscriber counts. */
  readonly patterns: readonly { readonly pattern: string; readonly clients: number }[]
  /** PUBLISH's reply: subscribers plus every pattern delivery. */
  readonly receivers: number
}
// --- transactions (multi.ts, keyspace/db.ts touchWatchedKey) and subscriptions ---

export type MultiEvent =
  | { readonly type: 'multi/started'; readonly client: number }
  | {
      /** processCommand answered QUEUED (queueMultiCommand); a dirty transaction stores nothing. */
      readonly type: 'multi/commandQueued'
      readonly client: number
      readonly argv: readonly string[]
      readonly stored: boolean
    }
  | {
      /** WATCH added the key to db.watched_keys and the client's list (watchForKey). */
      readonly type: 'multi/keyWatched'
      readonly client: number
      readonly db: number
      readonly key: KeyName
    }
  | {
      /** A write touched a watched key: these clients got CLIENT_DIRTY_CAS (touchWatchedKey). */
      readonly type: 'multi/watchTouched'
      readonly db: number
      readonly key: KeyName
      readonly clients: readonly number[]
      /**
       * Their WATCHes were dropped too (a write's touchWatchedKey, 7.0.15); false for
       * FLUSHDB / FLUSHALL / SWAPDB (touchAllWatchedKeysInDb), which only set the flag.
       */
      readonly unwatched: boolean
    }
  | {
      /** A command failed while queueing: CLIENT_DIRTY_EXEC (flagTransaction). */
      readonly type: 'multi/flagged'
      readonly client: number
    }
  | { readonly type: 'multi/execRan'; readonly client: number; readonly commands: number }
  | {
      readonly type: 'multi/execAborted'
      readonly client: number
      readonly why: 'dirtyCas' | 'execAbort'
    }
  | { readonly type: 'multi/discarded'; readonly client: number }
  | {
      /** The client's WATCHes were dropped (UNWATCH, EXEC, DISCARD, a touch, RESET). */
      readonly type: 'multi/unwatched'
      readonly client: number
      readonly keys: number
    }

// --- client connections (commands/connection.ts, acl.ts; the worker's reconnect op) ---

/**
 * Why the server closed a connection: CLIENT KILL (any filter), QUIT, ACL DELUSER of the
 * user it was authenticated as, ACL SETUSER taking away channels it is subscribed to.
 */
export type ClientCloseReason =
  | 'killed'
  | 'quit'
  | 'userDeleted'
  | 'channelsRevoked'
  | 'evicted'
  /** REPLICAOF: blocked clients (to a replica) or replicas (to a master) are disconnected. */
  | 'roleChanged'
  /** A replica's master client: the link to its master was lost (or timed out). */
  | 'masterLost'
  /** clientsCron: idle for longer than the `timeout` config (seconds). */
  | 'idle'
  /** replicationCron: a replica that sent no REPLCONF ACK for longer than repl-timeout. */
  | 'replicaTimeout'

export type ClientEvent =
  | {
      /**
       * A connection was accepted (networking.c createClient): id, default user, db 0, RESP2,
       * no name. Reported by the transport that accepts it (the app's worker, when a console
       * tab whose connection was closed reconnects: `replaces` is the closed client).
       */
      readonly type: 'client/connected'
      readonly client: number
      readonly replaces?: number
    }
  | {
      /**
       * The server closed the client (freeClient / freeClientAsync): its WATCHes, blocking
       * wait and subscriptions are gone with it. `afterReply`: it was the client running the
       * command (QUIT, CLIENT KILL of itself), closed once its reply is written.
       */
      readonly type: 'client/closed'
      readonly client: number
      readonly reason: ClientCloseReason
      readonly afterReply: boolean
    }
  | {
      /** SELECT changed the client's db (selectDb), or RESET put it back to db 0. */
      readonly type: 'client/dbSelected'
      readonly client: number
      readonly from: number
      readonly to: number
    }
  | {
      /** CLIENT SETNAME or HELLO SETNAME set the client's name ('' clears it; so does RESET). */
      readonly type: 'client/named'
      readonly client: number
      readonly name: string
    }

/** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE and their UNSUBSCRIBEs (commands/pubsub.ts). */
export type PubsubSubscriptionEvent =
  | ({ readonly type: 'pubsub/subscribed' } & PubsubSubscription)
  | ({ readonly type: 'pubsub/unsubscribed' } & PubsubSubscription)

export interface PubsubSubscription {
  readonly kind: 'channel' | 'pattern' | 'shard'
  readonly name: string
  readonly client: number
  /** The client's subscription count afterwards, as the confirmation says. */
  readonly count: number
}

// --- blocking pops (commands/blocking.ts): db->blocking_keys, key -> waiting clients ---

export type BlockingEvent =
  | {
      /**
       * A blocking pop found no data and blocked its client (blocked.c blockForKeys): the
       * client is appended to each key's list in its db's blocking_keys (BLPOP, BRPOP,
       * BLMOVE, BZPOPMIN ... and XREAD BLOCK; WAIT blocks on no key and reports none).
       */
      readonly type: 'blocking/clientBlocked'
      readonly client: number
      readonly db: number
      /** The keys waited on, without repeats, in argument order. */
      readonly keys: readonly KeyName[]
      readonly command: string
      /** The timeout in ms from now; 0: it waits for ever. */
      readonly timeout: number
    }
  | {
      /**
       * A push (or ZADD, XADD) made a waited key ready, and after the command that pushed
       * the client first in line was served from it (serveClientsBlockedOnListKey): it left
       * every key's list in blocking_keys and its reply is sent. The pop's own steps follow.
       */
      readonly type: 'blocking/clientServed'
      readonly client: number
      readonly db: number
      readonly key: KeyName
      readonly command: string
    }
  | {
      /**
       * The client stopped waiting with no data: its timeout passed
       * (handleBlockedClientsTimeout, a null reply) or another client ran CLIENT UNBLOCK
       * (`unblocked`, a null reply, or the UNBLOCKED error with ERROR). It left every key's
       * list in blocking_keys.
       */
      readonly type: 'blocking/clientUnblocked'
      readonly client: number
      readonly db: number
      readonly keys: readonly KeyName[]
      readonly command: string
      readonly reason: 'timedOut' | 'unblocked' | 'unblockedWithError'
    }

// --- client-side caching (tracking.ts): the tracking table and invalidation messages ---

export type TrackingEvent =
  | {
      /**
       * A read-only command's keys were remembered for the client (trackingRememberKeys):
       * each key's entry in the tracking table now lists the client's id.
       */
      readonly type: 'tracking/keysRemembered'
      readonly client: number
      readonly keys: readonly KeyName[]
    }
  | {
      /**
       * A tracked key changed (trackingInvalidateKey) or was dropped to keep the table under
       * tracking-table-max-keys (`evicted`): its entry left the table, and `clients` are the
       * clients it was listed for that get an invalidation message (or will, after the
       * command's reply); `prefixes` are the BCAST prefixes it was queued for.
       */
      readonly type: 'tracking/keyInvalidated'
      readonly key: KeyName
      readonly clients: readonly number[]
      readonly prefixes: readonly string[]
      readonly evicted: boolean
    }
  | {
      /**
       * FLUSHALL / FLUSHDB (trackingInvalidateKeysOnFlush): every tracking client is sent a
       * null invalidation ("all keys"), and the tracking table is emptied.
       */
      readonly type: 'tracking/flushed'
      readonly clients: readonly number[]
      readonly keys: number
    }

// --- streams (types/t_stream.ts): a rax of listpacks keyed by master entry ID ---

export type StreamEvent =
  | {
      /** A new listpack (with its master entry) was linked into the rax. */
      readonly type: 'stream/nodeCreated'
      readonly key: KeyName
      /** Master entry ID "ms-seq" (the rax key). */
      readonly master: string
      readonly masterFields: number
      /** rax node counts around the insert: more than +1 means a rax node was split. */
      readonly raxNodesBefore: number
      readonly raxNodesAfter: number
      /** Listpacks in the stream afterwards. */
      readonly nodes: number
      /**
       * Why a new listpack: the stream had none ('empty'), or the tail listpack had reached
       * stream-node-max-entries (live + deleted) or stream-node-max-bytes; `limit` is that
       * config value (0 for 'empty').
       */
      readonly reason: 'empty' | 'maxEntries' | 'maxBytes'
      readonly limit: number
    }
  | {
      readonly type: 'stream/entryAppended'
      readonly key: KeyName
      readonly id: string
      readonly master: string
      /** Fields equal the master entry's: only values were stored. */
      readonly sameFields: boolean
      readonly entryBytes: number
      readonly nodeBytes: number
      /** Bytes zmalloc holds for the listpack (pre-allocated, grown on demand). */
      readonly nodeAlloc: number
    }
  | {
      /** An entry was flagged deleted (a tombstone) by XDEL or exact trimming. */
      readonly type: 'stream/entryDeleted'
      readonly key: KeyName
      readonly id: string
      /** By trimming (XTRIM / XADD MAXLEN|MINID), which leaves max-deleted-entry-id alone; else XDEL. */
      readonly trimmed: boolean
    }
  | {
      /** A whole listpack left the rax (trimmed, or its last live entry deleted). */
      readonly type: 'stream/nodeDeleted'
      readonly key: KeyName
      readonly master: string
      readonly entries: number
      readonly raxNodesAfter: number
    }
  | {
      /** XSETID set the stream's last-id, entries-added and max-deleted-entry-id. */
      readonly type: 'stream/idsSet'
      readonly key: KeyName
      readonly lastId: string
      readonly entriesAdded: string
      readonly maxDeletedEntryId: string
    }
  | {
      /**
       * A consumer group changed (created, last-delivered ID set, entries delivered into or
       * acknowledged out of its pending entries list, claimed, consumers added or removed):
       * `group` is its state afterwards, null when destroyed; `count` is how many entries
       * (or consumers) the change concerned.
       */
      readonly type: 'stream/groupChanged'
      readonly key: KeyName
      readonly name: string
      readonly cause: StreamGroupCause
      readonly count: number
      readonly group: StreamGroupView | null
    }

export type StreamGroupCause =
  | 'created'
  | 'setId'
  | 'destroyed'
  | 'consumerCreated'
  | 'consumerDeleted'
  | 'delivered'
  | 'acked'
  | 'claimed'

/** A consumer group as panels see it (inspect() and stream/groupChanged share it). */
export interface StreamGroupView {
  readonly name: string
  readonly lastDeliveredId: string
  /** entries-read, or null when unknown (-1). */
  readonly entriesRead: string | null
  /** PEL size. */
  readonly pending: number
  /** Number of consumers. */
  readonly consumers: number
  /** Consumers in name order with their own PEL sizes. */
  readonly consumerList: readonly { readonly name: string; readonly pending: number }[]
  /** The first pending entries (at most STREAM_PEL_SHOWN), in ID order. */
  readonly pel: readonly {
    readonly id: string
    readonly consumer: string | null
    readonly deliveries: string
  }[]
}

// --- hyperloglog (structures/hyperloglog.ts, commands/hyperloglog.ts) ---

/** One sparse HLL opcode: ZERO (1–64 zeros), XZERO (1–16384 zeros) or VAL (1–4 registers). */
export interface HllOp {
  readonly op: 'ZERO' | 'XZERO' | 'VAL'
  readonly len: number
  /** The registers' value (0 for ZERO and XZERO). */
  readonly value: number
}

export type HllEvent =
  | {
      /** PFADD hashed an element: MurmurHash64A, low 14 bits the register, then the zero run. */
      readonly type: 'hll/elementHashed'
      readonly key: KeyName
      readonly element: string
      /** The 64-bit hash, 16 hex digits. */
      readonly hash: string
      readonly index: number
      /** Zeros above the 14 index bits before the first 1, plus one (1–51). */
      readonly count: number
    }
  | {
      /** A register was raised (PFADD). */
      readonly type: 'hll/registerUpdated'
      readonly key: KeyName
      readonly index: number
      readonly old: number
      readonly new: number
      readonly encoding: 'sparse' | 'dense'
      /** The sparse opcode list's change: opcode `at` became `inserted` (1–3 opcodes). */
      readonly sparse: { readonly at: number; readonly inserted: readonly HllOp[] } | null
      /** hllCount's estimate after the update. */
      readonly estimate: number
    }
  | {
      /** Two adjacent VAL opcodes of one value merged into one (opcodes at and at + 1). */
      readonly type: 'hll/opcodesMerged'
      readonly key: KeyName
      readonly at: number
      readonly value: number
      readonly len: number
    }
  | {
      /** hllSparseToDense: the HLL became 12304 bytes of 6-bit registers, for good. */
      readonly type: 'hll/sparseToDense'
      readonly key: KeyName
      /** valueTooBig: a register value > 32; sparseTooBig: past hll-sparse-max-bytes. */
      readonly reason: 'valueTooBig' | 'sparseTooBig' | 'merge' | 'debug'
      /** The register value (valueTooBig) and the bytes the sparse form would have. */
      readonly value: number
      readonly bytes: number
      readonly limit: number
    }
  | { readonly type: 'hll/cacheInvalidated'; readonly key: KeyName }
  | {
      /** PFCOUNT computed the estimate and stored it in the header. */
      readonly type: 'hll/cardinalityCached'
      readonly key: KeyName
      readonly card: number
    }
  | {
      /** PFCOUNT answered from the header's valid cached cardinality. */
      readonly type: 'hll/cachedCardinalityUsed'
      readonly key: KeyName
      readonly card: number
    }
  | {
      /** PFMERGE raised the target's registers to the sources' maxima. */
      readonly type: 'hll/merged'
      readonly key: KeyName
      readonly sources: readonly KeyName[]
      /** Non-zero registers in the merged maxima. */
      readonly nonZero: number
    }
  | {
      /**
       * PFCOUNT of several keys merged their registers into a temporary HLL (the maxima, as
       * PFMERGE does) and counted it; nothing is stored or cached.
       */
      readonly type: 'hll/unionCounted'
      /** The keys named, in order (missing ones included: they count as empty). */
      readonly keys: readonly KeyName[]
      /** Non-zero registers in the merged maxima. */
      readonly nonZero: number
      readonly card: number
    }

// --- geo (commands/geo.ts, structures/geohash.ts) ---

/** A geohash cell's bounds in degrees (GeoHashArea). */
export interface GeoCellArea {
  readonly lonMin: number
  readonly lonMax: number
  readonly latMin: number
  readonly latMax: number
}

/** The nine cells a search walks, in membersOfAllNeighbors' order. */
export type GeoDirection =
  | 'center'
  | 'north'
  | 'south'
  | 'east'
  | 'west'
  | 'northEast'
  | 'northWest'
  | 'southEast'
  | 'southWest'

export type GeoEvent =
  | {
      /**
       * GEOADD encoded one member at step 26: the two 26-bit cell numbers (each bit one
       * halving of its range, 1 = upper half), interleaved into the 52-bit score it stores.
       */
      readonly type: 'geo/memberEncoded'
      readonly key: KeyName
      readonly member: string
      /** The coordinates as given. */
      readonly longitude: number
      readonly latitude: number
      readonly lonCell: number
      readonly latCell: number
      readonly score: number
      /** Where GEOPOS will put it: the centre of its step-26 cell. */
      readonly decoded: readonly [number, number]
      /** The member's score before (null: not in the set). */
      readonly old: number | null
      /** ZADD's outcome for it; skipped: NX on an existing member or XX on a new one. */
      readonly outcome: 'added' | 'updated' | 'unchanged' | 'skipped'
    }
  | {
      /** GEOPOS / GEODIST / GEOHASH / FROMMEMBER read a score back: its cell and centre. */
      readonly type: 'geo/positionDecoded'
      readonly key: KeyName
      readonly member: string
      readonly score: number
      readonly lonCell: number
      readonly latCell: number
      readonly cell: GeoCellArea
      readonly longitude: number
      readonly latitude: number
    }
  | {
      /** GEOHASH re-encoded the decoded position on -90..90 and wrote 11 base32 chars. */
      readonly type: 'geo/hashEncoded'
      readonly key: KeyName
      readonly member: string
      readonly longitude: number
      readonly latitude: number
      readonly lonCell: number
      readonly latCell: number
      readonly geohash: string
    }
  | {
      /** GEODIST: haversine between two decoded positions. */
      readonly type: 'geo/distanceMeasured'
      readonly key: KeyName
      readonly from: string
      readonly to: string
      readonly meters: number
      readonly unit: 'm' | 'km' | 'ft' | 'mi'
    }
  | {
      /**
       * A search chose its cells (geohashCalculateAreasByShapeWGS84): the step estimated
       * from the radius, one step less when a neighbour does not reach the bounding box,
       * and the centre cell with its 8 neighbours, the ones not needed pruned.
       */
      readonly type: 'geo/searchPlanned'
      readonly key: KeyName
      readonly shape:
        | { readonly type: 'radius'; readonly radius: number }
        | { readonly type: 'box'; readonly width: number; readonly height: number }
      readonly unit: 'm' | 'km' | 'ft' | 'mi'
      readonly center: readonly [number, number]
      /** The shape's bounding box (geohashBoundingBox). */
      readonly bounds: GeoCellArea
      /** The radius the step comes from (a box: centre to corner), in metres. */
      readonly radiusMeters: number
      readonly estimatedStep: number
      readonly step: number
      readonly stepDecreased: boolean
      readonly cells: readonly {
        readonly dir: GeoDirection
        /** The cell's bits at `step`. */
        readonly hash: number
        readonly area: GeoCellArea
        readonly pruned: boolean
      }[]
    }
  | {
      /** A cell's score range [min, max) was walked in the zset (or skipped as a repeat). */
      readonly type: 'geo/cellScanned'
      readonly key: KeyName
      readonly index: number
      readonly dir: GeoDirection
      readonly min: number
      readonly max: number
      /** duplicate: the same cell as the one walked before it (a huge radius). */
      readonly skipped: 'duplicate' | null
    }
  | {
      /** A member found in a cell's range: its decoded position, distance, and the test. */
      readonly type: 'geo/candidateChecked'
      readonly key: KeyName
      readonly index: number
      readonly member: string
      readonly score: number
      readonly longitude: number
      readonly latitude: number
      /** From the centre, in metres. */
      readonly distance: number
      readonly kept: boolean
    }
  | {
      /** The search ended: found points sorted (qsort, or pqsort for a COUNT cut), cut. */
      readonly type: 'geo/resultsSorted'
      readonly key: KeyName
      readonly found: number
      readonly sort: 'asc' | 'desc' | 'none'
      readonly algorithm: 'qsort' | 'pqsort' | 'none'
      readonly count: number | null
      readonly any: boolean
      /** In reply order; distance in metres. */
      readonly returned: readonly { readonly member: string; readonly distance: number }[]
    }
  | {
      /** GEOSEARCHSTORE / STORE / STOREDIST wrote the results to `key` (from `source`). */
      readonly type: 'geo/resultsStored'
      readonly key: KeyName
      readonly source: KeyName
      readonly storedist: boolean
      /** In zset insertion order; the positions are the decoded ones (GEOPOS's). */
      readonly members: readonly {
        readonly member: string
        readonly score: number
        readonly longitude: number
        readonly latitude: number
      }[]
    }

// --- bitmap (commands/bitops.ts) ---

export type BitmapEvent =
  | {
      /** SETBIT wrote a bit: byte offset >> 3, bit 7 - (offset & 7) of it (bit 0 = the MSB). */
      readonly type: 'bitmap/bitSet'
      readonly key: KeyName
      readonly offset: number
      readonly byte: number
      /** Position in the byte counted from the most significant bit (offset & 7). */
      readonly bit: number
      readonly old: 0 | 1
      readonly value: 0 | 1
      /** The string's length before and after (zero bytes padded up to the bit's byte). */
      readonly fromLen: number
      readonly toLen: number
    }
  | {
      /** GETBIT read a bit (0 past the end of the string). */
      readonly type: 'bitmap/bitRead'
      readonly key: KeyName
      readonly offset: number
      readonly byte: number
      readonly bit: number
      readonly value: 0 | 1
      readonly length: number
    }
  | {
      /** BITCOUNT counted bytes [start, end]; masks: edge bits a BIT range leaves out. */
      readonly type: 'bitmap/bitsCounted'
      readonly key: KeyName
      readonly start: number
      readonly end: number
      readonly firstMask: number
      readonly lastMask: number
      readonly count: number
    }
  | {
      /** BITPOS looked for `bit` in bytes [start, end]: its position, or -1. */
      readonly type: 'bitmap/bitFound'
      readonly key: KeyName
      readonly bit: 0 | 1
      readonly start: number
      readonly end: number
      readonly pos: number
    }
  | {
      /** One BITFIELD operation on the field of `bits` bits at bit `offset`. */
      readonly type: 'bitmap/fieldAccessed'
      readonly key: KeyName
      readonly op: 'get' | 'set' | 'incrby'
      readonly signed: boolean
      readonly bits: number
      readonly offset: number
      /** The field's value before (decimal); for GET, what was read. */
      readonly old: string
      /** The value written (decimal, as the type reads it); null for GET or when FAIL refused. */
      readonly value: string | null
      /** The field's bits as written (unsigned decimal); null when nothing was written. */
      readonly stored: string | null
      readonly overflow: 'wrap' | 'sat' | 'fail'
      /** The string's length before and after the command grew it for its writes. */
      readonly fromLen: number
      readonly toLen: number
    }

// --- The union ---

export type StepEvent =
  | DictEvent
  | SdsEvent
  | ObjectEvent
  | ExpireEvent
  | IntsetEvent
  | ListpackEvent
  | ZiplistEvent
  | QuicklistEvent
  | SkiplistEvent
  | EvictionEvent
  | LruCacheEvent
  | PubsubEvent
  | StreamEvent
  | HllEvent
  | GeoEvent
  | BitmapEvent
  | MultiEvent
  | PubsubSubscriptionEvent
  | TrackingEvent
  | ClientEvent
  | BlockingEvent

export type StepEventType = StepEvent['type']
export type StepEventOf<T extends StepEventType> = Extract<StepEvent, { type: T }>
export type StepEventHandlers<R> = { readonly [T in StepEventType]: (e: StepEventOf<T>) => R }

/**
 * Events that `summary` traces keep. Everything else is recorded at `full` only. Kept as a
 * Record so a new event type must be classified.
 */
export const SUMMARY_EVENTS: Readonly<Record<StepEventType, boolean>> = {
  'dict/keyAdded': false,
  'dict/keyDeleted': false,
  'dict/keyFound': false,
  'dict/tableCreated': true,
  'dict/expandStarted': true,
  'dict/shrinkStarted': true,
  'dict/bucketRehashed': true,
  'dict/emptyBucketsSkipped': false,
  'dict/rehashCompleted': true,
  'dict/scanned': true,
  'sds/grown': true,
  'object/encodingConverted': true,
  'object/created': false,
  'expire/keyExpiredLazily': true,
  'expire/keyExpiredActively': true,
  'expire/cycleRan': true,
  'expire/bucketsSampled': false,
  'intset/searched': false,
  'intset/inserted': true,
  'intset/upgraded': true,
  'intset/removed': true,
  'listpack/entryInserted': true,
  'listpack/entryDeleted': true,
  'listpack/entryReplaced': true,
  'ziplist/cascadeUpdated': true,
  'quicklist/nodeCreated': true,
  'quicklist/nodeSplit': true,
  'quicklist/nodesMerged': true,
  'quicklist/nodeDeleted': true,
  'quicklist/nodeCompressed': true,
  'quicklist/nodeKeptRaw': false,
  'quicklist/nodeDecompressed': false,
  'zsl/levelDrawn': true,
  'zsl/searched': false,
  'zsl/nodeInserted': true,
  'zsl/nodeDeleted': true,
  'zsl/scoreUpdated': true,
  'evict/keysSampled': true,
  'evict/poolUpdated': true,
  'evict/keyPicked': true,
  'evict/timeLimitReached': true,
  'memory/oomRejected': true,
  'lru/hit': true,
  'lru/missed': true,
  'lru/movedToHead': true,
  'lru/tailEvicted': true,
  'pubsub/published': true,
  'pubsub/subscribed': true,
  'pubsub/unsubscribed': true,
  'tracking/keysRemembered': true,
  'tracking/keyInvalidated': true,
  'tracking/flushed': true,
  'multi/started': true,
  'multi/commandQueued': true,
  'multi/keyWatched': true,
  'multi/watchTouched': true,
  'multi/flagged': true,
  'multi/execRan': true,
  'multi/execAborted': true,
  'multi/discarded': true,
  'multi/unwatched': true,
  'client/connected': true,
  'client/closed': true,
  'client/dbSelected': true,
  'client/named': true,
  'blocking/clientBlocked': true,
  'blocking/clientServed': true,
  'blocking/clientUnblocked': true,
  'stream/nodeCreated': true,
  'stream/entryAppended': true,
  'stream/entryDeleted': true,
  'stream/nodeDeleted': true,
  'stream/idsSet': true,
  'stream/groupChanged': true,
  'hll/elementHashed': false,
  'hll/registerUpdated': true,
  'hll/opcodesMerged': true,
  'hll/sparseToDense': true,
  'hll/cacheInvalidated': true,
  'hll/cardinalityCached': true,
  'hll/cachedCardinalityUsed': true,
  'hll/merged': true,
  'hll/unionCounted': true,
  'geo/memberEncoded': true,
  'geo/positionDecoded': false,
  'geo/hashEncoded': false,
  'geo/distanceMeasured': false,
  'geo/searchPlanned': false,
  'geo/cellScanned': false,
  'geo/candidateChecked': false,
  'geo/resultsSorted': false,
  'geo/resultsStored': true,
  'bitmap/bitSet': true,
  'bitmap/bitRead': false,
  'bitmap/bitsCounted': false,
  'bitmap/bitFound': false,
  'bitmap/fieldAccessed': true,
}
