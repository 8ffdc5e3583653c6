import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import {
  decimalLength,
  respDecodeReplies,
  respEncode,
  respEncodedLength,
  respEncodeCommand,
  respParserCreate,
  respParserFeed,
  respParserNext,
  respReplyReaderCreate,
  respReplyReaderFeed,
  respReplyReaderNext,
  sdssplitargs,
  string2ll,
  type RespParser,
} from '../../src/engine/resp.ts'

// --- helpers ---

/** Feeds `chunks` one by one and collects every command until the parser needs more. */
function parseChunks(chunks: readonly string[], p: RespParser = respParserCreate()): string[][] {
  const out: string[][] = []
  for (const chunk of chunks) {
    respParserFeed(p, chunk)
    for (let argv = respParserNext(p); argv !== null; argv = respParserNext(p)) out.push(argv)
  }
  return out
}

function parseAll(bytes: string, p: RespParser = respParserCreate()): string[][] {
  return parseChunks([bytes], p)
}

/** The error a single buffer produces (null if none). */
function errorOf(bytes: string, p: RespParser = respParserCreate()): string | null {
  parseAll(bytes, p)
  return p.error
}

/** Cuts a string at the given sorted positions. */
function splitAt(s: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b)
  const out: string[] = []
  let last = 0
  for (const c of points) {
    out.push(s.slice(last, c))
    last = c
  }
  out.push(s.slice(last))
  return out
}

const byteString = (maxLength = 40) =>
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength })
    .map((codes) => String.fromCharCode(...codes))

const replyArb: fc.Arbitrary<Reply> = fc.letrec<{ reply: Reply }>((tie) => ({
  reply: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .stringMatching(/^[^\r\n]*$/)
      .map((value): Reply => ({ type: 'simple', value: value.replace(/[^\x20-\x7e]/g, '') })),
    fc.stringMatching(/^[A-Z]+ [a-z ]*$/).map((value): Reply => ({ type: 'error', value })),
    fc
      .integer({ min: -(2 ** 31), max: 2 ** 31 })
      .map((value): Reply => ({ type: 'integer', value })),
    fc.option(byteString(), { nil: null }).map((value): Reply => ({ type: 'bulk', value })),
    fc
      .option(fc.array(tie('reply'), { maxLength: 4 }), { nil: null })
      .map((value): Reply => ({ type: 'array', value })),
  ),
})).reply

// --- encoder ---

describe('respEncode', () => {
  it('writes each reply type as Redis does', () => {
    expect(respEncode({ type: 'simple', value: 'OK' })).toBe('+OK\r\n')
    expect(respEncode({ type: 'error', value: 'ERR syntax error' })).toBe('-ERR syntax error\r\n')
    expect(respEncode({ type: 'integer', value: 0 })).toBe(':0\r\n')
    expect(respEncode({ type: 'integer', value: -5 })).toBe(':-5\r\n')
    expect(respEncode({ type: 'integer', value: 5000 })).toBe(':5000\r\n')
    expect(respEncode({ type: 'integer', value: -9223372036854775808n })).toBe(
      ':-9223372036854775808\r\n',
    )
    expect(respEncode({ type: 'bulk', value: null })).toBe('$-1\r\n')
    expect(respEncode({ type: 'bulk', value: '' })).toBe('$0\r\n\r\n')
    expect(respEncode({ type: 'bulk', value: 'a\r\nb' })).toBe('$4\r\na\r\nb\r\n')
    expect(respEncode({ type: 'bulk', value: 'x'.repeat(2000) })).toBe(
      `$2000\r\n${'x'.repeat(2000)}\r\n`,
    )
    expect(respEncode({ type: 'array', value: null })).toBe('*-1\r\n')
    expect(respEncode({ type: 'array', value: [] })).toBe('*0\r\n')
    expect(
      respEncode({
        type: 'array',
        value: [
          { type: 'bulk', value: 'a' },
          { type: 'array', value: [{ type: 'integer', value: 1 }] },
        ],
      }),
    ).toBe('*2\r\n$1\r\na\r\n*1\r\n:1\r\n')
  })

  it('round-trips through the reply reader, whole or split anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(replyArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (replies, cuts) => {
          const bytes = replies.map(respEncode).join('')
          expect(respDecodeReplies(bytes)).toEqual(replies)
          const r = respReplyReaderCreate()
          const got: string[] = []
          for (const chunk of splitAt(bytes, cuts)) {
            respReplyReaderFeed(r, chunk)
            for (let n = respReplyReaderNext(r); n !== null; n = respReplyReaderNext(r)) {
              got.push(n.raw)
            }
          }
          expect(got).toEqual(replies.map(respEncode))
        },
      ),
    )
  })
})

// --- request parser ---

