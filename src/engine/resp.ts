/**
 * RESP2 and RESP3, the Redis serialization protocol, as pure functions over byte strings
 * (bytes.ts: every code unit is one byte 0–255). Three parts:
 *
 * - The reply encoder (networking.c addReply*): Reply → the exact bytes Redis writes. The
 *   RESP3 types (reply.ts) exist only in replies to RESP3 clients, so the encoder needs no
 *   protocol: a RESP2 reply encodes as it always did.
 * - The request parser (networking.c processInputBuffer / processMultibulkBuffer /
 *   processInlineBuffer): an incremental reader over the client's query buffer that yields
 *   one argv at a time and stops at the first protocol error with Redis's wording. It keeps
 *   Redis's quirks on purpose: header lines are found with strchr (so a NUL byte before the
 *   '\r' hides the line), the two bytes after a bulk are skipped without being checked,
 *   `*0` and `*-1` are empty requests, inline lines are split with sdssplitargs rules.
 * - A reply reader (what a client does, hiredis-style): bytes → Reply, incremental, used
 *   by tests and the conformance harness to cut a reply stream into replies.
 *
 * The query buffer is a JS string: the transport decodes each network chunk as latin1 once
 * (cheap and native in Node) and short arguments are slices of it (V8 copies slices under 13
 * characters into fresh strings). A longer slice would be a V8 "sliced string": a view that
 * keeps the whole query buffer alive (a key stored by SET would pin its network chunk) and
 * compares slowly (every dict lookup on it goes through the runtime). So when the transport
 * also hands over the chunk's bytes (RespChunkBytes, Node's Buffer), longer arguments are
 * copied out of them as flat strings, as Redis copies each argument into its own sds.
 */
import {
  PROTO_MBULK_BIG_ARG,
  queryBufAppended,
  queryBufBigArgHeader,
  queryBufReadLen,
  queryBufSettle,
  queryBufTakenByArg,
  type QueryBuf,
} from './querybuf.ts'
import type { Reply } from './reply.ts'

// --- Constants (server.h) ---

/** PROTO_INLINE_MAX_SIZE: longest inline request or header line without a newline. */
export const PROTO_INLINE_MAX_SIZE = 1024 * 64
/** PROTO_IOBUF_LEN: how much readQueryFromClient reads at a time. */
export const PROTO_IOBUF_LEN = 1024 * 16
/** proto-max-bulk-len's default (512MB). */
export const PROTO_MAX_BULK_LEN_DEFAULT = 512 * 1024 * 1024
/** Largest multibulk count accepted (INT_MAX in 7.0's processMultibulkBuffer). */
export const PROTO_MAX_MULTIBULK_LEN = 2147483647
/** Limits for a client that has not authenticated (processMultibulkBuffer, 7.0). */
export const PROTO_UNAUTH_MAX_MULTIBULK = 10
export const PROTO_UNAUTH_MAX_BULK = 16384

// --- Reply encoder ---

const CRLF = '\r\n'
const NIL_BULK = '$-1\r\n'
const NIL_MULTI = '*-1\r\n'
/** Cached encodings of small integers (like shared.integers / shared.mbulkhdr). */
const SMALL_INTS: string[] = []
const BULK_HDRS: string[] = []
const MBULK_HDRS: string[] = []
for (let i = 0; i < 1024; i++) {
  SMALL_INTS.push(`:${i}\r\n`)
  BULK_HDRS.push(`$${i}\r\n`)
  MBULK_HDRS.push(`*${i}\r\n`)
}

/** Encodes one reply as RESP2 bytes (a byte string). */
export function respEncode(reply: Reply): string {
  return respAppend('', reply)
}

