import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { KeyspaceView } from '../../../src/engine/inspect.ts'
import { ExpireForItem } from '../../../src/panels/expire/ExpireForItem.tsx'

type Server = ReturnType<typeof createServer>
const ks = (s: Server) => s.inspect(null) as unknown as KeyspaceView

/** Renders the expiry panel for one tick of `ms`, at its last step. */
function renderTick(s: Server, ms: number) {
  const before = ks(s)
  const beforeView = s.inspect(null)
  const tick = s.tick(ms)
  const after = ks(s)
  const views = { before: beforeView, after: s.inspect(null) }
  return render(
    <ExpireForItem
      before={before}
      after={after}
      p={{
        keyName: null,
        db: 0,
        ...views,
        events: tick.events,
        step: tick.events.length,
        lang: 'en',
        reducedMotion: true,
      }}
    />,
  )
}

describe('ExpireForItem', () => {
  it('is not drawn for a tick whose cycles found no key with a TTL (dict-shrink’s cron run)', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'a', '1'])
    const tick = renderTick(s, 100)
    expect(tick.container.textContent).toBe('')
  })

  it('is drawn when a cycle sampled keys with a TTL', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'a', '1', 'PX', '100000'])
    renderTick(s, 100)
    expect(screen.getByTestId('ex-cycle').textContent).toMatch(/1 key sampled/)
  })
})
