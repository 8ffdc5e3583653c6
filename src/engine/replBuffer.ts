/**
 * Redis 7.0's one replication buffer (replication.c feedReplicationBuffer,
 * incrementalTrimReplicationBacklog, addReplyReplicationBacklog; networking.c _writeToClient,
 * getClientOutputBufferMemoryUsage): the replication stream is kept once, in a list of
 * blocks, and the backlog and every replica refer into it. The backlog refers to the first
 * block and each replica to the block holding its first byte not yet written; a block is
 * freed only once the backlog lets go of it (its history is longer than repl-backlog-size
 * without it) and no replica refers to it, so a slow replica makes the backlog outgrow its
 * size, and a partial resync may use all of it.
 *
 * Its memory (server.repl_buffer_mem: each block's allocation and list node) counts in
 * used_memory; INFO shows it as mem_total_replication_buffers, the part past
 * repl-backlog-size as the replicas' (mem_clients_slaves), and eviction does not count that
 * part (freeMemoryGetNotCountedMemory).
 *
 * A replica's bytes are written by the host: it reports those of a replica's connection it
 * has not written yet (replicaOutputPending), and the replica's reference moves on over the
 * blocks written whole, as _writeToClient moves it.
 */
import type { ClientId } from './api.ts'
import { obufLimitsOfClass, obufLimitsReached, PROTO_REPLY_CHUNK_BYTES } from './replyList.ts'
import type { ServerState } from './state.ts'
import { jemallocSizeClass } from './structures/jemalloc.ts'

/** sizeof(replBufBlock): refcount (padded), id, repl_offset, size, used. */
const REPL_BUF_BLOCK_HEADER = 40
/** sizeof(listNode). */
const LIST_NODE_SIZE = 24
/** server.h REPL_BACKLOG_TRIM_BLOCKS_PER_CALL. */
export const REPL_BACKLOG_TRIM_BLOCKS_PER_CALL = 64

/** A replBufBlock: `size` usable bytes, the first `used` of them holding stream bytes. */
export interface ReplBufBlock {
  readonly id: number
  /** The stream offset of its first byte. */
  replOffset: number
  readonly size: number
  used: number
  /** The backlog's and the replicas' references (each to the block it starts at). */
  refcount: number
  /** Its bytes (a byte string). */
  data: string
}

/** A replica's place in the buffer (c->ref_repl_buf_node, c->ref_block_pos). */
export interface ReplicaBufRef {
  block: ReplBufBlock | null
  pos: number
  /**
   * Of the stream bytes after the reference, those handed to the host and not reported
   * written yet (the others are held until the replica ACKs a diskless payload).
   */
  unwritten: number
  /** CLIENT_CLOSE_ASAP: scheduled to be closed for its output buffer limits. */
  closeAsap: boolean
  /** c->obuf_soft_limit_reached_time (seconds; 0 while under the soft limit). */
  softLimitReachedTime: number
}

/** server.repl_buffer_blocks and server.repl_backlog's fields. */
export interface ReplBuffer {
  blocks: ReplBufBlock[]
  /** server.repl_buffer_mem. */
  mem: number
  /** repl_backlog->histlen: the bytes of the blocks from the backlog's first on. */
  histlen: number
  /** repl_backlog->offset: the offset of the backlog's first byte. */
  offset: number
  /** feedReplicationBuffer's static repl_block_id. */
  nextId: number
  /** Each replica's reference. */
  refs: Map<ClientId, ReplicaBufRef>
}

export function createReplBuffer(): ReplBuffer {
  return { blocks: [], mem: 0, histlen: 0, offset: 0, nextId: 0, refs: new Map() }
}

/** repl-backlog-size. */
export function replBacklogSize(srv: ServerState): number {
  return Number(srv.config.other['repl-backlog-size'] ?? '1048576')
}

/**
 * feedReplicationBuffer's buffer part: `bytes` fill the tail block, then new ones of at
 * least PROTO_REPLY_CHUNK_BYTES and at most repl-backlog-size / 16 (each allocation's whole
 * size class usable). The replicas in `feeding` without a reference get one to where these
 * bytes start, as does the backlog. Calls `newBlock` after each block added, with the
 * replicas to check against their output buffer limits.
 */
