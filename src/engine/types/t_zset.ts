/**
 * The sorted-set type — follows redis/src/t_zset.c (7.0.15), the zzl* (listpack) and zset*
 * (common) parts; the skiplist itself is structures/skiplist.ts.
 *
 * Two encodings:
 *   - `listpack`: member, score, member, score … kept sorted by (score, member). A score is
 *     stored as an integer entry when it is integral and |score| ≤ 2^62 (double2ll), else as
 *     its d2string text ("1.5", "inf"). Inserting scans from the head for the first larger
 *     pair (zzlInsert); a score change is a delete plus a re-insert.
 *   - `skiplist`: a dict member → score (DictRef `key:<db>:<key>`) for O(1) ZSCORE, plus the
 *     skiplist for order and rank (server.h `zset`).
 * Conversions (thresholds read from CONFIG at call time):
 *   - ZADD on a missing key creates a skiplist directly when zset-max-listpack-entries is 0
 *     or the first member is longer than zset-max-listpack-value (the command layer does it);
 *   - listpack → skiplist in zsetAdd when a new member would make the count exceed
 *     zset-max-listpack-entries ('tooManyEntries'), the member is longer than
 *     zset-max-listpack-value ('valueTooLong'), or the listpack would pass 1 GiB;
 *   - skiplist → listpack only for *STORE destinations (zsetConvertToListpackIfNeeded:
 *     'storeFits') and ZRANGESTORE's choice up front. ZREM never converts back.
 * After each delete from a skiplist zset, the dict shrinks when under 10 % full.
 *
 * Events: object/encodingConverted; listpack/*, zsl/* and dict/* pass through.
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictExpand,
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  dictGetVal,
  dictResize,
  dictSetVal,
  dictSize,
  dictValidate,
  htNeedsResize,
  NO_ENTRY,
  type Dict,
} from '../structures/dict.ts'
import {
  lpAppend,
  lpAppendInteger,
  lpBytes,
  lpCompare,
  lpDeleteRange,
  lpDeleteRangeWithEntry,
  lpDup,
  lpFind,
  lpFirst,
  lpGet,
  lpGetValue,
  lpInsertInteger,
  lpInsertString,
  lpLength,
  lpNew,
  lpNext,
  lpPrev,
  lpSafeToAdd,
  lpSeek,
  lpValidate,
  type Listpack,
} from '../structures/listpack.ts'
import {
  sdscmplex,
  zslCompareMembers,
  zslCreate,
  zslDelete,
  zslGetRank,
  zslInsert,
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslNodes,
  zslUpdateScore,
  zslValidate,
  zslValueGteMin,
  zslValueLteMax,
  type ZLexRangeSpec,
  type ZRangeSpec,
  type Zskiplist,
} from '../structures/skiplist.ts'
import { ERANGE, libc } from '../util/errno.ts'
import { d2string, DBL_MIN, parseDouble, strtodPrefix } from '../util/numbers.ts'
import { lpRandomPair, setObjectEncoding, valueDictRef, type ValueRef } from './container.ts'
import { createObject, type ContainerObject } from './object.ts'

// --- Types ---

/** A skiplist-encoded sorted set: member → score dict plus the skiplist (server.h zset). */
export interface Zset {
  dict: Dict<number>
  zsl: Zskiplist
}

export type ZsetObject = ContainerObject<'zset', 'listpack'> | ContainerObject<'zset', 'skiplist'>

/** A member/score pair position in a zset listpack (eptr, sptr). */
export interface ZzlPos {
  readonly eptr: number
  readonly sptr: number
}

/** zsetAdd input flags (ZADD_IN_*). */
export interface ZaddFlags {
  readonly incr?: boolean
  readonly nx?: boolean
  readonly xx?: boolean
  readonly gt?: boolean
  readonly lt?: boolean
}

/** zsetAdd outcome: 'nan' when the (incremented) score is NaN (ZADD_OUT_NAN). */
export type ZaddResult =
  | { readonly kind: 'nan' }
  | { readonly kind: 'added' | 'updated' | 'unchanged'; readonly score: number }
  | { readonly kind: 'nop' }

const LLONG_MAX_HALF = 2 ** 62

// --- Creation ---

