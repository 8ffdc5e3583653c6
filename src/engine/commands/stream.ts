/**
 * Stream commands — follows redis/src/t_stream.c (7.0.15): XADD XLEN XRANGE XREVRANGE XDEL
 * XTRIM XSETID XREAD XINFO, and the consumer group commands XGROUP XREADGROUP XACK XPENDING
 * XCLAIM XAUTOCLAIM.
 *
 * Handlers keep Redis's order of checks (argument parsing, then lookup and type check), which
 * decides the error a malformed command gets. The stream itself (rax of listpacks, IDs,
 * trimming, iteration) is types/t_stream.ts.
 *
 * Blocking: XREAD/XREADGROUP BLOCK with nothing to serve parks the client (blocking.ts
 * blockForKeys); XADD signals the key and serveStreamKey answers the waiters after the
 * command, as blocked.c serveClientsBlockedOnStreamKey does. Inside MULTI the timeout reply
 * (a null array) comes at once.
 */
import { mustObeyClient } from '../aof.ts'
import { alsoPropagate, preventCommandPropagation, rewriteCommandVector } from '../replication.ts'
import { cstr } from '../bytes.ts'
import type { ExecContext } from '../context.ts'
import {
  dbAdd,
  lookupKeyRead,
  lookupKeyWrite,
  signalKeyAsReady,
  signalModifiedKey,
  type RedisDb,
} from '../keyspace/db.ts'
import { NOTIFY_STREAM, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import {
  array,
  bulk,
  EMPTY_ARRAY,
  error,
  ERR_NO_SUCH_KEY,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  integer,
  mapReply,
  NIL,
  NIL_ARRAY,
  OK,
  replyItemCount,
  ZERO,
  type Protocol,
  type Reply,
} from '../reply.ts'
import {
  raxFind,
  raxForEach,
  raxInsert,
  raxNext,
  raxRemove,
  raxSeek,
  raxSize,
  raxStart,
  raxTryInsert,
} from '../structures/rax.ts'
import {
  createStreamObject,
  SCG_INVALID_ENTRIES_READ,
  streamAppendItem,
  streamCGLag,
  streamCompareID,
  streamCreateCG,
  streamCreateConsumer,
  streamCreateNACK,
  streamDecodeID,
  streamDelConsumer,
  streamEncodeID,
  streamEntryExists,
  streamEstimateDistanceFromFirstEverEntry,
  streamLookupCG,
  streamLookupConsumer,
  streamRangeHasTombstones,
  streamDecrID,
  streamDeleteItem,
  streamDup,
  streamGetEdgeID,
  streamIDEqZero,
  streamIDString,
  streamIncrID,
  streamIteratorGetFields,
  streamIteratorGetID,
  streamIteratorStart,
  streamLastValidID,
  streamNodeLimits,
  streamParseID,
  streamTraceGroup,
  streamTrim,
  UINT64_MAX,
  type ParsedStreamID,
  type Stream,
  type StreamCG,
  type StreamConsumer,
  type StreamID,
  type StreamNACK,
  type StreamObject,
  type StreamTrimArgs,
} from '../types/t_stream.ts'
import type { ServerState } from '../state.ts'
import { jemallocTryAlloc } from '../structures/jemalloc.ts'
import type { RedisObject } from '../types/object.ts'
import { blockForKeys, denyBlocking, serveReceiver, streamKeyReady, waitersOf } from './blocking.ts'
import { objectDuplicators } from './generic.ts'
import { integerLL, isToken, wrongArity } from './common.ts'
import { getLongLongOrReply, helpReply, subcommandSyntaxError } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'
import { pubsubReplyAt, pubsubReplyWritten } from './pubsub.ts'

const ERR_INVALID_ID = error('ERR Invalid stream ID specified as stream command argument')
const ERR_ID_TOO_SMALL = error(
  'ERR The ID specified in XADD is equal or smaller than the target stream top item',
)
const ERR_ID_ZERO = error('ERR The ID specified in XADD must be greater than 0-0')
const ERR_EXHAUSTED = error(
  'ERR The stream has exhausted the last possible ID, unable to add more items',
)
const ERR_TOO_LARGE = error('ERR Elements are too large to be stored')
const ERR_TRIM_BOTH = error(
  'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
)

// --- Helpers ---

/** streamParseIDOrReply / streamParseStrictIDOrReply. */
function parseIDOrReply(
  arg: string,
  missingSeq: bigint,
  strict: boolean,
  allowSeqStar = false,
): ParsedStreamID | Reply {
  return streamParseID(arg, missingSeq, strict, allowSeqStar) ?? ERR_INVALID_ID
}

const REPLY_TYPES: ReadonlySet<unknown> = new Set(['simple', 'error', 'integer', 'bulk', 'array'])

/** Whether a parse or lookup result is the error reply (values here are never replies). */
function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'type' in x && REPLY_TYPES.has(x.type)
}

/** The stream at `key` for a read: null when missing, a reply on the wrong type. */
function lookupStreamRead(c: CommandCall, key: string): Stream | null | Reply {
  const o = lookupStreamObjectRead(c, key)
  return o === null || isReply(o) ? o : o.ptr
}

/** lookupStreamRead returning the object (commands that change a stream they read-looked up). */
function lookupStreamObjectRead(c: CommandCall, key: string): StreamObject | null | Reply {
  const o = lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (o === null) return null
  return o.type === 'stream' ? (o as StreamObject) : ERR_WRONGTYPE
}

function lookupStreamWrite(c: CommandCall, key: string): StreamObject | null | Reply {
  const o = lookupKeyWrite(c.srv, c.ctx, c.db, key)
  if (o === null) return null
  return o.type === 'stream' ? (o as StreamObject) : ERR_WRONGTYPE
}

/** The key's stream changed in place: memory accounting re-measures it. */
function touched(c: CommandCall, o: StreamObject): void {
  memValueTouched(c.db.dict, o)
}

function idReply(id: StreamID): Reply {
  return bulk(streamIDString(id))
}

/** One entry as [id, [field, value, ...]]. */
function entryReply(id: StreamID, fields: readonly string[]): Reply {
  return array([idReply(id), array(fields.map((f) => bulk(f)))])
}

/**
 * streamReplyWithRange without a group: up to `count` entries (0 = all) from start to end,
 * forward or reversed.
 */
function rangeEntries(
  s: Stream,
  start: StreamID | null,
  end: StreamID | null,
  count: number,
  rev: boolean,
): Reply[] {
  const out: Reply[] = []
  const si = streamIteratorStart(s, start, end, rev)
  for (let got = streamIteratorGetID(si); got !== null; got = streamIteratorGetID(si)) {
    out.push(entryReply(got.id, streamIteratorGetFields(si, got.numfields)))
    if (count && out.length === count) break
  }
  return out
}

// --- XADD / XTRIM argument parsing ---

