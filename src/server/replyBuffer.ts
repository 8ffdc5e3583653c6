/**
 * The RESP server's output buffer (the client's reply buffer, networking.c _addReplyToBuffer):
 * replies are encoded as RESP2 straight into one growable byte buffer, and the whole batch
 * of replies to one read goes out in a single socket write of a view of it.
 *
 * The bytes are exactly resp.ts respAppend's (the encoding the rest of the project uses;
 * a test holds the two together; the RESP3 types are encoded by respAppend itself): `+` / `-` lines, `:` integers (decimal, as String(n)
 * writes them), `$len` bulks and `$-1`, `*n` arrays and `*-1`. Strings are byte strings
 * (bytes.ts), one code unit per byte; short ones are copied byte by byte, long ones with
 * Buffer#write (a C++ call, worth it only past a few dozen bytes). Nothing is
 * allocated per reply: no string concatenation, no Buffer per reply or per batch.
 *
 * The transport owns when the bytes may be overwritten: a write that Node could not hand
 * to the kernel at once keeps a reference to them, so the transport then takes a fresh
 * buffer (replyBufferDetach) instead of reusing this one.
 */
import type { Reply } from '../engine/reply.ts'
import { PROTO_REPLY_CHUNK_BYTES } from '../engine/replyList.ts'
import { respAppend } from '../engine/resp.ts'

/** Initial (and shrink-back) size: one 16KB network write holds any usual batch. */
export const REPLY_BUFFER_SIZE = 16 * 1024

/** Past this, the next replyBufferReset drops the buffer for a new one of the usual size. */
const REPLY_BUFFER_KEEP_MAX = 1024 * 1024

/** Strings longer than this are copied with Buffer#write instead of a JS loop. */
const COPY_LOOP_MAX = 64

const PLUS = 43
const MINUS = 45
const COLON = 58
const DOLLAR = 36
const STAR = 42
const EQUALS = 61
const BANG = 33
const CR = 13
const LF = 10

export interface ReplyBuffer {
  buf: Buffer
  /** Bytes written so far, from 0. */
  len: number
  /**
   * Where the bodies of bulk strings (and status and error lines) longer than
   * PROTO_REPLY_CHUNK_BYTES start and end (pairs of offsets): Redis adds each with one call,
   * which opens a reply block of its own size, where the small pieces of a reply (headers,
   * short bodies) fill blocks of 16 KiB (networking.c _addReplyProtoToList).
   */
  readonly bigPieces: number[]
  /** The last view replyBufferBytes made, and of which `buf` (reused while it fits). */
  view: Buffer | null
  viewOf: Buffer | null
}

/** Creates an empty reply buffer. */
export function replyBufferCreate(): ReplyBuffer {
  return {
    buf: Buffer.allocUnsafeSlow(REPLY_BUFFER_SIZE),
    len: 0,
    bigPieces: [],
    view: null,
    viewOf: null,
  }
}

/** Empties the buffer for the next batch (back to the usual size if a big reply grew it). */
export function replyBufferReset(w: ReplyBuffer): void {
  w.len = 0
  // Setting an array's length is a runtime call even when it does not change: once per read.
  if (w.bigPieces.length !== 0) w.bigPieces.length = 0
  if (w.buf.length > REPLY_BUFFER_KEEP_MAX) w.buf = Buffer.allocUnsafeSlow(REPLY_BUFFER_SIZE)
}

/** Gives up the current bytes (something else now holds them): later writes use new memory. */
export function replyBufferDetach(w: ReplyBuffer): void {
  w.buf = Buffer.allocUnsafeSlow(REPLY_BUFFER_SIZE)
  w.len = 0
  w.bigPieces.length = 0
}

/**
 * The bytes written so far (a view: valid until the buffer is reset or written again). A
 * batch as long as the last one gets the same view object back: the replies of a pipeline
 * often are (16 `+OK`), and the view is one allocation per write otherwise.
 */
export function replyBufferBytes(w: ReplyBuffer): Buffer {
  const last = w.view
  if (last !== null && last.length === w.len && w.viewOf === w.buf) return last
  const view = w.buf.subarray(0, w.len)
  w.view = view
  w.viewOf = w.buf
  return view
}

