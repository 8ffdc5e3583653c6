/**
 * Pub/Sub — follows redis/src/pubsub.c (7.0.15): SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their
 * UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB.
 *
 * State, as Redis keeps it:
 * - on the server, three dicts (keylistDictType): channel → subscribers, pattern →
 *   subscribers, shard channel → subscribers, each list in subscription order (listAddNodeTail);
 * - on each client, a dict of its channels, a list of its patterns, a dict of its shard
 *   channels. The client dicts are made on its first subscription and kept, as Redis keeps
 *   them for the connection's life (so their tables, and so the order in which UNSUBSCRIBE
 *   with no argument walks them, are Redis's).
 * Dicts here are dict.ts (dict.c with SipHash and the server's seed), so the orders Redis
 * takes from dict iteration — PUBSUB CHANNELS, pattern messages across patterns, mass
 * UNSUBSCRIBE — follow the same algorithm; Redis's seed is random per process, ours is the
 * session's.
 *
 * Replies. Every subscription change answers one confirmation per channel or pattern
 * (`*3 $9 subscribe $<ch> :<count>`, count = channels + patterns, or shard channels for the
 * S forms), so SUBSCRIBE a b answers two replies in a row: a `sequence` (reply.ts). A mass
 * unsubscribe with nothing to leave answers one confirmation with a nil channel and 0. These
 * are "pushes" (CLIENT_PUSHING): sent even under CLIENT REPLY OFF (state.ts REPLY_PUSHING).
 *
 * Delivery. PUBLISH sends `message ch payload` to each subscriber of the channel, then
 * `pmessage pattern ch payload` for each pattern (dict order) that matches (util.c
 * stringmatchlen) to each of its subscribers; SPUBLISH only to the shard channel's
 * subscribers. It answers the number of deliveries. A message for another client goes to the
 * server's outbox (RedisServer.drainOutbox): the RESP server writes it to that connection
 * after the command, the app's worker shows it in that client's console tab. A message for
 * the client running the command (possible only inside EXEC: a RESP2 subscriber can run
 * nothing but the commands above) goes into its output before the reply of the command that
 * sent it, as Redis's addReply does: execTransaction (multi.ts) takes it with
 * takePubsubPushes.
 *
 * Subscribed context: a RESP2 client with any subscription (CLIENT_PUBSUB) may run only
 * (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET; server.ts processCommand rejects
 * the rest with pubsubContextError, and PING answers `pong` as an array. RESET and closing the
 * client (or CLIENT KILL) drop every subscription without confirmations.
 *
 * RESP3 (HELLO 3): confirmations and messages are pushes (`>3` / `>4`, pubsub.c
 * addReplyPubsub* with c->resp 3), and a subscribed RESP3 client may run any command: pushes
 * tell its messages apart from its replies. A message that reaches the client running the
 * command (PUBLISH to its own channel, a keyspace notification of its own write, an
 * invalidation redirected to it) goes where addReply wrote it at once: before that command's
 * reply, after it (pubsubReplyWritten: HSET replies, then notifies) or inside it
 * (pubsubReplyAt: ZPOPMIN notifies after its array's header). processCommand takes it with
 * takePubsubPushes.
 *
 * Inside MULTI, SUBSCRIBE and PSUBSCRIBE are queued and run by EXEC (Redis keeps them allowed
 * there for backward compatibility); SSUBSCRIBE inside EXEC answers the DENY BLOCKING error.
 *
 * Emits: pubsub/published (summary), plus the dict events of the subscription dicts.
 *
 * A subscriber nobody drains keeps its messages in its reply list, and client-output-buffer-limit
 * pubsub closes it, where a transport reports the bytes it could not write (replyList.ts).
 * Not modelled: the memory these structures take in INFO memory. Keyspace notifications
 * (keyspace/notify.ts) publish through pubsubPublishGlobal.
 */
