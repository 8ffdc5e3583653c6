/**
 * Simple Dynamic Strings — follows redis/src/sds.c (7.0.15), sized with jemalloc.
 *
 * Every Redis string (keys, raw values, hash fields, set members in hashtables) is an sds:
 * a header just before a NUL-terminated byte buffer. The header records the length and the
 * allocated capacity, so appends can run in amortised O(1) and the length is O(1). Five
 * header types trade header size for maximum length: type 5 (1 byte, len < 32, no capacity
 * field), 8 (3 bytes), 16 (5), 32 (9), 64 (17).
 *
 * Sizing (7.0): after each malloc/realloc the allocator's usable size is recorded, so the
 * jemalloc slack becomes free space: alloc = usable − header − 1, capped at the type max.
 * Growth is greedy: the needed length is doubled below 1 MiB, or grown by 1 MiB above, and
 * a growing string never uses type 5 (it cannot remember free space).
 *
 * Representation here: `buf` holds the bytes (a byte string, len = buf.length), `alloc` the
 * capacity the header records (for type 5 it is always len, as sdsalloc() reports), `type`
 * the header type. Functions return a new Sds like the C API returns a new pointer; callers
 * must use the result.
 *
 * Invariants (see sdsValidate): len <= alloc <= the type's maximum; type 5 iff no room is
 * recorded (alloc == len); every code unit is a byte.
 *
 * Emits no events itself: callers (t_string APPEND) report sds/grown from the returned rule.
 */
import type { SdsGrowthRule, SdsType } from '../events.ts'
import { jemallocSizeClass } from './jemalloc.ts'

export type { SdsGrowthRule, SdsType } from '../events.ts'

// --- Types ---

/** An sds string: its bytes, the capacity its header records, and the header type. */
export interface Sds {
  buf: string
  alloc: number
  type: SdsType
}

// --- Constants ---

/** Greedy growth doubles below this length and adds this much above (1 MiB). */
export const SDS_MAX_PREALLOC = 1024 * 1024

// --- Header types ---

/** Returns the smallest header type that can hold a string of `len` bytes (sdsReqType). */
export function sdsReqType(len: number): SdsType {
  if (len < 32) return 5
  if (len < 256) return 8
  if (len < 65536) return 16
  if (len < 4294967296) return 32
  return 64
}

/** Returns the header size in bytes of a type: 1, 3, 5, 9 or 17. */
export function sdsHdrSize(type: SdsType): number {
  switch (type) {
    case 5:
      return 1
    case 8:
      return 3
    case 16:
      return 5
    case 32:
      return 9
    case 64:
      return 17
  }
}

/** Returns the largest length (and capacity) a header type can record (sdsTypeMaxSize). */
export function sdsTypeMaxSize(type: SdsType): number {
  switch (type) {
    case 5:
      return 31
    case 8:
      return 255
    case 16:
      return 65535
    case 32:
      return 4294967295
    case 64:
      return Number.MAX_SAFE_INTEGER
  }
}

// --- Creation ---

/**
 * Creates an sds holding `s` (sdsnewlen): type by length (an empty string gets type 8 so it
 * can grow), capacity from the jemalloc usable size of header + len + 1.
 */
export function sdsNewLen(s: string): Sds {
  const len = s.length
  let type = sdsReqType(len)
  if (type === 5 && len === 0) type = 8
  return { buf: s, alloc: usableAlloc(type, len), type }
}

/** Creates an empty sds (type 8, capacity from the 8-byte class: 4). */
export function sdsEmpty(): Sds {
  return sdsNewLen('')
}

/** Duplicates an sds (sdsdup): a fresh, tightly sized sds of the same bytes. */
export function sdsDup(s: Sds): Sds {
  return sdsNewLen(s.buf)
}

/** The capacity recorded after allocating header + wanted + 1 bytes for `type`. */
function usableAlloc(type: SdsType, wanted: number): number {
  if (type === 5) return wanted
  const hdr = sdsHdrSize(type)
  const usable = jemallocSizeClass(hdr + wanted + 1) - hdr - 1
  const max = sdsTypeMaxSize(type)
  return usable > max ? max : usable
}

// --- Accessors ---

/** Returns the length in bytes. */
export function sdsLen(s: Sds): number {
  return s.buf.length
}

/** Returns the free space after the string (sdsavail; 0 for type 5). */
export function sdsAvail(s: Sds): number {
  return s.type === 5 ? 0 : s.alloc - s.buf.length
}

/** Returns header + alloc + 1: the bytes the sds asked the allocator for (sdsAllocSize). */
export function sdsAllocSize(s: Sds): number {
  return sdsHdrSize(s.type) + (s.type === 5 ? s.buf.length : s.alloc) + 1
}

/**
 * Returns the usable size of the sds's allocation, what zmalloc counts (sdsZmallocSize):
 * the jemalloc class of sdsAllocSize. (Not meaningful for an embstr's sds, which lives
 * inside the object's allocation.)
 */
export function sdsZmallocSize(s: Sds): number {
  return jemallocSizeClass(sdsAllocSize(s))
}

// --- Growth ---

/**
 * Ensures room for `addlen` more bytes (_sdsMakeRoomFor). If the free space suffices the sds
 * is returned unchanged ('fits'). Otherwise the needed length is doubled below 1 MiB
 * ('doubled') or grown by 1 MiB ('plus1mb'), or kept exact when not greedy ('exact'); the
 * header type is chosen for that length (never type 5), and the capacity is taken from the
 * jemalloc usable size. The bytes are unchanged.
 */
