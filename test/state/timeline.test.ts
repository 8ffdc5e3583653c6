import { describe, expect, it } from 'vitest'
import { createAppStore, MAX_AUTOPLAY_STEPS, stepBack, stepForward } from '../../src/state/store.ts'
import type { TimelineItem } from '../../src/state/types.ts'
import type { WireTrace } from '../../src/worker/protocol.ts'

function trace(seq: number, nEvents: number): WireTrace {
  return {
    seq,
    client: 1,
    db: 0,
    argv: ['SET', `k${String(seq)}`, 'v'],
    at: 0,
    reply: { type: 'simple', value: 'OK' },
    events: Array.from({ length: nEvents }, (_, i) => ({
      type: 'dict/keyAdded' as const,
      dict: 'db:0:keys',
      key: `k${String(seq)}.${String(i)}`,
      table: 0 as const,
      bucket: i,
      chainPos: 0,
      chainLen: 1,
    })),
    position: seq + 1,
    dropped: 0,
  }
}

const item = (n: number): TimelineItem => ({
  kind: 'command',
  position: 0,
  client: 1,
  db: 0,
  argv: [],
  at: 0,
  reply: null,
  events: trace(0, n).events,
  dropped: 0,
})

describe('stepForward / stepBack', () => {
  const items = [item(2), item(0), item(3)]

  it('walks every event of every command, skipping the duplicate "before" state', () => {
    const seen: string[] = []
    let p = { item: -1, step: 0 }
    for (;;) {
      const next = stepForward(items, p)
      if (next === p) break
      p = next
      seen.push(`${String(p.item)}:${String(p.step)}`)
    }
    expect(seen).toEqual(['0:1', '0:2', '1:0', '2:1', '2:2', '2:3'])
  })

  it('walks back the same stops in reverse, down to before the first command', () => {
    const seen: string[] = []
    let p = { item: 2, step: 3 }
    while (p.item >= 0) {
      p = stepBack(items, p)
      seen.push(`${String(p.item)}:${String(p.step)}`)
    }
    expect(seen).toEqual(['2:2', '2:1', '1:0', '0:2', '0:1', '0:0', '-1:0'])
  })
})

