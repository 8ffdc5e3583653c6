/**
 * The server core: createServer implements RedisServer (api.ts) the way server.c runs a
 * command and its cron.
 *
 * processCommand follows server.c:processCommand's order of checks for the parts the
 * emulation models: command lookup (unknown command / unknown subcommand), arity, the
 * DEBUG gate (enable-debug-command), NOAUTH, no-multi inside MULTI, OOM (performEvictions
 * when maxmemory is set), then either queueing inside MULTI or call(). A rejected command
 * flags the open transaction (flagTransaction); a rejected EXEC aborts it with EXECABORT.
 *
 * One ExecContext is built per top-level command with `now` read once from the clock
 * (Redis freezes server.mstime for the whole call, EXEC included). The cached times
 * (srv.mstime, srv.unixtime) are refreshed from it.
 *
 * Cron: tick(ms) walks the virtual clock forward one serverCron period (1000/hz ms) at a
 * time, running each due tick at its own instant: lruclock refresh, dynamic hz, then
 * databasesCron (active expire SLOW, tryResizeHashTables for up to 16 dbs, and
 * incrementallyRehash with dictRehashMilliseconds(1)). cron() runs the tick that is due on
 * a real clock; like Redis it never replays missed ticks. The engine has no event loop, so
 * the FAST expire cycle that beforeSleep runs is run after each top-level command.
 *
 * Time budgets (active expire, dictRehashMilliseconds) read ctx.clock; a manual clock does
 * not move during a tick, so in the browser those budgets never run out (an infinitely
 * fast CPU). Only the real-clock RESP server sees them expire.
 */
import { signalCrash, takeCrash } from './crashReport.ts'
import {
  aofBeforeSleep,
  aofCronAutoRewrite,
  aofCronScheduled,
  aofLoadAtStartup,
  aofOpenAtStartup,
  clientFactory,
  createAofState,
  setAofDisk,
  type AofDisk,
} from './aof.ts'
import type { ConfigFileHost } from './configRewrite.ts'
import type { AclFileHost } from './acl.ts'
import { aclLoadFromFile, setAclFileHook } from './commands/acl.ts'
import {
  checkGoodReplicasStatus,
  createReplState,
  propagatePendingCommands,
  replicaClosed,
  replicationCronMaster,
  replicationStartPendingSyncs,
  sendGetackIfRequested,
} from './replication.ts'
import {
  isReadOnlyReplica,
  replicaOfFromConfig,
  replicaServesNoStaleData,
  isMasterClient,
  masterLinkClosed,
  masterLinkConnected,
  masterClientResumed,
  masterLinkRead,
  replicaFreed,
  replicationConnectFailed,
  replicationCron,
  setMasterLinkHost,
  type MasterClientHooks,
} from './replica.ts'
import { EAGAIN, libc } from './util/errno.ts'
import type {
  ClientId,
  ClientOptions,
  HostedClient,
  InspectOptions,
  InspectView,
  MasterLinkHost,
  RedisServer,
  ServerOptions,
  SlicedCommand,
  TickTrace,
  Trace,
} from './api.ts'
import { argToBytes, argvToBytes, type ArgInput } from './bytes.ts'
import { toClock, type Clock } from './clock.ts'
import { COMMANDS, COMMAND_MAP } from './commands/table.ts'
import type { CommandFlag, CommandSpec } from './commands/spec.ts'
import {
  blockPostponeClient,
  checkClientPauseTimeoutAndReturnIfPaused,
  createClientPauseState,
  dequeueClientForReprocessing,
  PAUSE_ALL,
  PAUSE_OFF,
} from './pause.ts'
import {
  adjustOpenFilesLimit,
  applyStartupConfig,
  configGetValue,
  createDefaultConfig,
  lookupConfig,
  type ChangeBindAddr,
  type SetOomScoreAdj,
  type ChangeListenPort,
} from './config.ts'
import {
  createExecContext,
  createReusableExecContext,
  resetExecContext,
  type ExecContext,
  type ReusableExecContext,
} from './context.ts'
import type { StepEvent, TraceLevel } from './events.ts'
import { activeExpireCycle, expireSlaveKeys } from './keyspace/expire.ts'
import { evictionTimeProc, keyspaceDictType, performEvictions } from './keyspace/evict.ts'
import {
  createDb,
  dbValidate,
  readyKeysSignalled,
  unwatchAllKeys,
  type RedisDb,
} from './keyspace/db.ts'
import {
  callDispatch,
  commandStats,
  lookupDispatch,
  unknownCommandMessage,
  countErrorReply,
  type CommandDispatch,
} from './call.ts'
import { discardTransaction, flagTransaction, multiSnapshot, traceQueueing } from './multi.ts'
import {
  finishShutdown,
  finishShutdownInSteps,
  rdbBgsaveMayRun,
  rdbCheckChild,
  rdbRemoveTempFile,
  rdbLoadFromFile,
  rdbLogNotice,
  rdbStartLoading,
  rdbSaveBackground,
  rdbSavePointReached,
  setRdbDisk,
  shutdownFlagsOnSignal,
  writeCommandsDeniedByDiskError,
  LOADING_ERROR,
  MISCONF_ERROR,
  updateDictResizePolicy,
  type RdbDisk,
  type RdbLoading,
  type ShutdownFlags,
  type ShutdownSave,
} from './rdb.ts'
import { getLRUClock } from './keyspace/lru.ts'
import {
  logLevelWrites,
  serverLog,
  serverLogLevel,
  setServerLogSink,
  type ServerLogSink,
} from './serverLog.ts'
import { BLOCKED, error, NIL, QUEUED, resp3Nulls, type Reply } from './reply.ts'
import {
  applyClientMaxMemoryUsage,
  evictClients,
  updateClientMemUsageAndBucket,
} from './clientEviction.ts'
import { respEncode, respEncodedLength } from './resp.ts'
import { createSharedObjects } from './types/object.ts'
import { rngCreate, rngNextU32 } from './rng.ts'
import {
  createStats,
  REPLY_OFF,
  REPLY_SKIP,
  REPLY_SKIP_NEXT,
  REPLY_NONE,
  REPLY_PUSHING,
  REPLY_FILTERED,
  STATS_METRIC_SAMPLES,
  type Client,
  type InstantaneousMetric,
  type ServerConfig,
  type ServerState,
} from './state.ts'
import {
  dictIsRehashing,
  dictRehashMilliseconds,
  dictResize,
  dictBuckets,
  dictSize,
  hashSeedFromRng,
  htNeedsResize,
} from './structures/dict.ts'
import { digestServer } from './digest.ts'
import { cloneServerState, serverKeyCount, serverStateSize } from './snapshot.ts'
import { inspectKey, inspectKeyspace } from './inspect.ts'
import { inspectClients } from './inspectClients.ts'
// Registers the container views (side effect): intset, listpack, quicklist, skiplist, hashtable.
import './inspectContainers.ts'
import { zmallocUsedMemory } from './keyspace/memory.ts'
import { startSlicedCommand } from './sliced.ts'
import { queryBufCreate, type QueryBuf } from './querybuf.ts'
import { PACKED_THRESHOLD } from './structures/quicklist.ts'
import { drainOutbox, monitorClientClosed } from './commands/monitor.ts'
import {
  clientCommandIoBegin,
  clientCommandIoEnd,
  clientsCronResizeOutputBuffer,
  updateClientMemoryUsage,
  CLIENTS_PEAK_MEM_USAGE_SLOTS,
  clientsCronPeakSlot,
  clientsCronTrackExpansiveClients,
  clientsCronResizeQueryBuffer,
  clientsCronHandleTimeout,
  clientFdAlloc,
  firstClientFd,
  clientReplyAdded,
  clientInfoString,
  freeEvictedClient,
  obufLimitCloseLine,
  PROTO_REPLY_CHUNK_BYTES,
  REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME,
  setClientIoProbe,
  unlinkClient,
  unlinkedClientCount,
  type ClientIoProbe,
} from './commands/connection.ts'
import {
  commandKeyReferences,
  setChangeBindAddr,
  setProcTitleHook,
  setChangeListenPort,
  setConfigFileHook,
} from './commands/server.ts'
import { setOomScoreAdjHook } from './oomScoreAdj.ts'
import {
  clientOutputLimitReached,
  clientOutputPending,
  clientReplyListAllocation,
} from './replyList.ts'
import {
  REPL_BACKLOG_TRIM_BLOCKS_PER_CALL,
  replBufferTrim,
  replicaOutputPending,
  replicaOverOutputLimits,
} from './replBuffer.ts'
import {
  aclCheckCommand,
  aclStringSetUser,
  aclValidate,
  createAclState,
  defaultUserAuthenticates,
  USER_FLAG_NOPASS,
} from './acl.ts'
import { createSlowlog, slowlogValidate } from './slowlog.ts'
import { latencyValidate } from './latency.ts'
import {
  createPubsubState,
  freeClientPubsub,
  pubsubContextError,
  pubsubContextRejects,
  pubsubValidate,
  takePubsubPushes,
  pubsubReplyReset,
  writePubsubPushesNow,
  takePubsubPushesAlone,
} from './commands/pubsub.ts'
import {
  clientIsBlocked,
  handleBlockedClientsTimeout,
  handleClientsBlockedOnKeys,
  processClientsWaitingReplicas,
  unblockClosedClient,
} from './commands/blocking.ts'
import {
  disableTracking,
  trackingAfterCommand,
  trackingBeforeCall,
  trackingBroadcastInvalidationMessages,
  trackingLimitUsedSlots,
  trackingResetCaching,
  trackingValidate,
} from './tracking.ts'

// --- Constants ---

/** server.h CRON_DBS_PER_CALL */
const CRON_DBS_PER_CALL = 16
/** server.h MAX_CLIENTS_PER_CLOCK_TICK */
const MAX_CLIENTS_PER_CLOCK_TICK = 200
const CONFIG_MAX_HZ = 500

