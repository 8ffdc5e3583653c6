import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { stringmatchlen } from '../../../src/engine/util/glob.ts'

const m = (p: string, s: string, nocase = false) => stringmatchlen(p, s, nocase)

describe('stringmatchlen', () => {
  it('matches * and ?', () => {
    // The empty string matches no non-empty pattern, not even '*' (KEYS special-cases '*').
    expect(m('*', '')).toBe(false)
    expect(m('*', 'anything')).toBe(true)
    expect(m('h?llo', 'hello')).toBe(true)
    expect(m('h?llo', 'hllo')).toBe(false)
    expect(m('h*llo', 'hllo')).toBe(true)
    expect(m('h*llo', 'heeeello')).toBe(true)
    expect(m('a**b', 'ab')).toBe(true)
    expect(m('a*', '')).toBe(false)
    expect(m('', '')).toBe(true)
    expect(m('', 'a')).toBe(false)
    expect(m('?', '')).toBe(false)
    expect(m('*a*b*c*', 'xxaxxbxxc')).toBe(true)
    expect(m('*a*b*c*d', 'xxaxxbxxc')).toBe(false)
  })
  it('matches sets, negated sets and ranges (either order)', () => {
    expect(m('h[ae]llo', 'hello')).toBe(true)
    expect(m('h[ae]llo', 'hillo')).toBe(false)
    expect(m('h[^e]llo', 'hallo')).toBe(true)
    expect(m('h[^e]llo', 'hello')).toBe(false)
    expect(m('h[a-b]llo', 'hbllo')).toBe(true)
    expect(m('h[b-a]llo', 'hbllo')).toBe(true)
    expect(m('[a-]', '-')).toBe(false) // 'a-]' is read as the range a..']' [verified]
    expect(m('[]a]', ']')).toBe(false) // ']' closes the empty set at once
    expect(m('[\\]]', ']')).toBe(true)
    expect(m('[\\-a]', '-')).toBe(true)
  })
  it('handles an unterminated [ as a set running to the end', () => {
    expect(m('[abc', 'b')).toBe(true)
    expect(m('[abc', 'd')).toBe(false)
    expect(m('[', 'a')).toBe(false)
    expect(m('[^', 'a')).toBe(true)
    expect(m('a[', 'a')).toBe(false)
  })
  it('treats backslash as an escape, and a trailing backslash literally', () => {
    expect(m('\\*', '*')).toBe(true)
    expect(m('\\*', 'a')).toBe(false)
    expect(m('a\\', 'a\\')).toBe(true)
    expect(m('\\', '\\')).toBe(true)
    expect(m('\\?', 'x')).toBe(false)
  })
  it('folds ASCII case with nocase, including in ranges', () => {
    expect(m('HeLLo', 'hello', true)).toBe(true)
    expect(m('HeLLo', 'hello')).toBe(false)
    expect(m('[A-C]', 'b', true)).toBe(true)
    expect(m('[abc]', 'B', true)).toBe(true)
  })
  it('compares range ends as signed chars (x86-64)', () => {
    // [a-\xff]: 'a' = 97, 0xff = -1 as signed char, so the range is [-1, 97] after the swap.
    expect(m('[a-\xff]', 'A')).toBe(true)
    expect(m('[a-\xff]', 'z')).toBe(false)
    expect(m('[\x80-\xff]', '\x90')).toBe(true)
    expect(m('[\x80-\xff]', 'a')).toBe(false)
  })
  it('is binary safe', () => {
    expect(m('a?c', 'a\u0000c')).toBe(true)
    expect(m('a\u0000*', 'a\u0000zz')).toBe(true)
  })
  test.prop([fc.string({ unit: 'binary-ascii', maxLength: 12 })])(
    'a literal-escaped string matches itself',
    (s) => {
      const escaped = s.replace(/[*?[\]\\^-]/g, (c) => `\\${c}`)
      expect(m(escaped, s)).toBe(true)
      expect(m('*', s)).toBe(s.length > 0)
    },
  )
})
