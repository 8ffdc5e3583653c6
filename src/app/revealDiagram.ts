/**
 * Brings the diagram a command is about into view where the layout leaves it out of sight.
 *
 * In one column (a phone: the console fills the first screen) the panels sit under the
 * console, and a learner who typed a command saw its reply but not the structure moving,
 * below the fold. In a narrow embed the panels scroll inside the space the mini console and
 * the step controls leave, and a hash table's figures and intro pushed its buckets out of
 * that space. Either way the first drawn panel's diagram (its `role="img"`) is scrolled into
 * the part of its scroller nothing covers (the page's sticky step controls), by as little as
 * shows it whole, or to its top when it is taller than that part.
 */
import { useEffect } from 'react'
import { useAppStore } from '../state/react.ts'
import { selectReducedMotion } from '../state/store.ts'

/** Space kept between a revealed diagram and the edge of what is visible, in px. */
const MARGIN = 8

/** A vertical extent on screen. */
export interface Extent {
  readonly top: number
  readonly bottom: number
}

/**
 * How far to scroll down (negative: up) so that `target` shows inside `visible`: 0 when it
 * already does; else the least scroll that shows it whole; its top first when it cannot.
 */
export function revealDelta(target: Extent, visible: Extent): number {
  const top = visible.top + MARGIN
  const bottom = visible.bottom - MARGIN
  if (target.top >= top && target.bottom <= bottom) return 0
  if (target.bottom - target.top > bottom - top || target.top < top) return target.top - top
  return target.bottom - bottom
}

/**
 * revealDelta for a diagram taller than what is visible, whose step is about a part of it
 * (`focus`: a hash table's entry moving to bucket 7 of ht[1], below the first rows): the
 * diagram's top first, then as much further as brings that part into view.
 */
export function revealFocusDelta(target: Extent, focus: Extent | null, visible: Extent): number {
  const delta = revealDelta(target, visible)
  if (focus === null) return delta
  const moved = { top: focus.top - delta, bottom: focus.bottom - delta }
  return delta + revealDelta(moved, visible)
}

/**
 * The nearest ancestor of `el` that scrolls along `axis` (y: the panels or the page's
 * column; x: a wide diagram's frame), or null (the page itself).
 */
export function scrollerOf(el: Element, axis: 'x' | 'y' = 'y'): HTMLElement | null {
  for (let p = el.parentElement; p !== null; p = p.parentElement) {
    if (p === document.body || p === document.documentElement) return null
    const style = getComputedStyle(p)
    const overflow = axis === 'y' ? style.overflowY : style.overflowX
    const hidden = axis === 'y' ? p.scrollHeight - p.clientHeight : p.scrollWidth - p.clientWidth
    if ((overflow === 'auto' || overflow === 'scroll') && hidden > 1) return p
  }
  return null
}

/**
 * What `scroller` shows on screen, or the page (null) what the window shows above the step
 * controls, which stick to the window's foot in one column and cover it.
 */
export function visibleExtent(scroller: HTMLElement | null): Extent {
  if (scroller !== null) {
    const box = scroller.getBoundingClientRect()
    return { top: box.top, bottom: box.bottom }
  }
  const foot = document.querySelector('.layout-timeline')?.getBoundingClientRect()
  const covered = foot !== undefined && foot.top < window.innerHeight ? foot.top : Infinity
  return { top: 0, bottom: Math.min(window.innerHeight, covered) }
}

/** A box's horizontal extent, for revealDelta along that axis (left as top, right as bottom). */
function across(r: DOMRect): Extent {
  return { top: r.left, bottom: r.right }
}

/**
 * The first shown panel (an embed hides some) and its diagram, which is not there yet while
 * the panel's code loads (a lazy chunk) or when the panel draws none (the generic inspector).
 */
function firstPanel(root: ParentNode): { panel: Element; diagram: Element | null } | null {
  for (const panel of root.querySelectorAll('.panels > .panel:not(.steps)')) {
    if (!(panel instanceof HTMLElement) || panel.offsetParent === null) continue
    return { panel, diagram: panel.querySelector('[role="img"]') }
  }
  return null
}

/**
 * The header of `target`'s panel, on screen, when `scroller` is the full app's panels'
 * column holding it; else null (the page, an embed's panels, a diagram's own frame).
 */
function panelHeaderIn(target: Element, scroller: HTMLElement | null): DOMRect | null {
  if (scroller === null || !scroller.matches('.layout-panels')) return null
  const header = target.closest('.panel')?.querySelector('.panel-header')
  return header && scroller.contains(header) ? header.getBoundingClientRect() : null
}

/** Frames to wait for a panel's diagram to be drawn before revealing the panel itself. */
const WAIT_FRAMES = 60

/** The part of `e` inside `clip`. */
function within(e: Extent, clip: Extent): Extent {
  return { top: Math.max(e.top, clip.top), bottom: Math.min(e.bottom, clip.bottom) }
}

/**
 * Scrolls `target` into the visible part of its scroller (see the file comment), and that
 * scroller into its own: a hash table's diagram scrolls in a frame of its own inside the
 * panels, and in a 600 × 400 embed the step's bucket was brought into view in that frame
 * while the frame itself stayed below the panels' visible part.
 */
