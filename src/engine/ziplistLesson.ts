/**
 * The legacy ziplist lesson: one insert or delete applied to a ziplist (structures/ziplist.ts,
 * the list format of Redis 3.2–6.2) and to a listpack (structures/listpack.ts, its 7.0
 * replacement) holding the same elements, so a learner can watch the cascade update happen in
 * one and not in the other.
 *
 * No Redis 7.0 command creates a ziplist, so this is not a command: the worker calls
 * runZiplistLesson with the lesson's current bytes and an operation, and gets both structures'
 * layouts before and after, plus the `ziplist/cascadeUpdated` event the insert or delete
 * emitted. The state travels with each request (the bytes), so the function is pure: the
 * same request gives the same result, and the engine keeps nothing between calls. The bytes
 * matter, not just the elements: ziplist prevlen fields never shrink, so a ziplist rebuilt
 * from its elements could differ from the one the learner's operations left.
 *
 * The starting chain is the textbook one: five entries of 250–253 bytes (their prevlen fits
 * in 1 byte because each previous entry is below 254), then two short entries, so the
 * cascade visibly stops: after a 254+ byte entry is inserted at the head, each long entry's
 * prevlen grows to 5 bytes, which makes that entry 254+ bytes in turn; the first short entry's
 * prevlen grows too, but the short entry stays small, so the second one is left alone.
 */
import { manualClock } from './clock.ts'
import { createExecContext } from './context.ts'
import type { StepEvent } from './events.ts'
import { rngCreate } from './rng.ts'
import {
  lpBytes,
  lpDelete,
  lpFromBytes,
  lpInsertString,
  lpLength,
  lpNew,
  lpSeek,
  lpValidate,
  lpWalk,
  lpAppend,
  LP_HDR_SIZE,
  LP_SILENT,
  type Listpack,
} from './structures/listpack.ts'
import {
  ziplistBlobLen,
  ziplistDelete,
  ziplistIndex,
  ziplistInsert,
  ziplistLen,
  ziplistNew,
  ziplistPush,
  ziplistValidate,
  ziplistWalk,
  ziplistGet,
  ZIPLIST_HEADER_SIZE,
  type Ziplist,
} from './structures/ziplist.ts'

// --- Types ---

/** An operation of the lesson. `chain` starts over from the textbook chain. */
export type ZiplistLessonOp =
  | { readonly kind: 'chain' }
  /** Inserts a string of `length` bytes before entry `index` (index = count: at the end). */
  | { readonly kind: 'insert'; readonly index: number; readonly length: number }
  | { readonly kind: 'delete'; readonly index: number }

export interface ZiplistLessonRequest {
  readonly op: ZiplistLessonOp
  /** The lesson's ziplist and listpack bytes before the op (ignored by `chain`). */
  readonly ziplist: Uint8Array | null
  readonly listpack: Uint8Array | null
}

/** One ziplist entry as the lesson draws it: <prevlen> <encoding> <data>. */
export interface ZiplistLessonEntry {
  readonly offset: number
  /** 1, or 5 (0xFE then a 4-byte length) once the previous entry reached 254 bytes. */
  readonly prevlenSize: number
  /** The previous entry's length as this entry records it. */
  readonly prevlen: number
  readonly encodingSize: number
  readonly dataLen: number
  /** prevlenSize + encodingSize + dataLen. */
  readonly size: number
  /** The element (a byte string). */
  readonly value: string
}

export interface ZiplistLessonZiplist {
  readonly bytes: Uint8Array
  /** zlbytes (4) + zltail (4) + zllen (2) = 10. */
  readonly headerSize: number
  readonly zlbytes: number
  readonly zltail: number
  readonly zllen: number
  readonly entries: readonly ZiplistLessonEntry[]
}

/** One listpack entry: <encoding + data> <backlen>, the entry's own length. */
export interface ZiplistLessonLpEntry {
  readonly offset: number
  readonly encodingSize: number
  readonly dataLen: number
  readonly backlenSize: number
  readonly size: number
  readonly value: string
}

export interface ZiplistLessonListpack {
  readonly bytes: Uint8Array
  /** total-bytes (4) + num-elements (2) = 6. */
  readonly headerSize: number
  readonly totalBytes: number
  readonly count: number
  readonly entries: readonly ZiplistLessonLpEntry[]
}

export interface ZiplistLessonState {
  readonly ziplist: ZiplistLessonZiplist
  readonly listpack: ZiplistLessonListpack
}

export interface ZiplistLessonResult {
  readonly op: ZiplistLessonOp
  readonly before: ZiplistLessonState
  readonly after: ZiplistLessonState
  /**
   * Ziplist entries whose prevlen grew from 1 to 5 bytes, in order (after-indices and
   * offsets), from the `ziplist/cascadeUpdated` event; empty when there was none.
   */
  readonly cascade: readonly { readonly index: number; readonly offset: number }[]
  /** Every event the two operations emitted, in order (ziplist first). */
  readonly events: readonly StepEvent[]
}

// --- Constants ---

/** Data lengths of the chain's long entries: 1 + 2 + n = 250, 251, 252, 253, 250 bytes. */
export const ZIPLIST_LESSON_CHAIN = [247, 248, 249, 250, 247] as const
/** The short entries after the chain, where the cascade stops. */
export const ZIPLIST_LESSON_TAIL = ['short', 'tiny'] as const
/** The lesson keeps at most this many entries (a panel, not a dataset). */
export const ZIPLIST_LESSON_MAX_ENTRIES = 12
/** Longest element the lesson inserts. */
export const ZIPLIST_LESSON_MAX_LENGTH = 1000

