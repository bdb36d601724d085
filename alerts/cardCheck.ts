/**
 * cardProblem checks that a message of the alerts stream is a card the service can
 * store. The rules worker and the flag API only send such cards; anything else (a
 * message published by hand, a future shape) would fail in the middle of its batch for
 * a reason that is about the message, not the moment, and is sent to the dead letters
 * at once instead.
 */
import { type CardMessage, KINDS } from '../common/contract/index.ts'

/** cardProblem names what is wrong with msg as a card, or returns null when it is one. */
export function cardProblem(msg: unknown): string | null {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return 'not an object'
  const c = msg as Partial<Record<keyof CardMessage, unknown>>
  for (const f of ['key', 'rule', 'caseId', 'dept', 'settingsVersion'] as const) {
    if (typeof c[f] !== 'string' || c[f] === '') return `${f}: must be a non-empty string`
  }
  if (c.level !== 'yellow' && c.level !== 'red') return 'level: must be "yellow" or "red"'
  if (c.kind !== null && !KINDS.includes(c.kind as never)) return `kind: must be null or one of ${KINDS.join(', ')}`
  if (typeof c.at !== 'string' || Number.isNaN(Date.parse(c.at))) return 'at: must be an RFC 3339 instant'
  if (!Array.isArray(c.causes) || !c.causes.every((x) => typeof x === 'string')) return 'causes: must be a list of strings'
  if (c.withdrawn !== undefined && typeof (c.withdrawn as { by?: unknown } | null)?.by !== 'string') return 'withdrawn.by: must be a string'
  if (c.note !== undefined) {
    const n = c.note as { reason?: unknown; by?: unknown } | null
    if (typeof n?.reason !== 'string' || typeof n.by !== 'string') return 'note: must have a reason and a by'
  }
  return null
}
