/**
 * Reply values, shaped as the client's protocol sees them. Handlers build these; resp.ts
 * encodes them for the TCP server; the console formats them as redis-cli would. Strings are
 * byte strings: each UTF-16 code unit holds one byte 0–255 (see bytes.ts).
 *
 * RESP2 and RESP3. A client speaks RESP2 until HELLO 3 (Client.resp). A RESP2 client only
 * ever gets the RESP2 shapes (simple, error, integer, bulk, array, and 'sequence'). The RESP3
 * types (map, set, double, bool, null, verbatim, push, bignum, attribute) are built only for
 * a RESP3 client, through constructors that take the protocol and fall back to the RESP2
 * shape as networking.c does (mapReply ↔ addReplyMapLen: a flat array in RESP2; doubleReply
 * ↔ addReplyDouble: a bulk; boolReply ↔ addReplyBool: 1 or 0; verbatimReply: a bulk).
 * Handlers keep answering NIL and NIL_ARRAY whatever the protocol: server.ts processCommand
 * turns both into the RESP3 null for a RESP3 client (resp3Nulls), as addReplyNull and
 * addReplyNullArray (and shared.null[c->resp]) always write `_` in RESP3.
 *
 * An error's `value` is the full line without the leading '-', code included:
 * "ERR syntax error", "WRONGTYPE Operation against a key holding the wrong kind of value".
 */

// --- Types ---

export type Reply =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'bulk'; readonly value: string | null }
  | {
      readonly type: 'array'
      readonly value: readonly Reply[] | null
      /**
       * The header's count when it is not value.length: an EXEC whose queued CLIENT REPLY OFF
       * or SKIP withheld some of its replies still announces every queued command (multi.ts).
       */
      readonly count?: number | undefined
    }
  /**
   * Several whole replies written back to back, with no header of their own: what a command
   * sends when it answers more than once. SUBSCRIBE a b answers one confirmation per channel;
   * a command inside EXEC during which Pub/Sub messages reached its own client sends those
   * messages before its reply (commands/pubsub.ts). Never empty, never nested in an array
   * except as an element of EXEC's reply.
   */
  | { readonly type: 'sequence'; readonly value: readonly Reply[] }
  // RESP3 only (see the file comment).
  /** `%`: keys and values alternate (k1 v1 k2 v2 ...); the length counts pairs. */
  | { readonly type: 'map'; readonly value: readonly Reply[] }
  /** `~`: an unordered collection. */
  | { readonly type: 'set'; readonly value: readonly Reply[] }
  /** `>`: out-of-band data (Pub/Sub messages, subscription confirmations, invalidations). */
  | { readonly type: 'push'; readonly value: readonly Reply[] }
  /**
   * `|`: pairs (like a map) describing the reply that follows it (DEBUG PROTOCOL attrib);
   * always followed by that reply, in a 'sequence'.
   */
  | { readonly type: 'attribute'; readonly value: readonly Reply[] }
  /**
   * `,`: the number's text as Redis formats it ("%.17g", "inf", "-inf", "nan", or the human
   * long double of addReplyHumanLongDouble): the same text RESP2 sends as a bulk.
   */
  | { readonly type: 'double'; readonly value: string }
  /** `#t` / `#f`. */
  | { readonly type: 'bool'; readonly value: boolean }
  /** `_`: RESP3's only null, for both the nil bulk and the nil array. */
  | { readonly type: 'null'; readonly value: null }
  /** `=`: text with a three-character format ("txt"), shown as is by redis-cli. */
  | { readonly type: 'verbatim'; readonly format: string; readonly value: string }
  /** `(`: a big integer, as decimal text. */
  | { readonly type: 'bignum'; readonly value: string }

// --- Constructors ---

export const OK: Reply = { type: 'simple', value: 'OK' }
export const QUEUED: Reply = { type: 'simple', value: 'QUEUED' }
export const PONG: Reply = { type: 'simple', value: 'PONG' }
export const NIL: Reply = { type: 'bulk', value: null }
export const NIL_ARRAY: Reply = { type: 'array', value: null }
/**
 * What call() and execute() return when the command blocked its client (BLPOP on an empty
 * list): a placeholder, compared by identity, that the transport must not send. The real
 * reply comes later through the outbox (RedisServer.drainOutbox).
 */
export const BLOCKED: Reply = { type: 'array', value: null }
export const EMPTY_ARRAY: Reply = { type: 'array', value: [] }
export const ZERO: Reply = { type: 'integer', value: 0 }
export const ONE: Reply = { type: 'integer', value: 1 }

/** Builds a simple-string reply (`+value`). */
export function simple(value: string): Reply {
  return { type: 'simple', value }
}

const NEWLINE = /[\r\n]/

