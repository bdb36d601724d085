/**
 * kpiReform: the decision support tab's logic (辅助决策): the date range asked for (by
 * default the last 90 days of the platform's today), checked before it is sent, and the
 * candidates grouped by dimension (item, rule, step), most cards first, each bounded.
 */
import type { DecisionSupport, ReformCandidate } from '../../../common/contract/api.ts'
import { MAX_REFORM_CANDIDATES, MAX_REFORM_DAYS } from '../../../common/contract/api.ts'
import { isKey, ruleLabel, t, type Lang } from './i18n.ts'

/** REFORM_DIMENSIONS lists the dimensions in display order. */
export const REFORM_DIMENSIONS: readonly ReformCandidate['dimension'][] = ['item', 'rule', 'step']

/** DEFAULT_REFORM_DAYS is the span of the default range. */
export const DEFAULT_REFORM_DAYS = 90


const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** dayMs reads YYYY-MM-DD as a day number (UTC midnight, ms); null if it is no real date. */
function dayMs(d: string): number | null {
  if (!DATE.test(d)) return null
  const ms = Date.parse(`${d}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d ? ms : null
}

/** defaultRange is the DEFAULT_REFORM_DAYS days ending on `today` (YYYY-MM-DD, the platform zone), both included. */
export function defaultRange(today: string): { from: string; until: string } {
  const end = dayMs(today) ?? 0
  return { from: new Date(end - (DEFAULT_REFORM_DAYS - 1) * DAY_MS).toISOString().slice(0, 10), until: today }
}

/** validRange tells whether from..until can be asked: real dates, in order, at most MAX_REFORM_DAYS days (the server's bound, both ends counted). */
export function validRange(from: string, until: string): boolean {
  const a = dayMs(from)
  const b = dayMs(until)
  return a !== null && b !== null && a <= b && (b - a) / DAY_MS < MAX_REFORM_DAYS
}

/** byDimension groups the candidates: each dimension most cards first (then overdue days, then key), at most MAX_REFORM_CANDIDATES. */
export function byDimension(ds: DecisionSupport): Record<ReformCandidate['dimension'], ReformCandidate[]> {
  const out: Record<ReformCandidate['dimension'], ReformCandidate[]> = { item: [], rule: [], step: [] }
  for (const c of ds.candidates) if (Object.hasOwn(out, c.dimension)) out[c.dimension].push(c)
  for (const d of REFORM_DIMENSIONS) {
    out[d] = out[d].sort((a, b) => b.cards - a.cards || b.overdueDays - a.overdueDays || a.key.localeCompare(b.key)).slice(0, MAX_REFORM_CANDIDATES)
  }
  return out
}

/** candidateTitle names a candidate: a rule by its name (审批超期), a step (approval.accepted) by its event's (受理), an item by its key. */
export function candidateTitle(lang: Lang, c: ReformCandidate): string {
  if (c.dimension === 'rule') return ruleLabel(lang, c.key)
  const step = `event.type.${c.key}`
  if (c.dimension === 'step' && isKey(step)) return `${t(lang, step)} (${c.key})`
  return c.key
}
