/**
 * A direct harness for the container type tests: a server state, one client, commands run
 * through processCommand, and raw access to the stored objects for validation.
 */
import { manualClock } from '../../../src/engine/clock.ts'
import { createExecContext } from '../../../src/engine/context.ts'
import type { StepEvent } from '../../../src/engine/events.ts'
import { peekKey } from '../../../src/engine/inspect.ts'
import type { RedisDb } from '../../../src/engine/keyspace/db.ts'
import type { Reply } from '../../../src/engine/reply.ts'
import { createClientState, createServerState, processCommand } from '../../../src/engine/server.ts'
import type { ServerState } from '../../../src/engine/state.ts'
import type { RedisObject } from '../../../src/engine/types/object.ts'

export interface TypeHarness {
  readonly srv: ServerState
  /** Runs a command; returns its reply (events of the last command in `events`). */
  exec(...argv: string[]): Reply
  /** The object stored at `key` in db 0 (no side effects), or undefined. */
  obj(key: string): RedisObject | undefined
  /** OBJECT ENCODING, as a plain string (or null). */
  enc(key: string): string | null
  events: readonly StepEvent[]
}

/** Creates the harness (seed 1, full traces unless `trace` says otherwise). */
export function createTypeHarness(
  seed = 1,
  trace: 'off' | 'summary' | 'full' = 'full',
): TypeHarness {
  const clock = manualClock()
  const srv = createServerState({ seed, clock })
  const client = createClientState(srv)
  const h: TypeHarness = {
    srv,
    events: [],
    exec: (...argv) => {
      const ctx = createExecContext(srv.rng, srv.clock, trace)
      const reply = processCommand(srv, client, ctx, argv)
      h.events = ctx.events
      return reply
    },
    obj: (key) => peekKey((srv.dbs[0] as RedisDb).dict, key),
    enc: (key) => peekKey((srv.dbs[0] as RedisDb).dict, key)?.encoding ?? null,
  }
  return h
}

/** The value of a bulk/integer reply, the members of an array reply (one level). */
export function flat(r: Reply): unknown {
  if (r.type === 'array') return r.value === null ? null : r.value.map(flat)
  return r.value
}
