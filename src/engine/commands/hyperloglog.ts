/**
 * HyperLogLog commands — follows redis/src/hyperloglog.c (7.0.15): PFADD, PFCOUNT, PFMERGE,
 * PFDEBUG, PFSELFTEST (the self-test runs on this implementation: about a second). The value is a plain string (TYPE says string, GET shows the bytes), edited as
 * structures/hyperloglog.ts describes; a string that is not a valid HLL answers
 * "WRONGTYPE Key is not a valid HyperLogLog string value.", a corrupt sparse one
 * "INVALIDOBJ Corrupted HLL object detected".
 *
 * Events (hll/*): PFADD's hashing and register updates come from the structure; here the
 * cache's fate (hll/cacheInvalidated, hll/cardinalityCached, hll/cachedCardinalityUsed),
 * PFMERGE's hll/merged, a several-key PFCOUNT's hll/unionCounted and the explicit
 * promotions (hll/sparseToDense 'merge' / 'debug').
 * Importing inspectHll.ts registers the HLL view of string values for inspect().
 */
import { lookupKeyRead, lookupKeyWrite, dbAdd, signalModifiedKey } from '../keyspace/db.ts'
import { NOTIFY_STRING, notifyKeyspaceEvent } from '../keyspace/notify.ts'
import { memValueTouched } from '../keyspace/memory.ts'
import {
  array,
  error,
  ERR_WRONGTYPE,
  integer,
  OK,
  ONE,
  simple,
  ZERO,
  bulk,
  type Reply,
} from '../reply.ts'
import {
  HLL_DENSE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllAdd,
  hllCachedCard,
  hllCount,
  hllCountRaw,
  hllCreateSds,
  hllDenseRegister,
  hllEncoding,
  hllFromSds,
  hllInvalidateCache,
  hllIsValidString,
  hllMerge,
  hllSet,
  hllSelfTest,
  hllSetCachedCard,
  hllSparseDecode,
  hllSparseToDense,
  hllToSds,
  hllTraceToDense,
  hllTracer,
  type HllBuf,
} from '../structures/hyperloglog.ts'
import '../inspectHll.ts'
import {
  createRawStringObject,
  sdsObjectBuf,
  stringObjectSds,
  type RawStringObject,
  type RedisObject,
  type SdsStringObject,
} from '../types/object.ts'
import { dbUnshareStringValue } from '../types/t_string.ts'
import { cstr } from '../bytes.ts'
import { rngRandom } from '../rng.ts'
import { integerLL } from './common.ts'
import { defineCommand, type CommandCall, type CommandSpec } from './spec.ts'

const NOT_HLL = error('WRONGTYPE Key is not a valid HyperLogLog string value.')
const INVALID_HLL = error('INVALIDOBJ Corrupted HLL object detected')

/** isHLLObjectOrReply: null when `o` is a valid HLL string, else the error reply. */
function notHllReply(o: RedisObject): Reply | null {
  if (o.type !== 'string') return ERR_WRONGTYPE
  if (o.encoding === 'int' || !hllIsValidString(sdsObjectBuf(o))) return NOT_HLL
  return null
}

function sparseMaxBytes(c: CommandCall): number {
  return Number(c.srv.config.other['hll-sparse-max-bytes'] ?? '3000')
}

/** The key's value as a private raw string, and a working copy of its bytes. */
function unshared(c: CommandCall, key: string, o: RedisObject): { o: RawStringObject; h: HllBuf } {
  const raw = dbUnshareStringValue(c.srv, c.ctx, c.db, key, o as SdsStringObject, c.cmd.name)
  return { o: raw, h: hllFromSds(raw.ptr) }
}

/** Writes the edited bytes back into the value (its sds size follows the edits). */
function store(c: CommandCall, o: RawStringObject, h: HllBuf): void {
  o.ptr = hllToSds(h)
  memValueTouched(c.db.dict, o)
}

