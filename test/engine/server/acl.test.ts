import { describe, expect, it } from 'vitest'
import {
  aclCreateUser,
  aclDescribeSelectorCommandRules,
  aclDescribeUser,
} from '../../../src/engine/acl.ts'
import type { Reply } from '../../../src/engine/reply.ts'
import { createTestEngine, r } from '../../harness/TestEngine.ts'

function lines(reply: Reply): string[] {
  if (reply.type !== 'array' || reply.value === null) throw new Error('not an array')
  return reply.value.map((x) => String(x.value))
}

function listOf(t: ReturnType<typeof createTestEngine>, name: string): string | undefined {
  return lines(t.exec('acl', 'list')).find((l) => l.startsWith(`user ${name} `))
}

describe('aclCreateUser / aclDescribeUser', () => {
  it('describes a new user as off, no channels, no commands', () => {
    expect(aclDescribeUser(aclCreateUser('x', false))).toBe('off resetchannels -@all')
    expect(aclDescribeUser(aclCreateUser('x', true))).toBe('off &* -@all')
  })

  it('starts from -@all without the future-commands bit', () => {
    const u = aclCreateUser('x', false)
    const root = u.selectors[0]
    if (root === undefined) throw new Error('no root selector')
    expect(aclDescribeSelectorCommandRules(root)).toBe('-@all')
  })
})

describe('ACL SETUSER rules', () => {
  it('keeps the default user as Redis creates it', () => {
    const t = createTestEngine()
    expect(t.exec('acl', 'list')).toEqual(r.bulks('user default on nopass ~* &* +@all'))
    expect(t.exec('acl', 'whoami')).toEqual(r.bulk('default'))
  })

  it('fits categories greedily, then single commands', () => {
    const t = createTestEngine()
    expect(t.exec('acl', 'setuser', 'a', '-@all', '+@string', '+@hash', '-hset')).toEqual(r.ok)
    expect(listOf(t, 'a')).toBe('user a off resetchannels -@all +@string +@hash -hset')
    expect(t.exec('acl', 'setuser', 'b', '+@all', '-get')).toEqual(r.ok)
    expect(listOf(t, 'b')).toBe('user b off resetchannels +@all -get')
    // -@all keeps future commands out; nocommands is its alias.
    t.exec('acl', 'setuser', 'c', 'allcommands', 'nocommands', '+config', '-config|set')
    expect(listOf(t, 'c')).toBe('user c off resetchannels -@all +config -config|set')
  })

  it('keeps first arguments of commands without subcommands', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'm', '+select|0', '+SELECT|0', '+select|1')
    expect(listOf(t, 'm')).toBe('user m off resetchannels -@all +select|0 +select|1')
    // +select resets them: the command is allowed whole.
    t.exec('acl', 'setuser', 'm', '+select')
    expect(listOf(t, 'm')).toBe('user m off resetchannels -@all +select')
  })

  it('merges key pattern permissions and renders them', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 's', '%R~x', '%W~x', '~y', '%R~y', '%W~w', '%RW~*')
    expect(listOf(t, 's')).toBe('user s off ~x ~y %W~w ~* resetchannels -@all')
  })

  it('applies a selector only when all its rules are valid, and reports the whole selector', () => {
    const t = createTestEngine()
    expect(t.exec('acl', 'setuser', 'u', '(~a', '+get)', '(~b', 'bogus)')).toEqual(
      r.err("ERR Error in ACL SETUSER modifier '(~b bogus)': Syntax error"),
    )
    expect(t.exec('acl', 'users')).toEqual(r.bulks('default'))
    expect(t.exec('acl', 'setuser', 'u', '(~a', '+get)')).toEqual(r.ok)
    expect(listOf(t, 'u')).toBe('user u off resetchannels -@all (~a resetchannels -@all +get)')
    expect(t.exec('acl', 'setuser', 'u', '(~a')).toEqual(
      r.err("ERR Unmatched parenthesis in acl selector starting at '(~a'."),
    )
  })

  it('answers acl.c errno messages', () => {
    const t = createTestEngine()
    const err = (op: string, why: string): Reply =>
      r.err(`ERR Error in ACL SETUSER modifier '${op}': ${why}`)
    expect(t.exec('acl', 'setuser', 'e', '+nosuch')).toEqual(
      err('+nosuch', 'Unknown command or category name in ACL'),
    )
    expect(t.exec('acl', 'setuser', 'e', '+config|get|x')).toEqual(
      err('+config|get|x', 'Allowing first-arg of a subcommand is not supported'),
    )
    expect(t.exec('acl', 'setuser', 'e', '<nope')).toEqual(
      err('<nope', 'The password you are trying to remove from the user does not exist'),
    )
    expect(t.exec('acl', 'setuser', 'e', '#abc')).toEqual(
      err(
        '#abc',
        'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
      ),
    )
    expect(t.exec('acl', 'setuser', 'e', 'allkeys', '~x')).toEqual(
      err(
        '~x',
        "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
      ),
    )
    expect(t.exec('acl', 'setuser', 'a b')).toEqual(
      r.err("ERR Usernames can't contain spaces or null characters"),
    )
  })
})

