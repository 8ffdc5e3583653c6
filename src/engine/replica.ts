/**
 * The replica side of replication.c (7.0.15): REPLICAOF host port makes this server follow a
 * master, connect to it, synchronize and then apply its stream.
 *
 * The engine has no network: the host does the socket I/O (MasterLinkHost, set with
 * setMasterLinkHost). The engine asks it to connect, write and close; the host reports the
 * connect, the bytes read and the close back (masterLinkConnected, masterLinkRead,
 * masterLinkClosed), and the engine runs syncWithMaster's state machine over them:
 *
 *   CONNECT -> CONNECTING -> RECEIVE_PING_REPLY -> SEND_HANDSHAKE (AUTH with masterauth /
 *   masteruser, REPLCONF listening-port, [ip-address], capa eof capa psync2) ->
 *   RECEIVE_AUTH/PORT/IP/CAPA_REPLY -> SEND_PSYNC -> RECEIVE_PSYNC_REPLY -> TRANSFER
 *   (readSyncBulkPayload: "$<len>" or "$EOF:<mark>") -> CONNECTED
 *
 * After the transfer the dataset is emptied and the payload loaded (rdbLoad), then the
 * master client applies the stream (its commands answer nothing, except REPLCONF GETACK),
 * its offset moves on by the bytes applied, and the stream is proxied to this server's own
 * replicas. replicationCron (once a second) times out a silent handshake, transfer or master,
 * sends REPLCONF ACK <offset>, and connects again from CONNECT. A lost link caches the master
 * (replid, offset) so that the next sync may be a partial one (PSYNC <replid> <offset+1>,
 * +CONTINUE).
 *
 * Without a host (the browser) every connect is refused at the next poll (the host's
 * beforeSleep, RedisServer.drainOutbox, or the next cron tick): "Error condition on socket
 * for SYNC: Connection refused", back to CONNECT, so a ROLE inside the same EXEC still says
 * "connecting", one sent later "connect".
 */
import type { ExecContext } from './context.ts'
import type { Client, ServerState } from './state.ts'
import { serverLog, type LogLevel } from './serverLog.ts'
import { setOOMScoreAdj } from './oomScoreAdj.ts'
import {
  changeReplicationId,
  clearReplicationId2,
  createReplicationBacklog,
  feedReplicationStream,
  freeReplicationBacklog,
  replicaClosed,
  replicationGetSlaveName,
  type MasterClientState,
  type MasterLinkState,
} from './replication.ts'
import { array, bulk, integer, type Reply } from './reply.ts'
import {
  dictAddOrFindEntry,
  dictCreate,
  dictGetVal,
  dictSetVal,
  dictSize,
} from './structures/dict.ts'
import { emptyData, type RedisDb } from './keyspace/db.ts'
import {
  respEncodeCommand,
  respReplyReaderCreate,
  respReplyReaderFeed,
  respReplyReaderNext,
} from './resp.ts'
import { rdbLoadFile, type ServerLogLine } from './rdbDecode.ts'
import { rdbLoadImage } from './rdbReload.ts'
import { rdbLogLoadDone, rdbRemoveSyncFile, rdbSaveSyncPayload } from './rdb.ts'
import { freeClientLogged } from './commands/connection.ts'
import type { ClientId, MasterLinkHost } from './api.ts'
/** Redis logs a refused connect with strerror(ECONNREFUSED). */
const CONNECTION_REFUSED = 'Connection refused'

/** server.h CONFIG_RUN_ID_SIZE: a replication ID, and the diskless transfer's EOF mark. */
const RUN_ID_SIZE = 40

/** The host's socket I/O for the link to the master, per server (not plain data). */
const linkHosts = new WeakMap<ServerState, MasterLinkHost>()

/** Where the engine asks for its master link (the RESP host); null: none (the browser). */
export function setMasterLinkHost(srv: ServerState, host: MasterLinkHost | null): void {
  if (host === null) linkHosts.delete(srv)
  else linkHosts.set(srv, host)
}

/**
 * What the engine's server gives the link: the master client is a client of its own, and
 * its commands run as any client's do (call), with no reply sent.
 */
export interface MasterClientHooks {
  /** createClient for the master's connection. */
  createClient(): Client
  /** processCommand + call for the master client (its reply is dropped). */
  run(c: Client, argv: readonly string[]): void
}

/** server.masterhost is set: this server follows a master. */
export function isReplica(srv: ServerState): boolean {
  return srv.repl.masterhost !== null
}

/** server.repl_slave_ro on a replica: writes from clients are refused (processCommand). */
export function isReadOnlyReplica(srv: ServerState): boolean {
  return srv.repl.masterhost !== null && srv.config.other['replica-read-only'] !== 'no'
}

/** c->flags & CLIENT_MASTER: the client runs the master's stream. */
export function isMasterClient(srv: ServerState, c: Client): boolean {
  return srv.repl.master !== null && srv.repl.master.client === c.id
}

