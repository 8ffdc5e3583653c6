/**
 * RESP3 in the console: a tab that says HELLO 3 gets RESP3 replies, its subscription
 * confirmations and messages are pushes (with the RESP3 note: every command still runs), and
 * pushed RESP3 output (messages, a blocked command's late map) is cut into reply lines.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { outputLines } from '../../src/state/store.ts'
import type { ConsoleLine } from '../../src/state/types.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { createHarness } from './harness.ts'
import { formatReply } from '../../src/console/formatReply.ts'

const bulk = (value: string): Reply => ({ type: 'bulk', value })
const push = (...items: Reply[]): Reply => ({ type: 'push', value: items })
const replies = (lines: readonly ConsoleLine[] | undefined): Reply[] =>
  (lines ?? []).flatMap((l) => (l.kind === 'reply' ? [l.reply] : []))

describe('pushed RESP3 output', () => {
  it('cuts pushes, maps, doubles, nulls and verbatim text into reply lines', () => {
    expect(
      outputLines(
        '>3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$2\r\nhi\r\n%1\r\n$1\r\nk\r\n,1.5\r\n_\r\n#t\r\n=7\r\ntxt:abc\r\n',
      ),
    ).toEqual([
      { kind: 'reply', reply: push(bulk('message'), bulk('x'), bulk('hi')) },
      {
        kind: 'reply',
        reply: { type: 'map', value: [bulk('k'), { type: 'double', value: '1.5' }] },
      },
      { kind: 'reply', reply: { type: 'null', value: null } },
      { kind: 'reply', reply: { type: 'bool', value: true } },
      { kind: 'reply', reply: { type: 'verbatim', format: 'txt', value: 'abc' } },
    ])
  })
})

describe('HELLO 3 in the console', () => {
  it('subscribes with pushes, receives pushes, and keeps running commands', async () => {
    const h = await createHarness({ factory: createServer })
    await h.run(['HELLO', '3'], ['SUBSCRIBE', 'news'])
    const sub = h.tab()
    h.store.getState().clientTabRequested()
    await h.bridge.idle()
    await h.run(['PUBLISH', 'news', 'hello'])
    h.store.getState().clientTabSelected(sub)
    await h.run(['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'])
    const lines = h.store.getState().tabs[0]?.lines ?? []
    const got = replies(lines)
    expect(got[0]?.type).toBe('map')
    expect(got.slice(1)).toEqual([
      push(bulk('subscribe'), bulk('news'), { type: 'integer', value: 1 }),
      push(bulk('message'), bulk('news'), bulk('hello')),
      { type: 'integer', value: 1 },
      { type: 'map', value: [bulk('f'), bulk('v')] },
    ])
    expect(formatReply(got[4] as Reply)).toBe('1# "f" => "v"')
    expect(lines.flatMap((l) => (l.kind === 'notice' ? [l.key] : []))).toEqual([
      'console.subscribedResp3',
    ])
    h.dispose()
  })
})
