/**
 * Command spec types and the `defineCommand` helpers. Kept apart from table.ts so a family file
 * can import them without an import cycle through the table (table.ts imports every
 * family; a family importing a value from table.ts would see it uninitialised).
 *
 * Family files write `defineCommand('get', getCommand)`: everything Redis knows about the
 * command (arity, flags, ACL categories, key specs, docs) comes from meta.generated.ts.
 */
import type { ExecContext } from '../context.ts'
import type { RedisDb } from '../keyspace/db.ts'
import type { Reply } from '../reply.ts'
import type { Client, ServerState } from '../state.ts'
import { COMMAND_META } from './meta.generated.ts'

// --- Types ---

/** Redis 7.0 command flags (as COMMAND INFO spells them, with '-' as '_'). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'protected'
  | 'module_getkeys'
  | 'module_no_cluster'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy'

/** ACL categories without the '@'. */
export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting'

export type CommandGroup =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'hyperloglog'
  | 'cluster'
  | 'sentinel'
  | 'geo'
  | 'stream'
  | 'bitmap'

/** One argument in the command's documented syntax (commands/*.json "arguments"). */
export interface CommandArg {
  readonly name: string
  readonly type:
    | 'string'
    | 'integer'
    | 'double'
    | 'key'
    | 'pattern'
    | 'unix-time'
    | 'pure-token'
    | 'oneof'
    | 'block'
  readonly key_spec_index?: number
  readonly token?: string
  readonly summary?: string
  readonly since?: string
  readonly deprecated_since?: string
  readonly flags?: readonly ('optional' | 'multiple' | 'multiple_token')[]
  readonly arguments?: readonly CommandArg[]
  /** Hand-written specs (spec()) may use these instead of `flags`. */
  readonly optional?: boolean
  readonly multiple?: boolean
  readonly multipleToken?: boolean
  readonly args?: readonly CommandArg[]
}

/** One key spec as COMMAND INFO shows it (server.h keySpec). */
export interface KeySpec {
  readonly notes?: string
  readonly flags: readonly string[]
  readonly begin_search:
    | { readonly type: 'index'; readonly index: number }
    | { readonly type: 'keyword'; readonly keyword: string; readonly startfrom: number }
    | { readonly type: 'unknown' }
  readonly find_keys:
    | {
        readonly type: 'range'
        readonly lastkey: number
        readonly keystep: number
        readonly limit: number
      }
    | {
        readonly type: 'keynum'
        readonly keynumidx: number
        readonly firstkey: number
        readonly keystep: number
      }
    | { readonly type: 'unknown' }
}

/** Generated metadata of one command (meta.generated.ts). */
export interface CommandMeta {
  readonly arity: number
  readonly flags: readonly string[]
  readonly acl: readonly string[]
  readonly firstKey: number
  readonly lastKey: number
  readonly step: number
  readonly group: string
  readonly since: string
  readonly summary: string
  readonly complexity?: string
  readonly docFlags?: readonly string[]
  readonly deprecatedSince?: string
  readonly replacedBy?: string
  readonly history?: readonly (readonly [string, string])[]
  readonly tips?: readonly string[]
  readonly keySpecs?: readonly KeySpec[]
  readonly arguments?: readonly CommandArg[]
}

/** What a handler gets. */
export interface CommandCall {
  readonly srv: ServerState
  readonly client: Client
  /** The client's selected db at dispatch time. */
  readonly db: RedisDb
  readonly ctx: ExecContext
  /** Byte strings, argv[0] the name as typed. */
  readonly argv: readonly string[]
  /** The spec being run (the subcommand's when there is one). */
  readonly cmd: CommandSpec
}

export type CommandHandler = (c: CommandCall) => Reply

