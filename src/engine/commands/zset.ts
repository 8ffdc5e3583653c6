/**
 * Sorted-set commands — follows redis/src/t_zset.c (7.0.15): ZADD (NX XX GT LT CH INCR)
 * ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANK ZREVRANK, the ZRANGE family
 * (ZRANGE with BYSCORE/BYLEX/REV/LIMIT/WITHSCORES, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE,
 * ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX), ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER,
 * ZREMRANGEBYRANK/SCORE/LEX, ZUNION ZINTER ZDIFF (+STORE, WEIGHTS, AGGREGATE), ZINTERCARD
 * and ZSCAN.
 *
 * The range commands share one parser (zrangeGenericCommand) and a result handler that
 * either collects the reply or, for ZRANGESTORE, adds each element to a new zset whose
 * encoding is chosen up front from the result length. Scores are replied as addReplyDouble
 * does in RESP2 ("%.17g", "inf"/"-inf"). ZUNION/ZINTER/ZDIFF accept sets as inputs (score
 * 1) and build the result as a skiplist zset; *STORE then converts it back to a listpack
 * when it fits (zsetConvertToListpackIfNeeded).
 */
import { rewriteCommandVector } from '../replication.ts'
import { cstr } from '../bytes.ts'
import { dbAdd, dbDelete, lookupKeyRead, setKey, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_ZSET, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import {
  array,
  bulk,
  doubleReply,
  EMPTY_ARRAY,
  error,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  NIL,
  NIL_ARRAY,
  nestPairs,
  ZERO,
  type Protocol,
  type Reply,
} from '../reply.ts'
import {
  dictAdd,
  dictAddOrFindEntry,
  dictCreate,
  dictDelete,
  dictExpand,
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  dictGetVal,
  dictSetVal,
  NO_ENTRY,
} from '../structures/dict.ts'
import { intsetFind } from '../structures/intset.ts'
import { lpGet, lpNext, lpSeek, type Listpack } from '../structures/listpack.ts'
import {
  zslDeleteRangeByLex,
  zslDeleteRangeByRank,
  zslDeleteRangeByScore,
  zslFirstInLexRange,
  zslFirstInRange,
  zslGetElementByRank,
  zslGetRank,
  zslInsert,
  zslLastInLexRange,
  zslLastInRange,
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslNodes,
  zslParseLexRange,
  zslValueGteMin,
  zslValueLteMax,
  type ZLexRangeSpec,
  type ZRangeSpec,
  type Zskiplist,
  type ZskiplistNode,
} from '../structures/skiplist.ts'
import { dictResize, dictSize, htNeedsResize } from '../structures/dict.ts'
import {
  lpRandomPairs,
  lpRandomPairsUnique,
  scratchValueRef,
  silentContext,
  noteObjectCreated,
  valueRefOf,
  type ValueRef,
} from '../types/container.ts'
import type { ContainerObject } from '../types/object.ts'
import { setTypeMembers, type SetObject } from '../types/t_set.ts'
import {
  createZsetListpackObject,
  createZsetObject,
  zsetAdd,
  zsetConvertToListpackIfNeeded,
  zsetDel,
  zsetDup,
  zsetEntries,
  zsetLength,
  zsetRank,
  zsetRemoveFromSkiplist,
  zsetScore,
  zsetTypeRandomElement,
  zzlDeleteRangeByLex,
  zzlDeleteRangeByRank,
  zzlDeleteRangeByScore,
  zzlFirst,
  zzlFirstInLexRange,
  zzlFirstInRange,
  zzlGetScore,
  zzlStrtod,
  zzlLast,
  zzlLastInLexRange,
  zzlLastInRange,
  zzlLength,
  zzlNext,
  zzlPrev,
  type Zset,
  type ZsetObject,
  type ZzlPos,
} from '../types/t_zset.ts'
import { ERANGE, libc } from '../util/errno.ts'
import {
  addReplyDoubleText,
  parseDouble,
  string2d,
  string2ll,
  strtodErange,
} from '../util/numbers.ts'
import { isToken, lookupOfType, parseMpopArgs } from './common.ts'
import { objectDuplicators, parseScanCursor, scanGeneric } from './generic.ts'
import { getLongOrReply, getPositiveLongOrReply, getRangeLongOrReply } from './parse.ts'
import {
  randomPickAdded,
  randomPicksReply,
  randomPicksStart,
  randomPicksStopped,
} from './randomPicks.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyAt, pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

const LONG_MAX = 9223372036854775807n
const ERR_NOT_FLOAT = error('ERR value is not a valid float')
const ERR_MINMAX_FLOAT = error('ERR min or max is not a float')
const ERR_MINMAX_LEX = error('ERR min or max not valid string range item')

/** addReplyDouble: a bulk string in RESP2, a double in RESP3. */
function dbl(resp: Protocol, score: number): Reply {
  return doubleReply(resp, addReplyDoubleText(score))
}

type Lookup = ZsetObject | null | 'wrongtype'

function lookupZsetRead(c: CommandCall, key: string): Lookup {
  return lookupOfType<ZsetObject>(c, key, 'zset', false)
}

function lookupZsetWrite(c: CommandCall, key: string): Lookup {
  return lookupOfType<ZsetObject>(c, key, 'zset', true)
}

/** C isspace. */
function isCSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r'
}

/**
 * strtod over the whole text as zslParseRange uses it: leading whitespace allowed, the
 * empty string is 0, overflow gives ±inf and underflow 0 (no ERANGE check), NaN refused.
 * errno is not cleared first: only an ERANGE is left behind (util/errno.ts).
 */
function strtodWhole(s: string): number | null {
  if (strtodErange(s)) libc.errno = ERANGE
  let i = 0
  while (i < s.length && isCSpace(s[i] ?? '')) i++
  const rest = s.slice(i)
  if (rest === '') return i === 0 ? 0 : null
  const d = parseDouble(rest)
  if (d !== null) return d
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(rest)) return Number(rest)
  return null
}

/**
 * zslParseRange: "(" makes a bound exclusive. Redis reads each bound as a C string (strtod
 * stops at a NUL and only checks that it stopped on one), so "1\0x" is 1 and "\0" is 0.
 */
function zslParseRange(rawMin: string, rawMax: string): ZRangeSpec | null {
  const min = cstr(rawMin)
  const max = cstr(rawMax)
  const minex = min.startsWith('(')
  const maxex = max.startsWith('(')
  const lo = strtodWhole(minex ? min.slice(1) : min)
  const hi = strtodWhole(maxex ? max.slice(1) : max)
  if (lo === null || hi === null) return null
  return { min: lo, max: hi, minex, maxex }
}

