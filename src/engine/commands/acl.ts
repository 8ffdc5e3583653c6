/**
 * The ACL command (acl.c aclCommand): SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT,
 * GENPASS, LOG, DRYRUN, LOAD / SAVE and HELP. The user model and the permission checks are
 * in ../acl.ts; AUTH and HELLO AUTH are in connection.ts.
 *
 * ACL LOAD and SAVE read and write the aclfile through the host (setAclFileHook; the browser
 * has none, so there they answer Redis's "not configured to use an ACL file"). ACL GENPASS draws from ctx.rng instead of /dev/urandom. ACL CAT lists a
 * category's commands in COMMAND_META order where Redis follows its command dict's order
 * (which depends on the hash seed).
 */
import {
  ACL_CATEGORIES,
  aclCheckAllUserCommandPerm,
  aclDeleteUser,
  aclDescribeSelectorCommandRules,
  aclDescribeUser,
  aclDryrunMessage,
  aclGenpass,
  aclLoadFromText,
  aclSaveText,
  aclSelectorKeysAndChannels,
  aclSortedUserNames,
  aclStringSetUser,
  aclUserFlagNames,
  GENPASS_RANGE_ERROR,
  type AclFileHost,
  type AclSelector,
} from '../acl.ts'
import type { ExecContext } from '../context.ts'
import { serverLog } from '../serverLog.ts'
import type { ServerState } from '../state.ts'
import { cstr } from '../bytes.ts'
import { lookupCommand, redactClientCommandArgument } from '../call.ts'
import {
  array,
  bulk,
  bulkArray,
  doubleReply,
  error,
  integer,
  mapReply,
  NIL,
  OK,
  setReply,
  type Reply,
} from '../reply.ts'
import { addReplyDoubleText } from '../util/numbers.ts'
import { COMMAND_META } from './meta.generated.ts'
import { eqIgnoreCase, getLongOrReply, helpReply, subcommandSyntaxError } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
]

const NO_ACL_FILE = error(
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
)

/** Names in byte order, as Redis's rax of users lists them. */
function sortedUserNames(c: CommandCall): string[] {
  return aclSortedUserNames(c.srv)
}

const aclFileHosts = new WeakMap<ServerState, AclFileHost>()

/** The host's file system for the aclfile (npm run serve); without one there is no aclfile. */
export function setAclFileHook(srv: ServerState, hook: AclFileHost | null): void {
  if (hook === null) aclFileHosts.delete(srv)
  else aclFileHosts.set(srv, hook)
}

/** server.acl_filename with a host to reach it, else null (no ACL file). */
function aclFile(srv: ServerState): { host: AclFileHost; path: string } | null {
  const host = aclFileHosts.get(srv)
  const path = srv.config.other['aclfile'] ?? ''
  return host === undefined || path === '' ? null : { host, path }
}

/**
 * acl.c ACLLoadFromFile: the aclfile read and loaded (null), or why not: "Error loading
 * ACLs, opening file ..." or the errors of its lines. No aclfile: null.
 */
export function aclLoadFromFile(srv: ServerState, ctx: ExecContext | null): string | null {
  const file = aclFile(srv)
  if (file === null) return null
  const read = file.host.read(file.path)
  if ('error' in read) return `Error loading ACLs, opening file '${file.path}': ${read.error}`
  return aclLoadFromText(srv, file.path, read.text, ctx)
}

/** ACL LOAD: OK, or the file's errors as they are (addReplyErrorSds). */
function loadCommand(c: CommandCall): Reply {
  if (aclFile(c.srv) === null) return NO_ACL_FILE
  if (c.argv.length !== 2) return subcommandSyntaxError(c.argv)
  const errors = aclLoadFromFile(c.srv, c.ctx)
  return errors === null ? OK : error(`ERR ${errors}`)
}