export interface CommandSpec {
  /** Lowercase; for subcommands just the subcommand ('get'). */
  readonly name: string
  readonly arity: number
  readonly flags: readonly CommandFlag[]
  readonly aclCategories: readonly AclCategory[]
  readonly firstKey: number
  readonly lastKey: number
  readonly step: number
  readonly group: CommandGroup
  readonly since: string
  readonly summary: string
  readonly complexity?: string
  /** Documented syntax, for COMMAND DOCS and the console's hints. */
  readonly arguments?: readonly CommandArg[]
  /** Command tips (COMMAND INFO element 8), e.g. 'nondeterministic_output'. */
  readonly tips?: readonly string[]
  readonly keySpecs?: readonly KeySpec[]
  readonly docFlags?: readonly string[]
  readonly deprecatedSince?: string
  readonly replacedBy?: string
  readonly history?: readonly (readonly [string, string])[]
  readonly subcommands?: readonly CommandSpec[]
  /** Containers may omit a handler: dispatch always goes to a subcommand. */
  readonly handler?: CommandHandler
  /** For movable-keys commands: the key positions in argv. */
  readonly getKeys?: (argv: readonly string[]) => number[]
}

/**
 * Builds a command's spec from Redis's own metadata (meta.generated.ts) and a handler:
 * arity, flags, ACL categories, key range, key specs and docs all come from 7.0.15.
 * `name` is lowercase; containers pass their subcommands and usually no handler.
 */
export function defineCommand(
  name: string,
  handler: CommandHandler | undefined,
  subcommands?: readonly CommandSpec[],
): CommandSpec {
  return specFromMeta(name, name, handler, subcommands)
}

/** Builds a subcommand's spec ('config', 'get') from the metadata of 'config|get'. */
export function defineSubcommand(
  container: string,
  name: string,
  handler: CommandHandler,
): CommandSpec {
  return specFromMeta(`${container}|${name}`, name, handler, undefined)
}

/**
 * Commands flagged MAY_REPLICATE in Redis 7.0.15's commands/*.json: COMMAND INFO hides the
 * flag, so the generated metadata lacks it (CLIENT PAUSE WRITE holds these too).
 */
const MAY_REPLICATE = new Set(['eval', 'evalsha', 'fcall', 'pfcount', 'publish', 'spublish'])

function specFromMeta(
  key: string,
  name: string,
  handler: CommandHandler | undefined,
  subcommands: readonly CommandSpec[] | undefined,
): CommandSpec {
  const m = COMMAND_META[key]
  if (m === undefined) throw new Error(`no Redis 7.0 metadata for command '${key}'`)
  return {
    name,
    arity: m.arity,
    flags: MAY_REPLICATE.has(key)
      ? [...(m.flags as readonly CommandFlag[]), 'may_replicate']
      : (m.flags as readonly CommandFlag[]),
    aclCategories: m.acl as readonly AclCategory[],
    firstKey: m.firstKey,
    lastKey: m.lastKey,
    step: m.step,
    group: m.group as CommandGroup,
    since: m.since,
    summary: m.summary,
    ...(m.complexity !== undefined ? { complexity: m.complexity } : {}),
    ...(m.arguments !== undefined ? { arguments: m.arguments } : {}),
    ...(m.tips !== undefined ? { tips: m.tips } : {}),
    ...(m.keySpecs !== undefined ? { keySpecs: m.keySpecs } : {}),
    ...(m.docFlags !== undefined ? { docFlags: m.docFlags } : {}),
    ...(m.deprecatedSince !== undefined ? { deprecatedSince: m.deprecatedSince } : {}),
    ...(m.replacedBy !== undefined ? { replacedBy: m.replacedBy } : {}),
    ...(m.history !== undefined ? { history: m.history } : {}),
    ...(subcommands !== undefined ? { subcommands } : {}),
    ...(handler !== undefined ? { handler } : {}),
  }
}

/** Builds a spec by hand (commands Redis 7.0 does not have, tests). */
export function spec(
  s: Omit<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'aclCategories'> &
    Partial<Pick<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'aclCategories'>>,
): CommandSpec {
  return { firstKey: 0, lastKey: 0, step: 0, aclCategories: [], ...s }
}
