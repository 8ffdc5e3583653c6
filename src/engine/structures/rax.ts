/**
 * rax — a radix tree of byte-string keys. (← src/rax.c, Redis 7.0.15)
 *
 * Streams keep their listpacks in a rax keyed by the 128-bit big-endian master entry ID, and
 * consumer groups, consumers and pending-entry lists are rax trees too. XINFO STREAM reports
 * `radix-tree-nodes` and MEMORY USAGE charges every node, so this file follows rax.c's node
 * shapes exactly, not just its ordering.
 *
 * Nodes: characters live on the edges. A node is either
 *   - non-compressed: `data` holds one edge byte per child, sorted, and `children[i]` is the
 *     node reached through `data[i]`; or
 *   - compressed (`iscompr`): `data` is a run of ≥ 2 bytes leading to one child, standing for a
 *     chain of single-child, non-key nodes ("ANNIBALE" → child).
 * A node is a key (`iskey`) when the bytes on the path from the head to it spell the key; its
 * value may be NULL (`isnull`, no value slot allocated). The head is a node with no bytes.
 *
 * Insert (raxGenericInsert) walks down as far as the key matches (raxLowWalk). Stopping in the
 * middle of a compressed node splits it: on a mismatch ("ALGO 1") into an optional trimmed
 * prefix, a one-byte split node and an optional postfix; when the key simply ends inside the
 * run ("ALGO 2") into a trimmed prefix and a postfix that becomes the key. The rest of the key
 * is then added as one compressed node (when the node has no children and ≥ 2 bytes remain)
 * or one child edge at a time. Remove (raxRemove) unmarks the key, frees the chain of nodes
 * that no longer lead anywhere, and re-compresses a chain of single-child non-key nodes into
 * one compressed node. `numnodes` is counted exactly where rax.c counts it.
 *
 * Representation: plain objects; `data` is a byte string (code units 0–255); keys are byte
 * strings, compared bytewise (memcmp order). Iteration (raxSeek / raxNext / raxPrev) finds the
 * neighbouring key from the iterator's current key by a bounded descent instead of keeping
 * rax.c's explicit node stack, so it stays valid when the tree changes under it, as after
 * streamTrim's raxRemove + re-seek; the keys visited and their order are rax.c's.
 */
import { libc } from '../util/errno.ts'

// --- Types ---

export interface RaxNode<V> {
  iskey: boolean
  /** A key whose value is NULL (no value slot). */
  isnull: boolean
  iscompr: boolean
  /** Edge bytes (one per child, sorted) or, compressed, the run of bytes to the only child. */
  data: string
  children: RaxNode<V>[]
  value: V | null
}

export interface Rax<V> {
  head: RaxNode<V>
  /** Number of keys (rax->numele). */
  numele: number
  /** Number of nodes, the head included (rax->numnodes). */
  numnodes: number
}

/** Seek operators of raxSeek. */
export type RaxSeekOp = '>=' | '>' | '<=' | '<' | '^' | '$' | '=='

export interface RaxIterator<V> {
  readonly rax: Rax<V>
  /** The current key (valid when !eof). */
  key: string
  /** The current key's value. */
  data: V | null
  eof: boolean
  /** Set by raxSeek: the next raxNext/raxPrev returns the element found by the seek. */
  justSeeked: boolean
}

// --- Creation ---

function raxNewNode<V>(): RaxNode<V> {
  return { iskey: false, isnull: false, iscompr: false, data: '', children: [], value: null }
}

/** An empty tree: just the head node — raxNew. */
export function raxNew<V>(): Rax<V> {
  return { head: raxNewNode<V>(), numele: 0, numnodes: 1 }
}

/** Number of keys — raxSize. */
export function raxSize<V>(rax: Rax<V>): number {
  return rax.numele
}

function raxSetData<V>(n: RaxNode<V>, data: V | null): void {
  n.iskey = true
  n.isnull = data === null
  n.value = data
}

// --- Lookup ---

interface LowWalk<V> {
  /** Bytes of the key consumed. */
  i: number
  /** The node where the walk stopped. */
  h: RaxNode<V>
  /** Its parent (null for the head) and its index in the parent's children. */
  parent: RaxNode<V> | null
  pidx: number
  /** Inside a compressed node: the index of the first byte not matched. */
  splitpos: number
  /** Nodes walked through, head first (raxStack). */
  stack: RaxNode<V>[]
}

