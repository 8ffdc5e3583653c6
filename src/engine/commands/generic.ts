/**
 * Keyspace commands — follows redis/src/db.c, expire.c and object.c (7.0.15): DEL, UNLINK,
 * EXISTS, TYPE, RENAME, RENAMENX, MOVE, COPY, KEYS, SCAN, RANDOMKEY, the EXPIRE family,
 * TTL/PTTL/EXPIRETIME/PEXPIRETIME, PERSIST, TOUCH and OBJECT.
 *
 * As in Redis, every handler decides what kind of lookup it makes, because the lookup
 * decides the side effects: read lookups count keyspace hits/misses and touch the LRU/LFU
 * field, NOTOUCH lookups (EXISTS, TYPE, TTL, OBJECT) leave it alone, write lookups count
 * nothing; all of them expire a logically expired key first.
 *
 * SCAN is scanGenericCommand: dictScan calls with the reverse-binary cursor until COUNT
 * elements are collected or COUNT×10 calls were made, then filtering (MATCH, TYPE, expired
 * keys) after the fact, which is why a reply can hold fewer than COUNT keys with a non-zero
 * cursor. The same function serves HSCAN/SSCAN/ZSCAN through a ScanSource (a hashtable is
 * scanned, a listpack or intset returns everything at once with cursor 0).
 */
import { isReplica } from '../replica.ts'
import { rewriteCommandVector } from '../replication.ts'
import { cstr } from '../bytes.ts'
import type { ExecContext } from '../context.ts'
import {
  dbAdd,
  dbDelete,
  expireIfNeeded,
  getExpireExact,
  keyIsExpired,
  lookupKeyRead,
  lookupKeyReadWithFlags,
  lookupKeyWrite,
  LOOKUP_NONOTIFY,
  LOOKUP_NOTOUCH,
  removeExpire,
  setExpireByClient,
  signalModifiedKey,
  type RedisDb,
  checkAlreadyExpired,
} from '../keyspace/db.ts'
import { NOTIFY_GENERIC, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { estimateObjectIdleTime } from '../keyspace/lru.ts'
import { dbAsyncDelete } from '../keyspace/lazyfree.ts'
import {
  array,
  bulk,
  bulkArray,
  error,
  ERR_NO_SUCH_KEY,
  ERR_SYNTAX,
  integer,
  NIL,
  OK,
  ONE,
  simple,
  ZERO,
  type Reply,
} from '../reply.ts'
import type { ServerState } from '../state.ts'
import {
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictSize,
  dictGetKey,
  dictScan,
  NO_ENTRY,
  type Dict,
} from '../structures/dict.ts'
import {
  createEmbeddedStringObject,
  createRawStringObject,
  initialLru,
  lfuDecrAndReturn,
  policyIsLfu,
  type RedisObject,
  type StringObject,
} from '../types/object.ts'
import { stringmatchlen } from '../util/glob.ts'
import { LLONG_MAX, LLONG_MIN, string2ll, strtoulCursor } from '../util/numbers.ts'
import { integerLL, invalidExpireTime, isToken, NOT_INTEGER } from './common.ts'
import { getIntOrReply, getLongOrReply, helpReply } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyWritten } from './pubsub.ts'

// --- Shared pieces ---

const ERR_SAME_OBJECT = error('ERR source and destination objects are the same')
const ERR_DB_RANGE = error('ERR DB index is out of range')

/** db.c getObjectTypeName: the TYPE reply for a value (or "none"). */
export function getObjectTypeName(o: RedisObject | null): string {
  return o === null ? 'none' : o.type
}

/** db.c selectDb's range check: the db with that index, or null. */
function dbByIndex(srv: ServerState, id: number): RedisDb | null {
  if (id < 0 || id >= srv.dbs.length) return null
  return srv.dbs[id] ?? null
}

// --- DEL, UNLINK, EXISTS, TYPE, TOUCH ---

/**
 * db.c delGenericCommand: expire first (so expired keys do not count), then delete; `lazy`
 * (UNLINK, or DEL under lazyfree-lazy-user-del) frees through dbAsyncDelete.
 */