// --- State ---

/** Builds the server state: config, 16 dbs with seeded dicts, stats, clocks. */
export function createServerState(opts: ServerOptions): ServerState {
  const config = createDefaultConfig()
  if (opts.config !== undefined) applyStartupConfig(config, opts.config)
  // main(): adjustOpenFilesLimit before the server starts (maxclients may come out lower).
  const nofile = opts.openFilesLimit === undefined ? null : { ...opts.openFilesLimit }
  if (nofile !== null) adjustOpenFilesLimit(config, nofile)
  const rng = rngCreate(opts.seed)
  const hashSeed = hashSeedFromRng(rng)
  const runId = Array.from({ length: 5 }, () => rngNextU32(rng).toString(16).padStart(8, '0'))
    .join('')
    .slice(0, 40)
  const clock = toClock(opts.clock)
  const now = clock.now()
  // The option wins over a config override; CONFIG GET shows what is in force.
  const fromConfig = config.other['enable-debug-command']
  const enableDebugCommand =
    opts.enableDebugCommand ?? (fromConfig === 'yes' || fromConfig === 'local' ? fromConfig : 'no')
  config.other['enable-debug-command'] = enableDebugCommand
  const dbs: RedisDb[] = []
  for (let i = 0; i < config.databases; i++) dbs.push(createDb(i, hashSeed))
  const srv: ServerState = {
    config,
    dbs,
    clients: new Map(),
    // Redis 7.0 creates two internal clients at startup (modules' reused context client and
    // the Lua client), ids 1 and 2: the first connection is id 3.
    nextClientId: 3,
    fds: { next: firstClientFd(config), free: [] },
    stats: createStats(Math.floor(clock.now())),
    rng,
    hashSeed,
    clock,
    traceLevel: opts.trace ?? 'summary',
    enableDebugCommand,
    activeExpireEnabled: true,
    lruclock: getLRUClock(now),
    unixtime: Math.floor(now / 1000),
    mstime: now,
    startTime: now,
    nextCronAt: now + 1000 / config.hz,
    cronloops: 0,
    currentHz: config.hz,
    expire: { currentDb: 0, timelimitExit: false, lastFastCycle: 0 },
    evictNextDb: 0,
    evictionProcRunning: false,
    dirty: 0,
    keysModified: 0,
    dirtyCounted: false,
    netReported: false,
    nofile,
    processId: opts.processId ?? 1,
    crashHost: false,
    crashDue: null,
    bugReportStarted: false,
    lastSave: Math.floor(now / 1000),
    child: null,
    rdbLastBgsaveStatus: 'ok',
    rdbLastBgsaveTry: 0,
    bgsaveScheduled: false,
    rdbSaves: 0,
    rdbLastBgsaveTimeSec: -1,
    rdbLastCowSize: 0,
    seq: 0,
    runId,
    commands: { list: COMMANDS, map: COMMAND_MAP, original: COMMAND_MAP },
    currentClient: null,
    monitors: [],
    // server.replid is random too: here the run ID reversed.
    repl: createReplState(runId.split('').reverse().join(''), Math.floor(now / 1000)),
    outbox: new Map(),
    pubsub: createPubsubState(hashSeed),
    prevErrCount: 0,
    blockedClients: 0,
    unblockedClients: [],
    clientPause: createClientPauseState(),
    slowlog: createSlowlog(),
    latencyEvents: new Map(),
    argvInts: [],
    argvRedacted: [],
    callStart: NaN,
    quicklistPackedThreshold: PACKED_THRESHOLD,
    rdbImage: null,
    loading: null,
    aofImage: null,
    aof: createAofState(config.other['appendonly'] === 'yes'),
    rdbLastLoadKeysLoaded: 0,
    rdbLastLoadKeysExpired: 0,
    acl: createAclState(config.requirepass),
    aclRestricted: false,
    tracking: null,
    clientsNormalMemory: 0,
    clientsPeakMemInput: new Array<number>(CLIENTS_PEAK_MEM_USAGE_SLOTS).fill(0),
    clientsPeakMemOutput: new Array<number>(CLIENTS_PEAK_MEM_USAGE_SLOTS).fill(0),
    clientReplyBufBytes: 0,
    clientReplyListBytes: 0,
    clientQueryBufs: { bytes: 0, argv: 0 },
    clientMemBuckets: null,
    clientsToClose: new Map(),
    replyBufferPeakResetTime: REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME,
    replyBufferResizingEnabled: true,
  }
  // server.c dbDictType/dbExpiresDictType: growth is refused past maxmemory (evict.ts).
  const keyspaceType = keyspaceDictType(srv)
  for (const db of dbs) db.dict.type = db.expires.type = keyspaceType
  createSharedObjects(srv)
  // config.c setConfigReplicaOfOption: a replica from the start (its first connect is the
  // first replicationCron's).
  replicaOfFromConfig(srv, config.other['replicaof'] ?? '')
  return srv
}

/** networking.c createClient. */
// The AOF's fake client (aof.ts createAOFClient): one that never blocks.
clientFactory.create = (srv) => createClientState(srv, { denyBlocking: true })

export function createClientState(srv: ServerState, opts: ClientOptions = {}): Client {
  const id = srv.nextClientId++
  srv.stats.totalConnectionsReceived++
  const c: Client = {
    id,
    name: '',
    db: 0,
    authenticated: defaultUserAuthenticates(srv),
    user: srv.acl.defaultUser,
    multi: null,
    watched: [],
    dirtyCas: false,
    closeAfterReply: false,
    noEvict: false,
    local: opts.local ?? true,
    addr: opts.addr ?? `127.0.0.1:${String(40000 + id)}`,
    laddr: opts.laddr ?? '127.0.0.1:6379',
    unixSocket: opts.unixSocket ?? false,
    fd: clientFdAlloc(srv),
    createdAt: srv.mstime,
    lastInteraction: srv.mstime,
    lastCmd: 'NULL',
    resp: 2,
    libName: '',
    libVer: '',
    replyFlags: 0,
    replySilenced: false,
    bpop: null,
    denyBlocking: opts.denyBlocking ?? false,
    duration: 0,
    pubsub: null,
    tracking: null,
    argv: null,
    argc: 0,
    querybuf: queryBufCreate(srv.clientQueryBufs),
    bufUsableSize: PROTO_REPLY_CHUNK_BYTES,
    bufPeak: PROTO_REPLY_CHUNK_BYTES,
    bufPeakLastResetTime: srv.unixtime,
    lastMemoryUsage: 0,
    lastMemoryNormal: true,
    execOut: null,
    replyList: null,
    memUsageBucket: null,
    woff: 0,
  }
  srv.clients.set(id, c)
  srv.clientReplyBufBytes += c.bufUsableSize
  return c
}

/**
 * After a top-level command (networking.c prepareClientToWrite and resetClient): its reply is
 * not sent while CLIENT REPLY OFF or SKIP holds, nor is CLIENT REPLY OFF's or SKIP's own;
 * a SKIP lasts one command and a SKIP just asked for starts with the next one.
 */
function settleReplyFlags(c: Client): void {
  c.replySilenced = replyDropped(c)
  c.replyFlags &= ~(REPLY_SKIP | REPLY_NONE | REPLY_PUSHING | REPLY_FILTERED)
  if (c.replyFlags & REPLY_SKIP_NEXT) c.replyFlags = (c.replyFlags & ~REPLY_SKIP_NEXT) | REPLY_SKIP
}

/** Whether the command's reply will not be written (settleReplyFlags). */
function replyDropped(c: Client): boolean {
  return (
    (c.replyFlags & (REPLY_OFF | REPLY_SKIP | REPLY_SKIP_NEXT | REPLY_NONE)) !== 0 &&
    (c.replyFlags & (REPLY_PUSHING | REPLY_FILTERED)) === 0
  )
}

/** Refreshes Redis's cached times (updateCachedTime) from a frozen instant. */
function updateCachedTime(srv: ServerState, now: number): void {
  srv.mstime = now
  srv.unixtime = Math.floor(now / 1000)
}

// --- Checks ---

/** networking.c authRequired: one boolean test for an authenticated client. */
function authRequired(srv: ServerState, c: Client): boolean {
  return !c.authenticated && !defaultUserAuthenticates(srv)
}

/** config.c allowProtectedAction for enable-debug-command. */
function debugAllowed(srv: ServerState, c: Client): boolean {
  return srv.enableDebugCommand === 'yes' || (srv.enableDebugCommand === 'local' && c.local)
}

/** config.c allowProtectedAction for enable-module-command (immutable, 'no' by default). */
function moduleAllowed(srv: ServerState, c: Client): boolean {
  const v = srv.config.other['enable-module-command']
  return v === 'yes' || (v === 'local' && c.local)
}

/** server.c shared.roslaveerr. */
const READONLY_REPLICA = "READONLY You can't write against a read only replica."
/** server.c shared.noreplicaserr. */
const NO_REPLICAS = 'NOREPLICAS Not enough good replicas to write.'
/** server.c shared.masterdownerr. */
const MASTER_DOWN =
  "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."

const DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.'
const MODULE_NOT_ALLOWED =
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.'

// --- Rejection ---

/** server.c rejectCommand: flag the transaction; an EXEC gets EXECABORT and is discarded. */
function rejectCommand(
  srv: ServerState,
  c: Client,
  cmd: CommandSpec | undefined,
  fullname: string | null,
  message: string,
): Reply {
  flagTransaction(c)
  srv.stats.rejectedCalls++
  if (cmd !== undefined && fullname !== null) commandStats(srv, fullname).rejected++
  // Outside MULTI too (e.g. `EXEC x`): rejectCommand checks only that the command is EXEC,
  // and discardTransaction also drops the client's WATCHes.
  if (cmd?.name === 'exec') {
    discardTransaction(srv, c)
    // multi.c execCommandAbort: the reason as rejectCommand got it (a shared error keeps its
    // code, a formatted one such as the arity error has none: no "ERR " is added).
    return error(`EXECABORT Transaction discarded because of: ${message}`)
  }
  return error(message)
}

