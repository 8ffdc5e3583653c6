/**
 * The aclfile as `npm run serve` reaches it (acl.c ACLLoadFromFile and ACLSaveToFile): read
 * whole; written to `<file>.tmp-<pid>-<ms>` with mode 0644, then renamed over the file, the
 * temporary file removed on failure, the failed step's line returned for the log.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { AclFileHost } from '../engine/acl.ts'
import { strerror } from './strerror.ts'

export function createAclFileHost(): AclFileHost {
  return {
    read: (path) => {
      try {
        return { text: readFileSync(path, 'latin1') }
      } catch (e) {
        return { error: strerror(e) }
      }
    },
    write: (path, content) => {
      const tmp = `${path}.tmp-${String(process.pid)}-${String(Date.now())}`
      let fd = -1
      let step = 'Opening temp ACL file for ACL SAVE'
      try {
        fd = openSync(tmp, 'w', 0o644)
        step = 'Writing ACL file for ACL SAVE'
        writeSync(fd, Buffer.from(content, 'latin1'))
        closeSync(fd)
        fd = -1
        step = 'Renaming ACL file for ACL SAVE'
        renameSync(tmp, path)
        return null
      } catch (e) {
        if (fd !== -1) closeSync(fd)
        rmSync(tmp, { force: true })
        return `${step}: ${strerror(e)}`
      }
    },
  }
}
