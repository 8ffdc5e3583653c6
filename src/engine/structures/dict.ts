/**
 * Hash table with incremental rehashing — follows redis/src/dict.c (7.0.15).
 *
 * Every Redis keyspace, every `expires` table and every hashtable-encoded hash, set and zset
 * is one of these. A dict owns up to two tables of buckets; a bucket is a singly linked chain
 * of entries, new entries pushed at the head. Table sizes are powers of two and a key's bucket
 * is `siphash(key) & (size - 1)`.
 *
 * Growing is incremental: when an insert finds the table full (used >= size under the
 * 'enable' policy, or used/size > 5 unless 'forbid'), a second table twice as large (the
 * next power of two above used + 1) is installed and rehashIdx starts at 0. From then on,
 * every find/add/delete/random pick moves one bucket of table 0 into table 1
 * (_dictRehashStep), visiting at most 10 empty buckets per step, and new keys go straight to
 * table 1. When table 0 is empty, table 1 takes its place. Shrinking (dictResize, called by the
 * server when fill < 10 %) is the same process towards a smaller table. So the cost of a
 * resize is spread over many commands instead of one long pause.
 *
 * Complexity: O(1) average find/add/delete plus one bucket move while rehashing.
 *
 * Entries are slots of a pool of parallel arrays (see DictEntry), not one object each; a
 * deleted entry's slot goes on a free list and is reused by a later add.
 *
 * Invariants (see dictValidate): table sizes are powers of two (exp >= 2); used counts match
 * the chains; rehashIdx === -1 iff table 1 is absent; while rehashing, buckets of table 0
 * below rehashIdx are empty; no key lives in both tables; every key sits in the bucket its
 * hash selects; every pool slot is in exactly one chain, on the free list, or just unlinked.
 *
 * Randomness: Redis's randomULong() (a 64-bit Mersenne Twister on 64-bit builds) becomes
 * rngNextU32 (bucket counts never exceed 2^32 here); random() and rand() become rngRandom.
 *
 * Emits: dict/tableCreated, dict/expandStarted, dict/shrinkStarted, dict/bucketRehashed,
 * dict/rehashCompleted, dict/scanned (summary); dict/keyAdded, dict/keyDeleted,
 * dict/keyFound, dict/emptyBucketsSkipped (full only).
 */
import type { ExecContext } from '../context.ts'
import type { DictRef, EntryMove } from '../events.ts'
import { rngNextU32, rngRandom } from '../rng.ts'
import { siphash12Low, type HashSeed } from './siphash.ts'
import { WORK_REHASH_STEP_US } from '../workCost.ts'
import { allocStamp } from './allocStamp.ts'

export type { HashSeed } from './siphash.ts'
export { hashSeedFromRng } from './siphash.ts'

// --- Types ---

/**
 * An entry: its index in the dict's entry pool (the C dictEntry pointer). NO_ENTRY is the
 * NULL pointer. Read it with dictGetKey / dictGetVal, change its value with dictSetVal.
 *
 * The entries live in two arrays rather than one object each: each entry's cached hash and
 * chain link side by side in an Int32Array (`links`, LINK_STRIDE slots an entry), its key
 * and value side by side in `ents` (ENTRY_STRIDE slots an entry), both at the entry's index
 * times the stride; `ents` is cut into chunks of ENTS_CHUNK entries, so a pool never needs
 * one array past V8's largest ordinary heap object (128 KB: a bigger one gets pages of its
 * own, fresh from the OS at every growth, and a pool grown by push was copied into a new one
 * each time: 0.2 µs an entry added, a quarter of INCR on 50k new keys; a chunk is never
 * copied, a new one is added). A keyspace of millions of keys is then two pools instead of
 * millions of small objects: no per-entry allocation for the garbage collector to copy. A chain walk
 * reads `links` (8 bytes an entry) and the key only when the hash matches; a hit then reads
 * the key and the value from one place, as dict.c reads one dictEntry. Rehashing reads and
 * writes `links` only. (With all four fields in one array of tagged values, 32 bytes an
 * entry, every rehash move and every miss walked 4× the memory; SET of 50k new keys, best
 * of 60 paired rounds: 7–13 % faster this way, GET no slower. In four arrays of their own,
 * a lookup touched four places: a cache miss each once the keyspace outgrows the caches, a
 * fifth of a GET's time over 2M keys. A number value, an expire time or a score, is boxed
 * unless it is a small integer.) The algorithms are dict.c's, step for step: what changes
 * is only where an entry's fields are stored.
 */
export type DictEntry = number

/** The NULL entry: not found / end of chain / empty bucket. */
export const NO_ENTRY = -1

/** A bucket array: the first entry of each chain, NO_ENTRY when empty. */
export type DictTable = Int32Array

/** Per-dict behaviour hooks (Redis dictType; hashing and key comparison are fixed here). */
export interface DictType {
  /**
   * Asked before growing (dictTypeExpandAllowed): `moreMemBytes` is the new bucket array's
   * size in bytes, `usedRatio` the current load factor. The db keyspace and expires dicts
   * refuse under maxmemory pressure (server.c:dictExpandAllowed).
   */
  expandAllowed?: (moreMemBytes: number, usedRatio: number) => boolean
}

/** The dict itself: plain data, like `struct dict` (7.0 layout) plus its entry pool. */
export interface Dict<V> {
  ref: DictRef
  type: DictType
  table: [DictTable | null, DictTable | null]
  used: [number, number]
  /** log2 of each table's size; -1 = no table. */
  sizeExp: [number, number]
  /** Next bucket of table 0 to move; -1 = not rehashing. */
  rehashIdx: number
  /** > 0 while a scan or safe iteration is in progress: rehash steps are skipped. */
  pauseRehash: number
  seed: HashSeed
  // --- The entry pool (see DictEntry) ---
  /**
   * Each entry's key and value: entry e at ENTRY_STRIDE × (e & ENTS_CHUNK_MASK) of chunk
   * e >>> ENTS_CHUNK_BITS; every chunk but the last is full.
   */
  ents: (string | V | undefined)[][]
  /** Entry slots handed out so far (free or not): the next new slot. */
  slots: number
  /**
   * Each entry's two links fields at LINK_STRIDE × entry: siphash12Low of the key, its low
   * HASH_BITS bits, kept so that rehashing and chain walks need not hash or compare the key
   * again (a cache: the key never changes); its next entry in its chain (NO_ENTRY at the
   * end), free slots chaining there too. Room for more entries than the pool holds yet
   * (growLinks doubles it).
   */
  links: Int32Array
  /** First free slot (NO_ENTRY: none; new slots come from the end). */
  free: number
  /**
   * The entry dictDelete last unlinked, still readable by its caller (dictUnlink before
   * dictFreeUnlinkedEntry): freed by the next add or delete on this dict.
   */
  unlinked: number
}

