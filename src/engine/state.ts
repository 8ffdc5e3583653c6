/**
 * ServerState and Client: the engine's equivalents of Redis's `struct redisServer` and
 * `struct client` (server.h), reduced to what the emulation models.
 *
 * Design: plain mutable data owned by server.ts and passed to every free function that
 * needs it (commands, keyspace, cron). Nothing here holds behaviour. Config values are
 * parsed once by config.ts into `srv.config` (typed fields), so hot paths never re-parse
 * strings. Time is not read from here: the ExecContext carries the frozen command time;
 * `unixtime`/`mstime` mirror Redis's cached server.unixtime/server.mstime and are refreshed
 * before every command and every cron tick.
 */
import type { AofState } from './aof.ts'
import type { ReplState } from './replication.ts'
import type { OpenFilesLimit } from './config.ts'
import type { Clock } from './clock.ts'
import type { ClientId } from './api.ts'
import type { RdbImage } from './rdbReload.ts'
import type { TraceLevel, MaxmemoryPolicy } from './events.ts'
import type { Rng } from './rng.ts'
import type { ReplyList } from './replyList.ts'
import type { ClientMemBucket } from './clientEviction.ts'
import type { HashSeed } from './structures/dict.ts'
import type { RedisDb } from './keyspace/db.ts'
import type { CommandSpec } from './commands/spec.ts'
import type { SlowlogState } from './slowlog.ts'
import type { LatencyTimeSeries } from './latency.ts'
import type { HdrHistogram } from './util/hdrHistogram.ts'
import type { ClientPubsub, PubsubState } from './commands/pubsub.ts'
import type { AclState, AclUser } from './acl.ts'
import type { ClientTracking, TrackingState } from './tracking.ts'
import type { Reply } from './reply.ts'
import type { ClientPauseState } from './pause.ts'
import type { QueryBuf, QueryBufAccount } from './querybuf.ts'

// --- Config ---

/** Parsed config values (config.ts owns the table that reads and writes them). */
export interface ServerConfig {
  hz: number
  dynamicHz: boolean
  databases: number
  maxmemory: number
  maxmemoryPolicy: MaxmemoryPolicy
  maxmemorySamples: number
  maxmemoryEvictionTenacity: number
  lfuLogFactor: number
  lfuDecayTime: number
  /** slowlog-log-slower-than, microseconds (negative: off). */
  slowlogLogSlowerThan: number
  /** latency-monitor-threshold, milliseconds (0: the latency monitor is off; latency.ts). */
  latencyMonitorThreshold: number
  /** slowlog-max-len. */
  slowlogMaxLen: number
  activeExpireEffort: number
  activerehashing: boolean
  hashMaxListpackEntries: number
  hashMaxListpackValue: number
  setMaxIntsetEntries: number
  zsetMaxListpackEntries: number
  zsetMaxListpackValue: number
  listMaxListpackSize: number
  listCompressDepth: number
  protoMaxBulkLen: number
  /** client-query-buffer-limit: a client's unparsed input past it is closed (networking.c). */
  clientQueryBufferLimit: number
  requirepass: string
  lazyfreeLazyEviction: boolean
  lazyfreeLazyExpire: boolean
  lazyfreeLazyServerDel: boolean
  lazyfreeLazyUserDel: boolean
  lazyfreeLazyUserFlush: boolean
  /** latency-tracking: record each command's duration in its histogram (util/hdrHistogram.ts). */
  latencyTracking: boolean
  /** notify-keyspace-events as notify.ts's NOTIFY_* bits (0: off, the default). */
  notifyKeyspaceEvents: number
  /** Parameters we answer CONFIG GET for but do not model: canonical name → value. */
  other: Record<string, string>
}

// --- Stats ---

/**
 * One command's INFO commandstats counters, and its latency histogram (created by its first
 * recorded duration, as server.c updateCommandLatencyHistogram does).
 */
