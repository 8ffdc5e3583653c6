/**
 * server.c setOOMScoreAdj for the process running `npm run serve` (Linux's
 * /proc/self/oom_score_adj), as redis-server 7.0.15 does it:
 *
 * - The first time Redis takes control (oom-score-adj not `no`) it reads the process's score
 *   and keeps it as the base. `yes` (or `relative`, the same value) then writes base + the class's value,
 *   `absolute` the value alone, clamped to −1000..1000.
 * - Back to `no`, the base is written back once, and Redis leaves the score alone after that.
 * - A failed read or write logs "Unable to read/write oom_score_adj: <strerror>" and fails
 *   (CONFIG SET then answers updateOOMScoreAdj's error and restores the old values).
 *
 * Elsewhere than Linux Redis is built without HAVE_PROC_OOM_SCORE_ADJ and never fails.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { OomScoreAdjMode, SetOomScoreAdj } from '../engine/config.ts'
import { strerror } from './strerror.ts'

/** setOOMScoreAdj's statics: whether Redis took control of the score, and the score it found. */
export interface OomScoreAdjStatics {
  readonly adjustedByRedis: boolean
  readonly base: number
}

/** A process's setOOMScoreAdj, and its statics (a forked child starts with a copy). */
export type OomScoreAdj = SetOomScoreAdj & { readonly statics: () => OomScoreAdjStatics }

/**
 * The process's setOOMScoreAdj, reading and writing `path`. `log` gets the warnings Redis logs.
 * `inherited`: the statics a fork child copies from its parent (rdbChild.ts).
 */
export function createOomScoreAdj(
  log: (message: string) => void,
  path = '/proc/self/oom_score_adj',
  linux = process.platform === 'linux',
  inherited: OomScoreAdjStatics = { adjustedByRedis: false, base: 0 },
): OomScoreAdj {
  let { adjustedByRedis, base } = inherited
  const set = (mode: OomScoreAdjMode, value: number): boolean => {
    if (!linux) return true
    let val: number
    if (mode !== 'no') {
      if (!adjustedByRedis) {
        adjustedByRedis = true
        try {
          // atoi: the leading integer of "<score>\n".
          base = Number.parseInt(readFileSync(path, 'latin1'), 10) || 0
        } catch (e) {
          log(`Unable to read oom_score_adj: ${strerror(e)}`)
          return false
        }
      }
      val = mode === 'yes' ? value + base : value
      val = Math.max(-1000, Math.min(1000, val))
    } else if (adjustedByRedis) {
      adjustedByRedis = false
      val = base
    } else {
      return true
    }
    try {
      writeFileSync(path, `${val}\n`)
    } catch (e) {
      log(`Unable to write oom_score_adj: ${strerror(e)}`)
      return false
    }
    return true
  }
  return Object.assign(set, { statics: () => ({ adjustedByRedis, base }) })
}
