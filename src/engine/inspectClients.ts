/**
 * inspect(null, { server: 'clients' }): the server-side state a learner meets with
 * MULTI/EXEC/WATCH and Pub/Sub, as one plain view model.
 *
 * Design: Redis keeps this state in two places and the view shows both sides, so a panel can
 * draw the links between them:
 * - per client (server.h client): the MULTI queue and flags (CLIENT_MULTI, CLIENT_DIRTY_CAS,
 *   CLIENT_DIRTY_EXEC), the watched_keys list, the Pub/Sub subscriptions, and client-side
 *   caching (CLIENT TRACKING's flags and the tracking table's keys listing the client);
 * - per server / per db: db->watched_keys (key → clients watching it), db->blocking_keys
 *   (key → clients blocked on it, BLPOP ...) and
 *   server.pubsub_channels / pubsub_patterns / pubsubshard_channels (name → subscribers).
 *
 * Built without touching anything (dict tables are walked directly, no rehash step), so
 * inspecting changes nothing. Order is fixed so that a panel's fold of step events can
 * reproduce it exactly: clients by id; dict keys (watched keys, channels) sorted by their
 * bytes, since a dict's own order depends on the hash seed; lists that Redis keeps as lists
 * (a key's watchers, a channel's subscribers, a client's patterns, queue, watched keys) in
 * their own order. Each list is cut at `limit` entries and `truncated` says so.
 */
import type { ClientPubsub } from './commands/pubsub.ts'
import type { ServerState, Client } from './state.ts'
import type { RedisDb } from './keyspace/db.ts'
import {
  trackingInfoFlags,
  trackingKeysOf,
  trackingPrefixesOf,
  trackingRedirection,
} from './tracking.ts'
import {
  dictGetKey,
  dictGetVal,
  dictNextEntry,
  dictSize,
  NO_ENTRY,
  type Dict,
} from './structures/dict.ts'

// --- Types ---

export type ClientFlag = 'multi' | 'dirty-cas' | 'dirty-exec' | 'subscribed' | 'blocked'

export interface ClientStateView {
  readonly id: number
  readonly name: string
  readonly db: number
  /** In the order of ClientFlag's members. */
  readonly flags: readonly ClientFlag[]
  /** The MULTI queue's argvs (byte strings), oldest first. */
  readonly queued: readonly (readonly string[])[]
  readonly watched: readonly { readonly db: number; readonly key: string }[]
  /** Channel and shard-channel names, sorted. */
  readonly channels: readonly string[]
  readonly shardChannels: readonly string[]
  /** In subscription order. */
  readonly patterns: readonly string[]
  /** Client-side caching, null if the client never turned CLIENT TRACKING on. */
  readonly tracking: ClientTrackingView | null
}

/** A client's CLIENT TRACKING state and its entries in the tracking table (tracking.ts). */
export interface ClientTrackingView {
  /** CLIENT TRACKINGINFO's flags: 'on' or 'off', then bcast, optin, caching-yes, noloop ... */
  readonly flags: readonly string[]
  /** The client its invalidations go to: 0 none, -1 tracking off (CLIENT GETREDIR). */
  readonly redirect: number
  /** BCAST prefixes, in byte order. */
  readonly prefixes: readonly string[]
  /**
   * The keys the tracking table lists this client for, in byte order: read while tracking and
   * not modified since (entries outlive CLIENT TRACKING OFF until their key changes).
   */
  readonly keys: readonly string[]
}

export interface ClientsView {
  readonly kind: 'clients'
  readonly clients: readonly ClientStateView[]
  /** Per db with watched keys, ascending: db->watched_keys, keys sorted. */
  readonly watchedKeys: readonly {
    readonly db: number
    readonly keys: readonly { readonly key: string; readonly clients: readonly number[] }[]
  }[]
  /**
   * Per db with clients blocked on keys, ascending: db->blocking_keys (BLPOP, BZPOPMIN,
   * XREAD BLOCK ...), keys sorted, each key's clients in the order they blocked.
   */
  readonly blockingKeys: readonly {
    readonly db: number
    readonly keys: readonly { readonly key: string; readonly clients: readonly number[] }[]
  }[]
  readonly pubsubChannels: readonly {
    readonly channel: string
    readonly clients: readonly number[]
  }[]
  readonly pubsubShardChannels: readonly {
    readonly channel: string
    readonly clients: readonly number[]
  }[]
  readonly pubsubPatterns: readonly {
    readonly pattern: string
    readonly clients: readonly number[]
  }[]
  /** Some list was cut at `limit`. */
  readonly truncated: boolean
}

