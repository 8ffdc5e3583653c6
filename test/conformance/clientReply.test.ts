/**
 * CLIENT REPLY ON|OFF|SKIP against redis-server 7.0.15: the same pipelined bytes to both
 * servers, and every byte that comes back compared. Replies that are withheld never arrive,
 * so the test reads until a final marker reply rather than one reply per command.
 */
import { describe, expect, it } from 'vitest'
import { respEncodeCommand } from '../../src/engine/resp.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile()

/** Sends `commands` pipelined, then ECHO <marker>; returns every byte up to the marker's reply. */
async function bytesFor(c: RawClient, commands: readonly (readonly string[])[]): Promise<string> {
  const marker = `end-${String(Math.random()).slice(2)}`
  c.send(
    commands.map((argv) => respEncodeCommand(argv)).join('') + respEncodeCommand(['ECHO', marker]),
  )
  let out = ''
  for (;;) {
    const r = await c.next(5000)
    out += r.raw
    if (r.raw.endsWith(`${marker}\r\n`)) return out.slice(0, out.length - r.raw.length)
  }
}

const SCRIPTS: Record<string, (readonly string[])[]> = {
  'SKIP withholds the next reply only': [
    ['CLIENT', 'REPLY', 'SKIP'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['NOSUCHCOMMAND', 'x'],
    ['INCR', 'k'],
  ],
  'OFF withholds every reply, errors included, until ON': [
    ['CLIENT', 'REPLY', 'OFF'],
    ['SET', 'k', 'v'],
    ['INCR', 'k'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['LPUSH', 'k', 'x'],
    ['CLIENT', 'REPLY', 'ON'],
    ['GET', 'k'],
    ['CLIENT', 'REPLY', 'ON'],
  ],
  'SKIP then ON: ON answers and nothing is skipped after it': [
    ['CLIENT', 'REPLY', 'SKIP'],
    ['CLIENT', 'REPLY', 'ON'],
    ['PING'],
    ['CLIENT', 'REPLY', 'maybe'],
    ['CLIENT', 'REPLY'],
  ],
  // The SKIP covers the blocking command: its late reply (the timeout's nil) is withheld too.
  'SKIP withholds the reply of a command that blocks and times out': [
    ['DEL', 'bk:l'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['BLMOVE', 'bk:l', 'bk:m', 'RIGHT', 'LEFT', '0.01'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['BZPOPMIN', 'bk:z', '0.01'],
    ['PING'],
  ],
  // multi.c execCommand writes the header for every queued command, then each reply as it is
  // added: SKIP's own reply is missing (its SKIP covers the command after EXEC), OFF withholds
  // the rest until a queued ON.
  'SKIP queued in MULTI: EXEC array one short, the next command skipped': [
    ['MULTI'],
    ['SET', 'm', '1'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['GET', 'm'],
    ['EXEC'],
    ['PING'],
    ['MULTI'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['EXEC'],
    ['MULTI'],
    ['EXEC'],
  ],
  'OFF queued in MULTI: header and replies before it, ON resumes': [
    ['MULTI'],
    ['SET', 'm', '1'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['GET', 'm'],
    ['NOSUCHCOMMAND'],
    ['CLIENT', 'REPLY', 'ON'],
    ['GET', 'm'],
    ['EXEC'],
    ['MULTI'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['INCR', 'm'],
    ['EXEC'],
    ['PING'],
    ['CLIENT', 'REPLY', 'ON'],
  ],
  'OFF before EXEC, ON queued: no header, replies from ON on': [
    ['CLIENT', 'REPLY', 'OFF'],
    ['MULTI'],
    ['SET', 'm', '1'],
    ['CLIENT', 'REPLY', 'ON'],
    ['GET', 'm'],
    ['EXEC'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['MULTI'],
    ['CLIENT', 'REPLY', 'ON'],
    ['EXEC'],
  ],
  // Pub/Sub output (CLIENT_PUSHING) is written inside the array even under OFF.
  'OFF queued in MULTI with subscribe confirmations and own messages, RESP2': [
    ['MULTI'],
    ['SUBSCRIBE', 'mch'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['PUBLISH', 'mch', 'm'],
    ['SUBSCRIBE', 'mch2'],
    ['CLIENT', 'REPLY', 'ON'],
    ['PUBLISH', 'mch', 'n'],
    ['EXEC'],
    ['RESET'],
  ],
  // The SKIP hides HELLO's reply (it shows the client id, which differs).
  'OFF and SKIP queued in MULTI with pushes and invalidations, RESP3': [
    ['CLIENT', 'REPLY', 'SKIP'],
    ['HELLO', '3'],
    ['SUBSCRIBE', 'mch'],
    ['MULTI'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['PUBLISH', 'mch', 'm'],
    ['SUBSCRIBE', 'mch2'],
    ['GET', 'm'],
    ['CLIENT', 'REPLY', 'ON'],
    ['PUBLISH', 'mch', 'n'],
    ['CLIENT', 'REPLY', 'SKIP'],
    ['EXEC'],
    ['PING'],
    // Named: a bare UNSUBSCRIBE walks a dict Redis seeds at random.
    ['UNSUBSCRIBE', 'mch', 'mch2'],
    ['CLIENT', 'TRACKING', 'ON'],
    ['MULTI'],
    ['GET', 'm'],
    ['CLIENT', 'REPLY', 'OFF'],
    ['SET', 'm', '2'],
    ['GET', 'm'],
    ['EXEC'],
    ['CLIENT', 'REPLY', 'ON'],
  ],
  'RESET turns OFF back on': [
    ['CLIENT', 'REPLY', 'OFF'],
    ['SET', 'r', '1'],
    ['RESET'],
    ['GET', 'r'],
  ],
}

describe('CLIENT REPLY against redis-server', () => {
  for (const [name, commands] of Object.entries(SCRIPTS)) {
    it(name, async () => {
      const a = await servers.connectReal()
      const b = await servers.connectOurs()
      try {
        const want = await bytesFor(a, commands)
        expect(await bytesFor(b, commands)).toBe(want)
        // Both connections still work normally afterwards.
        expect((await b.command('PING')).raw).toBe((await a.command('PING')).raw)
      } finally {
        a.close()
        b.close()
      }
    })
  }
})
