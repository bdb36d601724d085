/**
 * The health of the alerts process, for GET /healthz on its server: can it reach the
 * database and the bus, and how is the notifier doing (messages waiting, being sent,
 * failed for good, and the last failure it logged).
 */
import type { Bus } from '../common/bus/index.ts'
import type { Db } from '../common/db/index.ts'
import type { NotifierError } from './notifier.ts'
import { outboxCounts } from './sms/outbox.ts'

/** AlertsHealth is the /healthz answer: ok when the database answers and the bus is connected. */
export interface AlertsHealth {
  ok: boolean
  db: { ok: boolean; error?: string }
  bus: { ok: boolean }
  notifier: {
    running: boolean
    /** outbox rows not yet handed to the provider, being sent, failed or undelivered; absent when the database does not answer */
    queued?: number
    sending?: number
    failed?: number
    lastError: NotifierError | null
  }
}

/** HealthDeps are what the report looks at; notifier() is the running notifier, if any. */
export interface HealthDeps {
  db: Db
  bus: Pick<Bus, 'connected'>
  notifier: () => { lastError(): NotifierError | null } | undefined
  /** how long the database may take to answer (default 2000 ms) */
  timeoutMs?: number
}

/** alertsHealth reports; a database that fails or does not answer in time is reported, not thrown. */
export async function alertsHealth(deps: HealthDeps): Promise<AlertsHealth> {
  const n = deps.notifier()
  const notifier: AlertsHealth['notifier'] = { running: !!n, lastError: n?.lastError() ?? null }
  let db: AlertsHealth['db']
  try {
    const c = await within(outboxCounts(deps.db), deps.timeoutMs ?? 2000)
    Object.assign(notifier, { queued: c.pending, sending: c.sending, failed: c.failed })
    db = { ok: true }
  } catch (e) {
    db = { ok: false, error: (e as Error).message }
  }
  const bus = { ok: deps.bus.connected }
  return { ok: db.ok && bus.ok, db, bus, notifier }
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}
