/**
 * Client eviction (maxmemory-clients), against redis-server 7.0.15: clients that sent most
 * of a big command and stopped (maxmemory.tcl's "input buffer of a dead client") hold its
 * arguments, which count in used_memory and in their client memory; once the normal
 * clients' memory reaches maxmemory-clients, evictClients frees clients from the biggest
 * bucket down, oldest in the bucket first, and never one with CLIENT NO-EVICT on. Nothing
 * here depends on the kernel's socket buffers: the clients' memory is all input.
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile, type BothServers } from './bothServers.ts'

const servers: BothServers = bothServersPerFile({ tcp: true })

/** 249 of the 250 bulks of 1000 bytes of a command that never completes. */
const DEAD_COMMAND = '*250\r\n' + ('$1000\r\n' + 'x'.repeat(1000) + '\r\n').repeat(249)

const info = async (c: RawClient, field: string): Promise<number> =>
  Number(new RegExp(`${field}:(\\d+)`).exec(String((await c.command('INFO')).reply.value))?.[1])

async function run(connect: () => Promise<RawClient>): Promise<string[]> {
  const c = await connect()
  const dead: RawClient[] = []
  const seen: string[] = []
  try {
    await c.command('CLIENT', 'NO-EVICT', 'ON')
    await c.command('CONFIG', 'SET', 'maxmemory-clients', '1mb')
    await c.command('CONFIG', 'RESETSTAT')
    const before = await info(c, 'used_memory')
    for (let i = 0; i < 5; i++) {
      const d = await connect()
      dead.push(d)
      await d.command('CLIENT', 'SETNAME', `dead${String(i)}`)
      d.send(DEAD_COMMAND)
      // Until the server has read it all (or evicted it).
      for (;;) {
        const list = String((await c.command('CLIENT', 'LIST')).reply.value)
        if (
          list.includes(`name=dead${String(i)} `) === false ||
          /argv-mem=249000 /.test(
            list.split('\n').find((l) => l.includes(`name=dead${String(i)} `)) ?? '',
          )
        )
          break
      }
      const list = String((await c.command('CLIENT', 'LIST')).reply.value)
      const names = [...list.matchAll(/name=(dead\d)/g)].map((m) => m[1]).join(',')
      seen.push(`${String(i)}: evicted=${String(await info(c, 'evicted_clients'))} left=${names}`)
      if (i === 1) {
        // Each dead client holds ~289 KB: the array, and 249 objects of 1040 bytes.
        const grown = (await info(c, 'used_memory')) - before
        seen.push(`grown ~${String(Math.round(grown / 10000))}0 KB`)
      }
    }
    // The evicted ones saw their connection closed with nothing sent.
    for (const d of dead) if (d.isClosed) seen.push(JSON.stringify(await d.closed()))
    return seen
  } finally {
    await c.command('CONFIG', 'SET', 'maxmemory-clients', '0')
    for (const d of dead) d.close()
    c.close()
  }
}

describe('client eviction, against redis-server', () => {
  it('evicts the oldest client of the biggest bucket once the clients pass maxmemory-clients', async () => {
    const real = await run(() => servers.connectReal())
    expect(real.some((l) => /evicted=[1-9]/.test(l))).toBe(true)
    expect(await run(() => servers.connectOurs())).toEqual(real)
  })
})
