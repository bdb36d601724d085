/**
 * The notification path, assembled in one place (buildPipeline):
 *
 *   dedup → silences → quiet hours → route → group → outbox
 *
 * and the Dispatcher that feeds it. New cards go through at once; tick(now) runs the
 * path again to let out what has come due: the yellows held over quiet hours, and
 * the digests whose group wait is over. Everything outside is injected (what was
 * notified, silences, contacts, the outbox, the clock), so tests run in virtual time.
 */
import type { Alert, CardMessage } from '../../common/contract/index.ts'
import { type Clock, DEFAULT_ZONE, Zone } from '../../common/time/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { familyOf } from '../lifecycle/states.ts'
import { dedupStage, type FamilyOf, type NotifiedKeys } from './dedup.ts'
import { DEFAULT_GROUP_SETTINGS, Grouper, groupStage } from './group.ts'
import { outboxStage, type CodeFor, type Enqueue, type OutboxEntry } from './outbox.ts'
import { DEFAULT_MAX_PARKED, Parking } from './parking.ts'
import { DEFAULT_QUIET_HOURS, quietHoursStage, quietWindow, type QuietHours } from './quietHours.ts'
import { checkRoutes, routeStage, type ContactsOf, type RouteRule } from './route.ts'
import { silenceStage, type ActiveSilences } from './silences.ts'
import type { DeptNameOf } from './text.ts'
import { decide, multiStage, toNotice, type Decision, type Notice, type NotifyContext, type Stage } from './stage.ts'

/** NotifySettings are the knobs of the path; see docs/notify.md. */
export interface NotifySettings {
  /** local wall-clock window in which yellow cards wait; null for none */
  quietHours: QuietHours | null
  /** IANA zone of the quiet hours: the platform's (the notifier gives the rules' zone) */
  zone: string
  groupWaitMs: number
  groupIntervalMs: number
  /** tried before the defaults (yellow → duty, red → duty + head); first match wins */
  routes: readonly RouteRule[]
  /** how long a message that could not be enqueued waits before it is tried again */
  retryMs: number
  maxParked: number
  maxGrouped: number
  /** how many recent decisions the dispatcher keeps for the inspectors' view */
  maxDecisions: number
}

/** DEFAULT_NOTIFY_SETTINGS: quiet 22:00–07:00 in DEFAULT_ZONE, group wait 60 s, group interval 5 min. */
export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  quietHours: DEFAULT_QUIET_HOURS,
  zone: DEFAULT_ZONE,
  groupWaitMs: DEFAULT_GROUP_SETTINGS.groupWaitMs,
  groupIntervalMs: DEFAULT_GROUP_SETTINGS.groupIntervalMs,
  routes: [],
  retryMs: 30_000,
  maxParked: DEFAULT_MAX_PARKED,
  maxGrouped: DEFAULT_GROUP_SETTINGS.maxNotices,
  maxDecisions: 1_000,
}

/** notifySettings fills in the defaults and checks the result; it throws naming the bad setting. */
export function notifySettings(partial: Partial<NotifySettings> = {}): NotifySettings {
  const s = { ...DEFAULT_NOTIFY_SETTINGS, ...partial }
  for (const k of ['groupWaitMs', 'groupIntervalMs', 'retryMs', 'maxParked', 'maxGrouped', 'maxDecisions'] as const) {
    const min = k.endsWith('Ms') ? 0 : 1
    if (!Number.isSafeInteger(s[k]) || s[k] < min) throw new Error(`notify: ${k} must be a whole number ≥ ${min}, got ${s[k]}`)
  }
  if (s.retryMs === 0) throw new Error('notify: retryMs must be above 0')
  quietWindow(s.quietHours, Zone.of(s.zone))
  return { ...s, routes: checkRoutes(s.routes, 'notify: routes') }
}

