/**
 * Connection commands (networking.c, server.c, db.c, acl.c): PING, ECHO, SELECT, SWAPDB,
 * QUIT, RESET, HELLO, AUTH and CLIENT.
 *
 * HELLO: sets the client's protocol (2 or 3; RESET goes back to 2) and answers a map, which
 * RESP2 sends as a flat array (reply.ts mapReply).
 *
 * CLIENT LIST/INFO print Redis's fields. qbuf and qbuf-free are the query buffer's sizes
 * (querybuf.ts, which the RESP server's reads drive; the console's command counts as one
 * multibulk read), argv-mem, multi-mem,
 * obl and tot-mem are computed as networking.c does; the output buffer's size and peak (rbs,
 * rbp) follow clientsCronResizeOutputBuffer.
 */
import { redactClientCommandArgument } from '../call.ts'
import { cstr } from '../bytes.ts'
import { removeClientFromMemUsageBucket } from '../clientEviction.ts'
import { respEncodedLength } from '../resp.ts'
import { jemallocSizeClass } from '../structures/jemalloc.ts'
import { replicaOutputMemory } from '../replBuffer.ts'
import {
  clientHasPendingReplies,
  clientOutputBufferMemory,
  clientReplyListLength,
  freeClientReplyList,
  PROTO_REPLY_CHUNK_BYTES,
  replyMeterCreate,
  type ReplyMeter,
} from '../replyList.ts'
import { queryBufCronResize, queryBufFree, queryBufReadLen } from '../querybuf.ts'
import { dbSwapDatabases, unwatchAllKeys } from '../keyspace/db.ts'
import { traceUnwatch } from '../multi.ts'
import {
  array,
  bulk,
  EMPTY_ARRAY,
  error,
  ERR_SYNTAX,
  integer,
  mapReply,
  NIL,
  verbatimReply,
  OK,
  PONG,
  simple,
  type Reply,
} from '../reply.ts'
import {
  REPLY_NONE,
  REPLY_OFF,
  REPLY_SKIP,
  REPLY_SKIP_NEXT,
  type Client,
  type ServerConfig,
  type ServerState,
} from '../state.ts'
import type { ClientId } from '../api.ts'
import {
  eqIgnoreCase,
  getIntOrReply,
  getLongLongOrReply,
  getRangeLongOrReply,
  helpReply,
} from './parse.ts'
import { clientUnblockReply, unblockClosedClient } from './blocking.ts'
import { PAUSE_ALL, PAUSE_WRITE, pauseClients, unpauseClients } from '../pause.ts'
import { LLONG_MAX } from '../util/numbers.ts'
import {
  clientIsSubscribed,
  clientPubsubCounts,
  freeClientPubsub,
  pubsubMemOverhead,
} from './pubsub.ts'
import type { ExecContext } from '../context.ts'
import type { ClientCloseReason } from '../events.ts'
import { serverLog } from '../serverLog.ts'
import { freeMasterClient, replicaFreed } from '../replica.ts'
import { configGetValue, lookupConfig } from '../config.ts'
import {
  aclAuthenticateUser,
  clientSetDefaultAuth,
  USER_FLAG_NOPASS,
  type AclUser,
} from '../acl.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'
import {
  disableTracking,
  trackingClientFlags,
  trackingMemOverhead,
  trackingRedirection,
} from '../tracking.ts'
import {
  clientCachingCommand,
  clientGetredirCommand,
  clientTrackingCommand,
  clientTrackinginfoCommand,
} from './tracking.ts'

const REDIS_VERSION = '7.0.15'

// --- Helpers shared with other families ---

/** networking.c clientSetName: '' clears; only '!'..'~' allowed. False on a bad name. */
export function clientSetName(c: Client, name: string, ctx: ExecContext | null = null): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i)
    if (ch < 33 || ch > 126) return false
  }
  c.name = name
  if (ctx?.tracing === true) ctx.emit({ type: 'client/named', client: c.id, name })
  return true
}

const BAD_NAME = error('ERR Client names cannot contain spaces, newlines or special characters.')

/** zmalloc_size(c): sizeof(client) in 7.0.15's size class. */
const CLIENT_STRUCT_SIZE = 768
export { PROTO_REPLY_CHUNK_BYTES }
/** The least clientsCron shrinks c->buf to. */
const PROTO_REPLY_MIN_BYTES = 1024
/** server.h REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME (ms), as DEBUG REPLYBUFFER RESET restores. */
export const REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME = 5000
/** sizeof(robj *), sizeof(multiCmd), sizeof(listNode) + sizeof(watchedKey). */
const PTR_SIZE = 8
const MULTI_CMD_SIZE = 24
const WATCHED_KEY_SIZE = 24 + 32

/** The bytes of a command's arguments (what processMultibulkBuffer adds to argv_len_sum). */
function argvLenSum(argv: readonly string[]): number {
  let sum = 0
  for (const a of argv) sum += a.length
  return sum
}

/** The length of a command sent as multibulk, as redis-cli sends it (*N, then $len and bytes). */
function multibulkLen(argv: readonly string[]): number {
  let n = String(argv.length).length + 3
  for (const a of argv) n += String(a.length).length + a.length + 5
  return n
}

