/**
 * The AOF state machine without a disk (the browser): CONFIG SET appendonly and BGREWRITEAOF
 * run a modelled rewriting child, INFO persistence's aof_* fields follow Redis 7.0.15's, and
 * BGSAVE and BGREWRITEAOF take turns (aof.c bgrewriteaofCommand, rdb.c bgsaveCommand).
 */
import { describe, expect, it } from 'vitest'
import type { RdbChildJob, RdbChildStatus } from '../../../src/engine/rdb.ts'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

const persistence = (t: TestEngine, field: string): string => {
  const reply = t.exec('info', 'persistence')
  return new RegExp(`\\r\\n${field}:([^\\r]*)`).exec(reply.value as string)?.[1] ?? ''
}

describe('the AOF without a disk', () => {
  it('CONFIG SET appendonly yes waits for its first rewrite, then is on', () => {
    const t = createTestEngine({ config: { 'rdb-key-save-delay': '1000' } })
    for (let i = 0; i < 10; i++) t.exec('set', `k${String(i)}`, 'v')
    expect(persistence(t, 'aof_enabled')).toBe('0')
    expect(persistence(t, 'aof_current_size')).toBe('')
    expect(t.exec('config', 'set', 'appendonly', 'yes')).toEqual(r.simple('OK'))
    expect(persistence(t, 'aof_enabled')).toBe('1')
    expect(persistence(t, 'aof_rewrite_in_progress')).toBe('1')
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('0')
    expect(persistence(t, 'aof_rewrites')).toBe('1')
    expect(t.exec('bgrewriteaof')).toEqual(
      r.err('ERR Background append only file rewriting already in progress'),
    )
    expect(t.exec('bgsave')).toEqual(
      r.err(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      ),
    )
    expect(t.exec('bgsave', 'schedule')).toEqual(r.simple('Background saving scheduled'))
    // 10 keys at 1 ms each: the child is reaped by the cron after that, the BGSAVE then runs.
    t.tick(100)
    expect(persistence(t, 'aof_rewrite_in_progress')).toBe('0')
    expect(persistence(t, 'aof_last_bgrewrite_status')).toBe('ok')
    expect(persistence(t, 'rdb_bgsave_in_progress')).toBe('1')
    expect(t.exec('bgrewriteaof')).toEqual(
      r.simple('Background append only file rewriting scheduled'),
    )
    expect(persistence(t, 'aof_rewrite_scheduled')).toBe('1')
    expect(persistence(t, 'aof_pending_rewrite')).toBe('1')
    t.tick(100)
    t.tick(100)
    expect(persistence(t, 'aof_rewrites')).toBe('2')
    expect(t.exec('config', 'set', 'appendonly', 'no')).toEqual(r.simple('OK'))
    expect(persistence(t, 'aof_enabled')).toBe('0')
    expect(persistence(t, 'aof_rewrite_in_progress')).toBe('0')
  })

  it('hands a host child the rewritten commands of a large dataset, with every key offset', () => {
    const t = createTestEngine({ config: { 'aof-use-rdb-preamble': 'no' } })
    const jobs: RdbChildJob[] = []
    const ended: RdbChildStatus[] = []
    t.server.setRdbDisk({
      fork: () => 0,
      write: () => true,
      log: () => {},
      children: {
        fork: (job) => (jobs.push(job), 900),
        wait: () => ended.shift() ?? null,
        kill: () => {},
        removeTempFile: () => {},
        receiveChildInfo: () => null,
      },
    })
    // More keys than a call's arguments may hold (a spread of them overflowed the stack).
    const n = 150_000
    for (let i = 0; i < n; i++) t.exec('set', `k${String(i)}`, 'v')
    expect(t.exec('bgrewriteaof')).toEqual(
      r.simple('Background append only file rewriting started'),
    )
    const [job] = jobs
    expect(job?.aof).toBe(true)
    expect(job?.keyEnds.length).toBe(n)
    expect(job?.keyEnds[n - 1]).toBe(job?.rdb.length)
    expect(String.fromCharCode(...(job?.rdb.subarray(0, 23) ?? []))).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n',
    )
    // The child ends, as it must: while one runs, dicts may not resize (a process-wide
    // policy, which the test files after this one in the same worker would inherit).
    ended.push({ pid: 900, exitcode: 1, bysignal: 0 })
    t.tick(100)
    expect(persistence(t, 'aof_rewrite_in_progress')).toBe('0')
  })
})
