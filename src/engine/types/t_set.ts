/**
 * The set type — follows redis/src/t_set.c (7.0.15).
 *
 * Two encodings (7.0 has no listpack sets; 7.2 added them). A set whose first member is an
 * integer (string2ll-strict: no '+', no leading zeros, fits 64 bits) starts as an `intset`:
 * sorted, binary-searched, widened int16 → int32 → int64 when a wider value arrives. Other
 * sets start as a `hashtable` (dict member → null, DictRef `key:<db>:<key>`). An intset
 * becomes a hashtable when
 *   - a member that is not an integer is added ('notInteger' {member}), or
 *   - after an add it holds more than set-max-intset-entries (capped at 2^30) members
 *     ('tooManyEntries' {entries, limit}).
 * The conversion pre-sizes the dict to the intset length and adds the integers in order. A
 * hashtable never goes back — but results of SINTERSTORE/SUNIONSTORE/SDIFFSTORE (and the set
 * SPOP keeps when it pops most members) are rebuilt from scratch, starting as an intset, so
 * they can come out as intsets. After every delete from a hashtable the dict is shrunk when
 * its fill drops below 10 % (htNeedsResize → dictResize).
 *
 * Events: object/encodingConverted; intset/* (key) and dict/* (DictRef) pass through.
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import {
  dictAdd,
  dictCreate,
  dictDelete,
  dictExpand,
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictGetKey,
  dictResize,
  dictSize,
  dictValidate,
  htNeedsResize,
  NO_ENTRY,
  type Dict,
} from '../structures/dict.ts'
import {
  intsetAdd,
  intsetFind,
  intsetLen,
  intsetNew,
  intsetRandom,
  intsetRemove,
  intsetToArray,
  intsetValidate,
  type Intset,
} from '../structures/intset.ts'
import { string2ll } from '../util/numbers.ts'
import { setObjectEncoding, valueDictRef, type ValueRef } from './container.ts'
import { createObject, type ContainerObject } from './object.ts'

// --- Types ---

export type SetObject = ContainerObject<'set', 'intset'> | ContainerObject<'set', 'hashtable'>

/** The intset hard cap (intset internals). */
const INTSET_MAX_ENTRIES = 1 << 30

/** The dict of a hashtable-encoded set: member → null. */
export function setDict(o: ContainerObject<'set', 'hashtable'>): Dict<null> {
  return o.ptr as Dict<null>
}

// --- Creation and conversion ---

/** createIntsetObject: an empty intset set. */
export function createIntsetObject(srv: ServerState): SetObject {
  return createObject(srv, 'set', 'intset', intsetNew())
}

/** createSetObject: an empty hashtable set (its dict named after the key). */
export function createSetObject(v: ValueRef): SetObject {
  return createObject(
    v.srv,
    'set',
    'hashtable',
    dictCreate<null>(valueDictRef(v.dbid, v.key), v.srv.hashSeed),
  )
}

/** setTypeCreate: intset if `first` is an integer, else hashtable. */
export function setTypeCreate(v: ValueRef, first: string): SetObject {
  return string2ll(first) !== null ? createIntsetObject(v.srv) : createSetObject(v)
}

/** setTypeConvert: intset → hashtable, pre-sized, integers added in order. */
export function setTypeConvert(
  v: ValueRef,
  o: SetObject,
  reason: string,
  params: Readonly<Record<string, number | string>>,
): void {
  if (o.encoding !== 'intset') return
  const d = dictCreate<null>(valueDictRef(v.dbid, v.key), v.srv.hashSeed)
  dictExpand(v.ctx, d, intsetLen(o.ptr))
  for (const n of intsetToArray(o.ptr)) dictAdd(v.ctx, d, n.toString(), null)
  setObjectEncoding(v, o, 'hashtable', d, reason, params)
}

// --- Reading ---

/** setTypeSize. */
export function setTypeSize(o: SetObject): number {
  return o.encoding === 'intset' ? intsetLen(o.ptr) : dictSize(o.ptr)
}

