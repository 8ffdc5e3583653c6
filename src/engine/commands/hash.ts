/**
 * Hash commands — follows redis/src/t_hash.c (7.0.15): HSET HSETNX HMSET HGET HMGET HDEL
 * HLEN HSTRLEN HEXISTS HINCRBY HINCRBYFLOAT HKEYS HVALS HGETALL HSCAN HRANDFIELD.
 *
 * Handlers keep Redis's order of checks (argument parsing, lookup, type check), which
 * decides the error a malformed command gets and which lookups happen. Encodings and
 * conversions are in types/t_hash.ts.
 */
import { dbAdd, dbDelete, lookupKeyWrite, signalModifiedKey } from '../keyspace/db.ts'
import { rewriteCommandVector } from '../replication.ts'
import { NOTIFY_GENERIC, NOTIFY_HASH, notifyKeyspaceEvent } from '../keyspace/notify.ts'
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
  mapReply,
  nestPairs,
  NIL,
  OK,
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
  dictGetVal,
  NO_ENTRY,
} from '../structures/dict.ts'
import {
  lpRandomPairs,
  lpRandomPairsUnique,
  silentContext,
  noteObjectCreated,
  valueRefOf,
} from '../types/container.ts'
import type { RedisObject } from '../types/object.ts'
import {
  createHashObject,
  hashDict,
  hashTypeDelete,
  hashTypeDup,
  hashTypeEntries,
  hashTypeExists,
  hashTypeGetValue,
  hashTypeLength,
  hashTypeRandomElement,
  hashTypeSet,
  hashTypeTryConversion,
  type HashObject,
} from '../types/t_hash.ts'
import {
  ld2stringHuman,
  ldAdd,
  ldFromLL,
  ldIsNanOrInf,
  LLONG_MAX,
  LLONG_MIN,
  string2ld,
  string2ll,
} from '../util/numbers.ts'
import { integerLL, isToken, lookupOfType, wrongArity } from './common.ts'
import { objectDuplicators, parseScanCursor, scanGeneric } from './generic.ts'
import { getLongLongOrReply, getRangeLongOrReply } from './parse.ts'
import {
  randomPickAdded,
  randomPicksReply,
  randomPicksStart,
  randomPicksStopped,
} from './randomPicks.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

/**
 * hashTypeLookupWriteOrCreate: the hash at `key` (a write lookup), a new empty listpack
 * hash added to the db, or null when the key holds another type (reply WRONGTYPE).
 */
function hashTypeLookupWriteOrCreate(c: CommandCall, key: string): HashObject | null {
  const o = lookupKeyWrite(c.srv, c.ctx, c.db, key)
  if (o !== null) return o.type === 'hash' ? (o as HashObject) : null
  const h = createHashObject(c.srv)
  dbAdd(c.ctx, c.db, key, h, c.srv)
  noteObjectCreated(valueRefOf(c, key), h)
  // The value grows after dbAdd measured it: have memory.ts re-measure it.
  memValueTouched(c.db.dict, h)
  return h
}

/** The hash at `key` for reading, null when missing; 'wrongtype' for another type. */
function lookupHashRead(c: CommandCall, key: string): HashObject | null | 'wrongtype' {
  return lookupOfType<HashObject>(c, key, 'hash', false)
}

// --- HSET, HSETNX, HMSET ---

/** HSET key field value [field value ...] / HMSET (same handler; argv[0] picks the reply). */
function hsetCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length % 2 === 1) return wrongArity(c.cmd.name)
  const key = argv[1] ?? ''
  const o = hashTypeLookupWriteOrCreate(c, key)
  if (o === null) return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  hashTypeTryConversion(v, o, argv.slice(2))
  let created = 0
  for (let i = 2; i < argv.length; i += 2)
    if (!hashTypeSet(v, o, argv[i] ?? '', argv[i + 1] ?? '')) created++
  // t_hash.c replies before it notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_HASH, 'hset', key, c.db.id)
  c.srv.dirty += (argv.length - 2) / 2
  const second = (argv[0] ?? '')[1]
  return second === 's' || second === 'S' ? integer(created) : OK
}

