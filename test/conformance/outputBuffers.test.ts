/**
 * Replies a client does not read, against redis-server 7.0.15 over TCP: they pile up in its
 * reply list (CLIENT LIST oll / omem in whole blocks, events=rw), count in used_memory, and a
 * pub/sub client over client-output-buffer-limit (pubsub 32mb 8mb 60 by default) is closed. A
 * normal client over its limit (as obuf-limits.tcl sets it) is closed before any of the
 * replies is sent, and stops running its pipeline there.
 * The kernel's socket buffers take a share the two servers need not agree on, so the test
 * compares behaviour and sizes within a tolerance, not exact byte counts.
 */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile, type BothServers } from './bothServers.ts'

const servers: BothServers = bothServersPerFile({ tcp: true })

/** sizeof(listNode) + sizeof(clientReplyBlock): omem's share of each block past its size. */
const BLOCK_OVERHEAD = 40

/** A connection that sends `bytes`, waits for `firstReply` bytes back, then stops reading. */
async function nonReader(port: number, bytes: string, firstReply: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {})
  let got = 0
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      got += d.length
      if (got >= firstReply) {
        socket.off('data', onData)
        socket.pause()
        resolve()
      }
    }
    socket.on('data', onData)
    socket.write(bytes, 'latin1')
  })
  return socket
}

interface ListFields {
  readonly oll: number
  readonly omem: number
  readonly events: string
}

/** The CLIENT LIST fields of the one client whose line matches `which`, or null if gone. */
async function clientFields(c: RawClient, which: RegExp): Promise<ListFields | null> {
  const list = String((await c.command('CLIENT', 'LIST')).reply.value)
  const line = list.split('\n').find((l) => which.test(l))
  if (line === undefined) return null
  const num = (name: string): number => Number(new RegExp(` ${name}=(\\d+)`).exec(line)?.[1])
  return { oll: num('oll'), omem: num('omem'), events: /events=(\S+)/.exec(line)?.[1] ?? '' }
}

async function usedMemory(c: RawClient): Promise<number> {
  const info = String((await c.command('INFO', 'memory')).reply.value)
  return Number(/used_memory:(\d+)/.exec(info)?.[1])
}

/** Each block holds at least PROTO_REPLY_CHUNK_BYTES, in a jemalloc size class less 16. */
function wholeBlocks(f: ListFields): boolean {
  return f.oll === 0 ? f.omem === 0 : f.omem - BLOCK_OVERHEAD * f.oll >= 16384 * f.oll
}

const MESSAGE = 'x'.repeat(100_000)

interface PubsubRun {
  /** The messages published before the subscriber was closed. */
  readonly closedAfter: number
  /** omem / oll at the last CLIENT LIST that showed the subscriber with blocks. */
  readonly perBlock: number
  readonly lastOmem: number
  readonly allWhole: boolean
  readonly sawWrite: boolean
}

async function pubsubRun(port: number, connect: () => Promise<RawClient>): Promise<PubsubRun> {
  const sub = await nonReader(
    port,
    'SUBSCRIBE ch\r\n',
    '*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n'.length,
  )
  let closed = false
  sub.on('close', () => {
    closed = true
  })
  const pub = await connect()
  try {
    let perBlock = 0
    let lastOmem = 0
    let allWhole = true
    let sawWrite = false
    for (let i = 1; i <= 600; i++) {
      await pub.command('PUBLISH', 'ch', MESSAGE)
      const f = await clientFields(pub, /flags=P/)
      if (f === null) {
        // Closed by the server: gone from CLIENT LIST, and its socket sees the close once
        // it reads again.
        sub.resume()
        await new Promise<void>((resolve) => {
          if (closed) resolve()
          else sub.once('close', () => resolve())
        })
        return { closedAfter: i, perBlock, lastOmem, allWhole, sawWrite }
      }
      if (!wholeBlocks(f)) allWhole = false
      if (f.oll > 0) {
        perBlock = f.omem / f.oll
        lastOmem = f.omem
        sawWrite ||= f.events === 'rw'
      }
    }
    return { closedAfter: -1, perBlock, lastOmem, allWhole, sawWrite }
  } finally {
    pub.close()
    sub.destroy()
  }
}

