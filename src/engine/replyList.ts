/**
 * networking.c's reply list (c->reply) as a transport reports it: the bytes of replies a
 * client has not read yet. The RESP host knows only how many bytes are still waiting to be
 * written (Node's socket.writableLength); this module lays them out as Redis would hold them:
 * the first ones in c->buf (while the list is empty), the rest in blocks of at least
 * PROTO_REPLY_CHUNK_BYTES, each a jemalloc allocation whose whole size class is usable
 * (_addReplyProtoToList). A block is freed once all its bytes are written (writeToClient).
 *
 * The blocks count in used_memory (zmalloc), in CLIENT LIST oll / omem / tot-mem
 * (getClientOutputBufferMemoryUsage), and against client-output-buffer-limit
 * (checkClientOutputBufferLimits), checked as Redis checks it: each time a block is added.
 * The browser app has no socket, so it never reports and nothing here runs.
 */
import { clientIsSubscribed } from './commands/pubsub.ts'
import { CLIENT_OUTPUT_BUFFER_LIMIT_DEFAULT } from './config.ts'
import type { Client, ServerState } from './state.ts'
import { jemallocSizeClass } from './structures/jemalloc.ts'

/**
 * networking.c PROTO_REPLY_CHUNK_BYTES: the least a reply block holds, and c->buf's size at
 * createClient, the most clientsCron expands it to (connection.ts).
 */
export const PROTO_REPLY_CHUNK_BYTES = 16 * 1024
/** sizeof(clientReplyBlock): its size and used fields, before the bytes. */
const REPLY_BLOCK_HEADER = 16
/** sizeof(listNode): prev, next, value. */
const LIST_NODE_SIZE = 24

/** A client's c->reply: its blocks, oldest first, and what the transport still holds. */
export interface ReplyList {
  /** Bytes not yet written, as the transport last reported them (c->buf's share included). */
  pending: number
  /** Each block's size (its usable bytes, tail->size). */
  readonly sizes: number[]
  /** Each block's used bytes (tail->used). */
  readonly used: number[]
  /** Bytes of the first block already written (c->sentlen). */
  headSent: number
  /**
   * Bytes of the pending ones that went to c->buf. writeToClient sends c->buf before the
   * list, so they are the first written; CLIENT LIST obl does not show them, as Redis's
   * c->buf is empty again by the time anyone looks.
   */
  bufPending: number
  /** c->reply_bytes: the sum of the blocks' sizes. */
  replyBytes: number
  /** c->obuf_soft_limit_reached_time (seconds; 0 while under the soft limit). */
  softLimitReachedTime: number
}

/** What one block takes from zmalloc: the block and its list node. */
function blockAllocation(size: number): number {
  return size + REPLY_BLOCK_HEADER + jemallocSizeClass(LIST_NODE_SIZE)
}

/** getClientOutputBufferMemoryUsage for a normal or pub/sub client (CLIENT LIST omem). */
export function clientOutputBufferMemory(c: Client): number {
  const l = c.replyList
  if (l === null) return 0
  return l.replyBytes + (LIST_NODE_SIZE + REPLY_BLOCK_HEADER) * l.sizes.length
}

/** CLIENT LIST oll: the reply list's length. */
export function clientReplyListLength(c: Client): number {
  return c.replyList?.sizes.length ?? 0
}

/** Whether the client has replies waiting (its write handler is installed: events=rw). */
export function clientHasPendingReplies(c: Client): boolean {
  return c.replyList !== null && c.replyList.pending > 0
}

/**
 * The transport reports that `pending` bytes of `c`'s replies are still unwritten. Returns
 * true when the client overcame its output buffer limits and is to be closed
 * (closeClientOnOutputBufferLimitReached); the caller closes it and logs.
 */
export function clientOutputPending(srv: ServerState, c: Client, pending: number): boolean {
  let l = c.replyList
  if (l === null) {
    if (pending === 0) return false
    l = {
      pending: 0,
      sizes: [],
      used: [],
      headSent: 0,
      bufPending: 0,
      replyBytes: 0,
      softLimitReachedTime: 0,
    }
    c.replyList = l
  }
  const prev = l.pending
  l.pending = pending
  let overLimit = false
  if (pending > prev) overLimit = addReplies(srv, c, l, pending - prev)
  else if (pending < prev) writeReplies(srv, l, prev - pending)
  if (l.pending === 0 && l.sizes.length === 0) c.replyList = null
  return overLimit
}

