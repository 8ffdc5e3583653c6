/**
 * CONFIG parameters (config.c standardConfig table, 7.0.15).
 *
 * Design: one row per parameter, generated from config.c's createXxxConfig calls: name,
 * alias (the pre-7.0 *-ziplist-* names), flags, default and bounds. Every parameter answers
 * CONFIG GET; parameters the engine models are mirrored into typed fields of srv.config
 * (see MODELLED); the rest keep their canonical string in srv.config.other.
 *
 * CONFIG SET follows configSetCommand: look every name up first (unknown, immutable,
 * duplicate errors), then parse and set each value in order; a failure restores the old
 * values of the ones already set, so a multi-parameter SET is all or nothing. Parsing and
 * error wording follow numericParseString, numericBoundaryCheck, memtoull, yesnotoi and
 * enumConfigSet. `hz` is clamped to 1..500 by its apply function (updateHZ), so
 * `CONFIG SET hz 1000` answers OK and reads back 500.
 *
 * As in config.c, an alias is a config entry of its own: `CONFIG SET hash-max-listpack-entries
 * 4 hash-max-ziplist-entries 5` is not a duplicate (the later one wins). Multi-argument values
 * are split on single spaces (sdssplitlen), and the special parameters validate and re-print
 * their values (save, client-output-buffer-limit, oom-score-adj-values,
 * notify-keyspace-events, latency-tracking-info-percentiles). Protected parameters (dir,
 * dbfilename) follow enable-protected-configs.
 */
import type { MaxmemoryPolicy } from './events.ts'
import type { ServerConfig } from './state.ts'
import { cstr } from './bytes.ts'
import { keyspaceEventsFlagsToString, keyspaceEventsStringToFlags } from './keyspace/notify.ts'
import { ERANGE, libc } from './util/errno.ts'
import { formatFixed, string2d, string2ll, strtoullErange } from './util/numbers.ts'

/** client-output-buffer-limit's default: each class's name, hard and soft bytes, soft seconds. */
export const CLIENT_OUTPUT_BUFFER_LIMIT_DEFAULT =
  'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'

// --- Table ---

type ParamKind = 'bool' | 'int' | 'enum' | 'string' | 'SDS' | 'special'

/** [kind, name, alias, flags, default, min|enum values, max] */
type ParamRow = readonly [ParamKind, string, string, string, string, string?, string?]

