/**
 * How a case event is listed: its type in words, then its attributes as "name: value",
 * each named and, where the contract codes it, its value too (working days, 补正材料,
 * 准予许可), with units and instants in the platform's zone. The `attrs` object is
 * opened up rather than shown as JSON. The envelope every event carries (id, source,
 * kind, case, department, time) is left out: the list already says which case it is
 * and when each event happened. A field or code the app does not know is shown as sent.
 */
import { isKey, t, type Lang } from './i18n.ts'
import { formatInstant } from './timeFormat.ts'

const ENVELOPE: ReadonlySet<string> = new Set(['id', 'source', 'kind', 'caseId', 'dept', 'at', 'type'])

/** UNITS gives the fields that carry a quantity their unit (contract §1). */
const UNITS: Record<string, 'days' | 'yuan' | 'percent' | 'score'> = {
  promisedDays: 'days', legalDays: 'days', limitDays: 'days', days: 'days',
  feeStandard: 'yuan', amount: 'yuan', min: 'yuan', max: 'yuan',
  percent: 'percent', score: 'score',
}

/** An instant as the contract writes one: RFC 3339 with an offset. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** MAX_VALUE bounds a shown value, so one large payload cannot flood the page. */
export const MAX_VALUE = 300

/** fieldLabel names an attribute (承诺时限); an unknown one comes back as sent. */
export function fieldLabel(lang: Lang, name: string): string {
  const key = `event.field.${name}`
  return isKey(key) ? t(lang, key) : name
}

/** fieldValue writes an attribute's value in words: a coded value named, a quantity with its unit, a yes/no, an instant in zone. */
export function fieldValue(lang: Lang, zone: string, name: string, v: unknown): string {
  if (typeof v === 'boolean') return t(lang, v ? 'event.yes' : 'event.no')
  if (typeof v === 'number' && Object.hasOwn(UNITS, name)) return t(lang, `event.unit.${UNITS[name]!}`, { n: v })
  if (typeof v === 'string') {
    const key = `event.value.${name}.${v}`
    if (isKey(key)) return t(lang, key)
    if (INSTANT.test(v)) return formatInstant(v, zone)
    return v
  }
  return typeof v === 'number' ? String(v) : JSON.stringify(v)
}

/** eventFields lists an event's own fields (attrs opened up), in their order, as labelled text. */
export function eventFields(event: Record<string, unknown>, lang: Lang, zone: string): Array<[string, string]> {
  const attrs = event.attrs !== null && typeof event.attrs === 'object' && !Array.isArray(event.attrs) ? (event.attrs as Record<string, unknown>) : {}
  const own = Object.entries(event).filter(([k]) => !ENVELOPE.has(k) && !(k === 'attrs' && attrs === event.attrs))
  return [...own, ...Object.entries(attrs)]
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => {
      const text = fieldValue(lang, zone, k, v)
      return [fieldLabel(lang, k), text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text]
    })
}

/** eventType names an event's type by its kind (受理, 办结); an unknown one comes back as sent, none as an empty string. */
export function eventType(event: Record<string, unknown>, lang: Lang): string {
  if (typeof event.type !== 'string') return ''
  const key = `event.type.${String(event.kind)}.${event.type}`
  return isKey(key) ? t(lang, key) : event.type
}
