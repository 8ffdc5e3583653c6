import { describe, expect, it, vi } from 'vitest'
import {
  attachPersistence,
  defaultKv,
  exportSessionJson,
  importSessionJson,
  loadHistory,
  loadSession,
  loadSettings,
  saveSession,
  savedHistory,
  savedSessionOf,
  reloadSessionOf,
  storageKv,
  MAX_SAVED_HISTORY_CHARS,
  MAX_SAVED_HISTORY_TOTAL,
  type Kv,
} from '../../src/state/persistence.ts'
import { utf8ToBytes } from '../../src/state/bytes.ts'
import { decodePermalink, encodePermalink } from '../../src/state/permalink.ts'
import { permalinkUrl } from '../../src/app/Header.tsx'
import { createServer } from '../../src/engine/index.ts'
import { translate } from '../../src/i18n/index.ts'
import { createHarness } from './harness.ts'

/** A backend whose writes never finish, like IndexedDB during unload. */
const never: Kv = {
  get: () => Promise.resolve(null),
  set: () => new Promise<void>(() => undefined),
  remove: () => Promise.resolve(),
}

/**
 * A page whose worker stops between a long command's slices for good (the test never lets
 * it go on), saving to `never`, after SET k v. `enter` types a line in the tab; `reload`
 * waits for the long command to run, then hides the page and returns what it saved.
 */
async function stalledPage() {
  localStorage.clear()
  const a = await createHarness({
    factory: createServer,
    slicing: { units: 1000, fixed: true },
    yieldNow: () => new Promise<void>(() => undefined),
  })
  const target = new EventTarget()
  const detach = attachPersistence(a.store, never, 60_000, target as unknown as Window)
  await a.run(['SET', 'k', 'v'])
  const tab = a.tab()
  const enter = (text: string): number => {
    a.store.getState().lineEntered(tab, text)
    a.store.getState().commandSubmitted(text.split(' '), tab)
    return tab
  }
  const reload = async () => {
    await vi.waitFor(() => {
      expect(a.store.getState().running).not.toBeNull()
    })
    target.dispatchEvent(new Event('pagehide'))
    detach()
    a.dispose()
    return loadSession(never)
  }
  return { store: a.store, enter, reload }
}

/**
 * A page whose worker answers only the first `answers` commands, saved on pagehide as the app
 * saves it; `reload()` fires pagehide, closes the page and loads what it saved.
 */