/** raxLowWalk: follows `s` from the head as far as it matches. */
function raxLowWalk<V>(rax: Rax<V>, s: string): LowWalk<V> {
  let h = rax.head
  let parent: RaxNode<V> | null = null
  let pidx = 0
  const stack: RaxNode<V>[] = []
  const len = s.length
  let i = 0
  let j = 0
  while (h.data.length > 0 && i < len) {
    const v = h.data
    if (h.iscompr) {
      for (j = 0; j < v.length && i < len; j++, i++) if (v.charCodeAt(j) !== s.charCodeAt(i)) break
      if (j !== v.length) break
    } else {
      const c = s.charCodeAt(i)
      for (j = 0; j < v.length; j++) if (v.charCodeAt(j) === c) break
      if (j === v.length) break
      i++
    }
    stack.push(h)
    if (h.iscompr) j = 0
    parent = h
    pidx = j
    h = h.children[j] as RaxNode<V>
    j = 0
  }
  return { i, h, parent, pidx, splitpos: h.iscompr ? j : 0, stack }
}

/** The value of `key`, or undefined when it is not in the tree (raxNotFound) — raxFind. */
export function raxFind<V>(rax: Rax<V>, key: string): V | null | undefined {
  const w = raxLowWalk(rax, key)
  if (w.i !== key.length || (w.h.iscompr && w.splitpos !== 0) || !w.h.iskey) return undefined
  return w.h.value
}

function setLink<V>(rax: Rax<V>, parent: RaxNode<V> | null, pidx: number, n: RaxNode<V>): void {
  if (parent === null) rax.head = n
  else parent.children[pidx] = n
}

// --- Insert ---

/** raxAddChild: a new empty child under edge byte `c`, kept in byte order; returns its index. */
function raxAddChild<V>(n: RaxNode<V>, c: number): number {
  let pos = 0
  while (pos < n.data.length && n.data.charCodeAt(pos) <= c) pos++
  n.data = n.data.slice(0, pos) + String.fromCharCode(c) + n.data.slice(pos)
  n.children.splice(pos, 0, raxNewNode<V>())
  return pos
}

/**
 * Inserts `key` with `data`; when the key exists, replaces its value only if `overwrite`.
 * Returns whether a new key was added and the previous value — raxGenericInsert.
 */
