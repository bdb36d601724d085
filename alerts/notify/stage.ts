/**
 * The notification path is a list of stages, in the spirit of Alertmanager's
 * notify.Stage: each stage takes the notices still in flight and returns those that
 * go on. Whatever a stage drops, defers or flags it also records as a Decision, so
 * that inspectors can see why a card did or did not reach a phone.
 */
import type { Alert, Level } from '../../common/contract/index.ts'
import type { Logger } from '../../common/log/index.ts'

/** Role is who in a department is texted: the duty contact (值班人员) or the head (负责人). */
export type Role = 'duty' | 'head'

/** Recipient is one person a notice goes to; the name and phone never enter a message body. */
export interface Recipient {
  role: Role
  name: string
  /** E.164, e.g. +8613800138000 */
  phone: string
}

/**
 * Notice is one card on its way to the phones, with the routing facts the stages
 * gathered so far. Stages never change a notice in place: they return a new one.
 */
export interface Notice {
  readonly alert: Alert
  /** case data the rule saw (applicant, phone…): kept for inspectors, never rendered into a message */
  readonly caseData?: Readonly<Record<string, unknown>>
  /** when the dispatcher first got the card */
  readonly receivedAt: number
  /** set by dedup: the (rule family, case) the card belongs to; a red card upgrades its yellow */
  readonly thread?: string
  /** set by dedup: a red card whose yellow card of the same thread was already notified */
  readonly upgrade?: boolean
  /** set when the notice was held back (quiet hours, a failed enqueue): it has waited already */
  readonly deferUntil?: number
  /** set by route: who gets it; absent when the department has no contact (see the no_contact decision) */
  readonly recipient?: Recipient
  /** set by group: the department and recipient the notice was grouped under */
  readonly groupKey?: string
  /** set by group: the message (digest) the notice goes out in */
  readonly digestId?: string
  /** set by outbox: the outbox ref (alert key or digest id) and the code quoted in the SMS */
  readonly ref?: string
  readonly shortCode?: string
  /** set by outbox when enqueueing failed: the error, the notice is to be tried again */
  readonly failed?: string
}

/** DecisionAction is what a stage did with a notice: dropped it, held it back, or let it on with a remark. */
export type DecisionAction = 'drop' | 'defer' | 'keep'

/** DecisionReason says why, in a word an inspectors' view can translate. */
export type DecisionReason =
  | 'duplicate'
  | 'superseded'
  | 'upgrade'
  | 'silenced'
  | 'quiet_hours'
  | 'overflow'
  | 'no_route'
  | 'no_contact'
  | 'enqueue_failed'
  | 'stage_failed'
  | 'withdrawn'

/** Decision is one recorded verdict on one notice. It carries no personal data. */
export interface Decision {
  at: number
  stage: string
  /** the alert key */
  key: string
  rule: string
  level: Level
  dept: string
  action: DecisionAction
  reason: DecisionReason
  detail?: string
  /** the silence that muted the notice */
  silenceId?: string
  /** until when a deferred notice is held */
  until?: number
  /** the recipient role concerned (no_contact) */
  role?: Role
}

/** DecisionSink receives the decisions of a run. */
export interface DecisionSink {
  record(d: Decision): void
}

/** NotifyContext is what every stage of one run shares: the instant, a logger and the decision sink. */
export interface NotifyContext {
  readonly now: number
  readonly log: Logger
  readonly decisions: DecisionSink
}

/** Stage is one step of the notification path. */
export interface Stage {
  readonly name: string
  exec(ctx: NotifyContext, items: Notice[]): Promise<Notice[]>
}

/** DecisionExtra is what a stage may add to a decision beyond the notice and the verdict. */
export type DecisionExtra = Partial<Pick<Decision, 'detail' | 'silenceId' | 'until' | 'role'>>

/** decide records a stage's verdict on a notice in the run's sink. */
export function decide(ctx: NotifyContext, stage: string, n: Notice, action: DecisionAction, reason: DecisionReason, extra: DecisionExtra = {}): void {
  const { key, rule, level, dept } = n.alert
  ctx.decisions.record({ at: ctx.now, stage, key, rule, level, dept, action, reason, ...extra })
}

/**
 * multiStage runs stages in order, each on what the previous one returned. It runs
 * every stage even on an empty list: the group stage releases due digests on ticks.
 */
export function multiStage(...stages: Stage[]): Stage {
  return {
    name: stages.map((s) => s.name).join(' → '),
    async exec(ctx, items) {
      let out = items
      for (const s of stages) out = await s.exec(ctx, out)
      return out
    },
  }
}

/** toNotice starts a card on the notification path; case data rides along but is never rendered. */
export function toNotice(alert: Alert, receivedAt: number, caseData?: Readonly<Record<string, unknown>>): Notice {
  return caseData ? { alert, caseData, receivedAt } : { alert, receivedAt }
}
