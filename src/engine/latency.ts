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
 * delays). LATENCY GRAPH draws a series as latency.c does, with sparkline.c
 * (util/sparkline.ts); LATENCY DOCTOR writes latency.c's report, with no transparent huge
 * pages (redis-server disables THP for itself, disable-thp yes).
 */
import type { ServerState } from './state.ts'
import { formatFixed } from './util/numbers.ts'
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

/** latency.h struct latencyStats, as analyzeLatencyForEvent fills it. */
interface LatencyStats {
  avg: number
  mad: number
  samples: number
  /** Seconds from the oldest sample to now (at least 1). */
  period: number
}

/**
 * latency.c analyzeLatencyForEvent: the used slots' count, integer average and integer mean
 * absolute deviation from that average, and the seconds since the oldest of them.
 */
function analyzeLatencyForEvent(ts: LatencyTimeSeries, now: number): LatencyStats {
  const ls: LatencyStats = { avg: 0, mad: 0, samples: 0, period: 0 }
  let sum = 0
  for (const s of ts.samples) {
    if (s.time === 0) continue
    ls.samples++
    sum += s.latency
    if (ls.period === 0 || s.time < ls.period) ls.period = s.time
  }
  if (ls.samples === 0) return ls
  ls.avg = Math.floor(sum / ls.samples)
  ls.period = now - ls.period
  if (ls.period === 0) ls.period = 1
  sum = 0
  for (const s of ts.samples) if (s.time !== 0) sum += Math.abs(ls.avg - s.latency)
  ls.mad = Math.floor(sum / ls.samples)
  return ls
}

/** createLatencyReport's advices, in the order it prints them, by what raises each. */
type Advice =
  | 'betterVm'
  | 'slowlogEnabled'
  | 'slowlogTuning'
  | 'slowlogInspect'
  | 'scheduler'
  | 'localDisk'
  | 'ssd'
  | 'dataWriteback'
  | 'diskContention'
  | 'noAppendfsync'
  | 'relaxFsyncPolicy'
  | 'writeLoadInfo'
  | 'hz'
  | 'largeObjects'
  | 'massEviction'

/** The advices an event raises (createLatencyReport's strcasecmp chain), but for command. */
const EVENT_ADVICES: Readonly<Record<string, readonly Advice[]>> = {
  'fast-command': ['scheduler'],
  'aof-write-pending-fsync': ['localDisk', 'diskContention', 'ssd', 'dataWriteback'],
  'aof-write-active-child': ['noAppendfsync', 'dataWriteback', 'ssd'],
  'aof-write-alone': ['localDisk', 'dataWriteback', 'ssd'],
  'aof-fsync-always': ['relaxFsyncPolicy'],
  'aof-fstat': ['diskContention', 'localDisk'],
  'rdb-unlink-temp-file': ['diskContention', 'localDisk'],
  'aof-rewrite-diff-write': ['writeLoadInfo', 'dataWriteback', 'ssd', 'localDisk'],
  'aof-rename': ['writeLoadInfo', 'dataWriteback', 'ssd', 'localDisk'],
  'expire-cycle': ['hz', 'largeObjects'],
  'eviction-del': ['largeObjects'],
  'eviction-cycle': ['massEviction'],
}

/** The settings createLatencyReport reads. */
export interface LatencyReportConfig {
  readonly latencyMonitorThreshold: number
  readonly slowlogLogSlowerThan: number
  readonly hz: number
  readonly appendfsyncAlways: boolean
}

/**
 * latency.c createLatencyReport (LATENCY DOCTOR): one line of statistics per event, then the
 * advices its events call for. `now` is the unix second (time(NULL)). Events come in the
 * Map's insertion order (Redis walks its dict, in the order of its seeded hash). Not
 * modelled: the "fork" event's line and advice (the engine never forks, so never records it).
 */
export function createLatencyReport(
  srv: ServerState,
  cfg: LatencyReportConfig,
  now: number,
): string {
  const threshold = cfg.latencyMonitorThreshold
  if (srv.latencyEvents.size === 0 && threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
  }
  let report = ''
  const advise = new Set<Advice>()
  // C counts advices as it raises them, repeats included; only zero or not matters.
  let advices = 0
  const raise = (...list: Advice[]): void => {
    for (const a of list) advise.add(a)
    advices += list.length
  }
  let eventnum = 0
  for (const [event, ts] of srv.latencyEvents) {
    eventnum++
    if (eventnum === 1) {
      report +=
        "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"
    }
    const ls = analyzeLatencyForEvent(ts, now)
    report += `${String(eventnum)}. ${event}: ${String(ls.samples)} latency spikes (average ${String(ls.avg)}ms, mean deviation ${String(ls.mad)}ms, period ${formatFixed(ls.period / ls.samples, 2)} sec). Worst all time event ${String(ts.max)}ms.`
    const name = event.toLowerCase()
    if (name === 'command') {
      if (cfg.slowlogLogSlowerThan < 0) raise('slowlogEnabled')
      else if (Math.trunc(cfg.slowlogLogSlowerThan / 1000) > threshold) raise('slowlogTuning')
      raise('slowlogInspect', 'largeObjects')
    }
    raise(...(EVENT_ADVICES[name] ?? []))
    report += '\n'
  }
  if (eventnum === 0 && advices === 0) {
    return (
      report +
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n'
    )
  }
  if (advices === 0) {
    return (
      report +
      "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n"
    )
  }
  report += '\nI have a few advices for you:\n\n'
  const slowlogHint = String(threshold * 1000)
  for (const a of ADVICE_ORDER) {
    if (!advise.has(a)) continue
    if (a === 'relaxFsyncPolicy' && !cfg.appendfsyncAlways) continue
    if (a === 'hz' && cfg.hz >= 100) continue
    report += ADVICE_TEXT[a].replace('%llu', slowlogHint)
  }
  return report
}

const ADVICE_ORDER: readonly Advice[] = [
  'betterVm',
  'slowlogEnabled',
  'slowlogTuning',
  'slowlogInspect',
  'scheduler',
  'localDisk',
  'ssd',
  'dataWriteback',
  'diskContention',
  'noAppendfsync',
  'relaxFsyncPolicy',
  'writeLoadInfo',
  'hz',
  'largeObjects',
  'massEviction',
]

/** createLatencyReport's advice texts (%llu: latency-monitor-threshold × 1000). */
const ADVICE_TEXT: Readonly<Record<Advice, string>> = {
  betterVm:
    '- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n',
  slowlogEnabled:
    "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than %llu'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n",
  slowlogTuning:
    "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %llu'.\n",
  slowlogInspect:
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler:
    '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  localDisk:
    '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n',
  ssd: '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n',
  dataWriteback:
    '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n',
  diskContention:
    '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n',
  noAppendfsync:
    "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n",
  relaxFsyncPolicy:
    "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n",
  writeLoadInfo:
    '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n',
  hz: "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  largeObjects:
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
  massEviction:
    "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n",
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