/** Appends the RESP2 encoding of `reply` to `out` and returns the result. */
export function respAppend(out: string, reply: Reply): string {
  switch (reply.type) {
    case 'simple':
      return out + '+' + reply.value + CRLF
    case 'error':
      return out + '-' + reply.value + CRLF
    case 'integer': {
      const v = reply.value
      if (typeof v === 'number' && v >= 0 && v < 1024 && Number.isInteger(v)) {
        return out + (SMALL_INTS[v] as string)
      }
      return out + ':' + String(v) + CRLF
    }
    case 'bulk': {
      const v = reply.value
      if (v === null) return out + NIL_BULK
      const n = v.length
      return out + (n < 1024 ? (BULK_HDRS[n] as string) : '$' + n + CRLF) + v + CRLF
    }
    case 'array': {
      const items = reply.value
      if (items === null) return out + NIL_MULTI
      const n = items.length
      const count = reply.count ?? n
      out += count < 1024 ? (MBULK_HDRS[count] as string) : '*' + count + CRLF
      for (let i = 0; i < n; i++) out = respAppend(out, items[i] as Reply)
      return out
    }
    case 'sequence':
      for (const r of reply.value) out = respAppend(out, r)
      return out
    case 'map':
      return appendAggregate(out, '%', reply.value.length / 2, reply.value)
    case 'set':
      return appendAggregate(out, '~', reply.value.length, reply.value)
    case 'push':
      return appendAggregate(out, '>', reply.value.length, reply.value)
    case 'attribute':
      return appendAggregate(out, '|', reply.value.length / 2, reply.value)
    case 'double':
      return out + ',' + reply.value + CRLF
    case 'bool':
      return out + (reply.value ? '#t\r\n' : '#f\r\n')
    case 'null':
      return out + '_\r\n'
    case 'verbatim': {
      // The format is exactly three bytes, padded with spaces (addReplyVerbatim).
      const format = (reply.format + '   ').slice(0, 3)
      return out + '=' + String(reply.value.length + 4) + CRLF + format + ':' + reply.value + CRLF
    }
    case 'bignum':
      return out + '(' + reply.value + CRLF
  }
}

/**
 * Bytes of `n` in decimal (String(n).length). A safe integer is measured against powers of
 * ten, all exact in a double up to 1e16, rather than printed: the reply of every command
 * passes here (client reply accounting), and the string was its one allocation.
 */
export function decimalLength(n: number | bigint): number {
  if (typeof n === 'number' && Number.isSafeInteger(n)) {
    const a = Math.abs(n)
    let len = n < 0 ? 2 : 1
    for (let p = 10; p <= a; p *= 10) len++
    return len
  }
  return String(n).length
}

/**
 * The length of respAppend('', reply), or `cap` once it reaches `cap` (the walk stops there):
 * what a reply adds to a client's output buffer, without building the bytes.
 */
export function respEncodedLength(reply: Reply, cap: number): number {
  switch (reply.type) {
    case 'simple':
    case 'error':
    case 'double':
    case 'bignum':
      return Math.min(cap, 3 + reply.value.length)
    case 'integer':
      return Math.min(cap, 3 + decimalLength(reply.value))
    case 'bulk': {
      const v = reply.value
      if (v === null) return Math.min(cap, NIL_BULK.length)
      return Math.min(cap, 5 + decimalLength(v.length) + v.length)
    }
    case 'bool':
    case 'null':
      return Math.min(cap, 4)
    case 'verbatim':
      return Math.min(cap, 5 + decimalLength(reply.value.length + 4) + 4 + reply.value.length)
    case 'array':
      if (reply.value === null) return Math.min(cap, NIL_MULTI.length)
      return aggregateLength(reply.count ?? reply.value.length, reply.value, cap)
    case 'sequence':
      return aggregateLength(-1, reply.value, cap)
    case 'map':
    case 'attribute':
      return aggregateLength(reply.value.length / 2, reply.value, cap)
    case 'set':
    case 'push':
      return aggregateLength(reply.value.length, reply.value, cap)
  }
}

/** An aggregate's header (none for count -1, a sequence) and its elements, up to `cap`. */
function aggregateLength(count: number, items: readonly Reply[], cap: number): number {
  let n = count < 0 ? 0 : 3 + decimalLength(count)
  for (let i = 0; i < items.length && n < cap; i++)
    n += respEncodedLength(items[i] as Reply, cap - n)
  return Math.min(n, cap)
}

