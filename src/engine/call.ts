/**
 * Command lookup and call() (server.c lookupCommand, commandCheckExistence,
 * commandCheckArity, call). Kept apart from server.ts so command families (EXEC) can use
 * them without importing the command table (which imports every family).
 */
import type { ExecContext } from './context.ts'
import type { CommandCall, CommandSpec } from './commands/spec.ts'
import type { Reply } from './reply.ts'
import type { Client, ServerState } from './state.ts'
import { updatePeakMemory } from './keyspace/memory.ts'

/**
 * The table entry for a command name in any letter case. Names as clients send them
 * ('SET', 'get') are remembered, so the hot path does one Map lookup and no lowercasing
 * (the table itself is keyed by lowercase names). Bounded; reset if the table changes.
 */
function lookupBaseCommand(srv: ServerState, name: string): CommandSpec | undefined {
  const map = srv.commands.map
  if (map !== nameCacheFor) {
    nameCacheFor = map
    nameCache.clear()
  }
  let cmd = nameCache.get(name)
  if (cmd === undefined) {
    cmd = map.get(name.toLowerCase())
    if (cmd !== undefined) {
      if (nameCache.size >= 4096) nameCache.clear()
      nameCache.set(name, cmd)
    }
  }
  return cmd
}
let nameCacheFor: ReadonlyMap<string, CommandSpec> | null = null
const nameCache = new Map<string, CommandSpec>()

/** server.c lookupCommand: the container's subcommand when argv has one. */
export function lookupCommand(
  srv: ServerState,
  argv: readonly string[],
): { cmd: CommandSpec | undefined; parent: CommandSpec | null } {
  const base = lookupBaseCommand(srv, argv[0] ?? '')
  if (argv.length === 1 || base?.subcommands === undefined) return { cmd: base, parent: null }
  const sub = base.subcommands.find((s) => s.name === (argv[1] ?? '').toLowerCase())
  return { cmd: sub, parent: base }
}

/** server.c commandCheckExistence's message (without "ERR "). */
export function unknownCommandMessage(srv: ServerState, argv: readonly string[]): string {
  const name = argv[0] ?? ''
  const base = srv.commands.map.get(name.toLowerCase())
  let msg: string
  if (base?.subcommands !== undefined) {
    msg = `unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`
  } else {
    let args = ''
    for (let i = 1; i < argv.length && args.length < 128; i++)
      args += `'${(argv[i] ?? '').slice(0, 128 - args.length)}' `
    msg = `unknown command '${name.slice(0, 128)}', with args beginning with: ${args}`
  }
  return msg.replace(/[\r\n]/g, ' ')
}

/** server.c commandCheckArity. */
export function arityOk(cmd: CommandSpec, argc: number): boolean {
  return !((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity)
}

/** Per-command counters (INFO commandstats), created on first use. */
export function commandStats(
  srv: ServerState,
  fullname: string,
): {
  calls: number
  failed: number
  rejected: number
} {
  let s = srv.stats.numCommands.get(fullname)
  if (s === undefined) {
    s = { calls: 0, failed: 0, rejected: 0 }
    srv.stats.numCommands.set(fullname, s)
  }
  return s
}

/**
 * server.c call: run the handler, count calls and failures. Used for top-level commands
 * and for each command EXEC runs.
 */
export function callCommand(
  srv: ServerState,
  c: Client,
  ctx: ExecContext,
  argv: readonly string[],
  cmd: CommandSpec,
  fullname: string,
): Reply {
  const db = srv.dbs[c.db]
  if (db === undefined) throw new Error(`client ${String(c.id)} has no db ${String(c.db)}`)
  const handler = cmd.handler
  if (handler === undefined) throw new Error(`command ${fullname} has no handler`)
  const call: CommandCall = { srv, client: c, db, ctx, argv, cmd }
  const dirtyBefore = srv.dirty
  const modifiedBefore = srv.keysModified
  const reply = handler(call)
  // server.dirty: the handler's own count, else one per key it signalled as modified.
  if (srv.dirty === dirtyBefore) srv.dirty += srv.keysModified - modifiedBefore
  const st = commandStats(srv, fullname)
  st.calls++
  if (reply.type === 'error') st.failed++
  srv.stats.totalCommandsProcessed++
  // call(): record the peak after each command, before the next eviction (memory.ts).
  updatePeakMemory(srv)
  c.lastCmd = fullname
  return reply
}
