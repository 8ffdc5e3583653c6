/**
 * The stream type — follows redis/src/t_stream.c and stream.h (7.0.15).
 *
 * A stream is a rax (structures/rax.ts) of listpacks. Each rax key is the 128-bit ID of the
 * listpack's *master entry*, written big-endian (ms then seq, 8 bytes each) so byte order is
 * ID order. Each listpack holds, in Redis's exact layout:
 *
 *     master entry:  count | deleted | num-fields | field_1 … field_N | 0
 *     each entry:    flags | ms-diff | seq-diff | [num-fields | field_1] value_1 … | lp-count
 *
 * `count`/`deleted` are the live and tombstoned entries of this listpack; an entry's ID is the
 * master ID plus its two deltas (wrapping like uint64); an entry whose fields equal the master
 * fields sets STREAM_ITEM_FLAG_SAMEFIELDS and stores only values; `lp-count` is the number of
 * listpack elements the entry spans before it, so the listpack can be walked backwards. XDEL
 * and exact trimming never remove bytes: they set STREAM_ITEM_FLAG_DELETED (a tombstone) and
 * bump `deleted`; a listpack whose last live entry goes is removed from the rax whole.
 *
 * A new entry goes into the last listpack unless that one has reached stream-node-max-bytes
 * (counting the new entry's field and value bytes) or stream-node-max-entries (live +
 * deleted); then the old tail is shrunk to fit and a new listpack starts, pre-allocated to
 * min(4096, stream-node-max-bytes) bytes. `alloc` on each node follows what zmalloc holds for
 * that listpack (lpNew's pre-allocation, lpInsert's grow-on-demand and shrink reallocs,
 * lpShrinkToFit), since MEMORY USAGE reads zmalloc_size of the listpacks.
 *
 * IDs are unsigned 64-bit pairs, kept as bigints. New IDs use the live clock, as streamNextID
 * calls mstime().
 *
 * Consumer groups (streamCG) live in a second rax by name, each with a pending entries list
 * (rax of 16-byte IDs → streamNACK) and a rax of consumers, each with its own PEL sharing the
 * NACKs.
 *
 * Events (`stream/*`, behind ctx.tracing): nodeCreated (with the rax node counts before and
 * after, so a split of rax nodes shows, and why the tail was full), entryAppended, entryDeleted
 * (tombstoned), nodeDeleted; commands/stream.ts adds groupChanged (streamTraceGroup: the group's
 * view after XGROUP / XREADGROUP / XACK / XCLAIM) and idsSet (XSETID). The stream's inspect()
 * view is built in inspectStream.ts.
 * The listpack edits themselves are silent (LP_SILENT): they are stream entries, not the
 * elements a listpack panel draws.
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import { EDOM, ERANGE, keepingErrno, libc } from '../util/errno.ts'
import { string2ll, strtoullErange } from '../util/numbers.ts'
import { createObject, type ContainerObject } from './object.ts'
import type { KeyName, StreamGroupCause, StreamGroupView } from '../events.ts'
import { jemallocSizeClass } from '../structures/jemalloc.ts'
import {
  LP_EOF,
  LP_HDR_SIZE,
  LP_SILENT,
  lpAppend,
  lpAppendInteger,
  lpBytes,
  lpFirst,
  lpGet,
  lpGetValue,
  lpLast,
  lpNew,
  lpNext,
  lpPrev,
  lpReplaceInteger,
  lpToBytes,
  lpFromBytes,
  lpValidate,
  lpValidateIntegrity,
  lpValidateNext,
  type Listpack,
} from '../structures/listpack.ts'
import {
  raxEOF,
  raxFind,
  raxForEach,
  raxInsert,
  raxNew,
  raxNext,
  raxNodeCurrentLength,
  raxPrev,
  raxRemove,
  raxSeek,
  raxSize,
  raxStart,
  raxSumNodes,
  raxTryInsert,
  raxValidate,
  type Rax,
  type RaxIterator,
} from '../structures/rax.ts'

// --- Constants ---

export const UINT64_MAX = (1n << 64n) - 1n
export const STREAM_ITEM_FLAG_NONE = 0
export const STREAM_ITEM_FLAG_DELETED = 1
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2
/** Largest listpack a stream node may reach (STREAM_LISTPACK_MAX_SIZE, 1 GiB). */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30
/** Pre-allocation of a new stream listpack (STREAM_LISTPACK_MAX_PRE_ALLOCATE). */
export const STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096
/** streamCG.entries_read when unknown. */
export const SCG_INVALID_ENTRIES_READ = -1n

// --- Types ---

export interface StreamID {
  ms: bigint
  seq: bigint
}

/** One rax value: a listpack and the bytes zmalloc holds for it. */
export interface StreamNode {
  lp: Listpack
  alloc: number
}

export interface StreamNACK {
  deliveryTime: number
  deliveryCount: bigint
  consumer: StreamConsumer | null
}

export interface StreamConsumer {
  seenTime: number
  name: string
  pel: Rax<StreamNACK>
}

export interface StreamCG {
  lastId: StreamID
  entriesRead: bigint
  pel: Rax<StreamNACK>
  consumers: Rax<StreamConsumer>
}

export interface Stream {
  rax: Rax<StreamNode>
  length: number
  lastId: StreamID
  firstId: StreamID
  maxDeletedEntryId: StreamID
  entriesAdded: bigint
  cgroups: Rax<StreamCG> | null
}

export type StreamObject = ContainerObject<'stream', 'stream'>

/** Node sizing from CONFIG (stream-node-max-bytes / -entries). */
export interface StreamNodeLimits {
  maxBytes: number
  maxEntries: number
}

// --- IDs ---

/** object.c createStreamObject. */
export function createStreamObject(srv: ServerState): StreamObject {
  return createObject(srv, 'stream', 'stream', streamNew())
}

/** stream-node-max-bytes / stream-node-max-entries from CONFIG, read at call time. */
export function streamNodeLimits(srv: ServerState): StreamNodeLimits {
  const num = (name: string, dflt: number): number => {
    const v = Number(srv.config.other[name] ?? String(dflt))
    return Number.isFinite(v) ? v : dflt
  }
  return {
    maxBytes: num('stream-node-max-bytes', 4096),
    maxEntries: num('stream-node-max-entries', 100),
  }
}

/** A new stream: empty rax, all IDs 0-0 — streamNew. */
export function streamNew(): Stream {
  return {
    rax: raxNew<StreamNode>(),
    length: 0,
    lastId: { ms: 0n, seq: 0n },
    firstId: { ms: 0n, seq: 0n },
    maxDeletedEntryId: { ms: 0n, seq: 0n },
    entriesAdded: 0n,
    cgroups: null,
  }
}

