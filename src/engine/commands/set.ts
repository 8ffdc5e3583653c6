/**
 * Set commands — follows redis/src/t_set.c (7.0.15): SADD SREM SISMEMBER SMISMEMBER SCARD
 * SMEMBERS SRANDMEMBER SPOP SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
 * SDIFFSTORE SSCAN.
 *
 * SPOP and SRANDMEMBER with a count keep Redis's case analysis (negative count: independent
 * draws; count ≥ size: everything; count close to size: copy and remove random members;
 * otherwise: draw until enough distinct ones), with every draw from ctx.rng. SINTER iterates
 * the smallest set and probes the others; SDIFF picks between Redis's two algorithms by the
 * same work estimate. Results (and *STORE destinations) are built as new sets starting as
 * intsets, so their encoding and iteration order are Redis's.
 */
import { alsoPropagate, preventCommandPropagation, rewriteCommandVector } from '../replication.ts'
import { dbAdd, dbDelete, dbOverwrite, setKey, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_GENERIC, NOTIFY_SET, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import {
  array,
  bulk,
  bulkArray,
  EMPTY_ARRAY,
  error,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  setReply,
  NIL,
  ONE,
  ZERO,
  type Reply,
} from '../reply.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictExpand,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  NO_ENTRY,
} from '../structures/dict.ts'
import {
  noteObjectCreated,
  scratchValueRef,
  silentContext,
  valueRefOf,
  type ValueRef,
} from '../types/container.ts'
import {
  createIntsetObject,
  setTypeAdd,
  setTypeCreate,
  setTypeDup,
  setTypeIsMember,
  setTypeMembers,
  setTypeRandomElement,
  setTypeRemove,
  setTypeSize,
  type SetObject,
} from '../types/t_set.ts'
import { isToken, lookupOfType } from './common.ts'
import { objectDuplicators, parseScanCursor, scanGeneric } from './generic.ts'
import { getPositiveLongOrReply, getRangeLongOrReply } from './parse.ts'
import { randomPickAdded, randomPicksReply, randomPicksStart } from './randomPicks.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

const LONG_MAX = 9223372036854775807n
const SPOP_MOVE_STRATEGY_MUL = 5
const SRANDMEMBER_SUB_STRATEGY_MUL = 3

type Lookup = SetObject | null | 'wrongtype'

function lookupSetRead(c: CommandCall, key: string): Lookup {
  return lookupOfType<SetObject>(c, key, 'set', false)
}

function lookupSetWrite(c: CommandCall, key: string): Lookup {
  return lookupOfType<SetObject>(c, key, 'set', true)
}

/** dbAdd of a value that keeps growing afterwards: memory.ts re-measures it later. */
function dbAddGrowing(c: CommandCall, key: string, o: SetObject): void {
  dbAdd(c.ctx, c.db, key, o, c.srv)
  noteObjectCreated(valueRefOf(c, key), o)
  memValueTouched(c.db.dict, o)
}

// --- SADD, SREM, SMOVE ---

/** SADD key member [member ...] */
function saddCommand(c: CommandCall): Reply {
  const { argv } = c
  const key = argv[1] ?? ''
  let set = lookupSetWrite(c, key)
  if (set === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  if (set === null) {
    set = setTypeCreate(v, argv[2] ?? '')
    dbAddGrowing(c, key, set)
  }
  let added = 0
  for (let j = 2; j < argv.length; j++) if (setTypeAdd(v, set, argv[j] ?? '')) added++
  if (added > 0) {
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'sadd', key, c.db.id)
  }
  c.srv.dirty += added
  return integer(added)
}

/** SREM key member [member ...]: removing the last member deletes the key. */
function sremCommand(c: CommandCall): Reply {
  const { argv } = c
  const key = argv[1] ?? ''
  const set = lookupSetWrite(c, key)
  if (set === null) return ZERO
  if (set === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  let deleted = 0
  let keyremoved = false
  for (let j = 2; j < argv.length; j++) {
    if (setTypeRemove(v, set, argv[j] ?? '')) {
      deleted++
      if (setTypeSize(set) === 0) {
        dbDelete(c.ctx, c.db, key)
        keyremoved = true
        break
      }
    }
  }
  if (deleted > 0) {
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'srem', key, c.db.id)
    if (keyremoved) notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
    c.srv.dirty += deleted
  }
  return integer(deleted)
}