const PARAM_ROWS: readonly ParamRow[] = [
  ['bool', 'rdbchecksum', '', 'immutable', 'yes'],
  ['bool', 'daemonize', '', 'immutable', 'no'],
  ['bool', 'io-threads-do-reads', '', 'immutable', 'no'],
  ['bool', 'always-show-logo', '', 'immutable', 'no'],
  ['bool', 'protected-mode', '', '', 'yes'],
  ['bool', 'rdbcompression', '', '', 'yes'],
  ['bool', 'rdb-del-sync-files', '', '', 'no'],
  ['bool', 'activerehashing', '', '', 'yes'],
  ['bool', 'stop-writes-on-bgsave-error', '', '', 'yes'],
  ['bool', 'set-proc-title', '', 'immutable', 'yes'],
  ['bool', 'dynamic-hz', '', '', 'yes'],
  ['bool', 'lazyfree-lazy-eviction', '', '', 'no'],
  ['bool', 'lazyfree-lazy-expire', '', '', 'no'],
  ['bool', 'lazyfree-lazy-server-del', '', '', 'no'],
  ['bool', 'lazyfree-lazy-user-del', '', '', 'no'],
  ['bool', 'lazyfree-lazy-user-flush', '', '', 'no'],
  ['bool', 'repl-disable-tcp-nodelay', '', '', 'no'],
  ['bool', 'repl-diskless-sync', '', '', 'yes'],
  ['bool', 'aof-rewrite-incremental-fsync', '', '', 'yes'],
  ['bool', 'no-appendfsync-on-rewrite', '', '', 'no'],
  ['bool', 'cluster-require-full-coverage', '', '', 'yes'],
  ['bool', 'rdb-save-incremental-fsync', '', '', 'yes'],
  ['bool', 'aof-load-truncated', '', '', 'yes'],
  ['bool', 'aof-use-rdb-preamble', '', '', 'yes'],
  ['bool', 'aof-timestamp-enabled', '', '', 'no'],
  ['bool', 'cluster-replica-no-failover', 'cluster-slave-no-failover', '', 'no'],
  ['bool', 'replica-lazy-flush', 'slave-lazy-flush', '', 'no'],
  ['bool', 'replica-serve-stale-data', 'slave-serve-stale-data', '', 'yes'],
  ['bool', 'replica-read-only', 'slave-read-only', '', 'yes'],
  ['bool', 'replica-ignore-maxmemory', 'slave-ignore-maxmemory', '', 'yes'],
  ['bool', 'jemalloc-bg-thread', '', '', 'yes'],
  ['bool', 'activedefrag', '', '', 'no'],
  ['bool', 'syslog-enabled', '', 'immutable', 'no'],
  ['bool', 'cluster-enabled', '', 'immutable', 'no'],
  ['bool', 'appendonly', '', '', 'no'],
  ['bool', 'cluster-allow-reads-when-down', '', '', 'no'],
  ['bool', 'cluster-allow-pubsubshard-when-down', '', '', 'yes'],
  ['bool', 'crash-log-enabled', '', '', 'yes'],
  ['bool', 'crash-memcheck-enabled', '', '', 'yes'],
  ['bool', 'use-exit-on-panic', '', 'hidden', 'no'],
  ['bool', 'disable-thp', '', 'immutable', 'yes'],
  ['bool', 'cluster-allow-replica-migration', '', '', 'yes'],
  ['bool', 'replica-announced', '', '', 'yes'],
  ['bool', 'latency-tracking', '', '', 'yes'],
  ['bool', 'aof-disable-auto-gc', '', '', 'no'],
  ['bool', 'replica-ignore-disk-write-errors', '', '', 'no'],
  // Debian's 7.0.15 (a security backport): hidden from CONFIG GET *, immutable.
  ['bool', 'lua-enable-deprecated-api', '', 'immutable hidden', 'no'],
  ['string', 'aclfile', '', 'immutable', ''],
  ['string', 'unixsocket', '', 'immutable empty_null', ''],
  ['string', 'pidfile', '', 'immutable empty_null', ''],
  ['string', 'replica-announce-ip', 'slave-announce-ip', 'empty_null', ''],
  ['string', 'masteruser', '', 'sensitive empty_null', ''],
  ['string', 'cluster-announce-ip', '', 'empty_null', ''],
  ['string', 'cluster-config-file', '', 'immutable', 'nodes.conf'],
  ['string', 'cluster-announce-hostname', '', 'empty_null', ''],
  ['string', 'syslog-ident', '', 'immutable', 'redis'],
  ['string', 'dbfilename', '', 'protected', 'dump.rdb'],
  ['string', 'appendfilename', '', 'immutable', 'appendonly.aof'],
  ['string', 'appenddirname', '', 'immutable', 'appendonlydir'],
  ['string', 'server_cpulist', '', 'immutable empty_null', ''],
  ['string', 'bio_cpulist', '', 'immutable empty_null', ''],
  ['string', 'aof_rewrite_cpulist', '', 'immutable empty_null', ''],
  ['string', 'bgsave_cpulist', '', 'immutable empty_null', ''],
  ['string', 'ignore-warnings', '', '', ''],
  ['string', 'proc-title-template', '', '', '{title} {listen-addr} {server-mode}'],
  ['string', 'bind-source-addr', '', 'empty_null', ''],
  ['string', 'logfile', '', 'immutable', ''],
  ['string', 'masterauth', '', 'sensitive empty_null', ''],
  ['string', 'requirepass', '', 'sensitive empty_null', ''],
  ['enum', 'supervised', '', 'immutable', 'no', 'upstart systemd auto no'],
  [
    'enum',
    'syslog-facility',
    '',
    'immutable',
    'local0',
    'user local0 local1 local2 local3 local4 local5 local6 local7',
  ],
  ['enum', 'repl-diskless-load', '', '', 'disabled', 'disabled on-empty-db swapdb'],
  ['enum', 'loglevel', '', '', 'notice', 'debug verbose notice warning'],
  [
    'enum',
    'maxmemory-policy',
    '',
    '',
    'noeviction',
    'volatile-lru volatile-lfu volatile-random volatile-ttl allkeys-lru allkeys-lfu allkeys-random noeviction',
  ],
  ['enum', 'appendfsync', '', '', 'everysec', 'everysec always no'],
  ['enum', 'oom-score-adj', '', '', 'no', 'no yes relative absolute'],
  ['enum', 'acl-pubsub-default', '', '', 'resetchannels', 'allchannels resetchannels'],
  ['enum', 'sanitize-dump-payload', '', '', 'no', 'no yes clients'],
  ['enum', 'enable-protected-configs', '', 'immutable', 'no', 'no yes local'],
  ['enum', 'enable-debug-command', '', 'immutable', 'no', 'no yes local'],
  ['enum', 'enable-module-command', '', 'immutable', 'no', 'no yes local'],
  ['enum', 'cluster-preferred-endpoint-type', '', '', 'ip', 'ip hostname unknown-endpoint'],
  ['enum', 'propagation-error-behavior', '', '', 'ignore', 'ignore panic panic-on-replicas'],
  ['enum', 'shutdown-on-sigint', '', 'multi_arg', 'default', 'default save nosave now force'],
  ['enum', 'shutdown-on-sigterm', '', 'multi_arg', 'default', 'default save nosave now force'],
  ['int', 'databases', '', 'immutable', '16', '1', '2147483647'],
  ['int', 'port', '', '', '6379', '0', '65535'],
  ['int', 'io-threads', '', 'immutable', '1', '1', '128'],
  ['int', 'auto-aof-rewrite-percentage', '', '', '100', '0', '2147483647'],
  [
    'int',
    'cluster-replica-validity-factor',
    'cluster-slave-validity-factor',
    '',
    '10',
    '0',
    '2147483647',
  ],
  ['int', 'list-max-listpack-size', 'list-max-ziplist-size', '', '-2', '-2147483648', '2147483647'],
  ['int', 'tcp-keepalive', '', '', '300', '0', '2147483647'],
  ['int', 'cluster-migration-barrier', '', '', '1', '0', '2147483647'],
  ['int', 'active-defrag-cycle-min', '', '', '1', '1', '99'],
  ['int', 'active-defrag-cycle-max', '', '', '25', '1', '99'],
  ['int', 'active-defrag-threshold-lower', '', '', '10', '0', '1000'],
  ['int', 'active-defrag-threshold-upper', '', '', '100', '0', '1000'],
  ['int', 'lfu-log-factor', '', '', '10', '0', '2147483647'],
  ['int', 'lfu-decay-time', '', '', '1', '0', '2147483647'],
  ['int', 'replica-priority', 'slave-priority', '', '100', '0', '2147483647'],
  ['int', 'repl-diskless-sync-delay', '', '', '5', '0', '2147483647'],
  ['int', 'maxmemory-samples', '', '', '5', '1', '2147483647'],
  ['int', 'maxmemory-eviction-tenacity', '', '', '10', '0', '100'],
  ['int', 'timeout', '', '', '0', '0', '2147483647'],
  ['int', 'replica-announce-port', 'slave-announce-port', '', '0', '0', '65535'],
  ['int', 'tcp-backlog', '', 'immutable', '511', '0', '2147483647'],
  ['int', 'cluster-port', '', 'immutable', '0', '0', '65535'],
  ['int', 'cluster-announce-bus-port', '', '', '0', '0', '65535'],
  ['int', 'cluster-announce-port', '', '', '0', '0', '65535'],
  ['int', 'cluster-announce-tls-port', '', '', '0', '0', '65535'],
  ['int', 'repl-timeout', '', '', '60', '1', '2147483647'],
  ['int', 'repl-ping-replica-period', 'repl-ping-slave-period', '', '10', '1', '2147483647'],
  ['int', 'list-compress-depth', '', '', '0', '0', '2147483647'],
  ['int', 'rdb-key-save-delay', '', 'hidden', '0', '-2147483648', '2147483647'],
  ['int', 'key-load-delay', '', 'hidden', '0', '-2147483648', '2147483647'],
  ['int', 'active-expire-effort', '', '', '1', '1', '10'],
  ['int', 'hz', '', '', '10', '0', '2147483647'],
  ['int', 'min-replicas-to-write', 'min-slaves-to-write', '', '0', '0', '2147483647'],
  ['int', 'min-replicas-max-lag', 'min-slaves-max-lag', '', '10', '0', '2147483647'],
  ['int', 'watchdog-period', '', 'hidden', '0', '0', '2147483647'],
  ['int', 'shutdown-timeout', '', '', '10', '0', '2147483647'],
  ['int', 'repl-diskless-sync-max-replicas', '', '', '0', '0', '2147483647'],
  ['int', 'maxclients', '', 'unsigned', '10000', '1', '4294967295'],
  ['int', 'unixsocketperm', '', 'immutable octal unsigned', '0', '0', '511'],
  ['int', 'socket-mark-id', '', 'immutable unsigned', '0', '0', '4294967295'],
  ['int', 'active-defrag-max-scan-fields', '', 'unsigned', '1000', '1', '9223372036854775807'],
  ['int', 'slowlog-max-len', '', 'unsigned', '128', '0', '9223372036854775807'],
  ['int', 'acllog-max-len', '', 'unsigned', '128', '0', '9223372036854775807'],
  ['int', 'busy-reply-threshold', 'lua-time-limit', '', '5000', '0', '9223372036854775807'],
  ['int', 'cluster-node-timeout', '', '', '15000', '0', '9223372036854775807'],
  ['int', 'slowlog-log-slower-than', '', '', '10000', '-1', '9223372036854775807'],
  ['int', 'latency-monitor-threshold', '', '', '0', '0', '9223372036854775807'],
  ['int', 'proto-max-bulk-len', '', 'memory', '536870912', '1048576', '9223372036854775807'],
  ['int', 'stream-node-max-entries', '', '', '100', '0', '9223372036854775807'],
  ['int', 'repl-backlog-size', '', 'memory', '1048576', '1', '9223372036854775807'],
  ['int', 'maxmemory', '', 'memory unsigned', '0', '0', '18446744073709551615'],
  ['int', 'cluster-link-sendbuf-limit', '', 'memory unsigned', '0', '0', '18446744073709551615'],
  [
    'int',
    'hash-max-listpack-entries',
    'hash-max-ziplist-entries',
    'unsigned',
    '512',
    '0',
    '9223372036854775807',
  ],
  ['int', 'set-max-intset-entries', '', 'unsigned', '512', '0', '9223372036854775807'],
  [
    'int',
    'zset-max-listpack-entries',
    'zset-max-ziplist-entries',
    'unsigned',
    '128',
    '0',
    '9223372036854775807',
  ],
  [
    'int',
    'active-defrag-ignore-bytes',
    '',
    'memory unsigned',
    '104857600',
    '1',
    '9223372036854775807',
  ],
  [
    'int',
    'hash-max-listpack-value',
    'hash-max-ziplist-value',
    'memory unsigned',
    '64',
    '0',
    '9223372036854775807',
  ],
  ['int', 'stream-node-max-bytes', '', 'memory unsigned', '4096', '0', '9223372036854775807'],
  [
    'int',
    'zset-max-listpack-value',
    'zset-max-ziplist-value',
    'memory unsigned',
    '64',
    '0',
    '9223372036854775807',
  ],
  ['int', 'hll-sparse-max-bytes', '', 'memory unsigned', '3000', '0', '9223372036854775807'],
  ['int', 'tracking-table-max-keys', '', 'unsigned', '1000000', '0', '9223372036854775807'],
  [
    'int',
    'client-query-buffer-limit',
    '',
    'memory unsigned',
    '1073741824',
    '1048576',
    '9223372036854775807',
  ],
  ['int', 'maxmemory-clients', '', 'memory percent', '0', '-100', '9223372036854775807'],
  ['int', 'repl-backlog-ttl', '', '', '3600', '0', '9223372036854775807'],
  ['int', 'auto-aof-rewrite-min-size', '', 'memory', '67108864', '0', '9223372036854775807'],
  ['int', 'loading-process-events-interval-bytes', '', 'hidden', '2097152', '1024', '2147483647'],
  ['int', 'tls-port', '', '', '0', '0', '65535'],
  ['int', 'tls-session-cache-size', '', '', '20480', '0', '2147483647'],
  ['int', 'tls-session-cache-timeout', '', '', '300', '0', '2147483647'],
  ['bool', 'tls-cluster', '', '', 'no'],
  ['bool', 'tls-replication', '', '', 'no'],
  ['enum', 'tls-auth-clients', '', '', 'yes', 'no yes optional'],
  ['bool', 'tls-prefer-server-ciphers', '', '', 'no'],
  ['bool', 'tls-session-caching', '', '', 'yes'],
  ['string', 'tls-cert-file', '', 'volatile empty_null', ''],
  ['string', 'tls-key-file', '', 'volatile empty_null', ''],
  ['string', 'tls-key-file-pass', '', 'empty_null', ''],
  ['string', 'tls-client-cert-file', '', 'volatile empty_null', ''],
  ['string', 'tls-client-key-file', '', 'volatile empty_null', ''],
  ['string', 'tls-client-key-file-pass', '', 'empty_null', ''],
  ['string', 'tls-dh-params-file', '', 'volatile empty_null', ''],
  ['string', 'tls-ca-cert-file', '', 'volatile empty_null', ''],
  ['string', 'tls-ca-cert-dir', '', 'volatile empty_null', ''],
  ['string', 'tls-protocols', '', 'empty_null', ''],
  ['string', 'tls-ciphers', '', 'empty_null', ''],
  ['string', 'tls-ciphersuites', '', 'empty_null', ''],
  ['special', 'dir', '', 'protected', '/'],
  ['special', 'save', '', 'multi_arg', '3600 1 300 100 60 10000'],
  ['special', 'client-output-buffer-limit', '', 'multi_arg', CLIENT_OUTPUT_BUFFER_LIMIT_DEFAULT],
  ['special', 'oom-score-adj-values', '', 'multi_arg', '0 200 800'],
  ['special', 'notify-keyspace-events', '', '', ''],
  ['special', 'bind', '', 'multi_arg', '* -::*'],
  ['special', 'replicaof', 'slaveof', 'immutable multi_arg', ''],
  ['special', 'latency-tracking-info-percentiles', '', 'multi_arg', '50 99 99.9'],
]

