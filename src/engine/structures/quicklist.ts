/**
 * quicklist — a doubly linked list of listpacks: the only list encoding in Redis 7.0.
 * (← src/quicklist.c and quicklist.h, Redis 7.0.15)
 *
 * Each node holds a listpack (PACKED container) of several elements, or, for an element of
 * at least `packed_threshold` bytes (1 GiB), the raw element alone (PLAIN container). How
 * full a node may get is `fill` (`list-max-listpack-size`):
 *   - negative: a byte limit on the node's listpack, −1..−5 → 4, 8, 16, 32, 64 KiB;
 *   - positive: a maximum element count, with a safety cap of 8 KiB (SIZE_SAFETY_LIMIT).
 * _quicklistNodeAllowInsert estimates the node's size after adding an element of `sz` bytes
 * as `node.sz + sz + 8` (SIZE_ESTIMATE_OVERHEAD); _quicklistNodeAllowMerge estimates a merge
 * as `a.sz + b.sz − 11`. Pushing to a full end node creates a new node; inserting into the
 * middle of a full node splits it (_quicklistSplitNode) and then tries to merge the
 * neighbourhood back (_quicklistMergeNodes), exactly as quicklist.c does.
 *
 * LZF compression (`compress`, `list-compress-depth`): nodes farther than `compress` nodes
 * from both ends are kept LZF-compressed (quicklistLZF), as quicklist.c does it: the same
 * calls at the same places (__quicklistCompress after a node is linked or unlinked,
 * quicklistDecompressNodeForUse + quicklistRecompressOnly around edits of inner nodes,
 * quicklistCompress when an iterator leaves or releases a node), with the `recompress` and
 * `dont_compress` flags and the failure rules (under MIN_COMPRESS_BYTES, or an LZF result
 * not MIN_COMPRESS_IMPROVE bytes smaller: the node stays raw). A compressed node keeps its
 * listpack readable here (Redis frees it): what is observable — which nodes are compressed,
 * their LZF bytes (MEMORY USAGE, DUMP) — is Redis's. `attemptedCompress` is quicklist.c's
 * REDIS_TEST-only flag, kept for panels. Bookmarks are not modelled (only defrag uses them). `packedThreshold` is a per-list field here where Redis has one global
 * (settable with DEBUG QUICKLIST-PACKED-THRESHOLD), so lessons can lower it.
 *
 * Nodes are plain objects with `prev`/`next` references and a stable `id` (per list) that
 * events and panels use. Elements are byte strings.
 *
 * Events (ctx first, key last): quicklist/nodeCreated, quicklist/nodeSplit,
 * quicklist/nodesMerged, quicklist/nodeDeleted, quicklist/nodeCompressed,
 * quicklist/nodeKeptRaw, quicklist/nodeDecompressed; and the listpack/* events of each node's
 * listpack, tagged with the node id. Listpack work inside a split or a merge is reported by
 * the nodeSplit/nodesMerged event alone.
 */
import type { ExecContext } from '../context.ts'
import type { KeyName } from '../events.ts'
import {
  LP_SILENT,
  lpAppend,
  lpBytes,
  lpDelete,
  lpDeleteRange,
  lpDup,
  lpEntries,
  lpGet,
  lpGetRange,
  lpInsertString,
  lpLength,
  lpMerge,
  lpNew,
  lpNext,
  lpPrepend,
  lpPrev,
  lpReplace,
  lpSeek,
  lpToBytes,
  lpValidate,
  type Listpack,
  type LpTracer,
} from './listpack.ts'
import { lzf_compress, lzf_decompress } from './lzf.ts'

// --- Constants ---

/** Node byte limits for fill −1 … −5. */
export const OPTIMIZATION_LEVEL: readonly number[] = [4096, 8192, 16384, 32768, 65536]
/** Byte cap on a node when `fill` is a count. */
export const SIZE_SAFETY_LIMIT = 8192
/** Per-element overhead guess in _quicklistNodeAllowInsert. */
export const SIZE_ESTIMATE_OVERHEAD = 8
/** Elements this large get a PLAIN node of their own. */
export const PACKED_THRESHOLD = 1 << 30
/** fill is a signed 16-bit field: clamp to −5 … 32767. */
export const FILL_MAX = (1 << 15) - 1
/** compress is a 16-bit field. */
export const COMPRESS_MAX = (1 << 16) - 1
/** Nodes smaller than this are never compressed (MIN_COMPRESS_BYTES). */
export const MIN_COMPRESS_BYTES = 48
/** An LZF result must be at least this much smaller than the node, else it stays raw. */
export const MIN_COMPRESS_IMPROVE = 8
/** sizeof(quicklistLZF): the size_t length in front of the compressed bytes. */
export const SIZEOF_QUICKLIST_LZF = 8

// --- Types ---

export interface QuicklistNode {
  /** Stable id within its list, for events and panels. */
  readonly id: number
  prev: QuicklistNode | null
  next: QuicklistNode | null
  container: 'packed' | 'plain'
  /** The node's listpack (packed nodes); an empty listpack for plain nodes. */
  lp: Listpack
  /** The single element of a plain node; '' for packed nodes. */
  plain: string
  /** Bytes: lpBytes(lp) for packed nodes, the element length for plain ones. */
  sz: number
  count: number
  /** QUICKLIST_NODE_ENCODING_RAW or _LZF. */
  encoding: 'raw' | 'lzf'
  /** The LZF bytes of a compressed node (quicklistLZF.compressed); null when raw. */
  lzf: Uint8Array | null
  /** Decompressed for use: the next quicklistCompress recompresses this node only. */
  recompress: boolean
  /** Set around quicklistReplaceEntry's insert so the node is not compressed meanwhile. */
  dontCompress: boolean
  /** A compression was tried since the last decompression (REDIS_TEST-only in Redis). */
  attemptedCompress: boolean
}

export interface Quicklist {
  head: QuicklistNode | null
  tail: QuicklistNode | null
  /** Total elements. */
  count: number
  /** Number of nodes. */
  len: number
  fill: number
  /** list-compress-depth: nodes this far from either end stay raw; inner ones are LZF. */
  compress: number
  packedThreshold: number
  nextNodeId: number
}

