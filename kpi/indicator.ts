/** indicatorValue scores one indicator from one department's counts (kpi.md §3), exactly. */
import type { Counts } from './countNames.ts'
import { sumOf } from './countSum.ts'
import { Ratio } from './ratio.ts'
import type { Formula } from './scheme.ts'

const HUNDRED = Ratio.of(100)

/**
 * indicatorValue is the indicator's score from 0 to 100, or null when it has no data
 * (无数据: its denominator, or the cases a deduction is measured against, is 0). A
 * scheme's formula could reach beyond 0..100 (a numerator larger than its denominator);
 * the score is held within.
 */
export function indicatorValue(f: Formula, counts: Counts): Ratio | null {
  if (f.type === 'ratio') {
    const den = sumOf(f.denominator, counts)
    if (den <= 0) return null
    return HUNDRED.times(Ratio.of(sumOf(f.numerator, counts), den)).clamp(Ratio.ZERO, HUNDRED)
  }
  const of = sumOf(f.of, counts)
  if (of <= 0) return null
  let off = Ratio.ZERO
  for (const p of f.points) off = off.plus(p.points.times(Ratio.of(counts[p.count])))
  return HUNDRED.minus(off.times(f.per).div(Ratio.of(of))).clamp(Ratio.ZERO, HUNDRED)
}