/** A RESP3 aggregate: `<prefix><count>\r\n` then the elements. */
function appendAggregate(
  out: string,
  prefix: string,
  count: number,
  items: readonly Reply[],
): string {
  out += prefix + String(count) + CRLF
  for (const r of items) out = respAppend(out, r)
  return out
}

/** Encodes a command as a RESP2 multibulk request (what redis-cli sends). */
export function respEncodeCommand(argv: readonly string[]): string {
  let out = '*' + argv.length + CRLF
  for (const a of argv) out += '$' + a.length + CRLF + a + CRLF
  return out
}

// --- string2ll (util.c) ---

/**
 * util.c string2ll over s[start, end): Redis's strict integer syntax (no '+', no leading
 * zeros, no spaces, "-0" rejected, 64-bit range). Returns the value, or null if invalid.
 * Values beyond 2^53 lose precision, which no caller here can observe (they only compare
 * against limits far below that).
 */
export function string2ll(s: string, start: number, end: number): number | null {
  const len = end - start
  if (len <= 0) return null
  let p = start
  if (len === 1 && s.charCodeAt(p) === 48) return 0
  let negative = false
  if (s.charCodeAt(p) === 45) {
    negative = true
    p++
    if (p === end) return null
  }
  const first = s.charCodeAt(p)
  if (first < 49 || first > 57) return null
  const digits = end - p
  if (digits > 19) return null
  let v = 0
  for (let i = p; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return null
    v = v * 10 + (c - 48)
  }
  if (digits === 19) {
    const limit = negative ? '9223372036854775808' : '9223372036854775807'
    if (s.slice(p, end) > limit) return null
  }
  return negative ? -v : v
}

// --- Request parser ---

const REQ_NONE = 0
const REQ_INLINE = 1
const REQ_MULTIBULK = 2

/**
 * The bytes behind the chunk last fed, as the transport has them: Node's Buffer provides
 * latin1Slice (a flat string copy of a byte range). Only read while that chunk is parsed.
 */
export interface RespChunkBytes {
  latin1Slice(start: number, end: number): string
}

/** Arguments this long or longer are copied out of the chunk's bytes (V8's SlicedString::kMinLength). */
const FLAT_COPY_MIN = 13

/** One client's query buffer and parse state (the client struct's querybuf fields). */
export interface RespParser {
  /** querybuf: unparsed bytes start at `pos` (qb_pos). */
  buf: string
  pos: number
  /**
   * The bytes of the last chunk fed, when the transport gave them: buf[i] is
   * bytes[i + bytesDelta] for every i >= bytesFrom. Null otherwise.
   */
  bytes: RespChunkBytes | null
  bytesFrom: number
  bytesDelta: number
  /** PROTO_REQ_INLINE / PROTO_REQ_MULTIBULK once the first byte of a request is seen. */
  reqtype: number
  /** Bulks still expected in the current multibulk request. */
  multibulklen: number
  /** Length of the bulk being read, or -1 before its `$` line. */
  bulklen: number
  argv: string[]
  /** proto-max-bulk-len. */
  maxBulkLen: number
  /** authRequired(c): asked only when a request goes past the unauthenticated limits. */
  authRequired: (() => boolean) | null
  /** Told of each request of no arguments, skipped (processInputBuffer's resetClient). */
  emptyRequest: (() => void) | null
  /** The protocol error, without the "ERR " code ("Protocol error: ..."), once one occurred. */
  error: string | null
  /** The engine client's query buffer sizes, which reads and big arguments change. */
  querybuf: QueryBuf | null
  /**
   * The last request's first argument (its command name), handed out again for a request
   * whose name has the same bytes: a pipeline of SETs makes one "SET" string, not one each.
   */
  name: string
}

export interface RespParserOptions {
  readonly maxBulkLen?: number
  readonly authRequired?: () => boolean
  readonly emptyRequest?: () => void
  readonly querybuf?: QueryBuf | null
}

