/**
 * Embed mode's panel area: the key panel is drawn as in the full app, without the Pin
 * button the full app offers (a pinned panel would only join the list below the current
 * one, out of sight in the author's frame, and pins are neither in the permalink nor
 * carried to the full app).
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../src/app/App.tsx'
import { EmbedApp } from '../../src/app/Embed.tsx'
import { createServer } from '../../src/engine/index.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { createHarness } from '../state/harness.ts'

const disposers: (() => void)[] = []
afterEach(() => {
  for (const d of disposers.splice(0)) d()
})

/** Renders `ui` over a real engine, runs SADD s 1 2 and returns the key's panel. */
async function keyPanelAfterSadd(ui: ReactNode): Promise<HTMLElement> {
  const h = await createHarness({
    factory: createServer,
    store: { language: 'en', motion: 'reduce' },
  })
  disposers.push(h.dispose)
  const { unmount } = render(<AppStoreProvider store={h.store}>{ui}</AppStoreProvider>)
  disposers.push(unmount)
  await act(() => h.run(['SADD', 's', '1', '2']))
  return waitFor(() => screen.getByRole('region', { name: 'Key s' }))
}

describe('embed panels', () => {
  it('draw the key without a Pin button', async () => {
    const panel = await keyPanelAfterSadd(<EmbedApp view="key" fullUrl="http://x/" />)
    expect(panel.getAttribute('data-panel')).toBe('intset')
    expect(within(panel).queryByRole('button', { name: 'Pin' })).toBeNull()
    expect(screen.queryByRole('button', { name: /^(Pin|Unpin)$/ })).toBeNull()
  })

  it('where the full app offers Pin', async () => {
    const panel = await keyPanelAfterSadd(<App />)
    expect(within(panel).getByRole('button', { name: 'Pin' })).toBeInTheDocument()
  })
})

describe('embed shortcuts', () => {
  it("open the shortcuts help on '?', from the timeline's slider too", async () => {
    // The embed's '?' set the help open with no dialog to show it.
    await keyPanelAfterSadd(<EmbedApp view="key" fullUrl="http://x/" />)
    const slider = screen.getByRole('slider', { name: 'Command in the timeline' })
    slider.focus()
    fireEvent.keyDown(slider, { key: '?' })
    const dialog = screen.getByRole('dialog', { name: 'Help' })
    // How to start, without the full app's scenes, projector and embed code (none here).
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(3)
    expect(dialog).not.toHaveTextContent('Run a scene')
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
  })
})
