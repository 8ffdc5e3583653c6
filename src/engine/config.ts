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
 */
import type { MaxmemoryPolicy } from './events.ts'
import type { ServerConfig } from './state.ts'
import { string2ll } from './util/numbers.ts'

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
  ['string', 'aclfile', '', 'immutable', ''],
  ['string', 'unixsocket', '', 'immutable', ''],
  ['string', 'pidfile', '', 'immutable', ''],
  ['string', 'replica-announce-ip', 'slave-announce-ip', '', ''],
  ['string', 'masteruser', '', 'sensitive', ''],
  ['string', 'cluster-announce-ip', '', '', ''],
  ['string', 'cluster-config-file', '', 'immutable', 'nodes.conf'],
  ['string', 'cluster-announce-hostname', '', '', ''],
  ['string', 'syslog-ident', '', 'immutable', 'redis'],
  ['string', 'dbfilename', '', 'protected', 'dump.rdb'],
  ['string', 'appendfilename', '', 'immutable', 'appendonly.aof'],
  ['string', 'appenddirname', '', 'immutable', 'appendonlydir'],
  ['string', 'server_cpulist', '', 'immutable', ''],
  ['string', 'bio_cpulist', '', 'immutable', ''],
  ['string', 'aof_rewrite_cpulist', '', 'immutable', ''],
  ['string', 'bgsave_cpulist', '', 'immutable', ''],
  ['string', 'ignore-warnings', '', '', ''],
  ['string', 'proc-title-template', '', '', '{title} {listen-addr} {server-mode}'],
  ['string', 'bind-source-addr', '', '', ''],
  ['string', 'logfile', '', 'immutable', ''],
  ['string', 'masterauth', '', 'sensitive', ''],
  ['string', 'requirepass', '', 'sensitive', ''],
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
  ['string', 'tls-cert-file', '', 'volatile', ''],
  ['string', 'tls-key-file', '', 'volatile', ''],
  ['string', 'tls-key-file-pass', '', '', ''],
  ['string', 'tls-client-cert-file', '', 'volatile', ''],
  ['string', 'tls-client-key-file', '', 'volatile', ''],
  ['string', 'tls-client-key-file-pass', '', '', ''],
  ['string', 'tls-dh-params-file', '', 'volatile', ''],
  ['string', 'tls-ca-cert-file', '', 'volatile', ''],
  ['string', 'tls-ca-cert-dir', '', 'volatile', ''],
  ['string', 'tls-protocols', '', '', ''],
  ['string', 'tls-ciphers', '', '', ''],
  ['string', 'tls-ciphersuites', '', '', ''],
  ['special', 'dir', '', 'protected', '/'],
  ['special', 'save', '', 'multi_arg', '3600 1 300 100 60 10000'],
  [
    'special',
    'client-output-buffer-limit',
    '',
    'multi_arg',
    'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
  ],
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
  readonly hidden: boolean
  readonly multiArg: boolean
  readonly memory: boolean
  readonly percent: boolean
  readonly octal: boolean
  readonly unsigned: boolean
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
    hidden: fl.has('hidden'),
    multiArg: fl.has('multi_arg'),
    memory: fl.has('memory'),
    percent: fl.has('percent'),
    octal: fl.has('octal'),
    unsigned: fl.has('unsigned'),
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
  'hash-max-listpack-entries': 'hashMaxListpackEntries',
  'hash-max-listpack-value': 'hashMaxListpackValue',
  'set-max-intset-entries': 'setMaxIntsetEntries',
  'zset-max-listpack-entries': 'zsetMaxListpackEntries',
  'zset-max-listpack-value': 'zsetMaxListpackValue',
  'list-max-listpack-size': 'listMaxListpackSize',
  'list-compress-depth': 'listCompressDepth',
  'proto-max-bulk-len': 'protoMaxBulkLen',
}

