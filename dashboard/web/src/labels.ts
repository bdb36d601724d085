/**
 * Labels of the supervision loop: thread states, actions, roles, case kinds and SMS
 * statuses, each written out in words and paired with a symbol, so nothing is told
 * by colour alone. A thread is named by the rule of its level: the red thread of the
 * approval deadline family reads 审批超期, its yellow one 审批即将到期.
 */
import type { ActionName, Kind, Level, Role, SmsStatus, State } from '../../../common/contract/api.ts'
import { isKey, ruleLabel, t, type Lang } from './i18n.ts'

/** STATE_ORDER lists the thread states in loop order (alerts/lifecycle/states.ts STATES). */
export const STATE_ORDER: readonly State[] = ['raised', 'notified', 'acknowledged', 'rectification_submitted', 'returned', 'approved', 'withdrawn']

/** STATE_SYMBOL is a state's symbol, shown before its label. */
export const STATE_SYMBOL: Record<State, string> = {
  raised: '!',
  notified: '✉',
  acknowledged: '✓',
  rectification_submitted: '⧗',
  returned: '↩',
  approved: '✔',
  withdrawn: '⊘',
}

/** SMS_SYMBOL is a text message status's symbol, shown before its label. */
export const SMS_SYMBOL: Record<SmsStatus, string> = {
  pending: '…',
  sending: '↗',
  sent: '✓',
  delivered: '✔',
  undelivered: '✗',
  failed: '✗',
}

/** KINDS are the case kinds an inspector may flag, in form order. */
export const KINDS: readonly Kind[] = ['approval', 'enforcement', 'petition', 'supervision']

/** FAMILY_RULES names the rules of the yellow/red families (docs/lifecycle.md "Threads and upgrades"). */
const FAMILY_RULES: Record<string, Record<Level, string>> = {
  'approval.deadline': { yellow: 'approval.due_soon', red: 'approval.overdue' },
  'enforcement.deadline': { yellow: 'enforcement.due_soon', red: 'enforcement.overdue' },
  'petition.reply': { yellow: 'petition.reply_due_soon', red: 'petition.reply_overdue' },
}

/** threadRule is the rule a thread stands for at its level; any other family is a rule of its own. */
export function threadRule(family: string, level: Level): string {
  return Object.hasOwn(FAMILY_RULES, family) ? FAMILY_RULES[family]![level] : family
}

/** threadRuleLabel names a thread's rule in words. */
export function threadRuleLabel(lang: Lang, family: string, level: Level): string {
  return ruleLabel(lang, threadRule(family, level))
}

/** known looks a key up, falling back to the raw value for one the app does not know yet. */
function known(lang: Lang, key: string, raw: string): string {
  return isKey(key) ? t(lang, key) : raw
}

/** stateLabel names a thread state (已预警, 待审核, …). */
export function stateLabel(lang: Lang, state: State): string {
  return known(lang, `state.${state}`, state)
}

/** actionLabel names a recorded action of a thread's history. */
export function actionLabel(lang: Lang, action: ActionName): string {
  return known(lang, `action.${action}`, action)
}

/** roleLabel names a role (监察员, 部门, …); `system` is the platform itself. */
export function roleLabel(lang: Lang, role: Role | 'system'): string {
  return known(lang, `role.${role}`, role)
}

/** kindLabel names a case kind (行政审批, …). */
export function kindLabel(lang: Lang, kind: Kind): string {
  return known(lang, `kind.${kind}`, kind)
}

/** smsStatusLabel names a text message's status (已发送, 发送失败, …). */
export function smsStatusLabel(lang: Lang, status: SmsStatus): string {
  return known(lang, `sms.status.${status}`, status)
}

/** escalationLabel names the furthest escalation step a thread reached (docs/lifecycle.md); an unknown step shows as is. */
export function escalationLabel(lang: Lang, step: string): string {
  return known(lang, `escalation.${step}`, step)
}
