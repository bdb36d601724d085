/**
 * caseClock reads a case's main deadline clock at an instant, for the case page: which
 * term runs, when it started counting, what is used, what remains, whether it is paused,
 * and which dates it counted or skipped (weekends, holidays, make-up working days). It
 * builds the same ClockSpec the kind's rules build and asks the same `instantAfter`, so
 * the due instant it shows is the one the cards fire at, live and in replay alike.
 */
import type { Kind, TimedEvent } from '../common/contract/index.ts'
import { DAY_MS, isoFromDay } from '../common/time/index.ts'
import { num, str } from './attrs.ts'
import { firstOf, type RuleContext } from './candidate.ts'
import { clockStart, type ClockSpec, type DayType, instantAfter, MAX_DATES } from './deadline.ts'
import { suspensionsOf } from './suspensions.ts'
import { dueInForce } from './supervision.ts'

/** Term names which clock of its kind a case is on. */
export type Term = 'approval.accept' | 'approval.promised' | 'petition.accept' | 'petition.reply' | 'enforcement.limit' | 'supervision.due'

/** SkippedDate is a date the clock did not count: a weekend or an official holiday. */
export interface SkippedDate {
  date: string
  why: 'weekend' | 'holiday'
}

/** ClockReading is a case's clock read at one instant (epoch ms throughout). */
export interface ClockReading {
  term: Term
  /** working or calendar days; 'instant' for a task given a due time (督办) */
  dayType: DayType | 'instant'
  /** the term in days, with extensions; null for an instant term */
  days: number | null
  /** the event that started the clock */
  startedBy: { id: string; type: string; at: number }
  /** when counting began: 00:00 after the start event's local date (the start itself for an instant term) */
  countFrom: number
  /** when the term is used up; null when it never is (suspended for good) */
  due: number | null
  /** the event that stopped the clock (completed, replied, …), if any */
  stoppedBy: { id: string; type: string; at: number } | null
  /** the instant read: now, or the stop */
  readAt: number
  usedMs: number
  /** the term less what is used; negative once overdue; null when the term has no length */
  remainingMs: number | null
  /** suspended at readAt */
  paused: boolean
  /** time within [countFrom, readAt) spent suspended */
  pausedMs: number
  pauses: Array<{ from: number; to: number | null }>
  /** dates the clock counted up to readAt, make-up working days among them */
  countedDates: number
  makeUpDates: string[]
  /** dates it skipped up to readAt, oldest first (at most MAX_DATES) */
  skipped: SkippedDate[]
}

interface TermSpec {
  term: Term
  spec: ClockSpec
  days: number
  start: TimedEvent
  stops: readonly string[]
}

/** caseClock reads the main clock of a case at `now`; null when no clock runs (no starting event yet). */
export function caseClock(kind: Kind, events: readonly TimedEvent[], ctx: RuleContext, now: number): ClockReading | null {
  if (kind === 'supervision') return supervisionClock(events, now)
  const t = termOf(kind, events, ctx)
  if (!t) return null
  const stop = events.find((e) => e.t >= t.start.t && t.stops.includes(e.ev.type)) ?? null
  const readAt = Math.max(t.spec.start, stop ? Math.min(stop.t, now) : now)
  const due = instantAfter(t.spec, t.days, ctx)
  const walk = walkDates(t.spec, readAt, ctx)
  const pauses = t.spec.pauses ?? []
  return {
    term: t.term,
    dayType: t.spec.dayType,
    days: t.days,
    startedBy: eventRef(t.start),
    countFrom: clockStart(t.spec, ctx),
    due,
    stoppedBy: stop && stop.t <= now ? eventRef(stop) : null,
    readAt,
    usedMs: walk.usedMs,
    remainingMs: t.days * DAY_MS - walk.usedMs,
    paused: pauses.some((p) => p.from <= readAt && readAt < p.to),
    pausedMs: walk.pausedMs,
    pauses: pauses.map((p) => ({ from: p.from, to: p.to === Infinity ? null : p.to })),
    countedDates: walk.counted,
    makeUpDates: walk.makeUp,
    skipped: walk.skipped,
  }
}

