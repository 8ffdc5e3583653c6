/**
 * CLIENT PAUSE against redis-server 7.0.15, with several connections: WRITE postpones writes
 * and may-replicate commands (PUBLISH, PFCOUNT, an EXEC that writes) but not reads, ALL
 * postpones everything until its timeout, a postponed client's pipelined commands wait
 * behind it, errors found before the pause answer at once, and expired keys are kept (yet
 * read as missing) until the pause ends. Each scenario's transcript (the raw bytes of every
 * reply, in the order the test reads them) must be the same on both servers.
 */
import { describe, expect, it } from 'vitest'
import { bothServersPerFile } from './bothServers.ts'
import { blockedClients, same as sameOnBoth, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true })

/** A scenario on both servers from FLUSHALL, ending with CLIENT UNPAUSE on b. */
const same = (body: (s: Trio) => Promise<void>): Promise<string[]> =>
  sameOnBoth(servers, async (s) => {
    await s.run('FLUSHALL')
    await s.run('CONFIG', 'RESETSTAT')
    try {
      await body(s)
    } finally {
      await s.b.command('CLIENT', 'UNPAUSE')
    }
  })

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('CLIENT PAUSE against redis-server', () => {
  it('WRITE postpones writes and may-replicate commands until CLIENT UNPAUSE', async () => {
    const log = await same(async (s) => {
      await s.run('PFADD', 'hll', 'x')
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.on(s.a, ['GET', 'k'])
      await s.block(s.a, 'SET', 'k', 'v')
      await s.block(s.c, 'PFCOUNT', 'hll')
      s.log.push(String(await blockedClients(s.b)))
      await s.run('GET', 'k')
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
      await s.read(s.c)
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.block(s.a, 'PUBLISH', 'ch', 'm')
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
      await s.run('GET', 'k')
      s.log.push(String(await blockedClients(s.b)))
    })
    expect(log).toContain('2')
  })

  it('keeps a postponed client pipelined commands behind it, in order', async () => {
    await same(async (s) => {
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      const before = await blockedClients(s.b)
      s.a.send(
        '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n',
      )
      for (let i = 0; i < 200 && (await blockedClients(s.b)) <= before; i++) await sleep(5)
      await s.block(s.c, 'RPUSH', 'l', 'c')
      await s.run('CLIENT', 'UNPAUSE')
      for (let i = 0; i < 3; i++) await s.read(s.a)
      await s.read(s.c)
    })
  })

  it('ALL postpones every command until its timeout; errors answer at once', async () => {
    await same(async (s) => {
      await s.run('CLIENT', 'PAUSE', '200', 'ALL')
      await s.on(s.a, ['SET', 'k'])
      await s.on(s.a, ['CLIENT', 'PAUSE', '-1'])
      s.a.sendCommand(['GET', 'k'])
      s.c.sendCommand(['CLIENT', 'UNPAUSE'])
      await s.read(s.a)
      await s.read(s.c)
    })
  })

  it('a QUIT the pause held closes the connection when it runs, before what follows', async () => {
    await same(async (s) => {
      await s.run('CLIENT', 'PAUSE', '200', 'ALL')
      s.a.send('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n')
      s.log.push(await s.a.closed(3000))
    })
  })

  it('postpones an EXEC whose queue writes, not one that reads', async () => {
    await same(async (s) => {
      await s.on(s.a, ['MULTI'])
      await s.on(s.a, ['SET', 'x', '1'])
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.block(s.a, 'EXEC')
      await s.on(s.c, ['MULTI'])
      await s.on(s.c, ['GET', 'x'])
      await s.on(s.c, ['PING'])
      await s.on(s.c, ['EXEC'])
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
      // A pause given inside a transaction starts after it.
      await s.on(s.c, ['MULTI'])
      await s.on(s.c, ['SET', 'y', '1'])
      await s.on(s.c, ['CLIENT', 'PAUSE', '100000', 'WRITE'])
      await s.on(s.c, ['SET', 'z', '1'])
      await s.on(s.c, ['EXEC'])
      await s.block(s.a, 'SET', 'w', '1')
      await s.run('MGET', 'y', 'z', 'w')
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
    })
  })

  it('CLIENT UNBLOCK ERROR answers a postponed client, which is postponed again', async () => {
    await same(async (s) => {
      const id = (await s.a.command('CLIENT', 'ID')).raw.slice(1, -2)
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await s.block(s.a, 'SET', 'k', 'v')
      await s.run('CLIENT', 'UNBLOCK', id, 'ERROR')
      await s.read(s.a)
      s.log.push(String(await blockedClients(s.b)))
      const stats = (await s.b.command('INFO', 'commandstats')).raw
      // usec is the previous command's duration (c->duration): timing, not compared.
      const set = /cmdstat_set:(calls=\d+),.*(failed_calls=\d+)/.exec(stats)
      s.log.push(`${set?.[1] ?? ''} ${set?.[2] ?? ''}`)
      await s.run('EXISTS', 'k')
      await s.run('CLIENT', 'UNPAUSE')
      await s.read(s.a)
      await s.run('GET', 'k')
    })
  })

  it('keeps expired keys while paused, reading them as missing', async () => {
    await same(async (s) => {
      await s.run('SET', 'k', 'v', 'PX', '10')
      await s.run('CLIENT', 'PAUSE', '100000', 'WRITE')
      await sleep(150)
      await s.run('GET', 'k')
      await s.run('DBSIZE')
      const expired = async (): Promise<void> => {
        const info = (await s.b.command('INFO', 'stats')).raw
        s.log.push(/expired_keys:\d+/.exec(info)?.[0] ?? '')
      }
      await expired()
      await s.run('CLIENT', 'UNPAUSE')
      await s.run('GET', 'k')
      await s.run('DBSIZE')
      await expired()
    })
  })
})
