/**
 * Argument parsing with Redis's replies (object.c getXxxFromObjectOrReply).
 *
 * Each function returns the parsed value, or the error Reply Redis would send; callers
 * test with `typeof v === 'object'` (a Reply) and return it. Parsing is string2ll-strict:
 * no spaces, no '+', no leading zeros.
 */
import { cstr } from '../bytes.ts'
import { error, type Reply } from '../reply.ts'
import { string2ll } from '../util/numbers.ts'

const INT_MIN = -2147483648
const INT_MAX = 2147483647
const LONG_MIN = -9223372036854775808n
const LONG_MAX = 9223372036854775807n

/** getLongLongFromObjectOrReply: a 64-bit integer or the error (msg or the shared one). */
export function getLongLongOrReply(s: string, msg?: string): bigint | Reply {
  const v = string2ll(s)
  if (v === null) return error(msg ?? 'value is not an integer or out of range')
  return v
}

/**
 * getRangeLongFromObjectOrReply: an integer in [min, max]; outside, `msg` or
 * "value is out of range, value must between <min> and <max>" (sic, object.c 7.0.15).
 */
export function getRangeLongOrReply(
  s: string,
  min: bigint,
  max: bigint,
  msg?: string,
): bigint | Reply {
  const v = getLongLongOrReply(s, msg)
  if (typeof v === 'object') return v
  if (v < min || v > max)
    return error(
      msg ?? `value is out of range, value must between ${min.toString()} and ${max.toString()}`,
    )
  return v
}

/** getIntFromObjectOrReply: a C int. */
export function getIntOrReply(s: string, msg?: string): number | Reply {
  const v = getRangeLongOrReply(s, BigInt(INT_MIN), BigInt(INT_MAX), msg)
  return typeof v === 'object' ? v : Number(v)
}

/** getLongFromObjectOrReply: a C long (64-bit), as a number when it is safe, else bigint. */
export function getLongOrReply(s: string, msg?: string): bigint | Reply {
  return getRangeLongOrReply(s, LONG_MIN, LONG_MAX, msg)
}

/** getPositiveLongFromObjectOrReply: [0, LONG_MAX], "value is out of range, must be positive". */
export function getPositiveLongOrReply(s: string, msg?: string): bigint | Reply {
  return getRangeLongOrReply(s, 0n, LONG_MAX, msg ?? 'value is out of range, must be positive')
}

/** Case-insensitive ASCII comparison (strcasecmp(a, b) == 0). */
export function eqIgnoreCase(a: string | undefined, b: string): boolean {
  if (a === undefined) return false
  if (a.length === b.length) return a.toLowerCase() === b
  // strcasecmp reads C strings: "sync\0junk" equals "sync".
  return (
    a.length > b.length && a.charCodeAt(b.length) === 0 && a.slice(0, b.length).toLowerCase() === b
  )
}

/** addReplyHelp: "<CMD> <subcommand> ..." header, the lines, then HELP. */
export function helpReply(command: string, lines: readonly string[]): Reply {
  const all = [
    `${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    'HELP',
    '    Prints this help.',
  ]
  return { type: 'array', value: all.map((value) => ({ type: 'simple', value })) }
}

/**
 * networking.c addReplySubcommandSyntaxError: argv[1] as typed (cut to 128 bytes), the command
 * upper-cased.
 */
export function subcommandSyntaxError(argv: readonly string[]): Reply {
  const sub = cstr(argv[1] ?? '').slice(0, 128)
  const cmd = cstr(argv[0] ?? '').toUpperCase()
  return error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${cmd} HELP.`)
}