/** Creates an empty parser. */
export function respParserCreate(opts: RespParserOptions = {}): RespParser {
  return {
    buf: '',
    pos: 0,
    bytes: null,
    bytesFrom: 0,
    bytesDelta: 0,
    reqtype: REQ_NONE,
    multibulklen: 0,
    bulklen: -1,
    argv: [],
    maxBulkLen: opts.maxBulkLen ?? PROTO_MAX_BULK_LEN_DEFAULT,
    authRequired: opts.authRequired ?? null,
    emptyRequest: opts.emptyRequest ?? null,
    error: null,
    querybuf: opts.querybuf ?? null,
    name: '',
  }
}

/**
 * Appends bytes read from the connection to the query buffer. `bytes`, when given, holds
 * the same bytes from `bytesOffset` on (chunk[i] is bytes[bytesOffset + i]); the parser
 * reads it only until the next feed, and the transport clears it with
 * respParserReleaseBytes before reusing that memory.
 */
export function respParserFeed(
  p: RespParser,
  chunk: string,
  bytes: RespChunkBytes | null = null,
  bytesOffset = 0,
): void {
  if (p.pos >= p.buf.length) {
    p.buf = chunk
    p.pos = 0
  } else if (p.pos > PROTO_IOBUF_LEN) {
    // sdsrange: drop what was consumed (rarely: only when a request spans chunks).
    p.buf = p.buf.slice(p.pos) + chunk
    p.pos = 0
  } else {
    // Appending leaves a rope that V8 flattens once, when the bulk is finally sliced.
    p.buf += chunk
  }
  p.bytes = bytes
  p.bytesFrom = p.buf.length - chunk.length
  p.bytesDelta = bytesOffset - p.bytesFrom
  if (p.querybuf !== null) queryBufAppended(p.querybuf, chunk.length)
}

/**
 * readQueryFromClient before a read: grows the query buffer (p.querybuf) as Redis does and
 * returns how many bytes the read takes; a transport feeds at most that much at once.
 */
export function respParserReadLen(p: RespParser): number {
  const qb = p.querybuf
  if (qb === null) return PROTO_IOBUF_LEN
  // A big bulk under way: the read asks for the rest of it.
  const big = p.multibulklen > 0 && p.bulklen >= PROTO_MBULK_BIG_ARG
  return queryBufReadLen(qb, big ? p.bulklen + 2 - (p.buf.length - p.pos) : -1)
}

const NO_ARGS: readonly string[] = []

/** The end of processInputBuffer's pass: the query buffer keeps only what is unparsed. */
export function respParserSettle(p: RespParser): void {
  if (p.querybuf === null) return
  // A multibulk request read in part keeps its parsed arguments (c->argv) until the rest comes.
  const partial = p.multibulklen > 0
  const args = partial ? p.argv : NO_ARGS
  queryBufSettle(
    p.querybuf,
    p.buf.length - p.pos,
    p.bulklen,
    args,
    partial ? args.length + p.multibulklen : 0,
  )
}

/** Forgets the bytes given to the last feed (the transport is about to reuse them). */
export function respParserReleaseBytes(p: RespParser): void {
  p.bytes = null
}

/** Bytes received but not yet consumed by a complete request. */
export function respParserPending(p: RespParser): number {
  return p.buf.length - p.pos
}

/**
 * Returns the next complete request's argv (never empty), or null when more bytes are
 * needed or a protocol error occurred (then `p.error` is set and stays set: the transport
 * replies `-ERR <error>` and closes the client, as setProtocolError does).
 */
export function respParserNext(p: RespParser): string[] | null {
  if (p.error !== null) return null
  for (;;) {
    if (p.pos >= p.buf.length) {
      if (p.buf.length > 0) {
        p.buf = ''
        p.pos = 0
      }
      return null
    }
    if (p.reqtype === REQ_NONE) {
      if (p.buf.charCodeAt(p.pos) === 42 /* '*' */) {
        const argv = wholeShortRequest(p)
        if (argv !== null) return argv
        p.reqtype = REQ_MULTIBULK
      } else {
        p.reqtype = REQ_INLINE
      }
    }
    const done = p.reqtype === REQ_INLINE ? processInlineBuffer(p) : processMultibulkBuffer(p)
    if (!done) return null
    const argv = p.argv
    // resetClient
    p.reqtype = REQ_NONE
    p.multibulklen = 0
    p.bulklen = -1
    if (argv.length === 0) {
      p.emptyRequest?.()
      continue
    }
    p.argv = []
    return argv
  }
}

