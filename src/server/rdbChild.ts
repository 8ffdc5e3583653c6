/**
 * BGSAVE's child process for `npm run serve` (server.c redisFork, checkChildrenDone; rdb.c
 * rdbSaveBackground, killRDBChild, rdbRemoveTempFile; childinfo.c). Node cannot fork its
 * heap, so the engine serializes the dataset at the fork and the child is a small process
 * that stands for the save: while it lives, this host writes the file as
 * temp-<child pid>.rdb in `dir`, sleeping rdb-key-save-delay µs per key as rdbSaveKeyValuePair
 * does, then renames it and logs as the child; the child then exits with the save's status.
 * Whatever ends the child first ends the save: kill -9 (the parent logs "Background saving
 * terminated by signal 9" and stops writes with MISCONF) or SIGUSR1 from killRDBChild (FLUSHALL,
 * SHUTDOWN), after which the child exits with SERVER_CHILD_NOERROR_RETVAL as
 * sigKillChildHandler makes it. So `pgrep -P <server pid>` finds it, /proc/<pid>/oom_score_adj
 * has the bgchild class, and its exit status reaches the engine through waitpid.
 *
 * The child is /bin/sh: it traps SIGUSR1 at once, then waits for the status to exit with
 * (a closed pipe, the server gone, exits 1).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { constants } from 'node:os'
import { resolve } from 'node:path'
import type { RdbChildren, RdbChildStatus } from '../engine/rdb.ts'
import type { OomScoreAdjStatics } from './oomScoreAdj.ts'
import { createOomScoreAdj } from './oomScoreAdj.ts'
import { openRdbTempFile, rdbSaveInSteps, rdbTempName, type HostLog } from './rdbDisk.ts'

/** sigKillChildHandler's exitFromChild(SERVER_CHILD_NOERROR_RETVAL) (its line: `kill`). */
const CHILD_SCRIPT = `trap 'exit 255' USR1
read status || exit 1
exit "$status"`

/** The host's children: at most one at a time (the engine forks only with none active). */
export function createRdbChildren(
  log: HostLog,
  oomStatics: () => OomScoreAdjStatics,
  linux = process.platform === 'linux',
): RdbChildren {
  const ended: RdbChildStatus[] = []
  // Each live child: whether SIGUSR1 would find it waiting for its status (its trap runs).
  const waiting = new Map<number, () => boolean>()
  let lastInfo: number | null = null

  return {
    fork: (job) => {
      let child: ChildProcess
      try {
        child = spawn('/bin/sh', ['-c', CHILD_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] })
      } catch (e) {
        return (e as Error).message
      }
      const pid = child.pid
      if (pid === undefined) {
        child.once('error', () => {})
        return 'Resource temporarily unavailable'
      }
      let exited = false
      let told = false
      child.stdin?.on('error', () => {})
      // Until it is told its status the child waits in `read`, where SIGUSR1 runs its trap.
      waiting.set(pid, () => !exited && !told)
      child.once('exit', () => {
        exited = true
        waiting.delete(pid)
      })
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        ended.push({
          pid,
          exitcode: code ?? -1,
          bysignal: signal === null ? 0 : constants.signals[signal],
        })
      })
      const done = (status: number) => {
        told = true
        child.stdin?.write(`${String(status)}\n`)
      }
      lastInfo = null
      // The child's first steps, after the parent has logged the fork: redisFork's
      // setOOMScoreAdj(CONFIG_OOM_BGCHILD) with the parent's statics, then rdbSave.
      const statics = oomStatics()
      setImmediate(() => {
        if (exited) return
        createOomScoreAdj(
          (text) => {
            log({ level: '#', text }, pid)
          },
          `/proc/${String(pid)}/oom_score_adj`,
          linux,
          statics,
        )(job.oomScoreAdj.mode, job.oomScoreAdj.value)
        const file = openRdbTempFile(log, job.dir, job.dbfilename, pid, pid, job.aof === true)
        if (file === null) done(1)
        else
          rdbSaveInSteps(
            job,
            file,
            () => !exited,
            (ok) => {
              done(ok ? 0 : 1)
            },
            (keys) => (lastInfo = keys),
          )
      })
      return pid
    },
    wait: () => ended.shift() ?? null,
    kill: (pid) => {
      // sigKillChildHandler's line, written by the child as the signal lands: before
      // whatever the parent logs next.
      if (waiting.get(pid)?.() === true)
        log({ level: '#', text: 'Received SIGUSR1 in child, exiting now.', fromHandler: true }, pid)
      try {
        process.kill(pid, 'SIGUSR1')
      } catch {
        // Already gone: its exit is on its way to wait().
      }
    },
    removeTempFile: (pid, dir) => {
      rmSync(resolve(dir, rdbTempName(pid)), { force: true })
    },
    receiveChildInfo: () => {
      const keys = lastInfo
      lastInfo = null
      return keys
    },
  }
}
