import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import type { DictView } from '../../../src/engine/inspect.ts'
import { DictPanel, eventsOfDict } from '../../../src/panels/dict/DictPanel.tsx'

function keyspace(s: ReturnType<typeof createServer>): DictView {
  return (s.inspect(null, { limit: 100_000 }) as unknown as { dict: DictView }).dict
}

/** Records a trace with an expand and bucket moves: 5 keys, then more SETs while rehashing. */
function recordRehash() {
  const s = createServer({ seed: 7, clock: manualClock(), trace: 'full' })
  for (let i = 0; i < 4; i++) s.execute(['SET', `k${i}`, 'v'])
  const before = keyspace(s)
  const events: StepEvent[] = []
  for (let i = 4; i < 9; i++) events.push(...s.execute(['SET', `k${i}`, 'v']).events)
  return { before, events: eventsOfDict(events, 'db:0:keys'), after: keyspace(s) }
}

function entry(container: HTMLElement, key: string) {
  return container.querySelector(`[data-id="entry:${key}"]`)
}

describe('DictPanel', () => {
  const { before, events, after } = recordRehash()

  it('has an accessible name and shows no caption before the first step', () => {
    render(
      <DictPanel title="Keyspace db 0" before={before} events={events} step={0} t={1} lang="en" />,
    )
    expect(screen.getByRole('region', { name: 'Keyspace db 0' })).toBeInTheDocument()
    expect(
      screen.getByRole('region', { name: 'Keyspace db 0: hash table diagram, scrolls' }),
    ).toHaveAttribute('tabindex', '0')
    expect(screen.getByRole('status')).toHaveTextContent('')
    expect(screen.queryByRole('list', { name: 'Colours' })).toBeNull()
  })

  it('moves each rehashed key to its target bucket in ht[1], step by step', () => {
    const moves = events.flatMap((e, i) => (e.type === 'dict/bucketRehashed' ? [{ e, i }] : []))
    expect(moves.length).toBeGreaterThan(0)
    for (const { e, i } of moves) {
      const { container, unmount } = render(
        <DictPanel title="ks" before={before} events={events} step={i + 1} t={1} lang="en" />,
      )
      for (const mv of e.moves) {
        const el = entry(container, mv.key)
        // Still visible unless the rehash completed in the same step (then ht[1] became ht[0]).
        expect(el?.getAttribute('data-bucket')).toBe(String(mv.to))
        expect(el?.getAttribute('data-table')).toBe('1')
        expect(el?.getAttribute('data-active')).toBe('true')
      }
      expect(screen.getByRole('status').textContent).toMatch(/bucket|桶/)
      expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(
        /moves \(dictRehash: ht\[0\] → ht\[1\]\)/,
      )
      unmount()
    }
  })

  it('stepping back restores the previous picture', () => {
    const i = events.findIndex((e) => e.type === 'dict/bucketRehashed')
    const e = events[i]
    if (e?.type !== 'dict/bucketRehashed') throw new Error('no rehash step recorded')
    const moved = e.moves[0]?.key ?? ''
    const { container, rerender } = render(
      <DictPanel title="ks" before={before} events={events} step={i + 1} t={1} lang="en" />,
    )
    expect(entry(container, moved)?.getAttribute('data-table')).toBe('1')
    rerender(<DictPanel title="ks" before={before} events={events} step={i} t={1} lang="en" />)
    expect(entry(container, moved)?.getAttribute('data-table')).toBe('0')
    expect(entry(container, moved)?.getAttribute('data-bucket')).toBe(String(e.from))
  })

  it('ends on the engine’s own after-view', () => {
    const { container } = render(
      <DictPanel title="ks" before={before} events={events} step={events.length} t={1} lang="zh" />,
    )
    for (const t of after.tables)
      for (const b of t.buckets)
        for (const key of b.keys) {
          expect(entry(container, key)?.getAttribute('data-table')).toBe(String(t.table))
          expect(entry(container, key)?.getAttribute('data-bucket')).toBe(String(b.index))
        }
  })

  it('captions the step in Chinese when asked', () => {
    render(<DictPanel title="ks" before={before} events={events} step={1} t={1} lang="zh" />)
    expect(screen.getByRole('status').textContent).toMatch(/[\u4e00-\u9fff]/)
  })

  it('lights the buckets a lookup probed in both tables while rehashing', () => {
    const s = createServer({ seed: 7, clock: manualClock(), trace: 'full' })
    for (let i = 0; i < 5; i++) s.execute(['SET', `k${String(i)}`, 'v'])
    const before = keyspace(s)
    expect(before.rehashIdx).toBeGreaterThanOrEqual(0)
    const t = s.execute(['GET', 'nosuchkey'])
    const own = eventsOfDict(t.events, 'db:0:keys')
    const i = own.findIndex((e) => e.type === 'dict/keyFound')
    const found = own[i]
    if (found?.type !== 'dict/keyFound') throw new Error('no lookup recorded')
    const { container } = render(
      <DictPanel title="ks" before={before} events={own} step={i + 1} t={1} lang="en" />,
    )
    const lit = [...container.querySelectorAll('[data-probe="true"]')].map((el) =>
      el.getAttribute('data-id'),
    )
    expect(lit.sort()).toEqual(
      found.probes.map((p) => `bucket:${String(p.table)}:${String(p.bucket)}`).sort(),
    )
    expect(screen.getByRole('status').textContent).toMatch(/not found/)
    expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(/^bucket dictFind/)
  })
})

describe('DictPanel keys', () => {
  it('draws UTF-8 keys as text, cut by characters, not as their bytes', () => {
    const s = createServer({ seed: 7, clock: manualClock(), trace: 'full' })
    // Keys reach the engine as UTF-8 bytes, one char code per byte (state/bytes.ts).
    const utf8 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text))
    for (const k of ['café', '用户:张三', 'emoji 🎉 party']) s.execute(['SET', utf8(k), '1'])
    const view = keyspace(s)
    const { container } = render(
      <DictPanel title="ks" before={view} events={[]} step={0} t={1} lang="zh" />,
    )
    const labels = [...container.querySelectorAll('.dict-entry__key')].map((x) => x.textContent)
    expect(labels.sort()).toEqual(['café', 'emoji 🎉…', '用户:张三'])
    // The whole key on hover.
    const titles = [...container.querySelectorAll('[data-id^="entry:"] title')].map(
      (x) => x.textContent,
    )
    expect(titles).toContain('emoji 🎉 party')
  })
})