export function sdsMakeRoomFor(
  s: Sds,
  addlen: number,
  greedy = true,
): { sds: Sds; rule: SdsGrowthRule } {
  const room = sdsRoomFor(s.buf.length, s.alloc, s.type, addlen, greedy)
  if (room.rule === 'fits') return { sds: s, rule: 'fits' }
  return { sds: { buf: s.buf, alloc: room.alloc, type: room.type }, rule: room.rule }
}

/**
 * sdsMakeRoomFor's sizing for an sds of `len` bytes, capacity `alloc` and header `type`,
 * without its bytes (for code that edits a copy of them, as HyperLogLog does): the capacity
 * and header type after making room for `addlen` more bytes, and the rule that applied.
 */
export function sdsRoomFor(
  len: number,
  alloc: number,
  type: SdsType,
  addlen: number,
  greedy = true,
): { alloc: number; type: SdsType; rule: SdsGrowthRule } {
  if ((type === 5 ? 0 : alloc - len) >= addlen) return { alloc, type, rule: 'fits' }
  let newlen = len + addlen
  let rule: SdsGrowthRule = 'exact'
  if (greedy) {
    if (newlen < SDS_MAX_PREALLOC) {
      newlen *= 2
      rule = 'doubled'
    } else {
      newlen += SDS_MAX_PREALLOC
      rule = 'plus1mb'
    }
  }
  let newType = sdsReqType(newlen)
  if (newType === 5) newType = 8
  return { alloc: usableAlloc(newType, newlen), type: newType, rule }
}

/** Appends the bytes `t` (sdscatlen), growing greedily when needed. */
export function sdsCatLen(s: Sds, t: string): Sds {
  const grown = sdsMakeRoomFor(s, t.length).sds
  return { buf: grown.buf + t, alloc: grown.alloc, type: grown.type }
}

/** Appends the bytes `t` (sdscat; same as sdsCatLen for byte strings). */
export function sdsCat(s: Sds, t: string): Sds {
  return sdsCatLen(s, t)
}

/**
 * Grows the string to `len` bytes, padding with NUL bytes (sdsgrowzero, used by SETRANGE
 * and SETBIT); greedy like sdsMakeRoomFor. No-op when already that long.
 */
export function sdsGrowZero(s: Sds, len: number): Sds {
  const cur = s.buf.length
  if (len <= cur) return s
  const grown = sdsMakeRoomFor(s, len - cur).sds
  return { buf: grown.buf + '\0'.repeat(len - cur), alloc: grown.alloc, type: grown.type }
}

// --- Shrinking ---

/**
 * Resizes the allocation to exactly `size` bytes of capacity (sdsResize), truncating the
 * string if shorter. Returns `s` unchanged when its capacity is already `size`. The header
 * type is the smallest that fits `size` (type 8 instead of 5 when `wouldRegrow`), but the
 * old header is kept (realloc in place) when the type is unchanged or when shrinking to a
 * type above 8. Capacity is set to `size` exactly (not the usable size), as in 7.0.15.
 */
export function sdsResize(s: Sds, size: number, wouldRegrow = false): Sds {
  if ((s.type === 5 ? s.buf.length : s.alloc) === size) return s
  const buf = size < s.buf.length ? s.buf.slice(0, size) : s.buf
  const newType = sdsResizeType(s.type, size, wouldRegrow)
  return { buf, alloc: newType === 5 ? buf.length : size, type: newType }
}

/**
 * The header type sdsResize leaves a `type` sds resized to `size` bytes with: the smallest
 * that fits (8 rather than 5 when `wouldRegrow`), unless realloc keeps the old one (same type,
 * or shrinking to a type above 8).
 */
export function sdsResizeType(type: SdsType, size: number, wouldRegrow: boolean): SdsType {
  let fit = sdsReqType(size)
  if (wouldRegrow && fit === 5) fit = 8
  return type === fit || (fit < type && fit > 8) ? type : fit
}

/**
 * Drops the free space (sdsRemoveFreeSpace): capacity becomes the length, possibly with a
 * smaller header (type 5 for short strings unless `wouldRegrow`). trimStringObjectIfNeeded
 * calls it with wouldRegrow = false.
 */
export function sdsRemoveFreeSpace(s: Sds, wouldRegrow = false): Sds {
  return sdsResize(s, s.buf.length, wouldRegrow)
}

// --- Validation ---

/** Returns the broken invariants of `s` (empty when healthy). */
export function sdsValidate(s: Sds): string[] {
  const errs: string[] = []
  const len = s.buf.length
  if (![5, 8, 16, 32, 64].includes(s.type)) {
    errs.push(`unknown sds type ${String(s.type)}`)
    return errs
  }
  const max = sdsTypeMaxSize(s.type)
  if (len > max) errs.push(`len ${len} exceeds type ${s.type} max ${max}`)
  if (s.type === 5) {
    if (s.alloc !== len) errs.push(`type 5 records no capacity, but alloc ${s.alloc} != len ${len}`)
  } else {
    if (!Number.isInteger(s.alloc)) errs.push(`alloc ${s.alloc} is not an integer`)
    if (s.alloc < len) errs.push(`alloc ${s.alloc} < len ${len}`)
    if (s.alloc > max) errs.push(`alloc ${s.alloc} exceeds type ${s.type} max ${max}`)
  }
  for (let i = 0; i < len; i++) {
    if (s.buf.charCodeAt(i) > 0xff) {
      errs.push(`code unit ${i} is not a byte`)
      break
    }
  }
  return errs
}

/** sdstrim: every character in `chars` cut from both ends of `s`. */
export function sdstrim(s: string, chars: string): string {
  let a = 0
  let b = s.length
  while (a < b && chars.includes(s[a] as string)) a++
  while (b > a && chars.includes(s[b - 1] as string)) b--
  return s.slice(a, b)
}
