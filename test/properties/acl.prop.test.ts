/**
 * ACL LIST's rules are canonical (acl.c ACLDescribeUser): for random ACL SETUSER rule
 * sequences (flags, passwords, key and channel patterns, categories, commands, first
 * arguments, selectors), giving a new user the rules ACL LIST shows for the first one makes
 * an identical user, ACL GETUSER agrees with it, and the state stays valid.
 */
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import { ACL_CATEGORIES } from '../../src/engine/acl.ts'
import type { Reply } from '../../src/engine/reply.ts'

const command = fc.constantFrom(
  'get',
  'set',
  'hset',
  'sort',
  'flushall',
  'client',
  'client|id',
  'config',
  'config|set',
  'object|encoding',
  'acl|whoami',
  'publish',
)
const selectorRule = fc.oneof(
  fc
    .tuple(fc.constantFrom('+@', '-@'), fc.constantFrom('all', ...ACL_CATEGORIES))
    .map(([s, c]) => s + c),
  fc.tuple(fc.constantFrom('+', '-'), command).map(([s, c]) => s + c),
  fc.constantFrom(
    'allcommands',
    'nocommands',
    '+select|0',
    '+select|9',
    '~k*',
    '%R~r*',
    '%W~w?',
    'resetkeys',
    'allkeys',
    '&ch*',
    'resetchannels',
    'allchannels',
  ),
)
const userRule = fc.oneof(
  selectorRule,
  fc.constantFrom('on', 'off', 'nopass', 'resetpass', '>pw1', '>pw2', 'sanitize-payload'),
  fc.constantFrom('skip-sanitize-payload', 'clearselectors'),
  fc.array(selectorRule, { minLength: 1, maxLength: 4 }).map((rs) => `(${rs.join(' ')})`),
)

function listLine(reply: Reply, name: string): string {
  if (reply.type !== 'array' || reply.value === null) throw new Error('ACL LIST: not an array')
  const prefix = `user ${name} `
  for (const r of reply.value)
    if (r.type === 'bulk' && r.value?.startsWith(prefix) === true)
      return r.value.slice(prefix.length)
  throw new Error(`no user ${name}`)
}

test.prop([fc.array(userRule, { minLength: 1, maxLength: 12 })], { numRuns: 150 })(
  'ACL LIST rules re-applied to a new user give the same user',
  (rules) => {
    const srv = createServer({ seed: 1 })
    const setA = srv.call(['ACL', 'SETUSER', 'a', ...rules])
    // Some sequences are invalid (e.g. ~k* after allkeys): then nothing changes.
    if (setA.type === 'error') {
      expect(srv.call(['ACL', 'USERS'])).toEqual({
        type: 'array',
        value: [{ type: 'bulk', value: 'default' }],
      })
      return
    }
    const a = listLine(srv.call(['ACL', 'LIST']), 'a')
    expect(srv.call(['ACL', 'SETUSER', 'b', ...a.split(' ')])).toEqual({
      type: 'simple',
      value: 'OK',
    })
    expect(listLine(srv.call(['ACL', 'LIST']), 'b')).toBe(a)
    expect(srv.call(['ACL', 'GETUSER', 'b'])).toEqual(srv.call(['ACL', 'GETUSER', 'a']))
    expect(srv.validate()).toEqual([])
  },
)
