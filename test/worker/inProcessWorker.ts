/**
 * A WorkerLike that runs the real engine host in the same thread, with the same batching
 * envelope as engine.worker.ts, so EngineClient and the store can be tested in jsdom.
 * `crash` makes it fire onerror, as a real worker's uncaught throw would.
 */
import type { ServerFactory } from '../../src/worker/engineHost.ts'
import { createEngineHost, hostHandle } from '../../src/worker/engineHost.ts'
import type { WorkerLike } from '../../src/worker/client.ts'
import type { FromWorker, ToWorker, WorkerBatch } from '../../src/worker/protocol.ts'

export interface InProcessWorker extends WorkerLike {
  terminated: boolean
  /** Messages received, for assertions. */
  readonly received: ToWorker[]
  /** When set, requests of this type are never answered (a runaway command). */
  hangOn: ToWorker['type'] | null
}

/** Creates an in-process worker around `factory`. */
export function createInProcessWorker(factory: ServerFactory): InProcessWorker {
  const host = createEngineHost(factory, () => new Promise((r) => setTimeout(r, 0)))
  let queue: Promise<void> = Promise.resolve()
  let outbox: FromWorker[] = []
  let scheduled = false
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
      const post = (m: FromWorker): void => {
        outbox.push(m)
        if (scheduled) return
        scheduled = true
        setTimeout(() => {
          scheduled = false
          const batch: WorkerBatch = { type: 'batch', messages: outbox }
          outbox = []
          if (!w.terminated) w.onmessage?.(new MessageEvent('message', { data: batch }))
        }, 0)
      }
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
