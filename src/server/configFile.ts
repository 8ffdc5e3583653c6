/**
 * redis-server's command line and config file, read as server.c main and config.c
 * loadServerConfig read them: `redis-server [/path/to/redis.conf] [--name value ...]`.
 *
 * The options after the file are turned into config lines ("--port 6380" → "port 6380",
 * each value quoted with sdscatrepr) and appended to the file's text; every line is then
 * split with sdssplitargs, its name lowercased. A name the config table does not know,
 * other than the directives below, stops the start with config.c's FATAL CONFIG FILE
 * ERROR. `include` reads another file in place (its lines numbered on their own, as in
 * config.c); `user` lines are ACL SETUSER rules applied once the server is up.
 * `rename-command` lines are checked here and applied once the engine is up (loadmodule is not
 * modelled: it stops the start with a message).
 */
import { readFileSync } from 'node:fs'
import { configSetValue, createDefaultConfig, lookupConfig } from '../engine/config.ts'
import { sdsRepr } from '../engine/commands/monitor.ts'
import { COMMAND_MAP } from '../engine/commands/table.ts'
import { sdssplitargs } from '../engine/resp.ts'
import { strerror } from './strerror.ts'

/** One directive: its lowercased name and its arguments, as the file spelt them. */
export interface ConfigDirective {
  readonly name: string
  readonly args: readonly string[]
}

/** config.c loadServerConfigFromString's fatal error, printed whole to stderr. */
export class ConfigFileError extends Error {}

/** config.c's deprecated names, accepted and ignored: [name, min argc, max argc]. */
const DEPRECATED: readonly (readonly [string, number, number])[] = [
  ['list-max-ziplist-entries', 2, 2],
  ['list-max-ziplist-value', 2, 2],
  ['lua-replicate-commands', 2, 2],
]

/**
 * server.c main: the config file (when the first argument does not start with '-') and
 * the options after it, as config text.
 */
export function serverOptions(argv: readonly string[]): { file: string | null; options: string } {
  let j = 0
  let file: string | null = null
  if (argv.length > 0 && !(argv[0] as string).startsWith('-')) {
    file = argv[0] as string
    j = 1
  }
  let options = ''
  let handledLastConfigArg = true
  for (; j < argv.length; j++) {
    const a = argv[j] as string
    if (handledLastConfigArg && a.startsWith('--')) {
      if (options !== '') options += '\n'
      options += `${a.slice(2)} `
      const split = sdssplitargs(a)
      if (split !== null && split.length === 1) {
        // Only a name ("--port"): its value is the next argument. An empty `--save`
        // (followed by another option, or last) means `save ""`.
        handledLastConfigArg = false
        const next = argv[j + 1]
        const isSave = a.toLowerCase() === '--save'
        if (isSave && (next === undefined || next.startsWith('--'))) {
          options += '""'
          handledLastConfigArg = true
        }
      } else handledLastConfigArg = true
    } else if (a === '-' && (j === 0 || j === argv.length - 1)) {
      throw new ConfigFileError('reading the config from stdin is not supported')
    } else {
      options += `${sdsRepr(a)} `
      handledLastConfigArg = true
    }
  }
  return { file, options }
}

type ReadFile = (path: string) => string

const readText: ReadFile = (path) => readFileSync(path, 'latin1')

/** config.c loadServerConfig: the file's text, then the options. */
export function loadServerConfig(
  file: string | null,
  options: string,
  read: ReadFile = readText,
  hostOptions: ReadonlySet<string> = new Set(),
): ConfigDirective[] {
  let text = ''
  if (file !== null) text = readConfigFile(file, read)
  if (options !== '') text += `\n${options}`
  const out: ConfigDirective[] = []
  loadServerConfigFromString(text, read, hostOptions, out)
  return out
}

function readConfigFile(file: string, read: ReadFile): string {
  try {
    return read(file)
  } catch (e) {
    throw new ConfigFileError(`Fatal error, can't open config file '${file}': ${strerror(e)}`)
  }
}

/**
 * config.c's rename-command checks, against the command table as the rename-command lines
 * before this one left it: the command must exist, and a new name must not.
 */
function renameCommandError(
  out: readonly ConfigDirective[],
  from: string,
  to: string,
): string | null {
  const names = new Set(COMMAND_MAP.keys())
  for (const d of out) {
    if (d.name !== 'rename-command') continue
    names.delete((d.args[0] as string).toLowerCase())
    if (d.args[1] !== '') names.add((d.args[1] as string).toLowerCase())
  }
  if (!names.has(from.toLowerCase())) return 'No such command in rename-command'
  names.delete(from.toLowerCase())
  if (to !== '' && names.has(to.toLowerCase())) return 'Target command name already exists'
  return null
}

/** config.c loadServerConfigFromString, collecting the directives into `out`. */
function loadServerConfigFromString(
  text: string,
  read: ReadFile,
  hostOptions: ReadonlySet<string>,
  out: ConfigDirective[],
): void {
  const scratch = createDefaultConfig()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
    if (line === '' || line.startsWith('#')) continue
    const fail = (err: string): never => {
      throw new ConfigFileError(
        `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n` +
          `Reading the configuration file, at line ${i + 1}\n>>> '${line}'\n${err}`,
      )
    }
    const argv = sdssplitargs(line)
    if (argv === null) fail('Unbalanced quotes in configuration line')
    if (argv === null || argv.length === 0) continue
    const name = (argv[0] as string).toLowerCase()
    let args = argv.slice(1)
    const p = lookupConfig(name)
    // A multi-argument config given one non-empty argument ("--save '100 1'") takes it split.
    if (p?.multiArg === true && args.length === 1 && args[0] !== '')
      args = sdssplitargs(args[0] as string) ?? []
    if (p !== undefined || hostOptions.has(name)) {
      if (!(p?.multiArg ?? false) && args.length !== 1) fail('wrong number of arguments')
      // The value is checked here, so that a bad one names its line as config.c does.
      const err = p === undefined ? null : configSetValue(scratch, p, args.join(' '))
      if (err !== null) fail(err)
      out.push({ name, args })
      continue
    }
    if (DEPRECATED.some(([n, min, max]) => n === name && argv.length >= min && argv.length <= max))
      continue
    if (name === 'include' && args.length === 1) {
      loadServerConfigFromString(readConfigFile(args[0] as string, read), read, hostOptions, out)
    } else if (name === 'user' && args.length >= 1) {
      // acl.c ACLAppendUserForLoading (the rules themselves are checked when applied).
      if (out.some((d) => d.name === 'user' && d.args[0] === args[0]))
        fail(
          `Error in user declaration '${args[0] ?? ''}': ` +
            'Duplicate user found. A user can only be defined once in config files',
        )
      out.push({ name, args })
    } else if (name === 'rename-command' && args.length === 2) {
      const err = renameCommandError(out, args[0] as string, args[1] as string)
      if (err !== null) fail(err)
      out.push({ name, args })
    } else if (name === 'loadmodule') {
      fail(`${name} is not supported by Redis X-Ray`)
    } else fail('Bad directive or wrong number of arguments')
  }
}
