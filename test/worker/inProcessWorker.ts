/**
 * A WorkerLike that runs the real engine host in the same thread, with the same batching
 * envelope as engine.worker.ts, so EngineClient and the store can be tested in jsdom.
 * `crash` makes it fire onerror, as a real worker's uncaught throw would.
 */
import type { ServerFactory, SliceOptions } from '../../src/worker/engineHost.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import type { WorkerLike } from '../../src/worker/client.ts'
import { createOutbox } from '../../src/worker/outbox.ts'
import type { ToWorker } from '../../src/worker/protocol.ts'

export interface InProcessWorker extends WorkerLike {
  terminated: boolean
  /** Messages received, for assertions. */
  readonly received: ToWorker[]
  /** When set, requests of this type are never answered (a runaway command). */
  hangOn: ToWorker['type'] | null
}

/** Creates an in-process worker around `factory`. */
export function createInProcessWorker(
  factory: ServerFactory,
  slicing: Partial<SliceOptions> = {},
  yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0)),
): InProcessWorker {
  const host = createEngineHost(factory, yieldNow, slicing)
  let queue: Promise<void> = Promise.resolve()
  const outbox = createOutbox(
    (batch) => {
      if (!w.terminated) w.onmessage?.(new MessageEvent('message', { data: batch }))
    },
    (flush) => setTimeout(flush, 0),
  )
  const post = outbox.post
  const w: InProcessWorker = {
    terminated: false,
    received: [],
    hangOn: null,
    onmessage: null,
    onerror: null,
    terminate() {
      w.terminated = true
    },
    postMessage(msg) {
      w.received.push(msg)
      if (w.hangOn === msg.type) return
      if (msg.type === 'cancel') {
        void hostHandle(host, msg, post)
        return
      }
      queue = queue.then(() =>
        hostHandle(host, msg, post).catch(() => {
          setTimeout(() => {
            if (!w.terminated) w.onerror?.(new Event('error', { cancelable: true }))
          }, 0)
        }),
      )
    },
  }
  return w
}