function reveal(target: Element, smooth: boolean, keepHeader: boolean): void {
  const behavior: ScrollBehavior = smooth ? 'smooth' : 'instant'
  const r = target.getBoundingClientRect()
  const active = target.querySelector('[data-active="true"]')
  const f = active?.getBoundingClientRect()
  let shown: Extent = { top: r.top, bottom: r.bottom }
  let focus: Extent | null = f === undefined ? null : { top: f.top, bottom: f.bottom }
  // The scroller inside the current one: where it is scrolled to and what it shows.
  let inner: { el: HTMLElement; top: number; visible: Extent } | null = null
  for (let scroller = scrollerOf(target); ; scroller = scrollerOf(scroller)) {
    const visible = visibleExtent(scroller)
    const from = scroller?.scrollTop ?? 0
    let delta = revealFocusDelta(shown, focus, visible)
    if (scroller !== null) {
      // As far as the scroller can go (a smooth scroll has not moved yet when the next
      // scroller out is measured).
      const max = scroller.scrollHeight - scroller.clientHeight
      delta = Math.min(Math.max(delta, -scroller.scrollTop), max - scroller.scrollTop)
    }
    // Only where a frame inside can scroll on in its place: with no such frame (a short
    // column on a phone on its side) the column scrolls the diagram into view as before.
    const header = keepHeader && inner !== null ? panelHeaderIn(target, scroller) : null
    if (header !== null) {
      // The panels' column keeps the panel's header in view: a 1536-bucket table's step in
      // projector mode scrolled it out. The frame inside scrolls on instead, as far as
      // brings the step's part above the column's fold.
      const keep = Math.max(0, header.top - visible.top)
      if (delta > keep) {
        if (inner !== null && focus !== null) {
          const range = inner.el.scrollHeight - inner.el.clientHeight - inner.top
          const extra = Math.min(
            focus.bottom - keep - (visible.bottom - MARGIN),
            focus.top - (inner.visible.top + MARGIN),
            range,
          )
          if (extra >= 1) {
            inner.el.scrollTo({ top: inner.top + extra, behavior })
            focus = { top: focus.top - extra, bottom: focus.bottom - extra }
          }
        }
        delta = keep
      }
    }
    if (Math.abs(delta) >= 1) {
      if (scroller !== null) scroller.scrollBy({ top: delta, behavior })
      else window.scrollBy({ top: delta, behavior })
    }
    if (scroller === null) break
    inner = { el: scroller, top: from + (Math.abs(delta) >= 1 ? delta : 0), visible }
    // What the scroller shows of the target is what the next scroller out has to show.
    const moved = (e: Extent): Extent =>
      within({ top: e.top - delta, bottom: e.bottom - delta }, visible)
    shown = moved(shown)
    focus = focus === null ? null : moved(focus)
  }
  // A diagram wider than its frame (a 360 px embed) scrolls sideways to the step's part too.
  const side = active === null ? null : scrollerOf(active, 'x')
  if (active === null || f === undefined || side === null) return
  const dx = revealDelta(across(f), across(side.getBoundingClientRect()))
  if (Math.abs(dx) >= 1) side.scrollBy({ left: dx, behavior })
}

/**
 * Reveals the diagram when the panels have the views of a new timeline item. `page`: the
 * full app, after a command lands at the live end (never on load, which keeps the console
 * on a phone's first screen). `embed`: every item the frame shows, the one it opens at too.
 * While that item's steps play, the diagram is kept in view (a step's caption above it grows
 * and pushes it down), until the reader scrolls by hand (wheel or touch): then it is theirs.
 */
export function useRevealDiagram(where: 'page' | 'embed'): void {
  const store = useAppStore()
  useEffect(() => {
    let frame = 0
    let shown: number | null = null
    /** The item whose diagram is kept in view, or null (none, or the reader scrolled). */
    let following: number | null = null
    const revealSoon = (): void => {
      cancelAnimationFrame(frame)
      // After React has drawn the new views, and the panel its diagram.
      let frames = 0
      const attempt = (): void => {
        const found = firstPanel(document)
        if (found === null) return
        if (found.diagram === null && ++frames < WAIT_FRAMES) {
          frame = requestAnimationFrame(attempt)
          return
        }
        reveal(
          found.diagram ?? found.panel,
          !selectReducedMotion(store.getState()),
          where === 'page',
        )
      }
      frame = requestAnimationFrame(attempt)
    }
    const onView = store.subscribe(
      (s) => s.view,
      (view) => {
        const s = store.getState()
        const item = s.items[s.playhead.item]
        // Views arrive after the playhead moved; until then they are another item's.
        if (view === null || view.position !== (item?.position ?? 0)) return
        const first = shown === null
        if (view.position === shown) return
        shown = view.position
        following = null
        if (where === 'page' && (first || s.playhead.item !== s.items.length - 1)) return
        following = view.position
        revealSoon()
      },
    )
    const onStep = store.subscribe(
      (s) => s.playhead.step,
      () => {
        const s = store.getState()
        if (following !== null && s.items[s.playhead.item]?.position === following) revealSoon()
      },
    )
    const byHand = (): void => {
      following = null
    }
    window.addEventListener('wheel', byHand, { passive: true, capture: true })
    window.addEventListener('touchmove', byHand, { passive: true, capture: true })
    return () => {
      onView()
      onStep()
      window.removeEventListener('wheel', byHand, { capture: true })
      window.removeEventListener('touchmove', byHand, { capture: true })
      cancelAnimationFrame(frame)
    }
  }, [store, where])
}
