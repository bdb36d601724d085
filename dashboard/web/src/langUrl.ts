/**
 * Where the language choice lives: in the address (?lang=en), so a wall or a console
 * bookmarked in English opens in English, and in the browser's storage, so an address
 * typed or linked without ?lang= (#/console) keeps the language last chosen there.
 * The hash (the page) is kept as it is.
 */
import { pickLang, type Lang } from './i18n.ts'

/** LANG_KEY is the storage key of the last language chosen in this browser. */
export const LANG_KEY = 'jiancha.lang'

/** withLang returns the address with ?lang= set, hash and other parameters kept. */
export function withLang(href: string, lang: Lang): string {
  const url = new URL(href)
  url.searchParams.set('lang', lang)
  return url.toString()
}

/** startLang is the language to open in: the address's ?lang= if it has one, else the one remembered, else zh-CN. */
export function startLang(search: string, remembered: string | null): Lang {
  if (new URLSearchParams(search).has('lang')) return pickLang(search)
  return remembered ? pickLang(`?lang=${encodeURIComponent(remembered)}`) : 'zh-CN'
}

/** readRemembered reads the remembered language; null when storage is unavailable (private mode, blocked). */
export function readRemembered(storage: Pick<Storage, 'getItem'> | undefined): string | null {
  try {
    return storage?.getItem(LANG_KEY) ?? null
  } catch {
    return null
  }
}

/** remember stores the language; a browser that refuses storage keeps it in the address only. */
export function remember(storage: Pick<Storage, 'setItem'> | undefined, lang: Lang): void {
  try {
    storage?.setItem(LANG_KEY, lang)
  } catch {
    // The address still carries ?lang=.
  }
}
