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
import type { DictRef, ObjectEncoding } from '../events.ts'
import { rngRandom } from '../rng.ts'
import type { ServerState } from '../state.ts'
import { lpFirst, lpGet, lpLength, lpNext, lpSeek, type Listpack } from '../structures/listpack.ts'
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
