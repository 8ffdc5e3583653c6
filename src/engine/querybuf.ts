/**
 * A client's query buffer as Redis sizes it (c->querybuf, an sds; networking.c
 * readQueryFromClient and processMultibulkBuffer, server.c clientsCronResizeQueryBuffer,
 * 7.0.15). Only its sizes are kept: the bytes live in the transport's parser (resp.ts).
 *
 * - A read first makes room: 16 KiB exactly (sdsMakeRoomForNonGreedy) while the buffer is
 *   smaller than that or a big argument is being read (then room for the rest of it), else
 *   greedily (sdsMakeRoomFor), reading as much as the free space holds.
 * - A `$len` header of a big argument (32 KiB or more) drops what was parsed and makes room
 *   for the whole argument; once it is all there, the argument takes the buffer over as its
 *   sds and the client gets a new empty one of the same size.
 * - querybuf_peak keeps the longest the buffer has been since clientsCron last looked; the
 *   cron trims a buffer wasting over 4 KiB: to its length when the client is idle over 2 s,
 *   or to the recent peak when it is over 32 KiB and more than twice that peak.
 *
 * used_memory counts each buffer's allocation (its jemalloc class): `account` holds the sum
 * for the whole server, kept as the sizes change.
 */
import { jemallocSizeClass } from './structures/jemalloc.ts'
import {
  sdsHdrSize,
  sdsReqType,
  sdsResizeType,
  sdsRoomFor,
  type SdsType,
} from './structures/sds.ts'

// --- Constants (server.h) ---

/** PROTO_IOBUF_LEN: how much readQueryFromClient reads at a time. */
export const QUERYBUF_READ_LEN = 16 * 1024
/** PROTO_MBULK_BIG_ARG: a bulk this long is read straight into a buffer of its own size. */
export const PROTO_MBULK_BIG_ARG = 32 * 1024
/** PROTO_RESIZE_THRESHOLD: the cron trims a busy client's buffer only above this. */
export const PROTO_RESIZE_THRESHOLD = 32 * 1024
/** clientsCronResizeQueryBuffer leaves alone a buffer wasting at most this much. */
const RESIZE_MIN_WASTE = 4 * 1024

// --- Types ---

/** The sum of the allocations of every client's query buffer (in used_memory). */
export interface QueryBufAccount {
  bytes: number
  /** The allocations of the arguments of commands read only in part (c->argv), summed. */
  argv: number
}

/** The sizes of one client's c->querybuf. */
export interface QueryBuf {
  /** sdslen: bytes read and not yet trimmed (during a pass, the whole read's). */
  len: number
  /** sdsalloc and the sds header type. */
  alloc: number
  type: SdsType
  /** zmalloc_size of the allocation (header + alloc + 1, in its jemalloc class). */
  zmalloc: number
  /** c->querybuf_peak. */
  peak: number
  /** c->bulklen: the bulk being read, or -1. */
  bulklen: number
  /** c->argv_len_sum and c->argc of a command read only in part (0 between commands). */
  argvLenSum: number
  argc: number
  /** What that partial c->argv takes from zmalloc: its array and its string objects. */
  argvZmalloc: number
  /** A transport feeds this buffer (queryBufRead and the parser); otherwise commands do. */
  hosted: boolean
  readonly account: QueryBufAccount
}

// --- Creation ---

/** createClient's sdsempty(): type 8, 4 bytes free in its 8-byte allocation. */
export function queryBufCreate(account: QueryBufAccount): QueryBuf {
  const qb: QueryBuf = {
    len: 0,
    alloc: 0,
    type: 8,
    zmalloc: 0,
    peak: 0,
    bulklen: -1,
    argvLenSum: 0,
    argc: 0,
    argvZmalloc: 0,
    hosted: false,
    account,
  }
  setAlloc(qb, jemallocSizeClass(sdsHdrSize(8) + 1) - sdsHdrSize(8) - 1, 8)
  return qb
}

/** freeClient: the buffer's allocation is released. */
export function queryBufFree(qb: QueryBuf): void {
  qb.account.bytes -= qb.zmalloc
  qb.zmalloc = 0
  qb.account.argv -= qb.argvZmalloc
  qb.argvZmalloc = 0
}

function setAlloc(qb: QueryBuf, alloc: number, type: SdsType): void {
  const zmalloc = jemallocSizeClass(sdsHdrSize(type) + alloc + 1)
  qb.account.bytes += zmalloc - qb.zmalloc
  qb.alloc = alloc
  qb.type = type
  qb.zmalloc = zmalloc
}

/** sdsMakeRoomFor (greedy) or sdsMakeRoomForNonGreedy. */
function makeRoom(qb: QueryBuf, addlen: number, greedy: boolean): void {
  if (qb.alloc - qb.len >= addlen) return
  const room = sdsRoomFor(qb.len, qb.alloc, qb.type, addlen, greedy)
  setAlloc(qb, room.alloc, room.type)
}

/** sdsResize(querybuf, size, 1): the capacity becomes exactly `size`. */
function resize(qb: QueryBuf, size: number): void {
  if (qb.alloc === size) return
  if (size < qb.len) qb.len = size
  setAlloc(qb, size, sdsResizeType(qb.type, size, true))
}

