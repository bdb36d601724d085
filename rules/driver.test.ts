import { map, take, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import type { CaseEvent, TimedEvent } from '../common/contract/index.ts'
import { defaultContext } from './context.ts'
import { RuleEngine } from './engine.ts'
import { applyStep, driveReplay, driveSteps, replaySteps, type Step, stepsOf } from './driver.ts'
import { te } from './testEvents.ts'

// One virtual frame is one hour of event time, starting 2026-09-28 00:00 +08:00.
const BASE = Date.parse('2026-09-28T00:00:00+08:00')
const HOUR = 3_600_000
const ctx = defaultContext()

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
}

function ev(id: string, type: string, frame: number, attrs?: Record<string, unknown>, caseId = 'A-1'): TimedEvent {
  const e: CaseEvent = { id, source: 't', kind: 'approval', type, caseId, dept: 'market', at: new Date(BASE + frame * HOUR).toISOString(), attrs }
  return { ev: e, t: BASE + frame * HOUR, seq: frame }
}

const accepted = (frame: number, promisedDays = 5) =>
  ev('acc', 'accepted', frame, { itemCode: 'M', itemName: '食品经营许可', promisedDays, legalDays: 20 })

/** run wires events (by frame) and an hourly clock tick into the driver. */
function run(events: Record<string, TimedEvent>, eventMarbles: string, frames: number, expected: string, values: Record<string, string>): void {
  scheduler().run(({ cold, expectObservable }) => {
    const engine = new RuleEngine(ctx)
    const events$ = cold(eventMarbles, events)
    const ticks$ = timer(0, 1).pipe(take(frames), map((i) => BASE + i * HOUR))
    expectObservable(driveSteps(engine, stepsOf(events$, ticks$)).pipe(map((f) => f.alert.rule))).toBe(expected, values)
  })
}

function other(kind: CaseEvent['kind'], id: string, type: string, frame: number, caseId: string, attrs?: Record<string, unknown>): TimedEvent {
  const e: CaseEvent = { id, source: 't', kind, type, caseId, dept: 'd', at: new Date(BASE + frame * HOUR).toISOString(), attrs }
  return { ev: e, t: BASE + frame * HOUR, seq: frame * 10 + id.length }
}

describe('other kinds in virtual time', () => {
  it('enforcement: discretion at the penalty, no overdue once decided', () => {
    const f = other('enforcement', 'f', 'filed', 1, 'E-1', { limitDays: 2 })
    const p = other('enforcement', 'p', 'penalty', 5, 'E-1', { amount: 500, min: 10, max: 100 })
    run({ f, p }, '1ms f 3ms p', 100, '5ms z', { z: 'enforcement.discretion' })
  })

  it('enforcement: N ≤ W is due soon at the clock start (00:00 the next day), overdue after N calendar days', () => {
    const f = other('enforcement', 'f', 'filed', 10, 'E-2', { limitDays: 2 })
    run({ f }, '10ms f', 100, '24ms y 47ms r', { y: 'enforcement.due_soon', r: 'enforcement.overdue' })
  })

  it('petition: the third registration by one petitioner within 30 days is a repeat, at its own instant', () => {
    const reg = (id: string, frame: number) => other('petition', id, 'registered', frame, `P-${id}`, { petitionerId: 'p-1', subject: '拖欠工资' })
    run({ a: reg('a', 1), b: reg('b', 30), c: reg('c', 60) }, '1ms a 28ms b 29ms c', 70, '60ms x', { x: 'petition.repeat' })
  })

  it('supervision: overdue at dueAt, not after a completion before it', () => {
    const a = other('supervision', 'a', 'assigned', 1, 'S-1', { title: '任务', dueAt: new Date(BASE + 20 * HOUR).toISOString() })
    const b = other('supervision', 'b', 'assigned', 1, 'S-2', { title: '任务', dueAt: new Date(BASE + 20 * HOUR).toISOString() })
    const c = other('supervision', 'c', 'completed', 19, 'S-2')
    run({ a, b, c }, '1ms (ab) 14ms c', 30, '20ms x', { x: 'supervision.overdue' })
  })
})

