/**
 * What redis-cli offers while you type, from the command table (COMMAND DOCS):
 *
 * - completions (redis-cli completionCallback): every command name, subcommands included
 *   ("CLIENT KILL"), that the whole line is a case-insensitive prefix of; after "help " the
 *   rest of the line is completed the same way, and @groups too;
 * - the inline hint (hintsCallback): the longest command name the typed words match, then
 *   its syntax with the arguments already typed removed, up to the first optional one;
 * - HELP <command> (cliOutputCommandHelp): name and syntax, summary, since.
 */
import type { CommandDoc } from '../worker/protocol.ts'
import { sdssplitargs } from './parseCommandLine.ts'

/** Lists completions for a line, in command-table order. */
export function completeLine(line: string, commands: readonly CommandDoc[]): string[] {
  let start = 0
  let groups = false
  if (line.slice(0, 5).toLowerCase() === 'help ') {
    start = 5
    while (line[start] === ' ') start++
    groups = true
  }
  const head = line.slice(0, start)
  const typed = line.slice(start).toLowerCase()
  const names = commands.map((c) => c.name)
  if (groups)
    names.push(...[...new Set(commands.map((c) => c.group).filter((g) => g))].map((g) => `@${g}`))
  return names.filter((n) => n.toLowerCase().startsWith(typed)).map((n) => head + n)
}

/** The hint redis-cli shows after the cursor, or null. */
export function hintFor(line: string, commands: readonly CommandDoc[]): string | null {
  const argv = sdssplitargs(line)
  if (argv === null || argv.length === 0) return null
  let best: CommandDoc | null = null
  let matchLen = 0
  for (const c of commands) {
    const words = c.name.split(' ')
    if (words.length > argv.length || words.length <= matchLen) continue
    if (words.every((w, j) => w.toLowerCase() === argv[j]?.toLowerCase())) {
      best = c
      matchLen = words.length
    }
  }
  if (!best) return null
  let hint = best.params
  let toRemove = argv.length - matchLen
  while (toRemove > 0 && hint.length > 0) {
    if (hint.startsWith('[')) break
    if (hint.startsWith(' ')) toRemove--
    hint = hint.slice(1)
  }
  const endSpace = /\s$/.test(line)
  return endSpace ? hint : ` ${hint}`
}

/**
 * The lines redis-cli prints for `HELP ...` (and `? ...`, its other name; cliOutputHelp):
 * with no topic, its generic help; for @group, every command of the group; else every
 * command whose name starts with the words given ("help client": CLIENT and each of its
 * subcommands), each with its group.
 */
export function helpLines(argv: readonly string[], commands: readonly CommandDoc[]): string[] {
  if (argv.length === 0)
    return [
      'redis-cli 7.0.15',
      'To get help about Redis commands type:',
      '      "help @<group>" to get a list of commands in <group>',
      '      "help <command>" for help on <command>',
      '      "help <tab>" to get a list of possible help topics',
      '      "quit" to exit',
    ]
  const out: string[] = []
  const first = argv[0] ?? ''
  if (first.startsWith('@')) {
    const group = first.slice(1).toLowerCase()
    for (const c of commands)
      if (c.group.toLowerCase() === group) out.push('', ...commandHelp(c, false))
  } else {
    for (const c of commands) {
      const words = c.name.toLowerCase().split(' ')
      if (argv.length <= words.length && argv.every((a, j) => a.toLowerCase() === words[j]))
        out.push('', ...commandHelp(c, true))
    }
  }
  // Nothing found prints the closing line break alone.
  return out.length === 0 ? ['', ''] : [...out, '']
}

/** cliOutputCommandHelp: its group when the topic was a command, not a @group. */
function commandHelp(c: CommandDoc, group: boolean): string[] {
  const lines = [`  ${c.name} ${c.params}`, `  summary: ${c.summary}`]
  if (c.since !== '') lines.push(`  since: ${c.since}`)
  if (group) lines.push(`  group: ${c.group}`)
  return lines
}
