/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (multi.c).
 *
 * Queueing itself happens in server.ts:processCommand (a command that passes every check
 * is stored and answered QUEUED; one that fails flags the transaction). EXEC's body is
 * multi.ts:execTransaction, which re-dispatches the queued commands through call().
 */
import { unwatchAllKeys } from '../keyspace/db.ts'
import { discardTransaction, execTransaction, traceUnwatch, watchForKey } from '../multi.ts'
import { error, OK, type Reply } from '../reply.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'

function multiCommand(c: CommandCall): Reply {
  if (c.client.multi !== null) return error('ERR MULTI calls can not be nested')
  c.client.multi = { queue: [], dirtyExec: false }
  if (c.ctx.tracing) c.ctx.emit({ type: 'multi/started', client: c.client.id })
  return OK
}

function discardCommand(c: CommandCall): Reply {
  if (c.client.multi === null) return error('ERR DISCARD without MULTI')
  if (c.ctx.tracing) c.ctx.emit({ type: 'multi/discarded', client: c.client.id })
  discardTransaction(c.srv, c.client, c.ctx)
  return OK
}

function watchCommand(c: CommandCall): Reply {
  if (c.client.multi !== null) return error('ERR WATCH inside MULTI is not allowed')
  if (c.client.dirtyCas) return OK
  for (let j = 1; j < c.argv.length; j++) watchForKey(c.srv, c.ctx, c.client, c.argv[j] ?? '')
  return OK
}

function unwatchCommand(c: CommandCall): Reply {
  traceUnwatch(c.ctx, c.client)
  unwatchAllKeys(c.srv, c.client.id)
  c.client.dirtyCas = false
  return OK
}

export const transactionCommands: readonly CommandSpec[] = [
  defineCommand('multi', multiCommand),
  defineCommand('exec', (c) => execTransaction(c.srv, c.client, c.ctx)),
  defineCommand('discard', discardCommand),
  defineCommand('watch', watchCommand),
  defineCommand('unwatch', unwatchCommand),
]