/** setTypeIsMember: dictFind, or intsetFind when the member is an integer. */
export function setTypeIsMember(v: ValueRef, o: SetObject, member: string): boolean {
  if (o.encoding === 'hashtable') return dictFind(v.ctx, o.ptr, member) !== NO_ENTRY
  const n = string2ll(member)
  return n !== null && intsetFind(v.ctx, o.ptr, n, v.key)
}

/** Members in iteration order (setTypeNext): intset ascending, or dict bucket order. */
export function setTypeMembers(o: SetObject): string[] {
  if (o.encoding === 'intset') return intsetToArray(o.ptr).map((n) => n.toString())
  const out: string[] = []
  dictForEach(o.ptr, (member) => out.push(member))
  return out
}

/** setTypeRandomElement: dictGetFairRandomKey, or intsetRandom. */
export function setTypeRandomElement(ctx: ExecContext, o: SetObject): string {
  if (o.encoding === 'intset') return intsetRandom(ctx, o.ptr).toString()
  const de = dictGetFairRandomKey(ctx, o.ptr)
  if (de === NO_ENTRY) throw new Error('setTypeRandomElement on an empty set')
  return dictGetKey(o.ptr, de)
}

// --- Writing ---

/**
 * setTypeAdd: adds `member`; returns whether it was new. An intset converts on a
 * non-integer member (then the member goes into the dict) or when it grows past
 * set-max-intset-entries.
 */
export function setTypeAdd(v: ValueRef, o: SetObject, member: string): boolean {
  if (o.encoding === 'hashtable') return dictAdd(v.ctx, setDict(o), member, null)
  const n = string2ll(member)
  if (n !== null) {
    if (!intsetAdd(v.ctx, o.ptr, n, v.key)) return false
    const limit = Math.min(v.srv.config.setMaxIntsetEntries, INTSET_MAX_ENTRIES)
    const entries = intsetLen(o.ptr)
    if (entries > limit) setTypeConvert(v, o, 'tooManyEntries', { entries, limit })
    return true
  }
  setTypeConvert(v, o, 'notInteger', { member })
  // The set was an intset and the member is not an integer: dictAdd always succeeds.
  dictAdd(v.ctx, (o as SetObject).ptr as Dict<null>, member, null)
  return true
}

/** setTypeRemove: removes `member`; returns whether it was there. Shrinks a sparse dict. */
export function setTypeRemove(v: ValueRef, o: SetObject, member: string): boolean {
  if (o.encoding === 'hashtable') {
    const d = setDict(o)
    if (dictDelete(v.ctx, d, member) === NO_ENTRY) return false
    if (htNeedsResize(d)) dictResize(v.ctx, d)
    return true
  }
  const n = string2ll(member)
  return n !== null && intsetRemove(v.ctx, o.ptr, n, v.key)
}

/**
 * setTypeDup (COPY): an intset is copied byte for byte; a hashtable set is rebuilt by
 * setTypeAdd into a dict pre-sized to the source size.
 */
export function setTypeDup(v: ValueRef, o: SetObject): SetObject {
  if (o.encoding === 'intset') {
    const is: Intset = {
      encoding: o.ptr.encoding,
      length: o.ptr.length,
      contents: o.ptr.contents.slice(),
    }
    return createObject(v.srv, 'set', 'intset', is)
  }
  const set = createSetObject(v)
  dictExpand(v.ctx, setDict(set as ContainerObject<'set', 'hashtable'>), dictSize(o.ptr))
  for (const m of setTypeMembers(o)) setTypeAdd(v, set, m)
  return set
}

// --- Validation ---

/** Self-check: intset invariants, or dict invariants with null values. */
export function setTypeValidate(o: SetObject): string[] {
  if (o.encoding === 'intset') return intsetValidate(o.ptr)
  const errors = dictValidate(o.ptr)
  dictForEach(o.ptr, (member, value) => {
    if (value !== null) errors.push(`member ${member} has a value`)
  })
  return errors
}
