import { describe, expect, it } from 'vitest'
import { approvalRules } from './approval.ts'
import { defaultContext } from './context.ts'
import { OVERDUE_STOPS, skippedSteps, STEP_RULE } from './reform.ts'
import { te } from './testEvents.ts'

const ctx = defaultContext()

describe('skippedSteps', () => {
  it('names acceptance for a decision or completion without one, and the decision for a completion without one', () => {
    expect(skippedSteps('decided', new Set())).toEqual(['approval.accepted'])
    expect(skippedSteps('completed', new Set(['decided']))).toEqual(['approval.accepted'])
    expect(skippedSteps('completed', new Set())).toEqual(['approval.accepted', 'approval.decided'])
    expect(skippedSteps('completed', new Set(['accepted']))).toEqual(['approval.decided'])
  })

  it('agrees with the rule that raises the step card, read at the card\'s cause', () => {
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
      const cause = events.find((e) => e.ev.id === card!.causes[0])!
      const earlier = new Set(events.filter((e) => e.seq < cause.seq).map((e) => e.ev.type))
      expect([types, skippedSteps(cause.ev.type, earlier)]).toEqual([types, want])
    }
  })
})

describe('OVERDUE_STOPS', () => {
  it('lists the red deadline rules of every kind', () => {
    expect(Object.keys(OVERDUE_STOPS).sort()).toEqual(['approval.overdue', 'enforcement.overdue', 'petition.accept_overdue', 'petition.reply_overdue', 'supervision.overdue'])
  })
})
