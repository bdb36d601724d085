/**
 * Tallies: the wall's open-card counters, by level and by department. They are
 * carried forward from the last snapshot card by card rather than recounted from the
 * feed, because the feed keeps only the newest 200 cards and the counts cover all.
 */
import type { AlertView, DeptTally, Level } from '../../../common/contract/api.ts'

/** Tallies are the counters a snapshot carries. */
export interface Tallies {
  counts: Record<Level, number>
  byDept: DeptTally[]
}

/** MAX_DEPTS bounds the per-department list; a city has far fewer departments. */
export const MAX_DEPTS = 500

/**
 * CLOSED_STATUSES are the statuses of a handled card. A new card is open unless the
 * store says it is already handled, so an unfamiliar status still gets counted.
 */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set(['closed', 'resolved', 'dismissed', 'cancelled'])

/** isOpen tells whether a card counts on the wall. */
export function isOpen(card: Pick<AlertView, 'status'>): boolean {
  return !CLOSED_STATUSES.has(card.status)
}

/** emptyTallies is the state before the first snapshot. */
export function emptyTallies(): Tallies {
  return { counts: { yellow: 0, red: 0 }, byDept: [] }
}

/** tallyCard counts one newly stored card; the caller has made sure it is not a repeat. */
export function tallyCard(t: Tallies, card: AlertView): Tallies {
  if (!isOpen(card)) return t
  const counts = { ...t.counts, [card.level]: t.counts[card.level] + 1 }
  const i = t.byDept.findIndex((d) => d.dept === card.dept)
  if (i < 0 && t.byDept.length >= MAX_DEPTS) return { counts, byDept: t.byDept }
  const row = i < 0 ? { dept: card.dept, yellow: 0, red: 0 } : t.byDept[i]!
  const bumped = { ...row, [card.level]: row[card.level] + 1 }
  const byDept = i < 0 ? [...t.byDept, bumped] : t.byDept.map((d, j) => (j === i ? bumped : d))
  return { counts, byDept }
}
