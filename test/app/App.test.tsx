import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App } from '../../src/app/App.tsx'
import { MAX_LISTED_STEPS } from '../../src/app/PanelArea.tsx'
import { PanelErrorBoundary } from '../../src/app/PanelErrorBoundary.tsx'
import { createServer } from '../../src/engine/index.ts'
import { narrate } from '../../src/panels/shared/narration.ts'
import { detectLanguage, languageParam, translate } from '../../src/i18n/index.ts'
import { en, zh } from '../../src/i18n/messages.ts'
import { decodePermalink } from '../../src/state/permalink.ts'
import { savedSessionOf } from '../../src/state/persistence.ts'
import { AppStoreProvider } from '../../src/state/react.ts'
import { createHarness } from '../state/harness.ts'

let cleanup: (() => void) | null = null
afterEach(() => {
  cleanup?.()
  cleanup = null
})

async function setup(language: 'en' | 'zh' = 'en') {
  const h = await createHarness({ factory: createServer, store: { language, motion: 'reduce' } })
  cleanup = h.dispose
  render(
    <AppStoreProvider store={h.store}>
      <App />
    </AppStoreProvider>,
  )
  const settle = async () => {
    await act(() => h.bridge.idle())
  }
  await settle()
  return { h, user: userEvent.setup(), settle }
}

describe('i18n', { timeout: 30_000 }, () => {
  it('has every message in both languages and fills params', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort())
    expect(translate('en', 'timeline.position', { item: 2, items: 5 })).toBe('Command 2 of 5')
    expect(translate('zh', 'timeline.position', { item: 2, items: 5 })).toBe('第 2 / 5 条命令')
  })

  it('picks 简体中文 for zh browsers and English otherwise', () => {
    expect(detectLanguage(['zh-CN', 'en'])).toBe('zh')
    expect(detectLanguage(['zh-TW'])).toBe('zh')
    expect(detectLanguage(['fr-FR', 'en-GB'])).toBe('en')
    expect(detectLanguage([])).toBe('en')
  })

  it('reads the language a link asks for (?lang=zh), or none', () => {
    expect(languageParam('zh')).toBe('zh')
    expect(languageParam('zh-CN')).toBe('zh')
    expect(languageParam('EN')).toBe('en')
    expect(languageParam('fr')).toBeNull()
    expect(languageParam(null)).toBeNull()
  })

  it('switches the whole shell when the language changes', async () => {
    const { user } = await setup('en')
    expect(screen.getByRole('button', { name: 'Play' })).toBeInTheDocument()
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'zh')
    expect(screen.getByRole('button', { name: '播放' })).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: '客户端 3 的命令' })).toBeInTheDocument()
    expect(screen.getByRole('tab', { name: '客户端 3' })).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})

describe('projector mode', { timeout: 30_000 }, () => {
  it('is a header toggle, labelled in both languages, that marks the page for large text', async () => {
    const { h, user } = await setup('en')
    const toggle = screen.getByRole('button', { name: 'Projector' })
    expect(toggle).toHaveAttribute('aria-pressed', 'false')
    expect(document.documentElement.dataset['projector']).toBe('false')
    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-pressed', 'true')
    expect(h.store.getState().projector).toBe(true)
    expect(document.documentElement.dataset['projector']).toBe('true')
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByRole('button', { name: '投影模式' })).toHaveAttribute('aria-pressed', 'true')
    await user.click(screen.getByRole('button', { name: '投影模式' }))
    expect(document.documentElement.dataset['projector']).toBe('false')
  })
})

