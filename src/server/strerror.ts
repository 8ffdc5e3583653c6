/**
 * glibc's strerror() text for the error of a failed Node fs call, as redis-server prints it
 * in its log lines and replies ("Unable to write oom_score_adj: Permission denied").
 */
const MESSAGES: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EEXIST: 'File exists',
  ENAMETOOLONG: 'File name too long',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
  EMFILE: 'Too many open files',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Device or resource busy',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
}

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code
  return (code !== undefined ? MESSAGES[code] : undefined) ?? (e as Error).message
}
