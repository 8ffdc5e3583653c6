/**
 * Every `scripts/*.redis` against a real redis-server and our server, raw bytes compared.
 * `scripts/pending-*.redis` hold lines known to fail (our bugs or features not built yet);
 * they are not run here.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runScript } from './harness.ts'
import { requireBinary } from './redisProcess.ts'
import { parseScript } from './script.ts'

const dir = join(import.meta.dirname, 'scripts')
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.redis') && !f.startsWith('pending-'))
  .sort()

describe('conformance with redis-server 7.0', () => {
  beforeAll(() => {
    requireBinary('redis-server')
  })

  it('has scripts to run', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    it(file, async () => {
      const script = parseScript(file, readFileSync(join(dir, file), 'utf8'))
      const result = await runScript(script)
      expect(result.commands).toBeGreaterThan(0)
      expect(result.mismatches.join('\n')).toBe('')
    })
  }
})