export interface CommandStatsEntry {
  calls: number
  failed: number
  rejected: number
  usec: number
  hist: HdrHistogram | null
}

/** INFO stats counters (server.h stat_*). CONFIG RESETSTAT zeroes them. */
export interface ServerStats {
  /** stat_sync_full, stat_sync_partial_ok, stat_sync_partial_err (a master's syncs). */
  syncFull: number
  syncPartialOk: number
  syncPartialErr: number
  keyspaceHits: number
  keyspaceMisses: number
  expiredKeys: number
  expiredStalePerc: number
  expiredTimeCapReachedCount: number
  /** stat_expire_cycle_time_used: µs spent in activeExpireCycle (INFO shows ms, truncated). */
  expireCycleTimeUsed: number
  /** stat_total_eviction_exceeded_time: µs spent over maxmemory in finished spells. */
  totalEvictionExceededUs: number
  /** stat_last_eviction_exceeded_time: when the current spell over maxmemory began (µs), or 0. */
  lastEvictionExceededAt: number
  evictedKeys: number
  /** stat_evictedclients: clients freed by client eviction (clientEviction.ts). */
  evictedClients: number
  totalCommandsProcessed: number
  totalConnectionsReceived: number
  /** stat_rejected_conn: connections refused at maxclients (RedisServer.admitClient). */
  rejectedConn: number
  rejectedCalls: number
  unexpectedErrorReplies: number
  totalErrorReplies: number
  /** stat_dump_payload_sanitizations: deep checks of RESTORE payload blobs (rdbDecode.ts). */
  dumpPayloadSanitizations: number
  /** lazyfree.c lazyfreed_objects: values freed by the lazyfree thread (keyspace/lazyfree.ts). */
  lazyfreedObjects: number
  /** stat_net_input_bytes, stat_net_output_bytes: what the transport reported (api.ts netRead). */
  netInputBytes: number
  netOutputBytes: number
  /** stat_total_reads_processed and _writes_processed, as the transport reported them. */
  totalReads: number
  totalWrites: number
  /** stat_reply_buffer_shrinks / _expands: clientsCron resizing c->buf (connection.ts). */
  replyBufferShrinks: number
  replyBufferExpands: number
  /** stat_total_forks: BGSAVE children forked (rdb.ts rdbSaveBackground). */
  totalForks: number
  numCommands: Map<string, CommandStatsEntry>
  errorCodes: Map<string, number>
  /** server.inst_metric: the samples behind INFO's instantaneous_* (server.ts serverCron). */
  instMetrics: InstantaneousMetric[]
}

/** One of server.inst_metric: per-second rates sampled every 100 ms, the last 16 kept. */
export interface InstantaneousMetric {
  idx: number
  lastSampleTime: number
  lastSampleCount: number
  samples: number[]
}

/** STATS_METRIC_SAMPLES */
export const STATS_METRIC_SAMPLES = 16
/** STATS_METRIC_COMMAND, _NET_INPUT, _NET_OUTPUT, _NET_INPUT_REPLICATION, _NET_OUTPUT_REPLICATION */
export const STATS_METRIC_COUNT = 5

/** Fresh INFO stats counters (server start, CONFIG RESETSTAT at `nowMs`). */
export function createStats(nowMs: number): ServerStats {
  return {
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleTimeUsed: 0,
    totalEvictionExceededUs: 0,
    lastEvictionExceededAt: 0,
    evictedKeys: 0,
    evictedClients: 0,
    totalCommandsProcessed: 0,
    totalConnectionsReceived: 0,
    rejectedConn: 0,
    rejectedCalls: 0,
    unexpectedErrorReplies: 0,
    totalErrorReplies: 0,
    dumpPayloadSanitizations: 0,
    lazyfreedObjects: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    totalReads: 0,
    totalWrites: 0,
    replyBufferShrinks: 0,
    replyBufferExpands: 0,
    totalForks: 0,
    numCommands: new Map(),
    instMetrics: Array.from({ length: STATS_METRIC_COUNT }, () => ({
      idx: 0,
      lastSampleTime: nowMs,
      lastSampleCount: 0,
      samples: new Array<number>(STATS_METRIC_SAMPLES).fill(0),
    })),
    errorCodes: new Map(),
  }
}

