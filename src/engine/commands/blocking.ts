/**
 * Blocking pops — follows redis/src/blocked.c, t_list.c (BLPOP BRPOP BLMOVE BRPOPLPUSH
 * BLMPOP) and t_zset.c (BZPOPMIN BZPOPMAX BZMPOP), 7.0.15 — and WAIT (replication.c), which
 * with no replicas only ever times out.
 *
 * A blocking command that finds data behaves as its non-blocking twin (BLPOP as LPOP, with
 * the key in the reply). One that finds none blocks its client (blockForKeys): the client
 * is listed under each key in its db's `blockingKeys`, in arrival order, and `call()`
 * returns the BLOCKED placeholder, which the transport must not send; the transport stops
 * reading that client's commands until the client is unblocked. Inside MULTI, or for a
 * client made with `denyBlocking`, the command answers as on timeout at once.
 *
 * A client is unblocked in one of four ways, each putting the reply in the server's outbox
 * (RedisServer.drainOutbox) for the transport to write:
 * - served: dbAdd of a list or sorted set under a waited key signals it ready
 *   (db.ts signalKeyAsReady); after the current command (after EXEC for a transaction)
 *   handleClientsBlockedOnKeys serves the waiters of each ready key in signal order, each
 *   waiter in blocking order, while the value lasts (a BLMOVE that creates its destination
 *   signals that key in turn);
 * - timed out: handleBlockedClientsTimeout, after each command and each cron run (Redis's
 *   beforeSleep), answers a null array to each client whose deadline has passed;
 * - CLIENT UNBLOCK id [TIMEOUT|ERROR] from another client;
 * - the connection closing (no reply).
 *
 * Step events (blocking/*): a client blocked, served, or unblocked with no data (timed out,
 * CLIENT UNBLOCK); the clients panel draws each db's blocking_keys from them. A closed
 * client's wait ends with its client/closed.
 */
