/**
 * The geo panel. A plane in longitude / latitude (equirectangular: a degree is as long
 * across as up) with the set's points; past POINTS_MAX points, or when the view is cut, a
 * density map on canvas (points per geohash cell of step 6) instead. During a search: the
 * geohash grid at the search's step, the nine cells (centre and neighbours, the pruned ones
 * struck out) lighting up as their score ranges are walked, the shape (circle or box) and
 * its bounding box, and each candidate turning kept or dropped; then the results in order.
 * For the member a step encodes or decodes: its two 26-bit cell numbers, the halvings they
 * record, the interleaved 52 bits (lon, lat, lon, ...) and the score; GEOHASH's 11 chars.
 */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import './geo.css'
import { easeCubicInOut } from 'd3-ease'
import { interpolateRgb } from 'd3-interpolate'
import { memo, useEffect, useMemo, useRef } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import type { GeoView } from '../../engine/inspectGeo.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import { fill } from '../shared/fill.ts'
import { Legend, type LegendItem } from '../shared/Legend.tsx'
import { narration } from '../shared/narration.ts'
import { useViewFold } from '../shared/stepFold.ts'
import {
  applyGeoEvent,
  circlePolygon,
  densityOf,
  DIR_LABEL,
  emptyGeoModel,
  fitBox,
  focusAt,
  geohashChars,
  geoModelFromView,
  gridLines,
  halvings,
  interleavedBits,
  LAT_MAX,
  LAT_MIN,
  POINTS_MAX,
  projection,
  searchAt,
  UNIT_METERS,
  type Box,
  type CandidateState,
  type FocusEvent,
  type GeoModel,
  type SearchState,
} from './geoModel.ts'

export interface GeoPanelProps {
  readonly title: string
  readonly before: GeoView | null
  readonly after: GeoView
  readonly events: readonly StepEvent[]
  /** How many of this key's geo events are applied. */
  readonly step: number
  readonly t: number
  readonly lang: 'en' | 'zh'
  /** The zset's encoding (listpack or skiplist), for the facts line. */
  readonly encoding: string
  readonly settled?: boolean
}

const text = {
  explain: {
    en: 'A geo set is a sorted set. Each position becomes two 26-bit cell numbers (26 halvings of the longitude and latitude ranges), interleaved into a 52-bit score: points close together get close scores, so a cell of any size is one score range of the zset.',
    zh: '地理位置集合就是有序集合。每个位置变成两个 26 位的格子编号（把经度和纬度范围各二分 26 次），交错成 52 位分数：相近的点分数相近，所以任何大小的格子都是有序集合里的一段分数区间。',
  },
  points: { en: 'points', zh: '个点' },
  point: { en: 'point', zh: '个点' },
  plane: { en: 'Longitude / latitude plane of {key}', zh: '{key} 的经纬度平面' },
  density: {
    en: '{n} points: density per geohash cell of step {step}',
    zh: '{n} 个点：按第 {step} 级 geohash 格子统计的密度',
  },
  cells: { en: 'The nine cells (step {step})', zh: '九个格子（第 {step} 级）' },
  cellState: {
    pending: { en: 'to walk', zh: '待扫描' },
    pruned: { en: 'not needed', zh: '不需要' },
    scanning: { en: 'walking', zh: '扫描中' },
    scanned: { en: 'walked', zh: '已扫描' },
    duplicate: { en: 'same as previous', zh: '与前一格相同' },
  },
  candidates: { en: 'Candidates', zh: '候选点' },
  kept: { en: 'kept', zh: '保留' },
  dropped: { en: 'dropped', zh: '丢弃' },
  results: { en: 'Results', zh: '结果' },
  step: {
    en: 'step {step} (estimated {est} from a radius of {r})',
    zh: '第 {step} 级（由半径 {r} 估算为第 {est} 级）',
  },
  bits: { en: 'Bits of {member}', zh: '{member} 的位' },
  lon: { en: 'longitude cell', zh: '经度格' },
  lat: { en: 'latitude cell', zh: '纬度格' },
  interleaved: {
    en: 'interleaved (lon bit, lat bit, …) = score',
    zh: '交错（经度位、纬度位……）= 分数',
  },
  halvings: {
    en: 'Halving {n}: {min} .. {max}, bit {bit} keeps the {half} half',
    zh: '第 {n} 次二分：{min} .. {max}，位 {bit} 保留{half}半',
  },
  upper: { en: 'upper', zh: '上' },
  lower: { en: 'lower', zh: '下' },
  cellSize: {
    en: 'cell {w}° × {h}°: GEOPOS answers its centre, at most half a cell ({e} m) away',
    zh: '格子 {w}° × {h}°：GEOPOS 返回格子中心，误差不超过半个格子（{e} 米）',
  },
  geohash: { en: 'GEOHASH (latitude on −90..90)', zh: 'GEOHASH（纬度按 −90..90）' },
  spill: {
    en: 'The coordinate rounded up to the top of its range: cell 2^26 needs a 27th bit, which lands above the 52 (a score past 2^52, as Redis stores it).',
    zh: '坐标舍入到了范围的上端：格子编号 2^26 需要第 27 位，它落在 52 位之上（分数超过 2^52，Redis 就是这样存的）。',
  },
} as const

