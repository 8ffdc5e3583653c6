import { describe, expect, it } from 'vitest'
import { revealDelta } from '../../src/app/revealDiagram.ts'

describe('revealDelta(target, visible)', () => {
  const visible = { top: 0, bottom: 600 }
  it('is 0 for a diagram already in view', () => {
    expect(revealDelta({ top: 100, bottom: 300 }, visible)).toBe(0)
  })
  it('scrolls a diagram under the fold up just far enough to show it whole, with 8 px spare', () => {
    expect(revealDelta({ top: 700, bottom: 800 }, visible)).toBe(208)
  })
  it('puts the top of a diagram taller than the visible part at the top', () => {
    expect(revealDelta({ top: 700, bottom: 1500 }, visible)).toBe(692)
  })
  it('scrolls back down to a diagram above the visible part', () => {
    expect(revealDelta({ top: -300, bottom: -100 }, { top: 50, bottom: 600 })).toBe(-358)
  })
})
