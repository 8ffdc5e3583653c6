/**
 * Permalinks: the whole scene (seed, config, log, tabs) compressed into the URL fragment,
 * `#s=<base64url(deflate(json))>`. The fragment never reaches a server, and opening the
 * link replays the log into a fresh engine, which rebuilds the same dataset and timeline.
 */
import { packText, unpackText } from './packed.ts'
import { parseSavedSession } from './persistence.ts'
import type { SavedSession } from './types.ts'

const TAG = 's='

/** Encodes a session as a URL fragment (without the leading '#'). */
export function encodePermalink(saved: SavedSession): string {
  return TAG + packText(JSON.stringify(saved))
}

/**
 * Whether a fragment is meant as a permalink (`#s=…`), readable or not: a link cut short
 * when it was copied decodes to null, and the learner is told so.
 */
export function looksLikePermalink(hash: string): boolean {
  return (hash.startsWith('#') ? hash.slice(1) : hash).startsWith(TAG)
}

/** Decodes a fragment (with or without '#'); null when it is not a valid permalink. */
export function decodePermalink(hash: string): SavedSession | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash
  if (!h.startsWith(TAG)) return null
  try {
    return parseSavedSession(JSON.parse(unpackText(h.slice(TAG.length))))
  } catch {
    return null
  }
}
