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
 *
 * Second part: pushes inside and around a RESP3 client's own replies. The client runs HELLO
 * 3 and PSUBSCRIBEs to `__key*__:*` on its own connection, and a third connection tracks
 * every key with CLIENT TRACKING on REDIRECT to it, reading all keys before each op: each of
 * its writes then gets its own keyspace notifications and the redirected invalidations of
 * the keys it touches, written where Redis's addReplyPushLen puts them (before, inside or
 * after the reply). After each op a PING with a marker closes the op's bytes; the bytes up to
 * the marker must be equal on both servers. Ops whose reply stateful.test.ts does not compare
 * exactly (random picks, dict order...) still run, their bytes are not compared.
 * A longer hunt: SELF_STREAMS=200 SELF_OPS=400 (SELF_FIRST_SEED).
 */
import { describe, expect, it } from 'vitest'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'
import { cliQuote } from './script.ts'
import {
  genOp,
  isDueExpiryBatch,
  KEYS,
  probeKeyTypes,
  setOrderLookups,
  type Ctx,
  type Op,
} from './statefulGen.ts'

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

/** The ops of a stream, one a line, for a difference's report. */
function listOps(ran: readonly Op[]): string[] {
  return ran.map(
    (o) =>
      `  ${o.k === 'cmd' && o.other === true ? '[other] ' : ''}${o.argv.map(cliQuote).join(' ')}`,
  )
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
        await probeKeyTypes(ctx, real.main, ours.main)
      }
      const got = genOp(ctx)
      if (isDueExpiryBatch(got)) continue
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
        ...listOps(ran),
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

// --- Pushes around a RESP3 client's own replies ---

const SELF_STREAMS = Number(process.env['SELF_STREAMS'] ?? 4)
const SELF_FIRST_SEED = Number(process.env['SELF_FIRST_SEED'] ?? 1)
const SELF_OPS = Number(process.env['SELF_OPS'] ?? 150)

/** Main in RESP3 subscribed to every keyspace event; sub tracks with REDIRECT to main. */
async function openSelf(connect: () => Promise<RawClient>): Promise<Side> {
  const side = { main: await connect(), other: await connect(), sub: await connect() }
  await side.other.command('FLUSHALL')
  await side.other.command('CONFIG', 'SET', 'notify-keyspace-events', 'AKEmn')
  const id = String((await side.main.command('CLIENT', 'ID')).reply.value)
  await side.main.command('HELLO', '3')
  side.main.sendCommand(['PSUBSCRIBE', '__key*__:*'])
  await side.main.next(3000)
  await side.sub.command('CLIENT', 'TRACKING', 'on', 'REDIRECT', id)
  return side
}

let markers = 0

/** Sends `argv` on `who`, then a marked PING; every byte before the marker's reply. */
async function runMarked(who: RawClient, argv: readonly string[]): Promise<string> {
  const marker = `self-fuzz-${String(++markers)}`
  const end = `$${String(marker.length)}\r\n${marker}\r\n`
  who.sendCommand(argv)
  who.sendCommand(['PING', marker])
  let out = ''
  for (;;) {
    // A push inside an array makes the reader close that array one item early; the item
    // left over is read as a reply of its own, so the marker still comes alone.
    const raw = (await who.next(5000)).raw
    if (raw === end || raw === `+${marker}\r\n`) return out
    out += raw
  }
}

/** Runs one seeded stream on both servers; '' or a description of the first difference. */
async function runSelfStream(seed: number): Promise<string> {
  const real = await openSelf(() => servers.connectReal())
  const ours = await openSelf(() => servers.connectOurs())
  const ran: Op[] = []
  try {
    const ctx: Ctx = { g: { s: Math.imul(seed, 2654435761) }, types: new Map(), inMulti: false }
    let inMulti = false
    for (let i = 0; i < SELF_OPS; i++) {
      ctx.inMulti = inMulti
      if (!inMulti) {
        await probeKeyTypes(ctx, real.other, ours.other)
        // The tracker remembers every key again (MGET tracks a key of any type).
        await Promise.all([real.sub.command('MGET', ...KEYS), ours.sub.command('MGET', ...KEYS)])
        // The probes may expire keys: main gets those messages now.
        const [pa, pb] = await Promise.all([
          runMarked(real.main, ['PING']),
          runMarked(ours.main, ['PING']),
        ])
        if (pa !== pb) return difference(seed, ran, pa, pb)
      }
      const got = genOp(ctx)
      if (isDueExpiryBatch(got)) continue
      for (const op of Array.isArray(got) ? got : [got]) {
        if (op.k !== 'cmd' || op.cmp === 'lex' || setOrderLookups(op.argv, ctx, inMulti)) continue
        if (
          /^(SUBSCRIBE|PSUBSCRIBE|SSUBSCRIBE|UNSUBSCRIBE|PUNSUBSCRIBE|SUNSUBSCRIBE|RESET|HELLO|CLIENT)$/i.test(
            op.argv[0] ?? '',
          )
        )
          continue
        const other = op.other === true
        // Another client's write while main is in MULTI: its messages would reach main
        // between reads that cannot be marked (a PING would be queued).
        if (other && inMulti) continue
        ran.push(op)
        const name = (op.argv[0] ?? '').toUpperCase()
        // Inside MULTI (and for MULTI itself) a marker would be queued: one reply is read.
        const queued = !other && (inMulti || name === 'MULTI') && name !== 'EXEC'
        // One op in 16 runs under CLIENT REPLY SKIP: its pushes are written, its reply is not.
        const skip = !other && !queued && name !== 'EXEC' && (ran.length + seed) % 16 === 0
        const run = (side: Side): Promise<string> => {
          if (other) return runMarked(side.other, op.argv)
          if (queued) return side.main.command(...op.argv).then((r) => r.raw)
          if (skip) side.main.sendCommand(['CLIENT', 'REPLY', 'SKIP'])
          return runMarked(side.main, op.argv)
        }
        let a: string
        let b: string
        try {
          ;[a, b] = await Promise.all([run(real), run(ours)])
        } catch (e) {
          return difference(seed, ran, String(e), '')
        }
        if (other) {
          // The invalidations and notifications of another client's write reach main at once.
          const [ra, rb] = await Promise.all([
            runMarked(real.main, ['PING']),
            runMarked(ours.main, ['PING']),
          ])
          if (ra !== rb) return difference(seed, ran, ra, rb)
        } else if (op.cmp === 'exact' && a !== b) return difference(seed, ran, a, b)
        if (!other && name === 'MULTI' && a.endsWith('+OK\r\n')) inMulti = true
        if (!other && (name === 'EXEC' || name === 'DISCARD')) inMulti = false
      }
    }
    if (inMulti) await Promise.all([real.main.command('DISCARD'), ours.main.command('DISCARD')])
    return ''
  } finally {
    close(real)
    close(ours)
  }
}

function difference(seed: number, ran: readonly Op[], want: string, got: string): string {
  return [
    `seed ${String(seed)}: op ${String(ran.length)} differs`,
    `  redis: ${JSON.stringify(want)}`,
    `  ours:  ${JSON.stringify(got)}`,
    `ops:`,
    ...listOps(ran),
  ].join('\n')
}

describe("RESP3 pushes around a client's own replies under random command streams", () => {
  for (let seed = SELF_FIRST_SEED; seed < SELF_FIRST_SEED + SELF_STREAMS; seed++) {
    it(`stream ${String(seed)}: the same bytes as redis-server`, async () => {
      expect(await runSelfStream(seed)).toBe('')
    }, 300_000)
  }
})