import type { ClientId } from '../api.ts'
import { createExecContext, type ExecContext } from '../context.ts'
import {
  array,
  bulk,
  error,
  integer,
  pushReply,
  sequence,
  type Protocol,
  type Reply,
} from '../reply.ts'
import { forceCommandPropagation, PROPAGATE_REPL } from '../replication.ts'
import { respEncode } from '../resp.ts'
import { REPLY_PUSHING, type Client, type ServerState } from '../state.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictFetchValue,
  dictFind,
  dictForEach,
  dictGetVal,
  dictSize,
  NO_ENTRY,
  type Dict,
  type HashSeed,
} from '../structures/dict.ts'
import { stringmatchlen } from '../util/glob.ts'
import { helpReply, subcommandSyntaxError } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'

// --- Types ---

/** The server's subscriptions (server.pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export interface PubsubState {
  readonly channels: Dict<ClientId[]>
  readonly patterns: Dict<ClientId[]>
  readonly shardChannels: Dict<ClientId[]>
}

/** One client's subscriptions (c->pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export interface ClientPubsub {
  readonly channels: Dict<null>
  /** In subscription order (a list in Redis 7.0). */
  readonly patterns: string[]
  readonly shardChannels: Dict<null>
  /** Messages that reached this client while it ran a command inside EXEC (file comment). */
  pushes: Reply[]
  /**
   * Where the running command's reply stood when messages reached it (pubsubReplyAt): from
   * `pushes[from]` on, they follow the reply's first `items` protocol items. Before the first
   * mark, messages come before the reply.
   */
  replyMarks: ReplyMark[]
}

/** A point in the running command's reply (ClientPubsub.replyMarks). */
interface ReplyMark {
  readonly from: number
  readonly items: number
}

/** pubsub.c pubsubtype: global channels or shard channels. */
interface PubsubType {
  readonly shard: boolean
  readonly clientChannels: (p: ClientPubsub) => Dict<null>
  readonly serverChannels: (s: PubsubState) => Dict<ClientId[]>
  readonly subscriptionCount: (c: Client) => number
  readonly subscribeMsg: string
  readonly unsubscribeMsg: string
  readonly messageBulk: string
}

const PUBSUB_TYPE: PubsubType = {
  shard: false,
  clientChannels: (p) => p.channels,
  serverChannels: (s) => s.channels,
  subscriptionCount: clientSubscriptionsCount,
  subscribeMsg: 'subscribe',
  unsubscribeMsg: 'unsubscribe',
  messageBulk: 'message',
}

const PUBSUB_SHARD_TYPE: PubsubType = {
  shard: true,
  clientChannels: (p) => p.shardChannels,
  serverChannels: (s) => s.shardChannels,
  subscriptionCount: clientShardSubscriptionsCount,
  subscribeMsg: 'ssubscribe',
  unsubscribeMsg: 'sunsubscribe',
  messageBulk: 'smessage',
}

// --- State ---

/** Creates the server's empty subscription dicts (server.c initServer). */
export function createPubsubState(seed: HashSeed): PubsubState {
  return {
    channels: dictCreate('pubsub:channels', seed),
    patterns: dictCreate('pubsub:patterns', seed),
    shardChannels: dictCreate('pubsub:shardchannels', seed),
  }
}

/** The client's subscription state, made on first use (networking.c createClient). */
function clientPubsubOf(srv: ServerState, c: Client): ClientPubsub {
  c.pubsub ??= {
    channels: dictCreate(`client:${String(c.id)}:channels`, srv.hashSeed),
    patterns: [],
    shardChannels: dictCreate(`client:${String(c.id)}:shardchannels`, srv.hashSeed),
    pushes: [],
    replyMarks: [],
  }
  return c.pubsub
}

/** pubsub.c clientSubscriptionsCount: channels + patterns. */
export function clientSubscriptionsCount(c: Client): number {
  const p = c.pubsub
  return p === null ? 0 : dictSize(p.channels) + p.patterns.length
}

/** pubsub.c clientShardSubscriptionsCount. */
export function clientShardSubscriptionsCount(c: Client): number {
  return c.pubsub === null ? 0 : dictSize(c.pubsub.shardChannels)
}