/** dict_can_resize: 'avoid' while a fork child exists, 'forbid' inside the child. */
export type DictResizePolicy = 'enable' | 'avoid' | 'forbid'

// --- Constants ---

export const DICT_HT_INITIAL_EXP = 2
export const DICT_HT_INITIAL_SIZE = 4
/** Largest table exponent here (the C limit is the address space; JS arrays stop sooner). */
export const DICT_HT_MAX_EXP = 30
/** Grow even under 'avoid' once used/size exceeds this. */
export const DICT_FORCE_RESIZE_RATIO = 5
/** server.h: shrink when fill drops below this percentage. */
export const HASHTABLE_MIN_FILL = 10
/** dictGetFairRandomKey samples this many entries. */
export const GETFAIR_NUM_ENTRIES = 15
/** Bytes of one bucket pointer (bucket arrays are size × 8 bytes). */
export const DICT_BUCKET_BYTES = 8

/** Slots of `ents` an entry takes: its key and value (at these offsets). */
const ENTRY_STRIDE = 2
/** Entries a chunk of `ents` holds (2^ENTS_CHUNK_BITS: 32 KB of tagged slots). */
const ENTS_CHUNK_BITS = 12
const ENTS_CHUNK = 1 << ENTS_CHUNK_BITS
const ENTS_CHUNK_MASK = ENTS_CHUNK - 1
const ENTRY_KEY = 0
const ENTRY_VAL = 1
/** Slots of `links` an entry takes: its hash and next entry. */
const LINK_STRIDE = 2
const LINK_HASH = 0
const LINK_NEXT = 1
/** The hash bits an entry keeps: every bucket index of a table up to 2^DICT_HT_MAX_EXP. */
const HASH_BITS = 0x3fffffff

// --- Global resize policy (dict.c dict_can_resize) ---

let dictCanResize: DictResizePolicy = 'enable'

/**
 * Counts bucket-array allocations and frees in every dict (expand, end of rehash, empty),
 * so memory accounting can tell that no dict gained or lost a table since it last looked.
 */
let tablesGeneration = 0
export function dictTablesGeneration(): number {
  return tablesGeneration
}

/** Sets the module-wide resize policy, as server.c:updateDictResizePolicy does around forks. */
export function dictSetResizePolicy(p: DictResizePolicy): void {
  dictCanResize = p
}

/** Returns the module-wide resize policy. */
export function dictGetResizePolicy(): DictResizePolicy {
  return dictCanResize
}

// --- Creation and accessors ---

const NO_TYPE: DictType = {}

/** Creates an empty dict with no tables (the first insert allocates 4 buckets). */
export function dictCreate<V>(ref: DictRef, seed: HashSeed, type: DictType = NO_TYPE): Dict<V> {
  return {
    ref,
    type,
    table: [null, null],
    used: [0, 0],
    sizeExp: [-1, -1],
    rehashIdx: -1,
    pauseRehash: 0,
    seed,
    ents: [],
    slots: 0,
    links: EMPTY_LINKS,
    free: NO_ENTRY,
    unlinked: NO_ENTRY,
  }
}

/** The chunk of `ents` that holds entry `e`. */
function entsChunk<V>(d: Dict<V>, e: DictEntry): (string | V | undefined)[] {
  return d.ents[e >>> ENTS_CHUNK_BITS] as (string | V | undefined)[]
}

/** Where entry `e`'s key is in its chunk (its value is next). */
function entsAt(e: DictEntry): number {
  return (e & ENTS_CHUNK_MASK) * ENTRY_STRIDE
}

/** dictGetKey: the entry's key. */
export function dictGetKey<V>(d: Dict<V>, e: DictEntry): string {
  return entsChunk(d, e)[entsAt(e) + ENTRY_KEY] as string
}

/** dictGetVal: the entry's value. */
export function dictGetVal<V>(d: Dict<V>, e: DictEntry): V {
  return entsChunk(d, e)[entsAt(e) + ENTRY_VAL] as V
}

/** dictSetVal: replaces the entry's value in place. */
export function dictSetVal<V>(d: Dict<V>, e: DictEntry, val: V): void {
  entsChunk(d, e)[entsAt(e) + ENTRY_VAL] = val
}

/** The entry after `e` in its chain (NO_ENTRY at the end): dictEntry.next. */
export function dictNextEntry<V>(d: Dict<V>, e: DictEntry): DictEntry {
  return d.links[e * LINK_STRIDE + LINK_NEXT] as number
}

/** The entry's cached hash (its low HASH_BITS bits). */
function entryHash<V>(d: Dict<V>, e: DictEntry): number {
  return d.links[e * LINK_STRIDE + LINK_HASH] as number
}

/** Links the entry to `next` (its chain's next entry, or the free list's). */
function setEntryNext<V>(d: Dict<V>, e: DictEntry, next: DictEntry): void {
  d.links[e * LINK_STRIDE + LINK_NEXT] = next
}

/** A key's hash as its entry keeps it (the low HASH_BITS bits of siphash12Low). */
function keyHash<V>(d: Dict<V>, key: string): number {
  return siphash12Low(d.seed, key) & HASH_BITS
}

/** Returns the number of entries in both tables. */
export function dictSize<V>(d: Dict<V>): number {
  return d.used[0] + d.used[1]
}

