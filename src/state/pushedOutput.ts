/**
 * The output the server pushed to a connection outside request and reply (protocol.ts
 * WireOutput: RESP2 or, for a client after HELLO 3, RESP3 bytes, as a socket would carry
 * them), cut into console lines:
 *
 * - a status line (`+...`, MONITOR's report of a command) becomes a 'monitor' line with the
 *   text after '+', as redis-cli prints a status reply;
 * - any other whole reply (a Pub/Sub `message` or `pmessage` array or RESP3 push, a blocked
 *   command's late reply) becomes a 'reply' line, which the console formats as redis-cli would
 *   print it;
 * - bytes that do not parse are shown as they came, one line each, so nothing is lost silently.
 */
import type { Reply } from '../engine/reply.ts'
import type { ConsoleLine } from './types.ts'

/** Cuts pushed RESP2/RESP3 output into console lines (see the file comment). */
export function pushedLines(text: string): ConsoleLine[] {
  const lines: ConsoleLine[] = []
  let pos = 0
  while (pos < text.length) {
    if (text[pos] === '+') {
      const end = lineEnd(text, pos)
      lines.push({ kind: 'monitor', text: text.slice(pos + 1, end) })
      pos = end + 2
      continue
    }
    const read = readReply(text, pos)
    if (read === null) {
      // Not RESP: the rest as it came.
      const parts = text.slice(pos).split('\r\n')
      if (parts.at(-1) === '') parts.pop()
      for (const p of parts) lines.push({ kind: 'monitor', text: p })
      break
    }
    lines.push({ kind: 'reply', reply: read.reply })
    pos = read.next
  }
  return lines
}

/** The index of the CR ending the line at `pos` (the text's end when there is none). */
function lineEnd(text: string, pos: number): number {
  const end = text.indexOf('\r\n', pos)
  return end < 0 ? text.length : end
}

/** Reads one RESP2 or RESP3 reply at `pos`; null when the bytes there are not one. */
function readReply(text: string, pos: number): { reply: Reply; next: number } | null {
  const end = text.indexOf('\r\n', pos)
  if (end < 0) return null
  const head = text.slice(pos + 1, end)
  const next = end + 2
  switch (text[pos]) {
    case '+':
      return { reply: { type: 'simple', value: head }, next }
    case '-':
      return { reply: { type: 'error', value: head }, next }
    case ':':
      return /^-?\d+$/.test(head) ? { reply: { type: 'integer', value: Number(head) }, next } : null
    case '$': {
      const n = Number(head)
      if (!Number.isInteger(n)) return null
      if (n < 0) return { reply: { type: 'bulk', value: null }, next }
      if (text.slice(next + n, next + n + 2) !== '\r\n') return null
      return { reply: { type: 'bulk', value: text.slice(next, next + n) }, next: next + n + 2 }
    }
    case '*': {
      const n = Number(head)
      if (!Number.isInteger(n)) return null
      if (n < 0) return { reply: { type: 'array', value: null }, next }
      const read = readItems(text, next, n)
      return read && { reply: { type: 'array', value: read.items }, next: read.next }
    }
    case '%':
    case '~':
    case '>': {
      const n = Number(head)
      if (!Number.isInteger(n) || n < 0) return null
      const read = readItems(text, next, text[pos] === '%' ? n * 2 : n)
      const type = text[pos] === '%' ? 'map' : text[pos] === '~' ? 'set' : 'push'
      return read && { reply: { type, value: read.items }, next: read.next }
    }
    case ',':
      return { reply: { type: 'double', value: head }, next }
    case '#':
      return head === 't' || head === 'f'
        ? { reply: { type: 'bool', value: head === 't' }, next }
        : null
    case '_':
      return { reply: { type: 'null', value: null }, next }
    case '(':
      return { reply: { type: 'bignum', value: head }, next }
    case '=': {
      const n = Number(head)
      if (!Number.isInteger(n) || n < 4 || text.slice(next + n, next + n + 2) !== '\r\n')
        return null
      const reply: Reply = {
        type: 'verbatim',
        format: text.slice(next, next + 3),
        value: text.slice(next + 4, next + n),
      }
      return { reply, next: next + n + 2 }
    }
    default:
      return null
  }
}

/** Reads `n` replies in a row (an aggregate's elements); null when they are not all there. */
function readItems(text: string, pos: number, n: number): { items: Reply[]; next: number } | null {
  const items: Reply[] = []
  let at = pos
  for (let i = 0; i < n; i++) {
    const item = readReply(text, at)
    if (item === null) return null
    items.push(item.reply)
    at = item.next
  }
  return { items, next: at }
}
