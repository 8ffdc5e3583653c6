/**
 * List commands — follows redis/src/t_list.c (7.0.15): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP
 * (with count) LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP.
 *
 * The blocking variants (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) are in blocking.ts, on top
 * of the pops and moves exported here.
 *
 * Every list is a quicklist (types/t_list.ts); the handlers keep Redis's order of argument
 * parsing, lookup and type check, and its index normalisation for ranges.
 */
import { rewriteCommandVector } from '../replication.ts'
import { dbAdd, dbDelete, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_LIST, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import {
  array,
  bulk,
  bulkArray,
  EMPTY_ARRAY,
  error,
  ERR_NO_SUCH_KEY,
  ERR_OUT_OF_RANGE,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  NIL,
  NIL_ARRAY,
  OK,
  ZERO,
  type Reply,
} from '../reply.ts'
import {
  quicklistDelEntry,
  quicklistGetIteratorAtIdx,
  quicklistIndex,
  quicklistInsertAfter,
  quicklistInsertBefore,
  quicklistNext,
  quicklistReleaseIterator,
  quicklistReplaceAtIndex,
} from '../structures/quicklist.ts'
import { noteObjectCreated, valueRefOf } from '../types/container.ts'
import {
  createQuicklistObject,
  listTypeDelRange,
  listTypeDup,
  listTypeLength,
  listTypePop,
  listTypePush,
  listTypeRange,
  type ListObject,
} from '../types/t_list.ts'
import { isToken, lookupOfType, parseMpopArgs, wrongArity } from './common.ts'
import { objectDuplicators } from './generic.ts'
import { getLongOrReply, getPositiveLongOrReply } from './parse.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

export type Where = 'head' | 'tail'

type Lookup = ListObject | null | 'wrongtype'

function lookupListRead(c: CommandCall, key: string): Lookup {
  return lookupOfType<ListObject>(c, key, 'list', false)
}

function lookupListWrite(c: CommandCall, key: string): Lookup {
  return lookupOfType<ListObject>(c, key, 'list', true)
}

/** A JS number from a C long (ranks beyond 2^53 behave like 2^53 for any real list). */
function clampLong(x: bigint): number {
  const lim = 1n << 53n
  return Number(x > lim ? lim : x < -lim ? -lim : x)
}

/** A new quicklist at `key` (createQuicklistObject + quicklistSetOptions + dbAdd). */
function createListAt(c: CommandCall, key: string): ListObject {
  const o = createQuicklistObject(c.srv)
  dbAdd(c.ctx, c.db, key, o, c.srv)
  noteObjectCreated(valueRefOf(c, key), o)
  memValueTouched(c.db.dict, o)
  return o
}

// --- LPUSH, RPUSH, LPUSHX, RPUSHX ---

/** pushGenericCommand. */
function pushGeneric(c: CommandCall, where: Where, xx: boolean): Reply {
  const key = c.argv[1] ?? ''
  let o = lookupListWrite(c, key)
  if (o === 'wrongtype') return ERR_WRONGTYPE
  if (o === null) {
    if (xx) return ZERO
    o = createListAt(c, key)
  }
  const v = valueRefOf(c, key)
  for (let j = 2; j < c.argv.length; j++) {
    listTypePush(v, o, c.argv[j] ?? '', where)
    c.srv.dirty++
  }
  const len = listTypeLength(o)
  // t_list.c replies before it notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, pushEvent(where), key, c.db.id)
  return integer(len)
}

const lpushCommand = (c: CommandCall): Reply => pushGeneric(c, 'head', false)
const rpushCommand = (c: CommandCall): Reply => pushGeneric(c, 'tail', false)
const lpushxCommand = (c: CommandCall): Reply => pushGeneric(c, 'head', true)
const rpushxCommand = (c: CommandCall): Reply => pushGeneric(c, 'tail', true)

// --- LINSERT, LLEN, LINDEX, LSET ---

/** LINSERT key BEFORE|AFTER pivot element */
function linsertCommand(c: CommandCall): Reply {
  const { argv } = c
  const pos = argv[2] ?? ''
  let after: boolean
  if (isToken(pos, 'AFTER')) after = true
  else if (isToken(pos, 'BEFORE')) after = false
  else return ERR_SYNTAX
  const key = argv[1] ?? ''
  const o = lookupListWrite(c, key)
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const pivot = argv[3] ?? ''
  const value = argv[4] ?? ''
  const iter = quicklistGetIteratorAtIdx(o.ptr, 'head', 0, c.ctx, key)
  let inserted = false
  for (
    let e = iter === null ? null : quicklistNext(iter);
    e !== null;
    e = iter === null ? null : quicklistNext(iter)
  ) {
    if (e.value === pivot) {
      if (after) quicklistInsertAfter(c.ctx, o.ptr, e, value, key)
      else quicklistInsertBefore(c.ctx, o.ptr, e, value, key)
      inserted = true
      break
    }
  }
  // The insert reset the iterator (resetIterator): only an unused one has a node to release.
  if (!inserted) {
    quicklistReleaseIterator(iter)
    return integer(-1)
  }
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, 'linsert', key, c.db.id)
  c.srv.dirty++
  return integer(listTypeLength(o))
}