// --- ZADD, ZINCRBY ---

/** zaddGenericCommand. */
function zaddGeneric(c: CommandCall, incrCommand: boolean): Reply {
  const { argv } = c
  const key = argv[1] ?? ''
  let nx = false
  let xx = false
  let gt = false
  let lt = false
  let ch = false
  let incr = incrCommand
  let scoreidx = 2
  for (; scoreidx < argv.length; scoreidx++) {
    const opt = argv[scoreidx] ?? ''
    if (isToken(opt, 'NX')) nx = true
    else if (isToken(opt, 'XX')) xx = true
    else if (isToken(opt, 'CH')) ch = true
    else if (isToken(opt, 'INCR')) incr = true
    else if (isToken(opt, 'GT')) gt = true
    else if (isToken(opt, 'LT')) lt = true
    else break
  }
  let elements = argv.length - scoreidx
  if (elements % 2 !== 0 || elements === 0) return ERR_SYNTAX
  elements /= 2
  if (nx && xx) return error('ERR XX and NX options at the same time are not compatible')
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return error('ERR GT, LT, and/or NX options at the same time are not compatible')
  if (incr && elements > 1) return error('ERR INCR option supports a single increment-element pair')
  const scores: number[] = []
  for (let j = 0; j < elements; j++) {
    const s = string2d(argv[scoreidx + j * 2] ?? '')
    if (s === null) return ERR_NOT_FLOAT
    scores.push(s)
  }
  let zobj = lookupZsetWrite(c, key)
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  let added = 0
  let updated = 0
  let processed = 0
  let score = 0
  let result: Reply | null = null
  if (zobj === null && xx) {
    // No key + XX: nothing to do.
  } else {
    const v = valueRefOf(c, key)
    if (zobj === null) {
      const cfg = c.srv.config
      const first = argv[scoreidx + 1] ?? ''
      zobj =
        cfg.zsetMaxListpackEntries === 0 || cfg.zsetMaxListpackValue < first.length
          ? createZsetObject(v)
          : createZsetListpackObject(c.srv)
      dbAdd(c.ctx, c.db, key, zobj, c.srv)
      noteObjectCreated(v, zobj)
      memValueTouched(c.db.dict, zobj)
    }
    for (let j = 0; j < elements; j++) {
      const r = zsetAdd(v, zobj, scores[j] ?? 0, argv[scoreidx + 1 + j * 2] ?? '', {
        incr,
        nx,
        xx,
        gt,
        lt,
      })
      if (r.kind === 'nan') {
        result = error('ERR resulting score is not a number (NaN)')
        break
      }
      if (r.kind === 'added') added++
      if (r.kind === 'updated') updated++
      if (r.kind !== 'nop') {
        processed++
        score = r.score
      }
    }
    if (result === null) c.srv.dirty += added + updated
  }
  if (added > 0 || updated > 0) {
    // zaddGenericCommand replies (or fails on a NaN) before it signals and notifies.
    pubsubReplyWritten(c)
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key, c.db.id)
  }
  if (result !== null) return result
  if (incr) return processed > 0 ? dbl(c.client.resp, score) : NIL
  return integer(ch ? added + updated : added)
}

function zaddCommand(c: CommandCall): Reply {
  return zaddGeneric(c, false)
}

function zincrbyCommand(c: CommandCall): Reply {
  return zaddGeneric(c, true)
}

// --- ZREM, ZREMRANGEBY* ---

/** ZREM key member [member ...] */
function zremCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const zobj = lookupZsetWrite(c, key)
  if (zobj === null) return ZERO
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  let deleted = 0
  let keyremoved = false
  for (let j = 2; j < c.argv.length; j++) {
    if (zsetDel(v, zobj, c.argv[j] ?? '')) deleted++
    if (zsetLength(zobj) === 0) {
      dbDelete(c.ctx, c.db, key)
      keyremoved = true
      break
    }
  }
  if (deleted > 0) {
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, 'zrem', key, c.db.id)
    if (keyremoved) notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    c.srv.dirty += deleted
  }
  return integer(deleted)
}

type RangeType = 'rank' | 'score' | 'lex'

/** zremrangeGenericCommand. */
function zremrangeGeneric(c: CommandCall, type: RangeType): Reply {
  const key = c.argv[1] ?? ''
  let start = 0
  let end = 0
  let range: ZRangeSpec | null = null
  let lex: ZLexRangeSpec | null = null
  if (type === 'rank') {
    const s = getLongOrReply(c.argv[2] ?? '')
    if (typeof s === 'object') return s
    const e = getLongOrReply(c.argv[3] ?? '')
    if (typeof e === 'object') return e
    start = Number(s)
    end = Number(e)
  } else if (type === 'score') {
    range = zslParseRange(c.argv[2] ?? '', c.argv[3] ?? '')
    if (range === null) return ERR_MINMAX_FLOAT
  } else {
    lex = zslParseLexRange(c.argv[2] ?? '', c.argv[3] ?? '')
    if (lex === null) return ERR_MINMAX_LEX
  }
  const zobj = lookupZsetWrite(c, key)
  if (zobj === null) return ZERO
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  if (type === 'rank') {
    const llen = zsetLength(zobj)
    if (start < 0) start = llen + start
    if (end < 0) end = llen + end
    if (start < 0) start = 0
    if (start > end || start >= llen) return ZERO
    if (end >= llen) end = llen - 1
  }
  const v = valueRefOf(c, key)
  let deleted: number
  let keyremoved = false
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    if (type === 'rank') deleted = zzlDeleteRangeByRank(v, lp, start + 1, end + 1)
    else if (range !== null) deleted = zzlDeleteRangeByScore(v, lp, range)
    else deleted = zzlDeleteRangeByLex(v, lp, lex as ZLexRangeSpec)
    if (zzlLength(lp) === 0) keyremoved = dbDelete(c.ctx, c.db, key)
  } else {
    const zs = zobj.ptr
    const onDelete = (n: ZskiplistNode): void => {
      dictDelete(c.ctx, zs.dict, n.ele ?? '')
    }
    if (type === 'rank')
      deleted = zslDeleteRangeByRank(c.ctx, zs.zsl, start + 1, end + 1, key, onDelete)
    else if (range !== null) deleted = zslDeleteRangeByScore(c.ctx, zs.zsl, range, key, onDelete)
    else deleted = zslDeleteRangeByLex(c.ctx, zs.zsl, lex as ZLexRangeSpec, key, onDelete)
    if (htNeedsResize(zs.dict)) dictResize(c.ctx, zs.dict)
    if (dictSize(zs.dict) === 0) keyremoved = dbDelete(c.ctx, c.db, key)
  }
  if (deleted > 0) {
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, `zremrangeby${type}`, key, c.db.id)
    if (keyremoved) notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
  }
  c.srv.dirty += deleted
  return integer(deleted)
}

