/**
 * The replication stream of a master (server.c alsoPropagate, propagatePendingCommands,
 * call; replication.c replicationFeedSlaves, syncCommand), enough for a client that sends
 * SYNC to see what Redis would send its replicas: the RDB payload as one bulk without CRLF,
 * then every write as a RESP command, a SELECT whenever the db changes, several writes of one
 * execution unit (EXEC, a command that also deleted expired keys) wrapped in MULTI ... EXEC.
 *
 * A command propagates its own argv (or the one it rewrote, `srv.repl.argv`) when it made
 * the dataset dirty; expired keys propagate as DEL (UNLINK under lazyfree-lazy-expire). The
 * stream goes to the replicas' outboxes, as MONITOR lines do. Nothing is recorded until a
 * replica has attached (server.repl_backlog is created by the first SYNC).
 */
import type { ExecContext } from './context.ts'
import { aofPropagates, feedAppendOnlyFile } from './aof.ts'
import type { ClientId } from './api.ts'
import type { Client, ServerState } from './state.ts'
import { respEncodeCommand } from './resp.ts'
import { rdbSaveFile } from './rdbEncode.ts'
import { rdbSaveFileDbs } from './rdbReload.ts'
import { rngNextU32 } from './rng.ts'
import { serverLog } from './serverLog.ts'
import type { Dict } from './structures/dict.ts'
import {
  createReplBuffer,
  replBufferAttachAt,
  replBufferDetach,
  replBufferFeed,
  replBufferReset,
  replicaOverOutputLimits,
  replicaRefOf,
  type ReplBuffer,
} from './replBuffer.ts'
import { clientInfoString, freeClientLogged } from './commands/connection.ts'
import { forkReplicationChild } from './rdb.ts'

/** server.h PROPAGATE_AOF / PROPAGATE_REPL: where a propagated command goes. */
export const PROPAGATE_AOF = 1
export const PROPAGATE_REPL = 2
const PROPAGATE_BOTH = PROPAGATE_AOF | PROPAGATE_REPL

/** One op of server.also_propagate. */
interface PropagateOp {
  readonly dbid: number
  readonly argv: readonly string[]
  /** PROPAGATE_AOF and/or PROPAGATE_REPL. */
  readonly target: number
}

/** What the engine keeps of replication (fields of server in Redis). */
export interface ReplState {
  /** Replica clients (server.slaves). */
  replicas: ClientId[]
  /**
   * Each replica's repl_ack_time (unix seconds): when it came online. No replica here sends
   * REPLCONF ACK, so it never moves on.
   */
  ackTimes: Map<ClientId, number>
  /** A backlog exists: a replica attached once (server.repl_backlog). */
  backlog: boolean
  /** The replication buffer the backlog and the replicas share (replBuffer.ts). */
  buf: ReplBuffer
  /** server.repl_no_slaves_since (unix seconds): repl-backlog-ttl counts from there. */
  noSlavesSince: number
  /** The db the stream last selected (server.slaveseldb); -1 forces a SELECT. */
  seldb: number
  /** server.also_propagate: the ops of the running execution unit. */
  pending: PropagateOp[]
  /** call() nesting (server.in_nested_call). */
  depth: number
  /** The running command's rewritten argv (rewriteClientCommandVector), or null. */
  argv: readonly string[] | null
  /** preventCommandPropagation: the running command propagates only what it added itself. */
  prevent: boolean
  /**
   * forceCommandPropagation's targets (CLIENT_FORCE_AOF, CLIENT_FORCE_REPL): PUBLISH forces
   * PROPAGATE_REPL only, FLUSHALL and FLUSHDB both.
   */
  force: number
  /** server.replid: this history's replication ID. */
  replid: string
  /** server.replid2: the ID of the history before (40 zeros when none). */
  replid2: string
  /** server.second_replid_offset: replid2 is valid up to this offset (-1: none). */
  secondReplidOffset: number
  /** server.masterhost: the master this server follows (replica.ts), null for a master. */
  masterhost: string | null
  /** server.masterport. */
  masterport: number
  /** server.repl_state: REPL_STATE_NONE as a master. */
  linkState: ReplLinkState
  /**
   * server.cached_master: the replication ID and offset of a master this replica followed
   * (or of itself, replicationCacheMasterUsingMyself), to PSYNC from; null when none.
   */
  cachedMaster: { replid: string; reploff: number; db: number } | null
  /** server.master_repl_offset: the bytes of replication stream this history has produced. */
  masterReplOffset: number
  /**
   * What each client told in REPLCONF (slave_listening_port, slave_addr) and, for a replica,
   * its last REPLCONF ACK offset (repl_ack_off).
   */
  replicaInfo: Map<ClientId, ReplicaInfo>
  /** Replicas whose diskless full sync waits for repl-diskless-sync-delay. */
  pendingSyncs: PendingSync[]
  /**
   * SLAVE_STATE_WAIT_BGSAVE_END: replicas whose payload a slow child (rdb-key-save-delay) is
   * making, each with the payload it gets when the child ends.
   */
  waitBgsaveEnd: Map<ClientId, string>
  /**
   * repl_start_cmd_stream_on_ack: after a diskless payload a replica gets the stream only
   * once it ACKs (it could not tell the EOF mark from what follows); what it has missed.
   */
  streamOnAck: Map<ClientId, string>
  /** server.clients_waiting_acks: clients blocked in WAIT, newest first. */
  waitingAcks: ClientId[]
  /** server.get_ack_from_slaves: beforeSleep sends REPLCONF GETACK * to the replicas. */
  getAckFromSlaves: boolean
  /** The replica side (replica.ts): the link to the master and the master client. */
  link: MasterLinkState | null
  /** server.master: the client the master's stream runs as, null while the link is down. */
  master: MasterClientState | null
  /** server.master_replid / master_initial_offset, from +FULLRESYNC. */
  masterReplid: string
  masterInitialOffset: number
  /** server.repl_down_since (unix seconds; 0: the link was never up and lost). */
  downSince: number
  /** The host's connections asked for so far (MasterLinkState.id). */
  linkSeq: number
  /** replicationCron's replication_cron_loops. */
  cronLoops: number
  /**
   * expire.c slaveKeysWithExpire: the keys a writable replica's own clients gave a TTL, each
   * with the bitmap (uint64_t) of the dbs (0..63) where it may have one; null until the first.
   */
  slaveKeysWithExpire: Dict<bigint> | null
}

