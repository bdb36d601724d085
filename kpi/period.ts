/**
 * Periods of the performance figures (kpi.md §1): a calendar month, quarter or year
 * in the platform's zone, from 00:00 of its first day, included, to 00:00 of the
 * first day of the next period, excluded. Written 2026-09, 2026-Q3, 2026.
 */
import { DAY_MS, type Zone } from '../common/time/index.ts'

/** PERIOD_UNITS are the lengths a period may have. */
export const PERIOD_UNITS = ['month', 'quarter', 'year'] as const

/** PeriodUnit is the length of a period. */
export type PeriodUnit = (typeof PERIOD_UNITS)[number]

/**
 * Period is one calendar period. `n` numbers the periods of its unit in order (a month
 * is year × 12 + month − 1, a quarter year × 4 + quarter − 1, a year itself), so the
 * previous period of the same length is n − 1.
 */
export interface Period {
  unit: PeriodUnit
  n: number
}

const PER_YEAR: Record<PeriodUnit, number> = { month: 12, quarter: 4, year: 1 }
const MONTHS: Record<PeriodUnit, number> = { month: 1, quarter: 3, year: 12 }

/** periodOf returns the period of the given length that holds instant t in the zone. */
export function periodOf(t: number, unit: PeriodUnit, zone: Zone): Period {
  const date = new Date(zone.dayOf(t) * DAY_MS)
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth()
  return { unit, n: Math.floor(month / MONTHS[unit]) }
}

/** periodLabel writes a period as the contract does: 2026-09, 2026-Q3, 2026. */
export function periodLabel(p: Period): string {
  const per = PER_YEAR[p.unit]
  const year = String(Math.floor(p.n / per)).padStart(4, '0')
  const i = (p.n % per) + 1
  if (p.unit === 'month') return `${year}-${String(i).padStart(2, '0')}`
  return p.unit === 'quarter' ? `${year}-Q${i}` : year
}

/** parsePeriod reads a period label (2026-09, 2026-Q3, 2026); anything else throws with the label. */
export function parsePeriod(label: string): Period {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(label)
  const month = m?.[2] === undefined ? null : Number(m[2])
  if (!m || (month !== null && (month < 1 || month > 12))) {
    throw new Error(`bad period "${label}", expected a month (2026-09), a quarter (2026-Q3) or a year (2026)`)
  }
  const year = Number(m[1])
  if (month !== null) return { unit: 'month', n: year * 12 + month - 1 }
  if (m[3] !== undefined) return { unit: 'quarter', n: year * 4 + Number(m[3]) - 1 }
  return { unit: 'year', n: year }
}

/** previousPeriod is the period of the same length just before p. */
export function previousPeriod(p: Period): Period {
  return { unit: p.unit, n: p.n - 1 }
}

/** periodStart is the instant of 00:00 in the zone on the first day of p. */
export function periodStart(p: Period, zone: Zone): number {
  const month = p.n * MONTHS[p.unit]
  return zone.startOf(Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS)
}

/** periodEnd is the instant p ends, excluded: the start of the next period. */
export function periodEnd(p: Period, zone: Zone): number {
  return periodStart({ unit: p.unit, n: p.n + 1 }, zone)
}

/** periodsThrough lists the periods from `first` to `last`, both included, in order (none when last is before first). */
export function periodsThrough(first: Period, last: Period): Period[] {
  if (first.unit !== last.unit) throw new Error(`periodsThrough: a ${first.unit} and a ${last.unit}`)
  const out: Period[] = []
  for (let n = first.n; n <= last.n; n++) out.push({ unit: first.unit, n })
  return out
}
