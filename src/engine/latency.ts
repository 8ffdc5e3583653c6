/**
 * The latency monitor (latency.c, 7.0.15): with latency-monitor-threshold > 0, an event that
 * took at least that many milliseconds is sampled into its time series — "command" or
 * "fast-command" for a command's duration in call() (by its CMD_FAST flag), and
 * "command-unblocking" when a blocked client is served. LATENCY LATEST / HISTORY / RESET
 * read and clear them.
 *
 * Design: a time series is LATENCY_TS_LEN (160) samples in a ring, at most one per second:
 * a sample in the same second as the previous one only raises that one's latency. `max` is
 * the worst latency ever seen by the series. Events live in a Map in insertion order (Redis
 * keeps them in a dict, whose iteration order follows its hash seed). Not modelled: the
 * other sources (expire-cycle, eviction-*, fork, aof-*: the engine has none of those
 * delays) and LATENCY DOCTOR's report of recorded events. LATENCY GRAPH draws a series as
 * latency.c does, with sparkline.c (util/sparkline.ts).
 */
import type { ServerState } from './state.ts'
import {
  SPARKLINE_FILL,
  createSparklineSequence,
  sparklineRender,
  sparklineSequenceAddSample,
} from './util/sparkline.ts'

export const LATENCY_TS_LEN = 160

export interface LatencySample {
  /** Unix time in seconds (0: slot never used). */
  time: number
  /** Milliseconds. */
  latency: number
}

export interface LatencyTimeSeries {
  idx: number
  max: number
  samples: LatencySample[]
}

/** latency.c latencyAddSample: record `latency` ms for `event` at unix second `now`. */
export function latencyAddSample(
  srv: ServerState,
  event: string,
  latency: number,
  now: number,
): void {
  let ts = srv.latencyEvents.get(event)
  if (ts === undefined) {
    ts = {
      idx: 0,
      max: 0,
      samples: Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 })),
    }
    srv.latencyEvents.set(event, ts)
  }
  if (latency > ts.max) ts.max = latency
  // Same second as the previous sample: keep the worst of the two in one slot.
  const prev = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN] as LatencySample
  if (prev.time === now) {
    if (latency > prev.latency) prev.latency = latency
    return
  }
  const slot = ts.samples[ts.idx] as LatencySample
  slot.time = now
  slot.latency = latency
  ts.idx = (ts.idx + 1) % LATENCY_TS_LEN
}

/**
 * latency.h latencyAddSampleIfNeeded: sample when the monitor is on and `latency` (ms)
 * reaches the threshold. `nowMs` is the clock in milliseconds (time(NULL) takes its second).
 */
export function latencyAddSampleIfNeeded(
  srv: ServerState,
  event: string,
  latency: number,
  nowMs: number,
): void {
  const threshold = srv.config.latencyMonitorThreshold
  if (threshold !== 0 && latency >= threshold)
    latencyAddSample(srv, event, latency, Math.floor(nowMs / 1000))
}

/** latency.c latencyResetEvent: delete one event (case-insensitive) or, with null, all. */
export function latencyResetEvent(srv: ServerState, event: string | null): number {
  let resets = 0
  for (const name of [...srv.latencyEvents.keys()]) {
    if (event === null || name.toLowerCase() === event.toLowerCase()) {
      srv.latencyEvents.delete(name)
      resets++
    }
  }
  return resets
}

/** latency.c latencyCommandReplyWithSamples: the used slots, oldest first, as [time, ms]. */
export function latencySamples(ts: LatencyTimeSeries): [number, number][] {
  const out: [number, number][] = []
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN] as LatencySample
    if (s.time !== 0) out.push([s.time, s.latency])
  }
  return out
}

/** latencyCommandReplyWithLatestEvents: [event, time, latency, max] of each event. */
export function latencyLatest(srv: ServerState): [string, number, number, number][] {
  const out: [string, number, number, number][] = []
  for (const [event, ts] of srv.latencyEvents) {
    const last = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN] as LatencySample
    out.push([event, last.time, last.latency, ts.max])
  }
  return out
}

const LATENCY_GRAPH_COLS = 80

/**
 * latency.c latencyCommandGenSparkeline: LATENCY GRAPH's text for `event`: a title with the
 * high and low of the used slots and the series' all-time high, a rule, then the slots oldest
 * first as a filled sparkline 4 rows high, each labelled with how long ago it was taken
 * (seconds, minutes, hours or days, truncated) at unix second `now`.
 */
export function latencyCommandGenSparkline(
  event: string,
  ts: LatencyTimeSeries,
  now: number,
): string {
  const seq = createSparklineSequence()
  let min = 0
  let max = 0
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN] as LatencySample
    if (s.time === 0) continue
    if (seq.samples.length === 0) {
      min = max = s.latency
    } else {
      if (s.latency > max) max = s.latency
      if (s.latency < min) min = s.latency
    }
    const elapsed = now - s.time
    const label =
      elapsed < 60
        ? `${String(elapsed)}s`
        : elapsed < 3600
          ? `${String(Math.trunc(elapsed / 60))}m`
          : elapsed < 3600 * 24
            ? `${String(Math.trunc(elapsed / 3600))}h`
            : `${String(Math.trunc(elapsed / (3600 * 24)))}d`
    sparklineSequenceAddSample(seq, s.latency, label)
  }
  const graph =
    `${event} - high ${String(max)} ms, low ${String(min)} ms (all time high ${String(ts.max)} ms)\n` +
    '-'.repeat(LATENCY_GRAPH_COLS) +
    '\n'
  return sparklineRender(graph, seq, LATENCY_GRAPH_COLS, 4, SPARKLINE_FILL)
}

/** Self-check: ring index in range, a full ring of samples, max covers every sample. */
export function latencyValidate(srv: ServerState): string[] {
  const errors: string[] = []
  for (const [event, ts] of srv.latencyEvents) {
    if (ts.idx < 0 || ts.idx >= LATENCY_TS_LEN)
      errors.push(`latency ${event}: idx ${String(ts.idx)}`)
    if (ts.samples.length !== LATENCY_TS_LEN) errors.push(`latency ${event}: ring size`)
    for (const s of ts.samples)
      if (s.latency > ts.max) errors.push(`latency ${event}: sample above max`)
  }
  return errors
}
