/**
 * server.c setOOMScoreAdj as `npm run serve` does it (src/server/oomScoreAdj.ts), on a file
 * standing in for /proc/self/oom_score_adj, and CONFIG SET oom-score-adj through the engine's
 * host hook (config.c updateOOMScoreAdj).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import type { OomScoreAdjMode } from '../../src/engine/config.ts'
import { createOomScoreAdj } from '../../src/server/oomScoreAdj.ts'

function procFile(score: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oom-')), 'oom_score_adj')
  writeFileSync(path, `${String(score)}\n`)
  return path
}
const score = (path: string): string => readFileSync(path, 'latin1')

describe('setOOMScoreAdj', () => {
  it('adds the class value to the score it found, writes it alone when absolute, and restores it on no', () => {
    const path = procFile(22)
    const set = createOomScoreAdj(() => {}, path, true)
    expect(set('yes', 9)).toBe(true)
    expect(score(path)).toBe('31\n')
    // The base is read once, when Redis takes control: not the 31 it wrote.
    expect(set('yes', 15)).toBe(true)
    expect(score(path)).toBe('37\n')
    expect(set('absolute', 9)).toBe(true)
    expect(score(path)).toBe('9\n')
    expect(set('no', 9)).toBe(true)
    expect(score(path)).toBe('22\n')
    // No longer in control: a score set from outside stays as it is.
    writeFileSync(path, '5\n')
    expect(set('no', 9)).toBe(true)
    expect(score(path)).toBe('5\n')
    // Taking control again reads the base afresh.
    expect(set('yes', 2000)).toBe(true)
    expect(score(path)).toBe('1000\n')
    expect(set('absolute', -2000)).toBe(true)
    expect(score(path)).toBe('-1000\n')
    expect(set('no', 0)).toBe(true)
    expect(score(path)).toBe('5\n')
  })

  it('fails with the warning Redis logs when the score cannot be read or written', () => {
    const logged: string[] = []
    const missing = join(mkdtempSync(join(tmpdir(), 'oom-')), 'none', 'oom_score_adj')
    const set = createOomScoreAdj((m) => logged.push(m), missing, true)
    expect(set('yes', 10)).toBe(false)
    expect(logged).toEqual(['Unable to read oom_score_adj: No such file or directory'])
    // The read is not tried again (Redis has marked the score as its own): the write fails.
    expect(set('yes', 10)).toBe(false)
    expect(logged[1]).toBe('Unable to write oom_score_adj: No such file or directory')
  })

  it('does nothing elsewhere than Linux', () => {
    const path = procFile(3)
    expect(createOomScoreAdj(() => {}, path, false)('absolute', 100)).toBe(true)
    expect(score(path)).toBe('3\n')
  })
})

describe('CONFIG SET oom-score-adj', () => {
  function withHook(ok: () => boolean) {
    const server = createServer({ seed: 1 })
    const calls: [OomScoreAdjMode, number][] = []
    const applied = server.setOomScoreAdj((mode, value) => {
      calls.push([mode, value])
      return ok()
    })
    return { server, calls, applied }
  }

  it('applies the configured mode at startup and the master class value on each change', () => {
    const { server, calls, applied } = withHook(() => true)
    expect(applied).toBe(true)
    expect(calls).toEqual([['no', 0]])
    server.call(['CONFIG', 'SET', 'oom-score-adj-values', '9 19 29', 'oom-score-adj', 'relative'])
    // Both parameters share one apply function, run once.
    expect(calls.slice(1)).toEqual([['yes', 9]])
    // "relative" is the value "yes" names first: the same value, nothing to apply.
    server.call(['CONFIG', 'SET', 'oom-score-adj', 'yes'])
    expect(calls).toHaveLength(2)
    server.call(['CONFIG', 'SET', 'oom-score-adj', 'absolute'])
    expect(calls.at(-1)).toEqual(['absolute', 9])
  })

  it('answers updateOOMScoreAdj error and keeps the old values when the host fails', () => {
    let ok = true
    const { server } = withHook(() => ok)
    ok = false
    const reply = server.call([
      'CONFIG',
      'SET',
      'oom-score-adj',
      'yes',
      'oom-score-adj-values',
      '1 2 3',
    ])
    expect(reply).toEqual({
      type: 'error',
      value:
        "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj') - Failed to set current oom_score_adj. Check server logs.",
    })
    expect(server.call(['CONFIG', 'GET', 'oom-score-adj*'])).toEqual({
      type: 'array',
      value: ['oom-score-adj', 'no', 'oom-score-adj-values', '0 200 800'].map((v) => ({
        type: 'bulk',
        value: v,
      })),
    })
  })
})
