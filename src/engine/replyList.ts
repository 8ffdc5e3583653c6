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
import type { Reply } from './reply.ts'
import { respEncodedLength } from './resp.ts'
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
  /**
   * CLIENT_CLOSE_ASAP set while a command ran (a ReplyMeter passed the limits): the line
   * logged then. The transport closes the client when it next reports, sending nothing more.
   */
  closeAsap: string | null
}

/** What one block takes from zmalloc: the block and its list node. */
function blockAllocation(size: number): number {
  return size + REPLY_BLOCK_HEADER + jemallocSizeClass(LIST_NODE_SIZE)
}

/** getClientOutputBufferMemoryUsage for a normal or pub/sub client (CLIENT LIST omem). */
export function clientOutputBufferMemory(c: Client): number {
  return c.replyList === null ? 0 : replyListMemory(c.replyList)
}

function replyListMemory(l: ReplyList): number {
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
 *
 * New bytes are, unless `onePiece`, a run of small replies (each addReply call under
 * PROTO_REPLY_CHUNK_BYTES): they fill the tail and then one new block of 16 KiB after
 * another. With `onePiece` they are the body of one long bulk string, added by a single
 * call, which opens one block as big as what the tail could not take.
 */
export function clientOutputPending(
  srv: ServerState,
  c: Client,
  pending: number,
  onePiece = false,
): boolean {
  let l = c.replyList
  if (l !== null && l.closeAsap !== null) return true
  if (l === null) {
    if (pending === 0) return false
    l = replyListCreate()
    c.replyList = l
  }
  const prev = l.pending
  l.pending = pending
  let overLimit = false
  if (pending > prev) overLimit = addReplies(srv, srv, c, l, pending - prev, onePiece)
  else if (pending < prev) writeReplies(srv, l, prev - pending)
  if (l.pending === 0 && l.sizes.length === 0) c.replyList = null
  return overLimit
}

function replyListCreate(): ReplyList {
  return {
    pending: 0,
    sizes: [],
    used: [],
    headSent: 0,
    bufPending: 0,
    replyBytes: 0,
    softLimitReachedTime: 0,
    closeAsap: null,
  }
}

/** What keeps count of the blocks' allocations (server-wide, or a meter's own). */
interface BlockAllocations {
  clientReplyListBytes: number
}

/**
 * _addReplyToBufferOrList for `bytes` of replies: c->buf while the list is empty, then the
 * tail, then new blocks (_addReplyProtoToList), the limits checked as each block is added.
 * Once over them, nothing more is added (prepareClientToWrite refuses a CLIENT_CLOSE_ASAP
 * client).
 */
function addReplies(
  srv: ServerState,
  alloc: BlockAllocations,
  c: Client,
  l: ReplyList,
  bytes: number,
  onePiece: boolean,
): boolean {
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
  while (len > 0) {
    const want = onePiece ? Math.max(len, PROTO_REPLY_CHUNK_BYTES) : PROTO_REPLY_CHUNK_BYTES
    const size = jemallocSizeClass(want + REPLY_BLOCK_HEADER) - REPLY_BLOCK_HEADER
    const used = Math.min(len, size)
    l.sizes.push(size)
    l.used.push(used)
    l.replyBytes += size
    alloc.clientReplyListBytes += blockAllocation(size)
    len -= used
    if (checkClientOutputBufferLimits(srv, c, l)) return true
  }
  return false
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
  return (
    l !== null &&
    (l.closeAsap !== null || (l.replyBytes !== 0 && checkClientOutputBufferLimits(srv, c, l)))
  )
}

/** server.client_obuf_limits[class] for a normal (or master) or pub/sub client. */
function clientObufLimits(srv: ServerState, c: Client): readonly [number, number, number] {
  return obufLimitsOfClass(srv, clientIsSubscribed(c) ? 'pubsub' : 'normal')
}

/** server.client_obuf_limits[class]: hard bytes, soft bytes, soft seconds. */
export function obufLimitsOfClass(
  srv: ServerState,
  cls: 'normal' | 'replica' | 'pubsub',
): readonly [number, number, number] {
  const limits = (
    srv.config.other['client-output-buffer-limit'] ?? CLIENT_OUTPUT_BUFFER_LIMIT_DEFAULT
  ).split(' ')
  // Classes in order normal, slave, pubsub, four words each (name hard soft seconds).
  const at = cls === 'pubsub' ? 8 : cls === 'replica' ? 4 : 0
  return [Number(limits[at + 1] ?? 0), Number(limits[at + 2] ?? 0), Number(limits[at + 3] ?? 0)]
}

/** networking.c checkClientOutputBufferLimits for a normal (or master) or pub/sub client. */
function checkClientOutputBufferLimits(srv: ServerState, c: Client, l: ReplyList): boolean {
  return obufLimitsReached(srv, replyListMemory(l), clientObufLimits(srv, c), l)
}

/**
 * checkClientOutputBufferLimits's test of `used` bytes against a class's limits (a hard limit
 * of `hardBytes` in force): the soft one counts once passed for more than its seconds.
 */
export function obufLimitsReached(
  srv: ServerState,
  used: number,
  [hardLimit, softLimit, softSeconds]: readonly [number, number, number],
  holder: { softLimitReachedTime: number },
  hardBytes = hardLimit,
): boolean {
  const hard = hardLimit !== 0 && used >= hardBytes
  let soft = softLimit !== 0 && used >= softLimit
  if (soft) {
    if (holder.softLimitReachedTime === 0) {
      holder.softLimitReachedTime = srv.unixtime
      soft = false
    } else if (srv.unixtime - holder.softLimitReachedTime <= softSeconds) soft = false
  } else holder.softLimitReachedTime = 0
  return soft || hard
}

/**
 * A command that adds its reply element by element and stops once its client is to be
 * closed (`if (c->flags & CLIENT_CLOSE_ASAP) break;` in keysCommand and in the negative-count
 * loops of hrandfield, srandmember and zrandmember). The engine builds a reply whole before
 * the transport lays it out, so such a command measures its elements as it makes them, on a
 * copy of the client's reply list laid out as the transport's report will lay them out.
 * When they pass the limits, the copy becomes the client's list, marked CLIENT_CLOSE_ASAP
 * (closeAsap), and the command stops: the transport then closes the client with nothing more
 * sent. Otherwise the copy is dropped and the transport reports the reply as usual.
 */
export interface ReplyMeter {
  readonly srv: ServerState
  readonly c: Client
  readonly list: ReplyList
  /** The allocations of the blocks the copy added. */
  readonly alloc: BlockAllocations
  /** The line logged as the client is closed (built then: its omem is the copy's). */
  readonly closeLine: () => string
  closed: boolean
}

/**
 * A meter for `c`'s next replies, after `queued` bytes of earlier ones the transport has not
 * reported yet; null when no limit applies to the client. Closed already if the client is
 * (or the queued bytes take it past its limits).
 */
export function replyMeterCreate(
  srv: ServerState,
  c: Client,
  queued: number,
  closeLine: () => string,
): ReplyMeter | null {
  const [hard, soft] = clientObufLimits(srv, c)
  if (hard === 0 && soft === 0) return null
  const l = c.replyList
  const list: ReplyList =
    l === null ? replyListCreate() : { ...l, sizes: [...l.sizes], used: [...l.used] }
  const m: ReplyMeter = {
    srv,
    c,
    list,
    alloc: { clientReplyListBytes: 0 },
    closeLine,
    closed: false,
  }
  if (list.closeAsap !== null) m.closed = true
  else if (queued > 0) replyMeterAdd(m, queued)
  return m
}

/** Adds `bytes` of small replies; true once the client is to be closed. */
export function replyMeterAdd(m: ReplyMeter, bytes: number, onePiece = false): boolean {
  if (m.closed) return true
  m.list.pending += bytes
  if (addReplies(m.srv, m.alloc, m.c, m.list, bytes, onePiece)) replyMeterClose(m)
  return m.closed
}

/** Adds a bulk string of `len` bytes as addReplyBulk does: `$len` CRLF, the body, CRLF. */
export function replyMeterAddBulk(m: ReplyMeter, len: number): boolean {
  const header = String(len).length + 3
  if (len <= PROTO_REPLY_CHUNK_BYTES) return replyMeterAdd(m, header + len + 2)
  return replyMeterAdd(m, header) || replyMeterAdd(m, len, true) || replyMeterAdd(m, 2)
}

/** Adds one reply (a bulk string as addReplyBulk adds it, others as one small piece). */
export function replyMeterAddReply(m: ReplyMeter, r: Reply): boolean {
  if (r.type === 'bulk' && r.value !== null) return replyMeterAddBulk(m, r.value.length)
  return replyMeterAdd(m, respEncodedLength(r, Infinity))
}

/** closeClientOnOutputBufferLimitReached(c, 1) on the meter's copy: it becomes c->reply. */
function replyMeterClose(m: ReplyMeter): void {
  m.closed = true
  const { srv, c } = m
  srv.clientReplyListBytes += m.alloc.clientReplyListBytes
  c.replyList = m.list
  m.list.closeAsap = m.closeLine()
  c.closeAfterReply = true
}
