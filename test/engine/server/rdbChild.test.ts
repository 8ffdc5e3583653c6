/**
 * The engine's side of a BGSAVE child process (rdb.ts RdbChildren): what it hands the host at
 * the fork, and how the child's reports and exit reach INFO and the log as in redis-server
 * 7.0.15 (childinfo.c receiveChildInfo, server.c checkChildrenDone, rdb.c
 * backgroundSaveDoneHandlerDisk, killRDBChild). The host here is a fake whose child ends when
 * the test says.
 */
import { describe, expect, it } from 'vitest'
import type { RdbChildJob, RdbChildStatus, RdbDisk } from '../../../src/engine/rdb.ts'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

interface FakeHost {
  readonly disk: RdbDisk
  readonly lines: string[]
  readonly jobs: RdbChildJob[]
  readonly killed: number[]
  readonly removed: number[]
  exit(status: Omit<RdbChildStatus, 'pid'>): void
  report(keys: number): void
}

function fakeHost(): FakeHost {
  const lines: string[] = []
  const jobs: RdbChildJob[] = []
  const killed: number[] = []
  const removed: number[] = []
  const ended: RdbChildStatus[] = []
  let info: number | null = null
  let pid = 500
  return {
    lines,
    jobs,
    killed,
    removed,
    exit: (status) => ended.push({ pid, ...status }),
    report: (keys) => {
      info = keys
    },
    disk: {
      fork: () => {
        throw new Error('a host with children never has the engine model one')
      },
      write: () => true,
      log: (line, child) => {
        lines.push(
          `${child === null || child === undefined ? 'M' : 'C'} ${line.level} ${line.text}`,
        )
      },
      children: {
        fork: (job) => {
          jobs.push(job)
          return ++pid
        },
        wait: () => ended.shift() ?? null,
        kill: (p) => killed.push(p),
        removeTempFile: (p) => removed.push(p),
        receiveChildInfo: () => {
          const keys = info
          info = null
          return keys
        },
      },
    },
  }
}

const persistence = (t: TestEngine, field: string): string => {
  const reply = t.exec('info', 'persistence')
  return new RegExp(`\\r\\n${field}:([^\\r]*)`).exec(reply.value as string)?.[1] ?? ''
}

function saving(config: Record<string, string> = {}): { t: TestEngine; host: FakeHost } {
  const t = createTestEngine({ config })
  const host = fakeHost()
  t.server.setRdbDisk(host.disk)
  for (let i = 0; i < 40; i++) t.exec('set', `key:${String(i)}`, 'x'.repeat(500))
  expect(t.exec('bgsave')).toEqual(r.simple('Background saving started'))
  return { t, host }
}

describe('a BGSAVE child process', () => {
  it('gets the file as of the fork with its key offsets, the delay and the oom class', () => {
    const { host } = saving({
      'rdb-key-save-delay': '200',
      'oom-score-adj': 'yes',
      'oom-score-adj-values': '1 2 3',
    })
    const [job] = host.jobs
    expect(job?.keyEnds.length).toBe(40)
    expect(job?.keyEnds.every((end, i) => end > (job.keyEnds[i - 1] ?? 0))).toBe(true)
    expect(job?.rdb.length).toBeGreaterThan(job?.keyEnds[39] ?? Infinity)
    expect(job?.keySaveDelay).toBe(200)
    expect(job?.oomScoreAdj).toEqual({ mode: 'yes', value: 3 })
    expect(host.lines).toEqual(['M * Background saving started by pid 501'])
  })

  it("shows the child's reports in INFO, with the copy-on-write the writes since the fork cost", () => {
    const { t, host } = saving()
    expect(persistence(t, 'current_save_keys_total')).toBe('40')
    expect(persistence(t, 'current_fork_perc')).toBe('0.00')
    // 16 keys modified (one twice): a 4 KiB page each, seen at the child's next report.
    for (let i = 0; i < 16; i++) t.exec('setrange', `key:${String(i)}`, '0', 'B')
    t.exec('append', 'key:0', 'C')
    expect(persistence(t, 'current_cow_size')).toBe('0')
    host.report(10)
    t.tick(1000)
    expect(persistence(t, 'current_save_keys_processed')).toBe('10')
    expect(persistence(t, 'current_fork_perc')).toBe('25.00')
    expect(persistence(t, 'current_cow_size')).toBe(String(16 * 4096))
    expect(persistence(t, 'current_cow_peak')).toBe(String(16 * 4096))
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('1')
    host.exit({ exitcode: 0, bysignal: 0 })
    t.tick(100)
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('0')
    expect(persistence(t, 'rdb_last_bgsave_status')).toBe('ok')
    expect(persistence(t, 'rdb_last_cow_size')).toBe(String(16 * 4096))
    expect(persistence(t, 'current_cow_size')).toBe('0')
    expect(persistence(t, 'current_save_keys_total')).toBe('0')
    // The writes after the fork are still unsaved.
    expect(persistence(t, 'rdb_changes_since_last_save')).toBe('17')
    expect(host.lines.slice(1)).toEqual([
      'C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      'M * Background saving terminated with success',
    ])
    expect(host.removed).toEqual([])
  })

  it('kill -9: the temp file is removed and writes get MISCONF', () => {
    const { t, host } = saving()
    host.exit({ exitcode: -1, bysignal: 9 })
    t.tick(100)
    expect(persistence(t, 'rdb_last_bgsave_status')).toBe('err')
    expect(host.removed).toEqual([501])
    expect(host.lines.slice(1)).toEqual(['M # Background saving terminated by signal 9'])
    expect(t.exec('set', 'k', 'v')).toMatchObject({ type: 'error' })
    expect(t.exec('get', 'key:1')).toEqual(r.bulk('x'.repeat(500)))
  })

  it('after a failure a scheduled BGSAVE waits CONFIG_BGSAVE_RETRY_DELAY seconds', () => {
    const { t, host } = saving({ save: '' })
    host.exit({ exitcode: -1, bysignal: 9 })
    t.tick(100)
    t.exec('multi')
    t.exec('bgsave')
    expect(t.exec('exec')).toEqual(r.arr([r.simple('Background saving scheduled')]))
    t.tick(4000)
    expect(host.jobs.length).toBe(1)
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('0')
    t.tick(2000)
    expect(host.jobs.length).toBe(2)
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('1')
  })

  it('FLUSHALL sends SIGUSR1; the exit status 255 that follows is not an error', () => {
    const { t, host } = saving({ save: '' })
    expect(t.exec('flushall')).toEqual(r.ok)
    expect(host.killed).toEqual([501])
    // Until cron reaps it the child is still there (checkChildrenDone does the cleanup).
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('1')
    expect(t.exec('bgsave')).toEqual(r.err('ERR Background save already in progress'))
    host.exit({ exitcode: 255, bysignal: 0 })
    t.tick(100)
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('0')
    expect(persistence(t, 'rdb_last_bgsave_status')).toBe('ok')
    expect(host.removed).toEqual([501])
    expect(host.lines.slice(1)).toEqual(['M # Background saving terminated by signal 10'])
  })

  it('a failed fork is logged and BGSAVE answers -ERR', () => {
    const t = createTestEngine()
    const host = fakeHost()
    t.server.setRdbDisk({
      ...host.disk,
      children: { ...host.disk.children!, fork: () => 'Resource temporarily unavailable' },
    })
    expect(t.exec('bgsave')).toEqual(r.err('ERR'))
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('0')
    expect(persistence(t, 'rdb_last_bgsave_status')).toBe('err')
    expect(host.lines).toEqual([
      "M # Can't save in background: fork: Resource temporarily unavailable",
    ])
  })
})
