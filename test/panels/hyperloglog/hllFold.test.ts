/**
 * "The animation cannot lie" for HyperLogLogs: folding a PFADD's hll/* events onto the
 * view before it (applyHllEvent) gives the engine's view after it, opcodes, registers,
 * size, cache and estimate included, across sparse edits, merges and the promotion to
 * dense, at both trace levels that record events.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { HyperLogLogView } from '../../../src/engine/inspectHll.ts'
import {
  applyHllEvent,
  emptyHllModel,
  hashBits,
  hllModelFromView,
  layoutHistogram,
  layoutOps,
  HISTO_CHAR_PX,
  registerHistogram,
  type HllModel,
} from '../../../src/panels/hyperloglog/hllModel.ts'

function modelOf(s: ReturnType<typeof createServer>, key: string): HllModel | null {
  const v = s.inspect(key)
  return v?.kind === 'hyperloglog' ? hllModelFromView(v as unknown as HyperLogLogView) : null
}

/** The model with its registers as one string: deep equality on 16384 typed-array items is slow. */
function plain(m: HllModel | null) {
  return m && { ...m, registers: m.registers.join(',') }
}

const batches = fc.array(
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer().map(String)), { maxLength: 40 }),
  { minLength: 1, maxLength: 10 },
)

describe('applyHllEvent', () => {
  test.prop([batches, fc.integer({ min: 20, max: 300 }), fc.constantFrom('summary', 'full')], {
    numRuns: 40,
  })(
    'folds any PFADD sequence onto the before view into the after view',
    (cmds, maxBytes, level) => {
      const s = createServer({ seed: 5, clock: manualClock(), trace: level as 'summary' | 'full' })
      s.call(['CONFIG', 'SET', 'hll-sparse-max-bytes', String(maxBytes)])
      for (const [i, elements] of cmds.entries()) {
        const before = modelOf(s, 'h') ?? emptyHllModel('h')
        const t = s.execute(['PFADD', 'h', ...elements])
        const folded = t.events.reduce(applyHllEvent, before)
        expect(plain(folded)).toEqual(plain(modelOf(s, 'h')))
        // PFCOUNT in between: its cache event folds too.
        if (i % 3 === 1) {
          const m = modelOf(s, 'h') as HllModel
          const counted = s.execute(['PFCOUNT', 'h']).events.reduce(applyHllEvent, m)
          expect(plain(counted)).toEqual(plain(modelOf(s, 'h')))
        }
      }
    },
  )

  it('folds two VAL opcodes merging when neighbouring registers get the same value', () => {
    // Two names whose registers are neighbours with the same value (found by search).
    const seen = new Map<string, string>()
    let pair: [string, string] | null = null
    for (let i = 0; pair === null && i < 5000; i++) {
      const name = `m${String(i)}`
      const t = createServer({ seed: 5, clock: manualClock(), trace: 'full' }).execute([
        'PFADD',
        'x',
        name,
      ])
      const u = t.events.find((e) => e.type === 'hll/registerUpdated')
      if (u?.type !== 'hll/registerUpdated') continue
      const left = seen.get(`${String(u.index - 1)}:${String(u.new)}`)
      if (left !== undefined) pair = [left, name]
      seen.set(`${String(u.index)}:${String(u.new)}`, name)
    }
    if (pair === null) throw new Error('no neighbouring pair found')
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
    s.call(['PFADD', 'h', pair[0]])
    const before = modelOf(s, 'h') as HllModel
    const t = s.execute(['PFADD', 'h', pair[1]])
    expect(t.events.some((e) => e.type === 'hll/opcodesMerged')).toBe(true)
    expect(plain(t.events.reduce(applyHllEvent, before))).toEqual(plain(modelOf(s, 'h')))
    expect(modelOf(s, 'h')?.ops?.some((op) => op.op === 'VAL' && op.len === 2)).toBe(true)
  })

  it('ignores other keys’ events', () => {
    const m = emptyHllModel('a')
    const s = createServer({ seed: 5, clock: manualClock(), trace: 'full' })
    const t = s.execute(['PFADD', 'b', 'x'])
    expect(t.events.reduce(applyHllEvent, m)).toBe(m)
  })
})

describe('HLL layout', () => {
  it('splits a hash into 14 index bits, the zero run and the stop bit', () => {
    // 0x…c000 | 0x1234: bits 14 and 15 set → no zero run, count 1.
    const bits = hashBits('000000000000d234')
    expect(bits.filter((b) => b.role === 'index')).toHaveLength(14)
    expect(bits[14]).toEqual({ bit: 14, value: 1, role: 'stop' })
    // Bit 17 is the first 1 above the index: three zeros counted (count 4).
    const run = hashBits('0000000000021234')
    expect(run.filter((b) => b.role === 'run').map((b) => b.bit)).toEqual([14, 15, 16])
    expect(run.find((b) => b.role === 'stop')?.bit).toBe(17)
  })

  it('lays opcodes out by their bytes around the focused one, with where each starts', () => {
    const ops = [
      { op: 'XZERO', len: 100, value: 0 },
      { op: 'VAL', len: 1, value: 2 },
      { op: 'ZERO', len: 5, value: 0 },
      { op: 'XZERO', len: 16278, value: 0 },
    ] as const
    const { boxes, before, after } = layoutOps(ops, 2, 2)
    expect([before, after]).toEqual([1, 1])
    expect(boxes.map((b) => [b.label, b.first, b.offset, b.x, b.w])).toEqual([
      ['v:2,1', 100, 18, 0, 46],
      ['z:5', 101, 19, 46, 46],
    ])
  })

  it('counts registers per value up to the highest', () => {
    const regs = new Uint8Array(16384)
    regs[3] = 2
    regs[9] = 2
    regs[10] = 1
    expect(registerHistogram(regs)).toEqual([16381, 1, 2])
  })
})

describe('layoutHistogram', () => {
  it('gives each bar the room of the count printed under it, so counts never overlap', () => {
    // A small HLL: 16,378 empty registers, then a few with values 1–3.
    const bars = layoutHistogram([16378, 3, 2, 1])
    expect(bars.map((b) => b.label)).toEqual(['16.4k', '3', '2', '1'])
    for (const [i, b] of bars.entries()) {
      const next = bars[i + 1]
      if (next) expect(next.x - b.x).toBeGreaterThanOrEqual((b.label.length + 1) * HISTO_CHAR_PX)
    }
    expect(bars[1]?.x).toBe(bars[0]?.width)
  })
})
