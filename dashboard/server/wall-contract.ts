/**
 * The wall's contract: what the dashboard server needs from the rest of the platform
 * (DashboardSource) and what it hands to browsers (WallSnapshot, AlertView). The web
 * app mirrors these shapes in dashboard/web/src/wall-types.ts.
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
}

/** DashboardSource is what the platform plugs into the dashboard server. */
export interface DashboardSource {
  snapshot(): Promise<WallSnapshot>
  /** Every newly stored card, once. */
  live: Observable<AlertView>
  /** Platform clock, epoch ms. */
  now(): number
}

/** DeptNames maps a department code to its display names. */
export type DeptNames = Record<string, { 'zh-CN': string; en: string }>

/** MAX_SNAPSHOT_ALERTS bounds the cards a snapshot carries, so a page load stays small. */
export const MAX_SNAPSHOT_ALERTS = 200
