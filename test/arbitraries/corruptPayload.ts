/**
 * DUMP payloads of every type and encoding, and fast-check mutations of them: what RESTORE
 * must survive (rdbDecode.ts). The corpus is built once by commands on a test engine (each
 * encoding the current types have, under small encoding thresholds) plus hand-made payloads of
 * the legacy types Redis 7.0 still reads (zipmap, ziplists, quicklist of ziplists,
 * RDB_TYPE_LIST, RDB_TYPE_ZSET with text scores, a stream v1). A mutation changes the body
 * (flipped bits, set bytes, changed length fields, truncation, removed, inserted or repeated
 * ranges) and the footer is written again with the right CRC64, so every mutation reaches the
 * parser on both servers without DEBUG SET-SKIP-CHECKSUM-VALIDATION.
 */
import { fc } from '@fast-check/vitest'
import type { Reply } from '../../src/engine/reply.ts'
import { crc64, crc64ToBytesLE } from '../../src/engine/util/crc64.ts'
import { createTestEngine } from '../harness/TestEngine.ts'

/** RDB version 10 as DUMP writes it (2 bytes, little-endian) before the CRC64. */
const RDB_VERSION_LE = '\x0a\x00'

/** A body (type byte and value) with its footer: version and CRC64. */
export function withFooter(body: string): string {
  const p = body + RDB_VERSION_LE
  return p + crc64ToBytesLE(crc64(0n, p))
}

