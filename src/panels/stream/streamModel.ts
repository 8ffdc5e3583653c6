/**
 * The stream panel's model and layout (pure). A stream is a rax (radix tree) whose keys are
 * the 16-byte big-endian master IDs of its listpack nodes; each listpack holds a master entry
 * (count, deleted, fields) and entries, some flagged deleted (tombstones); consumer groups
 * keep a last-delivered ID and a pending entries list (PEL).
 *
 * Folding (applyStreamEvent): stream/nodeCreated adds a listpack (and its key to the rax),
 * entryAppended adds an entry to the node it names, entryDeleted flags one (XDEL also moves
 * max-deleted-entry-id; trimming does not), nodeDeleted removes a listpack with its live
 * entries, groupChanged replaces (or, null, removes) a group, idsSet sets the IDs. The rax's
 * shape is not in the events: raxShape rebuilds it from the keys the way rax.c leaves it (one
 * compressed node per run of ≥ 2 bytes with a single way on, one edge byte per child where it
 * branches or for a 1-byte run), and the property test checks that against the engine's rax.
 */
import type { StepEvent, StreamGroupView } from '../../engine/events.ts'
import type { StreamRaxNodeView, StreamView } from '../../engine/inspectStream.ts'

export interface StreamItem {
  readonly id: string
  readonly deleted: boolean
  readonly sameFields: boolean
}

export interface StreamLp {
  readonly master: string
  /** Live entries and tombstones (the master entry's count and deleted). */
  readonly entries: number
  readonly deleted: number
  readonly bytes: number
  readonly items: readonly StreamItem[]
}

export interface StreamModel {
  readonly key: string
  readonly length: number
  readonly lastId: string
  readonly entriesAdded: string
  readonly maxDeletedEntryId: string
  /** rax->numnodes, head included. */
  readonly raxNodes: number
  readonly rax: readonly StreamRaxNodeView[]
  readonly nodes: readonly StreamLp[]
  readonly groups: readonly StreamGroupView[]
  readonly truncated: boolean
}

/** Builds the model from the engine's view. */
export function streamModelFromView(v: StreamView): StreamModel {
  return {
    key: v.key,
    length: v.length,
    lastId: v.lastId,
    entriesAdded: v.entriesAdded,
    maxDeletedEntryId: v.maxDeletedEntryId,
    raxNodes: v.raxNodes,
    rax: v.rax,
    nodes: v.nodes.map((n) => ({
      master: n.master,
      entries: n.entries,
      deleted: n.deleted,
      bytes: n.bytes,
      items: n.items.map((i) => ({ id: i.id, deleted: i.deleted, sameFields: i.sameFields })),
    })),
    groups: v.groups,
    truncated: v.truncated,
  }
}

/** A stream before its first command: no listpacks, the rax just its head, IDs 0-0. */
export function emptyStreamModel(key: string): StreamModel {
  return {
    key,
    length: 0,
    lastId: '0-0',
    entriesAdded: '0',
    maxDeletedEntryId: '0-0',
    raxNodes: 1,
    rax: raxShape([]),
    nodes: [],
    groups: [],
    truncated: false,
  }
}

// --- IDs ---

/** "ms-seq" as two bigints. */
export function parseStreamId(id: string): readonly [bigint, bigint] {
  const dash = id.indexOf('-')
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))]
}

/** -1, 0 or 1, as streamCompareID. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parseStreamId(a)
  const [bm, bs] = parseStreamId(b)
  if (am !== bm) return am < bm ? -1 : 1
  if (as !== bs) return as < bs ? -1 : 1
  return 0
}

/** The 16-byte big-endian rax key of an ID, as 32 hex digits (streamEncodeID). */
export function streamIdHex(id: string): string {
  const [ms, seq] = parseStreamId(id)
  return ms.toString(16).padStart(16, '0') + seq.toString(16).padStart(16, '0')
}

/** The first live entry ('0-0' when none): what the stream's first-id is. */
export function firstLiveId(m: StreamModel): string {
  for (const n of m.nodes) for (const i of n.items) if (!i.deleted) return i.id
  return '0-0'
}

// --- The rax ---

/**
 * The rax of these keys (32-hex-digit IDs, any order) as rax.c shapes it, depth first: from
 * each node, keys that go on by one way only share a run; a run of ≥ 2 bytes is a compressed
 * node, one byte (or a branch) a non-compressed node with an edge byte per child.
 */
