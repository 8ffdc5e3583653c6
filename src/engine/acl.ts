/**
 * ACL users — follows redis/src/acl.c (7.0.15).
 *
 * A user has flags (on/off, nopass, sanitize-payload), a list of password hashes (SHA-256
 * hex, util/sha256.ts) and a list of selectors. The first selector is the root one (the
 * rules given outside parentheses); 7.0's "(...)" rules add more. A command is allowed when
 * any selector allows it with every key and channel it names.
 *
 * A selector holds one bit per command of Redis's original command table (containers and
 * subcommands each have their own id, in COMMAND_META order here, in dict order in Redis),
 * plus the reserved "future commands" bit that only +@all / allcommands sets and only -@all
 * clears: ACL LIST starts from +@all when it is set, from -@all otherwise. A command with
 * its bit off may still be allowed with given first arguments (+select|0, a deprecated
 * form). Key patterns carry read/write permissions (~p is both, %R~p read, %W~p write);
 * channel patterns are plain globs (matched literally against PSUBSCRIBE patterns).
 *
 * ACL SETUSER applies every rule to a copy of the user and only then to the user itself,
 * so a bad rule changes nothing. ACL LIST / GETUSER re-render the bitmap as rules
 * (aclDescribeSelectorCommandRules): the categories that best fit the bits are applied
 * greedily to a "fake" selector, then single +cmd / -cmd rules fix what is left, so the
 * output read back by SETUSER gives the same bitmap.
 *
 * Permissions are checked in processCommand (server.ts) only while some user is restricted
 * (srv.aclRestricted); the default user alone (+@all ~* &*) costs that one boolean.
 *
 * Invariants (see aclValidate): the default user exists and is in the table under its name;
 * each user's first selector, and only it, is the root; a selector's allkeys/allchannels
 * flags imply an empty pattern list; passwords are 64 lowercase hex digits without repeats.
 */
import { cstr } from './bytes.ts'
import { COMMAND_META } from './commands/meta.generated.ts'
import type { AclCategory, CommandSpec } from './commands/spec.ts'
import { getKeysFromCommandWithSpecs, type KeyReference } from './commands/server.ts'
import { clientInfoString, freeClientAsync } from './commands/connection.ts'
import { sdssplitargs } from './resp.ts'
import { dictForEach } from './structures/dict.ts'
import { sdstrim } from './structures/sds.ts'
import { rngNextU32, type Rng } from './rng.ts'
import type { ExecContext } from './context.ts'
import type { Client, ServerState } from './state.ts'
import { stringmatchlen } from './util/glob.ts'
import { sha256Hex } from './util/sha256.ts'

// --- Constants ---

/** acl.c ACLCommandCategories, in its order (ACL CAT lists them so, ACL LIST tries them so). */
export const ACL_CATEGORIES: readonly AclCategory[] = [
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

// server.h USER_FLAG_*: the order of USER_FLAG_NAMES is ACLDescribeUser's.
export const USER_FLAG_ENABLED = 1
export const USER_FLAG_DISABLED = 2
export const USER_FLAG_NOPASS = 4
export const USER_FLAG_SANITIZE_PAYLOAD = 8
export const USER_FLAG_SANITIZE_PAYLOAD_SKIP = 16
const USER_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['on', USER_FLAG_ENABLED],
  ['off', USER_FLAG_DISABLED],
  ['nopass', USER_FLAG_NOPASS],
  ['skip-sanitize-payload', USER_FLAG_SANITIZE_PAYLOAD_SKIP],
  ['sanitize-payload', USER_FLAG_SANITIZE_PAYLOAD],
]

// acl.c SELECTOR_FLAG_*
const SELECTOR_FLAG_ROOT = 1
const SELECTOR_FLAG_ALLKEYS = 2
const SELECTOR_FLAG_ALLCOMMANDS = 4
const SELECTOR_FLAG_ALLCHANNELS = 8

// server.h ACL_READ_PERMISSION / ACL_WRITE_PERMISSION
const ACL_READ_PERMISSION = 1
const ACL_WRITE_PERMISSION = 2
const ACL_ALL_PERMISSION = 3

/** acl.c GENPASS_MAX_BITS */
const GENPASS_MAX_BITS = 4096
/** acl.c ACL_LOG_GROUPING_MAX_TIME_DELTA (ms) */
const ACL_LOG_GROUPING_MAX_TIME_DELTA = 60000

// --- Command universe ---

/** One command of the original table as ACLs see it: an id, its categories, its family. */
interface AclCommand {
  readonly id: number
  /** 'get', or 'config|get'. */
  readonly fullname: string
  /** Bit j set when the command is in ACL_CATEGORIES[j]. */
  readonly cats: number
  readonly parent: AclCommand | null
  readonly subs: AclCommand[]
}

const byId: AclCommand[] = []
const byName = new Map<string, AclCommand>()
const topLevel: AclCommand[] = []
for (const [fullname, meta] of Object.entries(COMMAND_META)) {
  let cats = 0
  for (const a of meta.acl) {
    const j = ACL_CATEGORIES.indexOf(a as AclCategory)
    if (j >= 0) cats |= 1 << j
  }
  const bar = fullname.indexOf('|')
  const parent = bar < 0 ? null : (byName.get(fullname.slice(0, bar)) ?? null)
  const cmd: AclCommand = { id: byId.length, fullname, cats, parent, subs: [] }
  byId.push(cmd)
  byName.set(fullname, cmd)
  if (parent === null) topLevel.push(cmd)
  else parent.subs.push(cmd)
}
const COMMAND_COUNT = byId.length

/**
 * acl.c ACLLookupCommand (lookupCommandBySdsLogic, strict): 'name' or 'container|sub',
 * case-insensitive; a '|' after a command without subcommands finds nothing.
 */
function aclLookupCommand(name: string): AclCommand | undefined {
  const parts = name.toLowerCase().split('|')
  if (parts.length > 2 || name === '') return undefined
  const base = byName.get(parts[0] ?? '')
  if (parts.length === 1) return base
  if (base === undefined || base.subs.length === 0) return undefined
  return byName.get(`${parts[0] ?? ''}|${parts[1] ?? ''}`)
}

