/**
 * The slow log through the engine's API on the virtual clock, where every command takes
 * 0 µs: nothing is logged at the default threshold (10 ms); at 0 everything call() runs is,
 * newest first; DEBUG SLEEP advances the clock and is logged with its duration; blocked
 * clients are logged when served; entries hold memory (INFO used_memory) and survive a
 * clone. (Byte-for-byte comparison with redis-server is test/conformance/slowlog.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import type { Reply } from '../../../src/engine/reply.ts'

const START = 1_800_000_000_000

function setup(): { server: EngineServer; a: number; b: number } {
  const server = createServer({
    seed: 3,
    clock: manualClock(START),
    enableDebugCommand: 'yes',
  }) as EngineServer
  return { server, a: server.createClient(), b: server.createClient() }
}

interface Entry {
  id: number
  time: number
  duration: number
  argv: string[]
}

function entries(server: EngineServer, a: number): Entry[] {
  const r = server.call(['SLOWLOG', 'GET', '-1'], a)
  if (r.type !== 'array' || r.value === null) throw new Error('SLOWLOG GET')
  return r.value.map((e) => {
    const [id, time, duration, argv] = (e as { value: readonly Reply[] }).value
    return {
      id: Number(id?.value),
      time: Number(time?.value),
      duration: Number(duration?.value),
      argv: ((argv as { value: readonly Reply[] }).value ?? []).map((x) => String(x.value)),
    }
  })
}

const usedMemory = (server: EngineServer, a: number): number => {
  const r = server.call(['INFO', 'memory'], a)
  return Number(/used_memory:(\d+)/.exec(r.type === 'bulk' ? (r.value ?? '') : '')?.[1])
}

describe('SLOWLOG on the engine', () => {
  it('logs nothing at the default threshold: commands take 0 µs on the virtual clock', () => {
    const { server, a } = setup()
    server.call(['SET', 'k', 'v'], a)
    server.call(['GET', 'k'], a)
    expect(server.call(['SLOWLOG', 'LEN'], a)).toEqual({ type: 'integer', value: 0 })
  })

  it('times commands on the injected clock, logs those at least the threshold long, counts usec', () => {
    // A clock that moves 6 ms at every read: call() reads it before and after the command.
    let t = START
    const server = createServer({ seed: 3, clock: { now: () => (t += 6) } })
    const a = server.createClient()
    server.call(['PING'], a)
    expect(server.call(['SLOWLOG', 'LEN'], a)).toEqual({ type: 'integer', value: 0 })
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '6000'], a)
    server.call(['SET', 'k', 'v'], a)
    const log = entries(server as EngineServer, a)
    expect(log.map((e) => [e.argv[0], e.duration])).toEqual([
      ['SET', 6000],
      ['CONFIG', 6000],
    ])
    expect(log[0]?.time).toBe(Math.floor(t / 1000))
    // The same durations feed INFO commandstats.
    server.call(['SET', 'k', 'w'], a)
    const stats = server.call(['INFO', 'commandstats'], a)
    expect(stats.type === 'bulk' ? stats.value : '').toContain(
      'cmdstat_set:calls=2,usec=12000,usec_per_call=6000.00,',
    )
  })

  it('DEBUG SLEEP lets its time pass on the virtual clock: logged with its duration, keys expire', () => {
    const clock = manualClock(START)
    const server = createServer({ seed: 3, clock, enableDebugCommand: 'yes' })
    const a = server.createClient()
    server.call(['SET', 'k', 'v', 'PX', '100'], a)
    expect(server.call(['DEBUG', 'SLEEP', '0.25'], a)).toEqual({ type: 'simple', value: 'OK' })
    expect(clock.now()).toBe(START + 250)
    expect(server.call(['GET', 'k'], a)).toEqual({ type: 'bulk', value: null })
    const log = entries(server as EngineServer, a)
    expect(log.map((e) => [e.argv.join(' '), e.duration])).toEqual([['DEBUG SLEEP 0.25', 250000]])
    // strtod's prefix ("1.5s" sleeps 1.5 s, junk is 0); negative, infinite and NaN times
    // return at once, as nanosleep does.
    server.call(['DEBUG', 'SLEEP', ' 1.5s'], a)
    expect(clock.now()).toBe(START + 1750)
    for (const t of ['x', '-1', 'inf', 'nan', '1e300', '0'])
      expect(server.call(['DEBUG', 'SLEEP', t], a)).toEqual({ type: 'simple', value: 'OK' })
    expect(clock.now()).toBe(START + 1750)
  })

  it('at threshold 0 logs what call() runs, newest first, and not what it never ran', () => {
    const { server, a } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    server.call(['SET', 'k', '1'], a)
    server.call(['NOSUCH'], a)
    server.call(['GET'], a)
    server.call(['MULTI'], a)
    server.call(['INCR', 'k'], a)
    server.call(['EXEC'], a)
    server.call(['AUTH', 'pw'], a)
    const log = entries(server, a)
    expect(log.map((e) => e.argv)).toEqual([
      ['AUTH', '(redacted)'],
      ['INCR', 'k'],
      ['MULTI'],
      ['SET', 'k', '1'],
      ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
    ])
    expect(log.map((e) => e.id)).toEqual([4, 3, 2, 1, 0])
    expect(log.every((e) => e.duration === 0 && e.time === START / 1000)).toBe(true)
  })

  it('cuts arguments to 32 and strings to 128 bytes', () => {
    const { server, a } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    server.call(['ECHO', 'x'.repeat(200)], a)
    server.call(['DEL', ...Array.from({ length: 40 }, (_, i) => `k${String(i)}`)], a)
    const [del, echo] = entries(server, a)
    expect(echo?.argv).toEqual(['ECHO', `${'x'.repeat(128)}... (72 more bytes)`])
    expect(del?.argv).toHaveLength(32)
    expect(del?.argv[31]).toBe('... (10 more arguments)')
    expect(del?.argv[30]).toBe('k29')
  })

  it('trims to slowlog-max-len at the next push; RESET (logged itself) keeps the ids going', () => {
    const { server, a } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    for (let i = 0; i < 5; i++) server.call(['PING'], a)
    server.call(['CONFIG', 'SET', 'slowlog-max-len', '2'], a)
    expect(server.call(['SLOWLOG', 'LEN'], a)).toEqual({ type: 'integer', value: 2 })
    server.call(['SLOWLOG', 'RESET'], a)
    server.call(['PING'], a)
    expect(entries(server, a).map((e) => [e.id, e.argv.join(' ')])).toEqual([
      [9, 'PING'],
      [8, 'SLOWLOG RESET'],
    ])
  })

  it('logs a blocked client when it is served, never when it times out', () => {
    const { server, a, b } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    server.call(['SLOWLOG', 'RESET'], a)
    server.call(['BLPOP', 'q', '0'], b)
    server.call(['BLPOP', 'never', '1'], a)
    server.tick(2000)
    server.call(['RPUSH', 'q', 'job'], a)
    // Served after RPUSH's own entry; the timed-out BLPOP is not there.
    expect(entries(server, a).map((e) => e.argv)).toEqual([
      ['BLPOP', 'q', '0'],
      ['RPUSH', 'q', 'job'],
      ['SLOWLOG', 'RESET'],
    ])
    expect(server.validate()).toEqual([])
  })

  it('counts each entry in used_memory and frees it on RESET', () => {
    const { server, a } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    server.call(['SLOWLOG', 'RESET'], a)
    // Every command used below has run once (its latency histogram exists).
    server.call(['ECHO', 'warm'], a)
    usedMemory(server, a)
    const before = usedMemory(server, a)
    server.call(['ECHO', 'y'.repeat(100)], a)
    const grown = usedMemory(server, a) - before
    // INFO's entry and ECHO's (byte-exact sizes: test/conformance/slowlog.test.ts).
    expect(grown).toBeGreaterThan(2 * (32 + 64 + 16) + 16 + 112)
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], a)
    server.call(['SLOWLOG', 'RESET'], a)
    expect(usedMemory(server, a)).toBeLessThan(before)
    expect(server.validate()).toEqual([])
  })

  it('keeps its entries in a clone', () => {
    const { server, a } = setup()
    server.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], a)
    server.call(['SET', 'k', 'v'], a)
    const copy = server.clone(manualClock(START)) as EngineServer
    expect(entries(copy, a)).toEqual(entries(server, a))
    copy.call(['SLOWLOG', 'RESET'], a)
    expect(server.call(['SLOWLOG', 'LEN'], a)).not.toEqual({ type: 'integer', value: 0 })
  })
})
