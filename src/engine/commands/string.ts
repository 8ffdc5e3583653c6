/**
 * String commands — follows redis/src/t_string.c (7.0.15): SET and its variants, GET,
 * GETSET, GETDEL, GETEX, MSET/MSETNX/MGET, APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE,
 * INCR/DECR/INCRBY/DECRBY, INCRBYFLOAT and LCS.
 *
 * Each handler keeps Redis's order of checks (argument parsing, then lookups, then type
 * checks), because the order decides which error a malformed command gets and which
 * lookups (with their lazy expiry and hit/miss stats) happen. Encodings follow object.c;
 * see types/t_string.ts for the conversions.
 *
 * Specs (arity, flags, ACL categories, key positions, docs) come from Redis's own metadata
 * through defineCommand.
 */
import { rewriteCommandVector } from '../replication.ts'
import { cstr } from '../bytes.ts'
import type { ExecContext } from '../context.ts'
import {
  dbAdd,
  dbDelete,
  dbOverwrite,
  lookupKeyRead,
  lookupKeyWrite,
  removeExpire,
  setExpireByClient,
  setKey,
  signalModifiedKey,
  type SetKeyOptions,
  checkAlreadyExpired,
} from '../keyspace/db.ts'
import {
  array,
  bulk,
  error,
  ERR_NOT_FLOAT,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  mapReply,
  NIL,
  OK,
  ONE,
  ZERO,
  type Reply,
} from '../reply.ts'
import {
  createRawStringObject,
  createStringObjectFromLongLongForValue,
  execArgvHold,
  getDecodedString,
  OBJ_SHARED_INTEGERS,
  OBJ_SHARED_INTEGERS_BIG,
  sharedInteger,
  sharedIntegersAllowed,
  stringObjectLen,
  type RedisObject,
  type SdsStringObject,
  type StringObject,
} from '../types/object.ts'
import {
  checkStringLength,
  createStringObjectFromLongDouble,
  createValueObject,
  dbUnshareStringValue,
  getLongDoubleFromObject,
  getLongLongFromObject,
  lcsCompute,
  noteEncodingChange,
  STRING_TOO_LONG,
  stringAppend,
  stringGetRange,
  stringSetRange,
} from '../types/t_string.ts'
import { ldAdd, ldIsNanOrInf, LLONG_MAX, LLONG_MIN, string2ld, string2ll } from '../util/numbers.ts'
import { NOTIFY_GENERIC, NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { integerLL, invalidExpireTime, isToken, NOT_INTEGER, wrongArity } from './common.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyAt, pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

const EMPTY_BULK: Reply = { type: 'bulk', value: '' }

/** The string value as a bulk reply (addReplyBulk). */
function bulkOf(o: StringObject): Reply {
  return bulk(getDecodedString(o))
}

/** OBJ_* flags of t_string.c. */
const OBJ_SET_NX = 1 << 0
const OBJ_SET_XX = 1 << 1
const OBJ_EX = 1 << 2
const OBJ_PX = 1 << 3
const OBJ_KEEPTTL = 1 << 4
const OBJ_SET_GET = 1 << 5
const OBJ_EXAT = 1 << 6
const OBJ_PXAT = 1 << 7
const OBJ_PERSIST = 1 << 8

type Unit = 'seconds' | 'milliseconds'

interface ExtendedArgs {
  flags: number
  unit: Unit
  expire: string | null
}

const NO_EXTENDED_ARGS: Readonly<ExtendedArgs> = { flags: 0, unit: 'seconds', expire: null }

/**
 * t_string.c parseExtendedStringArgumentsOrReply: SET options (NX XX GET KEEPTTL EX PX
 * EXAT PXAT) or GETEX options (PERSIST EX PX EXAT PXAT). A conflicting or unknown option,
 * or EX/PX/EXAT/PXAT without a value, is a syntax error.
 */
function parseExtendedStringArguments(
  argv: readonly string[],
  forSet: boolean,
): ExtendedArgs | null {
  if (argv.length === (forSet ? 3 : 2)) return NO_EXTENDED_ARGS
  const r: ExtendedArgs = { flags: 0, unit: 'seconds', expire: null }
  const anyExpire = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    // strcasecmp compares C strings: an option ends at its first NUL.
    const opt = cstr(argv[j] ?? '').toUpperCase()
    const next = j === argv.length - 1 ? null : (argv[j + 1] ?? null)
    const f = r.flags
    if (opt === 'NX' && !(f & OBJ_SET_XX) && forSet) r.flags |= OBJ_SET_NX
    else if (opt === 'XX' && !(f & OBJ_SET_NX) && forSet) r.flags |= OBJ_SET_XX
    else if (opt === 'GET' && forSet) r.flags |= OBJ_SET_GET
    else if (opt === 'KEEPTTL' && !(f & (OBJ_PERSIST | anyExpire)) && forSet) r.flags |= OBJ_KEEPTTL
    else if (opt === 'PERSIST' && !forSet && !(f & (anyExpire | OBJ_KEEPTTL)))
      r.flags |= OBJ_PERSIST
    else if (
      opt === 'EX' &&
      !(f & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)) &&
      next !== null
    ) {
      r.flags |= OBJ_EX
      r.expire = next
      j++
    } else if (
      opt === 'PX' &&
      !(f & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)) &&
      next !== null
    ) {
      r.flags |= OBJ_PX
      r.unit = 'milliseconds'
      r.expire = next
      j++
    } else if (
      opt === 'EXAT' &&
      !(f & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)) &&
      next !== null
    ) {
      r.flags |= OBJ_EXAT
      r.expire = next
      j++
    } else if (
      opt === 'PXAT' &&
      !(f & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)) &&
      next !== null
    ) {
      r.flags |= OBJ_PXAT
      r.unit = 'milliseconds'
      r.expire = next
      j++
    } else return null
  }
  return r
}

