import { describe, expect, it } from 'vitest'
import { createTestEngine, r, type TestEngine } from '../../harness/TestEngine.ts'

/** The engine's log lines, `level text`, from now on. */
function logged(t: TestEngine): string[] {
  const lines: string[] = []
  t.server.setServerLog((level, line) => lines.push(`${level} ${line}`))
  return lines
}

// Lines read from redis-server 7.0.15's log at loglevel verbose and debug.
describe('serverLog lines below NOTICE', () => {
  it('serverCron logs the non-empty dbs (VERBOSE) and the clients (DEBUG) every 5 s', () => {
    const t = createTestEngine()
    const lines = logged(t)
    t.exec('set', 'a', '1')
    t.exec('set', 'b', '2', 'ex', '100')
    t.exec('select', '2')
    t.exec('set', 'c', '3')
    t.tick(10_000)
    // At notice, neither.
    expect(lines).toEqual([])
    expect(t.exec('config', 'set', 'loglevel', 'verbose')).toEqual(r.ok)
    t.tick(5_000)
    expect(lines).toEqual([
      'verbose DB 0: 2 keys (1 volatile) in 4 slots HT.',
      'verbose DB 2: 1 keys (0 volatile) in 4 slots HT.',
    ])
    lines.length = 0
    expect(t.exec('config', 'set', 'loglevel', 'debug')).toEqual(r.ok)
    t.tick(5_000)
    expect(lines.slice(0, 2)).toEqual([
      'verbose DB 0: 2 keys (1 volatile) in 4 slots HT.',
      'verbose DB 2: 1 keys (0 volatile) in 4 slots HT.',
    ])
    expect(lines[2]).toMatch(/^debug 1 clients connected \(0 replicas\), \d+ bytes in use$/)
    expect(lines).toHaveLength(3)
  })

  it('the read that finds a connection closed logs the client (VERBOSE)', () => {
    const t = createTestEngine()
    const lines = logged(t)
    const id = t.server.createClient({ addr: '127.0.0.1:50120', laddr: '127.0.0.1:6379' })
    t.execOn(id, 'ping')
    t.server.netRead?.(0, id)
    expect(lines).toEqual([])
    t.exec('config', 'set', 'loglevel', 'verbose')
    t.server.netRead?.(0, id)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^verbose Client closed connection id=${String(id)} addr=127\\.0\\.0\\.1:50120 laddr=127\\.0\\.0\\.1:6379 fd=\\d+ name= age=0 idle=0 flags=N db=0 .* cmd=ping user=default redir=-1 resp=2$`,
      ),
    )
  })

  it('CONFIG SET maxmemory below the memory in use warns once, when the value changes', () => {
    const t = createTestEngine()
    const lines = logged(t)
    expect(t.exec('config', 'set', 'maxmemory', '1000')).toEqual(r.ok)
    expect(t.exec('config', 'set', 'maxmemory', '1000')).toEqual(r.ok)
    expect(t.exec('config', 'set', 'maxmemory', '0')).toEqual(r.ok)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^warning WARNING: the new maxmemory value set via CONFIG SET \(1000\) is smaller than the current memory usage \(\d+\)\. This will result in key eviction and\/or the inability to accept new write commands depending on the maxmemory-policy\.$/,
    )
  })

  it('DEBUG SEGFAULT/PANIC/ASSERT: an error where the host cannot die; a bug report where it can', () => {
    const t = createTestEngine()
    const lines = logged(t)
    for (const sub of ['SEGFAULT', 'PANIC', 'ASSERT'])
      expect(t.exec('debug', sub.toLowerCase())).toEqual(
        r.err(
          `ERR DEBUG ${sub} is not supported by this server (Redis X-Ray does not model crashing the server)`,
        ),
      )
    expect(lines).toEqual([])
    expect(t.server.takeCrash()).toBeNull()
    t.server.setCrashHost(true)
    t.exec('set', 'panic', 'x')
    t.exec('debug', 'panic')
    expect(t.server.takeCrash()).toBe(6)
    expect(t.server.takeCrash()).toBeNull()
    expect(lines.slice(0, 4)).toEqual([
      'warning \n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n',
      'warning ------------------------------------------------',
      'warning !!! Software Failure. Press left mouse button to continue',
      expect.stringMatching(
        /^warning Guru Meditation: DEBUG PANIC called at Unix time \d+ #debug\.c:510$/,
      ),
    ])
    // logCurrentClient: the key argv[1] names, found in the db.
    expect(lines).toContain("warning key 'panic' found in DB containing the following object:")
    expect(lines).toContain('warning Object encoding: 8')
    lines.length = 0
    t.exec('debug', 'segfault')
    expect(t.server.takeCrash()).toBe(11)
    // The report starts once per process.
    expect(lines[0]).toBe('warning Redis 7.0.15 crashed by signal: 11, si_code: 2')
    expect(lines[1]).toMatch(/^warning Accessing address: 0x[0-9a-f]+000$/)
  })
})