function zremrangebyrankCommand(c: CommandCall): Reply {
  return zremrangeGeneric(c, 'rank')
}
function zremrangebyscoreCommand(c: CommandCall): Reply {
  return zremrangeGeneric(c, 'score')
}
function zremrangebylexCommand(c: CommandCall): Reply {
  return zremrangeGeneric(c, 'lex')
}

// --- ZUNION, ZINTER, ZDIFF (zsetopsrc) ---

interface OpSrc {
  readonly o: ZsetObject | SetObject | null
  readonly ref: ValueRef
  weight: number
}

/** zuiLength. */
function zuiLength(s: OpSrc): number {
  if (s.o === null) return 0
  return s.o.type === 'zset' ? zsetLength(s.o) : setTypeMembers(s.o).length
}

/**
 * zuiNext over the whole source: (member, score) in iteration order; set members score 1.
 * Sorted sets are walked from the tail (zuiInitIterator: cheaper inserts into the result).
 */
function zuiEntries(s: OpSrc): [string, number][] {
  if (s.o === null) return []
  if (s.o.type === 'zset') return zsetEntries(s.o).reverse()
  return setTypeMembers(s.o).map((m) => [m, 1])
}

/** zuiFind: the member's score in the source (1 for a set member), or null. */
function zuiFind(s: OpSrc, member: string): number | null {
  const o = s.o
  if (o === null) return null
  if (o.type === 'zset') return zsetScore(s.ref, o, member)
  if (o.encoding === 'intset') {
    const n = string2ll(member)
    return n !== null && intsetFind(s.ref.ctx, o.ptr, n, s.ref.key) ? 1 : null
  }
  return dictFind(s.ref.ctx, o.ptr, member) !== NO_ENTRY ? 1 : null
}

type Aggregate = 'sum' | 'min' | 'max'

/** zunionInterAggregate. */
function aggregate(target: number, val: number, agg: Aggregate): number {
  if (agg === 'sum') {
    const r = target + val
    return Number.isNaN(r) ? 0 : r
  }
  if (agg === 'min') return val < target ? val : target
  return val > target ? val : target
}

/** Adds a result member to a skiplist zset being built (zslInsert + dictAdd). */
export function zsetInsertNew(v: ValueRef, zs: Zset, ele: string, score: number): void {
  zslInsert(v.ctx, zs.zsl, score, ele, v.key)
  dictAdd(v.ctx, zs.dict, ele, score)
}

/** zunionInterDiffGenericCommand. */
/** The keyspace event of Z<op>STORE. */
const STORE_EVENT = { union: 'zunionstore', inter: 'zinterstore', diff: 'zdiffstore' } as const

function zunionInterDiffGeneric(
  c: CommandCall,
  dst: string | null,
  numkeysIndex: number,
  op: 'union' | 'inter' | 'diff',
  cardinalityOnly: boolean,
): Reply {
  const { argv } = c
  const setnumBig = getLongOrReply(argv[numkeysIndex] ?? '')
  if (typeof setnumBig === 'object') return setnumBig
  if (setnumBig < 1n) return error(`ERR at least 1 input key is needed for '${c.cmd.name}' command`)
  if (setnumBig > BigInt(argv.length - (numkeysIndex + 1))) return ERR_SYNTAX
  const setnum = Number(setnumBig)
  const src: OpSrc[] = []
  let j = numkeysIndex + 1
  for (let i = 0; i < setnum; i++, j++) {
    const k = argv[j] ?? ''
    const o = lookupKeyRead(c.srv, c.ctx, c.db, k)
    if (o !== null && o.type !== 'zset' && o.type !== 'set') return ERR_WRONGTYPE
    src.push({ o: o as ZsetObject | SetObject | null, ref: valueRefOf(c, k), weight: 1 })
  }
  let agg: Aggregate = 'sum'
  let withscores = false
  let limit = 0
  let remaining = argv.length - j
  while (remaining > 0) {
    const opt = argv[j] ?? ''
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && isToken(opt, 'WEIGHTS')) {
      j++
      remaining--
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = string2d(argv[j] ?? '')
        if (w === null) return error('ERR weight value is not a float')
        ;(src[i] as OpSrc).weight = w
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && isToken(opt, 'AGGREGATE')) {
      j++
      remaining--
      const a = argv[j] ?? ''
      if (isToken(a, 'SUM')) agg = 'sum'
      else if (isToken(a, 'MIN')) agg = 'min'
      else if (isToken(a, 'MAX')) agg = 'max'
      else return ERR_SYNTAX
      j++
      remaining--
    } else if (remaining >= 1 && dst === null && !cardinalityOnly && isToken(opt, 'WITHSCORES')) {
      j++
      remaining--
      withscores = true
    } else if (cardinalityOnly && remaining >= 2 && isToken(opt, 'LIMIT')) {
      j++
      remaining--
      const l = getPositiveLongOrReply(argv[j] ?? '', "ERR LIMIT can't be negative")
      if (typeof l === 'object') return l
      limit = Number(l)
      j++
      remaining--
    } else return ERR_SYNTAX
  }
  if (op !== 'diff') src.sort((a, b) => zuiLength(a) - zuiLength(b))

  const dv = dst !== null ? valueRefOf(c, dst) : scratchValueRef(c)
  const dstobj = createZsetObject(dv) as ContainerObject<'zset', 'skiplist'>
  const dstzset = dstobj.ptr
  let maxelelen = 0
  let totelelen = 0
  let cardinality = 0
  const note = (ele: string): void => {
    totelelen += ele.length
    if (ele.length > maxelelen) maxelelen = ele.length
  }
  const first = src[0] as OpSrc
  if (op === 'inter') {
    if (zuiLength(first) > 0) {
      for (const [ele, s0] of zuiEntries(first)) {
        let score = first.weight * s0
        if (Number.isNaN(score)) score = 0
        let all = true
        for (let k = 1; k < setnum; k++) {
          const s = src[k] as OpSrc
          if (s.o === first.o) {
            score = aggregate(score, s0 * s.weight, agg)
            continue
          }
          const value = zuiFind(s, ele)
          if (value === null) {
            all = false
            break
          }
          score = aggregate(score, value * s.weight, agg)
        }
        if (!all) continue
        if (cardinalityOnly) {
          cardinality++
          if (limit > 0 && cardinality >= limit) break
        } else {
          zsetInsertNew(dv, dstzset, ele, score)
          note(ele)
        }
      }
    }
  } else if (op === 'union') {
    const quiet = silentContext(c.ctx)
    const acc = dictCreate<number>('zunion', c.srv.hashSeed)
    dictExpand(quiet, acc, zuiLength(src[setnum - 1] as OpSrc))
    for (const s of src) {
      if (zuiLength(s) === 0) continue
      for (const [ele, s0] of zuiEntries(s)) {
        let score = s.weight * s0
        if (Number.isNaN(score)) score = 0
        // One dictAddRaw(accumulator, ele, &existing) per element, as in C: a single
        // rehash step, which decides the accumulator's (and so the result's) order.
        const before = dictSize(acc)
        const de = dictAddOrFindEntry(quiet, acc, ele, score)
        if (dictSize(acc) > before) note(ele)
        else dictSetVal(acc, de, aggregate(dictGetVal(acc, de), score, agg))
      }
    }
    dictExpand(dv.ctx, dstzset.dict, dictSize(acc))
    dictForEach(acc, (member, score) => zsetInsertNew(dv, dstzset, member, score))
  } else if (zuiLength(first) > 0) {
    zdiff(dv, src, dstzset, note)
  }

  if (cardinalityOnly) return integer(cardinality)
  if (dst !== null) {
    if (dstzset.zsl.length > 0) {
      zsetConvertToListpackIfNeeded(dv, dstobj, maxelelen, totelelen)
      setKey(c.srv, c.ctx, c.db, dst, dstobj)
      noteObjectCreated(dv, dstobj)
      // zunionInterDiffGenericCommand replies before it notifies (or deletes).
      pubsubReplyWritten(c)
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, STORE_EVENT[op], dst, c.db.id)
      c.srv.dirty++
      return integer(zsetLength(dstobj))
    }
    pubsubReplyWritten(c)
    if (dbDelete(c.ctx, c.db, dst)) {
      signalModifiedKey(c.srv, c.ctx, c.db, dst)
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', dst, c.db.id)
      c.srv.dirty++
    }
    return ZERO
  }
  const out: Reply[] = []
  const resp = c.client.resp
  for (const n of zslNodes(dstzset.zsl)) {
    out.push(bulk(n.ele ?? ''))
    if (withscores) out.push(dbl(resp, n.score))
  }
  // RESP3 nests each member with its score (the order matters, so not a map).
  return withscores ? nestPairs(resp, array(out)) : array(out)
}

