/**
 * Pub/Sub through the engine's API (commands/pubsub.ts): replies as RESP2 bytes (the ones
 * redis-server 7.0.15 sends, recorded from it), messages to other clients through the outbox,
 * the subscribed context, RESET, closing and killing subscribers, EXEC with SUBSCRIBE and
 * PUBLISH to itself, CLIENT LIST / INFO fields, and the self-check after each step.
 * (Byte-for-byte comparison over sockets is in test/conformance/pubsub.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../../src/engine/clock.ts'
import { createServer } from '../../../src/engine/index.ts'
import type { EngineServer } from '../../../src/engine/server.ts'
import { respEncode } from '../../../src/engine/resp.ts'

function setup(): { server: EngineServer; send: (id: number, ...argv: string[]) => string } {
  const server = createServer({ seed: 11, clock: manualClock(1_800_000_000_000) }) as EngineServer
  const send = (id: number, ...argv: string[]): string => {
    const out = respEncode(server.call(argv, id))
    expect(server.validate()).toEqual([])
    return out
  }
  return { server, send }
}

/** Takes the output the engine queued for other clients. */
function drain(server: EngineServer): ReadonlyMap<number, string> {
  return server.drainOutbox?.() ?? new Map<number, string>()
}

/** A subscribe-family confirmation as Redis writes it. */
function conf(kind: string, ch: string | null, n: number): string {
  const c = ch === null ? '$-1\r\n' : `$${String(ch.length)}\r\n${ch}\r\n`
  return `*3\r\n$${String(kind.length)}\r\n${kind}\r\n${c}:${String(n)}\r\n`
}
const b = (s: string): string => `$${String(s.length)}\r\n${s}\r\n`
const message = (ch: string, m: string): string => `*3\r\n${b('message')}${b(ch)}${b(m)}`
const pmessage = (p: string, ch: string, m: string): string =>
  `*4\r\n${b('pmessage')}${b(p)}${b(ch)}${b(m)}`

const CONTEXT_ERR = (name: string): string =>
  `-ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n`

describe('SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE', () => {
  it('confirms each channel with the running count, repeats included', () => {
    const { server, send } = setup()
    const a = server.createClient()
    expect(send(a, 'SUBSCRIBE', 'x', 'x', 'y')).toBe(
      conf('subscribe', 'x', 1) + conf('subscribe', 'x', 1) + conf('subscribe', 'y', 2),
    )
    expect(send(a, 'PSUBSCRIBE', 'x*', 'x*', '*')).toBe(
      conf('psubscribe', 'x*', 3) + conf('psubscribe', 'x*', 3) + conf('psubscribe', '*', 4),
    )
    // Shard channels count on their own.
    expect(send(a, 'SSUBSCRIBE', 's')).toBe(conf('ssubscribe', 's', 1))
  })

  it('answers arity errors before anything else', () => {
    const { server, send } = setup()
    const a = server.createClient()
    expect(send(a, 'SUBSCRIBE')).toBe("-ERR wrong number of arguments for 'subscribe' command\r\n")
    expect(send(a, 'PUBLISH', 'x')).toBe("-ERR wrong number of arguments for 'publish' command\r\n")
  })
})

