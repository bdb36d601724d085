/**
 * Contract §2: "An event at the very instant a case falls due comes too late: the
 * case was already due, so the card fires." For every deadline rule and each event
 * that would prevent (or move) its card: at exactly the card's instant X the card
 * fires once and stays; one second before X it does not fire. In replay, and live
 * through the driver (LiveFeed), with the event arriving before the platform clock
 * reaches X, and after it has passed X (the card raised by a tick, or by the event's
 * own advance). Live, an event that comes after the card was raised can only take it
 * back: one second before X, the card is withdrawn by it and none stands.
 */
import { of } from 'rxjs'
import { describe, expect, it } from 'vitest'
import type { Kind, TimedEvent } from '../../common/contract/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { defaultContext } from '../context.ts'
import { RuleEngine, type Fire } from '../engine.ts'
import { LiveFeed } from '../liveFeed.ts'
import { replay, replayEvents } from '../replay.ts'
import { te } from '../testEvents.ts'

const ctx = defaultContext()
const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const UNTIL = Date.parse('2027-03-01T00:00:00+08:00')
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

const APPROVAL = { itemCode: 'M', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }

interface Scenario {
  rule: string
  /** the card's instant without the event, worked out by hand from contract §2 */
  due: string
  kind: Kind
  /** the case's events before the one that would prevent the card */
  before: Array<[type: string, at: string, attrs?: Record<string, unknown>]>
  /** the event that would prevent the card, or move it when `moves` */
  type: string
  attrs?: Record<string, unknown>
  moves?: boolean
}

const approval = (type: string, attrs?: Record<string, unknown>) => ({
  kind: 'approval' as const, before: [['accepted', '2026-11-02T09:00:00+08:00', APPROVAL], ['decided', '2026-11-04T09:00:00+08:00', { decision: 'approve' }]] as Scenario['before'], type, attrs,
})
const submitted = (type: string, attrs?: Record<string, unknown>) => ({
  kind: 'approval' as const, before: [['submitted', '2026-11-02T09:00:00+08:00', { itemCode: 'M' }]] as Scenario['before'], type, attrs,
})
const suspended = (type: string) => ({
  kind: 'approval' as const, type,
  before: [['accepted', '2026-11-10T00:00:00+08:00', { ...APPROVAL, promisedDays: 20 }], ['decided', '2026-11-10T09:00:00+08:00', { decision: 'approve' }], ['suspended', '2026-11-10T10:00:00+08:00', { reason: 'correction' }]] as Scenario['before'],
})
const filed = (type: string, attrs?: Record<string, unknown>) => ({
  kind: 'enforcement' as const, before: [['filed', '2026-11-02T09:00:00+08:00', { limitDays: 15 }]] as Scenario['before'], type, attrs,
})
const registered = (type: string) => ({
  kind: 'petition' as const, before: [['registered', '2026-11-02T09:00:00+08:00', { petitionerId: 'p-1', subject: '噪音' }]] as Scenario['before'], type,
})
const acceptedPetition = (type: string, attrs?: Record<string, unknown>) => ({
  kind: 'petition' as const, type, attrs,
  before: [['registered', '2026-11-01T09:00:00+08:00', { petitionerId: 'p-1', subject: '噪音' }], ['accepted', '2026-11-02T09:00:00+08:00']] as Scenario['before'],
})
const assigned = (type: string, attrs?: Record<string, unknown>) => ({
  kind: 'supervision' as const, before: [['assigned', '2026-11-02T09:00:00+08:00', { title: '整改', dueAt: '2026-11-10T15:30:00+08:00' }]] as Scenario['before'], type, attrs,
})

