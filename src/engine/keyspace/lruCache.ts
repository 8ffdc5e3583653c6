/**
 * An exact LRU cache: the textbook O(1) structure, as a reference to compare Redis's
 * approximated LRU with (not a Redis structure; evict.c samples instead, see evict.ts).
 *
 *     map: key → node                     (hash map, O(1) lookup)
 *     head ⇄ n1 ⇄ n2 ⇄ … ⇄ nk ⇄ tail       (doubly linked list, most recent first)
 *
 * `head` and `tail` are sentinel nodes, so linking and unlinking never test for null ends.
 * get(key): a hit moves the node right after head; a miss changes nothing. put(key, val):
 * an existing key is updated and moved to the head; a new key is linked at the head and,
 * when that makes the cache exceed its capacity, the node before tail (the least recently
 * used) is unlinked and dropped from the map.
 *
 * Redis keeps no such list because it costs two pointers per key and a write on every
 * read; sampling `maxmemory-samples` keys and evicting the idlest approximates it. Running
 * both over the same access stream shows how close the approximation gets.
 *
 * Events (summary level): lru/hit or lru/missed for get, lru/movedToHead whenever a node
 * moves to the front, lru/tailEvicted when the capacity forces an eviction.
 */
import type { ExecContext } from '../context.ts'
import type { KeyName } from '../events.ts'

// --- Types ---

export interface LruNode<V> {
  key: KeyName
  val: V
  prev: LruNode<V> | null
  next: LruNode<V> | null
}

export interface LruCache<V> {
  readonly capacity: number
  readonly map: Map<KeyName, LruNode<V>>
  /** Sentinel before the most recently used node. */
  readonly head: LruNode<V>
  /** Sentinel after the least recently used node. */
  readonly tail: LruNode<V>
  hits: number
  misses: number
}

// --- API ---

/** Creates an empty cache holding at most `capacity` (≥ 1) keys. */
export function lruCacheCreate<V>(capacity: number): LruCache<V> {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError('LRU cache capacity must be a positive integer')
  }
  const head = sentinel<V>()
  const tail = sentinel<V>()
  head.next = tail
  tail.prev = head
  return { capacity, map: new Map(), head, tail, hits: 0, misses: 0 }
}

/** Number of keys held. */
export function lruCacheSize<V>(c: LruCache<V>): number {
  return c.map.size
}

/** Looks a key up; a hit makes it the most recently used. Counts hits and misses. */
export function lruCacheGet<V>(ctx: ExecContext, c: LruCache<V>, key: KeyName): V | undefined {
  const node = c.map.get(key)
  if (node === undefined) {
    c.misses++
    if (ctx.tracing) ctx.emit({ type: 'lru/missed', key })
    return undefined
  }
  c.hits++
  if (ctx.tracing) ctx.emit({ type: 'lru/hit', key })
  moveToHead(ctx, c, node)
  return node.val
}

/**
 * Inserts or updates a key and makes it the most recently used. Returns the key evicted
 * from the tail to stay within capacity, or null.
 */
export function lruCachePut<V>(
  ctx: ExecContext,
  c: LruCache<V>,
  key: KeyName,
  val: V,
): KeyName | null {
  const existing = c.map.get(key)
  if (existing !== undefined) {
    existing.val = val
    moveToHead(ctx, c, existing)
    return null
  }
  const node: LruNode<V> = { key, val, prev: null, next: null }
  c.map.set(key, node)
  linkAfterHead(c, node)
  if (ctx.tracing) ctx.emit({ type: 'lru/movedToHead', key })
  if (c.map.size <= c.capacity) return null
  const victim = c.tail.prev
  if (victim === null || victim === c.head) return null
  unlink(victim)
  c.map.delete(victim.key)
  if (ctx.tracing) ctx.emit({ type: 'lru/tailEvicted', key: victim.key })
  return victim.key
}

/** Keys from most to least recently used. */
export function lruCacheKeys<V>(c: LruCache<V>): KeyName[] {
  const out: KeyName[] = []
  for (let n = c.head.next; n !== null && n !== c.tail; n = n.next) out.push(n.key)
  return out
}

/** Self-check: list and map agree, links are symmetric, size within capacity. */
export function lruCacheValidate<V>(c: LruCache<V>): string[] {
  const errors: string[] = []
  let count = 0
  let prev = c.head
  for (let n = c.head.next; n !== c.tail; n = n.next) {
    if (n === null) {
      errors.push('list ends before the tail sentinel')
      return errors
    }
    if (n.prev !== prev) errors.push(`node ${n.key}: prev link broken`)
    if (c.map.get(n.key) !== n) errors.push(`node ${n.key}: not the map's node for its key`)
    prev = n
    if (++count > c.map.size) {
      errors.push('list longer than the map (cycle or stray node)')
      return errors
    }
  }
  if (c.tail.prev !== prev) errors.push('tail sentinel prev link broken')
  if (count !== c.map.size) errors.push(`list has ${count} nodes, map ${c.map.size}`)
  if (c.map.size > c.capacity) errors.push(`size ${c.map.size} exceeds capacity ${c.capacity}`)
  return errors
}

// --- Internals ---

function sentinel<V>(): LruNode<V> {
  // The sentinels never expose their value; the cast keeps LruNode<V> uniform.
  return { key: '', val: undefined as V, prev: null, next: null }
}

function unlink<V>(n: LruNode<V>): void {
  if (n.prev !== null) n.prev.next = n.next
  if (n.next !== null) n.next.prev = n.prev
  n.prev = null
  n.next = null
}

function linkAfterHead<V>(c: LruCache<V>, n: LruNode<V>): void {
  const first = c.head.next
  n.prev = c.head
  n.next = first
  c.head.next = n
  if (first !== null) first.prev = n
}

function moveToHead<V>(ctx: ExecContext, c: LruCache<V>, n: LruNode<V>): void {
  if (c.head.next !== n) {
    unlink(n)
    linkAfterHead(c, n)
  }
  if (ctx.tracing) ctx.emit({ type: 'lru/movedToHead', key: n.key })
}
