/**
 * The query buffer's sizes (querybuf.ts) as the RESP parser drives them, read by read, and
 * clientsCronResizeQueryBuffer. Every qbuf / qbuf-free figure here was read from
 * redis-server 7.0.15's CLIENT LIST with the same bytes sent (clientsCron visits placed
 * where noted).
 */
import { describe, expect, it } from 'vitest'
import { jemallocSizeClass } from '../../src/engine/structures/jemalloc.ts'
import {
  queryBufCreate,
  queryBufCronResize,
  queryBufFree,
  type QueryBuf,
  type QueryBufAccount,
} from '../../src/engine/querybuf.ts'
import {
  respParserCreate,
  respParserFeed,
  respParserNext,
  respParserReadLen,
  respParserSettle,
  type RespParser,
} from '../../src/engine/resp.ts'

const cmd = (...argv: string[]): string =>
  `*${String(argv.length)}\r\n` + argv.map((a) => `$${String(a.length)}\r\n${a}\r\n`).join('')

/** A client's parser over a fresh query buffer. */
function client(): { p: RespParser; qb: QueryBuf; account: QueryBufAccount } {
  const account = { bytes: 0, argv: 0 }
  const qb = queryBufCreate(account)
  qb.hosted = true
  return { p: respParserCreate({ querybuf: qb }), qb, account }
}

/** The bytes arrive at once: read as Redis's reads take them, each followed by a pass. */
function arrive(p: RespParser, bytes: string): string[][] {
  const done: string[][] = []
  for (let off = 0; off < bytes.length;) {
    const end = Math.min(bytes.length, off + respParserReadLen(p))
    respParserFeed(p, bytes.slice(off, end))
    for (let argv = respParserNext(p); argv !== null; argv = respParserNext(p)) done.push(argv)
    respParserSettle(p)
    off = end
  }
  return done
}

/** A client that has sent CLIENT SETNAME, then the first 40 bytes of a 100 KB SET. */
function bigSetStarted(): { p: RespParser; qb: QueryBuf; set: string } {
  const { p, qb } = client()
  arrive(p, cmd('client', 'setname', 'big'))
  const set = cmd('set', 'x', 'A'.repeat(100000))
  arrive(p, set.slice(0, 40))
  return { p, qb, set }
}

/** CLIENT LIST's qbuf and qbuf-free. */
const sizes = (qb: QueryBuf): string =>
  `qbuf=${String(qb.len)} qbuf-free=${String(qb.alloc - qb.len)}`

