/**
 * The clients panel (panels/clients/ClientsPanel.tsx) folding real engine traces step by
 * step: WATCH, another client's write lighting up CLIENT_DIRTY_CAS, the queue answering
 * QUEUED, EXEC's outcome, and PUBLISH lighting up its receivers; a killed client marked
 * closed for its step, a new connection, SELECT and CLIENT SETNAME in a column's header.
 */
import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import type { ClientsView } from '../../../src/engine/inspectClients.ts'
import { ClientsPanel } from '../../../src/panels/clients/ClientsPanel.tsx'
import { foldClients } from '../../../src/panels/clients/clientsModel.ts'
import { concernsClients } from '../../../src/state/bridge.ts'

function setup() {
  const s = createServer({ seed: 4, clock: manualClock(), trace: 'summary' })
  const a = s.createClient()
  const b = s.createClient()
  const view = () => s.inspect(null, { server: 'clients' }) as unknown as ClientsView
  return { s, a, b, view }
}

function panel(
  before: ClientsView,
  after: ClientsView,
  events: readonly StepEvent[],
  step: number,
  lang: 'en' | 'zh' = 'en',
) {
  return (
    <ClientsPanel
      before={before}
      after={after}
      events={events}
      step={step}
      t={1}
      lang={lang}
      settled={step >= events.length}
    />
  )
}

function column(id: number): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-client="${String(id)}"].clients-client`)
  if (el === null) throw new Error(`no column for client ${String(id)}`)
  return el
}

describe('ClientsPanel', () => {
  it('lights up DIRTY_CAS when another client writes a watched key', () => {
    const { s, a, b, view } = setup()
    s.execute(['WATCH', 'k'], a)
    const before = view()
    const t = s.execute(['SET', 'k', '1'], b)
    const after = view()
    const own = t.events.filter((e) => e.type.startsWith('multi/'))
    expect(own.map((e) => e.type)).toEqual(['multi/watchTouched'])
    const { rerender } = render(panel(before, after, own, 0))
    // Step 0: a watches k, the dict has k → #a.
    expect(within(column(a)).getByText('k')).toBeTruthy()
    expect(screen.getByTestId('watched-keys-0').textContent).toContain(`#${String(a)}`)
    expect(column(a).querySelector('[data-flag="dirty-cas"]')).toBeNull()
    // Step 1: the write touched it: a is flagged and its WATCH is gone from both sides.
    rerender(panel(before, after, own, 1))
    expect(column(a).querySelector('[data-flag="dirty-cas"]')).not.toBeNull()
    expect(column(a).dataset['lit']).toBe('true')
    expect(screen.getByTestId('watched-keys-empty')).toBeTruthy()
    expect(screen.getByTestId('clients-narration').textContent).toContain('CLIENT_DIRTY_CAS')
    expect(foldClients(before, own, 1)).toEqual(after)
  })

  it('shows queued commands as QUEUED and EXEC’s outcome, in both languages', () => {
    const { s, a, view } = setup()
    s.execute(['MULTI'], a)
    let before = view()
    let t = s.execute(['INCR', 'k'], a)
    let after = view()
    const { rerender } = render(panel(before, after, t.events, 0))
    expect(screen.queryByTestId(`queue-${String(a)}`)).toBeNull()
    rerender(panel(before, after, t.events, t.events.length))
    const queue = screen.getByTestId(`queue-${String(a)}`)
    expect(queue.textContent).toContain('INCR k')
    expect(queue.textContent).toContain('QUEUED')
    expect(column(a).querySelector('[data-flag="multi"]')).not.toBeNull()
    before = after
    t = s.execute(['EXEC'], a)
    after = view()
    const own = t.events.filter((e) => e.type.startsWith('multi/'))
    rerender(panel(before, after, own, own.length))
    expect(screen.getByTestId('clients-outcome').textContent).toBe('EXEC ran 1 command.')
    expect(screen.queryByTestId(`queue-${String(a)}`)).toBeNull()
    rerender(panel(before, after, own, own.length, 'zh'))
    expect(screen.getByTestId('clients-outcome').textContent).toBe('EXEC 执行了 1 条命令。')
  })

  it('shows EXEC aborted by dirty CAS (the nil reply)', () => {
    const { s, a, view } = setup()
    s.execute(['WATCH', 'k'], a)
    s.execute(['SET', 'k', '1'], a)
    s.execute(['MULTI'], a)
    s.execute(['INCR', 'k'], a)
    const before = view()
    const t = s.execute(['EXEC'], a)
    expect(t.reply).toEqual({ type: 'array', value: null })
    render(panel(before, view(), t.events, t.events.length))
    expect(screen.getByTestId('clients-outcome').textContent).toContain('nil')
  })

  it('lights up the channel, the matching pattern and every receiver on PUBLISH', () => {
    const { s, a, b, view } = setup()
    const c = s.createClient()
    s.execute(['SUBSCRIBE', 'news'], a)
    s.execute(['PSUBSCRIBE', 'n*'], b)
    const before = view()
    const t = s.execute(['PUBLISH', 'news', 'hi'], c)
    render(panel(before, view(), t.events, t.events.length))
    expect(column(a).dataset['lit']).toBe('true')
    expect(column(b).dataset['lit']).toBe('true')
    expect(column(c).dataset['lit']).toBeUndefined()
    const channels = screen.getByTestId('pubsub-channels')
    expect(channels.querySelector('[data-name="news"]')?.getAttribute('data-lit')).toBe('true')
    const patterns = screen.getByTestId('pubsub-patterns')
    expect(patterns.querySelector('[data-name="n*"]')?.getAttribute('data-lit')).toBe('true')
    expect(screen.getByTestId('clients-outcome').textContent).toBe('PUBLISH reached 2 receivers.')
  })
})

