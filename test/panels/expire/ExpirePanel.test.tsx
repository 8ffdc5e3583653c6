import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { KeyspaceView } from '../../../src/engine/inspect.ts'
import { ExpirePanel } from '../../../src/panels/expire/ExpirePanel.tsx'

type Server = ReturnType<typeof createServer>
const ks = (s: Server) => s.inspect(null) as unknown as KeyspaceView

describe('ExpirePanel', () => {
  it('shows a tick’s sampled buckets, the expired keys and why the cycle stopped', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'a', '1', 'PX', '100'])
    s.call(['SET', 'b', '1', 'PX', '100'])
    s.call(['SET', 'c', '1', 'PX', '100000'])
    const before = ks(s)
    const tick = s.tick(200)
    const after = ks(s)
    const sampledAt = tick.events.findIndex(
      (e) => e.type === 'expire/bucketsSampled' && e.expired.length > 0,
    )
    const { container, rerender } = render(
      <ExpirePanel
        title="Expiry"
        before={before}
        after={after}
        events={tick.events}
        step={sampledAt + 1}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByRole('status').textContent).toMatch(/Sampled 3 keys from/)
    expect(container.querySelectorAll('[data-sampled="true"]').length).toBeGreaterThan(0)
    expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(/activeExpireCycle/)
    expect(
      [...container.querySelectorAll('[data-expired="true"]')]
        .map((li) => li.getAttribute('data-key'))
        .sort(),
    ).toEqual(['a', 'b'])
    expect(screen.getByTestId('ex-stats').getAttribute('data-keys')).toBe('1')
    expect(
      [...container.querySelectorAll('[data-ttl-key]')].map((c) => c.getAttribute('data-ttl-key')),
    ).toEqual(['c'])
    rerender(
      <ExpirePanel
        title="Expiry"
        before={before}
        after={after}
        events={tick.events}
        step={tick.events.length}
        t={1}
        lang="zh"
      />,
    )
    expect(screen.getByTestId('ex-cycle').getAttribute('data-stop')).toBe('done')
    expect(screen.getByTestId('ex-cycle').textContent).toMatch(/结束原因/)
    expect(screen.getByTestId('ex-stats').getAttribute('data-cursor')).toBe(
      String(after.expiresCursor),
    )
  })

  it('at the end of a tick of many cycles, shows the last cycle’s own loops and all the keys deleted', () => {
    const s = createServer({ seed: 3, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'a', '1', 'PX', '100'])
    s.call(['SET', 'b', '1', 'PX', '100'])
    s.call(['SET', 'c', '1', 'PX', '100000'])
    const before = ks(s)
    const tick = s.tick(1000)
    const types = tick.events.map((e) => e.type)
    const cycles = types.filter((t) => t === 'expire/cycleRan').length
    const lastStart = types.lastIndexOf('expire/cycleRan', types.length - 2)
    const lastLoops = types.slice(lastStart + 1).filter((t) => t === 'expire/bucketsSampled')
    // Ten cron runs; the later cycles only sample c, which has not expired.
    expect(cycles).toBe(10)
    expect(lastLoops.length).toBe(1)
    render(
      <ExpirePanel
        title="Expiry"
        before={before}
        after={ks(s)}
        events={tick.events}
        step={tick.events.length}
        t={1}
        lang="zh"
      />,
    )
    expect(screen.getByTestId('ex-cycle').textContent).toMatch(
      /^慢速周期：1 轮抽查，抽查 1 个键，过期 0 个/,
    )
    // The keys the earlier cycles deleted, so the end of the tick does not read as "expired 0".
    expect(screen.getByTestId('ex-expired').getAttribute('data-count')).toBe('2')
    expect(screen.getByTestId('ex-expired').textContent).toMatch(/运行了 10 次，删除了 2 个键/)
  })

  it('shows lazy expiry when a command touched an expired key', () => {
    const clock = manualClock()
    const s = createServer({ seed: 3, clock, trace: 'full' })
    s.call(['SET', 'a', '1', 'PX', '100'])
    clock.advance(150)
    const before = ks(s)
    const t = s.execute(['GET', 'a'])
    render(
      <ExpirePanel
        title="Expiry"
        before={before}
        after={ks(s)}
        events={t.events}
        step={t.events.length}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByRole('status').textContent).toMatch(/lazy expiry/)
    expect(screen.getByText(/lazily expired, 50 ms late/)).toBeTruthy()
  })

  it('says why a cycle stopped at its time limit, and keeps saying it after later cycles finish', () => {
    // As the app's worker runs the engine: the work of each key moves the clock.
    const clock = manualClock(1_704_067_200_000, { modelWork: true })
    const s = createServer({ seed: 3, clock, trace: 'summary', enableDebugCommand: 'yes' })
    s.call(['CONFIG', 'SET', 'hz', '500'])
    s.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'])
    for (let i = 0; i < 700; i++) s.call(['SET', `tmp:${String(i)}`, 'x', 'PX', '100'])
    s.tick(200)
    s.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1'])
    const before = ks(s)
    const tick = s.tick(10)
    const after = ks(s)
    const stoppedAt = tick.events.findIndex(
      (e) => e.type === 'expire/cycleRan' && e.stopReason === 'timeLimit',
    )
    expect(stoppedAt).toBeGreaterThan(0)
    const at = (step: number, lang: 'en' | 'zh') => (
      <ExpirePanel
        title="Expiry"
        before={before}
        after={after}
        events={tick.events}
        step={step}
        t={1}
        lang={lang}
      />
    )
    const { rerender } = render(at(stoppedAt, 'en'))
    expect(screen.queryByTestId('ex-time-limit')).toBeNull()
    rerender(at(stoppedAt + 1, 'en'))
    expect(screen.getByRole('status').textContent).toMatch(
      /then stopped: \d+ µs had passed its 500 µs time limit \(checked every 16 loops\)/,
    )
    const limit = screen.getByTestId('ex-time-limit')
    expect(limit.getAttribute('data-limit')).toBe('500')
    expect(Number(limit.getAttribute('data-elapsed'))).toBeGreaterThan(500)
    expect(limit.textContent).toMatch(/^Out of time: a slow cycle may run 500 µs \(25 % of a cron/)
    expect(limit.textContent).toContain('once every 16 sampling loops')
    expect(limit.textContent).toContain('expired_time_cap_reached_count')
    expect(screen.getByTestId('ex-cycle').getAttribute('data-stop')).toBe('timeLimit')
    // At the tick's end the last cycle finished the work; the one that stopped is still told.
    rerender(at(tick.events.length, 'zh'))
    expect(screen.getByTestId('ex-cycle').getAttribute('data-stop')).toBe('done')
    expect(screen.getByTestId('ex-time-limit').textContent).toMatch(
      /^时间用完了：慢速周期最多运行 500 微秒/,
    )
  })
})
