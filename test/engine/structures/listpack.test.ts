import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createExecContext, type ExecContext } from '../../../src/engine/context.ts'
import { rngCreate } from '../../../src/engine/rng.ts'
import {
  LP_SILENT,
  lpAppend,
  lpAppendInteger,
  lpBytes,
  lpCompare,
  lpDecodeBacklen,
  lpDelete,
  lpDeleteRange,
  lpEncodeBacklen,
  lpEntries,
  lpFind,
  lpFirst,
  lpFromBytes,
  lpGet,
  lpGetRange,
  lpGetValue,
  lpInsertString,
  lpLast,
  lpLength,
  lpMerge,
  lpNew,
  lpNext,
  lpPrepend,
  lpPrev,
  lpReplace,
  lpSafeToAdd,
  lpSeek,
  lpStringToInt64,
  lpToBytes,
  lpValidate,
  lpWalk,
  type Listpack,
} from '../../../src/engine/structures/listpack.ts'

function ctxOf(): ExecContext {
  return createExecContext(rngCreate(1), manualClock(), 'full')
}

function build(elements: readonly string[]): Listpack {
  const lp = lpNew()
  for (const e of elements) lpAppend(LP_SILENT, lp, e, 'k')
  return lp
}

const bytesOf = (lp: Listpack): number[] => [...lpToBytes(lp)]

describe('lpNew', () => {
  it('is 7 bytes: total 7, count 0, EOF', () => {
    expect(bytesOf(lpNew())).toEqual([7, 0, 0, 0, 0, 0, 0xff])
    expect(lpValidate(lpNew())).toEqual([])
  })
})

describe('lpAppend encodings', () => {
  it('stores "hello" as a 6-bit string with a 1-byte backlen of 6', () => {
    const lp = build(['hello'])
    expect(bytesOf(lp)).toEqual([14, 0, 0, 0, 1, 0, 0x85, 104, 101, 108, 108, 111, 6, 0xff])
  })

  it('stores {a, 1} in 12 bytes, as redis-internals §6.3 says', () => {
    const lp = build(['a', '1'])
    expect(bytesOf(lp)).toEqual([12, 0, 0, 0, 2, 0, 0x81, 97, 2, 1, 1, 0xff])
  })

  it('stores 127 in the 7-bit encoding and 128 in the 13-bit one', () => {
    expect(bytesOf(build(['127'])).slice(6)).toEqual([0x7f, 1, 0xff])
    expect(bytesOf(build(['128'])).slice(6)).toEqual([0xc0, 0x80, 2, 0xff])
  })

  it('stores -1 and -4096 as 13-bit two-s complement, 4096 as int16', () => {
    expect(bytesOf(build(['-1'])).slice(6)).toEqual([0xdf, 0xff, 2, 0xff])
    expect(bytesOf(build(['-4096'])).slice(6)).toEqual([0xd0, 0x00, 2, 0xff])
    expect(bytesOf(build(['4095'])).slice(6)).toEqual([0xcf, 0xff, 2, 0xff])
    expect(bytesOf(build(['4096'])).slice(6)).toEqual([0xf1, 0x00, 0x10, 3, 0xff])
  })

  it('uses 24-, 32- and 64-bit integer encodings at their boundaries', () => {
    expect(bytesOf(build(['32768'])).slice(6)).toEqual([0xf2, 0x00, 0x80, 0x00, 4, 0xff])
    expect(bytesOf(build(['-8388608'])).slice(6)).toEqual([0xf2, 0x00, 0x00, 0x80, 4, 0xff])
    expect(bytesOf(build(['8388608'])).slice(6)).toEqual([0xf3, 0, 0, 0x80, 0, 5, 0xff])
    expect(bytesOf(build(['2147483648'])).slice(6)).toEqual([
      0xf4, 0, 0, 0, 0x80, 0, 0, 0, 0, 9, 0xff,
    ])
    expect(bytesOf(build(['-9223372036854775808'])).slice(6)).toEqual([
      0xf4, 0, 0, 0, 0, 0, 0, 0, 0x80, 9, 0xff,
    ])
  })

  it('keeps non-canonical numbers as strings', () => {
    for (const s of ['007', '-0', '+1', ' 1', '1.5', '9223372036854775808', '']) {
      expect(lpWalk(build([s]))[0]?.encoding).toBe('6bit-str')
      expect(lpEntries(build([s]))).toEqual([s])
    }
  })

  it('switches to the 12-bit string length at 64 bytes and 32-bit at 4096', () => {
    const s63 = 'x'.repeat(63)
    const s64 = 'x'.repeat(64)
    const s4096 = 'y'.repeat(4096)
    expect(lpWalk(build([s63]))[0]).toMatchObject({ encoding: '6bit-str', encodedSize: 64 })
    const w64 = lpWalk(build([s64]))[0]
    expect(w64).toMatchObject({ encoding: '12bit-str', encodedSize: 66, backlenSize: 1 })
    expect(bytesOf(build([s64])).slice(6, 8)).toEqual([0xe0, 64])
    const w4096 = lpWalk(build([s4096]))[0]
    expect(w4096).toMatchObject({ encoding: '32bit-str', encodedSize: 4101, backlenSize: 2 })
    expect(bytesOf(build([s4096])).slice(6, 11)).toEqual([0xf0, 0x00, 0x10, 0, 0])
    expect(lpBytes(build([s4096]))).toBe(6 + 4101 + 2 + 1)
  })

  it('round-trips bytes 0..255 in strings', () => {
    const s = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')
    expect(lpEntries(build([s]))).toEqual([s])
  })

  it('reads back strings of every length from 0 to 70 bytes, one at a time and as a range', () => {
    // Each decoder path: the short ones (up to 12 bytes), the scratch-array ones (up to 64),
    // and the chunked one; bytes across 0..255, non-numeric so they stay strings.
    const strings = Array.from({ length: 71 }, (_, len) =>
      Array.from({ length: len }, (_, i) => String.fromCharCode((len * 37 + i * 101) % 256))
        .join('')
        .replace(/^[-0-9]/, 'x'),
    )
    const lp = build(strings)
    expect(lpEntries(lp)).toEqual(strings)
    const forward: string[] = []
    expect(lpGetRange(lp, lpFirst(lp) as number, 100, true, forward)).toBe(strings.length)
    expect(forward).toEqual(strings)
    const backward: string[] = []
    expect(lpGetRange(lp, lpLast(lp) as number, 100, false, backward)).toBe(strings.length)
    expect(backward).toEqual([...strings].reverse())
    const middle: string[] = []
    expect(lpGetRange(lp, lpSeek(lp, 5) as number, 9, true, middle)).toBe(9)
    expect(middle).toEqual(strings.slice(5, 14))
  })
})

