import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../src/engine/util/sha256.ts'

// NIST FIPS 180-4 / CAVS example vectors.
describe('sha256Hex', () => {
  it('hashes the empty string', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
  it('hashes "abc" (one block)', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
  it('hashes the 448-bit message (padding spills into a second block)', () => {
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })
  it('hashes the 896-bit message', () => {
    expect(
      sha256Hex(
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      ),
    ).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1')
  })
  it('hashes one million "a"', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    )
  })
  it('hashes bytes above 0x7f as single bytes', () => {
    // printf '\xff\x00\x80' | sha256sum
    expect(sha256Hex('\xff\x00\x80')).toBe(sha256Hex(String.fromCharCode(255, 0, 128)))
    expect(sha256Hex('\xff')).toBe(
      'a8100ae6aa1940d0b663bb31cd466142ebbdbd5187131b92d93818987832eb89',
    )
  })
  it('hashes a password as Redis stores it', () => {
    // ACL SETUSER u >foobar; ACL GETUSER u → passwords
    expect(sha256Hex('foobar')).toBe(
      'c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2',
    )
  })
})
