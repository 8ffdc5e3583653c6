/**
 * Keyspace notifications against redis-server 7.0.15: a subscriber (a) PSUBSCRIBEs to
 * `__key*__:*`, another connection (b) runs commands of every family with
 * notify-keyspace-events set, and the whole stream of pushed messages (keyspace and keyevent,
 * in delivery order) must be byte for byte the same on both servers. Each scenario ends with a
 * PUBLISH on a marker channel the subscriber also listens to, so the transcript holds every
 * message sent before it. Covered: strings, lists (with the last pop's "del"), sets, sorted
 * sets, hashes, streams and consumer groups, generic commands (DEL, RENAME, MOVE, COPY,
 * EXPIRE in the past, PERSIST, SORT STORE), bitmaps, HyperLogLog, geo stores, "new" (n) and
 * "keymiss" (m), lazy and active expiry ("expired"), eviction ("evicted"), MULTI/EXEC, and
 * blocked clients served by a push.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { same as sameOnBoth, type Trio } from './trio.ts'

const servers = bothServersPerFile({ tcp: true })

const END = 'notify-test-end'

/** Reads what the subscriber got until the end marker, into the transcript. */
async function drain(s: Trio, who: RawClient): Promise<void> {
  await s.run('PUBLISH', END, 'x')
  for (let i = 0; i < 2000; i++) {
    const raw = (await who.next(3000)).raw
    s.log.push(raw)
    if (raw.includes(END)) return
  }
  throw new Error('no end marker')
}