/**
 * Tells whether the client is in Pub/Sub mode (CLIENT_PUBSUB): it has any subscription.
 * Redis sets the flag with each subscription and clears it when the count drops to zero,
 * so the two always agree.
 */
export function clientIsSubscribed(c: Client): boolean {
  return clientSubscriptionsCount(c) + clientShardSubscriptionsCount(c) > 0
}

/** How many channels, patterns and shard channels. */
export interface PubsubCounts {
  readonly channels: number
  readonly patterns: number
  readonly shardChannels: number
}

/** The client's channels, patterns and shard channels (CLIENT LIST sub=, psub=, ssub=). */
export function clientPubsubCounts(c: Client): PubsubCounts {
  const p = c.pubsub
  if (p === null) return { channels: 0, patterns: 0, shardChannels: 0 }
  return {
    channels: dictSize(p.channels),
    patterns: p.patterns.length,
    shardChannels: dictSize(p.shardChannels),
  }
}

/** Server-wide counts for INFO stats: pubsub_channels, pubsub_patterns, pubsubshard_channels. */
export function pubsubInfo(srv: ServerState): PubsubCounts {
  const s = srv.pubsub
  return {
    channels: dictSize(s.channels),
    patterns: dictSize(s.patterns),
    shardChannels: dictSize(s.shardChannels),
  }
}

/** pubsub.c pubsubMemOverhead: list nodes and dict entries and buckets (CLIENT LIST tot-mem). */
export function pubsubMemOverhead(c: Client): number {
  const p = c.pubsub
  if (p === null) return 0
  const dictMem = (d: Dict<null>): number => dictSize(d) * 24 + dictSlots(d) * 8
  return p.patterns.length * 24 + dictMem(p.channels) + dictMem(p.shardChannels)
}

/** dictSlots: buckets of both tables. */
function dictSlots(d: Dict<null>): number {
  return (d.table[0]?.length ?? 0) + (d.table[1]?.length ?? 0)
}

// --- Subscribed context (server.c processCommand) ---

/** The commands a subscribed RESP2 client may run. */
const ALLOWED_IN_CONTEXT: ReadonlySet<string> = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
])

/**
 * Tells whether processCommand must refuse `name` (a top-level command's lowercase name; ''
 * for a subcommand) because the client is subscribed.
 */
export function pubsubContextRejects(c: Client, name: string): boolean {
  return c.resp === 2 && clientIsSubscribed(c) && !ALLOWED_IN_CONTEXT.has(name)
}

/** server.c's error for a command refused in the subscribed context. */
export function pubsubContextError(fullname: string): string {
  return `Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`
}

// --- Replies (pubsub.c addReplyPubsub*) ---

function subscribedReply(
  resp: Protocol,
  kind: string,
  channel: string | null,
  count: number,
): Reply {
  return pushReply(resp, [bulk(kind), bulk(channel), integer(count)])
}

// --- Delivery ---

/**
 * Sends a message to a subscriber: into the outbox for the transport, or, for the client
 * whose command inside EXEC sent it, into its output before that command's reply.
 */
function deliver(srv: ServerState, id: ClientId, items: readonly Reply[]): void {
  const target = srv.currentClient
  if (target !== null && target.id === id && target.pubsub !== null) {
    // Inside EXEC (RESP2 or 3), or any command of a RESP3 client (file comment).
    target.pubsub.pushes.push(pushReply(target.resp, items))
    return
  }
  const resp = srv.clients.get(id)?.resp ?? 2
  srv.outbox.set(id, (srv.outbox.get(id) ?? '') + respEncode(pushReply(resp, items)))
}

/**
 * Queues `reply` for the running client `c`, to be written before its command's reply (the
 * way addReply writes at once): tracking.ts's invalidations use the same queue, so they keep
 * their order with Pub/Sub messages.
 */
export function pushBeforeReply(srv: ServerState, c: Client, reply: Reply): void {
  clientPubsubOf(srv, c).pushes.push(reply)
}

