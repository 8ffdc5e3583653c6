/**
 * config.c rename-command, applied at startup (EngineServer.renameCommand): clients reach the
 * command by its new name only; it keeps its own name in replies, errors and stats.
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createServer } from '../../src/engine/index.ts'
import { BLOCKED } from '../../src/engine/reply.ts'

describe('rename-command', () => {
  it('moves a command to a new name and removes one renamed to ""', () => {
    const s = createServer({ seed: 1, clock: manualClock(0) })
    const count = s.call(['COMMAND', 'COUNT'])
    s.renameCommand('flushdb', 'badger')
    s.renameCommand('FLUSHALL', '')
    s.renameCommand('get', 'fetch')
    expect(s.call(['FLUSHDB'])).toEqual({
      type: 'error',
      value: "ERR unknown command 'FLUSHDB', with args beginning with: ",
    })
    expect(s.call(['flushall']).type).toBe('error')
    expect(s.call(['SET', 'k', 'v'])).toEqual({ type: 'simple', value: 'OK' })
    expect(s.call(['BADGER'])).toEqual({ type: 'simple', value: 'OK' })
    expect(s.call(['DBSIZE'])).toEqual({ type: 'integer', value: 0 })
    // Its own name in errors and stats; one command fewer in the table.
    expect(s.call(['fetch', 'x', 'y'])).toEqual({
      type: 'error',
      value: "ERR wrong number of arguments for 'get' command",
    })
    const info = s.call(['INFO', 'commandstats'])
    expect(info.type === 'bulk' ? info.value : '').toContain('cmdstat_flushdb:calls=1,')
    expect(s.call(['COMMAND', 'COUNT'])).toEqual({
      type: 'integer',
      value: (count.type === 'integer' ? Number(count.value) : 0) - 1,
    })
    const doc = s.call(['COMMAND', 'INFO', 'badger'])
    expect(JSON.stringify(doc)).toContain('"flushdb"')
  })

  it('serves a renamed blocking command when its key is filled', () => {
    const s = createServer({ seed: 1, clock: manualClock(0) })
    s.renameCommand('blpop', 'wait-pop')
    const waiter = s.createClient()
    const pusher = s.createClient()
    expect(s.call(['WAIT-POP', 'q', '0'], waiter)).toBe(BLOCKED)
    s.call(['RPUSH', 'q', 'a'], pusher)
    expect(s.drainOutbox?.().get(waiter)).toBe('*2\r\n$1\r\nq\r\n$1\r\na\r\n')
  })

  it('runs a renamed command queued in MULTI', () => {
    const s = createServer({ seed: 1, clock: manualClock(0) })
    s.renameCommand('incr', 'bump')
    s.call(['MULTI'])
    expect(s.call(['BUMP', 'n'])).toEqual({ type: 'simple', value: 'QUEUED' })
    expect(s.call(['EXEC'])).toEqual({ type: 'array', value: [{ type: 'integer', value: 1 }] })
  })
})