describe('AUTH and permissions', () => {
  it('authenticates a user and denies commands, keys and channels with NOPERM', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'v', 'on', '>pw', '~v:*', '&v:*', '+@all', '-flushdb')
    const c = t.newClient()
    expect(t.execOn(c, 'auth', 'v', 'bad')).toEqual(
      r.err('WRONGPASS invalid username-password pair or user is disabled.'),
    )
    expect(t.execOn(c, 'auth', 'v', 'pw')).toEqual(r.ok)
    expect(t.execOn(c, 'acl', 'whoami')).toEqual(r.bulk('v'))
    expect(t.execOn(c, 'set', 'v:a', '1')).toEqual(r.ok)
    expect(t.execOn(c, 'set', 'b', '1')).toEqual(
      r.err('NOPERM this user has no permissions to access one of the keys used as arguments'),
    )
    expect(t.execOn(c, 'flushdb')).toEqual(
      r.err("NOPERM this user has no permissions to run the 'flushdb' command"),
    )
    expect(t.execOn(c, 'publish', 'news', 'm')).toEqual(
      r.err('NOPERM this user has no permissions to access one of the channels used as arguments'),
    )
    // A NOPERM inside MULTI flags the transaction.
    expect(t.execOn(c, 'multi')).toEqual(r.ok)
    expect(t.execOn(c, 'flushdb')).toEqual(
      r.err("NOPERM this user has no permissions to run the 'flushdb' command"),
    )
    expect(t.execOn(c, 'exec')).toEqual(
      r.err('EXECABORT Transaction discarded because of previous errors.'),
    )
    expect(t.server.validate()).toEqual([])
  })

  it('re-checks queued commands at EXEC', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'w', 'on', 'nopass', '~*', '+@all')
    const c = t.newClient()
    t.execOn(c, 'auth', 'w', 'x')
    t.execOn(c, 'multi')
    expect(t.execOn(c, 'get', 'k')).toEqual(r.simple('QUEUED'))
    t.exec('acl', 'setuser', 'w', '-get')
    expect(t.execOn(c, 'exec')).toEqual(
      r.arr([
        r.err(
          'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand',
        ),
      ]),
    )
  })

  it('disconnects the clients of a deleted user and shows users in CLIENT LIST', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'x', 'on', 'nopass', '+@all', '~*')
    const c = t.newClient()
    t.execOn(c, 'auth', 'x', 'any')
    const info = t.execOn(c, 'client', 'info')
    expect(info.type === 'bulk' && info.value?.includes(' user=x ')).toBe(true)
    expect(t.exec('client', 'kill', 'user', 'nosuch')).toEqual(r.err("ERR No such user 'nosuch'"))
    expect(t.exec('acl', 'deluser', 'default')).toEqual(
      r.err("ERR The 'default' user cannot be removed"),
    )
    expect(t.exec('acl', 'deluser', 'x', 'y')).toEqual(r.int(1))
    expect(t.server.shouldClose(c)).toBe(true)
    expect(t.server.validate()).toEqual([])
  })

  it('makes requirepass the default user password, applied when it changes', () => {
    const t = createTestEngine()
    expect(t.exec('config', 'set', 'requirepass', 'pw')).toEqual(r.ok)
    expect(listOf(t, 'default')).toBe(
      'user default on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* &* +@all',
    )
    const c = t.newClient()
    expect(t.execOn(c, 'ping')).toEqual(r.err('NOAUTH Authentication required.'))
    t.exec('acl', 'setuser', 'default', 'nopass')
    // Unchanged value: config.c does not apply it, the default user keeps nopass.
    expect(t.exec('config', 'set', 'requirepass', 'pw')).toEqual(r.ok)
    expect(listOf(t, 'default')).toBe('user default on nopass ~* &* +@all')
  })

  it('answers DRYRUN without running the command', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'd', '~k*', '+get')
    expect(t.exec('acl', 'dryrun', 'd', 'get', 'k1')).toEqual(r.ok)
    expect(t.exec('acl', 'dryrun', 'd', 'get', 'x')).toEqual(
      r.bulk("This user has no permissions to access the 'x' key"),
    )
    expect(t.exec('acl', 'dryrun', 'd', 'set', 'k1', 'v')).toEqual(
      r.bulk("This user has no permissions to run the 'set' command"),
    )
    expect(t.exec('acl', 'dryrun', 'nobody', 'get', 'x')).toEqual(
      r.err("ERR User 'nobody' not found"),
    )
  })

  it('costs nothing while every user can run everything', () => {
    const t = createTestEngine()
    expect(t.server.validate()).toEqual([])
    t.exec('acl', 'setuser', 'all', 'on', 'nopass', '+@all', '~*', '&*')
    t.exec('acl', 'setuser', 'some', '-get')
    t.exec('acl', 'deluser', 'some')
    // Only fully permitted users are left: GET of any key passes without a check.
    expect(t.exec('get', 'anything')).toEqual(r.bulk(null))
  })
})