/**
 * Returns `reply` with the messages that reached client `c` while the command ran, each where
 * Redis's addReply wrote it: before the reply, after it (pubsubReplyWritten), or inside it
 * between two of its protocol items (pubsubReplyAt); `reply` itself when there were none.
 * A message inside an array rides with the element it precedes, as a 'sequence'.
 */
export function takePubsubPushes(c: Client, reply: Reply): Reply {
  const p = c.pubsub
  if (p === null) return reply
  const marks = p.replyMarks
  p.replyMarks = []
  if (p.pushes.length === 0) return reply
  const pushes = p.pushes
  p.pushes = []
  // The messages after each count of written items, in order.
  const at = new Map<number, Reply[]>()
  let rest: Reply[] = pushes
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i] as ReplyMark
    const some = rest.slice(m.from)
    rest = rest.slice(0, m.from)
    if (some.length > 0) at.set(m.items, [...some, ...(at.get(m.items) ?? [])])
  }
  const before = [...rest, ...(at.get(0) ?? [])]
  at.delete(0)
  let seen = 0
  const place = (r: Reply): Reply => {
    if (r.type === 'sequence') return sequence(r.value.map(place))
    const here = at.get(seen)
    if (here !== undefined) at.delete(seen)
    seen++
    const out = withItems(r, place)
    return here === undefined ? out : sequence([...here, out])
  }
  const inside = at.size === 0 ? reply : place(reply)
  const after = [...at.values()].flat()
  return sequence([...before, inside, ...after])
}

/**
 * The messages that reached client `c` while the command ran, alone (a 'sequence'), or null:
 * for a command whose reply is not written (it blocked, or CLIENT REPLY OFF / SKIP holds),
 * as Redis still writes them (CLIENT_PUSHING).
 */
export function takePubsubPushesAlone(c: Client): Reply | null {
  const p = c.pubsub
  if (p === null) return null
  p.replyMarks = []
  if (p.pushes.length === 0) return null
  const out = sequence(p.pushes)
  p.pushes = []
  return out
}

/**
 * The running command blocked client `c` (BLOCKED is no reply to write around): the messages
 * that reached it so far (a RESP3 client's keymiss events of its own lookups) are written now,
 * as addReply did; its reply comes when it is served (blocking.ts replyToBlocked).
 */
export function writePubsubPushesNow(srv: ServerState, c: Client): void {
  const pushes = takePubsubPushesAlone(c)
  if (pushes !== null) srv.outbox.set(c.id, (srv.outbox.get(c.id) ?? '') + respEncode(pushes))
}

/** `r` with `f` applied to each reply it holds (itself when it holds none). */
function withItems(r: Reply, f: (x: Reply) => Reply): Reply {
  switch (r.type) {
    case 'array':
      return r.value === null ? r : { type: 'array', value: r.value.map(f), count: r.count }
    case 'map':
    case 'set':
    case 'push':
    case 'attribute':
      return { type: r.type, value: r.value.map(f) }
    default:
      return r
  }
}

/**
 * The running command has written its reply's first `items` protocol items (headers and
 * scalars, in the order they are written): messages that reach the client from now on (a
 * keyspace notification, a redirected invalidation) follow them, as addReply wrote them at
 * once. ZPOPMIN's `zpopmin` follows the array's header.
 */
export function pubsubReplyAt(c: CommandCall, items: number): void {
  // Only a RESP3 client gets pushes without a subscription (a redirected invalidation).
  const me = c.client
  const p =
    me.pubsub ?? (me.resp === 3 && c.srv.tracking !== null ? clientPubsubOf(c.srv, me) : null)
  if (p !== null) p.replyMarks.push({ from: p.pushes.length, items })
}

/**
 * The running command has written its reply: messages that reach the client from now on (the
 * keyspace notifications Redis sends after addReply, e.g. HSET's `hset`) follow it.
 */
export function pubsubReplyWritten(c: CommandCall): void {
  pubsubReplyAt(c, Infinity)
}

/** A fresh point for pubsubReplyAt: the running command starts its reply again. */
export function pubsubReplyReset(c: Client): void {
  if (c.pubsub !== null) c.pubsub.replyMarks = []
}

