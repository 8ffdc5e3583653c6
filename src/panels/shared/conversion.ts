/**
 * Encoding conversions in the panels. A command that converts a key (SADD of a non-integer
 * into an intset, the 129th field of a listpack hash, the 129th member of a listpack zset)
 * builds the new structure step by step (dict/tableCreated, dict/keyAdded, zsl/nodeInserted
 * ...) and then switches the key to it (object/encodingConverted). The panel frame follows
 * the encoding at the playhead (stepViews): the old structure, with the steps so far folded
 * onto it, until the build starts; then the new one folded from the empty structure
 * `emptyViewOf` returns, so the steps draw what their captions say.
 */
import type { InspectView } from '../../engine/api.ts'
import type { StepEvent } from '../../engine/events.ts'
import type { DictView } from '../../engine/inspect.ts'
import type {
  HashtableView,
  IntsetView,
  ListpackView,
  SkiplistView,
} from '../../engine/inspectContainers.ts'

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

/** An empty view of an encoding the panels build from nothing, for a key a command creates. */
function emptyViewOfKind(kind: string, key: string): InspectView | null {
  if (kind === 'listpack') {
    // lpNew: the 6-byte header and the end byte.
    const v: ListpackView = { kind, key, totalBytes: 7, count: 0, entries: [], truncated: false }
    return { ...v }
  }
  if (kind === 'intset') {
    // intsetNew: INT16, no elements.
    const v: IntsetView = { kind, key, width: 2, length: 0, values: [], truncated: false }
    return { ...v }
  }
  return null
}

/**
 * The prefixes of the events a structure of `kind` reports with the key (its dict/* events
 * name the value's DictRef instead).
 */
const KEY_EVENT_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  skiplist: ['zsl/'],
  hashtable: [],
}

/** The DictRef of a hashtable-encoded value (engine types/container.ts valueDictRef). */
function valueDictRef(db: number, key: string): string {
  return `key:${String(db)}:${key}`
}

/**
 * Where in the item's events the key leaves its old encoding: the index of the first event
 * of the new structure. Redis builds the new structure (zsetConvert inserts every listpack
 * pair into a skiplist and a dict, hashTypeConvert and setTypeConvert fill a dict) and only
 * then swaps it in, which the engine reports as object/encodingConverted; the run of the new
 * structure's events just before that event is the build; `at` is the index of the switch.
 * Null when the key did not change from `from` to `to` in these events.
 */
export function conversionStart(
  events: readonly StepEvent[],
  key: string,
  db: number,
  from: string | null,
  to: string,
): { index: number; at: number; from: string } | null {
  const c = events.findIndex(
    (e) =>
      e.type === 'object/encodingConverted' &&
      e.key === key &&
      e.to === to &&
      (from === null || e.from === from),
  )
  const converted = events[c]
  if (converted?.type !== 'object/encodingConverted') return null
  const prefixes = KEY_EVENT_PREFIXES[to] ?? []
  const ref = valueDictRef(db, key)
  const ofNew = (e: StepEvent): boolean =>
    e.type.startsWith('dict/')
      ? 'dict' in e && e.dict === ref
      : 'key' in e && e.key === key && prefixes.some((p) => e.type.startsWith(p))
  let s = c
  while (s > 0 && ofNew(events[s - 1] as StepEvent)) s--
  return { index: s, at: c, from: converted.from }
}

/**
 * Whether the build of a conversion (events from `start` up to the switch at `at`) recorded
 * its elements going in: dict/keyAdded is a full-trace event; a skiplist's node inserts are
 * recorded at summary too.
 */
function builtInSteps(events: readonly StepEvent[], start: number, at: number): boolean {
  for (let i = start; i < at; i++) {
    const type = events[i]?.type
    if (type === 'dict/keyAdded' || type === 'zsl/nodeInserted') return true
  }
  return false
}

/**
 * Where the item took `key` out of its db before making it again: the index of the event
 * that deleted it from the keyspace (DEL then SADD in one EXEC) or gave the keyspace a new
 * table (DEBUG RELOAD empties the dbs and loads the file back; FLUSHALL in an EXEC). -1 when
 * the item kept the key all along.
 */
function removalIndex(events: readonly StepEvent[], key: string, db: number): number {
  const keys = `db:${String(db)}:keys`
  return events.findIndex(
    (e) =>
      (e.type === 'dict/tableCreated' && e.dict === keys) ||
      (e.type === 'dict/keyDeleted' && e.dict === keys && e.key === key),
  )
}

