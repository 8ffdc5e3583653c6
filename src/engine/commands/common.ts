/**
 * Small helpers shared by command families: argument parsing with Redis's exact errors
 * (object.c get*FromObjectOrReply, server.c addReplyErrorExpireTime) and the strcasecmp
 * token checks option parsers use.
 */
import { lookupKeyRead, lookupKeyWrite } from '../keyspace/db.ts'
import { error, integer, type Reply } from '../reply.ts'
import type { RedisObject } from '../types/object.ts'
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