// --- Clients ---

export interface MultiState {
  queue: { argv: readonly string[]; name: string }[]
  /** CLIENT_DIRTY_EXEC: a command failed its checks while queueing. */
  dirtyExec: boolean
}

/** One WATCHed key (multi.c watchedKey). */
export interface WatchedKey {
  key: string
  db: number
  /** The key was logically expired when WATCH ran. */
  expired: boolean
  client: ClientId
}

export interface Client {
  id: ClientId
  name: string
  /** Selected db index. */
  db: number
  authenticated: boolean
  /** The ACL user the client runs as (c->user; acl.ts). */
  user: AclUser
  /** MULTI state, null when not in a transaction. */
  multi: MultiState | null
  watched: WatchedKey[]
  /** CLIENT_DIRTY_CAS: a watched key was touched. */
  dirtyCas: boolean
  /** CLIENT_CLOSE_AFTER_REPLY (QUIT) or killed (CLIENT KILL). */
  closeAfterReply: boolean
  noEvict: boolean
  local: boolean
  addr: string
  laddr: string
  /** CLIENT_UNIX_SOCKET: connected over the unix socket. */
  unixSocket: boolean
  fd: number
  /** Unix ms. */
  createdAt: number
  /** Unix ms of the last command. */
  lastInteraction: number
  /** Lowercase name (container|sub for subcommands) of the last command. */
  lastCmd: string
  resp: 2 | 3
  libName: string
  libVer: string
  /** CLIENT REPLY: the CLIENT_REPLY_OFF / _SKIP / _SKIP_NEXT flags (REPLY_* in state.ts). */
  replyFlags: number
  /** Whether the reply of the client's last command was not to be sent (see replyFlags). */
  replySilenced: boolean
  /**
   * What the client waits for while a blocking command (BLPOP, BZPOPMIN ...) holds it
   * (CLIENT_BLOCKED + c->bpop), null otherwise. Its input is not processed meanwhile; the
   * reply comes later through the outbox (commands/blocking.ts).
   */
  bpop: BlockState | null
  /**
   * CLIENT_DENY_BLOCKING for the whole connection: a command that would block answers as if
   * it timed out at once (as inside MULTI). The app's console clients are created so.
   */
  denyBlocking: boolean
  /** c->duration: microseconds its last command took in call() (for the slow log). */
  duration: number
  /**
   * The client's Pub/Sub subscriptions (c->pubsub_channels, c->pubsub_patterns,
   * c->pubsubshard_channels), made on its first SUBSCRIBE and kept (commands/pubsub.ts).
   */
  pubsub: ClientPubsub | null
  /**
   * Client-side caching (CLIENT TRACKING): the CLIENT_TRACKING_* flags, the redirection and
   * the BCAST prefixes; made by the first CLIENT TRACKING ON and kept (tracking.ts).
   */
  tracking: ClientTracking | null
  /**
   * c->argv of the running top-level command (null between commands): CLIENT LIST derives
   * argv_len_sum and, without a socket, the query buffer from it when asked.
   */
  argv: readonly string[] | null
  /** c->argc of the running command (inside EXEC, the queued command's). */
  argc: number
  /** c->querybuf's sizes (querybuf.ts): a RESP transport's reads drive them, else commands. */
  querybuf: QueryBuf
  /** c->buf_usable_size: the reply buffer (CLIENT LIST rbs), 16 KiB at first (connection.ts). */
  bufUsableSize: number
  /** c->buf_peak: the most of c->buf one batch of replies has filled since the last reset (rbp). */
  bufPeak: number
  /**
   * c->buf_peak_last_reset_time. createClient sets it to server.unixtime (seconds) while
   * clientsCron compares it with milliseconds: Redis 7.0's quirk, kept (connection.ts).
   */
  bufPeakLastResetTime: number
  /** c->last_memory_usage: its memory when clientsCron last measured it (connection.ts). */
  lastMemoryUsage: number
  /** Whether lastMemoryUsage counts in clientsNormalMemory (c->last_memory_type not a replica). */
  lastMemoryNormal: boolean
  /** c->reply: replies the transport could not write yet, as Redis lays them out (replyList.ts). */
  replyList: ReplyList | null
  /** c->mem_usage_bucket: where client eviction holds it (clientEviction.ts), or null. */
  memUsageBucket: ClientMemBucket | null
  /** c->woff: master_repl_offset after its last command (what its WAIT waits for). */
  woff: number
  /** While EXEC runs: its queue length and the replies added so far (they count in obl). */
  execOut: { readonly count: number; readonly replies: readonly Reply[] } | null
}

