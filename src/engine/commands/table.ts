/**
 * The command table (server.c redisCommandTable, generated in 7.0 from src/commands/*.json).
 *
 * Design: each family file exports `xxxCommands: readonly CommandSpec[]`; this file joins
 * them into COMMANDS and a lookup map by lowercase name. The table drives dispatch (arity,
 * flags such as no_auth, denyoom, no_multi), COMMAND COUNT/INFO/DOCS/LIST/GETKEYS and the
 * console's hints. Arity follows Redis: +n exact, -n at least n, both counting the name.
 * Subcommands (CONFIG GET, CLIENT LIST ...) are full specs of their own under their
 * container; their names are lowercase like 'get', and errors name them 'config|get'.
 *
 * Family owners add their import and spread line below (one line each). Family files
 * import types and the `spec` helper from spec.ts, never values from here.
 */
import type { CommandSpec } from './spec.ts'
import { aclCommands } from './acl.ts'
import { bitopsCommands } from './bitops.ts'
import { blockingCommands } from './blocking.ts'
import { connectionCommands } from './connection.ts'
import { dumpCommands } from './dump.ts'
import { genericCommands } from './generic.ts'
import { hashCommands } from './hash.ts'
import { hyperloglogCommands } from './hyperloglog.ts'
import { listCommands } from './list.ts'
import { monitorCommands } from './monitor.ts'
import { pubsubCommands } from './pubsub.ts'
import { setCommands } from './set.ts'
import { standaloneCommands } from './standalone.ts'
import { zsetCommands } from './zset.ts'
import { scriptingCommands } from './scripting.ts'
import { serverCommands } from './server.ts'
import { stringCommands } from './string.ts'
import { transactionCommands } from './transactions.ts'
import { geoCommands } from './geo.ts'
import { sortCommands } from './sort.ts'
import { streamCommands } from './stream.ts'

export type {
  AclCategory,
  CommandArg,
  CommandCall,
  CommandFlag,
  CommandGroup,
  CommandHandler,
  CommandMeta,
  CommandSpec,
  KeySpec,
} from './spec.ts'

// --- The table ---

/** The commands the families implement. */
const FAMILIES: readonly CommandSpec[] = [
  ...connectionCommands,
  ...serverCommands,
  ...monitorCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...scriptingCommands,
  ...stringCommands,
  ...bitopsCommands,
  ...genericCommands,
  ...dumpCommands,
  ...listCommands,
  ...blockingCommands,
  ...hashCommands,
  ...hyperloglogCommands,
  ...setCommands,
  ...zsetCommands,
  ...geoCommands,
  ...sortCommands,
  ...streamCommands,
  ...aclCommands,
]

/**
 * Every command: the families', then the rest of 7.0.15's table from standalone.ts (a family
 * that implements one of those takes precedence).
 */
export const COMMANDS: readonly CommandSpec[] = [
  ...FAMILIES,
  ...standaloneCommands.filter((c) => !FAMILIES.some((f) => f.name === c.name)),
]

/** Lowercase name → spec. */
export const COMMAND_MAP: ReadonlyMap<string, CommandSpec> = new Map(
  COMMANDS.map((c) => [c.name, c]),
)

/** Looks a command up by name, case-insensitively. */
export function lookupCommandByName(name: string): CommandSpec | undefined {
  return COMMAND_MAP.get(name.toLowerCase())
}

/** Looks a subcommand up under its container, case-insensitively. */
export function lookupSubcommand(container: CommandSpec, name: string): CommandSpec | undefined {
  const lower = name.toLowerCase()
  return container.subcommands?.find((s) => s.name === lower)
}

/** 'config|get' for subcommands, 'get' for plain commands (server.c getFullCommandName). */
export function fullCommandName(cmd: CommandSpec, parent: CommandSpec | null): string {
  return parent === null ? cmd.name : `${parent.name}|${cmd.name}`
}
