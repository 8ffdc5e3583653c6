import { existsSync, readdirSync } from 'node:fs'
import { relative } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { buildManifest } from './src/offline/precache.ts'

/**
 * Inlines the entry stylesheet into index.html. The static shell in index.html then paints
 * with the app's own styles on the first frame, with no render-blocking request (a linked
 * stylesheet holds the first paint until it arrives). Lazy panels keep their own CSS files.
 */
function inlineEntryCss(): Plugin {
  return {
    name: 'xray:inline-entry-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle
        if (bundle === undefined) return html
        return html.replace(
          /<link rel="stylesheet"[^>]*? href="\.\/(assets\/[^"]+\.css)">/g,
          (tag, file: string) => {
            const asset = bundle[file]
            if (asset?.type !== 'asset') return tag
            delete bundle[file]
            return `<style>${String(asset.source)}</style>`
          },
        )
      },
    },
  }
}

/**
 * Builds the offline service worker (src/offline/sw.ts) into dist/sw.js and writes into it
 * the manifest of every file the build emits (and public/ holds), so one visit caches the
 * whole site.
 */
function offlineServiceWorker(): Plugin {
  let publicDir = ''
  return {
    name: 'xray:offline-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: 'src/offline/sw.ts', fileName: 'sw.js' })
    },
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js']
      if (sw?.type !== 'chunk') throw new Error('offline service worker: sw.js was not built')
      // public/ is optional (an empty folder is not even in a git clone).
      const publicFiles =
        publicDir && existsSync(publicDir)
          ? readdirSync(publicDir, { recursive: true, withFileTypes: true })
              .filter((d) => d.isFile())
              .map((d) => relative(publicDir, `${d.parentPath}/${d.name}`))
          : []
      const files = [...Object.keys(bundle).filter((f) => f !== 'sw.js'), ...publicFiles]
      const manifest = buildManifest(files)
      const code = sw.code.replace(
        /(["'`])__XRAY_PRECACHE_MANIFEST__\1/,
        JSON.stringify(JSON.stringify(manifest)),
      )
      if (code === sw.code)
        throw new Error('offline service worker: manifest placeholder not found')
      sw.code = code
    },
  }
}

// base './' makes dist/ work from any sub-path (GitHub Pages, a blog's folder, file server).
export default defineConfig({
  base: './',
  plugins: [react(), inlineEntryCss(), offlineServiceWorker()],
  worker: { format: 'es' },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
