import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseKey, type CardMessage, type TimedEvent } from '../common/contract/index.ts'
import { defaultContext, inEventTime, LineParser, runSorted } from '../rules/index.ts'
import { standingCards } from './cards.ts'
import { caseFacts, diffFacts, type Fact } from './caseFacts.ts'
import { addEvent, applyCard, emptyCase, type CaseState } from './caseState.ts'
import { countsByPeriod } from './counts.ts'
import { periodCountsOf } from './factCounts.ts'
import { PERIOD_UNITS } from './period.ts'
import { accepted, caseArb, caseEvent, linesOf, shuffle, timed } from './testing.ts'

const ctx = defaultContext()
const FAR = Date.parse('2028-01-01T00:00:00+08:00')
const examples = new URL('../common/contract/examples/', import.meta.url)

function parse(lines: readonly string[]): TimedEvent[] {
  const p = new LineParser()
  for (const l of lines) p.push(l)
  return p.events
}

/** live folds events (in the order given) and the cards into case states, as the worker does, and lists their facts. */
function live(events: readonly TimedEvent[], cards: readonly CardMessage[]): Fact[] {
  const cases = new Map<string, CaseState>()
  const of = (key: string) => cases.get(key) ?? (cases.set(key, emptyCase()), cases.get(key)!)
  for (const e of events) addEvent(of(caseKey(e.ev.kind, e.ev.caseId)), e)
  for (const c of cards) if (c.kind) applyCard(of(caseKey(c.kind, c.caseId)), c)
  return [...cases.values()].flatMap((s) => caseFacts(s.events, Object.values(s.cards), ctx))
}

/** expectSameCounts checks that the facts sum to the replay's counts, by every period length. */
function expectSameCounts(events: TimedEvent[], order: readonly TimedEvent[]): void {
  const sorted = inEventTime(events, FAR)
  const fires = runSorted(sorted, FAR, ctx).fires
  const messages: CardMessage[] = fires.map((f) => (f.withdrawn ? { ...f.alert, withdrawn: f.withdrawn } : f.alert))
  const facts = live(order, messages)
  const cards = standingCards(fires)
  for (const unit of PERIOD_UNITS) {
    const want = countsByPeriod({ events: sorted, cards, until: FAR, unit, ctx })
    const got = periodCountsOf(facts.map((f) => ({ t: f.t, dept: f.dept, count: f.count, n: 1 })), unit, ctx.zone)
    expect(got.byPeriod, unit).toEqual(want.byPeriod)
  }
}

describe('case facts', () => {
  it('sum to the replay\'s counts on the contract examples and the worked example, by month, quarter and year', () => {
    for (const name of ['every-rule', 'national-day', 'petitions']) {
      const events = parse(readFileSync(new URL(`${name}.jsonl`, examples), 'utf8').split('\n'))
      expectSameCounts(events, shuffle(events, 7))
    }
    const worked = parse(readFileSync(new URL('./testdata/worked-example.jsonl', import.meta.url), 'utf8').split('\n'))
    expectSameCounts(worked, shuffle(worked, 11))
  })

  it('sum to the replay\'s counts for random events taken in any order', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { minLength: 1, maxLength: 10 }), fc.nat(), (cases, seed) => {
        const events = parse(linesOf(cases))
        expectSameCounts(events, shuffle(events, seed))
      }),
      { numRuns: 100 },
    )
  })

  it('count a case once per period in the workload of each length, at its first touch', () => {
    const a = accepted('W-1', '2026-11-30T23:00:00+08:00', 5)
    const b = caseEvent('approval', 'completed', 'W-1', '2026-12-01T09:00:00+08:00')
    const facts = caseFacts(timed([a, b]), [], ctx).filter((f) => f.count.startsWith('workload'))
    expect(facts.map((f) => `${f.count}@${new Date(f.t).toISOString()}`).sort()).toEqual([
      'workload.month@2026-11-30T15:00:00.000Z',
      'workload.month@2026-12-01T01:00:00.000Z',
      'workload.quarter@2026-11-30T15:00:00.000Z',
      'workload.year@2026-11-30T15:00:00.000Z',
    ])
  })

  it('diff into the deltas that turn one list into the other', () => {
    const f = (count: Fact['count'], t: number, rule?: string): Fact => ({ count, dept: 'tax', t, ...(rule ? { rule } : {}) })
    expect(diffFacts([f('approval.accepted', 1), f('cards.red', 2, 'r')], [f('approval.accepted', 1), f('cards.red', 3, 'r'), f('cards.red', 3, 'r')])).toEqual([
      { ...f('cards.red', 2, 'r'), delta: -1 },
      { ...f('cards.red', 3, 'r'), delta: 2 },
    ])
    expect(diffFacts([f('approval.accepted', 1)], [f('approval.accepted', 1)])).toEqual([])
  })
})

describe('case state', () => {
  it('keeps each event id once, in case order, and a card until the card it raised is withdrawn', () => {
    const s = emptyCase()
    const [a, b] = timed([accepted('S-1', '2026-11-02T09:00:00+08:00', 5), caseEvent('approval', 'completed', 'S-1', '2026-11-03T09:00:00+08:00')])
    expect(addEvent(s, b!)).toBe(true)
    expect(addEvent(s, a!)).toBe(true)
    expect(addEvent(s, a!)).toBe(false)
    expect(s.events.map((e) => e.ev.type)).toEqual(['accepted', 'completed'])
    const card: CardMessage = { key: 'k', rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: 'S-1', dept: 'market', at: '2026-11-10T00:00:00+08:00', causes: [], settingsVersion: 'v' }
    expect(applyCard(s, card)).toBe(true)
    expect(applyCard(s, card)).toBe(false)
    expect(applyCard(s, { ...card, at: '2026-11-11T00:00:00+08:00', withdrawn: { by: 'x' } })).toBe(false)
    expect(applyCard(s, { ...card, withdrawn: { by: 'x' } })).toBe(true)
    expect(s.cards).toEqual({})
    expect(applyCard(s, { ...card, kind: null, rule: 'source.silent' })).toBe(false)
  })
})