export type QuicklistWhere = 'head' | 'tail'
/**
 * Where an iterator starts and so which way it moves: 'head' is AL_START_HEAD (head → tail),
 * 'tail' is AL_START_TAIL (tail → head).
 */
export type QuicklistDirection = 'head' | 'tail'

export interface QuicklistIter {
  readonly ql: Quicklist
  current: QuicklistNode | null
  /** Listpack offset of the current element; null before the first quicklistNext in a node. */
  zi: number | null
  /** Index within the node; negative counts from the node's tail. */
  offset: number
  direction: QuicklistDirection
  /** Where compression events go as the iterator enters and leaves nodes. */
  readonly tracer: LpTracer
  readonly key: KeyName
}

export interface QuicklistEntry {
  readonly node: QuicklistNode
  /** Listpack offset of the element (0 for a plain node). */
  zi: number
  /** Index within the node, as the iterator counted it (may be negative). */
  readonly offset: number
  readonly value: string
}

// --- Creation and options ---

/** Creates an empty quicklist — quicklistNew(fill, compress); defaults are Redis's (−2, 0). */
export function quicklistCreate(fill = -2, compress = 0): Quicklist {
  const ql: Quicklist = {
    head: null,
    tail: null,
    count: 0,
    len: 0,
    fill: -2,
    compress: 0,
    packedThreshold: PACKED_THRESHOLD,
    nextNodeId: 1,
  }
  quicklistSetOptions(ql, fill, compress)
  return ql
}

/** Clamps and sets fill — quicklistSetFill. */
export function quicklistSetFill(ql: Quicklist, fill: number): void {
  ql.fill = fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill
}

/** Clamps and records the compress depth — quicklistSetCompressDepth. */
export function quicklistSetCompressDepth(ql: Quicklist, compress: number): void {
  ql.compress = compress > COMPRESS_MAX ? COMPRESS_MAX : compress < 0 ? 0 : compress
}

/** quicklistSetOptions. */
export function quicklistSetOptions(ql: Quicklist, fill: number, compress: number): void {
  quicklistSetFill(ql, fill)
  quicklistSetCompressDepth(ql, compress)
}

/** Total elements — quicklistCount. */
export function quicklistCount(ql: Quicklist): number {
  return ql.count
}

/** Every element head to tail (snapshots, LRANGE 0 -1 in tests). */
export function quicklistToArray(ql: Quicklist): string[] {
  const out: string[] = []
  for (let n = ql.head; n !== null; n = n.next) {
    if (n.container === 'plain') out.push(n.plain)
    else out.push(...lpEntries(n.lp))
  }
  return out
}

/** The nodes head to tail. */
export function quicklistNodes(ql: Quicklist): QuicklistNode[] {
  const out: QuicklistNode[] = []
  for (let n = ql.head; n !== null; n = n.next) out.push(n)
  return out
}

/**
 * A deep copy with the same options and node ids — quicklistDup (COPY, SORT ... STORE).
 * Each node keeps its encoding (an LZF node is copied compressed) and is linked at the
 * tail with _quicklistInsertNodeAfter, so the usual compression passes run as it grows.
 */
export function quicklistDup(orig: Quicklist): Quicklist {
  const copy: Quicklist = { ...orig, head: null, tail: null, count: 0, len: 0 }
  for (let n = orig.head; n !== null; n = n.next) {
    const node: QuicklistNode = {
      ...n,
      prev: copy.tail,
      next: null,
      lp: lpDup(n.lp),
      recompress: false,
      dontCompress: false,
      attemptedCompress: false,
    }
    const old = copy.tail
    if (old === null) copy.head = node
    else old.next = node
    copy.tail = node
    copy.len++
    copy.count += n.count
    if (old !== null) quicklistCompress(LP_SILENT, copy, old, '')
    quicklistCompress(LP_SILENT, copy, node, '')
  }
  return copy
}

// --- Fill rules ---

/** The byte limit for a negative fill, or null when fill is a count. */
export function quicklistNodeSizeLimit(fill: number): number | null {
  return fill < 0 ? (OPTIMIZATION_LEVEL[-fill - 1] ?? null) : null
}

/** _quicklistNodeSizeMeetsOptimizationRequirement. */
function sizeMeetsOptimizationRequirement(sz: number, fill: number): boolean {
  const limit = quicklistNodeSizeLimit(fill)
  return limit !== null && sz <= limit
}

/**
 * Whether an element of `sz` bytes may go into `node` — _quicklistNodeAllowInsert. Never for
 * a plain node or a large element; otherwise estimate the new size as node.sz + sz + 8 and
 * compare with the byte limit (negative fill), or with 8 KiB and the count (positive fill).
 */
export function quicklistNodeAllowInsert(
  ql: Quicklist,
  node: QuicklistNode | null,
  sz: number,
): boolean {
  if (node === null) return false
  if (node.container === 'plain' || sz >= ql.packedThreshold) return false
  const newSz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD
  if (sizeMeetsOptimizationRequirement(newSz, ql.fill)) return true
  if (newSz > SIZE_SAFETY_LIMIT) return false
  return node.count < ql.fill
}

/**
 * Whether nodes `a` and `b` may become one — _quicklistNodeAllowMerge. The merged size is
 * estimated as a.sz + b.sz − 11 ("one listpack header and trailer"; the real saving is 7,
 * so a merged node can end up to 4 bytes over the limit, as in Redis).
 */
export function quicklistNodeAllowMerge(
  ql: Quicklist,
  a: QuicklistNode | null,
  b: QuicklistNode | null,
): boolean {
  if (a === null || b === null) return false
  if (a.container === 'plain' || b.container === 'plain') return false
  const mergeSz = a.sz + b.sz - 11
  if (sizeMeetsOptimizationRequirement(mergeSz, ql.fill)) return true
  if (mergeSz > SIZE_SAFETY_LIMIT) return false
  return a.count + b.count <= ql.fill
}

// --- Nodes ---

function createNode(ql: Quicklist): QuicklistNode {
  return {
    id: ql.nextNodeId++,
    prev: null,
    next: null,
    container: 'packed',
    lp: lpNew(),
    plain: '',
    sz: 0,
    count: 0,
    encoding: 'raw',
    lzf: null,
    recompress: false,
    dontCompress: false,
    attemptedCompress: false,
  }
}

