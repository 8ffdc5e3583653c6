import { describe, expect, it } from 'vitest'
import {
  buildManifest,
  cacheName,
  CACHE_PREFIX,
  offlinePolicy,
} from '../../src/offline/precache.ts'

const SCOPE = 'https://example.org/blog/xray/'

describe('buildManifest', () => {
  it('lists the site folder and every file once, sorted', () => {
    const m = buildManifest(['index.html', 'assets/b.js', 'assets/a.js', 'assets/b.js'])
    expect(m.files).toEqual(['', 'assets/a.js', 'assets/b.js', 'index.html'])
  })

  it('has a version that follows the file names, not their order', () => {
    const a = buildManifest(['index.html', 'assets/index-AAA.js'])
    expect(buildManifest(['assets/index-AAA.js', 'index.html']).version).toBe(a.version)
    const b = buildManifest(['index.html', 'assets/index-AAB.js'])
    expect(b.version).not.toBe(a.version)
    // The names' boundaries count: ['ab', 'c'] is not ['a', 'bc'].
    expect(buildManifest(['ab', 'c']).version).not.toBe(buildManifest(['a', 'bc']).version)
    expect(cacheName(b)).toBe(CACHE_PREFIX + b.version)
  })
})

describe('offlinePolicy', () => {
  it('serves page loads network-first, whatever their query or fragment', () => {
    expect(offlinePolicy('GET', 'navigate', `${SCOPE}?embed=dict&seed=3`, SCOPE)).toEqual({
      kind: 'page',
    })
    expect(offlinePolicy('GET', 'navigate', SCOPE, SCOPE)).toEqual({ kind: 'page' })
  })

  it('serves built files from the cache, keyed without the query string', () => {
    expect(offlinePolicy('GET', 'cors', `${SCOPE}assets/index-AAA.js?v=2`, SCOPE)).toEqual({
      kind: 'file',
      key: `${SCOPE}assets/index-AAA.js`,
    })
  })

  it('leaves other origins, other folders and writes to the network', () => {
    expect(offlinePolicy('GET', 'cors', 'https://cdn.example.com/x.js', SCOPE).kind).toBe('network')
    expect(offlinePolicy('GET', 'navigate', 'https://example.org/blog/other/', SCOPE).kind).toBe(
      'network',
    )
    expect(offlinePolicy('POST', 'cors', `${SCOPE}api`, SCOPE).kind).toBe('network')
  })
})
