/**
 * Server commands (server.c, config.c, debug.c, object.c, db.c, rdb.c): INFO, CONFIG,
 * COMMAND, TIME, DBSIZE, FLUSHDB, FLUSHALL, DEBUG, MEMORY, LASTSAVE, SAVE, BGSAVE.
 *
 * INFO prints Redis's sections and field names. Fields the engine has no counterpart for
 * (pids, CPU, network bytes, replication) hold the values of an idle, freshly started
 * 7.0.15; everything the engine models (clients, stats, keyspace, memory, hz, lru_clock,
 * config) is live.
 *
 * COMMAND INFO/DOCS/LIST/COUNT/GETKEYS answer from the command table, whose metadata comes
 * from Redis's own command JSON (meta.generated.ts); they list the commands this engine
 * implements, so COMMAND COUNT is smaller than Redis's 240.
 *
 * DEBUG is gated in processCommand (enable-debug-command). DEBUG SLEEP answers OK without
 * waiting: the engine never blocks and its clock only moves through tick(). DEBUG OBJECT's
 * "Value at" is a stable fake address, and serializedlength is rdbSavedObjectLen (the real
 * RDB serialization, rdbEncode.ts, LZF included); containers may add a suffix through
 * registerDebugObjectInfo, quicklists print debug.c's ql_* fields.
 */
import { crashNotModelled, debugCrash } from '../crashReport.ts'
import {
  changeReplicationId,
  clearReplicationId2,
  forceCommandPropagation,
  goodReplicasCount,
  replBacklogOf,
  debugReplicate,
  replicaNotOnline,
} from '../replication.ts'
import { serverLog } from '../serverLog.ts'
import { redactClientCommandArgument } from '../call.ts'
import { oomClass, oomScoreAdjHook } from '../oomScoreAdj.ts'
import { getSlaveKeyWithExpireCount, replicaInfoFields, replicaRoleReply } from '../replica.ts'
import { aclUpdateDefaultUserPassword } from '../acl.ts'
import { applyClientMaxMemoryUsage } from '../clientEviction.ts'
import { pubsubInfo } from './pubsub.ts'
import { cstr } from '../bytes.ts'
import {
  configGetPatterns,
  configGetValue,
  configSetDeniedWhileLoading,
  configSetPairs,
  lookupConfig,
  memtoull,
  type ChangeBindAddr,
  type ChangeListenPort,
} from '../config.ts'
import { rewriteConfigFile, type ConfigFileHost } from '../configRewrite.ts'
import { listSetPackedThreshold } from '../types/t_list.ts'
import type { Zset } from '../types/t_zset.ts'
import { computeDatasetDigest, digestValue } from '../debugDigest.ts'
import { startEvictionTimeProc } from '../keyspace/evict.ts'
import {
  killRDBChild,
  LOADING_ERROR,
  rdbLogWarning,
  rdbSaveBackground,
  saveParamsConfigured,
} from '../rdb.ts'
import {
  infoAofEnabledFields,
  infoAofFields,
  updateAofAutoGCEnabled,
  updateAppendonly,
} from '../aof.ts'
import { debugLoadAof, debugReload, rdbSave } from '../rdbReload.ts'
import { rdbSavedObjectLen } from '../rdbEncode.ts'
import { quicklistNodes, quicklistReprFull, type Quicklist } from '../structures/quicklist.ts'
import { dbAdd, emptyData, lookupKeyWrite, touchWatchedKey, type RedisDb } from '../keyspace/db.ts'
import { estimateObjectIdleTime } from '../keyspace/lru.ts'
import { emptyDbAsyncFreed } from '../keyspace/lazyfree.ts'
import {
  embstrZmallocSize,
  genInfoMemorySection,
  memoryDoctorReport,
  jemallocStatsReport,
  memoryStatsReply,
  memoryUsageOfKey,
  SIZEOF_ROBJ,
  zmallocUsedMemory,
} from '../keyspace/memory.ts'
import {
  array,
  bignumReply,
  boolReply,
  bulk,
  bulkArray,
  doubleReply,
  EMPTY_ARRAY,
  error,
  ERR_NO_SUCH_KEY,
  ERR_SYNTAX,
  integer,
  mapReply,
  NIL,
  OK,
  pushReply,
  sequence,
  setReply,
  simple,
  verbatimReply,
  type Protocol,
  type Reply,
} from '../reply.ts'
import { createStats, STATS_METRIC_SAMPLES, type ServerState, type ServerStats } from '../state.ts'
import { expansiveClientsInfo, REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME } from './connection.ts'
import { finishedJob, registerCommandJob, runCommandJob, type CommandJob } from '../sliced.ts'
import type { Copier } from '../snapshot.ts'
import {
  dictExpand,
  dictFetchValue,
  dictNextEntry,
  dictSize,
  NO_ENTRY,
  type Dict,
} from '../structures/dict.ts'
import { sdsNewLen, sdsZmallocSize } from '../structures/sds.ts'
import {
  createStringObject,
  stringObjectSds,
  type ContainerEncoding,
  type ContainerObject,
  type RedisObject,
} from '../types/object.ts'
import { stringmatchlen } from '../util/glob.ts'
import { formatFixed, LLONG_MAX, string2ll } from '../util/numbers.ts'
import { hdrLogCdf, hdrValueAtPercentile, type HdrHistogram } from '../util/hdrHistogram.ts'
import {
  createLatencyReport,
  latencyCommandGenSparkline,
  latencyLatest,
  latencyResetEvent,
  latencySamples,
} from '../latency.ts'
import {
  eqIgnoreCase,
  getLongOrReply,
  getPositiveLongOrReply,
  getRangeLongOrReply,
  helpReply,
} from './parse.ts'
import { blockedClientCounts } from './blocking.ts'
import { lolwutCommand } from './lolwut.ts'
import { ustime } from '../clock.ts'
import { debugMallctlInt, debugMallctlStr } from './mallctl.ts'
import { slowlogReset } from '../slowlog.ts'
import { trackingClients, trackingInfo, trackingInvalidateKey } from '../tracking.ts'
import { objectLookup } from './generic.ts'
import {
  defineCommand,
  defineSubcommand,
  type CommandArg,
  type CommandCall,
  type CommandSpec,
  type KeySpec,
} from './spec.ts'

// --- Formatting helpers ---

function lines(pairs: readonly (readonly [string, string | number])[]): string {
  let out = ''
  for (const [k, v] of pairs) out += `${k}:${String(v)}\r\n`
  return out
}

// --- INFO ---

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'errorstats',
  'cluster',
  'keyspace',
]
const ALL_ORDER = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
  'keyspace',
]