describe('PUBLISH', () => {
  it('counts channel subscribers, then every matching pattern subscription', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const c = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x', 'y')
    send(a, 'PSUBSCRIBE', 'x*', '*')
    send(c, 'PSUBSCRIBE', '?')
    send(c, 'SUBSCRIBE', 'x')
    drain(server)
    expect(send(p, 'PUBLISH', 'x', 'm1')).toBe(':5\r\n')
    const out = drain(server)
    // Channel subscribers first, then patterns (in the patterns dict's order).
    expect(out.get(c)).toBe(message('x', 'm1') + pmessage('?', 'x', 'm1'))
    const forA = out.get(a) ?? ''
    expect(forA.startsWith(message('x', 'm1'))).toBe(true)
    expect([
      message('x', 'm1') + pmessage('x*', 'x', 'm1') + pmessage('*', 'x', 'm1'),
      message('x', 'm1') + pmessage('*', 'x', 'm1') + pmessage('x*', 'x', 'm1'),
    ]).toContain(forA)
    expect(out.has(p)).toBe(false)
    expect(send(p, 'PUBLISH', 'nobody', 'm')).toBe(':1\r\n')
    expect(drain(server).get(a)).toBe(pmessage('*', 'nobody', 'm'))
  })

  it('keeps the order of messages across publishes, and SPUBLISH ignores patterns', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const p = server.createClient()
    send(a, 'SSUBSCRIBE', 's')
    send(a, 'PSUBSCRIBE', '*')
    expect(send(p, 'SPUBLISH', 's', '1')).toBe(':1\r\n')
    expect(send(p, 'PUBLISH', 's', '2')).toBe(':1\r\n')
    expect(send(p, 'SPUBLISH', 'other', '3')).toBe(':0\r\n')
    expect(drain(server).get(a)).toBe(
      `*3\r\n${b('smessage')}${b('s')}${b('1')}` + pmessage('*', 's', '2'),
    )
  })

  it('is binary safe and matches patterns with Redis glob rules', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const p = server.createClient()
    send(a, 'PSUBSCRIBE', 'h[ae]llo', 'a\\*b')
    expect(send(p, 'PUBLISH', 'hello', '\x00\r\n')).toBe(':1\r\n')
    expect(send(p, 'PUBLISH', 'hallo', 'x')).toBe(':1\r\n')
    expect(send(p, 'PUBLISH', 'hillo', 'x')).toBe(':0\r\n')
    expect(send(p, 'PUBLISH', 'a*b', 'y')).toBe(':1\r\n')
    expect(send(p, 'PUBLISH', 'axb', 'y')).toBe(':0\r\n')
    expect(drain(server).get(a)).toBe(
      pmessage('h[ae]llo', 'hello', '\x00\r\n') +
        pmessage('h[ae]llo', 'hallo', 'x') +
        pmessage('a\\*b', 'a*b', 'y'),
    )
  })
})

describe('UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE', () => {
  it('confirms each name with the count left, subscribed or not', () => {
    const { server, send } = setup()
    const a = server.createClient()
    expect(send(a, 'UNSUBSCRIBE', 'a', 'b')).toBe(
      conf('unsubscribe', 'a', 0) + conf('unsubscribe', 'b', 0),
    )
    send(a, 'SUBSCRIBE', 'x', 'y')
    send(a, 'PSUBSCRIBE', 'p*')
    expect(send(a, 'UNSUBSCRIBE', 'y', 'zz')).toBe(
      conf('unsubscribe', 'y', 2) + conf('unsubscribe', 'zz', 2),
    )
    expect(send(a, 'PUNSUBSCRIBE', 'p*')).toBe(conf('punsubscribe', 'p*', 1))
  })

  it('with no argument leaves everything, or answers nil and the count when nothing', () => {
    const { server, send } = setup()
    const a = server.createClient()
    expect(send(a, 'UNSUBSCRIBE')).toBe(conf('unsubscribe', null, 0))
    expect(send(a, 'PUNSUBSCRIBE')).toBe(conf('punsubscribe', null, 0))
    expect(send(a, 'SUNSUBSCRIBE')).toBe(conf('sunsubscribe', null, 0))
    send(a, 'SUBSCRIBE', 'x', 'y')
    send(a, 'PSUBSCRIBE', 'p1', 'p2')
    // The channels in the client dict's order (Redis's is seeded per process).
    const all = send(a, 'UNSUBSCRIBE')
    expect([
      conf('unsubscribe', 'x', 3) + conf('unsubscribe', 'y', 2),
      conf('unsubscribe', 'y', 3) + conf('unsubscribe', 'x', 2),
    ]).toContain(all)
    // No channel left: the nil confirmation carries the patterns still counted.
    expect(send(a, 'UNSUBSCRIBE')).toBe(conf('unsubscribe', null, 2))
    expect(send(a, 'SUNSUBSCRIBE')).toBe(conf('sunsubscribe', null, 0))
    // Patterns leave in subscription order.
    expect(send(a, 'PUNSUBSCRIBE')).toBe(
      conf('punsubscribe', 'p1', 1) + conf('punsubscribe', 'p2', 0),
    )
    expect(send(a, 'GET', 'k')).toBe('$-1\r\n')
  })
})

