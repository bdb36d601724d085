/**
 * Wall state: everything the wall shows, as one immutable value. A snapshot replaces
 * it whole (so a resync can never duplicate a card or a text message); a live card,
 * a message update or a clock tick derives the next value from the last.
 */
import type { AlertView, DailyTally, RatePoint, SmsView, WallPulse, WallScope, WallSnapshot } from '../../../common/contract/api.ts'
import { feedFromCards, insertCard } from './alertFeed.ts'
import { smsFromSnapshot, upsertSms } from './smsFeed.ts'
import { emptyTallies, tallyCard, type Tallies } from './tallies.ts'
import { addCard } from './trends.ts'

/** WallState is what the wall renders. */
export interface WallState extends Tallies {
  /** Platform clock, RFC 3339; null until the server has said. */
  now: string | null
  /** Newest first, unique by key, bounded (see alert-feed.ts). */
  feed: AlertView[]
  /** Text messages, newest first, unique by id, bounded (see sms-feed.ts). */
  sms: SmsView[]
  /** Whose wall it is; null until the first snapshot. */
  scope: WallScope | null
  /** When the last event reached the wall or the platform (epoch ms, wall time); null before the first snapshot. */
  lastEventAt: number | null
  /** Cards per department and day, last 30 days (trends.ts), oldest first. */
  daily: DailyTally[]
  /** Events received per minute, last 60 minutes, oldest first. */
  rate: RatePoint[]
}

/** emptyWall is the state before the first snapshot. */
export function emptyWall(): WallState {
  return { now: null, feed: [], sms: [], scope: null, lastEventAt: null, daily: [], rate: [], ...emptyTallies() }
}

/**
 * fromSnapshot replaces the wall with the server's view. Its freshness is the later of
 * the platform's last event and what the wall had already received; a server that does
 * not say counts the load itself as news (loadedAt), so a new wall is not stale at once.
 */
export function fromSnapshot(s: WallSnapshot, prevLastEventAt: number | null = null, loadedAt: number = Date.now()): WallState {
  const platform = s.lastEventAt ? Date.parse(s.lastEventAt) : NaN
  const known = [platform, prevLastEventAt ?? NaN].filter((n) => Number.isFinite(n))
  return {
    now: s.now,
    feed: feedFromCards(s.alerts),
    counts: { yellow: s.counts.yellow, red: s.counts.red },
    byDept: s.byDept.map((d) => ({ dept: d.dept, yellow: d.yellow, red: d.red })),
    // A server from before the SMS panel sends neither; the wall still works.
    sms: smsFromSnapshot(s.sms),
    scope: s.scope ?? null,
    lastEventAt: known.length ? Math.max(...known) : s.lastEventAt === undefined ? loadedAt : null,
    daily: s.daily ?? [],
    rate: s.rate ?? [],
  }
}

/** received notes that an event reached the wall at `at` (epoch ms). */
export function received(state: WallState, at: number): WallState {
  return state.lastEventAt !== null && state.lastEventAt >= at ? state : { ...state, lastEventAt: at }
}

/** withCard adds a live card, on its day (YYYY-MM-DD in the platform zone) when given; a card the wall already holds changes nothing. */
export function withCard(state: WallState, card: AlertView, day?: string | null): WallState {
  const { feed, duplicate } = insertCard(state.feed, card)
  if (duplicate) return state
  const daily = day ? addCard(state.daily, day, card.dept, card.level) : state.daily
  return { ...state, feed, daily, ...tallyCard(state, card) }
}

/** withPulse takes the server's periodic figures: the event rate and the platform's last event. */
export function withPulse(state: WallState, p: WallPulse): WallState {
  const last = p.lastEventAt ? Date.parse(p.lastEventAt) : NaN
  const next = { ...state, rate: p.rate }
  return Number.isFinite(last) ? received(next, last) : next
}

/** withSms adds a text message or moves one on (same id). */
export function withSms(state: WallState, sms: SmsView): WallState {
  const next = upsertSms(state.sms, sms)
  return next === state.sms ? state : { ...state, sms: next }
}

/** withClock sets the platform time. */
export function withClock(state: WallState, now: string): WallState {
  return state.now === now ? state : { ...state, now }
}
