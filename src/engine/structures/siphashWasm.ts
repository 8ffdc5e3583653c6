/**
 * SipHash-1-2 in a tiny WebAssembly module (native 64-bit adds and rotates).
 *
 * WebAssembly is an ECMAScript host API (available in every browser, in workers and in Node),
 * not a DOM or Node API, so the engine stays pure. The module is assembled here, at load time,
 * from the readable instruction list below (no toolchain, no committed binary) and instantiated
 * synchronously (585 bytes: under the 4 KB Chrome allows a synchronous compile on the main
 * thread); where WebAssembly is missing or refuses to compile (a Content-Security-Policy
 * without 'wasm-unsafe-eval'), siphashWasmCreate returns null and siphash.ts keeps its JS path.
 *
 * Memory layout (little-endian, as the C code reads on x86-64):
 *   0–7   k0 (seed bytes 0–7)      8–15  k1 (seed bytes 8–15)
 *   16–23 the last 64-bit result   32–   the message bytes
 * The function `h(len)` hashes the `len` bytes at 32 and returns the low 32 bits (the high 32
 * are at 20). It reads up to 8 bytes past the message (the tail word, masked), so a message
 * fits in the one page of memory up to SIPHASH_WASM_MAX_LEN bytes; the caller hashes longer
 * ones in JS.
 */

// --- Encoding helpers ---

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}

/** Signed LEB128 of a 64-bit constant (read as int64). */
function sleb64(n: bigint): number[] {
  let v = BigInt.asIntN(64, n)
  const out: number[] = []
  for (;;) {
    const b = Number(v & 0x7fn)
    v >>= 7n
    // Done once the rest is all sign bits and this byte's bit 6 says the same sign.
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b)
      return out
    }
    out.push(b | 0x80)
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body]
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]
}

// --- Instructions (the subset used) ---

const I32 = 0x7f
const I64 = 0x7e
const localGet = (i: number): number[] => [0x20, i]
const localSet = (i: number): number[] => [0x21, i]
/** -64 ≤ n < 64 only (one LEB128 byte). */
const i32Const = (n: number): number[] => [0x41, n & 0x7f]
const i64Const = (n: bigint): number[] => [0x42, ...sleb64(n)]
const i64Load = (align3offset: number): number[] => [0x29, 3, ...uleb(align3offset)]
const i64Store = (offset: number): number[] => [0x37, 3, ...uleb(offset)]
const I64_ADD = 0x7c
const I64_SUB = 0x7d
const I64_AND = 0x83
const I64_OR = 0x84
const I64_XOR = 0x85
const I64_SHL = 0x86
const I64_ROTL = 0x89
const I64_EXTEND_I32_U = 0xad
const I32_WRAP_I64 = 0xa7
const I32_ADD = 0x6a
const I32_AND = 0x71
const I32_SHL = 0x74
const I32_GE_U = 0x4f
const BLOCK = [0x02, 0x40]
const LOOP = [0x03, 0x40]
const BR = 0x0c
const BR_IF = 0x0d
const END = 0x0b

// --- The function ---

// Locals: 0 = len (param); i32 1 = p, 2 = end; i64 3–6 = v0–v3, 7 = m.
const LEN = 0
const P = 1
const ENDP = 2
const V0 = 3
const V1 = 4
const V2 = 5
const V3 = 6
const M = 7
const DATA = 32

/** a += b */
const addTo = (a: number, b: number): number[] => [
  ...localGet(a),
  ...localGet(b),
  I64_ADD,
  ...localSet(a),
]
/** a = ROTL(a, n) ^ b */
const rotlXor = (a: number, n: number, b: number): number[] => [
  ...localGet(a),
  ...i64Const(BigInt(n)),
  I64_ROTL,
  ...localGet(b),
  I64_XOR,
  ...localSet(a),
]
/** a = ROTL(a, 32) */
const rotl32 = (a: number): number[] => [
  ...localGet(a),
  ...i64Const(0x20n),
  I64_ROTL,
  ...localSet(a),
]
/** a ^= b */
const xorInto = (a: number, b: number): number[] => [
  ...localGet(a),
  ...localGet(b),
  I64_XOR,
  ...localSet(a),
]

/** SIPROUND, as in siphash.c. */
const SIPROUND = [
  ...addTo(V0, V1),
  ...rotlXor(V1, 13, V0),
  ...rotl32(V0),
  ...addTo(V2, V3),
  ...rotlXor(V3, 16, V2),
  ...addTo(V0, V3),
  ...rotlXor(V3, 21, V0),
  ...addTo(V2, V1),
  ...rotlXor(V1, 17, V2),
  ...rotl32(V2),
]

