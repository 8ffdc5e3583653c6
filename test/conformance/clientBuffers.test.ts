/**
 * CLIENT INFO / CLIENT LIST's buffer figures against redis-server 7.0.15 over TCP: qbuf is the
 * query buffer as read (inline, multibulk, several commands in one write), obl the replies
 * of the same read already waiting in c->buf, argv-mem / multi-mem / tot-mem as
 * getClientMemoryUsage counts them. Masked: what depends on the connection (id, addr, laddr,
 * fd, age, idle) and the output buffer's size (rbs, rbp: they change on clientsCron visits,
 * which fall at different moments on the two servers; the engine tests check them), which
 * tot-mem includes, so tot-mem is compared less rbs.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

// DEBUG PAUSE-CRON holds clientsCron where a test needs the buffers as the reads left them.
const servers = bothServersPerFile({ tcp: true }, true)

/** A CLIENT LIST line with the connection's own fields masked and tot-mem less rbs. */
function masked(line: string): string {
  const rbs = Number(/ rbs=(\d+)/.exec(line)?.[1] ?? NaN)
  return line
    .replace(/\b(id|addr|laddr|fd|age|idle|rbs|rbp)=\S*/g, '$1=*')
    .replace(/ tot-mem=(\d+)/, (_, n: string) => ` tot-mem-less-rbs=${String(Number(n) - rbs)}`)
    .trim()
}

/** Sends `bytes` in one write and reads `replies` replies; bulk ones are masked. */
async function sendRaw(who: RawClient, bytes: string, replies: number): Promise<string[]> {
  who.send(bytes)
  const out: string[] = []
  for (let i = 0; i < replies; i++) {
    const { reply } = await who.next()
    if (reply.type === 'bulk') out.push(masked(String(reply.value)))
    else if (reply.type === 'array')
      out.push(
        (reply.value ?? [])
          .map((r) => (r.type === 'bulk' ? masked(String(r.value)) : JSON.stringify(r)))
          .join(' | '),
      )
    else out.push(JSON.stringify(reply))
  }
  return out
}

async function onBoth(body: (a: RawClient, b: RawClient) => Promise<string[]>): Promise<string[]> {
  const run = async (connect: () => Promise<RawClient>): Promise<string[]> => {
    const a = await connect()
    const b = await connect()
    try {
      return await body(a, b)
    } finally {
      a.close()
      b.close()
    }
  }
  const want = await run(() => servers.connectReal())
  expect(await run(() => servers.connectOurs())).toEqual(want)
  return want
}

const info = (argv: readonly string[]): string =>
  `*${String(argv.length)}\r\n` + argv.map((a) => `$${String(a.length)}\r\n${a}\r\n`).join('')

