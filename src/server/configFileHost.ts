/**
 * The config file `npm run serve` was started with, as CONFIG REWRITE reaches it
 * (config.c rewriteConfigReadOldFile and rewriteConfigOverwriteFile): read whole (a file
 * that is gone reads as empty), then replaced at once by writing `<file>.XXXXXX` beside it
 * with mode 0644 and renaming it over the file; the temporary file is removed on failure.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { ConfigFileHost } from '../engine/configRewrite.ts'
import { strerror } from './strerror.ts'

export function createConfigFileHost(path: string, log: (message: string) => void): ConfigFileHost {
  return {
    read: () => {
      try {
        return { text: readFileSync(path, 'latin1') }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '' }
        return { error: strerror(e) }
      }
    },
    write: (content) => {
      // mkostemp's six random characters.
      const tmp = `${path}.${randomBytes(6).toString('base64url').slice(0, 6)}`
      try {
        writeFileSync(tmp, content, { encoding: 'latin1', mode: 0o644, flag: 'wx' })
        renameSync(tmp, path)
        return null
      } catch (e) {
        rmSync(tmp, { force: true })
        return strerror(e)
      }
    },
    log,
  }
}