// --- Reading (networking.c) ---

/**
 * readQueryFromClient, before its read: makes room and returns how many bytes the read asks
 * for. `bigArgRest` is what is missing of a big bulk being read (bulklen + 2 minus what is
 * buffered), or -1 when no big bulk is under way.
 */
export function queryBufReadLen(qb: QueryBuf, bigArgRest: number): number {
  if (bigArgRest !== -1 || qb.alloc < QUERYBUF_READ_LEN) {
    // Room for the rest of the argument, or a first 16 KiB, and not a byte more.
    const readlen = bigArgRest > 0 ? bigArgRest : QUERYBUF_READ_LEN
    makeRoom(qb, readlen, false)
    return readlen
  }
  makeRoom(qb, QUERYBUF_READ_LEN, true)
  return qb.alloc - qb.len
}

/** readQueryFromClient after its read: `nread` bytes appended; the peak follows. */
export function queryBufAppended(qb: QueryBuf, nread: number): void {
  qb.len += nread
  if (qb.peak < qb.len) qb.peak = qb.len
}

/**
 * processMultibulkBuffer at a `$ll` header of a big argument, with `unparsed` bytes after
 * the header: when they are no more than the argument, the parsed part is dropped
 * (sdsrange) and the buffer gets room for exactly the whole argument.
 */
export function queryBufBigArgHeader(qb: QueryBuf, unparsed: number, ll: number): void {
  if (unparsed > ll + 2) return
  qb.len = unparsed
  makeRoom(qb, ll + 2 - unparsed, false)
}

/**
 * processMultibulkBuffer, a big argument alone in the buffer: the buffer becomes the
 * argument's sds, and the client gets a new empty one as big (sdsnewlen(bulklen + 2)).
 */
export function queryBufTakenByArg(qb: QueryBuf, bulklen: number): void {
  const room = sdsRoomFor(0, 0, 8, bulklen + 2, false)
  // The old allocation now belongs to the argument (counted with the keyspace, if kept).
  qb.account.bytes -= qb.zmalloc
  qb.zmalloc = 0
  qb.len = 0
  setAlloc(qb, room.alloc, room.type)
}

/**
 * The end of processInputBuffer: what is left unparsed, the bulk under way, and the
 * arguments already parsed of a command not read in full (`args`, of the `total` its
 * `*<count>` header announced; none when no command is under way).
 */
export function queryBufSettle(
  qb: QueryBuf,
  pending: number,
  bulklen: number,
  args: readonly string[],
  total: number,
): void {
  qb.len = pending
  qb.bulklen = bulklen
  let sum = 0
  for (const a of args) sum += a.length
  qb.argvLenSum = sum
  qb.argc = args.length
  const zmalloc = total === 0 ? 0 : partialArgvZmalloc(args, total)
  qb.account.argv += zmalloc - qb.argvZmalloc
  qb.argvZmalloc = zmalloc
}

/** sizeof(robj). */
const ROBJ_SIZE = 16
/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44

/**
 * processMultibulkBuffer's c->argv for `args` of `total`: the array (room for
 * min(total, 1024) pointers, doubled up to total as it fills) and each argument's object:
 * createStringObject (an embstr up to 44 bytes, else a robj and an sds), or, for a big one
 * read alone into the query buffer, a robj over that buffer (an sds of room for the
 * argument and its CRLF, as queryBufTakenByArg left it).
 */
function partialArgvZmalloc(args: readonly string[], total: number): number {
  let argvLen = Math.min(total, 1024)
  while (argvLen < args.length) argvLen = Math.min(argvLen * 2, total)
  let n = jemallocSizeClass(8 * argvLen)
  for (const a of args) {
    const len = a.length
    if (len <= EMBSTR_SIZE_LIMIT) n += jemallocSizeClass(ROBJ_SIZE + sdsHdrSize(8) + len + 1)
    else if (len < PROTO_MBULK_BIG_ARG)
      n += jemallocSizeClass(ROBJ_SIZE) + jemallocSizeClass(sdsHdrSize(sdsReqType(len)) + len + 1)
    else {
      const room = sdsRoomFor(0, 0, 8, len + 2, false)
      n += jemallocSizeClass(ROBJ_SIZE) + jemallocSizeClass(sdsHdrSize(room.type) + room.alloc + 1)
    }
  }
  return n
}

// --- clientsCron (server.c) ---

/** clientsCronResizeQueryBuffer, for a client idle for `idle` seconds. */
export function queryBufCronResize(qb: QueryBuf, idle: number): void {
  if (qb.alloc - qb.len > RESIZE_MIN_WASTE) {
    if (idle > 2) {
      // sdsRemoveFreeSpace(querybuf, 1).
      resize(qb, qb.len)
    } else if (qb.alloc > PROTO_RESIZE_THRESHOLD && Math.floor(qb.alloc / 2) > qb.peak) {
      // Not below the recent peak, the current length, or the bulk being read.
      let size = qb.len
      if (size < qb.peak) size = qb.peak
      if (qb.bulklen !== -1 && size < qb.bulklen) size = qb.bulklen
      resize(qb, size)
    }
  }
  qb.peak = qb.len
  if (qb.bulklen !== -1 && qb.bulklen > qb.peak) qb.peak = qb.bulklen
}