/** HSETNX key field value */
function hsetnxCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const field = c.argv[2] ?? ''
  const value = c.argv[3] ?? ''
  const o = hashTypeLookupWriteOrCreate(c, key)
  if (o === null) return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  if (hashTypeExists(v, o, field)) return ZERO
  hashTypeTryConversion(v, o, [field, value])
  hashTypeSet(v, o, field, value)
  // t_hash.c replies before it notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_HASH, 'hset', key, c.db.id)
  c.srv.dirty++
  return ONE
}

// --- HINCRBY, HINCRBYFLOAT ---

/** HINCRBY key field increment */
function hincrbyCommand(c: CommandCall): Reply {
  const incr = getLongLongOrReply(c.argv[3] ?? '')
  if (typeof incr === 'object') return incr
  const key = c.argv[1] ?? ''
  const field = c.argv[2] ?? ''
  const o = hashTypeLookupWriteOrCreate(c, key)
  if (o === null) return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  const cur = hashTypeGetValue(v, o, field)
  let value = 0n
  if (cur !== null) {
    const parsed = string2ll(cur)
    if (parsed === null) return error('ERR hash value is not an integer')
    value = parsed
  }
  if (
    (incr < 0n && value < 0n && incr < LLONG_MIN - value) ||
    (incr > 0n && value > 0n && incr > LLONG_MAX - value)
  )
    return error('ERR increment or decrement would overflow')
  value += incr
  hashTypeSet(v, o, field, value.toString())
  // t_hash.c replies before it notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_HASH, 'hincrby', key, c.db.id)
  c.srv.dirty++
  return integerLL(value)
}

/** HINCRBYFLOAT key field increment (long double arithmetic, LD_STR_HUMAN text). */
function hincrbyfloatCommand(c: CommandCall): Reply {
  const incr = string2ld(c.argv[3] ?? '')
  if (incr === null) return error('ERR value is not a valid float')
  if (ldIsNanOrInf(incr)) return error('ERR value is NaN or Infinity')
  const key = c.argv[1] ?? ''
  const field = c.argv[2] ?? ''
  const o = hashTypeLookupWriteOrCreate(c, key)
  if (o === null) return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  const cur = hashTypeGetValue(v, o, field)
  let value = ldFromLL(0n)
  if (cur !== null) {
    // A listpack integer entry (canonical decimal) parses to the same exact long double.
    const parsed = string2ld(cur)
    if (parsed === null) return error('ERR hash value is not a float')
    value = parsed
  }
  value = ldAdd(value, incr)
  if (ldIsNanOrInf(value)) return error('ERR increment would produce NaN or Infinity')
  const text = ld2stringHuman(value)
  hashTypeSet(v, o, field, text)
  // t_hash.c replies before it notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_HASH, 'hincrbyfloat', key, c.db.id)
  c.srv.dirty++
  // Always propagated as HSET with the final value: float precision or formatting cannot
  // make a replica or an AOF reload differ.
  rewriteCommandVector(c.srv, ['HSET', key, field, text])
  return bulk(text)
}

// --- HGET, HMGET, HLEN, HSTRLEN, HEXISTS ---

/** HGET key field */
function hgetCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === null) return NIL
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return bulk(hashTypeGetValue(valueRefOf(c, key), o, c.argv[2] ?? ''))
}

/** HMGET key field [field ...]: a missing key is an empty hash. */
function hmgetCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  const out: (string | null)[] = []
  for (let i = 2; i < c.argv.length; i++)
    out.push(o === null ? null : hashTypeGetValue(v, o, c.argv[i] ?? ''))
  return bulkArray(out)
}

/** HLEN key */
function hlenCommand(c: CommandCall): Reply {
  const o = lookupHashRead(c, c.argv[1] ?? '')
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return integer(hashTypeLength(o))
}

/** HSTRLEN key field */
function hstrlenCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return integer(hashTypeGetValue(valueRefOf(c, key), o, c.argv[2] ?? '')?.length ?? 0)
}

/** HEXISTS key field */
function hexistsCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === null) return ZERO
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return hashTypeExists(valueRefOf(c, key), o, c.argv[2] ?? '') ? ONE : ZERO
}

// --- HDEL ---

