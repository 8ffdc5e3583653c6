import { describe, expect, it } from 'vitest'
import { narrate, narration } from '../../src/panels/shared/narration.ts'
import { SUMMARY_EVENTS } from '../../src/engine/events.ts'

describe('narration', () => {
  it('has an entry for every event type the engine can emit', () => {
    expect(Object.keys(narration).sort()).toEqual(Object.keys(SUMMARY_EVENTS).sort())
  })

  it('tells a step in English and 简体中文, keys decoded from UTF-8 bytes', () => {
    const e = {
      type: 'dict/bucketRehashed' as const,
      dict: 'db:0:keys',
      from: 5,
      moves: [
        { key: 'a', to: 5 },
        { key: 'b', to: 13 },
      ],
      rehashIdx: 6,
    }
    expect(narrate(e, 'en')).toBe('Moved bucket 5 (2 key(s)) from ht[0] to ht[1].')
    expect(narrate(e, 'zh')).toBe('把第 5 号桶（2 个键）从 ht[0] 搬到 ht[1]。')
    const lazy = {
      type: 'expire/keyExpiredLazily' as const,
      db: 0,
      key: '\xe4\xb8\xad',
      when: 1000,
      now: 1500,
    }
    expect(narrate(lazy, 'en')).toBe(
      '“中” had expired 500 ms ago: deleted when accessed (lazy expiry).',
    )
  })
})