/**
 * server.h repl_state: NONE for a master; a replica in CONNECT connects at the next
 * replicationCron, CONNECTING waits for its non-blocking connect, then the handshake
 * (syncWithMaster), TRANSFER receives the RDB payload (readSyncBulkPayload), CONNECTED
 * follows the master's stream.
 */
export type ReplLinkState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'send_handshake'
  | 'receive_auth_reply'
  | 'receive_port_reply'
  | 'receive_ip_reply'
  | 'receive_capa_reply'
  | 'send_psync'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected'

/** REPLCONF facts about one client (client fields slave_listening_port ... in Redis). */
export interface ReplicaInfo {
  listeningPort: number
  /** slave_addr (REPLCONF ip-address), null: the peer's address. */
  ip: string | null
  /** repl_ack_off. */
  ackOff: number
  /** SLAVE_CAPA_EOF: REPLCONF capa eof (a diskless payload is taken). */
  capaEof: boolean
  /** CLIENT_PRE_PSYNC: it synced with SYNC, and sends no ACKs. */
  prePsync: boolean
}

/** A replica waiting for its full sync to start (SLAVE_STATE_WAIT_BGSAVE_START). */
export interface PendingSync {
  readonly client: ClientId
  readonly psync: boolean
  /** When it asked (unix seconds): repl-diskless-sync-delay counts from there. */
  readonly since: number
}

/** The replica's connection to its master while it is being set up (repl_transfer_s). */
export interface MasterLinkState {
  /** Which connection of the host's this is (events of older ones are ignored). */
  readonly id: number
  /** Bytes read and not consumed yet by the handshake or transfer. */
  buf: string
  /** repl_transfer_lastio (unix seconds). */
  lastio: number
  /** repl_transfer_size (-1: the bulk length is not read yet), repl_transfer_read. */
  transferSize: number
  transferRead: number
  /** The payload received so far. */
  payload: string
  /** The diskless transfer's EOF mark ($EOF:<40 bytes>), or null for $<len>. */
  eofMark: string | null
  /** PSYNC answered +CONTINUE: the cached master goes on. */
  psyncContinue: boolean
}

/** server.master's fields the replica keeps (reploff, read_reploff, replid, the parser). */
export interface MasterClientState {
  readonly client: ClientId
  replid: string
  /** reploff: the stream bytes applied; readReploff: the bytes read. */
  reploff: number
  readReploff: number
  /** The query buffer not parsed yet. */
  querybuf: string
  /**
   * How long the query buffer must grow before its next command can be whole, as far as
   * its headers tell (0: parse on the next read). A big argument comes in many reads, and
   * each parse flattens the whole buffer: parsing at every read was quadratic (a 32 MB SET
   * crawled in at ~1.6 MB/s).
   */
  need: number
  /** lastinteraction (unix seconds). */
  lastInteraction: number
  /**
   * The bytes of the commands run but not applied yet (reploff, the proxy to our replicas):
   * a transaction's until its EXEC, a command a CLIENT PAUSE holds until it runs.
   */
  unapplied: string
  /** A CLIENT PAUSE holds the master client's command. */
  held: boolean
}