/** createZsetObject: an empty skiplist zset. */
export function createZsetObject(v: ValueRef): ZsetObject {
  const zs: Zset = {
    dict: dictCreate<number>(valueDictRef(v.dbid, v.key), v.srv.hashSeed),
    zsl: zslCreate(),
  }
  return createObject(v.srv, 'zset', 'skiplist', zs)
}

/** createZsetListpackObject: an empty listpack zset. */
export function createZsetListpackObject(srv: ServerState): ZsetObject {
  return createObject(srv, 'zset', 'listpack', lpNew())
}

// --- Listpack encoding (zzl*) ---

/**
 * zzlGetScore: the score at `sptr` (integer entries convert to double). A text score is read
 * back with zzlStrtod, a bare strtod that leaves errno alone unless it fails: the %.17g text
 * of a subnormal score (ZADD z 1e-320 m stores "9.9998886718268301e-321") sets ERANGE again
 * on every read, which a later numeric SORT sees (util/errno.ts).
 */
export function zzlGetScore(lp: Listpack, sptr: number): number {
  const v = lpGetValue(lp, sptr)
  if (typeof v === 'bigint') return Number(v)
  return zzlStrtod(v)
}

/**
 * zzlStrtod: strtod over at most 127 bytes of a listpack score's text, ERANGE left in errno
 * for a subnormal.
 */
export function zzlStrtod(v: string): number {
  const d = parseDouble(v) ?? strtodPrefix(v.slice(0, 127))
  if (d !== 0 && Math.abs(d) < DBL_MIN) libc.errno = ERANGE
  return d
}

/** zzlLength: member count. */
export function zzlLength(lp: Listpack): number {
  return lpLength(lp) / 2
}

/** The pair at member offset `eptr`. */
function pairAt(lp: Listpack, eptr: number | null): ZzlPos | null {
  if (eptr === null) return null
  const sptr = lpNext(lp, eptr)
  if (sptr === null) throw new Error('zset listpack with an odd number of entries')
  return { eptr, sptr }
}

/** The first pair, or null when empty. */
export function zzlFirst(lp: Listpack): ZzlPos | null {
  return pairAt(lp, lpSeek(lp, 0))
}

/** The last pair, or null when empty. */
export function zzlLast(lp: Listpack): ZzlPos | null {
  return pairAt(lp, lpSeek(lp, -2))
}

/** zzlNext: the pair after `p`, or null. */
export function zzlNext(lp: Listpack, p: ZzlPos): ZzlPos | null {
  return pairAt(lp, lpNext(lp, p.sptr))
}

/** zzlPrev: the pair before `p`, or null. */
export function zzlPrev(lp: Listpack, p: ZzlPos): ZzlPos | null {
  const sptr = lpPrev(lp, p.eptr)
  if (sptr === null) return null
  const eptr = lpPrev(lp, sptr)
  if (eptr === null) throw new Error('zset listpack with an odd number of entries')
  return { eptr, sptr }
}

/** zzlIsInRange. */
function zzlIsInRange(lp: Listpack, range: ZRangeSpec): boolean {
  if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex)))
    return false
  const last = lpSeek(lp, -1)
  if (last === null) return false
  if (!zslValueGteMin(zzlGetScore(lp, last), range)) return false
  const first = lpSeek(lp, 1)
  return first !== null && zslValueLteMax(zzlGetScore(lp, first), range)
}

/** zzlFirstInRange: the first pair whose score is in range, or null. */
export function zzlFirstInRange(lp: Listpack, range: ZRangeSpec): ZzlPos | null {
  if (!zzlIsInRange(lp, range)) return null
  for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p)) {
    const score = zzlGetScore(lp, p.sptr)
    if (zslValueGteMin(score, range)) return zslValueLteMax(score, range) ? p : null
  }
  return null
}

/** zzlLastInRange: the last pair whose score is in range, or null. */
export function zzlLastInRange(lp: Listpack, range: ZRangeSpec): ZzlPos | null {
  if (!zzlIsInRange(lp, range)) return null
  for (let p = zzlLast(lp); p !== null; p = zzlPrev(lp, p)) {
    const score = zzlGetScore(lp, p.sptr)
    if (zslValueLteMax(score, range)) return zslValueGteMin(score, range) ? p : null
  }
  return null
}