/** termOf picks the clock that governs a case now, built as the kind's rules build it. */
function termOf(kind: Kind, events: readonly TimedEvent[], ctx: RuleContext): TermSpec | null {
  const s = ctx.settings
  if (kind === 'approval') {
    const stops = ['completed', 'withdrawn']
    const accepted = firstOf(events, 'accepted')
    const days = accepted ? num(accepted.ev, 'promisedDays', 0) : 0
    if (accepted && days >= 1) {
      const dayType: DayType = str(accepted.ev, 'dayType') === 'calendar' ? 'calendar' : 'working'
      return { term: 'approval.promised', spec: { start: accepted.t, dayType, pauses: suspensionsOf(events, stops) }, days, start: accepted, stops }
    }
    const submitted = firstOf(events, 'submitted')
    if (!submitted) return null
    return {
      term: 'approval.accept', spec: { start: submitted.t, dayType: 'working', pauses: suspensionsOf(events, stops) }, days: s.approval.acceptDays, start: submitted,
      stops: ['accepted', 'rejected', 'withdrawn'],
    }
  }
  if (kind === 'petition') {
    const accepted = firstOf(events, 'accepted')
    if (accepted) {
      const spec: ClockSpec = { start: accepted.t, dayType: 'calendar' }
      return { term: 'petition.reply', spec, days: s.petition.replyDays + extensions(events, spec, s.petition.replyDays, ctx), start: accepted, stops: ['replied'] }
    }
    const registered = firstOf(events, 'registered')
    if (!registered) return null
    return { term: 'petition.accept', spec: { start: registered.t, dayType: 'calendar' }, days: s.petition.acceptDays, start: registered, stops: ['accepted', 'replied'] }
  }
  const filed = firstOf(events, 'filed')
  if (!filed) return null
  return {
    term: 'enforcement.limit', spec: { start: filed.t, dayType: 'calendar' }, days: num(filed.ev, 'limitDays', s.enforcement.defaultLimitDays), start: filed,
    stops: ['penalty', 'concluded'],
  }
}

/** extensions adds up the `extended` days that came before the deadline in force, as petition.ts applies them. */
function extensions(events: readonly TimedEvent[], spec: ClockSpec, days: number, ctx: RuleContext): number {
  let ext = 0
  let at = instantAfter(spec, days, ctx)
  for (const e of events) {
    if (at === null || e.t >= at) break
    if (e.ev.type !== 'extended') continue
    ext += num(e.ev, 'days', 0)
    at = instantAfter(spec, days + ext, ctx)
  }
  return ext
}

/** supervisionClock reads a supervised task's due time in force: no days are counted, only the instant. */
function supervisionClock(events: readonly TimedEvent[], now: number): ClockReading | null {
  const inForce = dueInForce(events)
  if (!inForce) return null
  const { due, assigned: start } = inForce
  const stop = events.find((e) => e.t >= start.t && e.ev.type === 'completed' && e.t <= now) ?? null
  const readAt = Math.max(start.t, stop ? stop.t : now)
  return {
    term: 'supervision.due', dayType: 'instant', days: null, startedBy: eventRef(start), countFrom: start.t, due, stoppedBy: stop && eventRef(stop), readAt,
    usedMs: readAt - start.t, remainingMs: due - readAt, paused: false, pausedMs: 0, pauses: [], countedDates: 0, makeUpDates: [], skipped: [],
  }
}

/** walkDates walks the dates from the clock's start to `until`: time counted, time paused, dates counted and skipped. */
function walkDates(spec: ClockSpec, until: number, ctx: RuleContext) {
  const { zone, calendar } = ctx
  const pauses = spec.pauses ?? []
  const first = zone.dayOf(spec.start) + 1
  const out = { usedMs: 0, pausedMs: 0, counted: 0, makeUp: [] as string[], skipped: [] as SkippedDate[] }
  for (let d = first; d < first + MAX_DATES; d++) {
    const a = zone.startOf(d)
    if (a >= until) break
    const b = Math.min(zone.startOf(d + 1), until)
    let paused = 0
    for (const p of pauses) paused += Math.max(0, Math.min(b, p.to) - Math.max(a, p.from))
    out.pausedMs += paused
    const kind = calendar.kindOf(d)
    if (spec.dayType === 'working' && !calendar.isWorkingDay(d)) {
      out.skipped.push({ date: isoFromDay(d), why: kind === 'holiday' ? 'holiday' : 'weekend' })
      continue
    }
    out.counted++
    if (kind === 'makeup' && spec.dayType === 'working') out.makeUp.push(isoFromDay(d))
    out.usedMs += b - a - paused
  }
  return out
}

function eventRef(e: TimedEvent): { id: string; type: string; at: number } {
  return { id: e.ev.id, type: e.ev.type, at: e.t }
}
