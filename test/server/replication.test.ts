/**
 * Replication between servers (replication.c): one of ours replicating from another of ours,
 * and from a real redis-server 7.0.15, and a real one replicating from ours. Each server
 * listens on loopback; the replica's engine asks its host for the link to the master.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import net from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createRdbDisk } from '../../src/server/rdbDisk.ts'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { freePort } from '../conformance/redisProcess.ts'
import { connectRaw, type RawClient } from './rawClient.ts'

const handles: RespServerHandle[] = []
const clients: RawClient[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  for (const h of handles.splice(0)) await h.close()
})

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
})

/** One of our servers on a free port, its `port` config saying so (REPLCONF listening-port). */
async function ours(
  config: Record<string, string> = {},
  log?: string[],
): Promise<RespServerHandle> {
  const port = await freePort()
  const h = await startRespServer({
    port,
    // A seed of its own: servers of one seed draw the same replication IDs.
    seed: handles.length + 1,
    enableDebugCommand: 'yes',
    config: { port: String(port), 'repl-diskless-sync-delay': '0', ...config },
    ...(log === undefined ? {} : { log: (m: string) => log.push(m) }),
  })
  handles.push(h)
  return h
}

async function client(port: number): Promise<RawClient> {
  const c = await connectRaw(port)
  clients.push(c)
  return c
}

/** The reply's value as the test reads it: text, number, null, or nested arrays. */
type Plain = string | number | bigint | null | Plain[]
async function cmd(c: RawClient, ...argv: string[]): Promise<Plain> {
  const { reply } = await c.command(...argv)
  const plain = (r: typeof reply): Plain =>
    r.type === 'array'
      ? r.value === null
        ? null
        : r.value.map(plain)
      : r.type === 'integer'
        ? r.value
        : r.type === 'bulk'
          ? r.value
          : r.type === 'error'
            ? `ERR:${r.value}`
            : (r as { value: string }).value
  return plain(reply)
}

/** A field of INFO replication (or of another section). */
async function info(
  c: RawClient,
  field: string,
  section = 'replication',
): Promise<string | undefined> {
  const text = (await cmd(c, 'INFO', section)) as string
  return new RegExp(`^${field}:(.*)\\r$`, 'm').exec(text)?.[1]
}

/** A field of INFO stats. */
const stat = (c: RawClient, field: string) => info(c, field, 'stats')

/** Polls until `check` is true (the link is asynchronous); fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const linkUp = (c: RawClient) => async () => (await info(c, 'master_link_status')) === 'up'

/** A master and a replica of it with the link up, and a client of each. */
async function pair(): Promise<{ m: RawClient; r: RawClient }> {
  const master = await ours()
  const replica = await ours()
  const m = await client(master.port)
  const r = await client(replica.port)
  await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))
  await until(linkUp(r))
  return { m, r }
}