function infoServer(srv: ServerState): string {
  const uptime = Math.floor((srv.mstime - srv.startTime) / 1000)
  return lines([
    ['redis_version', '7.0.15'],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', 'ae4d7c971a948f0'],
    ['redis_mode', 'standalone'],
    ['os', 'Linux 6.1.0 x86_64'],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '12.2.0'],
    ['process_id', srv.processId],
    ['process_supervised', 'no'],
    ['run_id', srv.runId],
    ['tcp_port', srv.config.other['port'] ?? '6379'],
    ['server_time_usec', Math.floor(srv.mstime * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', srv.currentHz],
    ['configured_hz', srv.config.hz],
    ['lru_clock', srv.lruclock],
    ['executable', '/usr/bin/redis-server'],
    ['config_file', ''],
    ['io_threads_active', 0],
  ])
}

function infoClients(srv: ServerState): string {
  const blocked = blockedClientCounts(srv)
  const expansive = expansiveClientsInfo(srv)
  return lines([
    ['connected_clients', srv.clients.size],
    ['cluster_connections', 0],
    ['maxclients', srv.config.other['maxclients'] ?? '10000'],
    ['client_recent_max_input_buffer', expansive.input],
    ['client_recent_max_output_buffer', expansive.output],
    ['blocked_clients', blocked.blocked],
    ['tracking_clients', trackingClients(srv)],
    ['clients_in_timeout_table', blocked.withTimeout],
  ])
}

function infoPersistence(srv: ServerState): string {
  const child = srv.child
  return lines([
    ['loading', srv.loading === null ? 0 : 1],
    ['async_loading', 0],
    ['current_cow_peak', child?.cowPeak ?? 0],
    ['current_cow_size', child?.cowBytes ?? 0],
    [
      'current_cow_size_age',
      child === null || child.infoUpdatedAt === 0
        ? 0
        : Math.floor((srv.mstime - child.infoUpdatedAt) / 1000),
    ],
    [
      'current_fork_perc',
      (child === null || child.keysTotal === 0
        ? 0
        : (child.keysProcessed / child.keysTotal) * 100
      ).toFixed(2),
    ],
    ['current_save_keys_processed', child?.keysProcessed ?? 0],
    ['current_save_keys_total', child?.keysTotal ?? 0],
    ['rdb_changes_since_last_save', srv.dirty],
    ['rdb_bgsave_in_progress', srv.child?.type === 'rdb' ? 1 : 0],
    ['rdb_last_save_time', srv.lastSave],
    ['rdb_last_bgsave_status', srv.rdbLastBgsaveStatus],
    ['rdb_last_bgsave_time_sec', srv.rdbLastBgsaveTimeSec],
    [
      'rdb_current_bgsave_time_sec',
      srv.child?.type !== 'rdb' ? -1 : Math.floor((srv.mstime - srv.child.startedAt) / 1000),
    ],
    ['rdb_saves', srv.rdbSaves],
    ['rdb_last_cow_size', srv.rdbLastCowSize],
    ['rdb_last_load_keys_expired', srv.rdbLastLoadKeysExpired],
    ['rdb_last_load_keys_loaded', srv.rdbLastLoadKeysLoaded],
    ...infoAofFields(srv),
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
    ...infoAofEnabledFields(srv),
    ...infoLoading(srv),
  ])
}

/** The loading_* fields INFO persistence adds while the dataset loads (server.c). */
function infoLoading(srv: ServerState): [string, string | number][] {
  const l = srv.loading
  if (l === null) return []
  let perc = 0
  let remaining = 1
  if (l.totalBytes !== 0) {
    perc = (l.loadedBytes / l.totalBytes) * 100
    remaining = l.totalBytes - l.loadedBytes
  }
  const elapsed = srv.unixtime - l.startTime
  // "A fake 1 second figure if we don't have enough info".
  const eta = elapsed === 0 ? 1 : Math.trunc((elapsed * remaining) / (l.loadedBytes + 1))
  return [
    ['loading_start_time', l.startTime],
    ['loading_total_bytes', l.totalBytes],
    ['loading_rdb_used_mem', l.rdbUsedMem],
    ['loading_loaded_bytes', l.loadedBytes],
    ['loading_loaded_perc', perc.toFixed(2)],
    ['loading_eta_seconds', eta],
  ]
}

/** server.c getInstantaneousMetric: the mean of the metric's 16 samples (integer). */
function getInstantaneousMetric(s: ServerStats, metric: number): number {
  const m = s.instMetrics[metric]
  if (m === undefined) return 0
  let sum = 0
  for (const v of m.samples) sum += v
  return Math.trunc(sum / STATS_METRIC_SAMPLES)
}

/** `(float)getInstantaneousMetric(metric)/1024` printed with %.2f. */
function instantaneousKbps(s: ServerStats, metric: number): string {
  return formatFixed(Math.fround(Math.fround(getInstantaneousMetric(s, metric)) / 1024), 2)
}

function infoStats(srv: ServerState): string {
  const s = srv.stats
  const ps = pubsubInfo(srv)
  const tracking = trackingInfo(srv)
  const currentExceededUs =
    s.lastEvictionExceededAt === 0 ? 0 : ustime(srv.clock) - s.lastEvictionExceededAt
  return lines([
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', getInstantaneousMetric(s, 0)],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', instantaneousKbps(s, 1)],
    ['instantaneous_output_kbps', instantaneousKbps(s, 2)],
    ['instantaneous_input_repl_kbps', instantaneousKbps(s, 3)],
    ['instantaneous_output_repl_kbps', instantaneousKbps(s, 4)],
    ['rejected_connections', s.rejectedConn],
    ['sync_full', s.syncFull],
    ['sync_partial_ok', s.syncPartialOk],
    ['sync_partial_err', s.syncPartialErr],
    ['expired_keys', s.expiredKeys],
    ['expired_stale_perc', formatFixed(s.expiredStalePerc * 100, 2)],
    ['expired_time_cap_reached_count', s.expiredTimeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', Math.trunc(s.expireCycleTimeUsed / 1000)],
    ['evicted_keys', s.evictedKeys],
    ['evicted_clients', s.evictedClients],
    [
      'total_eviction_exceeded_time',
      Math.trunc((s.totalEvictionExceededUs + currentExceededUs) / 1000),
    ],
    ['current_eviction_exceeded_time', Math.trunc(currentExceededUs / 1000)],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', ps.channels],
    ['pubsub_patterns', ps.patterns],
    ['pubsubshard_channels', ps.shardChannels],
    ['latest_fork_usec', 0],
    ['total_forks', s.totalForks],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', getSlaveKeyWithExpireCount(srv)],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', tracking.keys],
    ['tracking_total_items', tracking.items],
    ['tracking_total_prefixes', tracking.prefixes],
    ['unexpected_error_replies', s.unexpectedErrorReplies],
    ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', s.dumpPayloadSanitizations],
    // Without a transport (the browser), one read and one write per command.
    ['total_reads_processed', srv.netReported ? s.totalReads : s.totalCommandsProcessed],
    ['total_writes_processed', srv.netReported ? s.totalWrites : s.totalCommandsProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', s.replyBufferShrinks],
    ['reply_buffer_expands', s.replyBufferExpands],
  ])
}

/** min_slaves_good_slaves, only while min-replicas-to-write and its max lag are set. */
function minSlavesGoodSlaves(srv: ServerState): [string, number][] {
  const good = goodReplicasCount(srv)
  return good === null ? [] : [['min_slaves_good_slaves', good]]
}

function infoReplication(srv: ServerState): string {
  const r = srv.repl
  const backlog = replBacklogOf(srv)
  const replica = r.masterhost !== null
  return lines([
    ['role', replica ? 'slave' : 'master'],
    ...(replica ? replicaInfoFields(srv) : []),
    ['connected_slaves', r.replicas.length],
    ...minSlavesGoodSlaves(srv),
    ...slaveLines(srv),
    ['master_failover_state', 'no-failover'],
    ['master_replid', r.replid],
    ['master_replid2', r.replid2],
    ['master_repl_offset', r.masterReplOffset],
    ['second_repl_offset', r.secondReplidOffset],
    ['repl_backlog_active', r.backlog ? 1 : 0],
    ['repl_backlog_size', srv.config.other['repl-backlog-size'] ?? '1048576'],
    ['repl_backlog_first_byte_offset', r.backlog ? backlog.offset : 0],
    ['repl_backlog_histlen', r.backlog ? backlog.histlen : 0],
  ])
}

/** The slave<n> lines: each replica's address, announced port, state, ACKed offset and lag. */
function slaveLines(srv: ServerState): [string, string][] {
  const out: [string, string][] = []
  for (const id of srv.repl.replicas) {
    const c = srv.clients.get(id)
    if (c === undefined) continue
    const info = srv.repl.replicaInfo.get(id)
    const ip = info?.ip ?? c.addr.slice(0, c.addr.lastIndexOf(':'))
    // replstateToString; lag: time(NULL) - repl_ack_time, once online.
    const online = !replicaNotOnline(srv, id)
    const state = online ? 'online' : 'wait_bgsave'
    const lag = Math.floor(srv.clock.now() / 1000) - (srv.repl.ackTimes.get(id) ?? srv.unixtime)
    out.push([
      `slave${String(out.length)}`,
      `ip=${ip},port=${String(info?.listeningPort ?? 0)},state=${state},offset=${String(info?.ackOff ?? 0)},lag=${String(online ? lag : 0)}`,
    ])
  }
  return out
}

function infoCpu(): string {
  return lines([
    ['used_cpu_sys', '0.000000'],
    ['used_cpu_user', '0.000000'],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', '0.000000'],
    ['used_cpu_user_main_thread', '0.000000'],
  ])
}

function infoCommandStats(srv: ServerState): string {
  let out = ''
  const visit = (spec: CommandSpec, parent: CommandSpec | null): void => {
    const fullname = parent === null ? spec.name : `${parent.name}|${spec.name}`
    const st = srv.stats.numCommands.get(fullname)
    if (st !== undefined && (st.calls > 0 || st.failed > 0 || st.rejected > 0))
      out +=
        `cmdstat_${fullname}:calls=${String(st.calls)},usec=${String(st.usec)}` +
        `,usec_per_call=${formatFixed(st.calls === 0 ? 0 : Math.fround(Math.fround(st.usec) / st.calls), 2)}` +
        `,rejected_calls=${String(st.rejected)},failed_calls=${String(st.failed)}\r\n`
    for (const sub of spec.subcommands ?? []) visit(sub, spec)
  }
  for (const spec of srv.commands.list) visit(spec, null)
  return out
}

/**
 * server.c genRedisInfoStringLatencyStats: one line per command with a latency histogram
 * (created by its first recorded duration), each percentile as
 * fillPercentileDistributionLatencies prints it (hdr_value_at_percentile in µs, %.3f).
 * A duration of 0 µs is recorded as the histogram's minimum, 1 ns: 0.001.
 */
function infoLatencyStats(srv: ServerState): string {
  if (!srv.config.latencyTracking) return ''
  const percentiles = (srv.config.other['latency-tracking-info-percentiles'] ?? '50 99 99.9')
    .split(' ')
    .filter((p) => p !== '')
  let out = ''
  const visit = (spec: CommandSpec, parent: CommandSpec | null): void => {
    const fullname = parent === null ? spec.name : `${parent.name}|${spec.name}`
    const hist = srv.stats.numCommands.get(fullname)?.hist ?? null
    if (hist !== null)
      out += `latency_percentiles_usec_${fullname}:${percentiles.map((p) => `p${String(Number(p))}=${formatFixed(hdrValueAtPercentile(hist, Number(p)) / 1000, 3)}`).join(',')}\r\n`
    for (const sub of spec.subcommands ?? []) visit(sub, spec)
  }
  for (const spec of srv.commands.list) visit(spec, null)
  return out
}

/** server.c genRedisInfoString "errorstats": the error codes in their rax's byte order. */
function infoErrorStats(srv: ServerState): string {
  let out = ''
  const codes = [...srv.stats.errorCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [code, count] of codes) out += `errorstat_${code}:count=${String(count)}\r\n`
  return out
}

function infoKeyspace(srv: ServerState): string {
  let out = ''
  for (const db of srv.dbs) {
    const keys = dictSize(db.dict)
    const vkeys = dictSize(db.expires)
    if (keys > 0 || vkeys > 0)
      out += `db${String(db.id)}:keys=${String(keys)},expires=${String(vkeys)},avg_ttl=${String(db.avgTtl)}\r\n`
  }
  return out
}

const SECTION_TITLES: Readonly<Record<string, string>> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  module_list: 'Modules',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  latencystats: 'Latencystats',
  cluster: 'Cluster',
  keyspace: 'Keyspace',
}

function infoSectionBody(srv: ServerState, section: string): string {
  switch (section) {
    case 'server':
      return infoServer(srv)
    case 'clients':
      return infoClients(srv)
    case 'memory':
      return genInfoMemorySection(srv)
    case 'persistence':
      return infoPersistence(srv)
    case 'stats':
      return infoStats(srv)
    case 'replication':
      return infoReplication(srv)
    case 'cpu':
      return infoCpu()
    case 'commandstats':
      return infoCommandStats(srv)
    case 'errorstats':
      return infoErrorStats(srv)
    case 'latencystats':
      return infoLatencyStats(srv)
    case 'cluster':
      return 'cluster_enabled:0\r\n'
    case 'keyspace':
      return infoKeyspace(srv)
    default:
      return ''
  }
}

/** server.c genRedisInfoString for the requested sections (genInfoSectionDict rules). */
export function genRedisInfoString(srv: ServerState, args: readonly string[]): string {
  const wanted = new Set<string>()
  let all = false
  if (args.length === 0) for (const s of DEFAULT_SECTIONS) wanted.add(s)
  for (const a of args) {
    // Section names are compared as C strings (strcasecmp, sdsnew): a NUL ends them.
    const s = cstr(a).toLowerCase()
    if (s === 'default') for (const d of DEFAULT_SECTIONS) wanted.add(d)
    else if (s === 'all' || s === 'everything') all = true
    else wanted.add(s === 'modules' ? 'module_list' : s)
  }
  let out = ''
  let sections = 0
  for (const s of ALL_ORDER) {
    if (!all && !wanted.has(s)) continue
    if (sections++ > 0) out += '\r\n'
    out += `# ${SECTION_TITLES[s] ?? s}\r\n${infoSectionBody(srv, s)}`
  }
  return out
}