async function answeringOnly(answers: number) {
  localStorage.clear()
  const a = await createHarness({ factory: createServer })
  const target = new EventTarget()
  const detach = attachPersistence(a.store, never, 60_000, target as unknown as Window, () => {
    a.bridge.flushHeldLines()
  })
  const w = a.workers.at(-1)
  if (!w) throw new Error('no worker')
  const post = w.postMessage.bind(w)
  let answered = 0
  w.postMessage = (m) => {
    if (m.type === 'exec' && answered++ >= answers) return
    post(m)
  }
  const reload = async () => {
    target.dispatchEvent(new Event('pagehide'))
    detach()
    a.dispose()
    return loadSession(never)
  }
  return { a, tab: a.tab(), reload }
}
describe('session persistence (localStorage backend)', () => {
  it('saves the log and restores the same scene in a new app instance', async () => {
    localStorage.clear()
    const kv = storageKv(localStorage)
    const a = await createHarness()
    const detach = attachPersistence(a.store, kv, 0)
    await a.run(['SET', 'k', utf8ToBytes('中文')], ['INCR', 'n'], ['INCR', 'n'])
    a.store.getState().clientTabRequested()
    await a.bridge.idle()
    await a.run(['GET', 'k'])
    await new Promise((r) => setTimeout(r, 5))
    const digest = await a.bridge.digest()
    detach()
    a.dispose()

    const saved = await loadSession(kv)
    expect(saved?.tabs.map((t) => t.id)).toEqual([1, 2])
    const b = await createHarness({ saved })
    const s = b.store.getState()
    expect(await b.bridge.digest()).toBe(digest)
    expect(s.items.map((i) => i.argv[0])).toEqual(['SET', 'INCR', 'INCR', 'GET'])
    expect(s.activeTab).toBe(2)
    expect(
      s.tabs[0]?.lines.filter((l) => l.kind === 'input').map((l) => l.kind === 'input' && l.text),
    ).toEqual(['SET k 中文', 'INCR n', 'INCR n'])
    expect(s.tabs[1]?.lines.at(-1)).toEqual({
      kind: 'reply',
      reply: { type: 'bulk', value: '\xe4\xb8\xad\xe6\x96\x87' },
    })
    b.dispose()
  })

  it('keeps the pinned panels across a reload, but not in a permalink or a file', async () => {
    localStorage.clear()
    const kv = storageKv(localStorage)
    const a = await createHarness({ factory: createServer })
    const detach = attachPersistence(a.store, kv, 0)
    await a.run(['SADD', 'nums', '1', '2'], ['SET', 'k', 'v'])
    // Pinning alone (no new command) is saved.
    a.store.getState().panelPinned('nums')
    await vi.waitFor(async () => {
      expect((await loadSession(kv))?.pinned).toEqual(['nums'])
    })
    // A permalink and an exported file are savedSessionOf: a scene, not the reader's layout.
    expect(savedSessionOf(a.store.getState())).not.toHaveProperty('pinned')
    detach()
    a.dispose()
    const b = await createHarness({ factory: createServer, saved: await loadSession(kv) })
    expect(b.store.getState().pinned).toEqual(['nums'])
    await b.bridge.idle()
    expect(b.store.getState().view?.pinned.map((p) => p.key)).toEqual(['nums'])
    expect(b.store.getState().view?.pinned[0]?.view).not.toBeNull()
    b.dispose()
  })

  it('restores an INFO reply as raw output, as it was printed before the reload', async () => {
    localStorage.clear()
    const kv = storageKv(localStorage)
    const a = await createHarness()
    const detach = attachPersistence(a.store, kv, 0)
    await a.run(['INFO', 'keyspace'], ['DBSIZE'])
    await new Promise((r) => setTimeout(r, 5))
    const before = a.store.getState().tabs[0]?.lines.filter((l) => l.kind === 'reply')
    expect(before?.map((l) => l.kind === 'reply' && l.raw === true)).toEqual([true, false])
    detach()
    a.dispose()
    const b = await createHarness({ saved: await loadSession(kv) })
    const after = b.store.getState().tabs[0]?.lines.filter((l) => l.kind === 'reply')
    expect(after).toEqual(before)
    b.dispose()
  })

  it("prints DEBUG SLEEP 1 with redis-cli's (1.00s) line, live and after a reload", async () => {
    localStorage.clear()
    const kv = storageKv(localStorage)
    const a = await createHarness({ factory: createServer })
    const detach = attachPersistence(a.store, kv, 0)
    await a.run(['DEBUG', 'SLEEP', '1'], ['PING'])
    await new Promise((r) => setTimeout(r, 5))
    const took = (h: typeof a) =>
      h.store.getState().tabs[0]?.lines.filter((l) => l.kind === 'text' && /^\(/.test(l.text))
    expect(took(a)).toEqual([{ kind: 'text', text: '(1.00s)' }])
    detach()
    a.dispose()
    const b = await createHarness({ factory: createServer, saved: await loadSession(kv) })
    expect(took(b)).toEqual([{ kind: 'text', text: '(1.00s)' }])
    b.dispose()
  })

  it('stashes a pending save synchronously when the page is hidden, so a quick reload keeps it', async () => {
    localStorage.clear()
    const a = await createHarness()
    const target = new EventTarget()
    const detach = attachPersistence(a.store, never, 60_000, target as unknown as Window)
    await a.run(['SET', 'k', 'v'], ['INCR', 'n'])
    expect(await loadSession(never)).toBeNull()
    target.dispatchEvent(new Event('pagehide'))
    const saved = await loadSession(never)
    expect(
      saved?.log.filter((e) => e.t === 'exec').map((e) => e.t === 'exec' && e.argv[0]),
    ).toEqual(['SET', 'INCR'])
    // A completed save supersedes the stash.
    await saveSession(storageKv(localStorage), savedSessionOf(a.store.getState()))
    expect(localStorage.getItem('redis-xray:session-stash')).toBeNull()
    detach()
    a.dispose()
  })

  it('shows a long command a reload interrupted and the lines held behind it, noted as not run', async () => {
    const { store, enter, reload } = await stalledPage()
    const tab = enter('DEBUG POPULATE 1000000')
    // A pasted block: these wait their turn behind the running command.
    enter('SET after 1')
    enter('INCR n')
    await vi.waitFor(() => {
      expect(store.getState().heldLines).toHaveLength(2)
    })
    const saved = await reload()
    expect(saved?.interrupted).toEqual({ client: tab, argv: ['DEBUG', 'POPULATE', '1000000'] })
    expect(saved?.held).toEqual([
      { client: tab, text: 'SET after 1' },
      { client: tab, text: 'INCR n' },
    ])
    // Not in the log: they never ran, and a reload does not run them.
    expect(saved?.log.filter((e) => e.t === 'exec')).toHaveLength(1)

    const b = await createHarness({ factory: createServer, saved })
    const lines = b.store.getState().tabs.find((t) => t.id === tab)?.lines ?? []
    expect(lines.slice(-5)).toEqual([
      { kind: 'input', text: 'DEBUG POPULATE 1000000', db: 0 },
      { kind: 'notice', key: 'console.interruptedByReload' },
      { kind: 'input', text: 'SET after 1', db: 0 },
      { kind: 'input', text: 'INCR n', db: 0 },
      { kind: 'notice', key: 'console.heldByReload' },
    ])
    expect(translate('en', 'console.interruptedByReload')).toBe(
      '(interrupted by the page reload: the command was not run)',
    )
    expect(translate('zh', 'console.interruptedByReload')).toBe(
      '(页面重新加载中断了该命令：它没有执行)',
    )
    expect(translate('en', 'console.heldByReload')).toBe(
      '(these lines were still waiting their turn when the page reloaded: they were not run)',
    )
    expect(translate('zh', 'console.heldByReload')).toBe(
      '(页面重新加载时这些行还在排队等待：它们没有执行)',
    )
    expect(b.store.getState().log.filter((e) => e.t === 'exec')).toHaveLength(1)
    expect(b.store.getState().heldLines).toEqual([])
    await b.run(['DBSIZE'])
    expect(
      b.store
        .getState()
        .tabs.find((t) => t.id === tab)
        ?.lines.at(-1),
    ).toEqual({
      kind: 'reply',
      reply: { type: 'integer', value: 1 },
    })
    // A permalink or an exported file carries neither.
    expect(savedSessionOf(b.store.getState())).not.toHaveProperty('interrupted')
    expect(savedSessionOf(b.store.getState())).not.toHaveProperty('held')
    b.dispose()
  })

  it('keeps the lines held behind a blocking BLPOP across a reload, not run', async () => {
    localStorage.clear()
    const kv = storageKv(localStorage)
    const a = await createHarness({ factory: createServer })
    const detach = attachPersistence(a.store, kv, 0)
    const tab = a.tab()
    await a.run(['BLPOP', 'q', '0'], ['SET', 'after', '1'], ['GET', 'after'])
    expect(a.store.getState().tabs.find((t) => t.id === tab)?.waiting).toBeDefined()
    expect(a.store.getState().heldLines).toEqual([
      { client: tab, text: 'SET after 1' },
      { client: tab, text: 'GET after' },
    ])
    await new Promise((r) => setTimeout(r, 5))
    detach()
    a.dispose()
    const saved = await loadSession(kv)
    expect(saved?.held).toHaveLength(2)

    const b = await createHarness({ factory: createServer, saved })
    const lines = b.store.getState().tabs.find((t) => t.id === tab)?.lines ?? []
    expect(lines.slice(-3)).toEqual([
      { kind: 'input', text: 'SET after 1', db: 0 },
      { kind: 'input', text: 'GET after', db: 0 },
      { kind: 'notice', key: 'console.heldByReload' },
    ])
    expect(b.store.getState().log.some((e) => e.t === 'exec' && e.argv[0] === 'SET')).toBe(false)
    b.dispose()
  })

  it('keeps the rest of a pasted block across a reload in its middle, and offers to run it', async () => {
    // The worker answers the first 100 lines, then the page reloads: SET k:100 v and those
    // after it were shown or waiting, never logged.
    const { a, tab, reload } = await answeringOnly(100)
    const lines = Array.from({ length: 300 }, (_, i) => `SET k:${String(i)} v`)
    const s = a.store.getState()
    const block = s.pasteStarted(tab, lines.length)
    for (const text of lines) {
      s.lineEntered(tab, text, block)
      s.commandSubmitted(text.split(' '), tab, block)
    }
    s.pasteEntered(block)
    await vi.waitFor(() => {
      expect(a.store.getState().log.filter((e) => e.t === 'exec')).toHaveLength(100)
      expect(a.store.getState().heldLines).toHaveLength(200)
    })
    const saved = await reload()
    expect(saved?.held?.map((l) => l.text)).toEqual(lines.slice(100))

    const b = await createHarness({ factory: createServer, saved })
    expect(b.store.getState().resumable).toEqual(
      lines.slice(100).map((text) => ({ client: tab, text })),
    )
    const tabLines = b.store.getState().tabs.find((t) => t.id === tab)?.lines
    expect(tabLines?.at(-1)).toEqual({ kind: 'notice', key: 'console.heldByReload' })
    // Still offered after another reload, until run or let go.
    expect(reloadSessionOf(b.store.getState()).held).toHaveLength(200)
    b.store.getState().resumableTaken(tab)
    expect(b.store.getState().resumable).toEqual([])
    expect(reloadSessionOf(b.store.getState())).not.toHaveProperty('held')
    expect(translate('en', 'console.resumeOffer', { count: '200' })).toBe(
      '200 lines had not run when the page reloaded.',
    )
    expect(translate('zh', 'console.resumeOffer', { count: '200' })).toBe(
      '页面重新加载时有 200 行还没有执行。',
    )
    b.dispose()
  })

  it("keeps a scene's clock ticks in their places among the lines a reload left unrun", async () => {
    const { a, tab, reload } = await answeringOnly(1)
    // A scene: a line, a tick, two lines, a tick, a line; the page reloads while the second
    // line waits for its answer (the first tick is done by then).
    const script = ['SET k v PX 500', 1000, 'EXISTS k', 'SET k v PX 500', 250, 'PTTL k'] as const
    const s = a.store.getState()
    const scene = { focus: { kind: 'key' as const, key: 'k' }, first: 0, commands: 4 }
    const block = s.pasteStarted(tab, 4, 'scene', scene)
    for (const line of script)
      if (typeof line === 'number') s.clockJumpRequested(line, block)
      else {
        s.lineEntered(tab, line, block)
        s.commandSubmitted(line.split(' '), tab, block)
      }
    s.pasteEntered(block)
    await vi.waitFor(() => {
      expect(a.store.getState().log.filter((e) => e.t === 'exec')).toHaveLength(1)
      expect(a.store.getState().log.filter((e) => e.t === 'tick')).toHaveLength(1)
      expect(a.store.getState().heldLines).toHaveLength(4)
    })
    const saved = await reload()
    const rest = [
      { client: tab, text: 'EXISTS k' },
      { client: tab, text: 'SET k v PX 500' },
      { client: tab, text: '', tick: 250 },
      { client: tab, text: 'PTTL k' },
    ]
    expect(saved?.held).toEqual(rest)
    // What the scene is about and where it began go with them (its panel leads again and it
    // plays from its first command once they have run).
    expect(saved?.scene).toEqual(scene)
    const b = await createHarness({ factory: createServer, saved })
    expect(b.store.getState().resumable).toEqual(rest)
    expect(b.store.getState().resumableScene).toEqual(scene)
    expect(reloadSessionOf(b.store.getState()).scene).toEqual(scene)
    b.store.getState().resumableTaken(tab)
    expect(b.store.getState().resumableScene).toBeNull()
    // The console shows the lines not run, not the ticks (which have no line).
    const tabLines = b.store.getState().tabs.find((t) => t.id === tab)?.lines ?? []
    expect(tabLines.filter((l) => l.kind === 'input').map((l) => l.text)).toEqual([
      'SET k v PX 500',
      'EXISTS k',
      'SET k v PX 500',
      'PTTL k',
    ])
    b.dispose()
  })

  it('lets held lines go once a long command is cancelled: they run, and are held no more', async () => {
    let go: () => void = () => undefined
    const a = await createHarness({
      factory: createServer,
      slicing: { units: 1000, fixed: true },
      yieldNow: () =>
        new Promise<void>((resolve) => {
          go = resolve
        }),
    })
    const tab = a.tab()
    a.store.getState().lineEntered(tab, 'DEBUG POPULATE 1000000')
    a.store.getState().commandSubmitted(['DEBUG', 'POPULATE', '1000000'], tab)
    a.store.getState().lineEntered(tab, 'DBSIZE')
    a.store.getState().commandSubmitted(['DBSIZE'], tab)
    await vi.waitFor(() => {
      expect(a.store.getState().heldLines).toEqual([{ client: tab, text: 'DBSIZE' }])
    })
    a.store.getState().cancelRequested()
    go()
    await a.bridge.idle()
    expect(a.store.getState().running).toBeNull()
    expect(a.store.getState().heldLines).toEqual([])
    expect(
      a.store
        .getState()
        .tabs.find((t) => t.id === tab)
        ?.lines.at(-1),
    ).toEqual({ kind: 'reply', reply: { type: 'integer', value: 0 } })
    a.dispose()
  })

  it('lets held lines go once the blocking command returns', async () => {
    const a = await createHarness({ factory: createServer })
    const tab = a.tab()
    await a.run(['BLPOP', 'q', '0'], ['GET', 'after'])
    expect(a.store.getState().heldLines).toHaveLength(1)
    a.store.getState().unblockRequested(tab)
    await a.bridge.idle()
    expect(a.store.getState().heldLines).toEqual([])
    expect(reloadSessionOf(a.store.getState())).not.toHaveProperty('held')
    a.dispose()
  })

  it('stashes the session at pagehide while a save is still being written', async () => {
    localStorage.clear()
    // Writes finish only when the test says so, like IndexedDB under load.
    const done: (() => void)[] = []
    const slow: Kv = {
      get: () => Promise.resolve(null),
      set: () => new Promise<void>((resolve) => done.push(resolve)),
      remove: () => Promise.resolve(),
    }
    const a = await createHarness()
    const target = new EventTarget()
    const detach = attachPersistence(a.store, slow, 0, target as unknown as Window)
    await a.run(['SET', 'k', 'v'], ['INCR', 'n'])
    await new Promise((r) => setTimeout(r, 20))
    expect(done.length).toBeGreaterThan(0)
    // The debounced save has started and not finished: the page goes away now.
    target.dispatchEvent(new Event('pagehide'))
    const execs = (s: Awaited<ReturnType<typeof loadSession>>) =>
      s?.log.filter((e) => e.t === 'exec').map((e) => e.t === 'exec' && e.argv[0])
    expect(execs(await loadSession(slow))).toEqual(['SET', 'INCR'])
    // The older write finishing does not drop the newer stash; the newest one does.
    const first = done.shift()
    first?.()
    await new Promise((r) => setTimeout(r, 0))
    expect(localStorage.getItem('redis-xray:session-stash')).not.toBeNull()
    for (const finish of done) finish()
    await new Promise((r) => setTimeout(r, 0))
    expect(localStorage.getItem('redis-xray:session-stash')).toBeNull()
    detach()
    a.dispose()
  })

  it('stashes a session too big for localStorage packed, so a quick reload keeps its commands', async () => {
    localStorage.clear()
    const a = await createHarness({ factory: createServer })
    const target = new EventTarget()
    const detach = attachPersistence(a.store, never, 60_000, target as unknown as Window)
    // A pasted 6 MB argument: the session's JSON is past localStorage's 5 M characters, the
    // stash failed silently and the IndexedDB save never finished (unload).
    const big = 'x'.repeat(6_000_000)
    await a.run(['SET', 'big', big], ['SET', 'after', '2'])
    target.dispatchEvent(new Event('pagehide'))
    detach()
    a.dispose()
    expect(localStorage.getItem('redis-xray:session-stash')?.length).toBeLessThan(1_000_000)
    const argvs = (await loadSession(never))?.log.flatMap((e) => (e.t === 'exec' ? [e.argv] : []))
    expect(argvs?.map((argv) => argv.slice(0, 2))).toEqual([
      ['SET', 'big'],
      ['SET', 'after'],
    ])
    expect(argvs?.[0]?.[2]).toBe(big)
  })

  it('persists settings', async () => {
    localStorage.clear()
    const a = await createHarness()
    const detach = attachPersistence(a.store, storageKv(localStorage), 0)
    a.store.getState().languageChanged('zh')
    a.store.getState().themeChanged('dark')
    a.store.getState().clockPaused()
    a.store.getState().clockSpeedChanged(10)
    a.store.getState().projectorToggled()
    expect(loadSettings()).toMatchObject({
      language: 'zh',
      theme: 'dark',
      projector: true,
      clockRunning: false,
      clockSpeed: 10,
    })
    detach()
    a.dispose()
  })

  it('works where reading localStorage throws (an embed in a third-party iframe with storage blocked)', async () => {
    const denied = () => {
      throw new DOMException('Access is denied for this document.', 'SecurityError')
    }
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(denied)
    vi.stubGlobal('indexedDB', undefined)
    try {
      expect(() => localStorage.length).toThrow('Access is denied')
      // Boot reads settings and history and picks a store: none of it may throw.
      expect(loadSettings()).toEqual({})
      const kv = defaultKv()
      await kv.set('k', 'v')
      expect(await kv.get('k')).toBe('v')
    } finally {
      vi.restoreAllMocks()
      vi.unstubAllGlobals()
    }
  })

  it('keeps saving the history after a huge pasted line, which stays out of storage', async () => {
    localStorage.clear()
    const a = await createHarness()
    const detach = attachPersistence(a.store, storageKv(localStorage), 0)
    const huge = `SET big ${'x'.repeat(MAX_SAVED_HISTORY_CHARS)}`
    const tab = a.tab()
    for (const line of ['SET a 1', huge, 'GET a']) a.store.getState().lineEntered(tab, line)
    await a.bridge.idle()
    expect(a.store.getState().history).toEqual(['SET a 1', huge, 'GET a'])
    await vi.waitFor(() => {
      expect(loadHistory()).toEqual(['SET a 1', 'GET a'])
    })
    detach()
    a.dispose()
  })

  it('writes the history once for a burst of lines, at once when the page is hidden', async () => {
    localStorage.clear()
    const a = await createHarness()
    const target = new EventTarget()
    const detach = attachPersistence(a.store, never, 60_000, target as unknown as Window)
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    try {
      const tab = a.tab()
      // A pasted block: each line entered wrote the whole history (quadratic, seconds of
      // main thread for a few hundred long lines).
      for (let i = 0; i < 200; i++) a.store.getState().lineEntered(tab, `RPUSH L ${String(i)}`)
      const historyWrites = () =>
        setItem.mock.calls.filter(([key]) => key === 'redis-xray:history').length
      expect(historyWrites()).toBe(0)
      target.dispatchEvent(new Event('pagehide'))
      expect(historyWrites()).toBe(1)
      expect(loadHistory()).toHaveLength(200)
      expect(loadHistory().at(-1)).toBe('RPUSH L 199')
    } finally {
      setItem.mockRestore()
      detach()
      a.dispose()
    }
  })

  it('saves the newest history lines that fit its budget, leaving localStorage room', () => {
    const line = (i: number) => `SET k${String(i)} ${'v'.repeat(9_000)}`
    const history = Array.from({ length: 100 }, (_, i) => line(i))
    const kept = savedHistory(history)
    expect(kept.join('').length).toBeLessThanOrEqual(MAX_SAVED_HISTORY_TOTAL)
    expect(kept.length).toBeGreaterThan(10)
    expect(kept).toEqual(history.slice(-kept.length))
  })

  it('exports and imports a session file, rejecting garbage', async () => {
    const a = await createHarness()
    await a.run(['SET', 'x', '1'])
    const saved = savedSessionOf(a.store.getState())
    expect(importSessionJson(exportSessionJson(saved))).toEqual(saved)
    expect(() => importSessionJson('{"v":2}')).toThrow('not a Redis X-Ray session')
    expect(() => importSessionJson('nope')).toThrow('not a JSON file')
    a.dispose()
  })
})

describe('permalink', () => {
  it('round-trips seed, config and log through the URL fragment', async () => {
    const a = await createHarness()
    await a.run(['SET', 'k', 'v\x00\xff'], ['EXPIRE', 'k', '100'])
    a.store.getState().clockJumpRequested(1000)
    await a.bridge.idle()
    const saved = savedSessionOf(a.store.getState())
    const hash = encodePermalink(saved)
    expect(hash).toMatch(/^s=[A-Za-z0-9_-]+$/)
    expect(decodePermalink(`#${hash}`)).toEqual(saved)
    expect(decodePermalink('#s=garbage')).toBeNull()
    expect(decodePermalink('#other')).toBeNull()

    const digest = await a.bridge.digest()
    const b = await createHarness({ saved: decodePermalink(hash) })
    expect(await b.bridge.digest()).toBe(digest)
    expect(b.store.getState().log).toEqual(saved.log)
    a.dispose()
    b.dispose()
  })

  it('opens on the step its author was looking at', async () => {
    const location = { origin: 'https://x.test', pathname: '/', search: '?seed=7' } as Location
    const a = await createHarness({ factory: createServer, store: { motion: 'reduce' } })
    await a.run(['SADD', 'nums', '1', '2'], ['SADD', 'nums', '70000'], ['SADD', 'nums', '3'])
    const st = a.store.getState
    // At the end the link needs no mark: a restored session stands there anyway.
    expect(decodePermalink(permalinkUrl(st(), location).split('#')[1] ?? '')?.at).toBeUndefined()
    st().itemSelected(1)
    st().stepBackRequested() // into the upgrade, one step before its end
    const here = st().playhead
    expect(here.step).toBeGreaterThan(0)
    const b = await createHarness({
      factory: createServer,
      saved: decodePermalink(permalinkUrl(st(), location).split('#')[1] ?? ''),
    })
    expect(b.store.getState().playhead).toEqual(here)
    // Before the first command, too.
    st().itemSelected(-1)
    const c = await createHarness({
      factory: createServer,
      saved: decodePermalink(permalinkUrl(st(), location).split('#')[1] ?? ''),
    })
    expect(c.store.getState().playhead).toEqual({ item: -1, step: 0 })
    for (const h of [a, b, c]) h.dispose()
  })

  it("opens on the author's last command, not on the clock ticks after it", async () => {
    const location = { origin: 'https://x.test', pathname: '/', search: '' } as Location
    const a = await createHarness({ factory: createServer, store: { motion: 'reduce' } })
    await a.run(['SET', 'k', 'v', 'PX', '100'], ['SADD', 'nums', '1', '2', '70000'])
    a.store.getState().clockJumpRequested(10_000)
    await a.bridge.idle()
    const st = a.store.getState
    expect(st().items.at(-1)?.kind).toBe('tick')
    const sadd = st().items.findLastIndex((x) => x.kind === 'command')
    const b = await createHarness({
      factory: createServer,
      saved: decodePermalink(permalinkUrl(st(), location).split('#')[1] ?? ''),
    })
    // On the end of SADD (its intset upgrade on screen), the tick still in the timeline.
    expect(b.store.getState().playhead).toEqual({
      item: sadd,
      step: st().items[sadd]?.events.length,
    })
    expect(b.store.getState().items.at(-1)?.kind).toBe('tick')
    a.dispose()
    b.dispose()
  })

  it("opens on the same event when the author's trace level is not the reader's", async () => {
    const location = { origin: 'https://x.test', pathname: '/', search: '' } as Location
    const a = await createHarness({
      factory: createServer,
      store: { motion: 'reduce', traceLevel: 'summary' },
    })
    await a.run(['SADD', 'nums', '1', '2'], ['SADD', 'nums', '3', '4', '70000', '5'], ['PING'])
    const st = a.store.getState
    st().itemSelected(1)
    const item = st().items[1]
    const upgrade = item?.events.findIndex((e) => e.type === 'intset/upgraded') ?? -1
    expect(upgrade).toBeGreaterThan(0)
    st().stepSelected(upgrade + 1) // the upgrade is the step on screen
    const here = st().playhead
    // The reader keeps every step (full): the step still names the upgrade, counted as the
    // author counted it, and the reader's own commands are traced at the reader's level.
    const b = await createHarness({
      factory: createServer,
      store: { motion: 'reduce', traceLevel: 'full' },
      saved: decodePermalink(permalinkUrl(st(), location).split('#')[1] ?? ''),
    })
    const r = b.store.getState()
    expect(r.playhead).toEqual(here)
    expect(r.items[here.item]?.events[here.step - 1]?.type).toBe('intset/upgraded')
    expect(r.traceLevel).toBe('full')
    await b.run(['SADD', 'other', '1'])
    expect(
      b.store
        .getState()
        .items.at(-1)
        ?.events.map((e) => e.type),
    ).toContain('intset/searched')
    a.dispose()
    b.dispose()
  })
})
