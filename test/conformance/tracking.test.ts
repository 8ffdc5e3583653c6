/**
 * Client-side caching against redis-server 7.0.15 (tracking.c, CLIENT TRACKING): RESP3
 * invalidation pushes and where they fall against replies, RESP2 redirection to a client
 * subscribed to __redis__:invalidate, BCAST with prefixes, OPTIN / OPTOUT with CLIENT
 * CACHING, NOLOOP, every argument error, CLIENT TRACKINGINFO in both protocols, FLUSHALL /
 * FLUSHDB, invalidation by expiry, INFO's tracking fields and CLIENT LIST's flags. Each
 * transcript (the raw bytes of every reply read, in order) must be the same on both servers.
 *
 * Client ids differ between the servers, so replies that show one (CLIENT ID, GETREDIR with a
 * redirection, tracking-redir-broken) are checked apart with the id replaced. Every scenario
 * uses its own keys: the tracking table outlives the connections that filled it.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { same as sameOnBoth, trio, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true }, true)

const same = (body: (s: Trio) => Promise<void>): Promise<string[]> => sameOnBoth(servers, body)

/** HELLO 3 on a connection; its reply (which holds the client id) is not logged. */
async function hello3(who: RawClient): Promise<void> {
  const r = await who.command('HELLO', '3')
  expect(r.reply.type).toBe('map')
}

/** The connection's id, not logged. */
async function clientId(who: RawClient): Promise<string> {
  return String((await who.command('CLIENT', 'ID')).reply.value)
}

/** Makes `who` a RESP2 client subscribed to __redis__:invalidate; returns its id. */
async function redirectTarget(s: Trio, who: RawClient): Promise<string> {
  const id = await clientId(who)
  await s.on(who, ['SUBSCRIBE', '__redis__:invalidate'])
  return id
}

/** Runs a scenario on both servers with `id` in replies replaced by <id>; returns real's. */
async function sameIds(body: (s: Trio, ids: string[]) => Promise<void>): Promise<string[]> {
  const run = async (connect: () => Promise<RawClient>): Promise<string[]> => {
    const ids: string[] = []
    const log = await trio(connect, (s) => body(s, ids))
    return log.map((line) => ids.reduce((l, id) => l.split(`:${id}\r\n`).join(':<id>\r\n'), line))
  }
  const want = await run(() => servers.connectReal())
  expect(await run(() => servers.connectOurs())).toEqual(want)
  return want
}

/** CLIENT INFO's redir= field, with the redirect client's id `id` shown as <id>. */
function redirField(info: string, id: string): string {
  const v = /redir=(\S+)/.exec(info)?.[1] ?? '?'
  return `redir=${v === id ? '<id>' : v}`
}

