/**
 * The append-only files of `npm run serve`, against redis-server 7.0.15 doing the same in a
 * dir of its own: the multi-part AOF created at startup (BASE, INCR, manifest), the bytes
 * every write appends, the load at restart, BGREWRITEAOF, CONFIG SET appendonly, and the log
 * lines and exits of bad manifests and cut files.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startRealRedis, type RealRedis } from '../conformance/redisProcess.ts'
import { connectRaw, type RawClient } from './rawClient.ts'
import { infoField as info, logLines, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()
const reals: RealRedis[] = []
const realClients: RawClient[] = []

afterAll(async () => {
  stop()
  for (const c of realClients) c.close()
  for (const r of reals) await r.stop()
})

/** Writes whose propagation is deterministic (no relative TTL, no random pick). */
const WRITES: readonly (readonly string[])[] = [
  ['SET', 'foo', 'bar'],
  ['SET', 'k', 'v', 'PXAT', '4102444800000'],
  ['SET', 'k2', 'v', 'GET'],
  ['GETSET', 'foo', 'baz'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['GETEX', 'k', 'PXAT', '4102444800001'],
  ['GETEX', 'k', 'PERSIST'],
  ['GETDEL', 'k2'],
  ['SELECT', '2'],
  ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
  ['BLPOP', 'l', '0'],
  ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', '2'],
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '5'],
  // PUBLISH goes to the replicas only (forceCommandPropagation(c, PROPAGATE_REPL)).
  ['PUBLISH', 'ch', 'alone'],
  ['MULTI'],
  ['INCR', 'n'],
  ['PUBLISH', 'ch', 'queued'],
  ['PEXPIREAT', 'n', '4102444800000'],
  ['EXEC'],
  ['SADD', 'p', 'x'],
  ['SPOP', 'p'],
  ['SADD', 'q', '1', '2'],
  ['SPOP', 'q', '5'],
  ['XADD', 'x', '1-1', 'a', 'b'],
  ['XADD', 'x', '2-*', 'a', 'b'],
  ['XADD', 'x', 'MAXLEN', '~', '1', '3-1', 'a', 'b'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'x', '>'],
  ['SELECT', '0'],
  ['FLUSHDB'],
]

const DIGEST = ['DEBUG', 'DIGEST'] as const

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'xray-aof-'))
}

/** redis-server with `dir` as its dir (and its log in dir/redis.log), once ready. */
async function real(dir: string, ...args: string[]): Promise<RawClient> {
  const r = await startRealRedis([
    '--dir',
    dir,
    '--logfile',
    join(dir, 'redis.log'),
    '--enable-debug-command',
    'yes',
    ...args,
  ])
  reals.push(r)
  const c = await connectRaw(r.socket)
  realClients.push(c)
  // redis-server answers INFO (the readiness check) while it still loads its files.
  while ((await info(c, 'loading')) !== '0') await new Promise((res) => setTimeout(res, 20))
  return c
}

/** Ours in `dir`, once ready. */
async function ours(dir: string, ...args: string[]) {
  const s = await serve(dir, '--save', '', '--enable-debug-command', 'yes', ...args)
  return { s, c: await client(s.port) }
}

/**
 * The log's lines after the last start's "Server initialized", pids and times left out, with
 * neither the system warnings nor redis-server's unix socket line (ours has no socket here).
 */
function afterInit(log: string): string[] {
  const lines = logLines(log).map((l) => l.replace(/\b(pid|child) \d+/g, '$1 N'))
  return lines
    .slice(lines.lastIndexOf('# Server initialized') + 1)
    .filter((l) => !l.startsWith('# WARNING') && !l.includes('ready to accept connections at'))
}

/** The lines that say something of the AOF, durations replaced by X. */
function aofLog(log: string): string[] {
  return afterInit(log)
    .filter((l) => /AOF|append only|incr file|base file|manifest|Background/i.test(l))
    .map((l) => l.replace(/\d+\.\d{3} seconds/, 'X seconds').replace(/-\d+\.aof/, '-N.aof'))
}