import {
  alsoPropagate,
  replicationCountAcksByOffset,
  rewriteCommandVector,
} from '../replication.ts'
import { commandArgvBegin, commandStats, countErrorReply } from '../call.ts'
import { createExecContext, type ExecContext } from '../context.ts'
import {
  LOOKUP_NONOTIFY,
  LOOKUP_NOSTATS,
  lookupKeyReadWithFlags,
  lookupKeyWrite,
  readyKeysSignalled,
  takeReadyKey,
  type RedisDb,
} from '../keyspace/db.ts'
import { NOTIFY_LIST, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import {
  array,
  bulk,
  bulkArray,
  BLOCKED,
  error,
  integer,
  ERR_SYNTAX,
  ERR_WRONGTYPE,
  NIL,
  NIL_ARRAY,
  ONE,
  resp3Nulls,
  ZERO,
  type Reply,
} from '../reply.ts'
import { respEncode } from '../resp.ts'
import {
  pubsubReplyReset,
  pubsubReplyWritten,
  takePubsubPushes,
  writePubsubPushesNow,
} from './pubsub.ts'
import { trackingAfterServed } from '../tracking.ts'
import { slowlogPushCurrentCommand } from '../slowlog.ts'
import {
  REPLY_OFF,
  type BlockState,
  type Client,
  type ServerState,
  type StreamBlock,
} from '../state.ts'
import { valueRefOf } from '../types/container.ts'
import type { RedisObject } from '../types/object.ts'
import { listTypeLength, listTypePop, type ListObject } from '../types/t_list.ts'
import { zsetLength, type ZsetObject } from '../types/t_zset.ts'
import { ldMulCeilToLL, string2ld } from '../util/numbers.ts'
import { isToken, lookupOfType, parseMpopArgs } from './common.ts'
import { getLongLongOrReply } from './parse.ts'
import {
  listDeleteIfEmpty,
  listPosition,
  lmoveGeneric,
  lmoveHandlePush,
  popEvent,
  popOne,
  popRange,
  type Where,
} from './list.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'
import { genericZpop } from './zset.ts'
import { updateCommandLatencyHistogram } from '../util/hdrHistogram.ts'
import {
  dequeueClientForReprocessing,
  queueClientForReprocessing,
  unblockPostponedClient,
} from '../pause.ts'
import { latencyAddSampleIfNeeded } from '../latency.ts'

// --- Timeouts ---

const NOT_A_FLOAT = error('ERR timeout is not a float or out of range')
const NEGATIVE = error('ERR timeout is negative')
const LLONG_MAX = 2 ** 63

/**
 * timeout.c getTimeoutFromObjectOrReply (seconds): the deadline in unix ms, 0 for none.
 * `(long long) ceill(seconds * 1000)` in long double (ldMulCeilToLL: exact, so -0.001 is 0
 * and 9223372036854775 s is not "negative"): an infinite or out-of-range product converts to
 * LLONG_MIN on x86-64 ("timeout is negative"); for a deadline past LLONG_MAX see deadlineOf.
 */
function getTimeoutOrReply(arg: string, now: number): number | Reply {
  const ld = string2ld(arg)
  if (ld === null) return NOT_A_FLOAT
  const ms = ldMulCeilToLL(ld, 1000n)
  if (ms < 0n) return NEGATIVE
  return deadlineOf(ms, now)
}

/**
 * getTimeoutFromObjectOrReply's `tval += mstime()` (0 stays 0: no timeout). A deadline past
 * LLONG_MAX wraps negative, and the timeout table (a radix tree keyed by the deadline as an
 * unsigned 64-bit number) sorts it after every real time: the client is in the table but
 * never times out, Infinity here.
 */
function deadlineOf(ms: bigint, now: number): number {
  if (ms === 0n) return 0
  const deadline = Number(ms) + now
  return deadline >= LLONG_MAX ? Infinity : deadline
}

/** getTimeoutFromObjectOrReply in milliseconds (WAIT): the deadline in unix ms, 0 for none. */
export function getTimeoutMsOrReply(arg: string, now: number): number | Reply {
  const ms = getLongLongOrReply(arg, 'timeout is not an integer or out of range')
  if (typeof ms === 'object') return ms
  return ms < 0n ? NEGATIVE : deadlineOf(ms, now)
}

/**
 * blocked.c replyToBlockedClientTimedOut: a null array for pops, for WAIT the replicas that
 * acknowledged its offset.
 */
function timedOutReply(srv: ServerState, bpop: BlockState): Reply {
  return bpop.btype === 'wait'
    ? integer(replicationCountAcksByOffset(srv, bpop.reploffset ?? 0))
    : NIL_ARRAY
}

// --- Blocking and unblocking ---

/** blocked.c blockForKeys: waits on `keys` (repeats once) in the caller's db. */
export function blockForKeys(
  c: CommandCall,
  btype: BlockState['btype'],
  keys: readonly string[],
  opts: {
    timeout: number
    count: number
    wherefrom: Where
    whereto?: Where
    target?: string
    stream?: StreamBlock
    reploffset?: number
  },
): Reply {
  const client = c.client
  const unique = [...new Set(keys)]
  for (const key of unique) {
    let waiters = c.db.blockingKeys.get(key)
    if (waiters === undefined) {
      waiters = []
      c.db.blockingKeys.set(key, waiters)
    }
    waiters.push(client.id)
  }
  client.bpop = {
    btype,
    keys: unique,
    db: c.db.id,
    timeout: opts.timeout,
    count: opts.count,
    target: opts.target ?? null,
    wherefrom: opts.wherefrom,
    whereto: opts.whereto ?? 'head',
    cmd: c.cmd.name,
    argv: [...c.argv],
    stream: opts.stream ?? null,
    ...(opts.reploffset === undefined ? {} : { reploffset: opts.reploffset }),
  }
  c.srv.blockedClients++
  // WAIT waits on no key: it has no entry in blocking_keys to report.
  if (c.ctx.tracing && btype !== 'wait')
    c.ctx.emit({
      type: 'blocking/clientBlocked',
      client: client.id,
      db: c.db.id,
      keys: unique,
      command: c.cmd.name,
      // A deadline past LLONG_MAX (deadlineOf) never comes: as good as no timeout.
      timeout: opts.timeout === 0 || opts.timeout === Infinity ? 0 : opts.timeout - c.ctx.now,
    })
  return BLOCKED
}

/**
 * blocked.c unblockClient for list and zset waits: off every key's waiter list, and queued
 * for the transport to go on with its input (queueClientForReprocessing), unless `closed`.
 */
function unblockClient(srv: ServerState, c: Client, closed = false): void {
  const bpop = c.bpop
  if (bpop === null) return
  const db = srv.dbs[bpop.db]
  for (const key of bpop.keys) {
    const waiters = db?.blockingKeys.get(key)
    if (waiters === undefined) continue
    const i = waiters.indexOf(c.id)
    if (i >= 0) waiters.splice(i, 1)
    if (waiters.length === 0) db?.blockingKeys.delete(key)
  }
  // unblockClientWaitingReplicas.
  if (bpop.btype === 'wait') {
    const w = srv.repl.waitingAcks.indexOf(c.id)
    if (w >= 0) srv.repl.waitingAcks.splice(w, 1)
  }
  c.bpop = null
  srv.blockedClients--
  if (!closed) queueClientForReprocessing(srv, c)
}

/**
 * replication.c processClientsWaitingReplicas (beforeSleep): each WAIT whose offset enough
 * replicas acknowledged gets their count.
 */
export function processClientsWaitingReplicas(srv: ServerState): void {
  let lastOffset = 0
  let lastNum = 0
  for (const id of [...srv.repl.waitingAcks]) {
    const c = srv.clients.get(id)
    const bpop = c?.bpop
    if (c === undefined || bpop === null || bpop === undefined) continue
    const offset = bpop.reploffset ?? 0
    if (lastOffset !== 0 && lastOffset >= offset && lastNum >= bpop.count) {
      unblockClient(srv, c)
      replyToBlocked(srv, c, integer(lastNum))
      continue
    }
    const num = replicationCountAcksByOffset(srv, offset)
    if (num >= bpop.count) {
      lastOffset = offset
      lastNum = num
      unblockClient(srv, c)
      replyToBlocked(srv, c, integer(num))
    }
  }
}

/** The reply of a blocked client, written when the transport drains the outbox. */
function replyToBlocked(srv: ServerState, c: Client, reply: Reply): void {
  countErrorReply(srv, reply)
  // CLIENT REPLY OFF, or a SKIP that covered the command which blocked (c.replySilenced
  // stays as that command left it: a blocked client runs nothing else): no reply, but its
  // own messages all the same (CLIENT_PUSHING).
  if (c.replyFlags & REPLY_OFF || c.replySilenced) {
    if (c.resp === 3) writePubsubPushesNow(srv, c)
    else pubsubReplyReset(c)
    return
  }
  // RESP3: its own Pub/Sub messages where Redis wrote them (a subscribed RESP3 client may
  // block), one null.
  if (c.resp !== 3) pubsubReplyReset(c)
  const r = c.resp === 3 ? resp3Nulls(takePubsubPushes(c, reply)) : reply
  srv.outbox.set(c.id, (srv.outbox.get(c.id) ?? '') + respEncode(r))
}

/** Tells whether the client waits in a blocking command. */
export function clientIsBlocked(c: Client): boolean {
  return c.bpop !== null
}

/** freeClient of a blocked client: it stops waiting, with no reply. */
export function unblockClosedClient(srv: ServerState, c: Client): void {
  if (c.bpop?.btype === 'postpone') unblockPostponedClient(srv, c, true)
  else unblockClient(srv, c, true)
  // freeClient: off server.unblocked_clients.
  dequeueClientForReprocessing(srv, c)
}

/**
 * networking.c CLIENT UNBLOCK: a blocked client gets the timeout reply, or with `withError`
 * the UNBLOCKED error; counted as a failed call of its command. False if it was not blocked.
 */
export function clientUnblock(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  withError: boolean,
): boolean {
  const bpop = c.bpop
  if (bpop === null) return false
  // A client CLIENT PAUSE holds: Redis 7.0.15 has no timeout reply for it (the server
  // panics in replyToBlockedClientTimedOut), not modelled: it stays held. With ERROR it gets
  // the error, then runs its command again (unblockClient queues it for reprocessing).
  const postponed = bpop.btype === 'postpone'
  if (postponed && !withError) return false
  replyToBlocked(
    srv,
    c,
    withError ? error('UNBLOCKED client unblocked via CLIENT UNBLOCK') : timedOutReply(srv, bpop),
  )
  emitUnblocked(ctx, c, bpop, withError ? 'unblockedWithError' : 'unblocked')
  if (postponed) unblockPostponedClient(srv, c, false)
  else unblockClient(srv, c)
  commandStats(srv, bpop.cmd).failed++
  // Only the ERROR form goes through updateStatsOnUnblock (networking.c clientCommand).
  // By its own name: rename-command renames only what clients type.
  const cmd = srv.commands.original.get(bpop.cmd)
  if (withError && cmd !== undefined) slowlogPushCurrentCommand(srv, c, cmd, bpop.argv, c.duration)
  return true
}

/**
 * blocked.c disconnectAllBlockedClients (replicationSetMaster): every client blocked in a
 * command (not one a pause holds, which will run its command anew) gets the UNBLOCKED error
 * and is closed after it.
 */
export function disconnectAllBlockedClients(srv: ServerState, ctx: ExecContext): void {
  if (srv.blockedClients === 0) return
  for (const c of srv.clients.values()) {
    if (c.bpop === null || c.bpop.btype === 'postpone') continue
    replyToBlocked(
      srv,
      c,
      error(
        'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
      ),
    )
    unblockClient(srv, c)
    c.closeAfterReply = true
    if (ctx.tracing)
      ctx.emit({ type: 'client/closed', client: c.id, reason: 'roleChanged', afterReply: true })
  }
}

/**
 * timeout.c handleBlockedClientsTimeout (beforeSleep): each client whose deadline is
 * before `now` gets a null array, earliest deadline first (then lowest id, where Redis's
 * radix tree orders by client address).
 */
export function handleBlockedClientsTimeout(srv: ServerState, ctx: ExecContext): void {
  if (srv.blockedClients === 0) return
  const due: Client[] = []
  for (const c of srv.clients.values()) {
    if (c.bpop !== null && c.bpop.timeout !== 0 && c.bpop.timeout < ctx.now) due.push(c)
  }
  due.sort((a, b) => (a.bpop?.timeout ?? 0) - (b.bpop?.timeout ?? 0) || a.id - b.id)
  for (const c of due) {
    if (c.bpop !== null) {
      replyToBlocked(srv, c, timedOutReply(srv, c.bpop))
      emitUnblocked(ctx, c, c.bpop, 'timedOut')
    }
    unblockClient(srv, c)
  }
}

/** Reports a keyed wait that ended with no data (WAIT's and a pause's report nothing). */
function emitUnblocked(
  ctx: ExecContext,
  c: Client,
  bpop: BlockState,
  reason: 'timedOut' | 'unblocked' | 'unblockedWithError',
): void {
  if (!ctx.tracing || bpop.btype === 'wait' || bpop.btype === 'postpone') return
  ctx.emit({
    type: 'blocking/clientUnblocked',
    client: c.id,
    db: bpop.db,
    keys: bpop.keys,
    command: bpop.cmd,
    reason,
  })
}

/** Counts for INFO clients: blocked_clients and clients_in_timeout_table. */
export function blockedClientCounts(srv: ServerState): { blocked: number; withTimeout: number } {
  let withTimeout = 0
  if (srv.blockedClients !== 0)
    for (const c of srv.clients.values()) if (c.bpop !== null && c.bpop.timeout !== 0) withTimeout++
  return { blocked: srv.blockedClients, withTimeout }
}

// --- Serving ---

/**
 * blocked.c handleClientsBlockedOnKeys, after a command: serves the keys signalled ready,
 * in signal order. Keys signalled while serving (a BLMOVE creating its destination) are
 * served in a further round.
 */
export function handleClientsBlockedOnKeys(srv: ServerState, commandCtx: ExecContext): void {
  // updateCachedTime(0): keys are looked up at the time of serving, not the command's
  // (a key a transaction pushed and gave a TTL that ran out during it is expired, not served).
  const now = Math.floor(srv.clock.now())
  srv.mstime = now
  srv.unixtime = Math.floor(now / 1000)
  const ctx = createExecContext(srv.rng, srv.clock, commandCtx.level, now)
  serveReadyKeys(srv, ctx)
  for (const e of ctx.events) commandCtx.emit(e)
}

function serveReadyKeys(srv: ServerState, ctx: ExecContext): void {
  while (readyKeysSignalled() !== 0) {
    const round: { db: RedisDb; key: string; seq: number }[] = []
    for (const db of srv.dbs) for (const [key, seq] of db.readyKeys) round.push({ db, key, seq })
    if (round.length === 0) return
    round.sort((a, b) => a.seq - b.seq)
    for (const { db, key } of round) {
      takeReadyKey(db, key)
      const o = lookupKeyReadWithFlags(srv, ctx, db, key, LOOKUP_NONOTIFY | LOOKUP_NOSTATS)
      if (o?.type === 'list') serveClientsBlockedOnListKey(srv, ctx, db, key, o as ListObject)
      else if (o?.type === 'zset')
        serveClientsBlockedOnSortedSetKey(srv, ctx, db, key, o as ZsetObject)
      // Streams (commands/stream.ts): served when a stream, XREADGROUP waiters unblocked otherwise.
      streamKeyReady.serve?.(srv, ctx, db, key, o)
    }
  }
}

/**
 * blocked.c serveClientsBlockedOnStreamKey / unblockDeletedStreamReadgroupClients, which
 * commands/stream.ts registers here (it imports this module, not the other way round).
 */
export const streamKeyReady: {
  serve?: (
    srv: ServerState,
    ctx: ExecContext,
    db: RedisDb,
    key: string,
    o: RedisObject | null,
  ) => void
} = {}

/** The waiters of `key` blocked for `btype`, in blocking order. */
export function waitersOf(srv: ServerState, db: RedisDb, key: string, btype: string): Client[] {
  const out: Client[] = []
  for (const id of db.blockingKeys.get(key) ?? []) {
    const c = srv.clients.get(id)
    if (c?.bpop?.btype === btype) out.push(c)
  }
  return out
}

/**
 * Runs `serve` as the receiver's command (server.current_client), then unblocks it; `key` is
 * the ready key it is served from.
 */
export function serveReceiver(
  srv: ServerState,
  ctx: ExecContext,
  receiver: Client,
  key: string,
  serve: (c: CommandCall, bpop: BlockState) => Reply,
): void {
  const bpop = receiver.bpop
  const db = bpop === null ? undefined : srv.dbs[bpop.db]
  const cmd = bpop === null ? undefined : srv.commands.original.get(bpop.cmd)
  if (bpop === null || db === undefined || cmd === undefined) return
  if (ctx.tracing && bpop.btype !== 'postpone')
    ctx.emit({
      type: 'blocking/clientServed',
      client: receiver.id,
      db: bpop.db,
      key,
      command: bpop.cmd,
    })
  const previous = srv.currentClient
  srv.currentClient = receiver
  const start = ctx.clock.now()
  const reply = serve({ srv, client: receiver, db, ctx, argv: bpop.argv, cmd }, bpop)
  srv.currentClient = previous
  // updateStatsOnUnblock: the first run's duration plus the serving time.
  if (reply.type === 'error') commandStats(srv, bpop.cmd).failed++
  const replyUs = Math.floor((ctx.clock.now() - start) * 1000)
  const total = receiver.duration + replyUs
  latencyAddSampleIfNeeded(srv, 'command-unblocking', Math.floor(replyUs / 1000), ctx.clock.now())
  const st = commandStats(srv, bpop.cmd)
  st.usec += total
  if (srv.config.latencyTracking) updateCommandLatencyHistogram(st, total)
  commandArgvBegin(srv)
  slowlogPushCurrentCommand(srv, receiver, cmd, bpop.argv, total)
  replyToBlocked(srv, receiver, reply)
  // afterCommand(receiver): its client-side caching invalidations follow its reply.
  if (srv.tracking !== null) trackingAfterServed(srv, receiver)
  unblockClient(srv, receiver)
}

/** blocked.c serveClientsBlockedOnListKey with t_list.c serveClientBlockedOnList. */
function serveClientsBlockedOnListKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  o: ListObject,
): void {
  for (const receiver of waitersOf(srv, db, key, 'list')) {
    let deleted = false
    serveReceiver(srv, ctx, receiver, key, (c, bpop) => {
      const pop = bpop.wherefrom === 'head' ? 'LPOP' : 'RPOP'
      if (bpop.target === null) {
        if (bpop.cmd === 'blmpop') {
          // Propagated as [LR]POP key count.
          const llen = listTypeLength(o)
          alsoPropagate(srv, db.id, [pop, key, String(Math.min(bpop.count, llen))])
          const items = popRange(c, key, o, bpop.wherefrom, bpop.count)
          deleted = listTypeLength(o) === 0
          return array([bulk(key), bulkArray(items)])
        }
        alsoPropagate(srv, db.id, [pop, key])
        const value = listTypePop(valueRefOf(c, key), o, bpop.wherefrom) ?? ''
        // serveClientBlockedOnList replies [key, value] before it notifies.
        pubsubReplyWritten(c)
        notifyKeyspaceEvent(srv, c.ctx, NOTIFY_LIST, popEvent(bpop.wherefrom), key, c.db.id)
        listDeleteIfEmpty(c, key, o)
        deleted = listTypeLength(o) === 0
        return array([bulk(key), bulk(value)])
      }
      // BLMOVE / BRPOPLPUSH: the destination is checked before anything is popped.
      const dst = lookupKeyWrite(srv, ctx, c.db, bpop.target)
      if (dst !== null && dst.type !== 'list') return ERR_WRONGTYPE
      const value = listTypePop(valueRefOf(c, key), o, bpop.wherefrom) ?? ''
      lmoveHandlePush(c, bpop.target, dst as ListObject | null, value, bpop.whereto)
      // Propagated as RPOPLPUSH, or LMOVE with its directions (getStringObjectFromListPosition:
      // shared.left / shared.right, lower case).
      const side = (w: 'head' | 'tail') => (w === 'head' ? 'left' : 'right')
      alsoPropagate(
        srv,
        db.id,
        bpop.cmd === 'brpoplpush'
          ? ['RPOPLPUSH', key, bpop.target]
          : ['LMOVE', key, bpop.target, side(bpop.wherefrom), side(bpop.whereto)],
      )
      // lmoveHandlePush ends with the reply: the pop's notifications follow it.
      pubsubReplyWritten(c)
      notifyKeyspaceEvent(srv, c.ctx, NOTIFY_LIST, popEvent(bpop.wherefrom), key, c.db.id)
      listDeleteIfEmpty(c, key, o)
      deleted = listTypeLength(o) === 0
      return bulk(value)
    })
    if (deleted) break
  }
}

