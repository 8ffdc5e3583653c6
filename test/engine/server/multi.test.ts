import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('MULTI / EXEC / DISCARD', () => {
  it('queues commands and runs them at EXEC, errors included, nothing rolled back', () => {
    const t = createTestEngine()
    expect(t.exec('multi')).toEqual(r.ok)
    expect(t.exec('set', 'a', '1')).toEqual(r.simple('QUEUED'))
    expect(t.exec('incr', 'a')).toEqual(r.simple('QUEUED'))
    expect(t.exec('set', 's', 'abc')).toEqual(r.simple('QUEUED'))
    expect(t.exec('incr', 's')).toEqual(r.simple('QUEUED'))
    expect(t.exec('get', 'a')).toEqual(r.simple('QUEUED'))
    expect(t.exec('exec')).toEqual(
      r.arr([
        r.ok,
        r.int(2),
        r.ok,
        r.err('ERR value is not an integer or out of range'),
        r.bulk('2'),
      ]),
    )
  })

  it('shows cmd=exec in CLIENT INFO while and after EXEC runs its commands (c->lastcmd)', () => {
    const t = createTestEngine()
    t.exec('multi')
    t.exec('set', 'a', '1')
    t.exec('client', 'info')
    const replies = t.exec('exec')
    const info = replies.type === 'array' ? replies.value?.[1] : null
    expect(info?.type === 'bulk' ? info.value : '').toMatch(/ cmd=exec /)
    const other = t.newClient()
    const list = t.execOn(other, 'client', 'list', 'id', String(t.client))
    expect(list.type === 'bulk' ? list.value : '').toMatch(/ cmd=exec /)
  })

  it('answers Redis errors for misplaced MULTI, EXEC, DISCARD and WATCH', () => {
    const t = createTestEngine()
    expect(t.exec('exec')).toEqual(r.err('ERR EXEC without MULTI'))
    expect(t.exec('discard')).toEqual(r.err('ERR DISCARD without MULTI'))
    t.exec('multi')
    expect(t.exec('multi')).toEqual(r.err('ERR MULTI calls can not be nested'))
    expect(t.exec('watch', 'k')).toEqual(r.err('ERR WATCH inside MULTI is not allowed'))
    // Neither error flags the transaction.
    t.exec('set', 'k', 'v')
    expect(t.exec('exec')).toEqual(r.arr([r.ok]))
  })

  it('aborts with EXECABORT after a queueing error (unknown command, arity, no-multi)', () => {
    for (const bad of [['nosuch'], ['get'], ['save']]) {
      const t = createTestEngine()
      t.exec('multi')
      t.exec('set', 'k', 'v')
      const reply = t.exec(...bad)
      expect(reply.type).toBe('error')
      expect(t.exec('exec')).toEqual(
        r.err('EXECABORT Transaction discarded because of previous errors.'),
      )
      expect(t.exec('get', 'k')).toEqual(r.bulk(null))
    }
    const t = createTestEngine()
    t.exec('multi')
    expect(t.exec('save')).toEqual(r.err('ERR Command not allowed inside a transaction'))
  })

  it('DISCARD drops the queue and the watches', () => {
    const t = createTestEngine()
    t.exec('watch', 'k')
    t.exec('multi')
    t.exec('set', 'k', '1')
    expect(t.exec('discard')).toEqual(r.ok)
    expect(t.exec('get', 'k')).toEqual(r.bulk(null))
    const other = t.newClient()
    t.execOn(other, 'set', 'k', '2')
    t.exec('multi')
    t.exec('get', 'k')
    expect(t.exec('exec')).toEqual(r.arr([r.bulk('2')]))
  })
})

describe('WATCH', () => {
  it('fails EXEC with a nil array when another client touched a watched key', () => {
    const t = createTestEngine()
    const other = t.newClient()
    t.exec('set', 'k', '1')
    expect(t.exec('watch', 'k')).toEqual(r.ok)
    t.execOn(other, 'set', 'k', '2')
    t.exec('multi')
    t.exec('set', 'x', '1')
    expect(t.exec('exec')).toEqual(r.arr(null))
    expect(t.exec('get', 'x')).toEqual(r.bulk(null))
  })

  it('lets EXEC run when the watched key is untouched, or after UNWATCH', () => {
    const t = createTestEngine()
    const other = t.newClient()
    t.exec('watch', 'k')
    t.exec('multi')
    t.exec('set', 'k', 'mine')
    expect(t.exec('exec')).toEqual(r.arr([r.ok]))
    t.exec('watch', 'k')
    t.execOn(other, 'set', 'k', 'theirs')
    expect(t.exec('unwatch')).toEqual(r.ok)
    t.exec('multi')
    t.exec('get', 'k')
    expect(t.exec('exec')).toEqual(r.arr([r.bulk('theirs')]))
  })

  it('treats a watched key that expires before EXEC as modified', () => {
    const t = createTestEngine()
    t.exec('set', 'k', 'v', 'px', '200')
    t.exec('watch', 'k')
    t.exec('debug', 'set-active-expire', '0')
    t.tick(500)
    t.exec('multi')
    t.exec('ping')
    expect(t.exec('exec')).toEqual(r.arr(null))
  })

  it('is touched by FLUSHDB, FLUSHALL and SWAPDB', () => {
    for (const cmd of [['flushdb'], ['flushall'], ['swapdb', '0', '1']]) {
      const t = createTestEngine()
      const other = t.newClient()
      t.exec('set', 'k', 'v')
      t.exec('watch', 'k')
      t.execOn(other, ...cmd)
      t.exec('multi')
      t.exec('ping')
      expect(t.exec('exec')).toEqual(r.arr(null))
    }
  })

  it('ignores writes to keys in another db', () => {
    const t = createTestEngine()
    const other = t.newClient()
    t.exec('watch', 'k')
    t.execOn(other, 'select', '1')
    t.execOn(other, 'set', 'k', 'v')
    t.exec('multi')
    t.exec('ping')
    expect(t.exec('exec')).toEqual(r.arr([r.simple('PONG')]))
  })
})

// multi.c execCommand: each queued command's reply is written as it runs, in the protocol of
// that moment (bytes read from redis-server 7.0.15: `*4\r\n_\r\n%0\r\n*14...\r\n$-1\r\n`).
describe('a HELLO queued inside MULTI', () => {
  it('switches the protocol for the replies after it only', () => {
    const t = createTestEngine()
    t.exec('hello', '3')
    t.exec('multi')
    t.exec('get', 'nokey')
    t.exec('hgetall', 'nokey')
    t.exec('hello', '2')
    t.exec('get', 'nokey')
    const reply = t.exec('exec')
    expect(reply.type).toBe('array')
    const items = reply.type === 'array' ? (reply.value ?? []) : []
    expect(items[0]).toEqual({ type: 'null', value: null })
    expect(items[1]).toEqual({ type: 'map', value: [] })
    expect(items[3]).toEqual({ type: 'bulk', value: null })
  })
})
