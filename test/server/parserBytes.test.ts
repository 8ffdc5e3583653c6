/**
 * The request parser fed as the RESP server feeds it: each chunk's latin1 string together
 * with the bytes it came from (one shared read buffer, overwritten after every chunk), in
 * 16KB slices of a bigger read. Long arguments are copied out of those bytes, arguments that
 * span chunks out of the query buffer; either way the commands must be exactly the ones a
 * string-only parse gives.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  PROTO_IOBUF_LEN,
  respEncodeCommand,
  respParserCreate,
  respParserFeed,
  respParserNext,
  respParserReleaseBytes,
  type RespChunkBytes,
} from '../../src/engine/resp.ts'

/** Parses `bytes` cut at `cuts` the way the server does, through one reused buffer. */
function parseAsServer(bytes: string, cuts: readonly number[]): string[][] {
  const shared = Buffer.alloc(Math.max(1, bytes.length)) as Buffer & RespChunkBytes
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  points.push(bytes.length)
  const p = respParserCreate()
  const out: string[][] = []
  let last = 0
  for (const cut of points) {
    const n = shared.write(bytes.slice(last, cut), 0, 'latin1')
    last = cut
    for (let off = 0; off < n; off += PROTO_IOBUF_LEN) {
      const end = Math.min(n, off + PROTO_IOBUF_LEN)
      respParserFeed(p, shared.latin1Slice(off, end), shared, off)
      for (let argv = respParserNext(p); argv !== null; argv = respParserNext(p)) out.push(argv)
    }
    respParserReleaseBytes(p)
    shared.fill(0x3f) // the next read overwrites the buffer
  }
  return out
}

function parseAsString(bytes: string): string[][] {
  const p = respParserCreate()
  respParserFeed(p, bytes)
  const out: string[][] = []
  for (let argv = respParserNext(p); argv !== null; argv = respParserNext(p)) out.push(argv)
  return out
}

const byteString = (maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength })
    .map((codes) => String.fromCharCode(...codes))

describe('parser fed with the bytes of each chunk', () => {
  it('gives the same commands as a string-only parse, for any cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(byteString(40), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (commands, cuts) => {
          const bytes = commands.map(respEncodeCommand).join('')
          expect(parseAsServer(bytes, cuts)).toEqual(commands)
          expect(parseAsString(bytes)).toEqual(commands)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('copies long arguments from the bytes, in and across 16KB slices', () => {
    const key = 'key:000000012345'
    const big = Array.from({ length: 40_000 }, (_, i) => String.fromCharCode(i % 256)).join('')
    const commands = [
      ['SET', key, 'xxx'],
      ['SET', key + '\xff\r\n', big],
      ['GET', key],
    ]
    const bytes = commands.map(respEncodeCommand).join('')
    expect(parseAsServer(bytes, [])).toEqual(commands)
    expect(parseAsServer(bytes, [20, 70, 30_000])).toEqual(commands)
  })

  it('whole short requests still meet the bulk limits with the errors of the step-by-step path', () => {
    const big = respEncodeCommand(['SET', 'k', 'v'.repeat(16_385)])
    let required = true
    const authed = respParserCreate({ authRequired: () => required })
    respParserFeed(authed, big)
    expect(respParserNext(authed)).toBeNull()
    expect(authed.error).toBe('Protocol error: unauthenticated bulk length')
    required = false
    const open = respParserCreate({ authRequired: () => required })
    respParserFeed(open, big)
    expect(respParserNext(open)?.[2]?.length).toBe(16_385)
    const capped = respParserCreate({ maxBulkLen: 4 })
    respParserFeed(capped, respEncodeCommand(['GET', 'abcd']) + respEncodeCommand(['GET', 'abcde']))
    expect(respParserNext(capped)).toEqual(['GET', 'abcd'])
    expect(respParserNext(capped)).toBeNull()
    expect(capped.error).toBe('Protocol error: invalid bulk length')
  })
})