/**
 * t_string.c getExpireMillisecondsOrReply: the absolute expire time in ms, or an error
 * reply. Relative times (EX/PX) are added to the command's frozen time; non-positive values
 * and 64-bit overflows are "invalid expire time".
 */
function getExpireMilliseconds(
  ctx: ExecContext,
  fullname: string,
  arg: string,
  flags: number,
  unit: Unit,
): bigint | Reply {
  let ms = string2ll(arg)
  if (ms === null) return NOT_INTEGER
  if (ms <= 0n || (unit === 'seconds' && ms > LLONG_MAX / 1000n)) return invalidExpireTime(fullname)
  if (unit === 'seconds') ms *= 1000n
  if (flags & (OBJ_PX | OBJ_EX)) ms += BigInt(ctx.now)
  // Signed overflow wraps negative in C, which the "<= 0" check then rejects.
  if (ms > LLONG_MAX) return invalidExpireTime(fullname)
  return ms
}

/** getGenericCommand: the string value, nil, or WRONGTYPE (then `wrongType` is set). */
function getGeneric(c: CommandCall): Reply {
  const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[1] ?? '')
  if (o === null) return NIL
  if (o.type !== 'string') return ERR_WRONGTYPE
  return bulkOf(o)
}

/** setKey flags by [keepTtl][found], allocated once (SET is the hottest command). */
const SETKEY_OPTIONS: readonly SetKeyOptions[] = [
  { doesntExist: true },
  { alreadyExists: true },
  { keepTtl: true, doesntExist: true },
  { keepTtl: true, alreadyExists: true },
]

/**
 * t_string.c setGenericCommand: parse the expire, run GET if asked, apply NX/XX, store
 * (KEEPTTL keeps the TTL), then set the expire.
 */
function setGeneric(
  c: CommandCall,
  flags: number,
  key: string,
  val: RedisObject,
  expire: string | null,
  unit: Unit,
  okReply: Reply,
  abortReply: Reply,
  valueIndex = 2,
): Reply {
  const { srv, ctx, db } = c
  let when = 0n
  if (expire !== null) {
    const ms = getExpireMilliseconds(ctx, c.cmd.name, expire, flags, unit)
    if (typeof ms !== 'bigint') return ms
    when = ms
  }
  let getReply: Reply | null = null
  if (flags & OBJ_SET_GET) {
    getReply = getGeneric(c)
    if (getReply.type === 'error') return getReply
    // getGenericCommand has replied: what setKey and the expire notify comes after it.
    pubsubReplyWritten(c)
  }
  const found = lookupKeyWrite(srv, ctx, db, key) !== null
  if ((flags & OBJ_SET_NX && found) || (flags & OBJ_SET_XX && !found)) return getReply ?? abortReply
  setKey(srv, ctx, db, key, val, SETKEY_OPTIONS[(flags & OBJ_KEEPTTL ? 2 : 0) + (found ? 1 : 0)])
  srv.dirty++
  if (srv.config.notifyKeyspaceEvents)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'set', key, db.id)
  const value = c.argv[valueIndex] ?? ''
  if (expire !== null) {
    setExpireByClient(srv, ctx, db, key, when)
    // Propagated as SET key value PXAT <ms-timestamp>.
    rewriteCommandVector(srv, ['SET', key, value, 'PXAT', String(when)])
    notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'expire', key, db.id)
  } else if (flags & OBJ_SET_GET) {
    // Propagated without its GET arguments.
    rewriteCommandVector(
      srv,
      c.argv.filter((a, j) => j < 3 || a.toLowerCase() !== 'get'),
    )
  }
  return getReply ?? okReply
}

