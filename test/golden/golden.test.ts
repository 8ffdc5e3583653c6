/**
 * Golden traces (style.md §8): scenario scripts (*.redis, one command a line in redis-cli
 * syntax) run on a fresh engine with seed 1 and trace 'full'; each command's reply and events
 * are compared with the recorded *.trace.json beside the script. A change in what the engine
 * reports shows up as a diff to review. Update on purpose with `npx vitest run test/golden -u`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { createServer, manualClock } from '../../src/engine/index.ts'

const dir = import.meta.dirname
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.redis'))
  .sort()

function record(file: string): string {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
  const out: unknown[] = []
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue
    const parsed = parseCommandLine(line)
    if (!parsed.ok) throw new Error(`${file}: cannot parse ${line}`)
    const t = s.execute(parsed.argv)
    out.push({ argv: t.argv, reply: t.reply, events: t.events })
  }
  return `${JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? `${v.toString()}n` : v), 1)}\n`
}

describe('golden traces', () => {
  it.each(scripts)('%s', async (file) => {
    await expect(record(file)).toMatchFileSnapshot(
      join(dir, file.replace(/\.redis$/, '.trace.json')),
    )
  })

  it('records the scenarios the design names', () => {
    const intset = record('intset-upgrade.redis')
    expect(intset).toContain('"intset/upgraded"')
    expect(intset).toContain('"object/encodingConverted"')
    expect(record('dict-expand.redis')).toContain('"dict/expandStarted"')
    expect(record('zset-skiplist.redis')).toContain('"zsl/levelDrawn"')
  })
})
