import { describe, expect, it } from 'vitest'
import { createServer } from '../../../src/engine/index.ts'
import { manualClock } from '../../../src/engine/clock.ts'
import { commandDispatch, commandStatsOf, lookupDispatch } from '../../../src/engine/call.ts'
import { createServerState } from '../../../src/engine/server.ts'
import { COMMAND_MAP } from '../../../src/engine/commands/table.ts'
import type { CommandSpec } from '../../../src/engine/commands/spec.ts'
import { NIL, OK } from '../../../src/engine/reply.ts'

// The per-command fast paths: reused contexts, dispatch records, the used-memory cache.

function infoField(info: string, name: string): string {
  const line = info.split('\r\n').find((l) => l.startsWith(`${name}:`))
  return line?.slice(name.length + 1) ?? ''
}

describe('reused execution contexts', () => {
  it('give every trace its own events array, left alone by later commands', () => {
    const server = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    const first = server.execute(['SET', 'a', '1'])
    const kept = [...first.events]
    const second = server.execute(['SET', 'b', '2'])
    expect(first.events).not.toBe(second.events)
    expect(first.events).toEqual(kept)
    expect(second.events.length).toBeGreaterThan(0)
    server.setTraceLevel('off')
    const off1 = server.execute(['GET', 'a'])
    const off2 = server.execute(['GET', 'b'])
    expect(off1.events).toEqual([])
    // A command that kept no events shares one frozen empty array: nothing can write to it.
    expect(off2.events).toBe(off1.events)
    expect(Object.isFrozen(off1.events)).toBe(true)
  })

  it('keep every event of a command, in order, however many it emits', () => {
    const server = createServer({ seed: 1, clock: manualClock(), trace: 'full' })
    // Four keys fill the 4-bucket table: the fifth SET expands it, the sixth finishes the
    // rehash (a step on its lookup, one on its add).
    for (const k of ['a', 'b', 'c', 'd']) server.execute(['SET', k, '1'])
    const types = (argv: string[]): string[] => server.execute(argv).events.map((e) => e.type)
    expect(types(['SET', 'e', '1'])).toEqual([
      'object/created',
      'dict/keyFound',
      'dict/expandStarted',
      'dict/keyAdded',
      'dict/bucketRehashed',
      'dict/keyFound',
    ])
    expect(types(['SET', 'f', '1'])).toEqual([
      'object/created',
      'dict/bucketRehashed',
      'dict/keyFound',
      'dict/bucketRehashed',
      'dict/rehashCompleted',
      'dict/keyAdded',
      'dict/keyFound',
    ])
    server.setTraceLevel('summary')
    for (const k of ['g', 'h']) expect(types(['SET', k, '1'])).toEqual([])
    // The ninth key fills the 8-bucket table.
    expect(types(['SET', 'i', '1'])).toEqual(['dict/expandStarted', 'dict/bucketRehashed'])
  })

  it('freeze each command at its own time', () => {
    const clock = manualClock()
    const server = createServer({ seed: 1, clock, trace: 'off' })
    expect(server.call(['SET', 'k', 'v', 'PX', '100'])).toEqual(OK)
    clock.advance(50)
    expect(server.call(['PTTL', 'k'])).toEqual({ type: 'integer', value: 50 })
    clock.advance(51)
    expect(server.call(['GET', 'k'])).toEqual(NIL)
  })
})

