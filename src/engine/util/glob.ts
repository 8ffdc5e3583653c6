/**
 * Glob-style matching for KEYS, SCAN MATCH, CONFIG GET and friends — follows
 * redis/src/util.c:stringmatchlen (7.0.15, including the skipLongerMatches cut-off that
 * bounds the cost of patterns with many '*').
 *
 * Syntax: '*' any run of bytes, '?' one byte, '[abc]' a set, '[^abc]' its complement,
 * '[a-z]' a range (ends may be given in either order), '\x' the byte x literally, inside
 * or outside brackets. Quirks kept on purpose, because Redis has them:
 *  - an unterminated '[' matches as if the set ended at the pattern's end;
 *  - a trailing '\' matches a literal '\';
 *  - range ends are compared as C `char`, which is signed on x86-64, so a range such as
 *    [a-\xff] covers bytes 0x80..0xff and a..z together with everything in between the
 *    signed values (the ends are swapped when start > end);
 *  - nocase folds with C tolower() in the C locale (ASCII letters only).
 */

// --- Helpers ---

/** A pattern or string byte at i, or 0 past the end (C strings are NUL-terminated). */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0
}

/** C tolower() in the C locale. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c
}

/** A byte as a signed C char. */
function signedChar(c: number): number {
  return c > 127 ? c - 256 : c
}

interface MatchState {
  skipLongerMatches: boolean
}

function matchImpl(
  pattern: string,
  p: number,
  string: string,
  s: number,
  nocase: boolean,
  st: MatchState,
): boolean {
  let plen = pattern.length - p
  let slen = string.length - s
  while (plen > 0 && slen > 0) {
    const pc = at(pattern, p)
    switch (pc) {
      case 42 /* * */: {
        while (plen > 0 && at(pattern, p + 1) === 42) {
          p++
          plen--
        }
        if (plen === 1) return true
        while (slen > 0) {
          if (matchImpl(pattern, p + 1, string, s, nocase, st)) return true
          if (st.skipLongerMatches) return false
          s++
          slen--
        }
        // Nothing after this '*' matches anywhere in the rest of the string, so no earlier
        // '*' can help by consuming more: stop the whole search.
        st.skipLongerMatches = true
        return false
      }
      case 63 /* ? */:
        s++
        slen--
        break
      case 91 /* [ */: {
        p++
        plen--
        const not = at(pattern, p) === 94 /* ^ */
        if (not) {
          p++
          plen--
        }
        let match = false
        const sc = at(string, s)
        for (;;) {
          const c = at(pattern, p)
          if (c === 92 /* \ */ && plen >= 2) {
            p++
            plen--
            if (at(pattern, p) === sc) match = true
          } else if (c === 93 /* ] */) {
            break
          } else if (plen === 0) {
            p--
            plen++
            break
          } else if (plen >= 3 && at(pattern, p + 1) === 45 /* - */) {
            let start = signedChar(c)
            let end = signedChar(at(pattern, p + 2))
            let ch = signedChar(sc)
            if (start > end) {
              const t = start
              start = end
              end = t
            }
            if (nocase) {
              start = lower(start)
              end = lower(end)
              ch = lower(ch)
            }
            p += 2
            plen -= 2
            if (ch >= start && ch <= end) match = true
          } else if (nocase ? lower(c) === lower(sc) : c === sc) {
            match = true
          }
          p++
          plen--
        }
        if (not) match = !match
        if (!match) return false
        s++
        slen--
        break
      }
      default: {
        if (pc === 92 /* \ */ && plen >= 2) {
          p++
          plen--
        }
        const c = at(pattern, p)
        const sc = at(string, s)
        if (nocase ? lower(c) !== lower(sc) : c !== sc) return false
        s++
        slen--
        break
      }
    }
    p++
    plen--
    if (slen === 0) {
      while (at(pattern, p) === 42 && plen > 0) {
        p++
        plen--
      }
      break
    }
  }
  return plen === 0 && slen === 0
}

// --- API ---

/**
 * Tells whether `string` matches the glob `pattern` as util.c:stringmatchlen does
 * (binary-safe byte strings; `nocase` folds ASCII letters).
 */
export function stringmatchlen(pattern: string, string: string, nocase = false): boolean {
  return matchImpl(pattern, 0, string, 0, nocase, { skipLongerMatches: false })
}

/** Tells whether a pattern is the match-everything '*' (SCAN and KEYS skip matching then). */
export function isMatchAll(pattern: string): boolean {
  return pattern === '*'
}