// --- SET family ---

/** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
function setCommand(c: CommandCall): Reply {
  const args = parseExtendedStringArguments(c.argv, true)
  if (args === null) return ERR_SYNTAX
  const key = c.argv[1] ?? ''
  const val = createValueObject(c.srv, c.ctx, key, c.argv, 2)
  return setGeneric(c, args.flags, key, val, args.expire, args.unit, OK, NIL)
}

/** SETNX key value → 1 if set, 0 if the key existed. */
function setnxCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const val = createValueObject(c.srv, c.ctx, key, c.argv, 2)
  return setGeneric(c, OBJ_SET_NX, key, val, null, 'seconds', ONE, ZERO)
}

/** SETEX key seconds value */
function setexCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const val = createValueObject(c.srv, c.ctx, key, c.argv, 3)
  return setGeneric(c, OBJ_EX, key, val, c.argv[2] ?? '', 'seconds', OK, NIL, 3)
}

/** PSETEX key milliseconds value */
function psetexCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const val = createValueObject(c.srv, c.ctx, key, c.argv, 3)
  return setGeneric(c, OBJ_PX, key, val, c.argv[2] ?? '', 'milliseconds', OK, NIL, 3)
}

/** GET key */
function getCommand(c: CommandCall): Reply {
  return getGeneric(c)
}

/** GETEX key [PERSIST|EX s|PX ms|EXAT ts|PXAT ms-ts] */
function getexCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const args = parseExtendedStringArguments(c.argv, false)
  if (args === null) return ERR_SYNTAX
  const key = c.argv[1] ?? ''
  const o = lookupKeyRead(srv, ctx, db, key)
  if (o === null) return NIL
  if (o.type !== 'string') return ERR_WRONGTYPE
  let when = 0n
  if (args.expire !== null) {
    const ms = getExpireMilliseconds(ctx, c.cmd.name, args.expire, args.flags, args.unit)
    if (typeof ms !== 'bigint') return ms
    when = ms
  }
  const reply = bulkOf(o)
  // Replied before the key is expired or deleted.
  pubsubReplyWritten(c)
  if (args.flags & (OBJ_PXAT | OBJ_EXAT) && checkAlreadyExpired(srv, ctx, when)) {
    // checkAlreadyExpired: an absolute time in the past deletes the key at once (but not on
    // a replica, which keeps it with its past TTL).
    dbDelete(ctx, db, key)
    rewriteCommandVector(srv, [srv.config.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key])
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', key, db.id)
    srv.dirty++
  } else if (args.expire !== null) {
    setExpireByClient(srv, ctx, db, key, when)
    rewriteCommandVector(srv, ['PEXPIREAT', key, String(when)])
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'expire', key, db.id)
    srv.dirty++
  } else if (args.flags & OBJ_PERSIST) {
    if (removeExpire(ctx, db, key)) {
      signalModifiedKey(srv, ctx, db, key)
      rewriteCommandVector(srv, ['PERSIST', key])
      notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'persist', key, db.id)
      srv.dirty++
    }
  }
  return reply
}

/** GETDEL key */
function getdelCommand(c: CommandCall): Reply {
  const reply = getGeneric(c)
  if (reply.type === 'error') return reply
  pubsubReplyWritten(c)
  const key = c.argv[1] ?? ''
  if (dbDelete(c.ctx, c.db, key)) {
    // Propagated as DEL (UNLINK under lazyfree-lazy-user-del).
    rewriteCommandVector(c.srv, [c.srv.config.lazyfreeLazyUserDel ? 'UNLINK' : 'DEL', key])
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_GENERIC, 'del', key, c.db.id)
    c.srv.dirty++
  }
  return reply
}

