/**
 * Runs a conformance script against a real redis-server and our RESP server side by side:
 * each step goes to both, and the raw reply bytes must match (or match as multisets, or
 * match in type only, as the script says). Each script gets fresh servers of its own.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { respEncode } from '../../src/engine/resp.ts'
import type { Reply } from '../../src/engine/reply.ts'
import { parseServeArgs } from '../../src/server/main.ts'
import { startRespServer } from '../../src/server/server.ts'
import { connectRaw, type RawClient } from '../server/rawClient.ts'
import { startRealRedis } from './redisProcess.ts'
import type { Compare, Script, Step } from './script.ts'

/**
 * How long a reply may take before the script fails as hung: long, because on a loaded CI
 * machine a heavy command (PFSELFTEST, DEBUG RELOAD) took real Redis over 5 s; a hang still
 * fails well inside the test's 60 s.
 */
const REPLY_TIMEOUT_MS = 30_000

/** Arguments both servers start with (a script's `@args` come after and win). */
export const BASE_ARGS = ['--enable-debug-command', 'local']
export const CONFORMANCE_SEED = 42

export interface ScriptResult {
  readonly commands: number
  readonly mismatches: string[]
}

interface Pair {
  real: RawClient
  ours: RawClient
}

/** Runs one script; never throws for a mismatch, only collects it. */
export async function runScript(script: Script): Promise<ScriptResult> {
  // Unix sockets only: no other process on the machine can reach either server.
  const real = await startRealRedis([...BASE_ARGS, ...script.args], { tcp: false })
  const serve = parseServeArgs([...BASE_ARGS, ...script.args])
  const ours = await startRespServer({
    path: oursSocketPath(),
    seed: CONFORMANCE_SEED,
    enableDebugCommand: serve.enableDebugCommand,
    config: serve.config,
  })
  const pairs = new Map<string, Pair>()
  const connect = async (): Promise<Pair> => ({
    real: await connectRaw(real.socket),
    ours: await connectRaw(ours.path as string),
  })
  const mismatches: string[] = []
  let commands = 0
  let current = 'main'
  try {
    pairs.set(current, await connect())
    for (const step of script.steps) {
      let pair = pairs.get(current) as Pair
      if (pair.real.isClosed || pair.ours.isClosed) {
        closePair(pair)
        pair = await connect()
        pairs.set(current, pair)
      }
      switch (step.kind) {
        case 'sleep':
          await new Promise((r) => setTimeout(r, step.ms))
          break
        case 'client':
          current = step.name
          if (!pairs.has(current)) pairs.set(current, await connect())
          break
        case 'reconnect':
          closePair(pair)
          pairs.set(current, await connect())
          break
        case 'raw': {
          pair.real.send(step.bytes)
          pair.ours.send(step.bytes)
          const [a, b] = await Promise.all([pair.real.drain(), pair.ours.drain()])
          const closedA = pair.real.isClosed
          const closedB = pair.ours.isClosed
          if (a !== b || closedA !== closedB) {
            mismatches.push(
              describe(
                script,
                step,
                `${show(a)}${closedA ? ' [closed]' : ''}`,
                `${show(b)}${closedB ? ' [closed]' : ''}`,
              ),
            )
          }
          break
        }
        case 'command': {
          commands++
          pair.real.sendCommand(step.argv)
          pair.ours.sendCommand(step.argv)
          const [a, b] = await Promise.all([
            pair.real.next(REPLY_TIMEOUT_MS).then(
              (r) => r,
              (e: Error) => e,
            ),
            pair.ours.next(REPLY_TIMEOUT_MS).then(
              (r) => r,
              (e: Error) => e,
            ),
          ])
          if (a instanceof Error)
            throw new Error(`redis-server: ${a.message} at ${script.name}:${step.line}`)
          if (b instanceof Error) {
            mismatches.push(describe(script, step, show(a.raw), `(${b.message})`))
            closePair(pair)
            pairs.set(current, await connect())
            break
          }
          if (!sameReply(a.reply, a.raw, b.reply, b.raw, step.compare)) {
            const [ra, rb] =
              step.compare === 'shape' ? shapeDiff(a.reply, b.reply) : [show(a.raw), show(b.raw)]
            mismatches.push(describe(script, step, ra, rb))
          }
          break
        }
      }
    }
  } finally {
    for (const p of pairs.values()) closePair(p)
    await Promise.all([real.stop(), ours.close()])
  }
  return { commands, mismatches }
}

