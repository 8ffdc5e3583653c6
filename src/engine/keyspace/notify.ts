/**
 * Keyspace notifications (notify.c, 7.0.15): commands that change the keyspace publish, over
 * Pub/Sub, `__keyspace@<db>__:<key>` → event and `__keyevent@<db>__:<event>` → key.
 *
 * Design: `notify-keyspace-events` is parsed once into a bit set (srv.config.notifyKeyspaceEvents,
 * the server.h NOTIFY_* bits); every call site passes its class bit and a constant event
 * name, and notifyKeyspaceEvent returns after one bit test when that class is off. With the
 * default "" nothing is allocated: the channel names are built only when a message goes out.
 * Delivery is PUBLISH's (pubsub.ts pubsubPublishGlobal): channel subscribers, then pattern
 * subscribers, each message pushed like a PUBLISH's (and so traced as pubsub/published).
 *
 * Classes: K and E choose the channels; g $ l s h z x e t d n choose the events ('d', module
 * events, never fires here; 'n' is "new", a key added by dbAdd; 'm' is "keymiss", a read
 * lookup that found nothing). A is g$lshzxetd: 'm' and 'n' stay out of it, so "AKE" never
 * reports key misses nor new keys.
 *
 * The string form follows keyspaceEventsStringToFlags / keyspaceEventsFlagsToString: the
 * input is read as a C string (up to a NUL), any other character is an error, and the
 * canonical form prints A (or the classes in g$lshzxetdn order), then K, E, m.
 */
import type { ExecContext } from '../context.ts'
import type { ServerState } from '../state.ts'
import { pubsubPublishGlobal } from '../commands/pubsub.ts'

// --- Classes (server.h NOTIFY_*) ---

export const NOTIFY_KEYSPACE = 1 << 0
export const NOTIFY_KEYEVENT = 1 << 1
export const NOTIFY_GENERIC = 1 << 2
export const NOTIFY_STRING = 1 << 3
export const NOTIFY_LIST = 1 << 4
export const NOTIFY_SET = 1 << 5
export const NOTIFY_HASH = 1 << 6
export const NOTIFY_ZSET = 1 << 7
export const NOTIFY_EXPIRED = 1 << 8
export const NOTIFY_EVICTED = 1 << 9
export const NOTIFY_STREAM = 1 << 10
export const NOTIFY_KEY_MISS = 1 << 11
export const NOTIFY_MODULE = 1 << 13
export const NOTIFY_NEW = 1 << 14
export const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE

/** The class of each character keyspaceEventsStringToFlags accepts. */
const CLASS_OF_CHAR: Readonly<Record<string, number>> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
}

/** The classes keyspaceEventsFlagsToString prints when not all of A is set, in its order. */
const CLASS_CHARS: readonly (readonly [number, string])[] = [
  [NOTIFY_GENERIC, 'g'],
  [NOTIFY_STRING, '$'],
  [NOTIFY_LIST, 'l'],
  [NOTIFY_SET, 's'],
  [NOTIFY_HASH, 'h'],
  [NOTIFY_ZSET, 'z'],
  [NOTIFY_EXPIRED, 'x'],
  [NOTIFY_EVICTED, 'e'],
  [NOTIFY_STREAM, 't'],
  [NOTIFY_MODULE, 'd'],
  [NOTIFY_NEW, 'n'],
]

// --- String form ---

/**
 * notify.c keyspaceEventsStringToFlags: the OR of the classes named, or -1 when a character
 * names none. Reads up to the first NUL, as the C string it is in Redis.
 */
export function keyspaceEventsStringToFlags(classes: string): number {
  let flags = 0
  for (const ch of classes) {
    if (ch === '\0') break
    const bit = CLASS_OF_CHAR[ch]
    if (bit === undefined) return -1
    flags |= bit
  }
  return flags
}

/** notify.c keyspaceEventsFlagsToString: the canonical string CONFIG GET answers. */
export function keyspaceEventsFlagsToString(flags: number): string {
  let res = ''
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) res = 'A'
  else for (const [bit, ch] of CLASS_CHARS) if (flags & bit) res += ch
  if (flags & NOTIFY_KEYSPACE) res += 'K'
  if (flags & NOTIFY_KEYEVENT) res += 'E'
  if (flags & NOTIFY_KEY_MISS) res += 'm'
  return res
}

// --- Publishing ---

/**
 * notify.c notifyKeyspaceEvent: when `type`'s class is on, publishes `event` on the key's
 * keyspace channel (K) and `key` on the event's keyevent channel (E), in that order.
 * `event` is a constant name; nothing is built when the class is off.
 */
export function notifyKeyspaceEvent(
  srv: ServerState,
  ctx: ExecContext,
  type: number,
  event: string,
  key: string,
  dbid: number,
): void {
  const flags = srv.config.notifyKeyspaceEvents
  if (!(flags & type)) return
  if (flags & NOTIFY_KEYSPACE)
    pubsubPublishGlobal(srv, ctx, `__keyspace@${String(dbid)}__:${key}`, event)
  if (flags & NOTIFY_KEYEVENT)
    pubsubPublishGlobal(srv, ctx, `__keyevent@${String(dbid)}__:${event}`, key)
}
