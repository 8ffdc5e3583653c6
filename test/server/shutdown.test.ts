/**
 * SHUTDOWN on each host. Its options, ABORT and their errors are Redis's own; a SHUTDOWN that
 * would stop the server answers an error worded for any host, and the RESP server adds how to
 * stop it there (the browser app answers without it: test/state/shutdown.test.ts).
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

it('says how to stop `npm run serve`, and answers ABORT and bad options as Redis does', async () => {
  handle = await startRespServer({})
  const c = await connectRaw(handle.port)
  open.push(c)
  expect((await c.command('SHUTDOWN', 'NOSAVE')).raw).toBe(
    '-ERR SHUTDOWN is not supported by this server (Redis X-Ray does not model shutting the server down; stop `npm run serve` with Ctrl-C)\r\n',
  )
  expect((await c.command('shutdown', 'abort')).raw).toBe('-ERR No shutdown in progress.\r\n')
  expect((await c.command('SHUTDOWN', 'FOO')).raw).toBe('-ERR syntax error\r\n')
  expect((await c.command('SHUTDOWN', 'SAVE', 'NOSAVE')).raw).toBe('-ERR syntax error\r\n')
  expect((await c.command('SHUTDOWN', 'ABORT', 'NOW')).raw).toBe('-ERR syntax error\r\n')
  // The server is still up.
  expect((await c.command('PING')).raw).toBe('+PONG\r\n')
})