/** pubsub.c pubsubPublishMessageInternal: delivers, returns the number of receivers. */
function pubsubPublishMessage(
  srv: ServerState,
  ctx: ExecContext,
  channel: string,
  message: string,
  type: PubsubType,
): number {
  let receivers = 0
  const subscribers = dictFetchValue(ctx, type.serverChannels(srv.pubsub), channel)
  if (subscribers !== undefined) {
    const msg = [bulk(type.messageBulk), bulk(channel), bulk(message)]
    for (const id of subscribers) {
      deliver(srv, id, msg)
      receivers++
    }
  }
  const direct = receivers
  const matched: { pattern: string; clients: number }[] | null = ctx.tracing ? [] : null
  const patterns = srv.pubsub.patterns
  // Shard Pub/Sub ignores patterns.
  if (!type.shard && dictSize(patterns) !== 0) {
    dictForEach(patterns, (pattern, clients) => {
      if (!stringmatchlen(pattern, channel)) return
      const msg = [bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]
      for (const id of clients) {
        deliver(srv, id, msg)
        receivers++
      }
      matched?.push({ pattern, clients: clients.length })
    })
  }
  if (matched !== null)
    ctx.emit({
      type: 'pubsub/published',
      channel,
      shard: type.shard,
      subscribers: direct,
      patterns: matched,
      receivers,
    })
  return receivers
}

/**
 * Publishes `message` on the global channel `channel` as PUBLISH does (keyspace
 * notifications, keyspace/notify.ts); returns the number of receivers.
 */
export function pubsubPublishGlobal(
  srv: ServerState,
  ctx: ExecContext,
  channel: string,
  message: string,
): number {
  return pubsubPublishMessage(srv, ctx, channel, message, PUBSUB_TYPE)
}

// --- Subscribing ---

/** pubsub.c pubsubSubscribeChannel: the confirmation (the count after the change). */
function pubsubSubscribeChannel(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  channel: string,
  type: PubsubType,
): Reply {
  const p = clientPubsubOf(srv, c)
  if (dictAdd(ctx, type.clientChannels(p), channel, null)) {
    const server = type.serverChannels(srv.pubsub)
    const clients = dictFetchValue(ctx, server, channel)
    if (clients === undefined) dictAdd(ctx, server, channel, [c.id])
    else clients.push(c.id)
    if (ctx.tracing) traceSubscription(ctx, 'pubsub/subscribed', type, channel, c)
  }
  return subscribedReply(c.resp, type.subscribeMsg, channel, type.subscriptionCount(c))
}

/** Emits pubsub/subscribed or /unsubscribed; `type` null for a pattern. */
function traceSubscription(
  ctx: ExecContext,
  event: 'pubsub/subscribed' | 'pubsub/unsubscribed',
  type: PubsubType | null,
  name: string,
  c: Client,
): void {
  const kind = type === null ? 'pattern' : type.shard ? 'shard' : 'channel'
  const count = type === null ? clientSubscriptionsCount(c) : type.subscriptionCount(c)
  ctx.emit({ type: event, kind, name, client: c.id, count })
}

/** Removes `id` from the subscriber list of `key` in `server`, and the key when it empties. */
function removeSubscriber(
  ctx: ExecContext,
  server: Dict<ClientId[]>,
  key: string,
  id: ClientId,
): void {
  const e = dictFind(ctx, server, key)
  if (e === NO_ENTRY) throw new Error(`pubsub: ${key} has no subscriber list`)
  const clients = dictGetVal(server, e)
  const i = clients.indexOf(id)
  if (i < 0) throw new Error(`pubsub: client ${String(id)} missing under ${key}`)
  clients.splice(i, 1)
  // The last subscriber gone: the entry goes too, so PUBSUB cannot be abused to grow forever.
  if (clients.length === 0) dictDelete(ctx, server, key)
}

/**
 * pubsub.c pubsubUnsubscribeChannel: true if the client was subscribed. With `notify`, the
 * confirmation is appended to `out`.
 */
