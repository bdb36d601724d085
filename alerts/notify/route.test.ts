import { describe, expect, it } from 'vitest'
import { checkRoutes, recipientsOf, routeFor, routeStage, ruleMatches, type DeptContacts } from './route.ts'
import { card, DUTY, HEAD, notice, testCtx } from './testing.ts'

const both: DeptContacts = { duty: { name: DUTY.name, phone: DUTY.phone }, head: { name: HEAD.name, phone: HEAD.phone } }
const book = (m: Record<string, DeptContacts>) => (dept: string) => m[dept] ?? {}

describe('routeFor', () => {
  it('sends yellow to the duty contact and red to duty and head by default', () => {
    expect(routeFor([], card({ level: 'yellow' })).to).toEqual(['duty'])
    expect(routeFor([], card({ level: 'red' })).to).toEqual(['duty', 'head'])
  })

  it('takes the first configured route that matches, before the defaults', () => {
    const routes = checkRoutes([
      { rule: 'petition.*', to: ['head'] },
      { dept: 'tax', level: 'yellow', to: [] },
      { rule: 'approval.overdue', to: ['duty'] },
    ])
    expect(routeFor(routes, card({ rule: 'petition.repeat', level: 'yellow' })).to).toEqual(['head'])
    expect(routeFor(routes, card({ dept: 'tax', level: 'yellow' })).to).toEqual([])
    expect(routeFor(routes, card({ rule: 'approval.overdue', level: 'red' })).to).toEqual(['duty'])
    expect(routeFor(routes, card({ rule: 'enforcement.overdue', level: 'red' })).to).toEqual(['duty', 'head'])
  })

  it('matches a rule prefix only at a dot', () => {
    expect(ruleMatches('petition.*', 'petition.repeat')).toBe(true)
    expect(ruleMatches('petition.*', 'petitions.x')).toBe(false)
    expect(ruleMatches('petition.repeat', 'petition.repeat')).toBe(true)
  })
})

describe('checkRoutes', () => {
  it('names the bad entry', () => {
    expect(() => checkRoutes({})).toThrow('routes: must be a list')
    expect(() => checkRoutes([{ to: ['boss'] }])).toThrow('routes[0].to: must be a list of duty, head')
    expect(() => checkRoutes([{ to: [], level: 'orange' }])).toThrow('routes[0].level')
    expect(() => checkRoutes([{ to: [], whom: 1 }])).toThrow('routes[0].whom: unknown key')
  })
})

describe('recipientsOf', () => {
  it('texts one phone once even when it fills both roles', () => {
    const same: DeptContacts = { duty: both.duty, head: { name: '同一人', phone: DUTY.phone } }
    expect(recipientsOf(['duty', 'head'], same)).toEqual({ recipients: [DUTY], missing: [] })
  })
})

describe('routeStage', () => {
  it('fans a red notice out to duty and head, one notice each', async () => {
    const out = await routeStage(book({ market: both }), []).exec(testCtx(0), [notice({ level: 'red' })])
    expect(out.map((n) => n.recipient)).toEqual([DUTY, HEAD])
  })

  it('keeps a notice of a department without contacts, flagged no_contact', async () => {
    const ctx = testCtx(0)
    const n = notice({ level: 'red', dept: 'tax' })
    expect(await routeStage(book({ market: both }), []).exec(ctx, [n])).toEqual([n])
    expect(ctx.recorded).toMatchObject([
      { stage: 'route', dept: 'tax', action: 'keep', reason: 'no_contact', role: 'duty' },
      { stage: 'route', dept: 'tax', action: 'keep', reason: 'no_contact', role: 'head' },
    ])
  })

  it('sends to whoever is there and flags the missing role', async () => {
    const ctx = testCtx(0)
    const out = await routeStage(book({ market: { duty: both.duty } }), []).exec(ctx, [notice({ level: 'red' })])
    expect(out.map((n) => n.recipient)).toEqual([DUTY])
    expect(ctx.recorded).toMatchObject([{ reason: 'no_contact', role: 'head' }])
  })

  it('drops a notice a route sends to nobody, saying so', async () => {
    const ctx = testCtx(0)
    expect(await routeStage(book({ market: both }), [{ level: 'yellow', to: [] }]).exec(ctx, [notice({ level: 'yellow' })])).toEqual([])
    expect(ctx.recorded).toMatchObject([{ action: 'drop', reason: 'no_route' }])
  })

  it('looks a department up once per run', async () => {
    let lookups = 0
    const contacts = async () => (lookups++, both)
    await routeStage(contacts, []).exec(testCtx(0), [notice({ caseId: 'A-1' }), notice({ caseId: 'A-2' })])
    expect(lookups).toBe(1)
  })
})