/** LLEN key */
function llenCommand(c: CommandCall): Reply {
  const o = lookupListRead(c, c.argv[1] ?? '')
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return integer(listTypeLength(o))
}

/** LINDEX key index (the lookup comes before the index parse, as in Redis). */
function lindexCommand(c: CommandCall): Reply {
  const o = lookupListRead(c, c.argv[1] ?? '')
  if (o === null) return NIL
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const index = getLongOrReply(c.argv[2] ?? '')
  if (typeof index === 'object') return index
  return bulk(quicklistIndex(o.ptr, clampLong(index), c.ctx, c.argv[1] ?? ''))
}

/** LSET key index element */
function lsetCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupListWrite(c, key)
  if (o === null) return ERR_NO_SUCH_KEY
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const index = getLongOrReply(c.argv[2] ?? '')
  if (typeof index === 'object') return index
  if (!quicklistReplaceAtIndex(c.ctx, o.ptr, clampLong(index), c.argv[3] ?? '', key))
    return ERR_OUT_OF_RANGE
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, 'lset', key, c.db.id)
  c.srv.dirty++
  return OK
}

// --- LPOP, RPOP, LMPOP ---

/** The keyspace event of a push at `where`. */
export function pushEvent(where: Where): string {
  return where === 'head' ? 'lpush' : 'rpush'
}

/** The keyspace event of a pop at `where`. */
export function popEvent(where: Where): string {
  return where === 'head' ? 'lpop' : 'rpop'
}

/** t_list.c's "delete the key when the list is empty" with its "del" notification. */
export function listDeleteIfEmpty(c: CommandCall, key: string, o: ListObject): void {
  if (listTypeLength(o) !== 0) return
  dbDelete(c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
}

/**
 * listElementsRemoved: notify the pop, delete the key when empty, signal, count. The popped
 * elements were already replied (listPopRangeAndReplyWithKey, popGenericCommand).
 */
function listElementsRemoved(
  c: CommandCall,
  key: string,
  where: Where,
  o: ListObject,
  count: number,
): void {
  pubsubReplyWritten(c)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, popEvent(where), key, c.db.id)
  listDeleteIfEmpty(c, key, o)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  c.srv.dirty += count
}

/** Pops up to `count` elements from one end: the reply elements, in pop order. */
export function popRange(
  c: CommandCall,
  key: string,
  o: ListObject,
  where: Where,
  count: number,
): string[] {
  const llen = listTypeLength(o)
  const rangelen = count > llen ? llen : count
  const rangestart = where === 'head' ? 0 : -rangelen
  const rangeend = where === 'head' ? rangelen - 1 : -1
  const v = valueRefOf(c, key)
  const items = listTypeRange(o, rangestart, rangeend, where === 'tail', v)
  listTypeDelRange(v, o, rangestart, rangelen)
  listElementsRemoved(c, key, where, o, rangelen)
  return items
}

/** popGenericCommand: LPOP/RPOP key [count]. */
function popGeneric(c: CommandCall, where: Where): Reply {
  const { argv } = c
  const hascount = argv.length === 3
  if (argv.length > 3) return wrongArity(c.cmd.name)
  let count = 0
  if (hascount) {
    const l = getPositiveLongOrReply(argv[2] ?? '')
    if (typeof l === 'object') return l
    count = clampLong(l)
  }
  const key = argv[1] ?? ''
  const o = lookupListWrite(c, key)
  if (o === null) return hascount ? NIL_ARRAY : NIL
  if (o === 'wrongtype') return ERR_WRONGTYPE
  if (hascount && count === 0) return EMPTY_ARRAY
  if (count === 0) return bulk(popOne(c, key, o, where))
  return bulkArray(popRange(c, key, o, where, count))
}

/** Pops one element of a non-empty list (listTypePop + listElementsRemoved). */
export function popOne(c: CommandCall, key: string, o: ListObject, where: Where): string {
  const value = listTypePop(valueRefOf(c, key), o, where) ?? ''
  listElementsRemoved(c, key, where, o, 1)
  return value
}

const lpopCommand = (c: CommandCall): Reply => popGeneric(c, 'head')
const rpopCommand = (c: CommandCall): Reply => popGeneric(c, 'tail')