describe('folded settings (a phone, a projector)', { timeout: 30_000 }, () => {
  it('close on Escape from inside them or their button, the focus back on the button', async () => {
    const { user } = await setup('zh')
    const toggle = screen.getByRole('button', { name: '设置' })
    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    // A keyboard user tabs into the settings, then wants them out of the way again.
    await user.tab()
    expect(screen.getByRole('combobox', { name: '语言' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    expect(toggle).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    await user.keyboard('{Escape}')
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
  })
})

describe('timeline controls', { timeout: 30_000 }, () => {
  it('says the panels show the state before the first command at the timeline’s start', async () => {
    const { h, settle } = await setup()
    await h.run(['SET', 'a', '1'], ['SET', 'b', '2'])
    await settle()
    fireEvent.keyDown(document.body, { key: 'Home' })
    await settle()
    expect(h.store.getState().playhead).toEqual({ item: -1, step: 0 })
    expect(screen.getByTestId('caption')).toHaveTextContent('Before the first command.')
    // It said "Current state." over the empty panels a scene starts from.
    expect(screen.getByTestId('panels-when')).toHaveTextContent('State before the first command.')
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('panels-when')).toHaveTextContent('第一条命令之前的状态。')
  })

  it('steps back and forward across commands and events, with a narrated caption', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'a', '1'], ['SET', 'b', '2'])
    await settle()
    const caption = screen.getByTestId('caption')
    // SET's last step is removeExpire's safety lookup of the key in the main dict.
    expect(caption).toHaveTextContent(/^Looked up “b” in the keyspace of db 0, 1 bucket: found/)
    expect(screen.getByTestId('panels-when')).toHaveTextContent('Current state.')

    const n0 = h.store.getState().items[0]?.events.length ?? 0
    expect(n0).toBeGreaterThan(1)
    await user.click(screen.getByRole('button', { name: 'Previous command' }))
    await settle()
    expect(h.store.getState().playhead).toEqual({ item: 0, step: n0 })
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      'State after command 1, rebuilt by replaying the log.',
    )
    expect(caption).toHaveTextContent('Looked up “a”')
    expect(screen.getByRole('region', { name: 'Key a' })).toBeInTheDocument()
    expect(h.store.getState().view?.after.keyView).toMatchObject({ kind: 'string', value: '1' })

    await user.click(screen.getByRole('button', { name: 'Step back' }))
    expect(h.store.getState().playhead).toEqual({ item: 0, step: n0 - 1 })
    expect(caption).toHaveTextContent(/^Added “a” to ht\[0\] bucket \d+/)
    // Inside a command's steps the panels say where they are, not "after command 1".
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      `State after step ${String(n0 - 1)} of ${String(n0)} of command 1, as that step left it.`,
    )
    act(() => {
      h.store.getState().stepSelected(0)
    })
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      `State before command 1 ran (step 0 of ${String(n0)}).`,
    )
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      `第 1 条命令执行之前的状态（第 0/${String(n0)} 步）。`,
    )
    act(() => {
      h.store.getState().languageChanged('en')
      h.store.getState().stepSelected(n0 - 1)
    })
    await user.click(screen.getByRole('button', { name: 'Step forward' }))
    await user.click(screen.getByRole('button', { name: 'Step forward' }))
    expect(h.store.getState().playhead).toEqual({ item: 1, step: 1 })
    expect(screen.getByRole('list')).toBeInTheDocument()
  })

  it('answers keyboard shortcuts outside the console: Space, arrows and ? help', async () => {
    const { h, settle } = await setup()
    await h.run(['SET', 'a', '1'], ['SET', 'b', '2'])
    await settle()
    const end = h.store.getState().playhead
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' })
    expect(h.store.getState().playhead).toEqual({ item: 1, step: end.step - 1 })
    fireEvent.keyDown(document.body, { key: 'ArrowRight' })
    expect(h.store.getState().playhead).toEqual(end)
    fireEvent.keyDown(document.body, { key: 'ArrowLeft', shiftKey: true })
    expect(h.store.getState().playhead.item).toBe(0)
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true })
    expect(h.store.getState().playhead).toEqual(end)
    // Home and End: the timeline's start (before the first command) and its end, to replay.
    fireEvent.keyDown(document.body, { key: 'Home' })
    expect(h.store.getState().playhead).toEqual({ item: -1, step: 0 })
    fireEvent.keyDown(document.body, { key: 'End' })
    expect(h.store.getState().playhead).toEqual(end)
    expect(screen.getByRole('button', { name: 'Previous command' })).toHaveAttribute(
      'title',
      'Previous command (Shift + ←)',
    )
    fireEvent.keyDown(document.body, { key: ' ' })
    expect(h.store.getState().playing).toBe(true)
    fireEvent.keyDown(document.body, { key: ' ' })
    expect(h.store.getState().playing).toBe(false)
    fireEvent.keyDown(document.body, { key: '?' })
    const dialog = screen.getByRole('dialog', { name: 'Help' })
    // A modal dialog keeps the keyboard focus: Tab and Shift+Tab stay on its Close button.
    const close = within(dialog).getByRole('button', { name: 'Close' })
    expect(close).toHaveFocus()
    await userEvent.tab()
    expect(close).toHaveFocus()
    await userEvent.tab({ shift: true })
    expect(close).toHaveFocus()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    // On a command line with text the arrows move its cursor, not the timeline...
    const input = screen.getByRole('textbox', { name: 'Command for client 3' })
    const before = h.store.getState().playhead
    fireEvent.change(input, { target: { value: 'GET k' } })
    fireEvent.keyDown(input, { key: 'ArrowLeft' })
    expect(h.store.getState().playhead).toBe(before)
    // ...while on an empty one (just after a command ran) they step, as outside it.
    fireEvent.change(input, { target: { value: '' } })
    fireEvent.keyDown(input, { key: 'ArrowLeft' })
    expect(h.store.getState().playhead).not.toBe(before)
    // '?' on the empty line (where the focus is on load) opens the help; with text it types.
    fireEvent.change(input, { target: { value: 'GET k' } })
    expect(fireEvent.keyDown(input, { key: '?' })).toBe(true)
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    fireEvent.change(input, { target: { value: '' } })
    expect(fireEvent.keyDown(input, { key: '?' })).toBe(false)
    const help = screen.getByRole('dialog', { name: 'Help' })
    expect(help).toHaveTextContent('on an empty command line')
  })

  it('tells a newcomer who asks for help what to type and where to look, in both languages', async () => {
    const { user, h } = await setup('en')
    await user.click(screen.getByRole('button', { name: 'Help' }))
    const dialog = screen.getByRole('dialog', { name: 'Help' })
    // It held the keyboard shortcuts only: nothing of where to type or what the panels are.
    const steps = within(dialog).getAllByRole('listitem')
    expect(steps.map((s) => s.textContent)).toEqual(
      (['help.start1', 'help.start2', 'help.start3', 'help.start4'] as const).map((k) => en[k]),
    )
    expect(steps[0]).toHaveTextContent(/^Type a Redis command in the console and press Enter/)
    expect(within(dialog).getByRole('heading', { name: 'Keyboard shortcuts' })).toBeInTheDocument()
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    const zhDialog = screen.getByRole('dialog', { name: '帮助' })
    expect(within(zhDialog).getByRole('heading', { name: '入门' })).toBeInTheDocument()
    expect(within(zhDialog).getAllByRole('listitem')[0]).toHaveTextContent(
      /^在控制台输入一条 Redis 命令并按 Enter/,
    )
  })

  it('answers every shortcut from the timeline slider as from the page', async () => {
    const { h } = await setup()
    await h.run(['SET', 'a', '1'], ['SET', 'b', '2'])
    const end = h.store.getState().playhead
    const slider = screen.getByRole('slider', { name: 'Command in the timeline' })
    slider.focus()
    // '?' on the slider did nothing: it counted as a text field.
    expect(fireEvent.keyDown(slider, { key: '?' })).toBe(false)
    const close = within(screen.getByRole('dialog', { name: 'Help' })).getByRole('button', {
      name: 'Close',
    })
    fireEvent.keyDown(close, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(slider).toHaveFocus()
    // ← and → step (Shift: whole commands), and the slider's own move is prevented.
    expect(fireEvent.keyDown(slider, { key: 'ArrowLeft' })).toBe(false)
    expect(h.store.getState().playhead).toEqual({ item: 1, step: end.step - 1 })
    fireEvent.keyDown(slider, { key: 'ArrowRight' })
    expect(h.store.getState().playhead).toEqual(end)
    fireEvent.keyDown(slider, { key: 'ArrowLeft', shiftKey: true })
    expect(h.store.getState().playhead.item).toBe(0)
    fireEvent.keyDown(slider, { key: 'Home' })
    expect(h.store.getState().playhead).toEqual({ item: -1, step: 0 })
    fireEvent.keyDown(slider, { key: 'End' })
    expect(h.store.getState().playhead).toEqual(end)
    fireEvent.keyDown(slider, { key: ' ' })
    expect(h.store.getState().playing).toBe(true)
    fireEvent.keyDown(slider, { key: ' ' })
    expect(h.store.getState().playing).toBe(false)
    // A select keeps its arrows (they choose an option), but '?' opens the help there too.
    const speed = screen.getByRole('combobox', { name: 'Playback speed' })
    const at = h.store.getState().playhead
    expect(fireEvent.keyDown(speed, { key: 'ArrowLeft' })).toBe(true)
    expect(h.store.getState().playhead).toBe(at)
    fireEvent.keyDown(speed, { key: '?' })
    expect(screen.getByRole('dialog', { name: 'Help' })).toBeInTheDocument()
  })

  it('says on hover which “1×” is the playback’s speed and which the clock’s', async () => {
    await setup('zh')
    // Two selects read "1×" side by side: a sighted learner has only the tooltip to tell them apart.
    const controls = [
      screen.getByRole('combobox', { name: '播放速度' }),
      screen.getByRole('combobox', { name: '时钟速度' }),
      ...screen.getAllByRole('button', { name: /^把时钟拨快/ }),
    ]
    expect(controls.map((c) => c.getAttribute('title'))).toEqual(
      controls.map((c) => c.getAttribute('aria-label')),
    )
  })

  it('names the clock button by what a press does, with no pressed state to contradict it', async () => {
    const { h, user, settle } = await setup()
    const resume = screen.getByRole('button', { name: 'Resume clock' })
    expect(resume).not.toHaveAttribute('aria-pressed')
    await user.click(resume)
    await settle()
    expect(h.store.getState().clock.running).toBe(true)
    expect(screen.getByRole('button', { name: 'Pause clock' })).not.toHaveAttribute('aria-pressed')
  })

  it('moves the virtual clock with the jump buttons', async () => {
    const { h, user, settle } = await setup()
    const before = h.store.getState().clock.now
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +10s' }))
    await settle()
    expect(h.store.getState().clock.now).toBe(before + 10_000)
    expect(h.store.getState().log.at(-1)).toEqual({ t: 'tick', ms: 10_000, n: 1 })
  })

  it("titles a clock tick's steps as the tick's, not a command's", async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'k', 'v'], ['PEXPIRE', 'k', '100'])
    await settle()
    expect(screen.getByRole('region', { name: 'Steps of this command' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +1s' }))
    await settle()
    expect(h.store.getState().items.at(-1)?.kind).toBe('tick')
    expect(
      screen.getByRole('heading', { name: 'Steps of this clock tick (serverCron)' }),
    ).toBeInTheDocument()
  })

  it('ends a tick that finished a rehash with the rehash, not with its idle expire cycles', async () => {
    const { h, user, settle } = await setup()
    // The fifth key grows the keyspace from 4 to 8 buckets; serverCron moves the rest.
    await h.run(['SET', 'k1', 'a'], ['SET', 'k2', 'b'], ['SET', 'k3', 'c'], ['SET', 'k4', 'd'])
    await h.run(['SET', 'k5', 'e'])
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +1s' }))
    await settle()
    const tick = h.store.getState().items.at(-1)
    expect(tick?.kind).toBe('tick')
    expect(tick?.events.map((e) => e.type)).toContain('dict/rehashCompleted')
    expect(tick?.events.at(-1)).toMatchObject({ type: 'expire/cycleRan', sampled: 0 })
    const done = tick?.events.findLast((e) => e.type === 'dict/rehashCompleted')
    if (done === undefined) throw new Error('no rehashCompleted')
    expect(screen.getByTestId('caption')).toHaveTextContent(narrate(done, 'en'))
    expect(screen.getByTestId('caption')).not.toHaveTextContent(/sampled/)
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('caption')).toHaveTextContent(narrate(done, 'zh'))
  })

  it('ends a +10 s tick with the keys it expired, not with its last empty cycle', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'session:1', 'alice'], ['EXPIRE', 'session:1', '5'])
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +10s' }))
    await settle()
    const tick = h.store.getState().items.at(-1)
    expect(tick?.kind).toBe('tick')
    // A hundred cron runs: the last ones sample an empty expires dict.
    expect(tick?.events.at(-1)).toMatchObject({ type: 'expire/cycleRan', expired: 0 })
    expect(screen.getByTestId('caption')).toHaveTextContent(
      'Clock tick: the active expire cycle deleted 1 key: “session:1”.',
    )
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('caption')).toHaveTextContent(
      '时钟滴答：主动过期周期删除了 1 个键：“session:1”。',
    )
    // Stepping back skips the folded run of idle cycles, to the cycle that deleted the key.
    act(() => {
      h.store.getState().stepBackRequested()
    })
    expect(screen.getByTestId('caption')).toHaveTextContent(/抽查了 1 个键，删除 1 个/)
  })

  it('says in the learner’s language why a command failed: a typo, its arguments, the key’s type', async () => {
    const { h, settle } = await setup('zh')
    const caption = screen.getByTestId('caption')
    await h.run(['GETT', 'foo'])
    await settle()
    expect(caption).toHaveTextContent('GETT foo：没有这个命令（拼写错误？）；Tab 可以补全命令名。')
    await h.run(['CONFIG', 'SET'])
    await settle()
    expect(caption).toHaveTextContent('CONFIG SET：参数个数不对；HELP CONFIG SET 显示语法。')
    // An error after some steps (the key was looked up) says why at its last step.
    await h.run(['SET', 'greeting', 'hello'], ['LPUSH', 'greeting', 'x'])
    await settle()
    expect(h.store.getState().items.at(-1)?.events.length).toBeGreaterThan(0)
    expect(caption).toHaveTextContent(
      'LPUSH greeting x：这个键保存的是另一种类型的值（TYPE 可以查看）。',
    )
    act(() => {
      h.store.getState().languageChanged('en')
    })
    expect(caption).toHaveTextContent(
      'LPUSH greeting x: the key holds another type of value (TYPE tells which).',
    )
    await h.run(['SET', 'a', 'b', 'XX', 'NX'], ['INCR', 'greeting'])
    act(() => {
      h.store.getState().itemSelected(h.store.getState().items.length - 2)
    })
    expect(caption).toHaveTextContent('SET a b XX NX: syntax error; HELP SET shows the syntax.')
    act(() => {
      h.store.getState().commandForwardRequested()
    })
    await settle()
    expect(caption).toHaveTextContent(
      'INCR greeting: the value is not an integer, or is out of range.',
    )
    // The diagram on screen stays through a typo (it vanished, the keyspace in its place).
    await h.run(['SADD', 'nums', '1', '2', '3'])
    await settle()
    expect(screen.getByRole('region', { name: 'Key nums' })).toBeInTheDocument()
    await h.run(['SADDD', 'nums', '4'])
    await settle()
    expect(caption).toHaveTextContent('SADDD nums 4: no such command')
    expect(screen.getByRole('region', { name: 'Key nums' })).toBeInTheDocument()
    // maxmemory under the default policy, noeviction: the write is refused.
    await h.run(['CONFIG', 'SET', 'maxmemory', '1'], ['SET', 'k', 'v'])
    await settle()
    expect(caption).toHaveTextContent(
      'SET k v: over maxmemory, and maxmemory-policy found no key to evict.',
    )
  })

  it("folds a tick's idle expire cycles into one row, one step each way and in playback", async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'k', 'v'], ['EXPIRE', 'k', '5'])
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +10s' }))
    await settle()
    const tick = h.store.getState().items.at(-1)
    const events = tick?.events ?? []
    // Nothing is dropped from the trace: every cycle is still there.
    expect(events.filter((e) => e.type === 'expire/cycleRan').length).toBeGreaterThan(90)
    const expiredAt = events.findIndex((e) => e.type === 'expire/keyExpiredActively')
    const list = screen.getByRole('region', { name: 'Steps of this clock tick (serverCron)' })
    const rows = within(list).getAllByRole('listitem')
    // A few rows, not ~150: idle runs before and after the expiry, and the expiry's own steps.
    expect(rows.length).toBeLessThan(12)
    const quiet = rows.filter((r) => r.classList.contains('step-list-quiet'))
    expect(quiet).toHaveLength(2)
    expect(quiet[0]).toHaveTextContent(/^1–\d+\.\d+ active expire cycles found nothing/)
    const expiry = within(list).getByRole('button', {
      name: /The active expire cycle deleted “k”/,
    })
    // From the start of the tick, one step forward passes the whole idle run.
    act(() => {
      h.store.getState().stepSelected(0)
    })
    act(() => {
      h.store.getState().stepForwardRequested()
    })
    const afterRun = h.store.getState().playhead.step
    expect(afterRun).toBe(expiredAt - 2) // the two dict/keyDeleted steps come first
    expect(screen.getByTestId('caption')).toHaveTextContent(
      /^\d+ active expire cycles found nothing$/,
    )
    expect(quiet[0]).toHaveAttribute('aria-current', 'step')
    // The expiry is one click away and three steps on.
    await user.click(expiry)
    expect(h.store.getState().playhead.step).toBe(expiredAt + 1)
    // Playback from the start of the tick rests on a handful of steps, not ~150.
    act(() => {
      h.store.getState().stepSelected(0)
      h.store.getState().playToggled()
    })
    let played = 0
    while (h.store.getState().playing && played < 200) {
      act(() => {
        h.store.getState().playTicked()
      })
      played++
    }
    expect(h.store.getState().playhead.step).toBe(events.length)
    expect(played).toBeLessThan(12)
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(
      within(screen.getByRole('region', { name: '这次时钟滴答的步骤（serverCron）' })).getAllByText(
        /^\d+ 次主动过期周期没有发现过期键$/,
      ),
    ).toHaveLength(2)
  })

  it('unfolds a folded run to show its cycles, from the keyboard, and folds it again', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'k', 'v'], ['EXPIRE', 'k', '5'])
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +10s' }))
    await settle()
    const events = h.store.getState().items.at(-1)?.events ?? []
    const list = screen.getByRole('region', { name: 'Steps of this clock tick (serverCron)' })
    const folded = within(list).getAllByRole('listitem').length
    const firstRun = () =>
      within(list)
        .getAllByRole('listitem')
        .filter((r) => r.classList.contains('step-list-quiet'))[0] as HTMLElement
    const toggle = within(firstRun()).getByRole('button', { name: 'Steps one by one' })
    // Folded by default.
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    expect(list.querySelectorAll('li.step-list-in-run')).toHaveLength(0)
    const runEnd = Number(/^1–(\d+)\./.exec(firstRun().textContent ?? '')?.[1])
    // Enter on the focused control unfolds the run: its row stays, each of its steps follows.
    toggle.focus()
    await user.keyboard('{Enter}')
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    const cycles = list.querySelectorAll('li.step-list-in-run')
    expect(cycles).toHaveLength(runEnd)
    expect(within(list).getAllByRole('listitem')).toHaveLength(folded + runEnd)
    expect(cycles[0]).toHaveTextContent(/^1\.expire\/(cycleRan|bucketsSampled) /)
    // Clicking one of its steps moves the playhead into the run, and that row is current.
    const third = cycles[2] as HTMLElement
    await user.click(within(third).getByRole('button'))
    expect(h.store.getState().playhead.step).toBe(3)
    expect(third).toHaveAttribute('aria-current', 'step')
    expect(firstRun()).not.toHaveAttribute('aria-current')
    // The caption narrates that one step (the button reads '<type> <narration>').
    expect(events[2]?.type).toMatch(/^expire\//)
    expect(screen.getByTestId('caption').textContent).toBe(
      within(third).getByRole('button').textContent?.slice(`${events[2]?.type} `.length),
    )
    // Space folds it again; the run's row is current once more, the focus stays on the control.
    toggle.focus()
    await user.keyboard(' ')
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    expect(toggle).toHaveFocus()
    expect(list.querySelectorAll('li.step-list-in-run')).toHaveLength(0)
    expect(firstRun()).toHaveAttribute('aria-current', 'step')
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(within(firstRun()).getByRole('button', { name: '逐步展开' })).toHaveAttribute(
      'aria-expanded',
      'false',
    )
  })

  it('counts a clock tick in the timeline as a tick, not as a command', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SET', 'k', 'v'], ['PEXPIRE', 'k', '100'])
    await user.click(screen.getByRole('button', { name: 'Advance the clock by +1s' }))
    await h.run(['SET', 'x', '1'])
    await settle()
    expect(h.store.getState().items.map((x) => x.kind)).toEqual([
      'command',
      'command',
      'tick',
      'command',
    ])
    act(() => {
      h.store.getState().itemSelected(2)
    })
    await settle()
    expect(screen.getByTestId('timeline-position')).toHaveTextContent(/^Clock tick · 3 of 4 · step/)
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      'State after item 3 (Clock tick), rebuilt by replaying the log.',
    )
    act(() => {
      h.store.getState().itemSelected(1)
    })
    await settle()
    expect(screen.getByTestId('timeline-position')).toHaveTextContent(/^Command 2 of 4 · step/)
    act(() => {
      h.store.getState().languageChanged('zh')
      h.store.getState().itemSelected(2)
    })
    await settle()
    expect(screen.getByTestId('timeline-position')).toHaveTextContent(/^时钟滴答 · 第 3 \/ 4 项/)
  })
})