describe('player slice', () => {
  it('follows new traces from the start of their events, then plays to the end', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().traceReceived(trace(0, 2))
    expect(store.getState().playhead).toEqual({ item: 0, step: 0 })
    expect(store.getState().playing).toBe(true)
    store.getState().playTicked()
    store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 0, step: 2 })
    expect(store.getState().playing).toBe(false)
  })

  it('jumps straight to the end with reduced motion', () => {
    const store = createAppStore({ motion: 'reduce' })
    store.getState().traceReceived(trace(0, 2))
    expect(store.getState().playhead).toEqual({ item: 0, step: 2 })
    expect(store.getState().playing).toBe(false)
  })

  it('stays on a past command when new traces arrive', () => {
    const store = createAppStore({ motion: 'reduce' })
    store.getState().traceReceived(trace(0, 1))
    store.getState().traceReceived(trace(1, 1))
    store.getState().commandBackRequested()
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    store.getState().traceReceived(trace(2, 1))
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    store.getState().commandForwardRequested()
    store.getState().commandForwardRequested()
    expect(store.getState().playhead).toEqual({ item: 2, step: 1 })
  })

  it('returns to the live end when the learner types a command after stepping back', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().clientOpened(1)
    store.getState().traceReceived(trace(0, 2))
    store.getState().traceReceived(trace(1, 2))
    store.getState().commandBackRequested()
    store.getState().stepBackRequested()
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    store.getState().commandSubmitted(['SET', 'k2', 'v'], 1)
    expect(store.getState().playhead).toEqual({ item: 1, step: 2 })
    store.getState().traceReceived(trace(2, 3))
    // The new command plays from its first step, as one typed at the live end does.
    expect(store.getState().playhead).toEqual({ item: 2, step: 0 })
    expect(store.getState().playing).toBe(true)
  })

  it('shows the end of a command with more steps than it would play in a minute', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().traceReceived(trace(0, MAX_AUTOPLAY_STEPS + 1))
    expect(store.getState().playhead).toEqual({ item: 0, step: MAX_AUTOPLAY_STEPS + 1 })
    expect(store.getState().playing).toBe(false)
    // Its steps are all there to play or step through.
    store.getState().stepSelected(0)
    store.getState().playToggled()
    expect(store.getState().playing).toBe(true)
    store.getState().traceReceived(trace(1, MAX_AUTOPLAY_STEPS))
    expect(store.getState().playhead).toEqual({ item: 1, step: 0 })
    expect(store.getState().playing).toBe(true)
  })

  it('plays a long command, entered from the one before, as one beat showing its end, and pauses', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().traceReceived(trace(0, 1))
    store.getState().traceReceived(trace(1, MAX_AUTOPLAY_STEPS + 1))
    store.getState().traceReceived(trace(2, 1))
    store.getState().itemSelected(0)
    store.getState().playToggled()
    store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 1, step: MAX_AUTOPLAY_STEPS + 1 })
    // It pauses there, for a look; play goes on from it.
    expect(store.getState().playing).toBe(false)
    store.getState().playToggled()
    store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 2, step: 1 })
    // Started inside it, play goes step by step; stepping does too.
    store.getState().itemSelected(1)
    store.getState().stepSelected(0)
    store.getState().playToggled()
    store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 1, step: 1 })
    store.getState().itemSelected(0)
    store.getState().stepForwardRequested()
    expect(store.getState().playhead).toEqual({ item: 1, step: 1 })
  })

  it('step requests pause playback', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().traceReceived(trace(0, 3))
    expect(store.getState().playing).toBe(true)
    store.getState().stepForwardRequested()
    expect(store.getState().playing).toBe(false)
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    store.getState().playToggled()
    expect(store.getState().playing).toBe(true)
  })

  it("moves the clock to a trace's end when the command let time pass (DEBUG SLEEP)", () => {
    const store = createAppStore()
    const t0 = store.getState().clock.now + 1000
    store.getState().traceReceived({ ...trace(0, 0), at: t0 })
    expect(store.getState().clock.now).toBe(t0)
    store.getState().traceReceived({ ...trace(1, 0), at: t0, end: t0 + 2500 })
    expect(store.getState().clock.now).toBe(t0 + 2500)
  })

  it('prints how long a command took, as redis-cli does past half a second (DEBUG SLEEP 3)', () => {
    const store = createAppStore()
    store.getState().clientOpened(1)
    const t0 = store.getState().clock.now
    store.getState().traceReceived({ ...trace(0, 0), at: t0, end: t0 + 3000 })
    store.getState().traceReceived({ ...trace(1, 0), at: t0 + 3000, end: t0 + 3400 })
    const texts = store.getState().tabs[0]?.lines.map((l) => ('text' in l ? l.text : l.kind))
    expect(texts?.filter((x) => x?.startsWith('('))).toEqual(['(3.00s)'])
  })

  it('lets a command finish playing its steps when a clock tick arrives, then plays the tick', () => {
    const store = createAppStore({ motion: 'full' })
    store.getState().traceReceived(trace(0, 3))
    store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    const expired = { type: 'expire/keyExpiredActively' as const, db: 0, key: 'k', when: 1 }
    store.getState().tickReceived({ at: 6, events: [expired], position: 2, dropped: 0 })
    expect(store.getState().items.map((i) => i.kind)).toEqual(['command', 'tick'])
    expect(store.getState().playhead).toEqual({ item: 0, step: 1 })
    expect(store.getState().playing).toBe(true)
    for (let i = 0; i < 3; i++) store.getState().playTicked()
    expect(store.getState().playhead).toEqual({ item: 1, step: 1 })
    expect(store.getState().playing).toBe(false)
  })

  it('jumps to a tick that arrives when the playhead rests at the end', () => {
    const store = createAppStore({ motion: 'reduce' })
    store.getState().traceReceived(trace(0, 2))
    const expired = { type: 'expire/keyExpiredActively' as const, db: 0, key: 'k', when: 1 }
    store.getState().tickReceived({ at: 6, events: [expired], position: 2, dropped: 0 })
    expect(store.getState().playhead).toEqual({ item: 1, step: 1 })
  })

  it('adds a tick to the timeline only when it did something', () => {
    const store = createAppStore()
    store.getState().tickReceived({ at: 5, events: [], position: 1, dropped: 0 })
    store.getState().tickReceived({
      at: 5,
      events: [
        {
          type: 'expire/bucketsSampled',
          db: 0,
          buckets: [1],
          sampled: ['k'],
          expired: [],
          cursor: 2,
        },
        {
          type: 'expire/cycleRan',
          kind: 'slow',
          dbsVisited: [0],
          sampled: 1,
          expired: 0,
          stopReason: 'done',
          timeLimitUs: 25000,
          elapsedUs: 0,
        },
      ],
      position: 1,
      dropped: 0,
    })
    expect(store.getState().items).toHaveLength(0)
    expect(store.getState().clock.now).toBe(5)
    store.getState().tickReceived({
      at: 6,
      events: [{ type: 'expire/keyExpiredActively', db: 0, key: 'k', when: 1 }],
      position: 2,
      dropped: 0,
    })
    expect(store.getState().items.map((i) => i.kind)).toEqual(['tick'])
  })
})
