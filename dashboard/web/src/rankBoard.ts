/**
 * The wall's ranking board (考核排名), as plain values: which month it shows (the
 * platform clock's, in the platform zone), which rows (the ranked departments by rank,
 * the first RANK_BOARD_ROWS), and each row's movement and grade in words, so that the
 * arrow's colour is never the only signal.
 */
import type { KpiChanged, KpiRanking, KpiRankingRow } from '../../../common/contract/api.ts'
import { isKey, t, type Lang } from './i18n.ts'
import { localTime } from './timeFormat.ts'

/** RANK_BOARD_ROWS bounds the rows on screen: a wall shows the head of the ranking. */
export const RANK_BOARD_ROWS = 10

/** boardMonth is the month label (2026-12) of the platform time in the zone; null before the first clock reading. */
export function boardMonth(now: string | null, zone: string): string | null {
  const d = now === null ? null : localTime(now, zone)
  return d ? d.date.slice(0, 7) : null
}

/** concerns tells whether an announcement names the period the board shows. */
export function concerns(change: KpiChanged, period: string | null): boolean {
  return period !== null && change.periods.includes(period)
}

/** boardRows is the ranked rows by rank (ties by department code), the first `limit`; departments without figures (无数据) are left out. */
export function boardRows(r: KpiRanking | null, limit = RANK_BOARD_ROWS): KpiRankingRow[] {
  if (!r) return []
  return r.rows
    .filter((x) => x.rank !== null)
    .sort((a, b) => a.rank! - b.rank! || (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : 0))
    .slice(0, limit)
}

/** Move is a row's movement as shown: a symbol, and the same in words. */
export interface Move {
  symbol: '▲' | '▼' | '=' | '–'
  text: string
  /** for the colour: up, down, same, new */
  tone: KpiRankingRow['movement']
}

/** movement words a row's movement against the previous period. */
export function movement(row: Pick<KpiRankingRow, 'movement' | 'places'>, lang: Lang): Move {
  const n = Math.abs(row.places ?? 0)
  switch (row.movement) {
    case 'up':
      return { symbol: '▲', text: t(lang, 'rank.up', { n }), tone: 'up' }
    case 'down':
      return { symbol: '▼', text: t(lang, 'rank.down', { n }), tone: 'down' }
    case 'same':
      return { symbol: '=', text: t(lang, 'rank.same'), tone: 'same' }
    default:
      return { symbol: '–', text: t(lang, 'rank.new'), tone: 'new' }
  }
}

/** gradeLabel names a scheme's grade in the language; a grade the catalogue does not know is shown as the scheme names it. */
export function gradeLabel(lang: Lang, grade: string | null): string {
  if (grade === null) return t(lang, 'rank.noData')
  const key = `grade.${grade}`
  return isKey(key) ? t(lang, key) : grade
}

/** gradeTier places a grade among the scheme's (0 the best); null for none, so the styling can follow any scheme. */
export function gradeTier(r: Pick<KpiRanking, 'scheme'>, grade: string | null): 'top' | 'mid' | 'low' | null {
  const i = grade === null ? -1 : r.scheme.grades.findIndex((g) => g.name === grade)
  if (i < 0) return null
  return i === 0 ? 'top' : i === r.scheme.grades.length - 1 ? 'low' : 'mid'
}

/** scoreText writes a score with its two decimals, or 无数据. */
export function scoreText(score: number | null, lang: Lang): string {
  return score === null ? t(lang, 'rank.noData') : score.toFixed(2)
}
