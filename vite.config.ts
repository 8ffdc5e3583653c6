import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// base './' makes dist/ work from any sub-path (GitHub Pages, a blog's folder, file server).
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})
