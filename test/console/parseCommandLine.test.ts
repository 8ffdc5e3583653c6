import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INVALID_ARGUMENTS, parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { utf8ToBytes } from '../../src/state/bytes.ts'

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

/** An argument as redis-cli's own output would quote it: "..." with \\, \" and \xHH escapes. */
function quoted(bytes: string): string {
  let out = '"'
  for (const ch of bytes) {
    const c = ch.charCodeAt(0)
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

describe('parseCommandLine on any input', () => {
  // Byte strings rich in quotes, backslashes and spaces, some long (runs are copied whole).
  const bytes = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) }),
    fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', 'x', '\n') }),
    fc.string({ minLength: 100, maxLength: 5000 }),
  )

  it('reads back any arguments written in double quotes', () => {
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 6 }), (argv) => {
        expect(parseCommandLine(argv.map(quoted).join(' '))).toEqual({ ok: true, argv })
      }),
    )
  })

  it('reads back single-quoted and plain words', () => {
    const plain = fc.string({
      minLength: 1,
      unit: fc.constantFrom('a', 'b', '中', '-', ':', '\\'),
    })
    // Inside single quotes only \' is an escape.
    const single = fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", 'é', '\\a') })
    fc.assert(
      fc.property(plain, single, (p, q) => {
        const line = `${p} '${q.replace(/'/g, "\\'")}'`
        expect(parseCommandLine(line)).toEqual({ ok: true, argv: [utf8ToBytes(p), utf8ToBytes(q)] })
      }),
    )
  })

  it('encodes typed text to the same UTF-8 bytes as TextEncoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const expected = String.fromCharCode(...new TextEncoder().encode(text))
        expect(utf8ToBytes(text)).toBe(expected)
      }),
    )
  })
})