function infoCommand(c: CommandCall): Reply {
  return verbatimReply(c.client.resp, genRedisInfoString(c.srv, c.argv.slice(1)))
}

// --- CONFIG ---

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
]

function configGetCommand(c: CommandCall): Reply {
  const pairs = configGetPatterns(c.srv.config, c.argv.slice(2), (p, s) =>
    stringmatchlen(p, s, true),
  )
  return mapReply(c.client.resp, pairs.flat().map(bulk))
}

/** config.c's SENSITIVE_CONFIG parameters: their values are redacted. */
const SENSITIVE_CONFIGS = new Set(['masteruser', 'masterauth', 'requirepass'])

const listenHooks = new WeakMap<ServerState, ChangeListenPort>()
const bindHooks = new WeakMap<ServerState, ChangeBindAddr>()

/** The host's listening socket for CONFIG SET port (the RESP server has one; the browser none). */
export function setChangeListenPort(srv: ServerState, hook: ChangeListenPort | null): void {
  if (hook === null) listenHooks.delete(srv)
  else listenHooks.set(srv, hook)
}

/** The host's listening addresses for CONFIG SET bind (as setChangeListenPort). */
export function setChangeBindAddr(srv: ServerState, hook: ChangeBindAddr | null): void {
  if (hook === null) bindHooks.delete(srv)
  else bindHooks.set(srv, hook)
}

const procTitleHooks = new WeakMap<ServerState, () => boolean>()

/** The host's redisSetProcTitle(NULL), run by CONFIG SET proc-title-template. */
export function setProcTitleHook(srv: ServerState, hook: (() => boolean) | null): void {
  if (hook === null) procTitleHooks.delete(srv)
  else procTitleHooks.set(srv, hook)
}

const configFileHooks = new WeakMap<ServerState, ConfigFileHost>()

/** The host's config file for CONFIG REWRITE (npm run serve started with one; else none). */
export function setConfigFileHook(srv: ServerState, hook: ConfigFileHost | null): void {
  if (hook === null) configFileHooks.delete(srv)
  else configFileHooks.set(srv, hook)
}

/** config.c configRewriteCommand. */
function configRewriteCommand(c: CommandCall): Reply {
  const host = configFileHooks.get(c.srv)
  if (host === undefined) return error('ERR The server is running without a config file')
  const err = rewriteConfigFile(c.srv, host, false)
  if (err !== null) {
    host.log(`CONFIG REWRITE failed: ${err}`)
    return error(`ERR Rewriting config file: ${err}`)
  }
  host.log('CONFIG REWRITE executed with success.')
  return OK
}