/** blocked.c serveClientsBlockedOnSortedSetKey. */
function serveClientsBlockedOnSortedSetKey(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
  o: ZsetObject,
): void {
  for (const receiver of waitersOf(srv, db, key, 'zset')) {
    let deleted = false
    serveReceiver(srv, ctx, receiver, key, (c, bpop) => {
      const nested = bpop.cmd === 'bzmpop'
      // Propagated as ZPOPMIN/ZPOPMAX key [count].
      const zpop = bpop.wherefrom === 'tail' ? 'ZPOPMAX' : 'ZPOPMIN'
      const llen = zsetLength(o)
      alsoPropagate(
        srv,
        db.id,
        bpop.count === -1 ? [zpop, key] : [zpop, key, String(Math.min(bpop.count, llen))],
      )
      const reply = genericZpop(
        c,
        [key],
        bpop.wherefrom === 'tail',
        true,
        bpop.count,
        nested,
        nested,
      )
      deleted = zsetLength(o) === 0
      return reply
    })
    if (deleted) break
  }
}

// --- Commands ---

/** t_list.c blockingPopGenericCommand: BLPOP, BRPOP, BLMPOP. */
function blockingPopGeneric(
  c: CommandCall,
  keys: readonly string[],
  where: Where,
  timeoutArg: string,
  count: number,
): Reply {
  const timeout = getTimeoutOrReply(timeoutArg, c.ctx.now)
  if (typeof timeout !== 'number') return timeout
  for (const key of keys) {
    const o = lookupOfType<ListObject>(c, key, 'list', true)
    if (o === null) continue
    if (o === 'wrongtype') return ERR_WRONGTYPE
    const llen = listTypeLength(o)
    if (llen === 0) continue
    // Propagated as [LR]POP key [count].
    const pop = where === 'head' ? 'LPOP' : 'RPOP'
    if (count !== -1) {
      const items = popRange(c, key, o, where, count)
      rewriteCommandVector(c.srv, [pop, key, String(Math.min(count, llen))])
      return array([bulk(key), bulkArray(items)])
    }
    const value = popOne(c, key, o, where)
    rewriteCommandVector(c.srv, [pop, key])
    return array([bulk(key), bulk(value)])
  }
  if (denyBlocking(c)) return NIL_ARRAY
  return blockForKeys(c, 'list', keys, { timeout, count, wherefrom: where })
}

