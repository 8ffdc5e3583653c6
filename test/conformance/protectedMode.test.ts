/**
 * Protected mode against redis-server 7.0.15 (networking.c clientAcceptHandler): with
 * protected-mode on and no password for the default user, a client that is not local is
 * answered -DENIED and closed, counted in rejected_connections and not in
 * total_connections_received. Local means a unix socket or a peer of exactly 127.0.0.1 or
 * ::1 (islocalClient): a client connecting from 127.0.0.2 over loopback is not local.
 */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile, type BothServers } from './bothServers.ts'

const servers: BothServers = bothServersPerFile({ tcp: true })

/** Connects from 127.0.0.2, sends `bytes`, and returns all it gets until the server closes or goes quiet. */
async function fromOtherAddress(port: number, bytes: string): Promise<string> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' })
  socket.on('error', () => {})
  let got = ''
  socket.on('data', (d: Buffer) => (got += d.toString('latin1')))
  socket.write(bytes)
  await new Promise<void>((resolve) => {
    const quiet = setInterval(() => {
      if (got.endsWith('\r\n') && !got.startsWith('-DENIED')) {
        clearInterval(quiet)
        resolve()
      }
    }, 20)
    socket.on('close', () => {
      clearInterval(quiet)
      resolve()
    })
  })
  socket.destroy()
  return got
}

const stat = async (c: RawClient, name: string): Promise<number> =>
  Number(
    new RegExp(`${name}:(\\d+)`).exec(String((await c.command('INFO', 'stats')).reply.value))?.[1],
  )

async function run(port: number, connect: () => Promise<RawClient>): Promise<string[]> {
  const c = await connect()
  const seen: string[] = []
  try {
    await c.command('CONFIG', 'SET', 'protected-mode', 'yes')
    const rejected = await stat(c, 'rejected_connections')
    const received = await stat(c, 'total_connections_received')
    seen.push(await fromOtherAddress(port, 'PING\r\n'))
    seen.push(`rejected +${String((await stat(c, 'rejected_connections')) - rejected)}`)
    seen.push(`received +${String((await stat(c, 'total_connections_received')) - received)}`)
    // A password for the default user lets it in.
    await c.command('CONFIG', 'SET', 'requirepass', 'secret')
    seen.push(await fromOtherAddress(port, 'AUTH secret\r\nPING\r\n'))
    await c.command('CONFIG', 'SET', 'requirepass', '')
    // So does protected-mode no.
    await c.command('CONFIG', 'SET', 'protected-mode', 'no')
    seen.push(await fromOtherAddress(port, 'PING\r\n'))
    return seen
  } finally {
    c.close()
  }
}

describe('protected mode, against redis-server', () => {
  it('refuses a client that is not local while the default user has no password', async () => {
    const real = await run(servers.realPort(), () => servers.connectReal())
    expect(real[0]).toMatch(/^-DENIED Redis is running in protected mode/)
    expect(await run(servers.oursPort(), () => servers.connectOurs())).toEqual(real)
  })
})
