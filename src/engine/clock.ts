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
  /**
   * Charges `us` microseconds of modelled CPU work (workCost.ts) where Redis checks a time
   * budget: the active expire cycle, eviction, cron's rehash. A virtual clock made with
   * `modelWork` moves forward by it, so those budgets run out as they do in Redis; the real
   * clock needs no charge (real time passes), and a plain manual clock ignores it.
   */
  work?(us: number): void
}

/** What createServer takes as a clock: a Clock, a function giving Unix ms, or nothing. */
export type ClockInput = Clock | (() => number)

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
  /**
   * A new clock standing exactly where this one stands (work charged but not yet folded
   * included) and modelling work alike: replaying from a copy gives the same times.
   */
  fork(): ManualClock
}

export interface ManualClockOptions {
  /**
   * Work charged through Clock.work moves the clock (the app's virtual time: Redis's time
   * budgets then run out as they would). Off by default: time moves only when told to.
   */
  readonly modelWork?: boolean
}

// --- API ---

/** Creates a manual clock starting at `startMs` (default: 2024-01-01T00:00:00Z). */
export function manualClock(startMs = 1_704_067_200_000, o?: ManualClockOptions): ManualClock {
  return manualClockAt(startMs, 0, o)
}

function manualClockAt(startMs: number, startWorkNs: number, o?: ManualClockOptions): ManualClock {
  let t = startMs
  // Charged work not yet folded into t, in whole nanoseconds: added to a Unix-ms double
  // (whose step is about 0.24 µs), sub-microsecond charges would round away one by one.
  let workNs = startWorkNs
  const clock: ManualClock = {
    fork: () => manualClockAt(t, workNs, o),
    now: () => (workNs === 0 ? t : t + workNs / 1e6),
    advance: (ms: number) => {
      t += ms
    },
    sleep: (ms: number) => {
      t += ms
    },
    set: (ms: number) => {
      t = ms
      workNs = 0
    },
  }
  if (o?.modelWork === true)
    clock.work = (us: number) => {
      workNs += Math.round(us * 1000)
      if (workNs >= 1e6) {
        const ms = Math.floor(workNs / 1e6)
        t += ms
        workNs -= ms * 1e6
      }
    }
  return clock
}

/** Redis's ustime(): the clock in whole microseconds (time budgets, TIME, elapsed spells). */
export function ustime(clock: Clock): number {
  return Math.floor(clock.now() * 1000)
}

/**
 * The Clock for createServer's `clock` option: a Clock as it is, a function wrapped, and a
 * new manual clock (the virtual time that tick() moves) when none is given.
 */
export function toClock(input: ClockInput | undefined): Clock {
  if (input === undefined) return manualClock()
  return typeof input === 'function' ? { now: input } : input
}