/** The 16-byte big-endian rax key of an ID — streamEncodeID. */
export function streamEncodeID(id: StreamID): string {
  let s = ''
  for (let b = 56n; b >= 0n; b -= 8n) s += String.fromCharCode(Number((id.ms >> b) & 0xffn))
  for (let b = 56n; b >= 0n; b -= 8n) s += String.fromCharCode(Number((id.seq >> b) & 0xffn))
  return s
}

/** streamDecodeID. */
export function streamDecodeID(buf: string): StreamID {
  let ms = 0n
  let seq = 0n
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(buf.charCodeAt(i))
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(buf.charCodeAt(i))
  return { ms, seq }
}

/** -1, 0 or 1 — streamCompareID. */
export function streamCompareID(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms > b.ms ? 1 : -1
  if (a.seq !== b.seq) return a.seq > b.seq ? 1 : -1
  return 0
}

/** The successor ID; null (and 0-0) past the largest — streamIncrID. */
export function streamIncrID(id: StreamID): StreamID | null {
  if (id.seq === UINT64_MAX) {
    if (id.ms === UINT64_MAX) return null
    return { ms: id.ms + 1n, seq: 0n }
  }
  return { ms: id.ms, seq: id.seq + 1n }
}

/** The predecessor ID; null before 0-0 — streamDecrID. */
export function streamDecrID(id: StreamID): StreamID | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null
    return { ms: id.ms - 1n, seq: UINT64_MAX }
  }
  return { ms: id.ms, seq: id.seq - 1n }
}

/** "ms-seq" — createStreamIDString. */
export function streamIDString(id: StreamID): string {
  return `${id.ms.toString()}-${id.seq.toString()}`
}

export function streamIDEqZero(id: StreamID): boolean {
  return id.ms === 0n && id.seq === 0n
}

/**
 * util.c string2ull: string2ll's strict form (a negative value is refused), else what
 * strtoull(s, &end, 10) accepts when it consumes the whole string: leading whitespace, a
 * '+' or '-' sign ("-1" is refused by the first test, but " -1" wraps to 2^64-1), leading
 * zeros; out of range is refused (ERANGE).
 */
function string2ull(s: string): bigint | null {
  const ll = string2ll(s)
  if (ll !== null) return ll < 0n ? null : ll
  libc.errno = strtoullErange(s) ? ERANGE : 0
  let i = 0
  while (i < s.length && ' \t\n\v\f\r'.includes(s.charAt(i))) i++
  let negative = false
  if (s.charAt(i) === '+' || s.charAt(i) === '-') negative = s.charAt(i++) === '-'
  const digits = s.slice(i)
  if (digits.length === 0 || !/^[0-9]+$/.test(digits)) return null
  const v = BigInt(digits)
  if (v > UINT64_MAX) return null
  return negative ? BigInt.asUintN(64, -v) : v
}

/** The parsed ID and, for XADD's `ms-*`, whether the sequence was given. */
export interface ParsedStreamID {
  id: StreamID
  seqGiven: boolean
}

/**
 * streamGenericParseIDOrReply without the reply: `-` and `+` (unless `strict`), `ms`
 * (sequence `missingSeq`), `ms-seq`, and with `allowSeqStar` the XADD form `ms-*`. Null for an
 * invalid ID ("Invalid stream ID specified as stream command argument"). Like the C code,
 * the string is cut at its first NUL byte.
 */
export function streamParseID(
  arg: string,
  missingSeq: bigint,
  strict: boolean,
  allowSeqStar = false,
): ParsedStreamID | null {
  if (arg.length > 127) return null
  const nul = arg.indexOf('\0')
  const buf = nul >= 0 ? arg.slice(0, nul) : arg
  if (strict && (buf === '-' || buf === '+')) return null
  if (buf === '-') return { id: { ms: 0n, seq: 0n }, seqGiven: true }
  if (buf === '+') return { id: { ms: UINT64_MAX, seq: UINT64_MAX }, seqGiven: true }
  const dot = buf.indexOf('-')
  const ms = string2ull(dot >= 0 ? buf.slice(0, dot) : buf)
  if (ms === null) return null
  if (dot < 0) return { id: { ms, seq: missingSeq }, seqGiven: true }
  const rest = buf.slice(dot + 1)
  if (allowSeqStar && rest === '*') return { id: { ms, seq: 0n }, seqGiven: false }
  const seq = string2ull(rest)
  if (seq === null) return null
  return { id: { ms, seq }, seqGiven: true }
}

// --- Listpack access with zmalloc accounting ---

function lpGetInteger(lp: Listpack, p: number): bigint {
  const v = lpGetValue(lp, p)
  return typeof v === 'bigint' ? v : BigInt(v)
}

function lpGetNumber(lp: Listpack, p: number): number {
  return Number(lpGetInteger(lp, p))
}

/** lpInsert's reallocs: grow when the bytes outgrow the allocation, shrink on any shrink. */
function noteResized(node: StreamNode, oldBytes: number): void {
  const bytes = lpBytes(node.lp)
  if ((bytes > oldBytes && bytes > node.alloc) || bytes < oldBytes)
    node.alloc = jemallocSizeClass(bytes)
}

function nodeAppendInteger(node: StreamNode, v: bigint): void {
  const old = lpBytes(node.lp)
  lpAppendInteger(LP_SILENT, node.lp, v, '')
  noteResized(node, old)
}

function nodeAppend(node: StreamNode, s: string): void {
  const old = lpBytes(node.lp)
  lpAppend(LP_SILENT, node.lp, s, '')
  noteResized(node, old)
}

function nodeReplaceInteger(node: StreamNode, p: number, v: bigint): void {
  const old = lpBytes(node.lp)
  lpReplaceInteger(LP_SILENT, node.lp, p, v, '')
  noteResized(node, old)
}

/** lpShrinkToFit: give back the unused pre-allocation. */
function nodeShrinkToFit(node: StreamNode): void {
  const bytes = lpBytes(node.lp)
  if (bytes < node.alloc) node.alloc = jemallocSizeClass(bytes)
}

/** A node holding a copy of `bytes` in an exact-size allocation (streamDup, RDB load). */
export function streamNodeFromBytes(bytes: Uint8Array): StreamNode {
  return { lp: lpFromBytes(bytes), alloc: jemallocSizeClass(bytes.length) }
}

/** The listpack bytes of a node (RDB save, inspection). */
export function streamNodeBytes(node: StreamNode): Uint8Array {
  return lpToBytes(node.lp)
}

