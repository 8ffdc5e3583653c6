/**
 * Keyspace notifications under random command streams (statefulGen.ts's generator): with
 * notify-keyspace-events "AKEmn" (every class, key misses and new keys too) a subscriber on
 * each server PSUBSCRIBEs to `__key*__:*` while the stream runs, and the two message streams
 * must be byte for byte equal. Ops whose effect is random in Redis itself (SPOP, whose
 * members differ, and lex ranges over mixed-score skiplists) are left out so both datasets
 * stay equal; SCAN macros are read-only and left out too, and so is SORT of a set or zset
 * with BY/GET patterns (its lookups follow Redis's random dict order). The key pool's TYPE probes run on
 * both servers, so their key misses match.
 *
 * A longer hunt: NOTIFY_STREAMS=200 NOTIFY_OPS=400 npx vitest run test/conformance/notifyFuzz.test.ts
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { cliQuote } from './script.ts'
import { genOp, KEYS, type Ctx, type Op } from './statefulGen.ts'

const STREAMS = Number(process.env['NOTIFY_STREAMS'] ?? 6)
const FIRST_SEED = Number(process.env['NOTIFY_FIRST_SEED'] ?? 1)
const OPS = Number(process.env['NOTIFY_OPS'] ?? 200)
const END = 'notify-fuzz-end'
/** A marker published after each op, so a difference shows the op that made it. */
const OP = 'notify-fuzz-op'

const servers = bothServersPerFile({ tcp: true })

interface Side {
  main: RawClient
  other: RawClient
  sub: RawClient
}

async function open(connect: () => Promise<RawClient>): Promise<Side> {
  const side = { main: await connect(), other: await connect(), sub: await connect() }
  await side.main.command('FLUSHALL')
  await side.main.command('CONFIG', 'SET', 'notify-keyspace-events', 'AKEmn')
  side.sub.sendCommand(['PSUBSCRIBE', '__key*__:*'])
  await side.sub.next(3000)
  side.sub.sendCommand(['SUBSCRIBE', END, OP])
  await side.sub.next(3000)
  await side.sub.next(3000)
  return side
}

/** Every message the subscriber got before the end marker. */
async function collect(side: Side): Promise<string[]> {
  await side.main.command('PUBLISH', END, 'x')
  const out: string[] = []
  for (;;) {
    const raw = (await side.sub.next(5000)).raw
    if (raw.includes(END)) return out
    out.push(raw)
  }
}

function close(side: Side): void {
  side.main.close()
  side.other.close()
  side.sub.close()
}

/**
 * SORT of a set or a skiplist zset with BY or GET patterns looks the patterns' keys up in the
 * value's dict order, which follows Redis's per-process hash seed: their key misses come in
 * another order.
 */
function setOrderLookups(argv: readonly string[], ctx: Ctx, inMulti: boolean): boolean {
  if (!/^SORT(_RO)?$/i.test(argv[0] ?? '') || !argv.slice(2).some((x) => x.includes('*')))
    return false
  return inMulti || ctx.types.get(argv[1] ?? '') !== 'list'
}

/** Runs one seeded stream on both servers; '' or a description of the first difference. */
async function runStream(seed: number): Promise<string> {
  const real = await open(() => servers.connectReal())
  const ours = await open(() => servers.connectOurs())
  const ran: Op[] = []
  try {
    const ctx: Ctx = { g: { s: Math.imul(seed, 2654435761) }, types: new Map(), inMulti: false }
    let inMulti = false
    for (let i = 0; i < OPS; i++) {
      ctx.inMulti = inMulti
      if (!inMulti) {
        for (const key of KEYS) {
          const [a] = await Promise.all([
            real.main.command('TYPE', key),
            ours.main.command('TYPE', key),
          ])
          ctx.types.set(key, String(a.reply.value))
        }
      }
      const got = genOp(ctx)
      // statefulGen's due-expiry batch (PX 1, then a real 3 ms DEBUG SLEEP, then lookups) is
      // left to stateful.test.ts, which compares its replies. Here it once gave the real
      // server's lazy 'expired' after the next op's marker under CI load (not reproduced
      // since): a race on real time that no keyspace message difference of ours explains.
      if (
        Array.isArray(got) &&
        got.some((op) => op.k === 'cmd' && /^SLEEP$/i.test(op.argv[1] ?? ''))
      )
        continue
      for (const op of Array.isArray(got) ? got : [got]) {
        if (op.k !== 'cmd' || op.cmp === 'lex' || setOrderLookups(op.argv, ctx, inMulti)) continue
        ran.push(op)
        const other = op.other === true
        const [a] = await Promise.all([
          (other ? real.other : real.main).command(...op.argv),
          (other ? ours.other : ours.main).command(...op.argv),
        ])
        if (!inMulti) {
          const mark = `${String(ran.length)} ${op.argv.map(cliQuote).join(' ')}`.slice(0, 200)
          await Promise.all([
            real.other.command('PUBLISH', OP, mark),
            ours.other.command('PUBLISH', OP, mark),
          ])
        }
        const name = (op.argv[0] ?? '').toUpperCase()
        if (!other && name === 'MULTI' && a.raw === '+OK\r\n') inMulti = true
        if (!other && (name === 'EXEC' || name === 'DISCARD')) inMulti = false
      }
    }
    if (inMulti) await Promise.all([real.main.command('DISCARD'), ours.main.command('DISCARD')])
    const [want, got] = await Promise.all([collect(real), collect(ours)])
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      if (want[i] === got[i]) continue
      return [
        `seed ${String(seed)}: message ${String(i)} of ${String(want.length)} (ours ${String(got.length)}) differs`,
        `  redis: ${JSON.stringify(want.slice(Math.max(0, i - 6), i + 3))}`,
        `  ours:  ${JSON.stringify(got.slice(Math.max(0, i - 6), i + 3))}`,
        `ops:`,
        ...ran.map(
          (o) =>
            `  ${o.k === 'cmd' && o.other === true ? '[other] ' : ''}${o.argv.map(cliQuote).join(' ')}`,
        ),
      ].join('\n')
    }
    return ''
  } finally {
    close(real)
    close(ours)
  }
}

describe('keyspace notifications under random command streams', () => {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + STREAMS; seed++) {
    it(`stream ${String(seed)}: the same messages as redis-server`, async () => {
      expect(await runStream(seed)).toBe('')
    }, 120_000)
  }
})