export interface ConfigParam {
  readonly kind: ParamKind
  readonly name: string
  readonly alias: string | null
  readonly immutable: boolean
  /** PROTECTED_CONFIG: settable only as enable-protected-configs allows. */
  readonly protected: boolean
  readonly hidden: boolean
  readonly multiArg: boolean
  readonly memory: boolean
  readonly percent: boolean
  readonly octal: boolean
  readonly unsigned: boolean
  /** VOLATILE_CONFIG: a set counts as a change even to the same value (its apply runs). */
  readonly volatile: boolean
  /** EMPTY_STRING_IS_NULL with no default: "" holds NULL (CONFIG REWRITE leaves it out). */
  readonly emptyIsNull: boolean
  readonly defaultValue: string
  readonly min: bigint
  readonly max: bigint
  readonly values: readonly string[]
}

function parseRow(r: ParamRow): ConfigParam {
  const [kind, name, alias, flags, def, a, b] = r
  const fl = new Set(flags.split(' '))
  return {
    kind,
    name,
    alias: alias === '' ? null : alias,
    immutable: fl.has('immutable'),
    protected: fl.has('protected'),
    hidden: fl.has('hidden'),
    multiArg: fl.has('multi_arg'),
    memory: fl.has('memory'),
    percent: fl.has('percent'),
    octal: fl.has('octal'),
    unsigned: fl.has('unsigned'),
    volatile: fl.has('volatile'),
    emptyIsNull: fl.has('empty_null'),
    defaultValue: def,
    min: kind === 'int' ? BigInt(a ?? '0') : 0n,
    max: kind === 'int' ? BigInt(b ?? '0') : 0n,
    values: kind === 'enum' ? (a ?? '').split(' ') : [],
  }
}

/** Every parameter in config.c order. */
export const CONFIG_PARAMS: readonly ConfigParam[] = PARAM_ROWS.map(parseRow)

/** Lowercase name or alias → parameter (config.c lookupConfig is case-insensitive). */
const PARAM_BY_NAME = new Map<string, ConfigParam>()
for (const p of CONFIG_PARAMS) {
  PARAM_BY_NAME.set(p.name, p)
  if (p.alias !== null) PARAM_BY_NAME.set(p.alias, p)
}

/** config.c lookupConfig. */
export function lookupConfig(name: string): ConfigParam | undefined {
  return PARAM_BY_NAME.get(name.toLowerCase())
}

// --- Modelled parameters: canonical name → typed field ---

type NumField = {
  [K in keyof ServerConfig]: ServerConfig[K] extends number ? K : never
}[keyof ServerConfig]
type BoolField = {
  [K in keyof ServerConfig]: ServerConfig[K] extends boolean ? K : never
}[keyof ServerConfig]

const NUMERIC_FIELDS: Readonly<Record<string, NumField>> = {
  hz: 'hz',
  databases: 'databases',
  maxmemory: 'maxmemory',
  'maxmemory-samples': 'maxmemorySamples',
  'maxmemory-eviction-tenacity': 'maxmemoryEvictionTenacity',
  'lfu-log-factor': 'lfuLogFactor',
  'lfu-decay-time': 'lfuDecayTime',
  'active-expire-effort': 'activeExpireEffort',
  'slowlog-log-slower-than': 'slowlogLogSlowerThan',
  'slowlog-max-len': 'slowlogMaxLen',
  'latency-monitor-threshold': 'latencyMonitorThreshold',
  'hash-max-listpack-entries': 'hashMaxListpackEntries',
  'hash-max-listpack-value': 'hashMaxListpackValue',
  'set-max-intset-entries': 'setMaxIntsetEntries',
  'zset-max-listpack-entries': 'zsetMaxListpackEntries',
  'zset-max-listpack-value': 'zsetMaxListpackValue',
  'list-max-listpack-size': 'listMaxListpackSize',
  'list-compress-depth': 'listCompressDepth',
  'proto-max-bulk-len': 'protoMaxBulkLen',
  'client-query-buffer-limit': 'clientQueryBufferLimit',
}