function pubsubUnsubscribeChannel(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  channel: string,
  type: PubsubType,
  out: Reply[] | null,
): boolean {
  let removed = false
  const p = c.pubsub
  if (p !== null && dictDelete(ctx, type.clientChannels(p), channel) !== NO_ENTRY) {
    removed = true
    removeSubscriber(ctx, type.serverChannels(srv.pubsub), channel, c.id)
    if (ctx.tracing) traceSubscription(ctx, 'pubsub/unsubscribed', type, channel, c)
  }
  out?.push(subscribedReply(c.resp, type.unsubscribeMsg, channel, type.subscriptionCount(c)))
  return removed
}

/** pubsub.c pubsubSubscribePattern. */
function pubsubSubscribePattern(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  pattern: string,
): Reply {
  const p = clientPubsubOf(srv, c)
  if (!p.patterns.includes(pattern)) {
    p.patterns.push(pattern)
    const clients = dictFetchValue(ctx, srv.pubsub.patterns, pattern)
    if (clients === undefined) dictAdd(ctx, srv.pubsub.patterns, pattern, [c.id])
    else clients.push(c.id)
    if (ctx.tracing) traceSubscription(ctx, 'pubsub/subscribed', null, pattern, c)
  }
  return subscribedReply(c.resp, 'psubscribe', pattern, clientSubscriptionsCount(c))
}

/** pubsub.c pubsubUnsubscribePattern. */
function pubsubUnsubscribePattern(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  pattern: string,
  out: Reply[] | null,
): boolean {
  let removed = false
  const i = c.pubsub?.patterns.indexOf(pattern) ?? -1
  if (c.pubsub !== null && i >= 0) {
    removed = true
    c.pubsub.patterns.splice(i, 1)
    removeSubscriber(ctx, srv.pubsub.patterns, pattern, c.id)
    if (ctx.tracing) traceSubscription(ctx, 'pubsub/unsubscribed', null, pattern, c)
  }
  out?.push(subscribedReply(c.resp, 'punsubscribe', pattern, clientSubscriptionsCount(c)))
  return removed
}

/**
 * pubsub.c pubsubUnsubscribeAllChannelsInternal: leaves every channel of `type` in the client
 * dict's iteration order; with `out`, one confirmation each, or the nil one when there was none.
 */
function pubsubUnsubscribeAllChannels(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  type: PubsubType,
  out: Reply[] | null,
): number {
  let count = 0
  const p = c.pubsub
  if (p !== null && dictSize(type.clientChannels(p)) > 0) {
    // A safe iterator: each step deletes the entry it is on.
    dictForEach(type.clientChannels(p), (channel) => {
      if (pubsubUnsubscribeChannel(srv, ctx, c, channel, type, out)) count++
    })
  }
  if (out !== null && count === 0)
    out.push(subscribedReply(c.resp, type.unsubscribeMsg, null, type.subscriptionCount(c)))
  return count
}

/** pubsub.c pubsubUnsubscribeAllPatterns: in subscription order. */
function pubsubUnsubscribeAllPatterns(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  out: Reply[] | null,
): number {
  let count = 0
  for (const pattern of [...(c.pubsub?.patterns ?? [])])
    if (pubsubUnsubscribePattern(srv, ctx, c, pattern, out)) count++
  if (out !== null && count === 0)
    out.push(subscribedReply(c.resp, 'punsubscribe', null, clientSubscriptionsCount(c)))
  return count
}

/**
 * Drops every subscription of the client without confirmations (networking.c freeClient and
 * clearClientConnectionState for RESET). `ctx` null: outside a command (a connection closed
 * by the transport), with tracing off.
 */