function createPlainNode(ql: Quicklist, value: string): QuicklistNode {
  const node = createNode(ql)
  node.container = 'plain'
  node.plain = value
  node.sz = value.length
  node.count = 1
  return node
}

function updateSz(node: QuicklistNode): void {
  node.sz = lpBytes(node.lp)
}

// --- Compression ---

/** The node's bytes as Redis stores them raw: its listpack, or a PLAIN node's element. */
export function quicklistNodeRawBytes(node: QuicklistNode): Uint8Array {
  if (node.container === 'packed') return lpToBytes(node.lp)
  const out = new Uint8Array(node.plain.length)
  for (let i = 0; i < out.length; i++) out[i] = node.plain.charCodeAt(i) & 0xff
  return out
}

/** Bytes zmalloc holds for node->entry: the listpack (or element), or quicklistLZF + LZF data. */
export function quicklistNodeEntryBytes(node: QuicklistNode): number {
  return node.lzf === null ? node.sz : SIZEOF_QUICKLIST_LZF + node.lzf.length
}

/**
 * Tries to compress `node` — __quicklistCompressNode. Never a head or tail node (Redis
 * asserts it has both neighbours). Too small (under 48 bytes), incompressible into `sz`
 * bytes, or not 8 bytes smaller: the node stays raw (nodeKeptRaw says why).
 */
function compressNodeNow(t: LpTracer, node: QuicklistNode, key: KeyName): boolean {
  node.attemptedCompress = true
  if (node.dontCompress) return false
  if (node.prev === null || node.next === null) return false
  node.recompress = false
  const sz = node.sz
  if (sz < MIN_COMPRESS_BYTES) {
    if (t.tracing)
      t.emit({
        type: 'quicklist/nodeKeptRaw',
        key,
        node: node.id,
        sz,
        reason: 'tooSmall',
        lzfSz: 0,
      })
    return false
  }
  const lzf = lzf_compress(quicklistNodeRawBytes(node), sz)
  if (lzf === null || lzf.length + MIN_COMPRESS_IMPROVE >= sz) {
    if (t.tracing) {
      t.emit({
        type: 'quicklist/nodeKeptRaw',
        key,
        node: node.id,
        sz,
        reason: lzf === null ? 'incompressible' : 'tooLittleGain',
        lzfSz: lzf?.length ?? 0,
      })
    }
    return false
  }
  node.lzf = lzf
  node.encoding = 'lzf'
  if (t.tracing)
    t.emit({ type: 'quicklist/nodeCompressed', key, node: node.id, sz, lzfSz: lzf.length })
  return true
}

/** quicklistCompressNode: compress a raw node (null-safe). */
function compressNode(t: LpTracer, node: QuicklistNode | null, key: KeyName): void {
  if (node !== null && node.encoding === 'raw') compressNodeNow(t, node, key)
}

/**
 * quicklistDecompressNode (forUse false) / quicklistDecompressNodeForUse (forUse true):
 * decompress an LZF node; "for use" marks it `recompress` so the next quicklistCompress
 * compresses it again without a pass over the list.
 */
function decompressNode(
  t: LpTracer,
  node: QuicklistNode | null,
  key: KeyName,
  forUse: boolean,
): void {
  if (node === null || node.lzf === null) return
  const lzfSz = node.lzf.length
  const raw = lzf_decompress(node.lzf, node.sz)
  if (raw === null) throw new Error(`quicklist: node ${String(node.id)} does not decompress`)
  node.attemptedCompress = false
  node.lzf = null
  node.encoding = 'raw'
  node.recompress = forUse
  if (t.tracing)
    t.emit({ type: 'quicklist/nodeDecompressed', key, node: node.id, sz: node.sz, lzfSz, forUse })
}

/**
 * Makes the list meet its compress depth around `node` — __quicklistCompress: walking in
 * from both ends, decompress the `compress` nodes at each end; stop if the walks meet;
 * compress `node` unless it was within depth, then the first node past the depth on each
 * side. Does nothing while the list has fewer than 2 × depth nodes.
 */
function compressAround(
  t: LpTracer,
  ql: Quicklist,
  node: QuicklistNode | null,
  key: KeyName,
): void {
  if (ql.len === 0 || ql.compress === 0 || ql.len < ql.compress * 2) return
  let forward = ql.head
  let reverse = ql.tail
  let inDepth = false
  for (let depth = 0; depth < ql.compress && forward !== null && reverse !== null; depth++) {
    decompressNode(t, forward, key, false)
    decompressNode(t, reverse, key, false)
    if (forward === node || reverse === node) inDepth = true
    if (forward === reverse || forward.next === reverse) return
    forward = forward.next
    reverse = reverse.prev
  }
  if (!inDepth) compressNode(t, node, key)
  compressNode(t, forward, key)
  compressNode(t, reverse, key)
}

/** quicklistCompress: recompress a node decompressed for use, else a pass around it. */
function quicklistCompress(t: LpTracer, ql: Quicklist, node: QuicklistNode, key: KeyName): void {
  if (node.recompress) compressNode(t, node, key)
  else compressAround(t, ql, node, key)
}

/** quicklistRecompressOnly: recompress a node only if it was decompressed for use. */
function recompressOnly(t: LpTracer, node: QuicklistNode | null, key: KeyName): void {
  if (node?.recompress === true) compressNode(t, node, key)
}

/**
 * What DEBUG QUICKLIST <key> 1 does to the nodes (quicklistRepr with full): it decompresses
 * each one to print it and then only "recompresses" those marked for it — none — so every
 * node is left raw until something compresses it again.
 */
export function quicklistReprFull(t: LpTracer, ql: Quicklist, key: KeyName): void {
  for (let n = ql.head; n !== null; n = n.next) {
    decompressNode(t, n, key, false)
    recompressOnly(t, n, key)
  }
}

/**
 * Links `node` after (or before) `old`, or as the only node — __quicklistInsertNode. Emits
 * `quicklist/nodeCreated` with the count the node starts with.
 */
