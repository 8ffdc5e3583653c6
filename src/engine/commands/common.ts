/**
 * Small helpers shared by command families: argument parsing with Redis's exact errors
 * (object.c get*FromObjectOrReply, server.c addReplyErrorExpireTime) and the strcasecmp
 * token checks option parsers use.
 */
import { lookupKeyRead, lookupKeyWrite } from '../keyspace/db.ts'
import { error, ERR_SYNTAX, integer, type Reply } from '../reply.ts'
import { peekKey } from '../inspect.ts'
import type { RedisObject } from '../types/object.ts'
import { getRangeLongOrReply } from './parse.ts'
import type { CommandCall } from './spec.ts'

/** ERR value is not an integer or out of range */
export const NOT_INTEGER = error('ERR value is not an integer or out of range')

/** server.c addReplyErrorExpireTime: "invalid expire time in '<fullname>' command". */
export function invalidExpireTime(fullname: string): Reply {
  return error(`ERR invalid expire time in '${fullname}' command`)
}

/** server.c addReplyErrorArity. */
export function wrongArity(fullname: string): Reply {
  return error(`ERR wrong number of arguments for '${fullname}' command`)
}

/**
 * strcasecmp(arg, token) == 0 for an upper-case ASCII token. strcasecmp stops at a NUL, so
 * "NX\0junk" is NX too.
 */
export function isToken(arg: string, token: string): boolean {
  if (arg.length === token.length) return arg.toUpperCase() === token
  return (
    arg.length > token.length &&
    arg.charCodeAt(token.length) === 0 &&
    arg.slice(0, token.length).toUpperCase() === token
  )
}

/** An integer reply from a 64-bit value: a number when exactly representable, else bigint. */
export function integerLL(v: bigint): Reply {
  return integer(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v)
}

/**
 * lookupKeyRead / lookupKeyWrite narrowed to one type, as every type family does before
 * its checkType: the object, null when the key is missing, or 'wrongtype'.
 */
export function lookupOfType<T extends RedisObject>(
  c: CommandCall,
  key: string,
  type: T['type'],
  write: boolean,
): T | null | 'wrongtype' {
  const o = write ? lookupKeyWrite(c.srv, c.ctx, c.db, key) : lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (o === null) return null
  return o.type === type ? (o as T) : 'wrongtype'
}

/** LMPOP / ZMPOP arguments (and their blocking variants'): the keys, the side, the count. */
export interface MpopArgs {
  readonly keys: readonly string[]
  /** The first of the two side tokens was given (LEFT, MIN), else the second. */
  readonly first: boolean
  /** COUNT, 1 when absent; counts past 2^53 are 2^53 (more than any value holds). */
  readonly count: number
}

/**
 * t_list.c lmpopGenericCommand / t_zset.c zmpopGenericCommand argument parsing, from
 * `numkeys` at argv[numkeysIdx]: numkeys, the keys, LEFT|RIGHT (or MIN|MAX), [COUNT n], with
 * Redis's errors in Redis's order.
 */
export function parseMpopArgs(
  argv: readonly string[],
  numkeysIdx: number,
  firstToken: string,
  secondToken: string,
): MpopArgs | Reply {
  const positive = (arg: string | undefined, what: string): bigint | Reply =>
    getRangeLongOrReply(arg ?? '', 1n, LONG_MAX, `ERR ${what} should be greater than 0`)
  const numkeys = positive(argv[numkeysIdx], 'numkeys')
  if (typeof numkeys === 'object') return numkeys
  const whereIdx = BigInt(numkeysIdx) + numkeys + 1n
  if (whereIdx >= BigInt(argv.length)) return ERR_SYNTAX
  const wi = Number(whereIdx)
  const where = argv[wi] ?? ''
  let first: boolean
  if (isToken(where, firstToken)) first = true
  else if (isToken(where, secondToken)) first = false
  else return ERR_SYNTAX
  let count = -1
  for (let j = wi + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    if (count === -1 && isToken(argv[j] ?? '', 'COUNT') && moreargs > 0) {
      j++
      const l = positive(argv[j], 'count')
      if (typeof l === 'object') return l
      count = l > 1n << 53n ? 2 ** 53 : Number(l)
    } else return ERR_SYNTAX
  }
  return { keys: argv.slice(numkeysIdx + 1, wi), first, count: count === -1 ? 1 : count }
}

const LONG_MAX = 9223372036854775807n

/**
 * A key's value looked at without side effects (no expiry, no LRU touch): undefined when
 * missing or past its TTL. What traces read before a command changes the key.
 */
export function peekLiveKey(c: CommandCall, key: string): RedisObject | undefined {
  const when = peekKey(c.db.expires, key)
  if (when !== undefined && c.ctx.now > when) return undefined
  return peekKey(c.db.dict, key)
}
