/**
 * zskiplist — the ordered half of a skiplist-encoded sorted set. (← zsl* in src/t_zset.c and
 * server.h, Redis 7.0.15)
 *
 * Nodes are ordered by score, then by member bytes (sdscmp: memcmp, then the shorter first).
 * Each node has a random number of levels (1..ZSKIPLIST_MAXLEVEL = 32) drawn by
 * zslRandomLevel; at each level it links forward to the next node that is at least that
 * tall, and records the `span`: how many level-0 steps that link jumps. Summing spans along
 * a search path gives a node's rank, which is how ZRANK and ZRANGE by index run in
 * O(log n). Level 0 also links backward, for reverse iteration. The header is a node with
 * all 32 levels and no member; `level` is the tallest level in use (at least 1).
 *
 * Spans of a NULL forward link count the nodes left after the node (so the header's span at
 * a level with no nodes is `length`); zslValidate checks that at every level in use.
 *
 * Nodes are plain objects with direct references (`forward`, `backward`), mirroring the C
 * pointers. The dict half (member → score) belongs to the zset type; the functions here
 * that delete ranges call back `onDelete(node)` where Redis calls dictDelete.
 *
 * Randomness comes from ctx.rng through rngRandom (C random(), 31 bits). In 7.0.15 the
 * level loop is `while (random() < ZSKIPLIST_P * RAND_MAX) level++` with the threshold
 * truncated to an int (536870911); versions up to 6.2 used `(random() & 0xFFFF) <
 * 0.25 * 0xFFFF`. Every draw is a coin flip reported in `zsl/levelDrawn`.
 *
 * Events (key passed last): zsl/levelDrawn, zsl/searched (full traces: the path, one stop per
 * level with the rank reached), zsl/nodeInserted, zsl/nodeDeleted, zsl/scoreUpdated.
 */
import type { ExecContext } from '../context.ts'
import type { KeyName } from '../events.ts'
import { rngRandom } from '../rng.ts'

// --- Constants ---

export const ZSKIPLIST_MAXLEVEL = 32
export const ZSKIPLIST_P = 0.25
/** C's RAND_MAX on glibc: random() returns 0..2^31-1. */
const RAND_MAX = 2147483647
/** `static const int threshold = ZSKIPLIST_P*RAND_MAX;` — truncated to 536870911. */
export const ZSKIPLIST_THRESHOLD = Math.trunc(ZSKIPLIST_P * RAND_MAX)

// --- Types ---

export interface ZskiplistLevel {
  forward: ZskiplistNode | null
  span: number
}

export interface ZskiplistNode {
  /** The member (a byte string); null only for the header. */
  ele: string | null
  score: number
  backward: ZskiplistNode | null
  level: ZskiplistLevel[]
}

export interface Zskiplist {
  header: ZskiplistNode
  tail: ZskiplistNode | null
  length: number
  level: number
}

/** A score interval — zrangespec. `minex`/`maxex` make the bound exclusive ('(' in commands). */
export interface ZRangeSpec {
  readonly min: number
  readonly max: number
  readonly minex: boolean
  readonly maxex: boolean
}

/** The '-' and '+' bounds of a lex range: shared.minstring / shared.maxstring. */
export const ZSL_LEX_MIN: { readonly lex: '-' } = { lex: '-' }
export const ZSL_LEX_MAX: { readonly lex: '+' } = { lex: '+' }
export type ZLexBound = string | typeof ZSL_LEX_MIN | typeof ZSL_LEX_MAX

/** A member interval — zlexrangespec. */
export interface ZLexRangeSpec {
  readonly min: ZLexBound
  readonly max: ZLexBound
  readonly minex: boolean
  readonly maxex: boolean
}

// --- Creation ---

/** Creates a node with `level` levels — zslCreateNode. */
export function zslCreateNode(level: number, score: number, ele: string | null): ZskiplistNode {
  const levels: ZskiplistLevel[] = []
  for (let i = 0; i < level; i++) levels.push({ forward: null, span: 0 })
  return { ele, score, backward: null, level: levels }
}

/** Creates an empty skiplist: a 32-level header, level 1, length 0 — zslCreate. */
export function zslCreate(): Zskiplist {
  return { header: zslCreateNode(ZSKIPLIST_MAXLEVEL, 0, null), tail: null, length: 0, level: 1 }
}

// --- Comparison ---

