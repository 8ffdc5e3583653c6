/**
 * The rest of Redis 7.0's command table. Every 7.0.15 command is in the table, so COMMAND
 * COUNT, COMMAND INFO and DOCS, arity errors and the console's help are Redis's own; these
 * are the commands that answer without the feature behind them:
 *
 * - as a standalone master with no replicas, no cluster and no subscribers answers them
 *   (CLUSTER, READONLY, WAIT, REPLICAOF NO ONE, FAILOVER, MODULE LIST), byte
 *   for byte;
 * - or, for what X-Ray does not model (the HyperLogLog self-test, geo searches, MIGRATE,
 *   modules, replication, AOF, SHUTDOWN), with an error that names the command and says so, instead of Redis's
 *   "unknown command", which would read as if Redis had no such command.
 */
import { COMMAND_META } from './meta.generated.ts'
import { EMPTY_ARRAY, error, OK, ZERO, type Reply } from '../reply.ts'
import { eqIgnoreCase, getLongLongOrReply, helpReply } from './parse.ts'
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

const CLUSTER_DISABLED = error('ERR This instance has cluster support disabled')

/** clusterCommand, READONLY, READWRITE, ASKING with cluster-enabled no. */
const clusterDisabled: CommandHandler = () => CLUSTER_DISABLED

/** replication.c waitCommand on a master with no replicas: 0 acknowledged, at once or at the timeout. */
function waitCommand(c: CommandCall): Reply {
  const n = getLongLongOrReply(c.argv[1] ?? '')
  if (typeof n === 'object') return n
  const t = getLongLongOrReply(c.argv[2] ?? '', 'timeout is not an integer or out of range')
  if (typeof t === 'object') return t
  if (t < 0n) return error('ERR timeout is negative')
  // No replica ever acknowledges: with numreplicas > 0 and no timeout Redis blocks forever.
  if (n > 0n && t === 0n && c.client.multi === null)
    return notModelled('blocking commands (WAIT for a replica that does not exist)')(c)
  return ZERO
}

/** REPLICAOF / SLAVEOF: NO ONE on a master is OK; following a master is not modelled. */
function replicaofCommand(c: CommandCall): Reply {
  if (eqIgnoreCase(c.argv[1], 'no') && eqIgnoreCase(c.argv[2], 'one')) return OK
  return notModelled('replication')(c)
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

/** The commands of `names`, each answering notModelled(what). */
function notModelledAll(what: string, names: readonly string[]): CommandSpec[] {
  return names.map((n) => defineCommand(n, notModelled(what)))
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
  defineCommand('wait', waitCommand),
  defineCommand('replicaof', replicaofCommand),
  defineCommand('slaveof', replicaofCommand),
  defineCommand('failover', () => error('ERR FAILOVER requires connected replicas.')),
  container('module', 'modules', {
    list: () => EMPTY_ARRAY,
    help: () => helpReply('module', MODULE_HELP),
  }),
  // Not modelled.
  ...notModelledAll('the HyperLogLog self-test', ['pfselftest']),
  ...notModelledAll('geo searches yet', [
    'georadius',
    'georadius_ro',
    'georadiusbymember',
    'georadiusbymember_ro',
    'geosearch',
    'geosearchstore',
  ]),
  ...notModelledAll('MIGRATE (a second server)', ['migrate']),
  ...notModelledAll('replication', ['sync', 'psync', 'replconf']),
  ...notModelledAll('the append-only file', ['bgrewriteaof']),
  ...notModelledAll('server shutdown (stop `npm run serve` with Ctrl-C)', ['shutdown']),
]
