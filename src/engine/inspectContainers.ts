/**
 * inspect() views of the container encodings, for the panels: an intset's encoding and
 * elements, a listpack's entries with byte offsets and encodings, a quicklist's nodes, a
 * skiplist's nodes with their levels and spans (plus the zset's dict), a hashtable's dict.
 * Views are built by walking the structures without side effects, and cut at `limit`
 * elements (with `truncated` set) so a big value never makes a big message.
 */
import { dictGetKey, dictGetVal, dictNextEntry, dictSize, NO_ENTRY } from './structures/dict.ts'
import { intsetGet, intsetLen } from './structures/intset.ts'
import {
  lpBytes,
  lpFirst,
  lpGet,
  lpLength,
  lpNext,
  lpWalk,
  type Listpack,
} from './structures/listpack.ts'
import { dictView, registerInspector, type DictView } from './inspect.ts'
import type { ContainerObject } from './types/object.ts'
import './inspectStream.ts'

// --- View types (what panels receive) ---

export interface IntsetView {
  readonly kind: 'intset'
  readonly key: string
  /** Bytes per element: 2, 4 or 8. */
  readonly width: 2 | 4 | 8
  readonly length: number
  /** Elements as decimal strings, sorted. */
  readonly values: readonly string[]
  readonly truncated: boolean
}

export interface ListpackEntryView {
  readonly offset: number
  readonly encoding: string
  readonly headerSize: number
  readonly encodedSize: number
  readonly backlenSize: number
  readonly value: string
}

export interface ListpackView {
  readonly kind: 'listpack'
  readonly key: string
  readonly totalBytes: number
  readonly count: number
  readonly entries: readonly ListpackEntryView[]
  readonly truncated: boolean
}

export interface QuicklistView {
  readonly kind: 'quicklist'
  readonly key: string
  readonly count: number
  readonly fill: number
  readonly compress: number
  readonly nodes: readonly {
    readonly id: number
    readonly container: 'packed' | 'plain'
    readonly count: number
    readonly sz: number
    /** Bytes of its LZF data when the node is held compressed (list-compress-depth), else null. */
    readonly lzfSz: number | null
    readonly entries: readonly string[]
  }[]
  readonly truncated: boolean
}

export interface SkiplistView {
  readonly kind: 'skiplist'
  readonly key: string
  readonly length: number
  readonly level: number
  /** Header first (member null), then nodes in order; levels as spans, forward as member. */
  readonly nodes: readonly {
    readonly member: string | null
    readonly score: number
    readonly levels: readonly { readonly span: number; readonly forward: string | null }[]
  }[]
  readonly dict: DictView
  readonly truncated: boolean
}

export interface HashtableView {
  readonly kind: 'hashtable'
  readonly key: string
  readonly length: number
  readonly dict: DictView
  /** Values of hash fields shown (sets have none). */
  readonly values: Readonly<Record<string, string>>
}

// --- Builders ---

function listpackEntries(
  lp: Listpack,
  limit: number,
): { entries: ListpackEntryView[]; truncated: boolean } {
  const all = lpWalk(lp)
  return { entries: all.slice(0, limit), truncated: all.length > limit }
}

registerInspector('intset', (o, key, limit) => {
  const is = (o as ContainerObject<'set', 'intset'>).ptr
  const n = intsetLen(is)
  const values: string[] = []
  for (let i = 0; i < Math.min(n, limit); i++) values.push(String(intsetGet(is, i)))
  const view: IntsetView = {
    kind: 'intset',
    key,
    width: is.encoding,
    length: n,
    values,
    truncated: n > limit,
  }
  return { ...view }
})

registerInspector('listpack', (o, key, limit) => {
  const lp = (o as ContainerObject<'hash', 'listpack'>).ptr
  const view: ListpackView = {
    kind: 'listpack',
    key,
    totalBytes: lpBytes(lp),
    count: lpLength(lp),
    ...listpackEntries(lp, limit),
  }
  return { ...view }
})

registerInspector('quicklist', (o, key, limit) => {
  const ql = (o as ContainerObject<'list', 'quicklist'>).ptr
  const nodes: QuicklistView['nodes'][number][] = []
  let shown = 0
  let truncated = false
  for (let n = ql.head; n !== null; n = n.next) {
    if (nodes.length >= limit) {
      truncated = true
      break
    }
    const room = Math.max(0, limit - shown)
    const entries = n.container === 'plain' ? [n.plain.slice(0, 64)] : lpFirstValues(n.lp, room)
    shown += entries.length
    if (entries.length < n.count) truncated = true
    const lzfSz = n.lzf?.length ?? null
    nodes.push({ id: n.id, container: n.container, count: n.count, sz: n.sz, lzfSz, entries })
  }
  const view: QuicklistView = {
    kind: 'quicklist',
    key,
    count: ql.count,
    fill: ql.fill,
    compress: ql.compress,
    nodes,
    truncated,
  }
  return { ...view }
})

/** The first `max` values of a listpack, decoding no further (a list has many full nodes). */
function lpFirstValues(lp: Listpack, max: number): string[] {
  const out: string[] = []
  for (let p = lpFirst(lp); p !== null && out.length < max; p = lpNext(lp, p))
    out.push(lpGet(lp, p))
  return out
}

registerInspector('skiplist', (o, key, limit) => {
  const zs = (o as ContainerObject<'zset', 'skiplist'>).ptr
  const nodes: SkiplistView['nodes'][number][] = []
  let truncated = false
  for (
    let x: typeof zs.zsl.header | null = zs.zsl.header;
    x !== null;
    x = x.level[0]?.forward ?? null
  ) {
    if (nodes.length > limit) {
      truncated = true
      break
    }
    nodes.push({
      member: x.ele,
      score: x.score,
      // The header has all 32 levels allocated; only the first zsl.level are in use.
      levels: (x === zs.zsl.header ? x.level.slice(0, zs.zsl.level) : x.level).map((l) => ({
        span: l.span,
        forward: l.forward?.ele ?? null,
      })),
    })
  }
  const view: SkiplistView = {
    kind: 'skiplist',
    key,
    length: zs.zsl.length,
    level: zs.zsl.level,
    nodes,
    dict: dictView(zs.dict, limit),
    truncated,
  }
  return { ...view }
})

registerInspector('hashtable', (o, key, limit) => {
  const d = (o as ContainerObject<'hash', 'hashtable'>).ptr
  const values: Record<string, string> = {}
  let n = 0
  for (const table of d.table) {
    if (table === null) continue
    for (let i = 0; i < table.length && n < limit; i++)
      for (let e = table[i] as number; e !== NO_ENTRY && n < limit; e = dictNextEntry(d, e)) {
        const val = dictGetVal(d, e)
        if (typeof val === 'string') values[dictGetKey(d, e)] = val.slice(0, 64)
        n++
      }
  }
  const view: HashtableView = {
    kind: 'hashtable',
    key,
    length: dictSize(d),
    dict: dictView(d, limit),
    values,
  }
  return { ...view }
})
