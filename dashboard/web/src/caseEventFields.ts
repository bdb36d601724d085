/**
 * How a case event is listed: its type, then its own fields as "name: value". The
 * envelope every event carries (id, source, kind, case, department, time) is left
 * out: the list already says which case it is and when each event happened.
 */

const ENVELOPE: ReadonlySet<string> = new Set(['id', 'source', 'kind', 'caseId', 'dept', 'at', 'type'])

/** MAX_VALUE bounds a shown value, so one large payload cannot flood the page. */
export const MAX_VALUE = 300

/** eventFields lists an event's own fields, in their order, values as text. */
export function eventFields(event: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(event)
    .filter(([k, v]) => !ENVELOPE.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : JSON.stringify(v)
      return [k, text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text]
    })
}

/** eventType is an event's type, or an empty string when it has none. */
export function eventType(event: Record<string, unknown>): string {
  return typeof event.type === 'string' ? event.type : ''
}
