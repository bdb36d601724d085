/**
 * The public face of kpi, the performance figures (绩效评测, common/contract/kpi.md):
 * periods, counts, the scheme as data, scores, grades and ranks, and the replay that
 * computes them from a file of events. Other components import from here, and only here.
 */
export { type KpiCard, isPlatformCard, standingCards } from './cards.ts'
export { caseFacts, type Fact, type FactName } from './caseFacts.ts'
export { COUNT_NAMES, type CountName, type Counts, zeroCounts } from './countNames.ts'
export { type CountInput, countsByPeriod, type PeriodCounts } from './counts.ts'
export { parsePeriod, type Period, PERIOD_UNITS, periodEnd, periodLabel, periodOf, periodStart, periodsThrough, type PeriodUnit, previousPeriod } from './period.ts'
export { formatKpiLine, kpiReplay, kpiReplayLines, type KpiReplayOptions } from './replay.ts'
export { type KpiRow, kpiRows } from './report.ts'
export { DEFAULT_SCHEME_FILE, defaultScheme, loadScheme, parseScheme, type Scheme, SchemeError } from './scheme.ts'
export { type Scored, scoreOf } from './score.ts'
export { kpiProbe } from './health.ts'
export { type KpiStatus, type KpiWorker, startKpiWorker } from './worker.ts'
export { changedPeriods, LIVE_KPI } from './changedPeriods.ts'
export { drillDown, type DrillDown, type DrillPart, figures, kpiHasRun, type Movement, ranking, rankingRows, type RankingRow, type ReadOptions, type Registry, trend, type TrendPoint } from './queries.ts'
export { type CaseContribution, rebuildRollups } from './factStore.ts'
export { recordScheme, storedScheme, storedSchemes, type StoredScheme } from './schemeStore.ts'
export { freezeAt } from './freezeAt.ts'
export { type Freezer, freezeDue, type FreezerOptions, revisionHook, startFreezer } from './freezer.ts'
export { type Frozen, frozenPeriods, lastFrozen, type Revision, revisionsOf } from './freezeStore.ts'
