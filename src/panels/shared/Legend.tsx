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

/**
 * One colour of the key: a shared highlight fill (`swatch`), or the class of the shape it
 * names (`shape`: a panel's own fill, such as a SCAN bucket already covered), drawn with
 * that very class so that the swatch cannot drift from the diagram.
 */
export type LegendItem =
  | { readonly swatch: LegendSwatch; readonly label: string }
  | { readonly shape: string; readonly label: string; readonly id: string }
  | LegendBox

/**
 * A colour of an HTML diagram (a background, not an SVG fill): a box with the classes of the
 * element it names (`box`), and of the element inside it that carries the colour (`inner`,
 * where the colour rule is nested: `.zl-field--prevlen .zl-byte`).
 */
export interface LegendBox {
  readonly box: string
  readonly inner?: string
  readonly label: string
  readonly id: string
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
      {props.items.map((it) =>
        'swatch' in it ? (
          <li key={it.label} data-legend={it.swatch}>
            <span
              className={`panel-legend__swatch panel-legend__swatch--${it.swatch}`}
              aria-hidden
            />
            {it.label}
          </li>
        ) : 'box' in it ? (
          <li key={it.label} data-legend={it.id}>
            <span className={`panel-legend__box ${it.box}`} aria-hidden>
              {it.inner !== undefined && <span className={`panel-legend__box ${it.inner}`} />}
            </span>
            {it.label}
          </li>
        ) : (
          <li key={it.label} data-legend={it.id}>
            <svg className="panel-legend__shape" viewBox="0 0 16 16" aria-hidden>
              <rect x={1} y={1} width={14} height={14} rx={2} className={it.shape} />
            </svg>
            {it.label}
          </li>
        ),
      )}
    </ul>
  )
}
