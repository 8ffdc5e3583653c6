/**
 * Byte strings. Redis strings are binary-safe byte sequences; the engine holds them as JS
 * strings whose code units are bytes 0–255 ("latin1" strings). Length is byte length, so
 * STRLEN of "中文" (6 UTF-8 bytes) is 6. Text typed by a user is encoded to UTF-8 bytes on
 * the way in and decoded for display on the way out; nothing else in the engine converts.
 */

/** Encodes a JS (UTF-16) string as a byte string of its UTF-8 bytes. */
export function utf8ToBytes(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) {
      out += text[i]
      continue
    }
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
  }
  return out
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
 * An argument as a C "%s" prints it in an error message: up to its first NUL byte
 * (addReplyErrorFormat("Unsupported option %s", arg) stops there).
 */
export function cstr(s: string): string {
  const nul = s.indexOf('\0')
  return nul < 0 ? s : s.slice(0, nul)
}
