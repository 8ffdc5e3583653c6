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