/** clearReplicationId2's replid2. */
export const NO_REPLID = '0000000000000000000000000000000000000000'

/** The replication state of a server started at `unixtime` (initServer's repl_no_slaves_since). */
export function createReplState(replid: string, unixtime: number): ReplState {
  return {
    replicas: [],
    ackTimes: new Map(),
    backlog: false,
    buf: createReplBuffer(),
    noSlavesSince: unixtime,
    seldb: -1,
    pending: [],
    depth: 0,
    argv: null,
    prevent: false,
    force: 0,
    replid,
    replid2: NO_REPLID,
    secondReplidOffset: -1,
    masterhost: null,
    masterport: 0,
    linkState: 'none',
    cachedMaster: null,
    masterReplOffset: 0,
    replicaInfo: new Map(),
    waitingAcks: [],
    pendingSyncs: [],
    waitBgsaveEnd: new Map(),
    streamOnAck: new Map(),
    getAckFromSlaves: false,
    link: null,
    master: null,
    masterReplid: '',
    masterInitialOffset: -1,
    downSince: 0,
    linkSeq: 0,
    cronLoops: 0,
    slaveKeysWithExpire: null,
  }
}

/** replication.c changeReplicationId: a new random ID (getRandomHexChars, seeded PRNG). */
export function changeReplicationId(srv: ServerState): void {
  srv.repl.replid = randomHex40(srv)
}

/** getRandomHexChars(40) from the seeded PRNG: a replication ID, a diskless payload's mark. */
function randomHex40(srv: ServerState): string {
  let id = ''
  while (id.length < 40) id += rngNextU32(srv.rng).toString(16).padStart(8, '0')
  return id.slice(0, 40)
}

/** replication.c clearReplicationId2: no previous history. */
export function clearReplicationId2(srv: ServerState): void {
  srv.repl.replid2 = NO_REPLID
  srv.repl.secondReplidOffset = -1
}

/** server.c shouldPropagate's PROPAGATE_REPL part: a backlog or a replica, never as a replica. */
function shouldPropagateRepl(srv: ServerState): boolean {
  return srv.repl.masterhost === null && (srv.repl.backlog || srv.repl.replicas.length !== 0)
}

/**
 * server.c shouldPropagate: never while loading; to the AOF when it is on, to replicas when
 * there are any (or a backlog), each as `target` asks.
 */
export function shouldPropagate(srv: ServerState, target = PROPAGATE_BOTH): boolean {
  if (srv.loading !== null || target === 0) return false
  return (
    ((target & PROPAGATE_AOF) !== 0 && aofPropagates(srv)) ||
    ((target & PROPAGATE_REPL) !== 0 && shouldPropagateRepl(srv))
  )
}

/** server.c alsoPropagate. */
export function alsoPropagate(
  srv: ServerState,
  dbid: number,
  argv: readonly string[],
  target = PROPAGATE_BOTH,
): void {
  if (!shouldPropagate(srv, target)) return
  srv.repl.pending.push({ dbid, argv: argv.slice(), target })
}

/** rewriteClientCommandVector: the running command propagates as `argv`. */
export function rewriteCommandVector(srv: ServerState, argv: readonly string[]): void {
  srv.repl.argv = argv
}

/** preventCommandPropagation. */
export function preventCommandPropagation(srv: ServerState): void {
  srv.repl.prevent = true
}

/** forceCommandPropagation(c, target): the command propagates there even if nothing changed. */
export function forceCommandPropagation(srv: ServerState, target = PROPAGATE_BOTH): void {
  srv.repl.force |= target
}

/**
 * server.c propagateNow: to the AOF (feedAppendOnlyFile), then to the replicas
 * (replication.c replicationFeedSlaves: a SELECT when the db changes, then the command), as
 * `target` asks.
 */
function feedReplicas(
  srv: ServerState,
  dbid: number,
  argv: readonly string[],
  target: number,
): void {
  if (!shouldPropagate(srv, target)) return
  if ((target & PROPAGATE_AOF) !== 0 && aofPropagates(srv)) feedAppendOnlyFile(srv, dbid, argv)
  const r = srv.repl
  if ((target & PROPAGATE_REPL) === 0 || !shouldPropagateRepl(srv)) return
  let bytes = ''
  if (r.seldb !== dbid) {
    bytes += respEncodeCommand(['SELECT', String(dbid)])
    r.seldb = dbid
  }
  bytes += respEncodeCommand(argv)
  feedReplicationStream(srv, bytes)
}

