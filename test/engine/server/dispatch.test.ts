import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('processCommand', () => {
  it('rejects unknown commands with the quoted args, truncated at 128 bytes', () => {
    const t = createTestEngine()
    expect(t.exec('foo', 'a', 'b')).toEqual(
      r.err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "),
    )
    expect(t.exec('foo')).toEqual(r.err("ERR unknown command 'foo', with args beginning with: "))
    expect(t.exec('foo', 'a'.repeat(100), 'b'.repeat(100))).toEqual(
      r.err(
        `ERR unknown command 'foo', with args beginning with: '${'a'.repeat(100)}' '${'b'.repeat(25)}' `,
      ),
    )
    expect(t.exec('x'.repeat(200))).toEqual(
      r.err(`ERR unknown command '${'x'.repeat(128)}', with args beginning with: `),
    )
    expect(t.exec('foo', 'a\r\nb')).toEqual(
      r.err("ERR unknown command 'foo', with args beginning with: 'a  b' "),
    )
  })

  it('names subcommands container|sub in arity errors and suggests HELP for unknown ones', () => {
    const t = createTestEngine()
    expect(t.exec('config', 'get')).toEqual(
      r.err("ERR wrong number of arguments for 'config|get' command"),
    )
    expect(t.exec('config')).toEqual(r.err("ERR wrong number of arguments for 'config' command"))
    expect(t.exec('CONFIG', 'FOO')).toEqual(r.err("ERR unknown subcommand 'FOO'. Try CONFIG HELP."))
    expect(t.exec('echo')).toEqual(r.err("ERR wrong number of arguments for 'echo' command"))
    expect(t.exec('PiNg')).toEqual(r.simple('PONG'))
  })

  it('gates DEBUG by enable-debug-command: no, local (local clients only), yes', () => {
    const msg =
      'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.'
    const no = createTestEngine({ enableDebugCommand: 'no' })
    expect(no.exec('debug', 'sleep', '0')).toEqual(r.err(msg))
    const local = createTestEngine({ enableDebugCommand: 'local' })
    expect(local.exec('debug', 'sleep', '0')).toEqual(r.ok)
    const remote = local.newClient({ local: false })
    expect(local.execOn(remote, 'debug', 'sleep', '0')).toEqual(r.err(msg))
    // Arity is checked before the gate, as in server.c.
    expect(no.exec('debug')).toEqual(r.err("ERR wrong number of arguments for 'debug' command"))
  })

  it('counts calls, failures and rejections per command (INFO commandstats)', () => {
    const t = createTestEngine()
    t.exec('ping')
    t.exec('ping', 'a', 'b')
    t.exec('echo')
    t.exec('select', 'x')
    const info = t.exec('info', 'commandstats')
    expect(info.type).toBe('bulk')
    const text = (info as { value: string }).value
    expect(text).toContain(
      'cmdstat_ping:calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n',
    )
    expect(text).toContain(
      'cmdstat_echo:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n',
    )
    expect(text).toContain(
      'cmdstat_select:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n',
    )
    const errs = (t.exec('info', 'errorstats') as { value: string }).value
    expect(errs).toBe('# Errorstats\r\nerrorstat_ERR:count=3\r\n')
  })

  it('freezes whole-ms command time; TIME reads the clock with microseconds', () => {
    const t = createTestEngine({ startMs: 1_700_000_000_123.5 })
    expect(t.exec('time')).toEqual(r.bulks('1700000000', '123500'))
    expect(t.last?.at).toBe(1_700_000_000_123)
  })

  it('reports QUIT to the transport and forgets killed clients', () => {
    const t = createTestEngine()
    expect(t.exec('quit')).toEqual(r.ok)
    expect(t.server.shouldClose(t.client)).toBe(true)
    const a = t.newClient()
    const b = t.newClient()
    expect(t.execOn(a, 'client', 'kill', 'id', String(b))).toEqual(r.int(1))
    expect(t.server.shouldClose(b)).toBe(true)
    expect(t.server.shouldClose(a)).toBe(false)
  })
})