const KEY = 'ziplist-lesson'

// --- API ---

/**
 * Applies `req.op` to the lesson's ziplist and listpack; throws on a malformed request
 * (an index out of range, a length outside 1..1000, bytes that do not validate).
 */
export function runZiplistLesson(req: ZiplistLessonRequest): ZiplistLessonResult {
  const ctx = createExecContext(rngCreate(0), manualClock(), 'full')
  const { zl, lp } = req.op.kind === 'chain' ? chain() : load(req)
  const before = stateOf(zl, lp)
  const op = req.op
  const n = ziplistLen(zl)
  if (op.kind === 'insert') {
    if (!Number.isInteger(op.index) || op.index < 0 || op.index > n)
      throw new Error(`insert index ${String(op.index)} outside 0..${String(n)}`)
    if (!Number.isInteger(op.length) || op.length < 1 || op.length > ZIPLIST_LESSON_MAX_LENGTH)
      throw new Error(`length ${String(op.length)} outside 1..${String(ZIPLIST_LESSON_MAX_LENGTH)}`)
    if (n >= ZIPLIST_LESSON_MAX_ENTRIES)
      throw new Error(`the lesson holds at most ${String(ZIPLIST_LESSON_MAX_ENTRIES)} entries`)
    const value = insertedValue(zl, op.length)
    const p = ziplistIndex(zl, op.index) ?? ziplistBlobLen(zl) - 1
    ziplistInsert(ctx, zl, p, value, KEY)
    const q = lpSeek(lp, op.index) ?? lpBytes(lp) - 1
    lpInsertString(ctx, lp, value, q, 'before', KEY)
  } else if (op.kind === 'delete') {
    if (!Number.isInteger(op.index) || op.index < 0 || op.index >= n)
      throw new Error(`delete index ${String(op.index)} outside 0..${String(n - 1)}`)
    const p = ziplistIndex(zl, op.index)
    const q = lpSeek(lp, op.index)
    if (p === null || q === null) throw new Error('entry not found')
    ziplistDelete(ctx, zl, p, KEY)
    lpDelete(ctx, lp, q, KEY)
  }
  const cascade = ctx.events.flatMap((e) => (e.type === 'ziplist/cascadeUpdated' ? e.entries : []))
  return { op, before, after: stateOf(zl, lp), cascade, events: [...ctx.events] }
}

// --- Helpers ---

/** The textbook chain, in both structures. */
function chain(): { zl: Ziplist; lp: Listpack } {
  const zl = ziplistNew()
  const lp = lpNew()
  const values = [
    ...ZIPLIST_LESSON_CHAIN.map((len, i) => String.fromCharCode(97 + i).repeat(len)),
    ...ZIPLIST_LESSON_TAIL,
  ]
  const silent = createExecContext(rngCreate(0), manualClock(), 'off')
  for (const v of values) {
    ziplistPush(silent, zl, v, 'tail', KEY)
    lpAppend(LP_SILENT, lp, v, KEY)
  }
  return { zl, lp }
}

/** The request's bytes as structures, checked. */
function load(req: ZiplistLessonRequest): { zl: Ziplist; lp: Listpack } {
  if (req.ziplist === null || req.listpack === null) throw new Error('no lesson state')
  const zl: Ziplist = { buf: req.ziplist.slice() }
  const lp = lpFromBytes(req.listpack)
  const errors = [...ziplistValidate(zl), ...lpValidate(lp)]
  if (errors.length > 0) throw new Error(`invalid lesson state: ${errors.join('; ')}`)
  if (ziplistLen(zl) !== lpLength(lp)) throw new Error('ziplist and listpack differ')
  return { zl, lp }
}

/**
 * The element an insert adds: `length` copies of the next capital letter (A for the first
 * inserted entry, B for the second ...), so each inserted entry is told apart.
 */
function insertedValue(zl: Ziplist, length: number): string {
  let inserted = 0
  for (const e of ziplistWalk(zl)) {
    const c = ziplistGet(zl, e.offset).charCodeAt(0)
    if (c >= 65 && c <= 90) inserted++
  }
  return String.fromCharCode(65 + (inserted % 26)).repeat(length)
}

function stateOf(zl: Ziplist, lp: Listpack): ZiplistLessonState {
  const buf = zl.buf
  const entries = ziplistWalk(zl).map((e) => ({
    offset: e.offset,
    prevlenSize: e.prevrawlensize,
    prevlen: e.prevrawlen,
    encodingSize: e.lensize,
    dataLen: e.len,
    size: e.headersize + e.len,
    value: ziplistGet(zl, e.offset),
  }))
  const u32 = (at: number): number =>
    new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(at, true)
  return {
    ziplist: {
      bytes: buf.slice(),
      headerSize: ZIPLIST_HEADER_SIZE,
      zlbytes: ziplistBlobLen(zl),
      zltail: u32(4),
      zllen: (buf[8] ?? 0) | ((buf[9] ?? 0) << 8),
      entries,
    },
    listpack: {
      bytes: lp.buf.slice(0, lpBytes(lp)),
      headerSize: LP_HDR_SIZE,
      totalBytes: lpBytes(lp),
      count: lpLength(lp),
      entries: lpWalk(lp).map((e) => ({
        offset: e.offset,
        encodingSize: e.headerSize,
        dataLen: e.encodedSize - e.headerSize,
        backlenSize: e.backlenSize,
        size: e.encodedSize + e.backlenSize,
        value: e.value,
      })),
    },
  }
}
