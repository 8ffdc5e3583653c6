/**
 * The server's reply encoder (replyBuffer.ts) writes exactly the bytes of resp.ts
 * respAppend for any reply, across buffer growth; chunkBytes.ts copies exactly the bytes
 * Buffer#latin1Slice does.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import { respEncode } from '../../src/engine/resp.ts'
import { chunkBytesCreate, type Latin1Buffer } from '../../src/server/chunkBytes.ts'
import {
  replyBufferAppend,
  replyBufferBytes,
  replyBufferCreate,
  replyBufferDetach,
  replyBufferReset,
  respBigPieces,
} from '../../src/server/replyBuffer.ts'

const byteString = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength })
    .map((codes) => String.fromCharCode(...codes))

const integer = fc.oneof(
  fc.integer(),
  fc.integer({ min: -20, max: 1100 }),
  fc.constantFrom(0, -0, 9, 10, 99, 100, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  fc.constantFrom(2 ** 60, -(2 ** 63)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
)

const reply: fc.Arbitrary<Reply> = fc.letrec<{ r: Reply }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    byteString(20).map((value): Reply => ({ type: 'simple', value })),
    byteString(20).map((value): Reply => ({ type: 'error', value: 'ERR ' + value })),
    integer.map((value): Reply => ({ type: 'integer', value })),
    fc.option(byteString(200)).map((value): Reply => ({ type: 'bulk', value })),
    fc
      .option(fc.array(tie('r'), { maxLength: 5 }))
      .map((value): Reply => ({ type: 'array', value })),
  ),
})).r

describe('replyBuffer', () => {
  it('encodes every reply as respAppend does, batch after batch', () => {
    const w = replyBufferCreate()
    fc.assert(
      fc.property(fc.array(reply, { maxLength: 20 }), (replies) => {
        replyBufferReset(w)
        for (const r of replies) replyBufferAppend(w, r)
        expect(replyBufferBytes(w).toString('latin1')).toBe(replies.map(respEncode).join(''))
      }),
    )
  })

  it('gives each batch its bytes when batches are as long, and leaves detached bytes alone', () => {
    const w = replyBufferCreate()
    replyBufferAppend(w, { type: 'simple', value: 'AB' })
    expect(replyBufferBytes(w).toString('latin1')).toBe('+AB\r\n')
    replyBufferReset(w)
    replyBufferAppend(w, { type: 'simple', value: 'CD' })
    const held = replyBufferBytes(w)
    expect(held.toString('latin1')).toBe('+CD\r\n')
    // A write Node could not finish keeps `held`: the next batch goes to new memory.
    replyBufferDetach(w)
    replyBufferAppend(w, { type: 'simple', value: 'EF' })
    expect(replyBufferBytes(w).toString('latin1')).toBe('+EF\r\n')
    expect(held.toString('latin1')).toBe('+CD\r\n')
  })

  it('grows for a big reply and shrinks back after it', () => {
    const w = replyBufferCreate()
    const big = 'v'.repeat(3 * 1024 * 1024)
    replyBufferAppend(w, { type: 'simple', value: 'OK' })
    replyBufferAppend(w, { type: 'bulk', value: big })
    expect(replyBufferBytes(w).toString('latin1')).toBe('+OK\r\n$3145728\r\n' + big + '\r\n')
    replyBufferReset(w)
    expect(w.buf.length).toBeLessThan(1024 * 1024)
    replyBufferAppend(w, { type: 'integer', value: -12 })
    expect(replyBufferBytes(w).toString('latin1')).toBe(':-12\r\n')
  })
})

describe('chunkBytes', () => {
  it('copies any byte range as latin1Slice does, for every length', () => {
    fc.assert(
      fc.property(byteString(100), fc.nat(), fc.nat(), (s, a, b) => {
        const buf = Buffer.from(s, 'latin1') as Latin1Buffer
        const start = a % (s.length + 1)
        const end = start + (b % (s.length - start + 1))
        const bytes = chunkBytesCreate(buf)
        expect(bytes.latin1Slice(start, end)).toBe(s.slice(start, end))
      }),
    )
  })
})

describe('big pieces (bodies Redis adds in one call, each opening a reply block its size)', () => {
  it('are the bulk bodies and status lines over 16 KiB, found alike in encoded bytes', () => {
    const long = 'x'.repeat(20_000)
    const reply: Reply = {
      type: 'array',
      value: [
        { type: 'bulk', value: 'short' },
        { type: 'bulk', value: long },
        { type: 'integer', value: 7 },
        { type: 'bulk', value: 'y'.repeat(16384) },
        { type: 'bulk', value: null },
        { type: 'simple', value: long },
      ],
    }
    const w = replyBufferCreate()
    replyBufferAppend(w, { type: 'simple', value: 'OK' })
    replyBufferAppend(w, reply)
    const bytes = replyBufferBytes(w).toString('latin1')
    const body = bytes.indexOf(long)
    const line = bytes.lastIndexOf('+' + long) + 1
    expect(w.bigPieces).toEqual([body, body + 20_000, line, line + 20_000])
    const found: number[] = []
    respBigPieces(bytes, found)
    expect(found).toEqual(w.bigPieces)
    replyBufferReset(w)
    expect(w.bigPieces).toEqual([])
  })
})
