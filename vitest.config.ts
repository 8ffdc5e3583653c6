import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// Projects (style.md §8): the engine and the RESP server run with no DOM at all, so an
// accidental DOM dependency fails at runtime too; the app runs in jsdom; e2e drives the built
// site in Chromium.
export default defineConfig({
  plugins: [react()],
  test: {
    // One module graph per worker, not per file: with isolation every test file re-imported
    // the whole engine (the command table pulls in every family), which was about two
    // thirds of the suite's time on 2 cores. Tests must not rely on module state left by
    // another file; each builds its own server, store and DOM.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          environment: 'node',
          sequence: { groupOrder: 0 },
          include: [
            'test/engine/**/*.test.ts',
            'test/properties/**/*.test.ts',
            'test/golden/**/*.test.ts',
            'test/server/**/*.test.ts',
            'test/conformance/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'app',
          environment: 'jsdom',
          sequence: { groupOrder: 0 },
          include: [
            'test/{panels,console,state,worker,app,lessons,protocol,offline}/**/*.test.{ts,tsx}',
          ],
          setupFiles: ['test/setup.app.ts'],
          // Wall-clock budget, not a wait: on a loaded CI machine a plain render (a cold JIT,
          // jsdom, the first import of a panel) took over the 5 s default. Tests wait for
          // conditions, never for time.
          testTimeout: 30_000,
        },
      },
      {
        // End-to-end: the built site in Debian's Chromium through playwright-core.
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          // After the others, one file at a time (each drives its own Chromium): a project
          // limited to one worker in the same group would hold the whole run to one worker.
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // expect.poll waits for a condition in the page; on a slow machine a render after a
          // worker round trip can take longer than the 1 s default before giving up.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})