/** Returns the number of buckets of both tables (dictSlots). */
export function dictBuckets<V>(d: Dict<V>): number {
  return htSize(d.sizeExp[0]) + htSize(d.sizeExp[1])
}

/** Returns whether an incremental rehash is in progress. */
export function dictIsRehashing<V>(d: Dict<V>): boolean {
  return d.rehashIdx !== -1
}

/** Returns the bucket count of table `t` (0 when absent). */
export function dictTableSize<V>(d: Dict<V>, t: 0 | 1): number {
  return htSize(d.sizeExp[t])
}

/** Returns the low 32 bits of the key's SipHash-1-2 under this dict's seed. */
export function dictHashKey<V>(d: Dict<V>, key: string): number {
  return siphash12Low(d.seed, key)
}

/** Returns the bucket the key hashes to in table `t` (-1 when that table is absent). */
export function dictBucketOf<V>(d: Dict<V>, key: string, t: 0 | 1): number {
  const exp = d.sizeExp[t]
  if (exp === -1) return -1
  return siphash12Low(d.seed, key) & htMask(exp)
}

/** Pauses incremental rehashing (dictPauseRehashing); pair with dictResumeRehashing. */
export function dictPauseRehashing<V>(d: Dict<V>): void {
  d.pauseRehash++
}

/** Resumes incremental rehashing paused by dictPauseRehashing. */
export function dictResumeRehashing<V>(d: Dict<V>): void {
  d.pauseRehash--
}

function htSize(exp: number): number {
  return exp === -1 ? 0 : 1 << exp
}

function htMask(exp: number): number {
  return exp === -1 ? 0 : (1 << exp) - 1
}

/** The links of a pool with no entries yet (shared: growLinks replaces it, never writes it). */
const EMPTY_LINKS = new Int32Array(0)

/** Doubles the room of the pool's links (at least 8 entries). */
function growLinks<V>(d: Dict<V>): void {
  const links = new Int32Array(Math.max(8 * LINK_STRIDE, d.links.length * 2))
  links.set(d.links)
  d.links = links
}

function newBuckets(size: number): DictTable {
  return new Int32Array(size).fill(NO_ENTRY)
}

// --- The entry pool ---

/**
 * zmalloc(sizeof(dictEntry)): a free slot, else a new one at the end (a new chunk of `ents`
 * when the last is full; `links` doubles).
 */
function entryAlloc<V>(d: Dict<V>, key: string, val: V, hash: number, next: DictEntry): DictEntry {
  let e = d.free
  if (e !== NO_ENTRY) {
    d.free = dictNextEntry(d, e)
    const chunk = entsChunk(d, e)
    const at = entsAt(e)
    chunk[at + ENTRY_KEY] = key
    chunk[at + ENTRY_VAL] = val
  } else {
    e = d.slots++
    if ((e & ENTS_CHUNK_MASK) === 0) d.ents.push([])
    // Appended: the chunk stays packed (no holes), as the pool's slots are handed out in order.
    entsChunk(d, e).push(key, val)
    if (e * LINK_STRIDE >= d.links.length) growLinks(d)
  }
  const links = d.links
  links[e * LINK_STRIDE + LINK_HASH] = hash
  links[e * LINK_STRIDE + LINK_NEXT] = next
  return e
}

/** dictFreeUnlinkedEntry for the entry dictDelete handed out last: its slot is free again. */
function releaseUnlinked<V>(d: Dict<V>): void {
  const e = d.unlinked
  d.unlinked = NO_ENTRY
  const chunk = entsChunk(d, e)
  const at = entsAt(e)
  chunk[at + ENTRY_KEY] = ''
  // Drop the reference so the value can be collected.
  chunk[at + ENTRY_VAL] = undefined
  setEntryNext(d, e, d.free)
  d.free = e
}

// --- Expanding and shrinking ---

/** _dictNextExp: the exponent of the smallest power of two >= size, at least 2. */
export function dictNextExp(size: number): number {
  if (size <= DICT_HT_INITIAL_SIZE) return DICT_HT_INITIAL_EXP
  if (size > 0x80000000) return Math.ceil(Math.log2(size))
  return 32 - Math.clz32(size - 1)
}

/**
 * _dictExpand: installs a table of 2^_dictNextExp(size) buckets, as table 0 when there is
 * none yet, else as table 1 starting a rehash. Refuses while rehashing, when size < used,
 * when the exponent would not change, or beyond 2^DICT_HT_MAX_EXP buckets.
 */
function dictExpandInternal<V>(
  ctx: ExecContext,
  d: Dict<V>,
  size: number,
  reason: 'fill' | 'forced' | 'explicit',
): boolean {
  if (d.rehashIdx !== -1 || d.used[0] > size) return false
  const exp = dictNextExp(size)
  // Redis refuses sizes whose byte count overflows; here the cap is 2^30 buckets (JS arrays).
  if (exp > DICT_HT_MAX_EXP) return false
  if (exp === d.sizeExp[0]) return false
  const buckets = newBuckets(1 << exp)
  tablesGeneration++
  allocStamp.n++
  if (d.table[0] === null) {
    d.sizeExp[0] = exp
    d.used[0] = 0
    d.table[0] = buckets
    if (ctx.tracing) ctx.emit({ type: 'dict/tableCreated', dict: d.ref, exp })
    return true
  }
  const fromExp = d.sizeExp[0]
  d.sizeExp[1] = exp
  d.used[1] = 0
  d.table[1] = buckets
  d.rehashIdx = 0
  if (ctx.tracing) {
    if (exp > fromExp) {
      ctx.emit({
        type: 'dict/expandStarted',
        dict: d.ref,
        fromExp,
        toExp: exp,
        used: d.used[0],
        reason,
      })
    } else {
      ctx.emit({ type: 'dict/shrinkStarted', dict: d.ref, fromExp, toExp: exp, used: d.used[0] })
    }
  }
  return true
}

/**
 * Expands or creates the table to hold `size` entries (rounded up to a power of two, min 4),
 * starting an incremental rehash if a table exists. Returns false when refused (already
 * rehashing, size below the entry count, or same size). A smaller size starts a shrink.
 */
