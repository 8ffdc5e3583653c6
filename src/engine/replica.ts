/**
 * The replica side of replication.c (7.0.15), for a master that is never reached: the engine
 * has no network (the browser cannot dial out, and `npm run serve` does not), so a server
 * told to follow a master stays as Redis is while every connection to it is refused.
 *
 * - REPLICAOF host port (replicationSetMaster): the server is a replica at once (role:slave,
 *   writes refused with READONLY while replica-read-only holds, no active expiry, no
 *   eviction with replica-ignore-maxmemory) and starts a non-blocking connect
 *   (connectWithMaster: CONNECTING, "MASTER <-> REPLICA sync started").
 * - The event loop's next poll reports the connect failed (syncWithMaster's error path):
 *   "Error condition on socket for SYNC: Connection refused", back to CONNECT. Here that
 *   poll is the host's beforeSleep (RedisServer.drainOutbox) or the next cron tick, so a
 *   ROLE inside the same EXEC still says "connecting", one sent later "connect".
 * - replicationCron, once a second, connects again from CONNECT, and fails again.
 * - REPLICAOF NO ONE (replicationUnsetMaster): back to master with a new replication ID, the
 *   old one kept as replid2 up to offset 1 (shiftReplicationId).
 *
 * The link never comes up: master_link_status stays down, no data is ever received, and the
 * dataset is the one the server had (replicationCacheMasterUsingMyself keeps its offset).
 */
import type { ExecContext } from './context.ts'
import type { ServerState } from './state.ts'
import { serverLog } from './serverLog.ts'
import { setOOMScoreAdj } from './oomScoreAdj.ts'
import { changeReplicationId } from './replication.ts'
import { array, bulk, integer, type Reply } from './reply.ts'
import {
  dictAddOrFindEntry,
  dictCreate,
  dictGetVal,
  dictSetVal,
  dictSize,
} from './structures/dict.ts'
import type { RedisDb } from './keyspace/db.ts'

/** Redis logs a refused connect with strerror(ECONNREFUSED). */
const CONNECTION_REFUSED = 'Connection refused'

/** server.masterhost is set: this server follows a master. */
export function isReplica(srv: ServerState): boolean {
  return srv.repl.masterhost !== null
}

/** server.repl_slave_ro on a replica: writes from clients are refused (processCommand). */
export function isReadOnlyReplica(srv: ServerState): boolean {
  return srv.repl.masterhost !== null && srv.config.other['replica-read-only'] !== 'no'
}

/**
 * processCommand's MASTERDOWN condition: a replica whose link is down (always, here) with
 * replica-serve-stale-data no.
 */
export function replicaServesNoStaleData(srv: ServerState): boolean {
  return srv.repl.masterhost !== null && srv.config.other['replica-serve-stale-data'] === 'no'
}

/** connectWithMaster: the non-blocking connect is under way (it will be refused). */
function connectWithMaster(srv: ServerState): void {
  srv.repl.linkState = 'connecting'
  serverLog(srv, 'notice', 'MASTER <-> REPLICA sync started')
}

/** cancelReplicationHandshake(0): a connect in flight is dropped, back to CONNECT. */
function cancelReplicationHandshake(srv: ServerState): void {
  if (srv.repl.linkState === 'connecting') srv.repl.linkState = 'connect'
}

/** replicationDiscardCachedMaster. */
function replicationDiscardCachedMaster(srv: ServerState): void {
  if (!srv.repl.cachedMaster) return
  serverLog(srv, 'notice', 'Discarding previously cached master state.')
  srv.repl.cachedMaster = false
}

/**
 * replication.c replicationSetMaster: follow host:port. Clients blocked in a command are
 * unblocked with an error and closed (disconnectAllBlockedClients, done by the caller, which
 * owns the blocking code); a server that was a master keeps its own ID and offset as a cached
 * master (to PSYNC from where it is); then the first connect.
 */
export function replicationSetMaster(srv: ServerState, host: string, port: number): void {
  const r = srv.repl
  const wasMaster = r.masterhost === null
  r.masterhost = host
  r.masterport = port
  syncReplicaOfConfig(srv)
  setOOMScoreAdj(srv)
  cancelReplicationHandshake(srv)
  if (wasMaster) {
    replicationDiscardCachedMaster(srv)
    serverLog(
      srv,
      'notice',
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    )
    r.cachedMaster = true
  }
  r.linkState = 'connect'
  serverLog(srv, 'notice', `Connecting to MASTER ${host}:${String(port)}`)
  connectWithMaster(srv)
}

/**
 * replication.c replicationUnsetMaster: a master again. The replicas attached to this server
 * are disconnected (they must learn the new replication ID): the caller frees them
 * (disconnectSlaves); the next stream starts with a SELECT.
 */
export function replicationUnsetMaster(srv: ServerState): void {
  const r = srv.repl
  if (r.masterhost === null) return
  r.masterhost = null
  syncReplicaOfConfig(srv)
  replicationDiscardCachedMaster(srv)
  cancelReplicationHandshake(srv)
  // shiftReplicationId: this history stays valid up to master_repl_offset + 1.
  r.replid2 = r.replid
  r.secondReplidOffset = 1
  changeReplicationId(srv)
  serverLog(
    srv,
    'warning',
    `Setting secondary replication ID to ${r.replid2}, valid up to offset: ${String(r.secondReplidOffset)}. New replication ID is ${r.replid}`,
  )
  r.linkState = 'none'
  r.seldb = -1
  setOOMScoreAdj(srv)
}