describe('respParser: multibulk', () => {
  it('reads pipelined commands, binary-safe', () => {
    const bytes = respEncodeCommand(['SET', 'k', 'a\r\n\0b']) + respEncodeCommand(['GET', 'k'])
    expect(parseAll(bytes)).toEqual([
      ['SET', 'k', 'a\r\n\0b'],
      ['GET', 'k'],
    ])
  })

  it('reads each command name as sent when a pipeline repeats or varies it', () => {
    // The parser hands out its last name again for the same bytes (one string per run).
    const commands = [
      ['SET', 'k', 'v'],
      ['SET', 'k2', 'v'],
      ['SEX', 'a'],
      ['set', 'b'],
      ['SETX', 'c'],
      ['SE', 'd'],
      ['', 'e'],
      ['', 'f'],
      ['SET\r\n', 'g'],
      ['a-long-command-name', 'h'],
      ['a-long-command-name', 'i'],
      ['GET', 'k'],
    ]
    expect(parseAll(commands.map(respEncodeCommand).join(''))).toEqual(commands)
  })

  it('gives the same commands for any split of the stream (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(byteString(20), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (commands, cuts) => {
          const bytes = commands.map(respEncodeCommand).join('')
          const p = respParserCreate()
          expect(parseChunks(splitAt(bytes, cuts), p)).toEqual(commands)
          expect(p.error).toBeNull()
        },
      ),
    )
  })

  it('skips empty requests (*0, *-1) and does not check the bytes after a bulk', () => {
    expect(parseAll('*0\r\n*-1\r\n*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n')).toEqual([
      ['PING'],
      ['PING'],
    ])
  })

  it('waits for a header line whose \\r is hidden behind a NUL (strchr)', () => {
    const p = respParserCreate()
    expect(parseAll('*1\0\r\n', p)).toEqual([])
    expect(p.error).toBeNull()
  })

  it("answers Redis's protocol errors", () => {
    expect(errorOf('*2147483648\r\n')).toBe('Protocol error: invalid multibulk length')
    expect(errorOf('*-0\r\n')).toBe('Protocol error: invalid multibulk length')
    expect(errorOf('*abc\r\n')).toBe('Protocol error: invalid multibulk length')
    expect(errorOf('*99999999999999999999\r\n')).toBe('Protocol error: invalid multibulk length')
    expect(errorOf('*2147483647\r\n')).toBeNull()
    expect(errorOf('*1\r\n$-1\r\n')).toBe('Protocol error: invalid bulk length')
    expect(errorOf('*1\r\n$536870913\r\n')).toBe('Protocol error: invalid bulk length')
    expect(errorOf('*1\r\n$536870912\r\n')).toBeNull()
    expect(errorOf('*1\r\nx\r\n')).toBe("Protocol error: expected '$', got 'x'")
    expect(errorOf(`*${'1'.repeat(65537)}`)).toBe('Protocol error: too big mbulk count string')
    expect(errorOf(`*${'1'.repeat(65535)}`)).toBeNull()
    expect(errorOf(`*1\r\n$${'1'.repeat(65537)}`)).toBe('Protocol error: too big bulk count string')
    expect(errorOf(`*1\r\n${'X'.repeat(70000)}`)).toBe('Protocol error: too big bulk count string')
  })

  it('reads header lines the same on the fast and the general path', () => {
    expect(parseAll('*1\r\n$0\r\n\r\n')).toEqual([['']])
    expect(errorOf('*1\r\n$01\r\nx\r\n')).toBe('Protocol error: invalid bulk length')
    expect(errorOf('*01\r\n')).toBe('Protocol error: invalid multibulk length')
    expect(errorOf('*1\r\n$1234567890\r\n')).toBe('Protocol error: invalid bulk length')
    expect(errorOf('*1\r\n$536870912\r\n')).toBeNull()
    expect(errorOf('*1\r\n$1 \r\n')).toBe('Protocol error: invalid bulk length')
    expect(errorOf('*1\r\n$+1\r\n')).toBe('Protocol error: invalid bulk length')
    const p = respParserCreate()
    expect(parseChunks(['*1\r', '\n$3\r', '\nabc\r', '\n'], p)).toEqual([['abc']])
    expect(p.error).toBeNull()
  })

  it('any byte soup parses the same whole or split (property)', () => {
    const token = fc.constantFrom(
      '*',
      '$',
      '1',
      '2',
      '0',
      '-',
      '\r',
      '\n',
      '\r\n',
      'a',
      ' ',
      '"',
      '\0',
    )
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (tokens, cuts) => {
          const bytes = tokens.join('')
          const whole = respParserCreate()
          const split = respParserCreate()
          expect(parseChunks(splitAt(bytes, cuts), split)).toEqual(parseAll(bytes, whole))
          expect(split.error).toBe(whole.error)
        },
      ),
    )
  })

  it('applies the unauthenticated limits only while auth is required', () => {
    let required = true
    const opts = { authRequired: () => required }
    expect(errorOf('*11\r\n', respParserCreate(opts))).toBe(
      'Protocol error: unauthenticated multibulk length',
    )
    expect(errorOf('*10\r\n', respParserCreate(opts))).toBeNull()
    expect(errorOf('*1\r\n$16385\r\n', respParserCreate(opts))).toBe(
      'Protocol error: unauthenticated bulk length',
    )
    expect(errorOf('*1\r\n$16384\r\n', respParserCreate(opts))).toBeNull()
    required = false
    expect(errorOf('*11\r\n$16385\r\n', respParserCreate(opts))).toBeNull()
  })

  it('stops at the first error and keeps the commands before it', () => {
    const p = respParserCreate()
    expect(parseAll('*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n*1\r\n$4\r\nPING\r\n', p)).toEqual([['PING']])
    expect(p.error).toBe('Protocol error: invalid bulk length')
    respParserFeed(p, '*1\r\n$4\r\nPING\r\n')
    expect(respParserNext(p)).toBeNull()
  })
})