/** A scenario: subscribe a, set the classes, run `body` on b, then collect a's messages. */
function scenario(classes: string, body: (s: Trio) => Promise<void>): Promise<string[]> {
  return sameOnBoth(servers, async (s) => {
    await s.run('FLUSHALL')
    await s.run('CONFIG', 'SET', 'notify-keyspace-events', classes)
    await s.on(s.a, ['PSUBSCRIBE', '__key*__:*'])
    await s.on(s.a, ['SUBSCRIBE', END])
    await body(s)
    await drain(s, s.a)
    await s.run('CONFIG', 'SET', 'notify-keyspace-events', '')
  })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** DUMP of the string "hello": the same bytes from both servers (dump.redis checks that). */
const PAYLOAD = (() => {
  const server = createServer({ seed: 1 })
  const client = server.createClient()
  server.call(['SET', 'k', 'hello'], client)
  const r = server.call(['DUMP', 'k'], client)
  if (r.type !== 'bulk' || r.value === null) throw new Error('DUMP')
  return r.value
})()

/** Runs each command on b, logging its reply. */
async function runAll(s: Trio, cmds: readonly (readonly string[])[]): Promise<void> {
  for (const argv of cmds) await s.run(...argv)
}

describe('keyspace notifications against redis-server', () => {
  it('CONFIG SET / GET notify-keyspace-events: canonical forms and errors', async () => {
    await sameOnBoth(servers, async (s) => {
      for (const v of ['KEA', 'AKE', 'Kg$', 'E$lshzxetd', 'An', 'Em', 'x$lK', 'nmdKE', 'A', '']) {
        await s.run('CONFIG', 'SET', 'notify-keyspace-events', v)
        await s.run('CONFIG', 'GET', 'notify-keyspace-events')
      }
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', 'KEQ')
      await s.run('CONFIG', 'SET', 'notify-keyspace-events', 'K E')
      await s.run('CONFIG', 'GET', 'notify-keyspace-events')
    })
  })

  it('strings, generic commands and key-space / key-event channels', async () => {
    const log = await scenario('KEA', async (s) => {
      await runAll(s, [
        ['SET', 'k', 'v'],
        ['SET', 'k', 'v2', 'EX', '100'],
        ['SET', 'k', 'x', 'NX'],
        ['SETNX', 'n', '1'],
        ['SETEX', 'e', '100', 'v'],
        ['PSETEX', 'e', '100000', 'v'],
        ['GETSET', 'k', 'v3'],
        ['MSET', 'm1', 'a', 'm2', 'b'],
        ['MSETNX', 'm1', 'a', 'm3', 'b'],
        ['MSETNX', 'm4', 'a', 'm5', 'b'],
        ['APPEND', 'k', 'xyz'],
        ['APPEND', 'new', 'xyz'],
        ['SETRANGE', 'k', '1', 'AB'],
        ['SETRANGE', 'k', '1', ''],
        ['SETRANGE', 'sr', '3', 'x'],
        ['INCR', 'i'],
        ['INCRBY', 'i', '10'],
        ['DECR', 'i'],
        ['DECRBY', 'i', '3'],
        ['INCRBYFLOAT', 'f', '1.5'],
        ['GETEX', 'k', 'EX', '1000'],
        ['GETEX', 'k', 'PERSIST'],
        ['GETEX', 'k', 'PERSIST'],
        ['GETEX', 'm1', 'PXAT', '1'],
        ['GETDEL', 'm2'],
        ['GETDEL', 'm2'],
        ['EXPIRE', 'k', '100'],
        ['PEXPIRE', 'k', '100000', 'NX'],
        ['PERSIST', 'k'],
        ['PERSIST', 'k'],
        ['EXPIRE', 'n', '-1'],
        ['PEXPIREAT', 'e', '1'],
        ['DEL', 'm3', 'm4', 'nothing'],
        ['UNLINK', 'm5'],
        ['SET', 'r', '1', 'PX', '100000'],
        ['RENAME', 'r', 'r2'],
        ['RENAMENX', 'r2', 'f'],
        ['RENAMENX', 'r2', 'r3'],
        ['RENAME', 'r3', 'r3'],
        ['MOVE', 'r3', '1'],
        ['COPY', 'f', 'fc'],
        ['COPY', 'f', 'fc', 'REPLACE'],
        ['COPY', 'f', 'fc', 'DB', '2'],
        ['SELECT', '3'],
        ['SET', 'db3', 'x'],
        ['DEL', 'db3'],
        ['SELECT', '0'],
        ['SETBIT', 'b', '7', '1'],
        ['SETBIT', 'b', '7', '1'],
        ['BITFIELD', 'b', 'SET', 'u8', '0', '255'],
        ['BITFIELD', 'b', 'GET', 'u8', '0'],
        ['BITOP', 'OR', 'bo', 'b', 'b'],
        ['BITOP', 'AND', 'bo', 'nothing1', 'nothing2'],
        ['PFADD', 'h', 'a', 'b'],
        ['PFADD', 'h', 'a'],
        ['PFMERGE', 'h2', 'h'],
        ['PFCOUNT', 'h'],
        // RESTORE: "restore" (with "new"), REPLACE deleting first, a TTL already past
        // deleting the old key ("del") and creating nothing.
        ['RESTORE', 'rs', '0', PAYLOAD],
        ['RESTORE', 'rs', '0', PAYLOAD, 'REPLACE'],
        ['RESTORE', 'rs', '1', PAYLOAD, 'REPLACE', 'ABSTTL'],
        ['RESTORE', 'rs', '1', PAYLOAD, 'ABSTTL'],
        ['SET', 'bin\x00\r\n', '\xff'],
        ['DEL', 'bin\x00\r\n'],
        ['FLUSHDB'],
      ])
    })
    expect(log.some((l) => l.includes('__keyevent@0__:rename_to'))).toBe(true)
    expect(log.some((l) => l.includes('__keyevent@0__:restore'))).toBe(true)
  })

  it('lists, sets, sorted sets, hashes, SORT STORE and geo stores', async () => {
    const log = await scenario('KEA', async (s) => {
      await runAll(s, [
        ['LPUSH', 'l', 'a', 'b', 'c'],
        ['RPUSH', 'l', 'd'],
        ['LPUSHX', 'l', 'e'],
        ['RPUSHX', 'nol', 'e'],
        ['LINSERT', 'l', 'BEFORE', 'a', 'z'],
        ['LINSERT', 'l', 'BEFORE', 'nope', 'z'],
        ['LSET', 'l', '0', 'q'],
        ['LPOP', 'l'],
        ['RPOP', 'l', '2'],
        ['LREM', 'l', '0', 'z'],
        ['LREM', 'l', '0', 'nope'],
        ['LTRIM', 'l', '0', '0'],
        ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
        ['RPUSH', 'l', '1', '2', '3'],
        ['RPOPLPUSH', 'l', 'l2'],
        ['LMPOP', '2', 'nol', 'l', 'LEFT', 'COUNT', '5'],
        ['LTRIM', 'l2', '5', '1'],
        ['RPUSH', 's1', '3', '1', '2'],
        ['SORT', 's1', 'STORE', 'sorted'],
        ['SORT', 'nothing', 'STORE', 'sorted'],
        ['SADD', 'S', 'a', 'b', 'c'],
        ['SADD', 'S', 'a'],
        ['SREM', 'S', 'a', 'nope'],
        ['SMOVE', 'S', 'T', 'b'],
        ['SMOVE', 'S', 'T', 'c'],
        // Deterministic pops: one member, then an intset popped whole (intset order).
        ['SADD', 'S', 'x'],
        ['SPOP', 'S'],
        ['SADD', 'S', '7', '8'],
        ['SPOP', 'S', '5'],
        ['SADD', 'S', '1', '2', '3'],
        ['SINTERSTORE', 'I', 'S', 'T'],
        ['SUNIONSTORE', 'U', 'S', 'T'],
        ['SDIFFSTORE', 'D', 'S', 'S'],
        ['SINTERSTORE', 'U', 'S', 'nothing'],
        ['SREM', 'S', '1', '2', '3'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
        ['ZADD', 'z', 'NX', '1', 'a'],
        ['ZADD', 'z', 'INCR', '1', 'a'],
        ['ZINCRBY', 'z', '1', 'b'],
        ['ZREM', 'z', 'a', 'nope'],
        ['ZREMRANGEBYSCORE', 'z', '100', '200'],
        ['ZREMRANGEBYSCORE', 'z', '0', '3'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
        ['ZREMRANGEBYRANK', 'z', '0', '0'],
        ['ZREMRANGEBYLEX', 'z', '[a', '[b'],
        ['ZPOPMIN', 'z'],
        ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
        ['ZPOPMAX', 'z', '2'],
        ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '3'],
        ['ZADD', 'z1', '1', 'a', '2', 'b'],
        ['ZADD', 'z2', '1', 'b', '2', 'c'],
        ['ZUNIONSTORE', 'zu', '2', 'z1', 'z2'],
        ['ZINTERSTORE', 'zi', '2', 'z1', 'z2'],
        ['ZDIFFSTORE', 'zd', '2', 'z1', 'z2'],
        ['ZDIFFSTORE', 'zd', '2', 'z1', 'z1'],
        ['ZRANGESTORE', 'zr', 'z1', '0', '-1'],
        ['ZRANGESTORE', 'zr', 'z1', '5', '6'],
        ['ZREM', 'z1', 'a', 'b'],
        ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
        ['GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
        ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'gr'],
        ['GEORADIUS', 'g', '15', '37', '1', 'km', 'STORE', 'gr'],
        ['GEOSEARCHSTORE', 'gs', 'nothing', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
        ['HSET', 'h', 'a', '1', 'b', '2'],
        ['HMSET', 'h', 'c', '3'],
        ['HSETNX', 'h', 'a', '1'],
        ['HSETNX', 'h', 'd', '1'],
        ['HINCRBY', 'h', 'a', '5'],
        ['HINCRBYFLOAT', 'h', 'a', '0.5'],
        ['HDEL', 'h', 'a', 'nope'],
        ['HDEL', 'h', 'b', 'c', 'd'],
        ['HDEL', 'h', 'x'],
        ['SADD', 'S2', '7', '8', '9'],
      ])
      // A random member: the reply is not compared, its notification is.
      await s.b.command('SPOP', 'S2', '1')
      await s.b.command('SPOP', 'S2')
    })
    for (const event of ['lpop', 'sortstore', 'zremrangebylex', 'georadiusstore', 'hincrbyfloat'])
      expect(log.some((l) => l.includes(`__keyevent@0__:${event}\r\n`))).toBe(true)
  })

  it('streams and consumer groups', async () => {
    const log = await scenario('KEA', async (s) => {
      await runAll(s, [
        ['XADD', 'x', '1-1', 'f', 'v'],
        ['XADD', 'x', '2-1', 'f', 'v'],
        ['XADD', 'x', 'MAXLEN', '1', '3-1', 'f', 'v'],
        ['XADD', 'x', 'MAXLEN', '5', '4-1', 'f', 'v'],
        ['XADD', 'nox', 'NOMKSTREAM', '*', 'f', 'v'],
        ['XDEL', 'x', '3-1', '9-9'],
        ['XDEL', 'x', '9-9'],
        ['XTRIM', 'x', 'MAXLEN', '0'],
        ['XTRIM', 'x', 'MAXLEN', '0'],
        ['XSETID', 'x', '10-1'],
        ['XGROUP', 'CREATE', 'x', 'g', '0'],
        ['XGROUP', 'CREATE', 'x', 'g', '0'],
        ['XGROUP', 'CREATE', 'y', 'g', '$', 'MKSTREAM'],
        ['XGROUP', 'SETID', 'x', 'g', '0'],
        ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'],
        ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'],
        ['XADD', 'x', '11-1', 'f', 'v'],
        ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'x', '>'],
        ['XCLAIM', 'x', 'g', 'c3', '0', '11-1'],
        ['XAUTOCLAIM', 'x', 'g', 'c4', '0', '0'],
        ['XACK', 'x', 'g', '11-1'],
        ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c1'],
        ['XGROUP', 'DELCONSUMER', 'x', 'g', 'nope'],
        ['XGROUP', 'DESTROY', 'x', 'g'],
        ['XGROUP', 'DESTROY', 'x', 'g'],
        ['DEL', 'x', 'y'],
      ])
    })
    expect(log.filter((l) => l.includes('xgroup-createconsumer\r\n')).length).toBe(8)
  })

  it('"new" and "keymiss" classes, and partial class sets', async () => {
    const log = await scenario('KEnm', async (s) => {
      await runAll(s, [
        ['GET', 'missing'],
        ['SET', 'a', '1'],
        ['SET', 'a', '2'],
        ['GET', 'a'],
        ['MGET', 'a', 'b', 'c'],
        ['EXISTS', 'zz'],
        ['TYPE', 'zz'],
        ['OBJECT', 'ENCODING', 'zz'],
        ['LPUSH', 'l', 'x'],
        ['LRANGE', 'nol', '0', '-1'],
        ['HGET', 'noh', 'f'],
        ['SMEMBERS', 'nos'],
        ['ZSCORE', 'noz', 'm'],
        ['TTL', 'nok'],
        ['INCR', 'cnt'],
        ['SADD', 's', 'm'],
        ['ZADD', 'z', '1', 'm'],
        ['HSET', 'h', 'f', 'v'],
        ['XADD', 'x', '1-1', 'f', 'v'],
        ['COPY', 'a', 'a2'],
        ['RENAME', 'a2', 'a3'],
        ['DEBUG', 'POPULATE', '3', 'pop'],
        ['DEBUG', 'RELOAD'],
        ['GET', 'pop:9'],
      ])
    })
    expect(log.some((l) => l.includes('__keyevent@0__:keymiss\r\n$7\r\nmissing'))).toBe(true)
    expect(log.some((l) => l.includes('__keyspace@0__:a3\r\n$3\r\nnew'))).toBe(true)
    await scenario('E$', async (s) => {
      await runAll(s, [
        ['SET', 'a', '1', 'EX', '100'],
        ['LPUSH', 'l', 'x'],
        ['DEL', 'a', 'l'],
        ['INCR', 'a'],
      ])
    })
    await scenario('Kgl', async (s) => {
      await runAll(s, [
        ['SET', 'a', '1', 'EX', '100'],
        ['LPUSH', 'l', 'x'],
        ['LPOP', 'l'],
        ['DEL', 'a'],
      ])
    })
  })

  it('MULTI/EXEC and blocked clients served by a push', async () => {
    const log = await scenario('KEA', async (s) => {
      await runAll(s, [
        ['MULTI'],
        ['SET', 'k', 'v'],
        ['LPUSH', 'l', 'a', 'b'],
        ['RPOP', 'l'],
        ['INCR', 'k'],
        ['DEL', 'k'],
        ['EXEC'],
      ])
      // A client that subscribes inside EXEC gets the notification of its own next queued
      // command before that command's reply (inside the EXEC array's bytes).
      await s.on(s.c, ['MULTI'])
      await s.on(s.c, ['PSUBSCRIBE', '__keyspace@0__:*'])
      await s.on(s.c, ['SET', 'self', 'v'])
      await s.on(s.c, ['EXEC'], 2)
      await s.on(s.c, ['PUNSUBSCRIBE'])
      await s.block(s.c, 'BLPOP', 'bl', '0')
      await s.run('RPUSH', 'bl', 'x')
      await s.read(s.c)
      await s.block(s.c, 'BLMOVE', 'bl2', 'dst', 'RIGHT', 'LEFT', '0')
      await s.run('LPUSH', 'bl2', 'y', 'z')
      await s.read(s.c)
      await s.block(s.c, 'BZPOPMIN', 'bz', '0')
      await s.run('ZADD', 'bz', '1', 'm')
      await s.read(s.c)
      await s.block(s.c, 'BLMPOP', '0', '1', 'bl3', 'LEFT', 'COUNT', '5')
      await s.run('RPUSH', 'bl3', '1', '2')
      await s.read(s.c)
      await s.run('XGROUP', 'CREATE', 'bx', 'g', '$', 'MKSTREAM')
      await s.block(s.c, 'XREADGROUP', 'GROUP', 'g', 'cc', 'BLOCK', '0', 'STREAMS', 'bx', '>')
      await s.run('XADD', 'bx', '5-1', 'f', 'v')
      await s.read(s.c)
    })
    expect(log.some((l) => l.includes('__keyspace@0__:bl3\r\n$3\r\ndel'))).toBe(true)
  })

  it('"expired" from lazy and active expiry', async () => {
    const log = await scenario('KEA', async (s) => {
      // Lazy: the key is read after its time (or the active cycle got it first; either way
      // "expired" comes before GET's reply and nothing else is in between).
      await s.run('SET', 'lazy', 'v', 'PX', '30')
      await sleep(80)
      await s.run('GET', 'lazy')
      await s.run('SET', 'w', 'v', 'PX', '30')
      await sleep(80)
      await s.run('SET', 'w', 'again')
      // Active: nobody touches the key; the cycle deletes it.
      await s.run('SET', 'active', 'v', 'PX', '20')
      for (let i = 0; i < 200; i++) {
        if ((await s.b.command('DBSIZE')).raw === ':1\r\n') break
        await sleep(10)
      }
    })
    expect(log.filter((l) => l.includes('__keyevent@0__:expired\r\n')).length).toBe(3)
  })

  it('"evicted" under maxmemory', async () => {
    const log = await scenario('KEA', async (s) => {
      await runAll(s, [
        ['SET', 'keep', 'v'],
        ['SET', 'victim', 'v', 'EX', '1000'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
        ['CONFIG', 'SET', 'maxmemory', '1'],
        ['SET', 'other', 'v'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
        ['DBSIZE'],
      ])
    })
    expect(log.some((l) => l.includes('__keyevent@0__:evicted\r\n$6\r\nvictim'))).toBe(true)
  })
})