/** ACL SAVE (acl.c ACLSaveToFile): the users written in ACL LIST's lines. */
function saveCommand(c: CommandCall): Reply {
  const file = aclFile(c.srv)
  if (file === null) return NO_ACL_FILE
  if (c.argv.length !== 2) return subcommandSyntaxError(c.argv)
  const failed = file.host.write(file.path, aclSaveText(c.srv))
  if (failed === null) return OK
  serverLog(c.srv, 'warning', failed)
  return error(
    'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  )
}

function setuserCommand(c: CommandCall): Reply {
  const { argv, srv } = c
  // Every argument is redacted (slow log, MONITOR) so no rule or password leaks.
  for (let j = 2; j < argv.length; j++) redactClientCommandArgument(srv, j)
  const username = argv[2] ?? ''
  if (/[\0\t\n\v\f\r ]/.test(username))
    return error("ERR Usernames can't contain spaces or null characters")
  const err = aclStringSetUser(srv, username, argv.slice(3), c.ctx)
  return err === null ? OK : error(`ERR ${err}`)
}

function deluserCommand(c: CommandCall): Reply {
  const names = c.argv.slice(2)
  if (names.includes('default')) return error("ERR The 'default' user cannot be removed")
  let deleted = 0
  for (const n of names) if (aclDeleteUser(c.srv, n, c.ctx)) deleted++
  return integer(deleted)
}

/** acl.c aclAddReplySelectorDescription: commands, keys, channels. */
function selectorDescription(s: AclSelector): Reply[] {
  const { keys, channels } = aclSelectorKeysAndChannels(s)
  return [
    bulk('commands'),
    bulk(aclDescribeSelectorCommandRules(s)),
    bulk('keys'),
    bulk(keys),
    bulk('channels'),
    bulk(channels),
  ]
}

function getuserCommand(c: CommandCall): Reply {
  const u = c.srv.acl.users.get(c.argv[2] ?? '')
  if (u === undefined) return NIL
  const [root, ...rest] = u.selectors
  const resp = c.client.resp
  // acl.c aclCommand getuser: a map; flags a set; each selector a map (RESP3).
  return mapReply(resp, [
    bulk('flags'),
    setReply(resp, aclUserFlagNames(u).map(bulk)),
    bulk('passwords'),
    bulkArray(u.passwords),
    ...(root === undefined ? [] : selectorDescription(root)),
    bulk('selectors'),
    array(rest.map((s) => mapReply(resp, selectorDescription(s)))),
  ])
}

/**
 * ACL CAT [category] (acl.c aclCatWithFlags): the categories, or every command and
 * "container|subcommand" in one (case-insensitive name).
 */
function catCommand(c: CommandCall): Reply {
  if (c.argv.length === 2) return bulkArray(ACL_CATEGORIES)
  if (c.argv.length > 3) return subcommandSyntaxError(c.argv)
  const name = c.argv[2] ?? ''
  const cat = ACL_CATEGORIES.find((k) => eqIgnoreCase(name, k))
  if (cat === undefined) return error(`ERR Unknown category '${cstr(name).slice(0, 128)}'`)
  // Every 7.0.15 command and subcommand, including the few the table does not implement.
  const out: Reply[] = []
  for (const [full, meta] of Object.entries(COMMAND_META))
    if ((meta.acl as readonly string[]).includes(cat)) out.push(bulk(full))
  return array(out)
}

function genpassCommand(c: CommandCall): Reply {
  if (c.argv.length > 3) return subcommandSyntaxError(c.argv)
  let bits = 256
  if (c.argv.length === 3) {
    const v = getLongOrReply(c.argv[2] ?? '')
    if (typeof v !== 'bigint') return v
    bits = v > 1_000_000n ? 1_000_000 : v < -1n ? -1 : Number(v)
  }
  const pass = aclGenpass(c.ctx.rng, bits)
  return pass === null ? error(`ERR ${GENPASS_RANGE_ERROR}`) : bulk(pass)
}

function logCommand(c: CommandCall): Reply {
  if (c.argv.length > 3) return subcommandSyntaxError(c.argv)
  const log = c.srv.acl.log
  let count = 10
  if (c.argv.length === 3) {
    const arg = c.argv[2] ?? ''
    if (eqIgnoreCase(arg, 'reset')) {
      log.length = 0
      return OK
    }
    const v = getLongOrReply(arg)
    if (typeof v !== 'bigint') return v
    count = v < 0n ? 0 : v > BigInt(log.length) ? log.length : Number(v)
  }
  count = Math.min(count, log.length)
  const now = c.srv.mstime
  const resp = c.client.resp
  return array(
    log
      .slice(0, count)
      .map((e) =>
        mapReply(resp, [
          bulk('count'),
          integer(e.count),
          bulk('reason'),
          bulk(e.reason),
          bulk('context'),
          bulk(e.context),
          bulk('object'),
          bulk(e.object),
          bulk('username'),
          bulk(e.username),
          bulk('age-seconds'),
          doubleReply(resp, addReplyDoubleText((now - e.ctime) / 1000)),
          bulk('client-info'),
          bulk(e.cinfo),
        ]),
      ),
  )
}

function dryrunCommand(c: CommandCall): Reply {
  const { argv, srv } = c
  const u = srv.acl.users.get(argv[2] ?? '')
  if (u === undefined) return error(`ERR User '${cstr(argv[2] ?? '')}' not found`)
  const args = argv.slice(3)
  const { cmd, parent } = lookupCommand(srv, args)
  if (cmd === undefined) return error(`ERR Command '${cstr(args[0] ?? '')}' not found`)
  const fullname = parent === null ? cmd.name : `${parent.name}|${cmd.name}`
  if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity)
    return error(`ERR wrong number of arguments for '${fullname}' command`)
  const r = aclCheckAllUserCommandPerm(u, cmd, fullname, args)
  return r.result === 'ok' ? OK : bulk(aclDryrunMessage(r, fullname, args))
}

/** The subcommands acl.c answers only with its exact argument counts. */
function exactArgs(n: number, fn: (c: CommandCall) => Reply): (c: CommandCall) => Reply {
  return (c) => (c.argv.length === n ? fn(c) : subcommandSyntaxError(c.argv))
}

const aclCommand = defineCommand('acl', undefined, [
  defineSubcommand('acl', 'setuser', setuserCommand),
  defineSubcommand('acl', 'deluser', deluserCommand),
  defineSubcommand('acl', 'getuser', getuserCommand),
  defineSubcommand(
    'acl',
    'list',
    exactArgs(2, (c) =>
      bulkArray(
        sortedUserNames(c).map((n) => {
          const u = c.srv.acl.users.get(n)
          return u === undefined ? '' : `user ${n} ${aclDescribeUser(u)}`
        }),
      ),
    ),
  ),
  defineSubcommand(
    'acl',
    'users',
    exactArgs(2, (c) => bulkArray(sortedUserNames(c))),
  ),
  defineSubcommand(
    'acl',
    'whoami',
    exactArgs(2, (c) => bulk(c.client.user.name)),
  ),
  defineSubcommand('acl', 'load', loadCommand),
  defineSubcommand('acl', 'save', saveCommand),
  defineSubcommand('acl', 'cat', catCommand),
  defineSubcommand('acl', 'genpass', genpassCommand),
  defineSubcommand('acl', 'log', logCommand),
  defineSubcommand('acl', 'dryrun', dryrunCommand),
  defineSubcommand(
    'acl',
    'help',
    exactArgs(2, () => helpReply('acl', ACL_HELP)),
  ),
])

export const aclCommands: readonly CommandSpec[] = [aclCommand]