/**
 * networking.c: the command about to run (c->argv, c->argc) and its query buffer. Kept as
 * the argv itself: CLIENT LIST derives argv_len_sum and the multibulk length only when asked,
 * so commands pay nothing for fields they never show.
 */
export function clientCommandIoBegin(c: Client, argv: readonly string[]): void {
  c.argv = argv
  c.argc = argv.length
  // Without a transport, the command came in one read of an empty buffer (readQueryFromClient).
  if (!c.querybuf.hosted) queryBufReadLen(c.querybuf, -1)
}

/** server.c clientsCronResizeQueryBuffer (querybuf.ts). */
export function clientsCronResizeQueryBuffer(srv: ServerState, c: Client): void {
  queryBufCronResize(c.querybuf, srv.unixtime - Math.floor(c.lastInteraction / 1000))
}

/**
 * networking.c _addReplyToBuffer: `bytes` of replies went to c->buf in one batch (one
 * command's reply in the console, a whole read's replies in the RESP server): c->bufpos
 * reaches at most the buffer's size (the rest goes to the reply list), and c->buf_peak
 * keeps the highest c->bufpos. The batch is written before the next one, so bufpos is back
 * to 0 by the time clientsCron looks.
 */
export function clientReplyAdded(c: Client, bytes: number): void {
  const pos = bytes < c.bufUsableSize ? bytes : c.bufUsableSize
  if (pos > c.bufPeak) c.bufPeak = pos
}

/**
 * server.c clientsCronResizeOutputBuffer: c->buf shrinks to the recent peak (at least 1 KiB)
 * when that peak is under half of it, and doubles (up to 16 KiB) when a batch filled it.
 * Then, every reply-buffer peak-reset time, the peak restarts from c->bufpos (0 here).
 * createClient stamps buf_peak_last_reset_time in seconds while this compares milliseconds,
 * so a client's first visit always resets its peak (from 16384): 7.0.15 does the same, and
 * so a new client keeps its 16 KiB until its second visit.
 */
export function clientsCronResizeOutputBuffer(srv: ServerState, c: Client, nowMs: number): void {
  if (!srv.replyBufferResizingEnabled) return
  const size = c.bufUsableSize
  const shrinkTarget = Math.floor(size / 2)
  const expandTarget = size * 2
  let newSize = 0
  if (shrinkTarget >= PROTO_REPLY_MIN_BYTES && c.bufPeak < shrinkTarget) {
    newSize = Math.max(PROTO_REPLY_MIN_BYTES, c.bufPeak + 1)
    srv.stats.replyBufferShrinks++
  } else if (expandTarget < PROTO_REPLY_CHUNK_BYTES * 2 && c.bufPeak === size) {
    newSize = Math.min(PROTO_REPLY_CHUNK_BYTES, expandTarget)
    srv.stats.replyBufferExpands++
  }
  const resetTime = srv.replyBufferPeakResetTime
  if (resetTime >= 0 && nowMs - c.bufPeakLastResetTime >= resetTime) {
    c.bufPeak = 0
    c.bufPeakLastResetTime = nowMs
  }
  if (newSize !== 0) {
    // zmalloc_usable: the allocation's whole size class is usable.
    const usable = jemallocSizeClass(newSize)
    srv.clientReplyBufBytes += usable - size
    c.bufUsableSize = usable
  }
}

/** server.h CLIENTS_PEAK_MEM_USAGE_SLOTS: one slot a second, the last 8 seconds. */
export const CLIENTS_PEAK_MEM_USAGE_SLOTS = 8

/**
 * clientsCron's start: the slot of this second (server.unixtime % 8), and the next slot
 * emptied for the second to come (server.c clientsCron, ClientsPeakMemInput/Output).
 */
export function clientsCronPeakSlot(srv: ServerState): number {
  const slot = srv.unixtime % CLIENTS_PEAK_MEM_USAGE_SLOTS
  const zero = (slot + 1) % CLIENTS_PEAK_MEM_USAGE_SLOTS
  srv.clientsPeakMemInput[zero] = 0
  srv.clientsPeakMemOutput[zero] = 0
  return slot
}

/**
 * c->argv as clientsCron finds it (c->argc, c->argv_len_sum): not the running client's, so
 * its command's arguments were consumed, unless it is blocked (blocked.c: no resetClient until
 * it is served, see clientInfoString); otherwise those of a command read in part.
 */
function cronArgv(c: Client): { lenSum: number; argc: number } {
  const held = c.bpop?.argv
  if (held === undefined) return { lenSum: c.querybuf.argvLenSum, argc: c.querybuf.argc }
  return { lenSum: argvLenSum(held), argc: held.length }
}

/**
 * server.c clientsCronTrackExpansiveClients: the biggest input (query buffer and the
 * arguments of a command read in part, or of a blocked client's command) and output (reply
 * list) seen this second. Redis adds
 * zmalloc_size(c->argv), room for min(multibulklen, 1024) pointers; the transport does not
 * report multibulklen, so the pointers already parsed are counted instead.
 */
