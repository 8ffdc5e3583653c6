/**
 * The RESP TCP server (RESP2, and RESP3 for a connection after HELLO 3): Redis's networking
 * layer (networking.c readQueryFromClient → processInputBuffer → call → addReply →
 * writeToClient) over the engine.
 *
 * One engine client per connection. Each network chunk is decoded as latin1 once (a byte
 * string, see bytes.ts), fed to the connection's parser in slices as long as Redis's reads
 * (16 KiB, the query buffer's free space, or the rest of a big argument: querybuf.ts, which
 * also sizes the client's query buffer as Redis does), so the "too big ..." limits trip
 * exactly where Redis's reads would trip them, and every
 * complete command in it is executed in order; the replies of one chunk are encoded into
 * one reusable byte buffer (replyBuffer.ts) and go out in one write (pipelining). Long
 * arguments are copied out of the chunk's bytes by chunkBytes.ts. A protocol error replies `-ERR Protocol error: ...` and closes that
 * connection after its pending replies, never the server; so does QUIT (through the
 * engine's shouldClose), and so does an exception thrown by the engine (logged). The clock is the real one, and cron runs on a timer: the engine's
 * cron() does only the work that is due at `hz`, so the timer just has to tick at least as
 * often as the highest hz we care about.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
// The module's own object: the global `performance` is a getter Node runs on every access.
import { performance } from 'node:perf_hooks'
import type {
  ClientId,
  EngineConfig,
  HostedClient,
  MasterLinkHost,
  RedisServer,
} from '../engine/api.ts'
import type { Clock } from '../engine/clock.ts'
import type { TraceLevel } from '../engine/events.ts'
import { SHUTDOWN_NOT_MODELLED } from '../engine/commands/standalone.ts'
import { PROTO_REPLY_CHUNK_BYTES, type ClientIoProbe } from '../engine/commands/connection.ts'
import type { ChangeBindAddr, ChangeListenPort } from '../engine/config.ts'
import type { LogLevel, ServerLogSink } from '../engine/serverLog.ts'
import type { QueryBuf } from '../engine/querybuf.ts'
import { BLOCKED, error, type Reply } from '../engine/reply.ts'
import { REPLY_OFF, REPLY_SKIP } from '../engine/state.ts'
import {
  respParserCreate,
  respParserFeed,
  respParserNext,
  respParserReadLen,
  respParserReleaseBytes,
  respParserSettle,
  type RespParser,
} from '../engine/resp.ts'
import { chunkBytesCreate, type Latin1Buffer } from './chunkBytes.ts'
import { strerror } from './strerror.ts'
import {
  replyBufferAppend,
  replyBufferBytes,
  replyBufferCreate,
  replyBufferDetach,
  replyBufferReset,
  respBigPieces,
} from './replyBuffer.ts'

export interface RespServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Address to bind; default 127.0.0.1. null: no TCP socket (a `bind ""` of no address). */
  readonly host?: string | null
  /** Listen on this unix socket instead of TCP. */
  readonly path?: string
  /** Also listen on this unix socket (redis-server's `unixsocket` beside its port). */
  readonly unixsocket?: string
  /** Its mode (`unixsocketperm`, octal as given to chmod); 0 leaves the umask's. */
  readonly unixsocketperm?: number
  /** Engine seed; default 0. */
  readonly seed?: number
  readonly enableDebugCommand?: 'yes' | 'local' | 'no'
  /** Config overrides passed to createServer (as `redis-server --name value` would set). */
  readonly config?: EngineConfig
  /** Trace level; default 'off' (the server reports nothing, it only serves). */
  readonly trace?: TraceLevel
  /** An engine to serve instead of a new createServer(...) (tests). */
  readonly engine?: RedisServer
  /** How often cron() is called, in ms; default 10 (enough for hz up to 100). */
  readonly cronIntervalMs?: number
  /**
   * Where log lines go: the host's own warnings (level '#') and the engine's serverLog lines
   * with their level mark (`.-*#`, debug to warning), or `raw` text to write as it is;
   * default console.error.
   */
  readonly log?: (message: string, level?: LogMark, raw?: boolean) => void
  /**
   * What a SHUTDOWN the engine accepted does (db.c shutdownCommand → prepareForShutdown),
   * given its arguments: the host stops the server (`npm run serve` exits,
   * src/server/main.ts) and the client gets no reply; or, returning false, the shutdown
   * failed (its final save) and the client is told so. A promise of either while the final
   * save is written in steps (the host holds the server meanwhile: RespServerHandle.hold).
   * Without it, SHUTDOWN answers an error that says how to stop the host.
   */
  readonly shutdown?: (how: readonly string[] | 'SIGINT' | 'SIGTERM') => boolean | Promise<boolean>
  /**
   * How the host dies by a signal (its number) after the engine logged a bug report (DEBUG
   * SEGFAULT / PANIC / ASSERT, crashReport.ts); it does not return. Without it those
   * commands answer that crashing the server is not modelled.
   */
  readonly crash?: (signal: number) => void
}

/** serverLogRaw's mark for each level: `.` debug, `-` verbose, `*` notice, `#` warning. */
export type LogMark = '.' | '-' | '*' | '#'

export const LOG_MARKS: Readonly<Record<LogLevel, LogMark>> = {
  debug: '.',
  verbose: '-',
  notice: '*',
  warning: '#',
}

export interface RespServerHandle {
  /** The TCP port (0 when listening on a unix socket, or after CONFIG SET port 0). */
  readonly port: number
  /** The unix socket path, when started with `path`. */
  readonly path: string | null
  readonly host: string
  readonly engine: RedisServer
  /**
   * Holds the server as a foreground save blocks redis-server (rdbSave in the server
   * process): nothing is read from any connection and cron does not run until the returned
   * function releases it, while the event loop turns (timers, signals).
   */
  hold(): () => void
  /** Stops listening, closes every connection and the cron timer. */
  close(): Promise<void>
}

/** The engine's optional hook for processMultibulkBuffer's unauthenticated limits. */
interface AuthAware {
  authRequired?(client: ClientId): boolean
}

