/**
 * Byte strings. Redis strings are binary-safe byte sequences; the engine holds them as JS
 * strings whose code units are bytes 0–255 ("latin1" strings). Length is byte length, so
 * STRLEN of "中文" (6 UTF-8 bytes) is 6. Text typed by a user is encoded to UTF-8 bytes on
 * the way in and decoded for display on the way out; nothing else in the engine converts.
 */

/**
 * Encodes a JS (UTF-16) string as a byte string of its UTF-8 bytes. Runs of ASCII are copied
 * whole (a 10 MB argument pasted in the app's console was appended one character at a time,
 * seconds of rope strings and garbage collection on the page's main thread).
 */
export function utf8ToBytes(text: string): string {
  let out = ''
  let from = 0 // start of the ASCII run not copied yet
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (from < i) out += text.slice(from, i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
      }
    }
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000)
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else
      out += String.fromCharCode(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 63),
        0x80 | ((c >> 6) & 63),
        0x80 | (c & 63),
      )
    from = i + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

/**
 * Decodes a byte string as UTF-8 for display. Invalid sequences come back as U+FFFD, so a
 * caller that needs exact bytes should use escapeBytes instead.
 */
export function bytesToUtf8(bytes: string): string {
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const b = bytes.charCodeAt(i)
    let need: number
    let cp: number
    if (b < 0x80) {
      out += bytes[i]
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      cp = b & 0x1f
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      cp = b & 0x0f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      cp = b & 0x07
    } else {
      out += '\ufffd'
      i++
      continue
    }
    let ok = i + need < bytes.length
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes.charCodeAt(i + k)
      if (Number.isNaN(c) || (c & 0xc0) !== 0x80) ok = false
      else cp = (cp << 6) | (c & 0x3f)
    }
    const minimum = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000
    if (!ok || cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd'
      i++
      continue
    }
    out += String.fromCodePoint(cp)
    i += need + 1
  }
  return out
}

/** Tells whether every code unit of a string is a byte (0–255). */
export function isByteString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false
  return true
}

/**
 * A command argument as a caller may pass it to call()/execute(): a byte string (the
 * engine's own form), text, or bytes.
 */
export type ArgInput = string | Uint8Array

/** A code unit that cannot be a byte: the string is text, not a byte string. */
const NOT_A_BYTE = /[\u0100-\uffff]/

/**
 * The byte strings of a command's arguments. A byte string passes through untouched (the
 * RESP server and the console send only those, so this is one scan and no copy); a string
 * with a code unit above 255 cannot be bytes and is taken as text, encoded as UTF-8
 * (`SET k 中文` stores 6 bytes, as redis-cli would send them); a Uint8Array gives its bytes.
 */
export function argvToBytes(argv: readonly ArgInput[]): readonly string[] {
  for (const a of argv) if (typeof a !== 'string' || NOT_A_BYTE.test(a)) return argv.map(argToBytes)
  return argv as readonly string[]
}

/** One argument (or a key given to inspect) as a byte string: see argvToBytes. */
export function argToBytes(a: ArgInput): string {
  if (typeof a === 'string') return NOT_A_BYTE.test(a) ? utf8ToBytes(a) : a
  let out = ''
  // String.fromCharCode takes its arguments on the stack: a few KiB at a time.
  for (let i = 0; i < a.length; i += 8192)
    out += String.fromCharCode(...a.subarray(i, Math.min(i + 8192, a.length)))
  return out
}

/**
 * An argument as a C "%s" prints it in an error message: up to its first NUL byte
 * (addReplyErrorFormat("Unsupported option %s", arg) stops there).
 */
export function cstr(s: string): string {
  const nul = s.indexOf('\0')
  return nul < 0 ? s : s.slice(0, nul)
}
