/**
 * Builds a store, an EngineClient over an in-process worker and the bridge between them,
 * the way main.tsx wires the real app. `factory` is the engine (the real createServer or the
 * test fake).
 */
import { formatReply } from '../../src/console/formatReply.ts'
import { connectBridge, logToStore, noticeToStore } from '../../src/state/bridge.ts'
import { createAppStore, type StoreOptions } from '../../src/state/store.ts'
import type { ClientTab, ConsoleLine, SavedSession } from '../../src/state/types.ts'
import { createEngineClient } from '../../src/worker/client.ts'
import type { ServerFactory, SliceOptions } from '../../src/worker/engineHost.ts'
import { createFakeServer } from '../worker/fakeServer.ts'
import { createInProcessWorker, type InProcessWorker } from '../worker/inProcessWorker.ts'

export async function createHarness(
  opts: {
    factory?: ServerFactory
    saved?: SavedSession | null
    store?: StoreOptions
    /** How the in-process worker slices long commands and yields between slices. */
    slicing?: Partial<SliceOptions>
    yieldNow?: () => Promise<void>
  } = {},
) {
  const store = createAppStore({ clockRunning: false, ...opts.store })
  const workers: InProcessWorker[] = []
  const factory = opts.factory ?? createFakeServer
  const client = createEngineClient({
    spawn: () => {
      const w = createInProcessWorker(factory, opts.slicing, opts.yieldNow)
      workers.push(w)
      return w
    },
    session: store.getState().session,
    trace: store.getState().traceLevel,
    onNotice: noticeToStore(store),
    onLogged: logToStore(store),
  })
  const bridge = connectBridge(store, client)
  await bridge.start(opts.saved ?? null)
  await bridge.idle()
  const tab = (): number => {
    const id = store.getState().activeTab
    if (id === null) throw new Error('no active tab')
    return id
  }
  /** Runs commands one after another on the active tab and waits for the answers. */
  const run = async (...lines: (readonly string[])[]) => {
    for (const argv of lines) {
      store.getState().lineEntered(tab(), argv.join(' '))
      store.getState().commandSubmitted(argv, tab())
      await bridge.idle()
    }
  }
  const dispose = () => {
    bridge.stop()
    client.dispose()
  }
  return { store, client, bridge, workers, tab, run, dispose }
}

/** A tab's lines as the console prints them (input lines after a plain "> " prompt). */
export const printed = (tab: ClientTab | undefined): string[] =>
  (tab?.lines ?? []).map((l: ConsoleLine) =>
    l.kind === 'reply'
      ? formatReply(l.reply)
      : l.kind === 'input'
        ? `> ${l.text}`
        : l.kind === 'notice'
          ? l.key
          : l.text,
  )
