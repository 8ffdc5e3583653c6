/**
 * The skiplist panel's model and layout (pure). Nodes in score order, each a tower of
 * `level` forward pointers. Spans are not stored in the model: they follow from the order
 * and the levels (teacher's note: the span of level i of the node at rank r is the distance
 * to the next node whose tower reaches level i, or length − r when there is none; that is
 * exactly what zslInsert's update[]/rank[] bookkeeping maintains, and why summing spans along
 * a search path gives a node's rank).
 */
import type { StepEvent } from '../../engine/events.ts'
import type { SkiplistView } from '../../engine/inspectContainers.ts'

export interface ZNode {
  readonly member: string
  readonly score: number
  readonly level: number
}

export interface SkiplistModel {
  readonly key: string
  readonly nodes: readonly ZNode[]
}

export interface Tower {
  readonly id: string
  /** null for the header. */
  readonly member: string | null
  readonly score: number
  readonly rank: number
  readonly level: number
  readonly x: number
  /** Per level: the rank of the forward target (null at the end) and the span. */
  readonly links: readonly { readonly to: number | null; readonly span: number }[]
}

export const COL_W = 72
/** Characters of a member or score that fit under a tower (11px monospace in COL_W). */
const LABEL_CHARS = 9

/** A member or score cut to fit its column ("verylongm…"), so it never runs under the next. */
export function towerLabel(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text
}
export const LEVEL_H = 22

/** Builds the model from the engine's view (the header is dropped: it is implied). */
export function skiplistModelFromView(v: SkiplistView): SkiplistModel {
  return {
    key: v.key,
    nodes: v.nodes
      .filter((n) => n.member !== null)
      .map((n) => ({ member: n.member ?? '', score: n.score, level: n.levels.length })),
  }
}

/** Applies one skiplist event (other keys and events leave the model unchanged). */
export function applySkiplistEvent(m: SkiplistModel, e: StepEvent): SkiplistModel {
  if (!('key' in e) || e.key !== m.key) return m
  switch (e.type) {
    case 'zsl/nodeInserted': {
      const nodes = [...m.nodes]
      nodes.splice(e.rank[0] ?? 0, 0, { member: e.member, score: e.score, level: e.level })
      return { ...m, nodes }
    }
    case 'zsl/nodeDeleted':
      return { ...m, nodes: m.nodes.filter((n) => n.member !== e.member) }
    case 'zsl/scoreUpdated':
      return e.inPlace
        ? { ...m, nodes: m.nodes.map((n) => (n.member === e.member ? { ...n, score: e.to } : n)) }
        : m
    default:
      return m
  }
}

/** The header's level: the tallest tower, at least 1 (zsl->level). */
export function skiplistLevel(m: SkiplistModel): number {
  return Math.max(1, ...m.nodes.map((n) => n.level))
}

/** Lays out the header and the towers, with every level's forward target and span. */
export function layoutSkiplist(m: SkiplistModel): Tower[] {
  const len = m.nodes.length
  const towers: { member: string | null; score: number; level: number }[] = [
    { member: null, score: 0, level: skiplistLevel(m) },
    ...m.nodes,
  ]
  return towers.map((t, r) => {
    const links: { to: number | null; span: number }[] = []
    for (let i = 0; i < t.level; i++) {
      let to: number | null = null
      for (let j = r + 1; j < towers.length; j++)
        if ((towers[j]?.level ?? 0) > i) {
          to = j
          break
        }
      links.push({ to, span: to === null ? len - r : to - r })
    }
    return {
      id: t.member === null ? 'zsl:header' : `zsl:${t.member}`,
      member: t.member,
      score: t.score,
      rank: r,
      level: t.level,
      x: r * COL_W,
      links,
    }
  })
}

/**
 * The columns a step is about, in user units of the drawing (`from` to `to`), so a skiplist
 * wider than its panel can scroll them into view: a search's last stop and the node after it
 * (where ZRANGEBYSCORE's walk along level 0 starts), or the node a step inserts, deletes,
 * rescores or draws a level for. Null when the step names no node of `towers`.
 */
export function focusColumns(
  e: StepEvent | undefined,
  towers: readonly Tower[],
): { readonly from: number; readonly to: number } | null {
  if (e === undefined) return null
  let member: string | null
  let cols = 1
  switch (e.type) {
    case 'zsl/searched': {
      const last = e.path.at(-1)
      if (last === undefined) return null
      member = last.member
      cols = 2
      break
    }
    case 'zsl/levelDrawn':
    case 'zsl/nodeInserted':
    case 'zsl/nodeDeleted':
    case 'zsl/scoreUpdated':
      member = e.member
      break
    default:
      return null
  }
  const tower = towers.find((tw) => tw.member === member)
  if (tower === undefined) return null
  return { from: tower.x, to: Math.min(towers.length, tower.rank + cols) * COL_W }
}
