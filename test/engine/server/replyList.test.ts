/**
 * The reply list a transport reports (replyList.ts): unwritten bytes laid out as
 * networking.c _addReplyProtoToList would hold them, in CLIENT LIST oll / omem, in
 * used_memory, freed as they are written, and client-output-buffer-limit (hard, and soft for
 * longer than its seconds) as checkClientOutputBufferLimits applies it.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, type TestEngine } from '../../harness/TestEngine.ts'
import type { ClientId } from '../../../src/engine/api.ts'

function fields(t: TestEngine, id: ClientId): string {
  const r = t.exec('client', 'list', 'id', String(id))
  return (
    /oll=\d+ omem=\d+/.exec(String(r.value))?.[0] + ' ' + /events=\S+/.exec(String(r.value))?.[0]
  )
}

const usedMemory = (t: TestEngine): number =>
  Number(/used_memory:(\d+)/.exec(String(t.exec('info', 'memory').value))?.[1])

describe('reply list', () => {
  it('fills c->buf, then blocks of at least 16 KiB in a jemalloc size class; frees written blocks', () => {
    const t = createTestEngine()
    const other = t.newClient()
    // The first INFO allocates what it keeps (a warm-up, so the figures below compare).
    usedMemory(t)
    // 16 KiB go to c->buf, the rest opens a block: 16384 + 16 rounds to 20480.
    expect(t.server.outputPending(other, 16384 + 100)).toBeNull()
    expect(fields(t, other)).toBe('oll=1 omem=20504 events=rw')
    // One long bulk body: the tail takes what fits (20464 - 100), then a block as big as the rest.
    expect(t.server.outputPending(other, 16384 + 100 + 20364 + 50000, true)).toBeNull()
    // 50000 + 16 rounds to 57344.
    expect(fields(t, other)).toBe(`oll=2 omem=${String(20464 + 57328 + 80)}` + ' events=rw')
    const withBlocks = usedMemory(t)
    // c->buf and the first block written: it is freed.
    expect(t.server.outputPending(other, 50000)).toBeNull()
    expect(fields(t, other)).toBe('oll=1 omem=57368 events=rw')
    expect(t.server.outputPending(other, 0)).toBeNull()
    expect(fields(t, other)).toBe('oll=0 omem=0 events=r')
    // Each block is its allocation and its list node.
    expect(withBlocks - usedMemory(t)).toBe(20480 + 57344 + 2 * 32)
    expect(t.server.validate()).toEqual([])
  })

  it('lays small replies out in blocks of 16 KiB, checking the limits as each is added', () => {
    const t = createTestEngine()
    const c = t.newClient()
    // 16 KiB to c->buf, then 50000 bytes of small pieces: three blocks of 20464 (16384 + 16
    // rounds to 20480), not one of 50000 (_addReplyProtoToList opens a block per tail full).
    expect(t.server.outputPending(c, 16384 + 50000)).toBeNull()
    expect(fields(t, c)).toBe(`oll=3 omem=${String(3 * (20464 + 40))} events=rw`)
    t.server.outputPending(c, 0)
    // Closed as the block that passes the hard limit is added: the rest is not added.
    t.exec('config', 'set', 'client-output-buffer-limit', 'normal 100000 0 0')
    const d = t.newClient()
    const log = t.server.outputPending(d, 16384 + 1_000_000)
    expect(log).toMatch(/ oll=5 omem=102520 .*scheduled to be closed ASAP/)
    expect(t.server.validate()).toEqual([])
  })

  it('closes a normal client past its hard limit, and one over its soft limit too long', () => {
    const t = createTestEngine()
    const c = t.newClient()
    // Normal clients have no limit by default.
    expect(t.server.outputPending(c, 40_000_000)).toBeNull()
    t.server.outputPending(c, 0)
    t.exec('config', 'set', 'client-output-buffer-limit', 'normal 1mb 100kb 2')
    // One bulk string of 2 MB: a single block.
    const log = t.server.outputPending(c, 2_000_000, true)
    expect(log).toMatch(
      /^Client id=\d+ .* oll=1 omem=2\d{6} .*scheduled to be closed ASAP for overcoming of output buffer limits\.$/,
    )
    const d = t.newClient()
    // Over the soft limit: the first time starts the clock; past 2 seconds it closes.
    expect(t.server.outputPending(d, 200_000)).toBeNull()
    t.tick(2000)
    expect(t.server.outputPending(d, 300_000)).toBeNull()
    t.tick(1000)
    expect(t.server.outputPending(d, 400_000)).not.toBeNull()
  })

  it('clientsCron closes a client over its soft limit too long with no new replies', () => {
    const t = createTestEngine()
    const c = t.newClient()
    t.exec('config', 'set', 'client-output-buffer-limit', 'normal 0 100kb 2')
    expect(t.server.outputPending(c, 200_000)).toBeNull()
    expect(t.server.outputLimitCheck(c)).toBeNull()
    t.tick(3000)
    expect(t.server.outputLimitCheck(c)).toMatch(
      /^Client id=\d+ .* closed for overcoming of output buffer limits\.$/,
    )
    // Under the limit again: the soft clock restarts.
    const d = t.newClient()
    expect(t.server.outputPending(d, 200_000)).toBeNull()
    expect(t.server.outputPending(d, 0)).toBeNull()
    t.tick(3000)
    expect(t.server.outputLimitCheck(d)).toBeNull()
  })

  it('a subscribed client is held to the pubsub class', () => {
    const t = createTestEngine()
    const s = t.newClient()
    t.execOn(s, 'subscribe', 'ch')
    // pubsub 32mb hard by default.
    expect(t.server.outputPending(s, 20_000_000)).toBeNull()
    expect(t.server.outputPending(s, 34_000_000)).not.toBeNull()
  })
})
