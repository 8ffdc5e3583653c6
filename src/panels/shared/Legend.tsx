/**
 * A key to a diagram's highlight colours: each swatch named by what it means in the Redis
 * function the step follows (update[i] in zslInsert, the bucket dictRehash moves…). Panels
 * show it only while a step lights those colours, so the key sits beside what it explains.
 */
import type { ReactNode } from 'react'

/**
 * The highlight fills the panels draw: lit (yellow: probes, paths, update[]), new (green: a
 * node inserted), pale (light amber: sampled buckets, the pool's best, a touched node).
 */
export type LegendSwatch = 'lit' | 'new' | 'pale'

export interface LegendItem {
  readonly swatch: LegendSwatch
  readonly label: string
}

const title = { en: 'Colours', zh: '颜色' } as const

/** Renders the key as a labelled list, or nothing when no highlight is on screen. */
export function Legend(props: {
  readonly items: readonly LegendItem[]
  readonly lang: 'en' | 'zh'
}): ReactNode {
  if (props.items.length === 0) return null
  return (
    <ul className="panel-legend" aria-label={title[props.lang]}>
      {props.items.map((it) => (
        <li key={it.label} data-legend={it.swatch}>
          <span className={`panel-legend__swatch panel-legend__swatch--${it.swatch}`} aria-hidden />
          {it.label}
        </li>
      ))}
    </ul>
  )
}
