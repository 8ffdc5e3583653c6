import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { StreamView } from '../../src/engine/inspectStream.ts'
import { sceneById } from '../../src/lessons/scenes.ts'

describe('the stream-nodes scene', () => {
  it('creates two listpacks, leaves a tombstone, trims the first, and fills then acks a PEL', () => {
    const scene = sceneById('stream-nodes')
    if (scene === undefined) throw new Error('no stream-nodes scene')
    const s = createServer({ seed: 42, clock: manualClock(), trace: 'summary' })
    const types: string[][] = []
    for (const line of scene.lines) {
      if (!('run' in line)) continue
      const parsed = parseCommandLine(line.run)
      if (!parsed.ok) throw new Error(`cannot parse ${line.run}`)
      const t = s.execute(parsed.argv)
      expect(t.reply.type).not.toBe('error')
      types.push(t.events.filter((e) => e.type.startsWith('stream/')).map((e) => e.type))
    }
    const runs = scene.lines.filter((l) => 'run' in l).map((l) => ('run' in l ? l.run : ''))
    const at = (prefix: string) => types[runs.findIndex((r) => r.startsWith(prefix))] ?? []
    expect(at('XADD events 1-5')).toEqual(['stream/nodeCreated', 'stream/entryAppended'])
    expect(at('XDEL')).toEqual(['stream/entryDeleted'])
    expect(at('XTRIM')).toEqual(['stream/nodeDeleted'])
    expect(at('XACK')).toEqual(['stream/groupChanged'])
    const v = s.inspect('events') as unknown as StreamView
    expect(v.nodes.map((n) => [n.master, n.entries, n.deleted])).toEqual([['1-5', 3, 0]])
    expect(v.groups[0]).toMatchObject({ name: 'workers', pending: 2, lastDeliveredId: '2-1' })
    expect(s.call(['CONFIG', 'GET', 'stream-node-max-entries'])).toMatchObject({
      value: [{ value: 'stream-node-max-entries' }, { value: '100' }],
    })
  })
})
