/**
 * redis-cli against our server prints what it prints against redis-server: one-shot
 * commands (reply formatting for each type) and a batch fed on stdin.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { CONFORMANCE_SEED } from './harness.ts'
import { requireBinary, startRealRedis, type RealRedis } from './redisProcess.ts'

let real: RealRedis
let ours: RespServerHandle

beforeAll(async () => {
  requireBinary('redis-server')
  requireBinary('redis-cli')
  real = await startRealRedis()
  ours = await startRespServer({ seed: CONFORMANCE_SEED })
})

afterAll(async () => {
  await Promise.all([real?.stop(), ours?.close()])
})

function cli(port: number, args: readonly string[], input?: string): string {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], {
    input: input ?? '',
    encoding: 'latin1',
    timeout: 10_000,
  })
  return `${r.stdout}${r.stderr}[exit ${String(r.status)}]`
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
    it(`redis-cli ${args.join(' ')}`, () => {
      expect(cli(ours.port, args)).toBe(cli(real.port, args))
    })
  }

  it('a batch of commands on stdin (--no-raw and --raw)', () => {
    const batch = 'SET x 10\nINCR x\nGET x\nMGET x y\nDEL x y\nPING\nSELECT 3\nDBSIZE\n'
    for (const mode of [['--no-raw'], ['--raw']]) {
      expect(cli(ours.port, mode, batch)).toBe(cli(real.port, mode, batch))
    }
  })
})