const columnOf = (id: number) =>
  document.querySelector<HTMLElement>(`.clients-client[data-client="${String(id)}"]`)

describe('ClientsPanel client lifecycle', () => {
  it('marks a killed client closed for its step, then drops it and its watches', () => {
    const { s, a, b, view } = setup()
    s.execute(['WATCH', 'k'], b)
    const before = view()
    const t = s.execute(['CLIENT', 'KILL', 'ID', String(b)], a)
    const own = t.events.filter((e) => e.type.startsWith('client/'))
    expect(concernsClients({ argv: t.argv, reply: t.reply, events: t.events })).toBe(true)
    const { rerender } = render(panel(before, view(), own, 0))
    expect(columnOf(b)?.dataset['state']).toBeUndefined()
    expect(screen.getByTestId('watched-keys-0').textContent).toContain(`#${String(b)}`)
    rerender(panel(before, view(), own, 1))
    expect(columnOf(b)?.dataset['state']).toBe('closed')
    expect(columnOf(b)?.textContent).toContain('closed')
    expect(screen.getByTestId('clients-narration').textContent).toBe(
      `Client ${String(b)} closed (CLIENT KILL): its watches and subscriptions go with it.`,
    )
    expect(screen.getByTestId('watched-keys-empty')).toBeTruthy()
    rerender(panel(before, view(), own, 1, 'zh'))
    expect(screen.getByTestId('clients-narration').textContent).toContain('被关闭（CLIENT KILL）')
  })

  it('fades a new connection in, and shows SELECT and CLIENT SETNAME in its header', () => {
    const { s, a, view } = setup()
    const before = view()
    const c = s.createClient()
    const connected: StepEvent = { type: 'client/connected', client: c, replaces: 99 }
    const { rerender } = render(panel(before, view(), [connected], 1))
    expect(columnOf(c)?.dataset['state']).toBe('connected')
    expect(screen.getByTestId('clients-narration').textContent).toBe(
      `Client 99's console reconnected as a new client ${String(c)}: default user, db 0, RESP2, no name.`,
    )
    const b2 = view()
    const sel = s.execute(['SELECT', '4'], a)
    const name = s.execute(['CLIENT', 'SETNAME', 'worker'], a)
    const events = [...sel.events, ...name.events].filter((e) => e.type.startsWith('client/'))
    rerender(panel(b2, view(), events, 1))
    expect(columnOf(a)?.querySelector('h3')?.textContent).toContain('db4')
    expect(columnOf(a)?.querySelector('h3')?.textContent).not.toContain('worker')
    rerender(panel(b2, view(), events, 2))
    expect(columnOf(a)?.querySelector('h3')?.textContent).toContain('worker')
    expect(screen.getByTestId('clients-narration').textContent).toBe(
      `Client ${String(a)} is now named “worker”.`,
    )
  })
})

describe('concernsClients', () => {
  it('asks for the clients view for transaction and Pub/Sub items only', () => {
    const item = (argv: string[], reply: { type: string; value?: unknown } | null = null) => ({
      argv,
      reply,
      events: [] as StepEvent[],
    })
    expect(concernsClients(item(['watch', 'k']))).toBe(true)
    expect(concernsClients(item(['PUBLISH', 'c', 'm']))).toBe(true)
    expect(concernsClients(item(['SET', 'k', 'v'], { type: 'simple', value: 'QUEUED' }))).toBe(true)
    expect(concernsClients(item(['SET', 'k', 'v'], { type: 'simple', value: 'OK' }))).toBe(false)
    expect(
      concernsClients({
        ...item(['SET', 'k', 'v']),
        events: [{ type: 'multi/watchTouched', db: 0, key: 'k', clients: [1], unwatched: true }],
      }),
    ).toBe(true)
  })
})

