/**
 * Command lookup and call() (server.c lookupCommand, commandCheckExistence,
 * commandCheckArity, call). Kept apart from server.ts so command families (EXEC) can use
 * them without importing the command table (which imports every family).
 */
import type { ExecContext } from './context.ts'
import type { CommandCall, CommandSpec } from './commands/spec.ts'
import type { Reply } from './reply.ts'
import type { Client, CommandStatsEntry, ServerState } from './state.ts'
import { cstr } from './bytes.ts'
import { updatePeakMemory } from './keyspace/memory.ts'
import { feedMonitors } from './commands/monitor.ts'
import { slowlogPushCurrentCommand } from './slowlog.ts'
import { latencyAddSampleIfNeeded } from './latency.ts'
import { updateCommandLatencyHistogram } from './util/hdrHistogram.ts'
import { trackingCommandCalled } from './tracking.ts'
import { propagationBegin, propagationEnd } from './replication.ts'

// --- Dispatch records ---

/**
 * What dispatch reads of a command, computed once per spec: the flags processCommand tests
 * as booleans (no string scans per command), the full name, and the commandstats counters
 * of the server it last ran in. One object shape for every command keeps the hot path's
 * property reads monomorphic (specs built from metadata differ in their optional fields).
 */
export interface CommandDispatch {
  readonly cmd: CommandSpec
  readonly parent: CommandSpec | null
  /** 'get', or 'config|get' for a subcommand (server.c getFullCommandName). */
  readonly fullname: string
  readonly arity: number
  readonly noAuth: boolean
  readonly noMulti: boolean
  readonly denyOom: boolean
  /** CMD_WRITE or CMD_MAY_REPLICATE (what CLIENT PAUSE WRITE holds). */
  readonly mayReplicate: boolean
  /** CMD_WRITE (refused while the last BGSAVE failed: MISCONF). */
  readonly isWrite: boolean
  /** CMD_LOADING: allowed while the dataset loads. */
  readonly allowLoading: boolean
  /** CMD_STALE: allowed on a replica whose link is down with replica-serve-stale-data no. */
  readonly stale: boolean
  /** The top-level name is exec, discard, quit or reset (they run even inside MULTI). */
  readonly controlsMulti: boolean
  /** The top-level name is multi or watch (never queued either). */
  readonly notQueued: boolean
  /** A top-level DEBUG (enable-debug-command gate). */
  readonly isDebug: boolean
  /** MODULE LOAD, LOADEX or UNLOAD (the enable-module-command gate; Redis's CMD_PROTECTED). */
  readonly isModuleAdmin: boolean
  /** EXEC itself (its OOM check looks at the queued commands). */
  readonly isExec: boolean
  /** CMD_TOUCHES_ARBITRARY_KEYS: its ops are never wrapped in MULTI/EXEC when run directly. */
  readonly touchesArbitraryKeys: boolean
  /** Shown to MONITOR clients: neither admin nor skip_monitor (server.c call). */
  readonly monitored: boolean
  /** The subcommands by lowercase name (containers only). */
  readonly subs: ReadonlyMap<string, CommandDispatch> | null
  /** srv.stats.numCommands that `stats` was taken from (a cache; see commandStats). */
  statsOf: ServerState['stats']['numCommands'] | null
  stats: CommandStatsEntry | null
}

const dispatches = new WeakMap<CommandSpec, CommandDispatch>()

