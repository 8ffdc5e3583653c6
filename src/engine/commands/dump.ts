/**
 * DUMP, RESTORE and RESTORE-ASKING — follows redis/src/cluster.c dumpCommand / restoreCommand
 * (7.0.15).
 *
 * DUMP answers the value's RDB serialization with the RDB version and a CRC64 (rdbEncode.ts),
 * or nil for a missing key. RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]
 * checks, in restoreCommand's order: the options (IDLETIME and FREQ exclude each other: the
 * second one is a syntax error), that the key does not exist (BUSYKEY, unless REPLACE), the
 * TTL, the payload's version and checksum, then parses the value (rdbDecode.ts; any failure is
 * "Bad data format") and rebuilds it with the encodings rdbLoadObject chooses under the
 * current config (rdbReload.ts rdbLoadObject). A relative TTL already in the past, or an
 * absolute one, creates nothing (and an old key REPLACE removed stays removed). The new key's
 * LRU/LFU field follows IDLETIME/FREQ as objectSetLRUOrLFU does. RESTORE-ASKING is the same
 * command (ASKING only matters in cluster mode).
 */
import { rewriteCommandVector } from '../replication.ts'
import { NOTIFY_GENERIC, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import {
  dbAdd,
  dbDelete,
  lookupKeyRead,
  lookupKeyWrite,
  setExpireByClient,
  signalModifiedKey,
  checkAlreadyExpired,
} from '../keyspace/db.ts'
import { LFUGetTimeInMinutes, LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION } from '../keyspace/lru.ts'
import { rdbLoadPayload } from '../rdbDecode.ts'
import { createDumpPayload, verifyDumpPayload } from '../rdbEncode.ts'
import { rdbLoadObject } from '../rdbReload.ts'
import { bulk, error, ERR_SYNTAX, NIL, OK, type Reply } from '../reply.ts'
import type { ServerState } from '../state.ts'
import { policyIsLfu, type RedisObject } from '../types/object.ts'
import { isToken } from './common.ts'
import { getLongLongOrReply } from './parse.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'

const ERR_BUSYKEY = error('BUSYKEY Target key name already exists.')
const ERR_BAD_TTL = error('ERR Invalid TTL value, must be >= 0')
const ERR_BAD_IDLETIME = error('ERR Invalid IDLETIME value, must be >= 0')
const ERR_BAD_FREQ = error('ERR Invalid FREQ value, must be >= 0 and <= 255')
const ERR_BAD_PAYLOAD = error('ERR DUMP payload version or checksum are wrong')
const ERR_BAD_FORMAT = error('ERR Bad data format')

/** DUMP key */
function dumpCommand(c: CommandCall): Reply {
  const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[1] ?? '')
  if (o === null) return NIL
  return bulk(createDumpPayload(c.srv, o))
}

/** object.c objectSetLRUOrLFU with RESTORE's multiplier of 1000 (seconds). */
function objectSetLRUOrLFU(
  srv: ServerState,
  o: RedisObject,
  lfuFreq: bigint,
  lruIdle: bigint,
  lruClock: number,
): void {
  if (policyIsLfu(srv)) {
    if (lfuFreq >= 0n) o.lru = (LFUGetTimeInMinutes(srv.mstime) << 8) | Number(lfuFreq)
  } else if (lruIdle >= 0n) {
    // lru_idle*lru_multiplier is long long arithmetic: a huge IDLETIME wraps (2^63-1 gives
    // -1000, so the key reads as idle for almost the whole LRU clock's range).
    const idle = BigInt.asIntN(64, lruIdle * 1000n) / BigInt(LRU_CLOCK_RESOLUTION)
    let abs = BigInt(lruClock) - idle
    if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX)
    // robj.lru is a 24-bit field: the C assignment keeps the low 24 bits.
    o.lru = Number(BigInt.asUintN(24, abs))
  }
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restoreCommand(c: CommandCall): Reply {
  const { srv, ctx, db, argv } = c
  let replace = false
  let absttl = false
  let lfuFreq = -1n
  let lruIdle = -1n
  let lruClock = -1
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1
    const opt = argv[j] ?? ''
    if (isToken(opt, 'REPLACE')) replace = true
    else if (isToken(opt, 'ABSTTL')) absttl = true
    else if (isToken(opt, 'IDLETIME') && additional >= 1 && lfuFreq === -1n) {
      const v = getLongLongOrReply(argv[j + 1] ?? '')
      if (typeof v !== 'bigint') return v
      if (v < 0n) return ERR_BAD_IDLETIME
      lruIdle = v
      lruClock = srv.lruclock // LRU_CLOCK(): server.lruclock at any hz >= 1
      j++
    } else if (isToken(opt, 'FREQ') && additional >= 1 && lruIdle === -1n) {
      const v = getLongLongOrReply(argv[j + 1] ?? '')
      if (typeof v !== 'bigint') return v
      if (v < 0n || v > 255n) return ERR_BAD_FREQ
      lfuFreq = v
      j++
    } else return ERR_SYNTAX
  }

  const key = argv[1] ?? ''
  if (!replace && lookupKeyWrite(srv, ctx, db, key) !== null) return ERR_BUSYKEY

  const ttlArg = getLongLongOrReply(argv[2] ?? '')
  if (typeof ttlArg !== 'bigint') return ttlArg
  if (ttlArg < 0n) return ERR_BAD_TTL
  let ttl = ttlArg

  const payload = argv[3] ?? ''
  if (!verifyDumpPayload(payload, srv.skipChecksumValidation === true)) return ERR_BAD_PAYLOAD
  const value = rdbLoadPayload(srv, payload)
  const obj = value === null ? null : rdbLoadObject({ srv, ctx, dbid: db.id, key }, value)
  if (obj === null) return ERR_BAD_FORMAT

  const deleted = replace && dbDelete(ctx, db, key)
  // long long arithmetic: a relative TTL near LLONG_MAX wraps negative, so it counts as past.
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(Math.floor(ctx.now)))
  // checkAlreadyExpired: the key would be born expired — nothing is created (but a replica
  // creates it, with its past TTL).
  if (ttl !== 0n && checkAlreadyExpired(srv, ctx, ttl)) {
    if (deleted) {
      rewriteCommandVector(srv, ['DEL', key])
      signalModifiedKey(srv, ctx, db, key)
      notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'del', key, db.id)
      srv.dirty++
    }
    return OK
  }
  dbAdd(ctx, db, key, obj, srv)
  if (ttl !== 0n) {
    setExpireByClient(srv, ctx, db, key, ttl)
    // Propagated with the TTL as an absolute timestamp (ABSTTL).
    if (!absttl) {
      const prop = argv.slice()
      prop[2] = String(ttl)
      rewriteCommandVector(srv, [...prop, 'ABSTTL'])
    }
  }
  objectSetLRUOrLFU(srv, obj, lfuFreq, lruIdle, lruClock)
  signalModifiedKey(srv, ctx, db, key)
  notifyKeyspaceEvent(srv, ctx, NOTIFY_GENERIC, 'restore', key, db.id)
  srv.dirty++
  return OK
}

export const dumpCommands: readonly CommandSpec[] = [
  defineCommand('dump', dumpCommand),
  defineCommand('restore', restoreCommand),
  defineCommand('restore-asking', restoreCommand),
]