// --- Helpers ---

/** Compares byte strings by code unit (memcmp order). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Every entry of a dict, both tables, without rehash steps. */
function dictEntries<V>(d: Dict<V>): [string, V][] {
  const out: [string, V][] = []
  for (const table of d.table) {
    if (table === null) continue
    for (let i = 0; i < table.length; i++)
      for (let e = table[i] as number; e !== NO_ENTRY; e = dictNextEntry(d, e))
        out.push([dictGetKey(d, e), dictGetVal(d, e)])
  }
  return out.sort((x, y) => byteCompare(x[0], y[0]))
}

function flagsOf(c: Client): ClientFlag[] {
  const flags: ClientFlag[] = []
  if (c.multi !== null) flags.push('multi')
  if (c.dirtyCas) flags.push('dirty-cas')
  if (c.multi?.dirtyExec === true) flags.push('dirty-exec')
  const p = c.pubsub
  if (p !== null && subscriptions(p) > 0) flags.push('subscribed')
  if (c.bpop !== null) flags.push('blocked')
  return flags
}

function subscriptions(p: ClientPubsub): number {
  return dictSize(p.channels) + dictSize(p.shardChannels) + p.patterns.length
}

// --- View ---

/** Builds the clients view: every client's transaction and Pub/Sub state, and the dicts. */
export function inspectClients(srv: ServerState, limit: number): ClientsView {
  let truncated = false
  const cut = <T>(xs: readonly T[]): readonly T[] => {
    if (xs.length <= limit) return xs
    truncated = true
    return xs.slice(0, limit)
  }
  const ids = [...srv.clients.keys()].sort((a, b) => a - b)
  const clients = cut(ids).map((id): ClientStateView => {
    const c = srv.clients.get(id) as Client
    const p = c.pubsub
    return {
      id,
      name: c.name,
      db: c.db,
      flags: flagsOf(c),
      queued: cut(c.multi?.queue.map((q) => [...q.argv]) ?? []),
      watched: cut(c.watched.map((wk) => ({ db: wk.db, key: wk.key }))),
      channels: p === null ? [] : cut(dictEntries(p.channels).map(([k]) => k)),
      shardChannels: p === null ? [] : cut(dictEntries(p.shardChannels).map(([k]) => k)),
      patterns: p === null ? [] : cut([...p.patterns]),
      tracking:
        c.tracking === null
          ? null
          : {
              flags: trackingInfoFlags(c),
              redirect: trackingRedirection(c),
              prefixes: cut(trackingPrefixesOf(c)),
              // One more than shown, so that `cut` knows the list was longer.
              keys: cut(trackingKeysOf(srv, id, limit + 1)),
            },
    }
  })
  // A per-db dict of key → clients (watched_keys, blocking_keys), for the dbs that have keys.
  const perDb = (clientsByKey: (db: RedisDb) => Map<string, readonly number[]>) =>
    srv.dbs
      .map((db) => ({ db: db.id, map: clientsByKey(db) }))
      .filter((g) => g.map.size > 0)
      .map((g) => ({
        db: g.db,
        keys: cut(
          [...g.map]
            .sort((x, y) => byteCompare(x[0], y[0]))
            .map(([key, ids]) => ({ key, clients: cut([...ids]) })),
        ),
      }))
  const watchedKeys = perDb(
    (db) => new Map([...db.watchedKeys].map(([k, list]) => [k, list.map((wk) => wk.client)])),
  )
  const blockingKeys = perDb((db) => db.blockingKeys)
  const subscribers = (d: Dict<readonly number[]>) =>
    cut(dictEntries(d)).map(([name, ids]) => ({ name, clients: cut([...ids]) }))
  return {
    kind: 'clients',
    clients,
    watchedKeys,
    blockingKeys,
    pubsubChannels: subscribers(srv.pubsub.channels).map((x) => ({
      channel: x.name,
      clients: x.clients,
    })),
    pubsubShardChannels: subscribers(srv.pubsub.shardChannels).map((x) => ({
      channel: x.name,
      clients: x.clients,
    })),
    pubsubPatterns: subscribers(srv.pubsub.patterns).map((x) => ({
      pattern: x.name,
      clients: x.clients,
    })),
    truncated,
  }
}
