/**
 * `unixsocket` beside the port, as redis-server 7.0.15 serves it: both listen, a unix-socket
 * client is flags=U with the socket's path (port 0) as addr and laddr, unixsocketperm sets
 * the file's mode (the default bind's two TCP sockets and the unix one come before the first
 * client's fd, 9), the log says where it is ready and, at shutdown, that the file is removed.
 * Lines and fields read from redis-server given the same options.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { logLines, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

describe('npm run serve with unixsocket', { timeout: 120_000 }, () => {
  it('serves the socket beside the port and removes it at shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-unix-'))
    const sock = join(dir, 'redis.sock')
    const s = await serve(
      dir,
      '--unixsocket',
      sock,
      '--unixsocketperm',
      '700',
      '--loglevel',
      'verbose',
    )
    expect(statSync(sock).mode & 0o777).toBe(0o700)
    const u = await client(sock)
    const info = (await u.command('CLIENT', 'INFO')).raw
    expect(info).toMatch(
      new RegExp(
        `^\\$\\d+\\r\\nid=3 addr=${sock}:0 laddr=${sock}:0 fd=9 name= age=0 idle=0 flags=U db=0 `,
      ),
    )
    const t = await client(s.port)
    expect((await t.command('CLIENT', 'INFO')).raw).toMatch(
      / fd=10 name= age=0 idle=0 flags=N db=0 /,
    )
    u.sendCommand(['SHUTDOWN', 'NOSAVE'])
    expect(await s.exited).toBe(0)
    expect(existsSync(sock)).toBe(false)
    const lines = logLines(s.log())
    expect(lines.filter((l) => l.includes(sock) || l.includes('unix socket'))).toEqual([
      `* The server is now ready to accept connections at ${sock}`,
      `- Accepted connection to ${sock}`,
      '* Removing the unix socket file.',
    ])
  })
})
