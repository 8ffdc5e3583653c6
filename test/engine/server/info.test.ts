import { describe, expect, it } from 'vitest'
import { createTestEngine } from '../../harness/TestEngine.ts'

function info(t: ReturnType<typeof createTestEngine>, ...sections: string[]): string {
  const reply = t.exec('info', ...sections)
  if (reply.type !== 'bulk' || reply.value === null) throw new Error('INFO is a bulk string')
  return reply.value
}

function field(text: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\r\\n)${name}:([^\\r]*)\\r\\n`).exec(text)?.[1]
}

describe('INFO', () => {
  it('prints the default sections in order, separated by blank lines', () => {
    const t = createTestEngine()
    const headers = info(t)
      .split('\r\n')
      .filter((l) => l.startsWith('# '))
    expect(headers).toEqual([
      '# Server',
      '# Clients',
      '# Memory',
      '# Persistence',
      '# Stats',
      '# Replication',
      '# CPU',
      '# Modules',
      '# Errorstats',
      '# Cluster',
      '# Keyspace',
    ])
    expect(info(t, 'server', 'clients')).toMatch(/\r\nio_threads_active:0\r\n\r\n# Clients\r\n/)
    expect(info(t, 'everything')).toContain('# Commandstats\r\n')
    expect(info(t, 'nosuch')).toBe('')
  })

  it('lists only non-empty dbs in # Keyspace with keys, expires and avg_ttl', () => {
    const t = createTestEngine()
    expect(info(t, 'keyspace')).toBe('# Keyspace\r\n')
    t.exec('set', 'a', '1')
    t.exec('set', 'b', '1', 'ex', '100')
    t.exec('select', '3')
    t.exec('set', 'c', '1')
    expect(info(t, 'keyspace')).toBe(
      '# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n',
    )
  })

  it('keeps avg_ttl exact for TTLs near 2^63 ms, as the 7.0.15 binary computes it', () => {
    const MAX = 2n ** 63n - 1n
    const start = 1_704_067_200_000
    /** avg_ttl after the first active expire cycle that saw TTLs summing to avg × n. */
    const after = (avg: bigint): bigint =>
      BigInt.asIntN(64, (avg / 50n) * 49n + BigInt.asUintN(64, avg) / 50n)
    /** The db0 avg_ttl once the cron has run, and whether it is `want` of a cycle's now. */
    const check = (keys: number, want: (now: bigint) => bigint): void => {
      const t = createTestEngine({ startMs: start })
      for (let i = 0; i < keys; i++) t.exec('set', `k${String(i)}`, 'v', 'pxat', String(MAX))
      t.tick(150)
      const got = BigInt(/avg_ttl=(-?\d+)/.exec(info(t, 'keyspace'))?.[1] ?? 'x')
      const candidates = Array.from({ length: 200 }, (_, d) => want(BigInt(start + d)))
      expect(candidates).toContain(got)
    }
    // One key: its TTL, 2^63 - 1 - now, in whole milliseconds (a double would round it).
    check(1, (now) => after(MAX - now))
    // Two: ttl_sum wraps to -2 - 2 now; avg_ttl/50 divides the wrapped sum unsigned.
    check(2, (now) => after(BigInt.asIntN(64, 2n * (MAX - now)) / 2n))
  })

  it('counts keyspace hits and misses, connections and hz', () => {
    const t = createTestEngine({ config: { hz: '25' } })
    t.exec('set', 'a', '1')
    t.exec('get', 'a')
    t.exec('get', 'a')
    t.exec('get', 'nope')
    const stats = info(t, 'stats')
    expect(field(stats, 'keyspace_hits')).toBe('2')
    expect(field(stats, 'keyspace_misses')).toBe('1')
    expect(field(stats, 'total_connections_received')).toBe('1')
    const server = info(t, 'server')
    expect(field(server, 'redis_version')).toBe('7.0.15')
    expect(field(server, 'hz')).toBe('25')
    expect(field(server, 'configured_hz')).toBe('25')
    expect(field(info(t, 'clients'), 'connected_clients')).toBe('1')
    expect(field(info(t, 'memory'), 'maxmemory_policy')).toBe('noeviction')
  })

  it('counts lazily expired keys', () => {
    const t = createTestEngine()
    t.exec('set', 'a', '1', 'px', '10')
    t.exec('debug', 'set-active-expire', '0')
    t.tick(20)
    t.exec('get', 'a')
    expect(t.eventsOfType('expire/keyExpiredLazily')).toEqual([
      {
        type: 'expire/keyExpiredLazily',
        db: 0,
        key: 'a',
        when: t.clock.now() - 10,
        now: t.clock.now(),
      },
    ])
    expect(field(info(t, 'stats'), 'expired_keys')).toBe('1')
  })

  it('instantaneous_ops_per_sec and _kbps: the mean of 16 per-second samples cron takes every 100 ms', () => {
    const t = createTestEngine()
    expect(field(info(t, 'stats'), 'instantaneous_ops_per_sec')).toBe('0')
    const base = Number(field(info(t, 'stats'), 'total_commands_processed'))
    for (let i = 0; i < 99; i++) t.exec('PING')
    // The cron at 100 ms samples the commands since the server started (100 ms before):
    // base + 1 (that INFO) + 99 PINGs, i.e. (base + 100) per 100 ms.
    t.tick(100)
    const perSec = ((base + 100) * 1000) / 100
    expect(field(info(t, 'stats'), 'instantaneous_ops_per_sec')).toBe(
      String(Math.trunc(perSec / 16)),
    )
    // Ten more quiet samples: the mean still holds that one sample, plus the INFO calls.
    t.tick(1000)
    const quiet = Number(field(info(t, 'stats'), 'instantaneous_ops_per_sec'))
    expect(quiet).toBeGreaterThan(0)
    expect(quiet).toBeLessThan(perSec / 16)
    // Sixteen samples later the busy one is gone: only INFO's own rate (1 per second or so).
    t.tick(1600)
    expect(Number(field(info(t, 'stats'), 'instantaneous_ops_per_sec'))).toBeLessThan(2)
    // No bytes went through a network here: 0.00 kbps.
    expect(field(info(t, 'stats'), 'instantaneous_input_kbps')).toBe('0.00')
    // CONFIG RESETSTAT clears the samples.
    for (let i = 0; i < 500; i++) t.exec('PING')
    t.tick(100)
    expect(Number(field(info(t, 'stats'), 'instantaneous_ops_per_sec'))).toBeGreaterThan(200)
    t.exec('CONFIG', 'RESETSTAT')
    expect(field(info(t, 'stats'), 'instantaneous_ops_per_sec')).toBe('0')
  })
})
