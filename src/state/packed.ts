/**
 * Text packed small: deflated and written in base64url. Permalinks carry a session this
 * way in the URL, and the stash at unload does when the session's JSON would not fit in
 * localStorage (a pasted 5 MB argument).
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate'

/** `text` deflated, in base64url (no padding). */
export function packText(text: string, level: 1 | 6 | 9 = 9): string {
  return toBase64Url(deflateSync(strToU8(text), { level }))
}

/** The text `packed` holds; throws when it is not packed text. */
export function unpackText(packed: string): string {
  return strFromU8(inflateSync(fromBase64Url(packed)))
}

function toBase64Url(bytes: Uint8Array): string {
  // In slices: one String.fromCharCode per byte built a megabyte's string a character at a
  // time, and spreading the whole array would overflow the stack.
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/')
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
