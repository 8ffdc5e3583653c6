/**
 * Client-side caching: keys tracking and invalidation (← src/tracking.c, Redis 7.0.15).
 *
 * A client that turns tracking on (CLIENT TRACKING ON, commands/tracking.ts) is told when a
 * key it may hold in a local cache changes. Two modes:
 *
 * - Default mode. After every read-only command of the client, its keys are remembered in the
 *   tracking table: a rax of key → a rax of client ids (the 8 bytes of each id as memory holds
 *   a uint64, little-endian, so ids above 255 do not iterate in numeric order; neither do
 *   Redis's). When a key is modified (db.ts signalModifiedKey, expiry, eviction) its entry is
 *   taken out of the table and every client listed there gets one invalidation message for
 *   it: the table remembers a key only until its next change. OPTIN (remember only after
 *   CLIENT CACHING YES) and OPTOUT (unless CLIENT CACHING NO) narrow what is remembered; the
 *   CACHING flag lasts for the next command, or a whole MULTI/EXEC, and any CLIENT subcommand
 *   keeps it (networking.c resetClient compares c->cmd with clientCommand).
 * - BCAST mode. Nothing is remembered per client: the client registers prefixes (none: the
 *   empty prefix, every key) in the prefix table, and every modified key matching a prefix is
 *   collected in that prefix's key set with the client that modified it; the event loop's
 *   beforeSleep sends each prefix's keys as one message to its clients and empties the set.
 *   Here beforeSleep is RedisServer.drainOutbox, which the transport calls when it has
 *   written a batch of replies (server.ts), exactly the point where Redis goes to sleep.
 *
 * Messages. A RESP3 client gets the push `>2 invalidate [keys]`. A RESP2 client gets nothing
 * on its own connection; with REDIRECT <id> the messages go to that client instead: a RESP3
 * one gets the same push, a RESP2 one gets a Pub/Sub `message` on `__redis__:invalidate` if it
 * is subscribed to anything (not necessarily to that channel). If the redirect client is gone,
 * a RESP3 tracking client gets `>2 tracking-redir-broken <id>` and the R flag. FLUSHALL and
 * FLUSHDB send every tracking client a null instead of keys ("everything"), in the null of the
 * tracking client's protocol, and empty the table. NOLOOP leaves out keys the client itself
 * modified.
 *
 * Order against replies, as in Redis: an invalidation for the client running the command is
 * kept pending (server.tracking_pending_keys) and written after that command's reply (after
 * EXEC's whole reply inside a transaction); one caused before the command runs (maxmemory
 * eviction, the table limit) goes before it. A message for another client goes to the server
 * outbox (commands/monitor.ts drainOutbox), which the transport writes to that connection.
 *
 * tracking-table-max-keys: before each command (and in cron) a table over the limit loses
 * keys picked by raxRandomWalk (C rand(): ctx.rng here, so runs replay), each invalidated as
 * if modified, with an effort of 100 keys per round more each time a round fails to get under.
 *
 * Emits: tracking/keysRemembered, tracking/keyInvalidated, tracking/flushed (all summary).
 * Not modelled: the memory the tables take (INFO used_memory, CLIENT LIST tot-mem), Lua.
 */
import type { ClientId } from './api.ts'
import type { ExecContext } from './context.ts'
import type { CommandSpec } from './commands/spec.ts'
import { array, bulk, integer, NULL, pushReply, RESP2_NIL, sequence, type Reply } from './reply.ts'
import { respEncode } from './resp.ts'
import { cstr } from './bytes.ts'
import { rngRandom } from './rng.ts'
import type { Client, ServerState } from './state.ts'
import {
  raxFind,
  raxForEach,
  raxInsert,
  raxNew,
  raxRandomWalk,
  raxRemove,
  raxSize,
  raxTryInsert,
  raxValidate,
  type Rax,
} from './structures/rax.ts'
import { getKeysFromCommand } from './commands/server.ts'
import { clientIsSubscribed, pushBeforeReply } from './commands/pubsub.ts'

