/**
 * What the offline service worker (sw.ts) keeps and serves: pure functions, tested in
 * test/offline. The build (vite.config.ts, offlineServiceWorker) lists every file of dist/
 * into a manifest; the worker caches them all on install, under a cache named after the
 * manifest's version, so a new build installs beside the old one and replaces it whole.
 */

/** The files of one build, relative to the site's folder ('' is the folder itself). */
export interface PrecacheManifest {
  readonly version: string
  readonly files: readonly string[]
}

/** Prefix of our cache names: other caches of the same origin are left alone. */
export const CACHE_PREFIX = 'redis-xray-'

export function cacheName(manifest: PrecacheManifest): string {
  return CACHE_PREFIX + manifest.version
}

/**
 * The manifest of a build: its files, sorted, and a version that changes whenever any file
 * name does (built files carry content hashes in their names; index.html's own content
 * changes only with them). FNV-1a over the sorted names, base 36.
 */
export function buildManifest(files: readonly string[]): PrecacheManifest {
  const sorted = [...new Set(files)].sort()
  let h = 0x811c9dc5
  for (const name of sorted) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
    h = Math.imul(h ^ 0x0a, 0x01000193)
  }
  return { version: (h >>> 0).toString(36), files: ['', ...sorted] }
}

/** How the worker answers one request (see sw.ts). */
export type OfflinePolicy =
  /** A page load: the network first (a new build shows up), the cached index.html offline. */
  | { readonly kind: 'page' }
  /** A built file (its name carries a content hash): the cache first, else the network. */
  | { readonly kind: 'file'; readonly key: string }
  /** Not ours (another origin, outside the site's folder, not a GET): the network alone. */
  | { readonly kind: 'network' }

/**
 * The policy for a request to `url` under the worker's `scope` (the site's folder, ending in
 * '/'). A query string never selects another file (`?seed=7`, `?embed=dict`): the key drops it.
 */
export function offlinePolicy(
  method: string,
  mode: string,
  url: string,
  scope: string,
): OfflinePolicy {
  if (method !== 'GET' || !url.startsWith(scope)) return { kind: 'network' }
  if (mode === 'navigate') return { kind: 'page' }
  const u = new URL(url)
  return { kind: 'file', key: u.origin + u.pathname }
}