export function replBufferFeed(
  srv: ServerState,
  buf: ReplBuffer,
  bytes: string,
  feeding: readonly ClientId[],
  newBlock: () => void,
): void {
  let s = 0
  const limit = Math.max(Math.floor(replBacklogSize(srv) / 16), PROTO_REPLY_CHUNK_BYTES)
  while (s < bytes.length) {
    let startBlock: ReplBufBlock | null = null
    let startPos = 0
    let added = false
    const wasEmpty = buf.blocks.length === 0
    let tail = buf.blocks[buf.blocks.length - 1]
    if (tail !== undefined && tail.size > tail.used) {
      startBlock = tail
      startPos = tail.used
      const copy = Math.min(tail.size - tail.used, bytes.length - s)
      tail.data += bytes.slice(s, s + copy)
      tail.used += copy
      s += copy
      srv.repl.masterReplOffset += copy
      buf.histlen += copy
    }
    if (s < bytes.length) {
      const len = bytes.length - s
      const want = Math.min(Math.max(len, PROTO_REPLY_CHUNK_BYTES), limit)
      const usable = jemallocSizeClass(want + REPL_BUF_BLOCK_HEADER)
      const size = usable - REPL_BUF_BLOCK_HEADER
      const copy = Math.min(size, len)
      tail = {
        id: buf.nextId++,
        replOffset: srv.repl.masterReplOffset + 1,
        size,
        used: copy,
        refcount: 0,
        data: bytes.slice(s, s + copy),
      }
      buf.blocks.push(tail)
      buf.mem += usable + LIST_NODE_SIZE
      added = true
      if (startBlock === null) {
        startBlock = tail
        startPos = 0
      }
      s += copy
      srv.repl.masterReplOffset += copy
      buf.histlen += copy
    }
    for (const id of feeding) {
      const ref = replicaRefOf(buf, id)
      if (ref.block !== null || startBlock === null) continue
      ref.block = startBlock
      ref.pos = startPos
      startBlock.refcount++
    }
    // The backlog's reference: the first block, from the first bytes fed.
    if (wasEmpty && startBlock !== null) startBlock.refcount++
    if (added) newBlock()
  }
  replBufferTrim(srv, buf, REPL_BACKLOG_TRIM_BLOCKS_PER_CALL)
}

/**
 * incrementalTrimReplicationBacklog: while the backlog is longer than repl-backlog-size even
 * without its first block, and only the backlog refers to that block, the block is freed
 * (at most `maxBlocks` of them).
 */
export function replBufferTrim(srv: ServerState, buf: ReplBuffer, maxBlocks: number): void {
  const size = replBacklogSize(srv)
  let trimmed = 0
  while (buf.histlen > size && trimmed < maxBlocks) {
    if (buf.blocks.length <= 1) break
    const fo = buf.blocks[0] as ReplBufBlock
    if (fo.refcount !== 1) break
    if (buf.histlen - fo.size <= size) break
    fo.refcount--
    trimmed++
    buf.histlen -= fo.size
    buf.blocks.shift()
    ;(buf.blocks[0] as ReplBufBlock).refcount++
    buf.mem -= fo.size + LIST_NODE_SIZE + REPL_BUF_BLOCK_HEADER
  }
  buf.offset = srv.repl.masterReplOffset - buf.histlen + 1
}

/** createReplicationBacklog: empty, its first byte the next one of the stream. */
export function replBufferReset(srv: ServerState, buf: ReplBuffer): void {
  buf.blocks = []
  buf.mem = 0
  buf.histlen = 0
  buf.offset = srv.repl.masterReplOffset + 1
  for (const ref of buf.refs.values()) {
    ref.block = null
    ref.pos = 0
    ref.unwritten = 0
  }
}

/** The backlog's bytes from `offset` on (PSYNC's +CONTINUE). */
export function replBufferRead(buf: ReplBuffer, offset: number): string {
  let out = ''
  for (const b of buf.blocks) {
    if (b.replOffset + b.used <= offset) continue
    out += offset > b.replOffset ? b.data.slice(offset - b.replOffset) : b.data
  }
  return out
}

/**
 * addReplyReplicationBacklog's reference for a replica that goes on from `offset` (none
 * while the backlog is empty: the next bytes fed give it one). Returns the bytes it gets.
 */
export function replBufferAttachAt(buf: ReplBuffer, id: ClientId, offset: number): string {
  const ref = replicaRefOf(buf, id)
  if (buf.histlen === 0) return ''
  const block = buf.blocks.find((b) => b.replOffset + b.used >= offset)
  if (block === undefined) return ''
  if (ref.block !== null) ref.block.refcount--
  block.refcount++
  ref.block = block
  ref.pos = offset - block.replOffset
  const data = replBufferRead(buf, offset)
  ref.unwritten = data.length
  return data
}

/** A replica's reference, made (pointing nowhere yet) on first use. */
export function replicaRefOf(buf: ReplBuffer, id: ClientId): ReplicaBufRef {
  let ref = buf.refs.get(id)
  if (ref === undefined) {
    ref = { block: null, pos: 0, unwritten: 0, closeAsap: false, softLimitReachedTime: 0 }
    buf.refs.set(id, ref)
  }
  return ref
}

