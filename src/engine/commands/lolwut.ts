/**
 * LOLWUT — follows redis/src/lolwut.c, lolwut5.c and lolwut6.c (7.0.15).
 *
 * Design: 7.0's own LOLWUT prints only its version; VERSION 5 draws Georg Nees's "Schotter"
 * (squares that rotate and drift more row by row) in Braille characters, VERSION 6 a city
 * skyline in the four grays of an 8-bit console. Both draw on a canvas of one byte per pixel
 * and render it as text. Redis takes its randomness from libc rand(); here it comes from the
 * engine's seeded generator (rngRandom, 31 bits like glibc's rand()), so the pictures differ
 * from Redis's run to run exactly as two Redis processes differ from each other, while the
 * arguments, limits, canvas sizes and every picture that draws no random number (Schotter
 * with at most two rows of squares, a skyline one row tall) come out byte for byte. Float
 * arithmetic is done in single precision (Math.fround) where Redis uses `float`, and the
 * squares' corners go through libm's sin and cos as Redis's do.
 */

import type { Reply } from '../reply.ts'
import { verbatimReply } from '../reply.ts'
import { rngRandom } from '../rng.ts'
import { libmCos, libmSin } from '../util/libm.ts'
import { eqIgnoreCase, getLongOrReply } from './parse.ts'
import type { CommandCall } from './spec.ts'

const REDIS_VERSION = '7.0.15'

/** lolwut.h lwCanvas: width × height pixels, one byte (a color) each. */
interface Canvas {
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
}

/** C's round(): halves away from zero. */
function cRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x)
}

/** A float converted to int: truncated toward zero. */
function toInt(x: number): number {
  return Math.trunc(x)
}

// --- Canvas (lolwut.c) ---

function lwCreateCanvas(width: number, height: number, bgcolor: number): Canvas {
  return { width, height, pixels: new Uint8Array(width * height).fill(bgcolor) }
}

/** lwDrawPixel: writes outside the canvas are ignored. */
function lwDrawPixel(canvas: Canvas, x: number, y: number, color: number): void {
  if (x < 0 || x >= canvas.width || y < 0 || y >= canvas.height) return
  canvas.pixels[x + y * canvas.width] = color
}

/** lwGetPixel: 0 outside the canvas. */
function lwGetPixel(canvas: Canvas, x: number, y: number): number {
  if (x < 0 || x >= canvas.width || y < 0 || y >= canvas.height) return 0
  return canvas.pixels[x + y * canvas.width] ?? 0
}

/** lwDrawLine: Bresenham from (x1, y1) to (x2, y2). */
function lwDrawLine(
  canvas: Canvas,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: number,
): void {
  const dx = Math.abs(x2 - x1)
  const dy = Math.abs(y2 - y1)
  const sx = x1 < x2 ? 1 : -1
  const sy = y1 < y2 ? 1 : -1
  let err = dx - dy
  for (;;) {
    lwDrawPixel(canvas, x1, y1, color)
    if (x1 === x2 && y1 === y2) break
    const e2 = err * 2
    if (e2 > -dy) {
      err -= dy
      x1 += sx
    }
    if (e2 < dx) {
      err += dx
      y1 += sy
    }
  }
}

/**
 * lwDrawSquare: the four corners are points of a circle (sin k, cos k) from k = π/4 + angle
 * in steps of π/2, scaled by size/√2 (rounded) and moved to (x, y). `size` and `angle` are
 * floats, k too.
 */
function lwDrawSquare(
  canvas: Canvas,
  x: number,
  y: number,
  size: number,
  angle: number,
  color: number,
): void {
  size = Math.fround(cRound(Math.fround(size / 1.4142135623)))
  const px: number[] = []
  const py: number[] = []
  let k = Math.fround(Math.PI / 4 + angle)
  for (let j = 0; j < 4; j++) {
    px.push(cRound(libmSin(k) * size + x))
    py.push(cRound(libmCos(k) * size + y))
    k = Math.fround(k + Math.PI / 2)
  }
  for (let j = 0; j < 4; j++) {
    const n = (j + 1) % 4
    lwDrawLine(canvas, px[j] ?? 0, py[j] ?? 0, px[n] ?? 0, py[n] ?? 0, color)
  }
}

// --- LOLWUT 5: Schotter (lolwut5.c) ---