export function dictExpand<V>(ctx: ExecContext, d: Dict<V>, size: number): boolean {
  return dictExpandInternal(ctx, d, size, 'explicit')
}

/** _dictExpandIfNeeded: allocates the first table or starts growing when the table is full. */
function dictExpandIfNeeded<V>(ctx: ExecContext, d: Dict<V>): void {
  if (d.rehashIdx !== -1) return
  const exp0 = d.sizeExp[0]
  if (exp0 === -1) {
    dictExpandInternal(ctx, d, DICT_HT_INITIAL_SIZE, 'explicit')
    return
  }
  const size = 1 << exp0
  const used = d.used[0]
  const fill = dictCanResize === 'enable' && used >= size
  if (fill || (dictCanResize !== 'forbid' && Math.floor(used / size) > DICT_FORCE_RESIZE_RATIO)) {
    const allowed = d.type.expandAllowed
    if (
      allowed !== undefined &&
      !allowed(2 ** dictNextExp(used + 1) * DICT_BUCKET_BYTES, used / size)
    ) {
      return
    }
    dictExpandInternal(ctx, d, used + 1, fill ? 'fill' : 'forced')
  }
}

/**
 * Shrinks (or grows) the table to the smallest power of two holding all entries (min 4),
 * starting a rehash. Refused unless the policy is 'enable' and no rehash is running.
 */
export function dictResize<V>(ctx: ExecContext, d: Dict<V>): boolean {
  if (dictCanResize !== 'enable' || d.rehashIdx !== -1) return false
  let minimal = d.used[0]
  if (minimal < DICT_HT_INITIAL_SIZE) minimal = DICT_HT_INITIAL_SIZE
  return dictExpandInternal(ctx, d, minimal, 'explicit')
}

/** Returns whether the server would shrink this dict: more than 4 buckets and fill < 10 %. */
export function htNeedsResize<V>(d: Dict<V>): boolean {
  const size = dictBuckets(d)
  const used = dictSize(d)
  return size > DICT_HT_INITIAL_SIZE && Math.floor((used * 100) / size) < HASHTABLE_MIN_FILL
}

// --- Rehashing ---

/**
 * Performs up to n bucket moves of an incremental rehash, visiting at most 10·n empty
 * buckets. Each moved entry is pushed at the head of its new chain (so a chain's order is
 * reversed). Finishes the rehash when table 0 becomes empty. Does nothing under 'forbid', or
 * under 'avoid' unless the tables differ in size by a factor >= 5. Returns true if more
 * rehashing remains.
 */
export function dictRehash<V>(ctx: ExecContext, d: Dict<V>, n: number): boolean {
  if (dictCanResize === 'forbid' || d.rehashIdx === -1) return false
  if (dictCanResize === 'avoid') {
    const s0 = htSize(d.sizeExp[0])
    const s1 = htSize(d.sizeExp[1])
    if (
      (s1 > s0 && s1 / s0 < DICT_FORCE_RESIZE_RATIO) ||
      (s1 < s0 && s0 / s1 < DICT_FORCE_RESIZE_RATIO)
    )
      return false
  }
  const t0 = d.table[0] as DictTable
  const t1 = d.table[1] as DictTable
  const mask1 = htMask(d.sizeExp[1])
  let emptyVisits = n * 10
  while (n-- > 0 && d.used[0] !== 0) {
    let de = t0[d.rehashIdx] as number
    if (de === NO_ENTRY) {
      const skipFrom = d.rehashIdx
      while (de === NO_ENTRY) {
        d.rehashIdx++
        if (--emptyVisits === 0) {
          if (ctx.full) {
            ctx.emit({
              type: 'dict/emptyBucketsSkipped',
              dict: d.ref,
              from: skipFrom,
              to: d.rehashIdx,
            })
          }
          return true
        }
        de = t0[d.rehashIdx] as number
      }
      if (ctx.full) {
        ctx.emit({ type: 'dict/emptyBucketsSkipped', dict: d.ref, from: skipFrom, to: d.rehashIdx })
      }
    }
    const from = d.rehashIdx
    const tracing = ctx.tracing
    // Built from literals of one and two elements: `[]` grown by push reserves 17 slots, and
    // most buckets move one or two entries (that spare room was a third of what a summary
    // trace added to SET).
    let moves: EntryMove[] | null = null
    let moved = 0
    while (de !== NO_ENTRY) {
      const nextde = dictNextEntry(d, de)
      const h = entryHash(d, de) & mask1
      setEntryNext(d, de, t1[h] as number)
      t1[h] = de
      moved++
      if (tracing) {
        const m = { key: dictGetKey(d, de), to: h }
        if (moves === null) moves = [m]
        else if (moves.length === 1) moves = [moves[0] as EntryMove, m]
        else moves.push(m)
      }
      de = nextde
    }
    d.used[0] -= moved
    d.used[1] += moved
    t0[from] = NO_ENTRY
    d.rehashIdx++
    if (moves !== null) {
      ctx.emit({
        type: 'dict/bucketRehashed',
        dict: d.ref,
        from,
        moves,
        rehashIdx: d.rehashIdx,
      })
    }
  }
  if (d.used[0] === 0) {
    tablesGeneration++
    allocStamp.n++
    d.table[0] = d.table[1]
    d.used[0] = d.used[1]
    d.sizeExp[0] = d.sizeExp[1]
    d.table[1] = null
    d.used[1] = 0
    d.sizeExp[1] = -1
    d.rehashIdx = -1
    if (ctx.tracing) ctx.emit({ type: 'dict/rehashCompleted', dict: d.ref, exp: d.sizeExp[0] })
    return false
  }
  return true
}

/**
 * Rehashes in batches of 100 steps until done or until more than `ms` milliseconds of
 * ctx.clock have passed (whole ms, as timeInMilliseconds). Returns the steps attempted
 * (a multiple of 100). Does nothing while rehashing is paused.
 */
