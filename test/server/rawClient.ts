/**
 * A raw RESP2 client for tests and the conformance harness: sends bytes as given and cuts
 * what comes back into replies, keeping each reply's exact bytes.
 */
import net from 'node:net'
import {
  respEncodeCommand,
  respReplyReaderCreate,
  respReplyReaderFeed,
  respReplyReaderNext,
  type RespReplyRead,
} from '../../src/engine/resp.ts'

export interface RawClient {
  /** Writes bytes (a byte string) as they are. */
  send(bytes: string): void
  /** Sends a command as a multibulk request. */
  sendCommand(argv: readonly string[]): void
  /** Waits for the next reply; rejects if the connection closes or `timeoutMs` passes. */
  next(timeoutMs?: number): Promise<RespReplyRead>
  /** Sends a command and waits for its reply. */
  command(...argv: string[]): Promise<RespReplyRead>
  /** Waits until the server closes the connection; returns every byte not yet read. */
  closed(timeoutMs?: number): Promise<string>
  /**
   * Waits until the server closes the connection or sends nothing for `quietMs`; returns
   * every byte not yet read (and drops them from the reply reader).
   */
  drain(quietMs?: number): Promise<string>
  /** True once the server closed the connection. */
  readonly isClosed: boolean
  close(): void
}

/** Connects to a TCP port on `host`, or to a unix socket when `target` is a path. */
export function connectRaw(target: number | string, host = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = typeof target === 'string' ? net.connect(target) : net.connect(target, host)
    const reader = respReplyReaderCreate()
    let all = ''
    let consumed = 0
    let isClosed = false
    let lastData = 0
    let wake: (() => void) | null = null
    const notify = () => {
      const w = wake
      wake = null
      w?.()
    }
    socket.on('data', (d: Buffer) => {
      const s = d.toString('latin1')
      all += s
      lastData = Date.now()
      respReplyReaderFeed(reader, s)
      notify()
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      isClosed = true
      notify()
    })
    const waitFor = <T>(ready: () => T | null, timeoutMs: number, what: string): Promise<T> =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => {
          wake = null
          rej(new Error(`timed out after ${timeoutMs}ms waiting for ${what}`))
        }, timeoutMs)
        const check = () => {
          const v = ready()
          if (v !== null) {
            clearTimeout(timer)
            res(v)
          } else if (isClosed && what === 'a reply') {
            clearTimeout(timer)
            rej(new Error('connection closed while waiting for a reply'))
          } else wake = check
        }
        check()
      })
    const client: RawClient = {
      send: (bytes) => {
        socket.write(bytes, 'latin1')
      },
      sendCommand: (argv) => {
        socket.write(respEncodeCommand(argv), 'latin1')
      },
      next: (timeoutMs = 5000) =>
        waitFor(
          () => {
            const r = respReplyReaderNext(reader)
            if (r !== null) consumed += r.raw.length
            return r
          },
          timeoutMs,
          'a reply',
        ),
      command: (...argv) => {
        client.sendCommand(argv)
        return client.next()
      },
      closed: (timeoutMs = 5000) =>
        waitFor(() => (isClosed ? all.slice(consumed) : null), timeoutMs, 'the close'),
      drain: async (quietMs = 300) => {
        lastData = Date.now()
        while (!isClosed && Date.now() - lastData < quietMs) {
          await new Promise((r) => setTimeout(r, 10))
        }
        const rest = all.slice(consumed)
        consumed = all.length
        reader.buf = ''
        reader.pos = 0
        return rest
      },
      get isClosed() {
        return isClosed
      },
      close: () => {
        socket.destroy()
      },
    }
    socket.once('connect', () => resolve(client))
    socket.once('error', reject)
  })
}

/**
 * A new connection's PING reply on a loopback port, or 'refused' when nothing listens there;
 * the connection is added to `open` for the caller to close.
 */
export async function pingOrRefused(port: number, open: RawClient[]): Promise<string> {
  try {
    const c = await connectRaw(port)
    open.push(c)
    return (await c.command('PING')).raw
  } catch {
    return 'refused'
  }
}