const BOOL_FIELDS: Readonly<Record<string, BoolField>> = {
  'dynamic-hz': 'dynamicHz',
  activerehashing: 'activerehashing',
  'lazyfree-lazy-eviction': 'lazyfreeLazyEviction',
  'lazyfree-lazy-expire': 'lazyfreeLazyExpire',
  'lazyfree-lazy-server-del': 'lazyfreeLazyServerDel',
  'lazyfree-lazy-user-del': 'lazyfreeLazyUserDel',
  'lazyfree-lazy-user-flush': 'lazyfreeLazyUserFlush',
  'latency-tracking': 'latencyTracking',
}

export const CONFIG_MIN_HZ = 1
export const CONFIG_MAX_HZ = 500
/** server.h CONFIG_REPL_BACKLOG_MIN_SIZE: resizeReplicationBacklog raises a smaller size to it. */
const CONFIG_REPL_BACKLOG_MIN_SIZE = 16384n

// --- Values ---

// --- Open files (maxclients) ---

/**
 * The process's RLIMIT_NOFILE as server.c adjustOpenFilesLimit meets it: the soft and hard
 * limits, and the highest hard limit setrlimit would grant when the process may raise it
 * (CAP_SYS_RESOURCE: fs.nr_open), or null when it may only lower it.
 */
export interface OpenFilesLimit {
  cur: number
  max: number
  privilegedMax: number | null
}

/** server.h CONFIG_MIN_RESERVED_FDS: files kept for other uses than clients. */
const CONFIG_MIN_RESERVED_FDS = 32

/**
 * server.c adjustOpenFilesLimit: make room for maxclients + 32 files. Below that, setrlimit
 * is tried with both limits at maxfiles, then 16 fewer at a time, down to the current soft
 * limit; maxclients is lowered to what the limit reached leaves (a successful setrlimit
 * also sets the hard limit).
 */
export function adjustOpenFilesLimit(cfg: ServerConfig, lim: OpenFilesLimit): void {
  const maxclients = Number(cfg.other['maxclients'] ?? '10000')
  const maxfiles = maxclients + CONFIG_MIN_RESERVED_FDS
  const oldlimit = lim.cur
  if (oldlimit >= maxfiles) return
  let bestlimit = maxfiles
  while (bestlimit > oldlimit) {
    if (bestlimit <= (lim.privilegedMax ?? lim.max)) {
      lim.cur = bestlimit
      lim.max = bestlimit
      break
    }
    if (bestlimit < 16) {
      bestlimit = oldlimit
      break
    }
    bestlimit -= 16
  }
  if (bestlimit < oldlimit) bestlimit = oldlimit
  if (bestlimit < maxfiles) cfg.other['maxclients'] = String(bestlimit - CONFIG_MIN_RESERVED_FDS)
}

/** config.c updateMaxclients: an error when the limit could not make room for them all. */
function updateMaxclients(cfg: ServerConfig, lim: OpenFilesLimit): string | null {
  const wanted = cfg.other['maxclients']
  adjustOpenFilesLimit(cfg, lim)
  if (cfg.other['maxclients'] === wanted) return null
  return `The operating system is not able to handle the specified number of clients, try with ${cfg.other['maxclients'] ?? ''}`
}

/** The current value of a parameter as CONFIG GET shows it. */
export function configGetValue(cfg: ServerConfig, p: ConfigParam): string {
  const num = NUMERIC_FIELDS[p.name]
  if (num !== undefined) {
    // Values beyond 2^53 keep their exact text next to the (rounded) number.
    const exact = cfg.other[p.name]
    return exact !== undefined && Number(exact) === cfg[num] ? exact : String(cfg[num])
  }
  const bool = BOOL_FIELDS[p.name]
  if (bool !== undefined) return cfg[bool] ? 'yes' : 'no'
  if (p.name === 'maxmemory-policy') return cfg.maxmemoryPolicy
  if (p.name === 'requirepass') return cfg.requirepass
  if (p.name === 'notify-keyspace-events')
    return keyspaceEventsFlagsToString(cfg.notifyKeyspaceEvents)
  return cfg.other[p.name] ?? p.defaultValue
}

/** util.c memtoull: digits with an optional b/k/kb/m/mb/g/gb unit; null on error. */
export function memtoull(arg: string): bigint | null {
  // A C string: whatever follows a NUL byte is not seen.
  const s = cstr(arg)
  if (s.startsWith('-')) return null
  let i = 0
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++
  const unit = s.slice(i).toLowerCase()
  const mul =
    unit === '' || unit === 'b'
      ? 1n
      : unit === 'k'
        ? 1000n
        : unit === 'kb'
          ? 1024n
          : unit === 'm'
            ? 1000000n
            : unit === 'mb'
              ? 1048576n
              : unit === 'g'
                ? 1000000000n
                : unit === 'gb'
                  ? 1073741824n
                  : 0n
  if (mul === 0n) return null
  const digits = s.slice(0, i)
  if (digits.length >= 128) return null
  libc.errno = strtoullErange(digits) ? ERANGE : 0
  // strtoull("") is 0 without an error on glibc.
  // On overflow strtoull saturates at ULLONG_MAX (ERANGE, which memtoull does not check).
  const val = digits === '' ? 0n : BigInt(digits)
  const sat = val > 18446744073709551615n ? 18446744073709551615n : val
  return (sat * mul) & 0xffffffffffffffffn
}

/** Parses one numeric value; the result or an error text (numericParseString). */
export function parseNumeric(p: ConfigParam, value: string): bigint | string {
  if (p.memory) {
    const v = memtoull(value)
    if (v !== null) return v > 9223372036854775807n ? v - 18446744073709551616n : v
  }
  if (p.percent && value.length > 1 && value.endsWith('%')) {
    const v = string2ll(value.slice(0, -1))
    if (v !== null && v >= 0n) return -v
  }
  // strtoll on the C string (up to a NUL).
  const oct = cstr(value).trim()
  if (p.octal && /^[+-]?[0-7]+$/.test(oct)) return BigInt(`0o${oct}`)
  if (!p.memory && !p.percent && !p.octal) {
    const v = string2ll(value)
    if (v !== null) return v
  }
  if (p.memory && p.percent) return 'argument must be a memory or percent value'
  if (p.memory) return 'argument must be a memory value'
  if (p.octal) return "argument couldn't be parsed as an octal number"
  return "argument couldn't be parsed into an integer"
}

/** numericBoundaryCheck: null when in bounds, else the error text. */
function boundaryCheck(p: ConfigParam, ll: bigint): string | null {
  if (p.unsigned) {
    const ull = ll < 0n ? ll + 18446744073709551616n : ll
    if (ull > p.max || ull < p.min) {
      return p.octal
        ? `argument must be between ${p.min.toString(8)} and ${p.max.toString(8)} inclusive`
        : `argument must be between ${p.min.toString()} and ${p.max.toString()} inclusive`
    }
    return null
  }
  if (p.percent && ll < 0n) {
    return ll < p.min ? `percentage argument must be less or equal to ${(-p.min).toString()}` : null
  }
  if (ll > p.max || ll < p.min)
    return `argument must be between ${p.min.toString()} and ${p.max.toString()} inclusive`
  return null
}

