/**
 * Pub/Sub in RESP3 against redis-server 7.0.15: after HELLO 3, subscription confirmations and
 * messages are pushes (`>`), a subscribed client may run any command (the subscribed context
 * is RESP2 only), a message to the client running the command (PUBLISH to its own channel, a
 * keyspace notification of its own write) comes before that command's reply, a blocked RESP3
 * subscriber gets the messages published meanwhile and then its reply, and RESET goes back
 * to RESP2 (and its restrictions). Blocked XREAD / BZPOPMIN / BLPOP are served in RESP3 form. Each transcript (the raw bytes of every reply read, in
 * order) must be the same on both servers. Channels are one per command where Redis would
 * iterate a dict (see pubsub.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { bothServersPerFile } from './bothServers.ts'
import { same as sameOnBoth, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true })

const same = (body: (s: Trio) => Promise<void>): Promise<string[]> => sameOnBoth(servers, body)

/** HELLO 3 on a connection; its reply (which holds the client id) is not compared. */
async function hello3(s: Trio, who: Trio['a']): Promise<void> {
  who.sendCommand(['HELLO', '3'])
  const r = await who.next(3000)
  expect(r.reply.type).toBe('map')
}

describe('Pub/Sub and blocking in RESP3 against redis-server', () => {
  it('confirms with pushes and delivers messages as pushes', async () => {
    const log = await same(async (s) => {
      await hello3(s, s.a)
      await s.on(s.a, ['SUBSCRIBE', 'news'])
      await s.on(s.a, ['PSUBSCRIBE', 'n*'])
      await s.on(s.a, ['SSUBSCRIBE', 'sh'])
      await s.run('PUBLISH', 'news', 'hello')
      await s.read(s.a)
      await s.read(s.a)
      await s.run('SPUBLISH', 'sh', 'shard')
      await s.read(s.a)
      await s.on(s.a, ['UNSUBSCRIBE', 'news'])
      await s.on(s.a, ['PUNSUBSCRIBE'])
      await s.on(s.a, ['SUNSUBSCRIBE'])
      await s.on(s.a, ['UNSUBSCRIBE'])
    })
    expect(log[0]).toBe('>3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n')
    expect(log[5]).toBe('>4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n')
    expect(log.at(-1)).toBe('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n')
  })

  it('runs any command while subscribed, and a RESP2 subscriber still may not', async () => {
    await same(async (s) => {
      await hello3(s, s.a)
      await s.on(s.a, ['SUBSCRIBE', 'c1'])
      await s.on(s.a, ['SET', 'k', 'v'])
      await s.on(s.a, ['GET', 'k'])
      await s.on(s.a, ['HGETALL', 'nosuch'])
      await s.on(s.a, ['PING'])
      await s.on(s.a, ['PING', 'x'])
      await s.on(s.a, ['CLIENT', 'GETNAME'])
      await s.on(s.c, ['SUBSCRIBE', 'c1'])
      await s.on(s.c, ['GET', 'k'])
      await s.on(s.c, ['PING'])
      // RESET: back to RESP2, without the subscriptions.
      await s.on(s.a, ['RESET'])
      await s.on(s.a, ['SUBSCRIBE', 'c2'])
      await s.on(s.a, ['GET', 'k'])
    })
  })

  it('puts a message to the client itself before the reply of the command that sent it', async () => {
    const log = await same(async (s) => {
      await hello3(s, s.a)
      await s.on(s.a, ['SUBSCRIBE', 'self'])
      await s.on(s.a, ['PUBLISH', 'self', 'me'], 2)
      await s.on(s.a, ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'])
      await s.on(s.a, ['SUBSCRIBE', '__keyspace@0__:mykey'])
      await s.on(s.a, ['SET', 'mykey', '1'], 2)
      await s.on(s.a, ['CONFIG', 'SET', 'notify-keyspace-events', ''])
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['PUBLISH', 'self', 'in-exec'])
      await s.on(s.a, ['EXEC'])
    })
    expect(log[1]).toBe('>3\r\n$7\r\nmessage\r\n$4\r\nself\r\n$2\r\nme\r\n')
    expect(log[2]).toBe(':1\r\n')
  })

  it('serves a blocked RESP3 subscriber its messages, then its reply', async () => {
    await same(async (s) => {
      await hello3(s, s.a)
      await s.on(s.a, ['SUBSCRIBE', 'b1'])
      await s.block(s.a, 'BLPOP', 'list', '0')
      await s.run('PUBLISH', 'b1', 'while-blocked')
      await s.read(s.a)
      await s.run('RPUSH', 'list', 'x')
      await s.read(s.a)
      await s.block(s.a, 'BLPOP', 'list', '0.05')
      await s.read(s.a)
      await s.run('DEL', 'list')
    })
  })

  it('serves a blocked RESP3 subscriber its own notifications inside or after its reply', async () => {
    // serveClientBlockedOnList replies, then notifies the pop; genericZpopCommand notifies
    // after the array's header and the key (one read parses the header, key, push and
    // member; the next the score).
    const log = await same(async (s) => {
      await hello3(s, s.a)
      await s.on(s.a, ['PSUBSCRIBE', '__keyspace@0__:bs*'])
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')
      await s.block(s.a, 'BLPOP', 'bs:l', '0')
      await s.run('RPUSH', 'bs:l', 'x')
      for (let i = 0; i < 4; i++) await s.read(s.a)
      await s.block(s.a, 'BLMOVE', 'bs:l', 'bs:l2', 'LEFT', 'RIGHT', '0')
      await s.run('RPUSH', 'bs:l', 'y')
      for (let i = 0; i < 5; i++) await s.read(s.a)
      await s.block(s.a, 'BZPOPMIN', 'bs:z', '0')
      await s.run('ZADD', 'bs:z', '1', 'm')
      for (let i = 0; i < 4; i++) await s.read(s.a)
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', '')
    })
    expect(log).toContain('*2\r\n$4\r\nbs:l\r\n$1\r\nx\r\n')
  })

  it('writes the keymiss events of a command that blocks at once, and keeps it blocked', async () => {
    // XREAD's lookups of a missing stream miss twice (Em events to itself): Redis writes them
    // as they happen; the reply (a timeout's null, or the served entries) comes later. Ours
    // once sent them with the blocked placeholder as a reply, ran the next command while the
    // client was blocked and closed the connection.
    await same(async (s) => {
      await hello3(s, s.a)
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', 'Em')
      await s.on(s.a, ['SUBSCRIBE', '__keyevent@0__:keymiss'])
      await s.on(s.a, ['XREAD', 'BLOCK', '50', 'STREAMS', 'km:l', '0-1'], 3)
      await s.on(s.a, ['PING'])
      await s.block(s.a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'km:x', '$')
      await s.run('XADD', 'km:x', '1-1', 'f', 'v')
      for (let i = 0; i < 3; i++) await s.read(s.a)
      await s.on(s.a, ['PING'])
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', '')
    })
  })

  it("writes a client's own messages under CLIENT REPLY OFF and SKIP, and not the replies", async () => {
    // CLIENT_PUSHING: the pushes are written, the reply is not. Ours dropped both.
    await same(async (s) => {
      await hello3(s, s.a)
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', 'KEAm')
      await s.on(s.a, ['PSUBSCRIBE', '__keyspace@0__:ro*'])
      s.a.sendCommand(['CLIENT', 'REPLY', 'OFF'])
      s.a.sendCommand(['ZADD', 'ro:z', '1', 'a', '2', 'b'])
      s.a.sendCommand(['ZPOPMIN', 'ro:z'])
      s.a.sendCommand(['MGET', 'ro:x', 'ro:z'])
      s.a.sendCommand(['CLIENT', 'REPLY', 'SKIP'])
      s.a.sendCommand(['ZPOPMAX', 'ro:z'])
      await s.on(s.a, ['CLIENT', 'REPLY', 'ON'], 6)
      s.a.sendCommand(['CLIENT', 'REPLY', 'SKIP'])
      await s.on(s.a, ['MGET', 'ro:y', 'ro:z'])
      await s.on(s.a, ['PING'])
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', '')
    })
  })

  it('serves blocked XREAD, BZPOPMIN and BLPOP in RESP3 form (a map, a double, the null)', async () => {
    const log = await same(async (s) => {
      await hello3(s, s.a)
      await s.block(s.a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'st', '$')
      await s.run('XADD', 'st', '1-1', 'f', 'v')
      await s.read(s.a)
      await s.block(s.a, 'BZPOPMIN', 'zs', '0')
      await s.run('ZADD', 'zs', '2.5', 'm')
      await s.read(s.a)
      await s.block(s.a, 'BLPOP', 'nolist', '0.05')
      await s.read(s.a)
      await s.run('DEL', 'st')
    })
    expect(log[1]).toBe('%1\r\n$2\r\nst\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n')
    expect(log[3]).toBe('*3\r\n$2\r\nzs\r\n$1\r\nm\r\n,2.5\r\n')
    expect(log[4]).toBe('_\r\n')
  })
})
