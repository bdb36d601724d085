/**
 * A ranking as the API answers it (KpiRankingRow, KpiRevisionView), and the official
 * rows kept to one kind of department: ranked again among that kind by their official
 * scores, as a live ranking of a kind ranks among that kind (kpi ReadOptions.kind), so
 * that a kind's ranks mean the same frozen or live. Pure.
 */
import { DEPT_KINDS, type DeptKind, type KpiRankingRow, type KpiRevisionView } from '../../../common/contract/index.ts'
import type { KpiRow, RankingRow, Registry, Revision } from '../../../kpi/index.ts'

/** deptKind narrows a registry's kind to the contract's. */
export function deptKind(kind: string | null): DeptKind | null {
  return kind !== null && (DEPT_KINDS as readonly string[]).includes(kind) ? (kind as DeptKind) : null
}

/** rankingRowView is a ranking row without what the answer says once (its period and scheme). */
export function rankingRowView(r: RankingRow): KpiRankingRow {
  return {
    dept: r.dept, name: r.name, kind: deptKind(r.kind), counts: { ...r.counts }, indicators: r.indicators, categories: r.categories,
    score: r.score, grade: r.grade, rank: r.rank, previousRank: r.previousRank, movement: r.movement, places: r.places,
  }
}

/** revisionView is a revision with the row before and after reduced to score, grade and rank. */
export function revisionView(r: Revision): KpiRevisionView {
  const brief = (x: KpiRow | null) => (x ? { score: x.score, grade: x.grade, rank: x.rank } : null)
  return { id: r.id, dept: r.dept, notedAt: r.notedAt, before: brief(r.before), after: brief(r.after), cause: r.cause }
}

/** ofKind keeps the departments of a kind: those the registry holds with that kind (a department it does not hold has none). */
export function ofKind(registry: Registry | undefined, kind: DeptKind): (dept: string) => boolean {
  const kinds = new Map((registry?.list() ?? []).map((d) => [d.code, d.kind]))
  return (dept) => kinds.get(dept) === kind
}

/** competitionRanks ranks rows with a score by score, descending (1, 2, 2, 4); scores are the rounded ones the contract ranks by. */
function competitionRanks(rows: readonly KpiRow[]): Map<string, number> {
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score!)
  const out = new Map<string, number>()
  scored.forEach((r, i) => out.set(r.dept, i > 0 && scored[i - 1]!.score === r.score ? out.get(scored[i - 1]!.dept)! : i + 1))
  return out
}

/**
 * officialOfKind keeps the frozen rows of the departments `keep` holds, ranked among
 * themselves, with the previous period's frozen rows ranked the same way for
 * previousRank; listed as the contract lists them, by rank (unranked last), then dept.
 */
export function officialOfKind(rows: readonly KpiRow[], previous: readonly KpiRow[] | undefined, keep: (dept: string) => boolean): KpiRow[] {
  const kept = rows.filter((r) => keep(r.dept))
  const ranks = competitionRanks(kept)
  const before = previous ? competitionRanks(previous.filter((r) => keep(r.dept))) : new Map<string, number>()
  const out = kept.map((r) => ({ ...r, rank: ranks.get(r.dept) ?? null, previousRank: before.get(r.dept) ?? null }))
  return out.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : 0))
}