interface AddTrimArgs extends StreamTrimArgs {
  id: StreamID
  idGiven: boolean
  seqGiven: boolean
  noMkstream: boolean
  /** Position of the ID argument (XADD). */
  idpos: number
  /** Position of the MAXLEN/MINID threshold (trim_strategy_arg_idx). */
  trimArgIdx: number
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddOrTrimArgs(c: CommandCall, xadd: boolean): AddTrimArgs | Reply {
  const argv = c.argv
  const args: AddTrimArgs = {
    strategy: 'none',
    approx: false,
    limit: 0n,
    maxlen: 0n,
    minid: { ms: 0n, seq: 0n },
    id: { ms: 0n, seq: 0n },
    idGiven: false,
    seqGiven: true,
    noMkstream: false,
    idpos: 0,
    trimArgIdx: 0,
  }
  let limitGiven = false
  let i = 2
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i
    const opt = argv[i] ?? ''
    if (xadd && cstr(opt) === '*') break
    const maxlen = isToken(opt, 'MAXLEN')
    if ((maxlen || isToken(opt, 'MINID')) && moreargs) {
      if (args.strategy !== 'none') return ERR_TRIM_BOTH
      // MAXLEN|MINID [~|=] threshold: the marker only counts when a threshold follows it.
      args.approx = false
      const next = cstr(argv[i + 1] ?? '')
      if (moreargs >= 2 && next === '~') {
        args.approx = true
        i++
      } else if (moreargs >= 2 && next === '=') i++
      const threshold = argv[i + 1] ?? ''
      i++
      args.trimArgIdx = i
      if (maxlen) {
        const n = getLongLongOrReply(threshold)
        if (isReply(n)) return n
        if (n < 0n) return error('ERR The MAXLEN argument must be >= 0.')
        args.maxlen = n
        args.strategy = 'maxlen'
      } else {
        const id = parseIDOrReply(threshold, 0n, true)
        if (isReply(id)) return id
        args.minid = id.id
        args.strategy = 'minid'
      }
    } else if (isToken(opt, 'LIMIT') && moreargs) {
      const n = getLongLongOrReply(argv[i + 1] ?? '')
      if (isReply(n)) return n
      if (n < 0n) return error('ERR The LIMIT argument must be >= 0.')
      args.limit = n
      limitGiven = true
      i++
    } else if (xadd && isToken(opt, 'NOMKSTREAM')) {
      args.noMkstream = true
    } else if (xadd) {
      const id = parseIDOrReply(opt, 0n, true, true)
      if (isReply(id)) return id
      args.id = id.id
      args.seqGiven = id.seqGiven
      args.idGiven = true
      break
    } else return ERR_SYNTAX
  }
  args.idpos = i
  if (args.limit && args.strategy === 'none')
    return error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy')
  if (!xadd && args.strategy === 'none')
    return error('ERR syntax error, XTRIM must be called with a trimming strategy')
  // From the AOF the threshold was rewritten exact: no node limit applies.
  if (mustObeyClient(c.srv, c.client)) args.limit = 0n
  else if (limitGiven) {
    if (!args.approx)
      return error('ERR syntax error, LIMIT cannot be used without the special ~ option')
  } else if (args.approx) {
    // 100 * stream-node-max-entries in a long long (wrapping like the C multiplication).
    const maxEntries = BigInt(c.srv.config.other['stream-node-max-entries'] ?? '100')
    args.limit = BigInt.asIntN(64, 100n * maxEntries)
    if (args.limit <= 0n) args.limit = 10000n
    if (args.limit > 1000000n) args.limit = 1000000n
  } else args.limit = 0n
  return args
}

// --- XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID ---

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ... */
function xaddCommand(c: CommandCall): Reply {
  const args = parseAddOrTrimArgs(c, true)
  if (isReply(args)) return args
  const fieldPos = args.idpos + 1
  const nfields = c.argv.length - fieldPos
  if (nfields < 2 || nfields % 2 === 1) return wrongArity('xadd')
  if (args.idGiven && args.seqGiven && streamIDEqZero(args.id)) return ERR_ID_ZERO

  const key = c.argv[1] ?? ''
  let o = lookupStreamWrite(c, key)
  if (isReply(o)) return o
  if (o === null) {
    if (args.noMkstream) return NIL
    o = createStreamObject(c.srv)
    dbAdd(c.ctx, c.db, key, o, c.srv)
  }
  const s = o.ptr
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) return ERR_EXHAUSTED

  const added = streamAppendItem(
    c.ctx,
    s,
    c.argv.slice(fieldPos),
    args.idGiven ? args.id : null,
    args.seqGiven,
    streamNodeLimits(c.srv),
    key,
  )
  if (added === 'EDOM') return ERR_ID_TOO_SMALL
  if (added === 'ERANGE') return ERR_TOO_LARGE
  // t_stream.c replies with the ID before it signals and notifies.
  pubsubReplyWritten(c)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xadd', key, c.db.id)
  c.srv.dirty++
  const prop = c.argv.slice()
  if (args.strategy !== 'none') {
    if (streamTrim(c.ctx, s, args, key))
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xtrim', key, c.db.id)
    if (args.approx) streamRewriteTrim(prop, s, args)
  }
  // Propagated with the ID it generated.
  if (!args.idGiven || !args.seqGiven) prop[args.idpos] = streamIDString(added)
  if (prop.some((a, j) => a !== c.argv[j])) rewriteCommandVector(c.srv, prop)
  touched(c, o)
  // New data for blocked XREAD / XREADGROUP clients.
  if (c.db.blockingKeys.size !== 0) signalKeyAsReady(c.db, key, 'stream')
  return idReply(added)
}

/**
 * streamRewriteApproxSpecifier and streamRewriteTrimArgument: MAXLEN/MINID ~ n propagates as
 * MAXLEN = <length now> or MINID = <first ID now>, so a replay trims the same entries.
 */
function streamRewriteTrim(argv: string[], s: Stream, args: AddTrimArgs): void {
  argv[args.trimArgIdx - 1] = '='
  argv[args.trimArgIdx] =
    args.strategy === 'maxlen' ? String(s.length) : streamIDString(streamGetEdgeID(s, true, false))
}

/** XLEN key */
function xlenCommand(c: CommandCall): Reply {
  const s = lookupStreamRead(c, c.argv[1] ?? '')
  if (s === null) return ZERO
  if (isReply(s)) return s
  return integer(s.length)
}

/** streamParseIntervalIDOrReply: "(" makes an exclusive bound (strict parsing then). */
function parseIntervalID(arg: string, missingSeq: bigint): { id: StreamID; ex: boolean } | Reply {
  const ex = arg.length > 1 && arg.charAt(0) === '('
  const r = ex
    ? parseIDOrReply(arg.slice(1), missingSeq, true)
    : parseIDOrReply(arg, missingSeq, false)
  return isReply(r) ? r : { id: r.id, ex }
}

/** xrangeGenericCommand: XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n]. */
function xrangeGeneric(c: CommandCall, rev: boolean): Reply {
  const argv = c.argv
  const startArg = (rev ? argv[3] : argv[2]) ?? ''
  const endArg = (rev ? argv[2] : argv[3]) ?? ''
  const start = parseIntervalID(startArg, 0n)
  if (isReply(start)) return start
  let startId = start.id
  if (start.ex) {
    const next = streamIncrID(startId)
    if (next === null) return error('ERR invalid start ID for the interval')
    startId = next
  }
  const end = parseIntervalID(endArg, UINT64_MAX)
  if (isReply(end)) return end
  let endId = end.id
  if (end.ex) {
    const prev = streamDecrID(endId)
    if (prev === null) return error('ERR invalid end ID for the interval')
    endId = prev
  }
  let count = -1n
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1
    if (isToken(argv[j] ?? '', 'COUNT') && additional >= 1) {
      const n = getLongLongOrReply(argv[j + 1] ?? '')
      if (isReply(n)) return n
      count = n < 0n ? 0n : n
      j++
    } else return ERR_SYNTAX
  }
  const s = lookupStreamRead(c, argv[1] ?? '')
  if (s === null) return EMPTY_ARRAY
  if (isReply(s)) return s
  if (count === 0n) return NIL_ARRAY
  const n = count === -1n ? 0 : count > 2n ** 53n ? 2 ** 53 : Number(count)
  return array(rangeEntries(s, startId, endId, n, rev))
}

