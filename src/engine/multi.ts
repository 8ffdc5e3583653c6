/**
 * Transactions (multi.c): the MULTI state shared by processCommand (queueing, flagging)
 * and the MULTI/EXEC/DISCARD/WATCH commands. The per-db WATCH index and touchWatchedKey
 * live in keyspace/db.ts because every write path signals them; this is the client side.
 */
import { aclCheckQueued } from './acl.ts'
import { callCommand, countErrorReply, lookupCommand, unknownCommandMessage } from './call.ts'
import type { ExecContext } from './context.ts'
import { getExpire, keyIsExpired, unwatchAllKeys } from './keyspace/db.ts'
import {
  error,
  NIL_ARRAY,
  OK,
  QUEUED,
  resp2NullsKept,
  resp3Nulls,
  sequence,
  type Protocol,
  type Reply,
} from './reply.ts'
import { takePubsubPushes, takePubsubPushesAlone } from './commands/pubsub.ts'
import { execArgvHoldBegin, execArgvHoldEnd } from './types/object.ts'
import {
  REPLY_FILTERED,
  REPLY_NONE,
  REPLY_OFF,
  REPLY_PUSHING,
  REPLY_SKIP,
  type Client,
  type ServerState,
} from './state.ts'

/** multi.c flagTransaction. */
export function flagTransaction(c: Client): void {
  if (c.multi !== null) c.multi.dirtyExec = true
}

/** multi.c discardTransaction: drop the queue and all WATCHes. */
export function discardTransaction(srv: ServerState, c: Client, ctx?: ExecContext): void {
  c.multi = null
  c.dirtyCas = false
  traceUnwatch(ctx, c)
  unwatchAllKeys(srv, c.id)
}

/**
 * Emits multi/unwatched when the client watches keys or is flagged CLIENT_DIRTY_CAS, before
 * unwatchAllKeys drops them (callers clear the flag too).
 */
export function traceUnwatch(ctx: ExecContext | undefined, c: Client): void {
  if (ctx?.tracing === true && (c.watched.length > 0 || c.dirtyCas))
    ctx.emit({ type: 'multi/unwatched', client: c.id, keys: c.watched.length })
}

/** A client's transaction state before processCommand, for traceQueueing. */
export interface MultiSnapshot {
  readonly multi: boolean
  readonly dirtyExec: boolean
  readonly queued: number
  readonly watched: number
  readonly dirtyCas: boolean
}

/** The snapshot of a client outside MULTI that watches nothing (most commands): shared. */
const IDLE: MultiSnapshot = {
  multi: false,
  dirtyExec: false,
  queued: 0,
  watched: 0,
  dirtyCas: false,
}

/** Notes the client's transaction state (called only when tracing). */
export function multiSnapshot(c: Client): MultiSnapshot {
  if (c.multi === null && c.watched.length === 0 && !c.dirtyCas) return IDLE
  return {
    multi: c.multi !== null,
    dirtyExec: c.multi?.dirtyExec ?? false,
    queued: c.multi?.queue.length ?? 0,
    watched: c.watched.length,
    dirtyCas: c.dirtyCas,
  }
}

/**
 * Emits what processCommand itself did to the client's transaction (the events belong
 * here, the caller only says what it saw): the command was queued (QUEUED); it failed a
 * check and flagged the open transaction (flagTransaction); or it was a rejected EXEC,
 * which discards the transaction and the WATCHes (server.ts rejectCommand).
 */
export function traceQueueing(
  ctx: ExecContext,
  c: Client,
  argv: readonly string[],
  reply: Reply,
  seen: MultiSnapshot,
): void {
  const m = c.multi
  if (m !== null) {
    if (reply === QUEUED)
      ctx.emit({
        type: 'multi/commandQueued',
        client: c.id,
        argv: [...argv],
        stored: m.queue.length > seen.queued,
      })
    else if (m.dirtyExec && !seen.dirtyExec) ctx.emit({ type: 'multi/flagged', client: c.id })
    return
  }
  if (reply.type !== 'error' || !reply.value.startsWith(REJECTED_EXEC)) return
  if (seen.multi) ctx.emit({ type: 'multi/execAborted', client: c.id, why: 'execAbort' })
  if (seen.watched > 0 || seen.dirtyCas)
    ctx.emit({ type: 'multi/unwatched', client: c.id, keys: seen.watched })
}

/** The start of the error rejectCommand gives a rejected EXEC. */
const REJECTED_EXEC = 'EXECABORT Transaction discarded because of: '

/**
 * multi.c execCommand's body once processCommand let it through: check WATCH, then run the
 * queue. Used by EXEC.
 */
