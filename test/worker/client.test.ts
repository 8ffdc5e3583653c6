import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createEngineClient, isCancelled, type ClientNotice } from '../../src/worker/client.ts'
import type { SessionSeed } from '../../src/worker/protocol.ts'
import { createFakeServer } from './fakeServer.ts'
import { createInProcessWorker, type InProcessWorker } from './inProcessWorker.ts'

const session: SessionSeed = { seed: 42, config: {}, startMs: 1_704_067_200_000 }

function setup(watchdogMs = 30_000, real = false) {
  const workers: InProcessWorker[] = []
  const notices: ClientNotice[] = []
  const client = createEngineClient({
    spawn: () => {
      const w = real
        ? createInProcessWorker(createServer, { units: 1000, fixed: true })
        : createInProcessWorker(createFakeServer)
      workers.push(w)
      return w
    },
    session,
    trace: 'full',
    watchdogMs,
    cancelGraceMs: 50,
    onNotice: (n) => notices.push(n),
  })
  return { client, workers, notices }
}

describe('EngineClient', () => {
  it('answers each request by id and logs state-changing ops', async () => {
    const { client } = setup()
    await client.start()
    const c = await client.createClient()
    const [a, b] = await Promise.all([
      client.exec(['SET', 'k', 'v'], c),
      client.exec(['GET', 'k'], c),
    ])
    expect(a.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(b.reply).toEqual({ type: 'bulk', value: 'v' })
    expect(a.events.map((e) => e.type)).toEqual(['dict/keyAdded'])
    await client.advanceClock(100)
    await client.advanceClock(100)
    expect(client.log()).toEqual([
      { t: 'client' },
      { t: 'exec', client: c, argv: ['SET', 'k', 'v'], at: session.startMs },
      { t: 'exec', client: c, argv: ['GET', 'k'], at: session.startMs },
      { t: 'tick', ms: 100, n: 2 },
    ])
    client.dispose()
  })

  it("leaves a long command's argv out of its answer and gives the caller the argv it sent", async () => {
    const { client, workers } = setup(30_000, true)
    await client.start()
    const c = await client.createClient()
    const w = workers[0]
    if (!w) throw new Error('no worker')
    // What the worker sends back, as the page's main thread would receive it.
    const wire: unknown[] = []
    const deliver = w.onmessage
    w.onmessage = (ev) => {
      wire.push(ev.data)
      deliver?.(ev)
    }
    const argv = ['SADD', 's', ...Array.from({ length: 5000 }, (_, i) => `m${String(i)}`)]
    const trace = await client.exec(argv, c)
    expect(trace.reply).toEqual({ type: 'integer', value: 5000 })
    expect(trace.argv).toEqual(argv)
    expect(client.log().at(-1)).toMatchObject({ t: 'exec', argv })
    // The 5,002 arguments crossed once, to the worker: its answer carries none of them (the
    // structured clone of a 100,000-member SADD's argv took 20-60 ms of the page's thread).
    const executed = JSON.stringify(wire)
    expect(executed).toContain('"sameArgv":true')
    expect(executed).not.toContain('"m4999"')
    // A short command's answer still carries its own argv.
    const short = await client.exec(['SADD', 's', 'x'], c)
    expect(short.argv).toEqual(['SADD', 's', 'x'])
    expect(JSON.stringify(wire.at(-1))).toContain('"argv":["SADD","s","x"]')
  })

  it('restarts a crashed worker, replays the log and keeps the data', async () => {
    const { client, workers, notices } = setup()
    await client.start()
    const c = await client.createClient()
    await client.exec(['SET', 'a', '1'], c)
    const before = await client.digest()
    await expect(client.crash()).rejects.toThrow(/crashed/)
    expect(workers).toHaveLength(2)
    expect(workers[0]?.terminated).toBe(true)
    expect(notices).toEqual([{ kind: 'restarted', reason: 'crash', ops: 2 }])
    expect(await client.digest()).toBe(before)
    expect((await client.exec(['GET', 'a'], c)).reply).toEqual({ type: 'bulk', value: '1' })
    client.dispose()
  })

  it('treats silence past the watchdog window as a runaway command and drops it', async () => {
    // Long enough that a CPU-starved test process answers start and SET in time; the hang
    // below never answers, so the window only decides how long the test waits.
    const { client, workers, notices } = setup(500)
    await client.start()
    const c = await client.createClient()
    await client.exec(['SET', 'a', '1'], c)
    const w0 = workers[0]
    if (!w0) throw new Error('no worker')
    w0.hangOn = 'exec'
    await expect(client.exec(['DEBUG', 'POPULATE', '5'], c)).rejects.toThrow(/no answer/)
    expect(notices[0]?.reason).toBe('timeout')
    expect((await client.exec(['DBSIZE'], c)).reply).toEqual({ type: 'integer', value: 1 })
    client.dispose()
  })

  it('restarts a worker that does not answer a cancel, without the command', async () => {
    const { client, workers } = setup()
    await client.start()
    const c = await client.createClient()
    const w0 = workers[0]
    if (!w0) throw new Error('no worker')
    w0.hangOn = 'exec'
    const p = client.exec(['DEBUG', 'POPULATE', '1000'], c)
    expect(client.cancel()).toBe(true)
    await expect(p).rejects.toSatisfy(isCancelled)
    expect(workers).toHaveLength(2)
    expect((await client.exec(['DBSIZE'], c)).reply).toEqual({ type: 'integer', value: 0 })
    client.dispose()
  })

  it('reports progress of a long command and cancels it between slices', async () => {
    const { client, workers, notices } = setup(30_000, true)
    await client.start()
    const c = await client.createClient()
    await client.exec(['SET', 'a', '1'], c)
    const before = await client.digest()
    const log = client.log()
    const seen: [number, number][] = []
    const p = client.exec(['DEBUG', 'POPULATE', '20000'], c, (done, total) => {
      seen.push([done, total])
      if (seen.length === 1) expect(client.cancel()).toBe(true)
    })
    await expect(p).rejects.toSatisfy(isCancelled)
    expect(seen[0]).toEqual([1000, 20000])
    expect(workers).toHaveLength(1)
    expect(notices).toEqual([])
    expect(client.log()).toEqual(log)
    expect(await client.digest()).toBe(before)
    expect((await client.exec(['DBSIZE'], c)).reply).toEqual({ type: 'integer', value: 1 })
    client.dispose()
  })

  it('does not take a long command that keeps reporting progress for a runaway', async () => {
    const notices: ClientNotice[] = []
    const client = createEngineClient({
      // Slices 300 ms apart: the whole command outlasts the 1 s watchdog, no silence does.
      spawn: () =>
        createInProcessWorker(
          createServer,
          { units: 1000, fixed: true },
          () => new Promise((r) => setTimeout(r, 300)),
        ),
      session,
      trace: 'full',
      watchdogMs: 1000,
      onNotice: (n) => notices.push(n),
    })
    await client.start()
    const c = await client.createClient()
    const t = await client.exec(['DEBUG', 'POPULATE', '5000'], c)
    expect(t.reply).toEqual({ type: 'simple', value: 'OK' })
    expect(notices).toEqual([])
    client.dispose()
  })

  it('queues commands sent during a long one behind it, in order', async () => {
    const { client } = setup(30_000, true)
    await client.start()
    const c = await client.createClient()
    let progress = 0
    const results = await Promise.all([
      client.exec(['DEBUG', 'POPULATE', '5000'], c, () => progress++),
      client.exec(['DBSIZE'], c),
      client.exec(['SET', 'key:1', 'x'], c),
      client.exec(['GET', 'key:1'], c),
    ])
    expect(progress).toBeGreaterThan(0)
    expect(results.map((t) => t.reply)).toEqual([
      { type: 'simple', value: 'OK' },
      { type: 'integer', value: 5000 },
      { type: 'simple', value: 'OK' },
      { type: 'bulk', value: 'x' },
    ])
    expect(results.map((t) => t.position)).toEqual([2, 3, 4, 5])
    client.dispose()
  })

  it('turns an engine exception into an error reply that replays identically', async () => {
    const { client } = setup()
    await client.start()
    const t = await client.exec(['DEBUG', 'THROW'], 0)
    expect(t.reply).toEqual({ type: 'error', value: 'ERR internal engine error: boom' })
    expect(client.log()).toHaveLength(1)
    client.dispose()
  })

  it('replays a log with traces and progress', async () => {
    const { client } = setup()
    await client.start()
    const r = await client.replay(
      session,
      [{ t: 'client' }, { t: 'exec', client: 1, argv: ['SET', 'x', '1'], at: session.startMs }],
      true,
    )
    expect(r.position).toBe(2)
    expect(r.traces).toHaveLength(1)
    expect(await client.inspect('x', 0)).toEqual({ kind: 'string', encoding: 'raw', value: '1' })
    client.dispose()
  })

  it('reads the command table with redis-cli style syntax hints', async () => {
    const { client } = setup()
    await client.start()
    const cmds = await client.commands()
    const set = cmds.find((c) => c.name === 'SET')
    expect(set?.params).toBe('key value [NX|XX]')
    expect(set?.arity).toBe(-3)
    expect(cmds.find((c) => c.name === 'DEL')?.params).toBe('key [key ...]')
    client.dispose()
  })
})