describe('replication between two of our servers', () => {
  it('syncs the dataset, then streams the writes; the replica is read-only', async () => {
    const master = await ours()
    const replica = await ours()
    const m = await client(master.port)
    const r = await client(replica.port)
    await cmd(m, 'SET', 'before', 'sync')
    await cmd(m, 'SELECT', '3')
    await cmd(m, 'RPUSH', 'list', 'a', 'b')
    expect(await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK')
    await until(linkUp(r))
    expect(await cmd(r, 'GET', 'before')).toBe('sync')
    await cmd(m, 'INCR', 'counter')
    await cmd(m, 'INCR', 'counter')
    await cmd(m, 'SELECT', '0')
    await cmd(m, 'SET', 'after', 'streamed')
    await until(async () => (await cmd(r, 'GET', 'after')) === 'streamed')
    expect(await cmd(r, 'GET', 'counter')).toBe(null)
    await cmd(r, 'SELECT', '3')
    expect(await cmd(r, 'GET', 'counter')).toBe('2')
    expect(await cmd(r, 'LRANGE', 'list', '0', '-1')).toEqual(['a', 'b'])
    expect(await cmd(r, 'SET', 'x', 'y')).toBe(
      "ERR:READONLY You can't write against a read only replica.",
    )
    // ROLE on both sides, once the replica has acknowledged the master's offset.
    await until(async () => {
      const role = (await cmd(m, 'ROLE')) as Plain[]
      const replicas = role[2] as Plain[][]
      return replicas.length === 1 && replicas[0]?.[2] === String(role[1])
    })
    const role = (await cmd(m, 'ROLE')) as Plain[]
    expect(role[0]).toBe('master')
    expect((role[2] as Plain[][])[0]?.slice(0, 2)).toEqual(['127.0.0.1', String(replica.port)])
    const rrole = (await cmd(r, 'ROLE')) as Plain[]
    expect(rrole.slice(0, 4)).toEqual(['slave', '127.0.0.1', master.port, 'connected'])
    expect(rrole[4]).toBe(role[1])
    expect(await info(m, 'connected_slaves')).toBe('1')
    expect(await info(m, 'slave0')).toMatch(
      new RegExp(
        `^ip=127\\.0\\.0\\.1,port=${String(replica.port)},state=online,offset=\\d+,lag=\\d+$`,
      ),
    )
    expect(await info(r, 'slave_repl_offset')).toBe(String(role[1]))
    expect(await info(r, 'master_sync_in_progress')).toBe('0')
    expect(await info(r, 'master_repl_offset')).toBe(String(role[1]))
    expect(await info(r, 'master_replid')).toBe(await info(m, 'master_replid'))
  })

  it('the replica dials its master from bind-source-addr', async () => {
    const master = await ours({ 'protected-mode': 'no' })
    const replica = await ours()
    const m = await client(master.port)
    const r = await client(replica.port)
    expect(await cmd(r, 'CONFIG', 'SET', 'bind-source-addr', '127.0.0.2')).toBe('OK')
    await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))
    await until(linkUp(r))
    // The master sees the replica at the address its link came from.
    expect(await info(m, 'slave0')).toMatch(/^ip=127\.0\.0\.2,/)
  })

  it('WAIT counts the replicas that acknowledged the write', async () => {
    const { m, r } = await pair()
    await cmd(m, 'SET', 'k', 'v')
    expect(await cmd(m, 'WAIT', '1', '5000')).toBe(1)
    // Two replicas asked for, one there: the timeout answers 1.
    await cmd(m, 'SET', 'k', 'w')
    expect(await cmd(m, 'WAIT', '2', '200')).toBe(1)
    expect(await cmd(r, 'WAIT', '1', '0')).toMatch(/^ERR:ERR WAIT cannot be used with replica/)
  })

  it('keys that expired on the master stay on the replica until the DEL comes, read as nil', async () => {
    const { m, r } = await pair()
    expect(await cmd(m, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK')
    expect(await cmd(r, 'CONFIG', 'SET', 'replica-read-only', 'no')).toBe('OK')
    await cmd(m, 'SET', 'short', 'v', 'PX', '100')
    await until(async () => (await cmd(r, 'DBSIZE')) === 1)
    await new Promise((res) => setTimeout(res, 200))
    // Logically expired: nil on the replica, but the key is still there (no DEL yet).
    expect(await cmd(r, 'GET', 'short')).toBe(null)
    expect(await cmd(r, 'DBSIZE')).toBe(1)
    // A writable replica reclaims only the keys its own clients gave a TTL, not the master's.
    await new Promise((res) => setTimeout(res, 300))
    expect(await cmd(r, 'DBSIZE')).toBe(1)
    expect((await cmd(r, 'INFO', 'stats')) as string).toContain('slave_expires_tracked_keys:0\r\n')
    // The master's access expires it and propagates the DEL.
    expect(await cmd(m, 'GET', 'short')).toBe(null)
    await until(async () => (await cmd(r, 'DBSIZE')) === 0)
  })

  it('the link goes down when the master goes away, and comes back with it', async () => {
    const master = await ours()
    const port = master.port
    const replica = await ours()
    const r = await client(replica.port)
    await cmd(r, 'REPLICAOF', '127.0.0.1', String(port))
    await until(linkUp(r))
    await master.close()
    handles.splice(handles.indexOf(master), 1)
    await until(async () => (await info(r, 'master_link_status')) === 'down')
    expect(Number(await info(r, 'master_link_down_since_seconds'))).toBeGreaterThanOrEqual(0)
    expect(await info(r, 'master_last_io_seconds_ago')).toBe('-1')
    const again = await startRespServer({
      port,
      config: { port: String(port), 'repl-diskless-sync-delay': '0' },
    })
    handles.push(again)
    const m = await client(port)
    await cmd(m, 'SET', 'new', 'master')
    await until(linkUp(r))
    await until(async () => (await cmd(r, 'GET', 'new')) === 'master')
  })

  it('CLIENT KILL TYPE master: the replica reconnects with a partial resync (+CONTINUE)', async () => {
    const log: string[] = []
    const master = await ours()
    const replica = await ours({ loglevel: 'notice' }, log)
    const m = await client(master.port)
    const r = await client(replica.port)
    await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))
    await until(linkUp(r))
    // In db 3: the stream selects it once, and goes on there after the partial resync.
    await cmd(m, 'SELECT', '3')
    await cmd(r, 'SELECT', '3')
    await cmd(m, 'SET', 'a', '1')
    await until(async () => (await cmd(r, 'GET', 'a')) === '1')
    expect(await cmd(r, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(1)
    await cmd(m, 'SET', 'b', '2')
    await until(linkUp(r))
    await until(async () => (await cmd(r, 'GET', 'b')) === '2')
    const text = log.join('\n')
    expect(text).toContain('Connection with master lost.')
    expect(text).toContain('Caching the disconnected master state.')
    expect(text).toMatch(/Trying a partial resynchronization \(request [0-9a-f]{40}:\d+\)\./)
    expect(text).toContain('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.')
    expect(await cmd(r, 'GET', 'a')).toBe('1')
    expect((await cmd(m, 'INFO', 'stats')) as string).toMatch(/sync_partial_ok:1\r\n/)
  })

  it('authenticates with masterauth (and masteruser); a wrong password keeps the link down', async () => {
    const master = await ours({ requirepass: 'secret' })
    const log: string[] = []
    const replica = await ours({ masterauth: 'wrong', loglevel: 'notice' }, log)
    const r = await client(replica.port)
    await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))
    await until(async () => log.some((l) => l.includes('Unable to AUTH to MASTER: -WRONGPASS')))
    expect(await info(r, 'master_link_status')).toBe('down')
    const m = await client(master.port)
    await cmd(m, 'AUTH', 'secret')
    await cmd(m, 'ACL', 'SETUSER', 'repl', 'on', '>replpass', '+@all', '~*')
    await cmd(r, 'CONFIG', 'SET', 'masteruser', 'repl')
    await cmd(r, 'CONFIG', 'SET', 'masterauth', 'replpass')
    await until(linkUp(r))
    await cmd(m, 'SET', 'k', 'authed')
    await until(async () => (await cmd(r, 'GET', 'k')) === 'authed')
  })

  it('a replica that does not load diskless keeps the payload as its RDB file', async () => {
    const dirs = [
      mkdtempSync(join(tmpdir(), 'xray-repl-')),
      mkdtempSync(join(tmpdir(), 'xray-repl-')),
    ]
    try {
      const master = await ours()
      const m = await client(master.port)
      await cmd(m, 'SET', 'kept', 'on disk')
      const onDisk = await ours({ dir: dirs[0] ?? '', dbfilename: 'replica.rdb' })
      const diskless = await ours({ dir: dirs[1] ?? '', 'repl-diskless-load': 'swapdb' })
      for (const h of [onDisk, diskless]) {
        ;(h.engine as typeof h.engine & { setRdbDisk(d: unknown): void }).setRdbDisk(
          createRdbDisk(() => {}, process.pid),
        )
        const r = await client(h.port)
        await cmd(r, 'REPLICAOF', '127.0.0.1', String(master.port))
        await until(linkUp(r))
      }
      const file = readFileSync(join(dirs[0] ?? '', 'replica.rdb'), 'latin1')
      expect(file.startsWith('REDIS0010')).toBe(true)
      expect(file).toContain('on disk')
      expect(readdirSync(dirs[0] ?? '')).toEqual(['replica.rdb'])
      expect(readdirSync(dirs[1] ?? '')).toEqual([])
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    }
  })

  it("a replica whose master's replication ID changed (+CONTINUE <new id>) drops its own replicas, which PSYNC again", async () => {
    const a = await ours()
    const b = await ours()
    const c = await ours()
    const d = await ours()
    const [ca, cb, cc, cd] = [
      await client(a.port),
      await client(b.port),
      await client(c.port),
      await client(d.port),
    ]
    await cmd(cb, 'REPLICAOF', '127.0.0.1', String(a.port))
    await cmd(cd, 'REPLICAOF', '127.0.0.1', String(a.port))
    await until(linkUp(cb))
    await until(linkUp(cd))
    await cmd(cc, 'REPLICAOF', '127.0.0.1', String(b.port))
    await until(linkUp(cc))
    await cmd(ca, 'SET', 'k', 'v')
    await until(
      async () => (await cmd(cd, 'GET', 'k')) === 'v' && (await cmd(cc, 'GET', 'k')) === 'v',
    )
    // d becomes a master with a history of its own (a's as its replid2), and b follows it.
    await cmd(cd, 'REPLICAOF', 'NO', 'ONE')
    const newId = await info(cd, 'master_replid')
    await cmd(cb, 'REPLICAOF', '127.0.0.1', String(d.port))
    await until(async () => (await info(cb, 'master_replid')) === newId)
    expect(await stat(cd, 'sync_partial_ok')).toBe('1')
    // c hears of the new ID only by syncing again with b: partially, from b's replid2.
    await until(async () => (await info(cc, 'master_replid')) === newId)
    await until(async () => (await stat(cb, 'sync_partial_ok')) === '1')
    await cmd(cd, 'SET', 'k', 'w')
    await until(async () => (await cmd(cc, 'GET', 'k')) === 'w')
  })

  it('a replica of a replica gets the stream through the middle one', async () => {
    const top = await ours()
    const mid = await ours()
    const leaf = await ours()
    const t = await client(top.port)
    const md = await client(mid.port)
    const l = await client(leaf.port)
    await cmd(md, 'REPLICAOF', '127.0.0.1', String(top.port))
    await until(linkUp(md))
    await cmd(l, 'REPLICAOF', '127.0.0.1', String(mid.port))
    await until(linkUp(l))
    await cmd(t, 'HSET', 'h', 'f', 'v')
    await until(async () => (await cmd(l, 'HGET', 'h', 'f')) === 'v')
    expect(await info(l, 'master_replid')).toBe(await info(t, 'master_replid'))
  })
})

