/**
 * Builds the site once (vite build) into a fresh temporary folder and serves it from a tiny
 * static server on 127.0.0.1 and a free port, for the e2e suite. The URL is handed to tests
 * through `provide('baseUrl', ...)`. A folder of its own, not dist/: another build started
 * meanwhile (a second run, `npm run build`) would swap the hashed files under the pages
 * being tested, and a page whose worker script vanished never becomes ready.
 * `E2E_SKIP_BUILD=1` serves the existing dist/ instead; `E2E_PORT=n` serves on port n (default: any free one).
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildSite, REPO_ROOT } from './site.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
}

let server: Server | null = null

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = process.env['E2E_SKIP_BUILD'] !== '1'
  const dist = build ? mkdtempSync(join(tmpdir(), 'xray-e2e-')) : join(REPO_ROOT, 'dist')
  if (build) buildSite(dist)
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // Served under a sub-path, as a static host would: the build must use relative URLs.
    const path = decodeURIComponent(url.pathname.replace(/^\/sub/, '')) || '/'
    let file = normalize(join(dist, path))
    if (!file.startsWith(dist)) {
      res.writeHead(403).end()
      return
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
    if (!existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((r) =>
    server?.listen(Number(process.env['E2E_PORT'] ?? 0), '127.0.0.1', r),
  )
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  project.provide('baseUrl', `http://127.0.0.1:${String(address.port)}/sub/`)
  return async () => {
    await new Promise<void>((r) => server?.close(() => r()))
    if (build) rmSync(dist, { recursive: true, force: true })
  }
}
