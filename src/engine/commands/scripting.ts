/** scripting commands (stub, being implemented). */
import type { CommandSpec } from './spec.ts'

export const scriptingCommands: readonly CommandSpec[] = []