/** GETSET key value */
function getsetCommand(c: CommandCall): Reply {
  const reply = getGeneric(c)
  if (reply.type === 'error') return reply
  pubsubReplyWritten(c)
  const key = c.argv[1] ?? ''
  const val = createValueObject(c.srv, c.ctx, key, c.argv, 2)
  setKey(c.srv, c.ctx, c.db, key, val)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STRING, 'set', key, c.db.id)
  c.srv.dirty++
  // Propagated as SET.
  rewriteCommandVector(c.srv, ['SET', key, c.argv[2] ?? ''])
  return reply
}

/** MSET / MSETNX: set every pair; MSETNX sets nothing if any key exists. */
function msetGeneric(c: CommandCall, nx: boolean): Reply {
  const { srv, ctx, db, argv } = c
  if (argv.length % 2 === 0) return wrongArity(c.cmd.name)
  if (nx) {
    for (let j = 1; j < argv.length; j += 2)
      if (lookupKeyWrite(srv, ctx, db, argv[j] ?? '') !== null) return ZERO
  }
  for (let j = 1; j < argv.length; j += 2) {
    const key = argv[j] ?? ''
    setKey(srv, ctx, db, key, createValueObject(srv, ctx, key, argv, j + 1))
    notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'set', key, db.id)
  }
  srv.dirty += (argv.length - 1) / 2
  return nx ? ONE : OK
}

function msetCommand(c: CommandCall): Reply {
  return msetGeneric(c, false)
}

function msetnxCommand(c: CommandCall): Reply {
  return msetGeneric(c, true)
}

/** MGET key [key ...]: nil for missing keys and for non-strings. */
function mgetCommand(c: CommandCall): Reply {
  const out: Reply[] = []
  for (let j = 1; j < c.argv.length; j++) {
    // mgetCommand writes the array's header, then looks each key up (a keymiss event, a lazy
    // expiry's, comes between the elements).
    pubsubReplyAt(c, j)
    const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[j] ?? '')
    out.push(o === null || o.type !== 'string' ? NIL : bulkOf(o))
  }
  return array(out)
}

// --- Byte-level commands ---

/** APPEND key value → new length. */
function appendCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const value = c.argv[2] ?? ''
  const o = lookupKeyWrite(srv, ctx, db, key)
  let totlen: number
  if (o === null) {
    const val = createValueObject(srv, ctx, key, c.argv, 2)
    dbAdd(ctx, db, key, val, srv)
    totlen = value.length
  } else {
    if (o.type !== 'string') return ERR_WRONGTYPE
    if (!checkStringLength(srv, stringObjectLen(o), value.length)) return error(STRING_TOO_LONG)
    const raw = dbUnshareStringValue(srv, ctx, db, key, o, 'append')
    totlen = stringAppend(ctx, key, raw, value)
  }
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'append', key, db.id)
  srv.dirty++
  return integer(totlen)
}

/** STRLEN key */
function strlenCommand(c: CommandCall): Reply {
  const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[1] ?? '')
  if (o === null) return ZERO
  if (o.type !== 'string') return ERR_WRONGTYPE
  return integer(stringObjectLen(o))
}

/** GETRANGE key start end (and its old name SUBSTR). */
function getrangeCommand(c: CommandCall): Reply {
  const start = string2ll(c.argv[2] ?? '')
  if (start === null) return NOT_INTEGER
  const end = string2ll(c.argv[3] ?? '')
  if (end === null) return NOT_INTEGER
  const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[1] ?? '')
  if (o === null) return EMPTY_BULK
  if (o.type !== 'string') return ERR_WRONGTYPE
  return bulk(stringGetRange(getDecodedString(o), start, end))
}

