/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (multi.c).
 *
 * Queueing itself happens in server.ts:processCommand (a command that passes every check
 * is stored and answered QUEUED; one that fails flags the transaction). EXEC's body is
 * multi.ts:execTransaction, which re-dispatches the queued commands through call().
 */
import { unwatchAllKeys } from '../keyspace/db.ts'
import { discardTransaction, execTransaction, watchForKey } from '../multi.ts'
import { error, OK, type Reply } from '../reply.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'

function multiCommand(c: CommandCall): Reply {
  if (c.client.multi !== null) return error('ERR MULTI calls can not be nested')
  c.client.multi = { queue: [], dirtyExec: false }
  return OK
}

function discardCommand(c: CommandCall): Reply {
  if (c.client.multi === null) return error('ERR DISCARD without MULTI')
  discardTransaction(c.srv, c.client)
  return OK
}

function watchCommand(c: CommandCall): Reply {
  if (c.client.multi !== null) return error('ERR WATCH inside MULTI is not allowed')
  if (c.client.dirtyCas) return OK
  for (let j = 1; j < c.argv.length; j++) watchForKey(c.srv, c.ctx, c.client, c.argv[j] ?? '')
  return OK
}

function unwatchCommand(c: CommandCall): Reply {
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