export function freeClientPubsub(srv: ServerState, c: Client, ctx: ExecContext | null): void {
  const p = c.pubsub
  if (p === null) return
  if (dictSize(p.channels) === 0 && dictSize(p.shardChannels) === 0 && p.patterns.length === 0)
    return
  const x = ctx ?? createExecContext(srv.rng, srv.clock, 'off', srv.mstime)
  pubsubUnsubscribeAllChannels(srv, x, c, PUBSUB_TYPE, null)
  pubsubUnsubscribeAllChannels(srv, x, c, PUBSUB_SHARD_TYPE, null)
  pubsubUnsubscribeAllPatterns(srv, x, c, null)
  p.pushes = []
  p.replyMarks = []
}

// --- Commands ---

/** Marks the reply as Pub/Sub output, sent even under CLIENT REPLY OFF (CLIENT_PUSHING). */
function pushing(c: Client, replies: readonly Reply[]): Reply {
  c.replyFlags |= REPLY_PUSHING
  return sequence(replies)
}

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: CommandCall): Reply {
  const out: Reply[] = []
  for (let j = 1; j < c.argv.length; j++)
    out.push(pubsubSubscribeChannel(c.srv, c.ctx, c.client, c.argv[j] ?? '', PUBSUB_TYPE))
  return pushing(c.client, out)
}

/** SSUBSCRIBE shardchannel [shardchannel ...] */
function ssubscribeCommand(c: CommandCall): Reply {
  // CLIENT_DENY_BLOCKING, which EXEC sets; unlike SUBSCRIBE there is no MULTI exception.
  if (c.client.multi !== null)
    return error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
  const out: Reply[] = []
  for (let j = 1; j < c.argv.length; j++)
    out.push(pubsubSubscribeChannel(c.srv, c.ctx, c.client, c.argv[j] ?? '', PUBSUB_SHARD_TYPE))
  return pushing(c.client, out)
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: CommandCall): Reply {
  const out: Reply[] = []
  for (let j = 1; j < c.argv.length; j++)
    out.push(pubsubSubscribePattern(c.srv, c.ctx, c.client, c.argv[j] ?? ''))
  return pushing(c.client, out)
}

/** UNSUBSCRIBE / SUNSUBSCRIBE [channel ...] */
function unsubscribeGeneric(c: CommandCall, type: PubsubType): Reply {
  const out: Reply[] = []
  if (c.argv.length === 1) pubsubUnsubscribeAllChannels(c.srv, c.ctx, c.client, type, out)
  else
    for (let j = 1; j < c.argv.length; j++)
      pubsubUnsubscribeChannel(c.srv, c.ctx, c.client, c.argv[j] ?? '', type, out)
  return pushing(c.client, out)
}

/** PUNSUBSCRIBE [pattern ...] */
function punsubscribeCommand(c: CommandCall): Reply {
  const out: Reply[] = []
  if (c.argv.length === 1) pubsubUnsubscribeAllPatterns(c.srv, c.ctx, c.client, out)
  else
    for (let j = 1; j < c.argv.length; j++)
      pubsubUnsubscribePattern(c.srv, c.ctx, c.client, c.argv[j] ?? '', out)
  return pushing(c.client, out)
}

/** PUBLISH channel message / SPUBLISH shardchannel message */
/**
 * pubsub.c publishCommand and spublishCommand: the message goes to the subscribers, and the
 * command to the replicas (not the AOF) whatever it changed, so that their own subscribers
 * get it too (forceCommandPropagation(c, PROPAGATE_REPL), outside cluster mode).
 */
function publishGeneric(c: CommandCall, type: PubsubType): Reply {
  const receivers = pubsubPublishMessage(c.srv, c.ctx, c.argv[1] ?? '', c.argv[2] ?? '', type)
  forceCommandPropagation(c.srv, PROPAGATE_REPL)
  return integer(receivers)
}

// --- PUBSUB ---

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
]

/** pubsub.c channelList: the channels of `d` matching `pat` (all without one), dict order. */
function channelList(c: CommandCall, d: Dict<ClientId[]>): Reply {
  if (c.argv.length > 3) return subcommandSyntaxError(c.argv)
  const pat = c.argv[2]
  const out: Reply[] = []
  dictForEach(d, (channel) => {
    if (pat === undefined || stringmatchlen(pat, channel)) out.push(bulk(channel))
  })
  return array(out)
}