export function clientsCronTrackExpansiveClients(srv: ServerState, c: Client, slot: number): void {
  const held = cronArgv(c)
  const argv = held.argc > 0 ? jemallocSizeClass(PTR_SIZE * held.argc) : 0
  const input = c.querybuf.zmalloc + held.lenSum + argv
  const output = outputBufferMemory(srv, c)
  if (input > (srv.clientsPeakMemInput[slot] ?? 0)) srv.clientsPeakMemInput[slot] = input
  if (output > (srv.clientsPeakMemOutput[slot] ?? 0)) srv.clientsPeakMemOutput[slot] = output
}

/** server.c getExpansiveClientsInfo (INFO client_recent_max_input/output_buffer). */
export function expansiveClientsInfo(srv: ServerState): { input: number; output: number } {
  return {
    input: Math.max(0, ...srv.clientsPeakMemInput),
    output: Math.max(0, ...srv.clientsPeakMemOutput),
  }
}

/** Removes a freed client from the server's table (freeClient's unlinkClient and zfree). */
export function unlinkClient(srv: ServerState, c: Client): void {
  if (!srv.clients.delete(c.id)) return
  unlinkedClients++
  clientFdFree(srv, c.fd)
  // Freed: a transport holding the client (EngineServer.hostClient) reads that it closes.
  c.closeAfterReply = true
  removeClientFromMemUsageBucket(srv, c, false)
  srv.clientReplyBufBytes -= c.bufUsableSize
  freeClientReplyList(srv, c)
  // freeClient: its share of server.stat_clients_type_memory goes.
  if (c.lastMemoryNormal) srv.clientsNormalMemory -= c.lastMemoryUsage
  queryBufFree(c.querybuf)
}

/**
 * The first client's fd in redis-server 7.0.15 (Linux): 0-2 are stdio, 3 and 4 the modules'
 * blocked-client pipe, 5 the epoll instance, then one listening socket per bind address (the
 * default "* -::*" is two) and the unix socket; connections come after them.
 */
export function firstClientFd(config: ServerConfig): number {
  const get = (name: string): string => {
    const p = lookupConfig(name)
    return p === undefined ? '' : configGetValue(config, p)
  }
  const binds = get('bind')
    .split(' ')
    .filter((a) => a !== '').length
  const unix = get('unixsocket') === '' ? 0 : 1
  return 6 + (get('port') === '0' ? 0 : binds) + unix
}

/** accept(2)'s fd for a new connection: the lowest one no client holds. */
export function clientFdAlloc(srv: ServerState): number {
  return srv.fds.free.shift() ?? srv.fds.next++
}

/** close(2) of a client's connection: its fd is free for the next one. */
function clientFdFree(srv: ServerState, fd: number): void {
  const free = srv.fds.free
  let i = free.length
  while (i > 0 && (free[i - 1] as number) > fd) i--
  free.splice(i, 0, fd)
}

/**
 * Clients unlinked so far, by any server in this process: a transport that sees it move
 * after a command closes the connections whose clients are gone (CLIENT KILL, ACL DELUSER,
 * under any name rename-command gave them).
 */
let unlinkedClients = 0
export function unlinkedClientCount(): number {
  return unlinkedClients
}

/** freeClientArgv and the end of processInputBuffer's pass: nothing left pending. */
export function clientCommandIoEnd(c: Client): void {
  c.argv = null
  c.argc = 0
}

/** What a RESP host knows of a running client's connection (CLIENT LIST obl). */
export interface ClientIo {
  /** c->bufpos: replies of earlier commands of the same read, not yet written. */
  readonly obl: number
  /** Of those, the bytes not yet reported to the reply list (outputPending). */
  readonly unreported: number
}
/** Asked only while that client's command runs; null for a client the host is not running. */
export type ClientIoProbe = (id: ClientId) => ClientIo | null

const ioProbes = new WeakMap<ServerState, ClientIoProbe>()

/** The host's probe (the RESP server registers one; the browser has none). */
export function setClientIoProbe(srv: ServerState, probe: ClientIoProbe | null): void {
  if (probe === null) ioProbes.delete(srv)
  else ioProbes.set(srv, probe)
}

/**
 * A ReplyMeter (replyList.ts) for the running client's next replies, after those of the same
 * read and of the running EXEC that its host has not reported yet. Null where no host
 * reports the client's replies (the browser) or no output limit applies to it.
 */
export function replyMeterStart(srv: ServerState, c: Client): ReplyMeter | null {
  const io = ioProbes.get(srv)?.(c.id) ?? null
  if (io === null) return null
  return replyMeterCreate(srv, c, io.unreported + execOutputBytes(c), () =>
    obufLimitCloseLine(srv, c),
  )
}

/** What closeClientOnOutputBufferLimitReached logs as it schedules the client's close. */
export function obufLimitCloseLine(srv: ServerState, c: Client): string {
  return `Client ${clientInfoString(srv, c, null)} scheduled to be closed ASAP for overcoming of output buffer limits.`
}

/** The bytes EXEC has added to c->buf so far: its array header, then each reply. */
function execOutputBytes(c: Client): number {
  const out = c.execOut
  if (out === null) return 0
  let n = `*${String(out.count)}\r\n`.length
  for (const r of out.replies) n += respEncodedLength(r, Infinity)
  return n
}

