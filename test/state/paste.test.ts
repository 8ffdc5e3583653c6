/**
 * A pasted block in the console: its lines are entered at once (no await between them), the
 * way Console.onPaste enters them, and the bridge pipelines them to the worker. Each line must
 * still get its echo, its reply and its timeline item, in order, exactly as when the same
 * lines are run one by one; a blocking line still holds the lines after it; a line that
 * closes the connection makes the next one reconnect first; errors do not stop the block.
 */
import { describe, expect, it, vi } from 'vitest'
import { parseCommandLine } from '../../src/console/parseCommandLine.ts'
import { createServer } from '../../src/engine/index.ts'
import type { ToWorker } from '../../src/worker/protocol.ts'
import { MAX_PIPELINED } from '../../src/state/bridge.ts'
import { createHarness, printed } from './harness.ts'

type Harness = Awaited<ReturnType<typeof createHarness>>

/** Enters every line at once on the active tab, as a paste does. */
function paste(h: Harness, lines: readonly string[]): void {
  for (const text of lines) {
    const parsed = parseCommandLine(text)
    if (!parsed.ok) throw new Error(parsed.error)
    h.store.getState().lineEntered(h.tab(), text)
    h.store.getState().commandSubmitted(parsed.argv, h.tab())
  }
}

/** Enters lines as one pasted block (Console.onPaste with more than one line): Stop can end it. */
function pasteBlock(h: Harness, lines: readonly string[]): void {
  const s = h.store.getState()
  const block = s.pasteStarted(h.tab(), lines.length)
  for (const text of lines) {
    const parsed = parseCommandLine(text)
    if (!parsed.ok) throw new Error(parsed.error)
    s.lineEntered(h.tab(), text, block)
    s.commandSubmitted(parsed.argv, h.tab(), block)
  }
  s.pasteEntered(block)
}

/** Calls `then` right after the worker is sent the exec whose argv[1] is `arg`. */
function onExecSent(h: Harness, arg: string, then: () => void): void {
  const w = h.workers.at(-1)
  if (!w) throw new Error('no worker')
  const post = w.postMessage.bind(w)
  w.postMessage = (m: ToWorker) => {
    post(m)
    if (m.type === 'exec' && m.argv[1] === arg) then()
  }
}

/**
 * A harness whose worker runs long commands in slices of 1,000 keys and waits at the first
 * yield between slices until `go()`.
 */
async function gatedHarness(): Promise<{ h: Harness; go: () => void }> {
  let release: () => void = () => undefined
  const h = await createHarness({
    factory: createServer,
    slicing: { units: 1000, fixed: true },
    yieldNow: () =>
      new Promise<void>((resolve) => {
        release = resolve
      }),
  })
  return {
    h,
    go: () => {
      release()
    },
  }
}

const execs = (h: Harness): string[] =>
  h.store.getState().log.flatMap((e) => (e.t === 'exec' ? [e.argv.join(' ')] : []))

/** Runs lines one at a time, waiting for each answer (the reference). */
async function oneByOne(h: Harness, lines: readonly string[]): Promise<void> {
  for (const text of lines) {
    const parsed = parseCommandLine(text)
    if (!parsed.ok) throw new Error(parsed.error)
    await h.run(parsed.argv)
  }
}

/** What a session shows: the active tab's lines, the timeline's commands and the log. */
function shown(h: Harness) {
  const s = h.store.getState()
  return {
    console: printed(s.tabs.find((t) => t.id === s.activeTab)),
    items: s.items.flatMap((i) => (i.kind === 'command' ? [i.argv.join(' ')] : [])),
    log: s.log,
  }
}

/** Counts the exec requests the worker got before it answered the first of them. */
function countPipelined(h: Harness): () => number {
  const w = h.workers.at(-1)
  if (!w) throw new Error('no worker')
  let sent = 0
  let atFirstAnswer = -1
  const post = w.postMessage.bind(w)
  w.postMessage = (m: ToWorker) => {
    if (m.type === 'exec') sent++
    post(m)
  }
  const onmessage = w.onmessage
  w.onmessage = (ev) => {
    if (atFirstAnswer < 0 && sent > 0) atFirstAnswer = sent
    onmessage?.(ev)
  }
  return () => atFirstAnswer
}

const MIXED = [
  'SET a 1',
  'GET a',
  'LPUSH a x',
  'NOSUCHCOMMAND 1 2',
  'INCR counter',
  'MULTI',
  'INCR counter',
  'GET a',
  'EXEC',
  'SELECT 1',
  'SET a other-db',
  'GET a',
  'SELECT 0',
  'CLIENT SETNAME paster',
  'RPUSH list a b c',
  'LRANGE list 0 -1',
  'CLIENT GETNAME',
  'HSET h f v',
  'HGETALL h',
  'DEL a',
  'EXISTS a',
]

