/**
 * The op generator of stateful.test.ts: a stateful random command stream over a small key
 * pool (k1..k7 and "k[8]", in dbs 0-2 through SELECT/MOVE/SWAPDB/COPY DB), so every type
 * meets every command (WRONGTYPE paths) and values from small pools (ints at int16/32/64
 * edges, floats, spaces, long strings past 44/64 bytes, binary bytes, random decimals) push
 * encodings both ways while CONFIG SET moves the thresholds mid-stream.
 *
 * Each op is plain data, so a stream can be replayed and shrunk. The generator sees the
 * real server's key types (Ctx.types, asked before each op) and mostly picks commands of a
 * key's own type. How each reply is compared (Redis itself is random or time dependent
 * where it says so):
 *  exact     raw bytes (almost everything)
 *  lex       exact, but skipped on a skiplist whose scores differ: lex ranges over mixed
 *            scores walk the skiplist's random levels (undefined in Redis)
 *  unordered arrays as multisets at every depth (SMEMBERS, SINTER, KEYS, HKEYS, SORT BY a
 *            constant or ALPHA BY: dict order)
 *  alpha     SORT ... ALPHA: the elements cut at their first NUL (strcoll's view) in exactly
 *            the same order, and (without LIMIT) the same multiset of whole elements
 *  pairs     flat field/value arrays as multisets of pairs (HGETALL)
 *  near      integers within a tolerance (TTL, PTTL, EXPIRETIME after a relative expiry)
 *  pending   XPENDING's extended form: exact but each entry's idle time (ms of the real
 *            clock) within a tolerance
 *  rand      random picks (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY, a SORT window
 *            over dict order): type, nil-ness, length, distinctness for positive counts
 * Macro ops: scan (SCAN/HSCAN/SSCAN/ZSCAN with a small COUNT, iterated to cursor 0, the
 * union of the pages compared), spop (SPOP's shape; then our set is rebuilt as redis's
 * remaining set, same members, encoding and expiry, so the datasets stay equal), dump (DUMP
 * compared exactly, or by length where Redis's own bytes vary: dict order of hashtables,
 * PEL and consumer times of streams; then each server RESTOREs its own payload, replies
 * compared exactly).
 */
export type Cmp = 'alpha' | 'lex' | 'exact' | 'unordered' | 'pairs' | 'near' | 'rand' | 'pending'
export type Op =
  | { k: 'cmd'; argv: string[]; cmp: Cmp; other?: boolean }
  | { k: 'scan'; argv: string[] } // argv with '<C>' as the cursor
  | { k: 'spop'; argv: string[] }
  /** ['DUMP', src, 'RESTORE', dst, ttl, ...options]: each server restores its own payload. */
  | { k: 'dump'; argv: string[] }

export interface R {
  s: number
}
export function rnext(g: R): number {
  g.s = (g.s + 0x6d2b79f5) | 0
  let t = g.s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
export const ri = (g: R, n: number) => Math.floor(rnext(g) * n)
export const pick = <T>(g: R, xs: readonly T[]): T => xs[ri(g, xs.length)] as T
export const ch = (g: R, p: number) => rnext(g) < p

export const KEYS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k[8]']
const GLOBS = [
  '*',
  'k[1-4]',
  'k?',
  '*5',
  'k[^1]',
  'k\\[8]',
  'k[[]8]',
  'k[8',
  'k[]',
  'k[\\]',
  '[z-a]*',
  'K*',
  'k[^-]',
  '*]',
  '\\k1',
  'k[1-]',
  'k[!1]',
  '?',
  '**',
  '*[',
  'k[^]',
]
const BIN = '\x00\x01\xff\x80ab'
/**
 * No subnormal numbers (1e-320): glibc's strtod reports ERANGE for them, and Redis's SORT
 * reads a stale errno == ERANGE long after (until some parse resets it), failing sorts that
 * should succeed. The engine does not model errno (see sort.ts).
 */
export const VALUES = [
  '',
  '0',
  '1',
  '-1',
  '7',
  '42',
  '-0',
  '1.5',
  '-1.5',
  '  3',
  '3 ',
  '+5',
  '007',
  'inf',
  '-inf',
  'nan',
  '1e308',
  '-1e308',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '4611686018427387904',
  '12345678901234567890',
  '2147483647',
  '-2147483649',
  '32767',
  '-32768',
  'abc',
  'a',
  'b',
  'hello world',
  'x'.repeat(20),
  'x'.repeat(44),
  'x'.repeat(45),
  'y'.repeat(64),
  'y'.repeat(65),
  'z'.repeat(300),
  BIN,
  '\xc3\xa9',
]
const SMALLINTS = [
  '0',
  '1',
  '2',
  '3',
  '-1',
  '-2',
  '5',
  '10',
  '100',
  '-100',
  '65535',
  '65536',
  '-32769',
  '2147483648',
  '-9223372036854775808',
  '9223372036854775807',
]
export const MEMBERS = [
  ...SMALLINTS,
  'a',
  'b',
  'c',
  'd',
  'e',
  '',
  'x'.repeat(44),
  'y'.repeat(65),
  BIN,
  '1.5',
  ' 1',
  '01',
]
/** A random decimal, sometimes with an exponent: long double and %.17g formatting paths. */
export function rfloat(g: R): string {
  const r = ri(g, 6)
  const sign = ch(g, 0.3) ? '-' : ''
  if (r === 0)
    return sign + String(ri(g, 1000)) + '.' + String(ri(g, 100000)).padStart(ri(g, 6) + 1, '0')
  if (r === 1) return sign + '0.' + String(ri(g, 10)).repeat(1 + ri(g, 20))
  if (r === 2)
    return sign + String(1 + ri(g, 9)) + '.' + String(ri(g, 1000)) + 'e' + String(ri(g, 80) - 40)
  if (r === 3) return sign + String(ri(g, 2 ** 31) * 2 ** 22 + ri(g, 2 ** 22))
  if (r === 4)
    return pick(g, [
      '0.1',
      '0.2',
      '0.3',
      '1.1',
      '2.2',
      '3.3',
      '1e-5',
      '5e20',
      '1.7976931348623157e308',
      '2.5e-308',
      '1e17',
      '1e16',
      '123456789.123456789',
      '0.1e1',
      '17179869184.5',
    ])
  return sign + String(ri(g, 100)) + '.' + String(ri(g, 100)) + '5'
}
const SCORES = [
  '0',
  '1',
  '-1',
  '1.5',
  '-1.5',
  '2',
  '3',
  '-0',
  '+0',
  '0.1',
  '1e308',
  '-1e308',
  'inf',
  '-inf',
  '+inf',
  '9007199254740993',
  '4611686018427387904',
  'nan',
  'x',
  ' 1',
  '1 ',
  '.5',
]
const RSCORES = [
  '-inf',
  '+inf',
  'inf',
  '0',
  '1',
  '(1',
  '2',
  '(2',
  '3',
  '1.5',
  '(-inf',
  '(+inf',
  '-1',
  '(0',
  'nan',
  'x',
  '((1',
  '[1',
]
const LEX = ['-', '+', '[a', '(a', '[b', '(b', '[c', '(c', '[', '(', 'a', '[1', '(10', '[\xff', '[']
const IDX = [
  '0',
  '1',
  '2',
  '-1',
  '-2',
  '-3',
  '3',
  '5',
  '10',
  '-10',
  '100',
  '-100',
  '9223372036854775807',
  '-9223372036854775808',
  'x',
  '1.5',
  '',
]
const CNT = ['0', '1', '2', '3', '5', '10', '-1', '-2', '-5', '-10', 'x', '100']

export interface Ctx {
  g: R
  types: Map<string, string> // key -> type (real redis, current db)
  inMulti: boolean
  want?: string
}

const E = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'exact' })
const U = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'unordered' })
const P = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'pairs' })
const N = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'near' })
/** Lex range ops: undefined (skiplist levels decide) on a skiplist with mixed scores; the runner skips those. */
const LX = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'lex' })
const RND = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'rand' })
const PEL = (...argv: string[]): Op => ({ k: 'cmd', argv, cmp: 'pending' })