/** zzlIsInLexRange. */
function zzlIsInLexRange(lp: Listpack, range: ZLexRangeSpec): boolean {
  const cmp = sdscmplex(range.min, range.max)
  if (cmp > 0 || (cmp === 0 && (range.minex || range.maxex))) return false
  const last = lpSeek(lp, -2)
  if (last === null) return false
  if (!zslLexValueGteMin(lpGet(lp, last), range)) return false
  const first = lpSeek(lp, 0)
  return first !== null && zslLexValueLteMax(lpGet(lp, first), range)
}

/** zzlFirstInLexRange. */
export function zzlFirstInLexRange(lp: Listpack, range: ZLexRangeSpec): ZzlPos | null {
  if (!zzlIsInLexRange(lp, range)) return null
  for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p)) {
    const ele = lpGet(lp, p.eptr)
    if (zslLexValueGteMin(ele, range)) return zslLexValueLteMax(ele, range) ? p : null
  }
  return null
}

/** zzlLastInLexRange. */
export function zzlLastInLexRange(lp: Listpack, range: ZLexRangeSpec): ZzlPos | null {
  if (!zzlIsInLexRange(lp, range)) return null
  for (let p = zzlLast(lp); p !== null; p = zzlPrev(lp, p)) {
    const ele = lpGet(lp, p.eptr)
    if (zslLexValueLteMax(ele, range)) return zslLexValueGteMin(ele, range) ? p : null
  }
  return null
}

/** zzlFind: the pair of `ele` and its score, or null. */
export function zzlFind(lp: Listpack, ele: string): { pos: ZzlPos; score: number } | null {
  const first = lpFirst(lp)
  if (first === null) return null
  const pos = pairAt(lp, lpFind(lp, first, ele, 1))
  return pos === null ? null : { pos, score: zzlGetScore(lp, pos.sptr) }
}

/** double2ll: the score as an integer when integral and within ±2^62 (-0 counts as 0). */
function double2ll(score: number): bigint | null {
  if (score < -LLONG_MAX_HALF || score > LLONG_MAX_HALF) return null
  return Number.isInteger(score) ? BigInt(score) : null
}

/**
 * zzlInsertAt: inserts (ele, score) before the member at `eptr`, or appends when null. The
 * score goes in as an integer entry when double2ll allows, else as its d2string text.
 */
function zzlInsertAt(
  v: ValueRef,
  lp: Listpack,
  eptr: number | null,
  ele: string,
  score: number,
): void {
  const asLong = double2ll(score)
  const text = asLong === null ? d2string(score) : ''
  if (eptr === null) {
    lpAppend(v.ctx, lp, ele, v.key)
    if (asLong !== null) lpAppendInteger(v.ctx, lp, asLong, v.key)
    else lpAppend(v.ctx, lp, text, v.key)
    return
  }
  const sptr = lpInsertString(v.ctx, lp, ele, eptr, 'before', v.key)
  if (sptr === null) throw new Error('listpack too large')
  if (asLong !== null) lpInsertInteger(v.ctx, lp, asLong, sptr, 'after', v.key)
  else lpInsertString(v.ctx, lp, text, sptr, 'after', v.key)
}

/**
 * zzlCompareElements: memcmp of the stored member (integers in decimal) against `s`, then
 * the length difference.
 */
function zzlCompareElements(lp: Listpack, eptr: number, s: string): number {
  return zslCompareMembers(lpGet(lp, eptr), s)
}

/** zzlInsert: scans from the head for the first pair greater than (score, ele). */
export function zzlInsert(v: ValueRef, lp: Listpack, ele: string, score: number): void {
  for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p)) {
    const s = zzlGetScore(lp, p.sptr)
    if (s > score || (s === score && zzlCompareElements(lp, p.eptr, ele) > 0)) {
      zzlInsertAt(v, lp, p.eptr, ele, score)
      return
    }
  }
  zzlInsertAt(v, lp, null, ele, score)
}

/** zzlDelete: removes the pair at `eptr`. */
export function zzlDelete(v: ValueRef, lp: Listpack, eptr: number): void {
  lpDeleteRangeWithEntry(v.ctx, lp, eptr, 2, v.key)
}

