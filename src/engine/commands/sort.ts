/**
 * SORT and SORT_RO — follows redis/src/sort.c (7.0.15) sortCommandGeneric.
 *
 * Design: the options are parsed left to right (ASC DESC ALPHA LIMIT STORE BY GET, any
 * order, the last of each winning), then the key is read: a list, set or sorted set (a
 * missing key sorts as an empty list). A sorted set is converted to a skiplist first, for
 * good, as Redis does. The vector of elements is loaded in the value's own order (list head
 * to tail, intset ascending, dict bucket order for a hashtable set or a skiplist's dict),
 * with two shortcuts when BY names a constant key (no '*': nothing to sort): a list or
 * sorted set loads just the LIMIT window, in ASC/DESC order, and a set is sorted ALPHA
 * anyway when the result is STOREd. Weights come from the element itself or from the BY
 * pattern (lookupKeyByPattern: '*' replaced by the element, "->field" reads a hash field);
 * numeric weights are read with C strtod rules, and any element that does not read as a
 * number fails the command after the sort. The comparison is sortCompare: by score with a
 * byte-wise tie-break, or ALPHA by strcoll (byte order in the C / C.UTF-8 locales Redis runs
 * in) or, for STORE, binary comparison. glibc's qsort is a stable merge sort, so a stable
 * sort gives the same order; Redis uses pqsort for BY with a LIMIT (util/pqsort.ts, ported
 * step for step), which leaves elements whose weights compare equal under ALPHA BY (the one
 * comparison with ties) in its own unstable order. The result is replied (GET patterns per element,
 * nil for a missing key) or STOREd as a new list (missing GETs stored as "").
 */
import { aclUserCheckCmdWithUnrestrictedReadAccess } from '../acl.ts'
import { cstr } from '../bytes.ts'
import { pqsort } from '../util/pqsort.ts'
import { dbDelete, lookupKeyRead, setKey, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_LIST, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import { bulk, error, ERR_SYNTAX, ERR_WRONGTYPE, integer, NIL, type Reply } from '../reply.ts'
import { dictForEach } from '../structures/dict.ts'
import { zslNodes } from '../structures/skiplist.ts'
import { noteObjectCreated, valueRefOf } from '../types/container.ts'
import { hashTypeGetValue, type HashObject } from '../types/t_hash.ts'
import { quicklistSetOptions } from '../structures/quicklist.ts'
import {
  createQuicklistObject,
  listTypeLength,
  listTypePush,
  listTypeRange,
  type ListObject,
} from '../types/t_list.ts'
import { setTypeMembers, setTypeSize, type SetObject } from '../types/t_set.ts'
import { zsetConvert, zsetLength, type ZsetObject } from '../types/t_zset.ts'
import { getDecodedString, type RedisObject } from '../types/object.ts'
import { ERANGE, libc } from '../util/errno.ts'
import { parseDouble, string2ll, strtodErange } from '../util/numbers.ts'
import { eqIgnoreCase, getLongOrReply } from './parse.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyAt } from './pubsub.ts'

/** redisSortObject: the element, and its numeric score or ALPHA compare string. */
interface SortObject {
  readonly obj: string
  score: number
  cmpobj: string | null
}

/** The bytes of a string object (int-encoded ones in decimal). */
function stringBytes(o: RedisObject): string {
  if (o.type !== 'string') return ''
  return getDecodedString(o)
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' of the pattern (as a
 * C string) is replaced by the element and the key read, a string, or with "->field" after
 * the '*' a hash field. Null when the pattern has no '*', the key is missing or of another
 * type, or the field is missing.
 */
function lookupKeyByPattern(
  c: CommandCall,
  pattern: string,
  subst: string,
  enc?: IntEncoded,
): string | null {
  const spat = cstr(pattern)
  if (spat === '#') return subst
  const star = spat.indexOf('*')
  if (star < 0) return null
  const arrow = spat.indexOf('->', star + 1)
  // "->" followed by at least one byte (of the C string) marks a hash field.
  const field = arrow >= 0 && arrow + 2 < spat.length ? pattern.slice(arrow + 2) : null
  const postfixEnd = field === null ? pattern.length : arrow
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, postfixEnd)
  const o = lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (o === null) return null
  if (field !== null) {
    if (o.type !== 'hash') return null
    const v = hashTypeGetValue(valueRefOf(c, key), o as HashObject, field)
    // hashTypeGetValueObject: a listpack integer comes back as an int-encoded object.
    if (enc !== undefined && v !== null)
      enc.int = o.encoding === 'listpack' && string2ll(v) !== null
    return v
  }
  if (o.type !== 'string') return null
  if (enc !== undefined) enc.int = o.encoding === 'int'
  return stringBytes(o)
}

