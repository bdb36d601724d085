/**
 * The alerts' part of the status (common/health): the SMS outbox (messages waiting,
 * being sent, failed for good), the notifier (running, its last failure) and the alert
 * service (cards stored, dead letters, its last failure to store). It is degraded
 * while the notifier is not running, or either failed within RECENT_ERROR_MS.
 */
import type { AlertsDetails } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { type ComponentProbe, isRecent, within } from '../common/health/index.ts'
import type { NotifierError } from './notifier.ts'
import type { AlertServiceStatus } from './service.ts'
import { outboxCounts } from './sms/outbox.ts'

/** AlertsProbeOptions are what the alerts' status reads; notifier() is the running notifier, if any. */
export interface AlertsProbeOptions {
  db: Queryable
  notifier: () => { lastError(): NotifierError | null } | undefined
  /** the alert service's status, where the process runs it */
  service?: () => AlertServiceStatus
  /** how long the outbox count may take (default 2000 ms); past it, the outbox is reported unknown */
  timeoutMs?: number
}

/** alertsProbe reports the alerts of a process; an outbox the database cannot count is null, not an error. */
export function alertsProbe(opts: AlertsProbeOptions): ComponentProbe<'alerts'> {
  return {
    component: 'alerts',
    async details(): Promise<AlertsDetails> {
      const n = opts.notifier()
      const notifier = { running: !!n, lastError: n?.lastError() ?? null }
      const outbox = await within(outboxCounts(opts.db), opts.timeoutMs ?? 2000).then(
        (c) => ({ queued: c.pending, sending: c.sending, failed: c.failed }),
        () => null, // the database's own state is in the status already
      )
      return { outbox, notifier, ...(opts.service ? { service: opts.service() } : {}) }
    },
    problems: (d, now) => [
      ...(d.notifier.running ? [] : (['notifier_stopped'] as const)),
      ...(isRecent(d.notifier.lastError, now) || isRecent(d.service?.lastError ?? null, now) ? (['recent_error'] as const) : []),
    ],
  }
}
