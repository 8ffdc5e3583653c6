import { describe, expect, it } from 'vitest'
import { createServer, manualClock } from '../../src/engine/index.ts'
import type { StepEvent } from '../../src/engine/events.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import {
  SCENE_GROUPS,
  SCENES,
  sceneById,
  sceneNoteAt,
  sceneQuietTickNoteAt,
} from '../../src/lessons/scenes.ts'
import { DEFAULT_SESSION } from '../../src/state/store.ts'

function runScene(id: string) {
  const clock = manualClock()
  const s = createServer({ seed: 42, clock, trace: 'off', enableDebugCommand: 'yes' })
  const replies: Reply[] = []
  // A scene of two connections runs in two clients, as in two console tabs (call()'s own
  // client answers a blocking command as on timeout at once); others in call()'s client.
  const lines = sceneById(id)?.lines ?? []
  const two = lines.some((l) => 'run' in l && l.client === 2)
  const [first, second] = two ? [s.createClient(), s.createClient()] : [undefined, undefined]
  for (const line of lines) {
    if ('tick' in line) {
      s.tick(line.tick)
      continue
    }
    const parsed = parseCommandLine(line.run)
    if (!parsed.ok) throw new Error(`cannot parse ${line.run}`)
    replies.push(s.call(parsed.argv, line.client === 2 ? second : first))
  }
  return { s, replies, first, second }
}