function categoryIndex(name: string): number {
  const n = cstr(name).toLowerCase()
  return ACL_CATEGORIES.indexOf(n as AclCategory)
}

// --- Types ---

/** acl.c keyPattern: a glob and the ACL_*_PERMISSION bits it grants. */
export interface KeyPattern {
  pattern: string
  flags: number
}

/** acl.c aclSelector. */
export interface AclSelector {
  flags: number
  /** One byte (0/1) per command id: allowed_commands. */
  allowed: Uint8Array
  /** The reserved last bit of allowed_commands (ACLSelectorCanExecuteFutureCommands). */
  future: boolean
  /** allowed_firstargs: command id → first arguments allowed while its bit is off. */
  firstArgs: Map<number, string[]> | null
  patterns: KeyPattern[]
  channels: string[]
}

/** server.h user. */
export interface AclUser {
  readonly name: string
  flags: number
  /** SHA-256 hex hashes, in the order they were added. */
  passwords: string[]
  /** The root selector first. */
  selectors: AclSelector[]
}

export type AclDenied = 'command' | 'key' | 'channel' | 'auth'
export type AclLogContext = 'toplevel' | 'multi' | 'lua' | 'module'

/** acl.c ACLLogEntry. */
export interface AclLogEntry {
  count: number
  readonly reason: AclDenied
  readonly context: AclLogContext
  readonly object: string
  readonly username: string
  /** Unix ms of the last update. */
  ctime: number
  /** catClientInfoString of the last client. */
  cinfo: string
}

/** The ACL subsystem's globals (Users, DefaultUser, ACLLog). */
export interface AclState {
  /** By name; listed in byte order as Redis's rax does. */
  users: Map<string, AclUser>
  defaultUser: AclUser
  /** Newest first. */
  log: AclLogEntry[]
}

/** acl.c's errno values for ACLSetUser failures (ACLSetUserStringError). */
type AclErrno = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD'

const ERRNO_MESSAGES: Readonly<Record<AclErrno, string>> = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG:
    'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
}

// --- Selectors ---

/** acl.c ACLCreateSelector: no permissions, plus acl-pubsub-default's allchannels. */
function aclCreateSelector(flags: number, pubsubAll: boolean): AclSelector {
  return {
    flags: flags | (pubsubAll ? SELECTOR_FLAG_ALLCHANNELS : 0),
    allowed: new Uint8Array(COMMAND_COUNT),
    future: false,
    firstArgs: null,
    patterns: [],
    channels: [],
  }
}

function aclCopySelector(s: AclSelector): AclSelector {
  let firstArgs: Map<number, string[]> | null = null
  if (s.firstArgs !== null) {
    firstArgs = new Map()
    for (const [id, args] of s.firstArgs) firstArgs.set(id, [...args])
  }
  return {
    flags: s.flags,
    allowed: s.allowed.slice(),
    future: s.future,
    firstArgs,
    patterns: s.patterns.map((p) => ({ ...p })),
    channels: [...s.channels],
  }
}

/** acl.c ACLSetSelectorCommandBit: clearing a bit also drops ALLCOMMANDS. */
function setCommandBit(s: AclSelector, id: number, value: boolean): void {
  s.allowed[id] = value ? 1 : 0
  if (!value) s.flags &= ~SELECTOR_FLAG_ALLCOMMANDS
}

/** acl.c ACLChangeSelectorPerm: a command, and a container's every subcommand. */
function aclChangeSelectorPerm(s: AclSelector, cmd: AclCommand, allow: boolean): void {
  setCommandBit(s, cmd.id, allow)
  s.firstArgs?.delete(cmd.id)
  for (const sub of cmd.subs) setCommandBit(s, sub.id, allow)
}

/** acl.c ACLSetSelectorCommandBitsForCategory (the category index is valid). */
function setCategoryBits(s: AclSelector, cat: number, allow: boolean): void {
  const bit = 1 << cat
  for (const cmd of byId) if (cmd.cats & bit) aclChangeSelectorPerm(s, cmd, allow)
}

/** acl.c ACLCountCategoryBitsForSelector. */
function countCategoryBits(s: AclSelector, cat: number): { on: number; off: number } {
  const bit = 1 << cat
  let on = 0
  let off = 0
  for (const cmd of byId) {
    if (!(cmd.cats & bit)) continue
    if (s.allowed[cmd.id] === 1) on++
    else off++
  }
  return { on, off }
}

/** acl.c ACLAddAllowedFirstArg: once per first argument (case-insensitive). */
function addAllowedFirstArg(s: AclSelector, id: number, sub: string): void {
  s.firstArgs ??= new Map()
  let args = s.firstArgs.get(id)
  if (args === undefined) s.firstArgs.set(id, (args = []))
  const lower = sub.toLowerCase()
  if (!args.some((a) => a.toLowerCase() === lower)) args.push(sub)
}

/** acl.c ACLStringHasSpaces: isspace or NUL anywhere. */
function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0 || c === 32 || (c >= 9 && c <= 13)) return true
  }
  return false
}

