/**
 * The rest of Redis 7.0's command table. Every 7.0.15 command is in the table, so COMMAND
 * COUNT, COMMAND INFO and DOCS, arity errors and the console's help are Redis's own; these
 * are the commands that answer without the feature behind them:
 *
 * - as a standalone server with no cluster answers them (CLUSTER, READONLY, FAILOVER,
 *   MODULE, REPLCONF from a client that is not a replica, MIGRATE of keys that do not
 *   exist), byte for byte; REPLICAOF makes it a replica (replica.ts);
 * - or, for what X-Ray does not model (MIGRATE of a key that exists, AOF, SHUTDOWN past its
 *   options), with an error that names the command and says so, instead of Redis's
 *   "unknown command", which would read as if Redis had no such command.
 */
import { redactClientCommandArgument } from '../call.ts'
import { aofHasDisk, bgrewriteaof } from '../aof.ts'
import { rdbSaveImage } from '../rdbReload.ts'
import {
  masterTryPartialResynchronization,
  replicaAcked,
  replicaInfoOf,
  replicationGetSlaveName,
  syncCommand,
} from '../replication.ts'
import {
  disconnectSlaves,
  replicationSendAck,
  replicationSetMaster,
  replicationUnsetMaster,
} from '../replica.ts'
import { serverLog } from '../serverLog.ts'
import { disconnectAllBlockedClients } from './blocking.ts'
import { clientInfoString } from './connection.ts'
import { COMMAND_META } from './meta.generated.ts'
import { cstr } from '../bytes.ts'
import { sdssplitargs } from '../resp.ts'
import { EMPTY_ARRAY, ERR_SYNTAX, error, OK, simple, type Reply } from '../reply.ts'
import { REPLY_NONE } from '../state.ts'
import { lookupKeyRead } from '../keyspace/db.ts'
import {
  eqIgnoreCase,
  getLongLongOrReply,
  getLongOrReply,
  getRangeLongOrReply,
  helpReply,
} from './parse.ts'
import {
  defineCommand,
  defineSubcommand,
  type CommandCall,
  type CommandHandler,
  type CommandSpec,
} from './spec.ts'

/** The error for a command whose feature is not modelled: `what` completes "does not model". */
function notModelled(what: string): CommandHandler {
  return (c) => {
    const top = (c.argv[0] ?? '').toUpperCase()
    const name = c.cmd.name === top.toLowerCase() ? top : `${top} ${c.cmd.name.toUpperCase()}`
    return error(`ERR ${name} is not supported by this server (Redis X-Ray does not model ${what})`)
  }
}

/**
 * replication.c syncCommand: the client becomes a replica; its reply (the RDB payload, or
 * +CONTINUE and the backlog, then the stream) is not a RESP reply: it goes out through the
 * outbox.
 */
function replicaSync(c: CommandCall, psync: boolean): Reply {
  const { srv } = c
  // A replica already: the command is ignored.
  if (srv.repl.replicas.includes(c.client.id)) {
    c.client.replyFlags |= REPLY_NONE
    return OK
  }
  if (c.client.multi !== null) return error('ERR Command not allowed inside a transaction')
  // A replica serves replicas of its own only once its link is up.
  if (srv.repl.masterhost !== null && srv.repl.linkState !== 'connected')
    return error("NOMASTERLINK Can't SYNC while not connected with my master")
  const name = replicationGetSlaveName(srv, c.client)
  serverLog(srv, 'notice', `Replica ${name} asks for synchronization`)
  let bytes: string | null = null
  if (psync) {
    const offset = getLongLongOrReply(c.argv[2] ?? '')
    if (typeof offset === 'object') {
      serverLog(srv, 'warning', `Replica ${name} asks for synchronization but with a wrong offset`)
      return offset
    }
    const replid = c.argv[1] ?? ''
    bytes = masterTryPartialResynchronization(srv, c.client, replid, Number(offset), name)
    if (bytes !== null) srv.stats.syncPartialOk++
    else if (!replid.startsWith('?')) srv.stats.syncPartialErr++
  }
  if (bytes === null) srv.stats.syncFull++
  bytes ??= syncCommand(srv, c.ctx, c.client, psync)
  if (bytes !== '') srv.outbox.set(c.client.id, (srv.outbox.get(c.client.id) ?? '') + bytes)
  c.client.replyFlags |= REPLY_NONE
  return OK
}

