/**
 * Pub/Sub against redis-server 7.0.15, with several connections: SUBSCRIBE, PSUBSCRIBE and
 * SSUBSCRIBE confirmations and counts, PUBLISH's receivers with channel and pattern
 * subscriptions overlapping, message / pmessage / smessage delivery and order, the
 * UNSUBSCRIBE family, the subscribed context (its error, PING, RESET, QUIT), MULTI/EXEC with
 * SUBSCRIBE and a PUBLISH to itself, CLIENT REPLY OFF, pipelining, PUBSUB's subcommands,
 * INFO and CLIENT LIST fields, closing and killing subscribers. Each scenario's transcript
 * (the raw bytes of every reply, in the order the test reads them) must be the same on both
 * servers.
 *
 * Redis iterates some dicts whose order depends on its per-process SipHash seed (PUBSUB
 * CHANNELS, pattern messages across several patterns, UNSUBSCRIBE with no argument over
 * several channels). Scenarios keep those to one element, as Redis's own tests do, except
 * where a transcript line is sorted before comparing (said where it happens).
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { same as sameOnBoth, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true })

const same = (body: (s: Trio) => Promise<void>): Promise<string[]> => sameOnBoth(servers, body)

/** Waits (on b) until PUBSUB NUMSUB of `channel` is `n`: a closed client is gone. */
async function waitNumsub(b: RawClient, channel: string, n: number): Promise<void> {
  const want = `*2\r\n$${String(channel.length)}\r\n${channel}\r\n:${String(n)}\r\n`
  for (let i = 0; i < 200; i++) {
    if ((await b.command('PUBSUB', 'NUMSUB', channel)).raw === want) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`NUMSUB ${channel} never reached ${String(n)}`)
}