function delGeneric(c: CommandCall, lazy: boolean): Reply {
  const { srv, ctx, db, argv } = c
  let numdel = 0
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j] ?? ''
    expireIfNeeded(srv, ctx, db, key, 0)
    if (lazy ? dbAsyncDelete(srv, ctx, db, key) : dbDelete(ctx, db, key)) {
      signalModifiedKey(srv, ctx, db, key)
      notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', key, db.id)
      srv.dirty++
      numdel++
    }
  }
  return integer(numdel)
}

function delCommand(c: CommandCall): Reply {
  return delGeneric(c, c.srv.config.lazyfreeLazyUserDel)
}

function unlinkCommand(c: CommandCall): Reply {
  return delGeneric(c, true)
}

/** EXISTS key [key ...]: counts repeats, does not touch the LRU. */
function existsCommand(c: CommandCall): Reply {
  let count = 0
  for (let j = 1; j < c.argv.length; j++)
    if (lookupKeyReadWithFlags(c.srv, c.ctx, c.db, c.argv[j] ?? '', LOOKUP_NOTOUCH) !== null)
      count++
  return integer(count)
}

/** TYPE key */
function typeCommand(c: CommandCall): Reply {
  const o = lookupKeyReadWithFlags(c.srv, c.ctx, c.db, c.argv[1] ?? '', LOOKUP_NOTOUCH)
  return simple(getObjectTypeName(o))
}

/** TOUCH key [key ...]: a read lookup of each (updates LRU/LFU). */
function touchCommand(c: CommandCall): Reply {
  let touched = 0
  for (let j = 1; j < c.argv.length; j++)
    if (lookupKeyRead(c.srv, c.ctx, c.db, c.argv[j] ?? '') !== null) touched++
  return integer(touched)
}

// --- RENAME, MOVE, COPY ---

/** db.c renameGenericCommand. */
function renameGeneric(c: CommandCall, nx: boolean): Reply {
  const { srv, ctx, db } = c
  const src = c.argv[1] ?? ''
  const dst = c.argv[2] ?? ''
  const o = lookupKeyWrite(srv, ctx, db, src)
  if (o === null) return ERR_NO_SUCH_KEY
  if (src === dst) return nx ? ZERO : OK
  const expire = getExpireExact(ctx, db, src)
  if (lookupKeyWrite(srv, ctx, db, dst) !== null) {
    if (nx) return ZERO
    dbDelete(ctx, db, dst)
  }
  dbAdd(ctx, db, dst, o, srv)
  if (expire !== -1n) setExpireByClient(srv, ctx, db, dst, expire)
  dbDelete(ctx, db, src)
  signalModifiedKey(srv, ctx, db, src)
  signalModifiedKey(srv, ctx, db, dst)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'rename_from', src, db.id)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'rename_to', dst, db.id)
  srv.dirty++
  return nx ? ONE : OK
}

function renameCommand(c: CommandCall): Reply {
  return renameGeneric(c, false)
}

function renamenxCommand(c: CommandCall): Reply {
  return renameGeneric(c, true)
}

/** MOVE key db */
function moveCommand(c: CommandCall): Reply {
  const { srv, ctx, db: src } = c
  const key = c.argv[1] ?? ''
  const id = getIntOrReply(c.argv[2] ?? '')
  if (typeof id === 'object') return id
  const dst = dbByIndex(srv, id)
  if (dst === null) return ERR_DB_RANGE
  if (dst === src) return ERR_SAME_OBJECT
  const o = lookupKeyWrite(srv, ctx, src, key)
  if (o === null) return ZERO
  const expire = getExpireExact(ctx, src, key)
  if (lookupKeyWrite(srv, ctx, dst, key) !== null) return ZERO
  dbAdd(ctx, dst, key, o, srv)
  if (expire !== -1n) setExpireByClient(srv, ctx, dst, key, expire)
  dbDelete(ctx, src, key)
  signalModifiedKey(srv, ctx, src, key)
  signalModifiedKey(srv, ctx, dst, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'move_from', key, src.id)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'move_to', key, dst.id)
  srv.dirty++
  return ONE
}