export function raxShape(keysHex: readonly string[]): StreamRaxNodeView[] {
  const out: StreamRaxNodeView[] = []
  const build = (path: string, keys: readonly string[]): void => {
    const iskey = keys.includes(path)
    const rest = keys.filter((k) => k.length > path.length)
    let data = ''
    let iscompr = false
    let children: string[] = []
    if (rest.length > 0) {
      const heads = [...new Set(rest.map((k) => k.slice(path.length, path.length + 2)))].sort()
      if (heads.length === 1) {
        let run = 2 // shared bytes after path, in hex digits
        const first = rest[0] as string
        while (
          path.length + run < first.length &&
          rest.every(
            (k) =>
              k.length > path.length + run &&
              k.slice(path.length + run, path.length + run + 2) ===
                first.slice(path.length + run, path.length + run + 2),
          )
        )
          run += 2
        data = first.slice(path.length, path.length + run)
        iscompr = run > 2
        children = [path + data]
      } else {
        data = heads.join('')
        children = heads.map((h) => path + h)
      }
    }
    out.push({
      id: path,
      data,
      iscompr,
      iskey,
      children,
      master: iskey && path.length === 32 ? idFromHex(path) : null,
    })
    for (const c of children)
      build(
        c,
        rest.filter((k) => k.startsWith(c)),
      )
  }
  build('', [...new Set(keysHex)].sort())
  return out
}

function idFromHex(h: string): string {
  return `${BigInt(`0x${h.slice(0, 16)}`).toString()}-${BigInt(`0x${h.slice(16)}`).toString()}`
}

// --- Folding ---

function withNodes(m: StreamModel, nodes: readonly StreamLp[]): StreamModel {
  return { ...m, nodes, rax: raxShape(nodes.map((n) => streamIdHex(n.master))) }
}

/** The index of the listpack holding `id`: the last one whose master is ≤ id. */
function nodeIndexOf(m: StreamModel, id: string): number {
  let at = -1
  m.nodes.forEach((n, i) => {
    if (compareStreamIds(n.master, id) <= 0) at = i
  })
  return at
}

/** Applies one event of this stream; other keys' events leave the model as it is. */
export function applyStreamEvent(m: StreamModel, e: StepEvent): StreamModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'stream/nodeCreated': {
      const fresh: StreamLp = { master: e.master, entries: 0, deleted: 0, bytes: 0, items: [] }
      const nodes = [...m.nodes, fresh].sort((a, b) => compareStreamIds(a.master, b.master))
      return { ...withNodes(m, nodes), raxNodes: e.raxNodesAfter }
    }
    case 'stream/entryAppended': {
      const item: StreamItem = { id: e.id, deleted: false, sameFields: e.sameFields }
      const nodes = m.nodes.map((n) =>
        n.master === e.master
          ? { ...n, entries: n.entries + 1, bytes: e.nodeBytes, items: [...n.items, item] }
          : n,
      )
      return {
        ...m,
        nodes,
        length: m.length + 1,
        lastId: e.id,
        entriesAdded: (BigInt(m.entriesAdded) + 1n).toString(),
      }
    }
    case 'stream/entryDeleted': {
      const at = nodeIndexOf(m, e.id)
      const node = m.nodes[at]
      const maxDeletedEntryId =
        !e.trimmed && compareStreamIds(e.id, m.maxDeletedEntryId) > 0 ? e.id : m.maxDeletedEntryId
      const item = node?.items.find((i) => i.id === e.id)
      if (node === undefined || item === undefined || item.deleted)
        return { ...m, maxDeletedEntryId }
      const nodes = m.nodes.map((n, i) =>
        i === at
          ? {
              ...n,
              entries: n.entries - 1,
              deleted: n.deleted + 1,
              items: n.items.map((x) => (x.id === e.id ? { ...x, deleted: true } : x)),
            }
          : n,
      )
      return { ...m, nodes, length: m.length - 1, maxDeletedEntryId }
    }
    case 'stream/nodeDeleted': {
      const gone = m.nodes.find((n) => n.master === e.master)
      const nodes = m.nodes.filter((n) => n.master !== e.master)
      return {
        ...withNodes(m, nodes),
        raxNodes: e.raxNodesAfter,
        length: m.length - (gone?.entries ?? 0),
      }
    }
    case 'stream/idsSet':
      return {
        ...m,
        lastId: e.lastId,
        entriesAdded: e.entriesAdded,
        maxDeletedEntryId: e.maxDeletedEntryId,
      }
    case 'stream/groupChanged': {
      const others = m.groups.filter((g) => g.name !== e.name)
      if (e.group === null) return { ...m, groups: others }
      // Groups live in a rax by name: byte order, as JS compares byte strings.
      const groups = [...others, e.group].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      )
      return { ...m, groups }
    }
    default:
      return m
  }
}

