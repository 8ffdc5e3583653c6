/**
 * Scripting and functions (eval.c, function_lua.c, functions.c) as a server with no Lua
 * engine: everything that would run or load code answers NOSCRIPT_SUPPORT below; the
 * introspection commands answer exactly as a Redis 7.0 with no scripts and no libraries
 * loaded (FUNCTION LIST → empty, FUNCTION STATS, SCRIPT EXISTS → 0s, EVALSHA → NOSCRIPT,
 * FCALL → "Function not found"), so client libraries that probe on connect keep working.
 */
import { cstr } from '../bytes.ts'
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
import { eqIgnoreCase, helpReply } from './parse.ts'
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
  if (c.argv.length > 3)
    return error("unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.")
  if (c.argv.length === 3 && !eqIgnoreCase(c.argv[2], 'sync') && !eqIgnoreCase(c.argv[2], 'async'))
    return error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option')
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

export const scriptingCommands: readonly CommandSpec[] = [
  defineCommand('eval', notSupported),
  defineCommand('eval_ro', notSupported),
  defineCommand('evalsha', () => error('NOSCRIPT No matching script. Please use EVAL.')),
  defineCommand('evalsha_ro', () => error('NOSCRIPT No matching script. Please use EVAL.')),
  defineCommand('fcall', () => error('ERR Function not found')),
  defineCommand('fcall_ro', () => error('ERR Function not found')),
  defineCommand('script', undefined, [
    defineSubcommand('script', 'load', notSupported),
    defineSubcommand('script', 'debug', notSupported),
    defineSubcommand('script', 'exists', (c) => array(c.argv.slice(2).map(() => ZERO))),
    defineSubcommand('script', 'flush', scriptFlushCommand),
    defineSubcommand('script', 'kill', () => NOTBUSY),
    defineSubcommand('script', 'help', () => helpReply('script', SCRIPT_HELP)),
  ]),
  defineCommand('function', undefined, [
    defineSubcommand('function', 'load', notSupported),
    defineSubcommand('function', 'restore', notSupported),
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
