/**
 * Sliced execution: a long command (DEBUG POPULATE 1000000) run a few thousand units at a
 * time, so that a host with an event loop (the Web Worker) can report progress and accept a
 * cancel between slices. The engine itself stays synchronous and timer-free: the caller
 * decides how many units a slice runs and when the next one runs.
 *
 * Slicing changes nothing observable. A sliced command produces the same reply, the same
 * events in the same order, the same RNG draws and the same final state (DEBUG DIGEST,
 * INFO) as the same command run in one call:
 * - one ExecContext is built at the start, so `now` stays frozen across slices, and events
 *   of every slice go to the same trace;
 * - the command's work is a CommandJob: its handler, when run unsliced, creates the job and
 *   runs it to the end in one go (runCommandJob); the sliced path creates the same job and
 *   runs it slice by slice;
 * - everything server.c does around the handler (processCommand's checks, call()'s stats
 *   and peak memory, beforeSleep's fast expire cycle) runs once, after the last slice, by
 *   running the ordinary command path with the finished job handed to the handler
 *   (takePreparedJob). This reorders only the checks before the handler, so a command is
 *   sliced only when those checks pass without side effects (not inside MULTI, no
 *   maxmemory, authenticated, DEBUG allowed, arity right); otherwise it runs in one step;
 * - call()'s dirty rule (a handler that does not count its writes adds the keys it
 *   signalled) is applied over the whole job, as the unsliced call would.
 *
 * Between executeSliced() and its final step the caller must run nothing else on the server.
 * A job that is abandoned halfway leaves the server in a partial state: the caller discards
 * that server (the worker rebuilds it by replaying its log without the command).
 */
import { defaultUserAuthenticates } from './acl.ts'
import type { CommandSlice, SlicedCommand, Trace } from './api.ts'
import { arityOk, lookupCommand } from './call.ts'
import type { CommandCall } from './commands/spec.ts'
import { createExecContext, type ExecContext } from './context.ts'
import type { TraceLevel } from './events.ts'
import { updateDictResizePolicy } from './rdb.ts'
import type { Reply } from './reply.ts'
import type { Client, ServerState } from './state.ts'

// --- Types ---

/** A command's work as resumable slices (engine-internal; handlers build them). */
export interface CommandJob {
  /** Units of work in the whole command (keys for DEBUG POPULATE). */
  readonly total: number
  /** Units done so far. */
  done(): number
  /** Runs at most `units` more units; returns the reply when the work is finished, else null. */
  step(units: number): Reply | null
}

/** Builds the job of a command from its call (argument parsing happens here). */
export type CommandJobFactory = (c: CommandCall) => CommandJob

/** Picks the job factory for an argv of a registered command, or null (not sliceable). */
export type CommandJobMatcher = (argv: readonly string[]) => CommandJobFactory | null

/** What executeSliced needs from the server closure (server.ts createServer). */
export interface SliceHost {
  /** runCommand: processCommand in a context, then beforeSleep's work. */
  readonly runCommand: (argv: readonly string[], c: Client, ctx: ExecContext, now: number) => Reply
  /** execute(): the whole command in one call, for commands that are not sliced. */
  readonly execute: () => Trace
}

// --- Registry ---

const matchers = new Map<string, CommandJobMatcher>()
const prepared = new WeakMap<ExecContext, CommandJob>()

/** Registers a command (lowercase name) whose work can run as a job. */
export function registerCommandJob(name: string, matcher: CommandJobMatcher): void {
  matchers.set(name, matcher)
}

/** Returns a job already run by the sliced path for this command's context (and forgets it). */
export function takePreparedJob(ctx: ExecContext): CommandJob | undefined {
  const job = prepared.get(ctx)
  if (job !== undefined) prepared.delete(ctx)
  return job
}

/**
 * Runs a handler's job to the end in one go: the unsliced path. When the sliced path has
 * already run the job, returns its reply without running anything again.
 */