/**
 * The engine's optional hooks: the limits CONFIG SET changes (EngineServer.queryLimits), and
 * call() without its scan for text arguments, since RESP arguments are bytes (callBytes).
 */
interface EngineHooks {
  /** A signal's shutdown that serverCron found due (sigShutdownHandler's shutdown_asap). */
  takeShutdownDue?(): 'SIGINT' | 'SIGTERM' | null
  /** The host can die after a bug report; the signal to die by, once one was logged. */
  setCrashHost?(on: boolean): void
  takeCrash?(): number | null
  queryLimits?(): { readonly protoMaxBulkLen: number; readonly clientQueryBufferLimit: number }
  callBytes?(argv: readonly string[], client: ClientId): Reply
  /** The client's live flags (shouldClose, replySilenced), read without a lookup by id. */
  hostClient?(client: ClientId): HostedClient | null
  /** callBytes for a client held through hostClient. */
  callHosted?(argv: readonly string[], client: HostedClient): Reply
  /** Where CLIENT LIST reads a running client's pending reply bytes. */
  setClientIoProbe?(probe: ClientIoProbe | null): void
  /** The client's query buffer sizes, which this transport's reads then drive. */
  hostQueryBuf?(client: ClientId): QueryBuf | null
  /** How CONFIG SET port moves this transport's listening socket. */
  setChangeListenPort?(hook: ChangeListenPort | null): void
  /** How CONFIG SET bind moves it. */
  setChangeBindAddr?(hook: ChangeBindAddr | null): void
  /** Where the engine's serverLog lines go. */
  setServerLog?(sink: ServerLogSink | null): void
  /** The client's replies not written yet; the log line when it is to be closed for them. */
  outputPending?(client: ClientId, bytes: number, onePiece?: boolean): string | null
  /** All of the client's output is written: a replica's place in the replication buffer. */
  replicaWritten?(client: ClientId): void
  /** clientsCron's look at the limits of a client with replies unwritten. */
  outputLimitCheck?(client: ClientId): string | null
  /** A read of the client's was processed (its memory is measured again). */
  readProcessed?(client: ClientId): void
  /** Clients the engine freed (client eviction): closed at once, each line logged. */
  takeClientsToClose?(): readonly (readonly [ClientId, string])[]
  /** Clients unlinked so far: when it moves, some connections' clients may be gone. */
  unlinkedClients?(): number
  /** A config parameter's value as CONFIG GET shows it (null: no such parameter). */
  configValue?(name: string): string | null
}

interface Connection {
  readonly socket: net.Socket
  readonly id: ClientId
  readonly parser: RespParser
  /** What the engine's shouldClose and replySilenced say of the client, kept current. */
  readonly flags: HostedClient
  closing: boolean
  closed: boolean
  /** Waits in a blocking command: its input is kept, not run, until the reply comes. */
  blocked: boolean
  /**
   * Asked to close after its reply (QUIT, CLIENT KILL of itself) with nothing to write (CLIENT
   * REPLY OFF / SKIP): Redis closes a CLIENT_CLOSE_AFTER_REPLY client only once a write
   * empties its output, so it stays connected and runs nothing more until something is written
   * to it (a Pub/Sub or tracking push) or it is killed.
   */
  waitsForWrite: boolean
  /** The reply bytes Node had not written when last told to the engine (outputPending). */
  pending: number
}

/**
 * Every connection reads into this one buffer (Node's `onread` option, which net.Server
 * does not offer for accepted sockets, so it is set up by readIntoSharedBuffer): each chunk
 * is parsed before the next read, so one buffer serves all, and no Buffer is allocated and
 * no stream machinery runs per read.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024) as Latin1Buffer

/**
 * Makes `socket` read into READ_BUFFER and call `onRead(n)` instead of emitting 'data',
 * exactly as `new net.Socket({ onread: { buffer, callback } })` does: Node keeps those two
 * in symbol-keyed fields of the socket and tells the handle to use the buffer. Returns
 * false (the caller listens for 'data') if this Node does not have them.
 */
function readIntoSharedBuffer(socket: net.Socket, onRead: (n: number) => void): boolean {
  let kBuffer: symbol | undefined
  let kBufferCb: symbol | undefined
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    if (sym.description === 'kBuffer') kBuffer = sym
    else if (sym.description === 'kBufferCb') kBufferCb = sym
  }
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (b: Buffer) => void } })
    ._handle
  if (
    kBuffer === undefined ||
    kBufferCb === undefined ||
    typeof handle?.useUserBuffer !== 'function'
  ) {
    return false
  }
  const fields = socket as unknown as Record<symbol, unknown>
  if (fields[kBuffer] !== null || fields[kBufferCb] !== null) return false
  fields[kBuffer] = READ_BUFFER
  fields[kBufferCb] = (n: number): void => {
    onRead(n)
  }
  handle.useUserBuffer(READ_BUFFER)
  return true
}

/** networking.c acceptCommonHandler's answer to a connection over maxclients. */
const MAX_CLIENTS_REACHED = '-ERR max number of clients reached\r\n'

/** networking.c clientAcceptHandler's answer to a client refused by protected mode. */
const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected ' +
  'mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: ' +
  '1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface " +
  'by connecting to Redis from the same host the server is ' +
  'running, however MAKE SURE Redis is not publicly accessible ' +
  'from internet if you do so. Use CONFIG REWRITE to make this ' +
  'change permanent. ' +
  '2) Alternatively you can just disable the protected mode by ' +
  'editing the Redis configuration file, and setting the protected ' +
  "mode option to 'no', and then restarting the server. " +
  '3) If you started the server manually just for testing, restart ' +
  "it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for ' +
  'the server to start accepting connections from the outside.\r\n'

const INTERNAL_ERROR: Reply = {
  type: 'error',
  value: 'ERR internal error in the engine (see the server log)',
}

/** Read once: the getter is slow and the value never changes. */
const TIME_ORIGIN = performance.timeOrigin

