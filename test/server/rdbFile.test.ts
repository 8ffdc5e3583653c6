/**
 * The RDB file of `npm run serve`, as redis-server 7.0.15 keeps it in `dir`: SAVE, BGSAVE
 * and SHUTDOWN write `dbfilename` there, a restart on the same dir loads it back, and the
 * file is the same format both ways (ours loads in redis-server, redis-server's in ours).
 * Every server here works in its own temporary dir; none writes into the repository.
 */
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startRealRedis } from '../conformance/redisProcess.ts'
import type { RawClient } from './rawClient.ts'
import { infoField as info, logLines, servedProcesses } from './served.ts'

const { children, serve, client, stop } = servedProcesses()

afterAll(stop)

/** Keys of every kind the test saves: strings, a list, a hash, a zset, a key with a TTL. */
const FILL: readonly (readonly string[])[] = [
  ['SET', 'int', '12345'],
  ['SET', 'str', 'hello'],
  ['SET', 'long', 'x'.repeat(100)],
  ['RPUSH', 'list', 'a', 'b', 'c', '1', '2'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['ZADD', 'zset', '1', 'one', '2.5', 'two', '-3', 'three'],
  ['SET', 'ttl', 'soon', 'PX', '500000'],
  ['SADD', 'set', '1', '2', '3'],
]

/** What the test reads back: the same replies on both sides of a restart. */
const READ: readonly (readonly string[])[] = [
  ['DBSIZE'],
  ['GET', 'int'],
  ['OBJECT', 'ENCODING', 'int'],
  ['GET', 'str'],
  ['GET', 'long'],
  ['LRANGE', 'list', '0', '-1'],
  ['HGETALL', 'hash'],
  ['ZRANGE', 'zset', '0', '-1', 'WITHSCORES'],
  ['GET', 'ttl'],
  ['SMEMBERS', 'set'],
  ['OBJECT', 'ENCODING', 'set'],
  ['DEBUG', 'DIGEST'],
]

async function fill(c: RawClient): Promise<void> {
  for (const argv of FILL) expect((await c.command(...argv)).reply.type).not.toBe('error')
}

async function readBack(c: RawClient): Promise<string[]> {
  const out: string[] = []
  for (const argv of READ) out.push((await c.command(...argv)).raw)
  return out
}

/** A temp dir where our server saved FILL (then shut down): the dir and the file's bytes. */
async function savedFill(): Promise<{ dir: string; whole: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
  const ours = await serve(dir, '--save', '')
  const c = await client(ours.port)
  await fill(c)
  expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
  c.sendCommand(['SHUTDOWN', 'NOSAVE'])
  expect(await ours.exited).toBe(0)
  return { dir, whole: readFileSync(join(dir, 'dump.rdb')) }
}

describe('npm run serve keeps its RDB file in dir', { timeout: 180_000 }, () => {
  it('SAVE and SHUTDOWN write it; a restart on the same dir loads every key back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const first = await serve(dir, '--enable-debug-command', 'yes')
    const c = await client(first.port)
    await fill(c)
    const before = await readBack(c)
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true)
    expect(await info(c, 'rdb_changes_since_last_save')).toBe('0')
    expect(await info(c, 'rdb_last_save_time')).toBe(
      String((await c.command('LASTSAVE')).reply.value),
    )
    // A write after SAVE is saved by SHUTDOWN (the default save points are configured).
    expect((await c.command('SET', 'after', 'save')).raw).toBe('+OK\r\n')
    c.sendCommand(['SHUTDOWN'])
    expect(await first.exited).toBe(0)
    expect(logLines(first.log()).slice(-5)).toEqual([
      '* DB saved on disk',
      '# User requested shutdown...',
      '* Saving the final RDB snapshot before exiting.',
      '* DB saved on disk',
      '# Redis is now ready to exit, bye bye...',
    ])
    // No temp file is left behind.
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).toBe('dump.rdb\nserve.log\n')

    const second = await serve(dir, '--enable-debug-command', 'yes')
    const d = await client(second.port)
    expect((await d.command('GET', 'after')).raw).toBe('$4\r\nsave\r\n')
    expect((await d.command('DEL', 'after')).raw).toBe(':1\r\n')
    expect(await readBack(d)).toEqual(before)
    const pttl = Number((await d.command('PTTL', 'ttl')).reply.value)
    expect(pttl).toBeGreaterThan(400_000)
    expect(pttl).toBeLessThanOrEqual(500_000)
    expect(await info(d, 'rdb_last_load_keys_loaded')).toBe('9')
    expect(await info(d, 'rdb_last_load_keys_expired')).toBe('0')
    expect(await info(d, 'loading')).toBe('0')
    const loaded = logLines(second.log())
    expect(loaded).toContain('* Loading RDB produced by version 7.0.15')
    expect(loaded).toContain('* Done loading RDB, keys loaded: 9, keys expired: 0.')
    expect(loaded.some((l) => /^\* DB loaded from disk: \d+\.\d{3} seconds$/.test(l))).toBe(true)
    // Loading comes before the server takes clients.
    expect(loaded.indexOf('* Ready to accept connections')).toBeGreaterThan(
      loaded.indexOf('* Done loading RDB, keys loaded: 9, keys expired: 0.'),
    )
    d.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await second.exited).toBe(0)
  })

  it('DEBUG RELOAD loads the file in dir as it is now, as rdbLoad reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const s = await serve(dir, '--enable-debug-command', 'yes', '--save', '')
    const c = await client(s.port)
    const file = join(dir, 'dump.rdb')
    expect((await c.command('SET', 'a', '1')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    const onlyA = readFileSync(file)
    expect((await c.command('SET', 'b', '2')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    // Another process puts a file there (redis-cli --rdb, a copy): that one is loaded.
    writeFileSync(file, onlyA)
    expect((await c.command('DEBUG', 'RELOAD', 'NOSAVE')).raw).toBe('+OK\r\n')
    expect((await c.command('KEYS', '*')).raw).toBe('*1\r\n$1\r\na\r\n')
    // No file: an error, the dataset already emptied.
    rmSync(file)
    const failed = '-ERR Error trying to load the RDB dump\r\n'
    expect((await c.command('DEBUG', 'RELOAD', 'NOSAVE')).raw).toBe(failed)
    expect((await c.command('DBSIZE')).raw).toBe(':0\r\n')
    // A short file is an error for a client's load (isRestoreContext): the server runs on.
    writeFileSync(file, 'garbage\n')
    expect((await c.command('DEBUG', 'RELOAD', 'NOSAVE')).raw).toBe(failed)
    expect((await c.command('PING')).raw).toBe('+PONG\r\n')
    expect(logLines(s.log()).slice(-1)).toEqual([
      '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
    ])
  })

  it('BGSAVE writes the file when its child ends, and logs as redis-server does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const s = await serve(dir, '--save', '')
    const c = await client(s.port)
    await fill(c)
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    for (let i = 0; i < 200 && (await info(c, 'rdb_bgsave_in_progress')) !== '0'; i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true)
    expect(await info(c, 'rdb_last_bgsave_status')).toBe('ok')
    expect(await info(c, 'rdb_changes_since_last_save')).toBe('0')
    const lines = logLines(s.log())
    const from = lines.findIndex((l) => l.startsWith('* Background saving started by pid '))
    expect(lines.slice(from + 1)).toEqual([
      '* DB saved on disk',
      '* Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      '* Background saving terminated with success',
    ])
    // With no save points SHUTDOWN saves nothing more; NOSAVE never does.
    c.sendCommand(['SHUTDOWN'])
    expect(await s.exited).toBe(0)
    expect(logLines(s.log()).slice(-2)).toEqual([
      '# User requested shutdown...',
      '# Redis is now ready to exit, bye bye...',
    ])
  })

  it('writes a file redis-server 7.0.15 loads, and loads the file redis-server writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const ours = await serve(dir, '--enable-debug-command', 'yes', '--save', '')
    const c = await client(ours.port)
    await fill(c)
    const written = await readBack(c)
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    // Real Redis, started on our file.
    const realDir = mkdtempSync(join(tmpdir(), 'xray-rdb-real-'))
    copyFileSync(join(dir, 'dump.rdb'), join(realDir, 'ours.rdb'))
    const real = await startRealRedis([
      '--dir',
      realDir,
      '--dbfilename',
      'ours.rdb',
      '--enable-debug-command',
      'yes',
    ])
    try {
      const r = await client(real.socket)
      expect(await readBack(r)).toEqual(written)
      // And the file Real Redis writes, loaded by ours.
      expect((await r.command('SET', 'from', 'real')).raw).toBe('+OK\r\n')
      expect((await r.command('SAVE')).raw).toBe('+OK\r\n')
      const fromReal = [...(await readBack(r)), (await r.command('GET', 'from')).raw]
      const theirs = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
      copyFileSync(join(realDir, 'ours.rdb'), join(theirs, 'real.rdb'))
      const second = await serve(
        theirs,
        '--dbfilename',
        'real.rdb',
        '--enable-debug-command',
        'yes',
      )
      const d = await client(second.port)
      expect([...(await readBack(d)), (await d.command('GET', 'from')).raw]).toEqual(fromReal)
      d.sendCommand(['SHUTDOWN', 'NOSAVE'])
      expect(await second.exited).toBe(0)
    } finally {
      await real.stop()
    }
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await ours.exited).toBe(0)
  })

  it('exits with status 1 on a file it cannot load, with the lines redis-server logs', async () => {
    const { dir, whole } = await savedFill()
    const cases: readonly [string, Buffer, readonly unknown[]][] = [
      [
        'truncated',
        whole.subarray(0, whole.length - 20),
        [
          '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
          '# Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
        ],
      ],
      [
        'a bad checksum',
        Buffer.concat([
          whole.subarray(0, whole.length - 1),
          Buffer.from([whole[whole.length - 1]! ^ 1]),
        ]),
        [
          expect.stringMatching(
            /^# Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/,
          ),
          '# Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error',
        ],
      ],
      [
        'not an RDB file',
        Buffer.from('not an rdb file at all\n'),
        [
          '# Wrong signature trying to load DB from file',
          '# Fatal error loading the DB: Invalid argument. Exiting.',
        ],
      ],
    ]
    for (const [, bytes, expected] of cases) {
      writeFileSync(join(dir, 'dump.rdb'), bytes)
      const bad = await serve(dir)
      expect(await bad.exited).toBe(1)
      expect(logLines(bad.log()).slice(-expected.length)).toEqual(expected)
      // redis-server: the same lines, and the same status.
      const real = spawnSync(
        'redis-server',
        ['--port', String(await freePort()), '--dir', dir, '--logfile', 'real.log'],
        { timeout: 20_000 },
      )
      expect(real.status).toBe(1)
      const realLines = logLines(readFileSync(join(dir, 'real.log'), 'utf8'))
      expect(realLines.slice(-expected.length)).toEqual(expected)
    }
  })

  it('on a corrupt value, prints the redis-check-rdb report and terminates as redis-server', async () => {
    const { dir, whole } = await savedFill()
    // The hash's listpack: its total-bytes header (4 bytes before the first entry's "f1"),
    // or the first entry's back-length (a deep check finds it).
    const at = whole.indexOf('f1') - 7
    const header = Buffer.from(whole)
    header[at] = header[at]! + 1
    const backlen = Buffer.from(whole)
    backlen[at + 9] = 5
    /** The process's standard output (the log, logfile ''), without pids, times and npm's lines. */
    const run = async (cmd: string, args: readonly string[]): Promise<string[]> => {
      const port = String(await freePort())
      const out = spawnSync(cmd, [...args, '--port', port, '--dir', dir, '--logfile', ''], {
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(out.status).toBe(1)
      return out.stdout
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('> ') && !l.includes('overcommit'))
        .map((l) => l.replace(/^\d+:([MC]) \d+ [A-Z][a-z]+ \d+ [\d:.]+ /, '$1 '))
        .map((l) => l.replace(/pid=\d+/, 'pid=P').replace(/RDB age \d+/, 'RDB age N'))
        .filter((l) => !/^M \* (monotonic clock|Running mode)/.test(l))
    }
    for (const [bytes, sanitize] of [
      [header, 'no'],
      [backlen, 'yes'],
    ] as const) {
      writeFileSync(join(dir, 'dump.rdb'), bytes)
      const args = ['--sanitize-dump-payload', sanitize]
      const mine = await run('npm', ['run', '--silent', 'serve', '--', ...args])
      expect(mine).toContain('M # Terminating server after rdb file reading failure.')
      expect(mine).toContain('[offset 0] Checking RDB file dump.rdb')
      expect(mine).toEqual(await run('redis-server', args))
    }
  })

  it('serves clients while it loads, answering -LOADING as redis-server does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const first = await serve(dir, '--save', '', '--rdbcompression', 'no')
    const c = await client(first.port)
    for (let i = 0; i < 200; i++)
      expect((await c.command('SET', `key:${String(i)}`, 'v'.repeat(200))).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await first.exited).toBe(0)
    // 200 keys at 20 ms each: four seconds of loading, clients served every 1024 bytes.
    const slow = [
      '--key-load-delay',
      '20000',
      '--loading-process-events-interval-bytes',
      '1024',
      '--enable-protected-configs',
      'yes',
    ]
    const asked = async (target: number | string): Promise<string[]> => {
      const d = await client(target)
      const info = (await d.command('INFO', 'persistence')).raw
      return [
        /\r\n(loading:\d)\r\n/.exec(info)?.[1] ?? '',
        (await d.command('GET', 'key:1')).raw,
        (await d.command('PING')).raw,
        (await d.command('CONFIG', 'SET', 'dir', dir)).raw,
        (await d.command('CONFIG', 'SET', 'loglevel', 'verbose')).raw,
      ]
    }
    const loadingErr = '-LOADING Redis is loading the dataset in memory\r\n'
    const expected = ['loading:1', loadingErr, loadingErr, loadingErr, '+OK\r\n']
    // Ours: the port is served as soon as the load starts.
    const port = await freePort()
    const child = spawn(
      'npm',
      ['run', 'serve', '--', '--port', String(port), '--dir', dir, '--save', '', ...slow],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    let out = ''
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Loading RDB produced by version')) resolve()
      })
    })
    expect(await asked(port)).toEqual(expected)
    // The real one, on the same file.
    const real = await startRealRedis(['--dir', dir, '--enable-protected-configs', 'yes', ...slow])
    try {
      expect(await asked(real.socket)).toEqual(expected)
    } finally {
      await real.stop()
    }
    const ours = await client(port)
    ours.sendCommand(['SHUTDOWN'])
    expect(await exited).toBe(0)
    // SHUTDOWN during the load saves nothing.
    expect(out).not.toContain('Saving the final RDB snapshot')
  })

  it('refuses writes after a failed BGSAVE and cancels SHUTDOWN whose save fails', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'xray-rdb-'))
    const dir = join(parent, 'gone')
    spawnSync('mkdir', [dir])
    const s = await serve(parent, '--dir', dir, '--logfile', join(parent, 'serve.log'))
    const c = await client(s.port)
    // Redis runs in dir: once it is removed no file can be created there.
    rmSync(dir, { recursive: true })
    expect((await c.command('SET', 'k', 'v')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('-ERR\r\n')
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    for (let i = 0; i < 200 && (await info(c, 'rdb_bgsave_in_progress')) !== '0'; i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(await info(c, 'rdb_last_bgsave_status')).toBe('err')
    expect(await info(c, 'rdb_changes_since_last_save')).toBe('1')
    const misconf =
      "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n"
    expect((await c.command('SET', 'k2', 'v')).raw).toBe(misconf)
    expect((await c.command('PING')).raw).toBe(misconf)
    expect((await c.command('GET', 'k')).raw).toBe('$1\r\nv\r\n')
    expect((await c.command('SHUTDOWN')).raw).toBe(
      '-ERR Errors trying to SHUTDOWN. Check logs.\r\n',
    )
    c.sendCommand(['SHUTDOWN', 'FORCE'])
    expect(await s.exited).toBe(0)
    const log = s.log().replace(/temp-\d+\.rdb/g, 'temp-N.rdb')
    const failed =
      '# Failed opening the temp RDB file temp-N.rdb (in server root dir unknown) for saving: No such file or directory'
    expect(logLines(log).slice(-14)).toEqual([
      failed,
      expect.stringMatching(/^\* Background saving started by pid \d+$/),
      failed,
      '# Background saving error',
      '# User requested shutdown...',
      '* Saving the final RDB snapshot before exiting.',
      failed,
      "# Error trying to save the DB, can't exit.",
      '# Errors trying to shut down the server. Check the logs for more information.',
      '# User requested shutdown...',
      '* Saving the final RDB snapshot before exiting.',
      failed,
      '# Error trying to save the DB. Exit anyway.',
      '# Redis is now ready to exit, bye bye...',
    ])
  })
})