/** acl.c ACLSetSelector: one rule on a selector; an errno on failure. */
function aclSetSelector(s: AclSelector, op: string): AclErrno | null {
  const lop = cstr(op).toLowerCase()
  if (lop === 'allkeys' || lop === '~*') {
    s.flags |= SELECTOR_FLAG_ALLKEYS
    s.patterns = []
  } else if (lop === 'resetkeys') {
    s.flags &= ~SELECTOR_FLAG_ALLKEYS
    s.patterns = []
  } else if (lop === 'allchannels' || lop === '&*') {
    s.flags |= SELECTOR_FLAG_ALLCHANNELS
    s.channels = []
  } else if (lop === 'resetchannels') {
    s.flags &= ~SELECTOR_FLAG_ALLCHANNELS
    s.channels = []
  } else if (lop === 'allcommands' || lop === '+@all') {
    s.allowed.fill(1)
    s.future = true
    s.flags |= SELECTOR_FLAG_ALLCOMMANDS
    s.firstArgs = null
  } else if (lop === 'nocommands' || lop === '-@all') {
    s.allowed.fill(0)
    s.future = false
    s.flags &= ~SELECTOR_FLAG_ALLCOMMANDS
    s.firstArgs = null
  } else if (op[0] === '~' || op[0] === '%') {
    if (s.flags & SELECTOR_FLAG_ALLKEYS) return 'EEXIST'
    let flags = 0
    let offset = 1
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const ch = (op[offset] ?? '').toUpperCase()
        if (ch === 'R' && !(flags & ACL_READ_PERMISSION)) flags |= ACL_READ_PERMISSION
        else if (ch === 'W' && !(flags & ACL_WRITE_PERMISSION)) flags |= ACL_WRITE_PERMISSION
        else if (op[offset] === '~') {
          offset++
          break
        } else return 'EINVAL'
      }
      // The oracle (Debian's 7.0.15) refuses a pattern that grants nothing ("%~x", "%"),
      // which upstream 7.0.15 would store and later fail to render.
      if (flags === 0) return 'EINVAL'
    } else {
      flags = ACL_ALL_PERMISSION
    }
    const pattern = op.slice(offset)
    if (hasSpaces(pattern)) return 'EINVAL'
    const found = s.patterns.find((p) => p.pattern === pattern)
    if (found === undefined) s.patterns.push({ pattern, flags })
    else found.flags |= flags
    s.flags &= ~SELECTOR_FLAG_ALLKEYS
  } else if (op[0] === '&') {
    if (s.flags & SELECTOR_FLAG_ALLCHANNELS) return 'EISDIR'
    const pattern = op.slice(1)
    if (hasSpaces(pattern)) return 'EINVAL'
    if (!s.channels.includes(pattern)) s.channels.push(pattern)
    s.flags &= ~SELECTOR_FLAG_ALLCHANNELS
  } else if (op[0] === '+' && op[1] !== '@') {
    const name = cstr(op.slice(1))
    const bar = name.lastIndexOf('|')
    if (bar < 0) {
      const cmd = aclLookupCommand(name)
      if (cmd === undefined) return 'ENOENT'
      aclChangeSelectorPerm(s, cmd, true)
    } else {
      const sub = name.slice(bar + 1)
      let cmd = aclLookupCommand(name.slice(0, bar))
      if (cmd === undefined) return 'ENOENT'
      if (cmd.parent !== null) return 'ECHILD'
      if (sub === '') return 'EINVAL'
      if (cmd.subs.length > 0) {
        cmd = aclLookupCommand(name)
        if (cmd === undefined) return 'ENOENT'
        aclChangeSelectorPerm(s, cmd, true)
      } else {
        addAllowedFirstArg(s, cmd.id, sub)
      }
    }
  } else if (op[0] === '-' && op[1] !== '@') {
    const cmd = aclLookupCommand(cstr(op.slice(1)))
    if (cmd === undefined) return 'ENOENT'
    aclChangeSelectorPerm(s, cmd, false)
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const cat = categoryIndex(op.slice(2))
    if (cat < 0) return 'ENOENT'
    setCategoryBits(s, cat, op[0] === '+')
  } else {
    return 'EINVAL'
  }
  return null
}

// --- Users ---

/** acl.c ACLCreateUser (unlinked): off, no passwords, a root selector with no permissions. */
export function aclCreateUser(name: string, pubsubAll: boolean): AclUser {
  return {
    name,
    flags: USER_FLAG_DISABLED,
    passwords: [],
    selectors: [aclCreateSelector(SELECTOR_FLAG_ROOT, pubsubAll)],
  }
}

/** acl.c ACLCopyUser: dst gets src's rules, keeps its name (and identity). */
function aclCopyUser(dst: AclUser, src: AclUser): void {
  dst.flags = src.flags
  dst.passwords = [...src.passwords]
  dst.selectors = src.selectors.map(aclCopySelector)
}

/** acl.c ACLCheckPasswordHash: 64 characters of 0-9a-f. */
function validPasswordHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h)
}

/** acl.c ACLSetUser: one rule on a user (acl-pubsub-default given); an errno on failure. */
function aclSetUser(u: AclUser, op: string, pubsubAll: boolean): AclErrno | null {
  if (op.length === 0) return null
  const is = (k: string): boolean => cstr(op).toLowerCase() === k
  if (is('on')) {
    u.flags = (u.flags | USER_FLAG_ENABLED) & ~USER_FLAG_DISABLED
  } else if (is('off')) {
    u.flags = (u.flags | USER_FLAG_DISABLED) & ~USER_FLAG_ENABLED
  } else if (is('skip-sanitize-payload')) {
    u.flags = (u.flags | USER_FLAG_SANITIZE_PAYLOAD_SKIP) & ~USER_FLAG_SANITIZE_PAYLOAD
  } else if (is('sanitize-payload')) {
    u.flags = (u.flags | USER_FLAG_SANITIZE_PAYLOAD) & ~USER_FLAG_SANITIZE_PAYLOAD_SKIP
  } else if (is('nopass')) {
    u.flags |= USER_FLAG_NOPASS
    u.passwords = []
  } else if (is('resetpass')) {
    u.flags &= ~USER_FLAG_NOPASS
    u.passwords = []
  } else if (op[0] === '>' || op[0] === '#') {
    let hash: string
    if (op[0] === '>') hash = sha256Hex(op.slice(1))
    else {
      hash = op.slice(1)
      if (!validPasswordHash(hash)) return 'EBADMSG'
    }
    if (!u.passwords.includes(hash)) u.passwords.push(hash)
    u.flags &= ~USER_FLAG_NOPASS
  } else if (op[0] === '<' || op[0] === '!') {
    let hash: string
    if (op[0] === '<') hash = sha256Hex(op.slice(1))
    else {
      hash = op.slice(1)
      if (!validPasswordHash(hash)) return 'EBADMSG'
    }
    const i = u.passwords.indexOf(hash)
    if (i < 0) return 'ENODEV'
    u.passwords.splice(i, 1)
  } else if (op[0] === '(' && op[op.length - 1] === ')') {
    // aclCreateSelectorFromOpSet: the rules inside, split as sdssplitargs does.
    const s = aclCreateSelector(0, pubsubAll)
    for (const inner of splitSelectorArgs(op.slice(1, -1))) {
      const err = aclSetSelector(s, inner)
      if (err !== null) return err
    }
    u.selectors.push(s)
  } else if (is('clearselectors')) {
    u.selectors = u.selectors.slice(0, 1)
  } else if (is('reset')) {
    aclSetUser(u, 'resetpass', pubsubAll)
    aclSetUser(u, 'resetkeys', pubsubAll)
    aclSetUser(u, 'resetchannels', pubsubAll)
    if (pubsubAll) aclSetUser(u, 'allchannels', pubsubAll)
    aclSetUser(u, 'off', pubsubAll)
    aclSetUser(u, 'sanitize-payload', pubsubAll)
    aclSetUser(u, 'clearselectors', pubsubAll)
    aclSetUser(u, '-@all', pubsubAll)
  } else {
    const root = u.selectors[0]
    if (root === undefined) return 'EINVAL'
    return aclSetSelector(root, op)
  }
  return null
}