/**
 * server.c processCommand for one argv. Returns the reply; counts error replies. Runs in
 * the context the caller built.
 */
export function processCommand(
  srv: ServerState,
  c: Client,
  ctx: ExecContext,
  argv: readonly string[],
): Reply {
  const seen = ctx.tracing ? multiSnapshot(c) : null
  let reply = processCommandInner(srv, c, ctx, argv)
  // An EXEC's nested errors were counted as each command replied (multi.ts execCommand).
  if (reply.type === 'error') countErrorReply(srv, reply)
  // RESP3: messages to the client itself go where Redis wrote them around the reply
  // (pubsub.ts); one null for the nil bulk and the nil array (reply.ts resp3Nulls). A command
  // that blocked has no reply yet: they are written now. Under CLIENT REPLY OFF or SKIP they
  // are written alone (CLIENT_PUSHING), the reply is not.
  if (c.resp === 3 && reply === BLOCKED) writePubsubPushesNow(srv, c)
  else if (c.resp === 3 && replyDropped(c)) {
    const pushes = takePubsubPushesAlone(c)
    if (pushes !== null) {
      reply = pushes
      c.replyFlags |= REPLY_PUSHING
    }
  } else if (c.resp === 3) reply = resp3Nulls(takePubsubPushes(c, reply))
  else pubsubReplyReset(c)
  if (seen !== null) traceQueueing(ctx, c, argv, reply, seen)
  return reply
}

function processCommandInner(
  srv: ServerState,
  c: Client,
  ctx: ExecContext,
  argv: readonly string[],
): Reply {
  c.lastInteraction = ctx.now
  const d = lookupDispatch(srv, argv)
  if (d === undefined) {
    c.lastCmd = argv.length > 0 ? 'NULL' : c.lastCmd
    return rejectCommand(srv, c, undefined, null, unknownCommandMessage(srv, argv))
  }
  const cmd = d.cmd
  const fullname = d.fullname
  c.lastCmd = fullname
  const argc = argv.length
  if ((d.arity > 0 && d.arity !== argc) || argc < -d.arity)
    return rejectCommand(
      srv,
      c,
      cmd,
      fullname,
      `wrong number of arguments for '${fullname}' command`,
    )
  if (d.isDebug && !debugAllowed(srv, c))
    return rejectCommand(srv, c, cmd, fullname, DEBUG_NOT_ALLOWED)
  if (d.isModuleAdmin && !moduleAllowed(srv, c))
    return rejectCommand(srv, c, cmd, fullname, MODULE_NOT_ALLOWED)
  if (!d.noAuth && authRequired(srv, c))
    return rejectCommand(srv, c, cmd, fullname, 'NOAUTH Authentication required.')
  if (c.multi !== null && d.noMulti)
    return rejectCommand(srv, c, cmd, fullname, 'Command not allowed inside a transaction')
  // server.c ACLCheckAllPerm, only while some user is restricted (acl.ts).
  if (srv.aclRestricted) {
    const denied = aclCheckCommand(srv, c, cmd, fullname, argv)
    if (denied !== null) return rejectCommand(srv, c, cmd, fullname, denied)
  }

  const controlsMulti = d.controlsMulti
  // Client eviction before key eviction, after the last command grew some client's memory.
  if (srv.clientMemBuckets !== null) {
    evictClientsBeforeCommand(srv, ctx)
    // Evicted itself: the command is not run, and nothing more is sent.
    if (!srv.clients.has(c.id)) return NIL
  }
  if (srv.config.maxmemory !== 0) {
    const outOfMemory = performEvictions(srv, ctx) === 'fail'
    // call() times the command alone: the clock is read anew after eviction's work.
    srv.callStart = NaN
    let rejectOnOom = isDenyOom(c, d)
    if (c.multi !== null && !controlsMulti) rejectOnOom = true
    if (outOfMemory && rejectOnOom) {
      if (ctx.tracing)
        ctx.emit({
          type: 'memory/oomRejected',
          used: zmallocUsedMemory(srv),
          maxmemory: srv.config.maxmemory,
        })
      return rejectCommand(
        srv,
        c,
        cmd,
        fullname,
        "OOM command not allowed when used memory > 'maxmemory'.",
      )
    }
  }

  // Invalidations eviction left for this client, then tracking-table-max-keys (tracking.ts).
  if (srv.tracking !== null) trackingBeforeCall(srv, ctx)

  // writeCommandsDeniedByDiskError: no writes (nor PING) while the last BGSAVE failed
  // (the master's stream is obeyed).
  if (
    srv.rdbLastBgsaveStatus === 'err' &&
    !isMasterClient(srv, c) &&
    (d.isWrite || fullname === 'ping' || (d.isExec && execIsWrite(c))) &&
    writeCommandsDeniedByDiskError(srv)
  )
    return rejectCommand(srv, c, cmd, fullname, MISCONF_ERROR)

  // Not enough good replicas for min-replicas-to-write: no writes (EXEC of writes aborts).
  if ((d.isWrite || (d.isExec && execIsWrite(c))) && !checkGoodReplicasStatus(srv))
    return rejectCommand(srv, c, cmd, fullname, NO_REPLICAS)

  // A read-only replica refuses writes, except its master's.
  if (
    srv.repl.masterhost !== null &&
    (d.isWrite || (d.isExec && execIsWrite(c))) &&
    isReadOnlyReplica(srv) &&
    !isMasterClient(srv, c)
  )
    return rejectCommand(srv, c, cmd, fullname, READONLY_REPLICA)

  // Only Pub/Sub commands, PING, QUIT and RESET in a subscribed RESP2 client (CLIENT_PUBSUB).
  if (c.pubsub !== null && pubsubContextRejects(c, d.parent === null ? cmd.name : ''))
    return rejectCommand(srv, c, cmd, fullname, pubsubContextError(fullname))

  // Only commands flagged stale ("t": INFO, REPLICAOF ...) on a replica whose link is down
  // with replica-serve-stale-data no.
  if (
    srv.repl.masterhost !== null &&
    (!d.stale || (d.isExec && execHasNonStale(c))) &&
    replicaServesNoStaleData(srv)
  )
    return rejectCommand(srv, c, cmd, fullname, MASTER_DOWN)

  // Loading the dataset: only commands flagged `loading` (for EXEC, all its queued ones).
  if (srv.loading !== null && (!d.allowLoading || (d.isExec && execDeniesLoading(c))))
    return rejectCommand(srv, c, cmd, fullname, LOADING_ERROR)

  // CLIENT PAUSE: the client waits with its command until the pause ends (pause.ts).
  // Replicas are never paused; nor is a client that cannot wait (the engine's own).
  const pause = srv.clientPause.type
  if (
    pause !== PAUSE_OFF &&
    !c.denyBlocking &&
    (pause === PAUSE_ALL || d.mayReplicate || (d.isExec && execMayReplicate(c))) &&
    !srv.repl.replicas.includes(c.id)
  ) {
    blockPostponeClient(srv, c, fullname, argv)
    return BLOCKED
  }

  if (c.multi !== null && !controlsMulti && !d.notQueued) {
    // multi.c queueMultiCommand: a dirty transaction stores nothing but still says QUEUED.
    if (!c.multi.dirtyExec && !c.dirtyCas) c.multi.queue.push({ argv: [...argv], name: fullname })
    return QUEUED
  }
  return callDispatch(srv, c, ctx, argv, d)
}

/**
 * processCommand's client eviction. Its own function: a closure in processCommandInner would
 * make V8 allocate a context for what it captures on every command, evicting or not.
 */
function evictClientsBeforeCommand(srv: ServerState, ctx: ExecContext): void {
  evictClients(srv, (cl) => {
    freeEvictedClient(srv, cl, ctx)
  })
}

/** deny-oom for the command, or for EXEC any queued deny-oom command. */
function isDenyOom(c: Client, d: CommandDispatch): boolean {
  if (d.denyOom) return true
  if (d.isExec && c.multi !== null)
    return c.multi.queue.some((q) => q.name !== '' && isQueuedDenyOom(q.name))
  return false
}

/** c->mstate.cmd_flags has CMD_WRITE or CMD_MAY_REPLICATE: a queued command has either. */
function execMayReplicate(c: Client): boolean {
  return (
    c.multi !== null && c.multi.queue.some((q) => q.name !== '' && isQueuedMayReplicate(q.name))
  )
}

// Flags of queued commands are looked up again at EXEC time; the table is static.
const denyOomByName = new Map<string, boolean>()
const mayReplicateByName = new Map<string, boolean>()
function queuedFlag(
  cache: Map<string, boolean>,
  fullname: string,
  flags: readonly CommandFlag[],
): boolean {
  let v = cache.get(fullname)
  if (v === undefined) {
    const [name, sub] = fullname.split('|')
    const base = COMMAND_MAP.get(name ?? '')
    const cmd = sub === undefined ? base : base?.subcommands?.find((s) => s.name === sub)
    v = flags.some((f) => cmd?.flags.includes(f) === true)
    cache.set(fullname, v)
  }
  return v
}
const isQueuedDenyOom = (fullname: string): boolean =>
  queuedFlag(denyOomByName, fullname, ['denyoom'])
const isQueuedMayReplicate = (fullname: string): boolean =>
  queuedFlag(mayReplicateByName, fullname, ['write', 'may_replicate'])
const writeByName = new Map<string, boolean>()
const loadingByName = new Map<string, boolean>()
const staleByName = new Map<string, boolean>()

/** c->mstate.cmd_inv_flags has CMD_LOADING: some queued command may not run while loading. */
function execDeniesLoading(c: Client): boolean {
  return (
    c.multi !== null &&
    c.multi.queue.some((q) => q.name !== '' && !queuedFlag(loadingByName, q.name, ['loading']))
  )
}