/** The real clock, with sub-millisecond resolution for the cron time budgets. */
export const realClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
  // DEBUG SLEEP blocks the whole server, as Redis's nanosleep does: no reads, no cron.
  sleep: (ms: number) => {
    Atomics.wait(SLEEP_CELL, 0, 0, ms)
  },
}

/** A cell nobody notifies: Atomics.wait on it only times out. */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4))

/** Starts a RESP server over a new (or the given) engine. */
/** SHUTDOWN_NOT_MODELLED as this host answers it: with how to stop `npm run serve`. */
const SHUTDOWN_HERE = error(
  'ERR SHUTDOWN is not supported by this server (Redis X-Ray does not model shutting the server down; stop `npm run serve` with Ctrl-C)',
)

/** blocked.c replyToClientsBlockedOnShutdown: the final save failed, the server runs on. */
const SHUTDOWN_FAILED = error('ERR Errors trying to SHUTDOWN. Check logs.')

export async function startRespServer(opts: RespServerOptions = {}): Promise<RespServerHandle> {
  const engine = opts.engine ?? (await createEngine(opts))
  // The address listened on; null for a bind of no address (at startup or by CONFIG SET).
  let bindHost: string | null = opts.host === undefined ? '127.0.0.1' : opts.host
  let host = bindHost ?? '127.0.0.1'
  const conns = new Set<Connection>()
  const byId = new Map<ClientId, Connection>()
  const blockedConns = new Set<Connection>()
  // The blocked connections the engine unblocked, in that order, not yet resumed.
  const toResume: Connection[] = []
  const authHook = (engine as RedisServer & AuthAware).authRequired
  const limitsHook = (engine as RedisServer & EngineHooks).queryLimits
  const callBytes = (engine as RedisServer & EngineHooks).callBytes ?? engine.call
  const hostClientHook = (engine as RedisServer & EngineHooks).hostClient
  const callHosted =
    hostClientHook === undefined ? undefined : (engine as RedisServer & EngineHooks).callHosted
  // The connection whose command is running, and where its pass's replies start in `out`:
  // CLIENT LIST asks for its obl through the probe, so other commands pay nothing (qbuf is
  // the query buffer record the parser keeps, querybuf.ts).
  let running: Connection | null = null
  let runningOutStart = 0
  ;(engine as RedisServer & EngineHooks).setClientIoProbe?.((id) =>
    running !== null && running.id === id
      ? { obl: out.len - runningOutStart, unreported: out.len - addedUpTo }
      : null,
  )
  const queryBufHook = (engine as RedisServer & EngineHooks).hostQueryBuf
  const pendingHook = (engine as RedisServer & EngineHooks).outputPending
  const limitHook = (engine as RedisServer & EngineHooks).outputLimitCheck
  const replicaWrittenHook = (engine as RedisServer & EngineHooks).replicaWritten
  const readHook = (engine as RedisServer & EngineHooks).readProcessed
  const toCloseHook = (engine as RedisServer & EngineHooks).takeClientsToClose
  const unlinkedHook = (engine as RedisServer & EngineHooks).unlinkedClients
  const shutdownDueHook = (engine as RedisServer & EngineHooks).takeShutdownDue
  const crash = opts.crash
  const takeCrashHook = (engine as RedisServer & EngineHooks).takeCrash
  if (crash !== undefined) (engine as RedisServer & EngineHooks).setCrashHost?.(true)
  let lastUnlinked = unlinkedHook?.call(engine) ?? 0
  const log = opts.log ?? ((message: string) => console.error(message))
  // The engine's own lines only go to a log the host asked for (tests stay quiet).
  const hostLog = opts.log
  if (hostLog !== undefined)
    (engine as RedisServer & EngineHooks).setServerLog?.((level, text, raw) => {
      hostLog(text, LOG_MARKS[level], raw)
    })
  // Connections whose replies Node has not all written (reportPending).
  const backlogged = new Set<Connection>()
  // One of each serves every connection: a read is parsed, run and answered before the next.
  const chunkBytes = chunkBytesCreate(READ_BUFFER)
  const out = replyBufferCreate()
  // The big pieces of the outbox message being written (respBigPieces).
  const outboxBigPieces: number[] = []
  // How much of `out` the running connection's reply list has taken (processInputBuffer).
  let addedUpTo = 0

  const unixPath = opts.path ?? opts.unixsocket
  const onConnection = (socket: net.Socket): void => {
    // acceptTcpHandler / acceptUnixHandler, before acceptCommonHandler's checks.
    if (socket.remoteAddress === undefined)
      hostLog?.(`Accepted connection to ${unixPath ?? ''}`, '-')
    else
      hostLog?.(
        `Accepted ${plainAddress(socket.remoteAddress)}:${String(socket.remotePort ?? 0)}`,
        '-',
      )
    if (engine.admitClient?.() === false) {
      socket.on('error', () => {})
      socket.end(MAX_CLIENTS_REACHED)
      socket.destroySoon()
      return
    }
    // A unix-socket client has no remote address and is local, as in Redis (islocalClient);
    // its addr and laddr are the socket's path, port 0 (CLIENT_UNIX_SOCKET: flags U).
    const unix = socket.remoteAddress === undefined
    const id = engine.createClient({
      local: unix || isLoopback(socket.remoteAddress),
      addr: unix
        ? `${unixPath ?? ''}:0`
        : `${plainAddress(socket.remoteAddress)}:${socket.remotePort ?? 0}`,
      laddr: unix
        ? `${unixPath ?? ''}:0`
        : `${plainAddress(socket.localAddress)}:${socket.localPort ?? 0}`,
      unixSocket: unix,
    })
    if (engine.protectedModeRefuses?.(id) === true) {
      socket.on('error', () => {})
      socket.end(PROTECTED_MODE_DENIED, 'latin1')
      socket.destroySoon()
      engine.closeClient(id)
      return
    }
    const conn: Connection = {
      socket,
      id,
      parser: respParserCreate({
        ...(authHook === undefined ? {} : { authRequired: () => authHook.call(engine, id) }),
        ...(engine.emptyRequest === undefined
          ? {}
          : { emptyRequest: () => engine.emptyRequest?.(id) }),
        querybuf: queryBufHook?.call(engine, id) ?? null,
      }),
      flags: hostClientHook?.call(engine, id) ?? flagsById(id),
      closing: false,
      closed: false,
      blocked: false,
      waitsForWrite: false,
      pending: 0,
    }
    conns.add(conn)
    byId.set(id, conn)
    if (held) socket.pause()
    if (!readIntoSharedBuffer(socket, (n) => onData(conn, READ_BUFFER, n))) {
      socket.on('data', (chunk: Buffer) => onData(conn, chunk as Latin1Buffer, chunk.length))
    }
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // 'close' follows, and Redis frees the client; a reset read is logged.
      if (e.code === 'ECONNRESET' && !conn.closing && !conn.closed)
        hostLog?.('Reading from client: Connection reset by peer', '-')
    })
    // The client closed its side: Redis's next read finds EOF (a read of 0 bytes).
    socket.on('end', () => {
      if (!conn.closing && !conn.closed) engine.netRead?.(0, id)
    })
    // Everything is written: the engine's reply list empties (writeToClient).
    socket.on('drain', () => {
      if (conn.pending !== 0) reportPending(conn)
    })
    socket.on('close', () => {
      backlogged.delete(conn)
      conns.delete(conn)
      byId.delete(id)
      blockedConns.delete(conn)
      if (!conn.closed) {
        conn.closed = true
        engine.closeClient(id)
      }
    })
  }
  const server = net.createServer({ noDelay: true }, onConnection)

  /** readQueryFromClient: the first `n` bytes of `bytes` were read from the connection. */
  function onData(conn: Connection, bytes: Latin1Buffer, n: number): void {
    if (conn.closing) return
    engine.netRead?.(n, conn.id)
    const p = conn.parser
    chunkBytes.buf = bytes
    replyBufferReset(out)
    // proto-max-bulk-len and client-query-buffer-limit as CONFIG SET last left them.
    const limits = limitsHook?.call(engine)
    if (limits !== undefined) p.maxBulkLen = limits.protoMaxBulkLen
    const queryLimit = limits?.clientQueryBufferLimit ?? Infinity
    // The bytes as Redis's reads would take them: each as long as the query buffer makes room for.
    for (let off = 0; off < n && !conn.closing;) {
      const end = Math.min(n, off + respParserReadLen(p))
      respParserFeed(p, bytes.latin1Slice(off, end), chunkBytes, off)
      // readQueryFromClient: past the limit the client is closed, with no reply.
      if (p.buf.length - p.pos > queryLimit) conn.closing = true
      else processInputBuffer(conn)
      respParserSettle(p)
      off = end
    }
    respParserReleaseBytes(p)
    // A command logged a bug report: the server dies before this read's replies go out.
    if (crash !== undefined) {
      const signal = takeCrashHook?.call(engine) ?? null
      if (signal !== null) crash(signal)
    }
    if (!conn.closing) readHook?.call(engine, conn.id)
    writeReplies(conn)
    flushOutbox()
  }

  /** Replies held while a listening socket is being bound (see changeListenPort). */
  let listenWait: Promise<void> | null = null

  /** Runs `step` once the pending bind, and what waits on it already, is done. */
  function afterListen(step: () => void | Promise<void>): void {
    const next = (listenWait ?? Promise.resolve()).then(step)
    listenWait = next
    void next.then(() => {
      if (listenWait === next) listenWait = null
    })
  }

  /** writeToClient: the whole batch's replies (in `out`) in one write. */
  function writeReplies(conn: Connection): void {
    const socket = conn.socket
    if (out.len > 0) engine.netWritten?.(out.len, conn.id)
    if (listenWait !== null) {
      // CONFIG SET port's new socket binds a tick later (Node looks the host up first):
      // replies wait for it, so a client told OK can connect to the new port at once.
      const bytes = Buffer.from(replyBufferBytes(out))
      const closing = conn.closing
      addedUpTo = 0
      afterListen(() => {
        if (closing) socket.end(bytes)
        else if (bytes.length > 0) socket.write(bytes)
      })
      return
    }
    if (conn.closing && socket.destroyed) {
      // Closed over its output buffer limits: nothing more is sent.
    } else if (conn.closing) {
      // Redis closes the connection (close(fd)): a client still sending then gets a reset,
      // not a half-open socket that keeps taking its bytes.
      socket.end(replyBufferBytes(out))
      socket.destroySoon()
    } else if (out.len > 0 && replyListBeforeWrite(conn, out.len, out.bigPieces)) {
      socket.write(replyBufferBytes(out))
      afterWrite(conn)
    }
    addedUpTo = 0
    // Bytes Node could not hand to the kernel at once stay referenced by the stream.
    if (out.len > 0 && socket.writableLength > 0) replyBufferDetach(out)
  }

  /**
   * Tells the engine how many of the connection's reply bytes Node has not written yet (its
   * reply list, in used_memory and CLIENT LIST omem), called only when a write did not
   * complete at once, on 'drain', and from cron while some are left. A client over
   * client-output-buffer-limit is closed without the rest, as Redis frees it.
   */
  function reportPending(conn: Connection): void {
    if (!conn.closed) tellPending(conn, conn.closing ? 0 : unwrittenBytes(conn.socket))
  }

  /**
   * After a write: the bytes Node kept are reported; none kept and none before, the engine
   * learns that all was written only if it asks (a replica's output).
   */
  function afterWrite(conn: Connection): void {
    if (conn.pending !== 0 || conn.socket.writableLength > 0) reportPending(conn)
    else replicaWrittenHook?.call(engine, conn.id)
  }

  /**
   * Before a batch longer than c->buf, or any while replies wait, is written: Redis adds the
   * replies to the reply list first and checks the limits there (_addReplyProtoToList), so a
   * reply past the hard limit closes the client before any of it is sent. False when the
   * client was closed.
   */
  function replyListBeforeWrite(conn: Connection, len: number, big: readonly number[]): boolean {
    if (
      pendingHook === undefined ||
      (len <= PROTO_REPLY_CHUNK_BYTES && addedUpTo === 0 && conn.pending === 0)
    )
      return true
    addToReplyList(conn, len, big)
    if (conn.closing) return false
    // Node then takes what it can at once: what is left is reported after the write.
    backlogged.add(conn)
    return true
  }

  /**
   * Tells the engine the replies of `out` from addedUpTo to `len`, as Redis adds them: the
   * small pieces between the big ones (`big`: bulk bodies longer than a block) fill blocks of
   * 16 KiB, and each big one fills the tail, then opens a block for its rest
   * (_addReplyProtoToList).
   */
  function addToReplyList(conn: Connection, len: number, big: readonly number[]): void {
    const start = conn.pending - addedUpTo
    let done = addedUpTo
    for (let j = 0; j < big.length && !conn.closing; j += 2) {
      const from = big[j] ?? 0
      const to = big[j + 1] ?? 0
      if (to <= done) continue
      if (from > done) tellPending(conn, start + from)
      if (!conn.closing) tellPending(conn, start + to, true)
      done = to
    }
    if (!conn.closing && done < len) tellPending(conn, start + len)
    addedUpTo = len
  }

  /**
   * Tells the engine the connection's unwritten reply bytes (the new ones one bulk body with
   * `onePiece`); closes it over the limits.
   */
  function tellPending(conn: Connection, bytes: number, onePiece = false): void {
    const hook = pendingHook
    if (hook === undefined || bytes === conn.pending) return
    conn.pending = bytes
    if (bytes > 0) backlogged.add(conn)
    else backlogged.delete(conn)
    const overLimit = hook.call(engine, conn.id, bytes, onePiece)
    if (overLimit !== null) closeOverLimit(conn, overLimit)
  }

  /** Closes the connections of the clients the engine freed (evicted), logging each. */
  function closeClientsToClose(): void {
    if (toCloseHook === undefined) return
    for (const [id, line] of toCloseHook.call(engine)) {
      const c = byId.get(id)
      if (c !== undefined && !c.socket.destroyed) closeOverLimit(c, line)
    }
  }

  /** Closes a client over its output buffer limits, with nothing more sent, and logs `line`. */
  function closeOverLimit(conn: Connection, line: string): void {
    // '': the engine logged its line itself (serverLog).
    if (line !== '') log(line)
    conn.closing = true
    backlogged.delete(conn)
    conn.socket.destroy()
  }

  /**
   * Writes what the engine queued outside request and reply (MONITOR lines, the late replies
   * of blocked clients), then runs the input a client kept while it was blocked
   * (blocked.c processUnblockedClients), which may queue more.
   */
  function flushOutbox(): void {
    const drain = engine.drainOutbox
    if (drain === undefined) return
    for (;;) {
      const outbox = drain.call(engine)
      closeClientsToClose()
      if (outbox.size !== 0) writeOutbox(outbox)
      // (Iterating even an empty Set allocates an iterator, and this runs after every read.)
      const resumed = blockedConns.size !== 0 && resumeUnblocked()
      if (!resumed && outbox.size === 0) return
    }
  }

  /**
   * Runs the input kept by a client that was blocked and is not any more, and writes its
   * replies; whether there was one. One at a time, in the order the engine unblocked them
   * (processUnblockedClients walks server.unblocked_clients): a command of one may serve
   * another, whose late reply flushOutbox writes before that one's further replies.
   */
  function resumeUnblocked(): boolean {
    const ids = engine.takeUnblocked?.()
    if (ids === undefined) {
      for (const conn of blockedConns) if (!toResume.includes(conn)) toResume.push(conn)
    } else {
      for (const id of ids) {
        const conn = byId.get(id)
        if (conn !== undefined && blockedConns.has(conn) && !toResume.includes(conn))
          toResume.push(conn)
      }
    }
    for (let conn = toResume.shift(); conn !== undefined; conn = toResume.shift()) {
      if (!blockedConns.has(conn) || engine.isBlocked?.(conn.id) === true) continue
      blockedConns.delete(conn)
      runKeptInput(conn, null)
      return true
    }
    return false
  }

  /**
   * A connection that waited (blocked) goes on: its `late` reply if the host has one, then
   * the input it kept, and the replies written.
   */
  function runKeptInput(conn: Connection, late: Reply | null): void {
    conn.blocked = false
    replyBufferReset(out)
    if (late !== null) replyBufferAppend(out, late)
    // A late reply may end the connection (a QUIT a client pause held): no more input.
    if (conn.flags.closeAfterReply) conn.closing = true
    else processInputBuffer(conn)
    respParserSettle(conn.parser)
    respParserReleaseBytes(conn.parser)
    writeReplies(conn)
  }

  function writeOutbox(outbox: ReadonlyMap<ClientId, string>): void {
    for (const [id, bytes] of outbox) {
      const c = byId.get(id)
      if (c === undefined || c.closing) continue
      if (c.waitsForWrite) {
        // writeToClient: the push was not added (CLIENT_CLOSE_AFTER_REPLY), the output is
        // empty, and the client is freed.
        c.closing = true
        c.socket.end()
        c.socket.destroySoon()
        continue
      }
      engine.netWritten?.(bytes.length, id)
      respBigPieces(bytes, outboxBigPieces)
      // Each client's messages are laid out on their own (addedUpTo is the running one's).
      addedUpTo = 0
      const write = replyListBeforeWrite(c, bytes.length, outboxBigPieces)
      addedUpTo = 0
      if (!write) continue
      c.socket.write(Buffer.from(bytes, 'latin1'))
      afterWrite(c)
    }
  }

  /** Runs every complete command in the query buffer, appending their replies to `out`. */
  function processInputBuffer(conn: Connection): void {
    const p = conn.parser
    // processInputBuffer stops at CLIENT_CLOSE_AFTER_REPLY: the rest stays in the query buffer.
    if (conn.blocked || conn.waitsForWrite) return
    // Replies of this pass wait in c->buf until the write (CLIENT LIST obl).
    const outStart = out.len
    for (;;) {
      const argv = respParserNext(p)
      if (argv === null) break
      let reply: Reply
      try {
        running = conn
        runningOutStart = outStart
        reply =
          callHosted === undefined
            ? callBytes.call(engine, argv, conn.id)
            : callHosted.call(engine, argv, conn.flags)
      } catch (e) {
        // An engine bug must not take the server down: answer, log, and drop this client.
        console.error(`engine error on ${JSON.stringify(argv.slice(0, 8))}:`, e)
        conn.closing = true
        replyBufferAppend(out, INTERNAL_ERROR)
        return
      } finally {
        // The engine may run a held client's command later (cron): not this connection's.
        running = null
      }
      if (reply === SHUTDOWN_NOT_MODELLED) {
        if (opts.shutdown === undefined) {
          // The engine's SHUTDOWN error fits any host; this one stops from its terminal.
          reply = SHUTDOWN_HERE
        } else {
          const on = opts.shutdown(argv)
          if (on === true) {
            // Redis exits inside the command: this pass's replies are never written.
            out.len = outStart
            out.bigPieces.length = 0
            addedUpTo = 0
            conn.closing = true
            return
          }
          if (on !== false) {
            // The final save is under way (the server held): the client waits for its end,
            // its input kept.
            conn.blocked = true
            void on.then((goesOn) => {
              if (!goesOn && !conn.closed) {
                runKeptInput(conn, SHUTDOWN_FAILED)
                flushOutbox()
              }
            })
            return
          }
          // replyToClientsBlockedOnShutdown, after cancelShutdown.
          reply = SHUTDOWN_FAILED
        }
      }
      if (reply === BLOCKED) {
        // Nothing to send yet: the reply comes through the outbox (flushOutbox).
        conn.blocked = true
        blockedConns.add(conn)
        return
      }
      // CLIENT REPLY OFF / SKIP: the command ran, its reply is dropped.
      if (!conn.flags.replySilenced) {
        replyBufferAppend(out, reply)
        // Past c->buf the replies enter the reply list now, where Redis checks the limits:
        // a client over them is closed and runs nothing more (CLIENT_CLOSE_ASAP).
        if (pendingHook !== undefined && out.len - addedUpTo > PROTO_REPLY_CHUNK_BYTES) {
          addToReplyList(conn, out.len, out.bigPieces)
          if (conn.closing) return
        }
      }
      // A CONFIG SET proto-max-bulk-len applies to the next request already read with it.
      if (limitsHook !== undefined) p.maxBulkLen = limitsHook.call(engine).protoMaxBulkLen
      if (conn.flags.closeAfterReply) {
        // Evicted (client eviction), or a command that stopped as its client passed its
        // output limits (HRANDFIELD ...): closed with nothing more sent.
        closeClientsToClose()
        const overLimit = conn.closing
          ? null
          : (pendingHook?.call(engine, conn.id, conn.pending) ?? null)
        if (overLimit !== null) closeOverLimit(conn, overLimit)
        if (!conn.closing) closeAfterReply(conn)
        return
      }
      // CLIENT KILL, ACL DELUSER and ACL SETUSER may have closed other connections (under
      // any name: rename-command), and the engine's count of unlinked clients then moved.
      const unlinked = unlinkedHook?.call(engine) ?? 0
      if (unlinked !== lastUnlinked) {
        lastUnlinked = unlinked
        closeKilled(conn)
      }
    }
    if (p.error !== null) {
      // setProtocolError: CLIENT_CLOSE_AFTER_REPLY after an ordinary error reply, which
      // CLIENT REPLY OFF / SKIP drops (prepareClientToWrite) like any other.
      if ((conn.flags.replyFlags & (REPLY_OFF | REPLY_SKIP)) === 0)
        replyBufferAppend(out, { type: 'error', value: 'ERR ' + p.error })
      engine.protocolError?.(conn.id, p.error)
      closeAfterReply(conn)
    }
  }

  /**
   * CLIENT_CLOSE_AFTER_REPLY: writeToClient frees the client once its output is written. With
   * nothing written since the last write (no reply of this pass, none unwritten) it never
   * enters clients_pending_write, and stays until a write or a kill (waitsForWrite).
   */
  function closeAfterReply(conn: Connection): void {
    if (out.len === 0 && conn.pending === 0 && conn.socket.writableLength === 0 && !freed(conn))
      conn.waitsForWrite = true
    else conn.closing = true
  }

  /** A client's flags asked of the engine by id (an engine without hostClient). */
  function flagsById(id: ClientId): HostedClient {
    return {
      get closeAfterReply() {
        return engine.shouldClose(id)
      },
      get replySilenced() {
        return engine.replySilenced?.(id) === true
      },
      // An engine that does not host its clients tells no CLIENT REPLY state between commands.
      replyFlags: 0,
    }
  }

  /** The engine freed the connection's client (killed, evicted, timed out). */
  function freed(conn: Connection): boolean {
    return hostClientHook === undefined || hostClientHook.call(engine, conn.id) !== conn.flags
  }

  function closeKilled(self: Connection): void {
    for (const c of conns) {
      if (c !== self && !c.closing && c.flags.closeAfterReply && (!c.waitsForWrite || freed(c))) {
        c.closing = true
        c.socket.destroy()
      }
    }
  }

  // A replica's link to its master (replica.ts): the engine asks, this host dials.
  const masterLinks = new Map<number, net.Socket>()
  const masterLinkHost: MasterLinkHost = {
    connect: (link, toHost, toPort) => {
      // replication.c connectWithMaster: from bind-source-addr when one is set.
      const source = (engine as RedisServer & EngineHooks).configValue?.('bind-source-addr') ?? ''
      const socket = net.connect({
        host: toHost,
        port: toPort,
        noDelay: true,
        ...(source === '' ? {} : { localAddress: source }),
      })
      masterLinks.set(link, socket)
      let failure: string | null = null
      const current = () => masterLinks.get(link) === socket
      socket.on('connect', () => {
        if (!current()) return
        engine.masterLinkConnected?.(link)
        flushOutbox()
      })
      socket.on('data', (chunk: Buffer) => {
        if (!current()) return
        engine.masterLinkRead?.(link, chunk.toString('latin1'))
        flushOutbox()
      })
      socket.on('error', (e: Error) => {
        failure = strerror(e)
      })
      socket.on('close', () => {
        if (!current()) return
        masterLinks.delete(link)
        engine.masterLinkClosed?.(link, failure)
        flushOutbox()
      })
    },
    write: (link, bytes) => {
      masterLinks.get(link)?.write(Buffer.from(bytes, 'latin1'))
    },
    close: (link) => {
      const socket = masterLinks.get(link)
      masterLinks.delete(link)
      socket?.destroy()
    },
  }
  engine.setMasterLinkHost?.(masterLinkHost)

  // A foreground save holds the server (hold): no reads, no cron.
  let held = false
  function hold(): () => void {
    held = true
    for (const c of conns) c.socket.pause()
    for (const link of masterLinks.values()) link.pause()
    return () => {
      held = false
      for (const c of conns) c.socket.resume()
      for (const link of masterLinks.values()) link.resume()
    }
  }

  const cron = setInterval(() => {
    if (held) return
    // What Node wrote since: the engine frees the reply blocks written whole.
    for (const c of backlogged) {
      reportPending(c)
      // clientsCron: over the soft limit for too long, even with no new replies.
      const closed = c.closing ? null : (limitHook?.call(engine, c.id) ?? null)
      if (closed !== null) closeOverLimit(c, closed)
    }
    engine.cron()
    // A SIGINT or SIGTERM's shutdown, run by serverCron.
    const due = shutdownDueHook?.call(engine) ?? null
    if (due !== null) opts.shutdown?.(due)
    // Timeouts of blocked clients, found by cron.
    flushOutbox()
  }, opts.cronIntervalMs ?? 10)
  cron.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const ready = () => {
      server.off('error', reject)
      resolve()
    }
    if (opts.path !== undefined) server.listen(opts.path, ready)
    else if (bindHost !== null) server.listen(opts.port ?? 0, host, ready)
    else ready()
  })
  // The unix socket beside the TCP port (anetUnixServer: a stale file is removed first,
  // then unixsocketperm applies).
  const unixServer =
    opts.unixsocket === undefined || opts.path !== undefined
      ? null
      : net.createServer({ noDelay: true }, onConnection)
  if (unixServer !== null && opts.unixsocket !== undefined) {
    const path = opts.unixsocket
    rmSync(path, { force: true })
    await new Promise<void>((resolve, reject) => {
      unixServer.once('error', reject)
      unixServer.listen(path, () => {
        unixServer.off('error', reject)
        resolve()
      })
    })
    if (opts.unixsocketperm !== undefined && opts.unixsocketperm !== 0)
      chmodSync(path, opts.unixsocketperm)
  }
  const address = server.address()
  // With no address bound, the configured port is the one a later CONFIG SET bind listens on.
  let port =
    typeof address === 'object' && address !== null
      ? address.port
      : opts.path === undefined
        ? (opts.port ?? 0)
        : 0
  // A later listen (CONFIG SET port) that fails after its probe: logged, as Redis logs it.
  server.on('error', (e: Error) => {
    log(`Warning: Could not create server TCP listening socket: ${e.message}`)
  })

  /**
   * server.c changeListenPort for CONFIG SET port: the listening socket moves to `p` (none
   * for 0); connections stay. Node binds asynchronously and the command's reply needs the
   * answer now, so a short-lived process tries the bind first (probeListen).
   */
  function changeListenPort(p: number): boolean {
    if (p === port) return true
    if (p !== 0 && bindHost !== null) {
      const err = probeListen(p, bindHost)
      if (err !== null) {
        log(`Warning: Could not create server TCP listening socket ${host}:${p}: ${err}`)
        return false
      }
    }
    listenAgain(p, bindHost)
    return true
  }

  /**
   * server.c changeBindAddr for CONFIG SET bind, over listenToPort's rules: an address that
   * cannot be bound fails them all (the socket stays as it was), unless it is optional ('-')
   * and not available here, or of an address family this host lacks; each failure is logged.
   * Every address is tried first by a short-lived process (probeBind), on a free port: the
   * current port is ours until the move. As at start, only the first address that can be
   * bound is listened on; none at all, and the server listens on no TCP socket.
   */
  function changeBindAddr(addrs: readonly string[]): boolean {
    const hosts = addrs.map((a) => bindAddressHost(a))
    const results = probeBind(hosts)
    let first: string | null = null
    for (let i = 0; i < hosts.length; i++) {
      const addr = hosts[i] ?? ''
      const r = results[i] ?? null
      if (r === null) {
        first ??= addr
        continue
      }
      log(`Warning: Could not create server TCP listening socket ${addr}:${port}: ${r.message}`)
      if (r.code === 'EADDRNOTAVAIL' && addrs[i]?.startsWith('-') === true) continue
      if (SKIPPED_FAMILY_ERRORS.has(r.code)) continue
      log('Failed to bind')
      return false
    }
    listenAgain(port, first)
    return true
  }

  /** Closes the listening socket and listens on `p` at `addr` (neither when 0 or null). */
  function listenAgain(p: number, addr: string | null): void {
    if (server.listening) server.close()
    port = p
    bindHost = addr
    if (addr !== null) host = addr
    if (p !== 0 && addr !== null) {
      const settled = new Promise<void>((resolve) => {
        const done = () => {
          server.off('listening', done)
          server.off('error', done)
          resolve()
        }
        server.once('listening', done)
        server.once('error', done)
      })
      afterListen(() => settled)
      server.listen(p, host)
    }
  }
  if (opts.path === undefined) {
    ;(engine as RedisServer & EngineHooks).setChangeListenPort?.(changeListenPort)
    ;(engine as RedisServer & EngineHooks).setChangeBindAddr?.(changeBindAddr)
  }

  return {
    get port() {
      return port
    },
    path: opts.path ?? null,
    get host() {
      return host
    },
    engine,
    hold,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(cron)
        engine.setMasterLinkHost?.(null)
        for (const socket of masterLinks.values()) socket.destroy()
        masterLinks.clear()
        // The listening socket first: once a client sees its connection closed, a new one
        // is refused (as when redis-server exits), never accepted and dropped.
        unixServer?.close()
        server.close(() => resolve())
        for (const c of conns) c.socket.destroy()
      }),
  }
}