/** ID 'master + delta' with uint64 wrap-around, as the C additions do. */
function addDelta(base: bigint, delta: bigint): bigint {
  return BigInt.asUintN(64, base + delta)
}

/** The first (or last) entry ID of a listpack, tombstones included — lpGetEdgeStreamID. */
function lpGetEdgeStreamID(lp: Listpack, first: boolean, master: StreamID): StreamID | null {
  let p: number | null
  if (first) {
    p = lpNext(lp, lpNext(lp, lpFirst(lp) as number) as number) as number
    const masterFields = lpGetNumber(lp, p)
    p = lpNext(lp, p) as number
    for (let i = 0; i < masterFields; i++) p = lpNext(lp, p) as number
    p = lpNext(lp, p)
    if (p === null) return null
  } else {
    p = lpLast(lp) as number
    let lpCount = lpGetNumber(lp, p)
    if (lpCount === 0) return null
    while (lpCount--) p = lpPrev(lp, p) as number
  }
  p = lpNext(lp, p) as number
  const ms = addDelta(master.ms, lpGetInteger(lp, p))
  p = lpNext(lp, p) as number
  const seq = addDelta(master.seq, lpGetInteger(lp, p))
  return { ms, seq }
}

// --- Append ---

export type AppendResult = StreamID | 'EDOM' | 'ERANGE'

/**
 * Adds an entry — streamAppendItem. `fields` is field, value, field, value …; `useId` an
 * explicit ID (with `seqGiven` false for `ms-*`), else the next ID from the clock. Returns the
 * new ID, 'EDOM' when the ID is not above the last one, 'ERANGE' when the entry is too big,
 * and for `ms-*` past the last sequence of ms whatever errno already holds (Redis returns
 * C_ERR there without setting it; util/errno.ts).
 */
export function streamAppendItem(
  ctx: ExecContext,
  s: Stream,
  fields: readonly string[],
  useId: StreamID | null,
  seqGiven: boolean,
  limits: StreamNodeLimits,
  key: KeyName,
): AppendResult {
  let id: StreamID
  if (useId !== null) {
    if (seqGiven) id = useId
    else if (s.lastId.ms === useId.ms) {
      if (s.lastId.seq === UINT64_MAX) return libc.errno === EDOM ? 'EDOM' : 'ERANGE'
      id = { ms: s.lastId.ms, seq: s.lastId.seq + 1n }
    } else id = useId
  } else {
    id = streamNextID(ctx, s.lastId)
  }
  if (streamCompareID(id, s.lastId) <= 0) {
    libc.errno = EDOM
    return 'EDOM'
  }

  let totelelen = 0
  for (const f of fields) totelelen += f.length
  if (totelelen > STREAM_LISTPACK_MAX_SIZE) {
    libc.errno = ERANGE
    return 'ERANGE'
  }
  const numfields = fields.length / 2

  const ri = raxStart(s.rax)
  raxSeek(ri, '$')
  let node: StreamNode | null = raxEOF(ri) ? null : ri.data
  const tailKey = ri.key
  let reason: 'empty' | 'maxEntries' | 'maxBytes' = 'empty'

  if (node !== null) {
    let nodeMaxBytes = limits.maxBytes
    if (nodeMaxBytes === 0 || nodeMaxBytes > STREAM_LISTPACK_MAX_SIZE)
      nodeMaxBytes = STREAM_LISTPACK_MAX_SIZE
    let newNode = false
    if (lpBytes(node.lp) + totelelen >= nodeMaxBytes) {
      newNode = true
      reason = 'maxBytes'
    } else if (limits.maxEntries) {
      const p = lpFirst(node.lp) as number
      const count = lpGetNumber(node.lp, p) + lpGetNumber(node.lp, lpNext(node.lp, p) as number)
      if (count >= limits.maxEntries) {
        newNode = true
        reason = 'maxEntries'
      }
    }
    if (newNode) {
      // lpShrinkToFit reallocates into a smaller size class: a moved listpack is inserted
      // back under its key (raxInsert of an existing key clears errno, util/errno.ts).
      const alloc = node.alloc
      nodeShrinkToFit(node)
      if (node.alloc !== alloc) libc.errno = 0
      node = null
    }
  }

  let flags = STREAM_ITEM_FLAG_NONE
  let master: StreamID
  let raxKey: string
  // The tail listpack's allocation before the append (-1: a new node).
  const allocBefore = node === null ? -1 : node.alloc
  if (node === null) {
    master = id
    raxKey = streamEncodeID(id)
    let prealloc = STREAM_LISTPACK_MAX_PRE_ALLOCATE
    if (limits.maxBytes > 0 && limits.maxBytes < prealloc) prealloc = limits.maxBytes
    node = { lp: lpNew(prealloc), alloc: jemallocSizeClass(Math.max(prealloc, 7)) }
    nodeAppendInteger(node, 1n)
    nodeAppendInteger(node, 0n)
    nodeAppendInteger(node, BigInt(numfields))
    for (let i = 0; i < numfields; i++) nodeAppend(node, fields[i * 2] as string)
    nodeAppendInteger(node, 0n)
    const before = s.rax.numnodes
    raxInsert(s.rax, raxKey, node)
    if (ctx.tracing)
      ctx.emit({
        type: 'stream/nodeCreated',
        key,
        master: streamIDString(id),
        masterFields: numfields,
        raxNodesBefore: before,
        raxNodesAfter: s.rax.numnodes,
        nodes: raxSize(s.rax),
        reason,
        limit:
          reason === 'maxBytes' ? limits.maxBytes : reason === 'maxEntries' ? limits.maxEntries : 0,
      })
    flags |= STREAM_ITEM_FLAG_SAMEFIELDS
  } else {
    raxKey = tailKey
    master = streamDecodeID(raxKey)
    const lp = node.lp
    const p0 = lpFirst(lp) as number
    nodeReplaceInteger(node, p0, lpGetInteger(lp, p0) + 1n)
    let p = lpNext(lp, lpNext(lp, lpFirst(lp) as number) as number) as number
    const masterFields = lpGetNumber(lp, p)
    p = lpNext(lp, p) as number
    if (numfields === masterFields) {
      let i = 0
      for (; i < masterFields; i++) {
        if (lpGet(lp, p) !== fields[i * 2]) break
        p = lpNext(lp, p) as number
      }
      if (i === masterFields) flags |= STREAM_ITEM_FLAG_SAMEFIELDS
    }
  }

  const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0
  const bytesBefore = lpBytes(node.lp)
  nodeAppendInteger(node, BigInt(flags))
  nodeAppendInteger(node, BigInt.asIntN(64, id.ms - master.ms))
  nodeAppendInteger(node, BigInt.asIntN(64, id.seq - master.seq))
  if (!same) nodeAppendInteger(node, BigInt(numfields))
  for (let i = 0; i < numfields; i++) {
    if (!same) nodeAppend(node, fields[i * 2] as string)
    nodeAppend(node, fields[i * 2 + 1] as string)
  }
  let lpCount = numfields + 3
  if (!same) lpCount += numfields + 1
  nodeAppendInteger(node, BigInt(lpCount))
  // "Insert back into the tree in order to update the listpack pointer": a new node, or a
  // listpack realloc moved into another size class, is a raxInsert of an existing key.
  if (node.alloc !== allocBefore) libc.errno = 0

  s.length++
  s.entriesAdded++
  s.lastId = id
  if (s.length === 1) s.firstId = id
  if (ctx.tracing)
    ctx.emit({
      type: 'stream/entryAppended',
      key,
      id: streamIDString(id),
      master: streamIDString(master),
      sameFields: same,
      entryBytes: lpBytes(node.lp) - bytesBefore,
      nodeBytes: lpBytes(node.lp),
      nodeAlloc: node.alloc,
    })
  return id
}