/** HDEL key field [field ...]: deleting the last field deletes the key. */
function hdelCommand(c: CommandCall): Reply {
  const { srv, ctx, db, argv } = c
  const key = argv[1] ?? ''
  const o = lookupKeyWrite(srv, ctx, db, key)
  if (o === null) return ZERO
  if (o.type !== 'hash') return ERR_WRONGTYPE
  const h = o as HashObject
  const v = valueRefOf(c, key)
  let deleted = 0
  let keyremoved = false
  for (let j = 2; j < argv.length; j++) {
    if (hashTypeDelete(v, h, argv[j] ?? '')) {
      deleted++
      if (hashTypeLength(h) === 0) {
        dbDelete(ctx, db, key)
        keyremoved = true
        break
      }
    }
  }
  if (deleted > 0) {
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_HASH, 'hdel', key, db.id)
    if (keyremoved) notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', key, db.id)
    srv.dirty += deleted
  }
  return integer(deleted)
}

// --- HKEYS, HVALS, HGETALL ---

function genericHgetall(c: CommandCall, keys: boolean, values: boolean): Reply {
  const o = lookupHashRead(c, c.argv[1] ?? '')
  if (o === null) return keys && values ? mapReply(c.client.resp, []) : EMPTY_ARRAY
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const out: string[] = []
  for (const [f, val] of hashTypeEntries(o)) {
    if (keys) out.push(f)
    if (values) out.push(val)
  }
  // A map when both fields and values are asked for (HGETALL), as genericHgetallCommand.
  return keys && values ? mapReply(c.client.resp, out.map(bulk)) : bulkArray(out)
}

function hkeysCommand(c: CommandCall): Reply {
  return genericHgetall(c, true, false)
}

function hvalsCommand(c: CommandCall): Reply {
  return genericHgetall(c, false, true)
}

function hgetallCommand(c: CommandCall): Reply {
  return genericHgetall(c, true, true)
}

// --- HSCAN ---

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscanCommand(c: CommandCall): Reply {
  const cursor = parseScanCursor(c.argv[2] ?? '')
  if (typeof cursor === 'object') return cursor
  const o = lookupHashRead(c, c.argv[1] ?? '')
  if (o === null) return array([bulk('0'), EMPTY_ARRAY])
  if (o === 'wrongtype') return ERR_WRONGTYPE
  if (o.encoding === 'listpack')
    return scanGeneric(c, { kind: 'all', pairs: true, items: hashTypeEntries(o).flat() }, cursor, 3)
  return scanGeneric(
    c,
    {
      kind: 'dict',
      dict: o.ptr,
      pairs: true,
      items: (field, value) => [field, value as string],
    },
    cursor,
    3,
  )
}

// --- HRANDFIELD ---

const HRANDFIELD_SUB_STRATEGY_MUL = 3
const HRANDFIELD_RANDOM_SAMPLE_LIMIT = 1000
const LONG_MAX = 9223372036854775807n

/** Flattens pairs into a reply: fields only, or field, value, field, value … */
function pairsReply(pairs: readonly (readonly [string, string])[], withvalues: boolean): string[] {
  const out: string[] = []
  for (const [f, val] of pairs) {
    out.push(f)
    if (withvalues) out.push(val)
  }
  return out
}