const W = 520
const H = 300
const densityColour = interpolateRgb('#dbe7ff', '#c2261b')

type Lang = 'en' | 'zh'

function fmtDeg(d: number): string {
  return d.toFixed(Math.abs(d) < 1 ? 4 : 3)
}

function fmtMeters(m: number): string {
  return m < 10000 ? `${m.toFixed(1)} m` : `${(m / 1000).toFixed(2)} km`
}

/** The density map: points per cell, one canvas block each, inside the plane's box. */
const Density = memo(function Density({
  density,
  box,
  label,
}: {
  density: NonNullable<GeoModel['density']>
  box: Box
  label: string
}) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const g = ref.current?.getContext('2d')
    if (!g) return
    const side = 2 ** density.step
    const { x, y } = projection(box, W, H)
    const dLon = 360 / side
    const dLat = (LAT_MAX - LAT_MIN) / side
    let top = 0
    for (const c of density.counts) if (c > top) top = c
    g.clearRect(0, 0, W, H)
    density.counts.forEach((c, i) => {
      if (c === 0) return
      const lon = -180 + (i % side) * dLon
      const lat = LAT_MIN + Math.floor(i / side) * dLat
      g.fillStyle = densityColour(Math.sqrt(c / top))
      const x0 = x(lon)
      const y0 = y(lat + dLat)
      g.fillRect(x0, y0, Math.max(1, x(lon + dLon) - x0), Math.max(1, y(lat) - y0))
    })
  }, [density, box])
  return (
    <canvas
      ref={ref}
      width={W}
      height={H}
      className="geo-density"
      role="img"
      aria-label={label}
      data-testid="geo-density"
    />
  )
})

