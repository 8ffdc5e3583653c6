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