/**
 * aof.c bgrewriteaofCommand (aof.ts): a rewrite already running is an error; with another
 * child, or inside EXEC, it is only scheduled. Without a host disk the rewritten file is kept
 * as an image (DEBUG LOADAOF reads it back).
 */
function bgrewriteaofCommand(c: CommandCall): Reply {
  const r = bgrewriteaof(c.srv, c.ctx, c.client.multi !== null)
  if (!r.ok) return error(r.text)
  if (!aofHasDisk(c.srv) && r.text.endsWith('started')) c.srv.aofImage = rdbSaveImage(c.srv, c.ctx)
  return simple(r.text)
}

const CLUSTER_DISABLED = error('ERR This instance has cluster support disabled')

/** clusterCommand, READONLY, READWRITE, ASKING with cluster-enabled no. */
const clusterDisabled: CommandHandler = () => CLUSTER_DISABLED

/**
 * replication.c replicaofCommand (REPLICAOF, SLAVEOF). NO ONE makes a replica a master again
 * (nothing to do on a master); otherwise a replica client is refused, the port checked
 * (0..65535), and the server follows host:port (replica.ts: a master never reached), unless
 * it follows that very master already. Each change is logged with the client that asked.
 */
function replicaofCommand(c: CommandCall): Reply {
  const { srv } = c
  const r = srv.repl
  if (eqIgnoreCase(c.argv[1], 'no') && eqIgnoreCase(c.argv[2], 'one')) {
    if (r.masterhost !== null) {
      replicationUnsetMaster(srv, c.ctx)
      disconnectSlaves(srv, c.ctx)
      const client = clientInfoString(srv, c.client, c.client)
      serverLog(srv, 'notice', `MASTER MODE enabled (user request from '${client}')`)
    }
    return OK
  }
  if (r.replicas.includes(c.client.id))
    return error('ERR Command is not valid when client is a replica.')
  const port = getRangeLongOrReply(c.argv[2] ?? '', 0n, 65535n, 'ERR Invalid master port')
  if (typeof port === 'object') return port
  // The host is a C string (sdsnew, strcasecmp): it ends at a NUL.
  const host = cstr(c.argv[1] ?? '')
  if (r.masterhost !== null && eqIgnoreCase(r.masterhost, host) && r.masterport === Number(port)) {
    serverLog(
      srv,
      'notice',
      'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    )
    return ALREADY_CONNECTED
  }
  // replicationSetMaster: clients blocked in a master's command are dropped first.
  disconnectAllBlockedClients(srv, c.ctx)
  replicationSetMaster(srv, c.ctx, host, Number(port))
  const client = clientInfoString(srv, c.client, c.client)
  serverLog(
    srv,
    'notice',
    `REPLICAOF ${host}:${String(port)} enabled (user request from '${client}')`,
  )
  return OK
}

const ALREADY_CONNECTED = simple('OK Already connected to specified master')

/** The reply of a MIGRATE none of whose keys exists (cluster.c migrateCommand). */
const NOKEY: Reply = { type: 'simple', value: 'NOKEY' }

/**
 * cluster.c migrateCommand up to the connection: the options (COPY, REPLACE, AUTH, AUTH2,
 * KEYS), the timeout and db, then NOKEY when none of the keys exists. Moving keys that do
 * exist needs a second server, which is not modelled.
 */
function migrateCommand(c: CommandCall): Reply {
  const { argv } = c
  let firstKey = 3
  let numKeys = 1
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j
    const opt = argv[j]
    if (eqIgnoreCase(opt, 'copy') || eqIgnoreCase(opt, 'replace')) continue
    if (eqIgnoreCase(opt, 'auth')) {
      if (more < 1) return ERR_SYNTAX
      // The credentials never reach the slow log or MONITOR.
      redactClientCommandArgument(c.srv, ++j)
    } else if (eqIgnoreCase(opt, 'auth2')) {
      if (more < 2) return ERR_SYNTAX
      redactClientCommandArgument(c.srv, ++j)
      redactClientCommandArgument(c.srv, ++j)
    } else if (eqIgnoreCase(opt, 'keys')) {
      if ((argv[3] ?? '').length !== 0)
        return error(
          'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
        )
      firstKey = j + 1
      numKeys = argv.length - j - 1
      break
    } else {
      return ERR_SYNTAX
    }
  }
  const timeout = getLongOrReply(argv[5] ?? '')
  if (typeof timeout === 'object') return timeout
  const dbid = getLongOrReply(argv[4] ?? '')
  if (typeof dbid === 'object') return dbid
  let found = 0
  for (let j = 0; j < numKeys; j++)
    if (lookupKeyRead(c.srv, c.ctx, c.db, argv[firstKey + j] ?? '') !== null) found++
  if (found === 0) return NOKEY
  return notModelled('MIGRATE (a second server)')(c)
}