/** freeReplicaReferencedReplBuffer: the replica lets go of its block (then a trim). */
export function replBufferDetach(srv: ServerState, buf: ReplBuffer, id: ClientId): void {
  const ref = buf.refs.get(id)
  if (ref === undefined) return
  buf.refs.delete(id)
  if (ref.block === null) return
  ref.block.refcount--
  if (srv.repl.backlog) replBufferTrim(srv, buf, REPL_BACKLOG_TRIM_BLOCKS_PER_CALL)
}

/**
 * _writeToClient for a replica, `n` of its bytes written: its reference moves on, to the
 * next block once one is written whole (and there is a next), trimming the backlog then.
 */
function replicaWrote(srv: ServerState, buf: ReplBuffer, ref: ReplicaBufRef, n: number): void {
  let left = n
  while (ref.block !== null) {
    const o = ref.block
    const take = Math.min(left, o.used - ref.pos)
    ref.pos += take
    left -= take
    const next = buf.blocks[buf.blocks.indexOf(o) + 1]
    if (next === undefined || ref.pos !== o.used) break
    o.refcount--
    next.refcount++
    ref.block = next
    ref.pos = 0
    replBufferTrim(srv, buf, REPL_BACKLOG_TRIM_BLOCKS_PER_CALL)
  }
}

/**
 * The host holds `pending` bytes of the replica's output unwritten (its payload's first,
 * then the stream's): the stream bytes written since move its reference on.
 */
export function replicaOutputPending(
  srv: ServerState,
  buf: ReplBuffer,
  id: ClientId,
  pending: number,
): void {
  const ref = buf.refs.get(id)
  if (ref === undefined) return
  const unwritten = Math.min(pending, ref.unwritten)
  if (unwritten === ref.unwritten) return
  const written = ref.unwritten - unwritten
  ref.unwritten = unwritten
  replicaWrote(srv, buf, ref, written)
}

/**
 * getClientOutputBufferMemoryUsage for a replica: the blocks from its own to the last, each
 * with its list node and header.
 */
export function replicaOutputMemory(buf: ReplBuffer, id: ClientId): number {
  const cur = buf.refs.get(id)?.block ?? null
  const last = buf.blocks[buf.blocks.length - 1]
  if (cur === null || last === undefined) return 0
  const bytes = last.replOffset + last.size - cur.replOffset
  return bytes + (LIST_NODE_SIZE + REPL_BUF_BLOCK_HEADER) * (last.id - cur.id + 1)
}

/**
 * object.c getMemoryOverheadData's split of the buffer: past repl-backlog-size (while there
 * are replicas) it is the replicas' (clients_slaves), the rest the backlog's.
 */
export function replBufferOverhead(
  srv: ServerState,
  buf: ReplBuffer,
): { clientsSlaves: number; replBacklog: number } {
  const size = replBacklogSize(srv)
  if (srv.repl.replicas.length !== 0 && buf.mem > size)
    return { clientsSlaves: buf.mem - size, replBacklog: size }
  return { clientsSlaves: 0, replBacklog: buf.mem }
}

/**
 * evict.c freeMemoryGetNotCountedMemory's replication part: the buffer past the backlog's
 * size (and an estimate of its blocks' headers) is not counted against maxmemory.
 */
export function replBufferNotCounted(srv: ServerState, buf: ReplBuffer): number {
  const size = replBacklogSize(srv)
  if (buf.mem <= size) return 0
  const extra =
    (Math.floor(size / PROTO_REPLY_CHUNK_BYTES) + 1) * (REPL_BUF_BLOCK_HEADER + LIST_NODE_SIZE)
  const counted = size + extra
  return buf.mem > counted ? buf.mem - counted : 0
}

/**
 * networking.c checkClientOutputBufferLimits for a replica: its share of the buffer against
 * the replica class's limits, a hard limit under repl-backlog-size taken as that size.
 */
export function replicaOverOutputLimits(srv: ServerState, buf: ReplBuffer, id: ClientId): boolean {
  const ref = buf.refs.get(id)
  if (ref === undefined) return false
  const limits = obufLimitsOfClass(srv, 'replica')
  const hardBytes = Math.max(limits[0], replBacklogSize(srv))
  return obufLimitsReached(srv, replicaOutputMemory(buf, id), limits, ref, hardBytes)
}

/**
 * rebaseReplicationBuffer: the offsets move on by `delta` (a restarted master goes on from
 * the offset its RDB file kept).
 */
export function replBufferRebase(srv: ServerState, buf: ReplBuffer, delta: number): void {
  for (const b of buf.blocks) b.replOffset += delta
  buf.offset = srv.repl.masterReplOffset - buf.histlen + 1
}