/** streamNextID: the clock's ms if it moved past the last ID, else last + 1. */
export function streamNextID(ctx: ExecContext, last: StreamID): StreamID {
  const ms = BigInt(Math.floor(ctx.clock.now()))
  if (ms > last.ms) return { ms, seq: 0n }
  return streamIncrID(last) ?? { ms: 0n, seq: 0n }
}

// --- Iterator ---

export interface StreamIterator {
  stream: Stream
  masterId: StreamID
  masterFieldsCount: number
  masterFieldsStart: number
  masterFieldsPtr: number
  entryFlags: number
  rev: boolean
  skipTombstones: boolean
  startKey: string
  endKey: string
  ri: RaxIterator<StreamNode>
  node: StreamNode | null
  lpEle: number | null
  lpFlags: number
}

const MIN_KEY = '\0'.repeat(16)
const MAX_KEY = '\xff'.repeat(16)

/** streamIteratorStart: positions on the listpack that may hold `start` (or `end` reversed). */
export function streamIteratorStart(
  s: Stream,
  start: StreamID | null,
  end: StreamID | null,
  rev: boolean,
): StreamIterator {
  const startKey = start !== null ? streamEncodeID(start) : MIN_KEY
  const endKey = end !== null ? streamEncodeID(end) : MAX_KEY
  const ri = raxStart(s.rax)
  if (!rev) {
    if (start !== null && !streamIDEqZero(start)) {
      raxSeek(ri, '<=', startKey)
      if (raxEOF(ri)) raxSeek(ri, '^')
    } else raxSeek(ri, '^')
  } else if (end !== null && !streamIDEqZero(end)) {
    raxSeek(ri, '<=', endKey)
    if (raxEOF(ri)) raxSeek(ri, '$')
  } else raxSeek(ri, '$')
  return {
    stream: s,
    masterId: { ms: 0n, seq: 0n },
    masterFieldsCount: 0,
    masterFieldsStart: 0,
    masterFieldsPtr: 0,
    entryFlags: 0,
    rev,
    skipTombstones: true,
    startKey,
    endKey,
    ri,
    node: null,
    lpEle: null,
    lpFlags: 0,
  }
}

/** The next entry in range: its ID and field count, or null — streamIteratorGetID. */
export function streamIteratorGetID(
  si: StreamIterator,
): { id: StreamID; numfields: number } | null {
  for (;;) {
    if (si.node === null || si.lpEle === null) {
      if (!si.rev && !raxNext(si.ri)) return null
      if (si.rev && !raxPrev(si.ri)) return null
      si.masterId = streamDecodeID(si.ri.key)
      si.node = si.ri.data as StreamNode
      const lp = si.node.lp
      let p = lpNext(lp, lpNext(lp, lpFirst(lp) as number) as number) as number
      si.masterFieldsCount = lpGetNumber(lp, p)
      p = lpNext(lp, p) as number
      si.masterFieldsStart = p
      if (!si.rev) for (let i = 0; i < si.masterFieldsCount; i++) p = lpNext(lp, p) as number
      else p = lpLast(lp) as number
      si.lpEle = p
    } else if (si.rev) {
      const lp = si.node.lp
      let p = si.lpEle
      let lpCount = lpGetNumber(lp, p)
      while (lpCount--) p = lpPrev(lp, p) as number
      si.lpEle = lpPrev(lp, p)
    }

    const lp = si.node.lp
    for (;;) {
      let p: number
      if (!si.rev) {
        const q = lpNext(lp, si.lpEle as number)
        si.lpEle = q
        if (q === null) break
        p = q
      } else {
        p = si.lpEle as number
        let lpCount = lpGetNumber(lp, p)
        if (lpCount === 0) {
          si.node = null
          si.lpEle = null
          break
        }
        while (lpCount--) p = lpPrev(lp, p) as number
      }
      si.lpFlags = p
      const flags = lpGetNumber(lp, p)
      p = lpNext(lp, p) as number
      const ms = addDelta(si.masterId.ms, lpGetInteger(lp, p))
      p = lpNext(lp, p) as number
      const seq = addDelta(si.masterId.seq, lpGetInteger(lp, p))
      p = lpNext(lp, p) as number
      const id = { ms, seq }
      const buf = streamEncodeID(id)
      let numfields: number
      if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) numfields = si.masterFieldsCount
      else {
        numfields = lpGetNumber(lp, p)
        p = lpNext(lp, p) as number
      }
      si.lpEle = p
      const visible = !si.skipTombstones || !(flags & STREAM_ITEM_FLAG_DELETED)
      if (!si.rev) {
        if (buf >= si.startKey && visible) {
          if (buf > si.endKey) return null
          si.entryFlags = flags
          if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) si.masterFieldsPtr = si.masterFieldsStart
          return { id, numfields }
        }
      } else if (buf <= si.endKey && visible) {
        if (buf < si.startKey) return null
        si.entryFlags = flags
        if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) si.masterFieldsPtr = si.masterFieldsStart
        return { id, numfields }
      }
      if (!si.rev) {
        const discard = flags & STREAM_ITEM_FLAG_SAMEFIELDS ? numfields : numfields * 2
        for (let i = 0; i < discard; i++) p = lpNext(lp, p) as number
        si.lpEle = p
      } else {
        let prevTimes = 4
        if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) prevTimes++
        while (prevTimes--) p = lpPrev(lp, p) as number
        si.lpEle = p
      }
    }
  }
}