/** zdiff: zsetChooseDiffAlgorithm, then algorithm 1 (probe) or 2 (add then remove). */
function zdiff(dv: ValueRef, src: OpSrc[], dstzset: Zset, note: (ele: string) => void): void {
  const first = src[0] as OpSrc
  let one = 0
  let two = 0
  for (let j = 0; j < src.length; j++) {
    if (j > 0 && first.o === (src[j] as OpSrc).o) return
    one += zuiLength(first)
    two += zuiLength(src[j] as OpSrc)
  }
  one = Math.floor(one / 2)
  if (one <= two) {
    const rest = src.slice(1).sort((a, b) => zuiLength(b) - zuiLength(a))
    for (const [ele, score] of zuiEntries(first)) {
      let exists = false
      for (const s of rest) {
        if (s.o === first.o || zuiFind(s, ele) !== null) {
          exists = true
          break
        }
      }
      if (!exists) {
        zsetInsertNew(dv, dstzset, ele, score)
        note(ele)
      }
    }
    return
  }
  let cardinality = 0
  for (let j = 0; j < src.length; j++) {
    const s = src[j] as OpSrc
    if (zuiLength(s) === 0) continue
    for (const [ele, score] of zuiEntries(s)) {
      if (j === 0) {
        zsetInsertNew(dv, dstzset, ele, score)
        cardinality++
      } else if (zsetRemoveFromSkiplist(dv, dstzset, ele)) cardinality--
      if (cardinality === 0) break
    }
    if (cardinality === 0) break
  }
  if (htNeedsResize(dstzset.dict)) dictResize(dv.ctx, dstzset.dict)
  // Algorithm 2 measures the survivors afterwards (zsetDictGetMaxElementLength).
  dictForEach(dstzset.dict, (member) => note(member))
}

function zunionstoreCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, c.argv[1] ?? '', 2, 'union', false)
}
function zinterstoreCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, c.argv[1] ?? '', 2, 'inter', false)
}
function zdiffstoreCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, c.argv[1] ?? '', 2, 'diff', false)
}
function zunionCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, null, 1, 'union', false)
}
function zinterCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, null, 1, 'inter', false)
}
function zintercardCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, null, 1, 'inter', true)
}
function zdiffCommand(c: CommandCall): Reply {
  return zunionInterDiffGeneric(c, null, 1, 'diff', false)
}

// --- The ZRANGE family ---

/**
 * zrange_result_handler: collects (member, score) pairs for the client, or adds them to a
 * new zset for ZRANGESTORE (listpack unless the announced length exceeds the limit).
 */
interface RangeHandler {
  readonly c: CommandCall
  readonly dst: string | null
  withscores: boolean
  out: Reply[]
  dstobj: ZsetObject | null
}

function rangeBegin(h: RangeHandler, length: number): void {
  if (h.dst === null) return
  const v = valueRefOf(h.c, h.dst)
  h.dstobj =
    length > h.c.srv.config.zsetMaxListpackEntries
      ? createZsetObject(v)
      : createZsetListpackObject(h.c.srv)
}

function rangeEmit(h: RangeHandler, ele: string, score: number): void {
  if (h.dst !== null) {
    if (h.dstobj !== null) zsetAdd(valueRefOf(h.c, h.dst), h.dstobj, score, ele)
    return
  }
  h.out.push(bulk(ele))
  if (h.withscores) h.out.push(dbl(h.c.client.resp, score))
}

