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
  /**
   * What the command emitted so far. Written only by emit: it starts as the shared empty
   * NO_EVENTS and becomes an array of its own at the first event kept, so a command that
   * emits nothing allocates nothing for its trace.
   */
  readonly events: readonly StepEvent[]
  emit(e: StepEvent): void
}

/** The events of a command that emitted none (shared, frozen). */
export const NO_EVENTS: readonly StepEvent[] = Object.freeze([])

/** Creates the context for one command (or one cron tick). */
export function createExecContext(
  rng: Rng,
  clock: Clock,
  level: TraceLevel,
  now: number = clock.now(),
): ExecContext {
  const ctx = createReusableExecContext(rng, clock, level)
  ctx.now = now
  return ctx
}

/** The emit of a trace-off context (shared: no closure per command). */
function emitNothing(_e: StepEvent): void {}

/**
 * A context a server reuses from one top-level command to the next at one trace level
 * (server.ts), so the hot path allocates no context per command. resetExecContext starts
 * each command: the time frozen anew and no events yet (the Trace of the previous command
 * keeps the array it filled). Nothing may keep a context past its command.
 */
export interface ReusableExecContext extends ExecContext {
  rng: Rng
  now: number
  clock: Clock
  events: readonly StepEvent[]
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
    events: NO_EVENTS,
    emit:
      level === 'off'
        ? emitNothing
        : full
          ? (e) => {
              keep(ctx, e)
            }
          : (e) => {
              if (SUMMARY_EVENTS[e.type]) keep(ctx, e)
            },
  }
  return ctx
}

/**
 * Appends a kept event. Most commands emit one or two, so those come in literals of their
 * exact size: an array grown by push reserves 17 slots at its first growth (a third of what a
 * summary trace allocated for an INCR that also moved a bucket).
 */
function keep(ctx: ReusableExecContext, e: StepEvent): void {
  const events = ctx.events
  if (events === NO_EVENTS) ctx.events = [e]
  else if (events.length === 1) ctx.events = [events[0] as StepEvent, e]
  else (events as StepEvent[]).push(e)
}

/**
 * Starts a command in a reusable context: its rng, clock and frozen `now`, and no events
 * yet (NO_EVENTS; the previous command's Trace keeps the array it filled).
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
  ctx.events = NO_EVENTS
  return ctx
}

/** Forgets the events a context kept so far (the next one starts a new array). */
export function clearEvents(ctx: ExecContext): void {
  ;(ctx as ReusableExecContext).events = NO_EVENTS
}
