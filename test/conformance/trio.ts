/**
 * Multi-connection scenarios compared between redis-server and our server: three connections
 * to one server (a and c wait, subscribe or block; b runs the other commands and asks), and
 * the transcript of every reply the scenario reads, in the order it reads them. `same` runs a
 * scenario on both servers and requires the transcripts to be byte for byte equal.
 */
import { expect } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import type { BothServers } from './bothServers.ts'

export interface Trio {
  a: RawClient
  b: RawClient
  c: RawClient
  log: string[]
  /** Runs a command on b and logs its reply. */
  run(...argv: string[]): Promise<void>
  /** Logs the next reply of a connection. */
  read(who: RawClient): Promise<void>
  /** Sends a command on a connection and logs its next `replies` replies. */
  on(who: RawClient, argv: readonly string[], replies?: number): Promise<void>
  /** Sends a command on a connection and waits until INFO (on b) shows one more blocked client. */
  block(who: RawClient, ...argv: string[]): Promise<void>
}

/** INFO's blocked_clients, read on b. */
export async function blockedClients(b: RawClient): Promise<number> {
  const info = (await b.command('INFO', 'clients')).raw
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1)
}

/** Runs `body` on three fresh connections and returns its transcript. */
export async function trio(
  connect: () => Promise<RawClient>,
  body: (s: Trio) => Promise<void>,
): Promise<string[]> {
  const [a, b, c] = [await connect(), await connect(), await connect()]
  const log: string[] = []
  const s: Trio = {
    a,
    b,
    c,
    log,
    run: async (...argv) => {
      log.push((await b.command(...argv)).raw)
    },
    read: async (who) => {
      log.push((await who.next(3000)).raw)
    },
    on: async (who, argv, replies = 1) => {
      who.sendCommand(argv)
      for (let i = 0; i < replies; i++) log.push((await who.next(3000)).raw)
    },
    block: async (who, ...argv) => {
      const before = await blockedClients(b)
      who.sendCommand(argv)
      for (let i = 0; i < 200 && (await blockedClients(b)) <= before; i++)
        await new Promise((r) => setTimeout(r, 5))
    },
  }
  try {
    await body(s)
    return log
  } finally {
    a.close()
    b.close()
    c.close()
  }
}

/** Runs a scenario on both servers and compares the transcripts; returns redis-server's. */
export async function same(
  servers: BothServers,
  body: (s: Trio) => Promise<void>,
): Promise<string[]> {
  const want = await trio(() => servers.connectReal(), body)
  expect(await trio(() => servers.connectOurs(), body)).toEqual(want)
  return want
}
