/**
 * The Web Worker entry: a thin adapter (style.md §5). Messages go to hostHandle in order; the
 * answers leave through the outbox (outbox.ts): one `batch` per animation frame at most,
 * with view buffers transferred. Between the slices of a long command the host yields
 * (mostly through a MessageChannel: a setTimeout chain is clamped to 4 ms per hop), which
 * lets a `cancel` in. No logic lives here.
 */
import { createServer } from '../engine/index.ts'
import { createEngineHost, hostHandle } from './engineHost.ts'
import { createOutbox } from './outbox.ts'
import type { ToWorker } from './protocol.ts'

const FRAME_MS = 16

const channel = new MessageChannel()
const resumers: (() => void)[] = []
channel.port1.onmessage = () => {
  resumers.shift()?.()
}
let lastTimerYield = performance.now()

/**
 * Yields to the event loop: through the channel (no clamping), but through a timeout once
 * a frame has passed, because some event loops (Node's, under test) drain channel messages
 * ahead of timers, and the outbox's flush is a timer.
 */
function yieldNow(): Promise<void> {
  return new Promise<void>((resolve) => {
    const now = performance.now()
    if (now - lastTimerYield >= FRAME_MS) {
      lastTimerYield = now
      setTimeout(resolve, 0)
      return
    }
    resumers.push(resolve)
    channel.port2.postMessage(null)
  })
}

const host = createEngineHost(createServer, yieldNow)
const outbox = createOutbox(
  (batch, transfer) => {
    self.postMessage(batch, { transfer })
  },
  (flush) => setTimeout(flush, FRAME_MS),
)
const post = outbox.post
let queue: Promise<void> = Promise.resolve()

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data
  if (msg.type === 'cancel') {
    // Handled at once, not queued: it has to reach a replay or a command between slices.
    void hostHandle(host, msg, post)
    return
  }
  // One request at a time, in arrival order, even while a long one yields between slices.
  queue = queue.then(() =>
    hostHandle(host, msg, post).catch((err: unknown) => {
      // The crash hook: rethrown outside the promise chain so the Worker's onerror fires.
      setTimeout(() => {
        throw err
      }, 0)
    }),
  )
}
