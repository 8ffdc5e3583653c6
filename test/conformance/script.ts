/**
 * Conformance scripts (`*.redis`, UTF-8): one command per line in redis-cli syntax (sdssplitargs
 * quoting: "a b", 'it\'s', "\x00"), blank lines and `# comments` ignored. Directives are
 * comments that start with `# @`:
 *
 *   # @args --requirepass foo      extra server arguments for both servers (before any command)
 *   # @unordered                   next reply: arrays compared as multisets (at every depth)
 *   # @ignore-reply                next reply: only its type (first byte) is compared
 *   # @shape                       next reply: values after ':' or '=' are blanked before
 *                                  comparing (INFO's and CLIENT LIST's field names and order)
 *   # @seconds                     next reply: integers that may be one apart (a count of whole
 *                                  seconds or minutes of the real clock, such as OBJECT IDLETIME,
 *                                  which a clock boundary between two commands moves by one on
 *                                  either server); any other reply compared exactly
 *   # @sleep 1100                  wait this many ms before the next step
 *   # @client other                send the following commands on connection `other`
 *                                  (opened on first use; `main` is the default one)
 *   # @raw "PING\r\n*1\r\n$-1\r\n"   send these bytes as they are on the current connection and
 *                                  compare everything both servers answer (until they close
 *                                  or go quiet); a closed connection is reopened afterwards
 *   # @reconnect                   close the current connection and open a new one
 *   # @repeat 200                  send the next command this many times (each reply compared);
 *                                  for lines that must finish an incremental rehash on both
 *                                  servers, whose hash seeds differ (Redis picks its own at
 *                                  random), before a reply that shows the dict's tables
 */
import { utf8ToBytes } from '../../src/engine/bytes.ts'
import { sdssplitargs } from '../../src/engine/resp.ts'

export type Compare = 'exact' | 'unordered' | 'type' | 'shape' | 'seconds'

export type Step =
  | { kind: 'command'; line: number; text: string; argv: string[]; compare: Compare }
  | { kind: 'sleep'; line: number; ms: number }
  | { kind: 'raw'; line: number; text: string; bytes: string }
  | { kind: 'reconnect'; line: number }
  | { kind: 'client'; line: number; name: string }

export interface Script {
  readonly name: string
  readonly args: string[]
  readonly steps: Step[]
}

/** Parses a script; throws with the line number on a malformed line. */
export function parseScript(name: string, source: string): Script {
  const args: string[] = []
  const steps: Step[] = []
  let compare: Compare = 'exact'
  let repeat = 1
  source.split('\n').forEach((rawLine, index) => {
    const line = index + 1
    // Scripts are UTF-8 text; the servers get the bytes.
    const text = utf8ToBytes(rawLine.trim())
    const fail = (why: string) => {
      throw new Error(`${name}:${line}: ${why}: ${text}`)
    }
    if (text === '') return
    if (text.startsWith('#')) {
      const m = /^#\s*@([a-z-]+)\s*(.*)$/.exec(text)
      if (m === null) return
      const directive = m[1] as string
      const rest = (m[2] as string).trim()
      switch (directive) {
        case 'args': {
          if (steps.length > 0) fail('@args must come before the first command')
          const parsed = sdssplitargs(rest)
          if (parsed === null) fail('unbalanced quotes')
          args.push(...(parsed as string[]))
          return
        }
        case 'unordered':
          compare = 'unordered'
          return
        case 'ignore-reply':
          compare = 'type'
          return
        case 'shape':
          compare = 'shape'
          return
        case 'seconds':
          compare = 'seconds'
          return
        case 'sleep': {
          const ms = Number(rest)
          if (!Number.isInteger(ms) || ms < 0) fail('@sleep takes milliseconds')
          steps.push({ kind: 'sleep', line, ms })
          return
        }
        case 'client':
          if (rest === '') fail('@client takes a name')
          steps.push({ kind: 'client', line, name: rest })
          return
        case 'raw': {
          const parsed = sdssplitargs(rest)
          if (parsed === null || parsed.length !== 1) fail('@raw takes one quoted string')
          steps.push({ kind: 'raw', line, text: rest, bytes: (parsed as string[])[0] as string })
          return
        }
        case 'reconnect':
          steps.push({ kind: 'reconnect', line })
          return
        case 'repeat': {
          const n = Number(rest)
          if (!Number.isInteger(n) || n < 1) fail('@repeat takes a count of at least 1')
          repeat = n
          return
        }
        default:
          fail(`unknown directive @${directive}`)
      }
      return
    }
    const argv = sdssplitargs(text)
    if (argv === null) return fail('unbalanced quotes')
    if (argv.length === 0) return
    for (let i = 0; i < repeat; i++) steps.push({ kind: 'command', line, text, argv, compare })
    compare = 'exact'
    repeat = 1
  })
  return { name, args, steps }
}

/** One argument in redis-cli syntax (parseScript reads it back): quoted and escaped if needed. */
export function cliQuote(arg: string): string {
  if (/^[\x21-\x7e]+$/.test(arg) && !/["'\\]/.test(arg)) return arg
  let s = '"'
  for (const ch of arg) {
    const c = ch.charCodeAt(0)
    if (ch === '"' || ch === '\\') s += `\\${ch}`
    else if (c >= 0x20 && c < 0x7f) s += ch
    else s += `\\x${c.toString(16).padStart(2, '0')}`
  }
  return `${s}"`
}