function rangeFinalize(h: RangeHandler, count: number): Reply {
  const { c, dst } = h
  // zrangeResultBeginClient: RESP3 nests each member with its score.
  if (dst === null) return h.withscores ? nestPairs(c.client.resp, array(h.out)) : array(h.out)
  if (count > 0 && h.dstobj !== null) {
    setKey(c.srv, c.ctx, c.db, dst, h.dstobj)
    noteObjectCreated(valueRefOf(c, dst), h.dstobj)
    // zrangeResultFinalizeStore replies before it notifies (or deletes).
    pubsubReplyWritten(c)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, 'zrangestore', dst, c.db.id)
    c.srv.dirty++
    return integer(count)
  }
  pubsubReplyWritten(c)
  if (dbDelete(c.ctx, c.db, dst)) {
    signalModifiedKey(c.srv, c.ctx, c.db, dst)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', dst, c.db.id)
    c.srv.dirty++
  }
  return ZERO
}

/** genericZrangebyrankCommand. */
function zrangeByRank(
  h: RangeHandler,
  zobj: ZsetObject,
  start: number,
  end: number,
  reverse: boolean,
): Reply {
  const llen = zsetLength(zobj)
  if (start < 0) start = llen + start
  if (end < 0) end = llen + end
  if (start < 0) start = 0
  if (start > end || start >= llen) {
    rangeBegin(h, 0)
    return rangeFinalize(h, 0)
  }
  if (end >= llen) end = llen - 1
  let rangelen = end - start + 1
  const count = rangelen
  rangeBegin(h, rangelen)
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    let p = lpSeekPair(lp, reverse ? -2 - 2 * start : 2 * start)
    while (rangelen-- > 0 && p !== null) {
      rangeEmit(h, lpGet(lp, p.eptr), h.withscores || h.dst !== null ? zzlGetScore(lp, p.sptr) : 0)
      p = reverse ? zzlPrev(lp, p) : zzlNext(lp, p)
    }
  } else {
    const zsl = zobj.ptr.zsl
    const key = h.c.argv[1] ?? ''
    let ln: ZskiplistNode | null
    if (reverse) ln = start > 0 ? zslGetElementByRank(h.c.ctx, zsl, llen - start, key) : zsl.tail
    else
      ln =
        start > 0
          ? zslGetElementByRank(h.c.ctx, zsl, start + 1, key)
          : (zsl.header.level[0]?.forward ?? null)
    while (rangelen-- > 0 && ln !== null) {
      rangeEmit(h, ln.ele ?? '', ln.score)
      ln = reverse ? ln.backward : (ln.level[0]?.forward ?? null)
    }
  }
  return rangeFinalize(h, count)
}

/** lpSeek to the member entry at `index`, as a pair. */
function lpSeekPair(lp: Listpack, index: number): ZzlPos | null {
  const eptr = lpSeek(lp, index)
  if (eptr === null) return null
  const sptr = lpNext(lp, eptr)
  return sptr === null ? null : { eptr, sptr }
}

/** genericZrangebyscoreCommand. */
function zrangeByScore(
  h: RangeHandler,
  range: ZRangeSpec,
  zobj: ZsetObject,
  offset: number,
  limit: number,
  reverse: boolean,
): Reply {
  let rangelen = 0
  rangeBegin(h, -1)
  if (offset > 0 && offset >= zsetLength(zobj)) return rangeFinalize(h, 0)
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    let p = reverse ? zzlLastInRange(lp, range) : zzlFirstInRange(lp, range)
    while (p !== null && offset-- !== 0) p = reverse ? zzlPrev(lp, p) : zzlNext(lp, p)
    while (p !== null && limit-- !== 0) {
      const score = zzlGetScore(lp, p.sptr)
      if (reverse ? !zslValueGteMin(score, range) : !zslValueLteMax(score, range)) break
      rangelen++
      rangeEmit(h, lpGet(lp, p.eptr), score)
      p = reverse ? zzlPrev(lp, p) : zzlNext(lp, p)
    }
  } else {
    const zsl = zobj.ptr.zsl
    const key = h.c.argv[1] ?? ''
    let ln = reverse
      ? zslLastInRange(h.c.ctx, zsl, range, key)
      : zslFirstInRange(h.c.ctx, zsl, range, key)
    while (ln !== null && offset-- !== 0)
      ln = reverse ? ln.backward : (ln.level[0]?.forward ?? null)
    while (ln !== null && limit-- !== 0) {
      if (reverse ? !zslValueGteMin(ln.score, range) : !zslValueLteMax(ln.score, range)) break
      rangelen++
      rangeEmit(h, ln.ele ?? '', ln.score)
      ln = reverse ? ln.backward : (ln.level[0]?.forward ?? null)
    }
  }
  return rangeFinalize(h, rangelen)
}

/** genericZrangebylexCommand. */
function zrangeByLex(
  h: RangeHandler,
  range: ZLexRangeSpec,
  zobj: ZsetObject,
  offset: number,
  limit: number,
  reverse: boolean,
): Reply {
  let rangelen = 0
  rangeBegin(h, -1)
  if (offset > 0 && offset >= zsetLength(zobj)) return rangeFinalize(h, 0)
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    let p = reverse ? zzlLastInLexRange(lp, range) : zzlFirstInLexRange(lp, range)
    while (p !== null && offset-- !== 0) p = reverse ? zzlPrev(lp, p) : zzlNext(lp, p)
    while (p !== null && limit-- !== 0) {
      const ele = lpGet(lp, p.eptr)
      if (reverse ? !zslLexValueGteMin(ele, range) : !zslLexValueLteMax(ele, range)) break
      rangelen++
      rangeEmit(h, ele, h.withscores || h.dst !== null ? zzlGetScore(lp, p.sptr) : 0)
      p = reverse ? zzlPrev(lp, p) : zzlNext(lp, p)
    }
  } else {
    const zsl = zobj.ptr.zsl
    const key = h.c.argv[1] ?? ''
    let ln = reverse
      ? zslLastInLexRange(h.c.ctx, zsl, range, key)
      : zslFirstInLexRange(h.c.ctx, zsl, range, key)
    while (ln !== null && offset-- !== 0)
      ln = reverse ? ln.backward : (ln.level[0]?.forward ?? null)
    while (ln !== null && limit-- !== 0) {
      const ele = ln.ele ?? ''
      if (reverse ? !zslLexValueGteMin(ele, range) : !zslLexValueLteMax(ele, range)) break
      rangelen++
      rangeEmit(h, ele, ln.score)
      ln = reverse ? ln.backward : (ln.level[0]?.forward ?? null)
    }
  }
  return rangeFinalize(h, rangelen)
}