describe('bytes observed in Redis 7.0.15 (DUMP of listpack hashes)', () => {
  it('matches HSET h2 hello 128 and HSET h3 k -4096 byte for byte', () => {
    const hello = [0x85, 104, 101, 108, 108, 111, 6]
    expect(bytesOf(build(['hello', '128']))).toEqual([
      17,
      0,
      0,
      0,
      2,
      0,
      ...hello,
      0xc0,
      0x80,
      2,
      0xff,
    ])
    expect(bytesOf(build(['k', '-4096']))).toEqual([
      13, 0, 0, 0, 2, 0, 0x81, 107, 2, 0xd0, 0, 2, 0xff,
    ])
    // RPUSH l a 1 hello 300: the quicklist node's listpack in DUMP (rdbcompression no).
    expect(bytesOf(build(['a', '1', 'hello', '300']))).toEqual([
      22,
      0,
      0,
      0,
      4,
      0,
      0x81,
      97,
      2,
      1,
      1,
      ...hello,
      0xc1,
      0x2c,
      2,
      0xff,
    ])
    expect(bytesOf(build(['m', '1.5']))).toEqual([
      15, 0, 0, 0, 2, 0, 0x81, 109, 2, 0x83, 49, 46, 53, 4, 0xff,
    ])
  })
})

describe('lpEncodeBacklen / lpDecodeBacklen', () => {
  it('writes the lowest 7 bits last and flags every byte but the first', () => {
    const buf = new Uint8Array(5)
    expect(lpEncodeBacklen(buf, 0, 127)).toBe(1)
    expect(buf[0]).toBe(127)
    expect(lpEncodeBacklen(buf, 0, 200)).toBe(2)
    expect([buf[0], buf[1]]).toEqual([1, 200 - 128 + 128])
    expect(lpDecodeBacklen(buf, 1)).toBe(200)
    expect(lpEncodeBacklen(null, 0, 16382)).toBe(2)
    expect(lpEncodeBacklen(null, 0, 16383)).toBe(3)
    expect(lpEncodeBacklen(null, 0, 2097151)).toBe(4)
    expect(lpEncodeBacklen(null, 0, 268435455)).toBe(5)
    expect(lpEncodeBacklen(buf, 0, 268435455)).toBe(5)
    expect(lpDecodeBacklen(buf, 4)).toBe(268435455)
  })
})

describe('lpStringToInt64', () => {
  it('accepts only canonical int64 decimals', () => {
    expect(lpStringToInt64('0')).toBe(0n)
    expect(lpStringToInt64('-12')).toBe(-12n)
    expect(lpStringToInt64('9223372036854775807')).toBe(9223372036854775807n)
    expect(lpStringToInt64('9223372036854775808')).toBeNull()
    expect(lpStringToInt64('-')).toBeNull()
    expect(lpStringToInt64('01')).toBeNull()
    expect(lpStringToInt64('1a')).toBeNull()
  })
})

