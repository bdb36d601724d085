/**
 * The public performance figures: each department's on-time rate and grade for the
 * last frozen (official) period, aggregates only. The frozen KPI tables are kpi/'s;
 * until its face offers them, `noFrozenPeriod` answers that nothing is published yet,
 * and the page says 暂无已发布的考评结果. Point `PublicDeps.performance` at the kpi face
 * once it can read the last frozen period.
 */
import type { PublicPerformance } from '../../../common/contract/index.ts'

/** noFrozenPeriod is the answer while no period has been frozen. */
export async function noFrozenPeriod(): Promise<PublicPerformance> {
  return { period: null, departments: [] }
}