describe('PanelErrorBoundary', () => {
  it('replaces a failing panel with one error line', () => {
    function Broken(): never {
      throw new Error('bad view')
    }
    const spy = console.error
    console.error = () => undefined
    render(
      <PanelErrorBoundary resetKey="1" message={(e) => `This panel failed: ${e.message}`}>
        <Broken />
      </PanelErrorBoundary>,
    )
    console.error = spy
    expect(screen.getByRole('alert')).toHaveTextContent('This panel failed: bad view')
  })
})

describe('first load', { timeout: 30_000 }, () => {
  it('puts the focus in the command line, so the first keystrokes are a command', async () => {
    const { h, user, settle } = await setup()
    const input = screen.getByRole('textbox', { name: 'Command for client 3' })
    expect(input).toHaveFocus()
    await user.keyboard('SET a 1{Enter}')
    await settle()
    expect(h.store.getState().items.map((x) => x.argv)).toEqual([['SET', 'a', '1']])
  })
})

describe('new session', { timeout: 30_000 }, () => {
  it('asks before throwing away the commands typed so far, and not when there are none', async () => {
    const { h, user, settle } = await setup('zh')
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    try {
      await h.run(['SET', 'a', '1'], ['SADD', 's', '1'])
      await user.click(screen.getByRole('button', { name: '新会话' }))
      await settle()
      expect(confirm).toHaveBeenCalledWith(
        '开始新会话？当前会话的 2 条命令将会丢失（可以先用“导出会话”把它们保存到文件）。',
      )
      expect(h.store.getState().items).toHaveLength(2)
      confirm.mockReturnValue(true)
      await user.click(screen.getByRole('button', { name: '新会话' }))
      await settle()
      expect(h.store.getState().items).toHaveLength(0)
      // An empty session has nothing to lose: no question.
      confirm.mockClear()
      await user.click(screen.getByRole('button', { name: '新会话' }))
      await settle()
      expect(confirm).not.toHaveBeenCalled()
    } finally {
      confirm.mockRestore()
    }
  })
})

