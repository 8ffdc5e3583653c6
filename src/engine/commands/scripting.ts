/**
 * Scripting and functions (eval.c, function_lua.c, functions.c) as a server with no Lua
 * engine: everything that would run or load code answers ERR_SCRIPTING_NOT_SUPPORTED below,
 * once the arguments Redis checks before it reaches Lua (EVAL's numkeys, FUNCTION LOAD's
 * metadata, FUNCTION RESTORE's payload) have passed those same checks; the introspection
 * commands answer exactly as a Redis 7.0 with no scripts and no libraries loaded (FUNCTION
 * LIST → empty, FUNCTION STATS, SCRIPT EXISTS → 0s, EVALSHA → NOSCRIPT, FCALL → "Function
 * not found"), so client libraries that probe on connect keep working.
 */
import { cstr } from '../bytes.ts'
import { RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, verifyDumpPayload } from '../rdbEncode.ts'
import { sdssplitargs } from '../resp.ts'
import {
  array,
  bulk,
  EMPTY_ARRAY,
  error,
  integer,
  mapReply,
  NIL,
  OK,
  ZERO,
  type Reply,
} from '../reply.ts'
import { eqIgnoreCase, getLongLongOrReply, helpReply, subcommandSyntaxError } from './parse.ts'
import { defineCommand, defineSubcommand, type CommandCall, type CommandSpec } from './spec.ts'

/** The error for anything that needs a Lua engine. */
export const ERR_SCRIPTING_NOT_SUPPORTED = error(
  'ERR scripting is not supported by this server (Redis X-Ray emulates Redis 7.0 without a Lua engine)',
)

const NOTBUSY = error('NOTBUSY No scripts in execution right now.')

/** An empty FUNCTION DUMP payload: RDB version 10 and its CRC64, as 7.0.15 sends it. */
const EMPTY_FUNCTION_DUMP = '\n\x00]\x9b\\@\x0f\x7f\xa2\xda'

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
]

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
]

/** functions.c functionListCommand's argument parsing; there are never libraries. */
function functionListCommand(c: CommandCall): Reply {
  const { argv } = c
  let withcode = false
  let pattern = false
  for (let i = 2; i < argv.length; i++) {
    const next = argv[i] ?? ''
    if (!withcode && eqIgnoreCase(next, 'withcode')) {
      withcode = true
      continue
    }
    if (!pattern && eqIgnoreCase(next, 'libraryname')) {
      if (i >= argv.length - 1) return error('ERR library name argument was not given')
      pattern = true
      i++
      continue
    }
    return error(`ERR Unknown argument ${cstr(next)}`)
  }
  return EMPTY_ARRAY
}

function functionFlushCommand(c: CommandCall): Reply {
  if (c.argv.length > 3) return subcommandSyntaxError(c.argv)
  if (c.argv.length === 3 && !eqIgnoreCase(c.argv[2], 'sync') && !eqIgnoreCase(c.argv[2], 'async'))
    return error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option')
  // server.dirty++: a data change for persistence and replication, libraries or not.
  c.srv.dirty++
  return OK
}

function scriptFlushCommand(c: CommandCall): Reply {
  if (
    c.argv.length > 3 ||
    (c.argv.length === 3 && !eqIgnoreCase(c.argv[2], 'sync') && !eqIgnoreCase(c.argv[2], 'async'))
  )
    return error('ERR SCRIPT FLUSH only support SYNC|ASYNC option')
  return OK
}

const notSupported = (): Reply => ERR_SCRIPTING_NOT_SUPPORTED

const NOSCRIPT = error('NOSCRIPT No matching script. Please use EVAL.')

/**
 * eval.c evalGenericCommand up to the script lookup: numkeys is checked first, so a bad
 * count answers as Redis does; a valid call needs Lua (EVAL) or finds no script (EVALSHA:
 * the cache is always empty).
 */
function evalGenericCommand(c: CommandCall, evalsha: boolean): Reply {
  const numkeys = getLongLongOrReply(c.argv[2] ?? '')
  if (typeof numkeys === 'object') return numkeys
  if (numkeys > BigInt(c.argv.length - 3))
    return error("ERR Number of keys can't be greater than number of args")
  if (numkeys < 0n) return error("ERR Number of keys can't be negative")
  return evalsha ? NOSCRIPT : ERR_SCRIPTING_NOT_SUPPORTED
}

/** eval.c evalShaCommand: a SHA that is not 40 bytes long cannot match, before anything else. */
function evalShaCommand(c: CommandCall): Reply {
  if ((c.argv[1] ?? '').length !== 40) return NOSCRIPT
  return evalGenericCommand(c, true)
}

/** eval.c scriptCommand's DEBUG branch: NO is a no-op here; YES and SYNC need Lua. */
function scriptDebugCommand(c: CommandCall): Reply {
  const mode = c.argv[2]
  if (eqIgnoreCase(mode, 'no')) return OK
  if (eqIgnoreCase(mode, 'yes') || eqIgnoreCase(mode, 'sync')) return ERR_SCRIPTING_NOT_SUPPORTED
  return error('ERR Use SCRIPT DEBUG YES/SYNC/NO')
}

