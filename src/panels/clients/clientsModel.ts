/**
 * The clients panel's model: a pure fold of multi/*, pubsub/*, tracking/*, blocking/* and
 * client/* step events onto the engine's ClientsView (inspectClients.ts), so that folding
 * every event of a command onto the view before it gives the view after it ("the animation
 * cannot lie").
 *
 * The fold keeps the view's order rules: clients by id, dict keys (watched keys, blocking
 * keys, channels, patterns in the server dict) sorted by bytes, lists Redis keeps as lists
 * (a key's watchers or blocked clients, a channel's subscribers, a client's patterns and
 * queue) in arrival order. Events of other families leave the view as it is. A client
 * connecting (client/connected) gets a fresh column; one closing (client/closed) leaves with
 * its watches, its wait and its subscriptions; SELECT, CLIENT SETNAME and RESET change its db
 * and name. What no event reports (a console tab closed, FLUSHDB's dirty flags) is only seen
 * in `after`.
 */
import type { StepEvent } from '../../engine/events.ts'
import type { ClientFlag, ClientStateView, ClientsView } from '../../engine/inspectClients.ts'

export type { ClientFlag, ClientStateView, ClientsView }
export type { ClientTrackingView } from '../../engine/inspectClients.ts'

const FLAG_ORDER: readonly ClientFlag[] = [
  'multi',
  'dirty-cas',
  'dirty-exec',
  'subscribed',
  'blocked',
]

