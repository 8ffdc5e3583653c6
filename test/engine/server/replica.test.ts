import { describe, expect, it } from 'vitest'
import { createServer, manualClock, type Reply } from '../../../src/engine/index.ts'
import type { LogLevel } from '../../../src/engine/serverLog.ts'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

/** The value of `field` in an INFO reply. */
function infoField(reply: Reply, field: string): string | undefined {
  if (reply.type !== 'bulk' || reply.value === null) return undefined
  const line = reply.value.split('\r\n').find((l) => l.startsWith(`${field}:`))
  return line?.slice(field.length + 1)
}

function dbsize(t: TestEngine): Reply {
  return t.exec('dbsize')
}

describe('REPLICAOF a master never reached (replication.c replicationSetMaster)', () => {
  it('logs the connect, its refusal at the next poll and a retry each second', () => {
    const t = createTestEngine()
    const logged: [LogLevel, string][] = []
    t.server.setServerLog((level, message) => logged.push([level, message]))
    expect(t.exec('replicaof', '127.0.0.1', '1')).toEqual(r.ok)
    // The refusal comes with the next poll: until then the connect is in flight.
    expect(t.exec('role')).toEqual(
      r.arr([r.bulk('slave'), r.bulk('127.0.0.1'), r.int(1), r.bulk('connecting'), r.int(-1)]),
    )
    t.server.drainOutbox?.()
    expect(t.exec('role')).toEqual(
      r.arr([r.bulk('slave'), r.bulk('127.0.0.1'), r.int(1), r.bulk('connect'), r.int(-1)]),
    )
    expect(logged.map(([level, m]) => `${level} ${m.replace(/'id=.*'/, "'…'")}`)).toEqual([
      'notice Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      'notice Connecting to MASTER 127.0.0.1:1',
      'notice MASTER <-> REPLICA sync started',
      "notice REPLICAOF 127.0.0.1:1 enabled (user request from '…')",
      'warning Error condition on socket for SYNC: Connection refused',
    ])
    logged.length = 0
    t.tick(1000)
    expect(logged).toEqual([
      ['notice', 'Connecting to MASTER 127.0.0.1:1'],
      ['notice', 'MASTER <-> REPLICA sync started'],
      ['warning', 'Error condition on socket for SYNC: Connection refused'],
    ])
    expect(t.server.logRole()).toBe('S')
    logged.length = 0
    expect(t.exec('replicaof', '127.0.0.1', '1')).toEqual(
      r.simple('OK Already connected to specified master'),
    )
    expect(t.exec('replicaof', 'no', 'one')).toEqual(r.ok)
    expect(t.server.logRole()).toBe('M')
    expect(
      logged.map(([, m]) => m.replace(/[0-9a-f]{40}/g, 'ID').replace(/'id=.*'/, "'…'")),
    ).toEqual([
      'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
      'Discarding previously cached master state.',
      'Setting secondary replication ID to ID, valid up to offset: 1. New replication ID is ID',
      "MASTER MODE enabled (user request from '…')",
    ])
  })

  it('answers ROLE, INFO replication, HELLO and CONFIG GET replicaof as a replica', () => {
    const t = createTestEngine()
    const replid = infoField(t.exec('info', 'replication'), 'master_replid')
    t.exec('replicaof', 'localhost', '6380')
    const info = t.exec('info', 'replication')
    expect(infoField(info, 'role')).toBe('slave')
    expect(infoField(info, 'master_host')).toBe('localhost')
    expect(infoField(info, 'master_link_status')).toBe('down')
    expect(infoField(info, 'slave_repl_offset')).toBe('0')
    expect(infoField(info, 'master_link_down_since_seconds')).toBe('-1')
    expect(infoField(info, 'slave_read_only')).toBe('1')
    expect(infoField(info, 'master_replid')).toBe(replid)
    expect(t.exec('config', 'get', 'replicaof')).toEqual(r.bulks('replicaof', 'localhost 6380'))
    const hello = t.exec('hello', '2')
    expect(hello.type === 'array' ? hello.value?.[11] : null).toEqual(r.bulk('replica'))
    t.exec('replicaof', 'no', 'one')
    const after = t.exec('info', 'replication')
    expect(infoField(after, 'role')).toBe('master')
    expect(infoField(after, 'master_replid2')).toBe(replid)
    expect(infoField(after, 'master_replid')).not.toBe(replid)
    expect(infoField(after, 'second_repl_offset')).toBe('1')
    expect(t.exec('config', 'get', 'replicaof')).toEqual(r.bulks('replicaof', ''))
  })

  it('starts as a replica with replicaof in the config (no cached master: offset 1)', () => {
    const t = createTestEngine({ config: { replicaof: '10.0.0.1 7000' } })
    expect(t.exec('role')).toEqual(
      r.arr([r.bulk('slave'), r.bulk('10.0.0.1'), r.int(7000), r.bulk('connect'), r.int(-1)]),
    )
    expect(infoField(t.exec('info', 'replication'), 'slave_repl_offset')).toBe('1')
    expect(t.exec('set', 'k', 'v')).toEqual(
      r.err("READONLY You can't write against a read only replica."),
    )
  })

  it('unblocks clients blocked in a command with UNBLOCKED, and closes them', () => {
    const t = createTestEngine()
    const waiter = t.newClient()
    t.execOn(waiter, 'blpop', 'list', '0')
    expect(t.server.isBlocked?.(waiter)).toBe(true)
    t.exec('replicaof', '127.0.0.1', '1')
    expect(t.server.isBlocked?.(waiter)).toBe(false)
    expect(t.server.drainOutbox?.().get(waiter)).toBe(
      '-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n',
    )
    expect(t.server.shouldClose(waiter)).toBe(true)
  })

  it('keeps its own replicas on REPLICAOF, refuses them SYNC, and drops them on NO ONE', () => {
    const t = createTestEngine()
    const logged: string[] = []
    t.server.setServerLog((_level, message) => logged.push(message))
    const replica = t.newClient()
    t.execOn(replica, 'sync')
    t.exec('replicaof', '127.0.0.1', '1')
    expect(t.server.takeClientsToClose()).toEqual([])
    expect(t.execOn(t.newClient(), 'sync')).toEqual(
      r.err("NOMASTERLINK Can't SYNC while not connected with my master"),
    )
    logged.length = 0
    t.exec('replicaof', 'no', 'one')
    expect(t.server.takeClientsToClose()).toEqual([[replica, '']])
    expect(logged.slice(2, 3)).toEqual([
      'Connection with replica 127.0.0.1:<unknown-replica-port> lost.',
    ])
    expect(t.server.shouldClose(replica)).toBe(true)
  })

  it('moves the oom_score_adj class: replica on REPLICAOF, master on NO ONE', () => {
    const t = createTestEngine()
    const scores: number[] = []
    t.server.setOomScoreAdj((mode, value) => {
      if (mode !== 'no') scores.push(value)
      return true
    })
    t.exec('config', 'set', 'oom-score-adj-values', '10 20 30', 'oom-score-adj', 'absolute')
    t.exec('replicaof', 'localhost', '1')
    t.exec('config', 'set', 'oom-score-adj-values', '11 21 31')
    t.exec('replicaof', 'no', 'one')
    expect(scores).toEqual([10, 20, 21, 11])
  })
})