// --- Flags (server.h CLIENT_TRACKING_*) ---

/** CLIENT_TRACKING: tracking is on. */
export const TRACKING_ON = 1
/** CLIENT_TRACKING_BROKEN_REDIR: the redirect client was gone when a message was due. */
export const TRACKING_BROKEN_REDIR = 2
/** CLIENT_TRACKING_BCAST */
export const TRACKING_BCAST = 4
/** CLIENT_TRACKING_OPTIN */
export const TRACKING_OPTIN = 8
/** CLIENT_TRACKING_OPTOUT */
export const TRACKING_OPTOUT = 16
/** CLIENT_TRACKING_CACHING: CLIENT CACHING YES (OPTIN) or NO (OPTOUT) for the next command. */
export const TRACKING_CACHING = 32
/** CLIENT_TRACKING_NOLOOP */
export const TRACKING_NOLOOP = 64

/** The Pub/Sub channel of RESP2 redirected invalidations. */
export const TRACKING_CHANNEL = '__redis__:invalidate'

/** lazyfree.c LAZYFREE_THRESHOLD: a bigger table is freed by the lazyfree thread. */
const LAZYFREE_THRESHOLD = 64

// --- Types ---

/** A client's tracking state (c->flags' tracking bits, c->client_tracking_*). */
export interface ClientTracking {
  /** TRACKING_* bits. */
  flags: number
  /** c->client_tracking_redirection: 0 for none; kept (stale) after CLIENT TRACKING OFF. */
  redirect: number
  /** c->client_tracking_prefixes: the BCAST prefixes, null when there are none. */
  prefixes: Rax<null> | null
}

/** tracking.c bcastState: one prefix of the prefix table. */
export interface BcastState {
  /** Keys modified since the last broadcast → the id of the client that did it (null: none). */
  keys: Rax<ClientId>
  /** The clients registered for the prefix, by id (Redis keys them by client pointer). */
  clients: Rax<null>
}

/** tracking.c's globals and the server fields that serve them. */
export interface TrackingState {
  /** TrackingTable: key → the ids of the clients that may cache it. */
  table: Rax<Rax<null>>
  /** PrefixTable: BCAST prefix → its state. */
  prefixes: Rax<BcastState>
  /** TrackingTableTotalItems: ids across the whole table. */
  totalItems: number
  /** server.tracking_clients */
  clients: number
  /** server.tracking_pending_keys: for the running client, after its reply; null = flush. */
  pending: (string | null)[]
  /** Messages for the running client to write after its reply (server.ts runCommand). */
  after: Reply[]
  /** trackingLimitUsedSlots' static timeout_counter. */
  timeoutCounter: number
  /** The client whose reply was already composed, and srv.seq then (trackingCurrentClient). */
  done: ClientId
  doneSeq: number
}

// --- Helpers ---

/** The 8 bytes of a client id as a little-endian uint64 (the tracking table's id keys). */
function idKey(id: number): string {
  let s = ''
  let v = id
  for (let i = 0; i < 8; i++) {
    s += String.fromCharCode(v % 256)
    v = Math.floor(v / 256)
  }
  return s
}

function idFromKey(k: string): number {
  let v = 0
  for (let i = 7; i >= 0; i--) v = v * 256 + k.charCodeAt(i)
  return v
}

/**
 * server.current_client as tracking sees it: the client whose command is running, and no
 * longer once its reply is composed; a blocked client being served is current meanwhile
 * (blocked.c sets it), and the fast expire cycle after a command runs with none.
 */
function trackingCurrentClient(srv: ServerState, t: TrackingState): Client | null {
  const c = srv.currentClient
  return c !== null && c.id === t.done && t.doneSeq === srv.seq ? null : c
}

/** True when `a` and `b` agree on their common length (tracking.c stringCheckPrefix). */
function stringCheckPrefix(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length)
  return a.slice(0, n) === b.slice(0, n)
}

// --- Enable / disable ---