/**
 * processCommand's MASTERDOWN condition: a replica whose link is down with
 * replica-serve-stale-data no.
 */
export function replicaServesNoStaleData(srv: ServerState): boolean {
  return (
    srv.repl.masterhost !== null &&
    srv.repl.linkState !== 'connected' &&
    srv.config.other['replica-serve-stale-data'] === 'no'
  )
}

/** slaveIsInHandshakeState: between RECEIVE_PING_REPLY and RECEIVE_PSYNC_REPLY. */
function inHandshake(srv: ServerState): boolean {
  const s = srv.repl.linkState
  return (
    s !== 'none' && s !== 'connect' && s !== 'connecting' && s !== 'transfer' && s !== 'connected'
  )
}

/** connectWithMaster: a non-blocking connect to the master (refused later without a host). */
function connectWithMaster(srv: ServerState): void {
  const r = srv.repl
  const host = linkHosts.get(srv)
  if (host !== undefined && r.masterhost !== null) {
    const link: MasterLinkState = {
      id: ++r.linkSeq,
      buf: '',
      lastio: srv.unixtime,
      transferSize: -1,
      transferRead: 0,
      payload: '',
      eofMark: null,
      psyncContinue: false,
    }
    r.link = link
    host.connect(link.id, r.masterhost, r.masterport)
  }
  r.linkState = 'connecting'
  serverLog(srv, 'notice', 'MASTER <-> REPLICA sync started')
}

/** undoConnectWithMaster: the link's connection is closed. */
function undoConnectWithMaster(srv: ServerState): void {
  const link = srv.repl.link
  if (link === null) return
  srv.repl.link = null
  linkHosts.get(srv)?.close(link.id)
}

/** Writes bytes on the link (sendCommand; the master client's ACKs). */
function linkWrite(srv: ServerState, bytes: string): void {
  const link = srv.repl.link
  if (link !== null) linkHosts.get(srv)?.write(link.id, bytes)
}

/**
 * cancelReplicationHandshake: a connect, handshake or transfer in progress is dropped, back
 * to CONNECT; with `reconnect`, connects again at once. Whether there was one.
 */
function cancelReplicationHandshake(srv: ServerState, reconnect: boolean): boolean {
  const r = srv.repl
  if (r.linkState !== 'connecting' && r.linkState !== 'transfer' && !inHandshake(srv)) return false
  undoConnectWithMaster(srv)
  r.linkState = 'connect'
  if (!reconnect || r.masterhost === null) return true
  serverLog(
    srv,
    'notice',
    `Reconnecting to MASTER ${r.masterhost}:${String(r.masterport)} after failure`,
  )
  connectWithMaster(srv)
  return true
}

/**
 * replication.c useDisklessLoad: repl-diskless-load swapdb, or on-empty-db with no keys: the payload is
 * loaded from the socket, never written as the RDB file.
 */
function disklessLoadWanted(srv: ServerState): boolean {
  const mode = srv.config.other['repl-diskless-load'] ?? 'disabled'
  return (
    mode === 'swapdb' || (mode === 'on-empty-db' && srv.dbs.every((db) => dictSize(db.dict) === 0))
  )
}

/** replicationDiscardCachedMaster. */
function replicationDiscardCachedMaster(srv: ServerState): void {
  if (srv.repl.cachedMaster === null) return
  serverLog(srv, 'notice', 'Discarding previously cached master state.')
  srv.repl.cachedMaster = null
}

/**
 * networking.c disconnectSlaves: each replica attached to this server is freed, logged
 * "Connection with replica <addr>:<port> lost.".
 */
export function disconnectSlaves(srv: ServerState, ctx: ExecContext): void {
  for (const id of [...srv.repl.replicas]) {
    const cl = srv.clients.get(id)
    // freeClient logs the replica's loss.
    if (cl === undefined) replicaClosed(srv, id)
    else freeClientLogged(srv, cl, ctx, '', 'roleChanged')
  }
}

/** freeClient of a replica: "Connection with replica <name> lost.", out of the replicas. */
export function replicaFreed(srv: ServerState, c: Client): void {
  serverLog(srv, 'warning', `Connection with replica ${replicationGetSlaveName(srv, c)} lost.`)
  replicaClosed(srv, c.id)
}

/**
 * The master client goes away (freeClient of server.master): "Connection with master lost.",
 * then replicationCacheMaster keeps its replid and offset, and
 * replicationHandleMasterDisconnection connects again at once.
 */
