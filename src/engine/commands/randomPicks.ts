/**
 * The negative-count replies of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER (CASE 1 of
 * t_hash.c hrandfieldWithCountCommand, t_set.c srandmemberWithCountCommand and t_zset.c
 * zrandmemberWithCountCommand): independent picks, as many as asked. Redis adds each pick
 * to the client's output buffer as it makes it, and stops once the client is to be closed
 * for its output limits (`if (c->flags & CLIENT_CLOSE_ASAP) break;`), so
 * client-output-buffer-limit cuts a huge count short.
 *
 * The engine builds a reply in memory before the transport sends it: the picks are measured
 * as they come, on a ReplyMeter (replyList.ts), and the loop stops where Redis's would. With
 * nothing to stop it (no limit, or no transport: the browser), a reply of more than
 * MAX_RANDOM_REPLY_ELEMENTS is refused instead (ERR_RANDOM_REPLY_TOO_LARGE).
 */
import { ERR_RANDOM_REPLY_TOO_LARGE, MAX_RANDOM_REPLY_ELEMENTS, type Reply } from '../reply.ts'
import {
  replyMeterAdd,
  replyMeterAddBulk,
  replyMeterAddReply,
  type ReplyMeter,
} from '../replyList.ts'
import { replyMeterStart } from './connection.ts'
import type { CommandCall } from './spec.ts'

export interface RandomPicks {
  /** How many picks to make at most: the count, or fewer when the reply would be too long. */
  readonly limit: number
  /** The count asked for is over `limit`: unless the meter stops first, the reply is refused. */
  readonly cut: boolean
  readonly meter: ReplyMeter | null
  /** RESP3 nests each pick's two values in an array of its own. */
  readonly pairHeader: boolean
}

/**
 * Starts `count` picks of one value each, or two with `pairs` (a field and its value, a
 * member and its score); the error when the reply would be too long and nothing can stop
 * it. The array's header is measured (addReplyArrayLen).
 */
export function randomPicksStart(
  c: CommandCall,
  count: bigint,
  pairs: boolean,
): RandomPicks | Reply {
  const perPick = pairs ? 2n : 1n
  const meter = replyMeterStart(c.srv, c.client)
  const cut = count * perPick > BigInt(MAX_RANDOM_REPLY_ELEMENTS)
  if (cut && meter === null) return ERR_RANDOM_REPLY_TOO_LARGE
  const pairHeader = pairs && c.client.resp === 3
  if (meter !== null) {
    const elements = pairHeader ? count : count * perPick
    replyMeterAdd(meter, String(elements).length + 3)
  }
  const limit = cut ? MAX_RANDOM_REPLY_ELEMENTS / Number(perPick) : Number(count)
  return { limit, cut, meter, pairHeader }
}

/** Measures one pick (its value, and its second one for pairs); true once the client is to be closed. */
export function randomPickAdded(p: RandomPicks, value: string, second?: string | Reply): boolean {
  const m = p.meter
  if (m === null) return false
  if (p.pairHeader) replyMeterAdd(m, 4)
  replyMeterAddBulk(m, value.length)
  if (typeof second === 'string') replyMeterAddBulk(m, second.length)
  else if (second !== undefined) replyMeterAddReply(m, second)
  return m.closed
}

/** Whether the client is to be closed (the loop stops). */
export function randomPicksStopped(p: RandomPicks): boolean {
  return p.meter !== null && p.meter.closed
}

/** The reply once the loop is over: `reply`, or the error if it was cut and not stopped. */
export function randomPicksReply(p: RandomPicks, reply: Reply): Reply {
  return p.cut && !randomPicksStopped(p) ? ERR_RANDOM_REPLY_TOO_LARGE : reply
}