describe('query buffer sizes', () => {
  it('starts as sdsempty and gets 16 KiB (the 20480 class) on the first read', () => {
    const { p, qb, account } = client()
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=4')
    expect(account.bytes).toBe(8)
    arrive(p, cmd('client', 'setname', 'big'))
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=20474')
    expect(account.bytes).toBe(20480)
    queryBufFree(qb)
    expect(account.bytes).toBe(0)
  })

  it('a 100 KB SET sent in pieces: room for the whole argument, then a buffer of its size', () => {
    const { p, qb, set } = bigSetStarted()
    // The parsed `set` and `x` stay in c->argv (argv-mem=4) until the rest comes.
    expect([sizes(qb), qb.argvLenSum, qb.argc]).toEqual(['qbuf=11 qbuf-free=114667', 4, 2])
    arrive(p, set.slice(40, 20000))
    expect(sizes(qb)).toBe('qbuf=19971 qbuf-free=94707')
    arrive(p, set.slice(20000, 60000))
    expect(sizes(qb)).toBe('qbuf=59971 qbuf-free=54707')
    expect(arrive(p, set.slice(60000)).map((a) => a.length)).toEqual([3])
    // The argument took the buffer over; the client got a new one as big.
    expect([sizes(qb), qb.argvLenSum, qb.argc]).toEqual(['qbuf=0 qbuf-free=114678', 0, 0])
    // The first cron visit still sees the peak of the last read; the second trims to nothing.
    queryBufCronResize(qb, 0)
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=114678')
    queryBufCronResize(qb, 0)
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=0')
    expect(qb.zmalloc).toBe(8)
  })

  it('a cron visit in the middle of a big argument keeps room for the whole bulk', () => {
    const { p, qb, set } = bigSetStarted()
    queryBufCronResize(qb, 0)
    expect(sizes(qb)).toBe('qbuf=11 qbuf-free=99989')
    // The next read needs 2 bytes more than that: NonGreedy growth back to the 112 KiB class.
    arrive(p, set.slice(40, 20000))
    expect(sizes(qb)).toBe('qbuf=19971 qbuf-free=94707')
  })

  it('shrinks a busy client to its recent peak (querybuf.tcl "resized correctly when not idle")', () => {
    const { p, qb } = client()
    arrive(p, cmd('client', 'setname', 'b2'))
    arrive(p, cmd('set', 'x', 'A'.repeat(400000)))
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=458742')
    queryBufCronResize(qb, 0)
    arrive(p, cmd('set', 'x', 'A'.repeat(100)))
    queryBufCronResize(qb, 0)
    // Not to nothing: to the 128 bytes of the last SET.
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=128')
    arrive(p, cmd('set', 'x', 'A'.repeat(100)))
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=20474')
  })

  it('trims an idle client only after more than 2 s, and never below a bulk being read', () => {
    const { p, qb } = client()
    arrive(p, cmd('ping'))
    queryBufCronResize(qb, 2)
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=20474')
    queryBufCronResize(qb, 3)
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=0')
    // A 64 KiB bulk half sent, then the client goes quiet: the buffer keeps the bulk's room.
    const set = cmd('set', 'k', 'B'.repeat(65536))
    arrive(p, set.slice(0, 30000))
    queryBufCronResize(qb, 0)
    queryBufCronResize(qb, 0)
    expect(qb.alloc).toBeGreaterThanOrEqual(65536)
    queryBufCronResize(qb, 3)
    expect(sizes(qb)).toBe(`qbuf=${String(qb.len)} qbuf-free=0`)
    expect(arrive(p, set.slice(30000)).length).toBe(1)
  })

  it('counts the arguments of a command read in part (c->argv) until it is complete', () => {
    const { p, qb, account } = client()
    // maxmemory.tcl's dead client: 249 of 250 bulks of 1000 bytes.
    const head = '*250\r\n' + '$1000\r\n' + 'x'.repeat(1000) + '\r\n'
    arrive(p, head.slice(0, 6))
    // The array alone: room for 250 pointers (2000 bytes, the 2048 class).
    expect(account.argv).toBe(2048)
    arrive(p, head.slice(6) + ('$1000\r\n' + 'x'.repeat(1000) + '\r\n').repeat(248))
    expect(qb.argc).toBe(249)
    expect(qb.argvLenSum).toBe(249000)
    // Each argument a robj (16) and an sds16 of 1000 bytes (1006, the 1024 class).
    expect(account.argv).toBe(2048 + 249 * (16 + 1024))
    // Short ones are embstr objects; the command done, nothing is left.
    arrive(p, '$3\r\nabc\r\n')
    expect(account.argv).toBe(0)
    arrive(p, '*3\r\n$3\r\nset\r\n$1\r\nk\r\n')
    expect(account.argv).toBe(jemallocSizeClass(24) + 2 * jemallocSizeClass(16 + 3 + 3 + 1))
    expect(qb.argvZmalloc).toBe(account.argv)
  })

  it('pipelined small commands keep the 16 KiB buffer (greedy reads of its free space)', () => {
    const { p, qb } = client()
    const one = cmd('set', 'z', 'C'.repeat(100))
    expect(arrive(p, one.repeat(400)).length).toBe(400)
    expect(sizes(qb)).toBe('qbuf=0 qbuf-free=20474')
  })
})
