/**
 * A tiny RedisServer for the transport tests: PING, ECHO, SET, GET, DEL, QUIT, AUTH (with a
 * fixed password when `password` is given), CLIENT KILL ID (also as XC, as if
 * rename-command had renamed CLIENT), BOOM (throws, like an engine bug would), and Redis's
 * unknown-command
 * error. It lets the TCP server be tested on its own, whatever the real engine can do.
 */
import type { ClientId, RedisServer, TickTrace, Trace } from '../../src/engine/api.ts'
import { error, integer, OK, PONG, bulk, type Reply } from '../../src/engine/reply.ts'

export interface FakeEngine extends RedisServer {
  readonly clients: Set<ClientId>
  unlinkedClients(): number
  cronCalls: number
  authRequired(client: ClientId): boolean
}

export function createFakeEngine(password: string | null = null): FakeEngine {
  const data = new Map<string, string>()
  const clients = new Set<ClientId>()
  const closing = new Set<ClientId>()
  const authed = new Set<ClientId>()
  let nextId = 1
  let unlinked = 0
  const engine: FakeEngine = {
    clients,
    cronCalls: 0,
    authRequired: (c) => password !== null && !authed.has(c),
    createClient: () => {
      const id = nextId++
      clients.add(id)
      return id
    },
    closeClient: (id) => {
      clients.delete(id)
    },
    call: (argv, client = 0) => run(argv, client),
    execute: (argv, client = 0): Trace => ({
      seq: 0,
      client,
      db: 0,
      argv,
      at: 0,
      reply: run(argv, client),
      events: [],
    }),
    shouldClose: (id) => closing.has(id),
    unlinkedClients: () => unlinked,
    tick: (): TickTrace => ({ at: 0, events: [] }),
    cron: (): TickTrace => {
      engine.cronCalls++
      return { at: 0, events: [] }
    },
    inspect: () => null,
    digest: () => '',
    traceLevel: 'off',
    setTraceLevel: () => {},
  }

  function run(argv: readonly string[], client: ClientId): Reply {
    const name = (argv[0] ?? '').toLowerCase()
    if (name === 'auth') {
      if (argv[1] === password) {
        authed.add(client)
        return OK
      }
      return error('WRONGPASS invalid username-password pair or user is disabled.')
    }
    if (engine.authRequired(client)) return error('NOAUTH Authentication required.')
    switch (name) {
      case 'ping':
        return argv.length > 1 ? bulk(argv[1] as string) : PONG
      case 'echo':
        return bulk(argv[1] ?? '')
      case 'set':
        data.set(argv[1] as string, argv[2] as string)
        return OK
      case 'get':
        return bulk(data.get(argv[1] as string) ?? null)
      case 'del':
        return integer(data.delete(argv[1] as string) ? 1 : 0)
      case 'boom':
        throw new Error('simulated engine bug')
      case 'quit':
        closing.add(client)
        return OK
      case 'client':
      case 'xc': {
        const victim = Number(argv[3])
        if (!clients.has(victim)) return error('ERR No such client')
        closing.add(victim)
        unlinked++
        return OK
      }
      default: {
        const args = argv
          .slice(1)
          .map((a) => `'${a}' `)
          .join('')
        return error(`ERR unknown command '${argv[0] ?? ''}', with args beginning with: ${args}`)
      }
    }
  }
  return engine
}
