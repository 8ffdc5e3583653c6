/**
 * The clients panel's client-side caching part: a tracking client's flags, redirection,
 * BCAST prefixes and the keys the tracking table lists it for, folded from tracking/* events
 * (keys remembered by a read, dropped by a write or a flush) to the view after the command.
 */
import { render, screen } from '@testing-library/react'
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
  /**
   * Runs a command and checks that folding its events onto the view before gives the view
   * after (CLIENT TRACKING itself reports no event: its effect is only seen after).
   */
  const step = (id: number, ...argv: string[]) => {
    const before = view()
    const t = s.execute(argv, id)
    const after = view()
    if (argv[0] !== 'CLIENT') expect(foldClients(before, t.events, t.events.length)).toEqual(after)
    return { before, after, events: t.events }
  }
  return { s, a, b, view, step }
}

function tracked(v: ClientsView, id: number): readonly string[] | undefined {
  return v.clients.find((c) => c.id === id)?.tracking?.keys
}

describe('ClientsPanel: client-side caching', () => {
  it('folds remembered and invalidated keys to the view after each command', () => {
    const { a, b, step, view } = setup()
    expect(view().clients.find((c) => c.id === a)?.tracking).toBeNull()
    step(a, 'CLIENT', 'TRACKING', 'on', 'NOLOOP')
    const read = step(a, 'MGET', 'k2', 'k1', 'k3')
    expect(read.events.map((e) => e.type)).toEqual(['tracking/keysRemembered'])
    expect(tracked(read.after, a)).toEqual(['k1', 'k2', 'k3'])
    const write = step(b, 'MSET', 'k1', 'x', 'k3', 'y')
    expect(tracked(write.after, a)).toEqual(['k2'])
    step(a, 'GET', 'k4')
    const flush = step(b, 'FLUSHALL')
    expect(flush.events.map((e) => e.type)).toContain('tracking/flushed')
    expect(tracked(flush.after, a)).toEqual([])
    expect(view().clients.find((c) => c.id === a)?.tracking?.flags).toEqual(['on', 'noloop'])
  })

  it('shows the flags, the redirection, the prefixes and the tracked keys, lighting the read key', () => {
    const { a, b, step } = setup()
    step(b, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'cart:')
    step(a, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', String(b))
    const { before, after, events } = step(a, 'GET', 'user:1')
    const own = events.filter((e: StepEvent) => e.type.startsWith('tracking/'))
    render(
      <ClientsPanel
        before={before}
        after={after}
        events={own}
        step={own.length}
        t={1}
        lang="en"
        settled
      />,
    )
    expect(screen.getByTestId(`tracking-${String(a)}`).textContent).toBe(
      `on invalidations go to client #${String(b)}`,
    )
    expect(screen.getByTestId(`tracking-${String(b)}`).textContent).toBe('on bcast')
    expect(screen.getByText('BCAST prefixes:').textContent).toContain('cart:')
    const keys = screen.getByTestId(`tracked-keys-${String(a)}`)
    expect(keys.querySelector('[data-tracked="user:1"]')?.getAttribute('data-lit')).toBe('true')
    expect(screen.getByRole('status').textContent).toBe(
      `Remembered “user:1” for client ${String(a)} in the tracking table: a change will send it an invalidation.`,
    )
  })

  it('asks for the clients view for CLIENT TRACKING and for tracking steps', () => {
    const item = (argv: string[], events: StepEvent[] = []) => ({ argv, reply: null, events })
    expect(concernsClients(item(['client', 'TRACKING', 'on']))).toBe(true)
    expect(concernsClients(item(['CLIENT', 'caching', 'yes']))).toBe(true)
    expect(concernsClients(item(['CLIENT', 'LIST']))).toBe(false)
    expect(
      concernsClients(
        item(['GET', 'k'], [{ type: 'tracking/keysRemembered', client: 3, keys: ['k'] }]),
      ),
    ).toBe(true)
  })
})