/** getListPositionFromObjectOrReply: LEFT or RIGHT. */
export function listPosition(arg: string): Where | null {
  if (isToken(arg, 'RIGHT')) return 'tail'
  if (isToken(arg, 'LEFT')) return 'head'
  return null
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpopCommand(c: CommandCall): Reply {
  const args = parseMpopArgs(c.argv, 1, 'LEFT', 'RIGHT')
  if ('type' in args) return args
  const where = args.first ? 'head' : 'tail'
  for (const key of args.keys) {
    const o = lookupListWrite(c, key)
    if (o === null) continue
    if (o === 'wrongtype') return ERR_WRONGTYPE
    const llen = listTypeLength(o)
    if (llen === 0) continue
    const items = popRange(c, key, o, where, args.count)
    // Propagated as [LR]POP key count.
    rewriteCommandVector(c.srv, [
      where === 'head' ? 'LPOP' : 'RPOP',
      key,
      String(Math.min(args.count, llen)),
    ])
    return array([bulk(key), bulkArray(items)])
  }
  return NIL_ARRAY
}

// --- LRANGE, LTRIM, LPOS, LREM ---

/** LRANGE key start stop */
function lrangeCommand(c: CommandCall): Reply {
  const start = getLongOrReply(c.argv[2] ?? '')
  if (typeof start === 'object') return start
  const end = getLongOrReply(c.argv[3] ?? '')
  if (typeof end === 'object') return end
  const o = lookupListRead(c, c.argv[1] ?? '')
  if (o === null) return EMPTY_ARRAY
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, c.argv[1] ?? '')
  return bulkArray(listTypeRange(o, clampLong(start), clampLong(end), false, v))
}

/** LTRIM key start stop */
function ltrimCommand(c: CommandCall): Reply {
  const s = getLongOrReply(c.argv[2] ?? '')
  if (typeof s === 'object') return s
  const e = getLongOrReply(c.argv[3] ?? '')
  if (typeof e === 'object') return e
  const key = c.argv[1] ?? ''
  const o = lookupListWrite(c, key)
  if (o === null) return OK
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const llen = listTypeLength(o)
  let start = clampLong(s)
  let end = clampLong(e)
  if (start < 0) start = llen + start
  if (end < 0) end = llen + end
  if (start < 0) start = 0
  let ltrim: number
  let rtrim: number
  if (start > end || start >= llen) {
    ltrim = llen
    rtrim = 0
  } else {
    if (end >= llen) end = llen - 1
    ltrim = start
    rtrim = llen - end - 1
  }
  const v = valueRefOf(c, key)
  listTypeDelRange(v, o, 0, ltrim)
  listTypeDelRange(v, o, -rtrim, rtrim)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, 'ltrim', key, c.db.id)
  listDeleteIfEmpty(c, key, o)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  // Counted even when nothing was trimmed (the key is still signalled as modified).
  c.srv.dirty += ltrim + rtrim
  c.srv.dirtyCounted = true
  return OK
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lposCommand(c: CommandCall): Reply {
  const { argv } = c
  const ele = argv[2] ?? ''
  let rank = 1n
  let count = -1n
  let maxlen = 0n
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j] ?? ''
    const moreargs = argv.length - 1 - j
    if (isToken(opt, 'RANK') && moreargs > 0) {
      j++
      const r = getLongOrReply(argv[j] ?? '')
      if (typeof r === 'object') return r
      if (r === 0n)
        return error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        )
      rank = r
    } else if (isToken(opt, 'COUNT') && moreargs > 0) {
      j++
      const n = getPositiveLongOrReply(argv[j] ?? '', "ERR COUNT can't be negative")
      if (typeof n === 'object') return n
      count = n
    } else if (isToken(opt, 'MAXLEN') && moreargs > 0) {
      j++
      const n = getPositiveLongOrReply(argv[j] ?? '', "ERR MAXLEN can't be negative")
      if (typeof n === 'object') return n
      maxlen = n
    } else return ERR_SYNTAX
  }
  let fromTail = false
  if (rank < 0n) {
    // C's -LONG_MIN wraps to LONG_MIN itself: such a rank stays negative (any match counts).
    rank = BigInt.asIntN(64, -rank)
    fromTail = true
  }
  const o = lookupListRead(c, argv[1] ?? '')
  if (o === null) return count !== -1n ? EMPTY_ARRAY : NIL
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const llen = listTypeLength(o)
  const iter = quicklistGetIteratorAtIdx(
    o.ptr,
    fromTail ? 'tail' : 'head',
    fromTail ? -1 : 0,
    c.ctx,
    argv[1] ?? '',
  )
  const out: Reply[] = []
  let index = 0n
  let matches = 0n
  let matchindex = -1
  for (;;) {
    const e = iter === null ? null : quicklistNext(iter)
    if (e === null || (maxlen !== 0n && index >= maxlen)) break
    if (e.value === ele) {
      matches++
      matchindex = fromTail ? llen - Number(index) - 1 : Number(index)
      if (matches >= rank) {
        if (count !== -1n) {
          out.push(integer(matchindex))
          if (count !== 0n && BigInt.asIntN(64, matches - rank + 1n) >= count) break
        } else break
      }
    }
    index++
    matchindex = -1
  }
  quicklistReleaseIterator(iter)
  if (count !== -1n) return array(out)
  return matchindex !== -1 ? integer(matchindex) : NIL
}

