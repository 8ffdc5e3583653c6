/**
 * Active expiration (expire.c activeExpireCycle). Owned by the strings/keys helper, who
 * implements it; the server core created this stub with the signature server.ts calls:
 * serverCron → databasesCron calls activeExpireCycle(srv, ctx, 'slow') each tick when
 * srv.activeExpireEnabled; the engine has no beforeSleep, so server.ts also calls the
 * 'fast' kind after each command batch is not modelled (see server.ts).
 *
 * State between calls lives in srv.expire (currentDb, timelimitExit, lastFastCycle).
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'

/** expire.c activeExpireCycle (stub until the keys helper lands it). */
export function activeExpireCycle(
  _srv: ServerState,
  _ctx: ExecContext,
  _kind: 'slow' | 'fast',
): void {
  // Implemented by the strings/keys helper (issue 2, keyspace/expire.ts).
}