describe('Pub/Sub against redis-server', () => {
  it('confirms subscriptions with counts, repeats and shard channels apart', async () => {
    const log = await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'x', 'x', 'y'], 3)
      await s.on(s.a, ['PSUBSCRIBE', 'x*', 'x*', 'h?llo'], 3)
      await s.on(s.a, ['SSUBSCRIBE', 's1', 's2', 's1'], 3)
      await s.on(s.a, ['PING'])
      await s.on(s.a, ['PING', 'hi'])
    })
    expect(log[0]).toBe('*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n')
  })

  it('publishes to channel and pattern subscribers and counts every delivery', async () => {
    const log = await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'news', 'other'], 2)
      await s.on(s.a, ['PSUBSCRIBE', 'n*'])
      await s.on(s.c, ['PSUBSCRIBE', 'ne?s'])
      await s.on(s.c, ['SUBSCRIBE', 'news'])
      await s.run('PUBLISH', 'news', 'hello')
      // Each subscriber: its channel message first, then its pattern message.
      await s.read(s.a)
      await s.read(s.a)
      await s.read(s.c)
      await s.read(s.c)
      await s.run('PUBLISH', 'nope', 'm2')
      await s.read(s.a)
      await s.run('PUBLISH', 'other', 'm3')
      await s.read(s.a)
      await s.run('PUBLISH', 'nobody-here', 'm4')
      // Several messages queue in order.
      await s.run('PUBLISH', 'other', '1')
      await s.run('PUBLISH', 'other', '2')
      await s.run('PUBLISH', 'news', '3')
      for (let i = 0; i < 4; i++) await s.read(s.a)
      await s.read(s.c)
      await s.read(s.c)
    })
    expect(log[5]).toBe(':4\r\n')
  })

  it('SPUBLISH reaches shard subscribers only, never patterns', async () => {
    await same(async (s) => {
      await s.on(s.a, ['SSUBSCRIBE', 'orders'])
      await s.on(s.a, ['PSUBSCRIBE', '*'])
      await s.on(s.c, ['SUBSCRIBE', 'orders'])
      await s.run('SPUBLISH', 'orders', 'o1')
      await s.read(s.a)
      await s.run('PUBLISH', 'orders', 'o2')
      await s.read(s.a)
      await s.read(s.c)
      await s.run('SPUBLISH', 'nothing', 'o3')
    })
  })

  it('is binary safe in channels, patterns and payloads', async () => {
    await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'bin\x00\r\nary'])
      await s.on(s.a, ['PSUBSCRIBE', 'a\\*[bc]'])
      await s.run('PUBLISH', 'bin\x00\r\nary', '\x00\xff\r\n')
      await s.read(s.a)
      await s.run('PUBLISH', 'a*c', 'glob')
      await s.read(s.a)
      await s.run('PUBLISH', 'axc', 'no')
      await s.run('PUBSUB', 'NUMSUB', 'bin\x00\r\nary')
    })
  })

  it('unsubscribes with counts, and answers nil when there is nothing to leave', async () => {
    await same(async (s) => {
      await s.on(s.a, ['UNSUBSCRIBE'])
      await s.on(s.a, ['PUNSUBSCRIBE'])
      await s.on(s.a, ['SUNSUBSCRIBE'])
      await s.on(s.a, ['UNSUBSCRIBE', 'a', 'b'], 2)
      await s.on(s.a, ['SUBSCRIBE', 'x', 'y'], 2)
      await s.on(s.a, ['PSUBSCRIBE', 'p1', 'p2', 'p3'], 3)
      await s.on(s.a, ['SSUBSCRIBE', 's'])
      await s.on(s.a, ['UNSUBSCRIBE', 'y', 'zz'], 2)
      await s.on(s.a, ['UNSUBSCRIBE'])
      await s.on(s.a, ['UNSUBSCRIBE'])
      // Patterns leave in subscription order (a list in Redis 7.0).
      await s.on(s.a, ['PUNSUBSCRIBE', 'p2'])
      await s.on(s.a, ['PUNSUBSCRIBE'], 2)
      await s.on(s.a, ['PUNSUBSCRIBE'])
      // Still subscribed to a shard channel: still in the subscribed context.
      await s.on(s.a, ['GET', 'k'])
      await s.on(s.a, ['SUNSUBSCRIBE', 's', 's'], 2)
      await s.on(s.a, ['GET', 'k'])
    })
  })

  it('refuses other commands in the subscribed context, PING answers an array', async () => {
    await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'x'])
      await s.on(s.a, ['GET', 'k'])
      await s.on(s.a, ['get'])
      await s.on(s.a, ['CONFIG', 'GET', 'maxmemory'])
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['SELECT', '1'])
      await s.on(s.a, ['NOSUCHCOMMAND'])
      await s.on(s.a, ['PING'])
      await s.on(s.a, ['ping', 'payload'])
      await s.on(s.a, ['PING', 'a', 'b'])
      // Refused commands count as rejected calls; the counts are in INFO commandstats.
      const stats = (await s.b.command('INFO', 'commandstats')).raw
      for (const cmd of ['get', 'multi', 'config\\|get', 'select', 'ping'])
        s.log.push(
          new RegExp(`cmdstat_${cmd}:calls=\\d+.*`).exec(stats)?.[0].replace(/usec[^,]*,/g, '') ??
            '',
        )
      await s.on(s.a, ['RESET'])
      await s.on(s.a, ['GET', 'k'])
      await s.on(s.a, ['PING'])
      await s.run('PUBLISH', 'x', 'after reset')
      await s.run('PUBSUB', 'NUMSUB', 'x')
    })
  })

  it('QUIT in the subscribed context closes, and the subscriptions go with it', async () => {
    await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'x'])
      await s.on(s.a, ['PSUBSCRIBE', 'x'])
      await s.on(s.c, ['SUBSCRIBE', 'x'])
      await s.on(s.a, ['QUIT'])
      s.log.push(await s.a.closed())
      await waitNumsub(s.b, 'x', 1)
      await s.run('PUBSUB', 'NUMPAT')
      await s.run('PUBLISH', 'x', 'm')
      await s.read(s.c)
      // CLIENT KILL TYPE pubsub closes the other subscriber.
      await s.run('CLIENT', 'KILL', 'TYPE', 'pubsub')
      s.log.push(await s.c.closed())
      await s.run('PUBSUB', 'NUMSUB', 'x')
      await s.run('PUBLISH', 'x', 'm')
    })
  })

  it('closing a subscriber drops its subscriptions', async () => {
    await same(async (s) => {
      await s.on(s.a, ['SUBSCRIBE', 'x'])
      await s.on(s.a, ['SSUBSCRIBE', 'x'])
      await s.on(s.a, ['PSUBSCRIBE', '*'])
      await s.run('PUBSUB', 'SHARDNUMSUB', 'x')
      s.a.close()
      await waitNumsub(s.b, 'x', 0)
      await s.run('PUBSUB', 'SHARDNUMSUB', 'x')
      await s.run('PUBSUB', 'NUMPAT')
      await s.run('PUBLISH', 'x', 'm')
    })
  })

  it('runs SUBSCRIBE inside EXEC, with a message to itself before its PUBLISH reply', async () => {
    await same(async (s) => {
      for (const argv of [
        ['MULTI'],
        ['SUBSCRIBE', 'x', 'y'],
        ['PUBLISH', 'x', 'hi'],
        ['SSUBSCRIBE', 's'],
        ['PSUBSCRIBE', 'p*'],
      ])
        await s.on(s.a, argv)
      // EXEC announces four replies and writes six: read them one by one.
      await s.on(s.a, ['EXEC'], 3)
      await s.on(s.a, ['GET', 'k'])
      await s.run('PUBLISH', 'pat', 'm')
      await s.read(s.a)
    })
  })

  it('sends confirmations under CLIENT REPLY OFF, but not other replies', async () => {
    await same(async (s) => {
      s.a.sendCommand(['CLIENT', 'REPLY', 'OFF'])
      s.a.sendCommand(['SUBSCRIBE', 'x'])
      s.a.sendCommand(['PING'])
      s.a.sendCommand(['GET', 'k'])
      s.a.sendCommand(['UNSUBSCRIBE', 'x'])
      s.a.sendCommand(['GET', 'k'])
      await s.on(s.a, ['CLIENT', 'REPLY', 'ON'], 3)
    })
  })

  it('keeps pipelined replies and confirmations in order', async () => {
    await same(async (s) => {
      s.a.send(
        '*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\nPING\r\n' +
          '*2\r\n$11\r\nUNSUBSCRIBE\r\n$1\r\nb\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n' +
          '*2\r\n$11\r\nUNSUBSCRIBE\r\n$1\r\na\r\nPING\r\n',
      )
      for (let i = 0; i < 7; i++) await s.read(s.a)
    })
  })

  it('answers PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB', async () => {
    await same(async (s) => {
      await s.run('PUBSUB', 'CHANNELS')
      await s.run('PUBSUB', 'NUMPAT')
      await s.on(s.a, ['SUBSCRIBE', 'alpha', 'beta'], 2)
      await s.on(s.c, ['SUBSCRIBE', 'alpha'])
      await s.on(s.c, ['PSUBSCRIBE', 'a*', 'b*'], 2)
      await s.on(s.a, ['PSUBSCRIBE', 'a*'])
      await s.on(s.c, ['SSUBSCRIBE', 'shard1'])
      await s.run('PUBSUB', 'CHANNELS', 'a*')
      await s.run('PUBSUB', 'CHANNELS', 'z*')
      await s.run('PUBSUB', 'NUMSUB', 'alpha', 'beta', 'alpha', 'none')
      await s.run('PUBSUB', 'NUMSUB')
      await s.run('PUBSUB', 'NUMPAT')
      await s.run('PUBSUB', 'SHARDCHANNELS')
      await s.run('PUBSUB', 'SHARDCHANNELS', 'x*')
      await s.run('PUBSUB', 'SHARDNUMSUB', 'shard1', 'alpha')
      // Two channels come in the server dict's order: compared as a set.
      const all = (await s.b.command('PUBSUB', 'CHANNELS')).raw
      s.log.push(all.split('\r\n').sort().join('|'))
      await s.run('PUBSUB', 'help')
    })
  })

  it('reports pubsub_channels and pubsub_patterns in INFO, sub/psub/ssub in CLIENT LIST', async () => {
    await same(async (s) => {
      const fields = async (): Promise<void> => {
        const info = (await s.b.command('INFO', 'stats')).raw
        s.log.push(
          /pubsub_channels:\d+\r\npubsub_patterns:\d+\r\npubsubshard_channels:\d+/.exec(
            info,
          )?.[0] ?? '',
        )
        const list = (await s.b.command('CLIENT', 'LIST')).raw
        s.log.push(
          [...list.matchAll(/flags=(\w+) db=\d+ (sub=\d+ psub=\d+ ssub=\d+)/g)]
            .map((m) => `${m[1] ?? ''} ${m[2] ?? ''}`)
            .join('|'),
        )
        const types = (await s.b.command('CLIENT', 'LIST', 'TYPE', 'pubsub')).raw
        s.log.push(String(types.split('\n').length))
      }
      await fields()
      await s.on(s.a, ['SUBSCRIBE', 'x', 'y'], 2)
      await s.on(s.a, ['PSUBSCRIBE', 'x*', '*', '?'], 3)
      await s.on(s.c, ['SSUBSCRIBE', 's'])
      await s.on(s.c, ['PSUBSCRIBE', '*'])
      await fields()
      await s.on(s.a, ['UNSUBSCRIBE', 'x'])
      await s.on(s.c, ['PUNSUBSCRIBE'])
      await fields()
    })
  })

  it('answers arity and subcommand errors', async () => {
    await same(async (s) => {
      for (const argv of [
        ['SUBSCRIBE'],
        ['PSUBSCRIBE'],
        ['SSUBSCRIBE'],
        ['PUBLISH', 'x'],
        ['PUBLISH', 'x', 'y', 'z'],
        ['SPUBLISH', 'x'],
        ['PUBSUB'],
        ['PUBSUB', 'NUMPAT', 'x'],
        ['PUBSUB', 'CHANNELS', 'a', 'b'],
        ['PUBSUB', 'shardchannels', 'a', 'b'],
        ['PUBSUB', 'FOO'],
      ])
        await s.run(...argv)
    })
  })
})
