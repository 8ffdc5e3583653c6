/**
 * Reply values, shaped as RESP2 sees them. Handlers build these; resp.ts encodes them for
 * the TCP server; the console formats them as redis-cli would. Strings are byte strings:
 * each UTF-16 code unit holds one byte 0–255 (see bytes.ts).
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
  | { readonly type: 'array'; readonly value: readonly Reply[] | null }
  /**
   * Several whole replies written back to back, with no header of their own: what a command
   * sends when it answers more than once. SUBSCRIBE a b answers one confirmation per channel;
   * a command inside EXEC during which Pub/Sub messages reached its own client sends those
   * messages before its reply (commands/pubsub.ts). Never empty, never nested in an array
   * except as an element of EXEC's reply.
   */
  | { readonly type: 'sequence'; readonly value: readonly Reply[] }

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