describe('CLIENT INFO buffer fields against redis-server', () => {
  it('multibulk, inline and pipelined commands: qbuf, qbuf-free, argv-mem, obl', async () => {
    const log = await onBoth(async (a) => [
      ...(await sendRaw(a, info(['CLIENT', 'INFO']), 1)),
      ...(await sendRaw(a, 'client   info\r\n', 1)),
      ...(await sendRaw(a, 'ping\r\nclient info\r\nping\r\n', 3)),
      ...(await sendRaw(a, info(['PING']) + info(['client', 'info']) + info(['PING']), 3)),
      ...(await sendRaw(a, info(['ECHO', 'x'.repeat(300)]) + info(['client', 'info']), 2)),
    ])
    expect(log[0]).toContain('qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0')
  })

  it('inside EXEC, and with keys watched', async () => {
    const log = await onBoth(async (a) => [
      ...(await sendRaw(a, 'watch k1 k2\r\nclient info\r\n', 2)),
      ...(await sendRaw(a, 'multi\r\n', 1)),
      ...(await sendRaw(a, info(['SET', 'a', 'b']), 1)),
      ...(await sendRaw(a, info(['CLIENT', 'INFO']), 1)),
      ...(await sendRaw(a, info(['EXEC']), 1)),
    ])
    expect(log.at(-1)).toContain('qbuf=14 qbuf-free=20460 argv-mem=4 multi-mem=55')
  })

  it("another client's transaction and watched keys in CLIENT LIST ID", async () => {
    await onBoth(async (a, b) => {
      await sendRaw(a, 'watch k1 k2\r\nmulti\r\nset a b\r\nget a\r\nget b\r\n', 5)
      const id = String((await a.command('CLIENT', 'ID')).reply.value)
      return sendRaw(b, info(['CLIENT', 'LIST', 'ID', id]), 1)
    })
  })

  it('a blocked client keeps its command (argv-mem, tot-mem) until it is served', async () => {
    const log = await onBoth(async (a, b) => {
      const id = String((await a.command('CLIENT', 'ID')).reply.value)
      const list = (): Promise<string[]> => sendRaw(b, info(['CLIENT', 'LIST', 'ID', id]), 1)
      const settle = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 100))
      a.send(info(['BLPOP', 'somekey', 'other', '0']))
      await settle()
      const blocked = await list()
      const served = await sendRaw(b, info(['RPUSH', 'other', 'v']), 1)
      const reply = await a.next()
      const after = await list()
      a.send('blmove src dst left right 0\r\n')
      await settle()
      return [...blocked, ...served, JSON.stringify(reply.reply), ...after, ...(await list())]
    })
    expect(log[0]).toContain('flags=b')
    expect(log[0]).toContain('argv-mem=18 ')
  })

  it('a 100 KB SET sent in pieces: the query buffer grows for the argument, then clientsCron trims it', async () => {
    const log = await onBoth(async (a, b) => {
      await b.command('DEBUG', 'PAUSE-CRON', '1')
      await a.command('CLIENT', 'SETNAME', 'big')
      const id = String((await a.command('CLIENT', 'ID')).reply.value)
      const list = async (): Promise<string> =>
        (await sendRaw(b, info(['CLIENT', 'LIST', 'ID', id]), 1))[0] ?? ''
      /** CLIENT LIST ID once `until` holds of it (a's bytes may take a moment to be read). */
      const listWhen = async (until: (line: string) => boolean): Promise<string> => {
        let line = await list()
        for (let i = 0; i < 100 && !until(line); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          line = await list()
        }
        return line
      }
      const set = info(['SET', 'x', 'A'.repeat(100000)])
      const log: string[] = []
      // The bytes after the `$100000` header stay in the buffer: 11, then 19971, then 59971.
      for (const [from, to] of [
        [0, 40],
        [40, 20000],
        [20000, 60000],
      ] as const) {
        a.send(set.slice(from, to))
        log.push(await listWhen((line) => line.includes(` qbuf=${String(to - 29)} `)))
      }
      a.send(set.slice(60000))
      log.push(JSON.stringify((await a.next()).reply))
      log.push(await list())
      // Two clientsCron visits: the first resets the peak the last read left, the second trims.
      await b.command('DEBUG', 'PAUSE-CRON', '0')
      const trimmed = await listWhen((line) => line.includes(' qbuf-free=0 '))
      log.push(trimmed)
      return log
    })
    expect(
      log.map((line) => /qbuf=\d+ qbuf-free=\d+ argv-mem=\d+/.exec(line)?.[0] ?? line),
    ).toEqual([
      'qbuf=11 qbuf-free=114667 argv-mem=4',
      'qbuf=19971 qbuf-free=94707 argv-mem=4',
      'qbuf=59971 qbuf-free=54707 argv-mem=4',
      '{"type":"simple","value":"OK"}',
      'qbuf=0 qbuf-free=114678 argv-mem=0',
      'qbuf=0 qbuf-free=0 argv-mem=0',
    ])
  })

  it("INFO mem_clients_normal: each client's memory as clientsCron last measured it", async () => {
    const log = await onBoth(async (a, b) => {
      await a.command('PING')
      await b.command('CLIENT', 'SETNAME', 'other')
      // clientsCron visits every client at hz 10: more than enough visits to settle rbs.
      await new Promise((resolve) => setTimeout(resolve, 1200))
      const r = (await a.command('INFO', 'memory')).reply
      const stats = (await b.command('MEMORY', 'STATS')).reply
      const flat = (stats.type === 'array' ? (stats.value ?? []) : []).map((x) => String(x.value))
      return [
        /mem_clients_normal:\d+/.exec(String(r.value))?.[0] ?? 'none',
        `clients.normal=${flat[flat.indexOf('clients.normal') + 1] ?? 'none'}`,
      ]
    })
    // Two clients of about 11 KB each once their reply buffers shrank to 1 KiB.
    expect(Number(log[0]?.split(':')[1])).toBeGreaterThan(20000)
  })

  it('INFO client_recent_max_input_buffer: the biggest query buffer clientsCron saw lately', async () => {
    const recent = async (who: RawClient): Promise<string> =>
      (/client_recent_max_input_buffer:\d+/.exec(
        String((await who.command('INFO', 'clients')).reply.value),
      ) ?? ['none'])[0]
    // Only the reading after this test's own big read is compared: the servers are shared,
    // so what earlier tests read may or may not still be in the last 8 seconds.
    const log = await onBoth(async (a) => {
      await a.command('SET', 'x', 'A'.repeat(100000))
      // Until a clientsCron visit (hz 10) has seen the 100 KB query buffer.
      let line = await recent(a)
      for (let i = 0; i < 100 && line !== 'client_recent_max_input_buffer:114688'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 30))
        line = await recent(a)
      }
      return [line]
    })
    expect(log).toEqual(['client_recent_max_input_buffer:114688'])
  })
})