/** SMOVE source destination member */
function smoveCommand(c: CommandCall): Reply {
  const src = c.argv[1] ?? ''
  const dst = c.argv[2] ?? ''
  const ele = c.argv[3] ?? ''
  const srcset = lookupSetWrite(c, src)
  let dstset = lookupSetWrite(c, dst)
  if (srcset === null) return ZERO
  if (srcset === 'wrongtype' || dstset === 'wrongtype') return ERR_WRONGTYPE
  if (srcset === dstset) return setTypeIsMember(valueRefOf(c, src), srcset, ele) ? ONE : ZERO
  if (!setTypeRemove(valueRefOf(c, src), srcset, ele)) return ZERO
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'srem', src, c.db.id)
  if (setTypeSize(srcset) === 0) {
    dbDelete(c.ctx, c.db, src)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', src, c.db.id)
  }
  const dv = valueRefOf(c, dst)
  if (dstset === null) {
    dstset = setTypeCreate(dv, ele)
    dbAddGrowing(c, dst, dstset)
  }
  signalModifiedKey(c.srv, c.ctx, c.db, src)
  c.srv.dirty++
  if (setTypeAdd(dv, dstset, ele)) {
    c.srv.dirty++
    signalModifiedKey(c.srv, c.ctx, c.db, dst)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'sadd', dst, c.db.id)
  }
  return ONE
}

// --- SISMEMBER, SMISMEMBER, SCARD ---

/** SISMEMBER key member */
function sismemberCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const set = lookupSetRead(c, key)
  if (set === null) return ZERO
  if (set === 'wrongtype') return ERR_WRONGTYPE
  return setTypeIsMember(valueRefOf(c, key), set, c.argv[2] ?? '') ? ONE : ZERO
}

/** SMISMEMBER key member [member ...] */
function smismemberCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const set = lookupSetRead(c, key)
  if (set === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  const out: Reply[] = []
  for (let j = 2; j < c.argv.length; j++)
    out.push(set !== null && setTypeIsMember(v, set, c.argv[j] ?? '') ? ONE : ZERO)
  return array(out)
}

/** SCARD key */
function scardCommand(c: CommandCall): Reply {
  const set = lookupSetRead(c, c.argv[1] ?? '')
  if (set === null) return ZERO
  if (set === 'wrongtype') return ERR_WRONGTYPE
  return integer(setTypeSize(set))
}

// --- SPOP ---

/** spopWithCountCommand. */
function spopWithCount(c: CommandCall): Reply {
  const l = getPositiveLongOrReply(c.argv[2] ?? '')
  if (typeof l === 'object') return l
  const key = c.argv[1] ?? ''
  const set = lookupSetWrite(c, key)
  // shared.emptyset[c->resp] and addReplySetLen: SPOP with a count answers a set.
  const resp = c.client.resp
  if (set === null) return setReply(resp, [])
  if (set === 'wrongtype') return ERR_WRONGTYPE
  if (l === 0n) return setReply(resp, [])
  const v = valueRefOf(c, key)
  const size = setTypeSize(set)
  const count = l >= BigInt(size) ? size : Number(l)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'spop', key, c.db.id)
  c.srv.dirty += count

  // Popping everything: reply as SUNION of the one set, then delete the key.
  if (count >= size) {
    // Redis answers through sunionDiffGenericCommand, which looks the key up again.
    lookupSetRead(c, key)
    const reply = setReply(resp, setTypeMembers(unionOf(scratchValueRef(c), [set])).map(bulk))
    pubsubReplyWritten(c)
    dbDelete(c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
    // Propagated as DEL.
    rewriteCommandVector(c.srv, ['DEL', key])
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    return reply
  }

  const out: string[] = []
  let remaining = size - count
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // CASE 2: pop `count` random members one by one.
    for (let i = 0; i < count; i++) {
      const ele = setTypeRandomElement(c.ctx, set)
      out.push(ele)
      setTypeRemove(v, set, ele)
    }
  } else {
    // CASE 3: move the members that stay into a new set; reply with what is left.
    let newset: SetObject | null = null
    while (remaining-- > 0) {
      const ele = setTypeRandomElement(c.ctx, set)
      newset ??= setTypeCreate(v, ele)
      setTypeAdd(v, newset, ele)
      setTypeRemove(v, set, ele)
    }
    out.push(...setTypeMembers(set))
    if (newset !== null) dbOverwrite(c.srv, c.ctx, c.db, key, newset)
  }
  // Propagated as one SREM per member popped, never as itself.
  for (const ele of out) alsoPropagate(c.srv, c.db.id, ['SREM', key, ele])
  preventCommandPropagation(c.srv)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  return setReply(resp, out.map(bulk))
}