/** sdscmp on byte strings: memcmp over the common prefix, then the shorter one first. */
export function zslCompareMembers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Whether node `x` sorts strictly before (score, ele). */
function lessThan(x: ZskiplistNode, score: number, ele: string): boolean {
  return x.score < score || (x.score === score && zslCompareMembers(x.ele ?? '', ele) < 0)
}

// --- Random level ---

/**
 * Draws a level for a new node — zslRandomLevel. Each draw of random() is a coin flip that
 * comes up "higher" with probability 1/4; the first "stop" ends it. Pushes each flip to
 * `flips` when given. The result is capped at 32, though (as in Redis) the draws are not.
 */
export function zslRandomLevel(ctx: ExecContext, flips: boolean[] | null = null): number {
  let level = 1
  for (;;) {
    const up = rngRandom(ctx.rng) < ZSKIPLIST_THRESHOLD
    flips?.push(up)
    if (!up) break
    level++
  }
  return level < ZSKIPLIST_MAXLEVEL ? level : ZSKIPLIST_MAXLEVEL
}

// --- Insert ---

/**
 * Inserts (score, ele), which the caller guarantees is absent — zslInsert. Returns the new
 * node.
 *
 * Teacher note: the search down the levels remembers, for each level i, the last node
 * before the insertion point (update[i]) and its rank (rank[i]). After linking the new node
 * x at level i, update[i] now jumps rank[0] − rank[i] + 1 steps to reach x, and x jumps
 * whatever remained of update[i]'s old span. Levels above x's height simply gain one node
 * under their existing jump, so their span grows by one.
 */
export function zslInsert(
  ctx: ExecContext,
  zsl: Zskiplist,
  score: number,
  ele: string,
  key: KeyName,
): ZskiplistNode {
  if (Number.isNaN(score)) throw new RangeError('zslInsert: score is NaN')
  const update: ZskiplistNode[] = []
  const rank: number[] = []
  let x = zsl.header
  for (let i = zsl.level - 1; i >= 0; i--) {
    rank[i] = i === zsl.level - 1 ? 0 : (rank[i + 1] ?? 0)
    for (let f = lv(x, i).forward; f !== null && lessThan(f, score, ele); f = lv(x, i).forward) {
      rank[i] = (rank[i] ?? 0) + lv(x, i).span
      x = f
    }
    update[i] = x
  }
  if (ctx.full) emitSearched(ctx, key, zsl.level, update, rank)

  const flips: boolean[] | null = ctx.tracing ? [] : null
  const level = zslRandomLevel(ctx, flips)
  if (flips !== null) ctx.emit({ type: 'zsl/levelDrawn', key, member: ele, flips, level })
  if (level > zsl.level) {
    for (let i = zsl.level; i < level; i++) {
      rank[i] = 0
      update[i] = zsl.header
      lv(zsl.header, i).span = zsl.length
    }
    zsl.level = level
  }
  const node = zslCreateNode(level, score, ele)
  const rank0 = rank[0] ?? 0
  for (let i = 0; i < level; i++) {
    const u = lv(upd(update, i), i)
    const nl = lv(node, i)
    nl.forward = u.forward
    u.forward = node
    nl.span = u.span - (rank0 - (rank[i] ?? 0))
    u.span = rank0 - (rank[i] ?? 0) + 1
  }
  for (let i = level; i < zsl.level; i++) lv(upd(update, i), i).span++

  const before = upd(update, 0)
  node.backward = before === zsl.header ? null : before
  const next = lv(node, 0).forward
  if (next !== null) next.backward = node
  else zsl.tail = node
  zsl.length++
  if (ctx.tracing) {
    ctx.emit({
      type: 'zsl/nodeInserted',
      key,
      member: ele,
      score,
      level,
      update: update.slice(0, level).map((u) => u.ele),
      rank: rank.slice(0, level),
    })
  }
  return node
}

// --- Delete ---

/**
 * Unlinks `x` given the update[] path that leads to it — zslDeleteNode. `rank` is x's
 * 1-based rank, reported in the `zsl/nodeDeleted` event.
 */
export function zslDeleteNode(
  ctx: ExecContext,
  zsl: Zskiplist,
  x: ZskiplistNode,
  update: readonly ZskiplistNode[],
  key: KeyName,
  rank: number,
): void {
  for (let i = 0; i < zsl.level; i++) {
    const u = lv(upd(update, i), i)
    if (u.forward === x) {
      u.span += lv(x, i).span - 1
      u.forward = lv(x, i).forward
    } else {
      u.span -= 1
    }
  }
  const next = lv(x, 0).forward
  if (next !== null) next.backward = x.backward
  else zsl.tail = x.backward
  while (zsl.level > 1 && lv(zsl.header, zsl.level - 1).forward === null) zsl.level--
  zsl.length--
  if (ctx.tracing) ctx.emit({ type: 'zsl/nodeDeleted', key, member: x.ele ?? '', rank })
}

