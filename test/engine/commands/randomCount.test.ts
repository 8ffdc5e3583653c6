import { describe, expect, it } from 'vitest'
import { MAX_RANDOM_REPLY_ELEMENTS } from '../../../src/engine/reply.ts'
import { createTestEngine } from '../../harness/TestEngine.ts'

// Redis streams HRANDFIELD / SRANDMEMBER / ZRANDMEMBER replies of negative counts as it picks;
// -9223372036854775807 made the engine build an array V8 cannot allocate, which killed the
// RESP server process (and would kill the app's worker, then its replay).
describe('repeated random picks with a huge negative count', () => {
  const huge = '-9223372036854775807'
  const justOver = String(-(MAX_RANDOM_REPLY_ELEMENTS + 1))

  it('answer an error past the limit, for every encoding, and the engine goes on', () => {
    const t = createTestEngine()
    t.exec('hset', 'h', 'a', '1')
    t.exec('sadd', 's', 'a')
    t.exec('sadd', 'si', '1')
    t.exec('zadd', 'z', '1', 'a')
    t.exec('config', 'set', 'zset-max-listpack-entries', '0')
    t.exec('zadd', 'zs', '1', 'a')
    for (const argv of [
      ['hrandfield', 'h', huge],
      ['hrandfield', 'h', justOver],
      ['srandmember', 's', huge],
      ['srandmember', 'si', justOver],
      ['zrandmember', 'z', huge],
      ['zrandmember', 'zs', justOver],
      // With values the reply has two elements a pick.
      ['hrandfield', 'h', String(-(MAX_RANDOM_REPLY_ELEMENTS / 2 + 1)), 'withvalues'],
      ['zrandmember', 'z', String(-(MAX_RANDOM_REPLY_ELEMENTS / 2 + 1)), 'withscores'],
    ]) {
      const r = t.exec(...argv)
      expect(r.type, argv.join(' ')).toBe('error')
      expect(r.type === 'error' ? r.value : '').toMatch(/^ERR count is too large/)
    }
    expect(t.exec('hrandfield', 'h', '-3')).toEqual({
      type: 'array',
      value: [1, 2, 3].map(() => ({ type: 'bulk', value: 'a' })),
    })
    expect(t.exec('srandmember', 's', '-2')).toEqual({
      type: 'array',
      value: [1, 2].map(() => ({ type: 'bulk', value: 'a' })),
    })
    // A missing key is still an empty array, as Redis answers before picking anything.
    expect(t.exec('srandmember', 'nokey', huge)).toEqual({ type: 'array', value: [] })
  })
})
