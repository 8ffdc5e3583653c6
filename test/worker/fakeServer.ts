/**
 * A tiny in-memory stand-in for the engine, for app tests only: strings with expiry,
 * clients, COMMAND/COMMAND DOCS, inspect and a digest. It is NOT the engine; it exists so
 * the worker/state/console layers can be tested without depending on engine progress.
 */
import type {
  ClientId,
  InspectView,
  RedisServer,
  ServerOptions,
  TickTrace,
  Trace,
} from '../../src/engine/api.ts'
import { toClock } from '../../src/engine/clock.ts'
import type { StepEvent, TraceLevel } from '../../src/engine/events.ts'
import type { Reply } from '../../src/engine/reply.ts'

const bulk = (v: string | null): Reply => ({ type: 'bulk', value: v })
const int = (v: number): Reply => ({ type: 'integer', value: v })
const OK: Reply = { type: 'simple', value: 'OK' }
const err = (v: string): Reply => ({ type: 'error', value: v })
const arr = (v: Reply[]): Reply => ({ type: 'array', value: v })

const DOCS: Record<string, { params: Reply[]; summary: string; arity: number }> = {
  GET: { params: [argDoc('key', 'key')], summary: 'Returns the string value of a key.', arity: 2 },
  SET: {
    params: [
      argDoc('key', 'key'),
      argDoc('value', 'string'),
      arr([
        ...kv('name', 'condition'),
        ...kv('type', 'oneof'),
        bulk('flags'),
        arr([{ type: 'simple', value: 'optional' }]),
        bulk('arguments'),
        arr([pureToken('NX'), pureToken('XX')]),
      ]),
    ],
    summary: 'Sets the string value of a key.',
    arity: -3,
  },
  DEL: { params: [argDoc('key', 'key', true)], summary: 'Deletes one or more keys.', arity: -2 },
  INCR: { params: [argDoc('key', 'key')], summary: 'Increments the integer value.', arity: 2 },
  EXPIRE: {
    params: [argDoc('key', 'key'), argDoc('seconds', 'integer')],
    summary: 'Sets the expiration time of a key in seconds.',
    arity: -3,
  },
  TTL: { params: [argDoc('key', 'key')], summary: 'Returns the expiration time.', arity: 2 },
  PING: { params: [], summary: 'Returns the server’s liveliness response.', arity: -1 },
  KEYS: { params: [argDoc('pattern', 'pattern')], summary: 'Returns all key names.', arity: 2 },
  DBSIZE: { params: [], summary: 'Returns the number of keys.', arity: 1 },
}

function kv(k: string, v: string): Reply[] {
  return [bulk(k), bulk(v)]
}
function pureToken(t: string): Reply {
  return arr([...kv('name', t.toLowerCase()), ...kv('type', 'pure-token'), ...kv('token', t)])
}
function argDoc(name: string, type: string, multiple = false): Reply {
  const a = [...kv('name', name), ...kv('type', type)]
  if (multiple) a.push(bulk('flags'), arr([{ type: 'simple', value: 'multiple' }]))
  return arr(a)
}

