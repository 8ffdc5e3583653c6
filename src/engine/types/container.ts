/**
 * Pieces shared by the container type layers (t_list, t_hash, t_set, t_zset).
 *
 * ValueRef says whose value an operation works on: the server (for CONFIG thresholds and the
 * hash seed), the command's ExecContext, and the db and key (for event payloads and the
 * DictRef `key:<db>:<key>` of hashtable encodings).
 *
 * The listpack random pickers follow listpack.c (lpRandomPair, lpRandomPairs,
 * lpRandomPairsUnique); they live here because only HRANDFIELD and ZRANDMEMBER use them and
 * they draw from ctx.rng exactly where listpack.c calls rand().
 */
import type { ExecContext } from '../context.ts'
import { registerDigester } from '../digest.ts'
import type { DictRef, ObjectEncoding } from '../events.ts'
import { rngRandom } from '../rng.ts'
import type { ServerState } from '../state.ts'
import { dictGetKey, dictGetVal, dictNextEntry, NO_ENTRY, type Dict } from '../structures/dict.ts'
import {
  lpFirst,
  lpGet,
  lpLength,
  lpNext,
  lpSeek,
  lpToBytes,
  type Listpack,
} from '../structures/listpack.ts'
import type { Quicklist } from '../structures/quicklist.ts'
import type { Zskiplist } from '../structures/skiplist.ts'
import type { ContainerEncoding, ContainerObject, ObjectPayloads } from './object.ts'

// --- Types ---

/** Whose value a type operation works on. */
export interface ValueRef {
  readonly srv: ServerState
  readonly ctx: ExecContext
  readonly dbid: number
  readonly key: string
}

const RAND_MAX = 2147483647

// --- Helpers ---

/** What a command call offers to build a ValueRef (CommandCall satisfies it). */
export interface ValueCall {
  readonly srv: ServerState
  readonly ctx: ExecContext
  readonly db: { readonly id: number }
}

/** The ValueRef of `key` in the command's selected db. */
export function valueRefOf(c: ValueCall, key: string): ValueRef {
  return { srv: c.srv, ctx: c.ctx, dbid: c.db.id, key }
}

/**
 * A ValueRef for a result that never reaches the keyspace under this name (SUNION's or
 * ZUNION's temporary set): the same RNG, no events.
 */
export function scratchValueRef(c: ValueCall): ValueRef {
  return { srv: c.srv, ctx: silentContext(c.ctx), dbid: c.db.id, key: '' }
}

/** Reports (full traces) that a new container value was stored at the key. */
export function noteObjectCreated(v: ValueRef, o: ContainerObject): void {
  if (v.ctx.full)
    v.ctx.emit({
      type: 'object/created',
      key: v.key,
      objType: o.type,
      encoding: o.encoding,
      shared: false,
    })
}

/** The DictRef of a hashtable-encoded value: `key:<db>:<key>`. */
export function valueDictRef(dbid: number, key: string): DictRef {
  return `key:${String(dbid)}:${key}`
}

/**
 * Switches an object to another encoding in place (the robj keeps its identity, as Redis
 * swaps o->ptr and o->encoding) and reports object/encodingConverted.
 */
export function setObjectEncoding<E extends ContainerEncoding>(
  v: ValueRef,
  o: ContainerObject,
  encoding: E,
  ptr: ObjectPayloads[E],
  reason: string,
  params: Readonly<Record<string, number | string>>,
): void {
  const from: ObjectEncoding = o.encoding
  const w = o as { encoding: ContainerEncoding; ptr: unknown }
  w.encoding = encoding
  w.ptr = ptr
  if (v.ctx.tracing && from !== encoding)
    v.ctx.emit({ type: 'object/encodingConverted', key: v.key, from, to: encoding, reason, params })
}

/**
 * A context that shares the command's RNG and time but records nothing: for scratch
 * structures Redis builds and frees inside one command (HRANDFIELD's temporary dict,
 * SINTERSTORE's result before it is stored), whose events would name no real key.
 */
export function silentContext(ctx: ExecContext): ExecContext {
  return {
    rng: ctx.rng,
    now: ctx.now,
    clock: ctx.clock,
    level: 'off',
    tracing: false,
    full: false,
    events: [],
    emit: () => undefined,
  }
}

/** C's rand() (glibc: random()), 0..RAND_MAX. */
export function cRand(ctx: ExecContext): number {
  return rngRandom(ctx.rng)
}

// --- Listpack random pairs (listpack.c) ---

