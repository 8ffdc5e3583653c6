/**
 * The engine's public contract (design.md "Engine"). server.ts implements it; the worker,
 * the RESP server and tests use only this.
 */
import type { Clock, ClockInput } from './clock.ts'
import type { StepEvent, TraceLevel } from './events.ts'
import type { Reply } from './reply.ts'

/** Config parameter values as CONFIG SET would take them: name → string value. */
export type EngineConfig = Readonly<Record<string, string>>

/**
 * Start-up config overrides: Redis parameter names (aliases too) with their values as
 * CONFIG SET takes them, or as plain numbers and booleans (yes/no), e.g.
 * { hz: 100, 'maxmemory-policy': 'allkeys-lru', activerehashing: false }.
 */
export type ConfigOverrides = Readonly<Record<string, string | number | boolean>>

export interface ServerOptions {
  readonly seed: number
  /**
   * Where time comes from: a Clock ({ now() }), a function giving Unix ms, or nothing for a
   * manual clock starting at 2024-01-01 that only tick(ms) moves (manualClock()).
   */
  readonly clock?: ClockInput
  /**
   * Overrides of Redis's defaults, e.g. { hz: 10, 'maxmemory-policy': 'allkeys-lru' }. An
   * unknown name or a bad value throws, naming the parameter.
   */
  readonly config?: ConfigOverrides
  readonly trace?: TraceLevel
  /**
   * enable-debug-command: 'yes' (the browser sandbox), 'local', or 'no' (Redis's default).
   * With 'local', DEBUG is allowed only for clients created with `local: true`.
   */
  readonly enableDebugCommand?: 'yes' | 'local' | 'no'
  /**
   * The process's open files limit (RLIMIT_NOFILE), for maxclients as redis-server sizes it
   * (adjustOpenFilesLimit): the soft and hard limits and, for a process that may raise its
   * hard limit, how far (fs.nr_open), else null. Without it (the browser) any maxclients fits.
   */
  readonly openFilesLimit?: {
    readonly cur: number
    readonly max: number
    readonly privilegedMax: number | null
  }
  /** The host process's pid (INFO process_id; a BGSAVE child is its child). Default 1. */
  readonly processId?: number
}

export type ClientId = number

export interface ClientOptions {
  /** Connected over loopback (for enable-debug-command local). Default true. */
  readonly local?: boolean
  readonly addr?: string
  readonly laddr?: string
  /** Connected over the unix socket (CLIENT_UNIX_SOCKET: CLIENT LIST flags U). */
  readonly unixSocket?: boolean
  /**
   * CLIENT_DENY_BLOCKING for the connection: a blocking command (BLPOP ...) that finds no
   * data answers as on timeout at once instead of blocking, as inside MULTI. Default false.
   */
  readonly denyBlocking?: boolean
}

/** One command's worth of facts: design.md "Step events". */
export interface Trace {
  readonly seq: number
  readonly client: ClientId
  readonly db: number
  readonly argv: readonly string[]
  /** Virtual ms, frozen for the command. */
  readonly at: number
  readonly reply: Reply
  readonly events: readonly StepEvent[]
}

/** What a cron tick did (active expire, rehash, shrink). */
export interface TickTrace {
  readonly at: number
  readonly events: readonly StepEvent[]
}

export interface InspectOptions {
  readonly db?: number
  /** Past this many elements a view is summarised. Default 512. */
  readonly limit?: number
  /**
   * For dict views: list every non-empty bucket in [from, to) instead of the first `limit`
   * (the dict panel's zoom into a big table).
   */
  readonly range?: readonly [number, number]
  /**
   * A server-level view instead of a key's (call inspect(null, ...)): 'clients' gives every
   * client's MULTI queue, flags, WATCHed keys and subscriptions, the per-db watched_keys
   * dicts and the Pub/Sub channel and pattern dicts (inspectClients.ts ClientsView). `db`
   * is ignored; lists are cut at `limit`. Added in session 7; a server without it answers
   * the keyspace view.
   */
  readonly server?: 'clients'
}

/**
 * One step of a sliced command: how far it got, or its finished trace.
 * `done`/`total` count the command's work units (keys for DEBUG POPULATE).
 */
export type CommandSlice =
  | { readonly finished: false; readonly done: number; readonly total: number }
  | { readonly finished: true; readonly trace: Trace }

/**
 * A command started with executeSliced: call step(units) until it reports `finished`.
 * The result (reply, events, RNG draws, final state) is the same as execute()'s for any
 * choice of slice sizes; `now` is frozen at the start and no cron runs between slices.
 * Nothing else may run on the server until the last step; a command abandoned halfway
 * leaves the server in a partial state, to be discarded (rebuilt by replay).
 */