describe('output buffers of clients that do not read, against redis-server', () => {
  it('a pub/sub client over client-output-buffer-limit pubsub 32mb is closed', async () => {
    const real = await pubsubRun(servers.realPort(), () => servers.connectReal())
    const ours = await pubsubRun(servers.oursPort(), () => servers.connectOurs())
    for (const run of [real, ours]) {
      expect(run.closedAfter).toBeGreaterThan(300)
      expect(run.allWhole).toBe(true)
      expect(run.sawWrite).toBe(true)
      // Closed as the buffer passed the hard limit, not before.
      expect(run.lastOmem).toBeGreaterThan(30 * 1024 * 1024)
      expect(run.lastOmem).toBeLessThan(32 * 1024 * 1024)
    }
    // The kernel buffers differ: within 10% of the same message.
    expect(Math.abs(ours.closedAfter - real.closedAfter)).toBeLessThan(real.closedAfter / 10)
    // A 100 KB message fills one block of its own size class (less what the tail took).
    expect(Math.abs(ours.perBlock - real.perBlock)).toBeLessThan(real.perBlock / 100)
  })

  it("a normal client's unread replies count in used_memory, and it is not closed", async () => {
    const run = async (port: number, connect: () => Promise<RawClient>) => {
      const c = await connect()
      try {
        await c.command('SET', 'big', MESSAGE)
        await c.command('CLIENT', 'SETNAME', 'reader')
        const before = await usedMemory(c)
        const getBig = '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'
        const r = await nonReader(port, 'CLIENT SETNAME lazy\r\n', '+OK\r\n'.length)
        r.write(getBig.repeat(200), 'latin1')
        // Until the server has run all 200 GETs (its last command is GET, with nothing
        // left to read) and the reply list no longer moves.
        let prev: ListFields | null = null
        for (;;) {
          const f = await clientFields(c, /name=lazy .*qbuf=0 .*cmd=get/)
          if (f !== null && prev !== null && f.omem === prev.omem && f.oll > 0) break
          prev = f
          await new Promise((res) => setTimeout(res, 50))
        }
        const grown = (await usedMemory(c)) - before
        r.destroy()
        await c.command('DEL', 'big')
        return { fields: prev, grown }
      } finally {
        c.close()
      }
    }
    const real = await run(servers.realPort(), () => servers.connectReal())
    const ours = await run(servers.oursPort(), () => servers.connectOurs())
    for (const { fields, grown } of [real, ours]) {
      expect(fields).not.toBeNull()
      if (fields === null) continue
      expect(wholeBlocks(fields)).toBe(true)
      expect(fields.events).toBe('rw')
      // 200 replies of 100 KB, less what the kernel took: over 10 MB wait in blocks.
      expect(fields.omem).toBeGreaterThan(10_000_000)
      // used_memory grew by the blocks (each a jemalloc allocation and its list node).
      expect(Math.abs(grown - fields.omem)).toBeLessThan(fields.omem / 20)
    }
    const realOmem = real.fields?.omem ?? 0
    // One block per 100 KB reply, less those the kernel took.
    const realOll = real.fields?.oll ?? 0
    expect(Math.abs((ours.fields?.oll ?? 0) - realOll)).toBeLessThan(realOll / 5)
    expect(Math.abs((ours.fields?.omem ?? 0) - realOmem)).toBeLessThan(realOmem / 5)
  })
})

/**
 * Runs `body` with client-output-buffer-limit normal 100000 0 0 on both servers (a client `c`
 * and the one to be closed, `rd`), and expects the same log from both; `keys` are deleted.
 */
