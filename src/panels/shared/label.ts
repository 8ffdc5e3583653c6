/**
 * Labels for keys and members drawn inside a diagram's boxes: the bytes decoded as UTF-8 (as
 * the narration and the console show them) and cut to what the box holds, by characters, so
 * a cut never splits an emoji in two.
 */
import { bytesToUtf8 } from '../../state/bytes.ts'

/** `bytes` as text, at most `max` characters; a longer one ends in '…' within the limit. */
export function boxLabel(bytes: string, max: number): string {
  const chars = Array.from(bytesToUtf8(bytes))
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('')
}