/** XDEL key id [id ...] */
function xdelCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const o = lookupStreamWrite(c, key)
  if (o === null) return ZERO
  if (isReply(o)) return o
  const s = o.ptr
  const ids: StreamID[] = []
  for (let j = 2; j < c.argv.length; j++) {
    const id = parseIDOrReply(c.argv[j] ?? '', 0n, true)
    if (isReply(id)) return id
    ids.push(id.id)
  }
  let deleted = 0
  let firstEntry = false
  for (const id of ids) {
    if (!streamDeleteItem(c.ctx, s, id, key)) continue
    if (streamCompareID(id, s.firstId) === 0) firstEntry = true
    if (streamCompareID(id, s.maxDeletedEntryId) > 0) s.maxDeletedEntryId = id
    deleted++
  }
  if (deleted) {
    if (s.length === 0) s.firstId = { ms: 0n, seq: 0n }
    else if (firstEntry) s.firstId = streamGetEdgeID(s, true, true)
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xdel', key, c.db.id)
    c.srv.dirty += deleted
    touched(c, o)
  }
  return integer(deleted)
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrimCommand(c: CommandCall): Reply {
  const args = parseAddOrTrimArgs(c, false)
  if (isReply(args)) return args
  const key = c.argv[1] ?? ''
  const o = lookupStreamWrite(c, key)
  if (o === null) return ZERO
  if (isReply(o)) return o
  const deleted = streamTrim(c.ctx, o.ptr, args, key)
  if (deleted && args.approx) {
    const prop = c.argv.slice()
    streamRewriteTrim(prop, o.ptr, args)
    rewriteCommandVector(c.srv, prop)
  }
  if (deleted) {
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xtrim', key, c.db.id)
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    c.srv.dirty += deleted
    touched(c, o)
  }
  return integer(deleted)
}

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetidCommand(c: CommandCall): Reply {
  const argv = c.argv
  const parsed = parseIDOrReply(argv[2] ?? '', 0n, true)
  if (isReply(parsed)) return parsed
  const id = parsed.id
  let maxXdelId: StreamID = { ms: 0n, seq: 0n }
  let entriesAdded = -1n
  let i = 3
  while (i < argv.length) {
    const moreargs = argv.length - 1 - i
    const opt = argv[i] ?? ''
    if (isToken(opt, 'ENTRIESADDED') && moreargs) {
      const n = getLongLongOrReply(argv[i + 1] ?? '')
      if (isReply(n)) return n
      if (n < 0n) return error('ERR entries_added must be positive')
      entriesAdded = n
      i += 2
    } else if (isToken(opt, 'MAXDELETEDID') && moreargs) {
      const m = parseIDOrReply(argv[i + 1] ?? '', 0n, true)
      if (isReply(m)) return m
      if (streamCompareID(id, m.id) < 0)
        return error(
          'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
        )
      maxXdelId = m.id
      i += 2
    } else return ERR_SYNTAX
  }
  const key = argv[1] ?? ''
  const o = lookupStreamWrite(c, key)
  if (o === null) return ERR_NO_SUCH_KEY
  if (isReply(o)) return o
  const s = o.ptr
  if (s.length > 0) {
    const maxid = streamLastValidID(s)
    if (streamCompareID(id, maxid) < 0)
      return error('ERR The ID specified in XSETID is smaller than the target stream top item')
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded)
      return error(
        'ERR The entries_added specified in XSETID is smaller than the target stream length',
      )
  }
  s.lastId = id
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded
  if (!streamIDEqZero(maxXdelId)) s.maxDeletedEntryId = maxXdelId
  c.srv.dirty++
  pubsubReplyWritten(c)
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xsetid', key, c.db.id)
  if (c.ctx.tracing)
    c.ctx.emit({
      type: 'stream/idsSet',
      key,
      lastId: streamIDString(s.lastId),
      entriesAdded: s.entriesAdded.toString(),
      maxDeletedEntryId: streamIDString(s.maxDeletedEntryId),
    })
  return OK
}

// --- XREAD ---

/** The live clock in ms, as mstime() reads it (NACK delivery and consumer seen times). */
function mstime(c: CommandCall): number {
  return Math.floor(c.ctx.clock.now())
}

/**
 * streamReplyWithRange with a group: entries after the group's last ID are delivered to
 * `consumer` (added to both PELs unless NOACK, or reassigned when already pending) and
 * advance the group's last ID and entries_read.
 */
function groupRangeEntries(
  c: CommandCall,
  s: Stream,
  start: StreamID,
  count: number,
  group: StreamCG,
  consumer: StreamConsumer,
  noack: boolean,
  spi: { readonly key: string; readonly group: string },
): Reply[] {
  const out: Reply[] = []
  let propagateLastId = false
  const si = streamIteratorStart(s, start, null, false)
  for (let got = streamIteratorGetID(si); got !== null; got = streamIteratorGetID(si)) {
    const id = got.id
    if (streamCompareID(id, group.lastId) > 0) {
      if (group.entriesRead !== SCG_INVALID_ENTRIES_READ && !streamRangeHasTombstones(s, id, null))
        group.entriesRead++
      else if (s.entriesAdded) group.entriesRead = streamEstimateDistanceFromFirstEverEntry(s, id)
      group.lastId = id
      if (noack) propagateLastId = true
    }
    out.push(entryReply(id, streamIteratorGetFields(si, got.numfields)))
    if (!noack) {
      const buf = streamEncodeID(id)
      const nack = streamCreateNACK(mstime(c), consumer)
      const groupInserted = raxTryInsert(group.pel, buf, nack)
      raxTryInsert(consumer.pel, buf, nack)
      if (!groupInserted) {
        // Already pending: the entry moves to this consumer with a fresh delivery.
        const old = raxFind(group.pel, buf) as StreamNACK
        if (old.consumer !== null) raxRemove(old.consumer.pel, buf)
        old.consumer = consumer
        old.deliveryTime = mstime(c)
        old.deliveryCount = 1n
        raxInsert(consumer.pel, buf, old)
      }
      streamPropagateXCLAIM(
        c,
        spi,
        group,
        streamIDString(id),
        raxFind(group.pel, buf) as StreamNACK,
      )
    }
    if (count && out.length === count) break
  }
  // NOACK moved the last ID with no XCLAIM to carry it.
  if (propagateLastId) streamPropagateGroupID(c, spi, group)
  return out
}

/**
 * t_stream.c streamPropagateGroupID: a group's last ID moved with no XCLAIM to carry it
 * (XREADGROUP NOACK, XCLAIM LASTID claiming nothing) propagates as XGROUP SETID.
 */
function streamPropagateGroupID(
  c: CommandCall,
  spi: { readonly key: string; readonly group: string },
  group: StreamCG,
): void {
  alsoPropagate(c.srv, c.db.id, [
    'XGROUP',
    'SETID',
    spi.key,
    spi.group,
    streamIDString(group.lastId),
    'ENTRIESREAD',
    String(group.entriesRead),
  ])
}

/**
 * t_stream.c streamPropagateXCLAIM: an entry delivered by XREADGROUP, or claimed (or dropped
 * from the PEL as deleted) by XCLAIM / XAUTOCLAIM, propagates as an idempotent XCLAIM (FORCE
 * JUSTID, its delivery time and count, the group's last ID). `id` is written as given: XCLAIM
 * passes its argument as typed, the others the ID formatted.
 */
