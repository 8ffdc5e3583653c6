/**
 * Which panel leads for a command (PanelArea keyspaceLeads): a command that writes, removes
 * or reads several whole keys is about the keyspace dict; one that names one key, or builds
 * one object out of several keys, is about that key's object. Run on the real engine, with
 * the command table the app gets from it.
 */
import { describe, expect, it } from 'vitest'
import { keyspaceLeads } from '../../src/app/PanelArea.tsx'
import { createServer } from '../../src/engine/index.ts'
import { createHarness } from '../state/harness.ts'

describe('keyspaceLeads', () => {
  it('is true for multi-key writes and reads of whole keys, false for one key or one built object', async () => {
    const h = await createHarness({ factory: createServer })
    const leads = async (...argv: string[]): Promise<boolean> => {
      await h.run(argv)
      const s = h.store.getState()
      return keyspaceLeads(s.items.at(-1), s.commands)
    }
    expect(await leads('MSET', 'a', '1', 'b', '2', 'c', '3')).toBe(true)
    expect(await leads('MSETNX', 'd', '1', 'e', '2')).toBe(true)
    expect(await leads('MGET', 'a', 'b')).toBe(true)
    expect(await leads('EXISTS', 'a', 'b', 'zz')).toBe(true)
    expect(await leads('TOUCH', 'a', 'b')).toBe(true)
    expect(await leads('RENAME', 'a', 'a2')).toBe(true)
    expect(await leads('COPY', 'b', 'b2')).toBe(true)
    expect(await leads('DEL', 'a2', 'b2')).toBe(true)
    expect(await leads('UNLINK', 'c', 'd')).toBe(true)
    // One key, even named twice, is that key's object.
    expect(await leads('SET', 'x', '1')).toBe(false)
    expect(await leads('MSET', 'x', '1', 'x', '2')).toBe(false)
    expect(await leads('DEL', 'x')).toBe(false)
    // One object built from several keys: the destination's.
    await h.run(['SADD', 's1', 'a'], ['SADD', 's2', 'b'])
    expect(await leads('SUNIONSTORE', 'dst', 's1', 's2')).toBe(false)
    expect(await leads('SMOVE', 's1', 's2', 'a')).toBe(false)
    expect(await leads('LMOVE', 'l1', 'l2', 'LEFT', 'RIGHT')).toBe(false)
    expect(await leads('BITOP', 'AND', 'bd', 'b1', 'b2')).toBe(false)
    // No key at all.
    expect(await leads('DBSIZE')).toBe(false)
    h.dispose()
  })
})