function formatNumeric(p: ConfigParam, v: bigint): string {
  if (p.percent && v < 0n) return `${(-v).toString()}%`
  if (p.octal) return v.toString(8)
  if (p.unsigned && v < 0n) return (v + 18446744073709551616n).toString()
  return v.toString()
}

/**
 * config.c performInterfaceSet splits multi-argument values with sdssplitlen on single
 * spaces: "" is no word at all, and two spaces in a row make an empty word.
 */
function splitArgs(value: string): string[] {
  return value === '' ? [] : value.split(' ')
}

/**
 * C strtoll over a whole word (`*eptr == '\0'` checked): leading whitespace and a sign
 * allowed, "" is 0, out-of-range values clamp to LLONG_MIN/LLONG_MAX. Null when bytes
 * follow the digits.
 */
function strtollWhole(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)$/.exec(s)
  if (m === null) return null
  const digits = m[2] ?? ''
  // No digits: strtoll consumes nothing, so only an empty word reaches the end.
  if (digits === '') return s === '' ? 0n : null
  const v = m[1] === '-' ? -BigInt(digits) : BigInt(digits)
  return v > 9223372036854775807n
    ? 9223372036854775807n
    : v < -9223372036854775808n
      ? -9223372036854775808n
      : v
}

/**
 * config.c configEnumGetName for the bitflag enums (shutdown-on-sig*: default 0, then one bit
 * per value in table order): the OR of the chosen values, named in table order.
 */
function enumBitflagsName(values: readonly string[], chosen: readonly string[]): string {
  let bits = 0
  for (const c of chosen) {
    const i = values.indexOf(c)
    if (i > 0) bits |= 1 << (i - 1)
  }
  if (bits === 0) return values[0] ?? ''
  return values.filter((_, i) => i > 0 && (bits & (1 << (i - 1))) !== 0).join(' ')
}

/** printf "%f" then util.c trimDoubleString (trailing zeros and a bare point removed). */
function formatPercentile(d: number): string {
  return formatFixed(d, 6).replace(/0+$/, '').replace(/\.$/, '')
}

/** config.c setConfigLatencyTrackingInfoPercentilesOutputOption. */
function setLatencyPercentiles(cfg: ServerConfig, p: ConfigParam, words: string[]): string | null {
  const list = words.length === 1 && words[0] === '' ? [] : words
  const out: string[] = []
  for (const w of list) {
    const v = string2d(w)
    if (v === null) {
      // A failed set leaves no percentiles at all.
      cfg.other[p.name] = ''
      return 'Invalid latency-tracking-info-percentiles parameters'
    }
    if (v > 100 || v < 0) {
      cfg.other[p.name] = ''
      return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'
    }
    out.push(formatPercentile(v))
  }
  cfg.other[p.name] = out.join(' ')
  return null
}

/**
 * server.c expandProcTitleTemplate: sds.c sdstemplate expansion ("{{" is a literal '{',
 * "{name}" a variable of `vars`, an unknown name or an unclosed '{' an error: null), then
 * trimmed of spaces.
 */
export function expandProcTitleTemplate(
  t: string,
  vars: Readonly<Record<string, string>>,
): string | null {
  let res = ''
  let p = 0
  while (p < t.length) {
    const sv = t.indexOf('{', p)
    if (sv < 0) {
      res += t.slice(p)
      break
    }
    res += t.slice(p, sv)
    if (sv + 1 >= t.length) return null
    if (t[sv + 1] === '{') {
      res += '{'
      p = sv + 2
      continue
    }
    const ev = t.indexOf('}', sv + 1)
    if (ev < 0) return null
    const name = t.slice(sv + 1, ev)
    if (!Object.hasOwn(vars, name)) return null
    res += vars[name] ?? ''
    p = ev + 1
  }
  return res.replace(/^ +| +$/g, '')
}

/**
 * server.c redisProcTitleGetVariable's values, from the configs `get` reads (CONFIG GET's
 * text): `title`, the first bind address (or '*') and the port (or the unix socket when
 * there is no port), the ports, the socket and the config file ('-' without one).
 */
export function procTitleVars(
  get: (name: string) => string,
  title: string,
  configFile: string | null,
): Record<string, string> {
  const port = get('port')
  const tlsPort = get('tls-port')
  const unixsocket = get('unixsocket')
  const listenPort = port !== '0' ? port : tlsPort
  return {
    title,
    'listen-addr':
      listenPort !== '0'
        ? `${splitArgs(get('bind'))[0] ?? '*'}:${listenPort}`
        : `unixsocket:${unixsocket}`,
    'server-mode': '',
    'config-file': configFile ?? '-',
    port,
    'tls-port': tlsPort,
    unixsocket,
  }
}

/** server.c validateProcTitleTemplate: it expands (with an empty title) to something. */
function validProcTitleTemplate(t: string): boolean {
  const vars: Readonly<Record<string, string>> = {
    title: '',
    'listen-addr': '*:6379',
    'server-mode': '',
    'config-file': '-',
    port: '6379',
    'tls-port': '0',
    unixsocket: '',
  }
  const res = expandProcTitleTemplate(t, vars)
  return res !== null && res !== ''
}

/** The client-output-buffer-limit classes in getConfigClientOutputBufferLimitOption order. */
const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const

/** config.c NET_HOST_STR_LEN: an announced hostname is shorter than this. */
const NET_HOST_STR_LEN = 256

/** config.c isValidAnnouncedHostname. */
function announcedHostnameError(v: string): string | null {
  if (v.length >= NET_HOST_STR_LEN)
    return `Hostnames must be less than ${String(NET_HOST_STR_LEN)} characters`
  if (!/^[A-Za-z0-9.-]*$/.test(v))
    return 'Hostnames may only contain alphanumeric characters, hyphens or dots'
  return null
}

/** config.c updateClientOutputBufferLimit: validates every class first, then merges. */
function setClientOutputBufferLimit(
  cfg: ServerConfig,
  p: ConfigParam,
  words: string[],
): string | null {
  if (words.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.'
  const current = (cfg.other[p.name] ?? p.defaultValue).split(' ')
  for (let j = 0; j < words.length; j += 4) {
    const name = (words[j] ?? '').toLowerCase()
    const cls = name === 'replica' ? 1 : OBUF_CLASSES.indexOf(name as 'normal')
    if (cls < 0) return 'Invalid client class specified in buffer limit configuration.'
    const hard = memtoull(words[j + 1] ?? '')
    const soft = memtoull(words[j + 2] ?? '')
    const secs = strtollWhole(words[j + 3] ?? '')
    // soft_seconds is an int: strtoll's result is truncated to 32 bits before the check.
    const secs32 = secs === null ? -1 : Number(BigInt.asIntN(32, secs))
    if (hard === null || soft === null || secs32 < 0)
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.'
    current.splice(
      cls * 4,
      4,
      OBUF_CLASSES[cls] ?? '',
      hard.toString(),
      soft.toString(),
      String(secs32),
    )
  }
  cfg.other[p.name] = current.join(' ')
  return null
}

/** config.c setConfigOOMScoreAdjValuesOption: three integers in -2000..2000. */
function setOomScoreAdjValues(cfg: ServerConfig, p: ConfigParam, words: string[]): string | null {
  if (words.length !== 3) return 'wrong number of arguments'
  const vals: string[] = []
  for (const w of words) {
    const v = strtollWhole(w)
    if (v === null || v < -2000n || v > 2000n)
      return 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'
    vals.push(v.toString())
  }
  cfg.other[p.name] = vals.join(' ')
  return null
}

/**
 * Enum names whose value an earlier name of the same enum has (oom_score_adj_enum: "relative"
 * is OOM_SCORE_RELATIVE, as "yes" is): the config holds the value, and CONFIG GET shows the
 * first name for it (configEnumGetName).
 */
const ENUM_SAME_VALUE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'oom-score-adj': { relative: 'yes' },
}

