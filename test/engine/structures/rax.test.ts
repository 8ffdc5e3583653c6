import { describe, expect, it } from 'vitest'
import { raxInsert, raxNew, raxRemove, raxValidate } from '../../../src/engine/structures/rax.ts'

describe('raxGenericInsert', () => {
  it('splits a compressed node on a mismatch into prefix, split node and postfix (ALGO 1)', () => {
    const rax = raxNew<number>()
    raxInsert(rax, 'ANNIBALE', 1)
    expect(rax.numnodes).toBe(2)
    expect(rax.head.iscompr).toBe(true)
    raxInsert(rax, 'ANNIENTARE', 2)
    // "ANNI" -> [B|E]; B -> "ALE" -> leaf; E -> "NTARE" -> leaf
    expect(rax.head.data).toBe('ANNI')
    const split = rax.head.children[0]
    expect(split?.data).toBe('BE')
    expect(split?.children.map((c) => c.data)).toEqual(['ALE', 'NTARE'])
    expect(rax.numnodes).toBe(6)
    expect(raxValidate(rax)).toEqual([])
  })

  it('splits a compressed node where the key ends into trimmed + postfix key (ALGO 2)', () => {
    const rax = raxNew<number>()
    raxInsert(rax, 'ANNIBALE', 1)
    raxInsert(rax, 'ANNI', 2)
    expect(rax.head.data).toBe('ANNI')
    expect(rax.head.children[0]?.data).toBe('BALE')
    expect(rax.head.children[0]?.iskey).toBe(true)
    expect(rax.numnodes).toBe(3)
  })
})

describe('raxRemove', () => {
  it('leaves FOO -> BAR apart after removing FOO, as rax.c does (only a 1-child node triggers it)', () => {
    // rax.c's comment shows this case re-compressed into "FOOBAR", but its code only tries
    // when the unkeyed node has size 1, and "BAR" is a compressed node of size 3.
    const rax = raxNew<number>()
    raxInsert(rax, 'FOOBAR', 1)
    raxInsert(rax, 'FOO', 2)
    expect(rax.numnodes).toBe(3)
    raxRemove(rax, 'FOO')
    expect(rax.head.data).toBe('FOO')
    expect(rax.head.children[0]?.data).toBe('BAR')
    expect(rax.numnodes).toBe(3)
    expect(raxValidate(rax)).toEqual([])
  })

  it('re-compresses after removing one of two branches (FOOBAR, FOOTER)', () => {
    const rax = raxNew<number>()
    raxInsert(rax, 'FOOBAR', 1)
    raxInsert(rax, 'FOOTER', 2)
    expect(rax.numnodes).toBe(6)
    raxRemove(rax, 'FOOTER')
    expect(rax.head.data).toBe('FOOBAR')
    expect(rax.numnodes).toBe(2)
    expect(raxValidate(rax)).toEqual([])
  })
})