/** SPOP key [count] */
function spopCommand(c: CommandCall): Reply {
  if (c.argv.length === 3) return spopWithCount(c)
  if (c.argv.length > 3) return ERR_SYNTAX
  const key = c.argv[1] ?? ''
  const set = lookupSetWrite(c, key)
  if (set === null) return NIL
  if (set === 'wrongtype') return ERR_WRONGTYPE
  const ele = setTypeRandomElement(c.ctx, set)
  setTypeRemove(valueRefOf(c, key), set, ele)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, 'spop', key, c.db.id)
  // Propagated as SREM of the member popped.
  rewriteCommandVector(c.srv, ['SREM', key, ele])
  // spopCommand replies with the member before it deletes an emptied set.
  pubsubReplyWritten(c)
  if (setTypeSize(set) === 0) {
    dbDelete(c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
  }
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  c.srv.dirty++
  return bulk(ele)
}

// --- SRANDMEMBER ---

/** srandmemberWithCountCommand: Redis's four cases. */
function srandmemberWithCount(c: CommandCall): Reply {
  const l = getRangeLongOrReply(c.argv[2] ?? '', -LONG_MAX, LONG_MAX)
  if (typeof l === 'object') return l
  const uniq = l >= 0n
  const countBig = uniq ? l : -l
  const set = lookupSetRead(c, c.argv[1] ?? '')
  if (set === null) return EMPTY_ARRAY
  if (set === 'wrongtype') return ERR_WRONGTYPE
  let size = setTypeSize(set)
  if (countBig === 0n) return EMPTY_ARRAY
  const ctx = c.ctx

  // CASE 1: negative count (or 1): independent draws.
  if (!uniq || countBig === 1n) {
    // Stopped when the client passes its output limits (randomPicks.ts).
    const picks = randomPicksStart(c, countBig, false)
    if (!('limit' in picks)) return picks
    const out: string[] = []
    for (let n = picks.limit; n > 0; n--) {
      const member = setTypeRandomElement(ctx, set)
      out.push(member)
      if (randomPickAdded(picks, member)) break
    }
    return randomPicksReply(picks, bulkArray(out))
  }
  // CASE 2: the whole set, in iteration order.
  if (countBig >= BigInt(size)) return bulkArray(setTypeMembers(set))

  const count = Number(countBig)
  const quiet = silentContext(ctx)
  const d = dictCreate<null>('srandmember', c.srv.hashSeed)
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // CASE 3: copy, then remove random members until `count` are left.
    dictExpand(quiet, d, size)
    for (const m of setTypeMembers(set)) dictAdd(quiet, d, m, null)
    while (size > count) {
      const de = dictGetFairRandomKey(quiet, d)
      if (de === NO_ENTRY) break
      dictDelete(quiet, d, dictGetKey(d, de))
      size--
    }
  } else {
    // CASE 4: draw until `count` distinct members were seen.
    dictExpand(quiet, d, count)
    let added = 0
    while (added < count) if (dictAdd(quiet, d, setTypeRandomElement(ctx, set), null)) added++
  }
  const out: string[] = []
  dictForEach(d, (member) => out.push(member))
  return bulkArray(out)
}

/** SRANDMEMBER key [count] */
function srandmemberCommand(c: CommandCall): Reply {
  if (c.argv.length === 3) return srandmemberWithCount(c)
  if (c.argv.length > 3) return ERR_SYNTAX
  const set = lookupSetRead(c, c.argv[1] ?? '')
  if (set === null) return NIL
  if (set === 'wrongtype') return ERR_WRONGTYPE
  return bulk(setTypeRandomElement(c.ctx, set))
}

// --- SINTER, SINTERCARD, SINTERSTORE, SMEMBERS ---

/**
 * sinterGenericCommand: iterate the smallest set, keep members every other set has.
 * `mode` picks the reply: the members, their count (up to `limit`), or a store into `dst`.
 */