/** A field of INFO memory, as a number. */
async function memInfo(c: RawClient, field: string): Promise<number> {
  return Number(await info(c, field, 'memory'))
}

describe('the replication buffer (shared by the backlog and the replicas)', () => {
  it('a replica that stops reading holds the stream: counted as its memory, not for eviction; its output limit closes it', async () => {
    const log: string[] = []
    const master = await ours({ 'repl-backlog-size': '16384' }, log)
    const m = await client(master.port)
    // A replica that syncs, then reads nothing more.
    const stalled = net.connect(master.port, '127.0.0.1')
    await once(stalled, 'connect')
    stalled.write('SYNC\r\n')
    await until(async () => (await info(m, 'connected_slaves')) === '1')
    stalled.pause()
    const value = 'v'.repeat(1 << 20)
    for (let i = 0; i < 24; i++) await cmd(m, 'SET', `k${String(i)}`, value)
    await until(async () => (await memInfo(m, 'mem_clients_slaves')) > 4 << 20)
    const total = await memInfo(m, 'mem_total_replication_buffers')
    // Past repl-backlog-size the buffer is the replica's; eviction does not count it.
    expect(await memInfo(m, 'mem_clients_slaves')).toBe(total - 16384)
    expect(await memInfo(m, 'mem_replication_backlog')).toBe(16384)
    const notCounted = await memInfo(m, 'mem_not_counted_for_evict')
    expect(notCounted).toBeGreaterThan(total - 16384 - 4096)
    expect(notCounted).toBeLessThan(total - 16384)
    const omem = /omem=(\d+)/.exec((await cmd(m, 'CLIENT', 'LIST', 'TYPE', 'replica')) as string)
    expect(Number(omem?.[1])).toBeGreaterThan(4 << 20)
    // Over client-output-buffer-limit (a hard limit) at the next block: closed, logged.
    await cmd(m, 'CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1mb 0 0')
    await cmd(m, 'SET', 'one', 'more'.repeat(8192))
    await until(async () => (await info(m, 'connected_slaves')) === '0')
    expect(
      log.some((l) =>
        /^Client id=\d+ .* flags=S .*scheduled to be closed ASAP for overcoming of output buffer limits\.$/.test(
          l,
        ),
      ),
    ).toBe(true)
    // Only the backlog refers to the buffer now: trimmed back to about its size.
    await until(async () => (await memInfo(m, 'mem_total_replication_buffers')) < 64 * 1024)
    expect(await memInfo(m, 'mem_clients_slaves')).toBe(0)
    expect(Number(await info(m, 'repl_backlog_histlen'))).toBeGreaterThanOrEqual(16384)
    stalled.destroy()
  })
})

