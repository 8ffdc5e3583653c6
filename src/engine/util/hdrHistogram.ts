/**
 * The per-command latency histogram — follows redis/deps/hdr_histogram (HdrHistogram_c) as
 * Redis 7.0 configures it (server.h LATENCY_HISTOGRAM_*): values in nanoseconds from 1 to
 * 1e9 (one second) kept to 2 significant digits. `latency-tracking yes` records every
 * command's duration (call() / updateStatsOnUnblock); LATENCY HISTOGRAM prints its
 * cumulative distribution over power-of-two buckets from 1024 ns, INFO latencystats its
 * percentiles.
 *
 * Layout, as hdr_init computes it for those parameters: 2 digits need 200 distinct values
 * per bucket, so a sub-bucket holds 256 (sub_bucket_count, its half 128); unit magnitude 0
 * (1 ns); 23 buckets reach past 1e9, so there are (23 + 1) × 128 = 3072 counters. Bucket b
 * covers values with the same highest bit, at a resolution of 2^b ns:
 *
 *   bucketIndex(v)   = (32 − clz(v | 255)) − 8
 *   subBucketIndex   = v >> bucketIndex
 *   countsIndex      = ((bucketIndex + 1) << 7) + subBucketIndex − 128
 *   lowest equivalent value = subBucketIndex << bucketIndex, range = 1 << bucketIndex
 *
 * Every value fits 31 bits (≤ 1e9), so Math.clz32 is the C __builtin_clzll on 64 bits less 32.
 */
import { allocStamp } from '../structures/allocStamp.ts'

const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7
const SUB_BUCKET_HALF_COUNT = 128
const SUB_BUCKET_COUNT = 256
const SUB_BUCKET_MASK = 255
const BUCKET_COUNT = 23
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT

/** server.h LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE (ns). */
export const LATENCY_HISTOGRAM_MIN_VALUE = 1
export const LATENCY_HISTOGRAM_MAX_VALUE = 1_000_000_000

/** An hdr_histogram: its counters and their total. */
export interface HdrHistogram {
  counts: Float64Array
  totalCount: number
}

/** hdr_init with Redis's latency parameters: an empty histogram. */
export function hdrCreate(): HdrHistogram {
  return { counts: new Float64Array(COUNTS_LEN), totalCount: 0 }
}

function bucketIndex(v: number): number {
  return 32 - Math.clz32(v | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1)
}

function countsIndexFor(v: number): number {
  const b = bucketIndex(v)
  const sub = v >>> b
  return ((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub - SUB_BUCKET_HALF_COUNT
}

/** hdr_value_at_index: the lowest value counted at `index`. */
function valueAtIndex(index: number): number {
  let b = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT
  if (b < 0) {
    sub -= SUB_BUCKET_HALF_COUNT
    b = 0
  }
  return sub * 2 ** b
}

/** lowest_equivalent_value: the start of the range `v` is counted in. */
function lowestEquivalentValue(v: number): number {
  const b = bucketIndex(v)
  return (v >>> b) * 2 ** b
}

/** highest_equivalent_value: the end of the range `v` is counted in. */
export function highestEquivalentValue(v: number): number {
  const b = bucketIndex(v)
  const sub = v >>> b
  const adjusted = sub >= SUB_BUCKET_COUNT ? b + 1 : b
  return sub * 2 ** b + 2 ** adjusted - 1
}

/**
 * server.c updateCommandLatencyHistogram: clamps `ns` to [1, 1e9], then hdr_record_value.
 */
export function hdrRecordValue(h: HdrHistogram, ns: number): void {
  const v = Math.min(
    Math.max(Math.floor(ns), LATENCY_HISTOGRAM_MIN_VALUE),
    LATENCY_HISTOGRAM_MAX_VALUE,
  )
  const i = countsIndexFor(v)
  h.counts[i] = (h.counts[i] ?? 0) + 1
  h.totalCount++
}

/**
 * latency.c fillCommandCDF: [µs, cumulative count] pairs. hdr_iter_log_init(h, 1024, 2)
 * walks the counters; at each reporting level L = 1024·2^k it reports the counts of every
 * index up to the first whose value reaches L's lowest equivalent, as
 * highest_equivalent_value(L) / 1000 µs (integer division). When the counters run out
 * before the next level, the last step reports the last index's highest equivalent value.
 * Levels that add nothing are not printed.
 */
export function hdrLogCdf(h: HdrHistogram): [number, number][] {
  const out: [number, number][] = []
  let level = 1024
  let levelLowest = lowestEquivalentValue(level)
  let index = -1
  let value = 0
  let cumulative = 0
  let previous = 0
  const emit = (highest: number): void => {
    if (cumulative > previous) out.push([Math.floor(highest / 1000), cumulative])
    previous = cumulative
  }
  for (;;) {
    // log_iter_next: go on while counts remain or the next index lies past the level.
    const hasNext = cumulative < h.totalCount
    const nextPast = index < COUNTS_LEN && valueAtIndex(index + 1) > levelLowest
    if (!hasNext && !nextPast) break
    let reported = false
    for (;;) {
      if (value >= levelLowest) {
        emit(highestEquivalentValue(level))
        level *= 2
        levelLowest = lowestEquivalentValue(level)
        reported = true
        break
      }
      // move_next
      index++
      if (index >= COUNTS_LEN) break
      cumulative += h.counts[index] ?? 0
      value = valueAtIndex(index)
    }
    if (!reported) {
      emit(highestEquivalentValue(valueAtIndex(COUNTS_LEN - 1)))
      break
    }
  }
  return out
}

/**
 * hdr_value_at_percentile: the highest equivalent value of the first index where the
 * running count reaches round(percentile% of the total) (at least 1); for the 0th
 * percentile the lowest equivalent value.
 */
export function hdrValueAtPercentile(h: HdrHistogram, percentile: number): number {
  const requested = percentile < 100 ? percentile : 100
  const countAt = Math.max(Math.trunc((requested / 100) * h.totalCount + 0.5), 1)
  let running = 0
  let value = 0
  for (let i = 0; i < COUNTS_LEN; i++) {
    running += h.counts[i] ?? 0
    if (running >= countAt) {
      value = valueAtIndex(i)
      break
    }
  }
  return percentile === 0 ? lowestEquivalentValue(value) : highestEquivalentValue(value)
}

/**
 * server.c updateCommandLatencyHistogram: records a duration of `durationUs` µs (in ns)
 * in a command's histogram, creating it on first use.
 */
export function updateCommandLatencyHistogram(
  st: { hist: HdrHistogram | null },
  durationUs: number,
): void {
  if (st.hist === null) {
    st.hist = hdrCreate()
    // A new allocation in used_memory (memory.ts LATENCY_HISTOGRAM_BYTES).
    allocStamp.n++
  }
  hdrRecordValue(st.hist, durationUs * 1000)
}
