/**
 * LOLWUT VERSION 5 / 6 (lolwut5.c, lolwut6.c): the pictures Redis draws with rand() cannot
 * be compared with redis-server's byte for byte (scripts/fuzz-fixes-5.redis compares the
 * ones that draw no random number), so here: their size and captions, the seeded engine
 * drawing the same picture for the same seed, and one 2×4-pixel Braille block checked by hand.
 */
import { describe, expect, it } from 'vitest'
import { createTestEngine } from '../../harness/TestEngine.ts'
import { bytesToUtf8 } from '../../../src/engine/bytes.ts'

const ESC = String.fromCharCode(27)

function text(argv: string[], seed = 1): string {
  const reply = createTestEngine({ seed }).exec(...argv)
  if (reply.type !== 'bulk' || reply.value === null) throw new Error('not a bulk')
  return bytesToUtf8(reply.value)
}

describe('LOLWUT', () => {
  it('draws Schotter in Braille: 66 columns, 12 rows of squares', () => {
    const lines = text(['LOLWUT', 'VERSION', '5']).split('\n')
    // square_side = 128/8 = 16 pixels, canvas 132 × (16·12 + 4) = 196 pixels: 49 text rows,
    // each ending in a newline (the row index steps by 4 and never equals height − 1).
    expect(lines).toHaveLength(49 + 3)
    for (const l of lines.slice(0, 49)) expect(l).toMatch(/^[\u2800-\u28ff]{66}$/)
    expect(lines[49]).toBe('')
    expect(lines[50]).toBe('Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15')
  })

  it('draws one square on a 2×2 canvas as the 0,0 / 1,0 / 0,1 dots', () => {
    expect(text(['LOLWUT', 'VERSION', '5', '1', '1', '1'])).toBe(
      '\u280b\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n',
    )
  })

  it('draws the skyline in four grays: 80 × 20 by default', () => {
    const lines = text(['LOLWUT', 'VERSION', '6']).split('\n')
    expect(lines).toHaveLength(20 + 3)
    for (const l of lines.slice(0, 20))
      // Each pixel is a space between a gray's escape sequence and the reset (ESC shown as ^).
      expect(l.replaceAll(ESC, '^')).toMatch(/^(\^\[0;(30;40|90;100|37;47|97;107)m \^\[0m){80}$/)
    expect(lines[21]).toBe('Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15')
  })

  it('takes its randomness from the seeded generator', () => {
    expect(text(['LOLWUT', 'VERSION', '6'], 7)).toBe(text(['LOLWUT', 'VERSION', '6'], 7))
    expect(text(['LOLWUT', 'VERSION', '5'], 7)).toBe(text(['LOLWUT', 'VERSION', '5'], 7))
    expect(text(['LOLWUT', 'VERSION', '6'], 7)).not.toBe(text(['LOLWUT', 'VERSION', '6'], 8))
  })
})
