/**
 * Clone equivalence over random command streams (snapshot.ts): run a random prefix, clone
 * the server at that point, then run the same random suffix (commands of every type, from
 * two clients, with SELECT, MULTI/EXEC, WATCH, expires, encoding thresholds lowered by
 * CONFIG SET, and clock ticks) on both. Every trace (reply and events), every tick trace
 * and the final digest agree; both servers stay self-consistent; wrecking the clone
 * afterwards leaves the original's digest unchanged.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createServer, manualClock, type EngineServer } from '../../src/engine/index.ts'

type Op = { t: 'cmd'; c: 0 | 1; argv: readonly string[] } | { t: 'tick'; ms: number }

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e')
const member = fc.oneof(
  fc.integer({ min: -3, max: 40 }).map(String),
  fc.constantFrom('x', 'y', 'z', 'long-member-'.repeat(8)),
)
const members = fc.array(member, { minLength: 1, maxLength: 12 })
const score = fc.integer({ min: -5, max: 5 }).map(String)
const num = fc.integer({ min: -3, max: 6 }).map(String)

const commandArb: fc.Arbitrary<readonly string[]> = fc.oneof(
  // strings and generic
  fc.tuple(key, member).map(([k, v]) => ['SET', k, v]),
  fc
    .tuple(key, member, fc.integer({ min: 1, max: 3000 }))
    .map(([k, v, ms]) => ['SET', k, v, 'PX', String(ms)]),
  key.map((k) => ['INCR', k]),
  fc.tuple(key, member).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['DEL', k]),
  fc.tuple(key, fc.integer({ min: 1, max: 4000 })).map(([k, ms]) => ['PEXPIRE', k, String(ms)]),
  key.map((k) => ['PERSIST', k]),
  key.map((k) => ['TTL', k]),
  key.map((k) => ['OBJECT', 'ENCODING', k]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  fc.tuple(key, fc.constantFrom('0', '1')).map(([k, db]) => ['MOVE', k, db]),
  fc.constant(['RANDOMKEY']),
  fc.constant(['DBSIZE']),
  fc.constant(['SCAN', '0', 'COUNT', '3']),
  fc.constant(['INFO', 'memory']),
  fc.constant(['INFO', 'keyspace']),
  fc.constant(['DEBUG', 'DIGEST']),
  fc.integer({ min: 1, max: 200 }).map((n) => ['DEBUG', 'POPULATE', String(n), 'p']),
  fc.constantFrom(['SELECT', '0'], ['SELECT', '1'], ['SWAPDB', '0', '1']),
  fc.constantFrom(['FLUSHDB'], ['MULTI'], ['EXEC'], ['DISCARD'], ['UNWATCH']),
  key.map((k) => ['WATCH', k]),
  // lists
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), key, members).map(([c, k, m]) => [c, k, ...m]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map(([c, k]) => [c, k]),
  fc.tuple(key, num, num).map(([k, a, b]) => ['LRANGE', k, a, b]),
  fc.tuple(key, member, member).map(([k, p, v]) => ['LINSERT', k, 'BEFORE', p, v]),
  fc.tuple(key, num, member).map(([k, n, v]) => ['LREM', k, n, v]),
  // hashes
  fc.tuple(key, members).map(([k, m]) => ['HSET', k, ...m.flatMap((f) => [f, `v${f}`])]),
  fc.tuple(key, member).map(([k, f]) => ['HDEL', k, f]),
  key.map((k) => ['HGETALL', k]),
  fc.tuple(key, num).map(([k, n]) => ['HRANDFIELD', k, n]),
  // sets
  fc.tuple(key, members).map(([k, m]) => ['SADD', k, ...m]),
  fc.tuple(key, member).map(([k, m]) => ['SREM', k, m]),
  fc.tuple(key, fc.integer({ min: 1, max: 4 })).map(([k, n]) => ['SPOP', k, String(n)]),
  fc.tuple(key, num).map(([k, n]) => ['SRANDMEMBER', k, n]),
  key.map((k) => ['SMEMBERS', k]),
  fc.tuple(key, key, key).map(([d, a, b]) => ['SINTERSTORE', d, a, b]),
  // sorted sets
  fc
    .tuple(key, fc.array(fc.tuple(score, member), { minLength: 1, maxLength: 10 }))
    .map(([k, p]) => ['ZADD', k, ...p.flat()]),
  fc.tuple(key, member).map(([k, m]) => ['ZREM', k, m]),
  fc.tuple(key, score, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]),
  fc.tuple(key, num, num).map(([k, a, b]) => ['ZRANGE', k, a, b, 'WITHSCORES']),
  fc.tuple(key, num).map(([k, n]) => ['ZRANDMEMBER', k, n]),
  key.map((k) => ['ZPOPMIN', k]),
  fc.tuple(key, score).map(([k, s]) => ['ZRANGEBYSCORE', k, s, '+inf']),
  // thresholds and eviction
  fc
    .tuple(
      fc.constantFrom(
        'hash-max-listpack-entries',
        'zset-max-listpack-entries',
        'set-max-intset-entries',
        'list-max-listpack-size',
      ),
      fc.integer({ min: 1, max: 8 }),
    )
    .map(([p, n]) => ['CONFIG', 'SET', p, String(n)]),
  fc.constantFrom(
    ['CONFIG', 'SET', 'maxmemory', '0'],
    ['CONFIG', 'SET', 'maxmemory', '1100000'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
  ),
)

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      t: fc.constant('cmd' as const),
      c: fc.constantFrom<0 | 1>(0, 1),
      argv: commandArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('tick' as const),
      ms: fc.integer({ min: 1, max: 1500 }),
    }),
  },
)

interface Running {
  server: EngineServer
  clients: readonly [number, number]
}

function runOn(s: Running, op: Op): unknown {
  if (op.t === 'tick') return s.server.tick(op.ms)
  return s.server.execute(op.argv, s.clients[op.c])
}

test.prop(
  [
    fc.integer({ min: 1, max: 1000 }),
    fc.array(opArb, { minLength: 0, maxLength: 60 }),
    fc.array(opArb, { minLength: 1, maxLength: 60 }),
  ],
  { numRuns: 120 },
)('a clone and its original run the same suffix identically', (seed, prefix, suffix) => {
  const clockA = manualClock()
  const server = createServer({ seed, clock: clockA, trace: 'full', enableDebugCommand: 'yes' })
  const a: Running = { server, clients: [server.createClient(), server.createClient()] }
  for (const op of prefix) runOn(a, op)
  const clockB = manualClock(clockA.now())
  const b: Running = { server: a.server.clone(clockB), clients: a.clients }
  expect(b.server.digest()).toBe(a.server.digest())
  for (const op of suffix) expect(runOn(b, op)).toEqual(runOn(a, op))
  expect(b.server.digest()).toBe(a.server.digest())
  expect(a.server.validate()).toEqual([])
  expect(b.server.validate()).toEqual([])
  const digestA = a.server.digest()
  b.server.call(['FLUSHALL'])
  b.server.call(['SET', 'after', 'clone'])
  expect(a.server.digest()).toBe(digestA)
})
