/**
 * The worker's outbox: answers collect here and leave as one `batch` per frame at most
 * (a postMessage per trace costs about eight times more than a batch). Two refinements:
 * - a newer `progress` of a request replaces the older one still waiting, so a long command
 *   sends one progress per frame, not one per slice;
 * - the buffers of typed arrays in views (a big dict's bucket occupancy: a Uint16Array of
 *   one entry per bucket, 2 MB for a million buckets) go in the transfer list, so they
 *   move to the main thread instead of being copied. The worker keeps no reference to a
 *   view once posted, so detaching its buffers is safe.
 */
import type { FromWorker, WorkerBatch } from './protocol.ts'

// --- Types ---

export interface Outbox {
  /** Queues an answer; schedules a flush when none is pending. */
  post(m: FromWorker): void
  /** Sends what is queued now (the scheduled flush calls this). */
  flush(): void
}

/** A batch and the buffers to transfer with it. */
export interface BuiltBatch {
  readonly batch: WorkerBatch
  readonly transfer: ArrayBuffer[]
}

// --- API ---

/**
 * Creates an outbox that sends through `send` (self.postMessage with a transfer list) and
 * defers flushes with `schedule` (a frame's timeout in the worker).
 */
export function createOutbox(
  send: (batch: WorkerBatch, transfer: ArrayBuffer[]) => void,
  schedule: (flush: () => void) => void,
): Outbox {
  let messages: FromWorker[] = []
  let scheduled = false
  const outbox: Outbox = {
    post(m) {
      const last = messages.at(-1)
      if (m.type === 'progress' && last?.type === 'progress' && last.id === m.id)
        messages[messages.length - 1] = m
      else messages.push(m)
      if (scheduled) return
      scheduled = true
      schedule(() => {
        outbox.flush()
      })
    },
    flush() {
      scheduled = false
      if (messages.length === 0) return
      const { batch, transfer } = buildBatch(messages)
      messages = []
      send(batch, transfer)
    },
  }
  return outbox
}

/** Wraps answers in a batch and lists the buffers of the typed arrays their views hold. */
export function buildBatch(messages: readonly FromWorker[]): BuiltBatch {
  const buffers = new Set<ArrayBuffer>()
  for (const m of messages) if (m.type === 'inspected') collectBuffers(m.view, buffers, 0)
  return { batch: { type: 'batch', messages }, transfer: [...buffers] }
}

/** Views are shallow trees; a bound on depth keeps a cyclic value from looping. */
const MAX_DEPTH = 8

function collectBuffers(x: unknown, out: Set<ArrayBuffer>, depth: number): void {
  if (typeof x !== 'object' || x === null || depth > MAX_DEPTH) return
  if (ArrayBuffer.isView(x)) {
    if (x.buffer instanceof ArrayBuffer) out.add(x.buffer)
    return
  }
  if (Array.isArray(x)) {
    for (const v of x as unknown[]) collectBuffers(v, out, depth + 1)
    return
  }
  for (const v of Object.values(x)) collectBuffers(v, out, depth + 1)
}
