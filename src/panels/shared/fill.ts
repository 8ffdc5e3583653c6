import { fillPlurals } from '../../i18n/index.ts'

/**
 * Fills a panel's own bilingual text: each `{name}` becomes params[name] ('' when absent), and
 * each `{name|one|other}` the count with its English noun ("1 node", "2 nodes").
 * (App messages go through i18n's translate, which keeps an unknown `{name}` as it is.)
 */
export function fill(text: string, params: Readonly<Record<string, number | string>>): string {
  return fillPlurals(text, params).replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? ''))
}
