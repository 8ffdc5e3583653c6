/**
 * The clients panel's fold cannot lie: for random MULTI / WATCH / SET / EXEC / SUBSCRIBE
 * sequences across 2–3 clients, folding each command's events onto the clients view before
 * it (panels/clients/clientsModel.ts applyClientsEvent) gives exactly the engine's view after
 * it (inspect(null, { server: 'clients' })), at both trace levels that record events.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { manualClock } from '../../src/engine/clock.ts'
import { createServer } from '../../src/engine/index.ts'
import type { ClientsView } from '../../src/engine/inspectClients.ts'
import { foldClients } from '../../src/panels/clients/clientsModel.ts'

const key = fc.constantFrom('k', 'j', 'x')
const channel = fc.constantFrom('news', 'nba', 'chat')
const pattern = fc.constantFrom('n*', '*', 'c?at')

const command: fc.Arbitrary<readonly string[]> = fc.oneof(
  key.map((k) => ['WATCH', k]),
  fc.tuple(key, key).map(([a, b]) => ['WATCH', a, b]),
  fc.constant(['UNWATCH']),
  fc.constant(['MULTI']),
  fc.constant(['EXEC']),
  fc.constant(['DISCARD']),
  key.map((k) => ['SET', k, '1']),
  key.map((k) => ['INCR', k]),
  key.map((k) => ['DEL', k]),
  key.map((k) => ['GET', k]),
  fc.constant(['NOSUCH']),
  fc.constant(['SET', 'k']),
  channel.map((c) => ['SUBSCRIBE', c]),
  channel.map((c) => ['UNSUBSCRIBE', c]),
  fc.constant(['UNSUBSCRIBE']),
  pattern.map((p) => ['PSUBSCRIBE', p]),
  fc.constant(['PUNSUBSCRIBE']),
  channel.map((c) => ['PUBLISH', c, 'hi']),
  channel.map((c) => ['SSUBSCRIBE', c]),
  fc.constant(['SUNSUBSCRIBE']),
  fc.constant(['RESET']),
  fc.constantFrom('0', '1', '2').map((db) => ['SELECT', db]),
  fc.constantFrom('', 'a', 'b').map((n) => ['CLIENT', 'SETNAME', n]),
  fc.constant(['HELLO', '2', 'SETNAME', 'h']),
  fc.constant(['FLUSHDB']),
  fc.constant(['FLUSHALL']),
  fc.constant(['SWAPDB', '0', '1']),
)

test.prop(
  [
    fc.integer({ min: 2, max: 3 }),
    fc.array(fc.tuple(fc.nat(2), command), { minLength: 1, maxLength: 40 }),
    fc.constantFrom('summary' as const, 'full' as const),
  ],
  { numRuns: 150 },
)('folding a command’s events onto `before` gives `after`', (clients, script, level) => {
  const server = createServer({ seed: 5, clock: manualClock(1_800_000_000_000) })
  server.setTraceLevel(level)
  const ids = Array.from({ length: clients }, () => server.createClient())
  const view = () => server.inspect(null, { server: 'clients' }) as unknown as ClientsView
  let before = view()
  for (const [who, argv] of script) {
    const trace = server.execute(argv, ids[who % clients])
    const after = view()
    expect(foldClients(before, trace.events, trace.events.length), argv.join(' ')).toEqual(after)
    before = after
  }
})