function streamPropagateXCLAIM(
  c: CommandCall,
  spi: { readonly key: string; readonly group: string },
  group: StreamCG,
  id: string,
  nack: StreamNACK,
): void {
  alsoPropagate(c.srv, c.db.id, [
    'XCLAIM',
    spi.key,
    spi.group,
    nack.consumer?.name ?? '',
    '0',
    id,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    streamIDString(group.lastId),
  ])
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`; an
 * entry no longer in the stream is [id, nil]; each one re-delivered counts a delivery.
 */
function consumerPelEntries(
  c: CommandCall,
  s: Stream,
  start: StreamID,
  count: number,
  consumer: StreamConsumer,
): Reply[] {
  const out: Reply[] = []
  const it = raxStart(consumer.pel)
  raxSeek(it, '>=', streamEncodeID(start))
  while (raxNext(it) && (!count || out.length < count)) {
    const id = streamDecodeID(it.key)
    const entry = rangeEntries(s, id, id, 1, false)[0]
    if (entry === undefined) out.push(array([idReply(id), NIL_ARRAY]))
    else {
      out.push(entry)
      const nack = it.data as StreamNACK
      nack.deliveryTime = mstime(c)
      nack.deliveryCount++
    }
  }
  return out
}

function noGroupForRead(key: string, group: string): Reply {
  return error(
    `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(group)}' in XREADGROUP with GROUP option`,
  )
}

/**
 * xreadCommand, both forms:
 * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key ... id ...
 */
function xreadGeneric(c: CommandCall, xreadgroup: boolean): Reply {
  const argv = c.argv
  let timeout = -1
  let count = 0n
  let streamsArg = 0
  let streamsCount = 0
  let noack = false
  let groupname: string | null = null
  let consumername = ''
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1
    const o = argv[i] ?? ''
    if (isToken(o, 'BLOCK') && moreargs) {
      i++
      const t = getLongLongOrReply(argv[i] ?? '', 'timeout is not an integer or out of range')
      if (isReply(t)) return t
      if (t < 0n) return error('ERR timeout is negative')
      // getTimeoutFromObjectOrReply (ms): a deadline on the live clock, 0 = forever.
      timeout = t > 0n ? Number(t) + mstime(c) : 0
    } else if (isToken(o, 'COUNT') && moreargs) {
      i++
      const n = getLongLongOrReply(argv[i] ?? '')
      if (isReply(n)) return n
      count = n < 0n ? 0n : n
    } else if (isToken(o, 'STREAMS') && moreargs) {
      streamsArg = i + 1
      streamsCount = argv.length - streamsArg
      if (streamsCount % 2 !== 0)
        return error(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        )
      streamsCount /= 2
      break
    } else if (isToken(o, 'GROUP') && moreargs >= 2) {
      if (!xreadgroup)
        return error(
          'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
        )
      groupname = argv[i + 1] ?? ''
      consumername = argv[i + 2] ?? ''
      i += 2
    } else if (isToken(o, 'NOACK')) {
      if (!xreadgroup)
        return error(
          'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
        )
      noack = true
    } else return ERR_SYNTAX
  }
  if (streamsArg === 0) return ERR_SYNTAX
  if (xreadgroup && groupname === null) return error('ERR Missing GROUP option for XREADGROUP')

  const ids: StreamID[] = []
  const groups: StreamCG[] = []
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const key = argv[i - streamsCount] ?? ''
    const s = lookupStreamRead(c, key)
    if (isReply(s)) return s
    if (groupname !== null) {
      const group = s === null ? null : streamLookupCG(s, groupname)
      if (group === null) return noGroupForRead(key, groupname)
      groups.push(group)
    }
    const arg = argv[i] ?? ''
    if (arg === '$') {
      if (xreadgroup)
        return error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        )
      ids.push(s !== null ? s.lastId : { ms: 0n, seq: 0n })
      continue
    }
    if (arg === '>') {
      if (!xreadgroup)
        return error(
          'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
        )
      ids.push({ ms: UINT64_MAX, seq: UINT64_MAX })
      continue
    }
    const id = parseIDOrReply(arg, 0n, true)
    if (isReply(id)) return id
    ids.push(id.id)
  }

  const n = count > 2n ** 53n ? 2 ** 53 : Number(count)
  const out: Reply[] = []
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i] ?? ''
    // Looked up again while the reply is written (its header once a stream was served): a
    // keymiss event comes after what is written so far.
    if (out.length > 0)
      pubsubReplyAt(
        c,
        out.reduce((n, r) => n + replyItemCount(r), 1),
      )
    const o = lookupKeyRead(c.srv, c.ctx, c.db, key)
    if (o === null) continue
    const s = (o as StreamObject).ptr
    let gt = ids[i] as StreamID
    const group = groups[i]
    let serve = false
    let history = false
    if (group !== undefined) {
      if (gt.ms !== UINT64_MAX || gt.seq !== UINT64_MAX) {
        serve = true
        history = true
      } else if (s.length && streamCompareID(streamLastValidID(s), group.lastId) > 0) {
        serve = true
        gt = group.lastId
      }
    } else if (s.length && streamCompareID(streamLastValidID(s), gt) > 0) serve = true
    if (!serve) continue
    const start = streamIncrID(gt) ?? { ms: 0n, seq: 0n }
    let entries: Reply[]
    if (group !== undefined) {
      let consumer = streamLookupConsumer(group, consumername, mstime(c))
      if (consumer === null) {
        // xreadCommand has written the reply's header, the streams served before, and this
        // one's [key (RESP2: its pair's header and) key.
        const written = out.reduce((n, r) => n + replyItemCount(r), 1)
        pubsubReplyAt(c, written + (c.client.resp === 2 ? 2 : 1))
        consumer = streamCreateConsumer(group, consumername, mstime(c)) as StreamConsumer
        c.srv.dirty++
        // streamPropagateConsumerCreation: with NOACK no XCLAIM would create it.
        if (noack)
          alsoPropagate(c.srv, c.db.id, [
            'XGROUP',
            'CREATECONSUMER',
            key,
            groupname ?? '',
            consumername,
          ])
        notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-createconsumer', key, c.db.id)
      }
      entries = history
        ? consumerPelEntries(c, s, start, n, consumer)
        : groupRangeEntries(c, s, start, n, group, consumer, noack, {
            key,
            group: groupname ?? '',
          })
      streamTraceGroup(c.ctx, key, s, groupname ?? '', 'delivered', entries.length)
      c.srv.dirty++
      touched(c, o as StreamObject)
    } else entries = rangeEntries(s, start, null, n, false)
    // A map of stream → entries in RESP3, pairs in RESP2 (xreadCommand's c->resp == 2).
    if (c.client.resp === 2) out.push(array([bulk(key), array(entries)]))
    else out.push(bulk(key), array(entries))
  }
  if (out.length) return c.client.resp === 2 ? array(out) : mapReply(3, out)
  if (timeout === -1) return NIL_ARRAY
  // A client that may not block (inside MULTI) gets the timeout reply at once.
  if (denyBlocking(c)) return NIL_ARRAY
  return blockForKeys(c, 'stream', argv.slice(streamsArg, streamsArg + streamsCount), {
    timeout,
    count: -1,
    wherefrom: 'head',
    stream: {
      ids: firstIdPerKey(argv.slice(streamsArg, streamsArg + streamsCount), ids),
      count: n || XREAD_BLOCKED_DEFAULT_COUNT,
      group: groupname,
      consumer: consumername,
      noack,
    },
  })
}

/** Without COUNT, a blocked reader is served at most this many entries per stream. */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000

/** blockForKeys keeps each key once, with the ID given at its first occurrence. */
function firstIdPerKey(keys: readonly string[], ids: readonly StreamID[]): StreamID[] {
  const seen = new Set<string>()
  const out: StreamID[] = []
  keys.forEach((key, i) => {
    if (seen.has(key)) return
    seen.add(key)
    out.push({ ...(ids[i] as StreamID) })
  })
  return out
}

/**
 * blocked.c serveClientsBlockedOnStreamKey: each XREAD / XREADGROUP waiter of `key` whose ID
 * is below the stream's last ID gets [[key, entries]] (a group waiter reads after the group's
 * last ID, which serving earlier waiters moves); a group that no longer exists answers
 * NOGROUP. When the key is no longer a stream, XREADGROUP waiters are unblocked with an
 * error (unblockDeletedStreamReadgroupClients); XREAD waiters keep waiting.
 */
function serveStreamKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  o: RedisObject | null,
): void {
  for (const receiver of waitersOf(srv, db, key, 'stream')) {
    const sb = receiver.bpop?.stream
    if (sb === undefined || sb === null) continue
    if (o === null || o.type !== 'stream') {
      if (sb.group !== null)
        serveReceiver(srv, ctx, receiver, key, () =>
          error('UNBLOCKED the stream key no longer exists'),
        )
      continue
    }
    const s = (o as StreamObject).ptr
    const idx = receiver.bpop?.keys.indexOf(key) ?? -1
    let group: StreamCG | null = null
    if (sb.group !== null) {
      group = streamLookupCG(s, sb.group)
      if (group === null) {
        serveReceiver(srv, ctx, receiver, key, () =>
          error('NOGROUP the consumer group this client was blocked on no longer exists'),
        )
        continue
      }
      sb.ids[idx] = group.lastId
    }
    const gt = sb.ids[idx] as StreamID
    if (streamCompareID(s.lastId, gt) <= 0) continue
    const start = streamIncrID(gt) ?? { ms: 0n, seq: 0n }
    serveReceiver(srv, ctx, receiver, key, (c) => {
      let entries: Reply[]
      if (group !== null) {
        let consumer = streamLookupConsumer(group, sb.consumer, mstime(c))
        if (consumer === null) {
          consumer = streamCreateConsumer(group, sb.consumer, mstime(c)) as StreamConsumer
          c.srv.dirty++
          if (sb.noack)
            alsoPropagate(srv, db.id, [
              'XGROUP',
              'CREATECONSUMER',
              key,
              sb.group ?? '',
              sb.consumer,
            ])
          notifyKeyspaceEvent(srv, c.ctx, NOTIFY_STREAM, 'xgroup-createconsumer', key, db.id)
        }
        entries = groupRangeEntries(c, s, start, sb.count, group, consumer, sb.noack, {
          key,
          group: sb.group ?? '',
        })
        streamTraceGroup(c.ctx, key, s, sb.group ?? '', 'delivered', entries.length)
        memValueTouched(db.dict, o)
      } else entries = rangeEntries(s, start, null, sb.count, false)
      // blocked.c serveClientsBlockedOnStreamKey: a one-stream map in RESP3.
      if (c.client.resp === 3) return mapReply(3, [bulk(key), array(entries)])
      return array([array([bulk(key), array(entries)])])
    })
  }
}

streamKeyReady.serve = serveStreamKey

// --- Consumer groups: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM ---

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
]

function noGroup(key: string, group: string): Reply {
  return error(`NOGROUP No such consumer group '${cstr(group)}' for key name '${cstr(key)}'`)
}

function noKeyOrGroup(key: string, group: string): Reply {
  return error(`NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(group)}'`)
}

/** xgroupCommand: CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP. */
function xgroupCommand(c: CommandCall): Reply {
  const argv = c.argv
  const argc = argv.length
  const opt = argv[1] ?? ''
  let mkstream = false
  let entriesRead = SCG_INVALID_ENTRIES_READ
  let o: StreamObject | null = null
  let cg: StreamCG | null = null
  const key = argv[2] ?? ''
  const grpname = argv[3] ?? ''
  if (argc >= 4) {
    const create = isToken(opt, 'CREATE')
    const setid = isToken(opt, 'SETID')
    let i = 5
    while (i < argc) {
      const a = argv[i] ?? ''
      if (create && isToken(a, 'MKSTREAM')) {
        mkstream = true
        i++
      } else if ((create || setid) && isToken(a, 'ENTRIESREAD') && i + 1 < argc) {
        const n = getLongLongOrReply(argv[i + 1] ?? '')
        if (isReply(n)) return n
        if (n < 0n && n !== SCG_INVALID_ENTRIES_READ)
          return error('ERR value for ENTRIESREAD must be positive or -1')
        entriesRead = n
        i += 2
      } else return subcommandSyntaxError(c.argv)
    }
    const found = lookupStreamWrite(c, key)
    if (isReply(found)) return found
    o = found
  }
  if (argc >= 4 && !mkstream) {
    if (o === null)
      return error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      )
    cg = streamLookupCG(o.ptr, grpname)
    if (
      cg === null &&
      (isToken(opt, 'SETID') || isToken(opt, 'CREATECONSUMER') || isToken(opt, 'DELCONSUMER'))
    )
      return noGroup(key, grpname)
  }

  if (argc === 2 && isToken(opt, 'HELP')) return helpReply(argv[0] ?? 'xgroup', XGROUP_HELP)
  if (isToken(opt, 'CREATE') && argc >= 5 && argc <= 8) {
    let id: StreamID
    if (argv[4] === '$') id = o !== null ? o.ptr.lastId : { ms: 0n, seq: 0n }
    else {
      const p = parseIDOrReply(argv[4] ?? '', 0n, true)
      if (isReply(p)) return p
      id = p.id
    }
    if (o === null) {
      o = createStreamObject(c.srv)
      dbAdd(c.ctx, c.db, key, o, c.srv)
      signalModifiedKey(c.srv, c.ctx, c.db, key)
    }
    if (streamCreateCG(o.ptr, grpname, id, entriesRead) === null)
      return error('BUSYGROUP Consumer Group name already exists')
    c.srv.dirty++
    pubsubReplyWritten(c)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-create', key, c.db.id)
    touched(c, o)
    streamTraceGroup(c.ctx, key, o.ptr, grpname, 'created', 0)
    return OK
  }
  if (o === null || cg === null) {
    if (isToken(opt, 'DESTROY') && argc === 4) return ZERO
    return subcommandSyntaxError(c.argv)
  }
  if (isToken(opt, 'SETID') && (argc === 5 || argc === 7)) {
    let id: StreamID
    if (argv[4] === '$') id = o.ptr.lastId
    else {
      const p = parseIDOrReply(argv[4] ?? '', 0n, false)
      if (isReply(p)) return p
      id = p.id
    }
    cg.lastId = id
    cg.entriesRead = entriesRead
    c.srv.dirty++
    pubsubReplyWritten(c)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-setid', key, c.db.id)
    streamTraceGroup(c.ctx, key, o.ptr, grpname, 'setId', 0)
    return OK
  }
  if (isToken(opt, 'DESTROY') && argc === 4) {
    raxRemove(o.ptr.cgroups as NonNullable<Stream['cgroups']>, grpname)
    c.srv.dirty++
    pubsubReplyWritten(c)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-destroy', key, c.db.id)
    touched(c, o)
    streamTraceGroup(c.ctx, key, o.ptr, grpname, 'destroyed', 0)
    // XREADGROUP clients blocked on this group get NOGROUP.
    signalKeyAsReady(c.db, key, 'stream')
    return integer(1)
  }
  if (isToken(opt, 'CREATECONSUMER') && argc === 5) {
    const created = streamCreateConsumer(cg, argv[4] ?? '', mstime(c))
    if (created !== null) {
      c.srv.dirty++
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-createconsumer', key, c.db.id)
      streamTraceGroup(c.ctx, key, o.ptr, grpname, 'consumerCreated', 1)
    }
    touched(c, o)
    return integer(created !== null ? 1 : 0)
  }
  if (isToken(opt, 'DELCONSUMER') && argc === 5) {
    const consumer = streamLookupConsumer(cg, argv[4] ?? '', mstime(c), true)
    let pending = 0
    if (consumer !== null) {
      pending = raxSize(consumer.pel)
      streamDelConsumer(cg, consumer)
      c.srv.dirty++
      notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STREAM, 'xgroup-delconsumer', key, c.db.id)
      touched(c, o)
      streamTraceGroup(c.ctx, key, o.ptr, grpname, 'consumerDeleted', pending)
    }
    return integer(pending)
  }
  return subcommandSyntaxError(c.argv)
}