/** SETRANGE key offset value → new length. */
function setrangeCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const value = c.argv[3] ?? ''
  const offsetBig = string2ll(c.argv[2] ?? '')
  if (offsetBig === null) return NOT_INTEGER
  if (offsetBig < 0n) return error('ERR offset is out of range')
  const offset = Number(offsetBig)
  const o = lookupKeyWrite(srv, ctx, db, key)
  let raw: SdsStringObject
  if (o === null) {
    if (value.length === 0) return ZERO
    if (!checkStringLength(srv, offset, value.length)) return error(STRING_TOO_LONG)
    // createObject(OBJ_STRING, sdsnewlen(NULL, offset+len)): a RAW string of NULs.
    raw = createRawStringObject(srv, '\0'.repeat(offset + value.length))
    dbAdd(ctx, db, key, raw, srv)
  } else {
    if (o.type !== 'string') return ERR_WRONGTYPE
    const olen = stringObjectLen(o)
    if (value.length === 0) return integer(olen)
    if (!checkStringLength(srv, offset, value.length)) return error(STRING_TOO_LONG)
    raw = dbUnshareStringValue(srv, ctx, db, key, o, 'setrange')
  }
  stringSetRange(ctx, key, raw, offset, value)
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'setrange', key, db.id)
  srv.dirty++
  return integer(raw.ptr.buf.length)
}

// --- Counters ---

/**
 * t_string.c incrDecrCommand: parse the current value (a missing key is 0), refuse
 * overflow, then either update a private int object in place (result outside the shared
 * range) or store a new object (a shared integer when allowed).
 */
function incrDecr(c: CommandCall, incr: bigint): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const o = lookupKeyWrite(srv, ctx, db, key)
  if (o !== null && o.type !== 'string') return ERR_WRONGTYPE
  const old = getLongLongFromObject(o)
  if (old === null) return NOT_INTEGER
  // Counters and increments within ±(2^53 − 1) whose sum is too (nearly every call) add
  // exactly as doubles, far from the int64 limits: no overflow check can fire and no BigInt
  // is computed unless an int object must hold the result (~40 ns of BigInt work a call).
  const oldN = Number(old)
  const incrN = Number(incr)
  const sumN = oldN + incrN
  const small =
    Number.isSafeInteger(oldN) && Number.isSafeInteger(incrN) && Number.isSafeInteger(sumN)
  if (
    !small &&
    ((incr < 0n && old < 0n && incr < LLONG_MIN - old) ||
      (incr > 0n && old > 0n && incr > LLONG_MAX - old))
  )
    return error('ERR increment or decrement would overflow')
  const big = small ? null : old + incr
  const inSharedRange = small
    ? sumN >= 0 && sumN < OBJ_SHARED_INTEGERS
    : (big as bigint) >= 0n && (big as bigint) < OBJ_SHARED_INTEGERS_BIG
  if (o !== null && o.refcount === 1 && o.encoding === 'int' && !inSharedRange) {
    o.ptr = big ?? BigInt(sumN)
  } else {
    const fresh =
      small && inSharedRange && sharedIntegersAllowed(srv)
        ? sharedInteger(srv, sumN)
        : createStringObjectFromLongLongForValue(srv, big ?? BigInt(sumN))
    if (o !== null) {
      dbOverwrite(srv, ctx, db, key, fresh)
      // The value's text is printed only for an event that is emitted (a BigInt's toString
      // was 40 % of INCR's own time over existing counters, trace off).
      if (ctx.tracing && o.encoding !== fresh.encoding)
        noteEncodingChange(ctx, key, o.encoding, fresh.encoding, 'incr', {
          value: (big ?? BigInt(sumN)).toString(),
        })
    } else dbAdd(ctx, db, key, fresh, srv)
  }
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'incrby', key, db.id)
  srv.dirty++
  return big === null ? integer(sumN) : integerLL(big)
}

function incrCommand(c: CommandCall): Reply {
  return incrDecr(c, 1n)
}

function decrCommand(c: CommandCall): Reply {
  return incrDecr(c, -1n)
}

function incrbyCommand(c: CommandCall): Reply {
  const incr = string2ll(c.argv[2] ?? '')
  if (incr === null) return NOT_INTEGER
  return incrDecr(c, incr)
}

function decrbyCommand(c: CommandCall): Reply {
  const incr = string2ll(c.argv[2] ?? '')
  if (incr === null) return NOT_INTEGER
  if (incr === LLONG_MIN) return error('ERR decrement would overflow')
  return incrDecr(c, -incr)
}

