/**
 * CLIENT LIST / CLIENT INFO's buffer figures (networking.c catClientInfoString and
 * getClientMemoryUsage): each expected line was read from redis-server 7.0.15 with the same
 * commands, before any clientsCron visit (a new client's reply buffer is 16 KiB).
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine, type TestEngine } from '../../harness/TestEngine.ts'
import type { ClientId } from '../../../src/engine/api.ts'
import type { Reply } from '../../../src/engine/reply.ts'

const BUFFER_FIELDS = /qbuf=.* tot-mem=\d+/

function buffers(r: Reply | undefined): string {
  const text = r?.type === 'bulk' || r?.type === 'verbatim' ? String(r.value) : ''
  return BUFFER_FIELDS.exec(text)?.[0] ?? `no buffer fields in ${JSON.stringify(r)}`
}

function listOf(t: TestEngine, by: ClientId, id: ClientId): string {
  return buffers(t.execOn(by, 'client', 'list', 'id', String(id)))
}

describe('CLIENT LIST buffer fields', () => {
  it('computes qbuf, qbuf-free and argv-mem from the running command (multibulk, as redis-cli sends)', () => {
    const t = createTestEngine()
    expect(buffers(t.exec('client', 'info'))).toBe(
      'qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=37658',
    )
    // *4 $6 client $4 list $2 id $1 n: argv-mem 6+4+2+1, tot-mem 13 + 4 pointers.
    const id = String(t.client)
    const line = buffers(t.exec('client', 'list', 'id', id))
    const qbuf = respLength(['client', 'list', 'id', id])
    expect(line).toBe(
      `qbuf=${String(qbuf)} qbuf-free=${String(20474 - qbuf)} argv-mem=${String(12 + id.length)}` +
        ` multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=${String(37632 + 12 + id.length + 32)}`,
    )
  })

  it('inside EXEC: the EXEC in the query buffer, its argv_len_sum, the replies so far in obl', () => {
    const t = createTestEngine()
    t.exec('multi')
    t.exec('set', 'a', 'b')
    t.exec('client', 'info')
    const replies = t.exec('exec')
    expect(buffers(replies.type === 'array' ? replies.value?.[1] : undefined)).toBe(
      'qbuf=14 qbuf-free=20460 argv-mem=4 multi-mem=55 rbs=16384 rbp=16384 obl=9 oll=0 omem=0 tot-mem=37755',
    )
  })

  it('inside EXEC: rbp follows obl as the replies fill c->buf', () => {
    const t = createTestEngine()
    // Two clientsCron visits: the peak reset (16384 to 0), then the shrink to 1 KiB.
    t.tick(350)
    t.exec('multi')
    t.exec('set', 'a', '1')
    t.exec('client', 'info')
    t.exec('get', 'a')
    t.exec('client', 'info')
    const replies = t.exec('exec')
    const fields = (i: number): number[] =>
      (
        /rbs=(\d+) rbp=(\d+) obl=(\d+)/.exec(
          buffers(replies.type === 'array' ? replies.value?.[i] : undefined),
        ) ?? []
      )
        .slice(1)
        .map(Number)
    // redis-server 7.0.15 (a 5-digit port): rbs=1024 rbp=9 obl=9, then rbp=281 obl=281.
    const first = fields(1)
    const second = fields(3)
    expect(first).toEqual([1024, 9, 9])
    expect(second[0]).toBe(1024)
    expect(second[2]).toBeGreaterThan(250)
    expect(second[1]).toBe(second[2])
  })

  it("shows another client's queued commands and watched keys, and its query buffer until clientsCron trims it", () => {
    const t = createTestEngine()
    const a = t.newClient()
    t.execOn(a, 'watch', 'k1', 'k2')
    t.execOn(a, 'multi')
    t.execOn(a, 'set', 'a', 'b')
    t.execOn(a, 'get', 'a')
    t.execOn(a, 'get', 'b')
    // multi-mem 29+21+21; tot-mem adds 2 watched keys (56 each) and 4 multiCmd slots (24 each).
    expect(listOf(t, t.client, a)).toBe(
      'qbuf=0 qbuf-free=20474 argv-mem=0 multi-mem=69 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=37909',
    )
    const b = t.newClient()
    t.execOn(b, 'ping')
    t.tick(4500)
    expect(listOf(t, t.client, b)).toBe(
      'qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800',
    )
  })

  it('sizes the reply buffer as clientsCron does: 16 KiB at first, shrunk when idle, grown when filled', () => {
    const t = createTestEngine()
    const a = t.newClient()
    t.exec('set', 'big', 'x'.repeat(3000))
    t.exec('set', 'huge', 'y'.repeat(40000))
    const rb = (): string => /rbs=\d+ rbp=\d+/.exec(listOf(t, t.client, a))?.[0] ?? ''
    expect(rb()).toBe('rbs=16384 rbp=16384')
    // The first visit resets the peak (the seconds-vs-milliseconds stamp), the second shrinks.
    t.tick(350)
    expect(rb()).toBe('rbs=1024 rbp=0')
    // 3009 bytes of reply fill the 1 KiB buffer: the peak is its size, so it doubles.
    t.execOn(a, 'get', 'big')
    t.tick(350)
    expect(rb()).toBe('rbs=2048 rbp=1024')
    t.exec('debug', 'replybuffer', 'peak-reset-time', 'never')
    for (let i = 0; i < 6; i++) {
      t.execOn(a, 'get', 'huge')
      t.tick(150)
    }
    expect(rb()).toBe('rbs=16384 rbp=16384')
    t.exec('debug', 'replybuffer', 'peak-reset-time', '100')
    t.tick(600)
    expect(rb()).toBe('rbs=1024 rbp=0')
    const stats = t.exec('info', 'stats')
    const text = stats.type === 'bulk' ? String(stats.value) : ''
    expect(text).toMatch(/reply_buffer_expands:4\r\n/)
    // Both clients shrank once when idle, and `a` once more.
    expect(text).toMatch(/reply_buffer_shrinks:3\r\n/)
  })

  it('keeps the buffer as it is while DEBUG REPLYBUFFER RESIZING is 0, and counts it in used_memory', () => {
    const t = createTestEngine()
    const used = (): number => {
      const r = t.exec('info', 'memory')
      return Number(/used_memory:(\d+)/.exec(r.type === 'bulk' ? String(r.value) : '')?.[1])
    }
    t.exec('debug', 'replybuffer', 'resizing', '0')
    // Each command's first call allocates its latency histogram: call them all once first.
    t.exec('client', 'info')
    t.exec('debug', 'replybuffer', 'resizing', '0')
    used()
    const before = used()
    t.tick(1000)
    expect(/rbs=\d+/.exec(buffers(t.exec('client', 'info')))?.[0]).toBe('rbs=16384')
    expect(used()).toBe(before)
    t.exec('debug', 'replybuffer', 'resizing', '1')
    t.tick(1000)
    expect(/rbs=\d+/.exec(buffers(t.exec('client', 'info')))?.[0]).toBe('rbs=1024')
    expect(used()).toBe(before - (16384 - 1024))
  })
})

function respLength(argv: readonly string[]): number {
  let n = `*${String(argv.length)}\r\n`.length
  for (const a of argv) n += `$${String(a.length)}\r\n`.length + a.length + 2
  return n
}
