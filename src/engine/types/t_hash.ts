/**
 * The hash type — follows redis/src/t_hash.c (7.0.15).
 *
 * Two encodings. A new hash is a `listpack` holding field, value, field, value … in
 * insertion order; lookups scan the fields (lpFind with skip 1), an update replaces the value
 * in place (so the order is kept), a new pair is appended. It becomes a `hashtable` (a dict
 * field → value, DictRef `key:<db>:<key>`) when
 *   - a field or value in the command's arguments is longer than hash-max-listpack-value
 *     (hashTypeTryConversion, before anything is inserted; hashTypeSet checks again for
 *     HINCRBY/HINCRBYFLOAT, whose values are computed), or the arguments would push the
 *     listpack past the 1 GiB safety limit;
 *   - after an insert the hash holds more than hash-max-listpack-entries fields.
 * The dict is pre-sized to the field count (dictExpand), then filled in listpack order. A
 * hashtable never goes back to a listpack (hashTypeConvert panics "Not implemented" in Redis).
 * After every deletion from a hashtable the dict is shrunk when its fill drops below 10 %
 * (htNeedsResize → dictResize), as hashTypeDelete does.
 *
 * Thresholds are read from CONFIG at call time, so CONFIG SET takes effect on the next write.
 *
 * Events: object/encodingConverted (reasons 'valueTooLong' {length, limit}, 'tooManyEntries'
 * {entries, limit}, 'listpackSafetyLimit' {bytes}); the listpack/* events of the listpack and
 * the dict/* events of the hashtable pass through with the key / DictRef.
 */
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictExpand,
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  dictGetVal,
  dictResize,
  dictSetVal,
  dictSize,
  dictValidate,
  htNeedsResize,
  NO_ENTRY,
  type Dict,
} from '../structures/dict.ts'
import {
  lpAppend,
  lpDeleteRangeWithEntry,
  lpDup,
  lpFind,
  lpFirst,
  lpGet,
  lpLength,
  lpNew,
  lpNext,
  lpReplace,
  lpSafeToAdd,
  lpValidate,
  type Listpack,
} from '../structures/listpack.ts'
import type { ServerState } from '../state.ts'
import { lpRandomPair, setObjectEncoding, valueDictRef, type ValueRef } from './container.ts'
import { createObject, type ContainerObject } from './object.ts'

// --- Types ---

export type HashObject = ContainerObject<'hash', 'listpack'> | ContainerObject<'hash', 'hashtable'>

/** The dict of a hashtable-encoded hash: field → value. */
export function hashDict(o: ContainerObject<'hash', 'hashtable'>): Dict<string> {
  return o.ptr as Dict<string>
}

// --- Creation and conversion ---

/** createHashObject: an empty listpack hash. */
export function createHashObject(srv: ServerState): HashObject {
  return createObject(srv, 'hash', 'listpack', lpNew())
}

/**
 * hashTypeTryConversion: converts a listpack hash to a hashtable when one of `args` (the
 * fields and values about to be written) is longer than hash-max-listpack-value, or when
 * their total would exceed the listpack safety limit.
 */
export function hashTypeTryConversion(v: ValueRef, o: HashObject, args: readonly string[]): void {
  if (o.encoding !== 'listpack') return
  const limit = v.srv.config.hashMaxListpackValue
  let sum = 0
  for (const a of args) {
    if (a.length > limit) {
      hashTypeConvertListpack(v, o, 'valueTooLong', { length: a.length, limit })
      return
    }
    sum += a.length
  }
  if (!lpSafeToAdd(o.ptr, sum)) hashTypeConvertListpack(v, o, 'listpackSafetyLimit', { bytes: sum })
}

/**
 * hashTypeConvertListpack: builds a dict pre-sized to the field count, adds every pair in
 * listpack order, and swaps it in.
 */
export function hashTypeConvertListpack(
  v: ValueRef,
  o: HashObject,
  reason: string,
  params: Readonly<Record<string, number | string>>,
): void {
  if (o.encoding !== 'listpack') return
  const lp = o.ptr
  const d = dictCreate<string>(valueDictRef(v.dbid, v.key), v.srv.hashSeed)
  dictExpand(v.ctx, d, lpLength(lp) / 2)
  for (let p = lpFirst(lp); p !== null;) {
    const q = lpNext(lp, p)
    if (q === null) throw new Error('hash listpack with an odd number of entries')
    if (!dictAdd(v.ctx, d, lpGet(lp, p), lpGet(lp, q)))
      throw new Error('Listpack corruption detected')
    p = lpNext(lp, q)
  }
  setObjectEncoding(v, o, 'hashtable', d, reason, params)
}

// --- Reading ---

/** hashTypeLength: number of fields. */
export function hashTypeLength(o: HashObject): number {
  return o.encoding === 'listpack' ? lpLength(o.ptr) / 2 : dictSize(o.ptr)
}

/** Offset of the value entry of `field` in a pair listpack, or null. */
function lpFindValue(lp: Listpack, field: string): number | null {
  const first = lpFirst(lp)
  if (first === null) return null
  const fptr = lpFind(lp, first, field, 1)
  return fptr === null ? null : lpNext(lp, fptr)
}

/**
 * hashTypeGetValue: the value of `field` as bytes (integers stored in the listpack come
 * back in decimal), or null when the field does not exist. A hashtable lookup is a dictFind
 * (one rehash step when rehashing).
 */