function insertNode(
  ctx: ExecContext,
  ql: Quicklist,
  old: QuicklistNode | null,
  node: QuicklistNode,
  after: boolean,
  key: KeyName,
): void {
  if (after) {
    node.prev = old
    if (old !== null) {
      node.next = old.next
      if (old.next !== null) old.next.prev = node
      old.next = node
    }
    if (ql.tail === old) ql.tail = node
  } else {
    node.next = old
    if (old !== null) {
      node.prev = old.prev
      if (old.prev !== null) old.prev.next = node
      old.prev = node
    }
    if (ql.head === old) ql.head = node
  }
  if (ql.len === 0) {
    ql.head = node
    ql.tail = node
  }
  ql.len++
  if (ctx.tracing)
    ctx.emit({
      type: 'quicklist/nodeCreated',
      key,
      node: node.id,
      count: node.count,
      prev: node.prev?.id ?? null,
      sz: node.sz,
    })
  if (old !== null) quicklistCompress(ctx, ql, old, key)
  quicklistCompress(ctx, ql, node, key)
}

/** Unlinks and frees a node, removing its elements from the total — __quicklistDelNode. */
function delNode(ctx: ExecContext, ql: Quicklist, node: QuicklistNode, key: KeyName): void {
  if (node.next !== null) node.next.prev = node.prev
  if (node.prev !== null) node.prev.next = node.next
  if (node === ql.tail) ql.tail = node.prev
  if (node === ql.head) ql.head = node.next
  ql.len--
  ql.count -= node.count
  if (ctx.tracing) ctx.emit({ type: 'quicklist/nodeDeleted', key, node: node.id })
  // A node within the compress depth may now be compressed: fix both ends.
  compressAround(ctx, ql, null, key)
}

/** A node created around one element, placed after/before `old` — the PLAIN path. */
function insertPlainNode(
  ctx: ExecContext,
  ql: Quicklist,
  old: QuicklistNode | null,
  value: string,
  after: boolean,
  key: KeyName,
): void {
  insertNode(ctx, ql, old, createPlainNode(ql, value), after, key)
  ql.count++
}

/** Links a node holding `lp` (taken over as is) at the tail — quicklistAppendListpack (RDB load). */
export function quicklistAppendListpack(
  ctx: ExecContext,
  ql: Quicklist,
  lp: Listpack,
  key: KeyName,
): void {
  const node = createNode(ql)
  node.lp = lp
  node.count = lpLength(lp)
  updateSz(node)
  insertNode(ctx, ql, ql.tail, node, true, key)
  ql.count += node.count
}

/** Links a PLAIN node holding `value` at the tail — quicklistAppendPlainNode (RDB load). */
export function quicklistAppendPlainNode(
  ctx: ExecContext,
  ql: Quicklist,
  value: string,
  key: KeyName,
): void {
  insertPlainNode(ctx, ql, ql.tail, value, true, key)
}

// --- Push and pop ---

/**
 * Adds `value` at the head — quicklistPushHead. Uses the head node if it allows the insert,
 * else creates a new head node. Returns true when a new head node was created.
 */
export function quicklistPushHead(
  ctx: ExecContext,
  ql: Quicklist,
  value: string,
  key: KeyName,
): boolean {
  return pushEnd(ctx, ql, value, false, key)
}

/** Adds `value` at the tail — quicklistPushTail. Returns true when a new tail node was created. */
export function quicklistPushTail(
  ctx: ExecContext,
  ql: Quicklist,
  value: string,
  key: KeyName,
): boolean {
  return pushEnd(ctx, ql, value, true, key)
}

/** The body shared by quicklistPushHead (atTail = false) and quicklistPushTail. */
function pushEnd(
  ctx: ExecContext,
  ql: Quicklist,
  value: string,
  atTail: boolean,
  key: KeyName,
): boolean {
  const orig = atTail ? ql.tail : ql.head
  if (value.length >= ql.packedThreshold) {
    insertPlainNode(ctx, ql, orig, value, atTail, key)
    return true
  }
  const add = atTail ? lpAppend : lpPrepend
  if (orig !== null && quicklistNodeAllowInsert(ql, orig, value.length)) {
    add(ctx, orig.lp, value, key, orig.id)
    updateSz(orig)
    orig.count++
  } else {
    const node = createNode(ql)
    add(LP_SILENT, node.lp, value, key, node.id)
    updateSz(node)
    node.count++
    insertNode(ctx, ql, orig, node, atTail, key)
  }
  ql.count++
  return orig !== (atTail ? ql.tail : ql.head)
}

/** quicklistPush: head or tail. */
export function quicklistPush(
  ctx: ExecContext,
  ql: Quicklist,
  value: string,
  where: QuicklistWhere,
  key: KeyName,
): void {
  if (where === 'head') quicklistPushHead(ctx, ql, value, key)
  else quicklistPushTail(ctx, ql, value, key)
}

/** Removes and returns the head or tail element, or null when empty — quicklistPop. */
export function quicklistPop(
  ctx: ExecContext,
  ql: Quicklist,
  where: QuicklistWhere,
  key: KeyName,
): string | null {
  if (ql.count === 0) return null
  const node = where === 'head' ? ql.head : ql.tail
  if (node === null) return null
  if (node.container === 'plain') {
    const value = node.plain
    quicklistDelIndex(ctx, ql, node, 0, key)
    return value
  }
  const p = lpSeek(node.lp, where === 'head' ? 0 : -1)
  if (p === null) return null
  const value = lpGet(node.lp, p)
  quicklistDelIndex(ctx, ql, node, p, key)
  return value
}

// --- Delete ---

/**
 * Deletes the element at listpack offset `p` of `node`; frees the node when it empties —
 * quicklistDelIndex. Returns whether the node is gone and the offset of the element that
 * followed (null at the end of the node).
 */
function quicklistDelIndex(
  ctx: ExecContext,
  ql: Quicklist,
  node: QuicklistNode,
  p: number,
  key: KeyName,
): { gone: boolean; next: number | null } {
  if (node.container === 'plain') {
    delNode(ctx, ql, node, key)
    return { gone: true, next: null }
  }
  const next = lpDelete(ctx, node.lp, p, key, node.id)
  node.count--
  let gone = false
  if (node.count === 0) {
    gone = true
    delNode(ctx, ql, node, key)
  } else {
    updateSz(node)
  }
  ql.count--
  return { gone, next }
}

