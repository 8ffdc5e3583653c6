/**
 * The bytes of the chunk being parsed, as the request parser reads them (resp.ts
 * RespChunkBytes): a flat string copy of a byte range, for every argument of 13 bytes or
 * more (shorter ones are slices of the query buffer string).
 *
 * Node's Buffer#latin1Slice does that copy in C++, but reaching it costs an API call (about
 * 130 ns here for a 16-byte key, most of it the call). String.fromCharCode with one argument
 * per byte builds the same flat one-byte string in V8's own builtin in about half that, up
 * to ~32 bytes; past that the native copy wins. The keys of a typical workload ("key:" plus
 * a 12-digit number, "counter:..." ) fall in that range, one per command.
 *
 * fromCharCode needs a call with exactly `n` arguments, so there is one small function per
 * length, generated once at load (the only dynamic code here: `b[o+0], ..., b[o+n-1]`).
 */
import type { RespChunkBytes } from '../engine/resp.ts'

/** Longest argument copied with fromCharCode (measured break-even with latin1Slice). */
export const FROM_CHAR_CODE_MAX = 32

/** The copy for each length from 0 to FROM_CHAR_CODE_MAX. */
type FlatCopy = (fromCharCode: (...codes: number[]) => string, b: Uint8Array, at: number) => string

const FLAT_COPIES: readonly FlatCopy[] = Array.from({ length: FROM_CHAR_CODE_MAX + 1 }, (_, n) => {
  const codes = Array.from({ length: n }, (_, i) => `b[at + ${i}]`).join(', ')
  return new Function('fromCharCode', 'b', 'at', `return fromCharCode(${codes})`) as FlatCopy
})

/** Node's Buffer, with latin1Slice (toString('latin1', ...) without the argument checks). */
export type Latin1Buffer = Buffer & RespChunkBytes

/** A RespChunkBytes over the bytes of `buf` (the transport points it at each chunk's buffer). */
export interface ChunkBytes extends RespChunkBytes {
  buf: Latin1Buffer
}

/** Creates a reader of `buf`'s bytes; point it at another buffer by setting `buf`. */
export function chunkBytesCreate(buf: Latin1Buffer): ChunkBytes {
  return {
    buf,
    latin1Slice(start: number, end: number): string {
      const n = end - start
      const copy = n <= FROM_CHAR_CODE_MAX ? FLAT_COPIES[n] : undefined
      return copy === undefined
        ? this.buf.latin1Slice(start, end)
        : copy(String.fromCharCode, this.buf, start)
    },
  }
}