function configSetCommand(c: CommandCall): Reply {
  if (c.argv.length % 2 === 1) return ERR_SYNTAX
  if (
    c.srv.loading !== null &&
    configSetDeniedWhileLoading(c.srv.config, c.argv.slice(2), c.client.local)
  )
    return error(LOADING_ERROR)
  // Every pair is looked at, errors or not, so no password reaches the slow log.
  for (let j = 2; j < c.argv.length; j += 2)
    if (SENSITIVE_CONFIGS.has(lookupConfig(c.argv[j] ?? '')?.name ?? ''))
      redactClientCommandArgument(c.srv, j + 1)
  const oldRequirepass = c.srv.config.requirepass
  const oldMaxmemory = c.srv.config.maxmemory
  const err = configSetPairs(c.srv.config, c.argv.slice(2), c.client.local, {
    nofile: c.srv.nofile,
    changeListenPort: listenHooks.get(c.srv) ?? null,
    changeBindAddr: bindHooks.get(c.srv) ?? null,
    setOomScoreAdj: oomScoreAdjHook(c.srv),
    setProcTitle: procTitleHooks.get(c.srv) ?? null,
    oomClass: oomClass(c.srv),
    updateAppendonly: () => updateAppendonly(c.srv, c.ctx, c.client.multi !== null),
    updateAofAutoGCEnabled: () => {
      updateAofAutoGCEnabled(c.srv)
      return null
    },
  })
  if (err !== null) return error(`ERR ${err}`)
  // config.c updateRequirePass, applied only when the value changed.
  if (c.srv.config.requirepass !== oldRequirepass)
    aclUpdateDefaultUserPassword(c.srv, c.srv.config.requirepass)
  // config.c updateMaxmemory (the apply function) starts the eviction time event, which
  // evicts down to the new limit once this command is done (server.ts runs it after each
  // command; inside EXEC that is after EXEC: the queued commands after this one still see
  // every key).
  const sets = (name: string): boolean =>
    c.argv.some((a, i) => i >= 2 && i % 2 === 0 && lookupConfig(a)?.name === name)
  // config.c applyClientMaxMemoryUsage.
  if (sets('maxmemory-clients')) applyClientMaxMemoryUsage(c.srv)
  // (An apply function runs only when its value changed.)
  if (c.srv.config.maxmemory !== oldMaxmemory && c.srv.config.maxmemory !== 0) {
    const used = zmallocUsedMemory(c.srv)
    if (c.srv.config.maxmemory < used)
      serverLog(
        c.srv,
        'warning',
        `WARNING: the new maxmemory value set via CONFIG SET (${String(c.srv.config.maxmemory)}) is smaller than the current memory usage (${String(used)}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      )
    startEvictionTimeProc(c.srv)
  }
  return OK
}

/** server.c resetServerStats + resetCommandTableStats + resetErrorTableStats. */
export function resetServerStats(srv: ServerState): void {
  srv.stats = createStats(Math.floor(srv.clock.now()))
  // stat_rdb_saves lives on the server here, not in stats.
  srv.rdbSaves = 0
}

// --- COMMAND ---

/** server.c addReplyCommandKeySpecs, one spec: a map (flat in RESP2) of maps. */
function keySpecReply(ks: KeySpec, resp: Protocol): Reply {
  const map = (flat: Reply[]): Reply => mapReply(resp, flat)
  const flags = setReply(resp, ks.flags.map(simple))
  const bs: Reply =
    ks.begin_search.type === 'index'
      ? map([
          bulk('type'),
          bulk('index'),
          bulk('spec'),
          map([bulk('index'), integer(ks.begin_search.index)]),
        ])
      : ks.begin_search.type === 'keyword'
        ? map([
            bulk('type'),
            bulk('keyword'),
            bulk('spec'),
            map([
              bulk('keyword'),
              bulk(ks.begin_search.keyword),
              bulk('startfrom'),
              integer(ks.begin_search.startfrom),
            ]),
          ])
        : map([bulk('type'), bulk('unknown'), bulk('spec'), map([])])
  const fk = ks.find_keys
  const fkr: Reply =
    fk.type === 'range'
      ? map([
          bulk('type'),
          bulk('range'),
          bulk('spec'),
          map([
            bulk('lastkey'),
            integer(fk.lastkey),
            bulk('keystep'),
            integer(fk.keystep),
            bulk('limit'),
            integer(fk.limit),
          ]),
        ])
      : fk.type === 'keynum'
        ? map([
            bulk('type'),
            bulk('keynum'),
            bulk('spec'),
            map([
              bulk('keynumidx'),
              integer(fk.keynumidx),
              bulk('firstkey'),
              integer(fk.firstkey),
              bulk('keystep'),
              integer(fk.keystep),
            ]),
          ])
        : map([bulk('type'), bulk('unknown'), bulk('spec'), map([])])
  const out: Reply[] = []
  if (ks.notes !== undefined) out.push(bulk('notes'), bulk(ks.notes))
  out.push(bulk('flags'), flags, bulk('begin_search'), bs, bulk('find_keys'), fkr)
  return map(out)
}

/** server.c addReplyCommandInfo. */
export function commandInfoReply(
  cmd: CommandSpec,
  parent: CommandSpec | null,
  resp: Protocol = 2,
): Reply {
  const fullname = parent === null ? cmd.name : `${parent.name}|${cmd.name}`
  const shownFlags = cmd.flags.filter(
    (f) => f !== 'may_replicate' && f !== 'sentinel' && f !== 'only_sentinel' && f !== 'protected',
  )
  return array([
    bulk(fullname),
    integer(cmd.arity),
    setReply(resp, shownFlags.map(simple)),
    integer(cmd.firstKey),
    integer(cmd.lastKey),
    integer(cmd.step),
    setReply(
      resp,
      cmd.aclCategories.map((a) => simple(`@${a}`)),
    ),
    setReply(resp, (cmd.tips ?? []).map(bulk)),
    setReply(
      resp,
      (cmd.keySpecs ?? []).map((ks) => keySpecReply(ks, resp)),
    ),
    // addReplyCommandSubCommands: an empty set when there are none, else an array.
    cmd.subcommands === undefined
      ? setReply(resp, [])
      : array(cmd.subcommands.map((s) => commandInfoReply(s, cmd, resp))),
  ])
}

function argFlags(a: CommandArg): string[] {
  if (a.flags !== undefined) return [...a.flags]
  const f: string[] = []
  if (a.optional === true) f.push('optional')
  if (a.multiple === true) f.push('multiple')
  if (a.multipleToken === true) f.push('multiple_token')
  return f
}

function argListReply(args: readonly CommandArg[], resp: Protocol): Reply {
  return array(
    args.map((a) => {
      const out: Reply[] = [bulk('name'), bulk(a.name), bulk('type'), bulk(a.type)]
      if (a.key_spec_index !== undefined)
        out.push(bulk('key_spec_index'), integer(a.key_spec_index))
      if (a.token !== undefined) out.push(bulk('token'), bulk(a.token))
      if (a.summary !== undefined) out.push(bulk('summary'), bulk(a.summary))
      if (a.since !== undefined) out.push(bulk('since'), bulk(a.since))
      if (a.deprecated_since !== undefined)
        out.push(bulk('deprecated_since'), bulk(a.deprecated_since))
      const flags = argFlags(a)
      if (flags.length > 0) out.push(bulk('flags'), setReply(resp, flags.map(simple)))
      const sub = a.arguments ?? a.args
      if (a.type === 'oneof' || a.type === 'block')
        out.push(bulk('arguments'), argListReply(sub ?? [], resp))
      return mapReply(resp, out)
    }),
  )
}

/** server.c addReplyCommandDocs. */
export function commandDocsReply(cmd: CommandSpec, resp: Protocol = 2): Reply {
  const out: Reply[] = []
  out.push(bulk('summary'), bulk(cmd.summary), bulk('since'), bulk(cmd.since))
  out.push(bulk('group'), bulk(cmd.group))
  if (cmd.complexity !== undefined) out.push(bulk('complexity'), bulk(cmd.complexity))
  if (cmd.docFlags !== undefined && cmd.docFlags.length > 0)
    out.push(bulk('doc_flags'), setReply(resp, cmd.docFlags.map(simple)))
  if (cmd.deprecatedSince !== undefined)
    out.push(bulk('deprecated_since'), bulk(cmd.deprecatedSince))
  if (cmd.replacedBy !== undefined) out.push(bulk('replaced_by'), bulk(cmd.replacedBy))
  if (cmd.history !== undefined)
    out.push(
      bulk('history'),
      setReply(
        resp,
        cmd.history.map(([v, t]) => bulkArray([v, t])),
      ),
    )
  if (cmd.arguments !== undefined) out.push(bulk('arguments'), argListReply(cmd.arguments, resp))
  if (cmd.subcommands !== undefined) {
    const subs: Reply[] = []
    for (const s of cmd.subcommands)
      subs.push(bulk(`${cmd.name}|${s.name}`), commandDocsReply(s, resp))
    out.push(bulk('subcommands'), mapReply(resp, subs))
  }
  return mapReply(resp, out)
}

/** Looks up 'get' or 'config|get' (server.c lookupCommandBySds). */
function lookupByFullName(
  srv: ServerState,
  name: string,
): { cmd: CommandSpec; parent: CommandSpec | null } | null {
  const lower = name.toLowerCase()
  const bar = lower.indexOf('|')
  if (bar < 0) {
    const cmd = srv.commands.map.get(lower)
    return cmd === undefined ? null : { cmd, parent: null }
  }
  const parent = srv.commands.map.get(lower.slice(0, bar))
  const cmd = parent?.subcommands?.find((s) => s.name === lower.slice(bar + 1))
  return parent === undefined || cmd === undefined ? null : { cmd, parent }
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
]

function commandListCommand(c: CommandCall): Reply {
  const { argv, srv } = c
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: string } | null = null
  for (let i = 2; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i
    if (eqIgnoreCase(argv[i], 'filterby') && moreargs === 2) {
      const t = cstr(argv[i + 1] ?? '').toLowerCase()
      if (t !== 'module' && t !== 'aclcat' && t !== 'pattern') return ERR_SYNTAX
      filter = { type: t, arg: argv[i + 2] ?? '' }
      i += 2
    } else {
      return ERR_SYNTAX
    }
  }
  const names: string[] = []
  const keep = (cmd: CommandSpec, fullname: string): boolean => {
    if (filter === null) return true
    if (filter.type === 'module') return false
    if (filter.type === 'aclcat')
      return cmd.aclCategories.some((a) => a === filter.arg.toLowerCase())
    return stringmatchlen(filter.arg, fullname, true)
  }
  for (const cmd of srv.commands.list) {
    if (keep(cmd, cmd.name)) names.push(cmd.name)
    // commandListWithoutFilter recurses into subcommands_dict too.
    for (const s of cmd.subcommands ?? []) {
      const full = `${cmd.name}|${s.name}`
      if (keep(s, full)) names.push(full)
    }
  }
  return bulkArray(names)
}

/** One key found in argv: its position and its key-spec flags (keyReference). */
export interface KeyReference {
  readonly pos: number
  readonly flags: readonly string[]
}

/** db.c getKeysUsingKeySpecs: key positions and flags, or null for an invalid spec. */
export function getKeysUsingKeySpecs(
  cmd: CommandSpec,
  argv: readonly string[],
): KeyReference[] | null {
  const argc = argv.length
  const keys: KeyReference[] = []
  for (const spec of cmd.keySpecs ?? []) {
    if (spec.flags.includes('not_key')) continue
    let first = 0
    const bs = spec.begin_search
    if (bs.type === 'index') first = bs.index
    else if (bs.type === 'keyword') {
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom
      const end = bs.startfrom > 0 ? argc - 1 : 1
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break
        if ((argv[i] ?? '').toLowerCase() === bs.keyword.toLowerCase()) {
          first = i + 1
          break
        }
      }
      if (first === 0) continue
    } else return null
    let last: number
    let step: number
    const fk = spec.find_keys
    if (fk.type === 'range') {
      step = fk.keystep
      if (fk.lastkey >= 0) last = first + fk.lastkey
      else if (fk.limit === 0) last = argc + fk.lastkey
      else last = first + (Math.floor((argc - first) / fk.limit) + fk.lastkey)
    } else if (fk.type === 'keynum') {
      step = fk.keystep
      if (fk.keynumidx >= argc) return null
      const n = string2ll(argv[first + fk.keynumidx] ?? '')
      if (n === null || n < 0n) return null
      first += fk.firstkey
      // Redis adds (int)numkeys: a count past 32 bits wraps.
      last = first + Number(BigInt.asIntN(32, n)) - 1
    } else return null
    if (last >= argc || last < first || first >= argc) return null
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) continue
      keys.push({ pos: i, flags: spec.flags })
    }
    if (spec.flags.includes('incomplete')) return null
  }
  return keys
}

/** C atoi (glibc: (int)strtol): leading blanks, a sign, digits; 0 when none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  if (m === null) return 0
  let n = BigInt(m[1] as string)
  if (n > 9223372036854775807n) n = 9223372036854775807n
  if (n < -9223372036854775808n) n = -9223372036854775808n
  return Number(BigInt.asIntN(32, n))
}

/**
 * db.c genericGetKeys: `num` keys from argv[keyCountOfs] (read by atoi) starting at
 * firstKeyOfs, then the store key; none when the count is out of range. No flags.
 */
function genericGetKeys(
  storeKeyOfs: number,
  keyCountOfs: number,
  firstKeyOfs: number,
  argv: readonly string[],
): KeyReference[] {
  const num = atoi(argv[keyCountOfs] ?? '')
  if (num < 1 || num > argv.length - firstKeyOfs) return []
  const keys: KeyReference[] = []
  for (let i = 0; i < num; i++) keys.push({ pos: firstKeyOfs + i, flags: [] })
  if (storeKeyOfs !== 0) keys.push({ pos: storeKeyOfs, flags: [] })
  return keys
}

const RO_ACCESS = ['RO', 'access']

/** db.c sortGetKeys: the sort key, and the last STORE's key (options skip their arguments). */
function sortGetKeys(argv: readonly string[]): KeyReference[] {
  const keys: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }]
  const skip: Readonly<Record<string, number>> = { limit: 2, get: 1, by: 1 }
  let store: KeyReference | null = null
  for (let i = 2; i < argv.length; i++) {
    const arg = cstr(argv[i] ?? '').toLowerCase()
    const n = skip[arg]
    if (n !== undefined) i += n
    else if (arg === 'store' && i + 1 < argv.length) store = { pos: i + 1, flags: ['OW', 'update'] }
  }
  if (store !== null) keys.push(store)
  return keys
}

/** db.c georadiusGetKeys: the key and the last STORE / STOREDIST key. No flags. */
function georadiusGetKeys(argv: readonly string[]): KeyReference[] {
  let stored = -1
  for (let i = 5; i < argv.length; i++) {
    const arg = cstr(argv[i] ?? '').toLowerCase()
    if ((arg === 'store' || arg === 'storedist') && i + 1 < argv.length) {
      stored = i + 1
      i++
    }
  }
  const keys: KeyReference[] = [{ pos: 1, flags: [] }]
  if (stored !== -1) keys.push({ pos: stored, flags: [] })
  return keys
}

/** db.c xreadGetKeys: the keys after STREAMS (half of what follows). No flags. */
function xreadGetKeys(argv: readonly string[]): KeyReference[] {
  let streamsPos = -1
  for (let i = 1; i < argv.length; i++) {
    const arg = cstr(argv[i] ?? '').toLowerCase()
    if (arg === 'block' || arg === 'count') i++
    else if (arg === 'group') i += 2
    else if (arg === 'noack') continue
    else {
      if (arg === 'streams') streamsPos = i
      break
    }
  }
  const num = streamsPos === -1 ? 0 : argv.length - streamsPos - 1
  if (streamsPos === -1 || num === 0 || num % 2 !== 0) return []
  const keys: KeyReference[] = []
  for (let i = streamsPos + 1; i < argv.length - num / 2; i++) keys.push({ pos: i, flags: [] })
  return keys
}

/**
 * db.c setGetKeys: SET's key spec has variable flags, so Redis asks this proc: OW|update,
 * or RW|access|update when a GET option follows the value.
 */
export function setGetKeys(argv: readonly string[]): KeyReference[] {
  for (let i = 3; i < argv.length; i++)
    if (cstr(argv[i] ?? '').toLowerCase() === 'get')
      return [{ pos: 1, flags: ['RW', 'access', 'update'] }]
  return [{ pos: 1, flags: ['OW', 'update'] }]
}

/** db.c bitfieldGetKeys: RO|access while only GET / OVERFLOW are well formed, else RW. */
function bitfieldGetKeys(argv: readonly string[]): KeyReference[] {
  let readonly = true
  for (let i = 2; i < argv.length; i++) {
    const remargs = argv.length - i - 1
    const arg = cstr(argv[i] ?? '').toLowerCase()
    if (arg === 'get' && remargs >= 2) i += 2
    else if ((arg === 'set' || arg === 'incrby') && remargs >= 3) {
      readonly = false
      break
    } else if (arg === 'overflow' && remargs >= 1) i += 1
    else {
      readonly = false
      break
    }
  }
  return [{ pos: 1, flags: readonly ? RO_ACCESS : ['RW', 'access', 'update'] }]
}

type GetKeysProc = (argv: readonly string[]) => KeyReference[]

const numkeysAt1: GetKeysProc = (argv) => genericGetKeys(0, 1, 2, argv)
const numkeysAt2: GetKeysProc = (argv) => genericGetKeys(0, 2, 3, argv)
const storeNumkeys: GetKeysProc = (argv) => genericGetKeys(1, 2, 3, argv)

/** commands.c's getkeys_proc of each command that has one (Redis asks it after the key specs). */
const GETKEYS_PROCS: Readonly<Record<string, GetKeysProc>> = {
  bitfield: bitfieldGetKeys,
  sort: sortGetKeys,
  sort_ro: () => [{ pos: 1, flags: RO_ACCESS }],
  georadius: georadiusGetKeys,
  georadiusbymember: georadiusGetKeys,
  blmpop: numkeysAt2,
  bzmpop: numkeysAt2,
  lmpop: numkeysAt1,
  zmpop: numkeysAt1,
  eval: numkeysAt2,
  evalsha: numkeysAt2,
  evalsha_ro: numkeysAt2,
  eval_ro: numkeysAt2,
  fcall: numkeysAt2,
  fcall_ro: numkeysAt2,
  sintercard: numkeysAt1,
  zdiff: numkeysAt1,
  zinter: numkeysAt1,
  zintercard: numkeysAt1,
  zunion: numkeysAt1,
  zdiffstore: storeNumkeys,
  zinterstore: storeNumkeys,
  zunionstore: storeNumkeys,
  xread: xreadGetKeys,
  xreadgroup: xreadGetKeys,
  set: setGetKeys,
  migrate: migrateGetKeys,
}

/**
 * db.c migrateGetKeys: the key at 3, or with a KEYS option (after COPY, REPLACE, AUTH x,
 * AUTH2 x y) every argument after it, none if the key at 3 is not empty (a syntax error
 * MIGRATE reports itself).
 */
function migrateGetKeys(argv: readonly string[]): KeyReference[] {
  let first = 3
  let num = 1
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const arg = (argv[i] ?? '').toLowerCase()
      if (arg === 'keys') {
        if ((argv[3] ?? '').length > 0) num = 0
        else {
          first = i + 1
          num = argv.length - first
        }
        break
      }
      if (arg === 'auth') i += 1
      else if (arg === 'auth2') i += 2
    }
  }
  const keys: KeyReference[] = []
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: ['RW', 'access', 'delete'] })
  return keys
}

/**
 * db.c getKeysFromCommandWithSpecs: the key specs when one names keys and none has variable
 * flags, unless they fail (an invalid or incomplete spec); else the getkeys proc of the
 * command (`fullname`: 'sort', 'config|get'), else none.
 */
export function getKeysFromCommandWithSpecs(
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): KeyReference[] {
  const specs = cmd.keySpecs ?? []
  if (
    specs.some((k) => !k.flags.includes('not_key')) &&
    !specs.some((k) => k.flags.includes('variable_flags'))
  ) {
    const keys = getKeysUsingKeySpecs(cmd, argv)
    if (keys !== null) return keys
  }
  const proc = GETKEYS_PROCS[fullname]
  return proc === undefined ? [] : proc(argv)
}

/**
 * db.c getKeysFromCommand, what client tracking remembers of a command it ran: the command's
 * getkeys proc when it has one (so an XREAD with an odd count of names after STREAMS names
 * none, whatever its key spec finds), else its legacy (first, last, step) range, the one
 * COMMAND INFO reports (getKeysUsingLegacyRangeSpec: none when the range runs past argc).
 */
export function getKeysFromCommand(
  srv: ServerState,
  cmd: CommandSpec,
  argv: readonly string[],
): KeyReference[] {
  const topLevel = srv.commands.map.get((argv[0] ?? '').toLowerCase()) === cmd
  const proc = topLevel ? GETKEYS_PROCS[cmd.name] : undefined
  if (proc !== undefined) return proc(argv)
  if (cmd.firstKey === 0) return []
  const first = cmd.firstKey
  const last = cmd.lastKey < 0 ? argv.length + cmd.lastKey : cmd.lastKey
  const keys: KeyReference[] = []
  for (let j = first; j <= last; j += Math.max(1, cmd.step)) {
    if (j >= argv.length) return []
    keys.push({ pos: j, flags: [] })
  }
  return keys
}

/**
 * The keys `args` (a full command line) names, as COMMAND GETKEYS finds them (db.c
 * getKeysFromCommandWithSpecs: the key specs when they are complete and their flags fixed,
 * else the command's getkeys proc): a reason string when there are none to find.
 */
export function commandKeyReferences(
  srv: ServerState,
  args: readonly string[],
): KeyReference[] | 'invalid-command' | 'no-keys' | 'arity' | 'invalid-arguments' {
  const base = srv.commands.map.get((args[0] ?? '').toLowerCase())
  const cmd =
    base?.subcommands !== undefined && args.length >= 2
      ? base.subcommands.find((s) => s.name === (args[1] ?? '').toLowerCase())
      : base
  if (cmd === undefined) return 'invalid-command'
  const fullname = cmd === base ? cmd.name : ''
  const hasKeySpec = (cmd.keySpecs ?? []).some((k) => !k.flags.includes('not_key'))
  if (GETKEYS_PROCS[fullname] === undefined && !hasKeySpec) return 'no-keys'
  if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity) return 'arity'
  const keys = getKeysFromCommandWithSpecs(cmd, fullname, args)
  if (keys.length === 0) {
    return cmd.flags.includes('no_mandatory_keys') ? [] : 'invalid-arguments'
  }
  return keys
}

/** server.c getKeysSubcommandImpl (COMMAND GETKEYS / GETKEYSANDFLAGS). */
function getKeysSubcommand(c: CommandCall, withFlags: boolean): Reply {
  const args = c.argv.slice(2)
  const keys = commandKeyReferences(c.srv, args)
  switch (keys) {
    case 'invalid-command':
      return error('ERR Invalid command specified')
    case 'no-keys':
      return error('ERR The command has no key arguments')
    case 'arity':
      return error('ERR Invalid number of arguments specified for command')
    case 'invalid-arguments':
      return error('ERR Invalid arguments specified for command')
  }
  if (keys.length === 0) return EMPTY_ARRAY
  return array(
    keys.map((k) =>
      withFlags
        ? array([bulk(args[k.pos] ?? ''), setReply(c.client.resp, k.flags.map(simple))])
        : bulk(args[k.pos] ?? ''),
    ),
  )
}

const commandCommand = defineCommand(
  'command',
  (c) => array(c.srv.commands.list.map((s) => commandInfoReply(s, null, c.client.resp))),
  [
    defineSubcommand('command', 'count', (c) => integer(c.srv.commands.list.length)),
    defineSubcommand('command', 'info', (c) => {
      if (c.argv.length === 2)
        return array(c.srv.commands.list.map((s) => commandInfoReply(s, null, c.client.resp)))
      return array(
        c.argv.slice(2).map((n) => {
          const found = lookupByFullName(c.srv, n)
          return found === null ? NIL : commandInfoReply(found.cmd, found.parent, c.client.resp)
        }),
      )
    }),
    defineSubcommand('command', 'docs', (c) => {
      const out: Reply[] = []
      if (c.argv.length === 2) {
        for (const s of c.srv.commands.list)
          out.push(bulk(s.name), commandDocsReply(s, c.client.resp))
      } else {
        for (const n of c.argv.slice(2)) {
          const found = lookupByFullName(c.srv, n)
          if (found === null) continue
          const full =
            found.parent === null ? found.cmd.name : `${found.parent.name}|${found.cmd.name}`
          out.push(bulk(full), commandDocsReply(found.cmd, c.client.resp))
        }
      }
      return mapReply(c.client.resp, out)
    }),
    defineSubcommand('command', 'list', commandListCommand),
    defineSubcommand('command', 'getkeys', (c) => getKeysSubcommand(c, false)),
    defineSubcommand('command', 'getkeysandflags', (c) => getKeysSubcommand(c, true)),
    defineSubcommand('command', 'help', () => helpReply('command', COMMAND_HELP)),
  ],
)

// --- TIME, DBSIZE, FLUSH*, SAVE ---

function timeCommand(c: CommandCall): Reply {
  // TIME reads the clock (ustime), not the frozen command time.
  const us = ustime(c.ctx.clock)
  return bulkArray([String(Math.floor(us / 1e6)), String(us % 1e6)])
}

/** db.c getFlushCommandFlags: null for a syntax error, else whether it is async. */
function flushAsync(c: CommandCall): boolean | null {
  if (c.argv.length > 2) return null
  if (c.argv.length === 2) {
    if (eqIgnoreCase(c.argv[1], 'sync')) return false
    if (eqIgnoreCase(c.argv[1], 'async')) return true
    return null
  }
  return c.srv.config.lazyfreeLazyUserFlush
}

function flushdbCommand(c: CommandCall): Reply {
  const async = flushAsync(c)
  if (async === null) return ERR_SYNTAX
  const removed = emptyData(c.srv, c.ctx, c.client.db, async)
  if (async) emptyDbAsyncFreed(c.srv, removed)
  c.srv.dirty += removed
  // Propagated even when the db was already empty (forceCommandPropagation).
  forceCommandPropagation(c.srv)
  return OK
}

function flushallCommand(c: CommandCall): Reply {
  const async = flushAsync(c)
  if (async === null) return ERR_SYNTAX
  const { srv } = c
  const removed = emptyData(srv, c.ctx, -1, async)
  if (async) emptyDbAsyncFreed(srv, removed)
  srv.dirty += removed
  // flushAllDataAndResetRDB: kill a saving child, and with save points configured save the
  // (empty) dataset at once.
  if (srv.child !== null) killRDBChild(srv)
  if (saveParamsConfigured(srv)) rdbSave(srv, c.ctx)
  // 7.0 propagates FLUSHALL with forceCommandPropagation: no extra dirty++ (older versions).
  forceCommandPropagation(srv)
  return OK
}

/** rdb.c bgsaveCommand: start the child (rdb.ts rdbSaveBackground). */
function bgsaveCommand(c: CommandCall): Reply {
  if (c.argv.length > 2 || (c.argv.length === 2 && !eqIgnoreCase(c.argv[1], 'schedule')))
    return ERR_SYNTAX
  const { srv } = c
  if (srv.child?.type === 'rdb') return error('ERR Background save already in progress')
  // With an AOF rewrite running, or inside EXEC (server.in_exec), the save is only scheduled
  // (BGSAVE SCHEDULE): no fork inside a transaction, one child at a time.
  if (srv.child !== null || c.client.multi !== null) {
    if (c.argv.length === 2 || c.client.multi !== null) {
      srv.bgsaveScheduled = true
      return simple('Background saving scheduled')
    }
    return error(
      "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    )
  }
  if (!rdbSaveBackground(srv, c.ctx)) return error('ERR')
  return simple('Background saving started')
}

function saveCommand(c: CommandCall): Reply {
  if (c.srv.child?.type === 'rdb') return error('ERR Background save already in progress')
  // stat_rdb_saves is counted by saveCommand and rdbSaveBackground only (not FLUSHALL's).
  c.srv.rdbSaves++
  // The image stands for dump.rdb: DEBUG RELOAD NOSAVE loads it back. shared.err when the
  // host could not write the file.
  return rdbSave(c.srv, c.ctx) === null ? error('ERR') : OK
}

// --- DEBUG ---

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
]

/** debug.c DEBUG POPULATE (its work runs as a job, so the worker can slice it: sliced.ts). */
function debugPopulate(c: CommandCall): Reply {
  return runCommandJob(c, debugPopulateJob)
}

/** DEBUG POPULATE as a resumable job: one unit per key, key:0 upwards. */
function debugPopulateJob(c: CommandCall): CommandJob {
  const { argv, srv, ctx, db } = c
  const keys = getPositiveLongOrReply(argv[2] ?? '')
  if (typeof keys === 'object') return finishedJob(keys)
  dictExpand(ctx, db.dict, Number(keys))
  let valsize = 0n
  if (argv.length === 5) {
    const v = getPositiveLongOrReply(argv[4] ?? '')
    if (typeof v === 'object') return finishedJob(v)
    valsize = v
  }
  const prefix = argv.length === 3 ? 'key' : cString(argv[3] ?? '')
  const n = Number(keys)
  let j = 0
  return {
    total: n,
    done: () => j,
    step: (units) => {
      const end = Math.min(n, j + units)
      for (; j < end; j++) {
        const key = `${prefix}:${String(j)}`
        if (lookupKeyWrite(srv, ctx, db, key) !== null) continue
        const buf = `value:${String(j)}`
        let value = buf
        if (valsize !== 0n) {
          const size = Number(valsize)
          value = size <= buf.length ? buf.slice(0, size) : buf + '\0'.repeat(size - buf.length)
        }
        dbAdd(ctx, db, key, createStringObject(srv, value), srv)
        // signalModifiedKey, but DEBUG POPULATE does not count as writes (dirty stays).
        touchWatchedKey(srv, ctx, db, key)
        if (srv.tracking !== null) trackingInvalidateKey(srv, ctx, c.client, key, true)
      }
      return j >= n ? OK : null
    },
  }
}

registerCommandJob('debug', (argv) =>
  cstr(argv[1] ?? '').toLowerCase() === 'populate' && argv.length >= 3 && argv.length <= 5
    ? debugPopulateJob
    : null,
)

/** A C string: bytes up to the first NUL (what %s prints). */
function cString(s: string): string {
  const nul = s.indexOf('\0')
  return nul < 0 ? s : s.slice(0, nul)
}

const fakeAddresses = new WeakMap<RedisObject, number>()
const FIRST_FAKE_ADDRESS = 0x7f0000000000
let nextFakeAddress = FIRST_FAKE_ADDRESS

function fakeAddress(o: RedisObject): string {
  let a = fakeAddresses.get(o)
  if (a === undefined) {
    a = nextFakeAddress
    nextFakeAddress += 0x40
    fakeAddresses.set(o, a)
  }
  return `0x${a.toString(16)}`
}

/** Gives the values of a cloned server the DEBUG OBJECT addresses of their originals. */
export function debugCloneState(from: ServerState, to: ServerState, copier: Copier): void {
  if (nextFakeAddress === FIRST_FAKE_ADDRESS) return
  from.dbs.forEach((db, i) => {
    const copy = to.dbs[i]
    if (copy !== undefined)
      copier.forEachPair(db.dict, copy.dict, (a, b) => {
        const address = fakeAddresses.get(a)
        if (address !== undefined) fakeAddresses.set(b, address)
      })
  })
}

/** debug.c's quicklist suffix: nodes, average fill, fill limit, compression flag, bytes. */
function quicklistDebugExtra(ql: Quicklist): string {
  let sz = 0
  for (const node of quicklistNodes(ql)) sz += node.sz
  return (
    ` ql_nodes:${String(ql.len)} ql_avg_node:${formatFixed(ql.count / ql.len, 2)}` +
    ` ql_listpack_max:${String(ql.fill)} ql_compressed:${ql.compress !== 0 ? '1' : '0'}` +
    ` ql_uncompressed_size:${String(sz)}`
  )
}

/** What DEBUG OBJECT prints for a container encoding (registered by its owner). */
export interface DebugObjectInfo {
  /** rdbSavedObjectLen. */
  readonly serializedLength: number
  /** Appended text, e.g. quicklist's " ql_nodes:1 ql_avg_node:3.00 ...". */
  readonly extra: string
}

const debugObjectInfo = new Map<ContainerEncoding, (o: ContainerObject) => DebugObjectInfo>()

/** Lets a container module describe its encoding to DEBUG OBJECT. */
export function registerDebugObjectInfo(
  encoding: ContainerEncoding,
  fn: (o: ContainerObject) => DebugObjectInfo,
): void {
  debugObjectInfo.set(encoding, fn)
}

function debugObject(c: CommandCall): Reply {
  const key = c.argv[2] ?? ''
  const o = dictFetchValue<RedisObject>(c.ctx, c.db.dict, key)
  if (o === undefined) return ERR_NO_SUCH_KEY
  const idle = Math.floor(estimateObjectIdleTime(c.srv.lruclock, o.lru) / 1000)
  const registered = o.type === 'string' ? undefined : debugObjectInfo.get(o.encoding)?.(o)
  const info: DebugObjectInfo = {
    serializedLength: rdbSavedObjectLen(c.srv, o),
    extra: registered?.extra ?? (o.type === 'list' ? quicklistDebugExtra(o.ptr as Quicklist) : ''),
  }
  return simple(
    `Value at:${fakeAddress(o)} refcount:${String(o.refcount)} encoding:${o.encoding}` +
      ` serializedlength:${String(info.serializedLength)} lru:${String(o.lru)}` +
      ` lru_seconds_idle:${String(idle)}${info.extra}`,
  )
}

/** dict.c _dictGetStatsHt. */
function dictStatsHt<V>(d: Dict<V>, t: 0 | 1): string {
  const name = t === 0 ? 'main hash table' : 'rehashing target'
  const table = d.table[t]
  if (d.used[t] === 0 || table === null)
    return `Hash table ${String(t)} stats (${name}):\nNo stats available for empty dictionaries\n`
  const VECTLEN = 50
  const clvector = new Array<number>(VECTLEN).fill(0)
  let slots = 0
  let maxchain = 0
  let totchain = 0
  for (const head of table) {
    if (head === NO_ENTRY) {
      clvector[0] = (clvector[0] ?? 0) + 1
      continue
    }
    slots++
    let len = 0
    for (let e = head; e !== NO_ENTRY; e = dictNextEntry(d, e)) len++
    const idx = len < VECTLEN ? len : VECTLEN - 1
    clvector[idx] = (clvector[idx] ?? 0) + 1
    if (len > maxchain) maxchain = len
    totchain += len
  }
  const size = table.length
  let out =
    `Hash table ${String(t)} stats (${name}):\n table size: ${String(size)}\n` +
    ` number of elements: ${String(d.used[t])}\n different slots: ${String(slots)}\n` +
    ` max chain length: ${String(maxchain)}\n` +
    ` avg chain length (counted): ${formatFixed(Math.fround(totchain / slots), 2)}\n` +
    ` avg chain length (computed): ${formatFixed(Math.fround(d.used[t] / slots), 2)}\n` +
    ' Chain length distribution:\n'
  for (let i = 0; i < VECTLEN - 1; i++) {
    const n = clvector[i] ?? 0
    if (n === 0) continue
    out += `   ${String(i)}: ${String(n)} (${formatFixed(Math.fround(Math.fround(n / size) * 100), 2)}%)\n`
  }
  return out
}

/** dict.c dictGetStats. */
export function dictGetStats<V>(d: Dict<V>): string {
  let out = dictStatsHt(d, 0)
  if (d.rehashIdx !== -1) out += dictStatsHt(d, 1)
  return out
}

/** debug.c DEBUG SDSLEN: the key's and the value's sds lengths, free space and allocation. */
function debugSdslen(c: CommandCall): Reply {
  const key = c.argv[2] ?? ''
  const o = dictFetchValue<RedisObject>(c.ctx, c.db.dict, key)
  if (o === undefined) return ERR_NO_SUCH_KEY
  if (o.type !== 'string' || o.encoding === 'int') return error('ERR Not an sds encoded string.')
  // Keys are sdsdup'ed into the dict: exact-size sds (sdshdr5 below 32 bytes).
  const keySds = sdsNewLen(key)
  const keyExact = { ...keySds, alloc: key.length }
  // getStringObjectSdsUsedMemory: embstr counts its single allocation minus the robj.
  const val = stringObjectSds(o)
  const valMem =
    o.encoding === 'embstr' ? embstrZmallocSize(val.buf.length) - SIZEOF_ROBJ : sdsZmallocSize(val)
  return simple(
    `key_sds_len:${String(key.length)}, key_sds_avail:0, key_zmalloc: ${String(sdsZmallocSize(keyExact))}, ` +
      `val_sds_len:${String(val.buf.length)}, val_sds_avail:${String(val.alloc - val.buf.length)}, ` +
      `val_zmalloc: ${String(valMem)}`,
  )
}

function debugHtstats(c: CommandCall): Reply {
  const id = getLongOrReply(c.argv[2] ?? '')
  if (typeof id === 'object') return id
  const db: RedisDb | undefined = c.srv.dbs[Number(id)]
  if (id < 0n || db === undefined) return error('ERR Out of range database')
  return verbatimReply(
    c.client.resp,
    `[Dictionary HT]\n${dictGetStats(db.dict)}[Expires HT]\n${dictGetStats(db.expires)}`,
  )
}

/** debug.c DEBUG HTSTATS-KEY: dictGetStats of a hashtable set/hash or a skiplist zset's dict. */
function debugHtstatsKey(c: CommandCall): Reply {
  const o = objectLookup(c)
  if (o === null) return ERR_NO_SUCH_KEY
  const resp = c.client.resp
  if (o.encoding === 'skiplist') return verbatimReply(resp, dictGetStats((o.ptr as Zset).dict))
  if (o.encoding === 'hashtable')
    return verbatimReply(resp, dictGetStats(o.ptr as Dict<string | null>))
  return error('ERR The value stored at the specified key is not represented using an hash table')
}

/**
 * debug.c DEBUG LISTPACK / DEBUG QUICKLIST: Redis prints the structure on its stdout and
 * answers a status line (or says the key has another encoding).
 */
function debugRepr(c: CommandCall, encoding: 'listpack' | 'quicklist'): Reply {
  const o = objectLookup(c)
  if (o === null) return ERR_NO_SUCH_KEY
  if (o.encoding !== encoding) return error(`ERR Not a ${encoding} encoded object.`)
  // quicklistRepr with `full` decompresses every node to print it and leaves it raw.
  if (encoding === 'quicklist' && atoi(c.argv[3] ?? '') !== 0)
    quicklistReprFull(c.ctx, o.ptr as Quicklist, c.argv[2] ?? '')
  return simple(
    encoding === 'listpack'
      ? 'Listpack structure printed on stdout'
      : 'Quicklist structure printed on stdout',
  )
}

/** CONFIG GET's text for a parameter. */
function configValue(c: CommandCall, name: string): string {
  const p = lookupConfig(name)
  return p === undefined ? '' : configGetValue(c.srv.config, p)
}

/** debug.c DEBUG REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1>. */
/** debug.c DEBUG REPLYBUFFER PEAK-RESET-TIME <never|reset|ms> and RESIZING <0|1>. */
function debugReplybuffer(srv: ServerState, argv: readonly string[]): Reply {
  const value = argv[3] ?? ''
  if (eqIgnoreCase(argv[2], 'peak-reset-time')) {
    if (eqIgnoreCase(value, 'never')) srv.replyBufferPeakResetTime = -1
    else if (eqIgnoreCase(value, 'reset'))
      srv.replyBufferPeakResetTime = REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME
    else {
      const ms = getLongOrReply(value)
      if (typeof ms === 'object') return ms
      srv.replyBufferPeakResetTime = Number(ms)
    }
    return OK
  }
  if (eqIgnoreCase(argv[2], 'resizing')) {
    srv.replyBufferResizingEnabled = atoi(value) !== 0
    return OK
  }
  return error(
    `ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1] ?? '').slice(0, 128)}'. Try DEBUG HELP.`,
  )
}