function k(c: Ctx): string {
  if (c.want !== undefined && ch(c.g, 0.7)) {
    const of = KEYS.filter((x) => c.types.get(x) === c.want)
    if (of.length > 0) return pick(c.g, of)
  }
  return pick(c.g, KEYS)
}
/** 1..n draws of `f`. */
function upTo(c: Ctx, n: number, f: (c: Ctx) => string): string[] {
  const out: string[] = []
  const count = 1 + ri(c.g, n)
  for (let i = 0; i < count; i++) out.push(f(c))
  return out
}
function ks(c: Ctx, n: number): string[] {
  return upTo(c, n, k)
}
function v(c: Ctx): string {
  if (ch(c.g, 0.1)) return rfloat(c.g)
  return pick(c.g, VALUES)
}
function m(c: Ctx): string {
  return ch(c.g, 0.85) ? pick(c.g, MEMBERS) : pick(c.g, VALUES)
}
function ms(c: Ctx, n: number): string[] {
  return upTo(c, n, m)
}
function idx(c: Ctx): string {
  return ch(c.g, 0.8) ? String(ri(c.g, 11) - 5) : pick(c.g, IDX)
}
function sc(c: Ctx): string {
  if (ch(c.g, 0.2)) return rfloat(c.g)
  return ch(c.g, 0.7) ? pick(c.g, SCORES.slice(0, 10)) : pick(c.g, SCORES)
}
/** Bulk members to cross encoding thresholds: ints or strings, n near a threshold. */
function bulk(c: Ctx, kind: 'int' | 'str' | 'mix'): string[] {
  const n = pick(c.g, [3, 5, 9, 17, 127, 128, 129, 130, 200, 511, 512, 513, 600])
  const out: string[] = []
  const base = ri(c.g, 1000)
  for (let i = 0; i < n; i++) {
    const t = kind === 'mix' ? (ch(c.g, 0.5) ? 'int' : 'str') : kind
    out.push(t === 'int' ? String(base + i * pick(c.g, [1, 1, 3, 70000])) : `m${base + i}`)
  }
  return out
}
function shuffleCase(c: Ctx, s: string): string {
  return ch(c.g, 0.8) ? s : s.toLowerCase()
}

type G = (c: Ctx) => Op | Op[]

/** `argv` and one of `options` (space-separated words; '' for none). */
function withOption(c: Ctx, argv: string[], options: readonly string[]): Op {
  const o = pick(c.g, options)
  return E(...argv, ...(o === '' ? [] : o.split(' ')))
}

/** BLMPOP / BZMPOP: timeout numkeys key... where [COUNT n]. */
function blockingMpop(c: Ctx, name: string, wheres: readonly string[]): Op {
  const keys = ks(c, 2)
  const count = ch(c.g, 0.5) ? ['COUNT', pick(c.g, CNT)] : []
  const timeout = pick(c.g, ['0.01', '0.01', 'x', '-1'])
  return E(name, timeout, String(keys.length), ...keys, pick(c.g, wheres), ...count)
}

