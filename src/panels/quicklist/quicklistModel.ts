/**
 * The quicklist panel's model and layout (pure). A list in Redis 7.0 is a doubly linked
 * chain of nodes, each holding a small listpack (or, past packed_threshold, one PLAIN
 * element). The model keeps what the chain's shape needs: each node's id, element count and
 * listpack bytes, in order, plus the fill limit (list-max-listpack-size) they are held to,
 * and the compress depth (list-compress-depth) with the LZF size of each compressed node.
 *
 * Folding: quicklist/nodeCreated links a node after `prev` (null: at the head);
 * nodeSplit trims the split node (the new half arrives by its nodeCreated); nodesMerged
 * gives `into` the elements of `from` (which nodeDeleted then unlinks); listpack/* events
 * tagged with a node id change that node's count and bytes; nodeCompressed and
 * nodeDecompressed set and clear a node's LZF size.
 */
import type { StepEvent } from '../../engine/events.ts'
import type { QuicklistView } from '../../engine/inspectContainers.ts'

export interface QlNode {
  readonly id: number
  readonly container: 'packed' | 'plain'
  readonly count: number
  readonly sz: number
  /** Bytes of its LZF data while compressed, else null. */
  readonly lzf: number | null
}

export interface QuicklistModel {
  readonly key: string
  readonly fill: number
  /** list-compress-depth: this many nodes at each end stay raw (0: no compression). */
  readonly compress: number
  readonly count: number
  readonly nodes: readonly QlNode[]
}

/** Builds the model from the engine's view (nodes past the view's limit are not shown). */
export function quicklistModelFromView(v: QuicklistView): QuicklistModel {
  return {
    key: v.key,
    fill: v.fill,
    compress: v.compress,
    count: v.count,
    nodes: v.nodes.map((n) => ({
      id: n.id,
      container: n.container,
      count: n.count,
      sz: n.sz,
      lzf: n.lzfSz,
    })),
  }
}

/** A list with no nodes yet (quicklistCreate), held to `fill` and `compress`. */
export function emptyQuicklistModel(key: string, fill: number, compress = 0): QuicklistModel {
  return { key, fill, compress, count: 0, nodes: [] }
}

function patch(m: QuicklistModel, id: number, f: (n: QlNode) => QlNode): QuicklistModel {
  return { ...m, nodes: m.nodes.map((n) => (n.id === id ? f(n) : n)) }
}

/** Applies one event of this list; other keys' events leave the model as it is. */
export function applyQuicklistEvent(m: QuicklistModel, e: StepEvent): QuicklistModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'quicklist/nodeCreated': {
      const at = e.prev === null ? 0 : m.nodes.findIndex((n) => n.id === e.prev) + 1
      const nodes = [...m.nodes]
      const fresh: QlNode = { id: e.node, container: 'packed', count: e.count, sz: e.sz, lzf: null }
      nodes.splice(at, 0, fresh)
      // A split's new half was taken out of the count by nodeSplit; it comes back here.
      return { ...m, nodes, count: m.count + e.count }
    }
    case 'quicklist/nodeSplit': {
      const node = m.nodes.find((n) => n.id === e.node)
      if (node === undefined) return m
      const keep = e.after ? e.offset + 1 : node.count - e.offset
      // The new half holds the rest until its nodeCreated links it (count only: not drawn).
      const moved = node.count - keep
      const out = patch(m, e.node, (n) => ({ ...n, count: keep, sz: e.sz }))
      return { ...out, count: out.count - moved }
    }
    case 'quicklist/nodesMerged': {
      const from = m.nodes.find((n) => n.id === e.from)
      if (from === undefined) return m
      const out = patch(m, e.into, (n) => ({ ...n, count: n.count + from.count, sz: e.sz }))
      return patch(out, e.from, (n) => ({ ...n, count: 0 }))
    }
    case 'quicklist/nodeDeleted': {
      const gone = m.nodes.find((n) => n.id === e.node)
      if (gone === undefined) return m
      return {
        ...m,
        nodes: m.nodes.filter((n) => n.id !== e.node),
        count: m.count - gone.count,
      }
    }
    case 'quicklist/nodeCompressed':
      return patch(m, e.node, (n) => ({ ...n, lzf: e.lzfSz }))
    case 'quicklist/nodeDecompressed':
      return patch(m, e.node, (n) => ({ ...n, lzf: null }))
    case 'listpack/entryInserted':
      if (e.node === undefined) return m
      return {
        ...patch(m, e.node, (n) => ({ ...n, count: n.count + 1, sz: e.totalBytes })),
        count: m.count + 1,
      }
    case 'listpack/entryDeleted':
      if (e.node === undefined) return m
      return {
        ...patch(m, e.node, (n) => ({ ...n, count: n.count - 1, sz: e.totalBytes })),
        count: m.count - 1,
      }
    case 'listpack/entryReplaced':
      if (e.node === undefined) return m
      return patch(m, e.node, (n) => ({ ...n, sz: e.totalBytes }))
    default:
      return m
  }
}

/** The size limit a node is held to: an element count, or bytes (negative fill). */
export function fillLimit(fill: number): { readonly kind: 'count' | 'bytes'; readonly n: number } {
  if (fill >= 0) return { kind: 'count', n: fill }
  const bytes = [4096, 8192, 16384, 32768, 65536][Math.min(5, -fill) - 1] ?? 8192
  return { kind: 'bytes', n: bytes }
}

/** How full a node is against the fill limit, in [0, 1] (plain nodes: 1). */
export function nodeFullness(n: QlNode, fill: number): number {
  if (n.container === 'plain') return 1
  const lim = fillLimit(fill)
  const used = lim.kind === 'count' ? n.count : n.sz
  return lim.n <= 0 ? 1 : Math.min(1, used / lim.n)
}

export interface QlBox {
  readonly id: string
  readonly node: number
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  /** Height of the fill gauge inside the box. */
  readonly gauge: number
}

export const QL_NODE_W = 100
export const QL_NODE_H = 64
export const QL_GAP = 28
export const QL_PAD = 8
/** Nodes per row before the chain wraps. */
export const QL_PER_ROW = 8

/** Lays out the chain left to right (head first), wrapping every QL_PER_ROW nodes. */
export function layoutQuicklist(m: QuicklistModel): QlBox[] {
  return m.nodes.map((n, i) => {
    const col = i % QL_PER_ROW
    const row = Math.floor(i / QL_PER_ROW)
    return {
      id: `qlnode:${String(n.id)}`,
      node: n.id,
      x: QL_PAD + col * (QL_NODE_W + QL_GAP),
      y: QL_PAD + row * (QL_NODE_H + QL_GAP),
      w: QL_NODE_W,
      h: QL_NODE_H,
      gauge: Math.round(nodeFullness(n, m.fill) * (QL_NODE_H - 4)),
    }
  })
}
