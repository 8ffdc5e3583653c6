/**
 * ACL users against redis-server 7.0.15, where a plain script cannot compare:
 *
 * - ACL LIST / GETUSER for random rule sequences (fast-check): the greedy category fit of
 *   ACLDescribeSelectorCommandRules must pick the same categories in the same order; the
 *   single +cmd / -cmd rules after them follow Redis's command dict (its random hash seed),
 *   so those are compared as a set;
 * - ACL LOG, whose age-seconds and client-info (ids, ports, ages) differ between any two
 *   runs: those two fields are reduced to the client-info fields that do not vary.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/engine/reply.ts'
import type { RawClient } from '../server/rawClient.ts'
import { bothServersPerFile } from './bothServers.ts'

const servers = bothServersPerFile({ tcp: true })

/** Single command rules last and sorted; everything else (flags, keys, categories) in order. */
function canonicalRules(line: string): string {
  const tokens = line.split(' ')
  const single = tokens.filter((t) => /^[+-][^@]/.test(t)).sort()
  const rest = tokens.filter((t) => !/^[+-][^@]/.test(t))
  return `${rest.join(' ')} | ${single.join(' ')}`
}

function flat(r: Reply): unknown {
  if (r.type === 'array') return r.value?.map(flat) ?? null
  return r.value
}

const COMMANDS = [
  'get',
  'set',
  'del',
  'hset',
  'zadd',
  'sort',
  'keys',
  'flushall',
  'info',
  'publish',
  'subscribe',
  'client',
  'client|id',
  'client|kill',
  'config',
  'config|get',
  'config|set',
  'object|encoding',
  'acl|whoami',
  'xadd',
  'eval',
  'multi',
  'debug',
]
const CATEGORIES = [
  'all',
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
]

const rule = fc.oneof(
  fc.tuple(fc.constantFrom('+@', '-@'), fc.constantFrom(...CATEGORIES)).map(([s, c]) => s + c),
  fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom(...COMMANDS)).map(([s, c]) => s + c),
  fc.constantFrom('allcommands', 'nocommands', '+select|0', '+select|1', '~k*', '%R~r*', '&ch'),
)

async function describeUser(c: RawClient, rules: readonly string[]): Promise<[string, string]> {
  await c.command('ACL', 'SETUSER', 'u', 'reset', ...rules)
  const list = (await c.command('ACL', 'LIST')).reply
  const line = (flat(list) as string[]).find((l) => l.startsWith('user u ')) ?? ''
  const getuser = flat((await c.command('ACL', 'GETUSER', 'u')).reply) as unknown[]
  return [canonicalRules(line), canonicalRules(String(getuser[5]))]
}

describe('ACL against redis-server', () => {
  it('renders random rule sequences as Redis does (ACL LIST, GETUSER commands)', async () => {
    const real = await servers.connectReal()
    const ours = await servers.connectOurs()
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 8 }), async (rules) => {
          expect(await describeUser(ours, rules)).toEqual(await describeUser(real, rules))
        }),
        { numRuns: 150, seed: 7 },
      )
    } finally {
      real.close()
      ours.close()
    }
  })

  it('logs denied commands, keys, channels and failed AUTH as Redis does (ACL LOG)', async () => {
    const scenario = async (connect: () => Promise<RawClient>): Promise<unknown[]> => {
      const admin = await connect()
      const user = await connect()
      const out: unknown[] = []
      const run = async (c: RawClient, ...argv: string[]): Promise<void> => {
        out.push(flat((await c.command(...argv)).reply))
      }
      try {
        await run(admin, 'ACL', 'LOG', 'RESET')
        await run(admin, 'ACL', 'SETUSER', 'v', 'on', '>pw', '~v:*', '&v:*', '+@all', '-flushdb')
        await run(user, 'AUTH', 'v', 'nope')
        await run(user, 'AUTH', 'nosuch', 'nope')
        await run(user, 'AUTH', 'v', 'pw')
        await run(user, 'GET', 'secret')
        await run(user, 'GET', 'secret')
        await run(user, 'MSET', 'v:a', '1', 'other', '2')
        await run(user, 'FLUSHDB')
        await run(user, 'PUBLISH', 'news', 'x')
        await run(user, 'MULTI')
        await run(user, 'FLUSHDB')
        await run(user, 'DISCARD')
        const aclLog = async (...args: string[]): Promise<void> => {
          const log = (await admin.command('ACL', 'LOG', ...args)).reply
          out.push(
            (flat(log) as unknown[][]).map((e) =>
              e.map((v, i) => {
                if (e[i - 1] === 'age-seconds') return typeof v
                if (e[i - 1] === 'client-info')
                  return String(v)
                    .split(' ')
                    .filter((f) => /^(name|db|multi|cmd|user|flags)=/.test(f))
                    .join(' ')
                return v
              }),
            ),
          )
        }
        await aclLog('2')
        await aclLog('-1')
        await aclLog()
        await run(admin, 'CONFIG', 'SET', 'acllog-max-len', '2')
        await run(user, 'GET', 'x1')
        out.push((flat((await admin.command('ACL', 'LOG')).reply) as unknown[]).length)
        await run(admin, 'CONFIG', 'SET', 'acllog-max-len', '128')
        await run(admin, 'ACL', 'LOG', 'RESET')
        await run(admin, 'ACL', 'LOG')
        await run(admin, 'ACL', 'DELUSER', 'v')
      } finally {
        admin.close()
        user.close()
      }
      return out
    }
    const want = await scenario(() => servers.connectReal())
    expect(await scenario(() => servers.connectOurs())).toEqual(want)
  })
})