/** rdbSaveLen: 6-bit, 14-bit or 32-bit length prefix. */
function rdbLen(n: number): string {
  if (n < 64) return String.fromCharCode(n)
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff)
  return (
    '\x80' + String.fromCharCode((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
  )
}

/** An RDB string of raw bytes. */
function rdbString(s: string): string {
  return rdbLen(s.length) + s
}

function le(n: number, bytes: number): string {
  let out = ''
  for (let i = 0; i < bytes; i++) out += String.fromCharCode(Math.floor(n / 256 ** i) & 0xff)
  return out
}

/** A ziplist of short strings and small integers (0..12 immediates, int8), as ziplist.c writes. */
function ziplist(elements: readonly (string | number)[]): string {
  let entries = ''
  let prevlen = 0
  let tail = 10
  for (const e of elements) {
    let enc: string
    if (typeof e === 'number')
      enc = e >= 0 && e <= 12 ? String.fromCharCode(0xf1 + e) : '\xfe' + le(e, 1)
    else enc = String.fromCharCode(e.length) + e
    const entry = String.fromCharCode(prevlen) + enc
    tail = 10 + entries.length
    entries += entry
    prevlen = entry.length
  }
  const bytes = 10 + entries.length + 1
  return le(bytes, 4) + le(tail, 4) + le(elements.length, 2) + entries + '\xff'
}

/** A zipmap of short fields and values (zipmap.c, no free bytes). */
function zipmap(pairs: readonly (readonly [string, string])[]): string {
  let out = String.fromCharCode(pairs.length)
  for (const [f, v] of pairs)
    out += String.fromCharCode(f.length) + f + String.fromCharCode(v.length) + '\x00' + v
  return out + '\xff'
}

/** The legacy types, hand-made (bodies without footers). */
function legacyBodies(): string[] {
  return [
    '\x09' +
      rdbString(
        zipmap([
          ['a', '1'],
          ['bb', 'two'],
          ['c', ''],
        ]),
      ),
    '\x0a' + rdbString(ziplist(['a', 5, 'hello', -3, 'x'])),
    '\x0c' + rdbString(ziplist(['m1', '1.5', 'm2', 2, 'm3', '-inf'])),
    '\x0d' + rdbString(ziplist(['f1', 'v1', 'f2', 7, 'f3', 'value'])),
    '\x0e\x02' + rdbString(ziplist(['a', 'b', 1])) + rdbString(ziplist([2, 'c'])),
    '\x01\x03' + rdbString('a') + rdbString('bc') + '\xc0\x05',
    '\x03\x02' + rdbString('a') + '\x031.5' + rdbString('b') + '\xfe',
    '\x04\x02' + rdbString('f') + rdbString('v') + rdbString('g') + rdbString('w'),
  ]
}

const text = (r: Reply): string | null => (r.type === 'bulk' ? r.value : null)

/** DUMP bodies (footer removed) of every type and encoding, made by commands. */
function dumpedBodies(): string[] {
  const t = createTestEngine({ trace: 'off' })
  const run = (...argv: string[]) => t.exec(...argv)
  run('config', 'set', 'list-max-listpack-size', '3')
  run('config', 'set', 'hash-max-listpack-entries', '4')
  run('config', 'set', 'zset-max-listpack-entries', '4')
  run('config', 'set', 'set-max-intset-entries', '4')
  run('config', 'set', 'stream-node-max-entries', '3')
  run('set', 'int', '12345')
  run('set', 'str', 'hello world')
  run('set', 'lzf', 'abc'.repeat(40))
  run('rpush', 'list', 'a', '1', 'bb', '-70000', 'c'.repeat(70), '9')
  run('rpush', 'short', 'x', '2')
  run('sadd', 'intset', '1', '-5', '300', '70000')
  run('sadd', 'set', 'a', 'b', '1', 'c', 'd', 'e')
  run('zadd', 'zlp', '1', 'a', '2.5', 'b', '-inf', 'c')
  run('zadd', 'zsl', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e')
  run('hset', 'hlp', 'f1', 'v1', 'f2', '22', 'f3', '')
  run('hset', 'hht', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5')
  for (let i = 1; i <= 7; i++) run('xadd', 'stream', `${String(i)}-0`, 'f', String(i), 'g', 'x')
  run('xadd', 'stream', '8-0', 'other', 'y')
  run('xdel', 'stream', '2-0')
  run('xgroup', 'create', 'stream', 'g1', '0')
  run('xreadgroup', 'group', 'g1', 'alice', 'count', '3', 'streams', 'stream', '>')
  run('xreadgroup', 'group', 'g1', 'bob', 'count', '1', 'streams', 'stream', '>')
  run('xgroup', 'create', 'stream', 'g2', '$')
  run('config', 'set', 'list-compress-depth', '1')
  run(
    'rpush',
    'compressed',
    ...Array.from({ length: 12 }, (_, i) => `element-${String(i)}-${'z'.repeat(30)}`),
  )
  const keys = [
    'int',
    'str',
    'lzf',
    'list',
    'short',
    'intset',
    'set',
    'zlp',
    'zsl',
    'hlp',
    'hht',
    'stream',
    'compressed',
  ]
  return keys.map((k) => {
    const p = text(run('dump', k))
    if (p === null) throw new Error(`no DUMP of ${k}`)
    return p.slice(0, -10)
  })
}

let corpus: string[] | null = null

/** Every seed body (built once). */
export function seedBodies(): string[] {
  corpus ??= [...dumpedBodies(), ...legacyBodies()]
  return corpus
}

/** Bytes a corrupting fuzzer favours: terminators, length-encoding markers, extremes. */
const SPECIAL_BYTES = [
  0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xc3, 0xf0, 0xf4, 0xfe, 0xff,
]

/** One change to a body; positions are fractions of its length (so any body fits). */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'add'; readonly at: number; readonly delta: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'remove'; readonly at: number; readonly len: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'repeat'; readonly at: number; readonly len: number }

const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
const byte = fc.oneof(fc.constantFrom(...SPECIAL_BYTES), fc.integer({ min: 0, max: 255 }))

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, byte }),
  fc.record({
    kind: fc.constant('add' as const),
    at,
    delta: fc.constantFrom(-2, -1, 1, 2, 64, -64),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('remove' as const), at, len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at,
    bytes: fc.array(byte, { minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('repeat' as const), at, len: fc.integer({ min: 1, max: 24 }) }),
)

/** Applies a mutation to a body (the type byte, position 0, is kept unless `at` is 0). */
export function mutate(body: string, m: Mutation): string {
  const i = Math.floor(m.at * body.length)
  const ch = (b: number) => String.fromCharCode(b & 0xff)
  switch (m.kind) {
    case 'flip':
      return body.slice(0, i) + ch(body.charCodeAt(i) ^ (1 << m.bit)) + body.slice(i + 1)
    case 'set':
      return body.slice(0, i) + ch(m.byte) + body.slice(i + 1)
    case 'add':
      return body.slice(0, i) + ch(body.charCodeAt(i) + m.delta) + body.slice(i + 1)
    case 'truncate':
      return body.slice(0, Math.max(1, i))
    case 'remove':
      return body.slice(0, i) + body.slice(i + m.len)
    case 'insert':
      return body.slice(0, i) + m.bytes.map(ch).join('') + body.slice(i)
    case 'repeat':
      return body.slice(0, i + m.len) + body.slice(i, i + m.len) + body.slice(i + m.len)
  }
}

/** A corrupt payload: a seed body, one to three mutations, and a correct footer. */
export const corruptPayloadArb: fc.Arbitrary<string> = fc
  .tuple(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([seed, ms]) => {
    const bodies = seedBodies()
    const body = bodies[seed % bodies.length] ?? ''
    return withFooter(ms.reduce(mutate, body))
  })
