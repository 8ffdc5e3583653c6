import type { Dict } from '../structures/dict.ts'
import type { Zskiplist } from '../structures/skiplist.ts'

/** A skiplist-encoded sorted set: member → score dict plus the skiplist (server.h zset). */
export interface Zset {
  dict: Dict<number>
  zsl: Zskiplist
}
