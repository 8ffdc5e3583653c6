/**
 * The composition root: settings from storage (language from the browser the first time),
 * the store, the engine worker client, the bridge, then the session: a permalink in the URL
 * fragment wins, else the session saved in IndexedDB, else a fresh one (`?seed=N`).
 * `window.__xray` exposes a few debug hooks (crashWorker, permalink, idle) for e2e tests.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { detectLanguage, languageParam } from '../i18n/index.ts'
import { connectBridge, logToStore, noticeToStore } from '../state/bridge.ts'
import { decodePermalink, looksLikePermalink } from '../state/permalink.ts'
import {
  attachPersistence,
  defaultKv,
  loadHistory,
  loadSession,
  loadSettings,
  savedSessionOf,
  saveSession,
  saveSettings,
} from '../state/persistence.ts'
import { preloadPanels } from '../panels/registry.ts'
import { AppStoreProvider } from '../state/react.ts'
import { createAppStore, DEFAULT_SESSION, type AppStore } from '../state/store.ts'
import { createEngineClient, spawnEngineWorker } from '../worker/client.ts'
import { App } from './App.tsx'
import { EmbedApp, embedViewOf } from './Embed.tsx'
import './debugHooks.ts'
import { registerOfflineWorker } from '../offline/register.ts'
import { sceneById } from '../lessons/scenes.ts'
import { runScene } from './runScene.ts'
import { permalinkUrl } from './Header.tsx'
import './styles.css'

/** The full app's URL for the scene an embed shows (same link, without `embed`). */
function fullAppUrl(location: Location): string {
  const params = new URLSearchParams(location.search)
  params.delete('embed')
  const search = params.toString()
  return `${location.origin}${location.pathname}${search ? `?${search}` : ''}${location.hash}`
}

/** Runs the scene a link names (`?scene=<id>`), or says that no scene has that id. */
function startSceneParam(store: AppStore, id: string | null): void {
  if (id === null) return
  const scene = sceneById(id)
  if (scene === undefined) store.getState().noticeShown('notice.sceneUnknown', { id }, 'warn')
  else runScene(store, scene)
}

async function boot(): Promise<void> {
  const settings = loadSettings()
  const params = new URLSearchParams(window.location.search)
  // ?projector=1 (or 0) switches projector mode for a classroom's bookmark; it is then
  // remembered like the header's toggle.
  const projectorParam = params.get('projector')
  const prefersDark =
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-color-scheme: dark)').matches
  const store = createAppStore({
    // ?lang=zh|en (an embed's snippet carries its author's): for this page, before the
    // language saved or the browser's.
    language:
      languageParam(params.get('lang')) ?? settings.language ?? detectLanguage(navigator.languages),
    theme: settings.theme ?? (prefersDark ? 'dark' : 'light'),
    motion: settings.motion ?? 'system',
    traceLevel: settings.traceLevel ?? 'full',
    projector:
      projectorParam === '1'
        ? true
        : projectorParam === '0'
          ? false
          : (settings.projector ?? false),
    history: loadHistory(),
  })
  // Embed mode: the scene comes from the link alone and nothing is saved (the reader's own
  // session stays untouched).
  const embed = embedViewOf(window.location.search)
  const seedParam = params.get('seed')
  const session =
    seedParam !== null && /^\d+$/.test(seedParam)
      ? { ...DEFAULT_SESSION, seed: Number(seedParam) }
      : DEFAULT_SESSION
  // The clock as the learner left it (not in an embed: a reader's page starts running).
  if (embed === null) {
    if (settings.clockRunning === false) store.getState().clockPaused()
    if (settings.clockSpeed !== undefined) store.getState().clockSpeedChanged(settings.clockSpeed)
  }
  // Before ?clock=paused, which is for this page only.
  if (embed === null && projectorParam !== null) saveSettings(store.getState())
  if (params.get('clock') === 'paused') store.getState().clockPaused()
  const client = createEngineClient({
    spawn: spawnEngineWorker,
    session,
    trace: store.getState().traceLevel,
    onNotice: noticeToStore(store),
    onLogged: logToStore(store),
  })
  const bridge = connectBridge(store, client)
  window.__xray = {
    store,
    bridge,
    crashWorker: () => {
      store.getState().crashRequested()
    },
    permalink: () => permalinkUrl(store.getState(), window.location),
    idle: () => bridge.idle(),
    digest: () => bridge.digest(),
  }

  const root = document.getElementById('root')
  if (root)
    createRoot(root).render(
      <StrictMode>
        <AppStoreProvider store={store}>
          {embed === null ? (
            <App />
          ) : (
            <EmbedApp view={embed} fullUrl={fullAppUrl(window.location)} />
          )}
        </AppStoreProvider>
      </StrictMode>,
    )

  // The keyspace panel is always on screen: fetch its chunk while the worker boots, not after.
  void import('../panels/dict/KeyspaceEntry.tsx')

  const kv = defaultKv()
  const fromLink = decodePermalink(window.location.hash)
  // A link cut short (a chat app's preview, a line break in an email) opened the learner's
  // own session, or an empty one, as if that were what the link showed.
  if (fromLink === null && looksLikePermalink(window.location.hash))
    store.getState().noticeShown('notice.linkBroken', {}, 'warn')
  if (embed !== null) {
    await bridge.start(fromLink ?? { v: 1, session, log: [], tabs: [], active: null })
    // ?scene=<id> (e.g. `?embed=1&scene=dict-expand`): an author embeds a ready-made scene
    // without running it first; a permalink in the fragment wins.
    if (fromLink === null) startSceneParam(store, params.get('scene'))
    return
  }
  // The link has done its job once loaded: later reloads show the (saved) live session.
  if (fromLink)
    window.history.replaceState(null, '', window.location.pathname + window.location.search)
  const saved = fromLink ?? (await loadSession(kv))
  await bridge.start(saved ?? { v: 1, session, log: [], tabs: [], active: null })
  // The other panels' chunks, once the session is on screen: a key's panel then draws on
  // its first use instead of a loading line.
  void preloadPanels().catch(() => undefined)
  attachPersistence(store, kv, undefined, undefined, () => {
    bridge.flushHeldLines()
  })
  if (fromLink) await saveSession(kv, savedSessionOf(store.getState()))
  // An embed's "Open in Redis X-Ray" keeps its ?scene=: the scene runs as if picked from the
  // Scenes menu, once (a reload does not run it again).
  const sceneParam = params.get('scene')
  if (sceneParam !== null) {
    params.delete('scene')
    const search = params.toString()
    window.history.replaceState(
      null,
      '',
      window.location.pathname + (search ? `?${search}` : '') + window.location.hash,
    )
    if (fromLink === null) startSceneParam(store, sceneParam)
  }
}

// A permalink pasted into the address bar of a tab already showing the app only changes the
// fragment: the browser does not load the page again, and the link would do nothing. Loading
// it again opens the link as a new tab would (the session on screen is saved first, as for
// any reload).
window.addEventListener('hashchange', () => {
  if (decodePermalink(window.location.hash) !== null) window.location.reload()
})

// After one visit the site works with no network (src/offline).
registerOfflineWorker()

boot().catch((err: unknown) => {
  console.error('Redis X-Ray failed to start', err)
})