async function createEngine(opts: RespServerOptions): Promise<RedisServer> {
  const { createServer } = await import('../engine/index.ts')
  return createServer({
    seed: opts.seed ?? 0,
    clock: realClock,
    trace: opts.trace ?? 'off',
    enableDebugCommand: opts.enableDebugCommand ?? 'no',
    ...(opts.config === undefined ? {} : { config: opts.config }),
    ...openFilesLimit(),
    processId: process.pid,
  })
}

/** Listens on argv[1]:argv[2] and exits 0 once listening, or prints the error and exits 1. */
const PROBE_LISTEN = `const s = require('node:net').createServer()
s.once('error', (e) => { process.stdout.write(e.message); process.exit(1) })
s.listen(Number(process.argv[2]), process.argv[1], () => process.exit(0))`

/**
 * Whether this host could listen on host:port now, asked synchronously of a child process
 * (the listen is closed when it exits): null when it could, else the error.
 */
function probeListen(port: number, host: string): string | null {
  const r = spawnSync(process.execPath, ['-e', PROBE_LISTEN, host, String(port)], {
    encoding: 'latin1',
    timeout: 10_000,
  })
  if (r.status === 0) return null
  return r.stdout !== '' ? r.stdout : (r.error?.message ?? `probe exited with ${String(r.status)}`)
}