/** PipelineDeps are the collaborators of the path. */
export interface PipelineDeps {
  /** sentStore.notifiedKeys bound to a db */
  notifiedKeys: NotifiedKeys
  /** silenceStore.activeSilences bound to a db */
  activeSilences: ActiveSilences
  /** contactStore.contactsOf bound to a db (cache it if you like) */
  contacts: ContactsOf
  /** the SMS outbox; record `covers` with sentStore.markNotified in the same transaction */
  enqueue: Enqueue
  codeFor?: CodeFor
  /** the registry's names of departments (docs/departments.md); without it texts name departments by code */
  deptName?: DeptNameOf
  /** rule families for upgrades; by default the lifecycle's (approval.due_soon + approval.overdue, …) */
  familyOf?: FamilyOf
}

/** Held is what lives between runs: notices parked for later, and notices waiting in groups. */
export interface Held {
  parking: Parking
  grouper: Grouper
}

/** buildPipeline assembles the stages in their order. */
export function buildPipeline(deps: PipelineDeps, settings: NotifySettings, held: Held): Stage {
  return multiStage(
    dedupStage(notifiedOrHeld(deps.notifiedKeys, held), deps.familyOf ?? familyOf),
    silenceStage(deps.activeSilences),
    quietHoursStage(quietWindow(settings.quietHours, Zone.of(settings.zone)), (n, until) => held.parking.park(n, until)),
    routeStage(deps.contacts, settings.routes),
    groupStage(held.grouper),
    outboxStage(deps.enqueue, deps.codeFor, deps.deptName),
  )
}

// A card held for later is on its way: the same card delivered again is a duplicate.
function notifiedOrHeld(notified: NotifiedKeys, held: Held): NotifiedKeys {
  return async (keys) => {
    const seen = new Set(await notified(keys))
    for (const k of keys) if (held.parking.holds(k) || held.grouper.holds(k)) seen.add(k)
    return seen
  }
}

/** IncomingCard is a card from the alerts stream, with the case data the rule saw if the platform has it. */
export type IncomingCard = CardMessage & { caseData?: Readonly<Record<string, unknown>> }

/** RunReport is what one run did: the messages enqueued, the decisions, the notices nobody could be texted. */
export interface RunReport {
  sent: OutboxEntry[]
  decisions: Decision[]
  unrouted: Notice[]
}

/** DispatcherOptions are the pipeline's collaborators plus a clock, a logger and settings. */
export interface DispatcherOptions extends PipelineDeps {
  clock: Clock
  log: Logger
  settings?: Partial<NotifySettings>
  /** told every decision, e.g. to store it for the inspectors' view */
  onDecision?: (d: Decision) => void
  /** told each failure of the path (a database read), which the notices then retry; for health reports */
  onError?: (e: Error) => void
}

/**
 * Dispatcher runs the notification path: push(cards) for new cards, tick(now) on a
 * timer (every few seconds, or at nextWakeAt()). Runs never overlap; state is held
 * in memory and bounded (settings.maxParked, maxGrouped, maxDecisions).
 */
