/**
 * redis-cli against our server prints what it prints against redis-server: one-shot
 * commands (reply formatting for each type) and a batch fed on stdin.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { CONFORMANCE_SEED, oursSocketPath } from './harness.ts'
import { requireBinary, startRealRedis, type RealRedis } from './redisProcess.ts'

let real: RealRedis
let ours: RespServerHandle

beforeAll(async () => {
  requireBinary('redis-server')
  requireBinary('redis-cli')
  real = await startRealRedis([], { tcp: false })
  ours = await startRespServer({ seed: CONFORMANCE_SEED, path: oursSocketPath() })
})

afterAll(async () => {
  await Promise.all([real?.stop(), ours?.close()])
})

/**
 * Runs redis-cli asynchronously (our server lives in this process's event loop). Without input
 * its stdin is /dev/null: a one-shot redis-cli never reads stdin and may exit before a pipe is
 * closed, and writing to that pipe then fails with EPIPE.
 */
function cli(socket: string, args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-s', socket, ...args], {
      stdio: [input === '' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('latin1')))
    child.stderr?.on('data', (d: Buffer) => (out += d.toString('latin1')))
    child.on('error', reject)
    child.on('close', (code) => resolve(`${out}[exit ${String(code)}]`))
    if (input !== '') child.stdin?.end(input)
  })
}

const ONE_SHOT: readonly (readonly string[])[] = [
  ['PING'],
  ['SET', 'greeting', 'hello world'],
  ['GET', 'greeting'],
  ['GET', 'missing'],
  ['INCR', 'counter'],
  ['INCRBY', 'counter', '41'],
  ['MSET', 'a', '1', 'b', '2'],
  ['MGET', 'a', 'missing', 'b'],
  ['EXISTS', 'a', 'b', 'missing'],
  ['DEL', 'a'],
  ['TYPE', 'greeting'],
  ['NOSUCHCOMMAND', 'x'],
  ['GET'],
  ['INCR', 'greeting'],
  ['ECHO', 'bytes \u00ff\u0001'],
]

describe('redis-cli output', () => {
  for (const args of ONE_SHOT) {
    it(`redis-cli ${args.join(' ')}`, async () => {
      expect(await cli(ours.path as string, args)).toBe(await cli(real.socket, args))
    })
  }

  it('a batch of commands on stdin (--no-raw and --raw)', async () => {
    const batch = 'SET x 10\nINCR x\nGET x\nMGET x y\nDEL x y\nPING\nSELECT 3\nDBSIZE\n'
    for (const mode of [['--no-raw'], ['--raw']]) {
      expect(await cli(ours.path as string, mode, batch)).toBe(await cli(real.socket, mode, batch))
    }
  })
})
