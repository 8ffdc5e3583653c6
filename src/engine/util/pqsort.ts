/**
 * Partial quicksort — follows redis/src/pqsort.c (Bentley & McIlroy's "Engineering a Sort
 * Function", the BSD qsort, with a range): sorts `a` only as far as needed for the elements
 * at indexes lrange..rrange to be in their sorted places, skipping partitions that lie
 * wholly outside that range. SORT ... BY ... LIMIT uses it (sort.c).
 *
 * The result depends on the algorithm, not only on the comparison: elements that compare
 * equal end up in pqsort's order, which is not stable. That is why it is ported step for
 * step (median of three, or Tukey's ninther past 40 elements; three-way partitioning that
 * parks equal keys at both ends and swaps them back; insertion sort below 7 elements; the
 * second partition iterated rather than recursed) instead of using Array.prototype.sort.
 * Byte pointers become element indexes: C's `lrange < _l && rrange < _l` (the wanted range
 * lies before the partition) is `lo > L && lo > R` here.
 *
 * Complexity: O(n log n) comparisons on average.
 */

/** Sorts `a` in place so that a[lrange..rrange] hold what a full sort would put there. */
export function pqsort<T>(
  a: T[],
  cmp: (x: T, y: T) => number,
  lrange: number,
  rrange: number,
): void {
  pqsortRange(a, 0, a.length, cmp, lrange, rrange)
}

function pqsortRange<T>(
  a: T[],
  lo: number,
  n: number,
  cmp: (x: T, y: T) => number,
  lrange: number,
  rrange: number,
): void {
  for (;;) {
    if (n < 7) {
      for (let pm = lo + 1; pm < lo + n; pm++)
        for (let pl = pm; pl > lo && cmp(a[pl - 1] as T, a[pl] as T) > 0; pl--) swap(a, pl, pl - 1)
      return
    }
    let pm = lo + Math.floor(n / 2)
    if (n > 7) {
      let pl = lo
      let pn = lo + n - 1
      if (n > 40) {
        const d = Math.floor(n / 8)
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp)
        pm = med3(a, pm - d, pm, pm + d, cmp)
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp)
      }
      pm = med3(a, pl, pm, pn, cmp)
    }
    swap(a, lo, pm)
    let pa = lo + 1
    let pb = pa
    let pc = lo + n - 1
    let pd = pc
    for (;;) {
      let r: number
      while (pb <= pc && (r = cmp(a[pb] as T, a[lo] as T)) <= 0) {
        if (r === 0) swap(a, pa++, pb)
        pb++
      }
      while (pb <= pc && (r = cmp(a[pc] as T, a[lo] as T)) >= 0) {
        if (r === 0) swap(a, pc, pd--)
        pc--
      }
      if (pb > pc) break
      swap(a, pb++, pc--)
    }
    const pn = lo + n
    let r = Math.min(pa - lo, pb - pa)
    vecswap(a, lo, pb - r, r)
    r = Math.min(pd - pc, pn - pd - 1)
    vecswap(a, pb, pn - r, r)
    // The elements smaller than the pivot, now at the front: recurse if the range touches them.
    if ((r = pb - pa) > 1 && overlaps(lo, lo + r, lrange, rrange))
      pqsortRange(a, lo, r, cmp, lrange, rrange)
    // The larger ones, at the back: iterate.
    if ((r = pd - pc) <= 1) return
    lo = pn - r
    n = r
    if (!overlaps(lo, lo + n, lrange, rrange)) return
  }
}

/** pqsort.c's range test: not (both ends before the partition, or both after it). */
function overlaps(from: number, to: number, lrange: number, rrange: number): boolean {
  return !((lrange < from && rrange < from) || (lrange >= to && rrange >= to))
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: (x: T, y: T) => number): number {
  const x = a[i] as T
  const y = a[j] as T
  const z = a[k] as T
  return cmp(x, y) < 0
    ? cmp(y, z) < 0
      ? j
      : cmp(x, z) < 0
        ? k
        : i
    : cmp(y, z) > 0
      ? j
      : cmp(x, z) < 0
        ? i
        : k
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i] as T
  a[i] = a[j] as T
  a[j] = t
}

/** Swaps the n elements from i with the n from j, pairwise in order (pqsort.c vecswap). */
function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k)
}