const ACTIVE_DEFRAG_UNSUPPORTED =
  'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'

/**
 * Sets one parameter from its CONFIG SET string. Returns null on success or the error text
 * that follows "CONFIG SET failed (possibly related to argument '<name>') - ".
 */
export function configSetValue(cfg: ServerConfig, p: ConfigParam, value: string): string | null {
  switch (p.kind) {
    case 'bool': {
      // yesnotoi and the enum lookup use strcasecmp: a value ends at its first NUL.
      const v = cstr(value).toLowerCase()
      if (v !== 'yes' && v !== 'no') return "argument must be 'yes' or 'no'"
      // isValidActiveDefrag: the oracle (Debian's build, system jemalloc) has no HAVE_DEFRAG.
      if (p.name === 'activedefrag' && v === 'yes') return ACTIVE_DEFRAG_UNSUPPORTED
      const field = BOOL_FIELDS[p.name]
      if (field !== undefined) cfg[field] = v === 'yes'
      else cfg.other[p.name] = v
      return null
    }
    case 'int': {
      const parsed = parseNumeric(p, value)
      if (typeof parsed === 'string') return parsed
      const err = boundaryCheck(p, parsed)
      if (err !== null) return err
      const field = NUMERIC_FIELDS[p.name]
      if (field === undefined) {
        // updateReplBacklogSize (resizeReplicationBacklog): at least 16 KiB.
        const v =
          p.name === 'repl-backlog-size' && parsed < CONFIG_REPL_BACKLOG_MIN_SIZE
            ? CONFIG_REPL_BACKLOG_MIN_SIZE
            : parsed
        cfg.other[p.name] = formatNumeric(p, v)
      } else if (field === 'hz') {
        // updateHZ: clamp into CONFIG_MIN_HZ..CONFIG_MAX_HZ.
        const hz = Number(parsed)
        cfg.hz = hz < CONFIG_MIN_HZ ? CONFIG_MIN_HZ : hz > CONFIG_MAX_HZ ? CONFIG_MAX_HZ : hz
      } else {
        const v = p.unsigned && parsed < 0n ? parsed + 18446744073709551616n : parsed
        cfg[field] = Number(v)
        if (Number.isSafeInteger(cfg[field])) delete cfg.other[p.name]
        else cfg.other[p.name] = v.toString()
      }
      return null
    }
    case 'enum': {
      const words = p.multiArg ? splitArgs(value) : [value]
      const chosen: string[] = []
      for (const w of words) {
        const name = p.values.find((x) => x === cstr(w).toLowerCase())
        const v = name === undefined ? undefined : (ENUM_SAME_VALUE[p.name]?.[name] ?? name)
        if (v === undefined || (!p.multiArg && words.length !== 1) || words.length === 0)
          return `argument(s) must be one of the following: ${p.values.join(', ')}`
        chosen.push(v)
      }
      if (chosen.length === 0)
        return `argument(s) must be one of the following: ${p.values.join(', ')}`
      if (p.name === 'maxmemory-policy') cfg.maxmemoryPolicy = chosen[0] as MaxmemoryPolicy
      else cfg.other[p.name] = p.multiArg ? enumBitflagsName(p.values, chosen) : chosen.join(' ')
      return null
    }
    case 'string':
    case 'SDS': {
      // stringConfigSet keeps a C string (zstrdup: it ends at its first NUL); masterauth and
      // requirepass are sds configs, binary safe.
      const v = p.name === 'requirepass' || p.name === 'masterauth' ? value : cstr(value)
      if (p.name === 'dbfilename' && /[/\\]/.test(v))
        return "dbfilename can't be a path, just a filename"
      if (p.name === 'proc-title-template' && !validProcTitleTemplate(v))
        return 'template format is invalid or contains unknown variables'
      if (p.name === 'cluster-announce-hostname') {
        const err = announcedHostnameError(v)
        if (err !== null) return err
      }
      if (p.name === 'requirepass') cfg.requirepass = v
      else cfg.other[p.name] = v
      return null
    }
    case 'special':
      return setSpecial(cfg, p, value)
  }
}

function setSpecial(cfg: ServerConfig, p: ConfigParam, value: string): string | null {
  if (p.name === 'save') {
    const words = splitArgs(value)
    if (words.length % 2 === 1) return 'Invalid save parameters'
    const nums: bigint[] = []
    for (let j = 0; j < words.length; j++) {
      const n = strtollWhole(words[j] ?? '')
      if (n === null || (j % 2 === 0 && n < 1n) || (j % 2 === 1 && n < 0n))
        return 'Invalid save parameters'
      nums.push(n)
    }
    // Seconds are a time_t, changes an int (printed "%jd %d").
    const out: string[] = []
    for (let j = 0; j < nums.length; j += 2)
      out.push(`${String(nums[j])} ${String(BigInt.asIntN(32, nums[j + 1] ?? 0n))}`)
    cfg.other['save'] = out.join(' ')
    return null
  }
  if (p.name === 'notify-keyspace-events') {
    const flags = keyspaceEventsStringToFlags(value)
    if (flags === -1) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
    cfg.notifyKeyspaceEvents = flags
    return null
  }
  if (p.name === 'client-output-buffer-limit')
    return setClientOutputBufferLimit(cfg, p, splitArgs(value))
  if (p.name === 'oom-score-adj-values') return setOomScoreAdjValues(cfg, p, splitArgs(value))
  if (p.name === 'latency-tracking-info-percentiles')
    return setLatencyPercentiles(cfg, p, splitArgs(value))
  if (p.name === 'replicaof') {
    const err = checkReplicaOf(splitArgs(value))
    if (err !== null) return err
  }
  cfg.other[p.name] = value
  return null
}

/** config.c setConfigReplicaOfOption's checks: a host and a port (strtol, 0..65535), or no one. */
function checkReplicaOf(words: readonly string[]): string | null {
  if (words.length !== 2) return 'wrong number of arguments'
  const [host, port] = words as [string, string]
  if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return null
  // strtol reads no digits from "" (port 0, nothing left over); else all must be a number.
  const m = /^[ \t\n\v\f\r]*[+-]?\d+$/.exec(port)
  if (port !== '' && (m === null || Number(port.trim()) < 0 || Number(port.trim()) > 65535))
    return 'Invalid master port'
  return null
}

// --- Defaults ---

/** A ServerConfig holding Redis 7.0.15's defaults. */
export function createDefaultConfig(): ServerConfig {
  const cfg: ServerConfig = {
    hz: 10,
    dynamicHz: true,
    databases: 16,
    maxmemory: 0,
    maxmemoryPolicy: 'noeviction',
    maxmemorySamples: 5,
    maxmemoryEvictionTenacity: 10,
    lfuLogFactor: 10,
    lfuDecayTime: 1,
    activeExpireEffort: 1,
    slowlogLogSlowerThan: 10000,
    latencyMonitorThreshold: 0,
    slowlogMaxLen: 128,
    activerehashing: true,
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    protoMaxBulkLen: 536870912,
    clientQueryBufferLimit: 1073741824,
    requirepass: '',
    lazyfreeLazyEviction: false,
    lazyfreeLazyExpire: false,
    lazyfreeLazyServerDel: false,
    lazyfreeLazyUserDel: false,
    lazyfreeLazyUserFlush: false,
    latencyTracking: true,
    notifyKeyspaceEvents: 0,
    other: {},
  }
  return cfg
}