/** Whether the object Redis sorts by is int-encoded (its weight is a cast, not strtod). */
interface IntEncoded {
  int: boolean
}

/** Tells whether a byte is a C isspace() character. */
function isCSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13)
}

/**
 * `strtod(byval->ptr, &eptr)` as SORT checks it: the C string must be consumed whole (an
 * empty one reads as 0), with errno not ERANGE (overflow, underflow, an inexact subnormal,
 * or an ERANGE an earlier command left there: sort.c does not clear errno, util/errno.ts)
 * and no NaN. Returns null for what Redis counts as a conversion error.
 */
export function sortStrtod(s: string): number | null {
  const text = cstr(s)
  if (strtodErange(text)) libc.errno = ERANGE
  if (libc.errno === ERANGE) return null
  if (text === '') return 0
  let i = 0
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++
  if (i === text.length) return null
  const body = text.slice(i)
  const v = parseDouble(body)
  if (v === null) return null
  const hex = /^[+-]?0[xX]/.test(body)
  if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308 && !hex) return null
  return v
}

/** compareStringObjects: memcmp of the common prefix, then the shorter first. */
function compareBinary(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}

/** strcoll in the C / C.UTF-8 locales: byte order, up to the first NUL of each. */
function compareColl(a: string, b: string): number {
  return compareBinary(cstr(a), cstr(b))
}

interface SortFlags {
  readonly desc: boolean
  readonly alpha: boolean
  readonly bypattern: boolean
  readonly store: boolean
}

/** sortCompare. */
function sortCompare(f: SortFlags, a: SortObject, b: SortObject): number {
  let cmp: number
  if (!f.alpha) {
    if (a.score > b.score) cmp = 1
    else if (a.score < b.score) cmp = -1
    else cmp = compareBinary(a.obj, b.obj)
  } else if (f.bypattern) {
    if (a.cmpobj === null || b.cmpobj === null) {
      if (a.cmpobj === b.cmpobj) cmp = 0
      else cmp = a.cmpobj === null ? -1 : 1
    } else cmp = f.store ? compareBinary(a.cmpobj, b.cmpobj) : compareColl(a.cmpobj, b.cmpobj)
  } else cmp = f.store ? compareBinary(a.obj, b.obj) : compareColl(a.obj, b.obj)
  return f.desc ? -cmp : cmp
}

type Sortable = ListObject | SetObject | ZsetObject