export function dictRehashMilliseconds<V>(ctx: ExecContext, d: Dict<V>, ms: number): number {
  if (d.pauseRehash > 0) return 0
  const start = Math.floor(ctx.clock.now())
  let rehashes = 0
  while (dictRehash(ctx, d, 100)) {
    rehashes += 100
    ctx.clock.work?.(100 * WORK_REHASH_STEP_US)
    if (Math.floor(ctx.clock.now()) - start > ms) break
  }
  return rehashes
}

/** _dictRehashStep: one bucket of rehash, unless paused. */
function dictRehashStep<V>(ctx: ExecContext, d: Dict<V>): void {
  if (d.pauseRehash === 0) dictRehash(ctx, d, 1)
}

// --- Lookup, insert, delete ---

/**
 * Walks the chain from `e` for the key whose hash is `h` (keyHash). Returns the entry, or
 * NO_ENTRY.
 */
function chainFind<V>(d: Dict<V>, e: DictEntry, key: string, h: number): DictEntry {
  const links = d.links
  while (e !== NO_ENTRY) {
    const at = e * LINK_STRIDE
    if (links[at + LINK_HASH] === h && dictGetKey(d, e) === key) return e
    e = links[at + LINK_NEXT] as number
  }
  return NO_ENTRY
}

/** Set by dictKeyIndex when the key already exists (C's `existing` out-parameter). */
let keyIndexExisting: DictEntry = NO_ENTRY

/**
 * _dictKeyIndex: expands if needed, then returns the bucket for a new key (in table 1 while
 * rehashing) or -1 if the key exists (then keyIndexExisting holds its entry).
 */
function dictKeyIndex<V>(ctx: ExecContext, d: Dict<V>, key: string, hash: number): number {
  keyIndexExisting = NO_ENTRY
  dictExpandIfNeeded(ctx, d)
  let idx = hash & htMask(d.sizeExp[0])
  let he = chainFind(d, (d.table[0] as DictTable)[idx] as number, key, hash)
  if (he === NO_ENTRY && d.rehashIdx !== -1) {
    idx = hash & htMask(d.sizeExp[1])
    he = chainFind(d, (d.table[1] as DictTable)[idx] as number, key, hash)
  }
  if (he !== NO_ENTRY) {
    keyIndexExisting = he
    return -1
  }
  return idx
}

/**
 * dictAddRaw: adds a new entry for `key` with value `val` at the head of its bucket (table 1
 * while rehashing) and returns it, or returns NO_ENTRY if the key exists (see
 * dictAddOrFindEntry to get the existing one). Performs one rehash step first.
 */
export function dictAddRaw<V>(ctx: ExecContext, d: Dict<V>, key: string, val: V): DictEntry {
  if (d.unlinked !== NO_ENTRY) releaseUnlinked(d)
  if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
  const hash = keyHash(d, key)
  const index = dictKeyIndex(ctx, d, key, hash)
  if (index === -1) return NO_ENTRY
  const t = d.rehashIdx !== -1 ? 1 : 0
  const table = d.table[t] as DictTable
  const entry = entryAlloc(d, key, val, hash, table[index] as number)
  table[index] = entry
  d.used[t]++
  allocStamp.n++
  if (ctx.full) {
    let chainLen = 0
    for (let e = entry; e !== NO_ENTRY; e = dictNextEntry(d, e)) chainLen++
    ctx.emit({
      type: 'dict/keyAdded',
      dict: d.ref,
      key,
      table: t,
      bucket: index,
      chainPos: 0,
      chainLen,
    })
  }
  return entry
}

/** Adds `key` → `val`. Returns false (and changes nothing) if the key already exists. */
export function dictAdd<V>(ctx: ExecContext, d: Dict<V>, key: string, val: V): boolean {
  return dictAddRaw(ctx, d, key, val) !== NO_ENTRY
}

/**
 * Adds `key` → `val` if absent, else overwrites the existing entry's value. Returns true if
 * the key was added, false if an existing value was replaced.
 */
export function dictReplace<V>(ctx: ExecContext, d: Dict<V>, key: string, val: V): boolean {
  if (dictAddRaw(ctx, d, key, val) !== NO_ENTRY) return true
  dictSetVal(d, keyIndexExisting, val)
  return false
}

/**
 * Adds `key` → `val` if absent. Returns true if added, false if the key existed (its value
 * is left unchanged). Use dictAddOrFindEntry to get the entry itself.
 */
export function dictAddOrFind<V>(ctx: ExecContext, d: Dict<V>, key: string, val: V): boolean {
  return dictAddRaw(ctx, d, key, val) !== NO_ENTRY
}

/** dictAddOrFind as in C: returns the existing entry, or a new one holding `val`. */
export function dictAddOrFindEntry<V>(
  ctx: ExecContext,
  d: Dict<V>,
  key: string,
  val: V,
): DictEntry {
  const entry = dictAddRaw(ctx, d, key, val)
  return entry !== NO_ENTRY ? entry : keyIndexExisting
}

/** Returns the entry for `key` or NO_ENTRY, after one rehash step (unless paused). */
export function dictFind<V>(ctx: ExecContext, d: Dict<V>, key: string): DictEntry {
  if (d.used[0] + d.used[1] === 0) {
    if (ctx.full) ctx.emit({ type: 'dict/keyFound', dict: d.ref, key, probes: [], found: false })
    return NO_ENTRY
  }
  if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
  const h = keyHash(d, key)
  let he = chainFind(d, (d.table[0] as DictTable)[h & htMask(d.sizeExp[0])] as number, key, h)
  let t = 0
  if (he === NO_ENTRY && d.rehashIdx !== -1) {
    t = 1
    he = chainFind(d, (d.table[1] as DictTable)[h & htMask(d.sizeExp[1])] as number, key, h)
  }
  if (ctx.full) emitKeyFound(ctx, d, key, h, t, he !== NO_ENTRY)
  return he
}

/**
 * dictFind where Redis only asserts that the key is there (serverAssert(dictFind(...)) in
 * db.c): the same rehash step, and in full traces the same lookup and dict/keyFound event.
 * Otherwise the chain walk, which could only confirm what the caller knows, is skipped; true
 * then. False if a full trace's lookup did not find the key.
 */
