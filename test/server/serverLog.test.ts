/**
 * The log of `npm run serve`, line for line as redis-server 7.0.15 writes it at the same
 * `loglevel` (each line is compared without its pid and time): the startup lines with their
 * role characters, the lines of SAVE, BGSAVE, DEBUG RELOAD, the load at startup and
 * SHUTDOWN, and none of them under the configured level (CONFIG SET loglevel included).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startupSystemWarnings } from '../../src/server/syscheck.ts'
import type { RawClient } from './rawClient.ts'
import { infoField, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

/** The log's lines as `role level message`, without the pid and the time. */
function lines(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\d+:([MCS]) \d+ [A-Z][a-z]+ \d+ [\d:.]+ /, '$1 '))
}

/** The WARNING lines of the system checks, as the server writes them after "Server initialized". */
const SYSTEM = startupSystemWarnings().map((l) => `M # ${l}`)

/** The three lines logged before initServer: role C, since server.pid is not set yet. */
function starting(log: string): string[] {
  const pid = /pid=(\d+), just started/.exec(log)?.[1] ?? '?'
  return [
    'C # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
    `C # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${pid}, just started`,
    'C # Configuration loaded',
  ]
}

async function bgsave(c: RawClient): Promise<void> {
  expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
  for (let i = 0; i < 500 && (await infoField(c, 'rdb_bgsave_in_progress')) !== '0'; i++)
    await new Promise((r) => setTimeout(r, 20))
}

describe('npm run serve logs as redis-server does', { timeout: 120_000 }, () => {
  it('at loglevel warning, writes only the WARNING lines of saves, loads and shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-log-'))
    const first = await serve(dir, '--loglevel', 'warning', '--enable-debug-command', 'yes')
    const c = await client(first.port)
    expect((await c.command('SET', 'a', '1')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    await bgsave(c)
    expect((await c.command('DEBUG', 'RELOAD')).raw).toBe('+OK\r\n')
    c.sendCommand(['SHUTDOWN'])
    expect(await first.exited).toBe(0)
    expect(lines(first.log())).toEqual([
      ...starting(first.log()),
      'M # Server initialized',
      ...SYSTEM,
      'M # DB reloaded by DEBUG RELOAD',
      'M # User requested shutdown...',
      'M # Redis is now ready to exit, bye bye...',
    ])
    // The restart loads the file, quietly too.
    const second = await serve(dir, '--loglevel', 'warning')
    const d = await client(second.port)
    expect((await d.command('GET', 'a')).raw).toBe('$1\r\n1\r\n')
    d.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await second.exited).toBe(0)
    expect(lines(second.log())).toEqual([
      ...starting(second.log()),
      'M # Server initialized',
      ...SYSTEM,
      'M # User requested shutdown...',
      'M # Redis is now ready to exit, bye bye...',
    ])
  })

  it('at loglevel notice, starts, saves, reloads and shuts down with the lines of redis-server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-log-'))
    const s = await serve(dir, '--enable-debug-command', 'yes', '--maxmemory', '100kb')
    const c = await client(s.port)
    // (The warning is only at startup.)
    expect((await c.command('CONFIG', 'SET', 'maxmemory', '0')).raw).toBe('+OK\r\n')
    expect((await c.command('SET', 'a', '1')).raw).toBe('+OK\r\n')
    expect((await c.command('SET', 'b', '2')).raw).toBe('+OK\r\n')
    expect((await c.command('DEBUG', 'RELOAD')).raw).toBe('+OK\r\n')
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await s.exited).toBe(0)
    const log = lines(s.log()).map((l) => l.replace(/created \d+\.\d\d Mb$/, 'created N Mb'))
    expect(log).toEqual([
      ...starting(s.log()),
      'M * monotonic clock: POSIX clock_gettime',
      `M * Running mode=standalone, port=${String(s.port)}.`,
      'M # Server initialized',
      ...SYSTEM,
      'M * Ready to accept connections',
      'M # WARNING: You specified a maxmemory value that is less than 1MB (current value is 102400 bytes). Are you sure this is what you really want?',
      // DEBUG RELOAD: rdbSave, then rdbLoad of the file it wrote.
      'M * DB saved on disk',
      'M * Loading RDB produced by version 7.0.15',
      'M * RDB age 0 seconds',
      'M * RDB memory usage when created N Mb',
      'M * Done loading RDB, keys loaded: 2, keys expired: 0.',
      'M # DB reloaded by DEBUG RELOAD',
      'M # User requested shutdown...',
      'M # Redis is now ready to exit, bye bye...',
    ])
  })

  it('follows CONFIG SET loglevel for the lines of SAVE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-log-'))
    const s = await serve(dir)
    const c = await client(s.port)
    const saved = () => lines(s.log()).filter((l) => l === 'M * DB saved on disk').length
    expect((await c.command('CONFIG', 'SET', 'loglevel', 'warning')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    expect(saved()).toBe(0)
    expect((await c.command('CONFIG', 'SET', 'loglevel', 'verbose')).raw).toBe('+OK\r\n')
    expect((await c.command('SAVE')).raw).toBe('+OK\r\n')
    expect(saved()).toBe(1)
  })

  it('at loglevel verbose, logs each connection accepted and closed by its client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-log-'))
    const s = await serve(dir, '--loglevel', 'verbose')
    const c = await client(s.port)
    expect((await c.command('PING')).raw).toBe('+PONG\r\n')
    c.close()
    const closed = (): string[] => lines(s.log()).filter((l) => l.startsWith('M - '))
    for (let i = 0; i < 200 && closed().length < 2; i++) await new Promise((r) => setTimeout(r, 10))
    const [accepted, gone] = closed()
    expect(accepted).toMatch(/^M - Accepted 127\.0\.0\.1:\d+$/)
    const addr = accepted?.slice('M - Accepted '.length) ?? ''
    expect(gone).toMatch(
      new RegExp(
        `^M - Client closed connection id=\\d+ addr=${addr.replace(/\./g, '\\.')} laddr=127\\.0\\.0\\.1:${String(s.port)} .* cmd=ping user=default redir=-1 resp=2$`,
      ),
    )
  })
})