/**
 * sds.c sdssplitargs for a selector's inside (quotes and escapes as redis-cli reads them);
 * unbalanced quotes give no rules at all, as sdssplitargs' NULL does.
 */
function splitSelectorArgs(s: string): string[] {
  return sdssplitargs(s) ?? []
}

/**
 * acl.c ACLMergeSelectorArguments: a selector may span several arguments ("(~a" "+get)").
 * Null and the index of the opening argument when a parenthesis is never closed.
 */
function mergeSelectorArguments(argv: readonly string[]): string[] | { invalid: number } {
  const out: string[] = []
  let open = -1
  let selector = ''
  for (let j = 0; j < argv.length; j++) {
    const op = argv[j] ?? ''
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op
      open = j
      continue
    }
    if (open !== -1) {
      selector += ` ${op}`
      if (op[op.length - 1] === ')') {
        open = -1
        out.push(selector)
      }
      continue
    }
    out.push(op)
  }
  return open !== -1 ? { invalid: open } : out
}

/** The acl-pubsub-default config: new selectors get allchannels. */
function pubsubDefaultAll(srv: ServerState): boolean {
  return srv.config.other['acl-pubsub-default'] === 'allchannels'
}

/**
 * acl.c ACLStringSetUser: applies `ops` to a copy of the user (a new one when absent) and
 * only if all succeed to the user, creating it. The error text (without "ERR ") or null.
 */
export function aclStringSetUser(
  srv: ServerState,
  username: string,
  ops: readonly string[],
  ctx: ExecContext | null = null,
): string | null {
  const acl = srv.acl
  const merged = mergeSelectorArguments(ops)
  if (!Array.isArray(merged))
    return `Unmatched parenthesis in acl selector starting at '${cstr(ops[merged.invalid] ?? '')}'.`
  const pubsubAll = pubsubDefaultAll(srv)
  const existing = acl.users.get(username)
  const temp = aclCreateUser(username, pubsubAll)
  if (existing !== undefined) aclCopyUser(temp, existing)
  for (const op of merged) {
    const err = aclSetUser(temp, op, pubsubAll)
    if (err !== null) return `Error in ACL SETUSER modifier '${cstr(op)}': ${ERRNO_MESSAGES[err]}`
  }
  if (existing !== undefined) aclKillPubsubClientsIfNeeded(srv, temp, existing, ctx)
  const u = existing ?? aclCreateUser(username, pubsubAll)
  aclCopyUser(u, temp)
  if (existing === undefined) acl.users.set(username, u)
  aclRefreshRestricted(srv)
  return null
}

/** acl.c ACLCreateDefaultUser: +@all ~* &* on nopass. */
function aclCreateDefaultUser(): AclUser {
  const u = aclCreateUser('default', false)
  for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) aclSetUser(u, op, false)
  return u
}

/** acl.c ACLInit, then the requirepass of the start-up config (ACLUpdateDefaultUserPassword). */
export function createAclState(requirepass: string): AclState {
  const defaultUser = aclCreateDefaultUser()
  const acl: AclState = { users: new Map([['default', defaultUser]]), defaultUser, log: [] }
  if (requirepass !== '') {
    aclSetUser(defaultUser, 'resetpass', false)
    aclSetUser(defaultUser, `>${requirepass}`, false)
  }
  return acl
}

/** acl.c ACLUpdateDefaultUserPassword (CONFIG SET requirepass): '' means nopass. */
export function aclUpdateDefaultUserPassword(srv: ServerState, password: string): void {
  const u = srv.acl.defaultUser
  aclSetUser(u, 'resetpass', false)
  aclSetUser(u, password === '' ? 'nopass' : `>${password}`, false)
  aclRefreshRestricted(srv)
}

/**
 * Whether a user can run everything: some selector has every command, key and channel.
 * (A user whose bits happen to all be set without the flag counts as restricted; the check
 * then simply runs.)
 */
function userUnrestricted(u: AclUser): boolean {
  const all = SELECTOR_FLAG_ALLCOMMANDS | SELECTOR_FLAG_ALLKEYS | SELECTOR_FLAG_ALLCHANNELS
  return u.selectors.some((s) => (s.flags & all) === all)
}

/** Recomputes srv.aclRestricted after users change. */
export function aclRefreshRestricted(srv: ServerState): void {
  let restricted = false
  for (const u of srv.acl.users.values()) if (!userUnrestricted(u)) restricted = true
  srv.aclRestricted = restricted
}

/** acl.c ACL DELUSER's removal: clients of the user fall back to default, unauthenticated. */
export function aclDeleteUser(
  srv: ServerState,
  name: string,
  ctx: ExecContext | null = null,
): boolean {
  const u = srv.acl.users.get(name)
  if (u === undefined) return false
  srv.acl.users.delete(name)
  aclFreeUserAndKillClients(srv, u, ctx)
  aclRefreshRestricted(srv)
  return true
}