export function freeMasterClient(srv: ServerState, ctx: ExecContext): void {
  const r = srv.repl
  const m = r.master
  if (m === null) return
  serverLog(srv, 'warning', 'Connection with master lost.')
  serverLog(srv, 'notice', 'Caching the disconnected master state.')
  const c = srv.clients.get(m.client)
  r.cachedMaster = { replid: m.replid, reploff: m.reploff, db: c?.db ?? 0 }
  r.master = null
  undoConnectWithMaster(srv)
  if (c !== undefined) freeClientLogged(srv, c, ctx, '', 'masterLost')
  // replicationHandleMasterDisconnection.
  r.linkState = 'connect'
  r.downSince = srv.unixtime
  if (r.masterhost !== null) {
    serverLog(srv, 'notice', `Reconnecting to MASTER ${r.masterhost}:${String(r.masterport)}`)
    connectWithMaster(srv)
  }
}

/**
 * replication.c replicationSetMaster: follow host:port. Clients blocked in a command are
 * unblocked with an error and closed (disconnectAllBlockedClients, done by the caller, which
 * owns the blocking code); a server that was a master keeps its own ID and offset as a cached
 * master (to PSYNC from where it is); then the first connect.
 */
export function replicationSetMaster(
  srv: ServerState,
  ctx: ExecContext,
  host: string,
  port: number,
): void {
  const r = srv.repl
  const wasMaster = r.masterhost === null
  // freeClient(server.master) first, with masterhost unset: it must not reconnect.
  r.masterhost = null
  freeMasterClient(srv, ctx)
  r.masterhost = host
  r.masterport = port
  syncReplicaOfConfig(srv)
  setOOMScoreAdj(srv)
  cancelReplicationHandshake(srv, false)
  if (wasMaster) {
    replicationDiscardCachedMaster(srv)
    serverLog(
      srv,
      'notice',
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    )
    r.cachedMaster = { replid: r.replid, reploff: r.masterReplOffset, db: 0 }
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
export function replicationUnsetMaster(srv: ServerState, ctx: ExecContext): void {
  const r = srv.repl
  if (r.masterhost === null) return
  r.masterhost = null
  freeMasterClient(srv, ctx)
  syncReplicaOfConfig(srv)
  replicationDiscardCachedMaster(srv)
  cancelReplicationHandshake(srv, false)
  // shiftReplicationId: this history stays valid up to master_repl_offset + 1.
  r.replid2 = r.replid
  r.secondReplidOffset = r.masterReplOffset + 1
  changeReplicationId(srv)
  serverLog(
    srv,
    'warning',
    `Setting secondary replication ID to ${r.replid2}, valid up to offset: ${String(r.secondReplidOffset)}. New replication ID is ${r.replid}`,
  )
  r.linkState = 'none'
  r.seldb = -1
  // The backlog's time to live counts from now, not from before the failover.
  r.noSlavesSince = srv.unixtime
  r.downSince = 0
  setOOMScoreAdj(srv)
}

/**
 * The poll after a connect with no host to make it: the socket is in error (syncWithMaster,
 * "Error condition on socket for SYNC"), the replica is back to CONNECT.
 */
export function replicationConnectFailed(srv: ServerState): void {
  if (srv.repl.linkState !== 'connecting' || srv.repl.link !== null) return
  serverLog(srv, 'warning', `Error condition on socket for SYNC: ${CONNECTION_REFUSED}`)
  srv.repl.linkState = 'connect'
}

/** replicationSendAck: REPLCONF ACK <reploff> to the master. */
export function replicationSendAck(srv: ServerState): void {
  const m = srv.repl.master
  if (m === null) return
  linkWrite(srv, respEncodeCommand(['REPLCONF', 'ACK', String(m.reploff)]))
}

/** replication.c replicationCron's replica part (once a second). */
export function replicationCron(srv: ServerState, ctx: ExecContext): void {
  const r = srv.repl
  if (r.masterhost === null) return
  const timeout = Number(srv.config.other['repl-timeout'] ?? '60')
  const now = Math.floor(ctx.clock.now() / 1000)
  if (
    (r.linkState === 'connecting' || inHandshake(srv)) &&
    r.link !== null &&
    now - r.link.lastio > timeout
  ) {
    serverLog(srv, 'warning', 'Timeout connecting to the MASTER...')
    cancelReplicationHandshake(srv, true)
  }
  if (r.linkState === 'transfer' && r.link !== null && now - r.link.lastio > timeout) {
    serverLog(
      srv,
      'warning',
      "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
    )
    cancelReplicationHandshake(srv, true)
  }
  if (
    r.linkState === 'connected' &&
    r.master !== null &&
    now - r.master.lastInteraction > timeout
  ) {
    serverLog(srv, 'warning', 'MASTER timeout: no data nor PING received...')
    freeMasterClient(srv, ctx)
  }
  if (r.linkState === 'connect') {
    serverLog(srv, 'notice', `Connecting to MASTER ${r.masterhost}:${String(r.masterport)}`)
    connectWithMaster(srv)
  }
  if (r.master !== null && r.master.reploff !== -1) replicationSendAck(srv)
}

// --- The link: handshake, transfer, stream (syncWithMaster, readSyncBulkPayload) ---

/** The host's connect completed (syncWithMaster's first call): PING the master. */
export function masterLinkConnected(srv: ServerState, id: number): void {
  const r = srv.repl
  if (r.link?.id !== id) return
  if (r.linkState === 'none') {
    undoConnectWithMaster(srv)
    return
  }
  if (r.linkState !== 'connecting') return
  serverLog(srv, 'notice', 'Non blocking connect for SYNC fired the event.')
  r.linkState = 'receive_ping_reply'
  r.link.lastio = srv.unixtime
  linkWrite(srv, respEncodeCommand(['PING']))
}

/**
 * The link closed (or its connect failed: `error` is the strerror text). The handshake or
 * transfer is cancelled; a connected master is lost and cached.
 */
export function masterLinkClosed(
  srv: ServerState,
  ctx: ExecContext,
  id: number,
  error: string | null,
): void {
  const r = srv.repl
  if (r.link?.id !== id) return
  // Closed already: nothing to ask the host.
  r.link = null
  if (r.linkState === 'connected') {
    freeMasterClient(srv, ctx)
    return
  }
  if (r.linkState === 'connecting') {
    serverLog(srv, 'warning', `Error condition on socket for SYNC: ${error ?? CONNECTION_REFUSED}`)
    undoConnectWithMaster(srv)
    r.linkState = 'connect'
    return
  }
  if (r.linkState === 'transfer') {
    serverLog(srv, 'warning', `I/O error trying to sync with MASTER: ${error ?? 'connection lost'}`)
    cancelReplicationHandshake(srv, true)
    return
  }
  // receiveSynchronousResponse's failed read, then syncWithMaster's no_response_error.
  serverLog(
    srv,
    'warning',
    `Failed to read response from the server: ${error ?? 'Connection reset by peer'}`,
  )
  serverLog(srv, 'warning', 'Master did not respond to command during SYNC handshake')
  undoConnectWithMaster(srv)
  r.linkState = 'connect'
}

/** Takes one line (without its "\r\n" or "\n") from the link's buffer, or null. */
function readLine(link: MasterLinkState): string | null {
  const eol = link.buf.indexOf('\n')
  if (eol < 0) return null
  const line = link.buf.slice(0, eol > 0 && link.buf[eol - 1] === '\r' ? eol - 1 : eol)
  link.buf = link.buf.slice(eol + 1)
  return line
}

/** syncWithMaster's error path: the connection is closed, back to CONNECT. */
function syncError(srv: ServerState): void {
  undoConnectWithMaster(srv)
  srv.repl.linkState = 'connect'
}

/** sendCommand: a command of the handshake, written at once. */
function sendCommand(srv: ServerState, argv: readonly string[]): void {
  linkWrite(srv, respEncodeCommand(argv))
}

/** The handshake's commands, in one go (SEND_HANDSHAKE). */
function sendHandshake(srv: ServerState): void {
  const r = srv.repl
  const cfg = srv.config.other
  const auth = cfg['masterauth'] ?? ''
  if (auth !== '') {
    const user = cfg['masteruser'] ?? ''
    sendCommand(srv, user !== '' ? ['AUTH', user, auth] : ['AUTH', auth])
  }
  const announced = Number(cfg['replica-announce-port'] ?? '0')
  const port = announced !== 0 ? announced : Number(cfg['port'] ?? '6379')
  sendCommand(srv, ['REPLCONF', 'listening-port', String(port)])
  const ip = cfg['replica-announce-ip'] ?? ''
  if (ip !== '') sendCommand(srv, ['REPLCONF', 'ip-address', ip])
  sendCommand(srv, ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'])
  r.linkState = auth !== '' ? 'receive_auth_reply' : 'receive_port_reply'
}

/** slaveTryPartialResynchronization's writing half. */
function sendPsync(srv: ServerState): void {
  const r = srv.repl
  r.masterInitialOffset = -1
  const cached = r.cachedMaster
  if (cached !== null) {
    const offset = String(cached.reploff + 1)
    serverLog(
      srv,
      'notice',
      `Trying a partial resynchronization (request ${cached.replid}:${offset}).`,
    )
    sendCommand(srv, ['PSYNC', cached.replid, offset])
  } else {
    serverLog(srv, 'notice', 'Partial resynchronization not possible (no cached master)')
    sendCommand(srv, ['PSYNC', '?', '-1'])
  }
  r.linkState = 'receive_psync_reply'
}

/**
 * slaveTryPartialResynchronization's reading half: 'wait' for an empty line (a keepalive),
 * 'full' (+FULLRESYNC: the master's replid and offset kept), 'continue', 'later' or
 * 'unsupported'.
 */
function readPsyncReply(
  srv: ServerState,
  ctx: ExecContext,
  reply: string,
): 'wait' | 'full' | 'continue' | 'later' | 'unsupported' {
  const r = srv.repl
  if (reply === '') return 'wait'
  if (reply.startsWith('+FULLRESYNC')) {
    const sp = reply.indexOf(' ')
    const replid = sp < 0 ? null : reply.slice(sp + 1)
    const sp2 = replid === null ? -1 : replid.indexOf(' ')
    if (replid === null || sp2 !== RUN_ID_SIZE) {
      serverLog(srv, 'warning', 'Master replied with wrong +FULLRESYNC syntax.')
      r.masterReplid = ''
    } else {
      r.masterReplid = replid.slice(0, RUN_ID_SIZE)
      r.masterInitialOffset = strtoll(replid.slice(sp2 + 1))
      serverLog(
        srv,
        'notice',
        `Full resync from master: ${r.masterReplid}:${String(r.masterInitialOffset)}`,
      )
    }
    return 'full'
  }
  if (reply.startsWith('+CONTINUE')) {
    serverLog(srv, 'notice', 'Successful partial resynchronization with master.')
    const id = reply.slice(10)
    const cached = r.cachedMaster
    if (id.length === RUN_ID_SIZE && cached !== null && id !== cached.replid) {
      serverLog(srv, 'warning', `Master replication ID changed to ${id}`)
      r.replid2 = cached.replid
      r.secondReplidOffset = r.masterReplOffset + 1
      r.replid = id
      cached.replid = id
      // Our own replicas must learn of the new ID: they PSYNC again.
      disconnectSlaves(srv, ctx)
    }
    return 'continue'
  }
  if (reply.startsWith('-NOMASTERLINK') || reply.startsWith('-LOADING')) {
    serverLog(
      srv,
      'notice',
      `Master is currently unable to PSYNC but should be in the future: ${reply}`,
    )
    return 'later'
  }
  if (!reply.startsWith('-ERR'))
    serverLog(srv, 'warning', `Unexpected reply to PSYNC from master: ${reply}`)
  else
    serverLog(srv, 'notice', `Master does not support PSYNC or is in error state (reply: ${reply})`)
  return 'unsupported'
}

/** strtoll of a decimal prefix (0 when none). */
function strtoll(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s)
  return m === null ? 0 : Number(m[0])
}

/**
 * Bytes the host read on the link: the handshake's replies, the payload, then the master's
 * stream, each taken as far as it goes.
 */
export function masterLinkRead(srv: ServerState, id: number, bytes: string, io: LinkIo): void {
  const { ctx, hooks } = io
  const r = srv.repl
  const link = r.link
  if (link?.id !== id) return
  if (r.master !== null) {
    readFromMaster(srv, bytes, hooks)
    return
  }
  link.buf += bytes
  link.lastio = srv.unixtime
  while (r.link === link && r.master === null && link.buf.length > 0) {
    if (!syncWithMasterStep({ srv, ctx, link, hooks })) return
  }
  // The rest of what was read is the start of the master's stream.
  if (r.link === link && r.master !== null && link.buf.length > 0) {
    const rest = link.buf
    link.buf = ''
    readFromMaster(srv, rest, hooks)
  }
}

/** The context a read of the link runs in, and the engine's way to run the master's commands. */
export interface LinkIo {
  readonly ctx: ExecContext
  readonly hooks: MasterClientHooks
}

/** What each step of the link's state machine works on. */
interface SyncStep {
  readonly srv: ServerState
  readonly ctx: ExecContext
  readonly link: MasterLinkState
  readonly hooks: MasterClientHooks
}

/** One step of syncWithMaster / readSyncBulkPayload; false when more bytes are needed. */
function syncWithMasterStep(run: SyncStep): boolean {
  const { srv, link } = run
  const r = srv.repl
  if (r.linkState === 'transfer') return readSyncBulkPayload(run)
  const line = readLine(link)
  if (line === null) return false
  switch (r.linkState) {
    case 'receive_ping_reply':
      if (
        !line.startsWith('+') &&
        !line.startsWith('-NOAUTH') &&
        !line.startsWith('-NOPERM') &&
        !line.startsWith('-ERR operation not permitted')
      ) {
        serverLog(srv, 'warning', `Error reply to PING from master: '${line}'`)
        syncError(srv)
        return false
      }
      serverLog(srv, 'notice', 'Master replied to PING, replication can continue...')
      r.linkState = 'send_handshake'
      sendHandshake(srv)
      return true
    case 'receive_auth_reply':
      if (line.startsWith('-')) {
        serverLog(srv, 'warning', `Unable to AUTH to MASTER: ${line}`)
        syncError(srv)
        return false
      }
      r.linkState = 'receive_port_reply'
      return true
    case 'receive_port_reply':
      replconfReplied(srv, line, 'listening-port')
      r.linkState =
        (srv.config.other['replica-announce-ip'] ?? '') !== ''
          ? 'receive_ip_reply'
          : 'receive_capa_reply'
      return true
    case 'receive_ip_reply':
      replconfReplied(srv, line, 'ip-address')
      r.linkState = 'receive_capa_reply'
      return true
    case 'receive_capa_reply':
      replconfReplied(srv, line, 'capa')
      r.linkState = 'send_psync'
      sendPsync(srv)
      return true
    case 'receive_psync_reply':
      return psyncReplied(run, line)
    default:
      return false
  }
}

/** A REPLCONF of the handshake answered: an error is not critical (older masters), only logged. */
function replconfReplied(srv: ServerState, line: string, what: string): void {
  if (line.startsWith('-'))
    serverLog(srv, 'notice', `(Non critical) Master does not understand REPLCONF ${what}: ${line}`)
}

/** syncWithMaster after the PSYNC reply: CONTINUE goes on, a full sync waits for the payload. */
function psyncReplied(run: SyncStep, line: string): boolean {
  const { srv, link, hooks } = run
  const r = srv.repl
  const result = readPsyncReply(srv, run.ctx, line)
  if (result === 'wait') return true
  if (result === 'later') {
    syncError(srv)
    return false
  }
  if (result === 'continue') {
    replicationResurrectCachedMaster(srv, hooks)
    serverLog(
      srv,
      'notice',
      'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    )
    return true
  }
  if (result === 'unsupported') {
    serverLog(srv, 'notice', 'Retrying with SYNC...')
    linkWrite(srv, 'SYNC\r\n')
  }
  r.linkState = 'transfer'
  link.transferSize = -1
  link.transferRead = 0
  link.payload = ''
  link.eofMark = null
  link.lastio = srv.unixtime
  return true
}

/** readSyncBulkPayload: the bulk's header, then its bytes; at the end the dataset is loaded. */
function readSyncBulkPayload(run: SyncStep): boolean {
  const { srv, link } = run
  if (link.transferSize === -1) {
    const line = readLine(link)
    if (line === null) return false
    if (line.startsWith('-')) {
      serverLog(srv, 'warning', `MASTER aborted replication with an error: ${line.slice(1)}`)
      cancelReplicationHandshake(srv, true)
      return false
    }
    // A newline keeps the link alive while the master prepares the payload.
    if (line === '') return true
    if (!line.startsWith('$')) {
      serverLog(
        srv,
        'warning',
        `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`,
      )
      cancelReplicationHandshake(srv, true)
      return false
    }
    if (line.startsWith('$EOF:') && line.length - 5 >= RUN_ID_SIZE) {
      link.eofMark = line.slice(5, 5 + RUN_ID_SIZE)
      link.transferSize = 0
      serverLog(
        srv,
        'notice',
        `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${disklessLoadWanted(srv) ? 'to parser' : 'to disk'}`,
      )
    } else {
      link.transferSize = strtoll(line.slice(1))
      serverLog(
        srv,
        'notice',
        `MASTER <-> REPLICA sync: receiving ${String(link.transferSize)} bytes from master ${disklessLoadWanted(srv) ? 'to parser' : 'to disk'}`,
      )
    }
    return true
  }
  let eofReached = false
  if (link.eofMark !== null) {
    link.payload += link.buf
    link.transferRead += link.buf.length
    link.buf = ''
    if (link.payload.endsWith(link.eofMark)) {
      link.payload = link.payload.slice(0, -RUN_ID_SIZE)
      eofReached = true
    }
  } else {
    const take = Math.min(link.buf.length, link.transferSize - link.transferRead)
    link.payload += link.buf.slice(0, take)
    link.buf = link.buf.slice(take)
    link.transferRead += take
    eofReached = link.transferRead === link.transferSize
  }
  if (!eofReached) return false
  return syncLoadPayload(run)
}

/** The log lines of rdbLoad, at their level. */
function logLines(srv: ServerState, lines: readonly ServerLogLine[]): void {
  for (const line of lines) {
    const level: LogLevel = line.level === '#' ? 'warning' : line.level === '.' ? 'debug' : 'notice'
    serverLog(srv, level, line.text)
  }
}

/**
 * readSyncBulkPayload's end: a new master's data (replicationAttachToNewMaster: the cached
 * master and our own replicas go), the old data flushed, the payload loaded, the master
 * client created with the master's replid and offset.
 */
function syncLoadPayload(run: SyncStep): boolean {
  const { srv, ctx, link, hooks } = run
  const r = srv.repl
  const payload = link.payload
  link.payload = ''
  const disklessLoad = disklessLoadWanted(srv)
  replicationDiscardCachedMaster(srv)
  disconnectSlaves(srv, ctx)
  freeReplicationBacklog(srv)
  serverLog(srv, 'notice', 'MASTER <-> REPLICA sync: Flushing old data')
  emptyData(srv, ctx, -1)
  serverLog(srv, 'notice', 'MASTER <-> REPLICA sync: Loading DB in memory')
  // Loading from disk: the payload is the replica's RDB file now (a restart loads it).
  if (!disklessLoad && !rdbSaveSyncPayload(srv, payload)) {
    cancelReplicationHandshake(srv, true)
    return false
  }
  const nowSec = Math.floor(ctx.clock.now() / 1000)
  const lines: ServerLogLine[] = []
  const read = rdbLoadFile(srv, payload, nowSec, lines)
  logLines(srv, lines)
  if (!read.ok || !rdbLoadImage(srv, ctx, { dbs: read.dbs, aux: read.aux }, false)) {
    serverLog(
      srv,
      'warning',
      'Failed trying to load the MASTER synchronization DB from disk: Invalid argument',
    )
    cancelReplicationHandshake(srv, true)
    return false
  }
  rdbLogLoadDone(srv, read.emptyKeysSkipped)
  if (!disklessLoad) rdbRemoveSyncFile(srv)
  let streamDb = -1
  for (const [key, val] of read.aux) if (key === 'repl-stream-db') streamDb = strtoll(val)
  const c = replicationCreateMasterClient(srv, hooks, r.masterReplid, r.masterInitialOffset)
  if (streamDb >= 0 && streamDb < srv.dbs.length) c.db = streamDb
  // A full sync starts the master's history: its ID and offset, no previous one.
  r.replid = r.masterReplid
  r.masterReplOffset = r.masterInitialOffset
  clearReplicationId2(srv)
  createReplicationBacklog(srv)
  serverLog(srv, 'notice', 'MASTER <-> REPLICA sync: Finished with success')
  if (link.eofMark !== null) replicationSendAck(srv)
  return true
}

/** replicationResurrectCachedMaster: the cached master goes on over the new link. */
function replicationResurrectCachedMaster(srv: ServerState, hooks: MasterClientHooks): void {
  const r = srv.repl
  const cached = r.cachedMaster
  if (cached === null) return
  r.cachedMaster = null
  const c = replicationCreateMasterClient(srv, hooks, cached.replid, cached.reploff)
  // The same client goes on: in the db it had selected.
  c.db = cached.db
  if (!r.backlog) createReplicationBacklog(srv)
}

/**
 * replicationCreateMasterClient: the client that applies the master's stream, from `reploff`
 * on; the link is up (REPL_STATE_CONNECTED).
 */
function replicationCreateMasterClient(
  srv: ServerState,
  hooks: MasterClientHooks,
  replid: string,
  reploff: number,
): Client {
  const r = srv.repl
  const c = hooks.createClient()
  r.master = {
    client: c.id,
    replid,
    reploff,
    readReploff: reploff,
    querybuf: '',
    need: 0,
    lastInteraction: srv.unixtime,
    held: false,
    unapplied: '',
  }
  r.linkState = 'connected'
  r.downSince = 0
  return c
}

/**
 * readQueryFromClient + processInputBuffer for the master client: every whole command in its
 * query buffer runs (no reply), its offset moves on by the bytes applied, which go on to this
 * server's replicas (replicationFeedStreamFromMasterStream).
 */
function readFromMaster(srv: ServerState, bytes: string, hooks: MasterClientHooks): void {
  const m = srv.repl.master
  if (m === null) return
  m.querybuf += bytes
  m.readReploff += bytes.length
  m.lastInteraction = srv.unixtime
  processMasterInput(srv, m, hooks)
}

/**
 * The master client's blocked command ran at last (a CLIENT PAUSE ended): its bytes are
 * applied, and the rest of the query buffer runs.
 */
export function masterClientResumed(srv: ServerState, hooks: MasterClientHooks): void {
  const m = srv.repl.master
  if (m === null || !m.held) return
  m.held = false
  const c = srv.clients.get(m.client)
  if (c !== undefined) masterCommandApplied(srv, m, c)
  processMasterInput(srv, m, hooks)
}

/**
 * commandProcessed for the master client: outside a transaction the bytes run so far are
 * applied (reploff) and go on to our own replicas, as they came; a transaction's wait for
 * its EXEC (a link lost meanwhile resends it whole).
 */
function masterCommandApplied(srv: ServerState, m: MasterClientState, c: Client): void {
  if (c.multi !== null || m.unapplied === '') return
  const bytes = m.unapplied
  m.unapplied = ''
  m.reploff += bytes.length
  feedReplicationStream(srv, bytes)
}

/** processInputBuffer for the master client: its whole commands, until one is held. */
function processMasterInput(
  srv: ServerState,
  m: MasterClientState,
  hooks: MasterClientHooks,
): void {
  if (m.held || m.querybuf.length < m.need) return
  const reader = respReplyReaderCreate()
  respReplyReaderFeed(reader, m.querybuf)
  for (;;) {
    const c = srv.repl.master === m ? srv.clients.get(m.client) : undefined
    if (c === undefined) return
    let next
    try {
      next = respReplyReaderNext(reader)
    } catch {
      // A protocol error closes the master's connection.
      m.querybuf = ''
      m.need = 0
      return
    }
    if (next === null) {
      m.need = requestNeed(reader.buf, reader.pos)
      break
    }
    // A command held by a pause ends this pass with the rest unparsed: nothing is owed.
    m.need = 0
    m.unapplied += next.raw
    const argv = commandArgv(next.reply)
    if (argv !== null && argv.length > 0) hooks.run(c, argv)
    if (srv.repl.master !== m) return
    if (c.bpop !== null) {
      // Held by a CLIENT PAUSE: applied when it runs (masterClientResumed).
      m.held = true
      break
    }
    masterCommandApplied(srv, m, c)
  }
  m.querybuf = reader.buf.slice(reader.pos)
}

/**
 * How many bytes from `pos` the request starting there needs at least, as far as its
 * multibulk headers read so far tell: past an argument whose `$len` is read but whose bytes
 * are not all there. 0 when the headers tell nothing more (a header line is cut, or the
 * request is not a multibulk).
 */
export function requestNeed(s: string, pos: number): number {
  if (s.charCodeAt(pos) !== 42) return 0 // '*'
  let eol = s.indexOf('\r\n', pos)
  if (eol < 0) return 0
  const argc = Number(s.slice(pos + 1, eol))
  let at = eol + 2
  for (let i = 0; i < argc; i++) {
    if (s.charCodeAt(at) !== 36) return 0 // '$'
    eol = s.indexOf('\r\n', at)
    if (eol < 0) return 0
    const len = Number(s.slice(at + 1, eol))
    if (!Number.isSafeInteger(len) || len < 0) return 0
    at = eol + 2 + len + 2
    if (at > s.length) return at - pos
  }
  return 0
}

/** A multibulk request as an argv (bulk strings), or null for anything else. */
function commandArgv(reply: Reply): string[] | null {
  if (reply.type !== 'array' || reply.value === null) return null
  const argv: string[] = []
  for (const item of reply.value) {
    if (item.type !== 'bulk' || item.value === null) return null
    argv.push(item.value)
  }
  return argv
}

/** replication.c replicationGetSlaveOffset-like: the master client's (or cached) offset. */
function slaveOffsets(srv: ServerState): { reploff: number; read: number } {
  const r = srv.repl
  if (r.master !== null) return { reploff: r.master.reploff, read: r.master.readReploff }
  if (r.cachedMaster !== null)
    return { reploff: r.cachedMaster.reploff, read: r.cachedMaster.reploff }
  return { reploff: 1, read: 1 }
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

/** roleCommand's state name of the link. */
function roleLinkState(srv: ServerState): string {
  const s = srv.repl.linkState
  if (inHandshake(srv)) return 'handshake'
  return s === 'transfer' ? 'sync' : s
}

/** replication.c roleCommand for a replica: slave, host, port, link state, offset. */
export function replicaRoleReply(srv: ServerState): Reply {
  const r = srv.repl
  return array([
    bulk('slave'),
    bulk(r.masterhost ?? ''),
    integer(r.masterport),
    bulk(roleLinkState(srv)),
    integer(r.master !== null ? r.master.reploff : -1),
  ])
}

/** server.c genRedisInfoString's replica lines of "# Replication" (role to connected_slaves). */
export function replicaInfoFields(srv: ServerState): [string, string | number][] {
  const r = srv.repl
  const { reploff, read } = slaveOffsets(srv)
  const fields: [string, string | number][] = [
    ['master_host', r.masterhost ?? ''],
    ['master_port', r.masterport],
    ['master_link_status', r.linkState === 'connected' ? 'up' : 'down'],
    [
      'master_last_io_seconds_ago',
      r.master === null ? -1 : srv.unixtime - r.master.lastInteraction,
    ],
    ['master_sync_in_progress', r.linkState === 'transfer' ? 1 : 0],
    ['slave_read_repl_offset', read],
    ['slave_repl_offset', reploff],
  ]
  const link = r.link
  if (r.linkState === 'transfer' && link !== null) {
    const perc = link.transferSize !== 0 ? (link.transferRead / link.transferSize) * 100 : 0
    fields.push(
      ['master_sync_total_bytes', link.transferSize],
      ['master_sync_read_bytes', link.transferRead],
      ['master_sync_left_bytes', link.transferSize - link.transferRead],
      ['master_sync_perc', perc.toFixed(2)],
      ['master_sync_last_io_seconds_ago', srv.unixtime - link.lastio],
    )
  }
  if (r.linkState !== 'connected')
    fields.push([
      'master_link_down_since_seconds',
      r.downSince !== 0 ? srv.unixtime - r.downSince : -1,
    ])
  fields.push(
    ['slave_priority', Number(srv.config.other['replica-priority'] ?? '100')],
    ['slave_read_only', isReadOnlyReplica(srv) ? 1 : 0],
    ['replica_announced', srv.config.other['replica-announced'] === 'no' ? 0 : 1],
  )
  return fields
}

/** The master client's id, for the host and CLIENT LIST (flags M). */
export function masterClientId(srv: ServerState): ClientId | null {
  return srv.repl.master?.client ?? null
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
