/**
 * The slow log against redis-server 7.0.15 (slowlog.c, server.c call()): with
 * slowlog-log-slower-than 0 every command call() runs is logged, newest first, with the next
 * id; not logged are skip_slowlog commands (EXEC, AUTH), commands rejected before call()
 * (unknown, wrong arity) or only queued by MULTI, and a blocked client until it is served
 * (one that times out, never). Arguments are cut to 32 and strings to 128 bytes. Trimming to
 * slowlog-max-len happens at the next push; ids go on after SLOWLOG RESET. Each entry's
 * memory shows in used_memory.
 *
 * Both servers get the same commands on two connections; the transcripts must match byte for
 * byte after masking what differs between two servers by nature: each entry's time and
 * duration (checked to be integers, the time within a minute of TIME) and the client's port
 * in its peer id (checked to be the port of the connection that ran it).
 */
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true })

interface Run {
  log: string[]
  /** SLOWLOG GET -1 as data, with time, duration and port masked. */
  entries: unknown[]
  /** used_memory growth while only the slow log grew. */
  memoryGrowth: number[]
}

/**
 * used_memory less mem_clients_normal: Redis's clientsCron resizes client query and reply
 * buffers when its timer fires (clientsCronResizeQueryBuffer / clientsCronResizeOutputBuffer),
 * which can fall between any two readings; the slow log's memory is outside the clients'.
 */
function usedMemory(r: Reply): number {
  const text = r.type === 'bulk' && r.value !== null ? r.value : ''
  const used = /used_memory:(\d+)/.exec(text)
  const clients = /mem_clients_normal:(\d+)/.exec(text)
  if (used === null || clients === null) throw new Error('no used_memory in INFO')
  return Number(used[1]) - Number(clients[1])
}

/** SLOWLOG GET's reply with what differs between servers checked and masked. */
function maskEntries(r: Reply, now: number, ports: ReadonlyMap<number, string>): unknown[] {
  if (r.type !== 'array' || r.value === null) throw new Error(`SLOWLOG GET: ${r.type}`)
  return r.value.map((e) => {
    if (e.type !== 'array' || e.value === null || e.value.length !== 6)
      throw new Error('entry shape')
    const [id, time, duration, argv, peer, name] = e.value as Reply[]
    expect(time?.type).toBe('integer')
    expect(Math.abs(Number(time?.value) - now)).toBeLessThan(60)
    expect(duration?.type).toBe('integer')
    expect(Number(duration?.value)).toBeGreaterThanOrEqual(0)
    const addr = peer?.type === 'bulk' ? (peer.value ?? '') : ''
    const port = Number(/^127\.0\.0\.1:(\d+)$/.exec(addr)?.[1] ?? -1)
    return {
      id: id?.value,
      argv: argv?.type === 'array' ? argv.value?.map((a) => a.value) : null,
      peer: ports.get(port) ?? `unknown ${addr}`,
      name: name?.value,
    }
  })
}