/**
 * acl.c ACLFreeUserAndKillClients: the user's clients fall back to default, unauthenticated,
 * and are closed (the running one after its reply).
 */
function aclFreeUserAndKillClients(srv: ServerState, u: AclUser, ctx: ExecContext | null): void {
  for (const c of [...srv.clients.values()]) {
    if (c.user !== u) continue
    c.user = srv.acl.defaultUser
    c.authenticated = false
    freeClientAsync(srv, c, ctx, 'userDeleted')
  }
}

// --- The ACL file ---

/** The aclfile as the host reaches it (ACL LOAD, ACL SAVE, the load at startup). */
export interface AclFileHost {
  /** The file's text, or the strerror of a failed open. */
  read(path: string): { readonly text: string } | { readonly error: string }
  /**
   * Replaces the file with `content` (a temporary file renamed over it): null, or the
   * WARNING line Redis logs for the step that failed.
   */
  write(path: string, content: string): string | null
}

/**
 * acl.c ACLLoadFromFile on the file's text (`filename` as configured, for the messages):
 * every line is applied to a fresh set of users; with no error that set replaces the old
 * one (the default user takes the new rules in place, the clients of every other old user
 * are closed) and null is returned; else nothing changes and the errors come back.
 */
export function aclLoadFromText(
  srv: ServerState,
  filename: string,
  text: string,
  ctx: ExecContext | null,
): string | null {
  const acl = srv.acl
  const pubsubAll = pubsubDefaultAll(srv)
  const users = new Map<string, AclUser>()
  let errors = ''
  // Read as a C string: nothing past a NUL byte.
  const nul = text.indexOf('\0')
  const lines = (nul === -1 ? text : text.slice(0, nul)).split('\n')
  for (let i = 0; i < lines.length; i++) {
    const linenum = i + 1
    const line = sdstrim(lines[i] ?? '', ' \t\r\n')
    if (line === '') continue
    const argv = line.split(' ')
    const name = argv[1]
    if (argv[0] !== 'user' || name === undefined) {
      errors += `${filename}:${String(linenum)} should start with user keyword followed by the username. `
      continue
    }
    if (/[\0\t\n\v\f\r ]/.test(name)) {
      errors += `'${filename}:${String(linenum)}: username '${name}' contains invalid characters. `
      continue
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${String(linenum)}. `
      continue
    }
    const u = aclCreateUser(name, pubsubAll)
    users.set(name, u)
    const merged = mergeSelectorArguments(argv.slice(2))
    if (!Array.isArray(merged)) {
      errors += `${filename}:${String(linenum)}: Unmatched parenthesis in selector definition.`
      continue
    }
    let syntaxError = false
    for (const arg of merged) {
      const op = sdstrim(arg, '\t\r\n')
      const err = aclSetUser(u, op, pubsubAll)
      if (err === null) continue
      // A missing command is named; of the other errors only the first is told.
      if (err === 'ENOENT')
        errors += `${filename}:${String(linenum)}: Error in applying operation '${op}': ${ERRNO_MESSAGES[err]}. `
      else if (!syntaxError) {
        errors += `${filename}:${String(linenum)}: ${ERRNO_MESSAGES[err]}. `
        syntaxError = true
      }
    }
  }
  if (errors !== '')
    return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`
  aclCopyUser(acl.defaultUser, users.get('default') ?? aclCreateDefaultUser())
  users.set('default', acl.defaultUser)
  const old = acl.users
  acl.users = users
  for (const [n, u] of old) if (n !== 'default') aclFreeUserAndKillClients(srv, u, ctx)
  aclRefreshRestricted(srv)
  return null
}

/** acl.c ACLSaveToFile's text: `user <name> <rules>` a line, in name order. */
export function aclSaveText(srv: ServerState): string {
  let out = ''
  for (const n of aclSortedUserNames(srv)) {
    const u = srv.acl.users.get(n)
    if (u !== undefined) out += `user ${n} ${aclDescribeUser(u)}\n`
  }
  return out
}

/** The users' names in byte order, as Redis's rax of users lists them. */
export function aclSortedUserNames(srv: ServerState): string[] {
  return [...srv.acl.users.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Whether a new connection is authenticated at once: the default user is on and nopass. */
export function defaultUserAuthenticates(srv: ServerState): boolean {
  const f = srv.acl.defaultUser.flags
  return (f & USER_FLAG_NOPASS) !== 0 && (f & USER_FLAG_DISABLED) === 0
}

/** networking.c clientSetDefaultAuth: the default user, authenticated when it needs no password. */
export function clientSetDefaultAuth(srv: ServerState, c: Client): void {
  c.user = srv.acl.defaultUser
  c.authenticated = defaultUserAuthenticates(srv)
}

// --- Authentication ---

/** acl.c ACLCheckUserCredentials. */
function aclCheckUserCredentials(acl: AclState, username: string, password: string): boolean {
  const u = acl.users.get(username)
  if (u === undefined) return false
  if (u.flags & USER_FLAG_DISABLED) return false
  if (u.flags & USER_FLAG_NOPASS) return true
  const hashed = sha256Hex(password)
  return u.passwords.includes(hashed)
}

/**
 * acl.c ACLAuthenticateUser: on success the client is authenticated as the user; on failure
 * an 'auth' entry goes to the ACL log (object: the command name as typed).
 */
export function aclAuthenticateUser(
  srv: ServerState,
  c: Client,
  username: string,
  password: string,
  commandName: string,
): boolean {
  if (aclCheckUserCredentials(srv.acl, username, password)) {
    c.authenticated = true
    c.user = srv.acl.users.get(username) ?? srv.acl.defaultUser
    return true
  }
  addAclLogEntry(srv, c, 'auth', c.multi !== null ? 'multi' : 'toplevel', commandName, username)
  return false
}

// --- Permission checks ---

/** The keys a command names and how it uses them (db.c getKeysFromCommandWithSpecs). */
function aclCommandKeys(
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): KeyReference[] {
  return getKeysFromCommandWithSpecs(cmd, fullname, argv)
}

/** db.c commands_with_channels: [flags, all remaining arguments (else just argv[1])]. */
const CHANNEL_COMMANDS: ReadonlyMap<
  string,
  { subscribe: boolean; pattern: boolean; all: boolean }
> = new Map([
  ['subscribe', { subscribe: true, pattern: false, all: true }],
  ['ssubscribe', { subscribe: true, pattern: false, all: true }],
  ['psubscribe', { subscribe: true, pattern: true, all: true }],
  ['publish', { subscribe: false, pattern: false, all: false }],
  ['spublish', { subscribe: false, pattern: false, all: false }],
])

/** acl.c ACLSelectorCheckKey. */
function selectorCheckKey(s: AclSelector, key: string, specFlags: readonly string[]): boolean {
  if (s.flags & SELECTOR_FLAG_ALLKEYS) return true
  let need = 0
  for (const f of specFlags) {
    if (f === 'access') need |= ACL_READ_PERMISSION
    else if (f === 'insert' || f === 'delete' || f === 'update') need |= ACL_WRITE_PERMISSION
  }
  for (const p of s.patterns)
    if ((p.flags & need) === need && stringmatchlen(p.pattern, key, false)) return true
  return false
}

/** acl.c ACLCheckChannelAgainstList: patterns (PSUBSCRIBE) compare literally. */
function checkChannel(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list)
    if (isPattern ? p === channel : stringmatchlen(p, channel, false)) return true
  return false
}

interface PermResult {
  readonly result: 'ok' | Exclude<AclDenied, 'auth'>
  /** The argv index of the key or channel denied. */
  readonly idx: number
}

const PERM_OK: PermResult = { result: 'ok', idx: 0 }
const DENIED_RANK = { ok: 0, command: 1, key: 2, channel: 3 } as const

/** acl.c ACLSelectorCheckCmd. `keys` caches the command's keys across selectors. */
function selectorCheckCmd(
  s: AclSelector,
  ac: AclCommand,
  cmd: CommandSpec,
  noAuth: boolean,
  argv: readonly string[],
  keys: { v: KeyReference[] | null },
): PermResult {
  if (!(s.flags & SELECTOR_FLAG_ALLCOMMANDS) && !noAuth && s.allowed[ac.id] !== 1) {
    const allowedArgs = s.firstArgs?.get(ac.id)
    if (argv.length < 2 || allowedArgs === undefined) return { result: 'command', idx: 0 }
    const arg = (argv[ac.parent !== null ? 2 : 1] ?? '').toLowerCase()
    if (!allowedArgs.some((a) => a.toLowerCase() === arg)) return { result: 'command', idx: 0 }
  }
  if (!(s.flags & SELECTOR_FLAG_ALLKEYS) && commandHasKeys(cmd)) {
    keys.v ??= aclCommandKeys(cmd, ac.fullname, argv)
    for (const k of keys.v)
      if (!selectorCheckKey(s, argv[k.pos] ?? '', k.flags)) return { result: 'key', idx: k.pos }
  }
  const ch = CHANNEL_COMMANDS.get(ac.fullname)
  if (!(s.flags & SELECTOR_FLAG_ALLCHANNELS) && ch !== undefined) {
    const end = ch.all ? argv.length : Math.min(2, argv.length)
    for (let i = 1; i < end; i++)
      if (!checkChannel(s.channels, argv[i] ?? '', ch.pattern)) return { result: 'channel', idx: i }
  }
  return PERM_OK
}

/** db.c doesCommandHaveKeys: some key spec that is not not_key. */
function commandHasKeys(cmd: CommandSpec): boolean {
  return (cmd.keySpecs ?? []).some((k) => !k.flags.includes('not_key'))
}

/**
 * ACLSelectorCheckCmd of one command line, for any selector (the command's keys found once,
 * aclKeyResultCache); null for a command outside Redis's table.
 */
function selectorChecker(
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): ((s: AclSelector) => PermResult) | null {
  const ac = byName.get(fullname)
  if (ac === undefined) return null
  const noAuth = cmd.flags.includes('no_auth')
  const keys: { v: KeyReference[] | null } = { v: null }
  return (s) => selectorCheckCmd(s, ac, cmd, noAuth, argv, keys)
}

/**
 * acl.c ACLCheckAllUserCommandPerm: ok when some selector allows the command; otherwise the
 * most relevant denial (command < key < channel, then the later argument).
 */
export function aclCheckAllUserCommandPerm(
  u: AclUser,
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): PermResult {
  const check = selectorChecker(cmd, fullname, argv)
  // A command outside Redis's table (none today) is never restricted.
  if (check === null) return PERM_OK
  let relevant: PermResult = { result: 'command', idx: 0 }
  for (const s of u.selectors) {
    const r = check(s)
    if (r.result === 'ok') return PERM_OK
    if (
      DENIED_RANK[r.result] > DENIED_RANK[relevant.result] ||
      (r.result === relevant.result && r.idx > relevant.idx)
    )
      relevant = r
  }
  return relevant
}

/** acl.c ACLSelectorHasUnrestrictedKeyAccess(s, CMD_KEY_ACCESS): allkeys, or `*` readable. */
function selectorHasUnrestrictedReadAccess(s: AclSelector): boolean {
  if (s.flags & SELECTOR_FLAG_ALLKEYS) return true
  return s.patterns.some(
    (p) => (p.flags & ACL_READ_PERMISSION) === ACL_READ_PERMISSION && p.pattern === '*',
  )
}

/**
 * acl.c ACLUserCheckCmdWithUnrestrictedKeyAccess(..., CMD_KEY_ACCESS): some selector both
 * allows the command and may read every key (SORT's BY and GET patterns need it).
 */
export function aclUserCheckCmdWithUnrestrictedReadAccess(
  u: AclUser,
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): boolean {
  const check = selectorChecker(cmd, fullname, argv)
  return (
    check === null ||
    u.selectors.some((s) => check(s).result === 'ok' && selectorHasUnrestrictedReadAccess(s))
  )
}

/**
 * server.c processCommand's ACL check (ACLCheckAllPerm): null when the client's user may run
 * the command; otherwise the NOPERM message, after logging the denial.
 */
export function aclCheckCommand(
  srv: ServerState,
  c: Client,
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): string | null {
  const r = aclCheckAllUserCommandPerm(c.user, cmd, fullname, argv)
  if (r.result === 'ok') return null
  const object = r.result === 'command' ? fullname : (argv[r.idx] ?? '')
  addAclLogEntry(srv, c, r.result, c.multi !== null ? 'multi' : 'toplevel', object, null)
  switch (r.result) {
    case 'command':
      return `NOPERM this user has no permissions to run the '${fullname}' command`
    case 'key':
      return 'NOPERM this user has no permissions to access one of the keys used as arguments'
    case 'channel':
      return 'NOPERM this user has no permissions to access one of the channels used as arguments'
  }
}

/**
 * multi.c execCommand's re-check of a queued command: null, or the error EXEC puts in place
 * of its reply (the denial is logged with context multi).
 */
export function aclCheckQueued(
  srv: ServerState,
  c: Client,
  cmd: CommandSpec,
  fullname: string,
  argv: readonly string[],
): string | null {
  const r = aclCheckAllUserCommandPerm(c.user, cmd, fullname, argv)
  if (r.result === 'ok') return null
  const object = r.result === 'command' ? fullname : (argv[r.idx] ?? '')
  addAclLogEntry(srv, c, r.result, 'multi', object, null)
  const reason =
    r.result === 'command'
      ? 'no permission to execute the command or subcommand'
      : r.result === 'key'
        ? 'no permission to touch the specified keys'
        : 'no permission to access one of the channels used as arguments'
  return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`
}

/** acl.c ACL DRYRUN's answer for a denial (a bulk string, not an error). */
export function aclDryrunMessage(r: PermResult, fullname: string, argv: readonly string[]): string {
  if (r.result === 'command') return `This user has no permissions to run the '${fullname}' command`
  const what = r.result === 'key' ? 'key' : 'channel'
  return `This user has no permissions to access the '${cstr(argv[r.idx] ?? '')}' ${what}`
}

/**
 * acl.c ACLKillPubsubClientsIfNeeded: when SETUSER narrows a user's channels, its subscribed
 * clients whose channels or patterns are no longer allowed are disconnected.
 */
function aclKillPubsubClientsIfNeeded(
  srv: ServerState,
  next: AclUser,
  original: AclUser,
  ctx: ExecContext | null,
): void {
  if (next.selectors.some((s) => s.flags & SELECTOR_FLAG_ALLCHANNELS)) return
  const upcoming: string[] = []
  for (const s of next.selectors) upcoming.push(...s.channels)
  let match = true
  for (const s of original.selectors) {
    if (s.flags & SELECTOR_FLAG_ALLCHANNELS || s.channels.some((ch) => !upcoming.includes(ch))) {
      match = false
      break
    }
  }
  if (match) return
  for (const c of [...srv.clients.values()]) {
    if (c.user !== original || c.pubsub === null) continue
    const ps = c.pubsub
    let kill = ps.patterns.some((p) => !checkChannel(upcoming, p, true))
    if (!kill) kill = pubsubChannelNames(c).some((ch) => !checkChannel(upcoming, ch, false))
    if (kill) freeClientAsync(srv, c, ctx, 'channelsRevoked')
  }
}

/** The channels (global and shard) a client is subscribed to. */
function pubsubChannelNames(c: Client): string[] {
  const out: string[] = []
  if (c.pubsub === null) return out
  dictForEach(c.pubsub.channels, (ch) => out.push(ch))
  dictForEach(c.pubsub.shardChannels, (ch) => out.push(ch))
  return out
}

// --- ACL LOG ---

/** acl.c addACLLogEntry: a new entry, or a bump of a similar one among the 10 newest. */
export function addAclLogEntry(
  srv: ServerState,
  c: Client,
  reason: AclDenied,
  context: AclLogContext,
  object: string,
  username: string | null,
): void {
  const log = srv.acl.log
  const entry: AclLogEntry = {
    count: 1,
    reason,
    context,
    object,
    username: username ?? c.user.name,
    ctime: srv.mstime,
    cinfo: clientInfoString(srv, c, c),
  }
  for (let i = 0; i < log.length && i < 10; i++) {
    const cur = log[i]
    if (cur === undefined || !aclLogMatchEntry(cur, entry)) continue
    log.splice(i, 1)
    log.unshift(cur)
    cur.cinfo = entry.cinfo
    cur.ctime = entry.ctime
    cur.count++
    return
  }
  log.unshift(entry)
  const max = Number(srv.config.other['acllog-max-len'] ?? '128')
  if (log.length > max) log.length = max
}

/** acl.c ACLLogMatchEntry. */
function aclLogMatchEntry(a: AclLogEntry, b: AclLogEntry): boolean {
  return (
    a.reason === b.reason &&
    a.context === b.context &&
    Math.abs(a.ctime - b.ctime) <= ACL_LOG_GROUPING_MAX_TIME_DELTA &&
    a.object === b.object &&
    a.username === b.username
  )
}

// --- Describing users ---

/** acl.c sdsCatPatternString. */
function patternString(p: KeyPattern): string {
  const prefix =
    p.flags === ACL_ALL_PERMISSION ? '~' : p.flags === ACL_READ_PERMISSION ? '%R~' : '%W~'
  return prefix + p.pattern
}

/**
 * acl.c ACLDescribeSelectorCommandRules. Teacher note: the bitmap is described by replaying
 * candidate rules on a fake selector. Start from +@all (the future bit is set) or -@all;
 * then, repeatedly, take the category that has more commands agreeing with the user than
 * disagreeing, with the fewest disagreements (ties: the most agreements), apply it to the
 * fake selector and its inverse to a scratch copy of the user's bits (so overlapping
 * categories are not counted twice); last, walk every command and emit +cmd / -cmd where
 * the fake still differs, and the +cmd|firstarg rules.
 */
export function aclDescribeSelectorCommandRules(s: AclSelector): string {
  const rules: string[] = []
  const fake = aclCreateSelector(0, false)
  const additive = !s.future
  aclSetSelector(fake, additive ? '-@all' : '+@all')
  rules.push(additive ? '-@all' : '+@all')
  const temp = aclCreateSelector(0, false)
  temp.allowed.set(s.allowed)
  const applied = new Array<boolean>(ACL_CATEGORIES.length).fill(false)
  for (;;) {
    let best = -1
    let mindiff = Number.MAX_SAFE_INTEGER
    let maxsame = 0
    for (let j = 0; j < ACL_CATEGORIES.length; j++) {
      if (applied[j] === true) continue
      const { on, off } = countCategoryBits(temp, j)
      const diff = additive ? off : on
      const same = additive ? on : off
      if (same > diff && (diff < mindiff || (diff === mindiff && same > maxsame))) {
        best = j
        mindiff = diff
        maxsame = same
      }
    }
    if (best === -1) break
    const name = ACL_CATEGORIES[best] ?? ''
    setCategoryBits(fake, best, additive)
    setCategoryBits(temp, best, !additive)
    rules.push(`${additive ? '+' : '-'}@${name}`)
    applied[best] = true
  }
  describeSingleCommands(s, fake, topLevel, rules)
  return rules.join(' ')
}

/** acl.c ACLDescribeSelectorCommandRulesSingleCommands. */
function describeSingleCommands(
  s: AclSelector,
  fake: AclSelector,
  cmds: readonly AclCommand[],
  rules: string[],
): void {
  for (const cmd of cmds) {
    const userbit = s.allowed[cmd.id] === 1
    if (userbit !== (fake.allowed[cmd.id] === 1)) {
      rules.push(`${userbit ? '+' : '-'}${cmd.fullname}`)
      aclChangeSelectorPerm(fake, cmd, userbit)
    }
    if (cmd.subs.length > 0) describeSingleCommands(s, fake, cmd.subs, rules)
    const args = s.firstArgs?.get(cmd.id)
    if (!userbit && args !== undefined) for (const a of args) rules.push(`+${cmd.fullname}|${a}`)
  }
}

/** acl.c ACLDescribeSelector: keys, channels, then the command rules. */
function aclDescribeSelector(s: AclSelector): string {
  let res = ''
  if (s.flags & SELECTOR_FLAG_ALLKEYS) res += '~* '
  else for (const p of s.patterns) res += `${patternString(p)} `
  if (s.flags & SELECTOR_FLAG_ALLCHANNELS) res += '&* '
  else {
    res += 'resetchannels '
    for (const ch of s.channels) res += `&${ch} `
  }
  return res + aclDescribeSelectorCommandRules(s)
}

/** acl.c ACLDescribeUser: flags, #hashes, the root selector's rules, then "(...)" selectors. */
export function aclDescribeUser(u: AclUser): string {
  let res = ''
  for (const [name, flag] of USER_FLAG_NAMES) if (u.flags & flag) res += `${name} `
  for (const p of u.passwords) res += `#${p} `
  for (const s of u.selectors) {
    const d = aclDescribeSelector(s)
    res += s.flags & SELECTOR_FLAG_ROOT ? d : ` (${d})`
  }
  return res
}

/** The flag names of a user, in ACLDescribeUser's order (ACL GETUSER flags). */
export function aclUserFlagNames(u: AclUser): string[] {
  return USER_FLAG_NAMES.filter(([, f]) => u.flags & f).map(([n]) => n)
}

/** ACL GETUSER's keys and channels fields of a selector (aclAddReplySelectorDescription). */
export function aclSelectorKeysAndChannels(s: AclSelector): { keys: string; channels: string } {
  const keys =
    s.flags & SELECTOR_FLAG_ALLKEYS ? '~*' : s.patterns.map((p) => patternString(p)).join(' ')
  const channels =
    s.flags & SELECTOR_FLAG_ALLCHANNELS ? '&*' : s.channels.map((c) => `&${c}`).join(' ')
  return { keys, channels }
}

// --- GENPASS ---

/**
 * ACL GENPASS [bits]: (bits+3)/4 random hex digits (Redis reads /dev/urandom through
 * getRandomHexChars; here ctx.rng). Null when bits is out of range.
 */
export function aclGenpass(rng: Rng, bits: number): string | null {
  if (bits <= 0 || bits > GENPASS_MAX_BITS) return null
  const chars = Math.floor((bits + 3) / 4)
  let s = ''
  while (s.length < chars) s += rngNextU32(rng).toString(16).padStart(8, '0')
  return s.slice(0, chars)
}

export const GENPASS_RANGE_ERROR = `ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${String(GENPASS_MAX_BITS)}`

// --- Validation ---

/** Self-check of the ACL state (file comment's invariants). */
export function aclValidate(acl: AclState): string[] {
  const errors: string[] = []
  if (acl.users.get('default') !== acl.defaultUser) errors.push('default user not in the table')
  for (const [name, u] of acl.users) {
    if (u.name !== name) errors.push(`user ${name} named ${u.name}`)
    u.selectors.forEach((s, i) => {
      if ((i === 0) !== ((s.flags & SELECTOR_FLAG_ROOT) !== 0))
        errors.push(`user ${name}: selector ${String(i)} root flag wrong`)
      if (s.flags & SELECTOR_FLAG_ALLKEYS && s.patterns.length > 0)
        errors.push(`user ${name}: allkeys with patterns`)
      if (s.flags & SELECTOR_FLAG_ALLCHANNELS && s.channels.length > 0)
        errors.push(`user ${name}: allchannels with channels`)
    })
    if (new Set(u.passwords).size !== u.passwords.length)
      errors.push(`user ${name}: repeated password`)
    for (const p of u.passwords)
      if (!validPasswordHash(p)) errors.push(`user ${name}: bad hash ${p}`)
  }
  return errors
}
