/**
 * server.c setOOMScoreAdj(-1) through the host: the process's oom_score_adj follows its class,
 * master or replica (server.masterhost), as oom-score-adj-values gives it. Applied when the
 * host sets its hook (main's call at startup), on CONFIG SET oom-score-adj(-values) (config.c
 * updateOOMScoreAdj) and when REPLICAOF changes the class (replicationSetMaster,
 * replicationUnsetMaster). The RESP server's process has a score; the browser has none.
 */
import { applyOomScoreAdj, type OomClass, type SetOomScoreAdj } from './config.ts'
import type { ServerState } from './state.ts'

const oomHooks = new WeakMap<ServerState, SetOomScoreAdj>()

/** The class setOOMScoreAdj(-1) picks: CONFIG_OOM_REPLICA while following a master. */
export function oomClass(srv: ServerState): OomClass {
  return srv.repl.masterhost === null ? 0 : 1
}

/** The host's oom_score_adj, or null. */
export function oomScoreAdjHook(srv: ServerState): SetOomScoreAdj | null {
  return oomHooks.get(srv) ?? null
}

/**
 * Sets the host's hook and, as redis-server's main does, applies the configured value at
 * once. False when that failed (the host logged why).
 */
export function setOomScoreAdjHook(srv: ServerState, hook: SetOomScoreAdj | null): boolean {
  if (hook === null) {
    oomHooks.delete(srv)
    return true
  }
  oomHooks.set(srv, hook)
  return setOOMScoreAdj(srv)
}

/** server.c setOOMScoreAdj(-1): the score of the process's class now (true without a host). */
export function setOOMScoreAdj(srv: ServerState): boolean {
  const hook = oomHooks.get(srv)
  return hook === undefined || applyOomScoreAdj(srv.config, hook, oomClass(srv))
}
