/**
 * DEBUG SLEEP on the RESP server (real clock): the server really sleeps, as Redis's nanosleep
 * blocks it, so the command's own duration in the slow log is the time asked for, and another
 * connection's command waits for it.
 */
import { afterEach, expect, it } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { connectRaw, type RawClient } from './rawClient.ts'

let handle: RespServerHandle | null = null
const open: RawClient[] = []

afterEach(async () => {
  for (const c of open.splice(0)) c.close()
  await handle?.close()
})

it('blocks the server for the time asked, and the slow log shows it', async () => {
  handle = await startRespServer({ enableDebugCommand: 'yes' })
  const a = await connectRaw(handle.port)
  const b = await connectRaw(handle.port)
  open.push(a, b)
  expect((await a.command('CONFIG', 'SET', 'slowlog-log-slower-than', '0')).raw).toBe('+OK\r\n')
  const order: string[] = []
  const sleeping = a.command('DEBUG', 'SLEEP', '0.3').then((r) => order.push(`a ${r.raw}`))
  // Sent while the server sleeps (or just before): answered only after the sleep's OK.
  const ping = b.command('PING').then((r) => order.push(`b ${r.raw}`))
  await Promise.all([sleeping, ping])
  const log = await a.command('SLOWLOG', 'GET', '-1')
  const entries = log.reply.type === 'array' ? (log.reply.value ?? []) : []
  const durations = new Map<string, number>()
  for (const e of entries) {
    const f = e.type === 'array' ? (e.value ?? []) : []
    const argv = f[3]?.type === 'array' ? (f[3].value ?? []) : []
    const name = argv.map((x) => (x.type === 'bulk' ? x.value : '')).join(' ')
    durations.set(name, f[2]?.type === 'integer' ? Number(f[2].value) : -1)
  }
  const duration = durations.get('DEBUG SLEEP 0.3') ?? -1
  expect(duration).toBeGreaterThanOrEqual(300_000)
  expect(order[0]).toBe('a +OK\r\n')
})