/** XACK key group id [id ...] */
function xackCommand(c: CommandCall): Reply {
  const argv = c.argv
  const o = lookupStreamObjectRead(c, argv[1] ?? '')
  if (isReply(o)) return o
  const group = o === null ? null : streamLookupCG(o.ptr, argv[2] ?? '')
  if (o === null || group === null) return ZERO
  const ids: StreamID[] = []
  for (let j = 3; j < argv.length; j++) {
    const p = parseIDOrReply(argv[j] ?? '', 0n, true)
    if (isReply(p)) return p
    ids.push(p.id)
  }
  let acknowledged = 0
  for (const id of ids) {
    const buf = streamEncodeID(id)
    const nack = raxFind(group.pel, buf)
    if (nack === undefined || nack === null) continue
    raxRemove(group.pel, buf)
    if (nack.consumer !== null) raxRemove(nack.consumer.pel, buf)
    acknowledged++
    c.srv.dirty++
  }
  if (acknowledged) {
    touched(c, o)
    streamTraceGroup(c.ctx, argv[1] ?? '', o.ptr, argv[2] ?? '', 'acked', acknowledged)
  }
  return integer(acknowledged)
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpendingCommand(c: CommandCall): Reply {
  const argv = c.argv
  const argc = argv.length
  const justinfo = argc === 3
  let consumername: string | null = null
  let startId: StreamID = { ms: 0n, seq: 0n }
  let endId: StreamID = { ms: 0n, seq: 0n }
  let count = 0n
  let minidle = 0n
  if (argc !== 3 && (argc < 6 || argc > 9)) return ERR_SYNTAX
  if (argc >= 6) {
    let startidx = 3
    if (isToken(argv[3] ?? '', 'IDLE')) {
      const n = getLongLongOrReply(argv[4] ?? '')
      if (isReply(n)) return n
      minidle = n
      if (argc < 8) return ERR_SYNTAX
      startidx += 2
    }
    const n = getLongLongOrReply(argv[startidx + 2] ?? '')
    if (isReply(n)) return n
    count = n < 0n ? 0n : n
    const st = parseIntervalID(argv[startidx] ?? '', 0n)
    if (isReply(st)) return st
    startId = st.id
    if (st.ex) {
      const next = streamIncrID(startId)
      if (next === null) return error('ERR invalid start ID for the interval')
      startId = next
    }
    const en = parseIntervalID(argv[startidx + 1] ?? '', UINT64_MAX)
    if (isReply(en)) return en
    endId = en.id
    if (en.ex) {
      const prev = streamDecrID(endId)
      if (prev === null) return error('ERR invalid end ID for the interval')
      endId = prev
    }
    if (startidx + 3 < argc) consumername = argv[startidx + 3] ?? ''
  }
  const s = lookupStreamRead(c, argv[1] ?? '')
  if (isReply(s)) return s
  const group = s === null ? null : streamLookupCG(s, argv[2] ?? '')
  if (group === null) return noKeyOrGroup(argv[1] ?? '', argv[2] ?? '')

  if (justinfo) {
    const total = raxSize(group.pel)
    if (total === 0) return array([ZERO, NIL, NIL, NIL_ARRAY])
    const it = raxStart(group.pel)
    raxSeek(it, '^')
    const first = streamDecodeID(it.key)
    raxSeek(it, '$')
    const last = streamDecodeID(it.key)
    const consumers: Reply[] = []
    const ci = raxStart(group.consumers)
    raxSeek(ci, '^')
    while (raxNext(ci)) {
      const pending = raxSize((ci.data as StreamConsumer).pel)
      if (pending === 0) continue
      consumers.push(array([bulk(ci.key), bulk(String(pending))]))
    }
    return array([integer(total), idReply(first), idReply(last), array(consumers)])
  }
  let pel = group.pel
  if (consumername !== null) {
    const consumer = streamLookupConsumer(group, consumername, mstime(c), true)
    if (consumer === null) return EMPTY_ARRAY
    pel = consumer.pel
  }
  const now = mstime(c)
  const endKey = streamEncodeID(endId)
  const out: Reply[] = []
  const it = raxStart(pel)
  raxSeek(it, '>=', streamEncodeID(startId))
  while (count && raxNext(it) && it.key <= endKey) {
    const nack = it.data as StreamNACK
    if (minidle && BigInt(now - nack.deliveryTime) < minidle) continue
    count--
    const elapsed = Math.max(0, now - nack.deliveryTime)
    out.push(
      array([
        idReply(streamDecodeID(it.key)),
        bulk(nack.consumer?.name ?? ''),
        integer(elapsed),
        integerLL(nack.deliveryCount),
      ]),
    )
  }
  return array(out)
}

/** Gives `nack` (pending under `buf`) to `consumer`, as XCLAIM and XAUTOCLAIM do. */
function claimNack(
  nack: StreamNACK,
  buf: string,
  consumer: StreamConsumer,
  deliveryTime: number,
  deliveryCount: bigint | null,
): void {
  if (nack.consumer !== consumer && nack.consumer !== null) raxRemove(nack.consumer.pel, buf)
  nack.deliveryTime = deliveryTime
  if (deliveryCount !== null) nack.deliveryCount = deliveryCount
  if (nack.consumer !== consumer) {
    raxInsert(consumer.pel, buf, nack)
    nack.consumer = consumer
  }
}

/**
 * The claiming consumer, looked up (seen now) or created on first use, when the reply's first
 * `items` protocol items are written (pubsubReplyAt): XCLAIM's header, XAUTOCLAIM's header,
 * cursor and array header.
 */
function claimingConsumer(
  c: CommandCall,
  group: StreamCG,
  name: string,
  items: number,
): StreamConsumer {
  const found = streamLookupConsumer(group, name, mstime(c))
  if (found !== null) return found
  pubsubReplyAt(c, items)
  c.srv.dirty++
  const created = streamCreateConsumer(group, name, mstime(c)) as StreamConsumer
  notifyKeyspaceEvent(
    c.srv,
    c.ctx,
    NOTIFY_STREAM,
    'xgroup-createconsumer',
    c.argv[1] ?? '',
    c.db.id,
  )
  return created
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
 * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
 */
function xclaimCommand(c: CommandCall): Reply {
  const argv = c.argv
  const argc = argv.length
  const key = argv[1] ?? ''
  const found = lookupStreamObjectRead(c, key)
  if (isReply(found)) return found
  const group = found === null ? null : streamLookupCG(found.ptr, argv[2] ?? '')
  if (found === null || group === null) return noKeyOrGroup(key, argv[2] ?? '')
  const s = found.ptr
  const mi = getLongLongOrReply(argv[4] ?? '', 'Invalid min-idle-time argument for XCLAIM')
  if (isReply(mi)) return mi
  const minidle = mi < 0n ? 0n : mi
  const ids: StreamID[] = []
  let j = 5
  for (; j < argc; j++) {
    const p = streamParseID(argv[j] ?? '', 0n, true)
    if (p === null) break
    ids.push(p.id)
  }
  const now = mstime(c)
  let lastId: StreamID = { ms: 0n, seq: 0n }
  let retrycount = -1n
  let deliverytime = -1n
  let force = false
  let justid = false
  for (; j < argc; j++) {
    const moreargs = argc - 1 - j
    const opt = argv[j] ?? ''
    if (isToken(opt, 'FORCE')) force = true
    else if (isToken(opt, 'JUSTID')) justid = true
    else if (isToken(opt, 'IDLE') && moreargs) {
      j++
      const n = getLongLongOrReply(argv[j] ?? '', 'Invalid IDLE option argument for XCLAIM')
      if (isReply(n)) return n
      deliverytime = BigInt(now) - n
    } else if (isToken(opt, 'TIME') && moreargs) {
      j++
      const n = getLongLongOrReply(argv[j] ?? '', 'Invalid TIME option argument for XCLAIM')
      if (isReply(n)) return n
      deliverytime = n
    } else if (isToken(opt, 'RETRYCOUNT') && moreargs) {
      j++
      const n = getLongLongOrReply(argv[j] ?? '', 'Invalid RETRYCOUNT option argument for XCLAIM')
      if (isReply(n)) return n
      retrycount = n
    } else if (isToken(opt, 'LASTID') && moreargs) {
      j++
      const p = parseIDOrReply(argv[j] ?? '', 0n, true)
      if (isReply(p)) return p
      lastId = p.id
    } else return error(`ERR Unrecognized XCLAIM option '${cstr(opt)}'`)
  }
  const dirtyBefore = c.srv.dirty
  const spi = { key, group: argv[2] ?? '' }
  let propagateLastId = false
  if (streamCompareID(lastId, group.lastId) > 0) {
    group.lastId = lastId
    propagateLastId = true
  }
  if (deliverytime === -1n || deliverytime < 0n || deliverytime > BigInt(now))
    deliverytime = BigInt(now)
  let consumer: StreamConsumer | null = null
  const out: Reply[] = []
  for (const [i, id] of ids.entries()) {
    const buf = streamEncodeID(id)
    let nack = raxFind(group.pel, buf) ?? undefined
    if (!streamEntryExists(s, id)) {
      if (nack !== undefined) {
        // Propagated before the NACK goes: the replica drops it the same way.
        streamPropagateXCLAIM(c, spi, group, argv[5 + i] ?? '', nack)
        propagateLastId = false
        c.srv.dirty++
        raxRemove(group.pel, buf)
        if (nack.consumer !== null) raxRemove(nack.consumer.pel, buf)
      }
      continue
    }
    if (force && nack === undefined) {
      nack = streamCreateNACK(now, null)
      raxInsert(group.pel, buf, nack)
    }
    if (nack === undefined) continue
    if (nack.consumer !== null && minidle && BigInt(now - nack.deliveryTime) < minidle) continue
    consumer ??= claimingConsumer(c, group, argv[3] ?? '', 1)
    const countNow =
      retrycount >= 0n ? retrycount : !justid ? nack.deliveryCount + 1n : nack.deliveryCount
    claimNack(nack, buf, consumer, Number(deliverytime), countNow)
    out.push(justid ? idReply(id) : (rangeEntries(s, id, id, 1, false)[0] as Reply))
    streamPropagateXCLAIM(c, spi, group, argv[5 + i] ?? '', nack)
    propagateLastId = false
    c.srv.dirty++
  }
  if (propagateLastId) {
    streamPropagateGroupID(c, spi, group)
    c.srv.dirty++
  }
  // Each claim went as its own XCLAIM; the command itself never does.
  preventCommandPropagation(c.srv)
  touched(c, found)
  if (c.srv.dirty !== dirtyBefore)
    streamTraceGroup(c.ctx, key, s, argv[2] ?? '', 'claimed', out.length)
  return array(out)
}

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaimCommand(c: CommandCall): Reply {
  const argv = c.argv
  const key = argv[1] ?? ''
  // Looked up before the arguments are parsed (a miss counts, and notifies, even then); the
  // type is checked after them.
  const found = lookupStreamObjectRead(c, key)
  const mi = getLongLongOrReply(argv[4] ?? '', 'Invalid min-idle-time argument for XAUTOCLAIM')
  if (isReply(mi)) return mi
  const minidle = mi < 0n ? 0n : mi
  const st = parseIntervalID(argv[5] ?? '', 0n)
  if (isReply(st)) return st
  let startId = st.id
  if (st.ex) {
    const next = streamIncrID(startId)
    if (next === null) return error('ERR invalid start ID for the interval')
    startId = next
  }
  let count = 100n
  let justid = false
  const maxCount = 9223372036854775807n / 16n
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    const opt = argv[j] ?? ''
    if (isToken(opt, 'COUNT') && moreargs) {
      const n = getLongLongOrReply(argv[j + 1] ?? '', 'ERR COUNT must be > 0')
      if (isReply(n)) return n
      if (n < 1n || n > maxCount) return error('ERR COUNT must be > 0')
      count = n
      j++
    } else if (isToken(opt, 'JUSTID')) justid = true
    else return ERR_SYNTAX
  }
  if (isReply(found)) return found
  const group = found === null ? null : streamLookupCG(found.ptr, argv[2] ?? '')
  if (found === null || group === null) return noKeyOrGroup(key, argv[2] ?? '')
  // The array of deleted IDs (a streamID, 16 bytes, each) is allocated up front, with
  // ztrymalloc: a COUNT the address space cannot hold is refused here.
  if (!jemallocTryAlloc(count * 16n))
    return error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.')
  const s = found.ptr
  const dirtyBefore = c.srv.dirty
  const spi = { key, group: argv[2] ?? '' }
  let attempts = count * 10n
  const deleted: Reply[] = []
  const out: Reply[] = []
  let consumer: StreamConsumer | null = null
  const now = mstime(c)
  const it = raxStart(group.pel)
  raxSeek(it, '>=', streamEncodeID(startId))
  while (attempts-- > 0n && count && raxNext(it)) {
    const nack = it.data as StreamNACK
    const id = streamDecodeID(it.key)
    if (!streamEntryExists(s, id)) {
      streamPropagateXCLAIM(c, spi, group, streamIDString(id), nack)
      c.srv.dirty++
      const buf = it.key
      raxRemove(group.pel, buf)
      if (nack.consumer !== null) raxRemove(nack.consumer.pel, buf)
      deleted.push(idReply(id))
      raxSeek(it, '>=', buf)
      count--
      continue
    }
    if (minidle && BigInt(now - nack.deliveryTime) < minidle) continue
    consumer ??= claimingConsumer(c, group, argv[3] ?? '', 3)
    claimNack(nack, it.key, consumer, now, justid ? null : nack.deliveryCount + 1n)
    out.push(justid ? idReply(id) : (rangeEntries(s, id, id, 1, false)[0] as Reply))
    count--
    streamPropagateXCLAIM(c, spi, group, streamIDString(id), nack)
    c.srv.dirty++
  }
  preventCommandPropagation(c.srv)
  raxNext(it)
  const endId = it.eof ? { ms: 0n, seq: 0n } : streamDecodeID(it.key)
  touched(c, found)
  if (c.srv.dirty !== dirtyBefore)
    streamTraceGroup(c.ctx, key, s, argv[2] ?? '', 'claimed', out.length)
  return array([idReply(endId), array(out), array(deleted)])
}

// --- XINFO ---

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
]

