/**
 * The offline service worker: after one visit the site opens and runs with no network (the
 * engine is in the page; nothing else is fetched). Built by vite.config.ts into dist/sw.js
 * with the build's manifest in place of MANIFEST_JSON; registered by register.ts. Policies in
 * precache.ts.
 */
import { cacheName, CACHE_PREFIX, offlinePolicy, type PrecacheManifest } from './precache.ts'

// The few service-worker types used here (the app compiles against the DOM library, whose
// `self` is a Window).
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(r: Promise<Response>): void
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string }
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void
}

/** Replaced at build time by the manifest (JSON in a string literal). */
const MANIFEST_JSON = '__XRAY_PRECACHE_MANIFEST__'
const manifest = JSON.parse(MANIFEST_JSON) as PrecacheManifest
const CACHE = cacheName(manifest)
const sw = self as unknown as ServiceWorkerScope
const scope = sw.registration.scope

sw.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(manifest.files.map((f) => new URL(f, scope).href)))
      .then(() => sw.skipWaiting()),
  )
})

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => sw.clients.claim()),
  )
})

sw.addEventListener('fetch', (e) => {
  const req = e.request
  const policy = offlinePolicy(req.method, req.mode, req.url, scope)
  if (policy.kind === 'network') return
  if (policy.kind === 'page') {
    e.respondWith(
      fetch(req).catch(
        async () => (await caches.match(scope, { cacheName: CACHE })) ?? Response.error(),
      ),
    )
    return
  }
  e.respondWith(caches.match(policy.key, { cacheName: CACHE }).then((hit) => hit ?? fetch(req)))
})