/** The dispatch record of a spec (built on first use; specs are immutable). */
export function commandDispatch(cmd: CommandSpec, parent: CommandSpec | null): CommandDispatch {
  let d = dispatches.get(cmd)
  if (d === undefined || d.parent !== parent) {
    const top = parent ?? cmd
    let subs: Map<string, CommandDispatch> | null = null
    if (cmd.subcommands !== undefined) {
      subs = new Map()
      // The first spec of a name wins, as Array.find would pick it.
      for (const s of cmd.subcommands)
        if (!subs.has(s.name)) subs.set(s.name, commandDispatch(s, cmd))
    }
    d = {
      cmd,
      parent,
      fullname: parent === null ? cmd.name : `${parent.name}|${cmd.name}`,
      arity: cmd.arity,
      noAuth: cmd.flags.includes('no_auth'),
      noMulti: cmd.flags.includes('no_multi'),
      denyOom: cmd.flags.includes('denyoom'),
      mayReplicate: cmd.flags.includes('write') || cmd.flags.includes('may_replicate'),
      isWrite: cmd.flags.includes('write'),
      allowLoading: cmd.flags.includes('loading'),
      stale: cmd.flags.includes('stale'),
      controlsMulti:
        top.name === 'exec' ||
        top.name === 'discard' ||
        top.name === 'quit' ||
        top.name === 'reset',
      notQueued: top.name === 'multi' || top.name === 'watch',
      isDebug: cmd.name === 'debug' && parent === null,
      isModuleAdmin: parent?.name === 'module' && cmd.name !== 'list' && cmd.name !== 'help',
      isExec: cmd.name === 'exec',
      // CMD_TOUCHES_ARBITRARY_KEYS is internal (not in COMMAND INFO): randomkey.json, scan.json.
      touchesArbitraryKeys: parent === null && (cmd.name === 'randomkey' || cmd.name === 'scan'),
      monitored: !cmd.flags.includes('admin') && !cmd.flags.includes('skip_monitor'),
      subs,
      statsOf: null,
      stats: null,
    }
    dispatches.set(cmd, d)
  }
  return d
}

/**
 * The dispatch record for a command name in any letter case. Names as clients send them
 * ('SET', 'get') are remembered, so the hot path does one Map lookup and no lowercasing
 * (the table itself is keyed by lowercase names). Bounded; reset if the table changes.
 */
function lookupBaseDispatch(srv: ServerState, name: string): CommandDispatch | undefined {
  const map = srv.commands.map
  // Runs of the same command (a pipeline of SETs) skip even the Map lookup.
  if (name === lastName && map === nameCacheFor) return lastDispatch
  if (map !== nameCacheFor) {
    nameCacheFor = map
    nameCache.clear()
  }
  let d = nameCache.get(name)
  if (d === undefined) {
    const cmd = map.get(name.toLowerCase())
    if (cmd !== undefined) {
      d = commandDispatch(cmd, null)
      if (nameCache.size >= 4096) nameCache.clear()
      nameCache.set(name, d)
    }
  }
  lastName = name
  lastDispatch = d
  return d
}
let nameCacheFor: ReadonlyMap<string, CommandSpec> | null = null
let lastName = ''
let lastDispatch: CommandDispatch | undefined = undefined
const nameCache = new Map<string, CommandDispatch>()

/** server.c lookupCommand as a dispatch record: the container's subcommand when argv has one. */
export function lookupDispatch(
  srv: ServerState,
  argv: readonly string[],
): CommandDispatch | undefined {
  const base = lookupBaseDispatch(srv, argv[0] ?? '')
  if (argv.length === 1 || base === undefined || base.subs === null) return base
  return base.subs.get((argv[1] ?? '').toLowerCase())
}

/** server.c lookupCommand: the container's subcommand when argv has one. */
export function lookupCommand(
  srv: ServerState,
  argv: readonly string[],
): { cmd: CommandSpec | undefined; parent: CommandSpec | null } {
  const base = lookupBaseDispatch(srv, argv[0] ?? '')
  if (argv.length === 1 || base === undefined || base.subs === null)
    return { cmd: base?.cmd, parent: null }
  return { cmd: base.subs.get((argv[1] ?? '').toLowerCase())?.cmd, parent: base.cmd }
}