export function raxGenericInsert<V>(
  rax: Rax<V>,
  s: string,
  data: V | null,
  overwrite: boolean,
): { inserted: boolean; old: V | null | undefined } {
  const len = s.length
  const w = raxLowWalk(rax, s)
  const { parent, pidx } = w
  let { i, h } = w
  const j = w.splitpos

  if (i === len && (!h.iscompr || j === 0)) {
    if (h.iskey) {
      const old = h.value
      if (overwrite) raxSetData(h, data)
      libc.errno = 0
      return { inserted: false, old }
    }
    raxSetData(h, data)
    rax.numele++
    return { inserted: true, old: undefined }
  }

  if (h.iscompr && i !== len) {
    // ALGO 1: a mismatch at byte j of a compressed node. Split it into an optional trimmed
    // prefix (bytes before j), a one-edge split node holding byte j, and an optional postfix
    // (bytes after j) that leads to the old child; the key's own byte is added below.
    const next = h.children[0] as RaxNode<V>
    const postfixlen = h.data.length - j - 1
    const splitnode = raxNewNode<V>()
    splitnode.data = h.data.charAt(j)
    if (j === 0) {
      if (h.iskey) raxSetData(splitnode, h.value)
      setLink(rax, parent, pidx, splitnode)
    } else {
      const trimmed: RaxNode<V> = {
        iskey: h.iskey,
        isnull: h.isnull,
        iscompr: j > 1,
        data: h.data.slice(0, j),
        children: [splitnode],
        value: h.iskey ? h.value : null,
      }
      setLink(rax, parent, pidx, trimmed)
      rax.numnodes++
    }
    let postfix: RaxNode<V>
    if (postfixlen > 0) {
      postfix = {
        iskey: false,
        isnull: false,
        iscompr: postfixlen > 1,
        data: h.data.slice(j + 1),
        children: [next],
        value: null,
      }
      rax.numnodes++
    } else {
      postfix = next
    }
    splitnode.children = [postfix]
    h = splitnode
  } else if (h.iscompr && i === len) {
    // ALGO 2: the key ends inside a compressed node: the postfix from byte j on becomes the
    // key, under a trimmed node holding the bytes before j.
    const next = h.children[0] as RaxNode<V>
    const postfixlen = h.data.length - j
    const postfix: RaxNode<V> = {
      iskey: false,
      isnull: false,
      iscompr: postfixlen > 1,
      data: h.data.slice(j),
      children: [next],
      value: null,
    }
    raxSetData(postfix, data)
    rax.numnodes++
    const trimmed: RaxNode<V> = {
      iskey: false,
      isnull: false,
      iscompr: j > 1,
      data: h.data.slice(0, j),
      children: [postfix],
      value: null,
    }
    if (h.iskey) raxSetData(trimmed, h.value)
    setLink(rax, parent, pidx, trimmed)
    rax.numele++
    return { inserted: true, old: undefined }
  }

  // Add the missing bytes: a childless node with ≥ 2 bytes left becomes a compressed node
  // (raxCompressNode), otherwise one edge is added at a time.
  while (i < len) {
    let idx: number
    if (h.data.length === 0 && len - i > 1) {
      h.iscompr = true
      h.data = s.slice(i)
      h.children = [raxNewNode<V>()]
      idx = 0
      i = len
    } else {
      idx = raxAddChild(h, s.charCodeAt(i))
      i++
    }
    // Nodes are changed in place here, so the parent's link needs no fixing (rax.c reallocs).
    rax.numnodes++
    h = h.children[idx] as RaxNode<V>
  }
  const inserted = !h.iskey
  if (inserted) rax.numele++
  raxSetData(h, data)
  return { inserted, old: undefined }
}

/** Inserts or overwrites; true if the key is new — raxInsert. */
export function raxInsert<V>(rax: Rax<V>, key: string, data: V | null): boolean {
  return raxGenericInsert(rax, key, data, true).inserted
}

/** Inserts only if absent; true if the key is new — raxTryInsert. */
export function raxTryInsert<V>(rax: Rax<V>, key: string, data: V | null): boolean {
  return raxGenericInsert(rax, key, data, false).inserted
}

// --- Remove ---

/** raxRemoveChild: unlinks `child` from `parent` (a compressed parent becomes childless). */
function raxRemoveChild<V>(parent: RaxNode<V>, child: RaxNode<V>): void {
  if (parent.iscompr) {
    parent.iscompr = false
    parent.data = ''
    parent.children = []
    parent.isnull = parent.iskey && parent.value === null
    return
  }
  const idx = parent.children.indexOf(child)
  parent.data = parent.data.slice(0, idx) + parent.data.slice(idx + 1)
  parent.children.splice(idx, 1)
}

function compressible<V>(n: RaxNode<V>): boolean {
  return !n.iskey && (n.iscompr || n.data.length === 1)
}

function lastChild<V>(n: RaxNode<V>): RaxNode<V> {
  return n.children[n.children.length - 1] as RaxNode<V>
}

