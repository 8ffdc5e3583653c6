/**
 * Eviction under maxmemory (evict.c performEvictions). Issue 4 implements this file: the
 * memory accounting, the sampled LRU/LFU/TTL pool of 16, random policies and the tenacity
 * time limit. Until then it is a stub that never evicts: with maxmemory 0 (the default)
 * it answers 'ok' as Redis does; with maxmemory set it also answers 'ok' because used
 * memory is not tracked yet.
 *
 * Contract used by server.ts:processCommand: called before every command when
 * srv.config.maxmemory !== 0; 'fail' makes deny-oom commands (and anything queued inside
 * MULTI except EXEC/DISCARD/QUIT/RESET) answer the OOM error.
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'

export type EvictionResult = 'ok' | 'running' | 'fail'

/** evict.c performEvictions. */
export function performEvictions(srv: ServerState, _ctx: ExecContext): EvictionResult {
  if (srv.config.maxmemory === 0) return 'ok'
  return 'ok'
}
