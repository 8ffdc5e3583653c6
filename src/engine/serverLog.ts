/**
 * serverLog — server.c's log, as the engine writes it. (← serverLog / serverLogRaw, Redis 7.0.15)
 *
 * A line has a level, DEBUG, VERBOSE, NOTICE or WARNING, and is dropped when it is below the
 * `loglevel` config (server.verbosity). The engine has no files: the host that serves it sets
 * a sink (the RESP server writes the line to the logfile with the level's mark, `.-*#`);
 * without one (the browser) lines go nowhere.
 */
import type { ServerState } from './state.ts'

/** serverLog's levels, LL_DEBUG to LL_WARNING. */
export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning'

/**
 * Where the host writes a line the level lets through: with its prefix (pid, role, time,
 * level mark) and a newline, or, `raw` (LL_RAW), as it is.
 */
export type ServerLogSink = (level: LogLevel, text: string, raw: boolean) => void

const LEVELS: readonly LogLevel[] = ['debug', 'verbose', 'notice', 'warning']

const sinks = new WeakMap<ServerState, ServerLogSink>()

/** The host's sink for this server's log lines, or none. */
export function setServerLogSink(srv: ServerState, sink: ServerLogSink | null): void {
  if (sink === null) sinks.delete(srv)
  else sinks.set(srv, sink)
}

/**
 * serverLogRaw's filter: a line at `level` is written when `loglevel` (server.verbosity) is
 * not above it. The host applies it to its own lines too (startup, shutdown, saves).
 */
export function logLevelWrites(loglevel: string, level: LogLevel): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(loglevel as LogLevel)
}

/** The `loglevel` config (server.verbosity). */
export function serverLogLevel(srv: ServerState): string {
  return srv.config.other['loglevel'] ?? 'notice'
}

/** Logs `text` at `level` unless `loglevel` is above it — serverLog (serverLogRaw if `raw`). */
export function serverLog(srv: ServerState, level: LogLevel, text: string, raw = false): void {
  const sink = sinks.get(srv)
  if (sink === undefined || !logLevelWrites(serverLogLevel(srv), level)) return
  sink(level, text, raw)
}

/**
 * debug.c serverLogHexDump: a title line with the byte count, then the bytes in lowercase
 * hex, raw (written in pieces of 32 bytes with no break between them) and a newline.
 */
export function serverLogHexDump(
  srv: ServerState,
  level: LogLevel,
  descr: string,
  bytes: Uint8Array,
): void {
  serverLog(srv, level, `${descr} (hexdump of ${String(bytes.length)} bytes):`)
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  serverLog(srv, level, `${hex}\n`, true)
}
