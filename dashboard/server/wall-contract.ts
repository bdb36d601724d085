/**
 * The wall's contract: what the dashboard server needs from the rest of the platform
 * (DashboardSource) and what it hands to browsers (WallSnapshot, AlertView, SmsView).
 * The web app imports these types as they are (type-only: nothing of the server is bundled).
 */
import type { Observable } from 'rxjs'
import type { Alert, Level } from '../../common/contract/alert.ts'

/** AlertView is a stored card as the wall shows it. */
export interface AlertView extends Alert {
  /** When the platform stored the card (platform clock, RFC 3339). */
  raisedAt: string
  /** Handling status, e.g. "open"; free text owned by the alert store. */
  status: string
}

/** DeptTally is the number of open cards of one department, by level. */
export interface DeptTally {
  dept: string
  yellow: number
  red: number
}

/** WallSnapshot is the whole wall at one instant; browsers load it on every (re)connect. */
export interface WallSnapshot {
  /** Platform clock (may be a demo time-lapse clock), RFC 3339. */
  now: string
  /** Newest first (by `at`), at most MAX_SNAPSHOT_ALERTS. */
  alerts: AlertView[]
  /** Open cards by level. */
  counts: Record<Level, number>
  /** Open cards per department. */
  byDept: DeptTally[]
  /** Recent text messages, newest first, at most MAX_SNAPSHOT_SMS. */
  sms: SmsView[]
  /** Whose wall this is: every department, or one department's own. */
  scope: WallScope
}

/** WallScope is the part of the platform a wall shows: a department user sees only its own. */
export type WallScope = { all: true } | { dept: string }

/** SmsStatus is an outbox row's delivery state (alerts/sms/outbox.ts). */
export type SmsStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed'

/**
 * SmsView is one text message as walls and consoles show it. The phone number is
 * masked (+86 138****8000); the body never holds personal data (docs/notify.md).
 * A later view with the same id replaces the earlier one (its status moved on).
 */
export interface SmsView {
  id: number
  /** the department it is about; null when unknown (an older row) */
  dept: string | null
  /** masked recipient */
  to: string
  body: string
  status: SmsStatus
  /** why it failed for good (permanent provider error, or retries used up) */
  error: string | null
  /** when it was queued (platform zone, RFC 3339) */
  at: string
  /** when its status last changed */
  updatedAt: string
}

/** DashboardSource is what the platform plugs into the dashboard server. */
export interface DashboardSource {
  /** the wall as one reader may see it */
  snapshot(scope: WallScope): Promise<WallSnapshot>
  /** Every newly stored card, once. */
  live: Observable<AlertView>
  /** Every change of a text message (queued, sent, delivered, failed). */
  liveSms: Observable<SmsView>
  /** Platform clock, epoch ms. */
  now(): number
}

/** DeptNames maps a department code to its display names. */
export type DeptNames = Record<string, { 'zh-CN': string; en: string }>

/** MAX_SNAPSHOT_ALERTS bounds the cards a snapshot carries, so a page load stays small. */
export const MAX_SNAPSHOT_ALERTS = 200

/** MAX_SNAPSHOT_SMS bounds the text messages a snapshot carries. */
export const MAX_SNAPSHOT_SMS = 50
