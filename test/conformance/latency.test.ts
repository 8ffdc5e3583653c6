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

const servers = bothServersPerFile({ tcp: true })

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