describe('respParser: inline', () => {
  it('splits lines with sdssplitargs and accepts \\n or \\r\\n', () => {
    expect(parseAll('SET k "a b"\r\nGET k\n\r\n\nPING\r\n')).toEqual([
      ['SET', 'k', 'a b'],
      ['GET', 'k'],
      ['PING'],
    ])
  })

  it('answers unbalanced quotes and too big inline requests', () => {
    expect(errorOf('PING "a\r\n')).toBe('Protocol error: unbalanced quotes in request')
    expect(errorOf('PING "a"b\r\n')).toBe('Protocol error: unbalanced quotes in request')
    expect(errorOf('1'.repeat(65537))).toBe('Protocol error: too big inline request')
    expect(errorOf('1'.repeat(65536))).toBeNull()
    expect(parseAll(`PING${' '.repeat(70000)}\r\n`)).toEqual([['PING']])
  })

  it('gives the same commands for any split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (commands, cuts) => {
          const bytes = commands.map((c) => c.join(' ') + '\r\n').join('')
          expect(parseChunks(splitAt(bytes, cuts))).toEqual(commands)
        },
      ),
    )
  })
})

describe('sdssplitargs', () => {
  it('follows sds.c quoting rules', () => {
    expect(sdssplitargs('set "a\\x41\\n" \'it\\\'s\' "" x')).toEqual([
      'set',
      'aA\n',
      "it's",
      '',
      'x',
    ])
    expect(sdssplitargs('  a\tb  ')).toEqual(['a', 'b'])
    expect(sdssplitargs('"\\xzz\\q"')).toEqual(['xzzq'])
    expect(sdssplitargs('a\vb')).toEqual(['a\vb'])
    expect(sdssplitargs('"a"\vb')).toEqual(['a', 'b'])
    expect(sdssplitargs('"a')).toBeNull()
    expect(sdssplitargs("'a'b")).toBeNull()
    expect(sdssplitargs('a\0b')).toEqual(['a'])
    expect(sdssplitargs('')).toEqual([])
  })

  it('round-trips any argv quoted as redis-cli would (property)', () => {
    const quote = (a: string) =>
      '"' +
      [...a].map((ch) => '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0')).join('') +
      '"'
    fc.assert(
      fc.property(fc.array(byteString(10), { minLength: 1, maxLength: 5 }), (argv) => {
        expect(sdssplitargs(argv.map(quote).join(' '))).toEqual(argv)
      }),
    )
  })
})

describe('string2ll', () => {
  it('accepts exactly what util.c accepts', () => {
    const v = (s: string) => string2ll(s, 0, s.length)
    expect(v('0')).toBe(0)
    expect(v('12')).toBe(12)
    expect(v('-12')).toBe(-12)
    expect(v('9223372036854775807')).not.toBeNull()
    expect(v('-9223372036854775808')).not.toBeNull()
    for (const bad of ['', '-', '-0', '01', '+1', ' 1', '1 ', '1a', '9223372036854775808']) {
      expect(v(bad)).toBeNull()
    }
  })
})

describe('decimalLength / respEncodedLength', () => {
  it('decimalLength is String(n).length at every power of ten and the safe-integer limits', () => {
    const edges: (number | bigint)[] = [0, -0, 1, -1, 9.5, -9.5, 1e21, -1e21, NaN, Infinity]
    for (let p = 1; p <= 1e17; p *= 10) edges.push(p - 1, p, p + 1, -p + 1, -p, -p - 1)
    edges.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, -(2 ** 63))
    edges.push(0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 10n ** 30n)
    for (const n of edges) expect(decimalLength(n), String(n)).toBe(String(n).length)
  })

  it('decimalLength is String(n).length on random numbers (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.maxSafeInteger(),
          fc.double(),
          fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        ),
        (n) => {
          expect(decimalLength(n)).toBe(String(n).length)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('respEncodedLength is the encoding length, capped (property)', () => {
    fc.assert(
      fc.property(replyArb, fc.integer({ min: 0, max: 400 }), (r, cap) => {
        const len = respEncode(r).length
        expect(respEncodedLength(r, Infinity)).toBe(len)
        expect(respEncodedLength(r, cap)).toBe(Math.min(len, cap))
      }),
    )
  })
})