async function scenario(connect: () => Promise<RawClient>): Promise<Run> {
  const a = await connect()
  const b = await connect()
  const log: string[] = []
  const run = async (who: RawClient, ...argv: string[]) => {
    const r = await who.command(...argv)
    log.push(r.raw)
    return r
  }
  const ports = new Map<number, string>()
  for (const [who, label] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    const list = (await who.command('CLIENT', 'INFO')).reply
    const text = list.type === 'bulk' ? (list.value ?? '') : ''
    ports.set(Number(/ addr=127\.0\.0\.1:(\d+) /.exec(` ${text}`)?.[1]), label)
  }
  try {
    await run(a, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0')
    await run(a, 'SLOWLOG', 'RESET')
    await run(a, 'CLIENT', 'SETNAME', 'learner')
    // Values Redis keeps as shared integers, integers, embstr and raw strings.
    await run(a, 'SET', 'small', '42')
    await run(a, 'SET', 'big', '1234567890')
    await run(a, 'SET', 'text', 'hello')
    await run(a, 'SET', 'long', 'x'.repeat(300))
    await run(a, 'APPEND', 'appended', '77')
    await run(a, 'MSET', ...Array.from({ length: 40 }, (_, i) => `k${String(i)}`))
    await run(a, 'GETSET', 'small', '9999')
    // Not logged: rejected before call(), queued, EXEC and AUTH (skip_slowlog).
    await run(a, 'NOSUCHCOMMAND', 'x')
    await run(a, 'GET')
    await run(a, 'AUTH', 'secret')
    await run(a, 'MULTI')
    await run(a, 'INCR', 'counter')
    await run(a, 'LPUSH', 'list', 'a')
    await run(a, 'EXEC')
    await run(b, 'PING')
    // A blocked client is logged when served, never when it times out. Waiting for it to
    // block takes as many INFO calls as the timing needs: the log is off meanwhile (the
    // CONFIG SET that turns it off is not logged, the one that turns it on is).
    await run(b, 'CONFIG', 'SET', 'slowlog-log-slower-than', '-1')
    a.sendCommand(['BLPOP', 'queue', '0'])
    for (let i = 0; i < 400; i++) {
      const info = (await b.command('INFO', 'clients')).raw
      if (/blocked_clients:1/.test(info)) break
      await new Promise((r) => setTimeout(r, 5))
    }
    await run(b, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0')
    await run(b, 'RPUSH', 'queue', 'job')
    log.push((await a.next(3000)).raw)
    await run(a, 'BLPOP', 'nothing', '0.01')
    await run(a, 'SLOWLOG', 'LEN')
    const now = Number(
      ((await a.command('TIME')).reply as { value: readonly Reply[] }).value[0]?.value,
    )
    const entries = maskEntries((await a.command('SLOWLOG', 'GET', '-1')).reply, now, ports)
    log.push(
      JSON.stringify(maskEntries((await a.command('SLOWLOG', 'GET', '2')).reply, now, ports)),
    )
    // Memory: ECHO changes nothing but the log (INFO's own entry is in both readings).
    const memoryGrowth: number[] = []
    await run(a, 'ECHO', 'warm')
    let before = usedMemory((await a.command('INFO', 'memory')).reply)
    const measured = [
      ...['e', 'y'.repeat(40), 'z'.repeat(100), 'w'.repeat(1000), '123'].map((x) => ['ECHO', x]),
      // With keys: the value's memory and the entry's (shared integer, integer, string).
      ['SET', 'm1', '42'],
      ['SET', 'm2', '1234567890'],
      ['SET', 'm3', 'hello'],
      ['MSET', ...Array.from({ length: 50 }, (_, i) => `n${String(i)}`)],
      ['AUTH', 'x'],
    ]
    for (const argv of measured) {
      await run(a, ...argv)
      const after = usedMemory((await a.command('INFO', 'memory')).reply)
      memoryGrowth.push(after - before)
      before = after
    }
    // Trimming to slowlog-max-len happens at the next push; RESET keeps the ids going.
    await run(a, 'CONFIG', 'SET', 'slowlog-max-len', '3')
    await run(a, 'SLOWLOG', 'LEN')
    await run(a, 'SLOWLOG', 'LEN')
    await run(a, 'SLOWLOG', 'RESET')
    await run(a, 'CONFIG', 'SET', 'slowlog-max-len', '0')
    await run(a, 'SLOWLOG', 'LEN')
    await run(a, 'CONFIG', 'SET', 'slowlog-max-len', '128')
    await run(a, 'SLOWLOG', 'LEN')
    const ids = maskEntries((await a.command('SLOWLOG', 'GET')).reply, now, ports)
    // Off: nothing more is logged.
    await run(a, 'CONFIG', 'SET', 'slowlog-log-slower-than', '-1')
    await run(a, 'PING')
    await run(a, 'SLOWLOG', 'LEN')
    return { log, entries: [...entries, ...ids], memoryGrowth }
  } finally {
    a.close()
    b.close()
  }
}

describe('SLOWLOG against redis-server 7.0.15', () => {
  it('logs the same commands, arguments, clients and memory', async () => {
    const real = await scenario(servers.connectReal)
    const ours = await scenario(servers.connectOurs)
    expect(ours.entries).toEqual(real.entries)
    expect(ours.log).toEqual(real.log)
    expect(ours.memoryGrowth).toEqual(real.memoryGrowth)
    // The scenario did log something (a log that stayed empty would also match).
    expect(real.entries.length).toBeGreaterThan(15)
    expect(real.memoryGrowth.every((g) => g > 0)).toBe(true)
  })
})
