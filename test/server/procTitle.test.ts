/**
 * The process title of `npm run serve`, as redis-server 7.0.15 sets it (server.c
 * redisSetProcTitle, config.c updateProcTitleTemplate): proc-title-template expanded at
 * startup and on CONFIG SET, read back from /proc/<pid>/cmdline as the Tcl suite's
 * unit/other "Process title set as expected" reads it.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../conformance/redisProcess.ts'
import type { RawClient } from './rawClient.ts'
import { servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

async function serverPid(c: RawClient): Promise<number> {
  const raw = (await c.command('INFO', 'server')).raw
  return Number(/\r\nprocess_id:(\d+)\r\n/.exec(raw)?.[1])
}

/** The title as ps shows it: the cmdline without the NULs that pad it. */
function procTitle(pid: number): string {
  return readFileSync(`/proc/${String(pid)}/cmdline`, 'latin1').replace(/\0+$/, '')
}

describe('proc-title-template', { timeout: 60_000 }, () => {
  it('sets the process title at startup and on CONFIG SET, and refuses a bad template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-title-'))
    const s = await serve(dir, '--bind', '127.0.0.1')
    const c = await client(s.port)
    const pid = await serverPid(c)
    // The default template: "{title} {listen-addr} {server-mode}", trimmed.
    expect(procTitle(pid)).toMatch(new RegExp(`main\\.ts 127\\.0\\.0\\.1:${String(s.port)}$`))
    const template = 'TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}'
    expect((await c.command('CONFIG', 'SET', 'proc-title-template', template)).raw).toBe('+OK\r\n')
    const words = procTitle(pid).split(' ')
    expect(words[0]).toBe('TEST')
    expect(words[1]).toMatch(/main\.ts$/)
    expect(words.slice(2)).toEqual([`127.0.0.1:${String(s.port)}`, String(s.port), '0', '', '-'])
    expect((await c.command('CONFIG', 'SET', 'proc-title-template', '{invalid-var}')).raw).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables\r\n",
    )
    expect(procTitle(pid).startsWith('TEST ')).toBe(true)
    // CONFIG SET port moves the listening address in the title too (changeListenPort).
    const port = await freePort()
    expect((await c.command('CONFIG', 'SET', 'port', String(port))).raw).toBe('+OK\r\n')
    expect(procTitle(pid).split(' ').slice(2, 4)).toEqual([
      `127.0.0.1:${String(port)}`,
      String(port),
    ])
  })

  it('is started by scripts/redis-server as one process whose {title} is the name it was run by', async () => {
    // The Tcl suite starts "src/redis-server <conf>" from its own directory: a link to the
    // script, run from elsewhere, must be the server itself (its pid is the one the caller
    // waits on and signals) and show the link's name as redis-server shows argv[0].
    const dir = mkdtempSync(join(tmpdir(), 'xray-dropin-'))
    symlinkSync(resolve('scripts/redis-server'), join(dir, 'redis-server'))
    const port = await freePort()
    const child = spawn('./redis-server', ['--port', String(port), '--save', ''], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((done) => child.once('exit', done))
    let out = ''
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Ready to accept connections')) ready()
      })
      void exited.then(() => fail(new Error(`exited before ready: ${out}`)))
    })
    const c = await client(port)
    expect(await serverPid(c)).toBe(child.pid)
    expect(procTitle(child.pid ?? 0)).toBe(`./redis-server *:${String(port)}`)
    // A title longer than the command line (the Tcl suite's template with its long config
    // path) is shown whole, not cut where node's argv ended.
    const long = `TEST {title} ${'x'.repeat(300)}`
    expect((await c.command('CONFIG', 'SET', 'proc-title-template', long)).raw).toBe('+OK\r\n')
    expect(procTitle(child.pid ?? 0)).toBe(`TEST ./redis-server ${'x'.repeat(300)}`)
    await c.command('SHUTDOWN', 'NOSAVE').catch(() => undefined)
    expect(await exited).toBe(0)
  })
})