/** strchr(buf + pos, ch): the index of ch, or -1 if absent or hidden behind a NUL byte. */
function strchr(s: string, pos: number, ch: string): number {
  const i = s.indexOf(ch, pos)
  if (i < 0) return -1
  for (let j = pos; j < i; j++) if (s.charCodeAt(j) === 0) return -1
  return i
}

function protocolError(p: RespParser, message: string): false {
  p.error = `Protocol error: ${message}`
  return false
}

/** networking.c processInlineBuffer: one line, split with sdssplitargs. */
function processInlineBuffer(p: RespParser): boolean {
  const s = p.buf
  let newline = strchr(s, p.pos, '\n')
  if (newline < 0) {
    if (s.length - p.pos > PROTO_INLINE_MAX_SIZE) return protocolError(p, 'too big inline request')
    return false
  }
  let linefeedChars = 1
  if (newline !== p.pos && s.charCodeAt(newline - 1) === 13) {
    newline--
    linefeedChars++
  }
  const argv = sdssplitargs(s, p.pos, newline)
  if (argv === null) return protocolError(p, 'unbalanced quotes in request')
  p.pos = newline + linefeedChars
  p.argv = argv
  return true
}

/**
 * Finds the '\r' ending a `*N` or `$N` header line. Returns its index, or -1 when the line
 * (with its '\n') is not all here yet or is too long (then `p.error` is set to tooBig).
 */
function headerLine(p: RespParser, tooBig: string): number {
  const s = p.buf
  const newline = strchr(s, p.pos, '\r')
  if (newline < 0) {
    if (s.length - p.pos > PROTO_INLINE_MAX_SIZE) protocolError(p, tooBig)
    return -1
  }
  // The buffer must also hold the '\n'.
  return newline > s.length - 2 ? -1 : newline
}

/** The value read by shortHeader (a module-level slot, so the fast path allocates nothing). */
let shortHeaderValue = 0

/**
 * The fast path for a `*N` or `$N` line: 1 to 9 digits (no sign, no leading zero), then
 * '\r' and at least one more byte. Returns the index of the '\r' and leaves N in
 * shortHeaderValue, or -1 when the line is anything else (the general path decides).
 * Whenever it succeeds, the general path would find the same '\r' and the same value.
 */
function shortHeader(s: string, pos: number): number {
  let c = s.charCodeAt(pos + 1)
  if (!(c >= 49 && c <= 57)) return -1
  let v = c - 48
  const limit = pos + 10
  let i = pos + 2
  for (; i <= limit; i++) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    v = v * 10 + (c - 48)
  }
  if (c !== 13 || i + 1 >= s.length) return -1
  shortHeaderValue = v
  return i
}

/**
 * The common request in one pass over locals: `*N` with N from 1 to 4, each `$len` header
 * short (shortHeader) and within the unauthenticated and proto-max-bulk-len limits, all of
 * it already in the buffer. Returns its argv (a packed array of exactly N) and consumes it;
 * anything else returns null having changed nothing, and processMultibulkBuffer then takes
 * Redis's steps (and errors) one at a time, reaching the same argv for the requests this
 * accepts.
 */