/**
 * Deletes the element an iterator just returned and fixes the iterator so the next
 * quicklistNext continues correctly — quicklistDelEntry.
 */
export function quicklistDelEntry(
  ctx: ExecContext,
  iter: QuicklistIter,
  entry: QuicklistEntry,
  key: KeyName,
): void {
  const prev = entry.node.prev
  const next = entry.node.next
  const { gone } = quicklistDelIndex(ctx, iter.ql, entry.node, entry.zi, key)
  iter.zi = null
  if (gone) {
    if (iter.direction === 'head') {
      iter.current = next
      iter.offset = 0
    } else {
      iter.current = prev
      iter.offset = -1
    }
  }
}

/**
 * Deletes `count` elements starting at index `start` (negative from the tail), node by node
 * — quicklistDelRange. Whole nodes go at once; partial ones with lpDeleteRange. Returns
 * whether anything was deleted.
 */
export function quicklistDelRange(
  ctx: ExecContext,
  ql: Quicklist,
  start: number,
  count: number,
  key: KeyName,
): boolean {
  if (count <= 0) return false
  let extent = count
  if (start >= 0 && extent > ql.count - start) extent = ql.count - start
  else if (start < 0 && extent > -start) extent = -start
  const iter = quicklistGetIteratorAtIdx(ql, 'tail', start)
  if (iter === null) return false
  let node = iter.current
  let offset = iter.offset
  while (extent > 0 && node !== null) {
    const next: QuicklistNode | null = node.next
    let del: number
    let entire = false
    if (offset === 0 && extent >= node.count) {
      entire = true
      del = node.count
    } else if (offset >= 0 && extent + offset >= node.count) {
      del = node.count - offset
    } else if (offset < 0) {
      del = -offset
      if (del > extent) del = extent
    } else {
      del = extent
    }
    if (entire || node.container === 'plain') {
      delNode(ctx, ql, node, key)
    } else {
      decompressNode(ctx, node, key, true)
      lpDeleteRange(ctx, node.lp, offset, del, key, node.id)
      updateSz(node)
      node.count -= del
      ql.count -= del
      if (node.count === 0) delNode(ctx, ql, node, key)
      else recompressOnly(ctx, node, key)
    }
    extent -= del
    node = next
    offset = 0
  }
  return true
}

// --- Iteration and lookup ---

/**
 * An iterator at the head (direction 'head') or the tail ('tail') — quicklistGetIterator.
 * `tracer` and `key` receive the compression events of the nodes it enters and leaves.
 * Release it with quicklistReleaseIterator unless an insert or replace reset it.
 */
export function quicklistGetIterator(
  ql: Quicklist,
  direction: QuicklistDirection,
  tracer: LpTracer = LP_SILENT,
  key: KeyName = '',
): QuicklistIter {
  return direction === 'head'
    ? { ql, current: ql.head, zi: null, offset: 0, direction, tracer, key }
    : { ql, current: ql.tail, zi: null, offset: -1, direction, tracer, key }
}

/**
 * quicklistReleaseIterator: the node the iterator is on is compressed again
 * (quicklistCompress — a pass over the list if it was not decompressed for use).
 */
export function quicklistReleaseIterator(iter: QuicklistIter | null): void {
  if (iter?.current != null) quicklistCompress(iter.tracer, iter.ql, iter.current, iter.key)
}

/**
 * An iterator positioned at element `idx` (negative from the tail), moving in `direction`,
 * or null when out of range — quicklistGetIteratorAtIdx. The node is found by summing node
 * counts from whichever end is nearer; the in-node offset keeps the sign of `idx`.
 */
export function quicklistGetIteratorAtIdx(
  ql: Quicklist,
  direction: QuicklistDirection,
  idx: number,
  tracer: LpTracer = LP_SILENT,
  key: KeyName = '',
): QuicklistIter | null {
  const forward = idx >= 0
  const index = forward ? idx : -idx - 1
  if (index >= ql.count) return null
  let seekForward = forward
  let seekIndex = index
  if (index > Math.floor((ql.count - 1) / 2)) {
    seekForward = !forward
    seekIndex = ql.count - 1 - index
  }
  let accum = 0
  let n = seekForward ? ql.head : ql.tail
  while (n !== null) {
    if (accum + n.count > seekIndex) break
    accum += n.count
    n = seekForward ? n.next : n.prev
  }
  if (n === null) return null
  if (seekForward !== forward) accum = ql.count - n.count - accum
  const iter = quicklistGetIterator(ql, direction, tracer, key)
  iter.current = n
  iter.offset = forward ? index - accum : -index - 1 + accum
  return iter
}

/**
 * The next element in the iterator's direction, or null at the end — quicklistNext. The
 * returned entry can be passed to quicklistDelEntry, quicklistInsertBefore/After and
 * quicklistReplaceEntry.
 */
export function quicklistNext(iter: QuicklistIter): QuicklistEntry | null {
  for (;;) {
    const node = iter.current
    if (node === null) return null
    const plain = node.container === 'plain'
    if (iter.zi === null) {
      decompressNode(iter.tracer, node, iter.key, true)
      iter.zi = plain ? 0 : lpSeek(node.lp, iter.offset)
    } else if (plain) {
      iter.zi = null
    } else if (iter.direction === 'head') {
      iter.zi = lpNext(node.lp, iter.zi)
      iter.offset++
    } else {
      iter.zi = lpPrev(node.lp, iter.zi)
      iter.offset--
    }
    if (iter.zi !== null) {
      const value = plain ? node.plain : lpGet(node.lp, iter.zi)
      return { node, zi: iter.zi, offset: iter.offset, value }
    }
    quicklistCompress(iter.tracer, iter.ql, node, iter.key)
    if (iter.direction === 'head') {
      iter.current = node.next
      iter.offset = 0
    } else {
      iter.current = node.prev
      iter.offset = -1
    }
    iter.zi = null
  }
}

