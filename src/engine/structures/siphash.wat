;; SipHash-1-2 in WebAssembly, the same function as siphash12Low in siphash.ts (which is the
;; fallback where WebAssembly is missing and the reference the tests check this against).
;; Follows redis/src/siphash.c: one SIPROUND per 8-byte word (c = 1), the tail word with the
;; length in its top byte, then v2 ^= 0xff and two rounds (d = 2).
;;
;; Why WebAssembly: SipHash is 64-bit arithmetic, which JavaScript can only emulate with pairs
;; of int32 (an add is five operations, a rotate six); here every lane op is one native i64
;; instruction. Measured on a 9-byte key: ~40 ns in this module against ~90 ns in siphash.ts.
;;
;; Contract: the caller writes the key's bytes at offset 0 of `mem` and passes the seed as four
;; little-endian uint32 words (k0 = bytes 0-3 ... k3 = bytes 12-15) and the key's length. The
;; result is the low 32 bits of the 64-bit hash. Assemble with scripts/gen-siphash-wasm.mjs.
(module
  (memory (export "mem") 1)

  (func (export "siphash12Low")
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32) (param $len i32)
    (result i32)
    (local $k0 i64) (local $k1 i64)
    (local $v0 i64) (local $v1 i64) (local $v2 i64) (local $v3 i64)
    (local $m i64) (local $p i32) (local $end i32) (local $i i32) (local $rounds i32)
    (local.set $k0 (i64.or (i64.extend_i32_u (local.get $s0))
                           (i64.shl (i64.extend_i32_u (local.get $s1)) (i64.const 32))))
    (local.set $k1 (i64.or (i64.extend_i32_u (local.get $s2))
                           (i64.shl (i64.extend_i32_u (local.get $s3)) (i64.const 32))))
    (local.set $v0 (i64.xor (i64.const 0x736f6d6570736575) (local.get $k0)))
    (local.set $v1 (i64.xor (i64.const 0x646f72616e646f6d) (local.get $k1)))
    (local.set $v2 (i64.xor (i64.const 0x6c7967656e657261) (local.get $k0)))
    (local.set $v3 (i64.xor (i64.const 0x7465646279746573) (local.get $k1)))
    (local.set $end (i32.and (local.get $len) (i32.const -8)))
    ;; $p walks the message a word at a time. Below $end it loads a full word; at $end it builds
    ;; the tail word (the len & 7 last bytes, the length in the top byte); the two steps past
    ;; $end are the finalization rounds (m = 0, v2 ^= 0xff before the first). One SIPROUND body
    ;; serves them all.
    (local.set $rounds (i32.add (local.get $end) (i32.const 16)))
    (loop $round
      (if (i32.lt_u (local.get $p) (local.get $end))
        (then (local.set $m (i64.load (local.get $p))))
        (else
          (if (i32.eq (local.get $p) (local.get $end))
            (then
              (local.set $m (i64.shl (i64.extend_i32_u (local.get $len)) (i64.const 56)))
              (local.set $i (i32.const 0))
              (block $tail_done
                (loop $tail
                  (br_if $tail_done
                    (i32.ge_u (local.get $i) (i32.and (local.get $len) (i32.const 7))))
                  (local.set $m
                    (i64.or (local.get $m)
                      (i64.shl (i64.load8_u (i32.add (local.get $end) (local.get $i)))
                               (i64.extend_i32_u (i32.shl (local.get $i) (i32.const 3))))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $tail))))
            (else
              (local.set $m (i64.const 0))
              (if (i32.eq (local.get $p) (i32.add (local.get $end) (i32.const 8)))
                (then (local.set $v2 (i64.xor (local.get $v2) (i64.const 0xff)))))))))
      (local.set $v3 (i64.xor (local.get $v3) (local.get $m)))
      ;; SIPROUND
      (local.set $v0 (i64.add (local.get $v0) (local.get $v1)))
      (local.set $v1 (i64.xor (i64.rotl (local.get $v1) (i64.const 13)) (local.get $v0)))
      (local.set $v0 (i64.rotl (local.get $v0) (i64.const 32)))
      (local.set $v2 (i64.add (local.get $v2) (local.get $v3)))
      (local.set $v3 (i64.xor (i64.rotl (local.get $v3) (i64.const 16)) (local.get $v2)))
      (local.set $v0 (i64.add (local.get $v0) (local.get $v3)))
      (local.set $v3 (i64.xor (i64.rotl (local.get $v3) (i64.const 21)) (local.get $v0)))
      (local.set $v2 (i64.add (local.get $v2) (local.get $v1)))
      (local.set $v1 (i64.xor (i64.rotl (local.get $v1) (i64.const 17)) (local.get $v2)))
      (local.set $v2 (i64.rotl (local.get $v2) (i64.const 32)))
      (local.set $v0 (i64.xor (local.get $v0) (local.get $m)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $round (i32.le_u (local.get $p) (local.get $rounds))))
    (i32.wrap_i64
      (i64.xor (i64.xor (local.get $v0) (local.get $v1))
               (i64.xor (local.get $v2) (local.get $v3))))))