/**
 * replication.c feedReplicationBuffer: stream bytes go to the backlog (the offset moves on)
 * and to every replica. A replica proxies its master's stream through here as it applied it
 * (replicationFeedStreamFromMasterStream).
 */
export function feedReplicationStream(srv: ServerState, bytes: string): void {
  const r = srv.repl
  if (!r.backlog) return
  // canFeedReplicaReplBuffer: not the replicas still waiting for their sync to start.
  const feeding =
    r.pendingSyncs.length === 0
      ? r.replicas
      : r.replicas.filter((id) => !replicaWaitsBgsave(srv, id))
  replBufferFeed(srv, r.buf, bytes, feeding, () => {
    // closeClientOnOutputBufferLimitReached(slave, 1) as each block is added.
    for (const id of feeding) replicaCheckOutputLimits(srv, id)
  })
  for (const id of feeding) {
    const ref = replicaRefOf(r.buf, id)
    if (ref.closeAsap) continue
    const held = r.streamOnAck.size === 0 ? undefined : r.streamOnAck.get(id)
    if (held !== undefined) r.streamOnAck.set(id, held + bytes)
    else {
      srv.outbox.set(id, (srv.outbox.get(id) ?? '') + bytes)
      ref.unwritten += bytes.length
    }
  }
}

/**
 * closeClientOnOutputBufferLimitReached(replica, async): a replica over its output buffer
 * limits is scheduled to be closed (freeClientAsync; the host closes its connection), logged.
 * Whether it was.
 */
export function replicaCheckOutputLimits(srv: ServerState, id: ClientId): boolean {
  const ref = srv.repl.buf.refs.get(id)
  const c = srv.clients.get(id)
  if (ref === undefined || c === undefined || ref.closeAsap) return false
  if (!replicaOverOutputLimits(srv, srv.repl.buf, id)) return false
  ref.closeAsap = true
  serverLog(
    srv,
    'warning',
    `Client ${clientInfoString(srv, c, null)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
  )
  srv.clientsToClose.set(id, '')
  return true
}

/** SLAVE_STATE_WAIT_BGSAVE_START: the replica's full sync has not started yet. */
export function replicaWaitsBgsave(srv: ServerState, id: ClientId): boolean {
  return srv.repl.pendingSyncs.some((p) => p.client === id)
}

/** SLAVE_STATE_WAIT_BGSAVE_START or _END: not online yet (INFO's state=wait_bgsave). */
export function replicaNotOnline(srv: ServerState, id: ClientId): boolean {
  return srv.repl.waitBgsaveEnd.has(id) || replicaWaitsBgsave(srv, id)
}

/** server.repl_backlog: its first byte's offset (repl_backlog->offset) and its histlen. */
export function replBacklogOf(srv: ServerState): { offset: number; histlen: number } {
  return { offset: srv.repl.buf.offset, histlen: srv.repl.buf.histlen }
}

/** createReplicationBacklog: empty, its first byte the next offset. */
export function createReplicationBacklog(srv: ServerState): void {
  srv.repl.backlog = true
  replBufferReset(srv, srv.repl.buf)
}

/** freeReplicationBacklog: the whole buffer goes. */
export function freeReplicationBacklog(srv: ServerState): void {
  srv.repl.backlog = false
  replBufferReset(srv, srv.repl.buf)
}

/**
 * replication.c masterTryPartialResynchronization: PSYNC <replid> <offset> for this history
 * (or the one before, up to second_replid_offset) with the offset still in the backlog is
 * answered "+CONTINUE <replid>" and the backlog from there; null when a full resync is needed.
 */
export function masterTryPartialResynchronization(
  srv: ServerState,
  c: Client,
  replid: string,
  offset: number,
  replicaName: string,
): string | null {
  const r = srv.repl
  const low = replid.toLowerCase()
  if (low !== r.replid && (low !== r.replid2 || offset > r.secondReplidOffset)) {
    if (!replid.startsWith('?')) {
      if (low !== r.replid && low !== r.replid2)
        serverLog(
          srv,
          'notice',
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${r.replid}' and '${r.replid2}')`,
        )
      else
        serverLog(
          srv,
          'notice',
          `Partial resynchronization not accepted: Requested offset for second ID was ${String(offset)}, but I can reply up to ${String(r.secondReplidOffset)}`,
        )
    } else {
      serverLog(srv, 'notice', `Full resync requested by replica ${replicaName}`)
    }
    return null
  }
  const backlog = replBacklogOf(srv)
  if (!r.backlog || offset < backlog.offset || offset > backlog.offset + backlog.histlen) {
    serverLog(
      srv,
      'notice',
      `Unable to partial resync with replica ${replicaName} for lack of backlog (Replica request was: ${String(offset)}).`,
    )
    if (offset > r.masterReplOffset)
      serverLog(
        srv,
        'warning',
        `Warning: replica ${replicaName} tried to PSYNC with an offset that is greater than the master replication offset.`,
      )
    return null
  }
  if (!r.replicas.includes(c.id)) r.replicas.push(c.id)
  r.ackTimes.set(c.id, srv.unixtime)
  const data = replBufferAttachAt(r.buf, c.id, offset)
  serverLog(
    srv,
    'notice',
    `Partial resynchronization request from ${replicaName} accepted. Sending ${String(data.length)} bytes of backlog starting from offset ${String(offset)}.`,
  )
  return `+CONTINUE ${r.replid}\r\n${data}`
}

