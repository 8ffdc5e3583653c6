/**
 * Checkpoints for time travel: copies of the engine at a few log positions, so that
 * stepping back to position p replays from the nearest checkpoint at or before p instead
 * of from the session seed (design.md "Time travel"). Pure functions over a small store,
 * generic in what a checkpoint holds (the host stores engine clones, tests store anything).
 *
 * When to take one. Replaying an op costs about its work; `opReplayCost` measures it
 * deterministically as the keys it added or removed, its argument count, or 1, whichever
 * is largest (DEBUG POPULATE 100000 costs 100000, a SET costs 3). Cloning the state costs
 * about its size, read cheaply as the key count. A checkpoint is worth taking once the
 * replay cost accumulated since the last one reaches both `minCost` and
 * `ratio` × keys: right after a big bulk load, and then every few hundred ordinary ops
 * while the dataset is small, less often as it grows.
 *
 * What to keep. The store is bounded by `budget`, in units of `size` (keys plus container
 * elements, RedisServer.stateSize). Over budget, the checkpoint whose loss would cost the
 * least replay is dropped: its `gain` is the replay cost between the checkpoint before it
 * and itself; dropping it folds that gain into the next one's. Ties drop the oldest.
 *
 * Invariants (checkpointsValidate): items sorted by strictly increasing position; `total`
 * is the sum of sizes and never exceeds the budget.
 *
 * Engines (the second half): the host replays through `replayOp`, which accounts each op's
 * cost and takes a checkpoint (a RedisServer.clone) when one is worth it, and starts a
 * scratch engine with `engineFromCheckpoint`, which clones the nearest checkpoint again so
 * the stored one is never run. Servers without `clone` (test fakes) get no checkpoints.
 */
import { manualClock, type ManualClock } from '../engine/clock.ts'
import type { RedisServer } from '../engine/api.ts'

// --- Types ---

export interface CheckpointOptions {
  /** Total size the store may hold (keys + elements). */
  readonly budget: number
  /** Least replay cost between two checkpoints. */
  readonly minCost: number
  /** Replay cost per key of state needed before a new checkpoint pays for its clone. */
  readonly ratio: number
}

export interface Checkpoint<S> {
  /** Log position (ops applied) the state stands at. */
  readonly position: number
  readonly state: S
  /** Size, in budget units. */
  readonly size: number
  /** Replay cost from the previous checkpoint (or the seed) to this one. */
  gain: number
}

export interface CheckpointStore<S> {
  readonly options: CheckpointOptions
  /** By increasing position. */
  readonly items: Checkpoint<S>[]
  /** Σ size of items. */
  total: number
  /** Counters for tests and the status line. */
  taken: number
  dropped: number
}

export const DEFAULT_CHECKPOINT_OPTIONS: CheckpointOptions = {
  budget: 2_000_000,
  minCost: 500,
  ratio: 1,
}

// --- API ---

/** Creates an empty store. */
export function createCheckpointStore<S>(
  options: Partial<CheckpointOptions> = {},
): CheckpointStore<S> {
  return {
    options: { ...DEFAULT_CHECKPOINT_OPTIONS, ...options },
    items: [],
    total: 0,
    taken: 0,
    dropped: 0,
  }
}

/**
 * Returns the replay cost of one op: keys added or removed, argument count, or 1,
 * whichever is largest.
 */
export function opReplayCost(argc: number, keysBefore: number, keysAfter: number): number {
  return Math.max(1, argc, Math.abs(keysAfter - keysBefore))
}

/**
 * Tells whether a checkpoint at `position` is worth taking, given the replay cost since
 * the last checkpoint the engine passed and the current key count.
 */
export function checkpointWorthTaking<S>(
  store: CheckpointStore<S>,
  position: number,
  costSinceLast: number,
  keys: number,
): boolean {
  const { minCost, ratio, budget } = store.options
  if (costSinceLast < Math.max(minCost, ratio * keys) || keys > budget) return false
  return checkpointAt(store, position) === null
}

/** Returns the checkpoint at exactly `position`, or null. */
export function checkpointAt<S>(store: CheckpointStore<S>, position: number): Checkpoint<S> | null {
  const i = indexAtOrBefore(store.items, position)
  const cp = i >= 0 ? store.items[i] : undefined
  return cp !== undefined && cp.position === position ? cp : null
}

/** Returns the checkpoint with the largest position at or before `position`, or null. */
export function checkpointNearest<S>(
  store: CheckpointStore<S>,
  position: number,
): Checkpoint<S> | null {
  const i = indexAtOrBefore(store.items, position)
  return i >= 0 ? (store.items[i] ?? null) : null
}

/**
 * Adds a checkpoint whose replay cost from the previous checkpoint the engine passed is
 * `gain`, then drops the least useful ones while over budget (possibly the new one).
 * Returns whether the new checkpoint was kept.
 */
export function checkpointAdd<S>(
  store: CheckpointStore<S>,
  position: number,
  state: S,
  size: number,
  gain: number,
): boolean {
  const items = store.items
  const at = indexAtOrBefore(items, position) + 1
  if (items[at - 1]?.position === position) return false
  const cp: Checkpoint<S> = { position, state, size, gain }
  items.splice(at, 0, cp)
  store.total += size
  store.taken++
  // The next checkpoint's gain was counted from the one before the new one.
  const next = items[at + 1]
  if (next !== undefined) next.gain = Math.max(0, next.gain - gain)
  while (store.total > store.options.budget && items.length > 0) dropLeastUseful(store)
  return items.includes(cp)
}