/** Appends the RESP2 encoding of `reply` (the bytes of resp.ts respAppend). */
export function replyBufferAppend(w: ReplyBuffer, reply: Reply): void {
  switch (reply.type) {
    case 'simple':
      return appendLine(w, PLUS, reply.value)
    case 'error':
      return appendLine(w, MINUS, reply.value)
    case 'integer': {
      const v = reply.value
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        reserve(w, NUMBER_LINE_MAX)
        w.len = writeNumberLine(w.buf, w.len, COLON, v)
        return
      }
      return appendLine(w, COLON, String(v))
    }
    case 'bulk': {
      const v = reply.value
      if (v === null) return appendNil(w, DOLLAR)
      const n = v.length
      reserve(w, NUMBER_LINE_MAX + n + 2)
      const b = w.buf
      const at = writeNumberLine(b, w.len, DOLLAR, n)
      if (n > PROTO_REPLY_CHUNK_BYTES) w.bigPieces.push(at, at + n)
      w.len = writeCrlf(b, writeString(b, at, v))
      return
    }
    case 'array': {
      const items = reply.value
      if (items === null) return appendNil(w, STAR)
      const n = items.length
      reserve(w, NUMBER_LINE_MAX)
      w.len = writeNumberLine(w.buf, w.len, STAR, reply.count ?? n)
      for (let i = 0; i < n; i++) replyBufferAppend(w, items[i] as Reply)
      return
    }
    case 'sequence':
      for (const r of reply.value) replyBufferAppend(w, r)
      return
    default:
      // The RESP3 types (only RESP3 clients get them): resp.ts encodes them.
      return appendBytes(w, respAppend('', reply))
  }
}

/**
 * Fills `into` with the big pieces (ReplyBuffer.bigPieces) of RESP bytes encoded elsewhere
 * (the engine's outbox): the bodies of bulk strings, and the text of status and error lines,
 * longer than PROTO_REPLY_CHUNK_BYTES. Only the headers are read; bodies are skipped.
 */
export function respBigPieces(bytes: string, into: number[]): void {
  into.length = 0
  if (bytes.length <= PROTO_REPLY_CHUNK_BYTES) return
  for (let i = 0; i < bytes.length;) {
    const type = bytes.charCodeAt(i)
    const eol = bytes.indexOf('\r\n', i)
    if (eol < 0) return
    if (type === DOLLAR || type === EQUALS || type === BANG) {
      // A length and a body (RESP3's verbatim and bulk error too).
      const n = Number(bytes.slice(i + 1, eol))
      const body = eol + 2
      if (n > PROTO_REPLY_CHUNK_BYTES) into.push(body, body + n)
      i = n > 0 ? body + n + 2 : body
    } else {
      if ((type === PLUS || type === MINUS) && eol - i - 1 > PROTO_REPLY_CHUNK_BYTES)
        into.push(i + 1, eol)
      i = eol + 2
    }
  }
}

/** Appends a byte string as it is. */
function appendBytes(w: ReplyBuffer, bytes: string): void {
  reserve(w, bytes.length)
  w.len = writeString(w.buf, w.len, bytes)
}

/** Longest `<type><safe integer>\r\n`: type, sign, 16 digits, CRLF. */
const NUMBER_LINE_MAX = 20

/** Makes room for `extra` more bytes. */
function reserve(w: ReplyBuffer, extra: number): void {
  const need = w.len + extra
  if (need <= w.buf.length) return
  const grown = Buffer.allocUnsafeSlow(Math.max(need, w.buf.length * 2))
  w.buf.copy(grown, 0, 0, w.len)
  w.buf = grown
}

/** `<type><value>\r\n`. */
function appendLine(w: ReplyBuffer, type: number, value: string): void {
  reserve(w, value.length + 3)
  const b = w.buf
  if (value.length > PROTO_REPLY_CHUNK_BYTES) w.bigPieces.push(w.len + 1, w.len + 1 + value.length)
  b[w.len] = type
  w.len = writeCrlf(b, writeString(b, w.len + 1, value))
}

/** `$-1\r\n` or `*-1\r\n`. */
function appendNil(w: ReplyBuffer, type: number): void {
  reserve(w, 5)
  const b = w.buf
  const at = w.len
  b[at] = type
  b[at + 1] = MINUS
  b[at + 2] = 49 // '1'
  b[at + 3] = CR
  b[at + 4] = LF
  w.len = at + 5
}

/**
 * Writes `<type><decimal v>\r\n` at `at` for a safe integer (the digits String(v) gives;
 * -0 as 0) and returns the index after it. The room is reserved by the caller.
 */
function writeNumberLine(b: Buffer, at: number, type: number, v: number): number {
  b[at++] = type
  if (v < 0) {
    b[at++] = MINUS
    v = -v
  }
  if (v < 10) {
    b[at++] = 48 + v
  } else {
    let digits = 2
    for (let t = v; t >= 100; t = (t - (t % 10)) / 10) digits++
    at += digits
    for (let i = at - 1; v > 0; i--) {
      const d = v % 10
      b[i] = 48 + d
      v = (v - d) / 10
    }
  }
  return writeCrlf(b, at)
}

/** Copies a byte string at `at` (room reserved) and returns the index after it. */
function writeString(b: Buffer, at: number, s: string): number {
  const n = s.length
  if (n <= COPY_LOOP_MAX) {
    for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i)
  } else {
    b.write(s, at, n, 'latin1')
  }
  return at + n
}

/** Writes `\r\n` at `at` (room reserved) and returns the index after it. */
function writeCrlf(b: Buffer, at: number): number {
  b[at] = CR
  b[at + 1] = LF
  return at + 2
}
