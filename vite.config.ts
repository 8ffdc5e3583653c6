import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

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

// base './' makes dist/ work from any sub-path (GitHub Pages, a blog's folder, file server).
export default defineConfig({
  base: './',
  plugins: [react(), inlineEntryCss()],
  worker: { format: 'es' },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