/** PUBSUB NUMSUB / SHARDNUMSUB: each channel asked for and its number of subscribers. */
function numsub(c: CommandCall, d: Dict<ClientId[]>): Reply {
  const out: Reply[] = []
  for (let j = 2; j < c.argv.length; j++) {
    const ch = c.argv[j] ?? ''
    out.push(bulk(ch), integer(dictFetchValue(c.ctx, d, ch)?.length ?? 0))
  }
  return array(out)
}

const pubsubCommand = defineCommand('pubsub', undefined, [
  defineSubcommand('pubsub', 'help', () => helpReply('pubsub', PUBSUB_HELP)),
  defineSubcommand('pubsub', 'channels', (c) => channelList(c, c.srv.pubsub.channels)),
  defineSubcommand('pubsub', 'shardchannels', (c) => channelList(c, c.srv.pubsub.shardChannels)),
  defineSubcommand('pubsub', 'numsub', (c) => numsub(c, c.srv.pubsub.channels)),
  defineSubcommand('pubsub', 'shardnumsub', (c) => numsub(c, c.srv.pubsub.shardChannels)),
  defineSubcommand('pubsub', 'numpat', (c) => integer(dictSize(c.srv.pubsub.patterns))),
])

// --- Validation ---

/**
 * Self-check: the server's lists and the clients' own records agree in both directions, no
 * list is empty or repeats a client, every listed client exists, no client repeats a pattern.
 */
export function pubsubValidate(srv: ServerState): string[] {
  const errors: string[] = []
  const keysOf = (d: Dict<unknown>): string[] => {
    const out: string[] = []
    dictForEach(d, (k) => out.push(k))
    return out
  }
  const check = (
    what: string,
    server: Dict<ClientId[]>,
    keys: (p: ClientPubsub) => readonly string[],
  ): void => {
    const listed = new Map<string, readonly ClientId[]>()
    dictForEach(server, (key, ids) => {
      listed.set(key, ids)
      if (ids.length === 0) errors.push(`${what} ${key}: empty subscriber list`)
      if (new Set(ids).size !== ids.length) errors.push(`${what} ${key}: a client twice`)
    })
    let pairs = 0
    for (const c of srv.clients.values()) {
      if (c.pubsub === null) continue
      for (const key of keys(c.pubsub)) {
        pairs++
        if (!(listed.get(key)?.includes(c.id) ?? false))
          errors.push(`client ${String(c.id)} in ${what} ${key}, not listed under it`)
      }
    }
    let total = 0
    for (const ids of listed.values()) total += ids.length
    if (total !== pairs)
      errors.push(`${what}s: ${String(total)} subscribers listed, ${String(pairs)} subscriptions`)
  }
  check('channel', srv.pubsub.channels, (p) => keysOf(p.channels))
  check('pattern', srv.pubsub.patterns, (p) => p.patterns)
  check('shard channel', srv.pubsub.shardChannels, (p) => keysOf(p.shardChannels))
  for (const c of srv.clients.values())
    if (c.pubsub !== null && new Set(c.pubsub.patterns).size !== c.pubsub.patterns.length)
      errors.push(`client ${String(c.id)}: a pattern twice`)
  return errors
}

// --- Table ---

export const pubsubCommands: readonly CommandSpec[] = [
  defineCommand('subscribe', subscribeCommand),
  defineCommand('ssubscribe', ssubscribeCommand),
  defineCommand('psubscribe', psubscribeCommand),
  defineCommand('unsubscribe', (c) => unsubscribeGeneric(c, PUBSUB_TYPE)),
  defineCommand('sunsubscribe', (c) => unsubscribeGeneric(c, PUBSUB_SHARD_TYPE)),
  defineCommand('punsubscribe', punsubscribeCommand),
  defineCommand('publish', (c) => publishGeneric(c, PUBSUB_TYPE)),
  defineCommand('spublish', (c) => publishGeneric(c, PUBSUB_SHARD_TYPE)),
  pubsubCommand,
]
