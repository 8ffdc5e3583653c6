/**
 * The latency monitor and latency histograms on the virtual clock, where a command takes
 * 0 µs unless DEBUG SLEEP advances the clock: samples past latency-monitor-threshold, one
 * slot a second keeping the worst, RESET by name, LATENCY GRAPH drawing a series; histograms
 * record 0 µs as 1 ns and the sleep in its power-of-two bucket. (Against redis-server:
 * test/conformance/latency.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock, type ManualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import type { Reply } from '../../../src/engine/reply.ts'
import DOCTOR from './latencyDoctor.json'
import GRAPHS from './latencyGraph.json'

const START = 1_800_000_000_000

function setup(): { server: EngineServer; c: number; run: (...argv: string[]) => unknown } {
  const server = createServer({
    seed: 3,
    clock: manualClock(START),
    enableDebugCommand: 'yes',
  }) as EngineServer
  const c = server.createClient()
  const plain = (r: Reply): unknown =>
    r.type === 'array' ? (r.value?.map(plain) ?? null) : r.value
  return { server, c, run: (...argv) => plain(server.call(argv, c)) }
}

describe('latency monitor', () => {
  it('samples slow commands past the threshold, one slot a second', () => {
    const { run } = setup()
    run('DEBUG', 'SLEEP', '0.2')
    expect(run('LATENCY', 'LATEST')).toEqual([])
    run('CONFIG', 'SET', 'latency-monitor-threshold', '100')
    run('DEBUG', 'SLEEP', '0.05')
    expect(run('LATENCY', 'LATEST')).toEqual([])
    run('DEBUG', 'SLEEP', '0.3')
    run('DEBUG', 'SLEEP', '0.4')
    // Both ended in the same second: one slot with the worst of them.
    const t = Math.floor((START + 200 + 50 + 300) / 1000)
    expect(run('LATENCY', 'HISTORY', 'command')).toEqual([[t, 400]])
    run('DEBUG', 'SLEEP', '1.5')
    // 0.15 s ends in the same second as the 1.5 s sleep: that slot keeps 1500.
    run('DEBUG', 'SLEEP', '0.15')
    expect(run('LATENCY', 'LATEST')).toEqual([['command', t + 2, 1500, 1500]])
    expect(run('LATENCY', 'HISTORY', 'command')).toHaveLength(2)
    expect(run('LATENCY', 'HISTORY', 'COMMAND')).toEqual([])
    expect(run('LATENCY', 'RESET', 'nosuch')).toBe(0)
    expect(run('LATENCY', 'RESET', 'COMMAND')).toBe(1)
    expect(run('LATENCY', 'LATEST')).toEqual([])
  })

  it('keeps 160 slots in a ring', () => {
    const { run } = setup()
    run('CONFIG', 'SET', 'latency-monitor-threshold', '1')
    for (let i = 0; i < 170; i++) run('DEBUG', 'SLEEP', '1.25')
    const h = run('LATENCY', 'HISTORY', 'command') as [number, number][]
    expect(h).toHaveLength(160)
    expect(h.every(([, ms]) => ms === 1250)).toBe(true)
    expect(h.map(([time]) => time)).toEqual([...h.map(([time]) => time)].sort((a, b) => a - b))
  })
})

/**
 * Records samples of `command` at unix seconds `at` with latencies `ms` (each a DEBUG SLEEP
 * starting 100 ms into its second), as redis-server's LATENCY HISTORY showed them.
 */
function replay(history: readonly (readonly number[])[]): {
  clock: ManualClock
  run: (...argv: string[]) => unknown
} {
  const clock = manualClock(START)
  const server = createServer({ seed: 3, clock, enableDebugCommand: 'yes' }) as EngineServer
  const c = server.createClient()
  const run = (...argv: string[]): unknown => server.call(argv, c).value
  run('CONFIG', 'SET', 'latency-monitor-threshold', '1')
  for (const [at = 0, ms = 0] of history) {
    clock.set(at * 1000 + 100)
    // Half a millisecond more, so that the float product never truncates below `ms`.
    run('DEBUG', 'SLEEP', String((ms + 0.5) / 1000))
  }
  return { clock, run }
}

describe('LATENCY GRAPH', () => {
  function graph(samples: readonly (readonly number[])[], now: number): unknown {
    const { clock, run } = replay(samples)
    clock.set(now * 1000 + 500)
    return run('LATENCY', 'GRAPH', 'command')
  }

  // Each case is what redis-server 7.0.15 answered: LATENCY HISTORY command, TIME (its second)
  // and LATENCY GRAPH command.
  for (const { title, history, time, graph: drawing } of GRAPHS) {
    it(title, () => {
      expect(graph(history, time)).toBe(drawing)
    })
  }

  it('answers an error for an event with no samples, by its exact name', () => {
    const { run } = setup()
    run('CONFIG', 'SET', 'latency-monitor-threshold', '1')
    run('DEBUG', 'SLEEP', '0.002')
    expect(run('LATENCY', 'GRAPH', 'COMMAND')).toBe("ERR No samples available for event 'COMMAND'")
    expect(run('LATENCY', 'GRAPH', 'nosuch')).toBe("ERR No samples available for event 'nosuch'")
  })
})

describe('LATENCY DOCTOR', () => {
  // What redis-server 7.0.15 answered: with no event, then for the samples of its LATENCY
  // HISTORY at second DOCTOR.time under three configurations.
  it('says when monitoring is off or nothing was seen', () => {
    const { run } = setup()
    expect(run('LATENCY', 'DOCTOR')).toBe(DOCTOR.disabled)
    run('CONFIG', 'SET', 'latency-monitor-threshold', '5')
    expect(run('LATENCY', 'DOCTOR')).toBe(DOCTOR.noSpike)
  })

  it('reports each event and advises by the slow log settings', () => {
    const { clock, run } = replay(DOCTOR.history)
    clock.set(DOCTOR.time * 1000 + 500)
    for (const { report, ...config } of DOCTOR.reports) {
      for (const [name, value] of Object.entries(config)) run('CONFIG', 'SET', name, value)
      expect(run('LATENCY', 'DOCTOR')).toBe(report)
    }
  })
})

describe('latency histograms', () => {
  it('record each call, 0 µs as 1 ns', () => {
    const { run } = setup()
    run('CONFIG', 'RESETSTAT')
    run('SET', 'a', 'b')
    run('SET', 'a', 'c')
    run('DEBUG', 'SLEEP', '0.01')
    expect(run('LATENCY', 'HISTOGRAM', 'set', 'debug', 'nosuch')).toEqual([
      'set',
      ['calls', 2, 'histogram_usec', [1, 2]],
      'debug',
      ['calls', 1, 'histogram_usec', [16908, 1]],
    ])
    const info = run('INFO', 'latencystats') as string
    expect(info).toContain('latency_percentiles_usec_set:p50=0.001,p99=0.001,p99.9=0.001\r\n')
    expect(info).toContain('latency_percentiles_usec_debug:p50=10027.007,')
    run('CONFIG', 'SET', 'latency-tracking', 'no')
    run('GET', 'a')
    expect(run('LATENCY', 'HISTOGRAM', 'get')).toEqual([])
    expect(run('INFO', 'latencystats')).toBe('# Latencystats\r\n')
  })
})
