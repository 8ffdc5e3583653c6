/**
 * inspect() view of a stream, for the stream panel: the rax (radix tree) of listpack nodes
 * drawn node by node as rax.c shapes it, each listpack's master entry and entries (tombstones
 * included), the stream's IDs and counters, and the consumer groups with their PELs.
 *
 * Bounds: at most `limit` listpacks, each listing at most min(limit, STREAM_VIEW_ITEMS) of its
 * entries and 2 × limit entries in all (a panel draws the first few of each listpack), and the
 * rax nodes on the paths to the listed listpacks (children past them are named by id but not
 * listed); `truncated` says when anything was cut. A group lists at most STREAM_PEL_SHOWN pending
 * entries (stream/groupChanged carries the same view, so a panel's fold matches it).
 *
 * Rax node ids are the path from the head, as hex ('' for the head): the same node keeps its
 * id while the tree changes around it, and a split's new nodes get the ids of their paths.
 */
import type { InspectView } from './api.ts'
import type { StreamGroupView } from './events.ts'
import { registerInspector } from './inspect.ts'
import {
  lpBytes,
  lpFirst,
  lpGet,
  lpGetValue,
  lpNext,
  type Listpack,
} from './structures/listpack.ts'
import { raxForEach, type RaxNode } from './structures/rax.ts'
import { keepingErrno } from './util/errno.ts'
import {
  STREAM_ITEM_FLAG_DELETED,
  STREAM_ITEM_FLAG_SAMEFIELDS,
  STREAM_PEL_SHOWN,
  streamDecodeID,
  streamEncodeID,
  streamGroupView,
  streamIDString,
  streamNodes,
  type Stream,
  type StreamNode,
  type StreamObject,
} from './types/t_stream.ts'

// --- View types ---

/** One rax node: rax.c's shape (compressed run or one edge byte per child). */
export interface StreamRaxNodeView {
  /** The bytes from the head to this node, as hex ('' for the head). */
  readonly id: string
  /** Edge bytes (one per child) or, compressed, the run to the only child; as hex. */
  readonly data: string
  readonly iscompr: boolean
  readonly iskey: boolean
  /** Child ids in edge order. */
  readonly children: readonly string[]
  /** For a key node: the master entry ID its 16-byte key spells. */
  readonly master: string | null
}

/** One entry of a listpack node. */
export interface StreamEntryView {
  readonly id: string
  readonly deleted: boolean
  /** Its fields equal the master entry's: only the values are stored. */
  readonly sameFields: boolean
  /** field, value, field, value ... (each cut at 32 bytes, at most 4 pairs). */
  readonly fields: readonly string[]
}

/** A listpack node as the stream view lists it. */
export interface StreamNodeView {
  readonly master: string
  /** Live entries (the master entry's count). */
  readonly entries: number
  /** Tombstones (the master entry's deleted). */
  readonly deleted: number
  readonly masterFields: readonly string[]
  readonly bytes: number
  readonly alloc: number
  /** The entries, in order (cut at the view's limit). */
  readonly items: readonly StreamEntryView[]
}

export interface StreamView {
  readonly kind: 'stream'
  readonly key: string
  readonly length: number
  readonly lastId: string
  readonly firstId: string
  readonly maxDeletedEntryId: string
  readonly entriesAdded: string
  /** Listpacks (rax keys) and rax nodes, head included (XINFO's radix-tree-keys/-nodes). */
  readonly raxKeys: number
  readonly raxNodes: number
  /** Rax nodes in depth-first order, head first. */
  readonly rax: readonly StreamRaxNodeView[]
  readonly nodes: readonly StreamNodeView[]
  readonly groups: readonly StreamGroupView[]
  readonly truncated: boolean
}

// --- Builders ---