/** c->mstate.cmd_flags has CMD_WRITE. */
function execIsWrite(c: Client): boolean {
  return (
    c.multi !== null &&
    c.multi.queue.some((q) => q.name !== '' && queuedFlag(writeByName, q.name, ['write']))
  )
}

/** c->mstate.cmd_inv_flags has CMD_STALE: a queued command is not flagged stale. */
function execHasNonStale(c: Client): boolean {
  return (
    c.multi !== null &&
    c.multi.queue.some((q) => q.name !== '' && !queuedFlag(staleByName, q.name, ['stale']))
  )
}

// --- Cron ---

/** server.c tryResizeHashTables. */
function tryResizeHashTables(ctx: ExecContext, db: RedisDb): void {
  if (htNeedsResize(db.dict)) dictResize(ctx, db.dict)
  if (htNeedsResize(db.expires)) dictResize(ctx, db.expires)
}

/** server.c incrementallyRehash: 1 ms of rehashing on the first dict that needs it. */
function incrementallyRehash(ctx: ExecContext, db: RedisDb): boolean {
  if (dictIsRehashing(db.dict)) {
    dictRehashMilliseconds(ctx, db.dict, 1)
    return true
  }
  if (dictIsRehashing(db.expires)) {
    dictRehashMilliseconds(ctx, db.expires, 1)
    return true
  }
  return false
}

/** Persistent indexes of databasesCron (static locals in server.c). */
const cronDbCursor = new WeakMap<ServerState, { resizeDb: number; rehashDb: number }>()

/** server.c databasesCron. */
function databasesCron(srv: ServerState, ctx: ExecContext): void {
  // A replica leaves expiry to its master's DELs, except for its own clients' keys.
  if (srv.activeExpireEnabled) {
    if (srv.repl.masterhost === null) activeExpireCycle(srv, ctx, 'slow')
    else expireSlaveKeys(srv, ctx)
  }
  // expire.c: the cycle's DELs go out at its end, never wrapped in MULTI/EXEC.
  propagatePendingCommands(srv, true)
  let cur = cronDbCursor.get(srv)
  if (cur === undefined) {
    cur = { resizeDb: 0, rehashDb: 0 }
    cronDbCursor.set(srv, cur)
  }
  // Resizing and rehashing would copy pages under the fork child: skipped while it runs.
  if (srv.child !== null) return
  const dbnum = srv.dbs.length
  const dbsPerCall = Math.min(CRON_DBS_PER_CALL, dbnum)
  for (let j = 0; j < dbsPerCall; j++) {
    const db = srv.dbs[cur.resizeDb % dbnum]
    if (db !== undefined) tryResizeHashTables(ctx, db)
    cur.resizeDb++
  }
  if (srv.config.activerehashing) {
    for (let j = 0; j < dbsPerCall; j++) {
      const db = srv.dbs[cur.rehashDb]
      if (db !== undefined && incrementallyRehash(ctx, db)) break
      cur.rehashDb = (cur.rehashDb + 1) % dbnum
    }
  }
}

/** server.c trackInstantaneousMetric: one per-second rate since the last sample. */
function trackInstantaneousMetric(
  m: InstantaneousMetric | undefined,
  now: number,
  reading: number,
): void {
  if (m === undefined) return
  const t = now - m.lastSampleTime
  const ops = reading - m.lastSampleCount
  m.samples[m.idx] = t > 0 ? Math.trunc((ops * 1000) / t) : 0
  m.idx = (m.idx + 1) % STATS_METRIC_SAMPLES
  m.lastSampleTime = now
  m.lastSampleCount = reading
}

/** server.h run_with_period(ms): true on the cron loops that fall every `ms`. */
function runWithPeriod(srv: ServerState, ms: number): boolean {
  const period = Math.trunc(1000 / srv.currentHz)
  return ms <= period || srv.cronloops % Math.trunc(ms / period) === 0
}

/**
 * serverCron's lines every 5 s: each db with keys or volatile keys at VERBOSE (its keys, its
 * volatile keys and its table's slots), then the clients and the memory in use at DEBUG.
 */
function serverCronLogInfo(srv: ServerState): void {
  const loglevel = serverLogLevel(srv)
  if (!logLevelWrites(loglevel, 'verbose')) return
  for (const db of srv.dbs) {
    const used = dictSize(db.dict)
    const vkeys = dictSize(db.expires)
    if (used !== 0 || vkeys !== 0)
      serverLog(
        srv,
        'verbose',
        `DB ${String(db.id)}: ${String(used)} keys (${String(vkeys)} volatile) in ${String(dictBuckets(db.dict))} slots HT.`,
      )
  }
  if (!logLevelWrites(loglevel, 'debug')) return
  const replicas = srv.repl.replicas.length
  serverLog(
    srv,
    'debug',
    `${String(srv.clients.size - replicas)} clients connected (${String(replicas)} replicas), ${String(zmallocUsedMemory(srv))} bytes in use`,
  )
}

/** server.c serverCron (the parts the emulation models). */
export function serverCron(srv: ServerState, ctx: ExecContext): void {
  updateCachedTime(srv, ctx.now)
  srv.currentHz = srv.config.hz
  if (srv.config.dynamicHz) {
    while (srv.clients.size / srv.currentHz > MAX_CLIENTS_PER_CLOCK_TICK) {
      srv.currentHz *= 2
      if (srv.currentHz > CONFIG_MAX_HZ) {
        srv.currentHz = CONFIG_MAX_HZ
        break
      }
    }
  }
  // DEBUG PAUSE-CRON: skip the cron's work (its clock and hz are still kept).
  if (srv.pauseCron === true) return
  // run_with_period(100): the samples behind INFO's instantaneous_* rates.
  if (runWithPeriod(srv, 100)) {
    const s = srv.stats
    const now = Math.floor(ctx.clock.now())
    trackInstantaneousMetric(s.instMetrics[0], now, s.totalCommandsProcessed)
    trackInstantaneousMetric(s.instMetrics[1], now, s.netInputBytes)
    trackInstantaneousMetric(s.instMetrics[2], now, s.netOutputBytes)
    // No replication traffic is modelled: its two rates sample 0 bytes.
    trackInstantaneousMetric(s.instMetrics[3], now, 0)
    trackInstantaneousMetric(s.instMetrics[4], now, 0)
  }
  // "We received a SIGTERM or SIGINT, shutting down here in a safe way, as it is not ok doing
  // so inside the signal handler": the host runs prepareForShutdown (takeShutdownDue).
  if (srv.shutdownAsap !== undefined && srv.shutdownAsap !== null)
    srv.shutdownDue = srv.shutdownAsap
  // run_with_period(5000): what the non-empty dbs hold, then how many clients are connected.
  if (runWithPeriod(srv, 5000)) serverCronLogInfo(srv)
  // Clear the paused clients state if needed.
  checkClientPauseTimeoutAndReturnIfPaused(srv)
  srv.lruclock = getLRUClock(ctx.now)
  databasesCron(srv, ctx)
  // A BGREWRITEAOF scheduled while another child ran (aof.ts).
  aofCronScheduled(srv, ctx)
  // checkChildrenDone, or the save points (the `save` config) and the automatic AOF rewrite,
  // then a BGSAVE SCHEDULE.
  if (srv.child !== null) {
    rdbCheckChild(srv, ctx, runWithPeriod(srv, 1000))
  } else {
    const reached = rdbSavePointReached(srv)
    if (reached !== null) {
      rdbLogNotice(srv, reached)
      rdbSaveBackground(srv, ctx)
    }
    aofCronAutoRewrite(srv, ctx)
  }
  // run_with_period(1000): a replica whose link is down connects again.
  if (runWithPeriod(srv, 1000)) {
    replicationCron(srv, ctx)
    replicationCronMaster(srv, ctx, srv.repl.cronLoops)
    replicationStartPendingSyncs(srv, ctx)
    srv.repl.cronLoops++
  }
  // Even with no command coming, a CONFIG SET tracking-table-max-keys takes effect.
  if (srv.tracking !== null && srv.tracking.clients !== 0) trackingLimitUsedSlots(srv, ctx)
  // A BGSAVE SCHEDULE, once no child runs, when the last one succeeded or was tried long
  // enough ago; it stays scheduled while the fork fails.
  if (
    srv.child === null &&
    srv.bgsaveScheduled &&
    rdbBgsaveMayRun(srv) &&
    rdbSaveBackground(srv, ctx)
  )
    srv.bgsaveScheduled = false
  updateDictResizePolicy(srv)
  const peakSlot = clientsCronPeakSlot(srv)
  for (const c of clientsCronVisit(srv)) {
    if (!srv.clients.has(c.id)) continue
    if (clientsCronHandleTimeout(srv, c, ctx, ctx.now)) continue
    clientsCronResizeQueryBuffer(srv, c)
    clientsCronResizeOutputBuffer(srv, c, ctx.now)
    clientsCronTrackExpansiveClients(srv, c, peakSlot)
    if (!updateClientMemUsageAndBucket(srv, c)) updateClientMemoryUsage(srv, c)
  }
  srv.cronloops++
}

/** server.h CLIENTS_CRON_MIN_ITERATIONS. */
const CLIENTS_CRON_MIN_ITERATIONS = 5

/**
 * server.c clientsCron's round robin: numclients/hz clients a call (at least 5, or all when
 * fewer), each taken by rotating server.clients' tail to its head (listRotateTailToHead), so
 * the last ones go first and the list, which CLIENT LIST walks, turns by that many places.
 */
function clientsCronVisit(srv: ServerState): Client[] {
  const all = [...srv.clients.values()]
  const n = all.length
  let iterations = Math.floor(n / srv.currentHz)
  if (iterations < CLIENTS_CRON_MIN_ITERATIONS)
    iterations = n < CLIENTS_CRON_MIN_ITERATIONS ? n : CLIENTS_CRON_MIN_ITERATIONS
  const taken = all.slice(n - iterations)
  if (iterations < n) {
    srv.clients.clear()
    for (const c of [...taken, ...all.slice(0, n - iterations)]) srv.clients.set(c.id, c)
  }
  return taken.reverse()
}

