/**
 * Redis objects (object.c): the `robj` header every value in the keyspace carries.
 *
 * Design: a RedisObject is plain data { type, encoding, lru, refcount, ptr }. Strings are
 * fully typed here: 'int' holds a bigint (the C `long` stored in the pointer), 'embstr' its
 * bytes (robj and sdshdr8 are one allocation), 'raw' an Sds of its own. Containers keep their
 * payload type in ObjectPayloads, keyed by encoding; the container helper narrows those
 * entries as each structure lands.
 *
 * Sharing: OBJ_SHARED_INTEGERS (10000) preallocated int objects with refcount INT_MAX.
 * They are created lazily here, one table per server (not a module global, so two servers
 * in one process never share lru fields).
 *
 * LRU/LFU: `lru` holds the 24-bit LRU clock, or under an LFU policy
 * (minutes << 8) | counter; the arithmetic is in keyspace/lru.ts, the policy checks here.
 */
import type { ObjectEncoding } from '../events.ts'
import type { ExecContext } from '../context.ts'
import {
  getLRUClock,
  LFUDecrAndReturn,
  LFUInitialField,
  LRU_CLOCK_MAX,
  updateLFU,
} from '../keyspace/lru.ts'
import type { ServerState } from '../state.ts'
import type { Copier } from '../snapshot.ts'
import { sdsNewLen, sdsRemoveFreeSpace, type Sds } from '../structures/sds.ts'
import type { Dict } from '../structures/dict.ts'
import type { Intset } from '../structures/intset.ts'
import type { Listpack } from '../structures/listpack.ts'
import type { Quicklist } from '../structures/quicklist.ts'
import type { Zset } from './t_zset.ts'
import type { Stream } from './t_stream.ts'
import { LLONG_MAX, LLONG_MIN, string2l } from '../util/numbers.ts'

// --- Constants ---

export const OBJ_SHARED_REFCOUNT = 2147483647
export const OBJ_SHARED_INTEGERS = 10000
/** OBJ_SHARED_INTEGERS as a bigint (range checks of 64-bit values, made once). */
export const OBJ_SHARED_INTEGERS_BIG = BigInt(OBJ_SHARED_INTEGERS)
export const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44

// --- Types ---

export type ObjectType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream'

/** server.h OBJ_STRING ... OBJ_STREAM: each type's number (RDB-independent). */
export const OBJ_TYPE_CODES: Readonly<Record<ObjectType, number>> = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  stream: 6,
}
export type ContainerEncoding = Exclude<ObjectEncoding, 'int' | 'embstr' | 'raw'>

/**
 * Payload of each container encoding (the container type layers in t_list/t_hash/t_set/t_zset
 * own them).
 */
export interface ObjectPayloads {
  quicklist: Quicklist
  intset: Intset
  /** Hash: field → value; set: member → null (t_hash.ts, t_set.ts). */
  hashtable: Dict<string | null>
  /** Sorted set: dict member → score plus the skiplist (t_zset.ts). */
  skiplist: Zset
  /** Hash field/value pairs or zset member/score pairs. */
  listpack: Listpack
  /** A rax of listpacks (t_stream.ts). */
  stream: Stream
}

interface ObjectHeader {
  /** 24 bits: LRU clock, or LFU (minutes << 8) | counter. */
  lru: number
  refcount: number
}

export interface IntStringObject extends ObjectHeader {
  type: 'string'
  encoding: 'int'
  ptr: bigint
}

/**
 * An embstr: the robj, its sdshdr8 and the bytes are one allocation in Redis, and one object
 * here: the bytes are `ptr` itself, the header is implied (sdshdr8, alloc == len: an embstr is
 * never written in place; a write first makes it raw). stringObjectSds gives that header.
 */
export interface EmbstrStringObject extends ObjectHeader {
  type: 'string'
  encoding: 'embstr'
  ptr: string
}

/** A raw string: the robj points to an sds of its own (header, bytes, free space). */
export interface RawStringObject extends ObjectHeader {
  type: 'string'
  encoding: 'raw'
  ptr: Sds
}