/** c->mstate.argv_len_sums: each queued command's argument bytes plus its argv pointers. */
function multiArgvLenSums(c: Client): number {
  if (c.multi === null) return 0
  let sum = 0
  for (const q of c.multi.queue) sum += argvLenSum(q.argv) + PTR_SIZE * q.argv.length
  return sum
}

/** multi.c multiStateMemOverhead. */
function multiStateMemOverhead(c: Client): number {
  const count = c.multi === null ? 0 : c.multi.queue.length
  // queueMultiCommand allocates 2 commands first, then doubles.
  let alloc = 0
  if (count > 0) for (alloc = 2; alloc < count; alloc *= 2);
  return multiArgvLenSums(c) + c.watched.length * WATCHED_KEY_SIZE + alloc * MULTI_CMD_SIZE
}

/**
 * getClientOutputBufferMemoryUsage: a replica's share of the replication buffer
 * (replBuffer.ts), any other client's reply list.
 */
function outputBufferMemory(srv: ServerState, c: Client): number {
  return srv.repl.buf.refs.has(c.id)
    ? replicaOutputMemory(srv.repl.buf, c.id)
    : clientOutputBufferMemory(c)
}

/**
 * networking.c getClientMemoryUsage: the replies not read yet (the reply list a transport
 * reports, replyList.ts), the client struct, c->buf, the query buffer, the arguments
 * (`argvMem`, `argc`), the MULTI queue and WATCHed keys, pub/sub and tracking prefixes.
 */
function getClientMemoryUsage(srv: ServerState, c: Client, argvMem: number, argc: number): number {
  return (
    outputBufferMemory(srv, c) +
    CLIENT_STRUCT_SIZE +
    c.bufUsableSize +
    c.querybuf.zmalloc +
    argvMem +
    PTR_SIZE * argc +
    multiStateMemOverhead(c) +
    pubsubMemOverhead(c) +
    trackingMemOverhead(c)
  )
}

/**
 * server.c updateClientMemoryUsage, from clientsCron: the client's memory as of this visit
 * replaces its last one in server.stat_clients_type_memory. INFO mem_clients_normal and
 * MEMORY STATS clients.normal report the normal, pub/sub and master clients' share (a replica's
 * counts under its own type, which neither reports); a monitor is a normal client. Between
 * visits the figure is stale, as in Redis (client eviction, which would also update it after
 * commands, is not modelled).
 */
export function updateClientMemoryUsage(srv: ServerState, c: Client): void {
  const held = cronArgv(c)
  const mem = getClientMemoryUsage(srv, c, held.lenSum, held.argc)
  const normal = srv.monitors.includes(c.id) || !srv.repl.replicas.includes(c.id)
  if (c.lastMemoryNormal) srv.clientsNormalMemory -= c.lastMemoryUsage
  if (normal) srv.clientsNormalMemory += mem
  c.lastMemoryUsage = mem
  c.lastMemoryNormal = normal
}

/** networking.c catClientInfoString. */
export function clientInfoString(srv: ServerState, c: Client, current: Client | null): string {
  let flags = ''
  if (srv.monitors.includes(c.id)) flags += 'O'
  else if (srv.repl.replicas.includes(c.id)) flags += 'S'
  if (srv.repl.master?.client === c.id) flags += 'M'
  if (clientIsSubscribed(c)) flags += 'P'
  if (c.multi !== null) flags += 'x'
  if (c.bpop !== null) flags += 'b'
  if (c.tracking !== null) flags += trackingClientFlags(c)
  if (c.dirtyCas) flags += 'd'
  if (c.closeAfterReply) flags += 'c'
  if (c.unixSocket) flags += 'U'
  if (c.noEvict) flags += 'e'
  if (flags === '') flags = 'N'
  const age = srv.unixtime - Math.floor(c.createdAt / 1000)
  const idle = srv.unixtime - Math.floor(c.lastInteraction / 1000)
  // Only the running client has argv, and a blocked one, which keeps its command's until it
  // is served (blocked.c: no resetClient meanwhile); the others' were consumed.
  const argv = current === c ? c.argv : null
  const isCurrent = argv !== null
  const held = isCurrent ? argv : (c.bpop?.argv ?? null)
  const io = argv === null ? null : (ioProbes.get(srv)?.(c.id) ?? null)
  // A transport keeps sdslen(c->querybuf) (a pass keeps its read until it ends); a host
  // without a socket (the app's console) sent the command alone, as redis-cli sends it.
  const qb = c.querybuf
  const qbuf = qb.hosted ? qb.len : argv === null ? 0 : multibulkLen(argv)
  const qbufFree = Math.max(0, qb.alloc - qbuf)
  // Another client's command half-read: the arguments parsed so far (processMultibulkBuffer).
  const argvMem = held === null ? qb.argvLenSum : argvLenSum(held)
  const obl = isCurrent ? Math.min((io?.obl ?? 0) + execOutputBytes(c), c.bufUsableSize) : 0
  // _addReplyToBuffer raises c->buf_peak to c->bufpos with every reply it adds, so the peak
  // already covers the replies of this read or EXEC before them (clientReplyAdded).
  const totMem = getClientMemoryUsage(
    srv,
    c,
    argvMem,
    isCurrent ? c.argc : held !== null ? held.length : qb.argc,
  )
  const sub = clientPubsubCounts(c)
  return (
    `id=${String(c.id)} addr=${c.addr} laddr=${c.laddr} fd=${String(c.fd)} name=${c.name}` +
    ` age=${String(age)} idle=${String(idle)} flags=${flags} db=${String(c.db)}` +
    ` sub=${String(sub.channels)} psub=${String(sub.patterns)} ssub=${String(sub.shardChannels)}` +
    ` multi=${String(c.multi === null ? -1 : c.multi.queue.length)} qbuf=${String(qbuf)}` +
    ` qbuf-free=${String(qbufFree)} argv-mem=${String(argvMem)}` +
    ` multi-mem=${String(multiArgvLenSums(c))} rbs=${String(c.bufUsableSize)}` +
    ` rbp=${String(Math.max(c.bufPeak, obl))} obl=${String(obl)} oll=${String(clientReplyListLength(c))}` +
    ` omem=${String(outputBufferMemory(srv, c))} tot-mem=${String(totMem)}` +
    ` events=${clientHasPendingReplies(c) ? 'rw' : 'r'}` +
    ` cmd=${c.lastCmd} user=${c.user.name} redir=${String(trackingRedirection(c))}` +
    ` resp=${String(c.resp)}`
  )
}