/**
 * A `bind` address as Node listens on it: a leading '-' (optional) dropped, '*' every IPv4
 * address, '::*' every IPv6 one.
 */
export function bindAddressHost(addr: string): string {
  const a = addr.startsWith('-') ? addr.slice(1) : addr
  return a === '*' ? '0.0.0.0' : a === '::*' ? '::' : a
}

/** listenToPort's errors of an address family the host lacks: the address is skipped. */
const SKIPPED_FAMILY_ERRORS = new Set([
  'ENOPROTOOPT',
  'EPROTONOSUPPORT',
  'ESOCKTNOSUPPORT',
  'EPFNOSUPPORT',
  'EAFNOSUPPORT',
])

const PROBE_BIND = `const net = require('node:net')
const out = []
const next = (i) => {
  if (i === process.argv.length - 1) { process.stdout.write(JSON.stringify(out)); process.exit(0) }
  const s = net.createServer()
  s.once('error', (e) => { out.push({ code: e.code ?? '', message: e.message }); next(i + 1) })
  s.listen(0, process.argv[i + 1], () => { out.push(null); s.close(); next(i + 1) })
}
next(0)`

/**
 * Whether this host could listen on each address (on a free port), asked synchronously of
 * a child process: null for one it could, else the error's code and message.
 */
