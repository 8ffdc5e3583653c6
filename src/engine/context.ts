/**
 * ExecContext: what one command may use besides the server state — randomness, the time,
 * and the trace. Built once per command; `now` is frozen for the whole command, as Redis
 * freezes server.mstime (commandTimeSnapshot).
 *
 * Emitting is guarded: code that builds an event object first checks `ctx.tracing` (any
 * level) or `ctx.full` (full only), so a trace-off run allocates nothing for events.
 * `emit` itself drops events the current level does not keep. Tracing never changes what
 * the engine does.
 */
import type { Clock } from './clock.ts'
import { SUMMARY_EVENTS, type StepEvent, type TraceLevel } from './events.ts'
import type { Rng } from './rng.ts'

export interface ExecContext {
  readonly rng: Rng
  /** Unix ms, frozen at the start of the command. */
  readonly now: number
  /** The live clock, for time budgets inside one command (active expire, rehash ms). */
  readonly clock: Clock
  readonly level: TraceLevel
  /** level !== 'off' */
  readonly tracing: boolean
  /** level === 'full' */
  readonly full: boolean
  readonly events: StepEvent[]
  emit(e: StepEvent): void
}

/** Creates the context for one command (or one cron tick). */
export function createExecContext(
  rng: Rng,
  clock: Clock,
  level: TraceLevel,
  now: number = clock.now(),
): ExecContext {
  const events: StepEvent[] = []
  const full = level === 'full'
  return {
    rng,
    now,
    clock,
    level,
    tracing: level !== 'off',
    full,
    events,
    emit:
      level === 'off'
        ? emitNothing
        : full
          ? (e) => events.push(e)
          : (e) => {
              if (SUMMARY_EVENTS[e.type]) events.push(e)
            },
  }
}

/** The emit of a trace-off context (shared: no closure per command). */
function emitNothing(_e: StepEvent): void {}

/**
 * A context a server reuses from one top-level command to the next at one trace level
 * (server.ts), so the hot path allocates no context per command. resetExecContext starts
 * each command: the time frozen anew and, when tracing, a fresh events array (the Trace of
 * the previous command keeps its own). Nothing may keep a context past its command.
 */
export interface ReusableExecContext extends ExecContext {
  rng: Rng
  now: number
  clock: Clock
  events: StepEvent[]
}

/** Creates the reusable context of one trace level (see ReusableExecContext). */
export function createReusableExecContext(
  rng: Rng,
  clock: Clock,
  level: TraceLevel,
): ReusableExecContext {
  const full = level === 'full'
  const ctx: ReusableExecContext = {
    rng,
    now: 0,
    clock,
    level,
    tracing: level !== 'off',
    full,
    events: [],
    emit:
      level === 'off'
        ? emitNothing
        : full
          ? (e) => {
              ctx.events.push(e)
            }
          : (e) => {
              if (SUMMARY_EVENTS[e.type]) ctx.events.push(e)
            },
  }
  return ctx
}

/**
 * Starts a command in a reusable context: its rng, clock and frozen `now`, and a fresh
 * events array when it records events (a trace-off context never has any).
 */
export function resetExecContext(
  ctx: ReusableExecContext,
  rng: Rng,
  clock: Clock,
  now: number,
): ReusableExecContext {
  ctx.rng = rng
  ctx.clock = clock
  ctx.now = now
  if (ctx.tracing) ctx.events = []
  return ctx
}