/**
 * Up to `count` elements from index `idx` (negative from the tail) moving in `direction`:
 * what quicklistGetIteratorAtIdx + quicklistNext × count + quicklistReleaseIterator yield,
 * decoded a listpack run at a time without iterator entries (LRANGE, the list pops with a
 * count, SORT, DEBUG DIGEST). Like the iterator, each node visited is decompressed for use
 * and then compressed again (quicklistCompress), which can compress an inner node that had
 * been left raw.
 */
export function quicklistGetRange(
  ql: Quicklist,
  direction: QuicklistDirection,
  idx: number,
  count: number,
  tracer: LpTracer = LP_SILENT,
  key: KeyName = '',
): string[] {
  const out: string[] = []
  const iter = quicklistGetIteratorAtIdx(ql, direction, idx)
  if (iter === null) return out
  const forward = direction === 'head'
  let node = iter.current
  let offset = iter.offset
  while (node !== null && count > 0) {
    decompressNode(tracer, node, key, true)
    if (node.container === 'plain') {
      out.push(node.plain)
      count--
    } else {
      const p = lpSeek(node.lp, offset)
      if (p !== null) count -= lpGetRange(node.lp, p, count, forward, out)
    }
    // Leaving the node (quicklistNext) or releasing the iterator on it: the same call.
    quicklistCompress(tracer, ql, node, key)
    node = forward ? node.next : node.prev
    offset = forward ? 0 : -1
  }
  return out
}

/**
 * The entry at `idx` (negative from the tail) with an iterator on it, or null —
 * quicklistGetIteratorEntryAtIdx (LINDEX, LSET).
 */
export function quicklistGetIteratorEntryAtIdx(
  ql: Quicklist,
  idx: number,
  tracer: LpTracer = LP_SILENT,
  key: KeyName = '',
): { iter: QuicklistIter; entry: QuicklistEntry } | null {
  const iter = quicklistGetIteratorAtIdx(ql, 'tail', idx, tracer, key)
  if (iter === null) return null
  const entry = quicklistNext(iter)
  return entry === null ? null : { iter, entry }
}

/**
 * The element at `idx` (negative from the tail), or null — LINDEX: the entry's node is
 * decompressed for use, then compressed again as the iterator is released.
 */
export function quicklistIndex(
  ql: Quicklist,
  idx: number,
  tracer: LpTracer = LP_SILENT,
  key: KeyName = '',
): string | null {
  const found = quicklistGetIteratorEntryAtIdx(ql, idx, tracer, key)
  if (found === null) return null
  quicklistReleaseIterator(found.iter)
  return found.entry.value
}

// --- Insert, split, merge ---

/**
 * Splits `node` at `offset` — _quicklistSplitNode. Copies the listpack, then trims both:
 * with after = true the original keeps [0, offset] and the returned new node gets
 * [offset+1, end]; with after = false the new node gets [0, offset−1] and the original
 * keeps [offset, end]. The new node is not linked yet.
 */
function splitNode(
  ctx: ExecContext,
  ql: Quicklist,
  node: QuicklistNode,
  offset: number,
  after: boolean,
  key: KeyName,
): QuicklistNode {
  const fresh = createNode(ql)
  fresh.lp = lpDup(node.lp)
  if (offset < 0) offset = node.count + offset
  const origStart = after ? offset + 1 : 0
  const origExtent = after ? -1 : offset
  const newStart = after ? 0 : offset
  const newExtent = after ? offset + 1 : -1
  // An extent of −1 means "to the end" (lpDeleteRange takes an unsigned count).
  const toEnd = (n: number): number => (n < 0 ? Number.MAX_SAFE_INTEGER : n)
  lpDeleteRange(LP_SILENT, node.lp, origStart, toEnd(origExtent), key)
  node.count = lpLength(node.lp)
  updateSz(node)
  lpDeleteRange(LP_SILENT, fresh.lp, newStart, toEnd(newExtent), key)
  fresh.count = lpLength(fresh.lp)
  updateSz(fresh)
  if (ctx.tracing) {
    ctx.emit({
      type: 'quicklist/nodeSplit',
      key,
      node: node.id,
      offset,
      newNode: fresh.id,
      after,
      sz: node.sz,
    })
  }
  return fresh
}

/**
 * Merges the listpacks of adjacent nodes `a` (left) and `b` — _quicklistListpackMerge. The
 * larger listpack is kept (lpMerge); the other node is deleted. Returns the kept node.
 */
function listpackMerge(
  ctx: ExecContext,
  ql: Quicklist,
  a: QuicklistNode,
  b: QuicklistNode,
  key: KeyName,
): QuicklistNode {
  decompressNode(ctx, a, key, false)
  decompressNode(ctx, b, key, false)
  const kept = lpMerge(a.lp, b.lp) === 'first' ? a : b
  const gone = kept === a ? b : a
  kept.count = lpLength(kept.lp)
  updateSz(kept)
  if (ctx.tracing)
    ctx.emit({ type: 'quicklist/nodesMerged', key, into: kept.id, from: gone.id, sz: kept.sz })
  gone.count = 0
  delNode(ctx, ql, gone, key)
  quicklistCompress(ctx, ql, kept, key)
  return kept
}

/**
 * Tries to merge around `center` — _quicklistMergeNodes: (prev.prev, prev), then
 * (next, next.next), then (prev, center), then (center-or-merged, next).
 */
function mergeNodes(ctx: ExecContext, ql: Quicklist, center: QuicklistNode, key: KeyName): void {
  const prev = center.prev
  const prevPrev = prev?.prev ?? null
  const next = center.next
  const nextNext = next?.next ?? null
  if (prev !== null && prevPrev !== null && quicklistNodeAllowMerge(ql, prev, prevPrev)) {
    listpackMerge(ctx, ql, prevPrev, prev, key)
  }
  if (next !== null && nextNext !== null && quicklistNodeAllowMerge(ql, next, nextNext)) {
    listpackMerge(ctx, ql, next, nextNext, key)
  }
  let target = center
  if (center.prev !== null && quicklistNodeAllowMerge(ql, center, center.prev)) {
    target = listpackMerge(ctx, ql, center.prev, center, key)
  }
  if (target.next !== null && quicklistNodeAllowMerge(ql, target, target.next)) {
    listpackMerge(ctx, ql, target, target.next, key)
  }
}