/**
 * Deletes the node with exactly (score, ele); returns it (unlinked), or null when absent —
 * zslDelete (Redis hands the node back through *node so its sds can be reused).
 */
export function zslDelete(
  ctx: ExecContext,
  zsl: Zskiplist,
  score: number,
  ele: string,
  key: KeyName,
): ZskiplistNode | null {
  const { update, rank } = searchPath(ctx, zsl, key, (f) => lessThan(f, score, ele))
  const x = lv(upd(update, 0), 0).forward
  if (x !== null && x.score === score && x.ele === ele) {
    zslDeleteNode(ctx, zsl, x, update, key, (rank[0] ?? 0) + 1)
    return x
  }
  return null
}

/**
 * Changes the score of (curscore, ele), which must exist — zslUpdateScore. When the node
 * would stay where it is (the previous node's score is below the new one and the next node's
 * above), only the score is overwritten; otherwise the node is deleted and a new one
 * inserted, which draws a new random level. Returns the node now holding ele.
 */
export function zslUpdateScore(
  ctx: ExecContext,
  zsl: Zskiplist,
  curscore: number,
  ele: string,
  newscore: number,
  key: KeyName,
): ZskiplistNode {
  const { update, rank } = searchPath(ctx, zsl, key, (f) => lessThan(f, curscore, ele))
  const x = lv(upd(update, 0), 0).forward
  if (x === null || x.score !== curscore || x.ele !== ele) {
    throw new Error('zslUpdateScore: element not found')
  }
  const next = lv(x, 0).forward
  if (
    (x.backward === null || x.backward.score < newscore) &&
    (next === null || next.score > newscore)
  ) {
    x.score = newscore
    if (ctx.tracing) {
      ctx.emit({
        type: 'zsl/scoreUpdated',
        key,
        member: ele,
        from: curscore,
        to: newscore,
        inPlace: true,
      })
    }
    return x
  }
  if (ctx.tracing) {
    ctx.emit({
      type: 'zsl/scoreUpdated',
      key,
      member: ele,
      from: curscore,
      to: newscore,
      inPlace: false,
    })
  }
  zslDeleteNode(ctx, zsl, x, update, key, (rank[0] ?? 0) + 1)
  return zslInsert(ctx, zsl, newscore, ele, key)
}

// --- Rank ---

/**
 * The 1-based rank of (score, ele), or 0 when absent — zslGetRank. Walks down summing the
 * spans of every link it takes while the next node is ≤ the target.
 */
export function zslGetRank(
  ctx: ExecContext,
  zsl: Zskiplist,
  score: number,
  ele: string,
  key: KeyName,
): number {
  let x = zsl.header
  let rank = 0
  const path: PathStop[] | null = ctx.full ? [] : null
  let result = 0
  for (let i = zsl.level - 1; i >= 0; i--) {
    for (
      let f = lv(x, i).forward;
      f !== null &&
      (f.score < score || (f.score === score && zslCompareMembers(f.ele ?? '', ele) <= 0));
      f = lv(x, i).forward
    ) {
      rank += lv(x, i).span
      x = f
    }
    path?.push({ level: i, member: x.ele, rank })
    if (x.ele !== null && x.score === score && x.ele === ele) {
      result = rank
      break
    }
  }
  if (path !== null) ctx.emit({ type: 'zsl/searched', key, path })
  return result
}

/** The node at 1-based `rank`, or null — zslGetElementByRank. */
export function zslGetElementByRank(
  ctx: ExecContext,
  zsl: Zskiplist,
  rank: number,
  key: KeyName,
): ZskiplistNode | null {
  let x = zsl.header
  let traversed = 0
  const path: PathStop[] | null = ctx.full ? [] : null
  let result: ZskiplistNode | null = null
  for (let i = zsl.level - 1; i >= 0; i--) {
    for (
      let f = lv(x, i).forward;
      f !== null && traversed + lv(x, i).span <= rank;
      f = lv(x, i).forward
    ) {
      traversed += lv(x, i).span
      x = f
    }
    path?.push({ level: i, member: x.ele, rank: traversed })
    if (traversed === rank) {
      result = x === zsl.header ? null : x
      break
    }
  }
  if (path !== null) ctx.emit({ type: 'zsl/searched', key, path })
  return result
}

