import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { RuleEngine, type Fire } from './engine.ts'
import { te } from './testEvents.ts'

const ctx = defaultContext()
const HOUR = 3_600_000
const at = (s: string) => Date.parse(s)
const accepted = (caseId = 'A-1') =>
  te('approval', 'accepted', caseId, '2026-09-28T10:00:00+08:00', { itemCode: 'X', itemName: '许可', promisedDays: 5, legalDays: 20 }, `${caseId}-acc`)
const names = (fires: Fire[]) => fires.map((f) => `${f.withdrawn ? '-' : '+'}${f.alert.rule}@${ctx.zone.format(f.t)}`)

describe('RuleEngine', () => {
  it('fires a timer card when the clock reaches it, once', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-09-28T12:00:00+08:00'))
    expect(e.ingest(accepted())).toEqual([])
    expect(names(e.advance(at('2026-10-09T00:00:00+08:00')))).toEqual(['+approval.due_soon@2026-10-09T00:00:00+08:00'])
    expect(e.advance(at('2026-10-10T00:00:00+08:00'))).toEqual([])
    expect(e.status('approval', 'A-1')).toEqual({ open: true, nextDue: at('2026-10-11T00:00:00+08:00') })
  })

  it('ignores a redelivered event', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-12-01T00:00:00+08:00'))
    const ev = accepted()
    expect(e.ingest(ev)).toHaveLength(2)
    expect(e.ingest({ ...ev, seq: 99 })).toEqual([])
  })

  it('tells events apart by source and id: the same id from another source is another event', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-09-28T12:00:00+08:00'))
    const acc = accepted()
    e.ingest(acc)
    // A withdrawal from another system that happens to reuse the id: it is applied, and no card comes.
    const done = te('approval', 'withdrawn', 'A-1', '2026-09-29T10:00:00+08:00', undefined, acc.ev.id)
    e.ingest({ ...done, ev: { ...done.ev, source: 'other' } })
    expect(e.holds({ ...acc.ev, source: 'other' })).toBe(true)
    expect(e.advance(at('2026-10-20T00:00:00+08:00'))).toEqual([])
    // …also in a case too big to scan, which keeps a set of identities
    const big = new RuleEngine(ctx)
    big.advance(at('2026-12-01T00:00:00+08:00'))
    for (let i = 0; i < 40; i++) big.ingest(te('supervision', 'progress', 'S-1', '2026-10-01T10:00:00+08:00', { percent: i }, `p${i}`))
    const again = te('supervision', 'progress', 'S-1', '2026-10-01T10:00:00+08:00', { percent: 1 }, 'p1')
    expect(big.holds(again.ev)).toBe(true)
    expect(big.holds({ ...again.ev, source: 'other' })).toBe(false)
    expect(big.eventCount()).toBe(40)
    big.ingest({ ...again, ev: { ...again.ev, source: 'other' } })
    expect(big.eventCount()).toBe(41)
  })

  it('keeps a case open while a card due already has not fired: waiting out the settle delay, or un-fired', () => {
    const e = new RuleEngine(ctx, { settleMs: 5000 })
    e.advance(at('2026-12-01T00:00:00+08:00'), 1000)
    // Due long ago: the card waits out the settle delay, and the case must stay open meanwhile.
    e.ingest(accepted(), 1000)
    expect(e.status('approval', 'A-1')).toEqual({ open: true, nextDue: at('2026-10-09T00:00:00+08:00') })
    expect(e.advance(at('2026-12-01T00:00:01+08:00'), 7000)).toHaveLength(2)
    expect(e.status('approval', 'A-1')).toEqual({ open: false, nextDue: null })
    e.unfire('approval', 'A-1', 'approval.overdue', 'red') // its publication failed
    expect(e.status('approval', 'A-1')).toEqual({ open: true, nextDue: at('2026-10-11T00:00:00+08:00') })
  })

  it('withdraws a fired card that a late event within the allowed lateness disproves', () => {
    const e = new RuleEngine(ctx, { allowedLatenessMs: 7 * 24 * HOUR })
    e.advance(at('2026-09-28T12:00:00+08:00'))
    e.ingest(accepted())
    expect(e.advance(at('2026-10-11T01:00:00+08:00'))).toHaveLength(2)
    // the case had in fact been suspended since 10-08 (2 working days counted): neither card stands
    const fires = e.ingest(te('approval', 'suspended', 'A-1', '2026-10-08T00:00:00+08:00', { reason: 'correction' }, 'sus'))
    expect(names(fires)).toEqual(['-approval.due_soon@2026-10-09T00:00:00+08:00', '-approval.overdue@2026-10-11T00:00:00+08:00'])
    expect(fires[0]!.withdrawn).toEqual({ by: 'sus' })
    // suspended without end: only the long-suspension clock runs (10 working days from 10-09, make-up 10-10 counted)
    expect(e.status('approval', 'A-1').nextDue).toBe(at('2026-10-22T00:00:00+08:00'))
    // resumed on Sunday 10-11: day 3 is Monday 10-12, day 5 is 10-14
    expect(e.ingest(te('approval', 'resumed', 'A-1', '2026-10-11T00:30:00+08:00', undefined, 'res'))).toEqual([])
    expect(e.status('approval', 'A-1').nextDue).toBe(at('2026-10-13T00:00:00+08:00'))
    expect(names(e.advance(at('2026-10-15T00:00:00+08:00')))).toEqual([
      '+approval.due_soon@2026-10-13T00:00:00+08:00',
      '+approval.overdue@2026-10-15T00:00:00+08:00',
    ])
  })

  it('keeps a fired card when the disproving event is later than the allowed lateness', () => {
    const e = new RuleEngine(ctx, { allowedLatenessMs: 24 * HOUR })
    e.advance(at('2026-09-28T12:00:00+08:00'))
    e.ingest(accepted())
    e.advance(at('2026-10-20T00:00:00+08:00'))
    const late = e.ingest(te('approval', 'completed', 'A-1', '2026-10-09T10:00:00+08:00', undefined, 'done'))
    expect(names(late)).toEqual(['+approval.out_of_order@2026-10-09T10:00:00+08:00']) // new facts still raise cards
  })

  it('holds a case’s cards while it settles, so events sent together apply first', () => {
    const e = new RuleEngine(ctx, { settleMs: 1000 })
    e.advance(at('2026-10-20T00:00:00+08:00'), 0)
    // a backfill: acceptance, then the completion that met the deadline, 100 ms apart
    expect(e.ingest(accepted(), 0)).toEqual([])
    expect(e.ingest(te('approval', 'decided', 'A-1', '2026-10-08T10:00:00+08:00', { decision: 'approve' }, 'd'), 100)).toEqual([])
    expect(e.ingest(te('approval', 'completed', 'A-1', '2026-10-08T11:00:00+08:00', undefined, 'c'), 100)).toEqual([])
    expect(e.advance(at('2026-10-20T00:00:00+08:00'), 1099)).toEqual([])
    expect(names(e.advance(at('2026-10-20T00:00:00+08:00'), 1100))).toEqual([])
  })

  it('without a settle delay, a backfill in arrival order would have raised a wrong card', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-10-20T00:00:00+08:00'))
    expect(names(e.ingest(accepted()))).toEqual(['+approval.due_soon@2026-10-09T00:00:00+08:00', '+approval.overdue@2026-10-11T00:00:00+08:00'])
  })

  it('compacts a closed case but still judges its later events correctly', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-09-28T11:00:00+08:00'))
    e.ingest(te('approval', 'accepted', 'A-9', '2026-09-28T10:00:00+08:00', { itemCode: 'X', itemName: '许可', promisedDays: 5, legalDays: 20, feeStandard: 80 }, 'a9'))
    e.ingest(te('approval', 'fee', 'A-9', '2026-09-28T10:30:00+08:00', { amount: 80 }, 'f1'))
    e.advance(at('2026-09-29T12:00:00+08:00'))
    e.ingest(te('approval', 'decided', 'A-9', '2026-09-29T10:00:00+08:00', { decision: 'approve' }, 'd9'))
    e.ingest(te('approval', 'completed', 'A-9', '2026-09-29T11:00:00+08:00', undefined, 'c9'))
    expect(e.eventCount()).toBe(3) // the matching fee is no longer needed
    e.advance(at('2026-10-01T12:00:00+08:00'))
    expect(names(e.ingest(te('approval', 'fee', 'A-9', '2026-10-01T10:00:00+08:00', { amount: 120 }, 'f2')))).toEqual([
      '+approval.fee_mismatch@2026-10-01T10:00:00+08:00',
    ])
    expect(e.ingest(te('approval', 'fee', 'A-9', '2026-10-01T10:00:00+08:00', { amount: 80 }, 'f1'))).toEqual([]) // dropped id still known
  })

  it('raises a repeat petition across cases, on the petition that makes three', () => {
    const e = new RuleEngine(ctx)
    e.advance(at('2026-08-21T00:00:00+08:00'))
    const reg = (id: string, day: string) => te('petition', 'registered', id, `2026-08-${day}T09:00:00+08:00`, { petitionerId: 'p-1', subject: 's' }, `r-${id}`)
    expect(e.ingest(reg('P-1', '03')).filter((f) => f.alert.rule === 'petition.repeat')).toEqual([])
    expect(e.ingest(reg('P-3', '20')).filter((f) => f.alert.rule === 'petition.repeat')).toEqual([])
    // the middle one arrives last: the third in time is P-3, which fires
    const fires = e.ingest(reg('P-2', '12')).filter((f) => f.alert.rule === 'petition.repeat')
    expect(fires.map((f) => f.alert.caseId)).toEqual(['P-3'])
  })

  it('raises the repeat of a registration reloaded before the ones that make it three (a restart loads them in any order)', () => {
    // Found by the fault suite: after kill -9 the worker reloaded P-3, then P-1, then P-2;
    // P-2's load made P-3 a repeat but left it unscheduled, and the card never fired.
    const e = new RuleEngine(ctx)
    const reg = (id: string, day: string) => te('petition', 'registered', id, `2026-08-${day}T09:00:00+08:00`, { petitionerId: 'p-1', subject: 's' }, `r-${id}`)
    const replied = (id: string, day: string) => te('petition', 'replied', id, `2026-08-${day}T10:00:00+08:00`, undefined, `x-${id}`)
    const fires = [...e.load([reg('P-3', '20'), replied('P-3', '21')], []), ...e.load([reg('P-1', '03')], []), ...e.load([reg('P-2', '12')], [])]
    fires.push(...e.advance(at('2026-09-30T00:00:00+08:00')))
    expect(fires.filter((f) => f.alert.rule === 'petition.repeat').map((f) => f.alert.caseId)).toEqual(['P-3'])
  })
})
