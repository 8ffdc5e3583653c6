/**
 * Snapshots: an independent copy of a whole server state, so that time travel can keep
 * checkpoints instead of replaying the log from the seed (design.md "Time travel").
 *
 * Redis has no such thing in memory (its snapshot is the fork behind BGSAVE: the child sees
 * the parent's pages frozen by copy-on-write). Here the state is plain data — objects,
 * arrays, Maps, Sets and Uint8Arrays (listpack and intset blobs) — so a memoized deep copy
 * gives the same thing: every object reached from the ServerState is copied once, and every
 * reference to it in the copy points to that one copy, so sharing is kept (a shared integer
 * referenced by many keys, a WATCH record held by both its client and its db, the `dirty`
 * set of memory accounting pointing at values of the keyspace). Cycles (skiplist backward
 * links, quicklist prev/next) are handled the same way, without recursion: a copy is made
 * as a shell first, recorded, and its fields are filled from a work stack, so a skiplist of
 * a million nodes does not overflow the call stack.
 *
 * What is not plain data is handled explicitly:
 * - the clock: the copy runs on the clock it is given (the original keeps its own);
 * - the command table (static, with handler functions): shared by reference;
 * - dict types that close over the server (the keyspace's expandAllowed, evict.ts): the
 *   copy gets a fresh one over the new server;
 * - side tables that modules keep in WeakMaps keyed by the server, its dicts or its
 *   objects (memory accounting, eviction pool, EXEC-held argv, shared integers, cron
 *   cursors, DEBUG OBJECT addresses): each module exports a clone hook that copies its
 *   entries for the copied keys, through the same memo.
 * Any other function met in the state is an error (a closure the copy cannot rebind).
 *
 * After a clone, running the same commands and ticks on the original and on the copy gives
 * the same replies, events, RNG draws and DEBUG DIGEST, and neither affects the other.
 * (DEBUG OBJECT addresses of objects created later come from one module-wide counter, so
 * they differ between any two servers, clones or not.)
 *
 * Cost: O(objects in the state) time and memory — one copy of everything plus a Map entry
 * per object for the memo, dropped when the clone returns.
 */
import type { Clock } from './clock.ts'
import { keyspaceDictType } from './keyspace/evict.ts'
import { evictCloneState } from './keyspace/evict.ts'
import { memCloneState } from './keyspace/memory.ts'
import type { ServerState } from './state.ts'
import { dictForEach, dictGetVal, dictPoolCopy, dictSize, type Dict } from './structures/dict.ts'
import { intsetLen, type Intset } from './structures/intset.ts'
import { lpLength, type Listpack } from './structures/listpack.ts'
import { quicklistCount, type Quicklist } from './structures/quicklist.ts'
import type { Zset } from './types/t_zset.ts'
import type { RedisObject } from './types/object.ts'
import { objectCloneState } from './types/object.ts'
import { debugCloneState } from './commands/server.ts'

// --- Types ---

/**
 * A memoized deep copy in progress: `copy` copies a value (and everything it reaches) or
 * returns the copy already made; `copied` returns the copy of an object already copied,
 * undefined otherwise. Module clone hooks get one.
 */
export interface Copier {
  copy<T>(x: T): T
  copied<T extends object>(x: T): T | undefined
  /**
   * Calls fn with the value of each entry of a copied dict and that value's copy (the copy
   * has the same tables, chains and entry slots). Values of keyspace dicts with refcount 1
   * are copied without a memo entry (`copied` does not know them): hooks reach them this way.
   */
  forEachPair<V>(from: Dict<V>, to: Dict<V>, fn: (a: V, b: V) => void): void
}

// --- The deep copy ---

type Pending = [src: object, dst: object]

/** A RedisObject as the copier sees it. */
interface ObjectLike {
  encoding: string
  refcount: number
  ptr: unknown
}

/** A Dict as the copier sees it (any value type). */
type AnyDict = Dict<unknown>

/**
 * Creates a copier whose memo starts with `seeds` (old → new: objects to replace rather than
 * copy, such as the clock, or to share, mapped to themselves).
 *
 * The shapes that make up most of a big keyspace take a fast path without memo entries: a
 * dict's entries, copied chain by chain (an entry belongs to one bucket of one dict); a
 * dict value that is a RedisObject with refcount 1 (the dict holds its only reference;
 * shared integers and argv held by EXEC have more and go through the memo). A string
 * object's sds is not copied at all: an Sds is immutable (sds.ts returns a new one for every
 * change), so the copy shares it, as it shares every JS string. Everything else goes
 * through the memo.
 */
