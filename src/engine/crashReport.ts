/**
 * debug.c's bug report: what Redis writes to its log as it dies, for DEBUG SEGFAULT, DEBUG
 * PANIC and DEBUG ASSERT and for a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT)
 * caught by sigsegvHandler.
 *
 * The engine cannot stop its host. A host that can die as redis-server does (`npm run serve`)
 * says so (setCrashHost): the command then logs the report, leaves the signal to die by for
 * the host (takeCrash) and answers nothing that is ever written. Anywhere else (the browser
 * tab) the command answers an error saying the crash is not modelled.
 *
 * The report is a build's without backtrace support (no HAVE_BACKTRACE): no STACK TRACE,
 * REGISTERS or DUMPING CODE AROUND EIP sections, which name a C binary's symbols and
 * addresses. The fast memory test has no anonymous memory maps of a C process to walk: it
 * logs its header, the bio threads it stops and its verdict. CONFIG DEBUG OUTPUT lists the
 * DEBUG_CONFIG configs in config.c's table order (Redis walks its configs dict, whose order
 * changes with each process's hash seed).
 */
import type { ServerState, Client } from './state.ts'
import type { ExecContext } from './context.ts'
import { OBJ_TYPE_CODES, type RedisObject } from './types/object.ts'
import { error, type Reply } from './reply.ts'
import { serverLog } from './serverLog.ts'
import { clientInfoString } from './commands/connection.ts'
import { clientIsSubscribed } from './commands/pubsub.ts'
import { sdsRepr } from './commands/monitor.ts'
import { genRedisInfoString } from './commands/server.ts'
import { configDebugInfo } from './configRewrite.ts'
import { dictFind, dictGetVal, NO_ENTRY } from './structures/dict.ts'
import { TRACKING_BCAST, TRACKING_ON } from './tracking.ts'
import { rngNextU32 } from './rng.ts'
import { configGetValue, lookupConfig } from './config.ts'

/** What brought the server down. */
export type CrashCause =
  | { readonly kind: 'segfault' }
  | { readonly kind: 'panic' }
  | { readonly kind: 'assert' }
  /** A fatal signal sent to the process (si_code SI_USER). */
  | { readonly kind: 'signal'; readonly signal: number }

/** The signals sigsegvHandler catches, by number (Linux). */
export const CRASH_SIGNALS: Readonly<Record<string, number>> = {
  SIGILL: 4,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGSEGV: 11,
}
const SIGABRT = 6
const SIGBUS = 7
const SIGSEGV = 11
/** siginfo si_code: SI_USER (kill(2)); SEGV_ACCERR (a write to a read-only page). */
const SI_USER = 0
const SEGV_ACCERR = 2

/** Redis 7.0.15's debug.c lines (Debian's build) that DEBUG PANIC and DEBUG ASSERT name. */
const PANIC_AT = 'debug.c:510'
const ASSERT_AT = 'debug.c:530'

/** What DEBUG SEGFAULT / PANIC / ASSERT answer where the host cannot die (the browser). */
export function crashNotModelled(sub: 'SEGFAULT' | 'PANIC' | 'ASSERT'): Reply {
  return error(
    `ERR DEBUG ${sub} is not supported by this server (Redis X-Ray does not model crashing the server)`,
  )
}

/**
 * DEBUG SEGFAULT / PANIC / ASSERT run by `c` with `argv` (the queued command's inside EXEC):
 * false when the host cannot die (the caller answers crashNotModelled); else the report is
 * logged and the signal left for the host.
 */
export function debugCrash(
  srv: ServerState,
  ctx: ExecContext,
  c: Client,
  argv: readonly string[],
  cause: CrashCause,
): boolean {
  if (!srv.crashHost) return false
  bugReport(srv, ctx, cause, { client: c, argv })
  return true
}

/**
 * sigsegvHandler for a signal the host received: the report (no current client: the host
 * runs it between commands). False when crash-log-enabled is no: Redis installs no handler
 * then, and the signal takes its default action without a word.
 */
export function signalCrash(srv: ServerState, ctx: ExecContext, signal: number): boolean {
  if (!configEnabled(srv, 'crash-log-enabled')) return false
  bugReport(srv, ctx, { kind: 'signal', signal }, null)
  return true
}

