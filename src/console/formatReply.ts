/**
 * Formats a reply as redis-cli prints it on a terminal (redis-cli.c cliFormatReplyTTY):
 *
 *   OK                          simple strings, raw
 *   (error) ERR syntax error    errors
 *   (integer) 1                 integers
 *   "bar"                       bulk strings, quoted and escaped (sds.c sdscatrepr)
 *   (nil)                       the nil bulk and the nil array
 *   (empty array)               an empty array
 *    1) "a"                     arrays: the index is right-aligned to the widest index,
 *   10) "b"                     nested arrays start on the same line as their index and
 *   11) 1) "x"                  indent by the index width plus two spaces.
 *       2) "y"
 *
 * sdscatrepr escapes \ and " with a backslash, \n \r \t \a \b by name, keeps printable ASCII
 * and writes every other byte as \xHH. With `utf8: true` (the app's default) valid UTF-8
 * sequences of printable characters are shown as text instead of \x escapes, so `中文`
 * reads as itself; `utf8: false` is byte-for-byte redis-cli.
 */
import type { Reply } from '../engine/reply.ts'

export interface FormatOptions {
  /** Show valid UTF-8 as text instead of \xHH escapes. Default true. */
  readonly utf8?: boolean
}

/** Formats a reply as the lines redis-cli would print (no trailing newline). */
export function formatReply(reply: Reply, opts: FormatOptions = {}): string {
  const out = formatTTY(reply, '', opts.utf8 ?? true)
  return out.endsWith('\n') ? out.slice(0, -1) : out
}

function formatTTY(r: Reply, prefix: string, utf8: boolean): string {
  switch (r.type) {
    case 'error':
      return `(error) ${r.value}\n`
    case 'simple':
      return `${r.value}\n`
    case 'integer':
      return `(integer) ${String(r.value)}\n`
    case 'bulk':
      return r.value === null ? '(nil)\n' : `${quoteBytes(r.value, utf8)}\n`
    case 'array': {
      if (r.value === null) return '(nil)\n'
      if (r.value.length === 0) return '(empty array)\n'
      const width = String(r.value.length).length
      const childPrefix = prefix + ' '.repeat(width + 2)
      let out = ''
      r.value.forEach((el, i) => {
        // The first element follows the parent's index on the same line.
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(width)}) `
        out += formatTTY(el, childPrefix, utf8)
      })
      return out
    }
  }
}

/** Quotes a byte string the way sdscatrepr does (optionally keeping valid UTF-8 as text). */
export function quoteBytes(s: string, utf8 = true): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const ch = s[i] ?? ''
    if (c === 0x5c || c === 0x22) out += `\\${ch}`
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x09) out += '\\t'
    else if (c === 0x07) out += '\\a'
    else if (c === 0x08) out += '\\b'
    else if (c >= 0x20 && c < 0x7f) out += ch
    else {
      const seq = utf8 && c >= 0xc2 ? utf8Sequence(s, i) : null
      if (seq) {
        out += seq.text
        i += seq.length - 1
      } else out += `\\x${c.toString(16).padStart(2, '0')}`
    }
  }
  return `${out}"`
}

/** Decodes one valid UTF-8 sequence of a printable character at `i`, or null. */
function utf8Sequence(s: string, i: number): { text: string; length: number } | null {
  const b = s.charCodeAt(i)
  const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : 0
  if (need === 0 || b > 0xf4) return null
  let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
  for (let k = 1; k <= need; k++) {
    const c = s.charCodeAt(i + k)
    if (Number.isNaN(c) || (c & 0xc0) !== 0x80) return null
    cp = (cp << 6) | (c & 0x3f)
  }
  const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null
  // C1 controls, line/paragraph separators and other invisible code points stay escaped.
  if (cp < 0xa0 || cp === 0x2028 || cp === 0x2029 || (cp >= 0xfff9 && cp <= 0xfffb)) return null
  return { text: String.fromCodePoint(cp), length: need + 1 }
}
