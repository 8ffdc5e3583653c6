import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import { respEncodeCommand } from '../../../src/engine/resp.ts'

const T0 = 1_700_000_000_000

function setup() {
  const clock = manualClock(T0)
  // A disk-based sync: the payload goes at once, as "$<len>".
  const srv = createServer({
    seed: 1,
    clock,
    trace: 'off',
    enableDebugCommand: 'yes',
    config: { hz: 10, 'repl-diskless-sync': 'no' },
  })
  const replica = srv.createClient()
  const client = srv.createClient()
  const drain = (): string => srv.drainOutbox?.().get(replica) ?? ''
  const run = (...argv: string[]) => srv.call(argv, client)
  return { srv, clock, replica, client, drain, run }
}

/** What the stream holds after the RDB payload ("$<len>\r\n<bytes>", no CRLF). */
function afterPayload(bytes: string): { rdb: string; rest: string } {
  const m = /^\$(\d+)\r\n/.exec(bytes)
  if (m === null) throw new Error(`no payload in ${JSON.stringify(bytes.slice(0, 20))}`)
  const start = m[0].length
  const len = Number(m[1])
  return { rdb: bytes.slice(start, start + len), rest: bytes.slice(start + len) }
}

const cmds = (...argvs: string[][]): string => argvs.map((a) => respEncodeCommand(a)).join('')