/** The signal the host must die by once a report was logged (once), else null. */
export function takeCrash(srv: ServerState): number | null {
  const sig = srv.crashDue
  srv.crashDue = null
  return sig
}

interface Current {
  readonly client: Client
  readonly argv: readonly string[]
}

/** A yes/no config's value. */
function configEnabled(srv: ServerState, name: string): boolean {
  const p = lookupConfig(name)
  return p !== undefined && configGetValue(srv.config, p) === 'yes'
}

function warn(srv: ServerState, text: string): void {
  serverLog(srv, 'warning', text)
}

function raw(srv: ServerState, text: string): void {
  serverLog(srv, 'warning', text, true)
}

function bugReport(
  srv: ServerState,
  ctx: ExecContext,
  cause: CrashCause,
  current: Current | null,
): void {
  // bugReportStart: once per process.
  if (!srv.bugReportStarted) {
    raw(srv, '\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n')
    srv.bugReportStarted = true
  }
  let signal = SIGABRT
  let printReport = configEnabled(srv, 'crash-log-enabled')
  switch (cause.kind) {
    case 'segfault':
    case 'signal': {
      // sigsegvHandler: only installed with crash-log-enabled, so it always reports.
      signal = cause.kind === 'segfault' ? SIGSEGV : cause.signal
      const code = cause.kind === 'segfault' ? SEGV_ACCERR : SI_USER
      warn(srv, `Redis 7.0.15 crashed by signal: ${String(signal)}, si_code: ${String(code)}`)
      if (signal === SIGSEGV || signal === SIGBUS)
        warn(srv, `Accessing address: ${faultAddress(srv, cause.kind === 'segfault')}`)
      printReport = true
      break
    }
    case 'panic':
      // _serverPanic("DEBUG PANIC called at Unix time %lld", time(NULL)).
      warn(srv, '------------------------------------------------')
      warn(srv, '!!! Software Failure. Press left mouse button to continue')
      warn(
        srv,
        `Guru Meditation: DEBUG PANIC called at Unix time ${String(srv.unixtime)} #${PANIC_AT}`,
      )
      break
    case 'assert':
      // serverAssertWithInfo(c, c->argv[0], 1 == 2).
      if (current !== null) assertContext(srv, current)
      warn(srv, '=== ASSERTION FAILED ===')
      warn(srv, `==> ${ASSERT_AT} '1 == 2' is not true`)
      break
  }
  if (printReport) printCrashReport(srv, ctx, current)
  bugReportEnd(srv)
  // bugReportEnd: abort() after a panic or an assertion, the same signal re-raised after a
  // caught one, the handlers reset first so that no second report is written.
  srv.crashDue = signal
}

/**
 * The address a fault names: DEBUG SEGFAULT writes to a fresh read-only page from mmap (a
 * page-aligned address in the mmap area, drawn from the seeded PRNG here); a SIGSEGV sent
 * with kill(2) carries none (si_addr reads as 0).
 */
function faultAddress(srv: ServerState, mapped: boolean): string {
  if (!mapped) return '(nil)'
  const page = 0x7f0000000 + (rngNextU32(srv.rng) & 0xffffff)
  return `0x${page.toString(16)}000`
}

/** _serverAssertPrintClientInfo and _serverAssertPrintObject(c->argv[0]). */
function assertContext(srv: ServerState, { client: c, argv }: Current): void {
  warn(srv, '=== ASSERTION FAILED CLIENT CONTEXT ===')
  warn(srv, `client->flags = ${String(clientFlags(c))}`)
  warn(srv, `client->conn = fd=${String(c.fd)}`)
  warn(srv, `client->argc = ${String(argv.length)}`)
  argv.forEach((a, j) => {
    warn(srv, `client->argv[${String(j)}] = "${a}" (refcount: 1)`)
  })
  warn(srv, '=== ASSERTION FAILED OBJECT CONTEXT ===')
  // The command name: a string object, embstr when short (createStringObject).
  const name = argv[0] ?? ''
  objectDebugInfo(srv, { type: 0, encoding: name.length <= 44 ? 8 : 0, refcount: 1 })
}