export type SdsStringObject = EmbstrStringObject | RawStringObject

export type StringObject = IntStringObject | SdsStringObject

export interface ContainerObject<
  T extends Exclude<ObjectType, 'string'> = Exclude<ObjectType, 'string'>,
  E extends ContainerEncoding = ContainerEncoding,
> extends ObjectHeader {
  type: T
  encoding: E
  ptr: ObjectPayloads[E]
}

export type RedisObject = StringObject | ContainerObject

// --- LRU / LFU ---

/** Whether the policy tracks LFU counters (MAXMEMORY_FLAG_LFU). */
export function policyIsLfu(srv: ServerState): boolean {
  // Every read lookup asks: remember the answer for the last policy string seen.
  const p = srv.config.maxmemoryPolicy
  if (p !== lastPolicy) {
    lastPolicy = p
    lastPolicyIsLfu = p.endsWith('-lfu')
  }
  return lastPolicyIsLfu
}
let lastPolicy = ''
let lastPolicyIsLfu = false

/** Whether the policy tracks LRU idle time (MAXMEMORY_FLAG_LRU). */
export function policyIsLru(srv: ServerState): boolean {
  return srv.config.maxmemoryPolicy.endsWith('-lru')
}

/** db.c updateLFU with the server's LFU parameters. */
export function touchLFU(srv: ServerState, ctx: ExecContext, o: RedisObject): void {
  updateLFU(ctx, o, srv.config.lfuLogFactor, srv.config.lfuDecayTime)
}

/** The counter OBJECT FREQ and eviction see (LFUDecrAndReturn, not stored). */
export function lfuDecrAndReturn(srv: ServerState, o: RedisObject): number {
  return LFUDecrAndReturn(srv.mstime, o.lru, srv.config.lfuDecayTime)
}

/** The initial lru field of a new object (object.c createObject). */
export function initialLru(srv: ServerState): number {
  return policyIsLfu(srv) ? LFUInitialField(srv.mstime) : srv.lruclock
}

// --- Creation ---

/** object.c createObject: refcount 1, lru initialised for the policy. */
export function createObject<T extends Exclude<ObjectType, 'string'>, E extends ContainerEncoding>(
  srv: ServerState,
  type: T,
  encoding: E,
  ptr: ObjectPayloads[E],
): ContainerObject<T, E> {
  return { type, encoding, ptr, lru: initialLru(srv), refcount: 1 }
}

/** object.c createRawStringObject: robj + separate sds (sdsnewlen sizing). */
export function createRawStringObject(srv: ServerState, s: string): RawStringObject {
  return { type: 'string', encoding: 'raw', ptr: sdsNewLen(s), lru: initialLru(srv), refcount: 1 }
}

/**
 * object.c createEmbeddedStringObject: robj and an sdshdr8 in one allocation, so the sds
 * has alloc == len exactly. One object here too (EmbstrStringObject): a value is one
 * allocation for the garbage collector, and GET reads the bytes straight from it.
 */
export function createEmbeddedStringObject(srv: ServerState, s: string): EmbstrStringObject {
  return { type: 'string', encoding: 'embstr', ptr: s, lru: initialLru(srv), refcount: 1 }
}

/** The sds of a string object; an embstr's is the header it implies (sdshdr8, alloc == len). */
export function stringObjectSds(o: SdsStringObject): Sds {
  return o.encoding === 'embstr' ? { buf: o.ptr, alloc: o.ptr.length, type: 8 } : o.ptr
}

/** The bytes of an embstr or raw string. */
export function sdsObjectBuf(o: SdsStringObject): string {
  return o.encoding === 'embstr' ? o.ptr : o.ptr.buf
}

/** object.c createStringObject: embstr up to 44 bytes, raw beyond. */
export function createStringObject(srv: ServerState, s: string): SdsStringObject {
  return s.length <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT
    ? createEmbeddedStringObject(srv, s)
    : createRawStringObject(srv, s)
}