/** `SET k:0 0` … : `count` lines. */
function sets(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SET k:${String(i)} ${String(i)}`)
}

describe('a pasted block', { timeout: 30_000 }, () => {
  it('shows the same lines, items and log as the lines run one by one', async () => {
    const pasted = await createHarness({ factory: createServer })
    const reference = await createHarness({ factory: createServer })
    // QUIT in the middle: it closes the connection, the next line reconnects, and the rest
    // of the block runs on the new client.
    const lines = [
      ...MIXED,
      ...sets(50),
      'QUIT',
      'GET k:1',
      'INCR counter',
      'CLIENT ID',
      ...Array.from({ length: 50 }, (_, i) => `GET k:${String(i)}`),
      'QUIT',
    ]
    paste(pasted, lines)
    await pasted.bridge.idle()
    await oneByOne(reference, lines)
    const got = shown(pasted)
    expect(got).toEqual(shown(reference))
    // Errors did not stop the block: the last line ran too.
    expect(got.items.at(-1)).toBe('QUIT')
    expect(got.console).toContain(
      '(error) WRONGTYPE Operation against a key holding the wrong kind of value',
    )
    // Nothing after the first QUIT was lost: the lines after it ran on a new connection.
    const quit = got.console.indexOf('> QUIT')
    expect(got.console.slice(quit, quit + 9)).toEqual([
      '> QUIT',
      'OK',
      'console.quit',
      '> GET k:1',
      '"1"',
      '> INCR counter',
      '(integer) 3',
      '> CLIENT ID',
      `(integer) ${String(pasted.tab())}`,
    ])
    expect(got.console.slice(-4)).toEqual(['"49"', '> QUIT', 'OK', 'console.quit'])
    pasted.dispose()
    reference.dispose()
  })

  it('enters a batched block in a couple of store updates, with the same lines, items, log and history', async () => {
    const [batched, reference] = await Promise.all(
      [0, 1].map(() => createHarness({ factory: createServer })),
    )
    if (!batched || !reference) throw new Error('no harness')
    const lines = [...MIXED, ...sets(1000), 'DBSIZE']
    let updates = 0
    const unsubscribe = batched.store.subscribe(() => updates++)
    batched.store.getState().linesBatched(() => {
      pasteBlock(batched, lines)
    })
    // 3,000 lines made 18,000 updates in one task, each copying the state and calling every
    // subscriber. Now: the block's start, its history, its requests, the bridge taking them.
    expect(updates).toBeLessThanOrEqual(5)
    unsubscribe()
    await batched.bridge.idle()
    pasteBlock(reference, lines)
    await reference.bridge.idle()
    expect(shown(batched)).toEqual(shown(reference))
    expect(batched.store.getState().history).toEqual(reference.store.getState().history)
    expect(batched.store.getState().history.at(-1)).toBe('DBSIZE')
    expect(shown(batched).console.at(-1)).toBe('(integer) 1003')
    batched.dispose()
    reference.dispose()
  })

  it('sends the lines of a block without waiting for each answer', async () => {
    const h = await createHarness({ factory: createServer })
    const pipelined = countPipelined(h)
    paste(
      h,
      Array.from({ length: 50 }, (_, i) => `SET k:${String(i)} v`),
    )
    await h.bridge.idle()
    expect(pipelined()).toBe(50)
    expect(shown(h).items).toEqual(Array.from({ length: 50 }, (_, i) => `SET k:${String(i)} v`))
    h.dispose()
  })

  it('goes back to pipelining after a line that had to wait (CONFIG SET, DEBUG)', async () => {
    const h = await createHarness({ factory: createServer })
    // The most execs on their way at once (sent and not answered).
    const w = h.workers.at(-1)
    if (!w) throw new Error('no worker')
    let inFlight = 0
    let most = 0
    const post = w.postMessage.bind(w)
    w.postMessage = (m: ToWorker) => {
      if (m.type === 'exec') most = Math.max(most, ++inFlight)
      post(m)
    }
    const onmessage = w.onmessage
    w.onmessage = (ev) => {
      const data = ev.data as { type: string; messages?: { type: string }[] }
      const batch = data.type === 'batch' ? (data.messages ?? []) : [data]
      inFlight -= batch.filter((m) => m.type === 'executed' || m.type === 'failed').length
      onmessage?.(ev)
    }
    const sets = Array.from({ length: 100 }, (_, i) => `SET tmp:${String(i)} x PX 100`)
    pasteBlock(h, ['CONFIG SET hz 500', 'DEBUG SET-ACTIVE-EXPIRE 0', ...sets])
    await h.bridge.idle()
    // One line waited for each of the two; the rest went a window at a time.
    expect(most).toBe(MAX_PIPELINED)
    expect(execs(h)).toEqual(['CONFIG SET hz 500', 'DEBUG SET-ACTIVE-EXPIRE 0', ...sets])
    h.dispose()
  })

  it('holds the lines after a blocking one, pasted in the same block, until it is served', async () => {
    const h = await createHarness({ factory: createServer })
    const first = h.tab()
    paste(h, ['SET a 1', 'INCR n', 'BLPOP q 0', 'GET a', 'INCR n', 'PING'])
    await h.bridge.idle()
    const tab = () => h.store.getState().tabs.find((t) => t.id === first)
    expect(printed(tab())).toEqual(['> SET a 1', 'OK', '> INCR n', '(integer) 1', '> BLPOP q 0'])
    expect(h.store.getState().log.at(-1)).toMatchObject({ t: 'exec', argv: ['BLPOP', 'q', '0'] })
    expect(h.store.getState().heldLines.map((l) => l.text)).toEqual(['GET a', 'INCR n', 'PING'])
    h.store.getState().clientTabRequested()
    await h.bridge.idle()
    paste(h, ['RPUSH q job'])
    await h.bridge.idle()
    expect(printed(tab())).toEqual([
      '> SET a 1',
      'OK',
      '> INCR n',
      '(integer) 1',
      '> BLPOP q 0',
      '1) "q"\n2) "job"',
      '> GET a',
      '"1"',
      '> INCR n',
      '(integer) 2',
      '> PING',
      'PONG',
    ])
    expect(h.store.getState().heldLines).toEqual([])
    h.dispose()
  })

  it('cancels a long command in the middle of a block with Ctrl+C; the rest of the block runs', async () => {
    const { h, go } = await gatedHarness()
    paste(h, ['SET a 1', 'INCR n', 'DEBUG POPULATE 1000000', 'GET a', 'INCR n'])
    // The lines before it have landed; the ones after it wait (held, for a reload's save).
    await vi.waitFor(() => {
      expect(h.store.getState().running?.argv).toEqual(['DEBUG', 'POPULATE', '1000000'])
      expect(h.store.getState().heldLines.map((l) => l.text)).toEqual(['GET a', 'INCR n'])
    })
    expect(printed(h.store.getState().tabs[0])).toEqual([
      '> SET a 1',
      'OK',
      '> INCR n',
      '(integer) 1',
      '> DEBUG POPULATE 1000000',
    ])
    h.store.getState().cancelRequested()
    go()
    await h.bridge.idle()
    const s = h.store.getState()
    expect(s.running).toBeNull()
    expect(s.heldLines).toEqual([])
    expect(printed(s.tabs[0]).slice(-4)).toEqual(['> GET a', '"1"', '> INCR n', '(integer) 2'])
    expect(s.log.flatMap((e) => (e.t === 'exec' ? [e.argv.join(' ')] : []))).toEqual([
      'SET a 1',
      'INCR n',
      'GET a',
      'INCR n',
    ])
    h.dispose()
  })

  it('does not cancel a quick line of a block with Ctrl+C (none of it is a long command)', async () => {
    const h = await createHarness({ factory: createServer })
    const w = h.workers.at(-1)
    if (!w) throw new Error('no worker')
    // Ctrl+C as soon as the block's first line is on its way, before the worker runs it.
    const post = w.postMessage.bind(w)
    w.postMessage = (m: ToWorker) => {
      post(m)
      if (m.type === 'exec' && m.argv[1] === 'k:0') h.store.getState().cancelRequested()
    }
    const lines = Array.from({ length: 20 }, (_, i) => `SET k:${String(i)} v`)
    paste(h, lines)
    await h.bridge.idle()
    const s = h.store.getState()
    expect(printed(s.tabs[0])).not.toContain('console.cancelled')
    // Ctrl+C did not go unanswered: the notice says why nothing was cancelled.
    expect(s.notice?.key).toBe('notice.pasteNotCancelled')
    expect(s.log.flatMap((e) => (e.t === 'exec' ? [e.argv.join(' ')] : []))).toEqual(lines)
    h.dispose()
  })

  it('holds the writes pasted after CLIENT PAUSE WRITE until the pause ends', async () => {
    const h = await createHarness({ factory: createServer })
    paste(h, ['CLIENT PAUSE 500 WRITE', 'SET x 1', 'GET x', 'INCR n'])
    await h.bridge.idle()
    const s = () => h.store.getState()
    expect(s().tabs[0]?.waiting?.argv).toEqual(['SET', 'x', '1'])
    expect(s().heldLines.map((l) => l.text)).toEqual(['GET x', 'INCR n'])
    s().clockJumpRequested(600)
    await h.bridge.idle()
    expect(printed(s().tabs[0]).slice(-6)).toEqual([
      'OK',
      '(0.60s)',
      '> GET x',
      '"1"',
      '> INCR n',
      '(integer) 1',
    ])
    h.dispose()
  })

  it('stops a long pasted block: the lines not yet sent are not run, and the console says how many', async () => {
    const h = await createHarness({ factory: createServer })
    const lines = Array.from({ length: 500 }, (_, i) => `SET k:${String(i)} v`)
    onExecSent(h, 'k:100', () => {
      h.store.getState().pasteStopRequested(h.tab())
    })
    pasteBlock(h, lines)
    expect(h.store.getState().pastes).toHaveLength(1)
    await h.bridge.idle()
    const s = h.store.getState()
    // Lines 0..100 had been sent (their echo shown): they ran and answered; none after.
    expect(execs(h)).toEqual(lines.slice(0, 101))
    expect(printed(s.tabs[0]).slice(-3)).toEqual(['> SET k:100 v', 'OK', 'console.pasteSkipped'])
    const notice = s.tabs[0]?.lines.at(-1)
    expect(notice).toEqual({ kind: 'notice', key: 'console.pasteSkipped', params: { count: 399 } })
    expect(s.pastes).toEqual([])
    expect(s.heldLines).toEqual([])
    // The session goes on: the next line runs as usual.
    await h.run(['DBSIZE'])
    expect(printed(h.store.getState().tabs[0]).slice(-2)).toEqual(['> DBSIZE', '(integer) 101'])
    h.dispose()
  })

  it('sends a long block a window at a time, not all of it at once', async () => {
    const h = await createHarness({ factory: createServer })
    const pipelined = countPipelined(h)
    const lines = Array.from({ length: 300 }, (_, i) => `SET k:${String(i)} v`)
    pasteBlock(h, lines)
    await h.bridge.idle()
    expect(pipelined()).toBe(MAX_PIPELINED)
    expect(execs(h)).toEqual(lines)
    // Nothing was stopped: no notice, and the block is over.
    expect(printed(h.store.getState().tabs[0])).not.toContain('console.pasteSkipped')
    expect(h.store.getState().pastes).toEqual([])
    h.dispose()
  })

  it('stops a block waiting in a blocking line of it: the wait ends and the lines after it are not run', async () => {
    const h = await createHarness({ factory: createServer })
    pasteBlock(h, ['SET a 1', 'BLPOP q 0', 'GET a', 'INCR n', 'PING'])
    await h.bridge.idle()
    expect(h.store.getState().tabs[0]?.waiting?.argv).toEqual(['BLPOP', 'q', '0'])
    h.store.getState().pasteStopRequested(h.tab())
    await h.bridge.idle()
    const s = h.store.getState()
    expect(s.tabs[0]?.waiting).toBeUndefined()
    expect(printed(s.tabs[0]).slice(-2)).toEqual(['(nil)', 'console.pasteSkipped'])
    expect(s.tabs[0]?.lines.at(-1)).toMatchObject({ params: { count: 3 } })
    expect(execs(h)).toEqual(['SET a 1', 'BLPOP q 0', 'CLIENT UNBLOCK ' + String(h.tab())])
    expect(s.pastes).toEqual([])
    expect(s.heldLines).toEqual([])
    h.dispose()
  })

  it('stops a block running a long command of it: the command is cancelled, the rest not run', async () => {
    const { h, go } = await gatedHarness()
    pasteBlock(h, ['SET a 1', 'DEBUG POPULATE 1000000', 'GET a', 'INCR n'])
    await vi.waitFor(() => {
      expect(h.store.getState().running?.argv).toEqual(['DEBUG', 'POPULATE', '1000000'])
    })
    h.store.getState().pasteStopRequested(h.tab())
    go()
    await h.bridge.idle()
    const s = h.store.getState()
    expect(s.running).toBeNull()
    expect(printed(s.tabs[0]).slice(-3)).toEqual([
      '> DEBUG POPULATE 1000000',
      'console.cancelled',
      'console.pasteSkipped',
    ])
    expect(s.tabs[0]?.lines.at(-1)).toMatchObject({ params: { count: 2 } })
    expect(execs(h)).toEqual(['SET a 1'])
    expect(s.heldLines).toEqual([])
    h.dispose()
  })
})
