import { describe, expect, it } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

describe('client ids', () => {
  it('the first connection of a fresh server is id 3, as on redis-server 7.0', () => {
    // Ids 1 and 2 go to the internal clients Redis creates at startup.
    const t = createTestEngine()
    expect(t.exec('client', 'id')).toEqual(r.int(3))
  })
})