export function sameReply(
  a: Reply,
  rawA: string,
  b: Reply,
  rawB: string,
  compare: Compare,
): boolean {
  if (compare === 'exact') return rawA === rawB
  if (compare === 'type') return rawA[0] === rawB[0]
  if (compare === 'shape') return shape(a) === shape(b)
  if (compare === 'seconds')
    return a.type === 'integer' && b.type === 'integer'
      ? Math.abs(Number(a.value) - Number(b.value)) <= 1
      : rawA === rawB
  return respEncode(canonical(a)) === respEncode(canonical(b))
}

/**
 * A reply with its values blanked: INFO lines `name:value` keep `name:`, CLIENT LIST
 * tokens `name=value` keep `name=` (also as RESP3 verbatim text), integers in a RESP3 map,
 * set or push are blanked too. Field names and their order remain.
 */
function shape(r: Reply): string {
  if (r.type === 'bulk' && r.value !== null) {
    return r.value.replace(/^([^:\r\n#=\s]+):.*$/gm, '$1:').replace(/=\S*/g, '=')
  }
  if (r.type === 'array' && r.value !== null) return r.value.map(shape).join('\n')
  if (r.type === 'verbatim') return `${r.format}:${shape({ type: 'bulk', value: r.value })}`
  // RESP3 aggregates (HELLO 3's map): the type, the keys, the value types (a client id differs).
  if (r.type === 'map' || r.type === 'set' || r.type === 'push')
    return `${r.type}\n${r.value.map(blankIntegers).join('\n')}`
  return respEncode(r)
}

/** shape() of a value inside a RESP3 aggregate: integers blanked, at any depth. */
function blankIntegers(r: Reply): string {
  if (r.type === 'integer') return ':'
  if (r.type === 'array' && r.value !== null) return `*\n${r.value.map(blankIntegers).join('\n')}`
  return shape(r)
}

/** The lines of two shapes that are only in one of them. */
function shapeDiff(a: Reply, b: Reply): [string, string] {
  const la = shape(a).split(/\r?\n/)
  const lb = shape(b).split(/\r?\n/)
  const onlyA = la.filter((l) => !lb.includes(l))
  const onlyB = lb.filter((l) => !la.includes(l))
  const order = onlyA.length === 0 && onlyB.length === 0 ? ' (same fields, other order)' : ''
  return [`only here: ${JSON.stringify(onlyA)}${order}`, `only here: ${JSON.stringify(onlyB)}`]
}

/** Sorts every array (at every depth) by its elements' encodings: multiset comparison. */
function canonical(r: Reply): Reply {
  if (r.type !== 'array' || r.value === null) return r
  const items = r.value.map(canonical)
  const keyed = items.map((item) => [respEncode(item), item] as const)
  keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
  return { type: 'array', value: keyed.map((k) => k[1]) }
}

let oursSeq = 0

/** A fresh unix socket path for our server. */
export function oursSocketPath(): string {
  return join(tmpdir(), `xray-ours-${process.pid}-${++oursSeq}.sock`)
}

function closePair(p: Pair): void {
  p.real.close()
  p.ours.close()
}

function show(raw: string): string {
  const s = JSON.stringify(raw)
  return s.length > 400 ? `${s.slice(0, 400)}…(${raw.length} bytes)` : s
}

function describe(script: Script, step: Step, real: string, ours: string): string {
  const what = step.kind === 'command' || step.kind === 'raw' ? step.text : step.kind
  return `${script.name}:${step.line}: ${what}\n    redis: ${real}\n    ours:  ${ours}`
}
