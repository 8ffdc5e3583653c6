/** One-line notices (worker restarted, link copied, import failed) and the engine status. */
import type { ReactNode } from 'react'
import { useT } from '../i18n/useT.ts'
import { useApp, useAppStore } from '../state/react.ts'

export function NoticeBar(): ReactNode {
  const t = useT()
  const store = useAppStore()
  const notice = useApp((s) => s.notice)
  const status = useApp((s) => s.status)
  const progress = useApp((s) => s.progress)
  return (
    <div className="notices">
      {status !== 'ready' && (
        <p className="notice notice-info" role="status" data-testid="engine-status">
          {status === 'replaying'
            ? t('status.replaying', { done: progress?.done ?? 0, total: progress?.total ?? 0 })
            : t(`status.${status}`)}
        </p>
      )}
      {notice && (
        <p className={`notice notice-${notice.tone}`} role="alert" data-testid="notice">
          {t(notice.key, notice.params)}{' '}
          <button
            type="button"
            className="notice-dismiss"
            aria-label={t('notice.dismiss')}
            onClick={() => {
              store.getState().noticeDismissed()
            }}
          >
            ×
          </button>
        </p>
      )}
    </div>
  )
}
