/**
 * dailyCards reads the alerts_daily aggregate (cards per platform-zone day, department
 * and level, built over alert_events by migrations 003/016; the alert store owns both)
 * for the wall's trend and heatmap. One row per department and day, both levels.
 */
import type { DailyTally } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'

/** dailyCards gives the cards per department and day since `since` (epoch ms), oldest first, at most `limit` rows; `day` via dayOf (the platform zone). */
export async function dailyCards(db: Queryable, since: number, dayOf: (t: number) => string, limit: number, dept?: string): Promise<DailyTally[]> {
  const r = await db.query<{ day: Date; dept: string; yellow: string | number; red: string | number }>(
    `SELECT day, dept, sum(cards) FILTER (WHERE level = 'yellow') AS yellow, sum(cards) FILTER (WHERE level = 'red') AS red
     FROM alerts_daily WHERE day >= $1 AND ($2::text IS NULL OR dept = $2)
     GROUP BY day, dept ORDER BY day DESC, dept DESC LIMIT $3`,
    [new Date(since), dept ?? null, limit],
  )
  return r.rows.reverse().map((x) => ({ day: dayOf(x.day.getTime()), dept: x.dept, yellow: Number(x.yellow ?? 0), red: Number(x.red ?? 0) }))
}
