/**
 * XREAD / XREADGROUP BLOCK against redis-server 7.0.15 with three connections (a and c wait,
 * b writes): served by a later XADD (each waiter once, up to its COUNT), XREADGROUP waiters
 * served after the group's last ID and answered NOGROUP when the group is destroyed or
 * UNBLOCKED when the key goes away, timeouts, MULTI. The raw bytes of every
 * reply, in the order read, must be the same on both servers. IDs are explicit.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true })

type Who = 'a' | 'c'

interface Steps {
  /** A command on b, its reply logged. */
  run(...argv: string[]): Promise<void>
  /** Sends a command on a or c and waits until INFO shows one more blocked client. */
  wait(who: Who, ...argv: string[]): Promise<void>
  /** Logs the next reply of a or c. */
  read(who: Who): Promise<void>
}

async function transcript(
  connect: () => Promise<RawClient>,
  body: (s: Steps) => Promise<void>,
): Promise<string[]> {
  const conns = { a: await connect(), b: await connect(), c: await connect() }
  const log: string[] = []
  const blocked = async (): Promise<number> =>
    Number(/blocked_clients:(\d+)/.exec((await conns.b.command('INFO', 'clients')).raw)?.[1])
  const steps: Steps = {
    run: async (...argv) => {
      log.push((await conns.b.command(...argv)).raw)
    },
    wait: async (who, ...argv) => {
      const before = await blocked()
      conns[who].sendCommand(argv)
      for (let i = 0; i < 200 && (await blocked()) <= before; i++)
        await new Promise((r) => setTimeout(r, 5))
    },
    read: async (who) => {
      log.push((await conns[who].next(3000)).raw)
    },
  }
  try {
    await steps.run('FLUSHALL')
    await body(steps)
    return log
  } finally {
    for (const c of Object.values(conns)) c.close()
  }
}

async function same(body: (s: Steps) => Promise<void>): Promise<string[]> {
  const want = await transcript(() => servers.connectReal(), body)
  expect(await transcript(() => servers.connectOurs(), body)).toEqual(want)
  return want
}

describe('XREAD / XREADGROUP BLOCK against redis-server', () => {
  it('XREAD waits for entries after $ or after an ID, and each waiter gets up to its COUNT', async () => {
    const log = await same(async (s) => {
      await s.run('XADD', 's', '1-1', 'f', 'v')
      await s.wait('a', 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')
      await s.wait('c', 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'nokey', 's', '0', '1-1')
      await s.run('MULTI')
      await s.run('XADD', 's', '2-1', 'f', 'v2')
      await s.run('XADD', 's', '2-2', 'f', 'v3')
      await s.run('EXEC')
      await s.read('a')
      await s.read('c')
      // A missing key created by XADD serves its waiter.
      await s.wait('a', 'XREAD', 'BLOCK', '0', 'STREAMS', 'new', '0')
      await s.run('XADD', 'new', '5-5', 'x', 'y')
      await s.read('a')
    })
    expect(log[6]).toContain('2-1')
  })

  it('XREAD keeps waiting while the key holds another type, and times out with a null array', async () => {
    await same(async (s) => {
      await s.wait('a', 'XREAD', 'BLOCK', '0', 'STREAMS', 'k', '0')
      await s.run('SET', 'k', 'x')
      await s.run('DEL', 'k')
      await s.run('XADD', 'k', '1-1', 'f', 'v')
      await s.read('a')
      await s.wait('a', 'XREAD', 'BLOCK', '50', 'STREAMS', 'k', '$')
      await s.read('a')
      await s.run('MULTI')
      await s.run('XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$')
      await s.run('EXEC')
    })
  })

  it('XREADGROUP waiters are served after the group position and get the entries as pending', async () => {
    await same(async (s) => {
      await s.run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')
      await s.wait('a', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.wait('c', 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.run('XADD', 's', '1-1', 'f', 'v')
      await s.read('a')
      await s.run('XPENDING', 's', 'g')
      await s.run('XADD', 's', '1-2', 'f', 'v')
      await s.read('c')
      await s.run('XPENDING', 's', 'g')
      await s.run('XINFO', 'GROUPS', 's')
    })
  })

  it('XREADGROUP waiters get NOGROUP when the group goes and UNBLOCKED when the key goes', async () => {
    await same(async (s) => {
      await s.run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')
      await s.wait('a', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.run('XGROUP', 'DESTROY', 's', 'g')
      await s.read('a')
      await s.run('XGROUP', 'CREATE', 's', 'g', '$')
      await s.wait('a', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.wait('c', 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')
      await s.run('DEL', 's')
      await s.read('a')
      await s.run('XADD', 's', '9-9', 'f', 'v')
      await s.read('c')
      await s.run('INFO', 'errorstats')
    })
  })

  it('FLUSHALL and SWAPDB unblock XREADGROUP waiters whose stream went away', async () => {
    await same(async (s) => {
      await s.run('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')
      await s.wait('a', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.wait('c', 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')
      await s.run('SWAPDB', '0', '1')
      await s.read('a')
      await s.run('SWAPDB', '0', '1')
      await s.run('XADD', 's', '1-1', 'f', 'v')
      await s.read('c')
      await s.run('XGROUP', 'CREATE', 's', 'g2', '$')
      await s.wait('a', 'XREADGROUP', 'GROUP', 'g2', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>')
      await s.run('FLUSHALL')
      await s.read('a')
    })
  })
})
