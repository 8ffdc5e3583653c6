/**
 * Splits a console line into arguments exactly as redis-cli does (sds.c sdssplitargs):
 *
 * - arguments are separated by white space (space, \t, \n, \v, \f, \r);
 * - "double quotes" allow escapes: \n \r \t \b \a, \xHH (two hex digits, a raw byte), and
 *   a backslash before any other character yields that character;
 * - 'single quotes' allow only \' as an escape;
 * - a quote may start in the middle of an argument (a"b c" is one argument, `ab c`);
 * - a closing quote must be followed by white space or the end of the line, and every quote
 *   must be closed; otherwise the line is invalid and redis-cli prints "Invalid argument(s)".
 *
 * The line is first encoded to UTF-8 bytes, so every argument is a byte string as the
 * engine expects (see engine/bytes.ts): `SET k 中` stores 3 bytes, `SET k "\xe4"` one.
 */
import { utf8ToBytes } from '../state/bytes.ts'

/** The message redis-cli prints for a line sdssplitargs rejects. */
export const INVALID_ARGUMENTS = 'Invalid argument(s)'

export type ParseResult =
  | { readonly ok: true; readonly argv: readonly string[] }
  | { readonly ok: false; readonly error: string }

/** Parses a line typed by the user into byte-string arguments. */
export function parseCommandLine(line: string): ParseResult {
  const argv = sdssplitargs(utf8ToBytes(line))
  return argv === null ? { ok: false, error: INVALID_ARGUMENTS } : { ok: true, argv }
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r'
}

function isHex(c: string | undefined): c is string {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c)
}

/** Ordinary characters outside quotes, inside "double" and inside 'single' quotes. */
const PLAIN_RUN = /[^ \n\r\t\0"']+/y
const DOUBLE_RUN = /[^\\"]+/y
const SINGLE_RUN = /[^\\']+/y

/**
 * Where the run of ordinary characters starting at `from` ends. Runs are copied whole: a 10 MB
 * pasted argument appended one character at a time froze the page for seconds.
 */
function runEnd(run: RegExp, line: string, from: number): number {
  run.lastIndex = from
  return run.test(line) ? run.lastIndex : from + 1
}

/**
 * Splits a byte string the way sdssplitargs does; null when quotes are unbalanced or a
 * closing quote is not followed by a space.
 */
export function sdssplitargs(line: string): string[] | null {
  const out: string[] = []
  let i = 0
  for (;;) {
    while (isSpace(line[i])) i++
    if (i >= line.length) return out
    let inq = false // inside "double quotes"
    let insq = false // inside 'single quotes'
    let done = false
    let cur = ''
    while (!done) {
      const c = line[i]
      if (inq) {
        if (c === undefined) return null
        const n1 = line[i + 1]
        const n2 = line[i + 2]
        const n3 = line[i + 3]
        if (c === '\\' && n1 === 'x' && isHex(n2) && isHex(n3)) {
          cur += String.fromCharCode(parseInt(n2 + n3, 16))
          i += 3
        } else if (c === '\\' && n1 !== undefined) {
          i++
          cur +=
            n1 === 'n'
              ? '\n'
              : n1 === 'r'
                ? '\r'
                : n1 === 't'
                  ? '\t'
                  : n1 === 'b'
                    ? '\b'
                    : n1 === 'a'
                      ? '\x07'
                      : n1
        } else if (c === '"') {
          // The closing quote must be followed by a space or nothing at all.
          if (line[i + 1] !== undefined && !isSpace(line[i + 1])) return null
          done = true
        } else {
          const end = runEnd(DOUBLE_RUN, line, i)
          cur += line.slice(i, end)
          i = end - 1
        }
      } else if (insq) {
        if (c === undefined) return null
        if (c === '\\' && line[i + 1] === "'") {
          i++
          cur += "'"
        } else if (c === "'") {
          if (line[i + 1] !== undefined && !isSpace(line[i + 1])) return null
          done = true
        } else {
          const end = runEnd(SINGLE_RUN, line, i)
          cur += line.slice(i, end)
          i = end - 1
        }
      } else if (
        c === undefined ||
        c === ' ' ||
        c === '\n' ||
        c === '\r' ||
        c === '\t' ||
        c === '\0'
      ) {
        done = true
      } else if (c === '"') {
        inq = true
      } else if (c === "'") {
        insq = true
      } else {
        const end = runEnd(PLAIN_RUN, line, i)
        cur += line.slice(i, end)
        i = end - 1
      }
      if (c !== undefined) i++
    }
    out.push(cur)
  }
}