/** CLIENT_DENY_BLOCKING: inside MULTI/EXEC, or a client that may not block. */
export function denyBlocking(c: CommandCall): boolean {
  return c.client.multi !== null || c.client.denyBlocking
}

/** BLPOP key [key ...] timeout */
function blpopCommand(c: CommandCall): Reply {
  const n = c.argv.length
  return blockingPopGeneric(c, c.argv.slice(1, n - 1), 'head', c.argv[n - 1] ?? '', -1)
}

/** BRPOP key [key ...] timeout */
function brpopCommand(c: CommandCall): Reply {
  const n = c.argv.length
  return blockingPopGeneric(c, c.argv.slice(1, n - 1), 'tail', c.argv[n - 1] ?? '', -1)
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpopCommand(c: CommandCall): Reply {
  const args = parseMpopArgs(c.argv, 2, 'LEFT', 'RIGHT')
  if ('type' in args) return args
  const where = args.first ? 'head' : 'tail'
  return blockingPopGeneric(c, args.keys, where, c.argv[1] ?? '', args.count)
}

/** t_list.c blmoveGenericCommand: BLMOVE, BRPOPLPUSH. */
function blmoveGeneric(c: CommandCall, wherefrom: Where, whereto: Where, timeout: number): Reply {
  const src = c.argv[1] ?? ''
  const o = lookupOfType<ListObject>(c, src, 'list', true)
  if (o === 'wrongtype') return ERR_WRONGTYPE
  if (o !== null) {
    const dirty = c.srv.dirty
    const reply = lmoveGeneric(c, wherefrom, whereto)
    // Propagated as LMOVE, or RPOPLPUSH.
    if (c.srv.dirty !== dirty)
      rewriteCommandVector(
        c.srv,
        c.cmd.name === 'brpoplpush'
          ? ['RPOPLPUSH', src, c.argv[2] ?? '']
          : ['LMOVE', ...c.argv.slice(1, 5)],
      )
    return reply
  }
  if (denyBlocking(c)) return NIL
  return blockForKeys(c, 'list', [src], {
    timeout,
    count: -1,
    wherefrom,
    whereto,
    target: c.argv[2] ?? '',
  })
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmoveCommand(c: CommandCall): Reply {
  const from = listPosition(c.argv[3] ?? '')
  if (from === null) return ERR_SYNTAX
  const to = listPosition(c.argv[4] ?? '')
  if (to === null) return ERR_SYNTAX
  const timeout = getTimeoutOrReply(c.argv[5] ?? '', c.ctx.now)
  if (typeof timeout !== 'number') return timeout
  return blmoveGeneric(c, from, to, timeout)
}

/** BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: CommandCall): Reply {
  const timeout = getTimeoutOrReply(c.argv[3] ?? '', c.ctx.now)
  if (typeof timeout !== 'number') return timeout
  return blmoveGeneric(c, 'tail', 'head', timeout)
}

/** t_zset.c blockingGenericZpopCommand: BZPOPMIN, BZPOPMAX, BZMPOP. */
function blockingZpopGeneric(
  c: CommandCall,
  keys: readonly string[],
  max: boolean,
  timeoutArg: string,
  count: number,
  nested: boolean,
): Reply {
  const timeout = getTimeoutOrReply(timeoutArg, c.ctx.now)
  if (typeof timeout !== 'number') return timeout
  for (const key of keys) {
    const o = lookupOfType<ZsetObject>(c, key, 'zset', true)
    if (o === null) continue
    if (o === 'wrongtype') return ERR_WRONGTYPE
    const llen = zsetLength(o)
    if (llen === 0) continue
    const reply = genericZpop(c, [key], max, true, count, nested, nested)
    // Propagated as ZPOPMIN/ZPOPMAX key [count].
    const zpop = max ? 'ZPOPMAX' : 'ZPOPMIN'
    rewriteCommandVector(
      c.srv,
      count === -1 ? [zpop, key] : [zpop, key, String(Math.min(count, llen))],
    )
    return reply
  }
  if (denyBlocking(c)) return NIL_ARRAY
  return blockForKeys(c, 'zset', keys, { timeout, count, wherefrom: max ? 'tail' : 'head' })
}

/** BZPOPMIN / BZPOPMAX key [key ...] timeout */
function bzpopCommand(max: boolean): (c: CommandCall) => Reply {
  return (c) => {
    const n = c.argv.length
    return blockingZpopGeneric(c, c.argv.slice(1, n - 1), max, c.argv[n - 1] ?? '', -1, false)
  }
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpopCommand(c: CommandCall): Reply {
  const args = parseMpopArgs(c.argv, 2, 'MIN', 'MAX')
  if ('type' in args) return args
  return blockingZpopGeneric(c, args.keys, !args.first, c.argv[1] ?? '', args.count, true)
}

const WAIT_ON_REPLICA = error(
  'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
)

/**
 * replication.c waitCommand: the replicas that acknowledged the client's last write (its
 * woff) at once when there are enough, or inside a transaction; otherwise the client blocks
 * (BLOCKED_WAIT) until enough do (processClientsWaitingReplicas), its timeout (forever with
 * 0) or CLIENT UNBLOCK, and gets their count. beforeSleep then asks every replica for an ACK.
 */
function waitCommand(c: CommandCall): Reply {
  if (c.srv.repl.masterhost !== null) return WAIT_ON_REPLICA
  const numreplicas = getLongLongOrReply(c.argv[1] ?? '')
  if (typeof numreplicas === 'object') return numreplicas
  const timeout = getTimeoutMsOrReply(c.argv[2] ?? '', c.ctx.now)
  if (typeof timeout === 'object') return timeout
  const offset = c.client.woff
  const acked = replicationCountAcksByOffset(c.srv, offset)
  if (BigInt(acked) >= numreplicas || c.client.multi !== null || denyBlocking(c))
    return integer(acked)
  const count = numreplicas > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(numreplicas)
  const reply = blockForKeys(c, 'wait', [], {
    timeout,
    count,
    wherefrom: 'head',
    reploffset: offset,
  })
  c.srv.repl.waitingAcks.unshift(c.client.id)
  // replicationRequestAckFromSlaves.
  c.srv.repl.getAckFromSlaves = true
  return reply
}

/** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] once the id is parsed. */
export function clientUnblockReply(
  srv: ServerState,
  ctx: ExecContext,
  id: bigint,
  reason: string | undefined,
): Reply {
  const target = srv.clients.get(Number(id))
  const withError = reason !== undefined && isToken(reason, 'ERROR')
  return target !== undefined && clientUnblock(srv, ctx, target, withError) ? ONE : ZERO
}

// --- Specs ---

export const blockingCommands: readonly CommandSpec[] = [
  defineCommand('blpop', blpopCommand),
  defineCommand('brpop', brpopCommand),
  defineCommand('blmpop', blmpopCommand),
  defineCommand('blmove', blmoveCommand),
  defineCommand('brpoplpush', brpoplpushCommand),
  defineCommand('bzpopmin', bzpopCommand(false)),
  defineCommand('bzpopmax', bzpopCommand(true)),
  defineCommand('bzmpop', bzmpopCommand),
  defineCommand('wait', waitCommand),
]
