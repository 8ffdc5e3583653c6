/**
 * Lazy freeing against redis-server 7.0.15 (lazyfree.c): which deletions hand their value to
 * the lazyfree thread, seen in INFO memory lazyfreed_objects. freeObjAsync sends a value
 * whose lazyfreeGetFreeEffort is above 64 (quicklist nodes, hashtable entries, skiplist
 * nodes; a stream's rax nodes plus groups × (1 + the first group's PEL)); FLUSHDB/FLUSHALL
 * ASYNC count one object per key. Found by Redis's Tcl unit/lazyfree.
 *
 * Real Redis frees in a background thread: its counter is read once lazyfree_pending_objects
 * is 0 and has stayed unchanged for a moment, so the comparison cannot race the thread.
 */
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true })

function field(r: Reply, name: string): number {
  const m =
    r.type === 'bulk' && r.value !== null ? new RegExp(`${name}:(\\d+)`).exec(r.value) : null
  if (m === null) throw new Error(`no ${name} in INFO`)
  return Number(m[1])
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** lazyfreed_objects once the lazyfree thread is idle and the counter stable. */
async function lazyfreed(c: RawClient): Promise<number> {
  let last = -1
  for (let i = 0; i < 200; i++) {
    const info = (await c.command('INFO', 'memory')).reply
    const now = field(info, 'lazyfreed_objects')
    if (field(info, 'lazyfree_pending_objects') === 0 && now === last) return now
    last = now
    await sleep(20)
  }
  throw new Error('lazyfree never settled')
}

/** Each step's commands, then the counter: one transcript per server. */
async function transcript(c: RawClient): Promise<string[]> {
  const out: string[] = []
  const run = async (...argv: string[]) => out.push((await c.command(...argv)).raw)
  const many = (n: number, f: (i: number) => string[]) =>
    Array.from({ length: n }, (_, i) => f(i)).flat()
  const check = async (label: string) => out.push(`${label}: ${String(await lazyfreed(c))}`)

  await run('CONFIG', 'RESETSTAT')
  await check('start')
  // The Tcl case: a stream of 200 small nodes with a group, a PEL entry and a deleted entry.
  await run('CONFIG', 'SET', 'stream-node-max-entries', '5')
  for (let j = 0; j < 1000; j++) await run('XADD', 'stream', `1-${String(j + 1)}`, 'foo', `${j}`)
  await run('XGROUP', 'CREATE', 'stream', 'mygroup', '0')
  await run('XREADGROUP', 'GROUP', 'mygroup', 'Alice', 'COUNT', '2', 'STREAMS', 'stream', '>')
  await run('XDEL', 'stream', '1-1')
  await run('XACK', 'stream', 'mygroup', '1-2')
  await run('UNLINK', 'stream')
  await check('stream with metadata')
  await run('CONFIG', 'RESETSTAT')
  // A destroyed group leaves one node: freed at once.
  await run('XADD', 's', '1-1', 'a', 'b')
  await run('XGROUP', 'CREATE', 's', 'bla', '$')
  await run('XGROUP', 'DESTROY', 's', 'bla')
  await run('UNLINK', 's')
  await check('stream with deleted group')
  // Groups × (1 + the first group's PEL): the first group in name order decides.
  await run('CONFIG', 'SET', 'stream-node-max-entries', '100')
  for (const [key, big] of [
    ['g1', 'a'],
    ['g2', 'z'],
  ] as const) {
    for (let j = 1; j <= 30; j++) await run('XADD', key, `1-${String(j)}`, 'f', 'v')
    for (const g of ['a', 'm', 'z']) await run('XGROUP', 'CREATE', key, g, '0')
    await run('XREADGROUP', 'GROUP', big, 'c', 'STREAMS', key, '>')
    await run('UNLINK', key)
    await check(`stream, PEL in group ${big}`)
  }
  await run('XADD', 'g3', '1-1', 'f', 'v')
  for (let g = 0; g < 64; g++) await run('XGROUP', 'CREATE', 'g3', `g${String(g)}`, '0')
  await run('UNLINK', 'g3')
  await check('stream, 64 groups')
  await run('XADD', 'g4', '1-1', 'f', 'v')
  for (let g = 0; g < 63; g++) await run('XGROUP', 'CREATE', 'g4', `g${String(g)}`, '0')
  await run('UNLINK', 'g4')
  await check('stream, 63 groups')
  // Hashtable sets and hashes, skiplist zsets: more than 64 entries.
  for (const n of [64, 65]) {
    await run('SADD', 'set', ...many(n, (i) => [`m${String(i)}`]))
    await run('UNLINK', 'set')
    await check(`set of ${String(n)}`)
    await run('HSET', 'hash', ...many(n, (i) => [`f${String(i)}`, 'v']))
    await run('CONFIG', 'SET', 'hash-max-listpack-entries', '16')
    await run('HSET', 'hash', 'x', 'y')
    await run('CONFIG', 'SET', 'hash-max-listpack-entries', '128')
    await run('UNLINK', 'hash')
    await check(`hash of ${String(n)}`)
    await run('ZADD', 'zset', ...many(n, (i) => [String(i), `m${String(i)}`]))
    await run('CONFIG', 'SET', 'zset-max-listpack-entries', '16')
    await run('ZADD', 'zset', '0', 'x')
    await run('CONFIG', 'SET', 'zset-max-listpack-entries', '128')
    await run('UNLINK', 'zset')
    await check(`zset of ${String(n)}`)
  }
  // Small encodings are one allocation whatever their size.
  await run('SADD', 'iset', ...many(200, (i) => [String(i)]))
  await run('UNLINK', 'iset')
  await run('HSET', 'lph', ...many(100, (i) => [`f${String(i)}`, 'v']))
  await run('UNLINK', 'lph')
  await check('intset and listpack')
  // Lists: quicklist nodes.
  await run('CONFIG', 'SET', 'list-max-listpack-size', '2')
  await run('RPUSH', 'list', ...many(128, (i) => [String(i)]))
  await run('UNLINK', 'list')
  await check('list of 64 nodes')
  await run('RPUSH', 'list', ...many(130, (i) => [String(i)]))
  await run('UNLINK', 'list')
  await check('list of 65 nodes')
  await run('CONFIG', 'SET', 'list-max-listpack-size', '-2')
  // DEL is lazy only under lazyfree-lazy-user-del.
  await run('SADD', 'set', ...many(100, (i) => [`m${String(i)}`]))
  await run('DEL', 'set')
  await check('DEL')
  await run('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes')
  await run('SADD', 'set', ...many(100, (i) => [`m${String(i)}`]))
  await run('DEL', 'set', 'nosuchkey')
  await check('DEL with lazyfree-lazy-user-del')
  await run('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no')
  // Expired keys under lazyfree-lazy-expire (deleted by a lookup or the active cycle alike).
  await run('CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes')
  await run('SADD', 'set', ...many(100, (i) => [`m${String(i)}`]))
  await run('PEXPIRE', 'set', '1')
  await sleep(30)
  await run('EXISTS', 'set')
  await check('expired with lazyfree-lazy-expire')
  await run('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no')
  // Flushes: one object per key when async.
  await run('MSET', ...many(10, (i) => [`k${String(i)}`, 'v']))
  await run('SELECT', '1')
  await run('MSET', ...many(5, (i) => [`k${String(i)}`, 'v']))
  await run('FLUSHDB', 'ASYNC')
  await check('FLUSHDB ASYNC')
  await run('SELECT', '0')
  await run('FLUSHDB')
  await check('FLUSHDB')
  await run('MSET', ...many(7, (i) => [`k${String(i)}`, 'v']))
  await run('SELECT', '2')
  await run('MSET', ...many(3, (i) => [`k${String(i)}`, 'v']))
  await run('FLUSHALL', 'ASYNC')
  await check('FLUSHALL ASYNC')
  await run('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes')
  await run('MSET', ...many(4, (i) => [`k${String(i)}`, 'v']))
  await run('FLUSHALL')
  await check('FLUSHALL with lazyfree-lazy-user-flush')
  await run('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'no')
  await run('CONFIG', 'RESETSTAT')
  await check('after RESETSTAT')
  await run('SELECT', '0')
  return out
}

describe('lazy freeing matches redis-server 7.0.15', () => {
  it('counts the same lazily freed objects', async () => {
    const real = await servers.connectReal()
    const ours = await servers.connectOurs()
    try {
      const [a, b] = [await transcript(real), await transcript(ours)]
      expect(b).toEqual(a)
      expect(a.filter((l) => / [1-9]\d*$/.test(l)).length).toBeGreaterThan(5)
    } finally {
      real.close()
      ours.close()
    }
  })
})