/** server.h NET_HOST_STR_LEN: the longest replica address REPLCONF ip-address takes, plus one. */
const NET_HOST_STR_LEN = 256

/**
 * replication.c replconfCommand: option/value pairs parsed in order. listening-port and
 * ip-address are kept for INFO and ROLE; ACK from a replica records its offset; GETACK on a
 * replica answers REPLCONF ACK <offset> to its master. ACK and GETACK return at once with no
 * reply at all; the pairs after them are not looked at. (Queued in a transaction, Redis's
 * EXEC would then send one element short; here that element is OK.)
 */
function replconfCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length % 2 === 0) return ERR_SYNTAX
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j] ?? ''
    const val = argv[j + 1] ?? ''
    if (eqIgnoreCase(opt, 'listening-port')) {
      const port = getLongOrReply(val)
      if (typeof port === 'object') return port
      replicaInfoOf(c.srv, c.client.id).listeningPort = Number(BigInt.asIntN(32, port))
    } else if (eqIgnoreCase(opt, 'ip-address')) {
      if (val.length >= NET_HOST_STR_LEN)
        return error(
          `ERR REPLCONF ip-address provided by replica instance is too long: ${String(val.length)} bytes`,
        )
      replicaInfoOf(c.srv, c.client.id).ip = val
    } else if (eqIgnoreCase(opt, 'capa')) {
      // eof: the replica takes a diskless payload; others this master ignores.
      if (eqIgnoreCase(val, 'eof')) replicaInfoOf(c.srv, c.client.id).capaEof = true
    } else if (eqIgnoreCase(opt, 'ack') || eqIgnoreCase(opt, 'getack')) {
      if (c.client.multi === null) c.client.replyFlags |= REPLY_NONE
      if (eqIgnoreCase(opt, 'ack')) {
        // A replica's ACK <offset> (strtoll of the value: a bad one fails, silently).
        const offset = getLongLongOrReply(val)
        if (typeof offset !== 'object') replicaAcked(c.srv, c.client.id, Number(offset))
      } else if (c.srv.repl.masterhost !== null && c.srv.repl.master !== null) {
        replicationSendAck(c.srv)
      }
      return OK
    } else if (eqIgnoreCase(opt, 'rdb-only')) {
      const v = getRangeLongOrReply(val, 0n, 1n)
      if (typeof v === 'object') return v
    } else if (eqIgnoreCase(opt, 'rdb-filter-only')) {
      const filters = sdssplitargs(val)
      if (filters === null) return error('ERR Missing rdb-filter-only values')
      const bad = filters.find((f) => !eqIgnoreCase(f, 'functions'))
      if (bad !== undefined) return error(`ERR Unsupported rdb-filter-only option: ${cstr(bad)}`)
    } else {
      return error(`ERR Unrecognized REPLCONF option: ${cstr(opt)}`)
    }
  }
  return OK
}

/**
 * replication.c failoverCommand on a master with no replicas and no failover under way:
 * ABORT alone has nothing to abort; otherwise the options are parsed (TIMEOUT ms > 0, TO
 * host port, FORCE, each once) before the missing replicas are reported.
 */
function failoverCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length === 2 && eqIgnoreCase(argv[1], 'abort'))
    return error('ERR No failover in progress.')
  let timeout = 0n
  let host = false
  let force = false
  for (let j = 1; j < argv.length; j++) {
    if (eqIgnoreCase(argv[j], 'timeout') && j + 1 < argv.length && timeout === 0n) {
      const t = getLongLongOrReply(argv[j + 1] ?? '')
      if (typeof t === 'object') return t
      if (t <= 0n) return error('ERR FAILOVER timeout must be greater than 0')
      timeout = t
      j++
    } else if (eqIgnoreCase(argv[j], 'to') && j + 2 < argv.length && !host) {
      const port = getLongLongOrReply(argv[j + 2] ?? '')
      if (typeof port === 'object') return port
      host = true
      j += 2
    } else if (eqIgnoreCase(argv[j], 'force') && !force) {
      force = true
    } else {
      return ERR_SYNTAX
    }
  }
  if (c.srv.repl.masterhost !== null)
    return error('ERR FAILOVER is not valid when server is a replica.')
  return error('ERR FAILOVER requires connected replicas.')
}

