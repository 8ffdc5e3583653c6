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
 * RESP3 replies (a client after HELLO 3), as redis-cli -3 prints them:
 *
 *   1# "f1" => "v1"             maps: `#` after the index, key => value; a value that takes
 *   2# "f2" =>                  more than one line starts on the next line, indented
 *      1) "a"
 *      2) "b"
 *   1~ "a"                      sets: `~` after the index
 *   (empty hash) (empty set)    empty maps and sets ((empty push) for a push)
 *   (double) 1.5                doubles, as Redis wrote them (inf, -inf, nan)
 *   (true) (false)              booleans
 *   (nil)                       the null
 *   id=3 addr=...               verbatim strings (INFO, CLIENT INFO): the text as it is
 *   1) "message"                pushes: like arrays
 *   (big number) 123            big numbers: 7.0.15's redis-cli stops with "Unknown reply
 *                               type: 13"; later ones print this, which is what we show
 *
 * An attribute (DEBUG PROTOCOL attrib) is not shown, only the reply it comes with
 * (7.0.15's redis-cli stops with a protocol error on it).
 *
 * sdscatrepr escapes \ and " with a backslash, \n \r \t \a \b by name, keeps printable ASCII
 * and writes every other byte as \xHH. With `utf8: true` (the app's default) valid UTF-8
 * sequences of printable characters are shown as text instead of \x escapes, so `中文`
 * reads as itself; `utf8: false` is byte-for-byte redis-cli.
 */
import type { Reply } from '../engine/reply.ts'
import { bytesToUtf8 } from '../state/bytes.ts'

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
    case 'double':
      return `(double) ${r.value}\n`
    case 'bool':
      return r.value ? '(true)\n' : '(false)\n'
    case 'null':
      return '(nil)\n'
    case 'verbatim':
      return `${bytesToUtf8(r.value)}\n`
    case 'bignum':
      return `(big number) ${r.value}\n`
    case 'attribute':
      return ''
    case 'map':
    case 'set':
    case 'push': {
      if (r.value.length === 0) return `(empty ${EMPTY_NAME[r.type]})\n`
      const isMap = r.type === 'map'
      const n = isMap ? r.value.length / 2 : r.value.length
      const width = String(n).length
      const childPrefix = prefix + ' '.repeat(width + 2)
      const sep = AGGREGATE_SEP[r.type]
      let out = ''
      for (let i = 0; i < n; i++) {
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(width)}${sep} `
        if (!isMap) {
          out += formatTTY(r.value[i] as Reply, childPrefix, utf8)
          continue
        }
        const value = r.value[2 * i + 1] as Reply
        out += formatTTY(r.value[2 * i] as Reply, childPrefix, utf8).slice(0, -1) + ' => '
        if (isMultilineTTY(value)) out += `\n${childPrefix}`
        out += formatTTY(value, childPrefix, utf8)
      }
      return out
    }
    // redis-cli prints status and error text as raw bytes, which the terminal shows as UTF-8
    // (an unknown command named 用户 is echoed back in the error).
    case 'error':
      return `(error) ${bytesToUtf8(r.value)}\n`
    case 'simple':
      return `${bytesToUtf8(r.value)}\n`
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
    case 'sequence':
      // Several replies (SUBSCRIBE a b): redis-cli prints each as it reads it.
      return r.value.map((el) => formatTTY(el, prefix, utf8)).join('')
  }
}

const EMPTY_NAME = { map: 'hash', set: 'set', push: 'push' } as const
const AGGREGATE_SEP = { map: '#', set: '~', push: ')' } as const

/** redis-cli cliIsMultilineValueTTY: a map value printed from the next line. */
function isMultilineTTY(r: Reply): boolean {
  switch (r.type) {
    case 'array':
    case 'set':
    case 'push':
      if (r.value === null || r.value.length === 0) return false
      return r.value.length > 1 || isMultilineTTY(r.value[0] as Reply)
    case 'map':
      if (r.value.length === 0) return false
      return r.value.length > 2 || isMultilineTTY(r.value[1] as Reply)
    default:
      return false
  }
}

// --- What the console shows ---

/** Lines of one reply the console lays out; past them it says how many it left out. */
export const MAX_REPLY_LINES = 2000
/** Characters of one reply the console lays out (a 1 MB value would freeze the page). */
export const MAX_REPLY_CHARS = 100_000

export interface ShowOptions extends FormatOptions {
  /**
   * Print as redis-cli does for INFO, CLIENT LIST, DEBUG HTSTATS ... (its `output_raw`,
   * cliFormatReplyRaw): a bulk string's text as is, elements one per line, no `(error)`.
   */
  readonly raw?: boolean
  readonly maxLines?: number
  readonly maxChars?: number
}

/** A reply as the console prints it, cut to what a page can lay out. */
export interface ShownReply {
  readonly text: string
  /** Lines left out past the line limit. */
  readonly moreLines: number
  /** Characters left out past the character limit (of the lines that were shown). */
  readonly moreChars: number
  /** Bytes of a huge bulk value left out past the character limit (never quoted). */
  readonly moreBytes: number
}

/**
 * Formats a reply as redis-cli prints it (TTY, or raw with `raw`), keeping at most
 * `maxLines` lines and `maxChars` characters: KEYS * over a million keys, or GET of a 1 MB
 * value, prints a readable head and the count of what was left out instead of freezing the
 * page. Elements past the limits are counted, never formatted.
 */
export function showReply(reply: Reply, opts: ShowOptions = {}): ShownReply {
  const maxLines = opts.maxLines ?? MAX_REPLY_LINES
  const maxChars = opts.maxChars ?? MAX_REPLY_CHARS
  const lines: string[] = []
  let chars = 0
  let moreLines = 0
  let moreChars = 0
  let moreBytes = 0
  const full = () => lines.length >= maxLines || chars >= maxChars
  const emit = (line: string): void => {
    if (full()) {
      moreLines++
      return
    }
    const room = maxChars - chars
    if (line.length > room) {
      lines.push(line.slice(0, room))
      moreChars += line.length - room
      chars = maxChars
    } else {
      lines.push(line)
      chars += line.length + 1
    }
  }
  if (opts.raw === true) {
    const text = formatRaw(reply)
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) emit(line)
  } else {
    const utf8 = opts.utf8 ?? true
    const walk = (r: Reply, lead: string, prefix: string): void => {
      if (r.type === 'sequence') {
        for (const el of r.value) walk(el, lead, prefix)
        return
      }
      if (r.type === 'bulk' && r.value !== null && r.value.length > maxChars && !full()) {
        // A huge value: quote only what can be shown, count the rest.
        const q = quoteBytesCut(r.value, utf8, maxChars)
        moreBytes += q.moreBytes
        emit(lead + q.text)
        return
      }
      if (r.type === 'attribute') return
      if (r.type === 'map' && r.value.length > 0) {
        walkMap(r.value, lead, prefix)
        return
      }
      const items = r.type === 'array' || r.type === 'set' || r.type === 'push' ? r.value : null
      if (items === null || items.length === 0) {
        if (full()) moreLines++
        else emit(lead + formatTTY(r, prefix, utf8).slice(0, -1))
        return
      }
      const sep = r.type === 'set' ? '~' : ')'
      const width = String(items.length).length
      const childPrefix = prefix + ' '.repeat(width + 2)
      items.forEach((el, i) => {
        if (full()) moreLines += leafCount(el)
        else
          walk(el, `${i === 0 ? lead : prefix}${String(i + 1).padStart(width)}${sep} `, childPrefix)
      })
    }
    // A map's pairs: `n# key => value`, a multi-line value from the next line.
    const walkMap = (flat: readonly Reply[], lead: string, prefix: string): void => {
      const n = flat.length / 2
      const width = String(n).length
      const childPrefix = prefix + ' '.repeat(width + 2)
      for (let i = 0; i < n; i++) {
        const key = flat[2 * i] as Reply
        const value = flat[2 * i + 1] as Reply
        if (full()) {
          moreLines += leafCount(value) + (isMultilineTTY(value) ? 1 : 0)
          continue
        }
        const keyLines = formatTTY(key, childPrefix, utf8).slice(0, -1).split('\n')
        const head = `${i === 0 ? lead : prefix}${String(i + 1).padStart(width)}# `
        keyLines.slice(0, -1).forEach((l, j) => emit(j === 0 ? head + l : l))
        const keyLast = keyLines.length > 1 ? (keyLines.at(-1) ?? '') : head + (keyLines[0] ?? '')
        if (isMultilineTTY(value)) {
          emit(`${keyLast} => `)
          walk(value, childPrefix, childPrefix)
        } else walk(value, `${keyLast} => `, childPrefix)
      }
    }
    walk(reply, '', '')
  }
  return { text: lines.join('\n'), moreLines, moreChars, moreBytes }
}

/**
 * An array whose header announced more elements than Redis sent, with both counts, or null.
 * EXEC's header counts every queued command, and a CLIENT REPLY OFF or SKIP queued with them
 * withholds some replies (multi.ts): redis-cli 7.0.15 then prints nothing and blocks, reading
 * for the elements that never come, until the next reply on the connection completes the array
 * or Ctrl+C ends it. The console says so rather than show the reply as if it were whole.
 */
export function shortArray(r: Reply): { readonly count: number; readonly sent: number } | null {
  if (r.type === 'sequence') {
    for (const el of r.value) {
      const short = shortArray(el)
      if (short) return short
    }
    return null
  }
  if (r.type !== 'array' || r.value === null) return null
  if (r.count !== undefined && r.count > r.value.length)
    return { count: r.count, sent: r.value.length }
  for (const el of r.value) {
    const short = shortArray(el)
    if (short) return short
  }
  return null
}

/** The lines a reply takes in TTY output: one per element that is not a non-empty array. */
function leafCount(r: Reply): number {
  if (r.type === 'sequence') return r.value.reduce((n, el) => n + leafCount(el), 0)
  if (r.type === 'attribute') return 0
  if (r.type === 'map' && r.value.length > 0) {
    let n = 0
    for (let i = 1; i < r.value.length; i += 2) {
      const value = r.value[i] as Reply
      n += leafCount(value) + (isMultilineTTY(value) ? 1 : 0)
    }
    return n
  }
  const items = r.type === 'array' || r.type === 'set' || r.type === 'push' ? r.value : null
  if (items === null || items.length === 0) return 1
  let n = 0
  for (const el of items) n += leafCount(el)
  return n
}

/** cliFormatReplyRaw: strings as they are (decoded as UTF-8, as a terminal shows them). */
function formatRaw(r: Reply): string {
  switch (r.type) {
    case 'error':
      return `${bytesToUtf8(r.value)}\n`
    case 'simple':
      return bytesToUtf8(r.value)
    case 'integer':
      return String(r.value)
    case 'bulk':
      return r.value === null ? '' : bytesToUtf8(r.value)
    case 'array':
    case 'set':
    case 'push':
      return (r.value ?? []).map(formatRaw).join('\n')
    case 'sequence':
      return r.value
        .filter((x) => x.type !== 'attribute')
        .map(formatRaw)
        .join('\n')
    case 'map': {
      const pairs: string[] = []
      for (let i = 0; i + 1 < r.value.length; i += 2)
        pairs.push(`${formatRaw(r.value[i] as Reply)} ${formatRaw(r.value[i + 1] as Reply)}`)
      return pairs.join('\n')
    }
    case 'verbatim':
      return bytesToUtf8(r.value)
    case 'double':
    case 'bignum':
      return r.value
    case 'bool':
      return r.value ? '(true)' : '(false)'
    case 'null':
    case 'attribute':
      return ''
  }
}

/** Quotes a byte string the way sdscatrepr does (optionally keeping valid UTF-8 as text). */
export function quoteBytes(s: string, utf8 = true): string {
  return quoteBytesCut(s, utf8, Infinity).text
}

/**
 * A run of printable ASCII that sdscatrepr copies as it is (everything but `"` and `\`), at
 * most 4096 bytes at a time, so a cut value's plain tail is not scanned to its end.
 */
const PLAIN_RUN = /[\x20\x21\x23-\x5b\x5d-\x7e]{1,4096}/y

/**
 * quoteBytes, keeping at most `max` characters of the quoted text (the closing quote only
 * when all of `s` fits); `moreBytes` counts the bytes of `s` left out. Runs of plain ASCII
 * are copied as slices, and the bytes past the cut are never looked at: GET of a 10 MB value
 * built the whole quoted string character by character and took seconds, and counting the
 * escaped length of the rest still froze the page for seconds on the 512 MB string a
 * SETRANGE far past the end makes, for a console that shows its first 100,000 characters.
 */
export function quoteBytesCut(
  s: string,
  utf8: boolean,
  max: number,
): { readonly text: string; readonly moreBytes: number } {
  const parts: string[] = []
  let len = 0
  // Appends what fits of `piece`; false when it did not all fit.
  const put = (piece: string): boolean => {
    if (len + piece.length > max) {
      parts.push(piece.slice(0, max - len))
      len = max
      return false
    }
    parts.push(piece)
    len += piece.length
    return true
  }
  put('"')
  let i = 0
  while (i < s.length && len < max) {
    PLAIN_RUN.lastIndex = i
    const run = PLAIN_RUN.exec(s)
    if (run) {
      // Only what fits: the bytes of a run past the cut are bytes left out.
      const piece = run[0].slice(0, max - len)
      put(piece)
      i += piece.length
      continue
    }
    const c = s.charCodeAt(i)
    const ch = s[i] ?? ''
    let piece: string
    let bytes = 1
    if (c === 0x5c || c === 0x22) piece = `\\${ch}`
    else if (c === 0x0a) piece = '\\n'
    else if (c === 0x0d) piece = '\\r'
    else if (c === 0x09) piece = '\\t'
    else if (c === 0x07) piece = '\\a'
    else if (c === 0x08) piece = '\\b'
    else {
      const seq = utf8 && c >= 0xc2 ? utf8Sequence(s, i) : null
      piece = seq ? seq.text : `\\x${c.toString(16).padStart(2, '0')}`
      bytes = seq ? seq.length : 1
    }
    // A byte whose escape is cut short (`\x0`) counts as left out.
    if (!put(piece)) break
    i += bytes
  }
  put('"')
  return { text: parts.join(''), moreBytes: s.length - i }
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
