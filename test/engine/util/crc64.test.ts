import { describe, expect, it } from 'vitest'
import { crc64, crc64ToBytesLE } from '../../../src/engine/util/crc64.ts'

describe('crc64 (Jones, reflected)', () => {
  it("gives crc64.c's test vector", () => {
    expect(crc64(0n, '123456789')).toBe(0xe9c6d914c4b8d9can)
    expect(
      crc64(
        0n,
        Uint8Array.from('123456789', (c) => c.charCodeAt(0)),
      ),
    ).toBe(0xe9c6d914c4b8d9can)
  })

  it('continues from a previous crc and is 0 for no data', () => {
    expect(crc64(0n, '')).toBe(0n)
    expect(crc64(crc64(0n, '1234'), '56789')).toBe(crc64(0n, '123456789'))
  })

  it('checksums a DUMP payload as redis-server 7.0.15 does', () => {
    // DUMP of SET k hello: type 0, "\x05hello", RDB version 10, then the CRC64 (LE).
    const body = '\x00\x05hello\n\x00'
    expect(crc64ToBytesLE(crc64(0n, body))).toBe('cr\xdfve4 \n')
  })
})
