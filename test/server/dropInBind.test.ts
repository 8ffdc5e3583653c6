/**
 * Where scripts/redis-server listens, against redis-server 7.0.15 started the same way: with
 * no `bind` it listens on every IPv4 address as redis-server's default `* -::*` does (the Tcl
 * suite reaches it at the machine's own non-loopback address: unit/introspection's protected
 * configs), and `bind ""` (config.c setConfigBindOption: no address) opens no TCP socket at
 * all until a CONFIG SET bind names one (unit/networking's "Default bind address
 * configuration handling"); with no unix socket either, it logs that and exits.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, requireBinary } from '../conformance/redisProcess.ts'
import { connectRaw, pingOrRefused, type RawClient } from './rawClient.ts'
import { logLines } from './served.ts'

requireBinary('redis-server')

const running: { kill: () => void }[] = []
const clients: RawClient[] = []

afterAll(() => {
  for (const c of clients) c.close()
  for (const r of running) r.kill()
})

interface Started {
  readonly port: number
  readonly dir: string
  /** Its exit code once it ends (null while running). */
  readonly exited: Promise<number | null>
  readonly ready: boolean
}

/**
 * `<bin> redis.conf` in a fresh directory, the config holding `port`, `dir` and `lines`;
 * resolves once it logs that it is ready or exits first.
 */
async function start(bin: string, lines: string[]): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'xray-bind-'))
  const port = await freePort()
  const conf = [`port ${String(port)}`, `dir ${dir}`, 'save ""', `logfile ${dir}/log`, ...lines]
  writeFileSync(join(dir, 'redis.conf'), `${conf.join('\n')}\n`)
  const child = spawn(bin, [join(dir, 'redis.conf')], { cwd: dir, stdio: 'ignore' })
  running.push({ kill: () => child.kill('SIGKILL') })
  const exited = new Promise<number | null>((done) => child.once('exit', done))
  let ended = false
  void exited.then(() => (ended = true))
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'log'), 'latin1')
    } catch {
      return ''
    }
  }
  // "Ready to accept connections" for a TCP socket, "... ready to accept connections at
  // <path>" for the unix one.
  while (!ended && !/ready to accept connections/i.test(log())) {
    await new Promise((r) => setTimeout(r, 50))
  }
  return { port, dir, exited, ready: !ended }
}

function ours(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xray-dropin-'))
  symlinkSync(resolve('scripts/redis-server'), join(dir, 'redis-server'))
  return join(dir, 'redis-server')
}

/** The IPv4 addresses (dotted) a TCP socket listens on at `port`, from /proc/net/tcp. */
function listeningOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  return readFileSync('/proc/net/tcp', 'latin1')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) === true && f[3] === '0A')
    .map((f) => {
      const hex = (f[1] ?? '').slice(0, 8)
      // Little-endian: 0100007F is 127.0.0.1.
      return [6, 4, 2, 0].map((i) => String(parseInt(hex.slice(i, i + 2), 16))).join('.')
    })
}

/** What a client sees of a server started with `bind ""` and a unix socket. */
async function noAddressTranscript(bin: string): Promise<string[]> {
  const s = await start(bin, ['bind ""', 'unixsocket sock', 'enable-debug-command yes'])
  const seen = [String(s.ready), await pingOrRefused(s.port, clients)]
  const u = await connectRaw(join(s.dir, 'sock'))
  clients.push(u)
  seen.push((await u.command('CONFIG', 'GET', 'bind')).raw)
  seen.push((await u.command('CONFIG', 'SET', 'bind', '127.0.0.1')).raw)
  seen.push(await pingOrRefused(s.port, clients))
  await u.command('SHUTDOWN', 'NOSAVE').catch(() => undefined)
  seen.push(String(await s.exited))
  return seen
}

describe('scripts/redis-server listening addresses, as redis-server', { timeout: 60_000 }, () => {
  it('listens on every IPv4 address when no bind is given', async () => {
    const real = await start('redis-server', [])
    const mine = await start(ours(), [])
    expect(listeningOn(real.port)).toEqual(['0.0.0.0'])
    expect(listeningOn(mine.port)).toEqual(['0.0.0.0'])
  })

  it('opens no TCP socket for bind "" until CONFIG SET bind names an address', async () => {
    const want = await noAddressTranscript('redis-server')
    expect(want.slice(0, 2)).toEqual(['true', 'refused'])
    expect(await noAddressTranscript(ours())).toEqual(want)
  })

  it('exits when bind "" leaves it nowhere to listen (no unix socket either)', async () => {
    const lastLine = async (bin: string): Promise<[number | null, string | undefined]> => {
      const s = await start(bin, ['bind ""'])
      const code = await s.exited
      return [code, logLines(readFileSync(join(s.dir, 'log'), 'latin1')).at(-1)]
    }
    const want = await lastLine('redis-server')
    expect(want).toEqual([1, '# Configured to not listen anywhere, exiting.'])
    expect(await lastLine(ours())).toEqual(want)
  })
})
