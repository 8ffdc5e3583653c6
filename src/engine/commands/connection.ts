/** connection commands (stub, being implemented). */
import type { CommandSpec } from './spec.ts'

export const connectionCommands: readonly CommandSpec[] = []
