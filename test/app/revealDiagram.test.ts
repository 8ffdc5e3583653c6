import { describe, expect, it } from 'vitest'
import { revealDelta, revealFocusDelta } from '../../src/app/revealDiagram.ts'

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

describe('revealFocusDelta(target, focus, visible)', () => {
  const visible = { top: 0, bottom: 600 }
  it('scrolls on past the top of a tall diagram to the part its step is about', () => {
    // The diagram's top to 8 px (692), then 436 more: the entry (1700–1720) ends at 592.
    expect(revealFocusDelta({ top: 700, bottom: 2000 }, { top: 1700, bottom: 1720 }, visible)).toBe(
      1128,
    )
  })
  it('keeps to the diagram’s top when that part is already in view there', () => {
    expect(revealFocusDelta({ top: 700, bottom: 2000 }, { top: 750, bottom: 770 }, visible)).toBe(
      692,
    )
  })
  it('is revealDelta without a focus', () => {
    expect(revealFocusDelta({ top: 700, bottom: 800 }, null, visible)).toBe(208)
  })
})