/** networking.c clearClientConnectionState (RESET). */
export function clearClientConnectionState(
  srv: ServerState,
  c: Client,
  ctx: ExecContext | null = null,
): void {
  // A MONITOR client stops monitoring (its pending lines are still delivered).
  const monitor = srv.monitors.indexOf(c.id)
  if (monitor >= 0) srv.monitors.splice(monitor, 1)
  if (ctx?.tracing === true && c.db !== 0)
    ctx.emit({ type: 'client/dbSelected', client: c.id, from: c.db, to: 0 })
  c.db = 0
  c.resp = 2
  clientSetDefaultAuth(srv, c)
  if (ctx?.tracing === true && c.multi !== null) ctx.emit({ type: 'multi/discarded', client: c.id })
  traceUnwatch(ctx ?? undefined, c)
  c.multi = null
  c.dirtyCas = false
  unwatchAllKeys(srv, c.id)
  freeClientPubsub(srv, c, ctx)
  disableTracking(srv, c)
  if (ctx?.tracing === true && c.name !== '')
    ctx.emit({ type: 'client/named', client: c.id, name: '' })
  c.name = ''
  c.replyFlags &= ~(REPLY_OFF | REPLY_SKIP_NEXT)
}

// --- PING ECHO SELECT SWAPDB QUIT RESET ---

function pingCommand(c: CommandCall): Reply {
  // Arity is -1, so pingCommand checks the upper bound itself (a failed call, not a
  // rejected one).
  if (c.argv.length > 2) return error("ERR wrong number of arguments for 'ping' command")
  // A subscribed RESP2 client gets an array, told apart from the messages it receives.
  if (c.client.resp === 2 && clientIsSubscribed(c.client))
    return array([bulk('pong'), bulk(c.argv[1] ?? '')])
  return c.argv.length === 2 ? bulk(c.argv[1] ?? '') : PONG
}

function echoCommand(c: CommandCall): Reply {
  return bulk(c.argv[1] ?? '')
}

function selectCommand(c: CommandCall): Reply {
  const id = getIntOrReply(c.argv[1] ?? '')
  if (typeof id === 'object') return id
  if (id < 0 || id >= c.srv.dbs.length) return error('ERR DB index is out of range')
  if (c.ctx.tracing)
    c.ctx.emit({ type: 'client/dbSelected', client: c.client.id, from: c.client.db, to: id })
  c.client.db = id
  return OK
}

function swapdbCommand(c: CommandCall): Reply {
  const id1 = getIntOrReply(c.argv[1] ?? '', 'invalid first DB index')
  if (typeof id1 === 'object') return id1
  const id2 = getIntOrReply(c.argv[2] ?? '', 'invalid second DB index')
  if (typeof id2 === 'object') return id2
  if (!dbSwapDatabases(c.srv, c.ctx, id1, id2)) return error('ERR DB index is out of range')
  c.srv.dirty++
  return OK
}

function quitCommand(c: CommandCall): Reply {
  c.client.closeAfterReply = true
  if (c.ctx.tracing)
    c.ctx.emit({ type: 'client/closed', client: c.client.id, reason: 'quit', afterReply: true })
  return OK
}

function resetCommand(c: CommandCall): Reply {
  clearClientConnectionState(c.srv, c.client, c.ctx)
  return simple('RESET')
}

// --- AUTH / HELLO ---

const WRONGPASS = error('WRONGPASS invalid username-password pair or user is disabled.')

/**
 * acl.c authCommand: AUTH <password> (the default user) or AUTH <username> <password>.
 * The one-argument form is refused while the default user needs no password.
 */
function authCommand(c: CommandCall): Reply {
  const { argv, srv, client } = c
  if (argv.length > 3) return ERR_SYNTAX
  redactClientCommandArgument(srv, 1)
  let user = 'default'
  let pass = argv[1] ?? ''
  if (argv.length === 2) {
    if (srv.acl.defaultUser.flags & USER_FLAG_NOPASS)
      return error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      )
  } else {
    user = argv[1] ?? ''
    pass = argv[2] ?? ''
    redactClientCommandArgument(srv, 2)
  }
  return aclAuthenticateUser(srv, client, user, pass, argv[0] ?? '') ? OK : WRONGPASS
}

