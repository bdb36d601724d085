import { describe, expect, it } from 'vitest'
import { approvalRules } from './approval.ts'
import { defaultContext } from './context.ts'
import { firstAtOrAfter, OVERDUE_STOPS, REFORM_TYPES, skippedSteps, STEP_RULE, stepsOfCard } from './reform.ts'
import { te } from './testEvents.ts'

const ctx = defaultContext()

describe('skippedSteps', () => {
  it('names acceptance for a decision or completion without one, and the decision for a completion without one', () => {
    expect(skippedSteps('decided', new Set())).toEqual(['approval.accepted'])
    expect(skippedSteps('completed', new Set(['decided']))).toEqual(['approval.accepted'])
    expect(skippedSteps('completed', new Set())).toEqual(['approval.accepted', 'approval.decided'])
    expect(skippedSteps('completed', new Set(['accepted']))).toEqual(['approval.decided'])
  })

  it('agrees with the rule that raises the step card, read at the card\'s cause (stepsOfCard)', () => {
    const at = (day: number) => `2026-11-0${day}T09:00:00+08:00`
    const build = (types: string[]) =>
      types.map((type, i) => te('approval', type, 'A', at(i + 2), type === 'accepted' ? { itemCode: 'X', itemName: 'x', promisedDays: 5, legalDays: 20 } : type === 'decided' ? { decision: 'approve' } : {}, `e${i}`))
    const cases: Array<[string[], string[] | null]> = [
      [['decided'], ['approval.accepted']],
      [['decided', 'completed'], ['approval.accepted']],
      [['completed'], ['approval.accepted', 'approval.decided']],
      [['accepted', 'completed'], ['approval.decided']],
      [['accepted', 'decided', 'completed'], null],
    ]
    for (const [types, want] of cases) {
      const events = build(types)
      const card = approvalRules(events, ctx).find((c) => c.rule === STEP_RULE)
      if (!want) {
        expect(card).toBeUndefined()
        continue
      }
      const marks = events.map((e) => ({ id: e.ev.id, type: e.ev.type, at: e.t, seq: e.seq }))
      expect([types, stepsOfCard(marks, card!.causes[0], card!.at)]).toEqual([types, want])
    }
  })
})

describe('stepsOfCard', () => {
  const mark = (id: string, type: string, at: number, seq: number) => ({ id, type, at, seq })
  it('reads what came before the cause in contract order: at an equal instant, what arrived earlier', () => {
    const marks = [mark('acc', 'accepted', 10, 1), mark('done', 'completed', 10, 2)]
    expect(stepsOfCard(marks, 'done', 10)).toEqual(['approval.decided'])
    expect(stepsOfCard([mark('done', 'completed', 10, 1), mark('acc', 'accepted', 10, 2)], 'done', 10)).toEqual(['approval.accepted', 'approval.decided'])
  })

  it('reads a cause it cannot find as coming after what came before its instant, naming acceptance only', () => {
    expect(stepsOfCard([mark('acc', 'accepted', 10, 1)], 'gone', 10)).toEqual(['approval.accepted'])
    expect(stepsOfCard([mark('acc', 'accepted', 9, 1)], undefined, 10)).toEqual([])
  })
})

describe('the overdue rules', () => {
  it('list the red deadline rules of every kind', () => {
    expect([...OVERDUE_STOPS.keys()].sort()).toEqual(['approval.overdue', 'enforcement.overdue', 'petition.accept_overdue', 'petition.reply_overdue', 'supervision.overdue'])
    expect(REFORM_TYPES).toEqual(['accepted', 'completed', 'concluded', 'decided', 'penalty', 'replied', 'withdrawn'])
  })

  it('end at the first stop at or after the due instant: one at the instant itself counts', () => {
    const marks = [{ id: 'a', type: 'accepted', at: 5, seq: 1 }, { id: 'c', type: 'completed', at: 10, seq: 2 }, { id: 'w', type: 'withdrawn', at: 20, seq: 3 }]
    expect(firstAtOrAfter(marks, 10, ['completed', 'withdrawn'])).toBe(10)
    expect(firstAtOrAfter(marks, 11, ['completed', 'withdrawn'])).toBe(20)
    expect(firstAtOrAfter(marks, 21, ['completed', 'withdrawn'])).toBeNull()
    expect(firstAtOrAfter(marks, 0, ['replied'])).toBeNull()
  })
})
