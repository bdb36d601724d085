/**
 * A small KPI fixture for the API's tests, in Asia/Shanghai: approvals of four bureaus
 * over October to December 2026, stored as the kpi worker stores them (kpi/testing.ts
 * storeCases), October and November frozen at 00:00 on 4 December as the freezer does,
 * then a late November case of market's that adds a revision beside the official result.
 *
 * By hand (kpi.md §3; efficiency 30 = approval_on_time 15 + approval_early 5 +
 * enforcement 10 without data; compliance 25 = cards):
 * - 2026-10: market M-0 on time and early → 100, rank 1.
 * - 2026-11 as frozen: tax T-1 and letters L-1 on time and early → 100, rank 1 each;
 *   market A-1 on time and early, A-2 late with a red card: on time 50, early 50,
 *   cards max(0, 100 − 3 × 100 / 2) = 0, score 30 × 50 / 55 = 27.27, rank 3 (▼2).
 *   old (inactive) is left out.
 * - 2026-11 now, with the late A-3 (on time, early): market on time 66.67, early 66.67,
 *   cards 0, score 30 × 66.67 / 55 = 36.36: the revision's "after".
 * - 2026-12, live: tax T-2 on time and early → 100, rank 1; market A-4 on time, not
 *   early → efficiency 75, score (30 × 75 + 25 × 100) / 55 = 86.36, rank 2 (▲1).
 * - 2026-Q4, live: market 5 cases, 4 on time, 3 early, 1 red card → efficiency 75,
 *   cards 40, score (30 × 75 + 25 × 40) / 55 = 59.09, rank 3; tax and letters 100, rank 1.
 */
import type { CaseEvent } from '../../../../common/contract/index.ts'
import type { Db } from '../../../../common/db/index.ts'
import { type Department, DeptDirectory } from '../../../../common/departments/index.ts'
import { defaultScheme, freezeDue, type KpiCard } from '../../../../kpi/index.ts'
import { accepted, caseEvent, storeCases, type TestCase } from '../../../../kpi/testing.ts'
import { defaultContext } from '../../../../rules/index.ts'
import { systemClock } from '../../../../common/time/index.ts'

export const ctx = defaultContext()
export const scheme = defaultScheme()
export const T = (iso: string) => Date.parse(iso)
/** NOW is the platform clock of the tests: December is in progress, October and November are frozen. */
export const NOW = T('2026-12-20T12:00:00+08:00')
export const FROZEN_AT = T('2026-12-04T00:00:00+08:00')

const dept = (code: string, nameZh: string, nameEn: string, kind: Department['kind'], active = true): Department => ({ code, nameZh, nameEn, kind, parent: null, active, updatedAt: new Date(0) })
export const registry = DeptDirectory.of([
  dept('market', '市场监管局', 'Market Regulation', 'approval'),
  dept('tax', '税务局', 'Tax Bureau', 'approval'),
  dept('letters', '信访局', 'Letters and Calls', 'service'),
  dept('old', '旧局', 'Old Office', 'approval', false),
])

/** approval is a case accepted with 5 promised working days and completed at `done`. */
function approval(id: string, deptCode: string, at: string, done: string, cards: KpiCard[] = []): TestCase {
  const events: CaseEvent[] = [accepted(id, at, 5, { dept: deptCode }), caseEvent('approval', 'completed', id, done, undefined, { dept: deptCode })]
  return { events, cards }
}

const overdue = (id: string, deptCode: string, at: string): KpiCard => ({ rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: id, dept: deptCode, t: T(at) })

/** loadKpiFixture stores the cases, freezes October and November, then stores the late case and December's. */
export async function loadKpiFixture(db: Db): Promise<void> {
  const o = { scheme, registry, ctx }
  await storeCases(db, [
    approval('M-0', 'market', '2026-10-12T09:00:00+08:00', '2026-10-13T09:00:00+08:00'),
    approval('A-1', 'market', '2026-11-02T09:00:00+08:00', '2026-11-03T09:00:00+08:00'),
    approval('A-2', 'market', '2026-11-02T09:00:00+08:00', '2026-11-20T09:00:00+08:00', [overdue('A-2', 'market', '2026-11-10T00:00:00+08:00')]),
    approval('T-1', 'tax', '2026-11-02T09:00:00+08:00', '2026-11-03T09:00:00+08:00'),
    approval('L-1', 'letters', '2026-11-02T09:00:00+08:00', '2026-11-03T09:00:00+08:00'),
    approval('O-1', 'old', '2026-11-02T09:00:00+08:00', '2026-11-03T09:00:00+08:00'),
  ], T('2026-11-25T00:00:00Z'), o)
  const frozen = await freezeDue({ db, clock: systemClock, zone: ctx.zone, calendar: ctx.calendar, scheme: { scheme, origin: 'default' }, graceDays: 3, registry }, FROZEN_AT)
  if (frozen.join() !== '2026-10,2026-11') throw new Error(`the fixture froze ${frozen.join() || 'nothing'}`)
  await storeCases(db, [approval('A-3', 'market', '2026-11-16T09:00:00+08:00', '2026-11-17T09:00:00+08:00')], T('2026-12-05T00:00:00Z'), o)
  await storeCases(db, [
    approval('T-2', 'tax', '2026-12-07T09:00:00+08:00', '2026-12-08T09:00:00+08:00'),
    approval('A-4', 'market', '2026-12-07T09:00:00+08:00', '2026-12-11T09:00:00+08:00'),
  ], T('2026-12-12T00:00:00Z'), o)
}
