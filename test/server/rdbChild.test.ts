/**
 * BGSAVE's child process under `npm run serve` (src/server/rdbChild.ts), as the Tcl suite finds
 * and kills redis-server's: a child of the server's pid (`pgrep -P`, get_child_pid) while the
 * save lasts, writing temp-<child pid>.rdb, with the bgchild oom_score_adj class; kill -9 fails
 * the save ("terminated by signal 9", MISCONF), killRDBChild's SIGUSR1 (FLUSHALL, SHUTDOWN) does
 * not, and a killed child's temp file is removed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RawClient } from './rawClient.ts'
import { infoField, logLines, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

const MISCONF =
  "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** get_child_pid: the server's children as `pgrep -P <pid>` lists them. */
function childrenOf(pid: string): string[] {
  return spawnSync('pgrep', ['-P', pid], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l !== '')
}

/**
 * The children the server has now and had not at startup (under `npm run serve`, tsx's
 * loader runs an esbuild service as a child of the server too; the Tcl suite's bundle has none).
 */
function newChildrenOf(pid: string, atStart: readonly string[]): string[] {
  return childrenOf(pid).filter((p) => !atStart.includes(p))
}

async function serverPid(c: RawClient): Promise<string> {
  const raw = (await c.command('INFO', 'server')).raw
  return /\r\nprocess_id:(\d+)\r\n/.exec(raw)?.[1] ?? ''
}

async function untilSaveEnds(c: RawClient): Promise<void> {
  while ((await infoField(c, 'rdb_bgsave_in_progress')) !== '0') await sleep(20)
}

/** wait_for_condition: the child does its first steps (oom score, temp file) on its own. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10)
}

/** A server whose BGSAVE of 20 keys lasts 20 s (rdb-key-save-delay 1 s), and its pid. */
async function slowSaver(...args: string[]): Promise<{
  dir: string
  c: RawClient
  pid: string
  s: Awaited<ReturnType<typeof serve>>
  atStart: string[]
}> {
  const dir = mkdtempSync(join(tmpdir(), 'xray-child-'))
  const s = await serve(dir, '--enable-debug-command', 'yes', ...args)
  const c = await client(s.port)
  expect((await c.command('DEBUG', 'POPULATE', '20')).raw).toBe('+OK\r\n')
  expect((await c.command('CONFIG', 'SET', 'rdb-key-save-delay', '1000000')).raw).toBe('+OK\r\n')
  const pid = await serverPid(c)
  return { dir, c, pid, s, atStart: childrenOf(pid) }
}