describe('dispatch records', () => {
  it('carry the flags and full names processCommand tests', () => {
    const srv = createServerState({ seed: 1, clock: manualClock() })
    const get = lookupDispatch(srv, ['GeT', 'k'])
    expect(get?.fullname).toBe('get')
    expect(get?.denyOom).toBe(false)
    expect(lookupDispatch(srv, ['set', 'k', 'v'])?.denyOom).toBe(true)
    expect(lookupDispatch(srv, ['auth', 'x'])?.noAuth).toBe(true)
    for (const spec of COMMAND_MAP.values()) {
      for (const sub of [spec, ...(spec.subcommands ?? [])]) {
        const d = commandDispatch(sub, sub === spec ? null : spec)
        expect(d.noAuth).toBe(sub.flags.includes('no_auth'))
        expect(d.noMulti).toBe(sub.flags.includes('no_multi'))
        expect(d.denyOom).toBe(sub.flags.includes('denyoom'))
      }
    }
    const cfg = lookupDispatch(srv, ['CONFIG', 'Get', 'x'])
    expect(cfg?.fullname).toBe('config|get')
    expect(cfg?.parent?.name).toBe('config')
    expect(lookupDispatch(srv, ['config'])?.fullname).toBe('config')
    expect(lookupDispatch(srv, ['config', 'nope'])).toBeUndefined()
    expect(lookupDispatch(srv, ['nope'])).toBeUndefined()
  })

  it('find the commandstats entry of the server they run in, also after RESETSTAT', () => {
    const a = createServerState({ seed: 1, clock: manualClock() })
    const b = createServerState({ seed: 2, clock: manualClock() })
    const d = commandDispatch(COMMAND_MAP.get('ping') as CommandSpec, null)
    commandStatsOf(a, d).calls++
    commandStatsOf(b, d).calls += 2
    commandStatsOf(a, d).calls++
    expect(a.stats.numCommands.get('ping')?.calls).toBe(2)
    expect(b.stats.numCommands.get('ping')?.calls).toBe(2)
    a.stats.numCommands = new Map()
    commandStatsOf(a, d).calls++
    expect(a.stats.numCommands.get('ping')?.calls).toBe(1)
  })

  it('count calls per command name in INFO commandstats', () => {
    const server = createServer({ seed: 1, clock: manualClock(), trace: 'off' })
    server.call(['SET', 'k', '1'])
    server.call(['set', 'k', '2'])
    server.call(['CONFIG', 'GET', 'hz'])
    server.call(['CONFIG', 'RESETSTAT'])
    server.call(['INCR', 'k'])
    const info = server.call(['INFO', 'commandstats'])
    const text = info.type === 'bulk' ? (info.value ?? '') : ''
    expect(infoField(text, 'cmdstat_incr')).toMatch(/^calls=1,/)
    expect(infoField(text, 'cmdstat_set')).toBe('')
    // RESETSTAT itself is counted in the fresh stats, as in Redis.
    expect(infoField(text, 'cmdstat_config|resetstat')).toMatch(/^calls=1,/)
  })
})

describe('used memory between commands', () => {
  it('is the same whether read after every command or only at the end', () => {
    const script: string[][] = [
      ['SET', 'a', 'x'.repeat(60)],
      ['GET', 'a'],
      ['RPUSH', 'l', '1', '2', '3'],
      ['LRANGE', 'l', '0', '-1'],
      ['APPEND', 'a', 'yyyy'],
      ['EXPIRE', 'a', '100'],
      ['SELECT', '3'],
      ['SET', 'b', '1'],
      ['SWAPDB', '0', '3'],
      ['GET', 'b'],
      ['HSET', 'h', 'f', 'v'],
      ['DEL', 'b'],
      ['FLUSHDB'],
      ['SELECT', '0'],
      ['SADD', 's', 'm'],
    ]
    const once = createServer({ seed: 1, clock: manualClock(), trace: 'off' })
    const readEach = createServer({ seed: 1, clock: manualClock(), trace: 'off' })
    // Both have run INFO before (its latency histogram is counted from its first call on).
    once.call(['INFO', 'memory'])
    for (const argv of script) {
      once.call(argv)
      readEach.call(argv)
      const info = readEach.call(['INFO', 'memory'])
      expect(info.type).toBe('bulk')
    }
    const used = (s: typeof once): string => {
      const info = s.call(['INFO', 'memory'])
      return infoField(info.type === 'bulk' ? (info.value ?? '') : '', 'used_memory')
    }
    expect(used(readEach)).toBe(used(once))
  })
})