const STR: G[] = [
  (c) => {
    const a = ['SET', k(c), v(c)]
    const opts = [
      'NX',
      'XX',
      'GET',
      'KEEPTTL',
      'EX 100000',
      'PX 100000000',
      'EXAT 4102444800',
      'PXAT 4102444800123',
      'EX 0',
      'EX -1',
      'PX x',
    ]
    const n = ri(c.g, 3)
    for (let i = 0; i < n; i++) a.push(...shuffleCase(c, pick(c.g, opts)).split(' '))
    return E(...a)
  },
  (c) => E('GET', k(c)),
  (c) => E('APPEND', k(c), v(c)),
  (c) => E('SETRANGE', k(c), pick(c.g, ['0', '1', '3', '10', '44', '45', '64', '-1', 'x']), v(c)),
  (c) => E(pick(c.g, ['GETRANGE', 'SUBSTR']), k(c), idx(c), idx(c)),
  (c) => E('STRLEN', k(c)),
  (c) => E(pick(c.g, ['INCR', 'DECR']), k(c)),
  (c) => E(pick(c.g, ['INCRBY', 'DECRBY']), k(c), pick(c.g, [...SMALLINTS, 'x', '1.5'])),
  (c) => E('INCRBYFLOAT', k(c), ch(c.g, 0.6) ? rfloat(c.g) : pick(c.g, SCORES)),
  (c) => E('GETSET', k(c), v(c)),
  (c) => E('GETDEL', k(c)),
  (c) => {
    return withOption(
      c,
      ['GETEX', k(c)],
      [
        '',
        'PERSIST',
        'EX 100000',
        'PX 200000000',
        'EXAT 4102444800',
        'PXAT 4102444800123',
        'EX 0',
        'EX x',
        'PERSIST EX 10',
      ],
    )
  },
  (c) => E('MSET', ...ks(c, 3).flatMap((x) => [x, v(c)])),
  (c) => E('MSETNX', ...ks(c, 3).flatMap((x) => [x, v(c)])),
  (c) => E('MGET', ...ks(c, 4)),
  (c) => E('SETNX', k(c), v(c)),
  (c) => {
    return withOption(
      c,
      ['LCS', k(c), k(c)],
      [
        '',
        'LEN',
        'IDX',
        'IDX WITHMATCHLEN',
        'IDX MINMATCHLEN 2',
        'IDX MINMATCHLEN 1 WITHMATCHLEN',
        'LEN IDX',
      ],
    )
  },
  (c) =>
    E(
      'SETBIT',
      k(c),
      pick(c.g, ['0', '1', '7', '8', '15', '100', '351', '519', '-1', 'x']),
      pick(c.g, ['0', '1', '1', '2']),
    ),
  (c) => E('GETBIT', k(c), pick(c.g, ['0', '1', '7', '8', '100', '10000'])),
  (c) => {
    const a = ['BITCOUNT', k(c)]
    const n = ri(c.g, 4)
    if (n >= 1) a.push(idx(c), idx(c))
    if (n >= 2) a.push(pick(c.g, ['BYTE', 'BIT']))
    return E(...a)
  },
  (c) => {
    const a = ['BITPOS', k(c), pick(c.g, ['0', '1'])]
    const n = ri(c.g, 4)
    if (n >= 1) a.push(idx(c))
    if (n >= 2) a.push(idx(c))
    if (n >= 3) a.push(pick(c.g, ['BYTE', 'BIT']))
    return E(...a)
  },
  (c) => {
    const op = pick(c.g, ['AND', 'OR', 'XOR', 'NOT'])
    return E('BITOP', op, k(c), ...(op === 'NOT' ? [k(c)] : ks(c, 3)))
  },
  (c) => {
    const ro = ch(c.g, 0.2)
    const a = [ro ? 'BITFIELD_RO' : 'BITFIELD', k(c)]
    const n = 1 + ri(c.g, 3)
    for (let i = 0; i < n; i++) {
      const t = pick(c.g, ['u1', 'i1', 'u8', 'i8', 'i5', 'u16', 'i32', 'u63', 'i64', 'u64', 'i65'])
      const off = ch(c.g, 0.3) ? `#${ri(c.g, 5)}` : String(ri(c.g, 70))
      const r = ro ? 0 : ri(c.g, 4)
      if (r === 0) a.push('GET', t, off)
      else if (r === 1)
        a.push(
          'SET',
          t,
          off,
          pick(c.g, [
            '0',
            '1',
            '-1',
            '127',
            '128',
            '255',
            '-129',
            '9223372036854775807',
            '-9223372036854775808',
          ]),
        )
      else if (r === 2)
        a.push(
          'INCRBY',
          t,
          off,
          pick(c.g, ['1', '-1', '100', '1000', '-1000', '9223372036854775807']),
        )
      else a.push('OVERFLOW', pick(c.g, ['WRAP', 'SAT', 'FAIL']))
    }
    return E(...a)
  },
]

/** Elements for PFADD: a few, or enough to fill a sparse HLL past 3000 bytes. */
function hllElements(c: Ctx): string[] {
  if (ch(c.g, 0.15)) {
    const base = ri(c.g, 100000)
    return Array.from({ length: pick(c.g, [50, 200, 800, 3000]) }, (_, i) => `e${base + i}`)
  }
  return upTo(c, 5, (d) => (ch(d.g, 0.5) ? m(d) : `e${ri(d.g, 2000)}`))
}

const HLL: G[] = [
  (c) => E('PFADD', k(c), ...(ch(c.g, 0.1) ? [] : hllElements(c))),
  (c) => E('PFCOUNT', ...ks(c, 3)),
  (c) => E('PFMERGE', k(c), ...(ch(c.g, 0.1) ? [] : ks(c, 3))),
  (c) => E('GET', k(c)),
]