/** Whether redis-server 7.0.15 is installed (the conformance oracle). */
const haveRedis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0

async function realRedis(...args: string[]): Promise<number> {
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', '/tmp', ...args],
    { stdio: 'ignore' },
  )
  children.push(child)
  await until(async () => {
    try {
      const c = await connectRaw(port)
      c.close()
      return true
    } catch {
      return false
    }
  })
  return port
}

describe.skipIf(!haveRedis)('replication with a real redis-server', () => {
  it('ours replicates from redis-server (diskless EOF payload), stream and WAIT', async () => {
    const port = await realRedis('--repl-diskless-sync-delay', '0')
    const m = await client(port)
    await cmd(m, 'SET', 'from', 'redis')
    await cmd(m, 'ZADD', 'z', '1', 'a', '2', 'b')
    const replica = await ours()
    const r = await client(replica.port)
    await cmd(r, 'REPLICAOF', '127.0.0.1', String(port))
    await until(linkUp(r))
    expect(await cmd(r, 'GET', 'from')).toBe('redis')
    expect(await cmd(r, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(['a', '1', 'b', '2'])
    await cmd(m, 'LPUSH', 'l', 'x')
    await until(async () => (await cmd(r, 'LLEN', 'l')) === 1)
    expect(await cmd(m, 'WAIT', '1', '5000')).toBe(1)
    await until(
      async () => (await info(r, 'slave_repl_offset')) === (await info(m, 'master_repl_offset')),
    )
    await cmd(m, 'SHUTDOWN', 'NOSAVE').catch(() => null)
    await until(async () => (await info(r, 'master_link_status')) === 'down')
  })

  it('redis-server replicates from ours', async () => {
    const master = await ours()
    const m = await client(master.port)
    await cmd(m, 'SET', 'from', 'ours')
    const port = await realRedis('--replicaof', '127.0.0.1', String(master.port))
    const r = await client(port)
    await until(linkUp(r))
    expect(await cmd(r, 'GET', 'from')).toBe('ours')
    await cmd(m, 'SADD', 's', 'x', 'y')
    await until(async () => (await cmd(r, 'SCARD', 's')) === 2)
    expect(await cmd(m, 'WAIT', '1', '5000')).toBe(1)
    expect(await info(m, 'connected_slaves')).toBe('1')
    await cmd(r, 'SHUTDOWN', 'NOSAVE').catch(() => null)
  })
})