describe('client-side caching against redis-server', () => {
  it('pushes invalidations to a RESP3 client, after the reply of its own write', async () => {
    const log = await same(async (s) => {
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      await s.on(s.a, ['GET', 'r3:k'])
      await s.run('SET', 'r3:k', '1')
      await s.read(s.a)
      await s.on(s.a, ['GET', 'r3:k'])
      // Not remembered again until read again: one message for two writes.
      await s.run('SET', 'r3:k', '2')
      await s.run('SET', 'r3:k', '3')
      await s.read(s.a)
      await s.on(s.a, ['MGET', 'r3:k', 'r3:x', 'r3:y'])
      await s.on(s.a, ['SET', 'r3:k', '4'], 2)
      await s.on(s.a, ['HSET', 'r3:h', 'f', '1'])
      await s.on(s.a, ['HGET', 'r3:h', 'f'])
      await s.on(s.a, ['HDEL', 'r3:h', 'f'], 2)
      await s.on(s.a, ['DEL', 'r3:x', 'r3:y'])
      await s.run('MSET', 'r3:x', '1', 'r3:y', '2')
      await s.read(s.a)
      await s.read(s.a)
      await s.on(s.a, ['PING'])
    })
    expect(log).toContain('>2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nr3:k\r\n')
  })

  it('writes the invalidations of a transaction after EXEC, and keeps them for MULTI reads', async () => {
    await same(async (s) => {
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      await s.on(s.a, ['MSET', 'tx:a', '1', 'tx:b', '2'])
      await s.on(s.a, ['GET', 'tx:a'])
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['INCR', 'tx:a'])
      await s.on(s.a, ['GET', 'tx:b'])
      await s.on(s.a, ['EXEC'], 2)
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['FLUSHDB'])
      await s.on(s.a, ['EXEC'], 2)
      await s.on(s.a, ['PING'])
    })
  })

  it('writes a redirected invalidation inside the reply the RESP3 target is writing', async () => {
    // trackingInvalidateKey sends at once to a target that is not the running client: the
    // redirect target's own ZPOPMIN gets the message after the array's header (one read
    // parses the header, the push and the first pair; the next read the second pair).
    const log = await sameIds(async (s, ids) => {
      await hello3(s.c)
      const c = await clientId(s.c)
      ids.push(c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.run('ZADD', 'in:z', '1', 'a', '2', 'b', '3', 'c')
      await s.on(s.a, ['ZRANGE', 'in:z', '0', '-1'])
      await s.on(s.c, ['ZPOPMIN', 'in:z', '2'], 2)
      await s.on(s.a, ['ZRANGE', 'in:z', '0', '-1'])
      await s.on(s.c, ['BZMPOP', '0', '1', 'in:z', 'MAX'])
      await s.run('SADD', 'in:s', '1', '2')
      await s.on(s.a, ['SMEMBERS', 'in:s'])
      // SINTERSTORE replies, then invalidates its destination.
      await s.on(s.c, ['SINTERSTORE', 'in:s', 'in:s', 'in:s'], 2)
    })
    expect(log).toContain(
      '*2\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nin:z\r\n*2\r\n$1\r\na\r\n,1\r\n',
    )
  })

  it('redirects to a RESP2 subscriber of __redis__:invalidate, and to a RESP3 client', async () => {
    await sameIds(async (s, ids) => {
      const c = await redirectTarget(s, s.c)
      ids.push(c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.on(s.a, ['CLIENT', 'GETREDIR'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['GET', 'rd:a'])
      await s.run('SET', 'rd:b', '1')
      await s.on(s.a, ['GET', 'rd:b'])
      await s.run('INCR', 'rd:b')
      await s.read(s.c)
      // The tracking client's own write: the message still goes to the redirect client.
      await s.on(s.a, ['SET', 'rd:a', 'x'])
      await s.read(s.c)
      await s.on(s.a, ['GET', 'rd:a'])
      await s.run('FLUSHALL')
      await s.read(s.c)
      // RESP3 tracking client, RESP2 redirect: the flush null is the tracking client's `_`.
      await hello3(s.a)
      await s.on(s.a, ['GET', 'rd:a'])
      await s.run('FLUSHDB')
      await s.read(s.c)
      // A RESP3 redirect target gets pushes, subscribed or not.
      await s.on(s.c, ['UNSUBSCRIBE'])
      await hello3(s.c)
      await s.on(s.a, ['GET', 'rd:c'])
      await s.run('SET', 'rd:c', '1')
      await s.read(s.c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await s.on(s.a, ['CLIENT', 'GETREDIR'])
    })
  })

  it("gives a RESP3 redirect client a RESP2 tracking client's flush null, $-1", async () => {
    // shared.null[c->resp] of the tracking client, as raw protocol: the same bytes whether
    // the target is the client running the flush (its push comes before the reply) or not.
    await same(async (s) => {
      await hello3(s.c)
      const c = await clientId(s.c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.on(s.a, ['GET', 'fn:a'])
      await s.on(s.c, ['FLUSHALL'], 2)
      await s.on(s.a, ['GET', 'fn:a'])
      await s.run('FLUSHDB')
      await s.read(s.c)
      await s.on(s.c, ['FLUSHDB', 'ASYNC'], 2)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
    })
  })

  it('sends nothing to a RESP2 client without redirection, nor to an unsubscribed target', async () => {
    await sameIds(async (s, ids) => {
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      await s.on(s.a, ['GET', 'n2:k'])
      await s.on(s.a, ['SET', 'n2:k', '1'])
      await s.run('SET', 'n2:k', '2')
      await s.on(s.a, ['PING'])
      const c = await clientId(s.c)
      ids.push(c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.on(s.a, ['GET', 'n2:k'])
      await s.run('SET', 'n2:k', '3')
      await s.on(s.c, ['PING'])
    })
  })

  it('tells a RESP3 client its redirect client is gone', async () => {
    await sameIds(async (s, ids) => {
      await hello3(s.a)
      const c = await redirectTarget(s, s.c)
      ids.push(c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.on(s.a, ['GET', 'rb:k'])
      await s.on(s.c, ['QUIT'])
      for (let i = 0; i < 200; i++) {
        const list = (await s.b.command('CLIENT', 'LIST')).raw
        if (!list.includes(`id=${c} `)) break
        await new Promise((r) => setTimeout(r, 5))
      }
      await s.run('SET', 'rb:k', '1')
      await s.read(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      const info = (await s.a.command('CLIENT', 'INFO')).raw
      s.log.push(/flags=\S+/.exec(info)?.[0] ?? '', redirField(info, c))
    })
  })

  it('broadcasts modified keys by prefix in BCAST mode, with NOLOOP', async () => {
    await sameIds(async (s, ids) => {
      const c = await redirectTarget(s, s.c)
      ids.push(c)
      await s.on(s.a, [
        'CLIENT',
        'TRACKING',
        'on',
        'BCAST',
        'REDIRECT',
        c,
        'PREFIX',
        'bc:a',
        'PREFIX',
        'bc:b',
      ])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.run('MSET', 'bc:a1', '1', 'bc:b1', '2', 'bc:c1', '3', 'bc:a2', '4')
      await s.read(s.c)
      await s.read(s.c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', c, 'PREFIX', 'bc:c'])
      await s.on(s.a, ['INCR', 'bc:c1'])
      await s.read(s.c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', c, 'NOLOOP'])
      await s.on(s.a, ['SET', 'bc:loop', '1'])
      await s.run('SET', 'bc:other', '1')
      await s.read(s.c)
      // Pipelined writes are broadcast together, when the server next goes to sleep.
      s.b.send(
        '*3\r\n$3\r\nSET\r\n$4\r\nbc:2\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$4\r\nbc:1\r\n$1\r\n1\r\n',
      )
      await s.read(s.b)
      await s.read(s.b)
      await s.read(s.c)
      // RESP3 BCAST without redirection: the push follows the write's reply.
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await hello3(s.b)
      await s.on(s.b, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'bc:z'])
      await s.on(s.b, ['SET', 'bc:z1', '1'], 2)
      await s.on(s.a, ['DEL', 'bc:z1'])
      await s.read(s.b)
      await s.on(s.b, ['CLIENT', 'TRACKINGINFO'])
    })
  })

  it('remembers keys only as OPTIN and OPTOUT with CLIENT CACHING say', async () => {
    await same(async (s) => {
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'OPTIN'])
      await s.on(s.a, ['GET', 'oi:1'])
      await s.on(s.a, ['CLIENT', 'CACHING', 'yes'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['GET', 'oi:2'])
      await s.on(s.a, ['GET', 'oi:3'])
      // CACHING survives another CLIENT subcommand, and a whole transaction.
      await s.on(s.a, ['CLIENT', 'CACHING', 'yes'])
      await s.on(s.a, ['CLIENT', 'GETNAME'])
      await s.on(s.a, ['GET', 'oi:4'])
      await s.on(s.a, ['CLIENT', 'CACHING', 'yes'])
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['GET', 'oi:5'])
      await s.on(s.a, ['GET', 'oi:6'])
      await s.on(s.a, ['EXEC'])
      await s.run(
        'MSET',
        'oi:1',
        'a',
        'oi:2',
        'a',
        'oi:3',
        'a',
        'oi:4',
        'a',
        'oi:5',
        'a',
        'oi:6',
        'a',
      )
      for (let i = 0; i < 4; i++) await s.read(s.a)
      await s.on(s.a, ['PING'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'OPTOUT'])
      await s.on(s.a, ['GET', 'oo:1'])
      await s.on(s.a, ['CLIENT', 'CACHING', 'no'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['GET', 'oo:2'])
      await s.on(s.a, ['GET', 'oo:3'])
      await s.run('MSET', 'oo:1', 'a', 'oo:2', 'a', 'oo:3', 'a')
      await s.read(s.a)
      await s.read(s.a)
      await s.on(s.a, ['PING'])
    })
  })

  it('answers every argument error as Redis does', async () => {
    await sameIds(async (s, ids) => {
      const c = await clientId(s.c)
      ids.push(c)
      const t = (...args: string[]): Promise<void> => s.on(s.a, ['CLIENT', 'TRACKING', ...args])
      await t('maybe')
      await t('on', 'foo')
      await t('on', 'REDIRECT')
      await t('on', 'PREFIX')
      await t('on', 'REDIRECT', 'x')
      await t('on', 'REDIRECT', '0')
      await t('on', 'REDIRECT', '999999')
      await t('on', 'REDIRECT', c, 'REDIRECT', c)
      await t('on', 'PREFIX', 'p')
      await t('on', 'BCAST', 'OPTIN')
      await t('on', 'BCAST', 'OPTOUT')
      await t('on', 'OPTIN', 'OPTOUT')
      await t('on', 'BCAST', 'PREFIX', 'FOOBAR', 'PREFIX', 'FOO')
      await t('on', 'BCAST', 'PREFIX', 'FOO', 'PREFIX', 'FOOBAR')
      await t('on', 'BCAST', 'PREFIX', 'FOO', 'PREFIX', 'BAR')
      await t('on', 'BCAST', 'PREFIX', 'FO')
      await t('on', 'BCAST', 'PREFIX', 'BARB')
      await t('on', 'BCAST', 'PREFIX', 'FOO')
      // 7.0.15: an overlap among new prefixes found past the first one answers the error,
      // then enables tracking anyway and answers +OK too.
      await s.on(
        s.a,
        ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'q1', 'PREFIX', 'q2', 'PREFIX', 'q2x'],
        2,
      )
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await t('on')
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await t('off', 'REDIRECT', 'x')
      await t('off', 'whatever')
      await t('off')
      await t('on', 'OPTIN')
      await t('on', 'OPTOUT')
      await t('on', 'BCAST')
      await s.on(s.a, ['CLIENT', 'CACHING', 'no'])
      await s.on(s.a, ['CLIENT', 'CACHING', 'maybe'])
      await t('off')
      await t('on', 'OPTOUT')
      await s.on(s.a, ['CLIENT', 'CACHING', 'yes'])
      await t('off')
      await s.on(s.a, ['CLIENT', 'CACHING', 'yes'])
      await s.on(s.a, ['CLIENT', 'CACHING'])
      await s.on(s.a, ['CLIENT', 'GETREDIR', 'x'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO', 'x'])
      await s.on(s.a, ['CLIENT', 'TRACKING'])
      await s.on(s.a, ['CLIENT', 'GETREDIR'])
    })
  })

  it('shows TRACKINGINFO in RESP2 and RESP3, and prefixes in byte order', async () => {
    await same(async (s) => {
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, [
        'CLIENT',
        'TRACKING',
        'on',
        'BCAST',
        'PREFIX',
        'zz',
        'PREFIX',
        'aa',
        'NOLOOP',
      ])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'BCAST'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'off'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'OPTOUT', 'NOLOOP'])
      await s.on(s.a, ['CLIENT', 'CACHING', 'no'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
      await s.on(s.a, ['RESET'])
      await s.on(s.a, ['CLIENT', 'TRACKINGINFO'])
    })
  })

  it('invalidates on expiry, active and lazy', async () => {
    await same(async (s) => {
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      // TTLs long enough for the GET to come first even on a loaded machine.
      await s.run('SET', 'ex:active', 'v', 'PX', '300')
      await s.on(s.a, ['GET', 'ex:active'])
      // The active expire cycle removes it a little after 300 ms.
      await s.read(s.a)
      await s.run('DEBUG', 'SET-ACTIVE-EXPIRE', '0')
      await s.run('SET', 'ex:lazy', 'v', 'PX', '300')
      await s.on(s.a, ['GET', 'ex:lazy'])
      await new Promise((r) => setTimeout(r, 400))
      await s.run('EXISTS', 'ex:lazy')
      await s.read(s.a)
      await s.run('DEBUG', 'SET-ACTIVE-EXPIRE', '1')
    })
  })

  it('counts tracking clients, keys, items and prefixes in INFO, and flags CLIENT LIST', async () => {
    await sameIds(async (s, ids) => {
      await s.run('FLUSHALL')
      const c = await redirectTarget(s, s.c)
      ids.push(c)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on', 'REDIRECT', c])
      await s.on(s.a, ['MGET', 'in:1', 'in:2', 'in:3'])
      await s.run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'in:', 'PREFIX', 'x')
      await s.run('GET', 'in:9')
      const info = (await s.b.command('INFO')).raw
      for (const f of [
        'tracking_clients',
        'tracking_total_keys',
        'tracking_total_items',
        'tracking_total_prefixes',
      ])
        s.log.push(new RegExp(`${f}:\\d+`).exec(info)?.[0] ?? `${f}?`)
      for (const who of [s.a, s.b, s.c]) {
        const line = (await who.command('CLIENT', 'INFO')).raw
        s.log.push(/flags=\S+/.exec(line)?.[0] ?? '', redirField(line, c))
      }
      await s.run('SET', 'in:2', '1')
      await s.read(s.c)
      const after = (await s.b.command('INFO', 'stats')).raw
      s.log.push(/tracking_total_keys:\d+/.exec(after)?.[0] ?? '')
      s.log.push(/tracking_total_items:\d+/.exec(after)?.[0] ?? '')
    })
  })

  it('evicts from the tracking table past tracking-table-max-keys', async () => {
    const counts: string[][] = []
    for (const connect of [() => servers.connectReal(), () => servers.connectOurs()]) {
      counts.push(
        await trio(connect, async (s) => {
          await s.run('FLUSHALL')
          await hello3(s.a)
          await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
          await s.on(s.a, ['MGET', 'mk:1', 'mk:2', 'mk:3', 'mk:4', 'mk:5'])
          await s.run('CONFIG', 'SET', 'tracking-table-max-keys', '2')
          // The next command of any client (or cron) evicts three random keys.
          await s.run('PING')
          const got: string[] = []
          for (let i = 0; i < 3; i++) {
            const r = await s.a.next(3000)
            got.push(/mk:\d/.exec(r.raw)?.[0] ?? r.raw)
          }
          const info = (await s.b.command('INFO', 'stats')).raw
          s.log.push(/tracking_total_keys:\d+/.exec(info)?.[0] ?? '', String(new Set(got).size))
          await s.run('CONFIG', 'SET', 'tracking-table-max-keys', '1000000')
        }),
      )
    }
    expect(counts[1]).toEqual(counts[0])
  })

  it("remembers the keys a command's getkeys proc names: none for an unbalanced XREAD", async () => {
    // tracking.c asks getKeysFromCommand (the proc, else the legacy range), not the key
    // specs: xreadGetKeys names no key when an odd count of arguments follows STREAMS.
    const log = await same(async (s) => {
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      await s.on(s.a, ['XREAD', 'COUNT', '3', 'STREAMS', 'xr:a', 'xr:b', 'xr:c', '0', '0'])
      await s.on(s.a, ['XREAD', 'BLOCK', 'x', 'STREAMS', 'xr:e', '0'])
      await s.on(s.a, ['XREAD', 'STREAMS', 'xr:d', '0'])
      await s.run('MSET', 'xr:a', '1', 'xr:b', '1', 'xr:c', '1', 'xr:e', '1', 'xr:d', '1')
      await s.read(s.a)
      await s.read(s.a)
      await s.on(s.a, ['PING'])
    })
    expect(log).toContain('>2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nxr:d\r\n')
    expect(log.join('')).not.toContain('xr:a\r\n')
  })

  it('serves a blocked BLMOVE and invalidates its destination', async () => {
    await same(async (s) => {
      await s.run('RPUSH', 'bm:dst', 'a')
      await hello3(s.a)
      await s.on(s.a, ['CLIENT', 'TRACKING', 'on'])
      await s.on(s.a, ['LRANGE', 'bm:dst', '0', '-1'])
      await s.block(s.a, 'BLMOVE', 'bm:src', 'bm:dst', 'LEFT', 'LEFT', '0')
      await s.run('RPUSH', 'bm:src', 'foo')
      await s.read(s.a)
      await s.read(s.a)
    })
  })
})