export interface SlicedCommand {
  /** Work units of the whole command; 1 for a command that runs whole in one step. */
  readonly total: number
  /** Runs at most `units` more units (at least 1). */
  step(units: number): CommandSlice
}

/** Plain view models of structures, for panels. Shapes are defined next to each structure. */
export type InspectView = Readonly<Record<string, unknown>> & { readonly kind: string }

/**
 * A client's flags as a transport reads them after each of its commands, kept current by the
 * engine (EngineServer.hostClient): what shouldClose() and replySilenced() answer by id.
 */
export interface HostedClient {
  /** The client asked to close (QUIT), was killed, or is freed already: shouldClose(). */
  readonly closeAfterReply: boolean
  /** The reply of its last command is not to be sent (CLIENT REPLY): replySilenced(). */
  readonly replySilenced: boolean
  /**
   * CLIENT REPLY's flags between commands (REPLY_* in state.ts): under REPLY_OFF or REPLY_SKIP
   * an error the transport answers itself (a protocol error) is not sent either.
   */
  readonly replyFlags: number
}

/**
 * The socket I/O of a replica's link to its master (replication.c repl_transfer_s, then the
 * master client's connection), done by the host for the engine (replica.ts). The engine
 * calls these; the host answers through RedisServer.masterLinkConnected / masterLinkRead /
 * masterLinkClosed with the same `link` number. Links are numbered from 1, a new one per
 * connect; events of a link the engine closed are ignored.
 */
export interface MasterLinkHost {
  /** connConnect: a non-blocking connect to host:port. */
  connect(link: number, host: string, port: number): void
  /** Writes bytes (a byte string) on the link. */
  write(link: number, bytes: string): void
  /** connClose: closes the link; nothing more is reported for it. */
  close(link: number): void
}

