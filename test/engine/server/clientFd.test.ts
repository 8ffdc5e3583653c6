/**
 * CLIENT LIST / CLIENT INFO fd=: the kernel gives each connection the lowest descriptor free,
 * so the first client's fd follows the listening sockets and a closed client's fd goes to
 * the next connection. Read from redis-server 7.0.15: with the default bind ("* -::*") or
 * `bind 127.0.0.1` plus a unix socket the first client is fd=8; with `bind 127.0.0.1` alone,
 * or `port 0` and a unix socket, fd=7; after the first of two clients closes, a third gets
 * its fd back.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine } from '../../harness/TestEngine.ts'
import type { ClientId } from '../../../src/engine/api.ts'

function fdOf(t: ReturnType<typeof createTestEngine>, id: ClientId): string {
  const info = t.execOn(id, 'client', 'info')
  const text = info.type === 'bulk' || info.type === 'verbatim' ? String(info.value) : ''
  return /fd=(\d+)/.exec(text)?.[1] ?? '?'
}

describe('client fds', () => {
  it('start past the listening sockets, as configured', () => {
    const cases: [Record<string, string>, string][] = [
      [{}, '8'],
      [{ bind: '127.0.0.1', unixsocket: '/tmp/r.sock' }, '8'],
      [{ bind: '127.0.0.1' }, '7'],
      [{ port: '0', unixsocket: '/tmp/r.sock' }, '7'],
    ]
    for (const [config, fd] of cases) {
      const t = createTestEngine({ config })
      expect(fdOf(t, t.client)).toBe(fd)
    }
  })

  it('a new connection takes the lowest fd a closed client freed', () => {
    const t = createTestEngine()
    const a = t.newClient()
    const b = t.newClient()
    expect([fdOf(t, t.client), fdOf(t, a), fdOf(t, b)]).toEqual(['8', '9', '10'])
    t.server.closeClient(a)
    t.server.closeClient(t.client)
    expect(fdOf(t, t.newClient())).toBe('8')
    expect(fdOf(t, t.newClient())).toBe('9')
    expect(fdOf(t, t.newClient())).toBe('11')
    expect(fdOf(t, b)).toBe('10')
  })
})