/** _addReplyToBufferOrList: c->buf while the list is empty, then the tail, then new blocks. */
function addReplies(srv: ServerState, c: Client, l: ReplyList, bytes: number): boolean {
  let len = bytes
  if (l.sizes.length === 0) {
    const toBuf = Math.min(len, Math.max(0, c.bufUsableSize - l.bufPending))
    l.bufPending += toBuf
    len -= toBuf
  }
  const last = l.sizes.length - 1
  if (len > 0 && last >= 0) {
    const copy = Math.min(len, (l.sizes[last] ?? 0) - (l.used[last] ?? 0))
    l.used[last] = (l.used[last] ?? 0) + copy
    len -= copy
  }
  if (len === 0) return false
  const size = jemallocSizeClass(Math.max(len, PROTO_REPLY_CHUNK_BYTES) + REPLY_BLOCK_HEADER)
  l.sizes.push(size - REPLY_BLOCK_HEADER)
  l.used.push(len)
  l.replyBytes += size - REPLY_BLOCK_HEADER
  srv.clientReplyListBytes += blockAllocation(size - REPLY_BLOCK_HEADER)
  return checkClientOutputBufferLimits(srv, c, l)
}

/** writeToClient: c->buf goes first, then the head blocks; a block written whole is freed. */
function writeReplies(srv: ServerState, l: ReplyList, bytes: number): void {
  let n = Math.min(bytes, l.bufPending)
  l.bufPending -= n
  n = bytes - n
  while (n > 0 && l.sizes.length > 0) {
    const left = (l.used[0] ?? 0) - l.headSent
    if (n < left) {
      l.headSent += n
      return
    }
    n -= left
    freeHead(srv, l)
  }
  // The transport has written everything: no block is left (its count is the truth).
  if (l.pending === 0) while (l.sizes.length > 0) freeHead(srv, l)
}

function freeHead(srv: ServerState, l: ReplyList): void {
  const size = l.sizes.shift() ?? 0
  l.used.shift()
  l.headSent = 0
  l.replyBytes -= size
  srv.clientReplyListBytes -= blockAllocation(size)
}

/** What the client's blocks take from zmalloc (their share of used_memory). */
export function clientReplyListAllocation(c: Client): number {
  let n = 0
  for (const size of c.replyList?.sizes ?? []) n += blockAllocation(size)
  return n
}

/** A freed client's blocks leave used_memory. */
export function freeClientReplyList(srv: ServerState, c: Client): void {
  srv.clientReplyListBytes -= clientReplyListAllocation(c)
  c.replyList = null
}

/**
 * clientsCron's closeClientOnOutputBufferLimitReached(c, 0): a client that stays over its
 * soft limit with no new replies is closed once the soft seconds have passed.
 */
export function clientOutputLimitReached(srv: ServerState, c: Client): boolean {
  const l = c.replyList
  return l !== null && l.replyBytes !== 0 && checkClientOutputBufferLimits(srv, c, l)
}

/** networking.c checkClientOutputBufferLimits for a normal (or master) or pub/sub client. */
function checkClientOutputBufferLimits(srv: ServerState, c: Client, l: ReplyList): boolean {
  const used = clientOutputBufferMemory(c)
  const limits = (
    srv.config.other['client-output-buffer-limit'] ?? CLIENT_OUTPUT_BUFFER_LIMIT_DEFAULT
  ).split(' ')
  // Classes in order normal, slave, pubsub, four words each (name hard soft seconds).
  const at = clientIsSubscribed(c) ? 8 : 0
  const hardLimit = Number(limits[at + 1] ?? 0)
  const softLimit = Number(limits[at + 2] ?? 0)
  const softSeconds = Number(limits[at + 3] ?? 0)
  const hard = hardLimit !== 0 && used >= hardLimit
  let soft = softLimit !== 0 && used >= softLimit
  if (soft) {
    if (l.softLimitReachedTime === 0) {
      l.softLimitReachedTime = srv.unixtime
      soft = false
    } else if (srv.unixtime - l.softLimitReachedTime <= softSeconds) soft = false
  } else l.softLimitReachedTime = 0
  return soft || hard
}