/** zzlDeleteRangeByScore: deletes the pairs in the score range; returns how many. */
export function zzlDeleteRangeByScore(v: ValueRef, lp: Listpack, range: ZRangeSpec): number {
  const first = zzlFirstInRange(lp, range)
  if (first === null) return 0
  let eptr: number | null = first.eptr
  let num = 0
  while (eptr !== null) {
    const sptr = lpNext(lp, eptr)
    if (sptr === null || !zslValueLteMax(zzlGetScore(lp, sptr), range)) break
    eptr = lpDeleteRangeWithEntry(v.ctx, lp, eptr, 2, v.key)
    num++
  }
  return num
}

/** zzlDeleteRangeByLex: deletes the pairs in the lex range; returns how many. */
export function zzlDeleteRangeByLex(v: ValueRef, lp: Listpack, range: ZLexRangeSpec): number {
  const first = zzlFirstInLexRange(lp, range)
  if (first === null) return 0
  let eptr: number | null = first.eptr
  let num = 0
  while (eptr !== null) {
    if (lpNext(lp, eptr) === null || !zslLexValueLteMax(lpGet(lp, eptr), range)) break
    eptr = lpDeleteRangeWithEntry(v.ctx, lp, eptr, 2, v.key)
    num++
  }
  return num
}

/** zzlDeleteRangeByRank: deletes 1-based ranks start..end; returns how many. */
export function zzlDeleteRangeByRank(
  v: ValueRef,
  lp: Listpack,
  start: number,
  end: number,
): number {
  const num = end - start + 1
  lpDeleteRange(v.ctx, lp, 2 * (start - 1), 2 * num, v.key)
  return num
}

// --- Common API ---

/** zsetLength. */
export function zsetLength(o: ZsetObject): number {
  return o.encoding === 'listpack' ? zzlLength(o.ptr) : o.ptr.zsl.length
}

/**
 * zsetConvert: listpack → skiplist (every pair inserted in order, member added to the
 * dict) or skiplist → listpack (nodes appended in order).
 */
export function zsetConvert(
  v: ValueRef,
  o: ZsetObject,
  to: 'listpack' | 'skiplist',
  reason: string,
  params: Readonly<Record<string, number | string>>,
): void {
  if (o.encoding === to) return
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    const zs: Zset = {
      dict: dictCreate<number>(valueDictRef(v.dbid, v.key), v.srv.hashSeed),
      zsl: zslCreate(),
    }
    for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p)) {
      const score = zzlGetScore(lp, p.sptr)
      const ele = lpGet(lp, p.eptr)
      zslInsert(v.ctx, zs.zsl, score, ele, v.key)
      dictAdd(v.ctx, zs.dict, ele, score)
    }
    setObjectEncoding(v, o, 'skiplist', zs, reason, params)
    return
  }
  const lp = lpNew()
  for (const node of zslNodes(o.ptr.zsl)) zzlInsertAt(v, lp, null, node.ele ?? '', node.score)
  setObjectEncoding(v, o, 'listpack', lp, reason, params)
}

/**
 * zsetConvertToListpackIfNeeded: a skiplist result small enough (length ≤ entries limit,
 * longest member ≤ value limit, total within the safety limit) becomes a listpack.
 */
export function zsetConvertToListpackIfNeeded(
  v: ValueRef,
  o: ZsetObject,
  maxelelen: number,
  totelelen: number,
): void {
  if (o.encoding === 'listpack') return
  const cfg = v.srv.config
  if (
    o.ptr.zsl.length <= cfg.zsetMaxListpackEntries &&
    maxelelen <= cfg.zsetMaxListpackValue &&
    lpSafeToAdd(null, totelelen)
  )
    zsetConvert(v, o, 'listpack', 'storeFits', {
      entries: o.ptr.zsl.length,
      maxLength: maxelelen,
    })
}

/** zsetScore: the member's score, or null. */
export function zsetScore(v: ValueRef, o: ZsetObject, member: string): number | null {
  if (o.encoding === 'listpack') return zzlFind(o.ptr, member)?.score ?? null
  const de = dictFind(v.ctx, o.ptr.dict, member)
  return de === NO_ENTRY ? null : dictGetVal(o.ptr.dict, de)
}