/** PFADD key [element ...] */
function pfaddCommand(c: CommandCall): Reply {
  const key = c.argv[1] ?? ''
  const found = lookupKeyWrite(c.srv, c.ctx, c.db, key)
  let updated = 0
  let o: RawStringObject
  let h: HllBuf
  if (found === null) {
    o = createRawStringObject(c.srv, '')
    o.ptr = hllCreateSds()
    dbAdd(c.ctx, c.db, key, o, c.srv)
    h = hllFromSds(o.ptr)
    updated++
  } else {
    const bad = notHllReply(found)
    if (bad !== null) return bad
    ;({ o, h } = unshared(c, key, found))
  }
  const maxBytes = sparseMaxBytes(c)
  const tr = hllTracer(c.ctx, key, true)
  const cacheWasValid = ((h.bytes[15] as number) & 0x80) === 0
  for (let j = 2; j < c.argv.length; j++) {
    const r = hllAdd(h, c.argv[j] ?? '', maxBytes, tr)
    if (r === 1) updated++
    else if (r === -1) {
      store(c, o, h)
      return INVALID_HLL
    }
  }
  if (updated) {
    signalModifiedKey(c.srv, c.ctx, c.db, key)
    notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STRING, 'pfadd', key, c.db.id)
    c.srv.dirty += updated
    hllInvalidateCache(h)
    if (c.ctx.tracing && cacheWasValid) c.ctx.emit({ type: 'hll/cacheInvalidated', key })
  }
  store(c, o, h)
  return updated ? ONE : ZERO
}

/** PFCOUNT key [key ...] */
function pfcountCommand(c: CommandCall): Reply {
  if (c.argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS)
    for (let j = 1; j < c.argv.length; j++) {
      const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[j] ?? '')
      if (o === null) continue
      const bad = notHllReply(o)
      if (bad !== null) return bad
      if (!hllMerge(max, hllFromSds(stringObjectSds(o as SdsStringObject)))) return INVALID_HLL
    }
    const card = hllCountRaw(max)
    if (c.ctx.tracing)
      c.ctx.emit({ type: 'hll/unionCounted', keys: c.argv.slice(1), nonZero: nonZeroOf(max), card })
    return integer(card)
  }
  const key = c.argv[1] ?? ''
  const found = lookupKeyRead(c.srv, c.ctx, c.db, key)
  if (found === null) return ZERO
  const bad = notHllReply(found)
  if (bad !== null) return bad
  const o = dbUnshareStringValue(c.srv, c.ctx, c.db, key, found as SdsStringObject, c.cmd.name)
  const cached = hllCachedCard(o.ptr.buf)
  if (cached !== null) {
    if (c.ctx.tracing) c.ctx.emit({ type: 'hll/cachedCardinalityUsed', key, card: Number(cached) })
    return integerLL(cached)
  }
  const h = hllFromSds(o.ptr)
  const card = hllCount(h)
  if (card === null) return INVALID_HLL
  hllSetCachedCard(h, card)
  if (c.ctx.tracing) c.ctx.emit({ type: 'hll/cardinalityCached', key, card })
  store(c, o, h)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  c.srv.dirty++
  return integer(card)
}

/** How many registers of merged maxima are non-zero (hll/merged, hll/unionCounted). */
function nonZeroOf(max: Uint8Array): number {
  let nonZero = 0
  for (const v of max) if (v !== 0) nonZero++
  return nonZero
}