/** Removes `key`; returns whether it was there and its value — raxRemove. */
export function raxRemove<V>(rax: Rax<V>, key: string): { removed: boolean; old: V | null } {
  const w = raxLowWalk(rax, key)
  let h = w.h
  const ts = w.stack
  if (w.i !== key.length || (h.iscompr && w.splitpos !== 0) || !h.iskey)
    return { removed: false, old: null }
  const old = h.value
  h.iskey = false
  h.isnull = false
  h.value = null
  rax.numele--

  let trycompress = false
  if (h.data.length === 0) {
    // Free the chain of nodes that now lead to no key, up to a key or a branching node.
    let child: RaxNode<V> | null = null
    while (h !== rax.head) {
      child = h
      rax.numnodes--
      h = ts.pop() as RaxNode<V>
      if (h.iskey || (!h.iscompr && h.data.length !== 1)) break
    }
    if (child !== null) {
      raxRemoveChild(h, child)
      if (h.data.length === 1 && !h.iskey) trycompress = true
    }
  } else if (h.data.length === 1) {
    trycompress = true
  }

  if (trycompress) {
    // Go up to the highest node of the chain of single-child non-key nodes, then merge the
    // chain below it into one compressed node.
    let parent: RaxNode<V> | undefined
    for (;;) {
      parent = ts.pop()
      if (parent === undefined || parent.iskey || (!parent.iscompr && parent.data.length !== 1))
        break
      h = parent
    }
    const start = h
    let nodes = 1
    while (h.data.length !== 0) {
      h = lastChild(h)
      if (!compressible(h)) break
      nodes++
    }
    if (nodes > 1) {
      const merged = raxNewNode<V>()
      merged.iscompr = true
      rax.numnodes++
      let data = ''
      h = start
      while (h.data.length !== 0) {
        data += h.data
        h = lastChild(h)
        rax.numnodes--
        if (!compressible(h)) break
      }
      merged.data = data
      merged.children = [h]
      if (parent !== undefined) parent.children[parent.children.indexOf(start)] = merged
      else rax.head = merged
    }
  }
  return { removed: true, old }
}

// --- Seek and iteration ---

function subtreeMin<V>(n: RaxNode<V>, prefix: string): [string, RaxNode<V>] | null {
  let key = prefix
  for (;;) {
    if (n.iskey) return [key, n]
    if (n.children.length === 0) return null
    key += n.iscompr ? n.data : n.data.charAt(0)
    n = n.children[0] as RaxNode<V>
  }
}

function subtreeMax<V>(n: RaxNode<V>, prefix: string): [string, RaxNode<V>] | null {
  let key = prefix
  while (n.children.length > 0) {
    key += n.iscompr ? n.data : n.data.charAt(n.data.length - 1)
    n = lastChild(n)
  }
  return n.iskey ? [key, n] : null
}

/** memcmp-style comparison of `prefix` with the same-length head of `key`. */
function comparePrefix(prefix: string, key: string): number {
  const n = Math.min(prefix.length, key.length)
  for (let k = 0; k < n; k++) {
    const d = prefix.charCodeAt(k) - key.charCodeAt(k)
    if (d !== 0) return d
  }
  // The prefix runs past the key: every key below it is longer than `key`, hence greater.
  return prefix.length > key.length ? 1 : 0
}

/** The smallest key of n's subtree that is > key (or ≥ with `orEqual`). */
function seekGreater<V>(
  n: RaxNode<V>,
  prefix: string,
  key: string,
  orEqual: boolean,
): [string, RaxNode<V>] | null {
  const cmp = comparePrefix(prefix, key)
  if (cmp > 0) return subtreeMin(n, prefix)
  if (cmp < 0) return null
  if (prefix.length === key.length) {
    if (orEqual && n.iskey) return [prefix, n]
  }
  if (n.iscompr) return seekGreater(n.children[0] as RaxNode<V>, prefix + n.data, key, orEqual)
  for (let k = 0; k < n.children.length; k++) {
    const r = seekGreater(n.children[k] as RaxNode<V>, prefix + n.data.charAt(k), key, orEqual)
    if (r !== null) return r
  }
  return null
}

/** The greatest key of n's subtree that is < key (or ≤ with `orEqual`). */
function seekLess<V>(
  n: RaxNode<V>,
  prefix: string,
  key: string,
  orEqual: boolean,
): [string, RaxNode<V>] | null {
  const cmp = comparePrefix(prefix, key)
  if (cmp > 0) return null
  if (cmp < 0) return subtreeMax(n, prefix)
  if (prefix.length === key.length) return orEqual && n.iskey ? [prefix, n] : null
  if (n.iscompr) {
    const r = seekLess(n.children[0] as RaxNode<V>, prefix + n.data, key, orEqual)
    if (r !== null) return r
  } else {
    for (let k = n.children.length - 1; k >= 0; k--) {
      const r = seekLess(n.children[k] as RaxNode<V>, prefix + n.data.charAt(k), key, orEqual)
      if (r !== null) return r
    }
  }
  return n.iskey ? [prefix, n] : null
}

/** An iterator over `rax`, not positioned yet — raxStart. */
export function raxStart<V>(rax: Rax<V>): RaxIterator<V> {
  return { rax, key: '', data: null, eof: true, justSeeked: false }
}

