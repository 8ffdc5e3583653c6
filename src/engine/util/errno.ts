/**
 * libc's errno, as far as Redis 7.0's commands leave it behind and read it back.
 *
 * errno is one process-wide integer that a C library call sets on failure and leaves alone on
 * success, and Redis clears it (errno = 0) only right before the calls it checks. Two command
 * paths read it without clearing it first, so what an earlier command left there decides
 * their reply:
 *
 * - SORT (sort.c sortCommandGeneric) converts each weight with strtod and counts a conversion
 *   error when errno is ERANGE: after `SCAN 18446744073709551616` or `ZADD z 1e400 m`, a
 *   plain numeric SORT answers "One or more scores can't be converted into double";
 * - XADD key ms-* when ms's sequence is exhausted (t_stream.c streamAppendItem returns an
 *   error without setting errno): "equal or smaller" if errno is EDOM, else "Elements are
 *   too large to be stored".
 *
 * The writers modelled are those a command stream reaches: string2d and string2ld (reset,
 * then strtod/strtold's ERANGE), strtod without a reset (zslParseRange, SORT, zzlStrtod reading
 * a subnormal listpack score back), SCAN cursors
 * and memory sizes (reset, then strtoul's ERANGE), stream IDs (string2ull), streamAppendItem
 * (EDOM), rax iterators at their end and rax inserts of an existing key (0), and a new
 * connection (accept loops until EAGAIN). Not modelled: file and socket errors (DEBUG
 * RELOAD, a full socket buffer).
 *
 * Like C's errno this is one value for the whole process (every server in it), on purpose:
 * it is what Redis does, and only the two readers above ever see it.
 */

export const EAGAIN = 11
export const EDOM = 33
export const ERANGE = 34

/** The emulated errno. */
export const libc: { errno: number } = { errno: 0 }

/**
 * Runs `fn` with errno left as it was: for the engine's own walks that Redis does not make
 * (memory accounting after a write, views for the panels), whose rax iterators would clear it.
 */
export function keepingErrno<T>(fn: () => T): T {
  const saved = libc.errno
  try {
    return fn()
  } finally {
    libc.errno = saved
  }
}