/**
 * Inserts `value` before or after `entry` — _quicklistInsert. In order: into the entry's node
 * if it has room; at a node edge, into the neighbour if it has room; at an edge with a full
 * neighbour, into a new node; otherwise split the node at the entry, put the value at the
 * split edge of the new half, and try merging around the original node.
 */
function quicklistInsert(
  ctx: ExecContext,
  ql: Quicklist,
  entry: QuicklistEntry | null,
  value: string,
  after: boolean,
  key: KeyName,
): void {
  const sz = value.length
  const node = entry?.node ?? null
  if (entry === null || node === null) {
    if (sz >= ql.packedThreshold) {
      insertPlainNode(ctx, ql, ql.tail, value, after, key)
      return
    }
    const fresh = createNode(ql)
    lpPrepend(LP_SILENT, fresh.lp, value, key, fresh.id)
    fresh.count++
    updateSz(fresh)
    insertNode(ctx, ql, null, fresh, after, key)
    ql.count++
    return
  }

  const full = !quicklistNodeAllowInsert(ql, node, sz)
  let atTail = false
  let atHead = false
  let availNext = false
  let availPrev = false
  if (after && (entry.offset === node.count - 1 || entry.offset === -1)) {
    atTail = true
    availNext = quicklistNodeAllowInsert(ql, node.next, sz)
  }
  if (!after && (entry.offset === 0 || entry.offset === -node.count)) {
    atHead = true
    availPrev = quicklistNodeAllowInsert(ql, node.prev, sz)
  }

  if (sz >= ql.packedThreshold) {
    if (node.container === 'plain' || (atTail && after) || (atHead && !after)) {
      insertPlainNode(ctx, ql, node, value, after, key)
    } else {
      decompressNode(ctx, node, key, true)
      const fresh = splitNode(ctx, ql, node, entry.offset, after, key)
      const plainNode = createPlainNode(ql, value)
      insertNode(ctx, ql, node, plainNode, after, key)
      insertNode(ctx, ql, plainNode, fresh, after, key)
      ql.count++
    }
    return
  }

  if (!full) {
    decompressNode(ctx, node, key, true)
    lpInsertString(ctx, node.lp, value, entry.zi, after ? 'after' : 'before', key, node.id)
    node.count++
    updateSz(node)
    recompressOnly(ctx, node, key)
  } else if (atTail && availNext && after) {
    const next = node.next
    if (next === null) throw new Error('quicklist: next node vanished')
    decompressNode(ctx, next, key, true)
    lpPrepend(ctx, next.lp, value, key, next.id)
    next.count++
    updateSz(next)
    recompressOnly(ctx, next, key)
    recompressOnly(ctx, node, key)
  } else if (atHead && availPrev && !after) {
    const prev = node.prev
    if (prev === null) throw new Error('quicklist: prev node vanished')
    decompressNode(ctx, prev, key, true)
    lpAppend(ctx, prev.lp, value, key, prev.id)
    prev.count++
    updateSz(prev)
    recompressOnly(ctx, prev, key)
    recompressOnly(ctx, node, key)
  } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
    const fresh = createNode(ql)
    lpPrepend(LP_SILENT, fresh.lp, value, key, fresh.id)
    fresh.count++
    updateSz(fresh)
    insertNode(ctx, ql, node, fresh, after, key)
  } else {
    decompressNode(ctx, node, key, true)
    const fresh = splitNode(ctx, ql, node, entry.offset, after, key)
    if (after) lpPrepend(LP_SILENT, fresh.lp, value, key, fresh.id)
    else lpAppend(LP_SILENT, fresh.lp, value, key, fresh.id)
    fresh.count++
    updateSz(fresh)
    insertNode(ctx, ql, node, fresh, after, key)
    mergeNodes(ctx, ql, node, key)
  }
  ql.count++
}

/** Inserts `value` before `entry` — quicklistInsertBefore. Iterators are invalid afterwards. */
export function quicklistInsertBefore(
  ctx: ExecContext,
  ql: Quicklist,
  entry: QuicklistEntry,
  value: string,
  key: KeyName,
): void {
  quicklistInsert(ctx, ql, entry, value, false, key)
}

/** Inserts `value` after `entry` — quicklistInsertAfter. Iterators are invalid afterwards. */
export function quicklistInsertAfter(
  ctx: ExecContext,
  ql: Quicklist,
  entry: QuicklistEntry,
  value: string,
  key: KeyName,
): void {
  quicklistInsert(ctx, ql, entry, value, true, key)
}

/**
 * Inserts `value` before or after the element at `index` (negative from the tail); false when
 * out of range. A convenience over quicklistGetIteratorEntryAtIdx + quicklistInsertBefore/After
 * (LINSERT finds its pivot by value with an iterator instead).
 */
export function quicklistInsertAtIdx(
  ctx: ExecContext,
  ql: Quicklist,
  index: number,
  value: string,
  after: boolean,
  key: KeyName,
): boolean {
  const found = quicklistGetIteratorEntryAtIdx(ql, index, ctx, key)
  if (found === null) return false
  quicklistInsert(ctx, ql, found.entry, value, after, key)
  return true // the insert reset the iterator (resetIterator): nothing to release
}

/**
 * Deletes the element at `index` (negative from the tail); false when out of range. A
 * convenience over quicklistGetIteratorEntryAtIdx + quicklistDelEntry.
 */
export function quicklistDelEntryAtIdx(
  ctx: ExecContext,
  ql: Quicklist,
  index: number,
  key: KeyName,
): boolean {
  const found = quicklistGetIteratorEntryAtIdx(ql, index, ctx, key)
  if (found === null) return false
  quicklistDelEntry(ctx, found.iter, found.entry, key)
  quicklistReleaseIterator(found.iter)
  return true
}

/**
 * Replaces the element of `entry` with `value` — quicklistReplaceEntry. A packed node takes
 * an ordinary value in place with lpReplace (no fill check, as in Redis); the PLAIN cases
 * insert the new value after the entry and then delete the old one.
 */
