/**
 * DEBUG MALLCTL / MALLCTL-STR (debug.c mallctl_int, mallctl_string): jemalloc's mallctl()
 * called by name. X-Ray has no jemalloc, so a small table stands for the names whose answer
 * does not move with the allocator's state (read-only settings and constants of jemalloc 5.3.0
 * as redis-server 7.0.15 is built, measured on it). Any other name answers as one jemalloc does
 * not know (ENOENT), which is also what a real but unlisted name gets here (a documented gap).
 */
import { bulk, error, integer, OK, type Reply } from '../reply.ts'
import { getLongLongOrReply } from './parse.ts'

type Ctl =
  /** A read-only 8-byte value (size_t, ssize_t, uint64_t). */
  | { kind: 'u64'; value: number }
  /** A read-only value of another width (bool, unsigned): never read with 8, 4, 2 or 1 bytes. */
  | { kind: 'narrow' }
  /** A read-only string (const char *). */
  | { kind: 'str'; value: string }
  /** Neither read nor written with a value (thread.tcache.flush): EPERM unless both are NULL. */
  | { kind: 'action' }

const narrow: Ctl = { kind: 'narrow' }

const CTLS = new Map<string, Ctl>([
  ['arenas.page', { kind: 'u64', value: 4096 }],
  ['arenas.quantum', { kind: 'u64', value: 16 }],
  ['arenas.tcache_max', { kind: 'u64', value: 32768 }],
  ['opt.tcache_max', { kind: 'u64', value: 32768 }],
  ['opt.dirty_decay_ms', { kind: 'u64', value: 10000 }],
  ['opt.lg_extent_max_active_fit', { kind: 'u64', value: 6 }],
  ['opt.oversize_threshold', { kind: 'u64', value: 8388608 }],
  ['arenas.narenas', narrow],
  ['arenas.nbins', narrow],
  ['arenas.nhbins', narrow],
  ['arenas.nlextents', narrow],
  ['opt.narenas', narrow],
  ['opt.abort', narrow],
  ['opt.retain', narrow],
  ['opt.tcache', narrow],
  ['opt.zero', narrow],
  ['opt.prof', narrow],
  ['config.debug', narrow],
  ['config.prof', narrow],
  ['config.stats', narrow],
  ['version', { kind: 'str', value: '5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c' }],
  ['opt.dss', { kind: 'str', value: 'secondary' }],
  ['opt.metadata_thp', { kind: 'str', value: 'disabled' }],
  ['opt.thp', { kind: 'str', value: 'default' }],
  ['opt.percpu_arena', { kind: 'str', value: 'disabled' }],
  ['opt.junk', { kind: 'str', value: 'false' }],
  ['opt.prof_prefix', { kind: 'str', value: 'jeprof' }],
  ['config.malloc_conf', { kind: 'str', value: '' }],
  ['thread.tcache.flush', { kind: 'action' }],
])

const ENOENT = error('ERR No such file or directory')
const EPERM = error('ERR Operation not permitted')
const EINVAL = error('ERR Invalid argument')

/**
 * mallctl_int: with a value (parsed first, as a long long) every listed name is read-only, so
 * the read-and-write and then the write-only attempt fail with EPERM. Without one, an 8-byte
 * value is returned; a narrower one fails with EINVAL at every size Redis tries (jemalloc's
 * READ sets the length to the copied size, which Redis then halves).
 */
export function debugMallctlInt(args: readonly string[]): Reply {
  if (args.length > 1) {
    const v = getLongLongOrReply(args[1] ?? '')
    if (typeof v === 'object') return v
  }
  const ctl = CTLS.get(args[0] ?? '')
  if (ctl === undefined) return ENOENT
  if (args.length > 1 || ctl.kind === 'action') return EPERM
  // A string's 8-byte pointer would be printed as a number: no fixed answer (Redis prints an
  // address); EINVAL stands for it.
  return ctl.kind === 'u64' ? integer(ctl.value) : EINVAL
}

/**
 * mallctl_string: reads first (an error other than a write-only option's EPERM with a value
 * ends there); a value is then written ("VOID" writes nothing, which only an action accepts),
 * and the old string is returned when the read worked, else OK or the write's error.
 * mallctl-str on a number makes redis-server read it as a pointer and crash; here it answers
 * EINVAL.
 */
export function debugMallctlStr(args: readonly string[]): Reply {
  const ctl = CTLS.get(args[0] ?? '')
  if (ctl === undefined) return ENOENT
  if (ctl.kind === 'str') return bulk(ctl.value)
  if (ctl.kind !== 'action') return EINVAL
  if (args.length === 1) return EPERM
  return args[1] === 'VOID' ? OK : EPERM
}
