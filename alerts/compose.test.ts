/**
 * The alerts composition on real services: one ThreadStore for the alert service, the
 * notifier, escalation and the consoles, and every transition (escalation's included)
 * in the hash-chained audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../common/audit/index.ts'
import { alertSubject, Bus } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import { alertKey, type CardMessage } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { logger } from '../common/log/index.ts'
import { defaultContext } from '../rules/index.ts'
import { ManualClock, waitFor } from '../test-support/platform.ts'
import { type Alerts, composeAlerts } from './compose.ts'
import { DEFAULT_ESCALATION, rectificationDeadline } from './lifecycle/escalation.ts'
import type { Notifier } from './notifier.ts'
import { upsertContact } from './notify/contactStore.ts'
import { consoleGateway } from './sms/consoleClient.ts'
import type { AlertService } from './service.ts'
import { saveAlert } from './store.ts'

const ctx = defaultContext()
const log = logger('test')
// Escalation in tests runs only when asked (and once at start).
const NEVER = '0 0 1 1 *'

/** audited reads the audit rows of a thread, oldest first. */
async function audited(db: Db, threadId: number): Promise<Array<{ action: string; actor: string; detail: Record<string, unknown> }>> {
  const r = await db.query<{ action: string; actor: string; detail: Record<string, unknown> }>(
    'SELECT action, actor, detail FROM audit_log WHERE subject = $1 ORDER BY seq', [`thread:${threadId}`],
  )
  return r.rows
}

describe.each(openTestDbs())('the alerts composition on $name', (backend) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  let alerts: Alerts
  let service: AlertService
  let notifier: Notifier
  // A Tuesday morning, a working day outside quiet hours.
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00'))

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('compose')
    bus = await Bus.connect({ url: nats.url, name: 'compose-test' })
    await upsertContact(db, { dept: 'land', role: 'duty', name: '值班员', phone: '+8613800001111' })
    await upsertContact(db, { dept: 'land', role: 'head', name: '局长', phone: '+8613800002222' })
    alerts = composeAlerts({ db, clock, ctx })
    service = alerts.startService({ bus, format: (t) => ctx.zone.format(t), log })
    notifier = alerts.startNotifier({ log, sms: { name: 'console', gateway: consoleGateway(log), close: async () => {} }, tickMs: 50, cron: NEVER })
  })
  afterAll(async () => {
    await notifier?.stop()
    await service?.stop()
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('hands its one thread store to the notifier, and refuses a second notifier', () => {
    expect(notifier.threads).toBe(alerts.threads)
    expect(() => alerts.startNotifier({ log, sms: { name: 'console', gateway: consoleGateway(log), close: async () => {} } })).toThrow(/already running/)
  })

  it('audits every transition of a card\'s thread: opened by the service, notified, escalated', async () => {
    const card: CardMessage = {
      key: alertKey('approval.overdue', 'red', 'approval', 'A-COMPOSE'), rule: 'approval.overdue', level: 'red', kind: 'approval',
      caseId: 'A-COMPOSE', dept: 'land', at: ctx.zone.format(clock.now()), causes: ['e1'], settingsVersion: 'builtin-1',
    }
    await bus.publish(alertSubject(card.level, card.dept), card, card.key)
    // The service stores the card and opens its thread; the notifier, told by the composition, texts it.
    const thread = (await waitFor(async () => {
      const t = await alerts.threads.threadByAlertKey(card.key)
      return t?.state === 'notified' ? t : null
    }, 'the thread notified', 20_000))!
    const notifiedAt = thread.notifiedAt!
    // Four office hours after the notice nobody has acknowledged: the head step falls due.
    clock.t = notifiedAt + 4 * 3_600_000
    const fired = await notifier.escalation.runEscalationOnce()
    expect(fired).toEqual([expect.objectContaining({ threadId: thread.id, step: 'head' })])
    const rows = await audited(db, thread.id)
    expect(rows.map((r) => r.action)).toEqual(['alert.raised', 'alert.notified', 'alert.escalated'])
    expect(rows[2]).toMatchObject({ actor: 'system:escalation', detail: { step: 'head', from: 'notified', to: 'notified' } })
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })

  it('gives a process without the alert service the same audited store, with the rectification deadline', async () => {
    const dashboardOnly = composeAlerts({ db, clock, ctx }).threads
    const card: CardMessage = {
      key: alertKey('approval.due_soon', 'yellow', 'approval', 'A-CONSOLE'), rule: 'approval.due_soon', level: 'yellow', kind: 'approval',
      caseId: 'A-CONSOLE', dept: 'land', at: ctx.zone.format(clock.now()), causes: [], settingsVersion: 'builtin-1',
    }
    const opened = await db.transaction(async (tx) => {
      await saveAlert(tx, card, clock.now())
      return dashboardOnly.openOrUpgrade(tx, card, clock.now())
    })
    const id = opened!.thread.id
    const r = await dashboardOnly.applyAction(id, { name: 'acknowledge' }, { role: 'department', dept: 'land', name: 'land-desk' }, '控制台确认')
    expect(r).toMatchObject({ thread: { state: 'acknowledged', rectificationDueAt: rectificationDeadline(clock.now(), DEFAULT_ESCALATION, ctx) } })
    expect((await audited(db, id)).map((a) => [a.action, a.actor])).toEqual([['alert.raised', 'system:rules'], ['alert.acknowledged', 'department:land-desk']])
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
