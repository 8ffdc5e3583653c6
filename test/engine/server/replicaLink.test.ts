/**
 * The replica's link as the engine runs it over a host it is given (replica.ts): the host's
 * connect, reads and close are played by hand, so each step of syncWithMaster,
 * readSyncBulkPayload and replicationCron is seen with a manual clock.
 */
import { describe, expect, it } from 'vitest'
import type { MasterLinkHost } from '../../../src/engine/api.ts'
import { createServer, manualClock, type Reply } from '../../../src/engine/index.ts'
import { requestNeed } from '../../../src/engine/replica.ts'
import { respEncodeCommand } from '../../../src/engine/resp.ts'

const T0 = 1_700_000_000_000

/** A replica engine over a fake host that records what the engine asks of it. */
function setup(config: Record<string, string> = {}) {
  const clock = manualClock(T0)
  const srv = createServer({ seed: 1, clock, trace: 'off', config: { port: '7777', ...config } })
  const asked: string[] = []
  let written = ''
  const host: MasterLinkHost = {
    connect: (link, h, p) => asked.push(`connect ${String(link)} ${h}:${String(p)}`),
    write: (_link, bytes) => {
      written += bytes
    },
    close: (link) => asked.push(`close ${String(link)}`),
  }
  srv.setMasterLinkHost(host)
  const logged: string[] = []
  srv.setServerLog((_level, text) => logged.push(text))
  const c = srv.createClient()
  const run = (...argv: string[]): Reply => srv.call(argv, c)
  const takeWritten = (): string => {
    const w = written
    written = ''
    return w
  }
  return { srv, clock, asked, logged, run, takeWritten }
}

/** A master's full sync payload ("$<len>\r\n<rdb>") holding `k` = `v` in db 0. */
function payload(): string {
  const master = createServer({
    seed: 2,
    clock: manualClock(T0),
    trace: 'off',
    config: { 'repl-diskless-sync': 'no' },
  })
  master.call(['SET', 'k', 'v'])
  const replica = master.createClient()
  master.call(['SYNC'], replica)
  return master.drainOutbox?.().get(replica) ?? ''
}

const REPLID = 'a'.repeat(40)

/** Drives the handshake up to the PSYNC reply; returns the engine. */
function handshaken(config: Record<string, string> = {}) {
  const t = setup(config)
  t.run('SET', 'old', 'data')
  t.run('REPLICAOF', '127.0.0.1', '6000')
  expect(t.asked).toEqual(['connect 1 127.0.0.1:6000'])
  t.srv.masterLinkConnected?.(1)
  expect(t.takeWritten()).toBe(respEncodeCommand(['PING']))
  t.srv.masterLinkRead?.(1, '+PONG\r\n')
  return t
}