/** xinfoCommand: HELP, then the key lookup every other subcommand shares. */
function xinfoCommand(c: CommandCall): Reply {
  const argv = c.argv
  if (isToken(argv[1] ?? '', 'HELP')) {
    if (argv.length !== 2) return subcommandSyntaxError(c.argv)
    return helpReply(argv[0] ?? 'xinfo', XINFO_HELP)
  }
  if (argv.length < 3) return subcommandSyntaxError(c.argv)
  const opt = argv[1] ?? ''
  const s = lookupStreamRead(c, argv[2] ?? '')
  if (s === null) return ERR_NO_SUCH_KEY
  if (isReply(s)) return s
  if (isToken(opt, 'STREAM')) return xinfoStream(c, s)
  if (isToken(opt, 'GROUPS') && argv.length === 3) return xinfoGroups(c.client.resp, s)
  if (isToken(opt, 'CONSUMERS') && argv.length === 4)
    return xinfoConsumers(c, s, argv[2] ?? '', argv[3] ?? '')
  return subcommandSyntaxError(c.argv)
}

/** xinfoReplyWithStreamInfo: XINFO STREAM key [FULL [COUNT count]]. */
function xinfoStream(c: CommandCall, s: Stream): Reply {
  const optv = c.argv.slice(3)
  let full = true
  let count = 10n
  if (optv.length === 0) full = false
  else {
    if (optv.length !== 1 && optv.length !== 3) return subcommandSyntaxError(c.argv)
    if (!isToken(optv[0] ?? '', 'FULL')) return subcommandSyntaxError(c.argv)
    if (optv.length === 3) {
      if (!isToken(optv[1] ?? '', 'COUNT')) return subcommandSyntaxError(c.argv)
      const n = getLongLongOrReply(optv[2] ?? '')
      if (isReply(n)) return n
      count = n < 0n ? 10n : n
    }
  }
  const out: Reply[] = [
    bulk('length'),
    integer(s.length),
    bulk('radix-tree-keys'),
    integer(raxSize(s.rax)),
    bulk('radix-tree-nodes'),
    integer(s.rax.numnodes),
    bulk('last-generated-id'),
    idReply(s.lastId),
    bulk('max-deleted-entry-id'),
    idReply(s.maxDeletedEntryId),
    bulk('entries-added'),
    integerLL(s.entriesAdded),
    bulk('recorded-first-entry-id'),
    idReply(s.firstId),
  ]
  if (!full) {
    out.push(bulk('groups'), integer(s.cgroups !== null ? raxSize(s.cgroups) : 0))
    const first = rangeEntries(s, null, null, 1, false)[0]
    const last = rangeEntries(s, null, null, 1, true)[0]
    out.push(bulk('first-entry'), first ?? NIL, bulk('last-entry'), last ?? NIL)
    return mapReply(c.client.resp, out)
  }
  const n = count > 2n ** 53n ? 2 ** 53 : Number(count)
  out.push(bulk('entries'), array(rangeEntries(s, null, null, n, false)))
  out.push(bulk('groups'), xinfoFullGroups(c.client.resp, s, n))
  return mapReply(c.client.resp, out)
}