/** blocked.c's c->bpop for list and sorted-set waits. */
/** What an XREAD / XREADGROUP waiter needs to be served (c->bpop's xread_* fields). */
export interface StreamBlock {
  /** Per key of BlockState.keys: serve entries after this ID (a group waiter's is updated). */
  readonly ids: { ms: bigint; seq: bigint }[]
  /** COUNT, or 1000 (XREAD_BLOCKED_DEFAULT_COUNT) when not given. */
  readonly count: number
  /** XREADGROUP's group and consumer; null for XREAD. */
  readonly group: string | null
  readonly consumer: string
  readonly noack: boolean
}

export interface BlockState {
  /** postpone: held by CLIENT PAUSE (pause.ts); its command runs again when unblocked. */
  readonly btype: 'list' | 'zset' | 'stream' | 'wait' | 'postpone'
  /** The keys waited on, without repeats, in argument order (c->bpop.keys). */
  readonly keys: readonly string[]
  /** The db the client blocked in. */
  readonly db: number
  /**
   * Unix ms after which the client times out; 0 = never (not in the timeout table);
   * Infinity = a deadline that wrapped past LLONG_MAX (in the table, never due).
   */
  readonly timeout: number
  /** BLMPOP / BZMPOP count, -1 for the single-element commands. */
  readonly count: number
  /** BLMOVE / BRPOPLPUSH destination, null otherwise. */
  readonly target: string | null
  /** Where to pop: list head/tail, or for sorted sets min ('head') / max ('tail'). */
  readonly wherefrom: 'head' | 'tail'
  /** BLMOVE: where to push on the destination. */
  readonly whereto: 'head' | 'tail'
  /** The blocked command's full name and arguments (c->lastcmd, c->argv), to serve it. */
  readonly cmd: string
  readonly argv: readonly string[]
  /** XREAD / XREADGROUP waiters only. */
  readonly stream: StreamBlock | null
  /** WAIT: the replication offset the replicas must acknowledge (c->bpop.reploffset). */
  readonly reploffset?: number
}

/** CLIENT REPLY OFF: no reply is sent until CLIENT REPLY ON. */
export const REPLY_OFF = 1
/** Set after CLIENT REPLY SKIP's own command: the next command's reply is not sent. */
export const REPLY_SKIP = 2
/** Set by CLIENT REPLY SKIP while it runs; becomes REPLY_SKIP when it ends. */
export const REPLY_SKIP_NEXT = 4
/** This command answers nothing at all (MONITOR sent by a monitor); cleared when it ends. */
export const REPLY_NONE = 8
/**
 * CLIENT_PUSHING: this command's reply is Pub/Sub output (subscribe confirmations), which
 * Redis sends even under CLIENT REPLY OFF or SKIP; cleared when the command ends.
 */
export const REPLY_PUSHING = 16
/**
 * EXEC ran under CLIENT REPLY OFF or SKIP, or changed it: its reply already holds only what
 * Redis wrote (multi.ts execTransaction) and is sent as is; cleared when it ends.
 */