/** v3 ^= m; SIPROUND; v0 ^= m */
const COMPRESS = [...xorInto(V3, M), ...SIPROUND, ...xorInto(V0, M)]

/** vN = load(at) ^ constant */
const initLane = (v: number, at: number, k: bigint): number[] => [
  ...i32Const(0),
  ...i64Load(at),
  ...i64Const(k),
  I64_XOR,
  ...localSet(v),
]

// Each line is one statement, as in the C code.
// prettier-ignore
const BODY = [
  2, 2, I32, 5, I64, // locals: 2 × i32 (p, end), 5 × i64 (v0–v3, m)
  ...initLane(V0, 0, 0x736f6d6570736575n), // v0 = k0 ^ "somepseu"
  ...initLane(V1, 8, 0x646f72616e646f6dn), // v1 = k1 ^ "dorandom"
  ...initLane(V2, 0, 0x6c7967656e657261n), // v2 = k0 ^ "lygenera"
  ...initLane(V3, 8, 0x7465646279746573n), // v3 = k1 ^ "tedbytes"
  ...localGet(LEN), ...i32Const(-8), I32_AND, ...i32Const(DATA), I32_ADD, ...localSet(ENDP), // end = DATA + (len & ~7)
  ...i32Const(DATA), ...localSet(P), // p = DATA
  // The full 8-byte words: while (p < end) { m = load(p); compress(m); p += 8 }
  ...BLOCK, ...LOOP,
  ...localGet(P), ...localGet(ENDP), I32_GE_U, BR_IF, 1,
  ...localGet(P), ...i64Load(0), ...localSet(M),
  ...COMPRESS,
  ...localGet(P), ...i32Const(8), I32_ADD, ...localSet(P),
  BR, 0, END, END,
  // m = (load(end) & ((1 << 8 * (len & 7)) - 1)) | (len << 56): the tail bytes and the length.
  ...localGet(ENDP), ...i64Load(0),
  ...i64Const(1n), ...localGet(LEN), ...i32Const(7), I32_AND, ...i32Const(3), I32_SHL, I64_EXTEND_I32_U, I64_SHL,
  ...i64Const(1n), I64_SUB, I64_AND,
  ...localGet(LEN), I64_EXTEND_I32_U, ...i64Const(56n), I64_SHL, I64_OR, ...localSet(M),
  ...COMPRESS,
  ...localGet(V2), ...i64Const(0xffn), I64_XOR, ...localSet(V2), // v2 ^= 0xff
  ...SIPROUND,
  ...SIPROUND,
  // m = v0 ^ v1 ^ v2 ^ v3; store it at 16; return its low half.
  ...localGet(V0), ...localGet(V1), I64_XOR, ...localGet(V2), I64_XOR, ...localGet(V3), I64_XOR, ...localSet(M),
  ...i32Const(0), ...localGet(M), ...i64Store(16),
  ...localGet(M), I32_WRAP_I64,
  END,
]

// --- API ---

/** The part of the WebAssembly API used here (tsconfig.engine.json loads no host typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: ModuleExports }
}

/** What this module exports: the hash function and its memory. */
interface ModuleExports {
  h: (len: number) => number
  m: { buffer: ArrayBuffer }
}

/** A compiled instance: the hash function and its memory. */
export interface SiphashWasm {
  /** Hashes bytes[32 .. 32 + len) with the seed at 0; returns the low 32 bits (as int32). */
  h: (len: number) => number
  /** The module's memory (one 64 KiB page, never grown). */
  bytes: Uint8Array
}

/** Bytes of memory (one page). */
const MEMORY_BYTES = 65536
/** Longest message the memory holds (the tail read goes up to 8 bytes past it). */
export const SIPHASH_WASM_MAX_LEN = MEMORY_BYTES - DATA - 8

/**
 * Compiles and instantiates the module, or returns null where WebAssembly is missing or
 * refuses (then the caller hashes in JS).
 */
export function siphashWasmCreate(): SiphashWasm | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  if (api === undefined) return null
  try {
    const inst = new api.Instance(new api.Module(siphashWasmBytes()))
    return { h: inst.exports.h, bytes: new Uint8Array(inst.exports.m.buffer) }
  } catch {
    return null
  }
}

/** The module's bytes. */
export function siphashWasmBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 1, I32, 1, I32]), // type 0: (i32) → i32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x01, 1, 1]), // memory 0: exactly one page
    ...section(7, [2, ...name('h'), 0x00, 0, ...name('m'), 0x02, 0]),
    ...section(10, [1, ...uleb(BODY.length), ...BODY]),
  ])
}