async function onBothWithLimit(
  keys: string[],
  body: (c: RawClient, rd: RawClient) => Promise<string[]>,
): Promise<void> {
  const run = async (connect: () => Promise<RawClient>): Promise<string[]> => {
    const c = await connect()
    const rd = await connect()
    try {
      await c.command('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0')
      return await body(c, rd)
    } finally {
      await c.command('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0')
      await c.command('DEL', ...keys)
      c.close()
      rd.close()
    }
  }
  const real = await run(() => servers.connectReal())
  // Nothing of the replies reached the closed client.
  expect(real[0]).toBe('""')
  expect(await run(() => servers.connectOurs())).toEqual(real)
}

describe('client-output-buffer-limit normal, against redis-server', () => {
  it('a single reply past the hard limit closes the client before any of it is sent', async () => {
    await onBothWithLimit(['mylist'], async (c, rd) => {
      for (let i = 0; i < 150; i++) await c.command('RPUSH', 'mylist', 'x'.repeat(1000))
      await rd.command('CLIENT', 'SETNAME', 'mybiglist')
      rd.sendCommand(['LRANGE', 'mylist', '0', '-1'])
      const rest = await rd.closed()
      const list = String((await c.command('CLIENT', 'LIST')).reply.value)
      // A reply under the limit still comes whole.
      const small = await c.command('LRANGE', 'mylist', '0', '9')
      return [
        JSON.stringify(rest),
        String(list.includes('name=mybiglist')),
        small.raw.length.toString(),
      ]
    })
  })

  it('in a pipeline, the client is closed as its replies pass the limit and runs nothing more', async () => {
    await onBothWithLimit(['bigkey', 'counter'], async (c, rd) => {
      await c.command('SET', 'bigkey', 'x'.repeat(10_000))
      let pipeline = ''
      for (let i = 0; i < 30; i++) pipeline += 'get bigkey\r\nincr counter\r\n'
      rd.send(pipeline)
      const rest = await rd.closed()
      const counter = await c.command('GET', 'counter')
      return [JSON.stringify(rest), JSON.stringify(counter.reply)]
    })
  })
})

describe('replies of many small pieces, and commands stopped mid-run, against redis-server', () => {
  it('KEYS past the limit: its small pieces fill 16 KiB blocks and the client is closed', async () => {
    const prefix = 'long-key-name-prefix-of-100-chars'.padEnd(100, '-')
    const keys = Array.from({ length: 1000 }, (_, i) => prefix + String(i))
    await onBothWithLimit(keys, async (c, rd) => {
      // 1000 bulks of ~111 bytes: 16 KiB in c->buf, then five blocks pass 100000 bytes
      // (one block the size of the whole rest would not).
      for (let i = 0; i < keys.length; i += 100)
        await c.command('MSET', ...keys.slice(i, i + 100).flatMap((k) => [k, 'v']))
      rd.sendCommand(['KEYS', '*'])
      const rest = await rd.closed()
      const list = String((await c.command('CLIENT', 'LIST')).reply.value)
      return [JSON.stringify(rest), String(list.split('\n').length)]
    })
  })

  it('HRANDFIELD, SRANDMEMBER and ZRANDMEMBER with a huge negative count stop as the client passes its limit', async () => {
    for (const argv of [
      ['HRANDFIELD', 'h', '-999999999'],
      ['HRANDFIELD', 'h', '-999999999', 'WITHVALUES'],
      ['SRANDMEMBER', 's', '-999999999'],
      ['ZRANDMEMBER', 'z', '-999999999', 'WITHSCORES'],
    ]) {
      await onBothWithLimit(['h', 's', 'z'], async (c, rd) => {
        await c.command('HSET', 'h', 'a', 'b')
        await c.command('SADD', 's', 'm')
        await c.command('ZADD', 'z', '1', 'm')
        rd.sendCommand(argv)
        const rest = await rd.closed()
        // The server goes on.
        const after = await c.command('HRANDFIELD', 'h', '-2')
        return [JSON.stringify(rest), JSON.stringify(after.reply)]
      })
    }
  })
})