/** Whether shared integers may be used (MAXMEMORY_FLAG_NO_SHARED_INTEGERS not in effect). */
export function sharedIntegersAllowed(srv: ServerState): boolean {
  return srv.config.maxmemory === 0 || !(policyIsLru(srv) || policyIsLfu(srv))
}

/**
 * Inside EXEC, Redis keeps each queued command's argv until the transaction ends, and the
 * string commands (SET family, APPEND on a new key) store that argv object itself as the
 * value: until EXEC returns the value has a second reference (OBJECT REFCOUNT 2, and APPEND
 * or INCR on it make a private copy). The objects held per server while an EXEC runs.
 */
const execArgvHeld = new WeakMap<ServerState, RedisObject[]>()
/**
 * How many servers have an entry in execArgvHeld (a cloned one that is dropped mid-EXEC
 * keeps it counted): while none has, a SET outside EXEC skips the WeakMap lookup.
 */
let execArgvHolders = 0

/** execCommand start: argv objects are held from now on. */
export function execArgvHoldBegin(srv: ServerState): void {
  if (!execArgvHeld.has(srv)) execArgvHolders++
  execArgvHeld.set(srv, [])
}

/** A value made from a command argument: held by the argv while an EXEC runs. */
export function execArgvHold(srv: ServerState, o: RedisObject): void {
  if (execArgvHolders === 0) return
  const held = execArgvHeld.get(srv)
  if (held === undefined || o.refcount === OBJ_SHARED_REFCOUNT) return
  o.refcount++
  held.push(o)
}

/** discardTransaction after EXEC: the queued argvs are freed. */
export function execArgvHoldEnd(srv: ServerState): void {
  for (const o of execArgvHeld.get(srv) ?? []) if (o.refcount !== OBJ_SHARED_REFCOUNT) o.refcount--
  if (execArgvHeld.delete(srv)) execArgvHolders--
}

const sharedIntegerTables = new WeakMap<ServerState, IntStringObject[]>()

let lastSharedServer: ServerState | null = null
let lastSharedTable: IntStringObject[] | undefined = undefined

/** Whether the policy was an LFU one when the server started (see createSharedObjects). */
const sharedLfuAtStart = new WeakMap<ServerState, boolean>()

/**
 * server.c createSharedObjects, at startup: the shared integers get the lru field of that
 * moment's policy (LRU clock, or LFU minutes and counter) and keep it when CONFIG SET
 * switches policy later: under LFU, a shared integer's OBJECT FREQ then reads an LRU clock
 * as minutes and counter (it decays to 0). The objects are made on first use, with this.
 */
export function createSharedObjects(srv: ServerState): void {
  sharedLfuAtStart.set(srv, policyIsLfu(srv))
}

/** Copies this module's per-server tables (held argv, shared integers) for a cloned server. */
export function objectCloneState(from: ServerState, to: ServerState, copier: Copier): void {
  const held = execArgvHeld.get(from)
  if (held !== undefined) {
    if (!execArgvHeld.has(to)) execArgvHolders++
    execArgvHeld.set(to, copier.copy(held))
  }
  const table = sharedIntegerTables.get(from)
  if (table !== undefined) sharedIntegerTables.set(to, copier.copy(table))
  const lfu = sharedLfuAtStart.get(from)
  if (lfu !== undefined) sharedLfuAtStart.set(to, lfu)
}

/** shared.integers[n] for 0 <= n < 10000: one table per server, created on first use. */
export function sharedInteger(srv: ServerState, n: number): IntStringObject {
  // The last server's table without the WeakMap lookup (INCR on small counters).
  let table = srv === lastSharedServer ? lastSharedTable : sharedIntegerTables.get(srv)
  if (table === undefined) {
    table = []
    sharedIntegerTables.set(srv, table)
  }
  lastSharedServer = srv
  lastSharedTable = table
  let o = table[n]
  if (o === undefined) {
    // createObject then makeObjectShared at server start: the lru is that moment's LRU clock
    // (or LFU field), so OBJECT IDLETIME of a shared integer is the seconds since startup.
    // Made on first use here, with the policy in force at startup.
    const lfu = sharedLfuAtStart.get(srv) ?? policyIsLfu(srv)
    const lru = lfu ? LFUInitialField(srv.startTime) : getLRUClock(srv.startTime)
    o = { type: 'string', encoding: 'int', ptr: BigInt(n), lru, refcount: OBJ_SHARED_REFCOUNT }
    table[n] = o
  }
  return o
}

