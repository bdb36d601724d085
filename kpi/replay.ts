/**
 * kpiReplay is `jiancha kpi replay` without the file (kpi.md §4): it runs the rules
 * over the events with the rules' one driver, exactly as `jiancha replay` does, to get
 * the cards, then counts and scores every department in every period up to `until`.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import { inEventTime, LineParser, runSorted, type RuleContext } from '../rules/index.ts'
import { standingCards } from './cards.ts'
import { countsByPeriod } from './counts.ts'
import type { PeriodUnit } from './period.ts'
import { kpiRows, type KpiRow } from './report.ts'
import { defaultScheme, type Scheme } from './scheme.ts'

/** KpiReplayOptions say up to when, by which periods, under which rules context and scheme. */
export interface KpiReplayOptions {
  /** nothing at or after this instant counts */
  until: number
  /** month by default */
  unit?: PeriodUnit
  ctx: RuleContext
  /** the contract's default scheme by default */
  scheme?: Scheme
}

/** kpiReplay computes the rows of kpi.md §4 from events in any order. */
export function kpiReplay(events: readonly TimedEvent[], opts: KpiReplayOptions): KpiRow[] {
  const { until, ctx } = opts
  const unit = opts.unit ?? 'month'
  const sorted = inEventTime(events, until)
  const cards = standingCards(runSorted(sorted, until, ctx).fires)
  const counts = countsByPeriod({ events: sorted, cards, until, unit, ctx })
  return kpiRows({ counts, until, unit, zone: ctx.zone, scheme: opts.scheme ?? defaultScheme() })
}

/** kpiReplayLines reads JSON Lines as `jiancha replay` does (bad lines reported, not fatal) and computes the rows. */
export function kpiReplayLines(lines: Iterable<string>, opts: KpiReplayOptions): { rows: KpiRow[]; errors: LineParser['errors'] } {
  const parser = new LineParser()
  for (const line of lines) parser.push(line)
  return { rows: kpiReplay(parser.events, opts), errors: parser.errors }
}

/** formatKpiLine writes a row as kpi.md §4 prints it: exactly its fields, in its order. */
export function formatKpiLine(row: KpiRow): string {
  const { period, dept, counts, indicators, categories, score, grade, rank, previousRank } = row
  return JSON.stringify({ period, dept, counts, indicators, categories, score, grade, rank, previousRank })
}