/** lwDrawSchotter: squares_per_row × squares_per_col squares, disordered below row 1. */
function lwDrawSchotter(
  c: CommandCall,
  consoleCols: number,
  squaresPerRow: number,
  squaresPerCol: number,
): Canvas {
  const f = Math.fround
  const canvasWidth = consoleCols * 2
  const padding = canvasWidth > 4 ? 2 : 0
  const squareSide = f((canvasWidth - padding * 2) / squaresPerRow)
  const canvasHeight = toInt(f(f(squareSide * squaresPerCol) + padding * 2))
  const canvas = lwCreateCanvas(canvasWidth, canvasHeight, 0)
  const randMax = f(2147483647)
  const randomShare = (y: number): number =>
    f(f(f(f(rngRandom(c.ctx.rng)) / randMax) / squaresPerCol) * y)
  for (let y = 0; y < squaresPerCol; y++) {
    for (let x = 0; x < squaresPerRow; x++) {
      let sx = toInt(f(f(f(x * squareSide) + squareSide / 2) + padding))
      let sy = toInt(f(f(f(y * squareSide) + squareSide / 2) + padding))
      // Rotate and translate randomly as we go down to lower rows.
      let angle = 0
      if (y > 1) {
        let r1 = randomShare(y)
        let r2 = randomShare(y)
        let r3 = randomShare(y)
        if (rngRandom(c.ctx.rng) % 2) r1 = -r1
        if (rngRandom(c.ctx.rng) % 2) r2 = -r2
        if (rngRandom(c.ctx.rng) % 2) r3 = -r3
        angle = r1
        sx = toInt(f(sx + f(f(r2 * squareSide) / 3)))
        sy = toInt(f(sy + f(f(r3 * squareSide) / 3)))
      }
      lwDrawSquare(canvas, sx, sy, squareSide, angle, 1)
    }
  }
  return canvas
}

/**
 * lwTranslatePixelsGroup: the Braille character U+2800 + dots, UTF-8 encoded (three bytes),
 * for each of the 256 dot patterns.
 */
const BRAILLE = Array.from({ length: 256 }, (_, byte) => {
  const code = 0x2800 + byte
  return String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
})

/**
 * lolwut5.c renderCanvas: each 2×4 block of pixels is one Braille character (dot bits 0-2
 * down the left column, 3-5 down the right, 6 and 7 on the bottom row), rows of blocks
 * followed by a newline except when y lands on the last pixel row. Rows are joined, never
 * appended character by character: the largest canvas renders to some 300 MB.
 */
function renderBraille(canvas: Canvas): string {
  const rows: string[] = []
  const row: string[] = []
  for (let y = 0; y < canvas.height; y += 4) {
    row.length = 0
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0
      if (lwGetPixel(canvas, x, y)) byte |= 1 << 0
      if (lwGetPixel(canvas, x, y + 1)) byte |= 1 << 1
      if (lwGetPixel(canvas, x, y + 2)) byte |= 1 << 2
      if (lwGetPixel(canvas, x + 1, y)) byte |= 1 << 3
      if (lwGetPixel(canvas, x + 1, y + 1)) byte |= 1 << 4
      if (lwGetPixel(canvas, x + 1, y + 2)) byte |= 1 << 5
      if (lwGetPixel(canvas, x, y + 3)) byte |= 1 << 6
      if (lwGetPixel(canvas, x + 1, y + 3)) byte |= 1 << 7
      row.push(BRAILLE[byte] ?? '')
    }
    rows.push(y !== canvas.height - 1 ? `${row.join('')}\n` : row.join(''))
  }
  return rows.join('')
}

/** Parses optional long arguments in order (getLongFromObjectOrReply); an error stops. */
function parseLongs(args: readonly string[], defaults: number[]): number[] | Reply {
  const out = [...defaults]
  for (let i = 0; i < defaults.length && i + 1 < args.length; i++) {
    const v = getLongOrReply(args[i + 1] ?? '')
    if (typeof v !== 'bigint') return v
    // Only the clamped range below matters; a long far outside it clamps alike.
    out[i] = Number(v)
  }
  return out
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))

/** lolwut5Command: LOLWUT [columns] [squares-per-row] [squares-per-col], 66 8 12 by default. */
function lolwut5Command(c: CommandCall, args: readonly string[]): Reply {
  const parsed = parseLongs(args, [66, 8, 12])
  if (!Array.isArray(parsed)) return parsed
  const [cols = 66, perRow = 8, perCol = 12] = parsed
  const canvas = lwDrawSchotter(
    c,
    clamp(cols, 1, 1000),
    clamp(perRow, 1, 200),
    clamp(perCol, 1, 200),
  )
  const text = `${renderBraille(canvas)}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`
  return verbatimReply(c.client.resp, text)
}

// --- LOLWUT 6: skyline (lolwut6.c) ---

/**
 * lolwut6.c renderCanvas: each pixel is a space between the escape sequence of its gray
 * (foreground and background both, black for anything else) and a reset; rows joined by
 * newlines.
 */
const GRAY_CELLS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'].map(
  (ce) => `\x1b[${ce} \x1b[0m`,
)