export const REPLY_FILTERED = 32

// --- Cron and expire bookkeeping ---

/** State that expire.ts:activeExpireCycle keeps between calls (static locals in expire.c). */
export interface ActiveExpireState {
  currentDb: number
  timelimitExit: boolean
  /** Start time (µs) of the last fast cycle. */
  lastFastCycle: number
}

export interface ServerState {
  config: ServerConfig
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION (server.skip_checksum_validation); absent = 0. */
  skipChecksumValidation?: boolean
  /** DEBUG PAUSE-CRON (server.pause_cron): serverCron does no work; absent = 0. */
  pauseCron?: boolean
  /**
   * server.shutdown_asap with last_sig_received: a SIGINT or SIGTERM the host got, which the
   * next serverCron turns into a shutdown (`shutdownDue`, taken by the host); absent = none.
   */
  shutdownAsap?: 'SIGINT' | 'SIGTERM' | null
  shutdownDue?: 'SIGINT' | 'SIGTERM' | null
  dbs: RedisDb[]
  clients: Map<ClientId, Client>
  nextClientId: number
  /**
   * The clients' file descriptors: the kernel gives a new connection the lowest one free, so
   * a closed client's fd goes to the next connection (connection.ts clientFdAlloc). `next`
   * is the lowest never given, `free` those given back below it (ascending).
   */
  fds: { next: number; free: number[] }
  stats: ServerStats
  rng: Rng
  hashSeed: HashSeed
  clock: Clock
  traceLevel: TraceLevel
  enableDebugCommand: 'yes' | 'local' | 'no'
  /** DEBUG SET-ACTIVE-EXPIRE */
  activeExpireEnabled: boolean
  /** 24-bit LRU clock (seconds), refreshed by cron (server.lruclock). */
  lruclock: number
  /** Cached seconds and ms (server.unixtime, server.mstime). */
  unixtime: number
  mstime: number
  /** Unix ms at start. */
  startTime: number
  /** Virtual ms at which the next cron tick is due. */
  nextCronAt: number
  cronloops: number
  /** Server hz actually used (dynamic-hz may raise it). */
  currentHz: number
  expire: ActiveExpireState
  /** evict.c static next_db for the random policies (issue 4 may add more). */
  evictNextDb: number
  /** evict.c isEvictionProcRunning: the eviction time proc is pending (evict.ts). */
  evictionProcRunning: boolean
  /**
   * Writes since the last save (server.dirty). Handlers may count exactly as Redis does
   * (srv.dirty += n); when a handler leaves it alone, call() adds the number of keys it
   * signalled as modified (keysModified), which is Redis's count for most key commands.
   */
  dirty: number
  /** signalModifiedKey calls so far (call() turns them into dirty when a handler did not). */
  keysModified: number
  /**
   * The running handler counted dirty itself, even by 0 (LTRIM that trims nothing still
   * signals its key): call() then adds nothing for the keys it signalled.
   */
  dirtyCounted: boolean
  /** INFO process_id: the host process's pid (api.ts ServerOptions.processId), else 1. */
  processId: number
  /**
   * The host can die as redis-server does (setCrashHost): DEBUG SEGFAULT / PANIC / ASSERT
   * then log debug.c's bug report and leave the signal in `crashDue` (crashReport.ts).
   */
  crashHost: boolean
  /** The signal the host must die by, once a bug report was logged (takeCrash). */
  crashDue: number | null
  /** debug.c bug_report_start: the report's first line was written. */
  bugReportStarted: boolean
  /** RLIMIT_NOFILE for maxclients (api.ts ServerOptions.openFilesLimit); null: no limit. */
  nofile: OpenFilesLimit | null
  /** A transport reports reads and writes (api.ts netRead): INFO shows its counts. */
  netReported: boolean
  /** Unix seconds of the last successful save (server.lastsave). */
  lastSave: number
  /**
   * The fork child of BGSAVE (server.child_type RDB), null when none: a process of the host
   * (rdb.ts RdbChildren), or modelled: then it "runs" until `endsAt` (virtual ms). Either is
   * reaped by serverCron (checkChildrenDone); while it exists dicts may not resize
   * (dict_can_resize 'avoid'), cron does not resize or rehash, and lookups do not touch the LRU.
   */
  child: {
    /** server.child_type: CHILD_TYPE_RDB (BGSAVE) or CHILD_TYPE_AOF (BGREWRITEAOF, aof.ts). */
    type: 'rdb' | 'aof'
    /**
     * A full sync's child (replication.ts), modelled: RDB_CHILD_TYPE_DISK or _SOCKET (the
     * diskless one); null for any other.
     */
    replication: 'disk' | 'socket' | null
    startedAt: number
    endsAt: number
    dirtyBefore: number
    /** A modelled child with a disk: the file it writes when reaped, as of the fork. */
    rdb: Uint8Array | null
    /** A modelled AOF rewrite child with a disk: its temp file's content, written when reaped. */
    aofFile: string | null
    pid: number
    /** stat_current_save_keys_total (keys at the fork), _processed (the child's last report). */
    keysTotal: number
    keysProcessed: number
    /** stat_current_cow_updated: when the child last reported (ms), 0 before it has. */
    infoUpdatedAt: number
    /**
     * Copy-on-write, modelled: each key the server modifies while the child runs copies the
     * page it lives on once (db id and key, NUL-separated). The child's measures of it (its
     * Private_Dirty) as it reported them: the last (stat_current_cow_bytes), the peak, and
     * their sum and count for the average it logs.
     */
    cowKeys: Set<string>
    cowBytes: number
    cowPeak: number
    cowSum: number
    cowSamples: number
  } | null
  /** stat_rdb_cow_bytes (INFO rdb_last_cow_size): the last successful child's peak CoW. */
  rdbLastCowSize: number
  /** server.lastbgsave_status (INFO rdb_last_bgsave_status) and lastbgsave_try (unix s). */
  rdbLastBgsaveStatus: 'ok' | 'err'
  rdbLastBgsaveTry: number
  /** BGSAVE SCHEDULE (or BGSAVE inside EXEC) waiting for the child slot. */
  bgsaveScheduled: boolean
  /** INFO persistence: rdb_saves, rdb_last_bgsave_time_sec. */
  rdbSaves: number
  rdbLastBgsaveTimeSec: number
  /** Trace sequence number. */
  seq: number
  runId: string
  /** The command table (set by server.ts from commands/table.ts; read by COMMAND). */
  commands: {
    /** The commands clients reach (COMMAND, COMMAND COUNT). */
    readonly list: readonly CommandSpec[]
    /** Lowercase name as clients type it → command (rename-command changes it). */
    readonly map: ReadonlyMap<string, CommandSpec>
    /** Each command by its own name, whatever it was renamed to (for internal lookups). */
    readonly original: ReadonlyMap<string, CommandSpec>
  }
  /** The client whose command is running (server.current_client), null in cron. */
  currentClient: Client | null
  /** MONITOR clients, in the order they started (server.monitors). */
  monitors: ClientId[]
  /** Replicas attached by SYNC and the propagation of writes to them (replication.ts). */
  repl: ReplState
  /** Output not yet taken by the transport, by client: MONITOR lines (commands/monitor.ts) and blocked clients' late replies (commands/blocking.ts). */
  outbox: Map<ClientId, string>
  /** Channels, patterns and shard channels with their subscribers (commands/pubsub.ts). */
  pubsub: PubsubState
  /**
   * server.c incrCommandStatsOnError's static prev_err_count: total_error_replies as the
   * running command found it (call.ts callDispatch).
   */
  prevErrCount: number
  /** server.blocked_clients: clients waiting in a blocking command (commands/blocking.ts). */
  blockedClients: number
  /**
   * server.unblocked_clients: the clients unblocked since the transport last asked, in the
   * order they were (queueClientForReprocessing); the transport runs the input each kept
   * while blocked in this order (processUnblockedClients).
   */
  unblockedClients: ClientId[]
  /** CLIENT PAUSE and the clients it holds (pause.ts). */
  clientPause: ClientPauseState
  /** server.slowlog (slowlog.ts). */
  slowlog: SlowlogState
  /** server.latency_events: the latency monitor's time series by event (latency.ts). */
  latencyEvents: Map<string, LatencyTimeSeries>
  /**
   * The arguments of the running command that it turned into integer objects, as pairs
   * (argv index, 1 if a shared integer else 0): what the slow log copies (slowlog.ts).
   */
  argvInts: number[]
  /** The argv indices of the running command redacted from the slow log and MONITOR. */
  argvRedacted: number[]
  /**
   * The clock reading (ms) the transport's call took just before this command, which
   * call() uses as its start time instead of reading the clock again; NaN once used.
   */
  callStart: number
  /**
   * quicklist.c packed_threshold (DEBUG QUICKLIST-PACKED-THRESHOLD): elements at least this
   * long get a PLAIN node. A global in Redis; per server here, so clones carry it.
   */
  quicklistPackedThreshold: number
  /** The last image rdbSave "wrote" (what DEBUG RELOAD NOSAVE loads); null before any. */
  rdbImage: RdbImage | null
  /** INFO rdb_last_load_keys_loaded / _expired: keys the last load added and skipped. */
  /** The AOF a BGREWRITEAOF wrote while appendonly is off: DEBUG LOADAOF loads it. */
  aofImage: RdbImage | null
  /** The append-only file's state (aof.ts). */
  aof: AofState
  rdbLastLoadKeysLoaded: number
  rdbLastLoadKeysExpired: number
  /**
   * server.loading: an RDB file being loaded at startup (rdb.ts rdbStartLoading), while
   * commands without the `loading` flag answer -LOADING; null otherwise.
   */
  loading: {
    /** loading_start_time (unix s), loading_total_bytes, loading_rdb_used_mem. */
    readonly startTime: number
    readonly totalBytes: number
    readonly rdbUsedMem: number
    loadedBytes: number
  } | null
  /** ACL users and the ACL log (acl.ts). */
  acl: AclState
  /**
   * Some user cannot run everything (acl.ts aclRefreshRestricted): only then does
   * processCommand check permissions.
   */
  aclRestricted: boolean
  /**
   * The tracking table, the BCAST prefix table and their counters (tracking.c's globals),
   * made when a client first turns tracking on; null until then (tracking.ts).
   */
  tracking: TrackingState | null
  /**
   * server.stat_clients_type_memory of the normal, pub/sub and master clients: the sum of
   * their lastMemoryUsage (INFO mem_clients_normal).
   */
  clientsNormalMemory: number
  /** server.c ClientsPeakMemInput / ClientsPeakMemOutput: a slot a second (connection.ts). */
  clientsPeakMemInput: number[]
  clientsPeakMemOutput: number[]
  /** The sum of every client's bufUsableSize (their reply buffers, in used_memory). */
  clientReplyBufBytes: number
  /** What every client's reply list blocks take from zmalloc (replyList.ts, in used_memory). */
  clientReplyListBytes: number
  /** The sum of every client's query buffer allocation (in used_memory). */
  clientQueryBufs: QueryBufAccount
  /** server.client_mem_usage_buckets: made while maxmemory-clients is set (clientEviction.ts). */
  clientMemBuckets: ClientMemBucket[] | null
  /**
   * Clients the engine freed (client eviction) whose connections the transport must close
   * at once, with nothing more sent, and the line to log for each.
   */
  clientsToClose: Map<ClientId, string>
  /** server.reply_buffer_peak_reset_time (ms; -1 never) and reply_buffer_resizing_enabled. */
  replyBufferPeakResetTime: number
  replyBufferResizingEnabled: boolean
}