export function execTransaction(srv: ServerState, c: Client, ctx: ExecContext): Reply {
  const multi = c.multi
  if (multi === null) return error('ERR EXEC without MULTI')
  if (isWatchedKeyExpired(srv, c, ctx)) c.dirtyCas = true
  if (c.dirtyCas || multi.dirtyExec) {
    const reply = multi.dirtyExec
      ? error('EXECABORT Transaction discarded because of previous errors.')
      : NIL_ARRAY
    if (ctx.tracing)
      ctx.emit({
        type: 'multi/execAborted',
        client: c.id,
        why: multi.dirtyExec ? 'execAbort' : 'dirtyCas',
      })
    discardTransaction(srv, c, ctx)
    return reply
  }
  traceUnwatch(ctx, c)
  unwatchAllKeys(srv, c.id)
  const replies: Reply[] = []
  const count = multi.queue.length
  // networking.c prepareClientToWrite: under CLIENT REPLY OFF or SKIP (set before EXEC, or by
  // a queued CLIENT REPLY) nothing is written but Pub/Sub output (CLIENT_PUSHING), not even
  // EXEC's array header, which announces every queued command whatever follows it.
  const headerWritten = !withheld(c)
  let filtered = !headerWritten
  // EXEC's array header, then each reply as it is added, wait in c->buf (CLIENT LIST obl).
  const argc = c.argc
  c.execOut = { count, replies }
  // networking.c afterErrorReply counts an error when it is added to the reply, so a command
  // later in the transaction (INFO errorstats) already sees the errors of earlier ones.
  const addReply = (r: Reply): void => {
    countErrorReply(srv, r)
    if (withheld(c)) filtered = true
    else replies.push(r)
  }
  execArgvHoldBegin(srv)
  // The protocol each reply was written in: a queued HELLO switches it mid-transaction.
  const protos: Protocol[] = []
  const addProto = (): void => {
    while (protos.length < replies.length) protos.push(c.resp)
  }
  for (const q of multi.queue) {
    addProto()
    const { cmd, parent } = lookupCommand(srv, q.argv)
    if (cmd === undefined) {
      addReply(error(unknownCommandMessage(srv, q.argv)))
      continue
    }
    const fullname = parent === null ? cmd.name : `${parent.name}|${cmd.name}`
    // ACLs are checked again in case they changed since the command was queued.
    const denied = srv.aclRestricted ? aclCheckQueued(srv, c, cmd, fullname, q.argv) : null
    if (denied !== null) {
      addReply(error(denied))
      continue
    }
    // execCommand sets c->argc (not c->argv_len_sum) to the queued command's.
    c.argc = q.argv.length
    const r = callCommand(srv, c, ctx, q.argv, cmd, fullname)
    // Pub/Sub messages the command sent to this very client come first (commands/pubsub.ts).
    countErrorReply(srv, r)
    if (withheld(c)) {
      // Only its Pub/Sub messages are written (CLIENT REPLY OFF and SKIP answer nothing).
      filtered = true
      const pushes = takePubsubPushesAlone(c)
      if (pushes !== null) replies.push(pushes)
    } else replies.push(c.pubsub === null ? r : takePubsubPushes(c, r))
    c.replyFlags &= ~(REPLY_NONE | REPLY_PUSHING)
  }
  addProto()
  // Each reply went out in the protocol of its moment (its nulls `$-1` or `_`); processCommand
  // turns nulls for the protocol EXEC ends in, so the others are settled here.
  if (protos.some((p) => p !== c.resp))
    for (let i = 0; i < replies.length; i++)
      replies[i] = (protos[i] === 3 ? resp3Nulls : resp2NullsKept)(replies[i] as Reply)
  c.argc = argc
  c.execOut = null
  // discardTransaction; a command inside (e.g. RESET, SELECT) may have changed state.
  execArgvHoldEnd(srv)
  c.multi = null
  c.dirtyCas = false
  traceUnwatch(ctx, c)
  unwatchAllKeys(srv, c.id)
  if (ctx.tracing) ctx.emit({ type: 'multi/execRan', client: c.id, commands: count })
  if (!filtered) return { type: 'array', value: replies }
  // What Redis wrote is sent as it is, whatever CLIENT REPLY says once EXEC ends; a header
  // with fewer replies after it than it announces is Redis's own output (and a queued SKIP's).
  c.replyFlags |= REPLY_FILTERED
  if (headerWritten) return { type: 'array', value: replies, count }
  // Nothing at all is written when no CLIENT REPLY ON ran (it answers) and no message came.
  if (replies.length === 0) {
    c.replyFlags &= ~REPLY_FILTERED
    return OK
  }
  return replies.length === 1 ? (replies[0] as Reply) : sequence(replies)
}

/** networking.c prepareClientToWrite's test: a reply added now would not be written. */
function withheld(c: Client): boolean {
  return (
    (c.replyFlags & (REPLY_OFF | REPLY_SKIP | REPLY_NONE)) !== 0 &&
    (c.replyFlags & REPLY_PUSHING) === 0
  )
}

/** multi.c isWatchedKeyExpired. */
function isWatchedKeyExpired(srv: ServerState, c: Client, ctx: ExecContext): boolean {
  for (const wk of c.watched) {
    if (wk.expired) continue
    const db = srv.dbs[wk.db]
    if (db === undefined) continue
    const when = getExpire(ctx, db, wk.key)
    if (when >= 0 && ctx.now > when) return true
  }
  return false
}

/** multi.c watchForKey: record the key once per client, noting if it is already expired. */
export function watchForKey(srv: ServerState, ctx: ExecContext, c: Client, key: string): void {
  if (c.watched.some((wk) => wk.db === c.db && wk.key === key)) return
  const db = srv.dbs[c.db]
  if (db === undefined) return
  let list = db.watchedKeys.get(key)
  if (list === undefined) {
    list = []
    db.watchedKeys.set(key, list)
  }
  const wk = { key, db: c.db, expired: keyIsExpired(ctx, db, key), client: c.id }
  c.watched.push(wk)
  list.push(wk)
  if (ctx.tracing) ctx.emit({ type: 'multi/keyWatched', client: c.id, db: c.db, key })
}