const hex = (bytes: string): string =>
  Array.from(bytes, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')

function lpInt(lp: Listpack, p: number): bigint {
  const v = lpGetValue(lp, p)
  return typeof v === 'bigint' ? v : BigInt(v)
}

const cut = (s: string): string => (s.length > 32 ? s.slice(0, 32) : s)

/**
 * Walks one listpack: master entry (count, deleted, fields, 0), then each entry
 * (flags, ms-diff, seq-diff, [numfields, fields…] values…, lp-count). Lists at most `room`.
 */
function nodeView(masterKey: string, node: StreamNode, room: number): StreamNodeView {
  const lp = node.lp
  const master = streamDecodeID(masterKey)
  let p = lpFirst(lp) as number
  const entries = Number(lpInt(lp, p))
  p = lpNext(lp, p) as number
  const deleted = Number(lpInt(lp, p))
  p = lpNext(lp, p) as number
  const nmaster = Number(lpInt(lp, p))
  const masterFields: string[] = []
  for (let i = 0; i < nmaster; i++) {
    p = lpNext(lp, p) as number
    masterFields.push(lpGet(lp, p))
  }
  let q = lpNext(lp, lpNext(lp, p) as number) // past the master terminator
  const items: StreamEntryView[] = []
  while (q !== null && items.length < room) {
    const flags = Number(lpInt(lp, q))
    q = lpNext(lp, q) as number
    const ms = BigInt.asUintN(64, master.ms + lpInt(lp, q))
    q = lpNext(lp, q) as number
    const seq = BigInt.asUintN(64, master.seq + lpInt(lp, q))
    q = lpNext(lp, q) as number
    const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0
    let n = nmaster
    if (!same) {
      n = Number(lpInt(lp, q))
      q = lpNext(lp, q) as number
    }
    const fields: string[] = []
    for (let i = 0; i < n; i++) {
      let field = masterFields[i] ?? ''
      if (!same) {
        field = lpGet(lp, q)
        q = lpNext(lp, q) as number
      }
      if (i < 4) fields.push(cut(field), cut(lpGet(lp, q)))
      q = lpNext(lp, q) as number
    }
    q = lpNext(lp, q) // past lp-count
    items.push({
      id: streamIDString({ ms, seq }),
      deleted: (flags & STREAM_ITEM_FLAG_DELETED) !== 0,
      sameFields: same,
      fields,
    })
  }
  return {
    master: streamIDString(master),
    entries,
    deleted,
    masterFields,
    bytes: lpBytes(lp),
    alloc: node.alloc,
    items,
  }
}

/**
 * The rax nodes depth first (key order), up to the `shown`-th key: the listed listpacks are
 * the first ones in key order, so the walk stops descending once it has passed them all.
 */
function raxView(head: RaxNode<StreamNode>, shown: number): StreamRaxNodeView[] {
  const out: StreamRaxNodeView[] = []
  let keys = 0
  const walk = (n: RaxNode<StreamNode>, path: string): void => {
    const edges = n.iscompr ? [n.data] : Array.from(n.data)
    if (n.iskey) keys++
    out.push({
      id: hex(path),
      data: hex(n.data),
      iscompr: n.iscompr,
      iskey: n.iskey,
      children: edges.map((e) => hex(path + e)),
      master: n.iskey && path.length === 16 ? streamIDString(streamDecodeID(path)) : null,
    })
    edges.forEach((e, i) => {
      const child = n.children[i]
      if (child !== undefined && keys < shown) walk(child, path + e)
    })
  }
  walk(head, '')
  return out
}

/** Entries a listpack lists at most in the view. */
export const STREAM_VIEW_ITEMS = 32

/** A plain, JSON-safe view of a stream for panels. */
export function streamView(s: Stream, key: string, limit: number): StreamView {
  return keepingErrno(() => streamViewOf(s, key, limit))
}

function streamViewOf(s: Stream, key: string, limit: number): StreamView {
  const nodes: StreamNodeView[] = []
  let truncated = false
  let room = limit * 2
  for (const { master, node } of streamNodes(s)) {
    if (nodes.length >= limit) {
      truncated = true
      break
    }
    const v = nodeView(streamEncodeID(master), node, Math.min(room, limit, STREAM_VIEW_ITEMS))
    if (v.items.length < v.entries + v.deleted) truncated = true
    room -= v.items.length
    nodes.push(v)
  }
  const groups: StreamGroupView[] = []
  if (s.cgroups !== null)
    raxForEach(s.cgroups, (name, cg) => {
      groups.push(streamGroupView(name, cg, Math.min(limit, STREAM_PEL_SHOWN)))
    })
  return {
    kind: 'stream',
    key,
    length: s.length,
    lastId: streamIDString(s.lastId),
    firstId: streamIDString(s.firstId),
    maxDeletedEntryId: streamIDString(s.maxDeletedEntryId),
    entriesAdded: s.entriesAdded.toString(),
    raxKeys: s.rax.numele,
    raxNodes: s.rax.numnodes,
    rax: raxView(s.rax.head, nodes.length),
    nodes,
    groups,
    truncated,
  }
}

registerInspector('stream', (o, key, limit): InspectView => ({
  ...streamView((o as StreamObject).ptr, key, limit),
}))
