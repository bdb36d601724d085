/**
 * kpiRanking: the ranking table's words. A movement is an arrow and its words (▲ 上升 2
 * 位), so it never rests on colour; an official result says when it was frozen, a live
 * one how far its figures run; revisions noted after the freeze sit beside their rows.
 */
import type { KpiRanking, KpiRankingRow, KpiRevisionView } from '../../../common/contract/api.ts'
import { ApiError } from './api.ts'
import { errorText } from './errorText.ts'
import { t, type Lang } from './i18n.ts'
import { figure, gradeLabel } from './kpiLabels.ts'
import { formatInstant } from './timeFormat.ts'

/** MovementView is how a row's movement is shown: a symbol, its words, and its kind for styling. */
export interface MovementView {
  symbol: string
  text: string
  kind: KpiRankingRow['movement']
}

/** movementView writes a movement as an arrow and words: ▲ 上升 2 位, ▼ 下降 1 位, = 持平, 新 新上榜. */
export function movementView(lang: Lang, row: Pick<KpiRankingRow, 'movement' | 'places'>): MovementView {
  const n = Math.abs(row.places ?? 0)
  switch (row.movement) {
    case 'up':
      return { symbol: '▲', text: t(lang, 'kpi.move.up', { n }), kind: 'up' }
    case 'down':
      return { symbol: '▼', text: t(lang, 'kpi.move.down', { n }), kind: 'down' }
    case 'same':
      return { symbol: '=', text: t(lang, 'kpi.move.same'), kind: 'same' }
    default:
      return { symbol: t(lang, 'kpi.move.newMark'), text: t(lang, 'kpi.move.new'), kind: 'new' }
  }
}

/** StatusBadge is the 正式结果 / 实时 badge over the ranking. */
export interface StatusBadge {
  official: boolean
  label: string
  detail: string
}

/** statusBadge tells whether the figures are official (frozen, and when) or live (and as of when), in zone. */
export function statusBadge(lang: Lang, r: Pick<KpiRanking, 'status' | 'frozenAt' | 'asOf'>, zone: string): StatusBadge {
  const at = (ms: number) => formatInstant(new Date(ms).toISOString(), zone)
  if (r.status === 'official') return { official: true, label: t(lang, 'kpi.status.official'), detail: r.frozenAt === null ? '' : t(lang, 'kpi.status.officialAt', { at: at(r.frozenAt) }) }
  return { official: false, label: t(lang, 'kpi.status.live'), detail: t(lang, 'kpi.status.liveAt', { at: at(r.asOf) }) }
}

/** MAX_ROW_REVISIONS bounds the revisions listed under one row (newest first). */
export const MAX_ROW_REVISIONS = 10

/** revisionsByDept groups the revisions by department, newest first, at most MAX_ROW_REVISIONS each. */
export function revisionsByDept(revisions: readonly KpiRevisionView[]): Map<string, KpiRevisionView[]> {
  const out = new Map<string, KpiRevisionView[]>()
  for (const r of [...revisions].sort((a, b) => b.notedAt - a.notedAt || b.id - a.id)) {
    const list = out.get(r.dept) ?? []
    if (list.length < MAX_ROW_REVISIONS) list.push(r)
    out.set(r.dept, list)
  }
  return out
}

/** revisionText writes one revision as its before → after, in words. */
export function revisionText(lang: Lang, r: KpiRevisionView, zone: string): string {
  const rank = (n: number | null | undefined) => (n === null || n === undefined ? t(lang, 'kpi.unranked') : String(n))
  return t(lang, 'kpi.revision', {
    at: formatInstant(new Date(r.notedAt).toISOString(), zone),
    s0: figure(lang, r.before?.score),
    s1: figure(lang, r.after?.score),
    g0: gradeLabel(lang, r.before?.grade ?? null),
    g1: gradeLabel(lang, r.after?.grade ?? null),
    r0: rank(r.before?.rank),
    r1: rank(r.after?.rank),
  })
}

/** rankText writes a rank; an unranked department (no workload) says so. */
export function rankText(lang: Lang, rank: number | null): string {
  return rank === null ? t(lang, 'kpi.unranked') : String(rank)
}

/** kpiErrorText says why the figures cannot be shown: 503 is a platform that runs no KPI component (绩效评测未运行). */
export function kpiErrorText(lang: Lang, e: unknown): string {
  if (e instanceof ApiError && e.status === 503) return t(lang, 'kpi.notRunning')
  if (e instanceof ApiError && (e.status === 0 || e.status === 403 || e.status === 404)) return errorText(lang, e)
  return t(lang, 'kpi.loadFailed', { error: e instanceof ApiError ? e.error : e instanceof Error ? e.message : String(e) })
}