describe('navigation', () => {
  it('walks forward and backward through backlen', () => {
    const lp = build(['a', '1000', 'x'.repeat(200), '-7'])
    const forward: string[] = []
    for (let p = lpFirst(lp); p !== null; p = lpNext(lp, p)) forward.push(lpGet(lp, p))
    const backward: string[] = []
    for (let p = lpLast(lp); p !== null; p = lpPrev(lp, p)) backward.push(lpGet(lp, p))
    expect(forward).toEqual(['a', '1000', 'x'.repeat(200), '-7'])
    expect(backward).toEqual([...forward].reverse())
  })

  it('seeks with positive and negative indexes', () => {
    const lp = build(['a', 'b', 'c', 'd', 'e'])
    const at = (i: number): string | null => {
      const p = lpSeek(lp, i)
      return p === null ? null : lpGet(lp, p)
    }
    expect([at(0), at(2), at(4), at(-1), at(-5), at(5), at(-6)]).toEqual([
      'a',
      'c',
      'e',
      'e',
      'a',
      null,
      null,
    ])
  })

  it('returns integers as bigint from lpGetValue', () => {
    const lp = build(['12', 'x'])
    expect(lpGetValue(lp, lpSeek(lp, 0) ?? -1)).toBe(12n)
    expect(lpGetValue(lp, lpSeek(lp, 1) ?? -1)).toBe('x')
  })
})

describe('lpInsertString / lpReplace / lpDelete', () => {
  it('inserts before and after with exact offsets and events', () => {
    const ctx = ctxOf()
    const lp = build(['a', 'c'])
    const pc = lpSeek(lp, 1) ?? -1
    expect(lpInsertString(ctx, lp, 'b', pc, 'before', 'k')).toBe(9)
    lpInsertString(ctx, lp, 'd', lpSeek(lp, 2) ?? -1, 'after', 'k')
    expect(lpEntries(lp)).toEqual(['a', 'b', 'c', 'd'])
    expect(ctx.events).toEqual([
      {
        type: 'listpack/entryInserted',
        key: 'k',
        index: 1,
        offset: 9,
        size: 3,
        totalBytes: 16,
        value: 'b',
      },
      {
        type: 'listpack/entryInserted',
        key: 'k',
        index: 3,
        offset: 15,
        size: 3,
        totalBytes: 19,
        value: 'd',
      },
    ])
    expect(lpValidate(lp)).toEqual([])
  })

  it('replaces in place, growing or shrinking the tail', () => {
    const ctx = ctxOf()
    const lp = build(['a', 'b', 'c'])
    lpReplace(ctx, lp, lpSeek(lp, 1) ?? -1, 'x'.repeat(100), 'k')
    expect(lpEntries(lp)).toEqual(['a', 'x'.repeat(100), 'c'])
    expect(ctx.events[0]).toEqual({
      type: 'listpack/entryReplaced',
      key: 'k',
      index: 1,
      offset: 9,
      oldSize: 3,
      size: 103,
      totalBytes: 116,
      value: 'x'.repeat(100),
    })
    lpReplace(ctx, lp, lpSeek(lp, 1) ?? -1, '5', 'k')
    expect(lpEntries(lp)).toEqual(['a', '5', 'c'])
    expect(lpBytes(lp)).toBe(15)
    expect(lpValidate(lp)).toEqual([])
  })

  it('deletes and returns the next entry, or null at the end', () => {
    const ctx = ctxOf()
    const lp = build(['a', 'b', 'c'])
    const next = lpDelete(ctx, lp, lpSeek(lp, 1) ?? -1, 'k')
    expect(next === null ? null : lpGet(lp, next)).toBe('c')
    expect(lpDelete(ctx, lp, lpSeek(lp, -1) ?? -1, 'k')).toBeNull()
    expect(lpEntries(lp)).toEqual(['a'])
    expect(ctx.events).toEqual([
      { type: 'listpack/entryDeleted', key: 'k', index: 1, offset: 9, size: 3, totalBytes: 13 },
      { type: 'listpack/entryDeleted', key: 'k', index: 1, offset: 9, size: 3, totalBytes: 10 },
    ])
  })

  it('prepends and appends integers', () => {
    const lp = lpNew()
    lpPrepend(LP_SILENT, lp, 'b', 'k')
    lpPrepend(LP_SILENT, lp, 'a', 'k')
    lpAppendInteger(LP_SILENT, lp, -300n, 'k')
    expect(lpEntries(lp)).toEqual(['a', 'b', '-300'])
  })

  it('tags events with the quicklist node id when given', () => {
    const ctx = ctxOf()
    lpAppend(ctx, lpNew(), 'a', 'k', 3)
    expect(ctx.events[0]).toMatchObject({ node: 3, index: 0 })
  })
})