/**
 * Applies start-up overrides (ServerOptions.config), as a config file would: immutable
 * parameters are allowed here. Throws on an unknown name or a bad value.
 */
export function applyStartupConfig(
  cfg: ServerConfig,
  overrides: Readonly<Record<string, string | number | boolean>>,
): void {
  for (const [name, given] of Object.entries(overrides)) {
    const p = lookupConfig(name)
    if (p === undefined) throw new Error(`Bad directive or wrong number of arguments: ${name}`)
    // A number is written as the config file would spell it; a boolean is yes/no.
    const value = typeof given === 'boolean' ? (given ? 'yes' : 'no') : String(given)
    const err = configSetValue(cfg, p, value)
    if (err !== null) throw new Error(`${name}: ${err}`)
  }
}

// --- TLS ---

/** applyTlsCfg's parameters (config.c standardConfig table). */
const TLS_CFG = new Set([
  'tls-session-cache-size',
  'tls-session-cache-timeout',
  'tls-cluster',
  'tls-replication',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-dh-params-file',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
])

/** applyTlsCfg's test: server.tls_port || server.tls_replication || server.tls_cluster. */
function tlsInUse(cfg: ServerConfig): boolean {
  const value = (name: string) => configGetValue(cfg, lookupConfig(name) as ConfigParam)
  return (
    value('tls-port') !== '0' ||
    value('tls-replication') === 'yes' ||
    value('tls-cluster') === 'yes'
  )
}

/** What tls.c tlsConfigure answers when it fails (no tls-cert-file can ever load here). */
const TLS_UNCONFIGURED = 'Unable to update TLS configuration. Check server logs.'

// --- CONFIG SET / GET ---

/** server.c changeListenPort as a host does it: false when it cannot listen on `port`. */
export type ChangeListenPort = (port: number) => boolean

/**
 * server.c changeBindAddr as a host does it: false when it cannot listen on the addresses
 * (the `bind` words; '-' marks one optional).
 */
export type ChangeBindAddr = (addrs: readonly string[]) => boolean

/** oom-score-adj's values (config.c oom_score_adj_enum; "relative" is held as "yes"). */
export type OomScoreAdjMode = 'no' | 'yes' | 'absolute'

/**
 * server.c setOOMScoreAdj as a host does it, for the process's class: `value` is that class's
 * entry of oom-score-adj-values. False when the process's oom_score_adj could not be read or
 * written (the host logs why).
 */
export type SetOomScoreAdj = (mode: OomScoreAdjMode, value: number) => boolean

/**
 * server.h's process classes, the index into oom-score-adj-values: CONFIG_OOM_MASTER,
 * CONFIG_OOM_REPLICA (server.masterhost is set), CONFIG_OOM_BGCHILD.
 */
export type OomClass = 0 | 1 | 2

/** server.c setOOMScoreAdj through the host, for the process class `processClass`. */
export function applyOomScoreAdj(
  cfg: ServerConfig,
  set: SetOomScoreAdj,
  processClass: OomClass,
): boolean {
  const mode = (cfg.other['oom-score-adj'] ?? 'no') as OomScoreAdjMode
  const values = (cfg.other['oom-score-adj-values'] ?? '0 200 800').split(' ')
  return set(mode, Number(values[processClass]))
}

/**
 * What the apply functions of config.c reach outside the engine: the open files limit
 * (updateMaxclients), the listening socket (updatePort, applyBind) and the process's
 * oom_score_adj (updateOOMScoreAdj). A null part: that apply function has nothing to do
 * (the browser has none of them).
 */
export interface ConfigHost {
  readonly nofile: OpenFilesLimit | null
  readonly changeListenPort: ChangeListenPort | null
  readonly changeBindAddr?: ChangeBindAddr | null
  readonly setOomScoreAdj?: SetOomScoreAdj | null
  /** redisSetProcTitle(NULL) with the config now: false when it failed. */
  readonly setProcTitle?: (() => boolean) | null
  /** The serving process's class (setOOMScoreAdj(-1)): master unless it follows one. */
  readonly oomClass?: OomClass
  /** updateAppendonly (aof.ts): the AOF started or stopped; its error, or null. */
  readonly updateAppendonly?: () => string | null
  /** updateAofAutoGCEnabled (aof.ts): history files deleted once auto gc is back. */
  readonly updateAofAutoGCEnabled?: () => null
}

const NO_CONFIG_HOST: ConfigHost = { nofile: null, changeListenPort: null }

/** config.c applyBind's error. */
const FAILED_TO_BIND = 'Failed to bind to specified addresses.'

/** config.c updateOOMScoreAdj's error. */
const OOM_SCORE_ADJ_FAILED = 'Failed to set current oom_score_adj. Check server logs.'

/** config.c updatePort's error. */
const UNABLE_TO_LISTEN = 'Unable to listen on this port. Check server logs.'

/**
 * The apply function of `p` that can fail (its config.c name and a run), null when it has
 * none (or no host part). The oracle is built with TLS and has no certificate, so tls.c
 * tlsConfigure always fails: applyTlsCfg fails as soon as TLS is in use (a tls-port,
 * tls-replication or tls-cluster) and applyTLSPort whenever tls-port changes (TLS was never
 * configured).
 */
function applyFunction(
  cfg: ServerConfig,
  p: ConfigParam,
  host: ConfigHost,
): { readonly fn: string; readonly run: () => string | null } | null {
  const { nofile, changeListenPort } = host
  const setProcTitle = host.setProcTitle ?? null
  // changeListenPort and changeBindAddr end, once listening, with redisSetProcTitle(NULL).
  const listening = (ok: boolean, err: string) => {
    if (ok) setProcTitle?.()
    return ok ? null : err
  }
  if (p.name === 'maxclients' && nofile !== null)
    return { fn: 'updateMaxclients', run: () => updateMaxclients(cfg, nofile) }
  if (p.name === 'port' && changeListenPort !== null) {
    const run = () => listening(changeListenPort(Number(configGetValue(cfg, p))), UNABLE_TO_LISTEN)
    return { fn: 'updatePort', run }
  }
  const changeBindAddr = host.changeBindAddr ?? null
  if (p.name === 'bind' && changeBindAddr !== null) {
    const run = () => listening(changeBindAddr(splitArgs(configGetValue(cfg, p))), FAILED_TO_BIND)
    return { fn: 'applyBind', run }
  }
  const setOom = host.setOomScoreAdj ?? null
  if ((p.name === 'oom-score-adj' || p.name === 'oom-score-adj-values') && setOom !== null) {
    const oomClass = host.oomClass ?? 0
    const run = () => (applyOomScoreAdj(cfg, setOom, oomClass) ? null : OOM_SCORE_ADJ_FAILED)
    return { fn: 'updateOOMScoreAdj', run }
  }
  if (p.name === 'proc-title-template' && setProcTitle !== null)
    return {
      fn: 'updateProcTitleTemplate',
      run: () => (setProcTitle() ? null : 'failed to set process title'),
    }
  if (p.name === 'appendonly' && host.updateAppendonly !== undefined)
    return { fn: 'updateAppendonly', run: host.updateAppendonly }
  if (p.name === 'aof-disable-auto-gc' && host.updateAofAutoGCEnabled !== undefined)
    return { fn: 'updateAofAutoGCEnabled', run: host.updateAofAutoGCEnabled }
  if (p.name === 'tls-port') return { fn: 'applyTLSPort', run: () => TLS_UNCONFIGURED }
  if (TLS_CFG.has(p.name))
    return { fn: 'applyTlsCfg', run: () => (tlsInUse(cfg) ? TLS_UNCONFIGURED : null) }
  return null
}

