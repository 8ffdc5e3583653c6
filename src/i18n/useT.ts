/** The translation hook: `const t = useT(); t('timeline.play')` in the store's language. */
import { useCallback } from 'react'
import { useApp } from '../state/react.ts'
import { translate, type MessageKey } from './index.ts'

export function useT(): (
  key: MessageKey | string,
  params?: Readonly<Record<string, string | number>>,
) => string {
  const lang = useApp((s) => s.language)
  return useCallback((key, params) => translate(lang, key, params), [lang])
}
