import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import {
  BYTE_W,
  layoutString,
  MAX_ROW_W,
  previewBytes,
  sdsHeaderBytes,
  showByte,
  SUMMARY_BYTES,
  utf8CharAt,
  type StringView,
} from '../../../src/panels/string/stringLayout.ts'
import { StringPanel } from '../../../src/panels/string/StringPanel.tsx'
import { utf8ToBytes } from '../../../src/state/bytes.ts'

function view(s: ReturnType<typeof createServer>, key: string): StringView {
  return s.inspect(key) as unknown as StringView
}

describe('layoutString(view)', () => {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })

  it('keeps an int in the pointer: one 16-byte robj, no sds', () => {
    s.call(['SET', 'n', '12345'])
    const l = layoutString(view(s, 'n'))
    expect(l.blocks).toHaveLength(1)
    expect(l.blocks[0]?.usable).toBe(16)
    expect(l.blocks[0]?.fields.find((f) => f.id === 'robj:ptr')?.value).toBe('12345')
    expect(l.shared).toBe(false)
  })

  it('marks shared integers (refcount INT_MAX)', () => {
    s.call(['SET', 'small', '42'])
    expect(layoutString(view(s, 'small')).shared).toBe(true)
  })

  it('draws an embstr as one allocation: robj 16 + sdshdr8 3 + bytes + NUL, in the 64-byte class', () => {
    s.call(['SET', 'e', 'hello'])
    const l = layoutString(view(s, 'e'))
    expect(l.blocks).toHaveLength(1)
    expect(l.blocks[0]?.usable).toBe(32)
    const ids = l.blocks[0]?.fields.map((f) => f.id)
    expect(ids).toEqual([
      'robj:type',
      'robj:encoding',
      'robj:lru',
      'robj:refcount',
      'robj:ptr',
      'sds:len',
      'sds:alloc',
      'sds:flags',
      'buf:0',
      'buf:1',
      'buf:2',
      'buf:3',
      'buf:4',
      'nul',
      'slack:0',
    ])
  })

  it('draws a raw string as two allocations with a pointer, and free space after APPEND', () => {
    s.call(['SET', 'r', 'abc'])
    s.call(['APPEND', 'r', 'def'])
    const v = view(s, 'r')
    expect(v.encoding).toBe('raw')
    const l = layoutString(v)
    expect(l.blocks).toHaveLength(2)
    expect(l.pointer).toEqual({ from: 'robj:ptr', to: 'alloc:1' })
    expect(l.blocks[1]?.fields.some((f) => f.kind === 'free')).toBe(true)
  })

  it('wraps a long allocation onto rows no wider than MAX_ROW_W, each field wide enough for its text', () => {
    s.call(['SET', 'long44', `abcdefghij\x00\x01\x02${'k'.repeat(31)}`])
    s.call(['SET', 'mb', 'x'.repeat(1 << 20)])
    for (const key of ['long44', 'mb', 'n', 'r']) {
      const l = layoutString(view(s, key))
      for (const b of l.blocks) {
        expect(b.width).toBeLessThanOrEqual(MAX_ROW_W)
        for (const f of b.fields) {
          expect(f.x + f.w).toBeLessThanOrEqual(MAX_ROW_W)
          // 11px monospace: about 6.6px a character, plus the 3px inset.
          const chars = Math.max(f.label.length, f.value.length)
          expect(f.w, `${key} ${f.id} "${f.label}" "${f.value}"`).toBeGreaterThanOrEqual(
            chars * 6.6 + 3,
          )
        }
      }
    }
    const embstr = layoutString(view(s, 'long44'))
    const rows = new Set(embstr.blocks[0]?.fields.map((f) => f.y))
    expect(rows.size).toBeGreaterThan(1)
    expect(embstr.height).toBeGreaterThan(44)
    expect(embstr.blocks[0]?.fields.find((f) => f.id === 'robj:encoding')?.value).toBe('embstr')
    expect(BYTE_W).toBe(16)
  })

  it('names the character each UTF-8 sequence encodes under its first byte: 张三 is 6 bytes', () => {
    s.call(['SET', 'name', utf8ToBytes('张三')])
    const bufs = layoutString(view(s, 'name')).blocks[0]?.fields.filter((f) => f.kind === 'buf')
    expect(bufs?.map((f) => [f.label, f.value])).toEqual([
      ['\\xe5', '张'],
      ['\\xbc', ''],
      ['\\xa0', ''],
      ['\\xe4', '三'],
      ['\\xb8', ''],
      ['\\x89', ''],
    ])
    // Not a whole sequence, or not UTF-8 at all: no character.
    expect(utf8CharAt('\xe5\xbc', 0)).toBe('')
    expect(utf8CharAt('\xc0\x80', 0)).toBe('')
    expect(utf8CharAt('a\xc3\xa9', 0)).toBe('')
    expect(utf8CharAt('a\xc3\xa9', 1)).toBe('é')
  })

  it('knows the header sizes of every sds type', () => {
    expect([5, 8, 16, 32, 64].map((t) => sdsHeaderBytes(t as 5))).toEqual([1, 3, 5, 9, 17])
    expect(showByte(0x41)).toBe('A')
    expect(showByte(0)).toBe('\\x00')
  })
})

