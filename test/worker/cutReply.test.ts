import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import { cutReply } from '../../src/worker/engineHost.ts'

const bulk = (v: string): Reply => ({ type: 'bulk', value: v })
const arr = (v: Reply[]): Reply => ({ type: 'array', value: v })

describe('cutReply (what crosses to the page of a huge reply)', () => {
  it('leaves a reply within the budget untouched (the same object)', () => {
    const r = arr([bulk('a'), arr([bulk('b'), bulk('c')]), arr([])])
    expect(cutReply(r, 4)).toEqual({ reply: r, left: 0 })
    expect(cutReply(r, 4).reply).toBe(r)
    const one = bulk('x')
    expect(cutReply(one, 0)).toEqual({ reply: { type: 'array', value: [] }, left: 1 })
  })

  it('keeps the first lines of KEYS * over a million keys and counts the rest', () => {
    const keys = arr(Array.from({ length: 1_000_000 }, (_, i) => bulk(`key:${String(i)}`)))
    const { reply, left } = cutReply(keys, 2000)
    expect(left).toBe(998_000)
    expect(reply.type === 'array' && reply.value?.length).toBe(2000)
    expect(reply.type === 'array' && reply.value?.[1999]).toEqual(bulk('key:1999'))
  })

  it('cuts inside nested arrays, as SCAN replies are nested', () => {
    const scan = arr([bulk('17'), arr([bulk('a'), bulk('b'), bulk('c')])])
    expect(cutReply(scan, 2)).toEqual({ reply: arr([bulk('17'), arr([bulk('a')])]), left: 2 })
  })

  it('cuts several replies in a row (SUBSCRIBE a b) like elements, keeping them a sequence', () => {
    const conf = (ch: string): Reply => arr([bulk('subscribe'), bulk(ch)])
    const seq: Reply = { type: 'sequence', value: [conf('a'), conf('b'), conf('c')] }
    expect(cutReply(seq, 6).reply).toBe(seq)
    expect(cutReply(seq, 3)).toEqual({
      reply: { type: 'sequence', value: [conf('a'), arr([bulk('subscribe')]), arr([])] },
      left: 3,
    })
  })
})