/** server.c commandCheckExistence's message (without "ERR "). */
export function unknownCommandMessage(srv: ServerState, argv: readonly string[]): string {
  const name = argv[0] ?? ''
  const base = srv.commands.map.get(name.toLowerCase())
  let msg: string
  if (base?.subcommands !== undefined) {
    msg = `unknown subcommand '${cstr(argv[1] ?? '').slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`
  } else {
    let args = ''
    for (let i = 1; i < argv.length && args.length < 128; i++)
      args += `'${cstr(argv[i] ?? '').slice(0, 128 - args.length)}' `
    msg = `unknown command '${cstr(name).slice(0, 128)}', with args beginning with: ${args}`
  }
  return msg.replace(/[\r\n]/g, ' ')
}

/** server.c commandCheckArity. */
export function arityOk(cmd: CommandSpec, argc: number): boolean {
  return !((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity)
}

/** networking.c afterErrorReply: count the error by its code. */
export function countErrorReply(srv: ServerState, reply: Reply): void {
  if (reply.type !== 'error') return
  srv.stats.totalErrorReplies++
  const space = reply.value.indexOf(' ')
  const code = space < 0 ? reply.value : reply.value.slice(0, space)
  srv.stats.errorCodes.set(code, (srv.stats.errorCodes.get(code) ?? 0) + 1)
}

/**
 * Per-command counters (INFO commandstats), created on first use. Entries are never
 * removed from srv.stats.numCommands (CONFIG RESETSTAT replaces the whole map), which is
 * what lets commandStatsOf cache an entry by the map's identity.
 */
export function commandStats(srv: ServerState, fullname: string): CommandStatsEntry {
  let s = srv.stats.numCommands.get(fullname)
  if (s === undefined) {
    s = { calls: 0, failed: 0, rejected: 0, usec: 0, hist: null }
    srv.stats.numCommands.set(fullname, s)
  }
  return s
}

/** commandStats for a dispatch record, without the Map lookup when it ran here last. */
export function commandStatsOf(srv: ServerState, d: CommandDispatch): CommandStatsEntry {
  const map = srv.stats.numCommands
  if (d.statsOf === map && d.stats !== null) return d.stats
  const st = commandStats(srv, d.fullname)
  d.statsOf = map
  d.stats = st
  return st
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
  const bar = fullname.indexOf('|')
  // By its own name: rename-command renames only what clients type.
  const parent = bar < 0 ? null : (srv.commands.original.get(fullname.slice(0, bar)) ?? null)
  return callDispatch(srv, c, ctx, argv, commandDispatch(cmd, parent))
}

/** A CommandCall as call() fills it (handlers see it read-only). */
type MutableCall = { -readonly [K in keyof CommandCall]: CommandCall[K] }
/** The record the last outermost command used, free for the next one (null while in use). */
let spareCall: MutableCall | null = null

/** callCommand for a dispatch record (the hot path). */
export function callDispatch(
  srv: ServerState,
  c: Client,
  ctx: ExecContext,
  argv: readonly string[],
  d: CommandDispatch,
): Reply {
  const db = srv.dbs[c.db]
  if (db === undefined) throw new Error(`client ${String(c.id)} has no db ${String(c.db)}`)
  const cmd = d.cmd
  const handler = cmd.handler
  if (handler === undefined) throw new Error(`command ${d.fullname} has no handler`)
  // Redis reuses the client's struct (c->argv, c->cmd) for every command: the outermost
  // call reuses one record too (no allocation per command); a nested one (EXEC running its
  // queue) gets its own, as the outer one is still in use.
  let call: MutableCall
  if (spareCall !== null) {
    call = spareCall
    spareCall = null
    call.srv = srv
    call.client = c
    call.db = db
    call.ctx = ctx
    call.argv = argv
    call.cmd = cmd
  } else call = { srv, client: c, db, ctx, argv, cmd }
  const dirtyBefore = srv.dirty
  const modifiedBefore = srv.keysModified
  const countedBefore = srv.dirtyCounted
  srv.dirtyCounted = false
  // call() times the command (c->duration, µs) for the slow log and INFO commandstats.
  let start = srv.callStart
  srv.callStart = NaN
  if (Number.isNaN(start)) start = ctx.clock.now()
  commandArgvBegin(srv)
  // Nothing is propagated before a replica first attaches (no backlog) while the AOF is off:
  // skip the bookkeeping.
  const prop = srv.repl.backlog || srv.aof.state !== 'off' ? propagationBegin(srv) : null
  // incrCommandStatsOnError(NULL, 0): errors from before this command are not its own.
  srv.prevErrCount = srv.stats.totalErrorReplies
  let reply: Reply
  try {
    reply = handler(call)
  } finally {
    // Handed back for the next command; the handler keeps no reference past its return.
    spareCall = call
  }
  // A tracking client remembers the keys of its read-only commands (tracking.ts).
  if (c.tracking !== null) trackingCommandCalled(srv, c, ctx, cmd, argv)
  const duration = Math.floor((ctx.clock.now() - start) * 1000)
  c.duration = duration
  // A blocked client is logged when it is served (blocking.ts).
  if (c.bpop === null) slowlogPushCurrentCommand(srv, c, cmd, argv, duration)
  if (srv.config.latencyMonitorThreshold !== 0) {
    const event = cmd.flags.includes('fast') ? 'fast-command' : 'command'
    latencyAddSampleIfNeeded(srv, event, Math.floor(duration / 1000), ctx.clock.now())
  }
  // server.dirty: the handler's own count, else one per key it signalled as modified.
  if (srv.dirty === dirtyBefore && !srv.dirtyCounted) srv.dirty += srv.keysModified - modifiedBefore
  // An EXEC whose commands counted their own dirty adds nothing for their signals either.
  srv.dirtyCounted ||= countedBefore
  if (prop !== null)
    propagationEnd(srv, c, argv, srv.dirty - dirtyBefore, d.isExec, d.touchesArbitraryKeys, prop)
  const st = commandStatsOf(srv, d)
  st.calls++
  st.usec += duration
  // A blocked client's latency is recorded when it is served (blocking.ts).
  if (srv.config.latencyTracking && c.bpop === null) updateCommandLatencyHistogram(st, duration)
  // incrCommandStatsOnError(cmd, ERROR_COMMAND_FAILED): failed if any error reply was added
  // while it ran, its own (counted by the caller once this returns) or another client's
  // (CLIENT UNBLOCK ... ERROR); a command EXEC ran counted its own, not EXEC's.
  const ownError = reply.type === 'error' ? 1 : 0
  if (ownError !== 0 || srv.stats.totalErrorReplies > srv.prevErrCount) st.failed++
  srv.prevErrCount = srv.stats.totalErrorReplies + ownError
  srv.stats.totalCommandsProcessed++
  // call(): record the peak after each command, before the next eviction (memory.ts).
  updatePeakMemory(srv)
  // c->lastcmd is processCommand's (server.ts): the commands EXEC runs leave it at exec.
  if (srv.monitors.length !== 0 && d.monitored)
    feedMonitors(srv, c, ctx.clock.now(), originalArgv(srv, argv))
  return reply
}

/** What Redis shows of a redacted argument (shared.redacted). */
export const REDACTED = '(redacted)'

/** Forgets the previous command's argument rewrites (c->original_argv is freed per command). */
export function commandArgvBegin(srv: ServerState): void {
  if (srv.argvInts.length !== 0) srv.argvInts.length = 0
  if (srv.argvRedacted.length !== 0) srv.argvRedacted.length = 0
}

/**
 * networking.c redactClientCommandArgument: argument `j` of the running command (a password)
 * shows as "(redacted)" in the slow log and in MONITOR.
 */
export function redactClientCommandArgument(srv: ServerState, j: number): void {
  if (!srv.argvRedacted.includes(j)) srv.argvRedacted.push(j)
}

/** The running command's arguments as the slow log and MONITOR show them (c->original_argv). */
export function originalArgv(srv: ServerState, argv: readonly string[]): readonly string[] {
  const redacted = srv.argvRedacted
  return redacted.length === 0 ? argv : argv.map((a, j) => (redacted.includes(j) ? REDACTED : a))
}
