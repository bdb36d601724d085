import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { defaultContext } from '../../../rules/index.ts'
import { REFORM_NOW, storeReformCity } from '../testdata/reformCity.ts'
import { decisionSupport } from './reform.ts'
import { parseReformPeriod, type ReformPeriod } from './reformPeriod.ts'

const ctx = defaultContext()
const period = (from: string, until: string): ReformPeriod => parseReformPeriod(new URLSearchParams({ from, until })) as ReformPeriod
const approval = (caseId: string) => ({ kind: 'approval', caseId })

describe.each(openTestDbs())('decision support on $name', ({ open }) => {
  let db: Db
  let fired: string[]

  beforeAll(async () => {
    db = await open()
    fired = await storeReformCity(db)
  })
  afterAll(async () => {
    await db?.close()
  })

  const read = (from: string, until: string, now = REFORM_NOW) => decisionSupport({ db, ctx, now: () => now }, period(from, until))

  it('stores the cards the hand count expects, two of them before November', () => {
    expect(fired).toEqual([
      'enforcement.due_soon E1 2026-10-25T00:00:00+08:00',
      'approval.accept_delay A4 2026-10-28T00:00:00+08:00',
      'approval.out_of_order A4 2026-11-03T09:00:00+08:00',
      'enforcement.overdue E1 2026-11-04T00:00:00+08:00',
      'approval.due_soon A1 2026-11-06T00:00:00+08:00',
      'approval.due_soon A2 2026-11-07T00:00:00+08:00',
      'approval.overdue A1 2026-11-10T00:00:00+08:00',
      'approval.overdue A2 2026-11-11T00:00:00+08:00',
      'approval.out_of_order A1 2026-11-12T10:00:00+08:00',
      'petition.accept_overdue P1 2026-11-18T00:00:00+08:00',
    ])
  })

  it('gives November\'s candidates by item, rule and step, as counted by hand', async () => {
    expect(await read('2026-11-01', '2026-11-30')).toEqual({
      from: '2026-11-01',
      until: '2026-11-30',
      candidates: [
        // A1: 3 cards and 3 overdue days (10–12 Nov); A2: 2 cards, 1 suspension, 14 (11–30 Nov); A4: its November card.
        {
          dimension: 'item', key: 'FOOD-01', label: '食品经营许可', cards: 6, suspensions: 1, overdueDays: 17, departments: ['health', 'market'],
          cases: [approval('A1'), approval('A2'), approval('A4')], caseCount: 3,
        },
        { dimension: 'item', key: 'TAX-01', label: '税务登记', cards: 0, suspensions: 1, overdueDays: 0, departments: ['market'], cases: [approval('A3')], caseCount: 1 },
        {
          dimension: 'rule', key: 'approval.overdue', cards: 2, suspensions: 1, overdueDays: 17, departments: ['health', 'market'],
          cases: [approval('A2'), approval('A1')], caseCount: 2,
        },
        {
          dimension: 'rule', key: 'approval.due_soon', cards: 2, suspensions: 1, overdueDays: 0, departments: ['health', 'market'],
          cases: [approval('A2'), approval('A1')], caseCount: 2,
        },
        {
          dimension: 'rule', key: 'approval.out_of_order', cards: 2, suspensions: 0, overdueDays: 0, departments: ['health', 'market'],
          cases: [approval('A1'), approval('A4')], caseCount: 2,
        },
        // E1: 4–6 Nov; P1: 18–20 Nov. Equal figures: by key.
        { dimension: 'rule', key: 'enforcement.overdue', cards: 1, suspensions: 0, overdueDays: 3, departments: ['market'], cases: [{ kind: 'enforcement', caseId: 'E1' }], caseCount: 1 },
        { dimension: 'rule', key: 'petition.accept_overdue', cards: 1, suspensions: 0, overdueDays: 3, departments: ['health'], cases: [{ kind: 'petition', caseId: 'P1' }], caseCount: 1 },
        // A4 decided without acceptance; A1 completed without a decision.
        { dimension: 'step', key: 'approval.accepted', cards: 1, suspensions: 0, overdueDays: 0, departments: ['health'], cases: [approval('A4')], caseCount: 1 },
        { dimension: 'step', key: 'approval.decided', cards: 1, suspensions: 0, overdueDays: 0, departments: ['market'], cases: [approval('A1')], caseCount: 1 },
      ],
    })
  })

  it('counts overdue days only through today while the period is still running', async () => {
    // On 20 Nov at noon A2 has been late on 11–13 and 16–20 Nov: 8 working days.
    const r = await read('2026-11-01', '2026-11-30', Date.parse('2026-11-20T12:00:00+08:00'))
    const fig = (dimension: string, key: string) => r.candidates.find((c) => c.dimension === dimension && c.key === key)?.overdueDays
    expect([fig('item', 'FOOD-01'), fig('rule', 'approval.overdue'), fig('rule', 'petition.accept_overdue'), fig('rule', 'enforcement.overdue')]).toEqual([11, 11, 3, 3])
  })

  it('reads a period from 00:00 of its first date to 00:00 after its last, in the platform zone', async () => {
    // 12 Nov holds A1's step card only (10:00); 3 Nov holds A4's (09:00); October holds E1's and A4's first cards.
    expect((await read('2026-11-12', '2026-11-12')).candidates.map((c) => `${c.dimension} ${c.key} ${c.cards}`)).toEqual([
      'item FOOD-01 1', 'rule approval.out_of_order 1', 'step approval.decided 1',
    ])
    expect((await read('2026-10-01', '2026-10-31')).candidates.map((c) => `${c.dimension} ${c.key} ${c.cards}`)).toEqual([
      'item FOOD-01 1', 'rule approval.accept_delay 1', 'rule enforcement.due_soon 1',
    ])
    // December holds A5's suspension and no card.
    expect((await read('2026-12-01', '2026-12-31')).candidates).toEqual([
      { dimension: 'item', key: 'FOOD-01', label: '食品经营许可', cards: 0, suspensions: 1, overdueDays: 0, departments: ['market'], cases: [approval('A5')], caseCount: 1 },
    ])
  })

  it('answers no candidates for a period without cards or suspensions', async () => {
    expect(await read('2025-01-01', '2025-12-31')).toEqual({ from: '2025-01-01', until: '2025-12-31', candidates: [] })
  })
})