/** The current entry's next field and value — streamIteratorGetField. */
export function streamIteratorGetField(si: StreamIterator): [string, string] {
  const lp = (si.node as StreamNode).lp
  let field: string
  if (si.entryFlags & STREAM_ITEM_FLAG_SAMEFIELDS) {
    field = lpGet(lp, si.masterFieldsPtr)
    si.masterFieldsPtr = lpNext(lp, si.masterFieldsPtr) as number
  } else {
    field = lpGet(lp, si.lpEle as number)
    si.lpEle = lpNext(lp, si.lpEle as number)
  }
  const value = lpGet(lp, si.lpEle as number)
  si.lpEle = lpNext(lp, si.lpEle as number)
  return [field, value]
}

/** All fields and values of the current entry, in order. */
export function streamIteratorGetFields(si: StreamIterator, numfields: number): string[] {
  const out: string[] = []
  for (let i = 0; i < numfields; i++) out.push(...streamIteratorGetField(si))
  return out
}

/**
 * Tombstones the current entry (or removes its whole listpack if it was the last live one),
 * then re-seeks past it — streamIteratorRemoveEntry. Returns the iterator to continue with.
 */
export function streamIteratorRemoveEntry(
  ctx: ExecContext,
  si: StreamIterator,
  current: StreamID,
  key: KeyName,
): StreamIterator {
  const node = si.node as StreamNode
  const lp = node.lp
  const flags = lpGetInteger(lp, si.lpFlags) | BigInt(STREAM_ITEM_FLAG_DELETED)
  nodeReplaceInteger(node, si.lpFlags, flags)
  const p = lpFirst(lp) as number
  const aux = lpGetInteger(lp, p)
  if (aux === 1n) raxRemove(si.stream.rax, si.ri.key)
  else {
    nodeReplaceInteger(node, p, aux - 1n)
    const q = lpNext(lp, p) as number
    nodeReplaceInteger(node, q, lpGetInteger(lp, q) + 1n)
  }
  si.stream.length--
  // The tombstone first, then (its last live entry gone) the whole listpack.
  if (ctx.tracing) {
    ctx.emit({ type: 'stream/entryDeleted', key, id: streamIDString(current), trimmed: false })
    if (aux === 1n)
      ctx.emit({
        type: 'stream/nodeDeleted',
        key,
        master: streamIDString(streamDecodeID(si.ri.key)),
        entries: 1,
        raxNodesAfter: si.stream.rax.numnodes,
      })
  }
  const start = si.rev ? streamDecodeID(si.startKey) : current
  const end = si.rev ? current : streamDecodeID(si.endKey)
  const fresh = streamIteratorStart(si.stream, start, end, si.rev)
  fresh.skipTombstones = si.skipTombstones
  return fresh
}

/** Whether `id` is a live entry — streamEntryExists. */
export function streamEntryExists(s: Stream, id: StreamID): boolean {
  return streamIteratorGetID(streamIteratorStart(s, id, id, false)) !== null
}

/** Tombstones `id` if it is a live entry — streamDeleteItem. */
export function streamDeleteItem(ctx: ExecContext, s: Stream, id: StreamID, key: KeyName): boolean {
  const si = streamIteratorStart(s, id, id, false)
  const got = streamIteratorGetID(si)
  if (got === null) return false
  streamIteratorRemoveEntry(ctx, si, got.id, key)
  return true
}

/**
 * The first or last entry ID (tombstones too unless `skipTombstones`); when there is none,
 * UINT64_MAX-UINT64_MAX for first and 0-0 for last — streamGetEdgeID.
 */
export function streamGetEdgeID(s: Stream, first: boolean, skipTombstones: boolean): StreamID {
  const si = streamIteratorStart(s, null, null, !first)
  si.skipTombstones = skipTombstones
  const got = streamIteratorGetID(si)
  if (got !== null) return got.id
  return first ? { ms: UINT64_MAX, seq: UINT64_MAX } : { ms: 0n, seq: 0n }
}

/** The last live ID (0-0 for an empty stream) — streamLastValidID. */
export function streamLastValidID(s: Stream): StreamID {
  return streamIteratorGetID(streamIteratorStart(s, null, null, true))?.id ?? { ms: 0n, seq: 0n }
}

/** Whether [start, end] may contain a tombstone — streamRangeHasTombstones. */
export function streamRangeHasTombstones(
  s: Stream,
  start: StreamID | null,
  end: StreamID | null,
): boolean {
  if (s.length === 0 || streamIDEqZero(s.maxDeletedEntryId)) return false
  if (streamCompareID(s.firstId, s.maxDeletedEntryId) > 0) return false
  const startId = start ?? { ms: 0n, seq: 0n }
  const endId = end ?? { ms: UINT64_MAX, seq: UINT64_MAX }
  return (
    streamCompareID(startId, s.maxDeletedEntryId) <= 0 &&
    streamCompareID(s.maxDeletedEntryId, endId) <= 0
  )
}

// --- Trimming ---

export type TrimStrategy = 'none' | 'maxlen' | 'minid'

export interface StreamTrimArgs {
  strategy: TrimStrategy
  approx: boolean
  /** Most entries to remove; 0 = no limit. */
  limit: bigint
  maxlen: bigint
  minid: StreamID
}

/**
 * Removes entries from the head — streamTrim. Whole listpacks go when all their entries
 * are beyond the threshold; with `approx` that is all that happens, otherwise the entries
 * of the first remaining listpack are tombstoned one by one. Returns the number removed.
 */