export function dictFindAsserted<V>(ctx: ExecContext, d: Dict<V>, key: string): boolean {
  if (ctx.full || d.used[0] + d.used[1] === 0) return dictFind(ctx, d, key) !== NO_ENTRY
  if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
  return true
}

function emitKeyFound<V>(
  ctx: ExecContext,
  d: Dict<V>,
  key: string,
  h: number,
  lastTable: number,
  found: boolean,
): void {
  const probes: { table: 0 | 1; bucket: number }[] = [
    { table: 0, bucket: h & htMask(d.sizeExp[0]) },
  ]
  if (lastTable === 1) probes.push({ table: 1, bucket: h & htMask(d.sizeExp[1]) })
  ctx.emit({ type: 'dict/keyFound', dict: d.ref, key, probes, found })
}

/** Returns the value stored under `key`, or undefined (dictFind semantics). */
export function dictFetchValue<V>(ctx: ExecContext, d: Dict<V>, key: string): V | undefined {
  const he = dictFind(ctx, d, key)
  return he === NO_ENTRY ? undefined : dictGetVal(d, he)
}

/**
 * Unlinks the entry for `key` and returns it (dictUnlink), or returns NO_ENTRY if absent.
 * The caller may read its key and value until the next add or delete on this dict, which
 * frees it (dictFreeUnlinkedEntry). Performs one rehash step first (unless paused). Does not
 * shrink: callers decide (htNeedsResize / dictResize), as Redis does.
 */
export function dictDelete<V>(ctx: ExecContext, d: Dict<V>, key: string): DictEntry {
  if (d.unlinked !== NO_ENTRY) releaseUnlinked(d)
  if (d.used[0] + d.used[1] === 0) return NO_ENTRY
  if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
  const h = keyHash(d, key)
  for (let t: 0 | 1 = 0; t <= 1; t = (t + 1) as 0 | 1) {
    const idx = h & htMask(d.sizeExp[t])
    const table = d.table[t] as DictTable
    let he = table[idx] as number
    let prev = NO_ENTRY
    let pos = 0
    while (he !== NO_ENTRY) {
      if (entryHash(d, he) === h && dictGetKey(d, he) === key) {
        if (prev !== NO_ENTRY) setEntryNext(d, prev, dictNextEntry(d, he))
        else table[idx] = dictNextEntry(d, he)
        d.used[t]--
        allocStamp.n++
        d.unlinked = he
        if (ctx.full) {
          ctx.emit({
            type: 'dict/keyDeleted',
            dict: d.ref,
            key,
            table: t as 0 | 1,
            bucket: idx,
            chainPos: pos,
          })
        }
        return he
      }
      prev = he
      he = dictNextEntry(d, he)
      pos++
    }
    if (d.rehashIdx === -1) break
  }
  return NO_ENTRY
}

/** Removes every entry and both tables (dictEmpty); the dict is as new. */
export function dictEmpty<V>(_ctx: ExecContext, d: Dict<V>): void {
  tablesGeneration++
  allocStamp.n++
  d.table[0] = null
  d.table[1] = null
  d.used[0] = 0
  d.used[1] = 0
  d.sizeExp[0] = -1
  d.sizeExp[1] = -1
  d.rehashIdx = -1
  d.pauseRehash = 0
  d.ents = []
  d.slots = 0
  d.links = EMPTY_LINKS
  d.free = NO_ENTRY
  d.unlinked = NO_ENTRY
}

/**
 * The entry pool of a copy of `d` (snapshot.ts): entries keep their slots, keys, hashes and
 * links; each value goes through `copy`, but the unlinked entry's, which nothing may read.
 */
export function dictPoolCopy<V>(d: Dict<V>, copy: (val: V) => V): Dict<V>['ents'] {
  return d.ents.map((src, c) => {
    const chunk = src.slice()
    for (let at = ENTRY_VAL; at < chunk.length; at += ENTRY_STRIDE) {
      const e = c * ENTS_CHUNK + (at - ENTRY_VAL) / ENTRY_STRIDE
      chunk[at] = e === d.unlinked ? undefined : copy(chunk[at] as V)
    }
    return chunk
  })
}

// --- Iteration ---

/** Returns all entries: table 0 then table 1, bucket order, chain order. No rehash step. */
export function dictEntries<V>(d: Dict<V>): DictEntry[] {
  const out: DictEntry[] = []
  dictForEach(d, (_k, _v, e) => out.push(e))
  return out
}

/**
 * Calls fn with every entry's key, value and entry, in dictEntries order, without
 * allocating. Like Redis's safe iterator, rehashing is paused meanwhile, so fn may look keys
 * up (no rehash step runs) and may delete the entry it was given; entries added during the
 * walk may or may not be seen.
 */
export function dictForEach<V>(d: Dict<V>, fn: (key: string, val: V, e: DictEntry) => void): void {
  d.pauseRehash++
  try {
    for (let t: 0 | 1 = 0; t <= 1; t = (t + 1) as 0 | 1) {
      const table = d.table[t]
      if (table === null) continue
      // dictEmpty inside fn drops the table: the walk stops there.
      for (let i = 0; i < table.length && d.table[t] === table; i++) {
        let e = table[i] as number
        while (e !== NO_ENTRY) {
          const next = dictNextEntry(d, e)
          fn(dictGetKey(d, e), dictGetVal(d, e), e)
          e = d.table[t] === table ? next : NO_ENTRY
        }
      }
    }
  } finally {
    // dictEmpty inside fn resets the counter, as in C; do not go below zero.
    if (d.pauseRehash > 0) d.pauseRehash--
  }
}

// --- Scan ---

/** Reverses the bits of a 32-bit word. */
function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1)
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2)
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4)
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)
  return ((v >>> 16) | (v << 16)) >>> 0
}

/**
 * Increments the cursor in reverse-binary order over the bits of `mask`: set the bits above
 * the mask, reverse, add one, reverse back. Returns 0 after the last bucket.
 */
