/**
 * Encoding conversions in the panels. A command that converts a key (SADD of a non-integer
 * into an intset, the 129th field of a listpack hash, the 129th member of a listpack zset)
 * builds the new structure step by step (dict/tableCreated, dict/keyAdded, zsl/nodeInserted
 * ...) and then switches the key to it (object/encodingConverted). The panel frame shows the
 * old structure at step 0, and from step 1 the new one folded from the empty structure
 * `emptyViewOf` returns, so the steps draw what their captions say.
 */
import type { InspectView } from '../../engine/api.ts'
import type { DictView } from '../../engine/inspect.ts'
import type { HashtableView, SkiplistView } from '../../engine/inspectContainers.ts'

function emptyDict(ref: string): DictView {
  return { ref, size: 0, buckets: 0, rehashIdx: -1, tables: [] }
}

/**
 * The view of `after`'s structure before the command built it: no table, no nodes. Null for
 * a kind the panels cannot build from empty (they then show `after` as it is).
 */
export function emptyViewOf(after: InspectView): InspectView | null {
  if (after.kind === 'hashtable') {
    const v = after as unknown as HashtableView
    const empty: HashtableView = { ...v, length: 0, dict: emptyDict(v.dict.ref), values: {} }
    return { ...empty }
  }
  if (after.kind === 'skiplist') {
    const v = after as unknown as SkiplistView
    const empty: SkiplistView = {
      ...v,
      length: 0,
      level: 1,
      nodes: v.nodes.filter((n) => n.member === null),
      dict: emptyDict(v.dict.ref),
      truncated: false,
    }
    return { ...empty }
  }
  return null
}