/** PFMERGE destkey [sourcekey ...] */
function pfmergeCommand(c: CommandCall): Reply {
  const max = new Uint8Array(HLL_REGISTERS)
  let useDense = false
  for (let j = 1; j < c.argv.length; j++) {
    const o = lookupKeyRead(c.srv, c.ctx, c.db, c.argv[j] ?? '')
    if (o === null) continue
    const bad = notHllReply(o)
    if (bad !== null) return bad
    const h = hllFromSds(stringObjectSds(o as SdsStringObject))
    if (hllEncoding(h) === HLL_DENSE) useDense = true
    if (!hllMerge(max, h)) return INVALID_HLL
  }
  const key = c.argv[1] ?? ''
  const found = lookupKeyWrite(c.srv, c.ctx, c.db, key)
  let o: RawStringObject
  if (found === null) {
    o = createRawStringObject(c.srv, '')
    o.ptr = hllCreateSds()
    dbAdd(c.ctx, c.db, key, o, c.srv)
  } else {
    o = unshared(c, key, found).o
  }
  const h = hllFromSds(o.ptr)
  const tr = hllTracer(c.ctx, key, false)
  const cacheWasValid = ((h.bytes[15] as number) & 0x80) === 0
  if (tr !== null)
    c.ctx.emit({ type: 'hll/merged', key, sources: c.argv.slice(1), nonZero: nonZeroOf(max) })
  const sparseLen = h.len
  if (useDense && hllEncoding(h) === HLL_SPARSE) {
    if (!hllSparseToDense(h)) return INVALID_HLL
    if (tr !== null) hllTraceToDense(tr, 'merge', 0, sparseLen, sparseMaxBytes(c))
  }
  const maxBytes = sparseMaxBytes(c)
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const v = max[j] as number
    if (v !== 0) hllSet(h, j, v, maxBytes, tr)
  }
  hllInvalidateCache(h)
  if (tr !== null && cacheWasValid) c.ctx.emit({ type: 'hll/cacheInvalidated', key })
  store(c, o, h)
  signalModifiedKey(c.srv, c.ctx, c.db, key)
  // PFMERGE notifies "pfadd": a mass add of elements.
  notifyKeyspaceEvent(c.srv, c.ctx, NOTIFY_STRING, 'pfadd', key, c.db.id)
  c.srv.dirty++
  return OK
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
function pfdebugCommand(c: CommandCall): Reply {
  const sub = cstr(c.argv[1] ?? '')
  const key = c.argv[2] ?? ''
  const found = lookupKeyWrite(c.srv, c.ctx, c.db, key)
  if (found === null) return error('ERR The specified key does not exist')
  const bad = notHllReply(found)
  if (bad !== null) return bad
  const { o, h } = unshared(c, key, found)
  const name = sub.toLowerCase()
  const known = ['getreg', 'decode', 'encoding', 'todense'].includes(name)
  if (!known) return error(`ERR Unknown PFDEBUG subcommand '${sub}'`)
  if (c.argv.length !== 3) return error(`ERR Wrong number of arguments for the '${sub}' subcommand`)
  if (name === 'encoding') return simple(hllEncoding(h) === HLL_SPARSE ? 'sparse' : 'dense')
  if (name === 'decode') {
    if (hllEncoding(h) !== HLL_SPARSE) return error('ERR HLL encoding is not sparse')
    return bulk(hllSparseDecode(h))
  }
  // GETREG and TODENSE turn a sparse HLL dense for good.
  const wasSparse = hllEncoding(h) === HLL_SPARSE
  if (wasSparse) {
    const sparseLen = h.len
    if (!hllSparseToDense(h)) return INVALID_HLL
    const tr = hllTracer(c.ctx, key, false)
    if (tr !== null) hllTraceToDense(tr, 'debug', 0, sparseLen, sparseMaxBytes(c))
    store(c, o, h)
    c.srv.dirty++
  }
  if (name === 'todense') return wasSparse ? ONE : ZERO
  const regs: Reply[] = []
  for (let j = 0; j < HLL_REGISTERS; j++) regs.push(integer(hllDenseRegister(h, j)))
  return array(regs)
}

/** PFSELFTEST: hllSelfTest; its failures are addReplyError texts ("ERR TESTFAILED ..."). */
function pfselftestCommand(c: CommandCall): Reply {
  const failed = hllSelfTest(() => rngRandom(c.ctx.rng), sparseMaxBytes(c))
  return failed === null ? OK : error(`ERR ${failed}`)
}

export const hyperloglogCommands: readonly CommandSpec[] = [
  defineCommand('pfadd', pfaddCommand),
  defineCommand('pfcount', pfcountCommand),
  defineCommand('pfmerge', pfmergeCommand),
  defineCommand('pfdebug', pfdebugCommand),
  defineCommand('pfselftest', pfselftestCommand),
]
