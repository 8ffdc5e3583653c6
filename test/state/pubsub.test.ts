/**
 * Pub/Sub in the console: a tab that subscribes gets its confirmations as replies, and the
 * messages another tab publishes land in its lines as replies too (printed as redis-cli
 * prints them); the tab keeps working (UNSUBSCRIBE, the subscribed-context error).
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { outputLines } from '../../src/state/store.ts'
import type { ConsoleLine } from '../../src/state/types.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { createHarness } from './harness.ts'
import { formatReply, showReply } from '../../src/console/formatReply.ts'

const bulks = (...xs: string[]): Reply => ({
  type: 'array',
  value: xs.map((value) => ({ type: 'bulk', value })),
})
const conf = (kind: string, ch: string, n: number): Reply => ({
  type: 'array',
  value: [
    { type: 'bulk', value: kind },
    { type: 'bulk', value: ch },
    { type: 'integer', value: n },
  ],
})
const replies = (lines: readonly ConsoleLine[] | undefined): Reply[] =>
  (lines ?? []).flatMap((l) => (l.kind === 'reply' ? [l.reply] : []))

describe('pushed output', () => {
  it('cuts RESP messages into reply lines, status lines into monitor lines', () => {
    expect(
      outputLines(
        '*3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$2\r\nhi\r\n+1.0 [0 a] "PING"\r\n*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\nx\r\n$0\r\n\r\n',
      ),
    ).toEqual([
      { kind: 'reply', reply: bulks('message', 'x', 'hi') },
      { kind: 'monitor', text: '1.0 [0 a] "PING"' },
      { kind: 'reply', reply: bulks('pmessage', '*', 'x', '') },
    ])
    // A payload with CRLF inside stays one bulk; garbage is shown as it came.
    expect(outputLines('*1\r\n$4\r\na\r\nb\r\n')).toEqual([
      { kind: 'reply', reply: bulks('a\r\nb') },
    ])
    expect(outputLines('?what\r\n')).toEqual([{ kind: 'monitor', text: '?what' }])
  })
})

describe('several replies in a row', () => {
  it('print one after another, as redis-cli prints SUBSCRIBE a b', () => {
    const seq: Reply = {
      type: 'sequence',
      value: [conf('subscribe', 'a', 1), conf('subscribe', 'b', 2)],
    }
    const want = '1) "subscribe"\n2) "a"\n3) (integer) 1\n1) "subscribe"\n2) "b"\n3) (integer) 2'
    expect(formatReply(seq)).toBe(want)
    expect(showReply(seq)).toEqual({ text: want, moreLines: 0, moreChars: 0, moreBytes: 0 })
    expect(showReply(seq, { maxLines: 4 }).moreLines).toBe(2)
  })
})

describe('SUBSCRIBE in the console', () => {
  it("shows the confirmations, then another tab's messages in the subscriber's tab", async () => {
    const h = await createHarness({ factory: createServer })
    await h.run(['SUBSCRIBE', 'news', 'sport'])
    const sub = h.tab()
    h.store.getState().clientTabRequested()
    await h.bridge.idle()
    expect(h.tab()).not.toBe(sub)
    await h.run(['PUBLISH', 'news', 'hello'])
    const [first, second] = h.store.getState().tabs
    expect(replies(first?.lines)).toEqual([
      { type: 'sequence', value: [conf('subscribe', 'news', 1), conf('subscribe', 'sport', 2)] },
      bulks('message', 'news', 'hello'),
    ])
    expect(replies(second?.lines)).toEqual([{ type: 'integer', value: 1 }])
    // Once, right after the confirmations: how to leave subscribe mode.
    const notices = (first?.lines ?? []).flatMap((l, i) =>
      l.kind === 'notice' ? [[i, l.key]] : [],
    )
    expect(notices).toEqual([[2, 'console.subscribed']])
    // The subscriber's tab still runs what the subscribed context allows.
    h.store.getState().clientTabSelected(sub)
    await h.run(['GET', 'k'], ['UNSUBSCRIBE', 'news'])
    expect(replies(h.store.getState().tabs[0]?.lines).slice(2)).toEqual([
      {
        type: 'error',
        value:
          "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
      },
      conf('unsubscribe', 'news', 1),
    ])
    // Queued in MULTI, or refused for its arity, a SUBSCRIBE gets no note of its own.
    await h.run(['RESET'], ['MULTI'], ['SUBSCRIBE', 'x'], ['SUBSCRIBE'])
    const after = h.store.getState().tabs[0]?.lines ?? []
    expect(after.filter((l) => l.kind === 'notice')).toHaveLength(1)
    h.dispose()
  })
})

describe('pubsub/published narration', () => {
  it('tells the deliveries in English and 简体中文', async () => {
    const { narrate } = await import('../../src/panels/shared/narration.ts')
    const e = {
      type: 'pubsub/published' as const,
      channel: 'news',
      shard: false,
      subscribers: 2,
      patterns: [{ pattern: 'n*', clients: 1 }],
      receivers: 3,
    }
    expect(narrate(e, 'en')).toBe(
      'Published to channel “news”: 2 subscribers of the channel, 1 through 1 matching pattern; 3 receivers.',
    )
    expect(narrate(e, 'zh')).toBe(
      '向频道 “news” 发布：频道订阅者 2 个，经 1 个匹配模式送达 1 个，共 3 个接收者。',
    )
  })
})
