/**
 * The public performance figures: each department's on-time rate and grade for the
 * last frozen (official) month, aggregates only, from kpi's frozen results. The
 * on-time rate is the scheme's approval on-time indicator (审批按时办结率,
 * `approval_on_time`, kpi.md §3) over 100; a department without it in that month (no
 * approval concluded: 无数据) or without a grade is left out, as is one the registry
 * does not hold as active. While nothing is frozen the page says 暂无已发布的考评结果.
 */
import type { PublicPerformance } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { lastFrozen, type Registry } from '../../../kpi/index.ts'

/** ON_TIME_INDICATOR is the indicator the public page shows as the on-time rate. */
export const ON_TIME_INDICATOR = 'approval_on_time'

/** noFrozenPeriod is the answer while no period has been frozen. */
export async function noFrozenPeriod(): Promise<PublicPerformance> {
  return { period: null, departments: [] }
}

/** frozenPerformance reads the last frozen month's official rows for the public page; without a registry every department counts. */
export function frozenPerformance(deps: { db: Queryable; registry?: Registry; indicator?: string }): () => Promise<PublicPerformance> {
  const indicator = deps.indicator ?? ON_TIME_INDICATOR
  return async () => {
    const f = await lastFrozen(deps.db, 'month')
    if (!f) return noFrozenPeriod()
    const active = deps.registry ? new Set(deps.registry.list().filter((d) => d.active).map((d) => d.code)) : null
    const departments = f.rows.flatMap((r) => {
      const v = r.indicators[indicator]
      if ((active && !active.has(r.dept)) || v === null || v === undefined || r.grade === null) return []
      // Indicators are kept rounded to 2 decimals (a percentage); the rate is that over 100, without float noise.
      return [{ dept: r.dept, onTimeRate: Math.round(v * 100) / 10_000, grade: r.grade }]
    })
    return { period: f.period, departments }
  }
}
