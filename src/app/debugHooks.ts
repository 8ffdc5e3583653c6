/**
 * `window.__xray`: debug hooks for end-to-end tests and curious users (in the console:
 * `__xray.crashWorker()` kills the engine worker on purpose to show the recovery).
 */
import type { Bridge } from '../state/bridge.ts'
import type { AppStore } from '../state/store.ts'

export interface XrayHooks {
  readonly store: AppStore
  readonly bridge: Bridge
  /** Makes the engine worker throw; the client restarts it and replays the log. */
  crashWorker(): void
  /** The permalink URL of the current session. */
  permalink(): string
  /** Resolves when every queued request has been answered. */
  idle(): Promise<void>
  /** DEBUG DIGEST-like digest of the live dataset. */
  digest(): Promise<string>
}

declare global {
  interface Window {
    __xray?: XrayHooks
  }
}
