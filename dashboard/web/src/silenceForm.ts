/**
 * The silence form's checks: a silence needs a rule or a department (the server would
 * refuse a silence of everything), an end time and a reason of at least four
 * characters. The end is entered in the platform's zone, whatever zone the browser is in.
 */
import type { SilenceInput } from '../../../common/contract/api.ts'
import type { MessageKey } from './i18n.ts'
import { fromLocalInput } from './timeFormat.ts'

/** MIN_SILENCE_REASON is the shortest reason the server accepts (alerts/notify/silenceStore.ts). */
export const MIN_SILENCE_REASON = 4

/** SilenceDraft is the form as typed. */
export interface SilenceDraft {
  rule: string
  dept: string
  /** datetime-local value, in the platform's zone */
  endsAt: string
  reason: string
}

/** silenceInput builds the request from the form, the end read in zone, or names what is missing. */
export function silenceInput(d: SilenceDraft, zone: string): { input: SilenceInput } | { problem: MessageKey } {
  const rule = d.rule.trim()
  const dept = d.dept.trim()
  if (!rule && !dept) return { problem: 'silences.needMatcher' }
  const endsAt = fromLocalInput(d.endsAt, zone)
  if (!endsAt) return { problem: 'silences.needEnd' }
  const reason = d.reason.trim()
  if ([...reason].length < MIN_SILENCE_REASON) return { problem: 'err.reasonShort' }
  return { input: { ...(rule ? { rule } : {}), ...(dept ? { dept } : {}), endsAt, reason } }
}