/** The tracking tables, made on first use (enableTracking's "TrackingTable == NULL"). */
function trackingStateOf(srv: ServerState): TrackingState {
  srv.tracking ??= {
    table: raxNew(),
    prefixes: raxNew(),
    totalItems: 0,
    clients: 0,
    pending: [],
    after: [],
    timeoutCounter: 0,
    done: 0,
    doneSeq: -1,
  }
  return srv.tracking
}

/** Tells whether the client has tracking on (CLIENT_TRACKING). */
export function trackingIsOn(c: Client): boolean {
  return c.tracking !== null && (c.tracking.flags & TRACKING_ON) !== 0
}

/**
 * tracking.c disableTracking: leaves the BCAST prefixes (a prefix with no client left goes)
 * and clears the flags. The client's entries in the tracking table stay: they are dropped
 * lazily, when their keys change.
 */
export function disableTracking(srv: ServerState, c: Client): void {
  const ct = c.tracking
  const t = srv.tracking
  if (ct === null || t === null) return
  if (ct.flags & TRACKING_BCAST && ct.prefixes !== null) {
    const me = idKey(c.id)
    raxForEach(ct.prefixes, (prefix) => {
      const bs = raxFind(t.prefixes, prefix)
      if (bs === undefined || bs === null)
        throw new Error(`tracking: prefix ${prefix} not in table`)
      raxRemove(bs.clients, me)
      if (raxSize(bs.clients) === 0) raxRemove(t.prefixes, prefix)
    })
    ct.prefixes = null
  }
  if (ct.flags & TRACKING_ON) {
    t.clients--
    ct.flags = 0
  }
}

/**
 * tracking.c checkPrefixCollisionsOrReply: the first error found, null when no prefix
 * overlaps another. `proceed` reproduces a 7.0.15 quirk: an overlap among the new prefixes
 * found for any but the first returns its index (true in C), so the error is sent and
 * tracking is enabled anyway, followed by +OK.
 */
export function checkPrefixCollisions(
  c: Client,
  prefixes: readonly string[],
): { error: string; proceed: boolean } | null {
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i] as string
    const existing = c.tracking?.prefixes ?? null
    let found: string | null = null
    if (existing !== null)
      raxForEach(existing, (q) => {
        if (!stringCheckPrefix(q, p)) return true
        found = q
        return false
      })
    if (found !== null)
      return {
        error: `Prefix '${cstr(p)}' overlaps with an existing prefix '${cstr(found)}'. Prefixes for a single client must not overlap.`,
        proceed: false,
      }
    for (let j = i + 1; j < prefixes.length; j++) {
      const q = prefixes[j] as string
      if (stringCheckPrefix(p, q))
        return {
          error: `Prefix '${cstr(p)}' overlaps with another provided prefix '${cstr(q)}'. Prefixes for a single client must not overlap.`,
          proceed: i !== 0,
        }
    }
  }
  return null
}

/** tracking.c enableBcastTrackingForPrefix. */
function enableBcastTrackingForPrefix(t: TrackingState, c: Client, ct: ClientTracking, p: string) {
  let bs = raxFind(t.prefixes, p)
  if (bs === undefined || bs === null) {
    bs = { keys: raxNew(), clients: raxNew() }
    raxInsert(t.prefixes, p, bs)
  }
  if (raxTryInsert(bs.clients, idKey(c.id), null)) {
    ct.prefixes ??= raxNew()
    raxInsert(ct.prefixes, p, null)
  }
}

/**
 * tracking.c enableTracking: turns tracking on with `options` (TRACKING_BCAST, _OPTIN,
 * _OPTOUT, _NOLOOP), redirecting to `redirect` (0: none). A client already in BCAST mode adds
 * the prefixes to the ones it has. CLIENT CACHING's flag survives (Redis does not clear it).
 */