/** object.c dupStringObject: same encoding; an int (even a shared one) becomes private. */
export function dupStringObject(srv: ServerState, o: StringObject): StringObject {
  switch (o.encoding) {
    case 'raw':
      return createRawStringObject(srv, o.ptr.buf)
    case 'embstr':
      return createEmbeddedStringObject(srv, o.ptr)
    case 'int':
      return { type: 'string', encoding: 'int', ptr: o.ptr, lru: initialLru(srv), refcount: 1 }
  }
}

/**
 * COPY's value duplication by type (listTypeDup, setTypeDup, zsetDup, hashTypeDup). Only
 * strings are wired here; the container families add their dup function to this map.
 */
export const objectDuplicators: Partial<
  Record<
    RedisObject['type'],
    (
      srv: ServerState,
      o: RedisObject,
      dst: { srv: ServerState; ctx: ExecContext; dbid: number; key: string },
    ) => RedisObject
  >
> = {
  string: (srv, o) => (o.type === 'string' ? dupStringObject(srv, o) : o),
}

/** COPY source destination [DB destination-db] [REPLACE] */
function copyCommand(c: CommandCall): Reply {
  const { srv, ctx, db: src, argv } = c
  let dst = src
  let replace = false
  for (let j = 3; j < argv.length; j++) {
    const additional = argv.length - j - 1
    const opt = argv[j] ?? ''
    if (isToken(opt, 'REPLACE')) replace = true
    else if (isToken(opt, 'DB') && additional >= 1) {
      const id = getIntOrReply(argv[j + 1] ?? '')
      if (typeof id === 'object') return id
      const target = dbByIndex(srv, id)
      if (target === null) return ERR_DB_RANGE
      dst = target
      j++
    } else return ERR_SYNTAX
  }
  const key = argv[1] ?? ''
  const newkey = argv[2] ?? ''
  if (src === dst && key === newkey) return ERR_SAME_OBJECT
  const o = lookupKeyRead(srv, ctx, src, key)
  if (o === null) return ZERO
  const expire = getExpireExact(ctx, src, key)
  let del = false
  if (lookupKeyWrite(srv, ctx, dst, newkey) !== null) {
    if (!replace) return ZERO
    del = true
  }
  const dup = objectDuplicators[o.type]
  if (dup === undefined) return error('ERR unknown type object')
  const newobj = dup(srv, o, { srv, ctx, dbid: dst.id, key: newkey })
  if (del) dbDelete(ctx, dst, newkey)
  dbAdd(ctx, dst, newkey, newobj, srv)
  if (expire !== -1n) setExpireByClient(srv, ctx, dst, newkey, expire)
  signalModifiedKey(srv, ctx, dst, newkey)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'copy_to', newkey, dst.id)
  srv.dirty++
  return ONE
}

// --- KEYS, RANDOMKEY ---

/** KEYS pattern: walks the whole keyspace, skipping logically expired keys (not deleted). */
function keysCommand(c: CommandCall): Reply {
  const { ctx, db } = c
  const pattern = c.argv[1] ?? ''
  const allkeys = pattern === '*'
  const out: string[] = []
  dictForEach(db.dict, (key) => {
    if (allkeys || stringmatchlen(pattern, key)) {
      if (!keyIsExpired(ctx, db, key)) out.push(key)
    }
  })
  return bulkArray(out)
}

/**
 * db.c dbRandomKey: dictGetFairRandomKey until a key that is not expired (expired picks
 * are deleted on the way). Null when the db is empty. A replica deletes none: when every key
 * has a TTL they may all be expired there, so the 100th volatile pick is returned anyway.
 */
export function dbRandomKey(srv: ServerState, ctx: ExecContext, db: RedisDb): string | null {
  let maxtries = 100
  const allvolatile = dictSize(db.dict) === dictSize(db.expires)
  for (;;) {
    const de = dictGetFairRandomKey(ctx, db.dict)
    if (de === NO_ENTRY) return null
    const key = dictGetKey(db.dict, de)
    if (dictFind(ctx, db.expires, key) !== NO_ENTRY) {
      if (allvolatile && isReplica(srv) && --maxtries === 0) return key
      if (expireIfNeeded(srv, ctx, db, key, 0)) continue
    }
    return key
  }
}

function randomkeyCommand(c: CommandCall): Reply {
  const key = dbRandomKey(c.srv, c.ctx, c.db)
  return key === null ? NIL : bulk(key)
}

