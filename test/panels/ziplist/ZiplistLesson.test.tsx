import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { LessonArea } from '../../../src/app/LessonArea.tsx'
import { ScenesMenu } from '../../../src/app/ScenesMenu.tsx'
import { createServer } from '../../../src/engine/index.ts'
import { AppStoreProvider } from '../../../src/state/react.ts'
import { createHarness } from '../../state/harness.ts'

let dispose: (() => void) | null = null
afterEach(() => {
  dispose?.()
  dispose = null
})

/** The scenes menu and the lesson area over the real engine, with reduced motion. */
async function setup(language: 'en' | 'zh') {
  const h = await createHarness({ factory: createServer, store: { language, motion: 'reduce' } })
  dispose = h.dispose
  render(
    <AppStoreProvider store={h.store}>
      <ScenesMenu />
      <LessonArea />
    </AppStoreProvider>,
  )
  return h
}

/** Stops the steps playing and goes back to step 0, whatever the player did meanwhile. */
async function rewind(user: ReturnType<typeof userEvent.setup>, lesson: HTMLElement) {
  const pause = within(lesson).queryByRole('button', { name: 'Pause the steps' })
  if (pause) await user.click(pause)
  const back = within(lesson).getByRole('button', { name: 'Previous step' })
  while (!(back as HTMLButtonElement).disabled) await user.click(back)
}

describe('ZiplistLesson', () => {
  it('opens from the scenes menu, inserts 260 bytes at the head and steps through the cascade', async () => {
    const h = await setup('en')
    const user = userEvent.setup()
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Scenes' }),
      'Legacy (Redis 3.2–6.2): ziplist cascade update',
    )
    const lesson = await screen.findByRole('region', {
      name: 'Legacy (Redis 3.2–6.2): ziplist cascade update',
    })
    await act(() => h.bridge.idle())
    // The lesson is no command: nothing in the log or the timeline.
    expect(h.store.getState().log.filter((e) => e.t === 'exec')).toEqual([])
    const caption = within(lesson).getByRole('status')
    expect(caption).toHaveTextContent(/A ziplist of 7 entries, 1280 bytes/)
    const ziplist = within(lesson).getByRole('list', { name: 'Ziplist (Redis 3.2–6.2)' })
    expect(within(ziplist).getAllByRole('listitem')).toHaveLength(9) // header, 7 entries, end
    expect(
      within(ziplist).getByRole('listitem', { name: /^Entry 0 \(a×247\)/ }),
    ).toHaveAccessibleName(
      'Entry 0 (a×247): 250 bytes at offset 10; a 1-byte prevlen recording 0, a 2-byte encoding, data length 247.',
    )

    await user.click(within(lesson).getByRole('button', { name: 'Insert' }))
    await act(() => h.bridge.idle())
    await rewind(user, lesson)
    expect(within(lesson).getByTestId('zl-step')).toHaveTextContent('Step 0 of 8')
    expect(caption).toHaveTextContent(
      'Before: 7 entries, 1280 bytes. Next: insert a 263-byte entry at position 0.',
    )

    const next = within(lesson).getByRole('button', { name: 'Next step' })
    await user.click(next)
    expect(caption).toHaveTextContent(
      'Inserted entry 0 (263 bytes). Entry 1 must now record 263 in its prevlen',
    )
    expect(within(ziplist).getByRole('listitem', { name: /^Entry 0 / })).toHaveAttribute(
      'data-state',
      'new',
    )
    expect(within(ziplist).getByRole('listitem', { name: /^Entry 1 / })).toHaveAttribute(
      'data-state',
      'stale',
    )
    // The listpack beside it: the new entry and nothing else.
    const listpack = within(lesson).getByRole('list', { name: /^Listpack/ })
    expect(
      within(listpack)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-state'))
        .filter((s) => s !== null && s !== 'plain'),
    ).toEqual(['new'])

    await user.click(next)
    expect(caption).toHaveTextContent(
      'Entry 1’s prevlen grew from 1 to 5 bytes (0xFE, then 263 in 4 bytes): the entry is now 254 bytes (was 250).',
    )
    const grown = within(ziplist).getByRole('listitem', { name: /^Entry 1 / })
    expect(grown).toHaveAttribute('data-state', 'growing')
    expect(grown).toHaveAccessibleName(
      /a 5-byte prevlen recording 263.*grows from 1 to 5 bytes now/,
    )

    // Keyboard: → inside the lesson steps it (and not the command timeline).
    grown.closest('section')?.focus()
    await user.keyboard('{ArrowRight}')
    expect(within(lesson).getByTestId('zl-step')).toHaveTextContent('Step 3 of 8')
    expect(h.store.getState().playhead.item).toBe(-1)

    for (let i = 3; i < 8; i++) await user.click(next)
    expect(caption).toHaveTextContent(
      'Done. Entries the cascade rewrote: 6. Ziplist 1280 → 1567 bytes; listpack 1281 → 1545 bytes',
    )
    expect(within(lesson).getByTestId('zl-totals')).toHaveTextContent(
      'Ziplist: 1280 → 1567 bytes; entries rewritten by the cascade: 6',
    )
    expect(next).toBeDisabled()
  })

  it('speaks 简体中文 and reports a refused operation', async () => {
    const h = await setup('zh')
    act(() => {
      h.store.getState().ziplistLessonOpened()
    })
    const lesson = await screen.findByRole('region', {
      name: '旧版（Redis 3.2–6.2）：压缩列表连锁更新',
    })
    await act(() => h.bridge.idle())
    expect(within(lesson).getByRole('status')).toHaveTextContent(
      /一个含 7 个条目、共 1280 字节的压缩列表/,
    )
    act(() => {
      h.store.getState().ziplistLessonOpRequested({ kind: 'delete', index: 9 })
    })
    await act(() => h.bridge.idle())
    expect(within(lesson).getByRole('alert')).toHaveTextContent(
      '未执行：delete index 9 outside 0..6',
    )
    await userEvent.setup().click(within(lesson).getByRole('button', { name: '关闭本课' }))
    expect(screen.queryByRole('region', { name: /压缩列表/ })).toBeNull()
  })
})
