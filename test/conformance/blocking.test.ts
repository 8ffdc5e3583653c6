/**
 * Blocking pops against redis-server 7.0.15, with several connections: BLPOP, BRPOP,
 * BLMPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX and BZMPOP block on missing keys and are
 * served by a later push (first blocked, first served, while the value lasts), time out
 * with a null array, answer at once inside MULTI, keep a blocked client's pipelined commands
 * until it is served, and can be ended by CLIENT UNBLOCK or by closing. Each scenario's
 * transcript (the raw bytes of every reply, in the order the test reads them) must be the
 * same on both servers.
 */
import { describe, expect, it } from 'vitest'
import { bothServersPerFile } from './bothServers.ts'
import type { RawClient } from '../server/rawClient.ts'
import { blockedClients, same as sameOnBoth, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true })

/** A scenario on both servers from FLUSHALL (whose reply is the transcript's first line). */
const same = (body: (s: Trio) => Promise<void>): Promise<string[]> =>
  sameOnBoth(servers, async (s) => {
    await s.run('FLUSHALL')
    await body(s)
  })

describe('blocking list pops against redis-server', () => {
  it('BLPOP blocks on a missing key and is served by the next push', async () => {
    const log = await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.run('LPUSH', 'q', 'x', 'y')
      await s.read(s.a)
      await s.run('LRANGE', 'q', '0', '-1')
    })
    expect(log[2]).toBe('*2\r\n$1\r\nq\r\n$1\r\ny\r\n')
  })

  it('serves waiters first come, first served, while the list lasts', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.block(s.c, 'BRPOP', 'q', 'other', '0')
      await s.run('RPUSH', 'q', '1', '2', '3')
      await s.read(s.a)
      await s.read(s.c)
      await s.run('LRANGE', 'q', '0', '-1')
      // One element for two waiters: the second keeps waiting, then gets the next push.
      await s.block(s.a, 'BLPOP', 'w', '0')
      await s.block(s.c, 'BLPOP', 'w', '0')
      await s.run('RPUSH', 'w', 'only')
      await s.read(s.a)
      await s.run('EXISTS', 'w')
      await s.run('RPUSH', 'w', 'next')
      await s.read(s.c)
    })
  })

  it('finds data at once, on the first non-empty key, as LPOP/RPOP would', async () => {
    await same(async (s) => {
      await s.run('RPUSH', 'k2', 'a', 'b')
      await s.run('BLPOP', 'k1', 'k2', '0')
      await s.run('BRPOP', 'k1', 'k2', '0')
      await s.run('EXISTS', 'k2')
      await s.run('SET', 'str', 'x')
      await s.run('BLPOP', 'nothing', 'str', '0')
      await s.run('BLMPOP', '0', '2', 'nothing', 'str', 'LEFT')
    })
  })

  it('times out with a null array', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0.05')
      await s.read(s.a)
      await s.block(s.a, 'BRPOPLPUSH', 'q', 'd', '0.05')
      await s.read(s.a)
      await s.block(s.a, 'BZPOPMIN', 'z', '0.05')
      await s.read(s.a)
      // Commandstats lines come in hash-table order, which differs: compare a few.
      const stats = (await s.b.command('INFO', 'commandstats')).raw
      for (const cmd of ['blpop', 'brpoplpush', 'bzpopmin'])
        s.log.push(new RegExp(`cmdstat_${cmd}:calls=\\d+`).exec(stats)?.[0] ?? '')
    })
  })

  it('answers inside MULTI at once, as on timeout', async () => {
    await same(async (s) => {
      for (const argv of [
        ['MULTI'],
        ['BLPOP', 'q', '0'],
        ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'],
        ['BLMPOP', '0', '1', 'q', 'LEFT'],
        ['BZPOPMAX', 'z', '0'],
        ['BZMPOP', '0', '1', 'z', 'MIN'],
        ['EXEC'],
      ])
        await s.run(...argv)
    })
  })

  it('keeps a blocked client pipelined commands until it is served', async () => {
    await same(async (s) => {
      const before = await blockedClients(s.b)
      s.a.send('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\nPING\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nq\r\n')
      while ((await blockedClients(s.b)) <= before) await new Promise((r) => setTimeout(r, 5))
      await s.run('RPUSH', 'q', 'v1', 'v2')
      await s.read(s.a)
      await s.read(s.a)
      await s.read(s.a)
    })
  })

  it("runs unblocked clients' pipelined commands in the order they were unblocked", async () => {
    // blocked.c processUnblockedClients walks server.unblocked_clients: c was served first
    // (q2 was pushed first), so its RPUSH r runs before a's, though a blocked first.
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q1', '0')
      s.a.sendCommand(['RPUSH', 'r', 'a'])
      await s.block(s.c, 'BLPOP', 'q2', '0')
      s.c.sendCommand(['RPUSH', 'r', 'c'])
      await s.run('MULTI')
      await s.run('RPUSH', 'q2', 'x')
      await s.run('RPUSH', 'q1', 'y')
      await s.run('EXEC')
      for (const who of [s.a, s.a, s.c, s.c]) await s.read(who)
      await s.run('LRANGE', 'r', '0', '-1')
    })
  })

  it('a resumed client that blocks again and is served by another gets that reply first', async () => {
    // a, served, runs its next BLPOP at once (empty: it blocks again); c, served after it,
    // runs RPUSH q2, which serves a: a's BLPOP reply comes before the replies of a's
    // further commands (it went to a's output buffer when it was served).
    await same(async (s) => {
      await s.block(s.a, 'BRPOP', 'q1', '0')
      s.a.sendCommand(['BLPOP', 'q2', '0'])
      s.a.sendCommand(['LLEN', 'q2'])
      await s.block(s.c, 'BLPOP', 'q1', '0')
      s.c.sendCommand(['RPUSH', 'q2', 'v1', 'v2'])
      await s.run('RPUSH', 'q1', 'x', 'y')
      for (const who of [s.a, s.a, s.a, s.c, s.c]) await s.read(who)
    })
  })

  it('serves after EXEC a transaction that pushed', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.run('MULTI')
      await s.run('LPUSH', 'q', 'a')
      await s.run('LPUSH', 'q', 'b')
      await s.run('EXEC')
      await s.read(s.a)
      await s.run('LRANGE', 'q', '0', '-1')
    })
  })

  it('BLMOVE and BRPOPLPUSH move when served, and the move serves the next waiter', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0')
      await s.run('RPUSH', 'src', 'x', 'y')
      await s.read(s.a)
      await s.run('LRANGE', 'dst', '0', '-1')
      await s.run('LRANGE', 'src', '0', '-1')
      await s.block(s.a, 'BRPOPLPUSH', 'l1', 'l2', '0')
      await s.block(s.c, 'BLPOP', 'l2', '0')
      await s.run('LPUSH', 'l1', 'v')
      await s.read(s.a)
      await s.read(s.c)
      await s.run('EXISTS', 'l1', 'l2')
    })
  })

  it('BLMOVE served onto a destination of the wrong type gets WRONGTYPE and pops nothing', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLMOVE', 's1', 'd1', 'LEFT', 'LEFT', '0')
      await s.run('SET', 'd1', 'x')
      await s.run('RPUSH', 's1', 'v')
      await s.read(s.a)
      await s.run('LRANGE', 's1', '0', '-1')
      await s.run('INFO', 'errorstats')
    })
  })

  it('BLMPOP pops up to COUNT from the first key that gets data', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLMPOP', '0', '2', 'l1', 'l2', 'RIGHT', 'COUNT', '2')
      await s.run('RPUSH', 'l2', '1', '2', '3')
      await s.read(s.a)
      await s.run('BLMPOP', '0', '1', 'l2', 'LEFT', 'COUNT', '9')
      await s.run('EXISTS', 'l2')
    })
  })

  it('a key that turns into a string first does not serve; the list that follows does', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.run('SET', 'q', 'str')
      await s.run('DEL', 'q')
      await s.run('RPUSH', 'q', 'v')
      await s.read(s.a)
    })
  })

  it('waits on a repeated key once; a closed waiter is forgotten', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', 'q', '0')
      await s.run('RPUSH', 'q', '1', '2')
      await s.read(s.a)
      await s.run('LLEN', 'q')
      await s.block(s.c, 'BLPOP', 'gone', '0')
      s.c.close()
      for (let i = 0; i < 200 && (await blockedClients(s.b)) > 0; i++)
        await new Promise((r) => setTimeout(r, 5))
      await s.run('RPUSH', 'gone', 'v')
      await s.run('LLEN', 'gone')
    })
  })

  it('SWAPDB serves a client whose key arrives with the other db', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.run('SELECT', '1')
      await s.run('RPUSH', 'q', 'from-db1')
      await s.run('SWAPDB', '0', '1')
      await s.read(s.a)
      await s.run('SELECT', '0')
      await s.run('EXISTS', 'q')
    })
  })
})