const SCENARIOS: Scenario[] = [
  // accepted Monday 11-02: working days 11-03, 04, 05 → due soon at 11-06 00:00; 06, 09 → due at 11-10 00:00
  { rule: 'approval.due_soon', due: '2026-11-06T00:00:00+08:00', ...approval('completed') },
  { rule: 'approval.due_soon', due: '2026-11-06T00:00:00+08:00', ...approval('withdrawn') },
  { rule: 'approval.due_soon', due: '2026-11-06T00:00:00+08:00', ...approval('suspended', { reason: 'correction' }) },
  { rule: 'approval.overdue', due: '2026-11-10T00:00:00+08:00', ...approval('completed') },
  { rule: 'approval.overdue', due: '2026-11-10T00:00:00+08:00', ...approval('withdrawn') },
  { rule: 'approval.overdue', due: '2026-11-10T00:00:00+08:00', ...approval('suspended', { reason: 'expert_review' }) },
  // submitted Monday 11-02: five working days 11-03 … 11-09
  { rule: 'approval.accept_delay', due: '2026-11-10T00:00:00+08:00', ...submitted('accepted', APPROVAL) },
  { rule: 'approval.accept_delay', due: '2026-11-10T00:00:00+08:00', ...submitted('rejected', { reason: '材料不全' }) },
  { rule: 'approval.accept_delay', due: '2026-11-10T00:00:00+08:00', ...submitted('withdrawn') },
  // suspended Tuesday 11-10: ten working days 11-11 … 11-24
  { rule: 'approval.long_suspension', due: '2026-11-25T00:00:00+08:00', ...suspended('resumed') },
  { rule: 'approval.long_suspension', due: '2026-11-25T00:00:00+08:00', ...suspended('completed') },
  // filed 11-02, 15 calendar days, W = 10: due soon after 5 (11-03 … 11-07), due after 15 (… 11-17)
  { rule: 'enforcement.due_soon', due: '2026-11-08T00:00:00+08:00', ...filed('penalty', { amount: 50, min: 10, max: 100 }) },
  { rule: 'enforcement.due_soon', due: '2026-11-08T00:00:00+08:00', ...filed('concluded') },
  { rule: 'enforcement.overdue', due: '2026-11-18T00:00:00+08:00', ...filed('penalty', { amount: 50, min: 10, max: 100 }) },
  { rule: 'enforcement.overdue', due: '2026-11-18T00:00:00+08:00', ...filed('concluded') },
  // registered 11-02: 15 calendar days 11-03 … 11-17
  { rule: 'petition.accept_overdue', due: '2026-11-18T00:00:00+08:00', ...registered('accepted') },
  { rule: 'petition.accept_overdue', due: '2026-11-18T00:00:00+08:00', ...registered('replied') },
  // accepted 11-02: 55 calendar days from 11-03 end on 12-27, 60 on 2027-01-01
  { rule: 'petition.reply_due_soon', due: '2026-12-28T00:00:00+08:00', ...acceptedPetition('replied') },
  { rule: 'petition.reply_due_soon', due: '2026-12-28T00:00:00+08:00', ...acceptedPetition('extended', { days: 10 }), moves: true },
  { rule: 'petition.reply_overdue', due: '2027-01-02T00:00:00+08:00', ...acceptedPetition('replied') },
  { rule: 'petition.reply_overdue', due: '2027-01-02T00:00:00+08:00', ...acceptedPetition('extended', { days: 10 }), moves: true },
  { rule: 'supervision.overdue', due: '2026-11-10T15:30:00+08:00', ...assigned('completed') },
  { rule: 'supervision.overdue', due: '2026-11-10T15:30:00+08:00', ...assigned('assigned', { title: '整改', dueAt: '2026-11-20T00:00:00+08:00' }), moves: true },
]

let n = 0
/** events builds a fresh case of the scenario, with the preventing event at `at` (none when null), arriving last. */
function events(s: Scenario, at: number | null): { base: TimedEvent[]; last: TimedEvent | null } {
  const caseId = `C-${++n}`
  const base = s.before.map(([type, t, attrs], i) => te(s.kind, type, caseId, t, attrs, `${caseId}-${i}`))
  return { base, last: at === null ? null : te(s.kind, s.type, caseId, new Date(at).toISOString(), s.attrs, `${caseId}-x`) }
}

/** Outcome is what became of one rule's card: every time it was raised or withdrawn, and what stands at the end. */
interface Outcome {
  raised: number[]
  withdrawn: number[]
  standing: number[]
}

function outcome(fires: readonly Fire[], rule: string): Outcome {
  const mine = fires.filter((f) => f.alert.rule === rule)
  const standing = new Map<string, number>()
  for (const f of mine) {
    if (f.withdrawn) standing.delete(f.alert.key)
    else standing.set(f.alert.key, f.t)
  }
  return { raised: mine.filter((f) => !f.withdrawn).map((f) => f.t), withdrawn: mine.filter((f) => f.withdrawn).map((f) => f.t), standing: [...standing.values()] }
}