interface SettableClock extends Clock {
  set(ms: number): void
}

function isSettable(clock: Clock): clock is SettableClock {
  return typeof (clock as Partial<SettableClock>).set === 'function'
}

/**
 * prepareForShutdown's arguments to finishShutdown for a SHUTDOWN (its arguments) or a
 * signal (shutdown-on-sigint / shutdown-on-sigterm), at the cached time of now.
 */
function shutdownArgs(
  srv: ServerState,
  how: readonly string[] | 'SIGINT' | 'SIGTERM',
): [ServerState, ExecContext, ShutdownFlags] {
  const now = Math.floor(srv.clock.now())
  updateCachedTime(srv, now)
  const ctx = createExecContext(srv.rng, srv.clock, 'off', now)
  if (typeof how === 'string') return [srv, ctx, shutdownFlagsOnSignal(srv, how)]
  const words = how.map((a) => a.toLowerCase())
  const flags = {
    save: words.includes('save'),
    nosave: words.includes('nosave'),
    force: words.includes('force'),
  }
  return [srv, ctx, flags]
}

/** Whether the shutdown goes on; when not, server.c cancelShutdown. */
function shutdownGoesOn(srv: ServerState, on: boolean): boolean {
  if (on) return true
  srv.shutdownAsap = null
  srv.shutdownDue = null
  return false
}

// --- Inspect and digest registries are in inspect.ts / digest.ts ---

// --- createServer ---

/** The live config values that bound a client's query buffer. */
export type QueryLimits = Readonly<Pick<ServerConfig, 'protoMaxBulkLen' | 'clientQueryBufferLimit'>>

/**
 * What createServer returns: the RedisServer contract plus engine-side extras that
 * transports and tests may use (fakes of RedisServer need not implement them).
 */
export interface EngineServer extends RedisServer {
  /** RedisServer.call, also taking Uint8Array arguments (bytes.ts argvToBytes). */
  call(argv: readonly ArgInput[], client?: ClientId): Reply
  execute(argv: readonly ArgInput[], client?: ClientId): Trace
  executeSliced(argv: readonly ArgInput[], client?: ClientId): SlicedCommand
  /**
   * call() for a transport whose arguments are byte strings already (the RESP server): no
   * scan for text, which costs tens of ns a command on the hot path.
   */
  callBytes(argv: readonly string[], client?: ClientId): Reply
  /**
   * A transport's handle on one of its clients (null if there is none): the flags it reads
   * after each command, kept current by the engine, without a lookup by id.
   */
  hostClient(id: ClientId): HostedClient | null
  /** callBytes for a client the transport holds (hostClient): no lookup by id either. */
  callHosted(argv: readonly string[], client: HostedClient): Reply
  /** Where CLIENT LIST asks the RESP host for a running client's obl (connection.ts). */
  setClientIoProbe(probe: ClientIoProbe | null): void
  /** How CONFIG SET port moves the RESP host's listening socket (config.c updatePort). */
  setChangeListenPort(hook: ChangeListenPort | null): void
  /** How CONFIG SET bind moves the RESP host's listening socket (config.c applyBind). */
  setChangeBindAddr(hook: ChangeBindAddr | null): void
  /** Where the server's log lines go (serverLog.ts): the RESP host's logfile. */
  setServerLog(sink: ServerLogSink | null): void
  /**
   * The process's oom_score_adj (CONFIG SET oom-score-adj), applied at once as redis-server
   * does at startup; false when that failed.
   */
  setOomScoreAdj(hook: SetOomScoreAdj | null): boolean
  /**
   * How the host sets its process title (redisSetProcTitle(NULL)): CONFIG SET
   * proc-title-template runs it (config.c updateProcTitleTemplate); false when it failed.
   */
  setProcTitle(hook: (() => boolean) | null): void
  /** api.ts RedisServer.setMasterLinkHost and the link's events (replica.ts). */
  setMasterLinkHost(host: MasterLinkHost | null): void
  masterLinkConnected(link: number): void
  masterLinkRead(link: number, bytes: string): void
  masterLinkClosed(link: number, error: string | null): void
  /** serverLog's role character: 'S' while this server follows a master, else 'M'. */
  logRole(): 'M' | 'S'
  /**
   * CONFIG GET's text of a parameter, read by the host without running a command (the
   * loglevel its own lines obey, always-show-logo, maxmemory), or null for an unknown name.
   */
  configValue(name: string): string | null
  /**
   * acl.c ACLLoadConfiguredUsers for the config's `user` lines ([name, ...rules] each), as
   * the server loads them at startup: no client, no command. The first error, else null.
   */
  loadConfiguredUsers(users: readonly (readonly string[])[]): string | null
  /**
   * config.c rename-command at startup: `from` answers to `to` only ('' removes it). The
   * command keeps its own name in replies, errors and stats, as in Redis. The config loader
   * has checked that `from` exists and `to` does not.
   */
  renameCommand(from: string, to: string): void
  /** Clients unlinked so far (connection.ts unlinkedClientCount): moved, some may be gone. */
  unlinkedClients(): number
  /** The config file CONFIG REWRITE rewrites (none: "running without a config file"). */
  setConfigFile(hook: ConfigFileHost | null): void
  /** Where the aclfile is read and written (ACL LOAD, ACL SAVE); none: no ACL file. */
  setAclFile(hook: AclFileHost | null): void
  /**
   * ACLLoadUsersAtStartup's load of the aclfile (through setAclFile's host): null, or the
   * errors (the host logs "Aborting Redis startup because of ACL errors: ..." and exits).
   */
  loadAclFile(): string | null
  /**
   * Where RDB files are written and persistence lines logged (rdb.ts RdbDisk): the RESP
   * host's file system. Without one (the browser) saves stay in memory.
   */
  setRdbDisk(disk: RdbDisk | null): void
  /** Where the append-only files live (aof.ts AofDisk); none: the AOF writes no file. */
  setAofDisk(disk: AofDisk | null): void
  /**
   * main's aofLoadManifestFromDisk, then (appendonly yes) loadDataFromDisk's AOF load: false
   * when Redis exits (logged). The RDB file is not loaded when the AOF is on.
   */
  aofLoadAtStartup(): boolean
  /** aofOpenIfNeededOnServerStart and aofDelHistoryFiles: false when Redis exits. */
  aofOpenAtStartup(): boolean
  /** server.aof_state is AOF_ON (the data comes from the AOF, not the RDB file). */
  aofOn(): boolean
  /**
   * loadDataFromDisk: the RDB file the host read at startup loaded into the empty dataset,
   * logged through the disk. False when it cannot be: the host exits with status 1.
   */
  loadRdbFile(rdb: string): boolean
  /**
   * loadRdbFile in steps, the server loading meanwhile (INFO loading:1, -LOADING): null
   * when the file cannot be loaded (logged; the host exits with status 1).
   */
  startLoadingRdbFile(rdb: string): RdbLoading | null
  /**
   * finishShutdown's persistence part for a SHUTDOWN (its arguments) or a signal: the
   * child killed, the final save made. False when the shutdown is cancelled (the save failed).
   */
  prepareForShutdown(how: readonly string[] | 'SIGINT' | 'SIGTERM'): boolean
  /**
   * prepareForShutdown for a host that writes the final save itself, in steps (its event
   * loop turning, clients not served, so that a second SIGINT can insist): true or false as
   * prepareForShutdown's, or the save to write, whose `done` then says.
   */
  prepareForShutdownInSteps(how: readonly string[] | 'SIGINT' | 'SIGTERM'): boolean | ShutdownSave
  /**
   * sigShutdownHandler: a SIGINT or SIGTERM schedules the shutdown for the next serverCron
   * (server.shutdown_asap; SHUTDOWN ABORT clears it). A SIGINT while one is scheduled means
   * "you insist": the server's temp-<pid>.rdb is removed and true returned (the host exits
   * with status 1).
   */
  requestShutdown(signal: 'SIGINT' | 'SIGTERM'): boolean
  /** The signal whose shutdown serverCron found due (once), else null: the host shuts down. */
  takeShutdownDue(): 'SIGINT' | 'SIGTERM' | null
  /**
   * The host can die as redis-server does: DEBUG SEGFAULT / PANIC / ASSERT then log debug.c's
   * bug report and leave a signal for takeCrash instead of answering that they are not
   * modelled (crashReport.ts).
   */
  setCrashHost(on: boolean): void
  /** The signal the host must now die by (once) after a bug report, else null. */
  takeCrash(): number | null
  /**
   * sigsegvHandler for a fatal signal the host received (SIGSEGV 11, SIGBUS 7, SIGFPE 8,
   * SIGILL 4, SIGABRT 6): the bug report logged; false (nothing logged) when
   * crash-log-enabled is no. The host then dies by the signal.
   */
  signalCrash(signal: number): boolean
  /**
   * A transport's hold on a client's query buffer sizes (querybuf.ts): from then on its reads
   * and its parser size the buffer, not the commands.
   */
  hostQueryBuf(id: ClientId): QueryBuf | null
  /**
   * The transport still holds `bytes` of the client's replies, unwritten (replyList.ts; the
   * new ones are the body of one long bulk string with `onePiece`, else small replies). Null,
   * or, when the client overcame client-output-buffer-limit, the line Redis logs as it
   * schedules the client's close (networking.c closeClientOnOutputBufferLimitReached): the
   * transport then closes the connection without writing the rest.
   */
  outputPending(id: ClientId, bytes: number, onePiece?: boolean): string | null
  /**
   * The transport wrote all it had of the client's output (nothing is left unwritten): a
   * replica's reference in the replication buffer moves on (replBuffer.ts).
   */
  replicaWritten(id: ClientId): void
  /** The transport has processed a read of the client's (processInputBuffer's end). */
  readProcessed(id: ClientId): void
  /**
   * The clients the engine freed (client eviction, replicas on REPLICAOF NO ONE) since last
   * asked, each with the line Redis logs ('' when logged already through setServerLog): the
   * transport closes their connections at once, sending nothing more.
   */
  takeClientsToClose(): readonly (readonly [ClientId, string])[]
  /**
   * clientsCron's check of a client with replies unwritten: null, or the line Redis logs as
   * it closes the client for its output buffer limits (the transport closes it).
   */
  outputLimitCheck(id: ClientId): string | null
  /** execute() for byte-string arguments, without the scan for text (see callBytes). */
  executeBytes(argv: readonly string[], client?: ClientId): Trace
  /** The client has not authenticated while the default user needs a password (networking.c authRequired). */
  authRequired(id: ClientId): boolean
  /** Self-check of the whole server state: empty when consistent (serverStateValidate). */
  validate(): string[]
  /**
   * The query limits in force (proto-max-bulk-len, client-query-buffer-limit; CONFIG SET
   * changes them): the RESP transport reads them on each read, as networking.c does.
   */
  queryLimits(): QueryLimits
  /** Copies the server onto `clock` (api.ts RedisServer.clone, snapshot.ts). */
  clone(clock: Clock): EngineServer
  keyCount(): number
  commandKeys(argv: readonly string[]): string[]
  stateSize(): number
}

