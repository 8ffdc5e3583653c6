/**
 * debug.c's bug report under `npm run serve`, against redis-server 7.0.15's own: DEBUG ASSERT,
 * DEBUG PANIC and DEBUG SEGFAULT log the report and the process dies by the signal Redis dies
 * by; SIGABRT sent from outside is caught by sigsegvHandler and reported too. The reports are
 * compared line by line with Redis's after taking out what a build without backtrace support
 * does not write (STACK TRACE, REGISTERS, code around EIP), the memory regions the fast memory
 * test walks and what changes from run to run (INFO's values, the connection's fields and
 * its reply buffer, which clientsCron resizes on its own schedule, the
 * time, the order of CONFIG DEBUG OUTPUT, which follows a randomly seeded dict in Redis).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startRealRedis } from '../conformance/redisProcess.ts'
import { connectRaw } from './rawClient.ts'
import { servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

/** Sections a build with backtrace support adds (logStackTrace, logRegisters, dumpCodeAroundEIP). */
const BACKTRACE_SECTIONS = ['STACK TRACE', 'REGISTERS', 'DUMPING CODE AROUND EIP']

/** The report from its first line to its last, normalized as the file comment says. */
function report(log: string): string[] {
  const lines = log.split('\n')
  const start = lines.indexOf('=== REDIS BUG REPORT START: Cut & paste starting from here ===')
  const out: string[] = []
  let section = ''
  let config: string[] = []
  let info: string[] = []
  for (const line of lines.slice(start)) {
    if (line.startsWith('=== REDIS BUG REPORT END')) section = 'END'
    section = /^------ (.+) ------$/.exec(line)?.[1] ?? section
    if (BACKTRACE_SECTIONS.includes(section) || line.includes('Crashed running the instruction'))
      continue
    if (section === 'CONFIG DEBUG OUTPUT' && !line.startsWith('------')) {
      if (line !== '') config.push(line)
      else {
        out.push(...config.sort(), '')
        config = []
      }
      continue
    }
    if (section === 'INFO OUTPUT' && !line.startsWith('------')) {
      // The fields, not their values; in each section sorted (Redis lists commands in the
      // order of its command dict, which a random seed decides).
      const field = line.replace(/:.*/, ':*').replace(/\r$/, '')
      if (field.startsWith('#') || field === '') {
        out.push(...info.sort(), field)
        info = []
      } else info.push(field)
      continue
    }
    if (info.length > 0) {
      out.push(...info.sort())
      info = []
    }
    if (section === 'FAST MEMORY TEST' && /^(\*\*\* Preparing|[.O]+$)/.test(line)) continue
    out.push(
      line
        .replace(/^\d+:[MC] \d+ [A-Z][a-z]+ \d+ [\d:.]+ /, '')
        .replace(/\b(id|addr|laddr|fd|age|idle|rbs|rbp|tot-mem)=\S*/g, '$1=*')
        .replace(/Unix time \d+/, 'Unix time *')
        .replace(/Accessing address: 0x[0-9a-f]+/, 'Accessing address: 0x*'),
    )
  }
  return out
}

/** A command as client libraries send it (multibulk: its arguments are embstr objects). */
function multibulk(...argv: string[]): string {
  return (
    `*${String(argv.length)}\r\n` + argv.map((a) => `$${String(a.length)}\r\n${a}\r\n`).join('')
  )
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 20))
}

/** What redis-server 7.0.15 logs for `debug <sub>`, run after SET foo bar from a new client. */
async function realReport(sub: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xray-crash-real-'))
  const logfile = join(dir, 'redis.log')
  const redis = await startRealRedis(['--logfile', logfile, '--enable-debug-command', 'yes'])
  try {
    const c = await connectRaw(redis.port)
    await c.command('SET', 'foo', 'bar')
    c.send(multibulk('debug', sub))
    await until(() => readFileSync(logfile, 'utf8').includes('--check-system'))
    c.close()
    return report(readFileSync(logfile, 'utf8'))
  } finally {
    await redis.stop()
  }
}

async function ourReport(
  sub: string,
): Promise<{ lines: string[]; exited: number | null; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'xray-crash-'))
  const s = await serve(dir, '--enable-debug-command', 'yes', '--save', '')
  const c = await client(s.port)
  // startRealRedis asks INFO server once it answers: the same stats here.
  await c.command('INFO', 'server')
  await c.command('SET', 'foo', 'bar')
  c.send(multibulk('debug', sub))
  const exited = await s.exited
  return { lines: report(s.log()), exited, log: s.log() }
}

describe('bug reports as redis-server writes them', { timeout: 120_000 }, () => {
  // Each with a line only its report has, and the signal it dies by (abort() is SIGABRT);
  // npm passes on what killed the node process as 128 + the signal.
  it.each([
    ['assert', "# ==> debug.c:530 '1 == 2' is not true", 6],
    ['panic', '# Guru Meditation: DEBUG PANIC called at Unix time * #debug.c:510', 6],
    ['segfault', '# Redis 7.0.15 crashed by signal: 11, si_code: 2', 11],
  ] as const)(
    "DEBUG %s: Redis's report line for line, then death by its signal",
    async (sub, line, signal) => {
      const want = await realReport(sub)
      const ours = await ourReport(sub)
      expect(want).toContain(line)
      expect(ours.lines).toEqual(want)
      expect(ours.exited).toBe(128 + signal)
    },
  )

  it('SIGABRT from outside: sigsegvHandler reports it with no current client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-crash-'))
    const s = await serve(dir, '--crash-memcheck-enabled', 'no')
    const c = await client(s.port)
    const pid = Number(
      /\r\nprocess_id:(\d+)\r\n/.exec((await c.command('INFO', 'server')).raw)?.[1],
    )
    process.kill(pid, 'SIGABRT')
    await s.exited
    const lines = report(s.log())
    expect(lines.slice(0, 4)).toEqual([
      '=== REDIS BUG REPORT START: Cut & paste starting from here ===',
      '# Redis 7.0.15 crashed by signal: 6, si_code: 0',
      '',
      '------ INFO OUTPUT ------',
    ])
    expect(lines).not.toContain('------ CURRENT CLIENT INFO ------')
    expect(lines).not.toContain('------ FAST MEMORY TEST ------')
    expect(lines.filter((l) => l !== '').at(-1)).toBe(
      '  Some other issues could be detected by redis-server --check-system',
    )
  })

  it('with crash-log-enabled no, DEBUG PANIC writes only its own lines before dying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xray-crash-'))
    const s = await serve(dir, '--enable-debug-command', 'yes', '--crash-log-enabled', 'no')
    const c = await client(s.port)
    c.send(multibulk('debug', 'panic'))
    await s.exited
    const lines = report(s.log())
    expect(lines).not.toContain('------ INFO OUTPUT ------')
    expect(lines).toContain('# !!! Software Failure. Press left mouse button to continue')
  })
})