function renderGrays(canvas: Canvas): string {
  const rows: string[] = []
  const row: string[] = []
  for (let y = 0; y < canvas.height; y++) {
    row.length = 0
    for (let x = 0; x < canvas.width; x++)
      row.push(GRAY_CELLS[lwGetPixel(canvas, x, y)] ?? GRAY_CELLS[0] ?? '')
    rows.push(row.join(''))
  }
  return rows.join('\n')
}

interface Skyscraper {
  xoff: number
  width: number
  height: number
  windows: boolean
  color: number
}

/**
 * generateSkyscraper: a block standing on the bottom row, its roof two pixels narrower on
 * each side; windows (two pixels wide, one tall, a random gray) on every other row and pair
 * of columns, away from the borders.
 */
function generateSkyscraper(c: CommandCall, canvas: Canvas, si: Skyscraper): void {
  const starty = canvas.height - 1
  const endy = starty - si.height + 1
  for (let y = starty; y >= endy; y--) {
    for (let x = si.xoff; x < si.xoff + si.width; x++) {
      if (y === endy && (x <= si.xoff + 1 || x >= si.xoff + si.width - 2)) continue
      let color = si.color
      if (
        si.windows &&
        x > si.xoff + 1 &&
        x < si.xoff + si.width - 2 &&
        y > endy + 1 &&
        y < starty - 1
      ) {
        const relx = x - (si.xoff + 1)
        const rely = y - (endy + 1)
        if (toInt(relx / 2) % 2 && rely % 2) {
          do {
            color = 1 + (rngRandom(c.ctx.rng) % 2)
          } while (color === si.color)
          if (relx % 2) color = lwGetPixel(canvas, x - 1, y)
        }
      }
      lwDrawPixel(canvas, x, y, color)
    }
  }
}

/**
 * generateSkyline: two passes of window-less buildings in the two grays (the lighter ones
 * behind), then black buildings with windows in front.
 */
function generateSkyline(c: CommandCall, canvas: Canvas): void {
  const rand = (): number => rngRandom(c.ctx.rng)
  const h = canvas.height
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width;) {
      offset += rand() % 8
      const width = 10 + (rand() % 9)
      const height =
        color === 2
          ? toInt(h / 2) + toInt((rand() % h) / 2)
          : toInt(h / 2) + toInt((rand() % h) / 3)
      generateSkyscraper(c, canvas, { xoff: offset, width, height, windows: false, color })
      offset += color === 2 ? toInt(width / 2) : width + 1
    }
  }
  for (let offset = -10; offset < canvas.width;) {
    offset += rand() % 8
    let width = 5 + (rand() % 14)
    if (width % 4) width += width % 3
    const height = toInt(h / 3) + toInt((rand() % h) / 2)
    generateSkyscraper(c, canvas, { xoff: offset, width, height, windows: true, color: 0 })
    offset += width + 5
  }
}

/** lolwut6Command: LOLWUT [columns] [rows], 80 × 20 by default. */
function lolwut6Command(c: CommandCall, args: readonly string[]): Reply {
  const parsed = parseLongs(args, [80, 20])
  if (!Array.isArray(parsed)) return parsed
  const [cols = 80, rows = 20] = parsed
  const canvas = lwCreateCanvas(clamp(cols, 1, 1000), clamp(rows, 1, 1000), 3)
  generateSkyline(c, canvas)
  const text =
    `${renderGrays(canvas)}\nDedicated to the 8 bit game developers of past and present.\n` +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`
  return verbatimReply(c.client.resp, text)
}

// --- The command (lolwut.c) ---

/**
 * lolwutCommand: LOLWUT [VERSION v] [args...]. The version is printed "%u.0.0" (a long cast
 * to unsigned int) and 5.x / 6.x pick those versions' art with the arguments after it;
 * anything else prints the running version.
 */
export function lolwutCommand(c: CommandCall): Reply {
  let v = REDIS_VERSION
  let args = c.argv
  if (c.argv.length >= 3 && eqIgnoreCase(c.argv[1], 'version')) {
    const ver = getLongOrReply(c.argv[2] ?? '')
    if (typeof ver !== 'bigint') return ver
    v = `${BigInt.asUintN(32, ver)}.0.0`
    args = [c.argv[0] ?? '', ...c.argv.slice(3)]
  }
  if (
    (v[0] === '5' && v[1] === '.' && v[2] !== '9') ||
    (v[0] === '4' && v[1] === '.' && v[2] === '9')
  )
    return lolwut5Command(c, args)
  if (
    (v[0] === '6' && v[1] === '.' && v[2] !== '9') ||
    (v[0] === '5' && v[1] === '.' && v[2] === '9')
  )
    return lolwut6Command(c, args)
  return verbatimReply(c.client.resp, `Redis ver. ${REDIS_VERSION}\n`)
}