/** INCRBYFLOAT key increment: long double arithmetic, human-format result. */
function incrbyfloatCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const o = lookupKeyWrite(srv, ctx, db, key)
  if (o !== null && o.type !== 'string') return ERR_WRONGTYPE
  const value = getLongDoubleFromObject(o)
  if (value === null) return ERR_NOT_FLOAT
  const incr = string2ld(c.argv[2] ?? '')
  if (incr === null) return ERR_NOT_FLOAT
  const sum = ldAdd(value, incr)
  if (ldIsNanOrInf(sum)) return error('ERR increment would produce NaN or Infinity')
  const fresh = createStringObjectFromLongDouble(srv, sum)
  if (o !== null) {
    dbOverwrite(srv, ctx, db, key, fresh)
    noteEncodingChange(ctx, key, o.encoding, fresh.encoding, 'incrbyfloat', {})
  } else dbAdd(ctx, db, key, fresh, srv)
  // Propagated as SET key <fresh> KEEPTTL: the rewritten argv holds the value (inside EXEC,
  // until EXEC returns).
  execArgvHold(srv, fresh)
  rewriteCommandVector(srv, ['SET', key, getDecodedString(fresh), 'KEEPTTL'])
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_STRING, 'incrbyfloat', key, db.id)
  srv.dirty++
  return bulkOf(fresh)
}

// --- LCS ---

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
function lcsCommand(c: CommandCall): Reply {
  const { srv, ctx, db, argv } = c
  const oa = lookupKeyRead(srv, ctx, db, argv[1] ?? '')
  const ob = lookupKeyRead(srv, ctx, db, argv[2] ?? '')
  if ((oa !== null && oa.type !== 'string') || (ob !== null && ob.type !== 'string'))
    return error('ERR The specified keys must contain string values')
  const a = oa === null ? '' : getDecodedString(oa)
  const b = ob === null ? '' : getDecodedString(ob)
  let getlen = false
  let getidx = false
  let withmatchlen = false
  let minmatchlen = 0n
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j] ?? ''
    const moreargs = argv.length - 1 - j
    if (isToken(opt, 'IDX')) getidx = true
    else if (isToken(opt, 'LEN')) getlen = true
    else if (isToken(opt, 'WITHMATCHLEN')) withmatchlen = true
    else if (isToken(opt, 'MINMATCHLEN') && moreargs > 0) {
      const v = string2ll(argv[j + 1] ?? '')
      if (v === null) return NOT_INTEGER
      minmatchlen = v < 0n ? 0n : v
      j++
    } else return ERR_SYNTAX
  }
  if (getlen && getidx)
    return error('ERR If you want both the length and indexes, please just use IDX.')
  if ((a.length + 1) * (b.length + 1) * 4 > srv.config.protoMaxBulkLen)
    return error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len')
  const min = minmatchlen > 0xffffffffn ? Number.MAX_SAFE_INTEGER : Number(minmatchlen)
  const r = lcsCompute(a, b, min)
  if (getidx) {
    const matches = r.matches.map((m) => {
      const items: Reply[] = [
        array([integer(m.a[0]), integer(m.a[1])]),
        array([integer(m.b[0]), integer(m.b[1])]),
      ]
      if (withmatchlen) items.push(integer(m.len))
      return array(items)
    })
    return mapReply(c.client.resp, [bulk('matches'), array(matches), bulk('len'), integer(r.len)])
  }
  if (getlen) return integer(r.len)
  return bulk(r.text)
}

// --- Specs ---

export const stringCommands: readonly CommandSpec[] = [
  defineCommand('set', setCommand),
  defineCommand('get', getCommand),
  defineCommand('getset', getsetCommand),
  defineCommand('getdel', getdelCommand),
  defineCommand('getex', getexCommand),
  defineCommand('setnx', setnxCommand),
  defineCommand('setex', setexCommand),
  defineCommand('psetex', psetexCommand),
  defineCommand('mset', msetCommand),
  defineCommand('msetnx', msetnxCommand),
  defineCommand('mget', mgetCommand),
  defineCommand('append', appendCommand),
  defineCommand('strlen', strlenCommand),
  defineCommand('getrange', getrangeCommand),
  defineCommand('substr', getrangeCommand),
  defineCommand('setrange', setrangeCommand),
  defineCommand('incr', incrCommand),
  defineCommand('incrby', incrbyCommand),
  defineCommand('decr', decrCommand),
  defineCommand('decrby', decrbyCommand),
  defineCommand('incrbyfloat', incrbyfloatCommand),
  defineCommand('lcs', lcsCommand),
]
