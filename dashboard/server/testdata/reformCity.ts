/**
 * Test input of decision support (辅助决策): a few cases over two departments, market and
 * health, whose figures for November 2026 are worked out by hand in docs/kpi.md
 * ("辅助决策", the worked example). The cards are the rules' own, raised by a replay of
 * the events up to REFORM_NOW and stored as the alert service stores them.
 */
import { insertAlert } from '../../../alerts/testing.ts'
import type { CaseEvent, Kind, TimedEvent } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { defaultContext, inEventTime, runSorted, storeEvent } from '../../../rules/index.ts'

/** REFORM_NOW is the platform clock of the fixture: 10 December 2026, after the period. */
export const REFORM_NOW = Date.parse('2026-12-10T00:00:00+08:00')

const FOOD = { itemCode: 'FOOD-01' }
const FOOD_ACCEPTED = { ...FOOD, itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }
const TAX = { itemCode: 'TAX-01' }

type Row = [id: string, kind: Kind, type: string, caseId: string, dept: string, at: string, attrs?: Record<string, unknown>]

/** REFORM_EVENTS: each case's events, instants in +08:00. */
const ROWS: Row[] = [
  // A1: FOOD-01 at market; due 10 Nov 00:00, completed on the 12th without a decision.
  ['a1-sub', 'approval', 'submitted', 'A1', 'market', '2026-11-02T09:00', FOOD],
  ['a1-acc', 'approval', 'accepted', 'A1', 'market', '2026-11-02T10:00', FOOD_ACCEPTED],
  ['a1-done', 'approval', 'completed', 'A1', 'market', '2026-11-12T10:00'],
  // A2: FOOD-01 at health; suspended a day, so due 11 Nov 00:00; never completed.
  ['a2-sub', 'approval', 'submitted', 'A2', 'health', '2026-11-02T09:00', FOOD],
  ['a2-acc', 'approval', 'accepted', 'A2', 'health', '2026-11-02T10:00', FOOD_ACCEPTED],
  ['a2-sus', 'approval', 'suspended', 'A2', 'health', '2026-11-04T10:00', { reason: 'correction' }],
  ['a2-res', 'approval', 'resumed', 'A2', 'health', '2026-11-05T10:00'],
  // A3: TAX-01 at market; suspended a day, decided and completed in time: no card.
  ['a3-sub', 'approval', 'submitted', 'A3', 'market', '2026-11-16T09:00', TAX],
  ['a3-acc', 'approval', 'accepted', 'A3', 'market', '2026-11-16T10:00', { ...TAX, itemName: '税务登记', promisedDays: 20, legalDays: 20 }],
  ['a3-sus', 'approval', 'suspended', 'A3', 'market', '2026-11-17T10:00', { reason: 'expert_review' }],
  ['a3-res', 'approval', 'resumed', 'A3', 'market', '2026-11-18T10:00'],
  ['a3-dec', 'approval', 'decided', 'A3', 'market', '2026-11-19T09:00', { decision: 'approve' }],
  ['a3-done', 'approval', 'completed', 'A3', 'market', '2026-11-19T15:00'],
  // A4: FOOD-01 at health; submitted in October (its 超时受理 card fires on 28 Oct), decided on 3 Nov never accepted.
  ['a4-sub', 'approval', 'submitted', 'A4', 'health', '2026-10-20T09:00', FOOD],
  ['a4-dec', 'approval', 'decided', 'A4', 'health', '2026-11-03T09:00', { decision: 'approve' }],
  ['a4-done', 'approval', 'completed', 'A4', 'health', '2026-11-03T10:00'],
  // A5: FOOD-01 at market, suspended in December: outside November.
  ['a5-sub', 'approval', 'submitted', 'A5', 'market', '2026-12-01T09:00', FOOD],
  ['a5-acc', 'approval', 'accepted', 'A5', 'market', '2026-12-01T10:00', { ...FOOD_ACCEPTED, promisedDays: 10 }],
  ['a5-sus', 'approval', 'suspended', 'A5', 'market', '2026-12-02T10:00', { reason: 'correction' }],
  // E1: enforcement at market, filed 5 Aug: due soon 25 Oct, due 4 Nov 00:00, penalty on the 6th.
  ['e1-filed', 'enforcement', 'filed', 'E1', 'market', '2026-08-05T10:00', { limitDays: 90 }],
  ['e1-pen', 'enforcement', 'penalty', 'E1', 'market', '2026-11-06T10:00', { amount: 1000, min: 500, max: 5000 }],
  // P1: petition at health, registered 2 Nov: accept overdue 18 Nov 00:00, accepted on the 20th.
  ['p1-reg', 'petition', 'registered', 'P1', 'health', '2026-11-02T10:00', { petitionerId: 'p-1', subject: '噪音' }],
  ['p1-acc', 'petition', 'accepted', 'P1', 'health', '2026-11-20T10:00'],
]

/** REFORM_EVENTS are the fixture's events in arrival order. */
export const REFORM_EVENTS: TimedEvent[] = ROWS.map(([id, kind, type, caseId, dept, at, attrs], i) => {
  const stamp = `${at}:00+08:00`
  const ev: CaseEvent = { id, source: 'test', kind, type, caseId, dept, at: stamp, ...(attrs ? { attrs } : {}) }
  return { ev, t: Date.parse(stamp), seq: i + 1 }
})

/**
 * storeReformCity stores the events, and the cards the rules raise for them up to
 * REFORM_NOW, plus one withdrawn card that must not count; it returns the cards
 * stored as `rule caseId at` lines, for a test to check against the hand count.
 */
export async function storeReformCity(db: Queryable): Promise<string[]> {
  for (const e of REFORM_EVENTS) await storeEvent(db, e)
  const ctx = defaultContext()
  const { fires } = runSorted(inEventTime(REFORM_EVENTS, REFORM_NOW), REFORM_NOW, ctx)
  for (const { alert: a } of fires) {
    await insertAlert(db, { key: a.key, rule: a.rule, level: a.level, kind: a.kind ?? undefined, caseId: a.caseId, dept: a.dept, at: a.at, causes: a.causes })
  }
  await insertAlert(db, { key: 'withdrawn-A3', rule: 'approval.fee_mismatch', kind: 'approval', caseId: 'A3', dept: 'market', at: '2026-11-19T12:00:00+08:00', status: 'withdrawn' })
  return fires.map(({ alert: a, t }) => `${a.rule} ${a.caseId} ${ctx.zone.format(t)}`)
}