/** A group's entries-read and lag fields (nil when unknown). */
function readAndLag(s: Stream, cg: StreamCG): Reply[] {
  const lag = streamCGLag(s, cg)
  return [
    bulk('entries-read'),
    cg.entriesRead !== SCG_INVALID_ENTRIES_READ ? integerLL(cg.entriesRead) : NIL,
    bulk('lag'),
    lag !== null ? integerLL(lag) : NIL,
  ]
}

/** XINFO GROUPS key */
function xinfoGroups(resp: Protocol, s: Stream): Reply {
  const out: Reply[] = []
  if (s.cgroups !== null)
    raxForEach(s.cgroups, (name, cg) => {
      out.push(
        mapReply(resp, [
          bulk('name'),
          bulk(name),
          bulk('consumers'),
          integer(raxSize(cg.consumers)),
          bulk('pending'),
          integer(raxSize(cg.pel)),
          bulk('last-delivered-id'),
          idReply(cg.lastId),
          ...readAndLag(s, cg),
        ]),
      )
    })
  return array(out)
}

/** XINFO CONSUMERS key group */
function xinfoConsumers(c: CommandCall, s: Stream, key: string, group: string): Reply {
  const cg = streamLookupCG(s, group)
  if (cg === null) return noGroup(key, group)
  const now = mstime(c)
  const out: Reply[] = []
  raxForEach(cg.consumers, (_name, consumer) => {
    out.push(
      mapReply(c.client.resp, [
        bulk('name'),
        bulk(consumer.name),
        bulk('pending'),
        integer(raxSize(consumer.pel)),
        bulk('idle'),
        integer(Math.max(0, now - consumer.seenTime)),
      ]),
    )
  })
  return array(out)
}

/** Up to `count` (0 = all) pending entries of a PEL, each as `row` makes it. */
function pelRows(
  pel: StreamCG['pel'],
  count: number,
  row: (id: StreamID, nack: StreamNACK) => Reply[],
): Reply {
  const out: Reply[] = []
  raxForEach(pel, (key, nack) => {
    if (count && out.length >= count) return false
    out.push(array(row(streamDecodeID(key), nack)))
    return true
  })
  return array(out)
}

/** The groups part of XINFO STREAM FULL, each PEL listed up to `count` (0 = all). */
function xinfoFullGroups(resp: Protocol, s: Stream, count: number): Reply {
  const out: Reply[] = []
  if (s.cgroups === null) return EMPTY_ARRAY
  raxForEach(s.cgroups, (name, cg) => {
    const consumers: Reply[] = []
    raxForEach(cg.consumers, (_cname, consumer) => {
      consumers.push(
        mapReply(resp, [
          bulk('name'),
          bulk(consumer.name),
          bulk('seen-time'),
          integer(consumer.seenTime),
          bulk('pel-count'),
          integer(raxSize(consumer.pel)),
          bulk('pending'),
          pelRows(consumer.pel, count, (id, nack) => [
            idReply(id),
            integer(nack.deliveryTime),
            integerLL(nack.deliveryCount),
          ]),
        ]),
      )
    })
    out.push(
      mapReply(resp, [
        bulk('name'),
        bulk(name),
        bulk('last-delivered-id'),
        idReply(cg.lastId),
        ...readAndLag(s, cg),
        bulk('pel-count'),
        integer(raxSize(cg.pel)),
        bulk('pending'),
        pelRows(cg.pel, count, (id, nack) => [
          idReply(id),
          bulk(nack.consumer?.name ?? ''),
          integer(nack.deliveryTime),
          integerLL(nack.deliveryCount),
        ]),
        bulk('consumers'),
        array(consumers),
      ]),
    )
  })
  return array(out)
}

// --- COPY ---

objectDuplicators.stream = (srv, o) => {
  const copy = createStreamObject(srv)
  copy.ptr = streamDup((o as StreamObject).ptr)
  return copy
}

// --- The table ---

const xinfo = (sub: string): CommandSpec => defineSubcommand('xinfo', sub, xinfoCommand)
const xgroup = (sub: string): CommandSpec => defineSubcommand('xgroup', sub, xgroupCommand)

export const streamCommands: readonly CommandSpec[] = [
  defineCommand('xadd', xaddCommand),
  defineCommand('xlen', xlenCommand),
  defineCommand('xrange', (c) => xrangeGeneric(c, false)),
  defineCommand('xrevrange', (c) => xrangeGeneric(c, true)),
  defineCommand('xdel', xdelCommand),
  defineCommand('xtrim', xtrimCommand),
  defineCommand('xsetid', xsetidCommand),
  defineCommand('xread', (c) => xreadGeneric(c, false)),
  defineCommand('xreadgroup', (c) => {
    const reply = xreadGeneric(c, true)
    // Propagated as the XCLAIMs and XGROUPs of what it did, never as itself.
    preventCommandPropagation(c.srv)
    return reply
  }),
  defineCommand('xack', xackCommand),
  defineCommand('xpending', xpendingCommand),
  defineCommand('xclaim', xclaimCommand),
  defineCommand('xautoclaim', xautoclaimCommand),
  defineCommand('xgroup', undefined, [
    xgroup('create'),
    xgroup('setid'),
    xgroup('destroy'),
    xgroup('createconsumer'),
    xgroup('delconsumer'),
    xgroup('help'),
  ]),
  defineCommand('xinfo', undefined, [
    xinfo('stream'),
    xinfo('groups'),
    xinfo('consumers'),
    xinfo('help'),
  ]),
]
