/**
 * The checkpoint store (src/worker/checkpoints.ts): when a checkpoint is worth taking,
 * nearest-at-or-before lookup, the size budget and which checkpoint goes when over it, and
 * the engine helpers (a checkpoint is cloned again before it runs, so it stays intact).
 */
import { describe, expect, test } from 'vitest'
import { createServer, manualClock } from '../../src/engine/index.ts'
import {
  checkpointAdd,
  checkpointNearest,
  checkpointWorthTaking,
  checkpointsClear,
  checkpointsValidate,
  createCheckpointStore,
  createEngineCheckpoints,
  engineFromCheckpoint,
  opReplayCost,
  replayOp,
  type ReplayEngine,
} from '../../src/worker/checkpoints.ts'

describe('checkpoint store', () => {
  test('an op costs its key delta, its argument count, or 1', () => {
    expect(opReplayCost(3, 10, 11)).toBe(3)
    expect(opReplayCost(4, 0, 100000)).toBe(100000)
    expect(opReplayCost(2, 500, 0)).toBe(500)
    expect(opReplayCost(0, 5, 5)).toBe(1)
  })

  test('a checkpoint is worth taking once the cost since the last reaches minCost and ratio × keys', () => {
    const store = createCheckpointStore<string>({ minCost: 100, ratio: 2, budget: 1000 })
    expect(checkpointWorthTaking(store, 10, 99, 0)).toBe(false)
    expect(checkpointWorthTaking(store, 10, 100, 0)).toBe(true)
    expect(checkpointWorthTaking(store, 10, 100, 60)).toBe(false)
    expect(checkpointWorthTaking(store, 10, 120, 60)).toBe(true)
    // A state bigger than the whole budget is never taken.
    expect(checkpointWorthTaking(store, 10, 1e9, 1001)).toBe(false)
    checkpointAdd(store, 10, 'x', 1, 100)
    expect(checkpointWorthTaking(store, 10, 500, 0)).toBe(false)
  })

  test('nearest returns the last checkpoint at or before a position', () => {
    const store = createCheckpointStore<string>({ budget: 100 })
    for (const p of [40, 10, 25]) checkpointAdd(store, p, `at ${String(p)}`, 1, p)
    expect(store.items.map((c) => c.position)).toEqual([10, 25, 40])
    expect(checkpointNearest(store, 9)).toBeNull()
    expect(checkpointNearest(store, 10)?.state).toBe('at 10')
    expect(checkpointNearest(store, 39)?.state).toBe('at 25')
    expect(checkpointNearest(store, 1000)?.state).toBe('at 40')
    expect(checkpointAdd(store, 25, 'again', 1, 0)).toBe(false)
    expect(checkpointsValidate(store)).toEqual([])
    checkpointsClear(store)
    expect(checkpointNearest(store, 1000)).toBeNull()
  })

  test('over budget, the checkpoint saving the least replay goes, and its gain moves on', () => {
    const store = createCheckpointStore<string>({ budget: 30 })
    checkpointAdd(store, 100, 'a', 10, 100) // gain 100 (from the seed)
    checkpointAdd(store, 110, 'b', 10, 10) // gain 10
    checkpointAdd(store, 500, 'c', 10, 390) // gain 390
    expect(store.total).toBe(30)
    // Adding d (gain 200) overflows: b saves least and is dropped; c now counts from a.
    expect(checkpointAdd(store, 700, 'd', 10, 200)).toBe(true)
    expect(store.items.map((c) => [c.state, c.gain])).toEqual([
      ['a', 100],
      ['c', 400],
      ['d', 200],
    ])
    // A newcomer that saves less than all others is refused.
    expect(checkpointAdd(store, 710, 'e', 10, 5)).toBe(false)
    expect(store.dropped).toBe(2)
    // Inserting f between c and d leaves d only the replay from f (50), the least: d goes.
    expect(checkpointAdd(store, 600, 'f', 5, 150)).toBe(true)
    expect(store.items.map((c) => [c.state, c.gain])).toEqual([
      ['a', 100],
      ['c', 400],
      ['f', 150],
    ])
    expect(checkpointsValidate(store)).toEqual([])
  })
})

describe('engine checkpoints', () => {
  function freshEngine(): ReplayEngine {
    const clock = manualClock(1000)
    const server = createServer({ seed: 3, clock, enableDebugCommand: 'yes', trace: 'off' })
    return { server, clock, position: 0 }
  }
  const wrap = (
    server: ReplayEngine['server'],
    clock: ReplayEngine['clock'],
    position: number,
  ): ReplayEngine => ({ server, clock, position })

  test('a bulk load is checkpointed; restoring clones the checkpoint, which stays intact', () => {
    const cps = createEngineCheckpoints({ minCost: 50 })
    const e = freshEngine()
    const run = (argv: string[]): void => {
      replayOp(cps, e, argv.length, () => {
        e.server.call(argv)
        e.position++
      })
    }
    run(['SET', 'a', '1'])
    expect(cps.store.items).toEqual([])
    run(['DEBUG', 'POPULATE', '1000'])
    expect(cps.store.items.map((c) => c.position)).toEqual([2])
    const digestAt2 = e.server.digest()
    run(['DEL', 'a'])
    const restored = engineFromCheckpoint(cps, 5, freshEngine, wrap)
    expect(restored.position).toBe(2)
    expect(restored.server.digest()).toBe(digestAt2)
    restored.server.call(['FLUSHALL'])
    expect(engineFromCheckpoint(cps, 2, freshEngine, wrap).server.digest()).toBe(digestAt2)
    // Before the first checkpoint: a fresh engine.
    expect(engineFromCheckpoint(cps, 1, freshEngine, wrap).position).toBe(0)
    expect(cps.replayed).toBe(3)
  })

  test('a clone that throws turns checkpoints off; replays still work from the seed', () => {
    const cps = createEngineCheckpoints({ minCost: 1 })
    const e = freshEngine()
    const broken: ReplayEngine = {
      ...e,
      server: {
        ...e.server,
        clone: () => {
          throw new Error('state the snapshot does not know')
        },
      },
    }
    replayOp(cps, broken, 4, () => {
      broken.server.call(['DEBUG', 'POPULATE', '10'])
      broken.position++
    })
    expect(cps.failure).toBe('state the snapshot does not know')
    expect(cps.store.items).toEqual([])
    expect(engineFromCheckpoint(cps, 1, freshEngine, wrap).position).toBe(0)
  })
})