/**
 * Self-check: every db is valid, WATCH and blocking bookkeeping agree in both directions
 * (each client's watched and waited keys are listed under their db, and nothing else is),
 * clients know their db.
 */
export function serverStateValidate(srv: ServerState): string[] {
  const errors: string[] = []
  for (const db of srv.dbs) {
    for (const e of dbValidate(db)) errors.push(`db ${String(db.id)}: ${e}`)
    for (const [key, list] of db.watchedKeys) {
      if (list.length === 0) errors.push(`db ${String(db.id)}: empty watcher list for ${key}`)
      for (const wk of list) {
        const c = srv.clients.get(wk.client)
        if (c === undefined) errors.push(`watch on ${key} by closed client ${String(wk.client)}`)
        else if (!c.watched.includes(wk)) errors.push(`client ${String(c.id)} lost watch ${key}`)
      }
    }
  }
  errors.push(...slowlogValidate(srv.slowlog))
  errors.push(...latencyValidate(srv))
  let blocked = 0
  for (const db of srv.dbs)
    for (const [key, ids] of db.blockingKeys)
      for (const id of ids)
        if (srv.clients.get(id)?.bpop?.keys.includes(key) !== true)
          errors.push(`db ${String(db.id)}: ${key} lists client ${String(id)}, not blocked on it`)
  for (const c of srv.clients.values()) {
    if (c.bpop !== null) {
      blocked++
      for (const key of c.bpop.keys)
        if (!(srv.dbs[c.bpop.db]?.blockingKeys.get(key)?.includes(c.id) ?? false))
          errors.push(`client ${String(c.id)} blocked on ${key}, not listed under it`)
    }
    if (c.db < 0 || c.db >= srv.dbs.length)
      errors.push(`client ${String(c.id)} in db ${String(c.db)}`)
    for (const wk of c.watched)
      if (!(srv.dbs[wk.db]?.watchedKeys.get(wk.key)?.includes(wk) ?? false))
        errors.push(`client ${String(c.id)} watch ${wk.key} not indexed in db ${String(wk.db)}`)
  }
  for (const e of pubsubValidate(srv)) errors.push(`pubsub: ${e}`)
  errors.push(...trackingValidate(srv))
  for (const e of aclValidate(srv.acl)) errors.push(`acl: ${e}`)
  for (const c of srv.clients.values())
    if (srv.acl.users.get(c.user.name) !== c.user)
      errors.push(`client ${String(c.id)} runs as a user not in the table`)
  let replyBufs = 0
  let queryBufs = 0
  let partialArgvs = 0
  let normalMemory = 0
  for (const c of srv.clients.values()) {
    replyBufs += c.bufUsableSize
    queryBufs += c.querybuf.zmalloc
    partialArgvs += c.querybuf.argvZmalloc
    if (c.lastMemoryNormal) normalMemory += c.lastMemoryUsage
  }
  if (normalMemory !== srv.clientsNormalMemory)
    errors.push(
      `clients' last memory sums to ${String(normalMemory)}, ${String(srv.clientsNormalMemory)} counted`,
    )
  let replyLists = 0
  for (const c of srv.clients.values()) replyLists += clientReplyListAllocation(c)
  if (replyLists !== srv.clientReplyListBytes)
    errors.push(
      `reply lists sum to ${String(replyLists)}, ${String(srv.clientReplyListBytes)} counted`,
    )
  if (replyBufs !== srv.clientReplyBufBytes)
    errors.push(
      `reply buffers sum to ${String(replyBufs)}, ${String(srv.clientReplyBufBytes)} counted`,
    )
  if (queryBufs !== srv.clientQueryBufs.bytes)
    errors.push(
      `query buffers sum to ${String(queryBufs)}, ${String(srv.clientQueryBufs.bytes)} counted`,
    )
  if (partialArgvs !== srv.clientQueryBufs.argv)
    errors.push(
      `partial argvs sum to ${String(partialArgvs)}, ${String(srv.clientQueryBufs.argv)} counted`,
    )
  if (blocked !== srv.blockedClients)
    errors.push(`${String(srv.blockedClients)} blocked clients counted, ${String(blocked)} found`)
  return errors
}

/** Creates an engine server (api.ts RedisServer). */
export function createServer(opts: ServerOptions): EngineServer {
  const srv = createServerState(opts)
  // A maxmemory-clients from the start makes the buckets (applyClientMaxMemoryUsage).
  applyClientMaxMemoryUsage(srv)
  return serverFromState(srv, null)
}

/** Clones a server state onto `clock` (snapshot.ts), with the cron cursors server.ts keeps. */
function cloneServer(srv: ServerState, clock: Clock): ServerState {
  const { state, copier } = cloneServerState(srv, clock)
  const cur = cronDbCursor.get(srv)
  if (cur !== undefined) cronDbCursor.set(state, copier.copy(cur))
  return state
}

const NO_CLIENTS_TO_CLOSE: readonly (readonly [ClientId, string])[] = []

