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
}

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
    set: (ms: number) => {
      t = ms
    },
  }
}