function wholeShortRequest(p: RespParser): string[] | null {
  const s = p.buf
  let i = shortHeader(s, p.pos)
  if (i < 0) return null
  const n = shortHeaderValue
  if (n > 4) return null
  i += 2
  let a0 = ''
  let a1 = ''
  let a2 = ''
  let a3 = ''
  for (let k = 0; k < n; k++) {
    if (s.charCodeAt(i) !== 36 /* '$' */) return null
    const newline = shortHeader(s, i)
    if (newline < 0) return null
    const len = shortHeaderValue
    if (len > PROTO_UNAUTH_MAX_BULK || len > p.maxBulkLen) return null
    const start = newline + 2
    if (s.length - start < len + 2) return null
    const arg =
      k === 0 && len === p.name.length && sameBytes(s, start, p.name)
        ? p.name
        : len < FLAT_COPY_MIN
          ? s.slice(start, start + len)
          : bulkArgument(p, start, len)
    if (k === 0) {
      a0 = arg
      if (len < FLAT_COPY_MIN) p.name = arg
    } else if (k === 1) a1 = arg
    else if (k === 2) a2 = arg
    else a3 = arg
    i = start + len + 2
  }
  p.pos = i
  return n === 1 ? [a0] : n === 2 ? [a0, a1] : n === 3 ? [a0, a1, a2] : [a0, a1, a2, a3]
}

/** Whether `s` holds the bytes of `name` at `at`. */
function sameBytes(s: string, at: number, name: string): boolean {
  for (let j = 0; j < name.length; j++)
    if (s.charCodeAt(at + j) !== name.charCodeAt(j)) return false
  return true
}

/** networking.c processMultibulkBuffer: `*N\r\n` then N times `$len\r\n<bytes>\r\n`. */
function processMultibulkBuffer(p: RespParser): boolean {
  const s = p.buf
  if (p.multibulklen === 0) {
    let newline = shortHeader(s, p.pos)
    let ll: number | null = shortHeaderValue
    if (newline < 0) {
      newline = headerLine(p, 'too big mbulk count string')
      if (newline < 0) return false
      ll = string2ll(s, p.pos + 1, newline)
    }
    if (ll === null || ll > PROTO_MAX_MULTIBULK_LEN) {
      return protocolError(p, 'invalid multibulk length')
    }
    if (ll > PROTO_UNAUTH_MAX_MULTIBULK && p.authRequired !== null && p.authRequired()) {
      return protocolError(p, 'unauthenticated multibulk length')
    }
    p.pos = newline + 2
    if (ll <= 0) return true
    p.multibulklen = ll
    p.argv = []
  }
  while (p.multibulklen > 0) {
    if (p.bulklen === -1) {
      const pos = p.pos
      let newline = s.charCodeAt(pos) === 36 /* '$' */ ? shortHeader(s, pos) : -1
      let ll: number | null = shortHeaderValue
      if (newline < 0) {
        newline = headerLine(p, 'too big bulk count string')
        if (newline < 0) return false
        if (s.charCodeAt(pos) !== 36) {
          // addReplyErrorFormat maps CR and LF in the message to spaces.
          return protocolError(p, `expected '$', got '${(s[pos] ?? '').replace(/[\r\n]/, ' ')}'`)
        }
        ll = string2ll(s, pos + 1, newline)
      }
      if (ll === null || ll < 0 || ll > p.maxBulkLen) {
        return protocolError(p, 'invalid bulk length')
      }
      if (ll > PROTO_UNAUTH_MAX_BULK && p.authRequired !== null && p.authRequired()) {
        return protocolError(p, 'unauthenticated bulk length')
      }
      p.pos = newline + 2
      p.bulklen = ll
      if (ll >= PROTO_MBULK_BIG_ARG && p.querybuf !== null)
        queryBufBigArgHeader(p.querybuf, s.length - p.pos, ll)
    }
    // The bulk and the two bytes after it (not checked to be "\r\n", as in Redis).
    const start = p.pos
    const len = p.bulklen
    if (s.length - start < len + 2) return false
    // Alone in the buffer, a big argument takes it over (its header trimmed the rest).
    if (len >= PROTO_MBULK_BIG_ARG && s.length - start === len + 2 && p.querybuf !== null)
      queryBufTakenByArg(p.querybuf, len)
    p.argv.push(len < FLAT_COPY_MIN ? s.slice(start, start + len) : bulkArgument(p, start, len))
    p.pos = start + len + 2
    p.bulklen = -1
    p.multibulklen--
  }
  return true
}

