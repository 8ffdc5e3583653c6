/**
 * A console tab's label. The store names a tab after its connection, "client N" (the UI
 * translates it, Console.tsx tabName), and the name follows the connection: a reconnect gives
 * the tab a new client id and so a new name, and a session saved when the first tab was
 * still called "client 1" whatever its id is renamed on load.
 */
import type { ClientId } from '../engine/api.ts'

/** The label of a tab whose connection is `id`. */
export function tabLabel(id: ClientId): string {
  return `client ${String(id)}`
}

/** The label a tab with connection `id` should carry: a "client N" label follows the id. */
export function labelFor(id: ClientId, label: string): string {
  return /^client \d+$/.test(label) ? tabLabel(id) : label
}