function aofDir(dir: string): string {
  return join(dir, 'appendonlydir')
}

function file(dir: string, name: string): string {
  return readFileSync(join(aofDir(dir), name), 'latin1')
}

async function waitRewrite(c: RawClient): Promise<void> {
  for (let i = 0; i < 500; i++) {
    // One INFO for both fields: read apart, cron could start a scheduled rewrite between
    // them (in progress 0, then scheduled 0) and the wait ended with the rewrite running.
    const raw = (await c.command('INFO', 'persistence')).raw
    if (
      raw.includes('\r\naof_rewrite_in_progress:0\r\n') &&
      raw.includes('\r\naof_rewrite_scheduled:0\r\n')
    )
      return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('the rewrite did not end')
}

const INFO_FIELDS = [
  'aof_enabled',
  'aof_rewrite_in_progress',
  'aof_rewrite_scheduled',
  'aof_last_bgrewrite_status',
  'aof_rewrites',
  'aof_last_write_status',
  'aof_current_size',
  'aof_base_size',
  'aof_pending_rewrite',
  'aof_buffer_length',
]

async function infoAof(c: RawClient): Promise<string[]> {
  const out: string[] = []
  for (const f of INFO_FIELDS) out.push(`${f}:${await info(c, f)}`)
  return out
}

describe(
  'npm run serve keeps a multi-part AOF as redis-server 7.0.15',
  { timeout: 180_000 },
  () => {
    it('creates BASE, INCR and manifest at startup and appends the same bytes per write', async () => {
      const dirs = { real: tempDir(), ours: tempDir() }
      const r = await real(dirs.real, '--appendonly', 'yes')
      const { s, c } = await ours(dirs.ours, '--appendonly', 'yes')
      for (const argv of WRITES) {
        expect((await c.command(...argv)).raw).toBe((await r.command(...argv)).raw)
      }
      const names = ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof']
      for (const d of Object.values(dirs))
        expect(readdirSync(aofDir(d)).sort()).toEqual([...names, 'appendonly.aof.manifest'])
      expect(file(dirs.ours, 'appendonly.aof.manifest')).toBe(
        'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
      )
      expect(file(dirs.ours, 'appendonly.aof.manifest')).toBe(
        file(dirs.real, 'appendonly.aof.manifest'),
      )
      // SET PXAT, GETEX as PEXPIREAT / PERSIST, GETDEL as DEL, INCRBYFLOAT as SET KEEPTTL,
      // BLPOP as LPOP, LMPOP as RPOP count, ZMPOP as ZPOPMIN count, MULTI/EXEC, SELECT.
      expect(file(dirs.ours, names[1] ?? '')).toBe(file(dirs.real, names[1] ?? ''))
      // The empty dataset's RDB BASE: the same size (its ctime and used-mem differ).
      expect(statSync(join(aofDir(dirs.ours), names[0] ?? '')).size).toBe(
        statSync(join(aofDir(dirs.real), names[0] ?? '')).size,
      )
      expect(await infoAof(c)).toEqual(await infoAof(r))
      // A relative TTL (RESTORE, SETEX) is written as an absolute one.
      const before = file(dirs.ours, names[1] ?? '').length
      await c.command('SET', 'd', 'v')
      const payload = String((await c.command('DUMP', 'd')).reply.value)
      await c.command('RESTORE', 'r', '100000', payload)
      await c.command('SETEX', 's', '100', 'v')
      // SPOP with a count pops random members: one SREM each.
      await c.command('SADD', 'rs', 'a', 'b', 'c', 'd', 'e', 'f', 'g')
      await c.command('SPOP', 'rs', '2')
      // XREADGROUP propagates each delivery as an XCLAIM.
      await c.command('SELECT', '2')
      await c.command('XADD', 'x', '4-1', 'a', 'b')
      await c.command('XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 'x', '>')
      expect(file(dirs.ours, names[1] ?? '').slice(before)).toMatch(
        /RESTORE\r\n\$1\r\nr\r\n\$13\r\n\d{13}\r\n[^]*\r\n\$6\r\nABSTTL\r\n\*5\r\n\$3\r\nSET\r\n\$1\r\ns\r\n\$1\r\nv\r\n\$4\r\nPXAT\r\n\$13\r\n\d{13}\r\n[^]*(\*3\r\n\$4\r\nSREM\r\n\$2\r\nrs\r\n\$1\r\n[a-g]\r\n){2}[^]*XCLAIM\r\n\$1\r\nx\r\n\$1\r\ng\r\n\$1\r\nd\r\n\$1\r\n0\r\n\$3\r\n4-1\r\n\$4\r\nTIME\r\n\$13\r\n\d{13}\r\n\$10\r\nRETRYCOUNT\r\n\$1\r\n1\r\n\$5\r\nFORCE\r\n\$6\r\nJUSTID\r\n\$6\r\nLASTID\r\n\$3\r\n4-1\r\n$/,
      )
      expect(aofLog(s.log())).toEqual(aofLog(readFileSync(join(dirs.real, 'redis.log'), 'utf8')))
      expect(aofLog(s.log())).toEqual([
        '* Creating AOF base file appendonly.aof.1.base.rdb on server start',
        '* Creating AOF incr file appendonly.aof.1.incr.aof on server start',
      ])
    })

    /** A server in `dir` (redis-server or ours), its client, log and stop. */
    async function node(
      who: 'real' | 'ours',
      dir: string,
      ...args: string[]
    ): Promise<{
      c: RawClient
      log: () => string
      shutdown: () => Promise<void>
      connect: () => Promise<RawClient>
    }> {
      if (who === 'real') {
        const c = await real(dir, ...args)
        const r = reals[reals.length - 1]
        return {
          c,
          connect: async () => {
            const o = await connectRaw(r?.socket ?? '')
            realClients.push(o)
            return o
          },
          log: () => readFileSync(join(dir, 'redis.log'), 'utf8'),
          shutdown: async () => {
            c.sendCommand(['SHUTDOWN', 'NOSAVE'])
            await r?.stop()
          },
        }
      }
      const { s, c } = await ours(dir, ...args)
      return {
        c,
        connect: () => client(s.port),
        log: s.log,
        shutdown: async () => {
          c.sendCommand(['SHUTDOWN', 'NOSAVE'])
          await s.exited
        },
      }
    }

    it('loads the files back at restart, and BGREWRITEAOF makes a new BASE and INCR', async () => {
      const digests: string[] = []
      const logs: string[][] = []
      for (const who of ['real', 'ours'] as const) {
        const dir = tempDir()
        const first = await node(who, dir, '--appendonly', 'yes')
        for (const argv of WRITES.slice(0, -1)) await first.c.command(...argv)
        const digest = String((await first.c.command(...DIGEST)).reply.value)
        await first.shutdown()
        const { c, log } = await node(who, dir, '--appendonly', 'yes')
        expect(String((await c.command(...DIGEST)).reply.value)).toBe(digest)
        digests.push(digest)
        // The rewrite: a new BASE (2) and INCR (2), the old ones history, then deleted.
        expect((await c.command('BGREWRITEAOF')).raw).toBe(
          '+Background append only file rewriting started\r\n',
        )
        await waitRewrite(c)
        expect((await c.command('SET', 'after', 'rewrite')).raw).toBe('+OK\r\n')
        expect(file(dir, 'appendonly.aof.manifest')).toBe(
          'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
        )
        expect(readdirSync(aofDir(dir)).sort()).toEqual([
          'appendonly.aof.2.base.rdb',
          'appendonly.aof.2.incr.aof',
          'appendonly.aof.manifest',
        ])
        expect(file(dir, 'appendonly.aof.2.incr.aof')).toBe(
          '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$7\r\nrewrite\r\n',
        )
        expect(await info(c, 'aof_rewrites')).toBe('1')
        expect(await info(c, 'aof_last_bgrewrite_status')).toBe('ok')
        // DEBUG LOADAOF reads the new files back.
        const d1 = String((await c.command(...DIGEST)).reply.value)
        expect((await c.command('DEBUG', 'LOADAOF')).raw).toBe('+OK\r\n')
        expect(String((await c.command(...DIGEST)).reply.value)).toBe(d1)
        logs.push(aofLog(log()).filter((l) => !l.startsWith('* Fork CoW')))
      }
      expect(digests[1]).toBe(digests[0])
      expect(logs[1]).toEqual(logs[0])
      expect(logs[1]).toContain('* DB loaded from incr file appendonly.aof.1.incr.aof: X seconds')
      expect(logs[1]).toContain(
        '* Removing the history file appendonly.aof.1.incr.aof in the background',
      )
    })

    it('CONFIG SET appendonly yes rewrites first, then appends; no turns it off', async () => {
      const dirs = { real: tempDir(), ours: tempDir() }
      const r = await real(dirs.real)
      const { c } = await ours(dirs.ours)
      for (const x of [r, c]) {
        await x.command('SET', 'a', '1')
        expect((await x.command('CONFIG', 'SET', 'appendonly', 'yes')).raw).toBe('+OK\r\n')
        expect(await info(x, 'aof_enabled')).toBe('1')
        await waitRewrite(x)
        await x.command('SET', 'b', '2')
      }
      for (const name of ['appendonly.aof.manifest', 'appendonly.aof.1.incr.aof'])
        expect(file(dirs.ours, name)).toBe(file(dirs.real, name))
      expect(await infoAof(c)).toEqual(await infoAof(r))
      for (const x of [r, c]) {
        expect((await x.command('CONFIG', 'SET', 'appendonly', 'no')).raw).toBe('+OK\r\n')
        await x.command('SET', 'c', '3')
      }
      expect(file(dirs.ours, 'appendonly.aof.1.incr.aof')).toBe(
        file(dirs.real, 'appendonly.aof.1.incr.aof'),
      )
      expect(await info(c, 'aof_enabled')).toBe('0')
    })

    /** A temp dir with `files` in its appendonlydir. */
    function prepared(files: Record<string, string>): string {
      const d = tempDir()
      mkdirSync(aofDir(d))
      for (const [name, text] of Object.entries(files))
        writeFileSync(join(aofDir(d), name), text, 'latin1')
      return d
    }

    /** The log after "Server initialized", without the system warnings. */
    function tail(log: string): string[] {
      return afterInit(log)
        .filter((l) => !l.startsWith('# WARNING'))
        .map((l) => l.replace(/\d+\.\d{3} seconds/, 'X seconds'))
    }

    /** Each server started on `files` and exiting: its status and log. */
    async function exitOn(
      files: Record<string, string>,
    ): Promise<{ real: [number | null, string[]]; ours: [number | null, string[]] }> {
      const rd = prepared(files)
      const port = await freePort()
      const rr = spawnSync(
        'redis-server',
        ['--port', String(port), '--dir', rd, '--logfile', join(rd, 'redis.log')].concat([
          '--save',
          '',
          '--appendonly',
          'yes',
        ]),
        { timeout: 10_000 },
      )
      const od = prepared(files)
      const s = await serve(od, '--save', '', '--appendonly', 'yes')
      const code = await s.exited
      return {
        real: [rr.status, tail(readFileSync(join(rd, 'redis.log'), 'utf8'))],
        ours: [code, tail(s.log())],
      }
    }

    it('exits as redis-server does on a bad manifest, with the same lines', async () => {
      const incr = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n'
      const cases: Record<string, string>[] = [
        { 'appendonly.aof.manifest': '' },
        { 'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n\n' },
        { 'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type x\n' },
        { 'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1\n' },
        { 'appendonly.aof.manifest': 'file a seq 1 type b\nfile b seq 2 type b\n' },
        {
          'appendonly.aof.manifest':
            'file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
        },
        { 'appendonly.aof.manifest': `file ${'x'.repeat(1100)} seq 1 type i\n` },
        { 'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n' },
        {
          'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n',
          'appendonly.aof.1.incr.aof': `${incr}!!!${incr}`,
        },
      ]
      for (const files of cases) {
        const { real: r, ours: o } = await exitOn(files)
        expect(r[0]).toBe(1)
        expect(o).toEqual(r)
      }
    })

    it('loads a cut INCR file with aof-load-truncated yes, and truncates it as redis-server', async () => {
      const set = (k: string) => `*3\r\n$3\r\nSET\r\n$1\r\n${k}\r\n$1\r\nv\r\n`
      const files = {
        'appendonly.aof.manifest': 'file appendonly.aof.1.incr.aof seq 1 type i\n',
        'appendonly.aof.1.incr.aof': `${set('a')}*1\r\n$5\r\nMULTI\r\n${set('b')}`,
      }
      const out: string[][] = []
      const sizes: number[] = []
      for (const who of ['real', 'ours'] as const) {
        const dir = prepared(files)
        const n = await node(who, dir, '--appendonly', 'yes')
        expect((await n.c.command('MGET', 'a', 'b')).raw).toBe('*2\r\n$1\r\nv\r\n$-1\r\n')
        out.push(tail(n.log()))
        sizes.push(statSync(join(aofDir(dir), 'appendonly.aof.1.incr.aof')).size)
      }
      expect(out[1]).toEqual(out[0])
      expect(sizes).toEqual([set('a').length, set('a').length])
    })

    it('schedules BGREWRITEAOF behind a BGSAVE and refuses a second one, as redis-server', async () => {
      const out: string[][] = []
      for (const who of ['real', 'ours'] as const) {
        const { c } = await node(who, tempDir(), '--appendonly', 'yes')
        const replies: string[] = []
        const run = async (...argv: string[]) => replies.push((await c.command(...argv)).raw)
        await run('SET', 'k', 'v')
        await run('CONFIG', 'SET', 'rdb-key-save-delay', '1000000')
        await run('BGSAVE')
        await run('BGREWRITEAOF')
        replies.push(await info(c, 'aof_rewrite_scheduled'))
        replies.push(await info(c, 'aof_pending_rewrite'))
        await run('CONFIG', 'SET', 'rdb-key-save-delay', '0')
        // The saving child gets SIGUSR1 from FLUSHALL, then cron starts the scheduled rewrite.
        await run('FLUSHALL')
        await waitRewrite(c)
        replies.push(await info(c, 'aof_rewrites'))
        await run('SET', 'k', 'v')
        await run('CONFIG', 'SET', 'rdb-key-save-delay', '1000000')
        await run('BGREWRITEAOF')
        await run('BGREWRITEAOF')
        await run('BGSAVE')
        replies.push(await info(c, 'aof_rewrite_in_progress'))
        await run('CONFIG', 'SET', 'appendonly', 'no')
        replies.push(await info(c, 'aof_rewrite_in_progress'))
        replies.push(await info(c, 'aof_enabled'))
        out.push(replies)
      }
      expect(out[1]).toEqual(out[0])
      expect(out[1]).toContain('-ERR Background append only file rewriting already in progress\r\n')
    })

    it('moves an old-style appendonly.aof into the AOF dir as redis-server does', async () => {
      const out: unknown[] = []
      for (const who of ['real', 'ours'] as const) {
        const dir = tempDir()
        writeFileSync(join(dir, 'appendonly.aof'), '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n')
        const { c, log } = await node(who, dir, '--appendonly', 'yes')
        out.push([
          (await c.command('GET', 'a')).raw,
          readdirSync(dir).filter((f) => f.startsWith('append')),
          readdirSync(aofDir(dir)).sort(),
          file(dir, 'appendonly.aof.manifest'),
          aofLog(log()),
        ])
      }
      expect(out[1]).toEqual(out[0])
      expect(out[1]).toContainEqual(
        ['file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n'][0],
      )
    })

    it('writes a BASE of commands with aof-use-rdb-preamble no, the same bytes as redis-server', async () => {
      // One key per db: the order of the keys in a db follows each process's hash seed.
      const fill: string[][] = [
        ['SET', 's', 'v'],
        ['RPUSH', 'l', 'a', '1', 'b'],
        ['SADD', 'i', '3', '1', '2'],
        ['ZADD', 'z', '1.5', 'a', '-2', 'b'],
        ['HSET', 'h', 'f', 'v', 'g', '12'],
        ['SET', 'e', 'v', 'PXAT', '4102444800000'],
      ]
      const bases: string[] = []
      for (const who of ['real', 'ours'] as const) {
        const dir = tempDir()
        const { c } = await node(who, dir, '--appendonly', 'yes', '--aof-use-rdb-preamble', 'no')
        for (const [db, argv] of fill.entries()) {
          await c.command('SELECT', String(db))
          await c.command(...argv)
        }
        // A stream: its entries, last ID and counters, groups and a consumer.
        await c.command('SELECT', '9')
        await c.command('XADD', 'st', '1-1', 'a', 'b')
        await c.command('XADD', 'st', '2-1', 'c', 'd')
        await c.command('XDEL', 'st', '1-1')
        await c.command('XGROUP', 'CREATE', 'st', 'g', '0')
        await c.command('XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'st', '>')
        await c.command('XGROUP', 'CREATE', 'st', 'g2', '$')
        await c.command('BGREWRITEAOF')
        await waitRewrite(c)
        bases.push(file(dir, 'appendonly.aof.2.base.aof'))
      }
      expect(bases[1]).toBe(bases[0])
      expect(bases[1]).toContain('$6\r\nXSETID\r\n$2\r\nst\r\n$3\r\n2-1\r\n')
      expect(bases[1]).toContain('*3\r\n$9\r\nPEXPIREAT\r\n$1\r\ne\r\n$13\r\n4102444800000\r\n')
    })

    it('replays a trimmed XADD exactly (MAXLEN ~ n LIMIT m as MAXLEN = len)', async () => {
      const out: string[][] = []
      for (const who of ['real', 'ours'] as const) {
        const { c } = await node(
          who,
          tempDir(),
          ...['--appendonly', 'yes', '--stream-node-max-entries', '10'],
        )
        for (let j = 1; j <= 100; j++) await c.command('XADD', 'x', `${String(j)}-1`, 'f', 'v')
        const replies = [
          (await c.command('XADD', 'x', 'MAXLEN', '~', '55', 'LIMIT', '30', '*', 'f', 'v')).raw,
        ]
        replies.push((await c.command('XLEN', 'x')).raw)
        await c.command('CONFIG', 'SET', 'stream-node-max-entries', '1')
        replies.push((await c.command('DEBUG', 'LOADAOF')).raw)
        replies.push((await c.command('XLEN', 'x')).raw)
        out.push(replies.slice(1))
      }
      expect(out[1]).toEqual(out[0])
      expect(out[1]).toEqual([':71\r\n', '+OK\r\n', ':71\r\n'])
    })

    it('propagates claims, served blocked pops, SPOP, RESTORE, GEOADD and HINCRBYFLOAT as redis-server', async () => {
      // Times (13 digits: delivery times, generated IDs, absolute TTLs) and the members SPOP
      // picks at random are left out of the comparison; everything else is byte for byte.
      const norm = (aof: string) =>
        aof.replace(/\d{13}/g, 'T').replace(/(SREM\r\n\$2\r\nrs\r\n\$1\r\n)[a-g]/g, '$1M')
      const files: string[] = []
      for (const who of ['real', 'ours'] as const) {
        const dir = tempDir()
        const n = await node(who, dir, '--appendonly', 'yes')
        const c = n.c
        const run = async (...argv: string[]) => (await c.command(...argv)).raw
        // Each waiter blocks on its own key, then a push serves it.
        const served = async (argv: string[], ...push: string[]) => {
          const w = await n.connect()
          w.sendCommand(argv)
          for (let i = 0; i < 500; i++) {
            const clients = (await c.command('INFO', 'clients')).raw
            if (/blocked_clients:1\r\n/.test(clients)) break
            await new Promise((r) => setTimeout(r, 10))
          }
          await run(...push)
          await w.next()
        }
        await run('XADD', 'x', '1-1', 'a', 'b')
        await run('XADD', 'x', '2-1', 'a', 'b')
        await run('XADD', 'x', '3-1', 'a', 'b')
        await run('XGROUP', 'CREATE', 'x', 'g', '0')
        await run('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>')
        await run('XDEL', 'x', '2-1')
        // XCLAIM: one XCLAIM per claim with the ID as typed, deleted entries included;
        // LASTID with nothing claimed as XGROUP SETID.
        await run('XCLAIM', 'x', 'g', 'c2', '0', '1', '0002-1', 'LASTID', '9-9')
        await run('XCLAIM', 'x', 'g', 'c2', '0', '5-5', 'LASTID', '11-0')
        await run('XCLAIM', 'x', 'g', 'c4', '0', '1-1', '3-1', 'FORCE', 'TIME', '1000')
        await run('XAUTOCLAIM', 'x', 'g', 'c3', '0', '0', 'COUNT', '1')
        await run('XAUTOCLAIM', 'x', 'g', 'c3', '0', '0', 'JUSTID')
        await served(
          ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'x', '>'],
          'XADD',
          'x',
          '*',
          'a',
          'b',
        )
        // A served BLMOVE propagates its directions in lower case (shared.left/right).
        await served(['BLMOVE', 'l', 'l2', 'RIGHT', 'LEFT', '0'], 'RPUSH', 'l', 'a', 'b')
        await served(['BRPOPLPUSH', 'l3', 'l2', '0'], 'RPUSH', 'l3', 'a')
        await served(['BLMPOP', '0', '1', 'l4', 'LEFT', 'COUNT', '5'], 'RPUSH', 'l4', 'a', 'b')
        await served(['BZPOPMAX', 'z', '0'], 'ZADD', 'z', '1', 'a', '2', 'b')
        await served(['BZMPOP', '0', '1', 'z2', 'MIN', 'COUNT', '5'], 'ZADD', 'z2', '1', 'a')
        await run('SADD', 'rs', 'a', 'b', 'c', 'd', 'e', 'f', 'g')
        await run('SPOP', 'rs', '3')
        await run('SPOP', 'rs', '1')
        await run('SPOP', 'rs', '5')
        await run('SET', 'd', 'v')
        const payload = String((await c.command('DUMP', 'd')).reply.value)
        await run('RESTORE', 'r', '100000', payload)
        await run('RESTORE', 'r', '1', payload, 'REPLACE', 'ABSTTL')
        await run(
          'GEOADD',
          'geo',
          '13.361389',
          '38.115556',
          'Palermo',
          '15.087269',
          '37.502669',
          'Catania',
        )
        await run('GEOADD', 'geo', 'NX', 'CH', '13.361389', '38.115556', 'Palermo', '1', '1', 'x')
        await run('HINCRBYFLOAT', 'h', 'f', '1.5')
        await run('HINCRBYFLOAT', 'h', 'f', '1e3')
        files.push(norm(file(dir, 'appendonly.aof.1.incr.aof')))
      }
      expect(files[1]).toBe(files[0])
      expect(files[1]).toContain('$5\r\nright\r\n$4\r\nleft\r\n')
      expect(files[1]).toContain('$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$6\r\n1001.5\r\n')
      expect(files[1]).toContain('$4\r\nzadd\r\n$3\r\ngeo\r\n')
      expect(files[1]).toContain('$6\r\n0002-1\r\n')
    })

    it('annotates writes with #TS:<unixtime> under aof-timestamp-enabled', async () => {
      const dir = tempDir()
      const { c } = await ours(dir, '--appendonly', 'yes', '--aof-timestamp-enabled', 'yes')
      await c.command('SET', 'a', '1')
      expect(file(dir, 'appendonly.aof.1.incr.aof')).toMatch(
        /^#TS:\d{10}\r\n\*2\r\n\$6\r\nSELECT\r\n/,
      )
    })
  },
)