describe('approval rules in virtual time', () => {
  it('raises due_soon at 00:00 of 10-09 and overdue at 00:00 of 10-11 across the National Day holiday', () => {
    // accepted 09-28 10:00; due soon after 3 working days (10-08), due after 5 (10-10 make-up day)
    run({ a: accepted(10) }, '10ms a', 400, '264ms x 47ms y', { x: 'approval.due_soon', y: 'approval.overdue' })
  })

  it('raises nothing red when the case completes before it is due', () => {
    const events = { a: accepted(10), c: ev('cmp', 'completed', 300) }
    // decided is missing, so completion is out of order; but the deadline is met
    run(events, '10ms a 289ms c', 400, '264ms x 35ms z', { x: 'approval.due_soon', z: 'approval.out_of_order' })
  })

  it('raises out_of_order at the decision of a case never accepted', () => {
    run({ d: ev('dec', 'decided', 5, { decision: 'approve' }) }, '5ms d', 10, '5ms z', { z: 'approval.out_of_order' })
  })

  it('fires a card only once even when its event is delivered twice', () => {
    const d = ev('dec', 'decided', 5, { decision: 'approve' })
    run({ d }, '5ms d 2ms d', 12, '5ms z', { z: 'approval.out_of_order' })
  })

  it('lets a late completion that happened before the due instant prevent the red card', () => {
    // completion at 10-10 12:00 (frame 300) arrives late, at frame 305, still before due (frame 312)
    const late = { ...ev('cmp', 'completed', 300), seq: 999 }
    const events = { a: accepted(10), d: ev('dec', 'decided', 290, { decision: 'approve' }), c: late }
    run(events, '10ms a 279ms d 14ms c', 400, '264ms x', { x: 'approval.due_soon' })
  })

  it('pauses the clock during a suspension', () => {
    // suspended 09-29 09:00 (frame 33) to 10-09 09:00 (frame 273): due soon at 10-13 00:00 = frame 360
    const events = { a: accepted(11), s: ev('sus', 'suspended', 33, { reason: 'expert_review' }), r: ev('res', 'resumed', 273) }
    run(events, '11ms a 21ms s 239ms r', 400, '360ms x', { x: 'approval.due_soon' })
  })
})

describe('the driver', () => {
  const at = (s: string) => Date.parse(s)
  const acc = te('approval', 'accepted', 'D-1', '2026-09-28T10:00:00+08:00', { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20 }, 'd-acc')
  const cmp = te('approval', 'completed', 'D-1', '2026-10-09T12:00:00+08:00', undefined, 'd-cmp')

  it('gives replay an advance to each event\'s instant before the event, and an advance to until last', () => {
    const seen: string[] = []
    replaySteps([acc, cmp], at('2026-12-31T00:00:00+08:00'), (s) => seen.push(s.type === 'event' ? `event ${s.te.ev.id}` : s.type === 'advance' ? `advance ${ctx.zone.format(s.now)}` : 'load'))
    expect(seen).toEqual([
      'advance 2026-09-28T10:00:00+08:00', 'event d-acc',
      'advance 2026-10-09T12:00:00+08:00', 'event d-cmp',
      'advance 2026-12-31T00:00:00+08:00',
    ])
    const none: Step[] = []
    replaySteps([], at('2026-12-31T00:00:00+08:00'), (s) => none.push({ ...s }))
    expect(none).toEqual([{ type: 'advance', now: at('2026-12-31T00:00:00+08:00') }])
  })

  it('makes no step object per event in replay: one per kind of step, reused', () => {
    const steps = new Set<Step>()
    replaySteps([acc, cmp], at('2026-12-31T00:00:00+08:00'), (s) => steps.add(s))
    expect(steps.size).toBe(2)
  })

  it('replays to the same cards as the steps applied one by one', () => {
    const until = at('2026-12-31T00:00:00+08:00')
    const byHand = new RuleEngine(ctx)
    const fires = [
      ...applyStep(byHand, { type: 'advance', now: acc.t }), ...applyStep(byHand, { type: 'event', te: acc }),
      ...applyStep(byHand, { type: 'advance', now: cmp.t }), ...applyStep(byHand, { type: 'event', te: cmp }),
      ...applyStep(byHand, { type: 'advance', now: until }),
    ]
    const replayed = driveReplay(new RuleEngine(ctx), [acc, cmp], until)
    expect(replayed.map((f) => f.alert.rule)).toEqual(['approval.due_soon', 'approval.out_of_order'])
    expect(replayed).toEqual(fires)
  })

  it('loads a case with the cards it raised, which do not fire again', () => {
    const engine = new RuleEngine(ctx)
    applyStep(engine, { type: 'advance', now: at('2026-10-20T00:00:00+08:00') })
    const fired = [{ rule: 'approval.due_soon', level: 'yellow', at: at('2026-10-09T00:00:00+08:00') }]
    // the red card came due but was never raised: loading raises it, with its true instant
    const fires = applyStep(engine, { type: 'load', events: [acc], fired })
    expect(fires.map((f) => `${f.alert.rule} ${ctx.zone.format(f.t)}`)).toEqual(['approval.overdue 2026-10-11T00:00:00+08:00'])
    expect(engine.has('approval', 'D-1')).toBe(true)
  })

  it('holds a case\'s cards for the settle delay after an event, in the wall time the steps carry', () => {
    const engine = new RuleEngine(ctx, { settleMs: 5000 })
    applyStep(engine, { type: 'advance', now: at('2026-10-20T00:00:00+08:00'), wall: 0 })
    expect(applyStep(engine, { type: 'event', te: acc, wall: 1000 })).toEqual([])
    expect(applyStep(engine, { type: 'advance', now: at('2026-10-21T00:00:00+08:00'), wall: 5999 })).toEqual([])
    expect(applyStep(engine, { type: 'advance', now: at('2026-10-21T00:00:00+08:00'), wall: 6000 }).map((f) => f.alert.rule)).toEqual(['approval.due_soon', 'approval.overdue'])
  })
})
