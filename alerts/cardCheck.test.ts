import { describe, expect, it } from 'vitest'
import { alertKey, type CardMessage } from '../common/contract/index.ts'
import { cardProblem } from './cardCheck.ts'

const card: CardMessage = {
  key: alertKey('approval.overdue', 'red', 'approval', 'A-1'), rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: 'A-1', dept: 'land',
  at: '2026-11-24T09:00:00.000+08:00', causes: ['e1'], settingsVersion: 'v1',
}

describe('cardProblem', () => {
  it('takes the cards the rules, the flags and withdrawals send', () => {
    expect(cardProblem(card)).toBeNull()
    expect(cardProblem({ ...card, kind: null, key: 'source.silent:yellow:-:hall' })).toBeNull()
    expect(cardProblem({ ...card, withdrawn: { by: 'e2' } })).toBeNull()
    expect(cardProblem({ ...card, note: { reason: '群众反映', by: 'wang' } })).toBeNull()
  })

  it('names what is wrong with anything else', () => {
    expect(cardProblem('x')).toBe('not an object')
    expect(cardProblem([card])).toBe('not an object')
    expect(cardProblem({ ...card, key: '' })).toMatch(/^key:/)
    expect(cardProblem({ ...card, dept: 7 })).toMatch(/^dept:/)
    expect(cardProblem({ ...card, level: 'green' })).toMatch(/^level:/)
    expect(cardProblem({ ...card, kind: 'tax' })).toMatch(/^kind:/)
    expect(cardProblem({ ...card, at: 'yesterday' })).toMatch(/^at:/)
    expect(cardProblem({ ...card, causes: [1] })).toMatch(/^causes:/)
    expect(cardProblem({ ...card, withdrawn: {} })).toMatch(/^withdrawn\.by:/)
    expect(cardProblem({ ...card, note: { reason: 'x' } })).toMatch(/^note:/)
  })
})
