/** server commands (stub, being implemented). */
import type { CommandSpec } from './spec.ts'

export const serverCommands: readonly CommandSpec[] = []