export function streamTrim(
  ctx: ExecContext,
  s: Stream,
  args: StreamTrimArgs,
  key: KeyName,
): number {
  if (args.strategy === 'none') return 0
  const ri = raxStart(s.rax)
  raxSeek(ri, '^')
  let deleted = 0
  const maxlen = args.maxlen
  while (raxNext(ri)) {
    if (args.strategy === 'maxlen' && BigInt(s.length) <= maxlen) break
    const node = ri.data as StreamNode
    const lp = node.lp
    let p = lpFirst(lp) as number
    const entries = lpGetNumber(lp, p)
    if (args.limit && BigInt(deleted + entries) > args.limit) break

    let removeNode: boolean
    let master: StreamID = { ms: 0n, seq: 0n }
    if (args.strategy === 'maxlen') removeNode = BigInt(s.length - entries) >= maxlen
    else {
      master = streamDecodeID(ri.key)
      const last = lpGetEdgeStreamID(lp, false, master) as StreamID
      removeNode = streamCompareID(last, args.minid) < 0
    }
    if (removeNode) {
      const removedKey = ri.key
      raxRemove(s.rax, removedKey)
      raxSeek(ri, '>=', removedKey)
      s.length -= entries
      deleted += entries
      if (ctx.tracing)
        ctx.emit({
          type: 'stream/nodeDeleted',
          key,
          master: streamIDString(streamDecodeID(removedKey)),
          entries,
          raxNodesAfter: s.rax.numnodes,
        })
      continue
    }
    if (args.approx) break

    let deletedFromLp = 0
    p = lpNext(lp, p) as number
    p = lpNext(lp, p) as number
    const masterFields = lpGetNumber(lp, p)
    p = lpNext(lp, p) as number
    for (let j = 0; j < masterFields; j++) p = lpNext(lp, p) as number
    let q = lpNext(lp, p)
    while (q !== null) {
      const pcopy = q
      const flags = lpGetNumber(lp, q)
      q = lpNext(lp, q) as number
      const msDelta = lpGetInteger(lp, q)
      q = lpNext(lp, q) as number
      const seqDelta = lpGetInteger(lp, q)
      q = lpNext(lp, q) as number
      const stop =
        args.strategy === 'maxlen'
          ? BigInt(s.length) <= maxlen
          : streamCompareID(
              { ms: addDelta(master.ms, msDelta), seq: addDelta(master.seq, seqDelta) },
              args.minid,
            ) >= 0
      if (stop) break
      let toSkip: number
      if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) toSkip = masterFields
      else {
        toSkip = lpGetNumber(lp, q) * 2
        q = lpNext(lp, q) as number
      }
      while (toSkip--) q = lpNext(lp, q) as number
      q = lpNext(lp, q)
      if (!(flags & STREAM_ITEM_FLAG_DELETED)) {
        // Flags stay one byte (0..3), so the offsets after the entry do not move.
        nodeReplaceInteger(node, pcopy, BigInt(flags | STREAM_ITEM_FLAG_DELETED))
        deletedFromLp++
        s.length--
        if (ctx.tracing) {
          const base = streamDecodeID(ri.key)
          const id = { ms: addDelta(base.ms, msDelta), seq: addDelta(base.seq, seqDelta) }
          ctx.emit({ type: 'stream/entryDeleted', key, id: streamIDString(id), trimmed: true })
        }
      }
    }
    deleted += deletedFromLp
    p = lpFirst(lp) as number
    nodeReplaceInteger(node, p, BigInt(entries - deletedFromLp))
    p = lpNext(lp, p) as number
    nodeReplaceInteger(node, p, lpGetInteger(lp, p) + BigInt(deletedFromLp))
    break
  }
  if (s.length === 0) s.firstId = { ms: 0n, seq: 0n }
  else if (deleted) s.firstId = streamGetEdgeID(s, true, true)
  return deleted
}

// --- Consumer groups ---

/** The group's lag base: entries_read as far as it can be known — streamEstimateDistanceFromFirstEverEntry. */
export function streamEstimateDistanceFromFirstEverEntry(s: Stream, id: StreamID): bigint {
  if (!s.entriesAdded) return 0n
  if (!s.length && streamCompareID(id, s.lastId) < 1) return s.entriesAdded
  const cmpLast = streamCompareID(id, s.lastId)
  if (cmpLast === 0) return s.entriesAdded
  if (cmpLast > 0) return SCG_INVALID_ENTRIES_READ
  const cmpIdFirst = streamCompareID(id, s.firstId)
  const cmpXdelFirst = streamCompareID(s.maxDeletedEntryId, s.firstId)
  if (streamIDEqZero(s.maxDeletedEntryId) || cmpXdelFirst < 0) {
    if (cmpIdFirst < 0) return s.entriesAdded - BigInt(s.length)
    if (cmpIdFirst === 0) return s.entriesAdded - BigInt(s.length) + 1n
  }
  return SCG_INVALID_ENTRIES_READ
}

/** The group's lag, or null when it cannot be known — streamReplyWithCGLag. */
export function streamCGLag(s: Stream, cg: StreamCG): bigint | null {
  if (!s.entriesAdded) return 0n
  if (cg.entriesRead !== SCG_INVALID_ENTRIES_READ && !streamRangeHasTombstones(s, cg.lastId, null))
    return s.entriesAdded - cg.entriesRead
  const read = streamEstimateDistanceFromFirstEverEntry(s, cg.lastId)
  return read !== SCG_INVALID_ENTRIES_READ ? s.entriesAdded - read : null
}

/** A new group, or null when the name is taken — streamCreateCG. */
export function streamCreateCG(
  s: Stream,
  name: string,
  id: StreamID,
  entriesRead: bigint,
): StreamCG | null {
  if (s.cgroups === null) s.cgroups = raxNew<StreamCG>()
  if (raxFind(s.cgroups, name) !== undefined) return null
  const cg: StreamCG = { lastId: id, entriesRead, pel: raxNew(), consumers: raxNew() }
  raxInsert(s.cgroups, name, cg)
  return cg
}

/** streamLookupCG. */
export function streamLookupCG(s: Stream, name: string): StreamCG | null {
  if (s.cgroups === null) return null
  return raxFind(s.cgroups, name) ?? null
}

/** A new NACK delivered now to `consumer` — streamCreateNACK. */
export function streamCreateNACK(now: number, consumer: StreamConsumer | null): StreamNACK {
  return { deliveryTime: now, deliveryCount: 1n, consumer }
}

/** A new consumer, or null when the name is taken — streamCreateConsumer (the caller counts dirty). */
export function streamCreateConsumer(
  cg: StreamCG,
  name: string,
  now: number,
): StreamConsumer | null {
  const consumer: StreamConsumer = { name, seenTime: now, pel: raxNew() }
  return raxTryInsert(cg.consumers, name, consumer) ? consumer : null
}

/** streamLookupConsumer: refreshes seen-time unless `noRefresh`. */
export function streamLookupConsumer(
  cg: StreamCG,
  name: string,
  now: number,
  noRefresh = false,
): StreamConsumer | null {
  const consumer = raxFind(cg.consumers, name)
  if (consumer === undefined || consumer === null) return null
  if (!noRefresh) consumer.seenTime = now
  return consumer
}

/** Removes a consumer and its pending entries from the group PEL — streamDelConsumer. */
export function streamDelConsumer(cg: StreamCG, consumer: StreamConsumer): void {
  const it = raxStart(consumer.pel)
  raxSeek(it, '^')
  while (raxNext(it)) raxRemove(cg.pel, it.key)
  raxRemove(cg.consumers, consumer.name)
}