/** hrandfieldWithCountCommand: Redis's four cases (RESP2 replies). */
function hrandfieldWithCount(c: CommandCall, l: bigint, withvalues: boolean): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === null) return EMPTY_ARRAY
  if (o === 'wrongtype') return ERR_WRONGTYPE
  const v = valueRefOf(c, key)
  const ctx = c.ctx
  let size = hashTypeLength(o)
  const uniq = l >= 0n
  const countBig = uniq ? l : -l
  if (countBig === 0n) return EMPTY_ARRAY

  // CASE 1: negative count (or 1): independent draws, in draw order.
  if (!uniq || countBig === 1n) {
    // Stopped when the client passes its output limits (randomPicks.ts).
    const picks = randomPicksStart(c, countBig, withvalues)
    if (!('limit' in picks)) return picks
    let count = picks.limit
    const out: string[] = []
    if (o.encoding === 'hashtable') {
      const d = hashDict(o)
      while (count-- > 0) {
        const de = dictGetFairRandomKey(ctx, d)
        if (de === NO_ENTRY) break
        const field = dictGetKey(d, de)
        out.push(field)
        if (withvalues) out.push(dictGetVal(d, de))
        if (randomPickAdded(picks, field, withvalues ? dictGetVal(d, de) : undefined)) break
      }
    } else {
      const limit = Math.min(count, HRANDFIELD_RANDOM_SAMPLE_LIMIT)
      while (count > 0) {
        const sample = Math.min(count, limit)
        count -= sample
        for (const [f, val] of lpRandomPairs(ctx, o.ptr, sample)) {
          out.push(f)
          if (withvalues) out.push(val)
          randomPickAdded(picks, f, withvalues ? val : undefined)
        }
        // hrandfieldReplyWithListpack adds a whole sample before the check.
        if (randomPicksStopped(picks)) break
      }
    }
    return randomPicksReply(picks, bulkArray(out))
  }

  const count = Number(countBig)
  // CASE 2: asking for at least the whole hash: all of it, in iteration order.
  if (count >= size) return bulkArray(pairsReply(hashTypeEntries(o), withvalues))

  // CASE 3: the hash is not much bigger than count: copy it, remove random fields.
  if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
    const quiet = silentContext(ctx)
    const d = dictCreate<string | null>('hrandfield', c.srv.hashSeed)
    dictExpand(quiet, d, size)
    for (const [f, val] of hashTypeEntries(o)) dictAdd(quiet, d, f, withvalues ? val : null)
    while (size > count) {
      const de = dictGetFairRandomKey(quiet, d)
      if (de === NO_ENTRY) break
      dictDelete(quiet, d, dictGetKey(d, de))
      size--
    }
    const out: string[] = []
    dictForEach(d, (field, value) => {
      out.push(field)
      if (withvalues) out.push(value ?? '')
    })
    return bulkArray(out)
  }

  // CASE 4: the hash is much bigger than count.
  if (o.encoding === 'listpack')
    return bulkArray(pairsReply(lpRandomPairsUnique(ctx, o.ptr, count), withvalues))
  const quiet = silentContext(ctx)
  const d = dictCreate<null>('hrandfield', c.srv.hashSeed)
  dictExpand(quiet, d, count)
  const out: string[] = []
  let added = 0
  while (added < count) {
    const [f, val] = hashTypeRandomElement(v, o)
    if (!dictAdd(quiet, d, f, null)) continue
    added++
    out.push(f)
    if (withvalues) out.push(val)
  }
  return bulkArray(out)
}

/** HRANDFIELD key [count [WITHVALUES]] */
function hrandfieldCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length >= 3) {
    const l = getRangeLongOrReply(argv[2] ?? '', -LONG_MAX, LONG_MAX)
    if (typeof l === 'object') return l
    let withvalues = false
    if (argv.length > 4 || (argv.length === 4 && !isToken(argv[3] ?? '', 'WITHVALUES')))
      return ERR_SYNTAX
    if (argv.length === 4) {
      withvalues = true
      if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) return error('ERR value is out of range')
    }
    const r = hrandfieldWithCount(c, l, withvalues)
    // RESP3 nests each field with its value (hrandfieldWithCountCommand, c->resp > 2).
    return withvalues ? nestPairs(c.client.resp, r) : r
  }
  const key = argv[1] ?? ''
  const o = lookupHashRead(c, key)
  if (o === null) return NIL
  if (o === 'wrongtype') return ERR_WRONGTYPE
  return bulk(hashTypeRandomElement(valueRefOf(c, key), o)[0])
}

// --- COPY support ---

objectDuplicators.hash = (_srv, o: RedisObject, ref) => hashTypeDup(ref, o as HashObject)

// --- Specs ---

export const hashCommands: readonly CommandSpec[] = [
  defineCommand('hset', hsetCommand),
  defineCommand('hmset', hsetCommand),
  defineCommand('hsetnx', hsetnxCommand),
  defineCommand('hget', hgetCommand),
  defineCommand('hmget', hmgetCommand),
  defineCommand('hdel', hdelCommand),
  defineCommand('hlen', hlenCommand),
  defineCommand('hstrlen', hstrlenCommand),
  defineCommand('hexists', hexistsCommand),
  defineCommand('hincrby', hincrbyCommand),
  defineCommand('hincrbyfloat', hincrbyfloatCommand),
  defineCommand('hkeys', hkeysCommand),
  defineCommand('hvals', hvalsCommand),
  defineCommand('hgetall', hgetallCommand),
  defineCommand('hscan', hscanCommand),
  defineCommand('hrandfield', hrandfieldCommand),
]