/** Narrows an inspect view to the clients view, or null. */
export function asClientsView(v: unknown): ClientsView | null {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'clients'
    ? (v as ClientsView)
    : null
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function withFlag(flags: readonly ClientFlag[], f: ClientFlag, on: boolean): ClientFlag[] {
  const set = new Set(flags)
  if (on) set.add(f)
  else set.delete(f)
  return FLAG_ORDER.filter((x) => set.has(x))
}

function insertSorted(xs: readonly string[], x: string): string[] {
  if (xs.includes(x)) return [...xs]
  return [...xs, x].sort(cmp)
}

type Subs = readonly { readonly name: string; readonly clients: readonly number[] }[]

function subscribe(list: Subs, name: string, client: number): Subs {
  const i = list.findIndex((s) => s.name === name)
  if (i >= 0) return list.map((s, j) => (j === i ? { name, clients: [...s.clients, client] } : s))
  return [...list, { name, clients: [client] }].sort((a, b) => cmp(a.name, b.name))
}

function unsubscribe(list: Subs, name: string, client: number): Subs {
  return list
    .map((s) => {
      if (s.name !== name) return s
      const k = s.clients.indexOf(client)
      return k < 0 ? s : { name, clients: s.clients.filter((_, j) => j !== k) }
    })
    .filter((s) => s.clients.length > 0)
}

function updateClient(
  v: ClientsView,
  id: number,
  fn: (c: ClientStateView) => ClientStateView,
): ClientsView {
  return { ...v, clients: v.clients.map((c) => (c.id === id ? fn(c) : c)) }
}

/** Drops every WATCH of a client from its list and from the watched_keys dicts. */
function unwatchAll(v: ClientsView, id: number): ClientsView {
  const c = v.clients.find((x) => x.id === id)
  if (c === undefined || c.watched.length === 0) return v
  let watchedKeys = v.watchedKeys
  for (const wk of c.watched)
    watchedKeys = watchedKeys
      .map((g) =>
        g.db !== wk.db
          ? g
          : {
              db: g.db,
              keys: unsubscribe(
                g.keys.map((k) => ({ name: k.key, clients: k.clients })),
                wk.key,
                id,
              ).map((s) => ({ key: s.name, clients: s.clients })),
            },
      )
      .filter((g) => g.keys.length > 0)
  return updateClient({ ...v, watchedKeys }, id, (x) => ({ ...x, watched: [] }))
}

function subscribedFlag(c: ClientStateView): ClientStateView {
  const n = c.channels.length + c.shardChannels.length + c.patterns.length
  return { ...c, flags: withFlag(c.flags, 'subscribed', n > 0) }
}

function endTransaction(v: ClientsView, id: number): ClientsView {
  return updateClient(v, id, (c) => ({
    ...c,
    queued: [],
    flags: withFlag(
      withFlag(withFlag(c.flags, 'multi', false), 'dirty-cas', false),
      'dirty-exec',
      false,
    ),
  }))
}

const toSubs = (xs: readonly { channel: string; clients: readonly number[] }[]): Subs =>
  xs.map((x) => ({ name: x.channel, clients: x.clients }))
const fromSubs = (xs: Subs) => xs.map((x) => ({ channel: x.name, clients: x.clients }))

type DbKeys = ClientsView['watchedKeys']

/** Appends `client` to `key`'s list in db `db` (a key new to the db joins in byte order). */
function dbKeyAdd(groups: DbKeys, db: number, key: string, client: number): DbKeys {
  const group = groups.find((g) => g.db === db)
  const keys = subscribe(
    (group?.keys ?? []).map((k) => ({ name: k.key, clients: k.clients })),
    key,
    client,
  ).map((s) => ({ key: s.name, clients: s.clients }))
  return [...groups.filter((g) => g.db !== db), { db, keys }].sort((a, b) => a.db - b.db)
}

/** Takes `client` off every key's list in db `db` (every db when null); empty keys go. */
function dbKeysDrop(groups: DbKeys, client: number, db: number | null): DbKeys {
  return groups
    .map((g) =>
      db !== null && g.db !== db
        ? g
        : {
            db: g.db,
            keys: g.keys
              .map((k) => ({ key: k.key, clients: k.clients.filter((id) => id !== client) }))
              .filter((k) => k.clients.length > 0),
          },
    )
    .filter((g) => g.keys.length > 0)
}

/** A blocked client's wait ended (served, timed out, CLIENT UNBLOCK): off blocking_keys. */
function endWait(v: ClientsView, id: number, db: number | null): ClientsView {
  return updateClient({ ...v, blockingKeys: dbKeysDrop(v.blockingKeys, id, db) }, id, (c) => ({
    ...c,
    flags: withFlag(c.flags, 'blocked', false),
  }))
}

/** A client as a new connection has it (networking.c createClient). */
function newClient(id: number): ClientStateView {
  return {
    id,
    name: '',
    db: 0,
    flags: [],
    queued: [],
    watched: [],
    channels: [],
    shardChannels: [],
    patterns: [],
    tracking: null,
  }
}

/** Removes a closed client: its column, its watches, and its subscriptions' dict entries. */
function removeClient(v: ClientsView, id: number): ClientsView {
  const c = v.clients.find((x) => x.id === id)
  if (c === undefined) return v
  const w = endWait(unwatchAll(v, id), id, null)
  let channels = toSubs(w.pubsubChannels)
  for (const ch of c.channels) channels = unsubscribe(channels, ch, id)
  let shard = toSubs(w.pubsubShardChannels)
  for (const ch of c.shardChannels) shard = unsubscribe(shard, ch, id)
  let patterns: Subs = w.pubsubPatterns.map((p) => ({ name: p.pattern, clients: p.clients }))
  for (const p of c.patterns) patterns = unsubscribe(patterns, p, id)
  return {
    ...w,
    clients: w.clients.filter((x) => x.id !== id),
    pubsubChannels: fromSubs(channels),
    pubsubShardChannels: fromSubs(shard),
    pubsubPatterns: patterns.map((s) => ({ pattern: s.name, clients: s.clients })),
  }
}

/** Applies one step event to the clients view; events of other families change nothing. */
export function applyClientsEvent(v: ClientsView, e: StepEvent): ClientsView {
  switch (e.type) {
    case 'client/connected':
      if (v.clients.some((c) => c.id === e.client)) return v
      return { ...v, clients: [...v.clients, newClient(e.client)].sort((a, b) => a.id - b.id) }
    case 'client/closed':
      return removeClient(v, e.client)
    case 'client/dbSelected':
      return updateClient(v, e.client, (c) => ({ ...c, db: e.to }))
    case 'client/named':
      return updateClient(v, e.client, (c) => ({ ...c, name: e.name }))
    case 'multi/started':
      return updateClient(v, e.client, (c) => ({ ...c, flags: withFlag(c.flags, 'multi', true) }))
    case 'multi/commandQueued':
      return e.stored
        ? updateClient(v, e.client, (c) => ({ ...c, queued: [...c.queued, e.argv] }))
        : v
    case 'multi/keyWatched': {
      const next = updateClient(v, e.client, (c) => ({
        ...c,
        watched: [...c.watched, { db: e.db, key: e.key }],
      }))
      return { ...next, watchedKeys: dbKeyAdd(v.watchedKeys, e.db, e.key, e.client) }
    }
    case 'blocking/clientBlocked': {
      let blockingKeys = v.blockingKeys
      for (const key of e.keys) blockingKeys = dbKeyAdd(blockingKeys, e.db, key, e.client)
      return updateClient({ ...v, blockingKeys }, e.client, (c) => ({
        ...c,
        flags: withFlag(c.flags, 'blocked', true),
      }))
    }
    case 'blocking/clientServed':
    case 'blocking/clientUnblocked':
      return endWait(v, e.client, e.db)
    case 'multi/watchTouched': {
      let next = v
      for (const id of e.clients) {
        if (e.unwatched) next = unwatchAll(next, id)
        next = updateClient(next, id, (c) => ({
          ...c,
          flags: withFlag(c.flags, 'dirty-cas', true),
        }))
      }
      return next
    }
    case 'multi/flagged':
      return updateClient(v, e.client, (c) => ({
        ...c,
        flags: withFlag(c.flags, 'dirty-exec', true),
      }))
    case 'multi/execRan':
    case 'multi/execAborted':
    case 'multi/discarded':
      return endTransaction(v, e.client)
    case 'multi/unwatched':
      return updateClient(unwatchAll(v, e.client), e.client, (c) => ({
        ...c,
        flags: withFlag(c.flags, 'dirty-cas', false),
      }))
    case 'pubsub/subscribed':
    case 'pubsub/unsubscribed': {
      const on = e.type === 'pubsub/subscribed'
      const edit = on ? subscribe : unsubscribe
      const next = updateClient(v, e.client, (c) => {
        if (e.kind === 'pattern')
          return subscribedFlag({
            ...c,
            patterns: on ? [...c.patterns, e.name] : c.patterns.filter((p) => p !== e.name),
          })
        const field = e.kind === 'shard' ? 'shardChannels' : 'channels'
        const list = on ? insertSorted(c[field], e.name) : c[field].filter((x) => x !== e.name)
        return subscribedFlag({ ...c, [field]: list })
      })
      if (e.kind === 'pattern') {
        const subs = edit(
          next.pubsubPatterns.map((p) => ({ name: p.pattern, clients: p.clients })),
          e.name,
          e.client,
        )
        return {
          ...next,
          pubsubPatterns: subs.map((s) => ({ pattern: s.name, clients: s.clients })),
        }
      }
      if (e.kind === 'shard')
        return {
          ...next,
          pubsubShardChannels: fromSubs(edit(toSubs(next.pubsubShardChannels), e.name, e.client)),
        }
      return {
        ...next,
        pubsubChannels: fromSubs(edit(toSubs(next.pubsubChannels), e.name, e.client)),
      }
    }
    case 'tracking/keysRemembered':
      return updateClient(v, e.client, (c) =>
        c.tracking === null
          ? c
          : {
              ...c,
              tracking: { ...c.tracking, keys: e.keys.reduce(insertSorted, c.tracking.keys) },
            },
      )
    case 'tracking/keyInvalidated':
      return forgetTrackedKeys(v, (k) => k === e.key)
    case 'tracking/flushed':
      return forgetTrackedKeys(v, () => true)
    default:
      return v
  }
}

/** Drops the tracking table's keys that `gone` picks from every client. */
function forgetTrackedKeys(v: ClientsView, gone: (key: string) => boolean): ClientsView {
  return {
    ...v,
    clients: v.clients.map((c) =>
      c.tracking === null || !c.tracking.keys.some(gone)
        ? c
        : { ...c, tracking: { ...c.tracking, keys: c.tracking.keys.filter((k) => !gone(k)) } },
    ),
  }
}

/** Folds events[0..step) onto `before`. */
export function foldClients(
  before: ClientsView,
  events: readonly StepEvent[],
  step: number,
): ClientsView {
  let v = before
  for (let i = 0; i < step && i < events.length; i++)
    v = applyClientsEvent(v, events[i] as StepEvent)
  return v
}

/**
 * The clients a PUBLISH event reaches in a view: the channel's subscribers and those of every
 * matching pattern the event names.
 */
export function publishReceivers(
  v: ClientsView,
  e: StepEvent | undefined,
): {
  readonly channel: string | null
  readonly patterns: readonly string[]
  readonly clients: ReadonlySet<number>
} {
  if (e?.type !== 'pubsub/published') return { channel: null, patterns: [], clients: new Set() }
  const clients = new Set<number>()
  const list = e.shard ? v.pubsubShardChannels : v.pubsubChannels
  for (const id of list.find((c) => c.channel === e.channel)?.clients ?? []) clients.add(id)
  const patterns = e.patterns.map((p) => p.pattern)
  for (const p of v.pubsubPatterns)
    if (patterns.includes(p.pattern)) for (const id of p.clients) clients.add(id)
  return { channel: e.channel, patterns, clients }
}

/** What the step just shown concerns, for highlighting: a client and/or a key or channel. */
export function focusOf(e: StepEvent | undefined): {
  readonly clients: readonly number[]
  readonly key: string | null
} {
  if (e === undefined) return { clients: [], key: null }
  switch (e.type) {
    case 'multi/watchTouched':
      return { clients: e.clients, key: e.key }
    case 'multi/keyWatched':
      return { clients: [e.client], key: e.key }
    case 'pubsub/subscribed':
    case 'pubsub/unsubscribed':
      return { clients: [e.client], key: e.name }
    case 'tracking/keysRemembered':
      return { clients: [e.client], key: e.keys[0] ?? null }
    case 'blocking/clientBlocked':
    case 'blocking/clientUnblocked':
      return { clients: [e.client], key: e.keys[0] ?? null }
    case 'blocking/clientServed':
      return { clients: [e.client], key: e.key }
    case 'tracking/keyInvalidated':
      return { clients: e.clients, key: e.key }
    case 'tracking/flushed':
      return { clients: e.clients, key: null }
    case 'client/connected':
    case 'client/closed':
    case 'client/dbSelected':
    case 'client/named':
    case 'multi/started':
    case 'multi/commandQueued':
    case 'multi/flagged':
    case 'multi/execRan':
    case 'multi/execAborted':
    case 'multi/discarded':
    case 'multi/unwatched':
      return { clients: [e.client], key: null }
    default:
      return { clients: [], key: null }
  }
}