/** zrangeGenericCommand: options, then the range parse, then the lookup. */
function zrangeGeneric(
  c: CommandCall,
  argcStart: number,
  dst: string | null,
  rangetypeIn: RangeType | 'auto',
  directionIn: 'forward' | 'reverse' | 'auto',
): Reply {
  const { argv } = c
  const key = argv[argcStart] ?? ''
  let rangetype = rangetypeIn
  let direction = directionIn
  let minidx = argcStart + 1
  let maxidx = argcStart + 2
  let withscores = false
  let offset = 0n
  let limit = -1n
  for (let j = argcStart + 3; j < argv.length; j++) {
    const opt = argv[j] ?? ''
    const leftargs = argv.length - j - 1
    if (dst === null && isToken(opt, 'WITHSCORES')) withscores = true
    else if (isToken(opt, 'LIMIT') && leftargs >= 2) {
      const o = getLongOrReply(argv[j + 1] ?? '')
      if (typeof o === 'object') return o
      const l = getLongOrReply(argv[j + 2] ?? '')
      if (typeof l === 'object') return l
      offset = o
      limit = l
      j += 2
    } else if (direction === 'auto' && isToken(opt, 'REV')) direction = 'reverse'
    else if (rangetype === 'auto' && isToken(opt, 'BYLEX')) rangetype = 'lex'
    else if (rangetype === 'auto' && isToken(opt, 'BYSCORE')) rangetype = 'score'
    else return ERR_SYNTAX
  }
  if (direction === 'auto') direction = 'forward'
  if (rangetype === 'auto') rangetype = 'rank'
  if (limit !== -1n && rangetype === 'rank')
    return error(
      'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    )
  if (withscores && rangetype === 'lex')
    return error('ERR syntax error, WITHSCORES not supported in combination with BYLEX')
  if (direction === 'reverse' && rangetype !== 'rank') [minidx, maxidx] = [maxidx, minidx]
  let start = 0n
  let end = 0n
  let range: ZRangeSpec | null = null
  let lex: ZLexRangeSpec | null = null
  if (rangetype === 'rank') {
    const s = getLongOrReply(argv[minidx] ?? '')
    if (typeof s === 'object') return s
    const e = getLongOrReply(argv[maxidx] ?? '')
    if (typeof e === 'object') return e
    start = s
    end = e
  } else if (rangetype === 'score') {
    range = zslParseRange(argv[minidx] ?? '', argv[maxidx] ?? '')
    if (range === null) return ERR_MINMAX_FLOAT
  } else {
    lex = zslParseLexRange(argv[minidx] ?? '', argv[maxidx] ?? '')
    if (lex === null) return ERR_MINMAX_LEX
  }
  const h: RangeHandler = { c, dst, withscores: withscores || dst !== null, out: [], dstobj: null }
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) {
    if (dst === null) return EMPTY_ARRAY
    rangeBegin(h, -1)
    return rangeFinalize(h, 0)
  }
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const reverse = direction === 'reverse'
  // C longs: clamp far-out ranks to what a JS number holds exactly (the result is the same).
  const clamp = (x: bigint): number =>
    Number(x > 1n << 53n ? 1n << 53n : x < -(1n << 53n) ? -(1n << 53n) : x)
  if (rangetype === 'rank') return zrangeByRank(h, zobj, clamp(start), clamp(end), reverse)
  const off = clamp(offset)
  const lim = clamp(limit)
  if (range !== null) return zrangeByScore(h, range, zobj, off, lim, reverse)
  return zrangeByLex(h, lex as ZLexRangeSpec, zobj, off, lim, reverse)
}

function zrangeCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'auto', 'auto')
}
function zrangestoreCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 2, c.argv[1] ?? '', 'auto', 'auto')
}
function zrevrangeCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'rank', 'reverse')
}
function zrangebyscoreCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'score', 'forward')
}
function zrevrangebyscoreCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'score', 'reverse')
}
function zrangebylexCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'lex', 'forward')
}
function zrevrangebylexCommand(c: CommandCall): Reply {
  return zrangeGeneric(c, 1, null, 'lex', 'reverse')
}

// --- ZCOUNT, ZLEXCOUNT, ZCARD, ZSCORE, ZMSCORE, ZRANK ---

/**
 * Counts the skiplist nodes from `first` to `last` by their ranks, as zcountCommand and
 * zlexcountCommand do: length − (rank(first) − 1), minus what lies after `last`.
 */
function zslCountFrom(
  c: CommandCall,
  zsl: Zskiplist,
  first: ZskiplistNode,
  last: ZskiplistNode | null,
  key: string,
): number {
  let count = zsl.length - (zslGetRank(c.ctx, zsl, first.score, first.ele ?? '', key) - 1)
  if (last !== null) count -= zsl.length - zslGetRank(c.ctx, zsl, last.score, last.ele ?? '', key)
  return count
}

/** ZCOUNT key min max: by walking a listpack, by two ranks in a skiplist. */
function zcountCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const range = zslParseRange(c.argv[2] ?? '', c.argv[3] ?? '')
  if (range === null) return ERR_MINMAX_FLOAT
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) return ZERO
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  let count = 0
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    for (let p = zzlFirstInRange(lp, range); p !== null; p = zzlNext(lp, p)) {
      if (!zslValueLteMax(zzlGetScore(lp, p.sptr), range)) break
      count++
    }
  } else {
    const zsl = zobj.ptr.zsl
    const first = zslFirstInRange(c.ctx, zsl, range, key)
    count =
      first === null ? 0 : zslCountFrom(c, zsl, first, zslLastInRange(c.ctx, zsl, range, key), key)
  }
  return integer(count)
}

/** ZLEXCOUNT key min max */
function zlexcountCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const range = zslParseLexRange(c.argv[2] ?? '', c.argv[3] ?? '')
  if (range === null) return ERR_MINMAX_LEX
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) return ZERO
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  let count = 0
  if (zobj.encoding === 'listpack') {
    const lp = zobj.ptr
    for (let p = zzlFirstInLexRange(lp, range); p !== null; p = zzlNext(lp, p)) {
      if (!zslLexValueLteMax(lpGet(lp, p.eptr), range)) break
      count++
    }
  } else {
    const zsl = zobj.ptr.zsl
    const first = zslFirstInLexRange(c.ctx, zsl, range, key)
    count =
      first === null
        ? 0
        : zslCountFrom(c, zsl, first, zslLastInLexRange(c.ctx, zsl, range, key), key)
  }
  return integer(count)
}

