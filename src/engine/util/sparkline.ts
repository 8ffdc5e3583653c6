/**
 * ASCII sparklines — follows redis/src/sparkline.c (7.0.15), which LATENCY GRAPH uses to draw
 * an event's time series.
 *
 * A sequence of samples (a value and an optional label) is drawn `rows` text rows high:
 * each value maps to one of charset_len × rows steps between the sequence's min and max, and
 * each row holds the part of the bar that reaches it ('_', '-', '`' per step within a row;
 * with SPARKLINE_FILL '_', 'o', '#' and '|' for a row the bar passes through). Below the
 * rows, after one blank margin row, the labels are written vertically, one character a row.
 * A sequence wider than `columns` is drawn in ranges of `columns` samples, one under another.
 */

// --- Types ---

export interface SparklineSample {
  readonly value: number
  /** null for no label (sparkline.c keeps NULL for a NULL or empty label). */
  readonly label: string | null
}

export interface SparklineSequence {
  samples: SparklineSample[]
  min: number
  max: number
  /** How many samples have a label. */
  labels: number
}

/** sparkline.h flags. */
export const SPARKLINE_FILL = 1
export const SPARKLINE_LOG_SCALE = 2

const CHARSET = '_-`'
const CHARSET_FILL = '_o#'
const CHARSET_LEN = CHARSET.length
const LABEL_MARGIN_TOP = 1

// --- API ---

/** createSparklineSequence: an empty sequence. */
export function createSparklineSequence(): SparklineSequence {
  return { samples: [], min: 0, max: 0, labels: 0 }
}

/** sparklineSequenceAddSample: appends a sample and widens the sequence's min and max. */
export function sparklineSequenceAddSample(
  seq: SparklineSequence,
  value: number,
  label: string | null,
): void {
  const l = label === null || label === '' ? null : label
  if (seq.samples.length === 0) {
    seq.min = seq.max = value
  } else if (value < seq.min) {
    seq.min = value
  } else if (value > seq.max) {
    seq.max = value
  }
  seq.samples.push({ value, label: l })
  if (l !== null) seq.labels++
}

/**
 * sparklineRenderRange: draws samples [offset, offset + len) and appends the rows, each
 * ended by "\n", to `output`. The loop runs row by row until a row has nothing to draw.
 */
function sparklineRenderRange(
  output: string,
  seq: SparklineSequence,
  rows: number,
  offset: number,
  len: number,
  flags: number,
): string {
  const steps = CHARSET_LEN * rows
  const optFill = (flags & SPARKLINE_FILL) !== 0
  const optLog = (flags & SPARKLINE_LOG_SCALE) !== 0
  let relmax = seq.max - seq.min
  if (optLog) relmax = Math.log(relmax + 1)
  else if (relmax === 0) relmax = 1
  let row = 0
  let loop = true
  while (loop) {
    loop = false
    const chars: string[] = new Array<string>(len).fill(' ')
    for (let j = 0; j < len; j++) {
      const s = seq.samples[j + offset] as SparklineSample
      let relval = s.value - seq.min
      if (optLog) relval = Math.log(relval + 1)
      // C: step = (int) (relval*steps)/relmax; the cast binds to the product only.
      let step = Math.trunc(Math.trunc(relval * steps) / relmax)
      if (step < 0) step = 0
      if (step >= steps) step = steps - 1
      if (row < rows) {
        // The character of the sparkline in this row.
        const charidx = step - (rows - row - 1) * CHARSET_LEN
        loop = true
        if (charidx >= 0 && charidx < CHARSET_LEN) {
          chars[j] = (optFill ? CHARSET_FILL : CHARSET)[charidx] as string
        } else if (optFill && charidx >= CHARSET_LEN) {
          chars[j] = '|'
        }
      } else {
        // The blank margin between the graph and the labels: the whole row is spaces.
        if (seq.labels !== 0 && row - rows < LABEL_MARGIN_TOP) {
          loop = true
          break
        }
        // One character of the label per row.
        if (s.label !== null) {
          const labelChar = row - rows - LABEL_MARGIN_TOP
          if (s.label.length > labelChar) {
            loop = true
            chars[j] = s.label[labelChar] as string
          }
        }
      }
    }
    if (loop) {
      row++
      output += chars.join('') + '\n'
    }
  }
  return output
}

/** sparklineRender: appends the sequence's drawing, `columns` samples per range, to `output`. */
export function sparklineRender(
  output: string,
  seq: SparklineSequence,
  columns: number,
  rows: number,
  flags: number,
): string {
  const n = seq.samples.length
  for (let j = 0; j < n; j += columns) {
    const sublen = Math.min(n - j, columns)
    if (j !== 0) output += '\n'
    output = sparklineRenderRange(output, seq, rows, j, sublen, flags)
  }
  return output
}