export function createCopier(seeds: ReadonlyMap<object, object> = new Map()): Copier {
  const memo = new Map<object, object>(seeds)
  const stack: Pending[] = []

  const shell = (src: object): object => {
    if (Array.isArray(src)) return src.slice()
    if (ArrayBuffer.isView(src)) return (src as Uint8Array).slice()
    if (src instanceof Map) return new Map()
    if (src instanceof Set) return new Set()
    const proto: unknown = Object.getPrototypeOf(src)
    if (proto === Object.prototype) return { ...src }
    if (proto === null) return Object.assign(Object.create(null) as object, src)
    throw new Error(`snapshot: cannot copy an instance of ${describe(src)}`)
  }

  const ref = (x: unknown): unknown => {
    if (typeof x === 'function') {
      const seeded = memo.get(x)
      if (seeded === undefined)
        throw new Error(`snapshot: cannot copy a function (${x.name || 'anonymous'})`)
      return seeded
    }
    if (typeof x !== 'object' || x === null) return x
    let c = memo.get(x)
    if (c !== undefined) return c
    if ('encoding' in x && 'refcount' in x) {
      c = copyObject(x as unknown as ObjectLike)
      memo.set(x, c)
      return c
    }
    c = shell(x)
    memo.set(x, c)
    if ('rehashIdx' in x) copyDict(x as unknown as AnyDict, c as unknown as AnyDict)
    else if (!ArrayBuffer.isView(x)) stack.push([x, c])
    return c
  }

  /**
   * Copies a dict into its shell (which still shares its arrays): the bucket arrays and the
   * entry pool's keys, hashes and links are plain copies (entries keep their slots; keys are
   * strings), and each value goes through `value` (dictPoolCopy).
   */
  const copyDict = (src: AnyDict, dst: AnyDict): void => {
    dst.table = [src.table[0]?.slice() ?? null, src.table[1]?.slice() ?? null]
    dst.used = [src.used[0], src.used[1]]
    dst.sizeExp = [src.sizeExp[0], src.sizeExp[1]]
    dst.ents = dictPoolCopy(src, value)
    dst.slots = src.slots
    dst.links = src.links.slice()
    // The rest of the dict (type, seed) is filled as any object.
    dst.type = ref(src.type) as AnyDict['type']
    dst.seed = ref(src.seed) as AnyDict['seed']
  }

  /**
   * A RedisObject: the header is copied; a string's sds is shared (an Sds is immutable:
   * sds.ts functions return a new one, as the C API returns a new pointer); a container's
   * payload goes through ref.
   */
  const copyObject = (o: ObjectLike): ObjectLike => {
    const c = { ...o }
    if (o.encoding !== 'int' && o.encoding !== 'embstr' && o.encoding !== 'raw') c.ptr = ref(o.ptr)
    return c
  }

  const value = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    const o = v as Partial<ObjectLike>
    return o.refcount === 1 && o.encoding !== undefined ? copyObject(o as ObjectLike) : ref(v)
  }

  const fill = (src: object, dst: object): void => {
    if (Array.isArray(dst)) {
      for (let i = 0; i < dst.length; i++) {
        const v: unknown = dst[i]
        if ((typeof v === 'object' && v !== null) || typeof v === 'function') dst[i] = ref(v)
      }
    } else if (dst instanceof Map) {
      for (const [k, v] of src as Map<unknown, unknown>) dst.set(ref(k), ref(v))
    } else if (dst instanceof Set) {
      for (const v of src as Set<unknown>) dst.add(ref(v))
    } else {
      const o = dst as Record<string, unknown>
      for (const k in o) {
        const v = o[k]
        if ((typeof v === 'object' && v !== null) || typeof v === 'function') o[k] = ref(v)
      }
    }
  }

  const drain = (): void => {
    for (let p = stack.pop(); p !== undefined; p = stack.pop()) fill(p[0], p[1])
  }

  return {
    copy<T>(x: T): T {
      const c = ref(x) as T
      drain()
      return c
    },
    copied<T extends object>(x: T): T | undefined {
      return memo.get(x) as T | undefined
    },
    forEachPair<V>(from: Dict<V>, to: Dict<V>, fn: (a: V, b: V) => void) {
      dictForEach(from, (_key, a, e) => fn(a, dictGetVal(to, e)))
    },
  }
}

function describe(o: object): string {
  const ctor = (o as { constructor?: { name?: string } }).constructor
  return ctor?.name ?? 'an unknown class'
}

// --- Server state ---

/**
 * Clones a server state onto `clock`: a deep copy (see the file comment) plus the module
 * side tables of the copied objects. Server-level side tables that server.ts owns (cron
 * cursors) are copied by its caller with the returned copier.
 */
export function cloneServerState(
  from: ServerState,
  clock: Clock,
): { state: ServerState; copier: Copier } {
  const seeds = new Map<object, object>()
  seeds.set(from.clock, clock)
  seeds.set(from.commands, from.commands)
  // The new server exists (empty) before its fields are copied, so that the keyspace dict
  // type can close over it.
  const to = {} as ServerState
  seeds.set(from, to)
  const keyspaceType = from.dbs[0]?.dict.type
  if (keyspaceType !== undefined) seeds.set(keyspaceType, keyspaceDictType(to))
  const copier = createCopier(seeds)
  for (const k of Object.keys(from) as (keyof ServerState)[])
    (to as unknown as Record<string, unknown>)[k] = copier.copy(from[k])
  objectCloneState(from, to, copier)
  evictCloneState(from, to, copier)
  memCloneState(from, to, copier)
  debugCloneState(from, to, copier)
  return { state: to, copier }
}

/** Returns the number of keys in all dbs: O(dbs). */
export function serverKeyCount(srv: ServerState): number {
  let n = 0
  for (const db of srv.dbs) n += dictSize(db.dict)
  return n
}

/**
 * Estimates the size of a state as keys plus container elements (what a clone copies, up
 * to a constant): O(keys), so meant for when a clone is taken, not after every command.
 */
export function serverStateSize(srv: ServerState): number {
  let n = 0
  for (const db of srv.dbs) {
    n += dictSize(db.dict) + dictSize(db.expires)
    dictForEach(db.dict, (_key, val) => {
      n += objectElements(val)
    })
  }
  return n
}

function objectElements(o: RedisObject): number {
  switch (o.encoding) {
    case 'hashtable':
      return dictSize(o.ptr as Dict<unknown>)
    case 'skiplist':
      return dictSize((o.ptr as Zset).dict) * 2
    case 'quicklist':
      return quicklistCount(o.ptr as Quicklist)
    case 'listpack':
      return lpLength(o.ptr as Listpack)
    case 'intset':
      return intsetLen(o.ptr as Intset)
    default:
      return 0
  }
}