describe('blocking sorted-set pops against redis-server', () => {
  it('BZPOPMIN, BZPOPMAX and BZMPOP block and are served', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BZPOPMAX', 'z', '0')
      await s.run('ZADD', 'z', '1', 'a', '2', 'b')
      await s.read(s.a)
      await s.run('BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5')
      await s.block(s.a, 'BZMPOP', '0', '2', 'z', 'z2', 'MIN', 'COUNT', '2')
      await s.run('ZADD', 'z2', '3', 'c', '4', 'd', '5', 'e')
      await s.read(s.a)
      await s.run('BZPOPMIN', 'z3', 'z2', '0')
      await s.block(s.c, 'BZPOPMIN', 'z3', 'z2', '0')
      await s.run('ZADD', 'z3', '1.5', 'm')
      await s.read(s.c)
      await s.run('SET', 'str', 'x')
      await s.run('BZPOPMIN', 'str', '0')
    })
  })
})

/** INFO commandstats' calls, rejected_calls and failed_calls of `names` (no times). */
async function failedCalls(b: RawClient, ...names: string[]): Promise<string> {
  const info = (await b.command('INFO', 'commandstats')).raw
  return names
    .map((n) => {
      const line = info.split('\r\n').find((l) => l.startsWith(`cmdstat_${n}:`)) ?? n
      return line.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')
    })
    .join(' ')
}