/** sortCommandGeneric. */
function sortGeneric(c: CommandCall, readonly: boolean): Reply {
  const { argv } = c
  let desc = false
  let alpha = false
  let limitStart = 0n
  let limitCount = -1n
  let dontsort = false
  let sortby: string | null = null
  let storekey: string | null = null
  const getops: string[] = []
  // ACLUserCheckCmdWithUnrestrictedKeyAccess: BY and GET patterns may name any key, so they
  // need a selector that allows SORT and reads every key.
  let fullAccess: boolean | null = null
  const fullKeyAccess = (): boolean =>
    (fullAccess ??=
      !c.srv.aclRestricted ||
      aclUserCheckCmdWithUnrestrictedReadAccess(c.client.user, c.cmd, c.cmd.name, argv))
  for (let j = 2; j < argv.length; j++) {
    const arg = argv[j] ?? ''
    const leftargs = argv.length - j - 1
    if (eqIgnoreCase(arg, 'asc')) desc = false
    else if (eqIgnoreCase(arg, 'desc')) desc = true
    else if (eqIgnoreCase(arg, 'alpha')) alpha = true
    else if (eqIgnoreCase(arg, 'limit') && leftargs >= 2) {
      const s = getLongOrReply(argv[j + 1] ?? '')
      if (typeof s === 'object') return s
      const n = getLongOrReply(argv[j + 2] ?? '')
      if (typeof n === 'object') return n
      limitStart = s
      limitCount = n
      j += 2
    } else if (!readonly && eqIgnoreCase(arg, 'store') && leftargs >= 1) {
      storekey = argv[++j] ?? ''
    } else if (eqIgnoreCase(arg, 'by') && leftargs >= 1) {
      sortby = argv[++j] ?? ''
      // A pattern without '*' names one key for every element: nothing to sort by. A later
      // BY with a '*' does not undo it (Redis only ever sets dontsort).
      if (!cstr(sortby).includes('*')) dontsort = true
      else if (!fullKeyAccess())
        return error('ERR BY option of SORT denied due to insufficient ACL permissions.')
    } else if (eqIgnoreCase(arg, 'get') && leftargs >= 1) {
      if (!fullKeyAccess())
        return error('ERR GET option of SORT denied due to insufficient ACL permissions.')
      getops.push(argv[++j] ?? '')
    } else return ERR_SYNTAX
  }

  const key = argv[1] ?? ''
  const found = lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (found !== null && found.type !== 'list' && found.type !== 'set' && found.type !== 'zset')
    return ERR_WRONGTYPE
  const sortval = found as Sortable | null

  // A set has no order of its own: sort it when the result is stored (or scripted).
  if (dontsort && sortval?.type === 'set' && storekey !== null) {
    dontsort = false
    alpha = true
    sortby = null
  }
  // Destructively convert a listpack sorted set for SORT.
  if (sortval?.type === 'zset' && sortval.encoding === 'listpack') {
    zsetConvert(valueRefOf(c, key), sortval, 'skiplist', 'sort', { key })
    memValueTouched(c.db.dict, sortval)
  }

  let vectorlen = 0
  if (sortval?.type === 'list') vectorlen = listTypeLength(sortval)
  else if (sortval?.type === 'set') vectorlen = setTypeSize(sortval)
  else if (sortval?.type === 'zset') vectorlen = zsetLength(sortval)

  // LIMIT sanity checks, clamped to the object's size.
  const len = BigInt(vectorlen)
  let start = Number(limitStart < 0n ? 0n : limitStart > len ? len : limitStart)
  const count = Number(limitCount < -1n ? -1n : limitCount > len ? len : limitCount)
  let end = count < 0 ? vectorlen - 1 : start + count - 1
  if (start >= vectorlen) {
    start = vectorlen - 1
    end = vectorlen - 2
  }
  if (end >= vectorlen) end = vectorlen - 1

  let vector: SortObject[] = []
  const entry = (obj: string): SortObject => ({ obj, score: 0, cmpobj: null })
  if (sortval === null) {
    // An empty list.
  } else if (dontsort && sortval.type !== 'set') {
    // A list or sorted set in its own order: just the LIMIT window, ASC or DESC.
    if (end >= start) {
      const n = end - start + 1
      let items: string[]
      if (sortval.type === 'list') {
        items = desc
          ? listTypeRange(sortval, vectorlen - start - n, vectorlen - start - 1, true)
          : listTypeRange(sortval, start, end, false)
      } else {
        const nodes = zslNodes((sortval as ZsetObject & { encoding: 'skiplist' }).ptr.zsl)
        const inRange = desc
          ? nodes.slice(vectorlen - start - n, vectorlen - start).reverse()
          : nodes.slice(start, end + 1)
        items = inRange.map((node) => node.ele ?? '')
      }
      vector = items.map(entry)
      end -= start
      start = 0
    }
  } else if (sortval.type === 'list') {
    vector = listTypeRange(sortval, 0, -1, false).map(entry)
  } else if (sortval.type === 'set') {
    vector = setTypeMembers(sortval).map(entry)
  } else {
    const zs = (sortval as ZsetObject & { encoding: 'skiplist' }).ptr
    dictForEach(zs.dict, (member) => vector.push(entry(member)))
  }

  let conversionError = false
  if (!dontsort) {
    // listTypeGet gives a listpack integer as an int-encoded object; set and sorted set
    // members come as strings.
    const listInts = sortval?.type === 'list'
    const enc: IntEncoded = { int: false }
    for (const so of vector) {
      let byval: string
      enc.int = listInts && string2ll(so.obj) !== null
      if (sortby !== null) {
        const v = lookupKeyByPattern(c, sortby, so.obj, enc)
        if (v === null) continue
        byval = v
      } else byval = so.obj
      if (alpha) {
        if (sortby !== null) so.cmpobj = byval
      } else if (enc.int) {
        so.score = Number(byval)
      } else {
        const d = sortStrtod(byval)
        if (d === null) conversionError = true
        else so.score = d
      }
    }
    const flags: SortFlags = { desc, alpha, bypattern: sortby !== null, store: storekey !== null }
    const compare = (a: SortObject, b: SortObject) => sortCompare(flags, a, b)
    // sort.c: a partial sort when BY and a LIMIT narrower than the whole; otherwise glibc's
    // qsort, a stable merge sort here, like Array.prototype.sort.
    if (sortby !== null && (start !== 0 || end !== vector.length - 1))
      pqsort(vector, compare, start, end)
    else vector.sort(compare)
  }

  const outputlen = getops.length > 0 ? getops.length * (end - start + 1) : end - start + 1
  if (conversionError) return error("ERR One or more scores can't be converted into double")
  if (storekey === null) {
    const out: Reply[] = []
    for (let j = start; j <= end; j++) {
      const so = vector[j] as SortObject
      if (getops.length === 0) out.push(bulk(so.obj))
      for (const pattern of getops) {
        // sortCommand writes the array's header first: a GET's keymiss event comes between
        // the elements.
        pubsubReplyAt(c, out.length + 1)
        const val = lookupKeyByPattern(c, pattern, so.obj)
        out.push(val === null ? NIL : bulk(val))
      }
    }
    return { type: 'array', value: out }
  }
  const sobj = createQuicklistObject(c.srv)
  // sort.c creates the STORE list with plain createQuicklistObject(): quicklistCreate's
  // defaults (fill -2, no compression), not list-max-listpack-size / list-compress-depth.
  quicklistSetOptions(sobj.ptr, -2, 0)
  const dst = valueRefOf(c, storekey)
  for (let j = start; j <= end; j++) {
    const so = vector[j] as SortObject
    if (getops.length === 0) listTypePush(dst, sobj, so.obj, 'tail')
    for (const pattern of getops)
      listTypePush(dst, sobj, lookupKeyByPattern(c, pattern, so.obj) ?? '', 'tail')
  }
  if (outputlen > 0) {
    setKey(c.srv, c.ctx, c.db, storekey, sobj)
    noteObjectCreated(dst, sobj)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, 'sortstore', storekey, c.db.id)
    c.srv.dirty += outputlen
  } else if (dbDelete(c.ctx, c.db, storekey)) {
    signalModifiedKey(c.srv, c.ctx, c.db, storekey)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', storekey, c.db.id)
    c.srv.dirty++
  }
  return integer(outputlen)
}

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination] */
function sortCommand(c: CommandCall): Reply {
  return sortGeneric(c, false)
}

/** SORT_RO: SORT without STORE. */
function sortRoCommand(c: CommandCall): Reply {
  return sortGeneric(c, true)
}

export const sortCommands: readonly CommandSpec[] = [
  defineCommand('sort', sortCommand),
  defineCommand('sort_ro', sortRoCommand),
]
