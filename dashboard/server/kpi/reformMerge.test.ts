import { describe, expect, it } from 'vitest'
import { type CardFact, type ItemOf, reformCandidates, type SuspensionFact } from './reformMerge.ts'

const card = (caseId: string, rule: string, dept: string, overdueDays = 0, steps: string[] = []): CardFact => ({
  kind: rule.startsWith('approval') ? 'approval' : 'enforcement', caseId, dept, rule, overdueDays, steps,
})
const susp = (caseId: string, dept: string): SuspensionFact => ({ kind: 'approval', caseId, dept })

// Two items over two departments: FOOD has A1 (market) and A2 (health), TAX has A3 (market); E1 has no item.
const CARDS: CardFact[] = [
  card('A1', 'approval.due_soon', 'market'),
  card('A1', 'approval.overdue', 'market', 3),
  card('A1', 'approval.out_of_order', 'market', 0, ['approval.decided']),
  card('A2', 'approval.overdue', 'health', 14),
  card('E1', 'enforcement.overdue', 'market', 3),
]
const SUSPENSIONS = [susp('A2', 'health'), susp('A2', 'health'), susp('A3', 'market')]
const ITEMS = new Map<string, ItemOf>([
  ['approval:A1', { code: 'FOOD', name: null }],
  ['approval:A2', { code: 'FOOD', name: '食品经营许可' }],
  ['approval:A3', { code: 'TAX', name: '税务登记' }],
])

describe('reformCandidates', () => {
  const got = reformCandidates(CARDS, SUSPENSIONS, ITEMS)
  const of = (dimension: string) => got.filter((c) => c.dimension === dimension)

  it('groups by item: every card and suspension of its cases, their overdue days and departments', () => {
    expect(of('item')).toEqual([
      {
        dimension: 'item', key: 'FOOD', label: '食品经营许可', cards: 4, suspensions: 2, overdueDays: 17, departments: ['health', 'market'],
        cases: [{ kind: 'approval', caseId: 'A1' }, { kind: 'approval', caseId: 'A2' }], caseCount: 2,
      },
      { dimension: 'item', key: 'TAX', label: '税务登记', cards: 0, suspensions: 1, overdueDays: 0, departments: ['market'], cases: [{ kind: 'approval', caseId: 'A3' }], caseCount: 1 },
    ])
  })

  it('groups by rule, a suspension counting for each rule with a card on its case; ranked by cards, overdue days, suspensions, key', () => {
    expect(of('rule').map((c) => [c.key, c.cards, c.overdueDays, c.suspensions, c.departments, c.caseCount])).toEqual([
      ['approval.overdue', 2, 17, 2, ['health', 'market'], 2],
      ['enforcement.overdue', 1, 3, 0, ['market'], 1],
      ['approval.due_soon', 1, 0, 0, ['market'], 1],
      ['approval.out_of_order', 1, 0, 0, ['market'], 1],
    ])
    expect(of('rule')[0]!.cases).toEqual([{ kind: 'approval', caseId: 'A2' }, { kind: 'approval', caseId: 'A1' }])
    expect(of('rule').every((c) => c.label === undefined)).toBe(true)
  })

  it('groups by the step a step card says was skipped; a card that skipped two counts for both', () => {
    expect(of('step')).toEqual([
      { dimension: 'step', key: 'approval.decided', cards: 1, suspensions: 0, overdueDays: 0, departments: ['market'], cases: [{ kind: 'approval', caseId: 'A1' }], caseCount: 1 },
    ])
    const two = reformCandidates([card('A9', 'approval.out_of_order', 'health', 0, ['approval.accepted', 'approval.decided'])], [], new Map())
    expect(two.filter((c) => c.dimension === 'step').map((c) => [c.key, c.cards])).toEqual([['approval.accepted', 1], ['approval.decided', 1]])
  })

  it('gives the same answer whatever the order of the facts', () => {
    expect(reformCandidates([...CARDS].reverse(), [...SUSPENSIONS].reverse(), new Map([...ITEMS].reverse()))).toEqual(got)
  })

  it('answers nothing for a period without cards or suspensions', () => {
    expect(reformCandidates([], [], ITEMS)).toEqual([])
  })

  it('bounds the candidates of each dimension and the cases of each, keeping the most', () => {
    const many: CardFact[] = []
    const items = new Map<string, ItemOf>()
    for (let i = 0; i < 30; i++) {
      for (let k = 0; k <= i; k++) {
        const caseId = `C${i}-${k}`
        items.set(`approval:${caseId}`, { code: `I${String(i).padStart(2, '0')}`, name: null })
        many.push(card(caseId, `approval.r${String(i).padStart(2, '0')}`, 'market'))
      }
    }
    const out = reformCandidates(many, [], items, { candidates: 20, cases: 5 })
    expect(out.filter((c) => c.dimension === 'item').map((c) => c.key)).toEqual(Array.from({ length: 20 }, (_, j) => `I${29 - j}`))
    expect(out.filter((c) => c.dimension === 'rule')).toHaveLength(20)
    const top = out[0]!
    expect([top.cards, top.caseCount, top.cases.length]).toEqual([30, 30, 5])
    expect(top.cases.map((c) => c.caseId)).toEqual(['C29-0', 'C29-1', 'C29-10', 'C29-11', 'C29-12'])
  })
})
