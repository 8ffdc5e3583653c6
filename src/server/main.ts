/**
 * `npm run serve -- [--port 6380] [--seed N] [--enable-debug-command yes|local|no]
 * [--bind 127.0.0.1] [--<config-name> <value> ...]`: serves the engine over RESP2.
 *
 * Like redis-server, any other `--name value` pair sets that config parameter at startup
 * (e.g. `--hz 100 --requirepass secret --maxmemory 10mb --save ""`). Options that only make
 * sense for a real redis-server (--daemonize, --logfile, ...) are accepted and ignored,
 * so the same command line works for both. `dir` is what CONFIG GET dir shows: like
 * redis-server, the working directory (or --dir) as an absolute, resolved path.
 */
import { realpathSync } from 'node:fs'
import { startRespServer, type RespServerHandle } from './server.ts'

// appendonly is kept: INFO's aof_enabled and DEBUG LOADAOF read it.
const IGNORED = new Set(['daemonize', 'logfile', 'protected-mode'])

export interface ServeArgs {
  port: number
  host: string
  seed: number
  enableDebugCommand: 'yes' | 'local' | 'no'
  config: Record<string, string>
}

/** Parses the command line (everything after `main.ts`). Throws on bad usage. */
export function parseServeArgs(args: readonly string[]): ServeArgs {
  const out: ServeArgs = {
    // 6380 rather than 6379, so that it starts next to a real Redis on the default port.
    port: 6380,
    host: '127.0.0.1',
    seed: 0,
    enableDebugCommand: 'no',
    config: {},
  }
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string
    if (!flag.startsWith('--')) throw new Error(`unexpected argument '${flag}'`)
    const name = flag.slice(2).toLowerCase()
    const value = args[i + 1]
    if (value === undefined) throw new Error(`missing value for ${flag}`)
    i++
    if (name === 'port') out.port = parseInteger(flag, value)
    else if (name === 'seed') out.seed = parseInteger(flag, value)
    else if (name === 'bind') out.host = value
    else if (name === 'enable-debug-command') {
      if (value !== 'yes' && value !== 'local' && value !== 'no') {
        throw new Error(`--enable-debug-command must be yes, local or no`)
      }
      out.enableDebugCommand = value
    } else if (!IGNORED.has(name)) out.config[name] = value
  }
  return out
}

function parseInteger(flag: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a non-negative integer`)
  return n
}

async function main(): Promise<void> {
  let args: ServeArgs
  try {
    args = parseServeArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`serve: ${(e as Error).message}`)
    process.exit(1)
  }
  let handle: RespServerHandle
  try {
    handle = await startRespServer({
      port: args.port,
      host: args.host,
      seed: args.seed,
      enableDebugCommand: args.enableDebugCommand,
      // CONFIG GET port and INFO's tcp_port show the port served, as redis-server's do.
      config: {
        ...args.config,
        port: String(args.port),
        dir: realpathSync(args.config['dir'] ?? process.cwd()),
      },
    })
  } catch (e) {
    console.error(`serve: cannot listen on ${args.host}:${args.port}: ${(e as Error).message}`)
    process.exit(1)
  }
  console.log(
    `Redis X-Ray engine (RESP2) ready on ${handle.host}:${handle.port} (seed ${args.seed}). ` +
      `Try: redis-cli -p ${handle.port}`,
  )
  const stop = () => {
    void handle.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
