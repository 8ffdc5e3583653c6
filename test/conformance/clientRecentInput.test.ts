/**
 * INFO client_recent_max_input_buffer against redis-server 7.0.15 on servers of this file's
 * own (the figure is the biggest of the last 8 seconds, which other files' big reads would
 * hide): clientsCronTrackExpansiveClients counts, with each client's query buffer, the
 * arguments it holds. A blocked client holds its command's until it is served.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true }, true)

const recent = async (who: RawClient): Promise<number> =>
  Number(
    /client_recent_max_input_buffer:(\d+)/.exec(
      String((await who.command('INFO', 'clients')).reply.value),
    )?.[1] ?? NaN,
  )

/** Blocks a client on BLPOP of a 1000-byte key; the figure once a cron visit has seen it. */
async function blockedFigure(connect: () => Promise<RawClient>): Promise<number> {
  const blocked = await connect()
  const reader = await connect()
  await blocked.command('PING')
  blocked.sendCommand(['BLPOP', 'k'.repeat(1000), '0'])
  // The query buffers alone come to 20480 (a 16 KiB read buffer's size class).
  let n = await recent(reader)
  for (let i = 0; i < 100 && n <= 20480; i++) {
    await new Promise((resolve) => setTimeout(resolve, 30))
    n = await recent(reader)
  }
  blocked.close()
  reader.close()
  return n
}

describe('client_recent_max_input_buffer', () => {
  it("counts a blocked client's command: its arguments and the argv array", async () => {
    const want = await blockedFigure(() => servers.connectReal())
    // 20480 + 5 + 1000 + 1 bytes of arguments + zmalloc_size of 3 pointers (32).
    expect(want).toBe(21518)
    expect(await blockedFigure(() => servers.connectOurs())).toBe(want)
  })
})