function position<V>(it: RaxIterator<V>, found: [string, RaxNode<V>] | null): boolean {
  if (found === null) {
    it.eof = true
    it.data = null
    return false
  }
  it.eof = false
  it.key = found[0]
  it.data = found[1].value
  return true
}

/**
 * Positions the iterator — raxSeek: '^' first key, '$' last key, '>=' '>' '<=' '<' '=='
 * relative to `ele`. The element found (if any) is current at once (it.key, it.data) and is
 * also what the next raxNext or raxPrev returns. Returns false when nothing matches (EOF).
 */
export function raxSeek<V>(it: RaxIterator<V>, op: RaxSeekOp, ele = ''): boolean {
  const head = it.rax.head
  let found: [string, RaxNode<V>] | null
  switch (op) {
    case '^':
      found = subtreeMin(head, '')
      break
    case '$':
      found = subtreeMax(head, '')
      break
    case '>=':
    case '>':
      found = seekGreater(head, '', ele, op === '>=')
      break
    case '<=':
    case '<':
      found = seekLess(head, '', ele, op === '<=')
      break
    case '==':
      found = seekGreater(head, '', ele, true)
      if (found !== null && found[0] !== ele) found = null
      break
  }
  it.justSeeked = true
  return position(it, found)
}

/** Moves to the next key in byte order; false at the end — raxNext. */
export function raxNext<V>(it: RaxIterator<V>): boolean {
  return raxStep(it, seekGreater)
}

/** Moves to the previous key in byte order; false at the start — raxPrev. */
export function raxPrev<V>(it: RaxIterator<V>): boolean {
  return raxStep(it, seekLess)
}

/** raxNext / raxPrev: the element a seek already found, else the next one `seek` finds. */
function raxStep<V>(it: RaxIterator<V>, seek: typeof seekGreater<V>): boolean {
  let more: boolean
  if (it.justSeeked) {
    it.justSeeked = false
    more = !it.eof
  } else {
    more = !it.eof && position(it, seek(it.rax.head, '', it.key, false))
  }
  // At the end raxNext/raxPrev clear errno (util/errno.ts).
  if (!more) libc.errno = 0
  return more
}

/** Whether the iterator is past the end — raxEOF. */
export function raxEOF<V>(it: RaxIterator<V>): boolean {
  return it.eof
}

/**
 * Bytes a node takes as rax.c lays it out (raxNodeCurrentLength): the 4-byte header, the
 * edge bytes padded to pointer alignment, the child pointers (one if compressed) and the
 * value pointer of a non-NULL key.
 */
export function raxNodeCurrentLength<V>(n: RaxNode<V>): number {
  const size = n.data.length
  const padding = (8 - ((size + 4) % 8)) & 7
  return 4 + size + padding + 8 * (n.iscompr ? 1 : size) + (n.iskey && !n.isnull ? 8 : 0)
}

/** Sum of f(node) over every node of the tree, the head included. */
export function raxSumNodes<V>(rax: Rax<V>, f: (n: RaxNode<V>) => number): number {
  let total = 0
  const stack: RaxNode<V>[] = [rax.head]
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    total += f(n)
    for (const child of n.children) stack.push(child)
  }
  return total
}

/**
 * Calls fn(key, value) for each key in byte order until it returns false (a raxStart /
 * raxSeek "^" / raxNext loop).
 */
export function raxForEach<V>(rax: Rax<V>, fn: (key: string, value: V) => boolean | void): void {
  const it = raxStart(rax)
  raxSeek(it, '^')
  while (raxNext(it)) if (fn(it.key, it.data as V) === false) return
}

/** All keys and values in byte order (tests, inspection, copies). */
export function raxEntries<V>(rax: Rax<V>): [string, V | null][] {
  const out: [string, V | null][] = []
  const walk = (n: RaxNode<V>, prefix: string): void => {
    if (n.iskey) out.push([prefix, n.value])
    if (n.iscompr) walk(n.children[0] as RaxNode<V>, prefix + n.data)
    else
      for (let k = 0; k < n.children.length; k++)
        walk(n.children[k] as RaxNode<V>, prefix + n.data.charAt(k))
  }
  walk(rax.head, '')
  return out
}