// --- Layout ---

/** Listpacks drawn, and entries drawn per listpack; the rest is counted, not drawn. */
export const STREAM_SHOWN_NODES = 12
export const STREAM_SHOWN_ITEMS = 8

/**
 * A listpack box's width: its counters line ('count 100 · deleted 12 · 4093 B', 31
 * characters of 11px monospace, about 6.6 px each) fits inside it with its 6 px margin.
 */
export const LP_W = 216
export const LP_GAP = 14
export const RAX_ROW = 54
export const RAX_NODE_H = 22
export const ITEM_H = 16
export const PAD = 10

export interface RaxBox {
  readonly id: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly node: StreamRaxNodeView
}

export interface LpBox {
  readonly master: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly node: StreamLp
}

export interface StreamLayout {
  readonly rax: readonly RaxBox[]
  /** Parent → child links, with the edge's bytes (hex) for a non-compressed parent. */
  readonly links: readonly {
    readonly id: string
    readonly from: string
    readonly to: string
    readonly label: string
  }[]
  readonly lps: readonly LpBox[]
  readonly width: number
  readonly height: number
  /** Where the listpack row starts. */
  readonly lpTop: number
}

/** Width of a rax node box: one 2-digit cell per edge byte, or the run shown shortened. */
export function raxNodeWidth(n: StreamRaxNodeView): number {
  if (n.data.length === 0) return 18
  if (n.iscompr) return 24 + Math.min(n.data.length / 2, 6) * 14
  return 8 + (n.data.length / 2) * 18
}

/**
 * Lays the rax out as a tidy tree over the listpacks: leaf i sits above listpack column i,
 * an inner node over the middle of its first and last children; rows by depth. Listpacks are
 * one row under the deepest rax node, each as tall as its drawn entries.
 */
export function layoutStream(m: StreamModel): StreamLayout {
  const nodes = m.nodes.slice(0, STREAM_SHOWN_NODES)
  const byId = new Map(m.rax.map((n) => [n.id, n]))
  const order = new Map(m.rax.map((n, i) => [n.id, i]))
  const col = new Map(nodes.map((n, i) => [streamIdHex(n.master), i]))
  const centre = (i: number) => PAD + i * (LP_W + LP_GAP) + LP_W / 2
  const rax: RaxBox[] = []
  const links: { id: string; from: string; to: string; label: string }[] = []
  let depthMax = 0
  const place = (id: string, depth: number): number | null => {
    const n = byId.get(id)
    if (n === undefined) return null
    depthMax = Math.max(depthMax, depth)
    let x: number | null = null
    if (n.iskey) x = col.has(id) ? centre(col.get(id) as number) : null
    else {
      const xs = n.children.map((c) => place(c, depth + 1)).filter((v) => v !== null)
      if (xs.length > 0) x = ((xs[0] as number) + (xs[xs.length - 1] as number)) / 2
      else if (id === '') x = PAD + LP_W / 2
    }
    if (x === null) return null
    rax.push({ id, x, y: PAD + depth * RAX_ROW, w: raxNodeWidth(n), node: n })
    n.children.forEach((c, i) => {
      if (byId.has(c) && (col.has(c) || !(byId.get(c)?.iskey ?? true)))
        links.push({
          id: `${id}>${c}`,
          from: id,
          to: c,
          label: n.iscompr ? '' : n.data.slice(i * 2, i * 2 + 2),
        })
    })
    return x
  }
  place('', 0)
  const placed = new Set(rax.map((b) => b.id))
  const keptLinks = links.filter((l) => placed.has(l.from) && placed.has(l.to))
  const lpTop = PAD + (depthMax + 1) * RAX_ROW
  const lps = nodes.map((n, i) => ({
    master: n.master,
    x: PAD + i * (LP_W + LP_GAP),
    y: lpTop,
    w: LP_W,
    h: 52 + Math.min(n.items.length, STREAM_SHOWN_ITEMS) * ITEM_H + 14,
    node: n,
  }))
  const tallest = lps.reduce((h, b) => Math.max(h, b.h), 0)
  return {
    // Depth first, head first, as the view lists them.
    rax: rax.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)),
    links: keptLinks,
    lps,
    width: PAD * 2 + Math.max(1, nodes.length) * (LP_W + LP_GAP),
    height: lpTop + tallest + PAD,
    lpTop,
  }
}
