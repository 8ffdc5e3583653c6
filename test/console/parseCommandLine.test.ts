import { describe, expect, it } from 'vitest'
import { INVALID_ARGUMENTS, parseCommandLine } from '../../src/console/parseCommandLine.ts'

// Each row: the typed line and redis-cli's argv (sdssplitargs), or null for "Invalid argument(s)".
const cases: [string, string[] | null][] = [
  ['', []],
  ['   ', []],
  ['SET foo bar', ['SET', 'foo', 'bar']],
  ['  set   foo   bar  ', ['set', 'foo', 'bar']],
  ['set\tfoo\tbar', ['set', 'foo', 'bar']],
  ['SET k "hello world"', ['SET', 'k', 'hello world']],
  ["SET k 'hello world'", ['SET', 'k', 'hello world']],
  ['SET k "a\\x41b"', ['SET', 'k', 'aAb']],
  ['SET k "\\x4"', ['SET', 'k', 'x4']],
  ['SET k "\\xzz"', ['SET', 'k', 'xzz']],
  ['SET k "line\\nnext\\ttab\\r\\b\\a"', ['SET', 'k', 'line\nnext\ttab\r\b\x07']],
  ['SET k "q\\"uote"', ['SET', 'k', 'q"uote']],
  ['SET k "back\\\\slash"', ['SET', 'k', 'back\\slash']],
  ['SET k "\\z"', ['SET', 'k', 'z']],
  ["SET k 'it\\'s'", ['SET', 'k', "it's"]],
  ["SET k 'no\\nescape'", ['SET', 'k', 'no\\nescape']],
  ['SET k ""', ['SET', 'k', '']],
  ["SET k ''", ['SET', 'k', '']],
  ['a"b c"', ['ab c']],
  ['SET k \\x41', ['SET', 'k', '\\x41']],
  ['SET k "\\xe4\\xb8\\xad"', ['SET', 'k', '\xe4\xb8\xad']],
  ['SET k 中', ['SET', 'k', '\xe4\xb8\xad']],
  ['SET k "unterminated', null],
  ["SET k 'unterminated", null],
  ['SET k "closed"x', null],
  ["SET k 'closed'x", null],
  ['SET k "ends with backslash\\', null],
  ['"a" "b"', ['a', 'b']],
]

describe('parseCommandLine (sdssplitargs rules)', () => {
  it.each(cases)('%j', (line, argv) => {
    const r = parseCommandLine(line)
    if (argv === null) expect(r).toEqual({ ok: false, error: INVALID_ARGUMENTS })
    else expect(r).toEqual({ ok: true, argv })
  })
})