export function enableTracking(
  srv: ServerState,
  c: Client,
  redirect: number,
  options: number,
  prefixes: readonly string[],
): void {
  const t = trackingStateOf(srv)
  c.tracking ??= { flags: 0, redirect: 0, prefixes: null }
  const ct = c.tracking
  if (!(ct.flags & TRACKING_ON)) t.clients++
  ct.flags |= TRACKING_ON
  ct.flags &= ~(
    TRACKING_BROKEN_REDIR |
    TRACKING_BCAST |
    TRACKING_OPTIN |
    TRACKING_OPTOUT |
    TRACKING_NOLOOP
  )
  ct.redirect = redirect
  if (options & TRACKING_BCAST) {
    ct.flags |= TRACKING_BCAST
    if (prefixes.length === 0) enableBcastTrackingForPrefix(t, c, ct, '')
    for (const p of prefixes) enableBcastTrackingForPrefix(t, c, ct, p)
  }
  ct.flags |= options & (TRACKING_OPTIN | TRACKING_OPTOUT | TRACKING_NOLOOP)
}

// --- Remembering keys ---

/** Commands call() never remembers keys for, though read-only (scripting's RO variants). */
const NOT_REMEMBERED: ReadonlySet<string> = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro'])

/**
 * server.c call()'s tracking step, after a command ran for `c` (which has tracking state):
 * a read-only command's keys are remembered for a tracking client not in BCAST mode.
 */
export function trackingCommandCalled(
  srv: ServerState,
  c: Client,
  ctx: ExecContext,
  cmd: CommandSpec,
  argv: readonly string[],
): void {
  const ct = c.tracking
  if (ct === null || (ct.flags & (TRACKING_ON | TRACKING_BCAST)) !== TRACKING_ON) return
  if (!cmd.flags.includes('readonly') || NOT_REMEMBERED.has(cmd.name)) return
  trackingRememberKeys(srv, c, ct, ctx, cmd, argv)
}

/** tracking.c trackingRememberKeys. */
function trackingRememberKeys(
  srv: ServerState,
  c: Client,
  ct: ClientTracking,
  ctx: ExecContext,
  cmd: CommandSpec,
  argv: readonly string[],
): void {
  const optin = ct.flags & TRACKING_OPTIN
  const optout = ct.flags & TRACKING_OPTOUT
  const caching = ct.flags & TRACKING_CACHING
  if ((optin && !caching) || (optout && caching)) return
  const refs = getKeysFromCommand(srv, cmd, argv)
  if (refs.length === 0) return
  // Shard channels are "keys" for cluster routing, not cached data.
  if (cmd.flags.includes('pubsub')) return
  const t = trackingStateOf(srv)
  const me = idKey(c.id)
  const keys: string[] = []
  for (const r of refs) {
    const key = argv[r.pos] ?? ''
    let ids = raxFind(t.table, key)
    if (ids === undefined || ids === null) {
      ids = raxNew()
      raxInsert(t.table, key, ids)
    }
    if (raxTryInsert(ids, me, null)) t.totalItems++
    keys.push(key)
  }
  if (ctx.tracing) ctx.emit({ type: 'tracking/keysRemembered', client: c.id, keys })
}

// --- Sending ---

/**
 * Writes a tracking message to `target`: for the running client, before its reply, or after
 * it (`after`, the pending keys); for any other client, to the outbox.
 */
function writeTo(
  srv: ServerState,
  t: TrackingState,
  target: Client,
  reply: Reply,
  after: boolean,
): void {
  if (target === trackingCurrentClient(srv, t)) {
    if (!after && target.resp === 3) pushBeforeReply(srv, target, reply)
    else t.after.push(reply)
    return
  }
  srv.outbox.set(target.id, (srv.outbox.get(target.id) ?? '') + respEncode(reply))
}

/**
 * tracking.c sendTrackingMessage: `value` is the message's payload (an array of keys, or the
 * null of a flush) in the context of tracking client `c`: to it (RESP3), to its redirect
 * client (RESP3, or a subscribed RESP2 one), or, the redirect client being gone, a
 * tracking-redir-broken push to `c` (RESP3) and the BROKEN_REDIR flag.
 */
