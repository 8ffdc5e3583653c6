/**
 * Command spec types and the `spec` helper. Kept apart from table.ts so a family file
 * can import them without an import cycle through the table (table.ts imports every
 * family; a family importing a value from table.ts would see it uninitialised).
 */
import type { ExecContext } from '../context.ts'
import type { RedisDb } from '../keyspace/db.ts'
import type { Reply } from '../reply.ts'
import type { Client, ServerState } from '../state.ts'

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
  readonly token?: string
  readonly optional?: boolean
  readonly multiple?: boolean
  readonly multipleToken?: boolean
  readonly since?: string
  readonly args?: readonly CommandArg[]
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
  readonly subcommands?: readonly CommandSpec[]
  /** Containers may omit a handler: dispatch always goes to a subcommand. */
  readonly handler?: CommandHandler
  /** For movable-keys commands: the key positions in argv. */
  readonly getKeys?: (argv: readonly string[]) => number[]
}

/** Shorthand for building a spec with Redis's usual defaults (no keys). */
export function spec(
  s: Omit<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'aclCategories'> &
    Partial<Pick<CommandSpec, 'firstKey' | 'lastKey' | 'step' | 'aclCategories'>>,
): CommandSpec {
  return { firstKey: 0, lastKey: 0, step: 0, aclCategories: [], ...s }
}
