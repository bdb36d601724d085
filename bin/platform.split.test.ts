/**
 * The alerts apart from the collector, as `jiancha alerts` beside `jiancha collector`
 * runs them: two platforms on one database and one nats-server. Twilio's delivery
 * reports and the contacts' replies reach the alerts' own server (the collector has no
 * webhooks then), and its /healthz says how the alerts process is doing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { INBOUND_PATH, upsertContact } from '../alerts/index.ts'
import type { HealthReport } from '../common/contract/index.ts'
import { startFakeTwilio, type FakeTwilio } from '../demo/index.ts'
import { ManualClock, post, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

const DUTY = '+8613800001111'
const HEAD = '+8613800002222'
const STATUS_PATH = '/twilio/sms/status'

describe.each(openTestDbs())('alerts in a platform of their own on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let twilio: FakeTwilio
  let alerts: Platform
  let rest: Platform
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00')) // a Tuesday morning, outside quiet hours

  const health = async () => {
    const r = await fetch(`${alerts.alertsUrl}/healthz`)
    return { status: r.status, body: (await r.json()) as HealthReport }
  }

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('split')
    // Twilio as the test plays it: no automatic delivery reports.
    twilio = await startFakeTwilio()
    await upsertContact(db, { dept: 'market', role: 'duty', name: '值班员', phone: DUTY })
    await upsertContact(db, { dept: 'market', role: 'head', name: '局长', phone: HEAD })
    alerts = await startTestPlatform(db, nats, clock, ['alerts'], { config: { smsProvider: 'fake', twilioBaseUrl: twilio.url } })
    rest = await startTestPlatform(db, nats, clock, ['collector', 'rules', 'dashboard'])
  })

  afterAll(async () => {
    await rest?.stop()
    await alerts?.stop()
    await twilio?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('serves the webhooks and /healthz on the alerts server; the collector has no webhooks', async () => {
    expect(alerts.alertsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(alerts.collectorUrl).toBeUndefined()
    expect(rest.alertsUrl).toBeUndefined()
    expect((await fetch(`${rest.collectorUrl}${STATUS_PATH}`, { method: 'POST' })).status).toBe(404)
    const h = await health()
    // The alerts process reports the alerts alone.
    expect(h).toEqual({
      status: 200,
      body: {
        state: 'ok',
        components: [{
          component: 'alerts', process: expect.any(Object), state: 'ok', problems: [], at: expect.any(String), db: { up: true }, bus: { up: true },
          details: { outbox: { queued: 0, sending: 0, failed: 0 }, notifier: { running: true, lastError: null }, service: { stored: 0, deadLetters: 0, lastError: null } },
        }],
      },
    })
    // unsigned, a webhook is refused
    const forged = await fetch(`${alerts.alertsUrl}${STATUS_PATH}?outbox=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bad' }, body: 'MessageStatus=failed' })
    expect(forged.status).toBe(403)
  })

  it('takes a delivery report and a 确认 reply, signed as Twilio signs them, to the outbox and the thread', async () => {
    const completed: CaseEvent = { id: 'split-1', source: 'hall', kind: 'approval', type: 'completed', caseId: 'A-SPLIT', dept: 'market', at: '2026-11-24T09:00:00+08:00' }
    expect((await post(rest, completed)).status).toBe(200)
    await waitFor(() => twilio.messages.length >= 2, 'two texts (a red card goes to duty and head)')
    const text = twilio.messages.find((m) => m.to === DUTY)!
    // PUBLIC_BASE_URL defaults, for the fake, to the alerts server: that is where Twilio reports
    expect(text.statusCallback).toMatch(new RegExp(`^${alerts.alertsUrl}${STATUS_PATH}\\?outbox=\\d+$`))
    const outbox = async () => (await db.query<{ status: string }>('SELECT status FROM sms_outbox WHERE twilio_sid = $1', [text.sid])).rows[0]?.status
    await waitFor(async () => (await outbox()) === 'sent', 'the text recorded as sent')

    expect(await twilio.deliver(text.sid)).toEqual([204, 204])
    expect(await outbox()).toBe('delivered')

    const state = async () => (await db.query<{ state: string }>("SELECT state FROM alert_threads WHERE case_id = 'A-SPLIT'")).rows[0]?.state
    await waitFor(async () => (await state()) === 'notified', 'the thread notified')
    const code = /确认 ([A-Z2-9]+)/.exec(text.body)![1]!
    const reply = await twilio.sendInbound({ from: DUTY, body: `确认 ${code}`, url: `${alerts.alertsUrl}${INBOUND_PATH}` })
    expect(reply).toMatchObject({ status: 200, contentType: expect.stringMatching(/xml/) })
    expect(reply.body).toContain(`已确认（${code}）`)
    expect(await state()).toBe('acknowledged')
    expect((await health()).body.components[0]!.details).toMatchObject({ outbox: { queued: 0, sending: 0, failed: 0 } })
  })

  it('says on /healthz when the bus is gone, and recovers with it', async () => {
    await nats.stop()
    try {
      await waitFor(async () => (await health()).status === 503, '/healthz to notice', 10_000)
      expect((await health()).body).toMatchObject({ state: 'down', components: [{ component: 'alerts', problems: ['bus_down'], db: { up: true }, bus: { up: false } }] })
    } finally {
      await nats.start()
    }
    await waitFor(async () => (await health()).status === 200, '/healthz to recover', 20_000)
  })
})
