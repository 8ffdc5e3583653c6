/**
 * maxclients against redis-server 7.0.15: connections past the limit get Redis's error and
 * are closed, the others keep working, INFO counts the refusals, and lowering or raising the
 * limit takes effect for the next connection.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile()

/** What each of a sequence of steps sees on one server. */
async function transcript(connect: () => Promise<RawClient>): Promise<string[]> {
  const seen: string[] = []
  const first = await connect()
  const open: RawClient[] = [first]
  try {
    seen.push((await first.command('CONFIG', 'SET', 'maxclients', '3')).raw)
    for (let i = 0; i < 2; i++) {
      const c = await connect()
      open.push(c)
      seen.push((await c.command('PING')).raw)
    }
    // The fourth connection is refused: the error, then the server closes it.
    const refused = await connect()
    open.push(refused)
    seen.push(await refused.closed(5000))
    seen.push((await first.command('PING')).raw)
    const info = (await first.command('INFO', 'stats')).raw
    seen.push(/rejected_connections:\d+/.exec(info)?.[0] ?? 'no rejected_connections')
    // One leaves: a new one is let in again.
    open[1]?.close()
    await new Promise((r) => setTimeout(r, 200))
    const again = await connect()
    open.push(again)
    seen.push((await again.command('PING')).raw)
    seen.push((await first.command('CONFIG', 'SET', 'maxclients', '10000')).raw)
  } finally {
    for (const c of open) c.close()
  }
  return seen
}

describe('maxclients against redis-server', () => {
  it('refuses connections past the limit with the same bytes and counts them', async () => {
    const want = await transcript(() => servers.connectReal())
    expect(want[3]).toBe('-ERR max number of clients reached\r\n')
    expect(await transcript(() => servers.connectOurs())).toEqual(want)
  })
})
