/**
 * kpiPeriod: the cockpit's periods (kpi.md §1): a month 2026-11, a quarter 2026-Q4 or a
 * year 2026, in the platform's zone. The picker offers the current period and those
 * before it, newest first, a bounded number of each unit.
 */
import type { KpiUnit } from '../../../common/contract/api.ts'
import { localTime } from './timeFormat.ts'

/** KPI_UNITS lists the units in switch order. */
export const KPI_UNITS: readonly KpiUnit[] = ['month', 'quarter', 'year']

/** PICKER_PERIODS bounds the periods the picker offers, per unit. */
export const PICKER_PERIODS: Record<KpiUnit, number> = { month: 24, quarter: 12, year: 6 }

/** Ym is a period's start: its year and first month (1..12). */
interface Ym {
  year: number
  month: number
}

/** periodUnit tells the unit of a period's name; null when it names none. */
export function periodUnit(period: string): KpiUnit | null {
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return 'month'
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter'
  if (/^\d{4}$/.test(period)) return 'year'
  return null
}

/** periodName writes the period of `unit` that holds the month `ym`. */
function periodName(ym: Ym, unit: KpiUnit): string {
  if (unit === 'year') return String(ym.year)
  if (unit === 'quarter') return `${ym.year}-Q${Math.ceil(ym.month / 3)}`
  return `${ym.year}-${String(ym.month).padStart(2, '0')}`
}

/** currentPeriod is the period of `unit` that holds the instant, in zone; null for an invalid instant. */
export function currentPeriod(instant: number | string, unit: KpiUnit, zone: string): string | null {
  const t = localTime(instant, zone)
  if (!t) return null
  return periodName({ year: Number(t.date.slice(0, 4)), month: Number(t.date.slice(5, 7)) }, unit)
}

/** startOf reads a period's first month. */
function startOf(period: string): Ym | null {
  const unit = periodUnit(period)
  if (!unit) return null
  const year = Number(period.slice(0, 4))
  if (unit === 'year') return { year, month: 1 }
  if (unit === 'quarter') return { year, month: (Number(period.slice(6)) - 1) * 3 + 1 }
  return { year, month: Number(period.slice(5, 7)) }
}

const STEP: Record<KpiUnit, number> = { month: 1, quarter: 3, year: 12 }

/** shiftPeriod is the period `n` periods after (negative: before) the given one; null for a name it does not read. */
export function shiftPeriod(period: string, n: number): string | null {
  const unit = periodUnit(period)
  const s = startOf(period)
  if (!unit || !s) return null
  const m = s.year * 12 + (s.month - 1) + n * STEP[unit]
  return periodName({ year: Math.floor(m / 12), month: (m % 12) + 1 }, unit)
}

/** periodOptions lists the picker's periods: `current` and the ones before it, newest first. */
export function periodOptions(current: string, count?: number): string[] {
  const unit = periodUnit(current)
  if (!unit) return []
  const n = count ?? PICKER_PERIODS[unit]
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(shiftPeriod(current, -i)!)
  return out
}

/** periodInUnit is the period of `unit` that holds the start of `period` (switching month → quarter keeps the quarter of that month). */
export function periodInUnit(period: string, unit: KpiUnit): string | null {
  const s = startOf(period)
  return s ? periodName(s, unit) : null
}

/** touchesPeriod tells whether a 'kpi' announcement (KpiChanged, checked here: it comes off the socket) names the period shown. */
export function touchesPeriod(changed: unknown, period: string | null): boolean {
  if (period === null || typeof changed !== 'object' || changed === null) return false
  const periods = (changed as { periods?: unknown }).periods
  return Array.isArray(periods) && periods.includes(period)
}