// --- Score ranges ---

/** value ≥ min (or > when exclusive) — zslValueGteMin. */
export function zslValueGteMin(value: number, spec: ZRangeSpec): boolean {
  return spec.minex ? value > spec.min : value >= spec.min
}

/** value ≤ max (or < when exclusive) — zslValueLteMax. */
export function zslValueLteMax(value: number, spec: ZRangeSpec): boolean {
  return spec.maxex ? value < spec.max : value <= spec.max
}

/** Whether any part of the skiplist can fall in the range — zslIsInRange. */
export function zslIsInRange(zsl: Zskiplist, range: ZRangeSpec): boolean {
  if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) {
    return false
  }
  const last = zsl.tail
  if (last === null || !zslValueGteMin(last.score, range)) return false
  const first = lv(zsl.header, 0).forward
  return first !== null && zslValueLteMax(first.score, range)
}

/** The first node in the score range, or null — zslFirstInRange. */
export function zslFirstInRange(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZRangeSpec,
  key: KeyName,
): ZskiplistNode | null {
  if (!zslIsInRange(zsl, range)) return null
  const { update } = searchPath(ctx, zsl, key, (f) => !zslValueGteMin(f.score, range))
  const x = lv(upd(update, 0), 0).forward
  return x !== null && zslValueLteMax(x.score, range) ? x : null
}

/** The last node in the score range, or null — zslLastInRange. */
export function zslLastInRange(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZRangeSpec,
  key: KeyName,
): ZskiplistNode | null {
  if (!zslIsInRange(zsl, range)) return null
  const { update } = searchPath(ctx, zsl, key, (f) => zslValueLteMax(f.score, range))
  const x = upd(update, 0)
  return x !== zsl.header && zslValueGteMin(x.score, range) ? x : null
}

/**
 * Deletes every node in the score range, calling `onDelete` for each (where Redis deletes
 * from the zset's dict); returns how many — zslDeleteRangeByScore.
 */
export function zslDeleteRangeByScore(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZRangeSpec,
  key: KeyName,
  onDelete: (node: ZskiplistNode) => void = () => undefined,
): number {
  const { update, rank } = searchPath(ctx, zsl, key, (f) => !zslValueGteMin(f.score, range))
  return deleteWhile(ctx, zsl, update, (rank[0] ?? 0) + 1, key, onDelete, (x) =>
    zslValueLteMax(x.score, range),
  )
}

// --- Lex ranges ---

/**
 * Parses one bound of ZRANGEBYLEX — zslParseLexRangeItem: '-' and '+' alone are the
 * infinities, '(' opens an exclusive bound and '[' an inclusive one. Returns null when
 * invalid.
 */
export function zslParseLexRangeItem(item: string): { bound: ZLexBound; ex: boolean } | null {
  const c = item[0]
  // '+' and '-' must end the C string (c[1] == '\0'): a NUL right after them counts as the end.
  const alone = item.length === 1 || item[1] === '\0'
  if (c === '+') return alone ? { bound: ZSL_LEX_MAX, ex: true } : null
  if (c === '-') return alone ? { bound: ZSL_LEX_MIN, ex: true } : null
  if (c === '(') return { bound: item.slice(1), ex: true }
  if (c === '[') return { bound: item.slice(1), ex: false }
  return null
}

/** Parses a min/max pair — zslParseLexRange. Returns null when either bound is invalid. */
export function zslParseLexRange(min: string, max: string): ZLexRangeSpec | null {
  const lo = zslParseLexRangeItem(min)
  const hi = zslParseLexRangeItem(max)
  if (lo === null || hi === null) return null
  return { min: lo.bound, max: hi.bound, minex: lo.ex, maxex: hi.ex }
}

/** sdscmp extended with the '-' and '+' infinities — sdscmplex. */
export function sdscmplex(a: ZLexBound, b: ZLexBound): number {
  if (a === b) return 0
  if (a === ZSL_LEX_MIN || b === ZSL_LEX_MAX) return -1
  if (a === ZSL_LEX_MAX || b === ZSL_LEX_MIN) return 1
  return zslCompareMembers(a as string, b as string)
}

/** zslLexValueGteMin. */
export function zslLexValueGteMin(value: string, spec: ZLexRangeSpec): boolean {
  const c = sdscmplex(value, spec.min)
  return spec.minex ? c > 0 : c >= 0
}