/** The flags of the clients CLIENT LIST (on b) shows running `cmd`. */
async function flagsOf(b: RawClient, cmd: string): Promise<string> {
  const list = (await b.command('CLIENT', 'LIST')).raw
  return list
    .split('\n')
    .filter((l) => l.includes(` cmd=${cmd} `))
    .map((l) => /flags=\S+/.exec(l)?.[0])
    .join()
}

describe('WAIT and far deadlines against redis-server', () => {
  it('WAIT for a replica blocks (no replica ever acknowledges) until its timeout or UNBLOCK', async () => {
    await same(async (s) => {
      const id = (await s.a.command('CLIENT', 'ID')).raw.slice(1, -2)
      await s.block(s.a, 'WAIT', '1', '0')
      // Its pipelined command waits behind it.
      s.a.sendCommand(['GET', 'k'])
      await s.run('SET', 'k', 'v')
      s.log.push(await flagsOf(s.b, 'wait'))
      await s.run('CLIENT', 'UNBLOCK', id)
      await s.read(s.a)
      await s.read(s.a)
      await s.block(s.a, 'WAIT', '2', '50')
      await s.read(s.a)
      await s.on(s.a, ['WAIT', '0', '50'])
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['WAIT', '1', '0'])
      await s.on(s.a, ['EXEC'])
    })
  })

  it('a deadline past LLONG_MAX never comes: the client stays blocked', async () => {
    await same(async (s) => {
      const id = (await s.a.command('CLIENT', 'ID')).raw.slice(1, -2)
      await s.block(s.a, 'BLPOP', 'nokey', '9223372036854775')
      await new Promise((r) => setTimeout(r, 150))
      const info = (await s.b.command('INFO', 'clients')).raw
      s.log.push(/blocked_clients:\d+\r\n.*\r\nclients_in_timeout_table:\d+/.exec(info)?.[0] ?? '')
      await s.run('CLIENT', 'UNBLOCK', id)
      await s.read(s.a)
      await s.block(s.a, 'WAIT', '1', '9223372036854775807')
      await new Promise((r) => setTimeout(r, 150))
      s.log.push(String(await blockedClients(s.b)))
      await s.run('CLIENT', 'UNBLOCK', id, 'ERROR')
      await s.read(s.a)
    })
  })
})

describe('CLIENT PAUSE against redis-server', () => {
  it('WRITE holds writes, PUBLISH and a write queued in MULTI until UNPAUSE; reads go on', async () => {
    await same(async (s) => {
      await s.run('SET', 'k', 'old')
      // Long enough that a loaded machine still pauses before it expires (the active cycle
      // would delete it then, on one server and not the other).
      await s.run('SET', 'e', 'v', 'PX', '400')
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.block(s.a, 'SET', 'k', 'new')
      await s.on(s.c, ['MULTI'])
      await s.block(s.c, 'INCR', 'n')
      await s.run('GET', 'k')
      s.log.push(await flagsOf(s.b, 'set'), await flagsOf(s.b, 'incr'))
      await new Promise((r) => setTimeout(r, 450))
      // Expired for the reader, but kept while clients are paused.
      await s.run('GET', 'e')
      await s.run('DBSIZE')
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
      await s.read(s.c)
      await s.on(s.c, ['EXEC'])
      await s.run('MGET', 'k', 'n')
      // Not DBSIZE: e may or may not have met the active expire cycle since the pause ended
      // (a 10 Hz cron on both servers: a race, lost on a loaded machine).
      await s.run('EXISTS', 'k', 'n')
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.block(s.c, 'PUBLISH', 'ch', 'm')
      // Merged with the pause in force: the later end stays (a plain PAUSE 0 would make it ALL).
      await s.run('CLIENT', 'PAUSE', '0', 'WRITE')
      s.log.push(String(await blockedClients(s.b)))
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.c)
    })
  })

  it('ends by itself; CLIENT UNBLOCK ERROR answers a held client, which runs again', async () => {
    await same(async (s) => {
      await s.run('CLIENT', 'PAUSE', '300', 'WRITE')
      const id = (await s.a.command('CLIENT', 'ID')).raw.slice(1, -2)
      await s.block(s.a, 'LPUSH', 'l', 'x')
      await s.block(s.c, 'DEL', 'l')
      await s.run('CLIENT', 'UNBLOCK', id, 'ERROR')
      await s.read(s.a)
      await s.read(s.a)
      await s.read(s.c)
      await s.run('LRANGE', 'l', '0', '-1')
      s.log.push(await failedCalls(s.b, 'client|unblock', 'lpush', 'del'))
    })
  })
})

