/**
 * The Web Worker entry: a thin adapter (style.md §5). Messages go to hostHandle in order; the
 * answers are collected and posted as one `batch` per animation frame at most, because a
 * postMessage per trace costs about eight times more than a batch. No logic lives here.
 */
import { createServer } from '../engine/index.ts'
import { createEngineHost, hostHandle } from './engineHost.ts'
import type { FromWorker, ToWorker, WorkerBatch } from './protocol.ts'

const FRAME_MS = 16
const host = createEngineHost(
  createServer,
  () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
)
let outbox: FromWorker[] = []
let flushScheduled = false
let queue: Promise<void> = Promise.resolve()

function flush(): void {
  flushScheduled = false
  const batch: WorkerBatch = { type: 'batch', messages: outbox }
  outbox = []
  self.postMessage(batch)
}

function post(m: FromWorker): void {
  outbox.push(m)
  if (!flushScheduled) {
    flushScheduled = true
    setTimeout(flush, FRAME_MS)
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data
  if (msg.type === 'cancel') {
    // Handled at once, not queued: it has to reach a replay that is waiting between chunks.
    void hostHandle(host, msg, post)
    return
  }
  // One request at a time, in arrival order, even while a replay yields between chunks.
  queue = queue.then(() =>
    hostHandle(host, msg, post).catch((err: unknown) => {
      // The crash hook: rethrown outside the promise chain so the Worker's onerror fires.
      setTimeout(() => {
        throw err
      }, 0)
    }),
  )
}
