import { act, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { PanelArea } from '../../src/app/PanelArea.tsx'
import { ScenesMenu } from '../../src/app/ScenesMenu.tsx'
import { runScene } from '../../src/app/runScene.ts'
import { sceneById, SCENES, type Scene } from '../../src/lessons/scenes.ts'
import { createServer } from '../../src/engine/index.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { MAX_AUTOPLAY_STEPS } from '../../src/state/store.ts'
import { formatReply } from '../../src/console/formatReply.ts'
import { createHarness } from '../state/harness.ts'

let dispose: (() => void) | null = null
afterEach(() => {
  dispose?.()
  dispose = null
})

/** The menu over a real engine, settled. */
async function setup(language: 'en' | 'zh', panels = false) {
  const h = await createHarness({ factory: createServer, store: { language, motion: 'reduce' } })
  dispose = h.dispose
  render(
    <AppStoreProvider store={h.store}>
      <ScenesMenu />
      {panels && <PanelArea />}
    </AppStoreProvider>,
  )
  await act(() => h.bridge.idle())
  return h
}

/** Stops the playback and puts the playhead on the command typed as `line`. */
function pauseOn(h: Awaited<ReturnType<typeof setup>>, line: string): void {
  const st = () => h.store.getState()
  act(() => {
    if (st().playing) st().playToggled()
    st().itemSelected(st().items.findIndex((x) => x.argv.join(' ') === line))
  })
}

describe('ScenesMenu', { timeout: 30_000 }, () => {
  it('shows the summary and notes of a scene a link started (?scene=), as of one picked', async () => {
    // A teacher's bookmark ran the scene with nothing saying what its commands were about.
    const h = await setup('zh')
    const scene = sceneById('dict-expand')
    if (scene === undefined) throw new Error('no dict-expand scene')
    act(() => {
      runScene(h.store, scene)
    })
    await act(() => h.bridge.idle())
    expect(screen.getByRole('status')).toHaveTextContent(scene.summary.zh)
    pauseOn(h, 'SET k5 e')
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      '这条命令：used ≥ size：扩容到 8 个桶',
    )
  })

  it('runs a scene’s lines in the active tab and shows its summary', async () => {
    const h = await setup('en')
    const user = userEvent.setup()
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'intset-upgrade')
    await act(() => h.bridge.idle())
    const argvs = h.store.getState().log.map((e) => ('argv' in e ? e.argv.join(' ') : ''))
    expect(argvs).toContain('SADD nums 70000')
    expect(screen.getByRole('status').textContent).toMatch(/int16/)
    // Once every command has answered, the scene plays from its first command.
    const st = h.store.getState()
    expect(st.items.filter((x) => x.kind === 'command').map((x) => x.argv.join(' '))).toContain(
      'SADD nums 70000',
    )
    expect(st.playing).toBe(true)
    expect(st.playhead.item).toBeLessThanOrEqual(0)

    // The summary follows the language, and a new session takes it away.
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByRole('status').textContent).toMatch(/[\u4e00-\u9fff]/)
    act(() => {
      h.store.getState().sessionResetRequested()
    })
    await act(() => h.bridge.idle())
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('keeps a scene’s lines out of the console history, which holds what the learner typed', async () => {
    const h = await setup('en')
    await h.run(['SET', 'mine', '1'])
    const user = userEvent.setup()
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'dict-expand')
    await act(() => h.bridge.idle())
    const st = h.store.getState()
    expect(st.log.filter((e) => e.t === 'exec').length).toBeGreaterThan(5)
    expect(st.history).toEqual(['SET mine 1'])
  })

  it('plays a scene with a long eviction from its start, pausing on the eviction’s end', async () => {
    const h = await setup('en')
    const user = userEvent.setup()
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'evict-lru')
    await act(() => h.bridge.idle())
    const evicting = h.store
      .getState()
      .items.findIndex((x) => x.argv.join(' ') === 'CONFIG SET maxmemory 1300000')
    expect(h.store.getState().items[evicting]?.events.length).toBeGreaterThan(MAX_AUTOPLAY_STEPS)
    // Not left at its last command (CONFIG SET maxmemory-policy noeviction, no steps): it
    // plays from the first, and the eviction is one beat showing its end.
    expect(h.store.getState().playing).toBe(true)
    expect(h.store.getState().playhead.item).toBeLessThan(evicting)
    const seen: { item: number; step: number }[] = []
    const play = () => {
      act(() => {
        for (let i = 0; i < 400 && h.store.getState().playing; i++) {
          h.store.getState().playTicked()
          seen.push(h.store.getState().playhead)
        }
      })
    }
    play()
    // Playback pauses on the eviction's end, for a look at the pool and the victims.
    const steps = h.store.getState().items[evicting]?.events.length
    expect(seen.at(-1)).toEqual({ item: evicting, step: steps })
    act(() => {
      h.store.getState().playToggled()
    })
    play()
    expect(seen.filter((p) => p.item === evicting)).toEqual([{ item: evicting, step: steps }])
    expect(seen.at(-1)?.item).toBe(h.store.getState().items.length - 1)
  })

  it('shows the note of the scene command under the playhead, in the UI language', async () => {
    const h = await setup('en')
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'dict-expand')
    await act(() => h.bridge.idle())
    const st = () => h.store.getState()
    pauseOn(h, 'SET k5 e')
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      'This command: used ≥ size: expand to 8 buckets',
    )
    act(() => {
      st().languageChanged('zh')
    })
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      '这条命令：used ≥ size：扩容到 8 个桶',
    )
    act(() => {
      st().commandForwardRequested() // GET k1
      st().commandForwardRequested() // GET k2: no note
    })
    expect(screen.queryByTestId('scene-note')).toBeNull()
  })

  it('says a tick line’s note is about the clock tick, not a command', async () => {
    const h = await setup('zh')
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: '场景' }), 'expire-cycle')
    await act(() => h.bridge.idle())
    const st = () => h.store.getState()
    act(() => {
      if (st().playing) st().playToggled()
      st().itemSelected(st().items.findIndex((x) => x.kind === 'tick'))
    })
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      '这次时钟滴答：定时任务每秒运行 10 次',
    )
    act(() => {
      st().languageChanged('en')
    })
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      'This clock tick: the cron runs 10 times a second',
    )
  })

  it('shows a tick line’s note with the next command when the tick made no timeline item', async () => {
    const h = await setup('en')
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'expire-lazy')
    await act(() => h.bridge.idle())
    const st = () => h.store.getState()
    // Nothing happened in expire-lazy's second (the active expire cycle is off): no tick item.
    expect(st().items.some((x) => x.kind === 'tick')).toBe(false)
    const dbsize = st().items.findIndex((x) => x.argv.join(' ') === 'DBSIZE')
    act(() => {
      if (st().playing) st().playToggled()
      st().itemSelected(dbsize - 1) // SET keep 1: the tick comes after it
    })
    expect(screen.queryByTestId('scene-tick-note')).toBeNull()
    act(() => {
      st().itemSelected(dbsize)
    })
    expect(screen.getByTestId('scene-tick-note')).toHaveTextContent(
      'Before this command, the clock moved on (nothing happened, so no clock tick in the timeline): a second later: past the TTL',
    )
    expect(screen.getByTestId('scene-note')).toHaveTextContent(
      'This command: still 2: nobody has looked at session',
    )
    act(() => {
      st().languageChanged('zh')
    })
    expect(screen.getByTestId('scene-tick-note')).toHaveTextContent(
      '这条命令之前，时钟向前走了（期间什么也没发生，所以时间线上没有时钟滴答）：一秒之后：已经超过 TTL',
    )
    act(() => {
      st().itemSelected(dbsize + 1) // GET session
    })
    expect(screen.queryByTestId('scene-tick-note')).toBeNull()
  })

  it('shows first what the scene is about, until the learner types a line', async () => {
    const h = await setup('en', true)
    const st = () => h.store.getState()
    const panelTitles = () =>
      screen.getAllByRole('heading', { level: 2 }).map((x) => x.textContent.split(' · ')[0])
    const user = userEvent.setup()
    // focus: null — the keyspace dict leads, above the key the command set.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'dict-expand')
    await act(() => h.bridge.idle())
    act(() => {
      if (st().playing) st().playToggled()
      st().itemSelected(st().items.findIndex((x) => x.argv.join(' ') === 'SET k5 e'))
    })
    await act(() => h.bridge.idle())
    expect(panelTitles().slice(0, 2)).toEqual(['Keyspace (db 0)', 'Key k5'])
    // focus: 'q' — the list stays in the panel under CONFIG SET, which touches no key.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'quicklist-split')
    await act(() => h.bridge.idle())
    act(() => {
      if (st().playing) st().playToggled()
      st().itemSelected(st().items.length - 1)
    })
    await act(() => h.bridge.idle())
    expect(st().items.at(-1)?.argv[0]).toBe('CONFIG')
    expect(panelTitles()[0]).toBe('Key q')
    // The learner's own line ends the scene's focus.
    act(() => {
      const client = st().activeTab ?? 0
      st().lineEntered(client, 'DBSIZE')
      st().commandSubmitted(['DBSIZE'], client)
    })
    await act(() => h.bridge.idle())
    expect(panelTitles()).toEqual(['Steps of this command', 'Keyspace (db 0)'])
  })

  it('takes the last scene’s summary away when the ziplist lesson opens', async () => {
    const h = await setup('en')
    const user = userEvent.setup()
    const menu = screen.getByRole('combobox', { name: 'Scenes' })
    await user.selectOptions(menu, 'intset-upgrade')
    await act(() => h.bridge.idle())
    expect(screen.getByRole('status')).toHaveTextContent(/int16/)
    await user.selectOptions(menu, 'lesson:ziplist')
    expect(h.store.getState().zlLesson).not.toBeNull()
    expect(screen.queryByText(/int16/)).toBeNull()
  })

  it('opens the list on ↓ and letters instead of running a scene; ←/→ step the timeline', async () => {
    const h = await setup('en')
    const menu = screen.getByRole('combobox', { name: 'Scenes' })
    let pickers = 0
    Object.defineProperty(menu, 'showPicker', {
      value: () => {
        pickers++
      },
    })
    // A closed select's ↓, Home, a typed letter would change its value, and so run a scene.
    for (const key of ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'a'])
      expect(fireEvent.keyDown(menu, { key }), key).toBe(false) // default prevented
    expect(pickers).toBe(6)
    // Alt+↓, Space and Enter open the list themselves; Tab leaves.
    for (const key of ['Enter', ' ', 'Tab'])
      expect(fireEvent.keyDown(menu, { key }), key).toBe(true)
    expect(fireEvent.keyDown(menu, { key: 'ArrowDown', altKey: true })).toBe(true)
    expect(h.store.getState().log.filter((x) => 'argv' in x)).toEqual([])

    // Picked from the list (Enter there), the scene runs; → then steps it, not the select.
    await userEvent.setup().selectOptions(menu, 'dict-expand')
    await act(() => h.bridge.idle())
    act(() => {
      const st = h.store.getState()
      if (st.playing) st.playToggled()
      st.itemSelected(1)
    })
    const before = h.store.getState().playhead
    expect(fireEvent.keyDown(menu, { key: 'ArrowRight' })).toBe(false)
    expect(h.store.getState().playhead).not.toEqual(before)
    expect(fireEvent.keyDown(menu, { key: 'ArrowLeft' })).toBe(false)
    expect(h.store.getState().playhead).toEqual(before)
    expect(
      h.store.getState().log.filter((x) => 'argv' in x && x.argv[0] === 'FLUSHDB'),
    ).toHaveLength(1)
  })

  it('lists the scenes in sections by topic, the legacy lesson last', async () => {
    // Forty scenes in the order they were written hid the one a learner came for (expiry
    // between the stream and the transactions, eviction in three places).
    await setup('en')
    const expiry = screen.getByRole('group', { name: 'Expiry' })
    expect(
      within(expiry)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'Lazy expiry: a key outlives its TTL',
      'Lazy and active expiry',
      'The active expire cycle runs out of time',
    ])
    const groups = screen.getAllByRole('group').map((g) => g.getAttribute('label'))
    expect(groups[0]).toBe('Hash tables (dict) and SCAN')
    expect(groups.at(-1)).toBe('Before Redis 7.0')
    expect(screen.getAllByRole('option')).toHaveLength(SCENES.length + 2)
  })

  it('lists the scenes in Chinese', async () => {
    await setup('zh')
    expect(screen.getByRole('combobox', { name: '场景' })).toBeInTheDocument()
    expect(screen.getByRole('option', { name: /HSCAN/ })).toBeInTheDocument()
  })

  it('runs blocking-list in two tabs: A blocks, B pushes, A is served, then times out', async () => {
    const h = await setup('en', true)
    const a = h.store.getState().activeTab
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Scenes' }), 'blocking-list')
    await act(() => h.bridge.idle())
    const st = () => h.store.getState()
    // A second tab was opened for client B; the scene's first lines stayed in A's tab.
    expect(st().tabs).toHaveLength(2)
    const b = st().tabs[1]?.id
    const text = (id: number | null | undefined) =>
      st()
        .tabs.find((t) => t.id === id)
        ?.lines.map((l) => ('text' in l ? l.text : l.kind === 'reply' ? formatReply(l.reply) : ''))
        .join('\n')
    expect(text(b)).toBe(
      'CLIENT SETNAME B\nOK\nLPUSH jobs job:1\n(integer) 1\nLLEN jobs\n(integer) 0',
    )
    // A was served job:1 (its reply after B's push), then its 5 s wait timed out: nil.
    expect(text(a)).toContain('BLPOP jobs 0\n1) "jobs"\n2) "job:1"\nBLPOP jobs 5')
    expect(text(a)).toMatch(/BLPOP jobs 5\n\(nil\)/)
    expect(st().tabs.every((t) => t.waiting === undefined)).toBe(true)
    // Each line in its own tab, in the script's order; the clock tick last, which timed A out.
    const items = st().items.map((x) => [x.client === b ? 'B' : 'A', x.argv.join(' ') || x.kind])
    expect(items.slice(-8)).toEqual([
      ['A', 'DEL jobs'],
      ['A', 'CLIENT SETNAME A'],
      ['B', 'CLIENT SETNAME B'],
      ['A', 'BLPOP jobs 0'],
      ['B', 'LPUSH jobs job:1'],
      ['B', 'LLEN jobs'],
      ['A', 'BLPOP jobs 5'],
      ['A', 'tick'],
    ])
    const tick = st().items.at(-1)
    expect(tick?.events.filter((e) => e.type.startsWith('blocking/'))).toEqual([
      {
        type: 'blocking/clientUnblocked',
        client: a,
        db: 0,
        keys: ['jobs'],
        command: 'blpop',
        reason: 'timedOut',
      },
    ])

    // Played from its start, the console shows the tab of the command under the playhead.
    expect(st().playing).toBe(true)
    const tabsSeen: string[] = []
    act(() => {
      for (let i = 0; i < 200 && st().playing; i++) {
        st().playTicked()
        const name = st().activeTab === b ? 'B' : 'A'
        if (tabsSeen.at(-1) !== name) tabsSeen.push(name)
      }
    })
    expect(tabsSeen).toEqual(['A', 'B', 'A', 'B', 'A'])
    // The clients panel drew A in jobs's line of blocking_keys at the BLPOP.
    pauseOn(h, 'BLPOP jobs 0')
    await act(() => h.bridge.idle())
    const table = await screen.findByTestId('blocking-keys-0', {}, { timeout: 5000 })
    const row = table.querySelector('[data-name="jobs"]')
    expect(row?.textContent).toBe(`jobs#${String(a)}`)
  })

  it('runs a scene’s tick after the lines a blocked tab held before it', async () => {
    // B's SET goes first, so its LPUSH is pipelined: A's next line arrives while A still
    // waits (the push's answer not yet applied) and is held. The tick after it waited for
    // nothing and passed before A's BLPOP q 5 began, which then never timed out.
    const h = await setup('en')
    const a = h.store.getState().activeTab
    const scene: Scene = {
      id: 'two-tabs',
      title: { en: 't', zh: '测' },
      summary: { en: 's', zh: '测' },
      focus: null,
      lines: [
        { run: 'BLPOP q 0' },
        { client: 2, run: 'SET x 1' },
        { client: 2, run: 'LPUSH q a' },
        { run: 'BLPOP q 5' },
        { tick: 6000 },
      ],
    }
    act(() => {
      runScene(h.store, scene)
    })
    await act(() => h.bridge.idle())
    const st = h.store.getState()
    expect(st.items.map((x) => x.argv.join(' ') || x.kind)).toEqual([
      'BLPOP q 0',
      'SET x 1',
      'LPUSH q a',
      'BLPOP q 5',
      'tick',
    ])
    expect(st.tabs.find((t) => t.id === a)?.waiting).toBeUndefined()
  })
})