describe('expiry on a replica (db.c expireIfNeeded, server.c databasesCron)', () => {
  it('runs no active expiry and deletes no expired key on reads', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v', 'px', '100')
    t.exec('set', 'keep', 'v')
    t.exec('replicaof', '127.0.0.1', '1')
    t.tick(5000)
    expect(dbsize(t)).toEqual(r.int(2))
    expect(t.exec('get', 'k')).toEqual(r.bulk(null))
    expect(t.exec('ttl', 'k')).toEqual(r.int(-2))
    expect(t.exec('exists', 'k')).toEqual(r.int(0))
    expect(t.eventsOfType('expire/keyExpiredLazily')).toEqual([])
    expect(dbsize(t)).toEqual(r.int(2))
    // A master again: the next lookup (or the active cycle) deletes it.
    t.exec('replicaof', 'no', 'one')
    expect(t.exec('get', 'k')).toEqual(r.bulk(null))
    expect(dbsize(t)).toEqual(r.int(1))
  })

  it('deletes an expired key a write touches on a writable replica', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v', 'px', '100')
    t.exec('set', 'j', 'v', 'px', '100')
    t.exec('replicaof', '127.0.0.1', '1')
    t.tick(200)
    t.exec('config', 'set', 'replica-read-only', 'no')
    expect(t.exec('append', 'k', 'x')).toEqual(r.int(1))
    expect(t.exec('get', 'k')).toEqual(r.bulk('x'))
    // Read-only again: the write is refused, and nothing deletes j.
    t.exec('config', 'set', 'replica-read-only', 'yes')
    expect(t.exec('append', 'j', 'x')).toEqual(
      r.err("READONLY You can't write against a read only replica."),
    )
    t.tick(1000)
    expect(dbsize(t)).toEqual(r.int(2))
  })

  it("expires a writable replica's own TTLs (expireSlaveKeys), even ones set in the past", () => {
    const t = createTestEngine()
    t.exec('replicaof', '127.0.0.1', '1')
    t.exec('config', 'set', 'replica-read-only', 'no')
    t.exec('set', 'past', 'v')
    // checkAlreadyExpired is for masters: the key stays, with its TTL in the past.
    expect(t.exec('expire', 'past', '-1')).toEqual(r.int(1))
    t.exec('set', 'later', 'v', 'px', '500')
    t.exec('select', '3')
    t.exec('set', 'later', 'v', 'px', '500')
    t.exec('select', '0')
    expect(dbsize(t)).toEqual(r.int(2))
    expect(infoField(t.exec('info', 'stats'), 'slave_expires_tracked_keys')).toBe('2')
    t.tick(100)
    expect(dbsize(t)).toEqual(r.int(1))
    expect(infoField(t.exec('info', 'stats'), 'slave_expires_tracked_keys')).toBe('1')
    t.tick(600)
    expect(dbsize(t)).toEqual(r.int(0))
    t.exec('select', '3')
    expect(dbsize(t)).toEqual(r.int(0))
    expect(infoField(t.exec('info', 'stats'), 'slave_expires_tracked_keys')).toBe('0')
  })

  it('keeps expired keys through DEBUG RELOAD, and RANDOMKEY still answers', () => {
    const t = createTestEngine()
    t.exec('set', 'a', '1', 'px', '100')
    t.exec('set', 'b', '1', 'px', '100')
    t.exec('replicaof', '127.0.0.1', '1')
    t.tick(200)
    expect(t.exec('debug', 'reload')).toEqual(r.ok)
    expect(dbsize(t)).toEqual(r.int(2))
    // Every key is volatile and expired: the 100th pick is returned anyway.
    const key = t.exec('randomkey')
    expect(key.type === 'bulk' && (key.value === 'a' || key.value === 'b')).toBe(true)
  })
})

