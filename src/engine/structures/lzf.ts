/**
 * LZF compression — follows redis/src/lzf_c.c and lzf_d.c (liblzf 3.6 as Redis 7.0.15 builds
 * it: HLOG 16, VERY_FAST, not ULTRA_FAST, CHECK_INPUT).
 *
 * Redis compresses RDB strings longer than 20 bytes (rdbSaveLzfStringObject, when
 * `rdbcompression yes`) and the inner nodes of compressed quicklists with it. The output is a
 * sequence of
 *
 *     000LLLLL <L+1 bytes>          literal run of 1..32 bytes
 *     LLLooooo oooooooo             back reference: copy L+2 (3..8) bytes from o+1 back
 *     111ooooo LLLLLLLL oooooooo    back reference: copy L+9 bytes from o+1 back
 *
 * The compressor hashes each 3-byte window into a 65536-slot table of the last position seen
 * with that hash; a candidate within 8 KiB (MAX_OFF) whose 3 bytes really match becomes a
 * back reference, extended greedily up to 264 bytes (MAX_REF). After a match VERY_FAST
 * re-hashes only the last two positions of it. The byte format does not depend on the hash,
 * but WHICH matches are found does, so the exact IDX function, the `ref > in_data` rule (the
 * first byte is never a match source) and the output-room checks (a result that would not
 * fit in out_len bytes is "incompressible": 0) are all kept, so outputs are byte-identical.
 *
 * Not modelled: liblzf leaves its hash table uninitialised (INIT_HTAB 0), so stale slots from
 * an earlier call on the stack can point into the current input and, rarely, yield a
 * different (still valid) match. Here every call starts from an empty table.
 *
 * The table is reused across calls with a generation stamp instead of being cleared.
 */

// --- Constants ---

const HLOG = 16
const HSIZE = 1 << HLOG
const MAX_LIT = 1 << 5
const MAX_OFF = 1 << 13
const MAX_REF = (1 << 8) + (1 << 3)

// --- Hash table (positions + generation) ---

const htabPos = new Int32Array(HSIZE)
const htabGen = new Uint32Array(HSIZE)
let generation = 0

/** IDX(h) for VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), in 32-bit arithmetic. */
function lzfIdx(h: number): number {
  return ((h >>> (24 - HLOG)) - h * 5) & (HSIZE - 1)
}

// --- API ---

/**
 * Compresses `input` into at most `outLen` bytes — lzf_compress. Returns the compressed bytes,
 * or null when the result would not fit (Redis's 0: "incompressible").
 */
export function lzf_compress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length
  if (inLen === 0 || outLen <= 0) return null
  generation = (generation + 1) >>> 0
  if (generation === 0) {
    htabGen.fill(0)
    generation = 1
  }
  const gen = generation
  const out = new Uint8Array(outLen + 3)
  const inEnd = inLen
  const outEnd = outLen
  let ip = 0
  let op = 0
  let lit = 0
  op++ // start run

  const at = (i: number): number => input[i] ?? 0
  let hval = (at(ip) << 8) | at(ip + 1) // FRST
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | at(ip + 2)) >>> 0 // NEXT
    const slot = lzfIdx(hval)
    const ref = htabGen[slot] === gen ? (htabPos[slot] ?? -1) : -1
    htabGen[slot] = gen
    htabPos[slot] = ip
    const off = ip - ref - 1
    if (
      ref > 0 &&
      off >= 0 &&
      off < MAX_OFF &&
      at(ref + 2) === at(ip + 2) &&
      at(ref) === at(ip) &&
      at(ref + 1) === at(ip + 1)
    ) {
      // match found at ref
      let len = 2
      let maxlen = inEnd - ip - len
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null
      }
      out[op - lit - 1] = lit - 1 // stop run
      if (lit === 0) op-- // undo run if length is zero
      // The C loop compares 16 bytes unrolled when maxlen > 16, then one at a time.
      let mismatch = false
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++
          if (at(ref + len) !== at(ip + len)) {
            mismatch = true
            break
          }
        }
      }
      if (!mismatch) {
        do len++
        while (len < maxlen && at(ref + len) === at(ip + len))
      }
      len -= 2 // len is now #octets - 1
      ip++
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5)
      } else {
        out[op++] = (off >> 8) + (7 << 5)
        out[op++] = len - 7
      }
      out[op++] = off & 0xff
      lit = 0
      op++ // start run
      ip += len + 1
      if (ip >= inEnd - 2) break
      // VERY_FAST: re-hash the last two positions of the match.
      ip -= 2
      hval = (at(ip) << 8) | at(ip + 1)
      hval = ((hval << 8) | at(ip + 2)) >>> 0
      let s = lzfIdx(hval)
      htabGen[s] = gen
      htabPos[s] = ip
      ip++
      hval = ((hval << 8) | at(ip + 2)) >>> 0
      s = lzfIdx(hval)
      htabGen[s] = gen
      htabPos[s] = ip
      ip++
    } else {
      // one more literal byte we must copy
      if (op >= outEnd) return null
      lit++
      out[op++] = at(ip++)
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1 // stop run
        lit = 0
        op++ // start run
      }
    }
  }
  if (op + 3 > outEnd) return null // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++
    out[op++] = at(ip++)
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1
      lit = 0
      op++
    }
  }
  out[op - lit - 1] = lit - 1 // end run
  if (lit === 0) op-- // undo run if length is zero
  return out.slice(0, op)
}

/**
 * Decompresses `input` into exactly `outLen` bytes — lzf_decompress. Returns the bytes, or
 * null on corrupt input (a run past either end, a reference before the start) or when the
 * output is not exactly `outLen` long (what rdbLoadLzfStringObject checks).
 */
export function lzf_decompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen)
  const inEnd = input.length
  let ip = 0
  let op = 0
  while (ip < inEnd) {
    let ctrl = input[ip++] ?? 0
    if (ctrl < 1 << 5) {
      // literal run
      ctrl++
      if (op + ctrl > outLen) return null
      if (ip + ctrl > inEnd) return null
      out.set(input.subarray(ip, ip + ctrl), op)
      op += ctrl
      ip += ctrl
    } else {
      // back reference
      let len = ctrl >> 5
      let ref = op - ((ctrl & 0x1f) << 8) - 1
      if (ip >= inEnd) return null
      if (len === 7) {
        len += input[ip++] ?? 0
        if (ip >= inEnd) return null
      }
      ref -= input[ip++] ?? 0
      if (op + len + 2 > outLen) return null
      if (ref < 0) return null
      len += 2
      // Byte by byte: the areas may overlap (a run repeating its own output).
      while (len-- > 0) out[op++] = out[ref++] ?? 0
    }
  }
  return op === outLen ? out : null
}
