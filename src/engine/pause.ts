/**
 * Client pause — networking.c pauseClients, unpauseClients, updateClientPauseTypeAndEndTime,
 * checkClientPauseTimeoutAndReturnIfPaused and blocked.c's BLOCKED_POSTPONE, 7.0.15.
 *
 * CLIENT PAUSE ms [WRITE|ALL] pauses until a unix ms. Only the CLIENT PAUSE purpose is
 * modelled (no failover, no shutdown wait), so the aggregated pause (server.client_pause_type
 * and _end_time) is that purpose's while it lasts. processCommand postpones a client whose
 * command the pause covers (every command under ALL; a write or may-replicate one, or an EXEC
 * of such, under WRITE), after all its checks and before MULTI queueing: the client blocks
 * with no timeout (CLIENT LIST flag b, INFO blocked_clients) and its command is kept.
 *
 * The pause is read as it stands (server.client_pause_type) by processCommand; it ends when
 * someone checks it after its end time (checkClientPauseTimeoutAndReturnIfPaused: serverCron,
 * the active expire cycle, a lookup of an expired key, eviction) or at CLIENT UNPAUSE, and a
 * less restrictive pause unblocks every postponed client: they go to the unblocked list, and
 * the server runs their commands again from the start (blocked.c processUnblockedClients,
 * server.ts), which may postpone them again. While paused the dataset stays as it is: keys
 * expire for readers without being deleted, and nothing is evicted.
 */
import type { ClientId } from './api.ts'
import type { Client, ServerState } from './state.ts'

/** server.client_pause_type: CLIENT_PAUSE_OFF, _WRITE, _ALL (ordered by restrictiveness). */
export const PAUSE_OFF = 0
export const PAUSE_WRITE = 1
export const PAUSE_ALL = 2
export type PauseType = typeof PAUSE_OFF | typeof PAUSE_WRITE | typeof PAUSE_ALL

/** The pause state (server.client_pause_*), and the postponed and unblocked clients. */
export interface ClientPauseState {
  /** server.client_pause_per_purpose[PAUSE_BY_CLIENT_COMMAND], null when none. */
  purpose: { type: PauseType; end: number } | null
  /** The aggregated pause processCommand reads. */
  type: PauseType
  end: number
  /** server.postponed_clients, in the order they were postponed. */
  postponed: ClientId[]
  /** server.unblocked_clients (of postponed clients), each with the command to run again. */
  unblocked: { id: ClientId; argv: readonly string[] }[]
}

export function createClientPauseState(): ClientPauseState {
  return { purpose: null, type: PAUSE_OFF, end: 0, postponed: [], unblocked: [] }
}

/** networking.c updateClientPauseTypeAndEndTime (one purpose). */
function updateClientPauseTypeAndEndTime(srv: ServerState): void {
  const st = srv.clientPause
  const old = st.type
  let p = st.purpose
  if (p !== null && p.end < srv.mstime) p = st.purpose = null
  st.type = p === null ? PAUSE_OFF : p.type
  st.end = p === null ? 0 : p.end
  // A less restrictive pause: the postponed clients are processed again (maybe re-paused).
  if (st.type < old) unblockPostponedClients(srv)
}

/** networking.c pauseClients: the longer end and the more restrictive type win. */
export function pauseClients(srv: ServerState, end: number, type: PauseType): void {
  const st = srv.clientPause
  const p = st.purpose
  st.purpose =
    p === null
      ? { type, end }
      : { type: type > p.type ? type : p.type, end: end > p.end ? end : p.end }
  updateClientPauseTypeAndEndTime(srv)
}

/** networking.c unpauseClients (CLIENT UNPAUSE). */
export function unpauseClients(srv: ServerState): void {
  if (srv.clientPause.purpose === null) return
  srv.clientPause.purpose = null
  updateClientPauseTypeAndEndTime(srv)
}

/** networking.c checkClientPauseTimeoutAndReturnIfPaused: ends a pause past its end time. */
export function checkClientPauseTimeoutAndReturnIfPaused(srv: ServerState): boolean {
  if (!areClientsPaused(srv)) return false
  if (srv.clientPause.end < srv.mstime) updateClientPauseTypeAndEndTime(srv)
  return areClientsPaused(srv)
}

/** networking.c areClientsPaused. */
function areClientsPaused(srv: ServerState): boolean {
  return srv.clientPause.type !== PAUSE_OFF
}

/** blocked.c blockClient(c, BLOCKED_POSTPONE): the client waits, its command kept. */
export function blockPostponeClient(
  srv: ServerState,
  c: Client,
  fullname: string,
  argv: readonly string[],
): void {
  c.bpop = {
    btype: 'postpone',
    keys: [],
    db: c.db,
    timeout: 0,
    count: -1,
    target: null,
    wherefrom: 'head',
    whereto: 'head',
    cmd: fullname,
    argv: [...argv],
    stream: null,
  }
  srv.blockedClients++
  srv.clientPause.postponed.push(c.id)
}

/**
 * blocked.c unblockClient for BLOCKED_POSTPONE: off the postponed list and, unless `closed`
 * (freeClient), queued to run its command again.
 */
export function unblockPostponedClient(srv: ServerState, c: Client, closed: boolean): void {
  const bpop = c.bpop
  if (bpop?.btype !== 'postpone') return
  const st = srv.clientPause
  const i = st.postponed.indexOf(c.id)
  if (i >= 0) st.postponed.splice(i, 1)
  c.bpop = null
  srv.blockedClients--
  if (closed) return
  st.unblocked.push({ id: c.id, argv: bpop.argv })
  queueClientForReprocessing(srv, c)
}

/**
 * blocked.c queueClientForReprocessing: an unblocked client goes once (CLIENT_UNBLOCKED) on
 * server.unblocked_clients, whose input the transport runs in that order.
 */
export function queueClientForReprocessing(srv: ServerState, c: Client): void {
  if (!srv.unblockedClients.includes(c.id)) srv.unblockedClients.push(c.id)
}

/** Takes a client off server.unblocked_clients (freeClient, or its reply was the call's own). */
export function dequeueClientForReprocessing(srv: ServerState, c: Client): void {
  const i = srv.unblockedClients.indexOf(c.id)
  if (i >= 0) srv.unblockedClients.splice(i, 1)
}

/** networking.c unblockPostponedClients. */
function unblockPostponedClients(srv: ServerState): void {
  for (const id of [...srv.clientPause.postponed]) {
    const c = srv.clients.get(id)
    if (c !== undefined) unblockPostponedClient(srv, c, false)
  }
}
