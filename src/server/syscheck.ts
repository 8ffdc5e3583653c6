/**
 * The system checks redis-server logs as warnings after "Server initialized" on Linux
 * (server.c main → linuxMemoryWarnings, checkXenClocksource; syscheck.c). A check whose
 * file cannot be read passes, as in Redis.
 *
 * checkTHPEnabled is left out: with THP `[always]` Redis turns it off for itself
 * (prctl PR_SET_THP_DISABLE, which Linux has had since 3.15) and says nothing.
 */
import { readFileSync } from 'node:fs'

/** The file's first line, or null when it cannot be read or is empty (fgets NULL). */
function firstLine(path: string): string | null {
  let text: string
  try {
    text = readFileSync(path, 'latin1')
  } catch {
    return null
  }
  return text === '' ? null : (text.split('\n')[0] ?? '')
}

/** checkOvercommit: vm.overcommit_memory must be 1 (strtol of the file's first line). */
function checkOvercommit(): string | null {
  const line = firstLine('/proc/sys/vm/overcommit_memory')
  if (line === null || parseInt(line.trimStart(), 10) === 1) return null
  return (
    'Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. ' +
    'Being disabled, it can can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. ' +
    "To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the " +
    "command 'sysctl vm.overcommit_memory=1' for this to take effect."
  )
}

/** checkXenClocksource: the 'xen' clocksource is slow. */
function checkXenClocksource(): string | null {
  if (firstLine('/sys/devices/system/clocksource/clocksource0/current_clocksource') !== 'xen')
    return null
  return (
    "Your system is configured to use the 'xen' clocksource which might lead to degraded performance. " +
    "Check the result of the [slow-clocksource] system check: run 'redis-server --check-system' to check if " +
    "the system's clocksource isn't degrading performance."
  )
}

/** The WARNING lines redis-server logs after "Server initialized" here, in its order. */
export function startupSystemWarnings(linux = process.platform === 'linux'): string[] {
  if (!linux) return []
  const lines: string[] = []
  for (const check of [checkOvercommit, checkXenClocksource]) {
    const msg = check()
    if (msg !== null) lines.push(`WARNING ${msg}`)
  }
  return lines
}
