/**
 * scoreOf turns one department's counts in one period into its figures (kpi.md §3):
 * each indicator 0..100 or no data, each category the weighted mean of its indicators
 * with data, the score the weighted mean by category weight of the categories with
 * data, rounded half up to 2 decimals, and the grade by the scheme's cut-offs. The
 * arithmetic is exact (Ratio) until that rounding.
 */
import type { Counts } from './countNames.ts'
import { indicatorValue } from './indicator.ts'
import { Ratio } from './ratio.ts'
import type { Scheme } from './scheme.ts'

/** Scored holds a department's figures in one period; null is no data (无数据). */
export interface Scored {
  /** by indicator name, in the scheme's order; exact */
  indicators: Map<string, Ratio | null>
  /** by category name, in the scheme's order; exact */
  categories: Map<string, Ratio | null>
  /** rounded half up to 2 decimals; null without any category with data */
  score: Ratio | null
  grade: string | null
}

/** scoreOf computes the figures of one department's counts under a scheme. */
export function scoreOf(counts: Counts, scheme: Scheme): Scored {
  const indicators = new Map<string, Ratio | null>()
  const categories = new Map<string, Ratio | null>()
  const overall = new WeightedMean()
  for (const c of scheme.categories) {
    const mean = new WeightedMean()
    for (const i of c.indicators) {
      const v = indicatorValue(i.formula, counts)
      indicators.set(i.name, v)
      if (v) mean.add(v, i.weight)
    }
    const value = mean.value()
    categories.set(c.name, value)
    // A category weighs all its indicators, those without data too (kpi.md §3).
    if (value) overall.add(value, c.weight)
  }
  const score = overall.value()?.roundHalfUp(2) ?? null
  return { indicators, categories, score, grade: score && gradeOf(score, scheme) }
}

/** gradeOf is the first grade, highest first, whose min the score reaches. */
export function gradeOf(score: Ratio, scheme: Scheme): string {
  for (const g of scheme.grades) if (score.compare(g.min) >= 0) return g.name
  // A checked scheme's last grade starts at 0, and no score is below 0.
  return scheme.grades[scheme.grades.length - 1]!.name
}

/** WeightedMean sums values by weight: Σ wᵢvᵢ / Σ wᵢ, or null when nothing was added. */
class WeightedMean {
  private sum = Ratio.ZERO
  private weight = Ratio.ZERO
  private any = false

  add(value: Ratio, weight: Ratio): void {
    this.sum = this.sum.plus(value.times(weight))
    this.weight = this.weight.plus(weight)
    this.any = true
  }

  value(): Ratio | null {
    return this.any ? this.sum.div(this.weight) : null
  }
}
