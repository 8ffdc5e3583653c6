import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../../src/engine/index.ts'
import {
  BYTE_W,
  ENGLISH_FIELD_WORDS,
  FIELD_H,
  layoutString,
  TITLE_H,
  MAX_ROW_W,
  previewBytes,
  sdsHeaderBytes,
  showByte,
  SUMMARY_BYTES,
  utf8CharAt,
  type FieldWords,
  type StringView,
} from '../../../src/panels/string/stringLayout.ts'
import { StringPanel } from '../../../src/panels/string/StringPanel.tsx'
import { utf8ToBytes } from '../../../src/state/bytes.ts'

/** The diagram's own words in 简体中文 (StringPanel's). */
const ZH_WORDS: FieldWords = { free: '空闲', slack: '取整', allocation: '分配', bytes: '字节' }

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
    expect(l.pointer).toMatchObject({ from: 'robj:ptr', to: 'alloc:1' })
    expect(l.blocks[1]?.fields.some((f) => f.kind === 'free')).toBe(true)
  })

  it('runs the pointer from ptr to the top of the sds block, clear of its title and fields', () => {
    s.call(['SET', 'p', 'x'.repeat(60)])
    s.call(['APPEND', 'p', 'y'.repeat(10)])
    s.call(['SETRANGE', 'p', '100', 'zz'])
    s.call(['SET', 'q', 'ab'])
    s.call(['APPEND', 'q', 'c'])
    const words = [
      ENGLISH_FIELD_WORDS,
      ZH_WORDS,
      // A title wider than the way straight down from ptr: the arrow goes round it.
      { ...ENGLISH_FIELD_WORDS, allocation: 'an allocation of jemalloc’s size class of' },
    ]
    for (const key of ['p', 'q', 'r'])
      for (const w of words) {
        const l = layoutString(view(s, key), w)
        const [robj, sds] = l.blocks
        const ptr = robj?.fields.find((f) => f.id === 'robj:ptr')
        const points = l.pointer?.points ?? []
        if (!robj || !sds || !ptr) throw new Error(`${key}: no raw layout`)
        const msg = `${key} "${sds.title}" ${JSON.stringify(points)}`
        // From the bottom edge of ptr to the top edge of the sds block's first row.
        const [x1, y1] = points[0] ?? [NaN, NaN]
        const [x2, y2] = points.at(-1) ?? [NaN, NaN]
        expect(x1, msg).toBeGreaterThan(ptr.x)
        expect(x1, msg).toBeLessThan(ptr.x + ptr.w)
        expect(y1, msg).toBe(TITLE_H + ptr.y + FIELD_H)
        expect(y2, msg).toBe(sds.y + TITLE_H)
        expect(x2, msg).toBeGreaterThan(0)
        expect(x2, msg).toBeLessThan(sds.width)
        // No segment crosses the title's box, nor a field of either block (ptr's own bottom
        // edge and the landing row's top edge are where it starts and ends).
        const boxes = [
          { name: 'title', x: 0, y: sds.y, w: sds.titleW, h: TITLE_H },
          ...[robj, sds].flatMap((b) =>
            b.fields.map((f) => ({
              name: f.id,
              x: f.x,
              y: b.y + TITLE_H + f.y,
              w: f.w,
              h: FIELD_H,
            })),
          ),
        ]
        for (let i = 1; i < points.length; i++)
          for (const b of boxes)
            expect(
              crosses(points[i - 1] ?? [0, 0], points[i] ?? [0, 0], b),
              `${msg} crosses ${b.name}`,
            ).toBe(false)
        expect(w.allocation.length > 30 ? points.length : 2, msg).toBe(
          w.allocation.length > 30 ? 4 : 2,
        )
      }
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
    // The caption names the sds header's field, as the diagram does ("allocation 156"
    // beside a block titled "allocation 160 bytes" read as a contradiction).
    expect(screen.getByRole('status').textContent).toContain(
      'The string of “k” grew from 40 to 50 bytes; alloc 44 → 108 (sdshdr8).',
    )
    // The arrow drawn is the layout's: straight down from ptr to the sds block's first row,
    // not a diagonal to the block's corner through its title.
    const drawn = container.querySelector('[data-id="pointer"]')?.getAttribute('points')
    const l = layoutString(after)
    expect(drawn).toBe(l.pointer?.points.map((p) => p.join(',')).join(' '))
    expect(l.pointer?.points).toHaveLength(2)
    expect(container.querySelector('[data-id="alloc:1"] > text')?.textContent).toBe(
      l.blocks[1]?.title,
    )
  })

  it('says a growth that fit in the free space keeps alloc, in both languages', () => {
    const s = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    s.call(['SET', 'k', 'x'.repeat(60)])
    s.call(['APPEND', 'k', 'y'.repeat(10)])
    const before = view(s, 'k')
    const t = s.execute(['SETRANGE', 'k', '100', 'zz'])
    const after = view(s, 'k')
    expect(after.sds?.alloc).toBe(before.sds?.alloc)
    const caption = (lang: 'en' | 'zh') => {
      const { unmount } = render(
        <StringPanel title="k" before={before} after={after} events={t.events} t={1} lang={lang} />,
      )
      const text = screen.getByRole('status').textContent
      unmount()
      return text
    }
    // "allocation 156 → 156" beside a block titled "allocation 160 bytes" read as a contradiction.
    expect(caption('en')).toBe(
      'The string of “k” grew from 70 to 102 bytes; it fit in the free space, alloc stays 156 (sdshdr8).',
    )
    expect(caption('zh')).toBe(
      '“k” 的字符串从 70 字节增长到 102 字节；空闲空间容纳得下，alloc 仍为 156（sdshdr8）。',
    )
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
    const slack = layoutString(view(s, 'e'), ZH_WORDS)
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

/**
 * Whether the segment from `a` to `b` (horizontal or vertical, as the pointer's are) passes
 * through the inside of `box`: touching its edge does not count.
 */
function crosses(
  a: readonly [number, number],
  b: readonly [number, number],
  box: { x: number; y: number; w: number; h: number },
): boolean {
  const [ax, ay] = a
  const [bx, by] = b
  const inside = (v: number, lo: number, hi: number) => v > lo && v < hi
  const overlaps = (p: number, q: number, lo: number, hi: number) =>
    Math.max(p, q) > lo && Math.min(p, q) < hi
  if (ax === bx) return inside(ax, box.x, box.x + box.w) && overlaps(ay, by, box.y, box.y + box.h)
  if (ay === by) return inside(ay, box.y, box.y + box.h) && overlaps(ax, bx, box.x, box.x + box.w)
  throw new Error('a diagonal segment')
}