/**
 * Whether the steps after `from` build `key`'s value: its own structure's events (listpack,
 * intset, quicklist, skiplist ...) or its hash table's entries going in. A string, or a hash
 * table at trace level summary (no dict/keyAdded), has none.
 */
function rebuiltAfter(
  events: readonly StepEvent[],
  from: number,
  key: string,
  db: number,
): boolean {
  const ref = valueDictRef(db, key)
  for (let i = from + 1; i < events.length; i++) {
    const e = events[i] as StepEvent
    if (e.type === 'dict/keyAdded' && e.dict === ref) return true
    // A dict event's key is an entry of that dict (a field, a member), not the value's key.
    if (e.type.startsWith('dict/') || e.type === 'object/encodingConverted') continue
    if ('key' in e && e.key === key) return true
  }
  return false
}

/** What a panel frame shows at one step of an item: the views and events its panel folds. */
export interface StepViews {
  readonly before: InspectView | null
  readonly after: InspectView | null
  readonly events: readonly StepEvent[]
  /**
   * The encoding the key still has while the item builds its new structure (from the build's
   * first step up to the switch, object/encodingConverted): the panel draws the new one, but
   * the key is not converted yet. Absent otherwise.
   */
  readonly converting?: string
}

/** `views`, marked as drawn while the key is still in the `from` encoding (when not null). */
function converted(views: StepViews, from: string | null): StepViews {
  return from === null ? views : { ...views, converting: from }
}

/**
 * What the panel of `key` folds at `step` of an item: its views and events. The panel is
 * chosen by the kind of `after` here, so it follows the key's encoding at the playhead.
 *
 * - No steps to fold (trace level Off, or an item that recorded none): the state after the
 *   item; step 0 is then also the last step.
 * - The item converted the key (a 130-member ZADD turns its listpack into a skiplist after
 *   the 128th member): up to the step that starts building the new structure, the old
 *   encoding's panel folds the steps so far onto the old view (an empty one for a key the
 *   item creates), never settling, since the item's after view is of another kind. From
 *   that step on, the new encoding's panel folds its steps from the empty structure
 *   (emptyViewOf) and settles on the after view at the last step.
 * - The item created the key: the panel folds from the empty structure, so step 0 does not
 *   show the finished one.
 * - A conversion whose build was not recorded (trace level summary has no dict/keyAdded):
 *   from the conversion on, the after view as it is.
 */
export function stepViews(
  before: InspectView | null,
  after: InspectView | null,
  events: readonly StepEvent[],
  step: number,
  key: string | null,
  db: number,
): StepViews {
  if (events.length === 0) return { before: after, after, events }
  if (after === null || key === null) return { before, after, events }
  // The item took the key away and made it again (DEBUG RELOAD empties the dbs and loads
  // each value back, under the current limits and maybe in another encoding): the old value
  // until then, and from then on the new one built from nothing, as for a key the item
  // creates. Folding the load's steps onto the old value drew every member twice, and
  // showed a key whole while the load was still on the keys before it.
  const removed = before === null ? -1 : removalIndex(events, key, db)
  if (before !== null && removed >= 0) {
    if (step <= removed) return { before, after: before, events: [] }
    if (!rebuiltAfter(events, removed, key, db)) return { before: after, after, events: [] }
    return { before: emptyViewOf(after) ?? emptyViewOfKind(after.kind, key), after, events }
  }
  if (before?.kind === after.kind) return { before, after, events }
  const conversion = conversionStart(events, key, db, before?.kind ?? null, after.kind)
  const old = before ?? (conversion === null ? null : emptyViewOfKind(conversion.from, key))
  if (conversion !== null && old !== null && step <= conversion.index)
    return { before, after: old, events }
  if (before !== null && conversion === null && step === 0)
    return { before, after: before, events: [] }
  // At trace level summary the build's steps (dict/keyAdded ...) are not recorded: nothing
  // would fold onto the empty structure, which would stay empty until the last step. From
  // the conversion on, the panel shows the structure as the item left it.
  const building = conversion !== null && step <= conversion.at ? conversion.from : null
  if (conversion !== null && !builtInSteps(events, conversion.index, conversion.at))
    return converted({ before: after, after, events: [] }, building)
  const empty = emptyViewOf(after)
  if (empty !== null) return converted({ before: empty, after, events }, building)
  return before === null ? { before, after, events } : { before: after, after, events: [] }
}