export function dictScanNextCursor(v: number, mask: number): number {
  v = (v | ~mask) >>> 0
  v = rev32(v)
  v = (v + 1) >>> 0
  return rev32(v)
}
/**
 * Visits the bucket(s) the cursor designates and calls fn on each entry's key and value,
 * then returns the next cursor (0 when the scan is complete). While rehashing, it visits the
 * cursor's bucket of the smaller table and then every bucket of the larger table that
 * expands it. Rehashing is paused during the call. Every element present for a whole scan
 * is returned at least once. Only the cursor's low 32 bits matter (tables never exceed 2^32
 * buckets here).
 */
export function dictScan<V>(
  ctx: ExecContext,
  d: Dict<V>,
  cursor: number,
  fn: (key: string, val: V) => void,
): number {
  if (d.used[0] + d.used[1] === 0) return 0
  const start = cursor
  let v = cursor >>> 0
  const buckets: { table: 0 | 1; bucket: number }[] | null = ctx.tracing ? [] : null
  const keys: string[] | null = ctx.tracing ? [] : null
  d.pauseRehash++
  if (d.rehashIdx === -1) {
    const m0 = htMask(d.sizeExp[0])
    scanBucket(d, d.table[0] as DictTable, v & m0, fn, keys)
    if (buckets !== null) buckets.push({ table: 0, bucket: v & m0 })
    v = dictScanNextCursor(v, m0)
  } else {
    let small: 0 | 1 = 0
    let large: 0 | 1 = 1
    if (htSize(d.sizeExp[0]) > htSize(d.sizeExp[1])) {
      small = 1
      large = 0
    }
    const m0 = htMask(d.sizeExp[small])
    const m1 = htMask(d.sizeExp[large])
    const t0 = d.table[small] as DictTable
    const t1 = d.table[large] as DictTable
    scanBucket(d, t0, v & m0, fn, keys)
    if (buckets !== null) buckets.push({ table: small, bucket: v & m0 })
    do {
      scanBucket(d, t1, v & m1, fn, keys)
      if (buckets !== null) buckets.push({ table: large, bucket: v & m1 })
      v = dictScanNextCursor(v, m1)
    } while ((v & (m0 ^ m1)) !== 0)
  }
  d.pauseRehash--
  if (buckets !== null && keys !== null) {
    const sizes: [number, number] = [d.table[0]?.length ?? 0, d.table[1]?.length ?? 0]
    ctx.emit({ type: 'dict/scanned', dict: d.ref, cursor: start, next: v, buckets, keys, sizes })
  }
  return v
}

function scanBucket<V>(
  d: Dict<V>,
  table: DictTable,
  idx: number,
  fn: (key: string, val: V) => void,
  keys: string[] | null,
): void {
  let de = table[idx] as number
  while (de !== NO_ENTRY) {
    const next = dictNextEntry(d, de)
    const key = dictGetKey(d, de)
    if (keys !== null) keys.push(key)
    fn(key, dictGetVal(d, de))
    de = next
  }
}

// --- Random sampling ---

/**
 * Returns a random entry: random buckets until a non-empty one (both tables as one index
 * space while rehashing, skipping table 0 below rehashIdx), then a uniform pick in its chain.
 * Performs one rehash step first (unless paused). NO_ENTRY if empty.
 */
export function dictGetRandomKey<V>(ctx: ExecContext, d: Dict<V>): DictEntry {
  if (d.used[0] + d.used[1] === 0) return NO_ENTRY
  if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
  let he: DictEntry
  if (d.rehashIdx !== -1) {
    const s0 = htSize(d.sizeExp[0])
    const slots = dictBuckets(d)
    const t0 = d.table[0] as DictTable
    const t1 = d.table[1] as DictTable
    do {
      const h = d.rehashIdx + (rngNextU32(ctx.rng) % (slots - d.rehashIdx))
      he = (h >= s0 ? t1[h - s0] : t0[h]) as number
    } while (he === NO_ENTRY)
  } else {
    const m = htMask(d.sizeExp[0])
    const t0 = d.table[0] as DictTable
    do {
      he = t0[(rngNextU32(ctx.rng) & m) >>> 0] as number
    } while (he === NO_ENTRY)
  }
  let listlen = 0
  for (let e = he; e !== NO_ENTRY; e = dictNextEntry(d, e)) listlen++
  let listele = rngRandom(ctx.rng) % listlen
  while (listele-- > 0) he = dictNextEntry(d, he)
  return he
}

/**
 * Samples up to `count` entries (dictGetSomeKeys): does up to `count` rehash steps, then
 * walks consecutive buckets of both tables from a random index of the larger one, taking
 * whole chains (reservoir sampling past `count`), jumping to a new random index after
 * max(5, count + 1) consecutive empty buckets, and giving up after count·10 steps. As in
 * Redis, fewer than `count` entries may come back, and duplicates are possible (the walk can
 * wrap around or jump back onto buckets it already took).
 */
export function dictGetSomeKeys<V>(ctx: ExecContext, d: Dict<V>, count: number): DictEntry[] {
  const size = d.used[0] + d.used[1]
  if (size < count) count = size
  let maxsteps = count * 10
  const des: DictEntry[] = []
  for (let j = 0; j < count; j++) {
    if (d.rehashIdx !== -1) dictRehashStep(ctx, d)
    else break
  }
  const tables = d.rehashIdx !== -1 ? 2 : 1
  let maxsizemask = htMask(d.sizeExp[0])
  if (tables > 1 && maxsizemask < htMask(d.sizeExp[1])) maxsizemask = htMask(d.sizeExp[1])
  let i = (rngNextU32(ctx.rng) & maxsizemask) >>> 0
  let emptylen = 0
  let stored = 0
  while (stored < count && maxsteps-- > 0) {
    for (let j: 0 | 1 = 0; j < tables; j = (j + 1) as 0 | 1) {
      if (tables === 2 && j === 0 && i < d.rehashIdx) {
        if (i >= htSize(d.sizeExp[1])) i = d.rehashIdx
        else continue
      }
      if (i >= htSize(d.sizeExp[j])) continue
      let he = (d.table[j] as DictTable)[i] as number
      if (he === NO_ENTRY) {
        emptylen++
        if (emptylen >= 5 && emptylen > count) {
          i = (rngNextU32(ctx.rng) & maxsizemask) >>> 0
          emptylen = 0
        }
      } else {
        emptylen = 0
        while (he !== NO_ENTRY) {
          if (stored < count) {
            des[stored] = he
          } else {
            const r = rngNextU32(ctx.rng) % (stored + 1)
            if (r < count) des[r] = he
          }
          he = dictNextEntry(d, he)
          stored++
        }
        if (stored >= count) return des
      }
    }
    i = ((i + 1) & maxsizemask) >>> 0
  }
  return des
}

