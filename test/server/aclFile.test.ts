/**
 * The aclfile of `npm run serve` (acl.c ACLLoadUsersAtStartup, ACLLoadFromFile,
 * ACLSaveToFile): users loaded at startup, ACL SAVE writing ACL LIST's lines, ACL LOAD
 * replacing the users (or, on any error, telling every error and changing nothing), and the
 * startups Redis refuses. Each reply and log line below was read from redis-server 7.0.15
 * given the same files and commands.
 */
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { logLines, servedProcesses } from './served.ts'

const { serve, client, stop } = servedProcesses()

afterAll(stop)

const USERS =
  'user alice on allcommands allkeys &* >alice\n' +
  'user bob on -@all +@set +acl ~set* &* >bob\n' +
  'user default on nopass ~* &* +@all\n'

const ALICE =
  'user alice on #2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90 ~* &* +@all'
const BOB =
  'user bob on #81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9 ~set* &* -@all +@set +acl'
const DEFAULT = 'user default on nopass ~* &* +@all'
const EVE =
  'user eve on #85262adf74518bbb70c7cb94cd6159d91669e5a81edf1efebd543eadbda9fa2b ~* resetchannels -@all +get'

/** A RESP array of bulk strings. */
function bulks(items: readonly string[]): string {
  return `*${String(items.length)}\r\n${items.map((s) => `$${String(s.length)}\r\n${s}\r\n`).join('')}`
}

function aclDir(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xray-acl-'))
  writeFileSync(join(dir, 'users.acl'), content)
  return dir
}

describe('npm run serve with an aclfile', { timeout: 120_000 }, () => {
  it('loads it at startup, saves with ACL SAVE and reloads with ACL LOAD', async () => {
    const dir = aclDir(USERS)
    const s = await serve(dir, '--aclfile', 'users.acl')
    const c = await client(s.port)
    expect((await c.command('ACL', 'LIST')).raw).toBe(bulks([ALICE, BOB, DEFAULT]))
    await c.command('ACL', 'SETUSER', 'eve', '+get', 'allkeys', '>eve', 'on')
    expect((await c.command('ACL', 'SAVE')).raw).toBe('+OK\r\n')
    expect(readFileSync(join(dir, 'users.acl'), 'latin1')).toBe(
      [ALICE, BOB, DEFAULT, EVE, ''].join('\n'),
    )
    // Every error of the file is told, and nothing changes.
    appendFileSync(
      join(dir, 'users.acl'),
      'user alice on nopass ~* -@all\nuser alice on\nfoo bar\nuser x +nosuchcmd +alsobad\nuser y on badrule worse\nuser z (+get\n',
    )
    expect((await c.command('ACL', 'LOAD')).raw).toBe(
      "-ERR WARNING: Duplicate user 'alice' found on line 5. WARNING: Duplicate user 'alice' found on line 6. users.acl:7 should start with user keyword followed by the username. users.acl:8: Error in applying operation '+nosuchcmd': Unknown command or category name in ACL. users.acl:8: Error in applying operation '+alsobad': Unknown command or category name in ACL. users.acl:9: Syntax error. users.acl:10: Unmatched parenthesis in selector definition.WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n",
    )
    expect((await c.command('ACL', 'LOAD', 'extra')).raw).toBe(
      "-ERR wrong number of arguments for 'acl|load' command\r\n",
    )
    expect((await c.command('ACL', 'USERS')).raw).toBe(bulks(['alice', 'bob', 'default', 'eve']))
    // Spaces split arguments one by one: an empty username, then 'p' is no rule.
    writeFileSync(join(dir, 'users.acl'), '\n\n  user   p   on  \nuser q on\r\n')
    expect((await c.command('ACL', 'LOAD')).raw).toBe(
      '-ERR users.acl:3: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n',
    )
    // A good file replaces the users; the clients of the old ones (not default's) are closed.
    writeFileSync(join(dir, 'users.acl'), `${ALICE}\n${EVE}\n`)
    const asAlice = await client(s.port)
    expect((await asAlice.command('AUTH', 'alice', 'alice')).raw).toBe('+OK\r\n')
    expect((await asAlice.command('ACL', 'LOAD')).raw).toBe('+OK\r\n')
    expect(await asAlice.closed()).toBe('')
    expect((await c.command('ACL', 'LIST')).raw).toBe(bulks([ALICE, DEFAULT, EVE]))
    expect((await c.command('AUTH', 'eve', 'eve')).raw).toBe('+OK\r\n')
    expect((await c.command('SET', 'k', 'v')).raw).toBe(
      "-NOPERM this user has no permissions to run the 'set' command\r\n",
    )
  })

  it('refuses to start on a bad or missing aclfile, or one given with config users', async () => {
    const dir = aclDir('user a on\nuser a off\n')
    const bad = await serve(dir, '--aclfile', 'users.acl')
    expect(await bad.exited).toBe(1)
    expect(logLines(bad.log()).slice(-1)).toEqual([
      "# Aborting Redis startup because of ACL errors: WARNING: Duplicate user 'a' found on line 2. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    ])
    const missing = await serve(dir, '--aclfile', 'nofile.acl')
    expect(await missing.exited).toBe(1)
    expect(logLines(missing.log()).slice(-1)).toEqual([
      "# Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'nofile.acl': No such file or directory",
    ])
    const both = await serve(dir, '--aclfile', 'users.acl', '--user', 'foo')
    expect(await both.exited).toBe(1)
    expect(logLines(both.log()).slice(-1)).toEqual([
      '# Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
    ])
  })
})