/** A copy of the tree with the same node shapes; values are copied by `copyValue`. */
export function raxDup<V>(rax: Rax<V>, copyValue: (v: V) => V): Rax<V> {
  const dup = (n: RaxNode<V>): RaxNode<V> => ({
    iskey: n.iskey,
    isnull: n.isnull,
    iscompr: n.iscompr,
    data: n.data,
    children: n.children.map(dup),
    value: n.value === null ? null : copyValue(n.value),
  })
  return { head: dup(rax.head), numele: rax.numele, numnodes: rax.numnodes }
}

// --- Random walk ---

/**
 * raxSeek "^" then raxRandomWalk: from the smallest key, take `steps` random moves (0: a
 * random count, 1 + rand() % (2 * (1 + floor(ln numele)))), each to a random child or, with the
 * same odds as one child, back up to the parent, counting the moves that land on a key, and
 * keep walking until the node is a key. Returns that key, or null when the tree is empty.
 * `rand` is C's rand() (the tracking table's eviction: tracking.c trackingLimitUsedSlots).
 */
export function raxRandomWalk<V>(rax: Rax<V>, steps: number, rand: () => number): string | null {
  if (rax.numele === 0) return null
  // raxSeek(">=", ""): down the first edges to the first key, remembering the path.
  const stack: RaxNode<V>[] = []
  let key = ''
  let n = rax.head
  while (!n.iskey) {
    stack.push(n)
    key += n.iscompr ? n.data : n.data.charAt(0)
    n = n.children[0] as RaxNode<V>
  }
  if (steps === 0) {
    const fle = 2 * (1 + Math.floor(Math.log(rax.numele)))
    steps = 1 + (rand() % fle)
  }
  while (steps > 0 || !n.iskey) {
    const numchildren = n.iscompr ? 1 : n.data.length
    const r = rand() % (numchildren + (n !== rax.head ? 1 : 0))
    if (r === numchildren) {
      n = stack.pop() as RaxNode<V>
      key = key.slice(0, key.length - (n.iscompr ? n.data.length : 1))
    } else {
      key += n.iscompr ? n.data : n.data.charAt(r)
      stack.push(n)
      n = n.children[r] as RaxNode<V>
    }
    if (n.iskey) steps--
  }
  return key
}

// --- Validation ---

/** Self-check of the structural invariants rax.c relies on. */
export function raxValidate<V>(rax: Rax<V>): string[] {
  const errors: string[] = []
  let nodes = 0
  let keys = 0
  const walk = (n: RaxNode<V>, prefix: string): void => {
    nodes++
    if (n.iskey) keys++
    const at = JSON.stringify(prefix)
    if (n.iscompr) {
      if (n.data.length < 2)
        errors.push(`compressed node at ${at} holds ${String(n.data.length)} byte`)
      if (n.children.length !== 1)
        errors.push(`compressed node at ${at} has ${String(n.children.length)} children`)
    } else {
      if (n.children.length !== n.data.length)
        errors.push(
          `node at ${at}: ${String(n.data.length)} edges, ${String(n.children.length)} children`,
        )
      for (let k = 1; k < n.data.length; k++)
        if (n.data.charCodeAt(k - 1) >= n.data.charCodeAt(k))
          errors.push(`node at ${at}: edges not strictly ascending`)
    }
    if (n.children.length === 0 && !n.iskey && n !== rax.head)
      errors.push(`leaf at ${at} is not a key`)
    if (n.iskey && n.isnull !== (n.value === null)) errors.push(`key at ${at}: isnull mismatch`)
    if (!n.iskey && n.value !== null) errors.push(`non-key at ${at} holds a value`)
    if (n.iscompr) walk(n.children[0] as RaxNode<V>, prefix + n.data)
    else
      for (let k = 0; k < n.children.length; k++)
        walk(n.children[k] as RaxNode<V>, prefix + n.data.charAt(k))
  }
  walk(rax.head, '')
  if (nodes !== rax.numnodes)
    errors.push(`numnodes ${String(rax.numnodes)} but ${String(nodes)} nodes`)
  if (keys !== rax.numele) errors.push(`numele ${String(rax.numele)} but ${String(keys)} keys`)
  return errors
}
