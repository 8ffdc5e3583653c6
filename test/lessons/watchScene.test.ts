/**
 * The watch-multi scene (lessons/scenes.ts) on one connection, as the console runs it: the
 * first EXEC is aborted by the client's own write to the watched key (nil), the second runs.
 */
import { expect, it } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { sceneById } from '../../src/lessons/scenes.ts'

it('watch-multi: EXEC answers nil after the own write, then runs the queue', () => {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'summary' })
  const c = s.createClient()
  const out: { argv: string[]; reply: Reply; types: string[] }[] = []
  for (const line of sceneById('watch-multi')?.lines ?? []) {
    if (!('run' in line)) continue
    const parsed = parseCommandLine(line.run)
    if (!parsed.ok) throw new Error(line.run)
    const t = s.execute(parsed.argv, c)
    out.push({ argv: [...parsed.argv], reply: t.reply, types: t.events.map((e) => e.type) })
  }
  const execs = out.filter((x) => x.argv[0] === 'EXEC')
  expect(execs.map((x) => x.reply)).toEqual([
    { type: 'array', value: null },
    { type: 'array', value: [{ type: 'integer', value: 12 }] },
  ])
  expect(execs[0]?.types).toContain('multi/execAborted')
  expect(out[2]?.types).toContain('multi/watchTouched')
  expect(out.at(-1)?.reply).toEqual({ type: 'bulk', value: '12' })
})
