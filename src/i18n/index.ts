/**
 * Translation: `translate(lang, key, params)` fills {name} placeholders; `detectLanguage`
 * picks 简体中文 for any zh* browser language and English otherwise. The chosen language
 * lives in the store's settings slice (persisted); `useT` reads it.
 */
import { messages, type MessageKey } from './messages.ts'

export type { MessageKey } from './messages.ts'
export type Lang = 'en' | 'zh'

/** Translates a key, filling {name} placeholders from params. Unknown keys come back as is. */
export function translate(
  lang: Lang,
  key: MessageKey | string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const table = messages[lang] as Readonly<Record<string, string>>
  const text = table[key] ?? (messages.en as Readonly<Record<string, string>>)[key] ?? key
  return fillPlurals(text, params).replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  )
}

/**
 * A count and its noun in English: "1 entry", "2 entries", "0 keys", "1,000 lines". `n` may
 * be a count already grouped for display ("1,000"). Captions used to hedge with "entr(ies)".
 */
export function counted(n: number | string, one: string, other: string): string {
  return `${String(n)} ${Number(String(n).replace(/,/g, '')) === 1 ? one : other}`
}

/**
 * Fills the plural placeholders of a template, `{name|one|other}`: params[name] with the
 * noun that fits it (counted), "{count|line|lines} had not run" → "1 line had not run".
 * Chinese templates need none (“{count} 行”).
 */
export function fillPlurals(
  text: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  return text.replace(
    /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
    (m, name: string, one: string, other: string) => {
      const v = params[name]
      return v === undefined ? m : counted(v, one, other)
    },
  )
}

/**
 * The language a link asks for (`?lang=zh`, `zh-CN`, `en` ...), or null when it names none
 * we have: an author's embed shows the post's language whatever the reader's browser says.
 */
export function languageParam(value: string | null): Lang | null {
  const lower = value?.toLowerCase() ?? ''
  return lower.startsWith('zh') ? 'zh' : lower.startsWith('en') ? 'en' : null
}

/** Picks the UI language from navigator.language(s). */
export function detectLanguage(languages: readonly string[]): Lang {
  for (const l of languages) {
    const lower = l.toLowerCase()
    if (lower.startsWith('zh')) return 'zh'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}
