/**
 * CONFIG SET port against redis-server 7.0.15 (config.c updatePort, server.c
 * changeListenPort): a port another socket holds fails with Redis's error and rolls back
 * every value of the command, the server still listening where it was; a free port moves
 * the listening socket there (connections stay); port 0 closes it.
 */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { connectRaw, pingOrRefused, type RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { freePort } from './redisProcess.ts'

// The oracle starts with no TCP port (its unix socket only), so only the ports set here are TCP.
const servers = bothServersPerFile()

/** A socket listening on a free loopback port, as the Tcl suite's dummy server holds one. */
async function holdPort(): Promise<{ port: number; close: () => void }> {
  const port = await freePort()
  const srv = net.createServer()
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject)
    srv.listen(port, '127.0.0.1', resolve)
  })
  return { port, close: () => srv.close() }
}

async function refused(port: number): Promise<string> {
  try {
    ;(await connectRaw(port)).close()
    return `port ${String(port)} accepts`
  } catch {
    return 'refused'
  }
}

/** What each step sees on one server. */
async function transcript(connect: () => Promise<RawClient>): Promise<string[]> {
  const seen: string[] = []
  const held = await holdPort()
  const c = await connect()
  const open: RawClient[] = [c]
  try {
    const before = (await c.command('CONFIG', 'GET', 'port')).raw
    const busy = String(held.port)
    seen.push((await c.command('CONFIG', 'SET', 'maxmemory', '10000001', 'port', busy)).raw)
    seen.push((await c.command('CONFIG', 'GET', 'maxmemory')).raw)
    seen.push((await c.command('CONFIG', 'GET', 'port')).raw === before ? 'port kept' : 'moved')
    const free = await freePort()
    seen.push((await c.command('CONFIG', 'SET', 'port', String(free))).raw)
    const moved = await connectRaw(free)
    open.push(moved)
    seen.push((await moved.command('PING')).raw)
    const info = (await moved.command('INFO', 'server')).raw
    seen.push(info.includes(`tcp_port:${String(free)}\r\n`) ? 'tcp_port moved' : info)
    seen.push((await moved.command('CONFIG', 'SET', 'port', '0')).raw)
    seen.push(await refused(free))
    seen.push((await moved.command('PING')).raw)
    seen.push((await c.command('PING')).raw)
  } finally {
    for (const x of open) x.close()
    held.close()
  }
  return seen
}

/** CONFIG SET bind (config.c applyBind, server.c changeBindAddr) as each step sees it. */
async function bindTranscript(connect: () => Promise<RawClient>): Promise<string[]> {
  const seen: string[] = []
  const c = await connect()
  const open: RawClient[] = [c]
  const free = await freePort()
  const ping = (): Promise<string> => pingOrRefused(free, open)
  try {
    const before = (await c.command('CONFIG', 'GET', 'bind')).raw
    const port = /\r\n(\d+)\r\n$/.exec((await c.command('CONFIG', 'GET', 'port')).raw)?.[1] ?? '0'
    seen.push((await c.command('CONFIG', 'SET', 'port', String(free))).raw)
    seen.push(await ping())
    // An address nothing can bind: the command fails, the values and the socket stay.
    seen.push((await c.command('CONFIG', 'SET', 'bind', '999.999.999.999')).raw)
    seen.push((await c.command('CONFIG', 'GET', 'bind')).raw === before ? 'bind kept' : 'changed')
    seen.push(await ping())
    // One address: the socket moves there.
    seen.push((await c.command('CONFIG', 'SET', 'bind', '127.0.0.1')).raw)
    seen.push((await c.command('CONFIG', 'GET', 'bind')).raw)
    seen.push(await ping())
    // No address: no TCP socket, the connections stay.
    seen.push((await c.command('CONFIG', 'SET', 'bind', '')).raw)
    seen.push(await ping())
    seen.push((await c.command('PING')).raw)
    seen.push((await c.command('CONFIG', 'SET', 'bind', '* -::*')).raw)
    seen.push(await ping())
    // Back where it started (the oracle on its unix socket only: port 0).
    seen.push((await c.command('CONFIG', 'SET', 'port', port)).raw)
  } finally {
    for (const x of open) x.close()
  }
  return seen
}

describe('CONFIG SET bind against redis-server', () => {
  it('fails on an address that cannot be bound, keeping the socket; moves, or closes on none', async () => {
    const want = await bindTranscript(() => servers.connectReal())
    expect(want[2]).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
    )
    expect(await bindTranscript(() => servers.connectOurs())).toEqual(want)
  })
})

describe('CONFIG SET port against redis-server', () => {
  it('fails on a port in use, moves to a free one, closes on 0, with the same bytes', async () => {
    const want = await transcript(() => servers.connectReal())
    expect(want[0]).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    )
    expect(await transcript(() => servers.connectOurs())).toEqual(want)
  })
})