export interface RedisServer {
  /** Creates a connection; each has its own selected db, MULTI state and auth. */
  createClient(opts?: ClientOptions): ClientId
  /** Closes a connection (unwatches its keys). */
  closeClient(id: ClientId): void
  /**
   * Runs one command; the reply only. argv items are byte strings; createServer's server also
   * takes a string with a code unit above 255 as text, sent as its UTF-8 bytes, and a
   * Uint8Array as its bytes (bytes.ts argvToBytes). Replies hold byte strings (bytesToUtf8
   * to display them). Without `client`, a default connection that never blocks (BLPOP
   * answers at once, as inside MULTI). A connection speaks RESP2 (the reply shapes of
   * reply.ts's RESP2 part) until it sends HELLO 3; then its replies use the RESP3 types too.
   */
  call(argv: readonly string[], client?: ClientId): Reply
  /** Runs one command and returns its full trace (argv as byte strings). */
  execute(argv: readonly string[], client?: ClientId): Trace
  /**
   * Starts one command as resumable slices (see SlicedCommand). Long commands (DEBUG
   * POPULATE) do their work a few units per step; others finish on the first step.
   * Optional: a server without it is driven through execute().
   */
  executeSliced?(argv: readonly string[], client?: ClientId): SlicedCommand
  /**
   * Takes the output waiting for clients outside request and reply: MONITOR's lines, Pub/Sub
   * messages, blocked clients' late replies, by client, as RESP bytes. The transport writes
   * them to those connections (after each command or batch, before that client's next
   * reply). Optional.
   */
  drainOutbox?(): ReadonlyMap<ClientId, string>
  /**
   * Admission of a new connection (networking.c acceptCommonHandler): false, counted in INFO's
   * rejected_connections, when maxclients clients are already connected; the transport then
   * answers "-ERR max number of clients reached" and closes. Optional: without it all are let in.
   */
  admitClient?(): boolean
  /**
   * acceptCommonHandler's protected mode, for a client just created: true, counted in
   * rejected_connections, when protected-mode is on, the default user has no password and
   * the client is not local (islocalClient); the transport then answers -DENIED and closes it.
   * Optional: without it none is refused.
   */
  protectedModeRefuses?(client: ClientId): boolean
  /**
   * Tells whether the client waits in a blocking command (BLPOP ...). call() returned the
   * BLOCKED placeholder (reply.ts) for that command: the transport sends nothing, runs none
   * of the client's further commands, and waits for the reply in drainOutbox(); once this is
   * false again it goes on with the client's input. Optional: a server without it never
   * blocks a client.
   */
  isBlocked?(client: ClientId): boolean
  /**
   * The clients unblocked since the last call, in the order they were (blocked.c
   * server.unblocked_clients): the transport goes on with their input in this order, as
   * processUnblockedClients does. Optional: without it, in the order they blocked.
   */
  takeUnblocked?(): readonly ClientId[]
  /** Tells whether the client asked to close (QUIT) or was killed; the transport closes it. */
  shouldClose(client: ClientId): boolean
  /**
   * Tells whether the reply of the client's last command must not be sent (CLIENT REPLY OFF,
   * SKIP): the transport drops it. Optional: without it every reply is sent.
   */
  replySilenced?(client: ClientId): boolean
  /**
   * The transport answered a request of the client with a protocol error, `message` without
   * its "ERR " (networking.c addReplyError then setProtocolError): counted in INFO
   * errorstats and total_error_replies whether or not CLIENT REPLY lets it be sent
   * (afterErrorReply), and the client is flagged CLIENT_CLOSE_AFTER_REPLY (CLIENT LIST
   * flags=c). Optional.
   */
  protocolError?(client: ClientId, message: string): void
  /**
   * The transport read a request of no arguments from the client (an empty inline line,
   * `*0` or `*-1`), which Redis does not run but resets the client for (networking.c
   * processInputBuffer calls resetClient): a pending CLIENT REPLY SKIP and CLIENT CACHING's
   * flag end. Optional.
   */
  emptyRequest?(client: ClientId): void
  /**
   * The transport read `bytes` from a client (0: the read that found the connection closed):
   * INFO stats total_net_input_bytes and total_reads_processed (networking.c
   * readQueryFromClient). Optional: without reads reported, total_reads_processed shows the
   * commands processed. With its `client` named, a read refreshes that client's last
   * interaction (CLIENT LIST idle, the `timeout` check); the read of 0 bytes logs "Client
   * closed connection" with the client's info at VERBOSE, as readQueryFromClient does.
   */
  netRead?(bytes: number, client?: ClientId): void
  /**
   * The transport wrote `bytes` to `client` in one write (writeToClient): INFO stats, that
   * client's reply-buffer peak (CLIENT LIST rbp, which clientsCron sizes c->buf by) and its
   * last interaction.
   */
  netWritten?(bytes: number, client?: ClientId): void
  /**
   * Gives the engine a way to reach a master (REPLICAOF host port): without one (the
   * browser) every connect to a master is refused. Optional.
   */
  setMasterLinkHost?(host: MasterLinkHost | null): void
  /** The host's connect of `link` completed: the replication handshake starts. */
  masterLinkConnected?(link: number): void
  /** The host read `bytes` (a byte string) on `link`: handshake replies, payload, stream. */
  masterLinkRead?(link: number, bytes: string): void
  /**
   * `link` closed, or its connect failed: `error` is the failure's strerror text
   * ("Connection refused"), null for a close by the peer.
   */
  masterLinkClosed?(link: number, error: string | null): void
  /** Advances the clock by `ms` (virtual clocks) and runs serverCron at `hz` for that span. */
  tick(ms: number): TickTrace
  /** Runs the cron work that is due at the clock's current time (real-clock servers). */
  cron(): TickTrace
  /**
   * A view of one key's structure, or the keyspace when key is null. The key is a byte
   * string; createServer's server takes text beyond Latin-1 as UTF-8, as call() does.
   */
  inspect(key: string | null, opts?: InspectOptions): InspectView | null
  /**
   * The keys a command line names, as COMMAND GETKEYS finds them from the command's key
   * specs ([] for an unknown command, a wrong argument count, or a command without keys);
   * byte strings. Reads nothing of the data. Optional (fakes need not have it).
   */
  commandKeys?(argv: readonly string[]): string[]
  /** A digest of the whole dataset (like DEBUG DIGEST), for replay checks. */
  digest(): string
  readonly traceLevel: TraceLevel
  setTraceLevel(level: TraceLevel): void
  /**
   * Copies the whole server onto `clock` (snapshot.ts): the copy and the original then give
   * the same replies, events, RNG draws and digest for the same commands and ticks, and
   * neither affects the other. O(state). Not while a sliced command is unfinished.
   * Optional (fakes need not have it): time travel then replays from the seed.
   */
  clone?(clock: Clock): RedisServer
  /** Keys in all dbs: O(dbs), cheap enough to read after every command. Optional. */
  keyCount?(): number
  /** Keys plus container elements, a measure of what a clone costs: O(keys). Optional. */
  stateSize?(): number
}
