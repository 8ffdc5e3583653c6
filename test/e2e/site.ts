/**
 * Builds the site with Vite into `outDir` (a folder of its own, so a concurrent build never
 * swaps hashed files under a page that is running). Shared by the e2e global setup and the
 * browser benchmark.
 */
import { execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..')

/** Runs `vite build --outDir outDir` from the repository root. */
export function buildSite(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    // NODE_ENV as a user's `npm run build` has it: Vitest sets 'test', which would make Vite
    // build React's development bundle and leave import.meta.env.PROD false (no offline worker).
    { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  )
}