describe('snapshots', () => {
  it('clones users and client users independently (snapshot.ts)', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'k', 'on', 'nopass', '~*', '+@all', '-get')
    const c = t.newClient()
    t.execOn(c, 'auth', 'k', 'x')
    const copy = t.server.clone(t.clock)
    copy.call(['acl', 'setuser', 'k', '+get'])
    expect(copy.call(['get', 'a'], c)).toEqual(r.bulk(null))
    expect(t.execOn(c, 'get', 'a')).toEqual(
      r.err("NOPERM this user has no permissions to run the 'get' command"),
    )
    expect(copy.validate()).toEqual([])
  })
})

describe('ACL GENPASS and LOG', () => {
  it('draws hex digits from the seeded rng', () => {
    const a = createTestEngine({ seed: 5 })
    const b = createTestEngine({ seed: 5 })
    const p = a.exec('acl', 'genpass')
    expect(p).toEqual(b.exec('acl', 'genpass'))
    expect(p.type === 'bulk' && /^[0-9a-f]{64}$/.test(p.value ?? '')).toBe(true)
    const q = a.exec('acl', 'genpass', '5')
    expect(q.type === 'bulk' && q.value?.length).toBe(2)
  })

  it('groups similar entries and reports their age from the clock', () => {
    const t = createTestEngine()
    t.exec('acl', 'setuser', 'l', 'on', 'nopass', '~*', '-@all', '+auth')
    const c = t.newClient()
    t.execOn(c, 'auth', 'l', 'x')
    t.execOn(c, 'get', 'k')
    t.clock.advance(1500)
    t.execOn(c, 'get', 'k')
    const log = t.exec('acl', 'log')
    if (log.type !== 'array' || log.value === null) throw new Error('not an array')
    expect(log.value).toHaveLength(1)
    const entry = lines(log.value[0] as Reply)
    expect(entry.slice(0, 10)).toEqual([
      'count',
      '2',
      'reason',
      'command',
      'context',
      'toplevel',
      'object',
      'get',
      'username',
      'l',
    ])
    expect(entry[11]).toBe('0')
  })
})