/**
 * Builds an error reply. Like networking.c:addReplyErrorLength, a message that does not
 * start with an upper-case error code gets "ERR " prepended. Like addReplyErrorFormat, an
 * error line never holds CR or LF (they come from arguments): trailing ones are trimmed and
 * the others become spaces, so the protocol stays intact.
 */
export function error(message: string): Reply {
  const text = NEWLINE.test(message)
    ? message.replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ')
    : message
  return { type: 'error', value: hasErrorCode(text) ? text : `ERR ${text}` }
}

/** Builds an integer reply. */
export function integer(value: number | bigint): Reply {
  return value === 0 ? ZERO : value === 1 ? ONE : { type: 'integer', value }
}

/** Builds a bulk-string reply; null gives the nil bulk (`$-1`). */
export function bulk(value: string | null): Reply {
  return value === null ? NIL : { type: 'bulk', value }
}

/** Builds an array reply; null gives the nil array (`*-1`). */
export function array(value: readonly Reply[] | null): Reply {
  return value === null ? NIL_ARRAY : { type: 'array', value }
}

/** Builds the replies written one after another (one reply alone is itself). */
export function sequence(replies: readonly Reply[]): Reply {
  return replies.length === 1 ? (replies[0] as Reply) : { type: 'sequence', value: replies }
}

/** A client's protocol (Client.resp). */
export type Protocol = 2 | 3

/** RESP3's null (`_`). */
export const NULL: Reply = { type: 'null', value: null }
const EMPTY_MAP: Reply = { type: 'map', value: [] }
const EMPTY_SET: Reply = { type: 'set', value: [] }
const TRUE: Reply = { type: 'bool', value: true }
const FALSE: Reply = { type: 'bool', value: false }

/**
 * networking.c addReplyMapLen: a map of the alternating keys and values `flat` (k1 v1 k2 v2
 * ...), or in RESP2 the flat array itself.
 */
export function mapReply(resp: Protocol, flat: readonly Reply[]): Reply {
  if (resp === 2) return array(flat)
  return flat.length === 0 ? EMPTY_MAP : { type: 'map', value: flat }
}

/** networking.c addReplySetLen: a set, or in RESP2 an array. */
export function setReply(resp: Protocol, items: readonly Reply[]): Reply {
  if (resp === 2) return array(items)
  return items.length === 0 ? EMPTY_SET : { type: 'set', value: items }
}

/**
 * networking.c addReplyDouble / addReplyHumanLongDouble: `text` is the number as Redis
 * formats it for that call; RESP2 sends the same text as a bulk.
 */
export function doubleReply(resp: Protocol, text: string): Reply {
  return resp === 2 ? { type: 'bulk', value: text } : { type: 'double', value: text }
}

/** networking.c addReplyBool: #t / #f, or in RESP2 the integers 1 / 0. */
export function boolReply(resp: Protocol, b: boolean): Reply {
  if (resp === 2) return b ? ONE : ZERO
  return b ? TRUE : FALSE
}
/** networking.c addReplyVerbatim: text with its format ("txt"), or in RESP2 a bulk. */
export function verbatimReply(resp: Protocol, text: string, format = 'txt'): Reply {
  return resp === 2 ? { type: 'bulk', value: text } : { type: 'verbatim', format, value: text }
}

/** networking.c addReplyBigNum: a big number, or in RESP2 its text as a bulk. */
export function bignumReply(resp: Protocol, text: string): Reply {
  return resp === 2 ? { type: 'bulk', value: text } : { type: 'bignum', value: text }
}

/** networking.c addReplyPushLen (RESP3 only: RESP2 has no pushes and answers an array). */
export function pushReply(resp: Protocol, items: readonly Reply[]): Reply {
  return resp === 2 ? array(items) : { type: 'push', value: items }
}

/**
 * The pairs of a flat array reply (field value field value ...) as RESP3 nests them, an
 * array of two-element arrays (HRANDFIELD WITHVALUES, ZRANDMEMBER and ZRANGE WITHSCORES with
 * c->resp > 2); anything else (an error, RESP2) as it is.
 */
export function nestPairs(resp: Protocol, r: Reply): Reply {
  if (resp === 2 || r.type !== 'array' || r.value === null) return r
  const flat = r.value
  const out: Reply[] = []
  for (let i = 0; i + 1 < flat.length; i += 2)
    out.push({ type: 'array', value: [flat[i] as Reply, flat[i + 1] as Reply] })
  return { type: 'array', value: out }
}

/**
 * The nil bulk and nil array of a command that ran inside EXEC while the client still spoke
 * RESP2, before a queued HELLO 3 switched it: Redis wrote `$-1` / `*-1` as the command replied,
 * so resp3Nulls (compared by identity) leaves them alone (multi.ts execTransaction).
 */
export const RESP2_NIL: Reply = { type: 'bulk', value: null }
export const RESP2_NIL_ARRAY: Reply = { type: 'array', value: null }

