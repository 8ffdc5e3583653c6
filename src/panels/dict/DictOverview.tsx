/**
 * The overview of a big dict: bucket occupancy of each table drawn on a canvas (one column
 * of pixels per group of buckets, brighter = longer chains), rehash progress, and a zoom
 * that picks a bucket range for the detailed view. A canvas draws a million buckets in one
 * pass; SVG would need a million elements.
 */
import { useEffect, useMemo, useRef } from 'react'
import { overviewColumns } from './dictOverviewMath.ts'
import type { DictModel } from './dictModel.ts'
import { occupancy } from './dictLayout.ts'

const W = 1000
const H = 48

const text = {
  overview: { en: 'Overview: bucket occupancy', zh: '总览：桶的占用情况' },
  progress: { en: 'rehash progress', zh: 'rehash 进度' },
  zoom: { en: 'Click a stripe to zoom into its buckets', zh: '点击条带可放大查看对应的桶' },
} as const

export interface DictOverviewProps {
  readonly model: DictModel
  readonly lang: 'en' | 'zh'
  readonly occupancy?: readonly [Uint16Array | null, Uint16Array | null] | undefined
  readonly onZoom: (range: readonly [number, number]) => void
}

export function DictOverview({ model, lang, occupancy: given, onZoom }: DictOverviewProps) {
  const ref0 = useRef<HTMLCanvasElement>(null)
  const ref1 = useRef<HTMLCanvasElement>(null)
  // Counted and drawn once per model, not on every render of the panel (a frame of a step's
  // animation, a caption): a 131,072-bucket table was counted and drawn again each time.
  const data = useMemo(
    () => [0, 1].map((t) => given?.[t] ?? occupancy(model, t as 0 | 1)),
    [model, given],
  )
  useEffect(() => {
    data.forEach((occ, t) => {
      const canvas = (t === 0 ? ref0 : ref1).current
      const g = canvas?.getContext('2d')
      if (!canvas || !g || occ.length === 0) return
      const cols = overviewColumns(occ, W)
      g.clearRect(0, 0, W, H)
      cols.forEach((c, x) => {
        const shade = Math.round(235 - Math.min(1, c.mean / 2) * 200)
        g.fillStyle = c.max === 0 ? '#eee' : `rgb(${shade},${shade},255)`
        g.fillRect(x, 0, 1, H)
      })
    })
  }, [data])
  const t0 = model.tables[0]
  const progress = model.rehashIdx >= 0 && t0 ? model.rehashIdx / t0.size : null
  return (
    <div className="dict-overview" aria-label={text.overview[lang]}>
      <p>{text.overview[lang]}</p>
      {data.map((occ, t) =>
        occ.length === 0 ? null : (
          <canvas
            key={t}
            ref={t === 0 ? ref0 : ref1}
            width={W}
            height={H}
            data-testid={`overview-${t}`}
            aria-label={`ht[${t}]: ${occ.length}`}
            onClick={(ev) => {
              const rect = ev.currentTarget.getBoundingClientRect()
              const frac = rect.width > 0 ? (ev.clientX - rect.left) / rect.width : 0
              const center = Math.floor(frac * occ.length)
              onZoom([Math.max(0, center - 32), Math.min(occ.length, center + 32)])
            }}
          />
        ),
      )}
      {progress !== null && (
        <progress value={progress} max={1} aria-label={text.progress[lang]}>
          {Math.round(progress * 100)}%
        </progress>
      )}
      <p className="dict-overview__hint">{text.zoom[lang]}</p>
    </div>
  )
}