function sendTrackingMessage(
  srv: ServerState,
  t: TrackingState,
  c: Client,
  value: Reply,
  after: boolean,
): void {
  let target = c
  let usingRedirection = false
  const redirect = c.tracking?.redirect ?? 0
  if (redirect !== 0) {
    const redir = srv.clients.get(redirect)
    if (redir === undefined) {
      if (c.tracking !== null) c.tracking.flags |= TRACKING_BROKEN_REDIR
      if (c.resp === 3)
        writeTo(srv, t, c, pushReply(3, [bulk('tracking-redir-broken'), integer(redirect)]), after)
      return
    }
    target = redir
    usingRedirection = true
  }
  if (target.resp === 3) {
    writeTo(srv, t, target, pushReply(3, [bulk('invalidate'), value]), after)
  } else if (usingRedirection && clientIsSubscribed(target)) {
    writeTo(srv, t, target, array([bulk('message'), bulk(TRACKING_CHANNEL), value]), after)
  }
  // A RESP2 client without redirection: RESP2 has no pushes, nothing can be sent.
}

/**
 * The null a flush sends, in the protocol of the tracking client (shared.null[c->resp]), as
 * raw protocol: a RESP2 client's `$-1` stays one in a RESP3 redirect client's push.
 */
function flushNull(c: Client): Reply {
  return c.resp === 3 ? NULL : RESP2_NIL
}

// --- Invalidation ---

/**
 * tracking.c trackingRememberKeyToBroadcast: queues `key` under every prefix it matches,
 * with the client that modified it (null: none, as for expiry); `matched` collects them.
 */
function trackingRememberKeyToBroadcast(
  t: TrackingState,
  c: Client | null,
  key: string,
  matched: string[] | null,
): void {
  raxForEach(t.prefixes, (prefix, bs) => {
    if (prefix.length > key.length) return
    if (prefix.length !== 0 && key.slice(0, prefix.length) !== prefix) return
    raxInsert(bs.keys, key, c === null ? null : c.id)
    matched?.push(prefix)
  })
}

/**
 * tracking.c trackingInvalidateKey: `key` changed (by client `c`, null outside a client's
 * command). With `bcast`, it is queued for the BCAST prefixes it matches; its entry in the
 * tracking table goes, each listed client still tracking in default mode getting an
 * invalidation (NOLOOP: not the client that made the change). `bcast` false is the table
 * limit's eviction: the key did not change, only the table forgets it.
 */
export function trackingInvalidateKey(
  srv: ServerState,
  ctx: ExecContext,
  c: Client | null,
  key: string,
  bcast: boolean,
): void {
  const t = srv.tracking
  if (t === null) return
  const prefixes: string[] | null = ctx.tracing ? [] : null
  if (bcast && raxSize(t.prefixes) > 0) trackingRememberKeyToBroadcast(t, c, key, prefixes)
  const ids = raxFind(t.table, key)
  if (ids === undefined || ids === null) {
    if (prefixes !== null && prefixes.length > 0)
      ctx.emit({ type: 'tracking/keyInvalidated', key, clients: [], prefixes, evicted: !bcast })
    return
  }
  const current = trackingCurrentClient(srv, t)
  const sent: number[] | null = ctx.tracing ? [] : null
  raxForEach(ids, (k) => {
    const target = srv.clients.get(idFromKey(k))
    const tf = target?.tracking?.flags ?? 0
    // A client in BCAST mode now may have entries from before: they are not sent.
    if (target === undefined || !(tf & TRACKING_ON) || tf & TRACKING_BCAST) return
    if (tf & TRACKING_NOLOOP && target === current) return
    sent?.push(target.id)
    // For the running client, after its reply (interleaved with it otherwise).
    if (target === current) t.pending.push(key)
    else sendTrackingMessage(srv, t, target, array([bulk(key)]), false)
  })
  t.totalItems -= raxSize(ids)
  raxRemove(t.table, key)
  if (sent !== null && prefixes !== null)
    ctx.emit({ type: 'tracking/keyInvalidated', key, clients: sent, prefixes, evicted: !bcast })
}