/**
 * What a SHUTDOWN that would stop the server answers: the engine cannot stop its host. The
 * browser tab answers it as it is; `npm run serve` stops instead, as redis-server does
 * (src/server/server.ts RespServerOptions.shutdown), and an embedded RESP server without a
 * shutdown says how to stop it.
 */
export const SHUTDOWN_NOT_MODELLED = error(
  'ERR SHUTDOWN is not supported by this server (Redis X-Ray does not model shutting the server down)',
)

/**
 * db.c shutdownCommand up to prepareForShutdown: the options, their illegal combinations,
 * ABORT (only a signal's shutdown, not run yet, can be in progress) and a DENY BLOCKING
 * client, byte for byte; then,
 * instead of exiting, SHUTDOWN_NOT_MODELLED.
 */
const SHUTDOWN_FLAGS = ['nosave', 'save', 'now', 'force', 'abort'] as const

function shutdownCommand(c: CommandCall): Reply {
  const flags = new Set<string>()
  let abort = false
  for (const arg of c.argv.slice(1)) {
    const opt = SHUTDOWN_FLAGS.find((f) => eqIgnoreCase(arg, f))
    if (opt === undefined) return ERR_SYNTAX
    if (opt === 'abort') abort = true
    else flags.add(opt)
  }
  if ((abort && flags.size > 0) || (flags.has('nosave') && flags.has('save'))) return ERR_SYNTAX
  if (abort) {
    // abortShutdown: a signal's shutdown not run yet is dropped.
    if (c.srv.shutdownAsap === undefined || c.srv.shutdownAsap === null)
      return error('ERR No shutdown in progress.')
    c.srv.shutdownAsap = null
    c.srv.shutdownDue = null
    serverLog(c.srv, 'notice', 'Shutdown manually aborted.')
    return OK
  }
  if (!flags.has('now') && c.client.denyBlocking)
    return error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client")
  return SHUTDOWN_NOT_MODELLED
}

/** A container whose listed subcommands answer `answers[sub]`, the others notModelled(what). */
function container(
  name: string,
  what: string,
  answers: Readonly<Record<string, CommandHandler>> = {},
): CommandSpec {
  const subs = subcommandsOf(name).map((sub) =>
    defineSubcommand(name, sub, answers[sub] ?? notModelled(what)),
  )
  return defineCommand(name, notModelled(what), subs)
}

/** The subcommand names 7.0.15 lists under a container. */
function subcommandsOf(name: string): string[] {
  const prefix = `${name}|`
  return Object.keys(COMMAND_META)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
}

/** module.c moduleCommand's HELP lines. */
const MODULE_HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
]

/** module.c moduleCommand when moduleLoad fails (here: always, no library can be opened). */
const MODULE_LOAD_FAILED = error('ERR Error loading the extension. Please check the server logs.')

export const standaloneCommands: readonly CommandSpec[] = [
  // A standalone master's own answers.
  container(
    'cluster',
    'cluster mode',
    Object.fromEntries(subcommandsOf('cluster').map((s) => [s, clusterDisabled])),
  ),
  defineCommand('readonly', clusterDisabled),
  defineCommand('readwrite', clusterDisabled),
  defineCommand('asking', clusterDisabled),
  defineCommand('replicaof', replicaofCommand),
  defineCommand('slaveof', replicaofCommand),
  defineCommand('failover', failoverCommand),
  // MODULE LOAD/LOADEX/UNLOAD pass processCommand's enable-module-command gate (server.ts)
  // only when it allows them; then no library can be opened and no module is loaded.
  container('module', 'modules', {
    list: () => EMPTY_ARRAY,
    help: () => helpReply('module', MODULE_HELP),
    load: () => MODULE_LOAD_FAILED,
    loadex: () => MODULE_LOAD_FAILED,
    unload: () => error('ERR Error unloading module: no such module with that name'),
  }),
  // Not modelled.
  defineCommand('migrate', migrateCommand),
  defineCommand('replconf', replconfCommand),
  defineCommand('sync', (c) => replicaSync(c, false)),
  defineCommand('psync', (c) => replicaSync(c, true)),
  defineCommand('bgrewriteaof', bgrewriteaofCommand),
  defineCommand('shutdown', shutdownCommand),
]