function Plane({
  model,
  search,
  focus,
  e,
  lang,
  title,
}: {
  model: GeoModel
  search: SearchState | null
  focus: FocusEvent | null
  e: number
  lang: Lang
  title: string
}) {
  const aggregate = model.truncated || model.points.length > POINTS_MAX
  const box = useMemo(() => {
    const boxes: Box[] = []
    if (search) {
      search.plan.cells.forEach((c) => boxes.push(c.area))
      boxes.push(search.plan.bounds)
    } else if (!aggregate) {
      model.points.forEach((p) =>
        boxes.push({
          lonMin: p.longitude,
          lonMax: p.longitude,
          latMin: p.latitude,
          latMax: p.latitude,
        }),
      )
      if (focus?.type === 'geo/memberEncoded')
        boxes.push({
          lonMin: focus.longitude,
          lonMax: focus.longitude,
          latMin: focus.latitude,
          latMax: focus.latitude,
        })
    }
    return fitBox(boxes, W, H)
  }, [model, search, focus, aggregate])
  const density = useMemo(
    () => (aggregate ? (model.density ?? densityOf(model.points)) : null),
    [aggregate, model],
  )
  const { x, y } = projection(box, W, H)
  const grid = search ? gridLines(box, search.plan.step) : null
  const checked = new Map<string, CandidateState>()
  search?.candidates.forEach((c) => checked.set(c.member, c))
  const lastChecked = search?.candidates.at(-1)
  const plan = search?.plan
  const shapePath = useMemo(() => {
    if (!plan || plan.shape.type !== 'radius') return null
    const r = plan.shape.radius * UNIT_METERS[plan.unit]
    return circlePolygon(plan.center[0], plan.center[1], r)
  }, [plan])
  const label = fill(text.plane[lang], { key: title })
  return (
    <div className="geo-plane" style={{ width: W, height: H }}>
      {density && (
        <Density
          density={density}
          box={box}
          label={fill(text.density[lang], { n: model.size, step: density.step })}
        />
      )}
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${String(W)} ${String(H)}`}
        role="img"
        aria-label={label}
      >
        <rect width={W} height={H} className="geo-plane__sea" opacity={aggregate ? 0 : 1} />
        {grid && (
          <g className="geo-grid" data-testid="geo-grid" data-step={plan?.step}>
            {grid.lons.map((lon) => (
              <line key={`x${String(lon)}`} x1={x(lon)} x2={x(lon)} y1={0} y2={H} />
            ))}
            {grid.lats.map((lat) => (
              <line key={`y${String(lat)}`} y1={y(lat)} y2={y(lat)} x1={0} x2={W} />
            ))}
          </g>
        )}
        {search?.plan.cells.map((c, i) => {
          const state = search.cells[i] ?? 'pending'
          return (
            <rect
              key={`cell:${String(i)}`}
              data-cell={c.dir}
              data-state={state}
              className={`geo-cell geo-cell--${state}`}
              x={x(c.area.lonMin)}
              y={y(c.area.latMax)}
              width={Math.max(1, x(c.area.lonMax) - x(c.area.lonMin))}
              height={Math.max(1, y(c.area.latMin) - y(c.area.latMax))}
              opacity={state === 'scanning' ? 0.4 + 0.6 * e : 1}
            />
          )
        })}
        {plan && (
          <rect
            className="geo-bounds"
            data-testid="geo-bounds"
            x={x(plan.bounds.lonMin)}
            y={y(plan.bounds.latMax)}
            width={x(plan.bounds.lonMax) - x(plan.bounds.lonMin)}
            height={y(plan.bounds.latMin) - y(plan.bounds.latMax)}
          />
        )}
        {shapePath && (
          <path
            className="geo-shape"
            data-testid="geo-shape"
            data-shape="radius"
            d={`M${shapePath.map(([lon, lat]) => `${String(x(lon))},${String(y(lat))}`).join('L')}Z`}
          />
        )}
        {plan?.shape.type === 'box' && (
          <rect
            className="geo-shape"
            data-testid="geo-shape"
            data-shape="box"
            x={x(plan.bounds.lonMin)}
            y={y(plan.bounds.latMax)}
            width={x(plan.bounds.lonMax) - x(plan.bounds.lonMin)}
            height={y(plan.bounds.latMin) - y(plan.bounds.latMax)}
          />
        )}
        {plan && (
          <g transform={`translate(${String(x(plan.center[0]))},${String(y(plan.center[1]))})`}>
            <path d="M-5,0L5,0M0,-5L0,5" className="geo-centre" />
          </g>
        )}
        {!aggregate &&
          model.points.map((p) => {
            const c = checked.get(p.member)
            const state = c ? (c.kept ? 'kept' : 'dropped') : 'idle'
            const fresh = c !== undefined && c === lastChecked
            const focused = focus !== null && 'member' in focus && focus.member === p.member
            return (
              <g
                key={`pt:${p.member}`}
                data-member={bytesToUtf8(p.member)}
                data-state={state}
                transform={`translate(${String(x(p.longitude))},${String(y(p.latitude))})`}
              >
                <circle
                  r={focused ? 6 : 4}
                  className={`geo-point geo-point--${state}`}
                  opacity={fresh ? 0.3 + 0.7 * e : 1}
                />
                <text x={7} y={4} className="geo-point__label">
                  {bytesToUtf8(p.member)}
                </text>
              </g>
            )
          })}
      </svg>
    </div>
  )
}

function CellList({ search, lang }: { search: SearchState; lang: Lang }) {
  const { plan } = search
  return (
    <div className="geo-cells">
      <h3>{fill(text.cells[lang], { step: plan.step })}</h3>
      <p className="geo-hint">
        {fill(text.step[lang], {
          step: plan.step,
          est: plan.estimatedStep,
          r: fmtMeters(plan.radiusMeters),
        })}
      </p>
      <ul aria-label={fill(text.cells[lang], { step: plan.step })} data-testid="geo-cells">
        {plan.cells.map((c, i) => {
          const state = search.cells[i] ?? 'pending'
          return (
            <li
              key={c.dir}
              data-cell={c.dir}
              data-state={state}
              className={`geo-cell-item--${state}`}
            >
              <strong>{DIR_LABEL[c.dir][lang]}</strong> {text.cellState[state][lang]}
              {state !== 'pruned' && (
                <code>
                  {' '}
                  [{c.hash * 2 ** (52 - 2 * plan.step)}, {(c.hash + 1) * 2 ** (52 - 2 * plan.step)})
                </code>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function Candidates({ search, lang }: { search: SearchState; lang: Lang }) {
  if (search.candidates.length === 0) return null
  return (
    <div className="geo-candidates">
      <h3>{text.candidates[lang]}</h3>
      <ul aria-label={text.candidates[lang]} data-testid="geo-candidates">
        {search.candidates.map((c) => (
          <li
            key={`${c.member}:${String(c.cell)}`}
            data-member={bytesToUtf8(c.member)}
            data-kept={c.kept}
          >
            {bytesToUtf8(c.member)} · {fmtMeters(c.distance)} ·{' '}
            <strong>{c.kept ? text.kept[lang] : text.dropped[lang]}</strong>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Results({ search, lang }: { search: SearchState; lang: Lang }) {
  const { result } = search
  if (!result) return null
  const conv = UNIT_METERS[search.plan.unit]
  return (
    <div className="geo-results">
      <h3>{text.results[lang]}</h3>
      <ol aria-label={text.results[lang]} data-testid="geo-results">
        {result.returned.map((r) => (
          <li key={r.member} data-member={bytesToUtf8(r.member)}>
            {bytesToUtf8(r.member)} · {(r.distance / conv).toFixed(4)} {search.plan.unit}
          </li>
        ))}
      </ol>
    </div>
  )
}

const legendText = {
  scanning: { en: 'cell being scanned', zh: '正在扫描的格子' },
  scanned: { en: 'cell scanned', zh: '已扫描的格子' },
  kept: { en: 'in the area: returned', zh: '在范围内：返回' },
  dropped: { en: 'outside the area: dropped', zh: '在范围外：丢弃' },
  lon: { en: 'longitude bit', zh: '经度位' },
  lat: { en: 'latitude bit', zh: '纬度位' },
} as const

/** The key to a search's fills on the plane: the cells' and the points' states shown. */
function searchLegend(search: SearchState, lang: Lang): LegendItem[] {
  const items: LegendItem[] = []
  for (const st of ['scanning', 'scanned'] as const)
    if (search.cells.includes(st))
      items.push({ shape: `geo-cell geo-cell--${st}`, label: legendText[st][lang], id: st })
  for (const kept of [true, false]) {
    if (!search.candidates.some((c) => c.kept === kept)) continue
    const id = kept ? 'kept' : 'dropped'
    items.push({ shape: `geo-point geo-point--${id}`, label: legendText[id][lang], id })
  }
  return items
}

/** The key to the bit rows: longitude bits blue, latitude bits yellow. */
function bitsLegend(lang: Lang): LegendItem[] {
  return (['lon', 'lat'] as const).map((id) => ({
    shape: `geo-bit geo-bit--${id}`,
    label: legendText[id][lang],
    id,
  }))
}

const BIT = 9

/** One row of bits, most significant first; the first `shown` are revealed. */
function BitRow({
  bits,
  shown,
  cls,
  label,
  y,
}: {
  bits: readonly { value: 0 | 1; cls: string }[]
  shown: number
  cls: string
  label: string
  y: number
}) {
  return (
    <g transform={`translate(0,${String(y)})`} aria-label={label} role="img">
      {bits.map((b, i) => (
        <g key={i} transform={`translate(${String(i * BIT)},0)`} opacity={i < shown ? 1 : 0.15}>
          <rect width={BIT - 1} height={14} className={`geo-bit ${cls} ${b.cls}`} />
          <text x={1.5} y={11} className="geo-bit__value">
            {b.value}
          </text>
        </g>
      ))}
    </g>
  )
}

function Bits({ focus, e, lang }: { focus: FocusEvent; e: number; lang: Lang }) {
  const lonCell = focus.lonCell
  const latCell = focus.latCell
  const standard = focus.type === 'geo/hashEncoded'
  const latMin = standard ? -90 : LAT_MIN
  const latMax = standard ? 90 : LAT_MAX
  const inter = useMemo(() => interleavedBits(lonCell, latCell), [lonCell, latCell])
  const lonH = useMemo(() => halvings(lonCell, -180, 180), [lonCell])
  const latH = useMemo(() => halvings(latCell, latMin, latMax), [latCell, latMin, latMax])
  // An encoding reveals its halvings one by one as the step plays.
  const shown = focus.type === 'geo/memberEncoded' ? Math.ceil(e * 26) : 26
  const lonBits = lonH.map((h) => ({ value: h.bit, cls: 'geo-bit--lon' }))
  const latBits = latH.map((h) => ({ value: h.bit, cls: 'geo-bit--lat' }))
  const interBits = inter.map((b) => ({ value: b.value, cls: `geo-bit--${b.from}` }))
  const width = 52 * BIT + 4
  const last = Math.max(0, shown - 1)
  const lonLast = lonH[last]
  const latLast = latH[last]
  const score = focus.type === 'geo/hashEncoded' ? null : focus.score
  return (
    <figure
      className="geo-bits"
      data-testid="geo-bits"
      data-member={bytesToUtf8(focus.member)}
      data-lon-cell={lonCell}
      data-lat-cell={latCell}
    >
      <figcaption>{fill(text.bits[lang], { member: bytesToUtf8(focus.member) })}</figcaption>
      <Legend items={bitsLegend(lang)} lang={lang} />
      <svg width={width} height={96} viewBox={`0 0 ${String(width)} 96`}>
        <BitRow
          bits={lonBits}
          shown={shown}
          cls=""
          label={`${text.lon[lang]} ${String(lonCell)}`}
          y={2}
        />
        <BitRow
          bits={latBits}
          shown={shown}
          cls=""
          label={`${text.lat[lang]} ${String(latCell)}`}
          y={20}
        />
        <text x={26 * BIT + 6} y={13} className="geo-bits__label">
          {text.lon[lang]} = {lonCell}
        </text>
        <text x={26 * BIT + 6} y={31} className="geo-bits__label">
          {text.lat[lang]} = {latCell}
        </text>
        <BitRow bits={interBits} shown={shown * 2} cls="" label={text.interleaved[lang]} y={50} />
        <text x={0} y={84} className="geo-bits__label">
          {text.interleaved[lang]}
          {score !== null ? ` ${String(score)}` : ''}
        </text>
      </svg>
      {(lonCell >= 2 ** 26 || latCell >= 2 ** 26) && (
        <p className="geo-hint" data-testid="geo-spill">
          {text.spill[lang]}
        </p>
      )}
      {lonLast && latLast && focus.type === 'geo/memberEncoded' && (
        <p className="geo-hint" data-testid="geo-halving">
          {fill(text.halvings[lang], {
            n: lonLast.step,
            min: fmtDeg(lonLast.min),
            max: fmtDeg(lonLast.max),
            bit: lonLast.bit,
            half: lonLast.bit ? text.upper[lang] : text.lower[lang],
          })}{' '}
          ·{' '}
          {fill(text.halvings[lang], {
            n: latLast.step,
            min: fmtDeg(latLast.min),
            max: fmtDeg(latLast.max),
            bit: latLast.bit,
            half: latLast.bit ? text.upper[lang] : text.lower[lang],
          })}
        </p>
      )}
      {focus.type === 'geo/positionDecoded' && (
        <p className="geo-hint" data-testid="geo-cell-size">
          {fill(text.cellSize[lang], {
            w: (focus.cell.lonMax - focus.cell.lonMin).toExponential(2),
            h: (focus.cell.latMax - focus.cell.latMin).toExponential(2),
            e: (((focus.cell.latMax - focus.cell.latMin) / 2) * 111_000).toFixed(2),
          })}
        </p>
      )}
      {focus.type === 'geo/hashEncoded' && (
        <p className="geo-geohash" data-testid="geo-geohash">
          {text.geohash[lang]}:{' '}
          {geohashChars(focus.geohash).map((c, i) => (
            <span key={i} className="geo-geohash__char" title={c.bits}>
              <strong>{c.char}</strong>
              <small>{c.bits}</small>
            </span>
          ))}
        </p>
      )}
    </figure>
  )
}

function GeoPanelImpl(props: GeoPanelProps) {
  const { title, before, after, events, step, t, lang, encoding, settled = false } = props
  const { own, curr, current } = useViewFold(
    { before, after, events, step, settled },
    'geo/',
    geoModelFromView,
    emptyGeoModel,
    applyGeoEvent,
  )
  const e = easeCubicInOut(Math.max(0, Math.min(1, t)))
  const k = Math.max(0, Math.min(step, own.length))
  const search = useMemo(() => searchAt(own, k), [own, k])
  const focus = useMemo(() => focusAt(own, k), [own, k])
  const focusE = focus === current ? e : 1
  return (
    <section aria-label={title} className="geo-panel" data-testid="geo-panel">
      <p>{text.explain[lang]}</p>
      <p className="geo-facts">
        <span data-testid="geo-size">{curr.size}</span>{' '}
        {(curr.size === 1 ? text.point : text.points)[lang]} · <code>{encoding}</code>
      </p>
      <StepCaption>{current ? narration[current.type](current as never)[lang] : ''}</StepCaption>
      <Plane model={curr} search={search} focus={focus} e={e} lang={lang} title={title} />
      <Legend items={search ? searchLegend(search, lang) : []} lang={lang} />
      {search && <CellList search={search} lang={lang} />}
      {search && <Candidates search={search} lang={lang} />}
      {search && <Results search={search} lang={lang} />}
      {focus && <Bits focus={focus} e={focusE} lang={lang} />}
    </section>
  )
}

export const GeoPanel = memo(GeoPanelImpl)