/** The c->flags bits a client here can have (server.h CLIENT_*). */
function clientFlags(c: Client): bigint {
  let f = 0n
  if (c.multi !== null) f |= 1n << 3n
  if (c.dirtyCas) f |= 1n << 5n
  if (c.closeAfterReply) f |= 1n << 6n
  if (c.unixSocket) f |= 1n << 11n
  if (c.multi?.dirtyExec === true) f |= 1n << 12n
  if (clientIsSubscribed(c)) f |= 1n << 18n
  const tracking = c.tracking?.flags ?? 0
  if (tracking & TRACKING_ON) f |= 1n << 31n
  if (tracking & TRACKING_ON && tracking & TRACKING_BCAST) f |= 1n << 33n
  if (c.noEvict) f |= 1n << 43n
  return f
}

interface ObjectCodes {
  readonly type: number
  readonly encoding: number
  readonly refcount: number
}

/** serverLogObjectDebugInfo (UNSAFE_CRASH_REPORT off: type, encoding and refcount only). */
function objectDebugInfo(srv: ServerState, o: ObjectCodes): void {
  warn(srv, `Object type: ${String(o.type)}`)
  warn(srv, `Object encoding: ${String(o.encoding)}`)
  warn(srv, `Object refcount: ${String(o.refcount)}`)
}

/** server.h OBJ_ENCODING_* numbers. */
const ENCODING_CODES: Readonly<Record<string, number>> = {
  raw: 0,
  int: 1,
  hashtable: 2,
  intset: 6,
  skiplist: 7,
  embstr: 8,
  quicklist: 9,
  stream: 10,
  listpack: 11,
}

/** printCrashReport. */
function printCrashReport(srv: ServerState, ctx: ExecContext, current: Current | null): void {
  // logServerInfo.
  raw(srv, '\n------ INFO OUTPUT ------\n')
  raw(srv, genRedisInfoString(srv, ['all']))
  raw(srv, '\n------ CLIENT LIST OUTPUT ------\n')
  let clients = ''
  const running = current?.client ?? null
  for (const cl of srv.clients.values()) clients += `${clientInfoString(srv, cl, running)}\n`
  raw(srv, clients)
  if (current !== null) logCurrentClient(srv, ctx, current)
  // logModulesInfo: no module is ever loaded.
  raw(srv, '\n------ MODULES INFO OUTPUT ------\n')
  raw(srv, '')
  raw(srv, '\n------ CONFIG DEBUG OUTPUT ------\n')
  raw(srv, configDebugInfo(srv))
  if (configEnabled(srv, 'crash-memcheck-enabled')) {
    // doFastMemoryTest: killThreads stops the three bio threads first.
    raw(srv, '\n------ FAST MEMORY TEST ------\n')
    for (let job = 0; job < 3; job++)
      warn(srv, `Bio thread for job type #${String(job)} terminated`)
    raw(
      srv,
      'Fast memory test PASSED, however your memory can still be broken. Please run a memory test for several hours if possible.\n',
    )
  }
}

/** logCurrentClient: the running client, its arguments and the key its first one names. */
function logCurrentClient(srv: ServerState, ctx: ExecContext, { client: c, argv }: Current): void {
  raw(srv, '\n------ CURRENT CLIENT INFO ------\n')
  raw(srv, `${clientInfoString(srv, c, c)}\n`)
  argv.forEach((a, j) => {
    raw(srv, `argv[${String(j)}]: '${sdsRepr(a.slice(0, 128))}'\n`)
  })
  const key = argv[1]
  if (key === undefined) return
  const db = srv.dbs[c.db]
  if (db === undefined) return
  const de = dictFind<RedisObject>(ctx, db.dict, key)
  if (de === NO_ENTRY) return
  const o = dictGetVal(db.dict, de)
  warn(srv, `key '${key}' found in DB containing the following object:`)
  objectDebugInfo(srv, {
    type: OBJ_TYPE_CODES[o.type],
    encoding: ENCODING_CODES[o.encoding] ?? 0,
    refcount: o.refcount,
  })
}

/** bugReportEnd's closing text. */
function bugReportEnd(srv: ServerState): void {
  raw(
    srv,
    '\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n' +
      '       Please report the crash by opening an issue on github:\n\n' +
      '           http://github.com/redis/redis/issues\n\n' +
      "  If a Redis module was involved, please open in the module's repo instead.\n\n" +
      '  Suspect RAM error? Use redis-server --test-memory to verify it.\n\n' +
      '  Some other issues could be detected by redis-server --check-system\n',
  )
}