function debugCommand(c: CommandCall): Reply {
  const { argv } = c
  // strcasecmp on the subcommand: it ends at a NUL byte.
  const sub = cstr(argv[1] ?? '').toLowerCase()
  const argc = argv.length
  if (sub === 'help' && argc === 2) return helpReply('debug', DEBUG_HELP)
  if (sub === 'segfault' || sub === 'panic' || sub === 'assert') {
    // Logged where the host can then die; the reply is never written there.
    debugCrash(c.srv, c.ctx, c.client, argv, { kind: sub })
    return crashNotModelled(sub === 'segfault' ? 'SEGFAULT' : sub === 'panic' ? 'PANIC' : 'ASSERT')
  }
  if (sub === 'populate' && argc >= 3 && argc <= 5) return debugPopulate(c)
  if (sub === 'object' && argc === 3) return debugObject(c)
  if (sub === 'htstats' && argc === 3) return debugHtstats(c)
  if (sub === 'htstats-key' && argc === 3) return debugHtstatsKey(c)
  if (sub === 'sdslen' && argc === 3) return debugSdslen(c)
  if (sub === 'listpack' && argc === 3) return debugRepr(c, 'listpack')
  if (sub === 'quicklist' && (argc === 3 || argc === 4)) return debugRepr(c, 'quicklist')
  if (sub === 'quicklist-packed-threshold' && argc === 3) {
    const sz = memtoull(argv[2] ?? '')
    if (sz === null || !listSetPackedThreshold(c.srv, sz))
      return error('ERR argument must be a memory value bigger than 1 and smaller than 4gb')
    return OK
  }
  if (sub === 'reload') {
    const err = debugReload(c.srv, c.ctx, argv.slice(2))
    if (err !== null) return error(err)
    rdbLogWarning(c.srv, 'DB reloaded by DEBUG RELOAD')
    return OK
  }
  if (sub === 'loadaof') {
    const err = debugLoadAof(c.srv, c.ctx)
    return err === null ? OK : error(err)
  }
  if (sub === 'set-skip-checksum-validation' && argc === 3) {
    c.srv.skipChecksumValidation = atoi(argv[2] ?? '') !== 0
    return OK
  }
  if (sub === 'pause-cron' && argc === 3) {
    c.srv.pauseCron = atoi(argv[2] ?? '') !== 0
    return OK
  }
  if (sub === 'set-active-expire' && argc === 3) {
    // atoi(): leading digits, anything else is 0.
    c.srv.activeExpireEnabled = atoi(argv[2] ?? '') !== 0
    return OK
  }
  if (sub === 'digest' && argc === 2) return simple(computeDatasetDigest(c.ctx, c.srv))
  if (sub === 'digest-value' && argc >= 2)
    return array(argv.slice(2).map((k) => simple(digestValue(c.ctx, c.db, k))))
  if (sub === 'change-repl-id' && argc === 2) {
    serverLog(c.srv, 'warning', 'Changing replication IDs after receiving DEBUG change-repl-id')
    changeReplicationId(c.srv)
    clearReplicationId2(c.srv)
    return OK
  }
  if (sub === 'replicate' && argc >= 3) {
    debugReplicate(c.srv, argv.slice(2))
    return OK
  }
  if (sub === 'log' && argc === 3) {
    serverLog(c.srv, 'warning', `DEBUG LOG: ${cstr(argv[2] ?? '')}`)
    return OK
  }
  // rewriteConfig(server.configfile, 1). Without a config file, fopen(NULL) fails with EFAULT.
  if (sub === 'config-rewrite-force-all' && argc === 2) {
    const host = configFileHooks.get(c.srv)
    const err = host === undefined ? 'Bad address' : rewriteConfigFile(c.srv, host, true)
    return err === null ? OK : error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${err}`)
  }
  // Settings of what X-Ray does not model (AOF, replicas, cluster bus, reply buffers, script
  // deny flags), and a leak: accepted as debug.c accepts them.
  if (
    ((sub === 'aof-flush-sleep' || sub === 'leak' || sub === 'set-disable-deny-scripts') &&
      argc === 3) ||
    (sub === 'replicate' && argc >= 3)
  )
    return OK
  if (sub === 'drop-cluster-packet-filter' && argc === 3) {
    const t = getLongOrReply(argv[2] ?? '')
    return typeof t === 'object' ? t : OK
  }
  if (sub === 'replybuffer' && argc === 4) return debugReplybuffer(c.srv, argv)
  if (sub === 'clusterlink' && argc === 5 && eqIgnoreCase(argv[2], 'kill'))
    return error('ERR Debug option only available for cluster mode enabled setup!')
  if (sub === 'structsize' && argc === 2)
    return bulk(
      'bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ',
    )
  if (sub === 'stringmatch-test' && argc === 2)
    return simple('Apparently Redis did not crash: test passed')
  if (sub === 'client-eviction' && argc === 2 && configValue(c, 'maxmemory-clients') === '0')
    return error('ERR maxmemory-clients is disabled.')
  if (sub === 'protocol' && argc === 3) return debugProtocol(c.client.resp, argv[2] ?? '')
  if (sub === 'sleep' && argc === 3) return debugSleep(c)
  // jemalloc's mallctl() takes the name as a C string.
  if (sub === 'mallctl' && argc >= 3)
    return debugMallctlInt([cstr(argv[2] ?? ''), ...argv.slice(3)])
  if (sub === 'mallctl-str' && argc >= 3)
    return debugMallctlStr([cstr(argv[2] ?? ''), ...argv.slice(3)])
  // "-" + the argument, newlines mapped to spaces; no "ERR " prefix.
  if (sub === 'error' && argc === 3)
    return { type: 'error', value: (argv[2] ?? '').replace(/[\r\n]/g, ' ') }
  return error(
    `unknown subcommand or wrong number of arguments for '${cstr(argv[1] ?? '').slice(0, 128)}'. Try DEBUG HELP.`,
  )
}

/**
 * DEBUG SLEEP <seconds>: debug.c reads the seconds with strtod (a prefix; junk is 0), takes
 * (long long)(seconds × 10^6) µs and nanosleeps, which returns at once for a negative time
 * (EINVAL; an infinite, NaN or too large product converts to LLONG_MIN on x86-64). The
 * server's clock lets that time pass (clock.ts sleep): the virtual clock jumps, the real one
 * blocks, and the command's duration (SLOWLOG, commandstats) includes it.
 */
function debugSleep(c: CommandCall): Reply {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(c.argv[2] ?? '')
  const usec = m === null ? 0 : Math.trunc(Number(m[1]) * 1e6)
  if (usec > 0 && usec < 2 ** 63) c.ctx.clock.sleep?.(usec / 1000)
  return OK
}

/** debug.c DEBUG PROTOCOL: one reply of each type, as the client's protocol sends it. */
function debugProtocol(resp: Protocol, name: string): Reply {
  const ints = (xs: readonly number[]): Reply[] => xs.map((x) => integer(x))
  switch (name.toLowerCase()) {
    case 'string':
      return bulk('Hello World')
    case 'integer':
      return integer(12345)
    case 'double':
      return doubleReply(resp, '3.141')
    case 'bignum':
      return bignumReply(resp, '1234567999999999999999999999999999999')
    case 'null':
      return NIL
    case 'array':
      return array(ints([0, 1, 2]))
    case 'set':
      return setReply(resp, ints([0, 1, 2]))
    case 'map':
      return mapReply(resp, [
        integer(0),
        boolReply(resp, false),
        integer(1),
        boolReply(resp, true),
        integer(2),
        boolReply(resp, false),
      ])
    case 'attrib': {
      // Attributes are not replies: a real reply follows (RESP2 gets that one only).
      const real = bulk('Some real reply following the attribute')
      if (resp === 2) return real
      const popularity = [bulk('key-popularity'), array([bulk('key:123'), integer(90)])]
      return sequence([{ type: 'attribute', value: popularity }, real])
    }
    case 'push':
      if (resp === 2) return error('ERR RESP2 is not supported by this command')
      // A push, then a real reply for clients that discard pushes.
      return sequence([
        pushReply(resp, [bulk('server-cpu-usage'), integer(42)]),
        bulk('Some real reply following the push reply'),
      ])
    case 'true':
      return boolReply(resp, true)
    case 'false':
      return boolReply(resp, false)
    case 'verbatim':
      return verbatimReply(resp, 'This is a verbatim\nstring')
    default:
      return error(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      )
  }
}

// --- MEMORY ---

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
]

function memoryUsageCommand(c: CommandCall): Reply {
  const { argv } = c
  let samples = 5
  for (let j = 3; j < argv.length; j++) {
    if (eqIgnoreCase(argv[j], 'samples') && j + 1 < argv.length) {
      const v = getLongOrReply(argv[j + 1] ?? '')
      if (typeof v === 'object') return v
      if (v < 0n) return ERR_SYNTAX
      samples = v === 0n ? 0 : Number(v)
      j++
    } else {
      return ERR_SYNTAX
    }
  }
  const n = memoryUsageOfKey(c.ctx, c.db, argv[2] ?? '', samples)
  return n === null ? NIL : integer(n)
}

// --- Table ---

// --- ROLE, SLOWLOG, LATENCY ---

/**
 * replication.c roleCommand: a master lists its offset and each replica online (address,
 * announced port, ACKed offset, as bulks); a replica shows the master it follows and its
 * link (replica.ts). The latency monitor keeps nothing here (latency-monitor-threshold is
 * 0, off, by default); the slow log is slowlog.ts.
 */
function roleCommand(c: CommandCall): Reply {
  const { srv } = c
  if (srv.repl.masterhost !== null) return replicaRoleReply(srv)
  const replicas: Reply[] = []
  for (const id of srv.repl.replicas) {
    const cl = srv.clients.get(id)
    if (cl === undefined || replicaNotOnline(srv, id)) continue
    const info = srv.repl.replicaInfo.get(id)
    replicas.push(
      array([
        bulk(info?.ip ?? cl.addr.slice(0, cl.addr.lastIndexOf(':'))),
        bulk(String(info?.listeningPort ?? 0)),
        bulk(String(info?.ackOff ?? 0)),
      ]),
    )
  }
  return array([bulk('master'), integer(srv.repl.masterReplOffset), array(replicas)])
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
]

/**
 * slowlog.c SLOWLOG GET [count]: count ≥ -1 (-1 = all), then the newest `count` entries, each
 * [id, time, duration, argv, peer id, client name].
 */
function slowlogGetCommand(c: CommandCall): Reply {
  // The table lets any count of arguments through (arity -2); slowlogCommand takes 2 or 3.
  if (c.argv.length > 3)
    return error(
      `ERR unknown subcommand or wrong number of arguments for '${cstr(c.argv[1] ?? '').slice(0, 128)}'. Try SLOWLOG HELP.`,
    )
  const srv = c.srv
  let count = c.argv.length === 3 ? srv.slowlog.entries.length : 10
  if (c.argv.length === 3) {
    const n = getRangeLongOrReply(
      c.argv[2] ?? '',
      -1n,
      LLONG_MAX,
      'count should be greater than or equal to -1',
    )
    if (typeof n === 'object') return n
    if (n !== -1n) count = Number(n)
  }
  return array(
    srv.slowlog.entries
      .slice(0, count)
      .map((e) =>
        array([
          integer(e.id),
          integer(e.time),
          integer(e.duration),
          array(e.argv.map((a) => bulk(a))),
          bulk(e.peerid),
          bulk(e.cname),
        ]),
      ),
  )
}

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
]

/** latency.c fillCommandCDF: calls, then histogram_usec as µs → cumulative count. */
function fillCommandCDF(resp: Protocol, hist: HdrHistogram): Reply {
  const cdf: Reply[] = []
  for (const [us, count] of hdrLogCdf(hist)) cdf.push(integer(us), integer(count))
  return mapReply(resp, [
    bulk('calls'),
    integer(hist.totalCount),
    bulk('histogram_usec'),
    mapReply(resp, cdf),
  ])
}

/**
 * latency.c LATENCY HISTOGRAM [command ...]: each command (and subcommand) with a latency
 * histogram, by full name. With no names, every command of the table (Redis walks its
 * command dict, whose order follows the dict's seeded hash; here the table's order); names
 * that are not commands are skipped, and a container brings its subcommands.
 */
function latencyHistogramCommand(c: CommandCall): Reply {
  const out: Reply[] = []
  const add = (fullname: string): void => {
    const hist = c.srv.stats.numCommands.get(fullname)?.hist ?? null
    if (hist !== null) out.push(bulk(fullname), fillCommandCDF(c.client.resp, hist))
  }
  const addWithSubcommands = (cmd: CommandSpec, parent: CommandSpec | null): void => {
    add(parent === null ? cmd.name : `${parent.name}|${cmd.name}`)
    if (parent === null) for (const sub of cmd.subcommands ?? []) add(`${cmd.name}|${sub.name}`)
  }
  if (c.argv.length === 2) {
    for (const cmd of c.srv.commands.list) addWithSubcommands(cmd, null)
  } else {
    for (let j = 2; j < c.argv.length; j++) {
      const found = lookupByFullName(c.srv, c.argv[j] ?? '')
      if (found !== null) addWithSubcommands(found.cmd, found.parent)
    }
  }
  return mapReply(c.client.resp, out)
}

/**
 * latency.c LATENCY GRAPH <event>: the event's series drawn as text (a verbatim string),
 * labelled with the time now (time(NULL)); an error for an event with no series. The event
 * is looked up as a C string, case-sensitively (dictStringKeyCompare is strcmp).
 */
function latencyGraphCommand(c: CommandCall): Reply {
  const event = cstr(c.argv[2] ?? '')
  const ts = c.srv.latencyEvents.get(event)
  if (ts === undefined) return error(`ERR No samples available for event '${event}'`)
  const now = Math.floor(c.ctx.clock.now() / 1000)
  return verbatimReply(c.client.resp, latencyCommandGenSparkline(event, ts, now))
}

/** latency.c LATENCY DOCTOR: the report on the recorded events (a verbatim string). */
function latencyDoctorCommand(c: CommandCall): Reply {
  const cfg = c.srv.config
  const report = createLatencyReport(
    c.srv,
    {
      latencyMonitorThreshold: cfg.latencyMonitorThreshold,
      slowlogLogSlowerThan: cfg.slowlogLogSlowerThan,
      hz: cfg.hz,
      appendfsyncAlways: configValue(c, 'appendfsync') === 'always',
    },
    Math.floor(c.ctx.clock.now() / 1000),
  )
  return verbatimReply(c.client.resp, report)
}

export const serverCommands: readonly CommandSpec[] = [
  defineCommand('role', roleCommand),
  defineCommand('lolwut', lolwutCommand),
  defineCommand('slowlog', undefined, [
    defineSubcommand('slowlog', 'get', slowlogGetCommand),
    defineSubcommand('slowlog', 'len', (c) => integer(c.srv.slowlog.entries.length)),
    defineSubcommand('slowlog', 'reset', (c) => {
      slowlogReset(c.srv)
      return OK
    }),
    defineSubcommand('slowlog', 'help', () => helpReply('slowlog', SLOWLOG_HELP)),
  ]),
  defineCommand('latency', undefined, [
    defineSubcommand('latency', 'doctor', latencyDoctorCommand),
    defineSubcommand('latency', 'graph', latencyGraphCommand),
    defineSubcommand('latency', 'histogram', latencyHistogramCommand),
    defineSubcommand('latency', 'history', (c) => {
      const ts = c.srv.latencyEvents.get(c.argv[2] ?? '')
      if (ts === undefined) return EMPTY_ARRAY
      return array(latencySamples(ts).map(([t, ms]) => array([integer(t), integer(ms)])))
    }),
    defineSubcommand('latency', 'latest', (c) =>
      array(
        latencyLatest(c.srv).map(([event, t, ms, max]) =>
          array([bulk(event), integer(t), integer(ms), integer(max)]),
        ),
      ),
    ),
    defineSubcommand('latency', 'reset', (c) => {
      if (c.argv.length === 2) return integer(latencyResetEvent(c.srv, null))
      let resets = 0
      for (let j = 2; j < c.argv.length; j++) resets += latencyResetEvent(c.srv, c.argv[j] ?? '')
      return integer(resets)
    }),
    defineSubcommand('latency', 'help', () => helpReply('latency', LATENCY_HELP)),
  ]),
  defineCommand('info', infoCommand),
  defineCommand('config', undefined, [
    defineSubcommand('config', 'get', configGetCommand),
    defineSubcommand('config', 'set', configSetCommand),
    defineSubcommand('config', 'resetstat', (c) => {
      resetServerStats(c.srv)
      return OK
    }),
    defineSubcommand('config', 'rewrite', configRewriteCommand),
    defineSubcommand('config', 'help', () => helpReply('config', CONFIG_HELP)),
  ]),
  commandCommand,
  defineCommand('time', timeCommand),
  defineCommand('dbsize', (c) => integer(dictSize(c.db.dict))),
  defineCommand('flushdb', flushdbCommand),
  defineCommand('flushall', flushallCommand),
  defineCommand('lastsave', (c) => integer(c.srv.lastSave)),
  defineCommand('save', saveCommand),
  defineCommand('bgsave', bgsaveCommand),
  defineCommand('debug', debugCommand),
  defineCommand('memory', undefined, [
    defineSubcommand('memory', 'usage', memoryUsageCommand),
    defineSubcommand('memory', 'help', () => helpReply('memory', MEMORY_HELP)),
    defineSubcommand('memory', 'stats', (c) => memoryStatsReply(c.srv, c.client.resp)),
    defineSubcommand('memory', 'doctor', (c) =>
      verbatimReply(c.client.resp, memoryDoctorReport(c.srv)),
    ),
    defineSubcommand('memory', 'purge', () => OK),
    defineSubcommand('memory', 'malloc-stats', (c) =>
      verbatimReply(c.client.resp, jemallocStatsReport(c.srv)),
    ),
  ]),
]
