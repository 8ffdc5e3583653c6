import { describe, expect, it } from 'vitest'
import { sameReply } from './harness.ts'
import { parseScript } from './script.ts'

describe('conformance script syntax', () => {
  it('parses commands in redis-cli quoting, with per-command directives', () => {
    const s = parseScript(
      't.redis',
      [
        '# @args --requirepass "p w"',
        '# a comment',
        'SET k "a b" \'c\'',
        '',
        '# @unordered',
        'KEYS *',
        '# @ignore-reply',
        'TIME',
        '# @shape',
        'INFO',
        'GET k',
        '# @seconds',
        'OBJECT IDLETIME k',
        '# @sleep 150',
        '# @client other',
        '# @raw "PING\\r\\n"',
        '# @reconnect',
        'SET utf8 中',
      ].join('\n'),
    )
    expect(s.args).toEqual(['--requirepass', 'p w'])
    expect(s.steps).toEqual([
      {
        kind: 'command',
        line: 3,
        text: 'SET k "a b" \'c\'',
        argv: ['SET', 'k', 'a b', 'c'],
        compare: 'exact',
      },
      { kind: 'command', line: 6, text: 'KEYS *', argv: ['KEYS', '*'], compare: 'unordered' },
      { kind: 'command', line: 8, text: 'TIME', argv: ['TIME'], compare: 'type' },
      { kind: 'command', line: 10, text: 'INFO', argv: ['INFO'], compare: 'shape' },
      { kind: 'command', line: 11, text: 'GET k', argv: ['GET', 'k'], compare: 'exact' },
      {
        kind: 'command',
        line: 13,
        text: 'OBJECT IDLETIME k',
        argv: ['OBJECT', 'IDLETIME', 'k'],
        compare: 'seconds',
      },
      { kind: 'sleep', line: 14, ms: 150 },
      { kind: 'client', line: 15, name: 'other' },
      { kind: 'raw', line: 16, text: '"PING\\r\\n"', bytes: 'PING\r\n' },
      { kind: 'reconnect', line: 17 },
      {
        kind: 'command',
        line: 18,
        text: 'SET utf8 \xe4\xb8\xad',
        argv: ['SET', 'utf8', '\xe4\xb8\xad'],
        compare: 'exact',
      },
    ])
  })

  it('rejects malformed lines with their line number', () => {
    expect(() => parseScript('t.redis', 'GET "k')).toThrow('t.redis:1: unbalanced quotes')
    expect(() => parseScript('t.redis', 'PING\n# @args --hz 5')).toThrow(
      /t.redis:2: @args must come/,
    )
    expect(() => parseScript('t.redis', '# @sleep soon')).toThrow(/milliseconds/)
    expect(() => parseScript('t.redis', '# @bogus')).toThrow(/unknown directive @bogus/)
    expect(() => parseScript('t.redis', '# @raw a b')).toThrow(/one quoted string/)
    expect(() => parseScript('t.redis', '# @repeat 0')).toThrow(/at least 1/)
  })

  it('repeats the next command only, keeping its compare mode each time', () => {
    const s = parseScript('t.redis', '# @repeat 3\n# @unordered\nSMEMBERS s\nGET k')
    const cmd = { kind: 'command', line: 3, text: 'SMEMBERS s', argv: ['SMEMBERS', 's'] }
    expect(s.steps).toEqual([
      { ...cmd, compare: 'unordered' },
      { ...cmd, compare: 'unordered' },
      { ...cmd, compare: 'unordered' },
      { kind: 'command', line: 4, text: 'GET k', argv: ['GET', 'k'], compare: 'exact' },
    ])
  })

  it('@seconds lets two integers be one apart, and nothing else', () => {
    const int = (n: number) => ({ type: 'integer' as const, value: n })
    const same = (a: number, b: number) =>
      sameReply(int(a), `:${String(a)}\r\n`, int(b), `:${String(b)}\r\n`, 'seconds')
    expect(same(0, 1)).toBe(true)
    expect(same(1001, 1000)).toBe(true)
    expect(same(0, 2)).toBe(false)
    const err = { type: 'error' as const, value: 'ERR x' }
    expect(sameReply(err, '-ERR x\r\n', int(0), ':0\r\n', 'seconds')).toBe(false)
    expect(sameReply(err, '-ERR x\r\n', err, '-ERR x\r\n', 'seconds')).toBe(true)
  })
})