/** Wraps a server state (new or cloned) in the RedisServer interface. */
function serverFromState(srv: ServerState, defaultClientId: ClientId | null): EngineServer {
  // The client used by call()/execute() without an id, created on first use so that a
  // transport that creates its own clients never sees a phantom connection.
  let defaultClient: Client | null =
    defaultClientId === null ? null : (srv.clients.get(defaultClientId) ?? null)

  const clientOf = (id: ClientId | undefined): Client => {
    if (id === undefined) {
      // A caller without a connection cannot wait for a late reply: it never blocks.
      if (defaultClient === null || !srv.clients.has(defaultClient.id))
        defaultClient = createClientState(srv, { denyBlocking: true })
      return defaultClient
    }
    const c = srv.clients.get(id)
    if (c === undefined) throw new Error(`no such client: ${String(id)}`)
    return c
  }

  /**
   * One top-level command in its context: processCommand, then beforeSleep's work. The time
   * is the context's (a time passed as an argument would be boxed on every call: epoch ms
   * are beyond V8's small integers).
   */
  const runCommand = (argv: readonly string[], c: Client, ctx: ExecContext): Reply => {
    updateCachedTime(srv, ctx.now)
    // dict_can_resize is a module global (as in Redis): this server's child state decides.
    updateDictResizePolicy(srv)
    srv.currentClient = c
    try {
      if (c.bpop !== null) throw new Error(`client ${String(c.id)} is blocked: wait for its reply`)
      clientCommandIoBegin(c, argv)
      let reply = processCommand(srv, c, ctx, argv)
      // processCommand after call(): the offset WAIT waits for.
      c.woff = srv.repl.masterReplOffset
      if (c.replyFlags !== 0 || c.replySilenced) settleReplyFlags(c)
      // _addReplyToBuffer: the reply fills c->buf up to its size (c->buf_peak follows).
      if (!c.replySilenced && reply !== BLOCKED)
        clientReplyAdded(c, respEncodedLength(reply, c.bufUsableSize))
      // processCommandAndResetClient: the client's memory after its command.
      if (srv.clientMemBuckets !== null && srv.clients.has(c.id))
        updateClientMemUsageAndBucket(srv, c)
      // afterCommand: client-side caching invalidations for c go after its reply.
      if (srv.tracking !== null)
        reply = trackingAfterCommand(srv, c, reply, reply !== BLOCKED && !c.replySilenced)
      // processCommand after call(): serve the clients blocked on keys the command filled.
      if (readyKeysSignalled() !== 0) handleClientsBlockedOnKeys(srv, ctx)
      // The event loop's time events: the eviction time proc (evict.ts) runs on every pass
      // until it is done. Passes come one after another while no other client sends.
      while (srv.evictionProcRunning) evictionTimeProc(srv, ctx)
      // beforeSleep: blocked clients' timeouts, then the fast expire cycle (file comment).
      if (srv.blockedClients !== 0) handleBlockedClientsTimeout(srv, ctx)
      if (srv.activeExpireEnabled && srv.repl.masterhost === null)
        activeExpireCycle(srv, ctx, 'fast')
      propagatePendingCommands(srv, true)
      // beforeSleep: the AOF buffer goes to its file before any reply does.
      aofBeforeSleep(srv)
      return reply
    } finally {
      clientCommandIoEnd(c)
      srv.currentClient = null
      srv.callStart = NaN
    }
  }

  /**
   * blocked.c processUnblockedClients (beforeSleep): the clients a pause held run their
   * command again, from the start (it may be held again, or block); each reply goes to the
   * outbox. Their steps are not traced (as for blocked clients served later). The reply of
   * `self`, the client whose command just ran (held by a pause whose end had passed unseen,
   * then released by the same call's checks), is returned instead, as that command's reply.
   */
  const processUnblockedClients = (self: Client | null): Reply | null => {
    let selfReply: Reply | null = null
    const queue = srv.clientPause.unblocked
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const c = srv.clients.get(next.id)
      if (c === undefined || c.bpop !== null) continue
      const now = Math.floor(srv.clock.now())
      const reply = runCommand(next.argv, c, createExecContext(srv.rng, srv.clock, 'off', now))
      // The master client goes on with its stream (nothing is answered to a master).
      if (isMasterClient(srv, c)) {
        dequeueClientForReprocessing(srv, c)
        if (c.bpop === null) masterClientResumed(srv, masterHooks)
      } else if (c === self) {
        selfReply = reply
        // Its reply is the call's own: nothing for the transport to go on with.
        dequeueClientForReprocessing(srv, c)
      } else if (reply !== BLOCKED && !c.replySilenced)
        srv.outbox.set(c.id, (srv.outbox.get(c.id) ?? '') + respEncode(reply))
    }
    return selfReply
  }

  // One context per trace level, reused by every top-level command (context.ts
  // ReusableExecContext). A command run from inside another (none does today) gets its own.
  const reusable: Record<TraceLevel, ReusableExecContext | null> = {
    off: null,
    summary: null,
    full: null,
  }
  const contextFor = (level: TraceLevel, now: number): ExecContext => {
    if (srv.currentClient !== null) return createExecContext(srv.rng, srv.clock, level, now)
    const ctx = (reusable[level] ??= createReusableExecContext(srv.rng, srv.clock, level))
    return resetExecContext(ctx, srv.rng, srv.clock, now)
  }

  const run = (argv: readonly string[], id: ClientId | undefined, level: TraceLevel): Trace => {
    const c = clientOf(id)
    // server.mstime is whole milliseconds; the clock may carry microseconds for budgets.
    const raw = srv.clock.now()
    srv.callStart = raw
    const now = Math.floor(raw)
    const ctx = contextFor(level, now)
    const seq = ++srv.seq
    const db = c.db
    let reply = runCommand(argv, c, ctx)
    const events = ctx.events
    if (srv.clientPause.unblocked.length !== 0) reply = processUnblockedClients(c) ?? reply
    return { seq, client: c.id, db, argv, at: now, reply, events }
  }

  /** run() at level off without building the Trace (the hot path of call()). */
  const runOff = (argv: readonly string[], id: ClientId | undefined): Reply =>
    runOffFor(argv, clientOf(id))

  const runOffFor = (argv: readonly string[], c: Client): Reply => {
    const raw = srv.clock.now()
    srv.callStart = raw
    const now = Math.floor(raw)
    const ctx = contextFor('off', now)
    ++srv.seq
    const reply = runCommand(argv, c, ctx)
    if (srv.clientPause.unblocked.length === 0) return reply
    return processUnblockedClients(c) ?? reply
  }

  /** beforeSleep: WAITs that enough replicas acknowledged, then the GETACKs a WAIT asked for. */
  const replicationBeforeSleep = (): void => {
    if (srv.repl.waitingAcks.length !== 0) processClientsWaitingReplicas(srv)
    sendGetackIfRequested(srv)
    // "Incrementally trim replication backlog, 10 times the normal speed".
    if (srv.repl.backlog) replBufferTrim(srv, srv.repl.buf, 10 * REPL_BACKLOG_TRIM_BLOCKS_PER_CALL)
  }

  /** An event on the master link: the cached time moves to now, in a context of its own. */
  const linkContext = (): ExecContext => {
    const now = Math.floor(srv.clock.now())
    updateCachedTime(srv, now)
    return createExecContext(srv.rng, srv.clock, 'off', now)
  }

  const runCron = (level: TraceLevel, at: number, events: StepEvent[]): void => {
    const ctx = createExecContext(srv.rng, srv.clock, level, Math.floor(at))
    updateDictResizePolicy(srv)
    serverCron(srv, ctx)
    // The event loop's next beforeSleep: blocked clients whose time has come, and the
    // clients a pause that ended held.
    if (srv.blockedClients !== 0) handleBlockedClientsTimeout(srv, ctx)
    if (srv.clientPause.unblocked.length !== 0) processUnblockedClients(null)
    if (srv.activeExpireEnabled && srv.repl.masterhost === null) activeExpireCycle(srv, ctx, 'fast')
    replicationBeforeSleep()
    // The poll after it: the connect replicationCron started is refused (replica.ts).
    replicationConnectFailed(srv)
    aofBeforeSleep(srv)
    for (const e of ctx.events) events.push(e)
  }

  const period = (): number => 1000 / srv.currentHz

  // The master client of a replica (replica.ts): its commands run as any client's, unanswered.
  const masterHooks: MasterClientHooks = {
    createClient: () =>
      createClientState(srv, {
        addr: `${srv.repl.masterhost ?? ''}:${String(srv.repl.masterport)}`,
      }),
    run: (c, argv) => {
      const reply = runOffFor(argv, c)
      // afterErrorReply: an error to the master is never sent, but logged and counted.
      if (reply.type === 'error') {
        serverLog(
          srv,
          'warning',
          `== CRITICAL == This replica is sending an error to its master: '${reply.value.slice(0, 4096)}' after processing the command '${c.lastCmd === 'NULL' ? '<unknown>' : c.lastCmd}'`,
        )
        srv.stats.unexpectedErrorReplies++
      }
    },
  }

  const server: EngineServer = {
    createClient: (o?: ClientOptions) => {
      // A connection is accepted in a loop that ends on EAGAIN (util/errno.ts).
      libc.errno = EAGAIN
      return createClientState(srv, o).id
    },
    closeClient: (id: ClientId) => {
      const c = srv.clients.get(id)
      if (c === undefined) return
      unwatchAllKeys(srv, id)
      unblockClosedClient(srv, c)
      monitorClientClosed(srv, id)
      if (srv.repl.replicas.includes(id)) replicaFreed(srv, c)
      else replicaClosed(srv, id)
      freeClientPubsub(srv, c, null)
      disableTracking(srv, c)
      unlinkClient(srv, c)
    },
    call: (argv, client) => runOff(argvToBytes(argv), client),
    callBytes: runOff,
    hostClient: (id) => srv.clients.get(id) ?? null,
    callHosted: (argv, h) => {
      // Every Client is a HostedClient; a freed one has closeAfterReply set (unlinkClient).
      const c = h as Client
      if (c.closeAfterReply && srv.clients.get(c.id) !== c)
        throw new Error(`no such client: ${String(c.id)}`)
      return runOffFor(argv, c)
    },
    setClientIoProbe: (probe) => {
      setClientIoProbe(srv, probe)
    },
    setChangeListenPort: (hook) => {
      setChangeListenPort(srv, hook)
    },
    setChangeBindAddr: (hook) => {
      setChangeBindAddr(srv, hook)
    },
    setOomScoreAdj: (hook) => setOomScoreAdjHook(srv, hook),
    setProcTitle: (hook) => {
      setProcTitleHook(srv, hook)
    },
    loadConfiguredUsers: (users) => {
      for (const [name = '', ...rules] of users) {
        const err = aclStringSetUser(srv, name, name === 'default' ? ['reset', ...rules] : rules)
        if (err !== null) return `Error loading ACL rules for the user named '${name}': ERR ${err}`
      }
      return null
    },
    unlinkedClients: unlinkedClientCount,
    renameCommand: (from, to) => {
      // A new map: dispatch caches are keyed by the map they were filled from.
      const map = new Map(srv.commands.map)
      const cmd = map.get(from.toLowerCase())
      if (cmd === undefined) return
      map.delete(from.toLowerCase())
      if (to !== '') map.set(to.toLowerCase(), cmd)
      const reachable = new Set(map.values())
      const list = srv.commands.list.filter((s) => reachable.has(s))
      srv.commands = { list, map, original: srv.commands.original }
    },
    setConfigFile: (hook) => {
      setConfigFileHook(srv, hook)
    },
    setAclFile: (hook) => {
      setAclFileHook(srv, hook)
    },
    loadAclFile: () => aclLoadFromFile(srv, null),
    setServerLog: (sink) => {
      setServerLogSink(srv, sink)
    },
    setRdbDisk: (disk) => {
      setRdbDisk(srv, disk)
    },
    setAofDisk: (disk) => {
      setAofDisk(srv, disk)
    },
    aofLoadAtStartup: () => {
      const now = Math.floor(srv.clock.now())
      updateCachedTime(srv, now)
      return aofLoadAtStartup(srv, createExecContext(srv.rng, srv.clock, 'off', now))
    },
    aofOpenAtStartup: () => {
      const now = Math.floor(srv.clock.now())
      updateCachedTime(srv, now)
      return aofOpenAtStartup(srv, createExecContext(srv.rng, srv.clock, 'off', now))
    },
    aofOn: () => srv.aof.state === 'on',
    loadRdbFile: (rdb) => {
      const now = Math.floor(srv.clock.now())
      updateCachedTime(srv, now)
      return rdbLoadFromFile(srv, createExecContext(srv.rng, srv.clock, 'off', now), rdb)
    },
    startLoadingRdbFile: (rdb) => {
      const now = Math.floor(srv.clock.now())
      updateCachedTime(srv, now)
      return rdbStartLoading(srv, createExecContext(srv.rng, srv.clock, 'off', now), rdb)
    },
    prepareForShutdown: (how) => shutdownGoesOn(srv, finishShutdown(...shutdownArgs(srv, how))),
    prepareForShutdownInSteps: (how) => {
      const r = finishShutdownInSteps(...shutdownArgs(srv, how))
      if (typeof r === 'boolean') return shutdownGoesOn(srv, r)
      return { job: r.job, done: (ok) => shutdownGoesOn(srv, r.done(ok)) }
    },
    requestShutdown: (signal) => {
      if (signal === 'SIGINT' && srv.shutdownAsap !== undefined && srv.shutdownAsap !== null) {
        rdbRemoveTempFile(srv, srv.processId)
        return true
      }
      srv.shutdownAsap = signal
      return false
    },
    setCrashHost: (on) => {
      srv.crashHost = on
    },
    takeCrash: () => takeCrash(srv),
    signalCrash: (signal) => {
      const now = Math.floor(srv.clock.now())
      updateCachedTime(srv, now)
      return signalCrash(srv, createExecContext(srv.rng, srv.clock, 'off', now), signal)
    },
    takeShutdownDue: () => {
      const due = srv.shutdownDue ?? null
      srv.shutdownDue = null
      return due
    },
    logRole: () => (srv.repl.masterhost === null ? 'M' : 'S'),
    configValue: (name) => {
      const p = lookupConfig(name)
      return p === undefined ? null : configGetValue(srv.config, p)
    },
    hostQueryBuf: (id) => {
      const c = srv.clients.get(id)
      if (c === undefined) return null
      c.querybuf.hosted = true
      return c.querybuf
    },
    outputPending: (id, bytes, onePiece) => {
      const c = srv.clients.get(id)
      if (c === undefined) return null
      if (srv.repl.replicas.includes(id)) {
        // A replica's output is the shared replication buffer (replBuffer.ts).
        replicaOutputPending(srv, srv.repl.buf, id, bytes)
        return null
      }
      if (!clientOutputPending(srv, c, bytes, onePiece)) {
        // writeToClient / _addReplyToBufferOrList: its memory after the write.
        if (srv.clientMemBuckets !== null) updateClientMemUsageAndBucket(srv, c)
        return null
      }
      return c.replyList?.closeAsap ?? obufLimitCloseLine(srv, c)
    },
    readProcessed: (id) => {
      // processInputBuffer's end: a big command read in part counts now.
      const c = srv.clients.get(id)
      if (c !== undefined && srv.clientMemBuckets !== null) updateClientMemUsageAndBucket(srv, c)
    },
    takeClientsToClose: () => {
      if (srv.clientsToClose.size === 0) return NO_CLIENTS_TO_CLOSE
      const closed = [...srv.clientsToClose]
      srv.clientsToClose.clear()
      return closed
    },
    replicaWritten: (id) => {
      if (srv.repl.buf.refs.size !== 0) replicaOutputPending(srv, srv.repl.buf, id, 0)
    },
    outputLimitCheck: (id) => {
      const c = srv.clients.get(id)
      if (c === undefined) return null
      if (srv.repl.replicas.includes(id)) {
        if (!replicaOverOutputLimits(srv, srv.repl.buf, id)) return null
      } else if (!clientOutputLimitReached(srv, c)) return null
      return `Client ${clientInfoString(srv, c, null)} closed for overcoming of output buffer limits.`
    },
    execute: (argv, client) => run(argvToBytes(argv), client, srv.traceLevel),
    executeBytes: (argv, client) => run(argv, client, srv.traceLevel),
    executeSliced: (args, client) => {
      const argv = argvToBytes(args)
      return startSlicedCommand(srv, clientOf(client), argv, srv.traceLevel, {
        runCommand,
        execute: () => run(argv, client, srv.traceLevel),
      })
    },
    shouldClose: (id) => srv.clients.get(id)?.closeAfterReply ?? true,
    replySilenced: (id) => srv.clients.get(id)?.replySilenced ?? false,
    emptyRequest: (id) => {
      const c = srv.clients.get(id)
      if (c === undefined) return
      // resetClient after a request of no arguments: a CLIENT REPLY SKIP is used up, and
      // CLIENT CACHING's flag ends (no command ran, so none was CLIENT's).
      c.replyFlags &= ~REPLY_SKIP
      trackingResetCaching(c, '')
    },
    protocolError: (id, message) => {
      countErrorReply(srv, error('ERR ' + message))
      const c = srv.clients.get(id)
      if (c !== undefined) c.closeAfterReply = true
    },
    netRead: (bytes, client) => {
      srv.netReported = true
      srv.stats.netInputBytes += bytes
      srv.stats.totalReads++
      const c = client === undefined ? undefined : srv.clients.get(client)
      if (c === undefined) return
      // readQueryFromClient: any bytes read are an interaction (CLIENT LIST idle, timeout),
      // even a command not yet complete.
      if (bytes > 0) c.lastInteraction = srv.mstime
      else if (logLevelWrites(serverLogLevel(srv), 'verbose'))
        serverLog(srv, 'verbose', `Client closed connection ${clientInfoString(srv, c, null)}`)
    },
    netWritten: (bytes, client) => {
      srv.stats.netOutputBytes += bytes
      srv.stats.totalWrites++
      const c = client === undefined ? undefined : srv.clients.get(client)
      if (c === undefined) return
      // What one write carried had all been waiting in that client's c->buf.
      clientReplyAdded(c, bytes)
      // writeToClient: a write is an interaction too (a blocked client just served, say).
      if (bytes > 0) c.lastInteraction = srv.mstime
    },
    drainOutbox: () => {
      replicationBeforeSleep()
      // beforeSleep: BCAST invalidations collected since the last time (tracking.ts).
      if (srv.tracking !== null) trackingBroadcastInvalidationMessages(srv)
      // beforeSleep: evictClients.
      if (srv.clientMemBuckets !== null)
        evictClients(srv, (cl) => {
          freeEvictedClient(srv, cl, null)
        })
      const out = drainOutbox(srv)
      // The poll after beforeSleep: a connect to a master started meanwhile is refused.
      replicationConnectFailed(srv)
      return out
    },
    setMasterLinkHost: (host) => {
      setMasterLinkHost(srv, host)
    },
    masterLinkConnected: (link) => {
      updateCachedTime(srv, Math.floor(srv.clock.now()))
      masterLinkConnected(srv, link)
    },
    masterLinkRead: (link, bytes) => {
      masterLinkRead(srv, link, bytes, { ctx: linkContext(), hooks: masterHooks })
    },
    masterLinkClosed: (link, err) => {
      masterLinkClosed(srv, linkContext(), link, err)
    },
    takeUnblocked: () => {
      const ids = srv.unblockedClients
      if (ids.length !== 0) srv.unblockedClients = []
      return ids
    },
    isBlocked: (id) => {
      const c = srv.clients.get(id)
      return c !== undefined && clientIsBlocked(c)
    },
    protectedModeRefuses: (id) => {
      const c = srv.clients.get(id)
      if (c === undefined || c.local || (srv.config.other['protected-mode'] ?? 'yes') !== 'yes')
        return false
      if ((srv.acl.defaultUser.flags & USER_FLAG_NOPASS) === 0) return false
      srv.stats.rejectedConn++
      // clientAcceptHandler counts a connection (stat_numconnections) only past this check.
      srv.stats.totalConnectionsReceived--
      return true
    },
    admitClient: () => {
      if (srv.clients.size < Number(srv.config.other['maxclients'] ?? '10000')) return true
      srv.stats.rejectedConn++
      return false
    },
    tick: (ms: number): TickTrace => {
      const clock = srv.clock
      if (!isSettable(clock)) throw new Error('tick() needs a manual clock; use cron()')
      // Time only moves forward, by a finite span: a NaN would poison the clock for good.
      if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`tick(${String(ms)}): not a span`)
      const start = clock.now()
      const target = start + ms
      const events: StepEvent[] = []
      while (srv.nextCronAt <= target) {
        const at = srv.nextCronAt
        // Work charged to the clock (workCost.ts) may have taken it past the cron's time:
        // a late cron runs when the work is done, and time never goes back.
        clock.set(Math.max(at, clock.now()))
        runCron(srv.traceLevel, Math.floor(clock.now()), events)
        srv.nextCronAt = at + period()
      }
      const end = Math.max(target, clock.now())
      clock.set(end)
      updateCachedTime(srv, end)
      return { at: end, events }
    },
    cron: (): TickTrace => {
      const now = Math.floor(srv.clock.now())
      const events: StepEvent[] = []
      // While loading only clients are served (processEventsWhileBlocked): no time events.
      if (now >= srv.nextCronAt && srv.loading === null) {
        runCron(srv.traceLevel, now, events)
        srv.nextCronAt = Math.max(srv.nextCronAt + period(), now)
      }
      return { at: now, events }
    },
    inspect: (key: string | null, o?: InspectOptions): InspectView | null => {
      const dbIndex = o?.db ?? defaultClient?.db ?? 0
      const db = srv.dbs[dbIndex]
      if (db === undefined) return null
      const limit = o?.limit ?? 512
      if (o?.server === 'clients') return { ...inspectClients(srv, limit) }
      return key === null
        ? // Spread: an interface has no index signature, an object literal does.
          { ...inspectKeyspace(srv, db, limit, o?.range) }
        : inspectKey(srv, db, argToBytes(key), limit)
    },
    digest: () => digestServer(srv),
    get traceLevel() {
      return srv.traceLevel
    },
    setTraceLevel: (level: TraceLevel) => {
      srv.traceLevel = level
    },
    // Used by the RESP server for Redis's stricter limits on unauthenticated clients.
    validate: () => serverStateValidate(srv),
    queryLimits: () => srv.config,
    authRequired: (id: ClientId) => {
      const c = srv.clients.get(id)
      return c !== undefined && authRequired(srv, c)
    },
    clone: (clock: Clock) => serverFromState(cloneServer(srv, clock), defaultClient?.id ?? null),
    keyCount: () => serverKeyCount(srv),
    commandKeys: (argv: readonly string[]) => {
      const bytes = argvToBytes(argv)
      const refs = commandKeyReferences(srv, bytes)
      return typeof refs === 'string' ? [] : refs.map((r) => bytes[r.pos] as string)
    },
    stateSize: () => serverStateSize(srv),
  }
  return server
}
