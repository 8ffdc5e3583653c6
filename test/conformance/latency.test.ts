/**
 * LATENCY HISTOGRAM and INFO latencystats against redis-server 7.0.15 (latency.c
 * fillCommandCDF, server.c updateCommandLatencyHistogram / genRedisInfoStringLatencyStats).
 * Found by Redis's Tcl unit/latency-monitor, which our server failed at its first LATENCY
 * HISTOGRAM.
 *
 * Durations differ between two servers by nature, so each histogram_usec is checked for its
 * form (µs buckets rising, cumulative counts rising to `calls`) and then masked; everything
 * else — which commands have a histogram, in which order for named commands, their calls —
 * must match. Without names Redis walks its command dict, whose order follows a per-process
 * hash seed (so does a container's subcommand dict: only one CLIENT subcommand is called):
 * those replies and INFO latencystats are compared as sets of names.
 */
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true }, true)

/** A reply as data, with each histogram_usec checked and replaced by 'cdf'. */
function masked(r: Reply): unknown {
  if (r.type !== 'array' || r.value === null) return r.value
  const v = r.value
  const out: unknown[] = []
  for (let i = 0; i < v.length; i++) {
    const e = v[i] as Reply
    out.push(masked(e))
    if (e.type === 'bulk' && e.value === 'histogram_usec') {
      const cdf = v[i + 1]
      const calls = v[i - 1]
      if (cdf?.type !== 'array' || cdf.value === null) throw new Error('histogram_usec shape')
      const n = cdf.value.map((x) => Number(x.value))
      for (let k = 2; k < n.length; k += 2) {
        expect(n[k]).toBeGreaterThan(n[k - 2] ?? 0)
        expect(n[k + 1]).toBeGreaterThan(n[k - 1] ?? 0)
      }
      expect(n.length).toBeGreaterThan(0)
      expect(n[n.length - 1]).toBe(Number(calls?.value))
      out.push('cdf')
      i++
    }
  }
  return out
}

function names(r: Reply): string[] {
  if (r.type !== 'array' || r.value === null) throw new Error('not an array')
  return r.value
    .filter((_, i) => i % 2 === 0)
    .map((x) => String(x.value))
    .sort()
}

async function transcript(c: RawClient): Promise<unknown[]> {
  const out: unknown[] = []
  const run = async (...argv: string[]) => (await c.command(...argv)).reply
  const histogram = async (...args: string[]) =>
    out.push(masked(await run('LATENCY', 'HISTOGRAM', ...args)))
  await run('CONFIG', 'RESETSTAT')
  await histogram()
  await run('SET', 'a', 'b')
  await run('SET', 'c', 'd')
  await run('GET', 'a')
  await run('HSET', 'f', 'k', 'v')
  await run('CLIENT', 'ID')
  await run('GET')
  await run('NOSUCHCOMMAND')
  await run('BLPOP', 'nolist', '0.01')
  await histogram('set', 'hset')
  await histogram('hgetall', 'get', 'zadd')
  await histogram('blabla', 'SET', 'blabla2', 'get')
  await histogram('blabla')
  await histogram('client')
  await histogram('client|id', 'client|nosuch', 'config|get|x', 'blpop')
  await histogram('LATENCY|histogram')
  out.push(names(await run('LATENCY', 'HISTOGRAM')))
  const info = await run('INFO', 'latencystats')
  const text = info.type === 'bulk' ? (info.value ?? '') : ''
  const lines = text.split('\r\n').filter((l) => l.startsWith('latency_percentiles_usec_'))
  for (const l of lines)
    expect(l).toMatch(
      /^latency_percentiles_usec_[a-z|]+:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/,
    )
  out.push(lines.map((l) => l.slice(0, l.indexOf(':'))).sort())
  await run('CONFIG', 'SET', 'latency-tracking', 'no')
  await run('CONFIG', 'RESETSTAT')
  await run('SET', 'a', 'b')
  await histogram()
  out.push((await run('INFO', 'latencystats')).value)
  await run('CONFIG', 'SET', 'latency-tracking', 'yes')
  await histogram()
  return out
}

describe('latency histograms match redis-server 7.0.15', () => {
  it('records the same commands', async () => {
    const real = await servers.connectReal()
    const ours = await servers.connectOurs()
    try {
      const a = await transcript(real)
      expect(await transcript(ours)).toEqual(a)
    } finally {
      real.close()
      ours.close()
    }
  })
})

/**
 * The latency monitor (latency.c): a DEBUG SLEEP past latency-monitor-threshold is sampled
 * as a "command" event. Times and milliseconds differ by nature: each server's samples are
 * checked against its own clock and the sleep, then only the event names and the replies
 * that carry no time are compared.
 */
async function monitorTranscript(c: RawClient): Promise<unknown[]> {
  const out: unknown[] = []
  const run = async (...argv: string[]) => (await c.command(...argv)).reply
  const now = async () => Number(((await run('TIME')).value as Reply[])[0]?.value)
  await run('CONFIG', 'SET', 'latency-monitor-threshold', '0')
  await run('LATENCY', 'RESET')
  await run('DEBUG', 'SLEEP', '0.1')
  out.push((await run('LATENCY', 'LATEST')).value)
  await run('CONFIG', 'SET', 'latency-monitor-threshold', '50')
  // The sample is the command's own duration: at least the sleep. No upper bound in time (a
  // loaded machine is slower): the history must hold exactly the sample LATEST reports.
  await run('DEBUG', 'SLEEP', '0.1')
  const t = await now()
  const latest = await run('LATENCY', 'LATEST')
  const rows = (latest.value ?? []) as Reply[]
  const command = rows.find((r) => (r.value as Reply[])[0]?.value === 'command')
  const [, time, ms, max] = ((command?.value ?? []) as Reply[]).map((x) => Number(x.value))
  expect(Math.abs((time ?? 0) - t)).toBeLessThan(5)
  expect(ms).toBeGreaterThanOrEqual(100)
  expect(max).toBeGreaterThanOrEqual(ms ?? 0)
  const history = ((await run('LATENCY', 'HISTORY', 'command')).value ?? []) as Reply[]
  expect(history.length).toBeGreaterThanOrEqual(1)
  const lastSample = ((history.at(-1)?.value ?? []) as Reply[]).map((x) => Number(x.value))
  expect(lastSample).toEqual([time, ms])
  out.push(command === undefined ? 'no command event' : 'command event')
  out.push((await run('LATENCY', 'HISTORY', 'COMMAND')).value)
  out.push((await run('LATENCY', 'HISTORY', 'blabla')).value)
  out.push((await run('LATENCY', 'RESET', 'blabla')).value)
  out.push((await run('LATENCY', 'RESET', 'COMMAND', 'command')).value)
  out.push((await run('LATENCY', 'HISTORY', 'command')).value)
  await run('CONFIG', 'SET', 'latency-monitor-threshold', '0')
  await run('LATENCY', 'RESET')
  out.push((await run('LATENCY', 'LATEST')).value)
  return out
}

describe('the latency monitor matches redis-server 7.0.15', () => {
  it('samples a slow command', async () => {
    const real = await servers.connectReal()
    const ours = await servers.connectOurs()
    try {
      expect(await monitorTranscript(ours)).toEqual(await monitorTranscript(real))
    } finally {
      real.close()
      ours.close()
    }
  })
})