describe('lpDeleteRange', () => {
  it('moves the EOF byte when the range reaches the end', () => {
    const ctx = ctxOf()
    const lp = build(['a', 'b', 'c', 'd'])
    lpDeleteRange(ctx, lp, -2, 10, 'k')
    expect(lpEntries(lp)).toEqual(['a', 'b'])
    expect(bytesOf(lp)).toEqual([13, 0, 0, 0, 2, 0, 0x81, 97, 2, 0x81, 98, 2, 0xff])
    expect(ctx.events.map((e) => e.type === 'listpack/entryDeleted' && e.totalBytes)).toEqual([
      16, 13,
    ])
  })

  it('deletes from the middle', () => {
    const lp = build(['a', 'b', 'c', 'd', 'e'])
    lpDeleteRange(LP_SILENT, lp, 1, 2, 'k')
    expect(lpEntries(lp)).toEqual(['a', 'd', 'e'])
    expect(lpValidate(lp)).toEqual([])
  })
})

describe('lpFind', () => {
  it('skips values when looking for hash fields', () => {
    const lp = build(['f1', 'v', 'v', '1', '7', 'x'])
    const found = lpFind(lp, lpFirst(lp), 'v', 1)
    expect(found === null ? null : lpGet(lp, found)).toBe('v')
    expect(found).toBe(lpSeek(lp, 2))
    expect(lpFind(lp, lpFirst(lp), '7', 1)).toBe(lpSeek(lp, 4))
    expect(lpFind(lp, lpFirst(lp), '1', 1)).toBeNull()
    expect(lpFind(lp, lpFirst(lp), '07', 0)).toBeNull()
  })

  it('compares integers canonically', () => {
    const lp = build(['7'])
    expect(lpCompare(lp, LP_HDR(), '7')).toBe(true)
    expect(lpCompare(lp, LP_HDR(), '007')).toBe(false)
  })
})

function LP_HDR(): number {
  return 6
}

describe('lpLength / header count', () => {
  it('saturates the count at 65535 and rewrites it once it fits again', () => {
    const lp = lpNew()
    for (let i = 0; i < 65536; i++) lpAppend(LP_SILENT, lp, 'a', 'k')
    expect(lpToBytes(lp).slice(4, 6)).toEqual(new Uint8Array([0xff, 0xff]))
    expect(lpLength(lp)).toBe(65536)
    lpDeleteRange(LP_SILENT, lp, 0, 2, 'k')
    expect(lpLength(lp)).toBe(65534)
    expect(lpToBytes(lp).slice(4, 6)).toEqual(new Uint8Array([0xfe, 0xff]))
    expect(lpValidate(lp)).toEqual([])
  })
})

describe('lpMerge', () => {
  it('keeps the larger listpack and appends or prepends the other', () => {
    const a = build(['a'])
    const b = build(['bbbb', 'c'])
    expect(lpMerge(a, b)).toBe('second')
    expect(lpEntries(b)).toEqual(['a', 'bbbb', 'c'])
    expect(lpBytes(b)).toBe(10 + 16 - 7)
    expect(lpValidate(b)).toEqual([])
    expect(lpBytes(a)).toBe(7)
  })
})

describe('lpSafeToAdd', () => {
  it('allows up to 1 GiB in total', () => {
    expect(lpSafeToAdd(null, 1 << 30)).toBe(true)
    expect(lpSafeToAdd(lpNew(), (1 << 30) - 7)).toBe(true)
    expect(lpSafeToAdd(lpNew(), (1 << 30) - 6)).toBe(false)
  })
})

describe('lpValidate', () => {
  it('reports a wrong backlen, a wrong count and a missing EOF', () => {
    expect(lpValidate(lpFromBytes(new Uint8Array([9, 0, 0, 0, 1, 0, 0x05, 2, 0xff])))).toEqual([
      'entry at 6: backlen 2 != 1',
      'backward walk disagrees with forward walk',
    ])
    expect(lpValidate(lpFromBytes(new Uint8Array([9, 0, 0, 0, 2, 0, 0x05, 1, 0xff])))).toEqual([
      'header count 2 != 1 entries',
    ])
    expect(lpValidate(lpFromBytes(new Uint8Array([9, 0, 0, 0, 1, 0, 0x05, 1, 0xfe])))).toContain(
      'last byte is not 0xFF',
    )
    expect(
      lpValidate(lpFromBytes(new Uint8Array([10, 0, 0, 0, 1, 0, 0x81, 0x37, 2, 0xff]))),
    ).toEqual(['entry at 6: not in its canonical encoding'])
  })
})
