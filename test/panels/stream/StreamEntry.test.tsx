import { render, screen } from '@testing-library/react'
import { act } from 'react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import StreamEntry from '../../../src/panels/stream/StreamEntry.tsx'
import {
  FrameSchedulerContext,
  STEP_MS,
  type FrameScheduler,
} from '../../../src/panels/shared/useStepTween.ts'

/** A frame scheduler the test advances by hand. */
function manualFrames() {
  let now = 0
  let queue: ((t: number) => void)[] = []
  const scheduler: FrameScheduler = {
    request: (fn) => {
      queue.push(fn)
      return () => {
        queue = queue.filter((f) => f !== fn)
      }
    },
  }
  const advance = (ms: number) => {
    now += ms
    const run = queue
    queue = []
    for (const f of run) f(now)
  }
  return { scheduler, advance }
}

function xadd() {
  const s = createServer({ seed: 1, clock: manualClock(0), trace: 'full' })
  s.call(['XADD', 's', '1-1', 'f', 'a'])
  const before = s.inspect('s')
  const t = s.execute(['XADD', 's', '1-2', 'f', 'b'])
  return {
    keyName: 's',
    db: 0,
    before,
    after: s.inspect('s'),
    events: t.events,
    step: t.events.length,
    lang: 'en' as const,
  }
}

const opacity = (c: HTMLElement) =>
  Number(c.querySelector('[data-id="entry:1-2"]')?.getAttribute('opacity'))

describe('StreamEntry', () => {
  it('tweens the appended entry in on the frame clock', () => {
    const frames = manualFrames()
    const { container } = render(
      <FrameSchedulerContext.Provider value={frames.scheduler}>
        <StreamEntry {...xadd()} reducedMotion={false} />
      </FrameSchedulerContext.Provider>,
    )
    expect(opacity(container)).toBe(0)
    act(() => {
      frames.advance(0)
      frames.advance(STEP_MS / 2)
    })
    expect(opacity(container)).toBeGreaterThan(0)
    expect(opacity(container)).toBeLessThan(1)
    act(() => {
      frames.advance(STEP_MS)
    })
    expect(opacity(container)).toBe(1)
  })

  it('jumps to the end state with reduced motion, narration intact', () => {
    const frames = manualFrames()
    const { container } = render(
      <FrameSchedulerContext.Provider value={frames.scheduler}>
        <StreamEntry {...xadd()} reducedMotion />
      </FrameSchedulerContext.Provider>,
    )
    expect(opacity(container)).toBe(1)
    expect(screen.getByRole('status').textContent).toMatch(/appended 1-2/)
  })

  it('draws nothing for a view of another kind', () => {
    const { container } = render(
      <StreamEntry {...xadd()} after={{ kind: 'string' }} before={null} reducedMotion />,
    )
    expect(container.querySelector('section')).toBeNull()
  })
})
