/** transactions commands (stub, being implemented). */
import type { CommandSpec } from './spec.ts'

export const transactionCommands: readonly CommandSpec[] = []