describe('scenes', () => {
  it('have unique ids and both languages everywhere', () => {
    expect(new Set(SCENES.map((s) => s.id)).size).toBe(SCENES.length)
    for (const s of SCENES) {
      for (const b of [s.title, s.summary]) {
        expect(b.en.length).toBeGreaterThan(0)
        expect(b.zh).toMatch(/[\u4e00-\u9fff]/)
      }
    }
  })

  it('sit in exactly one section of the menu each, titled in both languages', () => {
    const listed = SCENE_GROUPS.flatMap((g) => g.ids)
    expect([...listed].sort()).toEqual(SCENES.map((s) => s.id).sort())
    for (const g of SCENE_GROUPS) {
      expect(g.title.en).not.toBe('')
      expect(g.title.zh).toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('blocking-list: A blocks, B’s push serves it, then A times out', () => {
    const { s, replies, first, second } = runScene('blocking-list')
    expect(replies.slice(1, 6)).toEqual([
      { type: 'simple', value: 'OK' }, // CLIENT SETNAME A
      { type: 'simple', value: 'OK' }, // CLIENT SETNAME B
      { type: 'array', value: null }, // BLOCKED: the reply comes later
      { type: 'integer', value: 1 },
      { type: 'integer', value: 0 }, // A already popped job:1
    ])
    // A's two late replies: served job:1, then nil on the timeout.
    const out = s.drainOutbox?.().get(first ?? -1)
    expect(out).toBe('*2\r\n$4\r\njobs\r\n$5\r\njob:1\r\n*-1\r\n')
    expect(s.isBlocked?.(first ?? -1)).toBe(false)
    expect(s.isBlocked?.(second ?? -1)).toBe(false)
  })

  it('give every note in both languages', () => {
    for (const s of SCENES)
      for (const l of s.lines) {
        if (l.note === undefined) continue
        expect(l.note.en.length).toBeGreaterThan(0)
        expect(l.note.zh.length).toBeGreaterThan(0)
      }
  })

  it('find the note of the line behind each timeline item', () => {
    const dict = sceneById('dict-expand')
    if (!dict) throw new Error('no dict-expand scene')
    const commands = (n: number) => Array.from({ length: n }, () => 'command' as const)
    expect(sceneNoteAt(dict, commands(1))).toBeUndefined() // FLUSHDB
    expect(sceneNoteAt(dict, commands(5))?.en).toBe('used = size = 4') // SET k4 d
    expect(sceneNoteAt(dict, commands(6))?.en).toBe('used ≥ size: expand to 8 buckets')
    expect(sceneNoteAt(dict, commands(9))).toBeUndefined() // GET k3
    expect(sceneNoteAt(dict, commands(10))).toBeUndefined() // past the scene
    // A clock tick belongs to the scene's next tick line.
    const expire = sceneById('expire-cycle')
    if (!expire) throw new Error('no expire-cycle scene')
    expect(sceneNoteAt(expire, [...commands(13), 'tick', 'tick'])?.en).toBe(
      'the cron runs 10 times a second',
    )
    expect(sceneNoteAt(expire, [...commands(13), 'tick', 'command'])).toBeUndefined() // DBSIZE
  })

  it('give a tick line’s note to the next command when its tick made no timeline item', () => {
    const lazy = sceneById('expire-lazy')
    if (!lazy) throw new Error('no expire-lazy scene')
    const commands = (n: number) => Array.from({ length: n }, () => 'command' as const)
    // The active expire cycle is off: the second after SET keep 1 makes no item, so the
    // first DBSIZE (the 5th command) carries "a second later: past the TTL".
    expect(sceneQuietTickNoteAt(lazy, commands(5))?.en).toBe('a second later: past the TTL')
    expect(sceneNoteAt(lazy, commands(5))?.en).toBe('still 2: nobody has looked at session')
    expect(sceneQuietTickNoteAt(lazy, commands(4))).toBeUndefined() // SET keep 1
    expect(sceneQuietTickNoteAt(lazy, commands(6))).toBeUndefined() // GET session
    // Had the tick made an item, its note is on that item, not on the command after it.
    expect(sceneQuietTickNoteAt(lazy, [...commands(4), 'tick', 'command'])).toBeUndefined()
    expect(sceneNoteAt(lazy, [...commands(4), 'tick'])?.en).toBe('a second later: past the TTL')
  })

  it.each(SCENES.map((s) => s.id))('%s fails exactly on the lines marked to fail', (id) => {
    const { replies } = runScene(id)
    const runs = (sceneById(id)?.lines ?? []).filter((l) => 'run' in l)
    expect(replies.map((r) => r.type === 'error')).toEqual(
      runs.map((l) => 'fails' in l && l.fails === true),
    )
  })

  it('hscan-20000 builds a 20,000-field hashtable hash that HSCAN COUNT 5000 splits into a few groups', () => {
    const { s } = runScene('hscan-20000')
    expect(s.call(['HLEN', 'big'])).toEqual({ type: 'integer', value: 20000 })
    let cursor = '0'
    const groups: number[] = []
    const seen = new Set<string>()
    do {
      const r = s.call(['HSCAN', 'big', cursor, 'COUNT', '5000'])
      if (r.type !== 'array' || r.value === null) throw new Error('bad reply')
      const [c, items] = r.value
      cursor = c?.type === 'bulk' ? (c.value ?? '0') : '0'
      const fields =
        items?.type === 'array' && items.value ? items.value.filter((_, i) => i % 2 === 0) : []
      groups.push(fields.length)
      for (const f of fields) if (f.type === 'bulk' && f.value) seen.add(f.value)
    } while (cursor !== '0')
    expect(seen.size).toBe(20000)
    expect(groups.length).toBeGreaterThanOrEqual(3)
    expect(groups.length).toBeLessThanOrEqual(6)
  })

  it('multi-errors discards the first queue with EXECABORT and runs the second past its error', () => {
    const { s, replies } = runScene('multi-errors')
    const ok = { type: 'simple', value: 'OK' }
    expect(replies).toEqual([
      { type: 'integer', value: 0 }, // DEL a b
      ok,
      { type: 'simple', value: 'QUEUED' },
      { type: 'error', value: "ERR wrong number of arguments for 'incr' command" },
      { type: 'error', value: 'EXECABORT Transaction discarded because of previous errors.' },
      { type: 'bulk', value: null }, // SET a 1 never ran
      ok,
      { type: 'simple', value: 'QUEUED' },
      { type: 'simple', value: 'QUEUED' },
      { type: 'simple', value: 'QUEUED' },
      {
        type: 'array',
        value: [ok, { type: 'error', value: 'ERR value is not an integer or out of range' }, ok],
      },
      { type: 'bulk', value: '2' },
    ])
    expect(s.call(['GET', 'a'])).toEqual({ type: 'bulk', value: 'hello' })
  })

  it('expire-cycle expires the ten keys actively, without touching them', () => {
    const { s } = runScene('expire-cycle')
    expect(s.call(['DBSIZE'])).toEqual({ type: 'integer', value: 41 })
  })

  it('keyspace-notifications says __keyspace@ channels need K, which its flags leave out', () => {
    const scene = sceneById('keyspace-notifications')
    const flags = scene?.lines.flatMap((l) =>
      'run' in l && l.run.startsWith('CONFIG SET notify-keyspace-events E')
        ? [l.run.split(' ')[3]]
        : [],
    )
    expect(flags).toEqual(['Ex$g'])
    // With those flags a subscriber to both kinds gets only the __keyevent@0__ message.
    const s = createServer({ seed: 42, clock: manualClock(), trace: 'off' })
    const sub = s.createClient()
    s.call(['PSUBSCRIBE', '__key*@0__:*'], sub)
    s.drainOutbox?.()
    s.call(['CONFIG', 'SET', 'notify-keyspace-events', 'Ex$g'])
    s.call(['SET', 'x', '1'])
    const pushed = s.drainOutbox?.().get(sub) ?? ''
    expect(pushed).toContain('__keyevent@0__:set')
    expect(pushed).not.toContain('__keyspace@0__')
    expect(scene?.summary.en).toContain('with K in the flags, also on __keyspace@<db>__:<key>')
    expect(scene?.summary.zh).toContain('标志中有 K 时，还会在 __keyspace@<db>__:<键> 上发布')
  })

  it('scan-resize continues with the cursor its first SCAN returned, in a default session', () => {
    expect(DEFAULT_SESSION.seed).toBe(42) // runScene's seed
    const { s, replies } = runScene('scan-resize')
    const runs = (sceneById('scan-resize')?.lines ?? []).flatMap((l) => ('run' in l ? [l.run] : []))
    const first = replies[runs.indexOf('SCAN 0 COUNT 4')]
    const cursor = first?.type === 'array' ? first.value?.[0] : undefined
    const next = runs.find((r) => r.startsWith('SCAN ') && r !== 'SCAN 0 COUNT 4')
    expect(next).toBe(`SCAN ${cursor?.type === 'bulk' ? String(cursor.value) : '?'} COUNT 4`)
    // Going on from there to cursor 0 misses none of the 30 keys there before the growth.
    const seen = new Set<string>()
    const collect = (r: Reply | undefined): string => {
      if (r?.type !== 'array' || r.value === null) throw new Error('bad SCAN reply')
      const [c, keys] = r.value
      if (keys?.type === 'array')
        for (const k of keys.value ?? []) if (k.type === 'bulk') seen.add(String(k.value))
      return c?.type === 'bulk' ? String(c.value) : '0'
    }
    collect(first)
    let c = collect(replies[runs.indexOf(next ?? '')])
    while (c !== '0') c = collect(s.call(['SCAN', c, 'COUNT', '4']))
    for (let i = 0; i < 30; i++) expect(seen).toContain(`k:${String(i)}`)
  })
})

describe('expire-time-limit', () => {
  /** Runs the scene on a clock that work moves, as the app's worker runs the engine. */
  function runTimeLimitScene() {
    const clock = manualClock(DEFAULT_SESSION.startMs, { modelWork: true })
    const s = createServer({ seed: 42, clock, trace: 'summary', enableDebugCommand: 'yes' })
    const replies: Reply[] = []
    const ticks: StepEvent[][] = []
    for (const line of sceneById('expire-time-limit')?.lines ?? []) {
      if ('tick' in line) {
        ticks.push([...s.tick(line.tick).events])
        continue
      }
      const parsed = parseCommandLine(line.run)
      if (!parsed.ok) throw new Error(`cannot parse ${line.run}`)
      replies.push(s.call(parsed.argv))
    }
    return { s, replies, ticks }
  }

  it('makes the first slow cycle stop at its 540 µs time limit, counted in INFO stats, and the next cycles finish', () => {
    const { replies, ticks } = runTimeLimitScene()
    const cycles = (ticks.at(-1) ?? []).flatMap((e) =>
      e.type === 'expire/cycleRan' && e.sampled > 0 ? [e] : [],
    )
    const first = cycles[0]
    expect(first).toMatchObject({ kind: 'slow', stopReason: 'timeLimit', timeLimitUs: 540 })
    // Checked every 16 loops of 25 keys (effort 2; a loop finishes its last bucket) at about
    // 1.4 µs a key: the first check, past 540 µs.
    expect(first?.expired).toBeGreaterThanOrEqual(400)
    expect(first?.expired).toBeLessThan(420)
    expect(first?.elapsedUs).toBeGreaterThan(540)
    expect(cycles.slice(1).every((c) => c.stopReason === 'done')).toBe(true)
    expect(cycles.reduce((n, c) => n + c.expired, 0)).toBe(420)
    // A few seconds in the browser: each key is a line of the scene.
    expect(sceneById('expire-time-limit')?.lines.length).toBeLessThan(450)
    // The 200 ms with active expiry off deleted nothing.
    expect((ticks[0] ?? []).some((e) => e.type === 'expire/keyExpiredActively')).toBe(false)
    const info = replies.at(-4)
    expect(info?.type === 'bulk' ? info.value : '').toContain(
      'expired_time_cap_reached_count:1\r\n',
    )
    expect(replies.at(-3)).toEqual({ type: 'integer', value: 0 })
  })
})