describe('the replica link over a host (syncWithMaster)', () => {
  it('with repl-diskless-load swapdb the payload goes to the parser, not to disk', () => {
    const t = handshaken({ 'repl-diskless-load': 'swapdb' })
    t.srv.masterLinkRead?.(1, '+OK\r\n+OK\r\n')
    t.srv.masterLinkRead?.(1, `+FULLRESYNC ${REPLID} 100\r\n`)
    const rdb = payload()
    t.srv.masterLinkRead?.(1, rdb)
    expect(t.run('GET', 'k')).toEqual({ type: 'bulk', value: 'v' })
    expect(t.logged).toContain(
      `MASTER <-> REPLICA sync: receiving ${/^\$(\d+)/.exec(rdb)?.[1] ?? '?'} bytes from master to parser`,
    )
  })

  it('handshakes, loads the payload after flushing, then applies the stream', () => {
    const t = handshaken()
    expect(t.takeWritten()).toBe(
      respEncodeCommand(['REPLCONF', 'listening-port', '7777']) +
        respEncodeCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']),
    )
    expect(t.run('ROLE')).toEqual({
      type: 'array',
      value: [
        { type: 'bulk', value: 'slave' },
        { type: 'bulk', value: '127.0.0.1' },
        { type: 'integer', value: 6000 },
        { type: 'bulk', value: 'handshake' },
        { type: 'integer', value: -1 },
      ],
    })
    // The replies come in pieces: each is taken when whole.
    t.srv.masterLinkRead?.(1, '+OK\r')
    t.srv.masterLinkRead?.(1, '\n+OK\r\n')
    // The server was a master: its own ID and offset are tried first.
    expect(t.takeWritten()).toMatch(/^\*3\r\n\$5\r\nPSYNC\r\n\$40\r\n[0-9a-f]{40}\r\n\$1\r\n1\r\n$/)
    // Keepalive newlines, then a full resync at offset 100.
    t.srv.masterLinkRead?.(1, `\n+FULLRESYNC ${REPLID} 100\r\n`)
    const rdb = payload()
    t.srv.masterLinkRead?.(1, rdb.slice(0, 20))
    const info = t.run('INFO', 'replication')
    expect(info.type === 'bulk' && info.value).toContain('master_sync_in_progress:1\r\n')
    expect(info.type === 'bulk' && info.value).toMatch(/master_sync_read_bytes:\d+\r\n/)
    const stream = respEncodeCommand(['SELECT', '0']) + respEncodeCommand(['SET', 'new', 'x'])
    t.srv.masterLinkRead?.(1, rdb.slice(20) + stream)
    expect(t.run('GET', 'old')).toEqual({ type: 'bulk', value: null })
    expect(t.run('GET', 'k')).toEqual({ type: 'bulk', value: 'v' })
    expect(t.run('GET', 'new')).toEqual({ type: 'bulk', value: 'x' })
    const role = t.run('ROLE')
    expect(role.type === 'array' && role.value?.slice(3)).toEqual([
      { type: 'bulk', value: 'connected' },
      { type: 'integer', value: 100 + stream.length },
    ])
    const after = t.run('INFO', 'replication')
    expect(after.type === 'bulk' && after.value).toContain(`master_replid:${REPLID}\r\n`)
    expect(after.type === 'bulk' && after.value).toContain('master_link_status:up\r\n')
    expect(t.logged).toEqual(
      expect.arrayContaining([
        'Non blocking connect for SYNC fired the event.',
        'Master replied to PING, replication can continue...',
        `Full resync from master: ${REPLID}:100`,
        `MASTER <-> REPLICA sync: receiving ${/^\$(\d+)/.exec(rdb)?.[1] ?? '?'} bytes from master to disk`,
        'MASTER <-> REPLICA sync: Flushing old data',
        'MASTER <-> REPLICA sync: Loading DB in memory',
        'MASTER <-> REPLICA sync: Finished with success',
      ]),
    )
    // GETACK is answered with the offset before it; once a second the replica ACKs.
    t.takeWritten()
    const getack = respEncodeCommand(['REPLCONF', 'GETACK', '*'])
    t.srv.masterLinkRead?.(1, getack)
    expect(t.takeWritten()).toBe(
      respEncodeCommand(['REPLCONF', 'ACK', String(100 + stream.length)]),
    )
    t.srv.tick(1000)
    expect(t.takeWritten()).toBe(
      respEncodeCommand(['REPLCONF', 'ACK', String(100 + stream.length + getack.length)]),
    )
  })

  it('logs an error the master is sent, without answering it', () => {
    const t = handshaken()
    t.srv.masterLinkRead?.(1, `+OK\r\n+OK\r\n+FULLRESYNC ${REPLID} 0\r\n${payload()}`)
    t.takeWritten()
    t.srv.masterLinkRead?.(1, respEncodeCommand(['INCR', 'k']))
    expect(t.takeWritten()).toBe('')
    expect(t.logged).toContain(
      "== CRITICAL == This replica is sending an error to its master: 'ERR value is not an integer or out of range' after processing the command 'incr'",
    )
  })

  it('applies a big argument that comes in many reads, each command once it is whole', () => {
    const t = handshaken()
    t.srv.masterLinkRead?.(1, `+OK\r\n+OK\r\n+FULLRESYNC ${REPLID} 0\r\n${payload()}`)
    const value = 'v'.repeat(200_000)
    const big = respEncodeCommand(['SET', 'big', value])
    const next = respEncodeCommand(['SET', 'after', '1'])
    // Cut inside the headers first, then through the value; the last read ends the SET.
    const cuts = [3, 9, 17, 20]
    for (let at = 1000; at < big.length; at += 7919) cuts.push(at)
    let from = 0
    for (const to of cuts) {
      t.srv.masterLinkRead?.(1, big.slice(from, to))
      expect(t.run('EXISTS', 'big')).toEqual({ type: 'integer', value: 0 })
      from = to
    }
    t.srv.masterLinkRead?.(1, big.slice(from))
    expect(t.run('STRLEN', 'big')).toEqual({ type: 'integer', value: value.length })
    expect(t.run('GET', 'big')).toEqual({ type: 'bulk', value })
    // The next command, cut in its value's header, runs once its last byte is read.
    t.srv.masterLinkRead?.(1, next.slice(0, -3))
    expect(t.run('EXISTS', 'after')).toEqual({ type: 'integer', value: 0 })
    t.srv.masterLinkRead?.(1, next.slice(-3))
    expect(t.run('GET', 'after')).toEqual({ type: 'bulk', value: '1' })
    const role = t.run('ROLE')
    expect(role.type === 'array' && role.value?.[4]).toEqual({
      type: 'integer',
      value: big.length + next.length,
    })
  })

  it('goes on with the stream after a big command a CLIENT PAUSE held', () => {
    const t = handshaken()
    t.srv.masterLinkRead?.(1, `+OK\r\n+OK\r\n+FULLRESYNC ${REPLID} 0\r\n${payload()}`)
    const big = respEncodeCommand(['SET', 'big', 'v'.repeat(100_000)])
    const next = respEncodeCommand(['SET', 'after', '1'])
    t.srv.masterLinkRead?.(1, big.slice(0, 1000))
    t.run('CLIENT', 'PAUSE', '100000', 'WRITE')
    // The SET is whole and held by the pause; the short one after it waits behind it.
    t.srv.masterLinkRead?.(1, big.slice(1000) + next)
    expect(t.run('EXISTS', 'big', 'after')).toEqual({ type: 'integer', value: 0 })
    t.run('CLIENT', 'UNPAUSE')
    expect(t.run('EXISTS', 'big', 'after')).toEqual({ type: 'integer', value: 2 })
  })

  it('requestNeed: how long a request cut in its value must grow, as its headers tell', () => {
    const set = respEncodeCommand(['SET', 'k', 'abcdefghij'])
    expect(requestNeed(set.slice(0, -4), 0)).toBe(set.length)
    expect(requestNeed('xx' + set.slice(0, -1), 2)).toBe(set.length)
    // A header line cut, or no multibulk: nothing is known.
    expect(requestNeed(set.slice(0, 15), 0)).toBe(0)
    expect(requestNeed('PING\r\n', 0)).toBe(0)
    // Whole: nothing more is needed.
    expect(requestNeed(set, 0)).toBe(0)
  })

  it('times out a silent handshake and a silent master (repl-timeout), and connects again', () => {
    const t = handshaken({ 'repl-timeout': '5' })
    t.srv.tick(7000)
    expect(t.logged).toContain('Timeout connecting to the MASTER...')
    expect(t.asked).toEqual(['connect 1 127.0.0.1:6000', 'close 1', 'connect 2 127.0.0.1:6000'])
    t.srv.masterLinkConnected?.(2)
    t.srv.masterLinkRead?.(2, `+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC ${REPLID} 0\r\n${payload()}`)
    expect(t.run('GET', 'k')).toEqual({ type: 'bulk', value: 'v' })
    t.srv.tick(7000)
    expect(t.logged).toContain('MASTER timeout: no data nor PING received...')
    const info = t.run('INFO', 'replication')
    expect(info.type === 'bulk' && info.value).toContain('master_link_status:down\r\n')
    expect(t.asked.slice(-2)).toEqual(['close 2', 'connect 3 127.0.0.1:6000'])
  })

  it('a refused connect is logged and retried by the cron; the master closing loses the link', () => {
    const t = setup()
    t.run('REPLICAOF', '127.0.0.1', '6000')
    t.srv.masterLinkClosed?.(1, 'Connection refused')
    expect(t.logged).toContain('Error condition on socket for SYNC: Connection refused')
    t.srv.tick(1000)
    expect(t.asked).toEqual(['connect 1 127.0.0.1:6000', 'connect 2 127.0.0.1:6000'])
    t.srv.masterLinkConnected?.(2)
    t.srv.masterLinkRead?.(2, `+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC ${REPLID} 0\r\n${payload()}`)
    t.clock.advance(3000)
    t.srv.masterLinkClosed?.(2, null)
    expect(t.logged).toEqual(
      expect.arrayContaining([
        'Connection with master lost.',
        'Caching the disconnected master state.',
      ]),
    )
    const info = t.run('INFO', 'replication')
    expect(info.type === 'bulk' && info.value).toContain('master_link_down_since_seconds:0\r\n')
    // Reconnecting at once, it asks to go on where it was.
    t.srv.masterLinkConnected?.(3)
    t.srv.masterLinkRead?.(3, '+PONG\r\n+OK\r\n+OK\r\n')
    expect(t.logged).toContain(`Trying a partial resynchronization (request ${REPLID}:1).`)
  })
})
