import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('connection commands', () => {
  it('PING, ECHO, SELECT and SWAPDB answer as Redis does', () => {
    const t = createTestEngine()
    expect(t.exec('ping', 'hello')).toEqual(r.bulk('hello'))
    expect(t.exec('ping', 'a', 'b')).toEqual(
      r.err("ERR wrong number of arguments for 'ping' command"),
    )
    expect(t.exec('echo', 'hi')).toEqual(r.bulk('hi'))
    expect(t.exec('select', '16')).toEqual(r.err('ERR DB index is out of range'))
    expect(t.exec('select', '-1')).toEqual(r.err('ERR DB index is out of range'))
    expect(t.exec('select', 'abc')).toEqual(r.err('ERR value is not an integer or out of range'))
    expect(t.exec('swapdb', 'a', '1')).toEqual(r.err('ERR invalid first DB index'))
    expect(t.exec('swapdb', '1', 'a')).toEqual(r.err('ERR invalid second DB index'))
    expect(t.exec('swapdb', '0', '99')).toEqual(r.err('ERR DB index is out of range'))
    t.exec('set', 'k', 'zero')
    expect(t.exec('swapdb', '0', '1')).toEqual(r.ok)
    expect(t.exec('get', 'k')).toEqual(r.bulk(null))
    t.exec('select', '1')
    expect(t.exec('get', 'k')).toEqual(r.bulk('zero'))
  })

  it('HELLO 2 answers the server map as a flat array; versions other than 2 and 3 NOPROTO', () => {
    const t = createTestEngine()
    expect(t.exec('hello', '2', 'setname', 'app')).toEqual(
      r.arr([
        r.bulk('server'),
        r.bulk('redis'),
        r.bulk('version'),
        r.bulk('7.0.15'),
        r.bulk('proto'),
        r.int(2),
        r.bulk('id'),
        r.int(t.client),
        r.bulk('mode'),
        r.bulk('standalone'),
        r.bulk('role'),
        r.bulk('master'),
        r.bulk('modules'),
        r.arr([]),
      ]),
    )
    expect(t.exec('client', 'getname')).toEqual(r.bulk('app'))
    expect(t.exec('hello', '4')).toEqual(r.err('NOPROTO unsupported protocol version'))
    expect(t.exec('hello', '1')).toEqual(r.err('NOPROTO unsupported protocol version'))
    expect(t.exec('hello', 'abc')).toEqual(
      r.err('ERR Protocol version is not an integer or out of range'),
    )
    expect(t.exec('hello', '2', 'foo')).toEqual(r.err("ERR Syntax error in HELLO option 'foo'"))
  })

  it('CLIENT ID/SETNAME/GETNAME/INFO/LIST/NO-EVICT/KILL', () => {
    const t = createTestEngine()
    expect(t.exec('client', 'id')).toEqual(r.int(t.client))
    expect(t.exec('client', 'getname')).toEqual(r.bulk(null))
    expect(t.exec('client', 'setname', 'a b')).toEqual(
      r.err('ERR Client names cannot contain spaces, newlines or special characters.'),
    )
    expect(t.exec('client', 'setname', 'worker')).toEqual(r.ok)
    const infoLine = t.exec('client', 'info')
    expect(infoLine.type).toBe('bulk')
    expect((infoLine as { value: string }).value).toMatch(
      new RegExp(
        `^id=${String(t.client)} addr=\\S+ laddr=\\S+ fd=\\d+ name=worker age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 .* cmd=client\\|info user=default redir=-1 resp=2\\n$`,
      ),
    )
    const other = t.newClient()
    const list = (t.exec('client', 'list') as { value: string }).value.split('\n')
    expect(list).toHaveLength(3)
    expect(t.exec('client', 'list', 'type', 'foo')).toEqual(r.err("ERR Unknown client type 'foo'"))
    expect(t.exec('client', 'list', 'type', 'pubsub')).toEqual(r.bulk(''))
    expect(t.exec('client', 'no-evict', 'maybe')).toEqual(r.err('ERR syntax error'))
    expect(t.exec('client', 'no-evict', 'on')).toEqual(r.ok)
    expect(t.exec('client', 'kill', '1.2.3.4:5')).toEqual(r.err('ERR No such client'))
    expect(t.exec('client', 'kill', 'id', '99999')).toEqual(r.int(0))
    expect(t.exec('client', 'kill', 'id', String(other))).toEqual(r.int(1))
    expect(t.exec('client', 'setinfo', 'lib-name', 'x')).toEqual(
      r.err("ERR unknown subcommand 'setinfo'. Try CLIENT HELP."),
    )
  })

  it('a read or a write on the connection counts as an interaction, as a command does', () => {
    const t = createTestEngine()
    const other = t.newClient()
    t.execOn(other, 'ping')
    const idle = (): string => {
      const info = (t.exec('client', 'list', 'id', String(other)) as { value: string }).value
      return /idle=(\d+)/.exec(info)?.[1] ?? ''
    }
    t.tick(5_000)
    expect(idle()).toBe('5')
    // writeToClient (a blocked client served, a pushed message): idle starts over.
    t.server.netWritten?.(12, other)
    expect(idle()).toBe('0')
    t.tick(3_000)
    // readQueryFromClient: part of a command read counts before the command runs.
    t.server.netRead?.(4, other)
    expect(idle()).toBe('0')
    t.tick(2_000)
    // The read that finds the connection closed is no interaction.
    t.server.netRead?.(0, other)
    expect(idle()).toBe('2')
  })

  it('RESET leaves MULTI, unwatches, selects db 0 and clears the name', () => {
    const t = createTestEngine()
    t.exec('select', '2')
    t.exec('client', 'setname', 'x')
    t.exec('watch', 'k')
    t.exec('multi')
    expect(t.exec('reset')).toEqual(r.simple('RESET'))
    expect(t.exec('client', 'getname')).toEqual(r.bulk(null))
    expect(t.exec('exec')).toEqual(r.err('ERR EXEC without MULTI'))
    expect((t.exec('client', 'info') as { value: string }).value).toContain(' db=0 ')
  })
})

describe('scripting and functions without a Lua engine', () => {
  it('answers like a server with nothing loaded and refuses to run code', () => {
    const t = createTestEngine()
    expect(t.exec('function', 'list')).toEqual(r.arr([]))
    expect(t.exec('function', 'flush')).toEqual(r.ok)
    expect(t.exec('function', 'stats')).toEqual(
      r.arr([
        r.bulk('running_script'),
        r.bulk(null),
        r.bulk('engines'),
        r.arr([
          r.bulk('LUA'),
          r.arr([r.bulk('libraries_count'), r.int(0), r.bulk('functions_count'), r.int(0)]),
        ]),
      ]),
    )
    expect(t.exec('evalsha', 'abc', '0')).toEqual(
      r.err('NOSCRIPT No matching script. Please use EVAL.'),
    )
    expect(t.exec('fcall', 'f', '0')).toEqual(r.err('ERR Function not found'))
    const ev = t.exec('eval', 'return 1', '0')
    expect(ev.type === 'error' && ev.value.includes('not supported')).toBe(true)
  })
})