/**
 * zsetAdd: adds or updates `ele` with Redis's NX/XX/GT/LT/INCR rules. A listpack converts
 * to a skiplist before adding a member that would break its limits.
 */
export function zsetAdd(
  v: ValueRef,
  o: ZsetObject,
  score: number,
  ele: string,
  flags: ZaddFlags = {},
): ZaddResult {
  const incr = flags.incr === true
  if (Number.isNaN(score)) return { kind: 'nan' }
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    const found = zzlFind(lp, ele)
    if (found !== null) {
      if (flags.nx === true) return { kind: 'nop' }
      const cur = found.score
      if (incr) {
        score += cur
        if (Number.isNaN(score)) return { kind: 'nan' }
      }
      if ((flags.lt === true && score >= cur) || (flags.gt === true && score <= cur))
        return { kind: 'nop' }
      if (score !== cur) {
        zzlDelete(v, lp, found.pos.eptr)
        zzlInsert(v, lp, ele, score)
        return { kind: 'updated', score }
      }
      return { kind: 'unchanged', score }
    }
    if (flags.xx === true) return { kind: 'nop' }
    const cfg = v.srv.config
    const count = zzlLength(lp)
    if (count + 1 > cfg.zsetMaxListpackEntries)
      zsetConvert(v, o, 'skiplist', 'tooManyEntries', {
        entries: count + 1,
        limit: cfg.zsetMaxListpackEntries,
      })
    else if (ele.length > cfg.zsetMaxListpackValue)
      zsetConvert(v, o, 'skiplist', 'valueTooLong', {
        length: ele.length,
        limit: cfg.zsetMaxListpackValue,
      })
    else if (!lpSafeToAdd(lp, ele.length))
      zsetConvert(v, o, 'skiplist', 'listpackSafetyLimit', { bytes: lpBytes(lp) })
    else {
      zzlInsert(v, lp, ele, score)
      return { kind: 'added', score }
    }
  }
  const zs = (o as ContainerObject<'zset', 'skiplist'>).ptr
  const de = dictFind(v.ctx, zs.dict, ele)
  if (de !== NO_ENTRY) {
    if (flags.nx === true) return { kind: 'nop' }
    const cur = dictGetVal(zs.dict, de)
    if (incr) {
      score += cur
      if (Number.isNaN(score)) return { kind: 'nan' }
    }
    if ((flags.lt === true && score >= cur) || (flags.gt === true && score <= cur))
      return { kind: 'nop' }
    if (score !== cur) {
      zslUpdateScore(v.ctx, zs.zsl, cur, ele, score, v.key)
      dictSetVal(zs.dict, de, score)
      return { kind: 'updated', score }
    }
    return { kind: 'unchanged', score }
  }
  if (flags.xx === true) return { kind: 'nop' }
  zslInsert(v.ctx, zs.zsl, score, ele, v.key)
  dictAdd(v.ctx, zs.dict, ele, score)
  return { kind: 'added', score }
}

/** zsetRemoveFromSkiplist: unlink from the dict, then zslDelete. */
export function zsetRemoveFromSkiplist(v: ValueRef, zs: Zset, ele: string): boolean {
  const de = dictDelete(v.ctx, zs.dict, ele)
  if (de === NO_ENTRY) return false
  zslDelete(v.ctx, zs.zsl, dictGetVal(zs.dict, de), ele, v.key)
  return true
}

/** zsetDel: removes `ele`; returns whether it was there. Shrinks a sparse dict. */
export function zsetDel(v: ValueRef, o: ZsetObject, ele: string): boolean {
  if (o.encoding === 'listpack') {
    const found = zzlFind(o.ptr, ele)
    if (found === null) return false
    zzlDelete(v, o.ptr, found.pos.eptr)
    return true
  }
  if (!zsetRemoveFromSkiplist(v, o.ptr, ele)) return false
  if (htNeedsResize(o.ptr.dict)) dictResize(v.ctx, o.ptr.dict)
  return true
}