describe('StringPanel', () => {
  it('shows the encoding, the caption of the growth and the sds fields', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'k', 'x'.repeat(40)])
    const before = view(s, 'k')
    const t = s.execute(['APPEND', 'k', 'y'.repeat(10)])
    const after = view(s, 'k')
    const { container } = render(
      <StringPanel
        title="String k"
        before={before}
        after={after}
        events={t.events}
        t={1}
        lang="en"
      />,
    )
    expect(screen.getByRole('region', { name: 'String k' })).toHaveAttribute('data-encoding', 'raw')
    expect(screen.getByRole('status').textContent).not.toBe('')
    expect(container.querySelector('[data-id="alloc:1"] [data-id="sds:alloc"]')).not.toBeNull()
    expect(container.querySelectorAll('[data-kind="buf"]').length).toBeGreaterThan(0)
  })

  it('speaks Chinese', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'k', '7'])
    render(<StringPanel title="k" before={null} after={view(s, 'k')} events={[]} t={1} lang="zh" />)
    expect(screen.getByTestId('shared-integer').textContent).toMatch(/共享整数/)
  })

  it('names the free space and the allocator slack in 简体中文, each label inside its field', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'e', 'hello'])
    s.call(['SET', 'r', 'x'.repeat(50)])
    s.call(['APPEND', 'r', 'yy'])
    const label = (key: string, kind: string) => {
      const { container, unmount } = render(
        <StringPanel title={key} before={null} after={view(s, key)} events={[]} t={1} lang="zh" />,
      )
      const text = container.querySelector(`[data-kind="${kind}"] .string-field__label`)
      unmount()
      return text?.textContent
    }
    expect(label('e', 'slack')).toBe('取整 7')
    expect(label('r', 'free')).toBe('空闲 56')
    // A CJK character takes two columns: the field is drawn wide enough for "取整 7".
    const slack = layoutString(view(s, 'e'), { free: '空闲', slack: '取整' })
      .blocks.flatMap((b) => b.fields)
      .find((f) => f.kind === 'slack')
    expect(slack?.w).toBeGreaterThanOrEqual(6 * 7)
  })
})

describe('the summary of a string (a narrow panel)', () => {
  const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })

  it('says a 1 KB value in a few lines: its first bytes with an ellipsis, size, header, allocations', () => {
    s.call(['SET', 'big', 'x'.repeat(1024)])
    render(
      <StringPanel title="big" before={null} after={view(s, 'big')} events={[]} t={1} lang="en" />,
    )
    const summary = screen.getByTestId('string-summary')
    const rows = [...(summary?.querySelectorAll('dt') ?? [])].map(
      (dt) => `${dt.textContent ?? ''}: ${dt.nextElementSibling?.textContent ?? ''}`,
    )
    expect(rows).toEqual([
      `Value: "${'x'.repeat(SUMMARY_BYTES)}…" · 1024 bytes`,
      'Object: type string · encoding raw · refcount 1',
      'SDS header: sdshdr16 · len 1024 · alloc 1024',
      'Memory: 2 allocations: 16 + 1280 bytes',
    ])
  })

  it('in 简体中文, for an int and an embstr of UTF-8 text', () => {
    s.call(['SET', 'n', '12345'])
    s.call(['SET', 'u', '中文'])
    const { unmount } = render(
      <StringPanel title="n" before={null} after={view(s, 'n')} events={[]} t={1} lang="zh" />,
    )
    const text = () => screen.getByTestId('string-summary').textContent
    expect(text()).toBe(
      '值"12345" · 存放在指针里对象type string · encoding int · refcount 1内存1 次分配：16 字节',
    )
    unmount()
    render(<StringPanel title="u" before={null} after={view(s, 'u')} events={[]} t={1} lang="zh" />)
    expect(text()).toContain('值"中文" · 6 字节')
    expect(text()).toContain('SDS 头部sdshdr8 · len 6 · alloc 6')
  })
})

describe('previewBytes(value, length)', () => {
  it('shows text as characters, other bytes as \\xHH, and an ellipsis when bytes follow', () => {
    expect(previewBytes('ab cd', 5)).toBe('ab cd')
    expect(previewBytes(utf8ToBytes('中文字'), 9, 6)).toBe('中文…')
    // A character cut by the limit is finished, not split into bytes.
    expect(previewBytes(utf8ToBytes('a中'), 4, 2)).toBe('a中')
    expect(previewBytes('\x00\xff', 2)).toBe('\\x00\\xff')
    // The engine's view cut the value short: the ellipsis still says more follows.
    expect(previewBytes('abc', 100)).toBe('abc…')
  })
})