// --- Copy, size, validation ---

/** A copy with exact-size listpacks and copied groups — streamDup. */
export function streamDup(s: Stream): Stream {
  const copy = streamNew()
  // Keys are inserted in order into fresh trees (rax shapes follow the insertion history).
  for (const { master, node } of streamNodes(s))
    raxInsert(copy.rax, streamEncodeID(master), streamNodeFromBytes(lpToBytes(node.lp)))
  copy.length = s.length
  copy.firstId = { ...s.firstId }
  copy.lastId = { ...s.lastId }
  copy.maxDeletedEntryId = { ...s.maxDeletedEntryId }
  copy.entriesAdded = s.entriesAdded
  if (s.cgroups !== null) {
    const groups = raxNew<StreamCG>()
    const it = raxStart(s.cgroups)
    raxSeek(it, '^')
    while (raxNext(it)) {
      const cg = it.data as StreamCG
      const pel = raxNew<StreamNACK>()
      const ni = raxStart(cg.pel)
      raxSeek(ni, '^')
      while (raxNext(ni)) raxInsert(pel, ni.key, { ...(ni.data as StreamNACK), consumer: null })
      const consumers = raxNew<StreamConsumer>()
      const ci = raxStart(cg.consumers)
      raxSeek(ci, '^')
      while (raxNext(ci)) {
        const c = ci.data as StreamConsumer
        const nc: StreamConsumer = { name: c.name, seenTime: c.seenTime, pel: raxNew() }
        const pi = raxStart(c.pel)
        raxSeek(pi, '^')
        while (raxNext(pi)) {
          const nack = raxFind(pel, pi.key) as StreamNACK
          nack.consumer = nc
          raxInsert(nc.pel, pi.key, nack)
        }
        raxInsert(consumers, ci.key, nc)
      }
      raxInsert(groups, it.key, {
        lastId: { ...cg.lastId },
        entriesRead: cg.entriesRead,
        pel,
        consumers,
      })
    }
    copy.cgroups = groups
  }
  return copy
}

/** Each rax value in key order (tests, inspection, RDB). */
export function streamNodes(s: Stream): { master: StreamID; node: StreamNode }[] {
  const out: { master: StreamID; node: StreamNode }[] = []
  const it = raxStart(s.rax)
  raxSeek(it, '^')
  while (raxNext(it)) out.push({ master: streamDecodeID(it.key), node: it.data as StreamNode })
  return out
}

const SIZEOF_ROBJ = 16
/** sizeof(stream): rax*, length, last_id, first_id, max_deleted_entry_id, entries_added, cgroups. */
const SIZEOF_STREAM = 80
const SIZEOF_RAX = 24
/** sizeof(raxNode): the 32-bit header. */
const SIZEOF_RAX_NODE = 4
const SIZEOF_STREAM_CG = 40
const SIZEOF_STREAM_CONSUMER = 24
const SIZEOF_STREAM_NACK = 24

/**
 * object.c streamRadixTreeMemoryUsage: an estimate (it starts from sizeof(rax) and then
 * overwrites it, as the C code does).
 */
function streamRadixTreeMemoryUsage<V>(rax: Rax<V>): number {
  return rax.numele * 16 + rax.numnodes * SIZEOF_RAX_NODE + rax.numnodes * 8 * 30
}

/** object.c objectComputeSize for a stream: robj + struct + rax estimate + sampled listpacks + groups. */
export function streamComputeSize(s: Stream, samples: number): number {
  let asize = SIZEOF_ROBJ + SIZEOF_STREAM + streamRadixTreeMemoryUsage(s.rax)
  const it = raxStart(s.rax)
  raxSeek(it, '^')
  let lpsize = 0
  let sampled = 0
  while (sampled < samples && raxNext(it)) {
    lpsize += (it.data as StreamNode).alloc
    sampled++
  }
  if (s.rax.numele <= sampled) asize += lpsize
  else {
    if (sampled) lpsize = Math.floor(lpsize / sampled)
    asize += lpsize * (s.rax.numele - 1)
    raxSeek(it, '$')
    raxNext(it)
    asize += (it.data as StreamNode).alloc
  }
  if (s.cgroups !== null) {
    const gi = raxStart(s.cgroups)
    raxSeek(gi, '^')
    while (raxNext(gi)) {
      const cg = gi.data as StreamCG
      asize += SIZEOF_STREAM_CG + streamRadixTreeMemoryUsage(cg.pel)
      asize += SIZEOF_STREAM_NACK * raxSize(cg.pel)
      const ci = raxStart(cg.consumers)
      raxSeek(ci, '^')
      while (raxNext(ci)) {
        const c = ci.data as StreamConsumer
        asize += SIZEOF_STREAM_CONSUMER + c.name.length + streamRadixTreeMemoryUsage(c.pel)
      }
    }
  }
  return asize
}

/**
 * Bytes zmalloc holds for a stream value (INFO used_memory): the structs, each rax node at the
 * size class of its current layout, the listpacks' allocations, groups, consumers and NACKs.
 */
export function streamAllocSize(s: Stream): number {
  return keepingErrno(() => streamAllocSizeOf(s))
}

function streamAllocSizeOf(s: Stream): number {
  const raxBytes = (r: Rax<unknown>): number =>
    jemallocSizeClass(SIZEOF_RAX) +
    raxSumNodes(r, (n) => jemallocSizeClass(raxNodeCurrentLength(n)))
  let bytes = SIZEOF_ROBJ + jemallocSizeClass(SIZEOF_STREAM) + raxBytes(s.rax as Rax<unknown>)
  for (const { node } of streamNodes(s)) bytes += node.alloc
  if (s.cgroups !== null) {
    bytes += raxBytes(s.cgroups as Rax<unknown>)
    const gi = raxStart(s.cgroups)
    raxSeek(gi, '^')
    while (raxNext(gi)) {
      const cg = gi.data as StreamCG
      bytes += jemallocSizeClass(SIZEOF_STREAM_CG) + raxBytes(cg.pel as Rax<unknown>)
      bytes += raxSize(cg.pel) * jemallocSizeClass(SIZEOF_STREAM_NACK)
      bytes += raxBytes(cg.consumers as Rax<unknown>)
      const ci = raxStart(cg.consumers)
      raxSeek(ci, '^')
      while (raxNext(ci)) {
        const c = ci.data as StreamConsumer
        bytes += jemallocSizeClass(SIZEOF_STREAM_CONSUMER) + jemallocSizeClass(c.name.length + 4)
        bytes += raxBytes(c.pel as Rax<unknown>)
      }
    }
  }
  return bytes
}

