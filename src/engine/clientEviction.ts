/**
 * Client eviction (maxmemory-clients, Redis 7.0): server.c getMemUsageBucket,
 * updateClientMemUsageAndBucket, removeClientFromMemUsageBucket, clientEvictionAllowed;
 * networking.c getClientEvictionLimit and evictClients; config.c applyClientMaxMemoryUsage.
 *
 * While maxmemory-clients is set, every normal and pub/sub client (not one with CLIENT
 * NO-EVICT on) sits in one of 19 buckets by the log2 of its memory (getClientMemoryUsage):
 * up to 32 KiB in the first, then one per doubling, above 4 GiB in the last. Its memory is
 * measured again after each command, each read, each write and in clientsCron. When the
 * memory of all normal and pub/sub clients (server.stat_clients_type_memory) reaches the
 * limit (maxmemory-clients bytes, or a percentage of maxmemory, never under 128 KiB),
 * evictClients frees clients from the biggest bucket down, each bucket in the order its
 * clients entered it, until under the limit. It runs before every command (ahead of key
 * eviction) and before the event loop sleeps.
 */
import { updateClientMemoryUsage } from './commands/connection.ts'
import type { Client, ServerState } from './state.ts'

/** CLIENT_MEM_USAGE_BUCKET_MIN_LOG: the first bucket holds clients up to 32 KiB (2^15). */
const BUCKET_MIN_LOG = 15
/** CLIENT_MEM_USAGE_BUCKET_MAX_LOG: the last one those above 4 GiB. */
const BUCKET_MAX_LOG = 33
/** CLIENT_MEM_USAGE_BUCKETS. */
export const CLIENT_MEM_USAGE_BUCKETS = 1 + BUCKET_MAX_LOG - BUCKET_MIN_LOG

/** clientMemUsageBucket: its clients in the order they entered, and their memory. */
export interface ClientMemBucket {
  memUsageSum: number
  readonly clients: Set<Client>
}

/** server.maxmemory_clients: bytes, or minus a percentage of maxmemory (0: off). */
function maxmemoryClients(srv: ServerState): number {
  const v = srv.config.other['maxmemory-clients'] ?? '0'
  return v.endsWith('%') ? -Number(v.slice(0, -1)) : Number(v)
}

/** initServerClientMemUsageBuckets: the buckets, made when maxmemory-clients is first set. */
function memUsageBuckets(srv: ServerState): ClientMemBucket[] {
  srv.clientMemBuckets ??= Array.from({ length: CLIENT_MEM_USAGE_BUCKETS }, () => ({
    memUsageSum: 0,
    clients: new Set<Client>(),
  }))
  return srv.clientMemBuckets
}

/** getMemUsageBucket: log2 of the memory, clamped to the buckets. */
function memUsageBucketIndex(mem: number): number {
  let bits = 0
  for (let m = mem; m >= 1; m = Math.floor(m / 2)) bits++
  const idx = Math.min(BUCKET_MAX_LOG, Math.max(BUCKET_MIN_LOG, bits))
  return idx - BUCKET_MIN_LOG
}

/** clientEvictionAllowed: a normal or pub/sub client without CLIENT NO-EVICT. */
function clientEvictionAllowed(srv: ServerState, c: Client): boolean {
  if (maxmemoryClients(srv) === 0 || c.noEvict) return false
  // getClientType: a replica (not a monitor) is no candidate; pub/sub clients are.
  return srv.monitors.includes(c.id) || !srv.repl.replicas.includes(c.id)
}

/**
 * removeClientFromMemUsageBucket: its memory leaves its bucket's sum; unless it stays
 * evictable, it leaves the bucket too.
 */
export function removeClientFromMemUsageBucket(
  srv: ServerState,
  c: Client,
  allowEviction: boolean,
): void {
  const b = c.memUsageBucket
  if (b === null) return
  b.memUsageSum -= c.lastMemoryUsage
  if (!allowEviction) {
    b.clients.delete(c)
    c.memUsageBucket = null
  }
}

/**
 * updateClientMemUsageAndBucket: measures the client again and moves it to its bucket.
 * False (and nothing done) when it cannot be evicted; clientsCron then measures it anyway.
 */
export function updateClientMemUsageAndBucket(srv: ServerState, c: Client): boolean {
  const allow = clientEvictionAllowed(srv, c)
  removeClientFromMemUsageBucket(srv, c, allow)
  if (!allow) return false
  updateClientMemoryUsage(srv, c)
  const buckets = memUsageBuckets(srv)
  const bucket = buckets[memUsageBucketIndex(c.lastMemoryUsage)] as ClientMemBucket
  bucket.memUsageSum += c.lastMemoryUsage
  if (bucket !== c.memUsageBucket) {
    c.memUsageBucket?.clients.delete(c)
    c.memUsageBucket = bucket
    bucket.clients.add(c)
  }
  return true
}

/** config.c applyClientMaxMemoryUsage, after CONFIG SET maxmemory-clients. */
export function applyClientMaxMemoryUsage(srv: ServerState): void {
  const on = maxmemoryClients(srv) !== 0
  if (on && srv.clientMemBuckets !== null) return
  if (on) memUsageBuckets(srv)
  for (const c of srv.clients.values()) {
    if (on) updateClientMemUsageAndBucket(srv, c)
    else removeClientFromMemUsageBucket(srv, c, false)
  }
  if (!on) srv.clientMemBuckets = null
}

/** getClientEvictionLimit: the limit in bytes, 0 for none. */
export function getClientEvictionLimit(srv: ServerState): number {
  const v = maxmemoryClients(srv)
  let limit: number
  if (v < 0 && srv.config.maxmemory > 0) limit = Math.floor((srv.config.maxmemory * -v) / 100)
  else if (v > 0) limit = v
  else return 0
  // Not so small that no client could talk to the server at all.
  return Math.max(limit, 128 * 1024)
}

/**
 * evictClients: frees clients from the biggest bucket down until the normal and pub/sub
 * clients' memory is under the limit. `free` frees one (the caller's freeClient); the
 * count goes to INFO evicted_clients.
 */
export function evictClients(srv: ServerState, free: (c: Client) => void): void {
  const buckets = srv.clientMemBuckets
  if (buckets === null) return
  const limit = getClientEvictionLimit(srv)
  if (limit === 0) return
  let b = CLIENT_MEM_USAGE_BUCKETS - 1
  let iter = (buckets[b] as ClientMemBucket).clients.values()
  while (srv.clientsNormalMemory >= limit) {
    const next = iter.next()
    if (next.done !== true) {
      free(next.value)
      srv.stats.evictedClients++
    } else {
      b--
      // "Over client maxmemory after evicting all evictable clients".
      if (b < 0) break
      iter = (buckets[b] as ClientMemBucket).clients.values()
    }
  }
}
