import { describe, expect, it } from 'vitest'
import { createTestEngine } from '../../harness/TestEngine.ts'

const changes = (t: ReturnType<typeof createTestEngine>): string | undefined =>
  /rdb_changes_since_last_save:(\d+)/.exec(
    (t.exec('info', 'persistence') as { value: string }).value,
  )?.[1]

// Figures read from redis-server 7.0.15 (INFO persistence after the same commands).
describe('FLUSHALL and rdb_changes_since_last_save', () => {
  it('without save points adds the keys it removed, nothing more', () => {
    const t = createTestEngine({ config: { save: '' } })
    t.exec('set', 'a', '1')
    t.exec('flushall')
    expect(changes(t)).toBe('2')
  })

  it('with save points saves at once: nothing left to save', () => {
    const t = createTestEngine()
    t.exec('set', 'a', '1')
    t.exec('set', 'b', '1')
    t.exec('flushall')
    expect(changes(t)).toBe('0')
  })

  it("FLUSHALL's save is not counted in rdb_saves; SAVE is, and CONFIG RESETSTAT zeroes it", () => {
    const t = createTestEngine()
    const saves = (): string | undefined =>
      /rdb_saves:(\d+)/.exec((t.exec('info', 'persistence') as { value: string }).value)?.[1]
    t.exec('set', 'a', '1')
    t.exec('flushall')
    expect(saves()).toBe('0')
    t.exec('save')
    expect(saves()).toBe('1')
    t.exec('config', 'resetstat')
    expect(saves()).toBe('0')
  })
})

// functions.c: FUNCTION FLUSH and a FUNCTION RESTORE that succeeds count one change each, with
// or without libraries; SCRIPT FLUSH and refused restores none (redis-server 7.0.15).
describe('FUNCTION FLUSH / RESTORE and rdb_changes_since_last_save', () => {
  it('counts one change per successful call', () => {
    const t = createTestEngine({ config: { save: '' } })
    const empty = t.exec('function', 'dump') as { value: string }
    t.exec('function', 'flush')
    t.exec('function', 'flush', 'async')
    t.exec('script', 'flush')
    t.exec('function', 'restore', empty.value, 'flush')
    t.exec('function', 'restore', 'garbage')
    t.exec('function', 'restore', empty.value, 'bogus')
    expect(changes(t)).toBe('3')
  })
})
