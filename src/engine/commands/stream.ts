/**
 * Stream commands — follows redis/src/t_stream.c (7.0.15): XADD XLEN XRANGE XREVRANGE XDEL
 * XTRIM XSETID XREAD XINFO, and the consumer group commands XGROUP XREADGROUP XACK XPENDING
 * XCLAIM XAUTOCLAIM.
 *
 * Handlers keep Redis's order of checks (argument parsing, then lookup and type check), which
 * decides the error a malformed command gets. The stream itself (rax of listpacks, IDs,
 * trimming, iteration) is types/t_stream.ts.
 *
 * Blocking: XREAD/XREADGROUP BLOCK with nothing to serve answers a null array at once, as
 * Redis does for a client that may not block (inside MULTI); the engine's waiting clients
 * (blocking.ts) serve lists and sorted sets only.
 */
import { cstr } from '../bytes.ts'
import { dbAdd, lookupKeyRead, lookupKeyWrite, signalModifiedKey } from '../keyspace/db.ts'
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
  NIL,
  NIL_ARRAY,
  OK,
  ZERO,
  type Reply,
} from '../reply.ts'
import { raxSize } from '../structures/rax.ts'
import {
  createStreamObject,
  streamAppendItem,
  streamCompareID,
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
  streamTrim,
  UINT64_MAX,
  type ParsedStreamID,
  type Stream,
  type StreamID,
  type StreamObject,
  type StreamTrimArgs,
} from '../types/t_stream.ts'
import { objectDuplicators } from './generic.ts'
import { integerLL, isToken, wrongArity } from './common.ts'
import { getLongLongOrReply, helpReply } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'

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
  const o = lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (o === null) return null
  return o.type === 'stream' ? (o as StreamObject).ptr : ERR_WRONGTYPE
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
  if (limitGiven) {
    if (!args.approx)
      return error('ERR syntax error, LIMIT cannot be used without the special ~ option')
  } else if (args.approx) {
    const maxEntries = BigInt(streamNodeLimits(c.srv).maxEntries)
    args.limit = 100n * maxEntries
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
    dbAdd(c.ctx, c.db, key, o)
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
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  c.srv.dirty++
  if (args.strategy !== 'none') streamTrim(c.ctx, s, args, key)
  touched(c, o)
  return idReply(added)
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
  if (deleted) {
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
  return OK
}

// --- XREAD ---

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xreadCommand(c: CommandCall): Reply {
  const argv = c.argv
  let _timeout = -1n
  let count = 0n
  let streamsArg = 0
  let streamsCount = 0
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1
    const o = argv[i] ?? ''
    if (isToken(o, 'BLOCK') && moreargs) {
      i++
      const t = getLongLongOrReply(argv[i] ?? '', 'timeout is not an integer or out of range')
      if (isReply(t)) return t
      if (t < 0n) return error('ERR timeout is negative')
      _timeout = t
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
      return error(
        'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
      )
    } else if (isToken(o, 'NOACK')) {
      return error(
        'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
      )
    } else return ERR_SYNTAX
  }
  if (streamsArg === 0) return ERR_SYNTAX

  const ids: StreamID[] = []
  for (let i = streamsArg + streamsCount; i < argv.length; i++) {
    const key = argv[i - streamsCount] ?? ''
    const s = lookupStreamRead(c, key)
    if (isReply(s)) return s
    const arg = argv[i] ?? ''
    if (cstr(arg) === '$') {
      ids.push(s !== null ? s.lastId : { ms: 0n, seq: 0n })
      continue
    }
    if (cstr(arg) === '>')
      return error(
        'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
      )
    const id = parseIDOrReply(arg, 0n, true)
    if (isReply(id)) return id
    ids.push(id.id)
  }

  const n = count > 2n ** 53n ? 2 ** 53 : Number(count)
  const out: Reply[] = []
  for (let i = 0; i < streamsCount; i++) {
    const key = argv[streamsArg + i] ?? ''
    const o = lookupKeyRead(c.srv, c.ctx, c.db, key)
    if (o === null) continue
    const s = (o as StreamObject).ptr
    const gt = ids[i] as StreamID
    if (s.length === 0 || streamCompareID(streamLastValidID(s), gt) <= 0) continue
    const start = streamIncrID(gt) ?? { ms: 0n, seq: 0n }
    out.push(array([bulk(key), array(rangeEntries(s, start, null, n, false))]))
  }
  if (out.length) return array(out)
  // BLOCK: this engine does not park stream readers; it answers as Redis does when the client
  // may not block (CLIENT_DENY_BLOCKING): as if the timeout had passed.
  return NIL_ARRAY
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

function subcommandSyntaxError(c: CommandCall): Reply {
  const cmd = (c.argv[0] ?? '').toUpperCase()
  return error(
    `ERR unknown subcommand or wrong number of arguments for '${cstr(c.argv[1] ?? '').slice(0, 128)}'. Try ${cmd} HELP.`,
  )
}

/** xinfoCommand: HELP, then the key lookup every other subcommand shares. */
function xinfoCommand(c: CommandCall): Reply {
  const argv = c.argv
  if (isToken(argv[1] ?? '', 'HELP')) {
    if (argv.length !== 2) return subcommandSyntaxError(c)
    return helpReply(argv[0] ?? 'xinfo', XINFO_HELP)
  }
  if (argv.length < 3) return subcommandSyntaxError(c)
  const opt = argv[1] ?? ''
  const s = lookupStreamRead(c, argv[2] ?? '')
  if (s === null) return ERR_NO_SUCH_KEY
  if (isReply(s)) return s
  if (isToken(opt, 'STREAM')) return xinfoStream(c, s)
  if (isToken(opt, 'GROUPS') && argv.length === 3) return xinfoGroups(s)
  if (isToken(opt, 'CONSUMERS') && argv.length === 4)
    return xinfoConsumers(c, s, argv[2] ?? '', argv[3] ?? '')
  return subcommandSyntaxError(c)
}

/** xinfoReplyWithStreamInfo: XINFO STREAM key [FULL [COUNT count]]. */
function xinfoStream(c: CommandCall, s: Stream): Reply {
  const optv = c.argv.slice(3)
  let full = true
  let count = 10n
  if (optv.length === 0) full = false
  else {
    if (optv.length !== 1 && optv.length !== 3) return subcommandSyntaxError(c)
    if (!isToken(optv[0] ?? '', 'FULL')) return subcommandSyntaxError(c)
    if (optv.length === 3) {
      if (!isToken(optv[1] ?? '', 'COUNT')) return subcommandSyntaxError(c)
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
    return array(out)
  }
  const n = count > 2n ** 53n ? 2 ** 53 : Number(count)
  out.push(bulk('entries'), array(rangeEntries(s, null, null, n, false)))
  out.push(bulk('groups'), xinfoFullGroups(c, s, n))
  return array(out)
}

// Consumer groups are added below (groups section); these are the XINFO parts.
function xinfoGroups(_s: Stream): Reply {
  return EMPTY_ARRAY
}

function xinfoConsumers(_c: CommandCall, _s: Stream, key: string, group: string): Reply {
  return error(`NOGROUP No such consumer group '${group}' for key name '${key}'`)
}

function xinfoFullGroups(_c: CommandCall, _s: Stream, _count: number): Reply {
  return EMPTY_ARRAY
}

// --- COPY ---

objectDuplicators.stream = (srv, o) => {
  const copy = createStreamObject(srv)
  copy.ptr = streamDup((o as StreamObject).ptr)
  return copy
}

// --- The table ---

const xinfo = (sub: string): CommandSpec => defineSubcommand('xinfo', sub, xinfoCommand)

export const streamCommands: readonly CommandSpec[] = [
  defineCommand('xadd', xaddCommand),
  defineCommand('xlen', xlenCommand),
  defineCommand('xrange', (c) => xrangeGeneric(c, false)),
  defineCommand('xrevrange', (c) => xrangeGeneric(c, true)),
  defineCommand('xdel', xdelCommand),
  defineCommand('xtrim', xtrimCommand),
  defineCommand('xsetid', xsetidCommand),
  defineCommand('xread', xreadCommand),
  defineCommand('xinfo', undefined, [
    xinfo('stream'),
    xinfo('groups'),
    xinfo('consumers'),
    xinfo('help'),
  ]),
]