describe('replication stream (SYNC)', () => {
  it('sends an RDB file, then each write with a SELECT when the db changes', () => {
    const { srv, replica, drain, run } = setup()
    run('SET', 'a', '1')
    srv.call(['SYNC'], replica)
    const { rdb, rest } = afterPayload(drain())
    expect(rdb.startsWith('REDIS0010')).toBe(true)
    expect(rest).toBe('')
    run('SET', 'b', '2')
    run('GET', 'b')
    run('SELECT', '3')
    run('EXPIRE', 'nokey', '10')
    run('SET', 'c', '3')
    run('EXPIRE', 'c', '10')
    run('FLUSHDB')
    run('FLUSHDB')
    expect(drain()).toBe(
      cmds(
        ['SELECT', '0'],
        ['SET', 'b', '2'],
        ['SELECT', '3'],
        ['SET', 'c', '3'],
        ['PEXPIREAT', 'c', String(T0 + 10_000)],
        ['FLUSHDB'],
        ['FLUSHDB'],
      ),
    )
  })

  it('DEBUG REPLICATE sends its command to the replicas as it is, run nowhere here', () => {
    const { srv, replica, drain, run } = setup()
    srv.call(['SYNC'], replica)
    drain()
    expect(run('DEBUG', 'REPLICATE', 'fake-command-1', 'x')).toEqual({
      type: 'simple',
      value: 'OK',
    })
    run('SET', 'k', 'v')
    expect(drain()).toBe(cmds(['fake-command-1', 'x'], ['SELECT', '0'], ['SET', 'k', 'v']))
  })

  it('wraps a transaction in MULTI/EXEC and a lone write of it not at all', () => {
    const { srv, replica, drain, run } = setup()
    srv.call(['SYNC'], replica)
    drain()
    run('MULTI')
    run('SET', 'a', '1')
    run('INCR', 'a')
    run('EXEC')
    run('MULTI')
    run('GET', 'a')
    run('DEL', 'a')
    run('EXEC')
    expect(drain()).toBe(
      cmds(['SELECT', '0'], ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'], ['DEL', 'a']),
    )
  })

  it('propagates expired keys as DEL: lazily before the command, actively alone', () => {
    const { srv, clock, replica, drain, run } = setup()
    run('DEBUG', 'SET-ACTIVE-EXPIRE', '0')
    run('SET', 'k', 'v', 'PX', '100')
    run('SET', 'j', 'v', 'PX', '100')
    srv.call(['SYNC'], replica)
    drain()
    clock.advance(200)
    run('SET', 'k', 'w')
    run('EXPIRE', 'x', '-1')
    run('SET', 'x', '1')
    run('EXPIRE', 'x', '-1')
    expect(drain()).toBe(
      cmds(
        ['SELECT', '0'],
        ['MULTI'],
        ['DEL', 'k'],
        ['SET', 'k', 'w'],
        ['EXEC'],
        ['SET', 'x', '1'],
        ['DEL', 'x'],
      ),
    )
    run('DEBUG', 'SET-ACTIVE-EXPIRE', '1')
    clock.advance(1000)
    srv.cron()
    // replicationCron's first run PINGs the replicas (every repl-ping-replica-period runs).
    expect(drain()).toBe(cmds(['DEL', 'j'], ['PING']))
  })
})

describe('PUBLISH in the replication stream (forceCommandPropagation, PROPAGATE_REPL)', () => {
  it('propagates alone or with the writes of its transaction, whatever it changed', () => {
    const { srv, replica, drain, run } = setup()
    srv.call(['SYNC'], replica)
    drain()
    run('PUBLISH', 'ch', 'a')
    expect(drain()).toBe(cmds(['SELECT', '0'], ['PUBLISH', 'ch', 'a']))
    run('MULTI')
    run('PUBLISH', 'ch', 'b')
    run('EXEC')
    // One op: no MULTI/EXEC around it (Tcl unit/multi 'MULTI propagation of PUBLISH').
    expect(drain()).toBe(cmds(['PUBLISH', 'ch', 'b']))
    run('MULTI')
    run('SET', 'k', 'v')
    run('SPUBLISH', 'ch', 'c')
    run('EXEC')
    expect(drain()).toBe(cmds(['MULTI'], ['SET', 'k', 'v'], ['SPUBLISH', 'ch', 'c'], ['EXEC']))
  })
})

describe('min-replicas-to-write (checkGoodReplicasStatus)', () => {
  const info = (run: (...argv: string[]) => unknown): string => {
    const r = run('INFO', 'replication') as { value: string }
    return /min_slaves_good_slaves:\d+/.exec(r.value)?.[0] ?? 'none'
  }

  it('counts a replica online until its lag passes min-replicas-max-lag, or it goes', () => {
    const { srv, clock, replica, run } = setup()
    expect(info(run)).toBe('none')
    run('CONFIG', 'SET', 'min-replicas-to-write', '1')
    expect(run('SET', 'k', '1')).toEqual({
      type: 'error',
      value: 'NOREPLICAS Not enough good replicas to write.',
    })
    srv.call(['SYNC'], replica)
    expect(info(run)).toBe('min_slaves_good_slaves:1')
    expect(run('SET', 'k', '1')).toEqual({ type: 'simple', value: 'OK' })
    // It never sends REPLCONF ACK: 10 s after it came online it is still good, not at 11.
    clock.advance(10_000)
    expect(run('SET', 'k', '2')).toEqual({ type: 'simple', value: 'OK' })
    clock.advance(1_000)
    expect(info(run)).toBe('min_slaves_good_slaves:0')
    expect(run('SET', 'k', '3')).toEqual({
      type: 'error',
      value: 'NOREPLICAS Not enough good replicas to write.',
    })
    expect(run('GET', 'k')).toEqual({ type: 'bulk', value: '2' })
    run('CONFIG', 'SET', 'min-replicas-max-lag', '20')
    expect(run('SET', 'k', '4')).toEqual({ type: 'simple', value: 'OK' })
    srv.closeClient(replica)
    expect(info(run)).toBe('min_slaves_good_slaves:0')
  })
})

/** A master with diskless sync (the default) and these settings, on a manual clock. */
function disklessMaster(config: Record<string, string | number>) {
  return createServer({
    seed: 1,
    clock: manualClock(T0),
    trace: 'off',
    config: { hz: 10, ...config },
  })
}

describe('diskless sync (repl-diskless-sync yes)', () => {
  it('waits repl-diskless-sync-delay with newlines, then sends +FULLRESYNC and an EOF-marked payload', () => {
    const srv = disklessMaster({ 'repl-diskless-sync-delay': 2 })
    const replica = srv.createClient()
    const client = srv.createClient()
    const drain = (): string => srv.drainOutbox?.().get(replica) ?? ''
    srv.call(['SET', 'k', 'v'], client)
    expect(srv.call(['REPLCONF', 'capa', 'eof', 'capa', 'psync2'], replica)).toEqual({
      type: 'simple',
      value: 'OK',
    })
    srv.call(['PSYNC', '?', '-1'], replica)
    expect(drain()).toBe('')
    srv.tick(1000)
    expect(drain()).toMatch(/^\n+$/)
    srv.tick(2000)
    const out = drain()
    const m = /^\n*\+FULLRESYNC ([0-9a-f]{40}) 0\r\n\$EOF:([0-9a-f]{40})\r\n(REDIS0010[^]*)$/.exec(
      out,
    )
    expect(m).not.toBeNull()
    const mark = m?.[2] ?? ''
    const body = m?.[3] ?? ''
    expect(body.endsWith(mark)).toBe(true)
    const info = srv.call(['INFO', 'replication'], client)
    expect(info.type === 'bulk' && info.value).toContain('connected_slaves:1')
    // The stream waits for the replica's first ACK (it could not tell the mark from it).
    srv.call(['SET', 'k', 'w'], client)
    expect(drain()).toBe('')
    srv.call(['REPLCONF', 'ACK', '0'], replica)
    expect(drain()).toBe(cmds(['SELECT', '0'], ['SET', 'k', 'w']))
  })
})

describe('replicationCron on a master', () => {
  function master() {
    const { srv, clock, replica, run } = setup()
    const lines: string[] = []
    const engine = srv as typeof srv & {
      setServerLog(sink: (level: string, line: string) => void): void
      takeClientsToClose(): readonly (readonly [number, string])[]
    }
    engine.setServerLog((level, line) => lines.push(`${level} ${line}`))
    return { srv, engine, clock, replica, run, lines }
  }

  it('disconnects a PSYNC replica that sent no REPLCONF ACK for longer than repl-timeout', () => {
    const { srv, engine, replica, run, lines } = master()
    run('CONFIG', 'SET', 'repl-timeout', '3')
    srv.call(['REPLCONF', 'listening-port', '6390'], replica)
    srv.call(['PSYNC', '?', '-1'], replica)
    srv.tick(3000)
    srv.call(['REPLCONF', 'ACK', '0'], replica)
    srv.tick(3000)
    expect(engine.takeClientsToClose()).toEqual([])
    srv.tick(2000)
    expect(engine.takeClientsToClose()).toEqual([[replica, '']])
    expect(lines).toContain(
      'warning Disconnecting timedout replica (streaming sync): 127.0.0.1:6390',
    )
    expect(run('INFO', 'replication').value).toMatch(/connected_slaves:0\r\n/)
  })

  it('keeps a SYNC replica (it never ACKs), and frees the backlog repl-backlog-ttl s after the last replica left', () => {
    const { srv, engine, replica, run, lines } = master()
    run('CONFIG', 'SET', 'repl-timeout', '2')
    run('CONFIG', 'SET', 'repl-backlog-ttl', '5')
    srv.call(['SYNC'], replica)
    srv.tick(4000)
    expect(engine.takeClientsToClose()).toEqual([])
    const replid = /master_replid:(\w+)/.exec(run('INFO', 'replication').value as string)?.[1]
    srv.closeClient(replica)
    srv.tick(5000)
    expect(run('INFO', 'replication').value).toMatch(/repl_backlog_active:1\r\n/)
    srv.tick(2000)
    const info = run('INFO', 'replication').value as string
    expect(info).toMatch(/repl_backlog_active:0\r\n/)
    expect(info).not.toContain(`master_replid:${replid ?? ''}`)
    expect(lines).toContain(
      'notice Replication backlog freed after 5 seconds without connected replicas.',
    )
  })
})

describe('full syncs paced by a child', () => {
  it('with rdb-key-save-delay the payload waits for the child; the stream after it', () => {
    const { srv, replica, drain, run } = setup()
    run('SET', 'key-before-1', '1')
    run('SET', 'key-before-2', '2')
    // 2 keys at 1 s each: the child lives 2 s.
    run('CONFIG', 'SET', 'rdb-key-save-delay', '1000000')
    srv.call(['PSYNC', '?', '-1'], replica)
    expect(drain()).toMatch(/^\+FULLRESYNC [0-9a-f]{40} 0\r\n$/)
    expect(run('INFO', 'persistence').value).toMatch(/rdb_bgsave_in_progress:1\r\n/)
    expect(run('INFO', 'replication').value).toMatch(/slave0:.*state=wait_bgsave,/)
    expect(run('BGSAVE')).toEqual({
      type: 'error',
      value: 'ERR Background save already in progress',
    })
    run('SET', 'key-after', '3')
    srv.tick(1000)
    // A newline a second keeps the replica waiting.
    expect(drain()).toBe('\n')
    srv.tick(1500)
    const { rdb, rest } = afterPayload(drain().replace(/^\n+/, ''))
    expect(rdb).toContain('key-before-2')
    expect(rdb).not.toContain('key-after')
    // (The master's PINGs went into the stream meanwhile too.)
    expect(rest.replaceAll(cmds(['PING']), '')).toBe(
      cmds(['SELECT', '0'], ['SET', 'key-after', '3']),
    )
    expect(run('INFO', 'persistence').value).toMatch(/rdb_bgsave_in_progress:0\r\n/)
    expect(run('INFO', 'replication').value).toMatch(/slave0:.*state=online,/)
  })

  it('repl-diskless-sync-max-replicas starts the sync once that many wait, before the delay', () => {
    const srv = disklessMaster({
      'repl-diskless-sync-delay': '5',
      'repl-diskless-sync-max-replicas': '2',
    })
    const r1 = srv.createClient()
    const r2 = srv.createClient()
    const outOf = (id: number, out: ReadonlyMap<number, string>) => out.get(id) ?? ''
    for (const r of [r1, r2]) srv.call(['REPLCONF', 'capa', 'eof'], r)
    srv.call(['PSYNC', '?', '-1'], r1)
    srv.tick(2000)
    expect(outOf(r1, srv.drainOutbox?.() ?? new Map())).toBe('\n\n')
    srv.call(['PSYNC', '?', '-1'], r2)
    srv.tick(1000)
    const out = srv.drainOutbox?.() ?? new Map<number, string>()
    for (const r of [r1, r2])
      expect(outOf(r, out)).toMatch(/^\n*\+FULLRESYNC [0-9a-f]{40} 0\r\n\$EOF:/)
  })
})

describe('the replication info an RDB file keeps (rdbPopulateSaveInfo, loadDataFromDisk)', () => {
  /** A server whose SAVE hands its file to `files`. */
  function withDisk(config: Record<string, string> = {}) {
    const srv = createServer({
      seed: 1,
      clock: manualClock(T0),
      trace: 'off',
      config: { 'repl-diskless-sync': 'no', ...config },
    })
    const files: Uint8Array[] = []
    ;(srv as typeof srv & { setRdbDisk(d: unknown): void }).setRdbDisk({
      write: (rdb: Uint8Array) => files.push(rdb) > 0,
      log: () => {},
      fork: () => 2,
    })
    return { srv, files }
  }
  const field = (srv: { call(argv: string[]): { value: unknown } }, name: string) =>
    new RegExp(`${name}:(.*)\\r\\n`).exec(srv.call(['INFO', 'replication']).value as string)?.[1]
  const load = (srv: ReturnType<typeof createServer>, file: Uint8Array) =>
    (srv as typeof srv & { loadRdbFile(rdb: string): boolean }).loadRdbFile(
      String.fromCharCode(...file),
    )

  it('a master restarted from its file keeps its history as replid2, with a backlog', () => {
    const { srv, files } = withDisk()
    const replica = srv.createClient()
    srv.call(['SYNC'], replica)
    srv.call(['SET', 'k', 'v'])
    srv.call(['SAVE'])
    const replid = field(srv, 'master_replid')
    const offset = Number(field(srv, 'master_repl_offset'))
    expect(offset).toBeGreaterThan(0)
    const file = files[0] as Uint8Array
    expect(String.fromCharCode(...file)).toContain(`repl-id(${replid ?? ''}`)
    const restarted = createServer({ seed: 2, clock: manualClock(T0), trace: 'off' })
    expect(field(restarted, 'repl_backlog_active')).toBe('0')
    expect(load(restarted, file)).toBe(true)
    expect(field(restarted, 'master_replid')).not.toBe(replid)
    expect(field(restarted, 'master_replid2')).toBe(replid)
    expect(field(restarted, 'second_repl_offset')).toBe(String(offset + 1))
    expect(field(restarted, 'master_repl_offset')).toBe(String(offset))
    expect(field(restarted, 'repl_backlog_active')).toBe('1')
    expect(field(restarted, 'repl_backlog_first_byte_offset')).toBe(String(offset + 1))
  })

  it('a master restarted from its file puts the DELs of the keys that expired in its backlog', () => {
    const { srv, files } = withDisk()
    srv.call(['SYNC'], srv.createClient())
    srv.call(['SET', 'gone', 'v', 'PX', '10'])
    srv.call(['SET', 'kept', 'v'])
    srv.call(['SAVE'])
    const offset = Number(field(srv, 'master_repl_offset'))
    const restarted = createServer({ seed: 2, clock: manualClock(T0 + 1000), trace: 'off' })
    expect(load(restarted, files[0] as Uint8Array)).toBe(true)
    const del = cmds(['SELECT', '0'], ['DEL', 'gone'])
    expect(field(restarted, 'master_repl_offset')).toBe(String(offset + del.length))
    expect(field(restarted, 'repl_backlog_first_byte_offset')).toBe(String(offset + 1))
    expect(field(restarted, 'repl_backlog_histlen')).toBe(String(del.length))
    expect(restarted.call(['DBSIZE'])).toEqual({ type: 'integer', value: 1 })
  })

  it('a file saved without a backlog keeps none, and a replica restarted from one PSYNCs from it', () => {
    const { srv, files } = withDisk()
    srv.call(['SET', 'k', 'v'])
    srv.call(['SAVE'])
    expect(String.fromCharCode(...(files[0] as Uint8Array))).not.toContain('repl-id')
    const master = withDisk()
    master.srv.call(['SYNC'], master.srv.createClient())
    master.srv.call(['SET', 'k', 'v'])
    master.srv.call(['SAVE'])
    const replica = createServer({
      seed: 3,
      clock: manualClock(T0),
      trace: 'off',
      config: { replicaof: '127.0.0.1 1' },
    })
    expect(load(replica, master.files[0] as Uint8Array)).toBe(true)
    expect(field(replica, 'master_replid')).toBe(field(master.srv, 'master_replid'))
    expect(field(replica, 'slave_repl_offset')).toBe(field(master.srv, 'master_repl_offset'))
  })
})