/**
 * server.c propagatePendingCommands: the unit's ops, wrapped in MULTI/EXEC when there are
 * several (not for commands that touch arbitrary keys, run directly: FLUSHALL, SWAPDB ...).
 */
export function propagatePendingCommands(srv: ServerState, noMulti = false): void {
  const ops = srv.repl.pending
  if (ops.length === 0) return
  srv.repl.pending = []
  const transaction = ops.length > 1 && !noMulti
  const first = ops[0] as PropagateOp
  const last = ops[ops.length - 1] as PropagateOp
  if (transaction) feedReplicas(srv, first.dbid, ['MULTI'], PROPAGATE_BOTH)
  for (const op of ops) feedReplicas(srv, op.dbid, op.argv, op.target)
  if (transaction) feedReplicas(srv, last.dbid, ['EXEC'], PROPAGATE_BOTH)
}

/** The propagation flags of the running command, saved around a nested call(). */
export interface CallPropagation {
  readonly argv: readonly string[] | null
  readonly prevent: boolean
  readonly force: number
}

/** call()'s start: clear the flags the command sets on demand; returns the caller's. */
export function propagationBegin(srv: ServerState): CallPropagation {
  const r = srv.repl
  const saved = { argv: r.argv, prevent: r.prevent, force: r.force }
  r.argv = null
  r.prevent = false
  r.force = 0
  r.depth++
  return saved
}

/**
 * call()'s end: propagate the command (argv as rewritten) when it made the dataset dirty or
 * forced it, unless prevented; EXEC is never propagated itself. At the top level the unit's
 * ops go out (afterCommand).
 */
export function propagationEnd(
  srv: ServerState,
  c: Client,
  argv: readonly string[],
  dirty: number,
  isExec: boolean,
  touchesArbitraryKeys: boolean,
  saved: CallPropagation,
): void {
  const r = srv.repl
  r.depth--
  // call(): a change propagates everywhere, a forced command where it was forced to.
  const target = (dirty > 0 ? PROPAGATE_BOTH : 0) | r.force
  if (!isExec && !r.prevent && target !== 0) alsoPropagate(srv, c.db, r.argv ?? argv, target)
  r.argv = saved.argv
  r.prevent = saved.prevent
  r.force = saved.force
  if (r.depth === 0) propagatePendingCommands(srv, touchesArbitraryKeys)
}

/**
 * replication.c syncCommand (SYNC, PSYNC): the client becomes a replica and gets a full
 * resynchronization: for PSYNC "+FULLRESYNC <replid> <offset>", then the RDB payload as
 * "$<len>\r\n<bytes>" (no CRLF after it), then the stream. Returns the bytes to send.
 */
export function syncCommand(srv: ServerState, ctx: ExecContext, c: Client, psync: boolean): string {
  // Diskless with a delay: the transfer starts when the delay has passed (replicationCron),
  // the replica kept alive meanwhile with newlines. So it does while a child runs: the
  // next one serves it (SLAVE_STATE_WAIT_BGSAVE_START).
  if (
    srv.child !== null ||
    (srv.config.other['repl-diskless-sync'] !== 'no' &&
      Number(srv.config.other['repl-diskless-sync-delay'] ?? '5') > 0)
  ) {
    // In server.slaves already (SLAVE_STATE_WAIT_BGSAVE_START), with no stream yet.
    if (!srv.repl.replicas.includes(c.id)) srv.repl.replicas.push(c.id)
    srv.repl.pendingSyncs.push({ client: c.id, psync, since: srv.unixtime })
    return ''
  }
  return startFullSync(srv, ctx, c, psync)
}

/**
 * replicationCron's part for the replicas waiting for a diskless sync: a newline each second,
 * then the transfer once repl-diskless-sync-delay has passed.
 */
