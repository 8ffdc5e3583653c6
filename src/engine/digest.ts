/**
 * digest(): a fingerprint of the whole dataset and of the internal layout, for replay
 * checks (same seed + same command log ⇒ same digest).
 *
 * Unlike DEBUG DIGEST (which hashes only logical content), this also folds in what the
 * emulation must reproduce bit for bit: each db's dict table sizes, rehash index and the
 * bucket order of keys, every object's encoding, and the RNG state. Containers contribute
 * through registerDigester (their owner serialises the payload); until then only their
 * encoding is hashed.
 *
 * The hash is FNV-1a over the canonical text, kept as two 32-bit lanes (64 bits), printed
 * as 16 hex digits.
 */
import type { ServerState } from './state.ts'
import { dictGetKey, dictGetVal, dictNextEntry, NO_ENTRY, type Dict } from './structures/dict.ts'
import {
  stringObjectSds,
  type ContainerEncoding,
  type ContainerObject,
  type RedisObject,
} from './types/object.ts'

export type ContainerDigester = (o: ContainerObject) => string

const digesters = new Map<ContainerEncoding, ContainerDigester>()

/** Registers how a container encoding's payload is serialised for the digest. */
export function registerDigester(encoding: ContainerEncoding, fn: ContainerDigester): void {
  digesters.set(encoding, fn)
}

interface Fnv {
  h1: number
  h2: number
}

function fnvAdd(h: Fnv, s: string): void {
  let a = h.h1
  let b = h.h2
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 16777619) >>> 0
    b = Math.imul(b ^ (c + 0x9e), 16777619) >>> 0
    b = (b ^ (a >>> 13)) >>> 0
  }
  h.h1 = a
  h.h2 = b
}

function objectText(o: RedisObject): string {
  if (o.type === 'string') {
    if (o.encoding === 'int') return `int:${o.ptr.toString()}`
    const sds = stringObjectSds(o)
    return `${o.encoding}:${String(sds.alloc)}:${String(sds.type)}:${sds.buf}`
  }
  const fn = digesters.get(o.encoding)
  return `${o.type}:${o.encoding}:${fn === undefined ? '' : fn(o)}`
}

function dictDigest<V>(h: Fnv, d: Dict<V>, val: (v: V) => string): void {
  fnvAdd(h, `[${d.ref}|${String(d.sizeExp[0])}|${String(d.sizeExp[1])}|${String(d.rehashIdx)}]`)
  for (const table of d.table) {
    if (table === null) continue
    for (let i = 0; i < table.length; i++) {
      let e = table[i] as number
      if (e === NO_ENTRY) continue
      fnvAdd(h, `#${String(i)}`)
      while (e !== NO_ENTRY) {
        const key = dictGetKey(d, e)
        fnvAdd(h, `${String(key.length)}:${key}=`)
        fnvAdd(h, val(dictGetVal(d, e)))
        e = dictNextEntry(d, e)
      }
    }
  }
}

/** The server's digest: 16 hex digits. */
export function digestServer(srv: ServerState): string {
  const h: Fnv = { h1: 0x811c9dc5, h2: 0x01000193 }
  for (const db of srv.dbs) {
    dictDigest(h, db.dict, objectText)
    dictDigest(h, db.expires, (w) => String(w))
  }
  fnvAdd(
    h,
    `rng:${String(srv.rng.s0)},${String(srv.rng.s1)},${String(srv.rng.s2)},${String(srv.rng.s3)}`,
  )
  return h.h1.toString(16).padStart(8, '0') + h.h2.toString(16).padStart(8, '0')
}