/** Drops every checkpoint (the log was replaced). */
export function checkpointsClear<S>(store: CheckpointStore<S>): void {
  store.items.length = 0
  store.total = 0
}

/** Self-check: sorted positions, total = Σ sizes, within budget. */
export function checkpointsValidate<S>(store: CheckpointStore<S>): string[] {
  const errors: string[] = []
  let sum = 0
  let last = -1
  for (const cp of store.items) {
    if (cp.position <= last) errors.push(`position ${String(cp.position)} after ${String(last)}`)
    last = cp.position
    sum += cp.size
  }
  if (sum !== store.total) errors.push(`total ${String(store.total)} != ${String(sum)}`)
  if (store.total > store.options.budget) errors.push(`total over budget`)
  return errors
}

// --- Internals ---

/** Index of the last item with position <= p, or -1 (binary search). */
function indexAtOrBefore<S>(items: readonly Checkpoint<S>[], p: number): number {
  let lo = 0
  let hi = items.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const cp = items[mid] as Checkpoint<S>
    if (cp.position <= p) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

function dropLeastUseful<S>(store: CheckpointStore<S>): void {
  const items = store.items
  let worst = 0
  for (let i = 1; i < items.length; i++)
    if ((items[i] as Checkpoint<S>).gain < (items[worst] as Checkpoint<S>).gain) worst = i
  const [gone] = items.splice(worst, 1)
  if (gone === undefined) return
  store.total -= gone.size
  store.dropped++
  const next = items[worst]
  if (next !== undefined) next.gain += gone.gain
}

// --- Engines ---

/** An engine as the host holds it: a server, its manual clock and the ops it has applied. */
export interface ReplayEngine {
  readonly server: RedisServer
  readonly clock: ManualClock
  position: number
}

/**
 * What a checkpoint holds: a server nobody runs, and a clock nobody moves, standing at the
 * virtual time it stood at (an engine restored from it runs on a fork of that clock).
 */
export interface EngineCheckpoint {
  readonly server: RedisServer
  readonly clock: ManualClock
}

export interface EngineCheckpoints {
  readonly store: CheckpointStore<EngineCheckpoint>
  /** Replay cost each running engine accumulated since the last checkpoint it passed. */
  readonly since: WeakMap<ReplayEngine, number>
  /** Ops replayed through replayOp so far (tests observe that checkpoints shorten replays). */
  replayed: number
  /** The first clone failure, if any: checkpoints are off from then on (replays still work). */
  failure: string | null
}

/** Creates the host's checkpoint state. */
export function createEngineCheckpoints(
  options: Partial<CheckpointOptions> = {},
): EngineCheckpoints {
  return {
    store: createCheckpointStore(options),
    since: new WeakMap(),
    replayed: 0,
    failure: null,
  }
}

/**
 * Returns an engine standing at the nearest checkpoint at or before `position` (a fresh
 * clone of it), or `fresh()` (an engine at position 0) when there is none.
 */
export function engineFromCheckpoint<E extends ReplayEngine>(
  cps: EngineCheckpoints,
  position: number,
  fresh: () => E,
  wrap: (server: RedisServer, clock: ManualClock, position: number) => E,
): E {
  const cp = checkpointNearest(cps.store, position)
  const clock = cp === null ? manualClock(0) : cp.state.clock.fork()
  const copy = cp === null ? null : tryCloneOn(cps, cp.state.server, clock)
  if (cp === null || copy === null) return fresh()
  const engine = wrap(copy, clock, cp.position)
  cps.since.set(engine, 0)
  return engine
}

/**
 * Replays one op through `apply` (which advances engine.position), accounts its cost, and
 * takes a checkpoint after it when one is worth it (see the file comment).
 */
export function replayOp<T>(
  cps: EngineCheckpoints,
  engine: ReplayEngine,
  argc: number,
  apply: () => T,
): T {
  const server = engine.server
  const keysBefore = server.keyCount?.() ?? 0
  const result = apply()
  cps.replayed++
  if (server.clone === undefined || server.keyCount === undefined) return result
  const keys = server.keyCount()
  let since = (cps.since.get(engine) ?? 0) + opReplayCost(argc, keysBefore, keys)
  const store = cps.store
  if (checkpointAt(store, engine.position) !== null) since = 0
  else if (checkpointWorthTaking(store, engine.position, since, keys)) {
    // The size walk is cheaper than the clone: a state over budget is not cloned at all.
    const size = server.stateSize?.() ?? keys
    const clock = engine.clock.fork()
    const copy = size <= store.options.budget ? tryCloneOn(cps, server, clock) : null
    if (copy !== null) {
      checkpointAdd(store, engine.position, { server: copy, clock }, size, since)
      since = 0
    }
  }
  cps.since.set(engine, since)
  return result
}

/**
 * Clones a server, or returns null when it cannot be (no `clone`, or the clone threw: some
 * state the snapshot does not know). A failure turns checkpoints off: time travel falls back
 * to replaying from the seed, slower but still right.
 */
function tryCloneOn(
  cps: EngineCheckpoints,
  server: RedisServer,
  clock: ManualClock,
): RedisServer | null {
  if (cps.failure !== null || server.clone === undefined) return null
  try {
    return server.clone(clock)
  } catch (err) {
    cps.failure = err instanceof Error ? err.message : String(err)
    checkpointsClear(cps.store)
    return null
  }
}
