/**
 * The process title of `npm run serve`, as redis-server 7.0.15 sets it (server.c
 * redisSetProcTitle, config.c updateProcTitleTemplate): proc-title-template expanded at
 * startup and on CONFIG SET, read back from /proc/<pid>/cmdline as the Tcl suite's
 * unit/other "Process title set as expected" reads it.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../conformance/redisProcess.ts'
import type { RawClient } from './rawClient.ts'
import { servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

async function serverPid(c: RawClient): Promise<number> {
  const raw = (await c.command('INFO', 'server')).raw
  return Number(/\r\nprocess_id:(\d+)\r\n/.exec(raw)?.[1])
}

/** The title as ps shows it: the cmdline without the NULs that pad it. */
function procTitle(pid: number): string {
  return readFileSync(`/proc/${String(pid)}/cmdline`, 'latin1').replace(/\0+$/, '')
}

describe('proc-title-template', { timeout: 60_000 }, () => {
  it('sets the process title at startup and on CONFIG SET, and refuses a bad template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-title-'))
    const s = await serve(dir, '--bind', '127.0.0.1')
    const c = await client(s.port)
    const pid = await serverPid(c)
    // The default template: "{title} {listen-addr} {server-mode}", trimmed.
    expect(procTitle(pid)).toMatch(new RegExp(`main\\.ts 127\\.0\\.0\\.1:${String(s.port)}$`))
    const template = 'TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}'
    expect((await c.command('CONFIG', 'SET', 'proc-title-template', template)).raw).toBe('+OK\r\n')
    const words = procTitle(pid).split(' ')
    expect(words[0]).toBe('TEST')
    expect(words[1]).toMatch(/main\.ts$/)
    expect(words.slice(2)).toEqual([`127.0.0.1:${String(s.port)}`, String(s.port), '0', '', '-'])
    expect((await c.command('CONFIG', 'SET', 'proc-title-template', '{invalid-var}')).raw).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables\r\n",
    )
    expect(procTitle(pid).startsWith('TEST ')).toBe(true)
    // CONFIG SET port moves the listening address in the title too (changeListenPort).
    const port = await freePort()
    expect((await c.command('CONFIG', 'SET', 'port', String(port))).raw).toBe('+OK\r\n')
    expect(procTitle(pid).split(' ').slice(2, 4)).toEqual([
      `127.0.0.1:${String(port)}`,
      String(port),
    ])
  })
})