describe('the subscribed context', () => {
  it('allows only the Pub/Sub commands, PING, QUIT and RESET', () => {
    const { server, send } = setup()
    const a = server.createClient()
    send(a, 'SUBSCRIBE', 'x')
    expect(send(a, 'GET', 'k')).toBe(CONTEXT_ERR('get'))
    expect(send(a, 'CONFIG', 'GET', 'maxmemory')).toBe(CONTEXT_ERR('config|get'))
    expect(send(a, 'MULTI')).toBe(CONTEXT_ERR('multi'))
    // Arity is checked first.
    expect(send(a, 'GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n")
    expect(send(a, 'PING')).toBe(`*2\r\n${b('pong')}${b('')}`)
    expect(send(a, 'PING', 'z')).toBe(`*2\r\n${b('pong')}${b('z')}`)
    expect(send(a, 'PING', 'a', 'b')).toBe("-ERR wrong number of arguments for 'ping' command\r\n")
    // Refused commands are rejected calls (processCommand's rejectCommand).
    expect(respEncode(server.call(['INFO', 'commandstats']))).toMatch(
      /cmdstat_multi:calls=0,[^\r]*rejected_calls=1,failed_calls=0/,
    )
    expect(send(a, 'UNSUBSCRIBE', 'x')).toBe(conf('unsubscribe', 'x', 0))
    expect(send(a, 'PING')).toBe('+PONG\r\n')
  })

  it('RESET leaves every subscription without confirmations', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x')
    send(a, 'PSUBSCRIBE', '*')
    send(a, 'SSUBSCRIBE', 's')
    expect(send(a, 'RESET')).toBe('+RESET\r\n')
    expect(send(a, 'GET', 'k')).toBe('$-1\r\n')
    expect(send(p, 'PUBLISH', 'x', 'm')).toBe(':0\r\n')
    expect(send(p, 'PUBSUB', 'NUMPAT')).toBe(':0\r\n')
    expect(drain(server).size).toBe(0)
  })

  it('QUIT, closing and CLIENT KILL drop the subscriptions', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const c = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x')
    send(c, 'SUBSCRIBE', 'x')
    send(c, 'PSUBSCRIBE', 'x')
    expect(send(a, 'QUIT')).toBe('+OK\r\n')
    server.closeClient(a)
    expect(send(p, 'PUBSUB', 'NUMSUB', 'x')).toBe(`*2\r\n${b('x')}:1\r\n`)
    expect(send(p, 'CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(':1\r\n')
    expect(server.shouldClose(c)).toBe(true)
    expect(send(p, 'PUBSUB', 'NUMSUB', 'x')).toBe(`*2\r\n${b('x')}:0\r\n`)
    expect(send(p, 'PUBSUB', 'NUMPAT')).toBe(':0\r\n')
  })

  it('sends confirmations even under CLIENT REPLY OFF, not other replies', () => {
    const { server, send } = setup()
    const a = server.createClient()
    send(a, 'CLIENT', 'REPLY', 'OFF')
    expect(server.replySilenced?.(a)).toBe(true)
    send(a, 'SUBSCRIBE', 'x')
    expect(server.replySilenced?.(a)).toBe(false)
    send(a, 'PING')
    expect(server.replySilenced?.(a)).toBe(true)
    send(a, 'UNSUBSCRIBE', 'x')
    expect(server.replySilenced?.(a)).toBe(false)
    send(a, 'GET', 'k')
    expect(server.replySilenced?.(a)).toBe(true)
  })
})

describe('MULTI / EXEC', () => {
  it('queues SUBSCRIBE; a message to the client itself precedes its PUBLISH reply', () => {
    const { server, send } = setup()
    const a = server.createClient()
    send(a, 'MULTI')
    for (const argv of [
      ['SUBSCRIBE', 'x', 'y'],
      ['PUBLISH', 'x', 'hi'],
      ['SSUBSCRIBE', 's'],
      ['PSUBSCRIBE', 'p*'],
    ])
      expect(send(a, ...argv)).toBe('+QUEUED\r\n')
    // Recorded from redis-server 7.0.15: four elements announced, more replies written.
    expect(send(a, 'EXEC')).toBe(
      '*4\r\n' +
        conf('subscribe', 'x', 1) +
        conf('subscribe', 'y', 2) +
        message('x', 'hi') +
        ':1\r\n' +
        "-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n" +
        conf('psubscribe', 'p*', 3),
    )
    expect(drain(server).size).toBe(0)
    expect(send(a, 'GET', 'k')).toBe(CONTEXT_ERR('get'))
  })
})

describe('PUBSUB', () => {
  it('lists channels, counts subscribers and patterns', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const c = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x', 'y')
    send(c, 'SUBSCRIBE', 'x')
    send(c, 'PSUBSCRIBE', 'x*', '?')
    send(a, 'PSUBSCRIBE', 'x*')
    send(c, 'SSUBSCRIBE', 's1', 's2')
    expect(send(p, 'PUBSUB', 'NUMSUB', 'x', 'x', 'zz')).toBe(
      `*6\r\n${b('x')}:2\r\n${b('x')}:2\r\n${b('zz')}:0\r\n`,
    )
    expect(send(p, 'PUBSUB', 'NUMSUB')).toBe('*0\r\n')
    expect(send(p, 'PUBSUB', 'NUMPAT')).toBe(':2\r\n')
    expect([`*2\r\n${b('x')}${b('y')}`, `*2\r\n${b('y')}${b('x')}`]).toContain(
      send(p, 'PUBSUB', 'CHANNELS'),
    )
    expect(send(p, 'PUBSUB', 'CHANNELS', 'y*')).toBe(`*1\r\n${b('y')}`)
    expect(send(p, 'PUBSUB', 'SHARDNUMSUB', 's1', 'x')).toBe(
      `*4\r\n${b('s1')}:1\r\n${b('x')}:0\r\n`,
    )
    expect(send(p, 'PUBSUB', 'SHARDCHANNELS', 's2')).toBe(`*1\r\n${b('s2')}`)
    expect(send(p, 'PUBSUB', 'CHANNELS', 'a', 'b')).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n",
    )
    expect(send(p, 'PUBSUB', 'NUMPAT', 'x')).toBe(
      "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n",
    )
    expect(send(p, 'PUBSUB', 'FOO')).toBe("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n")
    expect(send(p, 'PUBSUB', 'HELP').startsWith('*14\r\n+PUBSUB <subcommand>')).toBe(true)
  })

  it('reports the counts in INFO stats and CLIENT LIST', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x', 'y')
    send(a, 'PSUBSCRIBE', 'x*', '*', '?')
    send(a, 'SSUBSCRIBE', 's')
    const info = send(p, 'INFO', 'stats')
    expect(info).toContain('pubsub_channels:2\r\npubsub_patterns:3\r\npubsubshard_channels:1\r\n')
    const list = send(p, 'CLIENT', 'LIST')
    expect(list).toMatch(new RegExp(`id=${String(a)} .* flags=P db=0 sub=2 psub=3 ssub=1 `))
    expect(list).toMatch(new RegExp(`id=${String(p)} .* flags=N db=0 sub=0 psub=0 ssub=0 `))
    const pubsubOnly = send(p, 'CLIENT', 'LIST', 'TYPE', 'pubsub')
    expect(pubsubOnly).toContain(`id=${String(a)} `)
    expect(pubsubOnly).not.toContain(`id=${String(p)} `)
    expect(send(p, 'CLIENT', 'LIST', 'TYPE', 'normal')).not.toContain(`id=${String(a)} `)
  })
})