/** zslLexValueLteMax. */
export function zslLexValueLteMax(value: string, spec: ZLexRangeSpec): boolean {
  const c = sdscmplex(value, spec.max)
  return spec.maxex ? c < 0 : c <= 0
}

/** Whether any part of the skiplist can fall in the lex range — zslIsInLexRange. */
export function zslIsInLexRange(zsl: Zskiplist, range: ZLexRangeSpec): boolean {
  const cmp = sdscmplex(range.min, range.max)
  if (cmp > 0 || (cmp === 0 && (range.minex || range.maxex))) return false
  const last = zsl.tail
  if (last === null || !zslLexValueGteMin(last.ele ?? '', range)) return false
  const first = lv(zsl.header, 0).forward
  return first !== null && zslLexValueLteMax(first.ele ?? '', range)
}

/** The first node in the lex range, or null — zslFirstInLexRange. */
export function zslFirstInLexRange(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZLexRangeSpec,
  key: KeyName,
): ZskiplistNode | null {
  if (!zslIsInLexRange(zsl, range)) return null
  const { update } = searchPath(ctx, zsl, key, (f) => !zslLexValueGteMin(f.ele ?? '', range))
  const x = lv(upd(update, 0), 0).forward
  return x !== null && zslLexValueLteMax(x.ele ?? '', range) ? x : null
}

/** The last node in the lex range, or null — zslLastInLexRange. */
export function zslLastInLexRange(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZLexRangeSpec,
  key: KeyName,
): ZskiplistNode | null {
  if (!zslIsInLexRange(zsl, range)) return null
  const { update } = searchPath(ctx, zsl, key, (f) => zslLexValueLteMax(f.ele ?? '', range))
  const x = upd(update, 0)
  return x !== zsl.header && zslLexValueGteMin(x.ele ?? '', range) ? x : null
}

/** Deletes every node in the lex range — zslDeleteRangeByLex. */
export function zslDeleteRangeByLex(
  ctx: ExecContext,
  zsl: Zskiplist,
  range: ZLexRangeSpec,
  key: KeyName,
  onDelete: (node: ZskiplistNode) => void = () => undefined,
): number {
  const { update, rank } = searchPath(ctx, zsl, key, (f) => !zslLexValueGteMin(f.ele ?? '', range))
  return deleteWhile(ctx, zsl, update, (rank[0] ?? 0) + 1, key, onDelete, (x) =>
    zslLexValueLteMax(x.ele ?? '', range),
  )
}

/** Deletes the nodes with 1-based ranks start..end inclusive — zslDeleteRangeByRank. */
export function zslDeleteRangeByRank(
  ctx: ExecContext,
  zsl: Zskiplist,
  start: number,
  end: number,
  key: KeyName,
  onDelete: (node: ZskiplistNode) => void = () => undefined,
): number {
  let traversed = 0
  const { update } = searchPath(ctx, zsl, key, (_f, span) => {
    if (traversed + span < start) {
      traversed += span
      return true
    }
    return false
  })
  traversed++
  return deleteWhile(ctx, zsl, update, traversed, key, onDelete, () => traversed++ <= end)
}

// --- Iteration helpers ---

/** Every node, head to tail (level 0). */
export function zslNodes(zsl: Zskiplist): ZskiplistNode[] {
  const out: ZskiplistNode[] = []
  for (let x = lv(zsl.header, 0).forward; x !== null; x = lv(x, 0).forward) out.push(x)
  return out
}

// --- Validation ---

/**
 * Broken invariants: the header (32 levels, no member, no backward); `level` in 1..32 and
 * equal to the tallest node (or 1); level 0 ordered strictly by (score, member), no NaN
 * scores, backward links and `tail` consistent, `length` right; at every level in use, each
 * link's span equals the rank difference it jumps (or the nodes left after a NULL link), and
 * the chain holds exactly the nodes at least that tall.
 */