/**
 * The poll after a connect: the socket is in error (syncWithMaster, "Error condition on
 * socket for SYNC"), the connection is closed and the replica is back to CONNECT.
 */
export function replicationConnectFailed(srv: ServerState): void {
  if (srv.repl.linkState !== 'connecting') return
  serverLog(srv, 'warning', `Error condition on socket for SYNC: ${CONNECTION_REFUSED}`)
  srv.repl.linkState = 'connect'
}

/** replication.c replicationCron (once a second): a replica in CONNECT connects again. */
export function replicationCron(srv: ServerState): void {
  const r = srv.repl
  if (r.linkState !== 'connect' || r.masterhost === null) return
  serverLog(srv, 'notice', `Connecting to MASTER ${r.masterhost}:${String(r.masterport)}`)
  connectWithMaster(srv)
}

/** config.c setConfigReplicaOfOption at startup: `replicaof host port` in the config. */
export function replicaOfFromConfig(srv: ServerState, value: string): void {
  // The value as the config file or --replicaof gave it, words split on single spaces.
  const words = value === '' ? [] : value.split(' ')
  const [host = '', port = ''] = words
  if (words.length === 2 && !(host.toLowerCase() === 'no' && port.toLowerCase() === 'one')) {
    srv.repl.masterhost = host
    // strtol of the checked port ("" reads as 0).
    srv.repl.masterport = Number(port.trim()) || 0
    srv.repl.linkState = 'connect'
  }
  syncReplicaOfConfig(srv)
}

/** CONFIG GET replicaof reads server.masterhost and masterport (getConfigReplicaOfOption). */
function syncReplicaOfConfig(srv: ServerState): void {
  const r = srv.repl
  srv.config.other['replicaof'] =
    r.masterhost === null ? '' : `${r.masterhost} ${String(r.masterport)}`
}

/** replication.c roleCommand for a replica: slave, host, port, link state, offset -1. */
export function replicaRoleReply(srv: ServerState): Reply {
  const r = srv.repl
  return array([
    bulk('slave'),
    bulk(r.masterhost ?? ''),
    integer(r.masterport),
    bulk(r.linkState),
    // server.master ? server.master->reploff : -1: there is never a master client.
    integer(-1),
  ])
}

/**
 * server.c genRedisInfoString's replica lines of "# Replication" (between role and
 * connected_slaves) for a link that is down and has never been up.
 */
export function replicaInfoFields(srv: ServerState): [string, string | number][] {
  const r = srv.repl
  // The cached master's offset (the master_repl_offset it was made with, 0), else 1.
  const offset = r.cachedMaster ? 0 : 1
  return [
    ['master_host', r.masterhost ?? ''],
    ['master_port', r.masterport],
    ['master_link_status', 'down'],
    ['master_last_io_seconds_ago', -1],
    ['master_sync_in_progress', 0],
    ['slave_read_repl_offset', offset],
    ['slave_repl_offset', offset],
    // repl_down_since is 0 until a link that was up goes down: never here.
    ['master_link_down_since_seconds', -1],
    ['slave_priority', Number(srv.config.other['replica-priority'] ?? '100')],
    ['slave_read_only', isReadOnlyReplica(srv) ? 1 : 0],
    ['replica_announced', srv.config.other['replica-announced'] === 'no' ? 0 : 1],
  ]
}

// --- Keys with an expire set on a writable replica (expire.c) ---

/** server.h: a db past 63 has no bit in slaveKeysWithExpire's bitmaps. */
const SLAVE_KEYS_MAX_DB = 63

/**
 * expire.c rememberSlaveKeyWithExpire (from setExpire, for a client's command on a writable
 * replica): remember the key and its db, for expireSlaveKeys to reclaim.
 */
export function rememberSlaveKeyWithExpire(
  srv: ServerState,
  ctx: ExecContext,
  db: RedisDb,
  key: string,
): void {
  const r = srv.repl
  r.slaveKeysWithExpire ??= dictCreate<bigint>('replica:slaveKeysWithExpire', srv.hashSeed)
  if (db.id > SLAVE_KEYS_MAX_DB) return
  const de = dictAddOrFindEntry(ctx, r.slaveKeysWithExpire, key, 0n)
  const dbids = dictGetVal(r.slaveKeysWithExpire, de)
  dictSetVal(r.slaveKeysWithExpire, de, dbids | (1n << BigInt(db.id)))
}

/** expire.c getSlaveKeyWithExpireCount (INFO's slave_expires_tracked_keys). */
export function getSlaveKeyWithExpireCount(srv: ServerState): number {
  const d = srv.repl.slaveKeysWithExpire
  return d === null ? 0 : dictSize(d)
}

/** expire.c flushSlaveKeysWithExpireList (emptyData of every db: FLUSHALL, DEBUG RELOAD). */
export function flushSlaveKeysWithExpireList(srv: ServerState): void {
  srv.repl.slaveKeysWithExpire = null
}