describe('ClientsPanel: clients blocked on keys (blocking_keys)', () => {
  const blocking = (events: readonly StepEvent[]) =>
    events.filter((e) => e.type.startsWith('blocking/'))

  it('shows BLPOP blocking a client, then a push serving it step by step', () => {
    const { s, a, b, view } = setup()
    const c = s.createClient()
    const empty = view()
    const blpop = s.execute(['BLPOP', 'q', 'other', '0'], a)
    expect(s.isBlocked?.(a)).toBe(true)
    expect(blocking(blpop.events)).toEqual([
      {
        type: 'blocking/clientBlocked',
        client: a,
        db: 0,
        keys: ['q', 'other'],
        command: 'blpop',
        timeout: 0,
      },
    ])
    expect(concernsClients(blpop)).toBe(true)
    s.execute(['BRPOP', 'q', '5'], c)
    const waiting = view()
    expect(waiting.blockingKeys).toEqual([
      {
        db: 0,
        keys: [
          { key: 'other', clients: [a] },
          { key: 'q', clients: [a, c] },
        ],
      },
    ])
    const { rerender } = render(panel(empty, waiting, blpop.events, blpop.events.length))
    expect(column(a).querySelector('[data-flag="blocked"]')).not.toBeNull()
    expect(screen.getByTestId(`blocked-on-${String(a)}`).textContent).toBe('otherq')
    expect(screen.getByTestId('clients-narration').textContent).toContain(
      'BLPOP found no data: client',
    )

    // b pushes one element: a (first in q's line) is served, c goes on waiting.
    const push = s.execute(['LPUSH', 'q', 'job'], b)
    const served = view()
    const own = push.events.filter((e) =>
      ['blocking/', 'client/', 'multi/'].some((f) => e.type.startsWith(f)),
    )
    expect(own).toEqual([
      { type: 'blocking/clientServed', client: a, db: 0, key: 'q', command: 'blpop' },
    ])
    expect(concernsClients(push)).toBe(true)
    // The pop's own steps come after the serving one.
    const types = push.events.map((e) => e.type)
    expect(types.indexOf('blocking/clientServed')).toBeLessThan(
      types.lastIndexOf('listpack/entryDeleted'),
    )
    rerender(panel(waiting, served, own, 0))
    const table = screen.getByTestId('blocking-keys-0')
    expect(table.querySelector('[data-name="q"]')?.textContent).toBe(`q#${String(a)}#${String(c)}`)
    rerender(panel(waiting, served, own, 1))
    expect(table.querySelector('[data-name="q"]')?.textContent).toBe(`q#${String(c)}`)
    expect(table.querySelector('[data-name="q"]')?.getAttribute('data-lit')).toBe('true')
    expect(table.querySelector('[data-name="other"]')).toBeNull()
    expect(column(a).querySelector('[data-flag="blocked"]')).toBeNull()
    expect(column(a).dataset['lit']).toBe('true')
    expect(screen.queryByTestId(`blocked-on-${String(a)}`)).toBeNull()
    expect(foldClients(waiting, own, 1)).toEqual(served)
    rerender(panel(waiting, served, own, 1, 'zh'))
    expect(screen.getByTestId('clients-narration').textContent).toContain('得到服务')
    expect(screen.getByTestId('blocking-keys-0').querySelector('caption')?.textContent).toBe(
      '0 号库的 blocking_keys',
    )

    // c's 5 s timeout passes on the cron's tick: a nil reply, and blocking_keys is empty.
    const tick = s.tick(6000)
    const timedOut = blocking(tick.events)
    expect(timedOut).toEqual([
      {
        type: 'blocking/clientUnblocked',
        client: c,
        db: 0,
        keys: ['q'],
        command: 'brpop',
        reason: 'timedOut',
      },
    ])
    expect(s.drainOutbox?.().get(c)).toBe('*-1\r\n')
    const after = view()
    expect(after.blockingKeys).toEqual([])
    expect(foldClients(served, timedOut, 1)).toEqual(after)
    rerender(panel(served, after, timedOut, 1))
    expect(screen.getByTestId('blocking-keys-empty').textContent).toBe(
      'blocking_keys: no client is blocked on a key.',
    )
    expect(screen.getByTestId('clients-narration').textContent).toContain('its timeout passed')
  })

  it('reports CLIENT UNBLOCK, and a closed client leaves blocking_keys with its column', () => {
    const { s, a, b, view } = setup()
    s.execute(['BZPOPMIN', 'z', '0'], a)
    const before = view()
    const t = s.execute(['CLIENT', 'UNBLOCK', String(a), 'ERROR'], b)
    expect(blocking(t.events)).toEqual([
      {
        type: 'blocking/clientUnblocked',
        client: a,
        db: 0,
        keys: ['z'],
        command: 'bzpopmin',
        reason: 'unblockedWithError',
      },
    ])
    expect(foldClients(before, blocking(t.events), 1)).toEqual(view())
    s.execute(['BLPOP', 'q', '0'], a)
    const blocked = view()
    const kill = s.execute(['CLIENT', 'KILL', 'ID', String(a)], b)
    const own = kill.events.filter((e) => e.type.startsWith('client/'))
    expect(foldClients(blocked, own, own.length)).toEqual(view())
  })
})