export function zslValidate(zsl: Zskiplist): string[] {
  const errors: string[] = []
  const h = zsl.header
  if (h.level.length !== ZSKIPLIST_MAXLEVEL) errors.push('header does not have 32 levels')
  if (h.ele !== null || h.backward !== null) errors.push('header has a member or a backward link')
  if (zsl.level < 1 || zsl.level > ZSKIPLIST_MAXLEVEL) errors.push(`level ${String(zsl.level)}`)
  const nodes = zslNodes(zsl)
  const rankOf = new Map<ZskiplistNode, number>([[h, 0]])
  let prev: ZskiplistNode | null = null
  let tallest = 1
  nodes.forEach((x, i) => {
    rankOf.set(x, i + 1)
    tallest = Math.max(tallest, x.level.length)
    if (x.level.length < 1 || x.level.length > ZSKIPLIST_MAXLEVEL) {
      errors.push(`node ${String(i + 1)} has ${String(x.level.length)} levels`)
    }
    if (Number.isNaN(x.score)) errors.push(`node ${String(i + 1)} has a NaN score`)
    if (x.backward !== prev) errors.push(`node ${String(i + 1)} has a wrong backward link`)
    if (prev !== null && !lessThan(prev, x.score, x.ele ?? '')) {
      errors.push(`node ${String(i + 1)} is not after node ${String(i)}`)
    }
    prev = x
  })
  if (zsl.tail !== prev) errors.push('tail is not the last node')
  if (zsl.length !== nodes.length) {
    errors.push(`length ${String(zsl.length)} but ${String(nodes.length)} nodes`)
  }
  if (zsl.level !== tallest)
    errors.push(`level ${String(zsl.level)} but tallest node ${String(tallest)}`)
  for (let i = 0; i < zsl.level; i++) {
    let chain = 0
    for (let x: ZskiplistNode | null = h; x !== null;) {
      const l: ZskiplistLevel | undefined = x.level[i]
      if (l === undefined) {
        errors.push(`a node in the level-${String(i)} chain is shorter than ${String(i + 1)}`)
        break
      }
      const from = rankOf.get(x) ?? -1
      const to = l.forward === null ? zsl.length : (rankOf.get(l.forward) ?? -1)
      if (l.span !== to - from) {
        errors.push(
          `level ${String(i)}: span ${String(l.span)} from rank ${String(from)}, expected ${String(to - from)}`,
        )
      }
      x = l.forward
      if (x !== null) chain++
    }
    const tall = nodes.filter((n) => n.level.length > i).length
    if (chain !== tall) {
      errors.push(`level ${String(i)} links ${String(chain)} nodes, ${String(tall)} are that tall`)
    }
  }
  return errors
}

// --- Internals ---

interface PathStop {
  readonly level: number
  readonly member: string | null
  readonly rank: number
}

/**
 * The shared descent: at each level from the top, move forward while `advance(next, span)`
 * holds; remember update[i] and rank[i]. Emits `zsl/searched` on full traces.
 */
function searchPath(
  ctx: ExecContext,
  zsl: Zskiplist,
  key: KeyName,
  advance: (next: ZskiplistNode, span: number) => boolean,
): { update: ZskiplistNode[]; rank: number[] } {
  const update: ZskiplistNode[] = []
  const rank: number[] = []
  let x = zsl.header
  let r = 0
  for (let i = zsl.level - 1; i >= 0; i--) {
    for (let f = lv(x, i).forward; f !== null && advance(f, lv(x, i).span); f = lv(x, i).forward) {
      r += lv(x, i).span
      x = f
    }
    update[i] = x
    rank[i] = r
  }
  if (ctx.full) emitSearched(ctx, key, zsl.level, update, rank)
  return { update, rank }
}

function deleteWhile(
  ctx: ExecContext,
  zsl: Zskiplist,
  update: readonly ZskiplistNode[],
  firstRank: number,
  key: KeyName,
  onDelete: (node: ZskiplistNode) => void,
  inRange: (x: ZskiplistNode) => boolean,
): number {
  let removed = 0
  let x = lv(upd(update, 0), 0).forward
  while (x !== null && inRange(x)) {
    const next = lv(x, 0).forward
    // Every deleted node takes the same rank: the ones after it shift down into it.
    zslDeleteNode(ctx, zsl, x, update, key, firstRank)
    onDelete(x)
    removed++
    x = next
  }
  return removed
}

function emitSearched(
  ctx: ExecContext,
  key: KeyName,
  levels: number,
  update: readonly ZskiplistNode[],
  rank: readonly number[],
): void {
  const path: PathStop[] = []
  for (let i = levels - 1; i >= 0; i--) {
    path.push({ level: i, member: upd(update, i).ele, rank: rank[i] ?? 0 })
  }
  ctx.emit({ type: 'zsl/searched', key, path })
}

function lv(x: ZskiplistNode, i: number): ZskiplistLevel {
  const l = x.level[i]
  if (l === undefined) throw new Error(`skiplist node has no level ${String(i)}`)
  return l
}

function upd(update: readonly ZskiplistNode[], i: number): ZskiplistNode {
  const u = update[i]
  if (u === undefined) throw new Error(`update[${String(i)}] missing`)
  return u
}
