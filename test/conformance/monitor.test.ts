/**
 * MONITOR against redis-server 7.0.15: a monitor sees every other client's commands as they
 * finish, in Redis's line format, without administrative commands, a transaction as its
 * commands then EXEC; a second MONITOR answers nothing; CLIENT LIST flags it 'O'. Times and
 * client addresses differ between the servers and are masked. Passwords are redacted.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

// Both over TCP: a unix-socket client would carry the 'U' flag in CLIENT LIST.
const servers = bothServersPerFile({ tcp: true })

const mask = (line: string): string =>
  line.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '+<time> [$1 <client>]')

async function transcript(connect: () => Promise<RawClient>): Promise<string[]> {
  const monitor = await connect()
  const other = await connect()
  try {
    const seen = [(await monitor.command('MONITOR')).raw]
    for (const argv of [
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['SELECT', '1'],
      ['SET', 'x', 'a\r\nb\x01"\\\t\xff'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['DEBUG', 'SLEEP', '0'],
      ['MULTI'],
      ['INCR', 'n'],
      ['LPUSH', 'n', 'x'],
      ['EXEC'],
      ['NOSUCHCOMMAND', 'x'],
      ['GET'],
      // Passwords show as "(redacted)" (redactClientCommandArgument); AUTH with too many
      // arguments fails before redacting.
      ['AUTH', 'secret'],
      ['AUTH', 'user', 'secret'],
      ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '2', 'SETNAME', 'me', 'AUTH', 'user', 'secret'],
      // MIGRATE redacts its AUTH / AUTH2 credentials as it parses them (NOKEY: nothing moves).
      ['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '10', 'AUTH', 'secret'],
      ['MIGRATE', '127.0.0.1', '1', '', '0', '10', 'COPY', 'AUTH2', 'user', 'secret', 'KEYS', 'a'],
      ['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '10', 'AUTH', 'secret', 'BOGUS'],
    ])
      seen.push((await other.command(...argv)).raw)
    // A second MONITOR is ignored without a reply: the next line is PING's.
    monitor.sendCommand(['MONITOR'])
    await new Promise((r) => setTimeout(r, 100))
    seen.push((await other.command('PING')).raw)
    const list = (await other.command('CLIENT', 'LIST')).raw
    seen.push(
      list
        .split('\n')
        .filter((l) => l.includes('cmd=monitor'))
        .map((l) => /flags=\S+/.exec(l)?.[0])
        .join(),
    )
    for (;;) {
      const line = (await monitor.next(5000)).raw
      seen.push(mask(line))
      if (line.includes('"PING"')) break
    }
    return seen
  } finally {
    monitor.close()
    other.close()
  }
}

describe('MONITOR against redis-server', () => {
  it('streams the same lines, skips admin commands, ignores a second MONITOR', async () => {
    const want = await transcript(() => servers.connectReal())
    expect(want).toContain('+<time> [0 <client>] "SET" "k" "v"\r\n')
    expect(await transcript(() => servers.connectOurs())).toEqual(want)
  })
})
