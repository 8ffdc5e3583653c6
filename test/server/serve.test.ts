/**
 * The RESP server as an outside reader of design.md ("RESP server") and the README would test
 * it: start `npm run serve -- --port N --seed N` as a process, then talk to it with redis-cli
 * and a plain TCP socket. Real clock, cron at hz: a key with a TTL goes without being read.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const children: ChildProcess[] = []

afterAll(() => {
  // npm starts tsx which starts node: the whole process group we spawned goes.
  for (const child of children) {
    if (child.pid === undefined) continue
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch (e) {
      // A group that already ended (a server stopped by SHUTDOWN) has nothing left to stop.
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e
    }
  }
})

/** A free port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => {
        resolve(port)
      })
    })
  })
}

/** What each server started by serve() printed up to its ready line (its log), by port. */
const logs = new Map<number, string>()

/**
 * Runs `npm run serve -- args` and waits for its ready line. It works in a fresh temporary
 * `--dir`: the dump.rdb it writes as it stops (SIGTERM with the default save points) goes
 * there, not into the repository.
 */
async function serve(...args: string[]): Promise<number> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'serve-'))
  const child = spawn(
    'npm',
    ['run', 'serve', '--', '--port', String(port), '--dir', dir, ...args],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  children.push(child)
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const seen = (d: Buffer): void => {
      out += d.toString()
      if (out.includes(String(port)) && /ready/i.test(out)) {
        logs.set(port, out)
        resolve()
      }
    }
    child.stdout?.on('data', seen)
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => {
      reject(new Error(`serve exited with ${String(code)}: ${out}`))
    })
  })
  return port
}

/** Sends bytes and collects what comes back until `done` says so or the server closes. */
function exchange(
  port: number,
  bytes: string,
  done: (received: string) => boolean,
): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    socket.setEncoding('latin1')
    socket.on('error', () => {})
    socket.on('data', (d: string) => {
      received += d
      if (done(received)) {
        socket.destroy()
        resolve({ received, closed: false })
      }
    })
    socket.on('close', () => {
      resolve({ received, closed: true })
    })
    socket.write(bytes, 'latin1')
  })
}

const cli = (port: number, ...args: string[]): string =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout

describe('npm run serve', { timeout: 120_000 }, () => {
  const started = Promise.all([serve('--seed', '1'), serve('--seed', '1'), serve('--seed', '2')])

  it('talks to redis-cli', async () => {
    const [port] = await started
    expect(cli(port, 'PING')).toBe('PONG\n')
    expect(cli(port, 'SET', 'greeting', '中文')).toBe('OK\n')
    expect(cli(port, 'STRLEN', 'greeting')).toBe('6\n')
    expect(cli(port, 'GET', 'greeting')).toBe('中文\n')
    expect(cli(port, 'RPUSH', 'list', 'a', 'b', 'c')).toBe('3\n')
    expect(cli(port, 'LRANGE', 'list', '0', '-1')).toBe('a\nb\nc\n')
    // redis-cli, not on a terminal, prints an error and an empty line.
    expect(cli(port, 'GET', 'list')).toBe(
      'WRONGTYPE Operation against a key holding the wrong kind of value\n\n',
    )
  })

  it('takes inline commands and pipelined requests on a plain socket', async () => {
    const [port] = await started
    const request =
      'SET inline "hello world"\r\nGET inline\r\n' +
      '*2\r\n$3\r\nGET\r\n$6\r\ninline\r\n*1\r\n$4\r\nPING\r\nPING\n'
    const expected = '+OK\r\n$11\r\nhello world\r\n$11\r\nhello world\r\n+PONG\r\n+PONG\r\n'
    const { received } = await exchange(port, request, (r) => r.length >= expected.length)
    expect(received).toBe(expected)
  })

  it.each([
    ['a bulk past 512 MB', '*1\r\n$600000000\r\n', 'invalid bulk length'],
    ['a multibulk past 1G elements', '*3000000000\r\n', 'invalid multibulk length'],
    ['an array in a request', '*1\r\n*1\r\n', "expected '$', got '*'"],
    ['an open quote', 'SET "a b\r\n', 'unbalanced quotes in request'],
    ['a 70 KB inline line', 'x'.repeat(70_000), 'too big inline request'],
  ])('answers %s with the error Redis words and closes', async (_, bytes, why) => {
    const error = `-ERR Protocol error: ${why}\r\n`
    const [port] = await started
    const { received, closed } = await exchange(port, bytes, () => false)
    expect(received).toBe(error)
    expect(closed).toBe(true)
  })

  it('takes a big bulk (a 1 MB value in one request)', async () => {
    const [port] = await started
    const value = 'v'.repeat(1 << 20)
    const request = `*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${String(value.length)}\r\n${value}\r\n`
    const { received } = await exchange(port, request + 'STRLEN big\r\n', (r) => r.includes(':'))
    expect(received).toBe(`+OK\r\n:${String(1 << 20)}\r\n`)
  })

  it('expires a key with a TTL on its own (real clock, active expire at hz)', async () => {
    const [port] = await started
    // Counted before the SET: on a loaded machine redis-cli may start after the key expired.
    const before = Number(cli(port, 'DBSIZE'))
    expect(cli(port, 'SET', 'short', 'v', 'PX', '100')).toBe('OK\n')
    // DBSIZE counts keys without reading them, so only the cron's active expire lowers it.
    for (let i = 0; i < 100 && Number(cli(port, 'DBSIZE')) !== before; i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(Number(cli(port, 'DBSIZE'))).toBe(before)
    expect(cli(port, 'INFO', 'stats')).toMatch(/expired_keys:1\r/)
  })

  it('lays the keyspace out by --seed: the same SCAN order for the same seed only', async () => {
    const [a, b, c] = await started
    const keys = Array.from({ length: 30 }, (_, i) => `key:${String(i)}`)
    for (const port of [a, b, c]) {
      expect(cli(port, 'FLUSHALL')).toBe('OK\n')
      expect(cli(port, 'MSET', ...keys.flatMap((k) => [k, 'v']))).toBe('OK\n')
    }
    const order = (port: number): string => cli(port, 'SCAN', '0', 'COUNT', '1000')
    expect(order(a)).toBe(order(b))
    expect(order(a)).not.toBe(order(c))
  })

  it('answers CONFIG SET port once the new port listens (a client told OK connects at once)', async () => {
    const port = await serve()
    const to = await freePort()
    const ping = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('data', () => {
        socket.destroy()
        const moved = net.connect(to, '127.0.0.1')
        moved.on('error', (e) => resolve(e.message))
        moved.once('data', (d) => {
          moved.destroy()
          resolve(d.toString())
        })
        moved.write('PING\r\n')
      })
      socket.write(`CONFIG SET port ${String(to)}\r\n`)
    })
    expect(ping).toBe('+PONG\r\n')
  })

  it('moves its own oom_score_adj on CONFIG SET oom-score-adj, as redis-server does on Linux', async () => {
    const port = await serve()
    const pid = /pid=(\d+)/.exec(logs.get(port) ?? '')?.[1]
    const oomScore = (): number =>
      Number(readFileSync(`/proc/${String(pid)}/oom_score_adj`, 'latin1'))
    const base = oomScore()
    // Only raised: a score lower than where it started needs CAP_SYS_RESOURCE.
    expect(
      cli(port, 'CONFIG', 'SET', 'oom-score-adj-values', '9 9 9', 'oom-score-adj', 'yes'),
    ).toBe('OK\n')
    expect(oomScore()).toBe(base + 9)
    const values = `${String(base + 5)} 0 0`
    expect(
      cli(port, 'CONFIG', 'SET', 'oom-score-adj-values', values, 'oom-score-adj', 'absolute'),
    ).toBe('OK\n')
    expect(oomScore()).toBe(base + 5)
    expect(cli(port, 'CONFIG', 'SET', 'oom-score-adj', 'no')).toBe('OK\n')
    expect(oomScore()).toBe(base)
  })

  it('reads a redis.conf as redis-server does and logs its logo line with the PID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-conf-'))
    const port = await freePort()
    writeFileSync(
      join(dir, 'redis.conf'),
      `port ${String(port)}\ndir ${dir}\nmaxmemory 1mb\nalways-show-logo yes\n`,
    )
    const child = spawn('npm', ['run', 'serve', '--', join(dir, 'redis.conf'), '--seed', '1'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Ready to accept connections')) resolve()
      })
    })
    expect(out).toMatch(/ PID: \d+/)
    expect(cli(port, 'CONFIG', 'GET', 'maxmemory')).toBe('maxmemory\n1048576\n')
    expect(cli(port, 'CONFIG', 'GET', 'dir')).toBe(`dir\n${realpathSync(dir)}\n`)
  })

  it('stops on SHUTDOWN as redis-server does: no reply, the pid file removed, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-shutdown-'))
    const pidfile = join(dir, 'x.pid')
    const logfile = join(dir, 'x.log')
    const port = await freePort()
    const child = spawn(
      'npm',
      [
        'run',
        'serve',
        '--',
        '--port',
        String(port),
        '--dir',
        dir,
        '--pidfile',
        pidfile,
        '--logfile',
        logfile,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve()
      })
    })
    expect(existsSync(pidfile)).toBe(true)
    // A bad option is Redis's syntax error, and the server stays up.
    expect(cli(port, 'SHUTDOWN', 'NOSAVE', 'SAVE')).toMatch(/^ERR syntax error\n/)
    // The PING before it in the same read is never answered: Redis exits inside SHUTDOWN.
    const r = await exchange(port, 'PING\r\nSHUTDOWN NOSAVE\r\n', () => false)
    expect(r).toEqual({ received: '', closed: true })
    expect(await exited).toBe(0)
    expect(existsSync(pidfile)).toBe(false)
    const lines = readFileSync(logfile, 'utf8')
      .split('\n')
      .map((l) => l.replace(/^\d+:M [^#*]+/, ''))
    expect(lines.slice(-4, -1)).toEqual([
      '# User requested shutdown...',
      '* Removing the pid file.',
      '# Redis is now ready to exit, bye bye...',
    ])
  })
})