function helloCommand(c: CommandCall): Reply {
  const { argv, srv, client } = c
  let ver = 0n
  let next = 1
  if (argv.length >= 2) {
    const v = getLongLongOrReply(
      argv[next++] ?? '',
      'Protocol version is not an integer or out of range',
    )
    if (typeof v === 'object') return v
    ver = v
    if (ver < 2n || ver > 3n) return error('NOPROTO unsupported protocol version')
  }
  for (let j = next; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    const opt = argv[j] ?? ''
    if (eqIgnoreCase(opt, 'auth') && moreargs >= 2) {
      redactClientCommandArgument(srv, j + 1)
      redactClientCommandArgument(srv, j + 2)
      if (!aclAuthenticateUser(srv, client, argv[j + 1] ?? '', argv[j + 2] ?? '', argv[0] ?? ''))
        return WRONGPASS
      j += 2
    } else if (eqIgnoreCase(opt, 'setname') && moreargs > 0) {
      if (!clientSetName(client, argv[j + 1] ?? '', c.ctx)) return BAD_NAME
      j++
    } else {
      return error(`ERR Syntax error in HELLO option '${cstr(opt)}'`)
    }
  }
  if (!client.authenticated)
    return error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    )
  if (ver !== 0n) client.resp = ver === 3n ? 3 : 2
  return mapReply(client.resp, [
    bulk('server'),
    bulk('redis'),
    bulk('version'),
    bulk(REDIS_VERSION),
    bulk('proto'),
    integer(client.resp),
    bulk('id'),
    integer(client.id),
    bulk('mode'),
    bulk('standalone'),
    bulk('role'),
    bulk(srv.repl.masterhost === null ? 'master' : 'replica'),
    bulk('modules'),
    EMPTY_ARRAY,
  ])
}

// --- CLIENT ---

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
]

type ClientType = 'normal' | 'pubsub' | 'slave' | 'master'

/** networking.c getClientTypeByName. */
function clientTypeByName(name: string): ClientType | null {
  const n = name.toLowerCase()
  if (n === 'normal') return 'normal'
  if (n === 'pubsub') return 'pubsub'
  if (n === 'slave' || n === 'replica') return 'slave'
  if (n === 'master') return 'master'
  return null
}

/**
 * networking.c getClientType: the master client, a replica (not a monitor), a subscribed
 * client, else normal.
 */
function clientType(srv: ServerState, c: Client): ClientType {
  if (srv.repl.master?.client === c.id) return 'master'
  if (!srv.monitors.includes(c.id) && srv.repl.replicas.includes(c.id)) return 'slave'
  return clientIsSubscribed(c) ? 'pubsub' : 'normal'
}

function clientListCommand(c: CommandCall): Reply {
  const { argv, srv, client } = c
  let out: string | null = null
  if (argv.length === 4 && eqIgnoreCase(argv[2], 'type')) {
    const t = clientTypeByName(argv[3] ?? '')
    if (t === null) return error(`ERR Unknown client type '${cstr(argv[3] ?? '')}'`)
    out = ''
    for (const cl of srv.clients.values())
      if (clientType(srv, cl) === t) out += `${clientInfoString(srv, cl, client)}\n`
  } else if (argv.length > 3 && eqIgnoreCase(argv[2], 'id')) {
    out = ''
    for (let j = 3; j < argv.length; j++) {
      const id = getLongLongOrReply(argv[j] ?? '', 'Invalid client ID')
      if (typeof id === 'object') return id
      const cl = srv.clients.get(Number(id))
      if (cl !== undefined) out += `${clientInfoString(srv, cl, client)}\n`
    }
  } else if (argv.length !== 2) {
    return ERR_SYNTAX
  }
  if (out === null) {
    out = ''
    for (const cl of srv.clients.values()) out += `${clientInfoString(srv, cl, client)}\n`
  }
  return verbatimReply(client.resp, out)
}

function clientKillCommand(c: CommandCall): Reply {
  const { argv, srv, client } = c
  let addr: string | null = null
  let laddr: string | null = null
  let type: ClientType | null = null
  let id = 0n
  let skipme = true
  let user: AclUser | null = null
  if (argv.length === 3) {
    addr = argv[2] ?? ''
    skipme = false
  } else if (argv.length > 3) {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i] ?? ''
      const val = argv[i + 1]
      if (val === undefined) return ERR_SYNTAX
      if (eqIgnoreCase(opt, 'id')) {
        const v = getRangeLongOrReply(
          val,
          1n,
          9223372036854775807n,
          'client-id should be greater than 0',
        )
        if (typeof v === 'object') return v
        id = v
      } else if (eqIgnoreCase(opt, 'type')) {
        type = clientTypeByName(val)
        if (type === null) return error(`ERR Unknown client type '${cstr(val)}'`)
      } else if (eqIgnoreCase(opt, 'addr')) {
        addr = val
      } else if (eqIgnoreCase(opt, 'laddr')) {
        laddr = val
      } else if (eqIgnoreCase(opt, 'user')) {
        user = srv.acl.users.get(val) ?? null
        if (user === null) return error(`ERR No such user '${cstr(val)}'`)
      } else if (eqIgnoreCase(opt, 'skipme')) {
        if (eqIgnoreCase(val, 'yes')) skipme = true
        else if (eqIgnoreCase(val, 'no')) skipme = false
        else return ERR_SYNTAX
      } else {
        return ERR_SYNTAX
      }
    }
  } else {
    return ERR_SYNTAX
  }
  let killed = 0
  for (const cl of [...srv.clients.values()]) {
    if (addr !== null && cl.addr !== addr) continue
    if (laddr !== null && cl.laddr !== laddr) continue
    if (type !== null && clientType(srv, cl) !== type) continue
    if (id !== 0n && BigInt(cl.id) !== id) continue
    if (user !== null && cl.user !== user) continue
    if (cl === client && skipme) continue
    freeClientAsync(srv, cl, c.ctx, 'killed')
    killed++
  }
  if (argv.length === 3) return killed === 0 ? error('ERR No such client') : OK
  return integer(killed)
}