/**
 * functions.c functionRestoreCommand: the policy, then the payload's version and checksum;
 * a payload with no libraries (FUNCTION DUMP of an empty server) restores nothing and
 * answers OK, one with libraries would need Lua.
 */
function functionRestoreCommand(c: CommandCall): Reply {
  const { argv } = c
  if (argv.length > 4) return subcommandSyntaxError(argv)
  const policy = argv[3]
  if (
    policy !== undefined &&
    !eqIgnoreCase(policy, 'append') &&
    !eqIgnoreCase(policy, 'replace') &&
    !eqIgnoreCase(policy, 'flush')
  )
    return error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.')
  const data = argv[2] ?? ''
  if (!verifyDumpPayload(data, c.srv.skipChecksumValidation === true))
    return error('ERR DUMP payload version or checksum are wrong')
  // The body before the 10-byte footer: a run of function records (rdbLoadType first).
  if (data.length === 10) {
    c.srv.dirty++
    return OK
  }
  const type = data.charCodeAt(0)
  if (type !== RDB_OPCODE_FUNCTION && type !== RDB_OPCODE_FUNCTION2)
    return error('ERR given type is not a function')
  return ERR_SCRIPTING_NOT_SUPPORTED
}

/** functions.c functionsVerifyName: letters, digits and underscores, at least one. */
function functionsVerifyName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name)
}

/**
 * functions.c functionLoadCommand and functionsCreateWithLibraryCtx up to the engine: the
 * options, then the shebang's metadata (functionExtractLibMetaData), the library name and
 * the engine; a library that gets that far would need Lua.
 */
function functionLoadCommand(c: CommandCall): Reply {
  const { argv } = c
  let i = 2
  while (i < argv.length - 1) {
    const next = argv[i++] ?? ''
    if (eqIgnoreCase(next, 'replace')) continue
    return error(`ERR Unknown option given: ${cstr(next)}`)
  }
  if (i >= argv.length) return error('ERR Function code is missing')
  // The code is read as a C string (strncmp, strchr).
  const code = cstr(argv[i] ?? '')
  if (!code.startsWith('#!')) return error('ERR Missing library metadata')
  const end = code.indexOf('\n')
  if (end < 0) return error('ERR Invalid library metadata')
  const parts = sdssplitargs(code, 0, end)
  if (parts === null || parts.length === 0) return error('ERR Invalid library metadata')
  let name: string | null = null
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null)
        return error('ERR Invalid metadata value, name argument was given multiple times')
      name = part.slice(5)
      continue
    }
    return error(`ERR Invalid metadata value given: ${cstr(part)}`)
  }
  if (name === null) return error('ERR Library name was not given')
  if (!functionsVerifyName(name))
    return error(
      'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
    )
  const engine = (parts[0] ?? '').slice(2)
  if (engine.toLowerCase() !== 'lua') return error(`ERR Engine '${engine}' not found`)
  return ERR_SCRIPTING_NOT_SUPPORTED
}

export const scriptingCommands: readonly CommandSpec[] = [
  defineCommand('eval', (c) => evalGenericCommand(c, false)),
  defineCommand('eval_ro', (c) => evalGenericCommand(c, false)),
  defineCommand('evalsha', evalShaCommand),
  defineCommand('evalsha_ro', evalShaCommand),
  defineCommand('fcall', () => error('ERR Function not found')),
  defineCommand('fcall_ro', () => error('ERR Function not found')),
  defineCommand('script', undefined, [
    defineSubcommand('script', 'load', notSupported),
    defineSubcommand('script', 'debug', scriptDebugCommand),
    defineSubcommand('script', 'exists', (c) => array(c.argv.slice(2).map(() => ZERO))),
    defineSubcommand('script', 'flush', scriptFlushCommand),
    defineSubcommand('script', 'kill', () => NOTBUSY),
    defineSubcommand('script', 'help', () => helpReply('script', SCRIPT_HELP)),
  ]),
  defineCommand('function', undefined, [
    defineSubcommand('function', 'load', functionLoadCommand),
    defineSubcommand('function', 'restore', functionRestoreCommand),
    defineSubcommand('function', 'dump', () => bulk(EMPTY_FUNCTION_DUMP)),
    defineSubcommand('function', 'delete', () => error('ERR Library not found')),
    defineSubcommand('function', 'list', functionListCommand),
    defineSubcommand('function', 'stats', (c) => {
      const resp = c.client.resp
      return mapReply(resp, [
        bulk('running_script'),
        NIL,
        bulk('engines'),
        mapReply(resp, [
          bulk('LUA'),
          mapReply(resp, [
            bulk('libraries_count'),
            integer(0),
            bulk('functions_count'),
            integer(0),
          ]),
        ]),
      ])
    }),
    defineSubcommand('function', 'flush', functionFlushCommand),
    defineSubcommand('function', 'kill', () => NOTBUSY),
    defineSubcommand('function', 'help', () => helpReply('function', FUNCTION_HELP)),
  ]),
]