/**
 * Returns a random entry with a fairer distribution than dictGetRandomKey: samples
 * GETFAIR_NUM_ENTRIES with dictGetSomeKeys and picks one of them (rand() % count); falls
 * back to dictGetRandomKey when the sample comes back empty.
 */
export function dictGetFairRandomKey<V>(ctx: ExecContext, d: Dict<V>): DictEntry {
  const entries = dictGetSomeKeys(ctx, d, GETFAIR_NUM_ENTRIES)
  if (entries.length === 0) return dictGetRandomKey(ctx, d)
  return entries[rngRandom(ctx.rng) % entries.length] ?? NO_ENTRY
}

// --- Validation ---

/** Returns the broken invariants of `d` (empty when healthy). */
export function dictValidate<V>(d: Dict<V>): string[] {
  const errs: string[] = []
  const seen = new Map<string, number>()
  const slots = d.slots
  const fields = d.ents.reduce((n, chunk) => n + chunk.length, 0)
  if (fields !== slots * ENTRY_STRIDE)
    errs.push(`pool: ${fields} entry fields, not ${ENTRY_STRIDE} for each of ${slots} slots`)
  d.ents.forEach((chunk, c) => {
    if (c < d.ents.length - 1 && chunk.length !== ENTS_CHUNK * ENTRY_STRIDE)
      errs.push(`pool: chunk ${c} of ${d.ents.length} holds ${chunk.length} fields, not full`)
  })
  // Entries' keys cannot be read from a pool of the wrong shape.
  if (errs.length !== 0) return errs
  if (d.links.length < slots * LINK_STRIDE)
    errs.push(`pool: links for ${d.links.length / LINK_STRIDE} entries, ${slots} slots`)
  const owner = new Int8Array(slots)
  for (let t: 0 | 1 = 0; t <= 1; t = (t + 1) as 0 | 1) {
    const table = d.table[t]
    const exp = d.sizeExp[t] as number
    if (table === null) {
      if (exp !== -1) errs.push(`table ${t} absent but sizeExp ${exp}`)
      if (d.used[t] !== 0) errs.push(`table ${t} absent but used ${d.used[t]}`)
      continue
    }
    if (exp < DICT_HT_INITIAL_EXP) errs.push(`table ${t} sizeExp ${exp} < ${DICT_HT_INITIAL_EXP}`)
    if (table.length !== 2 ** exp) {
      errs.push(`table ${t} has ${table.length} buckets, sizeExp says ${2 ** exp}`)
    }
    const mask = htMask(exp)
    let count = 0
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i] as number; e !== NO_ENTRY; e = dictNextEntry(d, e)) {
        if (e < 0 || e >= slots) {
          errs.push(`table ${t} bucket ${i}: entry ${e} outside the pool`)
          break
        }
        if (owner[e] !== 0) {
          errs.push(`table ${t} bucket ${i}: entry ${e} linked twice (cycle?)`)
          break
        }
        owner[e] = 1
        count++
        const key = dictGetKey(d, e)
        const h = siphash12Low(d.seed, key)
        if ((h & HASH_BITS) !== entryHash(d, e))
          errs.push(`key ${JSON.stringify(key)}: cached hash is stale`)
        const b = h & mask
        if (b !== i)
          errs.push(`table ${t}: key ${JSON.stringify(key)} in bucket ${i}, hashes to ${b}`)
        const prev = seen.get(key)
        if (prev !== undefined) {
          errs.push(`key ${JSON.stringify(key)} in table ${prev} and table ${t}`)
        } else {
          seen.set(key, t)
        }
        if (t === 0 && d.rehashIdx !== -1 && i < d.rehashIdx) {
          errs.push(`table 0 bucket ${i} below rehashIdx ${d.rehashIdx} is not empty`)
        }
      }
    }
    if (count !== d.used[t]) errs.push(`table ${t} used ${d.used[t]} but holds ${count} entries`)
  }
  // Every slot is in a chain, on the free list, or the one unlinked entry.
  for (let e = d.free, n = 0; e !== NO_ENTRY; e = dictNextEntry(d, e)) {
    if (e < 0 || e >= slots || owner[e] !== 0 || ++n > slots) {
      errs.push(`free list: bad or repeated slot ${e}`)
      break
    }
    owner[e] = 2
  }
  if (d.unlinked !== NO_ENTRY) {
    if (owner[d.unlinked] !== 0) errs.push(`unlinked entry ${d.unlinked} is still in use`)
    else owner[d.unlinked] = 3
  }
  const lost = owner.indexOf(0)
  if (lost !== -1) errs.push(`pool slot ${lost} is neither used nor free`)
  if (d.rehashIdx === -1) {
    if (d.table[1] !== null) errs.push('not rehashing but table 1 exists')
  } else {
    if (d.table[0] === null || d.table[1] === null) errs.push('rehashing without two tables')
    if (d.rehashIdx < 0 || d.rehashIdx >= htSize(d.sizeExp[0])) {
      errs.push(`rehashIdx ${d.rehashIdx} outside table 0 (size ${htSize(d.sizeExp[0])})`)
    }
    if (d.sizeExp[0] === d.sizeExp[1]) errs.push('rehashing between tables of the same size')
  }
  if (d.pauseRehash < 0) errs.push(`pauseRehash ${d.pauseRehash} < 0`)
  return errs
}