/** LREM key count element */
function lremCommand(c: CommandCall): Reply {
  const n = getLongOrReply(c.argv[2] ?? '')
  if (typeof n === 'object') return n
  const key = c.argv[1] ?? ''
  const o = lookupListWrite(c, key)
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const obj = c.argv[3] ?? ''
  let toremove = n
  const fromTail = toremove < 0n
  if (fromTail) toremove = -toremove
  const iter = quicklistGetIteratorAtIdx(
    o.ptr,
    fromTail ? 'tail' : 'head',
    fromTail ? -1 : 0,
    c.ctx,
    key,
  )
  let removed = 0n
  for (
    let e = iter === null ? null : quicklistNext(iter);
    e !== null && iter !== null;
    e = quicklistNext(iter)
  ) {
    if (e.value === obj) {
      quicklistDelEntry(c.ctx, iter, e, key)
      c.srv.dirty++
      removed++
      if (toremove !== 0n && removed === toremove) break
    }
  }
  quicklistReleaseIterator(iter)
  if (removed > 0n) {
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, 'lrem', key, c.db.id)
  }
  listDeleteIfEmpty(c, key, o)
  return integer(Number(removed))
}

// --- LMOVE, RPOPLPUSH ---

/** lmoveGenericCommand. */
export function lmoveGeneric(c: CommandCall, wherefrom: Where, whereto: Where): Reply {
  const src = c.argv[1] ?? ''
  const dst = c.argv[2] ?? ''
  const sobj = lookupListWrite(c, src)
  if (sobj === null) return NIL
  if (sobj === 'wrongtype') return ERR_WRONGTYPE
  if (listTypeLength(sobj) === 0) return NIL
  const dobj = lookupListWrite(c, dst)
  if (dobj === 'wrongtype') return ERR_WRONGTYPE
  const value = listTypePop(valueRefOf(c, src), sobj, wherefrom) ?? ''
  lmoveHandlePush(c, dst, dobj, value, whereto)
  // lmoveHandlePush ends with the reply: the pop's notifications follow it.
  pubsubReplyWritten(c)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, popEvent(wherefrom), src, c.db.id)
  listDeleteIfEmpty(c, src, sobj)
  signalModifiedKey(c.srv, c.ctx, c.db, src)
  c.srv.dirty++
  return bulk(value)
}

/** t_list.c lmoveHandlePush: create the destination if missing, signal it, push, notify. */
export function lmoveHandlePush(
  c: CommandCall,
  dst: string,
  dobj: ListObject | null,
  value: string,
  whereto: Where,
): void {
  dobj ??= createListAt(c, dst)
  signalModifiedKey(c.srv, c.ctx, c.db, dst)
  listTypePush(valueRefOf(c, dst), dobj, value, whereto)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_LIST, pushEvent(whereto), dst, c.db.id)
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmoveCommand(c: CommandCall): Reply {
  const from = listPosition(c.argv[3] ?? '')
  if (from === null) return ERR_SYNTAX
  const to = listPosition(c.argv[4] ?? '')
  if (to === null) return ERR_SYNTAX
  return lmoveGeneric(c, from, to)
}

/** RPOPLPUSH source destination */
function rpoplpushCommand(c: CommandCall): Reply {
  return lmoveGeneric(c, 'tail', 'head')
}

// --- COPY support ---

objectDuplicators.list = (srv, o) => listTypeDup(srv, o as ListObject)

// --- Specs ---

export const listCommands: readonly CommandSpec[] = [
  defineCommand('lpush', lpushCommand),
  defineCommand('rpush', rpushCommand),
  defineCommand('lpushx', lpushxCommand),
  defineCommand('rpushx', rpushxCommand),
  defineCommand('linsert', linsertCommand),
  defineCommand('llen', llenCommand),
  defineCommand('lindex', lindexCommand),
  defineCommand('lset', lsetCommand),
  defineCommand('lpop', lpopCommand),
  defineCommand('rpop', rpopCommand),
  defineCommand('lmpop', lmpopCommand),
  defineCommand('lrange', lrangeCommand),
  defineCommand('ltrim', ltrimCommand),
  defineCommand('lpos', lposCommand),
  defineCommand('lrem', lremCommand),
  defineCommand('lmove', lmoveCommand),
  defineCommand('rpoplpush', rpoplpushCommand),
]
