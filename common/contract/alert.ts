/**
 * Alert types: what the rules raise (contract §3) and what the rest of the platform
 * stores, routes and shows.
 */
import type { Kind } from './event.ts'

/** Level is the card colour: yellow = 黄牌 (warning), red = 红牌 (violation). */
export type Level = 'yellow' | 'red'

/**
 * Alert is one card. `key` is its identity: one case fires each (rule, level) at
 * most once, so key = rule:level:kind:caseId. Non-case alerts use their own key.
 */
export interface Alert {
  key: string
  rule: string
  level: Level
  /** null for alerts that do not come from a case (source.silent, calendar.uncovered). */
  kind: Kind | null
  caseId: string
  dept: string
  /** The instant the condition became true, RFC 3339 in the platform zone. */
  at: string
  /** Ids of the case events that caused it, so an inspector can see why it fired. */
  causes: string[]
  /** Version of the rules settings in force when it fired. */
  settingsVersion: string
}

/** alertKey builds the identity of a case alert. */
export function alertKey(rule: string, level: Level, kind: Kind | null, caseId: string): string {
  return `${rule}:${level}:${kind ?? '-'}:${caseId}`
}

/** ReplayLine is the exact output shape of `jiancha replay` (contract §5). */
export interface ReplayLine {
  rule: string
  level: Level
  caseId: string
  dept: string
  at: string
}

/**
 * CardMessage is a card on the alerts stream: raised, or withdrawn by the late event
 * `withdrawn.by`. A card an inspector raised by hand (主动巡检) carries their `note`.
 */
export type CardMessage = Alert & { withdrawn?: { by: string }; note?: { reason: string; by: string } }