// --- SCAN ---

/** What scanGeneric iterates. */
export type ScanSource =
  /** The selected db's keyspace (SCAN). */
  | { readonly kind: 'keys' }
  /**
   * A hashtable-encoded value (HT set, HT hash, skiplist zset's dict). `items` turns an
   * entry into its reply elements (member, or field+value / member+score when `pairs`).
   */
  | {
      readonly kind: 'dict'
      readonly dict: Dict<unknown>
      readonly pairs: boolean
      readonly items: (key: string, val: unknown) => readonly string[]
    }
  /** A listpack or intset value: every element at once, cursor 0. */
  | { readonly kind: 'all'; readonly pairs: boolean; readonly items: readonly string[] }

/**
 * db.c parseScanCursorOrReply: strtoul rules ("ERR invalid cursor" on a leading space,
 * trailing bytes or overflow).
 */
export function parseScanCursor(arg: string): bigint | Reply {
  const v = strtoulCursor(arg)
  return v === null ? error('ERR invalid cursor') : v
}

/**
 * db.c scanGenericCommand. `firstOpt` is the argv index of the first option (2 for SCAN,
 * 3 for HSCAN/SSCAN/ZSCAN). Options: COUNT n (≥ 1), MATCH pattern, TYPE t (keyspace only).
 */
export function scanGeneric(
  c: CommandCall,
  src: ScanSource,
  cursorIn: bigint,
  firstOpt: number,
): Reply {
  const { srv, ctx, db, argv } = c
  let count = 10n
  let pat: string | null = null
  let usePattern = false
  let typename: string | null = null
  for (let i = firstOpt; i < argv.length;) {
    const j = argv.length - i
    const opt = argv[i] ?? ''
    if (isToken(opt, 'COUNT') && j >= 2) {
      const v = getLongOrReply(argv[i + 1] ?? '')
      if (typeof v === 'object') return v
      if (v < 1n) return ERR_SYNTAX
      count = v
      i += 2
    } else if (isToken(opt, 'MATCH') && j >= 2) {
      pat = argv[i + 1] ?? ''
      usePattern = pat !== '*'
      i += 2
    } else if (isToken(opt, 'TYPE') && src.kind === 'keys' && j >= 2) {
      typename = argv[i + 1] ?? ''
      i += 2
    } else return ERR_SYNTAX
  }

  // Step 2: collect. Only the cursor's low 32 bits matter to dictScan (tables are smaller).
  let cursor = cursorIn
  let items: string[] = []
  const pairs = src.kind !== 'keys' && src.pairs
  if (src.kind === 'all') {
    items = [...src.items]
    cursor = 0n
  } else {
    const dict: Dict<unknown> = src.kind === 'keys' ? db.dict : src.dict
    const target = pairs ? count * 2n : count
    const take =
      src.kind === 'keys'
        ? (key: string) => items.push(key)
        : (key: string, val: unknown) => items.push(...src.items(key, val))
    let maxiterations = target * 10n
    let v = Number(cursor & 0xffffffffn)
    do {
      v = dictScan(ctx, dict, v, take)
    } while (v !== 0 && maxiterations-- !== 0n && BigInt(items.length) < target)
    cursor = BigInt(v)
  }

  // Step 3: filter (pattern, type, expired keys); pairs are kept or dropped together.
  const kept: string[] = []
  const stride = pairs ? 2 : 1
  for (let k = 0; k < items.length; k += stride) {
    const key = items[k] ?? ''
    let filter = false
    if (usePattern && pat !== null && !stringmatchlen(pat, key)) filter = true
    if (!filter && src.kind === 'keys' && typename !== null) {
      const o = lookupKeyReadWithFlags(srv, ctx, db, key, LOOKUP_NOTOUCH)
      if (getObjectTypeName(o).toLowerCase() !== cstr(typename).toLowerCase()) filter = true
    }
    if (!filter && src.kind === 'keys' && expireIfNeeded(srv, ctx, db, key, 0)) filter = true
    if (!filter) {
      kept.push(key)
      if (pairs) kept.push(items[k + 1] ?? '')
    }
  }
  return array([bulk(cursor.toString()), bulkArray(kept)])
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
function scanCommand(c: CommandCall): Reply {
  const cursor = parseScanCursor(c.argv[1] ?? '')
  if (typeof cursor === 'object') return cursor
  return scanGeneric(c, { kind: 'keys' }, cursor, 2)
}

// --- EXPIRE family ---

const EXPIRE_NX = 1
const EXPIRE_XX = 2
const EXPIRE_GT = 4
const EXPIRE_LT = 8

/** expire.c parseExtendedExpireArgumentsOrReply: NX XX GT LT and their conflicts. */
function parseExtendedExpireArguments(argv: readonly string[]): number | Reply {
  let flags = 0
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j] ?? ''
    if (isToken(opt, 'NX')) flags |= EXPIRE_NX
    else if (isToken(opt, 'XX')) flags |= EXPIRE_XX
    else if (isToken(opt, 'GT')) flags |= EXPIRE_GT
    else if (isToken(opt, 'LT')) flags |= EXPIRE_LT
    else return error(`ERR Unsupported option ${cstr(opt)}`)
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))
    return error('ERR NX and XX, GT or LT options at the same time are not compatible')
  if (flags & EXPIRE_GT && flags & EXPIRE_LT)
    return error('ERR GT and LT options at the same time are not compatible')
  return flags
}

