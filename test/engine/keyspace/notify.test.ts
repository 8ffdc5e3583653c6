/**
 * Keyspace notifications in the engine (keyspace/notify.ts): the notify-keyspace-events
 * parser and formatter (examples recorded from redis-server 7.0.15, and a property: the
 * formatted form parses back to the same classes and formats to itself), CONFIG SET / GET
 * with its error, and delivery through the outbox: channel names, K and E apart, classes
 * off, the active expire cycle run by cron, and the pubsub/published trace event.
 * (Byte-for-byte streams against redis-server are in test/conformance/notify.test.ts.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import { respEncode } from '../../../src/engine/resp.ts'
import {
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
  NOTIFY_ALL,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_NEW,
} from '../../../src/engine/keyspace/notify.ts'

const VALID = 'Ag$lshzxeKEtmdn'

describe('notify-keyspace-events string form', () => {
  it('parses and prints as notify.c does', () => {
    const cases: [string, string][] = [
      ['KEA', 'AKE'],
      ['AKE', 'AKE'],
      ['', ''],
      ['Kg$', 'g$K'],
      ['An', 'A'],
      ['Em', 'Em'],
      ['x$lK', '$lxK'],
      ['nmdKE', 'dnKEm'],
      ['g$lshzxetd', 'A'],
      ['g$lshzxet', 'g$lshzxet'],
      ['K', 'K'],
      ['AAAA', 'A'],
    ]
    for (const [input, want] of cases)
      expect(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags(input))).toBe(want)
    // 'A' leaves out 'n' and 'm': "An" prints just "A" — the n bit is set but the A branch
    // prints no class letter besides A.
    expect(keyspaceEventsStringToFlags('An') & NOTIFY_NEW).toBe(NOTIFY_NEW)
    expect(keyspaceEventsStringToFlags('A') & (NOTIFY_NEW | NOTIFY_KEY_MISS)).toBe(0)
    expect(keyspaceEventsStringToFlags('KE')).toBe(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)
    expect(keyspaceEventsStringToFlags('A')).toBe(NOTIFY_ALL)
  })

  it('refuses any other character, and stops at a NUL', () => {
    for (const bad of ['Q', 'KEQ', 'K E', 'a', 'k', '*', 'KEA '])
      expect(keyspaceEventsStringToFlags(bad)).toBe(-1)
    expect(keyspaceEventsStringToFlags('K\0Q')).toBe(NOTIFY_KEYSPACE)
  })

  it('formats canonically: the printed form parses back to the same classes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VALID), { maxLength: 20 }), (chars) => {
        const flags = keyspaceEventsStringToFlags(chars.join(''))
        expect(flags).toBeGreaterThanOrEqual(0)
        const text = keyspaceEventsFlagsToString(flags)
        // Exact, except that a printed 'A' drops 'n' (as Redis's CONFIG GET does).
        const back = keyspaceEventsStringToFlags(text)
        expect(back | (flags & NOTIFY_NEW)).toBe(flags)
        expect(keyspaceEventsFlagsToString(back)).toBe(text)
      }),
    )
  })

  it('answers -1 for any string with a character outside the classes', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1, maxLength: 1 }),
        fc.string(),
        (a, ch, b) => {
          fc.pre(!VALID.includes(ch) && ch !== '\0' && !a.includes('\0'))
          expect(keyspaceEventsStringToFlags(a + ch + b)).toBe(-1)
        },
      ),
    )
  })
})

function setup(): {
  server: EngineServer
  clock: ReturnType<typeof manualClock>
  send: (id: number, ...argv: string[]) => string
  drain: () => string
  sub: number
  cli: number
} {
  const clock = manualClock(1_800_000_000_000)
  const server = createServer({ seed: 3, clock }) as EngineServer
  const send = (id: number, ...argv: string[]): string => {
    const out = respEncode(server.call(argv, id))
    expect(server.validate()).toEqual([])
    return out
  }
  const sub = server.createClient()
  const cli = server.createClient()
  send(sub, 'PSUBSCRIBE', '__key*__:*')
  const drain = (): string => server.drainOutbox?.().get(sub) ?? ''
  return { server, clock, send, drain, sub, cli }
}

const b = (s: string): string => `$${String(s.length)}\r\n${s}\r\n`
const pm = (ch: string, m: string): string =>
  `*4\r\n${b('pmessage')}${b('__key*__:*')}${b(ch)}${b(m)}`

describe('CONFIG SET / GET notify-keyspace-events', () => {
  it('stores the classes, reads back the canonical form, and refuses bad characters', () => {
    const { send, cli } = setup()
    expect(send(cli, 'CONFIG', 'GET', 'notify-keyspace-events')).toBe(
      `*2\r\n${b('notify-keyspace-events')}${b('')}`,
    )
    expect(send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'KEA')).toBe('+OK\r\n')
    expect(send(cli, 'CONFIG', 'GET', 'notify-keyspace-events')).toBe(
      `*2\r\n${b('notify-keyspace-events')}${b('AKE')}`,
    )
    expect(send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'KEQ')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n",
    )
    // A failed SET leaves the old value.
    expect(send(cli, 'CONFIG', 'GET', 'notify-keyspace-events')).toBe(
      `*2\r\n${b('notify-keyspace-events')}${b('AKE')}`,
    )
  })
})

describe('delivery', () => {
  it('sends nothing by default, nor with K/E alone or a class alone', () => {
    const { send, drain, cli } = setup()
    send(cli, 'SET', 'k', 'v')
    expect(drain()).toBe('')
    send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'KE')
    send(cli, 'SET', 'k', 'v')
    expect(drain()).toBe('')
    send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', '$')
    send(cli, 'SET', 'k', 'v')
    expect(drain()).toBe('')
  })

  it('publishes keyspace then keyevent, per class, in the db of the key', () => {
    const { send, drain, cli } = setup()
    send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'K$')
    send(cli, 'SET', 'k', 'v', 'EX', '10')
    expect(drain()).toBe(pm('__keyspace@0__:k', 'set'))
    send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'KEg$')
    send(cli, 'SELECT', '5')
    send(cli, 'SET', 'k', 'v', 'EX', '10')
    expect(drain()).toBe(
      pm('__keyspace@5__:k', 'set') +
        pm('__keyevent@5__:set', 'k') +
        pm('__keyspace@5__:k', 'expire') +
        pm('__keyevent@5__:expire', 'k'),
    )
  })

  it('reports "expired" from the active cycle, and traces the publish', () => {
    const { server, clock, send, drain, cli } = setup()
    send(cli, 'CONFIG', 'SET', 'notify-keyspace-events', 'Ex')
    send(cli, 'SET', 'k', 'v', 'PX', '5')
    expect(drain()).toBe('')
    clock.advance(1000)
    for (let i = 0; i < 20; i++) server.cron()
    expect(drain()).toBe(pm('__keyevent@0__:expired', 'k'))
    send(cli, 'SET', 'k2', 'v', 'PX', '5')
    clock.advance(10)
    server.setTraceLevel('summary')
    const r = server.execute(['GET', 'k2'], cli)
    const published = r.events.filter((e) => e.type === 'pubsub/published')
    expect(published).toEqual([
      expect.objectContaining({ channel: '__keyevent@0__:expired', receivers: 1 }),
    ])
  })
})
