/**
 * `npm run serve -- [/path/to/redis.conf] [--port 6380] [--seed N]
 * [--enable-debug-command yes|local|no] [--bind 127.0.0.1] [--<config-name> <value> ...]`:
 * serves the engine over RESP2. The config file and options are read as redis-server reads
 * them (configFile.ts); it logs as redis-server does (to `logfile`, '' for stdout), loads
 * `dbfilename` from `dir` when there is one, ends with "Ready to accept connections", writes
 * `pidfile` and stops on SIGTERM or SIGINT. SAVE, BGSAVE, the save points, FLUSHALL and
 * SHUTDOWN write the RDB file there as redis-server does (rdbDisk.ts); a BGSAVE runs a child
 * process while its file is written (rdbChild.ts).
 *
 * Like redis-server, any other `--name value` pair sets that config parameter at startup
 * (e.g. `--hz 100 --requirepass secret --maxmemory 10mb --save ""`). Options that only make
 * sense for a real redis-server (--daemonize, ...) are accepted and ignored,
 * so the same command line works for both. `dir` is what CONFIG GET dir shows: like
 * redis-server, the working directory (or --dir) as an absolute, resolved path.
 */
import { appendFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { randomInt } from 'node:crypto'
import { ConfigFileError, loadServerConfig, serverOptions } from './configFile.ts'
import type { EngineServer } from '../engine/server.ts'
import { createConfigFileHost } from './configFileHost.ts'
import { createAclFileHost } from './aclFileHost.ts'
import { strerror } from './strerror.ts'
import { createOomScoreAdj, type OomScoreAdjStatics } from './oomScoreAdj.ts'
import { createRdbChildren } from './rdbChild.ts'
import {
  createRdbDisk,
  openRdbTempFile,
  rdbSaveInSteps,
  readRdbFile,
  type HostLog,
} from './rdbDisk.ts'
import { createAofDisk } from './aofDisk.ts'
import { startupSystemWarnings } from './syscheck.ts'
import {
  bindAddressHost,
  LOG_MARKS,
  startRespServer,
  type LogMark,
  type RespServerHandle,
} from './server.ts'
import { expandProcTitleTemplate, procTitleVars } from '../engine/config.ts'
import { logLevelWrites, type LogLevel } from '../engine/serverLog.ts'

// appendonly is kept: INFO's aof_enabled and DEBUG LOADAOF read it.
/** The signal abort() raises (Linux). */
const SIGABRT = 6

const IGNORED = new Set(['daemonize'])

export interface ServeArgs {
  port: number
  /** The address listened on; null when `bind ""` names none (no TCP socket). */
  host: string | null
  seed: number
  enableDebugCommand: 'yes' | 'local' | 'no'
  config: Record<string, string>
  /** `user` directives: ACL SETUSER arguments, applied once the engine is up. */
  users: string[][]
  /** Where the log goes; '' is stdout (as redis-server's logfile ""). */
  logfile: string
  /** `rename-command` lines: [command, new name ('' removes it)], in order. */
  renames: [string, string][]
  /** The config file's absolute path (server.configfile, what CONFIG REWRITE rewrites), or null. */
  configFile: string | null
}

/** Options of this host that are not redis-server configs. */
const HOST_OPTIONS: ReadonlySet<string> = new Set(['seed'])

/**
 * Parses the command line (everything after `main.ts`) as redis-server does: an optional
 * config file first, then `--name value...` options (configFile.ts). Throws on bad usage;
 * a ConfigFileError's message is the whole report redis-server would print.
 */
export function parseServeArgs(
  args: readonly string[],
  read?: (path: string) => string,
  defaultHost = '127.0.0.1',
  defaultSeed = 0,
): ServeArgs {
  const out: ServeArgs = {
    // 6380 rather than 6379, so that it starts next to a real Redis on the default port.
    port: 6380,
    host: defaultHost,
    seed: defaultSeed,
    enableDebugCommand: 'no',
    config: {},
    users: [],
    logfile: '',
    configFile: null,
    renames: [],
  }
  const { file, options } = serverOptions(args)
  // getAbsolutePath, before the `dir` config moves the working directory.
  if (file !== null) out.configFile = resolve(file)
  for (const { name, args: values } of loadServerConfig(file, options, read, HOST_OPTIONS)) {
    const value = values.join(' ')
    const flag = `--${name}`
    if (name === 'port') out.port = parseInteger(flag, value)
    else if (name === 'seed') out.seed = parseInteger(flag, value)
    // Only the first address is listened on. As in redis-server, a leading '-' marks it
    // optional and '*' is every IPv4 address ('::*' every IPv6 one). CONFIG GET shows them all.
    // config.c setConfigBindOption: a single empty argument is no address at all.
    else if (name === 'bind') {
      out.host =
        values[0] === undefined || (values.length === 1 && values[0] === '')
          ? null
          : bindAddressHost(values[0])
      out.config['bind'] = value
    } else if (name === 'user') out.users.push([...values])
    else if (name === 'rename-command') out.renames.push([values[0] ?? '', values[1] ?? ''])
    else if (name === 'logfile') {
      out.logfile = value
      out.config['logfile'] = value
    } else if (name === 'save') out.config['save'] = loadSaveParams(out.config['save'], value)
    // Each line sets the classes it names and leaves the others (CONFIG REWRITE writes one a
    // class): all of them go to the engine as one value.
    else if (name === 'client-output-buffer-limit') {
      const loaded = out.config[name]
      out.config[name] = loaded === undefined ? value : `${loaded} ${value}`
    } else if (name === 'enable-debug-command') {
      if (value !== 'yes' && value !== 'local' && value !== 'no') {
        throw new Error(`--enable-debug-command must be yes, local or no`)
      }
      out.enableDebugCommand = value
    } else if (!IGNORED.has(name)) out.config[name] = value
  }
  return out
}

/**
 * config.c setConfigSaveOption while reading the config: the first `save` line replaces the
 * default save points, each later one appends its own; `save ""` clears them all.
 */
function loadSaveParams(loaded: string | undefined, value: string): string {
  if (value === '' || loaded === undefined || loaded === '') return value
  return `${loaded} ${value}`
}

function parseInteger(flag: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a non-negative integer`)
  return n
}

/**
 * acl.c ACLLoadConfiguredUsers: each `user` line creates its user afresh (default, which
 * exists, is reset first), then applies its rules, as the server itself (no client, so no
 * AUTH is needed when the config sets requirepass). Returns the first error, else null.
 */
export function loadConfiguredUsers(
  engine: Pick<EngineServer, 'loadConfiguredUsers'>,
  users: readonly string[][],
): string | null {
  return engine.loadConfiguredUsers(users)
}

/** A log line's writer: `msg` at the level of its mark, raw, or as a BGSAVE child's. */
type ServerLogger = (msg: string, level?: LogMark, raw?: boolean, child?: number | null) => void

/**
 * server.c serverLog's line format: `pid:role day month year time.ms level message`, to the
 * logfile ('' = stdout), as the Tcl suite's start_server reads it. `role` gives the role
 * character when the line is written ('M', or 'S' while following a master; 'C' before
 * initServer, when server.pid is not yet getpid()). A line below `loglevel()` (the
 * config's `loglevel`, as it is when the line is logged) is not written, raw ones included.
 */
function serverLogger(logfile: string, role: () => string, loglevel: () => string): ServerLogger {
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ]
  const levels = Object.entries(LOG_MARKS) as [LogLevel, LogMark][]
  const write = (text: string) => {
    if (logfile === '') process.stdout.write(text)
    else appendFileSync(logfile, text)
  }
  return (msg, level = '*', raw = false, child = null) => {
    const name = levels.find(([, mark]) => mark === level)?.[0] ?? 'warning'
    if (!logLevelWrites(loglevel(), name)) return
    // serverLogRaw with LL_RAW: the text alone.
    if (raw) {
      write(msg)
      return
    }
    const d = new Date()
    const p2 = (n: number) => String(n).padStart(2, '0')
    const time =
      `${p2(d.getDate())} ${months[d.getMonth()] ?? ''} ${d.getFullYear()} ` +
      `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.` +
      String(d.getMilliseconds()).padStart(3, '0')
    // A BGSAVE child's lines carry its pid and the role C, as a forked child's do.
    const who = child === null ? `${String(process.pid)}:${role()}` : `${String(child)}:C`
    write(`${who} ${time} ${level} ${msg}\n`)
  }
}

/**
 * server.c serverLogFromHandler (WARNING): what a signal handler logs, async-signal-safe, so
 * without the usual prefix: `pid:signal-handler (unixtime) message`.
 */
function logFromHandler(log: ServerLogger, msg: string, pid = process.pid): void {
  log(
    `${String(pid)}:signal-handler (${String(Math.floor(Date.now() / 1000))}) ${msg}\n`,
    '#',
    true,
  )
}

/** The disk's lines (the server's, a child's, a signal handler's) as the logger writes them. */
function diskLog(log: ServerLogger): HostLog {
  return (line, child) => {
    if (line.fromHandler === true) logFromHandler(log, line.text, child ?? process.pid)
    else if (line.stdout === true) process.stdout.write(`${line.text}\n`)
    else log(line.text, line.level, false, child)
  }
}

/**
 * server.c loadDataFromDisk: the RDB file in `dir`, when there is one, loaded before the
 * server is ready; a file that cannot be loaded ends the process with status 1, as it ends
 * redis-server. The RDB disk is set first, so the engine's saves write files too. While the
 * keys load, clients are served between steps of loading-process-events-interval-bytes
 * (commands without the `loading` flag get -LOADING), and key-load-delay µs pass per key.
 */
async function loadDataFromDisk(
  engine: EngineServer,
  config: Readonly<Record<string, string>>,
  log: ServerLogger,
  oomStatics: () => OomScoreAdjStatics,
): Promise<void> {
  const hostLog = diskLog(log)
  // BGSAVE forks a child process where there is a /bin/sh to run (rdbChild.ts).
  const children = process.platform === 'win32' ? undefined : createRdbChildren(hostLog, oomStatics)
  engine.setRdbDisk(createRdbDisk(hostLog, process.pid, children))
  // aofLoadManifestFromDisk, then with appendonly yes the AOF is what loads (aof.ts).
  engine.setAofDisk(createAofDisk(process.pid))
  if (!engine.aofLoadAtStartup()) process.exit(1)
  if (engine.aofOn()) return
  let rdb: string | null
  try {
    rdb = readRdbFile(config['dir'] ?? '.', config['dbfilename'] ?? 'dump.rdb')
  } catch (e) {
    log(`Fatal error loading the DB: ${(e as Error).message}. Exiting.`, '#')
    process.exit(1)
  }
  if (rdb === null) return
  const start = performance.now()
  const loading = engine.startLoadingRdbFile(rdb)
  if (loading === null) process.exit(1)
  const interval = Number(config['loading-process-events-interval-bytes'] ?? 2097152)
  const delayUs = Number(config['key-load-delay'] ?? 0)
  // When the load may end, key-load-delay included: the steps wait for it between them.
  let until = start
  for (;;) {
    const { keys, state } = loading.step(interval)
    if (state === 'failed') process.exit(1)
    if (state === 'done') break
    // debugDelay: n > 0 sleeps n µs a key; n < 0 sleeps 1 µs once in -n keys.
    until += (delayUs > 0 ? keys * delayUs : delayUs < 0 ? keys / -delayUs : 0) / 1000
    const wait = until - performance.now()
    await new Promise((resolve) => (wait >= 1 ? setTimeout(resolve, wait) : setImmediate(resolve)))
  }
  log(`DB loaded from disk: ${((performance.now() - start) / 1000).toFixed(3)} seconds`)
}

/**
 * server.c redisSetProcTitle(NULL): proc-title-template expanded with the title (the
 * command, server.exec_argv[0]) becomes the process title, what ps and /proc/<pid>/cmdline
 * show. The command is the name scripts/redis-server was started by (it passes its $0 in
 * REDIS_XRAY_ARGV0 when it execs node), else this script. False when the template does not
 * expand (it was validated).
 */
function redisSetProcTitle(engine: EngineServer, configFile: string | null): boolean {
  const vars = procTitleVars(
    (name) => engine.configValue(name) ?? '',
    process.env['REDIS_XRAY_ARGV0'] ?? process.argv[1] ?? process.argv0,
    configFile,
  )
  const title = expandProcTitleTemplate(engine.configValue('proc-title-template') ?? '', vars)
  if (title === null) return false
  process.title = title
  return true
}

/**
 * server.c redisAsciiArt: the logo when the log goes to a terminal or always-show-logo is
 * set, else "Running mode=standalone, port=N." at NOTICE. The logo is stood for by one line
 * that says what runs where (the Tcl suite, which sets always-show-logo, waits for
 * " PID: <pid>" in it).
 */
function redisAsciiArt(log: ServerLogger, engine: EngineServer, logfile: string, port: number) {
  const showLogo =
    (logfile === '' && process.stdout.isTTY) || engine.configValue('always-show-logo') === 'yes'
  if (showLogo)
    log(`Redis X-Ray (Redis 7.0.15 emulation) standalone mode, Port: ${port}, PID: ${process.pid}`)
  else log(`Running mode=standalone, port=${String(port)}.`)
}

/** The engine startRespServer created (createServer's, with the host hooks). */
function engineOf(handle: RespServerHandle): EngineServer {
  return handle.engine as EngineServer
}

/**
 * Where the server listens when no `bind` is given. `npm run serve` keeps to 127.0.0.1. As
 * a drop-in redis-server (scripts/redis-server sets REDIS_XRAY_DROP_IN=1) it listens on every
 * IPv4 address, as redis-server's default `bind * -::*` does: the Tcl suite connects to the
 * machine's own non-loopback address (unit/introspection's protected configs, refused to a
 * client that is not local), and protected-mode still refuses remote clients without a
 * password.
 */
export function defaultListenHost(env: Readonly<Record<string, string | undefined>>): string {
  return env['REDIS_XRAY_DROP_IN'] === '1' ? bindAddressHost('*') : '127.0.0.1'
}

/**
 * The engine's seed when no --seed is given: 0 for `npm run serve` (the same run ID, hash
 * seed and random draws every time); a drop-in redis-server draws one, so that each start
 * has its own run ID and replication ID, as redis-server's (a restarted master must not
 * come back with the ID it had: psync2-master-restart).
 */
export function defaultSeed(env: Readonly<Record<string, string | undefined>>): number {
  return env['REDIS_XRAY_DROP_IN'] === '1' ? randomInt(0, 2 ** 31 - 1) : 0
}

async function main(): Promise<void> {
  let args: ServeArgs
  try {
    args = parseServeArgs(
      process.argv.slice(2),
      undefined,
      defaultListenHost(process.env),
      defaultSeed(process.env),
    )
  } catch (e) {
    // config.c's fatal errors are printed as they are; usage errors name this command.
    console.error(e instanceof ConfigFileError ? e.message : `serve: ${(e as Error).message}`)
    process.exit(1)
  }
  // config.c's dir: redis-server works in it (relative file names start there).
  const dir = args.config['dir']
  if (dir !== undefined) process.chdir(dir)
  // The role character and the loglevel come from the engine once it runs. Before initServer
  // the role is C (server.pid is still 0) and the loglevel is the config's.
  let engineLog: Partial<Pick<EngineServer, 'logRole' | 'configValue'>> | null = null
  let initialized = false
  const log = serverLogger(
    args.logfile,
    () => (initialized ? (engineLog?.logRole?.() ?? 'M') : 'C'),
    () =>
      engineLog?.configValue?.('loglevel') ?? (args.config['loglevel'] ?? 'notice').toLowerCase(),
  )
  log('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', '#')
  log(
    `Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`,
    '#',
  )
  if (process.argv.length <= 2)
    log(
      `Warning: no config file specified, using the default config. In order to specify a config file use ${process.argv[1] ?? 'redis-server'} /path/to/redis.conf`,
      '#',
    )
  else log('Configuration loaded', '#')
  // initServer: server.pid is set, then monotonicInit says which clock it uses.
  initialized = true
  log('monotonic clock: POSIX clock_gettime')
  const pidfile = args.config['pidfile'] ?? ''
  // The unix socket served beside the port (server.sofd).
  const unixsocket = args.config['unixsocket'] ?? ''
  let handle: RespServerHandle | null = null
  let stopping = false
  // server.loading, as the signal handler reads it.
  let loading = false
  /**
   * server.c prepareForShutdown and finishShutdown, after SHUTDOWN (its arguments) or a
   * signal (sigShutdownHandler): the final RDB save when due, the pid file removed, the
   * connections closed, then exit. False when the save failed and the server keeps running.
   * The save (rdbSave in the server process) holds the server while it is written in steps,
   * rdb-key-save-delay after each key, so that signals are taken meanwhile (a second SIGINT
   * insists): then a promise of the same.
   */
  const shutdown = (how: readonly string[] | 'SIGINT' | 'SIGTERM'): boolean | Promise<boolean> => {
    if (stopping) return true
    log('User requested shutdown...', '#')
    if (handle === null) return exitServer()
    const r = engineOf(handle).prepareForShutdownInSteps(how)
    if (typeof r === 'boolean') return r && exitServer()
    const release = handle.hold()
    stopping = true
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        if (r.done(ok)) {
          resolve(exitServer())
          return
        }
        stopping = false
        release()
        resolve(false)
      }
      const { dir, dbfilename } = r.job
      const file = openRdbTempFile(diskLog(log), dir, dbfilename, process.pid, null)
      if (file === null) done(false)
      else rdbSaveInSteps(r.job, file, () => true, done)
    })
  }
  /** finishShutdown's end: the pid file and the unix socket removed, the connections closed. */
  const exitServer = (): true => {
    stopping = true
    if (pidfile !== '') {
      log('Removing the pid file.')
      rmSync(pidfile, { force: true })
    }
    // closeListeningSockets(1).
    if (unixsocket !== '') {
      log('Removing the unix socket file.')
      try {
        unlinkSync(unixsocket)
      } catch (e) {
        log(`Error removing the unix socket file: ${strerror(e)}`, '#')
      }
    }
    void (handle?.close() ?? Promise.resolve()).then(() => {
      log('Redis is now ready to exit, bye bye...', '#')
      process.exit(0)
    })
    return true
  }
  /**
   * debug.c bugReportEnd: once the report is logged the server dies by the signal (abort()
   * after a panic or an assertion), its handler reset first so that the default action runs.
   */
  const dieBySignal = (signal: number): void => {
    const name = signal === SIGABRT ? 'SIGABRT' : 'SIGSEGV'
    process.removeAllListeners('SIGABRT')
    process.kill(process.pid, name)
    // The signal may land on another thread a moment later: nothing runs meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000)
    process.exit(128 + signal)
  }
  // server.c initServer: no TCP address (bind "") and no unix socket.
  if (args.host === null && unixsocket === '') {
    log('Configured to not listen anywhere, exiting.', '#')
    process.exit(1)
  }
  try {
    handle = await startRespServer({
      port: args.port,
      host: args.host,
      ...(unixsocket === ''
        ? {}
        : {
            unixsocket,
            unixsocketperm: parseInt(args.config['unixsocketperm'] ?? '0', 8) || 0,
          }),
      seed: args.seed,
      enableDebugCommand: args.enableDebugCommand,
      log: (message, level, raw) => {
        log(message, level ?? '#', raw)
      },
      shutdown,
      crash: dieBySignal,
      // CONFIG GET port and INFO's tcp_port show the port served, as redis-server's do.
      config: {
        ...args.config,
        port: String(args.port),
        dir: realpathSync(process.cwd()),
      },
    })
  } catch (e) {
    // server.c listenToPort's log lines (the Tcl suite retries another port on the second).
    const msg = (e as Error).message
    log(
      `Warning: Could not create server TCP listening socket ${args.host ?? ''}:${args.port}: ${msg}`,
      '#',
    )
    log(`Failed listening on port ${args.port} (TCP), aborting.`, '#')
    console.error(`serve: cannot listen on ${args.host ?? ''}:${args.port}: ${msg}`)
    process.exit(1)
  }
  engineLog = handle.engine as Partial<Pick<EngineServer, 'logRole' | 'configValue'>>
  const engine = engineOf(handle)
  // main's setOOMScoreAdj(-1), then CONFIG SET oom-score-adj moves this process's score.
  const oom = createOomScoreAdj((message) => log(message, '#'))
  engine.setOomScoreAdj(oom)
  if (args.configFile !== null)
    engine.setConfigFile(createConfigFileHost(args.configFile, (message) => log(message, '#')))
  engine.setAclFile(createAclFileHost())
  for (const [from, to] of args.renames) engine.renameCommand(from, to)
  const userErr = loadConfiguredUsers(engine, args.users)
  if (userErr !== null) {
    console.error(userErr)
    process.exit(1)
  }
  // createPidFile: best effort, nothing logged when it cannot be written.
  if (pidfile !== '') {
    try {
      writeFileSync(pidfile, `${process.pid}\n`)
    } catch {
      // (as in Redis)
    }
  }
  // set-proc-title: the title now (main's redisSetProcTitle(NULL)), and again on CONFIG SET
  // proc-title-template.
  if (engine.configValue('set-proc-title') === 'yes') {
    const setProcTitle = () => redisSetProcTitle(engine, args.configFile)
    setProcTitle()
    engine.setProcTitle(setProcTitle)
  }
  redisAsciiArt(log, engine, args.logfile, handle.port)
  log('Server initialized', '#')
  for (const line of startupSystemWarnings()) log(line, '#')
  // sigShutdownHandler is set up before the load: a signal during it shuts down too.
  /**
   * server.c sigShutdownHandler: the shutdown is scheduled for serverCron (the RESP server's
   * cron runs `shutdown` then; SHUTDOWN ABORT can cancel it), at once before the server
   * serves. A second SIGINT insists: the engine removes the temp RDB file, the exit is 1.
   */
  const sigShutdownHandler = (sig: 'SIGINT' | 'SIGTERM') => {
    if (handle !== null && engineOf(handle).requestShutdown(sig)) {
      logFromHandler(log, 'You insist... exiting now.')
      process.exit(1)
    }
    logFromHandler(
      log,
      loading
        ? 'Received shutdown signal during loading, scheduling shutdown.'
        : `Received ${sig} scheduling shutdown...`,
    )
    if (handle === null) shutdown(sig)
  }
  process.on('SIGINT', () => {
    sigShutdownHandler('SIGINT')
  })
  process.on('SIGTERM', () => {
    sigShutdownHandler('SIGTERM')
  })
  // sigsegvHandler, for SIGABRT alone: a listener here runs later, from the event loop, and a
  // real SIGSEGV, SIGBUS, SIGFPE or SIGILL (or V8's own SIGSEGV use for WebAssembly bounds)
  // would fault again at once; those keep their default action, which kills without a report.
  process.on('SIGABRT', () => {
    if (handle !== null) engineOf(handle).signalCrash(SIGABRT)
    dieBySignal(SIGABRT)
  })
  // acl.c ACLLoadUsersAtStartup: users from the config or an aclfile, not both.
  if ((engine.configValue('aclfile') ?? '') !== '') {
    if (args.users.length !== 0) {
      log(
        'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
        '#',
      )
      process.exit(1)
    }
    const errors = engine.loadAclFile()
    if (errors !== null) {
      log(`Aborting Redis startup because of ACL errors: ${errors}`, '#')
      process.exit(1)
    }
  }
  loading = true
  await loadDataFromDisk(engine, { ...args.config, dir: process.cwd() }, log, oom.statics)
  loading = false
  if (!engine.aofOpenAtStartup()) process.exit(1)
  // server.c main: this line only for a TCP socket (ipfd), the next for the unix one (sofd).
  if (args.host !== null) log('Ready to accept connections')
  if (unixsocket !== '') log(`The server is now ready to accept connections at ${unixsocket}`)
  // "Warning the user about suspicious maxmemory setting."
  const maxmemory = Number(engine.configValue('maxmemory') ?? 0)
  if (maxmemory > 0 && maxmemory < 1024 * 1024)
    log(
      `WARNING: You specified a maxmemory value that is less than 1MB (current value is ${String(maxmemory)} bytes). Are you sure this is what you really want?`,
      '#',
    )
  console.log(
    `Redis X-Ray engine (RESP2) ready on ${handle.host}:${handle.port} (seed ${args.seed}). ` +
      `Try: redis-cli -p ${handle.port}`,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