/**
 * tracking.c trackingHandlePendingKeyInvalidations: sends the running client the
 * invalidations kept for it, `after` its reply or (before the command ran) before it.
 */
function trackingHandlePendingKeyInvalidations(
  srv: ServerState,
  t: TrackingState,
  after: boolean,
): void {
  if (t.pending.length === 0) return
  sendPendingKeys(srv, t, trackingCurrentClient(srv, t), after)
}

/** Sends `c` (if any) the pending keys, emptying the list. */
function sendPendingKeys(
  srv: ServerState,
  t: TrackingState,
  c: Client | null,
  after: boolean,
): void {
  const pending = t.pending
  t.pending = []
  if (c === null) return
  for (const key of pending)
    sendTrackingMessage(srv, t, c, key === null ? flushNull(c) : array([bulk(key)]), after)
}

/**
 * tracking.c trackingInvalidateKeysOnFlush: FLUSHALL / FLUSHDB (db.ts emptyData) send every
 * tracking client a null invalidation (the running client's after its reply) and empty the
 * tracking table; an ASYNC flush of a big table frees it in the lazyfree thread.
 */
export function trackingInvalidateKeysOnFlush(
  srv: ServerState,
  ctx: ExecContext,
  async: boolean,
): void {
  const t = srv.tracking
  if (t === null) return
  const told: number[] = []
  if (t.clients !== 0) {
    const current = trackingCurrentClient(srv, t)
    for (const c of srv.clients.values()) {
      if (!trackingIsOn(c)) continue
      told.push(c.id)
      if (c === current) t.pending.push(null)
      else sendTrackingMessage(srv, t, c, flushNull(c), false)
    }
  }
  const keys = raxSize(t.table)
  if (async && t.table.numnodes > LAZYFREE_THRESHOLD) srv.stats.lazyfreedObjects += keys
  t.table = raxNew()
  t.totalItems = 0
  if (ctx.tracing) ctx.emit({ type: 'tracking/flushed', clients: told, keys })
}

/**
 * tracking.c trackingLimitUsedSlots: while the table holds more than tracking-table-max-keys
 * keys, invalidate random ones (raxRandomWalk), at most 100 × (rounds over the limit so far).
 */
export function trackingLimitUsedSlots(srv: ServerState, ctx: ExecContext): void {
  const t = srv.tracking
  if (t === null) return
  const maxKeys = Number(srv.config.other['tracking-table-max-keys'] ?? '1000000')
  if (maxKeys === 0) return
  if (raxSize(t.table) <= maxKeys) {
    t.timeoutCounter = 0
    return
  }
  let effort = 100 * (t.timeoutCounter + 1)
  const rand = (): number => rngRandom(ctx.rng)
  while (effort > 0) {
    effort--
    const key = raxRandomWalk(t.table, 0, rand)
    if (key === null) break
    trackingInvalidateKey(srv, ctx, null, key, false)
    if (raxSize(t.table) <= maxKeys) {
      t.timeoutCounter = 0
      return
    }
  }
  t.timeoutCounter++
}

/**
 * tracking.c trackingBuildBroadcastReply: the keys of a prefix as an array, leaving out those
 * `c` modified last (NOLOOP); null when that leaves none.
 */
function trackingBuildBroadcastReply(c: Client | null, keys: Rax<ClientId>): Reply | null {
  const out: Reply[] = []
  raxForEach(keys, (key, by) => {
    if (c === null || by !== c.id) out.push(bulk(key))
  })
  return c !== null && out.length === 0 ? null : array(out)
}

/**
 * tracking.c trackingBroadcastInvalidationMessages (beforeSleep): each prefix with keys
 * modified since the last call sends them, as one message, to each of its clients; the
 * prefixes' key sets start empty again.
 */