describe('CLIENT PAUSE ALL against redis-server', () => {
  it('holds every command; one run after the pause sees an empty query buffer', async () => {
    await same(async (s) => {
      await s.run('CLIENT', 'PAUSE', '200')
      s.a.sendCommand(['CLIENT', 'INFO'])
      const info = (await s.a.next(3000)).raw
      // Its read was consumed when it was held: qbuf 0 (CLIENT LIST's view of c->querybuf).
      s.log.push(/qbuf=\d+ qbuf-free=\d+/.exec(info)?.[0] ?? info)
      await s.run('PING')
    })
  })
})

describe('blocked clients seen from outside', () => {
  it('CLIENT UNBLOCK ends a wait with the timeout reply or an UNBLOCKED error', async () => {
    await same(async (s) => {
      const id = (await s.a.command('CLIENT', 'ID')).raw.slice(1, -2)
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.run('CLIENT', 'UNBLOCK', id)
      await s.read(s.a)
      await s.block(s.a, 'BZPOPMIN', 'z', '0')
      await s.run('CLIENT', 'UNBLOCK', id, 'ERROR')
      await s.read(s.a)
      await s.run('CLIENT', 'UNBLOCK', id)
      await s.run('CLIENT', 'UNBLOCK', '999999')
      await s.run('CLIENT', 'UNBLOCK', id, 'NOPE')
      await s.run('INFO', 'errorstats')
      // The UNBLOCKED error is added while CLIENT UNBLOCK runs: it fails too (server.c
      // incrCommandStatsOnError counts any error reply added during a call).
      s.log.push(await failedCalls(s.b, 'client|unblock', 'blpop', 'bzpopmin'))
    })
  })

  it('INFO counts blocked clients and those with a timeout; CLIENT LIST flags them b', async () => {
    await same(async (s) => {
      await s.block(s.a, 'BLPOP', 'q', '0')
      await s.block(s.c, 'BLPOP', 'q', '100')
      const info = (await s.b.command('INFO', 'clients')).raw
      s.log.push(/blocked_clients:\d+/.exec(info)?.[0] ?? '')
      s.log.push(/clients_in_timeout_table:\d+/.exec(info)?.[0] ?? '')
      const list = (await s.b.command('CLIENT', 'LIST')).raw
      s.log.push(
        list
          .split('\n')
          .filter((l) => l.includes('cmd=blpop'))
          .map((l) => /flags=\S+/.exec(l)?.[0])
          .join(),
      )
      await s.run('RPUSH', 'q', '1', '2')
      await s.read(s.a)
      await s.read(s.c)
      const after = (await s.b.command('INFO', 'clients')).raw
      s.log.push(/blocked_clients:\d+/.exec(after)?.[0] ?? '')
    })
  })

  it('rejects bad timeouts and arguments with Redis errors', async () => {
    await same(async (s) => {
      for (const argv of [
        ['BLPOP', 'q', 'abc'],
        ['BLPOP', 'q', '-1'],
        ['BLPOP', 'q', 'inf'],
        ['BLPOP', 'q', '1e30'],
        ['BLPOP', 'q', ' 1'],
        ['BRPOPLPUSH', 'a', 'b', 'x'],
        ['BLMOVE', 'a', 'b', 'UP', 'LEFT', '0'],
        ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x'],
        ['BLMPOP', '0', '0', 'k', 'LEFT'],
        ['BLMPOP', '0', '1', 'k', 'MIDDLE'],
        ['BLMPOP', 'x', '1', 'k', 'LEFT'],
        ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '0'],
        ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'],
        ['BZMPOP', '0', '5', 'z', 'MIN'],
        ['BZPOPMIN', 'z'],
        ['BLPOP', 'q'],
      ])
        await s.run(...argv)
    })
  })
})