/** inReplay replays the case as jiancha replay does and returns the printed lines of the rule as well. */
function inReplay(s: Scenario, at: number | null): Outcome & { printed: number } {
  const { base, last } = events(s, at)
  const all = last ? [...base, last] : base
  const lines = all.map((e) => JSON.stringify(e.ev))
  const printed = replay(lines, UNTIL, ctx).alerts.filter((a) => a.rule === s.rule).length
  return { ...outcome(replayEvents(all, UNTIL, ctx).fires, s.rule), printed }
}

type Arrival = 'before X' | 'after X, card raised by a tick' | 'after X, card raised by its own advance'

/**
 * live runs the case through LiveFeed as the worker does (settle delay and allowed
 * lateness as in production), the preventing event delivered at the given moment of
 * the platform clock, and the wall clock moving on by 10 s between ticks.
 */
function live(s: Scenario, at: number, arrival: Arrival): Outcome {
  const { base, last } = events(s, at)
  const X = Date.parse(s.due)
  const engine = new RuleEngine(ctx, { settleMs: 5000, allowedLatenessMs: 72 * HOUR })
  const clock = { t: base[0]!.t, now: () => clock.t }
  const wall = { t: 0, now: () => wall.t }
  const feed = new LiveFeed(engine, { clock, wallClock: wall, log: quiet, store: { stored: () => of(new Map()), registrations: () => of([]), position: () => of({ waiting: 0, orphan: null }) } })
  const fires: Fire[] = []
  const take = <T>(o: { subscribe(f: (v: T) => void): unknown }): T => {
    let v: T | undefined
    o.subscribe((x) => (v = x))
    return v as T
  }
  const tick = (t: number) => {
    clock.t = t
    wall.t += 10 * SECOND
    fires.push(...take(feed.tick()))
  }
  const deliver = (te: TimedEvent, t: number) => {
    clock.t = t
    wall.t += 10
    fires.push(...take(feed.batch([{ te, receivedAt: t }], 0))) // on the bus at t, nothing behind it
  }
  tick(base[0]!.t)
  for (const e of base) deliver(e, e.t + MINUTE)
  tick(base[base.length - 1]!.t + HOUR)
  if (arrival === 'before X') {
    tick(X - 10 * MINUTE)
    deliver(last!, X - 5 * MINUTE)
  } else if (arrival === 'after X, card raised by a tick') {
    tick(X + HOUR)
    deliver(last!, X + 2 * HOUR)
  } else {
    tick(X - HOUR)
    deliver(last!, X + HOUR) // the first step past X is this event's: its advance raises the card
  }
  tick(UNTIL)
  tick(UNTIL)
  return outcome(fires, s.rule)
}

const label = (s: Scenario) => `${s.rule} against ${s.type}${s.moves ? ' (moves it)' : ''}`

describe.each(SCENARIOS.map((s) => [label(s), s] as const))('%s', (_, s) => {
  const X = Date.parse(s.due)

  it('falls due at the instant worked out by hand', () => {
    expect(inReplay(s, null)).toEqual({ raised: [X], withdrawn: [], standing: [X], printed: 1 })
  })

  it('replay: fires once when the event comes at X, not when it comes a second before', () => {
    expect(inReplay(s, X)).toEqual({ raised: [X], withdrawn: [], standing: [X], printed: 1 })
    const early = inReplay(s, X - SECOND)
    expect(early.withdrawn).toEqual([])
    expect(early.raised).not.toContain(X)
    if (!s.moves) expect(early).toEqual({ raised: [], withdrawn: [], standing: [], printed: 0 })
  })

  it.each<Arrival>(['before X', 'after X, card raised by a tick', 'after X, card raised by its own advance'])('live, the event arriving %s', (arrival) => {
    expect(live(s, X, arrival)).toEqual({ raised: [X], withdrawn: [], standing: [X] })
    const early = live(s, X - SECOND, arrival)
    expect(early.standing).not.toContain(X)
    if (arrival === 'before X') expect(early.raised).not.toContain(X)
    // After X the card was out before the event came: it is taken back, by that event.
    else expect(early.withdrawn).toEqual([X])
    if (!s.moves) expect(early.standing).toEqual([])
  })
})