/**
 * The reply a RESP3 client gets for a reply built as RESP2 sees nulls: every nil bulk and
 * nil array, at any depth, becomes `_` (networking.c addReplyNull / addReplyNullArray). The
 * reply itself when it holds no nil; BLOCKED, RESP2_NIL and RESP2_NIL_ARRAY (compared by
 * identity) stay as they are.
 */
export function resp3Nulls(r: Reply): Reply {
  switch (r.type) {
    case 'bulk':
      return r.value === null && r !== RESP2_NIL ? NULL : r
    case 'array':
      if (r.value === null) return r === BLOCKED || r === RESP2_NIL_ARRAY ? r : NULL
      return withNulls(r, r.value, resp3Nulls, (value) => ({
        type: 'array',
        value,
        count: r.count,
      }))
    case 'sequence':
      return withNulls(r, r.value, resp3Nulls, (value) => ({ type: 'sequence', value }))
    case 'map':
    case 'set':
    case 'push':
    case 'attribute': {
      const type = r.type
      return withNulls(r, r.value, resp3Nulls, (value) => ({ type, value }))
    }
    default:
      return r
  }
}

/**
 * A reply written in RESP2 with its nils made RESP2_NIL / RESP2_NIL_ARRAY, so that a later
 * resp3Nulls of the EXEC reply around it keeps them (a RESP2 reply has only bulks and arrays).
 */
export function resp2NullsKept(r: Reply): Reply {
  switch (r.type) {
    case 'bulk':
      return r.value === null ? RESP2_NIL : r
    case 'array':
      if (r.value === null) return r === BLOCKED ? r : RESP2_NIL_ARRAY
      return withNulls(r, r.value, resp2NullsKept, (value) => ({
        type: 'array',
        value,
        count: r.count,
      }))
    case 'sequence':
      return withNulls(r, r.value, resp2NullsKept, (value) => ({ type: 'sequence', value }))
    default:
      return r
  }
}

function withNulls(
  r: Reply,
  items: readonly Reply[],
  f: (item: Reply) => Reply,
  make: (items: readonly Reply[]) => Reply,
): Reply {
  let out: Reply[] | null = null
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Reply
    const next = f(item)
    if (next !== item && out === null) out = items.slice(0, i)
    out?.push(next)
  }
  return out === null ? r : make(out)
}

/**
 * How many protocol items (headers and scalars; a 'sequence' has no header) `r` writes: the
 * unit of commands/pubsub.ts pubsubReplyAt.
 */
export function replyItemCount(r: Reply): number {
  switch (r.type) {
    case 'sequence':
      return r.value.reduce((n, x) => n + replyItemCount(x), 0)
    case 'array':
      if (r.value === null) return 1
      return r.value.reduce((n, x) => n + replyItemCount(x), 1)
    case 'map':
    case 'set':
    case 'push':
    case 'attribute':
      return r.value.reduce((n, x) => n + replyItemCount(x), 1)
    default:
      return 1
  }
}

/** Builds an array of bulk strings. */
export function bulkArray(values: readonly (string | null)[]): Reply {
  return { type: 'array', value: values.map(bulk) }
}

/** Tells whether a message already begins with an error code such as WRONGTYPE or ERR. */
function hasErrorCode(message: string): boolean {
  const space = message.indexOf(' ')
  const word = space < 0 ? message : message.slice(0, space)
  return word.length > 0 && /^[A-Z]+$/.test(word)
}

// --- Shared errors (server.c createSharedObjects) ---

export const ERR_WRONGTYPE = error(
  'WRONGTYPE Operation against a key holding the wrong kind of value',
)
export const ERR_SYNTAX = error('ERR syntax error')
export const ERR_NOT_INTEGER = error('ERR value is not an integer or out of range')
export const ERR_NOT_FLOAT = error('ERR value is not a valid float')
export const ERR_NO_SUCH_KEY = error('ERR no such key')
export const ERR_OUT_OF_RANGE = error('ERR index out of range')
export const ERR_OOM = error("OOM command not allowed when used memory > 'maxmemory'.")

/**
 * The most elements a reply of repeated random picks (HRANDFIELD, SRANDMEMBER, ZRANDMEMBER
 * with a negative count) may have here. Redis streams such a reply to the socket as it picks
 * (a count of -9223372036854775807 keeps it busy until the client gives up); the engine
 * builds a reply in memory first, and past a few million elements the JavaScript heap, the
 * worker or the server process would die instead.
 */
export const MAX_RANDOM_REPLY_ELEMENTS = 1 << 22

/** The answer to a random-picks count beyond MAX_RANDOM_REPLY_ELEMENTS. */
export const ERR_RANDOM_REPLY_TOO_LARGE = error(
  `ERR count is too large for Redis X-Ray: a reply of repeated random picks stops at ${String(MAX_RANDOM_REPLY_ELEMENTS)} elements`,
)