function probeBind(hosts: readonly string[]): ({ code: string; message: string } | null)[] {
  if (hosts.length === 0) return []
  const r = spawnSync(process.execPath, ['-e', PROBE_BIND, ...hosts], {
    encoding: 'latin1',
    timeout: 10_000,
  })
  try {
    return JSON.parse(r.stdout) as ({ code: string; message: string } | null)[]
  } catch {
    const message = r.error?.message ?? `probe exited with ${String(r.status)}`
    return hosts.map(() => ({ code: '', message }))
  }
}

/** linux/capability.h CAP_SYS_RESOURCE: may raise the hard RLIMIT_NOFILE (to fs.nr_open). */
const CAP_SYS_RESOURCE = 24n

/**
 * This process's RLIMIT_NOFILE from /proc (Linux), for maxclients as redis-server started
 * here would size it; nothing where /proc cannot tell. (Node raises its soft limit to the
 * hard one at start, as redis-server would for the default maxclients.)
 */
function openFilesLimit(): {
  openFilesLimit?: { cur: number; max: number; privilegedMax: number | null }
} {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(
      readFileSync('/proc/self/limits', 'latin1'),
    )
    if (m === null) return {}
    const num = (s: string | undefined): number => (s === 'unlimited' ? Infinity : Number(s))
    const cap = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'latin1'))
    const privileged =
      cap !== null && ((BigInt(`0x${cap[1] ?? '0'}`) >> CAP_SYS_RESOURCE) & 1n) === 1n
    const nrOpen = privileged ? Number(readFileSync('/proc/sys/fs/nr_open', 'latin1').trim()) : null
    return { openFilesLimit: { cur: num(m[1]), max: num(m[2]), privilegedMax: nrOpen } }
  } catch {
    return {}
  }
}

/**
 * The bytes `socket` has not handed to the kernel yet. writableLength counts a write in
 * progress whole until it completes; libuv's write queue says how much of it is left, so
 * that part is taken from there (Node's fields, where this Node has them).
 */
function unwrittenBytes(socket: net.Socket): number {
  const total = socket.writableLength
  const inFlight = (socket as unknown as { _writableState?: { writelen?: unknown } })._writableState
    ?.writelen
  const queued = (socket as unknown as { _handle?: { writeQueueSize?: unknown } })._handle
    ?.writeQueueSize
  if (typeof inFlight !== 'number' || typeof queued !== 'number' || inFlight > total) return total
  return total - inFlight + queued
}

function plainAddress(addr: string | undefined): string {
  if (addr === undefined) return '?'
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr
}

/** networking.c islocalClient's test of a TCP peer: exactly 127.0.0.1 or ::1. */
function isLoopback(addr: string | undefined): boolean {
  const a = plainAddress(addr)
  return a === '127.0.0.1' || a === '::1'
}
