/**
 * The alerts composition: a process builds its alerts here, and only here. It makes
 * THE ThreadStore of the process once, always with the audit hook (threadAudit.ts) and
 * the rectification deadline on the rules' calendar, and hands that one store to the
 * alert service, the notifier (and through it to escalation) and the consoles. So
 * every transition, whoever makes it, is written to the hash-chained audit trail in
 * its own transaction; a dashboard that runs without the alert service gets its
 * store from here as well.
 */
import type { Bus } from '../common/bus/index.ts'
import type { CardMessage } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { Clock } from '../common/time/index.ts'
import type { ClockDeps } from '../rules/index.ts'
import { DEFAULT_ESCALATION, rectificationDeadline } from './lifecycle/escalation.ts'
import { ThreadStore } from './lifecycle/threadStore.ts'
import { type Notifier, type NotifierOptions, startNotifier } from './notifier.ts'
import { type AlertService, startAlertService } from './service.ts'
import { auditTransition } from './threadAudit.ts'

/** AlertsDeps are what the alerts of a process are built on. */
export interface AlertsDeps {
  db: Db
  clock: Clock
  /** the rules' zone and working-day calendar: rectification deadlines and escalation count on it */
  ctx: ClockDeps
}

/** ServiceOptions are what the alert service needs beyond the composition's own. */
export interface ServiceOptions {
  bus: Bus
  /** formats instants in the platform zone, for the live pushes */
  format: (t: number) => string
  log: Logger
  /** cards stored in one transaction at most (see AlertServiceOptions.batch) */
  batch?: number
  /** deliveries of a card the database refuses before it becomes a dead letter (see AlertServiceOptions.maxTries) */
  maxTries?: number
  /** the first wait after a failure (see AlertServiceOptions.retryMs) */
  retryMs?: number
}

/** NotifierRunOptions are what the notifier needs beyond the composition's own. */
export type NotifierRunOptions = Omit<NotifierOptions, 'db' | 'clock' | 'ctx' | 'threads'>

/** Alerts are the composed alerts of one process. */
export interface Alerts {
  /** threads is the process's one ThreadStore: for the consoles, and shared by everything started here. */
  readonly threads: ThreadStore
  /** startService follows the alerts stream; each card stored goes on to the notifier, once one runs. */
  startService(opts: ServiceOptions): AlertService
  /** startNotifier starts the notification pipeline, the SMS sender, the replies and escalation. */
  startNotifier(opts: NotifierRunOptions): Notifier
}

/** composeAlerts builds the alerts of a process; nothing runs until a start method is called. */
export function composeAlerts(deps: AlertsDeps): Alerts {
  const { db, clock, ctx } = deps
  const threads = new ThreadStore({
    db,
    clock,
    onTransition: auditTransition,
    // Fixed at acknowledgement, on the same settings escalation's accountability step uses.
    rectificationDue: (ackAt) => rectificationDeadline(ackAt, DEFAULT_ESCALATION, ctx),
  })
  let notifier: Notifier | undefined
  return {
    threads,
    startService: (opts) => startAlertService({ ...opts, db, clock, threads, onStored: (card: CardMessage) => notifier?.push(card) }),
    startNotifier(opts) {
      if (notifier) throw new Error('alerts: the notifier of this process is already running')
      const n = startNotifier({ ...opts, db, clock, ctx, threads })
      notifier = n
      return {
        ...n,
        stop: async () => {
          notifier = undefined
          await n.stop()
        },
      }
    },
  }
}
