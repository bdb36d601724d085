import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { petitionAcceptDue, petitionReplyDue, petitionRules } from './petition.ts'
import { sorted, te } from './testEvents.ts'

const ctx = defaultContext()
const P = (type: string, at: string, attrs?: Record<string, unknown>) => te('petition', type, 'P-1', at, attrs)
const rules = (...evs: ReturnType<typeof P>[]) => petitionRules(sorted(evs), ctx).map((c) => `${c.rule}@${ctx.zone.format(c.at)}`)
const reg = P('registered', '2026-08-12T09:00:00+08:00', { petitionerId: 'p', subject: 's' })

describe('petition rules', () => {
  it('accept_overdue after 15 calendar days without acceptance or reply', () => {
    expect(rules(reg)).toEqual(['petition.accept_overdue@2026-08-28T00:00:00+08:00'])
    expect(rules(reg, P('replied', '2026-08-20T09:00:00+08:00'))).toEqual([])
  })

  it('reply clock of 60 calendar days, due soon 5 days before', () => {
    expect(rules(P('accepted', '2026-08-10T09:00:00+08:00'))).toEqual([
      'petition.reply_due_soon@2026-10-05T00:00:00+08:00',
      'petition.reply_overdue@2026-10-10T00:00:00+08:00',
    ])
  })

  it('an extension moves both instants when it comes before them', () => {
    expect(rules(P('accepted', '2026-08-10T09:00:00+08:00'), P('extended', '2026-09-30T09:00:00+08:00', { days: 20 }))).toEqual([
      'petition.reply_due_soon@2026-10-25T00:00:00+08:00',
      'petition.reply_overdue@2026-10-30T00:00:00+08:00',
    ])
  })

  it('an extension after the yellow card leaves it fired and moves only the red (note 1)', () => {
    expect(rules(P('accepted', '2026-08-10T09:00:00+08:00'), P('extended', '2026-10-07T09:00:00+08:00', { days: 10 }))).toEqual([
      'petition.reply_due_soon@2026-10-05T00:00:00+08:00',
      'petition.reply_overdue@2026-10-20T00:00:00+08:00',
    ])
  })

  it('an extension after the due instant is too late', () => {
    expect(rules(P('accepted', '2026-08-10T09:00:00+08:00'), P('extended', '2026-10-11T09:00:00+08:00', { days: 10 }))).toContain(
      'petition.reply_overdue@2026-10-10T00:00:00+08:00',
    )
  })

  it('unsatisfied evaluation', () => {
    expect(rules(P('evaluated', '2026-09-02T09:00:00+08:00', { satisfied: false }))).toEqual(['petition.unsatisfied@2026-09-02T09:00:00+08:00'])
    expect(rules(P('evaluated', '2026-09-02T09:00:00+08:00', { satisfied: true }))).toEqual([])
  })
})

describe('petition deadlines', () => {
  const fmt = (t: number | null) => (t === null ? null : ctx.zone.format(t))
  const acc = P('accepted', '2026-08-10T09:00:00+08:00')

  it('petitionAcceptDue is 15 calendar days after registered, where accept_overdue fires', () => {
    expect(fmt(petitionAcceptDue(sorted([reg]), ctx))).toBe('2026-08-28T00:00:00+08:00')
    expect(petitionAcceptDue(sorted([acc]), ctx)).toBeNull()
  })

  it('petitionReplyDue is 60 days plus the extensions that came in time, where reply_overdue fires', () => {
    expect(fmt(petitionReplyDue(sorted([acc]), ctx))).toBe('2026-10-10T00:00:00+08:00')
    expect(fmt(petitionReplyDue(sorted([acc, P('extended', '2026-10-07T09:00:00+08:00', { days: 10 })]), ctx))).toBe('2026-10-20T00:00:00+08:00')
    expect(fmt(petitionReplyDue(sorted([acc, P('extended', '2026-10-10T00:00:00+08:00', { days: 10 })]), ctx))).toBe('2026-10-10T00:00:00+08:00')
    expect(petitionReplyDue(sorted([reg]), ctx)).toBeNull()
  })
})