export function trackingBroadcastInvalidationMessages(srv: ServerState): void {
  const t = srv.tracking
  if (t === null || t.clients === 0) return
  raxForEach(t.prefixes, (_prefix, bs) => {
    if (raxSize(bs.keys) !== 0) {
      const proto = trackingBuildBroadcastReply(null, bs.keys) as Reply
      raxForEach(bs.clients, (k) => {
        const c = srv.clients.get(idFromKey(k))
        if (c === undefined) throw new Error(`tracking: BCAST client ${String(idFromKey(k))} gone`)
        if ((c.tracking?.flags ?? 0) & TRACKING_NOLOOP) {
          const adhoc = trackingBuildBroadcastReply(c, bs.keys)
          if (adhoc !== null) sendTrackingMessage(srv, t, c, adhoc, false)
        } else {
          sendTrackingMessage(srv, t, c, proto, false)
        }
      })
    }
    bs.keys = raxNew()
  })
}

// --- Hooks around a command (server.c processCommand, afterCommand, resetClient) ---

/**
 * processCommand, before the command runs: the invalidations maxmemory eviction left for the
 * running client go before its reply, then the table limit is enforced (its messages for the
 * running client go before the reply too).
 */
export function trackingBeforeCall(srv: ServerState, ctx: ExecContext): void {
  const t = srv.tracking
  if (t === null) return
  trackingHandlePendingKeyInvalidations(srv, t, false)
  if (t.clients !== 0) {
    trackingLimitUsedSlots(srv, ctx)
    trackingHandlePendingKeyInvalidations(srv, t, false)
  }
}

/**
 * resetClient's part for client-side caching: CLIENT CACHING's flag ends outside a
 * transaction unless the request just done (`prevCmd`, '' for an empty one) was a CLIENT
 * subcommand.
 */
export function trackingResetCaching(c: Client, prevCmd: string): void {
  const ct = c.tracking
  if (ct !== null && ct.flags & TRACKING_CACHING && c.multi === null) {
    if (!prevCmd.startsWith('client|')) ct.flags &= ~TRACKING_CACHING
  }
}

/**
 * After a top-level command (afterCommand, then resetClient): the pending invalidations for
 * `c` are written after its reply, which is returned followed by them (or, the reply not
 * being sent, through the outbox); CLIENT CACHING's flag ends unless the command was a CLIENT
 * subcommand or a transaction is open. From here on `c` is no longer the running client.
 */
export function trackingAfterCommand(
  srv: ServerState,
  c: Client,
  reply: Reply,
  sendsReply: boolean,
): Reply {
  const t = srv.tracking
  if (t === null) return reply
  trackingHandlePendingKeyInvalidations(srv, t, true)
  trackingResetCaching(c, c.lastCmd)
  t.done = c.id
  t.doneSeq = srv.seq
  if (t.after.length === 0) return reply
  const after = t.after
  t.after = []
  if (sendsReply) return sequence([reply, ...after])
  let out = srv.outbox.get(c.id) ?? ''
  for (const r of after) out += respEncode(r)
  srv.outbox.set(c.id, out)
  return reply
}

/**
 * blocked.c's afterCommand(receiver): a blocked client was just served (its reply is in the
 * outbox); the invalidations kept for it while it was the running client follow that reply.
 */
export function trackingAfterServed(srv: ServerState, receiver: Client): void {
  const t = srv.tracking
  if (t === null || t.pending.length === 0) return
  // The receiver is no longer the running client: the messages go to the outbox.
  sendPendingKeys(srv, t, receiver, false)
}

// --- INFO, CLIENT LIST ---

/** INFO's tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
export function trackingInfo(srv: ServerState): { keys: number; items: number; prefixes: number } {
  const t = srv.tracking
  if (t === null) return { keys: 0, items: 0, prefixes: 0 }
  return { keys: raxSize(t.table), items: t.totalItems, prefixes: raxSize(t.prefixes) }
}

/** INFO clients' tracking_clients. */
export function trackingClients(srv: ServerState): number {
  return srv.tracking?.clients ?? 0
}

