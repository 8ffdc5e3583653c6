/**
 * Fills a panel's own bilingual text: each `{name}` becomes params[name] ('' when absent).
 * (App messages go through i18n's translate, which keeps an unknown `{name}` as it is.)
 */
export function fill(text: string, params: Readonly<Record<string, number | string>>): string {
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(params[k] ?? ''))
}
