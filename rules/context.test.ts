import { describe, expect, it } from 'vitest'
import { caseContext, defaultContext } from './context.ts'
import { parseRulesFile } from './rulesFile.ts'
import { te } from './testEvents.ts'

describe('defaultContext', () => {
  it('is the platform zone, the bundled calendar and the contract defaults', () => {
    const ctx = defaultContext()
    expect(ctx.zone.name).toBe('Asia/Shanghai')
    expect(ctx.settings.version).toBe('builtin-1')
    expect(defaultContext({ zone: 'UTC' }).zone.name).toBe('UTC')
  })
})

describe('caseContext', () => {
  const settings = parseRulesFile(`
rules:
  petition.accept_overdue: { days: 15 }
overrides:
  - match: { dept: letters-2 }
    rules:
      petition.accept_overdue: { days: 10 }
  - match: { itemCode: HSG-002 }
    rules:
      approval.poor_rating: { maxScore: 3 }
`)
  const ctx = defaultContext({ settings })

  it('gives a case the settings of its latest event\'s department', () => {
    const reg = te('petition', 'registered', 'P-1', '2026-08-12T09:00:00+08:00', { petitionerId: 'p', subject: 's' })
    const moved = { ...te('petition', 'accepted', 'P-1', '2026-08-13T09:00:00+08:00'), ev: { ...reg.ev, id: 'x', type: 'accepted', dept: 'letters-2' } }
    expect(caseContext(ctx, [reg]).settings.petition.acceptDays).toBe(15)
    expect(caseContext(ctx, [reg, moved]).settings.petition.acceptDays).toBe(10)
  })

  it('gives an approval the settings of its item', () => {
    const acc = te('approval', 'accepted', 'A-1', '2026-08-12T09:00:00+08:00', { itemCode: 'HSG-002', itemName: 'x', promisedDays: 3, legalDays: 3 })
    expect(caseContext(ctx, [acc]).settings.approval.poorRatingMax).toBe(3)
  })

  it('is the context itself when nothing overrides it', () => {
    const plain = defaultContext()
    const reg = te('petition', 'registered', 'P-1', '2026-08-12T09:00:00+08:00', { petitionerId: 'p', subject: 's' })
    expect(caseContext(plain, [reg])).toBe(plain)
    expect(caseContext(ctx, [])).toBe(ctx)
  })
})