/** CLIENT TRACKINGINFO's flags: on|off, then bcast, optin, caching-yes, optout ... */
export function trackingInfoFlags(c: Client): string[] {
  const f = c.tracking?.flags ?? 0
  const flags = [trackingIsOn(c) ? 'on' : 'off']
  if (f & TRACKING_BCAST) flags.push('bcast')
  if (f & TRACKING_OPTIN) {
    flags.push('optin')
    if (f & TRACKING_CACHING) flags.push('caching-yes')
  }
  if (f & TRACKING_OPTOUT) {
    flags.push('optout')
    if (f & TRACKING_CACHING) flags.push('caching-no')
  }
  if (f & TRACKING_NOLOOP) flags.push('noloop')
  if (f & TRACKING_BROKEN_REDIR) flags.push('broken_redirect')
  return flags
}

/** CLIENT LIST's tracking flags: t (tracking), R (broken redirect), B (BCAST). */
export function trackingClientFlags(c: Client): string {
  const f = c.tracking?.flags ?? 0
  if (!(f & TRACKING_ON)) return ''
  return 't' + (f & TRACKING_BROKEN_REDIR ? 'R' : '') + (f & TRACKING_BCAST ? 'B' : '')
}

/**
 * networking.c getClientMemoryUsage's share for the BCAST prefixes (CLIENT LIST tot-mem): an
 * underestimate Redis takes without walking the rax, its nodes × sizeof(raxNode) (4) ×
 * sizeof(raxNode *) (8).
 */
export function trackingMemOverhead(c: Client): number {
  const p = c.tracking?.prefixes ?? null
  return p === null ? 0 : p.numnodes * 4 * 8
}

/** CLIENT LIST's redir= and CLIENT GETREDIR: the redirect id when tracking, else -1. */
export function trackingRedirection(c: Client): number {
  return trackingIsOn(c) ? (c.tracking?.redirect ?? 0) : -1
}

/** The keys of the tracking table the client is listed for (the clients panel), in rax order. */
export function trackingKeysOf(srv: ServerState, id: ClientId, limit: number): string[] {
  const out: string[] = []
  const t = srv.tracking
  if (t === null) return out
  const me = idKey(id)
  raxForEach(t.table, (key, ids) => {
    if (raxFind(ids, me) !== undefined) out.push(key)
    return out.length < limit
  })
  return out
}

/** The client's BCAST prefixes in rax (byte) order. */
export function trackingPrefixesOf(c: Client): string[] {
  const out: string[] = []
  const p = c.tracking?.prefixes ?? null
  if (p !== null) raxForEach(p, (prefix) => void out.push(prefix))
  return out
}

// --- Self-check ---

/**
 * Self-check: the rax trees are valid; the item count and the tracking client count agree
 * with the tables and the clients; every prefix lists existing BCAST clients that list it
 * back, and no prefix is empty.
 */
export function trackingValidate(srv: ServerState): string[] {
  const t = srv.tracking
  if (t === null) return []
  const errors: string[] = [...raxValidate(t.table), ...raxValidate(t.prefixes)]
  let items = 0
  raxForEach(t.table, (key, ids) => {
    items += raxSize(ids)
    if (raxSize(ids) === 0) errors.push(`tracking: ${key} has no client`)
  })
  if (items !== t.totalItems)
    errors.push(`tracking: ${String(t.totalItems)} items counted, ${String(items)} in the table`)
  let on = 0
  for (const c of srv.clients.values()) if (trackingIsOn(c)) on++
  if (on !== t.clients) errors.push(`tracking: ${String(t.clients)} clients counted, ${String(on)}`)
  raxForEach(t.prefixes, (prefix, bs) => {
    if (raxSize(bs.clients) === 0) errors.push(`tracking: prefix ${prefix} has no client`)
    raxForEach(bs.clients, (k) => {
      const c = srv.clients.get(idFromKey(k))
      if (c === undefined || !((c.tracking?.flags ?? 0) & TRACKING_BCAST))
        errors.push(`tracking: prefix ${prefix} lists ${String(idFromKey(k))}, not in BCAST`)
      else if (c.tracking?.prefixes == null || raxFind(c.tracking.prefixes, prefix) === undefined)
        errors.push(`tracking: client ${String(c.id)} does not list prefix ${prefix}`)
    })
  })
  return errors
}