describe('maxmemory on a replica (evict.c isSafeToPerformEvictions)', () => {
  function fill(): TestEngine {
    const t = createTestEngine()
    for (let i = 0; i < 50; i++) t.exec('set', `k${String(i)}`, 'x'.repeat(100))
    t.exec('replicaof', '127.0.0.1', '1')
    t.exec('config', 'set', 'replica-read-only', 'no', 'maxmemory-policy', 'allkeys-random')
    t.exec('config', 'set', 'maxmemory', '1')
    return t
  }

  it('evicts nothing with replica-ignore-maxmemory yes, and refuses no write', () => {
    const t = fill()
    expect(t.exec('set', 'more', 'v')).toEqual(r.ok)
    expect(dbsize(t)).toEqual(r.int(51))
    expect(infoField(t.exec('info', 'stats'), 'evicted_keys')).toBe('0')
  })

  it('evicts as a master does with replica-ignore-maxmemory no', () => {
    const t = fill()
    t.exec('config', 'set', 'replica-ignore-maxmemory', 'no')
    expect(t.exec('set', 'more', 'v')).toEqual(
      r.err("OOM command not allowed when used memory > 'maxmemory'."),
    )
    expect(dbsize(t)).toEqual(r.int(0))
  })
})

describe('DEBUG CHANGE-REPL-ID and DEBUG LOG (debug.c)', () => {
  it('change the replication ID, clear replid2, and log', () => {
    const t = createTestEngine()
    const logged: string[] = []
    t.server.setServerLog((level, message) => logged.push(`${level} ${message}`))
    t.exec('replicaof', 'localhost', '1')
    t.exec('replicaof', 'no', 'one')
    const before = t.exec('info', 'replication')
    expect(infoField(before, 'second_repl_offset')).toBe('1')
    logged.length = 0
    expect(t.exec('debug', 'change-repl-id')).toEqual(r.ok)
    expect(t.exec('debug', 'log', 'hello world')).toEqual(r.ok)
    const after = t.exec('info', 'replication')
    expect(infoField(after, 'master_replid')).not.toBe(infoField(before, 'master_replid'))
    expect(infoField(after, 'master_replid2')).toBe('0'.repeat(40))
    expect(infoField(after, 'second_repl_offset')).toBe('-1')
    expect(logged).toEqual([
      'warning Changing replication IDs after receiving DEBUG change-repl-id',
      'warning DEBUG LOG: hello world',
    ])
  })
})

describe('a replica from createServer', () => {
  it('drops its log lines without a hook', () => {
    const s = createServer({ seed: 1, clock: manualClock() })
    expect(s.call(['replicaof', '127.0.0.1', '1'])).toEqual(r.ok)
    expect(s.call(['role'])).toEqual(
      r.arr([r.bulk('slave'), r.bulk('127.0.0.1'), r.int(1), r.bulk('connecting'), r.int(-1)]),
    )
    s.tick(100)
    expect(s.call(['role'])).toEqual(
      r.arr([r.bulk('slave'), r.bulk('127.0.0.1'), r.int(1), r.bulk('connect'), r.int(-1)]),
    )
  })
})