export class Dispatcher {
  readonly settings: NotifySettings
  private readonly held: Held
  private readonly pipeline: Stage
  private readonly recent: Decision[] = []
  private sent: OutboxEntry[] = []
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly opts: DispatcherOptions) {
    const s = (this.settings = notifySettings(opts.settings))
    this.held = {
      parking: new Parking(s.maxParked),
      grouper: new Grouper({ groupWaitMs: s.groupWaitMs, groupIntervalMs: s.groupIntervalMs, maxNotices: s.maxGrouped }),
    }
    const enqueue: Enqueue = async (entry, covers) => {
      await opts.enqueue(entry, covers)
      this.sent.push(entry)
    }
    this.pipeline = buildPipeline({ ...opts, enqueue }, s, this.held)
  }

  /** push runs new cards through the path; a withdrawn card cancels whatever of it is still held. */
  push(cards: readonly IncomingCard[]): Promise<RunReport> {
    return this.serial(() => {
      const now = this.opts.clock.now()
      const fresh = cards.filter((c) => !c.withdrawn).map((c) => toNotice(bare(c), now, c.caseData))
      const withdrawn = cards.filter((c) => c.withdrawn).map((c) => c.key)
      return this.run(now, fresh, withdrawn)
    })
  }

  /** tick lets out what is due at now: parked notices go through the path again, due digests are enqueued. */
  tick(now: number = this.opts.clock.now()): Promise<RunReport> {
    return this.serial(() => this.run(now, [], []))
  }

  /** nextWakeAt is the earliest instant something held comes due, or undefined. */
  nextWakeAt(): number | undefined {
    const times = [this.held.parking.nextDue(), this.held.grouper.nextDue()].filter((t) => t !== undefined)
    return times.length > 0 ? Math.min(...times) : undefined
  }

  /** heldCounts says how many notices are parked and how many wait in groups. */
  heldCounts(): { parked: number; grouped: number } {
    return { parked: this.held.parking.size, grouped: this.held.grouper.size }
  }

  /** recentDecisions returns the latest decisions, oldest first, at most settings.maxDecisions. */
  recentDecisions(): readonly Decision[] {
    return [...this.recent]
  }

  private async run(now: number, fresh: Notice[], withdrawn: string[]): Promise<RunReport> {
    const decisions: Decision[] = []
    const record = (d: Decision) => {
      decisions.push(d)
      this.remember(d)
    }
    const ctx: NotifyContext = { now, log: this.opts.log, decisions: { record } }
    for (const key of withdrawn) {
      const gone = [...this.held.parking.remove(key), ...this.held.grouper.remove(key)]
      for (const n of gone) decide(ctx, 'dispatch', n, 'drop', 'withdrawn', { role: n.recipient?.role })
    }
    const input = [...this.held.parking.due(now), ...fresh]
    this.sent = []
    let out: Notice[] = []
    try {
      out = await this.pipeline.exec(ctx, input)
    } catch (e) {
      this.opts.log.error('the notification path failed; will retry', { error: (e as Error).message })
      this.opts.onError?.(e as Error)
      for (const n of input) this.retryLater(ctx, n)
    }
    for (const n of out) if (n.failed !== undefined) this.held.grouper.requeue(unsent(n), now + this.settings.retryMs)
    return { sent: this.sent, decisions, unrouted: out.filter((n) => !n.recipient) }
  }

  // A stage before grouping failed (a database read): the whole notice goes round again.
  private retryLater(ctx: NotifyContext, n: Notice): void {
    if (this.held.parking.holds(n.alert.key)) return
    const until = ctx.now + this.settings.retryMs
    if (this.held.parking.park({ ...n, deferUntil: until }, until)) decide(ctx, 'dispatch', n, 'defer', 'stage_failed', { until })
    else decide(ctx, 'dispatch', n, 'drop', 'overflow')
  }

  private remember(d: Decision): void {
    this.recent.push(d)
    if (this.recent.length > this.settings.maxDecisions) this.recent.splice(0, this.recent.length - this.settings.maxDecisions)
    if (d.reason === 'no_contact' || d.reason === 'overflow') this.opts.log.warn(`notice ${d.action}: ${d.reason}`, { key: d.key, dept: d.dept, role: d.role })
    this.opts.onDecision?.(d)
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn)
    this.queue = next.catch(() => {})
    return next
  }
}

// The card as the path sees it: case data rides on the notice, a note and withdrawal are not needed.
function bare(c: IncomingCard): Alert {
  const { key, rule, level, kind, caseId, dept, at, causes, settingsVersion } = c
  return { key, rule, level, kind, caseId, dept, at, causes, settingsVersion }
}

function unsent(n: Notice): Notice {
  const { failed: _f, digestId: _d, groupKey: _g, ref: _r, shortCode: _s, ...rest } = n
  return rest
}
