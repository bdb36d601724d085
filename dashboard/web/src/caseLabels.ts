/**
 * How the case page and the public page name what a case holds: an event's type in the
 * reader's language, its attributes as labelled fields with coded values named (never
 * raw JSON), and durations of the deadline clock as days and hours. Unknown types and
 * fields are shown raw rather than hidden.
 */
import type { Kind } from '../../../common/contract/api.ts'
import { isKey, t, type Lang } from './i18n.ts'

/** MAX_VALUE bounds a shown value, so one large payload cannot flood the page. */
export const MAX_VALUE = 300

/** eventLabel names an event type of a kind (approval accepted → 受理). */
export function eventLabel(lang: Lang, kind: Kind, type: string): string {
  const key = `evt.${kind}.${type}`
  return isKey(key) ? t(lang, key) : type
}

/** attrFields lists an event's attributes as [label, value] in their order. */
export function attrFields(lang: Lang, attrs: unknown, instant: (iso: string) => string): Array<[string, string]> {
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return []
  return Object.entries(attrs as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => [labelOf(lang, k), valueOf(lang, k, v, instant)])
}

function labelOf(lang: Lang, name: string): string {
  const key = `attr.${name}`
  return isKey(key) ? t(lang, key) : name
}

function valueOf(lang: Lang, name: string, v: unknown, instant: (iso: string) => string): string {
  const key = `val.${name}.${String(v)}`
  if ((typeof v === 'string' || typeof v === 'boolean') && isKey(key)) return t(lang, key)
  if (name === 'dueAt' && typeof v === 'string') return instant(v)
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text
}

const H = 3_600_000

/** duration writes a span as days and hours (whole hours, rounded down), never negative. */
export function duration(lang: Lang, ms: number): string {
  const hours = Math.floor(Math.abs(ms) / H)
  const d = Math.floor(hours / 24)
  return d ? t(lang, 'case.duration', { d, h: hours % 24 }) : t(lang, 'case.durationHours', { h: hours })
}
