/**
 * The RESP server over the real engine honours the query limits CONFIG SET changes, as
 * networking.c does (checked against redis-server 7.0.15): proto-max-bulk-len bounds a bulk's
 * declared length (a protocol error), client-query-buffer-limit the unparsed input of one
 * client (closed with no reply).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { connectRaw } from './rawClient.ts'

let handle: RespServerHandle

beforeAll(async () => {
  handle = await startRespServer({ seed: 1 })
})

afterAll(async () => {
  await handle.close()
})

const setHeader = (len: number): string => `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${String(len)}\r\n`

describe('query limits set at run time', () => {
  it('proto-max-bulk-len: a longer bulk is a protocol error', async () => {
    const admin = await connectRaw(handle.port)
    expect((await admin.command('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).raw).toBe('+OK\r\n')
    const c = await connectRaw(handle.port)
    c.send(setHeader(1024 * 1024 + 1))
    expect(await c.closed()).toBe('-ERR Protocol error: invalid bulk length\r\n')
    const ok = await connectRaw(handle.port)
    ok.send(setHeader(1024 * 1024) + 'x'.repeat(1024 * 1024) + '\r\n')
    expect((await ok.next()).raw).toBe('+OK\r\n')
    expect((await admin.command('CONFIG', 'SET', 'proto-max-bulk-len', '512mb')).raw).toBe(
      '+OK\r\n',
    )
    for (const x of [admin, ok]) x.close()
  })

  it('client-query-buffer-limit: a client whose pending input goes past it is closed', async () => {
    const admin = await connectRaw(handle.port)
    expect((await admin.command('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).raw).toBe(
      '+OK\r\n',
    )
    // 1 MiB of data and its CRLF wait in the buffer: 2 bytes too many.
    const over = await connectRaw(handle.port)
    over.send(setHeader(1024 * 1024) + 'x'.repeat(1024 * 1024) + '\r\n')
    expect(await over.closed()).toBe('')
    const under = await connectRaw(handle.port)
    under.send(setHeader(1_048_000) + 'x'.repeat(1_048_000) + '\r\n')
    expect((await under.next()).raw).toBe('+OK\r\n')
    // Many small pipelined commands are parsed as they come: the buffer never fills.
    under.send((setHeader(1000) + 'y'.repeat(1000) + '\r\n').repeat(2000) + 'STRLEN k\r\n')
    for (let i = 0; i < 2000; i++) expect((await under.next()).raw).toBe('+OK\r\n')
    expect((await under.next()).raw).toBe(':1000\r\n')
    expect((await admin.command('CONFIG', 'SET', 'client-query-buffer-limit', '1gb')).raw).toBe(
      '+OK\r\n',
    )
    for (const x of [admin, under]) x.close()
  })
})
