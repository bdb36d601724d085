import { describe, expect, it } from 'vitest'
import { alertKey, type Kind, type Level } from '../common/contract/index.ts'
import type { Fire } from '../rules/index.ts'
import { isPlatformCard, standingCards } from './cards.ts'

function fire(rule: string, level: Level, kind: Kind | null, caseId: string, t: number, withdrawn = false): Fire {
  return {
    t,
    alert: { key: alertKey(rule, level, kind, caseId), rule, level, kind, caseId, dept: kind ? 'market' : 'platform', at: '', causes: [], settingsVersion: 'v' },
    ...(withdrawn ? { withdrawn: { by: 'late-1' } } : {}),
  }
}

describe('standingCards', () => {
  it('keeps the cards raised, with the instant each fired', () => {
    const cards = standingCards([fire('approval.overdue', 'red', 'approval', 'A-1', 10), fire('inspection.flag', 'yellow', 'petition', 'P-1', 20)])
    expect(cards).toEqual([
      { rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: 'A-1', dept: 'market', t: 10 },
      { rule: 'inspection.flag', level: 'yellow', kind: 'petition', caseId: 'P-1', dept: 'market', t: 20 },
    ])
  })

  it('leaves out a card withdrawn, and counts it again when raised again', () => {
    const raised = fire('approval.overdue', 'red', 'approval', 'A-1', 10)
    const withdrawn = fire('approval.overdue', 'red', 'approval', 'A-1', 10, true)
    expect(standingCards([raised, withdrawn])).toEqual([])
    expect(standingCards([raised, withdrawn, fire('approval.overdue', 'red', 'approval', 'A-1', 30)]).map((c) => c.t)).toEqual([30])
    // another case's card of the same rule stays
    expect(standingCards([raised, fire('approval.overdue', 'red', 'approval', 'A-2', 11), withdrawn]).map((c) => c.caseId)).toEqual(['A-2'])
  })

  it('leaves out the platform\'s own cards', () => {
    expect(standingCards([fire('calendar.uncovered', 'yellow', null, 'calendar-2027', 1), fire('source.silent', 'yellow', null, 'hall@x', 2)])).toEqual([])
    expect(isPlatformCard({ rule: 'source.silent', kind: null })).toBe(true)
    expect(isPlatformCard({ rule: 'inspection.flag', kind: 'approval' })).toBe(false)
  })
})