describe('BGSAVE runs a child process', { timeout: 120_000 }, () => {
  it('kill -9 on the child fails the save as in Redis: its temp file goes, writes get MISCONF', async () => {
    const { dir, c, pid, s, atStart } = await slowSaver()
    const base = Number(readFileSync('/proc/self/oom_score_adj', 'latin1'))
    expect((await c.command('CONFIG', 'SET', 'oom-score-adj-values', '0 20 30')).raw).toBe(
      '+OK\r\n',
    )
    expect((await c.command('CONFIG', 'SET', 'oom-score-adj', 'yes')).raw).toBe('+OK\r\n')
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    const [child, ...others] = newChildrenOf(pid, atStart)
    expect(others).toEqual([])
    expect(child).toMatch(/^\d+$/)
    const temp = join(dir, `temp-${child ?? ''}.rdb`)
    await until(() => existsSync(temp))
    // setOOMScoreAdj(CONFIG_OOM_BGCHILD) in the child: base + its class's 30.
    const oom = `${String(Math.min(1000, base + 30))}\n`
    await until(() => readFileSync(`/proc/${child ?? ''}/oom_score_adj`, 'latin1') === oom)
    expect(await infoField(c, 'rdb_bgsave_in_progress')).toBe('1')
    expect(await infoField(c, 'current_save_keys_total')).toBe('20')
    expect((await c.command('BGSAVE')).raw).toBe('-ERR Background save already in progress\r\n')
    spawnSync('kill', ['-9', child ?? ''])
    await untilSaveEnds(c)
    expect(await infoField(c, 'rdb_last_bgsave_status')).toBe('err')
    expect(await infoField(c, 'current_save_keys_total')).toBe('0')
    expect(existsSync(temp)).toBe(false)
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false)
    expect(newChildrenOf(pid, atStart)).toEqual([])
    expect((await c.command('SET', 'x', 'y')).raw).toBe(MISCONF)
    expect((await c.command('GET', 'key:1')).raw).toBe('$7\r\nvalue:1\r\n')
    expect(logLines(s.log()).slice(-2)).toEqual([
      `* Background saving started by pid ${child ?? ''}`,
      '# Background saving terminated by signal 9',
    ])
    // A save that ends well lifts it; its lines come from the child's pid.
    expect((await c.command('CONFIG', 'SET', 'rdb-key-save-delay', '0')).raw).toBe('+OK\r\n')
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    await untilSaveEnds(c)
    expect(await infoField(c, 'rdb_last_bgsave_status')).toBe('ok')
    expect((await c.command('SET', 'x', 'y')).raw).toBe('+OK\r\n')
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true)
    const log = s.log().split('\n').slice(-5, -1)
    const second = /started by pid (\d+)$/.exec(log[0] ?? '')?.[1] ?? ''
    expect(log.map((l) => l.replace(/ \d\d [A-Z][a-z]{2} \d{4} [\d:.]+ /, ' '))).toEqual([
      `${pid}:M * Background saving started by pid ${second}`,
      `${second}:C * DB saved on disk`,
      `${second}:C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB`,
      `${pid}:M * Background saving terminated with success`,
    ])
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await s.exited).toBe(0)
  })

  it('FLUSHALL kills the child with SIGUSR1: no error, and the temp file goes', async () => {
    const { dir, c, pid, s, atStart } = await slowSaver('--save', '')
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    const [child] = newChildrenOf(pid, atStart)
    const temp = join(dir, `temp-${child ?? ''}.rdb`)
    await until(() => existsSync(temp))
    expect((await c.command('FLUSHALL')).raw).toBe('+OK\r\n')
    await untilSaveEnds(c)
    expect(await infoField(c, 'rdb_last_bgsave_status')).toBe('ok')
    // DEBUG POPULATE leaves dirty alone; FLUSHALL counts the 20 keys it removed.
    expect(await infoField(c, 'rdb_changes_since_last_save')).toBe('20')
    expect(existsSync(temp)).toBe(false)
    expect(logLines(s.log()).slice(-3)).toEqual([
      `* Background saving started by pid ${child ?? ''}`,
      'signal-handler Received SIGUSR1 in child, exiting now.',
      '# Background saving terminated by signal 10',
    ])
    expect((await c.command('SET', 'x', 'y')).raw).toBe('+OK\r\n')
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await s.exited).toBe(0)
  })

  it('SHUTDOWN kills the child and removes its temp file before exiting', async () => {
    const { dir, c, pid, s, atStart } = await slowSaver()
    expect((await c.command('BGSAVE')).raw).toBe('+Background saving started\r\n')
    const [child] = newChildrenOf(pid, atStart)
    const temp = join(dir, `temp-${child ?? ''}.rdb`)
    await until(() => existsSync(temp))
    c.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await s.exited).toBe(0)
    expect(existsSync(temp)).toBe(false)
    // (redis-server's child writes its line as the signal lands: usually after the parent's
    // last line, since the parent exits at once; here it is written as the signal is sent.)
    expect(logLines(s.log()).slice(-4)).toEqual([
      '# User requested shutdown...',
      '# There is a child saving an .rdb. Killing it!',
      'signal-handler Received SIGUSR1 in child, exiting now.',
      '# Redis is now ready to exit, bye bye...',
    ])
  })
})