function sinterGeneric(
  c: CommandCall,
  keys: readonly string[],
  dst: string | null,
  cardinalityOnly: boolean,
  limit: number,
): Reply {
  const sets: { o: SetObject; ref: ValueRef }[] = []
  let empty = false
  for (const k of keys) {
    const s = lookupSetRead(c, k)
    if (s === 'wrongtype') return ERR_WRONGTYPE
    if (s === null) empty = true
    else sets.push({ o: s, ref: valueRefOf(c, k) })
  }
  if (empty) {
    if (dst !== null) {
      if (dbDelete(c.ctx, c.db, dst)) {
        signalModifiedKey(c.srv, c.ctx, c.db, dst)
        notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', dst, c.db.id)
        c.srv.dirty++
      }
      return ZERO
    }
    return cardinalityOnly ? ZERO : setReply(c.client.resp, [])
  }
  // qsort by cardinality (glibc's qsort is a stable merge sort here).
  sets.sort((a, b) => setTypeSize(a.o) - setTypeSize(b.o))
  const first = (sets[0] as { o: SetObject }).o
  const dv = dst !== null ? valueRefOf(c, dst) : null
  const dstset = dv !== null ? createIntsetObject(c.srv) : null
  const out: string[] = []
  let cardinality = 0
  for (const ele of setTypeMembers(first)) {
    let all = true
    for (let j = 1; j < sets.length; j++) {
      const s = sets[j] as { o: SetObject; ref: ValueRef }
      if (s.o === first) continue
      if (!setTypeIsMember(s.ref, s.o, ele)) {
        all = false
        break
      }
    }
    if (!all) continue
    if (cardinalityOnly) {
      cardinality++
      if (limit > 0 && cardinality >= limit) break
    } else if (dstset === null || dv === null) {
      out.push(ele)
    } else {
      setTypeAdd(dv, dstset, ele)
    }
  }
  if (cardinalityOnly) return integer(cardinality)
  if (dst !== null && dstset !== null) return storeSet(c, dst, dstset, 'sinterstore')
  return setReply(c.client.resp, out.map(bulk))
}

/**
 * The *STORE ending: store a non-empty result (setKey) and notify `event`, or delete the
 * destination.
 */
function storeSet(c: CommandCall, dst: string, dstset: SetObject, event: string): Reply {
  const size = setTypeSize(dstset)
  // sinterGenericCommand / sunionDiffGenericCommand reply before they notify (or delete).
  if (size > 0) {
    setKey(c.srv, c.ctx, c.db, dst, dstset)
    noteObjectCreated(valueRefOf(c, dst), dstset)
    pubsubReplyWritten(c)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_SET, event, dst, c.db.id)
    c.srv.dirty++
    return integer(size)
  }
  pubsubReplyWritten(c)
  if (dbDelete(c.ctx, c.db, dst)) {
    c.srv.dirty++
    signalModifiedKey(c.srv, c.ctx, c.db, dst)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', dst, c.db.id)
  }
  return ZERO
}

/** SINTER key [key ...] */
function sinterCommand(c: CommandCall): Reply {
  return sinterGeneric(c, c.argv.slice(1), null, false, 0)
}

