/**
 * The language lives in the address (?lang=en), so a wall or a console bookmarked in
 * English opens in English. The hash (the page) is kept as it is.
 */
import type { Lang } from './i18n.ts'

/** withLang returns the address with ?lang= set, hash and other parameters kept. */
export function withLang(href: string, lang: Lang): string {
  const url = new URL(href)
  url.searchParams.set('lang', lang)
  return url.toString()
}
