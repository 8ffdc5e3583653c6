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
import type { Dict } from './structures/dict.ts'

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
  /** server.repl_state: REPL_STATE_NONE as a master (the link never gets past CONNECTING). */
  linkState: ReplLinkState
  /** server.cached_master exists (replicationCacheMasterUsingMyself). */
  cachedMaster: boolean
  /**
   * expire.c slaveKeysWithExpire: the keys a writable replica's own clients gave a TTL, each
   * with the bitmap (uint64_t) of the dbs (0..63) where it may have one; null until the first.
   */
  slaveKeysWithExpire: Dict<bigint> | null
}

/**
 * server.h repl_state of a replica whose link never comes up: CONNECT (to connect at the
 * next replicationCron), CONNECTING (a non-blocking connect in flight); NONE for a master.
 */
export type ReplLinkState = 'none' | 'connect' | 'connecting'

/** clearReplicationId2's replid2. */
export const NO_REPLID = '0000000000000000000000000000000000000000'

export function createReplState(replid: string): ReplState {
  return {
    replicas: [],
    ackTimes: new Map(),
    backlog: false,
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
    cachedMaster: false,
    slaveKeysWithExpire: null,
  }
}

/** replication.c changeReplicationId: a new random ID (getRandomHexChars, seeded PRNG). */
export function changeReplicationId(srv: ServerState): void {
  let id = ''
  while (id.length < 40) id += rngNextU32(srv.rng).toString(16).padStart(8, '0')
  srv.repl.replid = id.slice(0, 40)
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
  for (const id of r.replicas) srv.outbox.set(id, (srv.outbox.get(id) ?? '') + bytes)
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
  const r = srv.repl
  if (!r.replicas.includes(c.id)) r.replicas.push(c.id)
  // The payload is sent at once: the replica is ONLINE (replicaPutOnline's repl_ack_time).
  r.ackTimes.set(c.id, srv.unixtime)
  r.backlog = true
  // replicationSetupSlaveForFullResync: the next command re-selects its db.
  r.seldb = -1
  const dbs = rdbSaveFileDbs(srv, ctx)
  const aux: [string, string][] = [
    ['redis-ver', '7.0.15'],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(ctx.now / 1000))],
    ['aof-base', '0'],
  ]
  const rdb = rdbSaveFile(srv, aux, dbs)
  const head = psync ? `+FULLRESYNC ${r.replid} 0\r\n` : ''
  return `${head}$${String(rdb.length)}\r\n${rdb}`
}

/** freeClient: a replica that goes away leaves server.slaves. */
export function replicaClosed(srv: ServerState, id: ClientId): void {
  const i = srv.repl.replicas.indexOf(id)
  if (i >= 0) srv.repl.replicas.splice(i, 1)
  srv.repl.ackTimes.delete(id)
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