const LIST: G[] = [
  sortOp,
  (c) => E(pick(c.g, ['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), k(c), ...ms(c, 4)),
  (c) => E(pick(c.g, ['LPUSH', 'RPUSH']), k(c), ...bulk(c, pick(c.g, ['int', 'str', 'mix']))),
  (c) => E(pick(c.g, ['LPOP', 'RPOP']), k(c), ...(ch(c.g, 0.5) ? [pick(c.g, CNT)] : [])),
  (c) => E('LRANGE', k(c), idx(c), idx(c)),
  (c) => E('LINDEX', k(c), idx(c)),
  (c) => E('LLEN', k(c)),
  (c) => E('LSET', k(c), idx(c), m(c)),
  (c) => E('LREM', k(c), pick(c.g, ['0', '1', '-1', '2', '-2', 'x']), m(c)),
  (c) => E('LTRIM', k(c), idx(c), idx(c)),
  (c) => E('LINSERT', k(c), pick(c.g, ['BEFORE', 'AFTER', 'after', 'X']), m(c), m(c)),
  (c) => {
    const a = ['LPOS', k(c), m(c)]
    if (ch(c.g, 0.5))
      a.push('RANK', pick(c.g, ['1', '-1', '2', '-2', '0', 'x', '-9223372036854775808']))
    if (ch(c.g, 0.5)) a.push('COUNT', pick(c.g, ['0', '1', '2', '-1']))
    if (ch(c.g, 0.3)) a.push('MAXLEN', pick(c.g, ['0', '1', '3', '-1']))
    return E(...a)
  },
  (c) => E('LMOVE', k(c), k(c), pick(c.g, ['LEFT', 'RIGHT']), pick(c.g, ['LEFT', 'RIGHT', 'UP'])),
  (c) => E('RPOPLPUSH', k(c), k(c)),
  (c) => {
    const keys = ks(c, 3)
    const a = [
      'LMPOP',
      pick(c.g, [String(keys.length), String(keys.length), '0', '5']),
      ...keys,
      pick(c.g, ['LEFT', 'RIGHT']),
    ]
    if (ch(c.g, 0.5)) a.push('COUNT', pick(c.g, CNT))
    return E(...a)
  },
  (c) => E(pick(c.g, ['BLPOP', 'BRPOP']), ...ks(c, 2), '0.01'),
  (c) => E('BRPOPLPUSH', k(c), k(c), pick(c.g, ['0.01', 'x', '-1', 'inf'])),
  (c) => blockingMpop(c, 'BLMPOP', ['LEFT', 'RIGHT']),
  (c) =>
    E('BLMOVE', k(c), k(c), pick(c.g, ['LEFT', 'RIGHT']), pick(c.g, ['LEFT', 'RIGHT']), '0.01'),
]

const HASH: G[] = [
  (c) => E(pick(c.g, ['HSET', 'HMSET']), k(c), ...ms(c, 3).flatMap((f) => [f, v(c)])),
  (c) => E('HSET', k(c), ...bulk(c, pick(c.g, ['int', 'str'])).flatMap((f) => [f, f])),
  (c) => E('HSETNX', k(c), m(c), v(c)),
  (c) => E('HGET', k(c), m(c)),
  (c) => E('HMGET', k(c), ...ms(c, 3)),
  (c) => E('HDEL', k(c), ...ms(c, 3)),
  (c) => E('HLEN', k(c)),
  (c) => E('HSTRLEN', k(c), m(c)),
  (c) => E('HEXISTS', k(c), m(c)),
  (c) => E('HINCRBY', k(c), m(c), pick(c.g, [...SMALLINTS, 'x'])),
  (c) => E('HINCRBYFLOAT', k(c), m(c), ch(c.g, 0.6) ? rfloat(c.g) : pick(c.g, SCORES)),
  (c) => P('HGETALL', k(c)),
  (c) => U(pick(c.g, ['HKEYS', 'HVALS']), k(c)),
  (c) => {
    const a = ['HRANDFIELD', k(c)]
    if (ch(c.g, 0.7)) a.push(pick(c.g, CNT))
    if (a.length > 2 && ch(c.g, 0.5)) a.push('WITHVALUES')
    return RND(...a)
  },
]

const SET: G[] = [
  sortOp,
  (c) => E('SADD', k(c), ...ms(c, 4)),
  (c) => E('SADD', k(c), ...bulk(c, pick(c.g, ['int', 'int', 'str']))),
  (c) => E('SREM', k(c), ...ms(c, 3)),
  (c) => E('SISMEMBER', k(c), m(c)),
  (c) => E('SMISMEMBER', k(c), ...ms(c, 3)),
  (c) => E('SCARD', k(c)),
  (c) => U('SMEMBERS', k(c)),
  (c) => E('SMOVE', k(c), k(c), m(c)),
  (c) => U(pick(c.g, ['SINTER', 'SUNION', 'SDIFF']), ...ks(c, 3)),
  (c) => E(pick(c.g, ['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k(c), ...ks(c, 3)),
  (c) => {
    const keys = ks(c, 3)
    const a = [
      'SINTERCARD',
      pick(c.g, [String(keys.length), String(keys.length), '0', '9']),
      ...keys,
    ]
    if (ch(c.g, 0.5)) a.push('LIMIT', pick(c.g, ['0', '1', '2', '-1', 'x']))
    return E(...a)
  },
  (c) => RND('SRANDMEMBER', k(c), ...(ch(c.g, 0.7) ? [pick(c.g, CNT)] : [])),
  (c) => ({
    k: 'spop',
    argv: [
      'SPOP',
      k(c),
      ...(ch(c.g, 0.7) ? [pick(c.g, ['0', '1', '2', '3', '5', '100', '-1'])] : []),
    ],
  }),
]

function zrangeArgs(c: Ctx, cmd: string): string[] {
  const mode = ri(c.g, 3)
  const a: string[] = []
  if (mode === 0) a.push(idx(c), idx(c))
  else if (mode === 1) a.push(pick(c.g, RSCORES), pick(c.g, RSCORES))
  else a.push(pick(c.g, LEX), pick(c.g, LEX))
  if (mode === 1 && ch(c.g, 0.9)) a.push('BYSCORE')
  if (mode === 2 && ch(c.g, 0.9)) a.push('BYLEX')
  if (ch(c.g, 0.3)) a.push('REV')
  if (ch(c.g, 0.3))
    a.push('LIMIT', pick(c.g, ['0', '1', '-1', '2']), pick(c.g, ['1', '2', '-1', '0', '5']))
  if (cmd === 'ZRANGE' && ch(c.g, 0.4)) a.push('WITHSCORES')
  return a
}

function zweights(c: Ctx, n: number, withScores: boolean): string[] {
  const a: string[] = []
  if (ch(c.g, 0.4)) {
    a.push('WEIGHTS')
    for (let i = 0; i < n; i++) a.push(pick(c.g, ['1', '2', '0', '-1', '1.5', 'inf', '-inf', 'x']))
  }
  if (ch(c.g, 0.4)) a.push('AGGREGATE', pick(c.g, ['SUM', 'MIN', 'MAX', 'AVG']))
  if (withScores && ch(c.g, 0.5)) a.push('WITHSCORES')
  return a
}

const ZSET: G[] = [
  sortOp,
  (c) => {
    const a = ['ZADD', k(c)]
    const flags = ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']
    const n = ri(c.g, 3)
    for (let i = 0; i < n; i++) a.push(pick(c.g, flags))
    const pairs = 1 + ri(c.g, 3)
    for (let i = 0; i < pairs; i++) a.push(sc(c), m(c))
    return E(...a)
  },
  (c) =>
    E('ZADD', k(c), ...bulk(c, pick(c.g, ['int', 'str'])).flatMap((x, i) => [String(i % 7), x])),
  (c) => E('ZINCRBY', k(c), ch(c.g, 0.6) ? rfloat(c.g) : pick(c.g, SCORES), m(c)),
  (c) => E('ZREM', k(c), ...ms(c, 3)),
  (c) => E('ZSCORE', k(c), m(c)),
  (c) => E('ZMSCORE', k(c), ...ms(c, 3)),
  (c) => E('ZCARD', k(c)),
  (c) => E(pick(c.g, ['ZRANK', 'ZREVRANK']), k(c), m(c)),
  (c) => E('ZCOUNT', k(c), pick(c.g, RSCORES), pick(c.g, RSCORES)),
  (c) => LX('ZLEXCOUNT', k(c), pick(c.g, LEX), pick(c.g, LEX)),
  (c) => {
    const a = ['ZRANGE', k(c), ...zrangeArgs(c, 'ZRANGE')]
    return a.includes('BYLEX') ? LX(...a) : E(...a)
  },
  (c) => {
    const a = ['ZRANGESTORE', k(c), k(c), ...zrangeArgs(c, 'ZRANGESTORE')]
    return a.includes('BYLEX') ? LX(...a) : E(...a)
  },
  (c) => {
    const cmd = pick(c.g, ['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE'])
    const a = [cmd, k(c), pick(c.g, RSCORES), pick(c.g, RSCORES)]
    if (ch(c.g, 0.4)) a.push('WITHSCORES')
    if (ch(c.g, 0.3)) a.push('LIMIT', pick(c.g, ['0', '1', '-1']), pick(c.g, ['1', '2', '-1']))
    return E(...a)
  },
  (c) => {
    const a = [pick(c.g, ['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), k(c), pick(c.g, LEX), pick(c.g, LEX)]
    if (ch(c.g, 0.3)) a.push('LIMIT', pick(c.g, ['0', '1', '-1']), pick(c.g, ['1', '2', '-1']))
    return LX(...a)
  },
  (c) => E('ZREVRANGE', k(c), idx(c), idx(c), ...(ch(c.g, 0.4) ? ['WITHSCORES'] : [])),
  (c) => E('ZREMRANGEBYRANK', k(c), idx(c), idx(c)),
  (c) => E('ZREMRANGEBYSCORE', k(c), pick(c.g, RSCORES), pick(c.g, RSCORES)),
  (c) => LX('ZREMRANGEBYLEX', k(c), pick(c.g, LEX), pick(c.g, LEX)),
  (c) => {
    const cmd = pick(c.g, ['ZINTER', 'ZUNION', 'ZDIFF'])
    const keys = ks(c, 3)
    return E(
      cmd,
      pick(c.g, [String(keys.length), String(keys.length), String(keys.length), '0', '5']),
      ...keys,
      ...(cmd === 'ZDIFF' ? (ch(c.g, 0.5) ? ['WITHSCORES'] : []) : zweights(c, keys.length, true)),
    )
  },
  (c) => {
    const cmd = pick(c.g, ['ZINTERSTORE', 'ZUNIONSTORE', 'ZDIFFSTORE'])
    const keys = ks(c, 3)
    return E(
      cmd,
      k(c),
      String(keys.length),
      ...keys,
      ...(cmd === 'ZDIFFSTORE' ? [] : zweights(c, keys.length, false)),
    )
  },
  (c) => {
    const keys = ks(c, 3)
    const a = ['ZINTERCARD', String(keys.length), ...keys]
    if (ch(c.g, 0.4)) a.push('LIMIT', pick(c.g, ['0', '1', '3', '-1']))
    return E(...a)
  },
  (c) => {
    const keys = ks(c, 3)
    const a = ['ZMPOP', String(keys.length), ...keys, pick(c.g, ['MIN', 'MAX'])]
    if (ch(c.g, 0.5)) a.push('COUNT', pick(c.g, CNT))
    return E(...a)
  },
  (c) => E(pick(c.g, ['ZPOPMIN', 'ZPOPMAX']), k(c), ...(ch(c.g, 0.5) ? [pick(c.g, CNT)] : [])),
  (c) => blockingMpop(c, 'BZMPOP', ['MIN', 'MAX']),
  (c) => E(pick(c.g, ['BZPOPMIN', 'BZPOPMAX']), ...ks(c, 2), '0.01'),
  (c) => {
    const a = ['ZRANDMEMBER', k(c)]
    if (ch(c.g, 0.7)) a.push(pick(c.g, CNT))
    if (a.length > 2 && ch(c.g, 0.5)) a.push('WITHSCORES')
    return RND(...a)
  },
]

function sortOp(c: Ctx): Op {
  const a = [ch(c.g, 0.85) ? 'SORT' : 'SORT_RO', k(c)]
  const opts = ['ASC', 'DESC', 'ALPHA', 'LIMIT', 'BY', 'GET', 'STORE']
  const n = ri(c.g, 4)
  for (let i = 0; i < n; i++) {
    const o = pick(c.g, opts)
    a.push(o)
    if (o === 'LIMIT')
      a.push(pick(c.g, ['0', '1', '2', '-1', '5', 'x']), pick(c.g, ['1', '2', '-1', '0', '10']))
    if (o === 'BY') a.push(pick(c.g, ['nosort', 'k*', 'k*->a', 'k*->', 'nokey_*', 'k1', '#']))
    if (o === 'GET') a.push(pick(c.g, ['#', 'k*', 'k*->a', 'k*->1', 'nokey', 'k[*]']))
    if (o === 'STORE') a.push(k(c))
  }
  // Orders Redis leaves to the dict (a hashtable set or zset's dict): BY a constant key (no
  // '*': no sort, set iteration order), and ALPHA BY ties (every missing weight ties). Without
  // LIMIT compare as multisets; with LIMIT the window itself differs: compare the shape.
  // ALPHA BY ties keep the dict order of a set or zset: STOREd, that order would stay in the
  // dataset. Such a SORT ... STORE sorts without BY.
  if (a.includes('ALPHA') && a.includes('STORE'))
    for (let i = a.indexOf('BY'); i >= 0; i = a.indexOf('BY')) a.splice(i, 2)
  const bys = a.flatMap((x, i) => (x === 'BY' ? [a[i + 1] ?? ''] : []))
  const loose =
    bys.length > 0 &&
    (bys.some((b) => !b.includes('*')) || a.includes('ALPHA')) &&
    !a.includes('STORE')
  if (loose) return a.includes('LIMIT') ? RND(...a) : U(...a)
  // ALPHA compares with strcoll, which stops at a NUL byte: "a\0b" and "a" tie, and ties
  // keep a set's dict order. (STORE compares whole strings: no ties.)
  if (a.includes('ALPHA') && !a.includes('STORE'))
    return a.includes('GET') ? RND(...a) : { k: 'cmd', argv: a, cmp: 'alpha' }
  return E(...a)
}

/** DUMP a key, then RESTORE each server's own payload (runDump in stateful.test.ts). */
function dumpOp(c: Ctx): Op {
  const a = ['DUMP', k(c), 'RESTORE', k(c), pick(c.g, ['0', '0', '0', '100000', '-1', 'x'])]
  if (ch(c.g, 0.6)) a.push('REPLACE')
  if (ch(c.g, 0.1)) a.push('ABSTTL')
  if (ch(c.g, 0.1)) a.push(pick(c.g, ['IDLETIME', 'FREQ']), pick(c.g, ['0', '7', '300', '-1']))
  return { k: 'dump', argv: a }
}

/**
 * A key whose expiry is due but that is still in the dataset (active expiry off, the stream
 * waits 3 ms): DBSIZE counts it, KEYS skips it, and the next lookup of any command deletes
 * it (db.c expireIfNeeded). Whole, so that the harness's TYPE probes, which would delete it
 * on the real server only, do not run in between; it ends with the key looked up. Not in a
 * transaction.
 */
function dueExpiry(c: Ctx): Op[] {
  // Queued, its lookups would run on EXEC's cached time and leave the key due after it.
  if (c.inMulti) return [E('DBSIZE')]
  const key = k(c)
  const probes: ((c: Ctx) => Op)[] = [
    () => E('DBSIZE'),
    () => U('KEYS', '*'),
    () => E(pick(c.g, ['TYPE', 'EXISTS', 'TTL', 'PERSIST', 'GET', 'STRLEN', 'LLEN']), key),
    () => E('OBJECT', 'ENCODING', key),
    () => E(pick(c.g, ['INCR', 'APPEND', 'LPUSH', 'SADD']), key, '1'),
    () => E('SET', key, v(c), 'GET'),
    () => E(pick(c.g, ['RENAME', 'COPY', 'RENAMENX']), key, k(c)),
    () => E('MOVE', key, pick(c.g, ['1', '2'])),
    () => E('EXPIRE', key, '100'),
    () => E('SORT', key),
  ]
  const ops = [
    E('DEBUG', 'SET-ACTIVE-EXPIRE', '0'),
    ch(c.g, 0.5) ? E('PEXPIRE', key, '1') : E('SET', key, v(c), 'PX', '1'),
    E('DEBUG', 'SLEEP', '0.003'),
  ]
  for (let i = ri(c.g, 3); i >= 0; i--) ops.push(pick(c.g, probes)(c))
  ops.push(E('DBSIZE'), E('EXISTS', key))
  return ops
}

const KEYCMD: G[] = [
  dueExpiry,
  sortOp,
  sortOp,
  (c) => E(pick(c.g, ['DEL', 'UNLINK', 'EXISTS', 'TOUCH']), ...ks(c, 3)),
  (c) => E('TYPE', k(c)),
  (c) => E('OBJECT', 'ENCODING', k(c)),
  (c) => E('OBJECT', 'ENCODING', k(c)),
  (c) => E(pick(c.g, ['RENAME', 'RENAMENX']), k(c), k(c)),
  (c) => {
    const a = ['COPY', k(c), k(c)]
    if (ch(c.g, 0.4)) a.push('DB', pick(c.g, ['0', '1', '2']))
    if (ch(c.g, 0.5)) a.push('REPLACE')
    return E(...a)
  },
  (c) => E('MOVE', k(c), pick(c.g, ['0', '1', '2'])),
  (c) => E('SELECT', pick(c.g, ['0', '0', '1', '2'])),
  (c) => E('SWAPDB', pick(c.g, ['0', '1', '2']), pick(c.g, ['0', '1', '2'])),
  (c) => {
    const a = [pick(c.g, ['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']), k(c)]
    const t =
      a[0] === 'EXPIRE'
        ? pick(c.g, ['100000', '200000', '0', '-1', '9223372036854775807', 'x'])
        : a[0] === 'PEXPIRE'
          ? pick(c.g, ['100000000', '200000000', '-5'])
          : a[0] === 'EXPIREAT'
            ? pick(c.g, ['4102444800', '4102444900', '1', '0'])
            : pick(c.g, ['4102444800123', '4102444800000', '1'])
    a.push(t)
    // GT/LT only with absolute times: Redis 7.0 reads the clock for each EXPIRE, so two
    // relative expiries of the same length compare by how much time passed between them.
    const flags = a[0]?.endsWith('AT') === true ? ['NX', 'XX', 'GT', 'LT'] : ['NX', 'XX']
    if (ch(c.g, 0.5)) a.push(pick(c.g, flags))
    if (ch(c.g, 0.1)) a.push(pick(c.g, flags))
    return E(...a)
  },
  (c) => E('PERSIST', k(c)),
  dumpOp,
  dumpOp,
  dumpOp,
  (c) => N(pick(c.g, ['TTL', 'PTTL']), k(c)),
  (c) => N(pick(c.g, ['EXPIRETIME', 'PEXPIRETIME']), k(c)),
  (c) => U('KEYS', pick(c.g, GLOBS)),
  () => E('DBSIZE'),
  () => RND('RANDOMKEY'),
  (c) => {
    const a = ['SCAN', '<C>', 'COUNT', pick(c.g, ['1', '2', '5'])]
    if (ch(c.g, 0.3)) a.push('MATCH', pick(c.g, GLOBS))
    if (ch(c.g, 0.3)) a.push('TYPE', pick(c.g, ['string', 'list', 'hash', 'set', 'zset']))
    return { k: 'scan', argv: a }
  },
  (c) => {
    const cmd = pick(c.g, ['HSCAN', 'SSCAN', 'ZSCAN'])
    const a = [cmd, k(c), '<C>', 'COUNT', pick(c.g, ['1', '3', '10'])]
    if (ch(c.g, 0.3))
      a.push(
        'MATCH',
        pick(c.g, [
          '*',
          '1*',
          'm1*',
          '[a-c]',
          '*0',
          '[^a]',
          '-*',
          '?',
          '[0-9]*',
          '*\\',
          '[',
          'x*x',
        ]),
      )
    return { k: 'scan', argv: a }
  },
  () => E('DEBUG', 'DIGEST'),
  () => E('DEBUG', 'RELOAD'),
  (c) => E('DEBUG', 'DIGEST-VALUE', ...ks(c, 2)),
]

/** Stream IDs from a small range (explicit, so replies do not depend on the clock). */
function sid(c: Ctx): string {
  const r = ri(c.g, 10)
  if (r === 0)
    return pick(c.g, [
      '-',
      '+',
      '0',
      '0-0',
      'x',
      '1-x',
      '18446744073709551615-18446744073709551615',
    ])
  const ms = String(ri(c.g, 40))
  return r < 4 ? ms : r < 5 ? `${ms}-*` : `${ms}-${String(ri(c.g, 4))}`
}
/** Range bounds for XRANGE / XPENDING: IDs, '-', '+', exclusive '('. */
function srange(c: Ctx): string {
  return ch(c.g, 0.2) ? `(${sid(c)}` : sid(c)
}
const GROUPS = ['g1', 'g2']
const CONSUMERS = ['alice', 'bob', 'carol']
function strim(c: Ctx): string[] {
  const approx = pick(c.g, [[], ['~'], ['=']])
  const a = ch(c.g, 0.6)
    ? ['MAXLEN', ...approx, pick(c.g, ['0', '1', '2', '5', '10', '-1', 'x'])]
    : ['MINID', ...approx, sid(c)]
  if (ch(c.g, 0.2)) a.push('LIMIT', pick(c.g, ['0', '1', '5', '-1']))
  return a
}

const STREAM: G[] = [
  (c) => {
    const a = ['XADD', k(c)]
    if (ch(c.g, 0.1)) a.push('NOMKSTREAM')
    if (ch(c.g, 0.2)) a.push(...strim(c))
    a.push(sid(c))
    const fields = ch(c.g, 0.7) ? ['f', v(c)] : ms(c, 3).flatMap((f) => [f, v(c)])
    return E(...a, ...fields)
  },
  (c) => E('XADD', k(c), `${String(ri(c.g, 40))}-*`, 'f', v(c), 'g', v(c)),
  (c) => E('XLEN', k(c)),
  (c) => {
    const a = [pick(c.g, ['XRANGE', 'XREVRANGE']), k(c), srange(c), srange(c)]
    if (ch(c.g, 0.4)) a.push('COUNT', pick(c.g, CNT))
    return E(...a)
  },
  (c) => E('XDEL', k(c), ...upTo(c, 3, sid)),
  (c) => E('XTRIM', k(c), ...strim(c)),
  (c) => {
    const a = ['XSETID', k(c), sid(c)]
    if (ch(c.g, 0.3)) a.push('ENTRIESADDED', pick(c.g, ['0', '5', '100', '-1']))
    if (ch(c.g, 0.3)) a.push('MAXDELETEDID', sid(c))
    return E(...a)
  },
  (c) => {
    const keys = ks(c, 2)
    const a = ['XREAD']
    if (ch(c.g, 0.4)) a.push('COUNT', pick(c.g, CNT))
    if (ch(c.g, 0.2)) a.push('BLOCK', '10')
    return E(...a, 'STREAMS', ...keys, ...keys.map(() => (ch(c.g, 0.2) ? '$' : sid(c))))
  },
  (c) => E('XINFO', 'STREAM', k(c)),
  (c) => E('XINFO', 'GROUPS', k(c)),
  (c) => {
    const a = ['XGROUP', 'CREATE', k(c), pick(c.g, GROUPS), ch(c.g, 0.3) ? '$' : sid(c)]
    if (ch(c.g, 0.3)) a.push('MKSTREAM')
    if (ch(c.g, 0.2)) a.push('ENTRIESREAD', pick(c.g, ['0', '3', '-1', '-2']))
    return E(...a)
  },
  (c) => E('XGROUP', 'SETID', k(c), pick(c.g, GROUPS), ch(c.g, 0.3) ? '$' : sid(c)),
  (c) => E('XGROUP', 'DESTROY', k(c), pick(c.g, GROUPS)),
  (c) =>
    E(
      'XGROUP',
      pick(c.g, ['CREATECONSUMER', 'DELCONSUMER']),
      k(c),
      pick(c.g, GROUPS),
      pick(c.g, CONSUMERS),
    ),
  (c) => {
    const a = ['XREADGROUP', 'GROUP', pick(c.g, GROUPS), pick(c.g, CONSUMERS)]
    if (ch(c.g, 0.4)) a.push('COUNT', pick(c.g, CNT))
    if (ch(c.g, 0.2)) a.push('NOACK')
    return E(...a, 'STREAMS', k(c), ch(c.g, 0.7) ? '>' : sid(c))
  },
  (c) => E('XACK', k(c), pick(c.g, GROUPS), ...upTo(c, 3, sid)),
  (c) => E('XPENDING', k(c), pick(c.g, GROUPS)),
  (c) => {
    const a = ['XCLAIM', k(c), pick(c.g, GROUPS), pick(c.g, CONSUMERS), '0', ...upTo(c, 3, sid)]
    if (ch(c.g, 0.3)) a.push('FORCE')
    if (ch(c.g, 0.5)) a.push('JUSTID')
    // The delivery time (IDLE ms ago, or TIME in ms: in the past, the future, negative) and
    // count (RETRYCOUNT) an entry gets; LASTID moves the group's last ID; bad values fail.
    if (ch(c.g, 0.3)) a.push('IDLE', pick(c.g, ['0', '5000', '-5', 'x', '9223372036854775807']))
    if (ch(c.g, 0.2)) a.push('TIME', pick(c.g, ['0', '1000', '-1', '99999999999999', 'x']))
    if (ch(c.g, 0.3)) a.push('RETRYCOUNT', pick(c.g, ['0', '3', '-1', 'x']))
    if (ch(c.g, 0.2)) a.push('LASTID', pick(c.g, [sid(c), '0', 'x']))
    if (ch(c.g, 0.1)) a.push(pick(c.g, ['NOSUCH', 'IDLE', 'TIME']))
    return E(...a)
  },
  (c) => {
    // The extended form: [IDLE min-idle] start end count [consumer].
    const a = ['XPENDING', k(c), pick(c.g, GROUPS)]
    if (ch(c.g, 0.3)) a.push('IDLE', pick(c.g, ['0', '100000', '-1', 'x']))
    a.push(srange(c), srange(c), pick(c.g, ['1', '2', '10', '0', '-1', 'x']))
    if (ch(c.g, 0.4)) a.push(pick(c.g, CONSUMERS))
    return PEL(...a)
  },
  (c) => {
    const a = ['XAUTOCLAIM', k(c), pick(c.g, GROUPS), pick(c.g, CONSUMERS), '0', srange(c)]
    if (ch(c.g, 0.5)) a.push('COUNT', pick(c.g, ['1', '2', '10', '0']))
    if (ch(c.g, 0.5)) a.push('JUSTID')
    return E(...a)
  },
  // MEMORY USAGE of streams only (the other types' sampled estimates are not compared here).
  (c) => {
    const key = k(c)
    return c.types.get(key) === 'stream' && !c.inMulti ? E('MEMORY', 'USAGE', key) : E('XLEN', key)
  },
]

const CONFIG_PARAMS: [string, string[]][] = [
  ['hash-max-listpack-entries', ['0', '1', '2', '4', '8', '128']],
  ['hash-max-listpack-value', ['0', '1', '4', '16', '64']],
  ['hash-max-ziplist-entries', ['2', '128']],
  ['zset-max-listpack-entries', ['0', '1', '2', '4', '8', '128']],
  ['zset-max-listpack-value', ['0', '1', '4', '16', '64']],
  ['zset-max-ziplist-value', ['3', '64']],
  ['set-max-intset-entries', ['0', '1', '2', '4', '512']],
  ['list-max-listpack-size', ['-5', '-4', '-3', '-2', '-1', '1', '2', '3', '4', '128', '0']],
  ['list-max-ziplist-size', ['-2', '2']],
  ['list-compress-depth', ['0', '1', '2', '3']],
  ['hll-sparse-max-bytes', ['0', '30', '300', '3000']],
  ['stream-node-max-entries', ['0', '1', '2', '3', '100']],
  ['stream-node-max-bytes', ['0', '40', '100', '4096']],
]

const CFG: G[] = [
  (c) => {
    const [p, vals] = pick(c.g, CONFIG_PARAMS)
    return E('CONFIG', 'SET', p, pick(c.g, vals))
  },
]

const TX: G[] = [
  () => E('MULTI'),
  () => E('EXEC'),
  () => E('DISCARD'),
  (c) => E('WATCH', ...ks(c, 2)),
  () => E('UNWATCH'),
  // A queue-time error (unknown command / wrong arity) → EXECABORT at EXEC.
  (c) => E(pick(c.g, ['NOSUCH', 'GET', 'SET', 'ZADD']), ...(ch(c.g, 0.5) ? [] : [k(c)])),
  // Another client touches a key (breaks WATCH).
  (c) => ({
    k: 'cmd',
    argv: pick(c.g, [
      ['SET', k(c), 'o'],
      ['DEL', k(c)],
      ['LPUSH', k(c), 'o'],
      ['SADD', k(c), '9'],
      ['EXPIRE', k(c), '100000'],
      ['PERSIST', k(c)],
      ['FLUSHDB'],
      ['SWAPDB', '0', '1'],
    ]),
    cmp: 'exact',
    other: true,
  }),
]

const FAMILY: Record<string, G[]> = {
  string: [...STR, ...HLL, ...HLL],
  list: LIST,
  hash: HASH,
  set: SET,
  zset: ZSET,
  stream: STREAM,
}
const FAMS = Object.keys(FAMILY)

/** One op. `key` is a key whose type we know (c.types). */
export function genOp(c: Ctx): Op | Op[] {
  const r = rnext(c.g)
  let fam: G[]
  delete c.want
  if (r < 0.12) fam = KEYCMD
  else if (r < 0.15) fam = CFG
  else if (r < 0.2) fam = TX
  else {
    // Mostly the family of a random existing key (so state builds), sometimes any family.
    const existing = [...c.types.values()].filter((t) => t !== 'none')
    const t = existing.length > 0 && ch(c.g, 0.7) ? pick(c.g, existing) : pick(c.g, FAMS)
    fam = FAMILY[t] ?? STR
    c.want = t
  }
  for (;;) {
    const op = pick(c.g, fam)(c)
    const ops = Array.isArray(op) ? op : [op]
    const first = ops[0]
    if (
      first !== undefined &&
      first.k === 'cmd' &&
      fam !== KEYCMD &&
      fam !== TX &&
      fam !== CFG &&
      ch(c.g, 0.35)
    ) {
      const key = first.argv.find((x) => KEYS.includes(x))
      if (key !== undefined) ops.push(E('OBJECT', 'ENCODING', key))
    }
    if (c.inMulti && ops.some((o) => o.k !== 'cmd' || o.cmp !== 'exact')) continue
    return ops
  }
}

// --- Helpers of the fuzzers that drive this generator on both servers ---

/**
 * SORT of a set or a skiplist zset with BY or GET patterns looks the patterns' keys up in the
 * value's dict order, which follows Redis's per-process hash seed: their key misses (and
 * their notifications) come in another order.
 */
export function setOrderLookups(argv: readonly string[], ctx: Ctx, inMulti: boolean): boolean {
  if (!/^SORT(_RO)?$/i.test(argv[0] ?? '') || !argv.slice(2).some((x) => x.includes('*')))
    return false
  return inMulti || ctx.types.get(argv[1] ?? '') !== 'list'
}

/**
 * The due-expiry batch (PX 1, then a real 3 ms DEBUG SLEEP, then lookups): a race on real
 * time that only stateful.test.ts, which compares its replies, runs.
 */
export function isDueExpiryBatch(got: Op | Op[]): boolean {
  return Array.isArray(got) && got.some((op) => op.k === 'cmd' && /^SLEEP$/i.test(op.argv[1] ?? ''))
}

/** Asks both servers each key's type (on `real` and `ours`); the generator sees real's. */
export async function probeKeyTypes(
  ctx: Ctx,
  real: { command(...argv: string[]): Promise<{ reply: { value: unknown } }> },
  ours: { command(...argv: string[]): Promise<unknown> },
): Promise<void> {
  for (const key of KEYS) {
    const [a] = await Promise.all([real.command('TYPE', key), ours.command('TYPE', key)])
    ctx.types.set(key, String(a.reply.value))
  }
}