/** Creates the fake. Same seed + same calls = same digest. */
export function createFakeServer(opts: ServerOptions): RedisServer {
  const clock = toClock(opts.clock)
  const data = new Map<string, string>()
  const expires = new Map<string, number>()
  let level: TraceLevel = opts.trace ?? 'full'
  let seq = 0
  let nextClient = 1
  const clients = new Set<ClientId>()

  function expireIfNeeded(key: string, now: number, events: StepEvent[], lazy: boolean): void {
    const when = expires.get(key)
    if (when === undefined || when > now) return
    data.delete(key)
    expires.delete(key)
    if (level !== 'off')
      events.push(
        lazy
          ? { type: 'expire/keyExpiredLazily', db: 0, key, when, now }
          : { type: 'expire/keyExpiredActively', db: 0, key, when },
      )
  }

  function run(argv: readonly string[], events: StepEvent[], now: number): Reply {
    const name = (argv[0] ?? '').toUpperCase()
    const key = argv[1] ?? ''
    if (argv[1] !== undefined) expireIfNeeded(key, now, events, true)
    const added = (k: string): void => {
      if (level === 'full')
        events.push({
          type: 'dict/keyAdded',
          dict: 'db:0:keys',
          key: k,
          table: 0,
          bucket: 0,
          chainPos: 0,
          chainLen: 1,
        })
    }
    switch (name) {
      case 'PING':
        return { type: 'simple', value: 'PONG' }
      case 'SET':
        if (argv.length < 3) return err("ERR wrong number of arguments for 'set' command")
        if (!data.has(key)) added(key)
        data.set(key, argv[2] ?? '')
        expires.delete(key)
        return OK
      case 'GET':
        return bulk(data.get(key) ?? null)
      case 'DEL': {
        let n = 0
        for (const k of argv.slice(1)) if (data.delete(k)) n++
        return int(n)
      }
      case 'INCR': {
        const v = Number(data.get(key) ?? '0')
        if (!Number.isInteger(v)) return err('ERR value is not an integer or out of range')
        if (!data.has(key)) added(key)
        data.set(key, String(v + 1))
        return int(v + 1)
      }
      case 'EXPIRE':
        if (!data.has(key)) return int(0)
        expires.set(key, now + Number(argv[2]) * 1000)
        return int(1)
      case 'TTL': {
        if (!data.has(key)) return int(-2)
        const w = expires.get(key)
        return int(w === undefined ? -1 : Math.round((w - now) / 1000))
      }
      case 'KEYS':
        return arr([...data.keys()].sort().map(bulk))
      case 'DBSIZE':
        return int(data.size)
      case 'DEBUG':
        if ((argv[1] ?? '').toUpperCase() === 'POPULATE') {
          for (let i = 0; i < Number(argv[2]); i++)
            data.set(`key:${String(i)}`, `value:${String(i)}`)
          return OK
        }
        if ((argv[1] ?? '').toUpperCase() === 'THROW') throw new Error('boom')
        return err('ERR unknown subcommand')
      case 'COMMAND':
        if ((argv[1] ?? '').toUpperCase() === 'DOCS')
          return arr(
            Object.entries(DOCS).flatMap(([n, d]) => [
              bulk(n.toLowerCase()),
              arr([
                ...kv('summary', d.summary),
                ...kv('since', '1.0.0'),
                ...kv('group', 'string'),
                bulk('arguments'),
                arr(d.params),
              ]),
            ]),
          )
        return arr(Object.entries(DOCS).map(([n, d]) => arr([bulk(n.toLowerCase()), int(d.arity)])))
      default:
        return err(`ERR unknown command '${argv[0] ?? ''}', with args beginning with: `)
    }
  }

  const server: RedisServer = {
    createClient() {
      const id = nextClient++
      clients.add(id)
      return id
    },
    closeClient(id) {
      clients.delete(id)
    },
    call(argv, client) {
      return server.execute(argv, client).reply
    },
    execute(argv, client = 0) {
      const events: StepEvent[] = []
      const at = clock.now()
      const reply = run(argv, events, at)
      const t: Trace = { seq: seq++, client, db: 0, argv, at, reply, events }
      return t
    },
    shouldClose: () => false,
    tick(ms) {
      const events: StepEvent[] = []
      ;(clock as { advance?: (n: number) => void }).advance?.(ms)
      const now = clock.now()
      for (const k of [...expires.keys()]) expireIfNeeded(k, now, events, false)
      const t: TickTrace = { at: now, events }
      return t
    },
    cron: () => ({ at: clock.now(), events: [] }),
    inspect(key) {
      if (key === null) {
        const v: InspectView = { kind: 'keyspace', keys: [...data.keys()].sort(), size: data.size }
        return v
      }
      const value = data.get(key)
      return value === undefined ? null : { kind: 'string', encoding: 'raw', value }
    },
    // Its commands (strings, expiry) all name their one key first.
    commandKeys: (argv) =>
      argv.length > 1 && argv[0]?.toUpperCase() !== 'PING' ? [argv[1] as string] : [],
    digest() {
      const keys = [...data.keys()].sort()
      return keys.map((k) => `${k}=${data.get(k) ?? ''}@${String(expires.get(k) ?? -1)}`).join(';')
    },
    get traceLevel() {
      return level
    },
    setTraceLevel(l) {
      level = l
    },
  }
  return server
}
