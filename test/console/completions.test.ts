import { describe, expect, it } from 'vitest'
import { completeLine, helpLines, hintFor } from '../../src/console/completions.ts'
import type { CommandDoc } from '../../src/worker/protocol.ts'

const doc = (name: string, params: string, group = 'string'): CommandDoc => ({
  name,
  params,
  summary: `${name} summary`,
  since: '1.0.0',
  group,
  arity: -2,
})
const commands = [
  doc('GET', 'key'),
  doc('GETDEL', 'key'),
  doc('SET', 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]'),
  doc('CLIENT', 'subcommand', 'connection'),
  doc('CLIENT KILL', '[ip:port] [ID client-id]', 'connection'),
  doc('ZADD', 'key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]', 'sorted-set'),
]

describe('completeLine', () => {
  it('offers every command the line is a prefix of, case-insensitively', () => {
    expect(completeLine('ge', commands)).toEqual(['GET', 'GETDEL'])
    expect(completeLine('client k', commands)).toEqual(['CLIENT KILL'])
    expect(completeLine('xyz', commands)).toEqual([])
  })
  it('completes help topics, groups included', () => {
    expect(completeLine('help s', commands)).toEqual(['help SET'])
    expect(completeLine('help @s', commands)).toEqual(['help @string', 'help @sorted-set'])
  })
})

describe('hintFor (redis-cli hintsCallback)', () => {
  it('shows the whole syntax after a bare command name, with a leading space', () => {
    expect(hintFor('set', commands)).toBe(
      ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]',
    )
    expect(hintFor('set ', commands)).toBe(
      'key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]',
    )
  })
  it('drops the arguments already typed, stopping at the first optional one', () => {
    expect(hintFor('SET k', commands)).toBe(
      ' value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]',
    )
    expect(hintFor('SET k v ', commands)).toBe('[NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]')
    expect(hintFor('SET k v NX ', commands)).toBe(
      '[NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]',
    )
  })
  it('prefers the longest matching name (subcommands)', () => {
    expect(hintFor('client kill ', commands)).toBe('[ip:port] [ID client-id]')
    expect(hintFor('client ', commands)).toBe('subcommand')
  })
  it('gives nothing for unknown commands or an empty line', () => {
    expect(hintFor('nope', commands)).toBeNull()
    expect(hintFor('', commands)).toBeNull()
  })
})

describe('helpLines (redis-cli cliOutputHelp)', () => {
  it('prints a command with its group, as redis-cli 7.0.15 does', () => {
    expect(helpLines(['get'], commands)).toEqual([
      '',
      '  GET key',
      '  summary: GET summary',
      '  since: 1.0.0',
      '  group: string',
      '',
    ])
  })
  it('prints every command the words start, subcommands included', () => {
    expect(helpLines(['client'], commands)).toEqual([
      '',
      '  CLIENT subcommand',
      '  summary: CLIENT summary',
      '  since: 1.0.0',
      '  group: connection',
      '',
      '  CLIENT KILL [ip:port] [ID client-id]',
      '  summary: CLIENT KILL summary',
      '  since: 1.0.0',
      '  group: connection',
      '',
    ])
    expect(helpLines(['CLIENT', 'kill'], commands).filter((l) => l.startsWith('  CLIENT'))).toEqual(
      ['  CLIENT KILL [ip:port] [ID client-id]'],
    )
  })
  it('lists a @group without the group line', () => {
    expect(helpLines(['@string'], commands)).toEqual([
      '',
      '  GET key',
      '  summary: GET summary',
      '  since: 1.0.0',
      '',
      '  GETDEL key',
      '  summary: GETDEL summary',
      '  since: 1.0.0',
      '',
      '  SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]',
      '  summary: SET summary',
      '  since: 1.0.0',
      '',
    ])
  })
  it('prints a blank line for a topic that matches nothing', () => {
    expect(helpLines(['nosuch'], commands)).toEqual(['', ''])
  })
  it('prints the generic help with no topic', () => {
    expect(helpLines([], commands)[0]).toBe('redis-cli 7.0.15')
  })
})
