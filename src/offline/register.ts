/**
 * Registers the offline service worker (sw.ts) in a production build, once the page has
 * loaded (it then fetches the whole site in the background, never ahead of the first paint).
 * Its scope is the folder the site is served from, so it works from any sub-path. A browser
 * without service workers, or a file:// page, simply stays online-only.
 */
export function registerOfflineWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  const register = (): void => {
    navigator.serviceWorker.register('./sw.js').catch((err: unknown) => {
      console.warn('Redis X-Ray: offline mode unavailable', err)
    })
  }
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register, { once: true })
}