/**
 * A long bulk argument as a flat string of its own: copied from the chunk's bytes when it
 * lies within the last chunk fed, else (it spans chunks) joined from two slices, which V8
 * copies into a new flat string.
 */
function bulkArgument(p: RespParser, start: number, len: number): string {
  const bytes = p.bytes
  if (bytes !== null && start >= p.bytesFrom) {
    const at = start + p.bytesDelta
    return bytes.latin1Slice(at, at + len)
  }
  const s = p.buf
  const mid = start + (len >> 1)
  return [s.slice(start, mid), s.slice(mid, start + len)].join('')
}

// --- sdssplitargs (sds.c) ---

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}

function hexDigitToInt(c: number): number {
  if (c <= 57) return c - 48
  if (c >= 97) return c - 87
  return c - 55
}

/** C isspace: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/**
 * sds.c sdssplitargs over line[start, end): redis-cli's argument syntax. Double quotes take
 * \xHH, \n \r \t \b \a and \<char>; single quotes take only \'; a closing quote must be
 * followed by a space or the end. A NUL byte ends the line, as in C. Returns null for
 * unbalanced quotes. Empty arguments ("") are kept.
 */
export function sdssplitargs(line: string, start = 0, end = line.length): string[] | null {
  const out: string[] = []
  // Bytes past `end` (or a NUL) read as C's terminating NUL.
  const at = (i: number): number => (i < end ? line.charCodeAt(i) : 0)
  let p = start
  for (;;) {
    while (at(p) !== 0 && isSpace(at(p))) p++
    if (at(p) === 0) return out
    let inq = false
    let insq = false
    let done = false
    let current = ''
    while (!done) {
      const c = at(p)
      if (inq) {
        if (c === 92 && at(p + 1) === 120 && isHexDigit(at(p + 2)) && isHexDigit(at(p + 3))) {
          current += String.fromCharCode(hexDigitToInt(at(p + 2)) * 16 + hexDigitToInt(at(p + 3)))
          p += 3
        } else if (c === 92 && at(p + 1) !== 0) {
          p++
          const e = at(p)
          current +=
            e === 110
              ? '\n'
              : e === 114
                ? '\r'
                : e === 116
                  ? '\t'
                  : e === 98
                    ? '\b'
                    : e === 97
                      ? '\x07'
                      : String.fromCharCode(e)
        } else if (c === 34) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null
          done = true
        } else if (c === 0) {
          return null
        } else {
          current += String.fromCharCode(c)
        }
      } else if (insq) {
        if (c === 92 && at(p + 1) === 39) {
          p++
          current += "'"
        } else if (c === 39) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null
          done = true
        } else if (c === 0) {
          return null
        } else {
          current += String.fromCharCode(c)
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        done = true
      } else if (c === 34) {
        inq = true
      } else if (c === 39) {
        insq = true
      } else {
        current += String.fromCharCode(c)
      }
      if (at(p) !== 0) p++
    }
    out.push(current)
  }
}

// --- Reply reader (client side) ---

/** An incremental reader of a RESP2 or RESP3 reply stream. */
export interface RespReplyReader {
  buf: string
  pos: number
}

/** A decoded reply and the exact bytes it was read from. */
export interface RespReplyRead {
  readonly reply: Reply
  readonly raw: string
}

/** Creates an empty reply reader. */
export function respReplyReaderCreate(): RespReplyReader {
  return { buf: '', pos: 0 }
}

/** Appends bytes received from a server. */
export function respReplyReaderFeed(r: RespReplyReader, chunk: string): void {
  r.buf = r.buf.slice(r.pos) + chunk
  r.pos = 0
}

/**
 * Returns the next complete reply with its raw bytes, or null if more bytes are needed.
 * An attribute (`|`) comes back with the reply it describes, as a 'sequence' of the two.
 * Throws on bytes that are not RESP.
 */
