/**
 * RESTORE of corrupt DUMP payloads on a real redis-server 7.0.15 and our server, replies
 * compared byte for byte: a fixed-seed sample of test/arbitraries/corruptPayload.ts (every type
 * and encoding, legacy ones too, mutated, with a correct checksum), under
 * sanitize-dump-payload yes and no. After each RESTORE, TYPE, OBJECT ENCODING and DEBUG
 * DIGEST-VALUE of the key are compared too (the digest is order-independent, so a dict's
 * hash seed does not matter). With sanitize-dump-payload no Redis may accept a payload and
 * then crash on it (an assertion in RESTORE itself): such a payload is left out (the server
 * is started again) and counted; the crashes must stay few.
 */
import { fc } from '@fast-check/vitest'
import { afterAll, describe, expect, it } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { connectRaw, type RawClient } from '../server/rawClient.ts'
import { corruptPayloadArb } from '../arbitraries/corruptPayload.ts'
import { cliQuote } from './script.ts'
import { startRealRedis, type RealRedis } from './redisProcess.ts'

const RUNS = 600

interface Side {
  stop(): Promise<void>
  client: RawClient
}

async function realSide(sanitize: string): Promise<Side & { real: RealRedis }> {
  const real = await startRealRedis(['--enable-debug-command', 'yes'], { tcp: false })
  const client = await connectRaw(real.socket)
  await client.command('CONFIG', 'SET', 'sanitize-dump-payload', sanitize)
  return { real, client, stop: () => real.stop() }
}

async function oursSide(sanitize: string): Promise<Side> {
  const ours: RespServerHandle = await startRespServer({ seed: 1, enableDebugCommand: 'yes' })
  const client = await connectRaw(ours.port)
  await client.command('CONFIG', 'SET', 'sanitize-dump-payload', sanitize)
  return { client, stop: () => ours.close() }
}

describe('RESTORE of corrupt payloads, compared with redis-server 7.0', () => {
  const sides: Side[] = []
  afterAll(async () => {
    for (const s of sides) {
      s.client.close()
      await s.stop()
    }
  })

  for (const [sanitize, seed] of [
    ['yes', 20261124],
    ['no', 20261125],
  ] as const) {
    it(`sanitize-dump-payload ${sanitize}: the same replies`, async () => {
      let real = await realSide(sanitize)
      const ours = await oursSide(sanitize)
      sides.push(ours)
      const mismatches: string[] = []
      let crashes = 0
      for (const payload of fc.sample(corruptPayloadArb, { numRuns: RUNS, seed })) {
        const steps = [
          ['RESTORE', 'k', '0', payload, 'REPLACE'],
          ['TYPE', 'k'],
          ['OBJECT', 'ENCODING', 'k'],
          ['DEBUG', 'DIGEST-VALUE', 'k'],
          ['DEL', 'k'],
        ]
        for (const argv of steps) {
          const b = await ours.client.command(...argv)
          let a: string
          try {
            a = (await real.client.command(...argv)).raw
          } catch {
            // Redis died on a payload it took unsanitized (a crash we do not emulate).
            crashes++
            real.client.close()
            await real.stop()
            real = await realSide(sanitize)
            await ours.client.command('DEL', 'k')
            break
          }
          if (a !== b.raw) {
            mismatches.push(`${argv.map(cliQuote).join(' ')}\n  real ${a}\n  ours ${b.raw}`)
            await ours.client.command('DEL', 'k')
            await real.client.command('DEL', 'k')
            break
          }
        }
      }
      sides.push(real)
      expect(mismatches.join('\n')).toBe('')
      expect(crashes).toBeLessThan(RUNS / 50)
    }, 120_000)
  }
})