export function runCommandJob(c: CommandCall, make: CommandJobFactory): Reply {
  const job = takePreparedJob(c.ctx) ?? make(c)
  for (;;) {
    const reply = job.step(Number.POSITIVE_INFINITY)
    if (reply !== null) return reply
  }
}

/** A job that is finished before it starts (an argument error, nothing to do). */
export function finishedJob(reply: Reply): CommandJob {
  return { total: 0, done: () => 0, step: () => reply }
}

// --- Sliced execution ---

/** A command that runs whole on its first step. */
function oneStep(execute: () => Trace): SlicedCommand {
  let trace: Trace | null = null
  return {
    total: 1,
    step: (): CommandSlice => {
      trace ??= execute()
      return { finished: true, trace }
    },
  }
}

/**
 * The checks processCommand runs before the handler pass without side effects: the
 * command is known with the right arity, not queued by MULTI, no eviction to run, the
 * client authenticated, no ACL restriction, DEBUG allowed. Only then may the checks run after the job.
 */
function checksAreQuiet(srv: ServerState, c: Client, argv: readonly string[]): boolean {
  const { cmd } = lookupCommand(srv, argv)
  if (cmd === undefined || !arityOk(cmd, argv.length)) return false
  if (c.multi !== null || srv.config.maxmemory !== 0) return false
  if (!c.authenticated && !defaultUserAuthenticates(srv)) return false
  // A denial would log to the ACL log: a restricted server runs the command in one step.
  if (srv.aclRestricted) return false
  if (cmd.name === 'debug')
    return srv.enableDebugCommand === 'yes' || (srv.enableDebugCommand === 'local' && c.local)
  return true
}

/** Finds the job factory for argv when the command is registered and may be sliced. */
function sliceableJob(
  srv: ServerState,
  c: Client,
  argv: readonly string[],
): CommandJobFactory | null {
  const matcher = matchers.get((argv[0] ?? '').toLowerCase())
  const make = matcher?.(argv) ?? null
  return make !== null && checksAreQuiet(srv, c, argv) ? make : null
}

/**
 * Starts a command as slices (RedisServer.executeSliced). Reads the clock once, as
 * execute() does; a command without a job runs whole on its first step.
 */
export function startSlicedCommand(
  srv: ServerState,
  c: Client,
  argv: readonly string[],
  level: TraceLevel,
  host: SliceHost,
): SlicedCommand {
  const make = sliceableJob(srv, c, argv)
  const db = srv.dbs[c.db]
  const { cmd } = lookupCommand(srv, argv)
  if (make === null || db === undefined || cmd === undefined) return oneStep(host.execute)

  // execute()'s prologue: the frozen instant, the context, the sequence number; then
  // runCommand's cached times and resize policy, which the job's work depends on.
  const now = Math.floor(srv.clock.now())
  const ctx = createExecContext(srv.rng, srv.clock, level, now)
  const seq = ++srv.seq
  const dbIndex = c.db
  srv.mstime = now
  srv.unixtime = Math.floor(now / 1000)
  updateDictResizePolicy(srv)
  const dirtyBefore = srv.dirty
  const modifiedBefore = srv.keysModified

  const inCommand = <T>(fn: () => T): T => {
    srv.currentClient = c
    try {
      return fn()
    } finally {
      srv.currentClient = null
    }
  }
  const job = inCommand(() => make({ srv, client: c, db, ctx, argv, cmd }))
  let trace: Trace | null = null

  return {
    total: job.total,
    step: (units: number): CommandSlice => {
      if (trace !== null) return { finished: true, trace }
      const reply = inCommand(() => job.step(Math.max(1, Math.floor(units))))
      if (reply === null) return { finished: false, done: job.done(), total: job.total }
      // call()'s dirty rule over the whole job; the handler call below then adds nothing.
      if (srv.dirty === dirtyBefore) srv.dirty += srv.keysModified - modifiedBefore
      prepared.set(ctx, job)
      const final = host.runCommand(argv, c, ctx, now)
      prepared.delete(ctx)
      trace = { seq, client: c.id, db: dbIndex, argv, at: now, reply: final, events: ctx.events }
      return { finished: true, trace }
    },
  }
}
