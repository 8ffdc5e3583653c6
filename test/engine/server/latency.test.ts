/**
 * The latency monitor and latency histograms on the virtual clock, where a command takes
 * 0 µs unless DEBUG SLEEP advances the clock: samples past latency-monitor-threshold, one
 * slot a second keeping the worst, RESET by name; histograms record 0 µs as 1 ns and the
 * sleep in its power-of-two bucket. (Against redis-server: test/conformance/latency.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import type { Reply } from '../../../src/engine/reply.ts'

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
