import { describe, expect, it } from 'vitest'
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
      { kind: 'sleep', line: 12, ms: 150 },
      { kind: 'client', line: 13, name: 'other' },
      { kind: 'raw', line: 14, text: '"PING\\r\\n"', bytes: 'PING\r\n' },
      { kind: 'reconnect', line: 15 },
      {
        kind: 'command',
        line: 16,
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
})
