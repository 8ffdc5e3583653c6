/**
 * MULTI/EXEC/WATCH against a deliberately simple model, over random interleavings of two
 * clients: EXEC fails (nil) exactly when a key the client watched was written since
 * WATCH; queued writes run at EXEC and invalidate the other client's watches; the server
 * state stays self-consistent (validate()) after every step.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

type Op =
  | { c: 0 | 1; kind: 'set' | 'del' | 'get' | 'watch'; key: string }
  | { c: 0 | 1; kind: 'unwatch' | 'multi' | 'exec' | 'discard' }

const keyArb = fc.constantFrom('a', 'b', 'c')
const clientArb = fc.constantFrom<0 | 1>(0, 1)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ c: clientArb, kind: fc.constantFrom('set', 'del', 'get', 'watch'), key: keyArb }),
  fc.record({ c: clientArb, kind: fc.constantFrom('unwatch', 'multi', 'exec', 'discard') }),
) as fc.Arbitrary<Op>

interface ModelClient {
  watched: Set<string>
  dirty: boolean
  multi: Op[] | null
}

test.prop([fc.array(opArb, { minLength: 30, maxLength: 90 })], { numRuns: 100 })(
  'EXEC fails iff a watched key was written',
  (ops) => {
    const t = createTestEngine()
    const ids = [t.client, t.newClient()] as const
    const keys = new Set<string>()
    const model: ModelClient[] = [
      { watched: new Set(), dirty: false, multi: null },
      { watched: new Set(), dirty: false, multi: null },
    ]
    const touch = (key: string): void => {
      for (const m of model) if (m.watched.has(key)) m.dirty = true
    }
    const applyWrite = (op: Op): void => {
      if (op.kind === 'set') {
        keys.add(op.key)
        touch(op.key)
      } else if (op.kind === 'del' && keys.delete(op.key)) {
        touch(op.key)
      }
    }
    for (const op of ops) {
      const m = model[op.c] as ModelClient
      const id = ids[op.c]
      const argv = 'key' in op ? [op.kind, op.key, ...(op.kind === 'set' ? ['v'] : [])] : [op.kind]
      const reply = t.execOn(id, ...argv)
      switch (op.kind) {
        case 'set':
        case 'del':
        case 'get':
          if (m.multi !== null) {
            expect(reply).toEqual(r.simple('QUEUED'))
            m.multi.push(op)
          } else applyWrite(op)
          break
        case 'watch':
          if (m.multi !== null) {
            expect(reply).toEqual(r.err('ERR WATCH inside MULTI is not allowed'))
          } else {
            expect(reply).toEqual(r.ok)
            if (!m.dirty) m.watched.add(op.key)
          }
          break
        case 'unwatch':
          if (m.multi !== null) {
            expect(reply).toEqual(r.simple('QUEUED'))
            m.multi.push(op)
          } else {
            m.watched.clear()
            m.dirty = false
          }
          break
        case 'multi':
          if (m.multi !== null) expect(reply).toEqual(r.err('ERR MULTI calls can not be nested'))
          else m.multi = []
          break
        case 'discard':
          if (m.multi === null) expect(reply).toEqual(r.err('ERR DISCARD without MULTI'))
          else {
            m.multi = null
            m.watched.clear()
            m.dirty = false
          }
          break
        case 'exec':
          if (m.multi === null) {
            expect(reply).toEqual(r.err('ERR EXEC without MULTI'))
          } else {
            if (m.dirty) expect(reply).toEqual(r.arr(null))
            else {
              expect(reply.type).toBe('array')
              m.watched.clear()
              for (const q of m.multi) applyWrite(q)
            }
            m.multi = null
            m.watched.clear()
            m.dirty = false
          }
          break
      }
      expect(t.server.validate()).toEqual([])
    }
  },
)