/** One random pair of a pair listpack — lpRandomPair: `(rand() % total) * 2`. */
export function lpRandomPair(
  ctx: ExecContext,
  lp: Listpack,
  totalCount: number,
): readonly [string, string] {
  const r = (cRand(ctx) % totalCount) * 2
  const p = lpSeek(lp, r)
  if (p === null) throw new Error('lpRandomPair: index out of range')
  const q = lpNext(lp, p)
  if (q === null) throw new Error('lpRandomPair: odd listpack')
  return [lpGet(lp, p), lpGet(lp, q)]
}

/**
 * `count` random pairs, repetitions allowed, in the order drawn — lpRandomPairs: draw all
 * indexes first, then fetch them in one forward walk.
 */
export function lpRandomPairs(
  ctx: ExecContext,
  lp: Listpack,
  count: number,
): (readonly [string, string])[] {
  const total = lpLength(lp) / 2
  const picks: { index: number; order: number }[] = []
  for (let i = 0; i < count; i++) picks.push({ index: (cRand(ctx) % total) * 2, order: i })
  picks.sort((a, b) => a.index - b.index)
  const out: (readonly [string, string])[] = new Array<readonly [string, string]>(count)
  let lpindex = picks[0]?.index ?? 0
  let pickindex = 0
  let p = lpSeek(lp, lpindex)
  while (p !== null && pickindex < count) {
    const key = lpGet(lp, p)
    const q = lpNext(lp, p)
    if (q === null) throw new Error('lpRandomPairs: odd listpack')
    const val = lpGet(lp, q)
    while (pickindex < count && lpindex === picks[pickindex]?.index) {
      out[picks[pickindex]?.order ?? 0] = [key, val]
      pickindex++
    }
    lpindex += 2
    p = lpNext(lp, q)
  }
  return out
}

/**
 * Up to `count` distinct random pairs in listpack order — lpRandomPairsUnique: one pass,
 * picking each pair with probability remaining / unvisited.
 */
export function lpRandomPairsUnique(
  ctx: ExecContext,
  lp: Listpack,
  count: number,
): (readonly [string, string])[] {
  const total = lpLength(lp) / 2
  if (count > total) count = total
  const out: (readonly [string, string])[] = []
  let p = lpFirst(lp)
  let index = 0
  let remaining = count
  while (out.length < count && p !== null) {
    const randomDouble = cRand(ctx) / RAND_MAX
    const threshold = remaining / (total - index)
    const q = lpNext(lp, p)
    if (q === null) throw new Error('lpRandomPairsUnique: odd listpack')
    if (randomDouble <= threshold) {
      out.push([lpGet(lp, p), lpGet(lp, q)])
      remaining--
    }
    p = lpNext(lp, q)
    index++
  }
  return out
}

// --- Digest (layout-sensitive, for replay checks) ---

function hex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** A dict's layout: table sizes, rehash index, bucket order of keys and their values. */
function dictLayout(d: Dict<unknown>): string {
  let out = `${String(d.sizeExp[0])}|${String(d.sizeExp[1])}|${String(d.rehashIdx)}`
  for (const table of d.table) {
    if (table === null) continue
    table.forEach((head, i) => {
      if (head === NO_ENTRY) return
      out += `#${String(i)}`
      for (let e = head; e !== NO_ENTRY; e = dictNextEntry(d, e)) {
        const key = dictGetKey(d, e)
        out += `${String(key.length)}:${key}=${String(dictGetVal(d, e))};`
      }
    })
  }
  return out
}

/** A skiplist's layout: each node's score, member and level count. */
function zslLayout(zsl: Zskiplist): string {
  let out = `${String(zsl.level)}|${String(zsl.length)}`
  for (let n = zsl.header.level[0]?.forward ?? null; n !== null; n = n.level[0]?.forward ?? null)
    out += `|${String(n.score)}:${String(n.level.length)}:${n.ele ?? ''}`
  return out
}

registerDigester('listpack', (o) => hex(lpToBytes(o.ptr as Listpack)))
registerDigester('intset', (o) => {
  const is = o.ptr as { encoding: number; contents: Uint8Array }
  return `${String(is.encoding)}:${hex(is.contents)}`
})
registerDigester('hashtable', (o) => dictLayout(o.ptr as Dict<unknown>))
registerDigester('skiplist', (o) => {
  const zs = o.ptr as { dict: Dict<unknown>; zsl: Zskiplist }
  return `${dictLayout(zs.dict)}/${zslLayout(zs.zsl)}`
})
registerDigester('quicklist', (o) => {
  const ql = o.ptr as Quicklist
  let out = `${String(ql.fill)}|${String(ql.compress)}`
  for (let n = ql.head; n !== null; n = n.next)
    out += `|${String(n.id)}:${n.container}:${n.container === 'plain' ? n.plain : hex(lpToBytes(n.lp))}`
  return out
})
