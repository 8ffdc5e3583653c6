/**
 * A redis-server 7.0.15 and our RESP server for one test file: started before its tests,
 * stopped after them. `connect()` opens a raw connection to each (by TCP port, or the real
 * server's unix socket when it has no TCP port).
 */
import { afterAll, beforeAll } from 'vitest'
import { startRespServer, type RespServerHandle } from '../../src/server/server.ts'
import { connectRaw, type RawClient } from '../server/rawClient.ts'
import { startRealRedis, type RealRedis, type RealRedisOptions } from './redisProcess.ts'

export interface BothServers {
  connectReal(): Promise<RawClient>
  connectOurs(): Promise<RawClient>
  /** The real server's TCP port (started with `{ tcp: true }`), for a plain socket. */
  realPort(): number
  /** Our server's TCP port. */
  oursPort(): number
}

/** `debug`: both servers accept DEBUG (--enable-debug-command yes). */
export function bothServersPerFile(
  opts: RealRedisOptions = { tcp: false },
  debug = false,
): BothServers {
  let real: RealRedis | null = null
  let ours: RespServerHandle | null = null
  beforeAll(async () => {
    real = await startRealRedis(debug ? ['--enable-debug-command', 'yes'] : [], opts)
    ours = await startRespServer({ seed: 1, enableDebugCommand: debug ? 'yes' : 'no' })
  })
  afterAll(async () => {
    await ours?.close()
    await real?.stop()
  })
  const started = <T>(x: T | null): T => {
    if (x === null) throw new Error('bothServersPerFile: the servers are not started yet')
    return x
  }
  return {
    connectReal: () => {
      const r = started(real)
      return connectRaw(r.port !== 0 ? r.port : r.socket)
    },
    connectOurs: () => connectRaw(started(ours).port),
    realPort: () => {
      const r = started(real)
      if (r.port === 0) throw new Error('bothServersPerFile: the real server has no TCP port')
      return r.port
    },
    oursPort: () => started(ours).port,
  }
}