export function quicklistReplaceEntry(
  ctx: ExecContext,
  ql: Quicklist,
  entry: QuicklistEntry,
  value: string,
  key: KeyName,
): void {
  const node = entry.node
  const large = value.length >= ql.packedThreshold
  if (node.container === 'packed' && !large) {
    lpReplace(ctx, node.lp, entry.zi, value, key, node.id)
    updateSz(node)
    // The entry's node was decompressed for use by quicklistNext.
    quicklistCompress(ctx, ql, node, key)
  } else if (node.container === 'plain') {
    if (large) {
      node.plain = value
      node.sz = value.length
      quicklistCompress(ctx, ql, node, key)
    } else {
      quicklistInsertAfter(ctx, ql, entry, value, key)
      delNode(ctx, ql, node, key)
    }
  } else {
    node.dontCompress = true // not compressed by the insert below
    quicklistInsertAfter(ctx, ql, entry, value, key)
    if (node.count === 1) {
      delNode(ctx, ql, node, key)
    } else {
      const p = lpSeek(node.lp, -1)
      if (p !== null) quicklistDelIndex(ctx, ql, node, p, key)
      node.dontCompress = false
      quicklistCompress(ctx, ql, node, key)
      if (node.next !== null) quicklistCompress(ctx, ql, node.next, key)
    }
  }
}

/**
 * Replaces the element at `index` (negative from the tail); false when out of range —
 * quicklistReplaceAtIndex (LSET).
 */
export function quicklistReplaceAtIndex(
  ctx: ExecContext,
  ql: Quicklist,
  index: number,
  value: string,
  key: KeyName,
): boolean {
  const found = quicklistGetIteratorEntryAtIdx(ql, index, ctx, key)
  if (found === null) return false
  quicklistReplaceEntry(ctx, ql, found.entry, value, key)
  return true // the replace reset the iterator: nothing to release
}

// --- Validation ---

/**
 * Broken invariants: links (head/tail, prev/next) agree; `len` and `count` match the nodes;
 * each packed node's listpack validates and its `count`/`sz` match it; plain nodes hold one
 * element, no node is empty.
 *
 * Fill rules are opt-in because Redis itself only guarantees some of them:
 * - `fillCount`: with a positive fill, no node holds more than `fill` elements. Every insert
 *   path (push, insert, split, merge) keeps this.
 * - `fillBytes`: a node with more than one element is within its byte limit (negative fill)
 *   or 8 KiB (positive fill), plus 4 bytes of slack from the merge estimate. Pushes, pops and
 *   deletes keep this; a split puts the new element into the split-off half without checking
 *   its size, and LSET (lpReplace) never checks, so after those Redis can exceed it too.
 * Always: a head or tail node is never LZF, and an LZF node decompresses to its bytes.
 * - `compress`: quicklist.c's _ql_verify_compress — nodes within the depth of an end are raw,
 *   the others LZF or left raw by a failed attempt; no node is left marked `recompress`.
 *   Commands keep this; DEBUG QUICKLIST <key> 1 does not (it leaves every node raw).
 */
export function quicklistValidate(
  ql: Quicklist,
  opts: { fillCount?: boolean; fillBytes?: boolean; compress?: boolean } = {},
): string[] {
  const errors: string[] = []
  let prev: QuicklistNode | null = null
  let len = 0
  let count = 0
  const limit = quicklistNodeSizeLimit(ql.fill)
  for (let n = ql.head; n !== null; n = n.next) {
    const at = `node ${String(n.id)}`
    if (n.prev !== prev) errors.push(`${at}: prev link is wrong`)
    len++
    count += n.count
    if (n.count <= 0) errors.push(`${at}: empty node left in the list`)
    if (n.container === 'plain') {
      if (n.count !== 1) errors.push(`${at}: plain node with count ${String(n.count)}`)
      if (n.sz !== n.plain.length) errors.push(`${at}: plain sz mismatch`)
    } else {
      for (const e of lpValidate(n.lp)) errors.push(`${at}: ${e}`)
      if (lpLength(n.lp) !== n.count) {
        errors.push(`${at}: count ${String(n.count)} but listpack has ${String(lpLength(n.lp))}`)
      }
      if (lpBytes(n.lp) !== n.sz)
        errors.push(`${at}: sz ${String(n.sz)} != ${String(lpBytes(n.lp))}`)
      if (opts.fillCount === true && ql.fill > 0 && n.count > Math.max(ql.fill, 1)) {
        errors.push(`${at}: ${String(n.count)} elements, fill is ${String(ql.fill)}`)
      }
      const cap = (limit ?? SIZE_SAFETY_LIMIT) + 4
      if (opts.fillBytes === true && n.count > 1 && n.sz > cap) {
        errors.push(`${at}: ${String(n.sz)} bytes, over ${String(cap)}`)
      }
    }
    for (const e of validateCompression(ql, n, len - 1, opts.compress === true)) {
      errors.push(`${at}: ${e}`)
    }
    prev = n
    if (len > ql.len + 1) break
  }
  if (ql.tail !== prev) errors.push('tail is not the last node')
  if (len !== ql.len) errors.push(`len ${String(ql.len)} but ${String(len)} nodes`)
  if (count !== ql.count) errors.push(`count ${String(ql.count)} but nodes hold ${String(count)}`)
  return errors
}

/** The compression checks of quicklistValidate for the node at index `at`. */
function validateCompression(
  ql: Quicklist,
  n: QuicklistNode,
  at: number,
  depthRules: boolean,
): string[] {
  const errors: string[] = []
  if ((n.encoding === 'lzf') !== (n.lzf !== null)) errors.push('encoding and LZF data disagree')
  if (n.lzf !== null) {
    if (n === ql.head || n === ql.tail) errors.push('head or tail node is compressed')
    const raw = lzf_decompress(n.lzf, n.sz)
    const want = quicklistNodeRawBytes(n)
    if (raw === null || raw.some((b, i) => b !== want[i])) errors.push('LZF data is not its bytes')
  }
  if (!depthRules || ql.compress === 0) return errors
  if (n.recompress) errors.push('left marked recompress')
  const within = at < ql.compress || at >= ql.len - ql.compress
  if (within && n.lzf !== null) errors.push(`compressed within depth ${String(ql.compress)}`)
  if (!within && n.lzf === null && !n.attemptedCompress) errors.push('raw, never tried')
  return errors
}
