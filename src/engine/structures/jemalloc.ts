/**
 * jemalloc size classes — what `je_malloc_usable_size` returns on 64-bit jemalloc 5.3
 * (the allocator Redis 7.0 links by default; redis-internals §14.1–14.2).
 *
 * Redis counts memory with the usable size of each allocation (zmalloc.c with
 * HAVE_MALLOC_SIZE), and since 7.0 sds turns allocator slack into free space, so the
 * class a request rounds up to is observable through MEMORY USAGE and APPEND behaviour.
 *
 * Classes (LG_QUANTUM 4, 4 KiB pages, LG_SIZE_CLASS_GROUP 2):
 *   - tiny: 8;
 *   - quantum-spaced: 16, 32, 48, …, 128 (steps of 16);
 *   - from 128 up, 4 classes per doubling: size ∈ (2^k, 2^(k+1)] rounds up to a multiple of
 *     2^(k-2) (160, 192, 224, 256, 320, …). The small classes end at 14336; the large ones
 *     (16384, 20480, …) continue the same geometric pattern; from 16 KiB on the spacing is
 *     at least a page, so every class there is a page multiple.
 * A request of 0 bytes is served from the smallest class, like malloc(0).
 *
 * Pure arithmetic; emits no events.
 */

// --- Constants ---

/** The smallest class (LG_TINY_MIN 3). */
export const JEMALLOC_TINY_MIN = 8
/** Quantum: spacing of the classes up to 128 bytes (LG_QUANTUM 4). */
export const JEMALLOC_QUANTUM = 16
/** Largest "small" (slab-allocated) class with 4 KiB pages. */
export const JEMALLOC_SMALL_MAXCLASS = 14336
/** Page size. */
export const JEMALLOC_PAGE = 4096

// --- API ---

/** Returns the usable size jemalloc gives a request of `n` bytes (the class n rounds up to). */
export function jemallocSizeClass(n: number): number {
  if (n <= JEMALLOC_TINY_MIN) return JEMALLOC_TINY_MIN
  if (n <= 128) return (n + 15) & ~15
  // Group spacing: a quarter of the power of two just below n.
  if (n <= 0x40000000) {
    const spacing = (1 << (29 - Math.clz32(n - 1))) - 1
    return (n + spacing) & ~spacing
  }
  const delta = 2 ** (Math.floor(Math.log2(n - 1)) - 2)
  return Math.ceil(n / delta) * delta
}

/** Returns whether `n` is exactly a jemalloc size class. */
export function jemallocIsSizeClass(n: number): boolean {
  return n >= JEMALLOC_TINY_MIN && jemallocSizeClass(n) === n
}

/**
 * The largest class a single allocation can get on x86-64 Linux: 80 TiB (2^46 + 2^44). The
 * user address space is 128 TiB (47 bits); the next class, 96 TiB, fits in no free range of
 * the process (the executable sits near 0x55…, about 85 TiB up, the mmap area near the top),
 * while 80 TiB fits below the executable. jemalloc maps huge extents with MAP_NORESERVE
 * (overcommit mode 0 or 1), so no smaller request fails for want of RAM.
 */
export const JEMALLOC_MAX_MAPPABLE = 5n * 2n ** 44n

/**
 * zmalloc.c ztrymalloc: whether a request of `n` bytes gets memory (it returns NULL where
 * zmalloc would abort with "out of memory"). Only the address space can refuse it (see
 * JEMALLOC_MAX_MAPPABLE); 80 TiB is itself a class, so a request fits if it is no larger.
 */
export function jemallocTryAlloc(n: bigint): boolean {
  return n <= JEMALLOC_MAX_MAPPABLE
}
