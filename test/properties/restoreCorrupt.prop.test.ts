/**
 * RESTORE of corrupt DUMP payloads (test/arbitraries/corruptPayload.ts: every type and
 * encoding, legacy ones included, with flipped bits, changed lengths, truncations and repeated
 * ranges, and a correct checksum). Whatever the bytes, RESTORE answers what Redis can answer,
 * OK or "Bad data format", never an error of the engine; with sanitize-dump-payload yes, a
 * value it accepts then survives every reading command and a write of its type (Redis's
 * promise for deep sanitization: no later command can crash on it).
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { corruptPayloadArb } from '../arbitraries/corruptPayload.ts'
import { createTestEngine } from '../harness/TestEngine.ts'

const FOLLOW_UP: Record<string, readonly (readonly string[])[]> = {
  string: [['get'], ['strlen'], ['append', 'x'], ['getrange', '0', '-1']],
  list: [
    ['lrange', '0', '-1'],
    ['lindex', '-1'],
    ['llen'],
    ['lpos', 'a'],
    ['rpush', 'new'],
    ['lpop'],
    ['rpop', '2'],
  ],
  set: [
    ['smembers'],
    ['scard'],
    ['sismember', '1'],
    ['srandmember', '-3'],
    ['sadd', 'new', '7'],
    ['spop'],
  ],
  zset: [
    ['zrange', '0', '-1', 'withscores'],
    ['zrevrange', '0', '-1'],
    ['zrangebyscore', '-inf', '+inf'],
    ['zscore', 'a'],
    ['zrank', 'b'],
    ['zadd', '3', 'new'],
    ['zpopmin'],
  ],
  hash: [
    ['hgetall'],
    ['hlen'],
    ['hget', 'f1'],
    ['hrandfield', '-3'],
    ['hset', 'new', 'v'],
    ['hdel', 'a'],
  ],
  stream: [
    ['xrange', '-', '+'],
    ['xrevrange', '+', '-'],
    ['xlen'],
    ['xinfo', 'stream', '', 'full'],
    ['xinfo', 'groups', ''],
    ['xpending', '', 'g1'],
    ['xadd', '*', 'f', 'v'],
    ['xtrim', 'maxlen', '2'],
    ['xautoclaim', '', 'g1', 'carol', '0', '0'],
  ],
}

const BAD_FORMAT = { type: 'error', value: 'ERR Bad data format' }
const OK = { type: 'simple', value: 'OK' }

test.prop([corruptPayloadArb, fc.constantFrom('yes', 'no')], { numRuns: 400 })(
  'RESTORE answers OK or Bad data format, and a sanitized value survives the commands after it',
  (payload, sanitize) => {
    const t = createTestEngine({ trace: 'off' })
    t.exec('config', 'set', 'sanitize-dump-payload', sanitize)
    const reply = t.exec('restore', 'k', '0', payload, 'replace')
    expect([OK, BAD_FORMAT]).toContainEqual(reply)
    if (reply.type !== 'simple' || sanitize !== 'yes') return
    const type = t.exec('type', 'k')
    const cmds = FOLLOW_UP[type.type === 'simple' ? type.value : ''] ?? []
    for (const [name = '', ...rest] of cmds) {
      // The key goes after the subcommand for XINFO and XPENDING-like forms ('' marks it).
      const args = rest.includes('') ? rest.map((a) => (a === '' ? 'k' : a)) : ['k', ...rest]
      t.exec(name, ...args)
    }
    for (const cmd of [
      ['dump', 'k'],
      ['debug', 'digest-value', 'k'],
      ['object', 'encoding', 'k'],
    ])
      t.exec(...cmd)
  },
)