/**
 * object.c createStringObjectFromLongLongWithOptions(value, valueobj=0): a shared
 * integer when allowed and in range, else a fresh int-encoded object.
 */
export function createStringObjectFromLongLong(srv: ServerState, value: bigint): IntStringObject {
  if (value >= 0n && value < OBJ_SHARED_INTEGERS_BIG && sharedIntegersAllowed(srv))
    return sharedInteger(srv, Number(value))
  return { type: 'string', encoding: 'int', ptr: value, lru: initialLru(srv), refcount: 1 }
}

/**
 * createStringObjectFromLongLongForValue: like createStringObjectFromLongLong; in 7.0
 * values never share when maxmemory uses an LRU/LFU policy (same rule).
 */
export function createStringObjectFromLongLongForValue(
  srv: ServerState,
  value: bigint,
): IntStringObject {
  return createStringObjectFromLongLong(srv, value)
}

// --- Encoding ---

/**
 * object.c tryObjectEncoding: the string value's most compact encoding. Returns the object
 * to store (possibly a shared integer or a new object); `o` may be mutated (RAW trim).
 */
export function tryObjectEncoding(srv: ServerState, o: RedisObject): RedisObject {
  if (o.type !== 'string' || o.encoding === 'int') return o
  // Shared objects are never re-encoded in place.
  if (o.refcount > 1) return o
  const s = sdsObjectBuf(o)
  const len = s.length
  if (len <= 20) {
    const value = string2l(s)
    if (value !== null) {
      if (sharedIntegersAllowed(srv) && value >= 0n && value < OBJ_SHARED_INTEGERS_BIG)
        return sharedInteger(srv, Number(value))
      if (o.encoding === 'raw')
        return { type: 'string', encoding: 'int', ptr: value, lru: o.lru, refcount: o.refcount }
      return createStringObjectFromLongLongForValue(srv, value)
    }
  }
  if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) {
    if (o.encoding === 'embstr') return o
    return createEmbeddedStringObject(srv, s)
  }
  trimStringObjectIfNeeded(o)
  return o
}

/** object.c trimStringObjectIfNeeded: shrink a RAW sds whose free space exceeds len/10. */
export function trimStringObjectIfNeeded(o: SdsStringObject): void {
  if (o.encoding === 'raw' && o.ptr.alloc - o.ptr.buf.length > Math.floor(o.ptr.buf.length / 10))
    o.ptr = sdsRemoveFreeSpace(o.ptr)
}

/** The bytes of a string object (getDecodedObject without the allocation). */
export function getDecodedString(o: StringObject): string {
  return o.encoding === 'int' ? o.ptr.toString() : sdsObjectBuf(o)
}

/** Length in bytes of a string object's value (stringObjectLen). */
export function stringObjectLen(o: StringObject): number {
  return o.encoding === 'int' ? o.ptr.toString().length : sdsObjectBuf(o).length
}

/** object.c strEncoding: the name OBJECT ENCODING answers. */
export function strEncoding(encoding: ObjectEncoding): string {
  return encoding
}

/** Self-check of an object header. */
export function objectValidate(o: RedisObject): string[] {
  const errors: string[] = []
  if (o.refcount < 1) errors.push(`refcount ${String(o.refcount)} < 1`)
  if (o.lru < 0 || o.lru > LRU_CLOCK_MAX) errors.push(`lru ${String(o.lru)} out of 24 bits`)
  if (o.type === 'string' && o.encoding === 'embstr' && o.ptr.length > 44)
    errors.push('embstr longer than 44 bytes')
  if (o.type === 'string' && o.encoding === 'int' && (o.ptr > LLONG_MAX || o.ptr < LLONG_MIN))
    errors.push('int out of long range')
  return errors
}