export function hashTypeGetValue(v: ValueRef, o: HashObject, field: string): string | null {
  if (o.encoding === 'listpack') {
    const vptr = lpFindValue(o.ptr, field)
    return vptr === null ? null : lpGet(o.ptr, vptr)
  }
  const de = dictFind(v.ctx, hashDict(o), field)
  return de === NO_ENTRY ? null : dictGetVal(hashDict(o), de)
}

/** hashTypeExists. */
export function hashTypeExists(v: ValueRef, o: HashObject, field: string): boolean {
  return hashTypeGetValue(v, o, field) !== null
}

/**
 * Every field and value in iteration order (hashTypeInitIterator/hashTypeNext): listpack
 * order, or the dict's table-0-then-table-1 bucket order (a non-safe iterator: no rehash).
 */
export function hashTypeEntries(o: HashObject): [string, string][] {
  const out: [string, string][] = []
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    for (let p = lpFirst(lp); p !== null;) {
      const q = lpNext(lp, p)
      if (q === null) break
      out.push([lpGet(lp, p), lpGet(lp, q)])
      p = lpNext(lp, q)
    }
  } else {
    dictForEach(hashDict(o), (field, value) => out.push([field, value]))
  }
  return out
}

/**
 * hashTypeRandomElement: one random field and value — dictGetFairRandomKey for a hashtable,
 * lpRandomPair for a listpack.
 */
export function hashTypeRandomElement(v: ValueRef, o: HashObject): readonly [string, string] {
  if (o.encoding === 'listpack') return lpRandomPair(v.ctx, o.ptr, hashTypeLength(o))
  const de = dictGetFairRandomKey(v.ctx, hashDict(o))
  if (de === NO_ENTRY) throw new Error('hashTypeRandomElement on an empty hash')
  return [dictGetKey(hashDict(o), de), dictGetVal(hashDict(o), de)]
}

// --- Writing ---

/**
 * hashTypeSet: sets `field` to `value`; returns true when the field existed (an update).
 * A listpack converts first if the field or value is too long, and after the insert if it
 * now holds too many fields.
 */
export function hashTypeSet(v: ValueRef, o: HashObject, field: string, value: string): boolean {
  const cfg = v.srv.config
  if (o.encoding === 'listpack') {
    const limit = cfg.hashMaxListpackValue
    if (field.length > limit || value.length > limit) {
      const length = Math.max(field.length, value.length)
      hashTypeConvertListpack(v, o, 'valueTooLong', { length, limit })
    }
  }
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    const vptr = lpFindValue(lp, field)
    let update = false
    if (vptr !== null) {
      update = true
      lpReplace(v.ctx, lp, vptr, value, v.key)
    } else {
      lpAppend(v.ctx, lp, field, v.key)
      lpAppend(v.ctx, lp, value, v.key)
    }
    const entries = hashTypeLength(o)
    if (entries > cfg.hashMaxListpackEntries)
      hashTypeConvertListpack(v, o, 'tooManyEntries', {
        entries,
        limit: cfg.hashMaxListpackEntries,
      })
    return update
  }
  const d = hashDict(o)
  const de = dictFind(v.ctx, d, field)
  if (de !== NO_ENTRY) {
    dictSetVal(d, de, value)
    return true
  }
  dictAdd(v.ctx, d, field, value)
  return false
}

/**
 * hashTypeDelete: removes `field`; returns whether it existed. A hashtable is shrunk right
 * after the delete when its fill is below 10 %.
 */
export function hashTypeDelete(v: ValueRef, o: HashObject, field: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.ptr
    const first = lpFirst(lp)
    if (first === null) return false
    const fptr = lpFind(lp, first, field, 1)
    if (fptr === null) return false
    lpDeleteRangeWithEntry(v.ctx, lp, fptr, 2, v.key)
    return true
  }
  const d = hashDict(o)
  if (dictDelete(v.ctx, d, field) === NO_ENTRY) return false
  if (htNeedsResize(d)) dictResize(v.ctx, d)
  return true
}

/**
 * hashTypeDup (COPY): the same encoding; a listpack is copied byte for byte, a dict is
 * rebuilt pre-sized, in iteration order, under the new key's DictRef.
 */
export function hashTypeDup(v: ValueRef, o: HashObject): HashObject {
  if (o.encoding === 'listpack') return createObject(v.srv, 'hash', 'listpack', lpDup(o.ptr))
  const src = hashDict(o)
  const d = dictCreate<string>(valueDictRef(v.dbid, v.key), v.srv.hashSeed)
  dictExpand(v.ctx, d, dictSize(src))
  dictForEach(src, (field, value) => dictAdd(v.ctx, d, field, value))
  return createObject(v.srv, 'hash', 'hashtable', d)
}

// --- Validation ---

/** Self-check: listpack bytes valid with an even count and unique fields; dict valid. */
export function hashTypeValidate(o: HashObject): string[] {
  if (o.encoding === 'hashtable') return dictValidate(o.ptr)
  const errors = lpValidate(o.ptr)
  if (lpLength(o.ptr) % 2 !== 0) errors.push('hash listpack has an odd number of entries')
  const seen = new Set<string>()
  for (const [f] of hashTypeEntries(o)) {
    if (seen.has(f)) errors.push(`duplicate field ${f}`)
    seen.add(f)
  }
  return errors
}
