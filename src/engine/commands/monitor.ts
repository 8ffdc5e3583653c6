/**
 * MONITOR (server.c monitorCommand, replication.c replicationFeedMonitors): a client that
 * sends MONITOR is answered OK and from then on receives one status line per command any
 * client runs, as the command finishes:
 *
 *   +1700000000.123456 [0 127.0.0.1:50214] "set" "k" "v"
 *
 * the time in seconds with microseconds, the db the command left its client in, the client's
 * address, then every argument as sdscatrepr prints it. Administrative commands (CONFIG,
 * DEBUG, MONITOR itself ...) and skip_monitor ones are never shown; a transaction shows each
 * command EXEC runs, then EXEC.
 *
 * Those lines are not replies to the monitor's own commands: they wait in the server's
 * outbox until the transport takes them (RedisServer.drainOutbox): the RESP server writes
 * them to the monitors' connections, the app's worker drains them after every command and
 * shows them in the monitor's console tab. A monitor nobody drains keeps at most
 * OUTBOX_LIMIT bytes.
 */
import type { ClientId } from '../api.ts'
import { REPLY_NONE, type Client, type ServerState } from '../state.ts'
import { error, OK, type Reply } from '../reply.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'

/** Bytes kept for one monitor when nobody takes them (see the file comment). */
export const OUTBOX_LIMIT = 1 << 20

/** sds.c sdscatrepr: the argument quoted, with C escapes and \xHH for other bytes. */
export function sdsRepr(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i)
    switch (ch) {
      case 0x5c:
        out += '\\\\'
        break
      case 0x22:
        out += '\\"'
        break
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x07:
        out += '\\a'
        break
      case 0x08:
        out += '\\b'
        break
      default:
        // isprint: the printable ASCII range.
        out +=
          ch >= 0x20 && ch <= 0x7e
            ? String.fromCharCode(ch)
            : `\\x${ch.toString(16).padStart(2, '0')}`
    }
  }
  return out + '"'
}

/** replicationFeedMonitors: queues the line for `argv`, run by `c`, for every monitor. */
export function feedMonitors(
  srv: ServerState,
  c: Client,
  nowMs: number,
  argv: readonly string[],
): void {
  const us = Math.floor(nowMs * 1000)
  const sec = Math.floor(us / 1_000_000)
  const frac = String(us - sec * 1_000_000).padStart(6, '0')
  let line = `+${String(sec)}.${frac} [${String(c.db)} ${c.addr}]`
  for (const a of argv) line += ' ' + sdsRepr(a)
  line += '\r\n'
  for (const id of srv.monitors) {
    const pending = srv.outbox.get(id) ?? ''
    if (pending.length + line.length <= OUTBOX_LIMIT) srv.outbox.set(id, pending + line)
  }
}

/** Forgets a closed client's monitor registration and pending lines. */
export function monitorClientClosed(srv: ServerState, id: ClientId): void {
  const i = srv.monitors.indexOf(id)
  if (i >= 0) srv.monitors.splice(i, 1)
  srv.outbox.delete(id)
}

/** Takes every monitor's pending lines (the transport writes them to the connections). */
export function drainOutbox(srv: ServerState): ReadonlyMap<ClientId, string> {
  if (srv.outbox.size === 0) return EMPTY
  const out = srv.outbox
  srv.outbox = new Map()
  return out
}

const EMPTY: ReadonlyMap<ClientId, string> = new Map()

/** server.c monitorCommand. */
function monitorCommand(c: CommandCall): Reply {
  const { srv, client } = c
  // CLIENT_DENY_BLOCKING: set while EXEC runs a transaction's commands.
  if (client.multi !== null) return error("ERR MONITOR isn't allowed for DENY BLOCKING client")
  // Already a monitor: ignored, with no reply at all (replySilenced tells the transport).
  if (srv.monitors.includes(client.id)) {
    client.replyFlags |= REPLY_NONE
    return OK
  }
  srv.monitors.push(client.id)
  return OK
}

export const monitorCommands: readonly CommandSpec[] = [defineCommand('monitor', monitorCommand)]
