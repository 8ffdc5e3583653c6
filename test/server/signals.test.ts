/**
 * SIGTERM and SIGINT under `npm run serve`, as redis-server 7.0.15 takes them (server.c
 * sigShutdownHandler, serverCron's shutdown_asap, abortShutdown): the signal schedules the
 * shutdown, serverCron runs it, SHUTDOWN ABORT cancels it until then, and a second SIGINT
 * exits at once with status 1, also while the final save is written (rdbSave sleeps
 * rdb-key-save-delay after each key; the signal handler removes its temp file).
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RawClient } from './rawClient.ts'
import { logLines, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

async function serverPid(c: RawClient): Promise<number> {
  const raw = (await c.command('INFO', 'server')).raw
  return Number(/\r\nprocess_id:(\d+)\r\n/.exec(raw)?.[1])
}

/** verify_log_message: waits until the log has the line. */
async function untilLogged(log: () => string, line: string): Promise<void> {
  while (!logLines(log()).includes(line)) await new Promise((r) => setTimeout(r, 10))
}

describe('shutdown signals', { timeout: 120_000 }, () => {
  it('SIGTERM is run by serverCron: SHUTDOWN ABORT cancels it while cron is paused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-signal-'))
    const s = await serve(dir, '--enable-debug-command', 'yes', '--save', '')
    const c = await client(s.port)
    const pid = await serverPid(c)
    expect((await c.command('SHUTDOWN', 'ABORT')).raw).toBe('-ERR No shutdown in progress.\r\n')
    expect((await c.command('DEBUG', 'PAUSE-CRON', '1')).raw).toBe('+OK\r\n')
    process.kill(pid, 'SIGTERM')
    await untilLogged(s.log, 'signal-handler Received SIGTERM scheduling shutdown...')
    expect((await c.command('SHUTDOWN', 'ABORT')).raw).toBe('+OK\r\n')
    expect((await c.command('DEBUG', 'PAUSE-CRON', '0')).raw).toBe('+OK\r\n')
    expect((await c.command('PING')).raw).toBe('+PONG\r\n')
    expect(logLines(s.log()).slice(-2)).toEqual([
      'signal-handler Received SIGTERM scheduling shutdown...',
      '* Shutdown manually aborted.',
    ])
    // Not cancelled, the next one is run by cron.
    process.kill(pid, 'SIGTERM')
    expect(await s.exited).toBe(0)
    expect(logLines(s.log()).slice(-3)).toEqual([
      'signal-handler Received SIGTERM scheduling shutdown...',
      '# User requested shutdown...',
      '# Redis is now ready to exit, bye bye...',
    ])
  })

  it('a second SIGINT before cron runs the first exits at once with status 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-signal-'))
    const s = await serve(dir, '--enable-debug-command', 'yes')
    const c = await client(s.port)
    const pid = await serverPid(c)
    expect((await c.command('DEBUG', 'PAUSE-CRON', '1')).raw).toBe('+OK\r\n')
    process.kill(pid, 'SIGINT')
    await untilLogged(s.log, 'signal-handler Received SIGINT scheduling shutdown...')
    process.kill(pid, 'SIGINT')
    expect(await s.exited).toBe(1)
    expect(logLines(s.log()).slice(-2)).toEqual([
      'signal-handler Received SIGINT scheduling shutdown...',
      'signal-handler You insist... exiting now.',
    ])
  })
  /**
   * A server of ten keys, each saved in 100 ms (rdb-key-save-delay 100000: a save of one
   * second), with a client, its pid and the temp file its own save writes.
   */
  async function slowSaver() {
    const dir = mkdtempSync(join(tmpdir(), 'xray-signal-'))
    const s = await serve(dir)
    const c = await client(s.port)
    for (let i = 0; i < 10; i++) await c.command('SET', String(i), String(i))
    expect((await c.command('CONFIG', 'SET', 'rdb-key-save-delay', '100000')).raw).toBe('+OK\r\n')
    const pid = await serverPid(c)
    return { dir, s, c, pid, temp: join(dir, `temp-${String(pid)}.rdb`) }
  }

  /**
   * How the slow saver ended: its exit status, whether dump.rdb was written (the temp file
   * never stays), and the last lines of its log.
   */
  async function ended(
    saver: Awaited<ReturnType<typeof slowSaver>>,
    status: number,
    dumped: boolean,
    lines: readonly string[],
  ): Promise<void> {
    expect(await saver.s.exited).toBe(status)
    expect(existsSync(saver.temp)).toBe(false)
    expect(existsSync(join(saver.dir, 'dump.rdb'))).toBe(dumped)
    expect(logLines(saver.s.log()).slice(-lines.length)).toEqual(lines)
  }

  async function until(cond: () => boolean): Promise<void> {
    while (!cond()) await new Promise((r) => setTimeout(r, 10))
  }

  it('a second SIGINT during the final save exits with status 1 and removes its temp file', async () => {
    const saver = await slowSaver()
    process.kill(saver.pid, 'SIGINT')
    // The save is under way, key by key: the signal is taken meanwhile.
    await until(() => existsSync(saver.temp))
    process.kill(saver.pid, 'SIGINT')
    await ended(saver, 1, false, [
      'signal-handler Received SIGINT scheduling shutdown...',
      '# User requested shutdown...',
      '* Saving the final RDB snapshot before exiting.',
      'signal-handler You insist... exiting now.',
    ])
  })

  it("SHUTDOWN's save serves no client, and a SIGINT during it only schedules a shutdown", async () => {
    const saver = await slowSaver()
    const other = await client(saver.s.port)
    void saver.c.command('SHUTDOWN').catch(() => null)
    await until(() => existsSync(saver.temp))
    // No shutdown was scheduled by a signal: this one is not "insisting".
    process.kill(saver.pid, 'SIGINT')
    // The server is in the save: the PING is never answered before it exits.
    const ping = other.command('PING').then(
      (r) => r.raw,
      () => 'closed',
    )
    await ended(saver, 0, true, [
      '# User requested shutdown...',
      '* Saving the final RDB snapshot before exiting.',
      'signal-handler Received SIGINT scheduling shutdown...',
      '* DB saved on disk',
      '# Redis is now ready to exit, bye bye...',
    ])
    expect(await ping).toBe('closed')
  })
})