function zcardCommand(c: CommandCall): Reply {
  const zobj = lookupZsetRead(c, c.argv[1] ?? '')
  if (zobj === null) return ZERO
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  return integer(zsetLength(zobj))
}

function zscoreCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) return NIL
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const s = zsetScore(valueRefOf(c, key), zobj, c.argv[2] ?? '')
  return s === null ? NIL : dbl(c.client.resp, s)
}

function zmscoreCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const zobj = lookupZsetRead(c, key)
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const out: Reply[] = []
  for (let j = 2; j < c.argv.length; j++) {
    const s = zobj === null ? null : zsetScore(valueRefOf(c, key), zobj, c.argv[j] ?? '')
    out.push(s === null ? NIL : dbl(c.client.resp, s))
  }
  return array(out)
}

function zrankGeneric(c: CommandCall, reverse: boolean): Reply {
  const key = c.argv[1] ?? ''
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) return NIL
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  const rank = zsetRank(valueRefOf(c, key), zobj, c.argv[2] ?? '', reverse)
  return rank >= 0 ? integer(rank) : NIL
}

function zrankCommand(c: CommandCall): Reply {
  return zrankGeneric(c, false)
}
function zrevrankCommand(c: CommandCall): Reply {
  return zrankGeneric(c, true)
}

// --- ZSCAN ---

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscanCommand(c: CommandCall): Reply {
  const cursor = parseScanCursor(c.argv[2] ?? '')
  if (typeof cursor === 'object') return cursor
  const zobj = lookupZsetRead(c, c.argv[1] ?? '')
  if (zobj === null) return array([bulk('0'), EMPTY_ARRAY])
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  if (zobj.encoding === 'listpack') {
    const items: string[] = []
    const lp = zobj.ptr
    // Scores come back as stored in the listpack (integer or d2string text).
    for (let p = zzlFirst(lp); p !== null; p = zzlNext(lp, p))
      items.push(lpGet(lp, p.eptr), lpGet(lp, p.sptr))
    return scanGeneric(c, { kind: 'all', pairs: true, items }, cursor, 3)
  }
  return scanGeneric(
    c,
    {
      kind: 'dict',
      dict: zobj.ptr.dict as never,
      pairs: true,
      // createStringObjectFromLongDouble(score, 0): "%.17Lg" of the double.
      items: (member, score) => [member, addReplyDoubleText(score as number)],
    },
    cursor,
    3,
  )
}

// --- ZPOPMIN, ZPOPMAX, ZMPOP ---

/**
 * genericZpopCommand: pops from the first existing key of `keys`. With `emitkey` the reply
 * names the key: [key, [[member, score] ...]] when `nested` (ZMPOP), else flat
 * [key, member, score ...] (BZPOPMIN/BZPOPMAX).
 */
