/**
 * Starts Debian's redis-server (the oracle) on a free loopback port, with no persistence,
 * and stops it afterwards. A missing redis-server is an error, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectRaw } from '../server/rawClient.ts'

export interface RealRedis {
  /** The TCP port on 127.0.0.1, or 0 when started with `{ tcp: false }`. */
  readonly port: number
  /** The unix socket it also listens on (only this process's clients can find it). */
  readonly socket: string
  stop(): Promise<void>
}

export interface RealRedisOptions {
  /**
   * Listen on a loopback TCP port too (default true). With false the server is reachable
   * only through its unix socket, so no other process on the machine (other suites picking
   * "free" ports at the same time) can connect to it and write into the oracle's data.
   */
  readonly tcp?: boolean
}

export const INSTALL_HINT =
  'redis-server (Redis 7.0.x) is required by the conformance suite. Install it with ' +
  '`sudo apt-get install -y redis-server redis-tools`, or run `npm test`, which installs it.'

/** Throws with install instructions when a Redis binary is missing. */
export function requireBinary(name: 'redis-server' | 'redis-cli' | 'redis-benchmark'): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
  if (!found) throw new Error(`${name} not found on PATH. ${INSTALL_HINT}`)
}

/**
 * Every redis-server started here and still running. If this process exits before a test
 * stops its server (a failed hook, a timeout), they are killed on the way out rather than
 * left behind; a SIGKILL of this process still orphans them.
 */
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts `redis-server --port N --unixsocket S --dir D --save '' --appendonly no
 * --daemonize no ...extraArgs` in a fresh temporary directory D (N = 0, no TCP at all, with
 * `{ tcp: false }`).
 */
export async function startRealRedis(
  extraArgs: readonly string[] = [],
  opts: RealRedisOptions = {},
): Promise<RealRedis> {
  requireBinary('redis-server')
  for (let attempt = 0; ; attempt++) {
    const port = (opts.tcp ?? true) ? await freePort() : 0
    // Its own empty directory: no dump.rdb of anyone's is loaded, none is left behind.
    const dir = await mkdtemp(join(tmpdir(), 'xray-redis-'))
    const socket = join(dir, 'redis.sock')
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket]
    args.push('--dir', dir)
    args.push('--unixsocketperm', '700', '--save', '', '--appendonly', 'no')
    args.push('--daemonize', 'no', ...extraArgs)
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    live.add(child)
    child.once('exit', () => live.delete(child))
    let exited = false
    child.once('exit', () => {
      exited = true
    })
    if (await waitReady(socket, child, () => exited)) {
      return { port, socket, stop: () => stop(child, dir) }
    }
    await stop(child, dir)
    if (attempt >= 5) throw new Error(`redis-server did not start (args: ${extraArgs.join(' ')})`)
  }
}

/**
 * Waits until the redis-server we spawned answers on its socket, and checks that the answer
 * comes from our child (INFO's process_id is its pid). If another process took the TCP port
 * between freePort() and the bind, the child exits and we retry on another port.
 */
async function waitReady(
  socket: string,
  child: ChildProcess,
  exited: () => boolean,
): Promise<boolean> {
  for (let i = 0; i < 200 && !exited(); i++) {
    try {
      const c = await connectRaw(socket)
      try {
        const info = await c.command('INFO', 'server')
        // With requirepass INFO answers NOAUTH: then only "our child is alive" is checked.
        if (info.reply.type === 'error') return !exited()
        const m =
          info.reply.type === 'bulk' ? /process_id:(\d+)/.exec(info.reply.value ?? '') : null
        return m !== null && Number(m[1]) === child.pid && !exited()
      } finally {
        c.close()
      }
    } catch {
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  return false
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
  await rm(dir, { recursive: true, force: true })
}
