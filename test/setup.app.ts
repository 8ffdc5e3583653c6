import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// findBy*/waitFor wait for a condition; give up after 10 s, not the 1 s default, which a
// starved CI machine can spend before a worker message is rendered.
configure({ asyncUtilTimeout: 10_000 })

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup()
})