describe('clones', () => {
  it('carry the subscriptions, independent of the original', () => {
    const { server, send } = setup()
    const a = server.createClient()
    const p = server.createClient()
    send(a, 'SUBSCRIBE', 'x')
    const copy = server.clone(manualClock(1_800_000_000_000))
    expect(respEncode(copy.call(['PUBLISH', 'x', 'm'], p))).toBe(':1\r\n')
    expect(drain(copy).get(a)).toBe(message('x', 'm'))
    expect(copy.validate()).toEqual([])
    expect(send(a, 'UNSUBSCRIBE')).toBe(conf('unsubscribe', 'x', 0))
    expect(respEncode(copy.call(['PUBSUB', 'NUMSUB', 'x'], p))).toBe(`*2\r\n${b('x')}:1\r\n`)
  })
})

describe('events', () => {
  it('PUBLISH reports its deliveries when tracing, and nothing at level off', () => {
    const server = createServer({
      seed: 3,
      clock: manualClock(1_800_000_000_000),
      trace: 'summary',
    })
    const a = server.createClient()
    const p = server.createClient()
    server.call(['SUBSCRIBE', 'news'], a)
    server.call(['PSUBSCRIBE', 'n*', 'x*'], a)
    const t = server.execute(['PUBLISH', 'news', 'hi'], p)
    expect(t.events.filter((e) => e.type === 'pubsub/published')).toEqual([
      {
        type: 'pubsub/published',
        channel: 'news',
        shard: false,
        subscribers: 1,
        patterns: [{ pattern: 'n*', clients: 1 }],
        receivers: 2,
      },
    ])
    server.setTraceLevel('off')
    expect(server.execute(['PUBLISH', 'news', 'hi'], p).events).toEqual([])
    expect(respEncode(server.execute(['SPUBLISH', 'news', 'x'], p).reply)).toBe(':0\r\n')
  })
})
