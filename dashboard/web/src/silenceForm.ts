/**
 * The silence form's checks: a silence needs a rule or a department (the server would
 * refuse a silence of everything), an end time and a reason of at least four
 * characters. The end is entered in Shanghai time, whatever zone the browser is in.
 */
import type { SilenceInput } from '../../../common/contract/api.ts'
import type { MessageKey } from './i18n.ts'
import { fromShanghaiInput } from './timeFormat.ts'

/** MIN_SILENCE_REASON is the shortest reason the server accepts (alerts/notify/silenceStore.ts). */
export const MIN_SILENCE_REASON = 4

/** SilenceDraft is the form as typed. */
export interface SilenceDraft {
  rule: string
  dept: string
  /** datetime-local value, Shanghai time */
  endsAt: string
  reason: string
}

/** silenceInput builds the request from the form, or names what is missing. */
export function silenceInput(d: SilenceDraft): { input: SilenceInput } | { problem: MessageKey } {
  const rule = d.rule.trim()
  const dept = d.dept.trim()
  if (!rule && !dept) return { problem: 'silences.needMatcher' }
  const endsAt = fromShanghaiInput(d.endsAt)
  if (!endsAt) return { problem: 'silences.needEnd' }
  const reason = d.reason.trim()
  if ([...reason].length < MIN_SILENCE_REASON) return { problem: 'err.reasonShort' }
  return { input: { ...(rule ? { rule } : {}), ...(dept ? { dept } : {}), endsAt, reason } }
}