/**
 * networking.c freeClientAsync as the engine has it: the running client is closed after its
 * reply (CLIENT_CLOSE_AFTER_COMMAND); another is gone at once (its WATCHes, blocking wait
 * and subscriptions dropped), shouldClose() telling the transport. Traced as client/closed
 * with `reason`.
 */
export function freeClientAsync(
  srv: ServerState,
  cl: Client,
  ctx: ExecContext | null,
  reason: ClientCloseReason,
): void {
  const afterReply = cl === srv.currentClient
  if (afterReply) cl.closeAfterReply = true
  else freeClientNow(srv, cl, ctx)
  if (ctx?.tracing === true) ctx.emit({ type: 'client/closed', client: cl.id, reason, afterReply })
}

/**
 * freeClient: its WATCHes, blocking wait, subscriptions and tracking go, and it is unlinked;
 * a replica leaves the replicas, the master client is cached (replica.ts).
 */
function freeClientNow(srv: ServerState, cl: Client, ctx: ExecContext | null): void {
  if (srv.repl.master?.client === cl.id && ctx !== null) {
    freeMasterClient(srv, ctx)
    return
  }
  if (srv.repl.replicas.includes(cl.id)) replicaFreed(srv, cl)
  unwatchAllKeys(srv, cl.id)
  unblockClosedClient(srv, cl)
  freeClientPubsub(srv, cl, ctx)
  disableTracking(srv, cl)
  unlinkClient(srv, cl)
}

/**
 * evictClients' freeClient, logged "Evicting client: ..." first: freed at once, even the
 * running client (whose command then does not run); the transport closes the connection
 * with nothing more sent (clientsToClose).
 */
export function freeEvictedClient(srv: ServerState, cl: Client, ctx: ExecContext | null): void {
  freeClientLogged(srv, cl, ctx, `Evicting client: ${clientInfoString(srv, cl, null)}`, 'evicted')
}

/**
 * freeClient of a client the server drops with a log line (client eviction, a replica when
 * its master turns replica itself): freed at once, even the running client; the transport
 * closes the connection with nothing more sent and logs `line` (clientsToClose; '' when the
 * engine logged it already).
 */
export function freeClientLogged(
  srv: ServerState,
  cl: Client,
  ctx: ExecContext | null,
  line: string,
  reason: ClientCloseReason,
): void {
  srv.clientsToClose.set(cl.id, line)
  freeClientNow(srv, cl, ctx)
  if (ctx?.tracing === true)
    ctx.emit({ type: 'client/closed', client: cl.id, reason, afterReply: false })
}

/**
 * timeout.c clientsCronHandleTimeout: with `timeout` set (server.maxidletime, seconds), a client
 * idle for longer is closed, "Closing idle client" logged at VERBOSE. Replicas and monitors,
 * blocked clients (a paused one too) and Pub/Sub subscribers never time out. True when freed.
 */
export function clientsCronHandleTimeout(
  srv: ServerState,
  cl: Client,
  ctx: ExecContext,
  nowMs: number,
): boolean {
  const maxidle = Number(srv.config.other['timeout'] ?? '0')
  if (
    maxidle === 0 ||
    cl.bpop !== null ||
    clientIsSubscribed(cl) ||
    srv.monitors.includes(cl.id) ||
    srv.repl.replicas.includes(cl.id) ||
    Math.floor(nowMs / 1000) - Math.floor(cl.lastInteraction / 1000) <= maxidle
  )
    return false
  serverLog(srv, 'verbose', 'Closing idle client')
  freeClientLogged(srv, cl, ctx, '', 'idle')
  return true
}

function clientNoEvictCommand(c: CommandCall): Reply {
  const v = c.argv[2]
  if (eqIgnoreCase(v, 'on')) {
    c.client.noEvict = true
    removeClientFromMemUsageBucket(c.srv, c.client, false)
  } else if (eqIgnoreCase(v, 'off')) c.client.noEvict = false
  else return ERR_SYNTAX
  return OK
}

/**
 * networking.c addReplySubcommandSyntaxError: a known subcommand whose argument count
 * clientCommand's own checks refuse (past what the command table's arity allows).
 */
