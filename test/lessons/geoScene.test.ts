import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { StepEvent, StepEventOf } from '../../src/engine/events.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { sceneById } from '../../src/lessons/scenes.ts'

function bulks(r: Reply | undefined): (string | null)[] {
  if (r?.type !== 'array' || r.value === null) throw new Error('not an array')
  return r.value.map((x) => (x.type === 'bulk' ? x.value : null))
}

describe('the geo-search scene', () => {
  it('checks every claim its notes make', () => {
    const scene = sceneById('geo-search')
    if (scene === undefined) throw new Error('no geo-search scene')
    const s = createServer({ seed: 42, clock: manualClock(), trace: 'full' })
    const traces: { run: string; reply: Reply; events: readonly StepEvent[] }[] = []
    for (const line of scene.lines) {
      if (!('run' in line)) continue
      const parsed = parseCommandLine(line.run)
      if (!parsed.ok) throw new Error(`cannot parse ${line.run}`)
      const t = s.execute(parsed.argv)
      expect(t.reply.type).not.toBe('error')
      traces.push({ run: line.run, reply: t.reply, events: t.events })
    }
    const at = (prefix: string) => {
      const t = traces.find((x) => x.run.startsWith(prefix))
      if (!t) throw new Error(`no line ${prefix}`)
      return t
    }
    const of = <T extends StepEvent['type']>(events: readonly StepEvent[], type: T) =>
      events.filter((e): e is StepEventOf<T> => e.type === type)

    // GEOADD: five members encoded, each score the interleaved cell numbers.
    const add = at('GEOADD')
    expect(add.reply).toEqual({ type: 'integer', value: 5 })
    expect(of(add.events, 'geo/memberEncoded').map((e) => e.outcome)).toEqual(
      Array(5).fill('added'),
    )
    expect(at('ZSCORE').reply).toEqual({ type: 'bulk', value: '3479099956230698' })
    expect(at('OBJECT ENCODING').reply).toEqual({ type: 'bulk', value: 'listpack' })
    expect(bulks(at('GEOHASH').reply)).toEqual(['sqc8b49rny0', 'sr2ykk5t6k0'])
    // GEOPOS: the cell centre, not the input 13.361389 38.115556.
    const pos = at('GEOPOS').reply
    expect(pos.type === 'array' && bulks(pos.value?.[0])).toEqual([
      '13.36138933897018433',
      '38.11555639549629859',
    ])
    expect(at('GEODIST').reply).toEqual({ type: 'bulk', value: '166.2742' })

    const search = at('GEOSEARCH')
    const [plan] = of(search.events, 'geo/searchPlanned')
    expect(plan?.step).toBe(5)
    const kept = of(search.events, 'geo/candidateChecked').filter((c) => c.kept)
    expect(kept.map((c) => c.member).sort()).toEqual(['Catania', 'Naples', 'Palermo'])
    const [res] = of(search.events, 'geo/resultsSorted')
    expect(res?.found).toBe(3)
    expect(res?.returned.map((r) => r.member)).toEqual(['Catania', 'Palermo'])
    expect(search.reply).toMatchObject({
      type: 'array',
      value: [
        { value: [{ value: 'Catania' }, { value: '56.4413' }] },
        { value: [{ value: 'Palermo' }, { value: '190.4424' }] },
      ],
    })
    expect(s.inspect('cities')?.kind).toBe('geo')
  })
})
