/**
 * Permalinks: the whole scene (seed, config, log, tabs) compressed into the URL fragment,
 * `#s=<base64url(deflate(json))>`. The fragment never reaches a server, and opening the
 * link replays the log into a fresh engine, which rebuilds the same dataset and timeline.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate'
import { parseSavedSession } from './persistence.ts'
import type { SavedSession } from './types.ts'

const TAG = 's='

/** Encodes a session as a URL fragment (without the leading '#'). */
export function encodePermalink(saved: SavedSession): string {
  const bytes = deflateSync(strToU8(JSON.stringify(saved)), { level: 9 })
  return TAG + toBase64Url(bytes)
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
    const json = strFromU8(inflateSync(fromBase64Url(h.slice(TAG.length))))
    return parseSavedSession(JSON.parse(json))
  } catch {
    return null
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/')
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