function clientSubcommandSyntaxError(c: CommandCall): Reply {
  const sub = cstr(c.argv[1] ?? '').slice(0, 128)
  return error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try CLIENT HELP.`)
}

/**
 * CLIENT PAUSE <timeout> [WRITE|ALL]: the mode, then the timeout (getTimeoutFromObjectOrReply
 * in milliseconds) are checked as Redis does; then pauseClients until now + timeout (ALL by
 * default), which holds the clients' commands it covers (pause.ts).
 */
function clientPauseCommand(c: CommandCall): Reply {
  if (c.argv.length > 4) return clientSubcommandSyntaxError(c)
  const mode = c.argv[3]
  if (mode !== undefined && !eqIgnoreCase(mode, 'write') && !eqIgnoreCase(mode, 'all'))
    return error('ERR CLIENT PAUSE mode must be WRITE or ALL')
  const t = getLongLongOrReply(c.argv[2] ?? '', 'timeout is not an integer or out of range')
  if (typeof t === 'object') return t
  if (t < 0n) return error('ERR timeout is negative')
  // timeout.c getTimeoutFromObjectOrReply: tval += mstime(), which wraps past LLONG_MAX
  // (an end already past: the pause is over at once).
  const end = t === 0n ? 0n : t + BigInt(Math.floor(c.srv.clock.now()))
  const type = mode !== undefined && eqIgnoreCase(mode, 'write') ? PAUSE_WRITE : PAUSE_ALL
  pauseClients(c.srv, end > LLONG_MAX ? -1 : Number(end), type)
  return OK
}

/**
 * CLIENT REPLY ON|OFF|SKIP (networking.c clientCommand): sets the client's reply flags; the
 * server then withholds replies (server.ts settleReplyFlags, RedisServer.replySilenced). OFF
 * and SKIP answer nothing themselves: the OK returned here is never sent.
 */
function clientReplyCommand(c: CommandCall): Reply {
  const v = c.argv[2]
  const client = c.client
  if (eqIgnoreCase(v, 'on')) client.replyFlags &= ~(REPLY_SKIP | REPLY_OFF)
  else if (eqIgnoreCase(v, 'off')) client.replyFlags |= REPLY_OFF | REPLY_NONE
  else if (eqIgnoreCase(v, 'skip')) {
    if (!(client.replyFlags & REPLY_OFF)) client.replyFlags |= REPLY_SKIP_NEXT
    // Inside EXEC too, where a SKIP_NEXT left by an earlier SKIP withholds nothing.
    client.replyFlags |= REPLY_NONE
  } else return ERR_SYNTAX
  return OK
}

/** CLIENT UNBLOCK: no client is ever blocked here, so it answers 0 once the args parse. */
function clientUnblockCommand(c: CommandCall): Reply {
  if (c.argv.length > 4) return clientSubcommandSyntaxError(c)
  const reason = c.argv[3]
  if (reason !== undefined && !eqIgnoreCase(reason, 'timeout') && !eqIgnoreCase(reason, 'error'))
    return error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR')
  const id = getLongLongOrReply(c.argv[2] ?? '')
  return typeof id === 'object' ? id : clientUnblockReply(c.srv, c.ctx, id, reason)
}

function clientSetNameCommand(c: CommandCall): Reply {
  return clientSetName(c.client, c.argv[2] ?? '', c.ctx) ? OK : BAD_NAME
}

const clientCommand = defineCommand('client', undefined, [
  defineSubcommand('client', 'help', () => helpReply('client', CLIENT_HELP)),
  defineSubcommand('client', 'id', (c) => integer(c.client.id)),
  defineSubcommand('client', 'info', (c) =>
    verbatimReply(c.client.resp, `${clientInfoString(c.srv, c.client, c.client)}\n`),
  ),
  defineSubcommand('client', 'list', clientListCommand),
  defineSubcommand('client', 'kill', clientKillCommand),
  defineSubcommand('client', 'setname', clientSetNameCommand),
  defineSubcommand('client', 'getname', (c) => (c.client.name === '' ? NIL : bulk(c.client.name))),
  defineSubcommand('client', 'no-evict', clientNoEvictCommand),
  defineSubcommand('client', 'tracking', clientTrackingCommand),
  defineSubcommand('client', 'caching', clientCachingCommand),
  defineSubcommand('client', 'getredir', clientGetredirCommand),
  defineSubcommand('client', 'trackinginfo', clientTrackinginfoCommand),
  defineSubcommand('client', 'unpause', (c) => {
    unpauseClients(c.srv)
    return OK
  }),
  defineSubcommand('client', 'pause', clientPauseCommand),
  defineSubcommand('client', 'reply', clientReplyCommand),
  defineSubcommand('client', 'unblock', clientUnblockCommand),
])

// --- Table ---

export const connectionCommands: readonly CommandSpec[] = [
  defineCommand('ping', pingCommand),
  defineCommand('echo', echoCommand),
  defineCommand('select', selectCommand),
  defineCommand('swapdb', swapdbCommand),
  defineCommand('quit', quitCommand),
  defineCommand('reset', resetCommand),
  defineCommand('auth', authCommand),
  defineCommand('hello', helloCommand),
  clientCommand,
]