/** SINTERSTORE destination key [key ...] */
function sinterstoreCommand(c: CommandCall): Reply {
  return sinterGeneric(c, c.argv.slice(2), c.argv[1] ?? '', false, 0)
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercardCommand(c: CommandCall): Reply {
  const { argv } = c
  const numkeys = getRangeLongOrReply(
    argv[1] ?? '',
    1n,
    LONG_MAX,
    'ERR numkeys should be greater than 0',
  )
  if (typeof numkeys === 'object') return numkeys
  if (numkeys > BigInt(argv.length - 2))
    return error("ERR Number of keys can't be greater than number of args")
  const n = Number(numkeys)
  let limit = 0
  for (let j = 2 + n; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    if (isToken(argv[j] ?? '', 'LIMIT') && moreargs > 0) {
      j++
      const l = getPositiveLongOrReply(argv[j] ?? '', "ERR LIMIT can't be negative")
      if (typeof l === 'object') return l
      limit = Number(l)
    } else return ERR_SYNTAX
  }
  return sinterGeneric(c, argv.slice(2, 2 + n), null, true, limit)
}

// --- SUNION, SDIFF and their STORE forms ---

/** The union of `sets` built as a new set (starting as an intset), as SUNION does. */
function unionOf(v: ValueRef, sets: readonly (SetObject | null)[]): SetObject {
  const dstset = createIntsetObject(v.srv)
  for (const s of sets) if (s !== null) for (const m of setTypeMembers(s)) setTypeAdd(v, dstset, m)
  return dstset
}

/** sunionDiffGenericCommand. */
function sunionDiffGeneric(
  c: CommandCall,
  keys: readonly string[],
  dst: string | null,
  op: 'union' | 'diff',
): Reply {
  const sets: (SetObject | null)[] = []
  const refs = new Map<SetObject, ValueRef>()
  let sameset = false
  for (const k of keys) {
    const s = lookupSetRead(c, k)
    if (s === 'wrongtype') return ERR_WRONGTYPE
    if (s !== null && sets.length > 0 && sets[0] === s) sameset = true
    if (s !== null && !refs.has(s)) refs.set(s, valueRefOf(c, k))
    sets.push(s)
  }
  const first = sets[0] ?? null
  let diffAlgo = 1
  if (op === 'diff' && first !== null && !sameset) {
    let one = 0
    let two = 0
    for (const s of sets) {
      if (s === null) continue
      one += setTypeSize(first)
      two += setTypeSize(s)
    }
    one = Math.floor(one / 2)
    diffAlgo = one <= two ? 1 : 2
    if (diffAlgo === 1 && sets.length > 1) {
      const rest = sets.slice(1)
      rest.sort((a, b) => (b === null ? 0 : setTypeSize(b)) - (a === null ? 0 : setTypeSize(a)))
      sets.splice(1, rest.length, ...rest)
    }
  }
  const v = dst !== null ? valueRefOf(c, dst) : scratchValueRef(c)
  let dstset = createIntsetObject(c.srv)
  if (op === 'union') {
    dstset = unionOf(v, sets)
  } else if (sameset) {
    // SDIFF of a set with itself: empty.
  } else if (first !== null && diffAlgo === 1) {
    for (const ele of setTypeMembers(first)) {
      let keep = true
      for (let j = 1; j < sets.length; j++) {
        const s = sets[j] ?? null
        if (s === null) continue
        if (s === first || setTypeIsMember(refs.get(s) ?? v, s, ele)) {
          keep = false
          break
        }
      }
      if (keep) setTypeAdd(v, dstset, ele)
    }
  } else if (first !== null) {
    let cardinality = 0
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j] ?? null
      if (s === null) continue
      for (const ele of setTypeMembers(s)) {
        if (j === 0) {
          if (setTypeAdd(v, dstset, ele)) cardinality++
        } else if (setTypeRemove(v, dstset, ele)) cardinality--
      }
      if (cardinality === 0) break
    }
  }
  if (dst === null) return setReply(c.client.resp, setTypeMembers(dstset).map(bulk))
  return storeSet(c, dst, dstset, op === 'union' ? 'sunionstore' : 'sdiffstore')
}

function sunionCommand(c: CommandCall): Reply {
  return sunionDiffGeneric(c, c.argv.slice(1), null, 'union')
}

function sunionstoreCommand(c: CommandCall): Reply {
  return sunionDiffGeneric(c, c.argv.slice(2), c.argv[1] ?? '', 'union')
}

function sdiffCommand(c: CommandCall): Reply {
  return sunionDiffGeneric(c, c.argv.slice(1), null, 'diff')
}

function sdiffstoreCommand(c: CommandCall): Reply {
  return sunionDiffGeneric(c, c.argv.slice(2), c.argv[1] ?? '', 'diff')
}

// --- SSCAN ---

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscanCommand(c: CommandCall): Reply {
  const cursor = parseScanCursor(c.argv[2] ?? '')
  if (typeof cursor === 'object') return cursor
  const set = lookupSetRead(c, c.argv[1] ?? '')
  if (set === null) return array([bulk('0'), EMPTY_ARRAY])
  if (set === 'wrongtype') return ERR_WRONGTYPE
  if (set.encoding === 'intset')
    return scanGeneric(c, { kind: 'all', pairs: false, items: setTypeMembers(set) }, cursor, 3)
  return scanGeneric(
    c,
    { kind: 'dict', dict: set.ptr, pairs: false, items: (member) => [member] },
    cursor,
    3,
  )
}

// --- COPY support ---

objectDuplicators.set = (_srv, o, ref) => setTypeDup(ref, o as SetObject)

// --- Specs ---

export const setCommands: readonly CommandSpec[] = [
  defineCommand('sadd', saddCommand),
  defineCommand('srem', sremCommand),
  defineCommand('smove', smoveCommand),
  defineCommand('sismember', sismemberCommand),
  defineCommand('smismember', smismemberCommand),
  defineCommand('scard', scardCommand),
  defineCommand('smembers', sinterCommand),
  defineCommand('spop', spopCommand),
  defineCommand('srandmember', srandmemberCommand),
  defineCommand('sinter', sinterCommand),
  defineCommand('sintercard', sintercardCommand),
  defineCommand('sinterstore', sinterstoreCommand),
  defineCommand('sunion', sunionCommand),
  defineCommand('sunionstore', sunionstoreCommand),
  defineCommand('sdiff', sdiffCommand),
  defineCommand('sdiffstore', sdiffstoreCommand),
  defineCommand('sscan', sscanCommand),
]
