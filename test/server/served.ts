/**
 * `npm run serve` processes for the tests that need the real host (its files, its log, its
 * child processes): each started on a free port with a temp --dir, and all of them (with
 * their clients) stopped by `stop` in the file's afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../conformance/redisProcess.ts'
import { connectRaw, type RawClient } from './rawClient.ts'

export interface Served {
  readonly port: number
  readonly exited: Promise<number | null>
  readonly log: () => string
}

export interface ServedProcesses {
  /** Every process the file spawned (npm's): stop kills their process groups. */
  readonly children: ChildProcess[]
  /**
   * `npm run serve -- --port P --dir dir --logfile dir/serve.log ...args`, once ready; or,
   * when it exits first, its exit code (a file it cannot load).
   */
  serve(dir: string, ...args: string[]): Promise<Served>
  client(target: number | string): Promise<RawClient>
  stop(): void
}

export function servedProcesses(): ServedProcesses {
  const children: ChildProcess[] = []
  const clients: RawClient[] = []
  return {
    children,
    serve: async (dir, ...args) => {
      const port = await freePort()
      const logfile = join(dir, 'serve.log')
      rmSync(logfile, { force: true })
      const child = spawn(
        'npm',
        ['run', 'serve', '--', '--port', String(port), '--dir', dir, '--logfile', logfile, ...args],
        { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      children.push(child)
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      let out = ''
      await Promise.race([
        new Promise<void>((resolve) => {
          child.stdout?.on('data', (d: Buffer) => {
            out += d.toString()
            if (out.includes('ready')) resolve()
          })
        }),
        exited,
      ])
      return { port, exited, log: () => readFileSync(logfile, 'utf8') }
    },
    client: async (target) => {
      const c = await connectRaw(target)
      clients.push(c)
      return c
    },
    stop: () => {
      for (const c of clients) c.close()
      // npm starts tsx which starts node: the whole process group we spawned goes.
      for (const child of children) {
        if (child.pid === undefined || child.exitCode !== null) continue
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e
        }
      }
    },
  }
}

/**
 * The lines of a log without their pid, role and time; a signal handler's line
 * (serverLogFromHandler) as `signal-handler <message>`.
 */
export function logLines(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => l !== '')
    .map((l) =>
      l
        .replace(/^\d+:[MCS] \d+ [A-Z][a-z]+ \d+ [\d:.]+ /, '')
        .replace(/^\d+:signal-handler \(\d+\) /, 'signal-handler '),
    )
}

/** A field of INFO persistence. */
export async function infoField(c: RawClient, field: string): Promise<string> {
  const raw = (await c.command('INFO', 'persistence')).raw
  return new RegExp(`\\r\\n${field}:([^\\r]*)`).exec(raw)?.[1] ?? ''
}
