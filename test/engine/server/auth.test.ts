import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

const NOAUTH = r.err('NOAUTH Authentication required.')
const WRONGPASS = r.err('WRONGPASS invalid username-password pair or user is disabled.')

describe('AUTH and requirepass', () => {
  it('refuses commands before AUTH, except AUTH, HELLO, QUIT and RESET', () => {
    const t = createTestEngine({ config: { requirepass: 'secret' } })
    expect(t.exec('ping')).toEqual(NOAUTH)
    expect(t.exec('get', 'a')).toEqual(NOAUTH)
    expect(t.exec('auth', 'wrong')).toEqual(WRONGPASS)
    expect(t.exec('auth', 'default', 'wrong')).toEqual(WRONGPASS)
    expect(t.exec('auth', 'a', 'b', 'c')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('auth', 'secret')).toEqual(r.ok)
    expect(t.exec('ping')).toEqual(r.simple('PONG'))
    expect(t.exec('reset')).toEqual(r.simple('RESET'))
    expect(t.exec('ping')).toEqual(NOAUTH)
  })

  it('HELLO needs authentication unless it carries AUTH', () => {
    const t = createTestEngine({ config: { requirepass: 'secret' } })
    expect(t.exec('hello', '2')).toEqual(
      r.err(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      ),
    )
    const reply = t.exec('hello', '2', 'auth', 'default', 'secret')
    expect(reply.type).toBe('array')
    expect(t.exec('ping')).toEqual(r.simple('PONG'))
  })

  it('answers the no-password error for AUTH <password> without requirepass', () => {
    const t = createTestEngine()
    expect(t.exec('auth', 'foo')).toEqual(
      r.err(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      ),
    )
    expect(t.exec('auth', 'default', 'anything')).toEqual(r.ok)
    expect(t.exec('auth', 'bob', 'x')).toEqual(WRONGPASS)
  })

  it('flags a transaction whose queued command hits NOAUTH', () => {
    const t = createTestEngine({ config: { requirepass: 'secret' } })
    expect(t.exec('multi')).toEqual(NOAUTH)
    expect(t.exec('auth', 'secret')).toEqual(r.ok)
    expect(t.exec('exec')).toEqual(r.err('ERR EXEC without MULTI'))
  })

  it('keeps connections made before CONFIG SET requirepass authenticated', () => {
    const t = createTestEngine()
    expect(t.exec('config', 'set', 'requirepass', 'pw')).toEqual(r.ok)
    expect(t.exec('ping')).toEqual(r.simple('PONG'))
    const late = t.newClient()
    expect(t.execOn(late, 'ping')).toEqual(NOAUTH)
    expect(t.execOn(late, 'auth', 'pw')).toEqual(r.ok)
  })
})
