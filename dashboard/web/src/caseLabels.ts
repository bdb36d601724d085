/**
 * How the case page and the public page name what a case holds: an event's type in the
 * reader's language (the consoles' own words, caseEventFields.ts), and durations of
 * the deadline clock as days and hours.
 */
import type { Kind } from '../../../common/contract/api.ts'
import { eventType } from './caseEventFields.ts'
import { t, type Lang } from './i18n.ts'

/** eventLabel names an event type of a kind (approval accepted → 受理); an unknown one comes back raw. */
export function eventLabel(lang: Lang, kind: Kind, type: string): string {
  return eventType({ kind, type }, lang)
}

const H = 3_600_000

/** duration writes a span as days and hours (whole hours, rounded down), never negative. */
export function duration(lang: Lang, ms: number): string {
  const hours = Math.floor(Math.abs(ms) / H)
  const d = Math.floor(hours / 24)
  return d ? t(lang, 'case.duration', { d, h: hours % 24 }) : t(lang, 'case.durationHours', { h: hours })
}