/**
 * expire.c expireGenericCommand: `basetime` is the command time for relative variants and
 * 0 for *AT; seconds are scaled with overflow checks. A time not after now deletes the key
 * (checkAlreadyExpired on a master).
 */
function expireGeneric(c: CommandCall, basetime: number, unit: 'seconds' | 'milliseconds'): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  const flags = parseExtendedExpireArguments(c.argv)
  if (typeof flags === 'object') return flags
  let when = string2ll(c.argv[2] ?? '')
  if (when === null) return NOT_INTEGER
  if (unit === 'seconds') {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return invalidExpireTime(c.cmd.name)
    when *= 1000n
  }
  const base = BigInt(basetime)
  if (when > LLONG_MAX - base) return invalidExpireTime(c.cmd.name)
  when += base
  if (lookupKeyWrite(srv, ctx, db, key) === null) return ZERO
  if (flags !== 0) {
    const current = getExpireExact(ctx, db, key)
    if (flags & EXPIRE_NX && current !== -1n) return ZERO
    if (flags & EXPIRE_XX && current === -1n) return ZERO
    if (flags & EXPIRE_GT && (when <= current || current === -1n)) return ZERO
    if (flags & EXPIRE_LT && current !== -1n && when >= current) return ZERO
  }
  // checkAlreadyExpired: not on a replica, which keeps the key with its past TTL.
  if (checkAlreadyExpired(srv, ctx, when)) {
    dbDelete(ctx, db, key)
    srv.dirty++
    // Replicated as an explicit DEL (UNLINK under lazyfree-lazy-expire).
    rewriteCommandVector(srv, [srv.config.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key])
    signalModifiedKey(srv, ctx, db, key)
    notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', key, db.id)
    return ONE
  }
  setExpireByClient(srv, ctx, db, key, when)
  // Replicated as PEXPIREAT <absolute ms> (the options stay).
  const prop = c.argv.slice()
  if (c.cmd.name !== 'pexpireat') prop[0] = 'PEXPIREAT'
  if (base !== 0n || unit === 'seconds') prop[2] = String(when)
  rewriteCommandVector(srv, prop)
  // expire.c replies before it signals and notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'expire', key, db.id)
  srv.dirty++
  return ONE
}

function expireCommand(c: CommandCall): Reply {
  return expireGeneric(c, c.ctx.now, 'seconds')
}

function expireatCommand(c: CommandCall): Reply {
  return expireGeneric(c, 0, 'seconds')
}

function pexpireCommand(c: CommandCall): Reply {
  return expireGeneric(c, c.ctx.now, 'milliseconds')
}

function pexpireatCommand(c: CommandCall): Reply {
  return expireGeneric(c, 0, 'milliseconds')
}