/**
 * Whether `bytes` are a valid stream node listpack — streamValidateListpackIntegrity. Always
 * the listpack header; with `deep`, every entry (lpValidateNext, walked as it is read) and
 * the stream layout: the master entry (count, deleted, fields, their names, a 0), then, for
 * count + deleted entries, flags, the ID deltas, the fields unless SAMEFIELDS, the values and
 * an lp-count equal to what the entry spans, with nothing after the last one.
 */
export function streamValidateListpackIntegrity(bytes: Uint8Array, deep: boolean): boolean {
  const size = bytes.length
  if (!lpValidateIntegrity(bytes, size, false)) return false
  if (!deep) return true
  const lp = lpFromBytes(bytes)
  // Each step: the entry `p` was validated by the walk that moved `next` past it.
  let p: number | null = bytes[LP_HDR_SIZE] === LP_EOF ? null : LP_HDR_SIZE
  let next: number | null | false = p === null ? false : lpValidateNext(bytes, p, size)
  const step = (): boolean => {
    p = next === false ? null : next
    next = p === null ? false : lpValidateNext(bytes, p, size)
    return next !== false
  }
  // lpGetIntegerIfValid: an integer entry, or a string string2ll accepts.
  const int = (): bigint | null => {
    if (p === null) return null
    const v = lpGetValue(lp, p)
    return typeof v === 'bigint' ? v : string2ll(v)
  }
  if (next === false || p === null) return false
  let entryCount = int()
  if (entryCount === null || !step()) return false
  const deletedCount = int()
  if (deletedCount === null || !step()) return false
  const masterFields = int()
  if (masterFields === null || !step()) return false
  for (let j = 0n; j < masterFields; j++) if (!step()) return false
  if (int() !== 0n || !step()) return false
  entryCount = BigInt.asIntN(64, entryCount + deletedCount)
  while (entryCount-- !== 0n) {
    if (p === null) return false
    let fields = masterFields
    let extraFields = 3n
    const flags = int()
    if (flags === null || !step()) return false
    if (int() === null || !step()) return false
    if (int() === null || !step()) return false
    if ((flags & BigInt(STREAM_ITEM_FLAG_SAMEFIELDS)) === 0n) {
      const own = int()
      if (own === null || !step()) return false
      fields = own
      for (let j = 0n; j < fields; j++) if (!step()) return false
      extraFields += fields + 1n
    }
    for (let j = 0n; j < fields; j++) if (!step()) return false
    if (int() !== BigInt.asIntN(64, fields + extraFields) || !step()) return false
  }
  return next === null
}

/** Self-check: rax, listpacks, master entry counters, entry order, length and IDs. */
export function streamValidate(s: Stream): string[] {
  const errors = raxValidate(s.rax).map((e) => `rax: ${e}`)
  let live = 0
  let prev: StreamID | null = null
  for (const { master, node } of streamNodes(s)) {
    const name = streamIDString(master)
    for (const e of lpValidate(node.lp)) errors.push(`node ${name}: ${e}`)
    if (node.alloc < lpBytes(node.lp)) errors.push(`node ${name}: alloc below its bytes`)
    const lp = node.lp
    const p = lpFirst(lp) as number
    const count = lpGetNumber(lp, p)
    const deleted = lpGetNumber(lp, lpNext(lp, p) as number)
    if (count === 0) errors.push(`node ${name}: no live entries`)
    const si = streamIteratorStart(s, master, null, false)
    si.skipTombstones = false
    let seenLive = 0
    let seenDeleted = 0
    let got = streamIteratorGetID(si)
    // Only the entries of this listpack: stop when the iterator moves on.
    while (got !== null && si.ri.key === streamEncodeID(master)) {
      if (prev !== null && streamCompareID(got.id, prev) <= 0)
        errors.push(`entry ${streamIDString(got.id)} not above ${streamIDString(prev)}`)
      prev = got.id
      if (si.entryFlags & STREAM_ITEM_FLAG_DELETED) seenDeleted++
      else seenLive++
      streamIteratorGetFields(si, got.numfields)
      got = streamIteratorGetID(si)
    }
    if (seenLive !== count || seenDeleted !== deleted)
      errors.push(
        `node ${name}: header ${String(count)}+${String(deleted)}, entries ${String(seenLive)}+${String(seenDeleted)}`,
      )
    live += count
  }
  if (live !== s.length) errors.push(`length ${String(s.length)} but ${String(live)} live entries`)
  if (prev !== null && streamCompareID(prev, s.lastId) > 0) errors.push('an entry is above last_id')
  return errors
}

// --- Inspection ---

/** Pending entries a group view lists (inspect() and stream/groupChanged alike). */
export const STREAM_PEL_SHOWN = 32

/** A consumer group as panels see it: counters, consumers, the first pending entries. */
export function streamGroupView(name: string, cg: StreamCG, pelLimit: number): StreamGroupView {
  const consumerList: { name: string; pending: number }[] = []
  raxForEach(cg.consumers, (cname, c) => {
    consumerList.push({ name: cname, pending: raxSize(c.pel) })
  })
  const pel: { id: string; consumer: string | null; deliveries: string }[] = []
  raxForEach(cg.pel, (id, nack) => {
    if (pel.length >= Math.min(pelLimit, STREAM_PEL_SHOWN)) return false
    pel.push({
      id: streamIDString(streamDecodeID(id)),
      consumer: nack.consumer?.name ?? null,
      deliveries: nack.deliveryCount.toString(),
    })
    return true
  })
  return {
    name,
    lastDeliveredId: streamIDString(cg.lastId),
    entriesRead: cg.entriesRead === SCG_INVALID_ENTRIES_READ ? null : cg.entriesRead.toString(),
    pending: raxSize(cg.pel),
    consumers: raxSize(cg.consumers),
    consumerList,
    pel,
  }
}

/**
 * Reports a consumer group's new state (stream/groupChanged); call it after the change, only
 * when ctx.tracing (the view is built only then).
 */
export function streamTraceGroup(
  ctx: ExecContext,
  key: KeyName,
  s: Stream,
  name: string,
  cause: StreamGroupCause,
  count: number,
): void {
  if (!ctx.tracing) return
  const cg = streamLookupCG(s, name)
  const group = cg === null ? null : streamGroupView(name, cg, STREAM_PEL_SHOWN)
  ctx.emit({ type: 'stream/groupChanged', key, name, cause, count, group })
}
