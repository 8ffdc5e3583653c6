/**
 * Time, injected. The engine never reads the wall clock: the browser drives a virtual
 * clock through messages, the RESP server passes the real one, tests pass a manual one.
 * Redis freezes "now" for the duration of a command (server.mstime, commandTimeSnapshot);
 * the server reads the clock once per command and keeps that value in the ExecContext.
 */

// --- Types ---

/** A source of Unix time in milliseconds (may be fractional for microsecond budgets). */
export interface Clock {
  now(): number
  /**
   * Lets `ms` pass before returning (DEBUG SLEEP, nanosleep in Redis): a virtual clock moves
   * forward, the real one blocks. Optional: without it the sleep takes no time.
   */
  sleep?(ms: number): void
}

/** What createServer takes as a clock: a Clock, a function giving Unix ms, or nothing. */
export type ClockInput = Clock | (() => number)

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
}

// --- API ---

/** Creates a manual clock starting at `startMs` (default: 2024-01-01T00:00:00Z). */
export function manualClock(startMs = 1_704_067_200_000): ManualClock {
  let t = startMs
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
    sleep: (ms: number) => {
      t += ms
    },
    set: (ms: number) => {
      t = ms
    },
  }
}

/**
 * The Clock for createServer's `clock` option: a Clock as it is, a function wrapped, and a
 * new manual clock (the virtual time that tick() moves) when none is given.
 */
export function toClock(input: ClockInput | undefined): Clock {
  if (input === undefined) return manualClock()
  return typeof input === 'function' ? { now: input } : input
}