export function replicationStartPendingSyncs(srv: ServerState, ctx: ExecContext): void {
  const r = srv.repl
  // Newlines to the replicas still waiting for their payload (a diskless child streams its
  // bytes in Redis; the modelled one sends them whole at its end).
  for (const id of r.waitBgsaveEnd.keys()) srv.outbox.set(id, (srv.outbox.get(id) ?? '') + '\n')
  if (r.pendingSyncs.length === 0) return
  const waiting = r.pendingSyncs.filter((p) => srv.clients.has(p.client))
  // shouldStartChildForReplication: no child running, and the replicas waited
  // repl-diskless-sync-delay, or repl-diskless-sync-max-replicas of them are waiting (a
  // disk-based sync starts at once).
  const delay = Number(srv.config.other['repl-diskless-sync-delay'] ?? '5')
  const maxReplicas = Number(srv.config.other['repl-diskless-sync-max-replicas'] ?? '0')
  let maxIdle = 0
  for (const p of waiting) maxIdle = Math.max(maxIdle, srv.unixtime - p.since)
  const start =
    srv.child === null &&
    waiting.length !== 0 &&
    (srv.config.other['repl-diskless-sync'] === 'no' ||
      (maxReplicas > 0 && waiting.length >= maxReplicas) ||
      maxIdle >= delay)
  r.pendingSyncs = start ? [] : waiting
  if (!start) {
    for (const p of waiting) srv.outbox.set(p.client, (srv.outbox.get(p.client) ?? '') + '\n')
    return
  }
  for (const p of waiting) {
    const c = srv.clients.get(p.client)
    if (c === undefined) continue
    srv.outbox.set(c.id, (srv.outbox.get(c.id) ?? '') + startFullSync(srv, ctx, c, p.psync))
  }
}

/**
 * rdb.c's end of a replication child (updateSlavesWaitingBgsave): each replica waiting for
 * it gets its payload; a disk-based one then its stream at once, a diskless one once it
 * ACKs. A child that failed or was killed drops them.
 */
export function replicationChildDone(srv: ServerState, ctx: ExecContext | null, ok: boolean): void {
  const r = srv.repl
  const waiting = [...r.waitBgsaveEnd]
  r.waitBgsaveEnd.clear()
  for (const [id, payload] of waiting) {
    const c = srv.clients.get(id)
    if (c === undefined) continue
    if (!ok) {
      serverLog(srv, 'warning', 'SYNC failed. BGSAVE child returned an error')
      freeClientLogged(srv, c, ctx, '', 'killed')
      continue
    }
    srv.outbox.set(id, (srv.outbox.get(id) ?? '') + payload)
    r.ackTimes.set(id, srv.unixtime)
    if (!payload.startsWith('$EOF:')) {
      // putSlaveOnline after sendBulkToSlave: the stream held meanwhile goes now.
      const held = r.streamOnAck.get(id) ?? ''
      r.streamOnAck.delete(id)
      srv.outbox.set(id, (srv.outbox.get(id) ?? '') + held)
      replicaRefOf(r.buf, id).unwritten += held.length
      serverLog(
        srv,
        'notice',
        `Synchronization with replica ${replicationGetSlaveName(srv, c)} succeeded`,
      )
    }
  }
}