export function genericZpop(
  c: CommandCall,
  keys: readonly string[],
  max: boolean,
  emitkey: boolean,
  countIn: number,
  nested: boolean,
  nilWhenEmpty: boolean,
): Reply {
  let zobj: ZsetObject | null = null
  let key = ''
  for (const k of keys) {
    const o = lookupZsetWrite(c, k)
    if (o === null) continue
    if (o === 'wrongtype') return ERR_WRONGTYPE
    zobj = o
    key = k
    break
  }
  if (zobj === null) return nilWhenEmpty ? NIL_ARRAY : EMPTY_ARRAY
  if (countIn === 0) return EMPTY_ARRAY
  const count = countIn === -1 ? 1 : countIn
  const llen = zsetLength(zobj)
  let rangelen = count > llen ? llen : count
  const v = valueRefOf(c, key)
  const items: Reply[] = []
  let first = true
  do {
    let ele: string
    let score: number
    if (zobj.encoding === 'listpack') {
      const p = max ? zzlLast(zobj.ptr) : zzlFirst(zobj.ptr)
      if (p === null) break
      ele = lpGet(zobj.ptr, p.eptr)
      score = zzlGetScore(zobj.ptr, p.sptr)
    } else {
      const zsl = zobj.ptr.zsl
      const n = max ? zsl.tail : (zsl.header.level[0]?.forward ?? null)
      if (n === null) break
      ele = n.ele ?? ''
      score = n.score
    }
    zsetDel(v, zobj, ele)
    c.srv.dirty++
    if (first) {
      // The reply's headers (and the key) are written: the first pop's events follow them.
      pubsubReplyAt(c, emitkey ? (nested ? 3 : 2) : 1)
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', key, c.db.id)
      signalModifiedKey(c.srv, c.ctx, c.db, key)
      first = false
    }
    if (nested) items.push(array([bulk(ele), dbl(c.client.resp, score)]))
    else items.push(bulk(ele), dbl(c.client.resp, score))
  } while (--rangelen > 0)
  if (zsetLength(zobj) === 0) {
    pubsubReplyWritten(c)
    dbDelete(c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
  }
  // ZMPOP is propagated as ZPOPMIN/ZPOPMAX key count.
  if (c.cmd.name === 'zmpop')
    rewriteCommandVector(c.srv, [max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(Math.min(count, llen))])
  if (!emitkey) return array(items)
  return nested ? array([bulk(key), array(items)]) : array([bulk(key), ...items])
}

function zpopMinMax(c: CommandCall, max: boolean): Reply {
  if (c.argv.length > 3) return ERR_SYNTAX
  let count = -1
  if (c.argv.length === 3) {
    const l = getPositiveLongOrReply(c.argv[2] ?? '')
    if (typeof l === 'object') return l
    count = l > 1n << 53n ? 2 ** 53 : Number(l)
  }
  // RESP3 nests each member with its score when a count is given (use_nested_array).
  const nested = c.client.resp === 3 && count !== -1
  return genericZpop(c, [c.argv[1] ?? ''], max, false, count, nested, false)
}

function zpopminCommand(c: CommandCall): Reply {
  return zpopMinMax(c, false)
}
function zpopmaxCommand(c: CommandCall): Reply {
  return zpopMinMax(c, true)
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpopCommand(c: CommandCall): Reply {
  const args = parseMpopArgs(c.argv, 1, 'MIN', 'MAX')
  if ('type' in args) return args
  return genericZpop(c, args.keys, !args.first, true, args.count, true, true)
}

// --- ZRANDMEMBER ---

const ZRANDMEMBER_SUB_STRATEGY_MUL = 3
const ZRANDMEMBER_RANDOM_SAMPLE_LIMIT = 1000

/** zrandmemberWithCountCommand: Redis's four cases. */
function zrandmemberWithCount(c: CommandCall, l: bigint, withscores: boolean): Reply {
  const key = c.argv[1] ?? ''
  const zobj = lookupZsetRead(c, key)
  if (zobj === null) return EMPTY_ARRAY
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  let size = zsetLength(zobj)
  const uniq = l >= 0n
  const countBig = uniq ? l : -l
  if (countBig === 0n) return EMPTY_ARRAY
  const ctx = c.ctx
  const out: Reply[] = []
  const push = (m: string, s: number): void => {
    out.push(bulk(m))
    if (withscores) out.push(dbl(c.client.resp, s))
  }
  if (!uniq || countBig === 1n) {
    // Stopped when the client passes its output limits (randomPicks.ts).
    const picks = randomPicksStart(c, countBig, withscores)
    if (!('limit' in picks)) return picks
    const pushPick = (m: string, s: number): boolean => {
      push(m, s)
      return randomPickAdded(picks, m, withscores ? out[out.length - 1] : undefined)
    }
    let count = picks.limit
    if (zobj.encoding === 'skiplist') {
      while (count-- > 0) {
        const de = dictGetFairRandomKey(ctx, zobj.ptr.dict)
        if (de === NO_ENTRY) break
        if (pushPick(dictGetKey(zobj.ptr.dict, de), dictGetVal(zobj.ptr.dict, de))) break
      }
    } else {
      const limit = Math.min(count, ZRANDMEMBER_RANDOM_SAMPLE_LIMIT)
      while (count > 0) {
        const sample = Math.min(count, limit)
        count -= sample
        for (const [m, s] of lpRandomPairs(ctx, zobj.ptr, sample))
          pushPick(m, withscores ? zzlStrtod(s) : 0)
        // zrandmemberReplyWithListpack adds a whole sample before the check.
        if (randomPicksStopped(picks)) break
      }
    }
    return randomPicksReply(picks, array(out))
  }
  // Cases 2 and 3 walk the zset with zuiNext, tail first.
  if (countBig >= BigInt(size)) {
    for (const [m, s] of zsetEntries(zobj).reverse()) push(m, s)
    return array(out)
  }
  const count = Number(countBig)
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
    const quiet = silentContext(ctx)
    const d = dictCreate<number>('zrandmember', c.srv.hashSeed)
    dictExpand(quiet, d, size)
    for (const [m, s] of zsetEntries(zobj).reverse()) dictAdd(quiet, d, m, s)
    while (size > count) {
      const de = dictGetFairRandomKey(quiet, d)
      if (de === NO_ENTRY) break
      dictDelete(quiet, d, dictGetKey(d, de))
      size--
    }
    dictForEach(d, (member, score) => push(member, score))
    return array(out)
  }
  if (zobj.encoding === 'listpack') {
    for (const [m, s] of lpRandomPairsUnique(ctx, zobj.ptr, count))
      push(m, withscores ? zzlStrtod(s) : 0)
    return array(out)
  }
  const quiet = silentContext(ctx)
  const d = dictCreate<null>('zrandmember', c.srv.hashSeed)
  dictExpand(quiet, d, count)
  let added = 0
  while (added < count) {
    const [m, s] = zsetTypeRandomElement(ctx, zobj, size)
    if (!dictAdd(quiet, d, m, null)) continue
    added++
    push(m, s)
  }
  return array(out)
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmemberCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length >= 3) {
    const l = getRangeLongOrReply(argv[2] ?? '', -LONG_MAX, LONG_MAX)
    if (typeof l === 'object') return l
    if (argv.length > 4 || (argv.length === 4 && !isToken(argv[3] ?? '', 'WITHSCORES')))
      return ERR_SYNTAX
    let withscores = false
    if (argv.length === 4) {
      withscores = true
      if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) return error('ERR value is out of range')
    }
    const r = zrandmemberWithCount(c, l, withscores)
    // RESP3 nests each member with its score (zrandmemberWithCountCommand, c->resp > 2).
    return withscores ? nestPairs(c.client.resp, r) : r
  }
  const zobj = lookupZsetRead(c, argv[1] ?? '')
  if (zobj === null) return NIL
  if (zobj === 'wrongtype') return ERR_WRONGTYPE
  return bulk(zsetTypeRandomElement(c.ctx, zobj, zsetLength(zobj))[0])
}

// --- COPY support ---

objectDuplicators.zset = (_srv, o, ref) => zsetDup(ref, o as ZsetObject)

// --- Specs ---

export const zsetCommands: readonly CommandSpec[] = [
  defineCommand('zadd', zaddCommand),
  defineCommand('zincrby', zincrbyCommand),
  defineCommand('zrem', zremCommand),
  defineCommand('zremrangebyrank', zremrangebyrankCommand),
  defineCommand('zremrangebyscore', zremrangebyscoreCommand),
  defineCommand('zremrangebylex', zremrangebylexCommand),
  defineCommand('zunionstore', zunionstoreCommand),
  defineCommand('zinterstore', zinterstoreCommand),
  defineCommand('zdiffstore', zdiffstoreCommand),
  defineCommand('zunion', zunionCommand),
  defineCommand('zinter', zinterCommand),
  defineCommand('zintercard', zintercardCommand),
  defineCommand('zdiff', zdiffCommand),
  defineCommand('zrange', zrangeCommand),
  defineCommand('zrangestore', zrangestoreCommand),
  defineCommand('zrevrange', zrevrangeCommand),
  defineCommand('zrangebyscore', zrangebyscoreCommand),
  defineCommand('zrevrangebyscore', zrevrangebyscoreCommand),
  defineCommand('zrangebylex', zrangebylexCommand),
  defineCommand('zrevrangebylex', zrevrangebylexCommand),
  defineCommand('zcount', zcountCommand),
  defineCommand('zlexcount', zlexcountCommand),
  defineCommand('zcard', zcardCommand),
  defineCommand('zscore', zscoreCommand),
  defineCommand('zmscore', zmscoreCommand),
  defineCommand('zrank', zrankCommand),
  defineCommand('zrevrank', zrevrankCommand),
  defineCommand('zscan', zscanCommand),
  defineCommand('zpopmin', zpopminCommand),
  defineCommand('zpopmax', zpopmaxCommand),
  defineCommand('zmpop', zmpopCommand),
  defineCommand('zrandmember', zrandmemberCommand),
]