const BOOL_FIELDS: Readonly<Record<string, BoolField>> = {
  'dynamic-hz': 'dynamicHz',
  activerehashing: 'activerehashing',
  'lazyfree-lazy-eviction': 'lazyfreeLazyEviction',
  'lazyfree-lazy-expire': 'lazyfreeLazyExpire',
  'lazyfree-lazy-server-del': 'lazyfreeLazyServerDel',
  'lazyfree-lazy-user-del': 'lazyfreeLazyUserDel',
  'lazyfree-lazy-user-flush': 'lazyfreeLazyUserFlush',
}

export const CONFIG_MIN_HZ = 1
export const CONFIG_MAX_HZ = 500

// --- Values ---

/** The current value of a parameter as CONFIG GET shows it. */
export function configGetValue(cfg: ServerConfig, p: ConfigParam): string {
  const num = NUMERIC_FIELDS[p.name]
  if (num !== undefined) return String(cfg[num])
  const bool = BOOL_FIELDS[p.name]
  if (bool !== undefined) return cfg[bool] ? 'yes' : 'no'
  if (p.name === 'maxmemory-policy') return cfg.maxmemoryPolicy
  if (p.name === 'requirepass') return cfg.requirepass
  return cfg.other[p.name] ?? p.defaultValue
}

/** util.c memtoull: digits with an optional b/k/kb/m/mb/g/gb unit; null on error. */
export function memtoull(s: string): bigint | null {
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
  // strtoull("") is 0 without an error on glibc.
  const val = digits === '' ? 0n : BigInt(digits)
  if (val > 18446744073709551615n) return null
  return (val * mul) & 0xffffffffffffffffn
}

/** Parses one numeric value; the result or an error text (numericParseString). */
function parseNumeric(p: ConfigParam, value: string): bigint | string {
  if (p.memory) {
    const v = memtoull(value)
    if (v !== null) return v > 9223372036854775807n ? v - 18446744073709551616n : v
  }
  if (p.percent && value.length > 1 && value.endsWith('%')) {
    const v = string2ll(value.slice(0, -1))
    if (v !== null && v >= 0n) return -v
  }
  if (p.octal && /^[+-]?[0-7]+$/.test(value.trim())) return BigInt(`0o${value.trim()}`)
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

/** config.c sdssplitargs, reduced to space-separated words (quotes are rare here). */
function splitArgs(value: string): string[] {
  return value.split(' ').filter((w) => w.length > 0)
}

/**
 * Sets one parameter from its CONFIG SET string. Returns null on success or the error text
 * that follows "CONFIG SET failed (possibly related to argument '<name>') - ".
 */
export function configSetValue(cfg: ServerConfig, p: ConfigParam, value: string): string | null {
  switch (p.kind) {
    case 'bool': {
      const v = value.toLowerCase()
      if (v !== 'yes' && v !== 'no') return "argument must be 'yes' or 'no'"
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
        cfg.other[p.name] = formatNumeric(p, parsed)
      } else if (field === 'hz') {
        // updateHZ: clamp into CONFIG_MIN_HZ..CONFIG_MAX_HZ.
        const hz = Number(parsed)
        cfg.hz = hz < CONFIG_MIN_HZ ? CONFIG_MIN_HZ : hz > CONFIG_MAX_HZ ? CONFIG_MAX_HZ : hz
      } else {
        cfg[field] = Number(p.unsigned && parsed < 0n ? parsed + 18446744073709551616n : parsed)
      }
      return null
    }
    case 'enum': {
      const words = p.multiArg ? splitArgs(value) : [value]
      const chosen: string[] = []
      for (const w of words) {
        const v = p.values.find((x) => x === w.toLowerCase())
        if (v === undefined || (!p.multiArg && words.length !== 1) || words.length === 0)
          return `argument(s) must be one of the following: ${p.values.join(', ')}`
        chosen.push(v)
      }
      if (chosen.length === 0)
        return `argument(s) must be one of the following: ${p.values.join(', ')}`
      if (p.name === 'maxmemory-policy') cfg.maxmemoryPolicy = chosen[0] as MaxmemoryPolicy
      else cfg.other[p.name] = chosen.join(' ')
      return null
    }
    case 'string':
    case 'SDS':
      if (p.name === 'requirepass') cfg.requirepass = value
      else cfg.other[p.name] = value
      return null
    case 'special':
      return setSpecial(cfg, p, value)
  }
}