/** expire.c ttlGenericCommand: -2 missing, -1 no TTL; TTL rounds (ms + 500) / 1000. */
function ttlGeneric(c: CommandCall, outputMs: boolean, outputAbs: boolean): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  if (lookupKeyReadWithFlags(srv, ctx, db, key, LOOKUP_NOTOUCH) === null) return integer(-2)
  const expire = getExpireExact(ctx, db, key)
  if (expire === -1n) return integer(-1)
  let ttl = outputAbs ? expire : expire - BigInt(ctx.now)
  if (ttl < 0n) ttl = 0n
  return integerLL(outputMs ? ttl : (ttl + 500n) / 1000n)
}

function ttlCommand(c: CommandCall): Reply {
  return ttlGeneric(c, false, false)
}

function pttlCommand(c: CommandCall): Reply {
  return ttlGeneric(c, true, false)
}

function expiretimeCommand(c: CommandCall): Reply {
  return ttlGeneric(c, false, true)
}

function pexpiretimeCommand(c: CommandCall): Reply {
  return ttlGeneric(c, true, true)
}

/** PERSIST key */
function persistCommand(c: CommandCall): Reply {
  const { srv, ctx, db } = c
  const key = c.argv[1] ?? ''
  if (lookupKeyWrite(srv, ctx, db, key) === null) return ZERO
  if (!removeExpire(ctx, db, key)) return ZERO
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'persist', key, db.id)
  srv.dirty++
  return ONE
}

// --- OBJECT ---

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
]

/**
 * object.c objectCommandLookup: NOTOUCH | NONOTIFY read lookup of argv[2] (OBJECT, and the
 * DEBUG subcommands that inspect a key without touching it).
 */
export function objectLookup(c: CommandCall): RedisObject | null {
  return lookupKeyReadWithFlags(
    c.srv,
    c.ctx,
    c.db,
    c.argv[2] ?? '',
    LOOKUP_NOTOUCH | LOOKUP_NONOTIFY,
  )
}

function objectEncodingCommand(c: CommandCall): Reply {
  const o = objectLookup(c)
  return o === null ? NIL : bulk(o.encoding)
}

function objectRefcountCommand(c: CommandCall): Reply {
  const o = objectLookup(c)
  return o === null ? NIL : integer(o.refcount)
}

function objectIdletimeCommand(c: CommandCall): Reply {
  const o = objectLookup(c)
  if (o === null) return NIL
  if (policyIsLfu(c.srv))
    return error(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    )
  return integer(Math.floor(estimateObjectIdleTime(c.srv.lruclock, o.lru) / 1000))
}

function objectFreqCommand(c: CommandCall): Reply {
  const o = objectLookup(c)
  if (o === null) return NIL
  if (!policyIsLfu(c.srv))
    return error(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    )
  return integer(lfuDecrAndReturn(c.srv, o))
}

function objectHelpCommand(c: CommandCall): Reply {
  return helpReply(c.argv[0] ?? 'object', OBJECT_HELP)
}

// --- Specs ---

export const genericCommands: readonly CommandSpec[] = [
  defineCommand('del', delCommand),
  defineCommand('unlink', unlinkCommand),
  defineCommand('exists', existsCommand),
  defineCommand('type', typeCommand),
  defineCommand('rename', renameCommand),
  defineCommand('renamenx', renamenxCommand),
  defineCommand('move', moveCommand),
  defineCommand('copy', copyCommand),
  defineCommand('keys', keysCommand),
  defineCommand('scan', scanCommand),
  defineCommand('randomkey', randomkeyCommand),
  defineCommand('expire', expireCommand),
  defineCommand('pexpire', pexpireCommand),
  defineCommand('expireat', expireatCommand),
  defineCommand('pexpireat', pexpireatCommand),
  defineCommand('ttl', ttlCommand),
  defineCommand('pttl', pttlCommand),
  defineCommand('expiretime', expiretimeCommand),
  defineCommand('pexpiretime', pexpiretimeCommand),
  defineCommand('persist', persistCommand),
  defineCommand('touch', touchCommand),
  defineCommand('object', undefined, [
    defineSubcommand('object', 'encoding', objectEncodingCommand),
    defineSubcommand('object', 'freq', objectFreqCommand),
    defineSubcommand('object', 'help', objectHelpCommand),
    defineSubcommand('object', 'idletime', objectIdletimeCommand),
    defineSubcommand('object', 'refcount', objectRefcountCommand),
  ]),
]
