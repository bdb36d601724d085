/**
 * Frozen periods (node-cron): every minute, and once at start, each period whose end
 * plus the grace period has passed on the platform clock is frozen with its figures,
 * ranks and scheme version (freezeStore.ts), once. Facts that land later in a frozen
 * period add revisions beside it, in the transaction that adds them (revisionHook):
 * the department's figures then and now, and the fact changes that made the difference.
 */
import cron from 'node-cron'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { Clock, WorkCalendar, Zone } from '../common/time/index.ts'
import { periodCountsOf } from './factCounts.ts'
import { type CaseDelta, earliestFact, sumFactsRaw } from './factStore.ts'
import { freezeAt } from './freezeAt.ts'
import { addRevisions, causeOf, freezePeriod, frozenPeriods, type Revision } from './freezeStore.ts'
import { parsePeriod, type Period, periodEnd, periodLabel, periodOf, PERIOD_UNITS, periodStart, periodsThrough, previousPeriod } from './period.ts'
import { figures, type Registry } from './queries.ts'
import { kpiRows, type KpiRow } from './report.ts'
import type { Scheme } from './scheme.ts'
import { recordScheme } from './schemeStore.ts'

/** FreezerOptions wire the freezer. */
export interface FreezerOptions {
  db: Db
  clock: Clock
  zone: Zone
  calendar: WorkCalendar
  scheme: { scheme: Scheme; origin: string }
  /** working days after a period's end before it is frozen */
  graceDays: number
  registry?: Registry
  log?: Logger
  /** node-cron expression; every minute by default */
  cron?: string
}

/** Freezer is a running freezer. */
export interface Freezer {
  /** freezes what is due at `now` (the platform clock by default); the periods this call froze */
  runOnce(now?: number): Promise<string[]>
  stop(): Promise<void>
}

/** freezeDue freezes every period due by `now` and not yet frozen; the periods it froze. */
export async function freezeDue(o: FreezerOptions, now: number): Promise<string[]> {
  const earliest = await earliestFact(o.db, now)
  if (earliest === null) return []
  const done = new Set((await frozenPeriods(o.db)).map((f) => f.period))
  const due: Period[] = []
  for (const unit of PERIOD_UNITS) {
    for (const p of periodsThrough(periodOf(earliest, unit, o.zone), periodOf(now, unit, o.zone))) {
      if (!done.has(periodLabel(p)) && freezeAt(p, o.graceDays, o) <= now) due.push(p)
    }
  }
  if (!due.length) return []
  await recordScheme(o.db, o.scheme.scheme, o.scheme.origin, now)
  const out: string[] = []
  for (const p of due) {
    const rows = await figures(o.db, { period: p }, { zone: o.zone, scheme: o.scheme.scheme, until: periodEnd(p, o.zone), registry: o.registry, fresh: true })
    const label = periodLabel(p)
    if (await freezePeriod(o.db, { period: label, unit: p.unit, scheme: o.scheme.scheme.version, frozenAt: now, rows })) {
      o.log?.info(`kpi: ${label} frozen`, { scheme: o.scheme.scheme.version, departments: rows.length })
      out.push(label)
    }
  }
  return out
}

/** startFreezer runs freezeDue at once and then on the cron schedule; a tick while one runs is skipped. */
export function startFreezer(o: FreezerOptions): Freezer {
  const expr = o.cron ?? '* * * * *'
  if (!cron.validate(expr)) throw new Error(`kpi freezer: bad cron expression "${expr}"`)
  let chain: Promise<unknown> = Promise.resolve()
  const run = (now: number): Promise<string[]> => {
    const p = chain.then(() => freezeDue(o, now))
    chain = p.catch(() => {})
    return p
  }
  const tick = () => run(o.clock.now()).catch((e: unknown) => o.log?.error('kpi: freezing failed', { error: (e as Error).message }))
  const task = cron.schedule(expr, tick, { name: 'jiancha-kpi-freeze', noOverlap: true })
  void tick()
  return {
    runOnce: (now = o.clock.now()) => run(now),
    stop: async () => {
      await task.stop()
      await task.destroy()
      await chain
    },
  }
}

/**
 * revisionHook gives the kpi worker's onFacts: for each frozen period the new facts fall
 * in, the figures now (from the facts themselves, in the transaction) against the
 * frozen ones, and a revision for each department whose row differs.
 */
export function revisionHook(o: { scheme: Scheme; zone: Zone; registry?: Registry }): (tx: Queryable, deltas: readonly CaseDelta[], now: number) => Promise<void> {
  return async (tx, deltas, now) => {
    const labels = new Set<string>()
    for (const d of deltas) for (const unit of PERIOD_UNITS) labels.add(periodLabel(periodOf(d.t, unit, o.zone)))
    const frozen = await frozenPeriods(tx, [...labels])
    const revisions: Array<Omit<Revision, 'id'>> = []
    for (const f of frozen) {
      const p = parsePeriod(f.period)
      const now_ = await rowsNow(tx, p, o)
      const start = periodStart(p, o.zone)
      const end = periodEnd(p, o.zone)
      const cause = causeOf(deltas.filter((d) => d.t >= start && d.t < end))
      for (const dept of new Set([...f.rows.map((r) => r.dept), ...now_.map((r) => r.dept)])) {
        const before = f.rows.find((r) => r.dept === dept) ?? null
        const after = now_.find((r) => r.dept === dept) ?? null
        if (sameFigures(before, after)) continue
        revisions.push({ period: f.period, dept, notedAt: now, scheme: o.scheme.version, before, after, cause })
      }
    }
    await addRevisions(tx, revisions)
  }
}

/** rowsNow scores a period (and the one before, for previousRank) from the facts as they stand in the transaction. */
async function rowsNow(tx: Queryable, p: Period, o: { scheme: Scheme; zone: Zone; registry?: Registry }): Promise<KpiRow[]> {
  const prev = previousPeriod(p)
  const sums = [
    ...(await sumFactsRaw(tx, periodStart(prev, o.zone), periodEnd(prev, o.zone), p.unit)),
    ...(await sumFactsRaw(tx, periodStart(p, o.zone), periodEnd(p, o.zone), p.unit)),
  ]
  const counts = periodCountsOf(sums, p.unit, o.zone)
  const keep = registryKeep(o.registry)
  for (const depts of counts.byPeriod.values()) for (const dept of [...depts.keys()]) if (!keep(dept)) depts.delete(dept)
  const from = periodStart(prev, o.zone)
  const label = periodLabel(p)
  return kpiRows({ counts: { ...counts, earliest: from }, until: periodEnd(p, o.zone) - 1, unit: p.unit, zone: o.zone, scheme: o.scheme }).filter((r) => r.period === label)
}

function registryKeep(registry: Registry | undefined): (dept: string) => boolean {
  if (!registry) return () => true
  const byCode = new Map(registry.list().map((d) => [d.code, d]))
  return (dept) => byCode.get(dept)?.active ?? true
}

/** sameFigures compares two rows' figures, not the scheme's name; a row read back from jsonb has its keys in another order. */
function sameFigures(a: KpiRow | null, b: KpiRow | null): boolean {
  const figures = (r: KpiRow | null) => {
    if (!r) return 'null'
    const { scheme: _scheme, ...rest } = r
    return stable(rest)
  }
  return figures(a) === figures(b)
}

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`
}