/** zsetRank: 0-based rank (from the top when `reverse`), or -1. */
export function zsetRank(v: ValueRef, o: ZsetObject, ele: string, reverse: boolean): number {
  const llen = zsetLength(o)
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    let rank = 1
    for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p)) {
      if (lpCompare(lp, p.eptr, ele)) return reverse ? llen - rank : rank - 1
      rank++
    }
    return -1
  }
  const de = dictFind(v.ctx, o.ptr.dict, ele)
  if (de === NO_ENTRY) return -1
  const rank = zslGetRank(v.ctx, o.ptr.zsl, dictGetVal(o.ptr.dict, de), ele, v.key)
  return reverse ? llen - rank : rank - 1
}

/** Every (member, score) in order. */
export function zsetEntries(o: ZsetObject): [string, number][] {
  const out: [string, number][] = []
  if (o.encoding === 'listpack') {
    for (let p = zzlFirst(o.ptr); p !== null; p = zzlNext(o.ptr, p))
      out.push([lpGet(o.ptr, p.eptr), zzlGetScore(o.ptr, p.sptr)])
  } else {
    for (const n of zslNodes(o.ptr.zsl)) out.push([n.ele ?? '', n.score])
  }
  return out
}

/** zsetTypeRandomElement: one random member and its score. */
export function zsetTypeRandomElement(
  ctx: ExecContext,
  o: ZsetObject,
  size: number,
): readonly [string, number] {
  if (o.encoding === 'listpack') {
    const [m, s] = lpRandomPair(ctx, o.ptr, size)
    return [m, parseDouble(s) ?? strtodPrefix(s.slice(0, 127))]
  }
  const de = dictGetFairRandomKey(ctx, o.ptr.dict)
  if (de === NO_ENTRY) throw new Error('zsetTypeRandomElement on an empty zset')
  return [dictGetKey(o.ptr.dict, de), dictGetVal(o.ptr.dict, de)]
}

/**
 * zsetDup (COPY): a listpack is copied byte for byte; a skiplist zset is rebuilt from the
 * tail backwards into a pre-sized dict (new random levels, as Redis draws them).
 */
export function zsetDup(v: ValueRef, o: ZsetObject): ZsetObject {
  if (o.encoding === 'listpack') return createObject(v.srv, 'zset', 'listpack', lpDup(o.ptr))
  const z = createZsetObject(v)
  const zs = (z as ContainerObject<'zset', 'skiplist'>).ptr
  dictExpand(v.ctx, zs.dict, dictSize(o.ptr.dict))
  for (let n = o.ptr.zsl.tail; n !== null; n = n.backward) {
    zslInsert(v.ctx, zs.zsl, n.score, n.ele ?? '', v.key)
    dictAdd(v.ctx, zs.dict, n.ele ?? '', n.score)
  }
  return z
}

// --- Validation ---

/**
 * Self-check: a listpack of pairs sorted by (score, member) with unique members; or a
 * valid skiplist and dict holding the same members with the same scores.
 */
export function zsetValidate(o: ZsetObject): string[] {
  if (o.encoding === 'listpack') {
    const errors = lpValidate(o.ptr)
    if (lpLength(o.ptr) % 2 !== 0) errors.push('zset listpack has an odd number of entries')
    const entries = zsetEntries(o)
    const seen = new Set<string>()
    entries.forEach(([m, s], i) => {
      if (seen.has(m)) errors.push(`duplicate member ${m}`)
      seen.add(m)
      const prev = entries[i - 1]
      if (
        prev !== undefined &&
        (prev[1] > s || (prev[1] === s && zslCompareMembers(prev[0], m) >= 0))
      )
        errors.push(`pair ${String(i)} out of order`)
    })
    return errors
  }
  const errors = [...zslValidate(o.ptr.zsl), ...dictValidate(o.ptr.dict)]
  if (dictSize(o.ptr.dict) !== o.ptr.zsl.length) errors.push('dict and skiplist sizes differ')
  // Read the dict without dictFind (which would take a rehash step).
  const scores = new Map<string, number>()
  dictForEach(o.ptr.dict, (member, score) => scores.set(member, score))
  for (const n of zslNodes(o.ptr.zsl)) {
    const found = scores.get(n.ele ?? '')
    if (found !== n.score) errors.push(`member ${n.ele ?? ''} has dict score ${String(found)}`)
  }
  return errors
}
