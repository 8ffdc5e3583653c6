/**
 * Starts Debian's redis-server (the oracle) on a free loopback port, with no persistence,
 * and stops it afterwards. A missing redis-server is an error, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { connectRaw } from '../server/rawClient.ts'

export interface RealRedis {
  readonly port: number
  stop(): Promise<void>
}

export const INSTALL_HINT =
  'redis-server (Redis 7.0.x) is required by the conformance suite. Install it with ' +
  '`sudo apt-get install -y redis-server redis-tools`, or run `npm test`, which installs it.'

/** Throws with install instructions when a Redis binary is missing. */
export function requireBinary(name: 'redis-server' | 'redis-cli' | 'redis-benchmark'): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
  if (!found) throw new Error(`${name} not found on PATH. ${INSTALL_HINT}`)
}

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

/** Starts `redis-server --port N --save '' --appendonly no --daemonize no ...extraArgs`. */
export async function startRealRedis(extraArgs: readonly string[] = []): Promise<RealRedis> {
  requireBinary('redis-server')
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let exited = false
    child.once('exit', () => {
      exited = true
    })
    if (await waitReady(port, () => exited)) return { port, stop: () => stop(child) }
    await stop(child)
    if (attempt >= 3) throw new Error(`redis-server did not start (args: ${extraArgs.join(' ')})`)
  }
}

async function waitReady(port: number, exited: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !exited(); i++) {
    try {
      const c = await connectRaw(port)
      c.close()
      return true
    } catch {
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  return false
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}