/** The full sync itself: +FULLRESYNC, the payload ($<len>, or $EOF:<mark> diskless). */
function startFullSync(srv: ServerState, ctx: ExecContext, c: Client, psync: boolean): string {
  const r = srv.repl
  if (!r.replicas.includes(c.id)) r.replicas.push(c.id)
  // The payload is sent at once: the replica is ONLINE (replicaPutOnline's repl_ack_time).
  r.ackTimes.set(c.id, srv.unixtime)
  replicaInfoOf(srv, c.id).prePsync = !psync
  if (!r.backlog) {
    // createReplicationBacklog; a master with no history yet starts a new one
    // (changeReplicationId, clearReplicationId2).
    if (r.masterhost === null && r.replicas.length === 1) {
      changeReplicationId(srv)
      clearReplicationId2(srv)
    }
    createReplicationBacklog(srv)
  }
  // replicationSetupSlaveForFullResync: the next command re-selects its db.
  r.seldb = -1
  const dbs = rdbSaveFileDbs(srv, ctx)
  const aux: [string, string][] = [
    ['redis-ver', '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(ctx.now / 1000))],
    // rdbPopulateSaveInfo: where the stream goes on from.
    ['repl-stream-db', '0'],
    ['repl-id', r.replid],
    ['repl-offset', String(r.masterReplOffset)],
    ['aof-base', '0'],
  ]
  const rdb = rdbSaveFile(srv, aux, dbs)
  const head = psync ? `+FULLRESYNC ${r.replid} ${String(r.masterReplOffset)}\r\n` : ''
  const diskless =
    srv.config.other['repl-diskless-sync'] !== 'no' && r.replicaInfo.get(c.id)?.capaEof === true
  let payload: string
  if (diskless) {
    // rdbSaveToSlavesSockets: the payload ends with a mark of 40 random hex characters.
    const mark = randomHex40(srv)
    r.streamOnAck.set(c.id, '')
    payload = `$EOF:${mark}\r\n${rdb}${mark}`
  } else payload = `$${String(rdb.length)}\r\n${rdb}`
  // With rdb-key-save-delay the child takes its time (one modelled child serves the
  // replicas that start together): the payload goes when it ends, the stream waits.
  if (
    srv.config.other['rdb-key-save-delay'] === undefined ||
    srv.config.other['rdb-key-save-delay'] === '0'
  )
    return head + payload
  if (srv.child === null) forkReplicationChild(srv, ctx, diskless)
  r.streamOnAck.set(c.id, '')
  r.waitBgsaveEnd.set(c.id, payload)
  return head
}

/** freeClient: a replica that goes away leaves server.slaves. */
export function replicaClosed(srv: ServerState, id: ClientId): void {
  const i = srv.repl.replicas.indexOf(id)
  if (i >= 0) {
    srv.repl.replicas.splice(i, 1)
    if (srv.repl.replicas.length === 0) srv.repl.noSlavesSince = srv.unixtime
  }
  replBufferDetach(srv, srv.repl.buf, id)
  srv.repl.ackTimes.delete(id)
  srv.repl.replicaInfo.delete(id)
  srv.repl.streamOnAck.delete(id)
  srv.repl.waitBgsaveEnd.delete(id)
  const p = srv.repl.pendingSyncs.findIndex((s) => s.client === id)
  if (p >= 0) srv.repl.pendingSyncs.splice(p, 1)
}

/**
 * replicationGetSlaveName: a replica's address with the listening port it announced, else
 * "<unknown-replica-port>".
 */
export function replicationGetSlaveName(srv: ServerState, c: Client): string {
  const info = srv.repl.replicaInfo.get(c.id)
  const ip = info?.ip ?? c.addr.slice(0, c.addr.lastIndexOf(':'))
  const port = info?.listeningPort ?? 0
  return `${ip}:${port !== 0 ? String(port) : '<unknown-replica-port>'}`
}

/** The REPLCONF facts of a client, made on first use. */
export function replicaInfoOf(srv: ServerState, id: ClientId): ReplicaInfo {
  let info = srv.repl.replicaInfo.get(id)
  if (info === undefined) {
    info = { listeningPort: 0, ip: null, ackOff: 0, capaEof: false, prePsync: false }
    srv.repl.replicaInfo.set(id, info)
  }
  return info
}

/**
 * replconfCommand's ACK from a replica: its offset (only forward) and repl_ack_time; WAITing
 * clients are looked at again before the event loop sleeps.
 */
export function replicaAcked(srv: ServerState, id: ClientId, offset: number): void {
  if (!srv.repl.replicas.includes(id)) return
  const info = replicaInfoOf(srv, id)
  if (offset > info.ackOff) info.ackOff = offset
  srv.repl.ackTimes.set(id, srv.unixtime)
  // replicaStartCommandStream: what the stream held for it goes now.
  const held = srv.repl.streamOnAck.get(id)
  if (held !== undefined) {
    srv.repl.streamOnAck.delete(id)
    if (held !== '') srv.outbox.set(id, (srv.outbox.get(id) ?? '') + held)
    replicaRefOf(srv.repl.buf, id).unwritten += held.length
  }
}

/** replication.c replicationCountAcksByOffset: replicas that acknowledged `offset`. */
export function replicationCountAcksByOffset(srv: ServerState, offset: number): number {
  let count = 0
  for (const id of srv.repl.replicas)
    if ((srv.repl.replicaInfo.get(id)?.ackOff ?? 0) >= offset) count++
  return count
}

/**
 * rdbLoadRio with RDBFLAGS_FEED_REPL: a master loading its file at startup puts the DEL (or
 * UNLINK, lazyfree-lazy-expire) of each expired key it skips in the backlog.
 */
export function replicationFeedExpiredOnLoad(srv: ServerState, dbid: number, key: string): void {
  const r = srv.repl
  if (!r.backlog) return
  let bytes = ''
  if (r.seldb !== dbid) {
    bytes += respEncodeCommand(['SELECT', String(dbid)])
    r.seldb = dbid
  }
  const del = srv.config.other['lazyfree-lazy-expire'] === 'yes' ? 'UNLINK' : 'DEL'
  feedReplicationStream(srv, bytes + respEncodeCommand([del, key]))
}

/**
 * DEBUG REPLICATE: the command goes to the replicas as it is (replicationFeedSlaves in the
 * db the stream last selected: no SELECT), run or not here.
 */
export function debugReplicate(srv: ServerState, argv: readonly string[]): void {
  const r = srv.repl
  if (r.masterhost !== null || (!r.backlog && r.replicas.length === 0)) return
  feedReplicationStream(srv, respEncodeCommand(argv))
}

/**
 * beforeSleep's sendGetackToReplicas when a WAIT asked for it (replicationRequestAckFromSlaves):
 * REPLCONF GETACK * goes into the stream, to every replica.
 */
export function sendGetackIfRequested(srv: ServerState): void {
  if (!srv.repl.getAckFromSlaves) return
  srv.repl.getAckFromSlaves = false
  if (srv.repl.masterhost !== null || srv.repl.replicas.length === 0) return
  feedReplicas(
    srv,
    srv.repl.seldb < 0 ? 0 : srv.repl.seldb,
    ['REPLCONF', 'GETACK', '*'],
    PROPAGATE_REPL,
  )
}

/**
 * replicationCron's master part: every repl-ping-replica-period seconds a PING goes into the
 * stream while there are replicas (the replicas' offsets move on with it).
 */
export function replicationCronMaster(srv: ServerState, ctx: ExecContext, cronLoops: number): void {
  const r = srv.repl
  const period = Number(srv.config.other['repl-ping-replica-period'] ?? '10')
  if (r.masterhost === null && r.replicas.length !== 0 && period > 0 && cronLoops % period === 0)
    feedReplicas(srv, r.seldb < 0 ? 0 : r.seldb, ['PING'], PROPAGATE_REPL)
  // Disconnect timedout slaves: an online replica (one that speaks PSYNC) that has sent no
  // REPLCONF ACK for longer than repl-timeout.
  const timeout = Number(srv.config.other['repl-timeout'] ?? '60')
  for (const id of [...r.replicas]) {
    const c = srv.clients.get(id)
    const acked = r.ackTimes.get(id)
    if (c === undefined || acked === undefined || r.replicaInfo.get(id)?.prePsync === true) continue
    // Not online yet: its payload is still being made, or written (Redis puts a replica
    // online once its payload is sent; here the host writes it after the engine handed it).
    if (r.waitBgsaveEnd.has(id) || r.streamOnAck.has(id)) continue
    if (srv.unixtime - acked <= timeout) continue
    serverLog(
      srv,
      'warning',
      `Disconnecting timedout replica (streaming sync): ${replicationGetSlaveName(srv, c)}`,
    )
    freeClientLogged(srv, c, ctx, '', 'replicaTimeout')
  }
  // A master without replicas frees its backlog after repl-backlog-ttl seconds, and starts
  // a new history (a replica promoted meanwhile must not PSYNC from this one's).
  const ttl = Number(srv.config.other['repl-backlog-ttl'] ?? '3600')
  if (
    r.replicas.length === 0 &&
    ttl !== 0 &&
    r.backlog &&
    r.masterhost === null &&
    srv.unixtime - r.noSlavesSince > ttl
  ) {
    changeReplicationId(srv)
    clearReplicationId2(srv)
    freeReplicationBacklog(srv)
    serverLog(
      srv,
      'notice',
      `Replication backlog freed after ${String(ttl)} seconds without connected replicas.`,
    )
  }
}

/**
 * replication.c checkGoodReplicasStatus: writes are allowed on a replica, when
 * min-replicas-to-write or min-replicas-max-lag is 0, or when at least min-replicas-to-write
 * replicas are online with a lag (since their last ACK) of at most min-replicas-max-lag
 * seconds (refreshGoodSlavesCount's count, here taken when asked rather than once a second
 * by replicationCron).
 */
export function checkGoodReplicasStatus(srv: ServerState): boolean {
  // Asked before every write: the default (0, off) is answered without parsing the config.
  const min = srv.config.other['min-replicas-to-write']
  if (min === undefined || min === '0') return true
  const good = goodReplicasCount(srv)
  return srv.repl.masterhost !== null || good === null || good >= minReplicasToWrite(srv)
}

function minReplicasToWrite(srv: ServerState): number {
  return Number(srv.config.other['min-replicas-to-write'] ?? '0')
}

/**
 * server.repl_good_slaves_count (refreshGoodSlavesCount): the replicas online whose lag is at
 * most min-replicas-max-lag; null while min-replicas-to-write or the lag is 0 (not counted,
 * and INFO leaves out min_slaves_good_slaves).
 */
export function goodReplicasCount(srv: ServerState): number | null {
  const maxLag = Number(srv.config.other['min-replicas-max-lag'] ?? '10')
  if (maxLag === 0 || minReplicasToWrite(srv) === 0) return null
  let good = 0
  for (const acked of srv.repl.ackTimes.values()) if (srv.unixtime - acked <= maxLag) good++
  return good
}