export function respReplyReaderNext(r: RespReplyReader): RespReplyRead | null {
  const start = r.pos
  const end = readReply(r.buf, start)
  if (end === null) return null
  r.pos = end.next
  return { reply: end.reply, raw: r.buf.slice(start, end.next) }
}

/** Decodes a buffer that holds exactly one or more whole replies. */
export function respDecodeReplies(bytes: string): Reply[] {
  const r = respReplyReaderCreate()
  respReplyReaderFeed(r, bytes)
  const out: Reply[] = []
  for (let next = respReplyReaderNext(r); next !== null; next = respReplyReaderNext(r)) {
    out.push(next.reply)
  }
  if (r.pos !== r.buf.length) throw new Error('respDecodeReplies: trailing partial reply')
  return out
}

/** Reads `count` replies in a row from `pos` (an aggregate's elements). */
function readItems(s: string, pos: number, count: number): { items: Reply[]; next: number } | null {
  const items: Reply[] = []
  let next = pos
  for (let i = 0; i < count; i++) {
    const item = readReply(s, next)
    if (item === null) return null
    items.push(item.reply)
    next = item.next
  }
  return { items, next }
}

function readReply(s: string, pos: number): { reply: Reply; next: number } | null {
  const eol = s.indexOf('\r\n', pos)
  if (eol < 0) return null
  const type = s[pos]
  const line = s.slice(pos + 1, eol)
  const after = eol + 2
  switch (type) {
    case '+':
      return { reply: { type: 'simple', value: line }, next: after }
    case '-':
      return { reply: { type: 'error', value: line }, next: after }
    case ':': {
      const n = BigInt(line)
      const value = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
      return { reply: { type: 'integer', value: value ? Number(n) : n }, next: after }
    }
    case '$': {
      const len = Number(line)
      if (!Number.isInteger(len)) throw new Error(`bad bulk length ${JSON.stringify(line)}`)
      if (len < 0) return { reply: { type: 'bulk', value: null }, next: after }
      if (s.length < after + len + 2) return null
      return { reply: { type: 'bulk', value: s.slice(after, after + len) }, next: after + len + 2 }
    }
    case '*': {
      const n = Number(line)
      if (!Number.isInteger(n)) throw new Error(`bad multibulk length ${JSON.stringify(line)}`)
      if (n < 0) return { reply: { type: 'array', value: null }, next: after }
      const read = readItems(s, after, n)
      return read === null ? null : { reply: { type: 'array', value: read.items }, next: read.next }
    }
    case '%':
    case '~':
    case '>':
    case '|': {
      const n = Number(line)
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`bad aggregate length ${JSON.stringify(line)}`)
      const read = readItems(s, after, type === '%' || type === '|' ? n * 2 : n)
      if (read === null) return null
      const { items, next } = read
      if (type !== '|') {
        const aggregate = type === '%' ? 'map' : type === '~' ? 'set' : 'push'
        return { reply: { type: aggregate, value: items }, next }
      }
      const described = readReply(s, next)
      if (described === null) return null
      const attribute: Reply = { type: 'attribute', value: items }
      return {
        reply: { type: 'sequence', value: [attribute, described.reply] },
        next: described.next,
      }
    }
    case ',':
      return { reply: { type: 'double', value: line }, next: after }
    case '#':
      if (line !== 't' && line !== 'f') throw new Error(`bad boolean ${JSON.stringify(line)}`)
      return { reply: { type: 'bool', value: line === 't' }, next: after }
    case '_':
      return { reply: { type: 'null', value: null }, next: after }
    case '(':
      return { reply: { type: 'bignum', value: line }, next: after }
    case '=': {
      const len = Number(line)
      if (!Number.isInteger(len) || len < 4)
        throw new Error(`bad verbatim length ${JSON.stringify(line)}`)
      if (s.length < after + len + 2) return null
      const reply: Reply = {
        type: 'verbatim',
        format: s.slice(after, after + 3),
        value: s.slice(after + 4, after + len),
      }
      return { reply, next: after + len + 2 }
    }
    default:
      throw new Error(`not a RESP reply type: ${JSON.stringify(type)}`)
  }
}