/**
 * configSetCommand's apply step, once every value is set: the apply function of each
 * parameter whose value changed (each function once, in the order of its first parameter:
 * tls-cluster and tls-protocols share applyTlsCfg).
 * The first to fail restores every value and runs the apply functions again
 * (restoreBackupConfig), and its parameter is the one the error names. Only those that
 * succeeded run again: Redis's failed updatePort had closed the old socket already, so it
 * must listen again, while a failed changeListenPort here leaves the socket as it was (and a
 * failed updateMaxclients has nothing to undo), so running those again would change nothing
 * but could only move the socket to where the config says instead of where it is.
 */
function applyConfigs(
  cfg: ServerConfig,
  params: readonly ConfigParam[],
  backup: readonly string[],
  host: ConfigHost,
): { index: number; err: string } | null {
  const applies: { index: number; fn: string; run: () => string | null }[] = []
  params.forEach((p, i) => {
    // A VOLATILE parameter counts as changed even when set to the same value.
    if (!p.volatile && configGetValue(cfg, p) === backup[i]) return
    const apply = applyFunction(cfg, p, host)
    if (apply !== null && !applies.some((a) => a.fn === apply.fn))
      applies.push({ index: i, ...apply })
  })
  for (let i = 0; i < applies.length; i++) {
    const a = applies[i]
    const err = a?.run() ?? null
    if (a === undefined || err === null) continue
    params.forEach((q, j) => configSetValue(cfg, q, backup[j] ?? ''))
    for (const b of applies.slice(0, i)) b.run()
    return { index: a.index, err }
  }
  return null
}

/** enable-protected-configs lets this client set PROTECTED_CONFIG parameters (allowProtectedAction). */
function protectedConfigsAllowed(cfg: ServerConfig, localClient: boolean): boolean {
  const mode = cfg.other['enable-protected-configs'] ?? 'no'
  return mode === 'yes' || (mode === 'local' && localClient)
}

/** config.c's DENY_LOADING_CONFIG parameters: not settable while the dataset loads. */
const DENY_LOADING_CONFIGS: ReadonlySet<string> = new Set([
  'appendonly',
  'repl-diskless-load',
  'dir',
])

/**
 * configSetCommand's deny_loading_error: while loading, a parameter that may not change then
 * comes before any other error in the pairs (-LOADING), unless an unknown, immutable or
 * protected one before it already failed the command.
 */
export function configSetDeniedWhileLoading(
  cfg: ServerConfig,
  pairs: readonly string[],
  localClient: boolean,
): boolean {
  const allowProtected = protectedConfigsAllowed(cfg, localClient)
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const p = lookupConfig(pairs[i] ?? '')
    if (p === undefined || p.immutable || (p.protected && !allowProtected)) return false
    if (DENY_LOADING_CONFIGS.has(p.name)) return true
  }
  return false
}

/**
 * config.c configSetCommand on argv pairs (name, value, name, value ...). Returns null on
 * success or the full error message (without "ERR ").
 */
export function configSetPairs(
  cfg: ServerConfig,
  pairs: readonly string[],
  localClient = true,
  host: ConfigHost = NO_CONFIG_HOST,
): string | null {
  const allowProtected = protectedConfigsAllowed(cfg, localClient)
  const params: ConfigParam[] = []
  // config.c registers an alias as a config of its own (ALIAS_CONFIG): a name and its alias
  // in one CONFIG SET are not duplicates, and errors name the config as it was registered.
  const names: string[] = []
  let invalidArgName: string | null = null
  let errstr: string | null = null
  let errArgName = ''
  let invalid = false
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i] ?? ''
    const p = lookupConfig(name)
    if (p === undefined) {
      if (!invalid) {
        invalidArgName = name
        invalid = true
      }
      continue
    }
    if (invalid) continue
    if (p.immutable || (p.protected && !allowProtected)) {
      errstr = p.immutable ? "can't set immutable config" : "can't set protected config"
      errArgName = name
      invalid = true
      continue
    }
    const registered = p.alias === name.toLowerCase() ? p.alias : p.name
    if (params.some((q, j) => q === p && names[j] === registered)) {
      errstr = 'duplicate parameter'
      errArgName = name
      invalid = true
    }
    params.push(p)
    names.push(registered)
  }
  if (!invalid) {
    const backup = params.map((p) => configGetValue(cfg, p))
    for (let i = 0; i < params.length; i++) {
      const p = params[i]
      if (p === undefined) continue
      const err = configSetValue(cfg, p, pairs[i * 2 + 1] ?? '')
      if (err !== null) {
        for (let j = 0; j <= i; j++) {
          const q = params[j]
          const old = backup[j]
          if (q !== undefined && old !== undefined) configSetValue(cfg, q, old)
        }
        errstr = err
        errArgName = names[i] ?? p.name
        invalid = true
        break
      }
    }
    if (!invalid) {
      const failed = applyConfigs(cfg, params, backup, host)
      if (failed !== null) {
        errstr = failed.err
        errArgName = names[failed.index] ?? ''
        invalid = true
      }
    }
    if (!invalid) return null
  }
  if (invalidArgName !== null)
    return `Unknown option or number of arguments for CONFIG SET - '${cstr(invalidArgName)}'`
  return errstr !== null
    ? `CONFIG SET failed (possibly related to argument '${cstr(errArgName)}') - ${errstr}`
    : `CONFIG SET failed (possibly related to argument '${cstr(errArgName)}')`
}

/**
 * config.c configGetCommand: exact names answer under the name as typed; patterns match
 * names and aliases (hidden parameters need an exact name). A name and its alias are two
 * entries of config.c's dict, each listed once (matches are deduplicated by name, without
 * case), so a pattern can list both. Returns [name, value] pairs; Redis lists them in its
 * dict's hash order, which changes with every process.
 * `match` is the glob matcher (util.c stringmatchlen, case-insensitive).
 */
export function configGetPatterns(
  cfg: ServerConfig,
  patterns: readonly string[],
  match: (pattern: string, s: string) => boolean,
): [string, string][] {
  const out: [string, string][] = []
  const seen = new Set<string>()
  for (const raw of patterns) {
    // strpbrk and stringmatch read the pattern as a C string (up to a NUL); the exact-name
    // lookup is a binary-safe dict lookup of the whole argument.
    const pat = cstr(raw)
    if (!/[[*?]/.test(pat)) {
      const exact = raw
      if (seen.has(exact.toLowerCase())) continue
      const p = lookupConfig(exact)
      if (p !== undefined) {
        seen.add(exact.toLowerCase())
        out.push([exact, configGetValue(cfg, p)])
      }
      continue
    }
    for (const p of CONFIG_PARAMS) {
      if (p.hidden) continue
      for (const n of p.alias === null ? [p.name] : [p.alias, p.name]) {
        if (seen.has(n) || !match(pat, n)) continue
        seen.add(n)
        out.push([n, configGetValue(cfg, p)])
      }
    }
  }
  return out
}