describe('client tabs', { timeout: 30_000 }, () => {
  it('names the first tab by its connection id, as CLIENT ID, the clients panel and a second tab do', async () => {
    const { h, user, settle } = await setup()
    // Redis gives the first connection id 3 (the clients panel says "Client #3", narrations
    // "client 3"); the first tab read "client 1" beside a second tab named "client 4".
    await h.run(['CLIENT', 'ID'])
    expect(h.store.getState().items.at(-1)?.reply).toEqual({ type: 'integer', value: 3 })
    expect(screen.getByRole('tab', { name: 'client 3' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'New connection' }))
    await settle()
    expect(screen.getAllByRole('tab').map((x) => x.textContent)).toEqual(['client 3', 'client 4'])
  })
})

describe('step list', { timeout: 30_000 }, () => {
  it('lists the current step of a command with more steps than the list holds', async () => {
    const { h, settle } = await setup()
    const members = Array.from({ length: 130 }, (_, i) => [String(i + 1), `m${String(i + 1)}`])
    await h.run(['ZADD', 'board', ...members.flat()])
    await settle()
    const steps = h.store.getState().items.at(-1)?.events.length ?? 0
    expect(steps).toBeGreaterThan(800)
    const list = screen.getByRole('region', { name: 'Steps of this command' })
    // At the last step: the current row is listed and marked, the earlier ones summed up.
    const current = () =>
      within(list).getByText((_, el) => el?.getAttribute('aria-current') === 'step')
    expect(current()).toHaveTextContent(`${String(steps)}.`)
    expect(list).toHaveTextContent(`… ${String(steps - MAX_LISTED_STEPS)} earlier steps`)
    act(() => {
      h.store.getState().stepSelected(3)
    })
    expect(current()).toHaveTextContent(/^3\./)
    expect(list).toHaveTextContent(`… ${String(steps - MAX_LISTED_STEPS)} more steps`)
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByRole('region', { name: '这条命令的步骤' })).toHaveTextContent(
      `… 后面还有 ${String(steps - MAX_LISTED_STEPS)} 步`,
    )
  })

  it('shows the first steps when a command is at step 0, whatever the last one scrolled', async () => {
    const { h, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2', '3'], ['SADD', 'nums', 'hello'])
    await settle()
    const list = screen
      .getByRole('region', { name: 'Steps of this command' })
      .querySelector('ol') as HTMLOListElement
    act(() => {
      h.store.getState().itemSelected(0)
    })
    list.scrollTop = 60 // as the list follows the last steps of the first SADD
    act(() => {
      h.store.getState().itemSelected(1)
      h.store.getState().stepSelected(0)
    })
    await waitFor(() => {
      expect(list.scrollTop).toBe(0)
    })
  })

  it('ends with the command done once all its steps have played, and not before', async () => {
    const { h, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2', '3'])
    await settle()
    const steps = h.store.getState().items.at(-1)?.events.length ?? 0
    expect(steps).toBeGreaterThan(1)
    expect(screen.getByTestId('steps-settled')).toHaveTextContent(
      `SADD nums 1 2 3: done (${String(steps)} steps).`,
    )
    act(() => {
      h.store.getState().stepSelected(steps - 1)
    })
    expect(screen.queryByTestId('steps-settled')).toBeNull()
    act(() => {
      h.store.getState().stepSelected(steps)
      h.store.getState().languageChanged('zh')
    })
    expect(screen.getByTestId('steps-settled')).toHaveTextContent(
      `SADD nums 1 2 3：完成（共 ${String(steps)} 步）。`,
    )
  })
})

describe('trace level Off', { timeout: 30_000 }, () => {
  it('shows the state after each command, not the one before it', async () => {
    const { h, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2', '3'])
    h.store.getState().traceLevelChanged('off')
    await h.run(['SADD', 'nums', '4'])
    await settle()
    expect(h.store.getState().items.at(-1)?.events).toEqual([])
    expect(await screen.findByTestId('intset-length')).toHaveTextContent('4')
  })
})

describe('long commands in the caption', { timeout: 30_000 }, () => {
  it('cuts a 2,000-field HSET to one short line instead of printing every field', async () => {
    const { h, settle } = await setup()
    h.store.getState().traceLevelChanged('off')
    const fields = Array.from({ length: 2000 }, (_, i) => [`f:${String(i)}`, `v:${String(i)}`])
    await h.run(['HSET', 'big', ...fields.flat()])
    await settle()
    const caption = screen.getByTestId('caption').textContent
    expect(caption).toMatch(/^HSET big f:0 v:0 f:1 .*…: no internal steps recorded\.$/)
    expect(caption.length).toBeLessThan(120)
  })
})

describe('virtual clock', { timeout: 30_000 }, () => {
  it('says on screen what the running time and its speed belong to', async () => {
    await setup('zh')
    const clock = screen.getByRole('region', { name: '虚拟时钟' })
    expect(within(clock).getByText('虚拟时钟')).toBeVisible()
  })
})

describe('a key the command removed', { timeout: 30_000 }, () => {
  it('says the key is gone after DEL instead of drawing it as it was', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2', '3'], ['DEL', 'nums'])
    await settle()
    const panel = screen.getByRole('region', { name: 'Key nums' })
    expect(within(panel).getByTestId('panel-gone')).toHaveTextContent(
      'The key is gone after this step (deleted, expired or evicted).',
    )
    expect(within(panel).queryByTestId('intset-length')).toBeNull()
    // Stepping back into the DEL shows the set as it was before its deletion.
    await user.click(screen.getByRole('button', { name: 'Step back' }))
    await settle()
    expect(await within(panel).findByTestId('intset-length')).toHaveTextContent('3')
  })
})

describe('keyspace panels', { timeout: 30_000 }, () => {
  it('names each dict on screen and puts the SCAN cursor above the tall dict it walks', async () => {
    const { h, settle } = await setup()
    await h.run(['DEBUG', 'POPULATE', '20'], ['EXPIRE', 'key:1', '100'], ['SCAN', '0'])
    await settle()
    const keyspace = screen.getByRole('region', { name: 'Keyspace (db 0)' })
    expect(
      await within(keyspace).findByRole('heading', { name: 'Keys (main dict) · db 0' }),
    ).toBeVisible()
    // The title names the keyspace: no untranslated '· keyspace' after it.
    expect(within(keyspace).getByRole('heading', { level: 2 }).textContent).toBe('Keyspace (db 0)')
    expect(within(keyspace).getByRole('heading', { name: 'Expires dict · db 0' })).toBeVisible()
    const scan = await within(keyspace).findByRole('region', { name: /^SCAN cursor/ })
    const keys = within(keyspace).getByRole('region', { name: 'Keys (main dict) · db 0' })
    expect(scan.compareDocumentPosition(keys) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })
})

describe('time travel while the state is being rebuilt', { timeout: 30_000 }, () => {
  it('never folds the new command’s steps onto the old command’s state', async () => {
    const { h, settle } = await setup()
    await h.run(
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZADD', 'z', '3', 'c'],
      ['ZADD', 'z', '4', 'd'],
    )
    await settle()
    const panel = screen.getByRole('region', { name: 'Key z' })
    const towers = () =>
      [...panel.querySelectorAll('.skiplist-panel g[data-rank]')].map((g) =>
        g.getAttribute('data-id'),
      )
    await within(panel).findByRole('img', { name: 'z' })
    expect(towers()).toEqual(['zsl:header', 'zsl:a', 'zsl:b', 'zsl:c', 'zsl:d'])
    // Back to the conversion: until the worker answers, the panels still hold the views of
    // ZADD z 4 d, and folding ZADD z 3 c's inserts onto them drew a, b, c twice.
    act(() => {
      h.store.getState().itemSelected(2)
    })
    expect(towers()).toEqual(['zsl:header', 'zsl:a', 'zsl:b', 'zsl:c', 'zsl:d'])
    expect(screen.getByTestId('panels-when')).toHaveTextContent(
      'Rebuilding the state at this step…',
    )
    await settle()
    expect(screen.getByTestId('panels-when')).toHaveTextContent('State after command 3')
    expect(towers()).toEqual(['zsl:header', 'zsl:a', 'zsl:b', 'zsl:c'])
  })
})

describe('a command that converts the key’s encoding', { timeout: 30_000 }, () => {
  it('shows the old structure first, then builds the new one step by step', async () => {
    const { h, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2', '3'], ['SADD', 'nums', 'hello'])
    await settle()
    const events = h.store.getState().items.at(-1)?.events ?? []
    const added = events.flatMap((e, i) =>
      e.type === 'dict/keyAdded' && e.dict === 'key:0:nums' ? [i + 1] : [],
    )
    expect(added).toHaveLength(4)
    const panel = screen.getByRole('region', { name: 'Key nums' })
    const at = async (step: number) => {
      act(() => {
        h.store.getState().stepSelected(step)
      })
      await settle()
    }
    // Before the command's first step: still the intset of 1, 2, 3.
    await at(0)
    expect(await within(panel).findByTestId('intset-length')).toHaveTextContent('3')
    // The hash table fills one member per step (it was drawn full from the first step).
    await at(added[1] ?? 0)
    expect(await within(panel).findByTestId('dict-used')).toHaveTextContent('used 2')
    expect(within(panel).queryByTestId('intset-length')).toBeNull()
    // The key is still an intset until the switch (object/encodingConverted): the title said
    // 'hashtable' from the new table's first step.
    const title = () => panel.querySelector('h2')?.textContent
    expect(title()).toBe('Key nums · intset → hashtable')
    const switched = events.findIndex((e) => e.type === 'object/encodingConverted') + 1
    await at(switched - 1)
    expect(title()).toBe('Key nums · intset → hashtable')
    await at(switched)
    expect(title()).toBe('Key nums · hashtable')
    await at(events.length)
    expect(await within(panel).findByTestId('dict-used')).toHaveTextContent('used 4')
    expect(title()).toBe('Key nums · hashtable')

    // A listpack zset becoming a skiplist grows its towers one insert at a time.
    await h.run(
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZADD', 'z', '3', 'c'],
    )
    await settle()
    const zevents = h.store.getState().items.at(-1)?.events ?? []
    const inserted = zevents.findIndex((e) => e.type === 'zsl/nodeInserted') + 1
    const zpanel = screen.getByRole('region', { name: 'Key z' })
    const towers = () => zpanel.querySelectorAll('.skiplist-panel g[data-rank]').length
    await at(0)
    expect(zpanel.querySelector('h2')).toHaveTextContent('Key z · listpack')
    await at(inserted)
    expect(zpanel.querySelector('h2')).toHaveTextContent('Key z · listpack → skiplist')
    await within(zpanel).findByRole('img', { name: 'z' }) // the panel's code has loaded
    expect(towers()).toBe(2) // the header and "a"
    await at(zevents.length)
    expect(towers()).toBe(4)
    expect(zpanel.querySelector('h2')).toHaveTextContent('Key z · skiplist')
  })
})

describe('sharing', { timeout: 30_000 }, () => {
  it('copies an iframe snippet a blog author can paste, on the scene and step shown', async () => {
    const { h, user, settle } = await setup()
    await h.run(['SADD', 'nums', '1', '2'], ['SADD', 'nums', '70000'])
    await settle()
    await user.click(screen.getByRole('button', { name: 'Previous command' }))
    await settle()
    await user.click(screen.getByRole('button', { name: 'Copy embed code' }))
    const snippet = await navigator.clipboard.readText()
    expect(snippet).toMatch(
      /^<iframe src="http:\/\/localhost(:\d+)?\/\?embed=key&amp;lang=en#s=[\w-]+" width="100%" height="600" style="border:0" title="Redis X-Ray" loading="lazy"><\/iframe>$/,
    )
    expect(screen.getByRole('textbox', { name: 'Copy embed code' })).toHaveValue(snippet)
    expect(
      await screen.findByText('Embed code copied: paste it into your page’s HTML.'),
    ).toBeVisible()
    const saved = decodePermalink(snippet.split('#')[1]?.split('"')[0] ?? '')
    expect(saved?.log).toEqual(h.store.getState().log)
    expect(saved?.at?.position).toBe(h.store.getState().items[0]?.position)

    // An author writing in Chinese gets an embed in Chinese.
    act(() => {
      h.store.getState().languageChanged('zh')
    })
    await user.click(screen.getByRole('button', { name: '复制嵌入代码' }))
    expect(await navigator.clipboard.readText()).toMatch(/\?embed=key&amp;lang=zh#s=/)
  })
})

describe('importing a session file', { timeout: 30_000 }, () => {
  /** A .json file (jsdom's File has no text()). */
  function jsonFile(content: string): File {
    const file = new File([content], 'notes.json', { type: 'application/json' })
    Object.defineProperty(file, 'text', { value: () => Promise.resolve(content) })
    return file
  }

  it('says in the learner’s language why a file is not a session', async () => {
    const { user } = await setup('zh')
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')
    if (input === null) throw new Error('no file input')
    await user.upload(input, jsonFile('{"hello": 1}'))
    expect(
      await screen.findByText(
        '导入失败：这个文件是 JSON，但不是 Redis X-Ray 导出的会话（“导出会话”）。',
      ),
    ).toBeVisible()
    await user.upload(input, jsonFile('not json'))
    expect(
      await screen.findByText('导入失败：这个文件不是 JSON（导出的会话是一个 .json 文件）。'),
    ).toBeVisible()
  })
})

describe('a scene a reload cut short', { timeout: 30_000 }, () => {
  it('ends as the scene does once its rest is run: its key leads, played from its first command', async () => {
    // The scene had run its first command when the page reloaded; two lines had not run.
    const a = await createHarness({ factory: createServer })
    const first = a.store.getState().items.length
    await a.run(['SADD', 'nums', '1', '2'])
    const tab = a.tab()
    const saved = {
      ...savedSessionOf(a.store.getState()),
      held: [
        { client: tab, text: 'SADD nums 3' },
        { client: tab, text: 'CONFIG SET set-max-intset-entries 512' },
      ],
      scene: { focus: { kind: 'key' as const, key: 'nums' }, first, commands: 3 },
    }
    a.dispose()
    const h = await createHarness({ factory: createServer, store: { motion: 'reduce' }, saved })
    cleanup = h.dispose
    render(
      <AppStoreProvider store={h.store}>
        <App />
      </AppStoreProvider>,
    )
    await act(() => h.bridge.idle())
    const selected: number[] = []
    const stop = h.store.subscribe((s) => {
      if (s.playing) selected.push(s.playhead.item)
    })
    const offer = screen.getByTestId('console-resume')
    await userEvent.setup().click(within(offer).getByRole('button', { name: 'Run them now' }))
    await act(() => h.bridge.idle())
    const s = h.store.getState()
    expect(s.items.filter((x) => x.kind === 'command')).toHaveLength(3)
    // What the scene is about leads the panels again (CONFIG SET names no key of its own).
    expect(s.focus).toEqual({ kind: 'key', key: 'nums' })
    // And it played from its first command, as the scene would have (it stopped at the end).
    expect(selected[0]).toBe(first - 1)
    await waitFor(() => {
      expect(selected).toContain(first)
    })
    stop()
  })
})