function setSpecial(cfg: ServerConfig, p: ConfigParam, value: string): string | null {
  if (p.name === 'save') {
    const words = value === '' ? [] : splitArgs(value)
    if (words.length % 2 === 1) return 'Invalid save parameters'
    for (let j = 0; j < words.length; j++) {
      const w = words[j] ?? ''
      if (!/^[+-]?[0-9]+$/.test(w)) return 'Invalid save parameters'
      const n = Number(w)
      if ((j % 2 === 0 && n < 1) || (j % 2 === 1 && n < 0)) return 'Invalid save parameters'
    }
    const out: string[] = []
    for (let j = 0; j < words.length; j += 2)
      out.push(`${String(Number(words[j]))} ${String(Number(words[j + 1]))}`)
    cfg.other['save'] = out.join(' ')
    return null
  }
  cfg.other[p.name] = value
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
    activerehashing: true,
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    protoMaxBulkLen: 536870912,
    requirepass: '',
    lazyfreeLazyEviction: false,
    lazyfreeLazyExpire: false,
    lazyfreeLazyServerDel: false,
    lazyfreeLazyUserDel: false,
    lazyfreeLazyUserFlush: false,
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
  overrides: Readonly<Record<string, string>>,
): void {
  for (const [name, value] of Object.entries(overrides)) {
    const p = lookupConfig(name)
    if (p === undefined) throw new Error(`Bad directive or wrong number of arguments: ${name}`)
    const err = configSetValue(cfg, p, value)
    if (err !== null) throw new Error(`${name}: ${err}`)
  }
}

// --- CONFIG SET / GET ---

/**
 * config.c configSetCommand on argv pairs (name, value, name, value ...). Returns null on
 * success or the full error message (without "ERR ").
 */
export function configSetPairs(cfg: ServerConfig, pairs: readonly string[]): string | null {
  const params: ConfigParam[] = []
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
    if (p.immutable) {
      errstr = "can't set immutable config"
      errArgName = name
      invalid = true
      continue
    }
    if (params.includes(p)) {
      errstr = 'duplicate parameter'
      errArgName = name
      invalid = true
    }
    params.push(p)
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
        errArgName = p.name
        invalid = true
        break
      }
    }
    if (!invalid) return null
  }
  if (invalidArgName !== null)
    return `Unknown option or number of arguments for CONFIG SET - '${invalidArgName}'`
  return errstr !== null
    ? `CONFIG SET failed (possibly related to argument '${errArgName}') - ${errstr}`
    : `CONFIG SET failed (possibly related to argument '${errArgName}')`
}

/**
 * config.c configGetCommand: exact names answer under the name as typed; patterns match
 * names and aliases (hidden parameters need an exact name). Returns [name, value] pairs.
 * `match` is the glob matcher (util.c stringmatchlen, case-insensitive).
 */
export function configGetPatterns(
  cfg: ServerConfig,
  patterns: readonly string[],
  match: (pattern: string, s: string) => boolean,
): [string, string][] {
  const out: [string, string][] = []
  const seen = new Set<string>()
  for (const pat of patterns) {
    if (!/[[*?]/.test(pat)) {
      if (seen.has(pat)) continue
      const p = lookupConfig(pat)
      if (p !== undefined) {
        seen.add(pat)
        out.push([pat, configGetValue(cfg, p)])
      }
      continue
    }
    for (const p of CONFIG_PARAMS) {
      if (p.hidden) continue
      // Redis walks its config dict in hash order and skips an entry whose canonical name
      // already matched; we visit the alias first, which is the order real servers most
      // often show (both names answer, e.g. hash-max-ziplist-entries and -listpack-).
      for (const n of p.alias === null ? [p.name] : [p.alias, p.name]) {
        if (seen.has(p.name)) break
        if (match(pat, n)) {
          seen.add(n)
          out.push([n, configGetValue(cfg, p)])
        }
      }
    }
  }
  return out
}
