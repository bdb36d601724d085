/**
 * RuleSettings are the numbers and switches of the built-in rules (contract §3).
 * The defaults are the contract's; an administrator may change them.
 */
import type { Level } from '../common/contract/index.ts'

/** RULES lists every built-in case rule with its default level. */
export const RULES = {
  'approval.due_soon': 'yellow',
  'approval.overdue': 'red',
  'approval.accept_delay': 'yellow',
  'approval.no_reason': 'yellow',
  'approval.out_of_order': 'red',
  'approval.fee_mismatch': 'red',
  'approval.long_suspension': 'yellow',
  'approval.poor_rating': 'yellow',
  'enforcement.due_soon': 'yellow',
  'enforcement.overdue': 'red',
  'enforcement.discretion': 'red',
  'petition.accept_overdue': 'red',
  'petition.reply_due_soon': 'yellow',
  'petition.reply_overdue': 'red',
  'petition.repeat': 'yellow',
  'petition.unsatisfied': 'yellow',
  'supervision.overdue': 'red',
} as const satisfies Record<string, Level>

export type RuleId = keyof typeof RULES

export interface RuleSettings {
  /** changes whenever the settings change; recorded on every alert */
  version: string
  rules: Record<RuleId, { enabled: boolean; level: Level }>
  approval: { dueSoonMarginDays: number; acceptDays: number; longSuspensionDays: number; poorRatingMax: number }
  enforcement: { dueSoonMarginDays: number; defaultLimitDays: number }
  petition: { acceptDays: number; replyDays: number; dueSoonMarginDays: number; repeatCount: number; repeatWindowDays: number }
  /** changes for the cases of some items or departments, applied in order by settingsFor (overrides.ts) */
  overrides: RuleOverride[]
}

/** RuleOverride changes some settings for the cases it matches: by item code, department, or both. */
export interface RuleOverride {
  match: { itemCode?: string; dept?: string }
  rules?: Partial<Record<RuleId, Partial<{ enabled: boolean; level: Level }>>>
  approval?: Partial<RuleSettings['approval']>
  enforcement?: Partial<RuleSettings['enforcement']>
  petition?: Partial<RuleSettings['petition']>
}

/** defaultSettings returns the contract's defaults. */
export function defaultSettings(): RuleSettings {
  const rules = {} as RuleSettings['rules']
  for (const [id, level] of Object.entries(RULES) as Array<[RuleId, Level]>) rules[id] = { enabled: true, level }
  return {
    version: 'builtin-1',
    rules,
    approval: { dueSoonMarginDays: 2, acceptDays: 5, longSuspensionDays: 10, poorRatingMax: 2 },
    enforcement: { dueSoonMarginDays: 10, defaultLimitDays: 90 },
    petition: { acceptDays: 15, replyDays: 60, dueSoonMarginDays: 5, repeatCount: 3, repeatWindowDays: 30 },
    overrides: [],
  }
}
