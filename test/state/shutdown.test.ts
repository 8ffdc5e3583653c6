/**
 * SHUTDOWN in the browser app (the real engine behind the in-process worker): it used to
 * answer "stop `npm run serve` with Ctrl-C", which is untrue in a browser. The error names
 * what is not modelled without naming a host; ABORT and bad options answer as Redis does.
 */
import { expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { createHarness } from './harness.ts'

it('answers SHUTDOWN with an error true in the browser, and its options as Redis does', async () => {
  const h = await createHarness({ factory: createServer })
  await h.run(
    ['SET', 'k', 'v'],
    ['SHUTDOWN'],
    ['SHUTDOWN', 'ABORT'],
    ['SHUTDOWN', 'FOO'],
    ['GET', 'k'],
  )
  const replies = (h.store.getState().tabs[0]?.lines ?? []).flatMap((l) =>
    l.kind === 'reply' ? [l.reply] : [],
  )
  expect(replies).toEqual([
    { type: 'simple', value: 'OK' },
    {
      type: 'error',
      value:
        'ERR SHUTDOWN is not supported by this server (Redis X-Ray does not model shutting the server down)',
    },
    { type: 'error', value: 'ERR No shutdown in progress.' },
    { type: 'error', value: 'ERR syntax error' },
    { type: 'bulk', value: 'v' },
  ])
  expect(JSON.stringify(h.store.getState().tabs)).not.toContain('npm run serve')
  h.dispose()
})
