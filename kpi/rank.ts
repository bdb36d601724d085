/** competitionRanks ranks departments by score (kpi.md §3): competition ranking, 1, 2, 2, 4. */
import type { Ratio } from './ratio.ts'

/**
 * competitionRanks gives each department with a score its rank by score descending:
 * equal scores share a rank, and the next rank counts them all (1, 2, 2, 4). A
 * department without a score has no rank (null).
 */
export function competitionRanks(scores: ReadonlyMap<string, Ratio | null>): Map<string, number | null> {
  const ranked = [...scores].filter((e): e is [string, Ratio] => e[1] !== null).sort((a, b) => b[1].compare(a[1]))
  const ranks = new Map<string, number | null>()
  ranked.forEach(([dept, score], i) => {
    const before = ranked[i - 1]
    ranks.set(dept, before && before[1].compare(score) === 0 ? ranks.get(before[0])! : i + 1)
  })
  for (const dept of scores.keys()) if (!ranks.has(dept)) ranks.set(dept, null)
  return ranks
}
